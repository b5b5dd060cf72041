// The binary holds every instruction with every field: a module with all
// instruction kinds (nested exit paths, send/recv between the two chips of
// the E1 package, DRAM segments of several element types) is written as a
// .npub, disassembled, and the disassembly re-encodes to the same bytes.

// RUN: npu-translate --npu-to-binary %s -o %t.npub
// RUN: npu-translate --npub-to-mlir %t.npub -o %t.mlir
// RUN: FileCheck %s < %t.mlir
// RUN: FileCheck %s --check-prefix=BUDGET < %t.mlir
// RUN: npu-translate --npu-to-binary %t.mlir -o %t.again.npub
// RUN: cmp %t.npub %t.again.npub
// The disassembly is itself a fixed point.
// RUN: npu-translate --npub-to-mlir %t.again.npub | diff %t.mlir -
// The runtime loads the binary (its verifier and semantic checks accept
// it), runs it, and measures exactly the budgets stored in it.
// RUN: python3 %S/Inputs/write-npy.py %t.image.npy '<f4' 64
// RUN: python3 %S/Inputs/write-npy.py %t.mask.npy '|u1' 2,8
// RUN: npu-run %t.npub --input image=%t.image.npy --input mask=%t.mask.npy --check-budgets --report | FileCheck %s --check-prefix=LOAD
// LOAD: chip 0 'small': program 'small', path 'full'
// LOAD: chip 1 'big': program 'big', path 'full'
// LOAD: budgets: all equal to the measurements

