//===- ProgramBuilder.cpp - npuisa instructions on virtual buffers --------===//
//
// Stream order, weight prefetch, SRAM allocation and offset patching of
// npu-lower-to-isa (docs/lowering.md, "The stream" and "SRAM").
//
//===----------------------------------------------------------------------===//

#include "ProgramBuilder.h"

#include "npu/Target/Binary.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/Debug.h"

#include <map>

#define DEBUG_TYPE "npu-lower-to-isa"

using namespace mlir;
using namespace mlir::npu::lowering;
namespace rt = ::npu::rt;

ProgramBuilder::ProgramBuilder(npuisa::ProgramOp program,
                               const rt::ChipDesc &chip, int64_t dramBase)
    : program(program), chip(chip), builder(program.getContext()),
      loc(program.getLoc()), dramEnd(alignUp(dramBase)) {
  Block &body = program.getBody().emplaceBlock();
  builder.setInsertionPointToEnd(&body);
}

void ProgramBuilder::startPrologue(Operation *newOwner, Location newLoc) {
  part = Part::Prologue;
  owner = newOwner;
  loc = newLoc;
}

void ProgramBuilder::startOp(Operation *op) {
  part = Part::Op;
  owner = op;
  loc = op->getLoc();
  groups.emplace_back();
  groups.back().op = op;
}

void ProgramBuilder::startEpilogue(Operation *newOwner, Location newLoc) {
  part = Part::Epilogue;
  owner = newOwner;
  loc = newLoc;
}

/// Bytes of the little-endian image of `data`.
static int64_t byteSize(ElementsAttr data) {
  return data.getNumElements() *
         ((data.getElementType().getIntOrFloatBitWidth() + 7) / 8);
}

SramRef ProgramBuilder::allocate(int64_t bytes) {
  buffers.push_back({bytes});
  return {static_cast<int>(buffers.size()) - 1, 0};
}

int64_t ProgramBuilder::addSegment(ElementsAttr data) {
  auto [it, inserted] = segmentOffsets.try_emplace(data, dramEnd);
  if (inserted) {
    segments.push_back(data);
    // Saturates: a DRAM end past any chip fails finalize().
    dramEnd = addSaturating(dramEnd, byteSize(data));
    if (dramEnd < std::numeric_limits<int64_t>::max() - kAlignment)
      dramEnd = alignUp(dramEnd);
  }
  return it->second;
}

SramRef ProgramBuilder::loadWeights(ElementsAttr data) {
  assert(part == Part::Op && "weights belong to an op");
  Group &group = groups.back();
  auto it = group.loaded.find(data);
  if (it != group.loaded.end())
    return it->second;
  int64_t dram = addSegment(data);
  int64_t bytes = byteSize(data);
  SramRef ref = allocate(bytes);
  loadingWeights = true;
  dmaIn(dram, ref, bytes);
  loadingWeights = false;
  group.loaded[data] = ref;
  return ref;
}

template <typename OpTy, typename... Args>
OpTy ProgramBuilder::emit(ArrayRef<Reloc> relocs, Args &&...args) {
  OpTy op = OpTy::create(builder, loc, std::forward<Args>(args)...);
  // The unit an instruction runs on must exist on the chip (D2), and so
  // must f32 arithmetic, which every computing instruction here does. Moving
  // bytes (DMA, host transfers, links) needs neither.
  SmallVector<rt::Capability, 2> needs;
  if constexpr (std::is_same_v<OpTy, npuisa::MatMulOp>)
    needs = {rt::CapDense, rt::CapFP32};
  else if constexpr (std::is_same_v<OpTy, npuisa::ConvOp>)
    needs = {rt::CapConv, rt::CapFP32};
  else if constexpr (llvm::is_one_of<OpTy, npuisa::VectorOp, npuisa::FillOp,
                                     npuisa::ReduceOp, npuisa::PoolOp,
                                     npuisa::CopyOp, npuisa::ResizeOp>::value)
    needs = {rt::CapActivation, rt::CapFP32};
  for (rt::Capability need : needs) {
    if (chip.has(need) || !reportedMissing.insert({owner, need}).second)
      continue;
    owner->emitOpError() << "needs the '" << rt::capabilityName(need)
                         << "' capability, which chip " << chip.id << " ("
                         << chip.name << ") lacks";
    missingCapability = true;
  }
  int index = static_cast<int>(instrs.size());
  int group = part == Part::Op ? static_cast<int>(groups.size()) - 1 : -1;
  instrs.push_back({op, part, group, loadingWeights, owner,
                    SmallVector<Reloc, 3>(relocs), exitPathOf});
  if (part == Part::Op)
    (loadingWeights ? groups.back().weights : groups.back().compute)
        .push_back(index);
  return op;
}

