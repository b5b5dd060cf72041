//===- NPUISAOps.cpp - NPU instructions: costs, accesses, verifiers -------===//
//
// Each instruction's exact cost (formulas from npu/rt/Cost.h), the memory
// ranges it touches, and its checks. Bounds and chip-dependent limits are
// checked once per program by ProgramOp::verifyRegions, which knows the chip.
//
//===----------------------------------------------------------------------===//

#include "npu/Dialect/NPUISA/NPUISAOps.h"
#include "npu/Dialect/NPU/NPUDialect.h"

#include "llvm/ADT/DenseSet.h"
#include "llvm/Support/MathExtras.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace mlir::npuisa;
namespace cost = ::npu::rt::cost;
namespace rt = ::npu::rt;

#define GET_OP_CLASSES
#include "NPUISA/NPUISAOps.cpp.inc"

namespace {

constexpr int64_t kAccumulatorBytes = 4;

cost::InstrCost makeCost(cost::Engine engine, int64_t cycles) {
  cost::InstrCost c;
  c.engine = engine;
  c.cycles = cycles;
  return c;
}

/// Extents are sums and products of attribute values that ODS bounds only
/// from below; they saturate rather than wrap, so that an absurd extent fails
/// the bounds check instead of wrapping back into range.
int64_t addSat(int64_t a, int64_t b) {
  int64_t result;
  return llvm::AddOverflow(a, b, result) ? std::numeric_limits<int64_t>::max()
                                         : result;
}
int64_t mulSat(std::initializer_list<int64_t> factors) {
  int64_t result = 1;
  for (int64_t factor : factors)
    if (llvm::MulOverflow(result, factor, result))
      return std::numeric_limits<int64_t>::max();
  return result;
}

/// Bytes from the first to one past the last byte of `rows` rows of
/// `rowBytes` spaced `stride` apart.
int64_t stridedExtent(int64_t rows, int64_t rowBytes, int64_t stride) {
  return addSat(mulSat({rows - 1, stride}), rowBytes);
}

bool isFloat(DType type) {
  return type == DType::f32 || type == DType::f16 || type == DType::bf16;
}
bool isByte(DType type) { return type == DType::i8 || type == DType::ui8; }

int64_t u(uint64_t v) { return static_cast<int64_t>(v); }

/// The element type of the destination of a vector instruction.
DType vectorDstType(VectorOp op) {
  if (op.getKind() == VectorOpKind::dequantize)
    return DType::f32;
  return op.getDtype();
}
/// The element type of the `a` operand of a vector instruction.
DType vectorSrcType(VectorOp op) {
  if (op.getKind() == VectorOpKind::quantize)
    return DType::f32;
  return op.getDtype();
}

bool isBinary(VectorOpKind kind) {
  switch (kind) {
  case VectorOpKind::add:
  case VectorOpKind::sub:
  case VectorOpKind::mul:
  case VectorOpKind::div:
  case VectorOpKind::max:
  case VectorOpKind::min:
  case VectorOpKind::pow:
    return true;
  default:
    return false;
  }
}

LogicalResult verifyWindow(Operation *op, ArrayRef<int64_t> inHW,
                           ArrayRef<int64_t> outHW, ArrayRef<int64_t> kernel,
                           ArrayRef<int64_t> strides, ArrayRef<int64_t> pads,
                           ArrayRef<int64_t> dilations, bool allowCeil) {
  for (int d = 0; d < 2; ++d) {
    if (inHW[d] <= 0 || outHW[d] <= 0 || kernel[d] <= 0 || strides[d] <= 0 ||
        dilations[d] <= 0)
      return op->emitOpError()
             << "sizes, kernel, strides and dilations must be positive";
  }
  for (int64_t p : pads)
    if (p < 0)
      return op->emitOpError() << "pads must be non-negative, got " << p;
  for (int d = 0; d < 2; ++d) {
    int64_t floor = cost::windowOutputSize(inHW[d], kernel[d], strides[d],
                                           pads[d], pads[d + 2], dilations[d],
                                           false);
    int64_t ceil = cost::windowOutputSize(inHW[d], kernel[d], strides[d],
                                          pads[d], pads[d + 2], dilations[d],
                                          true);
    if (outHW[d] != floor && !(allowCeil && outHW[d] == ceil))
      return op->emitOpError()
             << "output size " << outHW[d] << " in dimension " << d
             << " does not match the window sweep (" << floor << ")";
  }
  return success();
}

LogicalResult verifyPeer(Operation *op, const rt::SystemDesc &system,
                         const rt::ChipDesc &chip, int64_t peer,
                         bool needsLink) {
  if (peer == chip.id)
    return op->emitOpError() << "names its own chip " << peer;
  if (!system.findChip(peer))
    return op->emitOpError() << "chip " << peer << " is not in system '"
                             << system.name << "'";
  if (needsLink && !system.findLink(chip.id, peer))
    return op->emitOpError() << "needs a direct link between chips "
                             << chip.id << " and " << peer;
  return success();
}

} // namespace

