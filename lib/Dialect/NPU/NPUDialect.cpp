//===- NPUDialect.cpp - NPU dialect, attributes, module checks ------------===//
//
// Registers the `npu` dialect, verifies `#npu.system` through the shared
// validation in npu/rt/Target.h, converts between the attribute and
// npu::rt::SystemDesc, and checks module-wide invariants of partitioned
// programs (one program per chip, send/recv pairs) when a module carries
// `npu.system`.
//
//===----------------------------------------------------------------------===//

#include "npu/Dialect/NPU/NPUDialect.h"
#include "npu/Dialect/NPU/NPUOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/ADT/TypeSwitch.h"

#include <map>
#include <tuple>

using namespace mlir;
using namespace mlir::npu;
namespace rt = ::npu::rt;

#include "NPU/NPUDialect.cpp.inc"
#include "NPU/NPUEnums.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "NPU/NPUAttrs.cpp.inc"

#define GET_OP_CLASSES
#include "NPU/NPUOps.cpp.inc"

//===----------------------------------------------------------------------===//
// Bracketed list parameters.
//===----------------------------------------------------------------------===//

FailureOr<SmallVector<int64_t>> mlir::npu::detail::parseIntList(AsmParser &parser) {
  SmallVector<int64_t> values;
  if (parser.parseCommaSeparatedList(AsmParser::Delimiter::Square,
                                     [&]() -> ParseResult {
                                       int64_t value;
                                       if (parser.parseInteger(value))
                                         return failure();
                                       values.push_back(value);
                                       return success();
                                     }))
    return failure();
  return values;
}

void mlir::npu::detail::printIntList(AsmPrinter &printer,
                                     ArrayRef<int64_t> values) {
  printer << '[';
  llvm::interleaveComma(values, printer);
  printer << ']';
}

//===----------------------------------------------------------------------===//
// Dialect.
//===----------------------------------------------------------------------===//

namespace {
/// Short aliases keep printed modules readable: `#system = #npu.system<...>`.
struct NPUOpAsmInterface : public OpAsmDialectInterface {
  using OpAsmDialectInterface::OpAsmDialectInterface;
  AliasResult getAlias(Attribute attr, raw_ostream &os) const override {
    if (isa<SystemAttr>(attr)) {
      os << "system";
      return AliasResult::FinalAlias;
    }
    if (auto chip = dyn_cast<ChipAttr>(attr)) {
      os << "chip" << chip.getId();
      return AliasResult::FinalAlias;
    }
    return AliasResult::NoAlias;
  }
};
} // namespace

void NPUDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "NPU/NPUOps.cpp.inc"
      >();
  registerAttributes();
  addInterfaces<NPUOpAsmInterface>();
}

void NPUDialect::registerAttributes() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "NPU/NPUAttrs.cpp.inc"
      >();
}

//===----------------------------------------------------------------------===//
// SystemAttr <-> rt::SystemDesc.
//===----------------------------------------------------------------------===//

namespace {
/// Builds the target model from attribute parts, reporting spellings that
/// have no meaning (unknown kind, topology, capability) through `report`.
/// Numeric checks are left to rt::validate so there is one rule set.
template <typename ReportFn>
rt::SystemDesc buildDesc(StringRef name, StringRef topology,
                         ArrayRef<int64_t> meshDims, ArrayRef<ChipAttr> chips,
                         ArrayRef<LinkAttr> links, HostLinkAttr host,
                         ReportFn report) {
  rt::SystemDesc desc;
  desc.name = name.str();
  if (auto parsed = rt::parseTopology(topology))
    desc.topology = *parsed;
  else
    report("topology", "unknown topology '" + topology.str() +
                           "'; expected switch or mesh");
  desc.meshDims.assign(meshDims.begin(), meshDims.end());
  for (auto [index, chip] : llvm::enumerate(chips)) {
    std::string path = "chips[" + std::to_string(index) + "]";
    rt::ChipDesc c;
    c.id = chip.getId();
    c.name = chip.getName().str();
    if (auto kind = rt::parseChipKind(chip.getKind()))
      c.kind = *kind;
    else
      report(path + ".kind", "unknown chip kind '" + chip.getKind().str() +
                                 "'; expected one of " + rt::chipKindNames());
    for (auto [capIndex, cap] : llvm::enumerate(chip.getCaps())) {
      auto str = dyn_cast<StringAttr>(cap);
      std::optional<rt::Capability> bit;
      if (str)
        bit = rt::parseCapability(str.getValue());
      if (bit)
        c.caps |= *bit;
      else
        report(path + ".caps[" + std::to_string(capIndex) + "]",
               "unknown capability; expected one of dense, sparse, conv, "
               "activation, fp32, fp16, bf16, int8");
    }
    c.macRows = chip.getMacRows();
    c.macCols = chip.getMacCols();
    c.vectorLanes = chip.getVectorLanes();
    c.sramBytes = chip.getSramBytes();
    c.dramBytes = chip.getDramBytes();
    c.dramBytesPerCycle = chip.getDramBytesPerCycle();
    c.clockMhz = chip.getClockMhz();
    PowerAttr power = chip.getPower();
    c.power = {power.getActiveMw(), power.getIdleMw(), power.getOffMw(),
               power.getWakeCycles(), power.getWakeEnergyNj()};
    c.coord.assign(chip.getCoord().begin(), chip.getCoord().end());
    desc.chips.push_back(std::move(c));
  }
  for (LinkAttr link : links)
    desc.links.push_back({link.getA(), link.getB(), link.getBandwidthGbps(),
                          link.getLatencyNs()});
  desc.host = {host.getBandwidthGbps(), host.getLatencyNs()};
  return desc;
}
} // namespace

