#!/usr/bin/env python3
#===- conformance.py - ONNX's node tests through the whole npu flow -------===#
#
# Runs every case of ONNX's own conformance data (Debian's libonnx-testdata:
# <data>/node/<case>/model.onnx + test_data_set_0/{input,output}_N.pb) through
#   npu-translate --import-onnx  ->  npu-opt --npu-compile (single)
#   ->  npu-translate --npu-to-binary  ->  npu-run --check-budgets
# and compares every output with ONNX's expected one (|got - want| <=
# atol + rtol * |want|, rtol 1e-3, atol 1e-5, NaN equal to NaN).
#
# A case the flow rejects with a "not supported" diagnostic (an operator,
# attribute or dtype outside the supported set) is skipped with that reason;
# anything else that goes wrong is a failure. The last line is
# "N passed, N failed, N skipped". With --expected FILE the exit status is
# non-zero if a case listed there does not pass (cases passing but not
# listed are reported, so the list can be extended: --write-expected).
#
#===----------------------------------------------------------------------===#
import argparse
import concurrent.futures
import os
import re
import shutil
import subprocess
import sys

import numpy as np

try:
    import onnx
    from onnx import numpy_helper
except ImportError:  # pragma: no cover - install-deps.sh installs it
    sys.exit("conformance: python3-onnx is missing (apt-get install python3-onnx)")

RTOL = 1e-3
ATOL = 1e-5
STEP_TIMEOUT = 120

INTEGER_TYPES = {onnx.TensorProto.INT8, onnx.TensorProto.INT16,
                 onnx.TensorProto.INT32, onnx.TensorProto.INT64,
                 onnx.TensorProto.UINT8, onnx.TensorProto.UINT16,
                 onnx.TensorProto.UINT32, onnx.TensorProto.UINT64,
                 onnx.TensorProto.BOOL}
# "<what> (input N, 'name') must be a constant ... known at import"
NEEDS_CONSTANT = re.compile(r"\(input \d+, '([^']*)'\) must be a constant")

# Diagnostics that mean "outside what npu supports", not "wrong".
UNSUPPORTED = re.compile(r"not supported|is not lowered|not lowered yet|"
                         r"only [^:]* (is|are) supported|the chip computes in")


def first_error(text):
    """The first diagnostic message of a tool's stderr, without location."""
    for line in text.splitlines():
        m = re.search(r"error: (.*)", line)
        if m:
            return m.group(1).strip()
    lines = [l for l in text.splitlines() if l.strip()]
    return lines[0].strip() if lines else "no diagnostic"


def run(cmd):
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True, timeout=STEP_TIMEOUT)
        return p.returncode, p.stderr
    except subprocess.TimeoutExpired:
        return -1, "timed out after %d s" % STEP_TIMEOUT


def names_of(mlir_text, what):
    """npu.name of the function's arguments ('args') or results ('results')."""
    header = mlir_text[mlir_text.index("func.func"):]
    header = header[:header.index("{\n")]
    args, _, results = header.partition("->")
    part = args if what == "args" else results
    return re.findall(r'npu\.name = "((?:[^"\\]|\\.)*)"', part)


def compare(got, want):
    if got.shape != want.shape:
        return "shape %s, expected %s" % (list(got.shape), list(want.shape))
    if got.dtype != want.dtype:
        return "dtype %s, expected %s" % (got.dtype, want.dtype)
    g = got.astype(np.float64)
    w = want.astype(np.float64)
    both_nan = np.isnan(g) & np.isnan(w)
    err = np.abs(g - w)
    bad = ~both_nan & ~(err <= ATOL + RTOL * np.abs(w))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        return "%d of %d values differ (first at %d: %r, expected %r)" % (
            int(bad.sum()), g.size, i, g.flat[i], w.flat[i])
    return None


