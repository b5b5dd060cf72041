//===- Metrics.cpp - The controller's Prometheus exposition ---------------===//

#include "Metrics.h"

#include <prometheus/counter.h>
#include <prometheus/exposer.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <cstdlib>
#include <mutex>

namespace npu::serve::net {

using prometheus::Counter;
using prometheus::Family;
using prometheus::Gauge;
using prometheus::Histogram;

struct Metrics::Impl {
  std::shared_ptr<prometheus::Registry> registry =
      std::make_shared<prometheus::Registry>();
  std::unique_ptr<prometheus::Exposer> exposer;
  std::string address;
  std::mutex mutex;
  Family<Counter> &requests = prometheus::BuildCounter()
                                  .Name("npu_requests_total")
                                  .Help("Inference requests answered")
                                  .Register(*registry);
  Family<Histogram> &latency =
      prometheus::BuildHistogram()
          .Name("npu_request_latency_seconds")
          .Help("Simulated latency, arrival to completion")
          .Register(*registry);
  Family<Histogram> &wall = prometheus::BuildHistogram()
                                .Name("npu_request_wall_seconds")
                                .Help("Wall-clock time to answer")
                                .Register(*registry);
  Family<Counter> &energy = prometheus::BuildCounter()
                                .Name("npu_energy_joules_total")
                                .Help("Measured energy of the runs")
                                .Register(*registry);
  Family<Gauge> &predictionError =
      prometheus::BuildGauge()
          .Name("npu_prediction_error_seconds_max")
          .Help("Largest |predicted - simulated| completion so far")
          .Register(*registry);
  Family<Counter> &mismatches =
      prometheus::BuildCounter()
          .Name("npu_budget_mismatches_total")
          .Help("Counters whose measurement differed from the budget")
          .Register(*registry);
  Family<Gauge> &chipUp = prometheus::BuildGauge()
                              .Name("npu_chip_up")
                              .Help("1 when the chip is in the pool")
                              .Register(*registry);
  Family<Gauge> &chipAllocated = prometheus::BuildGauge()
                                     .Name("npu_chip_allocated")
                                     .Help("1 when an allocation holds it")
                                     .Register(*registry);
  Family<Gauge> &chipBusy = prometheus::BuildGauge()
                                .Name("npu_chip_busy_seconds")
                                .Help("Simulated time the chip ran requests")
                                .Register(*registry);
  Family<Gauge> &budgetCycles = prometheus::BuildGauge()
                                    .Name("npu_variant_budget_cycles")
                                    .Help("Exact cycle budget of each program (full path)")
                                    .Register(*registry);
  Family<Gauge> &budgetEnergy =
      prometheus::BuildGauge()
          .Name("npu_variant_budget_energy_joules")
          .Help("Exact energy budget (full path)")
          .Register(*registry);
  Family<Gauge> &budgetLatency = prometheus::BuildGauge()
                                     .Name("npu_variant_latency_seconds")
                                     .Help("Exact latency (full path)")
                                     .Register(*registry);
  Family<Gauge> &leader = prometheus::BuildGauge()
                              .Name("npu_controller_leader")
                              .Help("1 while this controller leads")
                              .Register(*registry);
  double maxErrorSeconds = 0;
};

namespace {

/// Buckets from 1 µs to ~17 s by factors of 2: serving latencies span
/// microsecond models to second-long batches.
const Histogram::BucketBoundaries &buckets() {
  static const Histogram::BucketBoundaries b = [] {
    Histogram::BucketBoundaries v;
    for (double x = 1e-6; x < 20; x *= 2)
      v.push_back(x);
    return v;
  }();
  return b;
}

} // namespace

Metrics::Metrics() : impl(std::make_unique<Impl>()) {}
Metrics::~Metrics() = default;

std::unique_ptr<Metrics> Metrics::listen(const std::string &address,
                                         std::string &error) {
  std::unique_ptr<Metrics> m(new Metrics());
  try {
    m->impl->exposer = std::make_unique<prometheus::Exposer>(address);
  } catch (const std::exception &e) {
    error = "cannot serve metrics on " + address + ": " + e.what();
    return nullptr;
  }
  m->impl->exposer->RegisterCollectable(m->impl->registry);
  std::vector<int> ports = m->impl->exposer->GetListeningPorts();
  m->impl->address = address.substr(0, address.rfind(':')) + ":" +
                     std::to_string(ports.empty() ? 0 : ports.front());
  return m;
}

const std::string &Metrics::address() const { return impl->address; }

void Metrics::request(const std::string &model, Tier tier,
                      const InferResponse &r, Ps arrivalPs,
                      double wallSeconds) {
  std::lock_guard<std::mutex> lock(impl->mutex);
  std::string t(tierName(tier));
  impl->requests
      .Add({{"model", model},
            {"tier", t},
            {"outcome", std::string(outcomeName(r.outcome))}})
      .Increment();
  impl->wall.Add({{"model", model}, {"tier", t}}, buckets())
      .Observe(wallSeconds);
  if (r.outcome != Outcome::Admitted && r.outcome != Outcome::Late)
    return;
  impl->latency.Add({{"model", model}, {"tier", t}}, buckets())
      .Observe(double(r.simulatedCompletionPs - arrivalPs) / 1e12);
  impl->energy.Add({{"model", model}}).Increment(double(r.energyFj) / 1e15);
  impl->mismatches.Add({}).Increment(r.budgetMismatches);
  double err =
      double(std::llabs(r.predictedCompletionPs - r.simulatedCompletionPs)) /
      1e12;
  impl->maxErrorSeconds = std::max(impl->maxErrorSeconds, err);
  impl->predictionError.Add({}).Set(impl->maxErrorSeconds);
}

void Metrics::pool(const Server &server, bool leader) {
  std::lock_guard<std::mutex> lock(impl->mutex);
  impl->leader.Add({}).Set(leader ? 1 : 0);
  const Orchestrator &o = server.orchestrator();
  const std::vector<ChipState> &states = o.chipStates();
  for (const PoolChip &c : server.pool().chips()) {
    const ChipState &s = states[size_t(c.index)];
    impl->chipUp.Add({{"chip", c.key()}})
        .Set(c.present && !s.failedPs ? 1 : 0);
    impl->chipAllocated.Add({{"chip", c.key()}})
        .Set(s.allocation.empty() ? 0 : 1);
    impl->chipBusy.Add({{"chip", c.key()}}).Set(double(s.busyPs) / 1e12);
  }
  for (const ModelEntry &m : server.repository().index())
    for (const Variant &v : m.variants) {
      prometheus::Labels l{{"model", m.name}, {"variant", v.name}};
      for (size_t p = 0; p < v.programs.size(); ++p)
        impl->budgetCycles
            .Add({{"model", m.name},
                  {"variant", v.name},
                  {"program", std::to_string(p)}})
            .Set(double(v.programs[p].cycles));
      impl->budgetEnergy.Add(l).Set(double(v.energyFj) / 1e15);
      impl->budgetLatency.Add(l).Set(double(v.latencyPs) / 1e12);
    }
}

} // namespace npu::serve::net
