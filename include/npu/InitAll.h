//===- InitAll.h - Register everything npu provides -------------*- C++ -*-===//
//
// One call each for tools and embedders: the dialects npu reads (its own,
// and what framework importers emit), its passes, its translations.
//
//===----------------------------------------------------------------------===//

#ifndef NPU_INITALL_H
#define NPU_INITALL_H

#include "mlir/IR/DialectRegistry.h"

namespace mlir::npu {

/// The npu and npuisa dialects plus func, arith, tensor, linalg and tosa.
void registerAllDialects(DialectRegistry &registry);

/// Every npu pass, plus canonicalize and cse.
void registerAllPasses();

/// Every npu translation (for npu-translate).
void registerAllTranslations();

} // namespace mlir::npu

#endif // NPU_INITALL_H
