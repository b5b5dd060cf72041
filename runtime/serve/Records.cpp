//===- Records.cpp - Per-request records, metrics, traces, the index ------===//

#include "Summary.h"

#include <nlohmann/json.hpp>
#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <cinttypes>
#include <cstdio>
#include <map>

namespace npu::serve {

using ojson = nlohmann::ordered_json;

namespace {

std::string hex64(uint64_t v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%016" PRIx64, v);
  return buf;
}

ojson chipKeys(const Orchestrator &o, const std::vector<int> &chips) {
  ojson out = ojson::array();
  for (int c : chips)
    out.push_back(o.pool().chips()[c].key());
  return out;
}

/// Microseconds for a Perfetto "ts"/"dur": exact decimal of ps / 10^6.
std::string micros(Ps t) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%" PRId64 ".%06" PRId64, t / kPsPerUs,
                t % kPsPerUs);
  return buf;
}

} // namespace

std::string requestRecords(const Orchestrator &o, const Execution &ex) {
  std::string out;
  const std::vector<Decision> &decisions = o.decisions();
  for (size_t i = 0; i < decisions.size(); ++i) {
    const Decision &d = decisions[i];
    const Executed &e = ex.requests[i];
    ojson j;
    j["type"] = "infer";
    j["id"] = d.request.id;
    j["model"] = d.request.model;
    j["tier"] = std::string(tierName(d.request.tier));
    j["priority"] = d.request.priority;
    j["arrival_ps"] = d.request.arrivalPs;
    j["deadline_ps"] = d.request.deadlinePs;
    if (d.request.minAccuracy)
      j["min_accuracy"] = *d.request.minAccuracy;
    j["outcome"] = std::string(outcomeName(d.outcome));
    if (!d.reason.empty())
      j["reason"] = d.reason;
    if (!d.recoveries.empty()) {
      ojson all = ojson::array();
      for (const Recovery &rec : d.recoveries) {
        ojson r;
        if (rec.displacedBy.empty())
          r["failure"] = o.failures()[rec.failure].event.id;
        else
          r["displaced_by"] = rec.displacedBy;
        r["mode"] = std::string(recoveryModeName(rec.mode));
        r["decided_ps"] = rec.decidedPs;
        r["lost_chips"] = chipKeys(o, rec.lostChips);
        r["lost_start_ps"] = rec.lostStartPs;
        r["lost_completion_ps"] = rec.lostCompletionPs;
        r["why"] = rec.why;
        all.push_back(std::move(r));
      }
      j["failures"] = std::move(all);
      if (d.ran())
        j["lost"] = e.lost;
    }
    if (d.ran()) {
      j["variant"] = d.variant->name;
      if (d.backfill)
        j["backfill"] = true;
      if (d.variant->accuracy)
        j["accuracy"] = *d.variant->accuracy;
      j["chips"] = chipKeys(o, d.chips);
      j["cold_loads"] = d.coldLoads;
      j["predicted_start_ps"] = d.startPs;
      j["predicted_completion_ps"] = d.predictedCompletionPs;
      if (e.measurement && e.measurement->ok) {
        j["simulated_start_ps"] = e.startPs;
        j["simulated_completion_ps"] = e.completionPs;
        j["prediction_error_ps"] = e.completionPs - d.predictedCompletionPs;
        j["latency_ps"] = e.completionPs - d.request.arrivalPs;
        j["within_slo"] = e.completionPs <= d.request.deadlinePs;
        j["energy_fj"] = e.energyFj();
        j["budget_mismatches"] = e.measurement->budgetMismatches;
        j["output_digest"] = hex64(e.measurement->outputDigest);
        if (d.preemption && (e.stopped || e.deferred)) {
          const Preemption &p = *d.preemption;
          ojson pre;
          pre["mode"] = std::string(preemptModeName(p.mode));
          pre["by"] = p.by;
          pre["boundary"] = p.boundary;
          pre["live_bytes"] = p.liveBytes;
          pre["why"] = p.why;
          pre["original_completion_ps"] = p.originalCompletionPs;
          pre["predicted_saved_ps"] = p.savedPs;
          pre["simulated_saved_ps"] = e.savedPs;
          pre["predicted_resume_ps"] = p.resumePs;
          pre["simulated_resume_ps"] = e.resumePs;
          pre["resume_chip"] = chipKeys(o, {p.resumeChip}).front();
          if (e.stopped)
            pre["resumed_digest"] = hex64(e.stopped->outputDigest);
          j["preemption"] = std::move(pre);
        }
      } else if (e.measurement) {
        j["error"] = e.measurement->error;
      }
    }
    out += j.dump() + "\n";
  }
  for (const AllocationAnswer &a : o.allocations()) {
    ojson j;
    j["type"] = "allocate";
    j["id"] = a.request.id;
    j["client"] = a.request.client;
    j["model"] = a.request.model;
    j["arrival_ps"] = a.request.arrivalPs;
    j["outcome"] = std::string(outcomeName(a.outcome));
    if (!a.reason.empty())
      j["reason"] = a.reason;
    j["decided_ps"] = a.decidedPs;
    if (a.outcome == Outcome::Admitted) {
      j["variant"] = a.variant->name;
      j["chips_needed"] = a.chipsNeeded;
      j["chips"] = chipKeys(o, a.chips);
      j["granted_ps"] = a.grantedPs;
      j["end_ps"] = a.endPs;
      if (!a.preemptedBy.empty())
        j["preempted_by"] = a.preemptedBy;
      if (!a.failedChips.empty()) {
        j["failed_chips"] = chipKeys(o, a.failedChips);
        j["replacement_chips"] = chipKeys(o, a.replacementChips);
      }
    }
    out += j.dump() + "\n";
  }
  for (const FailureRecord &f : o.failures()) {
    ojson j;
    j["type"] = "fail";
    j["id"] = f.event.id;
    j["t_ps"] = f.event.atPs;
    j["detected_ps"] = f.event.detectedPs();
    j["host"] = f.event.host;
    j["chips"] = chipKeys(o, f.chips);
    ojson hit = ojson::array();
    for (size_t i : f.hit)
      hit.push_back(o.decisions()[i].request.id);
    j["hit"] = std::move(hit);
    j["refused"] = f.refused;
    j["allocations"] = f.allocations;
    out += j.dump() + "\n";
  }
  return out;
}

