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
#include <string>
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

/// Measurements by (request id, variant): one simulation serves every
/// policy that ran the same request on the same variant (the simulator is
/// deterministic; docs/serving.md, "Benchmark").
class MeasurementCache {
public:
  const Measurement *find(const std::string &request,
                          const Variant *variant) const;
  void insert(const std::string &request, const Variant *variant,
              Measurement m);
  /// Functional simulations run so far, and host seconds they took.
  int64_t simulations = 0;
  double simulationSeconds = 0;

private:
  std::map<std::pair<std::string, const Variant *>, Measurement> entries;
};

/// One request's simulated timeline.
struct Executed {
  bool ran = false;
  Ps startPs = 0;
  Ps completionPs = 0;
  const Measurement *measurement = nullptr;
};

struct ExecutionOptions {
  int threads = 1;
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
  /// Any functional run that failed, by request id.
  std::vector<std::string> errors;

  /// Simulates the admitted requests decided since the last call (those
  /// missing from `cache`) and extends the timeline over the operations
  /// decided since then.
  void extend(const Orchestrator &orchestrator, MeasurementCache &cache,
              const ExecutionOptions &options);

private:
  size_t opsDone = 0;
  std::vector<Ps> chipFree;
  std::map<std::string, Ps> channelFree;
};

/// A whole run: Execution().extend(...).
Execution execute(const Orchestrator &orchestrator, MeasurementCache &cache,
                  const ExecutionOptions &options);

} // namespace npu::serve

#endif // NPU_SERVE_EXECUTION_H
