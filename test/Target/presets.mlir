// The four shipped presets, attached by npu-set-system. Every number checked
// here is also in the preset table of docs/system-description.md.

// RUN: npu-opt %s --npu-set-system=system=single | FileCheck %s --check-prefix=SINGLE
// The option defaults to the single preset.
// RUN: npu-opt %s --npu-set-system | FileCheck %s --check-prefix=SINGLE
// RUN: npu-opt %s --npu-set-system=system=e1-package | FileCheck %s --check-prefix=E1
// RUN: npu-opt %s --npu-set-system=system=mesh-2x2 --mlir-print-local-scope | FileCheck %s --check-prefix=MESH2
// RUN: npu-opt %s --npu-set-system=system=mesh-4x4 --mlir-print-local-scope | FileCheck %s --check-prefix=MESH4
// A 4x4 mesh links every pair of neighbours: 2 * 4 * 3 = 24 links.
// RUN: npu-opt %s --npu-set-system=system=mesh-4x4 --mlir-print-local-scope | grep -o "<a = [0-9]*, b = [0-9]*, bandwidth_gbps = 32, latency_ns = 50>" | count 24
// RUN: npu-opt %s --npu-set-system=system=mesh-2x2 --mlir-print-local-scope | grep -o "<a = [0-9]*, b = [0-9]*, bandwidth_gbps = 32, latency_ns = 50>" | count 4
// A second npu-set-system replaces the first description.
// RUN: npu-opt %s --npu-set-system=system=single | npu-opt --npu-set-system=system=e1-package | FileCheck %s --check-prefix=REPLACE

// SINGLE:      #chip0 = #npu.chip<id = 0, name = "npu0", kind = "general",
// SINGLE-SAME:   caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"],
// SINGLE-SAME:   mac_rows = 256, mac_cols = 256, vector_lanes = 256,
// SINGLE-SAME:   sram_bytes = 8388608, dram_bytes = 2147483648, dram_bytes_per_cycle = 64,
// SINGLE-SAME:   clock_mhz = 1000,
// SINGLE-SAME:   power = <active_mw = 4000, idle_mw = 600, off_mw = 20, wake_cycles = 20000, wake_energy_nj = 50000>>
// SINGLE-NOT:  #chip1
// SINGLE:      #system = #npu.system<name = "single", topology = "switch", chips = [#chip0], host = <bandwidth_gbps = 16, latency_ns = 1000>>
// SINGLE:      module attributes {npu.system = #system}

// E1:      #chip0 = #npu.chip<id = 0, name = "small", kind = "general",
// E1-SAME:   mac_rows = 256, mac_cols = 256, vector_lanes = 256,
// E1-SAME:   sram_bytes = 4194304, dram_bytes = 1073741824, dram_bytes_per_cycle = 64,
// E1-SAME:   clock_mhz = 1000,
// E1-SAME:   power = <active_mw = 2500, idle_mw = 400, off_mw = 15, wake_cycles = 10000, wake_energy_nj = 20000>>
// E1:      #chip1 = #npu.chip<id = 1, name = "big", kind = "general",
// E1-SAME:   mac_rows = 512, mac_cols = 512, vector_lanes = 512,
// E1-SAME:   sram_bytes = 16777216, dram_bytes = 4294967296, dram_bytes_per_cycle = 128,
// E1-SAME:   clock_mhz = 1000,
// E1-SAME:   power = <active_mw = 12000, idle_mw = 1800, off_mw = 40, wake_cycles = 50000, wake_energy_nj = 400000>>
// E1:      #system = #npu.system<name = "e1-package", topology = "switch",
// E1-SAME:   chips = [#chip0, #chip1],
// E1-SAME:   links = [<a = 0, b = 1, bandwidth_gbps = 64, latency_ns = 100>],
// E1-SAME:   host = <bandwidth_gbps = 16, latency_ns = 1000>>

