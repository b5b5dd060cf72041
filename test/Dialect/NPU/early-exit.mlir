// The module attribute `npu.early_exit` (the calibrated table of an
// early-exit cascade, docs/binary-format.md): its form and values are
// verified with the module, every problem naming the key; a valid table
// round-trips, also through the generic form.

// RUN: npu-opt %s --split-input-file --verify-diagnostics | FileCheck %s
// RUN: npu-opt %s --split-input-file --verify-diagnostics --mlir-print-op-generic | npu-opt --split-input-file | FileCheck %s

#chip0 = #npu.chip<id = 0, name = "small", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 256, mac_cols = 256, vector_lanes = 256, sram_bytes = 4194304, dram_bytes = 1073741824, dram_bytes_per_cycle = 64, clock_mhz = 1000, power = <active_mw = 2500, idle_mw = 400, off_mw = 15, wake_cycles = 10000, wake_energy_nj = 20000>>
#chip1 = #npu.chip<id = 1, name = "big", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 512, mac_cols = 512, vector_lanes = 512, sram_bytes = 16777216, dram_bytes = 4294967296, dram_bytes_per_cycle = 128, clock_mhz = 1000, power = <active_mw = 12000, idle_mw = 1800, off_mw = 40, wake_cycles = 50000, wake_energy_nj = 400000>>
#system = #npu.system<name = "e1-package", topology = "switch", chips = [#chip0, #chip1], links = [<a = 0, b = 1, bandwidth_gbps = 64, latency_ns = 100>], host = <bandwidth_gbps = 16, latency_ns = 1000>>
// CHECK-LABEL: module attributes
// CHECK-SAME: npu.early_exit = {answer = "probabilities", calibration = {accuracy = 9.200000e-01 : f64, expected_energy_fj = 12000000 : i64, expected_latency_ps = 10000000 : i64, full_accuracy = 9.210000e-01 : f64, samples = 2000 : i64}, escalation_rate = 3.100000e-01 : f64, from_chip = 0 : i64, gates = [{exit_rate = 4.200000e-01 : f64, split = "after conv_2 (group 2 of 3)", threshold = 9.000000e-01 : f64}, {exit_rate = 1.000000e-01 : f64, split = "after conv_4", threshold = 8.000000e-01 : f64}], idle_window_ps = 222000000 : i64, measure = "max_prob", output = "probs", return_threshold = 0.94999999999999996 : f64, to_chip = 1 : i64}
module attributes {npu.system = #system, npu.early_exit = {
    measure = "max_prob", output = "probs", answer = "probabilities",
    from_chip = 0 : i64, to_chip = 1 : i64,
    gates = [{split = "after conv_2 (group 2 of 3)", threshold = 0.9 : f64, exit_rate = 0.42 : f64},
             {split = "after conv_4", threshold = 0.8 : f64, exit_rate = 0.1 : f64}],
    return_threshold = 0.95 : f64, idle_window_ps = 222000000 : i64, escalation_rate = 0.31 : f64,
    calibration = {samples = 2000 : i64, accuracy = 0.92 : f64, full_accuracy = 0.921 : f64,
                   expected_energy_fj = 12000000 : i64, expected_latency_ps = 10000000 : i64}}} {
}

// -----

// Without a system the chips are not checked; no gates is a cascade that
// always escalates.
// CHECK-LABEL: module attributes
// CHECK-SAME: gates = []
module attributes {npu.early_exit = {measure = "entropy", output = "logits", answer = "logits", from_chip = 3 : i64, to_chip = 7 : i64, gates = [], return_threshold = 0.0 : f64, idle_window_ps = 0 : i64, escalation_rate = 1.0 : f64, calibration = {samples = 1 : i64, accuracy = 0.0 : f64, full_accuracy = 1.0 : f64, expected_energy_fj = 0 : i64, expected_latency_ps = 0 : i64}}} {
}

// -----

// expected-error @below {{'npu.early_exit' must be a dictionary, got "table"}}
module attributes {npu.early_exit = "table"} {
}

// -----

// expected-error @below {{'npu.early_exit' has no key 'calibration'}}
module attributes {npu.early_exit = {measure = "max_prob", output = "y", answer = "logits", from_chip = 0 : i64, to_chip = 1 : i64, gates = [], return_threshold = 0.5 : f64, idle_window_ps = 0 : i64, escalation_rate = 0.5 : f64}} {
}

// -----

// expected-error @below {{'npu.early_exit' has an unknown key 'thresholds' (expected measure, output, answer, from_chip, to_chip, gates, return_threshold, idle_window_ps, escalation_rate, calibration)}}
module attributes {npu.early_exit = {measure = "max_prob", output = "y", answer = "logits", from_chip = 0 : i64, to_chip = 1 : i64, gates = [], return_threshold = 0.5 : f64, idle_window_ps = 0 : i64, escalation_rate = 0.5 : f64, calibration = {samples = 1 : i64, accuracy = 0.5 : f64, full_accuracy = 0.5 : f64, expected_energy_fj = 0 : i64, expected_latency_ps = 0 : i64}, thresholds = []}} {
}

