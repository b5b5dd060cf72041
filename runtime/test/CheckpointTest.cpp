//===- CheckpointTest.cpp - Stop, save, restore, resume ------------------===//
//
// A hand-timed program on the "single" preset (1000 MHz, host link 16 GB/s
// and 1000 ns, DRAM 64 B/cycle, 256 lanes, 4000 mW active): stopped at a
// checkpoint boundary, its state written to a file and read back, resumed
// on a fresh chip; every figure of docs/execution-model.md ("Checkpoints")
// checked by hand, and the loader's and the file's checks.
//
//===----------------------------------------------------------------------===//

#include "TestBinary.h"

#include "npu/rt/Checkpoint.h"
#include "npu/rt/Simulator.h"

#include <gtest/gtest.h>

using namespace npu::rt;
using namespace npu::rt::test;
using cost::DType;
using cost::Engine;
using cost::VectorOp;

namespace {

/// x -> load_input -> dma_in -> relu -> dma_out -> store_output -> y.
///   0 load_input 1024 B   [0, 1088)     24 + 1000 + 64
///   1 dma_in 1024 B       [1088, 1128)  24 + 16
///   2 signal(0) dma_in    [1128, 1129)
///   3 wait(0) vector      [1129, 1130)
///   4 relu 256            [1130, 1133)  2 + 1
///   5 signal(1) vector    [1133, 1134)
///   6 wait(1) dma_out     [1134, 1135)
///   7 dma_out 1024 B      [1135, 1175)
///   8 store_output 1024 B [1175, 2263)
///   9 halt                [2263, 2264)
/// Boundary 4 (before the relu): the relu reads SRAM [0, 1024), which the
/// dma_in wrote; nothing else written before it is read after it.
std::vector<uint8_t> reluBinary(const std::vector<LiveRange> &live,
                                int64_t transferCycles) {
  BinaryBuilder b(preset("single"));
  b.input("x", DType::F32, {256});
  b.output("y", DType::F32, {256});
  b.program("p", 0)
      .loadInput(0, 0, 0, 1024)
      .dmaIn(0, 0, 1024)
      .signal(0, Engine::DmaIn)
      .wait(0, Engine::Vector)
      .vector(VectorOp::Relu, 0, 0, 256)
      .signal(1, Engine::Vector)
      .wait(1, Engine::DmaOut)
      .dmaOut(0, 1024, 1024)
      .storeOutput(0, 0, 1024, 1024)
      .halt();
  Checkpoint cp;
  cp.index = 4;
  cp.issueCycles = 1130;
  cp.drainCycles = 1130;
  cp.drainEnergyFj = 1130LL * 1000 * 4000;
  cp.saveCycles = cp.restoreCycles = transferCycles;
  // From 0: relu [0, 3), signal [3, 4), wait [4, 5), dma_out [5, 45),
  // store_output [45, 1133), halt [1133, 1134); every cycle busy.
  cp.resumeCycles = 1134;
  cp.resumeEnergyFj = 1134LL * 1000 * 4000;
  cp.live = live;
  b.checkpoint(cp);
  return b.finish();
}

/// SRAM [0, 1024): one DRAM DMA (24 + 16) and one host DMA (24 + 1000 + 64).
const std::vector<LiveRange> kLive = {{MemorySpace::SRAM, 0, 1024}};
constexpr int64_t kTransfer = 40 + 1088;

TensorMap inputX() {
  std::vector<float> x(256);
  for (int i = 0; i < 256; ++i)
    x[i] = static_cast<float>(i % 7) - 3.25f;
  return {{"x", floatBytes(x)}};
}

TEST(Checkpoint, StopSaveRestoreResumeByHand) {
  Model model = mustLoad(reluBinary(kLive, kTransfer));
  ASSERT_EQ(model.programs[0].checkpoints.size(), 1u);
  Simulator sim(model);
  RunResult whole = sim.run(inputX());
  ASSERT_TRUE(whole.ok) << whole.error;
  EXPECT_EQ(whole.chips[0].cycles, 2264);

  CheckpointRun stopped = sim.runToCheckpoint(inputX(), 4);
  ASSERT_TRUE(stopped.ok) << stopped.error;
  EXPECT_EQ(stopped.drain.path, "checkpoint");
  EXPECT_EQ(stopped.drain.cycles, 1130);
  EXPECT_EQ(stopped.drain.energyFj, 1130LL * 1000 * 4000);
  EXPECT_EQ(stopped.saveCycles, 1128);
  EXPECT_EQ(stopped.saveEnergyFj, 1128LL * 1000 * 4000);
  EXPECT_EQ(stopped.savedBytes, 1024);
  ASSERT_EQ(stopped.state.live.size(), 1u);
  EXPECT_EQ(stopped.state.live[0], inputX().at("x"));
  // The save follows the drain on the trace.
  ASSERT_FALSE(stopped.trace.empty());
  EXPECT_EQ(stopped.trace.back().name, "checkpoint_save");
  EXPECT_EQ(stopped.trace.back().start, 1130);

  // Through the file, then on a fresh chip.
  std::vector<uint8_t> file = encodeCheckpoint(stopped.state);
  EXPECT_EQ(file, encodeCheckpoint(stopped.state)); // Deterministic.
  CheckpointLoad load = decodeCheckpoint(file.data(), file.size(), model);
  ASSERT_TRUE(load.ok()) << load.error;
  RunResult resumed = Simulator(model).resume(*load.state, inputX());
  ASSERT_TRUE(resumed.ok) << resumed.error;
  EXPECT_EQ(resumed.outputs, whole.outputs);
  const ChipMeasurement &m = resumed.chips[0];
  EXPECT_EQ(m.startCycle, 0);
  EXPECT_EQ(m.cycles, 1128 + 1134);
  EXPECT_EQ(m.energyFj, (1128LL + 1134) * 1000 * 4000);
  // The restore's bytes, then the rest: dma_out 1024 B, store_output 1024 B.
  EXPECT_EQ(m.hostBytes, 1024 + 1024);
  EXPECT_EQ(m.dramBytes, 1024 + 1024);
  EXPECT_EQ(m.engineBusy[static_cast<int>(Engine::DmaIn)], 1128);
  ASSERT_FALSE(resumed.trace.empty());
  EXPECT_EQ(resumed.trace.front().name, "checkpoint_restore");
}

TEST(Checkpoint, AnUnchangedCopyOfDramIsRestoredFromDram) {
  // 0 dma_in DRAM [4096, 5120) (a segment nothing writes) -> SRAM [0, 1024)
  // [0, 40); 1 signal [40, 41); 2 wait [41, 42); boundary 3: the relu's
  // input is not saved (0 cycles) but restored by one DRAM DMA (24 + 16).
  std::vector<float> weights(256);
  for (int i = 0; i < 256; ++i)
    weights[i] = static_cast<float>(i % 5) - 2.5f;
  BinaryBuilder b(preset("single"));
  b.output("y", DType::F32, {256});
  b.program("p", 0)
      .segment(4096, floatBytes(weights))
      .dmaIn(4096, 0, 1024)
      .signal(0, Engine::DmaIn)
      .wait(0, Engine::Vector)
      .vector(VectorOp::Relu, 0, 0, 256)
      .signal(1, Engine::Vector)
      .wait(1, Engine::DmaOut)
      .dmaOut(0, 0, 1024)
      .storeOutput(0, 0, 0, 1024)
      .halt();
  Checkpoint cp;
  cp.index = 3;
  cp.issueCycles = cp.drainCycles = 42;
  cp.drainEnergyFj = 42LL * 1000 * 4000;
  cp.saveCycles = 0;
  cp.restoreCycles = 40;
  cp.resumeCycles = 1134;
  cp.resumeEnergyFj = 1134LL * 1000 * 4000;
  cp.live = {{MemorySpace::SRAM, 0, 1024, 4096}};
  b.checkpoint(cp);
  Model model = mustLoad(b.finish());
  Simulator sim(model);
  CheckpointRun stopped = sim.runToCheckpoint({}, 3);
  ASSERT_TRUE(stopped.ok) << stopped.error;
  EXPECT_EQ(stopped.drain.cycles, 42);
  EXPECT_EQ(stopped.saveCycles, 0);
  EXPECT_EQ(stopped.savedBytes, 0);
  ASSERT_EQ(stopped.state.live.size(), 1u);
  EXPECT_TRUE(stopped.state.live[0].empty());
  RunResult resumed = sim.resume(stopped.state, {});
  ASSERT_TRUE(resumed.ok) << resumed.error;
  EXPECT_EQ(resumed.outputs, sim.run({}).outputs);
  EXPECT_EQ(resumed.chips[0].cycles, 40 + 1134);
  EXPECT_EQ(resumed.chips[0].hostBytes, 1024); // The store_output only.
}

TEST(Checkpoint, AMissingLiveRangeChangesTheOutputs) {
  // A table that forgets the relu's input: the resumed relu reads zeros.
  Model model = mustLoad(reluBinary({}, 0));
  Simulator sim(model);
  CheckpointRun stopped = sim.runToCheckpoint(inputX(), 4);
  ASSERT_TRUE(stopped.ok) << stopped.error;
  RunResult resumed = sim.resume(stopped.state, inputX());
  ASSERT_TRUE(resumed.ok) << resumed.error;
  EXPECT_NE(resumed.outputs, sim.run(inputX()).outputs);
}

TEST(Checkpoint, NotABoundary) {
  Model model = mustLoad(reluBinary(kLive, kTransfer));
  CheckpointRun stopped = Simulator(model).runToCheckpoint(inputX(), 5);
  EXPECT_FALSE(stopped.ok);
  EXPECT_NE(stopped.error.find("instruction 5 of program 'p' is not a "
                               "checkpoint boundary"),
            std::string::npos)
      << stopped.error;
}

TEST(Checkpoint, FileChecks) {
  Model model = mustLoad(reluBinary(kLive, kTransfer));
  CheckpointRun stopped = Simulator(model).runToCheckpoint(inputX(), 4);
  ASSERT_TRUE(stopped.ok) << stopped.error;
  std::vector<uint8_t> file = encodeCheckpoint(stopped.state);

  auto errorOf = [&](const std::vector<uint8_t> &bytes, const Model &m) {
    CheckpointLoad load = decodeCheckpoint(bytes.data(), bytes.size(), m);
    EXPECT_FALSE(load.ok());
    return load.error;
  };
  std::vector<uint8_t> truncated(file.begin(), file.begin() + file.size() / 2);
  EXPECT_NE(errorOf(truncated, model).find("truncated or malformed"),
            std::string::npos);
  EXPECT_NE(errorOf({1, 2, 3}, model).find("file too small"),
            std::string::npos);
  std::vector<uint8_t> binary = reluBinary(kLive, kTransfer);
  EXPECT_NE(errorOf(binary, model).find("not a checkpoint file"),
            std::string::npos);

  // Another binary: the same program with another input pattern in its
  // budgets would do; a different table changes the bytes too.
  Model other = mustLoad(reluBinary({}, 0));
  EXPECT_NE(errorOf(file, other).find("comes from another binary"),
            std::string::npos);

  CheckpointState state = stopped.state;
  state.live[0].pop_back();
  EXPECT_NE(checkCheckpoint(state, model).find(
                "live range 0 holds 1023 bytes; boundary 4 needs 1024"),
            std::string::npos);
  state = stopped.state;
  state.index = 3;
  EXPECT_NE(checkCheckpoint(state, model).find("not a checkpoint boundary"),
            std::string::npos);
  state = stopped.state;
  state.outputs["y"].resize(4);
  RunResult refused = Simulator(model).resume(state, inputX());
  EXPECT_FALSE(refused.ok);
  EXPECT_NE(refused.error.find("output 'y' holds 4 bytes"), std::string::npos)
      << refused.error;
}

/// The loader's error for `binary`.
std::string loadError(const std::vector<uint8_t> &binary) {
  LoadResult loaded = loadModel(binary.data(), binary.size());
  EXPECT_FALSE(loaded.ok());
  return loaded.error;
}

TEST(Checkpoint, LoaderChecksTheTable) {
  EXPECT_NE(loadError(reluBinary(kLive, kTransfer + 1))
                .find("save_cycles 1129 and restore_cycles 1129 must be "
                      "1128 and 1128"),
            std::string::npos);
  EXPECT_NE(loadError(reluBinary({{MemorySpace::SRAM, 1000, 100}}, 1))
                .find("lie outside the program's SRAM (1024 bytes)"),
            std::string::npos);
  EXPECT_NE(loadError(reluBinary({{MemorySpace::DRAM, 0, 64},
                                  {MemorySpace::DRAM, 32, 64}},
                                 1))
                .find("ranges must be disjoint and sorted"),
            std::string::npos);

  BinaryBuilder b(preset("single"));
  b.program("p", 0).fill(0, 16, 1.0f).fill(64, 16, 2.0f).halt();
  Checkpoint zero;
  b.checkpoint(zero);
  EXPECT_NE(loadError(b.finish()).find("index 0 is not inside the stream"),
            std::string::npos);
}

} // namespace
