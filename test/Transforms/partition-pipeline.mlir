// RUN: npu-opt %s --npu-set-system=system=e1-package \
// RUN:   --npu-partition=strategy=pipeline | npu-opt | FileCheck %s
// RUN: npu-opt %s --npu-set-system=system=e1-package \
// RUN:   --npu-partition=strategy=pipeline | npu-opt --npu-lower-to-isa \
// RUN:   --npu-schedule -o /dev/null
// RUN: npu-opt %s --npu-set-system=system=e1-package \
// RUN:   --npu-partition=objective=throughput | FileCheck %s --check-prefix=AUTO-THROUGHPUT
// RUN: npu-opt %s --npu-set-system=system=e1-package --npu-partition \
// RUN:   | FileCheck %s --check-prefix=AUTO-LATENCY
// RUN: npu-opt %s --npu-set-system=system=single --npu-partition \
// RUN:   | npu-opt | FileCheck %s --check-prefix=SINGLE \
// RUN:     --implicit-check-not=npu.send --implicit-check-not=npu.recv
//
// The pipeline strategy (P7) on a chain of 8 identical matmuls on e1-package.
// Each matmul ([64 x 256] x [256 x 256], f32) is one MAC tile (580 cycles)
// and loads its 256 KiB weight from DRAM: 24 + 262144 / 64 = 4120 cycles on
// chip 0 (small, 64 B/cycle), 24 + 262144 / 128 = 2072 on chip 1 (big,
// 128 B/cycle); the load is the longer, so it is the op's time. The 64 KiB
// activation crosses the 64 GB/s link in 16 + 65536 / 64 = 1040 cycles.
// All clocks are 1000 MHz, so 1 cycle = 1000 ps.
//
// Stages run along the path of chips (0, 1) or its reverse (1, 0):
//   (0, 1): k ops on small: max(4120 k + 1040, 2072 (8 - k)), best k = 2:
//           max(9280, 12432) = 12432
//   (1, 0): j ops on big:   max(2072 j + 1040, 4120 (8 - j)), best j = 5:
//           max(11400, 12360) = 12360   <- the minimum bottleneck
// So five matmuls on big, then three on small; the interval is 12360 ns.
// Latency: 5 * 2072 + 1040 on big, then the receive (1040) and 3 * 4120.
//
// The interval bound is the speed-weighted share: 8 / (1/4120 + 1/2072) =
// 11029.25 ns, rounded down (the ratio is 1.121). The same cut is what
// objective=throughput picks under strategy=auto; for latency, all 8 on big
// (16576 ns, equal to the critical-path bound) beats the pipeline (23860).

// CHECK-LABEL: module attributes
// CHECK-SAME: npu.inputs = [#npu.tensor<"x" : tensor<64x256xf32>>]
// CHECK-SAME: npu.outputs = [#npu.tensor<"y" : tensor<64x256xf32>>]
// The compiled programs (scheduled by the pass on a copy, exactly as
// npu-compile + npu-report-budgets would) add the host transfers of the
// 64 KiB input and output and the DRAM staging: 29204 ns for one input,
// one input every 19116 ns in a stream.
// CHECK-SAME: npu.partition = {interval_bound = 11029249 : i64, latency = 23860000 : i64, latency_bound = 16576000 : i64, objective = "latency", scheduled_interval = 19116000 : i64, scheduled_latency = 29204000 : i64, strategy = "pipeline", throughput_interval = 12360000 : i64}

// CHECK-LABEL: npu.program @chain_chip0 chip(0)
// CHECK-NEXT:    %[[W:.+]] = arith.constant dense<5.000000e-01> : tensor<256x256xf32>
// CHECK-NEXT:    %[[R:.+]] = npu.recv from chip(1) channel(0) : tensor<64x256xf32>
// CHECK-NEXT:    %[[A:.+]] = npu.matmul %[[R]], %[[W]]
// CHECK-NEXT:    %[[B:.+]] = npu.matmul %[[A]], %[[W]]
// CHECK-NEXT:    %[[C:.+]] = npu.matmul %[[B]], %[[W]]
// CHECK-NEXT:    npu.output "y", %[[C]] : tensor<64x256xf32>
// CHECK-NEXT:  }

