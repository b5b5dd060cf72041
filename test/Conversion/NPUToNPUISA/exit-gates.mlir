// RUN: npu-opt %s --npu-lower-to-isa | FileCheck %s
// RUN: npu-opt %s --npu-lower-to-isa --npu-schedule \
// RUN:   --npu-report-budgets=format=table -o /dev/null \
// RUN:   | FileCheck %s --check-prefix=BUDGETS
// RUN: npu-opt %s --npu-lower-to-isa | npu-translate --npu-to-binary -o %t.npub
// RUN: %python %npu_src_root/test/Tools/npu-run/Inputs/npu_run_util.py save %t.sure.npy f32 1,8 9 0 0 0 0 0 0 0
// RUN: %python %npu_src_root/test/Tools/npu-run/Inputs/npu_run_util.py save %t.mid.npy f32 1,8 0 0 0 0 9 0 0 0
// RUN: %python %npu_src_root/test/Tools/npu-run/Inputs/npu_run_util.py save %t.unsure.npy f32 1,8 1 1 1 1 1 1 1 1
// RUN: npu-run %t.npub --input x=%t.sure.npy --report --check-budgets | FileCheck %s --check-prefix=SURE
// RUN: npu-run %t.npub --input x=%t.mid.npy --report --check-budgets | FileCheck %s --check-prefix=MID
// RUN: npu-run %t.npub --input x=%t.unsure.npy --report --check-budgets | FileCheck %s --check-prefix=UNSURE

// npu.exit_gate in the lowering (E2, E5): an exit check on the logits
// whose exit path stores the answer (`answer`, here the softmax of the
// logits, else the logits) as the gate's output and halts. A gate without
// `escalate` continues on its chip; an escalating one wakes the target
// first (its wake-up overlaps the transfer) and then sends the features.
// The output the gates answer is the output chip 1 produces: one entry of
// the signature, staged by every program that stores it.

