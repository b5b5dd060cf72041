//===- NPUISAOps.td - NPU instruction-level operations -----*- tablegen -*-===//
//
// The `npuisa` dialect: one operation per instruction of the deterministic
// NPU ISA, on explicit byte offsets in a chip's SRAM and DRAM. Each
// instruction runs on one engine (DMA in/out, MAC array, vector unit, link
// ports, control); engines run concurrently and synchronise through tokens.
// Costs come from runtime/include/npu/rt/Cost.h through CostOpInterface.
//
//===----------------------------------------------------------------------===//

#ifndef NPU_DIALECT_NPUISA_NPUISAOPS_TD
#define NPU_DIALECT_NPUISA_NPUISAOPS_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/EnumAttr.td"
include "mlir/IR/SymbolInterfaces.td"
include "NPUISA/NPUISAInterfaces.td"

def NPUISA_Dialect : Dialect {
  let name = "npuisa";
  let cppNamespace = "::mlir::npuisa";
  let summary = "Instructions of the deterministic NPU ISA";
  let description = [{
    Programs of `npuisa` instructions address a chip's SRAM and DRAM by byte
    offset. Every instruction has an exact cost (see docs/cost-model.md);
    the bounds of every access are checked against the chip described by the
    module's `npu.system`.
  }];
}

//===----------------------------------------------------------------------===//
// Enums: numeric values are the binary encoding (runtime/include/npu/rt).
//===----------------------------------------------------------------------===//

def NPUISA_DType : I32EnumAttr<"DType", "element type", [
    I32EnumAttrCase<"f32", 0>, I32EnumAttrCase<"f16", 1>,
    I32EnumAttrCase<"bf16", 2>, I32EnumAttrCase<"i8", 3>,
    I32EnumAttrCase<"ui8", 4>, I32EnumAttrCase<"i32", 5>]> {
  let cppNamespace = "::mlir::npuisa";
}

def NPUISA_Engine : I32EnumAttr<"Engine", "engine of a chip", [
    I32EnumAttrCase<"dma_in", 0>, I32EnumAttrCase<"dma_out", 1>,
    I32EnumAttrCase<"mac", 2>, I32EnumAttrCase<"vector", 3>,
    I32EnumAttrCase<"link_tx", 4>, I32EnumAttrCase<"link_rx", 5>,
    I32EnumAttrCase<"control", 6>]> {
  let cppNamespace = "::mlir::npuisa";
}

def NPUISA_VectorOpKind : I32EnumAttr<"VectorOpKind", "vector operation", [
    I32EnumAttrCase<"copy", 0>, I32EnumAttrCase<"add", 1>,
    I32EnumAttrCase<"sub", 2>, I32EnumAttrCase<"mul", 3>,
    I32EnumAttrCase<"div", 4>, I32EnumAttrCase<"max", 5>,
    I32EnumAttrCase<"min", 6>, I32EnumAttrCase<"pow", 7>,
    I32EnumAttrCase<"relu", 8>, I32EnumAttrCase<"leaky_relu", 9>,
    I32EnumAttrCase<"sigmoid", 10>, I32EnumAttrCase<"hard_sigmoid", 11>,
    I32EnumAttrCase<"hard_swish", 12>, I32EnumAttrCase<"tanh", 13>,
    I32EnumAttrCase<"clip", 14>, I32EnumAttrCase<"gelu", 15>,
    I32EnumAttrCase<"exp", 16>, I32EnumAttrCase<"sqrt", 17>,
    I32EnumAttrCase<"quantize", 18>, I32EnumAttrCase<"dequantize", 19>]> {
  let cppNamespace = "::mlir::npuisa";
}

def NPUISA_ReduceKind : I32EnumAttr<"ReduceKind", "reduction", [
    I32EnumAttrCase<"sum", 0>, I32EnumAttrCase<"max", 1>,
    I32EnumAttrCase<"mean", 2>]> {
  let cppNamespace = "::mlir::npuisa";
}

