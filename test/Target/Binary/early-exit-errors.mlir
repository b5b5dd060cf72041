// npu-translate --npu-to-binary checks the module's early-exit table
// (npu.early_exit) against its npuisa programs before writing it: the
// attribute's own form is the npu dialect's business (test/Dialect/NPU/
// early-exit.mlir), its agreement with the programs is checked here.

// RUN: npu-translate --npu-to-binary --split-input-file --verify-diagnostics %s -o /dev/null

// One gate per exit check of from_chip's program.
#chip0 = #npu.chip<id = 0, name = "small", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 256, mac_cols = 256, vector_lanes = 256, sram_bytes = 4194304, dram_bytes = 1073741824, dram_bytes_per_cycle = 64, clock_mhz = 1000, power = <active_mw = 2500, idle_mw = 400, off_mw = 15, wake_cycles = 10000, wake_energy_nj = 20000>>
#chip1 = #npu.chip<id = 1, name = "big", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 512, mac_cols = 512, vector_lanes = 512, sram_bytes = 16777216, dram_bytes = 4294967296, dram_bytes_per_cycle = 128, clock_mhz = 1000, power = <active_mw = 12000, idle_mw = 1800, off_mw = 40, wake_cycles = 50000, wake_energy_nj = 400000>>
#system = #npu.system<name = "e1-package", topology = "switch", chips = [#chip0, #chip1], links = [<a = 0, b = 1, bandwidth_gbps = 64, latency_ns = 100>], host = <bandwidth_gbps = 16, latency_ns = 1000>>
// expected-error @below {{'npu.early_exit' key 'gates': 2 gate(s) but program @small (chip 0) has 1 exit check(s)}}
module attributes {npu.system = #system, npu.inputs = [], npu.outputs = [#npu.tensor<"y" : tensor<4xf32>>, #npu.tensor<"z" : tensor<4xf32>>], npu.early_exit = {measure = "max_prob", output = "y", answer = "logits", from_chip = 0 : i64, to_chip = 1 : i64, gates = [{split = "g1", threshold = 0.9 : f64, exit_rate = 0.5 : f64}, {split = "g2", threshold = 0.9 : f64, exit_rate = 0.1 : f64}], return_threshold = 0.95 : f64, idle_window_ps = 0 : i64, escalation_rate = 0.5 : f64, calibration = {samples = 1 : i64, accuracy = 0.5 : f64, full_accuracy = 0.5 : f64, expected_energy_fj = 0 : i64, expected_latency_ps = 0 : i64}}} {
  npuisa.program @small chip(0) {
    npuisa.fill dst(0) count(4) value(0.0) dtype(f32)
    npuisa.exit_check src(0) classes(4) dtype(f32) measure(max_prob) threshold(0.9) {
      npuisa.halt
    }
    npuisa.escalate chip(1)
    npuisa.halt
  }
  npuisa.program @big chip(1) {
    npuisa.fill dst(0) count(4) value(0.5) dtype(f32)
    npuisa.dma_out sram(0) -> dram(0) rows(1) row_bytes(16) strides[16, 16]
    npuisa.store_output "y" offset(0) from dram(0) bytes(16)
    npuisa.halt
  }
}

// -----

