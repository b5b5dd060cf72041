// Every failure of npu-run is one line on stderr, "npu-run: error: ...",
// naming what is wrong and where, with exit status 1, no crash and no
// output file: unreadable or malformed binaries (the loader's message),
// missing, unknown, malformed or mismatched inputs, bad command lines and
// unwritable outputs. Simulation failures are in report.mlir.

// RUN: npu-translate --npu-to-binary %s -o %t.npub
// RUN: %python %S/Inputs/npu_run_util.py save %t.x.npy f32 2,4 1 2 3 4 5 6 7 8
// RUN: rm -rf %t.out %t.trace %t.report
// The outputs every failing run below would write if it did not fail.
// DEFINE: %{files} = --output-dir %t.out --trace %t.trace --report-file %t.report

// A truncated binary, another file type, an empty file, no file.
// RUN: head -c 100 %t.npub > %t.truncated.npub
// RUN: not npu-run %t.truncated.npub --input x=%t.x.npy %{files} 2>&1 | FileCheck %s --check-prefix=TRUNCATED --match-full-lines
// TRUNCATED: npu-run: error: {{.*}}truncated.npub: {{.*}}
// TRUNCATED-NOT: {{.}}
// RUN: %python -c "import sys; d = bytearray(open(sys.argv[1], 'rb').read()); d[4:8] = b'ONNX'; open(sys.argv[2], 'wb').write(d)" %t.npub %t.magic.npub
// RUN: not npu-run %t.magic.npub --input x=%t.x.npy %{files} 2>&1 | FileCheck %s --check-prefix=MAGIC
// MAGIC: npu-run: error: {{.*}}magic.npub: wrong file identifier 'ONNX' (expected 'NPUB'): not a .npub file
// RUN: rm -f %t.empty.npub && touch %t.empty.npub
// RUN: not npu-run %t.empty.npub %{files} 2>&1 | FileCheck %s --check-prefix=EMPTY
// EMPTY: npu-run: error: {{.*}}empty.npub: file too small: 0 bytes
// RUN: not npu-run %t.nonexistent.npub 2>&1 | FileCheck %s --check-prefix=NOFILE
// NOFILE: npu-run: error: cannot open '{{.*}}nonexistent.npub': No such file or directory

// Inputs: missing, unknown, twice, the wrong shape or type, malformed.
// RUN: not npu-run %t.npub %{files} 2>&1 | FileCheck %s --check-prefix=MISSING
// MISSING: npu-run: error: missing input 'x' (f32[2, 4]); pass --input x=FILE
// RUN: not npu-run %t.npub --input x=%t.x.npy --input w=%t.x.npy %{files} 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// UNKNOWN: npu-run: error: unknown input 'w' (the model's inputs: x f32[2, 4])
// RUN: not npu-run %t.npub --input x=%t.x.npy --input x=%t.x.npy %{files} 2>&1 | FileCheck %s --check-prefix=TWICE
// TWICE: npu-run: error: input 'x' is given more than once
// RUN: %python %S/Inputs/npu_run_util.py save %t.flat.npy f32 8 1 2 3 4 5 6 7 8
// RUN: not npu-run %t.npub --input x=%t.flat.npy %{files} 2>&1 | FileCheck %s --check-prefix=SHAPE
// SHAPE: npu-run: error: input 'x' from '{{.*}}flat.npy': expected f32[2, 4], got f32[8]
// RUN: %python -c "import numpy as np, sys; np.save(sys.argv[1], np.zeros((2, 4)))" %t.f64.npy
// RUN: not npu-run %t.npub --input x=%t.f64.npy %{files} 2>&1 | FileCheck %s --check-prefix=DTYPE
// DTYPE: npu-run: error: input 'x' from '{{.*}}f64.npy': expected f32[2, 4], got f64[2, 4]
// RUN: %python %S/Inputs/npu_run_util.py save %t.x.pb i32 2,4 1 2 3 4 5 6 7 8
// RUN: not npu-run %t.npub --input x=%t.x.pb %{files} 2>&1 | FileCheck %s --check-prefix=PB-DTYPE
// PB-DTYPE: npu-run: error: input 'x' from '{{.*}}x.pb': expected f32[2, 4], got i32[2, 4]
// RUN: head -c 100 %t.x.npy > %t.cut.npy
// RUN: not npu-run %t.npub --input x=%t.cut.npy %{files} 2>&1 | FileCheck %s --check-prefix=CUT-NPY
// CUT-NPY: npu-run: error: input 'x': {{.*}}cut.npy: byte 8: header length 118 runs past the end of the 100-byte file
// RUN: %python %S/Inputs/npu_run_util.py save %t.full.pb f32 2,4 1 2 3 4 5 6 7 8
// RUN: head -c 20 %t.full.pb > %t.cut.pb
// RUN: not npu-run %t.npub --input x=%t.cut.pb %{files} 2>&1 | FileCheck %s --check-prefix=CUT-PB
// CUT-PB: npu-run: error: input 'x': {{.*}}cut.pb: byte 15: raw_data is 32 bytes but only 4 remain in the 20-byte file
// RUN: not npu-run %t.npub --input x=%t.x.txt %{files} 2>&1 | FileCheck %s --check-prefix=EXT
// EXT: npu-run: error: input 'x': {{.*}}x.txt: cannot tell the file's format from its name (expected a .npy or .pb extension)

