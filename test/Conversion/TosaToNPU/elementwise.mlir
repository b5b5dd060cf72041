// RUN: npu-opt %s --convert-tosa-to-npu --split-input-file | FileCheck %s

// Binary ops: TOSA broadcasts size-1 dims of equal-rank operands, a case of
// numpy broadcasting. mul's zero shift is read and dropped.
// CHECK-LABEL: func.func @binary
// CHECK-SAME: (%[[X:[^:]+]]: tensor<2x3x4xf32>, %[[Y:[^:]+]]: tensor<1x3x1xf32>)
// CHECK: %[[A:.+]] = npu.add %[[X]], %[[Y]] : (tensor<2x3x4xf32>, tensor<1x3x1xf32>) -> tensor<2x3x4xf32>
// CHECK: %[[S:.+]] = npu.sub %[[Y]], %[[A]] : (tensor<1x3x1xf32>, tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
// CHECK: %[[M:.+]] = npu.mul %[[S]], %[[Y]] : (tensor<2x3x4xf32>, tensor<1x3x1xf32>) -> tensor<2x3x4xf32>
// CHECK: %[[MX:.+]] = npu.max %[[M]], %[[X]]
// CHECK: %[[MN:.+]] = npu.min %[[MX]], %[[Y]]
// CHECK: %[[P:.+]] = npu.pow %[[MN]], %[[X]]
// CHECK: return %[[P]]
// CHECK-NOT: arith.constant
func.func @binary(%x: tensor<2x3x4xf32>, %y: tensor<1x3x1xf32>) -> tensor<2x3x4xf32> {
  %a = tosa.add %x, %y : (tensor<2x3x4xf32>, tensor<1x3x1xf32>) -> tensor<2x3x4xf32>
  %s = tosa.sub %y, %a : (tensor<1x3x1xf32>, tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  %shift = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %m = tosa.mul %s, %y, %shift : (tensor<2x3x4xf32>, tensor<1x3x1xf32>, tensor<1xi8>) -> tensor<2x3x4xf32>
  %mx = tosa.maximum %m, %x : (tensor<2x3x4xf32>, tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  %mn = tosa.minimum %mx, %y : (tensor<2x3x4xf32>, tensor<1x3x1xf32>) -> tensor<2x3x4xf32>
  %p = tosa.pow %mn, %x : (tensor<2x3x4xf32>, tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  return %p : tensor<2x3x4xf32>
}

// -----

// Unary ops; reciprocal is 1 / x and rsqrt 1 / sqrt(x), with a 1 that
// broadcasts.
// CHECK-LABEL: func.func @unary
// CHECK-SAME: (%[[X:.+]]: tensor<2x3xf32>)
// CHECK-DAG: %[[ONE:.+]] = arith.constant dense<1.000000e+00> : tensor<1x1xf32>
// CHECK: %[[S:.+]] = npu.sigmoid %[[X]] : tensor<2x3xf32>
// CHECK: %[[T:.+]] = npu.tanh %[[S]] : tensor<2x3xf32>
// CHECK: %[[E:.+]] = npu.exp %[[T]] : tensor<2x3xf32>
// CHECK: %[[R:.+]] = npu.div %[[ONE]], %[[E]] : (tensor<1x1xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK: %[[Q:.+]] = npu.sqrt %[[R]] : tensor<2x3xf32>
// CHECK: %[[RQ:.+]] = npu.div %[[ONE]], %[[Q]] : (tensor<1x1xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK: return %[[RQ]]
func.func @unary(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %s = tosa.sigmoid %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %t = tosa.tanh %s : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %e = tosa.exp %t : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %r = tosa.reciprocal %e : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %q = tosa.rsqrt %r : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %q : tensor<2x3xf32>
}

// -----

// clamp to [0, +inf] is relu; any other range (including [0, FLT_MAX]) is
// clip.
// CHECK-LABEL: func.func @clamp
// CHECK-SAME: (%[[X:.+]]: tensor<4xf32>)
// CHECK: %[[R:.+]] = npu.relu %[[X]] : tensor<4xf32>
// CHECK: %[[C:.+]] = npu.clip %[[R]] {max = 6.000000e+00 : f32, min = 0.000000e+00 : f32} : tensor<4xf32>
// CHECK: %[[F:.+]] = npu.clip %[[C]] {max = 3.40282347E+38 : f32, min = 0.000000e+00 : f32} : tensor<4xf32>
// CHECK: %[[N:.+]] = npu.clip %[[F]] {max = 0x7F800000 : f32, min = -1.000000e+00 : f32} : tensor<4xf32>
// CHECK: return %[[N]]
func.func @clamp(%x: tensor<4xf32>) -> tensor<4xf32> {
  %r = tosa.clamp %x {min_val = 0.0 : f32, max_val = 0x7F800000 : f32} : (tensor<4xf32>) -> tensor<4xf32>
  %c = tosa.clamp %r {min_val = 0.0 : f32, max_val = 6.0 : f32} : (tensor<4xf32>) -> tensor<4xf32>
  %f = tosa.clamp %c {min_val = 0.0 : f32, max_val = 3.40282347E+38 : f32} : (tensor<4xf32>) -> tensor<4xf32>
  %n = tosa.clamp %f {min_val = -1.0 : f32, max_val = 0x7F800000 : f32} : (tensor<4xf32>) -> tensor<4xf32>
  return %n : tensor<4xf32>
}

// -----

// identity and the f32 to f32 cast are their input.
// CHECK-LABEL: func.func @forward
// CHECK-SAME: (%[[X:.+]]: tensor<4xf32>)
// CHECK-NEXT: return %[[X]]
func.func @forward(%x: tensor<4xf32>) -> tensor<4xf32> {
  %i = tosa.identity %x : (tensor<4xf32>) -> tensor<4xf32>
  %c = tosa.cast %i : (tensor<4xf32>) -> tensor<4xf32>
  return %c : tensor<4xf32>
}

// -----

// Activations between layers move above the layout transposes so the
// transpose pairs cancel; each keeps its attributes.
// CHECK-LABEL: func.func @activation_between_pools
// CHECK: npu.transpose
// CHECK-NEXT: npu.max_pool2d
// CHECK-NEXT: npu.clip %{{.+}} {max = 2.000000e+00 : f32, min = -2.000000e+00 : f32} : tensor<1x3x4x4xf32>
// CHECK-NEXT: npu.sigmoid %{{.+}} : tensor<1x3x4x4xf32>
// CHECK-NEXT: npu.max_pool2d
// CHECK-NEXT: npu.transpose
// CHECK-NEXT: return
func.func @activation_between_pools(%x: tensor<1x8x8x3xf32>) -> tensor<1x2x2x3xf32> {
  %a = tosa.max_pool2d %x {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x8x8x3xf32>) -> tensor<1x4x4x3xf32>
  %c = tosa.clamp %a {min_val = -2.0 : f32, max_val = 2.0 : f32} : (tensor<1x4x4x3xf32>) -> tensor<1x4x4x3xf32>
  %s = tosa.sigmoid %c : (tensor<1x4x4x3xf32>) -> tensor<1x4x4x3xf32>
  %b = tosa.max_pool2d %s {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x4x4x3xf32>) -> tensor<1x2x2x3xf32>
  return %b : tensor<1x2x2x3xf32>
}
