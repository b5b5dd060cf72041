//===- SimulatorTimingTest.cpp - Cycle-exact timing of the simulator ------===//
//
// Small programs whose every number is worked out by hand in the comments,
// from the formulas of npu/rt/Cost.h and the rules of
// docs/execution-model.md:
//
//   start(i) = max(free[engine], issue, extra(i)),  finish = start + cycles
//
// The presets used (runtime/src/Target.cpp):
//   single      chip 0: 1000 MHz (1000 ps), 256 lanes, 64 DRAM B/cycle,
//               power active 4000 / idle 600 / off 20 mW; host 16 GB/s, 1000 ns
//   e1-package  chip 0 "small" 1000 MHz, 256 lanes; chip 1 "big" 1000 MHz,
//               512 lanes, power 12000 / 1800 / 40 mW, wake 50000 cycles,
//               400000 nJ; link 0-1 64 GB/s, 100 ns
//   mesh-2x2    chip 0 general 1000 MHz (4000 / 600 mW); chip 2 lowp
//               1250 MHz (800 ps), 256 lanes, power 2500 / 400 mW;
//               link 0-2 32 GB/s, 50 ns
//
//===----------------------------------------------------------------------===//

#include "TestBinary.h"

#include <gtest/gtest.h>

using namespace npu::rt;
using namespace npu::rt::test;
using cost::ConfidenceMeasure;
using cost::DType;
using cost::Engine;
using cost::VectorOp;

