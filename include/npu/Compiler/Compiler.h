//===- Compiler.h - Embedding API of the npu compiler -----------*- C++ -*-===//
//
// Framework importers and other hosts call the compiler in-process through
// these functions instead of running npu-opt and npu-translate: a module (an
// MLIR module already in memory, MLIR text, or ONNX bytes) goes in, the
// .npub binary and its exact budgets come out. The flow is the one of
//
//   npu-opt --npu-compile="system=S chip=N" | npu-translate --npu-to-binary
//
// and every problem comes back as an llvm::Error whose message holds the
// diagnostics, with their locations; nothing is printed. docs/embedding.md
// shows both this API and the C API (npu-c/Dialects.h).
//
//===----------------------------------------------------------------------===//

#ifndef NPU_COMPILER_COMPILER_H
#define NPU_COMPILER_COMPILER_H

#include "npu/rt/Cost.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace npu {

/// What to compile for.
struct CompileOptions {
  /// A system preset (`single`, `e1-package`, `mesh-2x2`, `mesh-4x4`) or the
  /// path of a system description JSON file (docs/system-description.md).
  std::string system = "single";
  /// The id of the chip of `system` the model is compiled for. A module of
  /// npu.program ops (one per chip) names its chips itself and ignores it.
  int64_t chip = 0;
  /// Static shapes of ONNX graph inputs, by input name: required for an input
  /// with a symbolic or unknown dimension (compileONNX only; the other entry
  /// points reject a non-empty list rather than ignore it).
  std::vector<std::pair<std::string, std::vector<int64_t>>> inputShapes;
};

/// The budget of one execution path of one program: what the simulator
/// measures when the program runs that path (docs/execution-model.md).
struct PathBudgetView {
  /// "full" (no exit taken) or "exit N".
  std::string path;
  int64_t startCycle = 0;
  int64_t cycles = 0;
  /// `cycles` in picoseconds on the program's chip.
  int64_t timePs = 0;
  /// Busy cycles per engine, indexed by ::npu::rt::cost::Engine.
  std::array<int64_t, rt::cost::kNumEngines> engineBusy = {};
  int64_t hostBytes = 0;
  int64_t dramBytes = 0;
  int64_t linkBytes = 0;
  int64_t peakSramBytes = 0;
  int64_t peakDramBytes = 0;
  int64_t energyFj = 0;
};

/// The budgets of one chip's program, one per path ("exit 1".."exit N" then
/// "full"), in the order of the binary.
struct ProgramBudgetView {
  std::string program;
  int64_t chip = 0;
  std::string chipName;
  /// True when the chip starts asleep (an escalation target).
  bool startsAsleep = false;
  std::vector<PathBudgetView> paths;
};

/// A compiled model. Owns all its data: it outlives the MLIR context it was
/// compiled in.
struct CompileResult {
  /// The .npub binary, byte for byte what npu-translate --npu-to-binary
  /// writes for the same compiled module.
  std::vector<uint8_t> binary;
  /// The budgets as the JSON document of
  /// `npu-opt --npu-report-budgets=format=json`.
  std::string budgetsJSON;
  /// The name of the system compiled for.
  std::string system;
  /// The same budgets as C++ values.
  std::vector<ProgramBudgetView> budgets;
  /// Warnings and remarks emitted by a successful compilation, formatted as
  /// errors are (empty when there were none).
  std::string diagnostics;
};

/// Compiles `module`, a graph of npu ops (as the ONNX importer or
/// --convert-tosa-to-npu produce), for `options.chip` of `options.system`.
/// `module` is not modified: a clone is compiled, in `module`'s context.
/// The diagnostics of a failure are the error's message, one per line as
/// `file:line:col: error: ...` with their notes; while this runs they go to
/// that message only, not to the context's other handlers.
llvm::Expected<CompileResult> compile(mlir::ModuleOp module,
                                      const CompileOptions &options);

/// Parses `text`, an MLIR module in its textual form named
/// `bufferName` in diagnostics, and compiles it as compile() does, in a
/// context of its own holding the dialects of mlir::npu::registerAllDialects.
llvm::Expected<CompileResult>
compileMLIR(llvm::StringRef text, const CompileOptions &options,
            llvm::StringRef bufferName = "<mlir>");

/// Imports the serialized ONNX model `onnxBytes` (named `bufferName` in
/// diagnostics) with `options.inputShapes`, then compiles it as compile()
/// does, in a context of its own. Import problems are reported like
/// compilation problems, all of them in one error.
llvm::Expected<CompileResult>
compileONNX(llvm::ArrayRef<uint8_t> onnxBytes, const CompileOptions &options,
            llvm::StringRef bufferName = "<onnx>");

} // namespace npu

#endif // NPU_COMPILER_COMPILER_H
