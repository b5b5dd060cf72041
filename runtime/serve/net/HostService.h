//===- HostService.h - One host of a distributed installation ---*- C++ -*-===//
//
//   npu-serve host --name H --system <preset|file> --etcd EP[,EP...]
//                  [--listen 127.0.0.1:0] [--lease-ttl 2]
//
// A host registers itself in etcd under /npu/hosts/<name>, a key attached
// to its lease, which it renews every third of the TTL; when the process
// dies the lease expires and the key vanishes: that is the controller's
// failure detector (M6). It serves the controller-to-host API
// (proto/npu_serve.proto): binaries placed by their digest, and runs,
// checkpoints and restores on its chips' functional simulators. A
// checkpoint stays in this process's memory, as a host's DRAM would keep
// it: a host that dies takes its checkpoints with it.
//
//===----------------------------------------------------------------------===//

#ifndef NPU_SERVE_NET_HOSTSERVICE_H
#define NPU_SERVE_NET_HOSTSERVICE_H

#include <cstdint>
#include <string>

namespace npu::serve::net {

struct HostOptions {
  std::string name;
  /// A preset name or a system JSON file.
  std::string system;
  std::string etcd;
  std::string listen = "127.0.0.1:0";
  int64_t leaseTtlSeconds = 2;
  /// Written with the address the host listens on, once it does.
  std::string addressFile;
};

/// Runs the host until SIGINT or SIGTERM (then it revokes its lease, so the
/// controller hears at once). Returns the exit code; `err` gets the
/// diagnostics.
int runHost(const HostOptions &options, std::string &err);

} // namespace npu::serve::net

#endif // NPU_SERVE_NET_HOSTSERVICE_H
