//===- SystemDescription.cpp - Presets and JSON system descriptions -------===//
//
// Reads a system description from a preset or a JSON file into the shared
// npu::rt::SystemDesc, reporting every problem (syntax, unknown or missing
// fields, wrong types, then every rule of rt::validate) with its field path.
//
//===----------------------------------------------------------------------===//

#include "npu/Target/SystemDescription.h"

#include "npu/Support/InputFile.h"

#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"

#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include <cstdio>

using namespace mlir;
using namespace mlir::npu;
namespace rt = ::npu::rt;
namespace json = llvm::json;

namespace {

/// Collects problems while reading JSON objects field by field.
class Reader {
public:
  std::vector<rt::TargetDiagnostic> problems;

  void report(const std::string &path, const std::string &message) {
    problems.push_back({path, message});
  }

  /// Reports fields of `object` that are not in `known`.
  void checkKeys(const json::Object &object, const std::string &path,
                 std::initializer_list<StringRef> known) {
    llvm::StringSet<> allowed;
    for (StringRef k : known)
      allowed.insert(k);
    std::vector<std::string> unknown;
    for (const auto &kv : object)
      if (!allowed.contains(kv.first.str()))
        unknown.push_back(kv.first.str());
    std::sort(unknown.begin(), unknown.end());
    for (const std::string &k : unknown)
      report(join(path, k), "unknown field");
  }

  static std::string join(const std::string &path, StringRef key) {
    return path.empty() ? key.str() : path + "." + key.str();
  }

  const json::Value *field(const json::Object &object, const std::string &path,
                           StringRef key, bool required) {
    const json::Value *value = object.get(key);
    if (!value && required)
      report(join(path, key), "missing required field");
    return value;
  }

  int64_t integer(const json::Object &object, const std::string &path,
                  StringRef key, bool required = true) {
    const json::Value *value = field(object, path, key, required);
    if (!value)
      return 0;
    // llvm::json converts an integral double such as 9.223372036854775807e18
    // (= 2^63) to int64 without a range check; refuse it here instead of
    // reporting the wrapped value.
    std::optional<double> number = value->getAsNumber();
    if (number && (*number >= 0x1p63 || *number < -0x1p63) &&
        !value->getAsUINT64()) {
      char text[32];
      std::snprintf(text, sizeof(text), "%.17g", *number);
      report(join(path, key), std::string("value ") + text +
                                  " is out of the range of a 64-bit integer");
      return 0;
    }
    if (std::optional<int64_t> i = value->getAsInteger())
      return *i;
    report(join(path, key), "expected an integer");
    return 0;
  }

  std::string string(const json::Object &object, const std::string &path,
                     StringRef key, bool required = true) {
    const json::Value *value = field(object, path, key, required);
    if (!value)
      return {};
    if (std::optional<StringRef> s = value->getAsString())
      return s->str();
    report(join(path, key), "expected a string");
    return {};
  }

  const json::Object *object(const json::Object &parent,
                             const std::string &path, StringRef key,
                             bool required = true) {
    const json::Value *value = field(parent, path, key, required);
    if (!value)
      return nullptr;
    if (const json::Object *o = value->getAsObject())
      return o;
    report(join(path, key), "expected an object");
    return nullptr;
  }

  const json::Array *array(const json::Object &parent, const std::string &path,
                           StringRef key, bool required = true) {
    const json::Value *value = field(parent, path, key, required);
    if (!value)
      return nullptr;
    if (const json::Array *a = value->getAsArray())
      return a;
    report(join(path, key), "expected an array");
    return nullptr;
  }

  std::vector<int64_t> integers(const json::Object &parent,
                                const std::string &path, StringRef key) {
    std::vector<int64_t> values;
    const json::Array *a = array(parent, path, key, /*required=*/false);
    if (!a)
      return values;
    for (auto [i, v] : llvm::enumerate(*a)) {
      if (std::optional<int64_t> x = v.getAsInteger())
        values.push_back(*x);
      else
        report(join(path, key) + "[" + std::to_string(i) + "]",
               "expected an integer");
    }
    return values;
  }