// -----

// expected-error @below {{'npu.early_exit' key 'measure': must be "max_prob", "margin" or "entropy", got "top1"}}
module attributes {npu.early_exit = {measure = "top1", output = "y", answer = "logits", from_chip = 0 : i64, to_chip = 1 : i64, gates = [], return_threshold = 0.5 : f64, idle_window_ps = 0 : i64, escalation_rate = 0.5 : f64, calibration = {samples = 1 : i64, accuracy = 0.5 : f64, full_accuracy = 0.5 : f64, expected_energy_fj = 0 : i64, expected_latency_ps = 0 : i64}}} {
}

// -----

// expected-error @below {{'npu.early_exit' key 'answer': must be "logits" or "probabilities", got "probs"}}
module attributes {npu.early_exit = {measure = "max_prob", output = "y", answer = "probs", from_chip = 0 : i64, to_chip = 1 : i64, gates = [], return_threshold = 0.5 : f64, idle_window_ps = 0 : i64, escalation_rate = 0.5 : f64, calibration = {samples = 1 : i64, accuracy = 0.5 : f64, full_accuracy = 0.5 : f64, expected_energy_fj = 0 : i64, expected_latency_ps = 0 : i64}}} {
}

// -----

// expected-error @below {{'npu.early_exit' key 'output': must be a string, got 3 : i64}}
module attributes {npu.early_exit = {measure = "max_prob", output = 3, answer = "logits", from_chip = 0 : i64, to_chip = 1 : i64, gates = [], return_threshold = 0.5 : f64, idle_window_ps = 0 : i64, escalation_rate = 0.5 : f64, calibration = {samples = 1 : i64, accuracy = 0.5 : f64, full_accuracy = 0.5 : f64, expected_energy_fj = 0 : i64, expected_latency_ps = 0 : i64}}} {
}

// -----

// expected-error @below {{'npu.early_exit' key 'to_chip': must be an i64 integer, got 1 : i32}}
module attributes {npu.early_exit = {measure = "max_prob", output = "y", answer = "logits", from_chip = 0 : i64, to_chip = 1 : i32, gates = [], return_threshold = 0.5 : f64, idle_window_ps = 0 : i64, escalation_rate = 0.5 : f64, calibration = {samples = 1 : i64, accuracy = 0.5 : f64, full_accuracy = 0.5 : f64, expected_energy_fj = 0 : i64, expected_latency_ps = 0 : i64}}} {
}

// -----

// Energy and latency are whole femtojoules and picoseconds.
// expected-error @below {{'npu.early_exit' key 'calibration.expected_latency_ps': must be an i64 integer, got 1.000000e+07 : f64}}
module attributes {npu.early_exit = {measure = "max_prob", output = "y", answer = "logits", from_chip = 0 : i64, to_chip = 1 : i64, gates = [], return_threshold = 0.5 : f64, idle_window_ps = 0 : i64, escalation_rate = 0.5 : f64, calibration = {samples = 1 : i64, accuracy = 0.5 : f64, full_accuracy = 0.5 : f64, expected_energy_fj = 0 : i64, expected_latency_ps = 1.0e7 : f64}}} {
}

// -----

// expected-error @below {{'npu.early_exit' key 'gates[0].threshold': must be an f64 float, got 0.899999976 : f32}}
module attributes {npu.early_exit = {measure = "max_prob", output = "y", answer = "logits", from_chip = 0 : i64, to_chip = 1 : i64, gates = [{split = "a", threshold = 0.9 : f32, exit_rate = 0.5 : f64}], return_threshold = 0.5 : f64, idle_window_ps = 0 : i64, escalation_rate = 0.5 : f64, calibration = {samples = 1 : i64, accuracy = 0.5 : f64, full_accuracy = 0.5 : f64, expected_energy_fj = 0 : i64, expected_latency_ps = 0 : i64}}} {
}

// -----

// expected-error @below {{'npu.early_exit' has no key 'gates[0].exit_rate'}}
module attributes {npu.early_exit = {measure = "max_prob", output = "y", answer = "logits", from_chip = 0 : i64, to_chip = 1 : i64, gates = [{split = "a", threshold = 0.9 : f64}], return_threshold = 0.5 : f64, idle_window_ps = 0 : i64, escalation_rate = 0.5 : f64, calibration = {samples = 1 : i64, accuracy = 0.5 : f64, full_accuracy = 0.5 : f64, expected_energy_fj = 0 : i64, expected_latency_ps = 0 : i64}}} {
}

// -----

