// npu-translate --npub-to-mlir treats its input as untrusted: every
// malformed file gives a diagnostic naming what is wrong and where, a
// non-zero exit and no output file. The malformed files are made from the
// valid binary of this module: cut, overwritten, or patched field by field
// with Inputs/npub-patch.py (fN = field N of a table in npub.fbs, [i] = the
// i-th element of a vector).

// RUN: npu-translate --npu-to-binary %s -o %t.npub
// RUN: npu-translate --npub-to-mlir %t.npub | FileCheck %s --check-prefix=VALID
// VALID: npuisa.program @small chip(0)

// An empty file, a file shorter than the header, random bytes.
// RUN: rm -f %t.out && printf '' > %t.empty
// RUN: not npu-translate --npub-to-mlir %t.empty -o %t.out 2>&1 | FileCheck %s --check-prefix=EMPTY
// RUN: not test -e %t.out
// EMPTY: error: empty file; expected a .npub binary
// RUN: printf 'NPUB\n' > %t.short
// RUN: not npu-translate --npub-to-mlir %t.short 2>&1 | FileCheck %s --check-prefix=SHORT
// SHORT: error: file is 5 bytes, too short for a .npub binary (its header alone takes 8 bytes)
// RUN: python3 -c "import random, sys; random.seed(7); open(sys.argv[1], 'wb').write(bytes(random.randrange(256) for _ in range(512)))" %t.random
// RUN: not npu-translate --npub-to-mlir %t.random -o %t.out 2>&1 | FileCheck %s --check-prefix=RANDOM
// RUN: not test -e %t.out
// RANDOM: error: not a .npub binary: file identifier (bytes 4-7) is '%0\xbb\x1d', expected 'NPUB'

// Random bytes behind a valid identifier reach the FlatBuffers verifier.
// RUN: python3 -c "import random, sys; random.seed(7); d = bytearray(random.randrange(256) for _ in range(512)); d[4:8] = b'NPUB'; open(sys.argv[1], 'wb').write(d)" %t.random-npub
// RUN: not npu-translate --npub-to-mlir %t.random-npub 2>&1 | FileCheck %s --check-prefix=RANDOM-NPUB
// RANDOM-NPUB: error: malformed .npub binary: FlatBuffers verification failed in the root offset (bytes 0-3)

// A wrong identifier: some other FlatBuffers file.
// RUN: python3 -c "import sys; d = bytearray(open(sys.argv[1], 'rb').read()); d[4:8] = b'TFL3'; open(sys.argv[2], 'wb').write(d)" %t.npub %t.tflite
// RUN: not npu-translate --npub-to-mlir %t.tflite 2>&1 | FileCheck %s --check-prefix=IDENT
// IDENT: error: not a .npub binary: file identifier (bytes 4-7) is 'TFL3', expected 'NPUB'

// A truncated file: the verifier names the first table that does not fit.
// RUN: python3 -c "import sys; d = open(sys.argv[1], 'rb').read(); open(sys.argv[2], 'wb').write(d[:len(d) // 2])" %t.npub %t.truncated
// RUN: not npu-translate --npub-to-mlir %t.truncated -o %t.out 2>&1 | FileCheck %s --check-prefix=TRUNCATED
// RUN: not test -e %t.out
// TRUNCATED: error: malformed .npub binary: FlatBuffers verification failed in Model.{{[a-z]+}}{{.*}} (an offset, vector or string there lies outside the {{[0-9]+}}-byte file, is misaligned, or nests too deep)

// Another format version (Model.version is field 0).
// RUN: cp %t.npub %t.v2 && python3 %S/Inputs/npub-patch.py %t.v2 'f0=2:u32'
// RUN: not npu-translate --npub-to-mlir %t.v2 -o %t.out 2>&1 | FileCheck %s --check-prefix=VERSION
// RUN: not test -e %t.out
// VERSION: error: unsupported .npub format version 2; this build reads version 1

