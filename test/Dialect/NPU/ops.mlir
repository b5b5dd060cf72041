// RUN: npu-opt %s --split-input-file | FileCheck %s
// RUN: npu-opt %s --split-input-file | npu-opt --split-input-file | FileCheck %s
// RUN: npu-opt %s --split-input-file --mlir-print-op-generic | npu-opt --split-input-file | FileCheck %s

// Round trip of every `npu` operation: custom form, custom form parsed back,
// and generic form parsed back all print the same custom form. Attributes
// equal to their default are elided; the others are printed.

//===----------------------------------------------------------------------===//
// Convolution.
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @conv2d_bias
// CHECK-SAME: (%[[X:.*]]: tensor<1x3x32x32xf32>, %[[W:.*]]: tensor<16x3x3x3xf32>, %[[B:.*]]: tensor<16xf32>)
// CHECK: %[[Y:.*]] = npu.conv2d %[[X]], %[[W]], %[[B]] {pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x3x32x32xf32>, tensor<16x3x3x3xf32>, tensor<16xf32>) -> tensor<1x16x16x16xf32>
// CHECK: return %[[Y]]
func.func @conv2d_bias(%x: tensor<1x3x32x32xf32>, %w: tensor<16x3x3x3xf32>,
                       %b: tensor<16xf32>) -> tensor<1x16x16x16xf32> {
  %y = npu.conv2d %x, %w, %b {strides = array<i64: 2, 2>,
                              pads = array<i64: 1, 1, 1, 1>}
      : (tensor<1x3x32x32xf32>, tensor<16x3x3x3xf32>, tensor<16xf32>)
      -> tensor<1x16x16x16xf32>
  return %y : tensor<1x16x16x16xf32>
}

// Every attribute spelled out with its default value: all are elided.
// CHECK-LABEL: func.func @conv2d_defaults
// CHECK-SAME: (%[[X:.*]]: tensor<1x3x32x32xf32>, %[[W:.*]]: tensor<16x3x3x3xf32>)
// CHECK: %{{.*}} = npu.conv2d %[[X]], %[[W]] : (tensor<1x3x32x32xf32>, tensor<16x3x3x3xf32>) -> tensor<1x16x30x30xf32>
func.func @conv2d_defaults(%x: tensor<1x3x32x32xf32>, %w: tensor<16x3x3x3xf32>)
    -> tensor<1x16x30x30xf32> {
  %y = npu.conv2d %x, %w {strides = array<i64: 1, 1>,
                          pads = array<i64: 0, 0, 0, 0>,
                          dilations = array<i64: 1, 1>, groups = 1 : i64}
      : (tensor<1x3x32x32xf32>, tensor<16x3x3x3xf32>) -> tensor<1x16x30x30xf32>
  return %y : tensor<1x16x30x30xf32>
}

// Two groups of 4 input channels, dilated kernel.
// CHECK-LABEL: func.func @conv2d_grouped
// CHECK: npu.conv2d %{{.*}}, %{{.*}} {dilations = array<i64: 2, 2>, groups = 2 : i64, pads = array<i64: 2, 2, 2, 2>} : (tensor<1x8x16x16xf16>, tensor<16x4x3x3xf16>) -> tensor<1x16x16x16xf16>
func.func @conv2d_grouped(%x: tensor<1x8x16x16xf16>, %w: tensor<16x4x3x3xf16>)
    -> tensor<1x16x16x16xf16> {
  %y = npu.conv2d %x, %w {groups = 2 : i64, dilations = array<i64: 2, 2>,
                          pads = array<i64: 2, 2, 2, 2>}
      : (tensor<1x8x16x16xf16>, tensor<16x4x3x3xf16>) -> tensor<1x16x16x16xf16>
  return %y : tensor<1x16x16x16xf16>
}

// Depthwise with a channel multiplier of 2 and asymmetric padding.
// CHECK-LABEL: func.func @conv2d_depthwise
// CHECK: npu.conv2d %{{.*}}, %{{.*}}, %{{.*}} {groups = 8 : i64, pads = array<i64: 0, 0, 1, 1>, strides = array<i64: 2, 2>} : (tensor<2x8x16x16xbf16>, tensor<16x1x3x3xbf16>, tensor<16xbf16>) -> tensor<2x16x8x8xbf16>
func.func @conv2d_depthwise(%x: tensor<2x8x16x16xbf16>, %w: tensor<16x1x3x3xbf16>,
                            %b: tensor<16xbf16>) -> tensor<2x16x8x8xbf16> {
  %y = npu.conv2d %x, %w, %b {groups = 8 : i64, strides = array<i64: 2, 2>,
                              pads = array<i64: 0, 0, 1, 1>}
      : (tensor<2x8x16x16xbf16>, tensor<16x1x3x3xbf16>, tensor<16xbf16>)
      -> tensor<2x16x8x8xbf16>
  return %y : tensor<2x16x8x8xbf16>
}

// A dynamic batch stays dynamic.
// CHECK-LABEL: func.func @conv2d_dynamic_batch
// CHECK: npu.conv2d %{{.*}}, %{{.*}} : (tensor<?x3x8x8xf32>, tensor<4x3x1x1xf32>) -> tensor<?x4x8x8xf32>
func.func @conv2d_dynamic_batch(%x: tensor<?x3x8x8xf32>, %w: tensor<4x3x1x1xf32>)
    -> tensor<?x4x8x8xf32> {
  %y = npu.conv2d %x, %w : (tensor<?x3x8x8xf32>, tensor<4x3x1x1xf32>)
      -> tensor<?x4x8x8xf32>
  return %y : tensor<?x4x8x8xf32>
}

// -----

// Transposed convolution: ONNX ConvTranspose weights are C x M/groups x KH x
// KW; 2 * (8 - 1) + 1 + 3 - 1 - 1 = 16.
// CHECK-LABEL: func.func @conv_transpose2d_bias
// CHECK-SAME: (%[[X:.*]]: tensor<1x16x8x8xf32>, %[[W:.*]]: tensor<16x8x3x3xf32>, %[[B:.*]]: tensor<8xf32>)
// CHECK: %[[Y:.*]] = npu.conv_transpose2d %[[X]], %[[W]], %[[B]] {output_padding = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x16x8x8xf32>, tensor<16x8x3x3xf32>, tensor<8xf32>) -> tensor<1x8x16x16xf32>
// CHECK: return %[[Y]]
func.func @conv_transpose2d_bias(%x: tensor<1x16x8x8xf32>,
                                 %w: tensor<16x8x3x3xf32>, %b: tensor<8xf32>)
    -> tensor<1x8x16x16xf32> {
  %y = npu.conv_transpose2d %x, %w, %b {strides = array<i64: 2, 2>,
                                        pads = array<i64: 1, 1, 1, 1>,
                                        output_padding = array<i64: 1, 1>}
      : (tensor<1x16x8x8xf32>, tensor<16x8x3x3xf32>, tensor<8xf32>)
      -> tensor<1x8x16x16xf32>
  return %y : tensor<1x8x16x16xf32>
}

