//===- Failure.cpp - Chips and hosts that fail, requests that survive -----===//
//
// A failure (M6) stops one chip or every chip of a host at a time the trace
// gives. What ran there is lost, and so is the chips' memory: the weights,
// and for a host, the checkpoints kept in its memory. The orchestrator
// learns of it `detect_ps` later and then, at once (docs/serving.md,
// "Failure"):
//
//  - takes the chips out of the pool for good;
//  - gives each allocation that held one a free chip in its place where one
//    is left (it loads the model there), else the allocation goes on with
//    fewer chips;
//  - places again, earliest deadline first, every request whose run on a
//    failed chip had not halted by the failure: one not started yet is
//    placed again (requeue); one in flight restarts from the beginning, or,
//    when it was stopped at a checkpoint boundary and the checkpoint is
//    saved in a host that still runs, resumes from it on a chip of that
//    host (the restore and the resume are budgets, so the completion is
//    still exact). Each is placed as a new arrival at the detection, by the
//    same admission as any request and under the same deadline; one that
//    no chip left can complete in time is refused, with the reason, rather
//    than promised what cannot be kept.
//
// So no request is lost: each one completes or is refused with a reason.
// The surviving chips of a lost run of several chips keep the time it
// booked (work after it is already placed); recovered runs are never
// preempted again.
//
//===----------------------------------------------------------------------===//

#include "Orchestrator.h"

#include <algorithm>

