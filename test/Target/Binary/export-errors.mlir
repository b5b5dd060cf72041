// npu-translate --npu-to-binary rejects, with a diagnostic, every module it
// cannot encode: missing module attributes, anything but npuisa programs,
// malformed or misplaced DRAM segments.

// RUN: npu-translate --npu-to-binary --split-input-file --verify-diagnostics %s -o /dev/null

// Everything the binary needs must be in the module.

// expected-error @below {{module has no 'npu.system' attribute; run npu-opt --npu-set-system first}}
module {
}

// -----

#chip0 = #npu.chip<id = 0, name = "npu0", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 256, mac_cols = 256, vector_lanes = 256, sram_bytes = 8388608, dram_bytes = 2147483648, dram_bytes_per_cycle = 64, clock_mhz = 1000, power = <active_mw = 4000, idle_mw = 600, off_mw = 20, wake_cycles = 20000, wake_energy_nj = 50000>>
#system = #npu.system<name = "single", topology = "switch", chips = [#chip0], host = <bandwidth_gbps = 16, latency_ns = 1000>>
// expected-error @below {{module has no 'npu.inputs' attribute; a binary needs the model's entry and exit signatures (an array of #npu.tensor)}}
module attributes {npu.system = #system, npu.outputs = []} {
  npuisa.program @p chip(0) {
    npuisa.fill dst(0) count(4) value(0.0) dtype(f32)
    npuisa.halt
  }
}

// -----

#chip0 = #npu.chip<id = 0, name = "npu0", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 256, mac_cols = 256, vector_lanes = 256, sram_bytes = 8388608, dram_bytes = 2147483648, dram_bytes_per_cycle = 64, clock_mhz = 1000, power = <active_mw = 4000, idle_mw = 600, off_mw = 20, wake_cycles = 20000, wake_energy_nj = 50000>>
#system = #npu.system<name = "single", topology = "switch", chips = [#chip0], host = <bandwidth_gbps = 16, latency_ns = 1000>>
// expected-error @below {{module has no 'npu.outputs' attribute; a binary needs the model's entry and exit signatures (an array of #npu.tensor)}}
module attributes {npu.system = #system, npu.inputs = []} {
  npuisa.program @p chip(0) {
    npuisa.fill dst(0) count(4) value(0.0) dtype(f32)
    npuisa.halt
  }
}

// -----

#chip0 = #npu.chip<id = 0, name = "npu0", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 256, mac_cols = 256, vector_lanes = 256, sram_bytes = 8388608, dram_bytes = 2147483648, dram_bytes_per_cycle = 64, clock_mhz = 1000, power = <active_mw = 4000, idle_mw = 600, off_mw = 20, wake_cycles = 20000, wake_energy_nj = 50000>>
#system = #npu.system<name = "single", topology = "switch", chips = [#chip0], host = <bandwidth_gbps = 16, latency_ns = 1000>>
// expected-error @below {{module has no npuisa.program; there is nothing to encode}}
module attributes {npu.system = #system, npu.inputs = [], npu.outputs = []} {
}

// -----

#chip0 = #npu.chip<id = 0, name = "npu0", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 256, mac_cols = 256, vector_lanes = 256, sram_bytes = 8388608, dram_bytes = 2147483648, dram_bytes_per_cycle = 64, clock_mhz = 1000, power = <active_mw = 4000, idle_mw = 600, off_mw = 20, wake_cycles = 20000, wake_energy_nj = 50000>>
#system = #npu.system<name = "single", topology = "switch", chips = [#chip0], host = <bandwidth_gbps = 16, latency_ns = 1000>>
module attributes {npu.system = #system, npu.inputs = [], npu.outputs = []} {
  npuisa.program @p chip(0) {
    npuisa.fill dst(0) count(4) value(0.0) dtype(f32)
    npuisa.halt
  }
  // expected-error @below {{'func.func' op cannot be encoded in a binary; the module must hold only npuisa.program operations (lower it with npu-opt first)}}
  func.func @leftover() {
    return
  }
}

// -----

