//===- Metrics.h - The controller's Prometheus exposition -------*- C++ -*-===//
//
// prometheus-cpp's registry and its HTTP exposer (text format on
// /metrics). What is exposed (docs/serving.md, "Metrics"):
//
//   npu_requests_total{model,tier,outcome}        counter
//   npu_request_latency_seconds{model,tier}       histogram, simulated
//   npu_request_wall_seconds{model,tier}          histogram, wall clock
//   npu_energy_joules_total{model}                counter, measured
//   npu_prediction_error_seconds_max              gauge, |predicted-simulated|
//   npu_budget_mismatches_total                   counter (0 is the promise)
//   npu_chip_up{chip}, npu_chip_allocated{chip}   gauges, per pool chip
//   npu_chip_busy_seconds{chip}                   gauge, simulated
//   npu_variant_budget_cycles{model,variant,program} gauge, the exact budget
//   npu_variant_budget_energy_joules{model,variant}
//   npu_variant_latency_seconds{model,variant}
//   npu_controller_leader                         gauge, 1 when leading
//
// Histograms, not summaries, so that a p99 aggregates across servers.
//
//===----------------------------------------------------------------------===//

#ifndef NPU_SERVE_NET_METRICS_H
#define NPU_SERVE_NET_METRICS_H

#include "Server.h"

#include <memory>
#include <string>

namespace npu::serve::net {

class Metrics {
public:
  /// Serves /metrics on `address` (host:port; port 0: any). Null with
  /// `error` set when it cannot listen.
  static std::unique_ptr<Metrics> listen(const std::string &address,
                                         std::string &error);
  ~Metrics();

  /// The address it listens on.
  const std::string &address() const;
  /// One answered request.
  void request(const std::string &model, Tier tier, const InferResponse &r,
               Ps arrivalPs, double wallSeconds);
  /// The state of the pool and the budgets of the repository, after a
  /// change (leadership, a failure, a load).
  void pool(const Server &server, bool leader);

private:
  Metrics();
  struct Impl;
  std::unique_ptr<Impl> impl;
};

} // namespace npu::serve::net

#endif // NPU_SERVE_NET_METRICS_H
