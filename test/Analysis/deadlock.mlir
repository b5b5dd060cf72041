// RUN: not npu-opt %s --npu-schedule 2>&1 | FileCheck %s
// Two chips each wait for the other's message first: no order of
// evaluation lets either receive complete.
#chip0 = #npu.chip<id = 0, name = "small", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 256, mac_cols = 256, vector_lanes = 256, sram_bytes = 4194304, dram_bytes = 1073741824, dram_bytes_per_cycle = 64, clock_mhz = 1000, power = <active_mw = 2500, idle_mw = 400, off_mw = 15, wake_cycles = 10000, wake_energy_nj = 20000>>
#chip1 = #npu.chip<id = 1, name = "big", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 512, mac_cols = 512, vector_lanes = 512, sram_bytes = 16777216, dram_bytes = 4294967296, dram_bytes_per_cycle = 128, clock_mhz = 1000, power = <active_mw = 12000, idle_mw = 1800, off_mw = 40, wake_cycles = 50000, wake_energy_nj = 400000>>
#system = #npu.system<name = "e1-package", topology = "switch", chips = [#chip0, #chip1], links = [<a = 0, b = 1, bandwidth_gbps = 64, latency_ns = 100>], host = <bandwidth_gbps = 16, latency_ns = 1000>>
module attributes {npu.system = #system} {
  npuisa.program @a chip(0) {
    // CHECK: error: 'npuisa.recv' op deadlocks: chip 0 waits for a message from chip 1 on channel 0 that is never sent
    npuisa.recv sram(0) bytes(64) from chip(1) channel(0)
    npuisa.send sram(0) bytes(64) to chip(1) channel(0)
    npuisa.halt
  }
  npuisa.program @b chip(1) {
    npuisa.recv sram(0) bytes(64) from chip(0) channel(0)
    npuisa.send sram(0) bytes(64) to chip(0) channel(0)
    npuisa.halt
  }
}
