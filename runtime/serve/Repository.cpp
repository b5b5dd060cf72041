//===- Repository.cpp - Models, their variants and their budgets ----------===//

#include "Repository.h"

#include "Files.h"
#include "Json.h"

#include "npu/rt/Cost.h"

#include <algorithm>
#include <filesystem>
#include <numeric>

namespace npu::serve {

namespace fs = std::filesystem;

std::string_view modelStateName(ModelState state) {
  return state == ModelState::Ready ? "READY" : "UNAVAILABLE";
}

const Variant *ModelEntry::findVariant(const std::string &variant) const {
  for (const Variant &v : variants)
    if (v.name == variant)
      return &v;
  return nullptr;
}

const Variant *ModelEntry::fastest() const {
  const Variant *best = nullptr;
  for (const Variant &v : variants)
    if (!best || v.latencyPs < best->latencyPs)
      best = &v;
  return best;
}

namespace {

bool isModelName(const std::string &name) {
  if (name.empty() || name.size() > 128 || name[0] == '.')
    return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' ||
           c == '_' || c == '.';
  });
}

/// Decimal version directory names ("1", "12"), as Triton.
std::optional<int64_t> versionOf(const std::string &name) {
  if (name.empty() || name.size() > 9 ||
      !std::all_of(name.begin(), name.end(),
                   [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  return std::stoll(name);
}

std::string_view dtypeName(rt::cost::DType type) {
  switch (type) {
  case rt::cost::DType::F32:
    return "f32";
  case rt::cost::DType::F16:
    return "f16";
  case rt::cost::DType::BF16:
    return "bf16";
  case rt::cost::DType::I8:
    return "int8";
  case rt::cost::DType::UI8:
    return "uint8";
  case rt::cost::DType::I32:
    return "int32";
  }
  return "?";
}

} // namespace

std::optional<Variant> makeVariant(std::shared_ptr<const rt::Model> binary,
                                   const std::string &model,
                                   const std::string &name,
                                   std::string &error) {
  const rt::Model &m = *binary;
  Variant v;
  v.model = model;
  v.name = name;
  v.binary = binary;
  if (m.earlyExit) {
    error = "has an early-exit table: its path depends on the data, and "
            "serving reserves one fixed path per request (docs/serving.md, "
            "\"What is served\")";
    return std::nullopt;
  }
  for (const rt::Program &p : m.programs) {
    if (p.startsAsleep || p.exitChecks > 0) {
      error = "program '" + p.name + "' has exit checks or starts asleep: "
              "its path depends on the data (docs/serving.md, \"What is "
              "served\")";
      return std::nullopt;
    }
    const rt::ChipDesc *chip = m.system.findChip(p.chip);
    const rt::Budget *full = p.findBudget("full");
    if (!chip || !full) {
      error = "program '" + p.name + "' has no chip or no 'full' budget";
      return std::nullopt;
    }
    ProgramNeeds needs;
    needs.chip = p.chip;
    needs.desc = *chip;
    needs.cycles = full->cycles;
    needs.busyPs = full->cycles * chip->picosecondsPerCycle();
    needs.energyFj = full->energyFj;
    needs.hostBytes = full->hostBytes;
    for (const rt::Budget &b : p.budgets)
      needs.peakDramBytes = std::max(needs.peakDramBytes, b.peakDramBytes);
    for (const rt::Segment &s : p.segments) {
      int64_t bytes = static_cast<int64_t>(s.data.size());
      needs.weightBytes += bytes;
      needs.loadCycles += rt::cost::hostDmaCycles(
          bytes, m.system.host.bandwidthGBps, m.system.host.latencyNs,
          chip->clockMhz);
      needs.peakDramBytes = std::max(needs.peakDramBytes, s.dram + bytes);
    }
    needs.loadPs = needs.loadCycles * chip->picosecondsPerCycle();
    needs.sramBytes = p.sramExtent;
    v.latencyPs = std::max(v.latencyPs, needs.busyPs);
    v.energyFj += needs.energyFj;
    v.weightBytes += needs.weightBytes;
    v.gridPs = std::lcm(v.gridPs, chip->picosecondsPerCycle());
    for (const rt::Instruction &instr : p.instructions) {
      int64_t peer = -1;
      if (auto *send = std::get_if<rt::isa::Send>(&instr))
        peer = send->chip;
      else if (auto *recv = std::get_if<rt::isa::Recv>(&instr))
        peer = recv->chip;
      if (peer >= 0) {
        std::pair<int64_t, int64_t> link = std::minmax(p.chip, peer);
        if (std::find(v.links.begin(), v.links.end(), link) == v.links.end())
          v.links.push_back(link);
      }
    }
    v.programs.push_back(std::move(needs));
  }
  if (v.programs.empty()) {
    error = "has no program";
    return std::nullopt;
  }
  std::sort(v.links.begin(), v.links.end());
  std::optional<std::vector<ProgramOperations>> operations =
      countOperations(m, error);
  if (!operations)
    return std::nullopt;
  v.operations = std::move(*operations);
  if (!m.inputs.empty())
    v.precision = std::string(dtypeName(m.inputs.front().dtype));
  for (const rt::TensorSignature &sig : m.inputs)
    v.inputBytes += sig.bytes;
  return v;
}

std::optional<Variant> Repository::readVariant(const std::string &file,
                                               const std::string &model,
                                               int64_t version,
                                               std::string &error) {
  std::vector<uint8_t> bytes;
  if (!readRegularFile(file, kMaxBinaryFileBytes, bytes, error))
    return std::nullopt;
  rt::LoadResult loaded = rt::loadModel(bytes.data(), bytes.size());
  if (!loaded) {
    error = file + ": " + loaded.error;
    return std::nullopt;
  }
  std::string stem = fs::path(file).stem().string();
  auto binary = std::make_shared<const rt::Model>(std::move(*loaded.model));
  std::optional<Variant> v = makeVariant(binary, model, stem, error);
  if (!v) {
    error = file + ": " + error;
    return std::nullopt;
  }
  v->file = file;
  v->version = version;
  return v;
}

std::optional<Repository> Repository::open(const std::string &path,
                                           std::string &error) {
  std::error_code ec;
  if (!fs::is_directory(path, ec)) {
    error = path + ": not a directory";
    return std::nullopt;
  }
  Repository repo;
  repo.root = path;
  std::vector<std::string> names;
  for (const fs::directory_entry &entry : fs::directory_iterator(path, ec)) {
    std::string name = entry.path().filename().string();
    if (entry.is_directory(ec) && isModelName(name))
      names.push_back(name);
  }
  if (ec) {
    error = path + ": " + ec.message();
    return std::nullopt;
  }
  std::sort(names.begin(), names.end());
  for (const std::string &name : names) {
    ModelEntry entry;
    entry.name = name;
    repo.models.push_back(std::move(entry));
  }
  return repo;
}

std::string Repository::load(const std::string &model) {
  auto it = std::find_if(models.begin(), models.end(),
                         [&](const ModelEntry &m) { return m.name == model; });
  if (it == models.end())
    return "no model '" + model + "' in repository '" + root + "'";
  ModelEntry &entry = *it;
  auto fail = [&](const std::string &why) {
    entry.state = ModelState::Unavailable;
    entry.reason = why;
    retired.push_back(std::move(entry.variants));
    entry.variants.clear();
    return "model '" + model + "': " + why;
  };
  std::string dir = root + "/" + model;
  std::error_code ec;
  // The newest version directory (Triton's default policy, latest 1).
  int64_t newest = -1;
  for (const fs::directory_entry &e : fs::directory_iterator(dir, ec))
    if (auto version = versionOf(e.path().filename().string());
        version && e.is_directory(ec))
      newest = std::max(newest, *version);
  if (newest < 0)
    return fail("no version directory (" + dir + "/<N>/)");

  // config.json: optional.
  std::optional<double> expectedRate;
  std::map<std::string, double> accuracies;
  std::string configPath = dir + "/config.json";
  if (fs::exists(configPath, ec)) {
    std::string text, why;
    if (!readTextFile(configPath, text, why))
      return fail(why);
    bool ok = parseJsonDocument(
        text, configPath, why, [&](const nlohmann::json &root, JsonReader &r) {
          r.allowKeys(root, "",
                      {"name", "platform", "expected_rate_per_s", "variants"});
          if (root.contains("name") && r.string(root, "", "name") != model)
            r.fail("name", "names model '" + r.string(root, "", "name") +
                               "' but the directory is '" + model + "'");
          if (root.contains("platform") &&
              r.string(root, "", "platform") != "npu")
            r.fail("platform", "expected \"npu\"");
          if (root.contains("expected_rate_per_s")) {
            double rate = r.number(root, "", "expected_rate_per_s");
            if (rate < 0)
              r.fail("expected_rate_per_s", "must be >= 0");
            expectedRate = rate;
          }
          if (root.contains("variants")) {
            const nlohmann::json &vs = r.object(root, "", "variants");
            for (auto v = vs.begin(); v != vs.end(); ++v) {
              std::string where = "variants." + v.key();
              r.allowKeys(v.value(), where, {"accuracy"});
              if (v.value().contains("accuracy")) {
                double acc = r.number(v.value(), where, "accuracy");
                if (acc < 0 || acc > 1)
                  r.fail(where + ".accuracy", "must be in [0, 1]");
                accuracies[v.key()] = acc;
              }
            }
          }
        });
    if (!ok)
      return fail(why);
  }

  std::string versionDir = dir + "/" + std::to_string(newest);
  std::vector<std::string> files;
  for (const fs::directory_entry &e : fs::directory_iterator(versionDir, ec))
    if (e.path().extension() == ".npub")
      files.push_back(e.path().string());
  std::sort(files.begin(), files.end());
  if (files.empty())
    return fail("no .npub file in " + versionDir);
  std::vector<Variant> variants;
  for (const std::string &file : files) {
    std::string why;
    std::optional<Variant> v = readVariant(file, model, newest, why);
    if (!v)
      return fail(why);
    if (auto acc = accuracies.find(v->name); acc != accuracies.end())
      v->accuracy = acc->second;
    variants.push_back(std::move(*v));
  }
  for (const auto &[name, acc] : accuracies) {
    (void)acc;
    if (!std::any_of(variants.begin(), variants.end(),
                     [&](const Variant &v) { return v.name == name; }))
      return fail(configPath + ": variants." + name + ": no file " + name +
                  ".npub in " + versionDir);
  }
  retired.push_back(std::move(entry.variants));
  entry.variants = std::move(variants);
  entry.version = newest;
  entry.expectedRate = expectedRate;
  entry.state = ModelState::Ready;
  entry.reason.clear();
  return "";
}

std::vector<std::string> Repository::loadAll() {
  std::vector<std::string> errors;
  for (size_t i = 0; i < models.size(); ++i)
    if (std::string why = load(models[i].name); !why.empty())
      errors.push_back(why);
  return errors;
}

std::string Repository::unload(const std::string &model) {
  for (ModelEntry &m : models) {
    if (m.name != model)
      continue;
    retired.push_back(std::move(m.variants));
    m.variants.clear();
    m.state = ModelState::Unavailable;
    m.reason = "unloaded";
    return "";
  }
  return "no model '" + model + "' in repository '" + root + "'";
}

const ModelEntry *Repository::find(const std::string &model) const {
  for (const ModelEntry &m : models)
    if (m.name == model)
      return &m;
  return nullptr;
}

} // namespace npu::serve
