// RUN: npu-opt %s -split-input-file --npu-set-system=system=single \
// RUN:   --npu-lower-to-isa | FileCheck %s --enable-var-scope

// One case per op kind on chip 0 of `single` (256x256 MAC array, 256 vector
// lanes). Tensors are contiguous row-major f32 in SRAM; offsets are bytes.

// conv2d tiles: out_w = 100 gives 256 / 100 = 2 output rows per tile (the
// last tile takes the remaining row); 300 output channels give blocks of
// 256 and 44, each with its slice of the OIHW weights and of the output.
// CHECK-LABEL: npuisa.program @conv_tiles
// CHECK: npuisa.dma_in dram({{[0-9]+}}) -> sram([[#W0:]]) rows(1) row_bytes(2400)
// CHECK: npuisa.conv input([[#X0:]]) weight([[#W0]]) output([[#Y0:]]) channels(2) in_hw[5, 100] out_channels(256) out_hw[5, 100] out_rows[0, 2] kernel[1, 1]
// CHECK-NEXT: npuisa.conv input([[#X0]]) weight([[#W0]]) output([[#Y0]]) {{.*}} out_channels(256) {{.*}} out_rows[2, 2]
// CHECK-NEXT: npuisa.conv input([[#X0]]) weight([[#W0]]) output([[#Y0]]) {{.*}} out_channels(256) {{.*}} out_rows[4, 1]
// CHECK-NEXT: npuisa.conv input([[#X0]]) weight([[#W0 + 2048]]) output([[#Y0 + 512000]]) {{.*}} out_channels(44) {{.*}} out_rows[0, 2]
// CHECK-NEXT: npuisa.conv {{.*}} out_channels(44) {{.*}} out_rows[2, 2]
// CHECK-NEXT: npuisa.conv {{.*}} out_channels(44) {{.*}} out_rows[4, 1]
// CHECK-NOT: npuisa.conv
// CHECK: npuisa.dma_out sram([[#Y0]])
func.func @conv_tiles(%x: tensor<1x2x5x100xf32>) -> tensor<1x300x5x100xf32> {
  %w = arith.constant dense<1.0> : tensor<300x2x1x1xf32>
  %y = npu.conv2d %x, %w : (tensor<1x2x5x100xf32>, tensor<300x2x1x1xf32>) -> tensor<1x300x5x100xf32>
  return %y : tensor<1x300x5x100xf32>
}

// -----

// Depthwise conv: one tile per image and group (channel), each reading its
// input channel (64 bytes), its 3x3 weights (36 bytes) and writing its
// output channel (16 bytes); the bias is one add over both images with
// b_bcast [M, OH*OW].
// CHECK-LABEL: npuisa.program @depthwise
// CHECK: npuisa.conv input([[#X0:]]) weight([[#W0:]]) output([[#Y0:]]) channels(1) in_hw[4, 4] out_channels(1) out_hw[2, 2] out_rows[0, 2] kernel[3, 3] strides[2, 2] pads[1, 1, 0, 0] dilations[1, 1] dtype(f32)
// CHECK-NEXT: npuisa.conv input([[#X0 + 64]]) weight([[#W0 + 36]]) output([[#Y0 + 16]]) channels(1)
// CHECK-NEXT: npuisa.conv input([[#X0 + 128]]) weight([[#W0 + 72]]) output([[#Y0 + 32]]) channels(1)
// CHECK-NEXT: npuisa.conv input([[#X0 + 192]]) weight([[#W0]]) output([[#Y0 + 48]]) channels(1)
// CHECK-NEXT: npuisa.conv input([[#X0 + 256]]) weight([[#W0 + 36]]) output([[#Y0 + 64]]) channels(1)
// CHECK-NEXT: npuisa.conv input([[#X0 + 320]]) weight([[#W0 + 72]]) output([[#Y0 + 80]]) channels(1)
// CHECK: npuisa.vector add a([[#Y0]]) b({{[0-9]+}}) b_bcast[3, 4] -> dst([[#Y0]]) count(24) dtype(f32)
func.func @depthwise(%x: tensor<2x3x4x4xf32>) -> tensor<2x3x2x2xf32> {
  %w = arith.constant dense<1.0> : tensor<3x1x3x3xf32>
  %b = arith.constant dense<[1.0, 2.0, 3.0]> : tensor<3xf32>
  %y = npu.conv2d %x, %w, %b {groups = 3, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 0, 0>} : (tensor<2x3x4x4xf32>, tensor<3x1x3x3xf32>, tensor<3xf32>) -> tensor<2x3x2x2xf32>
  return %y : tensor<2x3x2x2xf32>
}