namespace npu::serve {

std::string_view recoveryModeName(RecoveryMode mode) {
  switch (mode) {
  case RecoveryMode::Requeue:
    return "requeue";
  case RecoveryMode::Restart:
    return "restart";
  case RecoveryMode::FromCheckpoint:
    return "checkpoint";
  case RecoveryMode::Refused:
    return "refused";
  }
  return "?";
}

namespace {

std::string ps(Ps t) { return std::to_string(t) + " ps"; }

bool contains(const std::vector<int> &chips, int c) {
  return std::find(chips.begin(), chips.end(), c) != chips.end();
}

} // namespace

std::string Orchestrator::fail(const FailureEvent &event) {
  std::string who = "failure '" + event.id + "'";
  if (event.atPs < nowPs)
    return who + ": at " + ps(event.atPs) + ", before the orchestrator's " +
           ps(nowPs) + " (failures must be in time order)";
  if (event.detectPs < 0 || event.detectPs > INT64_MAX / 4 - event.atPs)
    return who + ": detect_ps must be >= 0 and end before 2^61 ps";
  const std::vector<std::string> &hosts = registry.hostOrder();
  if (std::find(hosts.begin(), hosts.end(), event.host) == hosts.end())
    return who + ": host '" + event.host + "' is not in the pool";
  FailureRecord record;
  record.event = event;
  if (event.chip >= 0) {
    const PoolChip *chip = registry.find(event.host, event.chip);
    if (!chip) {
      std::string ids;
      for (const PoolChip &c : registry.chips())
        if (c.host == event.host)
          ids += (ids.empty() ? "" : ", ") + std::to_string(c.desc.id);
      return who + ": host '" + event.host + "' has no chip " +
             std::to_string(event.chip) + " (its chips: " + ids + ")";
    }
    record.chips.push_back(chip->index);
  } else {
    for (const PoolChip &c : registry.chips())
      if (c.host == event.host)
        record.chips.push_back(c.index);
  }
  pendingFailures.push_back(failed.size());
  failed.push_back(std::move(record));
  return "";
}

std::string Orchestrator::rejoin(const std::string &host, Ps t) {
  if (t < nowPs)
    return "host '" + host + "' rejoins at " + ps(t) +
           ", before the orchestrator's " + ps(nowPs);
  advanceTo(t);
  nowPs = t;
  bool any = false;
  for (size_t k = 0; k < failed.size(); ++k) {
    FailureRecord &f = failed[k];
    if (f.event.host != host || f.rejoinedPs ||
        std::find(pendingFailures.begin(), pendingFailures.end(), k) !=
            pendingFailures.end())
      continue;
    f.rejoinedPs = t;
    for (int c : f.chips) {
      ChipState &chip = chips[c];
      chip.failedPs.reset();
      chip.residency.clear();
      chip.placed.clear();
      chip.lastRun = -1;
      chip.freePs = t;
    }
    ops.push_back({TimelineOp::Kind::Rejoin, k});
    any = true;
    // The planner's copies for these chips load again, as at the start.
    if (config.preload)
      for (const Assignment &a : plan.assignments)
        if (std::find(f.chips.begin(), f.chips.end(), a.chip) != f.chips.end())
          loadCopy(a.variant, a.chip, t, "rejoin " + host);
  }
  if (!any)
    return "host '" + host + "' has no failed chip to bring back";
  return "";
}

void Orchestrator::handleFailure(size_t k) {
  ops.push_back({TimelineOp::Kind::Fail, k});
  FailureRecord &f = failed[k];
  Ps t = f.event.atPs;
  Ps detected = f.event.detectedPs();
  for (int c : f.chips) {
    ChipState &chip = chips[c];
    if (!chip.failedPs)
      chip.failedPs = t;
    chip.residency.clear();
    chip.lastRun = -1;
  }
  for (AllocationAnswer &a : granted)
    if (a.outcome == Outcome::Admitted && a.endPs > detected &&
        std::any_of(a.chips.begin(), a.chips.end(),
                    [&](int c) { return contains(f.chips, c); }))
      repairAllocation(a, k);

  // Every request whose run on a failed chip had not halted by then.
  for (size_t i = 0; i < decided.size(); ++i) {
    const Decision &d = decided[i];
    if (!d.ran())
      continue;
    for (size_t p = 0; p < d.chips.size(); ++p)
      if (contains(f.chips, d.chips[p]) && d.chipEndPs[p] > t) {
        f.hit.push_back(i);
        break;
      }
  }
  // Earliest deadline first; then priority, then arrival.
  std::stable_sort(f.hit.begin(), f.hit.end(), [&](size_t a, size_t b) {
    const InferenceRequest &x = decided[a].request;
    const InferenceRequest &y = decided[b].request;
    if (x.deadlinePs != y.deadlinePs)
      return x.deadlinePs < y.deadlinePs;
    return x.priority < y.priority;
  });
  for (size_t i : f.hit)
    recover(i, k);
}

void Orchestrator::repairAllocation(AllocationAnswer &a, size_t k) {
  FailureRecord &f = failed[k];
  Ps detected = f.event.detectedPs();
  std::vector<int> kept;
  int lost = 0;
  for (int c : a.chips) {
    if (!contains(f.chips, c)) {
      kept.push_back(c);
      continue;
    }
    a.failedChips.push_back(c);
    chips[c].allocation.clear();
    chips[c].allocationEndPs = 0;
    ++lost;
  }
  a.chips = kept;
  f.allocations.push_back(a.request.id);
  // Free chips that can run the variant: a copy held first, then the
  // earliest free.
  std::vector<int> free;
  for (const Plan &p : plansOf(*a.variant))
    if (grantable(p, a.request.tier, detected) && !contains(a.chips, p.chips[0]))
      free.push_back(p.chips[0]);
  std::stable_sort(free.begin(), free.end(), [&](int x, int y) {
    bool hx = chips[x].residency.holds(a.variant, 0);
    bool hy = chips[y].residency.holds(a.variant, 0);
    if (hx != hy)
      return hx;
    return chips[x].freePs < chips[y].freePs;
  });
  for (int n = 0; n < lost && n < int(free.size()); ++n) {
    takeChip(a, free[size_t(n)], detected);
    a.chips.push_back(free[size_t(n)]);
    a.replacementChips.push_back(free[size_t(n)]);
  }
  std::sort(a.chips.begin(), a.chips.end());
}

void Orchestrator::recover(size_t i, size_t k) {
  Decision &d = decided[i];
  const FailureRecord &f = failed[k];
  Ps t = f.event.atPs;
  Recovery rec;
  rec.failure = k;
  rec.decidedPs = f.event.detectedPs();
  std::string failedChip;
  for (size_t p = 0; p < d.chips.size() && failedChip.empty(); ++p)
    if (contains(f.chips, d.chips[p]))
      failedChip = registry.chips()[d.chips[p]].key();
  std::string lostWhy = failedChip + " failed at " + ps(t) +
                        (d.startPs < t ? ", " + ps(t - d.startPs) +
                                             " into its run"
                                       : ", before its run started at " +
                                             ps(d.startPs));
  // The checkpoint this request was stopped at, when it was saved before
  // the failure in a host that still runs (its first chip's host).
  const Preemption *pre = d.preemption ? &*d.preemption : nullptr;
  bool fromCheckpointBefore =
      !d.recoveries.empty() &&
      d.recoveries.back().mode == RecoveryMode::FromCheckpoint;
  int checkpointChip = d.recoveries.empty() ? d.chips.front()
                                            : d.recoveries.front().lostChips.front();
  const std::string &checkpointHost = registry.chips()[checkpointChip].host;
  // A checkpoint lives in its host's memory: lost with the host.
  bool hostAlive = true;
  for (size_t j = 0; j <= k; ++j)
    if (failed[j].event.chip < 0 && failed[j].event.host == checkpointHost)
      hostAlive = false;
  bool checkpointed = pre && pre->mode == PreemptMode::Checkpoint &&
                      (pre->savedPs <= t || fromCheckpointBefore) && hostAlive;
  if (!placeAgain(i, std::move(rec), checkpointed, d.startPs < t, lostWhy,
                  false))
    failed[k].refused += 1;
}

bool Orchestrator::placeAgain(size_t i, Recovery rec, bool checkpointed,
                              bool started, const std::string &lostWhy,
                              bool lateAllowed) {
  Decision &d = decided[i];
  Ps decidedPs = rec.decidedPs;
  rec.lostVariant = d.variant;
  rec.lostChips = d.chips;
  rec.lostStartPs = d.startPs;
  rec.lostChipEndPs = d.chipEndPs;
  rec.lostCompletionPs = d.predictedCompletionPs;
  std::multiset<Ps> &flight = inFlight[int(d.request.tier)];
  if (auto it = flight.find(d.predictedCompletionPs); it != flight.end())
    flight.erase(it);
  const Preemption *pre = d.preemption ? &*d.preemption : nullptr;
  const Variant *checkpointVariant = d.recoveries.empty()
                                         ? d.variant
                                         : d.recoveries.front().lostVariant;
  int checkpointChip = d.recoveries.empty() ? d.chips.front()
                                            : d.recoveries.front().lostChips.front();
  const std::string &checkpointHost = registry.chips()[checkpointChip].host;

  InferenceRequest again = d.request;
  again.arrivalPs = decidedPs;
  const ModelEntry *model = repository.find(d.request.model);
  Ps allocationEndPs =
      again.allocation.empty() ? 0 : allocationEnd(again.allocation);
  std::string lastWhy;
  std::vector<Evaluated> all;
  if (model && (allocationEndPs == 0 || allocationEndPs > decidedPs))
    all = evaluateAll(*model, again, allocationEndPs, lastWhy, false);
  const Candidate *choice = choose(all, again);
  if (!choice && lateAllowed)
    for (const Evaluated &e : all)
      if (tierAllows(e.cand.plan, again.tier, 1) &&
          (!choice || better(e.cand, *choice)))
        choice = &e.cand;

  // Resuming from the checkpoint: a chip of its host that runs its variant;
  // the restore and the rest of the run replace the whole latency.
  std::optional<Candidate> resume;
  if (checkpointed) {
    const rt::Checkpoint *cp = nullptr;
    for (const rt::Checkpoint &c :
         checkpointVariant->binary->programs.front().checkpoints)
      if (c.index == pre->boundary)
        cp = &c;
    Ps cycle = checkpointVariant->programs.front().desc.picosecondsPerCycle();
    for (const Plan &p : plansOf(*checkpointVariant)) {
      if (!cp || registry.chips()[p.chips.front()].host != checkpointHost ||
          !tierAllows(p, again.tier, 1))
        continue;
      std::string why;
      std::optional<Candidate> cand = evaluate(p, again, why, false);
      if (!cand)
        continue;
      cand->completionPs =
          cand->startPs + (cp->restoreCycles + cp->resumeCycles) * cycle;
      bool meets = cand->completionPs <= again.deadlinePs &&
                   (allocationEndPs == 0 || cand->completionPs <= allocationEndPs);
      if ((meets || !config.admissionControl || lateAllowed) &&
          (!resume || better(*cand, *resume)))
        resume = std::move(cand);
    }
    if (resume && choice && !better(*resume, *choice))
      resume.reset();
  }

  if (!choice && !resume) {
    rec.mode = RecoveryMode::Refused;
    std::string why = all.empty()
                          ? (lastWhy.empty() ? "no chip left can run model '" +
                                                   d.request.model + "'"
                                             : "no chip left can take it: " +
                                                   lastWhy)
                          : noCapacity(all, again, allocationEndPs);
    if (allocationEndPs != 0 && allocationEndPs <= decidedPs)
      why = "its allocation '" + again.allocation + "' has ended";
    rec.why = lostWhy + "; refused: " + why;
    d.outcome = Outcome::Refused;
    d.reason = rec.why;
    d.recoveries.push_back(std::move(rec));
    ops.push_back({TimelineOp::Kind::Recover, i,
                   uint32_t(d.recoveries.size() - 1)});
    return false;
  }

  const Candidate &cand = resume ? *resume : *choice;
  commit(cand, d, i, decidedPs);
  if (resume) {
    // commit() booked the whole run: the chip is busy for the resume only.
    ChipState &chip = chips[cand.plan.chips.front()];
    Ps booked = d.chipEndPs.front() - cand.startPs;
    chip.busyPs += (cand.completionPs - cand.startPs) - booked;
    chip.freePs = cand.completionPs;
    d.chipEndPs.front() = cand.completionPs;
    d.predictedCompletionPs = cand.completionPs;
  }
  for (int c : d.chips)
    chips[c].lastRun = -1; // A recovered run never moves again.
  d.outcome = d.predictedCompletionPs <= d.request.deadlinePs ? Outcome::Admitted
                                                               : Outcome::Late;
  rec.mode = resume     ? RecoveryMode::FromCheckpoint
             : started  ? RecoveryMode::Restart
                        : RecoveryMode::Requeue;
  std::string where;
  for (int c : d.chips)
    where += (where.empty() ? "" : ", ") + registry.chips()[c].key();
  rec.why = lostWhy + "; " +
            (resume    ? "resumed from boundary " +
                             std::to_string(pre->boundary) + " on "
             : started ? "restarted on "
                       : "placed again on ") +
            where + ", done at " + ps(d.predictedCompletionPs) +
            (d.outcome == Outcome::Late ? ", late" : "");
  d.recoveries.push_back(std::move(rec));
  flight.insert(d.predictedCompletionPs);
  ops.push_back(
      {TimelineOp::Kind::Recover, i, uint32_t(d.recoveries.size() - 1)});
  return true;
}

} // namespace npu::serve
