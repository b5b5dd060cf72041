// A small CNN (conv -> relu -> maxpool -> gemm) lowered for each chip of
// the e1-package and scheduled: the program verifies (the verifier checks
// every access against the chip and every wait against its signals) and
// every instruction gets a start cycle; the halt ends the program.
//
// RUN: npu-opt %s --npu-set-system=system=e1-package --npu-lower-to-isa=chip=0 \
// RUN:   --npu-schedule --npu-report-budgets=format=remarks 2>&1 \
// RUN:   | FileCheck %s --check-prefixes=CHECK,SMALL
// RUN: npu-opt %s --npu-set-system=system=e1-package --npu-lower-to-isa=chip=1 \
// RUN:   --npu-schedule --npu-report-budgets=format=remarks 2>&1 \
// RUN:   | FileCheck %s --check-prefixes=CHECK,BIG
//
// The same module always gives the same bytes:
// RUN: npu-opt %s --npu-set-system=system=e1-package --npu-lower-to-isa -o %t.1
// RUN: npu-opt %s --npu-set-system=system=e1-package --npu-lower-to-isa -o %t.2
// RUN: cmp %t.1 %t.2
//
// The shipped Fashion-MNIST model (batch norm, two conv stages, global
// pooling, gemm, softmax) lowers and schedules too:
// RUN: npu-opt %npu_src_root/test/models/fmnist-cnn.mlir \
// RUN:   --npu-set-system=system=e1-package --npu-lower-to-isa --npu-schedule \
// RUN:   | FileCheck %s --check-prefix=FMNIST

// The budget's cycles are the halt's finish.
// CHECK: remark: path 'full': start 0, cycles [[#CYCLES:]],
// CHECK-SAME: host_bytes 3176
// CHECK: module attributes {npu.inputs = [#npu.tensor<"image" : tensor<1x1x28x28xf32>>], npu.outputs = [#npu.tensor<"logits" : tensor<1x10xf32>>]
// SMALL: npuisa.program @cnn chip(0)
// BIG: npuisa.program @cnn chip(1)
// CHECK-NEXT: npuisa.load_input "image" offset(0) -> dram(0) bytes(3136) {npuisa.schedule = array<i64: 0, [[#]]>}
// 28-pixel rows: 9 per tile on the 256-row array, 18 on the 512-row one.
// SMALL-COUNT-4: npuisa.conv {{.*}} out_rows[{{[0-9]+}}, {{9|1}}] {{.*}} {npuisa.schedule
// BIG-COUNT-2: npuisa.conv {{.*}} out_rows[{{[0-9]+}}, {{18|10}}] {{.*}} {npuisa.schedule
// CHECK-NOT: npuisa.conv
// CHECK: npuisa.vector add {{.*}} b_bcast[8, 784] {{.*}} {npuisa.schedule
// CHECK: npuisa.vector relu {{.*}} {npuisa.schedule
// The gemm's weights (10x1568, transposed to 1568x10) load during the conv.
// CHECK: npuisa.dma_in dram({{[0-9]+}}) -> sram({{[0-9]+}}) rows(1) row_bytes(62720)
// CHECK: npuisa.pool max {{.*}} channels(8) in_hw[28, 28] out_hw[14, 14] {{.*}} {npuisa.schedule
// CHECK: npuisa.matmul {{.*}} m(1) k(1568) n(10) {{.*}} {npuisa.schedule
// CHECK: npuisa.vector add {{.*}} b_bcast[10, 1] {{.*}} {npuisa.schedule
// CHECK: npuisa.store_output "logits" offset(0) from dram({{[0-9]+}}) bytes(40) {npuisa.schedule
// CHECK-NEXT: npuisa.halt {npuisa.schedule = array<i64: [[#CYCLES - 1]], 1>}
func.func @cnn(%image: tensor<1x1x28x28xf32> {npu.name = "image"}) -> (tensor<1x10xf32> {npu.name = "logits"}) {
  %w = arith.constant dense<0.1> : tensor<8x1x3x3xf32>
  %b = arith.constant dense<0.01> : tensor<8xf32>
  %c = npu.conv2d %image, %w, %b {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x1x28x28xf32>, tensor<8x1x3x3xf32>, tensor<8xf32>) -> tensor<1x8x28x28xf32>
  %r = npu.relu %c : tensor<1x8x28x28xf32>
  %p = npu.max_pool2d %r {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x8x28x28xf32> -> tensor<1x8x14x14xf32>
  %f = npu.reshape %p : tensor<1x8x14x14xf32> -> tensor<1x1568xf32>
  %wf = arith.constant dense<0.001> : tensor<10x1568xf32>
  %bf = arith.constant dense<0.5> : tensor<10xf32>
  %y = npu.gemm %f, %wf, %bf {trans_b = true} : (tensor<1x1568xf32>, tensor<10x1568xf32>, tensor<10xf32>) -> tensor<1x10xf32>
  return %y : tensor<1x10xf32>
}

// FMNIST: npuisa.program @classify chip(0)
// FMNIST: npuisa.conv {{.*}} channels(1) in_hw[28, 28] out_channels(8)
// FMNIST: npuisa.vector mul {{.*}} b_bcast[8, 784]
// FMNIST: npuisa.conv {{.*}} channels(8) in_hw[14, 14] out_channels(16)
// FMNIST: npuisa.reduce mean {{.*}} shape[16, 49, 1]
// FMNIST: npuisa.matmul {{.*}} m(1) k(16) n(10)
// FMNIST: npuisa.vector div {{.*}} b_bcast[1, 10]
// FMNIST: npuisa.halt {npuisa.schedule
