//===- Target.cpp - The system description shared by compiler and runtime -===//
//
// Lookup, validation, spellings and shipped presets of the system
// description declared in npu/rt/Target.h.
//
// validate() reports every problem it finds, each with the path of the
// offending field spelled with the file-format keys ("chips[1].sram_bytes"),
// so that the compiler can point at the `#npu.system` attribute and the
// runtime at the binary's header. It avoids cascades: a check that depends
// on a broken field (a mesh coordinate on a broken dimension, a neighbour
// test on a misplaced chip) is skipped rather than reported twice.
//
// Built without exceptions and without RTTI.
//
//===----------------------------------------------------------------------===//

#include "npu/rt/Target.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <map>
#include <utility>

namespace npu::rt {

//===----------------------------------------------------------------------===//
// Lookup
//===----------------------------------------------------------------------===//

const ChipDesc *SystemDesc::findChip(int64_t id) const {
  for (const ChipDesc &chip : chips)
    if (chip.id == id)
      return &chip;
  return nullptr;
}

const LinkDesc *SystemDesc::findLink(int64_t a, int64_t b) const {
  for (const LinkDesc &link : links)
    if ((link.a == a && link.b == b) || (link.a == b && link.b == a))
      return &link;
  return nullptr;
}

//===----------------------------------------------------------------------===//
// Spellings
//===----------------------------------------------------------------------===//

namespace {

constexpr ChipKind kAllChipKinds[] = {ChipKind::General, ChipKind::Dense,
                                      ChipKind::Sparse, ChipKind::LowPrecision,
                                      ChipKind::Conv};
constexpr Topology kAllTopologies[] = {Topology::Switch, Topology::Mesh};

bool isKnownKind(ChipKind kind) {
  for (ChipKind known : kAllChipKinds)
    if (known == kind)
      return true;
  return false;
}

bool isKnownTopology(Topology topology) {
  for (Topology known : kAllTopologies)
    if (known == topology)
      return true;
  return false;
}

} // namespace

std::string_view toString(ChipKind kind) {
  switch (kind) {
  case ChipKind::General:
    return "general";
  case ChipKind::Dense:
    return "dense";
  case ChipKind::Sparse:
    return "sparse";
  case ChipKind::LowPrecision:
    return "lowp";
  case ChipKind::Conv:
    return "conv";
  }
  return "unknown";
}

std::optional<ChipKind> parseChipKind(std::string_view name) {
  for (ChipKind kind : kAllChipKinds)
    if (toString(kind) == name)
      return kind;
  return std::nullopt;
}

std::string_view toString(Topology topology) {
  switch (topology) {
  case Topology::Switch:
    return "switch";
  case Topology::Mesh:
    return "mesh";
  }
  return "unknown";
}

std::optional<Topology> parseTopology(std::string_view name) {
  for (Topology topology : kAllTopologies)
    if (toString(topology) == name)
      return topology;
  return std::nullopt;
}

std::string_view capabilityName(Capability capability) {
  switch (capability) {
  case CapDense:
    return "dense";
  case CapSparse:
    return "sparse";
  case CapConv:
    return "conv";
  case CapActivation:
    return "activation";
  case CapFP32:
    return "fp32";
  case CapFP16:
    return "fp16";
  case CapBF16:
    return "bf16";
  case CapINT8:
    return "int8";
  }
  return "unknown";
}

std::optional<Capability> parseCapability(std::string_view name) {
  for (Capability capability : allCapabilities())
    if (capabilityName(capability) == name)
      return capability;
  return std::nullopt;
}

const std::vector<Capability> &allCapabilities() {
  static const std::vector<Capability> capabilities = {
      CapDense, CapSparse, CapConv, CapActivation,
      CapFP32,  CapFP16,   CapBF16, CapINT8};
  return capabilities;
}

uint32_t defaultCapabilities(ChipKind kind) {
  switch (kind) {
  case ChipKind::General:
    return kAllCapabilities;
  case ChipKind::Dense:
    return CapDense | CapActivation | CapFP32 | CapFP16 | CapBF16;
  case ChipKind::Sparse:
    return CapDense | CapSparse | CapActivation | CapFP32 | CapFP16 | CapBF16;
  case ChipKind::LowPrecision:
    return CapDense | CapConv | CapActivation | CapFP16 | CapINT8;
  case ChipKind::Conv:
    return CapConv | CapActivation | CapFP32 | CapFP16 | CapINT8;
  }
  return 0;
}

std::string chipKindNames() {
  std::string names;
  for (ChipKind kind : kAllChipKinds) {
    if (!names.empty())
      names += ", ";
    names += toString(kind);
  }
  return names;
}

//===----------------------------------------------------------------------===//
// Validation
//===----------------------------------------------------------------------===//

namespace {

constexpr int64_t kPicosecondsPerMicrosecond = 1000000;

std::string str(int64_t value) { return std::to_string(value); }

std::string hex(uint32_t value) {
  char buffer[16];
  std::snprintf(buffer, sizeof(buffer), "0x%" PRIx32, value);
  return buffer;
}

std::string indexed(std::string_view key, size_t index) {
  std::string path(key);
  path += '[';
  path += std::to_string(index);
  path += ']';
  return path;
}

/// "(1, 0)".
std::string position(const std::vector<int64_t> &coord) {
  std::string text = "(";
  for (size_t i = 0; i < coord.size(); ++i) {
    if (i)
      text += ", ";
    text += str(coord[i]);
  }
  text += ')';
  return text;
}

/// Collects diagnostics; one per problem.
class Checker {
public:
  explicit Checker(std::vector<TargetDiagnostic> &diags) : diags(diags) {}