//===----------------------------------------------------------------------===//
// Program.
//===----------------------------------------------------------------------===//

/// The k-th wait on a token pairs with its k-th signal, which must come
/// earlier on the same path (docs/execution-model.md): then every wait's
/// time is known when the stream reaches it, and no program can deadlock on
/// tokens. An exit path sees the counts at its check and adds its own.
static LogicalResult verifyTokenOrder(Block &block,
                                      llvm::DenseMap<uint64_t, int64_t> signals,
                                      llvm::DenseMap<uint64_t, int64_t> waits) {
  for (Operation &op : block) {
    if (auto signal = dyn_cast<SignalOp>(op))
      ++signals[signal.getToken()];
    if (auto wait = dyn_cast<WaitOp>(op)) {
      int64_t k = ++waits[wait.getToken()];
      if (k > signals.lookup(wait.getToken()))
        return wait.emitOpError()
               << "is wait " << k << " on token " << wait.getToken()
               << " but only " << signals.lookup(wait.getToken())
               << " signal(s) of it precede it on this path";
    }
    if (auto check = dyn_cast<ExitCheckOp>(op))
      if (failed(verifyTokenOrder(check.getExitPath().front(), signals,
                                  waits)))
        return failure();
  }
  return success();
}

LogicalResult ProgramOp::verify() {
  npu::SystemAttr system = npu::getSystemAttr(*this);
  if (!system)
    return emitOpError() << "requires the enclosing module to carry an '"
                         << npu::NPUDialect::getSystemAttrName()
                         << "' attribute";
  if (!npu::lookupChip(system, getChip()))
    return emitOpError() << "chip " << getChip() << " is not in system '"
                         << system.getName() << "'";
  for (Operation *prev = (*this)->getPrevNode(); prev;
       prev = prev->getPrevNode())
    if (auto other = dyn_cast<ProgramOp>(prev))
      if (other.getChip() == getChip())
        return emitOpError() << "chip " << getChip()
                             << " already has a program (" << other.getSymName()
                             << ")";
  return success();
}

