//===- npu-translate.cpp - npu translation driver -------------------------===//
//
// mlir-translate for npu, with exactly the translations npu registers.
//
//===----------------------------------------------------------------------===//

#include "npu/InitAll.h"

#include "mlir/Tools/mlir-translate/MlirTranslateMain.h"

int main(int argc, char **argv) {
  mlir::npu::registerAllTranslations();
  return mlir::failed(
      mlir::mlirTranslateMain(argc, argv, "npu translation driver\n"));
}
