//===- Controller.cpp - The controller of a distributed installation ------===//

#include "Controller.h"

#include "Cluster.h"
#include "Daemons.h"
#include "Etcd.h"
#include "Files.h"
#include "Messages.h"
#include "Metrics.h"
#include "Server.h"
#include "Trace.h"

#include "inference.grpc.pb.h"
#include "npu_serve.grpc.pb.h"

#include <grpcpp/grpcpp.h>
#include <nlohmann/json.hpp>

#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <set>

namespace npu::serve::net {

namespace {

void log(const std::string &who, const std::string &text) {
  logLine(who, text);
}

/// What a finished request answered, kept so that a retry with the same id
/// gets the same answer (idempotence).
struct Answer {
  grpc::Status status;
  inference::ModelInferResponse response;
};

/// The controller's state; every service reads it under `mutex`.
class State {
public:
  State(const ControllerOptions &options, InstallationSpec spec)
      : options(options), spec(std::move(spec)),
        cluster(this->spec, options.name) {}

  const ControllerOptions &options;
  InstallationSpec spec;
  Cluster cluster;
  Etcd *etcd = nullptr;

  std::mutex mutex;
  std::condition_variable changed;
  std::unique_ptr<Server> server;
  bool leader = false;
  std::chrono::steady_clock::time_point leaderSince;
  /// The answers kept for retries, the oldest first out past
  /// kKeptAnswers: a retry comes within seconds, and a daemon that runs for
  /// months must not keep every answer (with its outputs) it gave.
  std::map<std::string, Answer> answers;
  std::deque<std::string> answerOrder;
  static constexpr size_t kKeptAnswers = 65536;
  void keep(const std::string &id, Answer answer) {
    if (answers.emplace(id, std::move(answer)).second)
      answerOrder.push_back(id);
    while (answerOrder.size() > kKeptAnswers) {
      answers.erase(answerOrder.front());
      answerOrder.pop_front();
    }
  }
  std::set<std::string> inFlight;
  /// Requests whose runs are being measured outside the lock.
  std::set<std::string> awaited;
  int64_t nextSequence = 0;
  /// Null without --metrics.
  std::unique_ptr<Metrics> metrics;
  /// The controller's lease: what it publishes vanishes with it.
  int64_t lease = 0;
  /// What was last published under /npu/models/, by key.
  std::map<std::string, std::string> published;
  void poolChanged() {
    if (!server)
      return;
    if (metrics)
      metrics->pool(*server, leader);
    publishModels();
  }
  /// P4: each model's state and the chips holding a copy, under
  /// /npu/models/<name>, for clients to watch; written only when changed.
  void publishModels() {
    if (!etcd || !leader)
      return;
    const Orchestrator &o = server->orchestrator();
    for (const ModelEntry &m : server->repository().index()) {
      nlohmann::json j;
      j["version"] = m.version;
      j["state"] = m.state == ModelState::Ready ? "READY" : "UNAVAILABLE";
      if (m.state != ModelState::Ready)
        j["reason"] = m.reason;
      std::vector<std::string> copies;
      for (const PoolChip &c : server->pool().chips()) {
        const ChipState &state = o.chipStates()[size_t(c.index)];
        if (state.failedPs)
          continue;
        for (const Variant &v : m.variants)
          if (state.residency.holds(&v, 0)) {
            copies.push_back(c.key() + ":" + v.name);
            break;
          }
      }
      j["copies"] = copies;
      std::string key = kModelsPrefix + m.name, value = j.dump();
      if (published[key] == value)
        continue;
      if (etcd->put(key, value, lease).empty())
        published[key] = value;
    }
  }

  /// Simulated now (under `mutex`).
  Ps nowPs() const {
    Ps last = server ? server->now() : 0;
    if (options.clock != "paced")
      return last;
    auto wall = std::chrono::duration_cast<std::chrono::nanoseconds>(
                    std::chrono::steady_clock::now() - leaderSince)
                    .count();
    return std::max<Ps>(last, Ps(wall) * 1000);
  }
  /// When simulated time `ps` comes in wall time (paced clock).
  std::chrono::steady_clock::time_point wallOf(Ps ps) const {
    return leaderSince + std::chrono::nanoseconds(ps / 1000 + 1);
  }

