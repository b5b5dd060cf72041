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
#include "llvm/ADT/StringExtras.h"
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
// The early-exit table, `npu.early_exit`.
//===----------------------------------------------------------------------===//

namespace {
/// Reads the keys of the `npu.early_exit` dictionaries, reporting the first
/// problem with the path of the key ("gates[1].exit_rate").
class EarlyExitReader {
public:
  explicit EarlyExitReader(function_ref<InFlightDiagnostic()> emitError)
      : emitError(emitError) {}

  /// Reports a problem at `path` (a key, or empty for the whole attribute).
  InFlightDiagnostic error(const std::string &path) {
    failed = true;
    InFlightDiagnostic diag = emitError();
    diag << "'" << NPUDialect::getEarlyExitAttrName() << "' ";
    if (!path.empty())
      diag << "key '" << path << "': ";
    return diag;
  }

  /// Checks that `dict` has exactly `keys`; `prefix` leads the key paths.
  bool keys(DictionaryAttr dict, ArrayRef<StringRef> keys,
            const std::string &prefix) {
    for (StringRef key : keys)
      if (!dict.get(key)) {
        error("") << "has no key '" << prefix << key << "'";
        return false;
      }
    for (NamedAttribute entry : dict)
      if (!llvm::is_contained(keys, entry.getName().getValue())) {
        error("") << "has an unknown key '" << prefix
                  << entry.getName().getValue() << "' (expected "
                  << llvm::join(keys, ", ") << ")";
        return false;
      }
    return true;
  }

  std::optional<std::string> string(DictionaryAttr dict, StringRef key,
                                    const std::string &prefix) {
    auto value = dyn_cast<StringAttr>(dict.get(key));
    if (!value) {
      error(prefix + key.str()) << "must be a string, got " << dict.get(key);
      return std::nullopt;
    }
    return value.str();
  }

  std::optional<int64_t> integer(DictionaryAttr dict, StringRef key,
                                 const std::string &prefix) {
    auto value = dyn_cast<IntegerAttr>(dict.get(key));
    if (!value || !value.getType().isSignlessInteger(64)) {
      error(prefix + key.str())
          << "must be an i64 integer, got " << dict.get(key);
      return std::nullopt;
    }
    return value.getInt();
  }

  std::optional<double> real(DictionaryAttr dict, StringRef key,
                             const std::string &prefix) {
    auto value = dyn_cast<FloatAttr>(dict.get(key));
    if (!value || !value.getType().isF64()) {
      error(prefix + key.str())
          << "must be an f64 float, got " << dict.get(key);
      return std::nullopt;
    }
    return value.getValueAsDouble();
  }

  DictionaryAttr dictionary(Attribute attr, const std::string &path) {
    auto dict = dyn_cast<DictionaryAttr>(attr);
    if (!dict)
      error(path) << "must be a dictionary, got " << attr;
    return dict;
  }

  bool hasFailed() const { return failed; }

private:
  function_ref<InFlightDiagnostic()> emitError;
  bool failed = false;
};
} // namespace

