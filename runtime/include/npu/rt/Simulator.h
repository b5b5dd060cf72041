//===- Simulator.h - Deterministic simulation of the system -----*- C++ -*-===//
//
// Runs one inference of a loaded model on the simulated system it was
// compiled for: every chip's SRAM and DRAM, its seven engines, the links
// between chips and the power states. Timing follows
// docs/execution-model.md to the letter (integer arithmetic, picosecond time
// base, the costs of npu/rt/Cost.h), so each chip's measurement equals the
// budget the compiler proved for the path the chip took. Every instruction
// also computes real numbers (functional kernels on Eigen), so outputs and
// exit-check confidences are real.
//
// Determinism: the same model and inputs give the same outputs, the same
// measurements and the same trace, bit for bit.
//
//===----------------------------------------------------------------------===//

#ifndef NPU_RT_SIMULATOR_H
#define NPU_RT_SIMULATOR_H

#include "npu/rt/Checkpoint.h"
#include "npu/rt/Cost.h"
#include "npu/rt/Model.h"

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace npu::rt {

// TensorMap (Checkpoint.h): host tensors by name, the raw little-endian
// bytes of each tensor, laid out as its signature says (row-major,
// elementBytes(dtype) per element).

/// One executed instruction, for timelines (Perfetto / chrome://tracing).
struct TraceEvent {
  int64_t chip = 0;
  cost::Engine engine = cost::Engine::Control;
  int64_t start = 0;     ///< Start, in cycles of `chip` since system time 0.
  int64_t cycles = 0;    ///< Duration in cycles of `chip`.
  uint32_t index = 0;    ///< Index of the instruction in the program's stream.
  std::string_view name; ///< npuisa mnemonic; points to static storage.
  uint32_t input = 0;    ///< The input of a stream the run belongs to.
};

/// The outcome of one exit check.
struct ExitCheckOutcome {
  uint32_t index = 0;     ///< Instruction index of the check.
  uint32_t ordinal = 0;   ///< N of the path "exit N" the check would take.
  double confidence = 0;  ///< In [0, 1].
  bool confident = false; ///< confidence >= threshold.
  /// The run forced the check to continue whatever its confidence (the
  /// first chip of an early-exit stream in big mode): it did not exit even
  /// when `confident`.
  bool forced = false;

  /// Whether the check took its exit path.
  bool exited() const { return confident && !forced; }
};

/// What one chip did during the run (docs/execution-model.md, "What is
/// measured"). Compare with the program's Budget of the same `path`.
struct ChipMeasurement {
  int64_t chip = 0;
  std::string program;
  /// False for a chip that started asleep and was never woken: it did not
  /// run, and every number below is 0.
  bool ran = false;
  /// "full", "exit N", or "none" when the chip did not run.
  std::string path;
  bool startedAsleep = false;
  /// True when the chip started asleep and was woken in standby
  /// (docs/execution-model.md, "Standby"): no wake cycles, no wake energy,
  /// idle power until its start. Its budget is the program's standby budget
  /// of `path`.
  bool standby = false;
  /// For a chip that started asleep and ran: the cycle (of this chip, since
  /// system time 0) the escalation reached it, ceil(finish(escalate) *
  /// ps_sender / ps_here). It starts then (standby) or wake_cycles later.
  int64_t wakeCycle = 0;
  int64_t picosecondsPerCycle = 0;
  /// Cycle (of this chip, since system time 0) at which the program started.
  int64_t startCycle = 0;
  /// finish(halt) - startCycle.
  int64_t cycles = 0;
  std::array<int64_t, cost::kNumEngines> engineBusy = {};
  int64_t hostBytes = 0;
  int64_t dramBytes = 0;
  int64_t linkBytes = 0;
  int64_t peakSramBytes = 0;
  /// One past the highest DRAM byte the program needs: over its segments and
  /// the DRAM accesses of the instructions it executed.
  int64_t peakDramBytes = 0;
  /// From the run's origin (system time 0 of a single run; the start of the
  /// input in a stream) to the chip's halt: off power while asleep and the
  /// wake-up energy (idle power and no wake-up in standby), then active or
  /// idle power per cycle.
  int64_t energyFj = 0;
  /// Cycles from startCycle to the halt in which at least one engine was busy.
  int64_t activeCycles = 0;
  std::vector<ExitCheckOutcome> exitChecks;
};

/// The result of a run: either `ok` with outputs and measurements, or an
/// error (bad inputs, deadlock, arithmetic overflow, out of memory).
struct RunResult {
  bool ok = false;
  std::string error;
  /// Every model output, sized by its signature; bytes no store_output wrote
  /// are zero.
  TensorMap outputs;
  /// One per program, in the model's program order.
  std::vector<ChipMeasurement> chips;
  /// Every executed instruction of every chip, grouped by chip in program
  /// order, each chip's events in execution (stream) order.
  std::vector<TraceEvent> trace;

  /// The measurement of chip `chip`, or null.
  const ChipMeasurement *findChip(int64_t chip) const;
};

/// A run stopped at a checkpoint boundary (docs/execution-model.md,
/// "Checkpoints"): either `ok`, or an error.
struct CheckpointRun {
  bool ok = false;
  std::string error;
  /// What a resumed run needs (Checkpoint.h).
  CheckpointState state;
  /// The chip from its start to the drain of the instructions before the
  /// boundary (path "checkpoint"): cycles and energy equal the boundary's
  /// drainCycles and drainEnergyFj.
  ChipMeasurement drain;
  /// Copying the live ranges to the host, right after the drain: cycles
  /// (the boundary's saveCycles), energy at active power, bytes.
  int64_t saveCycles = 0;
  int64_t saveEnergyFj = 0;
  int64_t savedBytes = 0;
  /// The executed instructions, then the save (named "checkpoint_save").
  std::vector<TraceEvent> trace;
};

/// The result of a stream of inputs (docs/execution-model.md, "Streams"):
/// either `ok` with one run per input, or an error.
struct StreamResult {
  bool ok = false;
  std::string error;
  /// Picoseconds between consecutive releases.
  int64_t intervalPs = 0;
  /// Per input: its run (outputs, and per chip the measurement of this run,
  /// whose startCycle is the run's start since system time 0), its release
  /// (i * intervalPs), the halt of its last chip and the difference, in ps.
  std::vector<RunResult> runs;
  std::vector<int64_t> releasePs;
  std::vector<int64_t> completionPs;
  std::vector<int64_t> latencyPs;
};

/// Knobs of a run that do not change its results.
/// Default of SimulatorOptions::maxWork: 2^36 units of instructionWork(),
/// a few seconds of host time at most (docs/execution-model.md, "Work
/// limit").
constexpr int64_t kDefaultMaxWork = int64_t(1) << 36;

struct SimulatorOptions {
  /// Record a TraceEvent per executed instruction.
  bool trace = true;
  /// The most host work (Model::workPerInput() times the number of inputs) a
  /// run, stream or cascade may ask for; beyond it the call fails before it
  /// simulates anything. The work is known at load time, so an untrusted
  /// binary cannot keep the host busy for longer than this allows.
  int64_t maxWork = kDefaultMaxWork;
};

/// Empty when `inputs` runs of `model` stay within `maxWork` element
/// operations; otherwise the error, naming the work and the limit.
std::string checkWork(const Model &model, size_t inputs, int64_t maxWork);

/// Conditions of one run that do change its results.
struct RunOptions {
  /// Chips that start asleep but are in standby when an escalation wakes
  /// them (docs/execution-model.md, "Standby"): such a chip starts at
  /// ceil(finish(escalate) * ps_sender / ps_here), with no wake cycles and
  /// no wake energy, and draws idle power (not off power) until then. Its
  /// measurement then equals the program's standby budget.
  std::vector<int64_t> standby;
  /// Chips whose exit checks continue whatever their confidence (their
  /// confidence is still computed and reported): the first chip of an
  /// early-exit stream in big mode.
  std::vector<int64_t> forceContinue;
};

//===----------------------------------------------------------------------===//
// Early-exit streams (docs/execution-model.md, "Early-exit streams")
//===----------------------------------------------------------------------===//

/// Which chip answers the inputs of an early-exit stream. In small mode the
/// first chip's exit checks decide as usual; in big mode they are forced to
/// continue, so every input escalates (E4).
enum class CascadeMode : uint8_t { Small, Big };

/// The state of the escalated chip when an input's escalation reached it.
enum class WakeState : uint8_t {
  None,    ///< The input did not escalate.
  Off,     ///< A cold start: wake cycles and wake energy.
  Standby, ///< Within the idle window of its last halt: a standby start.
};

/// The power state of a chip over an interval of an early-exit stream.
enum class PowerState : uint8_t {
  Off,     ///< Asleep: off power.
  Waking,  ///< Between an escalation and the end of the wake cycles.
  Run,     ///< From a run's start to its halt (active or idle cycles).
  Standby, ///< A chip that starts asleep, after a halt: idle power.
  Idle,    ///< A chip that never sleeps, between runs: idle power.
};

/// "off", "waking", "run", "standby", "idle".
std::string_view powerStateName(PowerState state);
/// "small", "big".
std::string_view cascadeModeName(CascadeMode mode);
/// "none", "off", "standby".
std::string_view wakeStateName(WakeState state);

/// One interval of a chip's power timeline, [startPs, endPs).
struct PowerInterval {
  int64_t startPs = 0;
  int64_t endPs = 0;
  PowerState state = PowerState::Off;
  /// The input whose run (or waiting for it) the interval belongs to; -1
  /// for the time between inputs.
  int64_t input = -1;
};

/// A chip's power timeline over the whole stream.
struct ChipPower {
  int64_t chip = 0;
  bool startsAsleep = false;
  /// Consecutive intervals from 0 to the completion of the last input.
  std::vector<PowerInterval> intervals;
  /// The chip's energy over the whole stream, fJ.
  int64_t energyFj = 0;
};

/// Knobs of an early-exit stream. The overrides replace the values of the
/// model's early-exit table.
struct CascadeOptions {
  /// Input i arrives at i * arrivalIntervalPs (0: all wait from the start).
  int64_t arrivalIntervalPs = 0;
  std::optional<int64_t> idleWindowPs;
  std::optional<double> returnThreshold;
};

/// One input of an early-exit stream.
struct CascadeInput {
  /// The input's run: outputs, and per chip its measurement (startCycle
  /// since system time 0; energy from startPs), equal to the budget of its
  /// path (the standby budget when `standby`).
  RunResult run;
  CascadeMode mode = CascadeMode::Small;
  /// The escalated chip ran.
  bool escalated = false;
  WakeState toChipState = WakeState::None;
  int64_t arrivalPs = 0;
  /// max(arrival, previous completion), rounded up to the grid.
  int64_t startPs = 0;
  /// The latest halt of the chips that ran.
  int64_t completionPs = 0;
  int64_t latencyPs = 0; ///< completionPs - arrivalPs.
  int64_t servicePs = 0; ///< completionPs - startPs.
  /// Every chip over [startPs, completionPs], fJ.
  int64_t energyFj = 0;
  /// The confidence of the answer (the table's measure on its output).
  double confidence = 0;
  /// The index of the output's largest element (the first of equal ones);
  /// -1 when it has no finite element.
  int64_t answerClass = -1;
};

/// The result of an early-exit stream: either `ok`, or an error.
struct CascadeResult {
  bool ok = false;
  std::string error;
  /// The least common multiple of the chips' picoseconds per cycle.
  int64_t gridPs = 0;
  int64_t arrivalIntervalPs = 0;
  int64_t idleWindowPs = 0;
  double returnThreshold = 0;
  std::vector<CascadeInput> inputs;
  /// One per program, in the model's program order.
  std::vector<ChipPower> power;
  /// Energy of every chip between the inputs (from a completion to the next
  /// start), in no input's energy.
  int64_t gapEnergyFj = 0;
  /// The sum of the inputs' energies and the gaps.
  int64_t totalEnergyFj = 0;
  /// The completion of the last input.
  int64_t endPs = 0;

  const ChipPower *findPower(int64_t chip) const;
};

/// The confidence of an answer held in host tensor bytes (`sig`'s dtype,
/// row-major) under `measure`: on logits that of their softmax (as an exit
/// check computes it), on probabilities that of the values themselves
/// (docs/execution-model.md, "Early-exit streams"). NaN when a value is not
/// finite.
double answerConfidence(const TensorSignature &sig,
                        const std::vector<uint8_t> &bytes,
                        cost::ConfidenceMeasure measure, AnswerKind answer);

/// The index of the largest element of a host tensor (the first of equal
/// ones, NaN never largest); -1 when it has no element or none is a number.
int64_t answerClass(const TensorSignature &sig,
                    const std::vector<uint8_t> &bytes);

/// Simulates one model. Cheap to construct; run() may be called any number
/// of times, each run starting from fresh memories, also concurrently (a run
/// shares nothing mutable). The model must outlive the simulator.
///
/// How the run proceeds: chips are evaluated in program order, each one
/// instruction at a time in stream order, until it halts or reaches a recv
/// whose send has not been evaluated yet; then the next chip continues,
/// round robin, until no chip can make progress. Each instruction's timing
/// is computed by the rules of docs/execution-model.md and its functional
/// effect is applied at that moment, in stream order; a recv writes the
/// bytes its paired send read when the send was evaluated. For a correctly
/// synchronised program (every consumer waits, through tokens or a recv, for
/// its producer) this order is the data-flow order, so the results are those
/// of the timed execution.
class Simulator {
public:
  explicit Simulator(const Model &model, SimulatorOptions options = {});

  /// Runs one inference. `inputs` must hold exactly the model's inputs, each
  /// with the byte size of its signature.
  RunResult run(const TensorMap &inputs) const;
  /// The same under `runOptions` (standby starts, forced exit checks).
  RunResult run(const TensorMap &inputs, const RunOptions &runOptions) const;

  /// Runs one inference up to checkpoint boundary `index` of the model's
  /// program, drains, and copies the live state out. The model must have one
  /// program with that boundary in its checkpoint table.
  CheckpointRun runToCheckpoint(const TensorMap &inputs, uint32_t index) const;

  /// Resumes a stopped run from `state` (checked with checkCheckpoint())
  /// with the same `inputs`, on a chip freshly loaded with the model: the
  /// restore copies the live ranges back over [0, restoreCycles) (one
  /// trace event "checkpoint_restore" on the dma_in engine), then the rest
  /// of the program runs with every engine free. The chip's measurement
  /// counts from cycle 0: cycles = restoreCycles + resumeCycles, energy =
  /// the restore at active power + resumeEnergyFj, and the restore's bytes.
  /// The outputs are those of an uninterrupted run, bit for bit.
  RunResult resume(const CheckpointState &state, const TensorMap &inputs) const;

  /// Runs a stream: input i (inputs[i], each as for run()) is released at
  /// i * intervalPs; every chip runs its program once per input, in input
  /// order, its run of input i starting at the later of the release (in its
  /// cycles, rounded up) and the halt of its run of input i - 1; messages
  /// pair within one input's runs. Each run starts from the memories the
  /// loader set up. The model must have no escalations (chips that sleep).
  StreamResult runStream(const std::vector<TensorMap> &inputs,
                         int64_t intervalPs) const;

  /// Runs an early-exit stream (E3, E4; docs/execution-model.md,
  /// "Early-exit streams"): the inputs one at a time, each a single run
  /// shifted to its start, the first chip in small or big mode, the
  /// escalated chip started cold or from standby by its idle window. The
  /// model must have an early-exit table.
  CascadeResult runCascade(const std::vector<TensorMap> &inputs,
                           const CascadeOptions &cascadeOptions = {}) const;

private:
  const Model &model;
  SimulatorOptions options;
};

} // namespace npu::rt

#endif // NPU_RT_SIMULATOR_H
