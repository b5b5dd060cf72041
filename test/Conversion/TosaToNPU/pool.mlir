// RUN: npu-opt %s --convert-tosa-to-npu --split-input-file | FileCheck %s

// max_pool2d: NCHW in between two transposes; pads [top, bottom, left,
// right] become [top, left, bottom, right].
// CHECK-LABEL: func.func @max_pool
// CHECK-SAME: (%[[X:.+]]: tensor<1x9x8x3xf32>)
// CHECK: %[[T:.+]] = npu.transpose %[[X]] {perm = array<i64: 0, 3, 1, 2>} : tensor<1x9x8x3xf32> -> tensor<1x3x9x8xf32>
// CHECK: %[[P:.+]] = npu.max_pool2d %[[T]] {kernel = array<i64: 3, 2>, pads = array<i64: 1, 0, 1, 0>, strides = array<i64: 2, 3>} : tensor<1x3x9x8xf32> -> tensor<1x3x5x3xf32>
// CHECK: %[[R:.+]] = npu.transpose %[[P]] {perm = array<i64: 0, 2, 3, 1>} : tensor<1x3x5x3xf32> -> tensor<1x5x3x3xf32>
// CHECK: return %[[R]]
func.func @max_pool(%x: tensor<1x9x8x3xf32>) -> tensor<1x5x3x3xf32> {
  %y = tosa.max_pool2d %x {kernel = array<i64: 3, 2>, pad = array<i64: 1, 1, 0, 0>, stride = array<i64: 2, 3>} : (tensor<1x9x8x3xf32>) -> tensor<1x5x3x3xf32>
  return %y : tensor<1x5x3x3xf32>
}

// -----

// avg_pool2d: TOSA divides by the input positions in the window only, which
// is count_include_pad = false (the default, so not printed).
// CHECK-LABEL: func.func @avg_pool
// CHECK: npu.avg_pool2d %{{.+}} {kernel = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>} : tensor<2x4x5x5xf32> -> tensor<2x4x5x5xf32>
// CHECK-NOT: count_include_pad
func.func @avg_pool(%x: tensor<2x5x5x4xf32>) -> tensor<2x5x5x4xf32> {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %y = tosa.avg_pool2d %x, %zp, %zp {acc_type = f32, kernel = array<i64: 3, 3>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<2x5x5x4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<2x5x5x4xf32>
  return %y : tensor<2x5x5x4xf32>
}
