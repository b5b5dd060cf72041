//===- Simulator.cpp - Deterministic simulation of a multi-NPU system -----===//
//
// The timing rules of docs/execution-model.md, implemented literally:
//
//   start(i)  = max(free[e], issue, extra(i))
//   finish(i) = start(i) + cycles(i)          (cycles from npu/rt/Cost.h)
//   free[e]   = finish(i)
//
// with extra = finish(paired signal) for a wait, ceil(arrival / ps_here) for
// a recv (arrival = start(send) * ps_sender + latency_ns * 1000), and
// max(free) for halt; an exit check sets issue = finish(check). Chips that
// are escalation targets start asleep; `escalate` wakes its target at
// ceil(finish(escalate) * ps_here / ps_target) + wake_cycles_target, or
// without the wake cycles when the target is in standby.
//
// Chips are evaluated round robin in program order, each until it halts or
// reaches a recv whose send has not been evaluated; the k-th recv of a chip
// from chip A on channel c takes the k-th send of A to it on c (a FIFO per
// (sender, receiver, channel)). Functional effects are applied in that
// evaluation order (see Simulator.h). All time and energy arithmetic is
// checked: an overflow is an error, never a wrong number.
//
// runCascade() serves an early-exit stream's inputs one at a time, each a
// run shifted to its start, and keeps every chip's power timeline
// (docs/execution-model.md, "Early-exit streams").
//
//===----------------------------------------------------------------------===//

#include "npu/rt/Simulator.h"

#include "Arith.h"
#include "Kernels.h"

#include <algorithm>
#include <cassert>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <limits>
#include <map>
#include <memory>
#include <new>
#include <numeric>
#include <set>
#include <tuple>
#include <unordered_map>
#include <utility>

namespace npu::rt {

using namespace detail;

const ChipMeasurement *RunResult::findChip(int64_t chip) const {
  for (const ChipMeasurement &m : chips)
    if (m.chip == chip)
      return &m;
  return nullptr;
}

namespace {

/// The error of a run; caught in Simulator::run().
struct SimError {
  std::string message;
};

[[noreturn]] void fail(std::string message) {
  throw SimError{std::move(message)};
}

std::string str(int64_t value) { return std::to_string(value); }

/// A chip's DRAM: sparse pages allocated on first write, so that a 4 GiB
/// DRAM costs only the bytes a program touches. Untouched bytes read as 0.
class PagedMemory {
public:
  void setSize(int64_t bytes) { size = bytes; }

  void write(int64_t offset, const uint8_t *src, int64_t bytes) {
    assert(offset >= 0 && bytes >= 0 && offset <= size &&
           bytes <= size - offset && "access outside DRAM");
    while (bytes > 0) {
      int64_t page = offset >> kPageBits, inPage = offset & kPageMask;
      int64_t chunk = std::min(bytes, kPageSize - inPage);
      std::unique_ptr<uint8_t[]> &data = pages[page];
      if (!data)
        data.reset(new uint8_t[kPageSize]());
      std::memcpy(data.get() + inPage, src, static_cast<size_t>(chunk));
      offset += chunk;
      src += chunk;
      bytes -= chunk;
    }
  }

  void read(int64_t offset, uint8_t *dst, int64_t bytes) const {
    assert(offset >= 0 && bytes >= 0 && offset <= size &&
           bytes <= size - offset && "access outside DRAM");
    while (bytes > 0) {
      int64_t page = offset >> kPageBits, inPage = offset & kPageMask;
      int64_t chunk = std::min(bytes, kPageSize - inPage);
      auto it = pages.find(page);
      if (it == pages.end())
        std::memset(dst, 0, static_cast<size_t>(chunk));
      else
        std::memcpy(dst, it->second.get() + inPage, static_cast<size_t>(chunk));
      offset += chunk;
      dst += chunk;
      bytes -= chunk;
    }
  }

private:
  static constexpr int64_t kPageBits = 16;
  static constexpr int64_t kPageSize = int64_t(1) << kPageBits;
  static constexpr int64_t kPageMask = kPageSize - 1;
  std::unordered_map<int64_t, std::unique_ptr<uint8_t[]>> pages;
  int64_t size = 0;
};

/// A chip's SRAM: zeroed bytes from calloc, which maps large blocks lazily,
/// so that a program pays only for the SRAM pages it touches.
class Sram {
public:
  /// Allocates `size` zero bytes; false when the memory is not available.
  bool allocate(int64_t bytes) {
    size = bytes;
    data.reset(static_cast<uint8_t *>(
        std::calloc(static_cast<size_t>(std::max<int64_t>(bytes, 1)), 1)));
    return data != nullptr;
  }
  SramView view() const { return SramView{data.get(), size}; }
  uint8_t *at(int64_t offset, int64_t bytes) const {
    (void)bytes;
    assert(offset >= 0 && bytes >= 0 && offset <= size &&
           bytes <= size - offset && "access outside SRAM");
    return data.get() + offset;
  }

private:
  struct Free {
    void operator()(uint8_t *p) const { std::free(p); }
  };
  std::unique_ptr<uint8_t[], Free> data;
  int64_t size = 0;
};

/// A send evaluated but not yet received.
struct Message {
  int64_t sendStart = 0; ///< start(send), in cycles of the sender.
  int64_t senderPs = 0;
  std::vector<uint8_t> payload;
};

enum class ChipState { Asleep, Running, Halted };

/// The state of one chip during a run.
struct ChipRun {
  const Program *program = nullptr;
  const ChipDesc *chip = nullptr;
  int64_t ps = 0;
  ChipState state = ChipState::Running;
  size_t pc = 0;
  std::array<int64_t, cost::kNumEngines> free = {};
  int64_t issue = 0;
  std::map<int64_t, std::vector<int64_t>> signalFinish;
  std::map<int64_t, int64_t> waitCount;
  Sram sram;
  PagedMemory dram;
  std::vector<uint32_t> exitOrdinal; ///< Per instruction index.
  uint32_t lastConfident = 0;
  std::vector<std::pair<int64_t, int64_t>> busy; ///< [start, finish).
  /// The run's origin in cycles of this chip.
  int64_t originCycle = 0;
  ChipMeasurement measurement;
  std::vector<TraceEvent> trace;
};

enum class Step { Progress, Blocked };

/// Where and how a run starts.
struct RunSetup {
  /// Per program, the cycle its chip starts at (a chip that starts asleep
  /// ignores it); null: cycle 0.
  const std::vector<int64_t> *startCycles = nullptr;
  /// The run's origin in ps (on every chip's cycle grid): a chip that
  /// starts asleep draws off (or standby) power from here to its start.
  int64_t originPs = 0;
  /// Per chip id: an escalation that finishes (in ps) before this time wakes
  /// the chip from standby; later, or for a chip not listed, cold.
  std::map<int64_t, int64_t> standbyBeforePs;
  /// Chips whose exit checks never exit.
  std::set<int64_t> forceContinue;
  /// Tags the trace.
  uint32_t input = 0;
  /// Non-zero: stop the (single) program at this checkpoint boundary.
  uint32_t stopAt = 0;
  /// Resume the (single) program from this checked state.
  const CheckpointState *resumeFrom = nullptr;
};

/// One run of a model.
class Run {
public:
  Run(const Model &model, const SimulatorOptions &options,
      const TensorMap &inputs, const RunSetup &setup)
      : model(model), options(options), inputs(inputs),
        startCycles(setup.startCycles), input(setup.input), setup(setup) {}

