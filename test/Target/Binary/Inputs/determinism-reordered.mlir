// determinism.mlir with its programs, segments and attributes reordered.
#chip0 = #npu.chip<id = 0, name = "small", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 256, mac_cols = 256, vector_lanes = 256, sram_bytes = 4194304, dram_bytes = 1073741824, dram_bytes_per_cycle = 64, clock_mhz = 1000, power = <active_mw = 2500, idle_mw = 400, off_mw = 15, wake_cycles = 10000, wake_energy_nj = 20000>>
#chip1 = #npu.chip<id = 1, name = "big", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 512, mac_cols = 512, vector_lanes = 512, sram_bytes = 16777216, dram_bytes = 4294967296, dram_bytes_per_cycle = 128, clock_mhz = 1000, power = <active_mw = 12000, idle_mw = 1800, off_mw = 40, wake_cycles = 50000, wake_energy_nj = 400000>>
#system = #npu.system<name = "e1-package", topology = "switch", chips = [#chip0, #chip1], links = [<a = 0, b = 1, bandwidth_gbps = 64, latency_ns = 100>], host = <bandwidth_gbps = 16, latency_ns = 1000>>
module attributes {npu.system = #system, npu.outputs = [#npu.tensor<"y" : tensor<4xf32>>], npu.inputs = [#npu.tensor<"x" : tensor<256xf32>>]} {
  npuisa.program @big chip(1) {
    npuisa.recv sram(0) bytes(256) from chip(0) channel(0)
    npuisa.vector sigmoid a(0) -> dst(0) count(64) dtype(f32)
    npuisa.dma_out sram(0) -> dram(0) rows(1) row_bytes(16) strides[16, 16]
    npuisa.store_output "y" offset(0) from dram(0) bytes(16)
    npuisa.halt
  }
  npuisa.program @small chip(0) attributes {npuisa.segments = [{data = dense<-3> : tensor<16xi8>, dram = 65536 : i64}, {data = dense<[[1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0], [9.0, 10.0, 11.0, 12.0], [13.0, 14.0, 15.0, 16.0]]> : tensor<4x4xf32>, dram = 4096 : i64}]} {
    npuisa.load_input "x" offset(0) -> dram(0) bytes(1024)
    npuisa.dma_in dram(0) -> sram(0) rows(1) row_bytes(1024) strides[1024, 1024]
    npuisa.dma_in dram(4096) -> sram(4096) rows(1) row_bytes(64) strides[64, 64]
    npuisa.signal token(0) on(dma_in)
    npuisa.wait token(0) on(mac)
    npuisa.matmul a(0) b(4096) c(8192) m(16) k(16) n(4) lds[16, 4, 4] dtype(f32) accumulate(false)
    npuisa.signal token(1) on(mac)
    npuisa.wait token(1) on(vector)
    npuisa.vector relu a(8192) -> dst(8192) count(64) dtype(f32)
    npuisa.exit_check src(8192) classes(4) dtype(f32) measure(max_prob) threshold(9.000000e-01) {
      npuisa.dma_out sram(8192) -> dram(16384) rows(1) row_bytes(16) strides[16, 16]
      npuisa.store_output "y" offset(0) from dram(16384) bytes(16)
      npuisa.halt
    }
    npuisa.escalate chip(1)
    npuisa.send sram(8192) bytes(256) to chip(1) channel(0)
    npuisa.halt
  }
}
