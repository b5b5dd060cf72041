// RUN: npu-opt %s --convert-tosa-to-npu --split-input-file | FileCheck %s

// TOSA samples input coordinate (o * scale_d + offset) / scale_n. Bilinear
// maps to the npu coordinate mode with the same positions; defaults
// (half_pixel, round_prefer_floor) are not printed.

// Half-pixel: scale 2 as 4/2, offset (d - n) / 2 = -1.
// CHECK-LABEL: func.func @bilinear_half_pixel
// CHECK: %[[T:.+]] = npu.transpose %{{.+}} {perm = array<i64: 0, 3, 1, 2>} : tensor<1x4x5x2xf32> -> tensor<1x2x4x5xf32>
// CHECK: %[[R:.+]] = npu.resize %[[T]] {mode = #npu.resize_mode<linear>} : tensor<1x2x4x5xf32> -> tensor<1x2x8x10xf32>
// CHECK: npu.transpose %[[R]] {perm = array<i64: 0, 2, 3, 1>} : tensor<1x2x8x10xf32> -> tensor<1x8x10x2xf32>
func.func @bilinear_half_pixel(%x: tensor<1x4x5x2xf32>) -> tensor<1x8x10x2xf32> {
  %scale = tosa.const_shape {values = dense<[4, 2, 4, 2]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %offset = tosa.const_shape {values = dense<-1> : tensor<2xindex>} : () -> !tosa.shape<2>
  %border = tosa.const_shape {values = dense<1> : tensor<2xindex>} : () -> !tosa.shape<2>
  %y = tosa.resize %x, %scale, %offset, %border {mode = BILINEAR} : (tensor<1x4x5x2xf32>, !tosa.shape<4>, !tosa.shape<2>, !tosa.shape<2>) -> tensor<1x8x10x2xf32>
  return %y : tensor<1x8x10x2xf32>
}

// -----

// Asymmetric: offset 0, scale out/in.
// CHECK-LABEL: func.func @bilinear_asymmetric
// CHECK: npu.resize %{{.+}} {coordinate_mode = #npu.coordinate_mode<asymmetric>, mode = #npu.resize_mode<linear>} : tensor<1x2x4x5xf32> -> tensor<1x2x12x15xf32>
func.func @bilinear_asymmetric(%x: tensor<1x4x5x2xf32>) -> tensor<1x12x15x2xf32> {
  %scale = tosa.const_shape {values = dense<[3, 1, 3, 1]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %offset = tosa.const_shape {values = dense<0> : tensor<2xindex>} : () -> !tosa.shape<2>
  %border = tosa.const_shape {values = dense<2> : tensor<2xindex>} : () -> !tosa.shape<2>
  %y = tosa.resize %x, %scale, %offset, %border {mode = BILINEAR} : (tensor<1x4x5x2xf32>, !tosa.shape<4>, !tosa.shape<2>, !tosa.shape<2>) -> tensor<1x12x15x2xf32>
  return %y : tensor<1x12x15x2xf32>
}

// -----

// Align corners: offset 0, scale (out - 1) / (in - 1).
// CHECK-LABEL: func.func @bilinear_align_corners
// CHECK: npu.resize %{{.+}} {coordinate_mode = #npu.coordinate_mode<align_corners>, mode = #npu.resize_mode<linear>} : tensor<1x2x4x5xf32> -> tensor<1x2x7x9xf32>
func.func @bilinear_align_corners(%x: tensor<1x4x5x2xf32>) -> tensor<1x7x9x2xf32> {
  %scale = tosa.const_shape {values = dense<[6, 3, 8, 4]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %offset = tosa.const_shape {values = dense<0> : tensor<2xindex>} : () -> !tosa.shape<2>
  %border = tosa.const_shape {values = dense<0> : tensor<2xindex>} : () -> !tosa.shape<2>
  %y = tosa.resize %x, %scale, %offset, %border {mode = BILINEAR} : (tensor<1x4x5x2xf32>, !tosa.shape<4>, !tosa.shape<2>, !tosa.shape<2>) -> tensor<1x7x9x2xf32>
  return %y : tensor<1x7x9x2xf32>
}

// -----

// Nearest: TOSA rounds half up (round_prefer_ceil); the npu mode is chosen
// so that every output row and column reads the same input index.
// CHECK-LABEL: func.func @nearest_asymmetric
// CHECK: npu.resize %{{.+}} {coordinate_mode = #npu.coordinate_mode<asymmetric>, nearest_mode = #npu.nearest_mode<round_prefer_ceil>} : tensor<1x2x4x5xf32> -> tensor<1x2x8x10xf32>
func.func @nearest_asymmetric(%x: tensor<1x4x5x2xf32>) -> tensor<1x8x10x2xf32> {
  %scale = tosa.const_shape {values = dense<[2, 1, 2, 1]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %offset = tosa.const_shape {values = dense<0> : tensor<2xindex>} : () -> !tosa.shape<2>
  %border = tosa.const_shape {values = dense<1> : tensor<2xindex>} : () -> !tosa.shape<2>
  %y = tosa.resize %x, %scale, %offset, %border {mode = NEAREST_NEIGHBOR} : (tensor<1x4x5x2xf32>, !tosa.shape<4>, !tosa.shape<2>, !tosa.shape<2>) -> tensor<1x8x10x2xf32>
  return %y : tensor<1x8x10x2xf32>
}

// -----

// Nearest with half-pixel positions s = (o * 2 - 1) / 4 = o / 2 - 1 / 4.
// CHECK-LABEL: func.func @nearest_half_pixel
// CHECK: npu.resize %{{.+}} {nearest_mode = #npu.nearest_mode<round_prefer_ceil>} : tensor<1x2x4x5xf32> -> tensor<1x2x8x10xf32>
func.func @nearest_half_pixel(%x: tensor<1x4x5x2xf32>) -> tensor<1x8x10x2xf32> {
  %scale = tosa.const_shape {values = dense<[4, 2, 4, 2]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %offset = tosa.const_shape {values = dense<-1> : tensor<2xindex>} : () -> !tosa.shape<2>
  %border = tosa.const_shape {values = dense<1> : tensor<2xindex>} : () -> !tosa.shape<2>
  %y = tosa.resize %x, %scale, %offset, %border {mode = NEAREST_NEIGHBOR} : (tensor<1x4x5x2xf32>, !tosa.shape<4>, !tosa.shape<2>, !tosa.shape<2>) -> tensor<1x8x10x2xf32>
  return %y : tensor<1x8x10x2xf32>
}

// -----

// Nearest with positions no npu mode has, s = (o - 1) / 2, but the same
// indices as half_pixel rounded half up: floor(o / 2).
// CHECK-LABEL: func.func @nearest_same_indices
// CHECK: npu.resize %{{.+}} {nearest_mode = #npu.nearest_mode<round_prefer_ceil>} : tensor<1x2x4x5xf32> -> tensor<1x2x8x10xf32>
func.func @nearest_same_indices(%x: tensor<1x4x5x2xf32>) -> tensor<1x8x10x2xf32> {
  %scale = tosa.const_shape {values = dense<[2, 1, 2, 1]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %offset = tosa.const_shape {values = dense<-1> : tensor<2xindex>} : () -> !tosa.shape<2>
  %border = tosa.const_shape {values = dense<0> : tensor<2xindex>} : () -> !tosa.shape<2>
  %y = tosa.resize %x, %scale, %offset, %border {mode = NEAREST_NEIGHBOR} : (tensor<1x4x5x2xf32>, !tosa.shape<4>, !tosa.shape<2>, !tosa.shape<2>) -> tensor<1x8x10x2xf32>
  return %y : tensor<1x8x10x2xf32>
}
