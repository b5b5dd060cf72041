//===- Preemption.cpp - Stop a lower priority for a higher one ------------===//
//
// When no plan admits a request, the exact policy looks for a running
// request of lower priority (a larger number) to stop (P5, G8; PREMA's three
// options, docs/serving.md "Preemption"):
//
//  - drain: let it halt, then run the newcomer. That is ordinary admission,
//    which has just failed, so it is never chosen here;
//  - checkpoint: stop it at the first checkpoint boundary not yet passed
//    (its issue time is after the arrival), save its live state, run the
//    newcomer, then restore and resume it on the same chip;
//  - kill: stop it at the same boundary without a save, run the newcomer,
//    then restart it from the beginning;
//  - and for a request placed but not started: defer it after the newcomer.
//
// An option counts only if the newcomer meets its deadline and the stopped
// request still meets its own: every guarantee given stays true. Of all
// the options (chips, checkpoint or kill), the one that completes the
// stopped request first is taken, then the one that completes the newcomer
// first (a kill wins when the state costs more to move than the prefix to
// recompute).
// Every figure is a budget of the binary: the boundary's drain, save,
// restore and resume cycles, and the variant's latency.
//
// The stopped request must be the last work placed on its chip (nothing
// after it moves), a one-chip run of a variant with checkpoint boundaries,
// not preempted before; the newcomer must find its model resident there.
//
//===----------------------------------------------------------------------===//

#include "Orchestrator.h"

#include "npu/rt/Checkpoint.h"

#include <algorithm>

