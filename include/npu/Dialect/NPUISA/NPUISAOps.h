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

#endif // NPU_DIALECT_NPUISA_NPUISAOPS_H
