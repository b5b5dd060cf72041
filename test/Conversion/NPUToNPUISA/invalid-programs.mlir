// RUN: npu-opt %s -split-input-file --npu-lower-to-isa -verify-diagnostics

// Every diagnostic of npu-lower-to-isa that is particular to modules of
// npu.program ops (one per chip). Systems are written inline, as programs
// are verified against them when parsed: e1-package (chip 0: 4 MiB SRAM)
// and mesh-2x2 (links 0-1, 0-2, 1-3, 2-3; chip 1 dense without conv,
// chip 2 low-precision without f32). Targets given by name:
// programs-target.mlir.

#chip0 = #npu.chip<id = 0, name = "small", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 256, mac_cols = 256, vector_lanes = 256, sram_bytes = 4194304, dram_bytes = 1073741824, dram_bytes_per_cycle = 64, clock_mhz = 1000, power = <active_mw = 2500, idle_mw = 400, off_mw = 15, wake_cycles = 10000, wake_energy_nj = 20000>>
#chip1 = #npu.chip<id = 1, name = "big", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 512, mac_cols = 512, vector_lanes = 512, sram_bytes = 16777216, dram_bytes = 4294967296, dram_bytes_per_cycle = 128, clock_mhz = 1000, power = <active_mw = 12000, idle_mw = 1800, off_mw = 40, wake_cycles = 50000, wake_energy_nj = 400000>>
#system = #npu.system<name = "e1-package", topology = "switch", chips = [#chip0, #chip1], links = [<a = 0, b = 1, bandwidth_gbps = 64, latency_ns = 100>], host = <bandwidth_gbps = 16, latency_ns = 1000>>
module attributes {npu.system = #system} {
  // expected-error @+1 {{'func.func' op cannot be lowered next to npu.program ops: a module is either one model function (for one chip) or one npu.program per chip}}
  func.func @model(%x: tensor<4xf32>) -> tensor<4xf32> {
    return %x : tensor<4xf32>
  }
  // expected-note @+1 {{the first npu.program}}
  npu.program @p chip(0) {
  }
}

// -----

// npuisa.send / npuisa.recv use one link; a route is explicit relays.
#chip0 = #npu.chip<id = 0, name = "npu0", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 256, mac_cols = 256, vector_lanes = 256, sram_bytes = 8388608, dram_bytes = 2147483648, dram_bytes_per_cycle = 64, clock_mhz = 1000, power = <active_mw = 4000, idle_mw = 600, off_mw = 20, wake_cycles = 20000, wake_energy_nj = 50000>, coord = [0, 0]>
#chip1 = #npu.chip<id = 1, name = "npu1", kind = "dense", caps = ["dense", "activation", "fp32", "fp16", "bf16"], mac_rows = 512, mac_cols = 512, vector_lanes = 512, sram_bytes = 16777216, dram_bytes = 2147483648, dram_bytes_per_cycle = 128, clock_mhz = 1000, power = <active_mw = 12000, idle_mw = 1800, off_mw = 40, wake_cycles = 20000, wake_energy_nj = 200000>, coord = [1, 0]>
#chip2 = #npu.chip<id = 2, name = "npu2", kind = "lowp", caps = ["dense", "conv", "activation", "fp16", "int8"], mac_rows = 256, mac_cols = 256, vector_lanes = 256, sram_bytes = 8388608, dram_bytes = 2147483648, dram_bytes_per_cycle = 64, clock_mhz = 1250, power = <active_mw = 2500, idle_mw = 400, off_mw = 15, wake_cycles = 20000, wake_energy_nj = 30000>, coord = [0, 1]>
#chip3 = #npu.chip<id = 3, name = "npu3", kind = "conv", caps = ["conv", "activation", "fp32", "fp16", "int8"], mac_rows = 256, mac_cols = 256, vector_lanes = 256, sram_bytes = 8388608, dram_bytes = 2147483648, dram_bytes_per_cycle = 64, clock_mhz = 1000, power = <active_mw = 3500, idle_mw = 500, off_mw = 20, wake_cycles = 20000, wake_energy_nj = 40000>, coord = [1, 1]>
#system = #npu.system<name = "mesh-2x2", topology = "mesh", mesh_dims = [2, 2], chips = [#chip0, #chip1, #chip2, #chip3], links = [<a = 0, b = 1, bandwidth_gbps = 32, latency_ns = 50>, <a = 0, b = 2, bandwidth_gbps = 32, latency_ns = 50>, <a = 1, b = 3, bandwidth_gbps = 32, latency_ns = 50>, <a = 2, b = 3, bandwidth_gbps = 32, latency_ns = 50>], host = <bandwidth_gbps = 16, latency_ns = 1000>>
module attributes {npu.system = #system} {
  npu.program @a chip(0) {
    %x = npu.input "x" : tensor<4xf32>
    // expected-error @+1 {{'npu.send' op chip 0 and chip 3 have no direct link in system 'mesh-2x2'; route through a neighbour (chip 1 or chip 2)}}
    npu.send %x to chip(3) channel(0) : tensor<4xf32>
  }
  npu.program @b chip(3) {
    // expected-error @+1 {{'npu.recv' op chip 3 and chip 0 have no direct link in system 'mesh-2x2'; route through a neighbour (chip 1 or chip 2)}}
    %x = npu.recv from chip(0) channel(0) : tensor<4xf32>
    npu.output "y", %x : tensor<4xf32>
  }
}

