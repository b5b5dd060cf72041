//===- npu-opt.cpp - npu optimizer driver ---------------------------------===//
//
// mlir-opt for npu: the npu dialects, the dialects framework importers emit,
// every npu pass, canonicalize and cse. The driver (lib/Tools/OptMain.cpp)
// reads the input through the bounded reader.
//
//===----------------------------------------------------------------------===//

#include "npu/InitAll.h"
#include "npu/Tools/ToolMain.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  mlir::npu::registerAllDialects(registry);
  mlir::npu::registerAllPasses();
  return mlir::asMainReturnCode(
      mlir::npu::npuOptMain(argc, argv, "npu optimizer driver\n", registry));
}
