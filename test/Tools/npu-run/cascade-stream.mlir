// Early-exit streams (E3, E4; docs/execution-model.md, "Early-exit
// streams"): the cascade of report.mlir on the e1-package, with the
// early-exit table the compiler's npu-insert-early-exits would attach. A
// --batch of six inputs runs one at a time; every number below is worked
// out by hand.
//
// Budgets (npu-report-budgets; 1000 ps per cycle on both chips):
//   small "exit 1": 2116 cycles, 5290000000 fJ; "full": 1082 cycles,
//     2705000000 fJ (every cycle busy, 2500 mW). Its escalate finishes at
//     cycle 1064, its send starts at 1064.
//   big "full" (cold): starts at 1064 + 50000 = 51064, 1078 busy cycles:
//     off 51064 * 1000 * 40 + wake-up 400000 nJ + 1078 * 1000 * 12000 =
//     414978560000 fJ.
//   big "full (standby)": starts at 1064, waits for the message (cycle
//     ceil((1064 * 1000 + 100000) / 1000) = 1164), halts at 2242: 1178
//     cycles; idle 1064 * 1000 * 1800 + 1078 * 1000 * 12000 + 100 * 1000 *
//     1800 = 15031200000 fJ.
//
// The inputs (x: f32[1, 4]) and what happens, with an idle window of
// 5000000 ps and a return threshold of 0.95 on max_prob of big's sigmoids:
//   0 [1, 2, 1, 1]  small mode, softmax max 0.475 < 0.9: escalates; big
//                   cold; completes at 52142000; sigmoid(2) = 0.881 < 0.95
//                   so the next input is in big mode.
//   1 [10, 0, 0, 0] big mode: small's check (0.99986) is forced to
//                   continue; the escalation finishes at 53206000 <
//                   52142000 + 5000000: standby; big halts at 52142 + 2242:
//                   completion 54384000; sigmoid(10) returns to small.
//   2-4 [10, 0, 0, 0] exit on small, 2116000 ps each: complete at 56500000,
//                   58616000, 60732000. Big's standby ends at 59384000,
//                   during input 4.
//   5 [4, 4, 4, 4]  softmax 0.25: escalates at (60732 + 1064) * 1000 =
//                   61796000, after the window: cold again; big halts at
//                   61796 + 50000 + 1078 = 112874.
// Energies (fJ): input 0: small's run + idle 51060 * 1000 * 400 + big =
//   2705000000 + 20424000000 + 414978560000 = 438107560000; input 1:
//   2705000000 + 1160 * 1000 * 400 + 15031200000 = 18200200000; inputs 2
//   and 3: 5290000000 + big in standby 2116000 * 1800 = 9098800000; input 4:
//   5290000000 + 768000 * 1800 (standby) + 1348000 * 40 (off) = 6726320000;
//   input 5 as input 0. No gaps. Total 919339240000, mean 153223206666.7.
// Labels [1, 0, 0, 0, 3, 0]: input 4 (class 0) is wrong: 5 of 6, and
// 5 / 919339240000e-15 J = 5438.69 correct inferences per joule.

// RUN: npu-translate --npu-to-binary %s -o %t.npub
// RUN: %python %S/Inputs/npu_run_util.py save %t.x.npy f32 6,4 1 2 1 1 10 0 0 0 10 0 0 0 10 0 0 0 10 0 0 0 4 4 4 4
// RUN: %python %S/Inputs/npu_run_util.py save %t.labels.npy i32 6 1 0 0 0 3 0

