//===- Placement.cpp - Where a model can run and where it is kept ---------===//

#include "Placement.h"

#include <algorithm>
#include <numeric>

namespace npu::serve {

//===----------------------------------------------------------------------===//
// Compatibility
//===----------------------------------------------------------------------===//

bool sameTimingModel(const rt::ChipDesc &c, const rt::HostLinkDesc &host,
                     const PoolChip &pool, std::string *why) {
  const rt::ChipDesc &p = pool.desc;
  auto differ = [&](const char *field, int64_t want, int64_t have) {
    if (why)
      *why = std::string(field) + " " + std::to_string(have) + " (compiled for " +
             std::to_string(want) + ")";
    return false;
  };
  if (c.kind != p.kind)
    return differ("kind", int64_t(c.kind), int64_t(p.kind));
  if (c.caps != p.caps)
    return differ("capabilities", c.caps, p.caps);
  if (c.macRows != p.macRows)
    return differ("mac_rows", c.macRows, p.macRows);
  if (c.macCols != p.macCols)
    return differ("mac_cols", c.macCols, p.macCols);
  if (c.vectorLanes != p.vectorLanes)
    return differ("vector_lanes", c.vectorLanes, p.vectorLanes);
  if (c.dramBytesPerCycle != p.dramBytesPerCycle)
    return differ("dram_bytes_per_cycle", c.dramBytesPerCycle,
                  p.dramBytesPerCycle);
  if (c.clockMhz != p.clockMhz)
    return differ("clock_mhz", c.clockMhz, p.clockMhz);
  const rt::PowerModel &a = c.power, &b = p.power;
  if (a.activeMw != b.activeMw || a.idleMw != b.idleMw || a.offMw != b.offMw ||
      a.wakeCycles != b.wakeCycles || a.wakeEnergyNj != b.wakeEnergyNj) {
    if (why)
      *why = "power model differs";
    return false;
  }
  if (host.bandwidthGBps != pool.hostLink.bandwidthGBps)
    return differ("host bandwidth_gbps", host.bandwidthGBps,
                  pool.hostLink.bandwidthGBps);
  if (host.latencyNs != pool.hostLink.latencyNs)
    return differ("host latency_ns", host.latencyNs, pool.hostLink.latencyNs);
  return true;
}

namespace {

/// Whether pool chip `chip` can take program `i` of `v` (timing and memory).
bool fits(const Variant &v, size_t i, const PoolChip &chip) {
  const ProgramNeeds &needs = v.programs[i];
  return chip.present &&
         sameTimingModel(needs.desc, v.binary->system.host, chip) &&
         needs.peakDramBytes <= chip.desc.dramBytes &&
         needs.sramBytes <= chip.desc.sramBytes;
}

bool sameLink(const rt::LinkDesc *compiled, const rt::LinkDesc *pool) {
  return compiled && pool && compiled->bandwidthGBps == pool->bandwidthGBps &&
         compiled->latencyNs == pool->latencyNs;
}

/// Bounded backtracking: programs in order, each onto an unused chip of the
/// host that fits it and is linked as the binary's system is to the chips
/// of the programs already placed.
void searchPlans(const Variant &v, const Registry &registry,
                 const std::vector<const PoolChip *> &hostChips, Plan &current,
                 std::vector<Plan> &out, size_t limit, size_t &steps) {
  constexpr size_t kMaxSteps = 100000;
  if (out.size() >= limit || ++steps > kMaxSteps)
    return;
  size_t i = current.chips.size();
  if (i == v.programs.size()) {
    out.push_back(current);
    return;
  }
  const rt::SystemDesc &compiled = v.binary->system;
  const rt::SystemDesc *host = registry.hostSystem(hostChips.front()->host);
  for (const PoolChip *chip : hostChips) {
    if (std::find(current.chips.begin(), current.chips.end(), chip->index) !=
            current.chips.end() ||
        !fits(v, i, *chip))
      continue;
    bool linked = true;
    for (size_t j = 0; j < i && linked; ++j) {
      std::pair<int64_t, int64_t> pair =
          std::minmax(v.programs[i].chip, v.programs[j].chip);
      if (std::find(v.links.begin(), v.links.end(), pair) == v.links.end())
        continue;
      const PoolChip &other = registry.chips()[current.chips[j]];
      linked = sameLink(compiled.findLink(pair.first, pair.second),
                        host->findLink(chip->desc.id, other.desc.id));
    }
    if (!linked)
      continue;
    current.chips.push_back(chip->index);
    searchPlans(v, registry, hostChips, current, out, limit, steps);
    current.chips.pop_back();
  }
}

} // namespace

std::vector<Plan> findPlans(const Variant &v, const Registry &registry,
                            size_t limit) {
  std::vector<Plan> plans;
  for (const std::string &host : registry.hostOrder()) {
    std::vector<const PoolChip *> chips;
    for (const PoolChip &chip : registry.chips())
      if (chip.host == host && chip.present)
        chips.push_back(&chip);
    if (chips.size() < v.programs.size())
      continue;
    Plan current;
    current.variant = &v;
    size_t steps = 0;
    searchPlans(v, registry, chips, current, plans, limit, steps);
    if (plans.size() >= limit)
      break;
  }
  return plans;
}

std::string explainNoPlan(const Variant &v, const Registry &registry) {
  if (!findPlans(v, registry, 1).empty())
    return "";
  const ProgramNeeds &first = v.programs.front();
  std::string kind = std::string(rt::toString(first.desc.kind)) + " " +
                     std::to_string(first.desc.macRows) + "x" +
                     std::to_string(first.desc.macCols) + " at " +
                     std::to_string(first.desc.clockMhz) + " MHz";
  // A chip with the right timing model but too little memory: name the
  // smallest capacity that would fit.
  int64_t largestDram = -1;
  std::string closest;
  for (const PoolChip &chip : registry.chips()) {
    if (!chip.present)
      continue;
    std::string why;
    if (sameTimingModel(first.desc, v.binary->system.host, chip, &why))
      largestDram = std::max(largestDram, chip.desc.dramBytes);
    else if (closest.empty())
      closest = chip.key() + ": " + why;
  }
  if (largestDram >= 0 && v.programs.size() == 1)
    return "needs " + std::to_string(first.peakDramBytes) +
           " bytes of DRAM on a chip like '" + first.desc.name + "' of '" +
           v.binary->system.name + "' (" + kind +
           "); the largest such chip has " + std::to_string(largestDram);
  if (largestDram >= 0)
    return "needs " + std::to_string(v.programs.size()) +
           " chips on one host linked as in system '" + v.binary->system.name +
           "'; no host has them";
  return "was compiled for chip '" + first.desc.name + "' of system '" +
         v.binary->system.name + "' (" + kind +
         "); no chip of the installation has that timing model" +
         (closest.empty() ? "" : " (e.g. " + closest + ")");
}

//===----------------------------------------------------------------------===//
// Residency
//===----------------------------------------------------------------------===//

bool Residency::holds(const Variant *v, int program) const {
  return std::any_of(copies.begin(), copies.end(), [&](const Resident &r) {
    return r.variant == v && r.program == program;
  });
}

void Residency::touch(const Variant *v, int program, Ps nowPs) {
  for (Resident &r : copies)
    if (r.variant == v && r.program == program)
      r.lastUsedPs = std::max(r.lastUsedPs, nowPs);
}

bool Residency::victims(int64_t bytes, int64_t capacity, Eviction policy,
                        const std::vector<const Variant *> &keep,
                        std::vector<size_t> &out) const {
  out.clear();
  int64_t free = capacity - used;
  if (bytes <= free)
    return true;
  if (policy == Eviction::None || bytes > capacity)
    return false;
  std::vector<size_t> order(copies.size());
  std::iota(order.begin(), order.end(), 0);
  // Least recently used first; ties by the order of loading.
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return copies[a].lastUsedPs < copies[b].lastUsedPs;
  });
  for (size_t i : order) {
    if (std::find(keep.begin(), keep.end(), copies[i].variant) != keep.end())
      continue;
    out.push_back(i);
    free += copies[i].bytes;
    if (bytes <= free)
      return true;
  }
  out.clear();
  return false;
}

