// Multi-chip modules against the system they are compiled for. The module
// is written for e1-package (programs are verified against the system when
// parsed); --npu-set-system and --npu-compile replace that system.
//
// RUN: npu-opt %s --npu-compile="system=e1-package" | FileCheck %s
// The chip option applies to a single function only.
// RUN: npu-opt %s --npu-lower-to-isa=chip=5 | FileCheck %s --check-prefix=ANYCHIP
// On mesh-2x2 the chips exist and are linked, but chip 1 has no conv unit.
// RUN: not npu-opt %s --npu-compile="system=mesh-2x2" 2>&1 \
// RUN:   | FileCheck %s --check-prefix=NOCONV
// On 'single' there is no chip 1: the verifiers say so, and so does the
// lowering when nothing verifies the module in between.
// RUN: not npu-opt %s --npu-set-system=system=single --npu-lower-to-isa 2>&1 \
// RUN:   | FileCheck %s --check-prefix=NOCHIP
// RUN: not npu-opt %s --npu-set-system=system=single --npu-lower-to-isa \
// RUN:   --verify-each=false 2>&1 \
// RUN:   | FileCheck %s --check-prefixes=NOCHIP,LOWERING

// CHECK: npuisa.program @first chip(0)
// CHECK: npuisa.conv
// CHECK: npuisa.send {{.*}} to chip(1) channel(0) {npuisa.schedule =
// CHECK: npuisa.program @second chip(1)
// CHECK: npuisa.recv {{.*}} from chip(0) channel(0) {npuisa.schedule =
// CHECK: npuisa.conv
// ANYCHIP: npuisa.program @first chip(0)
// ANYCHIP: npuisa.program @second chip(1)
// NOCONV: error: 'npu.conv2d' op needs the 'conv' capability, which chip 1 (npu1) lacks
// NOCONV-NOT: error
// NOCHIP: error: 'npu.send' op chip 1 is not in system 'single'
// LOWERING: error: 'npu.program' op chip 1 is not in system 'single'
#chip0 = #npu.chip<id = 0, name = "small", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 256, mac_cols = 256, vector_lanes = 256, sram_bytes = 4194304, dram_bytes = 1073741824, dram_bytes_per_cycle = 64, clock_mhz = 1000, power = <active_mw = 2500, idle_mw = 400, off_mw = 15, wake_cycles = 10000, wake_energy_nj = 20000>>
#chip1 = #npu.chip<id = 1, name = "big", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 512, mac_cols = 512, vector_lanes = 512, sram_bytes = 16777216, dram_bytes = 4294967296, dram_bytes_per_cycle = 128, clock_mhz = 1000, power = <active_mw = 12000, idle_mw = 1800, off_mw = 40, wake_cycles = 50000, wake_energy_nj = 400000>>
#system = #npu.system<name = "e1-package", topology = "switch", chips = [#chip0, #chip1], links = [<a = 0, b = 1, bandwidth_gbps = 64, latency_ns = 100>], host = <bandwidth_gbps = 16, latency_ns = 1000>>
module attributes {npu.system = #system} {
  npu.program @first chip(0) {
    %x = npu.input "x" : tensor<1x1x4x4xf32>
    %w = arith.constant dense<0.5> : tensor<2x1x1x1xf32>
    %y = npu.conv2d %x, %w : (tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x4x4xf32>
    npu.send %y to chip(1) channel(0) : tensor<1x2x4x4xf32>
  }
  npu.program @second chip(1) {
    %y = npu.recv from chip(0) channel(0) : tensor<1x2x4x4xf32>
    %w = arith.constant dense<0.25> : tensor<1x2x1x1xf32>
    %z = npu.conv2d %y, %w : (tensor<1x2x4x4xf32>, tensor<1x2x1x1xf32>) -> tensor<1x1x4x4xf32>
    npu.output "z", %z : tensor<1x1x4x4xf32>
  }
}