std::string prometheusText(const Orchestrator &o, const Execution &ex,
                           Ps spanPs) {
  using namespace prometheus;
  auto registry = std::make_shared<prometheus::Registry>();
  auto &requests = BuildCounter()
                       .Name("npu_serve_requests_total")
                       .Help("Inference requests by model, tier and outcome")
                       .Register(*registry);
  auto &inSlo = BuildCounter()
                    .Name("npu_serve_requests_within_slo_total")
                    .Help("Requests that completed by their deadline")
                    .Register(*registry);
  auto &latency = BuildHistogram()
                      .Name("npu_serve_latency_seconds")
                      .Help("Simulated latency (arrival to completion)")
                      .Register(*registry);
  auto &energy = BuildCounter()
                     .Name("npu_serve_energy_joules_total")
                     .Help("Energy of the requests' runs")
                     .Register(*registry);
  auto &error = BuildGauge()
                    .Name("npu_serve_max_prediction_error_seconds")
                    .Help("Largest |predicted - simulated| completion")
                    .Register(*registry);
  auto &util = BuildGauge()
                   .Name("npu_serve_chip_utilisation_ratio")
                   .Help("Busy time of the chip over the trace")
                   .Register(*registry);
  auto &resident = BuildGauge()
                       .Name("npu_serve_chip_resident_bytes")
                       .Help("DRAM held by resident models at the end")
                       .Register(*registry);
  auto &budgetLatency = BuildGauge()
                            .Name("npu_model_budget_latency_seconds")
                            .Help("Compiled latency of each variant (exact)")
                            .Register(*registry);
  auto &budgetEnergy = BuildGauge()
                           .Name("npu_model_budget_energy_joules")
                           .Help("Compiled energy of each variant (exact)")
                           .Register(*registry);
  const Histogram::BucketBoundaries buckets = {
      1e-6, 2e-6, 5e-6, 1e-5, 2e-5, 5e-5, 1e-4, 2e-4, 5e-4,
      1e-3, 2e-3, 5e-3, 1e-2, 2e-2, 5e-2, 0.1,  0.2,  0.5, 1.0};
  std::map<std::pair<std::string, std::string>, Histogram *> histograms;
  Ps maxError = 0;
  const std::vector<Decision> &decisions = o.decisions();
  for (size_t i = 0; i < decisions.size(); ++i) {
    const Decision &d = decisions[i];
    std::string tier(tierName(d.request.tier));
    requests
        .Add({{"model", d.request.model},
              {"tier", tier},
              {"outcome", std::string(outcomeName(d.outcome))}})
        .Increment();
    const Executed &e = ex.requests[i];
    if (!d.ran() || !e.measurement || !e.measurement->ok)
      continue;
    auto key = std::make_pair(d.request.model, tier);
    auto h = histograms.find(key);
    if (h == histograms.end())
      h = histograms
              .emplace(key, &latency.Add({{"model", key.first},
                                          {"tier", key.second}},
                                         buckets))
              .first;
    h->second->Observe(double(e.completionPs - d.request.arrivalPs) / 1e12);
    if (e.completionPs <= d.request.deadlinePs)
      inSlo.Add({{"model", d.request.model}, {"tier", tier}}).Increment();
    energy.Add({{"model", d.request.model}})
        .Increment(double(e.measurement->energyFj) / 1e15);
    maxError = std::max<Ps>(maxError, std::llabs(d.predictedCompletionPs -
                                                 e.completionPs));
  }
  error.Add({}).Set(double(maxError) / 1e12);
  for (const PoolChip &chip : o.pool().chips()) {
    std::map<std::string, std::string> labels = {
        {"chip", chip.key()},
        {"kind", std::string(rt::toString(chip.desc.kind))},
        {"tier", std::string(tierName(chip.tier))}};
    util.Add(labels).Set(spanPs > 0 ? double(ex.chipBusyPs[chip.index]) /
                                          double(spanPs)
                                    : 0);
    resident.Add(labels).Set(
        double(o.chipStates()[chip.index].residency.usedBytes()));
  }
  for (const ModelEntry &m : o.models().index())
    for (const Variant &v : m.variants) {
      budgetLatency.Add({{"model", m.name}, {"variant", v.name}})
          .Set(double(v.latencyPs) / 1e12);
      budgetEnergy.Add({{"model", m.name}, {"variant", v.name}})
          .Set(double(v.energyFj) / 1e15);
    }
  return TextSerializer().Serialize(registry->Collect());
}