// CHECK-LABEL: npu.program @chain_chip1 chip(1)
// CHECK-NEXT:    %[[X:.+]] = npu.input "x" : tensor<64x256xf32>
// CHECK-NEXT:    %[[W1:.+]] = arith.constant dense<5.000000e-01> : tensor<256x256xf32>
// CHECK-NEXT:    %[[M0:.+]] = npu.matmul %[[X]], %[[W1]]
// CHECK-NEXT:    %[[M1:.+]] = npu.matmul %[[M0]], %[[W1]]
// CHECK-NEXT:    %[[M2:.+]] = npu.matmul %[[M1]], %[[W1]]
// CHECK-NEXT:    %[[M3:.+]] = npu.matmul %[[M2]], %[[W1]]
// CHECK-NEXT:    %[[M4:.+]] = npu.matmul %[[M3]], %[[W1]]
// CHECK-NEXT:    npu.send %[[M4]] to chip(0) channel(0) : tensor<64x256xf32>
// CHECK-NEXT:  }
// CHECK-NOT:   func.func

// AUTO-THROUGHPUT: strategy = "pipeline", throughput_interval = 12360000 : i64
// AUTO-THROUGHPUT-COUNT-3: npu.matmul
// AUTO-THROUGHPUT: npu.program @chain_chip1 chip(1)
// AUTO-THROUGHPUT-COUNT-5: npu.matmul

// AUTO-LATENCY: latency = 16576000 : i64, latency_bound = 16576000 : i64, objective = "latency", scheduled_interval = 28486000 : i64, scheduled_latency = 28486000 : i64, strategy = "list"
// AUTO-LATENCY-NOT: npu.program @chain_chip0
// AUTO-LATENCY: npu.program @chain_chip1 chip(1)
// AUTO-LATENCY-COUNT-8: npu.matmul
// AUTO-LATENCY-NOT: npu.send

// On one chip: one program, no transfers.
// SINGLE:      npu.program @chain_chip0 chip(0)
// SINGLE-NEXT:   npu.input "x"
// SINGLE-NEXT:   arith.constant
// SINGLE-COUNT-8: npu.matmul
// SINGLE-NEXT:   npu.output "y"
// SINGLE-NEXT: }
// SINGLE-NOT:  npu.program

func.func @chain(%x: tensor<64x256xf32> {npu.name = "x"}) -> (tensor<64x256xf32> {npu.name = "y"}) {
  %w = arith.constant dense<0.5> : tensor<256x256xf32>
  %m0 = npu.matmul %x, %w : (tensor<64x256xf32>, tensor<256x256xf32>) -> tensor<64x256xf32> loc("mm0")
  %m1 = npu.matmul %m0, %w : (tensor<64x256xf32>, tensor<256x256xf32>) -> tensor<64x256xf32> loc("mm1")
  %m2 = npu.matmul %m1, %w : (tensor<64x256xf32>, tensor<256x256xf32>) -> tensor<64x256xf32> loc("mm2")
  %m3 = npu.matmul %m2, %w : (tensor<64x256xf32>, tensor<256x256xf32>) -> tensor<64x256xf32> loc("mm3")
  %m4 = npu.matmul %m3, %w : (tensor<64x256xf32>, tensor<256x256xf32>) -> tensor<64x256xf32> loc("mm4")
  %m5 = npu.matmul %m4, %w : (tensor<64x256xf32>, tensor<256x256xf32>) -> tensor<64x256xf32> loc("mm5")
  %m6 = npu.matmul %m5, %w : (tensor<64x256xf32>, tensor<256x256xf32>) -> tensor<64x256xf32> loc("mm6")
  %m7 = npu.matmul %m6, %w : (tensor<64x256xf32>, tensor<256x256xf32>) -> tensor<64x256xf32> loc("mm7")
  return %m7 : tensor<64x256xf32>
}
