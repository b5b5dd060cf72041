//===- NPUISAOps.h - NPU instruction-level operations -----------*- C++ -*-===//
//
// Operation classes of the `npuisa` dialect (generated from NPUISAOps.td).
//
//===----------------------------------------------------------------------===//

#ifndef NPU_DIALECT_NPUISA_NPUISAOPS_H
#define NPU_DIALECT_NPUISA_NPUISAOPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/SymbolTable.h"
#include "npu/Dialect/NPUISA/NPUISADialect.h"

#define GET_OP_CLASSES
#include "NPUISA/NPUISAOps.h.inc"

namespace mlir::npuisa {

/// Checks the module's `npu.early_exit` (when it has one) against its
/// npuisa programs: from_chip's program has exactly one exit check per gate,
/// in exit order (stream order, nested checks included), each with the
/// gate's threshold as f32; its full path escalates to to_chip, which has a
/// program that stores `output`; `output` is in `npu.outputs`. The
/// attribute's own form and values are checked by the npu dialect's
/// verifier. Reports the first problem on the module, naming the key.
LogicalResult verifyEarlyExit(ModuleOp module);

} // namespace mlir::npuisa

#endif // NPU_DIALECT_NPUISA_NPUISAOPS_H
