//===- HostService.cpp - One host of a distributed installation -----------===//

#include "HostService.h"

#include "Daemons.h"
#include "Etcd.h"
#include "Files.h"
#include "Messages.h"
#include "Repository.h"

#include "npu_serve.grpc.pb.h"

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <chrono>
#include <tuple>
#include <map>
#include <mutex>

namespace npu::serve::net {

namespace {

/// The largest message either side accepts: a binary or a request's
/// tensors (docs/serving.md, "Beyond one machine").
constexpr int kMaxMessageBytes = 256 << 20;

class HostImpl final : public v1::Host::Service {
public:
  grpc::Status Place(grpc::ServerContext *, const v1::PlaceRequest *request,
                     v1::PlaceResponse *) override {
    std::vector<uint8_t> bytes(request->binary().begin(),
                               request->binary().end());
    if (digestHex(bytes) != request->digest())
      return {grpc::StatusCode::INVALID_ARGUMENT,
              "the binary's digest is " + digestHex(bytes) + ", not " +
                  request->digest()};
    {
      std::lock_guard<std::mutex> lock(mutex);
      if (binaries.count(request->digest()))
        return grpc::Status::OK;
    }
    rt::LoadResult loaded = rt::loadModel(bytes.data(), bytes.size());
    if (!loaded.model)
      return {grpc::StatusCode::INVALID_ARGUMENT,
              "binary " + request->digest() + ": " + loaded.error};
    std::string why;
    auto binary = std::make_shared<const rt::Model>(std::move(*loaded.model));
    std::optional<Variant> v =
        makeVariant(binary, binary->name, request->digest(), why);
    if (!v)
      return {grpc::StatusCode::INVALID_ARGUMENT,
              "binary " + request->digest() + ": " + why};
    std::lock_guard<std::mutex> lock(mutex);
    binaries.emplace(request->digest(), std::move(*v));
    return grpc::Status::OK;
  }

  grpc::Status Run(grpc::ServerContext *, const v1::RunRequest *request,
                   v1::RunResponse *response) override {
    const Variant *v = nullptr;
    if (grpc::Status s = find(request->digest(), v); !s.ok())
      return s;
    InferenceRequest r = requestOf(request->request_id(), request->inputs());
    Measurement m = simulate(*v, r, request->keep_outputs());
    if (!m.ok)
      return {grpc::StatusCode::INVALID_ARGUMENT, m.error};
    toProto(m, *response);
    return grpc::Status::OK;
  }

  grpc::Status Checkpoint(grpc::ServerContext *,
                          const v1::CheckpointRequest *request,
                          v1::CheckpointResponse *response) override {
    const Variant *v = nullptr;
    if (grpc::Status s = find(request->digest(), v); !s.ok())
      return s;
    InferenceRequest r = requestOf(request->request_id(), request->inputs());
    rt::TensorMap scratch;
    const rt::TensorMap &inputs = inputsOf(*v->binary, r, scratch);
    rt::Simulator sim = untraced(*v->binary);
    rt::CheckpointRun run = sim.runToCheckpoint(inputs, request->boundary());
    if (!run.ok)
      return {grpc::StatusCode::INVALID_ARGUMENT,
              "request '" + r.id + "' stopped at boundary " +
                  std::to_string(request->boundary()) + ": " + run.error};
    response->set_drain_cycles(run.drain.cycles);
    response->set_save_cycles(run.saveCycles);
    response->set_saved_bytes(run.savedBytes);
    response->set_drain_energy_fj(run.drain.energyFj);
    response->set_save_energy_fj(run.saveEnergyFj);
    std::lock_guard<std::mutex> lock(mutex);
    saved[{r.id, request->digest(), request->boundary()}] =
        std::move(run.state);
    return grpc::Status::OK;
  }

  grpc::Status Restore(grpc::ServerContext *,
                       const v1::RestoreRequest *request,
                       v1::RestoreResponse *response) override {
    const Variant *v = nullptr;
    if (grpc::Status s = find(request->digest(), v); !s.ok())
      return s;
    rt::CheckpointState state;
    {
      std::lock_guard<std::mutex> lock(mutex);
      auto it = saved.find(
          {request->request_id(), request->digest(), request->boundary()});
      if (it == saved.end())
        return {grpc::StatusCode::FAILED_PRECONDITION,
                "this host keeps no checkpoint of request '" +
                    request->request_id() + "' at boundary " +
                    std::to_string(request->boundary())};
      state = std::move(it->second);
      saved.erase(it);
    }
    InferenceRequest r = requestOf(request->request_id(), request->inputs());
    rt::TensorMap scratch;
    const rt::TensorMap &inputs = inputsOf(*v->binary, r, scratch);
    rt::Simulator sim = untraced(*v->binary);
    rt::RunResult resumed = sim.resume(state, inputs);
    if (!resumed.ok)
      return {grpc::StatusCode::INVALID_ARGUMENT,
              "request '" + r.id + "' resumed: " + resumed.error};
    response->set_cycles(resumed.chips.front().cycles);
    response->set_energy_fj(resumed.chips.front().energyFj);
    response->set_output_digest(digestOf(resumed.outputs));
    return grpc::Status::OK;
  }

private:
  grpc::Status find(const std::string &digest, const Variant *&v) {
    std::lock_guard<std::mutex> lock(mutex);
    auto it = binaries.find(digest);
    if (it == binaries.end())
      return {grpc::StatusCode::FAILED_PRECONDITION,
              "binary " + digest + " was not placed on this host"};
    v = &it->second;
    return grpc::Status::OK;
  }

