// RUN: npu-opt %s --npu-set-system=system=mesh-2x2 \
// RUN:   --npu-partition="report=remarks dot=%t.dot" -o /dev/null \
// RUN:   -mlir-print-op-on-diagnostic=false 2>&1 | FileCheck %s --check-prefix=REMARKS
// RUN: FileCheck %s --check-prefix=DOT < %t.dot
// RUN: npu-opt %s --npu-set-system=system=mesh-2x2 \
// RUN:   --npu-partition=report=table -o /dev/null | FileCheck %s --check-prefix=TABLE
// RUN: npu-opt %s --npu-set-system=system=mesh-2x2 \
// RUN:   --npu-partition="report=json report-file=%t.json" -o /dev/null
// RUN: FileCheck %s --check-prefix=JSON < %t.json
//
// The reports of the diamond of partition-list.mlir (two 4372-cycle
// matmuls, a 10-cycle add, a 16 KiB transfer of 528 cycles plus 50 ns on
// each port). Both strategies find the same placement, so auto keeps the
// pipeline (ties go to it). The left result is sent at 4372 ns, arrives
// 50 ns later and is drained by 4372 + 50 + 528 = 4950 ns; the add ends the
// run at 4960 ns. The bounds: the critical path 4372 + 10; the weighted
// share of 8754 ns of work; the largest op 4372; and, for the interval,
// send or keep: the chip of a matmul also runs the add (10 ns) or sends
// the result (528 ns), so some chip is busy for 4372 + 10 ns. The local
// search of auto (refine) finds nothing better.

// REMARKS: remark: npu-partition: strategy pipeline (objective latency): latency 4960000 ps, bound 4382000 ps, ratio 1.132; interval 4900000 ps, bound 4382000 ps, ratio 1.118
// The compiled programs, scheduled exactly: the 4 MiB input crosses the
// 16 GB/s host link (262 us) before anything runs, which the op-level model
// leaves out, so the exact figures dwarf it.
// REMARKS: remark: npu-partition: scheduled programs (exact, as npu-report-budgets): latency 357425000 ps, ratio 81.567; stream interval 355161000 ps, ratio 81.050
// REMARKS: remark: @diamond_chip0 on chip 0 (npu0): 1 ops, compute 4372000 ps, 1 sends (16384 bytes, 0 relayed), 0 receives (0 bytes)
// REMARKS: remark: @diamond_chip1 on chip 1 (npu1): 2 ops, compute 4382000 ps, 0 sends (0 bytes, 0 relayed), 1 receives (16384 bytes)

// DOT:      digraph partition {
// DOT:        label="mesh-2x2: pipeline, latency 4960.000 ns, interval 4900.000 ns";
// DOT:        subgraph cluster_legend {
// DOT:          chip0 [label="chip 0 (npu0)\ngeneral", fillcolor="[[C0:#[0-9a-f]+]]"];
// DOT:          chip1 [label="chip 1 (npu1)\ndense", fillcolor="[[C1:#[0-9a-f]+]]"];
// DOT:        n0 [label="left\nnpu.matmul\n4372 cycles on chip 0", fillcolor="[[C0]]"];
// DOT-NEXT:   n1 [label="right\nnpu.matmul\n4372 cycles on chip 1", fillcolor="[[C1]]"];
// DOT-NEXT:   n2 [label="join\nnpu.add\n10 cycles on chip 1", fillcolor="[[C1]]"];
// DOT-NEXT:   n0 -> n2 [color="#d62728", penwidth=2, label="16384 B, 528 cycles"];
// DOT-NEXT:   n1 -> n2;
// DOT-NEXT: }

// TABLE:      Partition of @diamond on system 'mesh-2x2': strategy pipeline (objective latency)
// TABLE-NEXT: chip name            ops   compute (ns)  sends       send B  recvs       recv B  relays
// TABLE-NEXT: 0    npu0              1       4372.000      1        16384      0            0       0
// TABLE-NEXT: 1    npu1              2       4382.000      0            0      1        16384       0
// TABLE-NEXT: 2    npu2              0          0.000      0            0      0            0       0
// TABLE-NEXT: 3    npu3              0          0.000      0            0      0            0       0
// TABLE-NEXT: latency         4960.000 ns   bound       4382.000 ns   ratio 1.132
// TABLE-NEXT: interval        4900.000 ns   bound       4382.000 ns   ratio 1.118
// TABLE-NEXT: scheduled     357425.000 ns   interval     355161.000 ns   ratios 81.567 / 81.050 (the compiled programs, exact)
// TABLE-NEXT: bounds: critical path 4382.000 ns, with transfers 4382.000 ns, work per chip 4353.518 ns (even share 2918.000 ns of 8754.000 ns over 3 chips, weighted share 4353.518 ns), weighted share with sends 4353.518 ns, send or keep 4382.000 ns, packing 4372.000 ns, packing with forced sends 4372.000 ns, largest op 4372.000 ns
// TABLE-NEXT: candidate pipeline  latency       4960.000 ns   interval       4900.000 ns
// TABLE-NEXT: candidate list      latency       4960.000 ns   interval       4900.000 ns
// TABLE-NEXT: candidate refine    latency       4960.000 ns   interval       4900.000 ns

// JSON:      "critical_path_ps": 4382000,
// JSON:      "candidates": [
// JSON:          "strategy": "pipeline"
// JSON:          "strategy": "list"
// JSON:          "strategy": "refine"
// JSON:      "hops": [
// JSON-NEXT:   {
// JSON-NEXT:     "bytes": 16384,
// JSON-NEXT:     "channel": 0,
// JSON-NEXT:     "from": 0,
// JSON-NEXT:     "recv_end_ps": 4950000,
// JSON-NEXT:     "send_start_ps": 4372000,
// JSON-NEXT:     "to": 1
// JSON-NEXT:   }
// JSON-NEXT: ],
// JSON:      "interval_bound_ps": 4382000,
// JSON-NEXT: "interval_ps": 4900000,
// JSON:      "latency_bound_ps": 4382000,
// JSON-NEXT: "latency_ps": 4960000,
// JSON:      "strategy": "pipeline",
// JSON-NEXT: "system": "mesh-2x2"

func.func @diamond(%x: tensor<256x4096xf32> {npu.name = "x"},
                   %y: tensor<4096x16xf32> {npu.name = "y"},
                   %z: tensor<4096x16xf32> {npu.name = "z"})
    -> (tensor<256x16xf32> {npu.name = "out"}) {
  %a = npu.matmul %x, %y : (tensor<256x4096xf32>, tensor<4096x16xf32>) -> tensor<256x16xf32> loc("left")
  %b = npu.matmul %x, %z : (tensor<256x4096xf32>, tensor<4096x16xf32>) -> tensor<256x16xf32> loc("right")
  %c = npu.add %a, %b : (tensor<256x16xf32>, tensor<256x16xf32>) -> tensor<256x16xf32> loc("join")
  return %c : tensor<256x16xf32>
}
