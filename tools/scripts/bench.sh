#!/usr/bin/env bash
#===- bench.sh - What `make bench` measures --------------------------------===#
#
# Benchmarks, not tests (numbers depend on the host):
#  1. compile time of --npu-compile against graph size (synthetic chains and
#     diamond DAGs of 100, 1k, 10k layers); growth must be no worse than
#     n log n;
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
  for n in 100 1000 10000; do
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
