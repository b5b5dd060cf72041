#!/usr/bin/env bash
#===- run-tests.sh - Run every test and print one summary line ------------===#
#
# Runs the lit suite (compiler) and ctest (runtime GoogleTest), then prints
# "N passed, N failed" as the last line. Exits non-zero if anything failed.
#
#===----------------------------------------------------------------------===#
set -uo pipefail
build=${1:-build}
lit=/usr/lib/llvm-22/bin/lit
log=$(mktemp)
trap 'rm -f "$log"' EXIT

echo "== lit (compiler) =="
"$lit" -sv "$build/test" 2>&1 | tee "$log"
lit_rc=${PIPESTATUS[0]}
lit_pass=$(grep -E '^ *(Passed|Expectedly Failed) *:' "$log" | awk -F: '{s+=$2} END {print s+0}')
lit_fail=$(grep -E '^ *(Failed|Unexpectedly Passed|Timed Out|Unresolved) *:' "$log" | awk -F: '{s+=$2} END {print s+0}')
if [ "$lit_rc" -ne 0 ] && [ "$lit_fail" -eq 0 ]; then lit_fail=1; fi

echo "== ctest (runtime) =="
ctest --test-dir "$build" --output-on-failure 2>&1 | tee "$log"
ct_rc=${PIPESTATUS[0]}
ct_total=$(sed -nE 's/.*tests passed, ([0-9]+) tests failed out of ([0-9]+).*/\2/p' "$log" | tail -1)
ct_fail=$(sed -nE 's/.*tests passed, ([0-9]+) tests failed out of ([0-9]+).*/\1/p' "$log" | tail -1)
ct_total=${ct_total:-0}; ct_fail=${ct_fail:-0}
if [ "$ct_rc" -ne 0 ] && [ "$ct_fail" -eq 0 ]; then ct_fail=1; fi
ct_pass=$((ct_total - ct_fail))

# The loader parses untrusted bytes: fuzz it for a bounded time on every run,
# seeded with real binaries (NPU_FUZZ_SECONDS=0 skips it).
fuzz_seconds=${NPU_FUZZ_SECONDS:-60}
fz_pass=0; fz_fail=0
if [ "$fuzz_seconds" -gt 0 ]; then
  echo "== libFuzzer (runtime loader, ${fuzz_seconds} s) =="
  fuzz_dir="$build/fuzz"
  corpus="$fuzz_dir/corpus"
  mkdir -p "$corpus"
  if cmake -S runtime -B "$fuzz_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release \
       -DCMAKE_C_COMPILER=clang-22 -DCMAKE_CXX_COMPILER=clang++-22 \
       -DNPURT_ENABLE_FUZZER=ON > "$log" 2>&1 &&
     cmake --build "$fuzz_dir" --target npurt-loader-fuzzer >> "$log" 2>&1 &&
     "$build/bin/npu-translate" --npu-to-binary test/models/conv1-isa.mlir \
       -o "$corpus/conv1.npub" &&
     "$build/bin/npu-opt" test/models/fmnist-cnn.mlir \
       --npu-compile="system=e1-package chip=1" |
       "$build/bin/npu-translate" --npu-to-binary -o "$corpus/fmnist.npub" &&
     "$fuzz_dir/npurt-loader-fuzzer" -max_total_time="$fuzz_seconds" \
       -print_final_stats=1 "$corpus" >> "$log" 2>&1; then
    grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "$log" || true
    fz_pass=1
  else
    tail -40 "$log"
    fz_fail=1
  fi
fi

passed=$((lit_pass + ct_pass + fz_pass))
failed=$((lit_fail + ct_fail + fz_fail))
echo "lit: $lit_pass passed, $lit_fail failed; ctest: $ct_pass passed, $ct_fail failed; fuzz: $fz_pass passed, $fz_fail failed"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
