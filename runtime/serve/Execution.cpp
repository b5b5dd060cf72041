//===- Execution.cpp - Running the decisions on the simulator -------------===//

#include "Execution.h"

#include "Random.h"
#include "Report.h"

#include "npu/rt/Checkpoint.h"
#include "npu/rt/Cost.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <numeric>
#include <set>
#include <thread>

namespace npu::serve {

namespace {

uint64_t fnv1a(uint64_t hash, const uint8_t *data, size_t size) {
  for (size_t i = 0; i < size; ++i) {
    hash ^= data[i];
    hash *= 0x100000001b3ull;
  }
  return hash;
}

} // namespace

uint64_t digestOf(const rt::TensorMap &outputs) {
  uint64_t digest = 0xcbf29ce484222325ull;
  for (const auto &[name, bytes] : outputs) {
    digest = fnv1a(digest, reinterpret_cast<const uint8_t *>(name.data()),
                   name.size());
    digest = fnv1a(digest, bytes.data(), bytes.size());
  }
  return digest;
}

const rt::TensorMap &inputsOf(const rt::Model &model,
                              const InferenceRequest &r,
                              rt::TensorMap &scratch) {
  if (!r.inputs.empty())
    return r.inputs;
  scratch = makeInputs(model, r.inputSeed);
  return scratch;
}

namespace {

/// Attempt `k` of a decision: as it was placed before recovery k, or its
/// last placement.
struct Attempt {
  const Variant *variant;
  const std::vector<int> &chips;
};

Attempt attemptOf(const Decision &d, size_t k) {
  if (k < d.recoveries.size())
    return {d.recoveries[k].lostVariant, d.recoveries[k].lostChips};
  return {d.variant, d.chips};
}

} // namespace

rt::Simulator untraced(const rt::Model &model) {
  rt::SimulatorOptions options;
  options.trace = false;
  return rt::Simulator(model, options);
}

Measurer::~Measurer() = default;

CheckpointMeasurement simulateStopped(const Variant &v,
                                      const InferenceRequest &r,
                                      uint32_t boundary) {
  CheckpointMeasurement m;
  const rt::Model &model = *v.binary;
  rt::TensorMap scratch;
  const rt::TensorMap &inputs = inputsOf(model, r, scratch);
  rt::Simulator sim = untraced(model);
  rt::CheckpointRun stopped = sim.runToCheckpoint(inputs, boundary);
  auto failed = [&](const std::string &error) {
    m.error = "request '" + r.id + "' on variant '" + v.name +
              "' stopped at boundary " + std::to_string(boundary) + ": " +
              error;
    return m;
  };
  if (!stopped.ok)
    return failed(stopped.error);
  m.drainCycles = stopped.drain.cycles;
  m.saveCycles = stopped.saveCycles;
  m.savedBytes = stopped.savedBytes;
  m.drainEnergyFj = stopped.drain.energyFj;
  m.saveEnergyFj = stopped.saveEnergyFj;
  // Resumed whatever the mode, so that one entry serves every policy.
  rt::RunResult resumed = sim.resume(stopped.state, inputs);
  if (!resumed.ok)
    return failed(resumed.error);
  m.resumedCycles = resumed.chips.front().cycles;
  m.resumedEnergyFj = resumed.chips.front().energyFj;
  m.outputDigest = digestOf(resumed.outputs);
  m.ok = true;
  return m;
}

Measurement simulate(const Variant &v, const InferenceRequest &r,
                     bool keepOutputs) {
  Measurement m;
  const rt::Model &model = *v.binary;
  rt::TensorMap scratch;
  const rt::TensorMap &inputs = inputsOf(model, r, scratch);
  rt::Simulator sim = untraced(model);
  rt::RunResult run = sim.run(inputs);
  if (!run.ok) {
    m.error = "request '" + r.id + "' on variant '" + v.name + "': " + run.error;
    return m;
  }
  m.ok = true;
  for (const rt::ChipMeasurement &chip : run.chips) {
    m.cycles.push_back(chip.cycles);
    m.paths.push_back(chip.ran ? chip.path : "none");
    m.energyFj += chip.energyFj;
  }
  m.budgetMismatches =
      static_cast<int>(rt::report::checkBudgets(model, run).size());
  m.outputDigest = digestOf(run.outputs);
  if (keepOutputs)
    m.outputs = std::move(run.outputs);
  return m;
}


int64_t Executed::energyFj() const {
  if (!measurement)
    return 0;
  // After a failure, the attempt that completed (what a failed chip spent
  // is not measured).
  if (!stopped || (recoveries > 0 && !fromCheckpoint))
    return measurement->energyFj;
  if (restarted)
    return stopped->drainEnergyFj + measurement->energyFj;
  return stopped->drainEnergyFj + stopped->saveEnergyFj +
         stopped->resumedEnergyFj;
}

rt::TensorMap makeInputs(const rt::Model &model, uint64_t seed) {
  rt::TensorMap inputs;
  for (const rt::TensorSignature &sig : model.inputs) {
    uint64_t state = seed;
    for (char c : sig.name)
      state = state * 131 + static_cast<unsigned char>(c);
    std::vector<uint8_t> bytes(static_cast<size_t>(sig.bytes));
    int64_t width = rt::cost::elementBytes(sig.dtype);
    for (int64_t i = 0; i < sig.elements; ++i) {
      uint64_t bits = splitmix64(state);
      uint8_t *out = bytes.data() + i * width;
      if (sig.dtype == rt::cost::DType::F32) {
        // 24 random bits -> [0, 1) -> [-1, 1).
        float value = float(bits >> 40) / float(1 << 24) * 2.0f - 1.0f;
        std::memcpy(out, &value, 4);
      } else {
        std::memcpy(out, &bits, size_t(width));
      }
    }
    inputs[sig.name] = std::move(bytes);
  }
  return inputs;
}

const Measurement *MeasurementCache::find(const std::string &request,
                                          const Variant *variant) const {
  auto it = entries.find({request, variant});
  return it == entries.end() ? nullptr : &it->second;
}

void MeasurementCache::insert(const std::string &request,
                              const Variant *variant, Measurement m) {
  entries[{request, variant}] = std::move(m);
}

const CheckpointMeasurement *
MeasurementCache::findStopped(const std::string &request,
                              const Variant *variant, uint32_t boundary) const {
  auto it = stopped.find({request, variant, boundary});
  return it == stopped.end() ? nullptr : &it->second;
}

void MeasurementCache::insertStopped(const std::string &request,
                                     const Variant *variant, uint32_t boundary,
                                     CheckpointMeasurement m) {
  stopped[{request, variant, boundary}] = std::move(m);
}

Execution execute(const Orchestrator &o, MeasurementCache &cache,
                  const ExecutionOptions &options) {
  Execution ex;
  ex.extend(o, cache, options);
  return ex;
}

void Execution::replayPreemption(const Orchestrator &o, const TimelineOp &op,
                                 const MeasurementCache &cache) {
  const Decision &d = o.decisions()[op.index];
  const Preemption &pre = *d.preemption;
  // Preemption stops a first attempt only (a recovered run never moves).
  Attempt first = attemptOf(d, 0);
  Executed &e = requests[op.index];
  if (!e.measurement || !e.measurement->ok)
    return; // Its run failed: already reported.
  const std::vector<PoolChip> &chips = o.pool().chips();
  if (pre.mode == PreemptMode::Defer) {
    int c = first.chips.front();
    Ps busy = e.measurement->cycles.front() * chips[c].desc.picosecondsPerCycle();
    if (op.kind == TimelineOp::Kind::Preempt) {
      e.deferred = true;
      e.savedPs = e.chipFreeBeforePs;
      chipBusyPs[c] -= busy;
      chipFree[c] = e.chipFreeBeforePs;
      activity[c].pop_back(); // It has not run: it runs after the newcomer.
    } else {
      e.resumePs = e.startPs = roundUp(chipFree[c], first.variant->gridPs);
      e.completionPs = e.startPs + busy;
      chipFree[c] = e.completionPs;
      chipBusyPs[c] += busy;
      activity[c].push_back({e.startPs, e.completionPs});
    }
    return;
  }
  const CheckpointMeasurement *stopped =
      cache.findStopped(d.request.id, first.variant, pre.boundary);
  if (!stopped || !stopped->ok) {
    errors.push_back(stopped ? stopped->error
                             : "request '" + d.request.id +
                                   "': no measurement of its checkpoint");
    return;
  }
  bool save = pre.mode == PreemptMode::Checkpoint;
  if (op.kind == TimelineOp::Kind::Preempt) {
    int c = first.chips.front();
    Ps cycle = chips[c].desc.picosecondsPerCycle();
    e.stopped = stopped;
    e.restarted = !save;
    e.savedPs = e.startPs + (stopped->drainCycles +
                             (save ? stopped->saveCycles : 0)) *
                                cycle;
    chipBusyPs[c] -= chipFree[c] - e.savedPs;
    chipFree[c] = e.savedPs;
    activity[c].back().endPs = e.savedPs; // The victim's run stops here.
    if (save && stopped->outputDigest != e.measurement->outputDigest)
      errors.push_back("request '" + d.request.id + "' resumed from boundary " +
                       std::to_string(pre.boundary) +
                       " gives other outputs than its uninterrupted run");
    return;
  }
  int c = pre.resumeChip;
  Ps cycle = chips[c].desc.picosecondsPerCycle();
  e.resumePs = roundUp(chipFree[c], first.variant->gridPs);
  Ps busy = (save ? stopped->resumedCycles : e.measurement->cycles.front()) *
            cycle;
  e.completionPs = e.resumePs + busy;
  chipFree[c] = e.completionPs;
  chipBusyPs[c] += busy;
  activity[c].push_back({e.resumePs, e.completionPs});
}

void Execution::replayRun(const Orchestrator &o, size_t index, size_t attempt,
                          Ps notBeforePs, const MeasurementCache &cache) {
  const Decision &d = o.decisions()[index];
  Attempt a = attemptOf(d, attempt);
  const std::vector<PoolChip> &chips = o.pool().chips();
  const Measurement *m = cache.find(d.request.id, a.variant);
  Executed &e = requests[index];
  e.ran = true;
  e.measurement = m;
  e.fromCheckpoint = false;
  if (!m || !m->ok) {
    errors.push_back(m ? m->error : "request '" + d.request.id +
                                           "': no measurement");
    return;
  }
  const PowerPolicy &power = o.policy().power;
  Ps ready = notBeforePs;
  Ps grid = 1;
  std::vector<Ps> wakeAt(a.chips.size(), -1);
  for (size_t i = 0; i < a.chips.size(); ++i) {
    int c = a.chips[i];
    bool woke = false;
    ready = std::max(ready, power.readyAt(chips[c].desc, chipFree[c],
                                          notBeforePs, &woke));
    if (woke)
      wakeAt[i] = std::max(notBeforePs, chipFree[c]);
    grid = std::lcm(grid, chips[c].desc.picosecondsPerCycle());
  }
  e.chipFreeBeforePs = chipFree[a.chips.front()];
  e.startPs = roundUp(ready, grid);
  e.completionPs = e.startPs;
  for (size_t i = 0; i < a.chips.size(); ++i) {
    Ps busy = m->cycles[i] * chips[a.chips[i]].desc.picosecondsPerCycle();
    chipFree[a.chips[i]] = e.startPs + busy;
    chipBusyPs[a.chips[i]] += busy;
    activity[a.chips[i]].push_back({e.startPs, e.startPs + busy, wakeAt[i]});
    e.completionPs = std::max(e.completionPs, e.startPs + busy);
  }
}

void Execution::replayResume(const Orchestrator &o, size_t index,
                             const Recovery &rec,
                             const MeasurementCache &cache) {
  const Decision &d = o.decisions()[index];
  Attempt first = attemptOf(d, 0);
  Executed &e = requests[index];
  const CheckpointMeasurement *stopped =
      cache.findStopped(d.request.id, first.variant, d.preemption->boundary);
  const Measurement *m = cache.find(d.request.id, first.variant);
  if (!stopped || !stopped->ok || !m || !m->ok) {
    errors.push_back("request '" + d.request.id +
                     "': no measurement of its checkpoint to resume from");
    return;
  }
  int c = d.chips.front();
  const PoolChip &chip = o.pool().chips()[c];
  e.ran = true;
  e.measurement = m;
  e.stopped = stopped;
  e.restarted = false;
  e.fromCheckpoint = true;
  e.chipFreeBeforePs = chipFree[c];
  // (resumePs stays the preemption's: this is the start of another resume.)
  bool woke = false;
  e.startPs = roundUp(o.policy().power.readyAt(chip.desc, chipFree[c],
                                               rec.decidedPs, &woke),
                      d.variant->gridPs);
  Ps busy = stopped->resumedCycles * chip.desc.picosecondsPerCycle();
  e.completionPs = e.startPs + busy;
  activity[c].push_back({e.startPs, e.completionPs,
                         woke ? std::max(rec.decidedPs, chipFree[c]) : -1});
  chipFree[c] = e.completionPs;
  chipBusyPs[c] += busy;
}

void Execution::checkLost(const Orchestrator &o) {
  const std::vector<Decision> &decisions = o.decisions();
  const std::vector<PoolChip> &chips = o.pool().chips();
  for (size_t i = 0; i < decisions.size(); ++i) {
    const Decision &d = decisions[i];
    Executed &e = requests[i];
    if (!d.ran() || !e.measurement || !e.measurement->ok)
      continue;
    e.lost = false;
    for (size_t p = 0; p < d.chips.size(); ++p) {
      Ps end = e.fromCheckpoint
                   ? e.completionPs
                   : e.startPs + e.measurement->cycles[p] *
                                     chips[d.chips[p]].desc.picosecondsPerCycle();
      auto down = chipDownPs.find(d.chips[p]);
      if (down != chipDownPs.end())
        for (auto [from, to] : down->second)
          if (from < end && to > e.startPs)
            e.lost = true;
    }
    if (e.fromCheckpoint) {
      // The checkpoint lived in its host's memory from the save on.
      const std::string &host =
          chips[attemptOf(d, 0).chips.front()].host;
      auto dead = hostFailedPs.find(host);
      if (dead != hostFailedPs.end())
        for (Ps at : dead->second)
          if (at > e.savedPs && at < e.completionPs)
            e.lost = true;
    }
  }
}

void Execution::extend(const Orchestrator &o, MeasurementCache &cache,
                       const ExecutionOptions &options) {
  const std::vector<Decision> &decisions = o.decisions();
  // 1. Functional runs of every attempt the new operations replay that has
  // no measurement, and of every run stopped at a boundary not measured.
  struct Job {
    size_t first;
    const Variant *variant;
    std::vector<int> chips;
  };
  std::vector<Job> todo;
  std::set<std::pair<std::string, const Variant *>> queued;
  std::vector<size_t> stoppedTodo;
  auto need = [&](size_t i, Attempt attempt) {
    const std::string &id = decisions[i].request.id;
    // A run that failed is run again when an operation needs it (a remote
    // host that did not answer; its request was placed elsewhere).
    const Measurement *m = cache.find(id, attempt.variant);
    if ((!m || !m->ok) && queued.insert({id, attempt.variant}).second)
      todo.push_back({i, attempt.variant, attempt.chips});
  };
  auto awaited = [&](const TimelineOp &op) {
    return op.kind == TimelineOp::Kind::Run && options.awaited &&
           options.awaited->count(decisions[op.index].request.id);
  };
  for (size_t k = opsDone; k < o.timeline().size(); ++k) {
    const TimelineOp &op = o.timeline()[k];
    if (awaited(op))
      continue;
    if (op.kind == TimelineOp::Kind::Run) {
      need(op.index, attemptOf(decisions[op.index], 0));
    } else if (op.kind == TimelineOp::Kind::Recover) {
      const Decision &d = decisions[op.index];
      RecoveryMode mode = d.recoveries[op.step].mode;
      if (mode == RecoveryMode::Requeue || mode == RecoveryMode::Restart)
        need(op.index, attemptOf(d, op.step + 1));
    } else if (op.kind == TimelineOp::Kind::Preempt) {
      const Decision &d = decisions[op.index];
      const Variant *v = attemptOf(d, 0).variant;
      if (d.preemption->mode != PreemptMode::Defer &&
          !cache.findStopped(d.request.id, v, d.preemption->boundary) &&
          std::find(stoppedTodo.begin(), stoppedTodo.end(), op.index) ==
              stoppedTodo.end())
        stoppedTodo.push_back(op.index);
    }
  }
  std::vector<Measurement> results(todo.size());
  std::vector<CheckpointMeasurement> stoppedResults(stoppedTodo.size());
  const size_t jobs = todo.size() + stoppedTodo.size();
  auto begin = std::chrono::steady_clock::now();
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t k = next++; k < jobs; k = next++) {
      if (k < todo.size()) {
        const Decision &d = decisions[todo[k].first];
        const std::vector<int> &chips = todo[k].chips;
        results[k] =
            options.measurer
                ? options.measurer->measure(*todo[k].variant, d.request, chips,
                                            options.keepOutputs)
                : simulate(*todo[k].variant, d.request, options.keepOutputs);
      } else {
        const Decision &d = decisions[stoppedTodo[k - todo.size()]];
        Attempt first = attemptOf(d, 0);
        stoppedResults[k - todo.size()] =
            options.measurer
                ? options.measurer->measureStopped(*first.variant, d.request,
                                                   first.chips,
                                                   d.preemption->boundary)
                : simulateStopped(*first.variant, d.request,
                                  d.preemption->boundary);
      }
    }
  };
  int threads = std::max(1, std::min<int>(options.threads, int(jobs)));
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t)
    pool.emplace_back(worker);
  worker();
  for (std::thread &t : pool)
    t.join();
  cache.simulationSeconds +=
      std::chrono::duration<double>(std::chrono::steady_clock::now() - begin)
          .count();
  cache.simulations += static_cast<int64_t>(jobs);
  for (size_t k = 0; k < todo.size(); ++k)
    cache.insert(decisions[todo[k].first].request.id, todo[k].variant,
                 std::move(results[k]));
  for (size_t k = 0; k < stoppedTodo.size(); ++k) {
    const Decision &d = decisions[stoppedTodo[k]];
    cache.insertStopped(d.request.id, attemptOf(d, 0).variant,
                        d.preemption->boundary, std::move(stoppedResults[k]));
  }

  // 2. The timeline, rebuilt from the measurements in decision order.
  const std::vector<PoolChip> &chips = o.pool().chips();
  requests.resize(decisions.size());
  loads.resize(o.loads().size());
  chipBusyPs.resize(chips.size(), 0);
  chipFree.resize(chips.size(), 0);
  activity.resize(chips.size());
  for (; opsDone < o.timeline().size(); ++opsDone) {
    const TimelineOp &op = o.timeline()[opsDone];
    if (awaited(op)) {
      const Measurement *m = cache.find(decisions[op.index].request.id,
                                        attemptOf(decisions[op.index], 0).variant);
      if (!m)
        break; // its measurement is on its way
    }
    if (op.kind == TimelineOp::Kind::Load) {
      const LoadOp &load = o.loads()[op.index];
      const PoolChip &chip = chips[load.chip];
      const rt::Model &model = *load.variant->binary;
      const rt::Program &program = model.programs[load.program];
      int64_t cycles = 0;
      for (const rt::Segment &s : program.segments)
        cycles += rt::cost::hostDmaCycles(
            int64_t(s.data.size()), chip.hostLink.bandwidthGBps,
            chip.hostLink.latencyNs, chip.desc.clockMhz);
      bool woke = false;
      Ps start = std::max(o.policy().power.readyAt(chip.desc,
                                                   chipFree[load.chip],
                                                   load.notBeforePs, &woke),
                          channelFree[chip.host]);
      Ps end = start + cycles * chip.desc.picosecondsPerCycle();
      activity[load.chip].push_back(
          {start, end,
           woke ? std::max(load.notBeforePs, chipFree[load.chip]) : -1, true});
      chipFree[load.chip] = end;
      channelFree[chip.host] = end;
      loads[op.index] = {start, end};
      continue;
    }
    if (op.kind == TimelineOp::Kind::Preempt ||
        op.kind == TimelineOp::Kind::Resume) {
      replayPreemption(o, op, cache);
      continue;
    }
    if (op.kind == TimelineOp::Kind::Fail) {
      const FailureRecord &f = o.failures()[op.index];
      for (int c : f.chips)
        chipDownPs[c].push_back({f.event.atPs, INT64_MAX});
      if (f.event.chip < 0)
        hostFailedPs[f.event.host].push_back(f.event.atPs);
      continue;
    }
    if (op.kind == TimelineOp::Kind::Rejoin) {
      const FailureRecord &f = o.failures()[op.index];
      for (int c : f.chips) {
        chipDownPs[c].back().second = *f.rejoinedPs;
        chipFree[c] = *f.rejoinedPs; // empty, idle, on
      }
      continue;
    }
    if (op.kind == TimelineOp::Kind::Recover) {
      const Decision &d = decisions[op.index];
      const Recovery &rec = d.recoveries[op.step];
      Executed &e = requests[op.index];
      e.recoveries = int(op.step) + 1;
      if (rec.mode == RecoveryMode::Refused) {
        e.ran = false;
        e.measurement = nullptr;
      } else if (rec.mode == RecoveryMode::FromCheckpoint) {
        replayResume(o, op.index, rec, cache);
      } else {
        replayRun(o, op.index, op.step + 1, rec.decidedPs, cache);
      }
      if (!rec.displacedBy.empty())
        e.resumePs = e.startPs; // A displacement's resume is this run.
      continue;
    }
    const Decision &d = decisions[op.index];
    replayRun(o, op.index, 0, d.request.arrivalPs, cache);
  }
  // Nothing can be lost before the first failure; the check walks every
  // decision, so an installation that extends per request (the controller)
  // skips it until then.
  if (!chipDownPs.empty())
    checkLost(o);
}

} // namespace npu::serve
