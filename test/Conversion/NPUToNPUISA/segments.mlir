// RUN: npu-opt %s -split-input-file --npu-set-system=system=single \
// RUN:   --npu-lower-to-isa | FileCheck %s

// Constants become DRAM segments: `npuisa.segments` on the program is an
// array of {dram = byte offset, data = elements}, placed 64-byte aligned
// after the input and output staging areas, in order of first use; data
// the ISA needs in another layout is transformed at compile time.

// gemm with a constant B and trans_b: B' = alpha * B^T (K x N), and a
// constant C scaled by beta. Input a (24 bytes) is staged at DRAM 0, output
// (32 bytes) at 64, then the segments from 128.
// CHECK-LABEL: npuisa.program @gemm_constants
// CHECK-SAME: npuisa.segments = [
// CHECK-SAME: {data = dense<{{\[}}[5.000000e-01, 2.000000e+00, 3.500000e+00, 5.000000e+00], [1.000000e+00, 2.500000e+00, 4.000000e+00, 5.500000e+00], [1.500000e+00, 3.000000e+00, 4.500000e+00, 6.000000e+00]]> : tensor<3x4xf32>, dram = 128 : i64},
// CHECK-SAME: {data = dense<[2.000000e+00, 4.000000e+00, 6.000000e+00, 8.000000e+00]> : tensor<4xf32>, dram = 192 : i64}]
// CHECK: npuisa.load_input "input0" offset(0) -> dram(0) bytes(24)
// CHECK: npuisa.dma_in dram(128) -> sram([[B:[0-9]+]]) rows(1) row_bytes(48)
// CHECK: npuisa.dma_in dram(192) -> sram([[C:[0-9]+]]) rows(1) row_bytes(16)
// CHECK: npuisa.matmul a({{[0-9]+}}) b([[B]]) c([[Y:[0-9]+]]) m(2) k(3) n(4) lds[3, 4, 4]
// CHECK-NOT: npuisa.vector mul
// CHECK: npuisa.vector add a([[Y]]) b([[C]]) b_bcast[4, 1] -> dst([[Y]]) count(8)
// CHECK: npuisa.dma_out sram([[Y]]) -> dram(64) rows(1) row_bytes(32)
// CHECK: npuisa.store_output "output0" offset(0) from dram(64) bytes(32)
func.func @gemm_constants(%a: tensor<2x3xf32>) -> tensor<2x4xf32> {
  %b = arith.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0], [10.0, 11.0, 12.0]]> : tensor<4x3xf32>
  %c = arith.constant dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>
  %y = npu.gemm %a, %b, %c {trans_b = true, alpha = 0.5 : f32, beta = 2.0 : f32} : (tensor<2x3xf32>, tensor<4x3xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

// -----

// A constant A with trans_a is transposed (M x K) and takes alpha when B is
// computed; C is used as is (beta = 1), a [M, 1] column: b_bcast [M, N].
// CHECK-LABEL: npuisa.program @gemm_constant_a
// CHECK-SAME: {data = dense<{{\[}}[3.000000e+00, 9.000000e+00], [6.000000e+00, 1.200000e+01]]> : tensor<2x2xf32>, dram = [[#DA:]] : i64}
// CHECK-SAME: {data = dense<{{\[}}[1.000000e+00], [2.000000e+00]]> : tensor<2x1xf32>, dram = [[#DC:]] : i64}
// CHECK: npuisa.dma_in dram([[#DA]]) -> sram([[A:[0-9]+]]) rows(1) row_bytes(16)
// CHECK: npuisa.dma_in dram([[#DC]]) -> sram([[C:[0-9]+]]) rows(1) row_bytes(8)
// CHECK: npuisa.matmul a([[A]]) b({{[0-9]+}}) c([[Y:[0-9]+]]) m(2) k(2) n(3)
// CHECK-NEXT: npuisa.signal
// CHECK-NEXT: npuisa.wait
// CHECK-NEXT: npuisa.wait
// CHECK-NEXT: npuisa.vector add a([[Y]]) b([[C]]) b_bcast[2, 3] -> dst([[Y]]) count(6)
func.func @gemm_constant_a(%b: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %a = arith.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %c = arith.constant dense<[[1.0], [2.0]]> : tensor<2x1xf32>
  %y = npu.gemm %a, %b, %c {trans_a = true, alpha = 3.0 : f32} : (tensor<2x2xf32>, tensor<2x3xf32>, tensor<2x1xf32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

// -----

// batch_norm folded per channel: s = scale / sqrt(var + eps) = [1/0.5, 3/2]
// and t = bias - mean * s = [0.5 - 3*2, 0.25 - 4*1.5].
// CHECK-LABEL: npuisa.program @batch_norm
// CHECK-SAME: npuisa.segments = [{data = dense<[2.000000e+00, 1.500000e+00]> : tensor<2xf32>, dram = [[#S:]] : i64}, {data = dense<[-5.500000e+00, -5.750000e+00]> : tensor<2xf32>, dram = [[#T:]] : i64}]
// CHECK: npuisa.dma_in dram([[#S]]) -> sram([[SS:[0-9]+]]) rows(1) row_bytes(8)
// CHECK: npuisa.dma_in dram([[#T]]) -> sram([[TS:[0-9]+]]) rows(1) row_bytes(8)
// CHECK: npuisa.vector mul a([[X:[0-9]+]]) b([[SS]]) b_bcast[2, 4] -> dst([[X]]) count(8)
// CHECK: npuisa.vector add a([[X]]) b([[TS]]) b_bcast[2, 4] -> dst([[X]]) count(8)
func.func @batch_norm(%x: tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32> {
  %s = arith.constant dense<[1.0, 3.0]> : tensor<2xf32>
  %b = arith.constant dense<[0.5, 0.25]> : tensor<2xf32>
  %m = arith.constant dense<[3.0, 4.0]> : tensor<2xf32>
  %v = arith.constant dense<[0.25, 4.0]> : tensor<2xf32>
  %y = npu.batch_norm %x, %s, %b, %m, %v {epsilon = 0.0 : f32} : tensor<1x2x2x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>
  return %y : tensor<1x2x2x2xf32>
}

// -----

// Identical data is one segment, loaded once per op that uses it; a
// reshaped constant is the same bytes with the new shape; a constant
// result goes from its segment straight to the host. Staging: x (16 bytes)
// at 0, the three outputs at 64, 128, 192; segments from 256.
// CHECK-LABEL: npuisa.program @shared
// CHECK-SAME: npuisa.segments = [{data = dense<[1.000000e+00, 2.000000e+00, 3.000000e+00, 4.000000e+00]> : tensor<4xf32>, dram = 256 : i64}, {data = dense<{{\[}}[1.000000e+00, 2.000000e+00], [3.000000e+00, 4.000000e+00]]> : tensor<2x2xf32>, dram = 320 : i64}]
// CHECK: npuisa.dma_in dram(256) -> sram([[C1:[0-9]+]]) rows(1) row_bytes(16)
// CHECK: npuisa.dma_in dram(256) -> sram([[C2:[0-9]+]]) rows(1) row_bytes(16)
// CHECK: npuisa.vector add a({{[0-9]+}}) b([[C1]])
// CHECK: npuisa.vector mul a({{[0-9]+}}) b([[C2]])
// CHECK: npuisa.store_output "output0" offset(0) from dram(64) bytes(16)
// CHECK: npuisa.store_output "output1" offset(0) from dram(128) bytes(16)
// CHECK-NOT: npuisa.dma_out
// CHECK: npuisa.store_output "output2" offset(0) from dram(320) bytes(16)
func.func @shared(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<2x2xf32>) {
  %c = arith.constant dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>
  %d = arith.constant dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>
  %y = npu.add %x, %c : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %z = npu.mul %x, %d : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %r = npu.reshape %c : tensor<4xf32> -> tensor<2x2xf32>
  return %y, %z, %r : tensor<4xf32>, tensor<4xf32>, tensor<2x2xf32>
}

// -----

// Resource constants: used as they are, the attribute is the segment; when
// a transform needs their values (here gemm's trans_b), they are read from
// the blob.
// CHECK-LABEL: npuisa.program @resources
// CHECK-SAME: {data = dense_resource<weights> : tensor<2x2xf32>, dram = {{[0-9]+}} : i64}
// CHECK-SAME: {data = dense<{{\[}}[1.000000e+00, 3.000000e+00], [2.000000e+00, 4.000000e+00]]> : tensor<2x2xf32>, dram = {{[0-9]+}} : i64}
func.func @resources(%x: tensor<2x2xf32>) -> (tensor<2x2xf32>, tensor<2x2xf32>) {
  %w = arith.constant dense_resource<weights> : tensor<2x2xf32>
  %y = npu.add %x, %w : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  %z = npu.gemm %x, %w {trans_b = true} : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  return %y, %z : tensor<2x2xf32>, tensor<2x2xf32>
}

{-#
  dialect_resources: {
    builtin: {
      weights: "0x040000000000803F000000400000404000008040"
    }
  }
#-}
