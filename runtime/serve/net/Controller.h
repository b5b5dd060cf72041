//===- Controller.h - The controller of a distributed installation -*- C++ -*-=//
//
//   npu-serve controller --installation FILE --repository DIR
//                        --etcd EP[,EP...] [--listen 127.0.0.1:0]
//                        [--policy exact] [--token SECRET] [--clock paced]
//
// The one scheduler of the installation: the Orchestrator of the in-process
// mode (Server.h), given a host directory that reads etcd and a measurer
// that runs each decision on the host holding its chips. What the
// controller adds is a transport, never a policy:
//
//  - leadership: it campaigns with etcd's election API; a standby blocks in
//    the campaign, answers ServerReady false and ModelInfer UNAVAILABLE
//    (naming the leader), and takes over when the leader's lease expires;
//  - discovery (P1): hosts register under /npu/hosts/<name>; each
//    registration is checked against the installation's system for that
//    host, and a mismatch is refused with the reason in the log;
//  - preloads (P4): each model's state and the chips holding a copy are
//    published under /npu/models/<name> (on the controller's lease) for
//    clients to watch;
//  - failures (M6): a host key that vanishes (its lease expired) is a host
//    failure, handled by the orchestrator as in-process;
//  - the KServe v2 inference service, Triton's repository extension and
//    the allocation API (proto/); an allocation is also one etcd
//    transaction that creates a key per chip, attached to a lease as long
//    as its frame, and fails if any chip is held: no chip is given away
//    twice, whichever controller asks;
//  - time (docs/serving.md, "Beyond one machine"): `paced`, simulated time
//    is wall time since the controller became the leader, and an answer is
//    sent once wall time reaches its simulated completion; `trace`,
//    arrivals come from each request's arrival_ps and answers go at once
//    (a replay as fast as possible).
//
//===----------------------------------------------------------------------===//

#ifndef NPU_SERVE_NET_CONTROLLER_H
#define NPU_SERVE_NET_CONTROLLER_H

#include <cstdint>
#include <string>

namespace npu::serve::net {

struct ControllerOptions {
  std::string name = "controller";
  std::string installation;
  std::string repository;
  std::string etcd;
  std::string listen = "127.0.0.1:0";
  std::string policy = "exact";
  /// Not empty: load, unload and allocate need this bearer token.
  std::string token;
  std::string clock = "paced";
  int64_t leaseTtlSeconds = 2;
  /// How long a new leader waits for every host to register; a host not
  /// registered by then is failed, and rejoins when it registers.
  int64_t hostWaitSeconds = 3;
  /// A request without timeout or deadline gets this SLO.
  int64_t defaultSloMs = 1000;
  std::string addressFile;
  /// The largest message the controller accepts or sends, in MiB: a
  /// binary's tensors; a larger one is refused by gRPC (RESOURCE_EXHAUSTED).
  int64_t maxMessageMiB = 256;
  /// Not empty: the planner's expected rates come from this trace's header
  /// (as `npu-serve run` takes them), not from the models' config files.
  std::string ratesTrace;
  /// Not empty: on a clean stop, every request's record (the format of
  /// `npu-serve run`'s requests-POLICY.jsonl) is written here.
  std::string recordsFile;
  /// Not empty: Prometheus text exposition on this address (/metrics).
  std::string metricsListen;
};

int runController(const ControllerOptions &options, std::string &err);

} // namespace npu::serve::net

#endif // NPU_SERVE_NET_CONTROLLER_H
