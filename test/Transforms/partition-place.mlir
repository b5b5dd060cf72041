// RUN: split-file %s %t
// RUN: npu-opt %t/attr.mlir --npu-set-system=system=e1-package --npu-partition \
// RUN:   | npu-opt | FileCheck %t/attr.mlir
// RUN: npu-opt %t/file.mlir --npu-set-system=system=e1-package \
// RUN:   --npu-partition="placement=%t/place.json" | npu-opt | FileCheck %t/file.mlir
//
// User control: `npu.place = N` on an op, or a placement file mapping op
// location names (what the ONNX importer sets from node names) to chip ids,
// overrides the strategy for that op; the others are placed around it.
// Each matmul loads a 1 MiB weight: 24 + 1048576 / 64 = 16408 cycles on
// chip 0 (small), 8216 on chip 1 (big), while its 2 KiB result crosses the
// link in 16 + 32 cycles and 100 ns. Without overrides all three run on
// chip 1; with the middle one forced onto chip 0, the list strategy keeps
// the others on chip 1 (a pipeline would need two of them on chip 0).

//--- attr.mlir
// CHECK:       strategy = "list"
// CHECK-LABEL: npu.program @f_chip0 chip(0)
// CHECK-NEXT:    %[[W:.+]] = arith.constant
// CHECK-NEXT:    %[[R:.+]] = npu.recv from chip(1) channel(0)
// CHECK-NEXT:    %[[B:.+]] = npu.matmul %[[R]], %[[W]]
// CHECK-NOT:     npu.place
// CHECK-NEXT:    npu.send %[[B]] to chip(1) channel(0)
// CHECK-LABEL: npu.program @f_chip1 chip(1)
// CHECK-NEXT:    %[[X:.+]] = npu.input "x"
// CHECK-NEXT:    %[[W1:.+]] = arith.constant
// CHECK-NEXT:    %[[A:.+]] = npu.matmul %[[X]], %[[W1]]
// CHECK-NEXT:    npu.send %[[A]] to chip(0) channel(0)
// CHECK-NEXT:    %[[B1:.+]] = npu.recv from chip(0) channel(0)
// CHECK-NEXT:    %[[C:.+]] = npu.matmul %[[B1]], %[[W1]]
// CHECK-NEXT:    npu.output "y", %[[C]]
func.func @f(%x: tensor<1x512xf32> {npu.name = "x"}) -> (tensor<1x512xf32> {npu.name = "y"}) {
  %w = arith.constant dense<0.5> : tensor<512x512xf32>
  %a = npu.matmul %x, %w : (tensor<1x512xf32>, tensor<512x512xf32>) -> tensor<1x512xf32>
  %b = npu.matmul %a, %w {npu.place = 0} : (tensor<1x512xf32>, tensor<512x512xf32>) -> tensor<1x512xf32>
  %c = npu.matmul %b, %w : (tensor<1x512xf32>, tensor<512x512xf32>) -> tensor<1x512xf32>
  return %c : tensor<1x512xf32>
}

//--- place.json
{"first": 0, "third": 0}

//--- file.mlir
// CHECK-LABEL: npu.program @g_chip0 chip(0)
// CHECK-NEXT:    %[[X:.+]] = npu.input "x"
// CHECK-NEXT:    %[[W:.+]] = arith.constant
// CHECK-NEXT:    %[[A:.+]] = npu.matmul %[[X]], %[[W]]
// CHECK-NEXT:    npu.send %[[A]] to chip(1) channel(0)
// CHECK-NEXT:    %[[B:.+]] = npu.recv from chip(1) channel(0)
// CHECK-NEXT:    %[[C:.+]] = npu.matmul %[[B]], %[[W]]
// CHECK-NEXT:    npu.output "y", %[[C]]
// CHECK-LABEL: npu.program @g_chip1 chip(1)
// CHECK-NEXT:    %[[W1:.+]] = arith.constant
// CHECK-NEXT:    %[[R:.+]] = npu.recv from chip(0) channel(0)
// CHECK-NEXT:    %[[T:.+]] = npu.matmul %[[R]], %[[W1]]
// CHECK-NEXT:    npu.send %[[T]] to chip(0) channel(0)
func.func @g(%x: tensor<1x512xf32> {npu.name = "x"}) -> (tensor<1x512xf32> {npu.name = "y"}) {
  %w = arith.constant dense<0.5> : tensor<512x512xf32>
  %a = npu.matmul %x, %w : (tensor<1x512xf32>, tensor<512x512xf32>) -> tensor<1x512xf32> loc("first")
  %b = npu.matmul %a, %w : (tensor<1x512xf32>, tensor<512x512xf32>) -> tensor<1x512xf32> loc("second")
  %c = npu.matmul %b, %w : (tensor<1x512xf32>, tensor<512x512xf32>) -> tensor<1x512xf32> loc("third")
  return %c : tensor<1x512xf32>
}
