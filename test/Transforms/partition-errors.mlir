// RUN: split-file %s %t
//
// A system whose chips are not all connected.
// RUN: not npu-opt %t/model.mlir --npu-set-system=system=%t/islands.json \
// RUN:   --npu-partition -o /dev/null 2>&1 | FileCheck %s --check-prefix=ISLANDS
// ISLANDS: error: system 'islands' is not connected: chip 7 (c), chip 9 (d) have no route over the links to chip 2 (a)
//
// Placement files: unreadable, not JSON, a name no op has, a value that is
// not a chip id, a chip the system does not have.
// RUN: not npu-opt %t/model.mlir --npu-set-system=system=e1-package \
// RUN:   --npu-partition=placement=%t/missing.json -o /dev/null 2>&1 \
// RUN:   | FileCheck %s --check-prefix=MISSING
// MISSING: error: placement file '{{.*}}missing.json': {{.*}}
// RUN: not npu-opt %t/model.mlir --npu-set-system=system=e1-package \
// RUN:   --npu-partition=placement=%t/bad.json -o /dev/null 2>&1 \
// RUN:   | FileCheck %s --check-prefix=BAD
// BAD-DAG: error: placement file '{{.*}}bad.json': no op is named 'nobody'
// BAD-DAG: error: placement file '{{.*}}bad.json': 'second': expected a chip id (an integer)
// BAD-DAG: error: {{.*}}'npu.relu' op is placed on chip 5 by placement file '{{.*}}bad.json', which is not in system 'e1-package'
// RUN: not npu-opt %t/model.mlir --npu-set-system=system=e1-package \
// RUN:   --npu-partition=placement=%t/syntax.json -o /dev/null 2>&1 \
// RUN:   | FileCheck %s --check-prefix=SYNTAX
// SYNTAX: error: placement file '{{.*}}syntax.json': invalid JSON:
//
// A placement the attribute and the file disagree on.
// RUN: not npu-opt %t/placed.mlir --npu-set-system=system=e1-package \
// RUN:   --npu-partition=placement=%t/good.json -o /dev/null 2>&1 \
// RUN:   | FileCheck %s --check-prefix=CONFLICT
// CONFLICT: error: {{.*}}'npu.relu' op is placed on chip 1 (big) by 'npu.place' but on chip 0 (small) by placement file '{{.*}}good.json'
//
// Forced placements no pipeline can follow (chip 0, then 1, then 0 again).
// RUN: not npu-opt %t/zigzag.mlir --npu-set-system=system=e1-package \
// RUN:   --npu-partition=strategy=pipeline -o /dev/null 2>&1 \
// RUN:   | FileCheck %s --check-prefix=ZIGZAG
// ZIGZAG: error: npu-partition: no pipeline along the chip path of system 'e1-package' (or its reverse) runs every op on a chip that can run it, within the chips' memory and the forced placements; try strategy=list
//
// Bad options and inputs.
// RUN: not npu-opt %t/model.mlir --npu-set-system=system=e1-package \
// RUN:   --npu-partition=strategy=random -o /dev/null 2>&1 \
// RUN:   | FileCheck %s --check-prefix=STRATEGY
// STRATEGY: error: npu-partition: unknown strategy 'random'; expected pipeline, list, auto, even or greedy
// RUN: not npu-opt %t/model.mlir --npu-set-system=system=e1-package \
// RUN:   --npu-partition=objective=energy -o /dev/null 2>&1 \
// RUN:   | FileCheck %s --check-prefix=OBJECTIVE
// OBJECTIVE: error: npu-partition: unknown objective 'energy'; expected latency or throughput
// RUN: not npu-opt %t/model.mlir --npu-set-system=system=e1-package \
// RUN:   --npu-partition=report=html -o /dev/null 2>&1 \
// RUN:   | FileCheck %s --check-prefix=REPORT
// REPORT: error: npu-partition: unknown report 'html'; expected none, remarks, table or json
// RUN: not npu-opt %t/model.mlir --npu-partition -o /dev/null 2>&1 \
// RUN:   | FileCheck %s --check-prefix=NOSYSTEM
// NOSYSTEM: error: npu-partition needs the module's 'npu.system' (run --npu-set-system first)
// RUN: not npu-opt %t/two.mlir --npu-set-system=system=e1-package \
// RUN:   --npu-partition -o /dev/null 2>&1 | FileCheck %s --check-prefix=TWO
// TWO: error: npu-partition expects exactly one func.func (the model), found 2

