// RUN: npu-opt %s --npu-report-costs=per-instruction=false -o /dev/null 2>&1 | FileCheck %s

// The first convolution of fmnist-cnn.mlir as an instruction stream for
// chip 0 of the e1-package, written by hand until the lowering exists:
// host -> DRAM -> SRAM, four implicit-GEMM tiles of at most 256 output
// pixels (9 rows x 28), relu on the vector unit, SRAM -> DRAM -> host.
// Engines meet at tokens. `npu-opt --npu-report-costs` prints each
// instruction's exact cost and each engine's busy cycles.
#chip0 = #npu.chip<id = 0, name = "small", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 256, mac_cols = 256, vector_lanes = 256, sram_bytes = 4194304, dram_bytes = 1073741824, dram_bytes_per_cycle = 64, clock_mhz = 1000, power = <active_mw = 2500, idle_mw = 400, off_mw = 15, wake_cycles = 10000, wake_energy_nj = 20000>>
#chip1 = #npu.chip<id = 1, name = "big", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 512, mac_cols = 512, vector_lanes = 512, sram_bytes = 16777216, dram_bytes = 4294967296, dram_bytes_per_cycle = 128, clock_mhz = 1000, power = <active_mw = 12000, idle_mw = 1800, off_mw = 40, wake_cycles = 50000, wake_energy_nj = 400000>>
#system = #npu.system<name = "e1-package", topology = "switch", chips = [#chip0, #chip1], links = [<a = 0, b = 1, bandwidth_gbps = 64, latency_ns = 100>], host = <bandwidth_gbps = 16, latency_ns = 1000>>
module attributes {npu.inputs = [#npu.tensor<"image" : tensor<784xf32>>], npu.outputs = [#npu.tensor<"features" : tensor<6272xf32>>], npu.system = #system} {
  npuisa.program @conv1 chip(0) {
    npuisa.load_input "image" offset(0) -> dram(0) bytes(3136)
    npuisa.dma_in dram(0) -> sram(0) rows(1) row_bytes(3136) strides[3136, 3136]
    // Weights (8x1x3x3 f32) sit in the DRAM weight segment at 4096.
    npuisa.dma_in dram(4096) -> sram(4096) rows(1) row_bytes(288) strides[288, 288]
    npuisa.signal token(0) on(dma_in)
    npuisa.wait token(0) on(mac)
    npuisa.conv input(0) weight(4096) output(8192) channels(1) in_hw[28, 28]
        out_channels(8) out_hw[28, 28] out_rows[0, 9] kernel[3, 3]
        strides[1, 1] pads[1, 1, 1, 1] dilations[1, 1] dtype(f32)
    npuisa.conv input(0) weight(4096) output(8192) channels(1) in_hw[28, 28]
        out_channels(8) out_hw[28, 28] out_rows[9, 9] kernel[3, 3]
        strides[1, 1] pads[1, 1, 1, 1] dilations[1, 1] dtype(f32)
    npuisa.conv input(0) weight(4096) output(8192) channels(1) in_hw[28, 28]
        out_channels(8) out_hw[28, 28] out_rows[18, 9] kernel[3, 3]
        strides[1, 1] pads[1, 1, 1, 1] dilations[1, 1] dtype(f32)
    npuisa.conv input(0) weight(4096) output(8192) channels(1) in_hw[28, 28]
        out_channels(8) out_hw[28, 28] out_rows[27, 1] kernel[3, 3]
        strides[1, 1] pads[1, 1, 1, 1] dilations[1, 1] dtype(f32)
    npuisa.signal token(1) on(mac)
    npuisa.wait token(1) on(vector)
    npuisa.vector relu a(8192) -> dst(8192) count(6272) dtype(f32)
    npuisa.signal token(2) on(vector)
    npuisa.wait token(2) on(dma_out)
    npuisa.dma_out sram(8192) -> dram(8192) rows(1) row_bytes(25088) strides[25088, 25088]
    npuisa.store_output "features" offset(0) from dram(8192) bytes(25088)
    npuisa.halt
  }
}

// Busy cycles per engine, from docs/cost-model.md:
//  dma_in  = load_input (24 + 1000 ns latency + 3136 B / 16 B/ns = 196) 1220
//          + dma_in 3136 B (24 + 49) 73 + dma_in 288 B (24 + 5) 29 + signal 1
//          = 1323
//  dma_out = wait 1 + dma_out 25088 B (24 + 392) 416
//          + store_output (24 + 1000 + 1568) 2592 = 3009
//  mac     = wait 1 + 3 tiles of m=252 n=8 k=9 (4 + 252 + 8 + 9) 273
//          + tile m=28 (4 + 28 + 8 + 9) 49 + signal 1 = 870
//  vector  = wait 1 + relu 6272 on 256 lanes (2 + 25) 27 + signal 1 = 29
// CHECK: remark: chip 0 (small) path 'full': busy cycles dma_in=1323 dma_out=3009 mac=870 vector=29 link_tx=0 link_rx=0 control=1; lower bound 3009 cycles; host_bytes=28224 dram_bytes=28512 link_bytes=0
