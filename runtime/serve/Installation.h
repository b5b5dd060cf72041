//===- Installation.h - Hosts, chips and their discovery --------*- C++ -*-===//
//
// An installation is a set of hosts, each with a system description (a
// preset or a JSON file in the format of docs/system-description.md). Its
// chips join the pool in two ways (P1, D3):
//
//  - announcement: a host announces its chips, with their capabilities,
//    kind, tier, memory and power states; a chip that has not been announced
//    for the registry's time-to-live leaves the pool;
//  - scan: the orchestrator probes a list of hosts and registers what each
//    answers.
//
// HostDirectory is the one interface between the registry and whatever
// carries the announcements. This implementation is in-process
// (InProcessHosts); the network one (etcd leases) implements the same
// interface, so no policy code changes.
//
//===----------------------------------------------------------------------===//

#ifndef NPU_SERVE_INSTALLATION_H
#define NPU_SERVE_INSTALLATION_H

#include "Types.h"

#include "npu/rt/Target.h"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace npu::serve {

/// One host of an installation file.
struct HostSpec {
  std::string name;
  rt::SystemDesc system;
  /// The tier of every chip of the host unless `chipTiers` says otherwise.
  Tier tier = Tier::Free;
  std::map<int64_t, Tier> chipTiers;
};

/// The contents of an installation file (docs/serving.md, "Installation").
struct InstallationSpec {
  std::vector<HostSpec> hosts;
  /// A chip not announced for this long leaves the pool.
  Ps announceTtlPs = 1 * kPsPerS;
};

/// Parses an installation file. `baseDir` resolves relative system-file
/// paths. Errors name the file and the field ("inst.json: hosts[1].system:
/// unknown preset 'mesh-3x3' ...").
std::optional<InstallationSpec> parseInstallation(const std::string &text,
                                                  const std::string &fileName,
                                                  const std::string &baseDir,
                                                  std::string &error);
std::optional<InstallationSpec> readInstallationFile(const std::string &path,
                                                     std::string &error);

/// Reads a system description from JSON text in the format of
/// docs/system-description.md (what `npu-translate --npu-export-system`
/// writes) and validates it.
std::optional<rt::SystemDesc> parseSystemJson(const std::string &text,
                                              const std::string &fileName,
                                              std::string &error);

/// What a host says about itself: its system (chips present now, the links
/// between them, its host link) and the tier of each chip.
struct HostAnnouncement {
  std::string host;
  rt::SystemDesc system;
  /// One per chip of `system`, in its order.
  std::vector<Tier> chipTiers;
  Ps atPs = 0;
};

/// One chip of the pool, published as named counts (SERVING.md, "Resources
/// as named counts") so that a Kubernetes DRA driver is a thin adapter.
struct PoolChip {
  /// Index in the registry's chip table; stable for the registry's life.
  int index = 0;
  std::string host;
  rt::ChipDesc desc;
  rt::HostLinkDesc hostLink;
  Tier tier = Tier::Free;
  Ps lastSeenPs = 0;
  bool present = false;

  /// "host/npu0": the chip's name in reports.
  std::string key() const;
};

/// The source of announcements. probe() answers a scan of one host, or
/// nothing when the host does not answer.
class HostDirectory {
public:
  virtual ~HostDirectory();
  virtual std::optional<HostAnnouncement> probe(const std::string &host,
                                                Ps nowPs) = 0;
  /// Every host the directory knows, for a scan of all of them.
  virtual std::vector<std::string> hosts() const = 0;
};

/// The in-process directory: the hosts of an installation file, which
/// answer every probe until marked down.
class InProcessHosts final : public HostDirectory {
public:
  explicit InProcessHosts(InstallationSpec spec);
  std::optional<HostAnnouncement> probe(const std::string &host,
                                        Ps nowPs) override;
  std::vector<std::string> hosts() const override;
  /// A host marked down answers no probe (a failed host, for tests).
  void setDown(const std::string &host, bool down);
  const InstallationSpec &spec() const { return installation; }

private:
  InstallationSpec installation;
  std::map<std::string, bool> down;
};

/// The pool of chips the orchestrator may use.
class Registry {
public:
  explicit Registry(Ps ttlPs) : ttlPs(ttlPs) {}

  /// Registers or renews the chips of an announcement. A chip of the host
  /// that the announcement omits is left to expire.
  void announce(const HostAnnouncement &announcement);
  /// Probes each host and registers its answer; returns the hosts that did
  /// not answer.
  std::vector<std::string> scan(HostDirectory &directory,
                                const std::vector<std::string> &hosts,
                                Ps nowPs);
  /// Removes from the pool every chip last seen more than the time-to-live
  /// before `nowPs`; returns their keys.
  std::vector<std::string> expire(Ps nowPs);

  /// Every chip ever registered (present or not), by index.
  const std::vector<PoolChip> &chips() const { return table; }
  /// The system a host last announced, or null.
  const rt::SystemDesc *hostSystem(const std::string &host) const;
  /// The chip of `host` with system id `chipId`, or null.
  const PoolChip *find(const std::string &host, int64_t chipId) const;
  /// Hosts in the order they first announced.
  const std::vector<std::string> &hostOrder() const { return order; }

private:
  Ps ttlPs;
  std::vector<PoolChip> table;
  std::map<std::string, rt::SystemDesc> systems;
  std::vector<std::string> order;
};

} // namespace npu::serve

#endif // NPU_SERVE_INSTALLATION_H