// Each gate has its check's threshold, compared as f32.
#chip0 = #npu.chip<id = 0, name = "small", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 256, mac_cols = 256, vector_lanes = 256, sram_bytes = 4194304, dram_bytes = 1073741824, dram_bytes_per_cycle = 64, clock_mhz = 1000, power = <active_mw = 2500, idle_mw = 400, off_mw = 15, wake_cycles = 10000, wake_energy_nj = 20000>>
#chip1 = #npu.chip<id = 1, name = "big", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 512, mac_cols = 512, vector_lanes = 512, sram_bytes = 16777216, dram_bytes = 4294967296, dram_bytes_per_cycle = 128, clock_mhz = 1000, power = <active_mw = 12000, idle_mw = 1800, off_mw = 40, wake_cycles = 50000, wake_energy_nj = 400000>>
#system = #npu.system<name = "e1-package", topology = "switch", chips = [#chip0, #chip1], links = [<a = 0, b = 1, bandwidth_gbps = 64, latency_ns = 100>], host = <bandwidth_gbps = 16, latency_ns = 1000>>
// expected-error @below {{'npu.early_exit' key 'gates[0].threshold': 0.8 differs from the threshold 0.9 of exit check 1 of program @small}}
module attributes {npu.system = #system, npu.inputs = [], npu.outputs = [#npu.tensor<"y" : tensor<4xf32>>, #npu.tensor<"z" : tensor<4xf32>>], npu.early_exit = {measure = "max_prob", output = "y", answer = "logits", from_chip = 0 : i64, to_chip = 1 : i64, gates = [{split = "g1", threshold = 0.8 : f64, exit_rate = 0.5 : f64}], return_threshold = 0.95 : f64, idle_window_ps = 0 : i64, escalation_rate = 0.5 : f64, calibration = {samples = 1 : i64, accuracy = 0.5 : f64, full_accuracy = 0.5 : f64, expected_energy_fj = 0 : i64, expected_latency_ps = 0 : i64}}} {
  npuisa.program @small chip(0) {
    npuisa.fill dst(0) count(4) value(0.0) dtype(f32)
    npuisa.exit_check src(0) classes(4) dtype(f32) measure(max_prob) threshold(0.9) {
      npuisa.halt
    }
    npuisa.escalate chip(1)
    npuisa.halt
  }
  npuisa.program @big chip(1) {
    npuisa.fill dst(0) count(4) value(0.5) dtype(f32)
    npuisa.dma_out sram(0) -> dram(0) rows(1) row_bytes(16) strides[16, 16]
    npuisa.store_output "y" offset(0) from dram(0) bytes(16)
    npuisa.halt
  }
}

// -----

// from_chip's full path wakes to_chip.
#chip0 = #npu.chip<id = 0, name = "small", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 256, mac_cols = 256, vector_lanes = 256, sram_bytes = 4194304, dram_bytes = 1073741824, dram_bytes_per_cycle = 64, clock_mhz = 1000, power = <active_mw = 2500, idle_mw = 400, off_mw = 15, wake_cycles = 10000, wake_energy_nj = 20000>>
#chip1 = #npu.chip<id = 1, name = "big", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 512, mac_cols = 512, vector_lanes = 512, sram_bytes = 16777216, dram_bytes = 4294967296, dram_bytes_per_cycle = 128, clock_mhz = 1000, power = <active_mw = 12000, idle_mw = 1800, off_mw = 40, wake_cycles = 50000, wake_energy_nj = 400000>>
#system = #npu.system<name = "e1-package", topology = "switch", chips = [#chip0, #chip1], links = [<a = 0, b = 1, bandwidth_gbps = 64, latency_ns = 100>], host = <bandwidth_gbps = 16, latency_ns = 1000>>
// expected-error @below {{'npu.early_exit' key 'to_chip': program @small (chip 0) does not escalate to chip 1 on its full path}}
module attributes {npu.system = #system, npu.inputs = [], npu.outputs = [#npu.tensor<"y" : tensor<4xf32>>, #npu.tensor<"z" : tensor<4xf32>>], npu.early_exit = {measure = "max_prob", output = "y", answer = "logits", from_chip = 0 : i64, to_chip = 1 : i64, gates = [{split = "g1", threshold = 0.9 : f64, exit_rate = 0.5 : f64}], return_threshold = 0.95 : f64, idle_window_ps = 0 : i64, escalation_rate = 0.5 : f64, calibration = {samples = 1 : i64, accuracy = 0.5 : f64, full_accuracy = 0.5 : f64, expected_energy_fj = 0 : i64, expected_latency_ps = 0 : i64}}} {
  npuisa.program @small chip(0) {
    npuisa.fill dst(0) count(4) value(0.0) dtype(f32)
    npuisa.exit_check src(0) classes(4) dtype(f32) measure(max_prob) threshold(0.9) {
      npuisa.escalate chip(1)
      npuisa.halt
    }
    npuisa.halt
  }
  npuisa.program @big chip(1) {
    npuisa.fill dst(0) count(4) value(0.5) dtype(f32)
    npuisa.dma_out sram(0) -> dram(0) rows(1) row_bytes(16) strides[16, 16]
    npuisa.store_output "y" offset(0) from dram(0) bytes(16)
    npuisa.halt
  }
}

// -----

