//===- Compiler.cpp - Embedding API of the npu compiler -------------------===//
//
// compile() and compileMLIR(): the npu-compile pipeline, then the .npub
// emitter and the budgets JSON, all in memory. compileONNX() is in
// CompileONNX.cpp.
//
//===----------------------------------------------------------------------===//

#include "CompilerInternal.h"

#include "npu/Analysis/Schedule.h"
#include "npu/Dialect/NPU/NPUDialect.h"
#include "npu/InitAll.h"
#include "npu/Target/Binary.h"
#include "npu/Transforms/Passes.h"
#include "npu/Transforms/ReportBudgets.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/Location.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/raw_ostream.h"

namespace npu {

//===----------------------------------------------------------------------===//
// Diagnostics
//===----------------------------------------------------------------------===//

/// `file:line:col: ` (the first file location inside `loc`, with the name of
/// a named location when there is one and the file has no line), the name
/// of a named location, or nothing for an unknown location.
static void printLocation(mlir::Location loc, llvm::raw_ostream &os) {
  auto name = loc->findInstanceOf<mlir::NameLoc>();
  if (auto file = loc->findInstanceOf<mlir::FileLineColLoc>()) {
    os << file.getFilename().getValue();
    if (file.getLine() != 0)
      os << ':' << file.getLine() << ':' << file.getColumn();
    else if (name)
      os << ": '" << name.getName().getValue() << "'";
    os << ": ";
    return;
  }
  if (name) {
    os << "'" << name.getName().getValue() << "': ";
    return;
  }
  if (llvm::isa<mlir::UnknownLoc>(loc))
    return;
  os << loc << ": ";
}

static llvm::StringRef severityName(mlir::DiagnosticSeverity severity) {
  switch (severity) {
  case mlir::DiagnosticSeverity::Error:
    return "error";
  case mlir::DiagnosticSeverity::Warning:
    return "warning";
  case mlir::DiagnosticSeverity::Note:
    return "note";
  case mlir::DiagnosticSeverity::Remark:
    return "remark";
  }
  llvm_unreachable("unknown diagnostic severity");
}

detail::DiagnosticCollector::DiagnosticCollector(mlir::MLIRContext *context)
    : handler(context, [this](mlir::Diagnostic &diag) {
        collect(diag);
        // Handled: the context's other handlers (which may print) never see
        // it.
        return mlir::success();
      }) {}

void detail::DiagnosticCollector::collect(mlir::Diagnostic &diag) {
  llvm::raw_string_ostream os(text);
  printLocation(diag.getLocation(), os);
  os << severityName(diag.getSeverity()) << ": " << diag << "\n";
  for (mlir::Diagnostic &note : diag.getNotes()) {
    printLocation(note.getLocation(), os);
    os << severityName(note.getSeverity()) << ": " << note << "\n";
  }
}

std::string detail::DiagnosticCollector::takeText() {
  std::string result = std::move(text);
  text.clear();
  return result;
}

llvm::Error detail::DiagnosticCollector::takeError(llvm::StringRef fallback) {
  std::string message = takeText();
  while (!message.empty() && message.back() == '\n')
    message.pop_back();
  if (message.empty())
    message = fallback.str();
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

//===----------------------------------------------------------------------===//
// Compilation
//===----------------------------------------------------------------------===//

std::unique_ptr<mlir::MLIRContext> detail::createContext() {
  mlir::DialectRegistry registry;
  mlir::npu::registerAllDialects(registry);
  auto context = std::make_unique<mlir::MLIRContext>(registry);
  context->printOpOnDiagnostic(false);
  return context;
}

/// The C++ view of `budgets`, which ScheduleAnalysis computed on a module
/// compiled for `system`.
static std::vector<ProgramBudgetView>
makeBudgetViews(llvm::ArrayRef<mlir::npu::ProgramBudget> budgets,
                const rt::SystemDesc &system) {
  std::vector<ProgramBudgetView> views;
  for (const mlir::npu::ProgramBudget &budget : budgets) {
    const rt::ChipDesc *chip = system.findChip(budget.chip);
    ProgramBudgetView &view = views.emplace_back();
    view.program = mlir::npuisa::ProgramOp(budget.program).getSymName().str();
    view.chip = budget.chip;
    view.chipName = chip ? chip->name : std::string();
    view.startsAsleep = budget.startsAsleep;
    for (const mlir::npu::PathBudget &path : budget.paths) {
      PathBudgetView &p = view.paths.emplace_back();
      p.path = path.path;
      p.startCycle = path.startCycle;
      p.cycles = path.cycles;
      p.timePs = chip ? path.cycles * chip->picosecondsPerCycle() : 0;
      p.engineBusy = path.engineBusy;
      p.hostBytes = path.hostBytes;
      p.dramBytes = path.dramBytes;
      p.linkBytes = path.linkBytes;
      p.peakSramBytes = path.peakSramBytes;
      p.peakDramBytes = path.peakDramBytes;
      p.energyFj = path.energyFj;
    }
  }
  return views;
}

llvm::Expected<CompileResult>
detail::compileModule(mlir::ModuleOp module, const CompileOptions &options,
                      DiagnosticCollector &collector) {
  // An embedder may hand over a module nobody verified; the passes assume a
  // valid one.
  if (mlir::failed(mlir::verify(module)))
    return collector.takeError("the module does not verify");

  mlir::PassManager pm(module.getContext());
  mlir::npu::buildCompilePipeline(pm, options.system, options.chip);
  if (mlir::failed(pm.run(module)))
    return collector.takeError("npu-compile failed");

  mlir::npu::ScheduleAnalysis schedule(module);
  if (schedule.failed())
    return collector.takeError("the schedule failed");

  CompileResult result;
  std::string bytes;
  llvm::raw_string_ostream binaryStream(bytes);
  if (mlir::failed(mlir::npu::exportBinary(module, &schedule, binaryStream)))
    return collector.takeError("the binary could not be written");
  result.binary.assign(bytes.begin(), bytes.end());

  llvm::raw_string_ostream jsonStream(result.budgetsJSON);
  if (mlir::failed(mlir::npu::writeBudgetsJSON(module, schedule,
                                               jsonStream)))
    return collector.takeError("the budgets could not be written");

  // The pipeline attached the system; writeBudgetsJSON checked it is there.
  rt::SystemDesc system =
      mlir::npu::toSystemDesc(mlir::npu::getSystemAttr(module));
  result.system = system.name;
  result.budgets = makeBudgetViews(schedule.getBudgets(), system);
  result.diagnostics = collector.takeText();
  return result;
}

/// The entry points that take an imported module: shapes are given to the
/// importer, so a list here would silently do nothing.
static llvm::Error checkNoInputShapes(const CompileOptions &options) {
  if (options.inputShapes.empty())
    return llvm::Error::success();
  return llvm::createStringError(
      llvm::inconvertibleErrorCode(),
      "CompileOptions::inputShapes is for ONNX models (compileONNX); this "
      "module's shapes are already fixed by its types");
}

llvm::Expected<CompileResult> compile(mlir::ModuleOp module,
                                      const CompileOptions &options) {
  if (!module)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "compile() needs a module, got null");
  if (llvm::Error error = checkNoInputShapes(options))
    return std::move(error);
  detail::DiagnosticCollector collector(module.getContext());
  mlir::OwningOpRef<mlir::ModuleOp> clone = module.clone();
  return detail::compileModule(*clone, options, collector);
}

llvm::Expected<CompileResult> compileMLIR(llvm::StringRef text,
                                          const CompileOptions &options,
                                          llvm::StringRef bufferName) {
  if (llvm::Error error = checkNoInputShapes(options))
    return std::move(error);
  std::unique_ptr<mlir::MLIRContext> context = detail::createContext();
  detail::DiagnosticCollector collector(context.get());
  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::parseSourceString<mlir::ModuleOp>(
          text, mlir::ParserConfig(context.get()), bufferName);
  if (!module)
    return collector.takeError("the module could not be parsed");
  return detail::compileModule(*module, options, collector);
}

} // namespace npu
