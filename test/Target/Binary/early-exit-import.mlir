// The early-exit table in the binary (Model.early_exit) is untrusted like
// the rest: the disassembler and the runtime's loader reject a table whose
// codes, values or agreement with the programs are wrong, each naming the
// field. The bad binaries are patched from the valid one of this module
// (Inputs/npub-patch.py: f7 = Model.early_exit; in EarlyExit f0 = measure,
// f3 = from_chip, f5 = gates, f6 = return_threshold, f9 = calibration; in
// ExitGate f1 = threshold; in Calibration f3 = expected_energy_fj).

// RUN: npu-translate --npu-to-binary %s -o %t.npub
// RUN: npu-translate --npub-to-mlir %t.npub | FileCheck %s --check-prefix=VALID
// VALID: npu.early_exit = {answer = "logits", {{.*}}gates = [{exit_rate = 5.000000e-01 : f64, split = "g1", threshold = 9.000000e-01 : f64}]

// RUN: cp %t.npub %t.measure.npub
// RUN: %python %S/Inputs/npub-patch.py %t.measure.npub 'f7.f0=7:u8'
// RUN: not npu-translate --npub-to-mlir %t.measure.npub 2>&1 | FileCheck %s --check-prefix=MEASURE
// MEASURE: error: early_exit: 'measure' has the invalid code 7 (0 max_prob, 1 margin, 2 entropy)
// RUN: not npu-run %t.measure.npub 2>&1 | FileCheck %s --check-prefix=MEASURE-RT
// MEASURE-RT: npu-run: error: {{.*}}measure.npub: early_exit: measure: unknown code 7 (0 max_prob, 1 margin, 2 entropy)

// RUN: cp %t.npub %t.gate.npub
// RUN: %python %S/Inputs/npub-patch.py %t.gate.npub 'f7.f5[0].f1=0.5:f64'
// RUN: not npu-translate --npub-to-mlir %t.gate.npub 2>&1 | FileCheck %s --check-prefix=GATE
// GATE: error: 'npu.early_exit' key 'gates[0].threshold': 0.5 differs from the threshold 0.9 of exit check 1 of program @small
// RUN: not npu-run %t.gate.npub 2>&1 | FileCheck %s --check-prefix=GATE-RT
// GATE-RT: npu-run: error: {{.*}}gate.npub: early_exit: gates[0].threshold: 0.500000 differs from the threshold 0.900000 of exit check 1 (program 'small' (chip 0) instruction 1)

// RUN: cp %t.npub %t.return.npub
// RUN: %python %S/Inputs/npub-patch.py %t.return.npub 'f7.f6=1.5:f64'
// RUN: not npu-translate --npub-to-mlir %t.return.npub 2>&1 | FileCheck %s --check-prefix=RETURN
// RETURN: error: 'npu.early_exit' key 'return_threshold': must be in [0, 1], got 1.5
// RUN: not npu-run %t.return.npub 2>&1 | FileCheck %s --check-prefix=RETURN-RT
// RETURN-RT: npu-run: error: {{.*}}return.npub: early_exit: return_threshold: must be in [0, 1], got 1.5

// RUN: cp %t.npub %t.energy.npub
// RUN: %python %S/Inputs/npub-patch.py %t.energy.npub 'f7.f9.f3=-1:f64'
// RUN: not npu-translate --npub-to-mlir %t.energy.npub 2>&1 | FileCheck %s --check-prefix=ENERGY
// ENERGY: error: early_exit: 'calibration.expected_energy_fj' must be in [0, 2^63), got -1
// RUN: not npu-run %t.energy.npub 2>&1 | FileCheck %s --check-prefix=ENERGY-RT
// ENERGY-RT: npu-run: error: {{.*}}energy.npub: early_exit: calibration.expected_energy_fj: must be in [0, 2^63), got -1

// RUN: cp %t.npub %t.chip.npub
// RUN: %python %S/Inputs/npub-patch.py %t.chip.npub 'f7.f3=5:i64'
// RUN: not npu-translate --npub-to-mlir %t.chip.npub 2>&1 | FileCheck %s --check-prefix=CHIP
// CHIP: error: 'npu.early_exit' key 'from_chip': chip 5 is not in system 'e1-package'
// RUN: not npu-run %t.chip.npub 2>&1 | FileCheck %s --check-prefix=CHIP-RT
// CHIP-RT: npu-run: error: {{.*}}chip.npub: early_exit: from_chip: chip 5 is not in system 'e1-package'

#chip0 = #npu.chip<id = 0, name = "small", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 256, mac_cols = 256, vector_lanes = 256, sram_bytes = 4194304, dram_bytes = 1073741824, dram_bytes_per_cycle = 64, clock_mhz = 1000, power = <active_mw = 2500, idle_mw = 400, off_mw = 15, wake_cycles = 10000, wake_energy_nj = 20000>>
#chip1 = #npu.chip<id = 1, name = "big", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 512, mac_cols = 512, vector_lanes = 512, sram_bytes = 16777216, dram_bytes = 4294967296, dram_bytes_per_cycle = 128, clock_mhz = 1000, power = <active_mw = 12000, idle_mw = 1800, off_mw = 40, wake_cycles = 50000, wake_energy_nj = 400000>>
#system = #npu.system<name = "e1-package", topology = "switch", chips = [#chip0, #chip1], links = [<a = 0, b = 1, bandwidth_gbps = 64, latency_ns = 100>], host = <bandwidth_gbps = 16, latency_ns = 1000>>
module attributes {npu.system = #system, npu.inputs = [], npu.outputs = [#npu.tensor<"y" : tensor<4xf32>>], npu.early_exit = {measure = "max_prob", output = "y", answer = "logits", from_chip = 0 : i64, to_chip = 1 : i64, gates = [{split = "g1", threshold = 0.9 : f64, exit_rate = 0.5 : f64}], return_threshold = 0.95 : f64, idle_window_ps = 0 : i64, escalation_rate = 0.5 : f64, calibration = {samples = 1 : i64, accuracy = 0.5 : f64, full_accuracy = 0.5 : f64, expected_energy_fj = 0 : i64, expected_latency_ps = 0 : i64}}} {
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
