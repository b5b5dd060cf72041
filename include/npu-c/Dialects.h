/*===- npu-c/Dialects.h - C API: npu dialects and passes ----------*- C -*-===//
 *
 * Registration of the npu and npuisa dialects and of npu's passes through
 * MLIR's C API, as upstream dialects do (mlir-c/Dialect/Func.h, ...): a
 * host that drives MLIR from C or Python gets a dialect handle and registers
 * it with its context,
 *
 *   mlirDialectHandleRegisterDialect(mlirGetDialectHandle__npu__(), ctx);
 *
 * The compiler entry point is in npu-c/Compiler.h.
 *
 *===----------------------------------------------------------------------===*/

#ifndef NPU_C_DIALECTS_H
#define NPU_C_DIALECTS_H

#include "mlir-c/IR.h"
#include "mlir-c/Support.h"

#ifdef __cplusplus
extern "C" {
#endif

/// The graph-level dialect `npu` (mlirGetDialectHandle__npu__).
MLIR_DECLARE_CAPI_DIALECT_REGISTRATION(NPU, npu);

/// The instruction-level dialect `npuisa` (mlirGetDialectHandle__npuisa__).
MLIR_DECLARE_CAPI_DIALECT_REGISTRATION(NPUISA, npuisa);

/// Registers every npu pass, the npu-compile pipeline, canonicalize and cse
/// in MLIR's global pass registry, so that textual pipelines such as
/// "builtin.module(npu-compile{system=e1-package chip=1})" parse
/// (mlirParsePassPipeline). Idempotent.
MLIR_CAPI_EXPORTED void npuRegisterAllPasses(void);

#ifdef __cplusplus
}
#endif

#endif /* NPU_C_DIALECTS_H */
