//===- SetSystem.cpp - Attach a system description to a module -----------===//
//
// `npu-set-system="<preset|file.json>"`: the one way a module learns what it
// is compiled for. Every later pass reads the attribute this pass attaches.
//
//===----------------------------------------------------------------------===//

#include "npu/Dialect/NPU/NPUDialect.h"
#include "npu/Target/SystemDescription.h"
#include "npu/Transforms/Passes.h"

#define DEBUG_TYPE "npu-set-system"

namespace mlir::npu {
#define GEN_PASS_DEF_SETSYSTEMPASS
#include "npu/Transforms/Passes.h.inc"
} // namespace mlir::npu

using namespace mlir;
using namespace mlir::npu;

namespace {
struct SetSystemPass : public mlir::npu::impl::SetSystemPassBase<SetSystemPass> {
  using SetSystemPassBase::SetSystemPassBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    FailureOr<::npu::rt::SystemDesc> system =
        loadSystemDescription(this->system, module.getLoc());
    if (failed(system))
      return signalPassFailure();
    module->setAttr(NPUDialect::getSystemAttrName(),
                    toSystemAttr(&getContext(), *system));
  }
};
} // namespace
