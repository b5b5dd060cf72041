//===- Passes.h - NPU passes ------------------------------------*- C++ -*-===//
//
// Declarations and registration of every pass in Passes.td.
//
//===----------------------------------------------------------------------===//

#ifndef NPU_TRANSFORMS_PASSES_H
#define NPU_TRANSFORMS_PASSES_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"
#include "npu/Dialect/NPUISA/NPUISADialect.h"

namespace mlir::npu {

#define GEN_PASS_DECL
#include "npu/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "npu/Transforms/Passes.h.inc"

/// Appends the npu-compile flow to `pm`: npu-set-system, canonicalize, cse,
/// npu-lower-to-isa, npu-schedule.
void buildCompilePipeline(OpPassManager &pm, StringRef system, int64_t chip);

/// Registers the npu-compile pipeline.
void registerNPUPipelines();

} // namespace mlir::npu

#endif // NPU_TRANSFORMS_PASSES_H
