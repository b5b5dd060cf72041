//===- Pipelines.cpp - The npu-compile pipeline ---------------------------===//
//
// `npu-opt --npu-compile="system=<preset|file> chip=N"` runs the whole flow
// from a graph of npu ops to a scheduled npuisa program with its budgets:
// attach the system, simplify, lower to the chip's instructions, schedule.
// A module of npu.program ops (one per chip) gets one scheduled program per
// chip; `chip` is then not used.
//
//===----------------------------------------------------------------------===//

#include "npu/Transforms/Passes.h"

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassOptions.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

namespace {
struct CompileOptions : public PassPipelineOptions<CompileOptions> {
  Option<std::string> system{*this, "system",
                             llvm::cl::desc("Preset name or JSON file of the "
                                            "target system"),
                             llvm::cl::init("single")};
  Option<int64_t> chip{*this, "chip",
                       llvm::cl::desc("Id of the chip to compile a single "
                                      "function for"),
                       llvm::cl::init(0)};
};
} // namespace

void mlir::npu::buildCompilePipeline(OpPassManager &pm, StringRef system,
                                     int64_t chip) {
  pm.addPass(createSetSystemPass(SetSystemPassOptions{system.str()}));
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  pm.addPass(createLowerToISAPass(LowerToISAPassOptions{chip}));
  pm.addPass(createSchedulePass());
}

void mlir::npu::registerNPUPipelines() {
  PassPipelineRegistration<CompileOptions>(
      "npu-compile",
      "Compile a graph of npu ops into a scheduled npuisa program for one "
      "chip of a system, or npu.program ops into one per chip "
      "(npu-set-system, canonicalize, cse, npu-lower-to-isa, npu-schedule)",
      [](OpPassManager &pm, const CompileOptions &options) {
        buildCompilePipeline(pm, options.system, options.chip);
      });
}
