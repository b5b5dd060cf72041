// Finding 02: 2^31 rows used to tile for 20 s and 5 GB before the DRAM
// check; now the fit check comes first. The partitioner's cost model lowers
// each op on a chip with ample memory, where the instruction bound stops it.
// RUN: rm -f %t.out
// RUN: ulimit -v 1000000 && not npu-opt %s --split-input-file --npu-compile='system=single chip=0' -o %t.out 2>&1 | FileCheck %s --check-prefix=COMPILE
// RUN: not test -e %t.out
// RUN: ulimit -v 1000000 && not npu-opt %s --split-input-file --npu-set-system=system=single --npu-partition -o %t.out 2>&1 | FileCheck %s --check-prefix=PARTITION
// RUN: not test -e %t.out

// COMPILE: error: 'func.func' op needs 34359738368 bytes of DRAM to stage its inputs and outputs but chip 0 has 2147483648
// PARTITION: error: 'npu.matmul' op cannot run on any chip of system 'single'
// PARTITION: note: chip 0 (npu0): would emit 8388608 matmul tiles on chip 0 (a 256x256 MAC array) but a program holds at most 4194304 instructions
func.func @m(%a: tensor<2147483648x2xf32> {npu.name = "a"}) -> (tensor<2147483648x2xf32>) {
  %w = arith.constant dense<1.0> : tensor<2x2xf32>
  %y = npu.matmul %a, %w : (tensor<2147483648x2xf32>, tensor<2x2xf32>) -> tensor<2147483648x2xf32>
  return %y : tensor<2147483648x2xf32>
}

// -----

// COMPILE: error: 'func.func' op needs 17179869184 bytes of DRAM to stage its inputs and outputs but chip 0 has 2147483648
// PARTITION: error: 'npu.conv2d' op cannot run on any chip of system 'single'
// PARTITION: note: chip 0 (npu0): would emit 8388608 conv tiles on chip 0 (a 256x256 MAC array) but a program holds at most 4194304 instructions
func.func @m(%x: tensor<1x1x2147483648x1xf32> {npu.name = "x"}) -> (tensor<1x1x2147483648x1xf32>) {
  %w = arith.constant dense<0.5> : tensor<1x1x1x1xf32>
  %y = npu.conv2d %x, %w {} : (tensor<1x1x2147483648x1xf32>, tensor<1x1x1x1xf32>) -> tensor<1x1x2147483648x1xf32>
  return %y : tensor<1x1x2147483648x1xf32>
}
