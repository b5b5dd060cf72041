// The report puts, for every chip, the budget of the path it took beside
// what the simulator measured, counter by counter; --check-budgets turns a
// difference into exit status 3; --trace writes every executed instruction
// as a Chrome/Perfetto event. The model is an early-exit cascade on the E1
// package: chip 0 checks its logits and either exits (chip 1 sleeps
// through) or wakes chip 1 and sends them over, and chip 1 outputs their
// sigmoid.

// RUN: npu-translate --npu-to-binary %s -o %t.npub
// RUN: %python %S/Inputs/npu_run_util.py save %t.sure.npy f32 4 10 0 0 0
// RUN: %python %S/Inputs/npu_run_util.py save %t.unsure.npy f32 4 1 1 1 1

// The confident input exits on chip 0 with the logits themselves.
// RUN: npu-run %t.npub --input x=%t.sure.npy --report --check-budgets | FileCheck %s --check-prefix=SURE
// SURE: y: f32[4] = [10, 0, 0, 0]
// SURE: model 'model' (format 1) on system 'e1-package'
// SURE-NEXT: inputs:  x f32[4]
// SURE-NEXT: outputs: y f32[4]
// SURE: chip 0 'small': program 'small', path 'exit 1', start cycle 0, {{[0-9]+}} active cycles, 1000 ps/cycle
// SURE-NEXT: counter budget measured
// SURE-NEXT: cycles [[C:[0-9]+]] [[C]]{{$}}
// SURE-NEXT: busy_dma_in [[V:[0-9]+]] [[V]]{{$}}
// SURE-NEXT: busy_dma_out [[V:[0-9]+]] [[V]]{{$}}
// SURE-NEXT: busy_mac 0 0{{$}}
// SURE-NEXT: busy_vector [[V:[0-9]+]] [[V]]{{$}}
// SURE-NEXT: busy_link_tx 0 0{{$}}
// SURE-NEXT: busy_link_rx 0 0{{$}}
// SURE-NEXT: busy_control 1 1{{$}}
// SURE-NEXT: host_bytes 32 32{{$}}
// SURE-NEXT: dram_bytes 32 32{{$}}
// SURE-NEXT: link_bytes 0 0{{$}}
// SURE-NEXT: peak_sram_bytes 16 16{{$}}
// The exit path stores from DRAM [64, 80): peak DRAM 64 + 16 = 80 (no
// segments; the input went to [0, 16)).
// SURE-NEXT: peak_dram_bytes 80 80{{$}}
// SURE-NEXT: energy_fj [[V:[0-9]+]] [[V]]{{$}}
// SURE-NEXT: exit check 1 (instruction 5): confidence 0.99986{{[0-9]*}} >= threshold 0.9, took path 'exit 1'
// SURE: chip 1 'big': program 'big' did not run (started asleep, never woken)
// SURE: budgets: all equal to the measurements
// SURE-NOT: MISMATCH

// The unsure input wakes chip 1, which starts after its wake-up latency.
// RUN: npu-run %t.npub --input x=%t.unsure.npy --report --check-budgets | FileCheck %s --check-prefix=UNSURE
// UNSURE: y: f32[4] = [0.7310586, 0.7310586, 0.7310586, 0.7310586]
// UNSURE: chip 0 'small': program 'small', path 'full'
// UNSURE: link_bytes 16 16{{$}}
// The full path only touches DRAM [0, 16) (load_input, dma_in).
// UNSURE-NEXT: peak_sram_bytes 16 16{{$}}
// UNSURE-NEXT: peak_dram_bytes 16 16{{$}}
// UNSURE: exit check 1 (instruction 5): confidence 0.25 < threshold 0.9, continued
// UNSURE: chip 1 'big': program 'big', path 'full', start cycle {{[1-9][0-9]*}}, {{[0-9]+}} active cycles, 1000 ps/cycle, woken
// UNSURE: budgets: all equal to the measurements

