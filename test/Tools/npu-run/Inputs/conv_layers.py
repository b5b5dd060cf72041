"""Writes a two-layer CNN whose convolutions are tiled over many output rows.

usage: conv_layers.py DIR [SIZE]

DIR/model.mlir (npu dialect, seeded weights, SIZE x SIZE images, default
40) and DIR/image.npy, for the checkpoint tests: on a small chip, each conv
runs as many row tiles, so that checkpoint boundaries fall inside a layer.
"""

import os
import sys

import numpy as np


def dense(array):
    data = np.ascontiguousarray(array, dtype="<f4").tobytes().hex().upper()
    shape = "x".join(str(d) for d in array.shape)
    return f'dense<"0x{data}"> : tensor<{shape}xf32>'


def main():
    out = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 40
    h = n // 2
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(14)
    w1 = rng.normal(0, 0.3, (8, 1, 3, 3)).astype(np.float32)
    b1 = rng.normal(0, 0.1, (8,)).astype(np.float32)
    w2 = rng.normal(0, 0.2, (8, 8, 3, 3)).astype(np.float32)
    b2 = rng.normal(0, 0.1, (8,)).astype(np.float32)
    w3 = rng.normal(0, 0.05, (8 * h * h, 10)).astype(np.float32)
    t = f"tensor<1x8x{n}x{n}xf32>"
    text = f"""func.func @convs(%image: tensor<1x1x{n}x{n}xf32> {{npu.name = "image"}}) -> (tensor<1x10xf32>) {{
  %w1 = arith.constant {dense(w1)}
  %b1 = arith.constant {dense(b1)}
  %c1 = npu.conv2d %image, %w1, %b1 {{pads = array<i64: 1, 1, 1, 1>}} : (tensor<1x1x{n}x{n}xf32>, tensor<8x1x3x3xf32>, tensor<8xf32>) -> {t}
  %r1 = npu.relu %c1 : {t}
  %w2 = arith.constant {dense(w2)}
  %b2 = arith.constant {dense(b2)}
  %c2 = npu.conv2d %r1, %w2, %b2 {{pads = array<i64: 1, 1, 1, 1>}} : ({t}, tensor<8x8x3x3xf32>, tensor<8xf32>) -> {t}
  %r2 = npu.relu %c2 : {t}
  %p = npu.max_pool2d %r2 {{kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>}} : {t} -> tensor<1x8x{h}x{h}xf32>
  %f = npu.reshape %p : tensor<1x8x{h}x{h}xf32> -> tensor<1x{8 * h * h}xf32>
  %w3 = arith.constant {dense(w3)}
  %y = npu.gemm %f, %w3 : (tensor<1x{8 * h * h}xf32>, tensor<{8 * h * h}x10xf32>) -> tensor<1x10xf32>
  return %y : tensor<1x10xf32>
}}
"""
    with open(os.path.join(out, "model.mlir"), "w") as f:
        f.write(text)
    np.save(os.path.join(out, "image.npy"),
            rng.normal(0, 1, (1, 1, n, n)).astype(np.float32))


if __name__ == "__main__":
    main()
