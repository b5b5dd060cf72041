//===- InitAll.cpp - Register everything npu provides ---------------------===//

#include "npu/InitAll.h"
#include "npu/Dialect/NPU/NPUDialect.h"
#include "npu/Dialect/NPUISA/NPUISADialect.h"
#include "npu/Target/Binary.h"
#include "npu/Target/ONNX.h"
#include "npu/Target/SystemDescription.h"
#include "npu/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "mlir/Transforms/Passes.h"

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

void mlir::npu::registerAllTranslations() {
  registerImportONNXTranslation();
  static TranslateFromMLIRRegistration exportSystem(
      "npu-export-system", "write the module's npu.system as JSON",
      exportSystemJSON, registerAllDialects);
  static TranslateFromMLIRRegistration toBinary(
      "npu-to-binary", "write a compiled npuisa module as a .npub binary",
      [](ModuleOp module, raw_ostream &output) {
        return exportBinary(module, output);
      },
      registerAllDialects);
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