// Every attribute spelled out with its default value: all are elided.
// CHECK-LABEL: func.func @conv_transpose2d_defaults
// CHECK: npu.conv_transpose2d %{{.*}}, %{{.*}} : (tensor<1x3x8x8xf32>, tensor<3x4x3x3xf32>) -> tensor<1x4x10x10xf32>
func.func @conv_transpose2d_defaults(%x: tensor<1x3x8x8xf32>,
                                     %w: tensor<3x4x3x3xf32>)
    -> tensor<1x4x10x10xf32> {
  %y = npu.conv_transpose2d %x, %w {strides = array<i64: 1, 1>,
                                    pads = array<i64: 0, 0, 0, 0>,
                                    dilations = array<i64: 1, 1>,
                                    output_padding = array<i64: 0, 0>,
                                    groups = 1 : i64}
      : (tensor<1x3x8x8xf32>, tensor<3x4x3x3xf32>) -> tensor<1x4x10x10xf32>
  return %y : tensor<1x4x10x10xf32>
}

// Two groups of 4 input and 3 output channels (M = 3 * 2), a dilated kernel,
// output_padding below the dilation: 1 * 7 + 1 + 2 * 2 + 1 - 0 - 0 = 13 rows,
// 3 * 7 + 0 + 2 + 1 - 2 - 1 = 21 columns.
// CHECK-LABEL: func.func @conv_transpose2d_grouped
// CHECK: npu.conv_transpose2d %{{.*}}, %{{.*}} {dilations = array<i64: 2, 1>, groups = 2 : i64, output_padding = array<i64: 1, 0>, pads = array<i64: 0, 2, 0, 1>, strides = array<i64: 1, 3>} : (tensor<2x8x8x8xf16>, tensor<8x3x3x3xf16>) -> tensor<2x6x13x21xf16>
func.func @conv_transpose2d_grouped(%x: tensor<2x8x8x8xf16>,
                                    %w: tensor<8x3x3x3xf16>)
    -> tensor<2x6x13x21xf16> {
  %y = npu.conv_transpose2d %x, %w {groups = 2 : i64,
                                    dilations = array<i64: 2, 1>,
                                    strides = array<i64: 1, 3>,
                                    pads = array<i64: 0, 2, 0, 1>,
                                    output_padding = array<i64: 1, 0>}
      : (tensor<2x8x8x8xf16>, tensor<8x3x3x3xf16>) -> tensor<2x6x13x21xf16>
  return %y : tensor<2x6x13x21xf16>
}

// Dynamic batch and width stay dynamic.
// CHECK-LABEL: func.func @conv_transpose2d_dynamic
// CHECK: npu.conv_transpose2d %{{.*}}, %{{.*}} {strides = array<i64: 2, 2>} : (tensor<?x3x4x?xbf16>, tensor<3x2x2x2xbf16>) -> tensor<?x2x8x?xbf16>
func.func @conv_transpose2d_dynamic(%x: tensor<?x3x4x?xbf16>,
                                    %w: tensor<3x2x2x2xbf16>)
    -> tensor<?x2x8x?xbf16> {
  %y = npu.conv_transpose2d %x, %w {strides = array<i64: 2, 2>}
      : (tensor<?x3x4x?xbf16>, tensor<3x2x2x2xbf16>) -> tensor<?x2x8x?xbf16>
  return %y : tensor<?x2x8x?xbf16>
}

// -----

//===----------------------------------------------------------------------===//
// Matrix products.
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @matmul
// CHECK-SAME: (%[[A:.*]]: tensor<8x16xf32>, %[[B:.*]]: tensor<16x32xf32>)
// CHECK: %[[Y:.*]] = npu.matmul %[[A]], %[[B]] : (tensor<8x16xf32>, tensor<16x32xf32>) -> tensor<8x32xf32>
// CHECK: return %[[Y]]
func.func @matmul(%a: tensor<8x16xf32>, %b: tensor<16x32xf32>) -> tensor<8x32xf32> {
  %y = npu.matmul %a, %b : (tensor<8x16xf32>, tensor<16x32xf32>) -> tensor<8x32xf32>
  return %y : tensor<8x32xf32>
}

// CHECK-LABEL: func.func @matmul_batched
// CHECK: npu.matmul %{{.*}}, %{{.*}} : (tensor<4x8x16xf32>, tensor<16x32xf32>) -> tensor<4x8x32xf32>
// CHECK: npu.matmul %{{.*}}, %{{.*}} : (tensor<2x1x8x16xf16>, tensor<3x16x4xf16>) -> tensor<2x3x8x4xf16>
func.func @matmul_batched(%a: tensor<4x8x16xf32>, %b: tensor<16x32xf32>,
                          %c: tensor<2x1x8x16xf16>, %d: tensor<3x16x4xf16>)
    -> (tensor<4x8x32xf32>, tensor<2x3x8x4xf16>) {
  %y = npu.matmul %a, %b : (tensor<4x8x16xf32>, tensor<16x32xf32>)
      -> tensor<4x8x32xf32>
  %z = npu.matmul %c, %d : (tensor<2x1x8x16xf16>, tensor<3x16x4xf16>)
      -> tensor<2x3x8x4xf16>
  return %y, %z : tensor<4x8x32xf32>, tensor<2x3x8x4xf16>
}

// A 1-D operand is promoted to a matrix, and the added dimension removed.
// CHECK-LABEL: func.func @matmul_vectors
// CHECK: npu.matmul %{{.*}}, %{{.*}} : (tensor<16xf32>, tensor<16x32xf32>) -> tensor<32xf32>
// CHECK: npu.matmul %{{.*}}, %{{.*}} : (tensor<8x16xf32>, tensor<16xf32>) -> tensor<8xf32>
// CHECK: npu.matmul %{{.*}}, %{{.*}} : (tensor<16xf32>, tensor<16xf32>) -> tensor<f32>
// CHECK: npu.matmul %{{.*}}, %{{.*}} : (tensor<16xf32>, tensor<5x16x2xf32>) -> tensor<5x2xf32>
func.func @matmul_vectors(%v: tensor<16xf32>, %m: tensor<16x32xf32>,
                          %n: tensor<8x16xf32>, %b: tensor<5x16x2xf32>)
    -> (tensor<32xf32>, tensor<8xf32>, tensor<f32>, tensor<5x2xf32>) {
  %0 = npu.matmul %v, %m : (tensor<16xf32>, tensor<16x32xf32>) -> tensor<32xf32>
  %1 = npu.matmul %n, %v : (tensor<8x16xf32>, tensor<16xf32>) -> tensor<8xf32>
  %2 = npu.matmul %v, %v : (tensor<16xf32>, tensor<16xf32>) -> tensor<f32>
  %3 = npu.matmul %v, %b : (tensor<16xf32>, tensor<5x16x2xf32>) -> tensor<5x2xf32>
  return %0, %1, %2, %3 : tensor<32xf32>, tensor<8xf32>, tensor<f32>, tensor<5x2xf32>
}

// CHECK-LABEL: func.func @matmul_dynamic
// CHECK: npu.matmul %{{.*}}, %{{.*}} : (tensor<?x16xf32>, tensor<16x?xf32>) -> tensor<?x?xf32>
func.func @matmul_dynamic(%a: tensor<?x16xf32>, %b: tensor<16x?xf32>)
    -> tensor<?x?xf32> {
  %y = npu.matmul %a, %b : (tensor<?x16xf32>, tensor<16x?xf32>) -> tensor<?x?xf32>
  return %y : tensor<?x?xf32>
}

