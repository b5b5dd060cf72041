//===- Orchestrator.h - Decisions in simulated time from budgets -*- C++ -*-==//
//
// The orchestrator answers every request at its arrival, from the budgets
// alone: admitted (with the exact predicted start and completion), refused
// (with the reason) or, for an allocation, queued until enough chips are
// free (M3). Its state is one append-only timeline per chip and one load
// channel per host:
//
//  - a chip runs one request at a time (Clockwork's rule): a request's run
//    occupies each chip of its plan from its start to that chip's halt, and
//    later work on the chip starts after it;
//  - a load (weights into DRAM, P4) occupies its chip and its host's load
//    channel: loads of one host are serialised, since they share the host's
//    link; a run's own inputs and outputs go over each chip's lane of the
//    host link, as the execution model says (docs/execution-model.md).
//
// Work once placed moves only when a request of higher priority preempts
// it or a failure hits it, and then by a new exact prediction; otherwise a
// prediction, once given, is final: the simulated execution (Execution.h)
// must reproduce it to the picosecond.
//
// The policies live in their own files: Admission.cpp (which plan, admit or
// refuse), Allocation.cpp (capacity over a time frame), Preemption.cpp,
// Failure.cpp, Placement.cpp (compatibility, residency, the planner).
//
//===----------------------------------------------------------------------===//

#ifndef NPU_SERVE_ORCHESTRATOR_H
#define NPU_SERVE_ORCHESTRATOR_H