#chip0 = #npu.chip<id = 0, name = "npu0", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 256, mac_cols = 256, vector_lanes = 256, sram_bytes = 8388608, dram_bytes = 2147483648, dram_bytes_per_cycle = 64, clock_mhz = 1000, power = <active_mw = 4000, idle_mw = 600, off_mw = 20, wake_cycles = 20000, wake_energy_nj = 50000>>
#system = #npu.system<name = "single", topology = "switch", chips = [#chip0], host = <bandwidth_gbps = 16, latency_ns = 1000>>
// expected-error @below {{'npu.inputs' tensor 'x' has element type 'i64', which has no binary encoding (f32, f16, bf16, i8, ui8, i32)}}
module attributes {npu.system = #system, npu.inputs = [#npu.tensor<"x" : tensor<4xi64>>], npu.outputs = []} {
  npuisa.program @p chip(0) {
    npuisa.fill dst(0) count(4) value(0.0) dtype(f32)
    npuisa.halt
  }
}

// -----

// Segments: the attribute's form.

#chip0 = #npu.chip<id = 0, name = "npu0", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 256, mac_cols = 256, vector_lanes = 256, sram_bytes = 8388608, dram_bytes = 2147483648, dram_bytes_per_cycle = 64, clock_mhz = 1000, power = <active_mw = 4000, idle_mw = 600, off_mw = 20, wake_cycles = 20000, wake_energy_nj = 50000>>
#system = #npu.system<name = "single", topology = "switch", chips = [#chip0], host = <bandwidth_gbps = 16, latency_ns = 1000>>
module attributes {npu.system = #system, npu.inputs = [], npu.outputs = []} {
  // expected-error @below {{'npuisa.program' op 'npuisa.segments' must be an array of {dram = <i64>, data = <elements>} dictionaries, got 3 : i64}}
  npuisa.program @p chip(0) attributes {npuisa.segments = 3 : i64} {
    npuisa.fill dst(0) count(4) value(0.0) dtype(f32)
    npuisa.halt
  }
}

// -----

#chip0 = #npu.chip<id = 0, name = "npu0", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 256, mac_cols = 256, vector_lanes = 256, sram_bytes = 8388608, dram_bytes = 2147483648, dram_bytes_per_cycle = 64, clock_mhz = 1000, power = <active_mw = 4000, idle_mw = 600, off_mw = 20, wake_cycles = 20000, wake_energy_nj = 50000>>
#system = #npu.system<name = "single", topology = "switch", chips = [#chip0], host = <bandwidth_gbps = 16, latency_ns = 1000>>
module attributes {npu.system = #system, npu.inputs = [], npu.outputs = []} {
  // expected-error @below {{segment 0 of 'npuisa.segments' must be a dictionary {dram = <i64>, data = <elements>}, got 3 : i64}}
  npuisa.program @p chip(0) attributes {npuisa.segments = [3 : i64]} {
    npuisa.fill dst(0) count(4) value(0.0) dtype(f32)
    npuisa.halt
  }
}

// -----

#chip0 = #npu.chip<id = 0, name = "npu0", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 256, mac_cols = 256, vector_lanes = 256, sram_bytes = 8388608, dram_bytes = 2147483648, dram_bytes_per_cycle = 64, clock_mhz = 1000, power = <active_mw = 4000, idle_mw = 600, off_mw = 20, wake_cycles = 20000, wake_energy_nj = 50000>>
#system = #npu.system<name = "single", topology = "switch", chips = [#chip0], host = <bandwidth_gbps = 16, latency_ns = 1000>>
module attributes {npu.system = #system, npu.inputs = [], npu.outputs = []} {
  // expected-error @below {{segment 0 of 'npuisa.segments' has unknown key 'align'; expected only 'dram' and 'data'}}
  npuisa.program @p chip(0) attributes {npuisa.segments = [{dram = 0 : i64, data = dense<1> : tensor<4xi8>, align = 16 : i64}]} {
    npuisa.fill dst(0) count(4) value(0.0) dtype(f32)
    npuisa.halt
  }
}

// -----

#chip0 = #npu.chip<id = 0, name = "npu0", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 256, mac_cols = 256, vector_lanes = 256, sram_bytes = 8388608, dram_bytes = 2147483648, dram_bytes_per_cycle = 64, clock_mhz = 1000, power = <active_mw = 4000, idle_mw = 600, off_mw = 20, wake_cycles = 20000, wake_energy_nj = 50000>>
#system = #npu.system<name = "single", topology = "switch", chips = [#chip0], host = <bandwidth_gbps = 16, latency_ns = 1000>>
module attributes {npu.system = #system, npu.inputs = [], npu.outputs = []} {
  // expected-error @below {{segment 0 of 'npuisa.segments' needs an integer 'dram' byte offset}}
  npuisa.program @p chip(0) attributes {npuisa.segments = [{data = dense<1> : tensor<4xi8>}]} {
    npuisa.fill dst(0) count(4) value(0.0) dtype(f32)
    npuisa.halt
  }
}

