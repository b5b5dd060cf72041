#!/usr/bin/python3
#===- check_fmnist.py - Run the Fashion-MNIST models on the npu toolchain -===#
#
#   check_fmnist.py WORKDIR [--models DIR] [--npu-translate P] [--npu-opt P]
#                   [--npu-run P] [--system SPEC] [--atol A]
#
# For each model of tools/scripts/train-fmnist.py (fmnist-cnn.onnx,
# fmnist-branchy.onnx in DIR, default this script's directory):
#   1. npu-translate --import-onnx, npu-opt --npu-compile="SPEC" (default
#      "system=e1-package chip=0"), npu-translate --npu-to-binary;
#   2. runs each of the 20 saved test images (check-images.npy, uint8; the
#      input is image / 255 as float32 [1,1,28,28]) through
#      npu-run --input image=... --output-dir ... --check-budgets;
#   3. compares every output with what torch computed when the model was
#      trained (<model>.expected.npy, float32 [outputs,20,10], outputs in the
#      graph's order): max abs error <= A (default 1e-4) and the same
#      predicted class for every image;
#   4. also evaluates the .onnx graph itself with a small numpy interpreter
#      and compares it with torch's outputs the same way, so a stale
#      expected.npy is told apart from a wrong compilation.
#
# Needs python3, numpy and onnx (no torch). Prints one line per output:
#   PASS|FAIL <model> <output>: npu max abs err E (onnx-numpy E2),
#       classes N/20 as torch, M/20 correct
# and exits 1 if any line is FAIL or a tool fails.
#
#===----------------------------------------------------------------------===#
import argparse
import os
import subprocess
import sys

import numpy as np
import onnx
from onnx import numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
BIN = os.path.join(HERE, "..", "..", "..", "build", "bin")
MODELS = ("fmnist-cnn", "fmnist-branchy")


# --- A numpy reference for the few operators the models use. ---------------

def conv(x, w, b, attrs):
    pads = attrs.get("pads", [0, 0, 0, 0])
    strides = attrs.get("strides", [1, 1])
    if attrs.get("group", 1) != 1 or any(d != 1 for d in
                                         attrs.get("dilations", [1, 1])):
        raise NotImplementedError("Conv with groups or dilations")
    x = np.pad(x, ((0, 0), (0, 0), (pads[0], pads[2]), (pads[1], pads[3])))
    n, c, h, wd = x.shape
    m, _, kh, kw = w.shape
    oh, ow = (h - kh) // strides[0] + 1, (wd - kw) // strides[1] + 1
    cols = np.empty((n, c, kh, kw, oh, ow), np.float64)
    for i in range(kh):
        for j in range(kw):
            cols[:, :, i, j] = x[:, :, i:i + strides[0] * oh:strides[0],
                                 j:j + strides[1] * ow:strides[1]]
    y = np.einsum("nckluv,mckl->nmuv", cols, w.astype(np.float64))
    return y + (0 if b is None else b.reshape(1, -1, 1, 1))


def max_pool(x, attrs):
    (kh, kw), (sh, sw) = attrs["kernel_shape"], attrs.get("strides", [1, 1])
    if any(attrs.get("pads", [0])) or attrs.get("ceil_mode", 0):
        raise NotImplementedError("MaxPool with pads or ceil_mode")
    n, c, h, w = x.shape
    oh, ow = (h - kh) // sh + 1, (w - kw) // sw + 1
    return np.max([x[:, :, i:i + sh * oh:sh, j:j + sw * ow:sw]
                   for i in range(kh) for j in range(kw)], axis=0)


def softmax(x, axis):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def run_onnx(model, feeds):
    """Evaluates `model` in float64 on `feeds` (name -> array)."""
    env = {t.name: numpy_helper.to_array(t).astype(np.float64)
           for t in model.graph.initializer}
    env.update(feeds)
    for node in model.graph.node:
        a = {at.name: onnx.helper.get_attribute_value(at)
             for at in node.attribute}
        ins = [env[i] if i else None for i in node.input]
        op = node.op_type
        if op == "Conv":
            y = conv(ins[0], ins[1], ins[2] if len(ins) > 2 else None, a)
        elif op == "Relu":
            y = np.maximum(ins[0], 0)
        elif op == "MaxPool":
            y = max_pool(ins[0], a)
        elif op == "GlobalAveragePool":
            y = ins[0].mean(axis=(2, 3), keepdims=True)
        elif op == "Flatten":
            ax = a.get("axis", 1)
            y = ins[0].reshape(int(np.prod(ins[0].shape[:ax])), -1)
        elif op == "Gemm":
            if a.get("transA", 0):
                raise NotImplementedError("Gemm with transA")
            bm = ins[1].T if a.get("transB", 0) else ins[1]
            y = a.get("alpha", 1.0) * ins[0] @ bm
            if len(ins) > 2:
                y = y + a.get("beta", 1.0) * ins[2]
        elif op == "Softmax":
            y = softmax(ins[0], a.get("axis", -1))
        else:
            raise NotImplementedError(f"operator {op} ({node.name})")
        env[node.output[0]] = y
    return {o.name: env[o.name] for o in model.graph.output}


