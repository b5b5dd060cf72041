//===- ONNX.h - Import of ONNX models into the npu dialect ------*- C++ -*-===//
//
// An ONNX ModelProto (opsets 7-17 of the default domain) becomes a module
// holding one `func.func` of `npu` ops: graph inputs are the function's
// arguments, graph outputs its results (both named by `npu.name`),
// initializers and Constant nodes `arith.constant`s whose float data lives in
// a `dense_resource` blob (no text round trip), and subgraphs that only
// compute shapes are folded at import. docs/onnx-import.md lists the
// supported operators, attributes and dtypes.
//
//===----------------------------------------------------------------------===//

#ifndef NPU_TARGET_ONNX_H
#define NPU_TARGET_ONNX_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "mlir/Support/LLVM.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace mlir::npu {

struct ONNXImportOptions {
  /// Static shapes for graph inputs, by input name. Required for an input
  /// whose shape has a symbolic or unknown dimension; when given for an input
  /// with a static shape it must agree with it.
  std::vector<std::pair<std::string, std::vector<int64_t>>> inputShapes;
  /// Graph inputs bound to constants (name, serialized ONNX TensorProto),
  /// for parameters a model takes as inputs (a shape, axes, clip bounds,
  /// normalization statistics) that the compiler needs at compile time.
  std::vector<std::pair<std::string, std::string>> constantInputs;
  /// Name of the imported function.
  std::string functionName = "main";
};

/// Parses `name=d0,d1,...` items separated by `;` (for example
/// `x=1,3,48,192`) into `options.inputShapes`. On failure returns false and
/// sets `error` to a message naming the bad item.
bool parseInputShapes(llvm::StringRef spec, ONNXImportOptions &options,
                      std::string &error);

/// Imports the serialized ONNX model in `bytes`. `bufferName` names the
/// input in diagnostics (usually the file name). Every problem is reported
/// through the context's diagnostic engine; when there is any (a malformed
/// or truncated file, a model that fails ONNX's checker, unsupported nodes,
/// attributes or dtypes: all of them, not only the first) the result is
/// null. Never crashes on any input.
OwningOpRef<ModuleOp> importONNX(llvm::StringRef bytes,
                                 llvm::StringRef bufferName,
                                 MLIRContext *context,
                                 const ONNXImportOptions &options = {});

/// Registers the `--import-onnx` translation (with its
/// `--onnx-input-shape` option) for npu-translate.
void registerImportONNXTranslation();

} // namespace mlir::npu

#endif // NPU_TARGET_ONNX_H
