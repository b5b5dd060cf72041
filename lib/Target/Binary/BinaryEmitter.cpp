//===- BinaryEmitter.cpp - Translation: npuisa module -> .npub ------------===//
//
// Backs `npu-translate --npu-to-binary`. Writes the FlatBuffers binary of
// runtime/schema/npub.fbs: the system, the entry/exit signatures, and per
// chip (in chip order) the instruction stream, the DRAM segments and the
// budgets of the static schedule. Exit paths are flattened into the stream:
// an ExitCheck is followed by the `exit_path_length` instructions of its
// region (docs/binary-format.md).
//
// The output is a function of the module alone: tables are built in one
// fixed order, every scalar field is written (force_defaults), no hash-map
// order or clock is involved. The binary is assembled in memory and written
// only once it is complete, so a failure leaves no partial output.
//
//===----------------------------------------------------------------------===//

#include "npu/Analysis/Checkpoints.h"
#include "npu/Analysis/Schedule.h"
#include "npu/Dialect/NPU/NPUDialect.h"
#include "npu/Dialect/NPUISA/NPUISAOps.h"
#include "npu/Target/Binary.h"
#include "npu/rt/Model.h"

#include "mlir/IR/Verifier.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/TypeSwitch.h"

#include "NpubSchema.h"

#include <algorithm>
#include <vector>

using namespace mlir;
using namespace mlir::npu;
namespace fb = ::npu::fb;
namespace rt = ::npu::rt;
namespace cost = ::npu::rt::cost;

// The runtime reads exactly the version written here.
static_assert(kBinaryFormatVersion == ::npu::rt::kFormatVersion,
              "the emitter and the runtime disagree on the .npub version");

namespace {

using InstrOffset = flatbuffers::Offset<void>;

/// The binary's element-type code of a signature tensor's element type.
std::optional<cost::DType> signatureDType(Type type) {
  if (type.isF32())
    return cost::DType::F32;
  if (type.isF16())
    return cost::DType::F16;
  if (type.isBF16())
    return cost::DType::BF16;
  if (auto integer = dyn_cast<IntegerType>(type)) {
    if (integer.getWidth() == 8)
      return integer.isUnsigned() ? cost::DType::UI8 : cost::DType::I8;
    if (integer.getWidth() == 32 && !integer.isUnsigned())
      return cost::DType::I32;
  }
  return std::nullopt;
}

/// Number of instructions in `block` once exit paths are flattened.
uint64_t countInstructions(Block &block) {
  uint64_t count = 0;
  for (Operation &op : block) {
    ++count;
    if (auto check = dyn_cast<npuisa::ExitCheckOp>(op))
      count += countInstructions(check.getExitPath().front());
  }
  return count;
}

template <typename E> uint8_t code(E value) {
  return static_cast<uint8_t>(value);
}

class Emitter {
public:
  explicit Emitter(ModuleOp module) : module(module) {
    fbb.ForceDefaults(true);
  }

  /// Builds the whole binary in memory; on success `buffer()` holds it.
  /// `given` is the module's schedule when the caller has it already.
  LogicalResult emit(const ScheduleAnalysis *given = nullptr);
  ArrayRef<uint8_t> buffer() const {
    return {fbb.GetBufferPointer(), fbb.GetSize()};
  }

private:
  flatbuffers::Offset<fb::System> emitSystem(const rt::SystemDesc &system);
  FailureOr<
      flatbuffers::Offset<flatbuffers::Vector<flatbuffers::Offset<fb::Tensor>>>>
  emitSignature(StringRef attrName, llvm::StringMap<uint32_t> &indexOf);
  FailureOr<flatbuffers::Offset<fb::Program>>
  emitProgram(npuisa::ProgramOp program, const ProgramBudget &budget,
              ArrayRef<Segment> segments,
              ArrayRef<rt::Checkpoint> checkpoints);
  LogicalResult emitBlock(Block &block, int depth,
                          std::vector<fb::Instr> &types,
                          std::vector<InstrOffset> &offsets);
  FailureOr<std::pair<fb::Instr, InstrOffset>> emitInstr(Operation &op);
  flatbuffers::Offset<fb::EarlyExit> emitEarlyExit(const rt::EarlyExit &table);

