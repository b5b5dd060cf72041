//===- Cluster.h - The controller's view of its hosts -----------*- C++ -*-===//
//
// The hosts as etcd announces them (HostDirectory: what the registry
// scans) and the runs on them (Measurer: what the execution replay calls):
// a registration is checked against the installation's system for the
// host; a run goes to the host holding the attempt's chips, its binary
// placed there first (once per host incarnation); a host that does not
// answer is marked down and reported to the controller (takeUnreachable).
//
//===----------------------------------------------------------------------===//

#ifndef NPU_SERVE_NET_CLUSTER_H
#define NPU_SERVE_NET_CLUSTER_H

#include "Daemons.h"
#include "Etcd.h"
#include "Execution.h"
#include "Files.h"
#include "Installation.h"
#include "Messages.h"

#include "npu_serve.grpc.pb.h"

#include <grpcpp/grpcpp.h>

#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

namespace npu::serve::net {

/// A run on a host may take this long (functional simulation of a large
/// model on a loaded machine).
constexpr auto kRunDeadline = std::chrono::seconds(120);

/// The hosts as etcd announces them, and the runs on them: the directory
/// the registry scans and the measurer the execution calls.
class Cluster final : public HostDirectory, public Measurer {
public:
  Cluster(const InstallationSpec &spec, std::string who)
      : spec(spec), who(std::move(who)) {}

  void setRegistry(const Registry *pool) { registry = pool; }

  /// A host key changed. Returns what it means for the pool.
  enum class Change { None, Registered, Rejected, Gone };
  Change update(const WatchEvent &event) {
    std::string host = event.kv.key.substr(kHostsPrefix.size());
    std::lock_guard<std::mutex> lock(mutex);
    if (event.deleted) {
      auto it = known.find(host);
      if (it == known.end() || !it->second.up)
        return Change::None;
      it->second.up = false;
      return Change::Gone;
    }
    const HostSpec *expected = specOf(host);
    std::string why;
    std::optional<HostRegistration> r = parseRegistration(event.kv.value, why);
    std::optional<rt::SystemDesc> system;
    if (r && r->name != host)
      why = "registers as '" + r->name + "' under the key of '" + host + "'";
    else if (r && (system = systemFromText(r->system, why)))
      why = expected ? checkRegistration(*system, *expected)
                     : "is not a host of the installation";
    if (!why.empty()) {
      // Once per registration value: a host retries with the same one.
      if (refused[host] != event.kv.value) {
        refused[host] = event.kv.value;
        logLine(who, "refused the registration of host '" + host + "': " + why);
      }
      return Change::Rejected;
    }
    HostState &h = known[host];
    if (h.up && h.registration.incarnation == r->incarnation)
      return Change::None;
    h.registration = *r;
    h.channel = grpc::CreateChannel(r->address,
                                    grpc::InsecureChannelCredentials());
    h.stub = v1::Host::NewStub(h.channel);
    h.placed.clear();
    h.up = true;
    return Change::Registered;
  }

  bool up(const std::string &host) {
    std::lock_guard<std::mutex> lock(mutex);
    auto it = known.find(host);
    return it != known.end() && it->second.up;
  }

  /// While set, every host of the installation answers a probe, registered
  /// or not: the pool has all of them, and the controller reports those not
  /// registered as failed, so that they rejoin when they register.
  void probeAll(bool all) { everyHost = all; }

  std::optional<HostAnnouncement> probe(const std::string &host,
                                        Ps nowPs) override {
    if (!everyHost && !up(host))
      return std::nullopt;
    const HostSpec *s = specOf(host);
    HostAnnouncement a;
    a.host = host;
    a.system = s->system; // the installation's (its dram_bytes applied)
    for (const rt::ChipDesc &c : s->system.chips) {
      auto t = s->chipTiers.find(c.id);
      a.chipTiers.push_back(t == s->chipTiers.end() ? s->tier : t->second);
    }
    a.atPs = nowPs;
    return a;
  }

  std::vector<std::string> hosts() const override {
    std::vector<std::string> names;
    for (const HostSpec &h : spec.hosts)
      names.push_back(h.name);
    return names;
  }

  Measurement measure(const Variant &v, const InferenceRequest &r,
                      const std::vector<int> &chips,
                      bool keepOutputs) override {
    Measurement m;
    v1::Host::Stub *stub = nullptr;
    std::string digest;
    if (std::string why = placed(v, chips, stub, digest); !why.empty()) {
      m.error = "request '" + r.id + "': " + why;
      return m;
    }
    v1::RunRequest request;
    request.set_request_id(r.id);
    request.set_digest(digest);
    toProto(r, *request.mutable_inputs());
    request.set_keep_outputs(keepOutputs);
    v1::RunResponse response;
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + kRunDeadline);
    grpc::Status status = stub->Run(&context, request, &response);
    if (!status.ok()) {
      unreachableIf(status, chips);
      m.error = "request '" + r.id + "' on host " + hostOf(chips) + ": " +
                status.error_message();
      return m;
    }
    return fromProto(response);
  }