LogicalResult SystemAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                 StringRef name, StringRef topology,
                                 ArrayRef<int64_t> meshDims,
                                 ArrayRef<ChipAttr> chips,
                                 ArrayRef<LinkAttr> links, HostLinkAttr host) {
  bool failed = false;
  auto report = [&](const std::string &path, const std::string &message) {
    emitError() << "invalid system description: " << path << ": " << message;
    failed = true;
  };
  rt::SystemDesc desc =
      buildDesc(name, topology, meshDims, chips, links, host, report);
  for (const rt::TargetDiagnostic &diag : rt::validate(desc))
    report(diag.path, diag.message);
  return failure(failed);
}

rt::SystemDesc mlir::npu::toSystemDesc(SystemAttr attr) {
  return buildDesc(attr.getName(), attr.getTopology(), attr.getMeshDims(),
                   attr.getChips(), attr.getLinks(), attr.getHost(),
                   [](const std::string &, const std::string &) {});
}

SystemAttr mlir::npu::toSystemAttr(MLIRContext *context,
                                   const rt::SystemDesc &system) {
  Builder b(context);
  SmallVector<ChipAttr> chips;
  for (const rt::ChipDesc &c : system.chips) {
    SmallVector<Attribute> caps;
    for (rt::Capability cap : rt::allCapabilities())
      if (c.has(cap))
        caps.push_back(b.getStringAttr(rt::capabilityName(cap)));
    auto power = PowerAttr::get(context, c.power.activeMw, c.power.idleMw,
                                c.power.offMw, c.power.wakeCycles,
                                c.power.wakeEnergyNj);
    chips.push_back(ChipAttr::get(
        context, c.id, c.name, rt::toString(c.kind), b.getArrayAttr(caps),
        c.macRows, c.macCols, c.vectorLanes, c.sramBytes, c.dramBytes,
        c.dramBytesPerCycle, c.clockMhz, power, c.coord));
  }
  SmallVector<LinkAttr> links;
  for (const rt::LinkDesc &l : system.links)
    links.push_back(
        LinkAttr::get(context, l.a, l.b, l.bandwidthGBps, l.latencyNs));
  auto host = HostLinkAttr::get(context, system.host.bandwidthGBps,
                                system.host.latencyNs);
  return SystemAttr::get(context, system.name, rt::toString(system.topology),
                         system.meshDims, chips, links, host);
}

SystemAttr mlir::npu::getSystemAttr(Operation *op) {
  auto module = dyn_cast<ModuleOp>(op);
  if (!module)
    module = op->getParentOfType<ModuleOp>();
  if (!module)
    return {};
  return module->getAttrOfType<SystemAttr>(NPUDialect::getSystemAttrName());
}

ChipAttr mlir::npu::lookupChip(SystemAttr system, int64_t id) {
  for (ChipAttr chip : system.getChips())
    if (chip.getId() == id)
      return chip;
  return {};
}

//===----------------------------------------------------------------------===//
// Module-wide checks, run when a module carries `npu.system`.
//===----------------------------------------------------------------------===//