  RunResult execute();
  /// After execute() with `stopAt`: the state and cost of the save.
  CheckpointRun takeCheckpoint();

private:
  const Model &model;
  const SimulatorOptions &options;
  const TensorMap &inputs;
  const std::vector<int64_t> *startCycles;
  uint32_t input;
  const RunSetup &setup;
  std::vector<ChipRun> chips;
  std::map<int64_t, size_t> chipIndex; ///< chip id -> index in `chips`.
  std::map<std::tuple<int64_t, int64_t, int64_t>, std::deque<Message>>
      messages; ///< (sender, receiver, channel) -> in flight.
  TensorMap outputs;
  std::vector<MemoryAccess> scratch;
  Checked checked;
  /// The save of a run stopped at `setup.stopAt`.
  CheckpointRun stopped;

  void checkInputs() const;
  void setUp();
  Step step(ChipRun &c);
  void apply(ChipRun &c, const Instruction &instr);
  void wake(const ChipRun &from, int64_t finish, int64_t target);
  void finishChip(ChipRun &c, int64_t haltFinish);
  void stop(ChipRun &c);
  void restore(ChipRun &c, const CheckpointState &state);
  [[noreturn]] void deadlock() const;
  std::string where(const ChipRun &c) const {
    return "chip " + str(c.chip->id) + " ('" + c.chip->name +
           "') instruction " + str(static_cast<int64_t>(c.pc)) + " (" +
           std::string(instructionName(c.program->instructions[c.pc])) + ")";
  }
  void checkTime(const ChipRun &c) {
    if (checked.failed())
      fail(where(c) + ": time or energy arithmetic overflows 64 bits");
  }
};

void Run::checkInputs() const {
  for (const TensorSignature &sig : model.inputs) {
    auto it = inputs.find(sig.name);
    if (it == inputs.end())
      fail("missing input '" + sig.name + "'");
    if (static_cast<int64_t>(it->second.size()) != sig.bytes)
      fail("input '" + sig.name + "' has " +
           str(static_cast<int64_t>(it->second.size())) +
           " bytes but its signature needs " + str(sig.bytes));
  }
  for (const auto &[name, bytes] : inputs) {
    bool known = false;
    for (const TensorSignature &sig : model.inputs)
      known |= sig.name == name;
    if (!known)
      fail("unknown input '" + name + "' (not in the model's signature)");
  }
}

void Run::setUp() {
  for (const TensorSignature &sig : model.outputs)
    outputs[sig.name].assign(static_cast<size_t>(sig.bytes), 0);
  chips.resize(model.programs.size());
  for (size_t i = 0; i < model.programs.size(); ++i) {
    const Program &program = model.programs[i];
    ChipRun &c = chips[i];
    c.program = &program;
    c.chip = model.system.findChip(program.chip);
    assert(c.chip && "loader checked the program's chip");
    c.ps = c.chip->picosecondsPerCycle();
    c.state = program.startsAsleep ? ChipState::Asleep : ChipState::Running;
    c.dram.setSize(c.chip->dramBytes);
    if (!c.sram.allocate(program.sramExtent))
      fail("cannot allocate " + str(program.sramExtent) +
           " bytes of SRAM for chip " + str(program.chip));
    for (const Segment &segment : program.segments)
      c.dram.write(segment.dram, segment.data.data(),
                   static_cast<int64_t>(segment.data.size()));
    uint32_t ordinal = 0;
    c.exitOrdinal.resize(program.instructions.size());
    for (size_t j = 0; j < program.instructions.size(); ++j)
      if (std::holds_alternative<isa::ExitCheck>(program.instructions[j]))
        c.exitOrdinal[j] = ++ordinal;
    ChipMeasurement &m = c.measurement;
    m.chip = program.chip;
    m.program = program.name;
    m.startedAsleep = program.startsAsleep;
    m.picosecondsPerCycle = c.ps;
    m.path = "none";
    c.originCycle = setup.originPs / c.ps;
    if (startCycles && c.state == ChipState::Running) {
      int64_t start = (*startCycles)[i];
      m.startCycle = start;
      c.free.fill(start);
      c.issue = start;
    }
    chipIndex[program.chip] = i;
  }
}

void Run::wake(const ChipRun &from, int64_t finish, int64_t target) {
  auto it = chipIndex.find(target);
  if (it == chipIndex.end())
    return; // A chip without a program has nothing to run.
  ChipRun &t = chips[it->second];
  if (t.state != ChipState::Asleep)
    return; // Woken already: only the first escalate wakes a chip.
  // ceil(finish * ps_here / ps_X), plus wake_cycles_X unless the chip is
  // in standby: the escalation finishes before its standby ends.
  int64_t finishPs = checked.mul(finish, from.ps);
  int64_t wakeCycle = checked.ceilDiv(finishPs, t.ps);
  auto standby = setup.standbyBeforePs.find(target);
  bool inStandby =
      standby != setup.standbyBeforePs.end() && finishPs < standby->second;
  int64_t start =
      inStandby ? wakeCycle : checked.add(wakeCycle, t.chip->power.wakeCycles);
  checkTime(from);
  t.state = ChipState::Running;
  t.measurement.standby = inStandby;
  t.measurement.wakeCycle = wakeCycle;
  t.measurement.startCycle = start;
  t.free.fill(start);
  t.issue = start;
}

void Run::apply(ChipRun &c, const Instruction &instr) {
  SramView sram = c.sram.view();
  auto sramPtr = [&](int64_t offset, int64_t bytes) {
    return c.sram.at(offset, bytes);
  };
  if (const auto *op = std::get_if<isa::LoadInput>(&instr)) {
    const TensorSignature &sig = model.inputs[op->input];
    const std::vector<uint8_t> &bytes = inputs.at(sig.name);
    c.dram.write(op->dram, bytes.data() + op->offset, op->bytes);
  } else if (const auto *op = std::get_if<isa::StoreOutput>(&instr)) {
    std::vector<uint8_t> &bytes = outputs[model.outputs[op->output].name];
    c.dram.read(op->dram, bytes.data() + op->offset, op->bytes);
  } else if (const auto *op = std::get_if<isa::DmaIn>(&instr)) {
    for (int64_t r = 0; r < op->rows; ++r)
      c.dram.read(op->dram + r * op->strides[0],
                  sramPtr(op->sram + r * op->strides[1], op->rowBytes),
                  op->rowBytes);
  } else if (const auto *op = std::get_if<isa::DmaOut>(&instr)) {
    for (int64_t r = 0; r < op->rows; ++r)
      c.dram.write(op->dram + r * op->strides[1],
                   sramPtr(op->sram + r * op->strides[0], op->rowBytes),
                   op->rowBytes);
  } else if (const auto *op = std::get_if<isa::MatMul>(&instr)) {
    runMatMul(sram, *op);
  } else if (const auto *op = std::get_if<isa::Conv>(&instr)) {
    runConv(sram, *op);
  } else if (const auto *op = std::get_if<isa::Vector>(&instr)) {
    runVector(sram, *op);
  } else if (const auto *op = std::get_if<isa::Fill>(&instr)) {
    runFill(sram, *op);
  } else if (const auto *op = std::get_if<isa::Reduce>(&instr)) {
    runReduce(sram, *op);
  } else if (const auto *op = std::get_if<isa::Pool>(&instr)) {
    runPool(sram, *op);
  } else if (const auto *op = std::get_if<isa::Copy>(&instr)) {
    runCopy(sram, *op);
  } else if (const auto *op = std::get_if<isa::Resize>(&instr)) {
    runResize(sram, *op);
  }
  // Send, recv and exit_check are applied by step(), which knows their
  // partners and branch; the rest have no functional effect.
}

Step Run::step(ChipRun &c) {
  const Program &program = *c.program;
  const Instruction &instr = program.instructions[c.pc];
  cost::InstrCost cost = instructionCost(instr, model.system, *c.chip);
  const int e = static_cast<int>(cost.engine);

  int64_t extra = 0;
  Message received;
  if (const auto *recv = std::get_if<isa::Recv>(&instr)) {
    auto it = messages.find({recv->chip, c.chip->id, recv->channel});
    if (it == messages.end() || it->second.empty())
      return Step::Blocked;
    received = std::move(it->second.front());
    it->second.pop_front();
    if (static_cast<int64_t>(received.payload.size()) != recv->bytes)
      fail(where(c) + ": receives " + str(recv->bytes) +
           " bytes but the "
           "paired send of chip " +
           str(recv->chip) + " on channel " + str(recv->channel) + " sent " +
           str(static_cast<int64_t>(received.payload.size())));
    const LinkDesc *link = model.system.findLink(c.chip->id, recv->chip);
    assert(link && "loader checked the link");
    int64_t arrival =
        checked.add(checked.mul(received.sendStart, received.senderPs),
                    checked.mul(link->latencyNs, 1000));
    extra = checked.ceilDiv(arrival, c.ps);
  } else if (const auto *wait = std::get_if<isa::Wait>(&instr)) {
    int64_t k = ++c.waitCount[wait->token];
    const std::vector<int64_t> &signals = c.signalFinish[wait->token];
    if (k > static_cast<int64_t>(signals.size()))
      fail(where(c) + ": wait " + str(k) + " on token " + str(wait->token) +
           " has no paired signal"); // The loader rules this out.
    extra = signals[static_cast<size_t>(k - 1)];
  } else if (std::holds_alternative<isa::Halt>(instr)) {
    extra = *std::max_element(c.free.begin(), c.free.end());
  }

  const int64_t start = std::max({c.free[e], c.issue, extra});
  const int64_t finish = checked.add(start, cost.cycles);
  checkTime(c);
  c.free[e] = finish;

  ChipMeasurement &m = c.measurement;
  m.engineBusy[e] = checked.add(m.engineBusy[e], cost.cycles);
  m.hostBytes = checked.add(m.hostBytes, cost.hostBytes);
  m.dramBytes = checked.add(m.dramBytes, cost.dramBytes);
  m.linkBytes = checked.add(m.linkBytes, cost.linkBytes);
  checkTime(c);
  scratch.clear();
  memoryAccesses(instr, scratch);
  // The loader checked that every access lies inside its memory, so the
  // ends cannot overflow.
  for (const MemoryAccess &access : scratch) {
    if (access.space == MemorySpace::SRAM)
      m.peakSramBytes = std::max(m.peakSramBytes, access.offset + access.bytes);
    else
      m.peakDramBytes = std::max(m.peakDramBytes, access.offset + access.bytes);
  }
  c.busy.emplace_back(start, finish);
  if (options.trace) {
    TraceEvent event;
    event.chip = c.chip->id;
    event.engine = cost.engine;
    event.start = start;
    event.cycles = cost.cycles;
    event.index = static_cast<uint32_t>(c.pc);
    event.name = instructionName(instr);
    event.input = input;
    c.trace.push_back(event);
  }

  apply(c, instr);
  size_t next = c.pc + 1;
  if (const auto *signal = std::get_if<isa::Signal>(&instr)) {
    c.signalFinish[signal->token].push_back(finish);
  } else if (const auto *send = std::get_if<isa::Send>(&instr)) {
    Message message;
    message.sendStart = start;
    message.senderPs = c.ps;
    const uint8_t *from = c.sram.at(send->sram, send->bytes);
    message.payload.assign(from, from + send->bytes);
    messages[{c.chip->id, send->chip, send->channel}].push_back(
        std::move(message));
  } else if (const auto *recv = std::get_if<isa::Recv>(&instr)) {
    std::memcpy(c.sram.at(recv->sram, recv->bytes), received.payload.data(),
                received.payload.size());
  } else if (const auto *check = std::get_if<isa::ExitCheck>(&instr)) {
    SramView sram = c.sram.view();
    ExitCheckOutcome outcome;
    outcome.index = static_cast<uint32_t>(c.pc);
    outcome.ordinal = c.exitOrdinal[c.pc];
    outcome.confidence = exitConfidence(sram, *check);
    outcome.confident =
        outcome.confidence >= static_cast<double>(check->threshold);
    outcome.forced = setup.forceContinue.count(c.chip->id) != 0;
    m.exitChecks.push_back(outcome);
    // A branch: what follows is issued once the check has finished.
    c.issue = finish;
    if (outcome.exited())
      c.lastConfident = outcome.ordinal;
    else
      next = c.pc + 1 + check->exitPathLength;
  } else if (const auto *escalate = std::get_if<isa::Escalate>(&instr)) {
    wake(c, finish, escalate->chip);
  } else if (std::holds_alternative<isa::Halt>(instr)) {
    finishChip(c, finish);
    return Step::Progress;
  }
  c.pc = next;
  return Step::Progress;
}

void Run::finishChip(ChipRun &c, int64_t haltFinish) {
  ChipMeasurement &m = c.measurement;
  c.state = ChipState::Halted;
  m.ran = true;
  m.path = c.lastConfident ? "exit " + str(c.lastConfident) : "full";
  m.cycles = haltFinish - m.startCycle;
  // Peak DRAM also covers the segments the loader placed (inside the DRAM,
  // the loader checked), whether or not an instruction read them. An empty
  // segment occupies no byte.
  for (const Segment &segment : c.program->segments)
    if (!segment.data.empty())
      m.peakDramBytes =
          std::max(m.peakDramBytes,
                   segment.dram + static_cast<int64_t>(segment.data.size()));

  // Cycles in which at least one engine was busy: the union of the
  // instructions' [start, finish) intervals.
  std::sort(c.busy.begin(), c.busy.end());
  int64_t active = 0, coveredUntil = m.startCycle;
  for (const auto &[start, finish] : c.busy) {
    int64_t from = std::max(start, coveredUntil);
    if (finish > from) {
      active += finish - from;
      coveredUntil = finish;
    }
  }
  m.activeCycles = active;

  const PowerModel &power = c.chip->power;
  auto energy = [&](int64_t cycles, int64_t mw) {
    checked.mul(checked.mul(cycles, c.ps), mw);
    checkTime(c);
    return cost::energyFj(cycles, mw, c.ps);
  };
  int64_t total = 0;
  if (c.program->startsAsleep) {
    // Asleep from the origin to the start: off power and a wake-up, or, in
    // standby, idle power and no wake-up.
    int64_t asleep = m.startCycle - c.originCycle;
    if (m.standby) {
      total = checked.add(total, energy(asleep, power.idleMw));
    } else {
      total = checked.add(total, energy(asleep, power.offMw));
      total = checked.add(total, checked.mul(power.wakeEnergyNj, 1000000));
    }
  }
  total = checked.add(total, energy(active, power.activeMw));
  total = checked.add(total, energy(m.cycles - active, power.idleMw));
  checkTime(c);
  m.energyFj = total;
}

void Run::deadlock() const {
  std::string message = "deadlock:";
  bool first = true;
  for (const ChipRun &c : chips) {
    if (c.state != ChipState::Running)
      continue;
    const auto &recv = std::get<isa::Recv>(c.program->instructions[c.pc]);
    message += first ? " " : "; ";
    first = false;
    message += "chip " + str(c.chip->id) + " ('" + c.chip->name +
               "') waits at instruction " + str(static_cast<int64_t>(c.pc)) +
               " (recv) for chip " + str(recv.chip) + " on channel " +
               str(recv.channel);
    auto it = chipIndex.find(recv.chip);
    if (it == chipIndex.end()) {
      message += ", which has no program";
    } else {
      const ChipRun &sender = chips[it->second];
      if (sender.state == ChipState::Halted)
        message += ", which halted without sending it";
      else if (sender.state == ChipState::Asleep)
        message += ", which is asleep and was never woken";
      else
        message += ", which is itself waiting";
    }
  }
  fail(message);
}

void Run::stop(ChipRun &c) {
  const Checkpoint *cp = findCheckpoint(model, setup.stopAt);
  assert(cp && "runToCheckpoint checked the boundary");
  // Drain: the last of [0, index) finishes; then the save copies the live
  // ranges out (checkpointTransferCycles: SRAM staged through DRAM).
  int64_t drain = *std::max_element(c.free.begin(), c.free.end());
  finishChip(c, drain);
  c.measurement.path = "checkpoint";
  CheckpointState &state = stopped.state;
  state.modelFingerprint = model.fingerprint;
  state.model = model.name;
  state.program = c.program->name;
  state.chip = c.program->chip;
  state.index = cp->index;
  for (const LiveRange &range : cp->live) {
    if (!range.saved()) {
      state.live.emplace_back(); // Restored from its DRAM source.
      continue;
    }
    std::vector<uint8_t> bytes(static_cast<size_t>(range.bytes));
    if (range.space == MemorySpace::SRAM)
      std::memcpy(bytes.data(), c.sram.at(range.offset, range.bytes),
                  bytes.size());
    else
      c.dram.read(range.offset, bytes.data(), range.bytes);
    state.live.push_back(std::move(bytes));
    stopped.savedBytes = checked.add(stopped.savedBytes, range.bytes);
  }
  // The loader checked that the transfer's cycles fit.
  stopped.saveCycles =
      checkpointTransferCycles(cp->live, *c.chip, model.system, false);
  stopped.saveEnergyFj = checked.mul(
      checked.mul(stopped.saveCycles, c.ps), c.chip->power.activeMw);
  checkTime(c);
  if (options.trace && stopped.saveCycles > 0)
    c.trace.push_back(TraceEvent{c.chip->id, cost::Engine::DmaOut, drain,
                                 stopped.saveCycles, cp->index,
                                 "checkpoint_save", input});
  state.outputs = outputs;
}

void Run::restore(ChipRun &c, const CheckpointState &state) {
  const Checkpoint *cp = findCheckpoint(model, state.index);
  assert(cp && "checkCheckpoint found the boundary");
  ChipMeasurement &m = c.measurement;
  for (size_t r = 0; r < cp->live.size(); ++r) {
    const LiveRange &range = cp->live[r];
    const std::vector<uint8_t> &bytes = state.live[r];
    if (!range.saved()) {
      // An unchanged copy of DRAM, which the fresh chip holds too.
      c.dram.read(range.source, c.sram.at(range.offset, range.bytes),
                  range.bytes);
      m.dramBytes = checked.add(m.dramBytes, range.bytes);
      continue;
    }
    if (range.space == MemorySpace::SRAM) {
      std::memcpy(c.sram.at(range.offset, range.bytes), bytes.data(),
                  bytes.size());
      m.dramBytes = checked.add(m.dramBytes, range.bytes);
    } else {
      c.dram.write(range.offset, bytes.data(), range.bytes);
    }
    m.hostBytes = checked.add(m.hostBytes, range.bytes);
  }
  // The loader checked that the transfer's cycles fit.
  const int64_t restoreEnd =
      checkpointTransferCycles(cp->live, *c.chip, model.system, true);
  checkTime(c);
  outputs = state.outputs;
  // Where the stopped run was: the signals and waits before the boundary
  // have paired (their times lie before the restore), the rest pair on.
  for (size_t i = 0; i < cp->index; ++i) {
    const Instruction &instr = c.program->instructions[i];
    if (const auto *signal = std::get_if<isa::Signal>(&instr))
      c.signalFinish[signal->token].push_back(0);
    else if (const auto *wait = std::get_if<isa::Wait>(&instr))
      ++c.waitCount[wait->token];
  }
  c.pc = cp->index;
  c.free.fill(restoreEnd);
  c.issue = restoreEnd;
  m.startCycle = 0;
  const int dmaIn = static_cast<int>(cost::Engine::DmaIn);
  m.engineBusy[dmaIn] = checked.add(m.engineBusy[dmaIn], restoreEnd);
  if (restoreEnd > 0) {
    c.busy.emplace_back(0, restoreEnd);
    if (options.trace)
      c.trace.push_back(TraceEvent{c.chip->id, cost::Engine::DmaIn, 0,
                                   restoreEnd, cp->index,
                                   "checkpoint_restore", input});
  }
}

CheckpointRun Run::takeCheckpoint() {
  stopped.ok = true;
  stopped.drain = std::move(chips.front().measurement);
  stopped.trace = std::move(chips.front().trace);
  return std::move(stopped);
}

RunResult Run::execute() {
  checkInputs();
  setUp();
  if (setup.resumeFrom)
    restore(chips.front(), *setup.resumeFrom);

  bool progress = true;
  while (progress) {
    progress = false;
    for (ChipRun &c : chips) {
      while (c.state == ChipState::Running) {
        if (setup.stopAt && c.pc == setup.stopAt) {
          stop(c);
          break;
        }
        if (step(c) == Step::Blocked)
          break;
        progress = true;
      }
    }
  }
  for (const ChipRun &c : chips)
    if (c.state == ChipState::Running)
      deadlock();

  RunResult result;
  result.ok = true;
  if (setup.stopAt)
    return result; // The state is in `stopped`.
  result.outputs = std::move(outputs);
  for (ChipRun &c : chips) {
    result.chips.push_back(std::move(c.measurement));
    result.trace.insert(result.trace.end(), c.trace.begin(), c.trace.end());
  }
  return result;
}

} // namespace

std::string checkWork(const Model &model, size_t inputs, int64_t maxWork) {
  int64_t perInput = model.workPerInput();
  int64_t count =
      inputs > size_t(INT64_MAX) ? INT64_MAX : static_cast<int64_t>(inputs);
  int64_t total = detail::mulSat({perInput, count});
  if (total <= maxWork)
    return "";
  std::string what =
      inputs == 1 ? "the model needs " + str(perInput)
                  : str(count) + " inputs of " + str(perInput) + " each need " +
                        (total == INT64_MAX ? "more than 2^63" : str(total));
  return what + " units of simulation work, more than the limit of " +
         str(maxWork) +
         " (npu-run --max-work; docs/execution-model.md, "
         "\"Work limit\")";
}

Simulator::Simulator(const Model &model, SimulatorOptions options)
    : model(model), options(options) {}

RunResult Simulator::run(const TensorMap &inputs) const {
  return run(inputs, RunOptions());
}

namespace {

/// Runs `body` (which returns a Result) for one inference of `model` after
/// `precheck` (an error message, or empty) and the work limit; a SimError or
/// an allocation failure becomes the result's error.
template <typename Result, typename Body>
Result guardedRun(const Model &model, const SimulatorOptions &options,
                  std::string precheck, Body body) {
  Result result;
  if (precheck.empty())
    precheck = checkWork(model, 1, options.maxWork);
  if (!precheck.empty()) {
    result.error = std::move(precheck);
    return result;
  }
  try {
    result = body();
  } catch (const SimError &error) {
    result = Result();
    result.error = error.message;
  } catch (const std::bad_alloc &) {
    result = Result();
    result.error = "out of memory while simulating the model";
  }
  return result;
}

} // namespace

RunResult Simulator::run(const TensorMap &inputs,
                         const RunOptions &runOptions) const {
  return guardedRun<RunResult>(model, options, "", [&] {
    RunSetup setup;
    for (int64_t chip : runOptions.standby)
      setup.standbyBeforePs[chip] = std::numeric_limits<int64_t>::max();
    setup.forceContinue.insert(runOptions.forceContinue.begin(),
                               runOptions.forceContinue.end());
    return Run(model, options, inputs, setup).execute();
  });
}

CheckpointRun Simulator::runToCheckpoint(const TensorMap &inputs,
                                         uint32_t index) const {
  std::string precheck;
  if (model.programs.size() != 1) {
    precheck = "only a single-program model stops at a checkpoint";
  } else if (!findCheckpoint(model, index)) {
    std::string list;
    for (const Checkpoint &cp : model.programs.front().checkpoints)
      list += (list.empty() ? "" : ", ") + str(cp.index);
    precheck = "instruction " + str(index) + " of program '" +
               model.programs.front().name +
               "' is not a checkpoint boundary (" +
               (list.empty() ? "it has none" : "boundaries: " + list) +
               "; docs/execution-model.md, \"Checkpoints\")";
  }
  return guardedRun<CheckpointRun>(model, options, precheck, [&] {
    RunSetup setup;
    setup.stopAt = index;
    Run run(model, options, inputs, setup);
    run.execute();
    return run.takeCheckpoint();
  });
}

RunResult Simulator::resume(const CheckpointState &state,
                            const TensorMap &inputs) const {
  return guardedRun<RunResult>(
      model, options, checkCheckpoint(state, model), [&] {
        RunSetup setup;
        setup.resumeFrom = &state;
        return Run(model, options, inputs, setup).execute();
      });
}

StreamResult Simulator::runStream(const std::vector<TensorMap> &inputs,
                                  int64_t intervalPs) const {
  StreamResult stream;
  stream.intervalPs = intervalPs;
  auto failWith = [&](std::string error) {
    StreamResult failed;
    failed.error = std::move(error);
    return failed;
  };
  if (intervalPs <= 0)
    return failWith("the stream interval must be positive, not " +
                    str(intervalPs) + " ps");
  if (inputs.empty())
    return failWith("a stream needs at least one input");
  if (std::string error = checkWork(model, inputs.size(), options.maxWork);
      !error.empty())
    return failWith(error);
  for (const Program &program : model.programs)
    if (program.startsAsleep)
      return failWith("chip " + str(program.chip) +
                      " starts asleep (an escalation target); streams of "
                      "models with escalations are not supported");

  Checked checked;
  std::vector<int64_t> halts(model.programs.size(), 0);
  std::vector<int64_t> starts(model.programs.size(), 0);
  for (size_t i = 0; i < inputs.size(); ++i) {
    int64_t release = checked.mul(static_cast<int64_t>(i), intervalPs);
    if (checked.failed())
      return failWith("input " + str(static_cast<int64_t>(i)) +
                      ": its release time overflows 64 bits");
    for (size_t p = 0; p < model.programs.size(); ++p) {
      int64_t ps = model.system.findChip(model.programs[p].chip)
                       ->picosecondsPerCycle();
      starts[p] = std::max(checked.ceilDiv(release, ps), halts[p]);
    }
    RunResult result;
    try {
      RunSetup setup;
      setup.startCycles = &starts;
      setup.input = static_cast<uint32_t>(i);
      result = Run(model, options, inputs[i], setup).execute();
    } catch (const SimError &error) {
      return failWith("input " + str(static_cast<int64_t>(i)) + ": " +
                      error.message);
    } catch (const std::bad_alloc &) {
      return failWith("out of memory while simulating the stream");
    }
    int64_t completion = 0;
    for (size_t p = 0; p < result.chips.size(); ++p) {
      const ChipMeasurement &m = result.chips[p];
      halts[p] = checked.add(m.startCycle, m.cycles);
      completion = std::max(completion,
                            checked.mul(halts[p], m.picosecondsPerCycle));
    }
    if (checked.failed())
      return failWith("input " + str(static_cast<int64_t>(i)) +
                      ": time arithmetic overflows 64 bits");
    stream.releasePs.push_back(release);
    stream.completionPs.push_back(completion);
    stream.latencyPs.push_back(completion - release);
    stream.runs.push_back(std::move(result));
  }
  stream.ok = true;
  return stream;
}

//===----------------------------------------------------------------------===//
// Early-exit streams
//===----------------------------------------------------------------------===//

std::string_view powerStateName(PowerState state) {
  switch (state) {
  case PowerState::Off:
    return "off";
  case PowerState::Waking:
    return "waking";
  case PowerState::Run:
    return "run";
  case PowerState::Standby:
    return "standby";
  case PowerState::Idle:
    return "idle";
  }
  return "?";
}

std::string_view cascadeModeName(CascadeMode mode) {
  return mode == CascadeMode::Small ? "small" : "big";
}

std::string_view wakeStateName(WakeState state) {
  switch (state) {
  case WakeState::None:
    return "none";
  case WakeState::Off:
    return "off";
  case WakeState::Standby:
    return "standby";
  }
  return "?";
}

const ChipPower *CascadeResult::findPower(int64_t chip) const {
  for (const ChipPower &power : power)
    if (power.chip == chip)
      return &power;
  return nullptr;
}

double answerConfidence(const TensorSignature &sig,
                        const std::vector<uint8_t> &bytes,
                        cost::ConfidenceMeasure measure, AnswerKind answer) {
  return hostConfidence(bytes, sig.dtype, measure,
                        /*softmax=*/answer == AnswerKind::Logits);
}

int64_t answerClass(const TensorSignature &sig,
                    const std::vector<uint8_t> &bytes) {
  return hostArgmax(bytes, sig.dtype);
}

namespace {

/// The power bookkeeping of one chip through an early-exit stream
/// (docs/execution-model.md, "Early-exit streams"): its timeline and energy,
/// and for a chip that starts asleep, when its standby ends.
class PowerTrack {
public:
  PowerTrack(const Program &program, const ChipDesc &chip, int64_t idleWindowPs,
             Checked &checked)
      : chip(chip), idleWindowPs(idleWindowPs), checked(checked) {
    power.chip = program.chip;
    power.startsAsleep = program.startsAsleep;
  }

