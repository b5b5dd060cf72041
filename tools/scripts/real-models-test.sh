#!/usr/bin/env bash
#===- real-models-test.sh - Real third-party models vs ONNX Runtime -------===#
#
#   tools/scripts/real-models-test.sh [BUILD]        (default BUILD: build)
#
# For each real model (fetch-models.sh) and fixed input set
# (real-model-inputs.py): runs the model on ONNX Runtime (tools/ort/run.js,
# installed by setup-ort.sh) as the reference; imports it with
# `npu-translate --import-onnx`; compiles it for `single` (chip 0) and for
# both chips of `e1-package`; translates each to .npub; runs each on the
# simulator with `npu-run --check-budgets --report=json`; and compares the
# outputs with ONNX Runtime's at rtol 1e-3, atol 1e-5 (compare_npy.py, which
# also requires budget == measured for every counter).
#
# Prints one line per case (model/input, system/chip: max abs and rel error,
# cycles, energy) and ends with "N passed, N failed"; exits non-zero on any
# failure. Everything it writes is under BUILD/models, BUILD/ort and
# BUILD/real-models; the log of every step is in BUILD/real-models/logs.
#
# Environment: NPU_REAL_MODELS_RTOL, NPU_REAL_MODELS_ATOL override the
# tolerances.
#
#===----------------------------------------------------------------------===#
set -uo pipefail
build=${1:-build}
scripts=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$scripts/../.." && pwd)
python=/usr/bin/python3
rtol=${NPU_REAL_MODELS_RTOL:-1e-3}
atol=${NPU_REAL_MODELS_ATOL:-1e-5}
bin="$build/bin"
models="$build/models"
work="$build/real-models"

# case | model file | npu-translate import flags | inputs (NAME=FILE in the
# inputs directory, space separated)
cases=(
  "cls-upright|ch_ppocr_mobile_v2.0_cls_infer.onnx|--onnx-input-shape=x=1,3,48,192|x=cls_upright.npy"
  "cls-rotated|ch_ppocr_mobile_v2.0_cls_infer.onnx|--onnx-input-shape=x=1,3,48,192|x=cls_rotated.npy"
  "deepa-a|hello_deepa.onnx||onnx::Flatten_0=hello_deepa_a.npy"
  "deepa-b|hello_deepa.onnx||onnx::Flatten_0=hello_deepa_b.npy"
)
# system chip
targets=("single 0" "e1-package 0" "e1-package 1")

passed=0
failed=0
pass() { echo "$1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1"; failed=$((failed + 1)); }
# The first error-looking line of a log (else its last line).
why() {
  local line
  line=$(grep -v 'Unknown user config' "$1" | grep -m1 -iE 'error|fail|unsupported|not supported|cannot' ||
         grep -v 'Unknown user config' "$1" | tail -1)
  echo "${line:-no message} (log: $1)"
}
summary() {
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]
  exit
}
# Fails every case x target with the same reason (a step they all need).
fail_all() {
  local entry target
  for entry in "${cases[@]}"; do
    for target in "${targets[@]}"; do
      read -r system chip <<<"$target"
      fail "${entry%%|*} $system/chip$chip: $reason"
    done
  done
  summary
}

rm -rf "$work"
mkdir -p "$work/logs"
logs="$work/logs"

echo "== real models: fetch, reference (ONNX Runtime), inputs =="
if ! "$scripts/fetch-models.sh" "$models" >"$logs/fetch.log" 2>&1; then
  cat "$logs/fetch.log"
  reason="fetching the models failed: $(why "$logs/fetch.log")"
  fail_all
fi
if ! "$scripts/setup-ort.sh" "$build" >"$logs/setup-ort.log" 2>&1; then
  cat "$logs/setup-ort.log"
  reason="setting up ONNX Runtime failed: $(why "$logs/setup-ort.log")"
  fail_all
fi
if ! "$python" "$scripts/real-model-inputs.py" "$work/inputs" >"$logs/inputs.log" 2>&1; then
  cat "$logs/inputs.log"
  reason="generating the inputs failed: $(why "$logs/inputs.log")"
  fail_all
fi
echo "onnxruntime-node $(cd "$build/ort" && node -p "require('onnxruntime-node/package.json').version") on node $(node --version); models in $models; rtol $rtol, atol $atol"

# Reference outputs, one directory per case.
declare -A ort_error
for entry in "${cases[@]}"; do
  IFS='|' read -r case model flags inputs <<<"$entry"
  args=()
  for binding in $inputs; do args+=("${binding%%=*}=$work/inputs/${binding#*=}"); done
  if NPU_ORT_DIR="$build/ort" node "$root/tools/ort/run.js" "$models/$model" \
       "$work/$case/ort" "${args[@]}" >"$logs/$case-ort.log" 2>&1; then
    "$python" - "$work/$case/ort" "$case" <<'PY'
