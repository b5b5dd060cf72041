//===- PriceTable.cpp - Reading and checking a price table ----------------===//
//
// The file format of docs/serving.md, "Pricing", read through JsonReader:
// every error names the JSON path of the item ("nano_units_per_billion.mac:
// missing"), unknown keys are errors, and nothing has a silent default
// except what the document says pays x1.
//
//===----------------------------------------------------------------------===//

#include "Files.h"
#include "Json.h"
#include "Pricing.h"

#include <cmath>

namespace npu::serve {

using nlohmann::json;

namespace {

std::string at(const std::string &path, size_t i) {
  return path + "[" + std::to_string(i) + "]";
}

/// A price: present, an exact integer, not negative.
int64_t readPrice(const JsonReader &r, const json &prices, const char *key) {
  int64_t value = r.integer(prices, "nano_units_per_billion", key);
  if (value < 0)
    r.fail(std::string("nano_units_per_billion.") + key,
           "a price must not be negative, got " + std::to_string(value));
  return value;
}

/// A multiplier as exact millionths: a number in [0, 1000] with at most six
/// decimals.
int64_t readMultiplier(const JsonReader &r, const json &entry,
                       const std::string &path) {
  double value = r.number(entry, path, "multiplier");
  std::string where = path + ".multiplier";
  if (!(value >= 0) || value > double(kMaxMultiplierPpm / kPpmOne))
    r.fail(where, "must be in [0, 1000], got " + entry["multiplier"].dump());
  double scaled = value * double(kPpmOne);
  double rounded = std::round(scaled);
  if (std::fabs(scaled - rounded) > 1e-6 * std::max(1.0, rounded))
    r.fail(where, "has more than 6 decimals: " + entry["multiplier"].dump());
  return int64_t(rounded);
}

/// An integer field in [lo, hi].
int readBounded(const JsonReader &r, const json &entry, const std::string &path,
                const char *key, int lo, int hi) {
  int64_t value = r.integer(entry, path, key);
  if (value < lo || value > hi)
    r.fail(path + "." + key, "must be in [" + std::to_string(lo) + ", " +
                                 std::to_string(hi) + "], got " +
                                 std::to_string(value));
  return int(value);
}

std::vector<PriorityMultiplier> readPriorities(const JsonReader &r,
                                               const json &root) {
  std::vector<PriorityMultiplier> out;
  if (!root.contains("priority_multipliers"))
    return out;
  const std::string path = "priority_multipliers";
  const json &list = r.array(root, "", "priority_multipliers");
  for (size_t i = 0; i < list.size(); ++i) {
    std::string p = at(path, i);
    r.allowKeys(list[i], p, {"from", "to", "multiplier"});
    PriorityMultiplier m;
    m.from = readBounded(r, list[i], p, "from", 1, kLowestPriority);
    m.to = readBounded(r, list[i], p, "to", m.from, kLowestPriority);
    m.ppm = readMultiplier(r, list[i], p);
    for (size_t k = 0; k < out.size(); ++k)
      if (m.from <= out[k].to && out[k].from <= m.to)
        r.fail(p, "priorities " + std::to_string(m.from) + ".." +
                      std::to_string(m.to) + " overlap " + at(path, k));
    out.push_back(m);
  }
  return out;
}

void readTimeOfDay(const JsonReader &r, const json &root, PriceTable &table) {
  if (!root.contains("time_of_day"))
    return;
  const std::string path = "time_of_day";
  const json &tod = r.object(root, "", "time_of_day");
  r.allowKeys(tod, path, {"start_hour", "periods"});
  if (tod.contains("start_hour"))
    table.startHour = readBounded(r, tod, path, "start_hour", 0, 23);
  const json &list = r.array(tod, path, "periods");
  for (size_t i = 0; i < list.size(); ++i) {
    std::string p = at(path + ".periods", i);
    r.allowKeys(list[i], p, {"from_hour", "to_hour", "multiplier"});
    HourMultiplier m;
    m.fromHour = readBounded(r, list[i], p, "from_hour", 0, 23);
    m.toHour = readBounded(r, list[i], p, "to_hour", m.fromHour + 1, 24);
    m.ppm = readMultiplier(r, list[i], p);
    for (size_t k = 0; k < table.hours.size(); ++k)
      if (m.fromHour < table.hours[k].toHour &&
          table.hours[k].fromHour < m.toHour)
        r.fail(p, "hours [" + std::to_string(m.fromHour) + ", " +
                      std::to_string(m.toHour) + ") overlap " +
                      at(path + ".periods", k));
    table.hours.push_back(m);
  }
}

} // namespace

std::optional<PriceTable> parsePriceTable(const std::string &text,
                                          const std::string &fileName,
                                          std::string &error) {
  PriceTable table;
  table.file = fileName;
  bool ok = parseJsonDocument(
      text, fileName, error, [&](const json &root, JsonReader &r) {
        r.allowKeys(root, "",
                    {"currency", "nano_units_per_billion",
                     "priority_multipliers", "time_of_day"});
        table.currency = r.string(root, "", "currency");
        if (table.currency.empty() || table.currency.size() > 16)
          r.fail("currency", "must be a name of 1 to 16 characters");
        const json &prices = r.object(root, "", "nano_units_per_billion");
        r.allowKeys(
            prices, "nano_units_per_billion",
            {"mac", "vector_op", "host_byte", "dram_byte", "link_byte"});
        table.prices.mac = readPrice(r, prices, "mac");
        table.prices.vectorOp = readPrice(r, prices, "vector_op");
        table.prices.hostByte = readPrice(r, prices, "host_byte");
        table.prices.dramByte = readPrice(r, prices, "dram_byte");
        table.prices.linkByte = readPrice(r, prices, "link_byte");
        table.priorities = readPriorities(r, root);
        readTimeOfDay(r, root, table);
      });
  if (!ok)
    return std::nullopt;
  return table;
}

std::optional<PriceTable> readPriceTableFile(const std::string &path,
                                             std::string &error) {
  std::string text;
  if (!readTextFile(path, text, error))
    return std::nullopt;
  return parsePriceTable(text, path, error);
}

} // namespace npu::serve
