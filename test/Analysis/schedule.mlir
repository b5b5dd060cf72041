// RUN: npu-opt %s --split-input-file --npu-schedule | FileCheck %s
// RUN: npu-opt %s --split-input-file --npu-report-budgets=format=remarks -verify-diagnostics -o /dev/null
// RUN: npu-opt %s --split-input-file --npu-report-budgets=format=table -o /dev/null | FileCheck %s --check-prefix=TABLE
// RUN: npu-opt %s --split-input-file --npu-report-budgets=format=json -o /dev/null | FileCheck %s --check-prefix=JSON
//
// Every start, duration and budget below is derived by hand from
// docs/execution-model.md and the formulas of docs/cost-model.md.
//
// The table and the JSON carry the numbers of the remarks; shown here for
// the first and the last module.
// TABLE: chip program path cycles time (ns) host B dram B link B peak SRAM B (%) peak DRAM B energy (nJ)
// TABLE-NEXT: 0 p full 2313 2313.000 2048 2048 0 67584 (1.6) 5120 5782.500
// TABLE: 0 small exit 1 38 38.000 0 128 0 128 (0.0) 8384 95.000
// TABLE-NEXT: 0 small full 37 37.000 0 16 0 1040 (0.0) 2304 92.500
// TABLE-NEXT: 1 big full 0 0.000 0 0 0 0 (0.0) 0 0.000
// TABLE-NEXT: 1 big full (standby) 0 0.000 0 0 0 0 (0.0) 0 0.000
// TABLE-NEXT: (standby): the chip sleeps but is woken while in standby: no wake cycles, no wake energy, idle power until it starts
// JSON: "chip_name": "small",
// JSON: "dram_bytes_capacity": 1073741824,
// JSON: "peak_dram_bytes": 5120,
// JSON: "system": "e1-package"
// JSON: "system": "mesh-2x2"
// JSON: "system": "e1-package"
// JSON: "path": "exit 1",
// JSON-NEXT: "peak_dram_bytes": 8384,
// JSON: "path": "full",
// JSON-NEXT: "peak_dram_bytes": 2304,
// JSON: "chip_name": "big",
// JSON: "dram_bytes_capacity": 4294967296,
// JSON: "peak_dram_bytes": 0,
// JSON: "system": "e1-package"