  /// Until when (ps, exclusive) the chip is in standby: its last halt plus
  /// the idle window; before its first halt, never.
  int64_t standbyEnd() const {
    return halted ? addSat(lastHaltPs, idleWindowPs)
                  : std::numeric_limits<int64_t>::min();
  }

  /// The chip is left alone over [from, to): a chip that never sleeps idles,
  /// one that starts asleep is in standby until standbyEnd(), then off.
  /// Returns the energy.
  int64_t rest(int64_t from, int64_t to, int64_t input) {
    if (to <= from)
      return 0;
    if (!power.startsAsleep)
      return add(from, to, PowerState::Idle, chip.power.idleMw, input);
    int64_t split = std::clamp(standbyEnd(), from, to);
    return checked.add(
        add(from, split, PowerState::Standby, chip.power.idleMw, input),
        add(split, to, PowerState::Off, chip.power.offMw, input));
  }

  /// The chip ran `m` (started at `startPs` of the input). Records the
  /// intervals from the input's start to its halt and returns what the
  /// measurement's energy leaves out: for a cold start of a chip whose
  /// standby had not yet ended at the input's start, the difference between
  /// idle and off power over the rest of that standby.
  int64_t ran(const ChipMeasurement &m, int64_t startPs, int64_t input) {
    int64_t ps = m.picosecondsPerCycle;
    int64_t runStart = checked.mul(m.startCycle, ps);
    int64_t halt = checked.mul(checked.add(m.startCycle, m.cycles), ps);
    int64_t correction = 0;
    if (power.startsAsleep && m.standby) {
      add(startPs, runStart, PowerState::Standby, chip.power.idleMw, input);
    } else if (power.startsAsleep) {
      int64_t wake = checked.mul(m.wakeCycle, ps);
      int64_t split = std::clamp(standbyEnd(), startPs, wake);
      correction =
          checked.mul(split - startPs, chip.power.idleMw - chip.power.offMw);
      add(startPs, split, PowerState::Standby, chip.power.idleMw, input);
      add(split, wake, PowerState::Off, chip.power.offMw, input);
      // The wake-up's lump energy; off power while it lasts (Cost model).
      add(wake, runStart, PowerState::Waking, chip.power.offMw, input);
      power.energyFj = checked.add(
          power.energyFj, checked.mul(chip.power.wakeEnergyNj, 1000000));
    }
    interval(runStart, halt, PowerState::Run, input);
    // The measurement covers [startPs, halt]; the intervals before the run
    // were added to the chip's energy already, so add only the run's part.
    int64_t runEnergy = m.energyFj;
    if (power.startsAsleep)
      runEnergy = checked.sub(runEnergy, asleepMeasured(m, startPs));
    power.energyFj = checked.add(power.energyFj, runEnergy);
    halted = true;
    lastHaltPs = halt;
    return correction;
  }