LogicalResult ProgramOp::verifyRegions() {
  npu::SystemAttr attr = npu::getSystemAttr(*this);
  rt::SystemDesc system = npu::toSystemDesc(attr);
  const rt::ChipDesc *chip = system.findChip(getChip());
  if (!chip)
    return failure(); // Reported by verify().
  if (failed(verifyTokenOrder(getBody().front(),
                              llvm::DenseMap<uint64_t, int64_t>(),
                              llvm::DenseMap<uint64_t, int64_t>())))
    return failure();

  ModuleOp module = (*this)->getParentOfType<ModuleOp>();
  // A host transfer must stay inside the tensor it names.
  auto checkHostTensor = [&](Operation *op, StringRef attrName,
                             StringRef name, int64_t offset,
                             int64_t bytes) -> LogicalResult {
    auto sigs = module->getAttrOfType<ArrayAttr>(attrName);
    if (!sigs)
      return op->emitOpError() << "names tensor '" << name
                               << "' but the module has no '" << attrName
                               << "'";
    for (Attribute a : sigs) {
      auto sig = dyn_cast<npu::TensorSigAttr>(a);
      if (!sig || sig.getName() != name)
        continue;
      RankedTensorType type = sig.getType();
      int64_t size = type.getNumElements() *
                     ((type.getElementTypeBitWidth() + 7) / 8);
      if (offset > size || bytes > size - offset)
        return op->emitOpError()
               << "bytes [" << offset << ", " << addSat(offset, bytes)
               << ") lie outside tensor '" << name << "' (" << size
               << " bytes)";
      return success();
    }
    return op->emitOpError() << "names tensor '" << name << "' that is not in '"
                             << attrName << "'";
  };

  WalkResult result = walk([&](Operation *op) -> WalkResult {
    if (auto load = dyn_cast<LoadInputOp>(op))
      if (failed(checkHostTensor(op, npu::NPUDialect::getInputsAttrName(),
                                 load.getName(), u(load.getOffset()),
                                 u(load.getBytes()))))
        return WalkResult::interrupt();
    if (auto store = dyn_cast<StoreOutputOp>(op))
      if (failed(checkHostTensor(op, npu::NPUDialect::getOutputsAttrName(),
                                 store.getName(), u(store.getOffset()),
                                 u(store.getBytes()))))
        return WalkResult::interrupt();
    auto instr = dyn_cast<CostOpInterface>(op);
    if (!instr)
      return WalkResult::advance();
    SmallVector<BufferAccess> accesses;
    instr.getBufferAccesses(accesses);
    for (const BufferAccess &access : accesses) {
      bool sram = access.space == MemorySpace::SRAM;
      int64_t size = sram ? chip->sramBytes : chip->dramBytes;
      if (access.offset > size || access.bytes > size - access.offset)
        return op->emitOpError()
               << access.what << " [" << access.offset << ", "
               << addSat(access.offset, access.bytes) << ") lies outside the "
               << (sram ? "SRAM" : "DRAM") << " of chip " << chip->id << " ("
               << size << " bytes)";
    }
    if (failed(instr.verifyOnChip(system, *chip)))
      return WalkResult::interrupt();
    return WalkResult::advance();
  });
  return failure(result.wasInterrupted());
}

//===----------------------------------------------------------------------===//
// Control.
//===----------------------------------------------------------------------===//

LogicalResult HaltOp::verify() { return success(); }
cost::InstrCost HaltOp::getCost(const rt::SystemDesc &, const rt::ChipDesc &) {
  return makeCost(cost::Engine::Control, cost::kSyncCycles);
}
void HaltOp::getBufferAccesses(SmallVectorImpl<BufferAccess> &) {}

LogicalResult SignalOp::verify() { return success(); }
cost::InstrCost SignalOp::getCost(const rt::SystemDesc &,
                                  const rt::ChipDesc &) {
  return makeCost(static_cast<cost::Engine>(getEngine()), cost::kSyncCycles);
}
void SignalOp::getBufferAccesses(SmallVectorImpl<BufferAccess> &) {}

LogicalResult WaitOp::verify() { return success(); }
cost::InstrCost WaitOp::getCost(const rt::SystemDesc &, const rt::ChipDesc &) {
  return makeCost(static_cast<cost::Engine>(getEngine()), cost::kSyncCycles);
}
void WaitOp::getBufferAccesses(SmallVectorImpl<BufferAccess> &) {}

LogicalResult EscalateOp::verify() { return success(); }
cost::InstrCost EscalateOp::getCost(const rt::SystemDesc &,
                                    const rt::ChipDesc &) {
  return makeCost(cost::Engine::Control, cost::kSyncCycles);
}
void EscalateOp::getBufferAccesses(SmallVectorImpl<BufferAccess> &) {}
LogicalResult EscalateOp::verifyOnChip(const rt::SystemDesc &system,
                                       const rt::ChipDesc &chip) {
  return verifyPeer(*this, system, chip, u(getChip()), /*needsLink=*/false);
}

