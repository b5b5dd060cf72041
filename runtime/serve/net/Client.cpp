//===- Client.cpp - npu-client: the KServe v2 client of npu-serve ---------===//
//
//   npu-client [--controller ADDR[,ADDR...]] [--token T] COMMAND ...
//     live | ready [--wait S] | index | metadata --model M
//     infer --model M [--id ID] [--seed N] [--priority P] [--timeout-us T]
//     load --model M | unload --model M
//     allocate --id ID --model M --rate R --duration-ms D
//     replay --trace FILE --repository DIR [--threads N] [--records FILE]
//     flood --model M [--model M2...] --requests N --rate R [--threads N]
//     etcd-txn --etcd EP [--count N]   (etcd's compare-and-set latency)
//     raw [--method M] [--bytes N]     (a malformed message, for tests)
//
// Every call goes to the first controller that answers; a standby's
// UNAVAILABLE, or a request still in flight, is retried on the next one
// with the same request id until --retry-s runs out, so that a retry is
// idempotent (the controller answers a known id with its first answer).
//
//===----------------------------------------------------------------------===//

#include "Daemons.h"
#include "Etcd.h"
#include "Files.h"
#include "Messages.h"
#include "Repository.h"
#include "Trace.h"

#include "inference.grpc.pb.h"
#include "npu_serve.grpc.pb.h"

#include <CLI/CLI.hpp>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <future>
#include <mutex>
#include <sstream>
#include <thread>

namespace npu::serve::net {

namespace {

using nlohmann::json;

struct Connection {
  std::vector<std::unique_ptr<inference::GRPCInferenceService::Stub>> kserve;
  std::vector<std::unique_ptr<v1::Allocation::Stub>> allocation;
  std::string token;
  double retrySeconds = 30;
  double callSeconds = 300;

  explicit Connection(const std::string &controllers) {
    std::stringstream in(controllers);
    for (std::string a; std::getline(in, a, ',');) {
      if (a.empty())
        continue;
      grpc::ChannelArguments args;
      args.SetMaxReceiveMessageSize(256 << 20);
      args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 500);
      auto channel = grpc::CreateCustomChannel(
          a, grpc::InsecureChannelCredentials(), args);
      kserve.push_back(inference::GRPCInferenceService::NewStub(channel));
      allocation.push_back(v1::Allocation::NewStub(channel));
    }
  }