// The output the cascade answers is a model output ...
#chip0 = #npu.chip<id = 0, name = "small", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 256, mac_cols = 256, vector_lanes = 256, sram_bytes = 4194304, dram_bytes = 1073741824, dram_bytes_per_cycle = 64, clock_mhz = 1000, power = <active_mw = 2500, idle_mw = 400, off_mw = 15, wake_cycles = 10000, wake_energy_nj = 20000>>
#chip1 = #npu.chip<id = 1, name = "big", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 512, mac_cols = 512, vector_lanes = 512, sram_bytes = 16777216, dram_bytes = 4294967296, dram_bytes_per_cycle = 128, clock_mhz = 1000, power = <active_mw = 12000, idle_mw = 1800, off_mw = 40, wake_cycles = 50000, wake_energy_nj = 400000>>
#system = #npu.system<name = "e1-package", topology = "switch", chips = [#chip0, #chip1], links = [<a = 0, b = 1, bandwidth_gbps = 64, latency_ns = 100>], host = <bandwidth_gbps = 16, latency_ns = 1000>>
// expected-error @below {{'npu.early_exit' key 'output': 'probs' is not in 'npu.outputs'}}
module attributes {npu.system = #system, npu.inputs = [], npu.outputs = [#npu.tensor<"y" : tensor<4xf32>>, #npu.tensor<"z" : tensor<4xf32>>], npu.early_exit = {measure = "max_prob", output = "probs", answer = "logits", from_chip = 0 : i64, to_chip = 1 : i64, gates = [{split = "g1", threshold = 0.9 : f64, exit_rate = 0.5 : f64}], return_threshold = 0.95 : f64, idle_window_ps = 0 : i64, escalation_rate = 0.5 : f64, calibration = {samples = 1 : i64, accuracy = 0.5 : f64, full_accuracy = 0.5 : f64, expected_energy_fj = 0 : i64, expected_latency_ps = 0 : i64}}} {
  npuisa.program @small chip(0) {
    npuisa.fill dst(0) count(4) value(0.0) dtype(f32)
    npuisa.exit_check src(0) classes(4) dtype(f32) measure(max_prob) threshold(0.9) {
      npuisa.halt
    }
    npuisa.escalate chip(1)
    npuisa.halt
  }
  npuisa.program @big chip(1) {
    npuisa.fill dst(0) count(4) value(0.5) dtype(f32)
    npuisa.dma_out sram(0) -> dram(0) rows(1) row_bytes(16) strides[16, 16]
    npuisa.store_output "y" offset(0) from dram(0) bytes(16)
    npuisa.halt
  }
}

// -----

// ... that to_chip stores.
#chip0 = #npu.chip<id = 0, name = "small", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 256, mac_cols = 256, vector_lanes = 256, sram_bytes = 4194304, dram_bytes = 1073741824, dram_bytes_per_cycle = 64, clock_mhz = 1000, power = <active_mw = 2500, idle_mw = 400, off_mw = 15, wake_cycles = 10000, wake_energy_nj = 20000>>
#chip1 = #npu.chip<id = 1, name = "big", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 512, mac_cols = 512, vector_lanes = 512, sram_bytes = 16777216, dram_bytes = 4294967296, dram_bytes_per_cycle = 128, clock_mhz = 1000, power = <active_mw = 12000, idle_mw = 1800, off_mw = 40, wake_cycles = 50000, wake_energy_nj = 400000>>
#system = #npu.system<name = "e1-package", topology = "switch", chips = [#chip0, #chip1], links = [<a = 0, b = 1, bandwidth_gbps = 64, latency_ns = 100>], host = <bandwidth_gbps = 16, latency_ns = 1000>>
// expected-error @below {{'npu.early_exit' key 'output': program @big (chip 1) never stores 'z'}}
module attributes {npu.system = #system, npu.inputs = [], npu.outputs = [#npu.tensor<"y" : tensor<4xf32>>, #npu.tensor<"z" : tensor<4xf32>>], npu.early_exit = {measure = "max_prob", output = "z", answer = "logits", from_chip = 0 : i64, to_chip = 1 : i64, gates = [{split = "g1", threshold = 0.9 : f64, exit_rate = 0.5 : f64}], return_threshold = 0.95 : f64, idle_window_ps = 0 : i64, escalation_rate = 0.5 : f64, calibration = {samples = 1 : i64, accuracy = 0.5 : f64, full_accuracy = 0.5 : f64, expected_energy_fj = 0 : i64, expected_latency_ps = 0 : i64}}} {
  npuisa.program @small chip(0) {
    npuisa.fill dst(0) count(4) value(0.0) dtype(f32)
    npuisa.exit_check src(0) classes(4) dtype(f32) measure(max_prob) threshold(0.9) {
      npuisa.halt
    }
    npuisa.escalate chip(1)
    npuisa.halt
  }
  npuisa.program @big chip(1) {
    npuisa.fill dst(0) count(4) value(0.5) dtype(f32)
    npuisa.dma_out sram(0) -> dram(0) rows(1) row_bytes(16) strides[16, 16]
    npuisa.store_output "y" offset(0) from dram(0) bytes(16)
    npuisa.halt
  }
}

