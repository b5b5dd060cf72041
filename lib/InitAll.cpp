//===- InitAll.cpp - Register everything npu provides ---------------------===//

#include "npu/InitAll.h"
#include "npu/Dialect/NPU/NPUDialect.h"
#include "npu/Dialect/NPUISA/NPUISADialect.h"
#include "npu/Support/InputFile.h"
#include "npu/Target/Binary.h"
#include "npu/Target/ONNX.h"
#include "npu/Target/SystemDescription.h"
#include "npu/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Tools/ParseUtilities.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/Support/SourceMgr.h"

void mlir::npu::registerAllDialects(DialectRegistry &registry) {
  registry.insert<NPUDialect, npuisa::NPUISADialect, func::FuncDialect,
                  arith::ArithDialect, tensor::TensorDialect,
                  linalg::LinalgDialect, tosa::TosaDialect>();
}

void mlir::npu::registerAllPasses() {
  registerNPUPasses();
  registerNPUPipelines();
  registerCanonicalizerPass();
  registerCSEPass();
}

namespace mlir::npu {
namespace {

/// A translation from MLIR, like TranslateFromMLIRRegistration's, except
/// that the text is checked for its nesting depth before MLIR's recursive
/// parser runs (docs/system-description.md, "Limits").
TranslateFunction
fromMLIR(std::function<LogicalResult(Operation *, raw_ostream &)> function) {
  return
      [function](const std::shared_ptr<llvm::SourceMgr> &sourceMgr,
                 raw_ostream &output, MLIRContext *context) -> LogicalResult {
        DialectRegistry registry;
        registerAllDialects(registry);
        context->appendDialectRegistry(registry);
        const llvm::MemoryBuffer *buffer =
            sourceMgr->getMemoryBuffer(sourceMgr->getMainFileID());
        StringRef text = buffer->getBuffer();
        if (std::optional<size_t> offset =
                findExcessiveNesting(text, NestingSyntax::MLIR)) {
          auto [line, column] = sourceMgr->getLineAndColumn(
              llvm::SMLoc::getFromPointer(text.data() + *offset));
          return emitError(FileLineColLoc::get(
                     context, buffer->getBufferIdentifier(), line, column))
                 << nestingTooDeepMessage();
        }
        OwningOpRef<Operation *> op = parseSourceFileForTool(
            sourceMgr, ParserConfig(context), /*insertImplicitModule=*/true);
        if (!op || failed(verify(*op)))
          return failure();
        return function(op.get(), output);
      };
}

} // namespace
} // namespace mlir::npu

void mlir::npu::registerAllTranslations() {
  registerImportONNXTranslation();
  static TranslateRegistration exportSystem(
      "npu-export-system", "write the module's npu.system as JSON",
      fromMLIR(exportSystemJSON));
  static TranslateRegistration toBinary(
      "npu-to-binary", "write a compiled npuisa module as a .npub binary",
      fromMLIR([](Operation *op, raw_ostream &output) -> LogicalResult {
        auto module = dyn_cast<ModuleOp>(op);
        if (!module)
          return op->emitError("expected a builtin.module at the top level");
        return exportBinary(module, output);
      }));
  // FlatBuffers reads 8-byte scalars in place: ask for aligned input.
  static TranslateToMLIRRegistration fromBinary(
      "npub-to-mlir", "read a .npub binary back into npuisa IR",
      [](llvm::SourceMgr &sourceMgr,
         MLIRContext *context) -> OwningOpRef<Operation *> {
        return OwningOpRef<Operation *>(
            importBinary(sourceMgr, context).release());
      },
      registerAllDialects, llvm::Align(8));
}
