//===- Summary.cpp - The summary of a run and its table -------------------===//

#include "Summary.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <map>

namespace npu::serve {

namespace {

/// The value at quantile q of sorted values (nearest rank).
Ps quantile(const std::vector<Ps> &sorted, double q) {
  if (sorted.empty())
    return 0;
  size_t rank = static_cast<size_t>(std::ceil(q * double(sorted.size())));
  return sorted[std::min(sorted.size() - 1, rank == 0 ? 0 : rank - 1)];
}

std::string fixed(double value, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, value);
  return buf;
}

} // namespace

Summary summarize(const Orchestrator &o, const Execution &ex, Ps spanPs) {
  Summary s;
  s.policy = o.policy().name;
  s.spanPs = spanPs;
  std::vector<Ps> latencies;
  double energy = 0;
  int64_t ran = 0;
  const std::vector<Decision> &decisions = o.decisions();
  for (size_t i = 0; i < decisions.size(); ++i) {
    const Decision &d = decisions[i];
    const Executed &e = ex.requests[i];
    s.requests += 1;
    bool displaced = false;
    for (const Recovery &rec : d.recoveries)
      displaced = displaced || !rec.displacedBy.empty();
    if (d.backfill || displaced)
      s.backfilled += 1;
    s.displaced += displaced ? 1 : 0;
    if (!d.request.allocation.empty())
      s.ownerRequests += 1;
    for (const Recovery &rec : d.recoveries) {
      if (!rec.displacedBy.empty())
        continue;
      s.failureHits += 1;
      (rec.mode == RecoveryMode::Requeue          ? s.requeued
       : rec.mode == RecoveryMode::Restart        ? s.restarted
       : rec.mode == RecoveryMode::FromCheckpoint ? s.resumedFromCheckpoint
                                                  : s.refusedAfterFailure) += 1;
    }
    if (!d.ran()) {
      s.refused += 1;
      continue;
    }
    s.admitted += 1;
    if (!e.measurement || !e.measurement->ok) {
      s.runErrors += 1;
      continue;
    }
    ran += 1;
    s.budgetMismatches += e.measurement->budgetMismatches;
    energy += double(e.energyFj());
    if (d.preemption && (e.stopped || e.deferred)) {
      const Preemption &p = *d.preemption;
      (p.mode == PreemptMode::Checkpoint ? s.checkpoints
       : p.mode == PreemptMode::Kill     ? s.kills
                                         : s.defers) += 1;
      s.checkpointBytes += p.liveBytes;
      s.maxCheckpointErrorPs =
          std::max<Ps>({s.maxCheckpointErrorPs,
                        std::llabs(p.savedPs - e.savedPs),
                        std::llabs(p.resumePs - e.resumePs)});
    }
    Ps error = std::llabs(d.predictedCompletionPs - e.completionPs);
    s.maxErrorPs = std::max(s.maxErrorPs, error);
    latencies.push_back(e.completionPs - d.request.arrivalPs);
    bool inSlo = e.completionPs <= d.request.deadlinePs;
    if (inSlo)
      s.withinSlo += 1;
    else if (displaced)
      s.lateAfterDisplacement += 1;
    else if (!d.recoveries.empty())
      s.lateAfterFailure += 1;
    if (inSlo && !d.request.allocation.empty())
      s.ownerWithinSlo += 1;
    if (e.lost)
      s.lost += 1;
  }
  s.failures = int64_t(o.failures().size());
  for (const LoadOp &l : o.loads())
    (l.onDemand ? s.coldLoads : s.preloads) += 1;
  std::sort(latencies.begin(), latencies.end());
  s.p50Ps = quantile(latencies, 0.50);
  s.p99Ps = quantile(latencies, 0.99);
  s.p9999Ps = quantile(latencies, 0.9999);
  s.goodput = spanPs > 0 ? double(s.withinSlo) * double(kPsPerS) / double(spanPs)
                         : 0;
  s.attainment = s.admitted ? 100.0 * double(s.withinSlo) / double(s.admitted)
                            : 100.0;
  s.refusedPercent =
      s.requests ? 100.0 * double(s.refused) / double(s.requests) : 0;
  s.energyPerInferenceNj = ran ? energy / double(ran) / 1e6 : 0;
  int used = 0;
  double util = 0;
  for (Ps busy : ex.chipBusyPs)
    if (busy > 0 && spanPs > 0) {
      used += 1;
      util += 100.0 * double(busy) / double(spanPs);
    }
  s.utilisation = used ? util / used : 0;

  // Power states: every chip of the pool, until it failed.
  const PowerPolicy &power = o.policy().power;
  s.idleWindow = power.describe();
  Ps end = spanPs;
  for (const std::vector<Activity> &acts : ex.activity)
    for (const Activity &a : acts)
      end = std::max(end, a.endPs);
  std::map<int, Ps> failedAt;
  for (const FailureRecord &f : o.failures())
    for (int c : f.chips)
      failedAt.emplace(c, f.event.atPs);
  double others = 0, offPs = 0, chipPs = 0;
  const std::vector<PoolChip> &pool = o.pool().chips();
  for (size_t c = 0; c < pool.size() && c < ex.activity.size(); ++c) {
    if (!pool[c].present)
      continue;
    Ps chipEnd = end;
    if (auto f = failedAt.find(int(c)); f != failedAt.end())
      chipEnd = std::min(chipEnd, f->second);
    std::vector<Activity> acts;
    for (Activity a : ex.activity[c])
      if (a.startPs < chipEnd) {
        a.endPs = std::min(a.endPs, chipEnd);
        acts.push_back(a);
      }
    s.chips += 1;
    if (ex.chipBusyPs[c] > 0)
      s.chipsUsed += 1;
    PowerEnergy pe = integrate(std::move(acts), pool[c].desc, power, chipEnd);
    s.idleEnergyUj += pe.idleFj / 1e9;
    s.offEnergyUj += pe.offFj / 1e9;
    s.wakeEnergyUj += pe.wakeFj / 1e9;
    s.loadEnergyUj += pe.loadFj / 1e9;
    s.wakes += pe.wakes;
    others += pe.idleFj + pe.offFj + pe.wakeFj + pe.loadFj;
    offPs += double(pe.offPs);
    chipPs += double(chipEnd);
  }
  s.allInEnergyPerInferenceNj = ran ? (energy + others) / double(ran) / 1e6 : 0;
  s.offPercent = chipPs > 0 ? 100.0 * offPs / chipPs : 0;
  return s;
}