#include "Installation.h"
#include "Placement.h"
#include "Power.h"
#include "Pricing.h"
#include "Repository.h"
#include "Types.h"

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace npu::serve {

/// How the orchestrator decides. exact() is ours; clockwork() and fifo()
/// are the baselines of the benchmark (docs/serving.md, "Policies").
struct PolicyConfig {
  std::string name = "exact";
  /// Refuse what cannot complete by its deadline (else run it anyway).
  bool admissionControl = true;
  /// Several models per chip (by DRAM); false: one model per chip, and a
  /// load evicts whatever the chip held.
  bool coLocation = true;
  /// Prefer a chip that holds the model when one meets the deadline (P4).
  bool preferResident = true;
  /// FIFO first fit: the first chip (pool order) that holds the model, else
  /// the first that can run it; no search for the earliest completion.
  bool firstFit = false;
  /// Drop a request whose start would be at or after its deadline (the
  /// FIFO baseline's only shedding).
  bool dropExpired = false;
  Eviction eviction = Eviction::Lru;
  /// Stop a running request of lower priority at a checkpoint boundary (or
  /// kill it there) when that is the only way to admit a request, and only
  /// when both still meet their deadlines (Preemption.cpp).
  bool preemption = true;
  /// G8: idle capacity of an allocation runs other clients' work of lower
  /// priority, which the owner's requests displace (Backfill.cpp).
  bool backfill = true;
  /// Preload the planner's placement at the start.
  bool preload = true;
  /// When idle chips power down (M4; Power.h).
  PowerPolicy power;
  /// G9: a request that states a minimum accuracy gets the cheapest variant
  /// (least energy) that reaches it; false: always the most accurate
  /// variants (the baseline "always the most accurate").
  bool variantsByAccuracy = true;
  PlannerOptions planner;
  /// Admitted requests not yet complete, per tier; 0: no quota.
  int freeQuota = 0;
  int premiumQuota = 0;

  static PolicyConfig exact();
  /// exact() without preemption: a newcomer always waits for the running
  /// request to halt (PREMA's drain), to measure what preemption adds.
  static PolicyConfig exactDrain();
  /// exact() serving every request the most accurate variants (G9's
  /// baseline).
  static PolicyConfig exactMostAccurate();
  /// exact() without backfill: an allocation's chips run its owner's work
  /// only.
  static PolicyConfig exactNoBackfill();
  static PolicyConfig clockwork();
  static PolicyConfig fifo();
  /// exact(), exact-drain, exact-most-accurate, clockwork() or fifo() by
  /// name.
  static std::optional<PolicyConfig> byName(const std::string &name);
};

/// A load of one program's weights into one chip's DRAM.
struct LoadOp {
  int chip = 0;
  const Variant *variant = nullptr;
  int program = 0;
  /// The load may not start before this (the decision's time).
  Ps notBeforePs = 0;
  Ps startPs = 0;
  Ps endPs = 0;
  /// The request or allocation that caused it; empty for the preload.
  std::string cause;
  /// Copies evicted to make room.
  int evicted = 0;
  /// A request waited for it (a cold start), as opposed to a preload.
  bool onDemand = false;
};

/// How a running request was stopped for another (PREMA's options; the
/// third, drain, is no preemption: the newcomer waits for the halt).
enum class PreemptMode : uint8_t {
  Checkpoint, ///< Stop at a boundary, save, later restore and resume.
  Kill,       ///< Stop at a boundary, discard, later restart from scratch.
  Defer,      ///< Not started yet: it runs after the newcomer instead.
};

std::string_view preemptModeName(PreemptMode mode);

/// A request stopped by a request of higher priority (P5, G8): its run on
/// `chips[0]` stops at checkpoint boundary `boundary`, and it completes on
/// `resumeChip` (docs/serving.md, "Preemption").
struct Preemption {
  PreemptMode mode = PreemptMode::Checkpoint;
  /// The request that preempted it.
  std::string by;
  /// The boundary (instruction index; 0 for a deferral) and its saved bytes.
  uint32_t boundary = 0;
  int64_t liveBytes = 0;
  /// The drain ends; the save ends (= stopPs for a kill): the chip is free.
  Ps stopPs = 0;
  Ps savedPs = 0;
  int resumeChip = 0;
  /// The restore (or the restart) starts.
  Ps resumePs = 0;
  /// The completion predicted at admission, before the preemption.
  Ps originalCompletionPs = 0;
  /// Why this option: the alternatives and their completions.
  std::string why;
};

/// How a request hit by a failure goes on (docs/serving.md, "Failure").
enum class RecoveryMode : uint8_t {
  Requeue,        ///< Placed but not started: placed again elsewhere.
  Restart,        ///< In flight: restarted from the beginning elsewhere.
  FromCheckpoint, ///< Resumed elsewhere from the checkpoint its host kept.
  Refused,        ///< No chip left can complete it by its deadline.
};

std::string_view recoveryModeName(RecoveryMode mode);

/// One failure that hit a request: the attempt it lost and what followed.
struct Recovery {
  /// Into Orchestrator::failures(); unused for a displacement.
  size_t failure = 0;
  /// Not empty: not a failure but the allocation owner's request that
  /// displaced this backfilled one (G8).
  std::string displacedBy;
  RecoveryMode mode = RecoveryMode::Restart;
  /// When the orchestrator placed it again (the failure's detection).
  Ps decidedPs = 0;
  /// The attempt the failure cut short, as it was placed.
  const Variant *lostVariant = nullptr;
  std::vector<int> lostChips;
  Ps lostStartPs = 0;
  std::vector<Ps> lostChipEndPs;
  Ps lostCompletionPs = 0;
  /// Why this mode; for Refused, why nothing else could take it.
  std::string why;
};

struct Decision;

/// Where a running one-chip request can stop for a request arriving at
/// `t`: its first checkpoint boundary whose stop is still decided in time
/// (the boundary's issue time is not before t), the end of the drain there,
/// the end of the save, and what a checkpoint leaves to do then (restore +
/// resume). `boundary` is null when no boundary is left.
struct StopPoint {
  const rt::Checkpoint *boundary = nullptr;
  Ps stopPs = 0;
  Ps savedPs = 0;
  Ps restPs = 0;
};
StopPoint stopPoint(const Decision &decision, Ps t);

/// The answer to one inference request.
struct Decision {
  /// The request, with its inputs (the execution runs on them).
  InferenceRequest request;
  Outcome outcome = Outcome::Refused;
  std::string reason;
  const Variant *variant = nullptr;
  /// Pool chips, one per program of the variant.
  std::vector<int> chips;
  Ps startPs = 0;
  Ps predictedCompletionPs = 0;
  /// Per program: start + its busy time (the chip is free again then).
  std::vector<Ps> chipEndPs;
  /// Loads this request waited for (cold start).
  int coldLoads = 0;
  /// Set when a request of higher priority stopped this one; its
  /// predictedCompletionPs is then the completion after the resume.
  std::optional<Preemption> preemption;
  /// Placed on idle capacity of another client's allocation (G8): the
  /// owner's requests may displace it (Backfill.cpp).
  bool backfill = false;
  /// When its (first) chip was free before this run was placed.
  Ps chipFreeBeforePs = 0;
  /// The failures that hit it, in order; variant, chips, startPs, chipEndPs
  /// and predictedCompletionPs are those of its last attempt.
  std::vector<Recovery> recoveries;
  bool ran() const {
    return outcome == Outcome::Admitted || outcome == Outcome::Late;
  }
};

/// The answer to one allocation request.
struct AllocationAnswer {
  AllocationRequest request;
  Outcome outcome = Outcome::Refused;
  std::string reason;
  const Variant *variant = nullptr;
  std::vector<int> chips;
  /// How many chips the rate needs (M3), from the variant's budget.
  int chipsNeeded = 0;
  Ps grantedPs = 0;
  Ps endPs = 0;
  /// When a queued allocation was decided at last.
  Ps decidedPs = 0;
  /// Chips it lost to failures, and the chips that replaced them.
  std::vector<int> failedChips;
  std::vector<int> replacementChips;
  /// Set when an allocation of higher priority ended it early (P5); its
  /// endPs is then that allocation's arrival.
  std::string preemptedBy;
};

/// A failure as the orchestrator handled it.
struct FailureRecord {
  FailureEvent event;
  /// The pool chips that stopped.
  std::vector<int> chips;
  /// Requests it hit (into decisions()), in the order they were placed
  /// again, and how many of them were refused.
  std::vector<size_t> hit;
  int64_t refused = 0;
  /// Allocations that lost a chip.
  std::vector<std::string> allocations;
  /// When the chips came back (Orchestrator::rejoin), if they did.
  std::optional<Ps> rejoinedPs;
};

/// One step of the installation's timeline, in decision order: what the
/// simulated execution replays.
struct TimelineOp {
  /// Preempt: decision `index`'s run stops at its boundary (its chip is free
  /// after the drain and the save). Resume: it restores and finishes (or
  /// restarts) on its resume chip.
  /// Fail: failure `index` stops its chips. Recover: decision `index` goes
  /// on after its recovery `step`.
  /// Rejoin: failure `index`'s host is back (Orchestrator::rejoin), with
  /// empty memories.
  enum class Kind : uint8_t {
    Load,
    Run,
    Preempt,
    Resume,
    Fail,
    Recover,
    Rejoin
  } kind = Kind::Run;
  size_t index = 0; ///< Into loads(), decisions() or failures().
  uint32_t step = 0;
};

/// The per-chip state.
struct ChipState {
  Ps freePs = 0;
  Residency residency;
  /// The allocation that holds the chip, until allocationEndPs, and its
  /// priority (backfill must be of a lower one).
  std::string allocation;
  Ps allocationEndPs = 0;
  int allocationPriority = kDefaultPriority;
  Ps busyPs = 0;
  /// The decision that ran last on the chip (-1: none), and whether
  /// anything was placed on the chip after it.
  int64_t lastRun = -1;
  /// freePs before that run was placed (the chip is free from then).
  Ps freeBeforeLastPs = 0;
  /// What was placed on the chip, in order: a decision's index, or -1 for
  /// a load (backfill displaces a trailing run of backfilled requests).
  std::vector<int64_t> placed;
  int64_t runs = 0;
  int64_t loads = 0;
  /// The chip failed then (M6); it never runs again.
  std::optional<Ps> failedPs;
};

class Orchestrator {
public:
  Orchestrator(const Repository &repository, Registry &registry,
               PolicyConfig policy);

  /// Plans the placement for the expected rates and preloads it at
  /// `nowPs`; call once before the first request.
  void start(Ps nowPs, const std::map<std::string, double> &expectedRates);

  /// The cost a request that chooses its variant by accuracy minimises
  /// (G9): each variant's worst-case base price under a price table
  /// (Pricing.h); without one, the variant's energy. Call before start().
  void setPrices(std::map<const Variant *, AttoUnits> variantPrices) {
    prices = std::move(variantPrices);
  }

  /// Decides an inference request at its arrival. Arrivals must not go
  /// back in time; advanceTo(arrival) is implied.
  const Decision &infer(const InferenceRequest &request);
  /// Decides an allocation request at its arrival (may queue it).
  const AllocationAnswer &allocate(const AllocationRequest &request);
  /// Takes over an allocation another controller granted (its record in
  /// the state store): `chips` (pool indices) run `variantName` of
  /// request.model for request.id until `endPs`. Nothing is decided: the
  /// chips are marked held, as that controller left them. Returns the
  /// error (unknown model or variant, a chip failed or held) or "".
  std::string adopt(const AllocationRequest &request,
                    const std::string &variantName,
                    const std::vector<int> &chips, Ps endPs);
  /// Processes what happens up to `nowPs`: allocations whose frame ends
  /// (their chips return to the pool) and queued allocations retried then.
  void advanceTo(Ps nowPs);
  /// Injects a failure (M6). It is handled when the orchestrator detects
  /// it, at event.detectedPs(): the chips leave the pool, the requests
  /// they held are placed again (Failure.cpp). Returns an error (an
  /// unknown host or chip, a time in the past) or "".
  std::string fail(const FailureEvent &event);
  /// A failed host is back at `t` (a restarted host registered again): its
  /// chips that failed rejoin the pool, empty (their DRAM was lost with
  /// the host), free from t. Returns the error (the host has no failed
  /// chip, t is in the past) or "".
  std::string rejoin(const std::string &host, Ps t);
  /// Ends the run: queued allocations still waiting are refused, pending
  /// failures are handled.
  void finish();

  /// Loads a (newly loaded) model at `nowPs` onto every chip that can run
  /// one of its one-chip variants and has DRAM left for it (P4), one load
  /// per chip, serialised per host. Returns how many loads it placed.
  int preload(const std::string &model, Ps nowPs);
  /// Drops every resident copy of `model` (an unload); returns the bytes
  /// of DRAM freed. Work already placed keeps its copy until it ran.
  int64_t evict(const std::string &model);

  const std::vector<Decision> &decisions() const { return decided; }
  const std::vector<AllocationAnswer> &allocations() const { return granted; }
  const std::vector<LoadOp> &loads() const { return loadOps; }
  const std::vector<TimelineOp> &timeline() const { return ops; }
  const std::vector<FailureRecord> &failures() const { return failed; }
  const std::vector<ChipState> &chipStates() const { return chips; }
  const PlacementPlan &placement() const { return plan; }
  const PolicyConfig &policy() const { return config; }
  const Registry &pool() const { return registry; }
  const Repository &models() const { return repository; }
  /// Every plan of a variant on the pool (computed once per variant).
  const std::vector<Plan> &plansOf(const Variant &variant);

private:
  // Admission.cpp
  /// One way to run a request: a plan, its start and completion, and the
  /// loads it waits for.
  struct Candidate {
    Plan plan;
    Ps startPs = 0;
    Ps completionPs = 0;
    bool resident = true;
    /// Per program: a load and its victims, when the chip lacks the copy.
    struct PendingLoad {
      int program = 0;
      Ps startPs = 0;
      Ps endPs = 0;
      std::vector<size_t> victims;
    };
    std::vector<PendingLoad> loads;
    int64_t energyFj = 0;
    /// The variant's worst-case base price, when prices are set.
    AttoUnits price = 0;
    /// It runs on idle capacity of another client's allocation (G8).
    bool backfill = false;
  };
  /// `allowBackfill`: a chip held by another client's allocation may take
  /// the request as backfill (G8).
  std::optional<Candidate> evaluate(const Plan &plan,
                                    const InferenceRequest &request,
                                    std::string &why,
                                    bool allowBackfill = true) const;
  struct Evaluated {
    Candidate cand;
    bool meets = false;
  };
  /// Every plan of every variant of `model`, evaluated for `request` as if
  /// it arrived at request.arrivalPs; `lastWhy`: why the last plan that
  /// could not be evaluated could not.
  std::vector<Evaluated> evaluateAll(const ModelEntry &model,
                                     const InferenceRequest &request,
                                     Ps allocationEndPs, std::string &lastWhy,
                                     bool allowBackfill = true);
  /// The policy's order of candidates (its objective); `cost`: the least
  /// energy first (a request choosing by accuracy, G9).
  bool better(const Candidate &a, const Candidate &b, bool cost = false) const;
  /// Whether `variant` may serve `request` (G9: its accuracy).
  bool admissible(const Variant &variant, const ModelEntry &model,
                  std::optional<double> minAccuracy) const;
  /// Why no variant of `model` reaches `minAccuracy` ("" when one does).
  std::string tooInaccurate(const ModelEntry &model,
                            std::optional<double> minAccuracy) const;
  /// The policy's choice among them, or null.
  const Candidate *choose(const std::vector<Evaluated> &all,
                          const InferenceRequest &request) const;
  /// Why nothing met the deadline: the best plan and by how much it misses.
  std::string noCapacity(const std::vector<Evaluated> &all,
                         const InferenceRequest &request,
                         Ps allocationEndPs) const;
  /// Places decision `index` (`decision`) on the candidate; its loads may
  /// start at `notBeforePs`.
  void commit(const Candidate &candidate, Decision &decision, size_t index,
              Ps notBeforePs);
  Ps allocationEnd(const std::string &allocation) const;
  bool tierAllows(const Plan &plan, Tier tier, int group) const;
  std::string quotaExceeded(const InferenceRequest &request);
  // Preemption.cpp
  /// The run of `request` on one-chip `plan` once its chip is free from
  /// `freePs` (a wake first if it is off by then).
  Candidate runAfter(const Plan &plan, const InferenceRequest &request,
                     Ps freePs) const;
  bool tryPreempt(const InferenceRequest &request, const ModelEntry &model,
                  Decision &decision);
  // Failure.cpp
  void handleFailure(size_t failure);
  /// Places decision `index`, hit by failure `failure`, again.
  void recover(size_t index, size_t failure);
  /// Places decision `index` again as a new arrival at recovery.decidedPs
  /// (its last attempt cut short): from the checkpoint it was stopped at
  /// when `checkpointed`, else from the start; refused (false) when no chip
  /// can complete it by its deadline, unless `lateAllowed`.
  bool placeAgain(size_t index, Recovery recovery, bool checkpointed,
                  bool started, const std::string &lostWhy, bool lateAllowed);
  // Backfill.cpp
  /// An allocation's owner stops a request backfilled onto its chips.
  bool tryDisplace(const InferenceRequest &request, const ModelEntry &model,
                   Decision &decision);
  bool backfillable(const Variant &variant, const InferenceRequest &request,
                    const ChipState &chip) const;
  /// Replaces an allocation's failed chips where free chips allow.
  void repairAllocation(AllocationAnswer &answer, size_t failure);
  // Allocation.cpp
  bool tryGrant(AllocationAnswer &answer, Ps nowPs);
  /// P5: ends granted allocations of lower priority, the lowest first,
  /// until `answer` can be granted at `t`; ends none when even all of them
  /// would not be enough.
  bool preemptAllocations(AllocationAnswer &answer, Ps t);
  /// A chip an allocation of `variant` for tier `tier` may take at `t`.
  bool grantable(const Plan &plan, Tier tier, Ps t) const;
  /// Marks `chip` as the allocation's and loads its variant if missing.
  void takeChip(AllocationAnswer &answer, int chip, Ps t);
  void endAllocation(AllocationAnswer &answer);
  // Orchestrator.cpp
  Ps loaderFree(const std::string &host) const;
  void addLoad(LoadOp op, const std::vector<size_t> &victims);
  /// Loads program 0 of `variant` onto `chip` if it fits without eviction.
  bool loadCopy(const Variant *variant, int chip, Ps notBeforePs,
                const std::string &cause);

  const Repository &repository;
  Registry &registry;
  PolicyConfig config;
  PlacementPlan plan;
  std::vector<ChipState> chips;
  std::map<std::string, Ps> loaderFreePs;
  std::map<const Variant *, std::vector<Plan>> planCache;
  std::map<const Variant *, AttoUnits> prices;
  std::vector<Decision> decided;
  std::vector<AllocationAnswer> granted;
  std::vector<size_t> queuedAllocations;
  std::vector<LoadOp> loadOps;
  std::vector<TimelineOp> ops;
  std::vector<FailureRecord> failed;
  /// Failures injected but not yet detected (into failed).
  std::vector<size_t> pendingFailures;
  /// Predicted completions of admitted requests, per tier (for quotas).
  std::multiset<Ps> inFlight[2];
  Ps nowPs = 0;
};

} // namespace npu::serve

#endif // NPU_SERVE_ORCHESTRATOR_H
