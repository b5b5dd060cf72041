// RUN: npu-opt %s --convert-tosa-to-npu --split-input-file | FileCheck %s
// RUN: npu-opt %s --convert-tosa-to-npu --canonicalize --split-input-file | FileCheck %s --check-prefix=CANON

// conv2d: NHWC input and OHWI weights go to NCHW/OIHW; a constant weight is
// transposed at compile time; pads [top, bottom, left, right] become
// [top, left, bottom, right]; the result goes back to NHWC.
// CHECK-LABEL: func.func @conv2d
// CHECK-SAME: (%[[X:.+]]: tensor<1x9x8x3xf32>)
// CHECK-DAG: %[[W:.+]] = arith.constant dense<{{\[\[\[\[}}0.000000e+00, 1.000000e+00], [2.000000e+00, 3.000000e+00]], {{\[\[}}4.000000e+00, 5.000000e+00], [6.000000e+00, 7.000000e+00]], {{\[\[}}8.000000e+00, 9.000000e+00], [1.000000e+01, 1.100000e+01]]]]> : tensor<1x3x2x2xf32>
// CHECK-DAG: %[[B:.+]] = arith.constant dense<5.000000e-01> : tensor<1xf32>
// CHECK: %[[XT:.+]] = npu.transpose %[[X]] {perm = array<i64: 0, 3, 1, 2>} : tensor<1x9x8x3xf32> -> tensor<1x3x9x8xf32>
// CHECK: %[[Y:.+]] = npu.conv2d %[[XT]], %[[W]], %[[B]] {dilations = array<i64: 1, 2>, pads = array<i64: 0, 2, 1, 0>, strides = array<i64: 2, 1>} : (tensor<1x3x9x8xf32>, tensor<1x3x2x2xf32>, tensor<1xf32>) -> tensor<1x1x5x8xf32>
// CHECK: %[[R:.+]] = npu.transpose %[[Y]] {perm = array<i64: 0, 2, 3, 1>} : tensor<1x1x5x8xf32> -> tensor<1x5x8x1xf32>
// CHECK: return %[[R]]
// CHECK-NOT: tosa.
func.func @conv2d(%x: tensor<1x9x8x3xf32>) -> tensor<1x5x8x1xf32> {
  // OHWI [1, 2, 2, 3]: w[0, ky, kx, c] = 4 * c + 2 * ky + kx, so OIHW is 0..11.
  %w = "tosa.const"() <{values = dense<[[[[0.0, 4.0, 8.0], [1.0, 5.0, 9.0]], [[2.0, 6.0, 10.0], [3.0, 7.0, 11.0]]]]> : tensor<1x2x2x3xf32>}> : () -> tensor<1x2x2x3xf32>
  %b = "tosa.const"() <{values = dense<0.5> : tensor<1xf32>}> : () -> tensor<1xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %y = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 2>, pad = array<i64: 0, 1, 2, 0>, stride = array<i64: 2, 1>} : (tensor<1x9x8x3xf32>, tensor<1x2x2x3xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x5x8x1xf32>
  return %y : tensor<1x5x8x1xf32>
}

// -----