  /// Calls `fn(k, context)` on controller k, retrying on the next one while
  /// the answer is "not here" (UNAVAILABLE, ABORTED) and time is left.
  template <typename Fn> grpc::Status call(Fn fn) {
    auto until = std::chrono::steady_clock::now() +
                 std::chrono::milliseconds(int64_t(retrySeconds * 1000));
    grpc::Status status(grpc::StatusCode::UNAVAILABLE, "no controller given");
    for (int round = 0;; ++round) {
      for (size_t k = 0; k < kserve.size(); ++k) {
        grpc::ClientContext context;
        context.set_deadline(
            std::chrono::system_clock::now() +
            std::chrono::milliseconds(int64_t(callSeconds * 1000)));
        if (!token.empty())
          context.AddMetadata("authorization", "Bearer " + token);
        status = fn(k, context);
        if (status.error_code() != grpc::StatusCode::UNAVAILABLE &&
            status.error_code() != grpc::StatusCode::ABORTED)
          return status;
      }
      if (std::chrono::steady_clock::now() > until)
        return status;
      std::this_thread::sleep_for(
          std::chrono::milliseconds(std::min(50 * (round + 1), 500)));
    }
  }
};

int fail(const std::string &what, const grpc::Status &status) {
  std::fprintf(stderr, "npu-client: %s: %s\n", what.c_str(),
               status.error_message().c_str());
  return 1;
}

json paramsJson(
    const google::protobuf::Map<std::string, inference::InferParameter> &p) {
  json j = json::object();
  for (const auto &[key, v] : p) {
    if (v.has_int64_param())
      j[key] = v.int64_param();
    else if (v.has_string_param())
      j[key] = v.string_param();
    else if (v.has_bool_param())
      j[key] = v.bool_param();
    else if (v.has_double_param())
      j[key] = v.double_param();
    else if (v.has_uint64_param())
      j[key] = v.uint64_param();
  }
  return j;
}

/// A response as JSON: id, parameters, outputs (FP32 as numbers, others
/// as their byte count).
json responseJson(const inference::ModelInferResponse &r) {
  json j;
  j["id"] = r.id();
  j["model"] = r.model_name();
  j["parameters"] = paramsJson(r.parameters());
  json outputs = json::array();
  for (int i = 0; i < r.outputs_size(); ++i) {
    const auto &o = r.outputs(i);
    json t;
    t["name"] = o.name();
    t["datatype"] = o.datatype();
    t["shape"] = std::vector<int64_t>(o.shape().begin(), o.shape().end());
    if (i < r.raw_output_contents_size()) {
      const std::string &raw = r.raw_output_contents(i);
      if (o.datatype() == "FP32") {
        std::vector<float> values(raw.size() / sizeof(float));
        std::memcpy(values.data(), raw.data(), values.size() * sizeof(float));
        t["data"] = values;
      } else {
        t["bytes"] = raw.size();
      }
    }
    outputs.push_back(t);
  }
  j["outputs"] = outputs;
  return j;
}

void setParam(inference::ModelInferRequest &r, const std::string &key,
              int64_t value) {
  (*r.mutable_parameters())[key].set_int64_param(value);
}
void setParam(inference::ModelInferRequest &r, const std::string &key,
              const std::string &value) {
  (*r.mutable_parameters())[key].set_string_param(value);
}

/// The KServe request for one trace entry (its inputs by seed or value).
inference::ModelInferRequest requestOf(const InferenceRequest &q,
                                       const rt::Model &model,
                                       int64_t sequence) {
  inference::ModelInferRequest r;
  r.set_model_name(q.model);
  r.set_id(q.id);
  setParam(r, "arrival_ps", q.arrivalPs);
  setParam(r, "deadline_ps", q.deadlinePs);
  setParam(r, "priority", q.priority);
  setParam(r, "tier", std::string(tierName(q.tier)));
  setParam(r, "billing", q.billing);
  if (!q.client.empty())
    setParam(r, "client", q.client);
  if (!q.allocation.empty())
    setParam(r, "allocation", q.allocation);
  if (q.minAccuracy)
    (*r.mutable_parameters())["min_accuracy"].set_double_param(*q.minAccuracy);
  (*r.mutable_parameters())["seed"].set_uint64_param(q.inputSeed);
  if (sequence >= 0)
    setParam(r, "sequence", sequence);
  for (const rt::TensorSignature &t : model.inputs) {
    auto it = q.inputs.find(t.name);
    if (it == q.inputs.end())
      continue;
    auto *in = r.add_inputs();
    in->set_name(t.name);
    in->set_datatype(kserveDatatype(t.dtype));
    for (int64_t d : t.shape)
      in->add_shape(d);
    r.add_raw_input_contents(it->second.data(), it->second.size());
  }
  return r;
}

double percentile(std::vector<double> v, double p) {
  if (v.empty())
    return 0;
  std::sort(v.begin(), v.end());
  size_t k = std::min(v.size() - 1, size_t(p / 100.0 * double(v.size())));
  return v[k];
}

/// Sends one request (retried by id) and returns its record; counts it.
struct Tally {
  std::atomic<int64_t> admitted{0}, refused{0}, errors{0};
};

json sendOne(Connection &c, const inference::ModelInferRequest &request,
             Tally &tally, double &wallMs) {
  inference::ModelInferResponse response;
  auto t0 = std::chrono::steady_clock::now();
  grpc::Status status = c.call([&](size_t k, grpc::ClientContext &context) {
    return c.kserve[k]->ModelInfer(&context, request, &response);
  });
  wallMs = std::chrono::duration<double, std::milli>(
               std::chrono::steady_clock::now() - t0)
               .count();
  json rec;
  rec["id"] = request.id();
  if (status.ok()) {
    rec = responseJson(response);
    rec.erase("outputs");
    ++tally.admitted;
  } else if (status.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED) {
    rec["parameters"]["outcome"] = "refused";
    rec["parameters"]["reason"] = status.error_message();
    ++tally.refused;
  } else {
    rec["error"] = status.error_message();
    ++tally.errors;
  }
  rec["wall_ms"] = wallMs;
  rec["sent_unix_ms"] =
      std::chrono::duration<double, std::milli>(
          std::chrono::system_clock::now().time_since_epoch())
          .count() -
      wallMs;
  return rec;
}

/// Writes the records and prints the summary line of a replay or a flood.
int report(const char *what, const std::vector<json> &records,
           const std::vector<double> &wallMs, double seconds, int threads,
           const Tally &tally, const std::string &recordsFile) {
  if (!recordsFile.empty()) {
    std::string text;
    for (const json &r : records)
      text += r.dump() + "\n";
    if (std::string w = writeTextAtomically(recordsFile, text); !w.empty())
      return std::fprintf(stderr, "npu-client: %s\n", w.c_str()), 1;
  }
  std::printf("%s %zu requests in %.2f s (%d threads): %.0f requests/s, "
              "admitted %lld, refused %lld, errors %lld, wall p50 %.2f ms, "
              "p99 %.2f ms\n",
              what, records.size(), seconds, threads,
              double(records.size()) / std::max(seconds, 1e-9),
              static_cast<long long>(tally.admitted.load()),
              static_cast<long long>(tally.refused.load()),
              static_cast<long long>(tally.errors.load()),
              percentile(wallMs, 50), percentile(wallMs, 99));
  return tally.errors == 0 ? 0 : 1;
}

/// Runs `worker` on `threads` threads; the seconds since `begin` when all
/// are done.
template <typename Worker>
double onThreads(int threads, Worker &worker,
                 std::chrono::steady_clock::time_point begin) {
  std::vector<std::thread> pool;
  for (int t = 0; t < std::max(1, threads); ++t)
    pool.emplace_back(worker);
  for (std::thread &t : pool)
    t.join();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                       begin)
      .count();
}