#chip0 = #npu.chip<id = 0, name = "small", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 256, mac_cols = 256, vector_lanes = 256, sram_bytes = 4194304, dram_bytes = 1073741824, dram_bytes_per_cycle = 64, clock_mhz = 1000, power = <active_mw = 2500, idle_mw = 400, off_mw = 15, wake_cycles = 10000, wake_energy_nj = 20000>>
#chip1 = #npu.chip<id = 1, name = "big", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 512, mac_cols = 512, vector_lanes = 512, sram_bytes = 16777216, dram_bytes = 4294967296, dram_bytes_per_cycle = 128, clock_mhz = 1000, power = <active_mw = 12000, idle_mw = 1800, off_mw = 40, wake_cycles = 50000, wake_energy_nj = 400000>>
#system = #npu.system<name = "e1-package", topology = "switch", chips = [#chip0, #chip1], links = [<a = 0, b = 1, bandwidth_gbps = 64, latency_ns = 100>], host = <bandwidth_gbps = 16, latency_ns = 1000>>
module @cascade attributes {
    npu.inputs = [#npu.tensor<"image" : tensor<64xf32>>, #npu.tensor<"mask" : tensor<2x8xui8>>],
    npu.outputs = [#npu.tensor<"logits" : tensor<4xf32>>, #npu.tensor<"features" : tensor<256xf32>>],
    npu.system = #system} {
  npuisa.program @big chip(1) attributes {npuisa.segments = [{dram = 0 : i64, data = dense<[5.000000e-01, -2.000000e+00]> : tensor<2xf16>}]} {
    npuisa.recv sram(0) bytes(1024) from chip(0) channel(3)
    npuisa.vector relu a(0) -> dst(0) count(256) dtype(f32)
    npuisa.dma_out sram(0) -> dram(4096) rows(1) row_bytes(1024) strides[1024, 1024]
    npuisa.store_output "features" offset(0) from dram(4096) bytes(1024)
    npuisa.halt
  }
  npuisa.program @small chip(0) attributes {npuisa.segments = [
      {dram = 1048576 : i64, data = dense<[1, -2, 3]> : tensor<3xi8>},
      {dram = 4096 : i64, data = dense<[1.0, 2.0]> : tensor<2xf32>},
      {dram = 8192 : i64, data = dense<7> : tensor<2xi32>},
      {dram = 65536 : i64, data = dense_resource<blob> : tensor<2xi16>}]} {
    npuisa.load_input "image" offset(0) -> dram(0) bytes(256)
    npuisa.load_input "mask" offset(8) -> dram(512) bytes(8)
    npuisa.dma_in dram(0) -> sram(0) rows(1) row_bytes(256) strides[256, 256]
    npuisa.dma_in dram(4096) -> sram(1024) rows(4) row_bytes(64) strides[128, 64]
    npuisa.signal token(0) on(dma_in)
    npuisa.wait token(0) on(mac)
    npuisa.matmul a(0) b(1024) c(2048) m(4) k(16) n(16) lds[16, 16, 16] dtype(f32) accumulate(true)
    npuisa.conv input(0) weight(4096) output(8192) channels(1) in_hw[8, 8] out_channels(4) out_hw[8, 8] out_rows[0, 8] kernel[3, 3] strides[1, 1] pads[1, 1, 1, 1] dilations[1, 1] dtype(f32)
    npuisa.signal token(1) on(mac)
    npuisa.wait token(1) on(vector)
    npuisa.vector add a(8192) b(12288) b_bcast[4, 64] -> dst(8192) count(256) dtype(f32)
    npuisa.vector leaky_relu a(8192) -> dst(8192) count(256) dtype(f32) {alpha = 1.000000e-01 : f32}
    npuisa.vector quantize a(8192) -> dst(16384) count(256) dtype(i8) {alpha = 5.000000e-01 : f32, beta = 3.000000e+00 : f32}
    npuisa.fill dst(20480) count(16) value(-1.500000e+00) dtype(f32)
    npuisa.reduce max src(8192) -> dst(20480) shape[1, 64, 4] dtype(f32)
    npuisa.pool avg src(8192) -> dst(24576) channels(4) in_hw[8, 8] out_hw[4, 4] kernel[2, 2] strides[2, 2] pads[0, 0, 0, 0] dilations[1, 1] dtype(f32) {count_include_pad = true}
    npuisa.copy src(8192) -> dst(28672) shape[1, 4, 8, 8] src_strides[256, 64, 8, 1] dst_strides[256, 1, 32, 4] dtype(f32)
    npuisa.resize linear src(24576) -> dst(32768) channels(4) in_hw[4, 4] out_hw[8, 8] modes[1, 2] dtype(f32)
    npuisa.exit_check src(20480) classes(4) dtype(f32) measure(max_prob) threshold(7.500000e-01) {
      npuisa.exit_check src(20480) classes(4) dtype(f32) measure(entropy) threshold(5.000000e-01) {
        npuisa.dma_out sram(20480) -> dram(8192) rows(1) row_bytes(16) strides[16, 16]
        npuisa.store_output "logits" offset(0) from dram(8192) bytes(16)
        npuisa.halt
      }
      npuisa.dma_out sram(20480) -> dram(12288) rows(1) row_bytes(16) strides[16, 16]
      npuisa.store_output "logits" offset(0) from dram(12288) bytes(16)
      npuisa.halt
    }
    npuisa.exit_check src(20480) classes(4) dtype(f32) measure(margin) threshold(2.500000e-01) {
      npuisa.halt
    }
    npuisa.escalate chip(1)
    npuisa.send sram(8192) bytes(1024) to chip(1) channel(3)
    npuisa.halt
  }
}

{-#
  dialect_resources: {
    builtin: {
      blob: "0x040000000100FFFF"
    }
  }
#-}

// The system, the signatures and the model name come back unchanged.
// CHECK: #chip0 = #npu.chip<id = 0, name = "small", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 256, mac_cols = 256, vector_lanes = 256, sram_bytes = 4194304, dram_bytes = 1073741824, dram_bytes_per_cycle = 64, clock_mhz = 1000, power = <active_mw = 2500, idle_mw = 400, off_mw = 15, wake_cycles = 10000, wake_energy_nj = 20000>>
// CHECK: #chip1 = #npu.chip<id = 1, name = "big", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 512, mac_cols = 512, vector_lanes = 512, sram_bytes = 16777216, dram_bytes = 4294967296, dram_bytes_per_cycle = 128, clock_mhz = 1000, power = <active_mw = 12000, idle_mw = 1800, off_mw = 40, wake_cycles = 50000, wake_energy_nj = 400000>>
// CHECK: #system = #npu.system<name = "e1-package", topology = "switch", chips = [#chip0, #chip1], links = [<a = 0, b = 1, bandwidth_gbps = 64, latency_ns = 100>], host = <bandwidth_gbps = 16, latency_ns = 1000>>
// CHECK: module @cascade attributes {npu.inputs = [#npu.tensor<"image" : tensor<64xf32>>, #npu.tensor<"mask" : tensor<2x8xui8>>], npu.outputs = [#npu.tensor<"logits" : tensor<4xf32>>, #npu.tensor<"features" : tensor<256xf32>>], npu.system = #system} {

// Programs come back in chip order. Segments are sorted by DRAM offset and
// hold the little-endian bytes of their elements: f32 1.0 and 2.0; the splat
// i32 7 twice; the i16 resource [1, -1]; i8 [1, -2, 3]; f16 0.5 and -2.0.
// CHECK-LABEL: npuisa.program @small chip(0) attributes {npuisa.budgets = [
// CHECK-SAME: npuisa.segments = [{data = dense<[0, 0, 128, 63, 0, 0, 0, 64]> : tensor<8xui8>, dram = 4096 : i64}, {data = dense<[7, 0, 0, 0, 7, 0, 0, 0]> : tensor<8xui8>, dram = 8192 : i64}, {data = dense<[1, 0, 255, 255]> : tensor<4xui8>, dram = 65536 : i64}, {data = dense<[1, 254, 3]> : tensor<3xui8>, dram = 1048576 : i64}]} {
// CHECK-NEXT: npuisa.load_input "image" offset(0) -> dram(0) bytes(256)
// CHECK-NEXT: npuisa.load_input "mask" offset(8) -> dram(512) bytes(8)
// CHECK-NEXT: npuisa.dma_in dram(0) -> sram(0) rows(1) row_bytes(256) strides[256, 256]
// CHECK-NEXT: npuisa.dma_in dram(4096) -> sram(1024) rows(4) row_bytes(64) strides[128, 64]
// CHECK-NEXT: npuisa.signal token(0) on(dma_in)
// CHECK-NEXT: npuisa.wait token(0) on(mac)
// CHECK-NEXT: npuisa.matmul a(0) b(1024) c(2048) m(4) k(16) n(16) lds[16, 16, 16] dtype(f32) accumulate(true)
// CHECK-NEXT: npuisa.conv input(0) weight(4096) output(8192) channels(1) in_hw[8, 8] out_channels(4) out_hw[8, 8] out_rows[0, 8] kernel[3, 3] strides[1, 1] pads[1, 1, 1, 1] dilations[1, 1] dtype(f32)
// CHECK-NEXT: npuisa.signal token(1) on(mac)
// CHECK-NEXT: npuisa.wait token(1) on(vector)
// CHECK-NEXT: npuisa.vector add a(8192) b(12288) b_bcast[4, 64] -> dst(8192) count(256) dtype(f32)
// CHECK-NEXT: npuisa.vector leaky_relu a(8192) -> dst(8192) count(256) dtype(f32) {alpha = 1.000000e-01 : f32}
// CHECK-NEXT: npuisa.vector quantize a(8192) -> dst(16384) count(256) dtype(i8) {alpha = 5.000000e-01 : f32, beta = 3.000000e+00 : f32}
// CHECK-NEXT: npuisa.fill dst(20480) count(16) value(-1.500000e+00) dtype(f32)
// CHECK-NEXT: npuisa.reduce max src(8192) -> dst(20480) shape[1, 64, 4] dtype(f32)
// CHECK-NEXT: npuisa.pool avg src(8192) -> dst(24576) channels(4) in_hw[8, 8] out_hw[4, 4] kernel[2, 2] strides[2, 2] pads[0, 0, 0, 0] dilations[1, 1] dtype(f32) {count_include_pad = true}
// CHECK-NEXT: npuisa.copy src(8192) -> dst(28672) shape[1, 4, 8, 8] src_strides[256, 64, 8, 1] dst_strides[256, 1, 32, 4] dtype(f32)
// CHECK-NEXT: npuisa.resize linear src(24576) -> dst(32768) channels(4) in_hw[4, 4] out_hw[8, 8] modes[1, 2] dtype(f32)
// Exit paths are rebuilt from exit_path_length (7 for the outer check, whose
// path holds the inner check and its 3 instructions; 1 for the last check).
// CHECK-NEXT: npuisa.exit_check src(20480) classes(4) dtype(f32) measure(max_prob) threshold(7.500000e-01) {
// CHECK-NEXT:   npuisa.exit_check src(20480) classes(4) dtype(f32) measure(entropy) threshold(5.000000e-01) {
// CHECK-NEXT:     npuisa.dma_out sram(20480) -> dram(8192) rows(1) row_bytes(16) strides[16, 16]
// CHECK-NEXT:     npuisa.store_output "logits" offset(0) from dram(8192) bytes(16)
// CHECK-NEXT:     npuisa.halt
// CHECK-NEXT:   }
// CHECK-NEXT:   npuisa.dma_out sram(20480) -> dram(12288) rows(1) row_bytes(16) strides[16, 16]
// CHECK-NEXT:   npuisa.store_output "logits" offset(0) from dram(12288) bytes(16)
// CHECK-NEXT:   npuisa.halt
// CHECK-NEXT: }
// CHECK-NEXT: npuisa.exit_check src(20480) classes(4) dtype(f32) measure(margin) threshold(2.500000e-01) {
// CHECK-NEXT:   npuisa.halt
// CHECK-NEXT: }
// CHECK-NEXT: npuisa.escalate chip(1)
// CHECK-NEXT: npuisa.send sram(8192) bytes(1024) to chip(1) channel(3)
// CHECK-NEXT: npuisa.halt
// CHECK-NEXT: }

// CHECK-LABEL: npuisa.program @big chip(1) attributes {npuisa.budgets = [
// CHECK-SAME: npuisa.segments = [{data = dense<[0, 56, 0, 192]> : tensor<4xui8>, dram = 0 : i64}], npuisa.standby_budgets = [{{.*}}]} {
// CHECK-NEXT: npuisa.recv sram(0) bytes(1024) from chip(0) channel(3)
// CHECK-NEXT: npuisa.vector relu a(0) -> dst(0) count(256) dtype(f32)
// CHECK-NEXT: npuisa.dma_out sram(0) -> dram(4096) rows(1) row_bytes(1024) strides[1024, 1024]
// CHECK-NEXT: npuisa.store_output "features" offset(0) from dram(4096) bytes(1024)
// CHECK-NEXT: npuisa.halt
// CHECK-NEXT: }

// Budgets of the static schedule, one per path: chip 0 has three exit
// checks, so paths "exit 1" to "exit 3" and "full". Its SRAM peak is the
// end of the resize output (32768 + 4 * 8 * 8 * 4 bytes); its full path
// sends 1024 bytes over the link and reads 256 + 8 bytes from the host.
// Its DRAM peak, on every path, is the end of the i8 segment at 1048576
// (1048576 + 3 = 1048579): no access goes beyond 12288 + 16 bytes.
// BUDGET-LABEL: npuisa.program @small
// BUDGET-DAG: {cycles = {{[0-9]+}} : i64, dram_bytes = {{[0-9]+}} : i64, energy_fj = {{[0-9]+}} : i64, engine_busy = array<i64: {{[0-9]+}}, {{[0-9]+}}, {{[0-9]+}}, {{[0-9]+}}, {{[0-9]+}}, {{[0-9]+}}, {{[0-9]+}}>, host_bytes = {{[0-9]+}} : i64, link_bytes = 0 : i64, path = "exit 1", peak_dram_bytes = 1048579 : i64, peak_sram_bytes = 33792 : i64}
// BUDGET-DAG: path = "exit 2", peak_dram_bytes = 1048579 : i64, peak_sram_bytes = 33792 : i64}
// BUDGET-DAG: path = "exit 3", peak_dram_bytes = 1048579 : i64, peak_sram_bytes = 33792 : i64}
// BUDGET-DAG: host_bytes = 264 : i64, link_bytes = 1024 : i64, path = "full", peak_dram_bytes = 1048579 : i64, peak_sram_bytes = 33792 : i64}
// The receiver's one path: 1024 bytes in over the link, out to DRAM and to
// the host. Its DRAM peak is the end of dma_out and store_output,
// 4096 + 1024 = 5120, beyond its f16 segment [0, 2 * 2).
// BUDGET-LABEL: npuisa.program @big
// BUDGET-SAME: npuisa.budgets = [{cycles = [[CYCLES:[0-9]+]] : i64, dram_bytes = 1024 : i64, energy_fj = {{[0-9]+}} : i64, engine_busy = array<i64: 0, {{[0-9]+}}, 0, {{[0-9]+}}, 0, {{[0-9]+}}, {{[0-9]+}}>, host_bytes = 1024 : i64, link_bytes = 1024 : i64, path = "full", peak_dram_bytes = 5120 : i64, peak_sram_bytes = 1024 : i64}]
// Chip 1 sleeps (chip 0 escalates to it), so it also has the budget of a
// standby start: the same cycles and bytes; its energy has no wake-up.
// BUDGET-SAME: npuisa.standby_budgets = [{cycles = [[CYCLES]] : i64, dram_bytes = 1024 : i64, energy_fj = {{[0-9]+}} : i64, engine_busy = array<i64: 0, {{[0-9]+}}, 0, {{[0-9]+}}, 0, {{[0-9]+}}, {{[0-9]+}}>, host_bytes = 1024 : i64, link_bytes = 1024 : i64, path = "full", peak_dram_bytes = 5120 : i64, peak_sram_bytes = 1024 : i64}]
