// RUN: npu-opt %s -split-input-file --npu-set-system=system=single \
// RUN:   --npu-lower-to-isa | FileCheck %s

// Tokens come from the byte ranges instructions touch: an instruction waits
// for the latest conflicting access (read after write, write after read,
// write after write) of every other engine, through a signal placed right
// after that access and a fresh token; not when its engine is already known
// to be past that point. Instructions on one engine need no token.

// Read after write across three engines, and a wait made unnecessary by an
// earlier one: dma_out first waits for the relu (vector), which itself
// waited for the matmul (mac), so storing the matmul's result next needs no
// wait of its own. Host -> DRAM -> SRAM of the inputs stays on dma_in with
// no token.
// CHECK-LABEL: npuisa.program @transitive
// CHECK-NEXT: npuisa.load_input "input0"
// CHECK-NEXT: npuisa.dma_in
// CHECK-NEXT: npuisa.load_input "input1"
// CHECK-NEXT: npuisa.dma_in
// CHECK-NEXT: npuisa.signal token(0) on(dma_in)
// CHECK-NEXT: npuisa.wait token(0) on(mac)
// CHECK-NEXT: npuisa.matmul a({{[0-9]+}}) b({{[0-9]+}}) c([[Y:[0-9]+]])
// CHECK-NEXT: npuisa.signal token(1) on(mac)
// CHECK-NEXT: npuisa.wait token(1) on(vector)
// CHECK-NEXT: npuisa.vector relu a([[Y]]) -> dst([[Z:[0-9]+]])
// CHECK-NEXT: npuisa.signal token(2) on(vector)
// CHECK-NEXT: npuisa.wait token(2) on(dma_out)
// CHECK-NEXT: npuisa.dma_out sram([[Z]])
// CHECK-NEXT: npuisa.store_output "output0"
// CHECK-NEXT: npuisa.dma_out sram([[Y]])
// CHECK-NEXT: npuisa.store_output "output1"
// CHECK-NEXT: npuisa.halt
func.func @transitive(%a: tensor<2x3xf32>, %b: tensor<3x2xf32>) -> (tensor<2x2xf32>, tensor<2x2xf32>) {
  %y = npu.matmul %a, %b : (tensor<2x3xf32>, tensor<3x2xf32>) -> tensor<2x2xf32>
  %z = npu.relu %y : tensor<2x2xf32>
  return %z, %y : tensor<2x2xf32>, tensor<2x2xf32>
}

// -----

// One load, two consumer engines: the conv (mac) waits for the weights, the
// bias add (vector) for the bias and for the conv; each wait has its own
// token and its own signal, in token order after the producer.
// CHECK-LABEL: npuisa.program @fan_out
// CHECK: npuisa.dma_in dram({{[0-9]+}}) -> sram({{[0-9]+}}) rows(1) row_bytes(16)
// CHECK-NEXT: npuisa.signal token(0) on(dma_in)
// CHECK-NEXT: npuisa.dma_in dram({{[0-9]+}}) -> sram({{[0-9]+}}) rows(1) row_bytes(4)
// CHECK-NEXT: npuisa.signal token(1) on(dma_in)
// CHECK-NEXT: npuisa.wait token(0) on(mac)
// CHECK-NEXT: npuisa.conv
// CHECK-NEXT: npuisa.signal token(2) on(mac)
// CHECK-NEXT: npuisa.wait token(1) on(vector)
// CHECK-NEXT: npuisa.wait token(2) on(vector)
// CHECK-NEXT: npuisa.vector add
func.func @fan_out(%x: tensor<1x4x2x2xf32>) -> tensor<1x1x2x2xf32> {
  %w = arith.constant dense<1.0> : tensor<1x4x1x1xf32>
  %b = arith.constant dense<0.5> : tensor<1xf32>
  %y = npu.conv2d %x, %w, %b : (tensor<1x4x2x2xf32>, tensor<1x4x1x1xf32>, tensor<1xf32>) -> tensor<1x1x2x2xf32>
  return %y : tensor<1x1x2x2xf32>
}

// -----

// Write after write: the result of a dead matmul is never read; the sigmoid
// that reuses its space (the only free one: the inputs stay live) must
// still wait until the mac has written it.
// CHECK-LABEL: npuisa.program @dead_write
// CHECK: npuisa.matmul a({{[0-9]+}}) b({{[0-9]+}}) c([[D:[0-9]+]])
// CHECK-NEXT: npuisa.signal token([[#T:]]) on(mac)
// CHECK: npuisa.wait token([[#T]]) on(vector)
// CHECK-NEXT: npuisa.vector sigmoid a({{[0-9]+}}) -> dst([[D]])
func.func @dead_write(%a: tensor<2x2xf32>, %b: tensor<2x2xf32>, %x: tensor<4xf32>) -> (tensor<2x2xf32>, tensor<2x2xf32>, tensor<4xf32>, tensor<4xf32>) {
  %dead = npu.matmul %a, %b : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  %s = npu.sigmoid %x : tensor<4xf32>
  return %a, %b, %x, %s : tensor<2x2xf32>, tensor<2x2xf32>, tensor<4xf32>, tensor<4xf32>
}