def run_case(case_dir, work, tools):
    """Returns (status, reason): status is PASS, FAIL or SKIP."""
    name = os.path.basename(case_dir)
    out = os.path.join(work, name)
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    model = os.path.join(case_dir, "model.onnx")
    data = os.path.join(case_dir, "test_data_set_0")
    mlir = os.path.join(out, "model.mlir")
    isa = os.path.join(out, "model.isa.mlir")
    npub = os.path.join(out, "model.npub")

    # The graph's runtime inputs in order: input_<i>.pb belongs to the i-th.
    graph = onnx.load(model, load_external_data=False).graph
    initializers = {t.name for t in graph.initializer}
    inputs = [i for i in graph.input if i.name not in initializers]
    data_of = {i.name: os.path.join(data, "input_%d.pb" % k)
               for k, i in enumerate(inputs)}
    # Parameters the node tests pass as inputs (a shape, axes, pads, clip
    # bounds, ...) are bound to their test values as constants: integer
    # inputs always (the chip computes in float32), float ones when the
    # importer says it needs them at compile time.
    frozen = [i.name for i in inputs
              if i.type.HasField("tensor_type") and
              i.type.tensor_type.elem_type in INTEGER_TYPES]
    for _ in range(len(inputs) + 1):
        cmd = [tools["npu-translate"], "--import-onnx", model, "-o", mlir]
        cmd += ["--onnx-constant-input=%s=%s" % (n, data_of[n]) for n in frozen]
        rc, err = run(cmd)
        if rc == 0:
            break
        need = [n for n in re.findall(NEEDS_CONSTANT, err)
                if n in data_of and n not in frozen]
        if not need:
            break
        frozen += need
    if rc != 0:
        msg = first_error(err)
        return ("SKIP" if UNSUPPORTED.search(msg) else "FAIL"), "import: " + msg
    with open(mlir) as f:
        text = f.read()
    if not re.search(r"= npu\.", text):
        return "SKIP", "folded at import (constant inputs %s): nothing runs " \
            "on the chip" % ", ".join(frozen)
    note = " (constant inputs: %s)" % ", ".join(frozen) if frozen else ""
    rc, err = run([tools["npu-opt"], mlir, "--npu-compile=system=single",
                   "-o", isa])
    if rc != 0:
        msg = first_error(err)
        return ("SKIP" if UNSUPPORTED.search(msg) else "FAIL"), "compile: " + msg
    rc, err = run([tools["npu-translate"], "--npu-to-binary", isa, "-o", npub])
    if rc != 0:
        return "FAIL", "binary: " + first_error(err)

    outputs = names_of(text, "results")
    cmd = [tools["npu-run"], npub, "--check-budgets", "--output-dir",
           os.path.join(out, "out"), "--output-format", "npy"]
    for n in names_of(text, "args"):
        cmd += ["--input", "%s=%s" % (n, data_of[n])]
    rc, err = run(cmd)
    if rc == 3:
        return "FAIL", "run: measured counters differ from the budgets" + note
    if rc != 0:
        return "FAIL", "run: " + first_error(err)

    # Expected outputs follow the graph's output order.
    for i, n in enumerate(outputs):
        want_path = os.path.join(data, "output_%d.pb" % i)
        if not os.path.exists(want_path):
            return "FAIL", "no expected output_%d.pb" % i
        want = numpy_helper.to_array(onnx.load_tensor(want_path))
        got_path = os.path.join(out, "out", sanitize(n) + ".npy")
        if not os.path.exists(got_path):
            return "FAIL", "npu-run wrote no %s" % got_path
        problem = compare(np.load(got_path), want)
        if problem:
            return "FAIL", "output '%s': %s%s" % (n, problem, note)
    shutil.rmtree(out, ignore_errors=True)
    return "PASS", note.strip()


def sanitize(name):
    """The file name npu-run uses for an output (see runtime/api/Driver)."""
    return re.sub(r"[^A-Za-z0-9_.-]", "_", name)


def main():
    ap = argparse.ArgumentParser(
        description="ONNX node tests through import, compile, binary and run")
    ap.add_argument("--build", default="build")
    ap.add_argument("--data", default="/usr/share/libonnx-testdata/data/node")
    ap.add_argument("--expected", help="file of cases that must pass")
    ap.add_argument("--write-expected", help="write the passing cases here")
    ap.add_argument("--filter", default="", help="regex on case names")
    ap.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("-q", "--quiet", action="store_true",
                    help="print only failures and the summary")
    args = ap.parse_args()

    bin_dir = os.path.join(args.build, "bin")
    tools = {t: os.path.join(bin_dir, t)
             for t in ("npu-translate", "npu-opt", "npu-run")}
    for t, path in tools.items():
        if not os.access(path, os.X_OK):
            sys.exit("conformance: %s not found; build first" % path)
    if not os.path.isdir(args.data):
        sys.exit("conformance: %s not found (apt-get install "
                 "libonnx-testdata)" % args.data)

    cases = sorted(d for d in os.listdir(args.data)
                   if re.search(args.filter, d) and
                   os.path.exists(os.path.join(args.data, d, "model.onnx")))
    expected = set()
    if args.expected:
        with open(args.expected) as f:
            expected = {l.strip() for l in f
                        if l.strip() and not l.startswith("#")}
        missing = sorted(expected - set(cases))
        if missing and not args.filter:
            sys.exit("conformance: listed cases not in the data: " +
                     ", ".join(missing))
    work = os.path.join(args.build, "conformance")
    os.makedirs(work, exist_ok=True)

    results = {}
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        futures = {pool.submit(run_case, os.path.join(args.data, c), work,
                               tools): c for c in cases}
        for fut in concurrent.futures.as_completed(futures):
            results[futures[fut]] = fut.result()

    counts = {"PASS": 0, "FAIL": 0, "SKIP": 0}
    regressions = []
    for c in cases:
        status, reason = results[c]
        counts[status] += 1
        listed = c in expected
        if status != "PASS" and listed:
            regressions.append(c)
        if args.quiet and status != "FAIL" and not (listed and status != "PASS"):
            continue
        tag = status
        if status == "PASS" and args.expected and not listed:
            tag = "PASS (not in the expected list)"
        print("%s %s%s" % (tag, c, ": " + reason if reason else ""))

    if args.write_expected:
        with open(args.write_expected, "w") as f:
            f.write("# ONNX node tests (libonnx-testdata 1.12) that must pass "
                    "end to end;\n# regenerate with tools/scripts/"
                    "conformance.py --write-expected.\n")
            for c in cases:
                if results[c][0] == "PASS":
                    f.write(c + "\n")
    if regressions:
        print("expected to pass but did not: " + ", ".join(regressions))
    print("%d passed, %d failed, %d skipped" %
          (counts["PASS"], counts["FAIL"], counts["SKIP"]))
    return 1 if regressions or counts["FAIL"] else 0


if __name__ == "__main__":
    sys.exit(main())
