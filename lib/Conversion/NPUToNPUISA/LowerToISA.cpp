//===- LowerToISA.cpp - npu graph to one chip's npuisa program ------------===//
//
// `npu-lower-to-isa`: the model function (npu ops, arith.constant weights,
// func.return) becomes `npuisa.program @<func> chip(<chip>)`; the function
// is erased. docs/lowering.md is the long form of this block.
//
// Multi-chip modules. A module of `npu.program @p chip(c)` ops (no function)
// becomes one `npuisa.program @p chip(c)` per program; the `chip` option is
// not used. Each body is lowered like a function body: npu.input values are
// its arguments, npu.output operands its results; npu.recv receives into a
// new SRAM buffer, npu.send sends from the value's buffer, each one op of
// the stream in IR order (so the k-th send of a channel meets its k-th
// recv). Every send and recv needs a direct link, and the programs' sends
// and recvs, run in IR order, must not deadlock.
//
// Signature. `npu.inputs` / `npu.outputs` list the arguments and results
// as #npu.tensor, named by their `npu.name` argument/result attribute, else
// "input<i>" / "output<i>". For programs: every input name any program
// reads, in order of first appearance (the host sends it to each reader),
// and every npu.output, in module order.
//
// DRAM. Inputs, then outputs (those of the program's chip), are staged
// from offset 0, each 64-byte aligned; after them come the segments
// (`npuisa.segments` on the program: [{dram = offset, data = elements}],
// 64-byte aligned, in order of first use, identical data stored once). Constants that the ISA needs in another
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
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"

#include <map>

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
  /// The multi-chip form: every npu.program of `module`.
  LogicalResult runOnPrograms(ModuleOp module, const rt::SystemDesc &system,
                              MutableArrayRef<mlir::npu::ProgramOp> programs);
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
        !tensor.getElementType().isF32())
      return func.emitOpError()
             << what << " " << i << " has type " << type
             << "; only f32 is lowered so far, as non-empty static tensors";
    std::optional<int64_t> bytes = lowering::getTensorBytes(tensor);
    if (!bytes)
      return func.emitOpError()
             << what << " " << i << " has type " << type
             << ", too large to address: its size in bytes overflows 64 bits";
    if (*bytes == 0)
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
    staged.push_back({label, tensor, dram, *bytes});
    dram = lowering::addSaturating(dram, lowering::alignUp(*bytes));
  }
  return staged;
}

/// Chips linked directly to both `a` and `b`, as "chip 1 or chip 2".
std::string commonNeighbours(const rt::SystemDesc &system, int64_t a,
                             int64_t b) {
  std::string list;
  for (const rt::ChipDesc &c : system.chips)
    if (c.id != a && c.id != b && system.findLink(a, c.id) &&
        system.findLink(c.id, b))
      list += (list.empty() ? "chip " : " or chip ") + std::to_string(c.id);
  return list;
}

/// Every send and recv of `program` needs a direct link to its peer
/// (npuisa.send/recv move bytes over one link; a route is explicit relays).
LogicalResult checkLinks(mlir::npu::ProgramOp program,
                         const rt::SystemDesc &system) {
  bool ok = true;
  int64_t self = static_cast<int64_t>(program.getChip());
  for (Operation &op : program.getBody().front()) {
    int64_t peer;
    if (auto send = dyn_cast<SendOp>(op))
      peer = static_cast<int64_t>(send.getChip());
    else if (auto recv = dyn_cast<RecvOp>(op))
      peer = static_cast<int64_t>(recv.getChip());
    else if (auto gate = dyn_cast<ExitGateOp>(op); gate && gate.getChip())
      peer = static_cast<int64_t>(*gate.getChip());
    else
      continue;
    if (!system.findChip(peer)) {
      op.emitOpError() << "chip " << peer << " is not in system '"
                       << system.name << "'";
      ok = false;
      continue;
    }
    if (system.findLink(self, peer))
      continue;
    std::string via = commonNeighbours(system, self, peer);
    InFlightDiagnostic diag = op.emitOpError()
                              << "chip " << self << " and chip " << peer
                              << " have no direct link in system '"
                              << system.name << "'; route through a neighbour";
    if (!via.empty())
      diag << " (" << via << ")";
    ok = false;
  }
  return success(ok);
}

/// An npu.exit_gate that escalates: on its "full" path, a send.
bool isEscalation(Operation *op) {
  auto gate = dyn_cast<ExitGateOp>(op);
  return gate && gate.getChip();
}