// In JSON, every counter of every chip that ran is {"budget": B, "measured": M}
// with B == M (checked by the script), plus path, chip, program, outputs.
// RUN: npu-run %t.npub --input x=%t.sure.npy --report=json --report-file %t.sure.json | FileCheck %s --check-prefix=SURE-STDOUT
// SURE-STDOUT: y: f32[4] = [10, 0, 0, 0]
// SURE-STDOUT-NOT: {{.}}
// RUN: %python %S/Inputs/npu_run_util.py report %t.sure.json | FileCheck %s --check-prefix=SURE-JSON
// SURE-JSON: chip 0 small: program small, path exit 1, 14 counters equal, cycles {{[0-9]+}}, start 0, checks exit1=yes
// SURE-JSON-NEXT: chip 1 big: did not run
// SURE-JSON-NEXT: outputs: y f32[4]
// RUN: npu-run %t.npub --input x=%t.unsure.npy --report=json > %t.unsure.stdout
// RUN: %python -c "import sys; text = open(sys.argv[1]).read(); open(sys.argv[2], 'w').write(text[text.index('{'):])" %t.unsure.stdout %t.unsure.json
// RUN: %python %S/Inputs/npu_run_util.py report %t.unsure.json | FileCheck %s --check-prefix=UNSURE-JSON
// UNSURE-JSON: chip 0 small: program small, path full, 14 counters equal, cycles {{[0-9]+}}, start 0, checks exit1=no
// UNSURE-JSON-NEXT: chip 1 big: program big, path full, 14 counters equal, cycles {{[0-9]+}}, start {{[1-9][0-9]*}}
// RUN: FileCheck %s --check-prefix=JSON < %t.unsure.json
// JSON: "model": "model",
// JSON: "system": "e1-package",
// JSON: "budgets_match": true,
// JSON: "outputs": [
// JSON-NEXT: {"name": "y", "dtype": "f32", "shape": [4]}
// JSON: "chip": 1,
// JSON-NEXT: "name": "big",
// JSON-NEXT: "program": "big",
// JSON-NEXT: "ran": true,
// JSON-NEXT: "started_asleep": true,
// JSON-NEXT: "path": "full",
// JSON: "counters": {
// JSON-NEXT: "cycles": {"budget": [[C:[0-9]+]], "measured": [[C]]},
// JSON: "link_bytes": {"budget": 16, "measured": 16},
// Chip 1 stores its output from DRAM [0, 16).
// JSON: "peak_dram_bytes": {"budget": 16, "measured": 16},

// The trace: valid JSON, one process per chip and one thread per engine,
// one complete event per executed instruction with exact microseconds.
// RUN: npu-run %t.npub --input x=%t.unsure.npy --trace %t.trace.json | count 1
// RUN: %python %S/Inputs/npu_run_util.py trace %t.trace.json | FileCheck %s --check-prefix=TRACE
// TRACE: chip 0 small: 10 events, indices 0..14, engines control dma_in link_tx vector: load_input dma_in signal signal wait exit_check escalate wait send halt
// TRACE-NEXT: chip 1 big: 9 events, indices 0..8, engines control dma_out link_rx vector: recv signal wait vector signal wait dma_out store_output halt
// RUN: FileCheck %s --check-prefix=TRACE-TEXT < %t.trace.json
// TRACE-TEXT: {"displayTimeUnit": "ns", "traceEvents": [
// TRACE-TEXT: {"name": "process_name", "ph": "M", "pid": 0, "args": {"name": "small"}},
// TRACE-TEXT: {"name": "thread_name", "ph": "M", "pid": 0, "tid": 2, "args": {"name": "mac"}},
// TRACE-TEXT: {"name": "process_name", "ph": "M", "pid": 1, "args": {"name": "big"}},
// TRACE-TEXT: {"name": "load_input", "cat": "dma_in", "ph": "X", "ts": 0, "dur": {{[0-9.]+}}, "pid": 0, "tid": 0, "args": {"index": 0, "start_cycle": 0, "cycles": {{[0-9]+}}}}

