//===- TranslateMain.cpp - The npu-translate driver -----------------------===//
//
// mlir-translate's command line and chunk processing over an input read by
// readInputFile(): no translation sees a FIFO, a device or a file over the
// limit. Translations from MLIR check the nesting themselves (InitAll.cpp),
// since only they know that the input is MLIR text.
//
//===----------------------------------------------------------------------===//

#include "npu/Tools/ToolMain.h"

#include "npu/Support/InputFile.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Support/Timing.h"
#include "mlir/Support/ToolUtilities.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"

using namespace mlir;
using namespace mlir::npu;

namespace cl = llvm::cl;

namespace {

/// The options of mlir-translate that npu-translate keeps.
struct TranslateOptions {
  cl::opt<std::string> input{cl::Positional, cl::desc("<input file>"),
                             cl::init("-")};
  cl::opt<std::string> output{"o", cl::desc("Output filename"),
                              cl::value_desc("filename"), cl::init("-")};
  cl::opt<bool> allowUnregistered{
      "allow-unregistered-dialect",
      cl::desc("Allow operations of unregistered dialects (testing only)"),
      cl::init(false)};
  cl::opt<std::string> splitMarker{
      "split-input-file", cl::ValueOptional,
      cl::desc("Split the input at the given (or the default) marker and "
               "translate each chunk on its own"),
      cl::init("")};
  cl::opt<std::string> outputSplitMarker{
      "output-split-marker",
      cl::desc("Marker between the outputs of split chunks"), cl::init("")};
  cl::opt<bool> verifyDiagnostics{
      "verify-diagnostics",
      cl::desc("Check emitted diagnostics against expected-* lines"),
      cl::init(false)};
  cl::opt<bool> errorsOnly{
      "error-diagnostics-only",
      cl::desc("Print only error diagnostics (testing only)"), cl::init(false)};
  cl::list<const Translation *, bool, TranslationParser> translations{
      "", cl::desc("Translations to perform"), cl::Required};
};

} // namespace

LogicalResult mlir::npu::npuTranslateMain(int argc, char **argv,
                                          StringRef toolName) {
  llvm::InitLLVM initLLVM(argc, argv);
  TranslateOptions options;
  registerAsmPrinterCLOptions();
  registerMLIRContextCLOptions();
  registerTranslationCLOptions();
  registerDefaultTimingManagerCLOptions();
  cl::ParseCommandLineOptions(argc, argv, toolName);
  // `--split-input-file` without a value means the default marker.
  std::string splitMarker = options.splitMarker;
  if (options.splitMarker.getNumOccurrences() && splitMarker.empty())
    splitMarker = kDefaultSplitMarker;

  DefaultTimingManager timingManager;
  applyDefaultTimingManagerCLOptions(timingManager);
  TimingScope timing = timingManager.getRootScope();

  std::string error;
  std::unique_ptr<llvm::MemoryBuffer> input =
      readInputFile(options.input, error, kMaxInputFileBytes,
                    options.translations[0]->getInputAlignment());
  if (!input) {
    llvm::errs() << "error: input file '" << options.input << "': " << error
                 << "\n";
    return failure();
  }
  std::unique_ptr<llvm::ToolOutputFile> output =
      openOutputFile(options.output, &error);
  if (!output) {
    llvm::errs() << error << "\n";
    return failure();
  }

  // Runs the translations in turn on one chunk, each one's output the next
  // one's input, each in a fresh context.
  auto translateChunk = [&](std::unique_ptr<llvm::MemoryBuffer> chunk,
                            raw_ostream &os) -> LogicalResult {
    // Translations may rely on a null-terminated buffer; chunks are not.
    if (!chunk->getBuffer().ends_with('\0'))
      chunk = llvm::MemoryBuffer::getMemBufferCopy(
          chunk->getBuffer(), chunk->getBufferIdentifier());
    std::string carried;
    for (size_t i = 0, e = options.translations.size(); i < e; ++i) {
      const Translation &translation = *options.translations[i];
      TimingScope scope = timing.nest(translation.getDescription());
      std::string produced;
      llvm::raw_string_ostream intermediate(produced);
      raw_ostream &out = i + 1 == e ? os : intermediate;

      MLIRContext context;
      context.allowUnregisteredDialects(options.allowUnregistered);
      context.printOpOnDiagnostic(!options.verifyDiagnostics);
      auto sourceMgr = std::make_shared<llvm::SourceMgr>();
      sourceMgr->AddNewSourceBuffer(std::move(chunk), llvm::SMLoc());
      LogicalResult result = success();
      if (options.verifyDiagnostics) {
        // The translation is expected to fail; what counts is whether the
        // diagnostics are the expected ones.
        SourceMgrDiagnosticVerifierHandler handler(*sourceMgr, &context);
        (void)translation(sourceMgr, out, &context);
        result = handler.verify();
      } else {
        SourceMgrDiagnosticHandler handler(*sourceMgr, &context);
        std::optional<ScopedDiagnosticHandler> filter;
        if (options.errorsOnly)
          filter.emplace(&context, [](Diagnostic &diag) {
            return success(diag.getSeverity() != DiagnosticSeverity::Error);
          });
        result = translation(sourceMgr, out, &context);
      }
      if (failed(result))
        return failure();
      if (i + 1 < e) {
        carried = std::move(produced);
        chunk = llvm::MemoryBuffer::getMemBuffer(carried);
      }
    }
    return success();
  };
  if (failed(splitAndProcessBuffer(std::move(input), translateChunk,
                                   output->os(), splitMarker,
                                   options.outputSplitMarker)))
    return failure();
  output->keep();
  return success();
}
