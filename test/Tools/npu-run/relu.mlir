// npu-run runs a binary on .npy and .pb inputs and prints its outputs or
// writes them as files: relu over a 2x4 f32 tensor on the single-chip
// system. Outputs are checked against numpy and against an independent
// .pb codec (Inputs/npu_run_util.py).

// RUN: npu-translate --npu-to-binary %s -o %t.npub
// RUN: %python %S/Inputs/npu_run_util.py save %t.x.npy f32 2,4 -1.5 2 -3 4 5 -6 7.25 -8

// Printed: name, type, shape and every value.
// RUN: npu-run %t.npub --input x=%t.x.npy | FileCheck %s --check-prefix=PRINT --match-full-lines
// PRINT: y: f32[2, 4] = [0, 2, 0, 4, 5, 0, 7.25, 0]
// PRINT-NOT: {{.}}
// RUN: npu-run %t.npub --input=x=%t.x.npy --print-limit 3 | FileCheck %s --check-prefix=LIMIT
// LIMIT: y: f32[2, 4] = [0, 2, 0, ... (5 more)]

// Written as .npy and compared with numpy's relu; nothing is printed.
// RUN: rm -rf %t.out
// RUN: npu-run %t.npub --input x=%t.x.npy --output-dir %t.out | count 0
// RUN: %python -c "import numpy as np, sys; x = np.load(sys.argv[1]); y = np.load(sys.argv[2]); assert y.dtype == np.float32 and y.shape == (2, 4), (y.dtype, y.shape); assert (y == np.maximum(x, 0)).all(), y" %t.x.npy %t.out/y.npy
// RUN: ls %t.out | FileCheck %s --check-prefix=FILES --match-full-lines
// FILES: y.npy
// FILES-NOT: {{.}}

// .pb in (raw_data, and the typed float_data field), .pb out, and back in.
// RUN: %python %S/Inputs/npu_run_util.py save %t.x.pb f32 2,4 -1.5 2 -3 4 5 -6 7.25 -8
// RUN: %python %S/Inputs/npu_run_util.py save %t.x.typed.pb f32 2,4 -1.5 2 -3 4 5 -6 7.25 -8
// RUN: npu-run %t.npub --input x=%t.x.typed.pb | FileCheck %s --check-prefix=PRINT
// RUN: rm -rf %t.pbout
// RUN: npu-run %t.npub --input x=%t.x.pb --output-dir %t.pbout --output-format=pb
// RUN: %python %S/Inputs/npu_run_util.py show %t.pbout/y.pb | FileCheck %s --check-prefix=PB
// PB: name y: f32[2, 4] = [0, 2, 0, 4, 5, 0, 7.25, 0]
// RUN: npu-run %t.npub --input x=%t.pbout/y.pb | FileCheck %s --check-prefix=PRINT
// The .npy and .pb outputs hold the same bytes.
// RUN: %python %S/Inputs/npu_run_util.py show %t.out/y.npy | FileCheck %s --check-prefix=NPY
// NPY: f32[2, 4] = [0, 2, 0, 4, 5, 0, 7.25, 0]

// Deterministic: the same binary and inputs give the same bytes.
// RUN: rm -rf %t.again
// RUN: npu-run %t.npub --input x=%t.x.npy --output-dir %t.again --trace %t.again.trace --report=json --report-file %t.again.json
// RUN: npu-run %t.npub --input x=%t.x.npy --trace %t.again.trace2 --report=json --report-file %t.again.json2 > /dev/null
// RUN: cmp %t.out/y.npy %t.again/y.npy
// RUN: cmp %t.again.trace %t.again.trace2
// RUN: cmp %t.again.json %t.again.json2

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
