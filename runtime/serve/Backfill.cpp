//===- Backfill.cpp - Idle allocated capacity runs other work (G8) --------===//
//
// An allocation holds its chips for its owner, who may leave them idle.
// With backfill (the exact policy's default), a request of another client,
// of lower priority than the allocation, may run on such a chip when its
// variant is a one-chip binary with checkpoint boundaries: then the owner
// can always get the chip back (docs/serving.md, "Backfill").
//
// When an owner's request cannot meet its deadline on the allocation's
// chips because backfilled work holds one, that work is displaced:
//
//  - not started yet: it is placed again elsewhere (requeue);
//  - running: it stops at its first checkpoint boundary still decided in
//    time, and either saves its state (checkpoint) or not (kill). The
//    owner's request starts once the chip is free: after the drain, and
//    the save if any, both budgets of the binary.
//
// Of the chips and options that meet the owner's deadline, the one that
// leaves the displaced request the least work is taken (restore + resume
// after a checkpoint, everything after a kill, as Preemption.cpp weighs
// them), then the one that completes the owner's request first. The displaced request then goes on outside the
// allocation, placed again as a failure's victims are (Failure.cpp):
// resumed from its checkpoint on a chip of the same host, or restarted,
// whichever completes first, never on an allocation's chips again. Its own
// deadline is not guaranteed once displaced: it completes, late if need
// be, and its record says so. The owner's deadline is.
//
//===----------------------------------------------------------------------===//

#include "Orchestrator.h"

#include <algorithm>