LogicalResult ExitCheckOp::verify() {
  float threshold = getThreshold().convertToFloat();
  if (!(threshold >= 0 && threshold <= 1))
    return emitOpError() << "threshold " << threshold << " must be in [0, 1]";
  if (getClasses() < 2)
    return emitOpError() << "needs at least 2 classes, got " << getClasses();
  if (!isFloat(getDtype()))
    return emitOpError() << "logits must be floating point, got "
                         << stringifyDType(getDtype());
  Block &block = getExitPath().front();
  if (block.empty() || !isa<HaltOp>(block.back()))
    return emitOpError() << "exit path must end with npuisa.halt";
  return success();
}
cost::InstrCost ExitCheckOp::getCost(const rt::SystemDesc &,
                                     const rt::ChipDesc &chip) {
  return makeCost(cost::Engine::Vector,
                  cost::exitCheckCycles(
                      static_cast<cost::ConfidenceMeasure>(getMeasure()),
                      u(getClasses()), chip.vectorLanes));
}
void ExitCheckOp::getBufferAccesses(SmallVectorImpl<BufferAccess> &out) {
  out.push_back({MemorySpace::SRAM, u(getSrc()),
                 mulSat({u(getClasses()), elementBytes(getDtype())}), false,
                 "src"});
}

//===----------------------------------------------------------------------===//
// Data movement.
//===----------------------------------------------------------------------===//

LogicalResult LoadInputOp::verify() {
  if (getName().empty())
    return emitOpError() << "input name must not be empty";
  return success();
}
cost::InstrCost LoadInputOp::getCost(const rt::SystemDesc &system,
                                     const rt::ChipDesc &chip) {
  cost::InstrCost c = makeCost(
      cost::Engine::DmaIn,
      cost::hostDmaCycles(u(getBytes()), system.host.bandwidthGBps,
                          system.host.latencyNs, chip.clockMhz));
  c.hostBytes = u(getBytes());
  return c;
}
void LoadInputOp::getBufferAccesses(SmallVectorImpl<BufferAccess> &out) {
  out.push_back({MemorySpace::DRAM, u(getDram()), u(getBytes()), true, "dram"});
}

LogicalResult StoreOutputOp::verify() {
  if (getName().empty())
    return emitOpError() << "output name must not be empty";
  return success();
}
cost::InstrCost StoreOutputOp::getCost(const rt::SystemDesc &system,
                                       const rt::ChipDesc &chip) {
  cost::InstrCost c = makeCost(
      cost::Engine::DmaOut,
      cost::hostDmaCycles(u(getBytes()), system.host.bandwidthGBps,
                          system.host.latencyNs, chip.clockMhz));
  c.hostBytes = u(getBytes());
  return c;
}
void StoreOutputOp::getBufferAccesses(SmallVectorImpl<BufferAccess> &out) {
  out.push_back(
      {MemorySpace::DRAM, u(getDram()), u(getBytes()), false, "dram"});
}

template <typename DmaOp>
static LogicalResult verifyDma(DmaOp op) {
  ArrayRef<int64_t> strides = op.getStrides();
  if (strides[0] < 0 || strides[1] < 0)
    return op.emitOpError() << "strides must be non-negative";
  if (op.getRows() > 1 && strides[1] < u(op.getRowBytes()))
    return op.emitOpError() << "destination rows overlap: stride "
                            << strides[1] << " is less than row_bytes "
                            << op.getRowBytes();
  return success();
}
template <typename DmaOp>
static cost::InstrCost dmaCost(DmaOp op, cost::Engine engine,
                               const rt::ChipDesc &chip) {
  int64_t bytes = u(op.getRows()) * u(op.getRowBytes());
  cost::InstrCost c =
      makeCost(engine, cost::dramDmaCycles(bytes, chip.dramBytesPerCycle));
  c.dramBytes = bytes;
  return c;
}

