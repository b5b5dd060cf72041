// RUN: npu-opt %s --npu-set-system=system=mesh-2x2 \
// RUN:   --npu-partition=strategy=list | npu-opt | FileCheck %s
// RUN: npu-opt %s --npu-set-system=system=mesh-2x2 \
// RUN:   --npu-partition=strategy=list | npu-opt --npu-lower-to-isa \
// RUN:   --npu-schedule -o /dev/null
//
// The list strategy (D4, D5) on a diamond on mesh-2x2. Chip 0 is general,
// chip 1 dense, chip 2 lowp (no f32: never chosen) and chip 3 conv (no
// dense matrix unit: cannot run a matmul). Each branch multiplies the input
// [256 x 4096] by a [4096 x 16] input: one MAC tile of 4 + 256 + 16 + 4096 =
// 4372 cycles on chip 0 or chip 1 alike (no weights to load). The left
// branch goes to chip 0 (the first of the equally fast chips); the right one
// finishes at 8744 on chip 0 but at 4372 on chip 1, so it goes there. The
// join reads one 16 KiB branch over the 0-1 link: 16 + 16384 / 32 = 528
// cycles on each port plus 50 ns, against 4372 more cycles on one chip.

// CHECK-LABEL: npu.program @diamond_chip0 chip(0)
// CHECK-NEXT:    %[[X:.+]] = npu.input "x" : tensor<256x4096xf32>
// CHECK-NEXT:    %[[Y:.+]] = npu.input "y" : tensor<4096x16xf32>
// CHECK-NEXT:    %[[L:.+]] = npu.matmul %[[X]], %[[Y]]
// CHECK-NEXT:    npu.send %[[L]] to chip(1) channel(0) : tensor<256x16xf32>
// CHECK-NEXT:  }

// CHECK-LABEL: npu.program @diamond_chip1 chip(1)
// CHECK-NEXT:    %[[X1:.+]] = npu.input "x" : tensor<256x4096xf32>
// CHECK-NEXT:    %[[Z:.+]] = npu.input "z" : tensor<4096x16xf32>
// CHECK-NEXT:    %[[R:.+]] = npu.matmul %[[X1]], %[[Z]]
// CHECK-NEXT:    %[[L1:.+]] = npu.recv from chip(0) channel(0) : tensor<256x16xf32>
// CHECK-NEXT:    %[[J:.+]] = npu.add %[[L1]], %[[R]]
// CHECK-NEXT:    npu.output "out", %[[J]] : tensor<256x16xf32>
// CHECK-NEXT:  }
// CHECK-NOT:   npu.program

func.func @diamond(%x: tensor<256x4096xf32> {npu.name = "x"},
                   %y: tensor<4096x16xf32> {npu.name = "y"},
                   %z: tensor<4096x16xf32> {npu.name = "z"})
    -> (tensor<256x16xf32> {npu.name = "out"}) {
  %a = npu.matmul %x, %y : (tensor<256x4096xf32>, tensor<4096x16xf32>) -> tensor<256x16xf32>
  %b = npu.matmul %x, %z : (tensor<256x4096xf32>, tensor<4096x16xf32>) -> tensor<256x16xf32>
  %c = npu.add %a, %b : (tensor<256x16xf32>, tensor<256x16xf32>) -> tensor<256x16xf32>
  return %c : tensor<256x16xf32>
}
