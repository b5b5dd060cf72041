//===- CompilerInternal.h - Shared pieces of the embedding API --*- C++ -*-===//
//
// What every entry point of npu/Compiler/Compiler.h shares: a context with
// npu's dialects, the collection of diagnostics into an error message, and
// the compilation of a module whose diagnostics are already being collected
// (so that import and compile problems end up in one message).
//
//===----------------------------------------------------------------------===//

#ifndef NPU_LIB_COMPILER_COMPILERINTERNAL_H
#define NPU_LIB_COMPILER_COMPILERINTERNAL_H

#include "npu/Compiler/Compiler.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"

#include <memory>
#include <string>

namespace npu::detail {

/// While alive, takes every diagnostic of a context (none reaches the
/// context's other handlers, nor stderr) and keeps it as text: one line
/// `<location>: <severity>: <message>` per diagnostic and per note.
class DiagnosticCollector {
public:
  explicit DiagnosticCollector(mlir::MLIRContext *context);

  /// The collected text, emptied.
  std::string takeText();

  /// An error whose message is the collected text, emptied; `fallback` when
  /// nothing was collected (a failure without a diagnostic is a bug, but the
  /// caller still gets a message).
  llvm::Error takeError(llvm::StringRef fallback);

private:
  void collect(mlir::Diagnostic &diag);

  std::string text;
  mlir::ScopedDiagnosticHandler handler;
};

/// A context holding mlir::npu::registerAllDialects, for entry points that
/// own their context. It does not print the operation a diagnostic is
/// about: error messages stay one line per diagnostic, whatever the size of
/// the function at fault.
std::unique_ptr<mlir::MLIRContext> createContext();

/// Compiles `module` in place (the callers own it, or pass a clone) while
/// `collector` collects the diagnostics of its context. Ignores
/// `options.inputShapes`: importing is done.
llvm::Expected<CompileResult> compileModule(mlir::ModuleOp module,
                                            const CompileOptions &options,
                                            DiagnosticCollector &collector);

} // namespace npu::detail

#endif // NPU_LIB_COMPILER_COMPILERINTERNAL_H