  grpc::Status authorize(grpc::ServerContext *context) const {
    if (options.token.empty())
      return grpc::Status::OK;
    auto range = context->client_metadata().equal_range("authorization");
    for (auto it = range.first; it != range.second; ++it)
      if (std::string(it->second.data(), it->second.size()) ==
          "Bearer " + options.token)
        return grpc::Status::OK;
    return {grpc::StatusCode::UNAUTHENTICATED,
            "this server needs 'authorization: Bearer <token>' to load, "
            "unload or allocate"};
  }

  grpc::Status notLeader() {
    std::string error, leaderName;
    if (etcd)
      leaderName = etcd->leader(kElection, error).value_or("none yet");
    return {grpc::StatusCode::UNAVAILABLE,
            "controller '" + options.name +
                "' is a standby; the leader is " + leaderName};
  }
};

void setParam(inference::ModelInferResponse &r, const std::string &key,
              int64_t value) {
  (*r.mutable_parameters())[key].set_int64_param(value);
}
void setParam(inference::ModelInferResponse &r, const std::string &key,
              const std::string &value) {
  (*r.mutable_parameters())[key].set_string_param(value);
}

void hostFailed(State &state, const std::string &host, const std::string &how,
                bool unreachable = false);

class InferenceService final
    : public inference::GRPCInferenceService::Service {
public:
  explicit InferenceService(State &state) : state(state) {}

  grpc::Status ServerLive(grpc::ServerContext *,
                          const inference::ServerLiveRequest *,
                          inference::ServerLiveResponse *r) override {
    r->set_live(true);
    return grpc::Status::OK;
  }

  grpc::Status ServerReady(grpc::ServerContext *,
                           const inference::ServerReadyRequest *,
                           inference::ServerReadyResponse *r) override {
    std::lock_guard<std::mutex> lock(state.mutex);
    r->set_ready(state.leader && state.server);
    return grpc::Status::OK;
  }

  grpc::Status ServerMetadata(grpc::ServerContext *,
                              const inference::ServerMetadataRequest *,
                              inference::ServerMetadataResponse *r) override {
    r->set_name("npu-serve");
    r->set_version("1");
    r->add_extensions("model_repository");
    r->add_extensions("npu_exact_budgets");
    return grpc::Status::OK;
  }

  grpc::Status ModelReady(grpc::ServerContext *,
                          const inference::ModelReadyRequest *request,
                          inference::ModelReadyResponse *r) override {
    std::lock_guard<std::mutex> lock(state.mutex);
    if (!state.server)
      return state.notLeader();
    const ModelEntry *m = nullptr;
    if (grpc::Status s = find(request->name(), request->version(), m, false);
        !s.ok())
      return s;
    r->set_ready(m->state == ModelState::Ready);
    return grpc::Status::OK;
  }

  grpc::Status ModelMetadata(grpc::ServerContext *,
                             const inference::ModelMetadataRequest *request,
                             inference::ModelMetadataResponse *r) override {
    std::lock_guard<std::mutex> lock(state.mutex);
    if (!state.server)
      return state.notLeader();
    const ModelEntry *m = nullptr;
    if (grpc::Status s = find(request->name(), request->version(), m, true);
        !s.ok())
      return s;
    r->set_name(m->name);
    r->add_versions(std::to_string(m->version));
    r->set_platform("npu_npub");
    const rt::Model &binary = *m->variants.front().binary;
    for (const rt::TensorSignature &t : binary.inputs) {
      auto *meta = r->add_inputs();
      meta->set_name(t.name);
      meta->set_datatype(kserveDatatype(t.dtype));
      for (int64_t d : t.shape)
        meta->add_shape(d);
    }
    for (const rt::TensorSignature &t : binary.outputs) {
      auto *meta = r->add_outputs();
      meta->set_name(t.name);
      meta->set_datatype(kserveDatatype(t.dtype));
      for (int64_t d : t.shape)
        meta->add_shape(d);
    }
    return grpc::Status::OK;
  }

  grpc::Status ModelInfer(grpc::ServerContext *,
                          const inference::ModelInferRequest *request,
                          inference::ModelInferResponse *response) override {
    auto wallStart = std::chrono::steady_clock::now();
    std::unique_lock<std::mutex> lock(state.mutex);
    if (!state.leader || !state.server)
      return state.notLeader();
    const std::string &id = request->id();
    if (auto it = state.answers.find(id); it != state.answers.end()) {
      *response = it->second.response;
      return it->second.status;
    }
    if (!id.empty() && !state.inFlight.insert(id).second)
      return {grpc::StatusCode::ABORTED,
              "request '" + id + "' is in flight; retry for its answer"};
    struct Done {
      State &s;
      std::unique_lock<std::mutex> &lock;
      std::string id;
      ~Done() {
        if (!lock.owns_lock())
          lock.lock();
        s.inFlight.erase(id);
        s.changed.notify_all();
      }
    } done{state, lock, id};

    // Sequenced requests (a replay from several client threads) are decided
    // in their order, so that the decisions are those of the in-process run.
    std::optional<int64_t> sequence;
    if (auto it = request->parameters().find("sequence");
        it != request->parameters().end()) {
      if (!it->second.has_int64_param() || it->second.int64_param() < 0)
        return {grpc::StatusCode::INVALID_ARGUMENT,
                "parameter 'sequence' must be a non-negative integer"};
      sequence = it->second.int64_param();
      if (*sequence < state.nextSequence)
        return {grpc::StatusCode::INVALID_ARGUMENT,
                "sequence " + std::to_string(*sequence) +
                    " was decided already (next is " +
                    std::to_string(state.nextSequence) + ")"};
      if (!state.changed.wait_for(lock, std::chrono::seconds(30), [&] {
            return state.nextSequence == *sequence;
          }))
        return {grpc::StatusCode::DEADLINE_EXCEEDED,
                "sequence " + std::to_string(*sequence) +
                    " waited 30 s for sequence " +
                    std::to_string(state.nextSequence)};
      // Its turn: whatever follows (a decision or an error), the next one
      // may go once this one releases the lock.
      ++state.nextSequence;
      state.changed.notify_all();
    }
    const ModelEntry *m = nullptr;
    if (grpc::Status s =
            find(request->model_name(), request->model_version(), m, true);
        !s.ok())
      return s;
    InferenceRequest r;
    std::string why =
        fromKServe(*request, *m->variants.front().binary, state.nowPs(),
                   state.options.defaultSloMs * kPsPerMs, r);
    if (!why.empty())
      return {grpc::StatusCode::INVALID_ARGUMENT,
              "model '" + m->name + "': " + why};
    if (r.arrivalPs < state.server->now())
      return {grpc::StatusCode::INVALID_ARGUMENT,
              "arrival " + std::to_string(r.arrivalPs) +
                  " ps is before the controller's clock " +
                  std::to_string(state.server->now()) + " ps"};
    std::string error;
    std::optional<Server::Decided> decided = state.server->decide(r, error);
    if (!decided)
      return {grpc::StatusCode::INVALID_ARGUMENT, error};
    double decisionSeconds = decided->decisionSeconds;
    // The run is measured on its host outside the lock, so that the hosts
    // of several requests simulate at once; the decisions stay in order.
    if (std::optional<Server::Run> run = state.server->runOf(decided->index)) {
      state.awaited.insert(r.id);
      lock.unlock();
      Measurement measured = state.cluster.measure(
          *run->variant, run->request, run->chips, /*keepOutputs=*/true);
      lock.lock();
      state.server->supply(*run, std::move(measured));
      state.awaited.erase(r.id);
    }
    // The timeline is replayed in decision order as far as measurements
    // allow; this answer is ready once its own operations are replayed
    // (an earlier request's run may still be on its way).
    state.server->advance(state.awaited);
    state.changed.notify_all();
    auto ready = [&] {
      size_t replayed = state.server->replayed();
      // Moved by a later decision: its answer is the replayed move.
      return replayed >= decided->opsAfter &&
             (!state.server->movedLater(decided->index) ||
              replayed == state.server->timelineSize());
    };
    while (!ready()) {
      state.changed.wait_for(lock, std::chrono::milliseconds(200));
      state.server->advance(state.awaited);
    }
    // A host that did not answer has failed: the orchestrator places what
    // it held again (this request too), and the answer is its new attempt.
    if (std::vector<std::string> gone = state.cluster.takeUnreachable();
        !gone.empty())
      for (const std::string &host : gone)
        hostFailed(state, host, "did not answer", /*unreachable=*/true);
    InferResponse answer = state.server->answer(decided->index);
    Answer stored;
    inference::ModelInferResponse &out = stored.response;
    out.set_model_name(m->name);
    out.set_model_version(std::to_string(m->version));
    out.set_id(id);
    setParam(out, "outcome", std::string(outcomeName(answer.outcome)));
    setParam(out, "admission_ns", int64_t(decisionSeconds * 1e9));
    if (!answer.reason.empty())
      setParam(out, "reason", answer.reason);
    if (answer.outcome == Outcome::Admitted || answer.outcome == Outcome::Late) {
      std::string chips;
      for (const std::string &c : answer.chips)
        chips += (chips.empty() ? "" : ",") + c;
      setParam(out, "variant", answer.variant);
      setParam(out, "chips", chips);
      setParam(out, "arrival_ps", r.arrivalPs);
      setParam(out, "deadline_ps", r.deadlinePs);
      setParam(out, "predicted_start_ps", answer.predictedStartPs);
      setParam(out, "predicted_completion_ps", answer.predictedCompletionPs);
      setParam(out, "simulated_start_ps", answer.simulatedStartPs);
      setParam(out, "simulated_completion_ps", answer.simulatedCompletionPs);
      setParam(out, "energy_fj", answer.energyFj);
      setParam(out, "budget_mismatches", answer.budgetMismatches);
      (*out.mutable_parameters())["within_slo"].set_bool_param(
          answer.withinSlo);
      const rt::Model &binary = *m->variants.front().binary;
      for (const rt::TensorSignature &t : binary.outputs) {
        auto it = answer.outputs.find(t.name);
        if (it == answer.outputs.end())
          continue;
        auto *o = out.add_outputs();
        o->set_name(t.name);
        o->set_datatype(kserveDatatype(t.dtype));
        for (int64_t d : t.shape)
          o->add_shape(d);
        out.add_raw_output_contents(it->second.data(), it->second.size());
      }
    } else {
      stored.status = {grpc::StatusCode::RESOURCE_EXHAUSTED,
                       std::string(outcomeName(answer.outcome)) + ": " +
                           answer.reason};
    }
    state.publishModels(); // a cold load changes where copies are
    if (state.metrics)
      state.metrics->request(
          m->name, r.tier, answer, r.arrivalPs,
          std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                        wallStart)
              .count());
    Ps completion = answer.simulatedCompletionPs;
    bool paced = state.options.clock == "paced";
    auto wallAnswer = state.wallOf(completion);
    state.keep(id, stored);
    lock.unlock();
    // Paced: the answer leaves when its simulated completion has come.
    if (paced && stored.status.ok())
      std::this_thread::sleep_until(wallAnswer);
    *response = stored.response;
    setParam(*response, "wall_us",
             std::chrono::duration_cast<std::chrono::microseconds>(
                 std::chrono::steady_clock::now() - wallStart)
                 .count());
    return stored.status;
  }

