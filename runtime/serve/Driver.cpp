//===- Driver.cpp - The npu-serve command line ----------------------------===//

#include "Driver.h"

#include "Bills.h"
#include "Execution.h"
#include "Files.h"
#include "Installation.h"
#include "Orchestrator.h"
#include "Repository.h"
#include "Summary.h"
#include "Trace.h"

#include "TensorIO.h"

#include <CLI/CLI.hpp>

#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <filesystem>
#include <sstream>
#include <thread>

namespace npu::serve::driver {

namespace {

struct Setup {
  std::optional<InstallationSpec> spec;
  std::unique_ptr<InProcessHosts> hosts;
  std::unique_ptr<Registry> registry;
  std::optional<Repository> repository;
};

/// Reads the installation and the repository; checks that every variant of
/// every model can run somewhere.
bool setUp(const std::string &installation, const std::string &repository,
           Setup &s, std::string &err) {
  std::string error;
  if (!installation.empty()) {
    s.spec = readInstallationFile(installation, error);
    if (!s.spec) {
      err += "npu-serve: error: " + error + "\n";
      return false;
    }
    s.hosts = std::make_unique<InProcessHosts>(*s.spec);
    s.registry = std::make_unique<Registry>(s.spec->announceTtlPs);
    s.registry->scan(*s.hosts, s.hosts->hosts(), 0);
  }
  s.repository = Repository::open(repository, error);
  if (!s.repository) {
    err += "npu-serve: error: " + error + "\n";
    return false;
  }
  bool ok = true;
  for (const std::string &why : s.repository->loadAll()) {
    err += "npu-serve: error: " + why + "\n";
    ok = false;
  }
  if (s.repository->index().empty()) {
    err += "npu-serve: error: " + repository + ": no model directory\n";
    ok = false;
  }
  if (!ok || !s.registry)
    return ok;
  for (const ModelEntry &m : s.repository->index())
    for (const Variant &v : m.variants)
      if (std::string why = explainNoPlan(v, *s.registry); !why.empty()) {
        err += "npu-serve: error: model '" + m.name + "' variant '" + v.name +
               "' (" + v.file + "): " + why + "\n";
        ok = false;
      }
  return ok;
}

int runCommand(const std::string &installation, const std::string &repository,
               const std::string &tracePath,
               const std::vector<std::string> &policies,
               const std::string &objective, const PowerPolicy &power,
               double cap, int freeQuota,
               int premiumQuota, int threads, const std::string &reportDir,
               const std::string &outputDir, const std::string &priceTable,
               bool check, std::string &out, std::string &err) {
  Setup s;
  if (!setUp(installation, repository, s, err))
    return kExitError;
  std::string error;
  std::optional<PriceTable> prices;
  if (!priceTable.empty()) {
    prices = readPriceTableFile(priceTable, error);
    if (!prices) {
      err += "npu-serve: error: " + error + "\n";
      return kExitError;
    }
    std::vector<std::string> overflows = checkPrices(*prices, *s.repository);
    for (const std::string &why : overflows)
      err += "npu-serve: error: " + why + "\n";
    if (!overflows.empty())
      return kExitError;
  }
  std::optional<Trace> trace = readTraceFile(tracePath, *s.repository, error);
  if (!trace) {
    err += "npu-serve: error: " + error + "\n";
    return kExitError;
  }
  std::vector<PolicyConfig> configs;
  for (const std::string &name : policies) {
    std::optional<PolicyConfig> p = PolicyConfig::byName(name);
    if (!p) {
      err += "npu-serve: error: unknown policy '" + name +
             "' (exact, exact-drain, exact-most-accurate, exact-no-backfill, "
             "clockwork, fifo)\n";
      return kExitError;
    }
    p->planner.objective =
        objective == "power" ? Objective::Power : Objective::Latency;
    p->power = power;
    p->planner.utilisationCap = cap;
    p->freeQuota = freeQuota;
    p->premiumQuota = premiumQuota;
    configs.push_back(*p);
  }
  if (!outputDir.empty() && configs.size() != 1) {
    err += "npu-serve: error: --output-dir needs exactly one --policy\n";
    return kExitError;
  }

  MeasurementCache cache;
  std::vector<Summary> summaries;
  std::vector<std::pair<std::string, std::vector<uint8_t>>> files;
  auto file = [&](const std::string &name, const std::string &text) {
    files.emplace_back(reportDir + "/" + name,
                       std::vector<uint8_t>(text.begin(), text.end()));
  };
  bool broken = false;
  double decideSeconds = 0;
  std::vector<std::pair<std::string, BillTotals>> billRuns;
  for (const PolicyConfig &config : configs) {
    auto begin = std::chrono::steady_clock::now();
    Orchestrator o(*s.repository, *s.registry, config);
    if (prices) {
      // G9: with a price table, a request choosing by accuracy pays least.
      std::map<const Variant *, AttoUnits> costs;
      for (const ModelEntry &m : s.repository->index())
        for (const Variant &v : m.variants)
          if (std::optional<WorstCase> w = worstCase(*prices, v, error))
            costs[&v] = w->base;
      o.setPrices(std::move(costs));
    }
    o.start(0, trace->expectedRates);
    for (const TraceEntry &e : trace->entries) {
      if (e.kind == TraceEntry::Kind::Infer) {
        o.infer(e.infer);
      } else if (e.kind == TraceEntry::Kind::Allocate) {
        o.allocate(e.allocate);
      } else if (std::string why = o.fail(e.fail); !why.empty()) {
        err += "npu-serve: error: " + tracePath + ":" +
               std::to_string(e.fail.line) + ": " + why + "\n";
        return kExitError;
      }
    }
    o.finish();
    decideSeconds += std::chrono::duration<double>(
                         std::chrono::steady_clock::now() - begin)
                         .count();
    ExecutionOptions eo;
    eo.threads = threads;
    eo.keepOutputs = !outputDir.empty();
    Execution ex = execute(o, cache, eo);
    for (const std::string &why : ex.errors)
      err += "npu-serve: error: " + why + "\n";
    if (!ex.errors.empty())
      return kExitError;
    Summary summary = summarize(o, ex, trace->durationPs);
    std::optional<std::vector<Bill>> bills;
    if (prices) {
      bills = billRun(o, ex, *prices, error);
      if (bills)
        summary.bills = totalBills(o, *bills, prices->currency);
      if (!bills || !summary.bills) {
        err += "npu-serve: error: " +
               (error.empty() ? "the bill totals exceed 2^63 - 1 nano-units"
                              : error) +
               "\n";
        return kExitError;
      }
      billRuns.emplace_back(config.name, *summary.bills);
    }
    if (config.name.rfind("exact", 0) == 0 &&
        (summary.maxErrorPs != 0 || summary.maxCheckpointErrorPs != 0 ||
         summary.budgetMismatches != 0 ||
         // A backfilled request's deadline holds unless an owner displaces
         // it (docs/serving.md, "Backfill"); every other one's holds.
         summary.withinSlo + summary.lateAfterDisplacement != summary.admitted))
      broken = true;
    summaries.push_back(summary);
    if (!reportDir.empty()) {
      file("requests-" + config.name + ".jsonl", requestRecords(o, ex));
      file("metrics-" + config.name + ".prom",
           prometheusText(o, ex, trace->durationPs) +
               (summary.bills ? billMetrics(*summary.bills) : ""));
      if (bills)
        file("bills-" + config.name + ".jsonl",
             billRecords(o, *bills, prices->currency));
      file("trace-" + config.name + ".json", perfettoTrace(o, ex));
    }
    if (!outputDir.empty()) {
      for (size_t i = 0; i < o.decisions().size(); ++i) {
        const Executed &e = ex.requests[i];
        if (!e.measurement)
          continue;
        const Variant &v = *o.decisions()[i].variant;
        for (const rt::TensorSignature &sig : v.binary->outputs) {
          rt::io::Tensor t;
          t.type = rt::io::fromDType(sig.dtype);
          t.shape = sig.shape;
          t.data = e.measurement->outputs.at(sig.name);
          std::string safe = sig.name;
          for (char &c : safe)
            if (c == '/' || c == ':')
              c = '_';
          files.emplace_back(outputDir + "/" + o.decisions()[i].request.id +
                                 "." + safe + ".npy",
                             rt::io::encodeNpy(t));
        }
      }
    }
  }
  if (!reportDir.empty())
    file("summary.json", summaryJson(summaries));
  std::error_code ec;
  if (!reportDir.empty())
    std::filesystem::create_directories(reportDir, ec);
  if (!outputDir.empty())
    std::filesystem::create_directories(outputDir, ec);
  if (std::string why = rt::io::writeFilesAtomically(files); !why.empty()) {
    err += "npu-serve: error: " + why + "\n";
    return kExitError;
  }
  out += formatSummaryTable(summaries);
  if (!billRuns.empty())
    out += formatBillTable(billRuns);
  char line[256];
  std::snprintf(line, sizeof line,
                "simulated %" PRId64 " inferences in %.2f s (functional, %d "
                "threads); decisions %.2f s\n",
                cache.simulations, cache.simulationSeconds, threads,
                decideSeconds);
  out += line;
  if (check && broken) {
    err += "npu-serve: error: --check: the exact policy broke its promise "
           "(a prediction error, a budget mismatch or a missed deadline)\n";
    return kExitBroken;
  }
  return kExitOk;
}

} // namespace

int run(const std::vector<std::string> &args, std::string &out,
        std::string &err) {
  CLI::App app{"npu-serve: serving on exact budgets (docs/serving.md). "
               "The daemons of a distributed installation are `npu-serve "
               "host` and `npu-serve controller` (see their --help)",
               "npu-serve"};
  app.require_subcommand(1);

  std::string installation, repository, tracePath, reportDir, outputDir,
      output, priceTable;
  std::vector<std::string> policies = {"exact"};
  std::string objective = "latency";
  std::string idleWindow = "never";
  double cap = 0.7;
  int freeQuota = 0, premiumQuota = 0;
  int threads = int(std::max(1u, std::thread::hardware_concurrency()));
  bool check = false;

  CLI::App *runCmd = app.add_subcommand(
      "run", "Serve a trace on an installation in simulated time");
  runCmd->add_option("--installation", installation, "Installation JSON")
      ->required();
  runCmd->add_option("--repository", repository, "Model repository directory")
      ->required();
  runCmd->add_option("--trace", tracePath, "Trace (JSON Lines)")->required();
  runCmd->add_option("--policy", policies,
                     "exact, exact-drain, exact-most-accurate, "
                     "exact-no-backfill, clockwork, fifo (several: same trace, "
                     "one report each)")
      ->delimiter(',');
  runCmd->add_option("--idle-window-ns", idleWindow,
                     "When an idle chip powers down (M4): never (default), "
                     "break-even (wake energy / (idle - off power), per chip) "
                     "or a time in ns");
  runCmd->add_option("--objective", objective, "latency or power (G7)")
      ->check(CLI::IsMember({"latency", "power"}));
  runCmd->add_option("--utilisation-cap", cap,
                     "Largest share of a chip the planner gives out")
      ->check(CLI::Range(0.01, 1.0));
  runCmd->add_option("--free-quota", freeQuota,
                     "Free-tier requests in flight at most (0: no quota)")
      ->check(CLI::Range(0, 1 << 30));
  runCmd->add_option("--premium-quota", premiumQuota,
                     "Premium requests in flight at most (0: no quota)")
      ->check(CLI::Range(0, 1 << 30));
  runCmd->add_option("--threads", threads, "Host threads for the simulator")
      ->check(CLI::Range(1, 256));
  runCmd->add_option("--report-dir", reportDir,
                     "Write requests-P.jsonl, metrics-P.prom, trace-P.json, "
                     "bills-P.jsonl and summary.json here");
  runCmd->add_option("--output-dir", outputDir,
                     "Write every admitted request's outputs here "
                     "(<id>.<output>.npy)");
  runCmd->add_option("--price-table", priceTable,
                     "Price every request (G10): write bills-P.jsonl and "
                     "print the totals per tier and client");
  runCmd->add_flag("--check", check,
                   "Exit 3 unless the exact policy kept every promise");

  TraceGenOptions gen;
  double burstOnUs = 0, burstOffUs = 0;
  CLI::App *genCmd =
      app.add_subcommand("gen-trace", "Write a seeded synthetic trace");
  genCmd->add_option("--installation", installation, "Installation JSON")
      ->required();
  genCmd->add_option("--repository", repository, "Model repository")
      ->required();
  genCmd->add_option("-o,--output", output, "Trace file to write")->required();
  genCmd->add_option("--seed", gen.seed, "Random seed");
  genCmd->add_option("--requests", gen.requests, "Expected request count")
      ->check(CLI::Range(int64_t(1), int64_t(10000000)));
  genCmd->add_option("--cv", gen.cv, "Coefficient of variation of arrivals")
      ->check(CLI::Range(0.05, 100.0));
  genCmd->add_option("--slo-scale", gen.sloScale,
                     "SLO = k x the model's compiled latency")
      ->check(CLI::Range(1.0, 1e6));
  genCmd->add_option("--utilisation", gen.utilisation,
                     "Offered load as a share of the pool's capacity")
      ->check(CLI::Range(0.001, 100.0));
  genCmd->add_option("--rate", gen.ratePerSecond,
                     "Total requests per second (overrides --utilisation)")
      ->check(CLI::Range(0.0, 1e12));
  genCmd->add_option("--zipf", gen.zipf, "Zipf exponent of popularity")
      ->check(CLI::Range(0.0, 10.0));
  genCmd->add_option("--premium-share", gen.premiumShare,
                     "Share of premium requests")
      ->check(CLI::Range(0.0, 1.0));
  genCmd->add_option("--priorities", gen.priorities, "Priorities 1..P")
      ->check(CLI::Range(1, kLowestPriority));
  genCmd->add_option("--burst-on-us", burstOnUs, "On window of bursts (us)")
      ->check(CLI::Range(0.0, 1e9));
  genCmd->add_option("--burst-off-us", burstOffUs, "Off window (us)")
      ->check(CLI::Range(0.0, 1e9));

  CLI::App *indexCmd =
      app.add_subcommand("index", "Print the repository index");
  indexCmd->add_option("--repository", repository, "Model repository")
      ->required();
  indexCmd->add_option("--installation", installation,
                       "Also say where each variant can run");

  std::vector<std::string> reversed(args.rbegin(), args.rend());
  try {
    app.parse(reversed);
  } catch (const CLI::CallForHelp &) {
    out += app.help();
    return kExitOk;
  } catch (const CLI::CallForAllHelp &) {
    out += app.help("", CLI::AppFormatMode::All);
    return kExitOk;
  } catch (const CLI::ParseError &e) {
    err += "npu-serve: error: " + std::string(e.what()) + "\n";
    return kExitError;
  }

  PowerPolicy power;
  if (runCmd->parsed() && !power.parse(idleWindow)) {
    err += "npu-serve: error: --idle-window-ns: expected never, break-even or "
           "a whole number of ns (at most 12 digits), got '" +
           idleWindow + "'\n";
    return kExitError;
  }
  if (runCmd->parsed())
    return runCommand(installation, repository, tracePath, policies, objective,
                      power, cap, freeQuota, premiumQuota, threads, reportDir,
                      outputDir, priceTable, check, out, err);
  if (genCmd->parsed()) {
    Setup s;
    if (!setUp(installation, repository, s, err))
      return kExitError;
    gen.burstOnPs = Ps(burstOnUs * double(kPsPerUs));
    gen.burstOffPs = Ps(burstOffUs * double(kPsPerUs));
    std::string error;
    std::string text = generateTrace(*s.repository, *s.registry, gen, error);
    if (text.empty()) {
      err += "npu-serve: error: " + error + "\n";
      return kExitError;
    }
    if (std::string why = writeTextAtomically(output, text); !why.empty()) {
      err += "npu-serve: error: " + why + "\n";
      return kExitError;
    }
    return kExitOk;
  }
  Setup s;
  if (!setUp(installation, repository, s, err) && !s.repository)
    return kExitError;
  out += formatIndex(*s.repository, s.registry.get());
  return kExitOk;
}

} // namespace npu::serve::driver