/// Paced load: `count` requests over `models`, `rate` per second in all,
/// from `threads` threads; ids `prefix`-i, inputs from seed i.
int flood(Connection &c, const std::vector<std::string> &models,
          const std::string &prefix, int64_t count, double rate, int threads,
          int64_t timeoutUs, const std::string &recordsFile) {
  std::vector<json> records(static_cast<size_t>(count));
  std::vector<double> wallMs(records.size(), 0);
  std::atomic<int64_t> next{0};
  Tally tally;
  auto begin = std::chrono::steady_clock::now();
  auto worker = [&] {
    for (int64_t i = next++; i < count; i = next++) {
      if (rate > 0)
        std::this_thread::sleep_until(
            begin + std::chrono::microseconds(int64_t(1e6 * double(i) / rate)));
      inference::ModelInferRequest request;
      request.set_model_name(models[size_t(i) % models.size()]);
      request.set_id(prefix + "-" + std::to_string(i));
      (*request.mutable_parameters())["seed"].set_uint64_param(uint64_t(i));
      if (timeoutUs > 0)
        setParam(request, "timeout", timeoutUs);
      records[size_t(i)] = sendOne(c, request, tally, wallMs[size_t(i)]);
    }
  };
  double seconds = onThreads(threads, worker, begin);
  return report("flooded", records, wallMs, seconds, threads, tally,
                recordsFile);
}