// CHECK-LABEL: func.func @gemm_plain
// CHECK-SAME: (%[[A:.*]]: tensor<4x8xf32>, %[[B:.*]]: tensor<8x3xf32>)
// CHECK: npu.gemm %[[A]], %[[B]] : (tensor<4x8xf32>, tensor<8x3xf32>) -> tensor<4x3xf32>
func.func @gemm_plain(%a: tensor<4x8xf32>, %b: tensor<8x3xf32>) -> tensor<4x3xf32> {
  %y = npu.gemm %a, %b {alpha = 1.0 : f32, beta = 1.0 : f32, trans_a = false,
                        trans_b = false}
      : (tensor<4x8xf32>, tensor<8x3xf32>) -> tensor<4x3xf32>
  return %y : tensor<4x3xf32>
}

// CHECK-LABEL: func.func @gemm_bias_trans_b
// CHECK-SAME: (%[[A:.*]]: tensor<1x64xf32>, %[[W:.*]]: tensor<10x64xf32>, %[[C:.*]]: tensor<10xf32>)
// CHECK: npu.gemm %[[A]], %[[W]], %[[C]] {trans_b = true} : (tensor<1x64xf32>, tensor<10x64xf32>, tensor<10xf32>) -> tensor<1x10xf32>
func.func @gemm_bias_trans_b(%a: tensor<1x64xf32>, %w: tensor<10x64xf32>,
                             %c: tensor<10xf32>) -> tensor<1x10xf32> {
  %y = npu.gemm %a, %w, %c {trans_b = true}
      : (tensor<1x64xf32>, tensor<10x64xf32>, tensor<10xf32>) -> tensor<1x10xf32>
  return %y : tensor<1x10xf32>
}

// CHECK-LABEL: func.func @gemm_trans_a_scaled
// CHECK: npu.gemm %{{.*}}, %{{.*}}, %{{.*}} {alpha = 5.000000e-01 : f32, beta = 2.000000e+00 : f32, trans_a = true, trans_b = true} : (tensor<8x4xf32>, tensor<3x8xf32>, tensor<4x1xf32>) -> tensor<4x3xf32>
// CHECK: npu.gemm %{{.*}}, %{{.*}}, %{{.*}} {trans_a = true} : (tensor<8x4xf32>, tensor<8x3xf32>, tensor<f32>) -> tensor<4x3xf32>
func.func @gemm_trans_a_scaled(%a: tensor<8x4xf32>, %b: tensor<3x8xf32>,
                               %c: tensor<4x1xf32>, %d: tensor<8x3xf32>,
                               %s: tensor<f32>)
    -> (tensor<4x3xf32>, tensor<4x3xf32>) {
  %y = npu.gemm %a, %b, %c {alpha = 0.5 : f32, beta = 2.0 : f32,
                            trans_a = true, trans_b = true}
      : (tensor<8x4xf32>, tensor<3x8xf32>, tensor<4x1xf32>) -> tensor<4x3xf32>
  %z = npu.gemm %a, %d, %s {trans_a = true}
      : (tensor<8x4xf32>, tensor<8x3xf32>, tensor<f32>) -> tensor<4x3xf32>
  return %y, %z : tensor<4x3xf32>, tensor<4x3xf32>
}

// A dynamic M accepts any number of rows of c.
// CHECK-LABEL: func.func @gemm_dynamic
// CHECK: npu.gemm %{{.*}}, %{{.*}}, %{{.*}} : (tensor<?x4xf32>, tensor<4x8xf32>, tensor<3x8xf32>) -> tensor<?x8xf32>
func.func @gemm_dynamic(%a: tensor<?x4xf32>, %b: tensor<4x8xf32>,
                        %c: tensor<3x8xf32>) -> tensor<?x8xf32> {
  %y = npu.gemm %a, %b, %c
      : (tensor<?x4xf32>, tensor<4x8xf32>, tensor<3x8xf32>) -> tensor<?x8xf32>
  return %y : tensor<?x8xf32>
}

// -----

//===----------------------------------------------------------------------===//
// Elementwise binary operations with numpy broadcasting.
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @binary
// CHECK-SAME: (%[[A:.*]]: tensor<1x16x8x8xf32>, %[[B:.*]]: tensor<16x1x1xf32>, %[[S:.*]]: tensor<1xf32>)
// CHECK: %[[ADD:.*]] = npu.add %[[A]], %[[A]] : (tensor<1x16x8x8xf32>, tensor<1x16x8x8xf32>) -> tensor<1x16x8x8xf32>
// CHECK: %[[SUB:.*]] = npu.sub %[[ADD]], %[[B]] : (tensor<1x16x8x8xf32>, tensor<16x1x1xf32>) -> tensor<1x16x8x8xf32>
// CHECK: %[[MUL:.*]] = npu.mul %[[S]], %[[SUB]] : (tensor<1xf32>, tensor<1x16x8x8xf32>) -> tensor<1x16x8x8xf32>
// CHECK: %[[DIV:.*]] = npu.div %[[MUL]], %[[B]] : (tensor<1x16x8x8xf32>, tensor<16x1x1xf32>) -> tensor<1x16x8x8xf32>
// CHECK: %[[MAX:.*]] = npu.max %[[DIV]], %[[S]] : (tensor<1x16x8x8xf32>, tensor<1xf32>) -> tensor<1x16x8x8xf32>
// CHECK: %[[MIN:.*]] = npu.min %[[MAX]], %[[A]] : (tensor<1x16x8x8xf32>, tensor<1x16x8x8xf32>) -> tensor<1x16x8x8xf32>
// CHECK: %[[POW:.*]] = npu.pow %[[MIN]], %[[S]] : (tensor<1x16x8x8xf32>, tensor<1xf32>) -> tensor<1x16x8x8xf32>
// CHECK: %[[PRELU:.*]] = npu.prelu %[[POW]], %[[B]] : (tensor<1x16x8x8xf32>, tensor<16x1x1xf32>) -> tensor<1x16x8x8xf32>
// CHECK: return %[[PRELU]]
func.func @binary(%a: tensor<1x16x8x8xf32>, %b: tensor<16x1x1xf32>,
                  %s: tensor<1xf32>) -> tensor<1x16x8x8xf32> {
  %0 = npu.add %a, %a : (tensor<1x16x8x8xf32>, tensor<1x16x8x8xf32>) -> tensor<1x16x8x8xf32>
  %1 = npu.sub %0, %b : (tensor<1x16x8x8xf32>, tensor<16x1x1xf32>) -> tensor<1x16x8x8xf32>
  %2 = npu.mul %s, %1 : (tensor<1xf32>, tensor<1x16x8x8xf32>) -> tensor<1x16x8x8xf32>
  %3 = npu.div %2, %b : (tensor<1x16x8x8xf32>, tensor<16x1x1xf32>) -> tensor<1x16x8x8xf32>
  %4 = npu.max %3, %s : (tensor<1x16x8x8xf32>, tensor<1xf32>) -> tensor<1x16x8x8xf32>
  %5 = npu.min %4, %a : (tensor<1x16x8x8xf32>, tensor<1x16x8x8xf32>) -> tensor<1x16x8x8xf32>
  %6 = npu.pow %5, %s : (tensor<1x16x8x8xf32>, tensor<1xf32>) -> tensor<1x16x8x8xf32>
  %7 = npu.prelu %6, %b : (tensor<1x16x8x8xf32>, tensor<16x1x1xf32>) -> tensor<1x16x8x8xf32>
  return %7 : tensor<1x16x8x8xf32>
}

