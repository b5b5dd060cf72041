// Finding 07: the chip path of a mesh is the chips sorted in snake order,
// not a walk over every position of the grid: a one-chip 65536 x 65536 mesh
// (2^32 positions) and a mesh of extents 2^63 - 1 (whose product overflows)
// partition at once.
// RUN: ulimit -v 1000000 && npu-opt %s --npu-set-system=system=%S/Inputs/07-mesh_64k.json --npu-partition | FileCheck %s
// RUN: ulimit -v 1000000 && npu-opt %s --npu-set-system=system=%S/Inputs/07-mesh_i64max_dims.json --npu-partition | FileCheck %s

// CHECK: npu.program @{{.*}} chip(0)
// CHECK: npu.relu
func.func @m(%x: tensor<4xf32> {npu.name = "x"}) -> tensor<4xf32> {
  %y = npu.relu %x : tensor<4xf32>
  return %y : tensor<4xf32>
}