  grpc::Status
  RepositoryIndex(grpc::ServerContext *,
                  const inference::RepositoryIndexRequest *request,
                  inference::RepositoryIndexResponse *r) override {
    std::lock_guard<std::mutex> lock(state.mutex);
    if (!state.server)
      return state.notLeader();
    for (const ModelEntry &m : state.server->repository().index()) {
      if (request->ready() && m.state != ModelState::Ready)
        continue;
      auto *e = r->add_models();
      e->set_name(m.name);
      e->set_version(std::to_string(m.version));
      e->set_state(m.state == ModelState::Ready ? "READY" : "UNAVAILABLE");
      if (m.state != ModelState::Ready)
        e->set_reason(m.reason);
    }
    return grpc::Status::OK;
  }

  grpc::Status
  RepositoryModelLoad(grpc::ServerContext *context,
                      const inference::RepositoryModelLoadRequest *request,
                      inference::RepositoryModelLoadResponse *) override {
    if (grpc::Status s = state.authorize(context); !s.ok())
      return s;
    std::lock_guard<std::mutex> lock(state.mutex);
    if (!state.leader || !state.server)
      return state.notLeader();
    LoadResponse l = state.server->load(request->model_name(), state.nowPs());
    state.poolChanged();
    if (!l.error.empty())
      return {grpc::StatusCode::INVALID_ARGUMENT, l.error};
    return grpc::Status::OK;
  }