// A corrupted offset inside a program (programs[0].name), pointing past the
// end of the file whatever the layout of the tables before it.
// RUN: cp %t.npub %t.badname && python3 %S/Inputs/npub-patch.py %t.badname 'f5[0].f0=1000000:u32'
// RUN: not npu-translate --npub-to-mlir %t.badname 2>&1 | FileCheck %s --check-prefix=BADNAME
// BADNAME: error: malformed .npub binary: FlatBuffers verification failed in Model.programs[0].name

// The system is checked with the same rules as any description: unknown
// codes (System.topology), invalid values (chips[0].sram_bytes).
// RUN: cp %t.npub %t.topology && python3 %S/Inputs/npub-patch.py %t.topology 'f2.f1=3:u8'
// RUN: not npu-translate --npub-to-mlir %t.topology 2>&1 | FileCheck %s --check-prefix=TOPOLOGY
// TOPOLOGY: error: system.topology: unknown topology code 3 (0 = switch, 1 = mesh)
// RUN: cp %t.npub %t.sram && python3 %S/Inputs/npub-patch.py %t.sram 'f2.f3[0].f7=0:i64'
// RUN: not npu-translate --npub-to-mlir %t.sram 2>&1 | FileCheck %s --check-prefix=SRAM
// SRAM: error: system.chips[0].sram_bytes: must be positive (got 0)

// Signatures: inputs[0].dtype, inputs[0].shape[1].
// RUN: cp %t.npub %t.sigtype && python3 %S/Inputs/npub-patch.py %t.sigtype 'f3[0].f1=9:u8'
// RUN: not npu-translate --npub-to-mlir %t.sigtype 2>&1 | FileCheck %s --check-prefix=SIGTYPE
// SIGTYPE: error: inputs[0]: 'dtype' has the invalid code 9
// RUN: cp %t.npub %t.sigshape && python3 %S/Inputs/npub-patch.py %t.sigshape 'f3[0].f2[1]=-4:i64'
// RUN: not npu-translate --npub-to-mlir %t.sigshape 2>&1 | FileCheck %s --check-prefix=SIGSHAPE
// SIGSHAPE: error: inputs[0]: 'shape' has the negative extent -4

// A vector of 64-bit integers 4 bytes off its alignment passes the
// FlatBuffers verifier, but reading it in place is undefined behaviour
// (npu-npub-disassembler-fuzzer found one in System.mesh_dims under UBSan):
// inputs[0].shape and programs[0].instructions[1].strides (DmaIn) moved by
// Inputs/npub-patch.py. The runtime's loader refuses the same files.
// RUN: cp %t.npub %t.misshape && python3 %S/Inputs/npub-patch.py %t.misshape 'f3[0].f2=misalign'
// RUN: not npu-translate --npub-to-mlir %t.misshape -o %t.out 2>&1 | FileCheck %s --check-prefix=MISSHAPE
// RUN: not test -e %t.out
// MISSHAPE: error: inputs[0]: 'shape' is not 8-byte aligned (corrupt file)
// RUN: not npu-run %t.misshape 2>&1 | FileCheck %s --check-prefix=MISSHAPE-RT
// MISSHAPE-RT: not 8-byte aligned (corrupt file)
// RUN: cp %t.npub %t.misstrides && python3 %S/Inputs/npub-patch.py %t.misstrides 'f5[0].f3[1].f4=misalign'
// RUN: not npu-translate --npub-to-mlir %t.misstrides 2>&1 | FileCheck %s --check-prefix=MISSTRIDES
// MISSTRIDES: error: programs[0].instructions[1] (DmaIn): 'strides' is not 8-byte aligned (corrupt file)
// RUN: not npu-run %t.misstrides 2>&1 | FileCheck %s --check-prefix=MISSHAPE-RT

// Programs must come in chip order (programs[0].chip).
// RUN: cp %t.npub %t.order && python3 %S/Inputs/npub-patch.py %t.order 'f5[0].f1=5:i64'
// RUN: not npu-translate --npub-to-mlir %t.order 2>&1 | FileCheck %s --check-prefix=ORDER
// ORDER: error: programs[1]: programs must be sorted by chip id, but chip 1 follows chip 5