//===----------------------------------------------------------------------===//
// Instructions. Offsets of SRAM operands are placeholders until finalize().
//===----------------------------------------------------------------------===//

void ProgramBuilder::loadInput(StringRef name, int64_t dram, int64_t bytes) {
  emit<npuisa::LoadInputOp>({}, name, 0, dram, bytes);
}

void ProgramBuilder::dmaIn(int64_t dram, SramRef dst, int64_t bytes) {
  emit<npuisa::DmaInOp>({{"sram", dst}}, dram, 0, 1, bytes,
                        ArrayRef<int64_t>{bytes, bytes});
}

void ProgramBuilder::dmaOut(SramRef src, int64_t dram, int64_t bytes) {
  emit<npuisa::DmaOutOp>({{"sram", src}}, 0, dram, 1, bytes,
                         ArrayRef<int64_t>{bytes, bytes});
}

void ProgramBuilder::storeOutput(StringRef name, int64_t dram, int64_t bytes) {
  emit<npuisa::StoreOutputOp>({}, name, 0, dram, bytes);
}

void ProgramBuilder::send(SramRef src, int64_t bytes, int64_t toChip,
                          int64_t channel) {
  emit<npuisa::SendOp>({{"sram", src}}, 0, bytes, toChip, channel);
}

void ProgramBuilder::recv(SramRef dst, int64_t bytes, int64_t fromChip,
                          int64_t channel) {
  emit<npuisa::RecvOp>({{"sram", dst}}, 0, bytes, fromChip, channel);
}

void ProgramBuilder::matmul(SramRef a, SramRef b, SramRef c, int64_t m,
                            int64_t k, int64_t n, ArrayRef<int64_t> lds) {
  emit<npuisa::MatMulOp>({{"a", a}, {"b", b}, {"c", c}}, 0, 0, 0, m, k, n, lds,
                         npuisa::DType::f32, false);
}

void ProgramBuilder::conv(SramRef input, SramRef weight, SramRef output,
                          int64_t channels, ArrayRef<int64_t> inHW,
                          int64_t outChannels, ArrayRef<int64_t> outHW,
                          ArrayRef<int64_t> outRows, ArrayRef<int64_t> kernel,
                          ArrayRef<int64_t> strides, ArrayRef<int64_t> pads,
                          ArrayRef<int64_t> dilations) {
  emit<npuisa::ConvOp>(
      {{"input", input}, {"weight", weight}, {"output", output}}, 0, 0, 0,
      channels, inHW, outChannels, outHW, outRows, kernel, strides, pads,
      dilations, npuisa::DType::f32);
}

void ProgramBuilder::vector(npuisa::VectorOpKind kind, SramRef a,
                            std::optional<SramRef> b, Bcast bcast, SramRef dst,
                            int64_t count, float alpha, float beta) {
  SmallVector<Reloc, 3> relocs = {{"a", a}, {"dst", dst}};
  IntegerAttr bAttr;
  DenseI64ArrayAttr bcastAttr;
  if (b) {
    relocs.push_back({"b", *b});
    bAttr = builder.getI64IntegerAttr(0);
    bcastAttr = builder.getDenseI64ArrayAttr({bcast.period, bcast.repeat});
  }
  emit<npuisa::VectorOp>(relocs, kind, 0, bAttr, bcastAttr, 0, count,
                         npuisa::DType::f32, APFloat(alpha), APFloat(beta));
}