// -----

// Grouped conv (2 groups of 2 input and 3 output channels), 2 images.
// CHECK-LABEL: npuisa.program @grouped
// CHECK: npuisa.conv input([[#X0:]]) weight([[#W0:]]) output([[#Y0:]]) channels(2) in_hw[3, 3] out_channels(3) out_hw[3, 3] out_rows[0, 3] kernel[1, 1]
// CHECK-NEXT: npuisa.conv input([[#X0 + 72]]) weight([[#W0 + 24]]) output([[#Y0 + 108]]) channels(2) {{.*}} out_channels(3)
// CHECK-NEXT: npuisa.conv input([[#X0 + 144]]) weight([[#W0]]) output([[#Y0 + 216]]) channels(2) {{.*}} out_channels(3)
// CHECK-NEXT: npuisa.conv input([[#X0 + 216]]) weight([[#W0 + 24]]) output([[#Y0 + 324]]) channels(2) {{.*}} out_channels(3)
// CHECK-NOT: npuisa.vector
func.func @grouped(%x: tensor<2x4x3x3xf32>, %w: tensor<6x2x1x1xf32>) -> tensor<2x6x3x3xf32> {
  %y = npu.conv2d %x, %w {groups = 2} : (tensor<2x4x3x3xf32>, tensor<6x2x1x1xf32>) -> tensor<2x6x3x3xf32>
  return %y : tensor<2x6x3x3xf32>
}

// -----

// matmul 2-D: m = 300 and n = 260 split at 256; k = 8 whole. Row strides in
// elements: lda = k, ldb = ldc = n.
// CHECK-LABEL: npuisa.program @matmul_tiles
// CHECK: npuisa.matmul a([[#A0:]]) b([[#B0:]]) c([[#C0:]]) m(256) k(8) n(256) lds[8, 260, 260] dtype(f32) accumulate(false)
// CHECK-NEXT: npuisa.matmul a([[#A0]]) b([[#B0 + 1024]]) c([[#C0 + 1024]]) m(256) k(8) n(4) lds[8, 260, 260]
// CHECK-NEXT: npuisa.matmul a([[#A0 + 8192]]) b([[#B0]]) c([[#C0 + 266240]]) m(44) k(8) n(256) lds[8, 260, 260]
// CHECK-NEXT: npuisa.matmul a([[#A0 + 8192]]) b([[#B0 + 1024]]) c([[#C0 + 267264]]) m(44) k(8) n(4) lds[8, 260, 260]
// CHECK-NOT: npuisa.matmul
func.func @matmul_tiles(%a: tensor<300x8xf32>, %b: tensor<8x260xf32>) -> tensor<300x260xf32> {
  %y = npu.matmul %a, %b : (tensor<300x8xf32>, tensor<8x260xf32>) -> tensor<300x260xf32>
  return %y : tensor<300x260xf32>
}

// -----

// Batched matmul with broadcasting batch dims [2, 1] x [3] -> [2, 3]: the
// lhs advances by one 4x5 matrix (80 bytes) per outer index only, the rhs
// by one 5x6 matrix (120 bytes) per inner index only.
// CHECK-LABEL: npuisa.program @matmul_batched
// CHECK: npuisa.matmul a([[#A0:]]) b([[#B0:]]) c([[#C0:]]) m(4) k(5) n(6) lds[5, 6, 6]
// CHECK-NEXT: npuisa.matmul a([[#A0]]) b([[#B0 + 120]]) c([[#C0 + 96]]) m(4) k(5) n(6)
// CHECK-NEXT: npuisa.matmul a([[#A0]]) b([[#B0 + 240]]) c([[#C0 + 192]]) m(4) k(5) n(6)
// CHECK-NEXT: npuisa.matmul a([[#A0 + 80]]) b([[#B0]]) c([[#C0 + 288]]) m(4) k(5) n(6)
// CHECK-NEXT: npuisa.matmul a([[#A0 + 80]]) b([[#B0 + 120]]) c([[#C0 + 384]]) m(4) k(5) n(6)
// CHECK-NEXT: npuisa.matmul a([[#A0 + 80]]) b([[#B0 + 240]]) c([[#C0 + 480]]) m(4) k(5) n(6)
// CHECK-NOT: npuisa.matmul
func.func @matmul_batched(%a: tensor<2x1x4x5xf32>, %b: tensor<3x5x6xf32>) -> tensor<2x3x4x6xf32> {
  %y = npu.matmul %a, %b : (tensor<2x1x4x5xf32>, tensor<3x5x6xf32>) -> tensor<2x3x4x6xf32>
  return %y : tensor<2x3x4x6xf32>
}

