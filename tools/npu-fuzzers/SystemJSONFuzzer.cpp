//===- SystemJSONFuzzer.cpp - libFuzzer entry of system descriptions ------===//
//
// Feeds arbitrary bytes to mlir::npu::parseSystemDescriptionJSON(), the
// reader behind npu-opt --npu-set-system=system=FILE.json (docs/
// system-description.md). It must never crash, overflow its stack or hit
// undefined behaviour, and it must either accept the text or report why
// (at least one error). What it accepts must survive its own writer: the
// JSON that systemDescriptionToJSON() writes for it (what
// npu-translate --npu-export-system prints) must be accepted again and be
// written back byte for byte, so that a system read from a file, exported
// and read again is the same system.
//
//   build/bin/npu-system-json-fuzzer -max_total_time=30 CORPUS
//
//===----------------------------------------------------------------------===//

#include "npu/Target/SystemDescription.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Location.h"
#include "mlir/IR/MLIRContext.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

/// Parses `text`, counting the errors it reports; fails the run when the
/// result and the diagnostics disagree (a refusal must say why, an
/// acceptance must say nothing).
mlir::FailureOr<::npu::rt::SystemDesc> parse(mlir::MLIRContext &context,
                                             llvm::StringRef text) {
  int errors = 0;
  mlir::ScopedDiagnosticHandler count(&context, [&](mlir::Diagnostic &diag) {
    if (diag.getSeverity() == mlir::DiagnosticSeverity::Error)
      ++errors;
    return mlir::success();
  });
  auto system = mlir::npu::parseSystemDescriptionJSON(
      text, "fuzz.json", mlir::UnknownLoc::get(&context));
  if (failed(system) != (errors > 0)) {
    std::fprintf(stderr, "parse %s with %d error(s)\n",
                 failed(system) ? "failed" : "succeeded", errors);
    std::abort();
  }
  return system;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static mlir::MLIRContext context(mlir::MLIRContext::Threading::DISABLED);
  llvm::StringRef text(reinterpret_cast<const char *>(data), size);
  auto system = parse(context, text);
  if (failed(system))
    return 0;
  std::string exported = mlir::npu::systemDescriptionToJSON(*system);
  auto again = parse(context, exported);
  if (failed(again)) {
    std::fprintf(stderr, "the export of an accepted system is refused:\n%s",
                 exported.c_str());
    std::abort();
  }
  std::string reexported = mlir::npu::systemDescriptionToJSON(*again);
  if (reexported != exported) {
    std::fprintf(stderr,
                 "export, import, export changed the system:\n%s\n"
                 "became\n%s",
                 exported.c_str(), reexported.c_str());
    std::abort();
  }
  return 0;
}
