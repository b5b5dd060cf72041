//===- Schedule.cpp - Static schedule and exact budgets -------------------===//
//
// The compiler's implementation of docs/execution-model.md. Every program is
// a stream of instructions; a path fixes which exit checks are confident.
// For each path of each program, the whole system is evaluated with that
// program on that path and every other program on its "full" path: each
// chip's stream in order, suspended at a receive whose send has not been
// evaluated yet, until every chip that runs has halted. A chip that starts
// asleep is evaluated twice per path: woken cold and woken in standby.
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
#include <numeric>
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
  /// Asleep, but woken in standby: no wake cycles, idle power until then.
  bool standby = false;
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
  /// `standby`: the sleeping chips that are woken in standby.
  SystemRun(const rt::SystemDesc &system,
            MutableArrayRef<npuisa::ProgramOp> programs,
            ArrayRef<const Path *> paths,
            const llvm::DenseSet<int64_t> &sleepers,
            const llvm::DenseSet<int64_t> &standby = {})
      : system(system) {
    for (auto [program, path] : llvm::zip(programs, paths)) {
      ChipRun run;
      run.program = program;
      run.chip = system.findChip(program.getChip());
      run.path = path;
      run.asleep = sleepers.contains(run.chip->id);
      run.standby = run.asleep && standby.contains(run.chip->id);
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
            (target->standby ? 0 : x.power.wakeCycles);
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

/// `cycles` at `mw` on a chip of `ps` picoseconds per cycle, in fJ, added to
/// `total`; false when a product or the sum overflows 64 bits.
bool addEnergy(int64_t &total, int64_t cycles, int64_t mw, int64_t ps) {
  int64_t product;
  return !llvm::MulOverflow(cycles, ps, product) &&
         !llvm::MulOverflow(product, mw, product) &&
         !llvm::AddOverflow(total, product, total);
}

/// The budget of `run` (docs/execution-model.md, "What is measured"); fails
/// with a diagnostic when its energy does not fit 64 bits of femtojoules.
FailureOr<PathBudget> measure(const ChipRun &run, const std::string &pathName) {
  PathBudget budget;
  budget.path = pathName;
  budget.standby = run.standby;
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
  int64_t energy = 0, wake = 0;
  bool fits = addEnergy(energy, active, chip.power.activeMw, ps) &&
              addEnergy(energy, idle, chip.power.idleMw, ps);
  if (run.standby)
    fits = fits && addEnergy(energy, run.startCycle, chip.power.idleMw, ps);
  else if (run.asleep)
    fits = fits && addEnergy(energy, run.startCycle, chip.power.offMw, ps) &&
           !llvm::MulOverflow(chip.power.wakeEnergyNj, int64_t(1000000),
                              wake) &&
           !llvm::AddOverflow(energy, wake, energy);
  if (!fits)
    return npuisa::ProgramOp(run.program).emitOpError()
           << "the energy of path '" << pathName << "' on chip " << chip.id
           << " overflows 64 bits of femtojoules (" << budget.cycles
           << " cycles of " << ps << " ps at up to "
           << std::max(chip.power.activeMw, chip.power.idleMw)
           << " mW); the system's power or clock is out of proportion";
  budget.energyFj = energy;
  return budget;
}

//===----------------------------------------------------------------------===//
// Streams
//===----------------------------------------------------------------------===//

/// What the timing rules need of an instruction, so that the many runs of a
/// stream are evaluated without going back to the ops.
struct TimedInstr {
  enum Kind : uint8_t { Plain, Send, Recv, Signal, Wait, Halt };
  Kind kind = Plain;
  int engine = 0;
  int64_t cycles = 0;
  /// Send: the receiver; recv: the sender.
  int64_t peer = 0;
  int64_t channel = 0;
  /// Signal, wait: the token.
  int64_t token = 0;
  /// Recv: the link's latency in ps.
  int64_t latencyPs = 0;
  /// Recv: the program and index of the paired send (-1: none); wait: the
  /// index of the paired signal in the same program.
  int pairProgram = -1;
  int64_t pairIndex = -1;
};

/// A program's "full" path, timed.
struct TimedProgram {
  int64_t chip = 0;
  int64_t ps = 0;
  SmallVector<TimedInstr> instrs;
  /// Busy cycles per engine of one run.
  std::array<int64_t, cost::kNumEngines> busy = {};
};

TimedProgram timeProgram(const rt::SystemDesc &system, const Path &path,
                         const rt::ChipDesc &chip) {
  TimedProgram timed;
  timed.chip = chip.id;
  timed.ps = chip.picosecondsPerCycle();
  for (npuisa::CostOpInterface instr : path.instrs) {
    cost::InstrCost c = instr.getCost(system, chip);
    TimedInstr t;
    t.engine = static_cast<int>(c.engine);
    t.cycles = c.cycles;
    timed.busy[t.engine] += c.cycles;
    Operation *op = instr.getOperation();
    if (auto send = dyn_cast<npuisa::SendOp>(op)) {
      t.kind = TimedInstr::Send;
      t.peer = send.getChip();
      t.channel = send.getChannel();
    } else if (auto recv = dyn_cast<npuisa::RecvOp>(op)) {
      t.kind = TimedInstr::Recv;
      t.peer = recv.getChip();
      t.channel = recv.getChannel();
      t.latencyPs = system.findLink(t.peer, chip.id)->latencyNs * 1000;
    } else if (auto signal = dyn_cast<npuisa::SignalOp>(op)) {
      t.kind = TimedInstr::Signal;
      t.token = signal.getToken();
    } else if (auto wait = dyn_cast<npuisa::WaitOp>(op)) {
      t.kind = TimedInstr::Wait;
      t.token = wait.getToken();
    } else if (isa<npuisa::HaltOp>(op)) {
      t.kind = TimedInstr::Halt;
    }
    timed.instrs.push_back(t);
  }
  return timed;
}

/// Pairs every receive with its send (the k-th receive from a chip on a
/// channel with that chip's k-th send to it on the channel) and every wait
/// with its signal, so that runs are evaluated without lookups.
void pairInstructions(MutableArrayRef<TimedProgram> programs) {
  std::map<std::tuple<int64_t, int64_t, int64_t>,
           SmallVector<std::pair<int, int64_t>>>
      sends;
  for (auto [p, program] : llvm::enumerate(programs))
    for (auto [i, t] : llvm::enumerate(program.instrs))
      if (t.kind == TimedInstr::Send)
        sends[{program.chip, t.peer, t.channel}].push_back(
            {static_cast<int>(p), static_cast<int64_t>(i)});
  for (TimedProgram &program : programs) {
    std::map<std::pair<int64_t, int64_t>, size_t> recvsSeen;
    llvm::DenseMap<int64_t, SmallVector<int64_t>> signals;
    llvm::DenseMap<int64_t, size_t> waitsSeen;
    for (auto [i, t] : llvm::enumerate(program.instrs)) {
      if (t.kind == TimedInstr::Signal) {
        signals[t.token].push_back(i);
      } else if (t.kind == TimedInstr::Wait) {
        size_t k = waitsSeen[t.token]++;
        // The verifier guarantees the k-th signal precedes this wait.
        t.pairIndex = signals[t.token][k];
      } else if (t.kind == TimedInstr::Recv) {
        size_t k = recvsSeen[{t.peer, t.channel}]++;
        auto it = sends.find({t.peer, program.chip, t.channel});
        if (it != sends.end() && k < it->second.size())
          std::tie(t.pairProgram, t.pairIndex) = it->second[k];
      }
    }
  }
}

/// One run of every program, program i starting at cycle `starts[i]` (all
/// engines free, nothing issued), by the rules SystemRun implements; the
/// finish cycle of each program's halt. Empty on deadlock. The programs'
/// instructions must have been paired (pairInstructions).
SmallVector<int64_t> evaluateRuns(ArrayRef<TimedProgram> programs,
                                  ArrayRef<int64_t> starts) {
  struct State {
    size_t pc = 0;
    int64_t issue = 0;
    std::array<int64_t, cost::kNumEngines> free = {};
    /// Per instruction: the start of a send in ps, the finish of a signal.
    std::vector<int64_t> times;
    int64_t halt = -1;
  };
  std::vector<State> states(programs.size());
  for (auto [state, start, program] : llvm::zip_equal(states, starts, programs)) {
    state.issue = start;
    state.free.fill(start);
    state.times.assign(program.instrs.size(), 0);
  }
  size_t halted = 0;
  bool progress = true;
  while (progress && halted < programs.size()) {
    progress = false;
    for (auto [program, state] : llvm::zip_equal(programs, states)) {
      while (state.halt < 0) {
        const TimedInstr &t = program.instrs[state.pc];
        int64_t extra = 0;
        if (t.kind == TimedInstr::Recv) {
          if (t.pairProgram < 0 ||
              static_cast<int64_t>(states[t.pairProgram].pc) <= t.pairIndex)
            break;
          extra = cost::ceilDiv(states[t.pairProgram].times[t.pairIndex] +
                                    t.latencyPs,
                                program.ps);
        } else if (t.kind == TimedInstr::Wait) {
          extra = state.times[t.pairIndex];
        } else if (t.kind == TimedInstr::Halt) {
          extra = *llvm::max_element(state.free);
        }
        int64_t start = std::max({state.free[t.engine], state.issue, extra});
        int64_t finish = start + t.cycles;
        state.free[t.engine] = finish;
        if (t.kind == TimedInstr::Signal)
          state.times[state.pc] = finish;
        else if (t.kind == TimedInstr::Send)
          state.times[state.pc] = start * program.ps;
        else if (t.kind == TimedInstr::Halt)
          state.halt = finish, ++halted;
        ++state.pc;
        progress = true;
      }
    }
  }
  if (halted < programs.size())
    return {};
  return llvm::map_to_vector(states, [](const State &s) { return s.halt; });
}

/// The stream budget of `programs` (docs/execution-model.md, "Streams").
std::optional<StreamBudget> computeStream(const rt::SystemDesc &system,
                                          ArrayRef<npuisa::ProgramOp> programs,
                                          ArrayRef<SmallVector<Path>> pathsOf) {
  // Exit checks make an input's runs depend on its data; escalations make
  // chips sleep and wake. Neither has a stream budget here.
  SmallVector<TimedProgram> timed;
  for (auto [program, paths] : llvm::zip_equal(programs, pathsOf)) {
    if (paths.size() != 1)
      return std::nullopt;
    for (npuisa::CostOpInterface instr : paths.back().instrs)
      if (isa<npuisa::EscalateOp>(instr.getOperation()))
        return std::nullopt;
    int64_t chip = npuisa::ProgramOp(program).getChip();
    timed.push_back(timeProgram(system, paths.back(), *system.findChip(chip)));
  }
  pairInstructions(timed);

  // Releases on the grid start every chip on a cycle boundary, so a run of
  // input i is the run of input 0 shifted by i * interval: the state of the
  // stream is the chips' start cycles relative to their input's release.
  constexpr int64_t kMaxGridPs = 1000000;
  int64_t grid = 1;
  for (const TimedProgram &program : timed) {
    grid = std::lcm(grid, program.ps);
    if (grid > kMaxGridPs)
      return std::nullopt;
  }
  SmallVector<int64_t> zero(timed.size(), 0);
  SmallVector<int64_t> single = evaluateRuns(timed, zero);
  if (single.empty())
    return std::nullopt;
  auto latencyOf = [&](ArrayRef<int64_t> halts) {
    int64_t latency = 0;
    for (auto [program, halt] : llvm::zip_equal(timed, halts))
      latency = std::max(latency, halt * program.ps);
    return latency;
  };

  // Runs the stream at `interval` until the relative starts repeat (then
  // every later input repeats the last run); false if they do not within
  // kMaxTransient inputs. `latencies` gets each input's latency.
  constexpr int kMaxTransient = 128;
  auto settles = [&](int64_t interval, SmallVector<int64_t> *latencies) {
    SmallVector<int64_t> relative(zero);
    for (int i = 0; i < kMaxTransient; ++i) {
      SmallVector<int64_t> halts =
          i == 0 ? single : evaluateRuns(timed, relative);
      if (halts.empty())
        return false;
      if (latencies)
        latencies->push_back(latencyOf(halts));
      SmallVector<int64_t> next;
      for (auto [program, halt] : llvm::zip_equal(timed, halts))
        next.push_back(std::max<int64_t>(0, halt - interval / program.ps));
      if (next == relative)
        return true;
      relative = std::move(next);
    }
    return false;
  };

  // No interval below the busiest engine's work of one run keeps up; at the
  // single-run latency every run starts at its release.
  int64_t busiest = 0;
  for (const TimedProgram &program : timed)
    for (int64_t busy : program.busy)
      busiest = std::max(busiest, busy * program.ps);
  int64_t hi = std::max<int64_t>(1, cost::ceilDiv(latencyOf(single), grid));
  int64_t lo = std::clamp<int64_t>(cost::ceilDiv(busiest, grid), 1, hi);
  while (lo < hi) {
    int64_t mid = lo + (hi - lo) / 2;
    if (settles(mid * grid, nullptr))
      hi = mid;
    else
      lo = mid + 1;
  }
  StreamBudget stream;
  stream.gridPs = grid;
  stream.intervalPs = hi * grid;
  bool settled = settles(stream.intervalPs, &stream.latencyPs);
  assert(settled && "the upper end of the search settles at once");
  (void)settled;
  return stream;
}

} // namespace

ScheduleAnalysis::ScheduleAnalysis(Operation *op) : root(op) {
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
      FailureOr<PathBudget> measured = measure(mine, path.name);
      if (::mlir::failed(measured)) {
        hasFailed = true;
        return;
      }
      budget.paths.push_back(std::move(*measured));
      for (ChipRun::Executed x : mine.executed)
        timings.try_emplace(x.instr.getOperation(), x.timing);
    }
    // A chip that sleeps may also be woken in standby (E4).
    if (budget.startsAsleep) {
      llvm::DenseSet<int64_t> standby = {budget.chip};
      for (const Path &path : pathsOf[index]) {
        SmallVector<const Path *> assignment(fullPaths);
        assignment[index] = &path;
        SystemRun run(system, programs, assignment, sleepers, standby);
        if (::mlir::failed(run.evaluate())) {
          hasFailed = true;
          return;
        }
        FailureOr<PathBudget> measured = measure(run.getRuns()[index], path.name);
        if (::mlir::failed(measured)) {
          hasFailed = true;
          return;
        }
        budget.standbyPaths.push_back(std::move(*measured));
      }
    }
    budgets.push_back(std::move(budget));
  }
}

const std::optional<StreamBudget> &ScheduleAnalysis::getStream() const {
  if (stream)
    return *stream;
  stream.emplace();
  if (hasFailed || budgets.empty())
    return *stream;
  SmallVector<npuisa::ProgramOp> programs;
  SmallVector<SmallVector<Path>> pathsOf;
  for (const ProgramBudget &budget : budgets) {
    npuisa::ProgramOp program = budget.program;
    programs.push_back(program);
    pathsOf.push_back(enumeratePaths(program));
  }
  rt::SystemDesc system = toSystemDesc(getSystemAttr(cast<ModuleOp>(root)));
  *stream = computeStream(system, programs, pathsOf);
  return *stream;
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
