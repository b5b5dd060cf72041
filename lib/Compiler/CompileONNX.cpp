//===- CompileONNX.cpp - Import an ONNX model and compile it --------------===//
//
// compileONNX: the ONNX importer (npu/Target/ONNX.h), then the compilation
// of Compiler.cpp, with the diagnostics of both in one error.
//
//===----------------------------------------------------------------------===//

#include "CompilerInternal.h"

#include "npu/Target/ONNX.h"

namespace npu {

llvm::Expected<CompileResult> compileONNX(llvm::ArrayRef<uint8_t> onnxBytes,
                                          const CompileOptions &options,
                                          llvm::StringRef bufferName) {
  std::unique_ptr<mlir::MLIRContext> context = detail::createContext();
  detail::DiagnosticCollector collector(context.get());
  mlir::npu::ONNXImportOptions importOptions;
  importOptions.inputShapes = options.inputShapes;
  llvm::StringRef bytes(reinterpret_cast<const char *>(onnxBytes.data()),
                        onnxBytes.size());
  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::npu::importONNX(bytes, bufferName, context.get(), importOptions);
  if (!module)
    return collector.takeError("the ONNX model could not be imported");
  return detail::compileModule(*module, options, collector);
}

} // namespace npu
