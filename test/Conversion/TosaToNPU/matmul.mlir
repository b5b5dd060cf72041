// RUN: npu-opt %s --convert-tosa-to-npu | FileCheck %s

// matmul: [N, H, C] x [N, C, W] is numpy's batched matmul; the zero points
// are read and dropped.
// CHECK-LABEL: func.func @matmul
// CHECK-SAME: (%[[A:.+]]: tensor<2x3x4xf32>)
// CHECK: %[[B:.+]] = arith.constant dense<1.000000e+00> : tensor<2x4x5xf32>
// CHECK: %[[Y:.+]] = npu.matmul %[[A]], %[[B]] : (tensor<2x3x4xf32>, tensor<2x4x5xf32>) -> tensor<2x3x5xf32>
// CHECK: return %[[Y]]
// CHECK-NOT: arith.constant
func.func @matmul(%a: tensor<2x3x4xf32>) -> tensor<2x3x5xf32> {
  %b = "tosa.const"() <{values = dense<1.0> : tensor<2x4x5xf32>}> : () -> tensor<2x4x5xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %y = tosa.matmul %a, %b, %zp, %zp : (tensor<2x3x4xf32>, tensor<2x4x5xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<2x3x5xf32>
  return %y : tensor<2x3x5xf32>
}