  static InferenceRequest requestOf(const std::string &id,
                                    const v1::Inputs &inputs) {
    InferenceRequest r;
    r.id = id;
    fromProto(inputs, r);
    return r;
  }

  std::mutex mutex;
  /// std::map: a Variant's address stays put while others are added.
  std::map<std::string, Variant> binaries;
  std::map<std::tuple<std::string, std::string, uint32_t>, rt::CheckpointState>
      saved;
};

/// Registers the host under a fresh lease; returns the lease (0 on error).
int64_t registerHost(Etcd &etcd, const HostOptions &options,
                     const HostRegistration &registration, std::string &err) {
  std::string error;
  int64_t lease = etcd.grantLease(options.leaseTtlSeconds, error);
  if (lease == 0) {
    err += "npu-serve host: " + error + "\n";
    return 0;
  }
  if (std::string why =
          etcd.put(kHostsPrefix + options.name, toJson(registration), lease);
      !why.empty()) {
    err += "npu-serve host: " + why + "\n";
    return 0;
  }
  return lease;
}

} // namespace

int runHost(const HostOptions &options, std::string &err) {
  if (options.name.empty() || options.name.find('/') != std::string::npos) {
    err += "npu-serve host: --name must be non-empty without '/'\n";
    return 1;
  }
  // The system as the host describes itself: a preset, or a file's JSON.
  std::string systemText = options.system;
  if (!rt::getPreset(options.system)) {
    std::string why;
    if (!readTextFile(options.system, systemText, why)) {
      err += "npu-serve host: --system: " + why + "\n";
      return 1;
    }
  }
  std::string why;
  if (!systemFromText(systemText, why)) {
    err += "npu-serve host: --system " + options.system + ": " + why + "\n";
    return 1;
  }

  HostImpl service;
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(options.listen, grpc::InsecureServerCredentials(),
                           &port);
  builder.SetMaxReceiveMessageSize(kMaxMessageBytes);
  builder.SetMaxSendMessageSize(kMaxMessageBytes);
  builder.RegisterService(&service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (!server || port == 0) {
    err += "npu-serve host: cannot listen on " + options.listen + "\n";
    return 1;
  }
  std::string address =
      options.listen.substr(0, options.listen.rfind(':')) + ":" +
      std::to_string(port);

  Etcd etcd(options.etcd);
  HostRegistration registration{
      options.name, address, systemText,
      std::chrono::duration_cast<std::chrono::nanoseconds>(
          std::chrono::system_clock::now().time_since_epoch())
          .count()};
  installStopSignals();
  // Register, and again whenever the lease is lost (etcd unreachable for
  // longer than the TTL): the controller saw the host fail and will see it
  // come back as a new registration.
  int64_t lease = 0;
  std::atomic<bool> lost{true};
  std::unique_ptr<LeaseKeeper> keeper;
  bool announced = false;
  int64_t ticks = 0;
  while (!stopRequested()) {
    if (lost) {
      keeper.reset();
      std::string error;
      lease = registerHost(etcd, options, registration, error);
      if (lease == 0) {
        if (!announced) // say it once, keep trying
          err += error;
        sleepUnlessStopped(500);
        continue;
      }
      lost = false;
      keeper = std::make_unique<LeaseKeeper>(
          etcd, lease, options.leaseTtlSeconds, [&lost] { lost = true; });
      if (!announced) {
        announced = true;
        if (!options.addressFile.empty())
          if (std::string w = writeTextAtomically(options.addressFile, address);
              !w.empty())
            err += "npu-serve host: " + w + "\n";
        std::fprintf(stderr, "npu-serve host %s: listening on %s\n",
                     options.name.c_str(), address.c_str());
      }
    }
    // The controller deletes the registration of a host it could not
    // reach; a host that is alive registers again, as a new incarnation.
    if (++ticks % 5 == 0) {
      std::string error;
      if (!etcd.get(kHostsPrefix + options.name, error) && error.empty()) {
        registration.incarnation += 1;
        etcd.put(kHostsPrefix + options.name, toJson(registration), lease);
      }
    }
    sleepUnlessStopped(100);
  }
  keeper.reset();
  if (lease != 0)
    etcd.revoke(lease);
  server->Shutdown(std::chrono::system_clock::now() +
                   std::chrono::seconds(2));
  return 0;
}

} // namespace npu::serve::net
