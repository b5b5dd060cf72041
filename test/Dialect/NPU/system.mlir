// Hand-written systems round-trip (custom, re-parsed, generic).
// RUN: npu-opt %s --split-input-file | FileCheck %s
// RUN: npu-opt %s --split-input-file | npu-opt --split-input-file | FileCheck %s
// RUN: npu-opt %s --split-input-file --mlir-print-op-generic | npu-opt --split-input-file | FileCheck %s

// Each preset attached by --npu-set-system. The first block is an empty
// module; the later ones already carry a system, which the preset replaces
// (checked by the -NOT at the end of each prefix).
// RUN: npu-opt %s --split-input-file --npu-set-system=system=single | FileCheck %s --check-prefix=SINGLE
// RUN: npu-opt %s --split-input-file --npu-set-system=system=e1-package | FileCheck %s --check-prefix=E1
// RUN: npu-opt %s --split-input-file --npu-set-system=system=mesh-2x2 | FileCheck %s --check-prefix=MESH2
// RUN: npu-opt %s --split-input-file --npu-set-system=system=mesh-4x4 | FileCheck %s --check-prefix=MESH4
// A preset attached to a module survives a round trip.
// RUN: npu-opt %s --split-input-file --npu-set-system=system=mesh-2x2 | npu-opt --split-input-file | FileCheck %s --check-prefix=MESH2

// One general chip, no links, no mesh.
// SINGLE: #chip0 = #npu.chip<id = 0, name = "npu0", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 256, mac_cols = 256, vector_lanes = 256, sram_bytes = 8388608, dram_bytes = 2147483648, dram_bytes_per_cycle = 64, clock_mhz = 1000, power = <active_mw = 4000, idle_mw = 600, off_mw = 20, wake_cycles = 20000, wake_energy_nj = 50000>>
// SINGLE-NEXT: #system = #npu.system<name = "single", topology = "switch", chips = [#chip0], host = <bandwidth_gbps = 16, latency_ns = 1000>>
// SINGLE-NEXT: module attributes {npu.system = #system} {
// SINGLE-NOT: "handmade"
// SINGLE-NOT: "line"

// A small and a big chip with one link.
// E1: #chip0 = #npu.chip<id = 0, name = "small", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 256, mac_cols = 256, vector_lanes = 256, sram_bytes = 4194304, dram_bytes = 1073741824, dram_bytes_per_cycle = 64, clock_mhz = 1000, power = <active_mw = 2500, idle_mw = 400, off_mw = 15, wake_cycles = 10000, wake_energy_nj = 20000>>
// E1-NEXT: #chip1 = #npu.chip<id = 1, name = "big", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 512, mac_cols = 512, vector_lanes = 512, sram_bytes = 16777216, dram_bytes = 4294967296, dram_bytes_per_cycle = 128, clock_mhz = 1000, power = <active_mw = 12000, idle_mw = 1800, off_mw = 40, wake_cycles = 50000, wake_energy_nj = 400000>>
// E1-NEXT: #system = #npu.system<name = "e1-package", topology = "switch", chips = [#chip0, #chip1], links = [<a = 0, b = 1, bandwidth_gbps = 64, latency_ns = 100>], host = <bandwidth_gbps = 16, latency_ns = 1000>>
// E1-NEXT: module attributes {npu.system = #system} {
// E1-NOT: "handmade"
// E1-NOT: "line"

// Chip id = y * 2 + x sits at (x, y); kinds cycle general, dense, lowp, conv;
// every pair of neighbours is linked.
// MESH2: #chip0 = #npu.chip<id = 0, name = "npu0", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 256, {{.*}}, clock_mhz = 1000, {{.*}}, coord = [0, 0]>
// MESH2-NEXT: #chip1 = #npu.chip<id = 1, name = "npu1", kind = "dense", caps = ["dense", "activation", "fp32", "fp16", "bf16"], mac_rows = 512, {{.*}}, coord = [1, 0]>
// MESH2-NEXT: #chip2 = #npu.chip<id = 2, name = "npu2", kind = "lowp", caps = ["dense", "conv", "activation", "fp16", "int8"], mac_rows = 256, {{.*}}, clock_mhz = 1250, {{.*}}, coord = [0, 1]>
// MESH2-NEXT: #chip3 = #npu.chip<id = 3, name = "npu3", kind = "conv", caps = ["conv", "activation", "fp32", "fp16", "int8"], mac_rows = 256, {{.*}}, coord = [1, 1]>
// MESH2-NEXT: #system = #npu.system<name = "mesh-2x2", topology = "mesh", mesh_dims = [2, 2], chips = [#chip0, #chip1, #chip2, #chip3], links = [<a = 0, b = 1, bandwidth_gbps = 32, latency_ns = 50>, <a = 0, b = 2, bandwidth_gbps = 32, latency_ns = 50>, <a = 1, b = 3, bandwidth_gbps = 32, latency_ns = 50>, <a = 2, b = 3, bandwidth_gbps = 32, latency_ns = 50>], host = <bandwidth_gbps = 16, latency_ns = 1000>>
// MESH2-NEXT: module attributes {npu.system = #system} {
// MESH2-NOT: "handmade"
// MESH2-NOT: "line"

