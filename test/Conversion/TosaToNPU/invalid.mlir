// RUN: npu-opt %s --convert-tosa-to-npu --split-input-file --verify-diagnostics

// Every op that cannot convert is reported, each naming itself; nothing is
// converted.
func.func @several(%x: tensor<1x4x4x2xf32>, %i: tensor<4xi32>, %d: tensor<?x4xf32>, %h: tensor<4xf16>)
    -> (tensor<1x4x4x2xf32>, tensor<4xi32>, tensor<?x4xf32>, tensor<4xf16>, tensor<1x4x4x2xf32>) {
  // expected-error @+1 {{tosa.erf: has no exact npu equivalent}}
  %e = tosa.erf %x : (tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32>
  // expected-error @+1 {{tosa.add: element type i32 is not supported (only f32)}}
  %a = tosa.add %i, %i : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  // expected-error @+1 {{tosa.sigmoid: dynamic shapes are not supported}}
  %s = tosa.sigmoid %d : (tensor<?x4xf32>) -> tensor<?x4xf32>
  // expected-error @+1 {{tosa.exp: element type f16 is not supported (only f32)}}
  %h2 = tosa.exp %h : (tensor<4xf16>) -> tensor<4xf16>
  // expected-error @+1 {{tosa.maximum: nan_mode IGNORE is not supported (npu propagates NaN)}}
  %m = tosa.maximum %e, %x {nan_mode = IGNORE} : (tensor<1x4x4x2xf32>, tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32>
  return %m, %a, %s, %h2, %x : tensor<1x4x4x2xf32>, tensor<4xi32>, tensor<?x4xf32>, tensor<4xf16>, tensor<1x4x4x2xf32>
}

// -----

// Ops with no npu counterpart.
func.func @no_equivalent(%x: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<1x3xf32>, tensor<2x3xf32>) {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  // expected-error @+1 {{tosa.negate: has no npu equivalent}}
  %n = tosa.negate %x, %zp, %zp : (tensor<2x3xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<2x3xf32>
  // expected-error @+1 {{tosa.reduce_min: has no npu equivalent}}
  %r = tosa.reduce_min %x {axis = 0 : i32} : (tensor<2x3xf32>) -> tensor<1x3xf32>
  // expected-error @+1 {{tosa.abs: has no npu equivalent}}
  %a = tosa.abs %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %n, %r, %a : tensor<2x3xf32>, tensor<1x3xf32>, tensor<2x3xf32>
}

// -----

// Zero points that are not constants (TOSA's verifier checks constant ones)
// and a cast to another type.
func.func @parameters(%x: tensor<1x4x4x2xf32>, %a: tensor<1x2x3xf32>, %zp: tensor<1xf32>) -> (tensor<1x4x4x1xf32>, tensor<1x2x2xf32>, tensor<1x4x4x2xf32>, tensor<1x4x4x2xi32>) {
  %w = "tosa.const"() <{values = dense<1.0> : tensor<1x1x1x2xf32>}> : () -> tensor<1x1x1x2xf32>
  %b = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %zero = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  // expected-error @+1 {{tosa.conv2d: weight zero point is not a constant}}
  %c = tosa.conv2d %x, %w, %b, %zero, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x2xf32>, tensor<1x1x1x2xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x1xf32>
  %m = "tosa.const"() <{values = dense<1.0> : tensor<1x3x2xf32>}> : () -> tensor<1x3x2xf32>
  // expected-error @+1 {{tosa.matmul: a zero point is not a constant}}
  %mm = tosa.matmul %a, %m, %zp, %zero : (tensor<1x2x3xf32>, tensor<1x3x2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x2xf32>
  // expected-error @+1 {{tosa.avg_pool2d: output zero point is not a constant}}
  %p = tosa.avg_pool2d %x, %zero, %zp {acc_type = f32, kernel = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x2xf32>
  // expected-error @+1 {{tosa.cast: only the f32 to f32 cast is supported, got f32 to i32}}
  %i = tosa.cast %x : (tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xi32>
  return %c, %mm, %p, %i : tensor<1x4x4x1xf32>, tensor<1x2x2xf32>, tensor<1x4x4x2xf32>, tensor<1x4x4x2xi32>
}

// -----

// NaN modes npu cannot reproduce.
func.func @nan_modes(%x: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<1x3xf32>) {
  // expected-error @+1 {{tosa.clamp: nan_mode IGNORE is not supported (npu propagates NaN)}}
  %c = tosa.clamp %x {min_val = 0.0 : f32, max_val = 1.0 : f32, nan_mode = IGNORE} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  // expected-error @+1 {{tosa.minimum: nan_mode IGNORE is not supported (npu propagates NaN)}}
  %m = tosa.minimum %x, %x {nan_mode = IGNORE} : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  // expected-error @+1 {{tosa.reduce_max: nan_mode IGNORE is not supported (npu propagates NaN)}}
  %r = tosa.reduce_max %x {axis = 0 : i32, nan_mode = IGNORE} : (tensor<2x3xf32>) -> tensor<1x3xf32>
  return %c, %m, %r : tensor<2x3xf32>, tensor<2x3xf32>, tensor<1x3xf32>
}

// -----

// A resize whose nearest-neighbour indices no npu mode produces:
// s = (o + 1) / 2 rounded half up reads 1, 1, 2, 2, 3, ... .
func.func @resize_geometry(%x: tensor<1x4x4x1xf32>) -> tensor<1x7x7x1xf32> {
  %scale = tosa.const_shape {values = dense<[2, 1, 2, 1]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %offset = tosa.const_shape {values = dense<1> : tensor<2xindex>} : () -> !tosa.shape<2>
  %border = tosa.const_shape {values = dense<1> : tensor<2xindex>} : () -> !tosa.shape<2>
  // expected-error @+1 {{tosa.resize: nearest-neighbour indices with scale [2, 1, 2, 1] and offset [1, 1] match no npu coordinate and rounding mode}}
  %y = tosa.resize %x, %scale, %offset, %border {mode = NEAREST_NEIGHBOR} : (tensor<1x4x4x1xf32>, !tosa.shape<4>, !tosa.shape<2>, !tosa.shape<2>) -> tensor<1x7x7x1xf32>
  return %y : tensor<1x7x7x1xf32>
}

// -----

// Bilinear positions no npu coordinate mode has.
func.func @resize_bilinear(%x: tensor<1x4x4x1xf32>) -> tensor<1x7x7x1xf32> {
  %scale = tosa.const_shape {values = dense<[2, 1, 2, 1]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %offset = tosa.const_shape {values = dense<1> : tensor<2xindex>} : () -> !tosa.shape<2>
  %border = tosa.const_shape {values = dense<1> : tensor<2xindex>} : () -> !tosa.shape<2>
  // expected-error @+1 {{tosa.resize: bilinear sampling with scale [2, 1, 2, 1] and offset [1, 1] matches no npu coordinate mode}}
  %y = tosa.resize %x, %scale, %offset, %border {mode = BILINEAR} : (tensor<1x4x4x1xf32>, !tosa.shape<4>, !tosa.shape<2>, !tosa.shape<2>) -> tensor<1x7x7x1xf32>
  return %y : tensor<1x7x7x1xf32>
}

// -----

// transpose_conv2d can grow the result only at the bottom and right, by
// less than the stride.
func.func @transpose_conv_out_pad(%x: tensor<1x2x2x1xf32>) -> (tensor<1x5x4x1xf32>, tensor<1x6x3x1xf32>) {
  %w = "tosa.const"() <{values = dense<1.0> : tensor<1x2x2x1xf32>}> : () -> tensor<1x2x2x1xf32>
  %b = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  // expected-error @+1 {{tosa.transpose_conv2d: out_pad [1, 0, 0, 0] grows the top or left, which npu cannot}}
  %a = tosa.transpose_conv2d %x, %w, %b, %zp, %zp {acc_type = f32, out_pad = array<i64: 1, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x2x2x1xf32>, tensor<1x2x2x1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x5x4x1xf32>
  // expected-error @+1 {{tosa.transpose_conv2d: out_pad [0, 2, 0, -1] grows the bottom or right by the stride [2, 2] or more, which npu cannot}}
  %c = tosa.transpose_conv2d %x, %w, %b, %zp, %zp {acc_type = f32, out_pad = array<i64: 0, 2, 0, -1>, stride = array<i64: 2, 2>} : (tensor<1x2x2x1xf32>, tensor<1x2x2x1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x6x3x1xf32>
  return %a, %c : tensor<1x5x4x1xf32>, tensor<1x6x3x1xf32>
}

// -----

// An integer constant that is data, not a multiply shift.
func.func @int_const() -> tensor<2xi32> {
  // expected-error @+1 {{tosa.const: element type i32 is not supported (only f32)}}
  %c = "tosa.const"() <{values = dense<[1, 2]> : tensor<2xi32>}> : () -> tensor<2xi32>
  return %c : tensor<2xi32>
}

// -----

// The multiply shift must be a constant 0 (TOSA's verifier rejects a
// non-zero constant one for f32).
func.func @mul_shift(%x: tensor<4xf32>, %shift: tensor<1xi8>) -> tensor<4xf32> {
  // expected-error @+1 {{tosa.mul: shift is not a constant}}
  %m = tosa.mul %x, %x, %shift : (tensor<4xf32>, tensor<4xf32>, tensor<1xi8>) -> tensor<4xf32>
  return %m : tensor<4xf32>
}

// -----

// A slice start that is computed, not a tosa.const_shape.
func.func @slice_start(%x: tensor<4x4xf32>) -> tensor<2x2xf32> {
  %a = tosa.const_shape {values = dense<[1, 1]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %start = tosa.add_shape %a, %a : (!tosa.shape<2>, !tosa.shape<2>) -> !tosa.shape<2>
  %size = tosa.const_shape {values = dense<[2, 2]> : tensor<2xindex>} : () -> !tosa.shape<2>
  // expected-error @+1 {{tosa.slice: start is not a tosa.const_shape}}
  %y = tosa.slice %x, %start, %size : (tensor<4x4xf32>, !tosa.shape<2>, !tosa.shape<2>) -> tensor<2x2xf32>
  return %y : tensor<2x2xf32>
}
