//===- PolicyTest.cpp - Serving policies on hand-checked installations ----===//
//
// Small installations whose every number can be worked out by hand from
// the cost formulas (docs/cost-model.md): a relu model on the `single`
// preset's chip (host link 16 GB/s and 1000 ns, 1000 MHz, 64 B/cycle DRAM).
//
//===----------------------------------------------------------------------===//

#include "ServeTestUtil.h"

#include "Execution.h"
#include "Orchestrator.h"
#include "Summary.h"

#include <gtest/gtest.h>

namespace npu::serve {
namespace {

using test::TempDir;

/// A repository and an installation on disk, and the objects over them.
struct World {
  TempDir dir;
  std::optional<Repository> repo;
  std::unique_ptr<InProcessHosts> hosts;
  std::unique_ptr<Registry> pool;

  void model(const std::string &name, const std::string &variant,
             const std::vector<uint8_t> &bytes) {
    dir.write("repo/" + name + "/1/" + variant + ".npub", bytes);
  }
  void open(const std::string &installation) {
    std::string error;
    dir.write("inst.json", installation);
    std::optional<InstallationSpec> spec =
        readInstallationFile(dir.path() + "/inst.json", error);
    ASSERT_TRUE(spec) << error;
    hosts = std::make_unique<InProcessHosts>(*spec);
    pool = std::make_unique<Registry>(spec->announceTtlPs);
    pool->scan(*hosts, hosts->hosts(), 0);
    repo = Repository::open(dir.path() + "/repo", error);
    ASSERT_TRUE(repo) << error;
    std::vector<std::string> errors = repo->loadAll();
    ASSERT_TRUE(errors.empty()) << errors.front();
  }
  const Variant &variant(const std::string &model) const {
    return repo->find(model)->variants.front();
  }
};

InferenceRequest request(const std::string &id, const std::string &model,
                         Ps arrival, Ps deadline, Tier tier = Tier::Free) {
  InferenceRequest r;
  r.id = id;
  r.model = model;
  r.arrivalPs = arrival;
  r.deadlinePs = deadline;
  r.tier = tier;
  r.inputSeed = 42;
  return r;
}

PolicyConfig noPreload(PolicyConfig p = PolicyConfig::exact()) {
  p.preload = false;
  return p;
}

TEST(ServeBudgets, VariantNeedsComeFromTheBinary) {
  World w;
  rt::SystemDesc single = rt::test::preset("single");
  w.model("a", "v", test::reluModel(single, 0, 16, 0, 1600));
  w.open(test::installationJson({{"h0", "single"}}));
  const Variant &v = w.variant("a");
  ASSERT_EQ(v.programs.size(), 1u);
  // The load: one host DMA of the 1600-byte segment,
  // 24 + ceil(1000 ns * 1000 MHz / 1000) + ceil(1600 * 1000 / 16000) cycles.
  EXPECT_EQ(v.programs[0].weightBytes, 1600);
  EXPECT_EQ(v.programs[0].loadCycles, 24 + 1000 + 100);
  EXPECT_EQ(v.programs[0].loadPs, 1124 * 1000);
  // Latency is the budget's cycles at 1000 ps.
  const rt::Budget *full = v.binary->programs[0].findBudget("full");
  EXPECT_EQ(v.latencyPs, full->cycles * 1000);
  EXPECT_EQ(v.gridPs, 1000);
  // Peak DRAM covers the segment at 128 + 1600.
  EXPECT_EQ(v.programs[0].peakDramBytes, 128 + 1600);
}

TEST(ServeAdmission, TwoModelsCoLocatedInterleaveExactly) {
  World w;
  rt::SystemDesc single = rt::test::preset("single");
  w.model("a", "v", test::reluModel(single, 0, 16, 0, 0));
  w.model("b", "v", test::reluModel(single, 0, 64, 6400, 6400));
  w.open(test::installationJson({{"h0", "single"}}));
  Orchestrator o(*w.repo, *w.pool, PolicyConfig::exact());
  o.start(0, {{"a", 1000}, {"b", 1000}});
  // The planner put both on the one chip, the heavier first: b's weights
  // load from 0; a has none (a load of no segment takes no time).
  ASSERT_EQ(o.loads().size(), 2u);
  Ps loadB = w.variant("b").programs[0].loadPs;
  EXPECT_EQ(o.loads()[0].variant, &w.variant("b"));
  EXPECT_EQ(o.loads()[0].startPs, 0);
  EXPECT_EQ(o.loads()[0].endPs, loadB);
  EXPECT_EQ(o.loads()[1].startPs, loadB);
  EXPECT_EQ(o.loads()[1].endPs, loadB);
  Ps la = w.variant("a").latencyPs, lb = w.variant("b").latencyPs;
  const Decision &da = o.infer(request("r0", "a", 0, kPsPerS));
  ASSERT_EQ(da.outcome, Outcome::Admitted) << da.reason;
  // a waits for the chip (busy loading b), then runs.
  EXPECT_EQ(da.startPs, loadB);
  EXPECT_EQ(da.predictedCompletionPs, loadB + la);
  const Decision &db = o.infer(request("r1", "b", 10, kPsPerS));
  ASSERT_EQ(db.outcome, Outcome::Admitted) << db.reason;
  EXPECT_EQ(db.startPs, loadB + la);
  EXPECT_EQ(db.predictedCompletionPs, loadB + la + lb);
  EXPECT_EQ(db.coldLoads, 0);
  // The simulated timeline agrees to the picosecond, with real outputs.
  MeasurementCache cache;
  ExecutionOptions eo;
  eo.keepOutputs = true;
  Execution ex = execute(o, cache, eo);
  ASSERT_TRUE(ex.errors.empty()) << ex.errors.front();
  EXPECT_EQ(ex.requests[0].completionPs, loadB + la);
  EXPECT_EQ(ex.requests[1].startPs, loadB + la);
  EXPECT_EQ(ex.requests[1].completionPs, loadB + la + lb);
  EXPECT_EQ(ex.requests[0].measurement->budgetMismatches, 0);
  // y = relu(x) for the seeded input.
  rt::TensorMap in = makeInputs(*w.variant("a").binary, 42);
  std::vector<float> x = rt::test::bytesToFloats(in.at("x"));
  std::vector<float> y =
      rt::test::bytesToFloats(ex.requests[0].measurement->outputs.at("y"));
  ASSERT_EQ(y.size(), 16u);
  for (size_t i = 0; i < 16; ++i)
    EXPECT_EQ(y[i], x[i] > 0 ? x[i] : 0.0f) << i;
  Summary s = summarize(o, ex, kPsPerS);
  EXPECT_EQ(s.maxErrorPs, 0);
  EXPECT_EQ(s.withinSlo, 2);
}

TEST(ServeAdmission, RoutesToTheChipHoldingTheModel) {
  World w;
  rt::SystemDesc single = rt::test::preset("single");
  w.model("a", "v", test::reluModel(single, 0, 16, 0, 3200));
  w.open(test::installationJson({{"h0", "single"}, {"h1", "single"}}));
  Orchestrator o(*w.repo, *w.pool, noPreload());
  Ps load = w.variant("a").programs[0].loadPs;
  Ps la = w.variant("a").latencyPs;
  // First request: a cold load on the first chip (pool order).
  const Decision &d0 = o.infer(request("r0", "a", 0, kPsPerS));
  ASSERT_EQ(d0.outcome, Outcome::Admitted);
  EXPECT_EQ(d0.coldLoads, 1);
  EXPECT_EQ(d0.chips, std::vector<int>{0});
  EXPECT_EQ(d0.predictedCompletionPs, load + la);
  // Second request, while chip 0 is still busy: waiting for chip 0 still
  // meets the deadline and beats a load on chip 1... only if it does.
  // With a deadline that allows waiting, it goes to chip 0.
  const Decision &d1 = o.infer(request("r1", "a", 1000, kPsPerS));
  ASSERT_EQ(d1.outcome, Outcome::Admitted);
  EXPECT_EQ(d1.chips, std::vector<int>{0});
  EXPECT_EQ(d1.coldLoads, 0);
  EXPECT_EQ(d1.startPs, load + la);
  // A third whose deadline forbids waiting for chip 0 but allows a load on
  // chip 1: P4's "unless waiting would miss the deadline".
  Ps t = 2000;
  Ps onChip0 = load + 2 * la + la;
  Ps onChip1 = t + load + la;
  ASSERT_LT(onChip1, onChip0);
  const Decision &d2 = o.infer(request("r2", "a", t, onChip1));
  ASSERT_EQ(d2.outcome, Outcome::Admitted) << d2.reason;
  EXPECT_EQ(d2.chips, std::vector<int>{1});
  EXPECT_EQ(d2.coldLoads, 1);
  EXPECT_EQ(d2.predictedCompletionPs, onChip1);
}

TEST(ServeAdmission, RefusesWithTheReason) {
  World w;
  rt::SystemDesc single = rt::test::preset("single");
  w.model("a", "v", test::reluModel(single, 0, 16, 0, 0));
  w.open(test::installationJson({{"h0", "single"}}));
  Orchestrator o(*w.repo, *w.pool, PolicyConfig::exact());
  o.start(0, {});
  Ps la = w.variant("a").latencyPs;
  const Decision &ok = o.infer(request("r0", "a", 0, la));
  ASSERT_EQ(ok.outcome, Outcome::Admitted) << ok.reason;
  EXPECT_EQ(ok.predictedCompletionPs, la);
  // The chip is busy until la; a second request with the same SLO misses
  // by exactly la - 5.
  const Decision &no = o.infer(request("r1", "a", 5, 5 + la));
  EXPECT_EQ(no.outcome, Outcome::Refused);
  EXPECT_EQ(no.reason,
            "no capacity before the deadline: the earliest completion is " +
                std::to_string(2 * la) + " ps (h0/npu0, variant 'v'), " +
                std::to_string(la - 5) + " ps late");
  const Decision &past = o.infer(request("r2", "a", 10, 10));
  EXPECT_EQ(past.outcome, Outcome::Refused);
  EXPECT_EQ(past.reason, "deadline 10 ps is not after the arrival 10 ps");
  const Decision &unknown = o.infer(request("r3", "nope", 10, 100));
  EXPECT_EQ(unknown.reason, "unknown model 'nope'");
}

TEST(ServeAdmission, TiersAndQuotas) {
  World w;
  rt::SystemDesc single = rt::test::preset("single");
  w.model("a", "v", test::reluModel(single, 0, 16, 0, 0));
  w.open(test::installationJson(
      {{"p", "single", "\"tier\": \"premium\""}, {"f", "single"}}));
  PolicyConfig policy = PolicyConfig::exact();
  policy.freeQuota = 1;
  Orchestrator o(*w.repo, *w.pool, policy);
  o.start(0, {});
  // A premium client gets the premium chip; a free one the free chip.
  const Decision &p = o.infer(request("r0", "a", 0, kPsPerS, Tier::Premium));
  EXPECT_EQ(p.chips, std::vector<int>{0});
  const Decision &f = o.infer(request("r1", "a", 0, kPsPerS));
  EXPECT_EQ(f.chips, std::vector<int>{1});
  // The free tier's quota of one request in flight.
  const Decision &q = o.infer(request("r2", "a", 1, kPsPerS));
  EXPECT_EQ(q.outcome, Outcome::Refused);
  EXPECT_EQ(q.reason, "over the free tier's quota of 1 requests in flight");
  // Once r1 completed, the quota has room again.
  const Decision &later =
      o.infer(request("r3", "a", f.predictedCompletionPs, kPsPerS));
  EXPECT_EQ(later.outcome, Outcome::Admitted) << later.reason;
  // A free client never runs on the premium chip, even when it is idle.
  EXPECT_EQ(later.chips, std::vector<int>{1});
}

TEST(ServePlacement, TwoChipPlanRunsOnLinkedChips) {
  World w;
  rt::SystemDesc e1 = rt::test::preset("e1-package");
  using rt::test::BinaryBuilder;
  std::vector<uint8_t> bytes = test::calibrated(
      e1, "pipe",
      [](BinaryBuilder &b) {
        b.input("x", rt::cost::DType::F32, {16});
        b.output("y", rt::cost::DType::F32, {16});
      },
      {[](BinaryBuilder &b) {
         b.program("p0", 0)
             .loadInput(0, 0, 0, 64)
             .signal(0, rt::cost::Engine::DmaIn)
             .wait(0, rt::cost::Engine::DmaIn)
             .dmaIn(0, 0, 64)
             .signal(1, rt::cost::Engine::DmaIn)
             .wait(1, rt::cost::Engine::LinkTx)
             .send(0, 64, 1, 0)
             .halt();
       },
       [](BinaryBuilder &b) {
         b.program("p1", 1)
             .recv(0, 64, 0, 0)
             .signal(0, rt::cost::Engine::LinkRx)
             .wait(0, rt::cost::Engine::DmaOut)
             .dmaOut(0, 0, 64)
             .storeOutput(0, 0, 0, 64)
             .halt();
       }});
  w.model("pipe", "e1-plan", bytes);
  w.open(test::installationJson({{"s", "single"}, {"e", "e1-package"}}));
  const Variant &v = w.variant("pipe");
  EXPECT_EQ(v.links, (std::vector<std::pair<int64_t, int64_t>>{{0, 1}}));
  std::vector<Plan> plans = findPlans(v, *w.pool);
  // Only the e1-package host has a small chip linked to a big chip.
  ASSERT_EQ(plans.size(), 1u);
  EXPECT_EQ(plans[0].chips, (std::vector<int>{1, 2}));
  Orchestrator o(*w.repo, *w.pool, noPreload());
  const Decision &d = o.infer(request("r0", "pipe", 0, kPsPerS));
  ASSERT_EQ(d.outcome, Outcome::Admitted) << d.reason;
  EXPECT_EQ(d.chips, (std::vector<int>{1, 2}));
  EXPECT_EQ(d.predictedCompletionPs, v.latencyPs);
  MeasurementCache cache;
  ExecutionOptions eo;
  eo.keepOutputs = true;
  Execution ex = execute(o, cache, eo);
  ASSERT_TRUE(ex.errors.empty()) << ex.errors.front();
  EXPECT_EQ(ex.requests[0].completionPs, d.predictedCompletionPs);
  // The client sees one result: the input, through both chips.
  EXPECT_EQ(ex.requests[0].measurement->outputs.at("y"),
            makeInputs(*v.binary, 42).at("x"));
}

TEST(ServePlacement, LruEvictsTheLeastRecentlyUsed) {
  World w;
  rt::SystemDesc single = rt::test::preset("single");
  for (const char *m : {"a", "b", "c"})
    w.model(m, "v", test::reluModel(single, 0, 16, 0, 4096));
  // Room for two copies of 128 + 4096 bytes.
  w.open(test::installationJson({{"h0", "single", "\"dram_bytes\": 9000"}}));
  Orchestrator o(*w.repo, *w.pool, noPreload());
  o.infer(request("r0", "a", 0, kPsPerS));
  o.infer(request("r1", "b", 1, kPsPerS));
  o.infer(request("r2", "a", 2, kPsPerS)); // a is now the most recent
  const Decision &d = o.infer(request("r3", "c", 3, kPsPerS));
  ASSERT_EQ(d.outcome, Outcome::Admitted) << d.reason;
  EXPECT_EQ(d.coldLoads, 1);
  const LoadOp &load = o.loads().back();
  EXPECT_EQ(load.evicted, 1);
  const Residency &r = o.chipStates()[0].residency;
  EXPECT_TRUE(r.holds(&w.variant("a"), 0));
  EXPECT_FALSE(r.holds(&w.variant("b"), 0));
  EXPECT_TRUE(r.holds(&w.variant("c"), 0));
  // A model bigger than the chip's DRAM can never be placed, and says so.
  World big;
  big.model("huge", "v", test::reluModel(single, 0, 16, 0, 20000));
  big.open(test::installationJson({{"h0", "single", "\"dram_bytes\": 9000"}}));
  EXPECT_EQ(explainNoPlan(big.variant("huge"), *big.pool),
            "needs 20128 bytes of DRAM on a chip like 'npu0' of 'single' "
            "(general 256x256 at 1000 MHz); the largest such chip has 9000");
}

TEST(ServePlacement, WrongChipKindIsNamed) {
  World w;
  w.model("a", "small", test::reluModel(rt::test::preset("e1-package"), 0, 16,
                                        0, 0));
  w.open(test::installationJson({{"h0", "single"}}));
  std::string why = explainNoPlan(w.variant("a"), *w.pool);
  EXPECT_NE(why.find("was compiled for chip 'small' of system 'e1-package'"),
            std::string::npos)
      << why;
}

TEST(ServeBaselines, ClockworkKeepsOneModelPerChipFifoRunsLate) {
  World w;
  rt::SystemDesc single = rt::test::preset("single");
  w.model("a", "v", test::reluModel(single, 0, 16, 0, 1600));
  w.model("b", "v", test::reluModel(single, 0, 16, 0, 1600));
  w.open(test::installationJson({{"h0", "single"}}));
  Ps load = w.variant("a").programs[0].loadPs;
  Ps la = w.variant("a").latencyPs;
  Orchestrator cw(*w.repo, *w.pool, noPreload(PolicyConfig::clockwork()));
  cw.infer(request("r0", "a", 0, kPsPerS));
  const Decision &b = cw.infer(request("r1", "b", 0, kPsPerS));
  ASSERT_EQ(b.outcome, Outcome::Admitted);
  // b evicts a: one model per chip.
  EXPECT_EQ(cw.loads().back().evicted, 1);
  EXPECT_EQ(b.predictedCompletionPs, load + la + load + la);
  // FIFO admits what misses (late) and drops what cannot start in time.
  Orchestrator fifo(*w.repo, *w.pool, noPreload(PolicyConfig::fifo()));
  fifo.infer(request("r0", "a", 0, kPsPerS));
  const Decision &late = fifo.infer(request("r1", "a", 0, load + la + 1));
  EXPECT_EQ(late.outcome, Outcome::Late);
  const Decision &dropped = fifo.infer(request("r2", "a", 0, load + la));
  EXPECT_EQ(dropped.outcome, Outcome::Dropped);
}

TEST(ServeAllocation, GrantQueueAndRefuse) {
  World w;
  rt::SystemDesc single = rt::test::preset("single");
  w.model("a", "v", test::reluModel(single, 0, 16, 0, 0));
  w.open(test::installationJson({{"h0", "single"}, {"h1", "single"}}));
  Orchestrator o(*w.repo, *w.pool, PolicyConfig::exact());
  o.start(0, {});
  Ps la = w.variant("a").latencyPs;
  // A chip serves 0.7 / busy requests per second (the utilisation cap).
  double perChip = 0.7 * double(kPsPerS) / double(la);
  AllocationRequest a;
  a.id = "a1";
  a.client = "batch";
  a.model = "a";
  a.ratePerSecond = perChip * 1.5; // needs 2 chips
  a.framePs = 10 * kPsPerUs;
  const AllocationAnswer &granted = o.allocate(a);
  ASSERT_EQ(granted.outcome, Outcome::Admitted) << granted.reason;
  EXPECT_EQ(granted.chipsNeeded, 2);
  EXPECT_EQ(granted.chips, (std::vector<int>{0, 1}));
  // Another client must wait (M3).
  AllocationRequest b = a;
  b.id = "a2";
  b.client = "other";
  b.ratePerSecond = perChip * 0.5;
  b.arrivalPs = 1000;
  EXPECT_EQ(o.allocate(b).outcome, Outcome::Queued);
  // A request outside the allocation is refused while it holds the chips.
  const Decision &outside = o.infer(request("r0", "a", 2000, kPsPerS));
  EXPECT_EQ(outside.outcome, Outcome::Refused);
  // One of the client's own requests runs on its chips.
  InferenceRequest own = request("r1", "a", 3000, kPsPerS);
  own.allocation = "a1";
  own.client = "batch";
  EXPECT_EQ(o.infer(own).outcome, Outcome::Admitted);
  // The frame ends at endPs to the picosecond: 1 ps before, its chips still
  // refuse other work (of the allocation's own priority: no backfill).
  const Decision &early = o.infer(request("r2", "a", granted.endPs - 1, kPsPerS));
  EXPECT_EQ(early.outcome, Outcome::Refused);
  EXPECT_NE(early.reason.find("is held by allocation 'a1'"), std::string::npos)
      << early.reason;
  // When a1's frame ends, a2 is granted then, and the chip a2 does not take
  // runs other work from that very picosecond.
  o.advanceTo(granted.endPs);
  const AllocationAnswer &after = o.allocations()[1];
  EXPECT_EQ(after.outcome, Outcome::Admitted) << after.reason;
  EXPECT_EQ(after.decidedPs, granted.endPs);
  EXPECT_EQ(after.chipsNeeded, 1);
  const Decision &freed = o.infer(request("r3", "a", granted.endPs, kPsPerS));
  ASSERT_EQ(freed.outcome, Outcome::Admitted) << freed.reason;
  EXPECT_EQ(freed.startPs, granted.endPs);
  EXPECT_NE(freed.chips, after.chips);
  // More than the pool can ever give, or a precision it lacks: refused.
  AllocationRequest c = a;
  c.id = "a3";
  c.arrivalPs = granted.endPs;
  c.ratePerSecond = perChip * 2.5;
  EXPECT_EQ(o.allocate(c).reason,
            "needs 3 chips for " + std::to_string(c.ratePerSecond) +
                " requests/s; the pool has 2 that can run it for tier free");
  AllocationRequest d = a;
  d.id = "a4";
  d.arrivalPs = granted.endPs;
  d.precision = "int8";
  EXPECT_EQ(o.allocate(d).reason,
            "no chip with the precision int8: model 'a' has one-chip "
            "variants in f32");
}

TEST(ServeAllocation, HigherPriorityEndsALowerOne) {
  World w;
  rt::SystemDesc single = rt::test::preset("single");
  w.model("a", "v", test::reluModel(single, 0, 16, 0, 0));
  w.open(test::installationJson({{"h0", "single"}, {"h1", "single"}}));
  Orchestrator o(*w.repo, *w.pool, PolicyConfig::exact());
  o.start(0, {});
  Ps la = w.variant("a").latencyPs;
  double perChip = 0.7 * double(kPsPerS) / double(la);
  AllocationRequest low;
  low.id = "low";
  low.client = "batch";
  low.model = "a";
  low.ratePerSecond = perChip * 1.5; // both chips
  low.framePs = kPsPerS;
  low.priority = 5;
  ASSERT_EQ(o.allocate(low).outcome, Outcome::Admitted);
  // One of its requests is placed before it ends.
  InferenceRequest own = request("r0", "a", 1000, kPsPerS);
  own.allocation = "low";
  own.client = "batch";
  const Decision &placed = o.infer(own);
  ASSERT_EQ(placed.outcome, Outcome::Admitted) << placed.reason;
  // A request of the same priority waits; one of a higher priority ends
  // 'low' at its arrival and takes its chips.
  AllocationRequest same = low;
  same.id = "same";
  same.client = "other";
  same.ratePerSecond = perChip * 0.5;
  same.arrivalPs = 2000;
  EXPECT_EQ(o.allocate(same).outcome, Outcome::Queued);
  AllocationRequest high = same;
  high.id = "high";
  high.priority = 1;
  high.arrivalPs = 3000;
  const AllocationAnswer &h = o.allocate(high);
  ASSERT_EQ(h.outcome, Outcome::Admitted) << h.reason;
  const AllocationAnswer &ended = o.allocations()[0];
  EXPECT_EQ(ended.preemptedBy, "high");
  EXPECT_EQ(ended.endPs, 3000);
  // The chip 'high' leaves goes to 'same', which was waiting.
  EXPECT_EQ(o.allocations()[1].outcome, Outcome::Admitted);
  EXPECT_EQ(o.allocations()[1].decidedPs, 3000);
  EXPECT_NE(o.allocations()[1].chips, h.chips);
  // What 'low' placed still runs; a later request of 'low' is refused.
  EXPECT_EQ(o.decisions()[0].outcome, Outcome::Admitted);
  InferenceRequest late = own;
  late.id = "r1";
  late.arrivalPs = 4000;
  EXPECT_EQ(o.infer(late).reason, "allocation 'low' ended at 3000 ps");
  // An allocation of a lower priority than 'high' cannot end it.
  AllocationRequest lower = low;
  lower.id = "lower";
  lower.priority = 2;
  lower.arrivalPs = 5000;
  lower.ratePerSecond = perChip * 1.5;
  EXPECT_EQ(o.allocate(lower).outcome, Outcome::Queued);
  EXPECT_TRUE(o.allocations()[2].preemptedBy.empty());
}

TEST(ServePlanner, PowerPacksLatencySpreads) {
  World w;
  rt::SystemDesc single = rt::test::preset("single");
  w.model("a", "v", test::reluModel(single, 0, 16, 0, 0));
  w.model("b", "v", test::reluModel(single, 0, 16, 0, 0));
  w.open(test::installationJson({{"h0", "single"}, {"h1", "single"}}));
  std::map<std::string, double> rates = {{"a", 1000}, {"b", 1000}};
  PlannerOptions latency;
  PlacementPlan spread = planPlacement(*w.repo, *w.pool, rates, latency);
  // Both models on both chips, the rate split in half.
  EXPECT_EQ(spread.assignments.size(), 4u);
  EXPECT_TRUE(spread.idle.empty());
  PlannerOptions power;
  power.objective = Objective::Power;
  PlacementPlan packed = planPlacement(*w.repo, *w.pool, rates, power);
  EXPECT_EQ(packed.assignments.size(), 2u);
  EXPECT_EQ(packed.idle, std::vector<int>{1});
  double expected = 2 * 1000 * double(w.variant("a").latencyPs) / 1e12;
  EXPECT_DOUBLE_EQ(packed.utilisation[0], expected);
}

} // namespace
} // namespace npu::serve

