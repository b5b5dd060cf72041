#!/usr/bin/env bash
#===- demo.sh - What `make demo` shows -------------------------------------===#
#
# The whole flow for the e1-package on a Fashion-MNIST CNN (the architecture
# of test/models/fmnist-cnn.mlir, seeded weights): graph IR -> scheduled
# instructions with exact budgets -> .npub -> the simulator, fed a real
# Fashion-MNIST test image, with budgets and measurements side by side, the
# output checked against a numpy reference, and a Perfetto trace. Files go to
# build/demo/.
#
#===----------------------------------------------------------------------===#
set -euo pipefail
build=${1:-build}
bin="$build/bin"
models=test/models
system=${NPU_DEMO_SYSTEM:-e1-package}
chip=${NPU_DEMO_CHIP:-0}
out="$build/demo"
mkdir -p "$out"

step() { printf '\n\033[1m== %s ==\033[0m\n' "$*"; }

step "1. The target: preset '$system' (npu-translate --npu-export-system)"
echo 'module {}' | "$bin/npu-opt" --npu-set-system=system="$system" |
  "$bin/npu-translate" --npu-export-system > "$out/system.json"
/usr/bin/python3 - "$out/system.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
print("system %s (%s), %d chip(s), %d link(s)" % (s["name"], s["topology"],
      len(s["chips"]), len(s.get("links", []))))
for c in s["chips"]:
    print("  chip %d %-6s %-8s MAC %dx%d, %d lanes, SRAM %d KiB, %d MHz, "
          "%d/%d/%d mW active/idle/off, wake %d cycles" % (
          c["id"], c["name"], c["kind"], c["mac_rows"], c["mac_cols"],
          c["vector_lanes"], c["sram_bytes"] // 1024, c["clock_mhz"],
          c["power"]["active_mw"], c["power"]["idle_mw"],
          c["power"]["off_mw"], c["power"]["wake_cycles"]))
PY

step "2. The model: a Fashion-MNIST CNN in the npu dialect, fed test image 0"
/usr/bin/python3 - "$out/image.npy" <<'PY'
import gzip, sys
import numpy as np
path = '/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz'
with gzip.open(path) as f:
    data = f.read()
image = np.frombuffer(data, dtype=np.uint8, count=28 * 28, offset=16)
np.save(sys.argv[1], (image.astype(np.float32) / 255.0).reshape(1, 1, 28, 28))
PY
# The architecture of test/models/fmnist-cnn.mlir with seeded weights (not
# trained: the ONNX importer and the early-exit work bring trained models),
# plus an independent numpy reference of its output for this image.
/usr/bin/python3 test/e2e/models.py fmnist "$out/fmnist" --set image="$out/image.npy"
"$bin/npu-opt" "$out/fmnist/model.mlir" | grep -E '= npu\.|func.func' |
  sed -E 's/ : .*//; s/(func.func @[a-z]+).*/\1(image) -> probs/'

step "3. Compile for chip $chip of '$system' (npu-compile: lower, tile, allocate, schedule)"
"$bin/npu-opt" "$out/fmnist/model.mlir" \
  --npu-compile="system=$system chip=$chip" -o "$out/fmnist.isa.mlir"
echo "instructions by kind:"
grep -oE '^ *npuisa\.[a-z_]+' "$out/fmnist.isa.mlir" | sed 's/ //g' |
  sort | uniq -c | sort -rn | awk '{printf "  %5d %s\n", $1, $2}'

step "4. The exact budget the compiler proves (npu-report-budgets)"
"$bin/npu-opt" "$out/fmnist.isa.mlir" --npu-report-budgets=format=table \
  -o /dev/null

step "5. The binary (npu-translate --npu-to-binary), twice: byte-identical"
"$bin/npu-translate" --npu-to-binary "$out/fmnist.isa.mlir" -o "$out/fmnist.npub"
"$bin/npu-opt" "$out/fmnist/model.mlir" \
  --npu-compile="system=$system chip=$chip" |
  "$bin/npu-translate" --npu-to-binary -o "$out/fmnist.again.npub"
cmp "$out/fmnist.npub" "$out/fmnist.again.npub" &&
  echo "$out/fmnist.npub: $(stat -c %s "$out/fmnist.npub") bytes, identical on recompilation"

step "6. Run it on the simulator: outputs, budget vs measured, trace"
"$bin/npu-run" "$out/fmnist.npub" --input image="$out/fmnist/image.npy" \
  --output-dir "$out/fmnist/out" --report=json --report-file "$out/report.json" \
  --check-budgets > /dev/null
"$bin/npu-run" "$out/fmnist.npub" --input image="$out/fmnist/image.npy" \
  --report=table --trace="$out/trace.json"
echo
echo "against the independent numpy reference (test/e2e/check.py):"
/usr/bin/python3 test/e2e/check.py "$out/fmnist" "$out/fmnist/out" "$out/report.json" |
  sed 's/^/  /'
echo "trace: $out/trace.json (open in https://ui.perfetto.dev or chrome://tracing)"

step "7. Bad input is a diagnostic, not a crash"
bad="$out/bad.mlir"
cat > "$bad" <<'MLIR'
func.func @bad(%x: tensor<1x3x8x8xf32>, %w: tensor<4x2x3x3xf32>) -> tensor<1x4x6x6xf32> {
  %y = npu.conv2d %x, %w : (tensor<1x3x8x8xf32>, tensor<4x2x3x3xf32>) -> tensor<1x4x6x6xf32>
  return %y : tensor<1x4x6x6xf32>
}
MLIR
if "$bin/npu-opt" "$bad" --mlir-print-op-on-diagnostic=false > /dev/null; then
  echo "unexpected: the bad module verified"; exit 1
fi
head -c 300 "$out/fmnist.npub" > "$out/truncated.npub"
if "$bin/npu-run" "$out/truncated.npub" --input image="$out/fmnist/image.npy"; then
  echo "unexpected: the truncated binary ran"; exit 1
fi
echo "(both rejected with a non-zero exit, as they should be)"
