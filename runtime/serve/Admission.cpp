//===- Admission.cpp - Admit only what is guaranteed ----------------------===//
//
// For a request, every plan of every variant of its model is evaluated on
// the chips' timelines: when each chip of the plan is free, whether it must
// first load the weights (and evict what the eviction policy picks), when
// the run can start on the clock grid of its chips, and when it completes:
// start + the variant's budgeted latency. All exact integers.
//
// exact (ours): tier groups in order (a premium client tries premium chips
// first); within a group, the resident plan that completes first (with the
// power objective: that costs the least energy) among those that meet the
// deadline, else the plan with a load that does; else refuse, saying by how
// much the best plan misses. clockwork: the earliest
// completion among all plans, one model per chip. fifo: the first plan in
// pool order that holds the model (else the first plan), no deadline
// check, dropping a request whose start is already past its deadline.
//
//===----------------------------------------------------------------------===//

#include "Orchestrator.h"

#include <algorithm>
#include <cstdio>

namespace npu::serve {

namespace {

std::string ps(Ps t) { return std::to_string(t) + " ps"; }

} // namespace

bool Orchestrator::tierAllows(const Plan &p, Tier tier, int group) const {
  for (int c : p.chips) {
    Tier chipTier = registry.chips()[c].tier;
    if (tier == Tier::Free && chipTier != Tier::Free)
      return false;
    if (tier == Tier::Premium && group == 0 && chipTier != Tier::Premium)
      return false;
  }
  return true;
}

std::optional<Orchestrator::Candidate>
Orchestrator::evaluate(const Plan &p, const InferenceRequest &r,
                       std::string &why, bool allowBackfill) const {
  const Variant &v = *p.variant;
  Candidate cand;
  cand.plan = p;
  cand.energyFj = v.energyFj;
  if (auto price = prices.find(&v); price != prices.end())
    cand.price = price->second;
  std::map<std::string, Ps> loader;
  Ps ready = r.arrivalPs;
  for (size_t i = 0; i < p.chips.size(); ++i) {
    int c = p.chips[i];
    const PoolChip &pool = registry.chips()[c];
    const ChipState &state = chips[c];
    if (!pool.present || state.failedPs) {
      why = pool.key() + (state.failedPs ? " has failed" : " has left the pool");
      return std::nullopt;
    }
    bool allocated = !state.allocation.empty() && state.allocationEndPs > r.arrivalPs;
    if (r.allocation.empty() && allocated) {
      if (!allowBackfill || !backfillable(v, r, state)) {
        why = pool.key() + " is held by allocation '" + state.allocation + "'";
        return std::nullopt;
      }
      cand.backfill = true;
    }
    if (!r.allocation.empty() && state.allocation != r.allocation) {
      why = pool.key() + " is not a chip of allocation '" + r.allocation + "'";
      return std::nullopt;
    }
    bool woke = false;
    Ps avail = config.power.readyAt(pool.desc, state.freePs, r.arrivalPs, &woke);
    // Waking a chip costs the wake and, after the run, the idle window it
    // then stays on for: what using a chip already on saves (M4).
    if (woke)
      cand.energyFj += PowerPolicy::wakeEnergyFj(pool.desc) +
                       config.power.window(pool.desc).value_or(0) *
                           pool.desc.power.idleMw;
    if (state.residency.holds(&v, int(i))) {
      ready = std::max(ready, avail);
      continue;
    }
    cand.resident = false;
    const ProgramNeeds &needs = v.programs[i];
    Candidate::PendingLoad load;
    load.program = int(i);
    if (config.coLocation) {
      if (!state.residency.victims(needs.peakDramBytes, pool.desc.dramBytes,
                                   config.eviction, {&v}, load.victims)) {
        why = pool.key() + " cannot make room for " +
              std::to_string(needs.peakDramBytes) + " bytes of DRAM";
        return std::nullopt;
      }
    } else {
      for (size_t k = 0; k < state.residency.all().size(); ++k)
        load.victims.push_back(k);
    }
    auto l = loader.find(pool.host);
    Ps channel = l != loader.end() ? l->second : loaderFree(pool.host);
    load.startPs = std::max(avail, channel);
    load.endPs = load.startPs + needs.loadPs;
    loader[pool.host] = load.endPs;
    ready = std::max(ready, load.endPs);
    cand.loads.push_back(std::move(load));
  }
  cand.startPs = roundUp(ready, v.gridPs);
  cand.completionPs = cand.startPs + v.latencyPs;
  return cand;
}

void Orchestrator::commit(const Candidate &cand, Decision &d, size_t index,
                          Ps notBeforePs) {
  const Variant &v = *cand.plan.variant;
  for (const Candidate::PendingLoad &load : cand.loads) {
    LoadOp op;
    op.chip = cand.plan.chips[load.program];
    op.variant = &v;
    op.program = load.program;
    op.notBeforePs = notBeforePs;
    op.startPs = load.startPs;
    op.endPs = load.endPs;
    op.cause = d.request.id;
    op.onDemand = true;
    addLoad(std::move(op), load.victims);
  }
  d.variant = &v;
  d.backfill = cand.backfill;
  d.chips = cand.plan.chips;
  d.startPs = cand.startPs;
  d.predictedCompletionPs = cand.completionPs;
  d.coldLoads = static_cast<int>(cand.loads.size());
  d.chipFreeBeforePs = chips[cand.plan.chips.front()].freePs;
  d.chipEndPs.clear();
  for (size_t i = 0; i < cand.plan.chips.size(); ++i) {
    ChipState &chip = chips[cand.plan.chips[i]];
    Ps end = cand.startPs + v.programs[i].busyPs;
    d.chipEndPs.push_back(end);
    chip.freeBeforeLastPs = chip.freePs;
    chip.freePs = end;
    chip.busyPs += v.programs[i].busyPs;
    chip.runs += 1;
    chip.lastRun = static_cast<int64_t>(index);
    chip.placed.push_back(static_cast<int64_t>(index));
    chip.residency.touch(&v, int(i), cand.startPs);
  }
}

Ps Orchestrator::allocationEnd(const std::string &allocation) const {
  for (const AllocationAnswer &a : granted)
    if (a.request.id == allocation)
      return a.endPs;
  return 0;
}

bool Orchestrator::admissible(const Variant &v, const ModelEntry &model,
                              std::optional<double> minAccuracy) const {
  if (config.variantsByAccuracy && minAccuracy)
    return v.accuracy && *v.accuracy >= *minAccuracy;
  // The most accurate variants: those of the largest recorded accuracy, or
  // every variant when none records one.
  std::optional<double> best;
  for (const Variant &x : model.variants)
    if (x.accuracy && (!best || *x.accuracy > *best))
      best = x.accuracy;
  if (!best)
    return !minAccuracy;
  return v.accuracy && *v.accuracy == *best &&
         (!minAccuracy || *best >= *minAccuracy);
}

std::string Orchestrator::tooInaccurate(const ModelEntry &model,
                                        std::optional<double> minAccuracy) const {
  for (const Variant &v : model.variants)
    if (admissible(v, model, minAccuracy))
      return "";
  const Variant *closest = nullptr;
  for (const Variant &v : model.variants)
    if (v.accuracy && (!closest || *v.accuracy > *closest->accuracy))
      closest = &v;
  char want[32];
  std::snprintf(want, sizeof want, "%.4g", minAccuracy ? *minAccuracy : 0.0);
  if (!closest)
    return "model '" + model.name + "' records no accuracy for its variants "
           "(config.json), so none is known to reach " + want;
  char have[32];
  std::snprintf(have, sizeof have, "%.4g", *closest->accuracy);
  return "no variant of model '" + model.name + "' reaches accuracy " + want +
         ": the closest is '" + closest->name + "' with " + have;
}

std::vector<Orchestrator::Evaluated>
Orchestrator::evaluateAll(const ModelEntry &model, const InferenceRequest &r,
                          Ps allocationEndPs, std::string &lastWhy,
                          bool allowBackfill) {
  std::vector<Evaluated> all;
  for (const Variant &v : model.variants) {
    if (!admissible(v, model, r.minAccuracy))
      continue;
    for (const Plan &p : plansOf(v)) {
      std::string why;
      std::optional<Candidate> cand = evaluate(p, r, why, allowBackfill);
      if (!cand) {
        // Each distinct reason once, the first few: "a/npu0 is held by
        // allocation 'x'; b/npu0 has failed".
        if (lastWhy.find(why) == std::string::npos) {
          if (std::count(lastWhy.begin(), lastWhy.end(), ';') >= 3)
            lastWhy += lastWhy.size() > 3 &&
                               lastWhy.compare(lastWhy.size() - 3, 3, "...") ==
                                   0
                           ? ""
                           : "; ...";
          else
            lastWhy += (lastWhy.empty() ? "" : "; ") + why;
        }
        continue;
      }
      bool meets =
          cand->completionPs <= r.deadlinePs &&
          (allocationEndPs == 0 || cand->completionPs <= allocationEndPs);
      all.push_back({std::move(*cand), meets});
    }
  }
  return all;
}

const Orchestrator::Candidate *
Orchestrator::choose(const std::vector<Evaluated> &all,
                     const InferenceRequest &r) const {
  if (config.firstFit) {
    // FIFO first fit: pool order, a plan holding the model first.
    for (int pass = 0; pass < 2; ++pass)
      for (const Evaluated &e : all)
        if (tierAllows(e.cand.plan, r.tier, 1) &&
            (pass == 1 || e.cand.resident))
          return &e.cand;
    return nullptr;
  }
  bool cost = config.variantsByAccuracy && r.minAccuracy.has_value();
  const Candidate *choice = nullptr;
  for (int group = 0; group < 2 && !choice; ++group) {
    if (group == 1 && r.tier == Tier::Free)
      break;
    for (int pass = 0; pass < 2 && !choice; ++pass) {
      bool residentPass = config.preferResident && pass == 0;
      if (!config.preferResident && pass == 1)
        break;
      for (const Evaluated &e : all) {
        if (!tierAllows(e.cand.plan, r.tier, group) ||
            (config.admissionControl && !e.meets) ||
            (residentPass && !e.cand.resident))
          continue;
        if (!choice || better(e.cand, *choice, cost))
          choice = &e.cand;
      }
    }
  }
  return choice;
}

bool Orchestrator::better(const Candidate &a, const Candidate &b,
                          bool cost) const {
  // Latency: the earliest completion (ties: less energy). Power: the least
  // energy among the plans that meet the deadline (ties: earlier). A
  // request choosing its variant by accuracy: the least price (when prices
  // are set), then the least energy, then the earliest.
  if (cost && a.price != b.price)
    return a.price < b.price;
  if ((cost || config.planner.objective == Objective::Power) &&
      a.energyFj != b.energyFj)
    return a.energyFj < b.energyFj;
  if (a.completionPs != b.completionPs)
    return a.completionPs < b.completionPs;
  return a.energyFj < b.energyFj;
}

std::string Orchestrator::noCapacity(const std::vector<Evaluated> &all,
                                     const InferenceRequest &r,
                                     Ps allocationEndPs) const {
  const Candidate *best = nullptr;
  for (const Evaluated &e : all)
    if (tierAllows(e.cand.plan, r.tier, 1) && (!best || better(e.cand, *best)))
      best = &e.cand;
  if (!best)
    return "no chip of tier " + std::string(tierName(r.tier)) +
           " can run model '" + r.model + "'";
  const PoolChip &chip = registry.chips()[best->plan.chips.front()];
  Ps limit = r.deadlinePs;
  if (allocationEndPs && allocationEndPs < limit)
    limit = allocationEndPs;
  return "no capacity before the " +
         std::string(limit == r.deadlinePs ? "deadline" : "allocation's end") +
         ": the earliest completion is " + ps(best->completionPs) + " (" +
         chip.key() + ", variant '" + best->plan.variant->name + "'" +
         (best->resident ? "" : ", after a load") + "), " +
         ps(best->completionPs - limit) + " late";
}

std::string Orchestrator::quotaExceeded(const InferenceRequest &r) {
  int quota = r.tier == Tier::Premium ? config.premiumQuota : config.freeQuota;
  std::multiset<Ps> &flight = inFlight[int(r.tier)];
  if (quota > 0 && int(flight.size()) >= quota)
    return "over the " + std::string(tierName(r.tier)) + " tier's quota of " +
           std::to_string(quota) + " requests in flight";
  return "";
}

const Decision &Orchestrator::infer(const InferenceRequest &r) {
  advanceTo(r.arrivalPs);
  Decision d;
  d.request = r;
  auto refuse = [&](std::string why) -> const Decision & {
    d.outcome = Outcome::Refused;
    d.reason = std::move(why);
    decided.push_back(std::move(d));
    return decided.back();
  };
  const ModelEntry *model = repository.find(r.model);
  if (!model)
    return refuse("unknown model '" + r.model + "'");
  if (model->state != ModelState::Ready)
    return refuse("model '" + r.model + "' is unavailable: " + model->reason);
  if (r.deadlinePs <= r.arrivalPs)
    return refuse("deadline " + ps(r.deadlinePs) + " is not after the arrival " +
                  ps(r.arrivalPs));
  if (std::string why = quotaExceeded(r); !why.empty())
    return refuse(why);
  if (std::string why = tooInaccurate(*model, r.minAccuracy); !why.empty())
    return refuse(why);
  if (!r.allocation.empty()) {
    auto a = std::find_if(granted.begin(), granted.end(),
                          [&](const AllocationAnswer &x) {
                            return x.request.id == r.allocation;
                          });
    if (a == granted.end() || a->outcome != Outcome::Admitted)
      return refuse("allocation '" + r.allocation + "' is not granted");
    if (a->request.client != r.client)
      return refuse("allocation '" + r.allocation + "' belongs to client '" +
                    a->request.client + "'");
    if (r.arrivalPs >= a->endPs)
      return refuse("allocation '" + r.allocation + "' ended at " +
                    ps(a->endPs));
  }

  Ps allocationEndPs = r.allocation.empty() ? 0 : allocationEnd(r.allocation);
  std::string lastWhy;
  std::vector<Evaluated> all = evaluateAll(*model, r, allocationEndPs, lastWhy);
  if (all.empty())
    return refuse(lastWhy.empty() ? "no chip of the pool can run model '" +
                                        r.model + "'"
                                  : "no chip can take it: " + lastWhy);
  const Candidate *choice = choose(all, r);
  if (config.firstFit) {
    if (!choice)
      return refuse("no chip of tier " + std::string(tierName(r.tier)) +
                    " can run model '" + r.model + "'");
    if (config.dropExpired && choice->startPs >= r.deadlinePs) {
      d.outcome = Outcome::Dropped;
      d.reason = "its start " + ps(choice->startPs) + " is past its deadline";
      decided.push_back(std::move(d));
      return decided.back();
    }
  } else {
    if (!choice && config.backfill && !r.allocation.empty() &&
        tryDisplace(r, *model, d)) {
      inFlight[int(r.tier)].insert(d.predictedCompletionPs);
      decided.push_back(std::move(d));
      return decided.back();
    }
    if (!choice && config.preemption && tryPreempt(r, *model, d)) {
      inFlight[int(r.tier)].insert(d.predictedCompletionPs);
      decided.push_back(std::move(d));
      return decided.back();
    }
    if (!choice)
      return refuse(noCapacity(all, r, allocationEndPs));
  }
  d.outcome = choice->completionPs <= r.deadlinePs ? Outcome::Admitted
                                                   : Outcome::Late;
  commit(*choice, d, decided.size(), r.arrivalPs);
  inFlight[int(r.tier)].insert(d.predictedCompletionPs);
  ops.push_back({TimelineOp::Kind::Run, decided.size()});
  decided.push_back(std::move(d));
  return decided.back();
}

} // namespace npu::serve