LogicalResult DmaInOp::verify() { return verifyDma(*this); }
cost::InstrCost DmaInOp::getCost(const rt::SystemDesc &,
                                 const rt::ChipDesc &chip) {
  return dmaCost(*this, cost::Engine::DmaIn, chip);
}
void DmaInOp::getBufferAccesses(SmallVectorImpl<BufferAccess> &out) {
  int64_t rows = u(getRows()), rowBytes = u(getRowBytes());
  out.push_back({MemorySpace::DRAM, u(getDram()),
                 stridedExtent(rows, rowBytes, getStrides()[0]), false,
                 "dram"});
  out.push_back({MemorySpace::SRAM, u(getSram()),
                 stridedExtent(rows, rowBytes, getStrides()[1]), true, "sram"});
}

LogicalResult DmaOutOp::verify() { return verifyDma(*this); }
cost::InstrCost DmaOutOp::getCost(const rt::SystemDesc &,
                                  const rt::ChipDesc &chip) {
  return dmaCost(*this, cost::Engine::DmaOut, chip);
}
void DmaOutOp::getBufferAccesses(SmallVectorImpl<BufferAccess> &out) {
  int64_t rows = u(getRows()), rowBytes = u(getRowBytes());
  out.push_back({MemorySpace::SRAM, u(getSram()),
                 stridedExtent(rows, rowBytes, getStrides()[0]), false,
                 "sram"});
  out.push_back({MemorySpace::DRAM, u(getDram()),
                 stridedExtent(rows, rowBytes, getStrides()[1]), true, "dram"});
}

template <typename LinkOp>
static cost::InstrCost linkCost(LinkOp op, bool send,
                                const rt::SystemDesc &system,
                                const rt::ChipDesc &chip) {
  const rt::LinkDesc *link = system.findLink(chip.id, u(op.getChip()));
  int64_t bytes = u(op.getBytes());
  // Verified programs always have the link; an unverified one costs nothing
  // rather than dividing by zero.
  int64_t cycles = 0;
  if (link)
    cycles = send ? cost::linkSendCycles(bytes, link->bandwidthGBps,
                                         chip.clockMhz)
                  : cost::linkRecvCycles(bytes, link->bandwidthGBps,
                                         chip.clockMhz);
  cost::InstrCost c =
      makeCost(send ? cost::Engine::LinkTx : cost::Engine::LinkRx, cycles);
  c.linkBytes = bytes;
  return c;
}

LogicalResult SendOp::verify() { return success(); }
cost::InstrCost SendOp::getCost(const rt::SystemDesc &system,
                                const rt::ChipDesc &chip) {
  return linkCost(*this, /*send=*/true, system, chip);
}
void SendOp::getBufferAccesses(SmallVectorImpl<BufferAccess> &out) {
  out.push_back({MemorySpace::SRAM, u(getSram()), u(getBytes()), false, "sram"});
}
LogicalResult SendOp::verifyOnChip(const rt::SystemDesc &system,
                                   const rt::ChipDesc &chip) {
  return verifyPeer(*this, system, chip, u(getChip()), /*needsLink=*/true);
}

LogicalResult RecvOp::verify() { return success(); }
cost::InstrCost RecvOp::getCost(const rt::SystemDesc &system,
                                const rt::ChipDesc &chip) {
  return linkCost(*this, /*send=*/false, system, chip);
}
void RecvOp::getBufferAccesses(SmallVectorImpl<BufferAccess> &out) {
  out.push_back({MemorySpace::SRAM, u(getSram()), u(getBytes()), true, "sram"});
}
LogicalResult RecvOp::verifyOnChip(const rt::SystemDesc &system,
                                   const rt::ChipDesc &chip) {
  return verifyPeer(*this, system, chip, u(getChip()), /*needsLink=*/true);
}

//===----------------------------------------------------------------------===//
// MAC array.
//===----------------------------------------------------------------------===//

