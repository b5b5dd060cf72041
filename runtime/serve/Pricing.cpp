//===- Pricing.cpp - The price of a request from its exact counts ---------===//
//
// The arithmetic of Pricing.h: 128-bit, checked, one rounding. The table's
// file format is read in PriceTable.cpp.
//
//===----------------------------------------------------------------------===//

#include "Pricing.h"

#include "Repository.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>

namespace npu::serve {

namespace {

/// 10^21: the two multipliers' millionths and the price's 10^9.
constexpr AttoUnits kAttoPerNanoPpm2 =
    AttoUnits(1000000000000000000ull) * 1000u;

bool mulChecked(AttoUnits a, AttoUnits b, AttoUnits &out) {
  return !__builtin_mul_overflow(a, b, &out);
}

bool addChecked(AttoUnits a, AttoUnits b, AttoUnits &out) {
  return !__builtin_add_overflow(a, b, &out);
}

} // namespace

int64_t PriceTable::priorityPpm(int priority) const {
  for (const PriorityMultiplier &m : priorities)
    if (priority >= m.from && priority <= m.to)
      return m.ppm;
  return kPpmOne;
}

int PriceTable::hourAt(Ps t) const {
  Ps day = 24 * kPsPerHour;
  Ps within = ((t % day) + day) % day;
  return int((within / kPsPerHour + startHour) % 24);
}

int64_t PriceTable::timeOfDayPpm(Ps t) const {
  int hour = hourAt(t);
  for (const HourMultiplier &m : hours)
    if (hour >= m.fromHour && hour < m.toHour)
      return m.ppm;
  return kPpmOne;
}

int64_t PriceTable::maxPriorityPpm() const {
  int64_t best = kPpmOne;
  for (const PriorityMultiplier &m : priorities)
    best = std::max(best, m.ppm);
  return best;
}

int64_t PriceTable::maxTimeOfDayPpm() const {
  int64_t best = kPpmOne;
  for (const HourMultiplier &m : hours)
    best = std::max(best, m.ppm);
  return best;
}

std::optional<AttoUnits> PriceTable::base(const OperationCounts &c) const {
  const std::pair<int64_t, int64_t> items[] = {{c.macs, prices.mac},
                                               {c.vectorOps, prices.vectorOp},
                                               {c.hostBytes, prices.hostByte},
                                               {c.dramBytes, prices.dramByte},
                                               {c.linkBytes, prices.linkByte}};
  AttoUnits total = 0;
  for (const auto &[count, price] : items) {
    AttoUnits term = 0;
    if (count < 0 || price < 0 ||
        !mulChecked(AttoUnits(count), AttoUnits(price), term) ||
        !addChecked(total, term, total))
      return std::nullopt;
  }
  return total;
}

std::optional<int64_t> PriceTable::apply(AttoUnits base, int64_t priorityPpm,
                                         int64_t timeOfDayPpm) {
  AttoUnits scaled = 0;
  if (priorityPpm < 0 || timeOfDayPpm < 0 ||
      !mulChecked(base, AttoUnits(priorityPpm), scaled) ||
      !mulChecked(scaled, AttoUnits(timeOfDayPpm), scaled) ||
      !addChecked(scaled, kAttoPerNanoPpm2 / 2, scaled))
    return std::nullopt;
  AttoUnits nano = scaled / kAttoPerNanoPpm2;
  if (nano > AttoUnits(INT64_MAX))
    return std::nullopt;
  return int64_t(nano);
}

std::optional<WorstCase> worstCase(const PriceTable &table,
                                   const Variant &variant, std::string &error) {
  WorstCase worst;
  const std::string where =
      "model '" + variant.model + "' variant '" + variant.name + "'";
  for (size_t p = 0; p < variant.operations.size(); ++p) {
    const PathOperations *best = nullptr;
    AttoUnits bestBase = 0;
    for (const PathOperations &path : variant.operations[p].paths) {
      std::optional<AttoUnits> b = table.base(path.counts);
      if (!b) {
        error = where + " path '" + path.path +
                "': its price exceeds 2^128 "
                "units of 10^-18 " +
                table.currency;
        return std::nullopt;
      }
      if (!best || *b > bestBase) {
        best = &path;
        bestBase = *b;
      }
    }
    if (!best)
      continue;
    worst.paths.push_back(best->path);
    if (!addCounts(worst.counts, best->counts) ||
        !addChecked(worst.base, bestBase, worst.base)) {
      error = where + ": its worst-case counts exceed 2^63 - 1";
      return std::nullopt;
    }
  }
  return worst;
}

std::vector<std::string> checkPrices(const PriceTable &table,
                                     const Repository &repository) {
  std::vector<std::string> errors;
  for (const ModelEntry &m : repository.index())
    for (const Variant &v : m.variants) {
      std::string error;
      std::optional<WorstCase> worst = worstCase(table, v, error);
      if (worst && !PriceTable::apply(worst->base, table.maxPriorityPpm(),
                                      table.maxTimeOfDayPpm()))
        error = "model '" + m.name + "' variant '" + v.name +
                "': its worst-case price under " + table.file +
                " exceeds 2^63 - 1 nano-units of " + table.currency;
      if (!error.empty())
        errors.push_back(std::move(error));
    }
  return errors;
}

namespace {

/// `value` / 10^digits as an exact decimal with `digits` decimals.
std::string fixedPoint(int64_t value, int digits, uint64_t scale) {
  char buf[48];
  uint64_t magnitude =
      value < 0 ? uint64_t(0) - uint64_t(value) : uint64_t(value);
  std::snprintf(buf, sizeof buf, "%s%" PRIu64 ".%0*" PRIu64,
                value < 0 ? "-" : "", magnitude / scale, digits,
                magnitude % scale);
  return buf;
}

} // namespace

std::string formatNano(int64_t nano) { return fixedPoint(nano, 9, 1000000000); }

std::string formatPpm(int64_t ppm) {
  std::string out = fixedPoint(ppm, 6, uint64_t(kPpmOne));
  while (out.back() == '0')
    out.pop_back();
  if (out.back() == '.')
    out.pop_back();
  return out;
}

} // namespace npu::serve
