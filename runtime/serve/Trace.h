//===- Trace.h - The request trace: format, reader, generator ---*- C++ -*-===//
//
// A trace is JSON Lines (docs/serving.md, "Trace format"): an optional
// header, then one inference or allocation request per line in arrival
// order. The reader checks every line before anything runs (so a bad line
// half-way leaves nothing half-served) and names the line of each problem.
//
// The generator reproduces AlpaServe's setup (SERVING.md): Gamma arrivals
// per model with a coefficient of variation (shape 1/CV^2), optional on/off
// bursts, Zipf popularity over the models, SLO = k x the model's compiled
// latency, free and premium tenants with priorities. Its random numbers
// come from splitmix64 and its own Gamma sampler, so the same seed gives
// the same bytes on every machine.
//
//===----------------------------------------------------------------------===//

#ifndef NPU_SERVE_TRACE_H
#define NPU_SERVE_TRACE_H

#include "Installation.h"
#include "Repository.h"
#include "Types.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace npu::serve {

/// One request of a trace, in arrival order.
struct TraceEntry {
  enum class Kind : uint8_t { Infer, Allocate, Fail } kind = Kind::Infer;
  InferenceRequest infer;
  AllocationRequest allocate;
  FailureEvent fail;
  Ps arrivalPs() const {
    return kind == Kind::Infer      ? infer.arrivalPs
           : kind == Kind::Allocate ? allocate.arrivalPs
                                    : fail.atPs;
  }
};

struct Trace {
  /// The span goodput is measured over (header "duration_ps", else the last
  /// arrival).
  Ps durationPs = 0;
  /// Expected requests per second by model (header), for the planner.
  std::map<std::string, double> expectedRates;
  std::vector<TraceEntry> entries;
};

/// Parses and checks a trace against the repository: every model known and
/// ready, deadlines after arrivals, arrivals in order, input files readable
/// and matching the model's signature, ids unique. `baseDir` resolves input
/// file paths. Errors are "FILE:LINE: message".
std::optional<Trace> parseTrace(const std::string &text,
                                const std::string &fileName,
                                const std::string &baseDir,
                                const Repository &repository,
                                std::string &error);
std::optional<Trace> readTraceFile(const std::string &path,
                                   const Repository &repository,
                                   std::string &error);

struct TraceGenOptions {
  uint64_t seed = 1;
  int64_t requests = 1000;
  /// Coefficient of variation of the inter-arrival times.
  double cv = 1;
  /// SLO = sloScale x the model's fastest compiled latency.
  double sloScale = 3;
  /// Offered load as a fraction of the pool's capacity (from the budgets):
  /// total rate = utilisation x chips that can run a model / mean fastest
  /// latency. Ignored when ratePerSecond > 0.
  double utilisation = 0.6;
  double ratePerSecond = 0;
  /// Zipf exponent of model popularity (rank r has weight 1 / r^s).
  double zipf = 1.0;
  double premiumShare = 0.2;
  /// Priorities 1..priorities, uniformly.
  int priorities = 3;
  /// On/off bursts: arrivals only in "on" windows (same mean rate); 0 for
  /// none.
  Ps burstOnPs = 0;
  Ps burstOffPs = 0;
};

/// A trace (JSON Lines text) for the ready models of `repository` on
/// `pool`; empty with `error` set when no model can run anywhere.
std::string generateTrace(const Repository &repository, const Registry &pool,
                          const TraceGenOptions &options, std::string &error);

} // namespace npu::serve

#endif // NPU_SERVE_TRACE_H
