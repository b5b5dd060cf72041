// RUN: npu-opt %s --convert-tosa-to-npu --split-input-file | FileCheck %s

// reshape, transpose, concat: shapes from the result type, perms as i64.
// CHECK-LABEL: func.func @reshape_transpose_concat
// CHECK-SAME: (%[[X:[^:]+]]: tensor<2x3x4xf32>, %[[Y:[^:]+]]: tensor<4x3x1xf32>)
// CHECK: %[[R:.+]] = npu.reshape %[[X]] : tensor<2x3x4xf32> -> tensor<6x4xf32>
// CHECK: %[[T:.+]] = npu.transpose %[[X]] {perm = array<i64: 2, 1, 0>} : tensor<2x3x4xf32> -> tensor<4x3x2xf32>
// CHECK: %[[C:.+]] = npu.concat %[[T]], %[[Y]], %[[T]] {axis = 2 : i64} : (tensor<4x3x2xf32>, tensor<4x3x1xf32>, tensor<4x3x2xf32>) -> tensor<4x3x5xf32>
// CHECK: return %[[R]], %[[C]]
// CHECK-NOT: tosa.
func.func @reshape_transpose_concat(%x: tensor<2x3x4xf32>, %y: tensor<4x3x1xf32>) -> (tensor<6x4xf32>, tensor<4x3x5xf32>) {
  %shape = tosa.const_shape {values = dense<[6, 4]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %r = tosa.reshape %x, %shape : (tensor<2x3x4xf32>, !tosa.shape<2>) -> tensor<6x4xf32>
  %t = tosa.transpose %x {perms = array<i32: 2, 1, 0>} : (tensor<2x3x4xf32>) -> tensor<4x3x2xf32>
  %c = tosa.concat %t, %y, %t {axis = 2 : i32} : (tensor<4x3x2xf32>, tensor<4x3x1xf32>, tensor<4x3x2xf32>) -> tensor<4x3x5xf32>
  return %r, %c : tensor<6x4xf32>, tensor<4x3x5xf32>
}

// -----

// A transpose or reshape of a constant is a new constant.
// CHECK-LABEL: func.func @constant_layout
// CHECK-DAG: %[[T:.+]] = arith.constant dense<{{\[\[}}0.000000e+00, 3.000000e+00], [1.000000e+00, 4.000000e+00], [2.000000e+00, 5.000000e+00]]> : tensor<3x2xf32>
// CHECK-DAG: %[[R:.+]] = arith.constant dense<[0.000000e+00, 1.000000e+00, 2.000000e+00, 3.000000e+00, 4.000000e+00, 5.000000e+00]> : tensor<6xf32>
// CHECK: return %[[T]], %[[R]]
// CHECK-NOT: npu.
func.func @constant_layout() -> (tensor<3x2xf32>, tensor<6xf32>) {
  %c = "tosa.const"() <{values = dense<[[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]> : tensor<2x3xf32>}> : () -> tensor<2x3xf32>
  %t = tosa.transpose %c {perms = array<i32: 1, 0>} : (tensor<2x3xf32>) -> tensor<3x2xf32>
  %shape = tosa.const_shape {values = dense<6> : tensor<1xindex>} : () -> !tosa.shape<1>
  %r = tosa.reshape %c, %shape : (tensor<2x3xf32>, !tosa.shape<1>) -> tensor<6xf32>
  return %t, %r : tensor<3x2xf32>, tensor<6xf32>
}

// -----

// slice: start becomes offsets with unit strides.
// CHECK-LABEL: func.func @slice
// CHECK: npu.slice %{{.+}} {offsets = array<i64: 1, 0, 2>, strides = array<i64: 1, 1, 1>} : tensor<4x5x6xf32> -> tensor<2x5x3xf32>
// CHECK-NOT: const_shape
func.func @slice(%x: tensor<4x5x6xf32>) -> tensor<2x5x3xf32> {
  %start = tosa.const_shape {values = dense<[1, 0, 2]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %size = tosa.const_shape {values = dense<[2, -1, 3]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %y = tosa.slice %x, %start, %size : (tensor<4x5x6xf32>, !tosa.shape<3>, !tosa.shape<3>) -> tensor<2x5x3xf32>
  return %y : tensor<2x5x3xf32>
}

// -----

// pad: TOSA's [before0, after0, before1, after1] becomes npu's befores then
// afters; pad_const is the value.
// CHECK-LABEL: func.func @pad
// CHECK: npu.pad %{{.+}} {pads = array<i64: 1, 0, 2, 3>, value = -2.500000e+00 : f32} : tensor<2x3xf32> -> tensor<5x6xf32>
// CHECK-NOT: arith.constant
func.func @pad(%x: tensor<2x3xf32>) -> tensor<5x6xf32> {
  %padding = tosa.const_shape {values = dense<[1, 2, 0, 3]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %value = "tosa.const"() <{values = dense<-2.5> : tensor<1xf32>}> : () -> tensor<1xf32>
  %y = tosa.pad %x, %padding, %value : (tensor<2x3xf32>, !tosa.shape<4>, tensor<1xf32>) -> tensor<5x6xf32>
  return %y : tensor<5x6xf32>
}

// -----

// reduce_sum / reduce_max keep the reduced dimension with size 1.
// CHECK-LABEL: func.func @reduce
// CHECK: %[[S:.+]] = npu.reduce_sum %{{.+}} {axes = array<i64: 1>} : tensor<2x3x4xf32> -> tensor<2x1x4xf32>
// CHECK: %[[M:.+]] = npu.reduce_max %[[S]] {axes = array<i64: 2>} : tensor<2x1x4xf32> -> tensor<2x1x1xf32>
// CHECK-NOT: keepdims
func.func @reduce(%x: tensor<2x3x4xf32>) -> tensor<2x1x1xf32> {
  %s = tosa.reduce_sum %x {axis = 1 : i32} : (tensor<2x3x4xf32>) -> tensor<2x1x4xf32>
  %m = tosa.reduce_max %s {axis = 2 : i32} : (tensor<2x1x4xf32>) -> tensor<2x1x1xf32>
  return %m : tensor<2x1x1xf32>
}

// -----

// Shape computations are compile-time values: the reshape takes its shape
// from the result type, and the dead shape ops are erased.
// CHECK-LABEL: func.func @computed_shape
// CHECK-NEXT: npu.reshape %{{.+}} : tensor<2x3x4xf32> -> tensor<6x4xf32>
// CHECK-NEXT: return
func.func @computed_shape(%x: tensor<2x3x4xf32>) -> tensor<6x4xf32> {
  %a = tosa.const_shape {values = dense<[3, 4]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %b = tosa.const_shape {values = dense<[3, 0]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %s = tosa.add_shape %a, %b : (!tosa.shape<2>, !tosa.shape<2>) -> !tosa.shape<2>
  %r = tosa.reshape %x, %s : (tensor<2x3x4xf32>, !tosa.shape<2>) -> tensor<6x4xf32>
  return %r : tensor<6x4xf32>
}