// Kinds cycle general, dense, lowp, conv, sparse by id; chip id = y * 2 + x.
// MESH2:      #npu.system<name = "mesh-2x2", topology = "mesh", mesh_dims = [2, 2], chips = [
// MESH2-SAME:   <id = 0, name = "npu0", kind = "general",
// MESH2-SAME:     caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"],
// MESH2-SAME:     mac_rows = 256, mac_cols = 256, vector_lanes = 256, sram_bytes = 8388608,
// MESH2-SAME:     dram_bytes = 2147483648, dram_bytes_per_cycle = 64, clock_mhz = 1000,
// MESH2-SAME:     power = <active_mw = 4000, idle_mw = 600, off_mw = 20, wake_cycles = 20000, wake_energy_nj = 50000>,
// MESH2-SAME:     coord = [0, 0]>,
// MESH2-SAME:   <id = 1, name = "npu1", kind = "dense",
// MESH2-SAME:     caps = ["dense", "activation", "fp32", "fp16", "bf16"],
// MESH2-SAME:     mac_rows = 512, mac_cols = 512, vector_lanes = 512, sram_bytes = 16777216,
// MESH2-SAME:     dram_bytes = 2147483648, dram_bytes_per_cycle = 128, clock_mhz = 1000,
// MESH2-SAME:     power = <active_mw = 12000, idle_mw = 1800, off_mw = 40, wake_cycles = 20000, wake_energy_nj = 200000>,
// MESH2-SAME:     coord = [1, 0]>,
// MESH2-SAME:   <id = 2, name = "npu2", kind = "lowp",
// MESH2-SAME:     caps = ["dense", "conv", "activation", "fp16", "int8"],
// MESH2-SAME:     mac_rows = 256, mac_cols = 256, vector_lanes = 256, sram_bytes = 8388608,
// MESH2-SAME:     dram_bytes = 2147483648, dram_bytes_per_cycle = 64, clock_mhz = 1250,
// MESH2-SAME:     power = <active_mw = 2500, idle_mw = 400, off_mw = 15, wake_cycles = 20000, wake_energy_nj = 30000>,
// MESH2-SAME:     coord = [0, 1]>,
// MESH2-SAME:   <id = 3, name = "npu3", kind = "conv",
// MESH2-SAME:     caps = ["conv", "activation", "fp32", "fp16", "int8"],
// MESH2-SAME:     mac_rows = 256, mac_cols = 256, vector_lanes = 256, sram_bytes = 8388608,
// MESH2-SAME:     dram_bytes = 2147483648, dram_bytes_per_cycle = 64, clock_mhz = 1000,
// MESH2-SAME:     power = <active_mw = 3500, idle_mw = 500, off_mw = 20, wake_cycles = 20000, wake_energy_nj = 40000>,
// MESH2-SAME:     coord = [1, 1]>],
// MESH2-SAME:   links = [<a = 0, b = 1, bandwidth_gbps = 32, latency_ns = 50>,
// MESH2-SAME:            <a = 0, b = 2, bandwidth_gbps = 32, latency_ns = 50>,
// MESH2-SAME:            <a = 1, b = 3, bandwidth_gbps = 32, latency_ns = 50>,
// MESH2-SAME:            <a = 2, b = 3, bandwidth_gbps = 32, latency_ns = 50>],
// MESH2-SAME:   host = <bandwidth_gbps = 16, latency_ns = 1000>>

// MESH4:      #npu.system<name = "mesh-4x4", topology = "mesh", mesh_dims = [4, 4], chips = [
// MESH4-SAME:   <id = 0, name = "npu0", kind = "general", {{.*}} coord = [0, 0]>,
// MESH4-SAME:   <id = 1, name = "npu1", kind = "dense", {{.*}} mac_rows = 512, {{.*}} coord = [1, 0]>,
// MESH4-SAME:   <id = 2, name = "npu2", kind = "lowp", {{.*}} clock_mhz = 1250, {{.*}} coord = [2, 0]>,
// MESH4-SAME:   <id = 3, name = "npu3", kind = "conv", {{.*}} coord = [3, 0]>,
// MESH4-SAME:   <id = 4, name = "npu4", kind = "sparse",
// MESH4-SAME:     caps = ["dense", "sparse", "activation", "fp32", "fp16", "bf16"],
// MESH4-SAME:     mac_rows = 256, mac_cols = 256, vector_lanes = 256, sram_bytes = 8388608,
// MESH4-SAME:     dram_bytes = 2147483648, dram_bytes_per_cycle = 64, clock_mhz = 1000,
// MESH4-SAME:     power = <active_mw = 4500, idle_mw = 650, off_mw = 20, wake_cycles = 20000, wake_energy_nj = 60000>,
// MESH4-SAME:     coord = [0, 1]>,
// MESH4-SAME:   <id = 5, name = "npu5", kind = "general", {{.*}} coord = [1, 1]>,
// MESH4-SAME:   <id = 14, name = "npu14", kind = "sparse", {{.*}} coord = [2, 3]>,
// MESH4-SAME:   <id = 15, name = "npu15", kind = "general", {{.*}} coord = [3, 3]>],
// MESH4-SAME:   links = [<a = 0, b = 1, bandwidth_gbps = 32, latency_ns = 50>,
// MESH4-SAME:            <a = 0, b = 4, bandwidth_gbps = 32, latency_ns = 50>,
// MESH4-SAME:            <a = 1, b = 2,
// MESH4-SAME:            <a = 11, b = 15,
// MESH4-SAME:            <a = 14, b = 15, bandwidth_gbps = 32, latency_ns = 50>],
// MESH4-SAME:   host = <bandwidth_gbps = 16, latency_ns = 1000>>

// REPLACE-NOT: name = "single"
// REPLACE-NOT: name = "npu0"
// REPLACE:     #npu.system<name = "e1-package"
// REPLACE-NOT: name = "single"

module {}
