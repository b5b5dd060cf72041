// npu-lower-to-isa keeps the module's early-exit table (`npu.early_exit`,
// which npu-insert-early-exits attaches at the graph level): the lowered
// cascade translates with it (the table agrees with the exit check and the
// escalation the lowering made) and runs as an early-exit stream whose
// every chip measures its budget, cold or standby.

// RUN: npu-opt %s --npu-lower-to-isa -o %t.isa.mlir
// RUN: FileCheck %s < %t.isa.mlir
// CHECK: module attributes {npu.early_exit = {answer = "probabilities", calibration = {accuracy = 8.333000e-01 : f64, expected_energy_fj = 150000000000 : i64, expected_latency_ps = 65000000 : i64, full_accuracy = 1.000000e+00 : f64, samples = 6 : i64}, escalation_rate = 5.000000e-01 : f64, from_chip = 0 : i64, gates = [{exit_rate = 5.000000e-01 : f64, split = "after the input", threshold = 9.000000e-01 : f64}], idle_window_ps = 5000000 : i64, measure = "max_prob", output = "y", return_threshold = 0.94999999999999996 : f64, to_chip = 1 : i64}
// CHECK: npuisa.program @small chip(0)
// CHECK: npuisa.exit_check {{.*}}threshold(0.899999976)
// CHECK: npuisa.escalate chip(1)
// RUN: npu-translate --npu-to-binary %t.isa.mlir -o %t.npub
// RUN: npu-translate --npub-to-mlir %t.npub | FileCheck %s --check-prefix=DIS
// DIS: npu.early_exit = {answer = "probabilities", {{.*}}to_chip = 1 : i64}
// RUN: %python %S/../../Tools/npu-run/Inputs/npu_run_util.py save %t.x.npy f32 6,4 1 2 1 1 10 0 0 0 10 0 0 0 10 0 0 0 10 0 0 0 4 4 4 4
// RUN: npu-run %t.npub --batch x=%t.x.npy --stream 6 --report --check-budgets | FileCheck %s --check-prefix=STREAM
// STREAM: 0 small small full, big full off
// STREAM-NEXT: 1 big small full, big full (standby) standby
// STREAM-NEXT: 2 small small exit 1, big none none
// STREAM: 5 small small full, big full off
// STREAM: escalations: 3 (rate 0.5, calibrated 0.5): 2 cold, 1 from standby
// STREAM: budgets: all equal to the measurements

#chip0 = #npu.chip<id = 0, name = "small", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 256, mac_cols = 256, vector_lanes = 256, sram_bytes = 4194304, dram_bytes = 1073741824, dram_bytes_per_cycle = 64, clock_mhz = 1000, power = <active_mw = 2500, idle_mw = 400, off_mw = 15, wake_cycles = 10000, wake_energy_nj = 20000>>
#chip1 = #npu.chip<id = 1, name = "big", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 512, mac_cols = 512, vector_lanes = 512, sram_bytes = 16777216, dram_bytes = 4294967296, dram_bytes_per_cycle = 128, clock_mhz = 1000, power = <active_mw = 12000, idle_mw = 1800, off_mw = 40, wake_cycles = 50000, wake_energy_nj = 400000>>
#system = #npu.system<name = "e1-package", topology = "switch", chips = [#chip0, #chip1], links = [<a = 0, b = 1, bandwidth_gbps = 64, latency_ns = 100>], host = <bandwidth_gbps = 16, latency_ns = 1000>>
module attributes {npu.system = #system, npu.early_exit = {measure = "max_prob", output = "y", answer = "probabilities", from_chip = 0 : i64, to_chip = 1 : i64, gates = [{split = "after the input", threshold = 0.9 : f64, exit_rate = 0.5 : f64}], return_threshold = 0.95 : f64, idle_window_ps = 5000000 : i64, escalation_rate = 0.5 : f64, calibration = {samples = 6 : i64, accuracy = 0.8333 : f64, full_accuracy = 1.0 : f64, expected_energy_fj = 150000000000 : i64, expected_latency_ps = 65000000 : i64}}} {
  npu.program @small chip(0) {
    %x = npu.input "x" : tensor<1x4xf32>
    npu.exit_gate %x, %x measure(max_prob) threshold(0.9) output("y") escalate chip(1) channel(0) : tensor<1x4xf32>, tensor<1x4xf32>
  }
  npu.program @big chip(1) {
    %f = npu.recv from chip(0) channel(0) : tensor<1x4xf32>
    %s = npu.sigmoid %f : tensor<1x4xf32>
    npu.output "y", %s : tensor<1x4xf32>
  }
}
