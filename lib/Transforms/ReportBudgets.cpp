//===- ReportBudgets.cpp - Report exact budgets ---------------------------===//
//
// `npu-report-budgets`: the budgets of ScheduleAnalysis as remarks (tests),
// a table (people) or JSON (tools), with the standby budgets of chips that
// start asleep ("full (standby)") and the module's early-exit table. Every
// number is exact: it is what the simulator measures for the same program
// and path.
//
//===----------------------------------------------------------------------===//

#include "npu/Transforms/ReportBudgets.h"
#include "npu/Analysis/Schedule.h"
#include "npu/Dialect/NPU/NPUDialect.h"
#include "npu/Transforms/Passes.h"

#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/ToolOutputFile.h"

#include <cstdlib>

#define DEBUG_TYPE "npu-report-budgets"

namespace mlir::npu {
#define GEN_PASS_DEF_REPORTBUDGETSPASS
#include "npu/Transforms/Passes.h.inc"
} // namespace mlir::npu

using namespace mlir;
using namespace mlir::npu;
namespace cost = ::npu::rt::cost;
namespace rt = ::npu::rt;

namespace {

std::string engineList(const PathBudget &p) {
  std::string s;
  llvm::raw_string_ostream os(s);
  for (int e = 0; e < cost::kNumEngines; ++e)
    os << (e ? " " : "") << cost::engineName(static_cast<cost::Engine>(e))
       << "=" << p.engineBusy[e];
  return s;
}

/// Picoseconds as nanoseconds with three decimals.
std::string psAsNs(int64_t ps) {
  std::string s;
  llvm::raw_string_ostream(s)
      << llvm::format("%lld.%03lld", static_cast<long long>(ps / 1000),
                      static_cast<long long>(ps % 1000));
  return s;
}

/// Nanoseconds of `cycles` on `chip`, with three decimals.
std::string nanoseconds(int64_t cycles, const rt::ChipDesc &chip) {
  return psAsNs(cycles * chip.picosecondsPerCycle());
}

/// The path's name as reports show it: "full", "exit 1", "full (standby)".
std::string pathLabel(const PathBudget &p) {
  return p.standby ? p.path + " (standby)" : p.path;
}

void printTable(raw_ostream &os, const rt::SystemDesc &system,
                ArrayRef<ProgramBudget> budgets) {
  os << llvm::formatv("Budgets on system '{0}' (exact, by the rules of "
                      "docs/execution-model.md)\n",
                      system.name);
  os << llvm::formatv("{0,-4} {1,-12} {2,-14} {3,12} {4,14} {5,10} {6,10} "
                      "{7,10} {8,16} {9,12} {10,14}\n",
                      "chip", "program", "path", "cycles", "time (ns)",
                      "host B", "dram B", "link B", "peak SRAM B (%)",
                      "peak DRAM B", "energy (nJ)");
  for (const ProgramBudget &b : budgets) {
    const rt::ChipDesc &chip = *system.findChip(b.chip);
    for (ArrayRef<PathBudget> list :
         {ArrayRef(b.paths), ArrayRef(b.standbyPaths)}) {
      for (const PathBudget &p : list) {
        std::string sram =
            llvm::formatv("{0} ({1:F1})", p.peakSramBytes,
                          100.0 * p.peakSramBytes / chip.sramBytes)
                .str();
        os << llvm::formatv(
            "{0,-4} {1,-12} {2,-14} {3,12} {4,14} {5,10} {6,10} "
            "{7,10} {8,16} {9,12} {10,14:F3}\n",
            b.chip, npuisa::ProgramOp(b.program).getSymName(), pathLabel(p),
            p.cycles, nanoseconds(p.cycles, chip), p.hostBytes, p.dramBytes,
            p.linkBytes, sram, p.peakDramBytes, p.energyFj / 1e6);
      }
    }
  }
  bool standby = llvm::any_of(
      budgets, [](const ProgramBudget &b) { return !b.standbyPaths.empty(); });
  if (standby)
    os << "(standby): the chip sleeps but is woken while in standby: no "
          "wake cycles, no wake energy, idle power until it starts\n";
}

/// A real in its shortest round-trip form.
std::string real(double value) {
  for (int digits = 1; digits < 17; ++digits) {
    std::string text =
        llvm::formatv("{0}", llvm::format("%.*g", digits, value));
    if (std::strtod(text.c_str(), nullptr) == value)
      return text;
  }
  return llvm::formatv("{0}", llvm::format("%.17g", value));
}

/// The early-exit table (module attribute `npu.early_exit`) as text.
void printEarlyExit(raw_ostream &os, const rt::SystemDesc &system,
                    const rt::EarlyExit &table) {
  auto chipName = [&](int64_t id) {
    const rt::ChipDesc *chip = system.findChip(id);
    return chip ? chip->name : std::string("?");
  };
  os << llvm::formatv("Early exit: chip {0} '{1}' escalates to chip {2} "
                      "'{3}'; measure {4} on output '{5}' ({6})\n",
                      table.fromChip, chipName(table.fromChip), table.toChip,
                      chipName(table.toChip), rt::measureName(table.measure),
                      table.output, rt::answerName(table.answer));
  os << llvm::formatv("  {0,-8} {1,10} {2,10}  {3}\n", "gate", "threshold",
                      "exit rate", "split");
  for (auto [index, gate] : llvm::enumerate(table.gates))
    os << llvm::formatv("  {0,-8} {1,10} {2,10}  {3}\n",
                        "exit " + std::to_string(index + 1),
                        real(gate.threshold), real(gate.exitRate), gate.split);
  os << "  escalation rate " << real(table.escalationRate)
     << ", return threshold " << real(table.returnThreshold) << ", idle window "
     << table.idleWindowPs << " ps (" << psAsNs(table.idleWindowPs) << " ns)\n";
  const rt::Calibration &c = table.calibration;
  os << "  calibration: " << c.samples << " samples, accuracy "
     << real(c.accuracy) << " (full model " << real(c.fullAccuracy)
     << "), expected energy " << real(c.expectedEnergyFj) << " fJ and latency "
     << real(c.expectedLatencyPs) << " ps per input\n";
}

/// The early-exit table in one line, for a remark.
std::string describeEarlyExit(const rt::EarlyExit &table) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << "early exit: chip " << table.fromChip << " -> chip " << table.toChip
     << ", " << rt::measureName(table.measure) << " on '" << table.output
     << "' (" << rt::answerName(table.answer) << "), gates [";
  for (auto [index, gate] : llvm::enumerate(table.gates))
    os << (index ? ", " : "") << "exit " << index + 1 << " '" << gate.split
       << "' threshold " << real(gate.threshold) << " rate "
       << real(gate.exitRate);
  const rt::Calibration &c = table.calibration;
  os << "], escalation rate " << real(table.escalationRate)
     << ", return threshold " << real(table.returnThreshold) << ", idle window "
     << table.idleWindowPs << " ps, calibration " << c.samples
     << " samples, accuracy " << real(c.accuracy) << " (full "
     << real(c.fullAccuracy) << "), energy " << real(c.expectedEnergyFj)
     << " fJ, latency " << real(c.expectedLatencyPs) << " ps";
  return s;
}

