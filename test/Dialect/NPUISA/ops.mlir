// RUN: npu-opt %s | FileCheck %s
// RUN: npu-opt %s | npu-opt | FileCheck %s
// RUN: npu-opt %s --mlir-print-op-generic | npu-opt | FileCheck %s
//
// Round trip of every npuisa operation, every enum value (element types,
// engines, vector/reduce/pool/resize kinds, confidence measures) and every
// optional part of the custom syntax, through the custom and the generic
// form. The module carries the e1-package system (chip 0 "small", chip 1
// "big", linked), which programs need to verify.

#chip0 = #npu.chip<id = 0, name = "small", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 256, mac_cols = 256, vector_lanes = 256, sram_bytes = 4194304, dram_bytes = 1073741824, dram_bytes_per_cycle = 64, clock_mhz = 1000, power = <active_mw = 2500, idle_mw = 400, off_mw = 15, wake_cycles = 10000, wake_energy_nj = 20000>>
#chip1 = #npu.chip<id = 1, name = "big", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 512, mac_cols = 512, vector_lanes = 512, sram_bytes = 16777216, dram_bytes = 4294967296, dram_bytes_per_cycle = 128, clock_mhz = 1000, power = <active_mw = 12000, idle_mw = 1800, off_mw = 40, wake_cycles = 50000, wake_energy_nj = 400000>>
#system = #npu.system<name = "e1-package", topology = "switch", chips = [#chip0, #chip1], links = [<a = 0, b = 1, bandwidth_gbps = 64, latency_ns = 100>], host = <bandwidth_gbps = 16, latency_ns = 1000>>
// CHECK: module attributes {npu.inputs = [#npu.tensor<"x" : tensor<3073xi8>>], npu.outputs = [#npu.tensor<"y" : tensor<20xf32>>], npu.system = #system} {
module attributes {npu.inputs = [#npu.tensor<"x" : tensor<3073xi8>>], npu.outputs = [#npu.tensor<"y" : tensor<20xf32>>], npu.system = #system} {

  // CHECK-LABEL: npuisa.program @small chip(0) {
  npuisa.program @small chip(0) {
    // CHECK-NEXT: npuisa.load_input "x" offset(0) -> dram(0) bytes(3072)
    npuisa.load_input "x" offset(0) -> dram(0) bytes(3072)
    // CHECK-NEXT: npuisa.load_input "x" offset(3072) -> dram(8192) bytes(1)
    npuisa.load_input "x" offset(3072) -> dram(8192) bytes(1)
    // CHECK-NEXT: npuisa.dma_in dram(0) -> sram(0) rows(4) row_bytes(64) strides[256, 64]
    npuisa.dma_in dram(0) -> sram(0) rows(4) row_bytes(64) strides[256, 64]
    // CHECK-NEXT: npuisa.dma_out sram(0) -> dram(4096) rows(2) row_bytes(40) strides[40, 128]
    npuisa.dma_out sram(0) -> dram(4096) rows(2) row_bytes(40) strides[40, 128]
    // CHECK-NEXT: npuisa.store_output "y" offset(40) from dram(4096) bytes(40)
    npuisa.store_output "y" offset(40) from dram(4096) bytes(40)

    // CHECK-NEXT: npuisa.matmul a(0) b(256) c(4352) m(1) k(64) n(16) lds[64, 16, 16] dtype(f32) accumulate(false)
    npuisa.matmul a(0) b(256) c(4352) m(1) k(64) n(16) lds[64, 16, 16] dtype(f32) accumulate(false)
    // CHECK-NEXT: npuisa.matmul a(0) b(1024) c(8192) m(4) k(32) n(8) lds[40, 12, 16] dtype(i8) accumulate(true)
    npuisa.matmul a(0) b(1024) c(8192) m(4) k(32) n(8) lds[40, 12, 16] dtype(i8) accumulate(true)
    // CHECK-NEXT: npuisa.conv input(0) weight(4096) output(8192) channels(3) in_hw[8, 8] out_channels(16) out_hw[8, 8] out_rows[0, 8] kernel[3, 3] strides[1, 1] pads[1, 1, 1, 1] dilations[1, 1] dtype(f32)
    npuisa.conv input(0) weight(4096) output(8192) channels(3) in_hw[8, 8] out_channels(16) out_hw[8, 8] out_rows[0, 8] kernel[3, 3] strides[1, 1] pads[1, 1, 1, 1] dilations[1, 1] dtype(f32)
    // CHECK-NEXT: npuisa.conv input(0) weight(4096) output(8192) channels(2) in_hw[9, 8] out_channels(4) out_hw[4, 3] out_rows[2, 2] kernel[3, 2] strides[2, 3] pads[0, 1, 1, 0] dilations[1, 2] dtype(ui8)
    npuisa.conv input(0) weight(4096) output(8192) channels(2) in_hw[9, 8] out_channels(4) out_hw[4, 3] out_rows[2, 2] kernel[3, 2] strides[2, 3] pads[0, 1, 1, 0] dilations[1, 2] dtype(ui8)

    // Binary operations take b and b_bcast.
    // CHECK-NEXT: npuisa.vector add a(0) b(1024) b_bcast[16, 16] -> dst(2048) count(256) dtype(f32)
    npuisa.vector add a(0) b(1024) b_bcast[16, 16] -> dst(2048) count(256) dtype(f32)
    // CHECK-NEXT: npuisa.vector sub a(0) b(1024) b_bcast[256, 1] -> dst(2048) count(256) dtype(f16)
    npuisa.vector sub a(0) b(1024) b_bcast[256, 1] -> dst(2048) count(256) dtype(f16)
    // CHECK-NEXT: npuisa.vector mul a(0) b(1024) b_bcast[1, 1] -> dst(2048) count(256) dtype(bf16)
    npuisa.vector mul a(0) b(1024) b_bcast[1, 1] -> dst(2048) count(256) dtype(bf16)
    // CHECK-NEXT: npuisa.vector div a(0) b(1024) b_bcast[4, 64] -> dst(2048) count(256) dtype(f32)
    npuisa.vector div a(0) b(1024) b_bcast[4, 64] -> dst(2048) count(256) dtype(f32)
    // CHECK-NEXT: npuisa.vector max a(0) b(1024) b_bcast[1, 1] -> dst(2048) count(256) dtype(f32)
    npuisa.vector max a(0) b(1024) b_bcast[1, 1] -> dst(2048) count(256) dtype(f32)
    // CHECK-NEXT: npuisa.vector min a(0) b(1024) b_bcast[1, 1] -> dst(2048) count(256) dtype(f32)
    npuisa.vector min a(0) b(1024) b_bcast[1, 1] -> dst(2048) count(256) dtype(f32)
    // CHECK-NEXT: npuisa.vector pow a(0) b(1024) b_bcast[1, 1] -> dst(2048) count(256) dtype(f32)
    npuisa.vector pow a(0) b(1024) b_bcast[1, 1] -> dst(2048) count(256) dtype(f32)
    // Unary operations; alpha and beta print only when not 0.0.
    // CHECK-NEXT: npuisa.vector copy a(0) -> dst(2048) count(256) dtype(f32)
    npuisa.vector copy a(0) -> dst(2048) count(256) dtype(f32)
    // CHECK-NEXT: npuisa.vector relu a(0) -> dst(2048) count(256) dtype(f16)
    npuisa.vector relu a(0) -> dst(2048) count(256) dtype(f16)
    // CHECK-NEXT: npuisa.vector leaky_relu a(0) -> dst(2048) count(256) dtype(bf16) {alpha = 1.250000e-01 : f32}
    npuisa.vector leaky_relu a(0) -> dst(2048) count(256) dtype(bf16) {alpha = 0.125 : f32}
    // CHECK-NEXT: npuisa.vector sigmoid a(0) -> dst(2048) count(256) dtype(f32)
    npuisa.vector sigmoid a(0) -> dst(2048) count(256) dtype(f32)
    // CHECK-NEXT: npuisa.vector hard_sigmoid a(0) -> dst(2048) count(256) dtype(f32) {alpha = 2.000000e-01 : f32, beta = 5.000000e-01 : f32}
    npuisa.vector hard_sigmoid a(0) -> dst(2048) count(256) dtype(f32) {alpha = 0.2 : f32, beta = 0.5 : f32}
    // CHECK-NEXT: npuisa.vector hard_swish a(0) -> dst(2048) count(256) dtype(f32)
    npuisa.vector hard_swish a(0) -> dst(2048) count(256) dtype(f32)
    // CHECK-NEXT: npuisa.vector tanh a(0) -> dst(2048) count(256) dtype(f32)
    npuisa.vector tanh a(0) -> dst(2048) count(256) dtype(f32)
    // CHECK-NEXT: npuisa.vector clip a(0) -> dst(2048) count(256) dtype(f32) {alpha = -1.000000e+00 : f32, beta = 6.000000e+00 : f32}
    npuisa.vector clip a(0) -> dst(2048) count(256) dtype(f32) {beta = 6.0 : f32, alpha = -1.0 : f32}
    // CHECK-NEXT: npuisa.vector gelu a(0) -> dst(2048) count(256) dtype(f32)
    npuisa.vector gelu a(0) -> dst(2048) count(256) dtype(f32)
    // CHECK-NEXT: npuisa.vector exp a(0) -> dst(2048) count(256) dtype(f32)
    npuisa.vector exp a(0) -> dst(2048) count(256) dtype(f32)
    // CHECK-NEXT: npuisa.vector sqrt a(0) -> dst(2048) count(256) dtype(f32)
    npuisa.vector sqrt a(0) -> dst(2048) count(256) dtype(f32)
    // Quantization: f32 <-> the 8-bit dtype; alpha is the scale, beta the
    // zero point.
    // CHECK-NEXT: npuisa.vector quantize a(0) -> dst(2048) count(256) dtype(i8) {alpha = 6.250000e-02 : f32, beta = -3.000000e+00 : f32}
    npuisa.vector quantize a(0) -> dst(2048) count(256) dtype(i8) {alpha = 0.0625 : f32, beta = -3.0 : f32}
    // CHECK-NEXT: npuisa.vector dequantize a(0) -> dst(2048) count(256) dtype(ui8) {alpha = 6.250000e-02 : f32}
    npuisa.vector dequantize a(0) -> dst(2048) count(256) dtype(ui8) {alpha = 0.0625 : f32, beta = 0.0 : f32}

    // CHECK-NEXT: npuisa.fill dst(0) count(400) value(0.000000e+00) dtype(f32)
    npuisa.fill dst(0) count(400) value(0.0) dtype(f32)
    // CHECK-NEXT: npuisa.fill dst(0) count(3) value(-1.500000e+00) dtype(i32)
    npuisa.fill dst(0) count(3) value(-1.5) dtype(i32)
    // CHECK-NEXT: npuisa.reduce sum src(0) -> dst(4096) shape[2, 10, 3] dtype(f32)
    npuisa.reduce sum src(0) -> dst(4096) shape[2, 10, 3] dtype(f32)
    // CHECK-NEXT: npuisa.reduce max src(0) -> dst(4096) shape[1, 10, 1] dtype(f16)
    npuisa.reduce max src(0) -> dst(4096) shape[1, 10, 1] dtype(f16)
    // CHECK-NEXT: npuisa.reduce mean src(0) -> dst(4096) shape[1, 64, 16] dtype(bf16)
    npuisa.reduce mean src(0) -> dst(4096) shape[1, 64, 16] dtype(bf16)
    // CHECK-NEXT: npuisa.pool max src(0) -> dst(4096) channels(16) in_hw[8, 8] out_hw[4, 4] kernel[2, 2] strides[2, 2] pads[0, 0, 0, 0] dilations[1, 1] dtype(f32)
    npuisa.pool max src(0) -> dst(4096) channels(16) in_hw[8, 8] out_hw[4, 4] kernel[2, 2] strides[2, 2] pads[0, 0, 0, 0] dilations[1, 1] dtype(f32)
    // Ceil mode: 7 rows, kernel 2, stride 2 give 3 windows, or 4 with the
    // partial last one.
    // CHECK-NEXT: npuisa.pool avg src(0) -> dst(4096) channels(1) in_hw[7, 7] out_hw[4, 3] kernel[2, 2] strides[2, 2] pads[0, 0, 0, 0] dilations[1, 1] dtype(f16) {count_include_pad = true}
    npuisa.pool avg src(0) -> dst(4096) channels(1) in_hw[7, 7] out_hw[4, 3] kernel[2, 2] strides[2, 2] pads[0, 0, 0, 0] dilations[1, 1] dtype(f16) {count_include_pad = true}
    // count_include_pad = false is the default and is not printed.
    // CHECK-NEXT: npuisa.pool avg src(0) -> dst(4096) channels(2) in_hw[5, 6] out_hw[3, 3] kernel[3, 3] strides[2, 2] pads[1, 1, 1, 1] dilations[1, 1] dtype(bf16){{$}}
    npuisa.pool avg src(0) -> dst(4096) channels(2) in_hw[5, 6] out_hw[3, 3] kernel[3, 3] strides[2, 2] pads[1, 1, 1, 1] dilations[1, 1] dtype(bf16) {count_include_pad = false}
    // CHECK-NEXT: npuisa.copy src(0) -> dst(4096) shape[1, 16, 8, 8] src_strides[1024, 64, 8, 1] dst_strides[1024, 1, 128, 16] dtype(f32)
    npuisa.copy src(0) -> dst(4096) shape[1, 16, 8, 8] src_strides[1024, 64, 8, 1] dst_strides[1024, 1, 128, 16] dtype(f32)
    // CHECK-NEXT: npuisa.copy src(0) -> dst(4096) shape[2, 1, 3, 4] src_strides[0, 0, 4, 1] dst_strides[12, 12, 4, 1] dtype(i8)
    npuisa.copy src(0) -> dst(4096) shape[2, 1, 3, 4] src_strides[0, 0, 4, 1] dst_strides[12, 12, 4, 1] dtype(i8)
    // CHECK-NEXT: npuisa.resize nearest src(0) -> dst(4096) channels(16) in_hw[8, 8] out_hw[16, 16] modes[3, 2] dtype(f16)
    npuisa.resize nearest src(0) -> dst(4096) channels(16) in_hw[8, 8] out_hw[16, 16] modes[3, 2] dtype(f16)
    // CHECK-NEXT: npuisa.resize linear src(0) -> dst(4096) channels(16) in_hw[8, 8] out_hw[5, 3] modes[0, 0] dtype(f32)
    npuisa.resize linear src(0) -> dst(4096) channels(16) in_hw[8, 8] out_hw[5, 3] modes[0, 0] dtype(f32)

    // CHECK-NEXT: npuisa.signal token(0) on(dma_in)
    npuisa.signal token(0) on(dma_in)
    // CHECK-NEXT: npuisa.signal token(1) on(dma_out)
    npuisa.signal token(1) on(dma_out)
    // CHECK-NEXT: npuisa.signal token(2) on(mac)
    npuisa.signal token(2) on(mac)
    // CHECK-NEXT: npuisa.signal token(3) on(vector)
    npuisa.signal token(3) on(vector)
    // CHECK-NEXT: npuisa.wait token(0) on(link_tx)
    npuisa.wait token(0) on(link_tx)
    // CHECK-NEXT: npuisa.wait token(1) on(link_rx)
    npuisa.wait token(1) on(link_rx)
    // CHECK-NEXT: npuisa.wait token(2) on(control)
    npuisa.wait token(2) on(control)
    // A wait may come before the signal it consumes.
    // CHECK-NEXT: npuisa.signal token(5) on(link_tx)
    npuisa.signal token(5) on(link_tx)
    // CHECK-NEXT: npuisa.wait token(5) on(mac)
    npuisa.wait token(5) on(mac)
    // CHECK-NEXT: npuisa.signal token(6) on(link_rx)
    npuisa.signal token(6) on(link_rx)
    // CHECK-NEXT: npuisa.signal token(7) on(control)
    npuisa.signal token(7) on(control)
    // CHECK-NEXT: npuisa.wait token(3) on(dma_in)
    npuisa.wait token(3) on(dma_in)
    // CHECK-NEXT: npuisa.wait token(6) on(dma_out)
    npuisa.wait token(6) on(dma_out)

    // CHECK-NEXT: npuisa.exit_check src(0) classes(10) dtype(f32) measure(max_prob) threshold(7.500000e-01) {
    // CHECK-NEXT:   npuisa.dma_out sram(0) -> dram(0) rows(1) row_bytes(40) strides[40, 40]
    // CHECK-NEXT:   npuisa.store_output "y" offset(0) from dram(0) bytes(40)
    // CHECK-NEXT:   npuisa.halt
    // CHECK-NEXT: }
    npuisa.exit_check src(0) classes(10) dtype(f32) measure(max_prob) threshold(0.75) {
      npuisa.dma_out sram(0) -> dram(0) rows(1) row_bytes(40) strides[40, 40]
      npuisa.store_output "y" offset(0) from dram(0) bytes(40)
      npuisa.halt
    }
    // CHECK-NEXT: npuisa.exit_check src(64) classes(2) dtype(f16) measure(margin) threshold(0.000000e+00) {
    // CHECK-NEXT:   npuisa.halt
    // CHECK-NEXT: }
    npuisa.exit_check src(64) classes(2) dtype(f16) measure(margin) threshold(0.0) {
      npuisa.halt
    }
    // Attributes of an exit_check go after `attributes`, before its region.
    // CHECK-NEXT: npuisa.exit_check src(128) classes(1000) dtype(bf16) measure(entropy) threshold(1.000000e+00) attributes {note = "last"} {
    // CHECK-NEXT:   npuisa.halt
    // CHECK-NEXT: }
    npuisa.exit_check src(128) classes(1000) dtype(bf16) measure(entropy) threshold(1.0) attributes {note = "last"} {
      npuisa.halt
    }
    // CHECK-NEXT: npuisa.escalate chip(1)
    npuisa.escalate chip(1)
    // CHECK-NEXT: npuisa.send sram(0) bytes(6272) to chip(1) channel(0)
    npuisa.send sram(0) bytes(6272) to chip(1) channel(0)
    // CHECK-NEXT: npuisa.halt
    // CHECK-NEXT: }
    npuisa.halt
  }

  // CHECK-LABEL: npuisa.program @big chip(1) attributes {note = "second"} {
  npuisa.program @big chip(1) attributes {note = "second"} {
    // CHECK-NEXT: npuisa.recv sram(0) bytes(6272) from chip(0) channel(0)
    npuisa.recv sram(0) bytes(6272) from chip(0) channel(0)
    // Chip 1 has a 512x512 MAC array.
    // CHECK-NEXT: npuisa.matmul a(0) b(65536) c(1048576) m(512) k(16) n(512) lds[16, 512, 512] dtype(bf16) accumulate(false)
    npuisa.matmul a(0) b(65536) c(1048576) m(512) k(16) n(512) lds[16, 512, 512] dtype(bf16) accumulate(false)
    // CHECK-NEXT: npuisa.halt
    // CHECK-NEXT: }
    npuisa.halt
  }
// CHECK-NEXT: }
}
