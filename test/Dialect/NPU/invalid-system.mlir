// RUN: npu-opt %s -split-input-file -verify-diagnostics

// Every rule of the system description, broken one at a time inside an
// inline #npu.system. SystemAttr::verify reports each problem found by the
// shared validation (runtime/src/Target.cpp validate()) and by the spelling
// checks of the attribute, as "invalid system description: <path>: <message>"
// at the location of the attribute. Fields not under test are valid: caps
// dense/activation/fp32, sizes 1, clock 1000 MHz, power 1 mW.

// A chip needs SRAM.
#p = #npu.power<active_mw = 1, idle_mw = 1, off_mw = 1, wake_cycles = 1, wake_energy_nj = 1>
// expected-error @+1 {{invalid system description: chips[0].sram_bytes: must be positive (got -1)}}
module attributes {npu.system = #npu.system<name = "bad", topology = "switch",
    chips = [#npu.chip<id = 0, name = "a", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = -1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p>],
    host = #npu.host<bandwidth_gbps = 1, latency_ns = 1>>} {
}

// -----

// Kinds are general, dense, sparse, lowp, conv.
#p = #npu.power<active_mw = 1, idle_mw = 1, off_mw = 1, wake_cycles = 1, wake_energy_nj = 1>
// expected-error @+1 {{invalid system description: chips[0].kind: unknown chip kind 'tpu'; expected one of general, dense, sparse, lowp, conv}}
module attributes {npu.system = #npu.system<name = "bad", topology = "switch",
    chips = [#npu.chip<id = 0, name = "a", kind = "tpu", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p>],
    host = #npu.host<bandwidth_gbps = 1, latency_ns = 1>>} {
}

// -----

// An unknown capability spelling; the others still count.
#p = #npu.power<active_mw = 1, idle_mw = 1, off_mw = 1, wake_cycles = 1, wake_energy_nj = 1>
// expected-error @+1 {{invalid system description: chips[0].caps[2]: unknown capability; expected one of dense, sparse, conv, activation, fp32, fp16, bf16, int8}}
module attributes {npu.system = #npu.system<name = "bad", topology = "switch",
    chips = [#npu.chip<id = 0, name = "a", kind = "general", caps = ["dense", "activation", "fp64", "fp16"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p>],
    host = #npu.host<bandwidth_gbps = 1, latency_ns = 1>>} {
}

// -----

// A capability must be a string.
#p = #npu.power<active_mw = 1, idle_mw = 1, off_mw = 1, wake_cycles = 1, wake_energy_nj = 1>
// expected-error @+1 {{invalid system description: chips[0].caps[3]: unknown capability; expected one of dense, sparse, conv, activation, fp32, fp16, bf16, int8}}
module attributes {npu.system = #npu.system<name = "bad", topology = "switch",
    chips = [#npu.chip<id = 0, name = "a", kind = "general", caps = ["dense", "activation", "fp32", 7 : i64], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p>],
    host = #npu.host<bandwidth_gbps = 1, latency_ns = 1>>} {
}

// -----

// Topologies are switch and mesh.
#p = #npu.power<active_mw = 1, idle_mw = 1, off_mw = 1, wake_cycles = 1, wake_energy_nj = 1>
// expected-error @+1 {{invalid system description: topology: unknown topology 'ring'; expected switch or mesh}}
module attributes {npu.system = #npu.system<name = "bad", topology = "ring",
    chips = [#npu.chip<id = 0, name = "a", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p>],
    host = #npu.host<bandwidth_gbps = 1, latency_ns = 1>>} {
}

// -----

// A link must join chips of the system.
#p = #npu.power<active_mw = 1, idle_mw = 1, off_mw = 1, wake_cycles = 1, wake_energy_nj = 1>
// expected-error @+1 {{invalid system description: links[0].b: chip 5 does not exist}}
module attributes {npu.system = #npu.system<name = "bad", topology = "switch",
    chips = [#npu.chip<id = 0, name = "a", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p>,
             #npu.chip<id = 1, name = "b", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p>],
    links = [#npu.link<a = 0, b = 5, bandwidth_gbps = 1, latency_ns = 1>],
    host = #npu.host<bandwidth_gbps = 1, latency_ns = 1>>} {
}

// -----

// Both ends of a link are checked.
#p = #npu.power<active_mw = 1, idle_mw = 1, off_mw = 1, wake_cycles = 1, wake_energy_nj = 1>
// expected-error @+2 {{invalid system description: links[0].a: chip 7 does not exist}}
// expected-error @+1 {{invalid system description: links[0].b: chip 8 does not exist}}
module attributes {npu.system = #npu.system<name = "bad", topology = "switch",
    chips = [#npu.chip<id = 0, name = "a", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p>],
    links = [#npu.link<a = 7, b = 8, bandwidth_gbps = 1, latency_ns = 1>],
    host = #npu.host<bandwidth_gbps = 1, latency_ns = 1>>} {
}

// -----

// Chip ids are unique.
#p = #npu.power<active_mw = 1, idle_mw = 1, off_mw = 1, wake_cycles = 1, wake_energy_nj = 1>
// expected-error @+1 {{invalid system description: chips[1].id: duplicate chip id 0 (also chips[0])}}
module attributes {npu.system = #npu.system<name = "bad", topology = "switch",
    chips = [#npu.chip<id = 0, name = "a", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p>,
             #npu.chip<id = 0, name = "b", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p>],
    host = #npu.host<bandwidth_gbps = 1, latency_ns = 1>>} {
}

// -----

// The picosecond time base needs an integral clock period.
#p = #npu.power<active_mw = 1, idle_mw = 1, off_mw = 1, wake_cycles = 1, wake_energy_nj = 1>
// expected-error @+1 {{invalid system description: chips[0].clock_mhz: clock of 3 MHz does not divide 1000000 (the picosecond time base needs an integral period)}}
module attributes {npu.system = #npu.system<name = "bad", topology = "switch",
    chips = [#npu.chip<id = 0, name = "a", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 3, power = #p>],
    host = #npu.host<bandwidth_gbps = 1, latency_ns = 1>>} {
}

// -----

// A mesh coordinate lies inside the mesh.
#p = #npu.power<active_mw = 1, idle_mw = 1, off_mw = 1, wake_cycles = 1, wake_energy_nj = 1>
// expected-error @+1 {{invalid system description: chips[1].coord[0]: coordinate 2 is outside [0, 2)}}
module attributes {npu.system = #npu.system<name = "bad", topology = "mesh",
    mesh_dims = [2, 2],
    chips = [#npu.chip<id = 0, name = "a", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p, coord = [0, 0]>,
             #npu.chip<id = 1, name = "b", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p, coord = [2, 1]>],
    host = #npu.host<bandwidth_gbps = 1, latency_ns = 1>>} {
}

// -----

// Mesh links join neighbours only: (0, 0) and (1, 1) are not.
#p = #npu.power<active_mw = 1, idle_mw = 1, off_mw = 1, wake_cycles = 1, wake_energy_nj = 1>
// expected-error @+1 {{invalid system description: links[1]: chips 0 and 3 are not mesh neighbours}}
module attributes {npu.system = #npu.system<name = "bad", topology = "mesh",
    mesh_dims = [2, 2],
    chips = [#npu.chip<id = 0, name = "a", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p, coord = [0, 0]>,
             #npu.chip<id = 1, name = "b", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p, coord = [1, 0]>,
             #npu.chip<id = 3, name = "c", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p, coord = [1, 1]>],
    links = [#npu.link<a = 0, b = 1, bandwidth_gbps = 1, latency_ns = 1>,
             #npu.link<a = 0, b = 3, bandwidth_gbps = 1, latency_ns = 1>],
    host = #npu.host<bandwidth_gbps = 1, latency_ns = 1>>} {
}

// -----

// Every problem is reported, not only the first: a spelling error and
// numeric errors in chips, links and the host link.
#p = #npu.power<active_mw = 1, idle_mw = 1, off_mw = 1, wake_cycles = 1, wake_energy_nj = 1>
// expected-error @+6 {{invalid system description: chips[0].kind: unknown chip kind 'gpu'; expected one of general, dense, sparse, lowp, conv}}
// expected-error @+5 {{invalid system description: chips[0].mac_rows: must be positive (got 0)}}
// expected-error @+4 {{invalid system description: chips[0].dram_bytes: must be positive (got -4)}}
// expected-error @+3 {{invalid system description: chips[1].sram_bytes: must be positive (got 0)}}
// expected-error @+2 {{invalid system description: links[0].latency_ns: must be non-negative (got -1)}}
// expected-error @+1 {{invalid system description: host.bandwidth_gbps: must be positive (got 0)}}
module attributes {npu.system = #npu.system<name = "bad", topology = "switch",
    chips = [#npu.chip<id = 0, name = "a", kind = "gpu", caps = ["dense", "activation", "fp32"], mac_rows = 0, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = -4, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p>,
             #npu.chip<id = 1, name = "b", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 0, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p>],
    links = [#npu.link<a = 0, b = 1, bandwidth_gbps = 1, latency_ns = -1>],
    host = #npu.host<bandwidth_gbps = 0, latency_ns = 1>>} {
}

// -----

// A system needs a chip.
#p = #npu.power<active_mw = 1, idle_mw = 1, off_mw = 1, wake_cycles = 1, wake_energy_nj = 1>
// expected-error @+1 {{invalid system description: chips: a system needs at least one chip}}
module attributes {npu.system = #npu.system<name = "bad", topology = "switch",
    host = #npu.host<bandwidth_gbps = 1, latency_ns = 1>>} {
}

// -----

// Chip ids are non-negative.
#p = #npu.power<active_mw = 1, idle_mw = 1, off_mw = 1, wake_cycles = 1, wake_energy_nj = 1>
// expected-error @+1 {{invalid system description: chips[0].id: must be non-negative (got -1)}}
module attributes {npu.system = #npu.system<name = "bad", topology = "switch",
    chips = [#npu.chip<id = -1, name = "a", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p>],
    host = #npu.host<bandwidth_gbps = 1, latency_ns = 1>>} {
}

// -----

// Chip names are non-empty...
#p = #npu.power<active_mw = 1, idle_mw = 1, off_mw = 1, wake_cycles = 1, wake_energy_nj = 1>
// expected-error @+1 {{invalid system description: chips[0].name: must not be empty}}
module attributes {npu.system = #npu.system<name = "bad", topology = "switch",
    chips = [#npu.chip<id = 0, name = "", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p>],
    host = #npu.host<bandwidth_gbps = 1, latency_ns = 1>>} {
}

// -----

// ... and unique.
#p = #npu.power<active_mw = 1, idle_mw = 1, off_mw = 1, wake_cycles = 1, wake_energy_nj = 1>
// expected-error @+1 {{invalid system description: chips[1].name: duplicate chip name "a" (also chips[0])}}
module attributes {npu.system = #npu.system<name = "bad", topology = "switch",
    chips = [#npu.chip<id = 0, name = "a", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p>,
             #npu.chip<id = 1, name = "a", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p>],
    host = #npu.host<bandwidth_gbps = 1, latency_ns = 1>>} {
}

// -----

// Positive sizes.
#p = #npu.power<active_mw = 1, idle_mw = 1, off_mw = 1, wake_cycles = 1, wake_energy_nj = 1>
// expected-error @+4 {{invalid system description: chips[0].mac_cols: must be positive (got 0)}}
// expected-error @+3 {{invalid system description: chips[0].vector_lanes: must be positive (got -8)}}
// expected-error @+2 {{invalid system description: chips[0].dram_bytes_per_cycle: must be positive (got 0)}}
// expected-error @+1 {{invalid system description: chips[0].clock_mhz: must be positive (got 0)}}
module attributes {npu.system = #npu.system<name = "bad", topology = "switch",
    chips = [#npu.chip<id = 0, name = "a", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 0, vector_lanes = -8, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 0, clock_mhz = 0, power = #p>],
    host = #npu.host<bandwidth_gbps = 1, latency_ns = 1>>} {
}

// -----

// A chip needs a data type.
#p = #npu.power<active_mw = 1, idle_mw = 1, off_mw = 1, wake_cycles = 1, wake_energy_nj = 1>
// expected-error @+1 {{invalid system description: chips[0].caps: needs at least one data type (fp32, fp16, bf16, int8)}}
module attributes {npu.system = #npu.system<name = "bad", topology = "switch",
    chips = [#npu.chip<id = 0, name = "a", kind = "general", caps = ["dense", "activation"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p>],
    host = #npu.host<bandwidth_gbps = 1, latency_ns = 1>>} {
}

// -----

// A chip needs a matrix unit.
#p = #npu.power<active_mw = 1, idle_mw = 1, off_mw = 1, wake_cycles = 1, wake_energy_nj = 1>
// expected-error @+1 {{invalid system description: chips[0].caps: needs a matrix capability (dense or conv)}}
module attributes {npu.system = #npu.system<name = "bad", topology = "switch",
    chips = [#npu.chip<id = 0, name = "a", kind = "general", caps = ["sparse", "activation", "int8"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p>],
    host = #npu.host<bandwidth_gbps = 1, latency_ns = 1>>} {
}

// -----

// A chip needs a vector unit.
#p = #npu.power<active_mw = 1, idle_mw = 1, off_mw = 1, wake_cycles = 1, wake_energy_nj = 1>
// expected-error @+1 {{invalid system description: chips[0].caps: needs the activation capability (vector unit)}}
module attributes {npu.system = #npu.system<name = "bad", topology = "switch",
    chips = [#npu.chip<id = 0, name = "a", kind = "general", caps = ["conv", "bf16"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p>],
    host = #npu.host<bandwidth_gbps = 1, latency_ns = 1>>} {
}

// -----

// Power is non-negative.
#p = #npu.power<active_mw = 1, idle_mw = 1, off_mw = 1, wake_cycles = 1, wake_energy_nj = 1>
// expected-error @+3 {{invalid system description: chips[0].power.active_mw: must be non-negative (got -1)}}
// expected-error @+2 {{invalid system description: chips[0].power.wake_cycles: must be non-negative (got -2)}}
// expected-error @+1 {{invalid system description: chips[0].power.wake_energy_nj: must be non-negative (got -3)}}
module attributes {npu.system = #npu.system<name = "bad", topology = "switch",
    chips = [#npu.chip<id = 0, name = "a", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #npu.power<active_mw = -1, idle_mw = 0, off_mw = 0, wake_cycles = -2, wake_energy_nj = -3>>],
    host = #npu.host<bandwidth_gbps = 1, latency_ns = 1>>} {
}

// -----

// Idle power does not exceed active power.
#p = #npu.power<active_mw = 1, idle_mw = 1, off_mw = 1, wake_cycles = 1, wake_energy_nj = 1>
// expected-error @+1 {{invalid system description: chips[0].power.idle_mw: idle power 5 mW exceeds active power 4 mW}}
module attributes {npu.system = #npu.system<name = "bad", topology = "switch",
    chips = [#npu.chip<id = 0, name = "a", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #npu.power<active_mw = 4, idle_mw = 5, off_mw = 0, wake_cycles = 0, wake_energy_nj = 0>>],
    host = #npu.host<bandwidth_gbps = 1, latency_ns = 1>>} {
}

// -----

// Off power does not exceed idle power.
#p = #npu.power<active_mw = 1, idle_mw = 1, off_mw = 1, wake_cycles = 1, wake_energy_nj = 1>
// expected-error @+1 {{invalid system description: chips[0].power.off_mw: off power 3 mW exceeds idle power 2 mW}}
module attributes {npu.system = #npu.system<name = "bad", topology = "switch",
    chips = [#npu.chip<id = 0, name = "a", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #npu.power<active_mw = 4, idle_mw = 2, off_mw = 3, wake_cycles = 0, wake_energy_nj = 0>>],
    host = #npu.host<bandwidth_gbps = 1, latency_ns = 1>>} {
}

// -----

// A mesh needs dimensions (said once, not per chip).
#p = #npu.power<active_mw = 1, idle_mw = 1, off_mw = 1, wake_cycles = 1, wake_energy_nj = 1>
// expected-error @+1 {{invalid system description: mesh_dims: a mesh topology needs at least one dimension}}
module attributes {npu.system = #npu.system<name = "bad", topology = "mesh",
    chips = [#npu.chip<id = 0, name = "a", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p, coord = [0]>,
             #npu.chip<id = 1, name = "b", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p, coord = [1]>],
    host = #npu.host<bandwidth_gbps = 1, latency_ns = 1>>} {
}

// -----

// Mesh extents are positive; a coordinate on a broken dimension is
// only checked for its sign.
#p = #npu.power<active_mw = 1, idle_mw = 1, off_mw = 1, wake_cycles = 1, wake_energy_nj = 1>
// expected-error @+2 {{invalid system description: mesh_dims[0]: must be positive (got 0)}}
// expected-error @+1 {{invalid system description: chips[0].coord[0]: must be non-negative (got -1)}}
module attributes {npu.system = #npu.system<name = "bad", topology = "mesh",
    mesh_dims = [0, 2],
    chips = [#npu.chip<id = 0, name = "a", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p, coord = [-1, 0]>],
    host = #npu.host<bandwidth_gbps = 1, latency_ns = 1>>} {
}

// -----

// One coordinate per mesh dimension.
#p = #npu.power<active_mw = 1, idle_mw = 1, off_mw = 1, wake_cycles = 1, wake_energy_nj = 1>
// expected-error @+1 {{invalid system description: chips[0].coord: expected 2 coordinates (one per mesh dimension), got 1}}
module attributes {npu.system = #npu.system<name = "bad", topology = "mesh",
    mesh_dims = [2, 2],
    chips = [#npu.chip<id = 0, name = "a", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p, coord = [0]>],
    host = #npu.host<bandwidth_gbps = 1, latency_ns = 1>>} {
}

// -----

// One chip per mesh position.
#p = #npu.power<active_mw = 1, idle_mw = 1, off_mw = 1, wake_cycles = 1, wake_energy_nj = 1>
// expected-error @+1 {{invalid system description: chips[1].coord: position (1, 0) already taken by chip 0}}
module attributes {npu.system = #npu.system<name = "bad", topology = "mesh",
    mesh_dims = [2, 2],
    chips = [#npu.chip<id = 0, name = "a", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p, coord = [1, 0]>,
             #npu.chip<id = 1, name = "b", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p, coord = [1, 0]>],
    host = #npu.host<bandwidth_gbps = 1, latency_ns = 1>>} {
}

// -----

// Only a mesh has dimensions...
#p = #npu.power<active_mw = 1, idle_mw = 1, off_mw = 1, wake_cycles = 1, wake_energy_nj = 1>
// expected-error @+1 {{invalid system description: mesh_dims: only a mesh topology takes dimensions (got 2)}}
module attributes {npu.system = #npu.system<name = "bad", topology = "switch",
    mesh_dims = [1, 1],
    chips = [#npu.chip<id = 0, name = "a", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p>],
    host = #npu.host<bandwidth_gbps = 1, latency_ns = 1>>} {
}

// -----

// ... and coordinates.
#p = #npu.power<active_mw = 1, idle_mw = 1, off_mw = 1, wake_cycles = 1, wake_energy_nj = 1>
// expected-error @+1 {{invalid system description: chips[0].coord: only a mesh topology takes coordinates}}
module attributes {npu.system = #npu.system<name = "bad", topology = "switch",
    chips = [#npu.chip<id = 0, name = "a", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p, coord = [0, 0]>],
    host = #npu.host<bandwidth_gbps = 1, latency_ns = 1>>} {
}

// -----

// A link joins two different chips.
#p = #npu.power<active_mw = 1, idle_mw = 1, off_mw = 1, wake_cycles = 1, wake_energy_nj = 1>
// expected-error @+1 {{invalid system description: links[0]: a link needs two different chips}}
module attributes {npu.system = #npu.system<name = "bad", topology = "switch",
    chips = [#npu.chip<id = 0, name = "a", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p>],
    links = [#npu.link<a = 0, b = 0, bandwidth_gbps = 1, latency_ns = 1>],
    host = #npu.host<bandwidth_gbps = 1, latency_ns = 1>>} {
}

// -----

// At most one link per pair of chips, in either direction.
#p = #npu.power<active_mw = 1, idle_mw = 1, off_mw = 1, wake_cycles = 1, wake_energy_nj = 1>
// expected-error @+1 {{invalid system description: links[1]: duplicate link between chips 0 and 1 (also links[0])}}
module attributes {npu.system = #npu.system<name = "bad", topology = "switch",
    chips = [#npu.chip<id = 0, name = "a", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p>,
             #npu.chip<id = 1, name = "b", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p>],
    links = [#npu.link<a = 0, b = 1, bandwidth_gbps = 1, latency_ns = 1>,
             #npu.link<a = 1, b = 0, bandwidth_gbps = 2, latency_ns = 1>],
    host = #npu.host<bandwidth_gbps = 1, latency_ns = 1>>} {
}

// -----

// Link bandwidth is positive.
#p = #npu.power<active_mw = 1, idle_mw = 1, off_mw = 1, wake_cycles = 1, wake_energy_nj = 1>
// expected-error @+1 {{invalid system description: links[0].bandwidth_gbps: must be positive (got 0)}}
module attributes {npu.system = #npu.system<name = "bad", topology = "switch",
    chips = [#npu.chip<id = 0, name = "a", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p>,
             #npu.chip<id = 1, name = "b", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p>],
    links = [#npu.link<a = 0, b = 1, bandwidth_gbps = 0, latency_ns = 1>],
    host = #npu.host<bandwidth_gbps = 1, latency_ns = 1>>} {
}

// -----

// Host latency is non-negative.
#p = #npu.power<active_mw = 1, idle_mw = 1, off_mw = 1, wake_cycles = 1, wake_energy_nj = 1>
// expected-error @+1 {{invalid system description: host.latency_ns: must be non-negative (got -1000)}}
module attributes {npu.system = #npu.system<name = "bad", topology = "switch",
    chips = [#npu.chip<id = 0, name = "a", kind = "general", caps = ["dense", "activation", "fp32"], mac_rows = 1, mac_cols = 1, vector_lanes = 1, sram_bytes = 1, dram_bytes = 1, dram_bytes_per_cycle = 1, clock_mhz = 1000, power = #p>],
    host = #npu.host<bandwidth_gbps = 16, latency_ns = -1000>>} {
}
