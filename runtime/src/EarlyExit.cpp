//===- EarlyExit.cpp - The early-exit table of a cascade ------------------===//
//
// Spellings and the value checks of npu/rt/EarlyExit.h, shared by the
// compiler's attribute verifier and the runtime's loader so that both apply
// one rule set. Built without exceptions and without RTTI.
//
//===----------------------------------------------------------------------===//

#include "npu/rt/EarlyExit.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace npu::rt {

std::string_view measureName(cost::ConfidenceMeasure measure) {
  switch (measure) {
  case cost::ConfidenceMeasure::MaxProb:
    return "max_prob";
  case cost::ConfidenceMeasure::Margin:
    return "margin";
  case cost::ConfidenceMeasure::Entropy:
    return "entropy";
  }
  return "?";
}

std::optional<cost::ConfidenceMeasure> parseMeasure(std::string_view name) {
  for (auto measure :
       {cost::ConfidenceMeasure::MaxProb, cost::ConfidenceMeasure::Margin,
        cost::ConfidenceMeasure::Entropy})
    if (measureName(measure) == name)
      return measure;
  return std::nullopt;
}

std::string_view answerName(AnswerKind answer) {
  switch (answer) {
  case AnswerKind::Logits:
    return "logits";
  case AnswerKind::Probabilities:
    return "probabilities";
  }
  return "?";
}

std::optional<AnswerKind> parseAnswer(std::string_view name) {
  for (auto answer : {AnswerKind::Logits, AnswerKind::Probabilities})
    if (answerName(answer) == name)
      return answer;
  return std::nullopt;
}

namespace {

/// A real as the diagnostics print it: its shortest round-trip form.
std::string real(double value) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.17g", value);
  // Prefer the shortest of %.{1..17}g that reads back to the same value.
  for (int digits = 1; digits <= 17; ++digits) {
    char shorter[32];
    std::snprintf(shorter, sizeof(shorter), "%.*g", digits, value);
    if (std::strtod(shorter, nullptr) == value || std::isnan(value))
      return shorter;
  }
  return buf;
}

} // namespace

std::vector<TargetDiagnostic> validate(const EarlyExit &table,
                                       const SystemDesc &system) {
  std::vector<TargetDiagnostic> diags;
  auto report = [&](std::string path, std::string message) {
    diags.push_back({std::move(path), std::move(message)});
  };
  // NaN fails both comparisons, so it is reported too.
  auto unit = [&](const std::string &path, double value) {
    if (!(value >= 0 && value <= 1))
      report(path, "must be in [0, 1], got " + real(value));
  };
  auto amount = [&](const std::string &path, double value) {
    if (!isValidExpectation(value))
      report(path, "must be in [0, 2^63), got " + real(value));
  };

  if (!parseMeasure(measureName(table.measure)))
    report("measure", "unknown measure code " +
                          std::to_string(static_cast<int>(table.measure)) +
                          " (0 max_prob, 1 margin, 2 entropy)");
  if (!parseAnswer(answerName(table.answer)))
    report("answer", "unknown answer code " +
                         std::to_string(static_cast<int>(table.answer)) +
                         " (0 logits, 1 probabilities)");
  if (table.output.empty())
    report("output", "must name a model output");
  if (!system.findChip(table.fromChip))
    report("from_chip", "chip " + std::to_string(table.fromChip) +
                            " is not in system '" + system.name + "'");
  if (!system.findChip(table.toChip))
    report("to_chip", "chip " + std::to_string(table.toChip) +
                          " is not in system '" + system.name + "'");
  else if (table.toChip == table.fromChip)
    report("to_chip", "must differ from from_chip (" +
                          std::to_string(table.fromChip) + ")");
  for (size_t i = 0; i < table.gates.size(); ++i) {
    std::string path = "gates[" + std::to_string(i) + "]";
    unit(path + ".threshold", table.gates[i].threshold);
    unit(path + ".exit_rate", table.gates[i].exitRate);
  }
  unit("return_threshold", table.returnThreshold);
  if (table.idleWindowPs < 0)
    report("idle_window_ps",
           "must be non-negative, got " + std::to_string(table.idleWindowPs));
  unit("escalation_rate", table.escalationRate);
  const Calibration &c = table.calibration;
  if (c.samples <= 0)
    report("calibration.samples",
           "must be positive, got " + std::to_string(c.samples));
  unit("calibration.accuracy", c.accuracy);
  unit("calibration.full_accuracy", c.fullAccuracy);
  amount("calibration.expected_energy_fj", c.expectedEnergyFj);
  amount("calibration.expected_latency_ps", c.expectedLatencyPs);
  return diags;
}

} // namespace npu::rt
