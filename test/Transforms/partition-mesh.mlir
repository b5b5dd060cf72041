// RUN: npu-opt %s --npu-set-system=system=mesh-4x4 --npu-partition \
// RUN:   --split-input-file | npu-opt --split-input-file | FileCheck %s
// The programs lower (every send and recv over a direct link) and schedule
// without deadlock:
// RUN: npu-opt %s --npu-set-system=system=mesh-4x4 --npu-partition \
// RUN:   --split-input-file | npu-opt --split-input-file --npu-lower-to-isa \
// RUN:   --npu-schedule -o /dev/null
//
// Mesh-aware transfers (M1) on mesh-4x4, where chip id = 4 y + x and links
// join only neighbours. A value between chips that are not neighbours goes
// over the dimension-ordered route (x first, then y), and every chip on the
// way relays it: an npu.recv from the previous chip and an npu.send to the
// next, each over a direct link, with a channel of its own per pair.

// Chip 0 at (0, 0) to chip 5 at (1, 1): 0 -> 1 -> 5, chip 1 relays.

// CHECK-LABEL: npu.program @relay_chip0 chip(0)
// CHECK-NEXT:    %[[X:.+]] = npu.input "x" : tensor<1x64xf32>
// CHECK-NEXT:    %[[A:.+]] = npu.relu %[[X]] : tensor<1x64xf32>
// CHECK-NEXT:    npu.send %[[A]] to chip(1) channel(0) : tensor<1x64xf32>
// CHECK-NEXT:  }
// CHECK-LABEL: npu.program @relay_chip1 chip(1)
// CHECK-NEXT:    %[[R:.+]] = npu.recv from chip(0) channel(0) : tensor<1x64xf32>
// CHECK-NEXT:    npu.send %[[R]] to chip(5) channel(0) : tensor<1x64xf32>
// CHECK-NEXT:  }
// CHECK-LABEL: npu.program @relay_chip5 chip(5)
// CHECK-NEXT:    %[[R5:.+]] = npu.recv from chip(1) channel(0) : tensor<1x64xf32>
// CHECK-NEXT:    %[[B:.+]] = npu.tanh %[[R5]] : tensor<1x64xf32>
// CHECK-NEXT:    npu.output "y", %[[B]] : tensor<1x64xf32>
// CHECK-NEXT:  }
// CHECK-NOT:   npu.program
func.func @relay(%x: tensor<1x64xf32> {npu.name = "x"}) -> (tensor<1x64xf32> {npu.name = "y"}) {
  %a = npu.relu %x {npu.place = 0} : tensor<1x64xf32>
  %b = npu.tanh %a {npu.place = 5} : tensor<1x64xf32>
  return %b : tensor<1x64xf32>
}

// -----

// Corner to corner, chip 0 to chip 15: 0 -> 1 -> 2 -> 3 -> 7 -> 11 -> 15.
// The result comes back to chip 0, which reads it too, over the reverse
// dimension-ordered route 15 -> 14 -> 13 -> 12 -> 8 -> 4 -> 0 (x first
// again): the two routes share no chip but the ends. Ten chips only relay.

// CHECK-LABEL: npu.program @corner_chip0 chip(0)
// CHECK:         npu.send %{{.+}} to chip(1) channel(0)
// CHECK:         npu.recv from chip(4) channel(0)
// CHECK:         npu.add
// CHECK-LABEL: npu.program @corner_chip1 chip(1)
// CHECK-NEXT:    %[[R1:.+]] = npu.recv from chip(0) channel(0)
// CHECK-NEXT:    npu.send %[[R1]] to chip(2) channel(0)
// CHECK-LABEL: npu.program @corner_chip2 chip(2)
// CHECK-NEXT:    %[[R2:.+]] = npu.recv from chip(1) channel(0)
// CHECK-NEXT:    npu.send %[[R2]] to chip(3) channel(0)
// CHECK-LABEL: npu.program @corner_chip3 chip(3)
// CHECK-NEXT:    %[[R3:.+]] = npu.recv from chip(2) channel(0)
// CHECK-NEXT:    npu.send %[[R3]] to chip(7) channel(0)
// CHECK-LABEL: npu.program @corner_chip4 chip(4)
// CHECK-NEXT:    %[[R4:.+]] = npu.recv from chip(8) channel(0)
// CHECK-NEXT:    npu.send %[[R4]] to chip(0) channel(0)
// CHECK-LABEL: npu.program @corner_chip7 chip(7)
// CHECK-NEXT:    %[[R7:.+]] = npu.recv from chip(3) channel(0)
// CHECK-NEXT:    npu.send %[[R7]] to chip(11) channel(0)
// CHECK-LABEL: npu.program @corner_chip8 chip(8)
// CHECK-NEXT:    %[[R8:.+]] = npu.recv from chip(12) channel(0)
// CHECK-NEXT:    npu.send %[[R8]] to chip(4) channel(0)
// CHECK-LABEL: npu.program @corner_chip11 chip(11)
// CHECK-NEXT:    %[[R11:.+]] = npu.recv from chip(7) channel(0)
// CHECK-NEXT:    npu.send %[[R11]] to chip(15) channel(0)
// CHECK-LABEL: npu.program @corner_chip12 chip(12)
// CHECK-NEXT:    %[[R12:.+]] = npu.recv from chip(13) channel(0)
// CHECK-NEXT:    npu.send %[[R12]] to chip(8) channel(0)
// CHECK-LABEL: npu.program @corner_chip13 chip(13)
// CHECK-NEXT:    %[[R13:.+]] = npu.recv from chip(14) channel(0)
// CHECK-NEXT:    npu.send %[[R13]] to chip(12) channel(0)
// CHECK-LABEL: npu.program @corner_chip14 chip(14)
// CHECK-NEXT:    %[[R14:.+]] = npu.recv from chip(15) channel(0)
// CHECK-NEXT:    npu.send %[[R14]] to chip(13) channel(0)
// CHECK-LABEL: npu.program @corner_chip15 chip(15)
// CHECK-NEXT:    %[[R15:.+]] = npu.recv from chip(11) channel(0)
// CHECK-NEXT:    %[[T:.+]] = npu.tanh %[[R15]]
// CHECK-NEXT:    npu.send %[[T]] to chip(14) channel(0)
// CHECK-NEXT:  }
func.func @corner(%x: tensor<1x64xf32> {npu.name = "x"}) -> (tensor<1x64xf32> {npu.name = "y"}) {
  %a = npu.relu %x {npu.place = 0} : tensor<1x64xf32>
  %b = npu.tanh %a {npu.place = 15} : tensor<1x64xf32>
  %c = npu.add %a, %b {npu.place = 0} : (tensor<1x64xf32>, tensor<1x64xf32>) -> tensor<1x64xf32>
  return %c : tensor<1x64xf32>
}