// -----

// Each chip receives before it sends: in IR order (the order of the
// streams) neither message is ever sent.
#chip0 = #npu.chip<id = 0, name = "small", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 256, mac_cols = 256, vector_lanes = 256, sram_bytes = 4194304, dram_bytes = 1073741824, dram_bytes_per_cycle = 64, clock_mhz = 1000, power = <active_mw = 2500, idle_mw = 400, off_mw = 15, wake_cycles = 10000, wake_energy_nj = 20000>>
#chip1 = #npu.chip<id = 1, name = "big", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 512, mac_cols = 512, vector_lanes = 512, sram_bytes = 16777216, dram_bytes = 4294967296, dram_bytes_per_cycle = 128, clock_mhz = 1000, power = <active_mw = 12000, idle_mw = 1800, off_mw = 40, wake_cycles = 50000, wake_energy_nj = 400000>>
#system = #npu.system<name = "e1-package", topology = "switch", chips = [#chip0, #chip1], links = [<a = 0, b = 1, bandwidth_gbps = 64, latency_ns = 100>], host = <bandwidth_gbps = 16, latency_ns = 1000>>
module attributes {npu.system = #system} {
  npu.program @a chip(0) {
    // expected-error @+1 {{'npu.recv' op deadlocks: chip 0 waits here for a message from chip 1 on channel 0 that is sent only after this}}
    %x = npu.recv from chip(1) channel(0) : tensor<4xf32>
    npu.send %x to chip(1) channel(1) : tensor<4xf32>
  }
  npu.program @b chip(1) {
    // expected-note @+1 {{chip 1 is waiting here}}
    %y = npu.recv from chip(0) channel(1) : tensor<4xf32>
    npu.send %y to chip(0) channel(0) : tensor<4xf32>
  }
}

// -----

// An input read by several programs is one tensor of the host.
#chip0 = #npu.chip<id = 0, name = "small", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 256, mac_cols = 256, vector_lanes = 256, sram_bytes = 4194304, dram_bytes = 1073741824, dram_bytes_per_cycle = 64, clock_mhz = 1000, power = <active_mw = 2500, idle_mw = 400, off_mw = 15, wake_cycles = 10000, wake_energy_nj = 20000>>
#chip1 = #npu.chip<id = 1, name = "big", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 512, mac_cols = 512, vector_lanes = 512, sram_bytes = 16777216, dram_bytes = 4294967296, dram_bytes_per_cycle = 128, clock_mhz = 1000, power = <active_mw = 12000, idle_mw = 1800, off_mw = 40, wake_cycles = 50000, wake_energy_nj = 400000>>
#system = #npu.system<name = "e1-package", topology = "switch", chips = [#chip0, #chip1], links = [<a = 0, b = 1, bandwidth_gbps = 64, latency_ns = 100>], host = <bandwidth_gbps = 16, latency_ns = 1000>>
module attributes {npu.system = #system} {
  npu.program @a chip(0) {
    // expected-note @+1 {{read here}}
    %x = npu.input "x" : tensor<4xf32>
    npu.output "a", %x : tensor<4xf32>
  }
  npu.program @b chip(1) {
    // expected-error @+1 {{'npu.input' op reads input 'x' as 'tensor<8xf32>' but another npu.input reads it as 'tensor<4xf32>'}}
    %x = npu.input "x" : tensor<8xf32>
    npu.output "b", %x : tensor<8xf32>
  }
}