/// The module's early-exit table, if it has a valid one.
std::optional<rt::EarlyExit> earlyExitOf(ModuleOp module,
                                         const rt::SystemDesc &system) {
  Attribute attr = module->getAttr(NPUDialect::getEarlyExitAttrName());
  if (!attr)
    return std::nullopt;
  FailureOr<rt::EarlyExit> table =
      parseEarlyExitAttr(attr, &system, [&] { return module.emitError(); });
  if (failed(table))
    return std::nullopt;
  return *table;
}

/// The stream budget in words: "interval 1.000 ns (...), latency ...".
std::string describeStream(const StreamBudget &stream) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << "interval " << stream.intervalPs << " ps ("
     << llvm::format("%.1f", 1e12 / stream.intervalPs)
     << " inputs/s), latency of input 0 " << stream.latencyPs.front()
     << " ps, steady latency " << stream.latencyPs.back()
     << " ps from input " << stream.latencyPs.size() - 1;
  return s;
}

void printStreamTable(raw_ostream &os, const std::optional<StreamBudget> &stream) {
  if (!stream) {
    os << "Stream: no stream budget (exit checks or escalations make each "
          "input's path depend on its data)\n";
    return;
  }
  os << "Stream of inputs released every " << psAsNs(stream->intervalPs)
     << " ns (" << llvm::format("%.1f", 1e12 / stream->intervalPs)
     << " inputs/s):\n";
  for (auto [i, latency] : llvm::enumerate(stream->latencyPs))
    os << llvm::formatv("  input {0}{1}: latency {2} ns\n", i,
                        i + 1 == stream->latencyPs.size() ? " and later" : "",
                        psAsNs(latency));
}

