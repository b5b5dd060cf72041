//===- Schedule.cpp - Static schedule and exact budgets -------------------===//
//
// The compiler's implementation of docs/execution-model.md. Every program is
// a stream of instructions; a path fixes which exit checks are confident.
// For each path of each program, the whole system is evaluated with that
// program on that path and every other program on its "full" path: each
// chip's stream in order, suspended at a receive whose send has not been
// evaluated yet, until every chip that runs has halted.
//
//===----------------------------------------------------------------------===//

#include "npu/Analysis/Schedule.h"
#include "npu/Dialect/NPU/NPUDialect.h"
// Only for kSegmentsAttrName: NPUAnalysis does not link NPUTargetBinary (which
// links NPUAnalysis), so the segments are read here, not by getSegments().
#include "npu/Target/Binary.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/MathExtras.h"

#include <limits>
#include <map>
#include <tuple>

#define DEBUG_TYPE "npu-schedule"

using namespace mlir;
using namespace mlir::npu;
namespace cost = ::npu::rt::cost;
namespace rt = ::npu::rt;

namespace {

using Path = ExecutionPath;

/// Appends the paths through `block` to `paths`, `prefix` leading each. An
/// exit check forks: its exit path continues into its region, the other
/// path after it. Checks are numbered in stream order.
void collectPaths(Block &block, SmallVector<npuisa::CostOpInterface> prefix,
                  const std::string &name, int &exitCounter,
                  SmallVectorImpl<std::pair<int, Path>> &paths, int ordinal) {
  for (Operation &op : block) {
    if (auto instr = dyn_cast<npuisa::CostOpInterface>(op))
      prefix.push_back(instr);
    if (auto check = dyn_cast<npuisa::ExitCheckOp>(op)) {
      int n = ++exitCounter;
      collectPaths(check.getExitPath().front(), prefix,
                   "exit " + std::to_string(n), exitCounter, paths, n);
    }
  }
  paths.push_back({ordinal, Path{name, std::move(prefix)}});
}

/// Per-chip state while evaluating one system run.
struct ChipRun {
  npuisa::ProgramOp program;
  const rt::ChipDesc *chip = nullptr;
  const Path *path = nullptr;
  size_t pc = 0;
  bool asleep = false;
  bool started = false;
  bool halted = false;
  int64_t startCycle = 0;
  int64_t issue = 0;
  std::array<int64_t, cost::kNumEngines> free = {};
  llvm::DenseMap<uint64_t, SmallVector<int64_t>> signalFinish;
  llvm::DenseMap<uint64_t, int64_t> waitsSeen;
  /// Per receive key (from chip, channel): how many were consumed.
  std::map<std::pair<int64_t, int64_t>, int64_t> recvsSeen;
  /// Executed instructions with their cost and timing, in stream order.
  struct Executed {
    npuisa::CostOpInterface instr;
    cost::InstrCost cost;
    InstrTiming timing;
  };
  SmallVector<Executed> executed;
  int64_t haltFinish = 0;
};

/// Evaluates one system run: `paths[i]` is the path of program i.
class SystemRun {
public:
  SystemRun(const rt::SystemDesc &system, MutableArrayRef<npuisa::ProgramOp> programs,
            ArrayRef<const Path *> paths, const llvm::DenseSet<int64_t> &sleepers)
      : system(system) {
    for (auto [program, path] : llvm::zip(programs, paths)) {
      ChipRun run;
      run.program = program;
      run.chip = system.findChip(program.getChip());
      run.path = path;
      run.asleep = sleepers.contains(run.chip->id);
      run.started = !run.asleep;
      runs.push_back(std::move(run));
    }
  }

  /// Evaluates until every chip that runs has halted. Fails with a
  /// diagnostic on deadlock.
  LogicalResult evaluate() {
    bool progress = true;
    while (progress) {
      progress = false;
      for (ChipRun &run : runs)
        while (run.started && !run.halted && step(run))
          progress = true;
    }
    for (ChipRun &run : runs) {
      if (!run.started || run.halted)
        continue;
      auto recv = cast<npuisa::RecvOp>(run.path->instrs[run.pc]);
      return recv.emitOpError()
             << "deadlocks: chip " << run.chip->id
             << " waits for a message from chip " << recv.getChip()
             << " on channel " << recv.getChannel()
             << " that is never sent";
    }
    return success();
  }

  const std::vector<ChipRun> &getRuns() const { return runs; }

private:
  const rt::SystemDesc &system;
  std::vector<ChipRun> runs;
  /// (from, to, channel) -> start of each send, in ps, in stream order.
  std::map<std::tuple<int64_t, int64_t, int64_t>, SmallVector<int64_t>> sends;

  ChipRun *findRun(int64_t chip) {
    for (ChipRun &run : runs)
      if (run.chip->id == chip)
        return &run;
    return nullptr;
  }