// -----

// Each program needs what it computes with on its own chip: chip 2 moves
// bytes but has no f32 arithmetic, chip 1 has no conv unit.
#chip0 = #npu.chip<id = 0, name = "npu0", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 256, mac_cols = 256, vector_lanes = 256, sram_bytes = 8388608, dram_bytes = 2147483648, dram_bytes_per_cycle = 64, clock_mhz = 1000, power = <active_mw = 4000, idle_mw = 600, off_mw = 20, wake_cycles = 20000, wake_energy_nj = 50000>, coord = [0, 0]>
#chip1 = #npu.chip<id = 1, name = "npu1", kind = "dense", caps = ["dense", "activation", "fp32", "fp16", "bf16"], mac_rows = 512, mac_cols = 512, vector_lanes = 512, sram_bytes = 16777216, dram_bytes = 2147483648, dram_bytes_per_cycle = 128, clock_mhz = 1000, power = <active_mw = 12000, idle_mw = 1800, off_mw = 40, wake_cycles = 20000, wake_energy_nj = 200000>, coord = [1, 0]>
#chip2 = #npu.chip<id = 2, name = "npu2", kind = "lowp", caps = ["dense", "conv", "activation", "fp16", "int8"], mac_rows = 256, mac_cols = 256, vector_lanes = 256, sram_bytes = 8388608, dram_bytes = 2147483648, dram_bytes_per_cycle = 64, clock_mhz = 1250, power = <active_mw = 2500, idle_mw = 400, off_mw = 15, wake_cycles = 20000, wake_energy_nj = 30000>, coord = [0, 1]>
#chip3 = #npu.chip<id = 3, name = "npu3", kind = "conv", caps = ["conv", "activation", "fp32", "fp16", "int8"], mac_rows = 256, mac_cols = 256, vector_lanes = 256, sram_bytes = 8388608, dram_bytes = 2147483648, dram_bytes_per_cycle = 64, clock_mhz = 1000, power = <active_mw = 3500, idle_mw = 500, off_mw = 20, wake_cycles = 20000, wake_energy_nj = 40000>, coord = [1, 1]>
#system = #npu.system<name = "mesh-2x2", topology = "mesh", mesh_dims = [2, 2], chips = [#chip0, #chip1, #chip2, #chip3], links = [<a = 0, b = 1, bandwidth_gbps = 32, latency_ns = 50>, <a = 0, b = 2, bandwidth_gbps = 32, latency_ns = 50>, <a = 1, b = 3, bandwidth_gbps = 32, latency_ns = 50>, <a = 2, b = 3, bandwidth_gbps = 32, latency_ns = 50>], host = <bandwidth_gbps = 16, latency_ns = 1000>>
module attributes {npu.system = #system} {
  npu.program @a chip(0) {
    %x = npu.input "x" : tensor<1x1x4x4xf32>
    npu.send %x to chip(2) channel(0) : tensor<1x1x4x4xf32>
    npu.send %x to chip(1) channel(0) : tensor<1x1x4x4xf32>
  }
  npu.program @b chip(2) {
    %x = npu.recv from chip(0) channel(0) : tensor<1x1x4x4xf32>
    // expected-error @+1 {{'npu.relu' op needs the 'fp32' capability, which chip 2 (npu2) lacks}}
    %y = npu.relu %x : tensor<1x1x4x4xf32>
    npu.output "y", %y : tensor<1x1x4x4xf32>
  }
  npu.program @c chip(1) {
    %x = npu.recv from chip(0) channel(0) : tensor<1x1x4x4xf32>
    %w = arith.constant dense<1.0> : tensor<1x1x1x1xf32>
    // expected-error @+1 {{'npu.conv2d' op needs the 'conv' capability, which chip 1 (npu1) lacks}}
    %z = npu.conv2d %x, %w : (tensor<1x1x4x4xf32>, tensor<1x1x1x1xf32>) -> tensor<1x1x4x4xf32>
    npu.output "z", %z : tensor<1x1x4x4xf32>
  }
}

// -----

