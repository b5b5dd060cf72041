#!/usr/bin/env bash
#===- demo.sh - What `make demo` shows -------------------------------------===#
#
# Runs the shipped examples (test/models/) through every pass that exists
# today and prints the IR and the reports. Each step is also a lit test, so
# what the demo shows is what CI checks.
#
#===----------------------------------------------------------------------===#
set -euo pipefail
build=${1:-build}
bin="$build/bin"
models=test/models
system=${NPU_DEMO_SYSTEM:-e1-package}

step() { printf '\n\033[1m== %s ==\033[0m\n' "$*"; }

step "1. The target: preset '$system' as JSON (npu-translate --npu-export-system)"
echo 'module {}' | "$bin/npu-opt" --npu-set-system=system="$system" |
  "$bin/npu-translate" --npu-export-system

step "2. A Fashion-MNIST CNN in the npu dialect, bound to '$system', canonicalized"
"$bin/npu-opt" "$models/fmnist-cnn.mlir" --npu-set-system=system="$system" \
  --canonicalize --cse

step "3. The same network split into an early-exit cascade across the two chips (verified)"
"$bin/npu-opt" "$models/fmnist-cascade.mlir" | sed -n '/^module/,$p'

step "4. Exact cost of every instruction of conv1 on chip 0 (npu-report-costs)"
"$bin/npu-opt" "$models/conv1-isa.mlir" --npu-report-costs \
  --mlir-print-op-on-diagnostic=false -o /dev/null 2>&1 |
  sed -nE 's/^.*conv1-isa.mlir:([0-9]+):[0-9]+: remark: /line \1: /p'

step "5. Its static schedule and exact budget (npu-schedule, npu-report-budgets)"
"$bin/npu-opt" "$models/conv1-isa.mlir" --npu-schedule |
  grep -oE 'npuisa\.[a-z_]+|npuisa\.schedule = array<i64: [0-9]+, [0-9]+>' |
  paste -sd' ' | sed -E 's/ (npuisa\.[a-z_]+ npuisa\.schedule)/\n\1/g' |
  sed -E 's/^(npuisa\.[a-z_]+) npuisa\.schedule = array<i64: ([0-9]+), ([0-9]+)>/  \1 starts at cycle \2, runs \3/' |
  grep 'starts at'
"$bin/npu-opt" "$models/conv1-isa.mlir" --npu-report-budgets=format=table -o /dev/null

step "6. Bad input is a diagnostic, not a crash (a conv whose weight does not match)"
bad=$(mktemp --suffix=.mlir)
trap 'rm -f "$bad"' EXIT
cat > "$bad" <<'MLIR'
func.func @bad(%x: tensor<1x3x8x8xf32>, %w: tensor<4x2x3x3xf32>) -> tensor<1x4x6x6xf32> {
  %y = npu.conv2d %x, %w : (tensor<1x3x8x8xf32>, tensor<4x2x3x3xf32>) -> tensor<1x4x6x6xf32>
  return %y : tensor<1x4x6x6xf32>
}
MLIR
if "$bin/npu-opt" "$bad" > /dev/null 2> "$bad.err"; then
  echo "unexpected: the bad module verified"; exit 1
fi
sed "s|$bad|bad.mlir|" "$bad.err"; rm -f "$bad.err"
echo "(npu-opt exited non-zero, as it should)"
