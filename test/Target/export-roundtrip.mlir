// npu-translate --npu-export-system writes a module's npu.system in the JSON
// file format; loading that file back gives the very same attribute, for
// every preset and for hand-written files.

// RUN: npu-opt %s --npu-set-system=system=mesh-2x2 > %t.mesh-2x2.mlir
// RUN: npu-translate --npu-export-system %t.mesh-2x2.mlir > %t.mesh-2x2.json
// RUN: FileCheck %s --check-prefix=JSON < %t.mesh-2x2.json
// RUN: npu-opt %s --npu-set-system=system=%t.mesh-2x2.json > %t.mesh-2x2.reloaded.mlir
// RUN: diff %t.mesh-2x2.mlir %t.mesh-2x2.reloaded.mlir
// Exporting the reloaded module gives the same file again.
// RUN: npu-translate --npu-export-system %t.mesh-2x2.reloaded.mlir | diff %t.mesh-2x2.json -

// The other presets, piped.
// RUN: npu-opt %s --npu-set-system=system=single | npu-translate --npu-export-system > %t.single.json
// RUN: npu-opt %s --npu-set-system=system=single > %t.single.mlir
// RUN: npu-opt %s --npu-set-system=system=%t.single.json | diff %t.single.mlir -
// RUN: npu-opt %s --npu-set-system=system=e1-package | npu-translate --npu-export-system > %t.e1.json
// RUN: npu-opt %s --npu-set-system=system=e1-package > %t.e1.mlir
// RUN: npu-opt %s --npu-set-system=system=%t.e1.json | diff %t.e1.mlir -
// RUN: npu-opt %s --npu-set-system=system=mesh-4x4 | npu-translate --npu-export-system > %t.mesh-4x4.json
// RUN: npu-opt %s --npu-set-system=system=mesh-4x4 > %t.mesh-4x4.mlir
// RUN: npu-opt %s --npu-set-system=system=%t.mesh-4x4.json | diff %t.mesh-4x4.mlir -

// Hand-written files: caps filled in from the kind, absent links and
// topology become explicit, and the result loads to the same attribute.
// RUN: npu-opt %s --npu-set-system=system=%S/Inputs/minimal.json > %t.minimal.mlir
// RUN: npu-translate --npu-export-system %t.minimal.mlir > %t.minimal.json
// RUN: FileCheck %s --check-prefix=MINIMAL < %t.minimal.json
// RUN: npu-opt %s --npu-set-system=system=%t.minimal.json | diff %t.minimal.mlir -
// RUN: npu-opt %s --npu-set-system=system=%S/Inputs/valid.json > %t.valid.mlir
// RUN: npu-opt %s --npu-set-system=system=%S/Inputs/valid.json | npu-translate --npu-export-system > %t.valid.json
// RUN: npu-opt %s --npu-set-system=system=%t.valid.json | diff %t.valid.mlir -
// RUN: npu-opt %s --npu-set-system=system=%S/Inputs/mesh.json > %t.mesh.mlir
// RUN: npu-opt %s --npu-set-system=system=%S/Inputs/mesh.json | npu-translate --npu-export-system > %t.mesh.json
// RUN: npu-opt %s --npu-set-system=system=%t.mesh.json | diff %t.mesh.mlir -

// A module without a description cannot be exported: an error, no output.
// RUN: not npu-translate --npu-export-system %s 2>&1 | FileCheck %s --check-prefix=NOSYS
// RUN: not npu-translate --npu-export-system %s 2>/dev/null | count 0

// Keys are written in sorted order; every chip lists its caps.
// JSON:      "chips": [
// JSON-NEXT:   {
// JSON-NEXT:     "caps": [
// JSON-NEXT:       "dense",
// JSON-NEXT:       "sparse",
// JSON-NEXT:       "conv",
// JSON-NEXT:       "activation",
// JSON-NEXT:       "fp32",
// JSON-NEXT:       "fp16",
// JSON-NEXT:       "bf16",
// JSON-NEXT:       "int8"
// JSON-NEXT:     ],
// JSON-NEXT:     "clock_mhz": 1000,
// JSON-NEXT:     "coord": [
// JSON-NEXT:       0,
// JSON-NEXT:       0
// JSON-NEXT:     ],
// JSON-NEXT:     "dram_bytes": 2147483648,
// JSON-NEXT:     "dram_bytes_per_cycle": 64,
// JSON-NEXT:     "id": 0,
// JSON-NEXT:     "kind": "general",
// JSON-NEXT:     "mac_cols": 256,
// JSON-NEXT:     "mac_rows": 256,
// JSON-NEXT:     "name": "npu0",
// JSON-NEXT:     "power": {
// JSON-NEXT:       "active_mw": 4000,
// JSON-NEXT:       "idle_mw": 600,
// JSON-NEXT:       "off_mw": 20,
// JSON-NEXT:       "wake_cycles": 20000,
// JSON-NEXT:       "wake_energy_nj": 50000
// JSON-NEXT:     },
// JSON-NEXT:     "sram_bytes": 8388608,
// JSON-NEXT:     "vector_lanes": 256
// JSON-NEXT:   },
// JSON:        "id": 3,
// JSON-NEXT:   "kind": "conv",
// JSON:      "host": {
// JSON-NEXT:   "bandwidth_gbps": 16,
// JSON-NEXT:   "latency_ns": 1000
// JSON-NEXT: },
// JSON-NEXT: "links": [
// JSON-NEXT:   {
// JSON-NEXT:     "a": 0,
// JSON-NEXT:     "b": 1,
// JSON-NEXT:     "bandwidth_gbps": 32,
// JSON-NEXT:     "latency_ns": 50
// JSON-NEXT:   },
// JSON:          "a": 2,
// JSON-NEXT:     "b": 3,
// JSON-NEXT:     "bandwidth_gbps": 32,
// JSON-NEXT:     "latency_ns": 50
// JSON-NEXT:   }
// JSON-NEXT: ],
// JSON-NEXT: "mesh_dims": [
// JSON-NEXT:   2,
// JSON-NEXT:   2
// JSON-NEXT: ],
// JSON-NEXT: "name": "mesh-2x2",
// JSON-NEXT: "topology": "mesh"
// JSON-NEXT: }

// MINIMAL:      "caps": [
// MINIMAL-NEXT:   "conv",
// MINIMAL-NEXT:   "activation",
// MINIMAL-NEXT:   "fp32",
// MINIMAL-NEXT:   "fp16",
// MINIMAL-NEXT:   "int8"
// MINIMAL-NEXT: ],
// MINIMAL-NOT:  "coord"
// MINIMAL:      "links": [],
// MINIMAL-NEXT: "name": "lone",
// MINIMAL-NEXT: "topology": "switch"
// MINIMAL-NEXT: }

// NOSYS: export-roundtrip.mlir:[[# @LINE + 2]]:1: error: module has no 'npu.system' attribute to export (run npu-opt --npu-set-system first)

module {}