  grpc::Status
  RepositoryModelUnload(grpc::ServerContext *context,
                        const inference::RepositoryModelUnloadRequest *request,
                        inference::RepositoryModelUnloadResponse *) override {
    if (grpc::Status s = state.authorize(context); !s.ok())
      return s;
    std::lock_guard<std::mutex> lock(state.mutex);
    if (!state.leader || !state.server)
      return state.notLeader();
    LoadResponse l = state.server->unload(request->model_name());
    state.poolChanged();
    if (!l.error.empty())
      return {grpc::StatusCode::NOT_FOUND, l.error};
    return grpc::Status::OK;
  }

private:
  /// The model `name` (at `version` if given), or NOT_FOUND.
  grpc::Status find(const std::string &name, const std::string &version,
                    const ModelEntry *&m, bool ready) {
    m = state.server->repository().find(name);
    if (!m) {
      std::string known;
      for (const ModelEntry &e : state.server->repository().index())
        known += (known.empty() ? "" : ", ") + e.name;
      return {grpc::StatusCode::NOT_FOUND,
              "no model '" + name + "' in the repository (models: " + known +
                  ")"};
    }
    if (!version.empty() && version != std::to_string(m->version))
      return {grpc::StatusCode::NOT_FOUND,
              "model '" + name + "' has version " +
                  std::to_string(m->version) + " loaded, not " + version};
    if (ready && m->state != ModelState::Ready)
      return {grpc::StatusCode::FAILED_PRECONDITION,
              "model '" + name + "' is not ready: " + m->reason};
    return grpc::Status::OK;
  }