int replay(Connection &c, const std::string &traceFile,
           const std::string &repoDir, int threads,
           const std::string &recordsFile) {
  std::string error;
  std::optional<Repository> repo = Repository::open(repoDir, error);
  if (!repo)
    return std::fprintf(stderr, "npu-client: %s\n", error.c_str()), 1;
  if (std::vector<std::string> bad = repo->loadAll(); !bad.empty())
    return std::fprintf(stderr, "npu-client: %s\n", bad.front().c_str()), 1;
  std::optional<Trace> trace = readTraceFile(traceFile, *repo, error);
  if (!trace)
    return std::fprintf(stderr, "npu-client: %s\n", error.c_str()), 1;
  std::vector<const InferenceRequest *> requests;
  for (const TraceEntry &e : trace->entries)
    if (e.kind == TraceEntry::Kind::Infer)
      requests.push_back(&e.infer);
    else
      return std::fprintf(stderr,
                          "npu-client: replay sends inference requests "
                          "only; %s has allocations or failures\n",
                          traceFile.c_str()),
             1;
  std::vector<json> records(requests.size());
  std::vector<double> wallMs(requests.size(), 0);
  std::atomic<size_t> next{0};
  Tally tally;
  auto begin = std::chrono::steady_clock::now();
  auto worker = [&] {
    for (size_t i = next++; i < requests.size(); i = next++) {
      const InferenceRequest &q = *requests[i];
      const rt::Model &model = *repo->find(q.model)->variants.front().binary;
      records[i] = sendOne(c, requestOf(q, model, static_cast<int64_t>(i)),
                           tally, wallMs[i]);
    }
  };
  double seconds = onThreads(threads, worker, begin);
  return report("replayed", records, wallMs, seconds, threads, tally,
                recordsFile);
}

} // namespace