llvm::json::Value toJSON(const rt::SystemDesc &system,
                         const ScheduleAnalysis &schedule,
                         const std::optional<rt::EarlyExit> &earlyExit) {
  ArrayRef<ProgramBudget> budgets = schedule.getBudgets();
  llvm::json::Array programs;
  for (const ProgramBudget &b : budgets) {
    const rt::ChipDesc &chip = *system.findChip(b.chip);
    auto toArray = [&](ArrayRef<PathBudget> list) {
      llvm::json::Array paths;
      for (const PathBudget &p : list) {
        llvm::json::Object engines;
        for (int e = 0; e < cost::kNumEngines; ++e)
          engines[std::string(cost::engineName(static_cast<cost::Engine>(e)))] =
              p.engineBusy[e];
        paths.push_back(llvm::json::Object{
            {"path", p.path},
            {"start_cycle", p.startCycle},
            {"cycles", p.cycles},
            {"time_ps", p.cycles * chip.picosecondsPerCycle()},
            {"engine_busy", std::move(engines)},
            {"host_bytes", p.hostBytes},
            {"dram_bytes", p.dramBytes},
            {"link_bytes", p.linkBytes},
            {"peak_sram_bytes", p.peakSramBytes},
            {"sram_bytes", chip.sramBytes},
            {"peak_dram_bytes", p.peakDramBytes},
            {"dram_bytes_capacity", chip.dramBytes},
            {"energy_fj", p.energyFj}});
      }
      return paths;
    };
    programs.push_back(llvm::json::Object{
        {"program", npuisa::ProgramOp(b.program).getSymName()},
        {"chip", b.chip},
        {"chip_name", chip.name},
        {"starts_asleep", b.startsAsleep},
        {"paths", toArray(b.paths)},
        {"standby_paths", toArray(b.standbyPaths)}});
  }
  llvm::json::Value early = nullptr;
  if (earlyExit) {
    llvm::json::Array gates;
    for (const rt::ExitGate &gate : earlyExit->gates)
      gates.push_back(llvm::json::Object{{"split", gate.split},
                                         {"threshold", gate.threshold},
                                         {"exit_rate", gate.exitRate}});
    const rt::Calibration &c = earlyExit->calibration;
    early = llvm::json::Object{
        {"measure", std::string(rt::measureName(earlyExit->measure))},
        {"output", earlyExit->output},
        {"answer", std::string(rt::answerName(earlyExit->answer))},
        {"from_chip", earlyExit->fromChip},
        {"to_chip", earlyExit->toChip},
        {"gates", std::move(gates)},
        {"return_threshold", earlyExit->returnThreshold},
        {"idle_window_ps", earlyExit->idleWindowPs},
        {"escalation_rate", earlyExit->escalationRate},
        {"calibration",
         llvm::json::Object{{"samples", c.samples},
                            {"accuracy", c.accuracy},
                            {"full_accuracy", c.fullAccuracy},
                            {"expected_energy_fj", c.expectedEnergyFj},
                            {"expected_latency_ps", c.expectedLatencyPs}}}};
  }
  llvm::json::Value stream = nullptr;
  if (const std::optional<StreamBudget> &st = schedule.getStream())
    stream = llvm::json::Object{
        {"interval_ps", st->intervalPs},
        {"grid_ps", st->gridPs},
        {"latency_ps", llvm::json::Array(st->latencyPs)},
        {"steady_from_input", static_cast<int64_t>(st->latencyPs.size() - 1)},
        {"steady_latency_ps", st->latencyPs.back()}};
  return llvm::json::Object{{"system", system.name},
                            {"programs", std::move(programs)},
                            {"stream", std::move(stream)},
                            {"early_exit", std::move(early)}};
}

