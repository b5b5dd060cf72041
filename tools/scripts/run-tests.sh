#!/usr/bin/env bash
#===- run-tests.sh - Run every test and print one summary line ------------===#
#
# Runs the lit suite (compiler), ctest (GoogleTest: runtime and embedding
# API), ONNX's node tests through the whole flow (conformance.py, against the
# expected-pass list), the real third-party models against ONNX Runtime, and
# the loader, checkpoint-file and ONNX importer fuzzers; then prints
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

# The loader parses untrusted bytes: fuzz it for a bounded time on every run,
# seeded with real binaries (NPU_FUZZ_SECONDS=0 skips the fuzzers).
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
     "$build/bin/npu-translate" --npu-to-binary \
       test/Tools/npu-run/cascade-stream.mlir -o "$corpus/cascade.npub" &&
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

  # Checkpoint files are untrusted too: decoded against the Fashion-MNIST
  # binary and resumed, seeded with its states at every boundary.
  echo "== libFuzzer (checkpoint files, ${fuzz_seconds} s) =="
  ckpt_corpus="$fuzz_dir/ckpt-corpus"
  mkdir -p "$ckpt_corpus"
  if cmake --build "$fuzz_dir" --target npurt-checkpoint-fuzzer > "$log" 2>&1 &&
     [ -s "$corpus/fmnist.npub" ] &&
     NPU_FUZZ_MODEL="$corpus/fmnist.npub" NPU_FUZZ_SEEDS="$ckpt_corpus" \
       "$fuzz_dir/npurt-checkpoint-fuzzer" -max_total_time="$fuzz_seconds" \
       -print_final_stats=1 -artifact_prefix="$fuzz_dir/" "$ckpt_corpus" >> "$log" 2>&1; then
    grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "$log" || true
    fz_pass=$((fz_pass + 1))
  else
    tail -40 "$log"
    fz_fail=$((fz_fail + 1))
  fi

  # The ONNX importer parses untrusted bytes too: seeded with the importer's
  # test models and some of ONNX's node tests.
  echo "== libFuzzer (ONNX importer, ${fuzz_seconds} s) =="
  onnx_corpus="$build/fuzz/onnx-corpus"
  mkdir -p "$onnx_corpus"
  seeded=1
  for m in cnn shape_chain opset9 opset13 dynamic unsupported; do
    /usr/bin/python3 test/Target/ONNX/gen_models.py "$m" "$onnx_corpus/$m.onnx" || seeded=0
  done
  for c in test_conv_with_strides_padding test_gemm_all_attributes \
           test_resize_upsample_sizes_nearest test_slice_neg \
           test_reshape_negative_dim test_averagepool_2d_pads \
           test_softmax_axis_1 test_convtranspose_pads test_clip_splitbounds \
           test_constantofshape_int_zeros; do
    cp "/usr/share/libonnx-testdata/data/node/$c/model.onnx" "$onnx_corpus/$c.onnx" || seeded=0
  done
  if [ "$seeded" -eq 1 ] && [ -x "$build/bin/npu-onnx-import-fuzzer" ] &&
     "$build/bin/npu-onnx-import-fuzzer" -max_total_time="$fuzz_seconds" \
       -print_final_stats=1 -artifact_prefix="$build/fuzz/" "$onnx_corpus" > "$log" 2>&1; then
    grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "$log" || true
    fz_pass=$((fz_pass + 1))
  else
    tail -40 "$log"
    fz_fail=$((fz_fail + 1))
  fi
fi

passed=$((lit_pass + ct_pass + cf_pass + rm_pass + fz_pass))
failed=$((lit_fail + ct_fail + cf_fail + rm_fail + fz_fail))
echo "lit: $lit_pass passed, $lit_fail failed; ctest: $ct_pass passed, $ct_fail failed; conformance: $cf_pass passed, $cf_fail failed; real models: $rm_pass passed, $rm_fail failed; fuzz: $fz_pass passed, $fz_fail failed"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
