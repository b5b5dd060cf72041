// Diagnostics that depend on the target: the chip must exist, carry an
// npu.system, and have the units and the f32 support the model needs.
//
// RUN: not npu-opt %s --npu-lower-to-isa 2>&1 \
// RUN:   | FileCheck %s --check-prefix=NOSYS
// RUN: not npu-opt %s --npu-set-system=system=single \
// RUN:   --npu-lower-to-isa=chip=7 2>&1 | FileCheck %s --check-prefix=CHIP
// RUN: not npu-opt %s --npu-set-system=system=mesh-2x2 \
// RUN:   --npu-lower-to-isa=chip=1 2>&1 | FileCheck %s --check-prefix=NOCONV
// RUN: not npu-opt %s --npu-set-system=system=mesh-2x2 \
// RUN:   --npu-lower-to-isa=chip=2 2>&1 | FileCheck %s --check-prefix=NOF32
// RUN: not npu-opt %s --npu-set-system=system=mesh-2x2 \
// RUN:   --npu-lower-to-isa=chip=3 2>&1 | FileCheck %s --check-prefix=NODENSE
// RUN: npu-opt %s --npu-set-system=system=mesh-2x2 --npu-lower-to-isa=chip=0 \
// RUN:   | FileCheck %s --check-prefix=GENERAL

// NOSYS: error: npu-lower-to-isa needs the module's 'npu.system' (run --npu-set-system first)
// CHIP: error: chip 7 is not in system 'single'
// Chip 1 of mesh-2x2 is a dense chip: matmul and vector unit, no conv.
// NOCONV: error: 'npu.conv2d' op needs the 'conv' capability, which chip 1 (npu1) lacks
// NOCONV-NOT: error
// Chip 2 is low-precision: no f32.
// NOF32: error: 'func.func' op is f32, which chip 2 (npu2) does not support
// Chip 3 is a conv engine: no dense matmul.
// NODENSE: error: 'npu.matmul' op needs the 'dense' capability, which chip 3 (npu3) lacks
// NODENSE-NOT: error
// GENERAL: npuisa.program @model chip(0)
// GENERAL: npuisa.conv
// GENERAL: npuisa.matmul
func.func @model(%x: tensor<1x2x4x4xf32>, %a: tensor<4x8xf32>, %b: tensor<8x2xf32>) -> (tensor<1x2x4x4xf32>, tensor<4x2xf32>) {
  %w = arith.constant dense<1.0> : tensor<2x2x1x1xf32>
  %y = npu.conv2d %x, %w : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %z = npu.matmul %a, %b : (tensor<4x8xf32>, tensor<8x2xf32>) -> tensor<4x2xf32>
  return %y, %z : tensor<1x2x4x4xf32>, tensor<4x2xf32>
}