def NPUISA_PoolKind : I32EnumAttr<"PoolKind", "pooling", [
    I32EnumAttrCase<"max", 0>, I32EnumAttrCase<"avg", 1>]> {
  let cppNamespace = "::mlir::npuisa";
}

def NPUISA_ResizeKind : I32EnumAttr<"ResizeKind", "interpolation", [
    I32EnumAttrCase<"nearest", 0>, I32EnumAttrCase<"linear", 1>]> {
  let cppNamespace = "::mlir::npuisa";
}

def NPUISA_Measure : I32EnumAttr<"Measure", "confidence measure", [
    I32EnumAttrCase<"max_prob", 0>, I32EnumAttrCase<"margin", 1>,
    I32EnumAttrCase<"entropy", 2>]> {
  let cppNamespace = "::mlir::npuisa";
}

//===----------------------------------------------------------------------===//
// Attribute constraints.
//===----------------------------------------------------------------------===//

def NPUISA_Offset : ConfinedAttr<I64Attr, [IntNonNegative]>;
def NPUISA_Count : ConfinedAttr<I64Attr, [IntPositive]>;
def NPUISA_Pair : ConfinedAttr<DenseI64ArrayAttr, [DenseArrayCount<2>]>;
def NPUISA_Quad : ConfinedAttr<DenseI64ArrayAttr, [DenseArrayCount<4>]>;

//===----------------------------------------------------------------------===//
// Base classes.
//===----------------------------------------------------------------------===//

class NPUISA_Op<string mnemonic, list<Trait> traits = []>
    : Op<NPUISA_Dialect, mnemonic, traits>;

