//===- Schedule.cpp - Attach the static schedule to instructions ----------===//
//
// `npu-schedule`: exposes ScheduleAnalysis on the IR so tests (and people)
// can check when every instruction starts and how long it takes.
//
//===----------------------------------------------------------------------===//

#include "npu/Analysis/Schedule.h"
#include "npu/Transforms/Passes.h"

#include "mlir/IR/Builders.h"

#define DEBUG_TYPE "npu-schedule"

namespace mlir::npu {
#define GEN_PASS_DEF_SCHEDULEPASS
#include "npu/Transforms/Passes.h.inc"
} // namespace mlir::npu

using namespace mlir;
using namespace mlir::npu;

namespace {
struct SchedulePass : public mlir::npu::impl::SchedulePassBase<SchedulePass> {
  void runOnOperation() override {
    auto &analysis = getAnalysis<ScheduleAnalysis>();
    if (analysis.failed())
      return signalPassFailure();
    Builder b(&getContext());
    getOperation().walk([&](npuisa::CostOpInterface instr) {
      if (std::optional<InstrTiming> t = analysis.getTiming(instr)) {
        instr->setAttr("npuisa.schedule",
                       b.getDenseI64ArrayAttr({t->start, t->cycles}));
        ++numScheduled;
      }
    });
    markAllAnalysesPreserved();
  }
};
} // namespace