// Chip 0: exit 1 after the first layer (logits = x[0:4] via a slice-free
// gemm), exit 2 after the second; else chip 1 finishes.
#chip0 = #npu.chip<id = 0, name = "small", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 256, mac_cols = 256, vector_lanes = 256, sram_bytes = 4194304, dram_bytes = 1073741824, dram_bytes_per_cycle = 64, clock_mhz = 1000, power = <active_mw = 2500, idle_mw = 400, off_mw = 15, wake_cycles = 10000, wake_energy_nj = 20000>>
#chip1 = #npu.chip<id = 1, name = "big", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 512, mac_cols = 512, vector_lanes = 512, sram_bytes = 16777216, dram_bytes = 4294967296, dram_bytes_per_cycle = 128, clock_mhz = 1000, power = <active_mw = 12000, idle_mw = 1800, off_mw = 40, wake_cycles = 50000, wake_energy_nj = 400000>>
#system = #npu.system<name = "e1-package", topology = "switch", chips = [#chip0, #chip1], links = [<a = 0, b = 1, bandwidth_gbps = 64, latency_ns = 100>], host = <bandwidth_gbps = 16, latency_ns = 1000>>
module attributes {npu.system = #system} {
  npu.program @small chip(0) {
    %x = npu.input "x" : tensor<1x8xf32>
    // Head 1 reads x[0..3] (the identity on the first four features).
    %h1 = arith.constant dense<[[1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
                                [0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
                                [0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0],
                                [0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0]]> : tensor<4x8xf32>
    %l1 = npu.gemm %x, %h1 {trans_b = true}
        : (tensor<1x8xf32>, tensor<4x8xf32>) -> tensor<1x4xf32>
    %p1 = npu.softmax %l1 {axis = 1 : i64} : tensor<1x4xf32>
    npu.exit_gate %l1 answer(%p1 : tensor<1x4xf32>) measure(max_prob)
        threshold(0.99) output("probs") : tensor<1x4xf32>
    // Layer 2 swaps the halves: head 2 then reads x[4..7].
    %w2 = arith.constant dense<[[0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0],
                                [0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0],
                                [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0],
                                [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0],
                                [1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
                                [0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
                                [0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0],
                                [0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0]]> : tensor<8x8xf32>
    %f2 = npu.gemm %x, %w2 {trans_b = true}
        : (tensor<1x8xf32>, tensor<8x8xf32>) -> tensor<1x8xf32>
    %l2 = npu.gemm %f2, %h1 {trans_b = true}
        : (tensor<1x8xf32>, tensor<4x8xf32>) -> tensor<1x4xf32>
    %p2 = npu.softmax %l2 {axis = 1 : i64} : tensor<1x4xf32>
    npu.exit_gate %l2, %f2 answer(%p2 : tensor<1x4xf32>) measure(max_prob)
        threshold(0.99) output("probs") escalate chip(1) channel(0)
        : tensor<1x4xf32>, tensor<1x8xf32>
  }
  npu.program @big chip(1) {
    %f2 = npu.recv from chip(0) channel(0) : tensor<1x8xf32>
    %ones = arith.constant dense<0.5> : tensor<4x8xf32>
    %l = npu.gemm %f2, %ones {trans_b = true}
        : (tensor<1x8xf32>, tensor<4x8xf32>) -> tensor<1x4xf32>
    %p = npu.softmax %l {axis = 1 : i64} : tensor<1x4xf32>
    npu.output "probs", %p : tensor<1x4xf32>
  }
}

// CHECK-LABEL: module attributes {npu.inputs = [#npu.tensor<"x" : tensor<1x8xf32>>], npu.outputs = [#npu.tensor<"probs" : tensor<1x4xf32>>]
// CHECK-LABEL: npuisa.program @small chip(0)
// CHECK: npuisa.matmul
// The second layer's weights are not loaded before the first check.
// CHECK-NOT: dram(256)
// CHECK: npuisa.exit_check src([[L1:[0-9]+]]) classes(4) dtype(f32) measure(max_prob) threshold(9.900000e-01) {
// CHECK-NOT: halt
// CHECK: npuisa.dma_out sram([[A1:[0-9]+]]) -> dram(64) rows(1) row_bytes(16)
// CHECK-NEXT: npuisa.store_output "probs" offset(0) from dram(64) bytes(16)
// CHECK-NEXT: npuisa.halt
// CHECK-NEXT: }
// CHECK: npuisa.dma_in dram(256)
// CHECK: npuisa.exit_check src({{[0-9]+}}) classes(4) dtype(f32) measure(max_prob) threshold(9.900000e-01) {
// CHECK: npuisa.store_output "probs" offset(0) from dram(64) bytes(16)
// CHECK-NEXT: npuisa.halt
// CHECK-NEXT: }
// CHECK-NEXT: npuisa.escalate chip(1)
// CHECK: npuisa.send sram({{[0-9]+}}) bytes(32) to chip(1) channel(0)
// CHECK-NEXT: npuisa.halt
// CHECK-NEXT: }
// CHECK-LABEL: npuisa.program @big chip(1)
// CHECK: npuisa.recv sram({{[0-9]+}}) bytes(32) from chip(0) channel(0)
// CHECK: npuisa.store_output "probs" offset(0) from dram(0) bytes(16)

// Every path has a budget: two exits and the full (escalating) path on
// chip 0; chip 1 starts asleep.
// BUDGETS: 0 small exit 1
// BUDGETS-NEXT: 0 small exit 2
// BUDGETS-NEXT: 0 small full
// BUDGETS-NEXT: 1 big full

// x[0] = 9: head 1 is sure (softmax max 0.9996).
// SURE: probs: f32[1, 4] = [0.99963, 0.00012336414, 0.00012336414, 0.00012336414]
// SURE: chip 0 'small': program 'small', path 'exit 1'
// SURE: exit check 1 (instruction {{[0-9]+}}): confidence 0.9996{{[0-9]*}} >= threshold 0.99, took path 'exit 1'
// SURE: chip 1 'big': program 'big' did not run (started asleep, never woken)
// SURE: budgets: all equal to the measurements

// x[4] = 9: head 1 sees zeros (0.25), head 2 sees x[4..7] and is sure.
// MID: probs: f32[1, 4] = [0.99963, 0.00012336414, 0.00012336414, 0.00012336414]
// MID: chip 0 'small': program 'small', path 'exit 2'
// MID: exit check 1 (instruction {{[0-9]+}}): confidence 0.25 < threshold 0.99, continued
// MID: exit check 2 (instruction {{[0-9]+}}): confidence 0.9996{{[0-9]*}} >= threshold 0.99, took path 'exit 2'
// MID: chip 1 'big': program 'big' did not run
// MID: budgets: all equal to the measurements

// All ones: neither head is sure; chip 1 is woken and answers 0.25 each.
// UNSURE: probs: f32[1, 4] = [0.25, 0.25, 0.25, 0.25]
// UNSURE: chip 0 'small': program 'small', path 'full'
// UNSURE: chip 1 'big': program 'big', path 'full', start cycle {{[1-9][0-9]*}}, {{[0-9]+}} active cycles, 1000 ps/cycle, woken
// UNSURE: budgets: all equal to the measurements