/// An instruction: has a cost, touches checked memory ranges.
class NPUISA_Instr<string mnemonic, list<Trait> traits = [],
                   list<string> overrides = []>
    : NPUISA_Op<mnemonic, !listconcat(traits,
        [DeclareOpInterfaceMethods<NPUISA_CostOpInterface, overrides>])> {
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Program structure.
//===----------------------------------------------------------------------===//

def NPUISA_ProgramOp : NPUISA_Op<"program",
    [Symbol, IsolatedFromAbove, SingleBlock, HasParent<"::mlir::ModuleOp">]> {
  let summary = "The instruction stream of one chip";
  let description = [{
    Instructions are issued in order, each to its engine's queue; an engine
    executes its queue in order, and engines meet only at `npuisa.wait` /
    `npuisa.signal`; the k-th wait on a token pairs with its k-th signal, which
    must come earlier in the stream. The stream ends with `npuisa.halt`.

    ```mlir
    npuisa.program @chip0 chip(0) {
      npuisa.load_input "x" offset(0) -> dram(0) bytes(256)
      npuisa.dma_in dram(0) -> sram(0) rows(1) row_bytes(256) strides[256, 256]
      npuisa.halt
    }
    ```
  }];
  let arguments = (ins SymbolNameAttr:$sym_name, NPUISA_Offset:$chip);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = "$sym_name `chip` `(` $chip `)` attr-dict-with-keyword $body";
  let hasVerifier = 1;
  let hasRegionVerifier = 1;
}

def NPUISA_HaltOp : NPUISA_Instr<"halt",
    [Terminator, ParentOneOf<["ProgramOp", "ExitCheckOp"]>]> {
  let summary = "End of the instruction stream";
  let description = [{
    Waits for every engine to drain, then stops the chip.

    ```mlir
    npuisa.halt
    ```
  }];
  let assemblyFormat = "attr-dict";
}

//===----------------------------------------------------------------------===//
// Data movement.
//===----------------------------------------------------------------------===//

def NPUISA_LoadInputOp : NPUISA_Instr<"load_input"> {
  let summary = "DMA a model input from host memory into DRAM";
  let description = [{
    Copies `bytes` bytes starting at byte `offset` of host tensor `name` to
    DRAM offset `dram` over the host link (M5). Runs on `dma_in`.

    ```mlir
    npuisa.load_input "x" offset(0) -> dram(0) bytes(3072)
    ```
  }];
  let arguments = (ins StrAttr:$name, NPUISA_Offset:$offset,
                       NPUISA_Offset:$dram, NPUISA_Count:$bytes);
  let assemblyFormat = [{
    $name `offset` `(` $offset `)` `->` `dram` `(` $dram `)`
    `bytes` `(` $bytes `)` attr-dict
  }];
}

def NPUISA_StoreOutputOp : NPUISA_Instr<"store_output"> {
  let summary = "DMA a model output from DRAM to host memory";
  let description = [{
    Copies `bytes` bytes from DRAM offset `dram` to byte `offset` of host
    tensor `name`. Runs on `dma_out`.

    ```mlir
    npuisa.store_output "y" offset(0) from dram(4096) bytes(40)
    ```
  }];
  let arguments = (ins StrAttr:$name, NPUISA_Offset:$offset,
                       NPUISA_Offset:$dram, NPUISA_Count:$bytes);
  let assemblyFormat = [{
    $name `offset` `(` $offset `)` `from` `dram` `(` $dram `)`
    `bytes` `(` $bytes `)` attr-dict
  }];
}

def NPUISA_DmaInOp : NPUISA_Instr<"dma_in"> {
  let summary = "2-D DMA from DRAM into SRAM";
  let description = [{
    Moves `rows` rows of `row_bytes` bytes; row `r` is read at
    `dram + r * strides[0]` and written at `sram + r * strides[1]`.
    Runs on `dma_in`.

    ```mlir
    npuisa.dma_in dram(0) -> sram(0) rows(4) row_bytes(64) strides[256, 64]
    ```
  }];
  let arguments = (ins NPUISA_Offset:$dram, NPUISA_Offset:$sram,
                       NPUISA_Count:$rows, NPUISA_Count:$row_bytes,
                       NPUISA_Pair:$strides);
  let assemblyFormat = [{
    `dram` `(` $dram `)` `->` `sram` `(` $sram `)` `rows` `(` $rows `)`
    `row_bytes` `(` $row_bytes `)` `strides` `` $strides attr-dict
  }];
}

def NPUISA_DmaOutOp : NPUISA_Instr<"dma_out"> {
  let summary = "2-D DMA from SRAM out to DRAM";
  let description = [{
    Moves `rows` rows of `row_bytes` bytes; row `r` is read at
    `sram + r * strides[0]` and written at `dram + r * strides[1]`.
    Runs on `dma_out`.

    ```mlir
    npuisa.dma_out sram(0) -> dram(4096) rows(1) row_bytes(40) strides[40, 40]
    ```
  }];
  let arguments = (ins NPUISA_Offset:$sram, NPUISA_Offset:$dram,
                       NPUISA_Count:$rows, NPUISA_Count:$row_bytes,
                       NPUISA_Pair:$strides);
  let assemblyFormat = [{
    `sram` `(` $sram `)` `->` `dram` `(` $dram `)` `rows` `(` $rows `)`
    `row_bytes` `(` $row_bytes `)` `strides` `` $strides attr-dict
  }];
}

def NPUISA_SendOp : NPUISA_Instr<"send", [], ["verifyOnChip"]> {
  let summary = "Send SRAM bytes to another chip over a direct link";
  let description = [{
    Streams `bytes` bytes from SRAM offset `sram` to chip `chip` on
    `channel`. A direct link between the chips must exist (multi-hop routes
    are explicit relays). Runs on `link_tx`.

    ```mlir
    npuisa.send sram(0) bytes(6272) to chip(1) channel(0)
    ```
  }];
  let arguments = (ins NPUISA_Offset:$sram, NPUISA_Count:$bytes,
                       NPUISA_Offset:$chip, NPUISA_Offset:$channel);
  let assemblyFormat = [{
    `sram` `(` $sram `)` `bytes` `(` $bytes `)` `to` `chip` `(` $chip `)`
    `channel` `(` $channel `)` attr-dict
  }];
}

def NPUISA_RecvOp : NPUISA_Instr<"recv", [], ["verifyOnChip"]> {
  let summary = "Receive bytes from another chip into SRAM";
  let description = [{
    Blocks `link_rx` until the matching `npuisa.send` of chip `chip` on
    `channel` arrives, then writes its `bytes` bytes at SRAM offset `sram`.

    ```mlir
    npuisa.recv sram(0) bytes(6272) from chip(0) channel(0)
    ```
  }];
  let arguments = (ins NPUISA_Offset:$sram, NPUISA_Count:$bytes,
                       NPUISA_Offset:$chip, NPUISA_Offset:$channel);
  let assemblyFormat = [{
    `sram` `(` $sram `)` `bytes` `(` $bytes `)` `from` `chip` `(` $chip `)`
    `channel` `(` $channel `)` attr-dict
  }];
}

//===----------------------------------------------------------------------===//
// MAC array.
//===----------------------------------------------------------------------===//

def NPUISA_MatMulOp : NPUISA_Instr<"matmul", [], ["verifyOnChip"]> {
  let summary = "One MAC-array tile: C (+)= A * B";
  let description = [{
    `C[m x n] (+)= A[m x k] * B[k x n]` with `m <= rows` and `n <= cols` of
    the chip's array. `lds` are the row strides of A, B and C in elements;
    C holds the accumulator type (f32, or i32 for 8-bit operands). With
    `accumulate` C is added to, otherwise overwritten. Runs on `mac`.

    ```mlir
    npuisa.matmul a(0) b(256) c(4352) m(1) k(64) n(16) lds[64, 16, 16]
        dtype(f32) accumulate(false)
    ```
  }];
  let arguments = (ins NPUISA_Offset:$a, NPUISA_Offset:$b, NPUISA_Offset:$c,
                       NPUISA_Count:$m, NPUISA_Count:$k, NPUISA_Count:$n,
                       ConfinedAttr<DenseI64ArrayAttr, [DenseArrayCount<3>]>:$lds,
                       NPUISA_DType:$dtype, BoolAttr:$accumulate);
  let assemblyFormat = [{
    `a` `(` $a `)` `b` `(` $b `)` `c` `(` $c `)` `m` `(` $m `)` `k` `(` $k `)`
    `n` `(` $n `)` `lds` `` $lds `dtype` `(` $dtype `)`
    `accumulate` `(` $accumulate `)` attr-dict
  }];
}

def NPUISA_ConvOp : NPUISA_Instr<"conv", [], ["verifyOnChip"]> {
  let summary = "One MAC-array convolution tile (implicit GEMM, one group)";
  let description = [{
    Convolves an SRAM input `[channels x in_hw[0] x in_hw[1]]` (one image,
    the channels of one group) with weights `[out_channels x channels x
    kernel[0] x kernel[1]]` into output rows `[out_rows[0], out_rows[0] +
    out_rows[1])` of an `[out_channels x out_hw[0] x out_hw[1]]` output.
    `pads` are `[top, left, bottom, right]`. The tile is an implicit GEMM
    with `m = out_rows[1] * out_hw[1] <= rows` and `n = out_channels <=
    cols`. Output is the accumulator type. Runs on `mac`.

    ```mlir
    npuisa.conv input(0) weight(4096) output(8192) channels(3) in_hw[8, 8]
        out_channels(16) out_hw[8, 8] out_rows[0, 8] kernel[3, 3]
        strides[1, 1] pads[1, 1, 1, 1] dilations[1, 1] dtype(f32)
    ```
  }];
  let arguments = (ins NPUISA_Offset:$input, NPUISA_Offset:$weight,
                       NPUISA_Offset:$output, NPUISA_Count:$channels,
                       NPUISA_Pair:$in_hw, NPUISA_Count:$out_channels,
                       NPUISA_Pair:$out_hw, NPUISA_Pair:$out_rows,
                       NPUISA_Pair:$kernel, NPUISA_Pair:$strides,
                       NPUISA_Quad:$pads, NPUISA_Pair:$dilations,
                       NPUISA_DType:$dtype);
  let assemblyFormat = [{
    `input` `(` $input `)` `weight` `(` $weight `)` `output` `(` $output `)`
    `channels` `(` $channels `)` `in_hw` `` $in_hw
    `out_channels` `(` $out_channels `)` `out_hw` `` $out_hw
    `out_rows` `` $out_rows `kernel` `` $kernel `strides` `` $strides
    `pads` `` $pads `dilations` `` $dilations `dtype` `(` $dtype `)` attr-dict
  }];
}

//===----------------------------------------------------------------------===//
// Vector unit.
//===----------------------------------------------------------------------===//

def NPUISA_VectorOp : NPUISA_Instr<"vector"> {
  let summary = "Elementwise operation on the vector unit";
  let description = [{
    `dst[i] = op(a[i], b[(i / b_bcast[1]) % b_bcast[0]], alpha, beta)` for
    `i < count`. `b_bcast = [period, repeat]` expresses broadcasting: `[count,
    1]` is elementwise, `[1, 1]` a scalar, `[C, H*W]` a per-channel operand of
    an NCHW tensor. Binary operations need `b`; `alpha`/`beta` are the
    operation's constants (leaky slope, hard-sigmoid slope and offset, clip
    bounds, quantization scale and zero point). Runs on `vector`.

    ```mlir
    npuisa.vector add a(0) b(1024) b_bcast[16, 16] -> dst(2048) count(256)
        dtype(f32)
    ```
  }];
  let arguments = (ins NPUISA_VectorOpKind:$kind, NPUISA_Offset:$a,
                       OptionalAttr<NPUISA_Offset>:$b,
                       OptionalAttr<NPUISA_Pair>:$b_bcast,
                       NPUISA_Offset:$dst, NPUISA_Count:$count,
                       NPUISA_DType:$dtype,
                       DefaultValuedAttr<F32Attr, "0.0f">:$alpha,
                       DefaultValuedAttr<F32Attr, "0.0f">:$beta);
  let assemblyFormat = [{
    $kind `a` `(` $a `)` (`b` `(` $b^ `)`)? (`b_bcast` `` $b_bcast^)?
    `->` `dst` `(` $dst `)` `count` `(` $count `)` `dtype` `(` $dtype `)`
    attr-dict
  }];
}

