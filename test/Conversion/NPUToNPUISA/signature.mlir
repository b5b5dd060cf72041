// RUN: npu-opt %s --npu-set-system=system=single --npu-lower-to-isa \
// RUN:   | FileCheck %s

// The function becomes the program and disappears; its arguments and
// results become `npu.inputs` / `npu.outputs`, named by `npu.name` or
// "input<i>" / "output<i>". Inputs, then outputs, are staged in DRAM from
// offset 0 at 64-byte aligned offsets: x (24 bytes) at 0, input1 (4 bytes)
// at 64, output0 (24 bytes) at 128, "sum" (24 bytes) at 192. An argument
// returned as it is still goes host -> DRAM -> SRAM -> DRAM -> host.

// CHECK: module attributes {npu.inputs = [#npu.tensor<"x" : tensor<2x3xf32>>, #npu.tensor<"input1" : tensor<1xf32>>], npu.outputs = [#npu.tensor<"output0" : tensor<2x3xf32>>, #npu.tensor<"sum" : tensor<2x3xf32>>], npu.system = #system} {
// CHECK-NOT: func.func
// CHECK-NEXT: npuisa.program @model chip(0) {
// CHECK-NEXT: npuisa.load_input "x" offset(0) -> dram(0) bytes(24)
// CHECK-NEXT: npuisa.dma_in dram(0) -> sram([[X:[0-9]+]]) rows(1) row_bytes(24) strides[24, 24]
// CHECK: npuisa.load_input "input1" offset(0) -> dram(64) bytes(4)
// CHECK-NEXT: npuisa.dma_in dram(64) -> sram([[S:[0-9]+]]) rows(1) row_bytes(4) strides[4, 4]
// CHECK: npuisa.vector add a([[X]]) b([[S]]) b_bcast[1, 1] -> dst([[Y:[0-9]+]]) count(6)
// CHECK: npuisa.dma_out sram([[X]]) -> dram(128) rows(1) row_bytes(24) strides[24, 24]
// CHECK-NEXT: npuisa.store_output "output0" offset(0) from dram(128) bytes(24)
// CHECK: npuisa.dma_out sram([[Y]]) -> dram(192) rows(1) row_bytes(24) strides[24, 24]
// CHECK-NEXT: npuisa.store_output "sum" offset(0) from dram(192) bytes(24)
// CHECK-NEXT: npuisa.halt
// CHECK-NEXT: }
// CHECK-NEXT: }
func.func @model(%x: tensor<2x3xf32> {npu.name = "x"}, %s: tensor<1xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32> {npu.name = "sum"}) {
  %y = npu.add %x, %s : (tensor<2x3xf32>, tensor<1xf32>) -> tensor<2x3xf32>
  return %x, %y : tensor<2x3xf32>, tensor<2x3xf32>
}
