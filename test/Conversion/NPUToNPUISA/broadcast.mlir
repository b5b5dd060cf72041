// RUN: npu-opt %s -split-input-file --npu-set-system=system=single \
// RUN:   --npu-lower-to-isa | FileCheck %s

// Elementwise binary ops with numpy broadcasting. The vector unit reads
// operand b at (i / repeat) % period, b_bcast = [period, repeat]; shapes it
// cannot express are first copied out to the full shape with stride-0
// copies (strides in elements).

// Same shapes: b_bcast [count, 1]; the result overwrites the lhs, whose
// last user this is.
// CHECK-LABEL: npuisa.program @same_shape
// CHECK: npuisa.vector add a([[A:[0-9]+]]) b([[B:[0-9]+]]) b_bcast[6, 1] -> dst([[A]]) count(6) dtype(f32)
func.func @same_shape(%a: tensor<2x3xf32>, %b: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %y = npu.add %a, %b : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

// -----

// A scalar (rank 0) rhs: b_bcast [1, 1].
// CHECK-LABEL: npuisa.program @scalar
// CHECK: npuisa.vector div a([[A:[0-9]+]]) b({{[0-9]+}}) b_bcast[1, 1] -> dst([[A]]) count(6) dtype(f32)
func.func @scalar(%a: tensor<2x3xf32>, %s: tensor<f32>) -> tensor<2x3xf32> {
  %y = npu.div %a, %s : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

// -----

// Per channel of NCHW ([C, 1, 1]): b_bcast [C, H*W].
// CHECK-LABEL: npuisa.program @per_channel
// CHECK: npuisa.vector mul a({{[0-9]+}}) b({{[0-9]+}}) b_bcast[3, 20] -> dst({{[0-9]+}}) count(120)
func.func @per_channel(%x: tensor<2x3x4x5xf32>, %c: tensor<3x1x1xf32>) -> tensor<2x3x4x5xf32> {
  %y = npu.mul %x, %c : (tensor<2x3x4x5xf32>, tensor<3x1x1xf32>) -> tensor<2x3x4x5xf32>
  return %y : tensor<2x3x4x5xf32>
}

// -----

// Trailing dims ([W]): b_bcast [W, 1].
// CHECK-LABEL: npuisa.program @trailing
// CHECK: npuisa.vector max a({{[0-9]+}}) b({{[0-9]+}}) b_bcast[5, 1] -> dst({{[0-9]+}}) count(60)
func.func @trailing(%x: tensor<3x4x5xf32>, %r: tensor<5xf32>) -> tensor<3x4x5xf32> {
  %y = npu.max %x, %r : (tensor<3x4x5xf32>, tensor<5xf32>) -> tensor<3x4x5xf32>
  return %y : tensor<3x4x5xf32>
}

// -----

// A column ([M, 1]): b_bcast [M, N].
// CHECK-LABEL: npuisa.program @column
// CHECK: npuisa.vector min a({{[0-9]+}}) b({{[0-9]+}}) b_bcast[4, 7] -> dst({{[0-9]+}}) count(28)
func.func @column(%x: tensor<4x7xf32>, %c: tensor<4x1xf32>) -> tensor<4x7xf32> {
  %y = npu.min %x, %c : (tensor<4x7xf32>, tensor<4x1xf32>) -> tensor<4x7xf32>
  return %y : tensor<4x7xf32>
}

// -----

// A block of middle dims ([1, C, H, 1]): period C*H, repeat W; unit dims of
// the result (N = 1) do not break the block.
// CHECK-LABEL: npuisa.program @middle_block
// CHECK: npuisa.vector pow a({{[0-9]+}}) b({{[0-9]+}}) b_bcast[12, 5] -> dst({{[0-9]+}}) count(60)
func.func @middle_block(%x: tensor<1x3x4x5xf32>, %e: tensor<1x3x4x1xf32>) -> tensor<1x3x4x5xf32> {
  %y = npu.pow %x, %e : (tensor<1x3x4x5xf32>, tensor<1x3x4x1xf32>) -> tensor<1x3x4x5xf32>
  return %y : tensor<1x3x4x5xf32>
}

// -----

// Kept dims that are not adjacent ([N, 1, W] over [N, C, W]): the rhs is
// copied out to [N, C, W] (stride 0 along C) into a temporary first.
// CHECK-LABEL: npuisa.program @gapped
// CHECK: npuisa.dma_in dram({{[0-9]+}}) -> sram([[X:[0-9]+]])
// CHECK: npuisa.dma_in dram({{[0-9]+}}) -> sram([[R:[0-9]+]])
// CHECK: npuisa.copy src([[R]]) -> dst([[T:[0-9]+]]) shape[1, 2, 3, 4] src_strides[0, 4, 0, 1] dst_strides[0, 12, 4, 1] dtype(f32)
// CHECK-NEXT: npuisa.vector sub a([[X]]) b([[T]]) b_bcast[24, 1] -> dst([[X]]) count(24)
func.func @gapped(%x: tensor<2x3x4xf32>, %r: tensor<2x1x4xf32>) -> tensor<2x3x4xf32> {
  %y = npu.sub %x, %r : (tensor<2x3x4xf32>, tensor<2x1x4xf32>) -> tensor<2x3x4xf32>
  return %y : tensor<2x3x4xf32>
}

// -----

// A gapped broadcast of rank 5 that no dims merge in: one rank-4 copy per
// index of the leading dim (the operand's leading stride is 4 elements).
// CHECK-LABEL: npuisa.program @gapped_rank5
// CHECK: npuisa.copy src([[#RN:]]) -> dst([[#TN:]]) shape[3, 2, 3, 2] src_strides[0, 2, 0, 1] dst_strides[12, 6, 2, 1]
// CHECK-NEXT: npuisa.copy src([[#RN + 16]]) -> dst([[#TN + 144]]) shape[3, 2, 3, 2] src_strides[0, 2, 0, 1] dst_strides[12, 6, 2, 1]
// CHECK-NEXT: npuisa.vector add a({{[0-9]+}}) b([[#TN]]) b_bcast[72, 1] -> dst({{[0-9]+}}) count(72)
func.func @gapped_rank5(%x: tensor<2x3x2x3x2xf32>, %r: tensor<2x1x2x1x2xf32>) -> tensor<2x3x2x3x2xf32> {
  %y = npu.add %x, %r : (tensor<2x3x2x3x2xf32>, tensor<2x1x2x1x2xf32>) -> tensor<2x3x2x3x2xf32>
  return %y : tensor<2x3x2x3x2xf32>
}

// -----

// A broadcast lhs of a commutative op: the operands are swapped.
// CHECK-LABEL: npuisa.program @lhs_commutative
// CHECK: npuisa.dma_in dram({{[0-9]+}}) -> sram([[C:[0-9]+]])
// CHECK: npuisa.dma_in dram({{[0-9]+}}) -> sram([[X:[0-9]+]])
// CHECK-NOT: npuisa.copy
// CHECK: npuisa.vector mul a([[X]]) b([[C]]) b_bcast[3, 4] -> dst([[X]]) count(24)
func.func @lhs_commutative(%c: tensor<3x1xf32>, %x: tensor<2x3x4xf32>) -> tensor<2x3x4xf32> {
  %y = npu.mul %c, %x : (tensor<3x1xf32>, tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  return %y : tensor<2x3x4xf32>
}

// -----

// A broadcast lhs of sub: copied out to the full shape, into the result's
// buffer, which the sub then updates in place.
// CHECK-LABEL: npuisa.program @lhs_sub
// CHECK: npuisa.dma_in dram({{[0-9]+}}) -> sram([[C:[0-9]+]])
// CHECK: npuisa.dma_in dram({{[0-9]+}}) -> sram([[X:[0-9]+]])
// CHECK: npuisa.copy src([[C]]) -> dst([[Y:[0-9]+]]) shape[1, 2, 3, 4] src_strides[0, 0, 1, 0] dst_strides[0, 12, 4, 1]
// CHECK: npuisa.vector sub a([[Y]]) b([[X]]) b_bcast[24, 1] -> dst([[Y]]) count(24)
// CHECK: npuisa.dma_out sram([[Y]])
func.func @lhs_sub(%c: tensor<3x1xf32>, %x: tensor<2x3x4xf32>) -> tensor<2x3x4xf32> {
  %y = npu.sub %c, %x : (tensor<3x1xf32>, tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  return %y : tensor<2x3x4xf32>
}

// -----

// Both operands broadcast ([3, 1] + [1, 4]): the lhs is copied out, the rhs
// is read periodically.
// CHECK-LABEL: npuisa.program @both
// CHECK: npuisa.copy src({{[0-9]+}}) -> dst([[Y:[0-9]+]]) shape[1, 1, 3, 4] src_strides[0, 0, 1, 0] dst_strides[0, 0, 4, 1]
// CHECK: npuisa.vector add a([[Y]]) b({{[0-9]+}}) b_bcast[4, 1] -> dst([[Y]]) count(12)
func.func @both(%a: tensor<3x1xf32>, %b: tensor<1x4xf32>) -> tensor<3x4xf32> {
  %y = npu.add %a, %b : (tensor<3x1xf32>, tensor<1x4xf32>) -> tensor<3x4xf32>
  return %y : tensor<3x4xf32>
}

// -----

// A constant operand is a weight: its segment is DMA'd into SRAM for the op
// and read from there. An lhs that is also returned is not overwritten (it
// is the first buffer, at 0; the sum goes elsewhere).
// CHECK-LABEL: npuisa.program @constant_rhs
// CHECK-SAME: npuisa.segments = [{data = dense<[1.000000e+00, 2.000000e+00, 3.000000e+00]> : tensor<3xf32>, dram = [[#SEG:]] : i64}]
// CHECK: npuisa.dma_in dram(0) -> sram(0)
// CHECK: npuisa.dma_in dram([[#SEG]]) -> sram([[W:[0-9]+]]) rows(1) row_bytes(12)
// CHECK: npuisa.vector add a(0) b([[W]]) b_bcast[3, 1] -> dst([[Y:[1-9][0-9]*]]) count(6)
// CHECK: npuisa.dma_out sram(0)
// CHECK: npuisa.dma_out sram([[Y]])
func.func @constant_rhs(%x: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>) {
  %c = arith.constant dense<[1.0, 2.0, 3.0]> : tensor<3xf32>
  %y = npu.add %x, %c : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return %x, %y : tensor<2x3xf32>, tensor<2x3xf32>
}