int clientMain(const std::vector<std::string> &args) {
  CLI::App app{"npu-client: infer, load, unload, list and allocate on an "
               "npu-serve controller (KServe v2 over gRPC)",
               "npu-client"};
  app.require_subcommand(1);
  std::string controllers = "127.0.0.1:8001", token;
  double retry = 30;
  app.add_option("--controller", controllers,
                 "Controller addresses, tried in order");
  app.add_option("--token", token, "Bearer token for load/unload/allocate");
  app.add_option("--retry-s", retry, "How long to retry a standby")
      ->check(CLI::Range(0.0, 3600.0));

  auto *live = app.add_subcommand("live", "ServerLive");
  auto *ready = app.add_subcommand("ready", "ServerReady");
  double wait = 0;
  ready->add_option("--wait", wait, "Wait up to this many seconds")
      ->check(CLI::Range(0.0, 3600.0));
  auto *index = app.add_subcommand("index", "The repository index");
  std::string model, id, tier = "free";
  std::string version;
  std::vector<std::string> rawParams;
  auto *metadata = app.add_subcommand("metadata", "ModelMetadata");
  metadata->add_option("--model", model)->required();
  metadata->add_option("--version", version, "The version to ask for");
  auto *infer = app.add_subcommand("infer", "ModelInfer with seeded inputs");
  uint64_t seed = 0;
  int priority = 0;
  int64_t timeoutUs = 0;
  infer->add_option("--model", model)->required();
  infer->add_option("--id", id, "Request id (default: generated)");
  infer->add_option("--seed", seed, "Inputs generated from this seed");
  infer->add_option("--priority", priority, "1 = highest, 0 = default")
      ->check(CLI::Range(0, 1000000));
  infer->add_option("--timeout-us", timeoutUs, "SLO in microseconds")
      ->check(CLI::Range(int64_t(1), int64_t(1) << 40));
  infer->add_option("--tier", tier)->check(CLI::IsMember({"free", "premium"}));
  infer->add_option("--version", version, "The version to ask for");
  infer->add_option("--param", rawParams,
                    "key=value: a request parameter as given (an integer, "
                    "or else a string)");
  auto *load = app.add_subcommand("load", "RepositoryModelLoad");
  load->add_option("--model", model)->required();
  auto *unload = app.add_subcommand("unload", "RepositoryModelUnload");
  unload->add_option("--model", model)->required();
  auto *allocate = app.add_subcommand("allocate", "Allocate a rate");
  double rate = 0;
  int64_t durationMs = 0;
  allocate->add_option("--id", id)->required();
  allocate->add_option("--model", model)->required();
  allocate->add_option("--rate", rate, "Requests per second")->required();
  allocate->add_option("--duration-ms", durationMs)->required()->check(
      CLI::Range(int64_t(1), int64_t(1) << 40));
  allocate->add_option("--priority", priority);
  allocate->add_option("--tier", tier)->check(
      CLI::IsMember({"free", "premium"}));
  auto *replayCmd = app.add_subcommand(
      "replay", "Send a trace's requests with their simulated arrivals");
  std::string traceFile, repoDir, records;
  int threads = 4;
  replayCmd->add_option("--trace", traceFile)->required();
  replayCmd->add_option("--repository", repoDir)->required();
  replayCmd->add_option("--threads", threads)->check(CLI::Range(1, 256));
  replayCmd->add_option("--records", records, "One JSON line per request");
  auto *floodCmd = app.add_subcommand(
      "flood", "Paced load: N requests at a rate from several threads");
  std::vector<std::string> models;
  std::string prefix = "flood";
  int64_t count = 1000;
  double floodRate = 0;
  floodCmd->add_option("--model", models, "Models, used in turn")->required();
  floodCmd->add_option("--requests", count)->check(
      CLI::Range(int64_t(1), int64_t(10000000)));
  floodCmd->add_option("--rate", floodRate, "Requests/s in all (0: no pause)")
      ->check(CLI::Range(0.0, 1e7));
  floodCmd->add_option("--threads", threads)->check(CLI::Range(1, 256));
  floodCmd->add_option("--id-prefix", prefix);
  floodCmd->add_option("--timeout-us", timeoutUs, "SLO in microseconds")
      ->check(CLI::Range(int64_t(1), int64_t(1) << 40));
  floodCmd->add_option("--records", records, "One JSON line per request");

  auto *etcdCmd = app.add_subcommand(
      "etcd-txn", "Time compare-and-set transactions on etcd (p50, p99)");
  std::string etcdEndpoints;
  etcdCmd->add_option("--etcd", etcdEndpoints)->required();
  etcdCmd->add_option("--count", count)->check(
      CLI::Range(int64_t(1), int64_t(1000000)));

  auto *rawCmd = app.add_subcommand(
      "raw", "Send N bytes of garbage to a method (a malformed protobuf)");
  std::string method = "/inference.GRPCInferenceService/ModelInfer";
  int64_t rawBytes = 64;
  rawCmd->add_option("--method", method);
  rawCmd->add_option("--bytes", rawBytes)->check(
      CLI::Range(int64_t(1), int64_t(1) << 30));

  std::vector<std::string> reversed(args.rbegin(), args.rend());
  try {
    app.parse(reversed);
  } catch (const CLI::ParseError &e) {
    return app.exit(e);
  }
  Connection c(controllers);
  c.token = token;
  c.retrySeconds = retry;

  if (live->parsed() || ready->parsed()) {
    auto until = std::chrono::steady_clock::now() +
                 std::chrono::milliseconds(int64_t(wait * 1000));
    while (true) {
      bool ok = false;
      c.retrySeconds = 0;
      grpc::Status status = c.call([&](size_t k, grpc::ClientContext &ctx) {
        if (live->parsed()) {
          inference::ServerLiveResponse r;
          grpc::Status s =
              c.kserve[k]->ServerLive(&ctx, inference::ServerLiveRequest(), &r);
          ok = s.ok() && r.live();
          return s;
        }
        inference::ServerReadyResponse r;
        grpc::Status s =
            c.kserve[k]->ServerReady(&ctx, inference::ServerReadyRequest(), &r);
        ok = s.ok() && r.ready();
        // Not ready: try the next controller.
        return ok ? s : grpc::Status(grpc::StatusCode::UNAVAILABLE, "not ready");
      });
      if (ok) {
        std::printf("%s\n", live->parsed() ? "live" : "ready");
        return 0;
      }
      if (std::chrono::steady_clock::now() >= until)
        return fail(live->parsed() ? "live" : "ready", status);
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
  if (index->parsed()) {
    inference::RepositoryIndexResponse r;
    grpc::Status s = c.call([&](size_t k, grpc::ClientContext &ctx) {
      return c.kserve[k]->RepositoryIndex(
          &ctx, inference::RepositoryIndexRequest(), &r);
    });
    if (!s.ok())
      return fail("index", s);
    for (const auto &m : r.models())
      std::printf("%s\t%s\t%s%s%s\n", m.name().c_str(), m.version().c_str(),
                  m.state().c_str(), m.reason().empty() ? "" : "\t",
                  m.reason().c_str());
    return 0;
  }
  if (metadata->parsed()) {
    inference::ModelMetadataRequest q;
    q.set_name(model);
    q.set_version(version);
    inference::ModelMetadataResponse r;
    grpc::Status s = c.call([&](size_t k, grpc::ClientContext &ctx) {
      return c.kserve[k]->ModelMetadata(&ctx, q, &r);
    });
    if (!s.ok())
      return fail("metadata", s);
    json j;
    j["name"] = r.name();
    j["versions"] = std::vector<std::string>(r.versions().begin(),
                                             r.versions().end());
    j["platform"] = r.platform();
    for (const auto *list : {&r.inputs(), &r.outputs()}) {
      json tensors = json::array();
      for (const auto &t : *list)
        tensors.push_back({{"name", t.name()},
                           {"datatype", t.datatype()},
                           {"shape", std::vector<int64_t>(t.shape().begin(),
                                                          t.shape().end())}});
      j[list == &r.inputs() ? "inputs" : "outputs"] = tensors;
    }
    std::printf("%s\n", j.dump().c_str());
    return 0;
  }
  if (infer->parsed()) {
    inference::ModelInferRequest q;
    q.set_model_name(model);
    q.set_id(id.empty() ? "npu-client-" +
                              std::to_string(std::chrono::system_clock::now()
                                                 .time_since_epoch()
                                                 .count())
                        : id);
    (*q.mutable_parameters())["seed"].set_uint64_param(seed);
    if (priority)
      setParam(q, "priority", priority);
    if (timeoutUs)
      setParam(q, "timeout", timeoutUs);
    setParam(q, "tier", tier);
    q.set_model_version(version);
    for (const std::string &kv : rawParams) {
      size_t eq = kv.find('=');
      if (eq == std::string::npos || eq == 0)
        return std::fprintf(stderr, "npu-client: --param wants key=value, "
                                    "not '%s'\n", kv.c_str()),
               1;
      std::string key = kv.substr(0, eq), value = kv.substr(eq + 1);
      char *end = nullptr;
      long long n = std::strtoll(value.c_str(), &end, 10);
      if (!value.empty() && end && *end == '\0')
        setParam(q, key, int64_t(n));
      else
        setParam(q, key, value);
    }
    inference::ModelInferResponse r;
    grpc::Status s = c.call([&](size_t k, grpc::ClientContext &ctx) {
      return c.kserve[k]->ModelInfer(&ctx, q, &r);
    });
    if (!s.ok())
      return fail("infer", s);
    std::printf("%s\n", responseJson(r).dump().c_str());
    return 0;
  }
  if (load->parsed() || unload->parsed()) {
    grpc::Status s = c.call([&](size_t k, grpc::ClientContext &ctx) {
      if (load->parsed()) {
        inference::RepositoryModelLoadRequest q;
        q.set_model_name(model);
        inference::RepositoryModelLoadResponse r;
        return c.kserve[k]->RepositoryModelLoad(&ctx, q, &r);
      }
      inference::RepositoryModelUnloadRequest q;
      q.set_model_name(model);
      inference::RepositoryModelUnloadResponse r;
      return c.kserve[k]->RepositoryModelUnload(&ctx, q, &r);
    });
    if (!s.ok())
      return fail(load->parsed() ? "load" : "unload", s);
    std::printf("%s %s\n", load->parsed() ? "loaded" : "unloaded",
                model.c_str());
    return 0;
  }
  if (allocate->parsed()) {
    v1::AllocateRequest q;
    q.set_id(id);
    q.set_model(model);
    q.set_rate_per_s(rate);
    q.set_duration_ns(durationMs * 1000000);
    q.set_priority(priority);
    q.set_tier(tier);
    v1::AllocateResponse r;
    grpc::Status s = c.call([&](size_t k, grpc::ClientContext &ctx) {
      return c.allocation[k]->Allocate(&ctx, q, &r);
    });
    if (!s.ok())
      return fail("allocate", s);
    json j;
    j["id"] = r.id();
    j["outcome"] = r.outcome();
    if (!r.reason().empty())
      j["reason"] = r.reason();
    j["variant"] = r.variant();
    j["chips"] = std::vector<std::string>(r.chips().begin(), r.chips().end());
    j["granted_ps"] = r.granted_ps();
    j["end_ps"] = r.end_ps();
    std::printf("%s\n", j.dump().c_str());
    return 0;
  }
  if (rawCmd->parsed()) {
    // Bytes that no protobuf parser accepts: field 0 is invalid.
    std::vector<uint8_t> garbage(static_cast<size_t>(rawBytes), 0xff);
    garbage[0] = 0x00;
    grpc::Slice slice(garbage.data(), garbage.size());
    grpc::ByteBuffer request(&slice, 1), response;
    auto channel = grpc::CreateChannel(controllers.substr(
                                           0, controllers.find(',')),
                                       grpc::InsecureChannelCredentials());
    grpc::GenericStub stub(channel);
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(30));
    std::promise<grpc::Status> done;
    stub.UnaryCall(&context, method, grpc::StubOptions(), &request, &response,
                   [&done](grpc::Status s) { done.set_value(s); });
    grpc::Status status = done.get_future().get();
    std::printf("raw %lld bytes to %s: status %d: %s\n",
                static_cast<long long>(rawBytes), method.c_str(),
                static_cast<int>(status.error_code()),
                status.error_message().c_str());
    return status.ok() ? 1 : 0;
  }
  if (etcdCmd->parsed()) {
    Etcd etcd(etcdEndpoints);
    std::vector<double> ms;
    for (int64_t i = 0; i < count; ++i) {
      std::string key = "/npu/bench/txn-" + std::to_string(i);
      auto t0 = std::chrono::steady_clock::now();
      bool ok = false;
      std::string why = etcd.txn({{TxnCompare::Kind::Absent, key, 0, ""}},
                                 {{key, "x", 0, false}}, ok);
      ms.push_back(std::chrono::duration<double, std::milli>(
                       std::chrono::steady_clock::now() - t0)
                       .count());
      if (!why.empty() || !ok)
        return std::fprintf(stderr, "npu-client: etcd-txn: %s\n",
                            why.empty() ? "the key existed" : why.c_str()),
               1;
      etcd.erase(key);
    }
    std::printf("etcd transaction p50 %.2f ms, p99 %.2f ms (%lld "
                "compare-and-set transactions)\n",
                percentile(ms, 50), percentile(ms, 99),
                static_cast<long long>(count));
    return 0;
  }
  if (replayCmd->parsed())
    return replay(c, traceFile, repoDir, threads, records);
  if (floodCmd->parsed())
    return flood(c, models, prefix, count, floodRate, threads, timeoutUs,
                 records);
  return 1;
}

} // namespace npu::serve::net
