// The worked example of docs/cost-model.md: one DMA and one 256x64x256
// matmul tile (plus the instructions around them) on the small chip of the
// e1-package preset. If a formula or a preset number changes, this test and
// the document change together.

// RUN: npu-opt %s --npu-report-costs --verify-diagnostics -o /dev/null
// RUN: npu-opt %s --npu-report-costs=per-instruction=false 2>&1 -o /dev/null | FileCheck %s --check-prefix=TOTALS --implicit-check-not=remark:

// TOTALS: remark: chip 0 (small) path 'full': busy cycles dma_in=7217 dma_out=21529 mac=582 vector=261 link_tx=4113 link_rx=0 control=1; lower bound 21529 cycles; host_bytes=327680 dram_bytes=393216 link_bytes=262144
// TOTALS: remark: chip 1 (big) path 'full': busy cycles dma_in=0 dma_out=0 mac=0 vector=0 link_tx=0 link_rx=4112 control=1; lower bound 4112 cycles; host_bytes=0 dram_bytes=0 link_bytes=262144

// The e1-package preset, as npu-opt --npu-set-system=system=e1-package prints it.
#chip0 = #npu.chip<id = 0, name = "small", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 256, mac_cols = 256, vector_lanes = 256, sram_bytes = 4194304, dram_bytes = 1073741824, dram_bytes_per_cycle = 64, clock_mhz = 1000, power = <active_mw = 2500, idle_mw = 400, off_mw = 15, wake_cycles = 10000, wake_energy_nj = 20000>>
#chip1 = #npu.chip<id = 1, name = "big", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 512, mac_cols = 512, vector_lanes = 512, sram_bytes = 16777216, dram_bytes = 4294967296, dram_bytes_per_cycle = 128, clock_mhz = 1000, power = <active_mw = 12000, idle_mw = 1800, off_mw = 40, wake_cycles = 50000, wake_energy_nj = 400000>>
#system = #npu.system<name = "e1-package", topology = "switch", chips = [#chip0, #chip1], links = [<a = 0, b = 1, bandwidth_gbps = 64, latency_ns = 100>], host = <bandwidth_gbps = 16, latency_ns = 1000>>
module attributes {npu.inputs = [#npu.tensor<"x" : tensor<16384xf32>>], npu.outputs = [#npu.tensor<"y" : tensor<65536xf32>>], npu.system = #system} {
  // expected-remark @below {{chip 0 (small) path 'full': busy cycles dma_in=7217 dma_out=21529 mac=582 vector=261 link_tx=4113 link_rx=0 control=1; lower bound 21529 cycles; host_bytes=327680 dram_bytes=393216 link_bytes=262144}}
  npuisa.program @small chip(0) {
    // 24 + ceil(1000 ns * 1000 MHz / 1000) + ceil(65536 * 1000 / (16 * 1000))
    // expected-remark @below {{dma_in cycles=5120 host_bytes=65536 dram_bytes=0 link_bytes=0}}
    npuisa.load_input "x" offset(0) -> dram(0) bytes(65536)
    // A = 256x64 f32 = 65536 bytes: 24 + 65536 / 64
    // expected-remark @below {{dma_in cycles=1048 host_bytes=0 dram_bytes=65536 link_bytes=0}}
    npuisa.dma_in dram(0) -> sram(0) rows(256) row_bytes(256) strides[256, 256]
    // B = 64x256 f32 = 65536 bytes
    // expected-remark @below {{dma_in cycles=1048 host_bytes=0 dram_bytes=65536 link_bytes=0}}
    npuisa.dma_in dram(65536) -> sram(65536) rows(64) row_bytes(1024) strides[1024, 1024]
    // expected-remark @below {{dma_in cycles=1 host_bytes=0 dram_bytes=0 link_bytes=0}}
    npuisa.signal token(0) on(dma_in)
    // expected-remark @below {{mac cycles=1 host_bytes=0 dram_bytes=0 link_bytes=0}}
    npuisa.wait token(0) on(mac)
    // 4 + m + n + k = 4 + 256 + 256 + 64
    // expected-remark @below {{mac cycles=580 host_bytes=0 dram_bytes=0 link_bytes=0}}
    npuisa.matmul a(0) b(65536) c(131072) m(256) k(64) n(256) lds[64, 256, 256] dtype(f32) accumulate(false)
    // expected-remark @below {{mac cycles=1 host_bytes=0 dram_bytes=0 link_bytes=0}}
    npuisa.signal token(1) on(mac)
    // expected-remark @below {{vector cycles=1 host_bytes=0 dram_bytes=0 link_bytes=0}}
    npuisa.wait token(1) on(vector)
    // 2 + ceil(65536 / 256) * 1
    // expected-remark @below {{vector cycles=258 host_bytes=0 dram_bytes=0 link_bytes=0}}
    npuisa.vector relu a(131072) -> dst(131072) count(65536) dtype(f32)
    // expected-remark @below {{vector cycles=1 host_bytes=0 dram_bytes=0 link_bytes=0}}
    npuisa.signal token(2) on(vector)
    // expected-remark @below {{vector cycles=1 host_bytes=0 dram_bytes=0 link_bytes=0}}
    npuisa.signal token(3) on(vector)
    // expected-remark @below {{link_tx cycles=1 host_bytes=0 dram_bytes=0 link_bytes=0}}
    npuisa.wait token(2) on(link_tx)
    // 16 + ceil(262144 * 1000 / (64 * 1000))
    // expected-remark @below {{link_tx cycles=4112 host_bytes=0 dram_bytes=0 link_bytes=262144}}
    npuisa.send sram(131072) bytes(262144) to chip(1) channel(0)
    // expected-remark @below {{dma_out cycles=1 host_bytes=0 dram_bytes=0 link_bytes=0}}
    npuisa.wait token(3) on(dma_out)
    // 24 + 262144 / 64
    // expected-remark @below {{dma_out cycles=4120 host_bytes=0 dram_bytes=262144 link_bytes=0}}
    npuisa.dma_out sram(131072) -> dram(131072) rows(256) row_bytes(1024) strides[1024, 1024]
    // 24 + 1000 + ceil(262144 * 1000 / (16 * 1000))
    // expected-remark @below {{dma_out cycles=17408 host_bytes=262144 dram_bytes=0 link_bytes=0}}
    npuisa.store_output "y" offset(0) from dram(131072) bytes(262144)
    // expected-remark @below {{control cycles=1 host_bytes=0 dram_bytes=0 link_bytes=0}}
    npuisa.halt
  }
  // expected-remark @below {{chip 1 (big) path 'full': busy cycles dma_in=0 dma_out=0 mac=0 vector=0 link_tx=0 link_rx=4112 control=1; lower bound 4112 cycles; host_bytes=0 dram_bytes=0 link_bytes=262144}}
  npuisa.program @big chip(1) {
    // The receiver drains at link speed with its own clock: 16 + 4096.
    // expected-remark @below {{link_rx cycles=4112 host_bytes=0 dram_bytes=0 link_bytes=262144}}
    npuisa.recv sram(0) bytes(262144) from chip(0) channel(0)
    // expected-remark @below {{control cycles=1 host_bytes=0 dram_bytes=0 link_bytes=0}}
    npuisa.halt
  }
}