  rt::ChipDesc chip(const json::Object &o, const std::string &path) {
    checkKeys(o, path,
              {"id", "name", "kind", "caps", "mac_rows", "mac_cols",
               "vector_lanes", "sram_bytes", "dram_bytes",
               "dram_bytes_per_cycle", "clock_mhz", "power", "coord"});
    rt::ChipDesc c;
    c.id = integer(o, path, "id");
    c.name = string(o, path, "name");
    std::string kind = string(o, path, "kind");
    const json::Value *kindValue = o.get("kind");
    if (auto k = rt::parseChipKind(kind))
      c.kind = *k;
    else if (kindValue && kindValue->getAsString()) // Else already reported.
      report(join(path, "kind"), "unknown chip kind '" + kind +
                                     "'; expected one of " +
                                     rt::chipKindNames());
    if (const json::Array *caps = array(o, path, "caps", /*required=*/false)) {
      for (auto [i, v] : llvm::enumerate(*caps)) {
        std::optional<StringRef> s = v.getAsString();
        std::optional<rt::Capability> bit;
        if (s)
          bit = rt::parseCapability(*s);
        if (bit)
          c.caps |= *bit;
        else
          report(join(path, "caps") + "[" + std::to_string(i) + "]",
                 "unknown capability; expected one of dense, sparse, conv, "
                 "activation, fp32, fp16, bf16, int8");
      }
    } else {
      c.caps = rt::defaultCapabilities(c.kind);
    }
    c.macRows = integer(o, path, "mac_rows");
    c.macCols = integer(o, path, "mac_cols");
    c.vectorLanes = integer(o, path, "vector_lanes");
    c.sramBytes = integer(o, path, "sram_bytes");
    c.dramBytes = integer(o, path, "dram_bytes");
    c.dramBytesPerCycle = integer(o, path, "dram_bytes_per_cycle");
    c.clockMhz = integer(o, path, "clock_mhz");
    std::string powerPath = join(path, "power");
    if (const json::Object *p = object(o, path, "power")) {
      checkKeys(*p, powerPath,
                {"active_mw", "idle_mw", "off_mw", "wake_cycles",
                 "wake_energy_nj"});
      c.power.activeMw = integer(*p, powerPath, "active_mw");
      c.power.idleMw = integer(*p, powerPath, "idle_mw");
      c.power.offMw = integer(*p, powerPath, "off_mw");
      c.power.wakeCycles = integer(*p, powerPath, "wake_cycles");
      c.power.wakeEnergyNj = integer(*p, powerPath, "wake_energy_nj");
    }
    c.coord = integers(o, path, "coord");
    return c;
  }

  rt::SystemDesc system(const json::Object &o) {
    checkKeys(o, "",
              {"name", "topology", "mesh_dims", "chips", "links", "host"});
    rt::SystemDesc s;
    s.name = string(o, "", "name");
    std::string topology = string(o, "", "topology", /*required=*/false);
    const json::Value *topologyValue = o.get("topology");
    if (!topologyValue || !topologyValue->getAsString())
      s.topology = rt::Topology::Switch; // Absent, or reported as not a string.
    else if (auto t = rt::parseTopology(topology))
      s.topology = *t;
    else
      report("topology", "unknown topology '" + topology +
                             "'; expected switch or mesh");
    s.meshDims = integers(o, "", "mesh_dims");
    if (const json::Array *chips = array(o, "", "chips")) {
      for (auto [i, v] : llvm::enumerate(*chips)) {
        std::string path = "chips[" + std::to_string(i) + "]";
        if (const json::Object *c = v.getAsObject())
          s.chips.push_back(chip(*c, path));
        else
          report(path, "expected an object");
      }
    }
    if (const json::Array *links = array(o, "", "links", /*required=*/false)) {
      for (auto [i, v] : llvm::enumerate(*links)) {
        std::string path = "links[" + std::to_string(i) + "]";
        const json::Object *l = v.getAsObject();
        if (!l) {
          report(path, "expected an object");
          continue;
        }
        checkKeys(*l, path, {"a", "b", "bandwidth_gbps", "latency_ns"});
        s.links.push_back({integer(*l, path, "a"), integer(*l, path, "b"),
                           integer(*l, path, "bandwidth_gbps"),
                           integer(*l, path, "latency_ns")});
      }
    }
    if (const json::Object *h = object(o, "", "host")) {
      checkKeys(*h, "host", {"bandwidth_gbps", "latency_ns"});
      s.host.bandwidthGBps = integer(*h, "host", "bandwidth_gbps");
      s.host.latencyNs = integer(*h, "host", "latency_ns");
    }
    return s;
  }
};

} // namespace

