//===- ONNXImportFuzzer.cpp - libFuzzer entry for the ONNX importer -------===//
//
// Feeds arbitrary bytes to mlir::npu::importONNX. The importer must either
// return a module that verifies or report diagnostics and return null;
// crashing, hanging or leaking is a bug. Every input gets a fresh context so
// resource blobs of earlier inputs do not pile up.
//
//===----------------------------------------------------------------------===//

#include "npu/Dialect/NPU/NPUDialect.h"
#include "npu/Target/ONNX.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  mlir::DialectRegistry registry;
  registry.insert<mlir::npu::NPUDialect, mlir::func::FuncDialect,
                  mlir::arith::ArithDialect>();
  mlir::MLIRContext context(registry,
                            mlir::MLIRContext::Threading::DISABLED);
  mlir::ScopedDiagnosticHandler quiet(
      &context, [](mlir::Diagnostic &) { return mlir::success(); });
  mlir::npu::ONNXImportOptions options;
  mlir::OwningOpRef<mlir::ModuleOp> module = mlir::npu::importONNX(
      llvm::StringRef(reinterpret_cast<const char *>(data), size), "fuzz.onnx",
      &context, options);
  // A module that comes back must be valid IR.
  if (module && mlir::failed(mlir::verify(*module)))
    std::abort();
  return 0;
}