  void report(std::string path, std::string message) {
    diags.push_back({std::move(path), std::move(message)});
  }

  /// Reports and returns false unless `value > 0`.
  bool positive(const std::string &path, int64_t value) {
    if (value > 0)
      return true;
    report(path, "must be positive (got " + str(value) + ")");
    return false;
  }

  /// Reports and returns false unless `value >= 0`.
  bool nonNegative(const std::string &path, int64_t value) {
    if (value >= 0)
      return true;
    report(path, "must be non-negative (got " + str(value) + ")");
    return false;
  }

private:
  std::vector<TargetDiagnostic> &diags;
};

void checkCapabilities(Checker &check, const std::string &path, uint32_t caps) {
  if (uint32_t unknown = caps & ~kAllCapabilities)
    check.report(path, "unknown capability bits " + hex(unknown) +
                           " (known bits are " + hex(kAllCapabilities) + ")");
  if (!(caps & kDataTypeCapabilities))
    check.report(path, "needs at least one data type (fp32, fp16, bf16, int8)");
  if (!(caps & (CapDense | CapConv)))
    check.report(path, "needs a matrix capability (dense or conv)");
  if (!(caps & CapActivation))
    check.report(path, "needs the activation capability (vector unit)");
}

void checkPower(Checker &check, const std::string &chipPath,
                const PowerModel &power) {
  std::string prefix = chipPath + ".power.";
  bool active = check.nonNegative(prefix + "active_mw", power.activeMw);
  bool idle = check.nonNegative(prefix + "idle_mw", power.idleMw);
  bool off = check.nonNegative(prefix + "off_mw", power.offMw);
  check.nonNegative(prefix + "wake_cycles", power.wakeCycles);
  check.nonNegative(prefix + "wake_energy_nj", power.wakeEnergyNj);
  // Ordering only between values that are valid on their own.
  if (active && idle && power.idleMw > power.activeMw)
    check.report(prefix + "idle_mw", "idle power " + str(power.idleMw) +
                                         " mW exceeds active power " +
                                         str(power.activeMw) + " mW");
  if (idle && off && power.offMw > power.idleMw)
    check.report(prefix + "off_mw", "off power " + str(power.offMw) +
                                        " mW exceeds idle power " +
                                        str(power.idleMw) + " mW");
}

void checkChip(Checker &check, const std::string &path, const ChipDesc &chip) {
  if (!isKnownKind(chip.kind))
    check.report(path + ".kind",
                 "unknown chip kind " + str(static_cast<int64_t>(chip.kind)) +
                     " (expected one of " + chipKindNames() + ")");
  check.positive(path + ".mac_rows", chip.macRows);
  check.positive(path + ".mac_cols", chip.macCols);
  check.positive(path + ".vector_lanes", chip.vectorLanes);
  check.positive(path + ".sram_bytes", chip.sramBytes);
  check.positive(path + ".dram_bytes", chip.dramBytes);
  check.positive(path + ".dram_bytes_per_cycle", chip.dramBytesPerCycle);
  if (check.positive(path + ".clock_mhz", chip.clockMhz) &&
      kPicosecondsPerMicrosecond % chip.clockMhz != 0)
    check.report(path + ".clock_mhz",
                 "clock of " + str(chip.clockMhz) + " MHz does not divide " +
                     str(kPicosecondsPerMicrosecond) +
                     " (the picosecond time base needs an integral period)");
  checkCapabilities(check, path + ".caps", chip.caps);
  checkPower(check, path, chip.power);
}

/// Checks mesh dimensions and chip coordinates. Sets `placed[i]` for every
/// chip whose coordinate is well-formed, inside the mesh and not taken by an
/// earlier chip; only those take part in the neighbour check of links.
void checkMesh(Checker &check, const SystemDesc &system,
               std::vector<bool> &placed) {
  if (system.meshDims.empty()) {
    // Without dimensions no coordinate can be judged; say it once.
    check.report("mesh_dims", "a mesh topology needs at least one dimension");
    return;
  }
  std::vector<bool> dimValid(system.meshDims.size());
  for (size_t d = 0; d < system.meshDims.size(); ++d)
    dimValid[d] = check.positive(indexed("mesh_dims", d), system.meshDims[d]);

  std::map<std::vector<int64_t>, int64_t> taken; // position -> chip id
  for (size_t i = 0; i < system.chips.size(); ++i) {
    const ChipDesc &chip = system.chips[i];
    std::string path = indexed("chips", i) + ".coord";
    if (chip.coord.size() != system.meshDims.size()) {
      check.report(path, "expected " +
                             str(static_cast<int64_t>(system.meshDims.size())) +
                             " coordinates (one per mesh dimension), got " +
                             str(static_cast<int64_t>(chip.coord.size())));
      continue;
    }
    bool inside = true;
    for (size_t d = 0; d < chip.coord.size(); ++d) {
      int64_t value = chip.coord[d];
      std::string coordPath = indexed(path, d);
      if (!dimValid[d]) {
        // The extent is broken (reported above); only the sign is known.
        inside &= check.nonNegative(coordPath, value);
      } else if (value < 0 || value >= system.meshDims[d]) {
        check.report(coordPath, "coordinate " + str(value) +
                                    " is outside [0, " +
                                    str(system.meshDims[d]) + ")");
        inside = false;
      }
    }
    if (!inside)
      continue;
    auto [it, inserted] = taken.emplace(chip.coord, chip.id);
    if (!inserted) {
      check.report(path, "position " + position(chip.coord) +
                             " already taken by chip " + str(it->second));
      continue;
    }
    placed[i] = true;
  }
}

void checkSwitch(Checker &check, const SystemDesc &system) {
  if (!system.meshDims.empty())
    check.report("mesh_dims",
                 "only a mesh topology takes dimensions (got " +
                     str(static_cast<int64_t>(system.meshDims.size())) + ")");
  for (size_t i = 0; i < system.chips.size(); ++i)
    if (!system.chips[i].coord.empty())
      check.report(indexed("chips", i) + ".coord",
                   "only a mesh topology takes coordinates");
}

int64_t manhattanDistance(const std::vector<int64_t> &x,
                          const std::vector<int64_t> &y) {
  int64_t distance = 0;
  for (size_t d = 0; d < x.size(); ++d)
    distance += x[d] > y[d] ? x[d] - y[d] : y[d] - x[d];
  return distance;
}

} // namespace

const std::vector<SystemLimit> &systemLimits() {
  static const std::vector<SystemLimit> limits = {
      {"chips[*].mac_rows", kMaxSystemValue},
      {"chips[*].mac_cols", kMaxSystemValue},
      {"chips[*].vector_lanes", kMaxSystemValue},
      {"chips[*].sram_bytes", kMaxSystemValue},
      {"chips[*].dram_bytes", kMaxSystemValue},
      {"chips[*].dram_bytes_per_cycle", kMaxSystemValue},
      {"chips[*].power.active_mw", kMaxSystemValue},
      {"chips[*].power.idle_mw", kMaxSystemValue},
      {"chips[*].power.off_mw", kMaxSystemValue},
      {"chips[*].power.wake_cycles", kMaxSystemValue},
      {"chips[*].power.wake_energy_nj", kMaxSystemValue},
      {"links[*].bandwidth_gbps", kMaxSystemValue},
      {"links[*].latency_ns", kMaxSystemValue},
      {"host.bandwidth_gbps", kMaxSystemValue},
      {"host.latency_ns", kMaxSystemValue},
  };
  return limits;
}

namespace {

/// The value of the field `limit` names in element `index` of its list.
int64_t limitedValue(const SystemDesc &system, std::string_view field,
                     size_t index) {
  auto chipField = [&](std::string_view name) -> int64_t {
    const ChipDesc &c = system.chips[index];
    const std::pair<std::string_view, int64_t> fields[] = {
        {"mac_rows", c.macRows},
        {"mac_cols", c.macCols},
        {"vector_lanes", c.vectorLanes},
        {"sram_bytes", c.sramBytes},
        {"dram_bytes", c.dramBytes},
        {"dram_bytes_per_cycle", c.dramBytesPerCycle},
        {"power.active_mw", c.power.activeMw},
        {"power.idle_mw", c.power.idleMw},
        {"power.off_mw", c.power.offMw},
        {"power.wake_cycles", c.power.wakeCycles},
        {"power.wake_energy_nj", c.power.wakeEnergyNj}};
    for (const auto &[key, value] : fields)
      if (key == name)
        return value;
    return 0;
  };
  constexpr std::string_view chips = "chips[*].", links = "links[*].";
  if (field.substr(0, chips.size()) == chips)
    return chipField(field.substr(chips.size()));
  if (field.substr(0, links.size()) == links) {
    const LinkDesc &l = system.links[index];
    return field.substr(links.size()) == "latency_ns" ? l.latencyNs
                                                      : l.bandwidthGBps;
  }
  return field == "host.latency_ns" ? system.host.latencyNs
                                    : system.host.bandwidthGBps;
}

void checkLimits(Checker &check, const SystemDesc &system) {
  for (const SystemLimit &limit : systemLimits()) {
    std::string_view field = limit.field;
    size_t star = field.find("[*]");
    size_t count = star == std::string_view::npos ? 1
                   : field[0] == 'c'              ? system.chips.size()
                                                  : system.links.size();
    for (size_t i = 0; i < count; ++i) {
      int64_t value = limitedValue(system, field, i);
      if (value <= limit.max)
        continue;
      std::string path(field);
      if (star != std::string_view::npos)
        path = std::string(field.substr(0, star)) + "[" + str(int64_t(i)) +
               "]" + std::string(field.substr(star + 3));
      check.report(path,
                   str(value) + " exceeds the limit of " + str(limit.max));
    }
  }
}

} // namespace

std::vector<TargetDiagnostic> validate(const SystemDesc &system) {
  std::vector<TargetDiagnostic> diags;
  Checker check(diags);

  // Chips. Remember the index of each chip by id and by name; the first chip
  // owns either, a later duplicate is reported.
  if (system.chips.empty())
    check.report("chips", "a system needs at least one chip");
  std::map<int64_t, size_t> chipIndex;
  std::map<std::string, size_t> nameIndex;
  for (size_t i = 0; i < system.chips.size(); ++i) {
    const ChipDesc &chip = system.chips[i];
    std::string path = indexed("chips", i);
    // A negative id is reported once; links to it still resolve.
    auto [it, inserted] = chipIndex.emplace(chip.id, i);
    if (check.nonNegative(path + ".id", chip.id) && !inserted)
      check.report(path + ".id", "duplicate chip id " + str(chip.id) +
                                     " (also " + indexed("chips", it->second) +
                                     ")");
    if (chip.name.empty()) {
      check.report(path + ".name", "must not be empty");
    } else {
      auto [it, inserted] = nameIndex.emplace(chip.name, i);
      if (!inserted)
        check.report(path + ".name", "duplicate chip name \"" + chip.name +
                                         "\" (also " +
                                         indexed("chips", it->second) + ")");
    }
    checkChip(check, path, chip);
  }

  // Topology.
  std::vector<bool> placed(system.chips.size(), false);
  bool mesh = false;
  switch (system.topology) {
  case Topology::Mesh:
    mesh = true;
    checkMesh(check, system, placed);
    break;
  case Topology::Switch:
    checkSwitch(check, system);
    break;
  }
  if (!isKnownTopology(system.topology))
    check.report("topology", "unknown topology " +
                                 str(static_cast<int64_t>(system.topology)) +
                                 " (expected one of switch, mesh)");

  // Links.
  std::map<std::pair<int64_t, int64_t>, size_t> linkIndex;
  for (size_t i = 0; i < system.links.size(); ++i) {
    const LinkDesc &link = system.links[i];
    std::string path = indexed("links", i);
    auto endpoint = [&](const char *key, int64_t id) -> const size_t * {
      auto it = chipIndex.find(id);
      if (it != chipIndex.end())
        return &it->second;
      check.report(path + "." + key, "chip " + str(id) + " does not exist");
      return nullptr;
    };
    const size_t *a = endpoint("a", link.a);
    const size_t *b = endpoint("b", link.b);
    check.positive(path + ".bandwidth_gbps", link.bandwidthGBps);
    check.nonNegative(path + ".latency_ns", link.latencyNs);
    if (link.a == link.b) {
      check.report(path, "a link needs two different chips");
      continue;
    }
    std::pair<int64_t, int64_t> key(std::min(link.a, link.b),
                                    std::max(link.a, link.b));
    auto [it, inserted] = linkIndex.emplace(key, i);
    if (!inserted) {
      check.report(path, "duplicate link between chips " + str(key.first) +
                             " and " + str(key.second) + " (also " +
                             indexed("links", it->second) + ")");
      continue;
    }
    if (mesh && a && b && placed[*a] && placed[*b] &&
        manhattanDistance(system.chips[*a].coord, system.chips[*b].coord) != 1)
      check.report(path, "chips " + str(link.a) + " and " + str(link.b) +
                             " are not mesh neighbours");
  }

  // Host link.
  check.positive("host.bandwidth_gbps", system.host.bandwidthGBps);
  check.nonNegative("host.latency_ns", system.host.latencyNs);
  checkLimits(check, system);
  return diags;
}

//===----------------------------------------------------------------------===//
// Presets
//===----------------------------------------------------------------------===//

namespace {

constexpr int64_t kMiB = int64_t(1) << 20;
constexpr int64_t kGiB = int64_t(1) << 30;

/// The parameters of a chip that are not its identity or position.
struct ChipParams {
  int64_t macSize; ///< Square MAC array; also the vector lanes.
  int64_t sramBytes;
  int64_t dramBytes;
  int64_t dramBytesPerCycle;
  int64_t clockMhz;
  PowerModel power;
};

/// The standard parameters of each kind, used by every multi-kind preset.
/// Bigger MAC arrays draw more power and cost more to wake.
ChipParams kindParams(ChipKind kind) {
  switch (kind) {
  case ChipKind::General:
    return {256, 8 * kMiB, 2 * kGiB, 64, 1000, {4000, 600, 20, 20000, 50000}};
  case ChipKind::Dense:
    return {512, 16 * kMiB, 2 * kGiB,
            128, 1000,      {12000, 1800, 40, 20000, 200000}};
  case ChipKind::Sparse:
    return {256, 8 * kMiB, 2 * kGiB, 64, 1000, {4500, 650, 20, 20000, 60000}};
  case ChipKind::LowPrecision:
    return {256, 8 * kMiB, 2 * kGiB, 64, 1250, {2500, 400, 15, 20000, 30000}};
  case ChipKind::Conv:
    return {256, 8 * kMiB, 2 * kGiB, 64, 1000, {3500, 500, 20, 20000, 40000}};
  }
  return kindParams(ChipKind::General);
}

ChipDesc makeChip(int64_t id, std::string name, ChipKind kind,
                  const ChipParams &params) {
  ChipDesc chip;
  chip.id = id;
  chip.name = std::move(name);
  chip.kind = kind;
  chip.caps = defaultCapabilities(kind);
  chip.macRows = params.macSize;
  chip.macCols = params.macSize;
  chip.vectorLanes = params.macSize;
  chip.sramBytes = params.sramBytes;
  chip.dramBytes = params.dramBytes;
  chip.dramBytesPerCycle = params.dramBytesPerCycle;
  chip.clockMhz = params.clockMhz;
  chip.power = params.power;
  return chip;
}

LinkDesc makeLink(int64_t a, int64_t b, int64_t bandwidthGBps,
                  int64_t latencyNs) {
  LinkDesc link;
  link.a = a;
  link.b = b;
  link.bandwidthGBps = bandwidthGBps;
  link.latencyNs = latencyNs;
  return link;
}

SystemDesc makeSystem(std::string name, Topology topology) {
  SystemDesc system;
  system.name = std::move(name);
  system.topology = topology;
  system.host.bandwidthGBps = 16;
  system.host.latencyNs = 1000;
  return system;
}

SystemDesc makeSingle() {
  SystemDesc system = makeSystem("single", Topology::Switch);
  system.chips.push_back(
      makeChip(0, "npu0", ChipKind::General, kindParams(ChipKind::General)));
  return system;
}

/// Feature E1: a small and a big chip in one package.
SystemDesc makeE1Package() {
  SystemDesc system = makeSystem("e1-package", Topology::Switch);
  system.chips.push_back(makeChip(
      0, "small", ChipKind::General,
      {256, 4 * kMiB, 1 * kGiB, 64, 1000, {2500, 400, 15, 10000, 20000}}));
  system.chips.push_back(makeChip(
      1, "big", ChipKind::General,
      {512, 16 * kMiB, 4 * kGiB, 128, 1000, {12000, 1800, 40, 50000, 400000}}));
  system.links.push_back(makeLink(0, 1, 64, 100));
  return system;
}

/// A width x height mesh; chip id = y * width + x sits at (x, y), and kinds
/// cycle through general, dense, lowp, conv, sparse by id. Every pair of
/// neighbours is linked.
SystemDesc makeMesh(std::string name, int64_t width, int64_t height) {
  static constexpr ChipKind kPattern[] = {ChipKind::General, ChipKind::Dense,
                                          ChipKind::LowPrecision,
                                          ChipKind::Conv, ChipKind::Sparse};
  constexpr int64_t kPatternSize = sizeof(kPattern) / sizeof(kPattern[0]);
  constexpr int64_t kLinkGBps = 32;
  constexpr int64_t kLinkLatencyNs = 50;

  SystemDesc system = makeSystem(std::move(name), Topology::Mesh);
  system.meshDims = {width, height};
  for (int64_t y = 0; y < height; ++y) {
    for (int64_t x = 0; x < width; ++x) {
      int64_t id = y * width + x;
      ChipKind kind = kPattern[id % kPatternSize];
      ChipDesc chip = makeChip(id, "npu" + str(id), kind, kindParams(kind));
      chip.coord = {x, y};
      system.chips.push_back(std::move(chip));
    }
  }
  for (int64_t y = 0; y < height; ++y) {
    for (int64_t x = 0; x < width; ++x) {
      int64_t id = y * width + x;
      if (x + 1 < width)
        system.links.push_back(makeLink(id, id + 1, kLinkGBps, kLinkLatencyNs));
      if (y + 1 < height)
        system.links.push_back(
            makeLink(id, id + width, kLinkGBps, kLinkLatencyNs));
    }
  }
  return system;
}

} // namespace

const std::vector<std::string> &presetNames() {
  static const std::vector<std::string> names = {"single", "e1-package",
                                                 "mesh-2x2", "mesh-4x4"};
  return names;
}

std::optional<SystemDesc> getPreset(std::string_view name) {
  if (name == "single")
    return makeSingle();
  if (name == "e1-package")
    return makeE1Package();
  if (name == "mesh-2x2")
    return makeMesh("mesh-2x2", 2, 2);
  if (name == "mesh-4x4")
    return makeMesh("mesh-4x4", 4, 4);
  return std::nullopt;
}

} // namespace npu::rt
