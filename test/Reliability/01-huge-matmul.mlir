// Finding 01: huge shapes must be rejected by the fit check before any tile
// is emitted: in bounded time and memory, with no output file left behind.
// RUN: rm -f %t.out
// RUN: ulimit -v 1000000 && not npu-opt %s --split-input-file --npu-compile='system=single chip=0' -o %t.out 2>&1 | FileCheck %s --check-prefix=COMPILE
// RUN: not test -e %t.out
// RUN: ulimit -v 1000000 && not npu-opt %s --split-input-file --npu-set-system=system=single --npu-lower-to-isa -o %t.out 2>&1 | FileCheck %s --check-prefix=COMPILE
// RUN: not test -e %t.out
// RUN: ulimit -v 1000000 && not npu-opt %s --split-input-file --npu-set-system=system=single --npu-partition -o %t.out 2>&1 | FileCheck %s --check-prefix=PARTITION
// RUN: not test -e %t.out
// The ONNX model (117 bytes, a matmul of 2^40 rows) imports, then fails to
// compile.
// RUN: npu-translate --import-onnx %S/Inputs/01-matmul_2p40_rows.onnx -o %t.mlir
// RUN: ulimit -v 1000000 && not npu-opt %t.mlir --npu-compile=system=single -o %t.out 2>&1 | FileCheck %s --check-prefix=ONNX
// RUN: not test -e %t.out

// 2^62 rows: the tensor's size in bytes overflows 64 bits.
// COMPILE: error: 'npu.matmul' op has a tensor too large to address, 'tensor<4611686018427387904x1xf32>': its size in bytes overflows 64 bits
// PARTITION: error: 'npu.matmul' op cannot run on any chip of system 'single'
// PARTITION: note: chip 0 (npu0): has a tensor too large to address, 'tensor<4611686018427387904x1xf32>'
func.func @m(%a: tensor<4611686018427387904x1xf32> {npu.name = "a"}) -> (tensor<4611686018427387904x1xf32>) {
  %w = arith.constant dense<1.0> : tensor<1x1xf32>
  %y = npu.matmul %a, %w : (tensor<4611686018427387904x1xf32>, tensor<1x1xf32>) -> tensor<4611686018427387904x1xf32>
  return %y : tensor<4611686018427387904x1xf32>
}

// -----

// A 1 x 2^40 weight: its output alone overflows the chip's DRAM.
// COMPILE: error: 'func.func' op needs 4398046511168 bytes of DRAM to stage its inputs and outputs but chip 0 has 2147483648
// PARTITION: error: 'npu.matmul' op cannot run on any chip of system 'single'
func.func @m(%a: tensor<1x1xf32> {npu.name = "a"}) -> (tensor<1x1099511627776xf32>) {
  %w = arith.constant dense<1.0> : tensor<1x1099511627776xf32>
  %y = npu.matmul %a, %w : (tensor<1x1xf32>, tensor<1x1099511627776xf32>) -> tensor<1x1099511627776xf32>
  return %y : tensor<1x1099511627776xf32>
}

// -----

// A conv over 2^40 images.
// COMPILE: error: 'func.func' op needs 140737488355328 bytes of DRAM to stage its inputs and outputs but chip 0 has 2147483648
// PARTITION: error: 'npu.conv2d' op cannot run on any chip of system 'single'
func.func @m(%x: tensor<1099511627776x1x4x4xf32> {npu.name = "x"}) -> (tensor<1099511627776x1x4x4xf32>) {
  %w = arith.constant dense<0.5> : tensor<1x1x1x1xf32>
  %y = npu.conv2d %x, %w {} : (tensor<1099511627776x1x4x4xf32>, tensor<1x1x1x1xf32>) -> tensor<1099511627776x1x4x4xf32>
  return %y : tensor<1099511627776x1x4x4xf32>
}

// -----

// A tensor that fits DRAM but not SRAM: the lowering holds every tensor
// whole in SRAM, so it is rejected before tiling.
// COMPILE: error: 'npu.matmul' op operand 1 needs 16777216 bytes of SRAM for one 'tensor<4096x1024xf32>' but chip 0 has 8388608; the lowering holds each tensor whole in SRAM
func.func @m(%a: tensor<1x4096xf32> {npu.name = "a"}) -> (tensor<1x1024xf32>) {
  %w = arith.constant dense<1.0> : tensor<4096x1024xf32>
  %y = npu.matmul %a, %w : (tensor<1x4096xf32>, tensor<4096x1024xf32>) -> tensor<1x1024xf32>
  return %y : tensor<1x1024xf32>
}

// ONNX: error: 'func.func' op needs 17592186044416 bytes of DRAM to stage its inputs and outputs but chip 0 has 2147483648