namespace npu::serve {

namespace {

std::string ps(Ps t) { return std::to_string(t) + " ps"; }

} // namespace

bool Orchestrator::backfillable(const Variant &v, const InferenceRequest &r,
                                const ChipState &chip) const {
  return config.backfill && v.programs.size() == 1 &&
         !v.binary->programs.front().checkpoints.empty() &&
         r.priority > chip.allocationPriority;
}

bool Orchestrator::tryDisplace(const InferenceRequest &r,
                               const ModelEntry &model, Decision &d) {
  struct Option {
    Candidate owner;
    int chip = 0;
    /// The backfilled runs displaced, in the order they were placed; the
    /// first may be running (it stops at `first`'s boundary).
    std::vector<size_t> victims;
    Preemption first;
    /// What is left of the running victim's work once it goes on: restore
    /// and resume, or all of it.
    Ps victimRestPs = 0;
  };
  std::optional<Option> best;
  Ps allocationEndPs = allocationEnd(r.allocation);
  for (const Variant &v : model.variants) {
    if (v.programs.size() != 1 || !admissible(v, model, r.minAccuracy))
      continue;
    for (const Plan &p : plansOf(v)) {
      int c = p.chips.front();
      const ChipState &chip = chips[c];
      if (chip.allocation != r.allocation || chip.failedPs ||
          !chip.residency.holds(&v, 0))
        continue;
      // The trailing backfilled runs of the chip not finished by now.
      std::vector<size_t> victims;
      for (auto it = chip.placed.rbegin(); it != chip.placed.rend(); ++it) {
        if (*it < 0)
          break; // a load: what precedes it stays put
        const Decision &vd = decided[size_t(*it)];
        if (!vd.ran() || vd.chips.size() != 1 || vd.chips.front() != c)
          continue; // moved away (its time on the chip was given back)
        if (!vd.backfill || vd.preemption || !vd.recoveries.empty() ||
            vd.chipEndPs.front() <= r.arrivalPs)
          break;
        victims.insert(victims.begin(), size_t(*it));
      }
      if (victims.empty() ||
          chip.freePs != decided[victims.back()].chipEndPs.front())
        continue;
      const Decision &head = decided[victims.front()];
      auto consider = [&](PreemptMode mode, Ps stop, Ps saved,
                          uint32_t boundary, int64_t savedBytes, Ps rest) {
        Candidate cand = runAfter(p, r, saved);
        if (cand.completionPs > r.deadlinePs ||
            (allocationEndPs && cand.completionPs > allocationEndPs))
          return;
        if (best && (rest > best->victimRestPs ||
                     (rest == best->victimRestPs &&
                      cand.completionPs >= best->owner.completionPs)))
          return;
        Option o;
        o.owner = cand;
        o.chip = c;
        o.victimRestPs = rest;
        o.victims = victims;
        o.first.mode = mode;
        o.first.by = r.id;
        o.first.boundary = boundary;
        o.first.liveBytes = savedBytes;
        o.first.stopPs = stop;
        o.first.savedPs = saved;
        best = std::move(o);
      };
      if (head.startPs > r.arrivalPs) {
        consider(PreemptMode::Defer, head.chipFreeBeforePs,
                 head.chipFreeBeforePs, 0, 0, head.variant->latencyPs);
        continue;
      }
      StopPoint at = stopPoint(head, r.arrivalPs);
      if (!at.boundary)
        continue;
      consider(PreemptMode::Checkpoint, at.stopPs, at.savedPs,
               at.boundary->index, at.boundary->savedBytes(), at.restPs);
      consider(PreemptMode::Kill, at.stopPs, at.stopPs, at.boundary->index, 0,
               head.variant->latencyPs);
    }
  }
  if (!best)
    return false;

  // The backfilled runs stop, the last placed first (the execution replays
  // the same order); the chip is free after the first one's save.
  int c = best->chip;
  ChipState &chip = chips[c];
  std::string key = registry.chips()[c].key();
  for (size_t n = best->victims.size(); n-- > 0;) {
    size_t victim = best->victims[n];
    Decision &vd = decided[victim];
    Preemption pre = best->first;
    if (n > 0 || pre.mode == PreemptMode::Defer) {
      pre.mode = PreemptMode::Defer;
      pre.boundary = 0;
      pre.liveBytes = 0;
      pre.stopPs = pre.savedPs = vd.chipFreeBeforePs;
    }
    pre.originalCompletionPs = vd.predictedCompletionPs;
    std::string how =
        pre.mode == PreemptMode::Defer
            ? std::string("it had not started")
            : std::string(preemptModeName(pre.mode)) + " at boundary " +
                  std::to_string(pre.boundary) + ", the chip free at " +
                  ps(pre.savedPs);
    pre.why = "the owner's request '" + r.id + "' of allocation '" +
              r.allocation + "' needs " + key + " by its deadline; backfilled '" +
              vd.request.id + "' is displaced (" + how + ")";
    chip.busyPs -= vd.chipEndPs.front() - std::max(pre.savedPs, vd.startPs);
    vd.preemption = pre;
    ops.push_back({TimelineOp::Kind::Preempt, victim});
    auto it = std::find(chip.placed.rbegin(), chip.placed.rend(),
                        static_cast<int64_t>(victim));
    chip.placed.erase(std::next(it).base());
  }
  chip.freePs = best->first.savedPs;

  d.outcome = Outcome::Admitted;
  commit(best->owner, d, decided.size(), r.arrivalPs);
  ops.push_back({TimelineOp::Kind::Run, decided.size()});

  // The displaced requests go on outside the allocation, in their order.
  for (size_t victim : best->victims) {
    Decision &vd = decided[victim];
    const Preemption &pre = *vd.preemption;
    Recovery rec;
    rec.failure = SIZE_MAX;
    rec.displacedBy = r.id;
    rec.decidedPs = pre.mode == PreemptMode::Defer
                        ? std::max(r.arrivalPs, vd.request.arrivalPs)
                        : pre.savedPs;
    placeAgain(victim, std::move(rec), pre.mode == PreemptMode::Checkpoint,
               pre.mode != PreemptMode::Defer, pre.why, /*lateAllowed=*/true);
    if (vd.ran()) {
      vd.preemption->resumeChip = vd.chips.front();
      vd.preemption->resumePs = vd.startPs;
    }
  }
  return true;
}

} // namespace npu::serve