// expected-error @below {{'npu.early_exit' key 'gates': must be an array of dictionaries, got {split = "a"}}}
module attributes {npu.early_exit = {measure = "max_prob", output = "y", answer = "logits", from_chip = 0 : i64, to_chip = 1 : i64, gates = {split = "a"}, return_threshold = 0.5 : f64, idle_window_ps = 0 : i64, escalation_rate = 0.5 : f64, calibration = {samples = 1 : i64, accuracy = 0.5 : f64, full_accuracy = 0.5 : f64, expected_energy_fj = 0 : i64, expected_latency_ps = 0 : i64}}} {
}

// -----

// expected-error @below {{'npu.early_exit' key 'gates[1].exit_rate': must be in [0, 1], got 1.5}}
module attributes {npu.early_exit = {measure = "max_prob", output = "y", answer = "logits", from_chip = 0 : i64, to_chip = 1 : i64, gates = [{split = "a", threshold = 0.9 : f64, exit_rate = 0.5 : f64}, {split = "b", threshold = 0.9 : f64, exit_rate = 1.5 : f64}], return_threshold = 0.5 : f64, idle_window_ps = 0 : i64, escalation_rate = 0.5 : f64, calibration = {samples = 1 : i64, accuracy = 0.5 : f64, full_accuracy = 0.5 : f64, expected_energy_fj = 0 : i64, expected_latency_ps = 0 : i64}}} {
}

// -----

// Every value problem is reported.
// expected-error @below {{'npu.early_exit' key 'return_threshold': must be in [0, 1], got -0.5}}
// expected-error @below {{'npu.early_exit' key 'idle_window_ps': must be non-negative, got -1}}
// expected-error @below {{'npu.early_exit' key 'escalation_rate': must be in [0, 1], got 2}}
// expected-error @below {{'npu.early_exit' key 'calibration.samples': must be positive, got 0}}
// expected-error @below {{'npu.early_exit' key 'calibration.accuracy': must be in [0, 1], got 92}}
// expected-error @below {{'npu.early_exit' key 'calibration.full_accuracy': must be in [0, 1], got 1.01}}
// expected-error @below {{'npu.early_exit' key 'calibration.expected_energy_fj': must be in [0, 2^63), got -1}}
module attributes {npu.early_exit = {measure = "max_prob", output = "y", answer = "logits", from_chip = 0 : i64, to_chip = 1 : i64, gates = [], return_threshold = -0.5 : f64, idle_window_ps = -1 : i64, escalation_rate = 2.0 : f64, calibration = {samples = 0 : i64, accuracy = 92.0 : f64, full_accuracy = 1.01 : f64, expected_energy_fj = -1 : i64, expected_latency_ps = 0 : i64}}} {
}

// -----

// expected-error @below {{'npu.early_exit' key 'output': must name a model output}}
module attributes {npu.early_exit = {measure = "max_prob", output = "", answer = "logits", from_chip = 0 : i64, to_chip = 1 : i64, gates = [], return_threshold = 0.5 : f64, idle_window_ps = 0 : i64, escalation_rate = 0.5 : f64, calibration = {samples = 1 : i64, accuracy = 0.5 : f64, full_accuracy = 0.5 : f64, expected_energy_fj = 0 : i64, expected_latency_ps = 0 : i64}}} {
}

// -----

#chip0 = #npu.chip<id = 0, name = "small", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 256, mac_cols = 256, vector_lanes = 256, sram_bytes = 4194304, dram_bytes = 1073741824, dram_bytes_per_cycle = 64, clock_mhz = 1000, power = <active_mw = 2500, idle_mw = 400, off_mw = 15, wake_cycles = 10000, wake_energy_nj = 20000>>
#system = #npu.system<name = "single", topology = "switch", chips = [#chip0], host = <bandwidth_gbps = 16, latency_ns = 1000>>
// expected-error @below {{'npu.early_exit' key 'to_chip': chip 1 is not in system 'single'}}
module attributes {npu.system = #system, npu.early_exit = {measure = "max_prob", output = "y", answer = "logits", from_chip = 0 : i64, to_chip = 1 : i64, gates = [], return_threshold = 0.5 : f64, idle_window_ps = 0 : i64, escalation_rate = 0.5 : f64, calibration = {samples = 1 : i64, accuracy = 0.5 : f64, full_accuracy = 0.5 : f64, expected_energy_fj = 0 : i64, expected_latency_ps = 0 : i64}}} {
}

// -----

// expected-error @below {{'npu.early_exit' key 'to_chip': must differ from from_chip (2)}}
module attributes {npu.early_exit = {measure = "max_prob", output = "y", answer = "logits", from_chip = 2 : i64, to_chip = 2 : i64, gates = [], return_threshold = 0.5 : f64, idle_window_ps = 0 : i64, escalation_rate = 0.5 : f64, calibration = {samples = 1 : i64, accuracy = 0.5 : f64, full_accuracy = 0.5 : f64, expected_energy_fj = 0 : i64, expected_latency_ps = 0 : i64}}} {
}

// -----

module {
  // expected-error @below {{'npu.early_exit' may only be attached to a module}}
  func.func @f() attributes {npu.early_exit = {}} {
    return
  }
}