FailureOr<rt::SystemDesc>
mlir::npu::parseSystemDescriptionJSON(StringRef text, StringRef source,
                                      Location loc) {
  llvm::Expected<json::Value> value = parseJSONBounded(text);
  if (!value) {
    emitError(loc) << "system description " << source
                   << ": invalid JSON: " << llvm::toString(value.takeError());
    return failure();
  }
  const json::Object *root = value->getAsObject();
  if (!root) {
    emitError(loc) << "system description " << source
                   << ": the top level must be an object";
    return failure();
  }
  Reader reader;
  rt::SystemDesc system = reader.system(*root);
  // Numeric rules only make sense once the structure was read cleanly.
  if (reader.problems.empty())
    reader.problems = rt::validate(system);
  for (const rt::TargetDiagnostic &p : reader.problems)
    emitError(loc) << "system description " << source << ": " << p.path
                   << ": " << p.message;
  if (!reader.problems.empty())
    return failure();
  return system;
}

FailureOr<rt::SystemDesc> mlir::npu::loadSystemDescription(StringRef spec,
                                                           Location loc) {
  if (std::optional<rt::SystemDesc> preset = rt::getPreset(spec))
    return *preset;
  if (!llvm::sys::fs::exists(spec)) {
    std::string presets;
    for (const std::string &name : rt::presetNames())
      presets += (presets.empty() ? "" : ", ") + name;
    emitError(loc)
        << "system description '" << spec << "' is neither a preset ("
        << presets << ") nor a readable file: "
        << std::make_error_code(std::errc::no_such_file_or_directory).message();
    return failure();
  }
  std::string error;
  std::unique_ptr<llvm::MemoryBuffer> buffer =
      readInputFile(spec, error, kMaxJSONFileBytes);
  if (!buffer) {
    emitError(loc) << "system description '" << spec << "': " << error;
    return failure();
  }
  return parseSystemDescriptionJSON(buffer->getBuffer(), spec, loc);
}

std::string mlir::npu::systemDescriptionToJSON(const rt::SystemDesc &system) {
  json::Array chips;
  for (const rt::ChipDesc &c : system.chips) {
    json::Array caps;
    for (rt::Capability cap : rt::allCapabilities())
      if (c.has(cap))
        caps.push_back(std::string(rt::capabilityName(cap)));
    json::Object chip{
        {"id", c.id},
        {"name", c.name},
        {"kind", std::string(rt::toString(c.kind))},
        {"caps", std::move(caps)},
        {"mac_rows", c.macRows},
        {"mac_cols", c.macCols},
        {"vector_lanes", c.vectorLanes},
        {"sram_bytes", c.sramBytes},
        {"dram_bytes", c.dramBytes},
        {"dram_bytes_per_cycle", c.dramBytesPerCycle},
        {"clock_mhz", c.clockMhz},
        {"power", json::Object{{"active_mw", c.power.activeMw},
                               {"idle_mw", c.power.idleMw},
                               {"off_mw", c.power.offMw},
                               {"wake_cycles", c.power.wakeCycles},
                               {"wake_energy_nj", c.power.wakeEnergyNj}}}};
    if (!c.coord.empty())
      chip["coord"] = json::Array(c.coord);
    chips.push_back(std::move(chip));
  }
  json::Array links;
  for (const rt::LinkDesc &l : system.links)
    links.push_back(json::Object{{"a", l.a},
                                 {"b", l.b},
                                 {"bandwidth_gbps", l.bandwidthGBps},
                                 {"latency_ns", l.latencyNs}});
  json::Object root{{"name", system.name},
                    {"topology", std::string(rt::toString(system.topology))},
                    {"chips", std::move(chips)},
                    {"links", std::move(links)},
                    {"host", json::Object{
                                 {"bandwidth_gbps", system.host.bandwidthGBps},
                                 {"latency_ns", system.host.latencyNs}}}};
  if (!system.meshDims.empty())
    root["mesh_dims"] = json::Array(system.meshDims);
  std::string out;
  llvm::raw_string_ostream os(out);
  os << llvm::formatv("{0:2}", json::Value(std::move(root))) << "\n";
  return out;
}
