//===- CompilerTest.cpp - The embedding API (npu/Compiler/Compiler.h) -----===//
//
// Compiles test/models/fmnist-cnn.mlir in-process for two targets and runs
// the bytes on the simulator; checks they are deterministic and identical to
// what npu-opt | npu-translate write, and that the budgets (JSON and C++
// view) are those of npu-opt --npu-report-budgets and of the runtime's
// measurements. Then the failures: each is an llvm::Error naming the
// culprit, and nothing is printed.
//
//===----------------------------------------------------------------------===//

#include "npu/Compiler/Compiler.h"
#include "npu/InitAll.h"

#include "RunBinary.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <vector>

using npu::CompileOptions;
using npu::CompileResult;
using npu::test::runBinary;
using npu::test::RunOutcome;

namespace {

const char *const kModelPath = NPU_SOURCE_DIR "/test/models/fmnist-cnn.mlir";

std::string readFile(const std::string &path) {
  auto buffer = llvm::MemoryBuffer::getFile(path);
  if (!buffer)
    return std::string();
  return (*buffer)->getBuffer().str();
}

/// The message of `result`'s error, or "" on success.
std::string errorText(llvm::Expected<CompileResult> &result) {
  if (result)
    return std::string();
  return llvm::toString(result.takeError());
}

/// A fresh temporary file name with `suffix`, removed by the destructor.
struct TempFile {
  llvm::SmallString<128> path;
  explicit TempFile(llvm::StringRef suffix) {
    EXPECT_FALSE(llvm::sys::fs::createTemporaryFile("npu-embed", suffix, path));
  }
  ~TempFile() { llvm::sys::fs::remove(path); }
  std::string str() const { return path.str().str(); }
};

/// Runs `command` through the shell; true when it exits with 0.
bool runCommand(const std::string &command) {
  return std::system(command.c_str()) == 0;
}

std::vector<float> fmnistImage() {
  std::vector<float> image(28 * 28);
  for (size_t i = 0; i < image.size(); ++i)
    image[i] = static_cast<float>((i * 37) % 256) / 255.0f;
  return image;
}

struct Target {
  const char *system;
  int64_t chip;
};
const Target kTargets[] = {{"single", 0}, {"e1-package", 1}};

//===----------------------------------------------------------------------===//
// Successful compilation
//===----------------------------------------------------------------------===//

TEST(CompileMLIR, FmnistRunsOnTheSimulator) {
  std::string text = readFile(kModelPath);
  ASSERT_FALSE(text.empty()) << kModelPath;
  for (const Target &target : kTargets) {
    SCOPED_TRACE(std::string(target.system) + " chip " +
                 std::to_string(target.chip));
    CompileOptions options;
    options.system = target.system;
    options.chip = target.chip;
    llvm::Expected<CompileResult> result =
        npu::compileMLIR(text, options, kModelPath);
    ASSERT_TRUE(static_cast<bool>(result)) << errorText(result);
    EXPECT_FALSE(result->binary.empty());
    EXPECT_EQ(result->system, target.system);
    EXPECT_TRUE(result->diagnostics.empty()) << result->diagnostics;

    // Deterministic: the same bytes and budgets a second time.
    llvm::Expected<CompileResult> again =
        npu::compileMLIR(text, options, kModelPath);
    ASSERT_TRUE(static_cast<bool>(again)) << errorText(again);
    EXPECT_EQ(result->binary, again->binary);
    EXPECT_EQ(result->budgetsJSON, again->budgetsJSON);

    // One program, on the chip asked for, with a "full" path.
    ASSERT_EQ(result->budgets.size(), 1u);
    const npu::ProgramBudgetView &program = result->budgets[0];
    EXPECT_EQ(program.chip, target.chip);
    EXPECT_FALSE(program.chipName.empty());
    ASSERT_FALSE(program.paths.empty());
    const npu::PathBudgetView &full = program.paths.back();
    EXPECT_EQ(full.path, "full");
    EXPECT_GT(full.cycles, 0);
    EXPECT_GT(full.energyFj, 0);
    EXPECT_GT(full.hostBytes, 0);
    EXPECT_GT(full.timePs, 0);
    EXPECT_NE(result->budgetsJSON.find("\"system\": \"" +
                                       std::string(target.system) + "\""),
              std::string::npos)
        << result->budgetsJSON;

    // A real binary: it loads, runs, measures exactly its budget, and
    // computes the model. Every weight of a layer is equal, so the ten
    // logits are equal and the softmax gives 0.1 each.
    RunOutcome run =
        runBinary(result->binary, {{"image", fmnistImage()}}, "probs");
    ASSERT_TRUE(run.error.empty()) << run.error;
    ASSERT_EQ(run.output.size(), 10u);
    for (float p : run.output)
      EXPECT_NEAR(p, 0.1f, 1e-6f);

    // The C++ view is what the runtime measured.
    ASSERT_EQ(run.chips.size(), 1u);
    EXPECT_EQ(run.chips[0].chip, target.chip);
    EXPECT_EQ(run.chips[0].path, "full");
    const npu_rt_counters &measured = run.chips[0].measured;
    EXPECT_EQ(measured.cycles, full.cycles);
    EXPECT_EQ(measured.host_bytes, full.hostBytes);
    EXPECT_EQ(measured.dram_bytes, full.dramBytes);
    EXPECT_EQ(measured.link_bytes, full.linkBytes);
    EXPECT_EQ(measured.peak_sram_bytes, full.peakSramBytes);
    EXPECT_EQ(measured.peak_dram_bytes, full.peakDramBytes);
    EXPECT_EQ(measured.energy_fj, full.energyFj);
    for (int e = 0; e < NPU_RT_NUM_ENGINES; ++e)
      EXPECT_EQ(measured.engine_busy[e], full.engineBusy[e]) << "engine " << e;
  }
}

TEST(CompileMLIR, SameBytesAndBudgetsAsTheTools) {
  std::string text = readFile(kModelPath);
  ASSERT_FALSE(text.empty()) << kModelPath;
  const std::string npuOpt = NPU_TOOLS_DIR "/npu-opt";
  const std::string npuTranslate = NPU_TOOLS_DIR "/npu-translate";
  for (const Target &target : kTargets) {
    SCOPED_TRACE(std::string(target.system) + " chip " +
                 std::to_string(target.chip));
    CompileOptions options;
    options.system = target.system;
    options.chip = target.chip;
    llvm::Expected<CompileResult> result =
        npu::compileMLIR(text, options, kModelPath);
    ASSERT_TRUE(static_cast<bool>(result)) << errorText(result);

    std::string pipeline =
        "--npu-compile=system=" + std::string(target.system) +
        " chip=" + std::to_string(target.chip);
    TempFile binary(".npub"), json(".json");
    ASSERT_TRUE(runCommand("'" + npuOpt + "' '" + kModelPath + "' '" +
                           pipeline + "' | '" + npuTranslate +
                           "' --npu-to-binary -o '" + binary.str() + "'"));
    ASSERT_TRUE(
        runCommand("'" + npuOpt + "' '" + kModelPath + "' '" + pipeline +
                   "' '--npu-report-budgets=format=json output=" + json.str() +
                   "' -o /dev/null"));
    std::string toolBytes = readFile(binary.str());
    EXPECT_EQ(std::vector<uint8_t>(toolBytes.begin(), toolBytes.end()),
              result->binary);
    EXPECT_EQ(readFile(json.str()), result->budgetsJSON);
  }
}

TEST(Compile, ModuleInCallersContextIsNotModified) {
  mlir::DialectRegistry registry;
  mlir::npu::registerAllDialects(registry);
  mlir::MLIRContext context(registry);
  std::string text = readFile(kModelPath);
  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::parseSourceString<mlir::ModuleOp>(
          text, mlir::ParserConfig(&context), kModelPath);
  ASSERT_TRUE(module);
  std::string before;
  llvm::raw_string_ostream(before) << *module;

  CompileOptions options;
  options.system = "e1-package";
  options.chip = 1;
  llvm::Expected<CompileResult> result = npu::compile(*module, options);
  ASSERT_TRUE(static_cast<bool>(result)) << errorText(result);
  std::string after;
  llvm::raw_string_ostream(after) << *module;
  EXPECT_EQ(before, after);

  llvm::Expected<CompileResult> fromText =
      npu::compileMLIR(text, options, kModelPath);
  ASSERT_TRUE(static_cast<bool>(fromText)) << errorText(fromText);
  EXPECT_EQ(result->binary, fromText->binary);
  EXPECT_EQ(result->budgetsJSON, fromText->budgetsJSON);
}

//===----------------------------------------------------------------------===//
// Failures
//===----------------------------------------------------------------------===//

/// Compiles `text` with `options` expecting a failure; returns the error
/// message and checks that nothing reached stdout or stderr.
std::string compileError(const std::string &text,
                         const CompileOptions &options = {}) {
  testing::internal::CaptureStdout();
  testing::internal::CaptureStderr();
  llvm::Expected<CompileResult> result =
      npu::compileMLIR(text, options, "bad.mlir");
  std::string message = errorText(result);
  std::string out = testing::internal::GetCapturedStdout();
  std::string err = testing::internal::GetCapturedStderr();
  EXPECT_FALSE(message.empty()) << "compiled, but should have failed";
  EXPECT_EQ(out, "");
  EXPECT_EQ(err, "");
  return message;
}

const char *const kUnsupported = R"mlir(
func.func @f(%x: tensor<4xf32> {npu.name = "x"})
    -> (tensor<4xf32> {npu.name = "y"}) {
  %y = arith.addf %x, %x : tensor<4xf32>
  return %y : tensor<4xf32>
}
)mlir";