// The budgets, standby ones included, and the early-exit table.
// RUN: npu-opt %s --npu-report-budgets=format=table -o /dev/null | FileCheck %s --check-prefix=BUDGETS
// BUDGETS: 0 small exit 1 2116 2116.000 32 32 0 16 (0.0) 80 5290.000
// BUDGETS-NEXT: 0 small full 1082 1082.000 16 16 16 16 (0.0) 16 2705.000
// BUDGETS-NEXT: 1 big full 1078 1078.000 16 16 16 80 (0.0) 16 414978.560
// BUDGETS-NEXT: 1 big full (standby) 1178 1178.000 16 16 16 80 (0.0) 16 15031.200
// BUDGETS: Early exit: chip 0 'small' escalates to chip 1 'big'; measure max_prob on output 'y' (probabilities)
// BUDGETS-NEXT: gate threshold exit rate split
// BUDGETS-NEXT: exit 1 0.9 0.5 after the input
// BUDGETS-NEXT: escalation rate 0.5, return threshold 0.95, idle window 5000000 ps (5000.000 ns)
// BUDGETS-NEXT: calibration: 6 samples, accuracy 0.8333 (full model 1), expected energy 1.5e+11 fJ and latency 6.5e+07 ps per input

// The disassembly carries the same npu.early_exit and the standby budget,
// and encodes to the same bytes.
// RUN: npu-translate --npub-to-mlir %t.npub -o %t.dis.mlir
// RUN: FileCheck %s --check-prefix=DIS < %t.dis.mlir
// DIS: module @model attributes {npu.early_exit = {answer = "probabilities", calibration = {accuracy = 8.333000e-01 : f64, expected_energy_fj = 150000000000 : i64, expected_latency_ps = 65000000 : i64, full_accuracy = 1.000000e+00 : f64, samples = 6 : i64}, escalation_rate = 5.000000e-01 : f64, from_chip = 0 : i64, gates = [{exit_rate = 5.000000e-01 : f64, split = "after the input", threshold = 9.000000e-01 : f64}], idle_window_ps = 5000000 : i64, measure = "max_prob", output = "y", return_threshold = 0.94999999999999996 : f64, to_chip = 1 : i64}
// DIS: npuisa.program @big chip(1) attributes {{{.*}}npuisa.standby_budgets = [{cycles = 1178 : i64, {{.*}}energy_fj = 15031200000 : i64, {{.*}}path = "full"
// RUN: npu-translate --npu-to-binary %t.dis.mlir -o %t.again.npub
// RUN: cmp %t.npub %t.again.npub
// The attribute of the disassembly is the source's, key for key.
// RUN: npu-opt %s | FileCheck %s --check-prefix=SRC
// SRC: npu.early_exit = {answer = "probabilities", calibration = {accuracy = 8.333000e-01 : f64, expected_energy_fj = 150000000000 : i64, expected_latency_ps = 65000000 : i64, full_accuracy = 1.000000e+00 : f64, samples = 6 : i64}, escalation_rate = 5.000000e-01 : f64, from_chip = 0 : i64, gates = [{exit_rate = 5.000000e-01 : f64, split = "after the input", threshold = 9.000000e-01 : f64}], idle_window_ps = 5000000 : i64, measure = "max_prob", output = "y", return_threshold = 0.94999999999999996 : f64, to_chip = 1 : i64}

