// Corrupted binaries are rejected by npu-run's loader with a message naming
// what is wrong and where, exit code 1, and nothing written.
// RUN: rm -rf %t && mkdir -p %t
// RUN: npu-translate --npu-to-binary %s -o %t/good.npub
// RUN: %python -c "import numpy as np; np.save('%t/x.npy', np.arange(8, dtype=np.float32) - 4)"
// RUN: npu-run %t/good.npub --input x=%t/x.npy --output-dir %t/out-good | count 0
// RUN: ls %t/out-good | FileCheck %s --check-prefix=GOOD
// GOOD: y.npy
//
// Truncated.
// RUN: head -c 200 %t/good.npub > %t/truncated.npub
// RUN: not npu-run %t/truncated.npub --input x=%t/x.npy --output-dir %t/o1 2>&1 | FileCheck %s --check-prefix=TRUNC
// TRUNC: npu-run: error: {{.*}}truncated.npub:
// RUN: not test -e %t/o1
//
// Wrong magic (the file identifier at bytes 4..7).
// RUN: %python -c "d=bytearray(open('%t/good.npub','rb').read()); d[4:8]=b'XXXX'; open('%t/magic.npub','wb').write(d)"
// RUN: not npu-run %t/magic.npub --input x=%t/x.npy 2>&1 | FileCheck %s --check-prefix=MAGIC
// MAGIC: npu-run: error: {{.*}}magic.npub: {{.*}}NPUB
//
// Wrong version (Model field 0).
// RUN: cp %t/good.npub %t/version.npub && %python %S/../../Target/Binary/Inputs/npub-patch.py %t/version.npub 'f0=7:u32'
// RUN: not npu-run %t/version.npub --input x=%t/x.npy 2>&1 | FileCheck %s --check-prefix=VERSION
// VERSION: npu-run: error: {{.*}}unsupported format version 7 (this runtime reads 1)
//
// A buffer past SRAM: instruction 1 (dma_in) field 1 (sram) moved to the
// last 8 bytes of the 4 MiB SRAM; the 32-byte row no longer fits.
// RUN: cp %t/good.npub %t/sram.npub && %python %S/../../Target/Binary/Inputs/npub-patch.py %t/sram.npub 'f5[0].f3[1].f1=4194296:i64'
// RUN: not npu-run %t/sram.npub --input x=%t/x.npy 2>&1 | FileCheck %s --check-prefix=PASTSRAM
// PASTSRAM: npu-run: error: {{.*}}instruction 1 (dma_in){{.*}}SRAM
//
// An operand out of range: the vector op's kind (instruction 4, field 0).
// RUN: cp %t/good.npub %t/kind.npub && %python %S/../../Target/Binary/Inputs/npub-patch.py %t/kind.npub 'f5[0].f3[4].f0=99:u8'
// RUN: not npu-run %t/kind.npub --input x=%t/x.npy 2>&1 | FileCheck %s --check-prefix=KIND
// KIND: npu-run: error: {{.*}}instruction 4 (vector){{.*}}kind
//
// A MAC-free program cannot have an oversized tile, but a DMA row count can
// overflow DRAM: instruction 1 field 2 (rows).
// RUN: cp %t/good.npub %t/rows.npub && %python %S/../../Target/Binary/Inputs/npub-patch.py %t/rows.npub 'f5[0].f3[1].f2=4611686018427387904:i64'
// RUN: not npu-run %t/rows.npub --input x=%t/x.npy 2>&1 | FileCheck %s --check-prefix=ROWS
// ROWS: npu-run: error: {{.*}}instruction 1 (dma_in)
//
// A negative budget counter: the "full" budget's peak_dram_bytes (Budget
// field 8).
// RUN: cp %t/good.npub %t/peakdram.npub && %python %S/../../Target/Binary/Inputs/npub-patch.py %t/peakdram.npub 'f5[0].f5[0].f8=-1:i64'
// RUN: not npu-run %t/peakdram.npub --input x=%t/x.npy 2>&1 | FileCheck %s --check-prefix=PEAKDRAM
// PEAKDRAM: npu-run: error: {{.*}}budgets[0]: field 'peak_dram_bytes' must be non-negative (got -1)

#chip0 = #npu.chip<id = 0, name = "small", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 256, mac_cols = 256, vector_lanes = 256, sram_bytes = 4194304, dram_bytes = 1073741824, dram_bytes_per_cycle = 64, clock_mhz = 1000, power = <active_mw = 2500, idle_mw = 400, off_mw = 15, wake_cycles = 10000, wake_energy_nj = 20000>>
#chip1 = #npu.chip<id = 1, name = "big", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 512, mac_cols = 512, vector_lanes = 512, sram_bytes = 16777216, dram_bytes = 4294967296, dram_bytes_per_cycle = 128, clock_mhz = 1000, power = <active_mw = 12000, idle_mw = 1800, off_mw = 40, wake_cycles = 50000, wake_energy_nj = 400000>>
#system = #npu.system<name = "e1-package", topology = "switch", chips = [#chip0, #chip1], links = [<a = 0, b = 1, bandwidth_gbps = 64, latency_ns = 100>], host = <bandwidth_gbps = 16, latency_ns = 1000>>
module attributes {npu.inputs = [#npu.tensor<"x" : tensor<8xf32>>], npu.outputs = [#npu.tensor<"y" : tensor<8xf32>>], npu.system = #system} {
  npuisa.program @p chip(0) {
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
