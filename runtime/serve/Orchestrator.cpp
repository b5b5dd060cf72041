//===- Orchestrator.cpp - State, start-up and the passage of time ---------===//

#include "Orchestrator.h"

#include <algorithm>

namespace npu::serve {

std::string_view tierName(Tier tier) {
  return tier == Tier::Premium ? "premium" : "free";
}

std::optional<Tier> parseTier(std::string_view name) {
  if (name == "free")
    return Tier::Free;
  if (name == "premium")
    return Tier::Premium;
  return std::nullopt;
}

std::string_view outcomeName(Outcome outcome) {
  switch (outcome) {
  case Outcome::Admitted:
    return "admitted";
  case Outcome::Refused:
    return "refused";
  case Outcome::Queued:
    return "queued";
  case Outcome::Late:
    return "late";
  case Outcome::Dropped:
    return "dropped";
  }
  return "?";
}

PolicyConfig PolicyConfig::exact() { return PolicyConfig(); }

PolicyConfig PolicyConfig::clockwork() {
  PolicyConfig p;
  p.name = "clockwork";
  p.coLocation = false;
  p.preemption = false;
  p.backfill = false;
  p.preferResident = false;
  p.variantsByAccuracy = false;
  p.planner.modelsPerChip = 1;
  return p;
}

PolicyConfig PolicyConfig::fifo() {
  PolicyConfig p;
  p.name = "fifo";
  p.admissionControl = false;
  p.preemption = false;
  p.backfill = false;
  p.variantsByAccuracy = false;
  p.coLocation = false;
  p.firstFit = true;
  p.dropExpired = true;
  p.planner.modelsPerChip = 1;
  return p;
}

PolicyConfig PolicyConfig::exactMostAccurate() {
  PolicyConfig p;
  p.name = "exact-most-accurate";
  p.variantsByAccuracy = false;
  return p;
}

PolicyConfig PolicyConfig::exactDrain() {
  PolicyConfig p;
  p.name = "exact-drain";
  p.preemption = false;
  p.backfill = false;
  return p;
}

PolicyConfig PolicyConfig::exactNoBackfill() {
  PolicyConfig p;
  p.name = "exact-no-backfill";
  p.backfill = false;
  return p;
}

std::optional<PolicyConfig> PolicyConfig::byName(const std::string &name) {
  if (name == "exact")
    return exact();
  if (name == "exact-drain")
    return exactDrain();
  if (name == "exact-most-accurate")
    return exactMostAccurate();
  if (name == "exact-no-backfill")
    return exactNoBackfill();
  if (name == "clockwork")
    return clockwork();
  if (name == "fifo")
    return fifo();
  return std::nullopt;
}

Orchestrator::Orchestrator(const Repository &repository, Registry &registry,
                           PolicyConfig policy)
    : repository(repository), registry(registry), config(std::move(policy)) {
  chips.resize(registry.chips().size());
}

const std::vector<Plan> &Orchestrator::plansOf(const Variant &variant) {
  auto it = planCache.find(&variant);
  if (it == planCache.end())
    it = planCache.emplace(&variant, findPlans(variant, registry)).first;
  return it->second;
}

Ps Orchestrator::loaderFree(const std::string &host) const {
  auto it = loaderFreePs.find(host);
  return it == loaderFreePs.end() ? 0 : it->second;
}

void Orchestrator::addLoad(LoadOp op, const std::vector<size_t> &victims) {
  ChipState &chip = chips[op.chip];
  const ProgramNeeds &needs = op.variant->programs[op.program];
  op.evicted = static_cast<int>(victims.size());
  chip.residency.replace(victims, Resident{op.variant, op.program,
                                           needs.peakDramBytes, op.endPs});
  chip.freePs = std::max(chip.freePs, op.endPs);
  chip.lastRun = -1; // A load follows the last run: that run stays put.
  chip.placed.push_back(-1);
  chip.loads += 1;
  loaderFreePs[registry.chips()[op.chip].host] = op.endPs;
  ops.push_back({TimelineOp::Kind::Load, loadOps.size()});
  loadOps.push_back(std::move(op));
}

void Orchestrator::start(Ps startPs,
                         const std::map<std::string, double> &expectedRates) {
  nowPs = startPs;
  chips.resize(registry.chips().size());
  plan = planPlacement(repository, registry, expectedRates, config.planner);
  if (!config.preload)
    return;
  // Preload in plan order; loads of one host are serialised on its link.
  for (const Assignment &a : plan.assignments)
    loadCopy(a.variant, a.chip, startPs, "");
}

bool Orchestrator::loadCopy(const Variant *variant, int c, Ps notBeforePs,
                            const std::string &cause) {
  ChipState &chip = chips[c];
  if (chip.residency.holds(variant, 0))
    return false;
  const PoolChip &pool = registry.chips()[c];
  const ProgramNeeds &needs = variant->programs[0];
  std::vector<size_t> victims;
  if (!chip.residency.victims(needs.peakDramBytes, pool.desc.dramBytes,
                              Eviction::None, {}, victims))
    return false;
  LoadOp op;
  op.chip = c;
  op.variant = variant;
  op.notBeforePs = notBeforePs;
  op.startPs =
      std::max(config.power.readyAt(pool.desc, chip.freePs, notBeforePs),
               loaderFree(pool.host));
  op.endPs = op.startPs + needs.loadPs;
  op.cause = cause;
  addLoad(std::move(op), victims);
  return true;
}

int Orchestrator::preload(const std::string &model, Ps t) {
  advanceTo(t);
  const ModelEntry *entry = repository.find(model);
  if (!entry || entry->state != ModelState::Ready)
    return 0;
  int placed = 0;
  for (const PoolChip &chip : registry.chips()) {
    if (!chip.present || chips[chip.index].failedPs)
      continue;
    bool held = false;
    for (const Resident &r : chips[chip.index].residency.all())
      held = held || r.variant->model == model;
    if (held || (!config.coLocation && !chips[chip.index].residency.all().empty()))
      continue;
    // The fastest one-chip variant this chip can run.
    const Variant *best = nullptr;
    for (const Variant &v : entry->variants) {
      if (v.programs.size() != 1)
        continue;
      for (const Plan &p : plansOf(v))
        if (p.chips[0] == chip.index && (!best || v.latencyPs < best->latencyPs))
          best = &v;
    }
    if (best && loadCopy(best, chip.index, t, "load " + model))
      ++placed;
  }
  return placed;
}

int64_t Orchestrator::evict(const std::string &model) {
  int64_t freed = 0;
  for (ChipState &chip : chips)
    freed += chip.residency.removeModel(model);
  return freed;
}

void Orchestrator::advanceTo(Ps t) {
  // Frames that end and failures detected by t, in time order; queued
  // allocations are retried at each end.
  while (true) {
    AllocationAnswer *next = nullptr;
    for (AllocationAnswer &a : granted)
      if (a.outcome == Outcome::Admitted && a.endPs <= t && !a.chips.empty() &&
          chips[a.chips.front()].allocation == a.request.id &&
          (!next || a.endPs < next->endPs))
        next = &a;
    auto failure = pendingFailures.end();
    for (auto it = pendingFailures.begin(); it != pendingFailures.end(); ++it) {
      Ps at = failed[*it].event.detectedPs();
      if (at <= t && (failure == pendingFailures.end() ||
                      at < failed[*failure].event.detectedPs()))
        failure = it;
    }
    if (failure != pendingFailures.end() &&
        (!next || failed[*failure].event.detectedPs() <= next->endPs)) {
      size_t k = *failure;
      pendingFailures.erase(failure);
      nowPs = std::max(nowPs, failed[k].event.detectedPs());
      handleFailure(k);
      continue;
    }
    // Queued allocations that must start by a time before the next end.
    Ps horizon = next ? next->endPs : t;
    for (size_t k = 0; k < queuedAllocations.size();) {
      AllocationAnswer &q = granted[queuedAllocations[k]];
      if (q.request.startByPs > 0 && q.request.startByPs <= horizon) {
        q.outcome = Outcome::Refused;
        q.decidedPs = q.request.startByPs;
        q.reason += "; still too few free chips at its start-by time";
        queuedAllocations.erase(queuedAllocations.begin() + long(k));
      } else {
        ++k;
      }
    }
    if (!next)
      break;
    nowPs = std::max(nowPs, next->endPs);
    endAllocation(*next);
    // Waiting allocations are retried by priority, then by arrival.
    std::stable_sort(queuedAllocations.begin(), queuedAllocations.end(),
                     [&](size_t a, size_t b) {
                       return granted[a].request.priority <
                              granted[b].request.priority;
                     });
    for (size_t k = 0; k < queuedAllocations.size();) {
      AllocationAnswer &q = granted[queuedAllocations[k]];
      if (tryGrant(q, nowPs))
        queuedAllocations.erase(queuedAllocations.begin() + long(k));
      else
        ++k;
    }
  }
  nowPs = std::max(nowPs, t);
  for (std::multiset<Ps> &tier : inFlight)
    tier.erase(tier.begin(), tier.upper_bound(nowPs));
}

void Orchestrator::finish() {
  Ps last = nowPs;
  for (size_t k : pendingFailures)
    last = std::max(last, failed[k].event.detectedPs());
  advanceTo(last);
  for (size_t k : queuedAllocations) {
    granted[k].outcome = Outcome::Refused;
    granted[k].decidedPs = nowPs;
    granted[k].reason += "; the trace ended before enough chips were free";
  }
  queuedAllocations.clear();
}

} // namespace npu::serve
