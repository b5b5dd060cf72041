//===- LoaderTest.cpp - Verification and decoding of .npub binaries -------===//
//
// A valid binary decodes into the expected Model; every class of broken
// binary is rejected with a message that names what is wrong and where; no
// prefix or corruption of a valid binary crashes the loader.
//
//===----------------------------------------------------------------------===//

#include "TestBinary.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>

using namespace npu::rt;
using namespace npu::rt::test;
namespace fb = npu::fb;
using cost::ConfidenceMeasure;
using cost::DType;
using cost::Engine;
using cost::VectorOp;

namespace {

/// A small valid model using most instruction kinds on the e1-package.
std::vector<uint8_t> validBinary() {
  BinaryBuilder b(preset("e1-package"), "valid");
  b.input("x", DType::F32, {4, 4});
  b.output("y", DType::F32, {10});
  b.program("small", 0)
      .loadInput(0, 0, 0, 64)
      .dmaIn(0, 0, 4, 16, {16, 16})
      .signal(0, Engine::DmaIn)
      .wait(0, Engine::Mac)
      .matmul(0, 64, 128, 4, 4, 4, {4, 4, 4}, DType::F32, false)
      .signal(1, Engine::Mac)
      .wait(1, Engine::Vector)
      .vector(VectorOp::Relu, 128, 128, 16)
      .reduce(cost::ReduceOp::Sum, 128, 256, {1, 4, 4})
      .fill(512, 10, 0.0f)
      .exitCheck(512, 10, DType::F32, ConfidenceMeasure::Entropy, 0.5f, 3)
      .dmaOut(512, 4096, 40)
      .storeOutput(0, 0, 4096, 40)
      .halt()
      .escalate(1)
      .signal(2, Engine::Vector)
      .wait(2, Engine::LinkTx)
      .send(512, 40, 1, 0)
      .halt()
      .segment(8192, {1, 2, 3, 4})
      .budget("full", 100, {1, 2, 3, 4, 5, 6, 7})
      .budget("exit 1", 50, {0, 0, 0, 0, 0, 0, 1});
  b.program("big", 1)
      .recv(0, 40, 0, 0)
      .signal(0, Engine::LinkRx)
      .wait(0, Engine::DmaOut)
      .dmaOut(0, 0, 40)
      .storeOutput(0, 0, 0, 40)
      .halt();
  return b.finish();
}

/// Loads `bytes` and expects an error containing `substring`.
void expectRejected(const std::vector<uint8_t> &bytes,
                    const std::string &substring) {
  LoadResult result = loadModel(bytes.data(), bytes.size());
  ASSERT_FALSE(result.ok()) << "expected: " << substring;
  EXPECT_NE(result.error.find(substring), std::string::npos)
      << "error: " << result.error << "\nexpected: " << substring;
}

/// A single-chip binary whose program is `emit` followed by halt.
std::vector<uint8_t>
singleProgram(const std::function<void(BinaryBuilder &)> &emit,
              const char *system = "single") {
  BinaryBuilder b(preset(system));
  b.input("x", DType::F32, {16});
  b.output("y", DType::F32, {16});
  b.program("p", 0);
  emit(b);
  b.halt();
  return b.finish();
}

TEST(Loader, DecodesValidBinary) {
  std::vector<uint8_t> bytes = validBinary();
  LoadResult result = loadModel(bytes.data(), bytes.size());
  ASSERT_TRUE(result.ok()) << result.error;
  const Model &model = *result.model;
  EXPECT_EQ(model.version, kFormatVersion);
  EXPECT_EQ(model.name, "valid");
  EXPECT_EQ(model.system.name, "e1-package");
  ASSERT_EQ(model.system.chips.size(), 2u);
  EXPECT_EQ(model.system.chips[1].macRows, 512);
  ASSERT_EQ(model.inputs.size(), 1u);
  EXPECT_EQ(model.inputs[0].bytes, 64);
  EXPECT_EQ(model.inputs[0].shape, (std::vector<int64_t>{4, 4}));
  ASSERT_EQ(model.programs.size(), 2u);
  const Program &small = model.programs[0];
  EXPECT_EQ(small.instructions.size(), 19u);
  EXPECT_EQ(small.exitChecks, 1u);
  EXPECT_FALSE(small.startsAsleep);
  EXPECT_TRUE(model.programs[1].startsAsleep);
  const auto *mm = std::get_if<isa::MatMul>(&small.instructions[4]);
  ASSERT_TRUE(mm);
  EXPECT_EQ(mm->lds, (std::array<int64_t, 3>{4, 4, 4}));
  const auto *check = std::get_if<isa::ExitCheck>(&small.instructions[10]);
  ASSERT_TRUE(check);
  EXPECT_EQ(check->exitPathLength, 3u);
  EXPECT_EQ(check->measure, ConfidenceMeasure::Entropy);
  EXPECT_EQ(instructionName(small.instructions[10]), "exit_check");
  ASSERT_EQ(small.segments.size(), 1u);
  EXPECT_EQ(small.segments[0].data, (std::vector<uint8_t>{1, 2, 3, 4}));
  ASSERT_TRUE(small.findBudget("exit 1"));
  EXPECT_EQ(small.findBudget("full")->engineBusy[6], 7);
  // Highest SRAM byte: the logits at 512, 10 x 4 bytes.
  EXPECT_EQ(small.sramExtent, 552);
  EXPECT_EQ(model.findProgram(1)->name, "big");
}

TEST(Loader, AcceptsUnalignedBytes) {
  std::vector<uint8_t> bytes = validBinary();
  std::vector<uint8_t> shifted(bytes.size() + 1);
  std::copy(bytes.begin(), bytes.end(), shifted.begin() + 1);
  LoadResult result = loadModel(shifted.data() + 1, bytes.size());
  EXPECT_TRUE(result.ok()) << result.error;
}

TEST(Loader, LoadsFromFile) {
  std::vector<uint8_t> bytes = validBinary();
  std::string path = ::testing::TempDir() + "npurt-loader-test.npub";
  {
    std::ofstream file(path, std::ios::binary);
    file.write(reinterpret_cast<const char *>(bytes.data()),
               static_cast<std::streamsize>(bytes.size()));
  }
  EXPECT_TRUE(loadModelFile(path).ok());
  std::remove(path.c_str());
  LoadResult missing = loadModelFile(path);
  EXPECT_FALSE(missing.ok());
  EXPECT_NE(missing.error.find("cannot open"), std::string::npos);
}

//===----------------------------------------------------------------------===//
// Envelope: size, identifier, verifier, version
//===----------------------------------------------------------------------===//

TEST(Loader, RejectsTinyAndTruncatedFiles) {
  std::vector<uint8_t> bytes = validBinary();
  expectRejected({}, "file too small: 0 bytes");
  expectRejected({bytes.begin(), bytes.begin() + 5}, "file too small: 5 bytes");
  expectRejected({bytes.begin(), bytes.begin() + bytes.size() / 2},
                 "FlatBuffers verifier rejected the file");
}

TEST(Loader, RejectsWrongIdentifier) {
  std::vector<uint8_t> bytes = validBinary();
  std::memcpy(bytes.data() + 4, "ONNX", 4);
  expectRejected(bytes, "wrong file identifier 'ONNX' (expected 'NPUB')");
  bytes[4] = 0;
  expectRejected(bytes, "wrong file identifier 0x00");
}

TEST(Loader, RejectsWrongVersion) {
  BinaryBuilder b(preset("single"));
  b.program("p", 0).halt();
  expectRejected(b.finish(7),
                 "unsupported format version 7 (this runtime reads 1)");
}

TEST(Loader, VerifierNamesTheBrokenPart) {
  // Point the first instruction's union offset outside the file.
  BinaryBuilder b(preset("single"));
  b.program("p", 0).halt();
  std::vector<uint8_t> bytes = b.finish();
  const fb::Model *model = fb::GetModel(bytes.data());
  const auto *values = model->programs()->Get(0)->instructions();
  size_t slot =
      reinterpret_cast<const uint8_t *>(values->data()) - bytes.data();
  uint32_t huge = 0x7ffffff0;
  std::memcpy(bytes.data() + slot, &huge, 4);
  expectRejected(bytes, "FlatBuffers verifier rejected the file: "
                        "programs[0].instructions");
}

//===----------------------------------------------------------------------===//
// Semantic checks
//===----------------------------------------------------------------------===//

TEST(Loader, RejectsSramOverflow) {
  // 8 MiB of SRAM on the single chip; a DMA ending one byte past it.
  const int64_t sram = 8 << 20;
  expectRejected(
      singleProgram([&](BinaryBuilder &b) { b.dmaIn(0, sram - 63, 64); }),
      "program 'p' (chip 0) instruction 0 (dma_in): operand 'sram' "
      "[8388545, 8388609) lies outside the SRAM of chip 0 "
      "(8388608 bytes)");
  // A strided extent: 3 rows 4 MiB apart.
  expectRejected(singleProgram([&](BinaryBuilder &b) {
                   b.dmaIn(0, 0, 3, 16, {16, 4 << 20});
                 }),
                 "operand 'sram' [0, 8388624) lies outside the SRAM");
  // An operand offset past SRAM whose extent saturates instead of wrapping.
  expectRejected(singleProgram([&](BinaryBuilder &b) {
                   b.vector(VectorOp::Relu, 0, INT64_MAX / 2, INT64_MAX / 2);
                 }),
                 "operand 'a' [0, 9223372036854775807) lies outside the SRAM");
}

TEST(Loader, RejectsBufferPastSram) {
  // The i8 matmul's C holds 4-byte accumulators: 5 x 5 x 4 = 100 bytes.
  const int64_t sram = 8 << 20;
  auto matmulAt = [&](int64_t c) {
    return singleProgram([&](BinaryBuilder &b) {
      b.matmul(0, 0, c, 5, 5, 5, {5, 5, 5}, DType::I8, false);
    });
  };
  std::vector<uint8_t> fits = matmulAt(sram - 100);
  EXPECT_TRUE(loadModel(fits.data(), fits.size()).ok());
  expectRejected(matmulAt(sram - 99),
                 "instruction 0 (matmul): operand 'c' [8388509, 8388609) "
                 "lies outside the SRAM of chip 0");
}

TEST(Loader, RejectsDramOverflow) {
  expectRejected(singleProgram([&](BinaryBuilder &b) {
                   b.loadInput(0, 0, (int64_t(2) << 30) - 32, 64);
                 }),
                 "instruction 0 (load_input): operand 'dram' [2147483616, "
                 "2147483680) lies outside the DRAM of chip 0");
}

TEST(Loader, RejectsMacTileTooLarge) {
  expectRejected(singleProgram([&](BinaryBuilder &b) {
                   b.matmul(0, 1 << 20, 2 << 20, 257, 4, 16, {4, 16, 16},
                            DType::F32, false);
                 }),
                 "instruction 0 (matmul): tile 257x16 exceeds the 256x256 MAC "
                 "array of chip 0");
  ConvArgs conv;
  conv.inHw = {16, 32};
  conv.outHw = {16, 32};
  conv.outRows = {0, 9}; // 9 rows x 32 = 288 pixels > 256
  conv.weight = 4096;
  conv.output = 8192;
  expectRejected(
      singleProgram([&](BinaryBuilder &b) { b.conv(conv); }),
      "instruction 0 (conv): tile of 288 pixels x 1 channels exceeds the "
      "256x256 MAC array");
}

TEST(Loader, RejectsBadEnums) {
  expectRejected(
      singleProgram([&](BinaryBuilder &b) {
        b.raw(fb::Instr::Vector,
              fb::CreateVector(b.fbb(), 20, 0, false, 0, 0, 0, 4).Union());
      }),
      "instruction 0 (vector): field 'kind' has unknown value 20 "
      "(expected 0-19)");
  expectRejected(singleProgram([&](BinaryBuilder &b) {
                   b.raw(fb::Instr::Fill,
                         fb::CreateFill(b.fbb(), 0, 4, 0.0f, 6).Union());
                 }),
                 "instruction 0 (fill): field 'dtype' has unknown value 6");
  expectRejected(singleProgram([&](BinaryBuilder &b) {
                   b.raw(fb::Instr::Signal,
                         fb::CreateSignal(b.fbb(), 0, 7).Union());
                 }),
                 "instruction 0 (signal): field 'engine' has unknown value 7");
  expectRejected(singleProgram([&](BinaryBuilder &b) {
                   b.raw(static_cast<fb::Instr>(42),
                         fb::CreateHalt(b.fbb()).Union());
                 }),
                 "instruction 0 (?): unknown instruction type 42");
}

TEST(Loader, RejectsFixedLengthVectors) {
  expectRejected(singleProgram([&](BinaryBuilder &b) {
                   b.dmaIn(0, 0, 1, 64, {64, 64, 64});
                 }),
                 "instruction 0 (dma_in): field 'strides' must have 2 "
                 "entries (got 3)");
  expectRejected(singleProgram([&](BinaryBuilder &b) {
                   b.matmul(0, 64, 128, 1, 1, 1, {1, 1}, DType::F32, false);
                 }),
                 "field 'lds' must have 3 entries (got 2)");
  ConvArgs conv;
  conv.pads = {0, 0};
  conv.weight = 64;
  conv.output = 128;
  expectRejected(singleProgram([&](BinaryBuilder &b) { b.conv(conv); }),
                 "field 'pads' must have 4 entries (got 2)");
  expectRejected(singleProgram([&](BinaryBuilder &b) {
                   b.reduce(cost::ReduceOp::Sum, 0, 64, {1, 2, 3, 4});
                 }),
                 "field 'shape' must have 3 entries (got 4)");
}

TEST(Loader, RejectsOperandsTheVerifiersReject) {
  expectRejected(singleProgram([&](BinaryBuilder &b) { b.dmaIn(-8, 0, 64); }),
                 "field 'dram' must be non-negative (got -8)");
  expectRejected(singleProgram([&](BinaryBuilder &b) { b.fill(0, 0, 1.0f); }),
                 "field 'count' must be positive (got 0)");
  expectRejected(singleProgram([&](BinaryBuilder &b) {
                   b.dmaIn(0, 0, 2, 64, {64, 32});
                 }),
                 "destination rows overlap: stride 32 is less than row_bytes "
                 "64");
  expectRejected(singleProgram([&](BinaryBuilder &b) {
                   b.matmul(0, 64, 128, 2, 4, 4, {3, 4, 4}, DType::F32, false);
                 }),
                 "row strides [3, 4, 4] must be at least [k, n, n] = [4, 4, "
                 "4]");
  expectRejected(singleProgram([&](BinaryBuilder &b) {
                   b.matmul(0, 64, 128, 1, 1, 1, {1, 1, 1}, DType::I32, false);
                 }),
                 "i32 is not a MAC-array operand type");
  expectRejected(singleProgram([&](BinaryBuilder &b) {
                   b.vector(VectorOp::Add, 0, 64, 4);
                 }),
                 "a binary operation needs an operand b and its b_bcast");
  expectRejected(singleProgram([&](BinaryBuilder &b) {
                   b.vector(VectorOp::Quantize, 0, 64, 4, DType::F32);
                 }),
                 "quantize and dequantize need an 8-bit dtype, got f32");
  expectRejected(singleProgram([&](BinaryBuilder &b) {
                   b.vector(VectorOp::Relu, 0, 64, 4, DType::I8);
                 }),
                 "needs a floating-point dtype, got i8");
  PoolArgs pool;
  pool.inHw = {8, 8};
  pool.outHw = {5, 4};
  pool.kernel = {2, 2};
  pool.strides = {2, 2};
  pool.dst = 1024;
  expectRejected(singleProgram([&](BinaryBuilder &b) { b.pool(pool); }),
                 "output size 5 in dimension 0 does not match the window "
                 "sweep (4)");
  expectRejected(
      singleProgram([&](BinaryBuilder &b) {
        b.resize(cost::ResizeMode::Linear, 0, 64, 1, {2, 2}, {4, 4}, {4, 0});
      }),
      "modes [4, 0] are not valid coordinate/nearest modes (0-3)");
  expectRejected(singleProgram([&](BinaryBuilder &b) {
                   b.fill(0, 2, 0.0f)
                       .exitCheck(0, 2, DType::F32, ConfidenceMeasure::MaxProb,
                                  1.5f, 1);
                   b.halt();
                 }),
                 "threshold 1.500000 must be in [0, 1]");
}

TEST(Loader, RejectsHostRangesOutsideTensors) {
  expectRejected(
      singleProgram([&](BinaryBuilder &b) { b.loadInput(3, 0, 0, 64); }),
      "instruction 0 (load_input): input 3 is out of range (the "
      "model has 1 inputs)");
  expectRejected(
      singleProgram([&](BinaryBuilder &b) { b.storeOutput(0, 32, 0, 64); }),
      "instruction 0 (store_output): bytes [32, 96) lie outside "
      "tensor 'y' (64 bytes)");
}

TEST(Loader, RejectsPeersWithoutLinks) {
  // mesh-2x2: chips 0 and 3 are diagonal, with no direct link.
  expectRejected(
      singleProgram([&](BinaryBuilder &b) { b.send(0, 64, 3, 0); }, "mesh-2x2"),
      "instruction 0 (send): needs a direct link between chips 0 "
      "and 3");
  expectRejected(
      singleProgram([&](BinaryBuilder &b) { b.recv(0, 64, 9, 0); }, "mesh-2x2"),
      "instruction 0 (recv): chip 9 is not in system 'mesh-2x2'");
  expectRejected(singleProgram([&](BinaryBuilder &b) { b.escalate(0); }),
                 "instruction 0 (escalate): names its own chip 0");
  expectRejected(singleProgram([&](BinaryBuilder &b) { b.escalate(5); }),
                 "instruction 0 (escalate): chip 5 is not in system 'single'");
}

TEST(Loader, RejectsMissingFinalHalt) {
  BinaryBuilder b(preset("single"));
  b.program("p", 0).fill(0, 4, 0.0f);
  expectRejected(b.finish(), "program 'p' (chip 0): the instruction stream "
                             "does not end with halt");
  BinaryBuilder empty(preset("single"));
  empty.program("p", 0);
  expectRejected(empty.finish(), "the instruction stream is empty");
  BinaryBuilder early(preset("single"));
  early.program("p", 0).halt().fill(0, 4, 0.0f).halt();
  expectRejected(early.finish(), "instruction 0 (halt): halt does not end "
                                 "the stream or an exit path");
}

TEST(Loader, RejectsExitPathPastTheEnd) {
  BinaryBuilder b(preset("single"));
  b.program("p", 0)
      .fill(0, 4, 0.0f)
      .exitCheck(0, 4, DType::F32, ConfidenceMeasure::MaxProb, 0.5f, 2)
      .halt();
  expectRejected(b.finish(), "instruction 1 (exit_check): exit_path_length 2 "
                             "runs past the end of the stream");
  // The exit path must end with its own halt.
  BinaryBuilder c(preset("single"));
  c.program("p", 0)
      .fill(0, 4, 0.0f)
      .exitCheck(0, 4, DType::F32, ConfidenceMeasure::MaxProb, 0.5f, 1)
      .fill(0, 4, 0.0f)
      .halt();
  expectRejected(c.finish(), "the exit path of the exit check at instruction "
                             "1 does not end with halt");
  BinaryBuilder d(preset("single"));
  d.program("p", 0)
      .fill(0, 4, 0.0f)
      .exitCheck(0, 4, DType::F32, ConfidenceMeasure::MaxProb, 0.5f, 0)
      .halt();
  expectRejected(d.finish(), "exit_path_length must be at least 1");
}

TEST(Loader, RejectsWaitWithoutEarlierSignal) {
  BinaryBuilder b(preset("single"));
  b.program("p", 0).wait(3, Engine::Mac).signal(3, Engine::DmaIn).halt();
  expectRejected(b.finish(), "instruction 0 (wait): is wait 1 on token 3 but "
                             "only 0 signal(s) of it precede it on this path");
  // A signal inside an exit path does not count after the path.
  BinaryBuilder c(preset("single"));
  c.program("p", 0)
      .fill(0, 4, 0.0f)
      .exitCheck(0, 4, DType::F32, ConfidenceMeasure::MaxProb, 0.5f, 2)
      .signal(1, Engine::Vector)
      .halt()
      .wait(1, Engine::Mac)
      .halt();
  expectRejected(c.finish(), "instruction 4 (wait): is wait 1 on token 1");
  // ... but one before the check counts inside it.
  BinaryBuilder d(preset("single"));
  d.program("p", 0)
      .signal(1, Engine::Vector)
      .fill(0, 4, 0.0f)
      .exitCheck(0, 4, DType::F32, ConfidenceMeasure::MaxProb, 0.5f, 2)
      .wait(1, Engine::Mac)
      .halt()
      .wait(1, Engine::Mac)
      .halt();
  std::vector<uint8_t> ok = d.finish();
  EXPECT_TRUE(loadModel(ok.data(), ok.size()).ok());
}

TEST(Loader, RejectsProgramAndSystemErrors) {
  BinaryBuilder dup(preset("e1-package"));
  dup.program("a", 0).halt();
  dup.program("b", 0).halt();
  expectRejected(dup.finish(), "program 'b' (programs[1], chip 0): chip 0 "
                               "already has a program ('a')");
  BinaryBuilder missing(preset("single"));
  missing.program("a", 4).halt();
  expectRejected(missing.finish(), "chip 4 is not in system 'single'");
  BinaryBuilder none(preset("single"));
  expectRejected(none.finish(), "the model has no programs");

  SystemDesc broken = preset("single");
  broken.chips[0].clockMhz = 3000;
  BinaryBuilder sys(broken);
  sys.program("p", 0).halt();
  expectRejected(sys.finish(), "system: chips[0].clock_mhz: clock of 3000 "
                               "MHz does not divide 1000000");
  SystemDesc huge = preset("single");
  huge.chips[0].sramBytes = int64_t(1) << 50;
  BinaryBuilder big(huge);
  big.program("p", 0).halt();
  expectRejected(big.finish(), "system: chips[0].sram_bytes: "
                               "1125899906842624 exceeds the limit of "
                               "1099511627776");
}

TEST(Loader, RejectsSegmentsAndBudgets) {
  BinaryBuilder seg(preset("single"));
  seg.program("p", 0).halt().segment((int64_t(2) << 30) - 2, {1, 2, 3, 4});
  expectRejected(seg.finish(), "segments[0]: bytes [2147483646, 2147483650) "
                               "lie outside the DRAM of chip 0");
  BinaryBuilder busy(preset("single"));
  busy.program("p", 0).halt().budget("full", 1, {0, 0, 0, 0, 0, 0});
  expectRejected(busy.finish(), "budgets[0]: field 'engine_busy' must have 7 "
                                "entries (got 6)");
  BinaryBuilder path(preset("single"));
  path.program("p", 0).halt().budget("exit 1", 1, {0, 0, 0, 0, 0, 0, 1});
  expectRejected(path.finish(), "path 'exit 1' is neither 'full' nor 'exit N' "
                                "with N in [1, 0]");
  BinaryBuilder dram(preset("single"));
  dram.program("p", 0).halt().budget("full", 1, {0, 0, 0, 0, 0, 0, 1}, 0, 0, 0,
                                     0, 0, /*peakDramBytes=*/-1);
  expectRejected(dram.finish(), "budgets[0]: field 'peak_dram_bytes' must be "
                                "non-negative (got -1)");
}

TEST(Loader, ReadsEveryBudgetCounter) {
  BinaryBuilder b(preset("single"));
  b.program("p", 0).halt().budget("full", 1, {1, 2, 3, 4, 5, 6, 7}, 8, 9, 10,
                                  11, 12, 13);
  Model model = mustLoad(b.finish());
  const Budget *budget = model.programs[0].findBudget("full");
  ASSERT_TRUE(budget);
  EXPECT_EQ(budget->cycles, 1);
  EXPECT_EQ(budget->engineBusy[6], 7);
  EXPECT_EQ(budget->hostBytes, 8);
  EXPECT_EQ(budget->dramBytes, 9);
  EXPECT_EQ(budget->linkBytes, 10);
  EXPECT_EQ(budget->peakSramBytes, 11);
  EXPECT_EQ(budget->energyFj, 12);
  EXPECT_EQ(budget->peakDramBytes, 13);
}

TEST(Loader, RejectsBadSignatures) {
  BinaryBuilder b(preset("single"));
  b.input("x", DType::F32, {4}).input("x", DType::F32, {4});
  b.program("p", 0).halt();
  expectRejected(b.finish(), "inputs[1] ('x'): duplicate tensor name");
  BinaryBuilder c(preset("single"));
  c.output("y", DType::F32, {4, -1});
  c.program("p", 0).halt();
  expectRejected(c.finish(), "outputs[0] ('y'): shape[1] must be non-negative");
}

//===----------------------------------------------------------------------===//
// Robustness: no input crashes the loader.
//===----------------------------------------------------------------------===//

TEST(Loader, EveryPrefixIsRejectedWithoutCrashing) {
  std::vector<uint8_t> bytes = validBinary();
  for (size_t size = 0; size < bytes.size(); ++size) {
    // A fresh copy of exactly `size` bytes, so that ASan would see any read
    // past its end.
    std::vector<uint8_t> prefix(bytes.begin(), bytes.begin() + size);
    LoadResult result = loadModel(prefix.data(), prefix.size());
    // FlatBuffers may end with a few bytes of alignment padding that
    // nothing references; cutting only those leaves a valid file.
    if (result.ok())
      EXPECT_GE(size + 8, bytes.size()) << "prefix of " << size << " bytes";
    else
      EXPECT_FALSE(result.error.empty());
  }
  EXPECT_TRUE(loadModel(bytes.data(), bytes.size()).ok());
}

TEST(Loader, CorruptedBytesNeverCrash) {
  std::vector<uint8_t> bytes = validBinary();
  uint32_t state = 12345;
  auto next = [&] {
    state = state * 1664525u + 1013904223u;
    return state >> 8;
  };
  int accepted = 0;
  for (int round = 0; round < 3000; ++round) {
    std::vector<uint8_t> copy = bytes;
    int flips = 1 + static_cast<int>(next() % 4);
    for (int f = 0; f < flips; ++f)
      copy[next() % copy.size()] = static_cast<uint8_t>(next());
    LoadResult result = loadModel(copy.data(), copy.size());
    if (result.ok())
      ++accepted;
    else
      EXPECT_FALSE(result.error.empty());
  }
  // Some flips hit budgets or padding and leave a valid model; most do not.
  EXPECT_LT(accepted, 3000);
}

//===----------------------------------------------------------------------===//
// The early-exit table (Model.early_exit) and standby budgets
//===----------------------------------------------------------------------===//

EarlyExit validTable() {
  EarlyExit table;
  table.measure = ConfidenceMeasure::Margin;
  table.output = "y";
  table.answer = AnswerKind::Probabilities;
  table.fromChip = 0;
  table.toChip = 1;
  table.gates = {{"after conv_1", 0.5, 0.25}, {"after conv_2", 0.75, 0.5}};
  table.returnThreshold = 0.95;
  table.idleWindowPs = 222000000;
  table.escalationRate = 0.25;
  table.calibration = {2000, 0.92, 0.921, 1.2e7, 1.0e7};
  return table;
}

/// A cascade on the e1-package: chip 0 has two exit checks (thresholds
/// 0.5 and 0.75, the second nested in the first's exit path) and
/// escalates to chip 1, which stores `y`. `edit` changes the table;
/// `program` replaces chip 0's program.
std::vector<uint8_t>
cascade(const std::function<void(EarlyExit &)> &edit = nullptr,
        const std::function<void(BinaryBuilder &)> &program = nullptr) {
  BinaryBuilder b(preset("e1-package"), "cascade");
  b.input("x", DType::F32, {4});
  b.output("y", DType::F32, {4});
  b.output("aux", DType::F32, {4});
  b.program("small", 0);
  if (program) {
    program(b);
  } else {
    b.fill(0, 4, 0.0f)
        .exitCheck(0, 4, DType::F32, ConfidenceMeasure::Margin, 0.5f, 3)
        .exitCheck(0, 4, DType::F32, ConfidenceMeasure::Margin, 0.75f, 1)
        .halt()
        .halt()
        .escalate(1)
        .send(0, 16, 1, 0)
        .halt();
  }
  b.program("big", 1)
      .recv(0, 16, 0, 0)
      .signal(0, Engine::LinkRx)
      .wait(0, Engine::DmaOut)
      .dmaOut(0, 0, 16)
      .storeOutput(0, 0, 0, 16)
      .halt();
  EarlyExit table = validTable();
  if (edit)
    edit(table);
  b.earlyExit(table);
  return b.finish();
}

TEST(Loader, DecodesEarlyExitTable) {
  Model model = mustLoad(cascade());
  ASSERT_TRUE(model.earlyExit.has_value());
  const EarlyExit &table = *model.earlyExit;
  EXPECT_EQ(table.measure, ConfidenceMeasure::Margin);
  EXPECT_EQ(table.answer, AnswerKind::Probabilities);
  EXPECT_EQ(table.output, "y");
  EXPECT_EQ(table.fromChip, 0);
  EXPECT_EQ(table.toChip, 1);
  ASSERT_EQ(table.gates.size(), 2u);
  EXPECT_EQ(table.gates[1].split, "after conv_2");
  EXPECT_EQ(table.gates[1].threshold, 0.75);
  EXPECT_EQ(table.gates[1].exitRate, 0.5);
  EXPECT_EQ(table.returnThreshold, 0.95);
  EXPECT_EQ(table.idleWindowPs, 222000000);
  EXPECT_EQ(table.escalationRate, 0.25);
  EXPECT_EQ(table.calibration.samples, 2000);
  EXPECT_EQ(table.calibration.fullAccuracy, 0.921);
  EXPECT_EQ(table.calibration.expectedEnergyFj, 1.2e7);
  EXPECT_EQ(table.calibration.expectedLatencyPs, 1.0e7);
  // Without the table, none.
  EXPECT_FALSE(mustLoad(validBinary()).earlyExit.has_value());
}

TEST(Loader, RejectsEarlyExitValues) {
  struct Case {
    std::function<void(EarlyExit &)> edit;
    std::string error;
  };
  const std::vector<Case> cases = {
      {[](EarlyExit &t) { t.output = ""; },
       "early_exit: output: must name a model output"},
      {[](EarlyExit &t) { t.fromChip = 7; },
       "early_exit: from_chip: chip 7 is not in system 'e1-package'"},
      {[](EarlyExit &t) { t.toChip = -1; },
       "early_exit: to_chip: chip -1 is not in system 'e1-package'"},
      {[](EarlyExit &t) { t.toChip = 0; },
       "early_exit: to_chip: must differ from from_chip (0)"},
      {[](EarlyExit &t) { t.gates[1].threshold = 1.5; },
       "early_exit: gates[1].threshold: must be in [0, 1], got 1.5"},
      {[](EarlyExit &t) { t.gates[0].exitRate = -0.25; },
       "early_exit: gates[0].exit_rate: must be in [0, 1], got -0.25"},
      {[](EarlyExit &t) { t.gates[0].exitRate = std::nan(""); },
       "early_exit: gates[0].exit_rate: must be in [0, 1], got nan"},
      {[](EarlyExit &t) { t.returnThreshold = 2; },
       "early_exit: return_threshold: must be in [0, 1], got 2"},
      {[](EarlyExit &t) { t.idleWindowPs = -5; },
       "early_exit: idle_window_ps: must be non-negative, got -5"},
      {[](EarlyExit &t) { t.escalationRate = 1.25; },
       "early_exit: escalation_rate: must be in [0, 1], got 1.25"},
      {[](EarlyExit &t) { t.calibration.samples = 0; },
       "early_exit: calibration.samples: must be positive, got 0"},
      {[](EarlyExit &t) { t.calibration.accuracy = 92; },
       "early_exit: calibration.accuracy: must be in [0, 1], got 92"},
      {[](EarlyExit &t) { t.calibration.fullAccuracy = -1; },
       "early_exit: calibration.full_accuracy: must be in [0, 1], got -1"},
      {[](EarlyExit &t) { t.calibration.expectedEnergyFj = -1; },
       "early_exit: calibration.expected_energy_fj: must be in [0, 2^63), "
       "got -1"},
      {[](EarlyExit &t) { t.calibration.expectedLatencyPs = INFINITY; },
       "early_exit: calibration.expected_latency_ps: must be in [0, 2^63), "
       "got inf"},
      {[](EarlyExit &t) { t.output = "z"; },
       "early_exit: output: 'z' is not an output of the model (outputs: y, "
       "aux)"},
      {[](EarlyExit &t) { t.output = "aux"; },
       "early_exit: output: program 'big' (chip 1) never stores 'aux'"},
      {[](EarlyExit &t) { t.gates.pop_back(); },
       "early_exit: gates: 1 gate(s) but program 'small' (chip 0) has 2 exit "
       "check(s)"},
      {[](EarlyExit &t) { t.gates[1].threshold = 0.7; },
       "early_exit: gates[1].threshold: 0.700000 differs from the threshold "
       "0.750000 of exit check 2 (program 'small' (chip 0) instruction 2)"},
  };
  for (const Case &c : cases)
    expectRejected(cascade(c.edit), c.error);
  // Thresholds are compared as f32: 0.1 is not a float, but it is the
  // check's threshold once rounded.
  Model rounded = mustLoad(cascade(
      [](EarlyExit &t) { t.gates[0].threshold = 0.1; },
      [](BinaryBuilder &b) {
        b.fill(0, 4, 0.0f)
            .exitCheck(0, 4, DType::F32, ConfidenceMeasure::Margin, 0.1f, 3)
            .exitCheck(0, 4, DType::F32, ConfidenceMeasure::Margin, 0.75f, 1)
            .halt()
            .halt()
            .escalate(1)
            .send(0, 16, 1, 0)
            .halt();
      }));
  EXPECT_EQ(rounded.earlyExit->gates[0].threshold, 0.1);
}

TEST(Loader, RejectsEarlyExitProgramMismatches) {
  // The table's chips need programs; to_chip must be woken on the full
  // path of from_chip's program.
  auto noEscalate = [](BinaryBuilder &b) {
    b.fill(0, 4, 0.0f)
        .exitCheck(0, 4, DType::F32, ConfidenceMeasure::Margin, 0.5f, 4)
        .exitCheck(0, 4, DType::F32, ConfidenceMeasure::Margin, 0.75f, 1)
        .halt()
        .escalate(1) // Only on the exit path of the first check.
        .halt()
        .send(0, 16, 1, 0)
        .halt();
  };
  expectRejected(cascade(nullptr, noEscalate),
                 "early_exit: to_chip: chip 1 is not woken by an escalate on "
                 "the full path of program 'small' (chip 0), so it does not "
                 "start asleep");

  // A single program on chip 0: the table's to_chip has none.
  BinaryBuilder one(preset("e1-package"));
  one.output("y", DType::F32, {4});
  one.program("p", 0).dmaOut(0, 0, 16).storeOutput(0, 0, 0, 16).halt();
  EarlyExit table = validTable();
  table.gates.clear();
  one.earlyExit(table);
  expectRejected(one.finish(), "early_exit: to_chip: chip 1 has no program");
  BinaryBuilder other(preset("e1-package"));
  other.output("y", DType::F32, {4});
  other.program("p", 1).dmaOut(0, 0, 16).storeOutput(0, 0, 0, 16).halt();
  other.earlyExit(table);
  expectRejected(other.finish(),
                 "early_exit: from_chip: chip 0 has no program");
}

TEST(Loader, RejectsEarlyExitCodes) {
  auto withCodes = [](uint8_t measure, uint8_t answer, bool calibration) {
    BinaryBuilder b(preset("e1-package"));
    b.output("y", DType::F32, {4});
    b.program("p", 0).halt();
    std::vector<flatbuffers::Offset<fb::ExitGate>> gates;
    auto c = calibration ? fb::CreateCalibration(b.fbb(), 1, 0.5, 0.5, 0, 0)
                         : flatbuffers::Offset<fb::Calibration>();
    b.earlyExit(fb::CreateEarlyExitDirect(b.fbb(), measure, "y", answer, 0, 1,
                                          &gates, 0.5, 0, 0.5, c));
    return b.finish();
  };
  expectRejected(withCodes(3, 0, true),
                 "early_exit: measure: unknown code 3 (0 max_prob, 1 margin, "
                 "2 entropy)");
  expectRejected(withCodes(0, 2, true),
                 "early_exit: answer: unknown code 2 (0 logits, 1 "
                 "probabilities)");
  expectRejected(withCodes(0, 0, false), "early_exit: calibration: missing");
}

TEST(Loader, CorruptedEarlyExitTablesNeverCrash) {
  std::vector<uint8_t> bytes = cascade();
  // Cut anywhere before its last (padding) bytes, the file is rejected.
  for (size_t size = 0; size + 8 < bytes.size(); size += 7) {
    LoadResult result = loadModel(bytes.data(), size);
    EXPECT_FALSE(result.ok()) << size;
    EXPECT_FALSE(result.error.empty()) << size;
  }
  uint32_t state = 777;
  auto next = [&] {
    state = state * 1664525u + 1013904223u;
    return state >> 8;
  };
  for (int round = 0; round < 2000; ++round) {
    std::vector<uint8_t> copy = bytes;
    int flips = 1 + static_cast<int>(next() % 3);
    for (int f = 0; f < flips; ++f)
      copy[next() % copy.size()] = static_cast<uint8_t>(next());
    LoadResult result = loadModel(copy.data(), copy.size());
    if (!result.ok())
      EXPECT_FALSE(result.error.empty());
    else if (result.model->earlyExit)
      EXPECT_EQ(result.model->earlyExit->gates.size(),
                result.model->findProgram(result.model->earlyExit->fromChip)
                    ->exitChecks);
  }
}

TEST(Loader, ReadsAndChecksStandbyBudgets) {
  auto budgets = [](bool bigStandby, bool smallStandby, bool twice) {
    BinaryBuilder b(preset("e1-package"));
    b.program("small", 0).escalate(1).halt();
    if (smallStandby)
      b.budget("full", 2, {0, 0, 0, 0, 0, 0, 2}, 0, 0, 0, 0, 0, 0, true);
    b.program("big", 1).halt().budget("full", 1, {0, 0, 0, 0, 0, 0, 1}, 0, 0, 0,
                                      0, 44, 0);
    if (bigStandby)
      b.budget("full", 1, {0, 0, 0, 0, 0, 0, 1}, 0, 0, 0, 0, 55, 0, true);
    if (twice)
      b.budget("full", 1, {0, 0, 0, 0, 0, 0, 1}, 0, 0, 0, 0, 66, 0, true);
    return b.finish();
  };
  Model model = mustLoad(budgets(true, false, false));
  const Program &big = model.programs[1];
  ASSERT_EQ(big.budgets.size(), 1u);
  ASSERT_EQ(big.standbyBudgets.size(), 1u);
  EXPECT_EQ(big.findBudget("full")->energyFj, 44);
  EXPECT_TRUE(big.findBudget("full", true)->standby);
  EXPECT_EQ(big.findBudget("full", true)->energyFj, 55);
  expectRejected(budgets(false, true, false),
                 "program 'small' (programs[0], chip 0) budgets[0]: a standby "
                 "budget, but no escalate targets chip 0, so it never starts "
                 "asleep");
  expectRejected(budgets(true, false, true),
                 "budgets[2]: duplicate standby budget for path 'full'");
}

//===----------------------------------------------------------------------===//
// Fuzzing seeds: runtime/test/fuzz/corpus holds small valid binaries for
// npurt-loader-fuzzer. Set NPURT_WRITE_CORPUS=1 to regenerate them (after a
// format change); this test then checks that every seed still loads.
//===----------------------------------------------------------------------===//

std::vector<uint8_t> meshSeed() {
  BinaryBuilder b(preset("mesh-2x2"), "mesh-seed");
  b.input("x", DType::F16, {2, 8, 8});
  b.output("y", DType::F32, {2, 4, 4});
  PoolArgs pool;
  pool.kind = cost::PoolOp::Avg;
  pool.src = 0;
  pool.dst = 512;
  pool.channels = 2;
  pool.inHw = {8, 8};
  pool.outHw = {4, 4};
  pool.kernel = {3, 3};
  pool.strides = {2, 2};
  pool.pads = {1, 1, 1, 1};
  pool.dtype = DType::F16;
  pool.countIncludePad = true;
  b.program("a", 0)
      .loadInput(0, 0, 0, 256)
      .dmaIn(0, 0, 256)
      .signal(0, Engine::DmaIn)
      .wait(0, Engine::Vector)
      .pool(pool)
      .resize(cost::ResizeMode::Linear, 512, 1024, 2, {4, 4}, {4, 4}, {0, 0},
              DType::F16)
      .copy(1024, 2048, {1, 2, 4, 4}, {0, 16, 4, 1}, {0, 16, 1, 4}, DType::F16)
      .signal(1, Engine::Vector)
      .wait(1, Engine::LinkTx)
      .send(2048, 64, 2, 1)
      .halt();
  b.program("b", 2)
      .recv(0, 64, 0, 1)
      .signal(0, Engine::LinkRx)
      .wait(0, Engine::Vector)
      .vector(VectorOp::Copy, 0, 64, 32, DType::F16)
      .signal(1, Engine::Vector)
      .wait(1, Engine::DmaOut)
      .dmaOut(64, 0, 64)
      .halt();
  return b.finish();
}

TEST(Loader, FuzzCorpusSeedsLoad) {
  // The fuzzer's seeds are generated (never committed): with
  // NPURT_WRITE_CORPUS set, this test writes them to
  // runtime/test/fuzz/corpus/. make test seeds its fuzz run with binaries
  // compiled from the shipped examples instead.
  const std::vector<std::pair<std::string, std::vector<uint8_t>>> seeds = {
      {"valid.npub", validBinary()},
      {"mesh.npub", meshSeed()},
      {"cascade.npub", cascade()}};
  for (const auto &[name, bytes] : seeds) {
    LoadResult fresh = loadModel(bytes.data(), bytes.size());
    EXPECT_TRUE(fresh.ok()) << name << ": " << fresh.error;
  }
  if (!std::getenv("NPURT_WRITE_CORPUS"))
    return;
  const std::string dir = std::string(NPURT_SOURCE_DIR) + "/test/fuzz/corpus/";
  for (const auto &[name, bytes] : seeds) {
    ASSERT_LT(bytes.size(), 4096u) << name;
    std::ofstream file(dir + name, std::ios::binary);
    file.write(reinterpret_cast<const char *>(bytes.data()),
               static_cast<std::streamsize>(bytes.size()));
    ASSERT_TRUE(file.good()) << "cannot write " << dir + name;
  }
}

} // namespace
