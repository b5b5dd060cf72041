//===- Server.cpp - The in-process client API of the serving layer --------===//

#include "Server.h"

#include "Summary.h"

#include <algorithm>
#include <chrono>

namespace npu::serve {

std::unique_ptr<Server> Server::open(const std::string &installation,
                                     const std::string &repository,
                                     const PolicyConfig &policy,
                                     std::string &error) {
  std::optional<InstallationSpec> spec =
      readInstallationFile(installation, error);
  if (!spec)
    return nullptr;
  return open(*spec, repository, policy, nullptr, nullptr, error);
}

std::unique_ptr<Server> Server::open(const InstallationSpec &spec,
                                     const std::string &repository,
                                     const PolicyConfig &policy,
                                     HostDirectory *directory,
                                     Measurer *measurer, std::string &error,
                                     const std::map<std::string, double>
                                         *expectedRates) {
  std::optional<Repository> repo = Repository::open(repository, error);
  if (!repo)
    return nullptr;
  std::vector<std::string> failures = repo->loadAll();
  if (!failures.empty()) {
    error = failures.front();
    return nullptr;
  }
  std::unique_ptr<Server> server(new Server());
  server->measurer = measurer;
  if (!directory) {
    server->hosts = std::make_unique<InProcessHosts>(spec);
    directory = server->hosts.get();
  }
  server->registry = std::make_unique<Registry>(spec.announceTtlPs);
  server->registry->scan(*directory, directory->hosts(), 0);
  server->repo = std::make_unique<Repository>(std::move(*repo));
  for (const ModelEntry &m : server->repo->index())
    for (const Variant &v : m.variants)
      if (std::string why = explainNoPlan(v, *server->registry); !why.empty()) {
        error = "model '" + m.name + "' variant '" + v.name + "': " + why;
        return nullptr;
      }
  server->orch = std::make_unique<Orchestrator>(*server->repo,
                                                *server->registry, policy);
  std::map<std::string, double> rates;
  for (const ModelEntry &m : server->repo->index())
    if (m.expectedRate)
      rates[m.name] = *m.expectedRate;
  server->orch->start(0, expectedRates ? *expectedRates : rates);
  return server;
}

std::optional<Server::Decided> Server::decide(const InferenceRequest &request,
                                              std::string &error) {
  if (request.arrivalPs < lastArrivalPs) {
    error = "arrival " + std::to_string(request.arrivalPs) +
            " ps is before the previous request's " +
            std::to_string(lastArrivalPs) + " ps";
    return std::nullopt;
  }
  lastArrivalPs = request.arrivalPs;
  auto begin = std::chrono::steady_clock::now();
  orch->infer(request);
  Decided d;
  d.decisionSeconds = std::chrono::duration<double>(
                          std::chrono::steady_clock::now() - begin)
                          .count();
  d.index = orch->decisions().size() - 1;
  d.opsAfter = orch->timeline().size();
  return d;
}

std::optional<Server::Run> Server::runOf(size_t index) const {
  const Decision &d = orch->decisions()[index];
  if (!d.ran() || !d.recoveries.empty())
    return std::nullopt;
  return Run{d.variant, d.chips, d.request};
}

void Server::supply(const Run &run, Measurement m) {
  cache.insert(run.request.id, run.variant, std::move(m));
}

void Server::advance(const std::set<std::string> &awaited) {
  ExecutionOptions options = measured();
  options.keepOutputs = true;
  options.awaited = &awaited;
  execution.extend(*orch, cache, options);
}

InferResponse Server::infer(const InferenceRequest &request) {
  std::string error;
  std::optional<Decided> d = decide(request, error);
  if (!d) {
    InferResponse response;
    response.id = request.id;
    response.reason = error;
    return response;
  }
  ExecutionOptions options = measured();
  options.keepOutputs = true;
  execution.extend(*orch, cache, options);
  InferResponse r = answer(d->index);
  r.decisionSeconds = d->decisionSeconds;
  return r;
}

std::string Server::records() const {
  return requestRecords(*orch, execution);
}

InferResponse Server::answer(size_t index) const {
  const Decision &d = orch->decisions()[index];
  InferResponse response;
  response.id = d.request.id;
  response.outcome = d.outcome;
  response.reason = d.reason;
  if (!d.ran())
    return response;
  response.variant = d.variant->name;
  for (int c : d.chips)
    response.chips.push_back(registry->chips()[c].key());
  response.predictedStartPs = d.startPs;
  response.predictedCompletionPs = d.predictedCompletionPs;
  const Executed &e = execution.requests[index];
  if (!e.measurement || !e.measurement->ok) {
    response.outcome = Outcome::Refused;
    response.reason = e.measurement ? e.measurement->error : "no measurement";
    return response;
  }
  response.simulatedStartPs = e.startPs;
  response.simulatedCompletionPs = e.completionPs;
  response.energyFj = e.measurement->energyFj;
  response.budgetMismatches = e.measurement->budgetMismatches;
  response.withinSlo = e.completionPs <= d.request.deadlinePs;
  response.outputs = e.measurement->outputs;
  return response;
}

AllocationAnswer Server::allocate(const AllocationRequest &request) {
  AllocationAnswer a = orch->allocate(request);
  execution.extend(*orch, cache, measured());
  return a;
}

LoadResponse Server::load(const std::string &model, Ps nowPs) {
  LoadResponse response;
  if (std::string why = repo->load(model); !why.empty()) {
    response.error = why;
    return response;
  }
  for (const Variant &v : repo->find(model)->variants)
    if (std::string why = explainNoPlan(v, *registry); !why.empty()) {
      repo->unload(model);
      response.error = "model '" + model + "' variant '" + v.name + "': " + why;
      return response;
    }
  size_t before = orch->loads().size();
  response.copies = orch->preload(model, nowPs);
  for (size_t i = before; i < orch->loads().size(); ++i) {
    const LoadOp &op = orch->loads()[i];
    response.bytes += op.variant->programs[op.program].weightBytes;
    response.readyPs = std::max(response.readyPs, op.endPs);
  }
  execution.extend(*orch, cache, measured());
  return response;
}

ExecutionOptions Server::measured() const {
  ExecutionOptions options;
  options.measurer = measurer;
  return options;
}

std::string Server::fail(const FailureEvent &event) {
  if (event.atPs < lastArrivalPs)
    return "failure at " + std::to_string(event.atPs) +
           " ps is before the previous request's " +
           std::to_string(lastArrivalPs) + " ps";
  if (std::string why = orch->fail(event); !why.empty())
    return why;
  // Handled at its detection: advance there and run what it placed again.
  lastArrivalPs = event.detectedPs();
  orch->advanceTo(lastArrivalPs);
  ExecutionOptions options = measured();
  options.keepOutputs = true;
  execution.extend(*orch, cache, options);
  return "";
}

std::string Server::adopt(const AllocationRequest &request,
                          const std::string &variant,
                          const std::vector<std::string> &chipKeys,
                          Ps endPs) {
  std::vector<int> chips;
  for (const std::string &key : chipKeys) {
    auto it = std::find_if(
        registry->chips().begin(), registry->chips().end(),
        [&](const PoolChip &c) { return c.key() == key; });
    if (it == registry->chips().end())
      return "allocation '" + request.id + "': no chip '" + key + "'";
    chips.push_back(it->index);
  }
  if (request.arrivalPs < lastArrivalPs)
    return "allocation '" + request.id + "' taken over in the past";
  if (std::string why = orch->adopt(request, variant, chips, endPs);
      !why.empty())
    return why;
  lastArrivalPs = request.arrivalPs;
  execution.extend(*orch, cache, measured());
  return "";
}

std::string Server::rejoin(const std::string &host, Ps nowPs) {
  Ps t = std::max(nowPs, lastArrivalPs);
  if (std::string why = orch->rejoin(host, t); !why.empty())
    return why;
  lastArrivalPs = t;
  execution.extend(*orch, cache, measured());
  return "";
}

LoadResponse Server::unload(const std::string &model) {
  LoadResponse response;
  if (std::string why = repo->unload(model); !why.empty()) {
    response.error = why;
    return response;
  }
  response.freedBytes = orch->evict(model);
  return response;
}

} // namespace npu::serve
