// RUN: npu-opt %s -split-input-file --npu-set-system=system=single \
// RUN:   --npu-lower-to-isa | FileCheck %s --enable-var-scope

// conv_transpose2d on chip 0 of `single`: a stride-1 convolution, with the
// kernel flipped and its channel axes swapped per group (a segment computed
// at compile time), over the input scattered with stride s into a zero-
// filled buffer; padding (k-1)*d - pad_begin before and (k-1)*d - pad_end +
// output_padding after becomes the conv's pads, or crops the scattered
// input when negative. Offsets are bytes.

// Stride 2, 2x2 kernel, two images: the kernel [[1, 2], [3, 4]] is stored
// flipped. Each image's 2x2 pixels land every other row and column of a
// zeroed 3x3 buffer (one fill and one copy for both images; destination
// strides 9 per image, 2 * 3 per row, 2 per column), which the conv pads by
// (2-1)*1 - 0 = 1 on every side: 3 + 2 - 1 = 4 = 2 * 1 + 2 output rows.
// CHECK-LABEL: npuisa.program @upsample
// CHECK-SAME: {data = dense<{{\[\[\[\[}}4.000000e+00, 3.000000e+00], [2.000000e+00, 1.000000e+00]]]]> : tensor<1x1x2x2xf32>, dram = [[#DW:]] : i64}
// CHECK: npuisa.dma_in dram(0) -> sram([[#X:]]) rows(1) row_bytes(32)
// CHECK: npuisa.dma_in dram([[#DW]]) -> sram([[#W:]]) rows(1) row_bytes(16)
// CHECK: npuisa.fill dst([[#Z:]]) count(18) value(0.000000e+00)
// CHECK: npuisa.copy src([[#X]]) -> dst([[#Z]]) shape[1, 2, 2, 2] src_strides[0, 4, 2, 1] dst_strides[0, 9, 6, 2]
// CHECK: npuisa.conv input([[#Z]]) weight([[#W]]) output([[#Y:]]) channels(1) in_hw[3, 3] out_channels(1) out_hw[4, 4] out_rows[0, 4] kernel[2, 2] strides[1, 1] pads[1, 1, 1, 1] dilations[1, 1]
// CHECK-NEXT: npuisa.conv input([[#Z + 36]]) weight([[#W]]) output([[#Y + 64]]) channels(1) in_hw[3, 3]
// CHECK-NOT: npuisa.conv
// CHECK: npuisa.vector add a([[#Y]]) b({{[0-9]+}}) b_bcast[1, 16] -> dst([[#Y]]) count(32)
func.func @upsample(%x: tensor<2x1x2x2xf32>) -> tensor<2x1x4x4xf32> {
  %w = arith.constant dense<[[[[1.0, 2.0], [3.0, 4.0]]]]> : tensor<1x1x2x2xf32>
  %b = arith.constant dense<0.5> : tensor<1xf32>
  %y = npu.conv_transpose2d %x, %w, %b {strides = array<i64: 2, 2>} : (tensor<2x1x2x2xf32>, tensor<1x1x2x2xf32>, tensor<1xf32>) -> tensor<2x1x4x4xf32>
  return %y : tensor<2x1x4x4xf32>
}

// -----

// Two groups of 2 input and 2 output channels: the ONNX weight W[c, o] is
// stored as kernel[g*2 + o, ci] = W[g*2 + ci, o], i.e. each group's 2x2
// block transposed. Stride 1 and no cropping: the input itself is
// convolved, one conv per group.
// CHECK-LABEL: npuisa.program @grouped
// CHECK-SAME: {data = dense<{{\[\[\[\[}}1.000000e+00]], {{\[\[}}3.000000e+00]]], {{\[\[\[}}2.000000e+00]], {{\[\[}}4.000000e+00]]], {{\[\[\[}}5.000000e+00]], {{\[\[}}7.000000e+00]]], {{\[\[\[}}6.000000e+00]], {{\[\[}}8.000000e+00]]]]> : tensor<4x2x1x1xf32>
// CHECK-NOT: npuisa.fill
// CHECK-NOT: npuisa.copy
// CHECK: npuisa.conv input([[#X:]]) weight([[#W:]]) output([[#Y:]]) channels(2) in_hw[3, 3] out_channels(2) out_hw[3, 3] out_rows[0, 3] kernel[1, 1] strides[1, 1] pads[0, 0, 0, 0]
// CHECK-NEXT: npuisa.conv input([[#X + 72]]) weight([[#W + 16]]) output([[#Y + 72]]) channels(2) in_hw[3, 3] out_channels(2)
// CHECK-NOT: npuisa.conv
func.func @grouped(%x: tensor<1x4x3x3xf32>) -> tensor<1x4x3x3xf32> {
  %w = arith.constant dense<[[[[1.0]], [[2.0]]], [[[3.0]], [[4.0]]], [[[5.0]], [[6.0]]], [[[7.0]], [[8.0]]]]> : tensor<4x2x1x1xf32>
  %y = npu.conv_transpose2d %x, %w {groups = 2 : i64} : (tensor<1x4x3x3xf32>, tensor<4x2x1x1xf32>) -> tensor<1x4x3x3xf32>
  return %y : tensor<1x4x3x3xf32>
}

