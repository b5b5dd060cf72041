//===- ToolMain.h - Drivers of npu-opt and npu-translate --------*- C++ -*-===//
//
// The command-line drivers of the compiler tools. They are mlir-opt's and
// mlir-translate's, with one difference: the input is read by
// readInputFile() (regular files or stdin, size-limited) and MLIR text is
// checked for its nesting depth before MLIR's recursive parser sees it
// (docs/system-description.md, "Limits").
//
//===----------------------------------------------------------------------===//

#ifndef NPU_TOOLS_TOOLMAIN_H
#define NPU_TOOLS_TOOLMAIN_H

#include "mlir/Support/LLVM.h"

namespace llvm {
class MemoryBuffer;
} // namespace llvm

namespace mlir {
class DialectRegistry;
class Location;
class MLIRContext;
} // namespace mlir

namespace mlir::npu {

/// npu-opt: mlir-opt's options and behaviour over a checked input.
LogicalResult npuOptMain(int argc, char **argv, StringRef toolName,
                         DialectRegistry &registry);

/// npu-translate: mlir-translate's options and behaviour over a checked
/// input, with the translations registered before the call.
LogicalResult npuTranslateMain(int argc, char **argv, StringRef toolName);

/// Fails with an error at the first bracket of MLIR text `buffer` that nests
/// deeper than kMaxNestingDepth, printed to stderr as a source diagnostic.
/// MLIR bytecode is not text and passes unchecked.
LogicalResult checkMLIRNesting(const llvm::MemoryBuffer &buffer);

} // namespace mlir::npu

#endif // NPU_TOOLS_TOOLMAIN_H
