//===- Report.h - Run reports: budgets vs measurements, traces --*- C++ -*-===//
//
// What a run of a model did, next to what the compiler proved it would do:
// for every chip of the system, each counter of the program's Budget for the
// path the chip took beside the simulator's measurement of it (the
// deterministic contract says they are equal). Rendered as a table for
// people or as JSON for scripts, plus the Chrome/Perfetto trace of every
// executed instruction.
//
// Every rendering is a pure function of the model and the run: the same run
// gives the same bytes.
//
//===----------------------------------------------------------------------===//

#ifndef NPU_RT_API_REPORT_H
#define NPU_RT_API_REPORT_H

#include "npu/rt/Model.h"
#include "npu/rt/Simulator.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace npu::rt::report {

/// One budgeted quantity of a chip: what the binary's budget says (absent
/// when the program has no budget for the path taken) and what was measured.
struct Counter {
  /// "cycles", "busy_dma_in" ... "busy_control", "host_bytes", "dram_bytes",
  /// "link_bytes", "peak_sram_bytes", "peak_dram_bytes", "energy_fj".
  std::string name;
  std::optional<int64_t> budget;
  int64_t measured = 0;
};

/// A chip's budget beside its measurement.
struct ChipReport {
  const ChipDesc *chip = nullptr;
  /// Null when the system has a chip the model gives no program.
  const Program *program = nullptr;
  /// Null exactly when `program` is.
  const ChipMeasurement *measurement = nullptr;
  /// The program's budget whose path is the measured path; null when the
  /// chip did not run or the binary has no budget for that path.
  const Budget *budget = nullptr;
  std::vector<Counter> counters;
};

/// One ChipReport per chip of the model's system, in the system's order.
/// `result` must be a successful run of `model`.
std::vector<ChipReport> compare(const Model &model, const RunResult &result);

/// A difference between budget and measurement.
struct Mismatch {
  int64_t chip = 0;
  std::string chipName;
  std::string program;
  std::string path;
  /// The chip was woken in standby: the budget is the standby one.
  bool standby = false;
  /// The counter, or empty when the binary has no budget for the path.
  std::string counter;
  int64_t budget = 0;
  int64_t measured = 0;

  /// "chip 0 ('small'), program 'p0', path 'full': cycles budget 10,
  /// measured 12".
  std::string message() const;
};

/// A path as reports show it: "full", "exit 1", "full (standby)".
std::string pathLabel(const std::string &path, bool standby);

/// Every counter whose budget differs from its measurement, and every chip
/// that ran a path the binary has no budget for. Chips that did not run have
/// nothing to compare.
std::vector<Mismatch> checkBudgets(const Model &model, const RunResult &result);

/// The report as an aligned text table.
std::string formatTable(const Model &model, const RunResult &result);

/// The report as JSON:
///   {"model": NAME, "system": NAME, "budgets_match": BOOL,
///    "inputs": [{"name", "dtype", "shape"}], "outputs": [...],
///    "chips": [{"chip": ID, "name": CHIP, "program": NAME|null, "ran": BOOL,
///               "started_asleep": BOOL, "path": PATH,
///               "picoseconds_per_cycle": N, "start_cycle": N,
///               "active_cycles": N,
///               "counters": {COUNTER: {"budget": N|null, "measured": N}},
///               "exit_checks": [{"index", "exit", "confidence",
///                                "threshold", "confident"}]}]}
/// Keys in this order; integers exact; reals in their shortest form.
std::string formatJson(const Model &model, const RunResult &result);

/// The Chrome/Perfetto trace (JSON object format) of the run: per chip a
/// process (pid = chip id, named after the chip), per engine a thread (tid =
/// engine number, named after the engine), and per executed instruction a
/// complete event ("ph": "X") named after its mnemonic, with ts and dur in
/// microseconds written exactly (cycles x picoseconds per cycle) and the
/// instruction index in args.
std::string formatTrace(const Model &model, const RunResult &result);

//===----------------------------------------------------------------------===//
// Streams (docs/execution-model.md, "Streams")
//===----------------------------------------------------------------------===//

/// Every difference between a stream's budgets and its measurements, one
/// line each ("input 3: latency budget 1200 ps, measured 1300 ps"): the
/// per-chip counters of input 0 (a single run); for later inputs every
/// per-chip counter but cycles and energy (which depend on when the chip's
/// previous run ended); each input's latency against the binary's stream
/// budget. A binary without a stream budget is one difference.
std::vector<std::string> checkStream(const Model &model,
                                     const StreamResult &stream);

/// The table of formatTable() for input 0, then one row per input: release,
/// latency budget and measurement, completion, interval since the previous
/// completion; and the steady state.
std::string formatStreamTable(const Model &model, const StreamResult &stream);

/// The document of formatJson() for input 0 ("budgets_match" covering the
/// whole stream), with a "stream" object: {"inputs": N, "interval_ps",
/// "budget_steady_from_input", "budget_latency_ps": [...], "runs":
/// [{"input", "release_ps", "latency_ps": {"budget", "measured"},
/// "completion_ps", "interval_ps"}], "steady_interval_ps": {"budget",
/// "measured"}, "mismatches": [...]}.
struct Accuracy;

/// With `accuracy`, the document also has "accuracy": {...}
/// (jsonAccuracy()) after "stream".
std::string formatStreamJson(const Model &model, const StreamResult &stream,
                             const Accuracy *accuracy = nullptr);

/// The trace of every run of the stream on one timeline, each event with
/// its input in args: the pipeline filling, running and draining.
std::string formatStreamTrace(const Model &model, const StreamResult &stream);

//===----------------------------------------------------------------------===//
// Several inputs: accuracy
//===----------------------------------------------------------------------===//

