// RUN: npu-opt %s --canonicalize --split-input-file | FileCheck %s

// A reshape to its own type disappears.
// CHECK-LABEL: func.func @reshape_same_type
// CHECK-SAME: (%[[X:.*]]: tensor<4x8xf32>)
// CHECK-NOT: npu.reshape
// CHECK: return %[[X]]
func.func @reshape_same_type(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %0 = npu.reshape %x : tensor<4x8xf32> -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// -----

// Only the last of a chain of reshapes matters.
// CHECK-LABEL: func.func @reshape_chain
// CHECK-SAME: (%[[X:.*]]: tensor<1x16x2x2xf32>)
// CHECK-NEXT: %[[R:.*]] = npu.reshape %[[X]] : tensor<1x16x2x2xf32> -> tensor<64xf32>
// CHECK-NEXT: return %[[R]]
func.func @reshape_chain(%x: tensor<1x16x2x2xf32>) -> tensor<64xf32> {
  %0 = npu.reshape %x : tensor<1x16x2x2xf32> -> tensor<1x64xf32>
  %1 = npu.reshape %0 : tensor<1x64xf32> -> tensor<64xf32>
  return %1 : tensor<64xf32>
}

// -----

// A reshape chain that returns to the input's type folds away entirely.
// CHECK-LABEL: func.func @reshape_round_trip
// CHECK-SAME: (%[[X:.*]]: tensor<2x6xf32>)
// CHECK-NOT: npu.reshape
// CHECK: return %[[X]]
func.func @reshape_round_trip(%x: tensor<2x6xf32>) -> tensor<2x6xf32> {
  %0 = npu.reshape %x : tensor<2x6xf32> -> tensor<3x4xf32>
  %1 = npu.reshape %0 : tensor<3x4xf32> -> tensor<2x6xf32>
  return %1 : tensor<2x6xf32>
}

// -----

// The identity permutation is no transpose.
// CHECK-LABEL: func.func @transpose_identity
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x4xf32>)
// CHECK-NOT: npu.transpose
// CHECK: return %[[X]]
func.func @transpose_identity(%x: tensor<2x3x4xf32>) -> tensor<2x3x4xf32> {
  %0 = npu.transpose %x {perm = array<i64: 0, 1, 2>} : tensor<2x3x4xf32> -> tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}

// -----

// Two transposes compose into one: NCHW -> NHWC -> NWCH is
// perm [0, 2, 3, 1] then [0, 2, 3, 1] = [0, 3, 1, 2] of the input.
// CHECK-LABEL: func.func @transpose_compose
// CHECK-SAME: (%[[X:.*]]: tensor<1x16x8x4xf32>)
// CHECK-NEXT: %[[T:.*]] = npu.transpose %[[X]] {perm = array<i64: 0, 3, 1, 2>} : tensor<1x16x8x4xf32> -> tensor<1x4x16x8xf32>
// CHECK-NEXT: return %[[T]]
func.func @transpose_compose(%x: tensor<1x16x8x4xf32>) -> tensor<1x4x16x8xf32> {
  %0 = npu.transpose %x {perm = array<i64: 0, 2, 3, 1>} : tensor<1x16x8x4xf32> -> tensor<1x8x4x16xf32>
  %1 = npu.transpose %0 {perm = array<i64: 0, 2, 3, 1>} : tensor<1x8x4x16xf32> -> tensor<1x4x16x8xf32>
  return %1 : tensor<1x4x16x8xf32>
}

// -----

// A transpose undone by its inverse disappears.
// CHECK-LABEL: func.func @transpose_inverse
// CHECK-SAME: (%[[X:.*]]: tensor<1x16x8x4xf32>)
// CHECK-NOT: npu.transpose
// CHECK: return %[[X]]
func.func @transpose_inverse(%x: tensor<1x16x8x4xf32>) -> tensor<1x16x8x4xf32> {
  %0 = npu.transpose %x {perm = array<i64: 0, 2, 3, 1>} : tensor<1x16x8x4xf32> -> tensor<1x8x4x16xf32>
  %1 = npu.transpose %0 {perm = array<i64: 0, 3, 1, 2>} : tensor<1x8x4x16xf32> -> tensor<1x16x8x4xf32>
  return %1 : tensor<1x16x8x4xf32>
}

// -----

// Pure ops without users are removed; a layer chain that is used is kept.
// CHECK-LABEL: func.func @dead_layers
// CHECK-NOT: npu.conv2d
// CHECK: %[[R:.*]] = npu.relu
// CHECK: return %[[R]]
func.func @dead_layers(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x3x8x8xf32> {
  %dead = npu.conv2d %x, %w : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  %r = npu.relu %x : tensor<1x3x8x8xf32>
  return %r : tensor<1x3x8x8xf32>
}
