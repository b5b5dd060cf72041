// A matmul on the MAC array plus a bias from a DRAM segment (weights in the
// binary), with two inputs: c = a @ b + bias, checked by hand on small
// integers and against numpy on random values.

// RUN: npu-translate --npu-to-binary %s -o %t.npub
// RUN: %python %S/Inputs/npu_run_util.py save %t.a.npy f32 2,3 1 2 3 4 5 6
// RUN: %python %S/Inputs/npu_run_util.py save %t.b.npy f32 3,2 1 0 0 1 1 -1
// RUN: npu-run %t.npub --input a=%t.a.npy --input b=%t.b.npy | FileCheck %s
// CHECK: c: f32[2, 2] = [4.5, -101, 10.5, -101]

// Inputs in either order, from either format.
// RUN: %python %S/Inputs/npu_run_util.py save %t.b.pb f32 3,2 1 0 0 1 1 -1
// RUN: npu-run %t.npub --input b=%t.b.pb --input a=%t.a.npy | FileCheck %s

// Random inputs against numpy.
// RUN: %python -c "import numpy as np, sys; r = np.random.default_rng(5); np.save(sys.argv[1], r.standard_normal((2, 3), dtype=np.float32)); np.save(sys.argv[2], r.standard_normal((3, 2), dtype=np.float32))" %t.ra.npy %t.rb.npy
// RUN: rm -rf %t.out && npu-run %t.npub --input a=%t.ra.npy --input b=%t.rb.npy --output-dir %t.out
// RUN: %python -c "import numpy as np, sys; a, b, c = (np.load(f) for f in sys.argv[1:]); ref = a.astype(np.float64) @ b + np.array([0.5, -100.0]); assert c.shape == (2, 2) and np.allclose(c, ref, rtol=1e-6, atol=1e-5), (c, ref)" %t.ra.npy %t.rb.npy %t.out/c.npy

#chip0 = #npu.chip<id = 0, name = "npu0", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 256, mac_cols = 256, vector_lanes = 256, sram_bytes = 8388608, dram_bytes = 2147483648, dram_bytes_per_cycle = 64, clock_mhz = 1000, power = <active_mw = 4000, idle_mw = 600, off_mw = 20, wake_cycles = 20000, wake_energy_nj = 50000>>
#system = #npu.system<name = "single", topology = "switch", chips = [#chip0], host = <bandwidth_gbps = 16, latency_ns = 1000>>
module attributes {npu.inputs = [#npu.tensor<"a" : tensor<2x3xf32>>, #npu.tensor<"b" : tensor<3x2xf32>>], npu.outputs = [#npu.tensor<"c" : tensor<2x2xf32>>], npu.system = #system} {
  npuisa.program @matmul chip(0) attributes {npuisa.segments = [{dram = 4096 : i64, data = dense<[0.5, -100.0]> : tensor<2xf32>}]} {
    npuisa.load_input "a" offset(0) -> dram(0) bytes(24)
    npuisa.load_input "b" offset(0) -> dram(64) bytes(24)
    npuisa.dma_in dram(0) -> sram(0) rows(1) row_bytes(24) strides[24, 24]
    npuisa.dma_in dram(64) -> sram(64) rows(1) row_bytes(24) strides[24, 24]
    npuisa.dma_in dram(4096) -> sram(256) rows(1) row_bytes(8) strides[8, 8]
    npuisa.signal token(0) on(dma_in)
    npuisa.signal token(2) on(dma_in)
    npuisa.wait token(0) on(mac)
    npuisa.matmul a(0) b(64) c(128) m(2) k(3) n(2) lds[3, 2, 2] dtype(f32) accumulate(false)
    npuisa.signal token(1) on(mac)
    npuisa.wait token(1) on(vector)
    npuisa.wait token(2) on(vector)
    npuisa.vector add a(128) b(256) b_bcast[2, 1] -> dst(192) count(4) dtype(f32)
    npuisa.signal token(3) on(vector)
    npuisa.wait token(3) on(dma_out)
    npuisa.dma_out sram(192) -> dram(128) rows(1) row_bytes(16) strides[16, 16]
    npuisa.store_output "c" offset(0) from dram(128) bytes(16)
    npuisa.halt
  }
}