// Both operands stretched: 4x1 and 1x3 broadcast to 4x3.
// CHECK-LABEL: func.func @binary_both_broadcast
// CHECK: npu.add %{{.*}}, %{{.*}} : (tensor<4x1xf16>, tensor<1x3xf16>) -> tensor<4x3xf16>
func.func @binary_both_broadcast(%a: tensor<4x1xf16>, %b: tensor<1x3xf16>)
    -> tensor<4x3xf16> {
  %0 = npu.add %a, %b : (tensor<4x1xf16>, tensor<1x3xf16>) -> tensor<4x3xf16>
  return %0 : tensor<4x3xf16>
}

// -----

//===----------------------------------------------------------------------===//
// Activations, softmax, batch normalization.
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @unary
// CHECK-SAME: (%[[X:.*]]: tensor<1x16x8x8xf32>)
// CHECK: %[[RELU:.*]] = npu.relu %[[X]] : tensor<1x16x8x8xf32>
// CHECK: %[[SIG:.*]] = npu.sigmoid %[[RELU]] : tensor<1x16x8x8xf32>
// CHECK: %[[TANH:.*]] = npu.tanh %[[SIG]] : tensor<1x16x8x8xf32>
// CHECK: %[[EXP:.*]] = npu.exp %[[TANH]] : tensor<1x16x8x8xf32>
// CHECK: %[[SQRT:.*]] = npu.sqrt %[[EXP]] : tensor<1x16x8x8xf32>
// CHECK: %[[HSW:.*]] = npu.hard_swish %[[SQRT]] : tensor<1x16x8x8xf32>
// CHECK: return %[[HSW]]
func.func @unary(%x: tensor<1x16x8x8xf32>) -> tensor<1x16x8x8xf32> {
  %0 = npu.relu %x : tensor<1x16x8x8xf32>
  %1 = npu.sigmoid %0 : tensor<1x16x8x8xf32>
  %2 = npu.tanh %1 : tensor<1x16x8x8xf32>
  %3 = npu.exp %2 : tensor<1x16x8x8xf32>
  %4 = npu.sqrt %3 : tensor<1x16x8x8xf32>
  %5 = npu.hard_swish %4 : tensor<1x16x8x8xf32>
  return %5 : tensor<1x16x8x8xf32>
}

// CHECK-LABEL: func.func @unary_attrs
// CHECK: npu.leaky_relu %{{.*}} : tensor<2x5xbf16>
// CHECK: npu.leaky_relu %{{.*}} {alpha = 1.000000e-01 : f32} : tensor<2x5xbf16>
// CHECK: npu.hard_sigmoid %{{.*}} : tensor<2x5xbf16>
// CHECK: npu.hard_sigmoid %{{.*}} {alpha = 2.500000e-01 : f32, beta = 3.750000e-01 : f32} : tensor<2x5xbf16>
// CHECK: npu.gelu %{{.*}} : tensor<2x5xbf16>
// CHECK: npu.gelu %{{.*}} {approximate = true} : tensor<2x5xbf16>
// CHECK: npu.clip %{{.*}} {max = 6.000000e+00 : f32, min = 0.000000e+00 : f32} : tensor<2x5xbf16>
// CHECK: npu.clip %{{.*}} {max = 1.000000e+00 : f32, min = 1.000000e+00 : f32} : tensor<2x5xbf16>
func.func @unary_attrs(%x: tensor<2x5xbf16>) -> tensor<2x5xbf16> {
  %0 = npu.leaky_relu %x {alpha = 0.01 : f32} : tensor<2x5xbf16>
  %1 = npu.leaky_relu %0 {alpha = 0.1 : f32} : tensor<2x5xbf16>
  %2 = npu.hard_sigmoid %1 : tensor<2x5xbf16>
  %3 = npu.hard_sigmoid %2 {alpha = 0.25 : f32, beta = 0.375 : f32} : tensor<2x5xbf16>
  %4 = npu.gelu %3 {approximate = false} : tensor<2x5xbf16>
  %5 = npu.gelu %4 {approximate = true} : tensor<2x5xbf16>
  %6 = npu.clip %5 {min = 0.0 : f32, max = 6.0 : f32} : tensor<2x5xbf16>
  %7 = npu.clip %6 {min = 1.0 : f32, max = 1.0 : f32} : tensor<2x5xbf16>
  return %7 : tensor<2x5xbf16>
}

// CHECK-LABEL: func.func @softmax
// CHECK: npu.softmax %{{.*}} : tensor<1x10xf32>
// CHECK: npu.softmax %{{.*}} {axis = 0 : i64} : tensor<1x10xf32>
// CHECK: npu.softmax %{{.*}} {axis = -2 : i64} : tensor<1x10xf32>
func.func @softmax(%x: tensor<1x10xf32>) -> tensor<1x10xf32> {
  %0 = npu.softmax %x {axis = -1 : i64} : tensor<1x10xf32>
  %1 = npu.softmax %0 {axis = 0 : i64} : tensor<1x10xf32>
  %2 = npu.softmax %1 {axis = -2 : i64} : tensor<1x10xf32>
  return %2 : tensor<1x10xf32>
}

// CHECK-LABEL: func.func @batch_norm
// CHECK-SAME: (%[[X:.*]]: tensor<1x16x8x8xf32>, %[[S:.*]]: tensor<16xf32>, %[[B:.*]]: tensor<16xf32>, %[[M:.*]]: tensor<16xf32>, %[[V:.*]]: tensor<16xf32>)
// CHECK: %[[Y:.*]] = npu.batch_norm %[[X]], %[[S]], %[[B]], %[[M]], %[[V]] : tensor<1x16x8x8xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>
// CHECK: npu.batch_norm %[[Y]], %[[S]], %[[B]], %[[M]], %[[V]] {epsilon = 1.000000e-03 : f32} : tensor<1x16x8x8xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>
func.func @batch_norm(%x: tensor<1x16x8x8xf32>, %s: tensor<16xf32>,
                      %b: tensor<16xf32>, %m: tensor<16xf32>,
                      %v: tensor<16xf32>) -> tensor<1x16x8x8xf32> {
  %0 = npu.batch_norm %x, %s, %b, %m, %v {epsilon = 1.0e-05 : f32}
      : tensor<1x16x8x8xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>,
        tensor<16xf32>
  %1 = npu.batch_norm %0, %s, %b, %m, %v {epsilon = 1.0e-03 : f32}
      : tensor<1x16x8x8xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>,
        tensor<16xf32>
  return %1 : tensor<1x16x8x8xf32>
}

// CHECK-LABEL: func.func @batch_norm_2d
// CHECK: npu.batch_norm %{{.*}} : tensor<4x3xf16>, tensor<3xf16>, tensor<3xf16>, tensor<3xf16>, tensor<3xf16>
func.func @batch_norm_2d(%x: tensor<4x3xf16>, %p: tensor<3xf16>) -> tensor<4x3xf16> {
  %0 = npu.batch_norm %x, %p, %p, %p, %p
      : tensor<4x3xf16>, tensor<3xf16>, tensor<3xf16>, tensor<3xf16>, tensor<3xf16>
  return %0 : tensor<4x3xf16>
}

