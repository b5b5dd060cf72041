//===- Summary.h - What a serving run did, for people and tools -*- C++ -*-===//
//
// Four renderings of one policy's run over a trace (docs/serving.md,
// "Reports"):
//  - per-request records, JSON Lines: decision, reason, variant, chips,
//    predicted and simulated start and completion, latency, energy, output
//    digest;
//  - a summary (goodput, SLO attainment, refusals, latency percentiles,
//    utilisation, energy per inference, cold loads, the largest prediction
//    error), as a table row and as JSON;
//  - Prometheus text exposition (prometheus-cpp): counters, latency
//    histograms per model and tier, chip gauges and the budgets;
//  - a Perfetto trace: one process per host, one track per chip, requests
//    and loads as slices.
// Each is a pure function of its inputs: the same run gives the same bytes.
//
//===----------------------------------------------------------------------===//

#ifndef NPU_SERVE_SUMMARY_H
#define NPU_SERVE_SUMMARY_H

#include "Bills.h"
#include "Execution.h"
#include "Orchestrator.h"

#include <optional>
#include <string>
#include <vector>

namespace npu::serve {

struct Summary {
  std::string policy;
  /// The bill totals, when the run was priced (`--price-table`, G10).
  std::optional<BillTotals> bills;
  int64_t requests = 0;
  int64_t admitted = 0; ///< Admitted or run late (baselines).
  int64_t refused = 0;  ///< Refused or dropped.
  int64_t withinSlo = 0;
  /// Requests within their SLO per second of trace (AlpaServe's goodput).
  double goodput = 0;
  /// Within SLO / admitted, in %.
  double attainment = 0;
  double refusedPercent = 0;
  Ps p50Ps = 0, p99Ps = 0, p9999Ps = 0;
  /// Busy time / trace span, averaged over the chips that ran anything, %.
  double utilisation = 0;
  double energyPerInferenceNj = 0;
  int64_t coldLoads = 0;
  int64_t preloads = 0;
  /// max |predicted - simulated| completion over requests that ran.
  Ps maxErrorPs = 0;
  int64_t budgetMismatches = 0;
  int64_t runErrors = 0;
  Ps spanPs = 0;
  /// Requests stopped for a higher priority: checkpointed, killed; the live
  /// bytes the checkpoints saved; max |predicted - simulated| end of a save
  /// and start of a resume (docs/serving.md, "Preemption").
  int64_t checkpoints = 0;
  int64_t kills = 0;
  /// Requests placed but not started, run after a newcomer instead.
  int64_t defers = 0;
  int64_t checkpointBytes = 0;
  Ps maxCheckpointErrorPs = 0;
  /// Failures (M6) and the requests they hit: placed again (not started),
  /// restarted, resumed from a checkpoint, refused; late among those that
  /// ran; lost: ran on a chip that had failed (must be 0).
  int64_t failures = 0;
  int64_t failureHits = 0;
  int64_t requeued = 0;
  int64_t restarted = 0;
  int64_t resumedFromCheckpoint = 0;
  int64_t refusedAfterFailure = 0;
  int64_t lateAfterFailure = 0;
  int64_t lost = 0;
  /// Backfill (G8): requests placed on another client's idle allocated
  /// chips, those an owner's request displaced, and of those the late
  /// ones; the owner's requests (of an allocation) and how many of them
  /// were within their SLO.
  int64_t backfilled = 0;
  int64_t displaced = 0;
  int64_t lateAfterDisplacement = 0;
  int64_t ownerRequests = 0;
  int64_t ownerWithinSlo = 0;
  /// Power states (M4; Power.h), over [0, the later of the span and the
  /// last activity]: the policy's idle window, the energy of idle, off,
  /// wakes and loads (in uJ), the wakes, the energy of everything (runs
  /// too) per inference, the chips that ran anything, and the share of
  /// chip time spent off.
  std::string idleWindow = "never";
  double idleEnergyUj = 0;
  double offEnergyUj = 0;
  double wakeEnergyUj = 0;
  double loadEnergyUj = 0;
  int64_t wakes = 0;
  double allInEnergyPerInferenceNj = 0;
  int64_t chipsUsed = 0;
  int64_t chips = 0;
  double offPercent = 0;
};

/// `spanPs`: the trace's duration (goodput's denominator).
Summary summarize(const Orchestrator &orchestrator, const Execution &execution,
                  Ps spanPs);

/// The table's header and one row per summary.
std::string formatSummaryTable(const std::vector<Summary> &summaries);
std::string summaryJson(const std::vector<Summary> &summaries);

/// One JSON object per line: every inference decision, then every
/// allocation answer.
std::string requestRecords(const Orchestrator &orchestrator,
                           const Execution &execution);

/// Prometheus text exposition of the run.
std::string prometheusText(const Orchestrator &orchestrator,
                           const Execution &execution, Ps spanPs);

/// A Chrome/Perfetto trace (JSON object format) of the installation.
std::string perfettoTrace(const Orchestrator &orchestrator,
                          const Execution &execution);

/// The repository index as a table (state, reason, variants and their
/// budgets, and where each can run).
std::string formatIndex(const Repository &repository, const Registry *pool);

} // namespace npu::serve

#endif // NPU_SERVE_SUMMARY_H
