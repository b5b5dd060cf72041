//===- LowerToISA.cpp - npu graph to one chip's npuisa program ------------===//
//
// `npu-lower-to-isa`: the model function (npu ops, arith.constant weights,
// func.return) becomes `npuisa.program @<func> chip(<chip>)`; the function
// is erased. docs/lowering.md is the long form of this block.
//
// Signature. `npu.inputs` / `npu.outputs` list the arguments and results
// as #npu.tensor, named by their `npu.name` argument/result attribute, else
// "input<i>" / "output<i>".
//
// DRAM. Inputs, then outputs, are staged from offset 0, each 64-byte
// aligned; after them come the segments (`npuisa.segments` on the program:
// [{dram = offset, data = elements}], 64-byte aligned, in order of first
// use, identical data stored once). Constants that the ISA needs in another
// layout are transformed at compile time.
//
// Stream. load_input + dma_in per input; per op, its compute; the weights
// of op i+1 are loaded before the compute of op i (prefetch distance 1),
// unless that prefetch is what makes SRAM overflow; dma_out + store_output
// per result; halt.
//
// Ops (every tensor is a contiguous row-major f32 buffer in SRAM):
//  conv2d      per image, group, block of <= mac_cols output channels and
//              block of rows with rows * out_w <= mac_rows: one conv tile;
//              bias: vector add, b_bcast [M, OH*OW]. out_w > mac_rows: error.
//  conv_transpose2d  the conv2d tiles at stride 1 over the input scattered
//              with stride s into a zero-filled temporary (fill + strided
//              copy; negative padding crops it, the rest is the conv's
//              pads), with the constant weight flipped and its channel axes
//              swapped per group at compile time; bias as conv2d.
//  matmul      numpy: 1-D operands promoted, batch dims broadcast (stride 0);
//              per batch, tiles m <= mac_rows, n <= mac_cols, whole k.
//  gemm        constant A/B transposed (and scaled by alpha) at compile
//              time, computed ones transposed by copy; leftover alpha: vector
//              mul by a scalar segment; beta folded into a constant C, else a
//              vector mul; C added with b_bcast.
//  add sub mul div max min pow
//              one vector op; b_bcast [period, repeat] when the rhs's kept
//              dims form one block, else a stride-0 copy to the full shape;
//              a broadcast lhs is swapped (commutative ops) or copied out.
//  prelu       min(x, 0) against a scalar-zero segment, * slope, + relu(x).
//  relu sigmoid tanh exp sqrt hard_swish leaky_relu hard_sigmoid clip gelu
//              one vector op; alpha/beta: leaky slope; hard-sigmoid alpha,
//              beta; clip min, max; gelu 1 for the tanh approximation.
//  batch_norm  constants folded to s = scale / sqrt(var + eps) and
//              t = bias - mean * s; vector mul + add, b_bcast [C, spatial].
//  max/avg_pool2d  one pool over N*C channels (sizes from the result type).
//  global_*_pool   reduce mean/max [N*C, H*W, 1].
//  reduce_*    unit dims dropped; one reduce [outer, r, inner] per run of
//              adjacent reduced dims, innermost first.
//  softmax     reduce max, sub, exp, reduce sum, div over [outer, R, inner].
//  reshape     no instruction; the result aliases the input's buffer.
//  transpose slice concat  strided copies (rank > 4: one copy per index of
//              the leading dims).
//  pad         constant: fill + copy; reflect/edge: error.
//  resize      one resize over N*C channels, modes [coordinate, nearest].
//  quantize/dequantize and anything else: error.
//
// SRAM. Each value, weight load and temporary is a virtual buffer, live
// from the first to the last instruction referencing it in the final
// stream (reshape aliases extend it; an elementwise op writes in place over
// an input it is the last user of). Buffers are placed best-fit, 64-byte
// aligned, and freed after their last use.
//
// Tokens. Derived from the byte ranges each instruction touches; see
// SyncTokens.cpp.
//
//===----------------------------------------------------------------------===//

#include "GraphLowering.h"
#include "ProgramBuilder.h"

#include "npu/Conversion/NPUToNPUISA/NPUToNPUISA.h"
#include "npu/Dialect/NPU/NPUDialect.h"
#include "npu/Dialect/NPUISA/NPUISAOps.h"
#include "npu/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "llvm/ADT/StringSet.h"

#define DEBUG_TYPE "npu-lower-to-isa"

namespace mlir::npu {
#define GEN_PASS_DEF_LOWERTOISAPASS
#include "npu/Transforms/Passes.h.inc"
} // namespace mlir::npu

using namespace mlir;
using namespace mlir::npu;
namespace rt = ::npu::rt;