LogicalResult MatMulOp::verify() {
  ArrayRef<int64_t> lds = getLds();
  if (lds[0] < u(getK()) || lds[1] < u(getN()) || lds[2] < u(getN()))
    return emitOpError() << "row strides [" << lds[0] << ", " << lds[1] << ", "
                         << lds[2] << "] must be at least [k, n, n] = ["
                         << getK() << ", " << getN() << ", " << getN() << "]";
  if (getDtype() == DType::i32)
    return emitOpError() << "i32 is not a MAC-array operand type";
  return success();
}
cost::InstrCost MatMulOp::getCost(const rt::SystemDesc &,
                                  const rt::ChipDesc &) {
  return makeCost(cost::Engine::Mac,
                  cost::macTileCycles(u(getM()), u(getK()), u(getN())));
}
void MatMulOp::getBufferAccesses(SmallVectorImpl<BufferAccess> &out) {
  int64_t eb = elementBytes(getDtype());
  int64_t m = u(getM()), k = u(getK()), n = u(getN());
  ArrayRef<int64_t> lds = getLds();
  out.push_back({MemorySpace::SRAM, u(getA()),
                 mulSat({stridedExtent(m, k, lds[0]), eb}), false, "a"});
  out.push_back({MemorySpace::SRAM, u(getB()),
                 mulSat({stridedExtent(k, n, lds[1]), eb}), false, "b"});
  out.push_back({MemorySpace::SRAM, u(getC()),
                 mulSat({stridedExtent(m, n, lds[2]), kAccumulatorBytes}), true,
                 "c"});
}
LogicalResult MatMulOp::verifyOnChip(const rt::SystemDesc &,
                                     const rt::ChipDesc &chip) {
  if (u(getM()) > chip.macRows || u(getN()) > chip.macCols)
    return emitOpError() << "tile " << getM() << "x" << getN()
                         << " exceeds the " << chip.macRows << "x"
                         << chip.macCols << " MAC array of chip " << chip.id;
  return success();
}

LogicalResult ConvOp::verify() {
  if (failed(verifyWindow(*this, getInHw(), getOutHw(), getKernel(),
                          getStrides(), getPads(), getDilations(),
                          /*allowCeil=*/false)))
    return failure();
  ArrayRef<int64_t> rows = getOutRows();
  if (rows[0] < 0 || rows[1] <= 0 || rows[0] + rows[1] > getOutHw()[0])
    return emitOpError() << "output rows [" << rows[0] << ", "
                         << rows[0] + rows[1] << ") are not inside the "
                         << getOutHw()[0] << " output rows";
  if (getDtype() == DType::i32)
    return emitOpError() << "i32 is not a MAC-array operand type";
  return success();
}
cost::InstrCost ConvOp::getCost(const rt::SystemDesc &, const rt::ChipDesc &) {
  int64_t pixels = getOutRows()[1] * getOutHw()[1];
  int64_t reduction = u(getChannels()) * getKernel()[0] * getKernel()[1];
  return makeCost(cost::Engine::Mac,
                  cost::convTileCycles(pixels, u(getOutChannels()), reduction));
}
void ConvOp::getBufferAccesses(SmallVectorImpl<BufferAccess> &out) {
  int64_t eb = elementBytes(getDtype());
  int64_t c = u(getChannels()), oc = u(getOutChannels());
  out.push_back({MemorySpace::SRAM, u(getInput()),
                 mulSat({c, getInHw()[0], getInHw()[1], eb}), false, "input"});
  out.push_back({MemorySpace::SRAM, u(getWeight()),
                 mulSat({oc, c, getKernel()[0], getKernel()[1], eb}), false,
                 "weight"});
  out.push_back(
      {MemorySpace::SRAM, u(getOutput()),
       mulSat({oc, getOutHw()[0], getOutHw()[1], kAccumulatorBytes}), true,
       "output"});
}
LogicalResult ConvOp::verifyOnChip(const rt::SystemDesc &,
                                   const rt::ChipDesc &chip) {
  int64_t pixels = getOutRows()[1] * getOutHw()[1];
  if (pixels > chip.macRows || u(getOutChannels()) > chip.macCols)
    return emitOpError() << "tile of " << pixels << " pixels x "
                         << getOutChannels() << " channels exceeds the "
                         << chip.macRows << "x" << chip.macCols
                         << " MAC array of chip " << chip.id;
  return success();
}

//===----------------------------------------------------------------------===//
// Vector unit.
//===----------------------------------------------------------------------===//

