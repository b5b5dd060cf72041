// RUN: npu-opt %s -split-input-file --npu-set-system=system=single \
// RUN:   --npu-lower-to-isa | FileCheck %s

// SRAM allocation (a buffer lives from the first to the last instruction
// that references it; freed space is reused, best fit), the weight prefetch
// (the weights of op i+1 are loaded before op i computes) and the tokens
// that keep engines apart.

// Three 1x1 convs in a chain, on the mac engine, with their weights on
// dma_in. Stream: input, W1, W2 (prefetched), conv1, W3 (prefetched),
// conv2, conv3.
//  - conv1 waits only for W1 (token after W1), so W2 loads while conv1 runs;
//    conv2 waits for W2.
//  - The input dies with conv1; W3 is placed at its offset, so its dma_in
//    first waits for conv1 (write after read on another engine).
//  - conv2's output takes the rest of the input's space; conv3's output
//    reuses W2's offset, dead after conv2.
// CHECK-LABEL: npuisa.program @chain
// CHECK-NEXT: npuisa.load_input "input0" offset(0) -> dram(0) bytes(1024)
// CHECK-NEXT: npuisa.dma_in dram(0) -> sram([[#X:]]) rows(1) row_bytes(1024)
// CHECK-NEXT: npuisa.dma_in dram([[#D1:]]) -> sram([[#W1:]]) rows(1) row_bytes(64)
// CHECK-NEXT: npuisa.signal token([[#T1:]]) on(dma_in)
// CHECK-NEXT: npuisa.dma_in dram([[#D2:]]) -> sram([[#W2:]]) rows(1) row_bytes(64)
// CHECK-NEXT: npuisa.signal token([[#T2:]]) on(dma_in)
// CHECK-NEXT: npuisa.wait token([[#T1]]) on(mac)
// CHECK-NEXT: npuisa.conv input([[#X]]) weight([[#W1]]) output([[#A:]])
// CHECK-NEXT: npuisa.signal token([[#T3:]]) on(mac)
// CHECK-NEXT: npuisa.wait token([[#T3]]) on(dma_in)
// CHECK-NEXT: npuisa.dma_in dram([[#D3:]]) -> sram([[#X]]) rows(1) row_bytes(64)
// CHECK-NEXT: npuisa.signal token([[#T4:]]) on(dma_in)
// CHECK-NEXT: npuisa.wait token([[#T2]]) on(mac)
// CHECK-NEXT: npuisa.conv input([[#A]]) weight([[#W2]]) output([[#X + 64]])
// CHECK-NEXT: npuisa.wait token([[#T4]]) on(mac)
// CHECK-NEXT: npuisa.conv input([[#X + 64]]) weight([[#X]]) output([[#W2]])
// CHECK-NEXT: npuisa.signal token([[#T5:]]) on(mac)
// CHECK-NEXT: npuisa.wait token([[#T5]]) on(dma_out)
// CHECK-NEXT: npuisa.dma_out sram([[#W2]])
// CHECK-NEXT: npuisa.store_output "output0"
// CHECK-NEXT: npuisa.halt
func.func @chain(%x: tensor<1x4x8x8xf32>) -> tensor<1x4x8x8xf32> {
  %w1 = arith.constant dense<1.0> : tensor<4x4x1x1xf32>
  %w2 = arith.constant dense<2.0> : tensor<4x4x1x1xf32>
  %w3 = arith.constant dense<3.0> : tensor<4x4x1x1xf32>
  %a = npu.conv2d %x, %w1 : (tensor<1x4x8x8xf32>, tensor<4x4x1x1xf32>) -> tensor<1x4x8x8xf32>
  %b = npu.conv2d %a, %w2 : (tensor<1x4x8x8xf32>, tensor<4x4x1x1xf32>) -> tensor<1x4x8x8xf32>
  %c = npu.conv2d %b, %w3 : (tensor<1x4x8x8xf32>, tensor<4x4x1x1xf32>) -> tensor<1x4x8x8xf32>
  return %c : tensor<1x4x8x8xf32>
}

// -----

// A reshape aliases the buffer: %y lives on through %r until the add, so the
// second matmul's result (allocated while %y is live) must not take it.
// CHECK-LABEL: npuisa.program @alias
// CHECK: npuisa.matmul a({{[0-9]+}}) b({{[0-9]+}}) c([[Y:[0-9]+]])
// CHECK-NOT: c([[Y]])
// CHECK: npuisa.matmul a({{[0-9]+}}) b({{[0-9]+}}) c([[T:[0-9]+]])
// CHECK: npuisa.vector add a([[Y]]) b([[T]]) b_bcast[32, 1] -> dst([[Y]]) count(32)
// CHECK: npuisa.dma_out sram([[Y]])
func.func @alias(%a: tensor<4x8xf32>, %b: tensor<8x8xf32>, %c: tensor<8x8xf32>) -> tensor<32xf32> {
  %y = npu.matmul %a, %b : (tensor<4x8xf32>, tensor<8x8xf32>) -> tensor<4x8xf32>
  %r = npu.reshape %y : tensor<4x8xf32> -> tensor<32xf32>
  %t = npu.matmul %a, %c : (tensor<4x8xf32>, tensor<8x8xf32>) -> tensor<4x8xf32>
  %tr = npu.reshape %t : tensor<4x8xf32> -> tensor<32xf32>
  %o = npu.add %r, %tr : (tensor<32xf32>, tensor<32xf32>) -> tensor<32xf32>
  return %o : tensor<32xf32>
}