  /// An int64 vector field; absent when empty. FlatBuffers does not align
  /// the (empty) data of an empty vector to 8 bytes, which readers that
  /// check the alignment of every int64 vector would reject.
  flatbuffers::Offset<flatbuffers::Vector<int64_t>>
  ints(ArrayRef<int64_t> values) {
    if (values.empty())
      return 0;
    return fbb.CreateVector(values.data(), values.size());
  }
  static int64_t s(uint64_t value) { return static_cast<int64_t>(value); }

  ModuleOp module;
  flatbuffers::FlatBufferBuilder fbb;
  llvm::StringMap<uint32_t> inputIndex, outputIndex;
};

} // namespace

flatbuffers::Offset<fb::System>
Emitter::emitSystem(const rt::SystemDesc &system) {
  std::vector<flatbuffers::Offset<fb::Chip>> chips;
  for (const rt::ChipDesc &chip : system.chips) {
    auto name = fbb.CreateString(chip.name);
    auto power = fb::CreatePower(fbb, chip.power.activeMw, chip.power.idleMw,
                                 chip.power.offMw, chip.power.wakeCycles,
                                 chip.power.wakeEnergyNj);
    auto coord = ints(chip.coord);
    chips.push_back(fb::CreateChip(
        fbb, chip.id, name, code(chip.kind), chip.caps, chip.macRows,
        chip.macCols, chip.vectorLanes, chip.sramBytes, chip.dramBytes,
        chip.dramBytesPerCycle, chip.clockMhz, power, coord));
  }
  std::vector<flatbuffers::Offset<fb::Link>> links;
  for (const rt::LinkDesc &link : system.links)
    links.push_back(fb::CreateLink(fbb, link.a, link.b, link.bandwidthGBps,
                                   link.latencyNs));
  auto name = fbb.CreateString(system.name);
  auto meshDims = ints(system.meshDims);
  auto chipVector = fbb.CreateVector(chips);
  auto linkVector = fbb.CreateVector(links);
  return fb::CreateSystem(fbb, name, code(system.topology), meshDims,
                          chipVector, linkVector, system.host.bandwidthGBps,
                          system.host.latencyNs);
}

FailureOr<
    flatbuffers::Offset<flatbuffers::Vector<flatbuffers::Offset<fb::Tensor>>>>
Emitter::emitSignature(StringRef attrName, llvm::StringMap<uint32_t> &indexOf) {
  auto array = module->getAttrOfType<ArrayAttr>(attrName);
  if (!array)
    return module.emitError()
           << "module has no '" << attrName
           << "' attribute; a binary needs the model's entry and exit "
              "signatures (an array of #npu.tensor)";
  std::vector<flatbuffers::Offset<fb::Tensor>> tensors;
  for (auto [index, element] : llvm::enumerate(array)) {
    auto sig = dyn_cast<TensorSigAttr>(element);
    if (!sig)
      return module.emitError()
             << "'" << attrName << "' must be an array of #npu.tensor, got "
             << element;
    RankedTensorType type = sig.getType();
    std::optional<cost::DType> dtype = signatureDType(type.getElementType());
    if (!dtype)
      return module.emitError()
             << "'" << attrName << "' tensor '" << sig.getName()
             << "' has element type " << type.getElementType()
             << ", which has no binary encoding (f32, f16, bf16, i8, ui8, "
                "i32)";
    if (!type.hasStaticShape())
      return module.emitError() << "'" << attrName << "' tensor '"
                                << sig.getName() << "' needs a static shape";
    indexOf[sig.getName()] = static_cast<uint32_t>(index);
    auto name = fbb.CreateString(sig.getName().str());
    auto shape = ints(type.getShape());
    tensors.push_back(fb::CreateTensor(fbb, name, code(*dtype), shape));
  }
  return fbb.CreateVector(tensors);
}

