//===- NPUOps.h - NPU graph-level operations --------------------*- C++ -*-===//
//
// Operation classes of the `npu` dialect (generated from NPUOps.td).
//
//===----------------------------------------------------------------------===//

#ifndef NPU_DIALECT_NPU_NPUOPS_H
#define NPU_DIALECT_NPU_NPUOPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/Dialect/Traits.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/IR/TypeUtilities.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "npu/Dialect/NPU/NPUDialect.h"

#define GET_OP_CLASSES
#include "NPU/NPUOps.h.inc"

#endif // NPU_DIALECT_NPU_NPUOPS_H
