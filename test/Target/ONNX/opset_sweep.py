#!/usr/bin/env python3
"""Imports the same computation written for every opset 7-17
(gen_models.py sweepN), compiles it for `single`, runs it, and checks the
output against numpy (rtol 1e-4, atol 1e-5) and the budgets against the
measurements. Usage: opset_sweep.py NPU_TRANSLATE NPU_OPT NPU_RUN WORKDIR"""
import json
import os
import subprocess
import sys

import numpy as np

translate, opt, run, work = sys.argv[1:5]
here = os.path.dirname(os.path.abspath(__file__))
os.makedirs(work, exist_ok=True)
failures = 0
for version in range(7, 18):
    d = os.path.join(work, "opset%d" % version)
    os.makedirs(d, exist_ok=True)
    onnx_file, x, ref = (os.path.join(d, f) for f in
                         ("model.onnx", "x.npy", "ref.npy"))
    subprocess.run([sys.executable, os.path.join(here, "gen_models.py"),
                    "sweep%d" % version, onnx_file, x, ref], check=True)
    mlir, isa, npub = (os.path.join(d, f) for f in
                       ("model.mlir", "model.isa.mlir", "model.npub"))
    subprocess.run([translate, "--import-onnx", onnx_file, "-o", mlir],
                   check=True)
    subprocess.run([opt, mlir, "--npu-compile=system=single", "-o", isa],
                   check=True)
    subprocess.run([translate, "--npu-to-binary", isa, "-o", npub], check=True)
    report = os.path.join(d, "report.json")
    subprocess.run([run, npub, "--input", "x=" + x, "--output-dir",
                    os.path.join(d, "out"), "--check-budgets", "--report=json",
                    "--report-file", report], check=True,
                   stdout=subprocess.DEVNULL)
    got = np.load(os.path.join(d, "out", "y.npy"))
    want = np.load(ref)
    ok = got.shape == want.shape and np.allclose(got, want, rtol=1e-4,
                                                 atol=1e-5)
    budgets = json.load(open(report))["budgets_match"]
    err = float(np.abs(got - want).max()) if got.shape == want.shape else -1
    print("opset %d: %s (max abs error %.2e, budgets %s)" %
          (version, "ok" if ok else "MISMATCH", err,
           "equal" if budgets else "DIFFER"))
    failures += (not ok) or (not budgets)
sys.exit(1 if failures else 0)
