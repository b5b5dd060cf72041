//===- Compiler.cpp - C API: compile a module to a .npub ------------------===//

#include "npu-c/Compiler.h"

#include "npu/Compiler/Compiler.h"

#include "mlir/CAPI/IR.h"

#include <cstdlib>
#include <cstring>

/// A malloc'ed copy of `bytes`, NUL-terminated (the binary does not need the
/// terminator; strings do). Null when memory ran out.
static char *copyToMalloc(const void *bytes, size_t size) {
  char *copy = static_cast<char *>(std::malloc(size + 1));
  if (!copy)
    return nullptr;
  if (size)
    std::memcpy(copy, bytes, size);
  copy[size] = '\0';
  return copy;
}

static MlirLogicalResult fail(llvm::StringRef message, char **outError) {
  if (outError)
    *outError = copyToMalloc(message.data(), message.size());
  return mlirLogicalResultFailure();
}

MlirLogicalResult npuCompileModule(MlirModule module, const char *system,
                                   int64_t chip, uint8_t **outBinary,
                                   size_t *outSize, char **outBudgetsJSON,
                                   char **outError) {
  if (outError)
    *outError = nullptr;
  if (outBudgetsJSON)
    *outBudgetsJSON = nullptr;
  if (!outBinary || !outSize)
    return fail("npuCompileModule: outBinary and outSize must not be NULL",
                outError);
  *outBinary = nullptr;
  *outSize = 0;
  if (mlirModuleIsNull(module))
    return fail("npuCompileModule: the module is null", outError);

  npu::CompileOptions options;
  if (system)
    options.system = system;
  options.chip = chip;
  llvm::Expected<npu::CompileResult> result =
      npu::compile(unwrap(module), options);
  if (!result)
    return fail(llvm::toString(result.takeError()), outError);

  auto *binary = reinterpret_cast<uint8_t *>(
      copyToMalloc(result->binary.data(), result->binary.size()));
  char *json = nullptr;
  if (outBudgetsJSON)
    json = copyToMalloc(result->budgetsJSON.data(), result->budgetsJSON.size());
  if (!binary || (outBudgetsJSON && !json)) {
    std::free(binary);
    std::free(json);
    return fail("npuCompileModule: out of memory", outError);
  }
  *outBinary = binary;
  *outSize = result->binary.size();
  if (outBudgetsJSON)
    *outBudgetsJSON = json;
  return mlirLogicalResultSuccess();
}