namespace {

/// Name attribute of a function argument or result.
constexpr llvm::StringLiteral kNameAttr = "npu.name";

struct LowerToISAPass
    : public mlir::npu::impl::LowerToISAPassBase<LowerToISAPass> {
  using LowerToISAPassBase::LowerToISAPassBase;

  void runOnOperation() override {
    if (failed(run()))
      signalPassFailure();
  }

  LogicalResult run();
};

/// Names and DRAM staging of the function's arguments (or results).
FailureOr<SmallVector<lowering::StagedTensor>>
stage(func::FuncOp func, bool results, int64_t &dram) {
  SmallVector<lowering::StagedTensor> staged;
  llvm::StringSet<> names;
  TypeRange types = results ? func.getResultTypes() : func.getArgumentTypes();
  StringRef what = results ? "result" : "argument";
  for (auto [i, type] : llvm::enumerate(types)) {
    auto tensor = dyn_cast<RankedTensorType>(type);
    if (!tensor || !tensor.hasStaticShape() ||
        !tensor.getElementType().isF32() || tensor.getNumElements() == 0)
      return func.emitOpError()
             << what << " " << i << " has type " << type
             << "; only f32 is lowered so far, as non-empty static tensors";
    auto name = results ? func.getResultAttrOfType<StringAttr>(i, kNameAttr)
                        : func.getArgAttrOfType<StringAttr>(i, kNameAttr);
    std::string label =
        name ? name.str() : (results ? "output" : "input") + std::to_string(i);
    if (!names.insert(label).second)
      return func.emitOpError()
             << "names two " << what << "s '" << label << "'";
    int64_t bytes = tensor.getNumElements() * 4;
    staged.push_back({label, tensor, dram, bytes});
    dram = lowering::alignUp(dram + bytes);
  }
  return staged;
}

LogicalResult LowerToISAPass::run() {
  ModuleOp module = getOperation();
  SystemAttr systemAttr = getSystemAttr(module);
  if (!systemAttr)
    return module.emitError() << "npu-lower-to-isa needs the module's '"
                              << NPUDialect::getSystemAttrName()
                              << "' (run --npu-set-system first)";
  rt::SystemDesc system = toSystemDesc(systemAttr);
  int64_t chipId = chip;
  const rt::ChipDesc *chipDesc = system.findChip(chipId);
  if (!chipDesc)
    return module.emitError()
           << "chip " << chipId << " is not in system '" << system.name << "'";

  SmallVector<func::FuncOp> funcs(module.getOps<func::FuncOp>());
  if (funcs.size() != 1)
    return module.emitError() << "npu-lower-to-isa expects exactly one "
                                 "func.func (the model), found "
                              << funcs.size();
  func::FuncOp func = funcs.front();
  for (auto program : module.getOps<npuisa::ProgramOp>())
    if (program.getChip() == static_cast<uint64_t>(chipId))
      return program.emitOpError()
             << "already holds the program of chip " << chipId;
  if (!func.getBody().hasOneBlock())
    return func.emitOpError() << "must have a single block to be lowered";
  if (!chipDesc->has(rt::CapFP32))
    return func.emitOpError() << "is f32, which chip " << chipDesc->id << " ("
                              << chipDesc->name << ") does not support";
  if (failed(lowering::checkLowerable(func)))
    return failure();

  int64_t dram = 0;
  FailureOr<SmallVector<lowering::StagedTensor>> inputs =
      stage(func, /*results=*/false, dram);
  if (failed(inputs))
    return failure();
  FailureOr<SmallVector<lowering::StagedTensor>> outputs =
      stage(func, /*results=*/true, dram);
  if (failed(outputs))
    return failure();

  OpBuilder builder(module.getContext());
  builder.setInsertionPoint(func);
  auto program = npuisa::ProgramOp::create(builder, func.getLoc(),
                                           func.getSymName(), chipId);
  int64_t peak = 0;
  if (failed(lowering::lowerFunction(func, program, *chipDesc, *inputs,
                                     *outputs, peak)) ||
      failed(insertSyncTokens(program))) {
    program.erase();
    return failure();
  }

  auto signature = [&](ArrayRef<lowering::StagedTensor> tensors) {
    SmallVector<Attribute> sigs;
    for (const lowering::StagedTensor &t : tensors)
      sigs.push_back(TensorSigAttr::get(module.getContext(), t.name, t.type));
    return builder.getArrayAttr(sigs);
  };
  module->setAttr(NPUDialect::getInputsAttrName(), signature(*inputs));
  module->setAttr(NPUDialect::getOutputsAttrName(), signature(*outputs));
  func.erase();

  numInstructions = program.getBody().front().getOperations().size();
  peakSram = peak;
  return success();
}

} // namespace
