//===- NpubDisassemblerFuzzer.cpp - libFuzzer entry of the disassembler ---===//
//
// Feeds arbitrary bytes to mlir::npu::importBinary(), the disassembler
// behind npu-translate --npub-to-mlir (docs/binary-format.md). It must never
// crash, recurse without bound or hit undefined behaviour, and must either
// return a module or report why not. A module it returns must
//
//  - verify, and print as text that parses back (what --npub-to-mlir
//    writes must be readable by npu-opt and npu-translate);
//  - either be refused by the emitter with a diagnostic (the disassembler
//    does not run the static schedule, which may find a deadlock), or be
//    encoded into a binary the disassembler accepts in turn and that
//    encodes again to the same bytes (docs/binary-format.md,
//    "Determinism": disassembling and encoding again is a fixed point).
//
// Every input gets a fresh context, so that attributes of earlier inputs
// (segments are uniqued elements attributes) do not pile up.
//
//   build/bin/npu-npub-disassembler-fuzzer -max_total_time=30 CORPUS
//
//===----------------------------------------------------------------------===//

#include "npu/Dialect/NPU/NPUDialect.h"
#include "npu/Dialect/NPUISA/NPUISAOps.h"
#include "npu/Target/Binary.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

[[noreturn]] void fail(const char *what) {
  std::fprintf(stderr, "npub disassembler fuzzer: %s\n", what);
  std::abort();
}

/// Disassembles `bytes` (named `name` in diagnostics).
mlir::OwningOpRef<mlir::ModuleOp> disassemble(llvm::StringRef bytes,
                                              llvm::StringRef name,
                                              mlir::MLIRContext &context) {
  llvm::SourceMgr sourceMgr;
  // A copy: MemoryBuffer storage is aligned for FlatBuffers' in-place
  // scalars, as npu-translate asks for (llvm::Align(8)).
  sourceMgr.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBufferCopy(bytes, name), llvm::SMLoc());
  return mlir::npu::importBinary(sourceMgr, &context);
}

/// Encodes `module` into `bytes`; false when the emitter refuses it (its
/// diagnostics go to the context's handler).
bool encode(mlir::ModuleOp module, std::string &bytes) {
  bytes.clear();
  llvm::raw_string_ostream os(bytes);
  return succeeded(mlir::npu::exportBinary(module, os));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  mlir::DialectRegistry registry;
  registry.insert<mlir::npu::NPUDialect, mlir::npuisa::NPUISADialect>();
  mlir::MLIRContext context(registry, mlir::MLIRContext::Threading::DISABLED);
  int errors = 0;
  mlir::ScopedDiagnosticHandler count(&context, [&](mlir::Diagnostic &diag) {
    if (diag.getSeverity() == mlir::DiagnosticSeverity::Error)
      ++errors;
    return mlir::success();
  });

  llvm::StringRef input(reinterpret_cast<const char *>(data), size);
  mlir::OwningOpRef<mlir::ModuleOp> module =
      disassemble(input, "fuzz.npub", context);
  if (!module) {
    if (errors == 0)
      fail("a refusal must say why");
    return 0;
  }
  if (errors != 0)
    fail("a module came back with errors reported");
  if (failed(mlir::verify(*module)))
    fail("the disassembly does not verify");

  std::string text;
  {
    llvm::raw_string_ostream os(text);
    module->print(os);
  }
  if (!mlir::parseSourceString<mlir::ModuleOp>(text, &context))
    fail("the disassembly does not parse back");
  errors = 0;

  std::string encoded;
  if (!encode(*module, encoded)) {
    if (errors == 0)
      fail("the emitter refused the disassembly without saying why");
    return 0;
  }
  mlir::OwningOpRef<mlir::ModuleOp> again =
      disassemble(encoded, "reencoded.npub", context);
  if (!again)
    fail("the disassembler refuses what the emitter wrote");
  std::string reencoded;
  if (!encode(*again, reencoded))
    fail("the emitter refuses the disassembly of its own binary");
  if (reencoded != encoded)
    fail("disassembling and encoding again changed the bytes");
  return 0;
}