def NPUISA_FillOp : NPUISA_Instr<"fill"> {
  let summary = "Fill SRAM with a constant";
  let description = [{
    `dst[i] = value` for `i < count` (padding, accumulator reset).

    ```mlir
    npuisa.fill dst(0) count(400) value(0.0) dtype(f32)
    ```
  }];
  let arguments = (ins NPUISA_Offset:$dst, NPUISA_Count:$count,
                       F32Attr:$value, NPUISA_DType:$dtype);
  let assemblyFormat = [{
    `dst` `(` $dst `)` `count` `(` $count `)` `value` `(` $value `)`
    `dtype` `(` $dtype `)` attr-dict
  }];
}

def NPUISA_ReduceOp : NPUISA_Instr<"reduce"> {
  let summary = "Reduce the middle axis of an [outer, reduced, inner] block";
  let description = [{
    `dst[o, i] = reduce over r of src[o, r, i]`; `shape` is
    `[outer, reduced, inner]`. Runs on `vector`.

    ```mlir
    npuisa.reduce max src(0) -> dst(4096) shape[1, 10, 1] dtype(f32)
    ```
  }];
  let arguments = (ins NPUISA_ReduceKind:$kind, NPUISA_Offset:$src,
                       NPUISA_Offset:$dst,
                       ConfinedAttr<DenseI64ArrayAttr, [DenseArrayCount<3>]>:$shape,
                       NPUISA_DType:$dtype);
  let assemblyFormat = [{
    $kind `src` `(` $src `)` `->` `dst` `(` $dst `)` `shape` `` $shape
    `dtype` `(` $dtype `)` attr-dict
  }];
}

