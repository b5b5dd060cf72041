// A translation that fails after part of the binary was built writes
// nothing: the binary is assembled in memory and written only when complete.
// Here chip 0's program has been encoded when chip 1's turns out to hold an
// op that has no encoding.

// RUN: rm -f %t.npub
// RUN: not npu-translate --allow-unregistered-dialect --npu-to-binary %s -o %t.npub 2>&1 | FileCheck %s
// RUN: not test -e %t.npub
// RUN: not npu-translate --allow-unregistered-dialect --npu-to-binary %s > %t.stdout 2>/dev/null
// RUN: not test -s %t.stdout
// CHECK: error: 'test.unknown' op has no encoding in the binary; a program holds npuisa instructions only

#chip0 = #npu.chip<id = 0, name = "small", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 256, mac_cols = 256, vector_lanes = 256, sram_bytes = 4194304, dram_bytes = 1073741824, dram_bytes_per_cycle = 64, clock_mhz = 1000, power = <active_mw = 2500, idle_mw = 400, off_mw = 15, wake_cycles = 10000, wake_energy_nj = 20000>>
#chip1 = #npu.chip<id = 1, name = "big", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 512, mac_cols = 512, vector_lanes = 512, sram_bytes = 16777216, dram_bytes = 4294967296, dram_bytes_per_cycle = 128, clock_mhz = 1000, power = <active_mw = 12000, idle_mw = 1800, off_mw = 40, wake_cycles = 50000, wake_energy_nj = 400000>>
#system = #npu.system<name = "e1-package", topology = "switch", chips = [#chip0, #chip1], links = [<a = 0, b = 1, bandwidth_gbps = 64, latency_ns = 100>], host = <bandwidth_gbps = 16, latency_ns = 1000>>
module attributes {npu.inputs = [], npu.outputs = [], npu.system = #system} {
  npuisa.program @small chip(0) attributes {npuisa.segments = [{dram = 0 : i64, data = dense<1.0> : tensor<1024xf32>}]} {
    npuisa.fill dst(0) count(1024) value(0.0) dtype(f32)
    npuisa.halt
  }
  npuisa.program @big chip(1) {
    npuisa.fill dst(0) count(1024) value(0.0) dtype(f32)
    "test.unknown"() : () -> ()
    npuisa.halt
  }
}