FailureOr<std::pair<fb::Instr, InstrOffset>> Emitter::emitInstr(Operation &op) {
  using Result = FailureOr<std::pair<fb::Instr, InstrOffset>>;
  auto done = [](fb::Instr type, auto offset) -> Result {
    return std::make_pair(type, offset.Union());
  };
  using namespace npuisa;
  return llvm::TypeSwitch<Operation *, Result>(&op)
      .Case([&](HaltOp) { return done(fb::Instr::Halt, fb::CreateHalt(fbb)); })
      .Case([&](LoadInputOp o) {
        return done(fb::Instr::LoadInput,
                    fb::CreateLoadInput(fbb, inputIndex.lookup(o.getName()),
                                        s(o.getOffset()), s(o.getDram()),
                                        s(o.getBytes())));
      })
      .Case([&](StoreOutputOp o) {
        return done(fb::Instr::StoreOutput,
                    fb::CreateStoreOutput(fbb, outputIndex.lookup(o.getName()),
                                          s(o.getOffset()), s(o.getDram()),
                                          s(o.getBytes())));
      })
      .Case([&](DmaInOp o) {
        auto strides = ints(o.getStrides());
        return done(fb::Instr::DmaIn,
                    fb::CreateDmaIn(fbb, s(o.getDram()), s(o.getSram()),
                                    s(o.getRows()), s(o.getRowBytes()),
                                    strides));
      })
      .Case([&](DmaOutOp o) {
        auto strides = ints(o.getStrides());
        return done(fb::Instr::DmaOut,
                    fb::CreateDmaOut(fbb, s(o.getSram()), s(o.getDram()),
                                     s(o.getRows()), s(o.getRowBytes()),
                                     strides));
      })
      .Case([&](SendOp o) {
        return done(fb::Instr::Send,
                    fb::CreateSend(fbb, s(o.getSram()), s(o.getBytes()),
                                   s(o.getChip()), s(o.getChannel())));
      })
      .Case([&](RecvOp o) {
        return done(fb::Instr::Recv,
                    fb::CreateRecv(fbb, s(o.getSram()), s(o.getBytes()),
                                   s(o.getChip()), s(o.getChannel())));
      })
      .Case([&](MatMulOp o) {
        auto lds = ints(o.getLds());
        return done(fb::Instr::MatMul,
                    fb::CreateMatMul(fbb, s(o.getA()), s(o.getB()), s(o.getC()),
                                     s(o.getM()), s(o.getK()), s(o.getN()), lds,
                                     code(o.getDtype()), o.getAccumulate()));
      })
      .Case([&](ConvOp o) {
        auto inHW = ints(o.getInHw());
        auto outHW = ints(o.getOutHw());
        auto outRows = ints(o.getOutRows());
        auto kernel = ints(o.getKernel());
        auto strides = ints(o.getStrides());
        auto pads = ints(o.getPads());
        auto dilations = ints(o.getDilations());
        return done(fb::Instr::Conv,
                    fb::CreateConv(fbb, s(o.getInput()), s(o.getWeight()),
                                   s(o.getOutput()), s(o.getChannels()), inHW,
                                   s(o.getOutChannels()), outHW, outRows,
                                   kernel, strides, pads, dilations,
                                   code(o.getDtype())));
      })
      .Case([&](VectorOp o) {
        flatbuffers::Offset<flatbuffers::Vector<int64_t>> bcast;
        if (std::optional<ArrayRef<int64_t>> b = o.getBBcast())
          bcast = ints(*b);
        std::optional<uint64_t> b = o.getB();
        return done(fb::Instr::Vector,
                    fb::CreateVector(
                        fbb, code(o.getKind()), s(o.getA()), b.has_value(),
                        b ? s(*b) : 0, bcast, s(o.getDst()), s(o.getCount()),
                        code(o.getDtype()), o.getAlpha().convertToFloat(),
                        o.getBeta().convertToFloat()));
      })
      .Case([&](FillOp o) {
        return done(fb::Instr::Fill,
                    fb::CreateFill(fbb, s(o.getDst()), s(o.getCount()),
                                   o.getValue().convertToFloat(),
                                   code(o.getDtype())));
      })
      .Case([&](ReduceOp o) {
        auto shape = ints(o.getShape());
        return done(fb::Instr::Reduce,
                    fb::CreateReduce(fbb, code(o.getKind()), s(o.getSrc()),
                                     s(o.getDst()), shape, code(o.getDtype())));
      })
      .Case([&](PoolOp o) {
        auto inHW = ints(o.getInHw());
        auto outHW = ints(o.getOutHw());
        auto kernel = ints(o.getKernel());
        auto strides = ints(o.getStrides());
        auto pads = ints(o.getPads());
        auto dilations = ints(o.getDilations());
        return done(fb::Instr::Pool,
                    fb::CreatePool(fbb, code(o.getKind()), s(o.getSrc()),
                                   s(o.getDst()), s(o.getChannels()), inHW,
                                   outHW, kernel, strides, pads, dilations,
                                   code(o.getDtype()), o.getCountIncludePad()));
      })
      .Case([&](CopyOp o) {
        auto shape = ints(o.getShape());
        auto srcStrides = ints(o.getSrcStrides());
        auto dstStrides = ints(o.getDstStrides());
        return done(fb::Instr::Copy,
                    fb::CreateCopy(fbb, s(o.getSrc()), s(o.getDst()), shape,
                                   srcStrides, dstStrides, code(o.getDtype())));
      })
      .Case([&](ResizeOp o) {
        auto inHW = ints(o.getInHw());
        auto outHW = ints(o.getOutHw());
        auto modes = ints(o.getModes());
        return done(fb::Instr::Resize,
                    fb::CreateResize(fbb, code(o.getKind()), s(o.getSrc()),
                                     s(o.getDst()), s(o.getChannels()), inHW,
                                     outHW, modes, code(o.getDtype())));
      })
      .Case([&](SignalOp o) {
        return done(fb::Instr::Signal, fb::CreateSignal(fbb, s(o.getToken()),
                                                        code(o.getEngine())));
      })
      .Case([&](WaitOp o) {
        return done(fb::Instr::Wait,
                    fb::CreateWait(fbb, s(o.getToken()), code(o.getEngine())));
      })
      .Case([&](EscalateOp o) {
        return done(fb::Instr::Escalate,
                    fb::CreateEscalate(fbb, s(o.getChip())));
      })
      .Default([&](Operation *other) -> Result {
        return other->emitOpError()
               << "has no encoding in the binary; a program holds npuisa "
                  "instructions only";
      });
}