def NPUISA_PoolOp : NPUISA_Instr<"pool"> {
  let summary = "Windowed 2-D pooling of a [C, H, W] block";
  let description = [{
    Max or average pooling with ONNX semantics (`pads` are
    `[top, left, bottom, right]`; padded positions never win a max and count
    in an average only with `count_include_pad`). Runs on `vector`.

    ```mlir
    npuisa.pool max src(0) -> dst(4096) channels(16) in_hw[8, 8]
        out_hw[4, 4] kernel[2, 2] strides[2, 2] pads[0, 0, 0, 0]
        dilations[1, 1] dtype(f32)
    ```
  }];
  let arguments = (ins NPUISA_PoolKind:$kind, NPUISA_Offset:$src,
                       NPUISA_Offset:$dst, NPUISA_Count:$channels,
                       NPUISA_Pair:$in_hw, NPUISA_Pair:$out_hw,
                       NPUISA_Pair:$kernel, NPUISA_Pair:$strides,
                       NPUISA_Quad:$pads, NPUISA_Pair:$dilations,
                       NPUISA_DType:$dtype,
                       DefaultValuedAttr<BoolAttr, "false">:$count_include_pad);
  let assemblyFormat = [{
    $kind `src` `(` $src `)` `->` `dst` `(` $dst `)` `channels` `(` $channels `)`
    `in_hw` `` $in_hw `out_hw` `` $out_hw `kernel` `` $kernel
    `strides` `` $strides `pads` `` $pads `dilations` `` $dilations
    `dtype` `(` $dtype `)` attr-dict
  }];
}