/// How a run of several inputs answered against labels: input i's class
/// (the index of the largest element of the answering output) beside
/// labels[i mod labels.size()].
struct Accuracy {
  /// The output whose argmax is the class.
  std::string output;
  std::vector<int64_t> classes;
  /// Empty without --labels.
  std::vector<int64_t> labels;
  /// Every chip over the whole run, fJ.
  int64_t totalEnergyFj = 0;

  bool hasLabels() const { return !labels.empty(); }
  int64_t labelOf(size_t i) const { return labels[i % labels.size()]; }
  bool correct(size_t i) const { return classes[i] == labelOf(i); }
  int64_t correctCount() const;
  /// correctCount() / number of inputs.
  double accuracy() const;
  /// Correct answers per joule of totalEnergyFj (0 without energy).
  double correctPerJoule() const;
};

/// "accuracy: 3 of 4 inputs correct (0.75); 1.5e+09 correct inferences per
/// joule" (empty without labels), one line.
std::string formatAccuracyLine(const Accuracy &accuracy);

/// {"output", "correct", "inputs", "accuracy", "correct_per_joule",
/// "total_energy_fj"} as JSON members (no braces), or "null" values without
/// labels.
std::string jsonAccuracy(const Accuracy &accuracy);

//===----------------------------------------------------------------------===//
// Batches of independent runs
//===----------------------------------------------------------------------===//

/// Differences of every run of a batch, "input 3: " before each.
std::vector<std::string> checkBatch(const Model &model,
                                    const std::vector<RunResult> &runs);

/// The table of input 0, then one line per input (paths, latency, energy,
/// class) for the first `rows` inputs, and the accuracy.
std::string formatBatchTable(const Model &model,
                             const std::vector<RunResult> &runs,
                             const Accuracy &accuracy, size_t rows);

/// The document of formatJson() for input 0, with a "batch" object: {"inputs",
/// "runs": [{"input", "chips", "latency_ps", "energy_fj", "class", "label",
/// "correct"}], "mismatches"}, and "accuracy": {...} (jsonAccuracy()).
std::string formatBatchJson(const Model &model,
                            const std::vector<RunResult> &runs,
                            const Accuracy &accuracy);

//===----------------------------------------------------------------------===//
// Early-exit streams (docs/execution-model.md, "Early-exit streams")
//===----------------------------------------------------------------------===//

/// Every chip of every input whose measurement differs from the budget of
/// its path (the standby budget for a standby start), in input order:
/// "input 3: chip 1 ('big'), program 'big', path 'full (standby)': cycles
/// budget 10, measured 12".
std::vector<std::string> checkCascade(const Model &model,
                                      const CascadeResult &cascade);

/// The figures of an early-exit stream: per gate its exits and rate,
/// escalations (cold, standby) and their rate, mode switches, latency and
/// service time (mean, nearest-rank p50 and p99), energy, accuracy.
struct CascadeSummary {
  size_t inputs = 0;
  std::vector<size_t> gateExits; ///< Per gate ("exit k" of the first chip).
  size_t escalations = 0;
  size_t coldStarts = 0;
  size_t standbyStarts = 0;
  size_t modeSwitches = 0;
  size_t bigModeInputs = 0;
  double meanLatencyPs = 0;
  int64_t p50LatencyPs = 0;
  int64_t p99LatencyPs = 0;
  double meanServicePs = 0;
  int64_t p50ServicePs = 0;
  int64_t p99ServicePs = 0;
  int64_t inputEnergyFj = 0; ///< Sum of the inputs' energies.
  double meanEnergyFj = 0;   ///< Total (inputs and gaps) over inputs.
};
CascadeSummary summarize(const Model &model, const CascadeResult &cascade);

/// The nearest-rank percentile `p` (in (0, 100]) of `values`: the value of
/// rank ceil(p / 100 * n) in ascending order. 0 when empty.
int64_t nearestRank(std::vector<int64_t> values, double p);

/// The stream as a table: the table, its knobs, one row per input for the
/// first `rows` inputs (mode, each chip's path, the escalated chip's state,
/// start, completion, latency, energy, class, confidence), the summary, the
/// accuracy and whether every budget equals its measurement.
std::string formatCascadeTable(const Model &model, const CascadeResult &cascade,
                               const Accuracy &accuracy, size_t rows);

/// The stream as JSON: {"model", "format_version", "system", "budgets_match",
/// "inputs", "outputs", "early_exit": {the table and the knobs used},
/// "summary": {...}, "accuracy": {...}, "runs": [{"input", "mode", "chips":
/// [{"chip", "path", "standby"}], "to_chip_state", "arrival_ps", "start_ps",
/// "completion_ps", "latency_ps", "service_ps", "energy_fj", "class",
/// "confidence", "label", "correct", "budgets_match"}], "power": [{"chip",
/// "name", "energy_fj", "intervals": [{"state", "start_ps", "end_ps",
/// "input"}]}], "mismatches": [...]}.
std::string formatCascadeJson(const Model &model, const CascadeResult &cascade,
                              const Accuracy &accuracy);

/// The trace of every run of the stream on one timeline (each event with its
/// input in args), plus per chip a "power" thread with one complete event
/// per interval of its power timeline (off, waking, run, standby, idle).
std::string formatCascadeTrace(const Model &model,
                               const CascadeResult &cascade);

/// `text` as a JSON string literal: quotes, escapes, and invalid UTF-8
/// replaced by U+FFFD, so names from a binary cannot break the document.
std::string jsonString(std::string_view text);

/// Picoseconds as microseconds, exactly: "12.345678", "0.001", "7".
std::string picosecondsAsMicroseconds(int64_t cycles,
                                      int64_t picosecondsPerCycle);

} // namespace npu::rt::report

#endif // NPU_RT_API_REPORT_H