FailureOr<rt::EarlyExit>
mlir::npu::parseEarlyExitAttr(Attribute attr, const rt::SystemDesc *system,
                              function_ref<InFlightDiagnostic()> emitError) {
  EarlyExitReader read(emitError);
  DictionaryAttr dict = read.dictionary(attr, "");
  if (!dict || !read.keys(dict,
                          {"measure", "output", "answer", "from_chip",
                           "to_chip", "gates", "return_threshold",
                           "idle_window_ps", "escalation_rate", "calibration"},
                          ""))
    return failure();

  rt::EarlyExit table;
  if (std::optional<std::string> measure = read.string(dict, "measure", "")) {
    if (std::optional<rt::cost::ConfidenceMeasure> parsed =
            rt::parseMeasure(*measure))
      table.measure = *parsed;
    else
      read.error("measure") << "must be \"max_prob\", \"margin\" or "
                               "\"entropy\", got \""
                            << *measure << "\"";
  }
  if (std::optional<std::string> answer = read.string(dict, "answer", "")) {
    if (std::optional<rt::AnswerKind> parsed = rt::parseAnswer(*answer))
      table.answer = *parsed;
    else
      read.error("answer") << "must be \"logits\" or \"probabilities\", "
                              "got \""
                           << *answer << "\"";
  }
  if (std::optional<std::string> output = read.string(dict, "output", ""))
    table.output = *output;
  if (std::optional<int64_t> chip = read.integer(dict, "from_chip", ""))
    table.fromChip = *chip;
  if (std::optional<int64_t> chip = read.integer(dict, "to_chip", ""))
    table.toChip = *chip;
  if (std::optional<double> value = read.real(dict, "return_threshold", ""))
    table.returnThreshold = *value;
  if (std::optional<int64_t> value = read.integer(dict, "idle_window_ps", ""))
    table.idleWindowPs = *value;
  if (std::optional<double> value = read.real(dict, "escalation_rate", ""))
    table.escalationRate = *value;
  if (read.hasFailed())
    return failure();

  auto gates = dyn_cast<ArrayAttr>(dict.get("gates"));
  if (!gates) {
    read.error("gates") << "must be an array of dictionaries, got "
                        << dict.get("gates");
    return failure();
  }
  for (auto [index, element] : llvm::enumerate(gates)) {
    std::string path = "gates[" + std::to_string(index) + "].";
    DictionaryAttr gateDict =
        read.dictionary(element, path.substr(0, path.size() - 1));
    if (!gateDict ||
        !read.keys(gateDict, {"split", "threshold", "exit_rate"}, path))
      return failure();
    rt::ExitGate gate;
    if (std::optional<std::string> split = read.string(gateDict, "split", path))
      gate.split = *split;
    if (std::optional<double> value = read.real(gateDict, "threshold", path))
      gate.threshold = *value;
    if (std::optional<double> value = read.real(gateDict, "exit_rate", path))
      gate.exitRate = *value;
    if (read.hasFailed())
      return failure();
    table.gates.push_back(std::move(gate));
  }

  DictionaryAttr calibration =
      read.dictionary(dict.get("calibration"), "calibration");
  if (!calibration || !read.keys(calibration,
                                 {"samples", "accuracy", "full_accuracy",
                                  "expected_energy_fj", "expected_latency_ps"},
                                 "calibration."))
    return failure();
  rt::Calibration &c = table.calibration;
  const std::string at = "calibration.";
  if (std::optional<int64_t> value = read.integer(calibration, "samples", at))
    c.samples = *value;
  if (std::optional<double> value = read.real(calibration, "accuracy", at))
    c.accuracy = *value;
  if (std::optional<double> value = read.real(calibration, "full_accuracy", at))
    c.fullAccuracy = *value;
  if (std::optional<int64_t> value =
          read.integer(calibration, "expected_energy_fj", at))
    c.expectedEnergyFj = static_cast<double>(*value);
  if (std::optional<int64_t> value =
          read.integer(calibration, "expected_latency_ps", at))
    c.expectedLatencyPs = static_cast<double>(*value);
  if (read.hasFailed())
    return failure();

  // The values, by the rules the loader applies too. Without a system the
  // chips cannot be checked; give validate() one that has them.
  rt::SystemDesc chips;
  if (!system) {
    for (int64_t id : {table.fromChip, table.toChip}) {
      rt::ChipDesc chip;
      chip.id = id;
      chips.chips.push_back(chip);
    }
    system = &chips;
  }
  for (const rt::TargetDiagnostic &diag : rt::validate(table, *system))
    read.error(diag.path) << diag.message;
  if (read.hasFailed())
    return failure();
  return table;
}

DictionaryAttr mlir::npu::toEarlyExitAttr(MLIRContext *context,
                                          const rt::EarlyExit &table) {
  Builder b(context);
  auto real = [&](double value) { return b.getF64FloatAttr(value); };
  // Validated amounts in [0, 2^63): rounded to whole fJ and ps.
  auto whole = [&](double value) {
    return b.getI64IntegerAttr(static_cast<int64_t>(std::llround(value)));
  };
  SmallVector<Attribute> gates;
  for (const rt::ExitGate &gate : table.gates)
    gates.push_back(b.getDictionaryAttr(
        {b.getNamedAttr("split", b.getStringAttr(gate.split)),
         b.getNamedAttr("threshold", real(gate.threshold)),
         b.getNamedAttr("exit_rate", real(gate.exitRate))}));
  const rt::Calibration &c = table.calibration;
  DictionaryAttr calibration = b.getDictionaryAttr(
      {b.getNamedAttr("samples", b.getI64IntegerAttr(c.samples)),
       b.getNamedAttr("accuracy", real(c.accuracy)),
       b.getNamedAttr("full_accuracy", real(c.fullAccuracy)),
       b.getNamedAttr("expected_energy_fj", whole(c.expectedEnergyFj)),
       b.getNamedAttr("expected_latency_ps", whole(c.expectedLatencyPs))});
  return b.getDictionaryAttr(
      {b.getNamedAttr("measure",
                      b.getStringAttr(rt::measureName(table.measure))),
       b.getNamedAttr("output", b.getStringAttr(table.output)),
       b.getNamedAttr("answer", b.getStringAttr(rt::answerName(table.answer))),
       b.getNamedAttr("from_chip", b.getI64IntegerAttr(table.fromChip)),
       b.getNamedAttr("to_chip", b.getI64IntegerAttr(table.toChip)),
       b.getNamedAttr("gates", b.getArrayAttr(gates)),
       b.getNamedAttr("return_threshold", real(table.returnThreshold)),
       b.getNamedAttr("idle_window_ps",
                      b.getI64IntegerAttr(table.idleWindowPs)),
       b.getNamedAttr("escalation_rate", real(table.escalationRate)),
       b.getNamedAttr("calibration", calibration)});
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
  if (name == getEarlyExitAttrName()) {
    if (!isa<ModuleOp>(op))
      return op->emitError()
             << "'" << name << "' may only be attached to a module";
    // The chips are checked against the module's system when it has one
    // (the system attribute verifies itself).
    std::optional<rt::SystemDesc> system;
    if (auto attr = op->getAttrOfType<SystemAttr>(getSystemAttrName()))
      system = toSystemDesc(attr);
    return parseEarlyExitAttr(attr.getValue(), system ? &*system : nullptr,
                              [&] { return op->emitError(); });
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
