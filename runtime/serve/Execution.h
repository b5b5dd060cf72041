//===- Execution.h - Running the decisions on the simulator -----*- C++ -*-===//
//
// The other side of the promise. Every admitted request runs on the
// functional simulator (real outputs); then the installation's timeline is
// rebuilt from what was measured, independently of the orchestrator's
// arithmetic: operations in decision order, each load timed from the bytes
// of the segments it copies, each run started when its chips are free by
// the measured end of their previous work, on its clock grid, and finished
// at start + the measured cycles of each chip. The predicted completion of
// every request must equal this simulated one, 0 ps off.
//
// Runs are independent (each starts from fresh memories), so they run on
// several host threads; the result does not depend on how many.
//
//===----------------------------------------------------------------------===//

#ifndef NPU_SERVE_EXECUTION_H
#define NPU_SERVE_EXECUTION_H

#include "Orchestrator.h"

#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace npu::serve {

/// Deterministic inputs for a request that brings none: every input filled
/// from `seed` (docs/serving.md, "Inputs"): floats uniform in [-1, 1),
/// integers uniform over the type.
rt::TensorMap makeInputs(const rt::Model &model, uint64_t seed);

/// What the simulator measured for one request on one variant.
struct Measurement {
  bool ok = false;
  std::string error;
  /// Per program of the variant: measured cycles and energy.
  std::vector<int64_t> cycles;
  /// Per program: the path its chip took ("full", "exit N"; "none" for a
  /// chip that never ran), for the bill (Bills.h).
  std::vector<std::string> paths;
  int64_t energyFj = 0;
  /// Counters (of every chip) whose measurement differs from the budget.
  int budgetMismatches = 0;
  /// FNV-1a of every output's bytes, in name order.
  uint64_t outputDigest = 0;
  rt::TensorMap outputs;
};

/// What the simulator measured for one request stopped at a checkpoint
/// boundary (docs/execution-model.md, "Checkpoints"): the drain and the save
/// (runToCheckpoint), and the restore and the rest of the run on a fresh
/// chip (resume), whose outputs must equal the uninterrupted run's. The
/// resume is measured whether the policy resumed or restarted, so that one
/// entry serves every policy.
struct CheckpointMeasurement {
  bool ok = false;
  std::string error;
  int64_t drainCycles = 0;
  int64_t saveCycles = 0;
  /// Restore + resume, from the resumed chip's cycle 0 to its halt.
  int64_t resumedCycles = 0;
  int64_t savedBytes = 0;
  /// The drain, the save, and the resumed run (restore included).
  int64_t drainEnergyFj = 0;
  int64_t saveEnergyFj = 0;
  int64_t resumedEnergyFj = 0;
  /// FNV-1a of the resumed run's outputs, as Measurement::outputDigest.
  uint64_t outputDigest = 0;
};

/// Measurements by (request id, variant): one simulation serves every
/// policy that ran the same request on the same variant (the simulator is
/// deterministic; docs/serving.md, "Benchmark").
class MeasurementCache {
public:
  const Measurement *find(const std::string &request,
                          const Variant *variant) const;
  void insert(const std::string &request, const Variant *variant,
              Measurement m);
  /// The same for runs stopped at boundary `boundary`.
  const CheckpointMeasurement *findStopped(const std::string &request,
                                           const Variant *variant,
                                           uint32_t boundary) const;
  void insertStopped(const std::string &request, const Variant *variant,
                     uint32_t boundary, CheckpointMeasurement m);
  /// Functional simulations run so far, and host seconds they took.
  int64_t simulations = 0;
  double simulationSeconds = 0;

private:
  std::map<std::pair<std::string, const Variant *>, Measurement> entries;
  std::map<std::tuple<std::string, const Variant *, uint32_t>,
           CheckpointMeasurement>
      stopped;
};

/// One request's simulated timeline.
struct Executed {
  bool ran = false;
  Ps startPs = 0;
  Ps completionPs = 0;
  const Measurement *measurement = nullptr;
  /// A preempted request: the simulated end of its save (of its drain, for
  /// a kill) and the start of its restore or restart, and what was
  /// measured at the boundary.
  Ps savedPs = 0;
  Ps resumePs = 0;
  const CheckpointMeasurement *stopped = nullptr;
  /// When its run was replayed: the simulated time its (first) chip was
  /// free from, before the run; a deferral gives the chip back from there.
  Ps chipFreeBeforePs = 0;
  /// Killed at the boundary and restarted, rather than resumed.
  bool restarted = false;
  /// Deferred before it started: it ran once, after the newcomer.
  bool deferred = false;
  /// Failures it survived (its last attempt is the one timed above), and
  /// whether the last was resumed from its checkpoint.
  int recoveries = 0;
  bool fromCheckpoint = false;
  /// Its last attempt ran on a chip that had failed before that attempt's
  /// end there, or restored a checkpoint from a failed host: it was lost.
  /// The orchestrator must never let that happen (docs/serving.md,
  /// "Failure"); the summary counts it.
  bool lost = false;

