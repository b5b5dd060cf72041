//===- SimulatorDeterminismTest.cpp - Same inputs, same everything --------===//
//
// Two runs of one model on the same inputs give identical outputs,
// measurements and traces, bit for bit; inputs are checked against the
// model's signature.
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

/// A two-chip cascade on the e1-package: the small chip runs a conv and a
/// matmul, checks confidence and, when not confident, wakes the big chip and
/// sends it the features; the big chip applies tanh and returns the result.
Model cascade() {
  BinaryBuilder b(preset("e1-package"));
  b.input("image", DType::F32, {1, 6, 6});
  b.output("logits", DType::F32, {4});
  std::vector<float> weights;
  for (int i = 0; i < 2 * 9; ++i)
    weights.push_back(0.1f * static_cast<float>(i % 7) - 0.3f);
  std::vector<float> fc;
  for (int i = 0; i < 32 * 4; ++i)
    fc.push_back(0.05f * static_cast<float>(i % 11) - 0.25f);
  ConvArgs conv;
  conv.input = 0;
  conv.weight = 256;
  conv.output = 512;
  conv.channels = 1;
  conv.inHw = {6, 6};
  conv.outChannels = 2;
  conv.outHw = {4, 4};
  conv.outRows = {0, 4};
  conv.kernel = {3, 3};
  b.program("small", 0)
      .segment(4096, floatBytes(weights))
      .segment(8192, floatBytes(fc))
      .loadInput(0, 0, 0, 144)
      .dmaIn(0, 0, 144)
      .dmaIn(4096, 256, 72)
      .dmaIn(8192, 1024, 512)
      .signal(0, Engine::DmaIn)
      .wait(0, Engine::Mac)
      .conv(conv)
      .signal(1, Engine::Mac)
      .wait(1, Engine::Vector)
      .vector(VectorOp::Relu, 512, 512, 32)
      .signal(2, Engine::Vector)
      .wait(2, Engine::Mac)
      .matmul(512, 1024, 2048, 1, 32, 4, {32, 4, 4}, DType::F32, false)
      .signal(3, Engine::Mac)
      .wait(3, Engine::Vector)
      .exitCheck(2048, 4, DType::F32, ConfidenceMeasure::Margin, 0.99f, 5)
      .signal(4, Engine::Vector)
      .wait(4, Engine::DmaOut)
      .dmaOut(2048, 12288, 16)
      .storeOutput(0, 0, 12288, 16)
      .halt()
      .escalate(1)
      .signal(5, Engine::Vector)
      .wait(5, Engine::LinkTx)
      .send(2048, 16, 1, 0)
      .halt();
  b.program("big", 1)
      .recv(0, 16, 0, 0)
      .signal(0, Engine::LinkRx)
      .wait(0, Engine::Vector)
      .vector(VectorOp::Tanh, 0, 64, 4)
      .signal(1, Engine::Vector)
      .wait(1, Engine::DmaOut)
      .dmaOut(64, 0, 16)
      .storeOutput(0, 0, 0, 16)
      .halt();
  return mustLoad(b.finish());
}

TensorMap image() {
  std::vector<float> pixels;
  for (int i = 0; i < 36; ++i)
    pixels.push_back(static_cast<float>((i * 37) % 17) / 17.0f);
  return {{"image", floatBytes(pixels)}};
}

