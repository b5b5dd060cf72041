// Well-formed descriptions that break the rules of the target model
// (npu::rt::validate): every problem is reported with its field path, all
// of them in one run. npu-opt exits non-zero and prints nothing on stdout.

// RUN: not npu-opt %s --npu-set-system=system=%S/Inputs/negative-sram.json 2>&1 | FileCheck %s --check-prefix=NEGATIVE --implicit-check-not=error:
// RUN: not npu-opt %s --npu-set-system=system=%S/Inputs/unknown-kind.json 2>&1 | FileCheck %s --check-prefix=KIND --implicit-check-not=error:
// RUN: not npu-opt %s --npu-set-system=system=%S/Inputs/unknown-capability.json 2>&1 | FileCheck %s --check-prefix=CAP --implicit-check-not=error:
// RUN: not npu-opt %s --npu-set-system=system=%S/Inputs/bad-link.json 2>&1 | FileCheck %s --check-prefix=LINK --implicit-check-not=error:
// RUN: not npu-opt %s --npu-set-system=system=%S/Inputs/duplicate-id.json 2>&1 | FileCheck %s --check-prefix=DUPLICATE --implicit-check-not=error:
// RUN: not npu-opt %s --npu-set-system=system=%S/Inputs/many-problems.json 2>&1 | FileCheck %s --check-prefix=MANY --implicit-check-not=error:
// RUN: not npu-opt %s --npu-set-system=system=%S/Inputs/mesh-invalid.json 2>&1 | FileCheck %s --check-prefix=MESH --implicit-check-not=error:

// RUN: not npu-opt %s --npu-set-system=system=%S/Inputs/negative-sram.json 2>/dev/null | count 0
// RUN: not npu-opt %s --npu-set-system=system=%S/Inputs/bad-link.json 2>/dev/null | count 0
// RUN: not npu-opt %s --npu-set-system=system=%S/Inputs/many-problems.json 2>/dev/null | count 0
// RUN: not npu-opt %s --npu-set-system=system=%S/Inputs/mesh-invalid.json 2>/dev/null | count 0

// NEGATIVE: json-invalid-values.mlir:[[# @LINE + 42]]:1: error: system description {{.*}}/Inputs/negative-sram.json: chips[0].sram_bytes: must be positive (got -4194304)

// KIND: error: system description {{.*}}/Inputs/unknown-kind.json: chips[0].kind: unknown chip kind 'tpu'; expected one of general, dense, sparse, lowp, conv

// CAP: error: system description {{.*}}/Inputs/unknown-capability.json: chips[0].caps[2]: unknown capability; expected one of dense, sparse, conv, activation, fp32, fp16, bf16, int8

// LINK: error: system description {{.*}}/Inputs/bad-link.json: links[1].b: chip 2 does not exist

// DUPLICATE: error: system description {{.*}}/Inputs/duplicate-id.json: chips[1].id: duplicate chip id 4 (also chips[0])

// MANY:      error: system description {{.*}}/Inputs/many-problems.json: chips[0].mac_rows: must be positive (got 0)
// MANY:      error: system description {{.*}}/Inputs/many-problems.json: chips[0].sram_bytes: must be positive (got -1)
// MANY:      error: system description {{.*}}/Inputs/many-problems.json: chips[0].clock_mhz: clock of 3000 MHz does not divide 1000000 (the picosecond time base needs an integral period)
// MANY:      error: system description {{.*}}/Inputs/many-problems.json: chips[0].caps: needs a matrix capability (dense or conv)
// MANY:      error: system description {{.*}}/Inputs/many-problems.json: chips[0].caps: needs the activation capability (vector unit)
// MANY:      error: system description {{.*}}/Inputs/many-problems.json: chips[0].power.wake_cycles: must be non-negative (got -5)
// MANY:      error: system description {{.*}}/Inputs/many-problems.json: chips[0].power.idle_mw: idle power 2500 mW exceeds active power 400 mW
// MANY:      error: system description {{.*}}/Inputs/many-problems.json: chips[1].id: must be non-negative (got -2)
// MANY:      error: system description {{.*}}/Inputs/many-problems.json: chips[1].name: duplicate chip name "npu0" (also chips[0])
// MANY:      error: system description {{.*}}/Inputs/many-problems.json: chips[1].caps: needs at least one data type (fp32, fp16, bf16, int8)
// MANY:      error: system description {{.*}}/Inputs/many-problems.json: chips[1].caps: needs a matrix capability (dense or conv)
// MANY:      error: system description {{.*}}/Inputs/many-problems.json: chips[1].caps: needs the activation capability (vector unit)
// MANY:      error: system description {{.*}}/Inputs/many-problems.json: chips[1].power.off_mw: off power 500 mW exceeds idle power 400 mW
// MANY:      error: system description {{.*}}/Inputs/many-problems.json: mesh_dims: only a mesh topology takes dimensions (got 2)
// MANY:      error: system description {{.*}}/Inputs/many-problems.json: chips[0].coord: only a mesh topology takes coordinates
// MANY:      error: system description {{.*}}/Inputs/many-problems.json: links[0].b: chip 9 does not exist
// MANY:      error: system description {{.*}}/Inputs/many-problems.json: links[0].bandwidth_gbps: must be positive (got 0)
// MANY:      error: system description {{.*}}/Inputs/many-problems.json: links[0].latency_ns: must be non-negative (got -1)
// MANY:      error: system description {{.*}}/Inputs/many-problems.json: links[1]: a link needs two different chips
// MANY:      error: system description {{.*}}/Inputs/many-problems.json: links[3]: duplicate link between chips -2 and 0 (also links[2])
// MANY:      error: system description {{.*}}/Inputs/many-problems.json: host.bandwidth_gbps: must be positive (got 0)
// MANY:      error: system description {{.*}}/Inputs/many-problems.json: host.latency_ns: must be non-negative (got -1000)

// A coordinate outside the grid, a taken position and a wrong number of
// coordinates are reported once each; links are checked for adjacency only
// between chips that were placed, so the misplaced chips 2 and 4 cause no
// second error through links[1] and links[2].
// MESH:      error: system description {{.*}}/Inputs/mesh-invalid.json: chips[2].coord[0]: coordinate 2 is outside [0, 2)
// MESH:      error: system description {{.*}}/Inputs/mesh-invalid.json: chips[3].coord: position (1, 1) already taken by chip 1
// MESH:      error: system description {{.*}}/Inputs/mesh-invalid.json: chips[4].coord: expected 2 coordinates (one per mesh dimension), got 1
// MESH:      error: system description {{.*}}/Inputs/mesh-invalid.json: links[0]: chips 0 and 1 are not mesh neighbours

module {}