LogicalResult Emitter::emitBlock(Block &block, int depth,
                                 std::vector<fb::Instr> &types,
                                 std::vector<InstrOffset> &offsets) {
  for (Operation &op : block) {
    auto check = dyn_cast<npuisa::ExitCheckOp>(op);
    if (!check) {
      FailureOr<std::pair<fb::Instr, InstrOffset>> instr = emitInstr(op);
      if (failed(instr))
        return failure();
      types.push_back(instr->first);
      offsets.push_back(instr->second);
      continue;
    }
    if (depth >= kMaxExitNesting)
      return check.emitOpError() << "is nested " << depth + 1
                                 << " exit paths deep; the binary allows at "
                                    "most "
                                 << kMaxExitNesting;
    Block &exitPath = check.getExitPath().front();
    uint64_t length = countInstructions(exitPath);
    if (length > std::numeric_limits<uint32_t>::max())
      return check.emitOpError() << "has an exit path of " << length
                                 << " instructions; at most 2^32-1 fit";
    types.push_back(fb::Instr::ExitCheck);
    offsets.push_back(
        fb::CreateExitCheck(fbb, s(check.getSrc()), s(check.getClasses()),
                            code(check.getDtype()), code(check.getMeasure()),
                            check.getThreshold().convertToFloat(),
                            static_cast<uint32_t>(length))
            .Union());
    if (failed(emitBlock(exitPath, depth + 1, types, offsets)))
      return failure();
  }
  return success();
}

