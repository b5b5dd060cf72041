// Structural problems: unknown fields, missing fields, wrong JSON types.
// Every problem is reported, once, with the path of the field; the value
// rules (positive sizes, known ids, ...) are not checked until the structure
// is right. npu-opt exits non-zero and prints nothing on stdout.

// RUN: not npu-opt %s --npu-set-system=system=%S/Inputs/unknown-field.json 2>&1 | FileCheck %s --check-prefix=UNKNOWN --implicit-check-not=error:
// RUN: not npu-opt %s --npu-set-system=system=%S/Inputs/missing-field.json 2>&1 | FileCheck %s --check-prefix=MISSING --implicit-check-not=error:
// RUN: not npu-opt %s --npu-set-system=system=%S/Inputs/wrong-type.json 2>&1 | FileCheck %s --check-prefix=WRONG --implicit-check-not=error:
// RUN: not npu-opt %s --npu-set-system=system=%S/Inputs/wrong-types.json 2>&1 | FileCheck %s --check-prefix=TYPES --implicit-check-not=error:
// RUN: not npu-opt %s --npu-set-system=system=%S/Inputs/bad-topology.json 2>&1 | FileCheck %s --check-prefix=TOPOLOGY --implicit-check-not=error:

// RUN: not npu-opt %s --npu-set-system=system=%S/Inputs/unknown-field.json 2>/dev/null | count 0
// RUN: not npu-opt %s --npu-set-system=system=%S/Inputs/missing-field.json 2>/dev/null | count 0
// RUN: not npu-opt %s --npu-set-system=system=%S/Inputs/wrong-types.json 2>/dev/null | count 0

// A typo is an unknown field, and the real field is then missing.
// UNKNOWN: json-invalid-fields.mlir:[[# @LINE + 30]]:1: error: system description {{.*}}/Inputs/unknown-field.json: chips[0].sram_byte: unknown field
// UNKNOWN: error: system description {{.*}}/Inputs/unknown-field.json: chips[0].sram_bytes: missing required field

// MISSING: error: system description {{.*}}/Inputs/missing-field.json: chips[0].clock_mhz: missing required field
// MISSING: error: system description {{.*}}/Inputs/missing-field.json: host: missing required field

// WRONG: error: system description {{.*}}/Inputs/wrong-type.json: chips[0].sram_bytes: expected an integer

// One error per mistyped field; no follow-on errors (a kind that is not a
// string is not also an unknown kind).
// TYPES:      error: system description {{.*}}/Inputs/wrong-types.json: name: expected a string
// TYPES:      error: system description {{.*}}/Inputs/wrong-types.json: topology: expected a string
// TYPES:      error: system description {{.*}}/Inputs/wrong-types.json: mesh_dims[1]: expected an integer
// TYPES:      error: system description {{.*}}/Inputs/wrong-types.json: chips[0].id: expected an integer
// TYPES:      error: system description {{.*}}/Inputs/wrong-types.json: chips[0].kind: expected a string
// TYPES:      error: system description {{.*}}/Inputs/wrong-types.json: chips[0].caps: expected an array
// TYPES:      error: system description {{.*}}/Inputs/wrong-types.json: chips[0].mac_rows: expected an integer
// TYPES:      error: system description {{.*}}/Inputs/wrong-types.json: chips[0].dram_bytes: expected an integer
// TYPES:      error: system description {{.*}}/Inputs/wrong-types.json: chips[0].dram_bytes_per_cycle: expected an integer
// TYPES:      error: system description {{.*}}/Inputs/wrong-types.json: chips[0].clock_mhz: expected an integer
// TYPES:      error: system description {{.*}}/Inputs/wrong-types.json: chips[0].power: expected an object
// TYPES:      error: system description {{.*}}/Inputs/wrong-types.json: chips[0].coord: expected an array
// TYPES:      error: system description {{.*}}/Inputs/wrong-types.json: chips[1]: expected an object
// TYPES:      error: system description {{.*}}/Inputs/wrong-types.json: links: expected an array
// TYPES:      error: system description {{.*}}/Inputs/wrong-types.json: host: expected an object

// An empty topology string is not the default; only a missing field is.
// TOPOLOGY: error: system description {{.*}}/Inputs/bad-topology.json: topology: unknown topology ''; expected switch or mesh
// TOPOLOGY: error: system description {{.*}}/Inputs/bad-topology.json: chips[0].kind: unknown chip kind 'TPU'; expected one of general, dense, sparse, lowp, conv

module {}