std::string formatSummaryTable(const std::vector<Summary> &summaries) {
  std::string out;
  char line[512];
  std::snprintf(line, sizeof line,
                "%-19s %9s %9s %8s %11s %8s %8s %11s %11s %11s %6s %10s %6s "
                "%9s\n",
                "policy", "requests", "in SLO", "refused", "goodput/s",
                "attain%", "refuse%", "p50 ns", "p99 ns", "p99.99 ns",
                "util%", "nJ/infer", "cold", "max err");
  out += line;
  for (const Summary &s : summaries) {
    std::snprintf(
        line, sizeof line,
        "%-19s %9" PRId64 " %9" PRId64 " %8" PRId64
        " %11.1f %8.3f %8.2f %11.1f %11.1f %11.1f %6.1f %10.1f %6" PRId64
        " %6" PRId64 " ps\n",
        s.policy.c_str(), s.requests, s.withinSlo, s.refused, s.goodput,
        s.attainment, s.refusedPercent, double(s.p50Ps) / 1000.0,
        double(s.p99Ps) / 1000.0, double(s.p9999Ps) / 1000.0, s.utilisation,
        s.energyPerInferenceNj, s.coldLoads, s.maxErrorPs);
    out += line;
  }
  for (const Summary &s : summaries) {
    std::snprintf(line, sizeof line,
                  "%-19s power (idle window %s): all-in %.1f nJ/infer; idle "
                  "%.1f uJ, off %.1f uJ, %" PRId64 " wakes %.1f uJ, loads "
                  "%.1f uJ; %" PRId64 " of %" PRId64
                  " chips ran work, off %.1f %% of chip time\n",
                  s.policy.c_str(), s.idleWindow.c_str(),
                  s.allInEnergyPerInferenceNj, s.idleEnergyUj, s.offEnergyUj,
                  s.wakes, s.wakeEnergyUj, s.loadEnergyUj, s.chipsUsed, s.chips,
                  s.offPercent);
    out += line;
  }
  for (const Summary &s : summaries) {
    if (s.backfilled == 0 && s.ownerRequests == 0)
      continue;
    std::snprintf(line, sizeof line,
                  "%-19s backfill: %" PRId64 " requests on idle allocated "
                  "chips, %" PRId64 " displaced (%" PRId64
                  " late); owners' requests %" PRId64 " of %" PRId64
                  " within SLO\n",
                  s.policy.c_str(), s.backfilled, s.displaced,
                  s.lateAfterDisplacement, s.ownerWithinSlo, s.ownerRequests);
    out += line;
  }
  for (const Summary &s : summaries) {
    if (s.failures == 0)
      continue;
    std::snprintf(line, sizeof line,
                  "%-19s %" PRId64 " failures hit %" PRId64
                  " requests: %" PRId64 " placed again, %" PRId64
                  " restarted, %" PRId64 " resumed from a checkpoint, %" PRId64
                  " refused; %" PRId64 " late, %" PRId64 " lost\n",
                  s.policy.c_str(), s.failures, s.failureHits, s.requeued,
                  s.restarted, s.resumedFromCheckpoint, s.refusedAfterFailure,
                  s.lateAfterFailure, s.lost);
    out += line;
  }
  return out;
}

