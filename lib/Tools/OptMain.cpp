//===- OptMain.cpp - The npu-opt driver -----------------------------------===//
//
// mlir-opt's command line (registerAndParseCLIOptions, MlirOptMainConfig)
// around a buffer read by readInputFile() and checked by checkMLIRNesting().
//
//===----------------------------------------------------------------------===//

#include "npu/Tools/ToolMain.h"

#include "npu/Support/InputFile.h"

#include "mlir/Bytecode/BytecodeReader.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"

using namespace mlir;
using namespace mlir::npu;

LogicalResult mlir::npu::checkMLIRNesting(const llvm::MemoryBuffer &buffer) {
  if (isBytecode(buffer.getMemBufferRef()))
    return success();
  StringRef text = buffer.getBuffer();
  std::optional<size_t> offset =
      findExcessiveNesting(text, NestingSyntax::MLIR);
  if (!offset)
    return success();
  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBuffer(buffer.getMemBufferRef(),
                                       /*RequiresNullTerminator=*/false),
      llvm::SMLoc());
  sourceMgr.PrintMessage(llvm::errs(),
                         llvm::SMLoc::getFromPointer(text.data() + *offset),
                         llvm::SourceMgr::DK_Error, nestingTooDeepMessage());
  return failure();
}

LogicalResult mlir::npu::npuOptMain(int argc, char **argv, StringRef toolName,
                                    DialectRegistry &registry) {
  llvm::InitLLVM initLLVM(argc, argv);
  auto [inputFilename, outputFilename] =
      registerAndParseCLIOptions(argc, argv, toolName, registry);
  MlirOptMainConfig config = MlirOptMainConfig::createFromCLOptions();
  if (config.shouldShowDialects()) {
    llvm::outs() << "Available Dialects: ";
    llvm::interleave(registry.getDialectNames(), llvm::outs(), ",");
    llvm::outs() << "\n";
    return success();
  }
  if (config.shouldListPasses()) {
    printRegisteredPasses();
    return success();
  }

  std::string error;
  std::unique_ptr<llvm::MemoryBuffer> input =
      readInputFile(inputFilename, error);
  if (!input) {
    llvm::errs() << "error: input file '" << inputFilename << "': " << error
                 << "\n";
    return failure();
  }
  if (failed(checkMLIRNesting(*input)))
    return failure();

  std::unique_ptr<llvm::ToolOutputFile> output =
      openOutputFile(outputFilename, &error);
  if (!output) {
    llvm::errs() << error << "\n";
    return failure();
  }
  if (failed(MlirOptMain(output->os(), std::move(input), registry, config)))
    return failure();
  output->keep();
  return success();
}
