//===- Dialects.cpp - C API: npu dialects and passes ----------------------===//

#include "npu-c/Dialects.h"

#include "npu/Dialect/NPU/NPUDialect.h"
#include "npu/Dialect/NPUISA/NPUISADialect.h"
#include "npu/InitAll.h"

#include "mlir/CAPI/Registration.h"

MLIR_DEFINE_CAPI_DIALECT_REGISTRATION(NPU, npu, mlir::npu::NPUDialect)
MLIR_DEFINE_CAPI_DIALECT_REGISTRATION(NPUISA, npuisa,
                                      mlir::npuisa::NPUISADialect)

void npuRegisterAllPasses(void) {
  // The registry rejects a second registration of a pass name.
  static const bool registered = [] {
    mlir::npu::registerAllPasses();
    return true;
  }();
  (void)registered;
}