void expectSame(const RunResult &x, const RunResult &y) {
  ASSERT_TRUE(x.ok) << x.error;
  ASSERT_TRUE(y.ok) << y.error;
  EXPECT_EQ(x.outputs, y.outputs);
  ASSERT_EQ(x.chips.size(), y.chips.size());
  for (size_t i = 0; i < x.chips.size(); ++i) {
    const ChipMeasurement &a = x.chips[i], &b = y.chips[i];
    EXPECT_EQ(a.chip, b.chip);
    EXPECT_EQ(a.ran, b.ran);
    EXPECT_EQ(a.path, b.path);
    EXPECT_EQ(a.startCycle, b.startCycle);
    EXPECT_EQ(a.cycles, b.cycles);
    EXPECT_EQ(a.engineBusy, b.engineBusy);
    EXPECT_EQ(a.hostBytes, b.hostBytes);
    EXPECT_EQ(a.dramBytes, b.dramBytes);
    EXPECT_EQ(a.linkBytes, b.linkBytes);
    EXPECT_EQ(a.peakSramBytes, b.peakSramBytes);
    EXPECT_EQ(a.peakDramBytes, b.peakDramBytes);
    EXPECT_EQ(a.energyFj, b.energyFj);
    ASSERT_EQ(a.exitChecks.size(), b.exitChecks.size());
    for (size_t j = 0; j < a.exitChecks.size(); ++j) {
      // Bitwise: same double, not merely close.
      EXPECT_EQ(std::memcmp(&a.exitChecks[j].confidence,
                            &b.exitChecks[j].confidence, sizeof(double)),
                0);
      EXPECT_EQ(a.exitChecks[j].confident, b.exitChecks[j].confident);
    }
  }
  ASSERT_EQ(x.trace.size(), y.trace.size());
  for (size_t i = 0; i < x.trace.size(); ++i) {
    EXPECT_EQ(x.trace[i].chip, y.trace[i].chip);
    EXPECT_EQ(x.trace[i].engine, y.trace[i].engine);
    EXPECT_EQ(x.trace[i].start, y.trace[i].start);
    EXPECT_EQ(x.trace[i].cycles, y.trace[i].cycles);
    EXPECT_EQ(x.trace[i].index, y.trace[i].index);
    EXPECT_EQ(x.trace[i].name, y.trace[i].name);
  }
}

TEST(SimulatorDeterminism, TwoRunsAreIdentical) {
  Model model = cascade();
  Simulator simulator(model);
  RunResult first = simulator.run(image());
  RunResult second = simulator.run(image());
  expectSame(first, second);
  // A second simulator of a second load of the same model agrees too.
  Model again = cascade();
  expectSame(first, Simulator(again).run(image()));

  // The cascade escalated (margin below 0.99) and both chips ran.
  const ChipMeasurement *small = first.findChip(0);
  const ChipMeasurement *big = first.findChip(1);
  ASSERT_TRUE(small && big);
  EXPECT_EQ(small->path, "full");
  EXPECT_TRUE(big->ran);
  EXPECT_GT(big->startCycle, 50000);
  // 26 instructions less the 5 of the exit path, plus the big chip's 9.
  EXPECT_EQ(first.trace.size(), 21u + 9u);
}

TEST(SimulatorDeterminism, TraceCanBeTurnedOff) {
  Model model = cascade();
  SimulatorOptions options;
  options.trace = false;
  RunResult quiet = Simulator(model, options).run(image());
  RunResult traced = Simulator(model).run(image());
  ASSERT_TRUE(quiet.ok) << quiet.error;
  EXPECT_TRUE(quiet.trace.empty());
  EXPECT_EQ(quiet.outputs, traced.outputs);
  EXPECT_EQ(quiet.chips[1].cycles, traced.chips[1].cycles);
}

TEST(SimulatorDeterminism, InputsAreCheckedAgainstTheSignature) {
  Model model = cascade();
  Simulator simulator(model);
  RunResult missing = simulator.run({});
  EXPECT_FALSE(missing.ok);
  EXPECT_EQ(missing.error, "missing input 'image'");
  RunResult shortInput =
      simulator.run({{"image", std::vector<uint8_t>(100, 0)}});
  EXPECT_EQ(shortInput.error,
            "input 'image' has 100 bytes but its signature needs 144");
  TensorMap extra = image();
  extra["other"] = {1, 2, 3};
  EXPECT_EQ(simulator.run(extra).error,
            "unknown input 'other' (not in the model's signature)");
}

} // namespace
