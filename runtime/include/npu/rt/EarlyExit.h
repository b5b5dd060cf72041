//===- EarlyExit.h - The early-exit table of a cascade ----------*- C++ -*-===//
//
// What the compiler calibrated for an early-exit cascade (E2-E5): the chip
// that answers first and the chip it escalates to, one gate per exit check
// with its threshold and calibrated exit rate, the confidence measure, the
// output the cascade answers and whether it holds logits or probabilities,
// the return threshold and idle window of E4, and the calibration's
// figures. The compiler builds it from the module attribute `npu.early_exit`,
// the binary stores it (`Model.early_exit`), the runtime's early-exit
// streams run by it (docs/execution-model.md, "Early-exit streams").
//
// One definition for both sides, like the system description: plain C++17,
// no exceptions, no RTTI (the compiler links it under -fno-exceptions).
//
//===----------------------------------------------------------------------===//

#ifndef NPU_RT_EARLYEXIT_H
#define NPU_RT_EARLYEXIT_H

#include "npu/rt/Cost.h"
#include "npu/rt/Target.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace npu::rt {

/// What the cascade's output holds; decides how the runtime computes the
/// confidence of an answer (E4's return check).
enum class AnswerKind : uint8_t {
  Logits = 0,        ///< Softmax first, as an exit check does.
  Probabilities = 1, ///< The measure applies to the values directly.
};

/// One exit check of the first chip's program, in exit order.
struct ExitGate {
  /// Where the check sits, for people ("after conv_2 (group 2 of 3)").
  std::string split;
  /// The check's threshold (its f32 value in the program).
  double threshold = 0;
  /// Calibrated share of all inputs that leave by this check.
  double exitRate = 0;
};

/// The calibration run's figures.
struct Calibration {
  int64_t samples = 0;          ///< Representative inputs, > 0.
  double accuracy = 0;          ///< Of the cascade, in [0, 1].
  double fullAccuracy = 0;      ///< Of the full (escalated) model, in [0, 1].
  /// Mean energy and latency per input, in [0, 2^63) (whole fJ and ps in
  /// the IR's i64 attribute).
  double expectedEnergyFj = 0;
  double expectedLatencyPs = 0;
};

/// The early-exit table of a model.
struct EarlyExit {
  cost::ConfidenceMeasure measure = cost::ConfidenceMeasure::MaxProb;
  /// The model output the gates answer and the escalated chip produces.
  std::string output;
  AnswerKind answer = AnswerKind::Logits;
  int64_t fromChip = 0;
  int64_t toChip = 0;
  /// One per exit check of fromChip's program ("exit 1", "exit 2", ...).
  std::vector<ExitGate> gates;
  /// E4: an escalated answer at least this confident returns the stream to
  /// the small chip; a less confident one keeps it on the big chip.
  double returnThreshold = 0;
  /// E4: a chip that starts asleep powers off after this many picoseconds
  /// without work (0: right after each halt).
  int64_t idleWindowPs = 0;
  /// Calibrated share of inputs escalated to toChip.
  double escalationRate = 0;
  Calibration calibration;
};

/// "max_prob", "margin", "entropy".
std::string_view measureName(cost::ConfidenceMeasure measure);
std::optional<cost::ConfidenceMeasure> parseMeasure(std::string_view name);
/// "logits", "probabilities".
std::string_view answerName(AnswerKind answer);
std::optional<AnswerKind> parseAnswer(std::string_view name);

/// Whether `value` is a valid expected energy (fJ) or latency (ps): in
/// [0, 2^63), so that it rounds to the IR's i64. False for NaN.
inline bool isValidExpectation(double value) {
  return value >= 0 && value < 0x1p63;
}

/// Checks the values of a table against `system` (chips exist and differ,
/// every threshold, rate and accuracy in [0, 1], a positive sample count, a
/// non-negative idle window, valid expectations, a named output). Each problem's path uses the keys of the IR attribute and the
/// schema ("gates[1].exit_rate"). What needs the programs (exit checks,
/// escalations, the output's producer) is checked by the compiler and the
/// loader, which have them.
std::vector<TargetDiagnostic> validate(const EarlyExit &table,
                                       const SystemDesc &system);

} // namespace npu::rt

#endif // NPU_RT_EARLYEXIT_H