  ChipPower &result() { return power; }

private:
  const ChipDesc &chip;
  int64_t idleWindowPs;
  Checked &checked;
  ChipPower power;
  bool halted = false;
  int64_t lastHaltPs = 0;

  /// Appends [from, to) in `state` (merged into the previous interval when
  /// that has the same state and input and is not a run).
  void interval(int64_t from, int64_t to, PowerState state, int64_t input) {
    if (to <= from)
      return;
    std::vector<PowerInterval> &list = power.intervals;
    if (!list.empty() && list.back().endPs == from &&
        list.back().state == state && list.back().input == input &&
        state != PowerState::Run) {
      list.back().endPs = to;
      return;
    }
    list.push_back({from, to, state, input});
  }

  /// Records [from, to) at `mw` and returns its energy.
  int64_t add(int64_t from, int64_t to, PowerState state, int64_t mw,
              int64_t input) {
    if (to <= from)
      return 0;
    interval(from, to, state, input);
    int64_t energy = checked.mul(to - from, mw);
    power.energyFj = checked.add(power.energyFj, energy);
    return energy;
  }

  /// The part of a measurement's energy before the chip started, as the
  /// run counted it (off power and the wake-up, or idle power in standby):
  /// ran() records that part by its own intervals.
  int64_t asleepMeasured(const ChipMeasurement &m, int64_t startPs) {
    int64_t asleep = checked.mul(m.startCycle, m.picosecondsPerCycle) - startPs;
    if (m.standby)
      return checked.mul(asleep, chip.power.idleMw);
    return checked.add(checked.mul(asleep, chip.power.offMw),
                       checked.mul(chip.power.wakeEnergyNj, 1000000));
  }
};

} // namespace

CascadeResult
Simulator::runCascade(const std::vector<TensorMap> &inputs,
                      const CascadeOptions &cascadeOptions) const {
  auto failWith = [](std::string error) {
    CascadeResult failed;
    failed.error = std::move(error);
    return failed;
  };
  if (!model.earlyExit)
    return failWith("the model has no early-exit table (module attribute "
                    "npu.early_exit); early-exit streams need one");
  const EarlyExit &table = *model.earlyExit;
  if (inputs.empty())
    return failWith("a stream needs at least one input");
  if (std::string error = checkWork(model, inputs.size(), options.maxWork);
      !error.empty())
    return failWith(error);
  CascadeResult result;
  result.arrivalIntervalPs = cascadeOptions.arrivalIntervalPs;
  result.idleWindowPs =
      cascadeOptions.idleWindowPs.value_or(table.idleWindowPs);
  result.returnThreshold =
      cascadeOptions.returnThreshold.value_or(table.returnThreshold);
  if (result.arrivalIntervalPs < 0)
    return failWith("the arrival interval must be non-negative, not " +
                    str(result.arrivalIntervalPs) + " ps");
  if (result.idleWindowPs < 0)
    return failWith("the idle window must be non-negative, not " +
                    str(result.idleWindowPs) + " ps");
  if (!(result.returnThreshold >= 0 && result.returnThreshold <= 1))
    return failWith("the return threshold must be in [0, 1]");

  Checked checked;
  std::vector<PowerTrack> tracks;
  std::vector<int64_t> ps;
  int64_t grid = 1;
  for (const Program &program : model.programs) {
    const ChipDesc *chip = model.system.findChip(program.chip);
    tracks.emplace_back(program, *chip, result.idleWindowPs, checked);
    ps.push_back(chip->picosecondsPerCycle());
    int64_t gcd = std::gcd(grid, ps.back());
    grid = checked.mul(grid / gcd, ps.back());
  }
  if (checked.failed())
    return failWith("the chips' cycle grid overflows 64 bits");
  result.gridPs = grid;
  const TensorSignature *answer = nullptr;
  for (const TensorSignature &sig : model.outputs)
    if (sig.name == table.output)
      answer = &sig;
  if (!answer) // The loader rules this out.
    return failWith("the early-exit output '" + table.output +
                    "' is not an output of the model");

  CascadeMode mode = CascadeMode::Small;
  int64_t previous = 0; // C_{i-1}
  std::vector<int64_t> starts(model.programs.size(), 0);
  for (size_t i = 0; i < inputs.size(); ++i) {
    const int64_t n = static_cast<int64_t>(i);
    auto inputError = [&](const std::string &what) {
      return failWith("input " + str(n) + ": " + what);
    };
    CascadeInput in;
    in.mode = mode;
    in.arrivalPs = checked.mul(n, result.arrivalIntervalPs);
    in.startPs = checked.mul(
        checked.ceilDiv(std::max(in.arrivalPs, previous), grid), grid);
    if (checked.failed())
      return inputError("its start time overflows 64 bits");

    // The gap since the previous completion: every chip rests.
    for (PowerTrack &track : tracks)
      result.gapEnergyFj =
          checked.add(result.gapEnergyFj, track.rest(previous, in.startPs, -1));

    RunSetup setup;
    for (size_t p = 0; p < model.programs.size(); ++p) {
      starts[p] = in.startPs / ps[p];
      if (model.programs[p].startsAsleep)
        setup.standbyBeforePs[model.programs[p].chip] = tracks[p].standbyEnd();
    }
    setup.startCycles = &starts;
    setup.originPs = in.startPs;
    setup.input = static_cast<uint32_t>(i);
    if (mode == CascadeMode::Big)
      setup.forceContinue.insert(table.fromChip);
    try {
      in.run = Run(model, options, inputs[i], setup).execute();
    } catch (const SimError &error) {
      return inputError(error.message);
    } catch (const std::bad_alloc &) {
      return failWith("out of memory while simulating the stream");
    }

    // Completion: the latest halt of the chips that ran.
    in.completionPs = in.startPs;
    for (const ChipMeasurement &m : in.run.chips)
      if (m.ran)
        in.completionPs = std::max(
            in.completionPs, checked.mul(checked.add(m.startCycle, m.cycles),
                                         m.picosecondsPerCycle));
    // Energy over [start, completion]: a chip that ran, its measurement
    // (and the standby its cold start cut short) and then rest until the
    // completion; any other chip rests throughout.
    for (size_t p = 0; p < model.programs.size(); ++p) {
      const ChipMeasurement &m = in.run.chips[p];
      PowerTrack &track = tracks[p];
      if (!m.ran) {
        in.energyFj = checked.add(in.energyFj,
                                  track.rest(in.startPs, in.completionPs, n));
        continue;
      }
      in.energyFj = checked.add(in.energyFj, m.energyFj);
      in.energyFj = checked.add(in.energyFj, track.ran(m, in.startPs, n));
      int64_t halt = checked.mul(checked.add(m.startCycle, m.cycles),
                                 m.picosecondsPerCycle);
      in.energyFj =
          checked.add(in.energyFj, track.rest(halt, in.completionPs, n));
      if (m.chip == table.toChip) {
        in.escalated = true;
        in.toChipState = m.standby ? WakeState::Standby : WakeState::Off;
      }
    }
    in.latencyPs = in.completionPs - in.arrivalPs;
    in.servicePs = in.completionPs - in.startPs;
    if (checked.failed())
      return inputError("time or energy arithmetic overflows 64 bits");

    const std::vector<uint8_t> &bytes = in.run.outputs.at(answer->name);
    in.confidence =
        answerConfidence(*answer, bytes, table.measure, table.answer);
    in.answerClass = answerClass(*answer, bytes);
    // E4: an escalated answer below the return threshold keeps the next
    // input on the big chip (NaN is never confident); a confident one, or
    // an input that did not escalate, lets the small chip decide.
    if (in.escalated)
      mode = in.confidence >= result.returnThreshold ? CascadeMode::Small
                                                     : CascadeMode::Big;
    previous = in.completionPs;
    result.totalEnergyFj = checked.add(result.totalEnergyFj, in.energyFj);
    result.inputs.push_back(std::move(in));
  }
  result.totalEnergyFj = checked.add(result.totalEnergyFj, result.gapEnergyFj);
  result.endPs = previous;
  for (PowerTrack &track : tracks)
    result.power.push_back(std::move(track.result()));
  if (checked.failed())
    return failWith("the stream's energy overflows 64 bits");
  result.ok = true;
  return result;
}

} // namespace npu::rt
