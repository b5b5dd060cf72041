//===- Placement.h - Where a model can run and where it is kept -*- C++ -*-===//
//
// Placement answers three questions from the budgets alone:
//
//  - Which pool chips can run a variant? A program compiled for one chip
//    runs on any chip with the same timing model (kind, capabilities, MAC
//    array, vector lanes, DRAM bandwidth, clock, power, host link) and
//    enough SRAM and DRAM: its budget is then exact there too. A variant of
//    several programs (a computing plan, P6/P7) needs one host whose chips
//    take its programs one to one and have a link of the same bandwidth and
//    latency wherever two programs exchange messages.
//  - Which models does a chip keep (P4)? Resident copies reserve their peak
//    DRAM; when a load needs room, the eviction policy frees it (LRU by
//    bytes: least recently used first, until the bytes fit).
//  - Which models share which chips (G6, G7)? The planner assigns models to
//    chips so that on every chip the sum of rate x busy time fits the
//    utilisation cap and the sum of rate x host bytes fits the host link;
//    for latency it spreads the load over every chip, for power it packs it
//    onto as few chips as it can and reports the others idle.
//
//===----------------------------------------------------------------------===//

#ifndef NPU_SERVE_PLACEMENT_H
#define NPU_SERVE_PLACEMENT_H

#include "Installation.h"
#include "Repository.h"

#include <map>
#include <string>
#include <vector>

namespace npu::serve {

/// Whether a program compiled for `compiled` (with `host` as its host link)
/// has the same exact budget on `pool`; otherwise `why` says what differs.
bool sameTimingModel(const rt::ChipDesc &compiled,
                     const rt::HostLinkDesc &compiledHost,
                     const PoolChip &pool, std::string *why = nullptr);

/// A variant mapped onto pool chips: chips[i] runs variant->programs[i].
struct Plan {
  const Variant *variant = nullptr;
  std::vector<int> chips;
};

/// Every plan of `variant` on the present chips of `registry` (at most
/// `limit`; the search is bounded). For a one-program variant, one plan per
/// compatible chip, in pool order.
std::vector<Plan> findPlans(const Variant &variant, const Registry &registry,
                            size_t limit = 256);

/// Why no chip of the pool can run `variant` (empty when one can).
std::string explainNoPlan(const Variant &variant, const Registry &registry);

/// One model copy kept in a chip's DRAM.
struct Resident {
  const Variant *variant = nullptr;
  int program = 0;
  int64_t bytes = 0;
  Ps lastUsedPs = 0;
};

/// The eviction policies (named so that reports say which ran).
enum class Eviction : uint8_t {
  Lru,  ///< Least recently used first (the baseline of the issue).
  None, ///< Never evict: a load that does not fit fails.
};

/// A chip's residents: which copies, how many bytes.
class Residency {
public:
  bool holds(const Variant *variant, int program) const;
  /// Marks a use (for LRU).
  void touch(const Variant *variant, int program, Ps nowPs);
  /// The residents `policy` would evict to make room for `bytes` more on a
  /// chip of `capacity` bytes, never one in `keep`; false when it cannot.
  bool victims(int64_t bytes, int64_t capacity, Eviction policy,
               const std::vector<const Variant *> &keep,
               std::vector<size_t> &out) const;
  /// Removes the residents at `indices` and adds one copy.
  void replace(const std::vector<size_t> &indices, Resident copy);
  /// Removes every copy of `model`'s variants; returns the bytes freed.
  int64_t removeModel(const std::string &model);
  void clear() {
    copies.clear();
    used = 0;
  }
  int64_t usedBytes() const { return used; }
  const std::vector<Resident> &all() const { return copies; }

private:
  std::vector<Resident> copies;
  int64_t used = 0;
};

/// The planner's objective (G7).
enum class Objective : uint8_t { Latency, Power };
std::string_view objectiveName(Objective objective);

/// One model's share of a chip in a placement plan.
struct Assignment {
  const Variant *variant = nullptr;
  int chip = 0;
  /// Requests per second routed to this copy.
  double rate = 0;
};

/// What the planner decided, and the needs it checked (G6).
struct PlacementPlan {
  std::vector<Assignment> assignments;
  /// Per pool chip: sum of rate x busy time (a fraction of one second),
  /// sum of rate x host bytes (bytes/s), DRAM reserved.
  std::vector<double> utilisation;
  std::vector<double> hostBytesPerSecond;
  std::vector<int64_t> dramBytes;
  /// Chips the plan leaves idle (power objective).
  std::vector<int> idle;
  /// Models the plan could not place within the caps, with the reason.
  std::vector<std::string> unplaced;
};

struct PlannerOptions {
  Objective objective = Objective::Latency;
  /// The largest share of a chip's time the plan gives out.
  double utilisationCap = 0.7;
  /// At most this many models per chip (1: one model per chip).
  int modelsPerChip = 1 << 20;
};

/// Plans which chips hold which models for the expected rates (requests per
/// second, by model). Only one-program variants are planned; plans of
/// several chips are loaded on demand.
PlacementPlan planPlacement(const Repository &repository,
                            const Registry &registry,
                            const std::map<std::string, double> &rates,
                            const PlannerOptions &options);

} // namespace npu::serve

#endif // NPU_SERVE_PLACEMENT_H
