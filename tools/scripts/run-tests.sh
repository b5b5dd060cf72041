#!/usr/bin/env bash
#===- run-tests.sh - Run every test and print one summary line ------------===#
#
# Runs the lit suite (compiler), ctest (GoogleTest: runtime and embedding
# API), ONNX's node tests through the whole flow (conformance.py, against the
# expected-pass list), the real third-party models against ONNX Runtime, and
# every libFuzzer target for a bounded time (tools/scripts/fuzz.sh); then prints
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

echo "== ctest (GoogleTest: runtime, embedding API) =="
ctest --test-dir "$build" --output-on-failure 2>&1 | tee "$log"
ct_rc=${PIPESTATUS[0]}
ct_total=$(sed -nE 's/.*tests passed, ([0-9]+) tests failed out of ([0-9]+).*/\2/p' "$log" | tail -1)
ct_fail=$(sed -nE 's/.*tests passed, ([0-9]+) tests failed out of ([0-9]+).*/\1/p' "$log" | tail -1)
ct_total=${ct_total:-0}; ct_fail=${ct_fail:-0}
if [ "$ct_rc" -ne 0 ] && [ "$ct_fail" -eq 0 ]; then ct_fail=1; fi
ct_pass=$((ct_total - ct_fail))

echo "== ONNX conformance (ONNX's node tests, libonnx-testdata) =="
/usr/bin/python3 tools/scripts/conformance.py --build "$build" -q \
  --expected test/conformance/expected-passes.txt 2>&1 | tee "$log"
cf_rc=${PIPESTATUS[0]}
cf_pass=$(sed -nE 's/^([0-9]+) passed, ([0-9]+) failed, ([0-9]+) skipped$/\1/p' "$log" | tail -1)
cf_fail=$(sed -nE 's/^([0-9]+) passed, ([0-9]+) failed, ([0-9]+) skipped$/\2/p' "$log" | tail -1)
cf_pass=${cf_pass:-0}; cf_fail=${cf_fail:-0}
if [ "$cf_rc" -ne 0 ] && [ "$cf_fail" -eq 0 ]; then cf_fail=1; fi

echo "== Real models vs ONNX Runtime =="
tools/scripts/real-models-test.sh "$build" 2>&1 | tee "$log"
rm_rc=${PIPESTATUS[0]}
rm_pass=$(sed -nE 's/^([0-9]+) passed, ([0-9]+) failed$/\1/p' "$log" | tail -1)
rm_fail=$(sed -nE 's/^([0-9]+) passed, ([0-9]+) failed$/\2/p' "$log" | tail -1)
rm_pass=${rm_pass:-0}; rm_fail=${rm_fail:-0}
if [ "$rm_rc" -ne 0 ] && [ "$rm_fail" -eq 0 ]; then rm_fail=1; fi

# Every reader of untrusted bytes has a libFuzzer target (docs/fuzzing.md):
# all of them run for NPU_FUZZ_SECONDS in all (default 150; 0 skips them),
# each one test in the tally.
fuzz_seconds=${NPU_FUZZ_SECONDS:-150}
fz_pass=0; fz_fail=0
if [ "$fuzz_seconds" -gt 0 ]; then
  echo "== libFuzzer (every reader of untrusted input, ${fuzz_seconds} s in all) =="
  tools/scripts/fuzz.sh "$build" --total "$fuzz_seconds" 2>&1 | tee "$log"
  fz_rc=${PIPESTATUS[0]}
  fz_pass=$(sed -nE 's/^([0-9]+) passed, ([0-9]+) failed$/\1/p' "$log" | tail -1)
  fz_fail=$(sed -nE 's/^([0-9]+) passed, ([0-9]+) failed$/\2/p' "$log" | tail -1)
  fz_pass=${fz_pass:-0}; fz_fail=${fz_fail:-0}
  if [ "$fz_rc" -ne 0 ] && [ "$fz_fail" -eq 0 ]; then fz_fail=1; fi
fi

passed=$((lit_pass + ct_pass + cf_pass + rm_pass + fz_pass))
failed=$((lit_fail + ct_fail + cf_fail + rm_fail + fz_fail))
echo "lit: $lit_pass passed, $lit_fail failed; ctest: $ct_pass passed, $ct_fail failed; conformance: $cf_pass passed, $cf_fail failed; real models: $rm_pass passed, $rm_fail failed; fuzz: $fz_pass passed, $fz_fail failed"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