/// Runs the sends and recvs of every program in IR order, as the streams
/// will: a program passes a send at once and a recv once its message has
/// been sent. Fails with a diagnostic if some program can never go on.
LogicalResult checkNoDeadlock(MutableArrayRef<mlir::npu::ProgramOp> programs) {
  using Key = std::tuple<int64_t, int64_t, int64_t>; // from, to, channel
  SmallVector<SmallVector<Operation *>> links;
  for (mlir::npu::ProgramOp program : programs) {
    links.emplace_back();
    for (Operation &op : program.getBody().front())
      if (isa<SendOp, RecvOp>(op) || isEscalation(&op))
        links.back().push_back(&op);
  }
  SmallVector<size_t> pc(programs.size(), 0);
  std::map<Key, int64_t> sent, received;
  for (bool progress = true; progress;) {
    progress = false;
    for (auto [index, program] : llvm::enumerate(programs)) {
      int64_t self = static_cast<int64_t>(program.getChip());
      for (; pc[index] < links[index].size(); ++pc[index]) {
        Operation *op = links[index][pc[index]];
        if (auto send = dyn_cast<SendOp>(op)) {
          ++sent[{self, static_cast<int64_t>(send.getChip()),
                  static_cast<int64_t>(send.getChannel())}];
        } else if (auto gate = dyn_cast<ExitGateOp>(op)) {
          ++sent[{self, static_cast<int64_t>(*gate.getChip()),
                  static_cast<int64_t>(*gate.getChannel())}];
        } else {
          auto recv = cast<RecvOp>(op);
          Key key{static_cast<int64_t>(recv.getChip()), self,
                  static_cast<int64_t>(recv.getChannel())};
          if (received[key] == sent[key])
            break;
          ++received[key];
        }
        progress = true;
      }
    }
  }
  for (auto [index, program] : llvm::enumerate(programs)) {
    if (pc[index] == links[index].size())
      continue;
    auto recv = cast<RecvOp>(links[index][pc[index]]);
    int64_t from = static_cast<int64_t>(recv.getChip());
    InFlightDiagnostic diag = recv.emitOpError()
                              << "deadlocks: chip " << program.getChip()
                              << " waits here for a message from chip " << from
                              << " on channel " << recv.getChannel()
                              << " that is sent only after this";
    for (auto [other, otherProgram] : llvm::enumerate(programs))
      if (static_cast<int64_t>(otherProgram.getChip()) == from &&
          pc[other] < links[other].size())
        diag.attachNote(links[other][pc[other]]->getLoc())
            << "chip " << from << " is waiting here";
    return failure();
  }
  return success();
}

/// The host inputs and outputs of one program, staged in its chip's DRAM.
struct ProgramIO {
  SmallVector<lowering::StagedTensor> inputs, outputs;
};

