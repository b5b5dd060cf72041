//===- Bills.cpp - One bill per request, totals per tenant and tier -------===//
//
// The bills of a run (Bills.h) and their renderings: JSON Lines, the totals
// as JSON and as a table, and the revenue counter. The prices themselves
// come from Pricing.cpp; nothing here rounds.
//
//===----------------------------------------------------------------------===//

#include "Bills.h"

#include <prometheus/counter.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <cinttypes>
#include <cstdio>

namespace npu::serve {

using ojson = nlohmann::ordered_json;

namespace {

/// The price of `priced.counts` under the bill's multipliers.
bool pricePath(const PriceTable &table, const Bill &bill, PricedPath &priced) {
  std::optional<AttoUnits> base = table.base(priced.counts);
  std::optional<int64_t> nano =
      base ? PriceTable::apply(*base, bill.priorityPpm, bill.timeOfDayPpm)
           : std::nullopt;
  priced.priceNano = nano.value_or(0);
  return nano.has_value();
}

/// The counts of the paths the simulator measured, one per program.
bool takenPath(const Variant &v, const Measurement &m, PricedPath &taken,
               std::string &error) {
  for (size_t p = 0; p < v.operations.size() && p < m.paths.size(); ++p) {
    taken.paths.push_back(m.paths[p]);
    if (m.paths[p] == "none")
      continue;
    const OperationCounts *counts = v.operations[p].find(m.paths[p]);
    if (!counts) {
      error = "variant '" + v.name + "' program " + std::to_string(p) +
              " took path '" + m.paths[p] + "', which it has no counts for";
      return false;
    }
    if (!addCounts(taken.counts, *counts)) {
      error = "variant '" + v.name + "': the taken path's counts overflow";
      return false;
    }
  }
  return true;
}

bool addBill(BillTotal &total, const Bill &bill) {
  total.requests += 1;
  if (!bill.charged)
    return true;
  total.charged += 1;
  return !__builtin_add_overflow(total.revenueNano, bill.worst.priceNano,
                                 &total.revenueNano) &&
         !__builtin_add_overflow(total.takenNano, bill.taken.priceNano,
                                 &total.takenNano);
}

double ppmNumber(int64_t ppm) { return std::stod(formatPpm(ppm)); }

ojson pathJson(const PricedPath &p) {
  ojson j;
  j["paths"] = p.paths;
  j["macs"] = p.counts.macs;
  j["vector_ops"] = p.counts.vectorOps;
  j["host_bytes"] = p.counts.hostBytes;
  j["dram_bytes"] = p.counts.dramBytes;
  j["link_bytes"] = p.counts.linkBytes;
  j["price_nano"] = p.priceNano;
  return j;
}

ojson totalJson(const BillTotal &t) {
  ojson j;
  j["requests"] = t.requests;
  j["charged"] = t.charged;
  j["revenue_nano"] = t.revenueNano;
  j["taken_nano"] = t.takenNano;
  return j;
}

/// Nano-units per 1,000 charged requests, rounded half up, as a decimal;
/// "-" when nothing was charged or the figure exceeds 64 bits.
std::string perThousand(const BillTotal &t) {
  if (t.charged == 0)
    return "-";
  __int128 scaled = __int128(t.revenueNano) * 1000;
  __int128 rounded = (scaled + t.charged / 2) / t.charged;
  return rounded > INT64_MAX ? "-" : formatNano(int64_t(rounded));
}

} // namespace

std::optional<std::vector<Bill>> billRun(const Orchestrator &o,
                                         const Execution &ex,
                                         const PriceTable &table,
                                         std::string &error) {
  std::vector<Bill> bills;
  std::map<const Variant *, WorstCase> worstOf;
  const std::vector<Decision> &decisions = o.decisions();
  for (size_t i = 0; i < decisions.size(); ++i) {
    const Decision &d = decisions[i];
    Bill bill;
    bill.decision = i;
    if (!d.ran()) {
      bill.reason =
          d.reason.empty() ? std::string(outcomeName(d.outcome)) : d.reason;
      bills.push_back(std::move(bill));
      continue;
    }
    bill.charged = true;
    bill.priorityPpm = table.priorityPpm(d.request.priority);
    bill.timeOfDayPpm = table.timeOfDayPpm(d.startPs);
    bill.hour = table.hourAt(d.startPs);
    auto cached = worstOf.find(d.variant);
    if (cached == worstOf.end()) {
      std::optional<WorstCase> worst = worstCase(table, *d.variant, error);
      if (!worst)
        return std::nullopt;
      cached = worstOf.emplace(d.variant, std::move(*worst)).first;
    }
    bill.worst.paths = cached->second.paths;
    bill.worst.counts = cached->second.counts;
    const Executed &e = ex.requests[i];
    bool ok = pricePath(table, bill, bill.worst);
    if (ok && e.measurement && e.measurement->ok)
      ok = takenPath(*d.variant, *e.measurement, bill.taken, error) &&
           pricePath(table, bill, bill.taken);
    if (!ok) {
      if (error.empty())
        error = "request '" + d.request.id +
                "': its price exceeds 2^63 - 1 "
                "nano-units of " +
                table.currency;
      return std::nullopt;
    }
    bills.push_back(std::move(bill));
  }
  return bills;
}

std::optional<BillTotals> totalBills(const Orchestrator &o,
                                     const std::vector<Bill> &bills,
                                     const std::string &currency) {
  BillTotals totals;
  totals.currency = currency;
  for (const Bill &bill : bills) {
    const InferenceRequest &r = o.decisions()[bill.decision].request;
    std::string client = r.client.empty() ? "-" : r.client;
    if (!addBill(totals.all, bill) ||
        !addBill(totals.byTier[std::string(tierName(r.tier))], bill) ||
        !addBill(totals.byClient[client], bill))
      return std::nullopt;
  }
  return totals;
}

std::string billRecords(const Orchestrator &o, const std::vector<Bill> &bills,
                        const std::string &currency) {
  std::string out;
  for (const Bill &bill : bills) {
    const Decision &d = o.decisions()[bill.decision];
    ojson j;
    j["type"] = "bill";
    j["id"] = d.request.id;
    j["client"] = d.request.client;
    j["tier"] = std::string(tierName(d.request.tier));
    j["billing"] = d.request.billing;
    j["model"] = d.request.model;
    j["outcome"] = std::string(outcomeName(d.outcome));
    j["charged"] = bill.charged;
    j["currency"] = currency;
    j["price_nano"] = bill.charged ? bill.worst.priceNano : 0;
    if (!bill.charged) {
      j["reason"] = bill.reason;
      out += j.dump() + "\n";
      continue;
    }
    j["variant"] = d.variant->name;
    j["priority"] = d.request.priority;
    j["priority_multiplier"] = ppmNumber(bill.priorityPpm);
    j["start_ps"] = d.startPs;
    j["hour"] = bill.hour;
    j["time_of_day_multiplier"] = ppmNumber(bill.timeOfDayPpm);
    j["worst_case"] = pathJson(bill.worst);
    j["taken"] = pathJson(bill.taken);
    out += j.dump() + "\n";
  }
  return out;
}

ojson billTotalsJson(const BillTotals &totals) {
  ojson j;
  j["currency"] = totals.currency;
  j["total"] = totalJson(totals.all);
  ojson tiers = ojson::object(), clients = ojson::object();
  for (const auto &[tier, t] : totals.byTier)
    tiers[tier] = totalJson(t);
  for (const auto &[client, t] : totals.byClient)
    clients[client] = totalJson(t);
  j["by_tier"] = std::move(tiers);
  j["by_client"] = std::move(clients);
  return j;
}

std::string
formatBillTable(const std::vector<std::pair<std::string, BillTotals>> &runs) {
  std::string out;
  char line[512];
  std::string currency = runs.empty() ? "" : runs.front().second.currency;
  std::snprintf(line, sizeof line, "%-19s %-6s %-20s %9s %9s %16s %16s %16s\n",
                "policy", "bills", "of", "requests", "charged",
                ("price " + currency).c_str(), ("taken " + currency).c_str(),
                (currency + "/1000 req").c_str());
  out += line;
  auto row = [&](const std::string &policy, const char *group,
                 const std::string &name, const BillTotal &t) {
    std::snprintf(line, sizeof line,
                  "%-19s %-6s %-20s %9" PRId64 " %9" PRId64 " %16s %16s %16s\n",
                  policy.c_str(), group, name.c_str(), t.requests, t.charged,
                  formatNano(t.revenueNano).c_str(),
                  formatNano(t.takenNano).c_str(), perThousand(t).c_str());
    out += line;
  };
  for (const auto &[policy, totals] : runs) {
    row(policy, "total", "-", totals.all);
    for (const auto &[tier, t] : totals.byTier)
      row(policy, "tier", tier, t);
    for (const auto &[client, t] : totals.byClient)
      row(policy, "client", client, t);
  }
  return out;
}

std::string billMetrics(const BillTotals &totals) {
  using namespace prometheus;
  auto registry = std::make_shared<prometheus::Registry>();
  auto &revenue = BuildCounter()
                      .Name("npu_serve_revenue_total")
                      .Help("Charged worst-case prices by tier, in units of "
                            "the currency")
                      .Register(*registry);
  for (const auto &[tier, t] : totals.byTier)
    revenue.Add({{"tier", tier}, {"currency", totals.currency}})
        .Increment(double(t.revenueNano) / 1e9);
  return TextSerializer().Serialize(registry->Collect());
}

} // namespace npu::serve
