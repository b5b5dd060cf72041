//===- PricingTest.cpp - Exact counts and prices, checked by hand ---------===//
//
// G10 (docs/serving.md, "Pricing"). Programs built by hand as rt::Model
// structs (the counter reads only the stream and the budgets), with prices
// chosen so that every count and every bill can be worked out on paper:
// 2 nano-units per MAC, 1 per vector element operation, 1 per host byte,
// 0.1 per DRAM byte, 0 per link byte.
//
//===----------------------------------------------------------------------===//

#include "Pricing.h"
#include "Repository.h"

#include <gtest/gtest.h>

namespace npu::serve {
namespace {

using namespace rt::isa;

rt::Budget budget(const std::string &path, int64_t host, int64_t dram) {
  rt::Budget b;
  b.path = path;
  b.hostBytes = host;
  b.dramBytes = dram;
  return b;
}

/// A program with one exit check whose exit path costs more than the
/// rest of the stream:
///   0 matmul 2x3x4                 24 MACs
///   1 exit_check 10 classes        10 vector ops (on both paths)
///   2   vector count 5000          exit path
///   3   halt
///   4 conv 2 oc, 3 rows x 5, 4 ch, 3x3: 2*3*5*4*9 = 1080 MACs
///   5 pool 2 ch, 2x2 out, 2x2 window: 32 vector ops
///   6 halt
rt::Program twoPathProgram() {
  rt::Program p;
  p.name = "p0";
  MatMul mm;
  mm.m = 2, mm.k = 3, mm.n = 4;
  ExitCheck check;
  check.classes = 10;
  check.exitPathLength = 2;
  Vector exitWork;
  exitWork.count = 5000;
  Conv conv;
  conv.outChannels = 2;
  conv.outRows = {0, 3};
  conv.outHw = {3, 5};
  conv.channels = 4;
  conv.kernel = {3, 3};
  Pool pool;
  pool.channels = 2;
  pool.outHw = {2, 2};
  pool.kernel = {2, 2};
  p.instructions = {mm, check, exitWork, Halt{}, conv, pool, Halt{}};
  p.exitChecks = 1;
  p.budgets = {budget("full", 100, 1000), budget("exit 1", 40, 200)};
  return p;
}

PriceTable handTable() {
  PriceTable t;
  t.currency = "EUR";
  t.prices.mac = 2000000000; // 2 nano-units per MAC
  t.prices.vectorOp = 1000000000;
  t.prices.hostByte = 1000000000;
  t.prices.dramByte = 100000000;
  t.prices.linkByte = 0;
  t.priorities = {{1, 1, 1500000}, {4, kLowestPriority, 600000}};
  t.hours = {{0, 7, 500000}, {22, 24, 700000}};
  return t;
}

TEST(PricingTest, CountsEveryPathExactly) {
  std::string error;
  rt::Program p = twoPathProgram();
  std::optional<OperationCounts> full = countPath(p, "full", error);
  ASSERT_TRUE(full) << error;
  EXPECT_EQ(full->macs, 24 + 1080);
  EXPECT_EQ(full->vectorOps, 10 + 32);
  EXPECT_EQ(full->hostBytes, 100);
  EXPECT_EQ(full->dramBytes, 1000);
  std::optional<OperationCounts> exit1 = countPath(p, "exit 1", error);
  ASSERT_TRUE(exit1) << error;
  EXPECT_EQ(exit1->macs, 24);
  EXPECT_EQ(exit1->vectorOps, 10 + 5000);
  EXPECT_EQ(exit1->hostBytes, 40);
  EXPECT_EQ(exit1->dramBytes, 200);
  EXPECT_FALSE(countPath(p, "exit 2", error));
  EXPECT_EQ(error, "program 'p0' path 'exit 2': no such path (the program "
                   "has 1 exit check(s))");
}

TEST(PricingTest, NestedExitPathsAreEnteredToReachTheirCheck) {
  // 0 check A (len 4) [1 check B (len 1) [2 halt], 3 vector 7, 4 halt],
  // 5 vector 100, 6 halt. "exit 1": A taken, B skipped; "exit 2": both.
  rt::Program p;
  p.name = "nested";
  ExitCheck a, b;
  a.classes = 1, a.exitPathLength = 4;
  b.classes = 2, b.exitPathLength = 1;
  Vector seven, hundred;
  seven.count = 7;
  hundred.count = 100;
  p.instructions = {a, b, Halt{}, seven, Halt{}, hundred, Halt{}};
  p.exitChecks = 2;
  p.budgets = {budget("full", 0, 0), budget("exit 1", 0, 0),
               budget("exit 2", 0, 0)};
  std::string error;
  std::optional<std::vector<ProgramOperations>> ops = [&] {
    rt::Model m;
    m.programs = {p};
    return countOperations(m, error);
  }();
  ASSERT_TRUE(ops) << error;
  ASSERT_EQ(ops->at(0).paths.size(), 3u);
  EXPECT_EQ(ops->at(0).find("full")->vectorOps, 1 + 100);
  EXPECT_EQ(ops->at(0).find("exit 1")->vectorOps, 1 + 2 + 7);
  EXPECT_EQ(ops->at(0).find("exit 2")->vectorOps, 1 + 2);
}

TEST(PricingTest, WorstCaseIsTheMostExpensivePathOfEachProgram) {
  // p0: full = 2*1104 + 42 + 100 + 100 = 2450; exit 1 = 2*24 + 5010 + 40 +
  // 20 = 5118 (the worst, although it exits early). p1: the same program
  // without its exit check, one path: 2*1104 + 32 + 100 + 100 = 2440.
  rt::Model m;
  m.programs = {twoPathProgram(), twoPathProgram()};
  rt::Program &p1 = m.programs[1];
  p1.name = "p1";
  p1.instructions.erase(p1.instructions.begin() + 1,
                        p1.instructions.begin() + 4);
  p1.exitChecks = 0;
  p1.budgets.pop_back();
  std::string error;
  Variant v;
  v.model = "m";
  v.name = "v";
  std::optional<std::vector<ProgramOperations>> ops = countOperations(m, error);
  ASSERT_TRUE(ops) << error;
  v.operations = *ops;
  PriceTable t = handTable();
  std::optional<WorstCase> worst = worstCase(t, v, error);
  ASSERT_TRUE(worst) << error;
  EXPECT_EQ(worst->paths, (std::vector<std::string>{"exit 1", "full"}));
  EXPECT_EQ(worst->counts.macs, 24 + 1104);
  EXPECT_EQ(worst->counts.vectorOps, 5010 + 32);
  std::optional<int64_t> price =
      PriceTable::apply(worst->base, kPpmOne, kPpmOne);
  ASSERT_TRUE(price);
  EXPECT_EQ(*price, 5118 + 2440);
  // What the "full" path of both would have cost: 2450 + 2440.
  std::optional<AttoUnits> full0 = t.base(*v.operations[0].find("full"));
  std::optional<AttoUnits> full1 = t.base(*v.operations[1].find("full"));
  ASSERT_TRUE(full0 && full1);
  EXPECT_EQ(PriceTable::apply(*full0 + *full1, kPpmOne, kPpmOne), 4890);
}

TEST(PricingTest, PriorityAndOffPeakMultipliers) {
  PriceTable t = handTable();
  EXPECT_EQ(t.priorityPpm(1), 1500000);
  EXPECT_EQ(t.priorityPpm(3), kPpmOne); // not covered: x1
  EXPECT_EQ(t.priorityPpm(9), 600000);
  EXPECT_EQ(t.timeOfDayPpm(0), 500000);
  EXPECT_EQ(t.timeOfDayPpm(7 * kPsPerHour - 1), 500000);
  EXPECT_EQ(t.timeOfDayPpm(7 * kPsPerHour), kPpmOne);
  EXPECT_EQ(t.timeOfDayPpm(23 * kPsPerHour), 700000);
  EXPECT_EQ(t.timeOfDayPpm((24 + 3) * kPsPerHour), 500000); // mod 24 h
  t.startHour = 20;
  EXPECT_EQ(t.hourAt(3 * kPsPerHour), 23);
  EXPECT_EQ(t.timeOfDayPpm(5 * kPsPerHour), 500000); // 01:00
  // 5118 nano-units at priority 9 (x0.6) off-peak (x0.5): 1535.4 -> 1535.
  AttoUnits base = AttoUnits(5118) * 1000000000u;
  EXPECT_EQ(PriceTable::apply(base, 600000, 500000), 1535);
  // One rounding, half up: 1.5 -> 2, 1.499999999 -> 1.
  EXPECT_EQ(PriceTable::apply(1500000000u, kPpmOne, kPpmOne), 2);
  EXPECT_EQ(PriceTable::apply(1499999999u, kPpmOne, kPpmOne), 1);
}

TEST(PricingTest, OverflowIsRefused) {
  std::string error;
  rt::Program p;
  p.name = "huge";
  MatMul mm;
  mm.m = mm.k = mm.n = int64_t(1) << 30;
  p.instructions = {mm, Halt{}};
  p.budgets = {budget("full", 0, 0)};
  EXPECT_FALSE(countPath(p, "full", error));
  EXPECT_EQ(error, "program 'huge' path 'full': instruction 0 (matmul): the "
                   "operation count exceeds 2^63 - 1");
  // Counts that fit, priced past INT64_MAX nano-units.
  PriceTable t = handTable();
  t.prices.mac = INT64_MAX;
  OperationCounts c;
  c.macs = INT64_MAX;
  std::optional<AttoUnits> base = t.base(c);
  ASSERT_TRUE(base);
  EXPECT_FALSE(PriceTable::apply(*base, kPpmOne, kPpmOne));
  EXPECT_FALSE(PriceTable::apply(*base, kMaxMultiplierPpm, kMaxMultiplierPpm));
}

TEST(PricingTest, TableErrorsNameTheItem) {
  const std::string good = R"({"currency": "EUR", "nano_units_per_billion":
      {"mac": 1, "vector_op": 2, "host_byte": 3, "dram_byte": 4,
       "link_byte": 5},
      "priority_multipliers": [{"from": 1, "to": 2, "multiplier": 1.25}],
      "time_of_day": {"start_hour": 6, "periods":
        [{"from_hour": 0, "to_hour": 7, "multiplier": 0.5}]}})";
  std::string error;
  std::optional<PriceTable> t = parsePriceTable(good, "p.json", error);
  ASSERT_TRUE(t) << error;
  EXPECT_EQ(t->prices.linkByte, 5);
  EXPECT_EQ(t->priorityPpm(2), 1250000);
  EXPECT_EQ(t->startHour, 6);
  EXPECT_EQ(t->timeOfDayPpm(0), 500000);               // 06:00
  EXPECT_EQ(t->timeOfDayPpm(kPsPerHour), kPpmOne);     // 07:00
  EXPECT_EQ(t->timeOfDayPpm(18 * kPsPerHour), 500000); // 00:00

