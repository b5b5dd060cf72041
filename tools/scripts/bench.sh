#!/usr/bin/env bash
#===- bench.sh - What `make bench` measures --------------------------------===#
#
# Benchmarks, not tests (numbers depend on the host):
#  1. compile time of --npu-compile against graph size (synthetic chains and
#     diamond DAGs of 100, 1k, 10k and 100k layers); growth must be no
#     worse than n log n, and 100k layers compile in at most 30 s;
#  2. simulator throughput: host seconds per simulated inference, and
#     multiply-accumulates per host second on a GEMM-heavy program against
#     the host's measured Eigen GEMM peak (target: at least 25 %).
#
#===----------------------------------------------------------------------===#
set -euo pipefail
build=${1:-build}
bin="$build/bin"
work="$build/bench"
mkdir -p "$work"
py=/usr/bin/python3

# Best of three wall-clock runs of a command, in seconds.
best_of_3() {
  "$py" - "$@" <<'PY'
import subprocess, sys, time
best = None
for _ in range(3):
    start = time.perf_counter()
    subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)
    t = time.perf_counter() - start
    best = t if best is None else min(best, t)
print('%.4f' % best)
PY
}

echo "== compile time: npu-opt --npu-compile=system=single =="
printf '%-6s %8s %10s %12s\n' shape layers seconds instructions
declare -A t
for shape in chain dag; do
  for n in 100 1000 10000 100000; do
    "$py" test/benchmarks/gen_graph.py "$shape" "$n" > "$work/$shape$n.mlir"
    t[$shape$n]=$(best_of_3 "$bin/npu-opt" "$work/$shape$n.mlir" \
      --npu-compile=system=single -o "$work/$shape$n.isa.mlir")
    count=$(grep -c 'npuisa\.' "$work/$shape$n.isa.mlir")
    printf '%-6s %8d %10s %12d\n' "$shape" "$n" "${t[$shape$n]}" "$count"
  done
done
"$py" - "${t[chain1000]}" "${t[chain10000]}" "${t[dag1000]}" "${t[dag10000]}" <<'PY'
import math, sys
c1, c10, d1, d10 = map(float, sys.argv[1:])
nlogn = 10000 * math.log(10000) / (1000 * math.log(1000))
worst = max(c10 / c1, d10 / d1)
print('growth 1k -> 10k layers: chain x%.1f, dag x%.1f (n log n allows x%.1f): %s'
      % (c10 / c1, d10 / d1, nlogn, 'ok' if worst <= nlogn else 'WORSE than n log n'))
PY

echo
echo "== simulator throughput =="
peak=$("$bin/npu-bench-gemm-peak")
echo "$peak"
"$py" test/benchmarks/gen_graph.py gemm 256 1024 1024 > "$work/gemm.mlir"
"$bin/npu-opt" "$work/gemm.mlir" --npu-compile=system=single |
  "$bin/npu-translate" --npu-to-binary -o "$work/gemm.npub"
gemm=$("$bin/npu-bench-sim" "$work/gemm.npub" 10)
echo "gemm 256x1024x1024 on single: $gemm"
"$py" test/e2e/models.py fmnist "$work/fmnist" > /dev/null
"$bin/npu-opt" "$work/fmnist/model.mlir" --npu-compile="system=e1-package chip=0" |
  "$bin/npu-translate" --npu-to-binary -o "$work/fmnist.npub"
echo "fmnist cnn on e1-package chip 0: $("$bin/npu-bench-sim" "$work/fmnist.npub" 200)"
"$py" - "$peak" "$gemm" <<'PY'
import re, sys
gflops = float(re.search(r'host_gemm_gflops ([0-9.]+)', sys.argv[1]).group(1))
gmacs = float(re.search(r'sim_gmacs_per_s ([0-9.]+)', sys.argv[2]).group(1))
share = gmacs / (gflops / 2)
print('simulator GEMM: %.1f GMAC/s = %.0f %% of the host peak (%.1f GMAC/s); '
      'target 25 %%: %s' % (gmacs, 100 * share, gflops / 2,
                           'ok' if share >= 0.25 else 'BELOW target'))
PY

echo
echo "== real models: ONNX import + compile time, simulated cost per inference =="
# Target (issue 4): import + compile of the PaddleOCR classifier under 2 s.
tools/scripts/fetch-models.sh "$build/models" > /dev/null
"$py" tools/scripts/real-model-inputs.py "$work/inputs" > /dev/null
printf '%-12s %-18s %9s %9s %10s %11s %10s %10s %12s\n' model target import_s \
  compile_s cycles time_us host_B dram_B energy_uJ
for spec in "cls|ch_ppocr_mobile_v2.0_cls_infer.onnx|--onnx-input-shape=x=1,3,48,192|x=$work/inputs/cls_upright.npy" \
            "hello_deepa|hello_deepa.onnx||onnx::Flatten_0=$work/inputs/hello_deepa_a.npy"; do
  IFS='|' read -r name file flags input <<< "$spec"
  timp=$(best_of_3 "$bin/npu-translate" --import-onnx "$build/models/$file" $flags \
    -o "$work/$name.mlir")
  for target in "single 0" "e1-package 0" "e1-package 1" "mesh-2x2 0" "mesh-4x4 0"; do
    read -r system chip <<< "$target"
    tcomp=$(best_of_3 "$bin/npu-opt" "$work/$name.mlir" \
      --npu-compile="system=$system chip=$chip" -o "$work/$name.isa.mlir")
    "$bin/npu-translate" --npu-to-binary "$work/$name.isa.mlir" -o "$work/$name.npub"
    "$bin/npu-run" "$work/$name.npub" --input "$input" --check-budgets \
      --report=json --report-file "$work/$name.report.json" > /dev/null
    "$py" - "$work/$name.report.json" "$name" "$system/$chip" "$timp" "$tcomp" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
name, target, timp, tcomp = sys.argv[2:]
chips = [c for c in report["chips"] if c.get("ran")]
def total(key):
    return sum(c["counters"][key]["measured"] for c in chips)
cycles = max(c["counters"]["cycles"]["measured"] for c in chips)
ps = max(c["counters"]["cycles"]["measured"] * c["picoseconds_per_cycle"] for c in chips)
print('%-12s %-18s %9s %9s %10d %11.1f %10d %10d %12.2f' % (
    name, target, timp, tcomp, cycles, ps / 1e6, total("host_bytes"),
    total("dram_bytes"), total("energy_fj") / 1e9))
PY
  done
done