  /// Evaluates the next instruction of `run`; returns false when it must
  /// wait for a message not sent yet.
  bool step(ChipRun &run) {
    npuisa::CostOpInterface instr = run.path->instrs[run.pc];
    Operation *op = instr.getOperation();
    const rt::ChipDesc &chip = *run.chip;
    int64_t ps = chip.picosecondsPerCycle();
    cost::InstrCost c = instr.getCost(system, chip);
    int e = static_cast<int>(c.engine);
    int64_t extra = 0;

    if (auto wait = dyn_cast<npuisa::WaitOp>(op)) {
      int64_t k = run.waitsSeen[wait.getToken()]++;
      // The verifier guarantees the k-th signal precedes this wait.
      extra = run.signalFinish[wait.getToken()][k];
    } else if (auto recv = dyn_cast<npuisa::RecvOp>(op)) {
      int64_t from = recv.getChip(), channel = recv.getChannel();
      auto it = sends.find({from, chip.id, channel});
      int64_t k = run.recvsSeen[{from, channel}];
      if (it == sends.end() || static_cast<int64_t>(it->second.size()) <= k)
        return false;
      ++run.recvsSeen[{from, channel}];
      const rt::LinkDesc *link = system.findLink(from, chip.id);
      int64_t arrival = it->second[k] + link->latencyNs * 1000;
      extra = cost::ceilDiv(arrival, ps);
    } else if (isa<npuisa::HaltOp>(op)) {
      for (int64_t f : run.free)
        extra = std::max(extra, f);
    }

    int64_t start = std::max({run.free[e], run.issue, extra});
    int64_t finish = start + c.cycles;
    run.free[e] = finish;
    run.executed.push_back({instr, c, InstrTiming{start, c.cycles}});

    if (auto signal = dyn_cast<npuisa::SignalOp>(op)) {
      run.signalFinish[signal.getToken()].push_back(finish);
    } else if (auto send = dyn_cast<npuisa::SendOp>(op)) {
      sends[{chip.id, static_cast<int64_t>(send.getChip()),
             static_cast<int64_t>(send.getChannel())}]
          .push_back(start * ps);
    } else if (isa<npuisa::ExitCheckOp>(op)) {
      run.issue = finish;
    } else if (auto escalate = dyn_cast<npuisa::EscalateOp>(op)) {
      ChipRun *target = findRun(escalate.getChip());
      if (target && target->asleep && !target->started) {
        const rt::ChipDesc &x = *target->chip;
        target->started = true;
        target->startCycle =
            cost::ceilDiv(finish * ps, x.picosecondsPerCycle()) +
            x.power.wakeCycles;
        target->issue = target->startCycle;
        target->free.fill(target->startCycle);
      }
    } else if (isa<npuisa::HaltOp>(op)) {
      run.halted = true;
      run.haltFinish = finish;
    }
    ++run.pc;
    return true;
  }
};

/// One past the highest DRAM byte of the segments of `program`
/// (`npuisa.segments`: an array of {dram = <integer>, data = <elements>};
/// each segment occupies [dram, dram + number of elements * element bytes)).
/// The attribute's rules are checked by getSegments() when the module is
/// encoded; an entry that breaks them (wrong form, negative offset, element
/// type without a byte encoding, dynamic shape, empty, overflow) adds nothing
/// here.
int64_t segmentsDramEnd(npuisa::ProgramOp program) {
  auto array = program->getAttrOfType<ArrayAttr>(kSegmentsAttrName);
  if (!array)
    return 0;
  int64_t end = 0;
  for (Attribute element : array) {
    auto dict = dyn_cast<DictionaryAttr>(element);
    if (!dict)
      continue;
    auto dram = dict.getAs<IntegerAttr>("dram");
    auto data = dict.getAs<ElementsAttr>("data");
    if (!dram || !isa<IntegerType, IndexType>(dram.getType()) ||
        !isa_and_present<DenseIntOrFPElementsAttr, DenseResourceElementsAttr>(
            data))
      continue;
    const APInt &value = dram.getValue();
    bool isUnsigned = dram.getType().isUnsignedInteger();
    if (isUnsigned ? value.getActiveBits() > 63
                   : value.getSignificantBits() > 64 || value.isNegative())
      continue;
    int64_t offset = isUnsigned ? static_cast<int64_t>(value.getZExtValue())
                                : value.getSExtValue();
    ShapedType type = data.getShapedType();
    Type elementType = type.getElementType();
    if (!type.hasStaticShape() || !isa<IntegerType, FloatType>(elementType))
      continue;
    unsigned bits = elementType.getIntOrFloatBitWidth();
    if (bits == 0 || bits % 8 != 0)
      continue;
    int64_t bytes, segmentEnd;
    if (llvm::MulOverflow(type.getNumElements(), static_cast<int64_t>(bits / 8),
                          bytes) ||
        bytes == 0 || llvm::AddOverflow(offset, bytes, segmentEnd))
      continue;
    end = std::max(end, segmentEnd);
  }
  return end;
}

/// The budget of `run` (docs/execution-model.md, "What is measured").
PathBudget measure(const ChipRun &run, const std::string &pathName) {
  PathBudget budget;
  budget.path = pathName;
  if (!run.started)
    return budget;
  const rt::ChipDesc &chip = *run.chip;
  int64_t ps = chip.picosecondsPerCycle();
  budget.startCycle = run.startCycle;
  budget.cycles = run.haltFinish - run.startCycle;
  // Peak DRAM: the segments the loader places, then every executed access.
  budget.peakDramBytes = segmentsDramEnd(run.program);

  SmallVector<std::pair<int64_t, int64_t>> busy;
  SmallVector<npuisa::BufferAccess> accesses;
  for (const ChipRun::Executed &x : run.executed) {
    budget.engineBusy[static_cast<int>(x.cost.engine)] += x.cost.cycles;
    budget.hostBytes += x.cost.hostBytes;
    budget.dramBytes += x.cost.dramBytes;
    budget.linkBytes += x.cost.linkBytes;
    if (x.timing.cycles > 0)
      busy.push_back({x.timing.start, x.timing.start + x.timing.cycles});
    accesses.clear();
    npuisa::CostOpInterface(x.instr).getBufferAccesses(accesses);
    for (const npuisa::BufferAccess &a : accesses) {
      if (a.space == npuisa::MemorySpace::SRAM)
        budget.peakSramBytes =
            std::max(budget.peakSramBytes, a.offset + a.bytes);
      else if (a.space == npuisa::MemorySpace::DRAM)
        budget.peakDramBytes =
            std::max(budget.peakDramBytes, a.offset + a.bytes);
    }
  }

  // Cycles in which at least one engine is busy: the union of the
  // instructions' [start, finish) intervals.
  llvm::sort(busy);
  int64_t active = 0, coveredUntil = run.startCycle;
  for (auto [from, to] : busy) {
    from = std::max(from, coveredUntil);
    if (to > from) {
      active += to - from;
      coveredUntil = to;
    }
  }
  int64_t idle = budget.cycles - active;
  budget.energyFj = cost::energyFj(active, chip.power.activeMw, ps) +
                    cost::energyFj(idle, chip.power.idleMw, ps);
  if (run.asleep)
    budget.energyFj += cost::energyFj(run.startCycle, chip.power.offMw, ps) +
                       chip.power.wakeEnergyNj * 1000000;
  return budget;
}

} // namespace

