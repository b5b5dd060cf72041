// RUN: npu-opt %s --npu-set-system=system=e1-package --canonicalize --cse | FileCheck %s
// RUN: npu-opt %s --npu-set-system=system=e1-package | npu-translate --npu-export-system | FileCheck %s --check-prefix=JSON

// A small Fashion-MNIST classifier in the npu dialect (graph level, G1):
// two conv/batch-norm/relu/pool stages, global pooling and a linear head.
// Weights are placeholders until the ONNX importer brings real models in;
// the shapes are those of a real 28x28 grayscale classifier.
//
// make demo runs:  npu-opt fmnist-cnn.mlir --npu-set-system=system=e1-package
//                          --canonicalize --cse
func.func @classify(%image: tensor<1x1x28x28xf32> {npu.name = "image"})
    -> (tensor<1x10xf32> {npu.name = "probs"}) {
  %w1 = arith.constant dense<0.1> : tensor<8x1x3x3xf32>
  %b1 = arith.constant dense<0.0> : tensor<8xf32>
  %scale = arith.constant dense<1.0> : tensor<8xf32>
  %shift = arith.constant dense<0.0> : tensor<8xf32>
  %mean = arith.constant dense<0.0> : tensor<8xf32>
  %var = arith.constant dense<1.0> : tensor<8xf32>
  %w2 = arith.constant dense<0.05> : tensor<16x8x3x3xf32>
  %wfc = arith.constant dense<0.01> : tensor<10x16xf32>
  %bfc = arith.constant dense<0.0> : tensor<10xf32>

  %c1 = npu.conv2d %image, %w1, %b1 {pads = array<i64: 1, 1, 1, 1>}
      : (tensor<1x1x28x28xf32>, tensor<8x1x3x3xf32>, tensor<8xf32>)
      -> tensor<1x8x28x28xf32>
  %n1 = npu.batch_norm %c1, %scale, %shift, %mean, %var
      : tensor<1x8x28x28xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>,
        tensor<8xf32>
  %r1 = npu.relu %n1 : tensor<1x8x28x28xf32>
  %p1 = npu.max_pool2d %r1 {kernel = array<i64: 2, 2>,
                            strides = array<i64: 2, 2>}
      : tensor<1x8x28x28xf32> -> tensor<1x8x14x14xf32>
  %c2 = npu.conv2d %p1, %w2 {pads = array<i64: 1, 1, 1, 1>}
      : (tensor<1x8x14x14xf32>, tensor<16x8x3x3xf32>) -> tensor<1x16x14x14xf32>
  %r2 = npu.relu %c2 : tensor<1x16x14x14xf32>
  %p2 = npu.max_pool2d %r2 {kernel = array<i64: 2, 2>,
                            strides = array<i64: 2, 2>}
      : tensor<1x16x14x14xf32> -> tensor<1x16x7x7xf32>
  %g = npu.global_avg_pool %p2 : tensor<1x16x7x7xf32> -> tensor<1x16x1x1xf32>
  %f = npu.reshape %g : tensor<1x16x1x1xf32> -> tensor<1x16xf32>
  %logits = npu.gemm %f, %wfc, %bfc {trans_b = true}
      : (tensor<1x16xf32>, tensor<10x16xf32>, tensor<10xf32>) -> tensor<1x10xf32>
  %probs = npu.softmax %logits : tensor<1x10xf32>
  return %probs : tensor<1x10xf32>
}

// CHECK: #system = #npu.system<name = "e1-package", topology = "switch", chips = [#chip0, #chip1]
// CHECK: module attributes {npu.system = #system}
// CHECK-LABEL: func.func @classify
// CHECK: %[[C1:.*]] = npu.conv2d %{{.*}} {pads = array<i64: 1, 1, 1, 1>}
// CHECK: npu.batch_norm %[[C1]]
// CHECK: npu.max_pool2d
// CHECK: npu.conv2d
// CHECK: npu.global_avg_pool
// CHECK: %[[F:.*]] = npu.reshape
// CHECK: %[[L:.*]] = npu.gemm %[[F]], %{{.*}}, %{{.*}} {trans_b = true}
// CHECK: %[[P:.*]] = npu.softmax %[[L]]
// CHECK: return %[[P]]

// JSON: "name": "e1-package"
// JSON: "topology": "switch"
