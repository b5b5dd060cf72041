// Valid JSON system descriptions loaded by npu-set-system: a 3-chip switch
// system, a mesh with empty positions, and a file with every optional field
// left out.

// RUN: npu-opt %s --npu-set-system=system=%S/Inputs/valid.json --mlir-print-local-scope | FileCheck %s --check-prefix=SWITCH
// RUN: npu-opt %s --npu-set-system=system=%S/Inputs/mesh.json --mlir-print-local-scope | FileCheck %s --check-prefix=MESH
// RUN: npu-opt %s --npu-set-system=system=%S/Inputs/minimal.json --mlir-print-local-scope | FileCheck %s --check-prefix=MINIMAL
// A loaded description is a valid attribute: it parses back unchanged.
// RUN: npu-opt %s --npu-set-system=system=%S/Inputs/valid.json | npu-opt | FileCheck %s --check-prefix=REPARSE

// Chip 0 lists no caps and gets those of its kind (lowp); the others list
// theirs, printed in bit order whatever the order in the file. Ids need not
// be contiguous, and a link may name its chips in either order. A switch
// system has no mesh_dims and its chips no coord (each `>>` is adjacent to
// the power model).
// SWITCH:      module attributes {npu.system = #npu.system<name = "trio", topology = "switch", chips = [
// SWITCH-SAME:   <id = 0, name = "front", kind = "lowp",
// SWITCH-SAME:     caps = ["dense", "conv", "activation", "fp16", "int8"],
// SWITCH-SAME:     mac_rows = 128, mac_cols = 64, vector_lanes = 32,
// SWITCH-SAME:     sram_bytes = 2097152, dram_bytes = 536870912, dram_bytes_per_cycle = 32,
// SWITCH-SAME:     clock_mhz = 1250,
// SWITCH-SAME:     power = <active_mw = 1500, idle_mw = 300, off_mw = 10, wake_cycles = 5000, wake_energy_nj = 8000>>,
// SWITCH-SAME:   <id = 1, name = "middle", kind = "dense",
// SWITCH-SAME:     caps = ["dense", "activation", "bf16"],
// SWITCH-SAME:     mac_rows = 256, mac_cols = 256, vector_lanes = 256,
// SWITCH-SAME:     sram_bytes = 8388608, dram_bytes = 2147483648, dram_bytes_per_cycle = 64,
// SWITCH-SAME:     clock_mhz = 1000,
// SWITCH-SAME:     power = <active_mw = 5000, idle_mw = 700, off_mw = 25, wake_cycles = 20000, wake_energy_nj = 60000>>,
// SWITCH-SAME:   <id = 7, name = "back", kind = "general",
// SWITCH-SAME:     caps = ["conv", "activation", "int8"],
// SWITCH-SAME:     mac_rows = 512, mac_cols = 512, vector_lanes = 512,
// SWITCH-SAME:     sram_bytes = 16777216, dram_bytes = 4294967296, dram_bytes_per_cycle = 128,
// SWITCH-SAME:     clock_mhz = 800,
// SWITCH-SAME:     power = <active_mw = 12000, idle_mw = 1800, off_mw = 0, wake_cycles = 0, wake_energy_nj = 0>>],
// SWITCH-SAME:   links = [<a = 0, b = 1, bandwidth_gbps = 64, latency_ns = 100>,
// SWITCH-SAME:            <a = 7, b = 1, bandwidth_gbps = 128, latency_ns = 0>,
// SWITCH-SAME:            <a = 0, b = 7, bandwidth_gbps = 16, latency_ns = 250>],
// SWITCH-SAME:   host = <bandwidth_gbps = 16, latency_ns = 1000>>}

// Four chips on a 3x2 grid (two positions empty); links only where listed.
// MESH:      #npu.system<name = "grid-3x2", topology = "mesh", mesh_dims = [3, 2], chips = [
// MESH-SAME:   <id = 0, name = "n0", kind = "general",
// MESH-SAME:     caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"],
// MESH-SAME:     clock_mhz = 500, {{.*}} coord = [0, 0]>,
// MESH-SAME:   <id = 1, name = "n1", kind = "sparse",
// MESH-SAME:     caps = ["dense", "sparse", "activation", "fp32", "fp16", "bf16"], {{.*}} coord = [1, 0]>,
// MESH-SAME:   <id = 2, name = "n2", kind = "conv",
// MESH-SAME:     caps = ["conv", "activation", "fp32", "fp16", "int8"], {{.*}} coord = [2, 0]>,
// MESH-SAME:   <id = 5, name = "n5", kind = "dense",
// MESH-SAME:     caps = ["dense", "activation", "fp32", "fp16", "bf16"],
// MESH-SAME:     mac_rows = 128, mac_cols = 128, vector_lanes = 64,
// MESH-SAME:     sram_bytes = 4194304, dram_bytes = 1073741824, dram_bytes_per_cycle = 32,
// MESH-SAME:     clock_mhz = 1000,
// MESH-SAME:     power = <active_mw = 3000, idle_mw = 400, off_mw = 10, wake_cycles = 4000, wake_energy_nj = 5000>,
// MESH-SAME:     coord = [2, 1]>],
// MESH-SAME:   links = [<a = 0, b = 1, bandwidth_gbps = 32, latency_ns = 50>,
// MESH-SAME:            <a = 1, b = 2, bandwidth_gbps = 32, latency_ns = 50>,
// MESH-SAME:            <a = 5, b = 2, bandwidth_gbps = 8, latency_ns = 20>],
// MESH-SAME:   host = <bandwidth_gbps = 8, latency_ns = 2000>>

// No topology (switch), no caps (conv defaults), no links; equal powers are
// allowed and zero latencies are too. Adjacent text in one pattern proves
// that nothing (no links, no mesh_dims, no coord) was added.
// MINIMAL:      #npu.system<name = "lone", topology = "switch", chips = [
// MINIMAL-SAME:   <id = 3, name = "only", kind = "conv",
// MINIMAL-SAME:     caps = ["conv", "activation", "fp32", "fp16", "int8"],
// MINIMAL-SAME:     mac_rows = 16, mac_cols = 8, vector_lanes = 4,
// MINIMAL-SAME:     sram_bytes = 65536, dram_bytes = 1048576, dram_bytes_per_cycle = 8,
// MINIMAL-SAME:     clock_mhz = 200,
// MINIMAL-SAME:     power = <active_mw = 100, idle_mw = 100, off_mw = 100, wake_cycles = 0, wake_energy_nj = 0>>], host = <bandwidth_gbps = 1, latency_ns = 0>>}

// REPARSE: #chip7 = #npu.chip<id = 7, name = "back"
// REPARSE: #system = #npu.system<name = "trio", topology = "switch", chips = [#chip0, #chip1, #chip7]
// REPARSE: module attributes {npu.system = #system}

module {}