// One chip (e1-package chip 0: 1000 MHz, 1000 ps/cycle, 256 lanes,
// 64 DRAM B/cycle; host 16 GB/s, 1000 ns). Engines overlap: the vector op
// runs at cycle 0 while the DMA chain works; tokens order DMA -> MAC -> DMA.
#chip0 = #npu.chip<id = 0, name = "small", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 256, mac_cols = 256, vector_lanes = 256, sram_bytes = 4194304, dram_bytes = 1073741824, dram_bytes_per_cycle = 64, clock_mhz = 1000, power = <active_mw = 2500, idle_mw = 400, off_mw = 15, wake_cycles = 10000, wake_energy_nj = 20000>>
#chip1 = #npu.chip<id = 1, name = "big", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 512, mac_cols = 512, vector_lanes = 512, sram_bytes = 16777216, dram_bytes = 4294967296, dram_bytes_per_cycle = 128, clock_mhz = 1000, power = <active_mw = 12000, idle_mw = 1800, off_mw = 40, wake_cycles = 50000, wake_energy_nj = 400000>>
#system = #npu.system<name = "e1-package", topology = "switch", chips = [#chip0, #chip1], links = [<a = 0, b = 1, bandwidth_gbps = 64, latency_ns = 100>], host = <bandwidth_gbps = 16, latency_ns = 1000>>
// A stream on one chip: each run starts at the previous halt, so the
// interval is the run, 2313 cycles of 1000 ps, and every input's latency too.
// expected-remark @+1 {{stream: interval 2313000 ps (432339.0 inputs/s), latency of input 0 2313000 ps, steady latency 2313000 ps from input 0}}
module attributes {npu.inputs = [#npu.tensor<"x" : tensor<256xf32>>], npu.outputs = [#npu.tensor<"y" : tensor<256xf32>>], npu.system = #system} {
  // cycles 2313, all of them busy: energy 2313 * 1000 ps * 2500 mW.
  // Peak SRAM: the vector op's a/dst end at 65536 + 512 * 4 = 67584.
  // Peak DRAM (no segments): load_input and dma_in end at 0 + 1024 = 1024,
  // dma_out and store_output at 4096 + 1024 = 5120.
  // expected-remark @+1 {{path 'full': start 0, cycles 2313, busy dma_in=1129 dma_out=1129 mac=54 vector=4 link_tx=0 link_rx=0 control=1, host_bytes 2048, dram_bytes 2048, link_bytes 0, peak_sram_bytes 67584, peak_dram_bytes 5120, energy_fj 5782500000}}
  npuisa.program @p chip(0) {
    // host DMA 24 + 1000 + ceil(1024 / 16) = 1088: [0, 1088)
    // CHECK: npuisa.load_input {{.*}}npuisa.schedule = array<i64: 0, 1088>
    npuisa.load_input "x" offset(0) -> dram(0) bytes(1024)
    // 24 + 1024 / 64 = 40: [1088, 1128)
    // CHECK: npuisa.dma_in {{.*}}npuisa.schedule = array<i64: 1088, 40>
    npuisa.dma_in dram(0) -> sram(0) rows(1) row_bytes(1024) strides[1024, 1024]
    // CHECK: npuisa.signal {{.*}}npuisa.schedule = array<i64: 1128, 1>
    npuisa.signal token(0) on(dma_in)
    // The vector unit is free and nothing orders it: 2 + 512 / 256 = 4 at 0.
    // CHECK: npuisa.vector {{.*}}npuisa.schedule = array<i64: 0, 4>
    npuisa.vector relu a(65536) -> dst(65536) count(512) dtype(f32)
    // Waits for the signal's finish, 1129.
    // CHECK: npuisa.wait {{.*}}npuisa.schedule = array<i64: 1129, 1>
    npuisa.wait token(0) on(mac)
    // 4 + 16 + 16 + 16 = 52: [1130, 1182)
    // CHECK: npuisa.matmul {{.*}}npuisa.schedule = array<i64: 1130, 52>
    npuisa.matmul a(0) b(4096) c(8192) m(16) k(16) n(16) lds[16, 16, 16] dtype(f32) accumulate(false)
    // CHECK: npuisa.signal {{.*}}npuisa.schedule = array<i64: 1182, 1>
    npuisa.signal token(1) on(mac)
    // CHECK: npuisa.wait {{.*}}npuisa.schedule = array<i64: 1183, 1>
    npuisa.wait token(1) on(dma_out)
    // CHECK: npuisa.dma_out {{.*}}npuisa.schedule = array<i64: 1184, 40>
    npuisa.dma_out sram(8192) -> dram(4096) rows(1) row_bytes(1024) strides[1024, 1024]
    // CHECK: npuisa.store_output {{.*}}npuisa.schedule = array<i64: 1224, 1088>
    npuisa.store_output "y" offset(0) from dram(4096) bytes(1024)
    // Halt waits for every engine: the latest finish is 2312.
    // CHECK: npuisa.halt {npuisa.schedule = array<i64: 2312, 1>}
    npuisa.halt
  }
}

// -----

// Two clocks: mesh-2x2 chip 2 (1250 MHz, 800 ps/cycle) sends 1024 bytes to
// chip 0 (1000 MHz) over a 32 GB/s, 50 ns link.
#chip0 = #npu.chip<id = 0, name = "npu0", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 256, mac_cols = 256, vector_lanes = 256, sram_bytes = 8388608, dram_bytes = 2147483648, dram_bytes_per_cycle = 64, clock_mhz = 1000, power = <active_mw = 4000, idle_mw = 600, off_mw = 20, wake_cycles = 20000, wake_energy_nj = 50000>, coord = [0, 0]>
#chip1 = #npu.chip<id = 1, name = "npu1", kind = "dense", caps = ["dense", "activation", "fp32", "fp16", "bf16"], mac_rows = 512, mac_cols = 512, vector_lanes = 512, sram_bytes = 16777216, dram_bytes = 2147483648, dram_bytes_per_cycle = 128, clock_mhz = 1000, power = <active_mw = 12000, idle_mw = 1800, off_mw = 40, wake_cycles = 20000, wake_energy_nj = 200000>, coord = [1, 0]>
#chip2 = #npu.chip<id = 2, name = "npu2", kind = "lowp", caps = ["dense", "conv", "activation", "fp16", "int8"], mac_rows = 256, mac_cols = 256, vector_lanes = 256, sram_bytes = 8388608, dram_bytes = 2147483648, dram_bytes_per_cycle = 64, clock_mhz = 1250, power = <active_mw = 2500, idle_mw = 400, off_mw = 15, wake_cycles = 20000, wake_energy_nj = 30000>, coord = [0, 1]>
#chip3 = #npu.chip<id = 3, name = "npu3", kind = "conv", caps = ["conv", "activation", "fp32", "fp16", "int8"], mac_rows = 256, mac_cols = 256, vector_lanes = 256, sram_bytes = 8388608, dram_bytes = 2147483648, dram_bytes_per_cycle = 64, clock_mhz = 1000, power = <active_mw = 3500, idle_mw = 500, off_mw = 20, wake_cycles = 20000, wake_energy_nj = 40000>, coord = [1, 1]>
#system = #npu.system<name = "mesh-2x2", topology = "mesh", mesh_dims = [2, 2], chips = [#chip0, #chip1, #chip2, #chip3], links = [<a = 0, b = 1, bandwidth_gbps = 32, latency_ns = 50>, <a = 0, b = 2, bandwidth_gbps = 32, latency_ns = 50>, <a = 1, b = 3, bandwidth_gbps = 32, latency_ns = 50>, <a = 2, b = 3, bandwidth_gbps = 32, latency_ns = 50>], host = <bandwidth_gbps = 16, latency_ns = 1000>>
// The stream: releases on the 4000 ps grid (lcm of 1000 and 800 ps). The
// sender's run, 62 * 800 = 49600 ps, is the bottleneck (the receiver is busy
// 49 of its 103 cycles): interval 13 * 4000 = 52000 ps. Input 1, released at
// 52000: the sender starts at cycle 65, sends at 70 (56000 ps), arrival
// 106000 ps = receiver cycle 106; the receiver started at its halt, 103,
// and halts at 106 + 49 = 155: latency 155000 - 52000 = 103000, as input
// 0's; the receiver starts 51 cycles after the release from then on.
// expected-remark @+1 {{stream: interval 52000 ps (19230769.2 inputs/s), latency of input 0 103000 ps, steady latency 103000 ps from input 1}}
module attributes {npu.system = #system} {
  // The send starts at chip 2 cycle 5 = 4000 ps; it arrives at
  // 4000 + 50000 = 54000 ps = chip 0 cycle 54. The receiver drains for
  // 16 + 1024 * 1000 / 32000 = 48 cycles: [54, 102); halt [102, 103).
  // Busy 49 cycles, idle 54: 49 * 1000 * 4000 + 54 * 1000 * 600.
  // Neither program has segments or touches DRAM: peak DRAM 0.
  // expected-remark @+1 {{path 'full': start 0, cycles 103, busy dma_in=0 dma_out=0 mac=0 vector=0 link_tx=0 link_rx=48 control=1, host_bytes 0, dram_bytes 0, link_bytes 1024, peak_sram_bytes 1024, peak_dram_bytes 0, energy_fj 228400000}}
  npuisa.program @receiver chip(0) {
    // CHECK-LABEL: npuisa.program @receiver
    // CHECK: npuisa.recv {{.*}}npuisa.schedule = array<i64: 54, 48>
    npuisa.recv sram(0) bytes(1024) from chip(2) channel(0)
    // CHECK: npuisa.halt {npuisa.schedule = array<i64: 102, 1>}
    npuisa.halt
  }
  // All 62 cycles busy: 62 * 800 * 2500.
  // expected-remark @+1 {{path 'full': start 0, cycles 62, busy dma_in=0 dma_out=0 mac=0 vector=4 link_tx=57 link_rx=0 control=1, host_bytes 0, dram_bytes 0, link_bytes 1024, peak_sram_bytes 1024, peak_dram_bytes 0, energy_fj 124000000}}
  npuisa.program @sender chip(2) {
    // CHECK-LABEL: npuisa.program @sender
    // 2 + ceil(256 / 256) = 3
    // CHECK: npuisa.fill {{.*}}npuisa.schedule = array<i64: 0, 3>
    npuisa.fill dst(0) count(256) value(1.0) dtype(f32)
    // CHECK: npuisa.signal {{.*}}npuisa.schedule = array<i64: 3, 1>
    npuisa.signal token(0) on(vector)
    // CHECK: npuisa.wait {{.*}}npuisa.schedule = array<i64: 4, 1>
    npuisa.wait token(0) on(link_tx)
    // 16 + ceil(1024 * 1250 / 32000) = 16 + 40 = 56
    // CHECK: npuisa.send {{.*}}npuisa.schedule = array<i64: 5, 56>
    npuisa.send sram(0) bytes(1024) to chip(0) channel(0)
    // CHECK: npuisa.halt {npuisa.schedule = array<i64: 61, 1>}
    npuisa.halt
  }
}

// -----

// Early exit and escalation on e1-package: chip 1 starts asleep and wakes
// 50000 cycles after chip 0's escalate finishes.
#chip0 = #npu.chip<id = 0, name = "small", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 256, mac_cols = 256, vector_lanes = 256, sram_bytes = 4194304, dram_bytes = 1073741824, dram_bytes_per_cycle = 64, clock_mhz = 1000, power = <active_mw = 2500, idle_mw = 400, off_mw = 15, wake_cycles = 10000, wake_energy_nj = 20000>>
#chip1 = #npu.chip<id = 1, name = "big", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 512, mac_cols = 512, vector_lanes = 512, sram_bytes = 16777216, dram_bytes = 4294967296, dram_bytes_per_cycle = 128, clock_mhz = 1000, power = <active_mw = 12000, idle_mw = 1800, off_mw = 40, wake_cycles = 50000, wake_energy_nj = 400000>>
#system = #npu.system<name = "e1-package", topology = "switch", chips = [#chip0, #chip1], links = [<a = 0, b = 1, bandwidth_gbps = 64, latency_ns = 100>], host = <bandwidth_gbps = 16, latency_ns = 1000>>
module attributes {npu.system = #system} {
  // exit 1: check [0, 11) (2 + 8 + 1), then its halt at 11: 12 cycles,
  //   all busy: 12 * 1000 * 2500.
  // full: escalate [11, 12) (issued after the check), send 16 + 1 = 17
  //   cycles [11, 28), halt [28, 29): 29 busy cycles: 29 * 1000 * 2500.
  // No segments and no DRAM access on either chip: peak DRAM 0.
  // expected-remark @+2 {{path 'exit 1': start 0, cycles 12, busy dma_in=0 dma_out=0 mac=0 vector=11 link_tx=0 link_rx=0 control=1, host_bytes 0, dram_bytes 0, link_bytes 0, peak_sram_bytes 40, peak_dram_bytes 0, energy_fj 30000000}}
  // expected-remark @+1 {{path 'full': start 0, cycles 29, busy dma_in=0 dma_out=0 mac=0 vector=11 link_tx=17 link_rx=0 control=2, host_bytes 0, dram_bytes 0, link_bytes 64, peak_sram_bytes 64, peak_dram_bytes 0, energy_fj 72500000}}
  npuisa.program @small chip(0) {
    // CHECK-LABEL: npuisa.program @small
    // CHECK: npuisa.exit_check {{.*}}npuisa.schedule = array<i64: 0, 11>
    npuisa.exit_check src(0) classes(10) dtype(f32) measure(max_prob) threshold(0.9) {
      // CHECK: npuisa.halt {npuisa.schedule = array<i64: 11, 1>}
      npuisa.halt
    }
    // CHECK: npuisa.escalate {{.*}}npuisa.schedule = array<i64: 11, 1>
    npuisa.escalate chip(1)
    // CHECK: npuisa.send {{.*}}npuisa.schedule = array<i64: 11, 17>
    npuisa.send sram(0) bytes(64) to chip(1) channel(0)
    // CHECK: npuisa.halt {npuisa.schedule = array<i64: 28, 1>}
    npuisa.halt
  }
  // Woken at 12 + 50000 = 50012; the message arrived long before
  // (11000 + 100000 ps = cycle 111): recv [50012, 50029), halt 50029.
  // Energy: off 50012 * 1000 * 40 + wake 400000 nJ + 18 busy cycles at
  // 12000 mW = 2000480000 + 400000000000 + 216000000.
  // A standby start (docs/execution-model.md, "Standby"): woken at
  // ceil(12 * 1000 / 1000) = 12 with no wake cycles; the message arrives at
  // cycle 111, recv [111, 128), halt [128, 129): 129 - 12 = 117 cycles, 18
  // of them busy. Energy: idle 12 * 1000 * 1800 before the start, 18 busy
  // cycles at 12000 mW, 99 idle at 1800 mW = 21600000 + 216000000 +
  // 178200000; no wake-up.
  // expected-remark @+2 {{path 'full': start 50012, cycles 18, busy dma_in=0 dma_out=0 mac=0 vector=0 link_tx=0 link_rx=17 control=1, host_bytes 0, dram_bytes 0, link_bytes 64, peak_sram_bytes 64, peak_dram_bytes 0, energy_fj 402216480000}}
  // expected-remark @+1 {{path 'full (standby)': start 12, cycles 117, busy dma_in=0 dma_out=0 mac=0 vector=0 link_tx=0 link_rx=17 control=1, host_bytes 0, dram_bytes 0, link_bytes 64, peak_sram_bytes 64, peak_dram_bytes 0, energy_fj 415800000}}
  npuisa.program @big chip(1) {
    // CHECK-LABEL: npuisa.program @big
    // CHECK: npuisa.recv {{.*}}npuisa.schedule = array<i64: 50012, 17>
    npuisa.recv sram(0) bytes(64) from chip(0) channel(0)
    // CHECK: npuisa.halt {npuisa.schedule = array<i64: 50029, 1>}
    npuisa.halt
  }
}

// -----

// Peak DRAM on e1-package: segments count on every path of a program that
// runs, DRAM accesses only on the paths that execute them, and a chip that
// never runs needs nothing.
#chip0 = #npu.chip<id = 0, name = "small", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 256, mac_cols = 256, vector_lanes = 256, sram_bytes = 4194304, dram_bytes = 1073741824, dram_bytes_per_cycle = 64, clock_mhz = 1000, power = <active_mw = 2500, idle_mw = 400, off_mw = 15, wake_cycles = 10000, wake_energy_nj = 20000>>
#chip1 = #npu.chip<id = 1, name = "big", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 512, mac_cols = 512, vector_lanes = 512, sram_bytes = 16777216, dram_bytes = 4294967296, dram_bytes_per_cycle = 128, clock_mhz = 1000, power = <active_mw = 12000, idle_mw = 1800, off_mw = 40, wake_cycles = 50000, wake_energy_nj = 400000>>
#system = #npu.system<name = "e1-package", topology = "switch", chips = [#chip0, #chip1], links = [<a = 0, b = 1, bandwidth_gbps = 64, latency_ns = 100>], host = <bandwidth_gbps = 16, latency_ns = 1000>>
module attributes {npu.system = #system} {
  // Segments: 64 f32 at 2048 end at 2048 + 64 * 4 = 2304; 16 i8 at 0 end
  // at 16. Segment end: 2304.
  // exit 1: check [0, 11) (2 + 8 + 1); dma_out of 2 rows of 64 B is
  //   24 + ceil(128 / 64) = 26 cycles [11, 37) (issued after the check);
  //   escalate [11, 12); halt waits for dma_out: [37, 38). 38 cycles, all
  //   busy: 38 * 1000 * 2500. SRAM: the check reads [0, 40), dma_out
  //   [0, 64 + 64) = 128. DRAM: dma_out writes rows at 8192 and
  //   8192 + 128: [8192, 8192 + 128 + 64) ends at 8384 > 2304.
  // full: check [0, 11); dma_in of 16 B is 24 + ceil(16 / 64) = 25 cycles
  //   [11, 36); halt [36, 37). 37 cycles, all busy: 37 * 1000 * 2500.
  //   SRAM: dma_in writes [1024, 1040). DRAM: dma_in reads [0, 16); the
  //   segments end at 2304, read or not: 2304.
  // expected-remark @+2 {{path 'exit 1': start 0, cycles 38, busy dma_in=0 dma_out=26 mac=0 vector=11 link_tx=0 link_rx=0 control=2, host_bytes 0, dram_bytes 128, link_bytes 0, peak_sram_bytes 128, peak_dram_bytes 8384, energy_fj 95000000}}
  // expected-remark @+1 {{path 'full': start 0, cycles 37, busy dma_in=25 dma_out=0 mac=0 vector=11 link_tx=0 link_rx=0 control=1, host_bytes 0, dram_bytes 16, link_bytes 0, peak_sram_bytes 1040, peak_dram_bytes 2304, energy_fj 92500000}}
  npuisa.program @small chip(0) attributes {npuisa.segments = [{dram = 2048 : i64, data = dense<1.0> : tensor<64xf32>}, {dram = 0 : i64, data = dense<7> : tensor<16xi8>}]} {
    // CHECK-LABEL: npuisa.program @small
    // CHECK: npuisa.exit_check {{.*}}npuisa.schedule = array<i64: 0, 11>
    npuisa.exit_check src(0) classes(10) dtype(f32) measure(max_prob) threshold(0.9) {
      // CHECK: npuisa.dma_out {{.*}}npuisa.schedule = array<i64: 11, 26>
      npuisa.dma_out sram(0) -> dram(8192) rows(2) row_bytes(64) strides[64, 128]
      // CHECK: npuisa.escalate {{.*}}npuisa.schedule = array<i64: 11, 1>
      npuisa.escalate chip(1)
      // CHECK: npuisa.halt {npuisa.schedule = array<i64: 37, 1>}
      npuisa.halt
    }
    // CHECK: npuisa.dma_in {{.*}}npuisa.schedule = array<i64: 11, 25>
    npuisa.dma_in dram(0) -> sram(1024) rows(1) row_bytes(16) strides[16, 16]
    // CHECK: npuisa.halt {npuisa.schedule = array<i64: 36, 1>}
    npuisa.halt
  }
  // Woken only on small's exit path; its budget is measured with small on
  // "full", so it never runs: every number is 0, its segment included.
  // expected-remark @+2 {{path 'full': start 0, cycles 0, busy dma_in=0 dma_out=0 mac=0 vector=0 link_tx=0 link_rx=0 control=0, host_bytes 0, dram_bytes 0, link_bytes 0, peak_sram_bytes 0, peak_dram_bytes 0, energy_fj 0}}
  // expected-remark @+1 {{path 'full (standby)': start 0, cycles 0, busy dma_in=0 dma_out=0 mac=0 vector=0 link_tx=0 link_rx=0 control=0, host_bytes 0, dram_bytes 0, link_bytes 0, peak_sram_bytes 0, peak_dram_bytes 0, energy_fj 0}}
  npuisa.program @big chip(1) attributes {npuisa.segments = [{dram = 1048576 : i64, data = dense<0> : tensor<4xi32>}]} {
    npuisa.dma_in dram(1048576) -> sram(0) rows(1) row_bytes(16) strides[16, 16]
    npuisa.halt
  }
}
