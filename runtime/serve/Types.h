//===- Types.h - The vocabulary of the serving layer ------------*- C++ -*-===//
//
// Time, tiers, requests and the answers the orchestrator gives them
// (docs/serving.md). Plain structs, shared by every policy file of
// runtime/serve/ and by the transports that will carry them (issue 15):
// nothing here knows how a request reached us.
//
// Time is simulated and counted in picoseconds, the time base of the
// execution model (docs/execution-model.md, "Time"), so that a prediction
// made from the compiler's budgets can be compared with the simulator's
// measurement with no rounding at all.
//
//===----------------------------------------------------------------------===//

#ifndef NPU_SERVE_TYPES_H
#define NPU_SERVE_TYPES_H

#include "npu/rt/Simulator.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace npu::serve {

/// Simulated time or a duration, in picoseconds.
using Ps = int64_t;

constexpr Ps kPsPerNs = 1000;
constexpr Ps kPsPerUs = 1000 * kPsPerNs;
constexpr Ps kPsPerMs = 1000 * kPsPerUs;
constexpr Ps kPsPerS = 1000 * kPsPerMs;
/// Times of requests stay below 2^61 ps (about 27 days of simulated time),
/// so that a start plus any latency, load or frame stays far from 2^63.
constexpr Ps kMaxTracePs = Ps(1) << 61;

/// `t` rounded up to a multiple of `grid` (runs start on their chips'
/// common clock grid).
constexpr Ps roundUp(Ps t, Ps grid) {
  return grid <= 1 ? t : (t + grid - 1) / grid * grid;
}

/// Client and chip tiers (P3). A free client runs on free chips only; a
/// premium client prefers premium chips and may use free ones.
enum class Tier : uint8_t { Free = 0, Premium = 1 };

std::string_view tierName(Tier tier);
std::optional<Tier> parseTier(std::string_view name);

/// Triton's convention: 1 is the highest priority; 0 means "the default",
/// which is kDefaultPriority.
constexpr int kDefaultPriority = 3;
/// The lowest priority a request may give.
constexpr int kLowestPriority = 1000;

/// One inference request (P2, M2, P3).
struct InferenceRequest {
  std::string id;
  std::string model;
  Ps arrivalPs = 0;
  /// Absolute: the request is within its SLO when it completes by then.
  Ps deadlinePs = 0;
  int priority = kDefaultPriority;
  Tier tier = Tier::Free;
  /// The billing plan the client pays under; shown on the bill, which the
  /// price table sets (docs/serving.md, "Pricing").
  std::string billing = "free";
  /// The client the request belongs to; a request naming an allocation
  /// must come from its client.
  std::string client;
  /// When not empty: run on the chips of this allocation only.
  std::string allocation;
  /// The least accuracy the client accepts (G9), as a fraction; unset: the
  /// model's most accurate variants only.
  std::optional<double> minAccuracy;
  /// The inputs: given by value, or generated from `inputSeed`
  /// (docs/serving.md, "Inputs") when `inputs` is empty.
  rt::TensorMap inputs;
  uint64_t inputSeed = 0;
  /// The line of the trace the request came from (0 when not from a trace).
  int64_t line = 0;
};

/// A request for capacity over a time frame (P2, M2, M3): the client
/// states the model (the workload), a rate it needs served, and the frame.
struct AllocationRequest {
  std::string id;
  std::string client;
  std::string model;
  Ps arrivalPs = 0;
  /// Requests per second the allocation must be able to serve.
  double ratePerSecond = 0;
  /// How long the chips are held once granted.
  Ps framePs = 0;
  /// The allocation must be granted by then, or it is refused; 0: it may
  /// wait as long as needed while chips could ever become free.
  Ps startByPs = 0;
  /// "f32", "f16", "bf16", "int8": the element type the workload needs;
  /// empty for "any".
  std::string precision;
  /// Bytes one request brings (checked against the model's input size
  /// when given; 0 for "not stated").
  int64_t dataBytes = 0;
  /// The least accuracy of the variant served (G9); unset: the most
  /// accurate.
  std::optional<double> minAccuracy;
  Tier tier = Tier::Free;
  int priority = kDefaultPriority;
  int64_t line = 0;
};

/// A failure the trace injects (M6): at `atPs` one chip (`chip` >= 0: its
/// system id on `host`) or a whole host (`chip` < 0) stops. The work in
/// flight on it is lost, and so is its memory (weights, checkpoints kept
/// in a failed host's memory). The orchestrator learns of it `detectPs`
/// later (docs/serving.md, "Failure").
struct FailureEvent {
  std::string id;
  Ps atPs = 0;
  std::string host;
  int64_t chip = -1;
  Ps detectPs = 0;
  int64_t line = 0;
  Ps detectedPs() const { return atPs + detectPs; }
};

/// What the orchestrator said.
enum class Outcome : uint8_t {
  Admitted,  ///< Will complete at `predictedCompletionPs`, by the deadline.
  Refused,   ///< Cannot be guaranteed; `reason` says why.
  Queued,    ///< An allocation waiting for enough free chips (M3).
  Late,      ///< A baseline ran it although it misses its deadline.
  Dropped,   ///< A baseline dropped it when its deadline had passed.
};

std::string_view outcomeName(Outcome outcome);

} // namespace npu::serve

#endif // NPU_SERVE_TYPES_H
