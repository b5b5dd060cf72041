// RUN: npu-opt %s | FileCheck %s
// RUN: npu-opt %s --mlir-print-op-generic | npu-opt | FileCheck %s

// The same classifier split for the e1-package (E1, E2): chip 0 (256x256)
// runs the first stage and a small exit head; when the head's confidence is
// below 0.9 it escalates, sending its features to chip 1 (512x512), which
// runs the rest. The system is written inline because programs are verified
// against it as soon as they are parsed.
#chip0 = #npu.chip<id = 0, name = "small", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 256, mac_cols = 256, vector_lanes = 256, sram_bytes = 4194304, dram_bytes = 1073741824, dram_bytes_per_cycle = 64, clock_mhz = 1000, power = <active_mw = 2500, idle_mw = 400, off_mw = 15, wake_cycles = 10000, wake_energy_nj = 20000>>
#chip1 = #npu.chip<id = 1, name = "big", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 512, mac_cols = 512, vector_lanes = 512, sram_bytes = 16777216, dram_bytes = 4294967296, dram_bytes_per_cycle = 128, clock_mhz = 1000, power = <active_mw = 12000, idle_mw = 1800, off_mw = 40, wake_cycles = 50000, wake_energy_nj = 400000>>
#system = #npu.system<name = "e1-package", topology = "switch", chips = [#chip0, #chip1], links = [<a = 0, b = 1, bandwidth_gbps = 64, latency_ns = 100>], host = <bandwidth_gbps = 16, latency_ns = 1000>>
module attributes {npu.system = #system} {
  npu.program @small chip(0) {
    %image = npu.input "image" : tensor<1x1x28x28xf32>
    %w1 = arith.constant dense<0.1> : tensor<8x1x3x3xf32>
    %c1 = npu.conv2d %image, %w1 {pads = array<i64: 1, 1, 1, 1>}
        : (tensor<1x1x28x28xf32>, tensor<8x1x3x3xf32>) -> tensor<1x8x28x28xf32>
    %r1 = npu.relu %c1 : tensor<1x8x28x28xf32>
    %p1 = npu.max_pool2d %r1 {kernel = array<i64: 2, 2>,
                              strides = array<i64: 2, 2>}
        : tensor<1x8x28x28xf32> -> tensor<1x8x14x14xf32>
    // Exit head: global pooling + linear.
    %g = npu.global_avg_pool %p1 : tensor<1x8x14x14xf32> -> tensor<1x8x1x1xf32>
    %f = npu.reshape %g : tensor<1x8x1x1xf32> -> tensor<1x8xf32>
    %wh = arith.constant dense<0.02> : tensor<10x8xf32>
    %logits = npu.gemm %f, %wh {trans_b = true}
        : (tensor<1x8xf32>, tensor<10x8xf32>) -> tensor<1x10xf32>
    npu.exit_gate %logits, %p1 measure(max_prob) threshold(0.9)
        output("class") escalate chip(1) channel(0)
        : tensor<1x10xf32>, tensor<1x8x14x14xf32>
  }
  npu.program @big chip(1) {
    %p1 = npu.recv from chip(0) channel(0) : tensor<1x8x14x14xf32>
    %w2 = arith.constant dense<0.05> : tensor<16x8x3x3xf32>
    %c2 = npu.conv2d %p1, %w2 {pads = array<i64: 1, 1, 1, 1>}
        : (tensor<1x8x14x14xf32>, tensor<16x8x3x3xf32>) -> tensor<1x16x14x14xf32>
    %r2 = npu.relu %c2 : tensor<1x16x14x14xf32>
    %p2 = npu.max_pool2d %r2 {kernel = array<i64: 2, 2>,
                              strides = array<i64: 2, 2>}
        : tensor<1x16x14x14xf32> -> tensor<1x16x7x7xf32>
    %g = npu.global_avg_pool %p2 : tensor<1x16x7x7xf32> -> tensor<1x16x1x1xf32>
    %f = npu.reshape %g : tensor<1x16x1x1xf32> -> tensor<1x16xf32>
    %wfc = arith.constant dense<0.01> : tensor<10x16xf32>
    %logits = npu.gemm %f, %wfc {trans_b = true}
        : (tensor<1x16xf32>, tensor<10x16xf32>) -> tensor<1x10xf32>
    npu.output "class", %logits : tensor<1x10xf32>
  }
}

// CHECK-LABEL: npu.program @small chip(0)
// CHECK: %[[P1:.*]] = npu.max_pool2d
// CHECK: %[[LOGITS:.*]] = npu.gemm
// CHECK: npu.exit_gate %[[LOGITS]], %[[P1]] measure(max_prob) threshold(0.899999976) output("class") escalate chip(1) channel(0)
// CHECK-LABEL: npu.program @big chip(1)
// CHECK: npu.recv from chip(0) channel(0) : tensor<1x8x14x14xf32>
// CHECK: npu.output "class", %{{.*}} : tensor<1x10xf32>