struct ReportBudgetsPass
    : public mlir::npu::impl::ReportBudgetsPassBase<ReportBudgetsPass> {
  using ReportBudgetsPassBase::ReportBudgetsPassBase;

  void runOnOperation() override {
    if (format != "remarks" && format != "table" && format != "json") {
      getOperation().emitError()
          << "npu-report-budgets: unknown format '" << format
          << "'; expected remarks, table or json";
      return signalPassFailure();
    }
    auto &analysis = getAnalysis<ScheduleAnalysis>();
    if (analysis.failed())
      return signalPassFailure();
    markAllAnalysesPreserved();
    ArrayRef<ProgramBudget> budgets = analysis.getBudgets();
    if (budgets.empty())
      return;
    rt::SystemDesc system = toSystemDesc(getSystemAttr(getOperation()));

    std::optional<rt::EarlyExit> earlyExit =
        earlyExitOf(getOperation(), system);
    if (format == "remarks") {
      for (const ProgramBudget &b : budgets)
        for (ArrayRef<PathBudget> list :
             {ArrayRef(b.paths), ArrayRef(b.standbyPaths)})
          for (const PathBudget &p : list)
            npuisa::ProgramOp(b.program).emitRemark(llvm::formatv(
                "path '{0}': start {1}, cycles {2}, busy {3}, host_bytes "
                "{4}, dram_bytes {5}, link_bytes {6}, peak_sram_bytes {7}, "
                "peak_dram_bytes {8}, energy_fj {9}",
                pathLabel(p), p.startCycle, p.cycles, engineList(p),
                p.hostBytes, p.dramBytes, p.linkBytes, p.peakSramBytes,
                p.peakDramBytes, p.energyFj));
      if (const std::optional<StreamBudget> &stream = analysis.getStream())
        getOperation().emitRemark("stream: " + describeStream(*stream));
      if (earlyExit)
        getOperation().emitRemark(describeEarlyExit(*earlyExit));
      return;
    }

    std::string error;
    auto file = openOutputFile(output, &error);
    if (!file) {
      getOperation().emitError() << "npu-report-budgets: " << error;
      return signalPassFailure();
    }
    if (format == "table") {
      printTable(file->os(), system, budgets);
      printStreamTable(file->os(), analysis.getStream());
      if (earlyExit)
        printEarlyExit(file->os(), system, *earlyExit);
    } else if (failed(writeBudgetsJSON(getOperation(), analysis, file->os()))) {
      return signalPassFailure();
    }
    file->keep();
  }
};
} // namespace

LogicalResult mlir::npu::writeBudgetsJSON(ModuleOp module,
                                          const ScheduleAnalysis &schedule,
                                          raw_ostream &os) {
  SystemAttr attr = getSystemAttr(module);
  if (!attr)
    return module.emitError() << "budgets need the module's '"
                              << NPUDialect::getSystemAttrName() << "'";
  rt::SystemDesc system = toSystemDesc(attr);
  os << llvm::formatv("{0:2}",
                      toJSON(system, schedule, earlyExitOf(module, system)))
     << "\n";
  return success();
}

LogicalResult mlir::npu::writeBudgetsJSON(ModuleOp module, raw_ostream &os) {
  ScheduleAnalysis analysis(module);
  if (analysis.failed())
    return failure();
  return writeBudgetsJSON(module, analysis, os);
}