  State &state;
};

class AllocationService final : public v1::Allocation::Service {
public:
  explicit AllocationService(State &state) : state(state) {}

  grpc::Status Allocate(grpc::ServerContext *context,
                        const v1::AllocateRequest *request,
                        v1::AllocateResponse *r) override {
    if (grpc::Status s = state.authorize(context); !s.ok())
      return s;
    std::lock_guard<std::mutex> lock(state.mutex);
    if (!state.leader || !state.server)
      return state.notLeader();
    AllocationRequest a;
    a.id = request->id();
    a.client = request->id();
    a.model = request->model();
    a.ratePerSecond = request->rate_per_s();
    a.priority = request->priority() == 0 ? kDefaultPriority
                                          : request->priority();
    std::optional<Tier> tier =
        request->tier().empty() ? Tier::Free : parseTier(request->tier());
    if (a.id.empty() || !tier || !(a.ratePerSecond > 0) ||
        request->duration_ns() <= 0 ||
        request->duration_ns() > kMaxTracePs / 1000)
      return {grpc::StatusCode::INVALID_ARGUMENT,
              "an allocation needs an id, a rate > 0, a duration in (0, "
              "2^61 ps] and a tier of \"free\" or \"premium\""};
    if (!state.server->repository().find(a.model))
      return {grpc::StatusCode::NOT_FOUND, "no model '" + a.model + "'"};
    a.tier = *tier;
    a.framePs = request->duration_ns() * 1000;
    a.arrivalPs = request->has_arrival_ps()
                      ? std::max(request->arrival_ps(), state.server->now())
                      : state.nowPs();
    AllocationAnswer answer = state.server->allocate(a);
    state.poolChanged();
    r->set_id(a.id);
    r->set_outcome(std::string(outcomeName(answer.outcome)));
    r->set_reason(answer.reason);
    if (answer.variant)
      r->set_variant(answer.variant->name);
    std::vector<TxnCompare> compares;
    std::vector<TxnWrite> writes;
    for (int c : answer.chips) {
      std::string key = state.server->pool().chips()[c].key();
      r->add_chips(key);
      compares.push_back({TxnCompare::Kind::Absent, kChipsPrefix + key, 0, ""});
      writes.push_back({kChipsPrefix + key, a.id, 0, false});
    }
    r->set_granted_ps(answer.grantedPs);
    r->set_end_ps(answer.endPs);
    if (answer.outcome != Outcome::Admitted || !state.etcd)
      return grpc::Status::OK;
    // One transaction: every chip key is created, or none is.
    std::string error;
    int64_t ttl = std::max<int64_t>(1, (request->duration_ns() + 999999999) /
                                           1000000000);
    int64_t lease = state.etcd->grantLease(ttl, error);
    if (lease == 0)
      return {grpc::StatusCode::UNAVAILABLE, error};
    for (TxnWrite &w : writes)
      w.lease = lease;
    nlohmann::json record;
    record["id"] = a.id;
    record["model"] = a.model;
    record["variant"] = r->variant();
    record["chips"] = std::vector<std::string>(r->chips().begin(),
                                               r->chips().end());
    record["priority"] = a.priority;
    record["tier"] = std::string(tierName(a.tier));
    record["rate_per_s"] = a.ratePerSecond;
    record["controller"] = state.options.name;
    // Wall time, so that another controller's clock can take it over.
    record["end_unix_ns"] =
        std::chrono::duration_cast<std::chrono::nanoseconds>(
            std::chrono::system_clock::now().time_since_epoch())
            .count() +
        (answer.endPs - a.arrivalPs) / 1000;
    writes.push_back({kAllocationsPrefix + a.id, record.dump(), lease, false});
    bool ok = false;
    if (std::string why = state.etcd->txn(compares, writes, ok); !why.empty())
      return {grpc::StatusCode::UNAVAILABLE, why};
    if (!ok)
      return {grpc::StatusCode::FAILED_PRECONDITION,
              "a chip of allocation '" + a.id +
                  "' is held in etcd by another allocation"};
    return grpc::Status::OK;
  }

private:
  State &state;
};

/// Reports host `host` failed to the orchestrator now (under state.mutex),
/// and deletes its registration, so that a host that is alive after all
/// registers again (HostService.h) and rejoins.
void hostFailed(State &state, const std::string &host,
                const std::string &how, bool unreachable) {
  FailureEvent f;
  f.host = host;
  f.atPs = state.nowPs();
  f.id = "host-" + host + "-" + std::to_string(f.atPs);
  std::string why = state.server->fail(f);
  state.poolChanged();
  log(state.options.name,
      why.empty() ? "host '" + host + "' failed (" + how + ") at " +
                        std::to_string(f.atPs) + " ps"
                  : "host '" + host + "' failed: " + why);
  if (unreachable && state.etcd)
    state.etcd->erase(kHostsPrefix + host);
}

/// A host key's change, while leading.
void onHostEvent(State &state, const WatchEvent &event) {
  Cluster::Change change = state.cluster.update(event);
  std::string host = event.kv.key.substr(kHostsPrefix.size());
  std::lock_guard<std::mutex> lock(state.mutex);
  if (!state.server)
    return;
  if (change == Cluster::Change::Gone) {
    hostFailed(state, host, "its registration vanished: lease expired");
  } else if (change == Cluster::Change::Registered) {
    // A host that failed and came back (a restart) rejoins the pool.
    Ps t = state.nowPs();
    std::string why = state.server->rejoin(host, t);
    state.poolChanged();
    log(state.options.name,
        why.empty() ? "host '" + host + "' rejoined at " + std::to_string(t) +
                          " ps"
                    : "host '" + host + "' registered (" + why + ")");
  }
}

/// A new leader takes over the allocations in etcd that have time left
/// (under state.mutex): their chips stay theirs until their frame ends.
void adoptAllocations(State &state) {
  std::string why;
  std::vector<KeyValue> keys = state.etcd->range(kAllocationsPrefix, why);
  if (!why.empty())
    log(state.options.name, "cannot read the allocations: " + why);
  int64_t nowNs = std::chrono::duration_cast<std::chrono::nanoseconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
  for (const KeyValue &kv : keys) {
    nlohmann::json j = nlohmann::json::parse(kv.value, nullptr, false);
    if (!j.is_object() || !j.contains("end_unix_ns") ||
        !j["end_unix_ns"].is_number_integer() || !j.contains("chips") ||
        !j["chips"].is_array() || !j.value("id", nlohmann::json()).is_string()) {
      log(state.options.name, "ignores the malformed allocation " + kv.key);
      continue;
    }
    int64_t leftNs = j["end_unix_ns"].get<int64_t>() - nowNs;
    if (leftNs <= 0)
      continue;
    AllocationRequest a;
    a.id = j["id"].get<std::string>();
    a.client = a.id;
    a.model = j.value("model", "");
    a.priority = j.value("priority", kDefaultPriority);
    a.tier = parseTier(j.value("tier", "free")).value_or(Tier::Free);
    a.ratePerSecond = j.value("rate_per_s", 1.0);
    a.arrivalPs = state.nowPs();
    a.framePs = leftNs * 1000;
    std::vector<std::string> chips;
    for (const nlohmann::json &c : j["chips"])
      if (c.is_string())
        chips.push_back(c.get<std::string>());
    std::string err = state.server->adopt(a, j.value("variant", ""), chips,
                                          a.arrivalPs + a.framePs);
    log(state.options.name, err.empty() ? "took over allocation '" + a.id +
                                              "' (" + std::to_string(leftNs / 1000000) +
                                              " ms left)"
                                        : err);
  }
}

} // namespace

