//===- Partition.cpp - One npu.program per chip ---------------------------===//
//
// `npu-partition`: places the ops of the model function on the chips of the
// system (npu/Analysis/Partition.h: costs, strategies, bounds) and rewrites
// the function into one `npu.program` per chip used, with the transfers the
// placement implies; then reports the result against its lower bounds.
// docs/partitioning.md is the long form.
//
// Program order. Each program lists its ops, receives and sends in the
// order of their predicted times (a receive at the time it completes, an op
// or a send at the time it starts). Every receive completes strictly after
// its send starts, so a program never waits, in stream order, for a send
// that its peer issues only after waiting on it: the programs cannot
// deadlock.
//
//===----------------------------------------------------------------------===//

#include "npu/Analysis/Partition.h"
#include "npu/Analysis/Schedule.h"
#include "npu/Dialect/NPU/NPUDialect.h"
#include "npu/Dialect/NPU/NPUOps.h"
#include "npu/Support/InputFile.h"
#include "npu/Transforms/Passes.h"
#include "npu/rt/Cost.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/CheckedArithmetic.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/ToolOutputFile.h"
#include "mlir/Transforms/Passes.h"

#include <iterator>
#include <map>
#include <queue>

#define DEBUG_TYPE "npu-partition"

namespace mlir::npu {
#define GEN_PASS_DEF_PARTITIONPASS
#include "npu/Transforms/Passes.h.inc"
} // namespace mlir::npu

using namespace mlir;
using namespace mlir::npu;
using namespace mlir::npu::partition;
namespace rt = ::npu::rt;
namespace cost = ::npu::rt::cost;