void ProgramBuilder::fill(SramRef dst, int64_t count, float value) {
  emit<npuisa::FillOp>({{"dst", dst}}, 0, count, APFloat(value),
                       npuisa::DType::f32);
}

void ProgramBuilder::reduce(npuisa::ReduceKind kind, SramRef src, SramRef dst,
                            ArrayRef<int64_t> shape) {
  emit<npuisa::ReduceOp>({{"src", src}, {"dst", dst}}, kind, 0, 0, shape,
                         npuisa::DType::f32);
}

void ProgramBuilder::pool(npuisa::PoolKind kind, SramRef src, SramRef dst,
                          int64_t channels, ArrayRef<int64_t> inHW,
                          ArrayRef<int64_t> outHW, ArrayRef<int64_t> kernel,
                          ArrayRef<int64_t> strides, ArrayRef<int64_t> pads,
                          ArrayRef<int64_t> dilations, bool countIncludePad) {
  emit<npuisa::PoolOp>({{"src", src}, {"dst", dst}}, kind, 0, 0, channels, inHW,
                       outHW, kernel, strides, pads, dilations,
                       npuisa::DType::f32, countIncludePad);
}

void ProgramBuilder::copy(SramRef src, SramRef dst, ArrayRef<int64_t> shape,
                          ArrayRef<int64_t> srcStrides,
                          ArrayRef<int64_t> dstStrides) {
  emit<npuisa::CopyOp>({{"src", src}, {"dst", dst}}, 0, 0, shape, srcStrides,
                       dstStrides, npuisa::DType::f32);
}

void ProgramBuilder::resize(npuisa::ResizeKind kind, SramRef src, SramRef dst,
                            int64_t channels, ArrayRef<int64_t> inHW,
                            ArrayRef<int64_t> outHW, ArrayRef<int64_t> modes) {
  emit<npuisa::ResizeOp>({{"src", src}, {"dst", dst}}, kind, 0, 0, channels,
                         inHW, outHW, modes, npuisa::DType::f32);
}

void ProgramBuilder::exitCheck(SramRef logits, int64_t classes,
                               npuisa::Measure measure, float threshold) {
  assert(part == Part::Op && exitPathOf < 0 && "exit checks do not nest here");
  auto check = emit<npuisa::ExitCheckOp>(
      {{"src", logits}}, uint64_t{0}, static_cast<uint64_t>(classes),
      npuisa::DType::f32, measure, llvm::APFloat(threshold));
  check.getExitPath().emplaceBlock();
  groups.back().hasExitCheck = true;
  exitPathOf = static_cast<int>(instrs.size()) - 1;
}

void ProgramBuilder::endExitPath() { exitPathOf = -1; }

void ProgramBuilder::escalate(int64_t target) {
  emit<npuisa::EscalateOp>({}, static_cast<uint64_t>(target));
}

//===----------------------------------------------------------------------===//
// Stream order and allocation.
//===----------------------------------------------------------------------===//

/// Prologue; then per op its compute, preceded by the next op's weight
/// loads when `prefetch` says so (the first op's weights come right after
/// the prologue); then the epilogue.
SmallVector<int> ProgramBuilder::order(ArrayRef<bool> prefetch) const {
  SmallVector<int> stream;
  for (auto [index, instr] : llvm::enumerate(instrs))
    if (instr.part == Part::Prologue)
      stream.push_back(static_cast<int>(index));
  SmallVector<int> live;
  for (auto [index, group] : llvm::enumerate(groups))
    if (!group.weights.empty() || !group.compute.empty())
      live.push_back(static_cast<int>(index));
  SmallVector<bool> issued(groups.size(), false);
  for (auto [j, g] : llvm::enumerate(live)) {
    if (!issued[g])
      llvm::append_range(stream, groups[g].weights);
    issued[g] = true;
    if (j + 1 < live.size() && prefetch[live[j + 1]] &&
        !groups[g].hasExitCheck) {
      llvm::append_range(stream, groups[live[j + 1]].weights);
      issued[live[j + 1]] = true;
    }
    llvm::append_range(stream, groups[g].compute);
  }
  for (auto [index, instr] : llvm::enumerate(instrs))
    if (instr.part == Part::Epilogue)
      stream.push_back(static_cast<int>(index));
  return stream;
}

