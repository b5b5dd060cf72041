//===- npu-translate.cpp - npu translation driver -------------------------===//
//
// mlir-translate for npu, with exactly the translations npu registers. The
// driver (lib/Tools/TranslateMain.cpp) reads the input through the bounded
// reader.
//
//===----------------------------------------------------------------------===//

#include "npu/InitAll.h"
#include "npu/Tools/ToolMain.h"

int main(int argc, char **argv) {
  mlir::npu::registerAllTranslations();
  return mlir::failed(
      mlir::npu::npuTranslateMain(argc, argv, "npu translation driver\n"));
}
