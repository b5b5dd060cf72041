// RUN: npu-opt %s -split-input-file -verify-diagnostics

// One case per block for every diagnostic of the npu verifiers
// (lib/Dialect/NPU/NPUOps.cpp, and the module-level checks in
// lib/Dialect/NPU/NPUDialect.cpp), plus a few ODS-generated constraints.
// Blocks with structural ops carry a two-chip system "pair" (chips 0 and 1).

//===----------------------------------------------------------------------===//
// conv2d
//===----------------------------------------------------------------------===//

func.func @conv2d_strides_count(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{'npu.conv2d' op expects 2 strides, got 3}}
  %0 = npu.conv2d %x, %w {strides = array<i64: 1, 1, 1>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @conv2d_dilations_count(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{expects 2 dilations, got 1}}
  %0 = npu.conv2d %x, %w {dilations = array<i64: 1>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @conv2d_pads_count(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{expects 4 pads [top, left, bottom, right], got 2}}
  %0 = npu.conv2d %x, %w {pads = array<i64: 1, 1>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x8x8xf32>
  return
}

// -----

func.func @conv2d_zero_stride(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{strides must be positive, got 0}}
  %0 = npu.conv2d %x, %w {strides = array<i64: 1, 0>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @conv2d_negative_dilation(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{dilations must be positive, got -1}}
  %0 = npu.conv2d %x, %w {dilations = array<i64: -1, 1>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @conv2d_negative_pad(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{pads must be non-negative, got -1}}
  %0 = npu.conv2d %x, %w {pads = array<i64: 0, 0, -1, 0>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x5x6xf32>
  return
}

// -----

func.func @conv2d_zero_groups(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{groups must be positive, got 0}}
  %0 = npu.conv2d %x, %w {groups = 0 : i64} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @conv2d_input_channels_groups(%x: tensor<1x3x8x8xf32>, %w: tensor<4x1x3x3xf32>) {
  // expected-error @+1 {{input channels 3 are not divisible by groups 2}}
  %0 = npu.conv2d %x, %w {groups = 2 : i64} : (tensor<1x3x8x8xf32>, tensor<4x1x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @conv2d_weight_channels(%x: tensor<1x4x8x8xf32>, %w: tensor<4x4x3x3xf32>) {
  // expected-error @+1 {{weight has 4 input channels per group but the input has 2}}
  %0 = npu.conv2d %x, %w {groups = 2 : i64} : (tensor<1x4x8x8xf32>, tensor<4x4x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

// Depthwise needs one input channel per group in the weight.
func.func @conv2d_depthwise_weight(%x: tensor<1x8x8x8xf32>, %w: tensor<16x8x3x3xf32>) {
  // expected-error @+1 {{weight has 8 input channels per group but the input has 1}}
  %0 = npu.conv2d %x, %w {groups = 8 : i64} : (tensor<1x8x8x8xf32>, tensor<16x8x3x3xf32>) -> tensor<1x16x6x6xf32>
  return
}

// -----

func.func @conv2d_output_channels_groups(%x: tensor<1x4x8x8xf32>, %w: tensor<3x2x3x3xf32>) {
  // expected-error @+1 {{output channels 3 are not divisible by groups 2}}
  %0 = npu.conv2d %x, %w {groups = 2 : i64} : (tensor<1x4x8x8xf32>, tensor<3x2x3x3xf32>) -> tensor<1x3x6x6xf32>
  return
}

// -----

func.func @conv2d_bias_size(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<5xf32>) {
  // expected-error @+1 {{bias has 5 elements but the weight has 4 output channels}}
  %0 = npu.conv2d %x, %w, %b : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<5xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @conv2d_kernel_too_big(%x: tensor<1x3x2x2xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{kernel does not fit the padded input}}
  %0 = npu.conv2d %x, %w : (tensor<1x3x2x2xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x1x1xf32>
  return
}

// -----

// An empty kernel would make the output larger than the input (8 -> 9).
func.func @conv2d_empty_kernel(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x0x3xf32>) {
  // expected-error @+1 {{'npu.conv2d' op kernel sizes must be positive}}
  %0 = npu.conv2d %x, %w : (tensor<1x3x8x8xf32>, tensor<4x3x0x3xf32>) -> tensor<1x4x9x6xf32>
  return
}

// -----

func.func @conv2d_result_shape(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{result shape 1x4x8x8 does not match the expected 1x4x6x6}}
  %0 = npu.conv2d %x, %w : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x8x8xf32>
  return
}

// -----

// A dynamic dimension prints as '?'.
func.func @conv2d_result_shape_dynamic(%x: tensor<?x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{result shape ?x4x8x8 does not match the expected ?x4x4x4}}
  %0 = npu.conv2d %x, %w {strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>} : (tensor<?x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<?x4x8x8xf32>
  return
}

// -----

func.func @conv2d_input_rank(%x: tensor<3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{'npu.conv2d' op operand #0 must be 4D tensor of 32-bit float or 16-bit float or bfloat16 type values, but got 'tensor<3x8x8xf32>'}}
  %0 = npu.conv2d %x, %w : (tensor<3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @conv2d_element_types(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf16>) {
  // expected-error @+1 {{failed to verify that all of {input, weight, output} have same element type}}
  %0 = npu.conv2d %x, %w : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf16>) -> tensor<1x4x6x6xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// conv_transpose2d
//===----------------------------------------------------------------------===//

func.func @conv_transpose2d_negative_pad(%x: tensor<1x4x5x5xf32>, %w: tensor<4x2x3x3xf32>) {
  // expected-error @+1 {{pads must be non-negative, got -1}}
  %0 = npu.conv_transpose2d %x, %w {pads = array<i64: 0, -1, 0, 0>} : (tensor<1x4x5x5xf32>, tensor<4x2x3x3xf32>) -> tensor<1x2x7x8xf32>
  return
}

// -----

func.func @conv_transpose2d_output_padding_count(%x: tensor<1x4x5x5xf32>, %w: tensor<4x2x3x3xf32>) {
  // expected-error @+1 {{'npu.conv_transpose2d' op expects 2 output_padding values, got 1}}
  %0 = npu.conv_transpose2d %x, %w {output_padding = array<i64: 1>} : (tensor<1x4x5x5xf32>, tensor<4x2x3x3xf32>) -> tensor<1x2x7x7xf32>
  return
}

// -----

// ONNX: output_padding must be less than the stride or the dilation.
func.func @conv_transpose2d_output_padding_too_big(%x: tensor<1x4x5x5xf32>, %w: tensor<4x2x3x3xf32>) {
  // expected-error @+1 {{output_padding 2 in dimension 0 must be non-negative and less than the stride 2 or the dilation 1}}
  %0 = npu.conv_transpose2d %x, %w {strides = array<i64: 2, 2>, output_padding = array<i64: 2, 0>} : (tensor<1x4x5x5xf32>, tensor<4x2x3x3xf32>) -> tensor<1x2x13x11xf32>
  return
}

// -----

func.func @conv_transpose2d_output_padding_negative(%x: tensor<1x4x5x5xf32>, %w: tensor<4x2x3x3xf32>) {
  // expected-error @+1 {{output_padding -1 in dimension 1 must be non-negative and less than the stride 1 or the dilation 2}}
  %0 = npu.conv_transpose2d %x, %w {dilations = array<i64: 1, 2>, output_padding = array<i64: 0, -1>} : (tensor<1x4x5x5xf32>, tensor<4x2x3x3xf32>) -> tensor<1x2x7x8xf32>
  return
}

// -----

func.func @conv_transpose2d_zero_groups(%x: tensor<1x4x5x5xf32>, %w: tensor<4x2x3x3xf32>) {
  // expected-error @+1 {{groups must be positive, got 0}}
  %0 = npu.conv_transpose2d %x, %w {groups = 0 : i64} : (tensor<1x4x5x5xf32>, tensor<4x2x3x3xf32>) -> tensor<1x2x7x7xf32>
  return
}

// -----

func.func @conv_transpose2d_input_channels_groups(%x: tensor<1x4x5x5xf32>, %w: tensor<4x2x3x3xf32>) {
  // expected-error @+1 {{input channels 4 are not divisible by groups 3}}
  %0 = npu.conv_transpose2d %x, %w {groups = 3 : i64} : (tensor<1x4x5x5xf32>, tensor<4x2x3x3xf32>) -> tensor<1x6x7x7xf32>
  return
}

// -----

// The weight is C x M/groups x KH x KW: its first dimension is the input
// channels (not the output channels, as for conv2d).
func.func @conv_transpose2d_weight_channels(%x: tensor<1x4x5x5xf32>, %w: tensor<2x4x3x3xf32>) {
  // expected-error @+1 {{weight has 2 input channels but the input has 4}}
  %0 = npu.conv_transpose2d %x, %w : (tensor<1x4x5x5xf32>, tensor<2x4x3x3xf32>) -> tensor<1x4x7x7xf32>
  return
}

// -----

// The bias must have the element type of the input and the result.
func.func @conv_transpose2d_bias_element_type(%x: tensor<1x4x5x5xf32>, %w: tensor<4x2x3x3xf32>, %b: tensor<2xf16>) {
  // expected-error @+1 {{bias element type 'f16' differs from the input's 'f32'}}
  %0 = npu.conv_transpose2d %x, %w, %b : (tensor<1x4x5x5xf32>, tensor<4x2x3x3xf32>, tensor<2xf16>) -> tensor<1x2x7x7xf32>
  return
}

// -----

// Two groups of 2 output channels make 4.
func.func @conv_transpose2d_bias_size(%x: tensor<1x4x5x5xf32>, %w: tensor<4x2x3x3xf32>, %b: tensor<2xf32>) {
  // expected-error @+1 {{bias has 2 elements but the weight has 4 output channels (2 x 2 groups)}}
  %0 = npu.conv_transpose2d %x, %w, %b {groups = 2 : i64} : (tensor<1x4x5x5xf32>, tensor<4x2x3x3xf32>, tensor<2xf32>) -> tensor<1x4x7x7xf32>
  return
}

// -----

func.func @conv_transpose2d_empty_kernel(%x: tensor<1x4x5x5xf32>, %w: tensor<4x2x3x0xf32>) {
  // expected-error @+1 {{'npu.conv_transpose2d' op kernel sizes must be positive}}
  %0 = npu.conv_transpose2d %x, %w : (tensor<1x4x5x5xf32>, tensor<4x2x3x0xf32>) -> tensor<1x2x7x4xf32>
  return
}

// -----

// The full output has 1 * (5 - 1) + 3 = 7 rows; pads of 4 + 3 leave none.
func.func @conv_transpose2d_no_output(%x: tensor<1x4x5x5xf32>, %w: tensor<4x2x3x3xf32>) {
  // expected-error @+1 {{pads 4 and 3 leave no output in dimension 0 (the unpadded output has 7)}}
  %0 = npu.conv_transpose2d %x, %w {pads = array<i64: 4, 0, 3, 0>} : (tensor<1x4x5x5xf32>, tensor<4x2x3x3xf32>) -> tensor<1x2x1x7xf32>
  return
}

// -----

// out = stride * (in - 1) + output_padding + (k - 1) * dilation + 1 - pads:
// 2 * 4 + 1 + 2 + 1 - 1 - 1 = 10 rows, 1 * 4 + 0 + 4 + 1 - 0 - 2 = 7 columns.
func.func @conv_transpose2d_result_shape(%x: tensor<1x4x5x5xf32>, %w: tensor<4x2x3x3xf32>) {
  // expected-error @+1 {{result shape 1x2x9x9 does not match the expected 1x2x10x7}}
  %0 = npu.conv_transpose2d %x, %w {strides = array<i64: 2, 1>, dilations = array<i64: 1, 2>, pads = array<i64: 1, 0, 1, 2>, output_padding = array<i64: 1, 0>} : (tensor<1x4x5x5xf32>, tensor<4x2x3x3xf32>) -> tensor<1x2x9x9xf32>
  return
}

// -----

// The result has groups * M/groups channels.
func.func @conv_transpose2d_result_channels(%x: tensor<1x4x5x5xf32>, %w: tensor<4x2x3x3xf32>) {
  // expected-error @+1 {{result shape 1x2x7x7 does not match the expected 1x4x7x7}}
  %0 = npu.conv_transpose2d %x, %w {groups = 2 : i64} : (tensor<1x4x5x5xf32>, tensor<4x2x3x3xf32>) -> tensor<1x2x7x7xf32>
  return
}

// -----

// A dynamic dimension prints as '?'.
func.func @conv_transpose2d_result_shape_dynamic(%x: tensor<?x4x5x5xf32>, %w: tensor<4x2x3x3xf32>) {
  // expected-error @+1 {{result shape ?x2x7x7 does not match the expected ?x2x11x11}}
  %0 = npu.conv_transpose2d %x, %w {strides = array<i64: 2, 2>} : (tensor<?x4x5x5xf32>, tensor<4x2x3x3xf32>) -> tensor<?x2x7x7xf32>
  return
}

// -----

func.func @conv_transpose2d_input_rank(%x: tensor<4x5x5xf32>, %w: tensor<4x2x3x3xf32>) {
  // expected-error @+1 {{'npu.conv_transpose2d' op operand #0 must be 4D tensor of 32-bit float or 16-bit float or bfloat16 type values, but got 'tensor<4x5x5xf32>'}}
  %0 = npu.conv_transpose2d %x, %w : (tensor<4x5x5xf32>, tensor<4x2x3x3xf32>) -> tensor<1x2x7x7xf32>
  return
}

// -----

func.func @conv_transpose2d_element_types(%x: tensor<1x4x5x5xf32>, %w: tensor<4x2x3x3xbf16>) {
  // expected-error @+1 {{failed to verify that all of {input, weight, output} have same element type}}
  %0 = npu.conv_transpose2d %x, %w : (tensor<1x4x5x5xf32>, tensor<4x2x3x3xbf16>) -> tensor<1x2x7x7xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// matmul, gemm
//===----------------------------------------------------------------------===//

func.func @matmul_scalar(%x: tensor<f32>, %y: tensor<4xf32>) {
  // expected-error @+1 {{operands must have rank at least 1}}
  %0 = npu.matmul %x, %y : (tensor<f32>, tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @matmul_contracting(%x: tensor<8x16xf32>, %y: tensor<15x32xf32>) {
  // expected-error @+1 {{contracting dimensions differ: 16 vs 15}}
  %0 = npu.matmul %x, %y : (tensor<8x16xf32>, tensor<15x32xf32>) -> tensor<8x32xf32>
  return
}

// -----

func.func @matmul_vector_contracting(%x: tensor<8x16xf32>, %v: tensor<8xf32>) {
  // expected-error @+1 {{contracting dimensions differ: 16 vs 8}}
  %0 = npu.matmul %x, %v : (tensor<8x16xf32>, tensor<8xf32>) -> tensor<8xf32>
  return
}

// -----

func.func @matmul_batch(%x: tensor<2x8x16xf32>, %y: tensor<3x16x4xf32>) {
  // expected-error @+1 {{batch dimensions do not broadcast}}
  %0 = npu.matmul %x, %y : (tensor<2x8x16xf32>, tensor<3x16x4xf32>) -> tensor<2x8x4xf32>
  return
}

// -----

// The dimension added to a 1-D operand is removed from the result.
func.func @matmul_vector_result(%v: tensor<16xf32>, %m: tensor<16x32xf32>) {
  // expected-error @+1 {{result shape 1x32 does not match the expected 32}}
  %0 = npu.matmul %v, %m : (tensor<16xf32>, tensor<16x32xf32>) -> tensor<1x32xf32>
  return
}

// -----

func.func @matmul_element_types(%x: tensor<8x16xf32>, %y: tensor<16x32xf16>) {
  // expected-error @+1 {{failed to verify that all of {lhs, rhs, output} have same element type}}
  %0 = npu.matmul %x, %y : (tensor<8x16xf32>, tensor<16x32xf16>) -> tensor<8x32xf32>
  return
}

// -----

func.func @gemm_contracting_trans_a(%a: tensor<4x8xf32>, %b: tensor<8x3xf32>) {
  // expected-error @+1 {{contracting dimensions differ: 4 vs 8}}
  %0 = npu.gemm %a, %b {trans_a = true} : (tensor<4x8xf32>, tensor<8x3xf32>) -> tensor<8x3xf32>
  return
}

// -----

func.func @gemm_c_rank(%a: tensor<4x8xf32>, %b: tensor<8x3xf32>, %c: tensor<1x4x3xf32>) {
  // expected-error @+1 {{c must have rank at most 2, got 3}}
  %0 = npu.gemm %a, %b, %c : (tensor<4x8xf32>, tensor<8x3xf32>, tensor<1x4x3xf32>) -> tensor<4x3xf32>
  return
}

// -----

func.func @gemm_c_incompatible(%a: tensor<4x8xf32>, %b: tensor<8x3xf32>, %c: tensor<5xf32>) {
  // expected-error @+1 {{c does not broadcast to 4x3}}
  %0 = npu.gemm %a, %b, %c : (tensor<4x8xf32>, tensor<8x3xf32>, tensor<5xf32>) -> tensor<4x3xf32>
  return
}

// -----

// c may be stretched to M x N, not the other way round.
func.func @gemm_c_larger(%a: tensor<1x8xf32>, %b: tensor<8x3xf32>, %c: tensor<4x3xf32>) {
  // expected-error @+1 {{c does not broadcast to 1x3}}
  %0 = npu.gemm %a, %b, %c : (tensor<1x8xf32>, tensor<8x3xf32>, tensor<4x3xf32>) -> tensor<1x3xf32>
  return
}

// -----

func.func @gemm_c_dynamic_m(%a: tensor<?x4xf32>, %b: tensor<4x8xf32>, %c: tensor<3x5xf32>) {
  // expected-error @+1 {{c does not broadcast to ?x8}}
  %0 = npu.gemm %a, %b, %c : (tensor<?x4xf32>, tensor<4x8xf32>, tensor<3x5xf32>) -> tensor<?x8xf32>
  return
}

// -----

func.func @gemm_result_shape(%a: tensor<1x64xf32>, %w: tensor<10x64xf32>) {
  // expected-error @+1 {{result shape 1x64 does not match the expected 1x10}}
  %0 = npu.gemm %a, %w {trans_b = true} : (tensor<1x64xf32>, tensor<10x64xf32>) -> tensor<1x64xf32>
  return
}

// -----

func.func @gemm_rank(%a: tensor<64xf32>, %w: tensor<64x10xf32>) {
  // expected-error @+1 {{'npu.gemm' op operand #0 must be 2D tensor of 32-bit float or 16-bit float or bfloat16 type values, but got 'tensor<64xf32>'}}
  %0 = npu.gemm %a, %w : (tensor<64xf32>, tensor<64x10xf32>) -> tensor<1x10xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

func.func @add_incompatible(%x: tensor<2x10xf32>, %y: tensor<3x10xf32>) {
  // expected-error @+1 {{'npu.add' op operands don't have broadcast-compatible shapes}}
  %0 = npu.add %x, %y : (tensor<2x10xf32>, tensor<3x10xf32>) -> tensor<2x10xf32>
  return
}

// -----

func.func @prelu_result_shape(%x: tensor<1x4x2x2xf32>, %s: tensor<4x1x1xf32>) {
  // expected-error @+1 {{'npu.prelu' op result type '4x2x2' not broadcast compatible with broadcasted operands's shapes '1x4x2x2'}}
  %0 = npu.prelu %x, %s : (tensor<1x4x2x2xf32>, tensor<4x1x1xf32>) -> tensor<4x2x2xf32>
  return
}

// -----

func.func @mul_element_types(%x: tensor<4xf32>, %y: tensor<4xf16>) {
  // expected-error @+1 {{failed to verify that all of {lhs, rhs, output} have same element type}}
  %0 = npu.mul %x, %y : (tensor<4xf32>, tensor<4xf16>) -> tensor<4xf32>
  return
}

// -----

func.func @relu_integer(%x: tensor<4xi8>) {
  // expected-error @+1 {{'npu.relu' op operand #0 must be ranked tensor of 32-bit float or 16-bit float or bfloat16 type values, but got 'tensor<4xi8>'}}
  %0 = npu.relu %x : tensor<4xi8>
  return
}

// -----

func.func @clip_min_above_max(%x: tensor<4xf32>) {
  // expected-error @+1 {{'npu.clip' op min 6.000000e+00 must not exceed max 0.000000e+00}}
  %0 = npu.clip %x {min = 6.0 : f32, max = 0.0 : f32} : tensor<4xf32>
  return
}

// -----

func.func @clip_nan(%x: tensor<4xf32>) {
  // expected-error @+1 {{'npu.clip' op min 0.000000e+00 must not exceed max nan}}
  %0 = npu.clip %x {min = 0.0 : f32, max = 0x7FC00000 : f32} : tensor<4xf32>
  return
}

// -----

func.func @clip_missing_max(%x: tensor<4xf32>) {
  // expected-error @+1 {{'npu.clip' op requires attribute 'max'}}
  %0 = npu.clip %x {min = 0.0 : f32} : tensor<4xf32>
  return
}

// -----

func.func @softmax_axis(%x: tensor<1x10xf32>) {
  // expected-error @+1 {{'npu.softmax' op axis 2 is out of range for rank 2}}
  %0 = npu.softmax %x {axis = 2 : i64} : tensor<1x10xf32>
  return
}

// -----

func.func @softmax_negative_axis(%x: tensor<1x10xf32>) {
  // expected-error @+1 {{axis -3 is out of range for rank 2}}
  %0 = npu.softmax %x {axis = -3 : i64} : tensor<1x10xf32>
  return
}

// -----

func.func @batch_norm_rank(%x: tensor<16xf32>, %p: tensor<16xf32>) {
  // expected-error @+1 {{'npu.batch_norm' op input must have rank at least 2 (N x C x ...), got 1}}
  %0 = npu.batch_norm %x, %p, %p, %p, %p : tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>
  return
}

// -----

func.func @batch_norm_scale(%x: tensor<1x16x4x4xf32>, %s: tensor<8xf32>, %p: tensor<16xf32>) {
  // expected-error @+1 {{scale has 8 elements but the input has 16 channels}}
  %0 = npu.batch_norm %x, %s, %p, %p, %p : tensor<1x16x4x4xf32>, tensor<8xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>
  return
}

// -----

func.func @batch_norm_variance(%x: tensor<1x16x4x4xf32>, %v: tensor<17xf32>, %p: tensor<16xf32>) {
  // expected-error @+1 {{variance has 17 elements but the input has 16 channels}}
  %0 = npu.batch_norm %x, %p, %p, %p, %v : tensor<1x16x4x4xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<17xf32>
  return
}

// -----

func.func @batch_norm_epsilon(%x: tensor<1x16x4x4xf32>, %p: tensor<16xf32>) {
  // expected-error @+1 {{'npu.batch_norm' op epsilon must be a non-negative number, got}}
  %0 = npu.batch_norm %x, %p, %p, %p, %p {epsilon = -1.0e-05 : f32} : tensor<1x16x4x4xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>
  return
}

// -----

func.func @batch_norm_element_types(%x: tensor<1x16x4x4xf32>, %p: tensor<16xf32>, %h: tensor<16xf16>) {
  // expected-error @+1 {{failed to verify that all of {input, scale, bias, mean, variance} have same element type}}
  %0 = npu.batch_norm %x, %p, %p, %h, %p : tensor<1x16x4x4xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf16>, tensor<16xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// Pooling and reductions
//===----------------------------------------------------------------------===//

func.func @max_pool2d_kernel_rank(%x: tensor<1x4x8x8xf32>) {
  // expected-error @+1 {{'npu.max_pool2d' op expects a 2-D kernel, got 3 sizes}}
  %0 = npu.max_pool2d %x {kernel = array<i64: 2, 2, 2>} : tensor<1x4x8x8xf32> -> tensor<1x4x7x7xf32>
  return
}

// -----

func.func @max_pool2d_kernel_zero(%x: tensor<1x4x8x8xf32>) {
  // expected-error @+1 {{kernel sizes must be positive}}
  %0 = npu.max_pool2d %x {kernel = array<i64: 2, 0>} : tensor<1x4x8x8xf32> -> tensor<1x4x7x9xf32>
  return
}

// -----

func.func @avg_pool2d_zero_stride(%x: tensor<1x4x8x8xf32>) {
  // expected-error @+1 {{'npu.avg_pool2d' op strides must be positive, got 0}}
  %0 = npu.avg_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 0, 2>} : tensor<1x4x8x8xf32> -> tensor<1x4x4x4xf32>
  return
}

// -----

func.func @avg_pool2d_pad_not_below_kernel(%x: tensor<1x4x8x8xf32>) {
  // expected-error @+1 {{'npu.avg_pool2d' op pads must be smaller than the kernel}}
  %0 = npu.avg_pool2d %x {kernel = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 2>} : tensor<1x4x8x8xf32> -> tensor<1x4x7x9xf32>
  return
}

// -----

func.func @max_pool2d_kernel_too_big(%x: tensor<1x4x2x2xf32>) {
  // expected-error @+1 {{'npu.max_pool2d' op kernel does not fit the padded input}}
  %0 = npu.max_pool2d %x {kernel = array<i64: 3, 3>} : tensor<1x4x2x2xf32> -> tensor<1x4x1x1xf32>
  return
}

// -----

// ceil_mode rounds the window count up: 7 -> 4 with a 2x2 window, stride 2.
func.func @max_pool2d_ceil_shape(%x: tensor<1x4x7x7xf32>) {
  // expected-error @+1 {{result shape 1x4x3x3 does not match the expected 1x4x4x4}}
  %0 = npu.max_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, ceil_mode = true} : tensor<1x4x7x7xf32> -> tensor<1x4x3x3xf32>
  return
}

// -----

func.func @max_pool2d_missing_kernel(%x: tensor<1x4x8x8xf32>) {
  // expected-error @+1 {{'npu.max_pool2d' op requires attribute 'kernel'}}
  %0 = npu.max_pool2d %x : tensor<1x4x8x8xf32> -> tensor<1x4x8x8xf32>
  return
}

// -----

func.func @global_avg_pool_shape(%x: tensor<1x16x4x4xf32>) {
  // expected-error @+1 {{'npu.global_avg_pool' op result shape 1x16x2x2 does not match the expected 1x16x1x1}}
  %0 = npu.global_avg_pool %x : tensor<1x16x4x4xf32> -> tensor<1x16x2x2xf32>
  return
}

// -----

func.func @global_max_pool_channels(%x: tensor<1x16x4x4xf32>) {
  // expected-error @+1 {{'npu.global_max_pool' op result shape 1x8x1x1 does not match the expected 1x16x1x1}}
  %0 = npu.global_max_pool %x : tensor<1x16x4x4xf32> -> tensor<1x8x1x1xf32>
  return
}

// -----

func.func @reduce_mean_no_axes(%x: tensor<2x16xf32>) {
  // expected-error @+1 {{'npu.reduce_mean' op needs at least one axis}}
  %0 = npu.reduce_mean %x {axes = array<i64>} : tensor<2x16xf32> -> tensor<2x16xf32>
  return
}

// -----

func.func @reduce_sum_axis_range(%x: tensor<2x16x4x4xf32>) {
  // expected-error @+1 {{'npu.reduce_sum' op axis 4 is out of range for rank 4}}
  %0 = npu.reduce_sum %x {axes = array<i64: 4>} : tensor<2x16x4x4xf32> -> tensor<2x16x4x4xf32>
  return
}

// -----

func.func @reduce_max_axis_twice(%x: tensor<2x16x4x4xf32>) {
  // expected-error @+1 {{'npu.reduce_max' op axis -3 appears twice}}
  %0 = npu.reduce_max %x {axes = array<i64: 1, -3>} : tensor<2x16x4x4xf32> -> tensor<2x1x4x4xf32>
  return
}

// -----

func.func @reduce_mean_keepdims_false(%x: tensor<2x16x8x4xf32>) {
  // expected-error @+1 {{result shape 2x1x8x4 does not match the expected 2x8x4}}
  %0 = npu.reduce_mean %x {axes = array<i64: 1>, keepdims = false} : tensor<2x16x8x4xf32> -> tensor<2x1x8x4xf32>
  return
}

// -----

func.func @reduce_sum_keepdims_true(%x: tensor<2x16x8x4xf32>) {
  // expected-error @+1 {{result shape 2x8x4 does not match the expected 2x1x8x4}}
  %0 = npu.reduce_sum %x {axes = array<i64: 1>} : tensor<2x16x8x4xf32> -> tensor<2x8x4xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// Layout
//===----------------------------------------------------------------------===//

func.func @reshape_dynamic(%x: tensor<?x16xf32>) {
  // expected-error @+1 {{'npu.reshape' op requires static shapes}}
  %0 = npu.reshape %x : tensor<?x16xf32> -> tensor<16xf32>
  return
}

// -----

func.func @reshape_count(%x: tensor<4x16xf32>) {
  // expected-error @+1 {{'npu.reshape' op cannot reshape 64 elements into 60}}
  %0 = npu.reshape %x : tensor<4x16xf32> -> tensor<60xf32>
  return
}

// -----

func.func @reshape_element_type(%x: tensor<4x16xf32>) {
  // expected-error @+1 {{failed to verify that all of {input, output} have same element type}}
  %0 = npu.reshape %x : tensor<4x16xf32> -> tensor<64xf16>
  return
}

// -----

func.func @transpose_perm_size(%x: tensor<1x2x3x4xf32>) {
  // expected-error @+1 {{'npu.transpose' op perm has 3 entries but the input has rank 4}}
  %0 = npu.transpose %x {perm = array<i64: 0, 2, 1>} : tensor<1x2x3x4xf32> -> tensor<1x3x2x4xf32>
  return
}

// -----

func.func @transpose_repeated(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'npu.transpose' op perm is not a permutation of 0..1}}
  %0 = npu.transpose %x {perm = array<i64: 0, 0>} : tensor<2x3xf32> -> tensor<2x2xf32>
  return
}

// -----

func.func @transpose_out_of_range(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{perm is not a permutation of 0..1}}
  %0 = npu.transpose %x {perm = array<i64: 2, 0>} : tensor<2x3xf32> -> tensor<3x2xf32>
  return
}

// -----

func.func @transpose_result_shape(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{result shape 2x3 does not match the expected 3x2}}
  %0 = npu.transpose %x {perm = array<i64: 1, 0>} : tensor<2x3xf32> -> tensor<2x3xf32>
  return
}

// -----

func.func @concat_no_inputs() {
  // expected-error @+1 {{'npu.concat' op needs at least one input}}
  %0 = npu.concat {axis = 0 : i64} : () -> tensor<1xf32>
  return
}

// -----

func.func @concat_axis(%a: tensor<1x8x4x4xf32>) {
  // expected-error @+1 {{'npu.concat' op axis 4 is out of range for rank 4}}
  %0 = npu.concat %a, %a {axis = 4 : i64} : (tensor<1x8x4x4xf32>, tensor<1x8x4x4xf32>) -> tensor<1x8x4x8xf32>
  return
}

// -----

func.func @concat_rank(%a: tensor<1x8x4x4xf32>, %b: tensor<8x4x4xf32>) {
  // expected-error @+1 {{'npu.concat' op input 1 has rank 3 but input 0 has rank 4}}
  %0 = npu.concat %a, %b {axis = 1 : i64} : (tensor<1x8x4x4xf32>, tensor<8x4x4xf32>) -> tensor<1x16x4x4xf32>
  return
}

// -----

func.func @concat_element_type(%a: tensor<1x8x4x4xf32>, %b: tensor<1x8x4x4xf16>) {
  // expected-error @+1 {{'npu.concat' op input 2 has element type 'f16' but input 0 has 'f32'}}
  %0 = npu.concat %a, %a, %b {axis = 1 : i64} : (tensor<1x8x4x4xf32>, tensor<1x8x4x4xf32>, tensor<1x8x4x4xf16>) -> tensor<1x24x4x4xf32>
  return
}

// -----

func.func @concat_size(%a: tensor<1x8x4x4xf32>, %b: tensor<1x8x5x4xf32>) {
  // expected-error @+1 {{'npu.concat' op input 1 has size 5 in dimension 2 but input 0 has 4}}
  %0 = npu.concat %a, %b {axis = 1 : i64} : (tensor<1x8x4x4xf32>, tensor<1x8x5x4xf32>) -> tensor<1x16x4x4xf32>
  return
}

// -----

func.func @concat_result_element_type(%a: tensor<1x8x4x4xf32>) {
  // expected-error @+1 {{'npu.concat' op result element type 'f16' differs from the inputs' 'f32'}}
  %0 = npu.concat %a {axis = 1 : i64} : (tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf16>
  return
}

// -----

func.func @concat_result_shape(%a: tensor<1x8x4x4xf32>, %b: tensor<1x16x4x4xf32>) {
  // expected-error @+1 {{result shape 1x20x4x4 does not match the expected 1x24x4x4}}
  %0 = npu.concat %a, %b {axis = -3 : i64} : (tensor<1x8x4x4xf32>, tensor<1x16x4x4xf32>) -> tensor<1x20x4x4xf32>
  return
}

// -----

func.func @slice_offsets_count(%x: tensor<4x10xf32>) {
  // expected-error @+1 {{'npu.slice' op needs one offset and one stride per dimension (2)}}
  %0 = npu.slice %x {offsets = array<i64: 0>, strides = array<i64: 1, 1>} : tensor<4x10xf32> -> tensor<4x10xf32>
  return
}

// -----

func.func @slice_strides_count(%x: tensor<4x10xf32>) {
  // expected-error @+1 {{needs one offset and one stride per dimension (2)}}
  %0 = npu.slice %x {offsets = array<i64: 0, 0>, strides = array<i64: 1, 1, 1>} : tensor<4x10xf32> -> tensor<4x10xf32>
  return
}

// -----

func.func @slice_result_rank(%x: tensor<4x10xf32>) {
  // expected-error @+1 {{'npu.slice' op result rank 1 differs from the input rank 2}}
  %0 = npu.slice %x {offsets = array<i64: 0, 0>, strides = array<i64: 1, 1>} : tensor<4x10xf32> -> tensor<40xf32>
  return
}

// -----

func.func @slice_zero_stride(%x: tensor<4x10xf32>) {
  // expected-error @+1 {{'npu.slice' op stride of dimension 1 must be positive, got 0}}
  %0 = npu.slice %x {offsets = array<i64: 0, 0>, strides = array<i64: 1, 0>} : tensor<4x10xf32> -> tensor<4x1xf32>
  return
}

// -----

func.func @slice_negative_offset(%x: tensor<4x10xf32>) {
  // expected-error @+1 {{'npu.slice' op offset of dimension 0 must be non-negative, got -1}}
  %0 = npu.slice %x {offsets = array<i64: -1, 0>, strides = array<i64: 1, 1>} : tensor<4x10xf32> -> tensor<4x10xf32>
  return
}

// -----

func.func @slice_past_end(%x: tensor<4x10xf32>) {
  // expected-error @+1 {{'npu.slice' op slice of dimension 1 reads index 10 past its size 10}}
  %0 = npu.slice %x {offsets = array<i64: 0, 2>, strides = array<i64: 1, 2>} : tensor<4x10xf32> -> tensor<4x5xf32>
  return
}

// -----

func.func @pad_count(%x: tensor<1x3x8x8xf32>) {
  // expected-error @+1 {{'npu.pad' op expects 8 pads (begin and end of each dimension), got 4}}
  %0 = npu.pad %x {pads = array<i64: 1, 1, 1, 1>} : tensor<1x3x8x8xf32> -> tensor<1x3x10x10xf32>
  return
}

// -----

func.func @pad_negative(%x: tensor<1x3x8x8xf32>) {
  // expected-error @+1 {{'npu.pad' op pads must be non-negative, got 0 and -1 for dimension 3}}
  %0 = npu.pad %x {pads = array<i64: 0, 0, 0, 0, 0, 0, 0, -1>} : tensor<1x3x8x8xf32> -> tensor<1x3x8x7xf32>
  return
}

// -----

func.func @pad_reflect_too_wide(%x: tensor<1x3x8x8xf32>) {
  // expected-error @+1 {{'npu.pad' op reflect padding of dimension 2 must be smaller than its size 8}}
  %0 = npu.pad %x {pads = array<i64: 0, 0, 8, 0, 0, 0, 0, 0>, mode = #npu.pad_mode<reflect>} : tensor<1x3x8x8xf32> -> tensor<1x3x16x8xf32>
  return
}

// -----

func.func @pad_result_shape(%x: tensor<1x3x8x8xf32>) {
  // expected-error @+1 {{result shape 1x3x10x10 does not match the expected 1x3x9x10}}
  %0 = npu.pad %x {pads = array<i64: 0, 0, 1, 1, 0, 0, 0, 1>, mode = #npu.pad_mode<edge>} : tensor<1x3x8x8xf32> -> tensor<1x3x10x10xf32>
  return
}

// -----

func.func @pad_unknown_mode(%x: tensor<2x10xf32>) {
  // expected-error @+2 {{expected ::mlir::npu::PadMode to be one of: constant, reflect, edge}}
  // expected-error @+1 {{failed to parse NPU_PadModeAttr parameter 'value'}}
  %0 = npu.pad %x {pads = array<i64: 0, 0, 0, 0>, mode = #npu.pad_mode<mirror>} : tensor<2x10xf32> -> tensor<2x10xf32>
  return
}

// -----

func.func @resize_channels(%x: tensor<1x16x8x8xf32>) {
  // expected-error @+1 {{'npu.resize' op resizes only H and W, but dimension 1 changes from 16 to 8}}
  %0 = npu.resize %x : tensor<1x16x8x8xf32> -> tensor<1x8x16x16xf32>
  return
}

// -----

func.func @resize_batch(%x: tensor<1x16x8x8xf32>) {
  // expected-error @+1 {{'npu.resize' op resizes only H and W, but dimension 0 changes from 1 to 2}}
  %0 = npu.resize %x {mode = #npu.resize_mode<linear>} : tensor<1x16x8x8xf32> -> tensor<2x16x8x8xf32>
  return
}

// -----

func.func @resize_unknown_coordinate_mode(%x: tensor<1x16x8x8xf32>) {
  // expected-error @+2 {{expected ::mlir::npu::CoordinateMode to be one of: half_pixel, asymmetric, align_corners, pytorch_half_pixel}}
  // expected-error @+1 {{failed to parse NPU_CoordinateModeAttr parameter 'value'}}
  %0 = npu.resize %x {coordinate_mode = #npu.coordinate_mode<tf_crop_and_resize>} : tensor<1x16x8x8xf32> -> tensor<1x16x16x16xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// Quantization
//===----------------------------------------------------------------------===//

func.func @quantize_zero_scale(%x: tensor<1x16xf32>) {
  // expected-error @+1 {{'npu.quantize' op scale must be positive and finite, got 0.000000e+00}}
  %0 = npu.quantize %x {scale = 0.0 : f32} : tensor<1x16xf32> -> tensor<1x16xi8>
  return
}

// -----

func.func @quantize_infinite_scale(%x: tensor<1x16xf32>) {
  // expected-error @+1 {{'npu.quantize' op scale must be positive and finite, got INF}}
  %0 = npu.quantize %x {scale = 0x7F800000 : f32} : tensor<1x16xf32> -> tensor<1x16xi8>
  return
}

// -----

func.func @dequantize_negative_scale(%q: tensor<1x16xi8>) {
  // expected-error @+1 {{'npu.dequantize' op scale must be positive and finite, got -5.000000e-01}}
  %0 = npu.dequantize %q {scale = -0.5 : f32} : tensor<1x16xi8> -> tensor<1x16xf32>
  return
}

// -----

func.func @quantize_zero_point_i8(%x: tensor<1x16xf32>) {
  // expected-error @+1 {{'npu.quantize' op zero point 128 is outside the range [-128, 127] of 'i8'}}
  %0 = npu.quantize %x {scale = 1.0 : f32, zero_point = 128 : i64} : tensor<1x16xf32> -> tensor<1x16xi8>
  return
}

// -----

func.func @quantize_zero_point_ui8(%x: tensor<1x16xf32>) {
  // expected-error @+1 {{'npu.quantize' op zero point -1 is outside the range [0, 255] of 'ui8'}}
  %0 = npu.quantize %x {scale = 1.0 : f32, zero_point = -1 : i64} : tensor<1x16xf32> -> tensor<1x16xui8>
  return
}

// -----

func.func @dequantize_zero_point_ui8(%q: tensor<1x16xui8>) {
  // expected-error @+1 {{'npu.dequantize' op zero point 256 is outside the range [0, 255] of 'ui8'}}
  %0 = npu.dequantize %q {scale = 1.0 : f32, zero_point = 256 : i64} : tensor<1x16xui8> -> tensor<1x16xf32>
  return
}

// -----

func.func @quantize_shape(%x: tensor<1x16xf32>) {
  // expected-error @+1 {{'npu.quantize' op result shape 1x8 does not match the expected 1x16}}
  %0 = npu.quantize %x {scale = 1.0 : f32} : tensor<1x16xf32> -> tensor<1x8xi8>
  return
}

// -----

func.func @dequantize_shape(%q: tensor<1x16xi8>) {
  // expected-error @+1 {{'npu.dequantize' op result shape 16 does not match the expected 1x16}}
  %0 = npu.dequantize %q {scale = 1.0 : f32} : tensor<1x16xi8> -> tensor<16xf32>
  return
}

// -----

func.func @quantize_to_i16(%x: tensor<1x16xf32>) {
  // expected-error @+1 {{'npu.quantize' op result #0 must be ranked tensor of 8-bit signless integer or 8-bit unsigned integer values, but got 'tensor<1x16xi16>'}}
  %0 = npu.quantize %x {scale = 1.0 : f32} : tensor<1x16xf32> -> tensor<1x16xi16>
  return
}

// -----

func.func @dequantize_from_float(%x: tensor<1x16xf32>) {
  // expected-error @+1 {{'npu.dequantize' op operand #0 must be ranked tensor of 8-bit signless integer or 8-bit unsigned integer values, but got 'tensor<1x16xf32>'}}
  %0 = npu.dequantize %x {scale = 1.0 : f32} : tensor<1x16xf32> -> tensor<1x16xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// Programs, host IO, transfers, exit gates
//===----------------------------------------------------------------------===//

module {
  // expected-error @+1 {{'npu.program' op requires the enclosing module to carry an 'npu.system' attribute}}
  npu.program @p chip(0) {
  }
}

// -----

#p = #npu.power<active_mw = 1, idle_mw = 1, off_mw = 1, wake_cycles = 1, wake_energy_nj = 1>
#c0 = #npu.chip<id = 0, name = "a", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p>
#c1 = #npu.chip<id = 1, name = "b", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p>
#sys = #npu.system<name = "pair", topology = "switch", chips = [#c0, #c1], links = [#npu.link<a = 0, b = 1, bandwidth_gbps = 1, latency_ns = 1>], host = #npu.host<bandwidth_gbps = 1, latency_ns = 1>>
module attributes {npu.system = #sys} {
  // expected-error @+1 {{'npu.program' op chip 2 is not in system 'pair'}}
  npu.program @p chip(2) {
  }
}

// -----

#p = #npu.power<active_mw = 1, idle_mw = 1, off_mw = 1, wake_cycles = 1, wake_energy_nj = 1>
#c0 = #npu.chip<id = 0, name = "a", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p>
#c1 = #npu.chip<id = 1, name = "b", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p>
#sys = #npu.system<name = "pair", topology = "switch", chips = [#c0, #c1], links = [#npu.link<a = 0, b = 1, bandwidth_gbps = 1, latency_ns = 1>], host = #npu.host<bandwidth_gbps = 1, latency_ns = 1>>
module attributes {npu.system = #sys} {
  // expected-error @+1 {{'npu.program' op attribute 'chip' failed to satisfy constraint: 64-bit signless integer attribute whose value is non-negative}}
  npu.program @p chip(-1) {
  }
}

// -----

func.func @program_in_func() {
  // expected-error @+1 {{'npu.program' op expects parent op 'builtin.module'}}
  npu.program @p chip(0) {
  }
  return
}

// -----

func.func @input_outside_program() {
  // expected-error @+1 {{'npu.input' op expects parent op 'npu.program'}}
  %0 = npu.input "x" : tensor<4xf32>
  return
}

// -----

#p = #npu.power<active_mw = 1, idle_mw = 1, off_mw = 1, wake_cycles = 1, wake_energy_nj = 1>
#c0 = #npu.chip<id = 0, name = "a", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p>
#c1 = #npu.chip<id = 1, name = "b", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p>
#sys = #npu.system<name = "pair", topology = "switch", chips = [#c0, #c1], links = [#npu.link<a = 0, b = 1, bandwidth_gbps = 1, latency_ns = 1>], host = #npu.host<bandwidth_gbps = 1, latency_ns = 1>>
module attributes {npu.system = #sys} {
  npu.program @p chip(0) {
    // expected-error @+1 {{'npu.input' op name must not be empty}}
    %0 = npu.input "" : tensor<4xf32>
  }
}

// -----

#p = #npu.power<active_mw = 1, idle_mw = 1, off_mw = 1, wake_cycles = 1, wake_energy_nj = 1>
#c0 = #npu.chip<id = 0, name = "a", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p>
#c1 = #npu.chip<id = 1, name = "b", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p>
#sys = #npu.system<name = "pair", topology = "switch", chips = [#c0, #c1], links = [#npu.link<a = 0, b = 1, bandwidth_gbps = 1, latency_ns = 1>], host = #npu.host<bandwidth_gbps = 1, latency_ns = 1>>
module attributes {npu.system = #sys} {
  npu.program @p chip(0) {
    %0 = npu.input "x" : tensor<4xf32>
    // expected-error @+1 {{'npu.output' op name must not be empty}}
    npu.output "", %0 : tensor<4xf32>
  }
}

// -----

#p = #npu.power<active_mw = 1, idle_mw = 1, off_mw = 1, wake_cycles = 1, wake_energy_nj = 1>
#c0 = #npu.chip<id = 0, name = "a", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p>
#c1 = #npu.chip<id = 1, name = "b", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p>
#sys = #npu.system<name = "pair", topology = "switch", chips = [#c0, #c1], links = [#npu.link<a = 0, b = 1, bandwidth_gbps = 1, latency_ns = 1>], host = #npu.host<bandwidth_gbps = 1, latency_ns = 1>>
module attributes {npu.system = #sys} {
  npu.program @p chip(0) {
    %0 = npu.input "x" : tensor<4xf32>
    // expected-error @+1 {{'npu.send' op cannot send to its own chip 0}}
    npu.send %0 to chip(0) channel(0) : tensor<4xf32>
  }
}

// -----

#p = #npu.power<active_mw = 1, idle_mw = 1, off_mw = 1, wake_cycles = 1, wake_energy_nj = 1>
#c0 = #npu.chip<id = 0, name = "a", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p>
#c1 = #npu.chip<id = 1, name = "b", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p>
#sys = #npu.system<name = "pair", topology = "switch", chips = [#c0, #c1], links = [#npu.link<a = 0, b = 1, bandwidth_gbps = 1, latency_ns = 1>], host = #npu.host<bandwidth_gbps = 1, latency_ns = 1>>
module attributes {npu.system = #sys} {
  npu.program @p chip(1) {
    // expected-error @+1 {{'npu.recv' op cannot receive from its own chip 1}}
    %0 = npu.recv from chip(1) channel(0) : tensor<4xf32>
  }
}

// -----

#p = #npu.power<active_mw = 1, idle_mw = 1, off_mw = 1, wake_cycles = 1, wake_energy_nj = 1>
#c0 = #npu.chip<id = 0, name = "a", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p>
#c1 = #npu.chip<id = 1, name = "b", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p>
#sys = #npu.system<name = "pair", topology = "switch", chips = [#c0, #c1], links = [#npu.link<a = 0, b = 1, bandwidth_gbps = 1, latency_ns = 1>], host = #npu.host<bandwidth_gbps = 1, latency_ns = 1>>
module attributes {npu.system = #sys} {
  npu.program @p chip(0) {
    %0 = npu.input "x" : tensor<4xf32>
    // expected-error @+1 {{'npu.exit_gate' op cannot escalate to its own chip 0}}
    npu.exit_gate %0, %0 measure(max_prob) threshold(0.5) output("y") escalate chip(0) channel(0) : tensor<4xf32>, tensor<4xf32>
  }
}

// -----

#p = #npu.power<active_mw = 1, idle_mw = 1, off_mw = 1, wake_cycles = 1, wake_energy_nj = 1>
#c0 = #npu.chip<id = 0, name = "a", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p>
#c1 = #npu.chip<id = 1, name = "b", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p>
#sys = #npu.system<name = "pair", topology = "switch", chips = [#c0, #c1], links = [#npu.link<a = 0, b = 1, bandwidth_gbps = 1, latency_ns = 1>], host = #npu.host<bandwidth_gbps = 1, latency_ns = 1>>
module attributes {npu.system = #sys} {
  npu.program @p chip(0) {
    %0 = npu.input "x" : tensor<4xf32>
    // expected-error @+1 {{'npu.send' op chip 3 is not in system 'pair'}}
    npu.send %0 to chip(3) channel(0) : tensor<4xf32>
  }
}

// -----

#p = #npu.power<active_mw = 1, idle_mw = 1, off_mw = 1, wake_cycles = 1, wake_energy_nj = 1>
#c0 = #npu.chip<id = 0, name = "a", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p>
#c1 = #npu.chip<id = 1, name = "b", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p>
#sys = #npu.system<name = "pair", topology = "switch", chips = [#c0, #c1], links = [#npu.link<a = 0, b = 1, bandwidth_gbps = 1, latency_ns = 1>], host = #npu.host<bandwidth_gbps = 1, latency_ns = 1>>
module attributes {npu.system = #sys} {
  npu.program @p chip(1) {
    // expected-error @+1 {{'npu.recv' op chip 9 is not in system 'pair'}}
    %0 = npu.recv from chip(9) channel(0) : tensor<4xf32>
  }
}

// -----

#p = #npu.power<active_mw = 1, idle_mw = 1, off_mw = 1, wake_cycles = 1, wake_energy_nj = 1>
#c0 = #npu.chip<id = 0, name = "a", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p>
#c1 = #npu.chip<id = 1, name = "b", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p>
#sys = #npu.system<name = "pair", topology = "switch", chips = [#c0, #c1], links = [#npu.link<a = 0, b = 1, bandwidth_gbps = 1, latency_ns = 1>], host = #npu.host<bandwidth_gbps = 1, latency_ns = 1>>
module attributes {npu.system = #sys} {
  npu.program @p chip(0) {
    %0 = npu.input "x" : tensor<4xf32>
    // expected-error @+1 {{'npu.exit_gate' op chip 2 is not in system 'pair'}}
    npu.exit_gate %0, %0 measure(margin) threshold(0.5) output("y") escalate chip(2) channel(0) : tensor<4xf32>, tensor<4xf32>
  }
}

// -----

#p = #npu.power<active_mw = 1, idle_mw = 1, off_mw = 1, wake_cycles = 1, wake_energy_nj = 1>
#c0 = #npu.chip<id = 0, name = "a", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p>
#c1 = #npu.chip<id = 1, name = "b", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p>
#sys = #npu.system<name = "pair", topology = "switch", chips = [#c0, #c1], links = [#npu.link<a = 0, b = 1, bandwidth_gbps = 1, latency_ns = 1>], host = #npu.host<bandwidth_gbps = 1, latency_ns = 1>>
module attributes {npu.system = #sys} {
  npu.program @p chip(0) {
    %0 = npu.input "x" : tensor<4xf32>
    // expected-error @+1 {{'npu.send' op attribute 'channel' failed to satisfy constraint: 64-bit signless integer attribute whose value is non-negative}}
    npu.send %0 to chip(1) channel(-1) : tensor<4xf32>
  }
}

// -----

#p = #npu.power<active_mw = 1, idle_mw = 1, off_mw = 1, wake_cycles = 1, wake_energy_nj = 1>
#c0 = #npu.chip<id = 0, name = "a", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p>
#c1 = #npu.chip<id = 1, name = "b", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p>
#sys = #npu.system<name = "pair", topology = "switch", chips = [#c0, #c1], links = [#npu.link<a = 0, b = 1, bandwidth_gbps = 1, latency_ns = 1>], host = #npu.host<bandwidth_gbps = 1, latency_ns = 1>>
module attributes {npu.system = #sys} {
  npu.program @p chip(0) {
    %0 = npu.input "x" : tensor<1x10xf32>
    // expected-error @+1 {{'npu.exit_gate' op threshold 1.500000e+00 must be in [0, 1]}}
    npu.exit_gate %0 measure(max_prob) threshold(1.5) output("y") : tensor<1x10xf32>
  }
}

// -----

#p = #npu.power<active_mw = 1, idle_mw = 1, off_mw = 1, wake_cycles = 1, wake_energy_nj = 1>
#c0 = #npu.chip<id = 0, name = "a", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p>
#c1 = #npu.chip<id = 1, name = "b", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p>
#sys = #npu.system<name = "pair", topology = "switch", chips = [#c0, #c1], links = [#npu.link<a = 0, b = 1, bandwidth_gbps = 1, latency_ns = 1>], host = #npu.host<bandwidth_gbps = 1, latency_ns = 1>>
module attributes {npu.system = #sys} {
  npu.program @p chip(0) {
    %0 = npu.input "x" : tensor<1x10xf32>
    // expected-error @+1 {{'npu.exit_gate' op threshold -1.000000e-01 must be in [0, 1]}}
    npu.exit_gate %0 measure(entropy) threshold(-0.1) output("y") : tensor<1x10xf32>
  }
}

// -----

#p = #npu.power<active_mw = 1, idle_mw = 1, off_mw = 1, wake_cycles = 1, wake_energy_nj = 1>
#c0 = #npu.chip<id = 0, name = "a", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p>
#c1 = #npu.chip<id = 1, name = "b", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p>
#sys = #npu.system<name = "pair", topology = "switch", chips = [#c0, #c1], links = [#npu.link<a = 0, b = 1, bandwidth_gbps = 1, latency_ns = 1>], host = #npu.host<bandwidth_gbps = 1, latency_ns = 1>>
module attributes {npu.system = #sys} {
  npu.program @p chip(0) {
    %0 = npu.input "x" : tensor<2x10xf32>
    // expected-error @+1 {{'npu.exit_gate' op logits must be [classes] or [1, classes] with at least 2 classes, got 'tensor<2x10xf32>'}}
    npu.exit_gate %0 measure(max_prob) threshold(0.5) output("y") : tensor<2x10xf32>
  }
}

// -----

#p = #npu.power<active_mw = 1, idle_mw = 1, off_mw = 1, wake_cycles = 1, wake_energy_nj = 1>
#c0 = #npu.chip<id = 0, name = "a", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p>
#c1 = #npu.chip<id = 1, name = "b", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p>
#sys = #npu.system<name = "pair", topology = "switch", chips = [#c0, #c1], links = [#npu.link<a = 0, b = 1, bandwidth_gbps = 1, latency_ns = 1>], host = #npu.host<bandwidth_gbps = 1, latency_ns = 1>>
module attributes {npu.system = #sys} {
  npu.program @p chip(0) {
    %0 = npu.input "x" : tensor<1xf32>
    // expected-error @+1 {{logits must be [classes] or [1, classes] with at least 2 classes, got 'tensor<1xf32>'}}
    npu.exit_gate %0 measure(max_prob) threshold(0.5) output("y") : tensor<1xf32>
  }
}

// -----

#p = #npu.power<active_mw = 1, idle_mw = 1, off_mw = 1, wake_cycles = 1, wake_energy_nj = 1>
#c0 = #npu.chip<id = 0, name = "a", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p>
#c1 = #npu.chip<id = 1, name = "b", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p>
#sys = #npu.system<name = "pair", topology = "switch", chips = [#c0, #c1], links = [#npu.link<a = 0, b = 1, bandwidth_gbps = 1, latency_ns = 1>], host = #npu.host<bandwidth_gbps = 1, latency_ns = 1>>
module attributes {npu.system = #sys} {
  npu.program @p chip(0) {
    %0 = npu.input "x" : tensor<1x?xf32>
    // expected-error @+1 {{logits must be [classes] or [1, classes] with at least 2 classes, got 'tensor<1x?xf32>'}}
    npu.exit_gate %0 measure(max_prob) threshold(0.5) output("y") : tensor<1x?xf32>
  }
}

// -----

#p = #npu.power<active_mw = 1, idle_mw = 1, off_mw = 1, wake_cycles = 1, wake_energy_nj = 1>
#c0 = #npu.chip<id = 0, name = "a", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p>
#c1 = #npu.chip<id = 1, name = "b", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p>
#sys = #npu.system<name = "pair", topology = "switch", chips = [#c0, #c1], links = [#npu.link<a = 0, b = 1, bandwidth_gbps = 1, latency_ns = 1>], host = #npu.host<bandwidth_gbps = 1, latency_ns = 1>>
module attributes {npu.system = #sys} {
  npu.program @p chip(0) {
    %0 = npu.input "x" : tensor<1x1x10xf32>
    // expected-error @+1 {{'npu.exit_gate' op operand #0 must be 1D/2D tensor of 32-bit float or 16-bit float or bfloat16 type values, but got 'tensor<1x1x10xf32>'}}
    npu.exit_gate %0 measure(max_prob) threshold(0.5) output("y") : tensor<1x1x10xf32>
  }
}

// -----

#p = #npu.power<active_mw = 1, idle_mw = 1, off_mw = 1, wake_cycles = 1, wake_energy_nj = 1>
#c0 = #npu.chip<id = 0, name = "a", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p>
#c1 = #npu.chip<id = 1, name = "b", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p>
#sys = #npu.system<name = "pair", topology = "switch", chips = [#c0, #c1], links = [#npu.link<a = 0, b = 1, bandwidth_gbps = 1, latency_ns = 1>], host = #npu.host<bandwidth_gbps = 1, latency_ns = 1>>
module attributes {npu.system = #sys} {
  npu.program @p chip(0) {
    %0 = npu.input "x" : tensor<10xf32>
    // expected-error @+1 {{'npu.exit_gate' op output name must not be empty}}
    npu.exit_gate %0 measure(max_prob) threshold(0.5) output("") : tensor<10xf32>
  }
}

// -----

#p = #npu.power<active_mw = 1, idle_mw = 1, off_mw = 1, wake_cycles = 1, wake_energy_nj = 1>
#c0 = #npu.chip<id = 0, name = "a", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p>
#c1 = #npu.chip<id = 1, name = "b", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p>
#sys = #npu.system<name = "pair", topology = "switch", chips = [#c0, #c1], links = [#npu.link<a = 0, b = 1, bandwidth_gbps = 1, latency_ns = 1>], host = #npu.host<bandwidth_gbps = 1, latency_ns = 1>>
module attributes {npu.system = #sys} {
  npu.program @p chip(0) {
    %0 = npu.input "x" : tensor<10xf32>
    // expected-error @+1 {{'npu.exit_gate' op escalation needs features to send}}
    npu.exit_gate %0 measure(max_prob) threshold(0.5) output("y") escalate chip(1) channel(0) : tensor<10xf32>
  }
  npu.program @q chip(1) {
    %0 = npu.recv from chip(0) channel(0) : tensor<10xf32>
  }
}

// -----

#p = #npu.power<active_mw = 1, idle_mw = 1, off_mw = 1, wake_cycles = 1, wake_energy_nj = 1>
#c0 = #npu.chip<id = 0, name = "a", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p>
#c1 = #npu.chip<id = 1, name = "b", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p>
#sys = #npu.system<name = "pair", topology = "switch", chips = [#c0, #c1], links = [#npu.link<a = 0, b = 1, bandwidth_gbps = 1, latency_ns = 1>], host = #npu.host<bandwidth_gbps = 1, latency_ns = 1>>
module attributes {npu.system = #sys} {
  npu.program @p chip(0) {
    %0 = npu.input "x" : tensor<10xf32>
    // expected-error @+1 {{'npu.exit_gate' op features are sent only on escalation}}
    npu.exit_gate %0, %0 measure(max_prob) threshold(0.5) output("y") : tensor<10xf32>, tensor<10xf32>
  }
}

// -----

// The custom form cannot spell a chip without a channel; the generic form can.
#p = #npu.power<active_mw = 1, idle_mw = 1, off_mw = 1, wake_cycles = 1, wake_energy_nj = 1>
#c0 = #npu.chip<id = 0, name = "a", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p>
#c1 = #npu.chip<id = 1, name = "b", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p>
#sys = #npu.system<name = "pair", topology = "switch", chips = [#c0, #c1], links = [#npu.link<a = 0, b = 1, bandwidth_gbps = 1, latency_ns = 1>], host = #npu.host<bandwidth_gbps = 1, latency_ns = 1>>
module attributes {npu.system = #sys} {
  npu.program @p chip(0) {
    %0 = npu.input "x" : tensor<10xf32>
    // expected-error @+1 {{'npu.exit_gate' op escalation needs both a chip and a channel}}
    "npu.exit_gate"(%0, %0) <{measure = 0 : i32, threshold = 5.0e-01 : f32, output = "y", chip = 1 : i64, operandSegmentSizes = array<i32: 1, 1, 0>}> : (tensor<10xf32>, tensor<10xf32>) -> ()
  }
}

// -----

#p = #npu.power<active_mw = 1, idle_mw = 1, off_mw = 1, wake_cycles = 1, wake_energy_nj = 1>
#c0 = #npu.chip<id = 0, name = "a", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p>
#c1 = #npu.chip<id = 1, name = "b", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p>
#sys = #npu.system<name = "pair", topology = "switch", chips = [#c0, #c1], links = [#npu.link<a = 0, b = 1, bandwidth_gbps = 1, latency_ns = 1>], host = #npu.host<bandwidth_gbps = 1, latency_ns = 1>>
module attributes {npu.system = #sys} {
  npu.program @p chip(0) {
    %0 = npu.input "x" : tensor<10xf32>
    // expected-error @+1 {{'npu.exit_gate' op escalation needs both a chip and a channel}}
    "npu.exit_gate"(%0) <{measure = 0 : i32, threshold = 5.0e-01 : f32, output = "y", channel = 3 : i64, operandSegmentSizes = array<i32: 1, 0, 0>}> : (tensor<10xf32>) -> ()
  }
}

// -----

//===----------------------------------------------------------------------===//
// Module-wide checks (NPUDialect.cpp). The module's attributes are verified
// before the ops in it, so a malformed op must be reported by its own
// verifier, not crash the module check.
//===----------------------------------------------------------------------===//

#p = #npu.power<active_mw = 1, idle_mw = 1, off_mw = 1, wake_cycles = 1, wake_energy_nj = 1>
#c0 = #npu.chip<id = 0, name = "a", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p>
#c1 = #npu.chip<id = 1, name = "b", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p>
#sys = #npu.system<name = "pair", topology = "switch", chips = [#c0, #c1], links = [#npu.link<a = 0, b = 1, bandwidth_gbps = 1, latency_ns = 1>], host = #npu.host<bandwidth_gbps = 1, latency_ns = 1>>
module attributes {npu.system = #sys} {
  // expected-error @+1 {{'npu.program' op region #0 ('body') failed to verify constraint: region with 1 blocks}}
  "npu.program"() <{sym_name = "p", chip = 0 : i64}> ({}) : () -> ()
}

// -----

#p = #npu.power<active_mw = 1, idle_mw = 1, off_mw = 1, wake_cycles = 1, wake_energy_nj = 1>
#c0 = #npu.chip<id = 0, name = "a", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p>
#c1 = #npu.chip<id = 1, name = "b", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p>
#sys = #npu.system<name = "pair", topology = "switch", chips = [#c0, #c1], links = [#npu.link<a = 0, b = 1, bandwidth_gbps = 1, latency_ns = 1>], host = #npu.host<bandwidth_gbps = 1, latency_ns = 1>>
module attributes {npu.system = #sys} {
  npu.program @p chip(0) {
    // expected-error @+1 {{'npu.send' op requires a single operand}}
    "npu.send"() <{chip = 1 : i64, channel = 0 : i64}> : () -> ()
  }
}

// -----

#p = #npu.power<active_mw = 1, idle_mw = 1, off_mw = 1, wake_cycles = 1, wake_energy_nj = 1>
#c0 = #npu.chip<id = 0, name = "a", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p>
#c1 = #npu.chip<id = 1, name = "b", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p>
#sys = #npu.system<name = "pair", topology = "switch", chips = [#c0, #c1], links = [#npu.link<a = 0, b = 1, bandwidth_gbps = 1, latency_ns = 1>], host = #npu.host<bandwidth_gbps = 1, latency_ns = 1>>
module attributes {npu.system = #sys} {
  npu.program @p chip(0) {
    %0 = npu.input "x" : tensor<4xf32>
    // expected-error @+1 {{'npu.send' op requires attribute 'chip'}}
    "npu.send"(%0) <{channel = 0 : i64}> : (tensor<4xf32>) -> ()
  }
}

// -----

#p = #npu.power<active_mw = 1, idle_mw = 1, off_mw = 1, wake_cycles = 1, wake_energy_nj = 1>
#c0 = #npu.chip<id = 0, name = "a", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p>
#c1 = #npu.chip<id = 1, name = "b", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p>
#sys = #npu.system<name = "pair", topology = "switch", chips = [#c0, #c1], links = [#npu.link<a = 0, b = 1, bandwidth_gbps = 1, latency_ns = 1>], host = #npu.host<bandwidth_gbps = 1, latency_ns = 1>>
module attributes {npu.system = #sys} {
  npu.program @p chip(1) {
    // expected-error @+1 {{'npu.recv' op requires one result}}
    "npu.recv"() <{chip = 0 : i64, channel = 0 : i64}> : () -> ()
  }
}

// -----

#p = #npu.power<active_mw = 1, idle_mw = 1, off_mw = 1, wake_cycles = 1, wake_energy_nj = 1>
#c0 = #npu.chip<id = 0, name = "a", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p>
#c1 = #npu.chip<id = 1, name = "b", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p>
#sys = #npu.system<name = "pair", topology = "switch", chips = [#c0, #c1], links = [#npu.link<a = 0, b = 1, bandwidth_gbps = 1, latency_ns = 1>], host = #npu.host<bandwidth_gbps = 1, latency_ns = 1>>
module attributes {npu.system = #sys} {
  npu.program @first chip(0) {
  }
  // expected-error @+1 {{'npu.program' op chip 0 already has a program (first)}}
  npu.program @second chip(0) {
  }
}

// -----

#p = #npu.power<active_mw = 1, idle_mw = 1, off_mw = 1, wake_cycles = 1, wake_energy_nj = 1>
#c0 = #npu.chip<id = 0, name = "a", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p>
#c1 = #npu.chip<id = 1, name = "b", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p>
#sys = #npu.system<name = "pair", topology = "switch", chips = [#c0, #c1], links = [#npu.link<a = 0, b = 1, bandwidth_gbps = 1, latency_ns = 1>], host = #npu.host<bandwidth_gbps = 1, latency_ns = 1>>
module attributes {npu.system = #sys} {
  npu.program @p chip(0) {
    %0 = npu.input "x" : tensor<4xf32>
    npu.output "y", %0 : tensor<4xf32>
  }
  npu.program @q chip(1) {
    %0 = npu.input "x" : tensor<4xf32>
    // expected-error @+1 {{'npu.output' op output 'y' is already produced by another npu.output}}
    npu.output "y", %0 : tensor<4xf32>
  }
}

// -----

#p = #npu.power<active_mw = 1, idle_mw = 1, off_mw = 1, wake_cycles = 1, wake_energy_nj = 1>
#c0 = #npu.chip<id = 0, name = "a", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p>
#c1 = #npu.chip<id = 1, name = "b", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p>
#sys = #npu.system<name = "pair", topology = "switch", chips = [#c0, #c1], links = [#npu.link<a = 0, b = 1, bandwidth_gbps = 1, latency_ns = 1>], host = #npu.host<bandwidth_gbps = 1, latency_ns = 1>>
module attributes {npu.system = #sys} {
  npu.program @p chip(0) {
    %0 = npu.input "x" : tensor<4xf32>
    npu.send %0 to chip(1) channel(0) : tensor<4xf32>
    // expected-error @+1 {{'npu.send' op channel 0 from chip 0 to chip 1 already has a sender}}
    npu.send %0 to chip(1) channel(0) : tensor<4xf32>
  }
  npu.program @q chip(1) {
    %0 = npu.recv from chip(0) channel(0) : tensor<4xf32>
  }
}

// -----

// An escalating exit gate is a sender too.
#p = #npu.power<active_mw = 1, idle_mw = 1, off_mw = 1, wake_cycles = 1, wake_energy_nj = 1>
#c0 = #npu.chip<id = 0, name = "a", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p>
#c1 = #npu.chip<id = 1, name = "b", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p>
#sys = #npu.system<name = "pair", topology = "switch", chips = [#c0, #c1], links = [#npu.link<a = 0, b = 1, bandwidth_gbps = 1, latency_ns = 1>], host = #npu.host<bandwidth_gbps = 1, latency_ns = 1>>
module attributes {npu.system = #sys} {
  npu.program @p chip(0) {
    %0 = npu.input "x" : tensor<4xf32>
    npu.send %0 to chip(1) channel(2) : tensor<4xf32>
    // expected-error @+1 {{'npu.exit_gate' op channel 2 from chip 0 to chip 1 already has a sender}}
    npu.exit_gate %0, %0 measure(max_prob) threshold(0.5) output("y") escalate chip(1) channel(2) : tensor<4xf32>, tensor<4xf32>
  }
  npu.program @q chip(1) {
    %0 = npu.recv from chip(0) channel(2) : tensor<4xf32>
  }
}

// -----

#p = #npu.power<active_mw = 1, idle_mw = 1, off_mw = 1, wake_cycles = 1, wake_energy_nj = 1>
#c0 = #npu.chip<id = 0, name = "a", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p>
#c1 = #npu.chip<id = 1, name = "b", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p>
#sys = #npu.system<name = "pair", topology = "switch", chips = [#c0, #c1], links = [#npu.link<a = 0, b = 1, bandwidth_gbps = 1, latency_ns = 1>], host = #npu.host<bandwidth_gbps = 1, latency_ns = 1>>
module attributes {npu.system = #sys} {
  npu.program @p chip(0) {
    %0 = npu.input "x" : tensor<4xf32>
    npu.send %0 to chip(1) channel(0) : tensor<4xf32>
  }
  npu.program @q chip(1) {
    %0 = npu.recv from chip(0) channel(0) : tensor<4xf32>
    // expected-error @+1 {{'npu.recv' op channel 0 from chip 0 to chip 1 already has a receiver}}
    %1 = npu.recv from chip(0) channel(0) : tensor<4xf32>
  }
}

// -----

#p = #npu.power<active_mw = 1, idle_mw = 1, off_mw = 1, wake_cycles = 1, wake_energy_nj = 1>
#c0 = #npu.chip<id = 0, name = "a", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p>
#c1 = #npu.chip<id = 1, name = "b", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p>
#sys = #npu.system<name = "pair", topology = "switch", chips = [#c0, #c1], links = [#npu.link<a = 0, b = 1, bandwidth_gbps = 1, latency_ns = 1>], host = #npu.host<bandwidth_gbps = 1, latency_ns = 1>>
module attributes {npu.system = #sys} {
  npu.program @p chip(0) {
    %0 = npu.input "x" : tensor<4xf32>
    // expected-error @+1 {{'npu.send' op has no matching npu.recv in the program of chip 1 (from chip 0, channel 5)}}
    npu.send %0 to chip(1) channel(5) : tensor<4xf32>
  }
}

// -----

#p = #npu.power<active_mw = 1, idle_mw = 1, off_mw = 1, wake_cycles = 1, wake_energy_nj = 1>
#c0 = #npu.chip<id = 0, name = "a", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p>
#c1 = #npu.chip<id = 1, name = "b", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p>
#sys = #npu.system<name = "pair", topology = "switch", chips = [#c0, #c1], links = [#npu.link<a = 0, b = 1, bandwidth_gbps = 1, latency_ns = 1>], host = #npu.host<bandwidth_gbps = 1, latency_ns = 1>>
module attributes {npu.system = #sys} {
  npu.program @p chip(0) {
    %0 = npu.input "x" : tensor<4xf32>
    // expected-error @+1 {{'npu.exit_gate' op has no matching npu.recv in the program of chip 1 (from chip 0, channel 0)}}
    npu.exit_gate %0, %0 measure(max_prob) threshold(0.5) output("y") escalate chip(1) channel(0) : tensor<4xf32>, tensor<4xf32>
  }
  npu.program @q chip(1) {
  }
}

// -----

#p = #npu.power<active_mw = 1, idle_mw = 1, off_mw = 1, wake_cycles = 1, wake_energy_nj = 1>
#c0 = #npu.chip<id = 0, name = "a", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p>
#c1 = #npu.chip<id = 1, name = "b", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p>
#sys = #npu.system<name = "pair", topology = "switch", chips = [#c0, #c1], links = [#npu.link<a = 0, b = 1, bandwidth_gbps = 1, latency_ns = 1>], host = #npu.host<bandwidth_gbps = 1, latency_ns = 1>>
module attributes {npu.system = #sys} {
  npu.program @p chip(0) {
    %0 = npu.input "x" : tensor<4xf32>
    // expected-error @+1 {{'npu.send' op sends 'tensor<4xf32>' but the matching npu.recv on chip 1 expects 'tensor<4xf16>'}}
    npu.send %0 to chip(1) channel(0) : tensor<4xf32>
  }
  npu.program @q chip(1) {
    %0 = npu.recv from chip(0) channel(0) : tensor<4xf16>
  }
}

// -----

#p = #npu.power<active_mw = 1, idle_mw = 1, off_mw = 1, wake_cycles = 1, wake_energy_nj = 1>
#c0 = #npu.chip<id = 0, name = "a", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p>
#c1 = #npu.chip<id = 1, name = "b", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p>
#sys = #npu.system<name = "pair", topology = "switch", chips = [#c0, #c1], links = [#npu.link<a = 0, b = 1, bandwidth_gbps = 1, latency_ns = 1>], host = #npu.host<bandwidth_gbps = 1, latency_ns = 1>>
module attributes {npu.system = #sys} {
  npu.program @p chip(0) {
    %0 = npu.input "x" : tensor<4xf32>
    // expected-error @+1 {{'npu.exit_gate' op sends 'tensor<4xf32>' but the matching npu.recv on chip 1 expects 'tensor<2x2xf32>'}}
    npu.exit_gate %0, %0 measure(max_prob) threshold(0.5) output("y") escalate chip(1) channel(0) : tensor<4xf32>, tensor<4xf32>
  }
  npu.program @q chip(1) {
    %0 = npu.recv from chip(0) channel(0) : tensor<2x2xf32>
  }
}

// -----

#p = #npu.power<active_mw = 1, idle_mw = 1, off_mw = 1, wake_cycles = 1, wake_energy_nj = 1>
#c0 = #npu.chip<id = 0, name = "a", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p>
#c1 = #npu.chip<id = 1, name = "b", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p>
#sys = #npu.system<name = "pair", topology = "switch", chips = [#c0, #c1], links = [#npu.link<a = 0, b = 1, bandwidth_gbps = 1, latency_ns = 1>], host = #npu.host<bandwidth_gbps = 1, latency_ns = 1>>
module attributes {npu.system = #sys} {
  npu.program @q chip(1) {
    // expected-error @+1 {{'npu.recv' op has no matching npu.send in the program of chip 0 (to chip 1, channel 3)}}
    %0 = npu.recv from chip(0) channel(3) : tensor<4xf32>
  }
}

// -----

// A channel has a direction: a send from 0 to 1 does not pair with a receive
// on chip 0 from chip 1.
#p = #npu.power<active_mw = 1, idle_mw = 1, off_mw = 1, wake_cycles = 1, wake_energy_nj = 1>
#c0 = #npu.chip<id = 0, name = "a", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p>
#c1 = #npu.chip<id = 1, name = "b", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p>
#sys = #npu.system<name = "pair", topology = "switch", chips = [#c0, #c1], links = [#npu.link<a = 0, b = 1, bandwidth_gbps = 1, latency_ns = 1>], host = #npu.host<bandwidth_gbps = 1, latency_ns = 1>>
module attributes {npu.system = #sys} {
  npu.program @p chip(0) {
    %0 = npu.input "x" : tensor<4xf32>
    // expected-error @+1 {{'npu.send' op has no matching npu.recv in the program of chip 1 (from chip 0, channel 0)}}
    npu.send %0 to chip(1) channel(0) : tensor<4xf32>
    // expected-error @+1 {{'npu.recv' op has no matching npu.send in the program of chip 1 (to chip 0, channel 0)}}
    %1 = npu.recv from chip(1) channel(0) : tensor<4xf32>
  }
}

// -----

// A channel number names a channel between one pair of chips only.
#p = #npu.power<active_mw = 1, idle_mw = 1, off_mw = 1, wake_cycles = 1, wake_energy_nj = 1>
#c0 = #npu.chip<id = 0, name = "a", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p>
#c1 = #npu.chip<id = 1, name = "b", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p>
#sys = #npu.system<name = "pair", topology = "switch", chips = [#c0, #c1], links = [#npu.link<a = 0, b = 1, bandwidth_gbps = 1, latency_ns = 1>], host = #npu.host<bandwidth_gbps = 1, latency_ns = 1>>
module attributes {npu.system = #sys} {
  npu.program @p chip(0) {
    %0 = npu.input "x" : tensor<4xf32>
    npu.send %0 to chip(1) channel(0) : tensor<4xf32>
    // expected-error @+1 {{'npu.recv' op has no matching npu.send in the program of chip 1 (to chip 0, channel 0)}}
    %1 = npu.recv from chip(1) channel(0) : tensor<4xf32>
  }
  npu.program @q chip(1) {
    %0 = npu.recv from chip(0) channel(0) : tensor<4xf32>
  }
}

// -----

// expected-error @+1 {{unknown npu dialect attribute 'npu.foo'}}
module attributes {npu.foo = 1 : i64} {
}

// -----

// expected-error @+1 {{'npu.system' must be an #npu.system attribute}}
module attributes {npu.system = "e1-package"} {
}

// -----

#p = #npu.power<active_mw = 1, idle_mw = 1, off_mw = 1, wake_cycles = 1, wake_energy_nj = 1>
#c0 = #npu.chip<id = 0, name = "a", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p>
#c1 = #npu.chip<id = 1, name = "b", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p>
#sys = #npu.system<name = "pair", topology = "switch", chips = [#c0, #c1], links = [#npu.link<a = 0, b = 1, bandwidth_gbps = 1, latency_ns = 1>], host = #npu.host<bandwidth_gbps = 1, latency_ns = 1>>
// expected-error @+1 {{'npu.system' may only be attached to a module}}
func.func @f() attributes {npu.system = #sys} {
  return
}

// -----

// expected-error @+1 {{'npu.inputs' must be an array of #npu.tensor}}
module attributes {npu.inputs = "x"} {}

// -----

// expected-error @+1 {{'npu.outputs' must be an array of #npu.tensor, got 3 : i64}}
module attributes {npu.outputs = [3]} {}

// -----

// expected-error @+1 {{'npu.inputs' names 'x' twice}}
module attributes {npu.inputs = [#npu.tensor<"x" : tensor<4xf32>>, #npu.tensor<"x" : tensor<2xf32>>]} {}

// -----

// expected-error @+1 {{'npu.inputs' has a tensor without a name}}
module attributes {npu.inputs = [#npu.tensor<"" : tensor<4xf32>>]} {}

// -----

// expected-error @+1 {{'npu.outputs' tensor 'y' needs a static shape}}
module attributes {npu.outputs = [#npu.tensor<"y" : tensor<?xf32>>]} {}

// -----

// expected-error @+1 {{'npu.inputs' may only be attached to a module}}
func.func @f() attributes {npu.inputs = []} {
  return
}