// The stream: outputs, one row per input, the figures.
// RUN: npu-run %t.npub --batch x=%t.x.npy --labels %t.labels.npy --stream 6 --report --check-budgets | FileCheck %s --check-prefix=TABLE
// TABLE: input 0:
// TABLE-NEXT: y: f32[1, 4] = [0.7310586, 0.880797, 0.7310586, 0.7310586]
// TABLE-NEXT: input 1:
// TABLE-NEXT: y: f32[1, 4] = [0.9999546, 0.5, 0.5, 0.5]
// TABLE-NEXT: input 2:
// TABLE-NEXT: y: f32[1, 4] = [10, 0, 0, 0]
// TABLE: input 5:
// TABLE-NEXT: y: f32[1, 4] = [0.98201376, 0.98201376, 0.98201376, 0.98201376]
// TABLE-NEXT: model 'model' (format 1) on system 'e1-package'
// TABLE-NEXT: early-exit stream of 6 inputs: chip 0 'small' escalates to chip 1 'big'; max_prob of 'y' (probabilities)
// TABLE-NEXT: arrival interval 0 ps, idle window 5000000 ps, return threshold 0.95, grid 1000 ps
// TABLE-NEXT: input mode paths to-chip start ps completion ps latency ps energy fJ class confidence correct
// TABLE-NEXT: 0 small small full, big full off 0 52142000 52142000 438107560000 1 0.880797 yes
// TABLE-NEXT: 1 big small full, big full (standby) standby 52142000 54384000 54384000 18200200000 0 0.999955 yes
// TABLE-NEXT: 2 small small exit 1, big none none 54384000 56500000 56500000 9098800000 0 1 yes
// TABLE-NEXT: 3 small small exit 1, big none none 56500000 58616000 58616000 9098800000 0 1 yes
// TABLE-NEXT: 4 small small exit 1, big none none 58616000 60732000 60732000 6726320000 0 1 no
// TABLE-NEXT: 5 small small full, big full off 60732000 112874000 112874000 438107560000 0 0.982014 yes
// TABLE-NEXT: exit 1 (threshold 0.9): 3 inputs (rate 0.5, calibrated 0.5)
// TABLE-NEXT: escalations: 3 (rate 0.5, calibrated 0.5): 2 cold, 1 from standby
// TABLE-NEXT: mode switches: 2 (big mode for 1 of 6 inputs)
// Latencies 52142, 54384, 56500, 58616, 60732, 112874 ns: mean 395248 / 6,
// p50 the 3rd, p99 the 6th. Service times 52142, 2242, 2116 (3x), 52142.
// TABLE-NEXT: latency: mean 65874.667 ns, p50 56500 ns, p99 112874 ns
// TABLE-NEXT: service time: mean 18812.333 ns, p50 2116 ns, p99 52142 ns
// TABLE-NEXT: energy: 919339240000 fJ (inputs 919339240000, between inputs 0); mean per input 153.223207 uJ (153223206666.7 fJ)
// Small: 4 runs of 2705000000 + 3 of 5290000000 ... per chip, adding up.
// TABLE-NEXT: chip 0 'small': 65297000000 fJ
// TABLE-NEXT: chip 1 'big': 854042240000 fJ
// TABLE-NEXT: accuracy: 5 of 6 inputs correct (0.833333), 5438.69 correct inferences per joule (argmax of 'y')
// TABLE-NEXT: budgets: all equal to the measurements
// TABLE-NOT: {{.}}

