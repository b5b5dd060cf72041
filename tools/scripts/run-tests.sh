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

passed=$((lit_pass + ct_pass))
failed=$((lit_fail + ct_fail))
echo "lit: $lit_pass passed, $lit_fail failed; ctest: $ct_pass passed, $ct_fail failed"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