/// Gives every buffer referenced by `stream` an SRAM offset: it is live
/// from the first instruction that references it to the last one; at each
/// instruction the buffers it starts are placed (best fit: the smallest
/// hole that holds them, the lowest such), then the buffers it ends are
/// freed. Starting before ending keeps an instruction's operands apart.
std::optional<ProgramBuilder::Failure>
ProgramBuilder::place(ArrayRef<int> stream, SmallVectorImpl<int64_t> &offsets,
                      int64_t &peak) const {
  size_t numBuffers = buffers.size();
  SmallVector<int> first(numBuffers, -1), last(numBuffers, -1);
  for (auto [pos, index] : llvm::enumerate(stream))
    for (const Reloc &reloc : instrs[index].relocs) {
      int b = reloc.ref.buffer;
      if (first[b] < 0)
        first[b] = static_cast<int>(pos);
      last[b] = static_cast<int>(pos);
    }
  SmallVector<SmallVector<int, 2>> starts(stream.size()), ends(stream.size());
  for (size_t b = 0; b < numBuffers; ++b) {
    if (first[b] < 0)
      continue;
    starts[first[b]].push_back(static_cast<int>(b));
    ends[last[b]].push_back(static_cast<int>(b));
  }

  std::map<int64_t, int64_t> holes; // offset -> size
  holes[0] = chip.sramBytes;
  SmallVector<bool> live(numBuffers, false);
  offsets.assign(numBuffers, -1);
  peak = 0;
  for (size_t pos = 0; pos < stream.size(); ++pos) {
    for (int b : starts[pos]) {
      int64_t size = alignUp(buffers[b].bytes);
      auto best = holes.end();
      for (auto it = holes.begin(); it != holes.end(); ++it)
        if (it->second >= size &&
            (best == holes.end() || it->second < best->second))
          best = it;
      if (best == holes.end()) {
        Failure failure{stream[pos], {}};
        for (size_t other = 0; other < numBuffers; ++other)
          if (live[other])
            failure.live.push_back(static_cast<int>(other));
        return failure;
      }
      int64_t offset = best->first, holeSize = best->second;
      holes.erase(best);
      if (holeSize > size)
        holes[offset + size] = holeSize - size;
      offsets[b] = offset;
      live[b] = true;
      peak = std::max(peak, offset + buffers[b].bytes);
    }
    for (int b : ends[pos]) {
      int64_t offset = offsets[b], size = alignUp(buffers[b].bytes);
      live[b] = false;
      auto next = holes.lower_bound(offset);
      if (next != holes.end() && next->first == offset + size) {
        size += next->second;
        holes.erase(next);
      }
      auto it = holes.emplace(offset, size).first;
      if (it != holes.begin()) {
        auto prev = std::prev(it);
        if (prev->first + prev->second == offset) {
          prev->second += size;
          holes.erase(it);
        }
      }
    }
  }
  return std::nullopt;
}