ScheduleAnalysis::ScheduleAnalysis(Operation *op) {
  auto module = dyn_cast<ModuleOp>(op);
  SystemAttr attr = module ? getSystemAttr(module) : SystemAttr();
  SmallVector<npuisa::ProgramOp> programs;
  if (module)
    programs = llvm::to_vector(module.getOps<npuisa::ProgramOp>());
  if (programs.empty())
    return;
  if (!attr) {
    op->emitError() << "scheduling needs the module's '"
                    << NPUDialect::getSystemAttrName() << "'";
    hasFailed = true;
    return;
  }
  rt::SystemDesc system = toSystemDesc(attr);

  // Chips woken by an escalation start asleep.
  llvm::DenseSet<int64_t> sleepers;
  for (npuisa::ProgramOp program : programs)
    program.walk([&](npuisa::EscalateOp escalate) {
      sleepers.insert(escalate.getChip());
    });

  SmallVector<SmallVector<Path>> pathsOf;
  for (npuisa::ProgramOp program : programs)
    pathsOf.push_back(enumeratePaths(program));
  SmallVector<const Path *> fullPaths;
  for (SmallVector<Path> &paths : pathsOf)
    fullPaths.push_back(&paths.back());

  for (auto [index, program] : llvm::enumerate(programs)) {
    ProgramBudget budget;
    budget.program = program;
    budget.chip = program.getChip();
    budget.startsAsleep = sleepers.contains(budget.chip);
    for (const Path &path : pathsOf[index]) {
      SmallVector<const Path *> assignment(fullPaths);
      assignment[index] = &path;
      SystemRun run(system, programs, assignment, sleepers);
      if (::mlir::failed(run.evaluate())) {
        hasFailed = true;
        return;
      }
      const ChipRun &mine = run.getRuns()[index];
      budget.paths.push_back(measure(mine, path.name));
      for (ChipRun::Executed x : mine.executed)
        timings.try_emplace(x.instr.getOperation(), x.timing);
    }
    budgets.push_back(std::move(budget));
  }
}

SmallVector<ExecutionPath>
mlir::npu::enumeratePaths(npuisa::ProgramOp program) {
  SmallVector<std::pair<int, Path>> numbered;
  int exitCounter = 0;
  // "full" gets the largest ordinal so it sorts last.
  collectPaths(program.getBody().front(), {}, "full", exitCounter, numbered,
               std::numeric_limits<int>::max());
  // Ordinals are unique (exit numbers, then "full"), so any sort is stable.
  llvm::sort(numbered, [](const auto &a, const auto &b) {
    return a.first < b.first;
  });
  SmallVector<ExecutionPath> paths;
  for (auto &entry : numbered)
    paths.push_back(std::move(entry.second));
  return paths;
}

std::optional<InstrTiming> ScheduleAnalysis::getTiming(Operation *instr) const {
  auto it = timings.find(instr);
  if (it == timings.end())
    return std::nullopt;
  return it->second;
}