// -----

// Stride 2 in height with dilation 2 and output_padding 1; stride 1 in
// width. Rows: 3 pixels scattered over 5 rows, padded by (2-1)*2 = 2 before
// and 2 + 1 = 3 after. Columns need no scattering: padded by 1 each side.
// CHECK-LABEL: npuisa.program @dilated
// CHECK: npuisa.fill dst([[#Z:]]) count(15)
// CHECK: npuisa.copy src({{[0-9]+}}) -> dst([[#Z]]) shape[1, 1, 3, 3] src_strides[0, 0, 3, 1] dst_strides[0, 0, 6, 1]
// CHECK: npuisa.conv input([[#Z]]) {{.*}} in_hw[5, 3] out_channels(1) out_hw[8, 4] out_rows[0, 8] kernel[2, 2] strides[1, 1] pads[2, 1, 3, 1] dilations[2, 1]
func.func @dilated(%x: tensor<1x1x3x3xf32>) -> tensor<1x1x8x4xf32> {
  %w = arith.constant dense<1.0> : tensor<1x1x2x2xf32>
  %y = npu.conv_transpose2d %x, %w {strides = array<i64: 2, 1>, dilations = array<i64: 2, 1>, output_padding = array<i64: 1, 0>} : (tensor<1x1x3x3xf32>, tensor<1x1x2x2xf32>) -> tensor<1x1x8x4xf32>
  return %y : tensor<1x1x8x4xf32>
}

// -----

// Pads beyond the kernel's reach (2 - 1 = 1) crop the input: the top pad 2
// drops input row 0, the right pad 2 drops column 3. Stride 1 leaves no
// gaps, so there is no fill; the copy starts at row 1 (16 bytes in).
// CHECK-LABEL: npuisa.program @crop
// CHECK: npuisa.dma_in dram(0) -> sram([[#X:]])
// CHECK-NOT: npuisa.fill
// CHECK: npuisa.copy src([[#X + 16]]) -> dst([[#Z:]]) shape[1, 1, 3, 3] src_strides[0, 0, 4, 1] dst_strides[0, 0, 3, 1]
// CHECK: npuisa.conv input([[#Z]]) {{.*}} in_hw[3, 3] out_channels(1) out_hw[3, 3] out_rows[0, 3] kernel[2, 2] strides[1, 1] pads[0, 1, 1, 0]
func.func @crop(%x: tensor<1x1x4x4xf32>) -> tensor<1x1x3x3xf32> {
  %w = arith.constant dense<1.0> : tensor<1x1x2x2xf32>
  %y = npu.conv_transpose2d %x, %w {pads = array<i64: 2, 0, 0, 2>} : (tensor<1x1x4x4xf32>, tensor<1x1x2x2xf32>) -> tensor<1x1x3x3xf32>
  return %y : tensor<1x1x3x3xf32>
}

// -----

// The padding crops away every input pixel (the only one lands at -1): the
// result is the bias alone, and no kernel is loaded.
// CHECK-LABEL: npuisa.program @cropped_away
// CHECK-SAME: npuisa.segments = [{data = dense<5.000000e-01> : tensor<1xf32>
// CHECK-NOT: npuisa.conv
// CHECK: npuisa.fill dst([[#Y:]]) count(1) value(0.000000e+00)
// CHECK-NOT: npuisa.conv
// CHECK: npuisa.vector add a([[#Y]]) b({{[0-9]+}}) b_bcast[1, 1] -> dst([[#Y]]) count(1)
// CHECK-NOT: npuisa.conv
func.func @cropped_away(%x: tensor<1x1x1x1xf32>) -> tensor<1x1x1x1xf32> {
  %w = arith.constant dense<1.0> : tensor<1x1x1x1xf32>
  %b = arith.constant dense<0.5> : tensor<1xf32>
  %y = npu.conv_transpose2d %x, %w, %b {strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 0, 0>, output_padding = array<i64: 1, 1>} : (tensor<1x1x1x1xf32>, tensor<1x1x1x1xf32>, tensor<1xf32>) -> tensor<1x1x1x1xf32>
  return %y : tensor<1x1x1x1xf32>
}