// -----

#chip0 = #npu.chip<id = 0, name = "npu0", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 256, mac_cols = 256, vector_lanes = 256, sram_bytes = 8388608, dram_bytes = 2147483648, dram_bytes_per_cycle = 64, clock_mhz = 1000, power = <active_mw = 4000, idle_mw = 600, off_mw = 20, wake_cycles = 20000, wake_energy_nj = 50000>>
#system = #npu.system<name = "single", topology = "switch", chips = [#chip0], host = <bandwidth_gbps = 16, latency_ns = 1000>>
module attributes {npu.system = #system, npu.inputs = [], npu.outputs = []} {
  // expected-error @below {{segment 0 of 'npuisa.segments' needs 'data' (a dense or dense_resource elements attribute)}}
  npuisa.program @p chip(0) attributes {npuisa.segments = [{dram = 0 : i64}]} {
    npuisa.fill dst(0) count(4) value(0.0) dtype(f32)
    npuisa.halt
  }
}

// -----

#chip0 = #npu.chip<id = 0, name = "npu0", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 256, mac_cols = 256, vector_lanes = 256, sram_bytes = 8388608, dram_bytes = 2147483648, dram_bytes_per_cycle = 64, clock_mhz = 1000, power = <active_mw = 4000, idle_mw = 600, off_mw = 20, wake_cycles = 20000, wake_energy_nj = 50000>>
#system = #npu.system<name = "single", topology = "switch", chips = [#chip0], host = <bandwidth_gbps = 16, latency_ns = 1000>>
module attributes {npu.system = #system, npu.inputs = [], npu.outputs = []} {
  // expected-error @below {{segment 0 of 'npuisa.segments' has 'data' "weights"; expected a dense or dense_resource elements attribute}}
  npuisa.program @p chip(0) attributes {npuisa.segments = [{dram = 0 : i64, data = "weights"}]} {
    npuisa.fill dst(0) count(4) value(0.0) dtype(f32)
    npuisa.halt
  }
}

// -----

#chip0 = #npu.chip<id = 0, name = "npu0", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 256, mac_cols = 256, vector_lanes = 256, sram_bytes = 8388608, dram_bytes = 2147483648, dram_bytes_per_cycle = 64, clock_mhz = 1000, power = <active_mw = 4000, idle_mw = 600, off_mw = 20, wake_cycles = 20000, wake_energy_nj = 50000>>
#system = #npu.system<name = "single", topology = "switch", chips = [#chip0], host = <bandwidth_gbps = 16, latency_ns = 1000>>
module attributes {npu.system = #system, npu.inputs = [], npu.outputs = []} {
  // Booleans are bit-packed and index has no fixed width: no byte encoding.
  // expected-error @below {{segment 0 of 'npuisa.segments' has element type 'i1', which has no byte encoding (integer or float types of whole bytes only)}}
  npuisa.program @p chip(0) attributes {npuisa.segments = [{dram = 0 : i64, data = dense<[true, false]> : tensor<2xi1>}]} {
    npuisa.fill dst(0) count(4) value(0.0) dtype(f32)
    npuisa.halt
  }
}

// -----

#chip0 = #npu.chip<id = 0, name = "npu0", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 256, mac_cols = 256, vector_lanes = 256, sram_bytes = 8388608, dram_bytes = 2147483648, dram_bytes_per_cycle = 64, clock_mhz = 1000, power = <active_mw = 4000, idle_mw = 600, off_mw = 20, wake_cycles = 20000, wake_energy_nj = 50000>>
#system = #npu.system<name = "single", topology = "switch", chips = [#chip0], host = <bandwidth_gbps = 16, latency_ns = 1000>>
module attributes {npu.system = #system, npu.inputs = [], npu.outputs = []} {
  // expected-error @below {{segment 0 of 'npuisa.segments' has element type 'index', which has no byte encoding (integer or float types of whole bytes only)}}
  npuisa.program @p chip(0) attributes {npuisa.segments = [{dram = 0 : i64, data = dense<[1, 2]> : tensor<2xindex>}]} {
    npuisa.fill dst(0) count(4) value(0.0) dtype(f32)
    npuisa.halt
  }
}

// -----