LogicalResult VectorOp::verify() {
  VectorOpKind kind = getKind();
  bool binary = isBinary(kind);
  if (binary && (!getB() || !getBBcast()))
    return emitOpError() << stringifyVectorOpKind(kind)
                         << " needs an operand b and its b_bcast";
  if (!binary && (getB() || getBBcast()))
    return emitOpError() << stringifyVectorOpKind(kind)
                         << " takes no operand b";
  if (auto bcast = getBBcast())
    if ((*bcast)[0] <= 0 || (*bcast)[1] <= 0)
      return emitOpError() << "b_bcast period and repeat must be positive";
  bool quant = kind == VectorOpKind::quantize ||
               kind == VectorOpKind::dequantize;
  if (quant && !isByte(getDtype()))
    return emitOpError() << stringifyVectorOpKind(kind)
                         << " needs an 8-bit dtype, got "
                         << stringifyDType(getDtype());
  if (!quant && !isFloat(getDtype()))
    return emitOpError() << stringifyVectorOpKind(kind)
                         << " needs a floating-point dtype, got "
                         << stringifyDType(getDtype());
  return success();
}
cost::InstrCost VectorOp::getCost(const rt::SystemDesc &,
                                  const rt::ChipDesc &chip) {
  return makeCost(cost::Engine::Vector,
                  cost::vectorCycles(static_cast<cost::VectorOp>(getKind()),
                                     u(getCount()), chip.vectorLanes));
}
void VectorOp::getBufferAccesses(SmallVectorImpl<BufferAccess> &out) {
  int64_t count = u(getCount());
  out.push_back({MemorySpace::SRAM, u(getA()),
                 mulSat({count, elementBytes(vectorSrcType(*this))}), false,
                 "a"});
  if (getB() && getBBcast())
    out.push_back({MemorySpace::SRAM, u(*getB()),
                   mulSat({(*getBBcast())[0], elementBytes(getDtype())}),
                   false, "b"});
  out.push_back({MemorySpace::SRAM, u(getDst()),
                 mulSat({count, elementBytes(vectorDstType(*this))}), true,
                 "dst"});
}

LogicalResult FillOp::verify() { return success(); }
cost::InstrCost FillOp::getCost(const rt::SystemDesc &,
                                const rt::ChipDesc &chip) {
  return makeCost(cost::Engine::Vector,
                  cost::vectorCycles(cost::VectorOp::Copy, u(getCount()),
                                     chip.vectorLanes));
}
void FillOp::getBufferAccesses(SmallVectorImpl<BufferAccess> &out) {
  out.push_back({MemorySpace::SRAM, u(getDst()),
                 mulSat({u(getCount()), elementBytes(getDtype())}), true,
                 "dst"});
}

LogicalResult ReduceOp::verify() {
  for (int64_t s : getShape())
    if (s <= 0)
      return emitOpError() << "shape entries must be positive, got " << s;
  if (!isFloat(getDtype()))
    return emitOpError() << "needs a floating-point dtype";
  return success();
}
cost::InstrCost ReduceOp::getCost(const rt::SystemDesc &,
                                  const rt::ChipDesc &chip) {
  ArrayRef<int64_t> s = getShape();
  return makeCost(cost::Engine::Vector,
                  cost::reduceCycles(static_cast<cost::ReduceOp>(getKind()),
                                     s[0], s[1], s[2], chip.vectorLanes));
}
void ReduceOp::getBufferAccesses(SmallVectorImpl<BufferAccess> &out) {
  ArrayRef<int64_t> s = getShape();
  int64_t eb = elementBytes(getDtype());
  out.push_back({MemorySpace::SRAM, u(getSrc()),
                 mulSat({s[0], s[1], s[2], eb}), false, "src"});
  out.push_back(
      {MemorySpace::SRAM, u(getDst()), mulSat({s[0], s[2], eb}), true, "dst"});
}

