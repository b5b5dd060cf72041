"""Writes a deep MLP whose weights stream from DRAM while its state is small.

usage: deep_mlp.py DIR WIDTH LAYERS

DIR/model.mlir (npu dialect): LAYERS x (gemm WIDTH x WIDTH, relu) on a
1 x WIDTH input with seeded weights, and DIR/x.npy. A run spends its time
moving weights from DRAM, and its live state at a checkpoint boundary is one
activation plus weight tiles that can be copied again from DRAM: the case
where a checkpoint beats a restart (docs/serving.md, "Preemption").
"""

import os
import sys

import numpy as np


def dense(array):
    data = np.ascontiguousarray(array, dtype="<f4").tobytes().hex().upper()
    shape = "x".join(str(d) for d in array.shape)
    return f'dense<"0x{data}"> : tensor<{shape}xf32>'


def main():
    out, width, layers = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    rng = np.random.default_rng(3)
    t = f"tensor<1x{width}xf32>"
    lines = [f'func.func @deep(%x: {t} {{npu.name = "x"}}) -> ({t}) {{']
    current = "%x"
    for i in range(layers):
        w = rng.normal(0, 1 / np.sqrt(width), (width, width))
        lines.append(f"  %w{i} = arith.constant {dense(w)}")
        lines.append(f"  %g{i} = npu.gemm {current}, %w{i} : ({t}, "
                     f"tensor<{width}x{width}xf32>) -> {t}")
        lines.append(f"  %r{i} = npu.relu %g{i} : {t}")
        current = f"%r{i}"
    lines.append(f"  return {current} : {t}\n}}")
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "model.mlir"), "w") as f:
        f.write("\n".join(lines) + "\n")
    np.save(os.path.join(out, "x.npy"),
            rng.normal(0, 1, (1, width)).astype(np.float32))


if __name__ == "__main__":
    main()
