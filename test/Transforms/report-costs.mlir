// RUN: npu-opt %s --npu-report-costs -split-input-file -verify-diagnostics
// RUN: npu-opt %s --npu-report-costs=per-instruction=false -split-input-file \
// RUN:   -mlir-print-op-on-diagnostic=false 2>&1 \
// RUN:   | FileCheck %s --check-prefix=SUMMARY --implicit-check-not="remark:"
//
// Every expected number below is worked out by hand from the formulas of
// runtime/include/npu/rt/Cost.h and the chip parameters of the preset:
//
//   fixed costs: DMA setup 24, link setup 16, MAC issue 4, vector issue 2,
//                sync (wait, signal, halt, escalate, exit-check branch) 1
//   host DMA   = 24 + ceil(latency_ns * MHz / 1000)
//                   + ceil(bytes * MHz / (host_GBps * 1000))
//   DRAM DMA   = 24 + ceil(rows * row_bytes / dram_bytes_per_cycle)
//   link       = 16 + ceil(bytes * MHz / (link_GBps * 1000)), send and recv
//   matmul     = 4 + m + n + k;  conv = 4 + pixels + out_channels + C*KH*KW
//   vector     = 2 + ceil(count / lanes) * factor (4: pow sigmoid tanh gelu
//                exp; 2: div sqrt hard_swish; 1: the rest; fill = copy)
//   reduce     = 2 + ceil(O*R*I / lanes) [+ ceil(O*I / lanes) for mean]
//   pool       = 2 + ceil(out * window / lanes) [+ ceil(out / lanes) avg]
//   copy       = 2 + ceil(elements / lanes)
//   resize     = 2 + ceil(out / lanes) * (4 linear, 1 nearest)
//   exit_check = 2 + ceil(classes / lanes) * (12 entropy, 8 otherwise) + 1
//
// With per-instruction=false only the per-program summaries remain: the
// SUMMARY lines, in order, and no other remark (--implicit-check-not). That
// run ignores the expected-remark annotations.