// -----

//===----------------------------------------------------------------------===//
// Pooling and reductions.
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @max_pool2d
// CHECK-SAME: (%[[X:.*]]: tensor<1x16x8x8xf32>)
// CHECK: npu.max_pool2d %[[X]] {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x16x8x8xf32> -> tensor<1x16x4x4xf32>
// CHECK: npu.max_pool2d %[[X]] {dilations = array<i64: 2, 2>, kernel = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>} : tensor<1x16x8x8xf32> -> tensor<1x16x6x6xf32>
func.func @max_pool2d(%x: tensor<1x16x8x8xf32>)
    -> (tensor<1x16x4x4xf32>, tensor<1x16x6x6xf32>) {
  %0 = npu.max_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>,
                          ceil_mode = false}
      : tensor<1x16x8x8xf32> -> tensor<1x16x4x4xf32>
  %1 = npu.max_pool2d %x {kernel = array<i64: 3, 3>, dilations = array<i64: 2, 2>,
                          pads = array<i64: 1, 1, 1, 1>}
      : tensor<1x16x8x8xf32> -> tensor<1x16x6x6xf32>
  return %0, %1 : tensor<1x16x4x4xf32>, tensor<1x16x6x6xf32>
}

// 7 with a 2x2 window and stride 2: 3 without ceil_mode, 4 with it.
// CHECK-LABEL: func.func @max_pool2d_ceil
// CHECK: npu.max_pool2d %{{.*}} {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x4x7x7xf32> -> tensor<1x4x3x3xf32>
// CHECK: npu.max_pool2d %{{.*}} {ceil_mode = true, kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x4x7x7xf32> -> tensor<1x4x4x4xf32>
func.func @max_pool2d_ceil(%x: tensor<1x4x7x7xf32>)
    -> (tensor<1x4x3x3xf32>, tensor<1x4x4x4xf32>) {
  %0 = npu.max_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>}
      : tensor<1x4x7x7xf32> -> tensor<1x4x3x3xf32>
  %1 = npu.max_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>,
                          ceil_mode = true}
      : tensor<1x4x7x7xf32> -> tensor<1x4x4x4xf32>
  return %0, %1 : tensor<1x4x3x3xf32>, tensor<1x4x4x4xf32>
}

// CHECK-LABEL: func.func @avg_pool2d
// CHECK: npu.avg_pool2d %{{.*}} {kernel = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>} : tensor<1x16x8x8xf16> -> tensor<1x16x8x8xf16>
// CHECK: npu.avg_pool2d %{{.*}} {count_include_pad = true, kernel = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>} : tensor<1x16x8x8xf16> -> tensor<1x16x8x8xf16>
// CHECK: npu.avg_pool2d %{{.*}} {ceil_mode = true, kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>} : tensor<1x16x8x8xf16> -> tensor<1x16x4x4xf16>
func.func @avg_pool2d(%x: tensor<1x16x8x8xf16>)
    -> (tensor<1x16x8x8xf16>, tensor<1x16x8x8xf16>, tensor<1x16x4x4xf16>) {
  %0 = npu.avg_pool2d %x {kernel = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>,
                          count_include_pad = false}
      : tensor<1x16x8x8xf16> -> tensor<1x16x8x8xf16>
  %1 = npu.avg_pool2d %x {kernel = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>,
                          count_include_pad = true}
      : tensor<1x16x8x8xf16> -> tensor<1x16x8x8xf16>
  %2 = npu.avg_pool2d %x {kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>,
                          ceil_mode = true}
      : tensor<1x16x8x8xf16> -> tensor<1x16x4x4xf16>
  return %0, %1, %2 : tensor<1x16x8x8xf16>, tensor<1x16x8x8xf16>, tensor<1x16x4x4xf16>
}

// CHECK-LABEL: func.func @global_pool
// CHECK-SAME: (%[[X:.*]]: tensor<2x16x7x7xf32>)
// CHECK: npu.global_avg_pool %[[X]] : tensor<2x16x7x7xf32> -> tensor<2x16x1x1xf32>
// CHECK: npu.global_max_pool %[[X]] : tensor<2x16x7x7xf32> -> tensor<2x16x1x1xf32>
func.func @global_pool(%x: tensor<2x16x7x7xf32>)
    -> (tensor<2x16x1x1xf32>, tensor<2x16x1x1xf32>) {
  %0 = npu.global_avg_pool %x : tensor<2x16x7x7xf32> -> tensor<2x16x1x1xf32>
  %1 = npu.global_max_pool %x : tensor<2x16x7x7xf32> -> tensor<2x16x1x1xf32>
  return %0, %1 : tensor<2x16x1x1xf32>, tensor<2x16x1x1xf32>
}

// CHECK-LABEL: func.func @reduce
// CHECK-SAME: (%[[X:.*]]: tensor<2x16x8x4xf32>)
// CHECK: npu.reduce_mean %[[X]] {axes = array<i64: 2, 3>} : tensor<2x16x8x4xf32> -> tensor<2x16x1x1xf32>
// CHECK: npu.reduce_mean %[[X]] {axes = array<i64: 2, 3>, keepdims = false} : tensor<2x16x8x4xf32> -> tensor<2x16xf32>
// CHECK: npu.reduce_sum %[[X]] {axes = array<i64: -1>} : tensor<2x16x8x4xf32> -> tensor<2x16x8x1xf32>
// CHECK: npu.reduce_sum %[[X]] {axes = array<i64: 0, -3>, keepdims = false} : tensor<2x16x8x4xf32> -> tensor<8x4xf32>
// CHECK: npu.reduce_max %[[X]] {axes = array<i64: 1>} : tensor<2x16x8x4xf32> -> tensor<2x1x8x4xf32>
// CHECK: npu.reduce_max %[[X]] {axes = array<i64: 3, 1, 0, 2>, keepdims = false} : tensor<2x16x8x4xf32> -> tensor<f32>
func.func @reduce(%x: tensor<2x16x8x4xf32>)
    -> (tensor<2x16x1x1xf32>, tensor<2x16xf32>, tensor<2x16x8x1xf32>,
        tensor<8x4xf32>, tensor<2x1x8x4xf32>, tensor<f32>) {
  %0 = npu.reduce_mean %x {axes = array<i64: 2, 3>, keepdims = true}
      : tensor<2x16x8x4xf32> -> tensor<2x16x1x1xf32>
  %1 = npu.reduce_mean %x {axes = array<i64: 2, 3>, keepdims = false}
      : tensor<2x16x8x4xf32> -> tensor<2x16xf32>
  %2 = npu.reduce_sum %x {axes = array<i64: -1>}
      : tensor<2x16x8x4xf32> -> tensor<2x16x8x1xf32>
  %3 = npu.reduce_sum %x {axes = array<i64: 0, -3>, keepdims = false}
      : tensor<2x16x8x4xf32> -> tensor<8x4xf32>
  %4 = npu.reduce_max %x {axes = array<i64: 1>}
      : tensor<2x16x8x4xf32> -> tensor<2x1x8x4xf32>
  %5 = npu.reduce_max %x {axes = array<i64: 3, 1, 0, 2>, keepdims = false}
      : tensor<2x16x8x4xf32> -> tensor<f32>
  return %0, %1, %2, %3, %4, %5 : tensor<2x16x1x1xf32>, tensor<2x16xf32>,
      tensor<2x16x8x1xf32>, tensor<8x4xf32>, tensor<2x1x8x4xf32>, tensor<f32>
}