void ProgramBuilder::reportNoFit(const Failure &failure) const {
  Operation *culprit = instrs[failure.instr].owner;
  llvm::DenseSet<int> workingSet;
  for (const Instr &instr : instrs)
    if (instr.owner == culprit)
      for (const Reloc &reloc : instr.relocs)
        workingSet.insert(reloc.ref.buffer);
  int64_t needed = 0;
  for (int b : workingSet)
    needed += alignUp(buffers[b].bytes);
  int64_t heldByOthers = 0;
  for (int b : failure.live)
    if (!workingSet.contains(b))
      heldByOthers += alignUp(buffers[b].bytes);
  InFlightDiagnostic diag = culprit->emitOpError()
                            << "needs " << needed
                            << " bytes of SRAM for its own buffers, ";
  if (heldByOthers == 0)
    diag << "more than the " << chip.sramBytes << " of chip " << chip.id;
  else
    diag << "but only " << chip.sramBytes - heldByOthers << " of chip "
         << chip.id << "'s " << chip.sramBytes << " bytes are free: "
         << heldByOthers << " hold buffers live across it";
}

LogicalResult ProgramBuilder::finalize(int64_t &peakSram) {
  if (missingCapability)
    return failure();
  if (dramEnd > chip.dramBytes)
    return program.emitOpError()
           << "needs " << dramEnd << " bytes of DRAM but chip " << chip.id
           << " has " << chip.dramBytes;

  // Prefetching holds the next op's weights while the current op runs; give
  // that up, one op at a time, where it is what makes the stream not fit.
  SmallVector<bool> prefetch(groups.size(), true);
  SmallVector<int> stream;
  SmallVector<int64_t> offsets;
  while (true) {
    stream = order(prefetch);
    std::optional<Failure> noFit = place(stream, offsets, peakSram);
    if (!noFit)
      break;
    const Instr &at = instrs[noFit->instr];
    auto hasInstrs = [&](int g) {
      return !groups[g].weights.empty() || !groups[g].compute.empty();
    };
    int firstOp = -1, nextOp = -1;
    for (int g = 0; g < static_cast<int>(groups.size()); ++g) {
      if (!hasInstrs(g))
        continue;
      if (firstOp < 0)
        firstOp = g;
      if (at.part == Part::Op && g > at.group && nextOp < 0)
        nextOp = g;
    }
    // A prefetched load fails itself, or the op it overlaps fails.
    int demote = -1;
    if (at.part == Part::Op) {
      int candidate = at.isWeight ? at.group : nextOp;
      if (candidate >= 0 && candidate != firstOp && prefetch[candidate] &&
          !groups[candidate].weights.empty())
        demote = candidate;
    }
    if (demote < 0) {
      reportNoFit(*noFit);
      return failure();
    }
    LLVM_DEBUG(llvm::dbgs() << "not prefetching the weights of "
                            << *groups[demote].op << "\n");
    prefetch[demote] = false;
  }

  Block &body = program.getBody().front();
  for (int index : stream) {
    const Instr &instr = instrs[index];
    for (const Reloc &reloc : instr.relocs)
      instr.op->setAttr(reloc.field,
                        builder.getI64IntegerAttr(offsets[reloc.ref.buffer] +
                                                  reloc.ref.offset));
    Block *into = &body;
    if (instr.exitOf >= 0)
      into = &cast<npuisa::ExitCheckOp>(instrs[instr.exitOf].op)
                  .getExitPath()
                  .front();
    instr.op->moveBefore(into, into->end());
  }
  for (const Instr &instr : instrs)
    if (auto check = dyn_cast<npuisa::ExitCheckOp>(instr.op)) {
      builder.setInsertionPointToEnd(&check.getExitPath().front());
      npuisa::HaltOp::create(builder, instr.op->getLoc());
    }
  builder.setInsertionPointToEnd(&body);
  npuisa::HaltOp::create(builder, loc);

  if (!segments.empty()) {
    SmallVector<Attribute> entries;
    for (Attribute data : segments)
      entries.push_back(builder.getDictionaryAttr(
          {builder.getNamedAttr(
               "dram", builder.getI64IntegerAttr(segmentOffsets.lookup(data))),
           builder.getNamedAttr("data", data)}));
    program->setAttr(mlir::npu::kSegmentsAttrName,
                     builder.getArrayAttr(entries));
  }
  return success();
}