namespace {

constexpr int kDmaIn = static_cast<int>(Engine::DmaIn);
constexpr int kMac = static_cast<int>(Engine::Mac);
constexpr int kVector = static_cast<int>(Engine::Vector);
constexpr int kLinkTx = static_cast<int>(Engine::LinkTx);
constexpr int kLinkRx = static_cast<int>(Engine::LinkRx);
constexpr int kControl = static_cast<int>(Engine::Control);

RunResult runOk(const Model &model, const TensorMap &inputs = {}) {
  RunResult result = Simulator(model).run(inputs);
  EXPECT_TRUE(result.ok) << result.error;
  return result;
}

/// The trace events of one chip, in execution order.
std::vector<TraceEvent> eventsOf(const RunResult &result, int64_t chip) {
  std::vector<TraceEvent> events;
  for (const TraceEvent &event : result.trace)
    if (event.chip == chip)
      events.push_back(event);
  return events;
}

void expectEvent(const TraceEvent &event, std::string_view name, Engine engine,
                 int64_t start, int64_t cycles) {
  EXPECT_EQ(event.name, name);
  EXPECT_EQ(event.engine, engine) << name;
  EXPECT_EQ(event.start, start) << name;
  EXPECT_EQ(event.cycles, cycles) << name;
}

//===----------------------------------------------------------------------===//
// One chip
//===----------------------------------------------------------------------===//

TEST(SimulatorTiming, DmaThenSignalWaitOverlap) {
  BinaryBuilder b(preset("single"));
  b.program("p", 0)
      .dmaIn(0, 0, 6400)                  // 0
      .signal(0, Engine::DmaIn)           // 1
      .dmaIn(8192, 8192, 6400)            // 2
      .wait(0, Engine::Vector)            // 3
      .vector(VectorOp::Relu, 0, 0, 1600) // 4
      .halt();                            // 5
  Model model = mustLoad(b.finish());
  RunResult result = runOk(model);
  std::vector<TraceEvent> ev = eventsOf(result, 0);
  ASSERT_EQ(ev.size(), 6u);
  // dma_in 6400 B: 24 + ceil(6400 / 64) = 124 cycles, [0, 124).
  expectEvent(ev[0], "dma_in", Engine::DmaIn, 0, 124);
  // signal queues behind it on dma_in: [124, 125).
  expectEvent(ev[1], "signal", Engine::DmaIn, 124, 1);
  // The second dma_in follows on dma_in: [125, 249).
  expectEvent(ev[2], "dma_in", Engine::DmaIn, 125, 124);
  // wait on vector: extra = finish(signal) = 125, [125, 126).
  expectEvent(ev[3], "wait", Engine::Vector, 125, 1);
  // relu of 1600 elements: 2 + ceil(1600 / 256) = 9 cycles, [126, 135):
  // it overlaps the second DMA.
  expectEvent(ev[4], "vector", Engine::Vector, 126, 9);
  // halt: extra = max free = 249 (dma_in), [249, 250).
  expectEvent(ev[5], "halt", Engine::Control, 249, 1);

  const ChipMeasurement &m = result.chips.at(0);
  EXPECT_EQ(m.path, "full");
  EXPECT_EQ(m.cycles, 250);
  EXPECT_EQ(m.engineBusy[kDmaIn], 124 + 1 + 124);
  EXPECT_EQ(m.engineBusy[kVector], 1 + 9);
  EXPECT_EQ(m.engineBusy[kControl], 1);
  EXPECT_EQ(m.dramBytes, 12800);
  // Highest SRAM byte: 8192 + 6400.
  EXPECT_EQ(m.peakSramBytes, 14592);
  // Highest DRAM byte: the second dma_in reads [8192, 8192 + 6400).
  EXPECT_EQ(m.peakDramBytes, 14592);
  // Every cycle of [0, 250) has a busy engine: 250 * 1000 ps * 4000 mW.
  EXPECT_EQ(m.activeCycles, 250);
  EXPECT_EQ(m.energyFj, 1000000000);
}

TEST(SimulatorTiming, TwoEnginesOverlap) {
  BinaryBuilder b(preset("single"));
  b.program("p", 0)
      .matmul(0, 1024, 4096, 16, 16, 16, {16, 16, 16}, DType::F32, false)
      .vector(VectorOp::Exp, 8192, 12288, 1000)
      .halt();
  Model model = mustLoad(b.finish());
  RunResult result = runOk(model);
  std::vector<TraceEvent> ev = eventsOf(result, 0);
  ASSERT_EQ(ev.size(), 3u);
  // matmul 16x16x16: 4 + 16 + 16 + 16 = 52 on mac, from 0.
  expectEvent(ev[0], "matmul", Engine::Mac, 0, 52);
  // exp of 1000: 2 + ceil(1000 / 256) * 4 = 18 on vector, also from 0.
  expectEvent(ev[1], "vector", Engine::Vector, 0, 18);
  // halt waits for the mac: [52, 53).
  expectEvent(ev[2], "halt", Engine::Control, 52, 1);
  EXPECT_EQ(result.chips[0].cycles, 53);
  EXPECT_EQ(result.chips[0].engineBusy[kMac], 52);
  EXPECT_EQ(result.chips[0].engineBusy[kVector], 18);
  // c = 4096 + 16 * 16 * 4 accumulator bytes; exp's dst 12288 + 4000.
  EXPECT_EQ(result.chips[0].peakSramBytes, 16288);
}

TEST(SimulatorTiming, HaltWaitsForTheSlowestEngine) {
  BinaryBuilder b(preset("single"));
  b.input("x", DType::F32, {256});
  b.program("p", 0).loadInput(0, 0, 0, 1024).fill(0, 256, 1.0f).halt();
  Model model = mustLoad(b.finish());
  RunResult result = runOk(model, {{"x", std::vector<uint8_t>(1024, 0)}});
  std::vector<TraceEvent> ev = eventsOf(result, 0);
  ASSERT_EQ(ev.size(), 3u);
  // load_input 1024 B: 24 + ceil(1000 ns * 1000 MHz / 1000) = 1000
  //   + ceil(1024 * 1000 / (16 * 1000)) = 64  ->  1088 cycles.
  expectEvent(ev[0], "load_input", Engine::DmaIn, 0, 1088);
  // fill 256: 2 + 1 = 3 cycles, done at 3.
  expectEvent(ev[1], "fill", Engine::Vector, 0, 3);
  // halt: max free = 1088.
  expectEvent(ev[2], "halt", Engine::Control, 1088, 1);
  EXPECT_EQ(result.chips[0].cycles, 1089);
  EXPECT_EQ(result.chips[0].hostBytes, 1024);
}

TEST(SimulatorTiming, KthWaitPairsWithKthSignal) {
  BinaryBuilder b(preset("single"));
  b.program("p", 0)
      .dmaIn(0, 0, 64)          // [0, 25): 24 + 1
      .signal(5, Engine::DmaIn) // [25, 26)
      .dmaIn(0, 64, 6400)       // [26, 150): 24 + 100
      .signal(5, Engine::DmaIn) // [150, 151)
      .wait(5, Engine::Mac)     // 1st wait -> 1st signal: [26, 27)
      .wait(5, Engine::Vector)  // 2nd wait -> 2nd signal: [151, 152)
      .halt();                  // max free 152: [152, 153)
  Model model = mustLoad(b.finish());
  RunResult result = runOk(model);
  std::vector<TraceEvent> ev = eventsOf(result, 0);
  ASSERT_EQ(ev.size(), 7u);
  expectEvent(ev[4], "wait", Engine::Mac, 26, 1);
  expectEvent(ev[5], "wait", Engine::Vector, 151, 1);
  expectEvent(ev[6], "halt", Engine::Control, 152, 1);
  EXPECT_EQ(result.chips[0].cycles, 153);
}

/// fill logits (all equal: softmax 0.1 each), exit check, exit path of two
/// instructions, then the rest of the stream.
Model exitProgram(float threshold) {
  BinaryBuilder b(preset("single"));
  b.program("p", 0)
      .fill(0, 10, 0.0f) // 0
      .exitCheck(0, 10, DType::F32, ConfidenceMeasure::MaxProb, threshold,
                 2)       // 1
      .dmaOut(0, 0, 6400) // 2
      .halt()             // 3
      .dmaIn(0, 4096, 64) // 4
      .halt();            // 5
  return mustLoad(b.finish());
}

TEST(SimulatorTiming, ExitCheckDelaysIssueNotConfident) {
  Model model = exitProgram(0.5f);
  RunResult result = runOk(model);
  std::vector<TraceEvent> ev = eventsOf(result, 0);
  ASSERT_EQ(ev.size(), 4u);
  // fill 10: 2 + 1 = 3, [0, 3).
  expectEvent(ev[0], "fill", Engine::Vector, 0, 3);
  // exit_check 10 classes, max_prob: 2 + ceil(10 / 256) * 8 + 1 = 11, [3, 14).
  expectEvent(ev[1], "exit_check", Engine::Vector, 3, 11);
  // max prob 0.1 < 0.5: skip the exit path. dma_in would be free at 0 but
  // is issued only after the check: issue = 14; 24 + 1 = 25, [14, 39).
  expectEvent(ev[2], "dma_in", Engine::DmaIn, 14, 25);
  EXPECT_EQ(ev[2].index, 4u);
  expectEvent(ev[3], "halt", Engine::Control, 39, 1);
  const ChipMeasurement &m = result.chips[0];
  EXPECT_EQ(m.path, "full");
  EXPECT_EQ(m.cycles, 40);
  ASSERT_EQ(m.exitChecks.size(), 1u);
  EXPECT_NEAR(m.exitChecks[0].confidence, 0.1, 1e-12);
  EXPECT_FALSE(m.exitChecks[0].confident);
  EXPECT_EQ(m.dramBytes, 64);
  // The executed dma_in reads DRAM [0, 64); the skipped dma_out does not
  // count.
  EXPECT_EQ(m.peakDramBytes, 64);
}

TEST(SimulatorTiming, ExitCheckConfidentTakesExitPath) {
  Model model = exitProgram(0.05f);
  RunResult result = runOk(model);
  std::vector<TraceEvent> ev = eventsOf(result, 0);
  ASSERT_EQ(ev.size(), 4u);
  expectEvent(ev[1], "exit_check", Engine::Vector, 3, 11);
  // 0.1 >= 0.05: the exit path. dma_out 6400 B: 24 + 100 = 124 after the
  // check, [14, 138); its halt [138, 139).
  expectEvent(ev[2], "dma_out", Engine::DmaOut, 14, 124);
  EXPECT_EQ(ev[2].index, 2u);
  expectEvent(ev[3], "halt", Engine::Control, 138, 1);
  const ChipMeasurement &m = result.chips[0];
  EXPECT_EQ(m.path, "exit 1");
  EXPECT_EQ(m.cycles, 139);
  EXPECT_TRUE(m.exitChecks[0].confident);
  EXPECT_EQ(m.dramBytes, 6400);
  // The exit path's dma_out writes DRAM [0, 6400).
  EXPECT_EQ(m.peakDramBytes, 6400);
}

TEST(SimulatorTiming, NestedExitPathNamesTheInnermostCheck) {
  BinaryBuilder b(preset("single"));
  b.program("p", 0)
      .fill(0, 4, 0.0f)
      .exitCheck(0, 4, DType::F32, ConfidenceMeasure::MaxProb, 0.0f, 5) // 1
      .exitCheck(0, 4, DType::F32, ConfidenceMeasure::MaxProb, 1.0f, 1) // 2
      .halt()                                                           // 3
      .exitCheck(0, 4, DType::F32, ConfidenceMeasure::MaxProb, 0.2f, 1) // 4
      .halt()                                                           // 5
      .halt()                                                           // 6
      .halt();                                                          // 7
  Model model = mustLoad(b.finish());
  EXPECT_EQ(model.programs[0].exitChecks, 3u);
  RunResult result = runOk(model);
  // Check 1 confident (0.25 >= 0), check 2 not (0.25 < 1), check 3
  // confident (0.25 >= 0.2): the run ends at instruction 5, path "exit 3".
  EXPECT_EQ(result.chips[0].path, "exit 3");
  std::vector<TraceEvent> ev = eventsOf(result, 0);
  EXPECT_EQ(ev.back().index, 5u);
}

//===----------------------------------------------------------------------===//
// Several chips
//===----------------------------------------------------------------------===//

/// Chip 0 (1000 MHz) fills 256 floats and sends them to chip 2 (1250 MHz),
/// which outputs them.
Model senderReceiver() {
  BinaryBuilder b(preset("mesh-2x2"));
  b.output("y", DType::F32, {256});
  b.program("sender", 0)
      .fill(0, 256, 2.0f)        // [0, 3): 2 + 1
      .signal(0, Engine::Vector) // [3, 4)
      .wait(0, Engine::LinkTx)   // [4, 5)
      .send(0, 1024, 2, 0)       // [5, 53)
      .halt();                   // [53, 54)
  b.program("receiver", 2)
      .recv(0, 1024, 0, 0)
      .signal(0, Engine::LinkRx)
      .wait(0, Engine::DmaOut)
      .dmaOut(0, 0, 1024)
      .storeOutput(0, 0, 0, 1024)
      .halt();
  return mustLoad(b.finish());
}

TEST(SimulatorTiming, SendRecvAcrossClocks) {
  Model model = senderReceiver();
  RunResult result = runOk(model);

  // Chip 0 (1000 MHz): send 1024 B over the 32 GB/s link:
  // 16 + ceil(1024 * 1000 / 32000) = 16 + 32 = 48 cycles from 5.
  std::vector<TraceEvent> tx = eventsOf(result, 0);
  ASSERT_EQ(tx.size(), 5u);
  expectEvent(tx[3], "send", Engine::LinkTx, 5, 48);
  expectEvent(tx[4], "halt", Engine::Control, 53, 1);
  const ChipMeasurement *m0 = result.findChip(0);
  ASSERT_TRUE(m0);
  EXPECT_EQ(m0->cycles, 54);
  EXPECT_EQ(m0->linkBytes, 1024);
  // Busy every cycle of [0, 54): 54 * 1000 ps * 4000 mW.
  EXPECT_EQ(m0->energyFj, 216000000);

  // Chip 2 (1250 MHz, 800 ps): the data arrives at
  // start(send) * 1000 + 50 ns * 1000 = 5000 + 50000 = 55000 ps,
  // i.e. cycle ceil(55000 / 800) = ceil(68.75) = 69. The recv drains at
  // link speed on its own clock: 16 + ceil(1024 * 1250 / 32000) = 16 + 40.
  std::vector<TraceEvent> rx = eventsOf(result, 2);
  ASSERT_EQ(rx.size(), 6u);
  expectEvent(rx[0], "recv", Engine::LinkRx, 69, 56);
  expectEvent(rx[1], "signal", Engine::LinkRx, 125, 1);
  expectEvent(rx[2], "wait", Engine::DmaOut, 126, 1);
  // dma_out 1024 B: 24 + 1024 / 64 = 40.
  expectEvent(rx[3], "dma_out", Engine::DmaOut, 127, 40);
  // store_output at 1250 MHz: 24 + ceil(1000 ns * 1250 / 1000) = 1250
  //   + ceil(1024 * 1250 / 16000) = 80  ->  1354 cycles.
  expectEvent(rx[4], "store_output", Engine::DmaOut, 167, 1354);
  expectEvent(rx[5], "halt", Engine::Control, 1521, 1);
  const ChipMeasurement *m2 = result.findChip(2);
  ASSERT_TRUE(m2);
  EXPECT_EQ(m2->cycles, 1522);
  EXPECT_EQ(m2->linkBytes, 1024);
  EXPECT_EQ(m2->hostBytes, 1024);
  EXPECT_EQ(m2->dramBytes, 1024);
  // Energy: idle until the data arrives (cycles [0, 69)), then busy every
  // cycle of [69, 1522): 1453 * 800 * 2500 + 69 * 800 * 400
  //   = 2906000000 + 22080000.
  EXPECT_EQ(m2->activeCycles, 1453);
  EXPECT_EQ(m2->energyFj, 2928080000);

  // The data really travelled.
  std::vector<float> y = bytesToFloats(result.outputs.at("y"));
  ASSERT_EQ(y.size(), 256u);
  for (float v : y)
    EXPECT_EQ(v, 2.0f);
}

/// Chip 0 checks uniform logits (confidence 0.1); when not confident it
/// escalates to chip 1, which starts asleep.
Model escalationModel(float threshold) {
  BinaryBuilder b(preset("e1-package"));
  b.program("small", 0)
      .fill(0, 10, 0.0f) // 0
      .exitCheck(0, 10, DType::F32, ConfidenceMeasure::MaxProb, threshold,
                 1) // 1
      .halt()       // 2
      .escalate(1)  // 3
      .halt();      // 4
  b.program("big", 1).fill(0, 512, 1.0f).halt();
  return mustLoad(b.finish());
}

TEST(SimulatorTiming, EscalateWakesSleepingChip) {
  Model model = escalationModel(0.9f);
  EXPECT_FALSE(model.programs[0].startsAsleep);
  EXPECT_TRUE(model.programs[1].startsAsleep);
  RunResult result = runOk(model);

  // Small: fill [0, 3), exit_check 2 + 8 + 1 = 11 [3, 14), not confident;
  // escalate issued after the check: [14, 15); halt [15, 16).
  std::vector<TraceEvent> small = eventsOf(result, 0);
  ASSERT_EQ(small.size(), 4u);
  expectEvent(small[2], "escalate", Engine::Control, 14, 1);
  expectEvent(small[3], "halt", Engine::Control, 15, 1);
  const ChipMeasurement *m0 = result.findChip(0);
  EXPECT_EQ(m0->path, "full");
  EXPECT_EQ(m0->cycles, 16);

  // Big wakes at ceil(15 * 1000 / 1000) + 50000 = 50015. fill 512 on 512
  // lanes: 2 + 1 = 3, [50015, 50018); halt [50018, 50019).
  std::vector<TraceEvent> big = eventsOf(result, 1);
  ASSERT_EQ(big.size(), 2u);
  expectEvent(big[0], "fill", Engine::Vector, 50015, 3);
  expectEvent(big[1], "halt", Engine::Control, 50018, 1);
  const ChipMeasurement *m1 = result.findChip(1);
  EXPECT_TRUE(m1->ran);
  EXPECT_TRUE(m1->startedAsleep);
  EXPECT_EQ(m1->startCycle, 50015);
  EXPECT_EQ(m1->cycles, 4);
  // Energy: off 40 mW for 50015 cycles of 1000 ps = 2000600000, wake
  // 400000 nJ = 400000000000 fJ, 4 active cycles at 12000 mW = 48000000.
  EXPECT_EQ(m1->energyFj, 2000600000 + 400000000000 + 48000000);
}

TEST(SimulatorTiming, ConfidentExitLeavesTargetAsleep) {
  Model model = escalationModel(0.05f);
  RunResult result = runOk(model);
  const ChipMeasurement *m0 = result.findChip(0);
  // The exit path's halt: max free = 14 (the check), issue 14: [14, 15).
  EXPECT_EQ(m0->path, "exit 1");
  EXPECT_EQ(m0->cycles, 15);
  const ChipMeasurement *m1 = result.findChip(1);
  EXPECT_FALSE(m1->ran);
  EXPECT_EQ(m1->path, "none");
  EXPECT_EQ(m1->cycles, 0);
  EXPECT_EQ(m1->energyFj, 0);
  EXPECT_TRUE(eventsOf(result, 1).empty());
}

/// Peak DRAM: segments count on every path of a chip that runs, DRAM
/// accesses only when executed, and a chip that never runs needs nothing.
/// Chip 0's program is the one of the last case of test/Analysis/schedule.mlir,
/// whose budgets are the same numbers. Uniform logits give confidence 0.1.
Model peakDramModel(float threshold) {
  BinaryBuilder b(preset("e1-package"));
  b.program("small", 0)
      .exitCheck(0, 10, DType::F32, ConfidenceMeasure::MaxProb, threshold,
                 3)                      // 0
      .dmaOut(0, 8192, 2, 64, {64, 128}) // 1
      .escalate(1)                       // 2
      .halt()                            // 3
      .dmaIn(0, 1024, 16)                // 4
      .halt()                            // 5
      .segment(2048, floatBytes(std::vector<float>(64, 1.0f)))
      .segment(0, std::vector<uint8_t>(16, 7));
  b.program("big", 1)
      .dmaIn(1048576, 0, 16)
      .halt()
      .segment(1048576, std::vector<uint8_t>(64, 0));
  return mustLoad(b.finish());
}

TEST(SimulatorTiming, PeakDramCoversSegmentsAndExecutedDma) {
  // Not confident (0.1 < 0.5): check [0, 11), dma_in of 16 B 24 + 1 = 25
  // cycles [11, 36), halt [36, 37).
  RunResult full = runOk(peakDramModel(0.5f));
  const ChipMeasurement *small = full.findChip(0);
  EXPECT_EQ(small->path, "full");
  EXPECT_EQ(small->cycles, 37);
  // dma_in reads [0, 16); the segments end at 2048 + 64 * 4 = 2304 and at
  // 0 + 16: 2304, though nothing reads the one at 2048.
  EXPECT_EQ(small->peakDramBytes, 2304);
  EXPECT_EQ(small->peakSramBytes, 1040);
  // Big is never woken: it has a segment, but did not run and needs 0.
  const ChipMeasurement *big = full.findChip(1);
  EXPECT_FALSE(big->ran);
  EXPECT_EQ(big->peakDramBytes, 0);

  // Confident (0.1 >= 0.05): check [0, 11), dma_out of 2 rows of 64 B
  // 24 + 2 = 26 cycles [11, 37), escalate [11, 12), halt [37, 38).
  RunResult exit = runOk(peakDramModel(0.05f));
  small = exit.findChip(0);
  EXPECT_EQ(small->path, "exit 1");
  EXPECT_EQ(small->cycles, 38);
  // dma_out writes rows at 8192 and 8192 + 128: [8192, 8192 + 128 + 64)
  // ends at 8384, past the segments' 2304.
  EXPECT_EQ(small->peakDramBytes, 8384);
  EXPECT_EQ(small->dramBytes, 128);
  // Big wakes at 12 + 50000 = 50012: dma_in 24 + ceil(16 / 128) = 25
  // cycles [50012, 50037), halt [50037, 50038). It reads [1048576,
  // 1048592), but its 64-byte segment ends at 1048576 + 64 = 1048640.
  big = exit.findChip(1);
  EXPECT_TRUE(big->ran);
  EXPECT_EQ(big->startCycle, 50012);
  EXPECT_EQ(big->cycles, 26);
  EXPECT_EQ(big->peakDramBytes, 1048640);
}

TEST(SimulatorTiming, RecvOnSlowerClockFromFasterSender) {
  // Chip 2 (1250 MHz) sends to chip 0 (1000 MHz): arrival is converted up.
  BinaryBuilder b(preset("mesh-2x2"));
  b.program("a", 0).recv(0, 64, 2, 7).halt();
  b.program("b", 2).fill(0, 16, 1.0f).send(0, 64, 0, 7).halt();
  Model model = mustLoad(b.finish());
  RunResult result = runOk(model);
  // b: fill [0, 3); send issued at 0 on link_tx: 16 + ceil(64 * 1250 /
  // 32000) = 16 + 3 = 19, [0, 19). Arrival = 0 * 800 + 50000 ps; at 1000 ps
  // per cycle chip 0 starts the recv at 50: 16 + ceil(64 * 1000 / 32000) =
  // 18, [50, 68); halt [68, 69).
  std::vector<TraceEvent> a = eventsOf(result, 0);
  expectEvent(a[0], "recv", Engine::LinkRx, 50, 18);
  EXPECT_EQ(result.findChip(0)->cycles, 69);
  EXPECT_EQ(result.findChip(0)->engineBusy[kLinkRx], 18);
  EXPECT_EQ(result.findChip(2)->engineBusy[kLinkTx], 19);
}

TEST(SimulatorTiming, DeadlockNamesChipsAndChannels) {
  BinaryBuilder b(preset("e1-package"));
  b.program("small", 0).recv(0, 64, 1, 3).send(0, 64, 1, 4).halt();
  b.program("big", 1).recv(0, 64, 0, 4).send(0, 64, 0, 3).halt();
  Model model = mustLoad(b.finish());
  RunResult result = Simulator(model).run({});
  ASSERT_FALSE(result.ok);
  EXPECT_NE(result.error.find("deadlock"), std::string::npos) << result.error;
  EXPECT_NE(result.error.find("chip 0 ('small') waits at instruction 0 (recv) "
                              "for chip 1 on channel 3"),
            std::string::npos)
      << result.error;
  EXPECT_NE(result.error.find("chip 1 ('big') waits at instruction 0 (recv) "
                              "for chip 0 on channel 4"),
            std::string::npos)
      << result.error;
}

TEST(SimulatorTiming, RecvFromHaltedSenderIsDeadlock) {
  BinaryBuilder b(preset("e1-package"));
  b.program("small", 0).halt();
  b.program("big", 1).recv(0, 64, 0, 0).halt();
  Model model = mustLoad(b.finish());
  RunResult result = Simulator(model).run({});
  ASSERT_FALSE(result.ok);
  EXPECT_NE(result.error.find("which halted without sending it"),
            std::string::npos)
      << result.error;
}

TEST(SimulatorTiming, MeasurementMatchesStoredBudget) {
  // The budget the compiler would store for the DMA/relu program of the
  // first test; the simulator's numbers must equal it field by field.
  BinaryBuilder b(preset("single"));
  b.program("p", 0)
      .dmaIn(0, 0, 6400)
      .signal(0, Engine::DmaIn)
      .dmaIn(8192, 8192, 6400)
      .wait(0, Engine::Vector)
      .vector(VectorOp::Relu, 0, 0, 1600)
      .halt()
      .budget("full", 250, {249, 0, 0, 10, 0, 0, 1}, 0, 12800, 0, 14592,
              1000000000, 14592);
  Model model = mustLoad(b.finish());
  RunResult result = runOk(model);
  const ChipMeasurement &m = result.chips[0];
  const Budget *budget = model.programs[0].findBudget(m.path);
  ASSERT_TRUE(budget);
  EXPECT_EQ(m.cycles, budget->cycles);
  for (int e = 0; e < cost::kNumEngines; ++e)
    EXPECT_EQ(m.engineBusy[e], budget->engineBusy[e]) << e;
  EXPECT_EQ(m.hostBytes, budget->hostBytes);
  EXPECT_EQ(m.dramBytes, budget->dramBytes);
  EXPECT_EQ(m.linkBytes, budget->linkBytes);
  EXPECT_EQ(m.peakSramBytes, budget->peakSramBytes);
  EXPECT_EQ(m.peakDramBytes, budget->peakDramBytes);
  EXPECT_EQ(m.energyFj, budget->energyFj);
}

//===----------------------------------------------------------------------===//
// Streams (docs/execution-model.md, "Streams")
//===----------------------------------------------------------------------===//

// senderReceiver(): chip 0 fills and sends in 54 cycles of 1000 ps; chip 2
// (800 ps) receives at cycle 69 and halts at 1522, 1453 cycles after the
// data arrived (SendRecvAcrossClocks).

TEST(SimulatorStream, SteadyWhenTheIntervalCoversTheBottleneck) {
  Model model = senderReceiver();
  StreamResult stream =
      Simulator(model).runStream({TensorMap{}, TensorMap{}, TensorMap{}},
                                 1200000);
  ASSERT_TRUE(stream.ok) << stream.error;
  ASSERT_EQ(stream.runs.size(), 3u);
  // Input 0 is the single run: chip 2 halts at 1522 * 800 ps.
  EXPECT_EQ(stream.latencyPs[0], 1217600);
  // Input 1, released at 1200000 ps: chip 0 starts at cycle 1200 and sends
  // at 1205; the data arrives at 1205000 + 50000 ps = cycle
  // ceil(1255000 / 800) = 1569 of chip 2, which started at
  // max(ceil(1200000 / 800), 1522) = 1522 and now waits for it; it halts at
  // 1569 + 1453 = 3022, i.e. 2417600 ps: latency 1217600 again.
  EXPECT_EQ(stream.runs[1].findChip(0)->startCycle, 1200);
  EXPECT_EQ(stream.runs[1].findChip(2)->startCycle, 1522);
  EXPECT_EQ(stream.runs[1].findChip(2)->cycles, 3022 - 1522);
  EXPECT_EQ(stream.completionPs[1], 2417600);
  EXPECT_EQ(stream.latencyPs[1], 1217600);
  // Input 2 at 2400000: send at 2405, arrival ceil(2455000 / 800) = 3069,
  // halt 4522 = 3617600 ps.
  EXPECT_EQ(stream.completionPs[2], 3617600);
  EXPECT_EQ(stream.latencyPs[2], 1217600);
  EXPECT_EQ(stream.releasePs[2], 2400000);
  // Every run computed the real output, and the trace tags each input.
  for (const RunResult &run : stream.runs)
    EXPECT_EQ(bytesToFloats(run.outputs.at("y")), std::vector<float>(256, 2));
  EXPECT_EQ(stream.runs[2].trace.back().input, 2u);
}

TEST(SimulatorStream, LatencyGrowsWhenFedFasterThanTheBottleneck) {
  // Chip 2 needs 1453 cycles (1162400 ps) per input; at one input every
  // 400000 ps it falls behind by 762400 ps per input.
  Model model = senderReceiver();
  StreamResult stream = Simulator(model).runStream(
      {TensorMap{}, TensorMap{}, TensorMap{}}, 400000);
  ASSERT_TRUE(stream.ok) << stream.error;
  // Input 1: chip 2 starts at its previous halt, 1522, and the data (sent
  // at cycle 405 of chip 0) is there: halt at 1522 + 1453 = 2975.
  EXPECT_EQ(stream.latencyPs[1], 2975 * 800 - 400000);
  EXPECT_EQ(stream.latencyPs[2], (2975 + 1453) * 800 - 800000);
  EXPECT_EQ(stream.latencyPs[2] - stream.latencyPs[1], 762400);
}

TEST(SimulatorStream, RejectsBadRequests) {
  Model model = senderReceiver();
  EXPECT_EQ(Simulator(model).runStream({TensorMap{}}, 0).error,
            "the stream interval must be positive, not 0 ps");
  EXPECT_EQ(Simulator(model).runStream({}, 1000).error,
            "a stream needs at least one input");
  StreamResult bad = Simulator(model).runStream(
      {TensorMap{}, TensorMap{{"nope", {1, 2, 3, 4}}}}, 1000000);
  EXPECT_FALSE(bad.ok);
  EXPECT_EQ(bad.error,
            "input 1: unknown input 'nope' (not in the model's signature)");
  Model sleepy = escalationModel(0.5f);
  EXPECT_EQ(Simulator(sleepy).runStream({TensorMap{}}, 1000000).error,
            "chip 1 starts asleep (an escalation target); streams of models "
            "with escalations are not supported");
}

} // namespace