def NPUISA_CopyOp : NPUISA_Instr<"copy"> {
  let summary = "Strided 4-D copy within SRAM";
  let description = [{
    For every index `(i0, i1, i2, i3) < shape`, copies the element at
    `src + sum(i * src_strides)` to `dst + sum(i * dst_strides)` (strides in
    elements). Transpose, slice, concat and the body of pad are copies.
    Runs on `vector`.

    ```mlir
    npuisa.copy src(0) -> dst(4096) shape[1, 16, 8, 8]
        src_strides[1024, 64, 8, 1] dst_strides[1024, 1, 128, 16] dtype(f32)
    ```
  }];
  let arguments = (ins NPUISA_Offset:$src, NPUISA_Offset:$dst,
                       NPUISA_Quad:$shape, NPUISA_Quad:$src_strides,
                       NPUISA_Quad:$dst_strides, NPUISA_DType:$dtype);
  let assemblyFormat = [{
    `src` `(` $src `)` `->` `dst` `(` $dst `)` `shape` `` $shape
    `src_strides` `` $src_strides `dst_strides` `` $dst_strides
    `dtype` `(` $dtype `)` attr-dict
  }];
}

def NPUISA_ResizeOp : NPUISA_Instr<"resize"> {
  let summary = "Resize the spatial dimensions of a [C, H, W] block";
  let description = [{
    Nearest or bilinear resize from `in_hw` to `out_hw`, with the
    coordinate transformation and rounding of the graph-level `npu.resize`
    carried in `modes = [coordinate_mode, nearest_mode]` (their enum
    values). Runs on `vector`.

    ```mlir
    npuisa.resize linear src(0) -> dst(4096) channels(16) in_hw[8, 8]
        out_hw[16, 16] modes[0, 0] dtype(f32)
    ```
  }];
  let arguments = (ins NPUISA_ResizeKind:$kind, NPUISA_Offset:$src,
                       NPUISA_Offset:$dst, NPUISA_Count:$channels,
                       NPUISA_Pair:$in_hw, NPUISA_Pair:$out_hw,
                       NPUISA_Pair:$modes, NPUISA_DType:$dtype);
  let assemblyFormat = [{
    $kind `src` `(` $src `)` `->` `dst` `(` $dst `)` `channels` `(` $channels `)`
    `in_hw` `` $in_hw `out_hw` `` $out_hw `modes` `` $modes
    `dtype` `(` $dtype `)` attr-dict
  }];
}