  /// The energy the request cost: its run's, or for a preempted one the
  /// stopped part plus the resumed (or restarted) run.
  int64_t energyFj() const;
};

/// Where the functional runs happen: in this process (the default), or on
/// the hosts that hold the chips (net/RemoteHosts.h). Either computes the
/// same measurement: the simulator is deterministic.
class Measurer {
public:
  virtual ~Measurer();
  /// One request on one variant, on pool chips `chips` (one per program).
  virtual Measurement measure(const Variant &variant,
                              const InferenceRequest &request,
                              const std::vector<int> &chips,
                              bool keepOutputs) = 0;
  /// The same stopped at checkpoint boundary `boundary` and resumed.
  virtual CheckpointMeasurement
  measureStopped(const Variant &variant, const InferenceRequest &request,
                 const std::vector<int> &chips, uint32_t boundary) = 0;
};

/// The functional runs of this process (what Measurer defaults to).
Measurement simulate(const Variant &variant, const InferenceRequest &request,
                     bool keepOutputs);
CheckpointMeasurement simulateStopped(const Variant &variant,
                                      const InferenceRequest &request,
                                      uint32_t boundary);
/// A binary's inputs for a request: its own, or generated from its seed
/// into `scratch`.
const rt::TensorMap &inputsOf(const rt::Model &model,
                              const InferenceRequest &request,
                              rt::TensorMap &scratch);
/// A simulator of `model` that records no trace (the serving layer keeps
/// its own timeline).
rt::Simulator untraced(const rt::Model &model);
/// FNV-1a of every output's bytes, in name order.
uint64_t digestOf(const rt::TensorMap &outputs);

struct ExecutionOptions {
  int threads = 1;
  /// Null: runs in this process.
  Measurer *measurer = nullptr;
  /// Requests whose runs a caller is measuring meanwhile (Server::supply):
  /// the replay measures none of them and stops before the first Run of
  /// one that has no measurement yet; a later extend goes on from there.
  const std::set<std::string> *awaited = nullptr;
  /// Keep every output tensor (for the client API and --outputs).
  bool keepOutputs = false;
};

/// The simulated installation timeline of an orchestrator's decisions.
struct Execution {
  /// One per decision, in the same order.
  std::vector<Executed> requests;
  /// One per load, in the same order: simulated start and end.
  std::vector<std::pair<Ps, Ps>> loads;
  /// Simulated busy time per pool chip (runs only).
  std::vector<Ps> chipBusyPs;
  /// Per pool chip: its loads and runs as replayed, with the wakes the
  /// power policy asked for (M4); Summary integrates the power states.
  std::vector<std::vector<Activity>> activity;
  /// Any functional run that failed, by request id.
  std::vector<std::string> errors;

  /// Simulates the admitted requests decided since the last call (those
  /// missing from `cache`) and extends the timeline over the operations
  /// decided since then.
  void extend(const Orchestrator &orchestrator, MeasurementCache &cache,
              const ExecutionOptions &options);
  /// How many of the orchestrator's timeline operations are replayed.
  size_t replayed() const { return opsDone; }

private:
  /// A Preempt op: the run stops after its measured drain (and save). A
  /// Resume op: it restores and finishes, or restarts, on its resume chip.
  void replayPreemption(const Orchestrator &orchestrator, const TimelineOp &op,
                        const MeasurementCache &cache);
  /// A Run op, or a Recover op that placed the request again: its attempt
  /// `attempt` runs from `notBeforePs` once its chips are free.
  void replayRun(const Orchestrator &orchestrator, size_t index,
                 size_t attempt, Ps notBeforePs,
                 const MeasurementCache &cache);
  /// A Recover op resumed from a checkpoint.
  void replayResume(const Orchestrator &orchestrator, size_t index,
                    const Recovery &recovery, const MeasurementCache &cache);
  /// Marks the requests whose last attempt a failure cut short.
  void checkLost(const Orchestrator &orchestrator);

  size_t opsDone = 0;
  std::vector<Ps> chipFree;
  std::map<std::string, Ps> channelFree;
  /// When each chip was down: from its failure to its rejoin (or
  /// forever), and when each host failed (Fail and Rejoin ops replayed so
  /// far).
  std::map<int, std::vector<std::pair<Ps, Ps>>> chipDownPs;
  std::map<std::string, std::vector<Ps>> hostFailedPs;
};

/// A whole run: Execution().extend(...).
Execution execute(const Orchestrator &orchestrator, MeasurementCache &cache,
                  const ExecutionOptions &options);

} // namespace npu::serve

#endif // NPU_SERVE_EXECUTION_H