namespace npu::serve {

std::string_view preemptModeName(PreemptMode mode) {
  switch (mode) {
  case PreemptMode::Checkpoint:
    return "checkpoint";
  case PreemptMode::Kill:
    return "kill";
  case PreemptMode::Defer:
    return "defer";
  }
  return "?";
}

namespace {

std::string ps(Ps t) { return std::to_string(t) + " ps"; }

} // namespace

Orchestrator::Candidate Orchestrator::runAfter(const Plan &p,
                                               const InferenceRequest &r,
                                               Ps freePs) const {
  const Variant &v = *p.variant;
  Candidate cand;
  cand.plan = p;
  cand.energyFj = v.energyFj;
  // The chip may even power down by then.
  cand.startPs =
      roundUp(config.power.readyAt(registry.chips()[p.chips.front()].desc,
                                   freePs, r.arrivalPs),
              v.gridPs);
  cand.completionPs = cand.startPs + v.latencyPs;
  return cand;
}

StopPoint stopPoint(const Decision &d, Ps t) {
  StopPoint at;
  const Variant &v = *d.variant;
  Ps cycle = v.programs.front().desc.picosecondsPerCycle();
  for (const rt::Checkpoint &k : v.binary->programs.front().checkpoints)
    if (d.startPs + k.issueCycles * cycle >= t) {
      at.boundary = &k;
      at.stopPs = d.startPs + k.drainCycles * cycle;
      at.savedPs = at.stopPs + k.saveCycles * cycle;
      at.restPs = (k.restoreCycles + k.resumeCycles) * cycle;
      break;
    }
  return at;
}

bool Orchestrator::tryPreempt(const InferenceRequest &r,
                              const ModelEntry &model, Decision &d) {
  struct Option {
    Candidate newcomer;
    size_t victim = 0;
    Preemption preemption;
    Ps victimCompletionPs = 0;
  };
  std::optional<Option> best;
  for (const Variant &v : model.variants) {
    if (v.programs.size() != 1 || !admissible(v, model, r.minAccuracy))
      continue;
    for (const Plan &p : plansOf(v)) {
      int c = p.chips.front();
      const ChipState &chip = chips[c];
      if (chip.lastRun < 0 || !tierAllows(p, r.tier, 1) ||
          !chip.residency.holds(&v, 0) ||
          (!chip.allocation.empty() && chip.allocationEndPs > r.arrivalPs) ||
          !registry.chips()[c].present || chip.failedPs)
        continue;
      size_t victim = static_cast<size_t>(chip.lastRun);
      const Decision &vd = decided[victim];
      const Variant &vv = *vd.variant;
      if (vd.preemption || !vd.recoveries.empty() || vd.chips.size() != 1 ||
          vd.request.priority <= r.priority ||
          vd.chipEndPs.front() <= r.arrivalPs ||
          chip.freePs != vd.chipEndPs.front())
        continue;
      // A victim that has not started runs after the newcomer instead.
      // Stopped at `stop`, the chip free at `saved`, the victim done
      // `restart` after the newcomer's end.
      auto consider = [&](PreemptMode mode, Ps stop, Ps saved, Ps restart,
                          uint32_t boundary, int64_t savedBytes) {
        Candidate cand = runAfter(p, r, saved);
        if (cand.completionPs > r.deadlinePs)
          return;
        Ps resume =
            roundUp(cand.startPs + v.programs.front().busyPs, vv.gridPs);
        Ps done = resume + restart;
        if (done > vd.request.deadlinePs)
          return;
        if (best && (done > best->victimCompletionPs ||
                     (done == best->victimCompletionPs &&
                      cand.completionPs >= best->newcomer.completionPs)))
          return;
        Option o;
        o.newcomer = cand;
        o.victim = victim;
        o.victimCompletionPs = done;
        Preemption &pre = o.preemption;
        pre.mode = mode;
        pre.by = r.id;
        pre.boundary = boundary;
        pre.liveBytes = savedBytes;
        pre.stopPs = stop;
        pre.savedPs = saved;
        pre.resumeChip = c;
        pre.resumePs = resume;
        pre.originalCompletionPs = vd.predictedCompletionPs;
        best = std::move(o);
      };
      if (vd.startPs > r.arrivalPs) {
        consider(PreemptMode::Defer, chip.freeBeforeLastPs,
                 chip.freeBeforeLastPs, vv.latencyPs, 0, 0);
        continue;
      }
      StopPoint at = stopPoint(vd, r.arrivalPs);
      if (!at.boundary)
        continue;
      consider(PreemptMode::Checkpoint, at.stopPs, at.savedPs, at.restPs,
               at.boundary->index, at.boundary->savedBytes());
      consider(PreemptMode::Kill, at.stopPs, at.stopPs, vv.latencyPs,
               at.boundary->index, 0);
    }
  }
  if (!best)
    return false;

  // The alternatives, for the report.
  Decision &vd = decided[best->victim];
  Preemption &pre = best->preemption;
  pre.why = "drain misses the deadline of '" + r.id + "'; ";
  if (pre.mode == PreemptMode::Defer) {
    pre.why += "'" + vd.request.id + "' has not started: it runs after it, " +
               "done at " + ps(best->victimCompletionPs);
  } else {
    const rt::Checkpoint &cp =
        *rt::findCheckpoint(*vd.variant->binary, pre.boundary);
    pre.why += std::string(preemptModeName(pre.mode)) + " at boundary " +
               std::to_string(pre.boundary) + " completes '" + vd.request.id +
               "' at " + ps(best->victimCompletionPs) + " (restore + resume " +
               std::to_string(cp.restoreCycles + cp.resumeCycles) +
               " cycles, restart " + ps(vd.variant->latencyPs) + ")";
  }

  // The victim: its chip is free after the stop, it finishes after the
  // newcomer.
  int c = vd.chips.front();
  ChipState &chip = chips[c];
  std::multiset<Ps> &flight = inFlight[int(vd.request.tier)];
  if (auto it = flight.find(vd.predictedCompletionPs); it != flight.end())
    flight.erase(it);
  chip.busyPs -= vd.chipEndPs.front() - std::max(pre.savedPs, vd.startPs);
  chip.freePs = pre.savedPs;
  ops.push_back({TimelineOp::Kind::Preempt, best->victim});

  d.outcome = Outcome::Admitted;
  commit(best->newcomer, d, decided.size(), r.arrivalPs);
  ops.push_back({TimelineOp::Kind::Run, decided.size()});

  Ps resumed = best->victimCompletionPs - pre.resumePs;
  chip.freePs = best->victimCompletionPs;
  chip.busyPs += resumed;
  chip.runs += 1;
  chip.lastRun = -1; // The resume is placed; it never moves again.
  chip.residency.touch(vd.variant, 0, pre.resumePs);
  vd.chipEndPs.front() = best->victimCompletionPs;
  if (pre.mode == PreemptMode::Defer)
    vd.startPs = pre.resumePs; // It starts only then.
  vd.predictedCompletionPs = best->victimCompletionPs;
  vd.preemption = std::move(pre);
  flight.insert(vd.predictedCompletionPs);
  ops.push_back({TimelineOp::Kind::Resume, best->victim});
  return true;
}

} // namespace npu::serve
