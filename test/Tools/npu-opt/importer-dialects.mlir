// npu-opt parses what framework importers emit (TOSA from TF/TFLite and
// torch-mlir, linalg on tensors), next to npu ops, so their output can be
// fed to npu passes without another tool.
// RUN: npu-opt %s | FileCheck %s
// RUN: npu-opt %s --canonicalize --cse | FileCheck %s --check-prefix=CANON

// CHECK-LABEL: func.func @tosa_graph
// CHECK: %[[T:.*]] = tosa.tanh %{{.*}} : (tensor<1x16xf32>) -> tensor<1x16xf32>
// CHECK: %[[A:.*]] = tosa.add %[[T]], %{{.*}} : (tensor<1x16xf32>, tensor<1x16xf32>) -> tensor<1x16xf32>
// CHECK: npu.relu %[[A]] : tensor<1x16xf32>
func.func @tosa_graph(%x: tensor<1x16xf32>, %y: tensor<1x16xf32>) -> tensor<1x16xf32> {
  %t = tosa.tanh %x : (tensor<1x16xf32>) -> tensor<1x16xf32>
  %a = tosa.add %t, %y : (tensor<1x16xf32>, tensor<1x16xf32>) -> tensor<1x16xf32>
  %r = npu.relu %a : tensor<1x16xf32>
  return %r : tensor<1x16xf32>
}

// CHECK-LABEL: func.func @linalg_graph
// CHECK: %[[E:.*]] = tensor.empty() : tensor<4x8xf32>
// CHECK: %[[Z:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%[[E]] : tensor<4x8xf32>)
// CHECK: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<4x16xf32>, tensor<16x8xf32>) outs(%[[Z]] : tensor<4x8xf32>)
func.func @linalg_graph(%a: tensor<4x16xf32>, %b: tensor<16x8xf32>) -> tensor<4x8xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x8xf32>
  %z = linalg.fill ins(%zero : f32) outs(%e : tensor<4x8xf32>) -> tensor<4x8xf32>
  %m = linalg.matmul ins(%a, %b : tensor<4x16xf32>, tensor<16x8xf32>)
                     outs(%z : tensor<4x8xf32>) -> tensor<4x8xf32>
  return %m : tensor<4x8xf32>
}

// Canonicalization removes an unused npu op (they are Pure) but keeps the
// used ones.
// CANON-LABEL: func.func @dead_code
// CANON-NOT: npu.sigmoid
// CANON: %[[R:.*]] = npu.relu
// CANON: return %[[R]]
func.func @dead_code(%x: tensor<8xf32>) -> tensor<8xf32> {
  %unused = npu.sigmoid %x : tensor<8xf32>
  %r = npu.relu %x : tensor<8xf32>
  return %r : tensor<8xf32>
}