#chip0 = #npu.chip<id = 0, name = "npu0", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 256, mac_cols = 256, vector_lanes = 256, sram_bytes = 8388608, dram_bytes = 2147483648, dram_bytes_per_cycle = 64, clock_mhz = 1000, power = <active_mw = 4000, idle_mw = 600, off_mw = 20, wake_cycles = 20000, wake_energy_nj = 50000>>
#system = #npu.system<name = "single", topology = "switch", chips = [#chip0], host = <bandwidth_gbps = 16, latency_ns = 1000>>
module attributes {npu.system = #system, npu.inputs = [], npu.outputs = []} {
  // expected-error @below {{segment 0 of 'npuisa.segments' is empty}}
  npuisa.program @p chip(0) attributes {npuisa.segments = [{dram = 0 : i64, data = dense<> : tensor<0xf32>}]} {
    npuisa.fill dst(0) count(4) value(0.0) dtype(f32)
    npuisa.halt
  }
}

// -----

#chip0 = #npu.chip<id = 0, name = "npu0", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 256, mac_cols = 256, vector_lanes = 256, sram_bytes = 8388608, dram_bytes = 2147483648, dram_bytes_per_cycle = 64, clock_mhz = 1000, power = <active_mw = 4000, idle_mw = 600, off_mw = 20, wake_cycles = 20000, wake_energy_nj = 50000>>
#system = #npu.system<name = "single", topology = "switch", chips = [#chip0], host = <bandwidth_gbps = 16, latency_ns = 1000>>
module attributes {npu.system = #system, npu.inputs = [], npu.outputs = []} {
  // expected-error @below {{segment 0 of 'npuisa.segments' has DRAM offset -8; it must be a non-negative 64-bit value}}
  npuisa.program @p chip(0) attributes {npuisa.segments = [{dram = -8 : i64, data = dense<1> : tensor<4xi8>}]} {
    npuisa.fill dst(0) count(4) value(0.0) dtype(f32)
    npuisa.halt
  }
}

// -----

#chip0 = #npu.chip<id = 0, name = "npu0", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 256, mac_cols = 256, vector_lanes = 256, sram_bytes = 8388608, dram_bytes = 2147483648, dram_bytes_per_cycle = 64, clock_mhz = 1000, power = <active_mw = 4000, idle_mw = 600, off_mw = 20, wake_cycles = 20000, wake_energy_nj = 50000>>
#system = #npu.system<name = "single", topology = "switch", chips = [#chip0], host = <bandwidth_gbps = 16, latency_ns = 1000>>
module attributes {npu.system = #system, npu.inputs = [], npu.outputs = []} {
  // A resource whose blob is not in the file.
  // expected-error @below {{segment 0 of 'npuisa.segments' refers to resource 'missing' whose data is not available}}
  npuisa.program @p chip(0) attributes {npuisa.segments = [{dram = 0 : i64, data = dense_resource<missing> : tensor<4xi8>}]} {
    npuisa.fill dst(0) count(4) value(0.0) dtype(f32)
    npuisa.halt
  }
}

// -----

#chip0 = #npu.chip<id = 0, name = "npu0", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 256, mac_cols = 256, vector_lanes = 256, sram_bytes = 8388608, dram_bytes = 2147483648, dram_bytes_per_cycle = 64, clock_mhz = 1000, power = <active_mw = 4000, idle_mw = 600, off_mw = 20, wake_cycles = 20000, wake_energy_nj = 50000>>
#system = #npu.system<name = "single", topology = "switch", chips = [#chip0], host = <bandwidth_gbps = 16, latency_ns = 1000>>
module attributes {npu.system = #system, npu.inputs = [], npu.outputs = []} {
  // expected-error @below {{segment 0 of 'npuisa.segments' has a resource of 4 bytes but its type 'tensor<4xi16>' needs 8}}
  npuisa.program @p chip(0) attributes {npuisa.segments = [{dram = 0 : i64, data = dense_resource<short> : tensor<4xi16>}]} {
    npuisa.fill dst(0) count(4) value(0.0) dtype(f32)
    npuisa.halt
  }
}