// Instruction types (programs[0].instructions_type): out of the union,
// NONE, and a type that does not match its table (the final halt read as a
// matmul, whose vectors are then missing).
// RUN: cp %t.npub %t.type && python3 %S/Inputs/npub-patch.py %t.type 'f5[0].f2[3]=77:u8'
// RUN: not npu-translate --npub-to-mlir %t.type 2>&1 | FileCheck %s --check-prefix=TYPE
// TYPE: error: programs[0].instructions[3]: unknown instruction type 77
// RUN: cp %t.npub %t.none && python3 %S/Inputs/npub-patch.py %t.none 'f5[0].f2[0]=0:u8'
// RUN: not npu-translate --npub-to-mlir %t.none 2>&1 | FileCheck %s --check-prefix=NONE
// NONE: error: programs[0].instructions[0]: instruction type is NONE (no instruction)
// RUN: cp %t.npub %t.mismatch && python3 %S/Inputs/npub-patch.py %t.mismatch 'f5[0].f2[9]=8:u8'
// RUN: not npu-translate --npub-to-mlir %t.mismatch 2>&1 | FileCheck %s --check-prefix=MISMATCH
// MISMATCH: error: programs[0].instructions[9] (MatMul): 'lds' has 0 element(s); expected 3

// Instruction fields: an exit path longer than what follows
// (instructions[5].exit_path_length), an input index out of range
// (instructions[0].input), enum codes out of range (matmul dtype, signal
// engine).
// RUN: cp %t.npub %t.exitlen && python3 %S/Inputs/npub-patch.py %t.exitlen 'f5[0].f3[5].f5=5:u32'
// RUN: not npu-translate --npub-to-mlir %t.exitlen -o %t.out 2>&1 | FileCheck %s --check-prefix=EXITLEN
// RUN: not test -e %t.out
// EXITLEN: error: programs[0].instructions[5] (ExitCheck): 'exit_path_length' is 5 but only 4 instruction(s) follow in the enclosing stream
// RUN: cp %t.npub %t.input && python3 %S/Inputs/npub-patch.py %t.input 'f5[0].f3[0].f0=1:u32'
// RUN: not npu-translate --npub-to-mlir %t.input 2>&1 | FileCheck %s --check-prefix=INPUT
// INPUT: error: programs[0].instructions[0] (LoadInput): 'input' is 1 but the model has 1 input(s)
// RUN: cp %t.npub %t.dtype && python3 %S/Inputs/npub-patch.py %t.dtype 'f5[0].f3[4].f7=6:u8'
// RUN: not npu-translate --npub-to-mlir %t.dtype 2>&1 | FileCheck %s --check-prefix=DTYPE
// DTYPE: error: programs[0].instructions[4] (MatMul): 'dtype' has the invalid code 6
// RUN: cp %t.npub %t.engine && python3 %S/Inputs/npub-patch.py %t.engine 'f5[0].f3[2].f1=7:u8'
// RUN: not npu-translate --npub-to-mlir %t.engine 2>&1 | FileCheck %s --check-prefix=ENGINE
// ENGINE: error: programs[0].instructions[2] (Signal): 'engine' has the invalid code 7

// Values that decode but break an instruction's invariants are reported by
// the IR verifier, named by their place in the binary: a valid dtype the
// MAC array does not take, a zero row count.
// RUN: cp %t.npub %t.i32 && python3 %S/Inputs/npub-patch.py %t.i32 'f5[0].f3[4].f7=5:u8'
// RUN: not npu-translate --npub-to-mlir %t.i32 -o %t.out 2>&1 | FileCheck %s --check-prefix=I32
// RUN: not test -e %t.out
// I32: error: programs[0].instructions[4] (MatMul): 'npuisa.matmul' op i32 is not a MAC-array operand type
// RUN: cp %t.npub %t.rows && python3 %S/Inputs/npub-patch.py %t.rows 'f5[0].f3[1].f2=0:i64'
// RUN: not npu-translate --npub-to-mlir %t.rows 2>&1 | FileCheck %s --check-prefix=ROWS
// ROWS: error: programs[0].instructions[1] (DmaIn): 'npuisa.dma_in' op attribute 'rows' failed to satisfy constraint: 64-bit signless integer attribute whose value is positive