// What the lowering supports, it supports in programs too; the rest is an
// error on the op.
#chip0 = #npu.chip<id = 0, name = "small", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 256, mac_cols = 256, vector_lanes = 256, sram_bytes = 4194304, dram_bytes = 1073741824, dram_bytes_per_cycle = 64, clock_mhz = 1000, power = <active_mw = 2500, idle_mw = 400, off_mw = 15, wake_cycles = 10000, wake_energy_nj = 20000>>
#chip1 = #npu.chip<id = 1, name = "big", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 512, mac_cols = 512, vector_lanes = 512, sram_bytes = 16777216, dram_bytes = 4294967296, dram_bytes_per_cycle = 128, clock_mhz = 1000, power = <active_mw = 12000, idle_mw = 1800, off_mw = 40, wake_cycles = 50000, wake_energy_nj = 400000>>
#system = #npu.system<name = "e1-package", topology = "switch", chips = [#chip0, #chip1], links = [<a = 0, b = 1, bandwidth_gbps = 64, latency_ns = 100>], host = <bandwidth_gbps = 16, latency_ns = 1000>>
module attributes {npu.system = #system} {
  npu.program @a chip(0) {
    // expected-error @+1 {{'npu.input' op only f32 is lowered so far, got 'tensor<4xi8>'}}
    %q = npu.input "q" : tensor<4xi8>
    %x = npu.input "x" : tensor<1x10xf32>
    // expected-error @+1 {{'arith.addf' op is not supported by npu-lower-to-isa}}
    %y = arith.addf %x, %x : tensor<1x10xf32>
    npu.exit_gate %x measure(max_prob) threshold(0.9) output("class")
        : tensor<1x10xf32>
  }
}

// -----

// An escalating exit gate ends its program: nothing but constants follows.
#chip0 = #npu.chip<id = 0, name = "small", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 256, mac_cols = 256, vector_lanes = 256, sram_bytes = 4194304, dram_bytes = 1073741824, dram_bytes_per_cycle = 64, clock_mhz = 1000, power = <active_mw = 2500, idle_mw = 400, off_mw = 15, wake_cycles = 10000, wake_energy_nj = 20000>>
#chip1 = #npu.chip<id = 1, name = "big", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 512, mac_cols = 512, vector_lanes = 512, sram_bytes = 16777216, dram_bytes = 4294967296, dram_bytes_per_cycle = 128, clock_mhz = 1000, power = <active_mw = 12000, idle_mw = 1800, off_mw = 40, wake_cycles = 50000, wake_energy_nj = 400000>>
#system = #npu.system<name = "e1-package", topology = "switch", chips = [#chip0, #chip1], links = [<a = 0, b = 1, bandwidth_gbps = 64, latency_ns = 100>], host = <bandwidth_gbps = 16, latency_ns = 1000>>
module attributes {npu.system = #system} {
  npu.program @a chip(0) {
    %x = npu.input "x" : tensor<1x10xf32>
    // expected-note @+1 {{the escalation}}
    npu.exit_gate %x, %x measure(max_prob) threshold(0.9) output("class")
        escalate chip(1) channel(0) : tensor<1x10xf32>, tensor<1x10xf32>
    %w = arith.constant dense<1.0> : tensor<10x10xf32>
    // expected-error @+1 {{'npu.relu' op follows an escalating npu.exit_gate, which ends its program}}
    %y = npu.relu %x : tensor<1x10xf32>
    npu.output "y", %y : tensor<1x10xf32>
  }
  npu.program @b chip(1) {
    %x = npu.recv from chip(0) channel(0) : tensor<1x10xf32>
    npu.output "class", %x : tensor<1x10xf32>
  }
}

// -----