// A zero bias is dropped; a one-value constant bias is spread over the
// output channels; computed weights are transposed by npu.transpose.
// CHECK-LABEL: func.func @conv2d_bias
// CHECK-SAME: (%[[X:.+]]: tensor<1x4x4x2xf32>, %[[W:.+]]: tensor<3x1x1x2xf32>)
// CHECK-DAG: %[[B:.+]] = arith.constant dense<2.500000e-01> : tensor<3xf32>
// CHECK: %[[WT:.+]] = npu.transpose %[[W]] {perm = array<i64: 0, 3, 1, 2>} : tensor<3x1x1x2xf32> -> tensor<3x2x1x1xf32>
// CHECK: npu.conv2d %{{[^,]+}}, %[[WT]] : (tensor<1x2x4x4xf32>, tensor<3x2x1x1xf32>) -> tensor<1x3x4x4xf32>
// CHECK: %[[WT2:.+]] = npu.transpose %[[W]] {perm = array<i64: 0, 3, 1, 2>}
// CHECK: npu.conv2d %{{[^,]+}}, %[[WT2]], %[[B]] : (tensor<1x2x4x4xf32>, tensor<3x2x1x1xf32>, tensor<3xf32>) -> tensor<1x3x4x4xf32>
func.func @conv2d_bias(%x: tensor<1x4x4x2xf32>, %w: tensor<3x1x1x2xf32>) -> (tensor<1x4x4x3xf32>, tensor<1x4x4x3xf32>) {
  %zero = "tosa.const"() <{values = dense<0.0> : tensor<3xf32>}> : () -> tensor<3xf32>
  %one = "tosa.const"() <{values = dense<0.25> : tensor<1xf32>}> : () -> tensor<1xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %a = tosa.conv2d %x, %w, %zero, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x2xf32>, tensor<3x1x1x2xf32>, tensor<3xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x3xf32>
  %b = tosa.conv2d %x, %w, %one, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x2xf32>, tensor<3x1x1x2xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x3xf32>
  return %a, %b : tensor<1x4x4x3xf32>, tensor<1x4x4x3xf32>
}

// -----

// A computed one-value bias is added after the convolution (it broadcasts
// over the NCHW result).
// CHECK-LABEL: func.func @conv2d_computed_scalar_bias
// CHECK-SAME: %[[B:[^:]+]]: tensor<1xf32>
// CHECK: %[[Y:.+]] = npu.conv2d %{{[^,]+}}, %{{[^,]+}} : (tensor<1x2x4x4xf32>, tensor<3x2x1x1xf32>) -> tensor<1x3x4x4xf32>
// CHECK: %[[S:.+]] = npu.add %[[Y]], %[[B]] : (tensor<1x3x4x4xf32>, tensor<1xf32>) -> tensor<1x3x4x4xf32>
// CHECK: npu.transpose %[[S]] {perm = array<i64: 0, 2, 3, 1>}
func.func @conv2d_computed_scalar_bias(%x: tensor<1x4x4x2xf32>, %b: tensor<1xf32>) -> tensor<1x4x4x3xf32> {
  %w = "tosa.const"() <{values = dense<1.0> : tensor<3x1x1x2xf32>}> : () -> tensor<3x1x1x2xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %y = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x2xf32>, tensor<3x1x1x2xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x3xf32>
  return %y : tensor<1x4x4x3xf32>
}

// -----

// depthwise_conv2d: HWCM weights become a grouped convolution with
// groups = C; output channel c * M + m is filter w[:, :, c, m].
// CHECK-LABEL: func.func @depthwise
// CHECK-DAG: %[[W:.+]] = arith.constant dense<{{\[\[\[\[}}0.000000e+00]]], {{\[\[\[}}1.000000e+00]]], {{\[\[\[}}2.000000e+00]]], {{\[\[\[}}3.000000e+00]]], {{\[\[\[}}4.000000e+00]]], {{\[\[\[}}5.000000e+00]]]]> : tensor<6x1x1x1xf32>
// CHECK: npu.conv2d %{{[^,]+}}, %[[W]], %{{[^ ]+}} {groups = 3 : i64, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x3x5x5xf32>, tensor<6x1x1x1xf32>, tensor<6xf32>) -> tensor<1x6x7x7xf32>
func.func @depthwise(%x: tensor<1x5x5x3xf32>) -> tensor<1x7x7x6xf32> {
  // HWCM [1, 1, 3, 2]: w[0, 0, c, m] = 2 * c + m.
  %w = "tosa.const"() <{values = dense<[[[[0.0, 1.0], [2.0, 3.0], [4.0, 5.0]]]]> : tensor<1x1x3x2xf32>}> : () -> tensor<1x1x3x2xf32>
  %b = "tosa.const"() <{values = dense<[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]> : tensor<6xf32>}> : () -> tensor<6xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %y = tosa.depthwise_conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x5x5x3xf32>, tensor<1x1x3x2xf32>, tensor<6xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x7x7x6xf32>
  return %y : tensor<1x7x7x6xf32>
}