// -----

//===----------------------------------------------------------------------===//
// Layout.
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @reshape
// CHECK-SAME: (%[[X:.*]]: tensor<1x16x2x2xf32>)
// CHECK: %[[Y:.*]] = npu.reshape %[[X]] : tensor<1x16x2x2xf32> -> tensor<1x64xf32>
// CHECK: npu.reshape %[[Y]] : tensor<1x64xf32> -> tensor<64xf32>
func.func @reshape(%x: tensor<1x16x2x2xf32>) -> tensor<64xf32> {
  %0 = npu.reshape %x : tensor<1x16x2x2xf32> -> tensor<1x64xf32>
  %1 = npu.reshape %0 : tensor<1x64xf32> -> tensor<64xf32>
  return %1 : tensor<64xf32>
}

// Reshape and transpose also take integer tensors.
// CHECK-LABEL: func.func @transpose
// CHECK: npu.transpose %{{.*}} {perm = array<i64: 0, 2, 3, 1>} : tensor<1x16x8x4xf32> -> tensor<1x8x4x16xf32>
// CHECK: npu.transpose %{{.*}} {perm = array<i64: 1, 0>} : tensor<3x5xi8> -> tensor<5x3xi8>
func.func @transpose(%x: tensor<1x16x8x4xf32>, %q: tensor<3x5xi8>)
    -> (tensor<1x8x4x16xf32>, tensor<5x3xi8>) {
  %0 = npu.transpose %x {perm = array<i64: 0, 2, 3, 1>}
      : tensor<1x16x8x4xf32> -> tensor<1x8x4x16xf32>
  %1 = npu.transpose %q {perm = array<i64: 1, 0>} : tensor<3x5xi8> -> tensor<5x3xi8>
  return %0, %1 : tensor<1x8x4x16xf32>, tensor<5x3xi8>
}

// CHECK-LABEL: func.func @concat
// CHECK-SAME: (%[[A:.*]]: tensor<1x8x4x4xf32>, %[[B:.*]]: tensor<1x16x4x4xf32>)
// CHECK: npu.concat %[[A]], %[[B]], %[[A]] {axis = 1 : i64} : (tensor<1x8x4x4xf32>, tensor<1x16x4x4xf32>, tensor<1x8x4x4xf32>) -> tensor<1x32x4x4xf32>
// CHECK: npu.concat %[[A]], %[[A]] {axis = -1 : i64} : (tensor<1x8x4x4xf32>, tensor<1x8x4x4xf32>) -> tensor<1x8x4x8xf32>
// CHECK: npu.concat %[[B]] {axis = 0 : i64} : (tensor<1x16x4x4xf32>) -> tensor<1x16x4x4xf32>
func.func @concat(%a: tensor<1x8x4x4xf32>, %b: tensor<1x16x4x4xf32>)
    -> (tensor<1x32x4x4xf32>, tensor<1x8x4x8xf32>, tensor<1x16x4x4xf32>) {
  %0 = npu.concat %a, %b, %a {axis = 1 : i64}
      : (tensor<1x8x4x4xf32>, tensor<1x16x4x4xf32>, tensor<1x8x4x4xf32>)
      -> tensor<1x32x4x4xf32>
  %1 = npu.concat %a, %a {axis = -1 : i64}
      : (tensor<1x8x4x4xf32>, tensor<1x8x4x4xf32>) -> tensor<1x8x4x8xf32>
  %2 = npu.concat %b {axis = 0 : i64}
      : (tensor<1x16x4x4xf32>) -> tensor<1x16x4x4xf32>
  return %0, %1, %2 : tensor<1x32x4x4xf32>, tensor<1x8x4x8xf32>, tensor<1x16x4x4xf32>
}

// CHECK-LABEL: func.func @slice
// CHECK: npu.slice %{{.*}} {offsets = array<i64: 0, 2>, strides = array<i64: 1, 2>} : tensor<4x10xf32> -> tensor<4x4xf32>
// CHECK: npu.slice %{{.*}} {offsets = array<i64: 3, 9>, strides = array<i64: 1, 1>} : tensor<4x10xf32> -> tensor<1x1xf32>
func.func @slice(%x: tensor<4x10xf32>) -> (tensor<4x4xf32>, tensor<1x1xf32>) {
  %0 = npu.slice %x {offsets = array<i64: 0, 2>, strides = array<i64: 1, 2>}
      : tensor<4x10xf32> -> tensor<4x4xf32>
  %1 = npu.slice %x {offsets = array<i64: 3, 9>, strides = array<i64: 1, 1>}
      : tensor<4x10xf32> -> tensor<1x1xf32>
  return %0, %1 : tensor<4x4xf32>, tensor<1x1xf32>
}