// 16 chips (aliases print in string order: chip0, chip1, chip10..chip15,
// chip2..chip9) and 2 * 4 * 3 = 24 links, the first two and the last spelled
// out.
// MESH4: #chip0 = #npu.chip<id = 0, name = "npu0", kind = "general", {{.*}}, coord = [0, 0]>
// MESH4-NEXT: #chip1 = #npu.chip<id = 1, name = "npu1", kind = "dense", {{.*}}, coord = [1, 0]>
// MESH4-NEXT: #chip10 = #npu.chip<id = 10, name = "npu10", kind = "general", {{.*}}, coord = [2, 2]>
// MESH4:      #chip14 = #npu.chip<id = 14, name = "npu14", kind = "sparse", {{.*}}, coord = [2, 3]>
// MESH4-NEXT: #chip15 = #npu.chip<id = 15, name = "npu15", kind = "general", {{.*}}, coord = [3, 3]>
// MESH4-NEXT: #chip2 = #npu.chip<id = 2, name = "npu2", kind = "lowp", {{.*}}, coord = [2, 0]>
// MESH4:      #chip7 = #npu.chip<id = 7, name = "npu7", kind = "lowp", {{.*}}, coord = [3, 1]>
// MESH4:      #chip9 = #npu.chip<id = 9, name = "npu9", kind = "sparse", {{.*}}, coord = [1, 2]>
// MESH4-NEXT: #system = #npu.system<name = "mesh-4x4", topology = "mesh", mesh_dims = [4, 4], chips = [#chip0, #chip1, #chip2, #chip3, #chip4, #chip5, #chip6, #chip7, #chip8, #chip9, #chip10, #chip11, #chip12, #chip13, #chip14, #chip15], links = [<a = 0, b = 1, bandwidth_gbps = 32, latency_ns = 50>, <a = 0, b = 4, bandwidth_gbps = 32, latency_ns = 50>, {{(<a = [0-9]+, b = [0-9]+, bandwidth_gbps = 32, latency_ns = 50>, ){21}<a = 14}}, b = 15, bandwidth_gbps = 32, latency_ns = 50>], host = <bandwidth_gbps = 16, latency_ns = 1000>>
// MESH4-NEXT: module attributes {npu.system = #system} {
// MESH4-NOT: "handmade"
// MESH4-NOT: "line"

// CHECK-LABEL: module {
// CHECK-NEXT: }
module {
}

// -----

// A switch system written by hand: chips in any id order, capabilities in the
// order written, an explicitly empty coordinate list (elided), a zero power
// model and a zero-latency link.
#power = #npu.power<active_mw = 3000, idle_mw = 500, off_mw = 10,
                    wake_cycles = 5000, wake_energy_nj = 15000>