// The JSON report has every input's record, the summary and the power
// timelines.
// RUN: npu-run %t.npub --batch x=%t.x.npy --labels %t.labels.npy --stream 6 --report=json --report-file %t.json --trace %t.trace.json --output-dir %t.out | count 0
// RUN: FileCheck %s --check-prefix=JSON < %t.json
// JSON: "budgets_match": true,
// JSON: "early_exit": {"measure": "max_prob", "output": "y", "answer": "probabilities", "from_chip": 0, "to_chip": 1, "gates": [{"split": "after the input", "threshold": 0.9, "exit_rate": 0.5}], "escalation_rate": 0.5, "return_threshold": 0.95, "idle_window_ps": 5000000, "arrival_interval_ps": 0, "grid_ps": 1000},
// JSON-NEXT: "summary": {"inputs": 6, "gates": [{"exit": 1, "exits": 3, "rate": 0.5}], "escalations": {"total": 3, "cold": 2, "standby": 1, "rate": 0.5}, "mode_switches": 2, "big_mode_inputs": 1, "latency_ns": {"mean": 65874.667, "p50": 56500, "p99": 112874}, "service_ns": {"mean": 18812.333, "p50": 2116, "p99": 52142}, "energy_fj": {"total": 919339240000, "inputs": 919339240000, "gaps": 0, "mean_per_input": 153223206666.66666}, "mean_energy_uj": 153.22320666666667, "end_ps": 112874000},
// JSON-NEXT: "accuracy": {"output": "y", "inputs": 6, "correct": 5, "accuracy": 0.8333333333333334, "correct_per_joule": 5438.688769555839, "total_energy_fj": 919339240000},
// JSON-NEXT: "runs": [
// JSON-NEXT: {"input": 0, "mode": "small", "chips": [{"chip": 0, "path": "full", "standby": false}, {"chip": 1, "path": "full", "standby": false}], "to_chip_state": "off", "arrival_ps": 0, "start_ps": 0, "completion_ps": 52142000, "latency_ps": 52142000, "service_ps": 52142000, "energy_fj": 438107560000, "class": 1, "confidence": 0.8807970285415649, "label": 1, "correct": true, "budgets_match": true},
// JSON-NEXT: {"input": 1, "mode": "big", "chips": [{"chip": 0, "path": "full", "standby": false}, {"chip": 1, "path": "full", "standby": true}], "to_chip_state": "standby", "arrival_ps": 0, "start_ps": 52142000, "completion_ps": 54384000, "latency_ps": 54384000, "service_ps": 2242000, "energy_fj": 18200200000, "class": 0, "confidence": 0.9999545812606812, "label": 0, "correct": true, "budgets_match": true},
// JSON-NEXT: {"input": 2, "mode": "small", "chips": [{"chip": 0, "path": "exit 1", "standby": false}, {"chip": 1, "path": "none", "standby": false}], "to_chip_state": "none",
// JSON: {"input": 4, {{.*}} "energy_fj": 6726320000, "class": 0, "confidence": 1, "label": 3, "correct": false, "budgets_match": true},
// JSON-NEXT: {"input": 5, "mode": "small", {{.*}} "to_chip_state": "off", {{.*}} "energy_fj": 438107560000,
// Big's power: off, waking, cold run; standby, standby run; standby (inputs
// 2 to 4) until 59384000, off, waking at the escalation, cold run.
// JSON: "power": [
// JSON-NEXT: {"chip": 0, "name": "small", "starts_asleep": false, "energy_fj": 65297000000, "intervals": [{"state": "run", "start_ps": 0, "end_ps": 1082000, "input": 0}, {"state": "idle", "start_ps": 1082000, "end_ps": 52142000, "input": 0},
// JSON-NEXT: {"chip": 1, "name": "big", "starts_asleep": true, "energy_fj": 854042240000, "intervals": [{"state": "off", "start_ps": 0, "end_ps": 1064000, "input": 0}, {"state": "waking", "start_ps": 1064000, "end_ps": 51064000, "input": 0}, {"state": "run", "start_ps": 51064000, "end_ps": 52142000, "input": 0}, {"state": "standby", "start_ps": 52142000, "end_ps": 53206000, "input": 1}, {"state": "run", "start_ps": 53206000, "end_ps": 54384000, "input": 1}, {"state": "standby", "start_ps": 54384000, "end_ps": 56500000, "input": 2}, {"state": "standby", "start_ps": 56500000, "end_ps": 58616000, "input": 3}, {"state": "standby", "start_ps": 58616000, "end_ps": 59384000, "input": 4}, {"state": "off", "start_ps": 59384000, "end_ps": 60732000, "input": 4}, {"state": "off", "start_ps": 60732000, "end_ps": 61796000, "input": 5}, {"state": "waking", "start_ps": 61796000, "end_ps": 111796000, "input": 5}, {"state": "run", "start_ps": 111796000, "end_ps": 112874000, "input": 5}]}
// JSON: "mismatches": []

// The trace: every run on one timeline and a power track per chip.
// RUN: %python %S/Inputs/npu_run_util.py trace %t.trace.json | FileCheck %s --check-prefix=TRACE
// TRACE: chip 0 small: 63 events, indices 0..14, engines control dma_in dma_out link_tx vector:
// TRACE-NEXT: chip 1 big: 27 events, indices 0..8, engines control dma_out link_rx vector:
// TRACE-NEXT: chip 0 small power until 112874000 ps: run[0] idle[0] run[1] idle[1] run[2] run[3] run[4] run[5] idle[5]
// TRACE-NEXT: chip 1 big power until 112874000 ps: off[0] waking[0] run[0] standby[1] run[1] standby[2] standby[3] standby[4] off[4] off[5] waking[5] run[5]
// RUN: FileCheck %s --check-prefix=TRACE-TEXT < %t.trace.json
// TRACE-TEXT: {"name": "thread_name", "ph": "M", "pid": 1, "tid": 7, "args": {"name": "power"}},
// TRACE-TEXT: {"name": "recv", "cat": "link_rx", "ph": "X", "ts": 51.064, "dur": 0.017, "pid": 1, "tid": 5, "args": {"input": 0, "index": 0,
// TRACE-TEXT: {"name": "waking", "cat": "power", "ph": "X", "ts": 1.064, "dur": 50, "pid": 1, "tid": 7, "args": {"input": 0, "start_ps": 1064000, "end_ps": 51064000}},

