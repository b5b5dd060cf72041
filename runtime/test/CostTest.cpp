//===- CostTest.cpp - Tests of the exact cost formulas --------------------===//
//
// Every formula of npu/rt/Cost.h against numbers worked out by hand (the
// arithmetic is in the comments), including the rounding cases, plus
// compile-time checks that the formulas stay usable in constant expressions.
//
//===----------------------------------------------------------------------===//

#include "npu/rt/Cost.h"

#include <gtest/gtest.h>

using namespace npu::rt::cost;

namespace {

//===----------------------------------------------------------------------===//
// Compile time: the formulas are constexpr and the encodings are fixed.
//===----------------------------------------------------------------------===//

// 24 setup + ceil(1000 / 64) = 24 + 16.
static_assert(dramDmaCycles(1000, 64) == 40);
// 4 issue + 256 + 256 skew + 100 accumulate.
static_assert(macTileCycles(256, 100, 256) == 616);
// 2 issue + ceil(1000 / 256) = 4 groups x 4 passes.
static_assert(vectorCycles(VectorOp::Sigmoid, 1000, 256) == 18);
static_assert(engineName(Engine::Mac) == "mac");

// The vector-op numbers are the binary encoding; they must never move.
static_assert(static_cast<int>(VectorOp::Copy) == 0);
static_assert(static_cast<int>(VectorOp::Relu) == 8);
static_assert(static_cast<int>(VectorOp::Sigmoid) == 10);
static_assert(static_cast<int>(VectorOp::Gelu) == 15);
static_assert(static_cast<int>(VectorOp::Dequantize) == 19);
static_assert(kNumVectorOps == 20);
static_assert(kNumEngines == 7);

/// A whole cost table computed at compile time: one 64 KiB tile loaded,
/// multiplied and activated on a 256x256 chip.
constexpr int64_t kTileLoad = dramDmaCycles(65536, 64);
constexpr int64_t kTileMac = macTileCycles(128, 256, 256);
constexpr int64_t kTileAct = vectorCycles(VectorOp::Relu, 128 * 256, 256);
constexpr int64_t kTileTotal = kTileLoad + kTileMac + kTileAct;
// 24 + 1024; 4 + 128 + 256 + 256; 2 + 128.
static_assert(kTileLoad == 1048 && kTileMac == 644 && kTileAct == 130);
static_assert(kTileTotal == 1822);

TEST(CostConstexpr, UsableAsArrayBound) {
  // ceil(10 / 4) + 2 issue = 5.
  int array[copyCycles(10, 4)] = {};
  EXPECT_EQ(sizeof(array) / sizeof(array[0]), 5u);
  EXPECT_EQ(kTileTotal, 1822);
}

//===----------------------------------------------------------------------===//
// Helpers and constants.
//===----------------------------------------------------------------------===//

TEST(Cost, Overheads) {
  EXPECT_EQ(kDmaSetupCycles, 24);
  EXPECT_EQ(kLinkSetupCycles, 16);
  EXPECT_EQ(kMacIssueCycles, 4);
  EXPECT_EQ(kVectorIssueCycles, 2);
  EXPECT_EQ(kSyncCycles, 1);
}

TEST(Cost, CeilDiv) {
  EXPECT_EQ(ceilDiv(0, 5), 0);
  EXPECT_EQ(ceilDiv(1, 5), 1);
  EXPECT_EQ(ceilDiv(5, 5), 1);
  EXPECT_EQ(ceilDiv(6, 5), 2);
  EXPECT_EQ(ceilDiv(7, 2), 4);
  EXPECT_EQ(ceilDiv(8, 2), 4);
}

TEST(Cost, EngineNames) {
  EXPECT_EQ(engineName(Engine::DmaIn), "dma_in");
  EXPECT_EQ(engineName(Engine::DmaOut), "dma_out");
  EXPECT_EQ(engineName(Engine::Mac), "mac");
  EXPECT_EQ(engineName(Engine::Vector), "vector");
  EXPECT_EQ(engineName(Engine::LinkTx), "link_tx");
  EXPECT_EQ(engineName(Engine::LinkRx), "link_rx");
  EXPECT_EQ(engineName(Engine::Control), "control");
  EXPECT_EQ(engineName(static_cast<Engine>(42)), "?");
}

//===----------------------------------------------------------------------===//
// Time conversions.
//===----------------------------------------------------------------------===//

TEST(Cost, NsToCycles) {
  EXPECT_EQ(nsToCycles(0, 1000), 0);
  EXPECT_EQ(nsToCycles(100, 1000), 100); // 1 ns per cycle
  // 1250 MHz = 1.25 cycles per ns.
  EXPECT_EQ(nsToCycles(1000, 1250), 1250);
  EXPECT_EQ(nsToCycles(50, 1250), 63); // 62.5 rounds up
  EXPECT_EQ(nsToCycles(1, 1250), 2);   // 1.25 rounds up
  EXPECT_EQ(nsToCycles(4, 1250), 5);   // exact
  // 500 MHz: 2 ns per cycle; 3 ns is 1.5 cycles.
  EXPECT_EQ(nsToCycles(3, 500), 2);
}

TEST(Cost, TransferCycles) {
  // 1024 B at 16 B/ns = 64 ns = 64 cycles at 1 GHz.
  EXPECT_EQ(transferCycles(1024, 16, 1000), 64);
  // 1000 B at 16 B/ns = 62.5 ns -> 63 cycles.
  EXPECT_EQ(transferCycles(1000, 16, 1000), 63);
  // A single byte still takes a cycle.
  EXPECT_EQ(transferCycles(1, 64, 1000), 1);
  EXPECT_EQ(transferCycles(0, 64, 1000), 0);
  // 1000 B at 32 B/ns = 31.25 ns = 39.0625 cycles at 1250 MHz -> 40.
  EXPECT_EQ(transferCycles(1000, 32, 1250), 40);
  // 1280 B at 32 B/ns = 40 ns = exactly 50 cycles at 1250 MHz.
  EXPECT_EQ(transferCycles(1280, 32, 1250), 50);
}

//===----------------------------------------------------------------------===//
// Data movement.
//===----------------------------------------------------------------------===//

TEST(Cost, DramDma) {
  EXPECT_EQ(dramDmaCycles(1000, 64), 40);  // 24 + ceil(15.625)
  EXPECT_EQ(dramDmaCycles(1024, 64), 40);  // 24 + 16 exactly
  EXPECT_EQ(dramDmaCycles(1025, 64), 41);  // 24 + ceil(16.02)
  EXPECT_EQ(dramDmaCycles(0, 64), 24);     // setup only
  EXPECT_EQ(dramDmaCycles(1000, 128), 32); // 24 + ceil(7.8125)
}

TEST(Cost, HostDma) {
  // 24 setup + 1000 ns latency (1000 cycles) + 4096 / 16 = 256.
  EXPECT_EQ(hostDmaCycles(4096, 16, 1000, 1000), 1280);
  // At 1250 MHz: 24 + 1250 + ceil(4096 * 1.25 / 16) = 24 + 1250 + 320.
  EXPECT_EQ(hostDmaCycles(4096, 16, 1000, 1250), 1594);
  // 24 + 0 + ceil(100 / 16 = 6.25).
  EXPECT_EQ(hostDmaCycles(100, 16, 0, 1000), 31);
}

TEST(Cost, LinkSendAndReceive) {
  // 16 setup + ceil(1000 / 32 = 31.25).
  EXPECT_EQ(linkSendCycles(1000, 32, 1000), 48);
  EXPECT_EQ(linkRecvCycles(1000, 32, 1000), 48);
  // 16 + ceil(1000 * 1.25 / 32 = 39.0625).
  EXPECT_EQ(linkSendCycles(1000, 32, 1250), 56);
  EXPECT_EQ(linkRecvCycles(1000, 32, 1250), 56);
  // 16 + 4096 / 64.
  EXPECT_EQ(linkSendCycles(4096, 64, 1000), 80);
}

//===----------------------------------------------------------------------===//
// Compute.
//===----------------------------------------------------------------------===//

TEST(Cost, MacTile) {
  EXPECT_EQ(macTileCycles(256, 100, 256), 616); // 4 + 256 + 256 + 100
  EXPECT_EQ(macTileCycles(1, 1, 1), 7);         // 4 + 1 + 1 + 1
  EXPECT_EQ(macTileCycles(512, 512, 512), 1540);
  // The roles of m and k differ only in name: m = 10, k = 20, n = 30.
  EXPECT_EQ(macTileCycles(10, 20, 30), 64);
}

TEST(Cost, ConvTile) {
  // 64 pixels, 32 output channels, 3x3 kernel over 16 input channels:
  // k = 144, so 4 + 64 + 32 + 144.
  EXPECT_EQ(convTileCycles(64, 32, 3 * 3 * 16), 244);
}

TEST(Cost, VectorOpFactors) {
  for (VectorOp op : {VectorOp::Sigmoid, VectorOp::Tanh, VectorOp::Gelu,
                      VectorOp::Exp, VectorOp::Pow})
    EXPECT_EQ(vectorOpFactor(op), 4) << static_cast<int>(op);
  for (VectorOp op : {VectorOp::Div, VectorOp::Sqrt, VectorOp::HardSwish})
    EXPECT_EQ(vectorOpFactor(op), 2) << static_cast<int>(op);
  for (VectorOp op :
       {VectorOp::Copy, VectorOp::Add, VectorOp::Sub, VectorOp::Mul,
        VectorOp::Max, VectorOp::Min, VectorOp::Relu, VectorOp::LeakyRelu,
        VectorOp::HardSigmoid, VectorOp::Clip, VectorOp::Quantize,
        VectorOp::Dequantize})
    EXPECT_EQ(vectorOpFactor(op), 1) << static_cast<int>(op);
}

TEST(Cost, VectorCycles) {
  // 1000 elements on 256 lanes: ceil(3.90625) = 4 lane groups.
  EXPECT_EQ(vectorCycles(VectorOp::Add, 1000, 256), 6);      // 2 + 4 x 1
  EXPECT_EQ(vectorCycles(VectorOp::Sigmoid, 1000, 256), 18); // 2 + 4 x 4
  EXPECT_EQ(vectorCycles(VectorOp::Div, 1000, 256), 10);     // 2 + 4 x 2
  // Exactly one group.
  EXPECT_EQ(vectorCycles(VectorOp::Add, 256, 256), 3);
  EXPECT_EQ(vectorCycles(VectorOp::Sigmoid, 256, 256), 6);
  // One element more spills into a second group.
  EXPECT_EQ(vectorCycles(VectorOp::Add, 257, 256), 4);
}

TEST(Cost, Reduce) {
  // [4, 100, 8] on 256 lanes: ceil(3200 / 256 = 12.5) = 13 -> 2 + 13.
  EXPECT_EQ(reduceCycles(ReduceOp::Sum, 4, 100, 8, 256), 15);
  EXPECT_EQ(reduceCycles(ReduceOp::Max, 4, 100, 8, 256), 15);
  // Mean scales the [4, 8] result: + ceil(32 / 256) = 1.
  EXPECT_EQ(reduceCycles(ReduceOp::Mean, 4, 100, 8, 256), 16);
  // [16, 64, 64]: 65536 / 256 = 256; Mean adds 1024 / 256 = 4.
  EXPECT_EQ(reduceCycles(ReduceOp::Sum, 16, 64, 64, 256), 258);
  EXPECT_EQ(reduceCycles(ReduceOp::Mean, 16, 64, 64, 256), 262);
}

TEST(Cost, Pool) {
  // 1000 outputs from 3x3 windows: ceil(9000 / 256 = 35.16) = 36 -> 2 + 36.
  EXPECT_EQ(poolCycles(PoolOp::Max, 1000, 9, 256), 38);
  // Average adds ceil(1000 / 256) = 4.
  EXPECT_EQ(poolCycles(PoolOp::Avg, 1000, 9, 256), 42);
}

TEST(Cost, Copy) {
  EXPECT_EQ(copyCycles(1000, 256), 6); // 2 + 4
  EXPECT_EQ(copyCycles(256, 256), 3);  // 2 + 1
  EXPECT_EQ(copyCycles(0, 256), 2);    // issue only
}

TEST(Cost, Resize) {
  EXPECT_EQ(resizeCycles(ResizeMode::Nearest, 1000, 256), 6); // 2 + 4
  EXPECT_EQ(resizeCycles(ResizeMode::Linear, 1000, 256), 18); // 2 + 4 x 4
}

TEST(Cost, ExitCheck) {
  // Softmax = max (1) + exp (4) + sum (1) + divide (2) = 8 passes; entropy
  // adds a log (4) = 12. 1000 classes on 256 lanes = 4 groups.
  EXPECT_EQ(exitCheckCycles(ConfidenceMeasure::MaxProb, 1000, 256),
            35); // 2 + 4 x 8 + 1
  EXPECT_EQ(exitCheckCycles(ConfidenceMeasure::Margin, 1000, 256), 35);
  EXPECT_EQ(exitCheckCycles(ConfidenceMeasure::Entropy, 1000, 256),
            51); // 2 + 4 x 12 + 1
  // 10 classes fit one group.
  EXPECT_EQ(exitCheckCycles(ConfidenceMeasure::MaxProb, 10, 256), 11);
  EXPECT_EQ(exitCheckCycles(ConfidenceMeasure::Entropy, 10, 256), 15);
}

//===----------------------------------------------------------------------===//
// Energy.
//===----------------------------------------------------------------------===//

TEST(Cost, Energy) {
  // 1000 cycles of 1 ns at 4 W = 1 us x 4 W = 4 uJ = 4e9 fJ.
  EXPECT_EQ(energyFj(1000, 4000, 1000), 4000000000);
  // 1250 MHz (800 ps) at 2.5 W: 1000 x 800 x 2500 = 2e9 fJ.
  EXPECT_EQ(energyFj(1000, 2500, 800), 2000000000);
  // 20 mW for one cycle of 1 ns = 20 pJ = 20000 fJ.
  EXPECT_EQ(energyFj(1, 20, 1000), 20000);
  EXPECT_EQ(energyFj(0, 12000, 1000), 0);
  // One second at 12 W = 12 J = 1.2e16 fJ: still exact in int64.
  EXPECT_EQ(energyFj(1000000000, 12000, 1000), 12000000000000000);
}

} // namespace