namespace {

/// Name attribute of a function argument or result (as npu-lower-to-isa).
constexpr llvm::StringLiteral kNameAttr = "npu.name";

/// The name a location gives an op: its NameLoc (the ONNX importer sets the
/// node name there), looking inside fused and call-site locations.
std::string locationName(Location loc) {
  if (auto name = dyn_cast<NameLoc>(loc))
    return name.getName().str();
  if (auto fused = dyn_cast<FusedLoc>(loc)) {
    for (Location inner : fused.getLocations()) {
      std::string found = locationName(inner);
      if (!found.empty())
        return found;
    }
  }
  if (auto site = dyn_cast<CallSiteLoc>(loc))
    return locationName(site.getCallee());
  return "";
}

/// "chip 3 (npu3)".
std::string chipLabel(const rt::ChipDesc &chip) {
  return "chip " + std::to_string(chip.id) + " (" + chip.name + ")";
}

/// Picoseconds as nanoseconds with three decimals.
std::string nanoseconds(int64_t ps) {
  std::string s;
  llvm::raw_string_ostream(s)
      << llvm::format("%lld.%03lld", static_cast<long long>(ps / 1000),
                      static_cast<long long>(ps % 1000));
  return s;
}

std::string ratio(int64_t achieved, int64_t bound) {
  if (bound <= 0)
    return achieved == 0 ? "1.000" : "inf";
  return llvm::formatv("{0:F3}", static_cast<double>(achieved) / bound).str();
}

/// What happened on one chip, for the reports.
struct ChipSummary {
  int ops = 0;
  int64_t computePs = 0;
  int sends = 0, recvs = 0, relays = 0;
  int64_t sendBytes = 0, recvBytes = 0;
};

/// The exact figures of a placement: its programs compiled as npu-compile
/// compiles them and scheduled (the numbers of npu-report-budgets).
struct Scheduled {
  /// Latency of one input: the stream budget's latency of input 0.
  int64_t latency = 0;
  /// The stream budget's interval.
  int64_t interval = 0;
  /// The stream budget's steady-state latency.
  int64_t steadyLatency = 0;
};

/// Compiles a copy of `module` (npu.program ops and its system) with
/// canonicalize, cse and npu-lower-to-isa, as npu-compile does, and returns
/// its stream budget; nullopt with `error` set (the lowering's first error)
/// when the copy does not compile.
std::optional<Scheduled> scheduleCopy(ModuleOp module, std::string &error) {
  MLIRContext *context = module.getContext();
  OwningOpRef<ModuleOp> copy(module.clone());
  ScopedDiagnosticHandler handler(context, [&](Diagnostic &diag) {
    if (diag.getSeverity() == DiagnosticSeverity::Error && error.empty())
      error = diag.str();
    return success();
  });
  PassManager pm(context, ModuleOp::getOperationName());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  pm.addPass(createLowerToISAPass(LowerToISAPassOptions{/*chip=*/0}));
  if (failed(pm.run(*copy))) {
    if (error.empty())
      error = "the lowering failed";
    return std::nullopt;
  }
  ScheduleAnalysis schedule(*copy);
  if (schedule.failed() || !schedule.getStream()) {
    if (error.empty())
      error = "the static schedule gives no stream budget";
    return std::nullopt;
  }
  const StreamBudget &stream = *schedule.getStream();
  return Scheduled{stream.latencyPs.front(), stream.intervalPs,
                   stream.latencyPs.back()};
}

struct PartitionPass
    : public mlir::npu::impl::PartitionPassBase<PartitionPass> {
  using PartitionPassBase::PartitionPassBase;

  void runOnOperation() override {
    if (failed(run()))
      signalPassFailure();
  }

private:
  LogicalResult run();
  LogicalResult readOverrides(Problem &problem);
  LogicalResult checkFits(const Problem &problem);
  LogicalResult materialize(func::FuncOp func, const Problem &problem,
                            const Placement &placement,
                            SmallVectorImpl<ProgramOp> &programs);
  LogicalResult writeReport(ModuleOp module, StringRef funcName,
                            Location funcLoc, const Problem &problem,
                            const Placement &placement,
                            ArrayRef<Placement> candidates,
                            const Bounds &bounds,
                            const std::optional<Scheduled> &scheduled,
                            ArrayRef<ProgramOp> programs);
  LogicalResult writeDot(const Problem &problem, const Placement &placement,
                         ArrayRef<std::string> names);

  /// Per node: its location name, or "" (for placement files).
  SmallVector<std::string> labels;
  /// Per node: its op's name (the ops are gone once the reports are made).
  SmallVector<std::string> opNames;
  /// Per hop: its channel.
  SmallVector<int64_t> channels;
  ModuleOp module;
  rt::SystemDesc system;
};

//===----------------------------------------------------------------------===//
// Overrides and feasibility
//===----------------------------------------------------------------------===//

LogicalResult PartitionPass::readOverrides(Problem &problem) {
  const Graph &graph = *problem.graph;
  const Interconnect &net = *problem.net;
  int n = problem.numNodes();
  problem.forced.assign(n, -1);
  SmallVector<const char *> source(n, nullptr);
  bool ok = true;

  for (int i = 0; i < n; ++i) {
    Operation *op = graph.nodes[i].op;
    auto place = op->getAttrOfType<IntegerAttr>(NPUDialect::getPlaceAttrName());
    if (!place)
      continue;
    int index = net.indexOf(place.getInt());
    if (index < 0) {
      op->emitOpError() << "'" << NPUDialect::getPlaceAttrName()
                        << "' names chip " << place.getInt()
                        << ", which is not in system '" << system.name << "'";
      ok = false;
      continue;
    }
    problem.forced[i] = index;
    source[i] = "'npu.place'";
  }

  if (!placement.empty()) {
    std::string error;
    std::unique_ptr<llvm::MemoryBuffer> file = readInputFile(placement, error);
    if (!file)
      return module.emitError()
             << "placement file '" << placement << "': " << error;
    llvm::Expected<llvm::json::Value> json =
        parseJSONBounded(file->getBuffer());
    if (!json)
      return module.emitError()
             << "placement file '" << placement
             << "': invalid JSON: " << llvm::toString(json.takeError());
    const llvm::json::Object *object = json->getAsObject();
    if (!object)
      return module.emitError()
             << "placement file '" << placement
             << "': the top level must be an object {\"<op name>\": <chip id>}";
    // Keys in sorted order, so that diagnostics come in a stable order.
    std::vector<std::string> keys;
    for (const auto &entry : *object)
      keys.push_back(entry.first.str());
    std::sort(keys.begin(), keys.end());
    llvm::StringMap<SmallVector<int>> byName;
    for (int i = 0; i < n; ++i)
      if (!labels[i].empty())
        byName[labels[i]].push_back(i);
    for (const std::string &key : keys) {
      std::optional<int64_t> id = object->getInteger(key);
      if (!id) {
        module.emitError() << "placement file '" << placement << "': '" << key
                           << "': expected a chip id (an integer)";
        ok = false;
        continue;
      }
      auto it = byName.find(key);
      if (it == byName.end()) {
        module.emitError() << "placement file '" << placement
                           << "': no op is named '" << key << "'";
        ok = false;
        continue;
      }
      int index = net.indexOf(*id);
      for (int i : it->second) {
        Operation *op = graph.nodes[i].op;
        if (index < 0) {
          op->emitOpError()
              << "is placed on chip " << *id << " by placement file '"
              << placement << "', which is not in system '" << system.name
              << "'";
          ok = false;
          continue;
        }
        if (problem.forced[i] >= 0 && problem.forced[i] != index) {
          op->emitOpError()
              << "is placed on " << chipLabel(net.getChip(problem.forced[i]))
              << " by " << source[i] << " but on "
              << chipLabel(net.getChip(index)) << " by placement file '"
              << placement << "'";
          ok = false;
          continue;
        }
        problem.forced[i] = index;
        source[i] = "the placement file";
      }
    }
  }
  for (int i = 0; i < n; ++i) {
    int c = problem.forced[i];
    if (c < 0 || problem.time[i][c] < kInfinite)
      continue;
    graph.nodes[i].op->emitOpError()
        << "is placed on " << chipLabel(net.getChip(c)) << " by " << source[i]
        << ", which cannot run it: " << problem.whyNot[i][c];
    ok = false;
  }
  return success(ok);
}

/// The partitioner adds and compares picoseconds in int64 below kInfinite.
/// No schedule it builds is longer than running every node on its slowest
/// allowed chip and every transfer of every value to each user over a route
/// of chips - 1 hops of the costliest link, one after the other; that
/// horizon, computed with overflow-checked arithmetic, must stay below
/// kInfinite, so that no sum of times can wrap (a wrapped latency once came
/// out below its own lower bound, with programs that deadlock).
static LogicalResult checkTimeRange(ModuleOp module, const Problem &problem) {
  const Graph &graph = *problem.graph;
  const Interconnect &net = *problem.net;
  const rt::SystemDesc &system = net.getSystem();
  auto outOfRange = [&]() {
    return module.emitError()
           << "npu-partition: the times of system '" << system.name
           << "' are out of range: ";
  };
  int64_t largestValue = 0;
  int64_t transfers = 0; // value-to-user deliveries
  for (const Graph::Value &value : graph.values) {
    largestValue = std::max(largestValue, value.bytes);
    transfers = llvm::checkedAdd<int64_t>(
                    transfers, static_cast<int64_t>(value.users.size()) + 1)
                    .value_or(kInfinite);
  }
  // The costliest hop of the largest value: latency plus both ports.
  int64_t worstHop = 0;
  const rt::LinkDesc *worstLink = nullptr;
  for (const rt::LinkDesc &link : system.links) {
    std::optional<int64_t> latencyPs =
        llvm::checkedMul<int64_t>(link.latencyNs, 1000);
    std::optional<int64_t> bandwidth =
        llvm::checkedMul<int64_t>(link.bandwidthGBps, 1000);
    std::optional<int64_t> hop = latencyPs;
    for (int64_t id : {link.a, link.b}) {
      int index = net.indexOf(id);
      if (index < 0 || !hop)
        continue;
      const rt::ChipDesc &chip = net.getChip(index);
      // cost::transferCycles(), checked, in picoseconds.
      std::optional<int64_t> scaled =
          llvm::checkedMul<int64_t>(largestValue, chip.clockMhz);
      std::optional<int64_t> port;
      if (scaled && bandwidth && *bandwidth > 0)
        port = llvm::checkedMul<int64_t>(
            *scaled / *bandwidth + 1 + ::npu::rt::cost::kLinkSetupCycles,
            chip.picosecondsPerCycle());
      hop = port ? llvm::checkedAdd(*hop, *port) : std::nullopt;
    }
    if (!latencyPs || *latencyPs >= kInfinite)
      return outOfRange() << "the link between chip " << link.a
                          << " and chip " << link.b << " has latency_ns "
                          << link.latencyNs << "; at most "
                          << kInfinite / 1000 - 1
                          << " ns fit the partitioner's time range";
    if (!bandwidth)
      return outOfRange() << "the link between chip " << link.a
                          << " and chip " << link.b << " has bandwidth_gbps "
                          << link.bandwidthGBps << "; at most "
                          << std::numeric_limits<int64_t>::max() / 1000
                          << " fit the partitioner's cost arithmetic";
    if (!hop || *hop >= kInfinite)
      return outOfRange()
             << "the link between chip " << link.a << " and chip " << link.b
             << " (latency_ns " << link.latencyNs << ", bandwidth_gbps "
             << link.bandwidthGBps << ") takes more than " << kInfinite
             << " ps to move " << largestValue
             << " bytes, the partitioner's time range";
    if (*hop > worstHop) {
      worstHop = *hop;
      worstLink = &link;
    }
  }
  int64_t horizon = 0;
  int worstNode = -1;
  int64_t worstTime = 0;
  for (int i = 0; i < problem.numNodes(); ++i) {
    int64_t slowest = 0;
    for (int64_t t : problem.time[i])
      if (t < kInfinite)
        slowest = std::max(slowest, t);
    if (slowest > worstTime) {
      worstTime = slowest;
      worstNode = i;
    }
    horizon = llvm::checkedAdd(horizon, slowest).value_or(kInfinite);
  }
  int64_t routeHops = std::max(1, net.getNumChips() - 1);
  std::optional<int64_t> moving = llvm::checkedMul(transfers, routeHops);
  if (moving)
    moving = llvm::checkedMul(*moving, worstHop);
  std::optional<int64_t> total =
      moving ? llvm::checkedAdd(horizon, *moving) : std::nullopt;
  if (total && *total < kInfinite)
    return success();
  InFlightDiagnostic diag = outOfRange();
  diag << "its ops and transfers may add up to more than " << kInfinite
       << " ps, the partitioner's time range";
  if (worstLink && (!moving || *moving >= horizon))
    diag << "; the costliest hop, " << worstHop
         << " ps, is over the link between chip " << worstLink->a
         << " and chip " << worstLink->b << " (latency_ns "
         << worstLink->latencyNs << ", bandwidth_gbps "
         << worstLink->bandwidthGBps << ")";
  else if (worstNode >= 0)
    diag.attachNote(graph.nodes[worstNode].op->getLoc())
        << "the slowest op takes " << worstTime << " ps";
  return diag;
}

LogicalResult PartitionPass::checkFits(const Problem &problem) {
  const Graph &graph = *problem.graph;
  const Interconnect &net = *problem.net;
  struct Misfit {
    int node;
    int chip;
    int64_t extra;
  };
  SmallVector<Misfit> misfits;
  bool ok = true;
  for (int i = 0; i < problem.numNodes(); ++i) {
    if (problem.forced[i] >= 0 || problem.fastest(i) < kInfinite)
      continue;
    int best = -1;
    for (int c = 0; c < problem.numChips(); ++c)
      if (problem.canRun[i][c] &&
          (best < 0 || problem.sram[i][c] - net.getChip(c).sramBytes <
                           problem.sram[i][best] - net.getChip(best).sramBytes))
        best = c;
    if (best < 0) {
      InFlightDiagnostic diag = graph.nodes[i].op->emitOpError()
                                << "cannot run on any chip of system '"
                                << system.name << "'";
      for (int c = 0; c < problem.numChips(); ++c)
        diag.attachNote() << chipLabel(net.getChip(c)) << ": "
                          << problem.whyNot[i][c];
      ok = false;
      continue;
    }
    misfits.push_back(
        {i, best, problem.sram[i][best] - net.getChip(best).sramBytes});
  }
  if (misfits.empty())
    return success(ok);

  // The smallest extra SRAM that makes every op fit on some chip that can
  // run it, were every chip given that much more: the largest of the ops'
  // shortfalls on their roomiest chip.
  const Misfit *worst = &misfits.front();
  for (const Misfit &m : misfits)
    if (m.extra > worst->extra)
      worst = &m;
  const rt::ChipDesc &chip = net.getChip(worst->chip);
  int64_t need = problem.sram[worst->node][worst->chip];
  InFlightDiagnostic diag =
      graph.nodes[worst->node].op->emitOpError()
      << "does not fit system '" << system.name << "': it needs " << need
      << " bytes of SRAM and the roomiest chip that can run it, "
      << chipLabel(chip) << ", has " << chip.sramBytes
      << "; the model fits with " << worst->extra
      << " more bytes of SRAM per chip";
  for (const Misfit &m : misfits)
    if (&m != worst)
      diag.attachNote(graph.nodes[m.node].op->getLoc())
          << "this op needs " << problem.sram[m.node][m.chip]
          << " bytes of SRAM; " << chipLabel(net.getChip(m.chip)) << " has "
          << net.getChip(m.chip).sramBytes;
  return failure();
}

//===----------------------------------------------------------------------===//
// Rewriting
//===----------------------------------------------------------------------===//

/// An entry of a program's stream before it is emitted.
struct Item {
  enum Kind { Recv = 0, Node = 1, Send = 2 };
  int64_t time;
  int order; // producer's node index: a tie-break consistent with data flow
  Kind kind;
  int index; // node or hop
};

LogicalResult PartitionPass::materialize(func::FuncOp func,
                                         const Problem &problem,
                                         const Placement &placement,
                                         SmallVectorImpl<ProgramOp> &programs) {
  const Graph &graph = *problem.graph;
  const Interconnect &net = *problem.net;
  int chips = problem.numChips();
  MLIRContext *context = &getContext();
  Block &body = func.getBody().front();
  Operation *terminator = body.getTerminator();

  // Channels: per ordered pair of chips, numbered in the order of the sends.
  SmallVector<int> order(placement.hops.size());
  for (size_t h = 0; h < order.size(); ++h)
    order[h] = static_cast<int>(h);
  auto hopKey = [&](int h) {
    const Hop &hop = placement.hops[h];
    return std::make_tuple(hop.sendStart, hop.from, hop.to, hop.value, h);
  };
  std::sort(order.begin(), order.end(),
            [&](int a, int b) { return hopKey(a) < hopKey(b); });
  channels.assign(placement.hops.size(), 0);
  std::map<std::pair<int, int>, int64_t> nextChannel;
  for (int h : order) {
    const Hop &hop = placement.hops[h];
    channels[h] = nextChannel[{hop.from, hop.to}]++;
  }

  // Names of the model's inputs and outputs.
  auto nameOf = [&](bool result, unsigned i) {
    auto attr = result ? func.getResultAttrOfType<StringAttr>(i, kNameAttr)
                       : func.getArgAttrOfType<StringAttr>(i, kNameAttr);
    return attr ? attr.str()
                : (result ? "output" : "input") + std::to_string(i);
  };
  for (bool result : {false, true}) {
    llvm::StringSet<> seen;
    unsigned count = result ? func.getNumResults() : func.getNumArguments();
    for (unsigned i = 0; i < count; ++i)
      if (!seen.insert(nameOf(result, i)).second)
        return func.emitOpError()
               << "names two " << (result ? "results" : "arguments") << " '"
               << nameOf(result, i) << "'";
  }

  // Which chips read which model inputs and constants, and hold which
  // results.
  llvm::DenseMap<Value, int> nodeOfValue;
  for (auto [i, node] : llvm::enumerate(graph.nodes))
    for (Value r : node.op->getResults())
      nodeOfValue[r] = static_cast<int>(i);
  std::vector<llvm::SmallDenseSet<Value, 8>> external(chips);
  SmallVector<bool> used(chips, false);
  int firstChip = -1;
  for (auto [i, node] : llvm::enumerate(graph.nodes)) {
    int c = placement.chipOf[i];
    used[c] = true;
    if (firstChip < 0 || c < firstChip)
      firstChip = c;
    for (Value v : node.op->getOperands())
      if (!nodeOfValue.count(v))
        external[c].insert(v);
  }
  for (const Hop &hop : placement.hops)
    used[hop.from] = used[hop.to] = true;
  if (firstChip < 0)
    firstChip = 0;
  SmallVector<int> resultChip;
  for (Value v : terminator->getOperands()) {
    int c = firstChip;
    auto it = nodeOfValue.find(v);
    if (it != nodeOfValue.end()) {
      c = placement.chipOf[it->second];
    } else if (isa<BlockArgument>(v)) {
      for (int d = 0; d < chips; ++d)
        if (external[d].contains(v)) {
          c = d;
          break;
        }
      external[c].insert(v);
    } else {
      external[c].insert(v);
    }
    used[c] = true;
    resultChip.push_back(c);
  }

  // Hops into and out of every chip.
  std::vector<SmallVector<int>> hopsTo(chips), hopsFrom(chips);
  for (auto [h, hop] : llvm::enumerate(placement.hops)) {
    hopsTo[hop.to].push_back(static_cast<int>(h));
    hopsFrom[hop.from].push_back(static_cast<int>(h));
  }
  std::vector<SmallVector<int>> nodesOn(chips);
  for (int i = 0; i < problem.numNodes(); ++i)
    nodesOn[placement.chipOf[i]].push_back(i);

  OpBuilder builder(context);
  builder.setInsertionPoint(func);
  for (int c = 0; c < chips; ++c) {
    if (!used[c])
      continue;
    const rt::ChipDesc &chip = net.getChip(c);
    auto program = ProgramOp::create(
        builder, func.getLoc(),
        (func.getSymName() + "_chip" + std::to_string(chip.id)).str(),
        static_cast<uint64_t>(chip.id));
    programs.push_back(program);
    Block *block = &program.getBody().emplaceBlock();
    OpBuilder b = OpBuilder::atBlockEnd(block);
    IRMapping mapping;

    // Model inputs, in argument order, then constants, in body order.
    for (BlockArgument arg : body.getArguments())
      if (external[c].contains(arg))
        mapping.map(arg, InputOp::create(b, arg.getLoc(), arg.getType(),
                                         nameOf(false, arg.getArgNumber()))
                             .getResult());
    for (Operation &op : body)
      if (op.getNumResults() == 1 && !nodeOfValue.count(op.getResult(0)) &&
          op.getNumOperands() == 0 && external[c].contains(op.getResult(0)))
        b.clone(op, mapping);

    // The stream: receives, ops and sends by predicted time.
    SmallVector<Item> items;
    for (int h : hopsTo[c]) {
      const Hop &hop = placement.hops[h];
      items.push_back(
          {hop.recvEnd, graph.values[hop.value].producer, Item::Recv, h});
    }
    for (int i : nodesOn[c])
      items.push_back({placement.start[i], i, Item::Node, i});
    for (int h : hopsFrom[c]) {
      const Hop &hop = placement.hops[h];
      items.push_back(
          {hop.sendStart, graph.values[hop.value].producer, Item::Send, h});
    }
    auto itemKey = [](const Item &item) {
      return std::make_tuple(item.time, item.order, static_cast<int>(item.kind),
                             item.index);
    };
    std::sort(items.begin(), items.end(), [&](const Item &a, const Item &b) {
      return itemKey(a) < itemKey(b);
    });

    // Emit in that order, unless a local dependence says otherwise (it
    // never should): Kahn's algorithm with the sorted position as priority.
    llvm::DenseMap<int, int> localSource; // value -> item
    for (auto [k, item] : llvm::enumerate(items)) {
      if (item.kind == Item::Recv)
        localSource[placement.hops[item.index].value] = static_cast<int>(k);
      else if (item.kind == Item::Node)
        for (int v : graph.nodes[item.index].results)
          localSource[v] = static_cast<int>(k);
    }
    std::vector<SmallVector<int, 4>> dependents(items.size());
    SmallVector<int> waiting(items.size(), 0);
    for (auto [k, item] : llvm::enumerate(items)) {
      SmallVector<int, 4> reads;
      if (item.kind == Item::Node)
        reads.append(graph.nodes[item.index].operands.begin(),
                     graph.nodes[item.index].operands.end());
      else if (item.kind == Item::Send)
        reads.push_back(placement.hops[item.index].value);
      for (int v : reads) {
        auto it = localSource.find(v);
        if (it == localSource.end())
          return func.emitOpError()
                 << "npu-partition: internal error: a value is used on "
                 << chipLabel(chip) << " but never arrives there";
        dependents[it->second].push_back(static_cast<int>(k));
        ++waiting[k];
      }
    }
    std::priority_queue<int, std::vector<int>, std::greater<int>> ready;
    for (size_t k = 0; k < items.size(); ++k)
      if (waiting[k] == 0)
        ready.push(static_cast<int>(k));
    size_t emitted = 0;
    while (!ready.empty()) {
      int k = ready.top();
      ready.pop();
      ++emitted;
      const Item &item = items[k];
      if (item.kind == Item::Node) {
        Operation *op = graph.nodes[item.index].op;
        Operation *clone = b.clone(*op, mapping);
        clone->removeDiscardableAttr(NPUDialect::getPlaceAttrName());
      } else {
        const Hop &hop = placement.hops[item.index];
        Value original = graph.values[hop.value].ssa;
        Location loc = original.getLoc();
        if (item.kind == Item::Recv) {
          auto recv =
              RecvOp::create(b, loc, original.getType(),
                             static_cast<uint64_t>(net.getChip(hop.from).id),
                             static_cast<uint64_t>(channels[item.index]));
          mapping.map(original, recv.getResult());
        } else {
          SendOp::create(b, loc, mapping.lookup(original),
                         static_cast<uint64_t>(net.getChip(hop.to).id),
                         static_cast<uint64_t>(channels[item.index]));
        }
      }
      for (int d : dependents[k])
        if (--waiting[d] == 0)
          ready.push(d);
    }
    if (emitted != items.size())
      return func.emitOpError()
             << "npu-partition: internal error: cyclic stream on "
             << chipLabel(chip);

    for (auto [r, v] : llvm::enumerate(terminator->getOperands()))
      if (resultChip[r] == c)
        OutputOp::create(b, terminator->getLoc(),
                         nameOf(true, static_cast<unsigned>(r)),
                         mapping.lookup(v));
  }

  // The model's signature, in argument and result order.
  auto signature = [&](bool result) {
    SmallVector<Attribute> sigs;
    TypeRange types = result ? func.getResultTypes() : func.getArgumentTypes();
    for (auto [i, type] : llvm::enumerate(types))
      if (auto tensor = dyn_cast<RankedTensorType>(type))
        sigs.push_back(TensorSigAttr::get(
            context, nameOf(result, static_cast<unsigned>(i)), tensor));
    return ArrayAttr::get(context, sigs);
  };
  module->setAttr(NPUDialect::getInputsAttrName(), signature(false));
  module->setAttr(NPUDialect::getOutputsAttrName(), signature(true));
  func.erase();
  return success();
}

//===----------------------------------------------------------------------===//
// Reports
//===----------------------------------------------------------------------===//

SmallVector<ChipSummary> summarize(const Problem &problem,
                                   const Placement &placement) {
  const Graph &graph = *problem.graph;
  SmallVector<ChipSummary> chips(problem.numChips());
  for (int i = 0; i < problem.numNodes(); ++i) {
    ChipSummary &s = chips[placement.chipOf[i]];
    ++s.ops;
    s.computePs += problem.time[i][placement.chipOf[i]];
  }
  for (const Hop &hop : placement.hops) {
    int64_t bytes = graph.values[hop.value].bytes;
    ChipSummary &from = chips[hop.from], &to = chips[hop.to];
    ++from.sends;
    from.sendBytes += bytes;
    ++to.recvs;
    to.recvBytes += bytes;
    if (placement.chipOf[graph.values[hop.value].producer] != hop.from)
      ++from.relays;
  }
  return chips;
}

LogicalResult PartitionPass::writeReport(ModuleOp module, StringRef funcName,
                                         Location funcLoc,
                                         const Problem &problem,
                                         const Placement &placement,
                                         ArrayRef<Placement> candidates,
                                         const Bounds &bounds,
                                         const std::optional<Scheduled> &scheduled,
                                         ArrayRef<ProgramOp> programs) {
  const Interconnect &net = *problem.net;
  SmallVector<ChipSummary> chips = summarize(problem, placement);
  std::string summary = llvm::formatv(
      "strategy {0} (objective {1}): latency {2} ps, bound {3} ps, ratio {4}; "
      "interval {5} ps, bound {6} ps, ratio {7}",
      placement.strategy, objective, placement.latency, bounds.latency,
      ratio(placement.latency, bounds.latency), placement.interval,
      bounds.interval, ratio(placement.interval, bounds.interval));
  std::string exact =
      scheduled
          ? std::string(llvm::formatv(
                "scheduled programs (exact, as npu-report-budgets): latency "
                "{0} ps, ratio {1}; stream interval {2} ps, ratio {3}",
                scheduled->latency, ratio(scheduled->latency, bounds.latency),
                scheduled->interval,
                ratio(scheduled->interval, bounds.interval)))
          : std::string("scheduled programs: none (the programs do not "
                        "compile)");
  if (report == "remarks") {
    // At locations, not on ops, so that the remarks do not print the IR.
    emitRemark(funcLoc) << "npu-partition: " << summary;
    emitRemark(funcLoc) << "npu-partition: " << exact;
    for (ProgramOp program : programs) {
      int c = net.indexOf(static_cast<int64_t>(program.getChip()));
      const ChipSummary &s = chips[c];
      emitRemark(program.getLoc())
          << "@" << program.getSymName() << " on " << chipLabel(net.getChip(c))
          << ": " << s.ops << " ops, compute " << s.computePs << " ps, "
          << s.sends << " sends (" << s.sendBytes << " bytes, " << s.relays
          << " relayed), " << s.recvs << " receives (" << s.recvBytes
          << " bytes)";
    }
    return success();
  }

  std::string error;
  auto file = openOutputFile(reportFile, &error);
  if (!file)
    return module.emitError() << "npu-partition: " << error;
  raw_ostream &os = file->os();
  if (report == "table") {
    os << llvm::formatv("Partition of @{0} on system '{1}': {2}\n", funcName,
                        system.name, summary);
    os << llvm::formatv("{0,-4} {1,-12} {2,6} {3,14} {4,6} {5,12} {6,6} "
                        "{7,12} {8,7}\n",
                        "chip", "name", "ops", "compute (ns)", "sends",
                        "send B", "recvs", "recv B", "relays");
    for (int c = 0; c < problem.numChips(); ++c) {
      const ChipSummary &s = chips[c];
      os << llvm::formatv("{0,-4} {1,-12} {2,6} {3,14} {4,6} {5,12} {6,6} "
                          "{7,12} {8,7}\n",
                          net.getChip(c).id, net.getChip(c).name, s.ops,
                          nanoseconds(s.computePs), s.sends, s.sendBytes,
                          s.recvs, s.recvBytes, s.relays);
    }
    os << llvm::formatv("latency   {0,14} ns   bound {1,14} ns   ratio {2}\n",
                        nanoseconds(placement.latency),
                        nanoseconds(bounds.latency),
                        ratio(placement.latency, bounds.latency));
    os << llvm::formatv("interval  {0,14} ns   bound {1,14} ns   ratio {2}\n",
                        nanoseconds(placement.interval),
                        nanoseconds(bounds.interval),
                        ratio(placement.interval, bounds.interval));
    if (scheduled)
      os << llvm::formatv("scheduled {0,14} ns   interval {1,14} ns   "
                          "ratios {2} / {3} (the compiled programs, exact)\n",
                          nanoseconds(scheduled->latency),
                          nanoseconds(scheduled->interval),
                          ratio(scheduled->latency, bounds.latency),
                          ratio(scheduled->interval, bounds.interval));
    else
      os << "scheduled: none (the programs do not compile)\n";
    os << llvm::formatv(
        "bounds: critical path {0} ns, with transfers {1} ns, work per chip "
        "{2} ns (even share {3} ns of {4} ns over {5} chips, weighted share "
        "{6} ns), weighted share with sends {7} ns, send or keep {8} ns, "
        "packing {9} ns, packing with forced sends {10} ns, largest op {11} "
        "ns\n",
        nanoseconds(bounds.criticalPath), nanoseconds(bounds.transferPath),
        nanoseconds(bounds.workPerChip), nanoseconds(bounds.evenShare),
        nanoseconds(bounds.totalWork), bounds.usableChips,
        nanoseconds(bounds.weightedShare), nanoseconds(bounds.sendShare),
        nanoseconds(bounds.sendOrKeep), nanoseconds(bounds.packing),
        nanoseconds(bounds.sendPacking), nanoseconds(bounds.largestOp));
    for (const Placement &p : candidates)
      os << llvm::formatv("candidate {0,-9} latency {1,14} ns   interval "
                          "{2,14} ns\n",
                          p.strategy, nanoseconds(p.latency),
                          nanoseconds(p.interval));
  } else {
    llvm::json::Array chipArray;
    for (int c = 0; c < problem.numChips(); ++c) {
      const ChipSummary &s = chips[c];
      chipArray.push_back(llvm::json::Object{{"chip", net.getChip(c).id},
                                             {"name", net.getChip(c).name},
                                             {"ops", s.ops},
                                             {"compute_ps", s.computePs},
                                             {"sends", s.sends},
                                             {"send_bytes", s.sendBytes},
                                             {"relays", s.relays},
                                             {"recvs", s.recvs},
                                             {"recv_bytes", s.recvBytes}});
    }
    llvm::json::Array candidateArray;
    for (const Placement &p : candidates)
      candidateArray.push_back(llvm::json::Object{{"strategy", p.strategy},
                                                  {"latency_ps", p.latency},
                                                  {"interval_ps", p.interval}});
    llvm::json::Array hopArray;
    for (auto [h, hop] : llvm::enumerate(placement.hops))
      hopArray.push_back(
          llvm::json::Object{{"from", net.getChip(hop.from).id},
                             {"to", net.getChip(hop.to).id},
                             {"channel", channels[h]},
                             {"bytes", problem.graph->values[hop.value].bytes},
                             {"send_start_ps", hop.sendStart},
                             {"recv_end_ps", hop.recvEnd}});
    llvm::json::Object root{
        {"function", funcName.str()},
        {"system", system.name},
        {"strategy", placement.strategy},
        {"objective", objective},
        {"latency_ps", placement.latency},
        {"latency_bound_ps", bounds.latency},
        {"latency_ratio",
         placement.latency / std::max<double>(1.0, bounds.latency)},
        {"interval_ps", placement.interval},
        {"interval_bound_ps", bounds.interval},
        {"interval_ratio",
         placement.interval / std::max<double>(1.0, bounds.interval)},
        {"bounds",
         llvm::json::Object{{"critical_path_ps", bounds.criticalPath},
                            {"transfer_path_ps", bounds.transferPath},
                            {"work_per_chip_ps", bounds.workPerChip},
                            {"send_share_ps", bounds.sendShare},
                            {"send_or_keep_ps", bounds.sendOrKeep},
                            {"packing_ps", bounds.packing},
                            {"send_packing_ps", bounds.sendPacking},
                            {"even_share_ps", bounds.evenShare},
                            {"weighted_share_ps", bounds.weightedShare},
                            {"total_work_ps", bounds.totalWork},
                            {"usable_chips", bounds.usableChips},
                            {"largest_op_ps", bounds.largestOp}}},
        {"scheduled",
         scheduled ? llvm::json::Value(llvm::json::Object{
                         {"latency_ps", scheduled->latency},
                         {"interval_ps", scheduled->interval},
                         {"steady_latency_ps", scheduled->steadyLatency}})
                   : llvm::json::Value(nullptr)},
        {"candidates", std::move(candidateArray)},
        {"chips", std::move(chipArray)},
        {"hops", std::move(hopArray)}};
    os << llvm::formatv("{0:2}", llvm::json::Value(std::move(root))) << "\n";
  }
  file->keep();
  return success();
}

LogicalResult PartitionPass::writeDot(const Problem &problem,
                                      const Placement &placement,
                                      ArrayRef<std::string> names) {
  const Graph &graph = *problem.graph;
  const Interconnect &net = *problem.net;
  static const char *const palette[] = {
      "#8dd3c7", "#ffffb3", "#bebada", "#fb8072", "#80b1d3", "#fdb462",
      "#b3de69", "#fccde5", "#d9d9d9", "#bc80bd", "#ccebc5", "#ffed6f",
      "#a6cee3", "#b2df8a", "#fb9a99", "#cab2d6"};
  auto color = [&](int c) { return palette[c % std::size(palette)]; };

  std::string error;
  auto file = openOutputFile(dot, &error);
  if (!file)
    return module.emitError() << "npu-partition: " << error;
  raw_ostream &os = file->os();
  os << "digraph partition {\n"
     << "  label=\"" << system.name << ": " << placement.strategy
     << ", latency " << nanoseconds(placement.latency) << " ns, interval "
     << nanoseconds(placement.interval) << " ns\";\n"
     << "  node [shape=box, style=\"rounded,filled\", fontname=Helvetica];\n"
     << "  edge [fontname=Helvetica, fontsize=10];\n"
     << "  subgraph cluster_legend {\n    label=\"chips\";\n";
  for (int c = 0; c < problem.numChips(); ++c)
    os << "    chip" << c << " [label=\"" << chipLabel(net.getChip(c)) << "\\n"
       << rt::toString(net.getChip(c).kind) << "\", fillcolor=\"" << color(c)
       << "\"];\n";
  os << "  }\n";
  for (int i = 0; i < problem.numNodes(); ++i) {
    int c = placement.chipOf[i];
    int64_t cycles = problem.time[i][c] / net.getChip(c).picosecondsPerCycle();
    os << "  n" << i << " [label=\"" << names[i] << "\\n"
       << opNames[i] << "\\n"
       << cycles << " cycles on chip " << net.getChip(c).id
       << "\", fillcolor=\"" << color(c) << "\"];\n";
  }
  // The hops of each value into each chip, to label cross-chip edges.
  std::map<std::pair<int, int>, int> hopInto;
  for (auto [h, hop] : llvm::enumerate(placement.hops))
    hopInto[{hop.value, hop.to}] = static_cast<int>(h);
  for (int i = 0; i < problem.numNodes(); ++i)
    for (int v : graph.nodes[i].operands) {
      int p = graph.values[v].producer;
      int from = placement.chipOf[p], to = placement.chipOf[i];
      os << "  n" << p << " -> n" << i;
      if (from == to) {
        os << ";\n";
        continue;
      }
      // Walk the hops back from the consumer's chip to the producer's.
      int64_t cycles = 0;
      SmallVector<int> route{to};
      for (int at = to; at != from;) {
        auto it = hopInto.find({v, at});
        if (it == hopInto.end())
          break;
        const Hop &hop = placement.hops[it->second];
        cycles += (hop.sendEnd - hop.sendStart) /
                  net.getChip(hop.from).picosecondsPerCycle();
        at = hop.from;
        route.push_back(at);
      }
      os << " [color=\"#d62728\", penwidth=2, label=\"" << graph.values[v].bytes
         << " B, " << cycles << " cycles";
      if (route.size() > 2) {
        os << "\\nvia ";
        for (size_t k = route.size(); k-- > 0;)
          os << net.getChip(route[k]).id << (k ? "→" : "");
      }
      os << "\"];\n";
    }
  os << "}\n";
  file->keep();
  return success();
}

//===----------------------------------------------------------------------===//
// The pass
//===----------------------------------------------------------------------===//

LogicalResult PartitionPass::run() {
  module = getOperation();
  if (strategy != "auto" && strategy != "pipeline" && strategy != "list" &&
      strategy != "even" && strategy != "greedy")
    return module.emitError()
           << "npu-partition: unknown strategy '" << strategy
           << "'; expected pipeline, list, auto, even or greedy";
  if (objective != "latency" && objective != "throughput")
    return module.emitError()
           << "npu-partition: unknown objective '" << objective
           << "'; expected latency or throughput";
  if (report != "none" && report != "remarks" && report != "table" &&
      report != "json")
    return module.emitError() << "npu-partition: unknown report '" << report
                              << "'; expected none, remarks, table or json";

  SystemAttr systemAttr = getSystemAttr(module);
  if (!systemAttr)
    return module.emitError() << "npu-partition needs the module's '"
                              << NPUDialect::getSystemAttrName()
                              << "' (run --npu-set-system first)";
  system = toSystemDesc(systemAttr);
  SmallVector<func::FuncOp> funcs(module.getOps<func::FuncOp>());
  if (funcs.size() != 1)
    return module.emitError() << "npu-partition expects exactly one "
                                 "func.func (the model), found "
                              << funcs.size();
  func::FuncOp func = funcs.front();
  if (!func.getBody().hasOneBlock())
    return func.emitOpError() << "must have a single block to be partitioned";

  Interconnect net(system);
  SmallVector<int> unreachable = net.getUnreachableChips();
  if (!unreachable.empty()) {
    InFlightDiagnostic diag = module.emitError() << "system '" << system.name
                                                 << "' is not connected: ";
    for (auto [k, c] : llvm::enumerate(unreachable))
      diag << (k ? ", " : "") << chipLabel(net.getChip(c));
    diag << (unreachable.size() == 1 ? " has" : " have")
         << " no route over the links to " << chipLabel(net.getChip(0));
    return failure();
  }

  Graph graph = buildGraph(func);
  labels.clear();
  opNames.clear();
  SmallVector<std::string> names;
  for (auto [i, node] : llvm::enumerate(graph.nodes)) {
    labels.push_back(locationName(node.op->getLoc()));
    opNames.push_back(node.op->getName().getStringRef().str());
    names.push_back(labels.back().empty()
                        ? node.op->getName().getStringRef().str() + "#" +
                              std::to_string(i)
                        : labels.back());
  }
  Problem problem;
  problem.graph = &graph;
  problem.net = &net;
  OpCostModel model(&getContext());
  computeCosts(problem, model);
  numLowerings = model.getNumLowerings();
  if (failed(readOverrides(problem)) || failed(checkFits(problem)) ||
      failed(checkTimeRange(module, problem)))
    return failure();

  std::vector<Placement> candidates;
  if (strategy == "even" || strategy == "greedy") {
    // The baselines, to judge the other strategies by (bench_partition.py).
    std::optional<Placement> p =
        strategy == "even" ? placeEven(problem) : placeGreedy(problem);
    if (!p)
      return module.emitError()
             << "npu-partition: strategy " << strategy
             << " finds no chip with room left in DRAM for some op";
    candidates.push_back(std::move(*p));
  }
  if (strategy == "auto" || strategy == "pipeline") {
    if (std::optional<Placement> p = placePipeline(problem))
      candidates.push_back(std::move(*p));
    else if (strategy == "pipeline")
      return module.emitError()
             << "npu-partition: no pipeline along the chip path of system '"
             << system.name
             << "' (or its reverse) runs every op on a chip that can run it, "
                "within the chips' memory and the forced placements; try "
                "strategy=list";
  }
  if (strategy == "auto" || strategy == "list") {
    if (std::optional<Placement> p = placeList(problem))
      candidates.push_back(std::move(*p));
    else if (candidates.empty())
      return module.emitError()
             << "npu-partition: the model's weights do not fit the DRAM of "
                "the chips that can run its ops";
  }
  auto key = [&](const Placement &p) {
    return objective == "latency" ? std::make_pair(p.latency, p.interval)
                                  : std::make_pair(p.interval, p.latency);
  };
  // Local search for the objective (auto only), from every candidate and
  // from the two splits (placeSplit); the best result is one more
  // candidate.
  if (strategy == "auto") {
    std::vector<Placement> starts = candidates;
    for (bool balanced : {false, true})
      if (std::optional<Placement> p = placeSplit(problem, balanced))
        starts.push_back(std::move(*p));
    std::optional<Placement> best;
    for (const Placement &start : starts) {
      Placement p = objective == "latency" ? refineLatency(problem, start)
                                           : refineInterval(problem, start);
      if (!best || key(p) < key(*best))
        best = std::move(p);
    }
    if (best)
      candidates.push_back(std::move(*best));
  }
  const Placement *chosen = &candidates.front();
  for (const Placement &p : candidates)
    if (key(p) < key(*chosen))
      chosen = &p;
  Placement placement = *chosen;
  Bounds bounds = computeBounds(problem);
  LLVM_DEBUG(llvm::dbgs() << "npu-partition: " << placement.strategy
                          << " latency " << placement.latency << " interval "
                          << placement.interval << "\n");

  // The function is erased by the rewrite; the reports still name it.
  std::string funcName = func.getSymName().str();
  Location funcLoc = func.getLoc();
  SmallVector<ProgramOp> programs;
  if (failed(materialize(func, problem, placement, programs)))
    return failure();
  numPrograms = programs.size();
  numHops = placement.hops.size();
  for (const Hop &hop : placement.hops)
    if (placement.chipOf[graph.values[hop.value].producer] != hop.from)
      ++numRelays;

  // The exact figures: the programs compiled and scheduled. A placement
  // whose programs do not compile (the SRAM of a chip is checked per op,
  // not per program) is reported, not hidden.
  std::string scheduleError;
  std::optional<Scheduled> scheduled;
  if (schedule) {
    scheduled = scheduleCopy(module, scheduleError);
    if (!scheduled)
      emitWarning(funcLoc) << "npu-partition: the programs of this placement "
                              "do not compile: "
                           << scheduleError;
  }

  Builder b(&getContext());
  SmallVector<NamedAttribute> attrs = {
      b.getNamedAttr("strategy", b.getStringAttr(placement.strategy)),
      b.getNamedAttr("objective", b.getStringAttr(objective)),
      b.getNamedAttr("latency", b.getI64IntegerAttr(placement.latency)),
      b.getNamedAttr("latency_bound", b.getI64IntegerAttr(bounds.latency)),
      b.getNamedAttr("throughput_interval",
                     b.getI64IntegerAttr(placement.interval)),
      b.getNamedAttr("interval_bound", b.getI64IntegerAttr(bounds.interval))};
  if (scheduled) {
    attrs.push_back(b.getNamedAttr("scheduled_latency",
                                   b.getI64IntegerAttr(scheduled->latency)));
    attrs.push_back(b.getNamedAttr("scheduled_interval",
                                   b.getI64IntegerAttr(scheduled->interval)));
  }
  module->setAttr(NPUDialect::getPartitionAttrName(),
                  b.getDictionaryAttr(attrs));

  if (report != "none" &&
      failed(writeReport(module, funcName, funcLoc, problem, placement,
                         candidates, bounds, scheduled, programs)))
    return failure();
  if (!dot.empty() && failed(writeDot(problem, placement, names)))
    return failure();
  return success();
}

} // namespace
