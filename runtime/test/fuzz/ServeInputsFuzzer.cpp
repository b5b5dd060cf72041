//===- ServeInputsFuzzer.cpp - libFuzzer entry point of npu-serve's inputs ===//
//
// The text npu-serve reads from its users: an installation file, a price
// table, a trace and a model's config.json. The first byte of an input
// picks the reader, the rest is the text. Each reader must refuse with a
// message or accept, and never crash, read out of bounds or hit undefined
// behaviour (ASan, UBSan). An accepted trace is then served by the exact
// policy on a one-host installation of the model's own system, and every
// request it admits must be promised by its deadline (the invariant
// docs/serving.md states); an accepted price table must price the model.
//
// NPU_FUZZ_MODEL names a .npub: the one model ("m", variant "v") of the
// repository the trace and config.json are read against.
//
//   NPU_FUZZ_MODEL=m.npub build-fuzz/npurt-serve-fuzzer -max_total_time=30 DIR
//
//===----------------------------------------------------------------------===//

#include "Installation.h"
#include "Orchestrator.h"
#include "Pricing.h"
#include "Repository.h"
#include "Trace.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

namespace fs = std::filesystem;
using namespace npu::serve;

namespace {

std::string root;
std::unique_ptr<Repository> repository;
std::unique_ptr<Registry> registry;

[[noreturn]] void die(const std::string &why) {
  std::fprintf(stderr, "serve fuzzer: %s\n", why.c_str());
  std::exit(2);
}

/// A repository of one model, m/1/v.npub, under `dir`.
void makeRepository(const fs::path &dir, const std::string &model) {
  std::error_code ec;
  fs::create_directories(dir / "m" / "1", ec);
  fs::copy_file(model, dir / "m" / "1" / "v.npub",
                fs::copy_options::overwrite_existing, ec);
  if (ec)
    die("cannot copy " + model + ": " + ec.message());
}

void fuzzTrace(const std::string &text) {
  std::string error;
  std::optional<Trace> trace = parseTrace(text, "t.jsonl", root, *repository,
                                          error);
  if (!trace) {
    if (error.empty())
      std::abort(); // A refusal must say why.
    return;
  }
  Orchestrator o(*repository, *registry, PolicyConfig::exact());
  o.start(0, trace->expectedRates);
  for (const TraceEntry &e : trace->entries) {
    if (e.kind == TraceEntry::Kind::Infer)
      o.infer(e.infer);
    else if (e.kind == TraceEntry::Kind::Allocate)
      o.allocate(e.allocate);
    else if (o.fail(e.fail).empty() && e.fail.host.empty())
      std::abort(); // A failure of no host cannot be accepted.
  }
  o.finish();
  for (const Decision &d : o.decisions())
    if (d.outcome == Outcome::Admitted &&
        d.predictedCompletionPs > d.request.deadlinePs)
      std::abort(); // A promise past the deadline.
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
  const char *model = std::getenv("NPU_FUZZ_MODEL");
  if (!model)
    die("NPU_FUZZ_MODEL must name a .npub");
  char pattern[] = "/tmp/npu-serve-fuzz-XXXXXX";
  if (!mkdtemp(pattern))
    die("cannot make a temporary directory");
  root = pattern;
  std::atexit([] {
    std::error_code ec;
    fs::remove_all(root, ec);
  });
  makeRepository(fs::path(root) / "repo", model);
  makeRepository(fs::path(root) / "config", model);
  std::string error;
  std::optional<Repository> repo =
      Repository::open(root + "/repo", error);
  if (!repo || !repo->loadAll().empty() || !repo->find("m"))
    die(std::string(model) + ": not a loadable model " + error);
  repository = std::make_unique<Repository>(std::move(*repo));
  const Variant &v = repository->find("m")->variants.front();
  InstallationSpec spec;
  HostSpec host;
  host.name = "h";
  host.system = v.binary->system;
  spec.hosts.push_back(host);
  InProcessHosts hosts(spec);
  registry = std::make_unique<Registry>(spec.announceTtlPs);
  registry->scan(hosts, hosts.hosts(), 0);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0)
    return 0;
  std::string text(reinterpret_cast<const char *>(data) + 1, size - 1);
  std::string error;
  switch (data[0] % 4) {
  case 0:
    if (!parseInstallation(text, "installation.json", root, error) &&
        error.empty())
      std::abort();
    break;
  case 1: {
    std::optional<PriceTable> table =
        parsePriceTable(text, "prices.json", error);
    if (!table) {
      if (error.empty())
        std::abort();
      break;
    }
    checkPrices(*table, *repository);
    break;
  }
  case 2:
    fuzzTrace(text);
    break;
  case 3: {
    {
      std::ofstream out(root + "/config/m/config.json", std::ios::trunc);
      out << text;
    }
    std::optional<Repository> repo = Repository::open(root + "/config", error);
    if (!repo)
      std::abort(); // The directory is there: opening cannot fail.
    std::string why = repo->load("m");
    const ModelEntry *entry = repo->find("m");
    if (!entry || (why.empty() != (entry->state == ModelState::Ready)))
      std::abort(); // Ready exactly when the load says nothing.
    break;
  }
  }
  return 0;
}
