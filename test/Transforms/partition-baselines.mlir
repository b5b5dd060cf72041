// RUN: npu-opt %s --npu-set-system=system=mesh-2x2 \
// RUN:   --npu-partition=strategy=even | FileCheck %s --check-prefix=EVEN
// RUN: npu-opt %s --npu-set-system=system=mesh-2x2 \
// RUN:   --npu-partition=strategy=greedy | FileCheck %s --check-prefix=GREEDY
// RUN: npu-opt %s --npu-set-system=system=mesh-2x2 \
// RUN:   --npu-partition="strategy=greedy report=json report-file=%t.json" \
// RUN:   -o /dev/null
// RUN: FileCheck %s --check-prefix=JSON < %t.json
//
// The two baselines of bench_partition.py on a chain of gemm, relu, gemm,
// relu, gemm, relu on mesh-2x2: chip 0 general (a gemm in 280 ns), chip 1
// dense (152 ns), chip 2 lowp (no f32: runs nothing here), chip 3 conv (no
// dense matrix unit: runs the relus only); a relu takes 3 ns anywhere.
//
// even: the chip path is 0, 1, 3, 2; chip 2 can run no op and is skipped,
// so chips 0, 1 and 3 get two ops each: a, b on 0; c, d on 1; e, f on 3.
// Chip 3 cannot run the gemm e, which goes to the nearest chip of the path
// that can: chip 1.
//
// greedy: each op in turn to the chip that can run it and is free first
// (ties: lowest id), counting compute only: a to 0 (free at 280); b to 1
// (free at 0; done at 283); c to 0 (280 before 1's 283; done at 563); d to
// 3 (free at 0; done at 566); e to 1 (283 before 0's 563); f to 0 (563
// before 3's 566 and 1's 718). The transfers it ignores make it slow: c's
// result reaches chip 3 through chip 1.

// EVEN:      npu.partition = {{{.*}}strategy = "even"
// EVEN-LABEL: npu.program @chain_chip0 chip(0)
// EVEN:        %[[A:.+]] = npu.gemm
// EVEN-NEXT:   %[[B:.+]] = npu.relu %[[A]]
// EVEN-NEXT:   npu.send %[[B]] to chip(1) channel(0)
// EVEN-NEXT: }
// EVEN-LABEL: npu.program @chain_chip1 chip(1)
// EVEN:        %[[B1:.+]] = npu.recv from chip(0) channel(0)
// EVEN-NEXT:   %[[C:.+]] = npu.gemm %[[B1]]
// EVEN-NEXT:   %[[D:.+]] = npu.relu %[[C]]
// EVEN-NEXT:   %[[E:.+]] = npu.gemm %[[D]]
// EVEN-NEXT:   npu.send %[[E]] to chip(3) channel(0)
// EVEN-NEXT: }
// EVEN-LABEL: npu.program @chain_chip3 chip(3)
// EVEN-NEXT:   %[[E3:.+]] = npu.recv from chip(1) channel(0)
// EVEN-NEXT:   %[[F:.+]] = npu.relu %[[E3]]
// EVEN-NEXT:   npu.output "y", %[[F]]
// EVEN-NEXT: }
// EVEN-NOT:  npu.program

// GREEDY:      npu.partition = {{{.*}}strategy = "greedy"
// GREEDY-LABEL: npu.program @chain_chip0 chip(0)
// GREEDY:        %[[A:.+]] = npu.gemm
// GREEDY-NEXT:   npu.send %[[A]] to chip(1) channel(0)
// GREEDY-NEXT:   %[[B:.+]] = npu.recv from chip(1) channel(0)
// GREEDY-NEXT:   %[[C:.+]] = npu.gemm %[[B]]
// GREEDY-NEXT:   npu.send %[[C]] to chip(1) channel(1)
// GREEDY-NEXT:   %[[E:.+]] = npu.recv from chip(1) channel(1)
// GREEDY-NEXT:   %[[F:.+]] = npu.relu %[[E]]
// GREEDY-NEXT:   npu.output "y", %[[F]]
// GREEDY-NEXT: }
// GREEDY-LABEL: npu.program @chain_chip1 chip(1)
// GREEDY:        %[[A1:.+]] = npu.recv from chip(0) channel(0)
// GREEDY-NEXT:   %[[B1:.+]] = npu.relu %[[A1]]
// GREEDY-NEXT:   npu.send %[[B1]] to chip(0) channel(0)
// GREEDY-NEXT:   %[[C1:.+]] = npu.recv from chip(0) channel(1)
// GREEDY-NEXT:   npu.send %[[C1]] to chip(3) channel(0)
// GREEDY-NEXT:   %[[D1:.+]] = npu.recv from chip(3) channel(0)
// GREEDY-NEXT:   %[[E1:.+]] = npu.gemm %[[D1]]
// GREEDY-NEXT:   npu.send %[[E1]] to chip(0) channel(1)
// GREEDY-NEXT: }
// GREEDY-LABEL: npu.program @chain_chip3 chip(3)
// GREEDY-NEXT:   %[[C3:.+]] = npu.recv from chip(1) channel(0)
// GREEDY-NEXT:   %[[D:.+]] = npu.relu %[[C3]]
// GREEDY-NEXT:   npu.send %[[D]] to chip(1) channel(0)
// GREEDY-NEXT: }
// GREEDY-NOT:  npu.program

// The JSON report of a baseline carries its latency, interval and bounds.
// JSON:      "bounds": {
// JSON:        "critical_path_ps": 465000,
// JSON:      "candidates": [
// JSON-NEXT:   {
// JSON-NEXT:     "interval_ps": 611000,
// JSON-NEXT:     "latency_ps": 1165000,
// JSON-NEXT:     "strategy": "greedy"
// JSON-NEXT:   }
// JSON-NEXT: ],
// JSON:      "interval_bound_ps": 304000,
// JSON-NEXT: "interval_ps": 611000,
// JSON:      "latency_bound_ps": 465000,
// JSON-NEXT: "latency_ps": 1165000,
// JSON:      "strategy": "greedy",

func.func @chain(%x: tensor<1x64xf32> {npu.name = "x"})
    -> (tensor<1x64xf32> {npu.name = "y"}) {
  %w = arith.constant dense<0.5> : tensor<64x64xf32>
  %a = npu.gemm %x, %w : (tensor<1x64xf32>, tensor<64x64xf32>) -> tensor<1x64xf32> loc("a")
  %b = npu.relu %a : tensor<1x64xf32> loc("b")
  %c = npu.gemm %b, %w : (tensor<1x64xf32>, tensor<64x64xf32>) -> tensor<1x64xf32> loc("c")
  %d = npu.relu %c : tensor<1x64xf32> loc("d")
  %e = npu.gemm %d, %w : (tensor<1x64xf32>, tensor<64x64xf32>) -> tensor<1x64xf32> loc("e")
  %f = npu.relu %e : tensor<1x64xf32> loc("f")
  return %f : tensor<1x64xf32>
}
