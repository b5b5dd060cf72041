// RUN: npu-opt %s -split-input-file --npu-set-system=system=single \
// RUN:   --npu-lower-to-isa -verify-diagnostics

// Every diagnostic of npu-lower-to-isa on chip 0 of `single` (256x256 MAC
// array, 8 MiB SRAM). Capabilities and chip ids: invalid-chip.mlir.

// 4 MiB each for a, b and the result: the inputs fill the 8 MiB SRAM, the
// matmul's result has no room.
func.func @too_big(%a: tensor<1024x1024xf32>, %b: tensor<1024x1024xf32>) -> tensor<1024x1024xf32> {
  // expected-error @+1 {{'npu.matmul' op needs 12582912 bytes of SRAM for its own buffers, more than the 8388608 of chip 0}}
  %y = npu.matmul %a, %b : (tensor<1024x1024xf32>, tensor<1024x1024xf32>) -> tensor<1024x1024xf32>
  return %y : tensor<1024x1024xf32>
}

// -----

// Other tensors held across the op reduce what is free for it: %x (4 MiB)
// is still needed after the relu of %y (2 MiB in, 2 MiB out, in place not
// possible since %y is returned).
func.func @too_big_with_live(%x: tensor<1024x1024xf32>, %y: tensor<512x1024xf32>) -> (tensor<1024x1024xf32>, tensor<512x1024xf32>, tensor<512x1024xf32>, tensor<512x1024xf32>) {
  %a = npu.relu %y : tensor<512x1024xf32>
  // expected-error @+1 {{'npu.sigmoid' op needs 4194304 bytes of SRAM for its own buffers, but only 2097152 of chip 0's 8388608 bytes are free: 6291456 hold buffers live across it}}
  %b = npu.sigmoid %y : tensor<512x1024xf32>
  return %x, %y, %a, %b : tensor<1024x1024xf32>, tensor<512x1024xf32>, tensor<512x1024xf32>, tensor<512x1024xf32>
}

// -----

func.func @unsupported(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'arith.addf' op is not supported by npu-lower-to-isa}}
  %y = arith.addf %x, %x : tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

func.func @not_f32(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'arith.constant' op only f32 is lowered so far, got 'tensor<4xf16>'}}
  %c = arith.constant dense<1.0> : tensor<4xf16>
  // expected-error @+1 {{'npu.relu' op only f32 is lowered so far, got 'tensor<4xf16>'}}
  %r = npu.relu %c : tensor<4xf16>
  return %x : tensor<4xf32>
}

// -----

// expected-error @+1 {{'func.func' op argument 0 has type 'tensor<4xbf16>'; only f32 is lowered so far, as non-empty static tensors}}
func.func @not_f32_argument(%x: tensor<4xbf16>) -> tensor<4xbf16> {
  return %x : tensor<4xbf16>
}

// -----

func.func @quantize(%x: tensor<4xf32>) -> tensor<4xi8> {
  // expected-error @+1 {{'npu.quantize' op is not lowered yet: the lowering handles only f32}}
  %q = npu.quantize %x {scale = 0.5 : f32} : tensor<4xf32> -> tensor<4xi8>
  return %q : tensor<4xi8>
}

// -----

func.func @dequantize(%q: tensor<4xi8>) -> tensor<4xf32> {
  // expected-error @+1 {{'npu.dequantize' op is not lowered yet: the lowering handles only f32}}
  %x = npu.dequantize %q {scale = 0.5 : f32} : tensor<4xi8> -> tensor<4xf32>
  return %x : tensor<4xf32>
}

// -----

// A conv tile holds whole output rows: 300 pixels wide is more than the 256
// rows of the MAC array.
func.func @wide_conv(%x: tensor<1x1x1x300xf32>) -> tensor<1x1x1x300xf32> {
  %w = arith.constant dense<1.0> : tensor<1x1x1x1xf32>
  // expected-error @+1 {{'npu.conv2d' op output width 300 exceeds the 256 rows of the MAC array of chip 0; a conv tile holds at least one output row}}
  %y = npu.conv2d %x, %w : (tensor<1x1x1x300xf32>, tensor<1x1x1x1xf32>) -> tensor<1x1x1x300xf32>
  return %y : tensor<1x1x1x300xf32>
}

// -----

// A transposed convolution's kernel is rearranged at compile time.
func.func @conv_transpose_computed_weight(%x: tensor<1x2x3x3xf32>, %w: tensor<2x2x3x3xf32>) -> tensor<1x2x5x5xf32> {
  // expected-error @+1 {{'npu.conv_transpose2d' op needs a constant weight: it is flipped and transposed into a convolution kernel at compile time}}
  %y = npu.conv_transpose2d %x, %w : (tensor<1x2x3x3xf32>, tensor<2x2x3x3xf32>) -> tensor<1x2x5x5xf32>
  return %y : tensor<1x2x5x5xf32>
}

// -----