void Residency::replace(const std::vector<size_t> &indices, Resident copy) {
  std::vector<size_t> sorted = indices;
  std::sort(sorted.rbegin(), sorted.rend());
  for (size_t i : sorted) {
    used -= copies[i].bytes;
    copies.erase(copies.begin() + static_cast<std::ptrdiff_t>(i));
  }
  used += copy.bytes;
  copies.push_back(copy);
}

int64_t Residency::removeModel(const std::string &model) {
  int64_t freed = 0;
  for (size_t i = copies.size(); i-- > 0;)
    if (copies[i].variant->model == model) {
      freed += copies[i].bytes;
      copies.erase(copies.begin() + static_cast<std::ptrdiff_t>(i));
    }
  used -= freed;
  return freed;
}

//===----------------------------------------------------------------------===//
// The planner (G6, G7)
//===----------------------------------------------------------------------===//

std::string_view objectiveName(Objective objective) {
  return objective == Objective::Power ? "power" : "latency";
}

PlacementPlan planPlacement(const Repository &repository,
                            const Registry &registry,
                            const std::map<std::string, double> &rates,
                            const PlannerOptions &options) {
  const std::vector<PoolChip> &chips = registry.chips();
  PlacementPlan plan;
  plan.utilisation.assign(chips.size(), 0);
  plan.hostBytesPerSecond.assign(chips.size(), 0);
  plan.dramBytes.assign(chips.size(), 0);
  std::vector<int> models(chips.size(), 0);
  std::vector<bool> used(chips.size(), false);

  // The best variant of a model per chip: the one with the smallest busy
  // time among its one-program variants that fit the chip.
  struct Option {
    const Variant *variant;
    int chip;
  };
  struct Item {
    const ModelEntry *model;
    double rate;
    std::vector<Option> options;
    double load; ///< rate x the fastest busy time, in seconds per second.
  };
  std::vector<Item> items;
  for (const ModelEntry &m : repository.index()) {
    if (m.state != ModelState::Ready)
      continue;
    Item item{&m, 0, {}, 0};
    if (auto it = rates.find(m.name); it != rates.end())
      item.rate = it->second;
    Ps fastest = 0;
    for (const PoolChip &chip : chips) {
      const Variant *best = nullptr;
      for (const Variant &v : m.variants)
        if (v.programs.size() == 1 && fits(v, 0, chip) &&
            (!best || v.latencyPs < best->latencyPs))
          best = &v;
      if (best) {
        item.options.push_back({best, chip.index});
        if (!fastest || best->latencyPs < fastest)
          fastest = best->latencyPs;
      }
    }
    item.load = item.rate * double(fastest) / double(kPsPerS);
    if (item.options.empty())
      plan.unplaced.push_back(m.name + ": no one-chip variant fits a chip");
    else
      items.push_back(std::move(item));
  }
  // Heaviest first; ties by name (the index order), for determinism.
  std::stable_sort(items.begin(), items.end(), [](const Item &a,
                                                  const Item &b) {
    return a.load > b.load;
  });

  auto place = [&](const Item &item, const Option &o, double rate) {
    const ProgramNeeds &needs = o.variant->programs[0];
    plan.assignments.push_back({o.variant, o.chip, rate});
    plan.utilisation[o.chip] += rate * double(needs.busyPs) / double(kPsPerS);
    plan.hostBytesPerSecond[o.chip] += rate * double(needs.hostBytes);
    plan.dramBytes[o.chip] += needs.peakDramBytes;
    models[o.chip] += 1;
    used[o.chip] = true;
    (void)item;
  };
  auto room = [&](const Option &o) {
    const ProgramNeeds &needs = o.variant->programs[0];
    return models[o.chip] < options.modelsPerChip &&
           plan.dramBytes[o.chip] + needs.peakDramBytes <=
               chips[o.chip].desc.dramBytes;
  };
  auto cost = [&](const Option &o, double rate) {
    return plan.utilisation[o.chip] +
           rate * double(o.variant->programs[0].busyPs) / double(kPsPerS);
  };
  auto hostFits = [&](const Option &o, double rate) {
    double bytesPerSecond = plan.hostBytesPerSecond[o.chip] +
                            rate * double(o.variant->programs[0].hostBytes);
    return bytesPerSecond <=
           double(chips[o.chip].hostLink.bandwidthGBps) * 1e9;
  };

  if (options.objective == Objective::Power) {
    // First fit decreasing onto the chips in use, opening a chip (in pool
    // order) only when none in use has room within the cap.
    for (const Item &item : items) {
      const Option *choice = nullptr;
      for (int pass = 0; pass < 2 && !choice; ++pass)
        for (const Option &o : item.options)
          if ((pass == 1 || used[o.chip]) && room(o) &&
              cost(o, item.rate) <= options.utilisationCap &&
              hostFits(o, item.rate)) {
            choice = &o;
            break;
          }
      if (choice)
        place(item, *choice, item.rate);
      else
        plan.unplaced.push_back(item.model->name +
                                ": no chip has room within the cap");
    }
    for (const PoolChip &chip : chips)
      if (chip.present && !used[chip.index])
        plan.idle.push_back(chip.index);
    return plan;
  }

  // Latency: every model gets one copy on the least utilised chip that has
  // room (worst fit); then, heaviest first, copies on every other chip that
  // has DRAM left, so that a request can go to whichever chip finishes it
  // first. The expected rate is split over the copies in proportion to
  // their speed.
  std::vector<std::vector<Option>> chosen(items.size());
  for (size_t k = 0; k < items.size(); ++k) {
    const Option *best = nullptr;
    for (const Option &o : items[k].options)
      if (room(o) && (!best || cost(o, 0) < cost(*best, 0)))
        best = &o;
    if (!best) {
      plan.unplaced.push_back(items[k].model->name +
                              ": no chip has DRAM left for it");
      continue;
    }
    chosen[k].push_back(*best);
    models[best->chip] += 1;
    plan.dramBytes[best->chip] += best->variant->programs[0].peakDramBytes;
  }
  for (size_t k = 0; k < items.size(); ++k) {
    if (chosen[k].empty())
      continue;
    for (const Option &o : items[k].options) {
      bool already = std::any_of(chosen[k].begin(), chosen[k].end(),
                                 [&](const Option &c) { return c.chip == o.chip; });
      if (already || !room(o))
        continue;
      chosen[k].push_back(o);
      models[o.chip] += 1;
      plan.dramBytes[o.chip] += o.variant->programs[0].peakDramBytes;
    }
  }
  // Record the copies with their rate shares (DRAM and counts again).
  std::fill(models.begin(), models.end(), 0);
  std::fill(plan.dramBytes.begin(), plan.dramBytes.end(), 0);
  for (size_t k = 0; k < items.size(); ++k) {
    double speed = 0;
    for (const Option &o : chosen[k])
      speed += 1.0 / double(o.variant->programs[0].busyPs);
    for (const Option &o : chosen[k])
      place(items[k], o,
            items[k].rate * (1.0 / double(o.variant->programs[0].busyPs)) /
                speed);
  }
  for (size_t c = 0; c < chips.size(); ++c)
    if (plan.utilisation[c] > options.utilisationCap)
      plan.unplaced.push_back(
          chips[c].key() + ": expected utilisation " +
          std::to_string(plan.utilisation[c]) + " exceeds the cap " +
          std::to_string(options.utilisationCap) +
          " (the expected load does not fit; admission will refuse the excess)");
  for (const PoolChip &chip : chips)
    if (chip.present && !used[chip.index])
      plan.idle.push_back(chip.index);
  return plan;
}

} // namespace npu::serve