namespace npu::serve {
namespace {

TEST(ServeAdmission, ObjectiveChoosesBetweenFastAndFrugal) {
  World w;
  rt::SystemDesc e1 = rt::test::preset("e1-package");
  w.model("a", "small", test::reluModel(e1, 0, 4096, 0, 0));
  w.model("a", "big", test::reluModel(e1, 1, 4096, 0, 0));
  w.open(test::installationJson({{"e", "e1-package"}}));
  const ModelEntry *m = w.repo->find("a");
  const Variant *big = m->findVariant("big"), *small = m->findVariant("small");
  // The big chip is faster (twice the DRAM bandwidth) and costs more.
  ASSERT_LT(big->latencyPs, small->latencyPs);
  ASSERT_GT(big->energyFj, small->energyFj);
  Orchestrator fast(*w.repo, *w.pool, PolicyConfig::exact());
  fast.start(0, {});
  Ps t = 10 * kPsPerUs; // after the preloads
  EXPECT_EQ(fast.infer(request("r0", "a", t, t + kPsPerS)).variant, big);
  PolicyConfig frugal = PolicyConfig::exact();
  frugal.planner.objective = Objective::Power;
  Orchestrator power(*w.repo, *w.pool, frugal);
  power.start(0, {});
  EXPECT_EQ(power.infer(request("r0", "a", t, t + kPsPerS)).variant, small);
  // With a deadline only the big chip meets, power still admits it there.
  Ps tight = big->latencyPs + (small->latencyPs - big->latencyPs) / 2;
  const Decision &d = power.infer(request("r1", "a", 2 * t, 2 * t + tight));
  EXPECT_EQ(d.outcome, Outcome::Admitted) << d.reason;
  EXPECT_EQ(d.variant, big);
}

} // namespace
} // namespace npu::serve