// -----

// Computed depthwise weights: a transpose to C x M x H x W and a reshape.
// CHECK-LABEL: func.func @depthwise_computed
// CHECK-SAME: %[[W:[^:]+]]: tensor<3x3x2x2xf32>
// CHECK: %[[T:.+]] = npu.transpose %[[W]] {perm = array<i64: 2, 3, 0, 1>} : tensor<3x3x2x2xf32> -> tensor<2x2x3x3xf32>
// CHECK: %[[R:.+]] = npu.reshape %[[T]] : tensor<2x2x3x3xf32> -> tensor<4x1x3x3xf32>
// CHECK: npu.conv2d %{{[^,]+}}, %[[R]] {groups = 2 : i64, strides = array<i64: 2, 2>} : (tensor<1x2x5x5xf32>, tensor<4x1x3x3xf32>) -> tensor<1x4x2x2xf32>
func.func @depthwise_computed(%x: tensor<1x5x5x2xf32>, %w: tensor<3x3x2x2xf32>) -> tensor<1x2x2x4xf32> {
  %b = "tosa.const"() <{values = dense<0.0> : tensor<4xf32>}> : () -> tensor<4xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %y = tosa.depthwise_conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x5x5x2xf32>, tensor<3x3x2x2xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x2x4xf32>
  return %y : tensor<1x2x2x4xf32>
}

// -----

// transpose_conv2d: OHWI weights become npu's I x O x H x W; a negative
// out_pad crops (pads), a positive one at the bottom/right is
// output_padding.
// CHECK-LABEL: func.func @transpose_conv2d
// CHECK: %[[W:.+]] = arith.constant {{.*}} : tensor<3x2x3x3xf32>
// CHECK: npu.conv_transpose2d %{{[^,]+}}, %[[W]], %{{[^ ]+}} {output_padding = array<i64: 1, 0>, pads = array<i64: 1, 2, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x3x4x4xf32>, tensor<3x2x3x3xf32>, tensor<2xf32>) -> tensor<1x2x9x7xf32>
func.func @transpose_conv2d(%x: tensor<1x4x4x3xf32>) -> tensor<1x9x7x2xf32> {
  %w = "tosa.const"() <{values = dense<1.0> : tensor<2x3x3x3xf32>}> : () -> tensor<2x3x3x3xf32>
  %b = "tosa.const"() <{values = dense<[1.0, 2.0]> : tensor<2xf32>}> : () -> tensor<2xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %y = tosa.transpose_conv2d %x, %w, %b, %zp, %zp {acc_type = f32, out_pad = array<i64: -1, 1, -2, 0>, stride = array<i64: 2, 2>} : (tensor<1x4x4x3xf32>, tensor<2x3x3x3xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x9x7x2xf32>
  return %y : tensor<1x9x7x2xf32>
}

// -----

// Between two layers, the NCHW -> NHWC -> NCHW transposes cancel, also
// across an activation (moved above the transpose).
// CHECK-LABEL: func.func @chain
// CHECK: npu.transpose
// CHECK: npu.conv2d
// CHECK-NEXT: npu.clip
// CHECK-NEXT: npu.max_pool2d
// CHECK-NEXT: npu.transpose
// CHECK-NOT: npu.transpose
// CANON-LABEL: func.func @chain
// CANON-COUNT-2: npu.transpose
// CANON-NOT: npu.transpose
func.func @chain(%x: tensor<1x4x4x2xf32>) -> tensor<1x2x2x2xf32> {
  %w = "tosa.const"() <{values = dense<1.0> : tensor<2x1x1x2xf32>}> : () -> tensor<2x1x1x2xf32>
  %b = "tosa.const"() <{values = dense<1.0> : tensor<2xf32>}> : () -> tensor<2xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %y = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x2xf32>
  %c = tosa.clamp %y {min_val = -1.0 : f32, max_val = 1.0 : f32} : (tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32>
  %p = tosa.max_pool2d %c {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x4x4x2xf32>) -> tensor<1x2x2x2xf32>
  return %p : tensor<1x2x2x2xf32>
}
