//===- Bills.h - One bill per request, totals per tenant, tier -*- C++ -*-===//
//
// G10's records (docs/serving.md, "Pricing"). Every inference decision of a
// run gets a bill: a request that ran is charged the worst-case price of
// its variant (fixed before the data chooses the path) under its priority's
// multiplier and the time-of-day multiplier at its start; the bill also
// shows what the path actually taken would have cost. A refused or dropped
// request is charged 0, with the reason. Totals are exact sums of bills,
// per tier and per client, and the revenue per tier is a Prometheus
// counter.
//
//===----------------------------------------------------------------------===//

#ifndef NPU_SERVE_BILLS_H
#define NPU_SERVE_BILLS_H

#include "Execution.h"
#include "Orchestrator.h"
#include "Pricing.h"

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace npu::serve {

/// What one path tuple of a request costs.
struct PricedPath {
  /// Per program of the variant.
  std::vector<std::string> paths;
  /// Summed over the programs.
  OperationCounts counts;
  /// After the multipliers, in nano-units.
  int64_t priceNano = 0;
};

/// The bill of one inference decision.
struct Bill {
  /// Into Orchestrator::decisions().
  size_t decision = 0;
  bool charged = false;
  /// Why nothing is charged (the decision's reason).
  std::string reason;
  int64_t priorityPpm = kPpmOne;
  int64_t timeOfDayPpm = kPpmOne;
  /// The hour of the simulated day the run started in.
  int hour = 0;
  /// What is charged: the variant's most expensive path.
  PricedPath worst;
  /// What the measured path would have cost (empty paths when the run has
  /// no measurement).
  PricedPath taken;
};

/// The sum of a group of bills.
struct BillTotal {
  int64_t requests = 0;
  int64_t charged = 0;
  /// Exact sums of the bills, in nano-units.
  int64_t revenueNano = 0;
  int64_t takenNano = 0;
};

/// A run's bills and their totals.
struct BillTotals {
  std::string currency;
  BillTotal all;
  std::map<std::string, BillTotal> byTier;
  /// By client; requests without one under "-".
  std::map<std::string, BillTotal> byClient;
};

/// One bill per decision of `orchestrator`, in decision order. Fails (with
/// `error`) only on an overflow that checkPrices would have refused, or a
/// measured path the variant does not have.
std::optional<std::vector<Bill>> billRun(const Orchestrator &orchestrator,
                                         const Execution &execution,
                                         const PriceTable &table,
                                         std::string &error);

/// The totals of `bills`; nullopt if a sum exceeds INT64_MAX nano-units.
std::optional<BillTotals> totalBills(const Orchestrator &orchestrator,
                                     const std::vector<Bill> &bills,
                                     const std::string &currency);

/// One JSON object per line, one per bill (bills-P.jsonl).
std::string billRecords(const Orchestrator &orchestrator,
                        const std::vector<Bill> &bills,
                        const std::string &currency);

/// The totals as JSON (the "bills" object of a policy in summary.json).
nlohmann::ordered_json billTotalsJson(const BillTotals &totals);

/// A table of every policy's totals: all, per tier, per client.
std::string
formatBillTable(const std::vector<std::pair<std::string, BillTotals>> &runs);

/// Prometheus text exposition of the revenue per tier
/// (npu_serve_revenue_total), appended to metrics-P.prom.
std::string billMetrics(const BillTotals &totals);

} // namespace npu::serve

#endif // NPU_SERVE_BILLS_H