std::string perfettoTrace(const Orchestrator &o, const Execution &ex) {
  // Hand-assembled lines keep exact microsecond decimals; every string is
  // escaped through nlohmann.
  std::string out = "{\"displayTimeUnit\": \"ns\", \"traceEvents\": [\n";
  bool first = true;
  auto emit = [&](const std::string &event) {
    out += first ? "  " : ",\n  ";
    out += event;
    first = false;
  };
  std::map<std::string, int> pids;
  for (const std::string &host : o.pool().hostOrder())
    pids.emplace(host, int(pids.size()) + 1);
  for (const auto &[host, pid] : pids)
    emit("{\"ph\": \"M\", \"name\": \"process_name\", \"pid\": " +
         std::to_string(pid) + ", \"args\": {\"name\": " +
         ojson(host).dump() + "}}");
  for (const PoolChip &chip : o.pool().chips())
    emit("{\"ph\": \"M\", \"name\": \"thread_name\", \"pid\": " +
         std::to_string(pids[chip.host]) +
         ", \"tid\": " + std::to_string(chip.index + 1) +
         ", \"args\": {\"name\": " + ojson(chip.desc.name).dump() + "}}");
  auto slice = [&](int chip, const std::string &name, Ps start, Ps end,
                   const ojson &args) {
    const PoolChip &c = o.pool().chips()[chip];
    emit("{\"ph\": \"X\", \"name\": " + ojson(name).dump() +
         ", \"pid\": " + std::to_string(pids[c.host]) +
         ", \"tid\": " + std::to_string(chip + 1) + ", \"ts\": " +
         micros(start) + ", \"dur\": " + micros(end - start) +
         ", \"args\": " + args.dump() + "}");
  };
  for (size_t i = 0; i < o.loads().size(); ++i) {
    const LoadOp &l = o.loads()[i];
    ojson args;
    args["model"] = l.variant->model;
    args["variant"] = l.variant->name;
    args["cause"] = l.cause.empty() ? "preload" : l.cause;
    args["evicted"] = l.evicted;
    slice(l.chip, "load " + l.variant->model, ex.loads[i].first,
          ex.loads[i].second, args);
  }
  const std::vector<Decision> &decisions = o.decisions();
  for (size_t i = 0; i < decisions.size(); ++i) {
    const Decision &d = decisions[i];
    const Executed &e = ex.requests[i];
    if (!d.ran() || !e.measurement || !e.measurement->ok)
      continue;
    for (size_t p = 0; p < d.chips.size(); ++p) {
      ojson args;
      args["request"] = d.request.id;
      args["variant"] = d.variant->name;
      args["deadline_ps"] = d.request.deadlinePs;
      args["predicted_completion_ps"] = d.predictedCompletionPs;
      const PoolChip &chip = o.pool().chips()[d.chips[p]];
      Ps end = e.startPs +
               e.measurement->cycles[p] * chip.desc.picosecondsPerCycle();
      slice(d.chips[p], d.request.model, e.startPs, end, args);
    }
  }
  out += "\n]}\n";
  return out;
}

std::string formatIndex(const Repository &repository, const Registry *pool) {
  std::string out;
  char line[512];
  std::snprintf(line, sizeof line, "%-24s %-11s %-20s %12s %14s %12s %s\n",
                "model", "state", "variant", "latency ns", "energy nJ",
                "weights B", "runs on");
  out += line;
  for (const ModelEntry &m : repository.index()) {
    if (m.variants.empty()) {
      std::snprintf(line, sizeof line, "%-24s %-11s %s\n", m.name.c_str(),
                    std::string(modelStateName(m.state)).c_str(),
                    m.reason.c_str());
      out += line;
      continue;
    }
    for (const Variant &v : m.variants) {
      std::string where = "-";
      if (pool) {
        std::vector<Plan> plans = findPlans(v, *pool);
        where = plans.empty() ? explainNoPlan(v, *pool)
                              : std::to_string(plans.size()) + " plan(s)";
      }
      std::snprintf(line, sizeof line,
                    "%-24s %-11s %-20s %12.3f %14.3f %12" PRId64 " %s\n",
                    m.name.c_str(),
                    std::string(modelStateName(m.state)).c_str(),
                    v.name.c_str(), double(v.latencyPs) / 1000.0,
                    double(v.energyFj) / 1e6, v.weightBytes, where.c_str());
      out += line;
    }
  }
  return out;
}

} // namespace npu::serve