const char *const kRelu = R"mlir(
func.func @f(%x: tensor<2x4xf32> {npu.name = "x"})
    -> (tensor<2x4xf32> {npu.name = "y"}) {
  %y = npu.relu %x : tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}
)mlir";

TEST(CompileErrors, UnsupportedOpIsNamedWithItsLocation) {
  std::string message = compileError(kUnsupported);
  EXPECT_NE(message.find("bad.mlir:4:8: error: 'arith.addf' op is not "
                         "supported by npu-lower-to-isa"),
            std::string::npos)
      << message;
}

TEST(CompileErrors, UnknownSystem) {
  CompileOptions options;
  options.system = "no-such-system";
  std::string message = compileError(kRelu, options);
  EXPECT_NE(message.find("no-such-system"), std::string::npos) << message;
  EXPECT_NE(message.find("error: "), std::string::npos) << message;
}

TEST(CompileErrors, UnknownChip) {
  CompileOptions options;
  options.chip = 7;
  std::string message = compileError(kRelu, options);
  EXPECT_NE(message.find("7"), std::string::npos) << message;
}

TEST(CompileErrors, ParseError) {
  std::string message = compileError("func.func @f(%x: tensor<4xf32>) {\n"
                                     "  npu.no_such_op\n}\n");
  EXPECT_NE(message.find("bad.mlir:2:"), std::string::npos) << message;
}

TEST(CompileErrors, InputShapesAreForONNXOnly) {
  CompileOptions options;
  options.inputShapes = {{"x", {2, 4}}};
  std::string message = compileError(kRelu, options);
  EXPECT_NE(message.find("compileONNX"), std::string::npos) << message;
}

TEST(CompileErrors, CallersHandlersSeeNothing) {
  mlir::DialectRegistry registry;
  mlir::npu::registerAllDialects(registry);
  mlir::MLIRContext context(registry);
  int seen = 0;
  mlir::ScopedDiagnosticHandler counter(&context, [&](mlir::Diagnostic &) {
    ++seen;
    return mlir::success();
  });
  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::parseSourceString<mlir::ModuleOp>(
          kUnsupported, mlir::ParserConfig(&context), "bad.mlir");
  ASSERT_TRUE(module);
  llvm::Expected<CompileResult> result = npu::compile(*module, {});
  std::string message = errorText(result);
  EXPECT_NE(message.find("'arith.addf' op is not supported"), std::string::npos)
      << message;
  EXPECT_EQ(seen, 0);
}

} // namespace