// Its output rows go through the conv tiles of conv2d: 2 * 149 + 1 + 1 = 300
// pixels wide is too wide for one.
func.func @conv_transpose_wide(%x: tensor<1x1x1x150xf32>) -> tensor<1x1x1x300xf32> {
  %w = arith.constant dense<1.0> : tensor<1x1x1x1xf32>
  // expected-error @+1 {{'npu.conv_transpose2d' op output width 300 exceeds the 256 rows of the MAC array of chip 0; a conv tile holds at least one output row}}
  %y = npu.conv_transpose2d %x, %w {strides = array<i64: 1, 2>, output_padding = array<i64: 0, 1>} : (tensor<1x1x1x150xf32>, tensor<1x1x1x1xf32>) -> tensor<1x1x1x300xf32>
  return %y : tensor<1x1x1x300xf32>
}

// -----

// The working set counts the scattered input: 524288 bytes of input, 1024 of
// kernel, and 16 x 509 x 253 x 4 = 8241728 each for the scattered input and
// the result.
func.func @conv_transpose_too_big(%x: tensor<1x16x128x64xf32>) -> tensor<1x16x509x253xf32> {
  %w = arith.constant dense<1.0> : tensor<16x16x1x1xf32>
  // expected-error @+1 {{'npu.conv_transpose2d' op needs 17008768 bytes of SRAM for its own buffers, more than the 8388608 of chip 0}}
  %y = npu.conv_transpose2d %x, %w {strides = array<i64: 4, 4>} : (tensor<1x16x128x64xf32>, tensor<16x16x1x1xf32>) -> tensor<1x16x509x253xf32>
  return %y : tensor<1x16x509x253xf32>
}

// -----

func.func @reflect_pad(%x: tensor<4x4xf32>) -> tensor<6x6xf32> {
  // expected-error @+1 {{'npu.pad' op pad mode 'reflect' is not lowered yet}}
  %y = npu.pad %x {pads = array<i64: 1, 1, 1, 1>, mode = #npu.pad_mode<reflect>} : tensor<4x4xf32> -> tensor<6x6xf32>
  return %y : tensor<6x6xf32>
}

// -----

func.func @edge_pad(%x: tensor<4x4xf32>) -> tensor<6x6xf32> {
  // expected-error @+1 {{'npu.pad' op pad mode 'edge' is not lowered yet}}
  %y = npu.pad %x {pads = array<i64: 1, 1, 1, 1>, mode = #npu.pad_mode<edge>} : tensor<4x4xf32> -> tensor<6x6xf32>
  return %y : tensor<6x6xf32>
}

// -----

func.func @batch_norm_computed(%x: tensor<1x2x3x3xf32>, %s: tensor<2xf32>) -> tensor<1x2x3x3xf32> {
  %c = arith.constant dense<1.0> : tensor<2xf32>
  // expected-error @+1 {{'npu.batch_norm' op needs constant scale, bias, mean and variance to fold them into a per-channel scale and shift}}
  %y = npu.batch_norm %x, %s, %c, %c, %c : tensor<1x2x3x3xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>
  return %y : tensor<1x2x3x3xf32>
}

// -----

func.func @sparse_constant(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'arith.constant' op must hold dense elements to become a DRAM segment}}
  %c = arith.constant sparse<[[1]], [2.0]> : tensor<4xf32>
  %y = npu.add %x, %c : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// expected-error @+1 {{'func.func' op names two arguments 'x'}}
func.func @duplicate_names(%a: tensor<4xf32> {npu.name = "x"}, %b: tensor<4xf32> {npu.name = "x"}) -> tensor<4xf32> {
  return %a : tensor<4xf32>
}

// -----

// A constant whose values are needed at compile time but whose blob is not
// in the module.
func.func @missing_blob(%a: tensor<2x2xf32>) -> tensor<2x2xf32> {
  %w = arith.constant dense_resource<absent> : tensor<2x2xf32>
  // expected-error @+1 {{'npu.gemm' op needs the values of a constant operand at compile time, but its data is not available}}
  %y = npu.gemm %a, %w {trans_b = true} : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  return %y : tensor<2x2xf32>
}

// -----

// expected-error @+1 {{npu-lower-to-isa expects exactly one func.func (the model), found 2}}
module {
  func.func @a() {
    return
  }
  func.func @b() {
    return
  }
}

// -----

// expected-error @+1 {{npu-lower-to-isa expects exactly one func.func (the model), found 0}}
module {
}

// -----

#chip0 = #npu.chip<id = 0, name = "npu0", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 256, mac_cols = 256, vector_lanes = 256, sram_bytes = 8388608, dram_bytes = 2147483648, dram_bytes_per_cycle = 64, clock_mhz = 1000, power = <active_mw = 4000, idle_mw = 600, off_mw = 20, wake_cycles = 20000, wake_energy_nj = 50000>>
#system = #npu.system<name = "single", topology = "switch", chips = [#chip0], host = <bandwidth_gbps = 16, latency_ns = 1000>>
module attributes {npu.system = #system} {
  // expected-error @+1 {{'npuisa.program' op already holds the program of chip 0}}
  npuisa.program @existing chip(0) {
    npuisa.halt
  }
  func.func @model(%x: tensor<4xf32>) -> tensor<4xf32> {
    return %x : tensor<4xf32>
  }
}
