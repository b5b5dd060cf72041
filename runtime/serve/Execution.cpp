//===- Execution.cpp - Running the decisions on the simulator -------------===//

#include "Execution.h"

#include "Random.h"
#include "Report.h"

#include "npu/rt/Cost.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <numeric>
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

Ps roundUp(Ps t, Ps grid) { return grid <= 1 ? t : (t + grid - 1) / grid * grid; }

/// Simulates one request on one variant.
Measurement simulate(const Variant &v, const InferenceRequest &r,
                     bool keepOutputs) {
  Measurement m;
  const rt::Model &model = *v.binary;
  rt::TensorMap generated;
  const rt::TensorMap *inputs = &r.inputs;
  if (r.inputs.empty()) {
    generated = makeInputs(model, r.inputSeed);
    inputs = &generated;
  }
  rt::SimulatorOptions options;
  options.trace = false;
  rt::Simulator sim(model, options);
  rt::RunResult run = sim.run(*inputs);
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
  uint64_t digest = 0xcbf29ce484222325ull;
  for (const auto &[name, bytes] : run.outputs) {
    digest = fnv1a(digest, reinterpret_cast<const uint8_t *>(name.data()),
                   name.size());
    digest = fnv1a(digest, bytes.data(), bytes.size());
  }
  m.outputDigest = digest;
  if (keepOutputs)
    m.outputs = std::move(run.outputs);
  return m;
}

} // namespace

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

Execution execute(const Orchestrator &o, MeasurementCache &cache,
                  const ExecutionOptions &options) {
  Execution ex;
  ex.extend(o, cache, options);
  return ex;
}

void Execution::extend(const Orchestrator &o, MeasurementCache &cache,
                       const ExecutionOptions &options) {
  const std::vector<Decision> &decisions = o.decisions();
  // 1. Functional runs of every request that ran and has no measurement.
  std::vector<size_t> todo;
  for (size_t i = requests.size(); i < decisions.size(); ++i)
    if (decisions[i].ran() &&
        !cache.find(decisions[i].request.id, decisions[i].variant))
      todo.push_back(i);
  std::vector<Measurement> results(todo.size());
  auto begin = std::chrono::steady_clock::now();
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t k = next++; k < todo.size(); k = next++) {
      const Decision &d = decisions[todo[k]];
      results[k] = simulate(*d.variant, d.request, options.keepOutputs);
    }
  };
  int threads = std::max(1, std::min<int>(options.threads, int(todo.size())));
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t)
    pool.emplace_back(worker);
  worker();
  for (std::thread &t : pool)
    t.join();
  cache.simulationSeconds +=
      std::chrono::duration<double>(std::chrono::steady_clock::now() - begin)
          .count();
  cache.simulations += static_cast<int64_t>(todo.size());
  for (size_t k = 0; k < todo.size(); ++k)
    cache.insert(decisions[todo[k]].request.id, decisions[todo[k]].variant,
                 std::move(results[k]));

  // 2. The timeline, rebuilt from the measurements in decision order.
  const std::vector<PoolChip> &chips = o.pool().chips();
  requests.resize(decisions.size());
  loads.resize(o.loads().size());
  chipBusyPs.resize(chips.size(), 0);
  chipFree.resize(chips.size(), 0);
  for (; opsDone < o.timeline().size(); ++opsDone) {
    const TimelineOp &op = o.timeline()[opsDone];
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
      Ps start = std::max({load.notBeforePs, chipFree[load.chip],
                           channelFree[chip.host]});
      Ps end = start + cycles * chip.desc.picosecondsPerCycle();
      chipFree[load.chip] = end;
      channelFree[chip.host] = end;
      loads[op.index] = {start, end};
      continue;
    }
    const Decision &d = decisions[op.index];
    const Measurement *m = cache.find(d.request.id, d.variant);
    Executed &e = requests[op.index];
    e.ran = true;
    e.measurement = m;
    if (!m || !m->ok) {
      errors.push_back(m ? m->error : "request '" + d.request.id +
                                             "': no measurement");
      continue;
    }
    Ps ready = d.request.arrivalPs;
    Ps grid = 1;
    for (size_t i = 0; i < d.chips.size(); ++i) {
      ready = std::max(ready, chipFree[d.chips[i]]);
      grid = std::lcm(grid, chips[d.chips[i]].desc.picosecondsPerCycle());
    }
    e.startPs = roundUp(ready, grid);
    e.completionPs = e.startPs;
    for (size_t i = 0; i < d.chips.size(); ++i) {
      Ps busy = m->cycles[i] * chips[d.chips[i]].desc.picosecondsPerCycle();
      chipFree[d.chips[i]] = e.startPs + busy;
      chipBusyPs[d.chips[i]] += busy;
      e.completionPs = std::max(e.completionPs, e.startPs + busy);
    }
  }
}

} // namespace npu::serve