// Segments (programs[0].segments): sorted by DRAM offset, inside the DRAM
// of the chip (1 GiB for chip 0 of the E1 package), not overlapping.
// RUN: cp %t.npub %t.segorder && python3 %S/Inputs/npub-patch.py %t.segorder 'f5[0].f4[0].f0=10000:i64'
// RUN: not npu-translate --npub-to-mlir %t.segorder 2>&1 | FileCheck %s --check-prefix=SEGORDER
// SEGORDER: error: programs[0].segments[1]: segments must be sorted by DRAM offset, but 8192 follows 10000
// RUN: cp %t.npub %t.segout && python3 %S/Inputs/npub-patch.py %t.segout 'f5[0].f4[1].f0=1073741822:i64'
// RUN: not npu-translate --npub-to-mlir %t.segout -o %t.out 2>&1 | FileCheck %s --check-prefix=SEGOUT
// RUN: not test -e %t.out
// SEGOUT: error: programs[0]: 'npuisa.program' op segment 1 of 'npuisa.segments' [1073741822, 1073741826) lies outside the DRAM of chip 0 (1073741824 bytes)
// RUN: cp %t.npub %t.segoverlap && python3 %S/Inputs/npub-patch.py %t.segoverlap 'f5[0].f4[1].f0=4100:i64'
// RUN: not npu-translate --npub-to-mlir %t.segoverlap 2>&1 | FileCheck %s --check-prefix=SEGOVERLAP
// SEGOVERLAP: error: programs[0]: 'npuisa.program' op segments 0 [4096, 4112) and 1 [4100, 4104) of 'npuisa.segments' overlap in DRAM

#chip0 = #npu.chip<id = 0, name = "small", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 256, mac_cols = 256, vector_lanes = 256, sram_bytes = 4194304, dram_bytes = 1073741824, dram_bytes_per_cycle = 64, clock_mhz = 1000, power = <active_mw = 2500, idle_mw = 400, off_mw = 15, wake_cycles = 10000, wake_energy_nj = 20000>>
#chip1 = #npu.chip<id = 1, name = "big", kind = "general", caps = ["dense", "sparse", "conv", "activation", "fp32", "fp16", "bf16", "int8"], mac_rows = 512, mac_cols = 512, vector_lanes = 512, sram_bytes = 16777216, dram_bytes = 4294967296, dram_bytes_per_cycle = 128, clock_mhz = 1000, power = <active_mw = 12000, idle_mw = 1800, off_mw = 40, wake_cycles = 50000, wake_energy_nj = 400000>>
#system = #npu.system<name = "e1-package", topology = "switch", chips = [#chip0, #chip1], links = [<a = 0, b = 1, bandwidth_gbps = 64, latency_ns = 100>], host = <bandwidth_gbps = 16, latency_ns = 1000>>
module attributes {
    npu.inputs = [#npu.tensor<"x" : tensor<1x4xf32>>],
    npu.outputs = [#npu.tensor<"y" : tensor<2xf32>>],
    npu.system = #system} {
  npuisa.program @small chip(0) attributes {npuisa.segments = [
      {dram = 4096 : i64, data = dense<1.0> : tensor<4xf32>},
      {dram = 8192 : i64, data = dense<2> : tensor<4xi8>}]} {
    npuisa.load_input "x" offset(0) -> dram(0) bytes(16)
    npuisa.dma_in dram(0) -> sram(0) rows(1) row_bytes(16) strides[16, 16]
    npuisa.signal token(0) on(dma_in)
    npuisa.wait token(0) on(mac)
    npuisa.matmul a(0) b(0) c(64) m(1) k(2) n(2) lds[2, 2, 2] dtype(f32) accumulate(false)
    npuisa.exit_check src(64) classes(2) dtype(f32) measure(max_prob) threshold(9.000000e-01) {
      npuisa.dma_out sram(64) -> dram(64) rows(1) row_bytes(8) strides[8, 8]
      npuisa.store_output "y" offset(0) from dram(64) bytes(8)
      npuisa.halt
    }
    npuisa.halt
  }
  npuisa.program @big chip(1) {
    npuisa.halt
  }
}
