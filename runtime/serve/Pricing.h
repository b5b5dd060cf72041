//===- Pricing.h - The price of a request from its exact counts -*- C++ -*-===//
//
// G10 (docs/serving.md, "Pricing"). A request's price is a pure function of
// the operations its variant performs (OperationCounts.h: MACs, vector
// element operations, host, DRAM and link bytes), a price table read from a
// JSON file, the request's priority and the simulated time of day it runs:
//
//   base  = sum over items of count x price          (10^-18 units, exact)
//   price = round(base x priority ppm x time-of-day ppm / 10^21) (nano-units)
//
// Prices are integers of nano-units of the currency per 10^9 of an item,
// multipliers exact millionths; all arithmetic is in 128-bit integers,
// checked, and rounded once, half up, to a nano-unit. The same request
// therefore costs the same on every machine, and a total is the exact sum
// of its bills.
//
// Where the data decides the path (an early-exit stream), the price is that
// of the most expensive path: per program the path of the largest base
// price (prices are linear and non-negative, so this bounds every path
// tuple the chips can take).
//
//===----------------------------------------------------------------------===//

#ifndef NPU_SERVE_PRICING_H
#define NPU_SERVE_PRICING_H

#include "OperationCounts.h"
#include "Types.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace npu::serve {

class Repository;
struct Variant;

/// An exact amount in 10^-18 units of the currency (a nano-unit x 10^-9):
/// the unit of count x price before the multipliers.
using AttoUnits = unsigned __int128;

/// One million: a multiplier of 1, in millionths.
constexpr int64_t kPpmOne = 1000000;
/// The largest multiplier a table may give (x1000).
constexpr int64_t kMaxMultiplierPpm = 1000 * kPpmOne;
/// Simulated picoseconds in an hour.
constexpr Ps kPsPerHour = 3600 * kPsPerS;

/// Nano-units of the currency per 10^9 of each item (10^9 MACs, 10^9
/// element operations, 10^9 bytes).
struct UnitPrices {
  int64_t mac = 0;
  int64_t vectorOp = 0;
  int64_t hostByte = 0;
  int64_t dramByte = 0;
  int64_t linkByte = 0;
};

/// A multiplier for priorities [from, to] (1 is the highest).
struct PriorityMultiplier {
  int from = 1;
  int to = kLowestPriority;
  int64_t ppm = kPpmOne;
};

/// A multiplier for the hours [fromHour, toHour) of the simulated day.
struct HourMultiplier {
  int fromHour = 0;
  int toHour = 24;
  int64_t ppm = kPpmOne;
};

/// A price table (docs/serving.md, "Pricing"). Priorities and hours that no
/// entry covers pay x1.
struct PriceTable {
  std::string currency;
  UnitPrices prices;
  std::vector<PriorityMultiplier> priorities;
  std::vector<HourMultiplier> hours;
  /// The hour of the day at simulated time 0.
  int startHour = 0;
  /// Where the table came from (for messages).
  std::string file;

  /// The multiplier of `priority`, in millionths.
  int64_t priorityPpm(int priority) const;
  /// The hour of the day (0..23) at simulated time `t`.
  int hourAt(Ps t) const;
  /// The time-of-day multiplier at simulated time `t`, in millionths.
  int64_t timeOfDayPpm(Ps t) const;
  /// The largest multipliers of the table (for the overflow check).
  int64_t maxPriorityPpm() const;
  int64_t maxTimeOfDayPpm() const;

  /// sum of count x unit price; nullopt only if it exceeds 128 bits.
  std::optional<AttoUnits> base(const OperationCounts &counts) const;
  /// round(base x priorityPpm x timeOfDayPpm / 10^21), half up, in
  /// nano-units; nullopt past INT64_MAX.
  static std::optional<int64_t> apply(AttoUnits base, int64_t priorityPpm,
                                      int64_t timeOfDayPpm);
};

/// Reads and checks a price table: every price present, an integer and not
/// negative; multipliers in [0, 1000] with at most 6 decimals; ranges in
/// bounds and disjoint. On failure returns nullopt and sets `error`
/// ("FILE: PATH: MESSAGE", or "FILE:LINE:COL: ..." for syntax).
std::optional<PriceTable> readPriceTableFile(const std::string &path,
                                             std::string &error);
std::optional<PriceTable> parsePriceTable(const std::string &text,
                                          const std::string &fileName,
                                          std::string &error);

/// The most expensive path of a variant, and what it costs before the
/// multipliers.
struct WorstCase {
  /// Per program of the variant: the path of the largest base price (the
  /// first such path in "full", "exit 1", ... order).
  std::vector<std::string> paths;
  /// The counts of those paths, summed over the programs.
  OperationCounts counts;
  AttoUnits base = 0;
};

/// The worst case of `variant` under `table`; nullopt with `error` on an
/// overflow.
std::optional<WorstCase> worstCase(const PriceTable &table,
                                   const Variant &variant, std::string &error);

/// Checks that every variant of the repository has a worst-case price that
/// fits, under the table's largest multipliers: a bill can then never
/// overflow. Returns the errors, one per variant that fails.
std::vector<std::string> checkPrices(const PriceTable &table,
                                     const Repository &repository);

/// A nano-unit amount as an exact decimal ("12.000000345").
std::string formatNano(int64_t nano);
/// A multiplier in millionths as a short decimal ("0.5", "1.25").
std::string formatPpm(int64_t ppm);

} // namespace npu::serve

#endif // NPU_SERVE_PRICING_H
