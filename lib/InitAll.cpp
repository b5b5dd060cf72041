//===- InitAll.cpp - Register everything npu provides ---------------------===//

#include "npu/InitAll.h"
#include "npu/Dialect/NPU/NPUDialect.h"
#include "npu/Dialect/NPUISA/NPUISADialect.h"
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
  registerCanonicalizerPass();
  registerCSEPass();
}

void mlir::npu::registerAllTranslations() {
  static TranslateFromMLIRRegistration exportSystem(
      "npu-export-system", "write the module's npu.system as JSON",
      exportSystemJSON, registerAllDialects);
}