// CHECK: #chip0 = #npu.chip<id = 0, name = "sp", kind = "sparse", caps = ["dense", "sparse", "activation", "bf16"], mac_rows = 128, mac_cols = 128, vector_lanes = 128, sram_bytes = 2097152, dram_bytes = 8589934592, dram_bytes_per_cycle = 32, clock_mhz = 2000, power = <active_mw = 0, idle_mw = 0, off_mw = 0, wake_cycles = 0, wake_energy_nj = 0>>
// CHECK-NEXT: #chip3 = #npu.chip<id = 3, name = "lp", kind = "lowp", caps = ["int8", "fp16", "conv", "activation"], mac_rows = 64, mac_cols = 32, vector_lanes = 16, sram_bytes = 1048576, dram_bytes = 268435456, dram_bytes_per_cycle = 16, clock_mhz = 800, power = <active_mw = 3000, idle_mw = 500, off_mw = 10, wake_cycles = 5000, wake_energy_nj = 15000>>
// CHECK-NEXT: #system = #npu.system<name = "handmade", topology = "switch", chips = [#chip3, #chip0], links = [<a = 3, b = 0, bandwidth_gbps = 8, latency_ns = 0>], host = <bandwidth_gbps = 4, latency_ns = 2000>>
// CHECK-NEXT: module attributes {npu.system = #system} {
module attributes {npu.system = #npu.system<name = "handmade", topology = "switch",
    chips = [
      #npu.chip<id = 3, name = "lp", kind = "lowp",
                caps = ["int8", "fp16", "conv", "activation"],
                mac_rows = 64, mac_cols = 32, vector_lanes = 16,
                sram_bytes = 1048576, dram_bytes = 268435456,
                dram_bytes_per_cycle = 16, clock_mhz = 800, power = #power,
                coord = []>,
      #npu.chip<id = 0, name = "sp", kind = "sparse",
                caps = ["dense", "sparse", "activation", "bf16"],
                mac_rows = 128, mac_cols = 128, vector_lanes = 128,
                sram_bytes = 2097152, dram_bytes = 8589934592,
                dram_bytes_per_cycle = 32, clock_mhz = 2000,
                power = #npu.power<active_mw = 0, idle_mw = 0, off_mw = 0,
                                   wake_cycles = 0, wake_energy_nj = 0>>],
    links = [#npu.link<a = 3, b = 0, bandwidth_gbps = 8, latency_ns = 0>],
    host = #npu.host<bandwidth_gbps = 4, latency_ns = 2000>>} {
}

// -----

// A one-dimensional mesh (a line 2 - 1 - 0) whose links and host are written
// in the short form the printer uses.
#power = #npu.power<active_mw = 1000, idle_mw = 100, off_mw = 1,
                    wake_cycles = 100, wake_energy_nj = 100>
// CHECK: #chip0 = #npu.chip<id = 0, name = "n0", kind = "general", caps = ["dense", "activation", "fp32"], {{.*}}, coord = [2]>
// CHECK-NEXT: #chip1 = #npu.chip<id = 1, name = "n1", kind = "dense", caps = ["dense", "activation", "fp32"], {{.*}}, coord = [1]>
// CHECK-NEXT: #chip2 = #npu.chip<id = 2, name = "n2", kind = "conv", caps = ["conv", "activation", "fp16"], {{.*}}, coord = [0]>
// CHECK-NEXT: #system = #npu.system<name = "line", topology = "mesh", mesh_dims = [3], chips = [#chip0, #chip1, #chip2], links = [<a = 0, b = 1, bandwidth_gbps = 16, latency_ns = 10>, <a = 2, b = 1, bandwidth_gbps = 16, latency_ns = 10>], host = <bandwidth_gbps = 4, latency_ns = 2000>>
// CHECK-NEXT: module attributes {npu.system = #system} {
module attributes {npu.system = #npu.system<name = "line", topology = "mesh",
    mesh_dims = [3],
    chips = [
      #npu.chip<id = 0, name = "n0", kind = "general",
                caps = ["dense", "activation", "fp32"], mac_rows = 8,
                mac_cols = 8, vector_lanes = 8, sram_bytes = 65536,
                dram_bytes = 65536, dram_bytes_per_cycle = 8, clock_mhz = 1000,
                power = #power, coord = [2]>,
      #npu.chip<id = 1, name = "n1", kind = "dense",
                caps = ["dense", "activation", "fp32"], mac_rows = 8,
                mac_cols = 8, vector_lanes = 8, sram_bytes = 65536,
                dram_bytes = 65536, dram_bytes_per_cycle = 8, clock_mhz = 1000,
                power = #power, coord = [1]>,
      #npu.chip<id = 2, name = "n2", kind = "conv",
                caps = ["conv", "activation", "fp16"], mac_rows = 8,
                mac_cols = 8, vector_lanes = 8, sram_bytes = 65536,
                dram_bytes = 65536, dram_bytes_per_cycle = 8, clock_mhz = 1000,
                power = #power, coord = [0]>],
    links = [<a = 0, b = 1, bandwidth_gbps = 16, latency_ns = 10>,
             <a = 2, b = 1, bandwidth_gbps = 16, latency_ns = 10>],
    host = <bandwidth_gbps = 4, latency_ns = 2000>>} {
}