// -----

// Both chips have a program.
#chip0 = #npu.chip<id = 0, name = "small", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 256, mac_cols = 256, vector_lanes = 256, sram_bytes = 4194304, dram_bytes = 1073741824, dram_bytes_per_cycle = 64, clock_mhz = 1000, power = <active_mw = 2500, idle_mw = 400, off_mw = 15, wake_cycles = 10000, wake_energy_nj = 20000>>
#chip1 = #npu.chip<id = 1, name = "big", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 512, mac_cols = 512, vector_lanes = 512, sram_bytes = 16777216, dram_bytes = 4294967296, dram_bytes_per_cycle = 128, clock_mhz = 1000, power = <active_mw = 12000, idle_mw = 1800, off_mw = 40, wake_cycles = 50000, wake_energy_nj = 400000>>
#system = #npu.system<name = "e1-package", topology = "switch", chips = [#chip0, #chip1], links = [<a = 0, b = 1, bandwidth_gbps = 64, latency_ns = 100>], host = <bandwidth_gbps = 16, latency_ns = 1000>>
// expected-error @below {{'npu.early_exit' key 'to_chip': chip 1 has no npuisa.program}}
module attributes {npu.system = #system, npu.inputs = [], npu.outputs = [#npu.tensor<"y" : tensor<4xf32>>, #npu.tensor<"z" : tensor<4xf32>>], npu.early_exit = {measure = "max_prob", output = "y", answer = "logits", from_chip = 0 : i64, to_chip = 1 : i64, gates = [], return_threshold = 0.95 : f64, idle_window_ps = 0 : i64, escalation_rate = 0.5 : f64, calibration = {samples = 1 : i64, accuracy = 0.5 : f64, full_accuracy = 0.5 : f64, expected_energy_fj = 0 : i64, expected_latency_ps = 0 : i64}}} {
  npuisa.program @small chip(0) {
    npuisa.halt
  }
}

// -----


#chip0 = #npu.chip<id = 0, name = "small", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 256, mac_cols = 256, vector_lanes = 256, sram_bytes = 4194304, dram_bytes = 1073741824, dram_bytes_per_cycle = 64, clock_mhz = 1000, power = <active_mw = 2500, idle_mw = 400, off_mw = 15, wake_cycles = 10000, wake_energy_nj = 20000>>
#chip1 = #npu.chip<id = 1, name = "big", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 512, mac_cols = 512, vector_lanes = 512, sram_bytes = 16777216, dram_bytes = 4294967296, dram_bytes_per_cycle = 128, clock_mhz = 1000, power = <active_mw = 12000, idle_mw = 1800, off_mw = 40, wake_cycles = 50000, wake_energy_nj = 400000>>
#system = #npu.system<name = "e1-package", topology = "switch", chips = [#chip0, #chip1], links = [<a = 0, b = 1, bandwidth_gbps = 64, latency_ns = 100>], host = <bandwidth_gbps = 16, latency_ns = 1000>>
// expected-error @below {{'npu.early_exit' key 'from_chip': chip 0 has no npuisa.program}}
module attributes {npu.system = #system, npu.inputs = [], npu.outputs = [#npu.tensor<"y" : tensor<4xf32>>, #npu.tensor<"z" : tensor<4xf32>>], npu.early_exit = {measure = "max_prob", output = "y", answer = "logits", from_chip = 0 : i64, to_chip = 1 : i64, gates = [], return_threshold = 0.95 : f64, idle_window_ps = 0 : i64, escalation_rate = 0.5 : f64, calibration = {samples = 1 : i64, accuracy = 0.5 : f64, full_accuracy = 0.5 : f64, expected_energy_fj = 0 : i64, expected_latency_ps = 0 : i64}}} {
  npuisa.program @big chip(1) {
    npuisa.fill dst(0) count(4) value(0.5) dtype(f32)
    npuisa.dma_out sram(0) -> dram(0) rows(1) row_bytes(16) strides[16, 16]
    npuisa.store_output "y" offset(0) from dram(0) bytes(16)
    npuisa.halt
  }
}