// An exit answers for the output the escalated path produces: the types
// must agree.
#chip0 = #npu.chip<id = 0, name = "small", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 256, mac_cols = 256, vector_lanes = 256, sram_bytes = 4194304, dram_bytes = 1073741824, dram_bytes_per_cycle = 64, clock_mhz = 1000, power = <active_mw = 2500, idle_mw = 400, off_mw = 15, wake_cycles = 10000, wake_energy_nj = 20000>>
#chip1 = #npu.chip<id = 1, name = "big", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 512, mac_cols = 512, vector_lanes = 512, sram_bytes = 16777216, dram_bytes = 4294967296, dram_bytes_per_cycle = 128, clock_mhz = 1000, power = <active_mw = 12000, idle_mw = 1800, off_mw = 40, wake_cycles = 50000, wake_energy_nj = 400000>>
#system = #npu.system<name = "e1-package", topology = "switch", chips = [#chip0, #chip1], links = [<a = 0, b = 1, bandwidth_gbps = 64, latency_ns = 100>], host = <bandwidth_gbps = 16, latency_ns = 1000>>
module attributes {npu.system = #system} {
  npu.program @a chip(0) {
    %x = npu.input "x" : tensor<1x10xf32>
    // expected-note @+1 {{produced here}}
    npu.exit_gate %x, %x measure(max_prob) threshold(0.9) output("class")
        escalate chip(1) channel(0) : tensor<1x10xf32>, tensor<1x10xf32>
  }
  npu.program @b chip(1) {
    %x = npu.recv from chip(0) channel(0) : tensor<1x10xf32>
    %y = npu.reshape %x : tensor<1x10xf32> -> tensor<10xf32>
    // expected-error @+1 {{'npu.output' op produces output 'class' as 'tensor<10xf32>' but another op produces it as 'tensor<1x10xf32>'}}
    npu.output "class", %y : tensor<10xf32>
  }
}

// -----

// A received tensor needs its SRAM like any other: two of 4 MiB do not fit
// the 4 MiB of chip 0.
#chip0 = #npu.chip<id = 0, name = "small", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 256, mac_cols = 256, vector_lanes = 256, sram_bytes = 4194304, dram_bytes = 1073741824, dram_bytes_per_cycle = 64, clock_mhz = 1000, power = <active_mw = 2500, idle_mw = 400, off_mw = 15, wake_cycles = 10000, wake_energy_nj = 20000>>
#chip1 = #npu.chip<id = 1, name = "big", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 512, mac_cols = 512, vector_lanes = 512, sram_bytes = 16777216, dram_bytes = 4294967296, dram_bytes_per_cycle = 128, clock_mhz = 1000, power = <active_mw = 12000, idle_mw = 1800, off_mw = 40, wake_cycles = 50000, wake_energy_nj = 400000>>
#system = #npu.system<name = "e1-package", topology = "switch", chips = [#chip0, #chip1], links = [<a = 0, b = 1, bandwidth_gbps = 64, latency_ns = 100>], host = <bandwidth_gbps = 16, latency_ns = 1000>>
module attributes {npu.system = #system} {
  npu.program @a chip(0) {
    %x = npu.recv from chip(1) channel(0) : tensor<1024x1024xf32>
    // expected-error @+1 {{'npu.recv' op needs 4194304 bytes of SRAM for its own buffers, but only 0 of chip 0's 4194304 bytes are free: 4194304 hold buffers live across it}}
    %y = npu.recv from chip(1) channel(1) : tensor<1024x1024xf32>
    %z = npu.add %x, %y : (tensor<1024x1024xf32>, tensor<1024x1024xf32>) -> tensor<1024x1024xf32>
    npu.output "z", %z : tensor<1024x1024xf32>
  }
  npu.program @b chip(1) {
    %x = npu.input "x" : tensor<1024x1024xf32>
    npu.send %x to chip(0) channel(0) : tensor<1024x1024xf32>
    npu.send %x to chip(0) channel(1) : tensor<1024x1024xf32>
  }
}

// -----

#chip0 = #npu.chip<id = 0, name = "small", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 256, mac_cols = 256, vector_lanes = 256, sram_bytes = 4194304, dram_bytes = 1073741824, dram_bytes_per_cycle = 64, clock_mhz = 1000, power = <active_mw = 2500, idle_mw = 400, off_mw = 15, wake_cycles = 10000, wake_energy_nj = 20000>>
#chip1 = #npu.chip<id = 1, name = "big", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 512, mac_cols = 512, vector_lanes = 512, sram_bytes = 16777216, dram_bytes = 4294967296, dram_bytes_per_cycle = 128, clock_mhz = 1000, power = <active_mw = 12000, idle_mw = 1800, off_mw = 40, wake_cycles = 50000, wake_energy_nj = 400000>>
#system = #npu.system<name = "e1-package", topology = "switch", chips = [#chip0, #chip1], links = [<a = 0, b = 1, bandwidth_gbps = 64, latency_ns = 100>], host = <bandwidth_gbps = 16, latency_ns = 1000>>
module attributes {npu.system = #system} {
  // expected-error @+1 {{'npuisa.program' op already holds the program of chip 0}}
  npuisa.program @existing chip(0) {
    npuisa.halt
  }
  npu.program @p chip(0) {
  }
}