// A binary whose budget differs from the measurement: chip 1's "full"
// budget claims 999 cycles. Only a run that takes that path fails the check.
// RUN: cp %t.npub %t.patched.npub
// RUN: %python %npu_src_root/test/Target/Binary/Inputs/npub-patch.py %t.patched.npub 'f5[1].f5[0].f1=999:i64'
// RUN: npu-run %t.patched.npub --input x=%t.sure.npy --check-budgets
// RUN: npu-run %t.patched.npub --input x=%t.unsure.npy --check-budgets 2> %t.mismatch.err > %t.mismatch.out; test $? -eq 3
// RUN: FileCheck %s --check-prefix=MISMATCH < %t.mismatch.err
// MISMATCH: npu-run: budget mismatch: chip 1 ('big'), program 'big', path 'full': cycles budget 999, measured {{[0-9]+}}
// MISMATCH-NOT: budget mismatch
// RUN: npu-run %t.patched.npub --input x=%t.unsure.npy --report | FileCheck %s --check-prefix=MISMATCH-TABLE
// MISMATCH-TABLE: chip 1 'big'
// MISMATCH-TABLE: cycles 999 {{[0-9]+}}  MISMATCH
// MISMATCH-TABLE: budgets: 1 differ from the measurements
// The peak DRAM counter is checked like the others: chip 0's "exit 1"
// budget (program 0, budget 0, Budget field 8) claims 79 bytes.
// RUN: cp %t.npub %t.dram.npub
// RUN: %python %npu_src_root/test/Target/Binary/Inputs/npub-patch.py %t.dram.npub 'f5[0].f5[0].f8=79:i64'
// RUN: npu-run %t.dram.npub --input x=%t.unsure.npy --check-budgets
// RUN: npu-run %t.dram.npub --input x=%t.sure.npy --check-budgets 2> %t.dram.err > %t.dram.out; test $? -eq 3
// RUN: FileCheck %s --check-prefix=DRAM-MISMATCH < %t.dram.err
// DRAM-MISMATCH: npu-run: budget mismatch: chip 0 ('small'), program 'small', path 'exit 1': peak_dram_bytes budget 79, measured 80
// DRAM-MISMATCH-NOT: budget mismatch
// Without --check-budgets a mismatch is only reported.
// RUN: npu-run %t.patched.npub --input x=%t.unsure.npy --report=json | FileCheck %s --check-prefix=MISMATCH-JSON
// MISMATCH-JSON: "budgets_match": false,

// A simulation that fails (here chip 1 waits on a channel chip 0 never
// sends on, patched into the binary past the compiler's deadlock check) is
// one error line, exit status 1, and no file.
// RUN: cp %t.npub %t.deadlock.npub
// RUN: %python %npu_src_root/test/Target/Binary/Inputs/npub-patch.py %t.deadlock.npub 'f5[1].f3[0].f3=1:i64'
// RUN: rm -rf %t.dl.out %t.dl.trace
// RUN: not npu-run %t.deadlock.npub --input x=%t.unsure.npy --output-dir %t.dl.out --trace %t.dl.trace 2>&1 | FileCheck %s --check-prefix=DEADLOCK --match-full-lines
// DEADLOCK: npu-run: error: simulation failed: deadlock: chip 1 ('big') waits at instruction 0 (recv) for chip 0 on channel 1, which halted without sending it
// DEADLOCK-NOT: {{.}}
// RUN: not test -e %t.dl.out
// RUN: not test -e %t.dl.trace
// The confident input never wakes chip 1, so it runs.
// RUN: npu-run %t.deadlock.npub --input x=%t.sure.npy | FileCheck %s --check-prefix=SURE-STDOUT

#chip0 = #npu.chip<id = 0, name = "small", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 256, mac_cols = 256, vector_lanes = 256, sram_bytes = 4194304, dram_bytes = 1073741824, dram_bytes_per_cycle = 64, clock_mhz = 1000, power = <active_mw = 2500, idle_mw = 400, off_mw = 15, wake_cycles = 10000, wake_energy_nj = 20000>>
#chip1 = #npu.chip<id = 1, name = "big", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 512, mac_cols = 512, vector_lanes = 512, sram_bytes = 16777216, dram_bytes = 4294967296, dram_bytes_per_cycle = 128, clock_mhz = 1000, power = <active_mw = 12000, idle_mw = 1800, off_mw = 40, wake_cycles = 50000, wake_energy_nj = 400000>>
#system = #npu.system<name = "e1-package", topology = "switch", chips = [#chip0, #chip1], links = [<a = 0, b = 1, bandwidth_gbps = 64, latency_ns = 100>], host = <bandwidth_gbps = 16, latency_ns = 1000>>
module attributes {npu.inputs = [#npu.tensor<"x" : tensor<4xf32>>], npu.outputs = [#npu.tensor<"y" : tensor<4xf32>>], npu.system = #system} {
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