{-#
  dialect_resources: {
    builtin: {
      short: "0x0400000001000200"
    }
  }
#-}

// -----

// Segments: placement in the chip's DRAM (2 GiB on the single preset).

#chip0 = #npu.chip<id = 0, name = "npu0", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 256, mac_cols = 256, vector_lanes = 256, sram_bytes = 8388608, dram_bytes = 2147483648, dram_bytes_per_cycle = 64, clock_mhz = 1000, power = <active_mw = 4000, idle_mw = 600, off_mw = 20, wake_cycles = 20000, wake_energy_nj = 50000>>
#system = #npu.system<name = "single", topology = "switch", chips = [#chip0], host = <bandwidth_gbps = 16, latency_ns = 1000>>
module attributes {npu.system = #system, npu.inputs = [], npu.outputs = []} {
  // expected-error @below {{segment 0 of 'npuisa.segments' [2147483646, 2147483650) lies outside the DRAM of chip 0 (2147483648 bytes)}}
  npuisa.program @p chip(0) attributes {npuisa.segments = [{dram = 2147483646 : i64, data = dense<1> : tensor<4xi8>}]} {
    npuisa.fill dst(0) count(4) value(0.0) dtype(f32)
    npuisa.halt
  }
}

// -----

#chip0 = #npu.chip<id = 0, name = "npu0", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 256, mac_cols = 256, vector_lanes = 256, sram_bytes = 8388608, dram_bytes = 2147483648, dram_bytes_per_cycle = 64, clock_mhz = 1000, power = <active_mw = 4000, idle_mw = 600, off_mw = 20, wake_cycles = 20000, wake_energy_nj = 50000>>
#system = #npu.system<name = "single", topology = "switch", chips = [#chip0], host = <bandwidth_gbps = 16, latency_ns = 1000>>
module attributes {npu.system = #system, npu.inputs = [], npu.outputs = []} {
  // expected-error @below {{'npuisa.program' op segments 0 [4096, 4112) and 2 [4108, 4112) of 'npuisa.segments' overlap in DRAM}}
  npuisa.program @p chip(0) attributes {npuisa.segments = [{dram = 4096 : i64, data = dense<1.0> : tensor<4xf32>}, {dram = 0 : i64, data = dense<1> : tensor<4xi8>}, {dram = 4108 : i64, data = dense<1> : tensor<2xi16>}]} {
    npuisa.fill dst(0) count(4) value(0.0) dtype(f32)
    npuisa.halt
  }
}

// -----

// Segments: a binary is less than 2 GiB (FlatBuffers' limit). One program's
// segments are checked on their own; splats are not expanded to find out.

#chip0 = #npu.chip<id = 0, name = "npu0", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 256, mac_cols = 256, vector_lanes = 256, sram_bytes = 8388608, dram_bytes = 2147483648, dram_bytes_per_cycle = 64, clock_mhz = 1000, power = <active_mw = 4000, idle_mw = 600, off_mw = 20, wake_cycles = 20000, wake_energy_nj = 50000>>
#system = #npu.system<name = "single", topology = "switch", chips = [#chip0], host = <bandwidth_gbps = 16, latency_ns = 1000>>
module attributes {npu.system = #system, npu.inputs = [], npu.outputs = []} {
  // expected-error @below {{'npuisa.program' op segments hold 2147483648 bytes; a .npub binary holds less than 2 GiB}}
  npuisa.program @p chip(0) attributes {npuisa.segments = [{dram = 0 : i64, data = dense<0> : tensor<2147483648xi8>}]} {
    npuisa.halt
  }
}

// -----

// ... and so is the whole binary.

#chip0 = #npu.chip<id = 0, name = "small", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 256, mac_cols = 256, vector_lanes = 256, sram_bytes = 4194304, dram_bytes = 1073741824, dram_bytes_per_cycle = 64, clock_mhz = 1000, power = <active_mw = 2500, idle_mw = 400, off_mw = 15, wake_cycles = 10000, wake_energy_nj = 20000>>
#chip1 = #npu.chip<id = 1, name = "big", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 512, mac_cols = 512, vector_lanes = 512, sram_bytes = 16777216, dram_bytes = 4294967296, dram_bytes_per_cycle = 128, clock_mhz = 1000, power = <active_mw = 12000, idle_mw = 1800, off_mw = 40, wake_cycles = 50000, wake_energy_nj = 400000>>
#system = #npu.system<name = "e1-package", topology = "switch", chips = [#chip0, #chip1], links = [<a = 0, b = 1, bandwidth_gbps = 64, latency_ns = 100>], host = <bandwidth_gbps = 16, latency_ns = 1000>>
// expected-error-re @below {{the binary would take about {{[0-9]+}} bytes; a FlatBuffers binary holds less than 2 GiB}}
module attributes {npu.system = #system, npu.inputs = [], npu.outputs = []} {
  npuisa.program @small chip(0) attributes {npuisa.segments = [{dram = 0 : i64, data = dense<0> : tensor<1073741824xi8>}]} {
    npuisa.halt
  }
  npuisa.program @big chip(1) attributes {npuisa.segments = [{dram = 0 : i64, data = dense<0> : tensor<1073741824xi8>}]} {
    npuisa.halt
  }
}