// -----

// 3 MiB input and two 3 MiB constants on the 8 MiB chip: prefetching the
// second constant during the first op would need 9 MiB, so that load is
// issued after the first op instead, into the first constant's space (6 MiB
// at any time).
// CHECK-LABEL: npuisa.program @no_room_to_prefetch
// CHECK: npuisa.dma_in dram(0) -> sram(0) rows(1) row_bytes(3145728)
// CHECK-NEXT: npuisa.dma_in dram([[#C1:]]) -> sram([[#B:]]) rows(1) row_bytes(3145728)
// CHECK-NEXT: npuisa.signal token([[#]]) on(dma_in)
// CHECK-NEXT: npuisa.wait token([[#]]) on(vector)
// CHECK-NEXT: npuisa.vector mul a(0) b([[#B]]) b_bcast[786432, 1] -> dst(0) count(786432)
// CHECK-NEXT: npuisa.signal token([[#TV:]]) on(vector)
// CHECK-NEXT: npuisa.wait token([[#TV]]) on(dma_in)
// CHECK-NEXT: npuisa.dma_in dram([[#C1 + 3145728]]) -> sram([[#B]]) rows(1) row_bytes(3145728)
// CHECK-NEXT: npuisa.signal token([[#]]) on(dma_in)
// CHECK-NEXT: npuisa.wait token([[#]]) on(vector)
// CHECK-NEXT: npuisa.vector add a(0) b([[#B]]) b_bcast[786432, 1] -> dst(0) count(786432)
func.func @no_room_to_prefetch(%x: tensor<768x1024xf32>) -> tensor<768x1024xf32> {
  %c1 = arith.constant dense<1.0> : tensor<768x1024xf32>
  %c2 = arith.constant dense<2.0> : tensor<768x1024xf32>
  %y = npu.mul %x, %c1 : (tensor<768x1024xf32>, tensor<768x1024xf32>) -> tensor<768x1024xf32>
  %z = npu.add %y, %c2 : (tensor<768x1024xf32>, tensor<768x1024xf32>) -> tensor<768x1024xf32>
  return %z : tensor<768x1024xf32>
}

// -----

// The same program with room to spare (1.5 MiB constants): the second
// constant is prefetched before the first op computes, into its own space.
// CHECK-LABEL: npuisa.program @room_to_prefetch
// CHECK: npuisa.dma_in dram(0) -> sram(0)
// CHECK-NEXT: npuisa.dma_in dram([[#C1:]]) -> sram([[#B1:]])
// CHECK-NEXT: npuisa.signal token([[#]]) on(dma_in)
// CHECK-NEXT: npuisa.dma_in dram([[#C1 + 1572864]]) -> sram([[#B1 + 1572864]])
// CHECK: npuisa.vector mul
// CHECK-NOT: npuisa.dma_in
// CHECK: npuisa.vector add a(0) b([[#B1 + 1572864]])
func.func @room_to_prefetch(%x: tensor<384x1024xf32>) -> tensor<384x1024xf32> {
  %c1 = arith.constant dense<1.0> : tensor<384x1024xf32>
  %c2 = arith.constant dense<2.0> : tensor<384x1024xf32>
  %y = npu.mul %x, %c1 : (tensor<384x1024xf32>, tensor<384x1024xf32>) -> tensor<384x1024xf32>
  %z = npu.add %y, %c2 : (tensor<384x1024xf32>, tensor<384x1024xf32>) -> tensor<384x1024xf32>
  return %z : tensor<384x1024xf32>
}

// -----

// A tensor read by two later ops keeps its buffer until the second; only
// then may an op write in place over it.
// CHECK-LABEL: npuisa.program @in_place_last_use
// CHECK: npuisa.dma_in dram(0) -> sram([[IN:[0-9]+]])
// CHECK: npuisa.vector relu a([[IN]]) -> dst([[R:[0-9]+]]) count(8)
// CHECK-NOT: dst([[IN]])
// CHECK: npuisa.vector sigmoid a([[IN]]) -> dst([[IN]]) count(8)
// CHECK: npuisa.vector add a([[R]]) b([[IN]]) b_bcast[8, 1] -> dst([[R]]) count(8)
func.func @in_place_last_use(%x: tensor<8xf32>) -> tensor<8xf32> {
  %r = npu.relu %x : tensor<8xf32>
  %s = npu.sigmoid %x : tensor<8xf32>
  %y = npu.add %r, %s : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  return %y : tensor<8xf32>
}
