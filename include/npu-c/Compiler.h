/*===- npu-c/Compiler.h - C API: compile a module to a .npub ------*- C -*-===//
 *
 * The C form of npu::compile() (npu/Compiler/Compiler.h): compiles a module
 * of npu ops for one chip of a system and returns the .npub binary, which
 * the runtime's C API (npu/rt/npu_rt.h, npu_rt_model_load) loads as is.
 *
 *===----------------------------------------------------------------------===*/

#ifndef NPU_C_COMPILER_H
#define NPU_C_COMPILER_H

#include "mlir-c/IR.h"
#include "mlir-c/Support.h"

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Compiles `module` as `npu-opt --npu-compile="system=S chip=N"` followed
/// by `npu-translate --npu-to-binary` do. `module` is not modified (a clone
/// is compiled) and nothing is printed: diagnostics go to the error message.
///
///  - `system`: a preset name (`single`, `e1-package`, `mesh-2x2`,
///    `mesh-4x4`) or the path of a system description JSON file; NULL means
///    "single". `chip`: the id of the chip to compile for.
///  - On success: `*outBinary` holds the `*outSize` bytes of the binary, and
///    `*outBudgetsJSON` (when `outBudgetsJSON` is not NULL) the budgets as the
///    NUL-terminated JSON of `npu-opt --npu-report-budgets=format=json`;
///    `*outError` (when not NULL) is set to NULL.
///  - On failure: `*outBinary` is NULL, `*outSize` 0, `*outBudgetsJSON` NULL,
///    and `*outError` (when `outError` is not NULL) a NUL-terminated message
///    with every diagnostic, one per line ("file:line:col: error: ...").
///
/// Every buffer returned is allocated with malloc(); the caller releases it
/// with free(). `outBinary` and `outSize` must not be NULL.
MLIR_CAPI_EXPORTED MlirLogicalResult npuCompileModule(
    MlirModule module, const char *system, int64_t chip, uint8_t **outBinary,
    size_t *outSize, char **outBudgetsJSON, char **outError);

#ifdef __cplusplus
}
#endif

#endif /* NPU_C_COMPILER_H */