//===----------------------------------------------------------------------===//
// Synchronisation, early exit, control.
//===----------------------------------------------------------------------===//

def NPUISA_SignalOp : NPUISA_Instr<"signal"> {
  let summary = "Signal a token when an engine reaches this point";
  let description = [{
    Queued on `engine`; when every earlier instruction of that engine has
    finished, increments `token`.

    ```mlir
    npuisa.signal token(3) on(mac)
    ```
  }];
  let arguments = (ins NPUISA_Offset:$token, NPUISA_Engine:$engine);
  let assemblyFormat = "`token` `(` $token `)` `on` `(` $engine `)` attr-dict";
}

def NPUISA_WaitOp : NPUISA_Instr<"wait"> {
  let summary = "Block an engine until a token has been signalled";
  let description = [{
    Queued on `engine`; blocks it until `token` is positive, then decrements
    it. The k-th wait on a token pairs with the k-th signal of the token,
    which must come earlier on the same path.

    ```mlir
    npuisa.wait token(3) on(vector)
    ```
  }];
  let arguments = (ins NPUISA_Offset:$token, NPUISA_Engine:$engine);
  let assemblyFormat = "`token` `(` $token `)` `on` `(` $engine `)` attr-dict";
}

def NPUISA_ExitCheckOp : NPUISA_Instr<"exit_check",
    [SingleBlock]> {
  let summary = "Early-exit check: run the exit path when confident";
  let description = [{
    Computes the confidence (`measure`) of `classes` logits at SRAM `src`.
    If it reaches `threshold`, runs the region (the exit path, ending in
    `npuisa.halt`); otherwise execution continues after this instruction,
    typically with `npuisa.escalate` and `npuisa.send` (E2, E5). Runs on
    `vector`.

    ```mlir
    npuisa.exit_check src(0) classes(10) dtype(f32) measure(max_prob)
        threshold(0.9) {
      npuisa.dma_out sram(0) -> dram(0) rows(1) row_bytes(40) strides[40, 40]
      npuisa.store_output "y" offset(0) from dram(0) bytes(40)
      npuisa.halt
    }
    ```
  }];
  let arguments = (ins NPUISA_Offset:$src, NPUISA_Count:$classes,
                       NPUISA_DType:$dtype, NPUISA_Measure:$measure,
                       F32Attr:$threshold);
  let regions = (region SizedRegion<1>:$exit_path);
  let assemblyFormat = [{
    `src` `(` $src `)` `classes` `(` $classes `)` `dtype` `(` $dtype `)`
    `measure` `(` $measure `)` `threshold` `(` $threshold `)` attr-dict-with-keyword
    $exit_path
  }];
}

def NPUISA_EscalateOp : NPUISA_Instr<"escalate", [], ["verifyOnChip"]> {
  let summary = "Wake another chip from its low-power state";
  let description = [{
    Raises the wake line of chip `chip` (E3); the chip becomes ready after
    its wake latency. Runs on `control`.

    ```mlir
    npuisa.escalate chip(1)
    ```
  }];
  let arguments = (ins NPUISA_Offset:$chip);
  let assemblyFormat = "`chip` `(` $chip `)` attr-dict";
}

#endif // NPU_DIALECT_NPUISA_NPUISAOPS_TD