# --- The check. --------------------------------------------------------------

def run(cmd):
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True)
    if r.returncode != 0:
        sys.exit(f"check_fmnist.py: {' '.join(cmd)} failed "
                 f"(status {r.returncode}):\n{r.stderr}")
    return r.stdout


def check_model(name, args, images, labels):
    onnx_path = os.path.join(args.models, name + ".onnx")
    model = onnx.load(onnx_path)
    outputs = [o.name for o in model.graph.output]
    expected = np.load(os.path.join(args.models, name + ".expected.npy"))
    if expected.shape != (len(outputs), len(images), 10):
        sys.exit(f"check_fmnist.py: {name}.expected.npy has shape "
                 f"{expected.shape}, expected "
                 f"{(len(outputs), len(images), 10)}")

    work = os.path.join(args.workdir, name)
    os.makedirs(work, exist_ok=True)
    mlir = os.path.join(work, "model.mlir")
    compiled = os.path.join(work, "compiled.mlir")
    npub = os.path.join(work, "model.npub")
    run([args.npu_translate, "--import-onnx", onnx_path, "-o", mlir])
    run([args.npu_opt, mlir, f"--npu-compile={args.system}", "-o", compiled])
    run([args.npu_translate, "--npu-to-binary", compiled, "-o", npub])

    inputs = images.astype(np.float32)[:, None, None] / np.float32(255)
    got = np.empty_like(expected)
    for i, x in enumerate(inputs):
        x_path = os.path.join(work, f"image{i}.npy")
        np.save(x_path, x)
        out_dir = os.path.join(work, f"out{i}")
        run([args.npu_run, npub, "--input", f"image={x_path}",
             "--output-dir", out_dir, "--check-budgets"])
        for k, o in enumerate(outputs):
            got[k, i] = np.load(os.path.join(out_dir, o + ".npy")).reshape(10)

    ref = run_onnx(model, {"image": inputs[:, 0].astype(np.float64)})
    ok = True
    for k, o in enumerate(outputs):
        err = float(np.abs(got[k] - expected[k]).max())
        ref_err = float(np.abs(ref[o] - expected[k]).max())
        same = int((got[k].argmax(1) == expected[k].argmax(1)).sum())
        correct = int((got[k].argmax(1) == labels).sum())
        passed = (err <= args.atol and ref_err <= args.atol
                  and same == len(images))
        ok &= passed
        print(f"{'PASS' if passed else 'FAIL'} {name} {o}: npu max abs err "
              f"{err:.3g} (onnx-numpy {ref_err:.3g}), classes "
              f"{same}/{len(images)} as torch, {correct}/{len(images)} "
              f"correct")
    return ok


def main():
    ap = argparse.ArgumentParser(
        description="Run the Fashion-MNIST models on the npu toolchain and "
                    "compare with torch's saved outputs.")
    ap.add_argument("workdir")
    ap.add_argument("--models", default=HERE)
    ap.add_argument("--npu-translate",
                    default=os.path.join(BIN, "npu-translate"))
    ap.add_argument("--npu-opt", default=os.path.join(BIN, "npu-opt"))
    ap.add_argument("--npu-run", default=os.path.join(BIN, "npu-run"))
    ap.add_argument("--system", default="system=e1-package chip=0")
    ap.add_argument("--atol", type=float, default=1e-4)
    args = ap.parse_args()

    images = np.load(os.path.join(args.models, "check-images.npy"))
    labels = np.load(os.path.join(args.models, "check-labels.npy"))
    ok = True
    for name in MODELS:
        ok &= check_model(name, args, images, labels)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