// -----

// A 1-D rhs is a k x 1 column (ldb = 1); a 1-D lhs a 1 x k row.
// CHECK-LABEL: npuisa.program @matmul_vectors
// CHECK: npuisa.matmul a({{[0-9]+}}) b({{[0-9]+}}) c({{[0-9]+}}) m(3) k(4) n(1) lds[4, 1, 1]
// CHECK: npuisa.matmul a({{[0-9]+}}) b({{[0-9]+}}) c({{[0-9]+}}) m(1) k(4) n(2) lds[4, 2, 2]
func.func @matmul_vectors(%a: tensor<3x4xf32>, %v: tensor<4xf32>, %b: tensor<4x2xf32>) -> (tensor<3xf32>, tensor<2xf32>) {
  %y = npu.matmul %a, %v : (tensor<3x4xf32>, tensor<4xf32>) -> tensor<3xf32>
  %z = npu.matmul %v, %b : (tensor<4xf32>, tensor<4x2xf32>) -> tensor<2xf32>
  return %y, %z : tensor<3xf32>, tensor<2xf32>
}

// -----

// gemm with a computed, transposed A (2x3 stored as 3x2) and B: both are
// transposed into temporaries by strided copies; alpha is a vector mul by a
// scalar segment; C (computed, beta = 1) is added per row, b_bcast [2, 4].
// CHECK-LABEL: npuisa.program @gemm_computed
// CHECK-SAME: npuisa.segments = [{data = dense<2.500000e+00> : tensor<1xf32>, dram = [[#ALPHA0:]] : i64}]
// CHECK: npuisa.load_input "input0"
// CHECK: npuisa.dma_in dram({{[0-9]+}}) -> sram([[#A0:]])
// CHECK: npuisa.load_input "input1"
// CHECK: npuisa.dma_in dram({{[0-9]+}}) -> sram([[#B0:]])
// CHECK: npuisa.load_input "input2"
// CHECK: npuisa.dma_in dram({{[0-9]+}}) -> sram([[#C0:]])
// CHECK: npuisa.dma_in dram([[#ALPHA0]]) -> sram([[#S0:]]) rows(1) row_bytes(4)
// CHECK: npuisa.copy src([[#A0]]) -> dst([[#AT0:]]) shape[1, 1, 2, 3] src_strides[0, 0, 1, 2] dst_strides[0, 0, 3, 1] dtype(f32)
// CHECK: npuisa.copy src([[#B0]]) -> dst([[#BT0:]]) shape[1, 1, 3, 4] src_strides[0, 0, 1, 3] dst_strides[0, 0, 4, 1] dtype(f32)
// CHECK: npuisa.matmul a([[#AT0]]) b([[#BT0]]) c([[#Y0:]]) m(2) k(3) n(4) lds[3, 4, 4]
// CHECK: npuisa.vector mul a([[#Y0]]) b([[#S0]]) b_bcast[1, 1] -> dst([[#Y0]]) count(8)
// CHECK: npuisa.vector add a([[#Y0]]) b([[#C0]]) b_bcast[2, 4] -> dst([[#Y0]]) count(8)
func.func @gemm_computed(%a: tensor<3x2xf32>, %b: tensor<4x3xf32>, %c: tensor<2x1xf32>) -> tensor<2x4xf32> {
  %y = npu.gemm %a, %b, %c {trans_a = true, trans_b = true, alpha = 2.5 : f32} : (tensor<3x2xf32>, tensor<4x3xf32>, tensor<2x1xf32>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

// -----

// gemm with a computed C and beta != 1: C is scaled into a temporary by a
// vector mul with a scalar segment, then added with b_bcast [4, 1].
// CHECK-LABEL: npuisa.program @gemm_beta
// CHECK: npuisa.matmul a({{[0-9]+}}) b({{[0-9]+}}) c([[Y:[0-9]+]]) m(2) k(3) n(4)
// CHECK: npuisa.vector mul a([[C:[0-9]+]]) b([[BETA:[0-9]+]]) b_bcast[1, 1] -> dst([[T:[0-9]+]]) count(4)
// CHECK: npuisa.vector add a([[Y]]) b([[T]]) b_bcast[4, 1] -> dst([[Y]]) count(8)
func.func @gemm_beta(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>, %c: tensor<4xf32>) -> tensor<2x4xf32> {
  %y = npu.gemm %a, %b, %c {beta = 3.0 : f32} : (tensor<2x3xf32>, tensor<3x4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

// -----

// Unary activations: one vector op each, written in place when the op is
// the last user of its input; alpha/beta carry the op's constants (leaky
// slope; hard-sigmoid slope and offset; clip bounds; gelu 1 = tanh
// approximation, 0 = erf).
// CHECK-LABEL: npuisa.program @unary
// CHECK: npuisa.vector relu a([[X:[0-9]+]]) -> dst([[R:[0-9]+]]) count(6) dtype(f32)
// CHECK-NEXT: npuisa.vector sigmoid a([[R]]) -> dst([[R]]) count(6)
// CHECK-NEXT: npuisa.vector tanh a([[R]]) -> dst([[R]]) count(6)
// CHECK-NEXT: npuisa.vector exp a([[R]]) -> dst([[R]]) count(6)
// CHECK-NEXT: npuisa.vector sqrt a([[R]]) -> dst([[R]]) count(6)
// CHECK-NEXT: npuisa.vector hard_swish a([[R]]) -> dst([[R]]) count(6)
// CHECK-NEXT: npuisa.vector leaky_relu a([[R]]) -> dst([[R]]) count(6) dtype(f32) {alpha = 1.250000e-01 : f32}
// CHECK-NEXT: npuisa.vector hard_sigmoid a([[R]]) -> dst([[R]]) count(6) dtype(f32) {alpha = 2.500000e-01 : f32, beta = 7.500000e-01 : f32}
// CHECK-NEXT: npuisa.vector clip a([[R]]) -> dst([[R]]) count(6) dtype(f32) {alpha = -1.000000e+00 : f32, beta = 2.000000e+00 : f32}
// CHECK-NEXT: npuisa.vector gelu a([[R]]) -> dst([[R]]) count(6) dtype(f32) {alpha = 1.000000e+00 : f32}
// CHECK-NEXT: npuisa.vector gelu a([[R]]) -> dst([[R]]) count(6) dtype(f32){{$}}
func.func @unary(%x: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>) {
  %0 = npu.relu %x : tensor<2x3xf32>
  %1 = npu.sigmoid %0 : tensor<2x3xf32>
  %2 = npu.tanh %1 : tensor<2x3xf32>
  %3 = npu.exp %2 : tensor<2x3xf32>
  %4 = npu.sqrt %3 : tensor<2x3xf32>
  %5 = npu.hard_swish %4 : tensor<2x3xf32>
  %6 = npu.leaky_relu %5 {alpha = 0.125 : f32} : tensor<2x3xf32>
  %7 = npu.hard_sigmoid %6 {alpha = 0.25 : f32, beta = 0.75 : f32} : tensor<2x3xf32>
  %8 = npu.clip %7 {min = -1.0 : f32, max = 2.0 : f32} : tensor<2x3xf32>
  %9 = npu.gelu %8 {approximate = true} : tensor<2x3xf32>
  %10 = npu.gelu %9 : tensor<2x3xf32>
  return %x, %10 : tensor<2x3xf32>, tensor<2x3xf32>
}

// -----

// prelu(x) = relu(x) + slope * min(x, 0): min against a scalar-zero
// segment, times the per-channel slope (b_bcast [C, H*W]), plus relu(x).
// CHECK-LABEL: npuisa.program @prelu
// CHECK-SAME: {data = dense<0.000000e+00> : tensor<1xf32>, dram = [[#ZERO0:]] : i64}
// CHECK: npuisa.dma_in dram([[#ZERO0]]) -> sram([[#Z0:]]) rows(1) row_bytes(4)
// CHECK: npuisa.dma_in dram({{[0-9]+}}) -> sram([[#S0:]]) rows(1) row_bytes(12)
// CHECK: npuisa.vector min a([[#X0:]]) b([[#Z0]]) b_bcast[1, 1] -> dst([[#N0:]]) count(24)
// CHECK-NEXT: npuisa.wait token([[#]]) on(vector)
// CHECK-NEXT: npuisa.vector mul a([[#N0]]) b([[#S0]]) b_bcast[3, 4] -> dst([[#N0]]) count(24)
// CHECK-NEXT: npuisa.vector relu a([[#X0]]) -> dst([[#X0]]) count(24)
// CHECK-NEXT: npuisa.vector add a([[#X0]]) b([[#N0]]) b_bcast[24, 1] -> dst([[#X0]]) count(24)
func.func @prelu(%x: tensor<2x3x2x2xf32>) -> tensor<2x3x2x2xf32> {
  %s = arith.constant dense<[[[0.1]], [[0.2]], [[0.3]]]> : tensor<3x1x1xf32>
  %y = npu.prelu %x, %s : (tensor<2x3x2x2xf32>, tensor<3x1x1xf32>) -> tensor<2x3x2x2xf32>
  return %y : tensor<2x3x2x2xf32>
}

// -----

// batch_norm: x * s + t with the folded per-channel s and t (values in
// segments.mlir), b_bcast [C, H*W], in place.
// CHECK-LABEL: npuisa.program @batch_norm
// CHECK: npuisa.vector mul a([[X:[0-9]+]]) b({{[0-9]+}}) b_bcast[2, 9] -> dst([[X]]) count(36)
// CHECK-NEXT: npuisa.wait token([[#]]) on(vector)
// CHECK-NEXT: npuisa.vector add a([[X]]) b({{[0-9]+}}) b_bcast[2, 9] -> dst([[X]]) count(36)
func.func @batch_norm(%x: tensor<2x2x3x3xf32>) -> tensor<2x2x3x3xf32> {
  %s = arith.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %b = arith.constant dense<[0.5, 0.25]> : tensor<2xf32>
  %m = arith.constant dense<[3.0, 4.0]> : tensor<2xf32>
  %v = arith.constant dense<[1.0, 3.0]> : tensor<2xf32>
  %y = npu.batch_norm %x, %s, %b, %m, %v {epsilon = 0.0 : f32} : tensor<2x2x3x3xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>
  return %y : tensor<2x2x3x3xf32>
}

// -----

// Pooling: one instruction over N*C = 6 channels; the output size comes from
// the result type (ceil_mode gives 3 here); count_include_pad is carried.
// CHECK-LABEL: npuisa.program @pools
// CHECK: npuisa.pool max src([[X:[0-9]+]]) -> dst({{[0-9]+}}) channels(6) in_hw[5, 5] out_hw[3, 3] kernel[2, 2] strides[2, 2] pads[0, 0, 0, 0] dilations[1, 1] dtype(f32){{$}}
// CHECK: npuisa.pool avg src([[X]]) -> dst({{[0-9]+}}) channels(6) in_hw[5, 5] out_hw[3, 3] kernel[3, 3] strides[2, 2] pads[1, 1, 1, 1] dilations[1, 1] dtype(f32) {count_include_pad = true}
// CHECK: npuisa.pool avg src([[X]]) -> dst({{[0-9]+}}) channels(6) in_hw[5, 5] out_hw[2, 2] kernel[2, 2] strides[2, 2] pads[0, 0, 0, 0] dilations[1, 1] dtype(f32){{$}}
func.func @pools(%x: tensor<2x3x5x5xf32>) -> (tensor<2x3x3x3xf32>, tensor<2x3x3x3xf32>, tensor<2x3x2x2xf32>) {
  %a = npu.max_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, ceil_mode = true} : tensor<2x3x5x5xf32> -> tensor<2x3x3x3xf32>
  %b = npu.avg_pool2d %x {kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, count_include_pad = true} : tensor<2x3x5x5xf32> -> tensor<2x3x3x3xf32>
  %c = npu.avg_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<2x3x5x5xf32> -> tensor<2x3x2x2xf32>
  return %a, %b, %c : tensor<2x3x3x3xf32>, tensor<2x3x3x3xf32>, tensor<2x3x2x2xf32>
}

// -----

// Global pools: reduce [N*C, H*W, 1].
// CHECK-LABEL: npuisa.program @global_pools
// CHECK: npuisa.reduce mean src([[X:[0-9]+]]) -> dst({{[0-9]+}}) shape[6, 20, 1] dtype(f32)
// CHECK: npuisa.reduce max src([[X]]) -> dst({{[0-9]+}}) shape[6, 20, 1] dtype(f32)
func.func @global_pools(%x: tensor<2x3x4x5xf32>) -> (tensor<2x3x1x1xf32>, tensor<2x3x1x1xf32>) {
  %a = npu.global_avg_pool %x : tensor<2x3x4x5xf32> -> tensor<2x3x1x1xf32>
  %b = npu.global_max_pool %x : tensor<2x3x4x5xf32> -> tensor<2x3x1x1xf32>
  return %a, %b : tensor<2x3x1x1xf32>, tensor<2x3x1x1xf32>
}

// -----

// Reductions: adjacent axes are one reduce [outer, reduced, inner]; unit
// dims do not separate runs; separate runs are reduced innermost first,
// through a temporary.
// CHECK-LABEL: npuisa.program @reduces
// CHECK: npuisa.reduce sum src([[X:[0-9]+]]) -> dst({{[0-9]+}}) shape[2, 12, 5] dtype(f32)
// CHECK: npuisa.reduce max src([[X]]) -> dst({{[0-9]+}}) shape[1, 120, 1] dtype(f32)
// CHECK: npuisa.reduce mean src([[X]]) -> dst([[T:[0-9]+]]) shape[24, 5, 1] dtype(f32)
// CHECK-NEXT: npuisa.reduce mean src([[T]]) -> dst({{[0-9]+}}) shape[2, 3, 4] dtype(f32)
func.func @reduces(%x: tensor<2x3x1x4x5xf32>) -> (tensor<2x1x1x1x5xf32>, tensor<1x1x1x1x1xf32>, tensor<2x4xf32>) {
  %a = npu.reduce_sum %x {axes = array<i64: 1, 2, 3>} : tensor<2x3x1x4x5xf32> -> tensor<2x1x1x1x5xf32>
  %b = npu.reduce_max %x {axes = array<i64: 0, 1, 2, 3, 4>} : tensor<2x3x1x4x5xf32> -> tensor<1x1x1x1x1xf32>
  %c = npu.reduce_mean %x {axes = array<i64: 1, -1>, keepdims = false} : tensor<2x3x1x4x5xf32> -> tensor<2x1x4xf32>
  %d = npu.reshape %c : tensor<2x1x4xf32> -> tensor<2x4xf32>
  return %a, %b, %d : tensor<2x1x1x1x5xf32>, tensor<1x1x1x1x1xf32>, tensor<2x4xf32>
}

// -----

// softmax over the last axis (inner = 1): the max and the sum reach every
// row through b_bcast [outer, R].
// CHECK-LABEL: npuisa.program @softmax_last
// CHECK: npuisa.reduce max src([[X:[0-9]+]]) -> dst([[M:[0-9]+]]) shape[2, 5, 1]
// CHECK-NEXT: npuisa.vector sub a([[X]]) b([[M]]) b_bcast[2, 5] -> dst([[X]]) count(10)
// CHECK-NEXT: npuisa.vector exp a([[X]]) -> dst([[X]]) count(10)
// CHECK-NEXT: npuisa.reduce sum src([[X]]) -> dst([[S:[0-9]+]]) shape[2, 5, 1]
// CHECK-NEXT: npuisa.vector div a([[X]]) b([[S]]) b_bcast[2, 5] -> dst([[X]]) count(10)
func.func @softmax_last(%x: tensor<2x5xf32>) -> tensor<2x5xf32> {
  %y = npu.softmax %x : tensor<2x5xf32>
  return %y : tensor<2x5xf32>
}

// -----

// softmax over the first axis (outer = 1): b_bcast [inner, 1].
// CHECK-LABEL: npuisa.program @softmax_first
// CHECK: npuisa.reduce max src([[X:[0-9]+]]) -> dst([[M:[0-9]+]]) shape[1, 3, 4]
// CHECK-NEXT: npuisa.vector sub a([[X]]) b([[M]]) b_bcast[4, 1] -> dst([[X]]) count(12)
// CHECK: npuisa.vector div a([[X]]) b({{[0-9]+}}) b_bcast[4, 1] -> dst([[X]]) count(12)
func.func @softmax_first(%x: tensor<3x4xf32>) -> tensor<3x4xf32> {
  %y = npu.softmax %x {axis = 0 : i64} : tensor<3x4xf32>
  return %y : tensor<3x4xf32>
}

// -----

// softmax over a middle axis: the statistics are spread to the full shape by
// stride-0 copies before the elementwise sub and div.
// CHECK-LABEL: npuisa.program @softmax_middle
// CHECK: npuisa.reduce max src([[X:[0-9]+]]) -> dst([[M:[0-9]+]]) shape[2, 3, 4]
// CHECK-NEXT: npuisa.copy src([[M]]) -> dst([[F:[0-9]+]]) shape[1, 2, 3, 4] src_strides[0, 4, 0, 1] dst_strides[0, 12, 4, 1]
// CHECK-NEXT: npuisa.vector sub a([[X]]) b([[F]]) b_bcast[24, 1] -> dst([[X]]) count(24)
// CHECK-NEXT: npuisa.vector exp
// CHECK-NEXT: npuisa.reduce sum src([[X]]) -> dst([[S:[0-9]+]]) shape[2, 3, 4]
// CHECK-NEXT: npuisa.copy src([[S]]) -> dst([[G:[0-9]+]]) shape[1, 2, 3, 4] src_strides[0, 4, 0, 1] dst_strides[0, 12, 4, 1]
// CHECK-NEXT: npuisa.vector div a([[X]]) b([[G]]) b_bcast[24, 1] -> dst([[X]]) count(24)
func.func @softmax_middle(%x: tensor<2x3x4xf32>) -> tensor<2x3x4xf32> {
  %y = npu.softmax %x {axis = -2 : i64} : tensor<2x3x4xf32>
  return %y : tensor<2x3x4xf32>
}

// -----

// reshape emits nothing: the result is the input's buffer.
// CHECK-LABEL: npuisa.program @reshape
// CHECK-NEXT: npuisa.load_input "input0" offset(0) -> dram(0) bytes(96)
// CHECK-NEXT: npuisa.dma_in dram(0) -> sram([[X:[0-9]+]]) rows(1) row_bytes(96)
// CHECK-NEXT: npuisa.signal token(0) on(dma_in)
// CHECK-NEXT: npuisa.wait token(0) on(vector)
// CHECK-NEXT: npuisa.vector relu a([[X]]) -> dst([[X]]) count(24)
// CHECK-NEXT: npuisa.signal token(1) on(vector)
// CHECK-NEXT: npuisa.wait token(1) on(dma_out)
// CHECK-NEXT: npuisa.dma_out sram([[X]])
func.func @reshape(%x: tensor<2x3x4xf32>) -> tensor<6x4xf32> {
  %r = npu.reshape %x : tensor<2x3x4xf32> -> tensor<24xf32>
  %y = npu.relu %r : tensor<24xf32>
  %z = npu.reshape %y : tensor<24xf32> -> tensor<6x4xf32>
  return %z : tensor<6x4xf32>
}

// -----

// transpose NCHW -> NHWC: H and W merge into one dimension of the copy.
// CHECK-LABEL: npuisa.program @transpose
// CHECK: npuisa.copy src({{[0-9]+}}) -> dst({{[0-9]+}}) shape[1, 2, 20, 3] src_strides[0, 60, 1, 20] dst_strides[0, 60, 3, 1] dtype(f32)
func.func @transpose(%x: tensor<2x3x4x5xf32>) -> tensor<2x4x5x3xf32> {
  %y = npu.transpose %x {perm = array<i64: 0, 2, 3, 1>} : tensor<2x3x4x5xf32> -> tensor<2x4x5x3xf32>
  return %y : tensor<2x4x5x3xf32>
}

// -----

// A transpose of rank 5 that no dims merge in: one rank-4 copy per index of
// the leading dimension (input dim 1: 12 elements = 48 bytes apart in the
// source, 24 elements = 96 bytes in the result).
// CHECK-LABEL: npuisa.program @transpose_rank5
// CHECK: npuisa.copy src([[#X0:]]) -> dst([[#Y0:]]) shape[3, 2, 2, 2] src_strides[1, 24, 3, 6] dst_strides[8, 4, 2, 1]
// CHECK-NEXT: npuisa.copy src([[#X0 + 48]]) -> dst([[#Y0 + 96]]) shape[3, 2, 2, 2] src_strides[1, 24, 3, 6] dst_strides[8, 4, 2, 1]
// CHECK-NOT: npuisa.copy
func.func @transpose_rank5(%x: tensor<2x2x2x2x3xf32>) -> tensor<2x3x2x2x2xf32> {
  %y = npu.transpose %x {perm = array<i64: 1, 4, 0, 3, 2>} : tensor<2x2x2x2x3xf32> -> tensor<2x3x2x2x2xf32>
  return %y : tensor<2x3x2x2x2xf32>
}

// -----

// slice: start at offsets (0, 1, 2) = element 1*5 + 2 = 7 (28 bytes), the
// strides scale the source strides (the two outer dims merge).
// CHECK-LABEL: npuisa.program @slice
// CHECK: npuisa.dma_in dram({{[0-9]+}}) -> sram([[#X0:]])
// CHECK: npuisa.copy src([[#X0 + 28]]) -> dst({{[0-9]+}}) shape[1, 1, 4, 2] src_strides[0, 0, 10, 2] dst_strides[0, 0, 2, 1]
func.func @slice(%x: tensor<2x4x5xf32>) -> tensor<2x2x2xf32> {
  %y = npu.slice %x {offsets = array<i64: 0, 1, 2>, strides = array<i64: 1, 2, 2>} : tensor<2x4x5xf32> -> tensor<2x2x2xf32>
  return %y : tensor<2x2x2xf32>
}

// -----

// concat along axis 1: each input is a strided copy into its slab of the
// result (the second starts 2 rows = 8 elements = 32 bytes in).
// CHECK-LABEL: npuisa.program @concat
// CHECK: npuisa.copy src({{[0-9]+}}) -> dst([[#Y0:]]) shape[1, 1, 2, 8] src_strides[0, 0, 8, 1] dst_strides[0, 0, 20, 1]
// CHECK-NEXT: npuisa.wait token([[#]]) on(vector)
// CHECK-NEXT: npuisa.copy src({{[0-9]+}}) -> dst([[#Y0 + 32]]) shape[1, 1, 2, 12] src_strides[0, 0, 12, 1] dst_strides[0, 0, 20, 1]
func.func @concat(%a: tensor<2x2x4xf32>, %b: tensor<2x3x4xf32>) -> tensor<2x5x4xf32> {
  %y = npu.concat %a, %b {axis = 1 : i64} : (tensor<2x2x4xf32>, tensor<2x3x4xf32>) -> tensor<2x5x4xf32>
  return %y : tensor<2x5x4xf32>
}

// -----

// pad (constant mode): fill the 2x4x5 result with the value, then copy the
// input into the interior starting at (0, 1, 2) = element 7 (28 bytes). The
// fill does not wait for the input; the copy does.
// CHECK-LABEL: npuisa.program @pad
// CHECK: npuisa.fill dst([[#Y0:]]) count(40) value(-2.500000e+00) dtype(f32)
// CHECK-NEXT: npuisa.wait token([[#]]) on(vector)
// CHECK-NEXT: npuisa.copy src({{[0-9]+}}) -> dst([[#Y0 + 28]]) shape[1, 2, 2, 3] src_strides[0, 6, 3, 1] dst_strides[0, 20, 5, 1]
func.func @pad(%x: tensor<2x2x3xf32>) -> tensor<2x4x5xf32> {
  %y = npu.pad %x {pads = array<i64: 0, 1, 2, 0, 1, 0>, value = -2.5 : f32} : tensor<2x2x3xf32> -> tensor<2x4x5xf32>
  return %y : tensor<2x4x5xf32>
}

// -----

// resize: one instruction over N*C channels, modes = [coordinate_mode,
// nearest_mode] enum values (asymmetric = 1, floor = 2).
// CHECK-LABEL: npuisa.program @resize
// CHECK: npuisa.resize nearest src({{[0-9]+}}) -> dst({{[0-9]+}}) channels(6) in_hw[2, 3] out_hw[4, 6] modes[1, 2] dtype(f32)
// CHECK: npuisa.resize linear src({{[0-9]+}}) -> dst({{[0-9]+}}) channels(6) in_hw[2, 3] out_hw[3, 5] modes[0, 0] dtype(f32)
func.func @resize(%x: tensor<2x3x2x3xf32>) -> (tensor<2x3x4x6xf32>, tensor<2x3x3x5xf32>) {
  %a = npu.resize %x {coordinate_mode = #npu.coordinate_mode<asymmetric>, nearest_mode = #npu.nearest_mode<floor>} : tensor<2x3x2x3xf32> -> tensor<2x3x4x6xf32>
  %b = npu.resize %x {mode = #npu.resize_mode<linear>} : tensor<2x3x2x3xf32> -> tensor<2x3x3x5xf32>
  return %a, %b : tensor<2x3x4x6xf32>, tensor<2x3x3x5xf32>
}
