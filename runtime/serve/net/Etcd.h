//===- Etcd.h - The control-plane store: etcd v3 over gRPC ------*- C++ -*-===//
//
// A small synchronous client of etcd's v3 API (the stubs generated from the
// .proto files Debian ships): keys and prefixes, compare-and-set
// transactions, leases and their renewal, prefix watches resumable from a
// revision, and the election service. It is all the serving layer needs
// (docs/serving.md, "Beyond one machine"):
//
//  - hosts register under a key attached to their lease (P1); the lease's
//    expiry is the failure detector (M6);
//  - an allocation is a transaction that creates one key per chip, so that
//    two controllers never give one chip away twice (P3, P5);
//  - the controller is elected; a standby blocks in campaign() until the
//    leader's lease expires.
//
// Every call has a deadline and returns its error as a value: the daemons
// retry, they never throw. One Etcd object may be used from several threads
// (gRPC stubs are thread-safe).
//
//===----------------------------------------------------------------------===//

#ifndef NPU_SERVE_NET_ETCD_H
#define NPU_SERVE_NET_ETCD_H

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace grpc {
class Channel;
class ClientContext;
} // namespace grpc

namespace npu::serve::net {

struct KeyValue {
  std::string key;
  std::string value;
  int64_t createRevision = 0;
  int64_t modRevision = 0;
  int64_t lease = 0;
};

/// One condition of a transaction.
struct TxnCompare {
  enum class Kind : uint8_t {
    Absent,      ///< The key does not exist.
    ModRevision, ///< The key was last modified at `revision`.
    Value,       ///< The key holds `value`.
    Exists,      ///< The key exists (any revision).
  } kind = Kind::Absent;
  std::string key;
  int64_t revision = 0;
  std::string value;
};

/// One write of a transaction.
struct TxnWrite {
  std::string key;
  std::string value;
  int64_t lease = 0;
  bool erase = false;
};

/// A key's change, as a watch reports it.
struct WatchEvent {
  bool deleted = false;
  KeyValue kv;
};

class Etcd {
public:
  /// `endpoints`: "host:port[,host:port...]" of the cluster's members; the
  /// channel balances over them and fails over when one dies. Nothing is
  /// contacted until the first call.
  explicit Etcd(const std::string &endpoints,
                std::chrono::milliseconds deadline =
                    std::chrono::milliseconds(5000));
  ~Etcd();
  Etcd(const Etcd &) = delete;
  Etcd &operator=(const Etcd &) = delete;

  /// Each call returns "" or the error.
  std::string put(const std::string &key, const std::string &value,
                  int64_t lease = 0);
  std::string erase(const std::string &key);
  /// The key, or nullopt (with `error` set when the call failed).
  std::optional<KeyValue> get(const std::string &key, std::string &error);
  /// Every key under `prefix`, in key order; `revision`: the store's.
  std::vector<KeyValue> range(const std::string &prefix, std::string &error,
                              int64_t *revision = nullptr);
  /// Applies `writes` only when every comparison holds. `succeeded` says
  /// which happened; the error is about the call, not the comparisons.
  std::string txn(const std::vector<TxnCompare> &compares,
                  const std::vector<TxnWrite> &writes, bool &succeeded,
                  int64_t *revision = nullptr);

  /// A lease of `ttlSeconds` (etcd's minimum applies), or 0 and `error`.
  int64_t grantLease(int64_t ttlSeconds, std::string &error);
  /// One renewal; `ttl` is what is left (0: the lease has expired).
  std::string keepAlive(int64_t lease, int64_t &ttl);
  std::string revoke(int64_t lease);

  /// Blocks until this caller leads election `name` (its key is attached to
  /// `lease` and holds `value`), or the call fails; returns the leader key.
  std::optional<std::string> campaign(const std::string &name, int64_t lease,
                                      const std::string &value,
                                      std::string &error,
                                      std::chrono::seconds patience =
                                          std::chrono::seconds(3600));
  /// The current leader's value, or nullopt.
  std::optional<std::string> leader(const std::string &name,
                                    std::string &error);

  /// Watches every key under `prefix` from `fromRevision` (0: from now) on
  /// its own thread, calling `onEvents` for each batch, in revision order.
  /// A broken stream is reopened from the revision after the last one
  /// seen, so no event is lost while the store keeps its history.
  class Watch {
  public:
    ~Watch();
    void stop();

  private:
    friend class Etcd;
    Watch() = default;
    std::atomic<bool> stopping{false};
    std::shared_ptr<grpc::ClientContext> context;
    std::mutex mutex;
    std::thread thread;
  };
  std::unique_ptr<Watch>
  watch(const std::string &prefix, int64_t fromRevision,
        std::function<void(const std::vector<WatchEvent> &)> onEvents);

  /// The key just after every key that starts with `prefix`.
  static std::string prefixEnd(const std::string &prefix);

private:
  struct Stubs;
  std::unique_ptr<Stubs> stubs;
  std::chrono::milliseconds deadline;
  void setDeadline(grpc::ClientContext &context) const;
};

/// Renews a lease on its own thread every third of its TTL until stopped;
/// calls `onLost` once if the lease expires or cannot be renewed in time.
class LeaseKeeper {
public:
  LeaseKeeper(Etcd &etcd, int64_t lease, int64_t ttlSeconds,
              std::function<void()> onLost);
  ~LeaseKeeper();
  void stop();

private:
  std::atomic<bool> stopping{false};
  std::thread thread;
};

} // namespace npu::serve::net

#endif // NPU_SERVE_NET_ETCD_H
