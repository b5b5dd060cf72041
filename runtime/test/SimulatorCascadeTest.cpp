//===- SimulatorCascadeTest.cpp - Standby starts and early-exit streams ---===//
//
// Every number below is worked out by hand from the formulas of
// npu/rt/Cost.h and the rules of docs/execution-model.md ("Standby",
// "Early-exit streams").
//
// The cascade, on the e1-package preset (both chips 1000 MHz, 1000 ps per
// cycle, so the grid is 1000 ps; host 16 GB/s and 1000 ns; link 0-1
// 64 GB/s and 100 ns):
//
//   chip 0 "small" (active 2500 / idle 400 / off 15 mW)
//     0 load_input x -> dram 0, 16 B   dma_in  24 + 1000 + 1 = 1025 [0, 1025)
//     1 dma_in 16 B                    dma_in  24 + 1 = 25    [1025, 1050)
//     2 signal t0 on dma_in                                   [1050, 1051)
//     3 wait t0 on vector                                     [1051, 1052)
//     4 exit_check 4 classes, max_prob 0.9: 2 + 8 + 1 = 11    [1052, 1063)
//       exit path:
//     5   signal t1 on vector                                 [1063, 1064)
//     6   wait t1 on dma_out                                  [1064, 1065)
//     7   dma_out 16 B                 24 + 1 = 25            [1065, 1090)
//     8   store_output y, 16 B         1025                   [1090, 2115)
//     9   halt                                                [2115, 2116)
//     10 escalate chip 1                                      [1063, 1064)
//     11 send 16 B on channel 0        16 + 1 = 17            [1063, 1080)
//     12 halt                                                 [1080, 1081)
//   "exit 1": 2116 cycles, all busy: 2116 * 1000 * 2500 = 5290000000 fJ.
//   "full":   1081 cycles, all busy: 1081 * 1000 * 2500 = 2702500000 fJ.
//
//   chip 1 "big" (active 12000 / idle 1800 / off 40 mW, wake 50000 cycles,
//   400000 nJ), woken by the escalate finishing at 1064:
//     recv (arrival ceil((1063 * 1000 + 100000) / 1000) = 1163), 17 cycles;
//     signal, wait, sigmoid of 4 (2 + 4 = 6), signal, wait, dma_out 25,
//     store_output 1025, halt: 1078 cycles of work, back to back.
//   Cold: starts at 1064 + 50000 = 51064, every cycle busy, halts at 52142:
//     1078 cycles; energy off 51064 * 1000 * 40 = 2042560000, wake-up
//     400000000000, active 1078 * 1000 * 12000 = 12936000000:
//     414978560000 fJ.
//   Standby: starts at 1064, waits for the message until 1163, halts at
//     2241: 1177 cycles, 1078 busy; energy idle 1064 * 1000 * 1800 =
//     1915200000 before the start, 12936000000 active, 99 * 1000 * 1800 =
//     178200000 idle: 15029400000 fJ.
//
// Confidences: x = [10, 0, 0, 0] is sure (softmax max 0.99986 >= 0.9);
// [1, 2, 1, 1] (0.475) and [4, 4, 4, 4] (0.25) are not. Big's answer
// is sigmoid(x), read as probabilities with max_prob: sigmoid(2) = 0.881
// < 0.95 keeps the stream on big, sigmoid(4) = 0.982 and sigmoid(10)
// return it.
//
//===----------------------------------------------------------------------===//

#include "TestBinary.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace npu::rt;
using namespace npu::rt::test;
using cost::ConfidenceMeasure;
using cost::DType;
using cost::Engine;
using cost::VectorOp;