  auto fails = [&](const std::string &from, const std::string &to) {
    std::string text = good;
    size_t at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    text.replace(at, from.size(), to);
    EXPECT_FALSE(parsePriceTable(text, "p.json", error)) << text;
    return error;
  };
  EXPECT_EQ(fails("\"dram_byte\": 4", "\"dram_byte\": -4"),
            "p.json: nano_units_per_billion.dram_byte: a price must not be "
            "negative, got -4");
  EXPECT_EQ(fails(",\n       \"link_byte\": 5", ""),
            "p.json: nano_units_per_billion.link_byte: missing");
  EXPECT_EQ(fails("\"mac\": 1", "\"mac\": 1.5"),
            "p.json: nano_units_per_billion.mac: expected an integer that "
            "fits in 64 bits, got 1.5");
  EXPECT_EQ(fails("1.25", "0.1234567"),
            "p.json: priority_multipliers[0].multiplier: has more than 6 "
            "decimals: 0.1234567");
  EXPECT_EQ(fails("1.25", "-1"),
            "p.json: priority_multipliers[0].multiplier: must be in [0, "
            "1000], got -1");
  EXPECT_EQ(fails("\"to_hour\": 7", "\"to_hour\": 25"),
            "p.json: time_of_day.periods[0].to_hour: must be in [1, 24], got "
            "25");
  EXPECT_EQ(fails("[{\"from\": 1, \"to\": 2, \"multiplier\": 1.25}]",
                  "[{\"from\": 1, \"to\": 2, \"multiplier\": 1},"
                  " {\"from\": 2, \"to\": 3, \"multiplier\": 1}]"),
            "p.json: priority_multipliers[1]: priorities 2..3 overlap "
            "priority_multipliers[0]");
  EXPECT_EQ(fails("\"currency\"", "\"money\""), "p.json: money: unknown key");
}

} // namespace
} // namespace npu::serve