LogicalResult PoolOp::verify() {
  if (failed(verifyWindow(*this, getInHw(), getOutHw(), getKernel(),
                          getStrides(), getPads(), getDilations(),
                          /*allowCeil=*/true)))
    return failure();
  if (!isFloat(getDtype()))
    return emitOpError() << "needs a floating-point dtype";
  return success();
}
cost::InstrCost PoolOp::getCost(const rt::SystemDesc &,
                                const rt::ChipDesc &chip) {
  int64_t outElements = u(getChannels()) * getOutHw()[0] * getOutHw()[1];
  return makeCost(cost::Engine::Vector,
                  cost::poolCycles(static_cast<cost::PoolOp>(getKind()),
                                   outElements,
                                   getKernel()[0] * getKernel()[1],
                                   chip.vectorLanes));
}
void PoolOp::getBufferAccesses(SmallVectorImpl<BufferAccess> &out) {
  int64_t eb = elementBytes(getDtype()), c = u(getChannels());
  out.push_back({MemorySpace::SRAM, u(getSrc()),
                 mulSat({c, getInHw()[0], getInHw()[1], eb}), false, "src"});
  out.push_back({MemorySpace::SRAM, u(getDst()),
                 mulSat({c, getOutHw()[0], getOutHw()[1], eb}), true, "dst"});
}

LogicalResult CopyOp::verify() {
  for (int64_t s : getShape())
    if (s <= 0)
      return emitOpError() << "shape entries must be positive, got " << s;
  for (int64_t s : llvm::concat<const int64_t>(getSrcStrides(),
                                               getDstStrides()))
    if (s < 0)
      return emitOpError() << "strides must be non-negative, got " << s;
  return success();
}
static int64_t copyExtent(ArrayRef<int64_t> shape, ArrayRef<int64_t> strides) {
  int64_t last = 0;
  for (int i = 0; i < 4; ++i)
    last = addSat(last, mulSat({shape[i] - 1, strides[i]}));
  return addSat(last, 1);
}
cost::InstrCost CopyOp::getCost(const rt::SystemDesc &,
                                const rt::ChipDesc &chip) {
  ArrayRef<int64_t> s = getShape();
  return makeCost(cost::Engine::Vector,
                  cost::copyCycles(s[0] * s[1] * s[2] * s[3],
                                   chip.vectorLanes));
}
void CopyOp::getBufferAccesses(SmallVectorImpl<BufferAccess> &out) {
  int64_t eb = elementBytes(getDtype());
  out.push_back({MemorySpace::SRAM, u(getSrc()),
                 mulSat({copyExtent(getShape(), getSrcStrides()), eb}), false,
                 "src"});
  out.push_back({MemorySpace::SRAM, u(getDst()),
                 mulSat({copyExtent(getShape(), getDstStrides()), eb}), true,
                 "dst"});
}

LogicalResult ResizeOp::verify() {
  ArrayRef<int64_t> modes = getModes();
  if (modes[0] < 0 || modes[0] > 3 || modes[1] < 0 || modes[1] > 3)
    return emitOpError() << "modes [" << modes[0] << ", " << modes[1]
                         << "] are not valid coordinate/nearest modes (0-3)";
  for (int d = 0; d < 2; ++d)
    if (getInHw()[d] <= 0 || getOutHw()[d] <= 0)
      return emitOpError() << "sizes must be positive";
  if (!isFloat(getDtype()))
    return emitOpError() << "needs a floating-point dtype";
  return success();
}
cost::InstrCost ResizeOp::getCost(const rt::SystemDesc &,
                                  const rt::ChipDesc &chip) {
  int64_t outElements = u(getChannels()) * getOutHw()[0] * getOutHw()[1];
  return makeCost(cost::Engine::Vector,
                  cost::resizeCycles(static_cast<cost::ResizeMode>(getKind()),
                                     outElements, chip.vectorLanes));
}
void ResizeOp::getBufferAccesses(SmallVectorImpl<BufferAccess> &out) {
  int64_t eb = elementBytes(getDtype()), c = u(getChannels());
  out.push_back({MemorySpace::SRAM, u(getSrc()),
                 mulSat({c, getInHw()[0], getInHw()[1], eb}), false, "src"});
  out.push_back({MemorySpace::SRAM, u(getDst()),
                 mulSat({c, getOutHw()[0], getOutHw()[1], eb}), true, "dst"});
}