namespace {
/// (from chip, to chip, channel)
using ChannelKey = std::tuple<int64_t, int64_t, int64_t>;

struct Endpoint {
  Operation *op;
  Type type;
};

LogicalResult verifyPrograms(ModuleOp module) {
  std::map<int64_t, ProgramOp> programOfChip;
  std::map<ChannelKey, Endpoint> sends, recvs;
  llvm::StringMap<Operation *> outputs;
  bool failed = false;

  // The module's attributes are verified before the ops inside it, so a
  // program or transfer op read below may still be malformed (a missing
  // property, a wrong operand count, an empty body). Run its own checks first
  // so that it reports the problem instead of crashing this function.
  for (auto program : module.getOps<ProgramOp>()) {
    if (::mlir::failed(program->getName().verifyInvariants(program)))
      return failure();
    for (Operation &op : program.getBody().front())
      if (isa<SendOp, RecvOp, ExitGateOp, OutputOp>(op) &&
          ::mlir::failed(op.getName().verifyInvariants(&op)))
        return failure();
  }

  for (auto program : module.getOps<ProgramOp>()) {
    int64_t chip = program.getChip();
    auto [it, inserted] = programOfChip.try_emplace(chip, program);
    if (!inserted) {
      program.emitOpError() << "chip " << chip << " already has a program ("
                            << it->second.getSymName() << ")";
      failed = true;
    }
    for (Operation &op : program.getBody().front()) {
      std::optional<ChannelKey> sendKey, recvKey;
      Type type;
      if (auto send = dyn_cast<SendOp>(op)) {
        sendKey = ChannelKey{chip, send.getChip(), send.getChannel()};
        type = send.getValue().getType();
      } else if (auto gate = dyn_cast<ExitGateOp>(op)) {
        if (gate.getChip() && gate.getChannel() && gate.getFeatures()) {
          sendKey = ChannelKey{chip, *gate.getChip(), *gate.getChannel()};
          type = gate.getFeatures().getType();
        }
      } else if (auto recv = dyn_cast<RecvOp>(op)) {
        recvKey = ChannelKey{recv.getChip(), chip, recv.getChannel()};
        type = recv.getType();
      } else if (auto output = dyn_cast<OutputOp>(op)) {
        auto [prev, fresh] = outputs.try_emplace(output.getName(), &op);
        if (!fresh) {
          output.emitOpError() << "output '" << output.getName()
                               << "' is already produced by another "
                                  "npu.output";
          failed = true;
        }
      }
      auto record = [&](std::map<ChannelKey, Endpoint> &map, ChannelKey key,
                        StringRef what) {
        auto [entry, fresh] = map.try_emplace(key, Endpoint{&op, type});
        if (!fresh) {
          op.emitOpError() << "channel " << std::get<2>(key) << " from chip "
                           << std::get<0>(key) << " to chip "
                           << std::get<1>(key) << " already has a " << what;
          failed = true;
        }
      };
      if (sendKey)
        record(sends, *sendKey, "sender");
      if (recvKey)
        record(recvs, *recvKey, "receiver");
    }
  }

  for (auto &[key, send] : sends) {
    auto [from, to, channel] = key;
    auto it = recvs.find(key);
    if (it == recvs.end()) {
      send.op->emitOpError()
          << "has no matching npu.recv in the program of chip " << to
          << " (from chip " << from << ", channel " << channel << ")";
      failed = true;
      continue;
    }
    if (it->second.type != send.type) {
      send.op->emitOpError()
          << "sends " << send.type << " but the matching npu.recv on chip "
          << to << " expects " << it->second.type;
      failed = true;
    }
  }
  for (auto &[key, recv] : recvs) {
    auto [from, to, channel] = key;
    if (!sends.count(key)) {
      recv.op->emitOpError()
          << "has no matching npu.send in the program of chip " << from
          << " (to chip " << to << ", channel " << channel << ")";
      failed = true;
    }
  }
  return failure(failed);
}
} // namespace

/// Checks `npu.inputs` / `npu.outputs`: an array of #npu.tensor with unique
/// names and static shapes.
static LogicalResult verifySignature(Operation *op, NamedAttribute attr) {
  auto array = dyn_cast<ArrayAttr>(attr.getValue());
  if (!array)
    return op->emitError() << "'" << attr.getName().getValue()
                           << "' must be an array of #npu.tensor";
  llvm::StringSet<> names;
  for (Attribute element : array) {
    auto sig = dyn_cast<TensorSigAttr>(element);
    if (!sig)
      return op->emitError() << "'" << attr.getName().getValue()
                             << "' must be an array of #npu.tensor, got "
                             << element;
    if (sig.getName().empty())
      return op->emitError() << "'" << attr.getName().getValue()
                             << "' has a tensor without a name";
    if (!names.insert(sig.getName()).second)
      return op->emitError() << "'" << attr.getName().getValue()
                             << "' names '" << sig.getName() << "' twice";
    if (!sig.getType().hasStaticShape())
      return op->emitError() << "'" << attr.getName().getValue() << "' tensor '"
                             << sig.getName() << "' needs a static shape";
  }
  return success();
}

LogicalResult NPUDialect::verifyOperationAttribute(Operation *op,
                                                   NamedAttribute attr) {
  StringRef name = attr.getName().getValue();
  if (name == getInputsAttrName() || name == getOutputsAttrName()) {
    if (!isa<ModuleOp>(op))
      return op->emitError() << "'" << name
                             << "' may only be attached to a module";
    return verifySignature(op, attr);
  }
  if (name == getPlaceAttrName()) {
    auto chip = dyn_cast<IntegerAttr>(attr.getValue());
    if (!chip || !chip.getType().isInteger(64) || chip.getInt() < 0)
      return op->emitError() << "'" << name
                             << "' must be a chip id (a non-negative i64)";
    return success();
  }
  if (name == getPartitionAttrName()) {
    if (!isa<ModuleOp>(op))
      return op->emitError() << "'" << name
                             << "' may only be attached to a module";
    if (!isa<DictionaryAttr>(attr.getValue()))
      return op->emitError() << "'" << name << "' must be a dictionary";
    return success();
  }
  if (name != getSystemAttrName())
    return op->emitError() << "unknown npu dialect attribute '" << name
                           << "'";
  if (!isa<SystemAttr>(attr.getValue()))
    return op->emitError() << "'" << getSystemAttrName()
                           << "' must be an #npu.system attribute";
  auto module = dyn_cast<ModuleOp>(op);
  if (!module)
    return op->emitError() << "'" << getSystemAttrName()
                           << "' may only be attached to a module";
  return verifyPrograms(module);
}
