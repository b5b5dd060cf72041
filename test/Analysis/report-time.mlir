// RUN: npu-opt %s --npu-report-budgets=format=table -o /dev/null | FileCheck %s
//
// Times in the table are nanoseconds with three zero-padded decimals: on a
// 62500 MHz chip a cycle is 16 ps, so the 1-cycle program takes 0.016 ns
// (not "0. 16").
#chip0 = #npu.chip<id = 0, name = "npu0", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 256, mac_cols = 256, vector_lanes = 256, sram_bytes = 8388608, dram_bytes = 2147483648, dram_bytes_per_cycle = 64, clock_mhz = 62500, power = <active_mw = 4000, idle_mw = 600, off_mw = 20, wake_cycles = 20000, wake_energy_nj = 50000>>
#system = #npu.system<name = "single", topology = "switch", chips = [#chip0], host = <bandwidth_gbps = 16, latency_ns = 1000>>
module attributes {npu.system = #system} {
  // CHECK: 0 p full 1 0.016
  npuisa.program @p chip(0) {
    npuisa.halt
  }
}
