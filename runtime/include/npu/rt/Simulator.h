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

#include "npu/rt/Cost.h"
#include "npu/rt/Model.h"

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace npu::rt {

/// Host tensors by name: the raw little-endian bytes of each tensor, laid out
/// as its signature says (row-major, elementBytes(dtype) per element).
using TensorMap = std::map<std::string, std::vector<uint8_t>>;

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
  /// From system time 0 to the chip's halt: off power while asleep, the
  /// wake-up energy, then active or idle power per cycle.
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
struct SimulatorOptions {
  /// Record a TraceEvent per executed instruction.
  bool trace = true;
};

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

  /// Runs a stream: input i (inputs[i], each as for run()) is released at
  /// i * intervalPs; every chip runs its program once per input, in input
  /// order, its run of input i starting at the later of the release (in its
  /// cycles, rounded up) and the halt of its run of input i - 1; messages
  /// pair within one input's runs. Each run starts from the memories the
  /// loader set up. The model must have no escalations (chips that sleep).
  StreamResult runStream(const std::vector<TensorMap> &inputs,
                         int64_t intervalPs) const;

private:
  const Model &model;
  SimulatorOptions options;
};

} // namespace npu::rt

#endif // NPU_RT_SIMULATOR_H