// Pad modes are I32EnumAttr cases: 0 constant (the default), 1 reflect,
// 2 edge.
// CHECK-LABEL: func.func @pad
// CHECK: npu.pad %{{.*}} {pads = array<i64: 0, 0, 1, 1, 0, 0, 1, 1>} : tensor<1x3x8x8xf32> -> tensor<1x3x10x10xf32>
// CHECK: npu.pad %{{.*}} {pads = array<i64: 0, 0, 2, 0, 0, 0, 0, 3>, value = -1.000000e+00 : f32} : tensor<1x3x8x8xf32> -> tensor<1x3x10x11xf32>
// CHECK: npu.pad %{{.*}} {mode = #npu.pad_mode<reflect>, pads = array<i64: 0, 0, 7, 7, 0, 0, 7, 7>} : tensor<1x3x8x8xf32> -> tensor<1x3x22x22xf32>
// CHECK: npu.pad %{{.*}} {mode = #npu.pad_mode<edge>, pads = array<i64: 1, 0, 9, 9, 0, 0, 9, 9>} : tensor<1x3x8x8xf32> -> tensor<2x3x26x26xf32>
func.func @pad(%x: tensor<1x3x8x8xf32>)
    -> (tensor<1x3x10x10xf32>, tensor<1x3x10x11xf32>, tensor<1x3x22x22xf32>,
        tensor<2x3x26x26xf32>) {
  %0 = npu.pad %x {pads = array<i64: 0, 0, 1, 1, 0, 0, 1, 1>, mode = #npu.pad_mode<constant>,
                   value = 0.0 : f32}
      : tensor<1x3x8x8xf32> -> tensor<1x3x10x10xf32>
  %1 = npu.pad %x {pads = array<i64: 0, 0, 2, 0, 0, 0, 0, 3>, value = -1.0 : f32}
      : tensor<1x3x8x8xf32> -> tensor<1x3x10x11xf32>
  %2 = npu.pad %x {pads = array<i64: 0, 0, 7, 7, 0, 0, 7, 7>, mode = #npu.pad_mode<reflect>}
      : tensor<1x3x8x8xf32> -> tensor<1x3x22x22xf32>
  %3 = npu.pad %x {pads = array<i64: 1, 0, 9, 9, 0, 0, 9, 9>, mode = #npu.pad_mode<edge>}
      : tensor<1x3x8x8xf32> -> tensor<2x3x26x26xf32>
  return %0, %1, %2, %3 : tensor<1x3x10x10xf32>, tensor<1x3x10x11xf32>,
      tensor<1x3x22x22xf32>, tensor<2x3x26x26xf32>
}

// Resize enums: mode 0 nearest (default), 1 linear; coordinate_mode
// 0 half_pixel (default), 1 asymmetric, 2 align_corners, 3
// pytorch_half_pixel; nearest_mode 0 round_prefer_floor (default),
// 1 round_prefer_ceil, 2 floor, 3 ceil.
// CHECK-LABEL: func.func @resize
// CHECK: npu.resize %{{.*}} : tensor<1x16x8x8xf32> -> tensor<1x16x16x16xf32>
// CHECK: npu.resize %{{.*}} {coordinate_mode = #npu.coordinate_mode<asymmetric>, nearest_mode = #npu.nearest_mode<floor>} : tensor<1x16x8x8xf32> -> tensor<1x16x16x16xf32>
// CHECK: npu.resize %{{.*}} {nearest_mode = #npu.nearest_mode<ceil>} : tensor<1x16x8x8xf32> -> tensor<1x16x4x4xf32>
// CHECK: npu.resize %{{.*}} {mode = #npu.resize_mode<linear>} : tensor<1x16x8x8xf32> -> tensor<1x16x16x16xf32>
// CHECK: npu.resize %{{.*}} {coordinate_mode = #npu.coordinate_mode<align_corners>, mode = #npu.resize_mode<linear>} : tensor<1x16x8x8xf32> -> tensor<1x16x3x5xf32>
// CHECK: npu.resize %{{.*}} {coordinate_mode = #npu.coordinate_mode<pytorch_half_pixel>, mode = #npu.resize_mode<linear>, nearest_mode = #npu.nearest_mode<round_prefer_ceil>} : tensor<1x16x8x8xf32> -> tensor<1x16x16x16xf32>
func.func @resize(%x: tensor<1x16x8x8xf32>)
    -> (tensor<1x16x16x16xf32>, tensor<1x16x16x16xf32>, tensor<1x16x4x4xf32>,
        tensor<1x16x16x16xf32>, tensor<1x16x3x5xf32>, tensor<1x16x16x16xf32>) {
  %0 = npu.resize %x {mode = #npu.resize_mode<nearest>, coordinate_mode = #npu.coordinate_mode<half_pixel>,
                      nearest_mode = #npu.nearest_mode<round_prefer_floor>}
      : tensor<1x16x8x8xf32> -> tensor<1x16x16x16xf32>
  %1 = npu.resize %x {coordinate_mode = #npu.coordinate_mode<asymmetric>, nearest_mode = #npu.nearest_mode<floor>}
      : tensor<1x16x8x8xf32> -> tensor<1x16x16x16xf32>
  %2 = npu.resize %x {nearest_mode = #npu.nearest_mode<ceil>}
      : tensor<1x16x8x8xf32> -> tensor<1x16x4x4xf32>
  %3 = npu.resize %x {mode = #npu.resize_mode<linear>}
      : tensor<1x16x8x8xf32> -> tensor<1x16x16x16xf32>
  %4 = npu.resize %x {mode = #npu.resize_mode<linear>, coordinate_mode = #npu.coordinate_mode<align_corners>}
      : tensor<1x16x8x8xf32> -> tensor<1x16x3x5xf32>
  %5 = npu.resize %x {mode = #npu.resize_mode<linear>, coordinate_mode = #npu.coordinate_mode<pytorch_half_pixel>,
                      nearest_mode = #npu.nearest_mode<round_prefer_ceil>}
      : tensor<1x16x8x8xf32> -> tensor<1x16x16x16xf32>
  return %0, %1, %2, %3, %4, %5 : tensor<1x16x16x16xf32>, tensor<1x16x16x16xf32>,
      tensor<1x16x4x4xf32>, tensor<1x16x16x16xf32>, tensor<1x16x3x5xf32>,
      tensor<1x16x16x16xf32>
}

// -----

//===----------------------------------------------------------------------===//
// Quantization.
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @quantize
// CHECK-SAME: (%[[X:.*]]: tensor<1x16xf32>)
// CHECK: %[[Q:.*]] = npu.quantize %[[X]] {scale = 5.000000e-02 : f32, zero_point = 3 : i64} : tensor<1x16xf32> -> tensor<1x16xi8>
// CHECK: %[[U:.*]] = npu.quantize %[[X]] {scale = 2.500000e-01 : f32} : tensor<1x16xf32> -> tensor<1x16xui8>
// CHECK: npu.quantize %[[X]] {scale = 1.000000e+00 : f32, zero_point = 255 : i64} : tensor<1x16xf32> -> tensor<1x16xui8>
// CHECK: npu.dequantize %[[Q]] {scale = 5.000000e-02 : f32, zero_point = -128 : i64} : tensor<1x16xi8> -> tensor<1x16xf32>
// CHECK: npu.dequantize %[[U]] {scale = 2.500000e-01 : f32} : tensor<1x16xui8> -> tensor<1x16xf16>
func.func @quantize(%x: tensor<1x16xf32>) -> (tensor<1x16xf32>, tensor<1x16xf16>) {
  %q = npu.quantize %x {scale = 0.05 : f32, zero_point = 3 : i64}
      : tensor<1x16xf32> -> tensor<1x16xi8>
  %u = npu.quantize %x {scale = 0.25 : f32, zero_point = 0 : i64}
      : tensor<1x16xf32> -> tensor<1x16xui8>
  %v = npu.quantize %x {scale = 1.0 : f32, zero_point = 255 : i64}
      : tensor<1x16xf32> -> tensor<1x16xui8>
  %0 = npu.dequantize %q {scale = 0.05 : f32, zero_point = -128 : i64}
      : tensor<1x16xi8> -> tensor<1x16xf32>
  %1 = npu.dequantize %u {scale = 0.25 : f32}
      : tensor<1x16xui8> -> tensor<1x16xf16>
  return %0, %1 : tensor<1x16xf32>, tensor<1x16xf16>
}

// -----

//===----------------------------------------------------------------------===//
// Structure: programs, host IO, transfers, exit gates.
//===----------------------------------------------------------------------===//

#power = #npu.power<active_mw = 2500, idle_mw = 400, off_mw = 15,
                    wake_cycles = 10000, wake_energy_nj = 20000>
#sys = #npu.system<name = "trio", topology = "switch", chips = [
  #npu.chip<id = 0, name = "a", kind = "general",
            caps = ["dense", "conv", "activation", "fp32"],
            mac_rows = 256, mac_cols = 256, vector_lanes = 256,
            sram_bytes = 4194304, dram_bytes = 1073741824,
            dram_bytes_per_cycle = 64, clock_mhz = 1000, power = #power>,
  #npu.chip<id = 1, name = "b", kind = "dense",
            caps = ["dense", "activation", "fp32"],
            mac_rows = 512, mac_cols = 512, vector_lanes = 512,
            sram_bytes = 16777216, dram_bytes = 1073741824,
            dram_bytes_per_cycle = 128, clock_mhz = 1000, power = #power>,
  #npu.chip<id = 2, name = "c", kind = "conv",
            caps = ["conv", "activation", "int8"],
            mac_rows = 128, mac_cols = 128, vector_lanes = 128,
            sram_bytes = 2097152, dram_bytes = 1073741824,
            dram_bytes_per_cycle = 32, clock_mhz = 500, power = #power>],
  links = [#npu.link<a = 0, b = 1, bandwidth_gbps = 64, latency_ns = 100>,
           #npu.link<a = 1, b = 2, bandwidth_gbps = 32, latency_ns = 200>],
  host = #npu.host<bandwidth_gbps = 16, latency_ns = 1000>>

// CHECK: #chip0 = #npu.chip<id = 0, name = "a", kind = "general", caps = ["dense", "conv", "activation", "fp32"], mac_rows = 256, mac_cols = 256, vector_lanes = 256, sram_bytes = 4194304, dram_bytes = 1073741824, dram_bytes_per_cycle = 64, clock_mhz = 1000, power = <active_mw = 2500, idle_mw = 400, off_mw = 15, wake_cycles = 10000, wake_energy_nj = 20000>>
// CHECK: #chip1 = #npu.chip<id = 1, name = "b", kind = "dense", caps = ["dense", "activation", "fp32"], mac_rows = 512, mac_cols = 512,
// CHECK: #chip2 = #npu.chip<id = 2, name = "c", kind = "conv", caps = ["conv", "activation", "int8"], mac_rows = 128, {{.*}}, clock_mhz = 500,
// CHECK: #system = #npu.system<name = "trio", topology = "switch", chips = [#chip0, #chip1, #chip2], links = [<a = 0, b = 1, bandwidth_gbps = 64, latency_ns = 100>, <a = 1, b = 2, bandwidth_gbps = 32, latency_ns = 200>], host = <bandwidth_gbps = 16, latency_ns = 1000>>
// CHECK: module attributes {npu.system = #system}
module attributes {npu.system = #sys} {
  // CHECK-LABEL: npu.program @stage0 chip(0) {
  // CHECK: %[[X:.*]] = npu.input "image" : tensor<1x64xf32>
  // CHECK: %[[W:.*]] = npu.input "w0" : tensor<64x10xf32>
  // CHECK: %[[H:.*]] = npu.relu %[[X]] : tensor<1x64xf32>
  // CHECK: %[[L:.*]] = npu.matmul %[[H]], %[[W]]
  // CHECK: npu.exit_gate %[[L]] measure(entropy) threshold(2.500000e-01) output("class") : tensor<1x10xf32>
  // CHECK: npu.exit_gate %[[L]], %[[H]] measure(max_prob) threshold(8.750000e-01) output("class") escalate chip(1) channel(0) : tensor<1x10xf32>, tensor<1x64xf32>
  // CHECK: npu.send %[[H]] to chip(1) channel(1) : tensor<1x64xf32>
  // CHECK: }
  npu.program @stage0 chip(0) {
    %x = npu.input "image" : tensor<1x64xf32>
    %w = npu.input "w0" : tensor<64x10xf32>
    %h = npu.relu %x : tensor<1x64xf32>
    %l = npu.matmul %h, %w : (tensor<1x64xf32>, tensor<64x10xf32>) -> tensor<1x10xf32>
    npu.exit_gate %l measure(entropy) threshold(0.25) output("class")
        : tensor<1x10xf32>
    npu.exit_gate %l, %h measure(max_prob) threshold(0.875) output("class")
        escalate chip(1) channel(0) : tensor<1x10xf32>, tensor<1x64xf32>
    npu.send %h to chip(1) channel(1) : tensor<1x64xf32>
  }

  // CHECK-LABEL: npu.program @stage1 chip(1) {
  // CHECK: %[[A:.*]] = npu.recv from chip(0) channel(0) : tensor<1x64xf32>
  // CHECK: %[[B:.*]] = npu.recv from chip(0) channel(1) : tensor<1x64xf32>
  // CHECK: %[[S:.*]] = npu.add %[[A]], %[[B]]
  // CHECK: npu.exit_gate %{{.*}} measure(margin) threshold(1.000000e+00) output("class") : tensor<10xf32>
  // CHECK: npu.output "class", %{{.*}} : tensor<10xf32>
  // CHECK: npu.send %[[S]] to chip(2) channel(0) : tensor<1x64xf32>
  npu.program @stage1 chip(1) {
    %a = npu.recv from chip(0) channel(0) : tensor<1x64xf32>
    %b = npu.recv from chip(0) channel(1) : tensor<1x64xf32>
    %s = npu.add %a, %b : (tensor<1x64xf32>, tensor<1x64xf32>) -> tensor<1x64xf32>
    %w = npu.input "w1" : tensor<64x10xf32>
    %l = npu.matmul %s, %w : (tensor<1x64xf32>, tensor<64x10xf32>) -> tensor<1x10xf32>
    %v = npu.reshape %l : tensor<1x10xf32> -> tensor<10xf32>
    npu.exit_gate %v measure(margin) threshold(1.0) output("class") : tensor<10xf32>
    npu.output "class", %v : tensor<10xf32>
    npu.send %s to chip(2) channel(0) : tensor<1x64xf32>
  }

  // The same channel number is a different channel between another pair of
  // chips.
  // CHECK-LABEL: npu.program @stage2 chip(2) {
  // CHECK: %[[R:.*]] = npu.recv from chip(1) channel(0) : tensor<1x64xf32>
  // CHECK: npu.output "features", %[[R]] : tensor<1x64xf32>
  npu.program @stage2 chip(2) {
    %r = npu.recv from chip(1) channel(0) : tensor<1x64xf32>
    npu.output "features", %r : tensor<1x64xf32>
  }
}

// -----

// A program may be empty, and a module need not have a program for every
// chip.
#power = #npu.power<active_mw = 1, idle_mw = 1, off_mw = 1, wake_cycles = 0,
                    wake_energy_nj = 0>
// CHECK: #chip7 = #npu.chip<id = 7, name = "only", kind = "general", caps = ["dense", "activation", "fp16"], mac_rows = 1, {{.*}}, clock_mhz = 1, power = <active_mw = 1, idle_mw = 1, off_mw = 1, wake_cycles = 0, wake_energy_nj = 0>>
// CHECK: #system = #npu.system<name = "solo", topology = "switch", chips = [#chip7], host = <bandwidth_gbps = 1, latency_ns = 0>>
// CHECK: module attributes {npu.system = #system}
// CHECK-LABEL: npu.program @idle chip(7) {
// CHECK-NEXT: }
module attributes {npu.system = #npu.system<name = "solo", topology = "switch",
    chips = [#npu.chip<id = 7, name = "only", kind = "general",
                       caps = ["dense", "activation", "fp16"], mac_rows = 1,
                       mac_cols = 1, vector_lanes = 1, sram_bytes = 1,
                       dram_bytes = 1, dram_bytes_per_cycle = 1,
                       clock_mhz = 1, power = #power>],
    host = #npu.host<bandwidth_gbps = 1, latency_ns = 0>>} {
  npu.program @idle chip(7) {
  }
}