FailureOr<flatbuffers::Offset<fb::Program>>
Emitter::emitProgram(npuisa::ProgramOp program, const ProgramBudget &budget,
                     ArrayRef<Segment> segments,
                     ArrayRef<rt::Checkpoint> checkpoints) {
  auto name = fbb.CreateString(program.getSymName().str());

  std::vector<fb::Instr> types;
  std::vector<InstrOffset> offsets;
  if (failed(emitBlock(program.getBody().front(), 0, types, offsets)))
    return failure();
  auto typeVector = fbb.CreateVector(types);
  auto instrVector = fbb.CreateVector(offsets);

  // One segment expanded at a time: a splat becomes its bytes only here.
  std::vector<flatbuffers::Offset<fb::Segment>> segmentOffsets;
  std::vector<uint8_t> scratch;
  for (const Segment &segment : segments) {
    ArrayRef<uint8_t> bytes = segment.getBytes(scratch);
    auto data = fbb.CreateVector(bytes.data(), bytes.size());
    segmentOffsets.push_back(fb::CreateSegment(fbb, segment.dram, data));
  }
  auto segmentVector = fbb.CreateVector(segmentOffsets);

  // The ordinary budgets, then those of standby starts (a chip that sleeps).
  std::vector<flatbuffers::Offset<fb::Budget>> budgets;
  for (ArrayRef<PathBudget> list :
       {ArrayRef(budget.paths), ArrayRef(budget.standbyPaths)}) {
    for (const PathBudget &path : list) {
      auto pathName = fbb.CreateString(path.path);
      auto busy = ints(path.engineBusy);
      budgets.push_back(
          fb::CreateBudget(fbb, pathName, path.cycles, busy, path.hostBytes,
                           path.dramBytes, path.linkBytes, path.peakSramBytes,
                           path.energyFj, path.peakDramBytes, path.standby));
    }
  }
  auto budgetVector = fbb.CreateVector(budgets);

  std::vector<flatbuffers::Offset<fb::Checkpoint>> checkpointOffsets;
  for (const rt::Checkpoint &cp : checkpoints) {
    std::vector<flatbuffers::Offset<fb::LiveRange>> live;
    for (const rt::LiveRange &range : cp.live)
      live.push_back(fb::CreateLiveRange(fbb, code(range.space), range.offset,
                                         range.bytes, range.source));
    checkpointOffsets.push_back(fb::CreateCheckpoint(
        fbb, cp.index, cp.issueCycles, cp.drainCycles, cp.drainEnergyFj,
        cp.saveCycles, cp.restoreCycles, cp.resumeCycles, cp.resumeEnergyFj,
        fbb.CreateVector(live)));
  }
  auto checkpointVector = fbb.CreateVector(checkpointOffsets);

  return fb::CreateProgram(fbb, name, s(program.getChip()), typeVector,
                           instrVector, segmentVector, budgetVector,
                           checkpointVector);
}

flatbuffers::Offset<fb::EarlyExit>
Emitter::emitEarlyExit(const rt::EarlyExit &table) {
  std::vector<flatbuffers::Offset<fb::ExitGate>> gates;
  for (const rt::ExitGate &gate : table.gates) {
    auto split = fbb.CreateString(gate.split);
    gates.push_back(
        fb::CreateExitGate(fbb, split, gate.threshold, gate.exitRate));
  }
  auto gateVector = fbb.CreateVector(gates);
  auto output = fbb.CreateString(table.output);
  const rt::Calibration &c = table.calibration;
  auto calibration =
      fb::CreateCalibration(fbb, c.samples, c.accuracy, c.fullAccuracy,
                            c.expectedEnergyFj, c.expectedLatencyPs);
  return fb::CreateEarlyExit(
      fbb, code(table.measure), output, code(table.answer), table.fromChip,
      table.toChip, gateVector, table.returnThreshold, table.idleWindowPs,
      table.escalationRate, calibration);
}

