//===- Schedule.h - Static schedule and exact budgets -----------*- C++ -*-===//
//
// Evaluates every npuisa program of a module under the timing rules of
// docs/execution-model.md and derives, per program and per execution path,
// the exact budget the simulator must measure: cycles, engine busy cycles,
// bytes over the host link, DRAM and links, peak SRAM bytes, peak DRAM
// bytes and energy.
// This is the compiler's independent implementation of those rules; the
// runtime has its own.
//
//===----------------------------------------------------------------------===//

#ifndef NPU_ANALYSIS_SCHEDULE_H
#define NPU_ANALYSIS_SCHEDULE_H

#include "npu/Dialect/NPUISA/NPUISAOps.h"
#include "npu/rt/Cost.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/DenseMap.h"

#include <array>
#include <optional>
#include <string>

namespace mlir::npu {

/// What one path of one program costs.
struct PathBudget {
  /// "full" (no exit taken) or "exit N" (the N-th exit check is confident).
  std::string path;
  /// finish(halt) minus the chip's start cycle; 0 when the chip never runs.
  int64_t cycles = 0;
  /// The chip's start cycle (0, or its wake-up cycle when it starts asleep).
  int64_t startCycle = 0;
  std::array<int64_t, ::npu::rt::cost::kNumEngines> engineBusy = {};
  int64_t hostBytes = 0;
  int64_t dramBytes = 0;
  int64_t linkBytes = 0;
  int64_t peakSramBytes = 0;
  /// One past the highest DRAM byte the program needs: over its segments
  /// (`npuisa.segments`) and the DRAM accesses of the executed instructions;
  /// 0 when the chip never runs.
  int64_t peakDramBytes = 0;
  /// Energy of the chip from cycle 0 to its halt: off power while asleep,
  /// the wake-up energy (idle power and no wake-up for a standby start),
  /// then active/idle power (docs/execution-model.md).
  int64_t energyFj = 0;
  /// True for the budget of a standby start (docs/execution-model.md,
  /// "Standby").
  bool standby = false;
};

/// The budgets of one program, one per path, "exit 1".."exit N" then "full".
struct ProgramBudget {
  npuisa::ProgramOp program;
  int64_t chip = 0;
  /// True when the program's chip starts asleep (an escalation target).
  bool startsAsleep = false;
  SmallVector<PathBudget> paths;
  /// For a chip that starts asleep, the budgets of the same paths when it
  /// is woken in standby: it starts at ceil(finish(escalate) * ps_sender /
  /// ps_here), with no wake cycles and no wake energy, and draws idle power
  /// until then (E4: it was kept on after an earlier run). Empty otherwise.
  SmallVector<PathBudget, 0> standbyPaths;
};

/// Start and duration of one instruction (on the paths containing it, with
/// the other programs on their "full" paths).
struct InstrTiming {
  int64_t start = 0;
  int64_t cycles = 0;
};

/// One way through a program: the instructions a run executes, in stream
/// order, when it leaves by the N-th exit check ("exit N") or by the end of
/// the program ("full").
struct ExecutionPath {
  std::string name;
  SmallVector<npuisa::CostOpInterface> instrs;
};

/// Every path of `program`: "exit 1".."exit N" (exit checks numbered in
/// stream order, nested ones included), then "full".
SmallVector<ExecutionPath> enumeratePaths(npuisa::ProgramOp program);

/// A stream of inputs through every program (docs/execution-model.md,
/// "Streams"): input i is released at i * intervalPs; each chip runs its
/// program once per input, in order, a run starting at the later of the
/// release and the chip's previous halt.
struct StreamBudget {
  /// Picoseconds between consecutive releases: the smallest multiple of
  /// `gridPs` (searched up to the single-run latency) at which the runs
  /// reach a steady state, so that the latency stops changing.
  int64_t intervalPs = 0;
  /// The least common multiple of the chips' picoseconds per cycle: a
  /// release on this grid starts every chip on a cycle boundary.
  int64_t gridPs = 0;
  /// Picoseconds from the release of input i to the halt of its last run,
  /// for i = 0 .. size - 1; every later input takes latencyPs.back() (the
  /// steady-state latency). latencyPs[0] is the latency of a single run.
  SmallVector<int64_t> latencyPs;
};

/// The static schedule of a module's npuisa programs.
class ScheduleAnalysis {
public:
  /// Computes the schedule; on failure (deadlock, missing system) it has
  /// emitted a diagnostic and failed() is true.
  explicit ScheduleAnalysis(Operation *module);

  bool failed() const { return hasFailed; }
  ArrayRef<ProgramBudget> getBudgets() const { return budgets; }
  /// The timing of an instruction, or nullopt for an op that is not an
  /// instruction of a scheduled program.
  std::optional<InstrTiming> getTiming(Operation *instr) const;
  /// The stream budget; nullopt when a program has exit checks or
  /// escalations (the path of each input then depends on its data), the
  /// chips' clocks have no common grid below 1 us, or the schedule failed.
  /// Computed on the first call (npu-schedule does not need it).
  const std::optional<StreamBudget> &getStream() const;

private:
  Operation *root = nullptr;
  bool hasFailed = false;
  mutable std::optional<std::optional<StreamBudget>> stream;
  SmallVector<ProgramBudget> budgets;
  llvm::DenseMap<Operation *, InstrTiming> timings;
};

} // namespace mlir::npu

#endif // NPU_ANALYSIS_SCHEDULE_H
