// A model with no feature map to hand over (early-exit-errors.test).
module {
  func.func @mlp(%x: tensor<1x8xf32> {npu.name = "x"}) -> (tensor<1x4xf32> {npu.name = "y"}) {
    %w = arith.constant dense<0.5> : tensor<4x8xf32>
    %w2 = arith.constant dense<0.5> : tensor<4x4xf32>
    %h = npu.gemm %x, %w {trans_b = true} : (tensor<1x8xf32>, tensor<4x8xf32>) -> tensor<1x4xf32>
    %y = npu.gemm %h, %w2 {trans_b = true} : (tensor<1x4xf32>, tensor<4x4xf32>) -> tensor<1x4xf32>
    return %y : tensor<1x4xf32>
  }
}