LogicalResult Emitter::emit(const ScheduleAnalysis *given) {
  // Callers through the API may hand over unverified IR; everything below
  // relies on the verifier's invariants.
  if (failed(verify(module)))
    return failure();

  auto system =
      module->getAttrOfType<SystemAttr>(NPUDialect::getSystemAttrName());
  if (!system)
    return module.emitError()
           << "module has no '" << NPUDialect::getSystemAttrName()
           << "' attribute; run npu-opt --npu-set-system first";
  for (StringRef name :
       {NPUDialect::getInputsAttrName(), NPUDialect::getOutputsAttrName()})
    if (!module->getAttrOfType<ArrayAttr>(name))
      return module.emitError()
             << "module has no '" << name
             << "' attribute; a binary needs the model's entry and exit "
                "signatures (an array of #npu.tensor)";

  SmallVector<npuisa::ProgramOp> programs;
  for (Operation &op : module.getBody()->getOperations()) {
    auto program = dyn_cast<npuisa::ProgramOp>(op);
    if (!program)
      return op.emitOpError()
             << "cannot be encoded in a binary; the module must hold only "
                "npuisa.program operations (lower it with npu-opt first)";
    programs.push_back(program);
  }
  if (programs.empty())
    return module.emitError()
           << "module has no npuisa.program; there is nothing to encode";
  // Chips are unique (the program verifier checks it), so this order is total.
  llvm::sort(programs, [](npuisa::ProgramOp a, npuisa::ProgramOp b) {
    return a.getChip() < b.getChip();
  });

  // Signatures before the programs, whose instructions refer to them by
  // index.
  auto inputs = emitSignature(NPUDialect::getInputsAttrName(), inputIndex);
  if (failed(inputs))
    return failure();
  auto outputs = emitSignature(NPUDialect::getOutputsAttrName(), outputIndex);
  if (failed(outputs))
    return failure();

  // Segments are checked before any scheduling work, and decide whether the
  // binary fits FlatBuffers' 2 GiB limit.
  SmallVector<SmallVector<Segment>> segments;
  uint64_t estimate = 1 << 20; // System, signatures, budgets.
  for (npuisa::ProgramOp program : programs) {
    FailureOr<SmallVector<Segment>> programSegments = getSegments(program);
    if (failed(programSegments))
      return failure();
    for (const Segment &segment : *programSegments)
      estimate += segment.size + 64;
    // An instruction table with its vectors and vtable takes < 512 bytes.
    estimate += 512 * countInstructions(program.getBody().front());
    segments.push_back(std::move(*programSegments));
  }
  if (estimate >= FLATBUFFERS_MAX_BUFFER_SIZE)
    return module.emitError() << "the binary would take about " << estimate
                              << " bytes; a FlatBuffers binary holds less "
                                 "than 2 GiB";

  // The early-exit table must describe these programs.
  if (failed(npuisa::verifyEarlyExit(module)))
    return failure();

  std::optional<ScheduleAnalysis> computed;
  if (!given)
    computed.emplace(module);
  const ScheduleAnalysis &schedule = given ? *given : *computed;
  if (schedule.failed())
    return failure();
  llvm::DenseMap<Operation *, const ProgramBudget *> budgetOf;
  for (const ProgramBudget &budget : schedule.getBudgets()) {
    Operation *op = budget.program;
    budgetOf[op] = &budget;
  }

  rt::SystemDesc systemDesc = toSystemDesc(system);
  std::vector<flatbuffers::Offset<fb::Program>> programOffsets;
  for (auto [program, programSegments] : llvm::zip_equal(programs, segments)) {
    const ProgramBudget *budget = budgetOf.lookup(program.getOperation());
    if (!budget)
      return program.emitOpError()
             << "has no budget in the static schedule; cannot encode it";
    std::vector<rt::Checkpoint> checkpoints =
        computeCheckpoints(program, programs.size(), schedule, systemDesc);
    auto offset =
        emitProgram(program, *budget, programSegments, checkpoints);
    if (failed(offset))
      return failure();
    programOffsets.push_back(*offset);
  }
  auto programVector = fbb.CreateVector(programOffsets);
  auto systemOffset = emitSystem(systemDesc);
  std::optional<StringRef> symName = module.getSymName();
  auto name = fbb.CreateString(symName ? symName->str() : "model");
  flatbuffers::Offset<fb::Stream> streamOffset;
  if (const std::optional<StreamBudget> &stream = schedule.getStream())
    streamOffset = fb::CreateStream(
        fbb, stream->intervalPs,
        fbb.CreateVector(stream->latencyPs.data(), stream->latencyPs.size()));
  flatbuffers::Offset<fb::EarlyExit> earlyExitOffset;
  if (Attribute attr = module->getAttr(NPUDialect::getEarlyExitAttrName())) {
    FailureOr<rt::EarlyExit> table = parseEarlyExitAttr(
        attr, &systemDesc, [&] { return module.emitError(); });
    if (failed(table))
      return failure();
    earlyExitOffset = emitEarlyExit(*table);
  }
  auto model =
      fb::CreateModel(fbb, kBinaryFormatVersion, name, systemOffset, *inputs,
                      *outputs, programVector, streamOffset, earlyExitOffset);
  fb::FinishModelBuffer(fbb, model);
  return success();
}

LogicalResult mlir::npu::exportBinary(ModuleOp module, raw_ostream &output) {
  return exportBinary(module, nullptr, output);
}

LogicalResult mlir::npu::exportBinary(ModuleOp module,
                                      const ScheduleAnalysis *schedule,
                                      raw_ostream &output) {
  Emitter emitter(module);
  if (failed(emitter.emit(schedule)))
    return failure();
  ArrayRef<uint8_t> bytes = emitter.buffer();
  output.write(reinterpret_cast<const char *>(bytes.data()), bytes.size());
  return success();
}