import glob, os, sys
import numpy as np
for f in sorted(glob.glob(os.path.join(sys.argv[1], '*.npy'))):
    a = np.load(f)
    vals = ', '.join('%.6g' % v for v in a.ravel()[:8])
    more = ', ...' if a.size > 8 else ''
    print('ORT %s: %s %s = [%s%s]' % (sys.argv[2], os.path.basename(f)[:-4],
                                      'x'.join(map(str, a.shape)), vals, more))
PY
  else
    ort_error[$case]="ONNX Runtime failed: $(why "$logs/$case-ort.log")"
    echo "ORT $case: ${ort_error[$case]}"
  fi
done

echo "== real models: import, compile, run, compare =="
for tool in npu-translate npu-opt npu-run; do
  if [ ! -x "$bin/$tool" ]; then
    reason="$bin/$tool not found (build first)"
    fail_all
  fi
done
# Import and compile each model once per target; remember why not.
declare -A import_error compile_error
have_import=1
case $("$bin/npu-translate" --help 2>/dev/null) in *--import-onnx*) ;; *) have_import=0 ;; esac
for entry in "${cases[@]}"; do
  IFS='|' read -r case model flags inputs <<<"$entry"
  stem=${model%.onnx}
  [ -n "${import_error[$stem]+x}" ] && continue
  import_error[$stem]=""
  mkdir -p "$work/$stem"
  if [ "$have_import" -eq 0 ]; then
    import_error[$stem]="import failed: npu-translate has no --import-onnx (the ONNX importer has not landed)"
    continue
  fi
  # shellcheck disable=SC2086 # flags is a list of words
  if ! "$bin/npu-translate" --import-onnx "$models/$model" $flags \
         -o "$work/$stem/model.mlir" >"$logs/$stem-import.log" 2>&1; then
    import_error[$stem]="import failed: $(why "$logs/$stem-import.log")"
    continue
  fi
  for target in "${targets[@]}"; do
    read -r system chip <<<"$target"
    t="$system-chip$chip"
    if ! "$bin/npu-opt" "$work/$stem/model.mlir" \
           --npu-compile="system=$system chip=$chip" -o "$work/$stem/$t.mlir" \
           >"$logs/$stem-$t-compile.log" 2>&1; then
      compile_error[$stem/$t]="compile failed: $(why "$logs/$stem-$t-compile.log")"
    elif ! "$bin/npu-translate" --npu-to-binary "$work/$stem/$t.mlir" \
             -o "$work/$stem/$t.npub" >"$logs/$stem-$t-binary.log" 2>&1; then
      compile_error[$stem/$t]="--npu-to-binary failed: $(why "$logs/$stem-$t-binary.log")"
    fi
  done
done

for entry in "${cases[@]}"; do
  IFS='|' read -r case model flags inputs <<<"$entry"
  stem=${model%.onnx}
  for target in "${targets[@]}"; do
    read -r system chip <<<"$target"
    t="$system-chip$chip"
    label="$case $system/chip$chip"
    if [ -n "${ort_error[$case]:-}" ]; then fail "$label: ${ort_error[$case]}"; continue; fi
    if [ -n "${import_error[$stem]}" ]; then fail "$label: ${import_error[$stem]}"; continue; fi
    if [ -n "${compile_error[$stem/$t]:-}" ]; then fail "$label: ${compile_error[$stem/$t]}"; continue; fi
    args=()
    for binding in $inputs; do
      args+=(--input "${binding%%=*}=$work/inputs/${binding#*=}")
    done
    out="$work/$case/$t"
    "$bin/npu-run" "$work/$stem/$t.npub" "${args[@]}" --output-dir "$out" \
      --report=json --report-file "$out.json" --check-budgets \
      >"$logs/$case-$t-run.log" 2>&1
    rc=$?
    if [ "$rc" -ne 0 ] && [ "$rc" -ne 3 ]; then
      fail "$label: npu-run failed (exit $rc): $(why "$logs/$case-$t-run.log")"
      continue
    fi
    # Exit 3 (budget mismatch): compare_npy.py names the counters.
    if line=$("$python" "$scripts/compare_npy.py" "$work/$case/ort" "$out" \
                "$out.json" --rtol "$rtol" --atol "$atol" --label "$label"); then
      pass "$line"
    else
      echo "$line"
      failed=$((failed + 1))
    fi
  done
done
summary