//--- model.mlir
func.func @m(%x: tensor<1x64xf32>) -> tensor<1x64xf32> {
  %a = npu.relu %x : tensor<1x64xf32> loc("first")
  %b = npu.tanh %a : tensor<1x64xf32> loc("second")
  return %b : tensor<1x64xf32>
}

//--- placed.mlir
func.func @m(%x: tensor<1x64xf32>) -> tensor<1x64xf32> {
  %a = npu.relu %x {npu.place = 1} : tensor<1x64xf32> loc("first")
  return %a : tensor<1x64xf32>
}

//--- zigzag.mlir
func.func @m(%x: tensor<1x64xf32>) -> tensor<1x64xf32> {
  %a = npu.relu %x {npu.place = 0} : tensor<1x64xf32>
  %b = npu.tanh %a {npu.place = 1} : tensor<1x64xf32>
  %c = npu.sigmoid %b {npu.place = 0} : tensor<1x64xf32>
  return %c : tensor<1x64xf32>
}

//--- two.mlir
func.func @m(%x: tensor<1x64xf32>) -> tensor<1x64xf32> {
  return %x : tensor<1x64xf32>
}
func.func @n(%x: tensor<1x64xf32>) -> tensor<1x64xf32> {
  return %x : tensor<1x64xf32>
}

//--- good.json
{"first": 0}

//--- bad.json
{"nobody": 1, "second": "big", "first": 5}

//--- syntax.json
{"first": 0,

//--- islands.json
{
  "name": "islands",
  "chips": [
    {"id": 2, "name": "a", "kind": "general", "mac_rows": 16, "mac_cols": 16,
     "vector_lanes": 16, "sram_bytes": 1048576, "dram_bytes": 16777216,
     "dram_bytes_per_cycle": 16, "clock_mhz": 1000,
     "power": {"active_mw": 100, "idle_mw": 10, "off_mw": 1,
               "wake_cycles": 0, "wake_energy_nj": 0}},
    {"id": 5, "name": "b", "kind": "general", "mac_rows": 16, "mac_cols": 16,
     "vector_lanes": 16, "sram_bytes": 1048576, "dram_bytes": 16777216,
     "dram_bytes_per_cycle": 16, "clock_mhz": 1000,
     "power": {"active_mw": 100, "idle_mw": 10, "off_mw": 1,
               "wake_cycles": 0, "wake_energy_nj": 0}},
    {"id": 7, "name": "c", "kind": "general", "mac_rows": 16, "mac_cols": 16,
     "vector_lanes": 16, "sram_bytes": 1048576, "dram_bytes": 16777216,
     "dram_bytes_per_cycle": 16, "clock_mhz": 1000,
     "power": {"active_mw": 100, "idle_mw": 10, "off_mw": 1,
               "wake_cycles": 0, "wake_energy_nj": 0}},
    {"id": 9, "name": "d", "kind": "general", "mac_rows": 16, "mac_cols": 16,
     "vector_lanes": 16, "sram_bytes": 1048576, "dram_bytes": 16777216,
     "dram_bytes_per_cycle": 16, "clock_mhz": 1000,
     "power": {"active_mw": 100, "idle_mw": 10, "off_mw": 1,
               "wake_cycles": 0, "wake_energy_nj": 0}}
  ],
  "links": [
    {"a": 2, "b": 5, "bandwidth_gbps": 8, "latency_ns": 10},
    {"a": 7, "b": 9, "bandwidth_gbps": 8, "latency_ns": 10}
  ],
  "host": {"bandwidth_gbps": 4, "latency_ns": 500}
}