LogicalResult
LowerToISAPass::runOnPrograms(ModuleOp module, const rt::SystemDesc &system,
                              MutableArrayRef<mlir::npu::ProgramOp> programs) {
  auto funcs = module.getOps<func::FuncOp>();
  if (!funcs.empty()) {
    InFlightDiagnostic diag =
        (*funcs.begin()).emitOpError()
        << "cannot be lowered next to npu.program ops: a module is either "
           "one model function (for one chip) or one npu.program per chip";
    diag.attachNote(programs.front().getLoc()) << "the first npu.program";
    return diag;
  }

  // Every check first, so that a failure leaves the module as it was.
  bool ok = true;
  for (mlir::npu::ProgramOp program : programs) {
    int64_t chipId = static_cast<int64_t>(program.getChip());
    const rt::ChipDesc *chipDesc = system.findChip(chipId);
    if (!chipDesc) {
      program.emitOpError()
          << "chip " << chipId << " is not in system '" << system.name << "'";
      ok = false;
      continue;
    }
    for (auto existing : module.getOps<npuisa::ProgramOp>())
      if (existing.getChip() == static_cast<uint64_t>(chipId)) {
        existing.emitOpError()
            << "already holds the program of chip " << chipId;
        ok = false;
      }
    ok &= succeeded(checkLinks(program, system));
    ok &= succeeded(lowering::checkLowerable(program));
  }
  if (!ok || failed(checkNoDeadlock(programs)))
    return failure();

  // Signatures: the union of the inputs (one type per name), every output.
  MLIRContext *ctx = module.getContext();
  SmallVector<Attribute> inputSigs, outputSigs;
  llvm::StringMap<std::pair<RankedTensorType, InputOp>> inputTypes;
  llvm::StringSet<> outputNames, signatureNames;
  llvm::StringMap<std::pair<RankedTensorType, Operation *>> outputTypes;
  SmallVector<ProgramIO> io;
  auto recordOutputType = [&](Operation *op, StringRef name,
                              RankedTensorType type) -> LogicalResult {
    auto [it, fresh] = outputTypes.try_emplace(name, type, op);
    if (fresh || it->second.first == type)
      return success();
    InFlightDiagnostic diag = op->emitOpError()
                              << "produces output '" << name << "' as " << type
                              << " but another op produces it as "
                              << it->second.first;
    diag.attachNote(it->second.second->getLoc()) << "produced here";
    return diag;
  };
  for (mlir::npu::ProgramOp program : programs) {
    ProgramIO &mine = io.emplace_back();
    int64_t dram = 0;
    llvm::StringSet<> staged;
    Block &body = program.getBody().front();
    for (auto input : body.getOps<InputOp>()) {
      auto type = cast<RankedTensorType>(input.getType());
      auto [it, fresh] = inputTypes.try_emplace(input.getName(), type, input);
      if (fresh)
        inputSigs.push_back(TensorSigAttr::get(ctx, input.getName(), type));
      else if (it->second.first != type) {
        InFlightDiagnostic diag =
            input.emitOpError()
            << "reads input '" << input.getName() << "' as " << type
            << " but another npu.input reads it as " << it->second.first;
        diag.attachNote(it->second.second.getLoc()) << "read here";
        return diag;
      }
      if (!staged.insert(input.getName()).second)
        continue;
      // checkLowerable() bounded the size.
      int64_t bytes = *lowering::getTensorBytes(type);
      mine.inputs.push_back({input.getName().str(), type, dram, bytes});
      dram = lowering::addSaturating(dram, lowering::alignUp(bytes));
    }
    auto stageOutput = [&](StringRef name, RankedTensorType type) {
      int64_t bytes = *lowering::getTensorBytes(type);
      mine.outputs.push_back({name.str(), type, dram, bytes});
      dram = lowering::addSaturating(dram, lowering::alignUp(bytes));
    };
    for (auto output : body.getOps<OutputOp>()) {
      auto type = cast<RankedTensorType>(output.getValue().getType());
      if (!outputNames.insert(output.getName()).second)
        return output.emitOpError()
               << "output '" << output.getName()
               << "' is already produced by another npu.output";
      if (failed(recordOutputType(output, output.getName(), type)))
        return failure();
      stageOutput(output.getName(), type);
    }
    // An exit gate answers for an output that the escalated path (or the
    // rest of this program) produces too: same name, same type.
    for (auto gate : body.getOps<ExitGateOp>()) {
      auto type = cast<RankedTensorType>(gate.getAnswerOrLogits().getType());
      if (failed(recordOutputType(gate, gate.getOutput(), type)))
        return failure();
      if (llvm::none_of(mine.outputs, [&](const lowering::StagedTensor &t) {
            return t.name == gate.getOutput();
          }))
        stageOutput(gate.getOutput(), type);
    }
  }
  // The signature lists every output once, in order of first appearance.
  for (mlir::npu::ProgramOp program : programs)
    program.walk([&](Operation *op) {
      StringRef name;
      if (auto output = dyn_cast<OutputOp>(op))
        name = output.getName();
      else if (auto gate = dyn_cast<ExitGateOp>(op))
        name = gate.getOutput();
      else
        return;
      if (signatureNames.insert(name).second)
        outputSigs.push_back(
            TensorSigAttr::get(ctx, name, outputTypes.lookup(name).first));
    });

  // Every program is lowered, so that each reports its own problems.
  OpBuilder builder(ctx);
  SmallVector<npuisa::ProgramOp> lowered;
  int64_t instructions = 0, peak = 0;
  for (auto [program, mine] : llvm::zip_equal(programs, io)) {
    int64_t chipId = static_cast<int64_t>(program.getChip());
    builder.setInsertionPoint(program);
    auto isaProgram = npuisa::ProgramOp::create(builder, program.getLoc(),
                                                program.getSymName(), chipId);
    lowered.push_back(isaProgram);
    int64_t programPeak = 0;
    if (failed(lowering::lowerProgram(program, isaProgram,
                                      *system.findChip(chipId), mine.inputs,
                                      mine.outputs, programPeak)) ||
        failed(insertSyncTokens(isaProgram))) {
      ok = false;
      continue;
    }
    instructions += isaProgram.getBody().front().getOperations().size();
    peak = std::max(peak, programPeak);
  }
  if (!ok) {
    for (npuisa::ProgramOp done : lowered)
      done.erase();
    return failure();
  }

  module->setAttr(NPUDialect::getInputsAttrName(),
                  builder.getArrayAttr(inputSigs));
  module->setAttr(NPUDialect::getOutputsAttrName(),
                  builder.getArrayAttr(outputSigs));
  for (mlir::npu::ProgramOp program : programs)
    program.erase();
  numInstructions = instructions;
  peakSram = peak;
  return success();
}

LogicalResult LowerToISAPass::run() {
  ModuleOp module = getOperation();
  SystemAttr systemAttr = getSystemAttr(module);
  if (!systemAttr)
    return module.emitError() << "npu-lower-to-isa needs the module's '"
                              << NPUDialect::getSystemAttrName()
                              << "' (run --npu-set-system first)";
  rt::SystemDesc system = toSystemDesc(systemAttr);
  SmallVector<mlir::npu::ProgramOp> programs(
      module.getOps<mlir::npu::ProgramOp>());
  if (!programs.empty())
    return runOnPrograms(module, system, programs);

  int64_t chipId = chip;
  const rt::ChipDesc *chipDesc = system.findChip(chipId);
  if (!chipDesc)
    return module.emitError()
           << "chip " << chipId << " is not in system '" << system.name << "'";

  SmallVector<func::FuncOp> funcs(module.getOps<func::FuncOp>());
  if (funcs.size() != 1)
    return module.emitError()
           << "npu-lower-to-isa expects exactly one "
              "func.func (the model), found "
           << funcs.size() << "; or one npu.program per chip";
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
