// Finding 02: the instruction bound is checked before tiling, on a chip
// with room for the tensors.
// RUN: rm -f %t.out
// RUN: ulimit -v 1000000 && not npu-opt %s --npu-lower-to-isa -o %t.out 2>&1 | FileCheck %s
// RUN: not test -e %t.out

// Within SRAM and DRAM of a roomy chip, but too many tiles: 2^23 rows on a
// 1x1 MAC array.
// CHECK: error: 'npu.matmul' op would emit 8388608 matmul tiles on chip 0 (a 1x1 MAC array) but a program holds at most 4194304 instructions
#chip = #npu.chip<id = 0, name = "tiny", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1073741824, dram_bytes = 1073741824, dram_bytes_per_cycle = 64, clock_mhz = 1000, power = <active_mw = 1, idle_mw = 1, off_mw = 1, wake_cycles = 1, wake_energy_nj = 1>>
#system = #npu.system<name = "tiny", topology = "switch", chips = [#chip], links = [], host = <bandwidth_gbps = 16, latency_ns = 1000>>
module attributes {npu.system = #system} {
  func.func @m(%a: tensor<8388608x1xf32> {npu.name = "a"}) -> (tensor<8388608x1xf32>) {
    %w = arith.constant dense<1.0> : tensor<1x1xf32>
    %y = npu.matmul %a, %w : (tensor<8388608x1xf32>, tensor<1x1xf32>) -> tensor<8388608x1xf32>
    return %y : tensor<8388608x1xf32>
  }
}
