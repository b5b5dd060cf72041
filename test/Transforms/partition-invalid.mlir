// RUN: npu-opt %s --npu-set-system=system=e1-package --npu-partition \
// RUN:   -split-input-file -verify-diagnostics

// A model that cannot fit even spread over every chip: the op alone needs
// x (8 MiB) + w (16 MiB) + y (8 MiB) of SRAM; big, the roomiest chip, has
// 16 MiB, so 16 MiB more would make it fit.
func.func @too_big(%x: tensor<1024x2048xf32>) -> tensor<1024x2048xf32> {
  %w = arith.constant dense<1.0> : tensor<2048x2048xf32>
  // expected-error @below {{'npu.matmul' op does not fit system 'e1-package': it needs 33554432 bytes of SRAM and the roomiest chip that can run it, chip 1 (big), has 16777216; the model fits with 16777216 more bytes of SRAM per chip}}
  %y = npu.matmul %x, %w : (tensor<1024x2048xf32>, tensor<2048x2048xf32>) -> tensor<1024x2048xf32>
  return %y : tensor<1024x2048xf32>
}

// -----

// Several ops too big: the extra capacity is the largest shortfall, and the
// other ops get notes.
func.func @two_too_big(%x: tensor<3072x2048xf32>) -> tensor<3072x2048xf32> {
  %w = arith.constant dense<1.0> : tensor<2048x2048xf32>
  // expected-note @below {{this op needs 25165824 bytes of SRAM; chip 1 (big) has 16777216}}
  %a = npu.relu %x : tensor<3072x2048xf32>
  // expected-error @below {{it needs 67108864 bytes of SRAM and the roomiest chip that can run it, chip 1 (big), has 16777216; the model fits with 50331648 more bytes of SRAM per chip}}
  %y = npu.matmul %a, %w : (tensor<3072x2048xf32>, tensor<2048x2048xf32>) -> tensor<3072x2048xf32>
  return %y : tensor<3072x2048xf32>
}

// -----

func.func @no_such_chip(%x: tensor<1x64xf32>) -> tensor<1x64xf32> {
  // expected-error @below {{'npu.relu' op 'npu.place' names chip 7, which is not in system 'e1-package'}}
  %y = npu.relu %x {npu.place = 7} : tensor<1x64xf32>
  return %y : tensor<1x64xf32>
}

// -----

// Forced onto a chip whose SRAM is too small for it (small has 4 MiB).
func.func @place_too_small(%x: tensor<1024x512xf32>) -> tensor<1024x512xf32> {
  %w = arith.constant dense<1.0> : tensor<512x512xf32>
  // expected-error @below {{'npu.matmul' op is placed on chip 0 (small) by 'npu.place', which cannot run it: needs 5242880 bytes of SRAM (working set 5242880, plus 0 bytes of other live tensors) but the chip has 4194304}}
  %y = npu.matmul %x, %w {npu.place = 0} : (tensor<1024x512xf32>, tensor<512x512xf32>) -> tensor<1024x512xf32>
  return %y : tensor<1024x512xf32>
}

// -----

// An op no chip can lower (the lowering handles f32 only).
func.func @nowhere(%x: tensor<1x64xf32>) -> tensor<1x64xi8> {
  // expected-error @below {{'npu.quantize' op cannot run on any chip of system 'e1-package'}}
  // expected-note @below {{chip 0 (small): is not lowered yet: the lowering handles only f32}}
  // expected-note @below {{chip 1 (big): is not lowered yet: the lowering handles only f32}}
  %y = npu.quantize %x {scale = 0.5 : f32, zero_point = 0 : i64} : tensor<1x64xf32> -> tensor<1x64xi8>
  return %y : tensor<1x64xi8>
}

// -----

// expected-error @below {{'npu.place' must be a chip id (a non-negative i64)}}
func.func @negative(%x: tensor<1x64xf32>) -> tensor<1x64xf32> attributes {npu.place = -1} {
  return %x : tensor<1x64xf32>
}

// -----

// expected-error @below {{'npu.partition' may only be attached to a module}}
func.func @not_a_module(%x: tensor<1x64xf32>) -> tensor<1x64xf32> attributes {npu.partition = {strategy = "list"}} {
  return %x : tensor<1x64xf32>
}
