// Standby budgets and the early-exit table in npu-report-budgets. A chip
// that starts asleep (an escalation target) has, besides the budget of each
// path after a cold start, the budget of the same path after a standby
// start (docs/execution-model.md, "Standby"): it starts when the
// escalation reaches it, with no wake cycles and no wake energy, drawing
// idle power until then. The module's npu.early_exit is reported as a table.

// RUN: npu-opt %s --npu-report-budgets=format=remarks -verify-diagnostics -o /dev/null
// RUN: npu-opt %s --npu-report-budgets=format=table -o /dev/null | FileCheck %s --check-prefix=TABLE
// RUN: npu-opt %s --npu-report-budgets=format=json -o /dev/null | FileCheck %s --check-prefix=JSON

// TABLE: 1 big full 1078 1078.000 16 16 16 80 (0.0) 16 414978.560
// TABLE-NEXT: 1 big full (standby) 1178 1178.000 16 16 16 80 (0.0) 16 15031.200
// TABLE-NEXT: (standby): the chip sleeps but is woken while in standby: no wake cycles, no wake energy, idle power until it starts
// TABLE: Early exit: chip 0 'small' escalates to chip 1 'big'; measure max_prob on output 'y' (probabilities)
// TABLE-NEXT: gate threshold exit rate split
// TABLE-NEXT: exit 1 0.9 0.5 after the input
// TABLE-NEXT: escalation rate 0.5, return threshold 0.95, idle window 5000000 ps (5000.000 ns)
// TABLE-NEXT: calibration: 6 samples, accuracy 0.8333 (full model 1), expected energy 1.5e+11 fJ and latency 6.5e+07 ps per input

// JSON: "early_exit": {
// JSON-NEXT: "answer": "probabilities",
// JSON: "gates": [
// JSON-NEXT: {
// JSON-NEXT: "exit_rate": 0.5,
// JSON-NEXT: "split": "after the input",
// JSON-NEXT: "threshold": 0.90000000000000002
// JSON: "idle_window_ps": 5000000,
// JSON: "chip_name": "small",
// JSON: "standby_paths": [],
// JSON-NEXT: "starts_asleep": false
// JSON: "chip_name": "big",
// JSON: "standby_paths": [
// JSON-NEXT: {
// JSON-NEXT: "cycles": 1178,
// JSON: "energy_fj": 15031200000,
// JSON: "start_cycle": 1064,
// JSON: "starts_asleep": true