namespace {

constexpr int64_t kSmallFullCycles = 1081;
constexpr int64_t kSmallExitCycles = 2116;
constexpr int64_t kSmallFullFj = 2702500000;
constexpr int64_t kSmallExitFj = 5290000000;
constexpr int64_t kBigColdCycles = 1078;
constexpr int64_t kBigColdFj = 414978560000;
constexpr int64_t kBigStandbyCycles = 1177;
constexpr int64_t kBigStandbyFj = 15029400000;
/// Small's escalate finishes at this cycle of a run.
constexpr int64_t kEscalateFinish = 1064;

EarlyExit cascadeTable(int64_t idleWindowPs) {
  EarlyExit table;
  table.measure = ConfidenceMeasure::MaxProb;
  table.output = "y";
  table.answer = AnswerKind::Probabilities;
  table.fromChip = 0;
  table.toChip = 1;
  table.gates = {{"after the input", 0.9, 0.5}};
  table.returnThreshold = 0.95;
  table.idleWindowPs = idleWindowPs;
  table.escalationRate = 0.5;
  table.calibration = {4, 0.75, 1.0, 1e11, 2e7};
  return table;
}

/// The cascade of the file comment. `table` false: no early-exit table.
std::vector<uint8_t> cascadeBinary(int64_t idleWindowPs, bool table = true) {
  BinaryBuilder b(preset("e1-package"), "cascade");
  b.input("x", DType::F32, {4});
  b.output("y", DType::F32, {4});
  b.program("small", 0)
      .loadInput(0, 0, 0, 16)
      .dmaIn(0, 0, 16)
      .signal(0, Engine::DmaIn)
      .wait(0, Engine::Vector)
      .exitCheck(0, 4, DType::F32, ConfidenceMeasure::MaxProb, 0.9f, 5)
      .signal(1, Engine::Vector)
      .wait(1, Engine::DmaOut)
      .dmaOut(0, 64, 16)
      .storeOutput(0, 0, 64, 16)
      .halt()
      .escalate(1)
      .send(0, 16, 1, 0)
      .halt();
  b.program("big", 1)
      .recv(0, 16, 0, 0)
      .signal(0, Engine::LinkRx)
      .wait(0, Engine::Vector)
      .vector(VectorOp::Sigmoid, 0, 64, 4)
      .signal(1, Engine::Vector)
      .wait(1, Engine::DmaOut)
      .dmaOut(64, 0, 16)
      .storeOutput(0, 0, 0, 16)
      .halt();
  if (table)
    b.earlyExit(cascadeTable(idleWindowPs));
  return b.finish();
}

TensorMap input(std::vector<float> x) { return {{"x", floatBytes(x)}}; }

const TensorMap kSure = input({10, 0, 0, 0});
const TensorMap kUnsureWeak = input({1, 2, 1, 1});
const TensorMap kUnsureStrong = input({4, 4, 4, 4});

CascadeResult runCascade(const Model &model, std::vector<TensorMap> inputs,
                         CascadeOptions options = {}) {
  CascadeResult result = Simulator(model).runCascade(inputs, options);
  EXPECT_TRUE(result.ok) << result.error;
  return result;
}

//===----------------------------------------------------------------------===//
// Standby starts of a single run
//===----------------------------------------------------------------------===//

TEST(SimulatorStandby, ColdStartPaysWakeCyclesAndEnergy) {
  Model model = mustLoad(cascadeBinary(0));
  RunResult run = Simulator(model).run(kUnsureWeak);
  ASSERT_TRUE(run.ok) << run.error;
  const ChipMeasurement *small = run.findChip(0);
  EXPECT_EQ(small->path, "full");
  EXPECT_EQ(small->cycles, kSmallFullCycles);
  EXPECT_EQ(small->energyFj, kSmallFullFj);
  const ChipMeasurement *big = run.findChip(1);
  EXPECT_FALSE(big->standby);
  EXPECT_EQ(big->wakeCycle, kEscalateFinish);
  EXPECT_EQ(big->startCycle, 51064);
  EXPECT_EQ(big->cycles, kBigColdCycles);
  EXPECT_EQ(big->activeCycles, 1078);
  EXPECT_EQ(big->energyFj, kBigColdFj);
}

TEST(SimulatorStandby, StandbyStartHasNoWakeUpAndDrawsIdlePower) {
  Model model = mustLoad(cascadeBinary(0));
  RunOptions options;
  options.standby = {1};
  RunResult run = Simulator(model).run(kUnsureWeak, options);
  ASSERT_TRUE(run.ok) << run.error;
  // The small chip is not affected.
  EXPECT_EQ(run.findChip(0)->cycles, kSmallFullCycles);
  EXPECT_EQ(run.findChip(0)->energyFj, kSmallFullFj);
  const ChipMeasurement *big = run.findChip(1);
  EXPECT_TRUE(big->standby);
  EXPECT_EQ(big->startCycle, kEscalateFinish);
  EXPECT_EQ(big->cycles, kBigStandbyCycles);
  EXPECT_EQ(big->activeCycles, 1078);
  EXPECT_EQ(big->energyFj, kBigStandbyFj);
  // The recv waits for the message: [1163, 1180).
  for (const TraceEvent &event : run.trace)
    if (event.chip == 1 && event.index == 0)
      EXPECT_EQ(event.start, 1163);
  // The same numbers and outputs: only the start differs.
  RunResult cold = Simulator(model).run(kUnsureWeak);
  EXPECT_EQ(cold.outputs, run.outputs);
  EXPECT_EQ(cold.findChip(1)->engineBusy, big->engineBusy);
}

TEST(SimulatorStandby, MeasurementEqualsStandbyBudget) {
  // The budgets a compiler would store: the measured standby run must
  // match the standby budget, the cold run the ordinary one.
  BinaryBuilder b(preset("e1-package"));
  b.program("small", 0)
      .fill(0, 10, 0.0f)
      .exitCheck(0, 10, DType::F32, ConfidenceMeasure::MaxProb, 0.9f, 1)
      .halt()
      .escalate(1)
      .halt();
  // Small: fill [0, 3), check [3, 14), escalate [14, 15), halt [15, 16).
  // Big woken at 15: cold starts at 50015, standby at 15; fill 512 on 512
  // lanes 3 cycles, halt 1: 4 cycles, all busy.
  // Cold: 50015 * 1000 * 40 + 400000000000 + 4 * 1000 * 12000.
  // Standby: 15 * 1000 * 1800 + 4 * 1000 * 12000 = 27000000 + 48000000.
  b.program("big", 1)
      .fill(0, 512, 1.0f)
      .halt()
      .budget("full", 4, {0, 0, 0, 3, 0, 0, 1}, 0, 0, 0, 2048,
              2000600000 + 400000000000 + 48000000, 0)
      .budget("full", 4, {0, 0, 0, 3, 0, 0, 1}, 0, 0, 0, 2048, 75000000, 0,
              /*standby=*/true);
  Model model = mustLoad(b.finish());
  const Program &big = model.programs[1];
  ASSERT_EQ(big.budgets.size(), 1u);
  ASSERT_EQ(big.standbyBudgets.size(), 1u);
  RunOptions options;
  options.standby = {1};
  for (bool standby : {false, true}) {
    RunResult run = Simulator(model).run({}, standby ? options : RunOptions());
    ASSERT_TRUE(run.ok) << run.error;
    const ChipMeasurement *m = run.findChip(1);
    EXPECT_EQ(m->standby, standby);
    const Budget *budget = big.findBudget(m->path, m->standby);
    ASSERT_TRUE(budget);
    EXPECT_EQ(m->cycles, budget->cycles);
    EXPECT_EQ(m->engineBusy[3], budget->engineBusy[3]);
    EXPECT_EQ(m->peakSramBytes, budget->peakSramBytes);
    EXPECT_EQ(m->energyFj, budget->energyFj) << "standby " << standby;
  }
}

TEST(SimulatorStandby, ForcedExitChecksContinue) {
  Model model = mustLoad(cascadeBinary(0));
  RunOptions options;
  options.forceContinue = {0};
  RunResult run = Simulator(model).run(kSure, options);
  ASSERT_TRUE(run.ok) << run.error;
  const ChipMeasurement *small = run.findChip(0);
  ASSERT_EQ(small->exitChecks.size(), 1u);
  // Confident, but forced on: path "full", and big runs.
  EXPECT_TRUE(small->exitChecks[0].confident);
  EXPECT_TRUE(small->exitChecks[0].forced);
  EXPECT_FALSE(small->exitChecks[0].exited());
  EXPECT_NEAR(small->exitChecks[0].confidence,
              std::exp(10.0) / (std::exp(10.0) + 3), 1e-12);
  EXPECT_EQ(small->path, "full");
  EXPECT_TRUE(run.findChip(1)->ran);
}

//===----------------------------------------------------------------------===//
// Early-exit streams
//===----------------------------------------------------------------------===//

TEST(SimulatorCascade, ModesStatesAndEnergy) {
  // A window of 10 us keeps big in standby between the inputs.
  Model model = mustLoad(cascadeBinary(10000000));
  CascadeResult r =
      runCascade(model, {kUnsureWeak, kSure, kUnsureStrong, kSure});
  ASSERT_EQ(r.inputs.size(), 4u);
  EXPECT_EQ(r.gridPs, 1000);
  EXPECT_EQ(r.idleWindowPs, 10000000);
  EXPECT_EQ(r.returnThreshold, 0.95);

  // Input 0, small mode: escalates; big starts cold and halts at 52142,
  // the completion. Its answer max sigmoid(2) = 0.881 < 0.95: big mode.
  const CascadeInput &in0 = r.inputs[0];
  EXPECT_EQ(in0.mode, CascadeMode::Small);
  EXPECT_TRUE(in0.escalated);
  EXPECT_EQ(in0.toChipState, WakeState::Off);
  EXPECT_EQ(in0.startPs, 0);
  EXPECT_EQ(in0.completionPs, 52142000);
  EXPECT_EQ(in0.latencyPs, 52142000);
  EXPECT_EQ(in0.servicePs, 52142000);
  EXPECT_NEAR(in0.confidence, 1 / (1 + std::exp(-2.0)), 1e-6);
  EXPECT_EQ(in0.answerClass, 1);
  // Energy: small's run, then idle from its halt (1081) to 52142:
  // 51061 * 1000 * 400 = 20424400000; big's cold run.
  EXPECT_EQ(in0.energyFj, kSmallFullFj + 20424400000 + kBigColdFj);

  // Input 1, big mode: the sure input is forced on and escalates at
  // 52142 + 1064 = 53206 (53206000 ps), before 52142000 + 10000000: a
  // standby start at 53206, halting at 53206 + 1177 = 54383. Small halts
  // at 52142 + 1081 = 53223 and idles 1160 cycles.
  const CascadeInput &in1 = r.inputs[1];
  EXPECT_EQ(in1.mode, CascadeMode::Big);
  EXPECT_EQ(in1.toChipState, WakeState::Standby);
  EXPECT_EQ(in1.startPs, 52142000);
  EXPECT_EQ(in1.completionPs, 54383000);
  EXPECT_EQ(in1.latencyPs, 54383000); // Arrived at 0.
  EXPECT_EQ(in1.servicePs, 2241000);
  const ChipMeasurement *small1 = in1.run.findChip(0);
  EXPECT_EQ(small1->path, "full");
  EXPECT_TRUE(small1->exitChecks[0].forced);
  EXPECT_EQ(small1->startCycle, 52142);
  EXPECT_EQ(small1->cycles, kSmallFullCycles);
  EXPECT_EQ(small1->energyFj, kSmallFullFj);
  const ChipMeasurement *big1 = in1.run.findChip(1);
  EXPECT_TRUE(big1->standby);
  EXPECT_EQ(big1->startCycle, 53206);
  EXPECT_EQ(big1->cycles, kBigStandbyCycles);
  EXPECT_EQ(big1->energyFj, kBigStandbyFj);
  EXPECT_EQ(in1.energyFj, kSmallFullFj + 464000000 + kBigStandbyFj);

  // Input 2, small mode again (sigmoid(10) >= 0.95): not confident, so a
  // standby start; sigmoid(4) = 0.982 keeps small mode.
  const CascadeInput &in2 = r.inputs[2];
  EXPECT_EQ(in2.mode, CascadeMode::Small);
  EXPECT_EQ(in2.toChipState, WakeState::Standby);
  EXPECT_EQ(in2.startPs, 54383000);
  EXPECT_EQ(in2.completionPs, 56624000);
  EXPECT_EQ(in2.energyFj, kSmallFullFj + 464000000 + kBigStandbyFj);

  // Input 3 exits on small: 2116 cycles; big stays in standby throughout
  // ([56624000, 58740000) is before 56624000 + 10000000):
  // 2116000 * 1800 = 3808800000.
  const CascadeInput &in3 = r.inputs[3];
  EXPECT_EQ(in3.mode, CascadeMode::Small);
  EXPECT_FALSE(in3.escalated);
  EXPECT_EQ(in3.toChipState, WakeState::None);
  EXPECT_EQ(in3.run.findChip(0)->path, "exit 1");
  EXPECT_EQ(in3.run.findChip(0)->cycles, kSmallExitCycles);
  EXPECT_FALSE(in3.run.findChip(1)->ran);
  EXPECT_EQ(in3.completionPs, 58740000);
  EXPECT_EQ(in3.energyFj, kSmallExitFj + 3808800000);
  EXPECT_EQ(in3.answerClass, 0);
  // Small's exit path stores the logits; read as probabilities their max
  // (10) clamps to 1.
  EXPECT_EQ(in3.confidence, 1.0);

  // Every start is the previous completion, on the grid: no gaps.
  EXPECT_EQ(r.gapEnergyFj, 0);
  EXPECT_EQ(r.endPs, 58740000);
  EXPECT_EQ(r.totalEnergyFj,
            in0.energyFj + in1.energyFj + in2.energyFj + in3.energyFj);
  // 438105460000 + 2 * 18195900000 + 9098800000.
  EXPECT_EQ(r.totalEnergyFj, 483596060000);

  // The power timeline of big: off, waking, its cold run, standby, two
  // standby runs, standby to the end.
  const ChipPower *big = r.findPower(1);
  ASSERT_TRUE(big);
  std::vector<std::tuple<PowerState, int64_t, int64_t>> expected = {
      {PowerState::Off, 0, 1064000},
      {PowerState::Waking, 1064000, 51064000},
      {PowerState::Run, 51064000, 52142000},
      {PowerState::Standby, 52142000, 53206000},
      {PowerState::Run, 53206000, 54383000},
      {PowerState::Standby, 54383000, 55447000},
      {PowerState::Run, 55447000, 56624000},
      {PowerState::Standby, 56624000, 58740000}};
  ASSERT_EQ(big->intervals.size(), expected.size());
  for (size_t k = 0; k < expected.size(); ++k) {
    EXPECT_EQ(big->intervals[k].state, std::get<0>(expected[k])) << k;
    EXPECT_EQ(big->intervals[k].startPs, std::get<1>(expected[k])) << k;
    EXPECT_EQ(big->intervals[k].endPs, std::get<2>(expected[k])) << k;
  }
  // The chips' energies add up to the total.
  EXPECT_EQ(r.findPower(0)->energyFj + big->energyFj, r.totalEnergyFj);
}

TEST(SimulatorCascade, IdleWindowBoundaryIsCold) {
  // Input 1 (big mode) escalates at 53206000 ps; big halted at 52142000.
  // A window of exactly 1064000 ps ends at the escalation: cold (strict).
  for (int64_t window : {1064000, 1064001}) {
    Model model = mustLoad(cascadeBinary(window));
    CascadeResult r = runCascade(model, {kUnsureWeak, kSure});
    bool standby = window == 1064001;
    EXPECT_EQ(r.inputs[1].toChipState,
              standby ? WakeState::Standby : WakeState::Off)
        << window;
    const ChipMeasurement *big = r.inputs[1].run.findChip(1);
    EXPECT_EQ(big->standby, standby);
    EXPECT_EQ(big->cycles, standby ? kBigStandbyCycles : kBigColdCycles);
    EXPECT_EQ(big->energyFj, standby ? kBigStandbyFj : kBigColdFj);
    EXPECT_EQ(big->startCycle, standby ? 53206 : 53206 + 50000);
  }
}

TEST(SimulatorCascade, ColdStartAfterTheWindowCountsTheStandbyTail) {
  // A window of 500000 ps: at input 1's start (52142000) big is still in
  // standby until 52642000, then off; the escalation at 53206000 is cold.
  // The measurement counts off power from the start; the input's energy
  // adds the standby's extra (1800 - 40) * 500000 = 880000000.
  Model model = mustLoad(cascadeBinary(500000));
  CascadeResult r = runCascade(model, {kUnsureWeak, kSure});
  const CascadeInput &in1 = r.inputs[1];
  EXPECT_EQ(in1.toChipState, WakeState::Off);
  const ChipMeasurement *big = in1.run.findChip(1);
  EXPECT_EQ(big->startCycle, 53206 + 50000);
  EXPECT_EQ(big->energyFj, kBigColdFj);
  // Big halts at 103206 + 1078 = 104284: the completion. Small halts at
  // 53223 and idles 51061 cycles.
  EXPECT_EQ(in1.completionPs, 104284000);
  EXPECT_EQ(in1.energyFj, kSmallFullFj + 20424400000 + kBigColdFj + 880000000);
  const ChipPower *power = r.findPower(1);
  // ... standby [52142000, 52642000), off until the escalation, waking.
  std::vector<PowerState> states;
  for (const PowerInterval &interval : power->intervals)
    if (interval.startPs >= 52142000)
      states.push_back(interval.state);
  EXPECT_EQ(states,
            (std::vector<PowerState>{PowerState::Standby, PowerState::Off,
                                     PowerState::Waking, PowerState::Run}));
  EXPECT_EQ(r.findPower(0)->energyFj + power->energyFj, r.totalEnergyFj);
}

TEST(SimulatorCascade, ArrivalIntervalQueuesAndLeavesGaps) {
  // Arrivals every 100 us: input 0 completes at 52142000, input 1 arrives
  // and starts at 100000000. In the gap small idles (400 mW) and big is in
  // standby for 10 us, then off (40 mW):
  //   47858000 * 400 + 10000000 * 1800 + 37858000 * 40
  //   = 19143200000 + 18000000000 + 1514320000 = 38657520000.
  // Input 1 (big mode) escalates at 101064000, after the window: cold.
  Model model = mustLoad(cascadeBinary(10000000));
  CascadeOptions options;
  options.arrivalIntervalPs = 100000000;
  CascadeResult r = runCascade(model, {kUnsureWeak, kSure}, options);
  EXPECT_EQ(r.inputs[1].arrivalPs, 100000000);
  EXPECT_EQ(r.inputs[1].startPs, 100000000);
  EXPECT_EQ(r.inputs[1].toChipState, WakeState::Off);
  EXPECT_EQ(r.inputs[1].latencyPs, r.inputs[1].servicePs);
  EXPECT_EQ(r.gapEnergyFj, 38657520000);
  EXPECT_EQ(r.totalEnergyFj,
            r.inputs[0].energyFj + r.inputs[1].energyFj + r.gapEnergyFj);

  // Arrivals every 10 us: input 1 arrives at 10000000 but waits for input
  // 0 (52142000): its latency includes the queueing.
  options.arrivalIntervalPs = 10000000;
  CascadeResult q = runCascade(model, {kUnsureWeak, kSure}, options);
  EXPECT_EQ(q.inputs[1].arrivalPs, 10000000);
  EXPECT_EQ(q.inputs[1].startPs, 52142000);
  EXPECT_EQ(q.inputs[1].latencyPs, 54383000 - 10000000);
  EXPECT_EQ(q.inputs[1].servicePs, 2241000);
  EXPECT_EQ(q.gapEnergyFj, 0);
}

TEST(SimulatorCascade, StartsAreRoundedUpToTheGrid) {
  // Sure inputs exit on small in 2116 cycles. Input 0 completes at
  // 2116000; input 1 arrives at 2116500, after it, and starts at the next
  // grid point, 2117000; input 2 arrives at 4233000, when input 1
  // completes.
  Model model = mustLoad(cascadeBinary(0));
  CascadeOptions options;
  options.arrivalIntervalPs = 2116500;
  CascadeResult r = runCascade(model, {kSure, kSure, kSure}, options);
  EXPECT_EQ(r.inputs[0].completionPs, 2116000);
  EXPECT_EQ(r.inputs[1].startPs, 2117000);
  EXPECT_EQ(r.inputs[1].latencyPs, 2117000 + 2116000 - 2116500);
  // Gap: small idles 1000 ps (400 mW); big is off (window 0): 40 mW.
  // Input 2 arrives at 4233000, input 1 completed at 4233000: no gap.
  EXPECT_EQ(r.inputs[2].startPs, 4233000);
  EXPECT_EQ(r.gapEnergyFj, 1000 * 400 + 1000 * 40);
}

TEST(SimulatorCascade, OverridesAndErrors) {
  Model model = mustLoad(cascadeBinary(10000000));
  // A return threshold of 0.8 accepts sigmoid(2) = 0.881: no big mode.
  CascadeOptions options;
  options.returnThreshold = 0.8;
  CascadeResult r = runCascade(model, {kUnsureWeak, kSure}, options);
  EXPECT_EQ(r.inputs[1].mode, CascadeMode::Small);
  EXPECT_EQ(r.inputs[1].run.findChip(0)->path, "exit 1");
  // An idle window of 0 powers big off at each halt.
  options = {};
  options.idleWindowPs = 0;
  r = runCascade(model, {kUnsureWeak, kUnsureStrong});
  EXPECT_EQ(r.inputs[1].toChipState, WakeState::Standby);
  r = runCascade(model, {kUnsureWeak, kUnsureStrong}, options);
  EXPECT_EQ(r.idleWindowPs, 0);
  EXPECT_EQ(r.inputs[1].toChipState, WakeState::Off);

  Simulator simulator(model);
  EXPECT_EQ(simulator.runCascade({}).error,
            "a stream needs at least one input");
  options = {};
  options.arrivalIntervalPs = -1;
  EXPECT_EQ(simulator.runCascade({kSure}, options).error,
            "the arrival interval must be non-negative, not -1 ps");
  options = {};
  options.returnThreshold = 1.5;
  EXPECT_EQ(simulator.runCascade({kSure}, options).error,
            "the return threshold must be in [0, 1]");
  CascadeResult bad = simulator.runCascade({kSure, TensorMap{}});
  EXPECT_FALSE(bad.ok);
  EXPECT_EQ(bad.error, "input 1: missing input 'x'");
  Model plain = mustLoad(cascadeBinary(0, /*table=*/false));
  EXPECT_NE(Simulator(plain).runCascade({kSure}).error.find(
                "the model has no early-exit table"),
            std::string::npos);
}

TEST(SimulatorCascade, Deterministic) {
  Model model = mustLoad(cascadeBinary(1500000));
  std::vector<TensorMap> inputs = {kUnsureWeak, kSure,        kUnsureStrong,
                                   kSure,       kUnsureWeak,  kUnsureWeak,
                                   kSure,       kUnsureStrong};
  CascadeOptions options;
  options.arrivalIntervalPs = 3000000;
  CascadeResult a = runCascade(model, inputs, options);
  CascadeResult b = runCascade(model, inputs, options);
  ASSERT_EQ(a.inputs.size(), b.inputs.size());
  for (size_t i = 0; i < a.inputs.size(); ++i) {
    EXPECT_EQ(a.inputs[i].mode, b.inputs[i].mode);
    EXPECT_EQ(a.inputs[i].toChipState, b.inputs[i].toChipState);
    EXPECT_EQ(a.inputs[i].completionPs, b.inputs[i].completionPs);
    EXPECT_EQ(a.inputs[i].energyFj, b.inputs[i].energyFj);
    EXPECT_EQ(a.inputs[i].run.outputs, b.inputs[i].run.outputs);
    ASSERT_EQ(a.inputs[i].run.trace.size(), b.inputs[i].run.trace.size());
    for (size_t k = 0; k < a.inputs[i].run.trace.size(); ++k)
      EXPECT_EQ(a.inputs[i].run.trace[k].start, b.inputs[i].run.trace[k].start);
  }
  EXPECT_EQ(a.totalEnergyFj, b.totalEnergyFj);
  EXPECT_EQ(a.gapEnergyFj, b.gapEnergyFj);
  // Each input's energy, the gaps and the chips' timelines agree.
  int64_t chips = 0;
  for (const ChipPower &power : a.power) {
    chips += power.energyFj;
    // Consecutive intervals from 0 to the end.
    int64_t at = 0;
    for (const PowerInterval &interval : power.intervals) {
      EXPECT_EQ(interval.startPs, at);
      at = interval.endPs;
    }
    EXPECT_EQ(at, a.endPs);
  }
  EXPECT_EQ(chips, a.totalEnergyFj);
}

} // namespace