// The command line.
// RUN: not npu-run %t.npub --input x=%t.x.npy --frobnicate %{files} 2>&1 | FileCheck %s --check-prefix=FLAG
// FLAG: npu-run: error: unknown option '--frobnicate' (see npu-run --help)
// RUN: not npu-run %t.npub --input %{files} 2>&1 | FileCheck %s --check-prefix=BINDING
// BINDING: npu-run: error: --input expects NAME=FILE, got '--output-dir'
// RUN: not npu-run --input x=%t.x.npy 2>&1 | FileCheck %s --check-prefix=NOMODEL
// NOMODEL: npu-run: error: no model given
// RUN: not npu-run %t.npub %t.npub 2>&1 | FileCheck %s --check-prefix=TWOMODELS
// TWOMODELS: npu-run: error: more than one model given
// RUN: not npu-run %t.npub --input x=%t.x.npy --report=yaml 2>&1 | FileCheck %s --check-prefix=REPORT
// REPORT: npu-run: error: --report must be 'table' or 'json', not 'yaml'
// RUN: not npu-run %t.npub --input x=%t.x.npy --output-format=csv 2>&1 | FileCheck %s --check-prefix=FORMAT
// FORMAT: npu-run: error: --output-format must be 'npy' or 'pb', not 'csv'
// RUN: npu-run --help | FileCheck %s --check-prefix=HELP
// HELP: USAGE: npu-run MODEL.npub --input NAME=FILE

// Outputs that cannot be written: an output directory under a file, a
// report in a directory that does not exist. Nothing is written, not even
// the files that could be.
// RUN: not npu-run %t.npub --input x=%t.x.npy --output-dir %t.x.npy/out 2>&1 | FileCheck %s --check-prefix=OUTDIR
// OUTDIR: npu-run: error: cannot create output directory '{{.*}}x.npy/out': '{{.*}}x.npy' is not a directory
// RUN: not npu-run %t.npub --input x=%t.x.npy --output-dir %t.out --trace %t.trace --report-file %t.nodir/report 2>&1 | FileCheck %s --check-prefix=REPORTFILE
// REPORTFILE: npu-run: error: cannot write '{{.*}}nodir/report': No such file or directory

// No failure above left a file behind.
// RUN: not test -e %t.out
// RUN: not test -e %t.trace
// RUN: not test -e %t.report
// RUN: ls %t.* | FileCheck %s --check-prefix=LEFT --implicit-check-not=tmp-
// LEFT: errors.mlir.tmp.cut.npy

#chip0 = #npu.chip<id = 0, name = "npu0", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 256, mac_cols = 256, vector_lanes = 256, sram_bytes = 8388608, dram_bytes = 2147483648, dram_bytes_per_cycle = 64, clock_mhz = 1000, power = <active_mw = 4000, idle_mw = 600, off_mw = 20, wake_cycles = 20000, wake_energy_nj = 50000>>
#system = #npu.system<name = "single", topology = "switch", chips = [#chip0], host = <bandwidth_gbps = 16, latency_ns = 1000>>
module attributes {npu.inputs = [#npu.tensor<"x" : tensor<2x4xf32>>], npu.outputs = [#npu.tensor<"y" : tensor<2x4xf32>>], npu.system = #system} {
  npuisa.program @relu chip(0) {
    npuisa.load_input "x" offset(0) -> dram(0) bytes(32)
    npuisa.dma_in dram(0) -> sram(0) rows(1) row_bytes(32) strides[32, 32]
    npuisa.signal token(0) on(dma_in)
    npuisa.wait token(0) on(vector)
    npuisa.vector relu a(0) -> dst(64) count(8) dtype(f32)
    npuisa.signal token(1) on(vector)
    npuisa.wait token(1) on(dma_out)
    npuisa.dma_out sram(64) -> dram(64) rows(1) row_bytes(32) strides[32, 32]
    npuisa.store_output "y" offset(0) from dram(64) bytes(32)
    npuisa.halt
  }
}
