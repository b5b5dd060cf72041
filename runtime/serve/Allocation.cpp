//===- Allocation.cpp - Capacity over a time frame (P2, M2, M3) -----------===//
//
// A client asks for enough chips to serve a rate of a model for a time
// frame. The number of chips comes from the budget (M3): a chip serves at
// most utilisationCap / busy requests per second of a one-chip variant, so
// the rate needs ceil(rate x busy / cap) chips. The allocation is granted
// when that many chips of the client's tier are free (no other allocation
// holds them), picking first the chips that already hold the model, then
// those free soonest; otherwise it waits (queued) until an allocation ends,
// and is refused when it can never be met or its start-by time passes.
// Granted chips load the model at once and run only the client's requests
// until the frame ends; then they return to the pool.
//
//===----------------------------------------------------------------------===//

#include "Orchestrator.h"

#include <algorithm>
#include <cmath>

namespace npu::serve {

namespace {

int chipsFor(double rate, Ps busyPs, double cap) {
  double perChip = cap * double(kPsPerS) / double(busyPs);
  double need = std::ceil(rate / perChip - 1e-12);
  return std::max(1, int(std::min(need, 1e6)));
}

} // namespace

bool Orchestrator::grantable(const Plan &p, Tier tier, Ps t) const {
  const ChipState &state = chips[p.chips[0]];
  bool held = !state.allocation.empty() && state.allocationEndPs > t;
  return !held && !state.failedPs && tierAllows(p, tier, 1);
}

void Orchestrator::takeChip(AllocationAnswer &a, int c, Ps t) {
  const Variant &v = *a.variant;
  ChipState &chip = chips[c];
  chip.allocation = a.request.id;
  chip.allocationEndPs = a.endPs;
  chip.allocationPriority = a.request.priority;
  if (chip.residency.holds(&v, 0))
    return;
  const PoolChip &pool = registry.chips()[c];
  const ProgramNeeds &needs = v.programs[0];
  std::vector<size_t> victims;
  if (config.coLocation) {
    if (!chip.residency.victims(needs.peakDramBytes, pool.desc.dramBytes,
                                config.eviction, {&v}, victims))
      return; // it will load on the first request if room appears
  } else {
    for (size_t k = 0; k < chip.residency.all().size(); ++k)
      victims.push_back(k);
  }
  LoadOp op;
  op.chip = c;
  op.variant = &v;
  op.notBeforePs = t;
  op.startPs = std::max(config.power.readyAt(pool.desc, chip.freePs, t),
                        loaderFree(pool.host));
  op.endPs = op.startPs + needs.loadPs;
  op.cause = a.request.id;
  addLoad(std::move(op), victims);
}

bool Orchestrator::tryGrant(AllocationAnswer &a, Ps t) {
  const AllocationRequest &r = a.request;
  const ModelEntry *model = repository.find(r.model);
  double cap = config.planner.utilisationCap;
  for (const Variant &v : model->variants) {
    if (v.programs.size() != 1 ||
        (!r.precision.empty() && v.precision != r.precision) ||
        !admissible(v, *model, r.minAccuracy))
      continue;
    int need = chipsFor(r.ratePerSecond, v.programs[0].busyPs, cap);
    std::vector<int> free;
    for (const Plan &p : plansOf(v))
      if (grantable(p, r.tier, t))
        free.push_back(p.chips[0]);
    if (int(free.size()) < need)
      continue;
    std::stable_sort(free.begin(), free.end(), [&](int x, int y) {
      bool hx = chips[x].residency.holds(&v, 0);
      bool hy = chips[y].residency.holds(&v, 0);
      if (hx != hy)
        return hx;
      return chips[x].freePs < chips[y].freePs;
    });
    free.resize(size_t(need));
    std::sort(free.begin(), free.end());
    a.outcome = Outcome::Admitted;
    a.variant = &v;
    a.chips = free;
    a.chipsNeeded = need;
    a.decidedPs = t;
    a.grantedPs = t;
    for (int c : free)
      a.grantedPs = std::max(a.grantedPs, chips[c].freePs);
    a.endPs = a.grantedPs + r.framePs;
    for (int c : free)
      takeChip(a, c, t);
    return true;
  }
  return false;
}

bool Orchestrator::preemptAllocations(AllocationAnswer &a, Ps t) {
  const AllocationRequest &r = a.request;
  const ModelEntry *model = repository.find(r.model);
  // Granted allocations of a lower priority (a larger number) that hold
  // chips now: the lowest priority first, then the latest granted.
  std::vector<size_t> victims;
  for (size_t k = 0; k < granted.size(); ++k) {
    const AllocationAnswer &g = granted[k];
    if (g.outcome == Outcome::Admitted && g.endPs > t && !g.chips.empty() &&
        g.request.priority > r.priority &&
        chips[g.chips.front()].allocation == g.request.id)
      victims.push_back(k);
  }
  std::stable_sort(victims.begin(), victims.end(), [&](size_t x, size_t y) {
    if (granted[x].request.priority != granted[y].request.priority)
      return granted[x].request.priority > granted[y].request.priority;
    return x > y;
  });
  // Would ending all of them be enough for some variant? Count the chips
  // that could then be granted; end nothing otherwise.
  double cap = config.planner.utilisationCap;
  bool enough = false;
  for (const Variant &v : model->variants) {
    if (v.programs.size() != 1 ||
        (!r.precision.empty() && v.precision != r.precision) ||
        !admissible(v, *model, r.minAccuracy))
      continue;
    int have = 0;
    for (const Plan &p : plansOf(v)) {
      int c = p.chips.front();
      bool byVictim = std::any_of(victims.begin(), victims.end(), [&](size_t k) {
        return chips[c].allocation == granted[k].request.id;
      });
      if (grantable(p, r.tier, t) ||
          (byVictim && !chips[c].failedPs && tierAllows(p, r.tier, 1)))
        ++have;
    }
    enough = enough || have >= chipsFor(r.ratePerSecond, v.programs[0].busyPs, cap);
  }
  if (!enough)
    return false;
  // End them one at a time until the request fits: their chips return to
  // the pool at once; work already placed on them still runs.
  for (size_t k : victims) {
    AllocationAnswer &g = granted[k];
    endAllocation(g);
    g.endPs = t;
    g.preemptedBy = r.id;
    if (!tryGrant(a, t))
      continue;
    // What the newcomer left free goes to the allocations waiting.
    for (size_t q = 0; q < queuedAllocations.size();) {
      if (tryGrant(granted[queuedAllocations[q]], t))
        queuedAllocations.erase(queuedAllocations.begin() + long(q));
      else
        ++q;
    }
    return true;
  }
  return false;
}

void Orchestrator::endAllocation(AllocationAnswer &a) {
  for (int c : a.chips) {
    ChipState &chip = chips[c];
    if (chip.allocation == a.request.id) {
      chip.allocation.clear();
      chip.allocationEndPs = 0;
    }
  }
}

std::string Orchestrator::adopt(const AllocationRequest &r,
                                const std::string &variantName,
                                const std::vector<int> &held, Ps endPs) {
  advanceTo(r.arrivalPs);
  const ModelEntry *model = repository.find(r.model);
  const Variant *v = model ? model->findVariant(variantName) : nullptr;
  if (!v)
    return "allocation '" + r.id + "': no variant '" + variantName +
           "' of model '" + r.model + "'";
  if (endPs <= r.arrivalPs)
    return "allocation '" + r.id + "' has ended";
  for (int c : held)
    if (c < 0 || size_t(c) >= chips.size() || chips[c].failedPs ||
        !chips[c].allocation.empty())
      return "allocation '" + r.id + "': a chip is failed, held or unknown";
  AllocationAnswer a;
  a.request = r;
  a.outcome = Outcome::Admitted;
  a.variant = v;
  a.chipsNeeded = int(held.size());
  a.grantedPs = a.decidedPs = r.arrivalPs;
  a.endPs = endPs;
  a.reason = "taken over from the previous controller";
  for (int c : held) {
    a.chips.push_back(c);
    takeChip(a, c, r.arrivalPs);
  }
  granted.push_back(std::move(a));
  return "";
}

const AllocationAnswer &Orchestrator::allocate(const AllocationRequest &r) {
  advanceTo(r.arrivalPs);
  AllocationAnswer a;
  a.request = r;
  a.decidedPs = r.arrivalPs;
  auto refuse = [&](std::string why) -> const AllocationAnswer & {
    a.outcome = Outcome::Refused;
    a.reason = std::move(why);
    granted.push_back(std::move(a));
    return granted.back();
  };
  const ModelEntry *model = repository.find(r.model);
  if (!model)
    return refuse("unknown model '" + r.model + "'");
  if (model->state != ModelState::Ready)
    return refuse("model '" + r.model + "' is unavailable: " + model->reason);
  if (r.ratePerSecond <= 0 || r.framePs <= 0)
    return refuse("an allocation needs a rate > 0 and a time frame > 0");
  if (std::any_of(granted.begin(), granted.end(), [&](const AllocationAnswer &x) {
        return x.request.id == r.id;
      }))
    return refuse("allocation id '" + r.id + "' is already used");
  if (std::string why = tooInaccurate(*model, r.minAccuracy); !why.empty())
    return refuse(why);

  // Can the pool ever meet it? The smallest need over the variants of the
  // precision, against every chip that could run that variant.
  std::string precisions;
  bool anyPrecision = false;
  int bestNeed = 0, bestHave = 0;
  bool possible = false;
  for (const Variant &v : model->variants) {
    if (v.programs.size() != 1)
      continue;
    if (precisions.find(v.precision) == std::string::npos)
      precisions += (precisions.empty() ? "" : ", ") + v.precision;
    if (!r.precision.empty() && v.precision != r.precision)
      continue;
    if (!admissible(v, *model, r.minAccuracy))
      continue;
    anyPrecision = true;
    if (r.dataBytes > 0 && r.dataBytes != v.inputBytes)
      return refuse("states " + std::to_string(r.dataBytes) +
                    " bytes per request, but model '" + r.model + "' takes " +
                    std::to_string(v.inputBytes));
    int need = chipsFor(r.ratePerSecond, v.programs[0].busyPs,
                        config.planner.utilisationCap);
    int have = 0;
    for (const Plan &p : plansOf(v))
      have += tierAllows(p, r.tier, 1) ? 1 : 0;
    if (have >= need)
      possible = true;
    if (!bestNeed || need < bestNeed) {
      bestNeed = need;
      bestHave = have;
    }
  }
  if (!anyPrecision)
    return refuse("no chip with the precision " + r.precision + ": model '" +
                  r.model + "' has one-chip variants in " +
                  (precisions.empty() ? std::string("none") : precisions));
  if (!possible)
    return refuse("needs " + std::to_string(bestNeed) +
                  " chips for " + std::to_string(r.ratePerSecond) +
                  " requests/s; the pool has " + std::to_string(bestHave) +
                  " that can run it for tier " +
                  std::string(tierName(r.tier)));
  if (tryGrant(a, r.arrivalPs) ||
      (config.preemption && preemptAllocations(a, r.arrivalPs))) {
    granted.push_back(std::move(a));
    return granted.back();
  }
  a.outcome = Outcome::Queued;
  a.reason = "too few free chips now (M3: waits for an allocation to end)";
  queuedAllocations.push_back(granted.size());
  granted.push_back(std::move(a));
  return granted.back();
}

} // namespace npu::serve