#chip0 = #npu.chip<id = 0, name = "small", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 256, mac_cols = 256, vector_lanes = 256, sram_bytes = 4194304, dram_bytes = 1073741824, dram_bytes_per_cycle = 64, clock_mhz = 1000, power = <active_mw = 2500, idle_mw = 400, off_mw = 15, wake_cycles = 10000, wake_energy_nj = 20000>>
#chip1 = #npu.chip<id = 1, name = "big", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 512, mac_cols = 512, vector_lanes = 512, sram_bytes = 16777216, dram_bytes = 4294967296, dram_bytes_per_cycle = 128, clock_mhz = 1000, power = <active_mw = 12000, idle_mw = 1800, off_mw = 40, wake_cycles = 50000, wake_energy_nj = 400000>>
#system = #npu.system<name = "e1-package", topology = "switch", chips = [#chip0, #chip1], links = [<a = 0, b = 1, bandwidth_gbps = 64, latency_ns = 100>], host = <bandwidth_gbps = 16, latency_ns = 1000>>
// expected-remark @below {{early exit: chip 0 -> chip 1, max_prob on 'y' (probabilities), gates [exit 1 'after the input' threshold 0.9 rate 0.5], escalation rate 0.5, return threshold 0.95, idle window 5000000 ps, calibration 6 samples, accuracy 0.8333 (full 1), energy 1.5e+11 fJ, latency 6.5e+07 ps}}
module attributes {
    npu.inputs = [#npu.tensor<"x" : tensor<1x4xf32>>],
    npu.outputs = [#npu.tensor<"y" : tensor<1x4xf32>>],
    npu.system = #system,
    npu.early_exit = {measure = "max_prob", output = "y", answer = "probabilities",
                      from_chip = 0 : i64, to_chip = 1 : i64,
                      gates = [{split = "after the input", threshold = 0.9 : f64, exit_rate = 0.5 : f64}],
                      return_threshold = 0.95 : f64, idle_window_ps = 5000000 : i64,
                      escalation_rate = 0.5 : f64,
                      calibration = {samples = 6 : i64, accuracy = 0.8333 : f64, full_accuracy = 1.0 : f64,
                                     expected_energy_fj = 150000000000 : i64, expected_latency_ps = 65000000 : i64}}} {
  // Small (1000 ps per cycle, 2500 mW active): "exit 1" runs the exit path
  // to its store_output (1025 cycles of host DMA), 2116 cycles, all busy;
  // "full" escalates at [1063, 1064) and sends at [1064, 1081): 1082. No
  // chip sleeps here, so no standby budgets.
  // expected-remark @below {{path 'exit 1': start 0, cycles 2116, busy dma_in=1052 dma_out=1051 mac=0 vector=13 link_tx=0 link_rx=0 control=1, host_bytes 32, dram_bytes 32, link_bytes 0, peak_sram_bytes 16, peak_dram_bytes 80, energy_fj 5290000000}}
  // expected-remark @below {{path 'full': start 0, cycles 1082, busy dma_in=1052 dma_out=0 mac=0 vector=12 link_tx=18 link_rx=0 control=2, host_bytes 16, dram_bytes 16, link_bytes 16, peak_sram_bytes 16, peak_dram_bytes 16, energy_fj 2705000000}}
  npuisa.program @small chip(0) {
    npuisa.load_input "x" offset(0) -> dram(0) bytes(16)
    npuisa.dma_in dram(0) -> sram(0) rows(1) row_bytes(16) strides[16, 16]
    npuisa.signal token(0) on(dma_in)
    npuisa.signal token(1) on(dma_in)
    npuisa.wait token(0) on(vector)
    npuisa.exit_check src(0) classes(4) dtype(f32) measure(max_prob) threshold(0.9) {
      npuisa.signal token(2) on(vector)
      npuisa.wait token(2) on(dma_out)
      npuisa.dma_out sram(0) -> dram(64) rows(1) row_bytes(16) strides[16, 16]
      npuisa.store_output "y" offset(0) from dram(64) bytes(16)
      npuisa.halt
    }
    npuisa.escalate chip(1)
    npuisa.wait token(1) on(link_tx)
    npuisa.send sram(0) bytes(16) to chip(1) channel(0)
    npuisa.halt
  }
  // Big, woken by the escalate finishing at 1064 (ceil(1064 * 1000 / 1000)).
  // Cold: starts 50000 wake cycles later, at 51064; the message (sent at
  // 1064, 100 ns on the link: cycle 1164) is there; 1078 cycles, all busy.
  // Energy: off 51064 * 1000 * 40 + 400000 nJ + 1078 * 1000 * 12000.
  // Standby: starts at 1064, recv waits until 1164, halt [2241, 2242):
  // 1178 cycles, 1078 busy, 100 idle. Energy: idle 1064 * 1000 * 1800 before
  // the start + 1078 * 1000 * 12000 + 100 * 1000 * 1800 = 1915200000 +
  // 12936000000 + 180000000. Bytes and peaks are the same on both.
  // expected-remark @below {{path 'full': start 51064, cycles 1078, busy dma_in=0 dma_out=1051 mac=0 vector=8 link_tx=0 link_rx=18 control=1, host_bytes 16, dram_bytes 16, link_bytes 16, peak_sram_bytes 80, peak_dram_bytes 16, energy_fj 414978560000}}
  // expected-remark @below {{path 'full (standby)': start 1064, cycles 1178, busy dma_in=0 dma_out=1051 mac=0 vector=8 link_tx=0 link_rx=18 control=1, host_bytes 16, dram_bytes 16, link_bytes 16, peak_sram_bytes 80, peak_dram_bytes 16, energy_fj 15031200000}}
  npuisa.program @big chip(1) {
    npuisa.recv sram(0) bytes(16) from chip(0) channel(0)
    npuisa.signal token(0) on(link_rx)
    npuisa.wait token(0) on(vector)
    npuisa.vector sigmoid a(0) -> dst(64) count(4) dtype(f32)
    npuisa.signal token(1) on(vector)
    npuisa.wait token(1) on(dma_out)
    npuisa.dma_out sram(64) -> dram(0) rows(1) row_bytes(16) strides[16, 16]
    npuisa.store_output "y" offset(0) from dram(0) bytes(16)
    npuisa.halt
  }
}