// With --output-dir the batch's outputs are one file, [6, 1, 4].
// RUN: %python %S/Inputs/npu_run_util.py show %t.out/y.npy | FileCheck %s --check-prefix=OUT
// OUT: f32[6, 1, 4] = [0.7310585975646973, 0.8807970285415649, 0.7310585975646973, 0.7310585975646973, 0.9999545812606812, 0.5, 0.5, 0.5, 10, 0, 0, 0, 10, 0, 0, 0, 10, 0, 0, 0, 0.9820137619972229, 0.9820137619972229, 0.9820137619972229, 0.9820137619972229]

// The batch in its other shape, [N, 1, 4] (the signature with N before it),
// gives the same stream.
// RUN: %python %S/Inputs/npu_run_util.py save %t.x3.npy f32 6,1,4 1 2 1 1 10 0 0 0 10 0 0 0 10 0 0 0 10 0 0 0 4 4 4 4
// RUN: npu-run %t.npub --batch x=%t.x3.npy --labels %t.labels.npy --stream 6 --report=json --report-file %t.x3.json
// RUN: %python -c "import json, sys; a = json.load(open(sys.argv[1])); b = json.load(open(sys.argv[2])); assert a == b; print('same')" %t.json %t.x3.json | FileCheck %s --check-prefix=SAME
// SAME: same

// Overrides. An idle window of 0: big is off after each halt, so input 1
// starts it cold (at 53206 + 50000).
// RUN: npu-run %t.npub --batch x=%t.x.npy --stream 2 --idle-window-ps 0 --report --check-budgets | FileCheck %s --check-prefix=COLD
// COLD: idle window 0 ps, return threshold 0.95
// COLD: 1 big small full, big full off 52142000 104284000
// A return threshold of 0.8 accepts sigmoid(2): input 1 is in small mode
// and exits.
// RUN: npu-run %t.npub --batch x=%t.x.npy --stream 2 --return-threshold 0.8 --report | FileCheck %s --check-prefix=RETURN
// RETURN: 1 small small exit 1, big none none 52142000 54258000
// RETURN: mode switches: 0 (big mode for 0 of 2 inputs)
// Arrivals every 100 us: input 1 waits for nothing; big has been in
// standby until 57142000, then off: cold. In the gap [52142000, 100000000)
// small idles (47858000 * 400) and big is in standby (5000000 * 1800), then
// off (42858000 * 40): 19143200000 + 9000000000 + 1714320000.
// RUN: npu-run %t.npub --batch x=%t.x.npy --stream 2 --arrival-interval-ps 100000000 --report | FileCheck %s --check-prefix=ARRIVAL
// ARRIVAL: arrival interval 100000000 ps, idle window 5000000 ps
// ARRIVAL: 1 big small full, big full off 100000000 152142000 52142000
// ARRIVAL: between inputs 29857520000
// A stream longer than the batch takes the inputs in turn; only the first 8
// inputs' outputs are printed.
// RUN: npu-run %t.npub --batch x=%t.x.npy --labels %t.labels.npy --stream 10 --report | FileCheck %s --check-prefix=LONG
// LONG: input 7:
// LONG-NEXT: y: f32[1, 4] = [0.9999546, 0.5, 0.5, 0.5]
// LONG-NEXT: (outputs of 2 more inputs not printed; --output-dir writes them all)
// LONG: accuracy: 9 of 10 inputs correct

// The batch without --stream: six independent single runs, big cold in
// each escalation; every run measures its budgets.
// RUN: npu-run %t.npub --batch x=%t.x.npy --labels %t.labels.npy --report --check-budgets | FileCheck %s --check-prefix=BATCH
// BATCH: batch of 6 independent runs
// BATCH-NEXT: input paths latency ps energy fJ class correct
// BATCH-NEXT: 0 small full, big full 52142000 417683560000 1 yes
// BATCH-NEXT: 1 small exit 1, big none 2116000 5290000000 0 yes
// BATCH: accuracy: 5 of 6 inputs correct
// BATCH: batch budgets: all equal to the measurements

