// Exit paths nest at most 64 deep in a binary (kMaxExitNesting), so the
// disassembler never recurses without bound: 64 nested exit checks encode
// and decode, 65 are rejected by the emitter and by the disassembler. The
// modules are generated from the system description in this file.

// RUN: python3 %S/Inputs/nested-exits.py %s 64 > %t.64.mlir
// RUN: npu-translate --npu-to-binary %t.64.mlir -o %t.64.npub
// RUN: npu-translate --npub-to-mlir %t.64.npub | FileCheck %s --check-prefix=DEEP
// RUN: npu-translate --npub-to-mlir %t.64.npub | npu-translate --npu-to-binary | cmp %t.64.npub -
// DEEP-COUNT-64: npuisa.exit_check src(0) classes(2) dtype(f32) measure(max_prob) threshold(5.000000e-01) {
// DEEP-NOT: npuisa.exit_check

// RUN: python3 %S/Inputs/nested-exits.py %s 65 > %t.65.mlir
// RUN: not npu-translate --npu-to-binary %t.65.mlir -o %t.65.npub 2>&1 | FileCheck %s --check-prefix=TOO-DEEP
// TOO-DEEP: error: 'npuisa.exit_check' op is nested 65 exit paths deep; the binary allows at most 64

// A binary nesting 65 deep, made from one with a second check next to the
// innermost (stream: fill, 64 nested checks at 1-64, halt, the sibling at
// 66, halt, ...): lengthening the exit path of check 64 from 1 to 3 moves the
// sibling into it.
// RUN: python3 %S/Inputs/nested-exits.py %s 64 sibling > %t.sibling.mlir
// RUN: npu-translate --npu-to-binary %t.sibling.mlir -o %t.sibling.npub
// RUN: npu-translate --npub-to-mlir %t.sibling.npub | FileCheck %s --check-prefix=SIBLING
// SIBLING-COUNT-65: npuisa.exit_check
// RUN: python3 %S/Inputs/npub-patch.py %t.sibling.npub 'f5[0].f3[64].f5=3:u32'
// RUN: not npu-translate --npub-to-mlir %t.sibling.npub 2>&1 | FileCheck %s --check-prefix=TOO-DEEP-BINARY
// TOO-DEEP-BINARY: error: programs[0].instructions[66] (ExitCheck): exit paths nest more than 64 deep

#chip0 = #npu.chip<id = 0, name = "npu0", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 256, mac_cols = 256, vector_lanes = 256, sram_bytes = 8388608, dram_bytes = 2147483648, dram_bytes_per_cycle = 64, clock_mhz = 1000, power = <active_mw = 4000, idle_mw = 600, off_mw = 20, wake_cycles = 20000, wake_energy_nj = 50000>>
#system = #npu.system<name = "single", topology = "switch", chips = [#chip0], host = <bandwidth_gbps = 16, latency_ns = 1000>>
module attributes {npu.inputs = [], npu.outputs = [], npu.system = #system} {
}