namespace npu::serve {
namespace {

// M6 across hosts: a failed host that registers again rejoins the pool
// empty, from the time it is back; the replay agrees to the picosecond and
// counts nothing lost, although the chip was down in between.
TEST(ServeFailure, AHostRejoinsEmptyAndRunsAgain) {
  World w;
  rt::SystemDesc single = rt::test::preset("single");
  w.model("a", "v", test::reluModel(single, 0, 16, 0, 3200));
  w.open(test::installationJson({{"h0", "single"}}));
  Orchestrator o(*w.repo, *w.pool, noPreload());
  Ps load = w.variant("a").programs[0].loadPs;
  Ps la = w.variant("a").latencyPs;
  ASSERT_EQ(o.infer(request("r0", "a", 0, kPsPerS)).outcome,
            Outcome::Admitted);
  FailureEvent f;
  f.id = "h0-down";
  f.host = "h0";
  f.atPs = kPsPerMs;
  ASSERT_EQ(o.fail(f), "");
  o.advanceTo(kPsPerMs);
  const Decision &down = o.infer(request("r1", "a", 2 * kPsPerMs, kPsPerS));
  EXPECT_EQ(down.outcome, Outcome::Refused);
  EXPECT_NE(down.reason.find("h0/npu0 has failed"), std::string::npos)
      << down.reason;
  EXPECT_NE(o.rejoin("h0", kPsPerMs), "") << "rejoin in the past";
  ASSERT_EQ(o.rejoin("h0", 3 * kPsPerMs), "");
  EXPECT_NE(o.rejoin("h0", 3 * kPsPerMs), "") << "nothing left to bring back";
  // Its DRAM was lost: the next request loads the model again.
  const Decision &back = o.infer(request("r2", "a", 4 * kPsPerMs, kPsPerS));
  ASSERT_EQ(back.outcome, Outcome::Admitted) << back.reason;
  EXPECT_EQ(back.coldLoads, 1);
  EXPECT_EQ(back.predictedCompletionPs, 4 * kPsPerMs + load + la);
  MeasurementCache cache;
  Execution e = execute(o, cache, ExecutionOptions());
  EXPECT_EQ(e.requests[2].completionPs, back.predictedCompletionPs);
  EXPECT_FALSE(e.requests[2].lost);
  EXPECT_FALSE(e.requests[0].lost); // done long before the failure
}

// A new controller takes over an allocation on the chips it held.
TEST(ServeAllocation, AdoptedAllocationHoldsItsChips) {
  World w;
  rt::SystemDesc single = rt::test::preset("single");
  w.model("a", "v", test::reluModel(single, 0, 16, 0, 3200));
  w.open(test::installationJson({{"h0", "single"}, {"h1", "single"}}));
  Orchestrator o(*w.repo, *w.pool, noPreload());
  AllocationRequest a;
  a.id = "alloc";
  a.client = "alloc";
  a.model = "a";
  a.ratePerSecond = 1;
  a.arrivalPs = 0;
  a.framePs = kPsPerMs;
  EXPECT_NE(o.adopt(a, "nope", {1}, kPsPerMs), "");
  ASSERT_EQ(o.adopt(a, "v", {1}, kPsPerMs), "");
  EXPECT_EQ(o.chipStates()[1].allocation, "alloc");
  EXPECT_NE(o.adopt(a, "v", {1}, kPsPerMs), "") << "the chip is held";
  // Others' requests go to the free chip; the allocation's own, to its.
  const Decision &other = o.infer(request("r0", "a", 1000, kPsPerS));
  ASSERT_EQ(other.outcome, Outcome::Admitted);
  EXPECT_EQ(other.chips, std::vector<int>{0});
  InferenceRequest mine = request("r1", "a", 2000, kPsPerS);
  mine.allocation = "alloc";
  mine.client = "alloc";
  const Decision &own = o.infer(mine);
  ASSERT_EQ(own.outcome, Outcome::Admitted) << own.reason;
  EXPECT_EQ(own.chips, std::vector<int>{1});
  // The frame ends: the chip returns to the pool.
  o.advanceTo(2 * kPsPerMs);
  EXPECT_EQ(o.chipStates()[1].allocation, "");
}

} // namespace
} // namespace npu::serve