// A wrong budget: big's standby budget (programs[1].budgets[1]) claims 999
// cycles. Only the input started from standby differs.
// RUN: cp %t.npub %t.bad.npub
// RUN: %python %npu_src_root/test/Target/Binary/Inputs/npub-patch.py %t.bad.npub 'f5[1].f5[1].f1=999:i64'
// RUN: npu-run %t.bad.npub --batch x=%t.x.npy --stream 6 --check-budgets > %t.bad.out 2> %t.bad.err; test $? -eq 3
// RUN: FileCheck %s --check-prefix=MISMATCH < %t.bad.err
// MISMATCH: npu-run: budget mismatch: input 1: chip 1 ('big'), program 'big', path 'full (standby)': cycles budget 999, measured 1178
// MISMATCH-NOT: budget mismatch
// RUN: npu-run %t.bad.npub --batch x=%t.x.npy --stream 6 --report | FileCheck %s --check-prefix=MISMATCH-TABLE
// MISMATCH-TABLE: budgets: 1 differ from the measurements
// MISMATCH-TABLE-NEXT: input 1: chip 1 ('big'), program 'big', path 'full (standby)': cycles budget 999, measured 1178

// Bad --batch and --labels files, and misplaced options: one line on
// stderr, status 1, no file.
// RUN: %python %S/Inputs/npu_run_util.py save %t.wide.npy f32 2,5 0 0 0 0 0 0 0 0 0 0
// RUN: %python %S/Inputs/npu_run_util.py save %t.int.npy i32 2,4 0 0 0 0 0 0 0 0
// RUN: %python %S/Inputs/npu_run_util.py save %t.flabels.npy f32 6 0 0 0 0 0 0
// RUN: %python %S/Inputs/npu_run_util.py save %t.five.npy i32 5 0 0 0 0 0
// RUN: rm -rf %t.err.out
// RUN: not npu-run %t.npub --batch x=%t.wide.npy --output-dir %t.err.out 2>&1 | FileCheck %s --check-prefix=ERR-WIDE --match-full-lines
// ERR-WIDE: npu-run: error: --batch 'x' from '{{.*}}.wide.npy': expected f32[N, 1, 4] or f32[N, 4] (N inputs of f32[1, 4]), got f32[2, 5]
// ERR-WIDE-NOT: {{.}}
// RUN: not npu-run %t.npub --batch x=%t.int.npy --output-dir %t.err.out 2>&1 | FileCheck %s --check-prefix=ERR-INT --match-full-lines
// ERR-INT: npu-run: error: --batch 'x' from '{{.*}}.int.npy': expected f32[N, 1, 4] or f32[N, 4] (N inputs of f32[1, 4]), got i32[2, 4]
// RUN: not npu-run %t.npub --batch x=%t.x.npy --labels %t.flabels.npy --output-dir %t.err.out 2>&1 | FileCheck %s --check-prefix=ERR-FLOAT --match-full-lines
// ERR-FLOAT: npu-run: error: --labels '{{.*}}.flabels.npy': expected a non-empty vector of integer class labels ([N] or [N, 1]), got f32[6]
// RUN: not npu-run %t.npub --batch x=%t.x.npy --labels %t.five.npy --output-dir %t.err.out 2>&1 | FileCheck %s --check-prefix=ERR-COUNT --match-full-lines
// ERR-COUNT: npu-run: error: --labels '{{.*}}.five.npy' holds 5 labels but --batch holds 6 inputs
// RUN: not npu-run %t.npub --batch x=%t.x.npy --input x=%t.x.npy 2>&1 | FileCheck %s --check-prefix=ERR-BOTH --match-full-lines
// ERR-BOTH: npu-run: error: input 'x' is given by both --batch and --input
// RUN: not npu-run %t.npub --batch x=%t.x.npy --idle-window-ps 0 --output-dir %t.err.out 2>&1 | FileCheck %s --check-prefix=ERR-KNOB --match-full-lines
// ERR-KNOB: npu-run: error: --idle-window-ps applies to early-exit streams: --stream N on a model with an early-exit table (module attribute npu.early_exit)
// RUN: not npu-run %t.npub --batch x=%t.x.npy --stream 2 --return-threshold 1.5 2>&1 | FileCheck %s --check-prefix=ERR-THRESHOLD --match-full-lines
// ERR-THRESHOLD: npu-run: error: --return-threshold needs a number in [0, 1], not '1.5'
// RUN: not test -e %t.err.out