std::string summaryJson(const std::vector<Summary> &summaries) {
  nlohmann::ordered_json all = nlohmann::ordered_json::array();
  for (const Summary &s : summaries) {
    nlohmann::ordered_json j;
    j["policy"] = s.policy;
    j["requests"] = s.requests;
    j["admitted"] = s.admitted;
    j["refused"] = s.refused;
    j["within_slo"] = s.withinSlo;
    j["goodput_per_s"] = std::stod(fixed(s.goodput, 3));
    j["attainment_percent"] = std::stod(fixed(s.attainment, 4));
    j["refused_percent"] = std::stod(fixed(s.refusedPercent, 4));
    j["latency_p50_ps"] = s.p50Ps;
    j["latency_p99_ps"] = s.p99Ps;
    j["latency_p9999_ps"] = s.p9999Ps;
    j["utilisation_percent"] = std::stod(fixed(s.utilisation, 3));
    j["energy_per_inference_nj"] = std::stod(fixed(s.energyPerInferenceNj, 3));
    j["cold_loads"] = s.coldLoads;
    j["preloads"] = s.preloads;
    j["max_prediction_error_ps"] = s.maxErrorPs;
    j["budget_mismatches"] = s.budgetMismatches;
    j["run_errors"] = s.runErrors;
    j["checkpoints"] = s.checkpoints;
    j["kills"] = s.kills;
    j["defers"] = s.defers;
    j["checkpoint_bytes"] = s.checkpointBytes;
    j["max_checkpoint_error_ps"] = s.maxCheckpointErrorPs;
    j["failures"] = s.failures;
    j["failure_hits"] = s.failureHits;
    j["requeued_after_failure"] = s.requeued;
    j["restarted_after_failure"] = s.restarted;
    j["resumed_from_checkpoint_after_failure"] = s.resumedFromCheckpoint;
    j["refused_after_failure"] = s.refusedAfterFailure;
    j["late_after_failure"] = s.lateAfterFailure;
    j["lost"] = s.lost;
    j["backfilled"] = s.backfilled;
    j["displaced"] = s.displaced;
    j["late_after_displacement"] = s.lateAfterDisplacement;
    j["owner_requests"] = s.ownerRequests;
    j["owner_within_slo"] = s.ownerWithinSlo;
    j["idle_window"] = s.idleWindow;
    j["idle_energy_uj"] = std::stod(fixed(s.idleEnergyUj, 3));
    j["off_energy_uj"] = std::stod(fixed(s.offEnergyUj, 3));
    j["wake_energy_uj"] = std::stod(fixed(s.wakeEnergyUj, 3));
    j["load_energy_uj"] = std::stod(fixed(s.loadEnergyUj, 3));
    j["wakes"] = s.wakes;
    j["all_in_energy_per_inference_nj"] =
        std::stod(fixed(s.allInEnergyPerInferenceNj, 3));
    j["chips_used"] = s.chipsUsed;
    j["chips"] = s.chips;
    j["off_percent"] = std::stod(fixed(s.offPercent, 3));
    j["span_ps"] = s.spanPs;
    all.push_back(std::move(j));
  }
  // Apart from the loop above, so that the bills stay the last key.
  for (size_t i = 0; i < summaries.size(); ++i)
    if (summaries[i].bills)
      all[i]["bills"] = billTotalsJson(*summaries[i].bills);
  return all.dump(2) + "\n";
}

} // namespace npu::serve
