//===- NPUISADialect.h - NPU instruction-level dialect ----------*- C++ -*-===//
//
// The `npuisa` dialect, its enums, and the cost interface every instruction
// implements.
//
//===----------------------------------------------------------------------===//

#ifndef NPU_DIALECT_NPUISA_NPUISADIALECT_H
#define NPU_DIALECT_NPUISA_NPUISADIALECT_H

#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"
#include "npu/rt/Cost.h"
#include "npu/rt/Target.h"

#include "NPUISA/NPUISADialect.h.inc"
#include "NPUISA/NPUISAEnums.h.inc"

namespace mlir::npuisa {

/// The memories an instruction can address.
enum class MemorySpace { SRAM, DRAM };

/// One byte range an instruction reads or writes. `bytes` is the extent
/// from `offset` to one past the last byte touched (strided accesses count
/// the gaps, since they must lie inside the memory too).
struct BufferAccess {
  MemorySpace space;
  int64_t offset;
  int64_t bytes;
  bool isWrite;
  /// The operand's name, for diagnostics ("c", "dst", ...).
  StringRef what;
};

/// The runtime encoding of an element type.
::npu::rt::cost::DType toRt(DType type);
/// Bytes per element.
int64_t elementBytes(DType type);

} // namespace mlir::npuisa

#include "NPUISA/NPUISAInterfaces.h.inc"

#endif // NPU_DIALECT_NPUISA_NPUISADIALECT_H