#chip0 = #npu.chip<id = 0, name = "small", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 256, mac_cols = 256, vector_lanes = 256, sram_bytes = 4194304, dram_bytes = 1073741824, dram_bytes_per_cycle = 64, clock_mhz = 1000, power = <active_mw = 2500, idle_mw = 400, off_mw = 15, wake_cycles = 10000, wake_energy_nj = 20000>>
#chip1 = #npu.chip<id = 1, name = "big", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 512, mac_cols = 512, vector_lanes = 512, sram_bytes = 16777216, dram_bytes = 4294967296, dram_bytes_per_cycle = 128, clock_mhz = 1000, power = <active_mw = 12000, idle_mw = 1800, off_mw = 40, wake_cycles = 50000, wake_energy_nj = 400000>>
#system = #npu.system<name = "e1-package", topology = "switch", chips = [#chip0, #chip1], links = [<a = 0, b = 1, bandwidth_gbps = 64, latency_ns = 100>], host = <bandwidth_gbps = 16, latency_ns = 1000>>
module attributes {
    npu.inputs = [#npu.tensor<"x" : tensor<1x4xf32>>],
    npu.outputs = [#npu.tensor<"y" : tensor<1x4xf32>>],
    npu.system = #system,
    npu.early_exit = {measure = "max_prob", output = "y", answer = "probabilities",
                      from_chip = 0 : i64, to_chip = 1 : i64,
                      gates = [{split = "after the input", threshold = 0.9 : f64, exit_rate = 0.5 : f64}],
                      return_threshold = 0.95 : f64, idle_window_ps = 5000000 : i64,
                      escalation_rate = 0.5 : f64,
                      calibration = {samples = 6 : i64, accuracy = 0.8333 : f64, full_accuracy = 1.0 : f64,
                                     expected_energy_fj = 150000000000 : i64, expected_latency_ps = 65000000 : i64}}} {
  npuisa.program @small chip(0) {
    npuisa.load_input "x" offset(0) -> dram(0) bytes(16)
    npuisa.dma_in dram(0) -> sram(0) rows(1) row_bytes(16) strides[16, 16]
    npuisa.signal token(0) on(dma_in)
    npuisa.signal token(1) on(dma_in)
    npuisa.wait token(0) on(vector)
    npuisa.exit_check src(0) classes(4) dtype(f32) measure(max_prob) threshold(0.9) {
      npuisa.signal token(2) on(vector)
      npuisa.wait token(2) on(dma_out)
      npuisa.dma_out sram(0) -> dram(64) rows(1) row_bytes(16) strides[16, 16]
      npuisa.store_output "y" offset(0) from dram(64) bytes(16)
      npuisa.halt
    }
    npuisa.escalate chip(1)
    npuisa.wait token(1) on(link_tx)
    npuisa.send sram(0) bytes(16) to chip(1) channel(0)
    npuisa.halt
  }
  npuisa.program @big chip(1) {
    npuisa.recv sram(0) bytes(16) from chip(0) channel(0)
    npuisa.signal token(0) on(link_rx)
    npuisa.wait token(0) on(vector)
    npuisa.vector sigmoid a(0) -> dst(64) count(4) dtype(f32)
    npuisa.signal token(1) on(vector)
    npuisa.wait token(1) on(dma_out)
    npuisa.dma_out sram(64) -> dram(0) rows(1) row_bytes(16) strides[16, 16]
    npuisa.store_output "y" offset(0) from dram(0) bytes(16)
    npuisa.halt
  }
}
