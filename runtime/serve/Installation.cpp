//===- Installation.cpp - Hosts, chips and their discovery ----------------===//
//
// The installation file and the system-description JSON are read with
// nlohmann-json; every key is checked (an unknown key is an error, as in
// the compiler's reader of the same format) and every system is validated
// by rt::validate, the runtime's one set of invariants.
//
//===----------------------------------------------------------------------===//

#include "Installation.h"

#include "Files.h"
#include "Json.h"

#include <algorithm>
#include <set>

namespace npu::serve {

using nlohmann::json;

//===----------------------------------------------------------------------===//
// System descriptions (docs/system-description.md, "JSON files")
//===----------------------------------------------------------------------===//

namespace {

rt::PowerModel readPower(const JsonReader &r, const json &value,
                         const std::string &path) {
  r.allowKeys(value, path,
              {"active_mw", "idle_mw", "off_mw", "wake_cycles",
               "wake_energy_nj"});
  rt::PowerModel power;
  power.activeMw = r.integer(value, path, "active_mw");
  power.idleMw = r.integer(value, path, "idle_mw");
  power.offMw = r.integer(value, path, "off_mw");
  power.wakeCycles = r.integer(value, path, "wake_cycles");
  power.wakeEnergyNj = r.integer(value, path, "wake_energy_nj");
  return power;
}

rt::ChipDesc readChip(const JsonReader &r, const json &value,
                      const std::string &path) {
  r.allowKeys(value, path,
              {"id", "name", "kind", "caps", "mac_rows", "mac_cols",
               "vector_lanes", "sram_bytes", "dram_bytes",
               "dram_bytes_per_cycle", "clock_mhz", "power", "coord"});
  rt::ChipDesc chip;
  chip.id = r.integer(value, path, "id");
  chip.name = r.string(value, path, "name");
  std::string kind = r.string(value, path, "kind");
  if (auto parsed = rt::parseChipKind(kind))
    chip.kind = *parsed;
  else
    r.fail(path + ".kind", "unknown chip kind '" + kind + "' (expected one of " +
                               rt::chipKindNames() + ")");
  chip.caps = rt::defaultCapabilities(chip.kind);
  if (value.contains("caps")) {
    chip.caps = 0;
    const json &caps = r.array(value, path, "caps");
    for (size_t i = 0; i < caps.size(); ++i) {
      std::string where = path + ".caps[" + std::to_string(i) + "]";
      if (!caps[i].is_string())
        r.fail(where, "expected a string");
      auto cap = rt::parseCapability(caps[i].get<std::string>());
      if (!cap)
        r.fail(where, "unknown capability '" + caps[i].get<std::string>() + "'");
      chip.caps |= *cap;
    }
  }
  chip.macRows = r.integer(value, path, "mac_rows");
  chip.macCols = r.integer(value, path, "mac_cols");
  chip.vectorLanes = r.integer(value, path, "vector_lanes");
  chip.sramBytes = r.integer(value, path, "sram_bytes");
  chip.dramBytes = r.integer(value, path, "dram_bytes");
  chip.dramBytesPerCycle = r.integer(value, path, "dram_bytes_per_cycle");
  chip.clockMhz = r.integer(value, path, "clock_mhz");
  chip.power = readPower(r, r.object(value, path, "power"), path + ".power");
  if (value.contains("coord"))
    chip.coord = r.integers(value, path, "coord");
  return chip;
}

rt::SystemDesc readSystem(const JsonReader &r, const json &value) {
  r.allowKeys(value, "",
              {"name", "topology", "mesh_dims", "chips", "links", "host"});
  rt::SystemDesc system;
  system.name = r.string(value, "", "name");
  if (value.contains("topology")) {
    std::string topology = r.string(value, "", "topology");
    auto parsed = rt::parseTopology(topology);
    if (!parsed)
      r.fail("topology", "unknown topology '" + topology +
                             "' (expected 'switch' or 'mesh')");
    system.topology = *parsed;
  }
  if (value.contains("mesh_dims"))
    system.meshDims = r.integers(value, "", "mesh_dims");
  const json &chips = r.array(value, "", "chips");
  for (size_t i = 0; i < chips.size(); ++i)
    system.chips.push_back(
        readChip(r, chips[i], "chips[" + std::to_string(i) + "]"));
  if (value.contains("links")) {
    const json &links = r.array(value, "", "links");
    for (size_t i = 0; i < links.size(); ++i) {
      std::string path = "links[" + std::to_string(i) + "]";
      r.allowKeys(links[i], path, {"a", "b", "bandwidth_gbps", "latency_ns"});
      rt::LinkDesc link;
      link.a = r.integer(links[i], path, "a");
      link.b = r.integer(links[i], path, "b");
      link.bandwidthGBps = r.integer(links[i], path, "bandwidth_gbps");
      link.latencyNs = r.integer(links[i], path, "latency_ns");
      system.links.push_back(link);
    }
  }
  const json &host = r.object(value, "", "host");
  r.allowKeys(host, "host", {"bandwidth_gbps", "latency_ns"});
  system.host.bandwidthGBps = r.integer(host, "host", "bandwidth_gbps");
  system.host.latencyNs = r.integer(host, "host", "latency_ns");
  return system;
}

/// The first problem rt::validate finds, as "FILE: PATH: MESSAGE".
bool validateSystem(const rt::SystemDesc &system, const std::string &where,
                    std::string &error) {
  std::vector<rt::TargetDiagnostic> problems = rt::validate(system);
  if (problems.empty())
    return true;
  error = where + ": " + problems.front().path + ": " + problems.front().message;
  if (problems.size() > 1)
    error += " (and " + std::to_string(problems.size() - 1) + " more)";
  return false;
}

} // namespace

std::optional<rt::SystemDesc> parseSystemJson(const std::string &text,
                                              const std::string &fileName,
                                              std::string &error) {
  std::optional<rt::SystemDesc> system;
  bool ok = parseJsonDocument(text, fileName, error, [&](const json &root,
                                                         JsonReader &r) {
    system = readSystem(r, root);
  });
  if (!ok)
    return std::nullopt;
  if (!validateSystem(*system, fileName, error))
    return std::nullopt;
  return system;
}

//===----------------------------------------------------------------------===//
// Installation files
//===----------------------------------------------------------------------===//

std::optional<InstallationSpec> parseInstallation(const std::string &text,
                                                  const std::string &fileName,
                                                  const std::string &baseDir,
                                                  std::string &error) {
  InstallationSpec spec;
  bool ok = parseJsonDocument(text, fileName, error, [&](const json &root,
                                                         JsonReader &r) {
    r.allowKeys(root, "", {"hosts", "announce_ttl_ms"});
    if (root.contains("announce_ttl_ms")) {
      int64_t ttl = r.integer(root, "", "announce_ttl_ms");
      if (ttl <= 0 || ttl > 1000 * 1000 * 1000)
        r.fail("announce_ttl_ms", "must be in [1, 10^9] ms, got " +
                                      std::to_string(ttl));
      spec.announceTtlPs = ttl * kPsPerMs;
    }
    const json &hosts = r.array(root, "", "hosts");
    if (hosts.empty())
      r.fail("hosts", "an installation needs at least one host");
    std::set<std::string> names;
    for (size_t i = 0; i < hosts.size(); ++i) {
      std::string path = "hosts[" + std::to_string(i) + "]";
      const json &h = hosts[i];
      r.allowKeys(h, path,
                  {"name", "system", "system_file", "tier", "chip_tiers",
                   "dram_bytes"});
      HostSpec host;
      host.name = r.string(h, path, "name");
      if (host.name.empty() || host.name.find('/') != std::string::npos)
        r.fail(path + ".name", "a host name must be non-empty without '/'");
      if (!names.insert(host.name).second)
        r.fail(path + ".name", "host '" + host.name + "' is listed twice");
      if (h.contains("system") == h.contains("system_file"))
        r.fail(path, "give exactly one of 'system' (a preset) or "
                     "'system_file' (a JSON file)");
      if (h.contains("system")) {
        std::string preset = r.string(h, path, "system");
        auto system = rt::getPreset(preset);
        if (!system) {
          std::string known;
          for (const std::string &n : rt::presetNames())
            known += (known.empty() ? "" : ", ") + n;
          r.fail(path + ".system",
                 "unknown preset '" + preset + "' (known: " + known + ")");
        }
        host.system = *system;
      } else {
        std::string file =
            resolvePath(baseDir, r.string(h, path, "system_file"));
        std::string text2, why;
        if (!readTextFile(file, text2, why))
          r.fail(path + ".system_file", why);
        auto system = parseSystemJson(text2, file, why);
        if (!system)
          r.fail(path + ".system_file", why);
        host.system = *system;
      }
      if (h.contains("dram_bytes")) {
        // The DRAM each chip gives to serving: a host may offer less than
        // its chips have (the rest belongs to other tenants).
        int64_t bytes = r.integer(h, path, "dram_bytes");
        for (rt::ChipDesc &chip : host.system.chips) {
          if (bytes <= 0 || bytes > chip.dramBytes)
            r.fail(path + ".dram_bytes",
                   std::to_string(bytes) + " is not in [1, " +
                       std::to_string(chip.dramBytes) + "], the DRAM of chip " +
                       std::to_string(chip.id));
          chip.dramBytes = bytes;
        }
      }
      if (h.contains("tier")) {
        std::string tier = r.string(h, path, "tier");
        auto parsed = parseTier(tier);
        if (!parsed)
          r.fail(path + ".tier",
                 "unknown tier '" + tier + "' (expected free or premium)");
        host.tier = *parsed;
      }
      if (h.contains("chip_tiers")) {
        const json &tiers = r.object(h, path, "chip_tiers");
        for (auto it = tiers.begin(); it != tiers.end(); ++it) {
          std::string where = path + ".chip_tiers." + it.key();
          int64_t id = -1;
          try {
            size_t used = 0;
            id = std::stoll(it.key(), &used);
            if (used != it.key().size())
              id = -1;
          } catch (...) {
          }
          if (id < 0 || !host.system.findChip(id))
            r.fail(where, "no chip with id '" + it.key() + "' in system '" +
                              host.system.name + "'");
          if (!it.value().is_string() ||
              !parseTier(it.value().get<std::string>()))
            r.fail(where, "expected \"free\" or \"premium\"");
          host.chipTiers[id] = *parseTier(it.value().get<std::string>());
        }
      }
      spec.hosts.push_back(std::move(host));
    }
  });
  if (!ok)
    return std::nullopt;
  return spec;
}

std::optional<InstallationSpec> readInstallationFile(const std::string &path,
                                                     std::string &error) {
  std::string text;
  if (!readTextFile(path, text, error))
    return std::nullopt;
  return parseInstallation(text, path, directoryOf(path), error);
}

//===----------------------------------------------------------------------===//
// Discovery
//===----------------------------------------------------------------------===//

std::string PoolChip::key() const {
  return host + "/" + (desc.name.empty() ? "chip" + std::to_string(desc.id)
                                         : desc.name);
}

HostDirectory::~HostDirectory() = default;

InProcessHosts::InProcessHosts(InstallationSpec spec)
    : installation(std::move(spec)) {}

std::optional<HostAnnouncement> InProcessHosts::probe(const std::string &host,
                                                      Ps nowPs) {
  if (down[host])
    return std::nullopt;
  for (const HostSpec &h : installation.hosts) {
    if (h.name != host)
      continue;
    HostAnnouncement a;
    a.host = h.name;
    a.system = h.system;
    a.atPs = nowPs;
    for (const rt::ChipDesc &chip : h.system.chips) {
      auto it = h.chipTiers.find(chip.id);
      a.chipTiers.push_back(it == h.chipTiers.end() ? h.tier : it->second);
    }
    return a;
  }
  return std::nullopt;
}

std::vector<std::string> InProcessHosts::hosts() const {
  std::vector<std::string> names;
  for (const HostSpec &h : installation.hosts)
    names.push_back(h.name);
  return names;
}

void InProcessHosts::setDown(const std::string &host, bool isDown) {
  down[host] = isDown;
}

void Registry::announce(const HostAnnouncement &announcement) {
  if (!systems.count(announcement.host))
    order.push_back(announcement.host);
  systems[announcement.host] = announcement.system;
  for (size_t i = 0; i < announcement.system.chips.size(); ++i) {
    const rt::ChipDesc &desc = announcement.system.chips[i];
    Tier tier = i < announcement.chipTiers.size() ? announcement.chipTiers[i]
                                                  : Tier::Free;
    auto it = std::find_if(table.begin(), table.end(), [&](const PoolChip &c) {
      return c.host == announcement.host && c.desc.id == desc.id;
    });
    if (it == table.end()) {
      PoolChip chip;
      chip.index = static_cast<int>(table.size());
      chip.host = announcement.host;
      table.push_back(chip);
      it = table.end() - 1;
    }
    it->desc = desc;
    it->hostLink = announcement.system.host;
    it->tier = tier;
    it->lastSeenPs = announcement.atPs;
    it->present = true;
  }
}

std::vector<std::string> Registry::scan(HostDirectory &directory,
                                        const std::vector<std::string> &hosts,
                                        Ps nowPs) {
  std::vector<std::string> silent;
  for (const std::string &host : hosts) {
    if (auto answer = directory.probe(host, nowPs))
      announce(*answer);
    else
      silent.push_back(host);
  }
  return silent;
}

std::vector<std::string> Registry::expire(Ps nowPs) {
  std::vector<std::string> left;
  for (PoolChip &chip : table) {
    if (chip.present && nowPs - chip.lastSeenPs > ttlPs) {
      chip.present = false;
      left.push_back(chip.key());
    }
  }
  return left;
}

const rt::SystemDesc *Registry::hostSystem(const std::string &host) const {
  auto it = systems.find(host);
  return it == systems.end() ? nullptr : &it->second;
}

const PoolChip *Registry::find(const std::string &host, int64_t chipId) const {
  for (const PoolChip &chip : table)
    if (chip.host == host && chip.desc.id == chipId)
      return &chip;
  return nullptr;
}

} // namespace npu::serve
