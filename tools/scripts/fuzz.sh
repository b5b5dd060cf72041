#!/usr/bin/env bash
#===- fuzz.sh - Build, seed and run the libFuzzer targets, time-bounded ---===#
#
#   tools/scripts/fuzz.sh BUILD [--total SECONDS | --each SECONDS] [NAME ...]
#
# Runs the fuzzers NAME (all by default) one after the other: --total splits
# SECONDS evenly over them (make test: NPU_FUZZ_SECONDS, 150 s), --each
# gives every one SECONDS (make fuzz-long: 600 s). The targets and what each
# covers are listed in docs/fuzzing.md:
#
#   loader checkpoint npy pb serve        runtime, built here in BUILD/fuzz
#   onnx-import system-json calibration   compiler, built by make build in
#   npub-disassembler                     BUILD/bin
#
# Each fuzzer starts from fresh seeds (tools/scripts/fuzz_seeds.py, in
# BUILD/fuzz/seeds/NAME) and from what earlier runs learnt (BUILD/fuzz/
# corpus/NAME), and stops on its first finding: a crash, a sanitizer report
# (ASan, UBSan), an input slower than 10 s or more than 2 GiB of memory. It
# counts as one passed or failed test; a finding's input is saved as
# BUILD/fuzz/artifacts/NAME-crash-*, its log is BUILD/fuzz/logs/NAME.log.
# The last line is "N passed, N failed"; the exit status is non-zero if any
# failed.
#
#===----------------------------------------------------------------------===#
set -uo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build}
[ $# -gt 0 ] && shift
mode=total
seconds=${NPU_FUZZ_SECONDS:-150}
case "${1:-}" in
  --total) mode=total; seconds=$2; shift 2 ;;
  --each) mode=each; seconds=$2; shift 2 ;;
esac
all=(loader checkpoint npy pb serve onnx-import system-json calibration
     npub-disassembler)
names=("$@")
[ ${#names[@]} -eq 0 ] && names=("${all[@]}")

began=$SECONDS
fuzz_dir="$build/fuzz"
seeds="$fuzz_dir/seeds"
mkdir -p "$fuzz_dir/corpus" "$fuzz_dir/artifacts" "$fuzz_dir/logs" "$seeds"

runtime_target() {
  case "$1" in
    loader|checkpoint|npy|pb|serve) echo "npurt-$1-fuzzer" ;;
    *) echo "" ;;
  esac
}

binary() {
  local target
  target=$(runtime_target "$1")
  if [ -n "$target" ]; then
    echo "$fuzz_dir/$target"
  else
    echo "$build/bin/npu-$1-fuzzer"
  fi
}

for name in "${names[@]}"; do
  if [[ ! " ${all[*]} " =~ " $name " ]]; then
    echo "fuzz.sh: unknown fuzzer '$name' (known: ${all[*]})" >&2
    exit 2
  fi
done

if [ "$mode" = total ]; then
  each=$((seconds / ${#names[@]}))
  [ "$each" -lt 1 ] && each=1
else
  each=$seconds
fi

# The runtime's fuzzers need their own build (clang, sanitizers); configure
# it once, then rebuild what is asked for.
runtime_targets=()
for name in "${names[@]}"; do
  t=$(runtime_target "$name")
  [ -n "$t" ] && runtime_targets+=("$t")
done
runtime_built=1
if [ ${#runtime_targets[@]} -gt 0 ]; then
  launcher=()
  command -v ccache >/dev/null 2>&1 &&
    launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  if ! { cmake -S runtime -B "$fuzz_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release \
           -DCMAKE_C_COMPILER=clang-22 -DCMAKE_CXX_COMPILER=clang++-22 \
           "${launcher[@]}" -DNPURT_ENABLE_FUZZER=ON &&
         CCACHE_BASEDIR="$PWD" cmake --build "$fuzz_dir" \
           --target "${runtime_targets[@]}"; } > "$fuzz_dir/logs/build.log" 2>&1; then
    tail -40 "$fuzz_dir/logs/build.log"
    runtime_built=0
  fi
fi

passed=0
failed=0
for name in "${names[@]}"; do
  log="$fuzz_dir/logs/$name.log"
  exe=$(binary "$name")
  corpus="$fuzz_dir/corpus/$name"
  mkdir -p "$corpus"
  : > "$log"
  env=()
  ok=1
  if [ -n "$(runtime_target "$name")" ] && [ "$runtime_built" -eq 0 ]; then
    echo "build of the runtime fuzzers failed ($fuzz_dir/logs/build.log)" >> "$log"
    ok=0
  elif [ ! -x "$exe" ]; then
    echo "$exe is missing (the compiler's fuzzers need clang: make build)" >> "$log"
    ok=0
  elif [ "$name" = checkpoint ]; then
    # Decoded against the Fashion-MNIST binary, seeded with its states at
    # every checkpoint boundary (written by the fuzzer itself).
    rm -rf "$seeds/checkpoint" && mkdir -p "$seeds/checkpoint"
    /usr/bin/python3 tools/scripts/fuzz_seeds.py "$build" "$seeds" loader >> "$log" 2>&1 || ok=0
    env=(NPU_FUZZ_MODEL="$seeds/loader/fmnist.npub"
         NPU_FUZZ_SEEDS="$seeds/checkpoint")
  elif [ "$name" = serve ]; then
    # The traces and config.json are read against a repository of the
    # Fashion-MNIST binary.
    /usr/bin/python3 tools/scripts/fuzz_seeds.py "$build" "$seeds" loader serve >> "$log" 2>&1 || ok=0
    env=(NPU_FUZZ_MODEL="$seeds/loader/fmnist.npub")
  else
    /usr/bin/python3 tools/scripts/fuzz_seeds.py "$build" "$seeds" "$name" >> "$log" 2>&1 || ok=0
  fi
  start=$SECONDS
  if [ "$ok" -eq 1 ] &&
     env "${env[@]}" "$exe" -max_total_time="$each" -timeout=10 \
       -rss_limit_mb=2048 -print_final_stats=1 \
       -artifact_prefix="$fuzz_dir/artifacts/$name-" \
       "$corpus" "$seeds/$name" >> "$log" 2>&1; then
    runs=$(sed -nE 's/^stat::number_of_executed_units: *([0-9]+)/\1/p' "$log" | tail -1)
    rss=$(sed -nE 's/^stat::peak_rss_mb: *([0-9]+)/\1/p' "$log" | tail -1)
    echo "fuzz $name: passed, ${runs:-?} executions in $((SECONDS - start)) s (peak RSS ${rss:-?} MB)"
    passed=$((passed + 1))
  else
    echo "fuzz $name: FAILED after $((SECONDS - start)) s; log: $log"
    grep -E "ERROR: |runtime error: |SUMMARY: |Test unit written to" "$log" | head -8
    tail -20 "$log"
    failed=$((failed + 1))
  fi
done
echo "fuzz: ${#names[@]} target(s) of $each s each, $((SECONDS - began)) s in all with the build and the seeds"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