int runController(const ControllerOptions &options, std::string &err) {
  std::optional<PolicyConfig> policy = PolicyConfig::byName(options.policy);
  if (!policy) {
    err += "npu-serve controller: unknown policy '" + options.policy + "'\n";
    return 1;
  }
  if (options.clock != "paced" && options.clock != "trace") {
    err += "npu-serve controller: --clock must be 'paced' or 'trace'\n";
    return 1;
  }
  std::string why;
  std::optional<InstallationSpec> spec =
      readInstallationFile(options.installation, why);
  if (!spec) {
    err += "npu-serve controller: " + why + "\n";
    return 1;
  }
  State state(options, std::move(*spec));
  Etcd etcd(options.etcd);
  state.etcd = &etcd;

  InferenceService inference(state);
  AllocationService allocation(state);
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(options.listen, grpc::InsecureServerCredentials(),
                           &port);
  builder.SetMaxReceiveMessageSize(int(options.maxMessageMiB << 20));
  builder.SetMaxSendMessageSize(int(options.maxMessageMiB << 20));
  builder.RegisterService(&inference);
  builder.RegisterService(&allocation);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (!server || port == 0) {
    err += "npu-serve controller: cannot listen on " + options.listen + "\n";
    return 1;
  }
  std::string address = options.listen.substr(0, options.listen.rfind(':')) +
                        ":" + std::to_string(port);
  if (!options.addressFile.empty())
    if (std::string w = writeTextAtomically(options.addressFile, address);
        !w.empty())
      err += "npu-serve controller: " + w + "\n";
  log(options.name, "listening on " + address);
  if (!options.metricsListen.empty()) {
    state.metrics = Metrics::listen(options.metricsListen, why);
    if (!state.metrics) {
      err += "npu-serve controller: " + why + "\n";
      return 1;
    }
    log(options.name, "metrics on http://" + state.metrics->address() +
                          "/metrics");
  }
  installStopSignals();

  // Leadership: a lease for this process, a campaign on it.
  int64_t lease = 0;
  while (!stopRequested() && lease == 0) {
    lease = etcd.grantLease(options.leaseTtlSeconds, why);
    if (lease == 0)
      sleepUnlessStopped(500);
  }
  state.lease = lease;
  std::atomic<bool> leading{false};
  LeaseKeeper keeper(etcd, lease, options.leaseTtlSeconds, [&] {
    // A leader whose lease is gone may no longer act: a standby may
    // already lead. Stop at once (the fencing is the process's end).
    log(options.name, "lost its etcd lease; stopping");
    std::_Exit(leading ? 3 : 1);
  });
  std::optional<std::string> leaderKey;
  while (!stopRequested() && !leaderKey) {
    why.clear();
    leaderKey = etcd.campaign(kElection, lease, options.name + " " + address,
                              why, std::chrono::seconds(1));
  }
  if (!leaderKey) {
    etcd.revoke(lease);
    server->Shutdown(std::chrono::system_clock::now() +
                     std::chrono::seconds(1));
    return 0;
  }
  leading = true;
  log(options.name, "leads");

  // Every host of the installation registered (or the wait is over).
  int64_t revision = 0;
  auto waitUntil = std::chrono::steady_clock::now() +
                   std::chrono::seconds(options.hostWaitSeconds);
  while (!stopRequested()) {
    why.clear();
    std::vector<KeyValue> keys = etcd.range(kHostsPrefix, why, &revision);
    size_t up = 0;
    for (const KeyValue &kv : keys)
      state.cluster.update({false, kv});
    for (const std::string &h : state.cluster.hosts())
      up += state.cluster.up(h);
    if (why.empty() && (up == state.cluster.hosts().size() ||
                        std::chrono::steady_clock::now() > waitUntil))
      break;
    sleepUnlessStopped(100);
  }
  std::optional<std::map<std::string, double>> rates;
  if (!options.ratesTrace.empty()) {
    std::optional<Repository> repo = Repository::open(options.repository, why);
    std::optional<Trace> trace;
    if (repo && repo->loadAll().empty())
      trace = readTraceFile(options.ratesTrace, *repo, why);
    if (!trace) {
      err += "npu-serve controller: --rates-from: " + why + "\n";
      etcd.revoke(lease);
      return 1;
    }
    rates = trace->expectedRates;
  }
  {
    std::lock_guard<std::mutex> lock(state.mutex);
    state.cluster.probeAll(true);
    state.server = Server::open(state.spec, options.repository, *policy,
                                &state.cluster, &state.cluster, why,
                                rates ? &*rates : nullptr);
    state.cluster.probeAll(false);
    if (!state.server) {
      err += "npu-serve controller: " + why + "\n";
      etcd.revoke(lease);
      return 1;
    }
    state.cluster.setRegistry(&state.server->pool());
    state.leaderSince = std::chrono::steady_clock::now();
    state.leader = true;
    for (const std::string &host : state.cluster.hosts())
      if (!state.cluster.up(host))
        hostFailed(state, host, "not registered when this controller began");
    adoptAllocations(state);
    state.poolChanged();
  }
  std::unique_ptr<Etcd::Watch> watch = etcd.watch(
      kHostsPrefix, revision + 1, [&](const std::vector<WatchEvent> &events) {
        for (const WatchEvent &e : events)
          onHostEvent(state, e);
      });
  log(options.name, "ready");
  while (!stopRequested())
    sleepUnlessStopped(100);
  watch->stop();
  if (!options.recordsFile.empty()) {
    std::lock_guard<std::mutex> lock(state.mutex);
    if (std::string w = writeTextAtomically(options.recordsFile,
                                            state.server->records());
        !w.empty())
      err += "npu-serve controller: " + w + "\n";
  }
  keeper.stop();
  etcd.revoke(lease);
  server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(2));
  return 0;
}

} // namespace npu::serve::net