// e1-package: chip 0 "small": 256 lanes, 256x256 MAC, 64 DRAM bytes/cycle,
// 1000 MHz; chip 1 "big": 512 lanes, 512x512 MAC, 128 DRAM bytes/cycle,
// 1000 MHz; link 0<->1 at 64 GB/s; host link 16 GB/s, 1000 ns.
#chip0 = #npu.chip<id = 0, name = "small", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 256, mac_cols = 256, vector_lanes = 256, sram_bytes = 4194304, dram_bytes = 1073741824, dram_bytes_per_cycle = 64, clock_mhz = 1000, power = <active_mw = 2500, idle_mw = 400, off_mw = 15, wake_cycles = 10000, wake_energy_nj = 20000>>
#chip1 = #npu.chip<id = 1, name = "big", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 512, mac_cols = 512, vector_lanes = 512, sram_bytes = 16777216, dram_bytes = 4294967296, dram_bytes_per_cycle = 128, clock_mhz = 1000, power = <active_mw = 12000, idle_mw = 1800, off_mw = 40, wake_cycles = 50000, wake_energy_nj = 400000>>
#system = #npu.system<name = "e1-package", topology = "switch", chips = [#chip0, #chip1], links = [<a = 0, b = 1, bandwidth_gbps = 64, latency_ns = 100>], host = <bandwidth_gbps = 16, latency_ns = 1000>>
module attributes {npu.inputs = [#npu.tensor<"x" : tensor<750xf32>>, #npu.tensor<"w" : tensor<25000xf32>>], npu.outputs = [#npu.tensor<"y" : tensor<75xf32>>], npu.system = #system} {
  // Busy cycles, summed below per engine:
  //   dma_in  = 1212 + 87 = 1299
  //   dma_out = 26 + 1029 = 1055
  //   mac     = 116 + 79 + 1 (signal) = 196
  //   vector  = 12 * 6 + 3 * 10 + 5 * 18 (vector) = 192, + 6 (fill) = 198,
  //             + 15 + 15 + 16 (reduce) = 244, + 38 + 42 (pool) = 324,
  //             + 4 (copy) = 328, + 18 + 66 (resize) = 412, + 1 (wait) = 413,
  //             + 11 + 11 + 51 (exit_check) = 486
  //   link_tx = 115;  link_rx = 0
  //   control = 3 (exit-path halts) + 1 (escalate) + 1 (halt) = 5 in all
  //   lower bound = max = 1299; host_bytes = 3000 + 80 = 3080;
  //   dram_bytes = 4000 + 80 = 4080; link_bytes = 6300
  // Those are the totals over every instruction. A run takes one path, so
  // the summary is per path: 'exit N' runs everything before the N-th exit
  // check, the check, and its exit path; 'full' skips every exit path.
  //   exit 1: vector 486 - 11 - 51 (later checks) = 424; dma_out 1055 and
  //           control 1 from its exit path; no link; bytes 3080 / 4080 / 0
  //   exit 2: vector 486 - 51 = 435; dma_out 0; control 1; 3000 / 4000 / 0
  //   exit 3: vector 486; control 1; 3000 / 4000 / 0
  //   full:   vector 486; link_tx 115; control = escalate + halt = 2;
  //           3000 / 4000 / 6300
  // SUMMARY: remark: chip 0 (small) path 'exit 1': busy cycles dma_in=1299 dma_out=1055 mac=196 vector=424 link_tx=0 link_rx=0 control=1; lower bound 1299 cycles; host_bytes=3080 dram_bytes=4080 link_bytes=0
  // SUMMARY: remark: chip 0 (small) path 'exit 2': busy cycles dma_in=1299 dma_out=0 mac=196 vector=435 link_tx=0 link_rx=0 control=1; lower bound 1299 cycles; host_bytes=3000 dram_bytes=4000 link_bytes=0
  // SUMMARY: remark: chip 0 (small) path 'exit 3': busy cycles dma_in=1299 dma_out=0 mac=196 vector=486 link_tx=0 link_rx=0 control=1; lower bound 1299 cycles; host_bytes=3000 dram_bytes=4000 link_bytes=0
  // SUMMARY: remark: chip 0 (small) path 'full': busy cycles dma_in=1299 dma_out=0 mac=196 vector=486 link_tx=115 link_rx=0 control=2; lower bound 1299 cycles; host_bytes=3000 dram_bytes=4000 link_bytes=6300
  // expected-remark @+4 {{chip 0 (small) path 'exit 1': busy cycles dma_in=1299 dma_out=1055 mac=196 vector=424 link_tx=0 link_rx=0 control=1; lower bound 1299 cycles; host_bytes=3080 dram_bytes=4080 link_bytes=0}}
  // expected-remark @+3 {{chip 0 (small) path 'exit 2': busy cycles dma_in=1299 dma_out=0 mac=196 vector=435 link_tx=0 link_rx=0 control=1; lower bound 1299 cycles; host_bytes=3000 dram_bytes=4000 link_bytes=0}}
  // expected-remark @+2 {{chip 0 (small) path 'exit 3': busy cycles dma_in=1299 dma_out=0 mac=196 vector=486 link_tx=0 link_rx=0 control=1; lower bound 1299 cycles; host_bytes=3000 dram_bytes=4000 link_bytes=0}}
  // expected-remark @+1 {{chip 0 (small) path 'full': busy cycles dma_in=1299 dma_out=0 mac=196 vector=486 link_tx=115 link_rx=0 control=2; lower bound 1299 cycles; host_bytes=3000 dram_bytes=4000 link_bytes=6300}}
  npuisa.program @small chip(0) {
    // 24 + ceil(1000 ns * 1000 MHz / 1000) = 1000 + ceil(3000 * 1000 / 16000) = ceil(187.5) = 188 -> 1212
    // expected-remark @+1 {{dma_in cycles=1212 host_bytes=3000 dram_bytes=0 link_bytes=0}}
    npuisa.load_input "x" offset(0) -> dram(0) bytes(3000)
    // 24 + ceil(4 * 1000 / 64) = ceil(62.5) = 63 -> 87; the bytes moved are
    // rows * row_bytes = 4000, not the strided extent
    // expected-remark @+1 {{dma_in cycles=87 host_bytes=0 dram_bytes=4000 link_bytes=0}}
    npuisa.dma_in dram(0) -> sram(0) rows(4) row_bytes(1000) strides[1024, 1000]
    // 4 + m 16 + n 32 + k 64 = 116
    // expected-remark @+1 {{mac cycles=116 host_bytes=0 dram_bytes=0 link_bytes=0}}
    npuisa.matmul a(0) b(8192) c(16384) m(16) k(64) n(32) lds[64, 32, 32] dtype(f32) accumulate(false)
    // pixels = 4 rows * 8 = 32, n = 16, k = 3 * 3 * 3 = 27: 4 + 32 + 16 + 27 = 79
    // expected-remark @+1 {{mac cycles=79 host_bytes=0 dram_bytes=0 link_bytes=0}}
    npuisa.conv input(0) weight(4096) output(8192) channels(3) in_hw[8, 8] out_channels(16) out_hw[8, 8] out_rows[0, 4] kernel[3, 3] strides[1, 1] pads[1, 1, 1, 1] dilations[1, 1] dtype(f32)

    // Every vector kind, count 1000: ceil(1000 / 256) = 4 lane groups.
    // Factor 1: 2 + 4 = 6.
    // expected-remark @+1 {{vector cycles=6 host_bytes=0 dram_bytes=0 link_bytes=0}}
    npuisa.vector copy a(0) -> dst(8192) count(1000) dtype(f32)
    // expected-remark @+1 {{vector cycles=6 host_bytes=0 dram_bytes=0 link_bytes=0}}
    npuisa.vector add a(0) b(4096) b_bcast[1000, 1] -> dst(8192) count(1000) dtype(f32)
    // expected-remark @+1 {{vector cycles=6 host_bytes=0 dram_bytes=0 link_bytes=0}}
    npuisa.vector sub a(0) b(4096) b_bcast[1, 1] -> dst(8192) count(1000) dtype(f32)
    // expected-remark @+1 {{vector cycles=6 host_bytes=0 dram_bytes=0 link_bytes=0}}
    npuisa.vector mul a(0) b(4096) b_bcast[10, 100] -> dst(8192) count(1000) dtype(f32)
    // expected-remark @+1 {{vector cycles=6 host_bytes=0 dram_bytes=0 link_bytes=0}}
    npuisa.vector max a(0) b(4096) b_bcast[1, 1] -> dst(8192) count(1000) dtype(f16)
    // expected-remark @+1 {{vector cycles=6 host_bytes=0 dram_bytes=0 link_bytes=0}}
    npuisa.vector min a(0) b(4096) b_bcast[1, 1] -> dst(8192) count(1000) dtype(bf16)
    // expected-remark @+1 {{vector cycles=6 host_bytes=0 dram_bytes=0 link_bytes=0}}
    npuisa.vector relu a(0) -> dst(8192) count(1000) dtype(f32)
    // expected-remark @+1 {{vector cycles=6 host_bytes=0 dram_bytes=0 link_bytes=0}}
    npuisa.vector leaky_relu a(0) -> dst(8192) count(1000) dtype(f32) {alpha = 0.125 : f32}
    // expected-remark @+1 {{vector cycles=6 host_bytes=0 dram_bytes=0 link_bytes=0}}
    npuisa.vector hard_sigmoid a(0) -> dst(8192) count(1000) dtype(f32) {alpha = 0.2 : f32, beta = 0.5 : f32}
    // expected-remark @+1 {{vector cycles=6 host_bytes=0 dram_bytes=0 link_bytes=0}}
    npuisa.vector clip a(0) -> dst(8192) count(1000) dtype(f32) {alpha = 0.0 : f32, beta = 6.0 : f32}
    // expected-remark @+1 {{vector cycles=6 host_bytes=0 dram_bytes=0 link_bytes=0}}
    npuisa.vector quantize a(0) -> dst(8192) count(1000) dtype(i8) {alpha = 0.0625 : f32}
    // expected-remark @+1 {{vector cycles=6 host_bytes=0 dram_bytes=0 link_bytes=0}}
    npuisa.vector dequantize a(0) -> dst(8192) count(1000) dtype(ui8) {alpha = 0.0625 : f32}
    // Factor 2: 2 + 4 * 2 = 10.
    // expected-remark @+1 {{vector cycles=10 host_bytes=0 dram_bytes=0 link_bytes=0}}
    npuisa.vector div a(0) b(4096) b_bcast[1, 1] -> dst(8192) count(1000) dtype(f32)
    // expected-remark @+1 {{vector cycles=10 host_bytes=0 dram_bytes=0 link_bytes=0}}
    npuisa.vector sqrt a(0) -> dst(8192) count(1000) dtype(f32)
    // expected-remark @+1 {{vector cycles=10 host_bytes=0 dram_bytes=0 link_bytes=0}}
    npuisa.vector hard_swish a(0) -> dst(8192) count(1000) dtype(f32)
    // Factor 4: 2 + 4 * 4 = 18.
    // expected-remark @+1 {{vector cycles=18 host_bytes=0 dram_bytes=0 link_bytes=0}}
    npuisa.vector pow a(0) b(4096) b_bcast[1, 1] -> dst(8192) count(1000) dtype(f32)
    // expected-remark @+1 {{vector cycles=18 host_bytes=0 dram_bytes=0 link_bytes=0}}
    npuisa.vector sigmoid a(0) -> dst(8192) count(1000) dtype(f32)
    // expected-remark @+1 {{vector cycles=18 host_bytes=0 dram_bytes=0 link_bytes=0}}
    npuisa.vector tanh a(0) -> dst(8192) count(1000) dtype(f32)
    // expected-remark @+1 {{vector cycles=18 host_bytes=0 dram_bytes=0 link_bytes=0}}
    npuisa.vector gelu a(0) -> dst(8192) count(1000) dtype(f32)
    // expected-remark @+1 {{vector cycles=18 host_bytes=0 dram_bytes=0 link_bytes=0}}
    npuisa.vector exp a(0) -> dst(8192) count(1000) dtype(f32)

    // A fill costs a vector copy: 2 + ceil(1000 / 256) = 4 -> 6
    // expected-remark @+1 {{vector cycles=6 host_bytes=0 dram_bytes=0 link_bytes=0}}
    npuisa.fill dst(0) count(1000) value(0.0) dtype(f32)
    // 2 + ceil(4 * 100 * 8 / 256) = ceil(12.5) = 13 -> 15
    // expected-remark @+1 {{vector cycles=15 host_bytes=0 dram_bytes=0 link_bytes=0}}
    npuisa.reduce sum src(0) -> dst(16384) shape[4, 100, 8] dtype(f32)
    // expected-remark @+1 {{vector cycles=15 host_bytes=0 dram_bytes=0 link_bytes=0}}
    npuisa.reduce max src(0) -> dst(16384) shape[4, 100, 8] dtype(f32)
    // 15 + ceil(4 * 8 / 256) = 1 -> 16
    // expected-remark @+1 {{vector cycles=16 host_bytes=0 dram_bytes=0 link_bytes=0}}
    npuisa.reduce mean src(0) -> dst(16384) shape[4, 100, 8] dtype(f32)
    // out = 16 * 8 * 8 = 1024, window 3 * 3 = 9: 2 + ceil(9216 / 256) = 36 -> 38
    // expected-remark @+1 {{vector cycles=38 host_bytes=0 dram_bytes=0 link_bytes=0}}
    npuisa.pool max src(0) -> dst(16384) channels(16) in_hw[16, 16] out_hw[8, 8] kernel[3, 3] strides[2, 2] pads[1, 1, 1, 1] dilations[1, 1] dtype(f32)
    // 38 + ceil(1024 / 256) = 4 -> 42
    // expected-remark @+1 {{vector cycles=42 host_bytes=0 dram_bytes=0 link_bytes=0}}
    npuisa.pool avg src(0) -> dst(16384) channels(16) in_hw[16, 16] out_hw[8, 8] kernel[3, 3] strides[2, 2] pads[1, 1, 1, 1] dilations[1, 1] dtype(f32)
    // 1 * 3 * 10 * 10 = 300 elements: 2 + ceil(300 / 256) = 2 -> 4
    // expected-remark @+1 {{vector cycles=4 host_bytes=0 dram_bytes=0 link_bytes=0}}
    npuisa.copy src(0) -> dst(8192) shape[1, 3, 10, 10] src_strides[300, 100, 10, 1] dst_strides[300, 1, 30, 3] dtype(f32)
    // out = 16 * 16 * 16 = 4096: 2 + ceil(4096 / 256) = 16 * 1 -> 18
    // expected-remark @+1 {{vector cycles=18 host_bytes=0 dram_bytes=0 link_bytes=0}}
    npuisa.resize nearest src(0) -> dst(8192) channels(16) in_hw[8, 8] out_hw[16, 16] modes[0, 0] dtype(f32)
    // 2 + 16 * 4 = 66
    // expected-remark @+1 {{vector cycles=66 host_bytes=0 dram_bytes=0 link_bytes=0}}
    npuisa.resize linear src(0) -> dst(8192) channels(16) in_hw[8, 8] out_hw[16, 16] modes[0, 0] dtype(f32)

    // Sync instructions cost 1 cycle on the engine they are queued on.
    // expected-remark @+1 {{mac cycles=1 host_bytes=0 dram_bytes=0 link_bytes=0}}
    npuisa.signal token(1) on(mac)
    // expected-remark @+1 {{vector cycles=1 host_bytes=0 dram_bytes=0 link_bytes=0}}
    npuisa.wait token(1) on(vector)

    // 2 + ceil(10 / 256) = 1 * 8 passes + 1 -> 11
    // expected-remark @+1 {{vector cycles=11 host_bytes=0 dram_bytes=0 link_bytes=0}}
    npuisa.exit_check src(0) classes(10) dtype(f32) measure(max_prob) threshold(0.5) {
      // 24 + ceil(2 * 40 / 64) = 2 -> 26
      // expected-remark @+1 {{dma_out cycles=26 host_bytes=0 dram_bytes=80 link_bytes=0}}
      npuisa.dma_out sram(0) -> dram(8192) rows(2) row_bytes(40) strides[40, 40]
      // 24 + 1000 + ceil(80 * 1000 / 16000) = 5 -> 1029
      // expected-remark @+1 {{dma_out cycles=1029 host_bytes=80 dram_bytes=0 link_bytes=0}}
      npuisa.store_output "y" offset(0) from dram(8192) bytes(80)
      // expected-remark @+1 {{control cycles=1 host_bytes=0 dram_bytes=0 link_bytes=0}}
      npuisa.halt
    }
    // margin also takes 8 passes: 11
    // expected-remark @+1 {{vector cycles=11 host_bytes=0 dram_bytes=0 link_bytes=0}}
    npuisa.exit_check src(0) classes(10) dtype(f32) measure(margin) threshold(0.5) {
      // expected-remark @+1 {{control cycles=1 host_bytes=0 dram_bytes=0 link_bytes=0}}
      npuisa.halt
    }
    // entropy: 2 + ceil(1000 / 256) = 4 * 12 passes + 1 -> 51
    // expected-remark @+1 {{vector cycles=51 host_bytes=0 dram_bytes=0 link_bytes=0}}
    npuisa.exit_check src(0) classes(1000) dtype(f32) measure(entropy) threshold(0.5) {
      // expected-remark @+1 {{control cycles=1 host_bytes=0 dram_bytes=0 link_bytes=0}}
      npuisa.halt
    }
    // expected-remark @+1 {{control cycles=1 host_bytes=0 dram_bytes=0 link_bytes=0}}
    npuisa.escalate chip(1)
    // 16 + ceil(6300 * 1000 / 64000) = ceil(98.4375) = 99 -> 115
    // expected-remark @+1 {{link_tx cycles=115 host_bytes=0 dram_bytes=0 link_bytes=6300}}
    npuisa.send sram(0) bytes(6300) to chip(1) channel(0)
    // expected-remark @+1 {{control cycles=1 host_bytes=0 dram_bytes=0 link_bytes=0}}
    npuisa.halt
  }

  // The same kinds of instruction on the big chip: twice the lanes and DRAM
  // bandwidth.
  //   dma_in  = 7274 + 56 = 7330
  //   dma_out = 27 + 1043 + 1 (wait) = 1071
  //   mac     = 1016 + 652 = 1668
  //   vector  = 4 + 10 + 8 + 4 + 10 + 22 + 3 + 34 + 27 = 122
  //   link_tx = 0;  link_rx = 115 + 1 (signal) = 116
  //   control = 1 (exit-path halt) + 1 (halt) = 2
  //   lower bound = 7330; host_bytes = 100000 + 300 = 100300;
  //   dram_bytes = 4000 + 300 = 4300; link_bytes = 6300
  // Per path: 'exit 1' stops after the check (its exit path is one halt):
  //   no dma_out, link_rx 115 (the signal comes later), control 1,
  //   host 100000, dram 4000; 'full' skips that halt: control 1.
  // SUMMARY: remark: chip 1 (big) path 'exit 1': busy cycles dma_in=7330 dma_out=0 mac=1668 vector=122 link_tx=0 link_rx=115 control=1; lower bound 7330 cycles; host_bytes=100000 dram_bytes=4000 link_bytes=6300
  // SUMMARY: remark: chip 1 (big) path 'full': busy cycles dma_in=7330 dma_out=1071 mac=1668 vector=122 link_tx=0 link_rx=116 control=1; lower bound 7330 cycles; host_bytes=100300 dram_bytes=4300 link_bytes=6300
  // expected-remark @+2 {{chip 1 (big) path 'exit 1': busy cycles dma_in=7330 dma_out=0 mac=1668 vector=122 link_tx=0 link_rx=115 control=1; lower bound 7330 cycles; host_bytes=100000 dram_bytes=4000 link_bytes=6300}}
  // expected-remark @+1 {{chip 1 (big) path 'full': busy cycles dma_in=7330 dma_out=1071 mac=1668 vector=122 link_tx=0 link_rx=116 control=1; lower bound 7330 cycles; host_bytes=100300 dram_bytes=4300 link_bytes=6300}}
  npuisa.program @big chip(1) {
    // The receiver drains at link speed: 16 + ceil(6300 * 1000 / 64000) = 99 -> 115
    // expected-remark @+1 {{link_rx cycles=115 host_bytes=0 dram_bytes=0 link_bytes=6300}}
    npuisa.recv sram(0) bytes(6300) from chip(0) channel(0)
    // 24 + 1000 + ceil(100000 * 1000 / 16000) = 6250 -> 7274
    // expected-remark @+1 {{dma_in cycles=7274 host_bytes=100000 dram_bytes=0 link_bytes=0}}
    npuisa.load_input "w" offset(0) -> dram(0) bytes(100000)
    // 24 + ceil(4000 / 128) = ceil(31.25) = 32 -> 56 (87 on chip 0)
    // expected-remark @+1 {{dma_in cycles=56 host_bytes=0 dram_bytes=4000 link_bytes=0}}
    npuisa.dma_in dram(0) -> sram(0) rows(4) row_bytes(1000) strides[1024, 1000]
    // A full 512-row tile: 4 + 512 + 400 + 100 = 1016
    // expected-remark @+1 {{mac cycles=1016 host_bytes=0 dram_bytes=0 link_bytes=0}}
    npuisa.matmul a(0) b(131072) c(262144) m(512) k(100) n(400) lds[100, 400, 400] dtype(bf16) accumulate(true)
    // pixels = 16 * 32 = 512, n = 64, k = 8 * 3 * 3 = 72: 4 + 512 + 64 + 72 = 652
    // expected-remark @+1 {{mac cycles=652 host_bytes=0 dram_bytes=0 link_bytes=0}}
    npuisa.conv input(0) weight(32768) output(65536) channels(8) in_hw[32, 32] out_channels(64) out_hw[32, 32] out_rows[16, 16] kernel[3, 3] strides[1, 1] pads[1, 1, 1, 1] dilations[1, 1] dtype(f32)
    // 2 + ceil(1000 / 512) = 2 -> 4
    // expected-remark @+1 {{vector cycles=4 host_bytes=0 dram_bytes=0 link_bytes=0}}
    npuisa.vector add a(0) b(4096) b_bcast[1, 1] -> dst(8192) count(1000) dtype(f32)
    // 2 + 2 * 4 = 10
    // expected-remark @+1 {{vector cycles=10 host_bytes=0 dram_bytes=0 link_bytes=0}}
    npuisa.vector exp a(0) -> dst(8192) count(1000) dtype(f32)
    // 2 + ceil(1025 / 512) = 3 * 2 = 8
    // expected-remark @+1 {{vector cycles=8 host_bytes=0 dram_bytes=0 link_bytes=0}}
    npuisa.vector sqrt a(0) -> dst(8192) count(1025) dtype(f32)
    // 2 + ceil(1000 / 512) = 2 -> 4
    // expected-remark @+1 {{vector cycles=4 host_bytes=0 dram_bytes=0 link_bytes=0}}
    npuisa.fill dst(0) count(1000) value(1.0) dtype(f32)
    // 2 + ceil(3200 / 512) = ceil(6.25) = 7 + ceil(32 / 512) = 1 -> 10
    // expected-remark @+1 {{vector cycles=10 host_bytes=0 dram_bytes=0 link_bytes=0}}
    npuisa.reduce mean src(0) -> dst(16384) shape[4, 100, 8] dtype(f32)
    // 2 + ceil(1024 * 9 / 512) = 18 + ceil(1024 / 512) = 2 -> 22
    // expected-remark @+1 {{vector cycles=22 host_bytes=0 dram_bytes=0 link_bytes=0}}
    npuisa.pool avg src(0) -> dst(16384) channels(16) in_hw[16, 16] out_hw[8, 8] kernel[3, 3] strides[2, 2] pads[1, 1, 1, 1] dilations[1, 1] dtype(f32)
    // 2 + ceil(300 / 512) = 1 -> 3
    // expected-remark @+1 {{vector cycles=3 host_bytes=0 dram_bytes=0 link_bytes=0}}
    npuisa.copy src(0) -> dst(8192) shape[1, 3, 10, 10] src_strides[300, 100, 10, 1] dst_strides[300, 1, 30, 3] dtype(f32)
    // 2 + ceil(4096 / 512) = 8 * 4 -> 34
    // expected-remark @+1 {{vector cycles=34 host_bytes=0 dram_bytes=0 link_bytes=0}}
    npuisa.resize linear src(0) -> dst(8192) channels(16) in_hw[8, 8] out_hw[16, 16] modes[0, 0] dtype(f32)
    // 2 + ceil(1000 / 512) = 2 * 12 + 1 -> 27
    // expected-remark @+1 {{vector cycles=27 host_bytes=0 dram_bytes=0 link_bytes=0}}
    npuisa.exit_check src(0) classes(1000) dtype(f32) measure(entropy) threshold(0.5) {
      // expected-remark @+1 {{control cycles=1 host_bytes=0 dram_bytes=0 link_bytes=0}}
      npuisa.halt
    }
    // expected-remark @+1 {{link_rx cycles=1 host_bytes=0 dram_bytes=0 link_bytes=0}}
    npuisa.signal token(2) on(link_rx)
    // expected-remark @+1 {{dma_out cycles=1 host_bytes=0 dram_bytes=0 link_bytes=0}}
    npuisa.wait token(2) on(dma_out)
    // 24 + ceil(3 * 100 / 128) = 3 -> 27
    // expected-remark @+1 {{dma_out cycles=27 host_bytes=0 dram_bytes=300 link_bytes=0}}
    npuisa.dma_out sram(0) -> dram(8192) rows(3) row_bytes(100) strides[100, 128]
    // 24 + 1000 + ceil(300 * 1000 / 16000) = ceil(18.75) = 19 -> 1043
    // expected-remark @+1 {{dma_out cycles=1043 host_bytes=300 dram_bytes=0 link_bytes=0}}
    npuisa.store_output "y" offset(0) from dram(8192) bytes(300)
    // expected-remark @+1 {{control cycles=1 host_bytes=0 dram_bytes=0 link_bytes=0}}
    npuisa.halt
  }
}

// -----

// mesh-2x2: chip 2 ("npu2", low precision) runs at 1250 MHz, so host latency
// and transfer times convert to more of its cycles; chip 0 runs at 1000 MHz.
// Links are 32 GB/s; the host link 16 GB/s, 1000 ns.
#chip0 = #npu.chip<id = 0, name = "npu0", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 256, mac_cols = 256, vector_lanes = 256, sram_bytes = 8388608, dram_bytes = 2147483648, dram_bytes_per_cycle = 64, clock_mhz = 1000, power = <active_mw = 4000, idle_mw = 600, off_mw = 20, wake_cycles = 20000, wake_energy_nj = 50000>, coord = [0, 0]>
#chip1 = #npu.chip<id = 1, name = "npu1", kind = "dense", caps = ["dense", "activation", "fp32", "fp16", "bf16"], mac_rows = 512, mac_cols = 512, vector_lanes = 512, sram_bytes = 16777216, dram_bytes = 2147483648, dram_bytes_per_cycle = 128, clock_mhz = 1000, power = <active_mw = 12000, idle_mw = 1800, off_mw = 40, wake_cycles = 20000, wake_energy_nj = 200000>, coord = [1, 0]>
#chip2 = #npu.chip<id = 2, name = "npu2", kind = "lowp", caps = ["dense", "conv", "activation", "fp16", "int8"], mac_rows = 256, mac_cols = 256, vector_lanes = 256, sram_bytes = 8388608, dram_bytes = 2147483648, dram_bytes_per_cycle = 64, clock_mhz = 1250, power = <active_mw = 2500, idle_mw = 400, off_mw = 15, wake_cycles = 20000, wake_energy_nj = 30000>, coord = [0, 1]>
#chip3 = #npu.chip<id = 3, name = "npu3", kind = "conv", caps = ["conv", "activation", "fp32", "fp16", "int8"], mac_rows = 256, mac_cols = 256, vector_lanes = 256, sram_bytes = 8388608, dram_bytes = 2147483648, dram_bytes_per_cycle = 64, clock_mhz = 1000, power = <active_mw = 3500, idle_mw = 500, off_mw = 20, wake_cycles = 20000, wake_energy_nj = 40000>, coord = [1, 1]>
#system = #npu.system<name = "mesh-2x2", topology = "mesh", mesh_dims = [2, 2], chips = [#chip0, #chip1, #chip2, #chip3], links = [<a = 0, b = 1, bandwidth_gbps = 32, latency_ns = 50>, <a = 0, b = 2, bandwidth_gbps = 32, latency_ns = 50>, <a = 1, b = 3, bandwidth_gbps = 32, latency_ns = 50>, <a = 2, b = 3, bandwidth_gbps = 32, latency_ns = 50>], host = <bandwidth_gbps = 16, latency_ns = 1000>>
module attributes {npu.inputs = [#npu.tensor<"x" : tensor<250xf32>>], npu.outputs = [#npu.tensor<"y" : tensor<4xf32>>], npu.system = #system} {
  //   dma_in = 1353 + 26 = 1379; dma_out = 1276; link_tx = 56; control = 1
  //   lower bound 1379; host_bytes = 1000 + 16 = 1016; dram_bytes = 100;
  //   link_bytes = 1000
  // SUMMARY: remark: chip 2 (npu2) path 'full': busy cycles dma_in=1379 dma_out=1276 mac=0 vector=0 link_tx=56 link_rx=0 control=1; lower bound 1379 cycles; host_bytes=1016 dram_bytes=100 link_bytes=1000
  // expected-remark @+1 {{chip 2 (npu2) path 'full': busy cycles dma_in=1379 dma_out=1276 mac=0 vector=0 link_tx=56 link_rx=0 control=1; lower bound 1379 cycles; host_bytes=1016 dram_bytes=100 link_bytes=1000}}
  npuisa.program @npu2 chip(2) {
    // 24 + ceil(1000 ns * 1250 / 1000) = 1250 + ceil(1000 * 1250 / 16000) = ceil(78.125) = 79 -> 1353
    // expected-remark @+1 {{dma_in cycles=1353 host_bytes=1000 dram_bytes=0 link_bytes=0}}
    npuisa.load_input "x" offset(0) -> dram(0) bytes(1000)
    // DRAM bandwidth is per cycle, so no clock conversion: 24 + ceil(100 / 64) = 2 -> 26
    // expected-remark @+1 {{dma_in cycles=26 host_bytes=0 dram_bytes=100 link_bytes=0}}
    npuisa.dma_in dram(0) -> sram(0) rows(1) row_bytes(100) strides[100, 100]
    // 16 + ceil(1000 * 1250 / 32000) = ceil(39.0625) = 40 -> 56
    // expected-remark @+1 {{link_tx cycles=56 host_bytes=0 dram_bytes=0 link_bytes=1000}}
    npuisa.send sram(0) bytes(1000) to chip(0) channel(0)
    // 24 + 1250 + ceil(16 * 1250 / 16000) = ceil(1.25) = 2 -> 1276
    // expected-remark @+1 {{dma_out cycles=1276 host_bytes=16 dram_bytes=0 link_bytes=0}}
    npuisa.store_output "y" offset(0) from dram(0) bytes(16)
    // expected-remark @+1 {{control cycles=1 host_bytes=0 dram_bytes=0 link_bytes=0}}
    npuisa.halt
  }
  //   link_rx = 48; control = 1; lower bound 48; link_bytes = 1000
  // SUMMARY: remark: chip 0 (npu0) path 'full': busy cycles dma_in=0 dma_out=0 mac=0 vector=0 link_tx=0 link_rx=48 control=1; lower bound 48 cycles; host_bytes=0 dram_bytes=0 link_bytes=1000
  // expected-remark @+1 {{chip 0 (npu0) path 'full': busy cycles dma_in=0 dma_out=0 mac=0 vector=0 link_tx=0 link_rx=48 control=1; lower bound 48 cycles; host_bytes=0 dram_bytes=0 link_bytes=1000}}
  npuisa.program @npu0 chip(0) {
    // The same 1000 bytes in the receiver's 1000 MHz cycles:
    // 16 + ceil(1000 * 1000 / 32000) = ceil(31.25) = 32 -> 48
    // expected-remark @+1 {{link_rx cycles=48 host_bytes=0 dram_bytes=0 link_bytes=1000}}
    npuisa.recv sram(0) bytes(1000) from chip(2) channel(0)
    // expected-remark @+1 {{control cycles=1 host_bytes=0 dram_bytes=0 link_bytes=0}}
    npuisa.halt
  }
}

// -----

// single: one general chip, 256x256 MAC array. Here the MAC array bounds
// the program: mac = 4 + 256 + 256 + 1000 = 1516 > vector = 2 + 1 = 3.
#chip0 = #npu.chip<id = 0, name = "npu0", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 256, mac_cols = 256, vector_lanes = 256, sram_bytes = 8388608, dram_bytes = 2147483648, dram_bytes_per_cycle = 64, clock_mhz = 1000, power = <active_mw = 4000, idle_mw = 600, off_mw = 20, wake_cycles = 20000, wake_energy_nj = 50000>>
#system = #npu.system<name = "single", topology = "switch", chips = [#chip0], host = <bandwidth_gbps = 16, latency_ns = 1000>>
module attributes {npu.system = #system} {
  // SUMMARY: remark: chip 0 (npu0) path 'full': busy cycles dma_in=0 dma_out=0 mac=1516 vector=3 link_tx=0 link_rx=0 control=1; lower bound 1516 cycles; host_bytes=0 dram_bytes=0 link_bytes=0
  // expected-remark @+1 {{chip 0 (npu0) path 'full': busy cycles dma_in=0 dma_out=0 mac=1516 vector=3 link_tx=0 link_rx=0 control=1; lower bound 1516 cycles; host_bytes=0 dram_bytes=0 link_bytes=0}}
  npuisa.program @main chip(0) {
    // expected-remark @+1 {{mac cycles=1516 host_bytes=0 dram_bytes=0 link_bytes=0}}
    npuisa.matmul a(0) b(1048576) c(2097152) m(256) k(1000) n(256) lds[1000, 256, 256] dtype(f32) accumulate(false)
    // 2 + ceil(256 / 256) = 1 -> 3
    // expected-remark @+1 {{vector cycles=3 host_bytes=0 dram_bytes=0 link_bytes=0}}
    npuisa.vector relu a(2097152) -> dst(2097152) count(256) dtype(f32)
    // expected-remark @+1 {{control cycles=1 host_bytes=0 dram_bytes=0 link_bytes=0}}
    npuisa.halt
  }
}

// -----

// A program that only halts.
#chip0 = #npu.chip<id = 0, name = "npu0", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 256, mac_cols = 256, vector_lanes = 256, sram_bytes = 8388608, dram_bytes = 2147483648, dram_bytes_per_cycle = 64, clock_mhz = 1000, power = <active_mw = 4000, idle_mw = 600, off_mw = 20, wake_cycles = 20000, wake_energy_nj = 50000>>
#system = #npu.system<name = "single", topology = "switch", chips = [#chip0], host = <bandwidth_gbps = 16, latency_ns = 1000>>
module attributes {npu.system = #system} {
  // SUMMARY: remark: chip 0 (npu0) path 'full': busy cycles dma_in=0 dma_out=0 mac=0 vector=0 link_tx=0 link_rx=0 control=1; lower bound 1 cycles; host_bytes=0 dram_bytes=0 link_bytes=0
  // expected-remark @+1 {{chip 0 (npu0) path 'full': busy cycles dma_in=0 dma_out=0 mac=0 vector=0 link_tx=0 link_rx=0 control=1; lower bound 1 cycles; host_bytes=0 dram_bytes=0 link_bytes=0}}
  npuisa.program @idle chip(0) {
    // expected-remark @+1 {{control cycles=1 host_bytes=0 dram_bytes=0 link_bytes=0}}
    npuisa.halt
  }
}

// -----

// Without programs the pass has nothing to report and needs no system: no
// diagnostic at all (-verify-diagnostics rejects any unexpected one).
module {
}

// -----

#chip0 = #npu.chip<id = 0, name = "npu0", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 256, mac_cols = 256, vector_lanes = 256, sram_bytes = 8388608, dram_bytes = 2147483648, dram_bytes_per_cycle = 64, clock_mhz = 1000, power = <active_mw = 4000, idle_mw = 600, off_mw = 20, wake_cycles = 20000, wake_energy_nj = 50000>>
#system = #npu.system<name = "single", topology = "switch", chips = [#chip0], host = <bandwidth_gbps = 16, latency_ns = 1000>>
module attributes {npu.system = #system} {
}