  CheckpointMeasurement measureStopped(const Variant &v,
                                       const InferenceRequest &r,
                                       const std::vector<int> &chips,
                                       uint32_t boundary) override {
    CheckpointMeasurement m;
    v1::Host::Stub *stub = nullptr;
    std::string digest;
    if (std::string why = placed(v, chips, stub, digest); !why.empty()) {
      m.error = "request '" + r.id + "': " + why;
      return m;
    }
    v1::CheckpointRequest stop;
    stop.set_request_id(r.id);
    stop.set_digest(digest);
    toProto(r, *stop.mutable_inputs());
    stop.set_boundary(boundary);
    v1::CheckpointResponse saved;
    grpc::ClientContext c1;
    c1.set_deadline(std::chrono::system_clock::now() + kRunDeadline);
    grpc::Status status = stub->Checkpoint(&c1, stop, &saved);
    v1::RestoreResponse resumed;
    if (status.ok()) {
      v1::RestoreRequest restore;
      restore.set_request_id(r.id);
      restore.set_digest(digest);
      *restore.mutable_inputs() = stop.inputs();
      restore.set_boundary(boundary);
      grpc::ClientContext c2;
      c2.set_deadline(std::chrono::system_clock::now() + kRunDeadline);
      status = stub->Restore(&c2, restore, &resumed);
    }
    if (!status.ok()) {
      unreachableIf(status, chips);
      m.error = "request '" + r.id + "' stopped at boundary " +
                std::to_string(boundary) + " on host " + hostOf(chips) +
                ": " + status.error_message();
      return m;
    }
    m.ok = true;
    m.drainCycles = saved.drain_cycles();
    m.saveCycles = saved.save_cycles();
    m.savedBytes = saved.saved_bytes();
    m.drainEnergyFj = saved.drain_energy_fj();
    m.saveEnergyFj = saved.save_energy_fj();
    m.resumedCycles = resumed.cycles();
    m.resumedEnergyFj = resumed.energy_fj();
    m.outputDigest = resumed.output_digest();
    return m;
  }

  /// The hosts found unreachable by a call since the last take: they are
  /// down already (no more work goes there); the caller reports each as a
  /// failure.
  std::vector<std::string> takeUnreachable() {
    std::lock_guard<std::mutex> lock(mutex);
    std::vector<std::string> out(unreachable.begin(), unreachable.end());
    unreachable.clear();
    return out;
  }

private:
  void unreachableIf(const grpc::Status &status,
                     const std::vector<int> &chips) {
    if (status.error_code() != grpc::StatusCode::UNAVAILABLE &&
        status.error_code() != grpc::StatusCode::DEADLINE_EXCEEDED)
      return;
    std::string host = hostOf(chips);
    std::lock_guard<std::mutex> lock(mutex);
    auto h = known.find(host);
    if (h != known.end() && h->second.up) {
      h->second.up = false;
      unreachable.insert(host);
    }
  }

  struct HostState {
    HostRegistration registration;
    std::shared_ptr<grpc::Channel> channel;
    std::unique_ptr<v1::Host::Stub> stub;
    std::set<std::string> placed;
    bool up = false;
  };

  const HostSpec *specOf(const std::string &host) const {
    for (const HostSpec &h : spec.hosts)
      if (h.name == host)
        return &h;
    return nullptr;
  }

  std::string hostOf(const std::vector<int> &chips) const {
    return registry->chips()[chips.front()].host;
  }

  /// The stub of the host holding `chips`, with `v`'s binary placed there.
  std::string placed(const Variant &v, const std::vector<int> &chips,
                     v1::Host::Stub *&stub, std::string &digest) {
    std::string host = hostOf(chips);
    std::shared_ptr<const std::vector<uint8_t>> bytes;
    {
      std::lock_guard<std::mutex> lock(mutex);
      auto b = binaries.find(&v);
      if (b == binaries.end()) {
        auto read = std::make_shared<std::vector<uint8_t>>();
        std::string why;
        if (!readRegularFile(v.file, kMaxBinaryFileBytes, *read, why))
          return why;
        b = binaries.emplace(&v, std::make_pair(digestHex(*read), read)).first;
      }
      digest = b->second.first;
      bytes = b->second.second;
      auto h = known.find(host);
      if (h == known.end() || !h->second.up)
        return "host " + host + " is down";
      stub = h->second.stub.get();
      if (h->second.placed.count(digest))
        return "";
    }
    v1::PlaceRequest request;
    request.set_digest(digest);
    request.set_binary(bytes->data(), bytes->size());
    v1::PlaceResponse response;
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + kRunDeadline);
    grpc::Status status = stub->Place(&context, request, &response);
    unreachableIf(status, chips);
    if (!status.ok())
      return "placing " + v.model + "/" + v.name + " on host " + host + ": " +
             status.error_message();
    std::lock_guard<std::mutex> lock(mutex);
    known[host].placed.insert(digest);
    return "";
  }

  const InstallationSpec &spec;
  std::string who;
  const Registry *registry = nullptr;
  bool everyHost = false;
  std::mutex mutex;
  std::map<std::string, HostState> known;
  std::set<std::string> unreachable;
  std::map<std::string, std::string> refused;
  std::map<const Variant *,
           std::pair<std::string, std::shared_ptr<const std::vector<uint8_t>>>>
      binaries;
};

} // namespace npu::serve::net

#endif // NPU_SERVE_NET_CLUSTER_H
