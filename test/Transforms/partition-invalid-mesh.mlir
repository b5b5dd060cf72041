// RUN: npu-opt %s --npu-set-system=system=mesh-2x2 --npu-partition \
// RUN:   -split-input-file -verify-diagnostics

// Incompatible placements are never chosen, and forcing one is an error:
// chip 3 of mesh-2x2 is a conv engine without a dense matrix unit, chip 2
// is low-precision (no f32).
func.func @incompatible(%x: tensor<1x64xf32>) -> tensor<1x64xf32> {
  %w = arith.constant dense<1.0> : tensor<64x64xf32>
  // expected-error @below {{'npu.gemm' op is placed on chip 3 (npu3) by 'npu.place', which cannot run it: needs the 'dense' capability, which the chip lacks}}
  %y = npu.gemm %x, %w {npu.place = 3} : (tensor<1x64xf32>, tensor<64x64xf32>) -> tensor<1x64xf32>
  // expected-error @below {{'npu.relu' op is placed on chip 2 (npu2) by 'npu.place', which cannot run it: is f32, which the chip does not support}}
  %z = npu.relu %y {npu.place = 2} : tensor<1x64xf32>
  return %z : tensor<1x64xf32>
}
