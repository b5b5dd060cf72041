//===- Trace.cpp - The request trace: format, reader, generator -----------===//

#include "Trace.h"

#include "Files.h"
#include "Json.h"
#include "Placement.h"
#include "Random.h"
#include "TensorIO.h"

#include <algorithm>
#include <cmath>
#include <set>

namespace npu::serve {

using nlohmann::json;

//===----------------------------------------------------------------------===//
// Reading
//===----------------------------------------------------------------------===//

namespace {

/// The inputs of a request given as files, checked against the signature.
rt::TensorMap readInputs(const JsonReader &r, const json &files,
                         const std::string &baseDir, const Variant &variant) {
  rt::TensorMap inputs;
  const rt::Model &model = *variant.binary;
  for (auto it = files.begin(); it != files.end(); ++it) {
    std::string where = "inputs." + it.key();
    const rt::TensorSignature *sig = nullptr;
    for (const rt::TensorSignature &s : model.inputs)
      if (s.name == it.key())
        sig = &s;
    if (!sig)
      r.fail(where, "model '" + variant.model + "' has no input '" + it.key() +
                        "'");
    if (!it.value().is_string())
      r.fail(where, "expected a file name");
    std::string path = resolvePath(baseDir, it.value().get<std::string>());
    std::vector<uint8_t> bytes;
    std::string why;
    if (!readRegularFile(path, kMaxTextFileBytes, bytes, why))
      r.fail(where, why);
    auto format = rt::io::formatFromPath(path);
    if (!format)
      r.fail(where, path + ": expected a .npy or .pb file");
    rt::io::ReadResult read =
        rt::io::parseTensor(*format, bytes.data(), bytes.size(), path);
    if (!read)
      r.fail(where, read.error);
    const rt::io::Tensor &t = *read.tensor;
    if (rt::io::toDType(t.type) != sig->dtype || t.shape != sig->shape)
      r.fail(where, path + " holds " +
                        std::string(rt::io::elementTypeName(t.type)) +
                        rt::io::formatShape(t.shape) + "; input '" +
                        sig->name + "' is " +
                        std::string(rt::io::elementTypeName(
                            rt::io::fromDType(sig->dtype))) +
                        rt::io::formatShape(sig->shape));
    inputs[sig->name] = t.data;
  }
  for (const rt::TensorSignature &s : model.inputs)
    if (!inputs.count(s.name))
      r.fail("inputs", "input '" + s.name + "' of model '" + variant.model +
                           "' is not given");
  return inputs;
}

int readPriority(const JsonReader &r, const json &line) {
  if (!line.contains("priority"))
    return kDefaultPriority;
  int64_t p = r.integer(line, "", "priority");
  if (p < 0 || p > kLowestPriority)
    r.fail("priority", "must be in [0, " + std::to_string(kLowestPriority) +
                           "] (1 is the highest, 0 the default), got " +
                           std::to_string(p));
  return p == 0 ? kDefaultPriority : int(p);
}

std::optional<double> readAccuracy(const JsonReader &r, const json &line) {
  if (!line.contains("min_accuracy"))
    return std::nullopt;
  double a = r.number(line, "", "min_accuracy");
  if (!(a >= 0 && a <= 1))
    r.fail("min_accuracy", "must be a fraction in [0, 1]");
  return a;
}

Tier readTier(const JsonReader &r, const json &line) {
  if (!line.contains("tier"))
    return Tier::Free;
  std::string tier = r.string(line, "", "tier");
  auto parsed = parseTier(tier);
  if (!parsed)
    r.fail("tier", "unknown tier '" + tier + "' (expected free or premium)");
  return *parsed;
}

const ModelEntry &readyModel(const JsonReader &r, const json &line,
                             const Repository &repository) {
  std::string name = r.string(line, "", "model");
  const ModelEntry *model = repository.find(name);
  if (!model)
    r.fail("model", "unknown model '" + name + "' (not in repository '" +
                        repository.path() + "')");
  if (model->state != ModelState::Ready)
    r.fail("model", "model '" + name + "' is unavailable: " + model->reason);
  return *model;
}

} // namespace

std::optional<Trace> parseTrace(const std::string &text,
                                const std::string &fileName,
                                const std::string &baseDir,
                                const Repository &repository,
                                std::string &error) {
  Trace trace;
  std::set<std::string> ids;
  Ps last = 0;
  int64_t lineNo = 0;
  size_t pos = 0;
  bool headerSeen = false;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos)
      end = text.size();
    std::string line = text.substr(pos, end - pos);
    pos = end + 1;
    ++lineNo;
    if (line.find_first_not_of(" \t\r") == std::string::npos)
      continue;
    std::string where = fileName + ":" + std::to_string(lineNo);
    json value;
    std::string why;
    if (!parseJsonValue(line, value, why)) {
      error = where + ": " + why;
      return std::nullopt;
    }
    JsonReader r;
    try {
      std::string type = r.string(value, "", "type");
      if (type == "header") {
        if (headerSeen || !trace.entries.empty())
          r.fail("type", "the header must be the first line");
        headerSeen = true;
        r.allowKeys(value, "",
                    {"type", "duration_ps", "expected_rate_per_s", "generator"});
        if (value.contains("duration_ps")) {
          trace.durationPs = r.integer(value, "", "duration_ps");
          if (trace.durationPs <= 0)
            r.fail("duration_ps", "must be > 0");
        }
        if (value.contains("expected_rate_per_s")) {
          const json &rates = r.object(value, "", "expected_rate_per_s");
          for (auto it = rates.begin(); it != rates.end(); ++it) {
            if (!repository.find(it.key()))
              r.fail("expected_rate_per_s." + it.key(), "unknown model");
            double rate = r.number(rates, "expected_rate_per_s", it.key().c_str());
            if (rate < 0)
              r.fail("expected_rate_per_s." + it.key(), "must be >= 0");
            trace.expectedRates[it.key()] = rate;
          }
        }
        continue;
      }
      TraceEntry entry;
      std::string id = r.string(value, "", "id");
      if (id.empty())
        r.fail("id", "must not be empty");
      if (!ids.insert(id).second)
        r.fail("id", "'" + id + "' is used twice");
      Ps t = r.integer(value, "", "t_ps");
      if (t < 0 || t > kMaxTracePs)
        r.fail("t_ps", "must be in [0, 2^61] ps");
      if (t < last)
        r.fail("t_ps", std::to_string(t) + " is before the previous line's " +
                           std::to_string(last) + ": arrivals must be in order");
      last = t;
      if (type == "fail") {
        r.allowKeys(value, "",
                    {"type", "id", "t_ps", "host", "chip", "detect_ps"});
        entry.kind = TraceEntry::Kind::Fail;
        FailureEvent &f = entry.fail;
        f.id = id;
        f.atPs = t;
        f.line = lineNo;
        f.host = r.string(value, "", "host");
        if (value.contains("chip")) {
          f.chip = r.integer(value, "", "chip");
          if (f.chip < 0)
            r.fail("chip", "must be >= 0 (a chip's id in its host's system)");
        }
        if (value.contains("detect_ps")) {
          f.detectPs = r.integer(value, "", "detect_ps");
          if (f.detectPs < 0 || f.detectPs > INT64_MAX / 4 - t)
            r.fail("detect_ps", "must be >= 0 and end before 2^61 ps");
        }
        trace.entries.push_back(std::move(entry));
        continue;
      }
      if (type != "infer" && type != "allocate")
        r.fail("type", "unknown line type '" + type +
                           "' (header, infer, allocate, fail)");
      const ModelEntry &model = readyModel(r, value, repository);
      if (type == "infer") {
        r.allowKeys(value, "",
                    {"type", "id", "t_ps", "model", "deadline_ps", "slo_ps",
                     "priority", "tier", "billing", "client", "allocation",
                     "seed", "inputs", "min_accuracy"});
        InferenceRequest &q = entry.infer;
        q.id = id;
        q.model = model.name;
        q.arrivalPs = t;
        q.line = lineNo;
        if (value.contains("deadline_ps") == value.contains("slo_ps"))
          r.fail("deadline_ps", "give exactly one of deadline_ps (absolute) "
                                "or slo_ps (after the arrival)");
        if (value.contains("deadline_ps")) {
          q.deadlinePs = r.integer(value, "", "deadline_ps");
          if (q.deadlinePs > kMaxTracePs)
            r.fail("deadline_ps", "must be at most 2^61 ps");
        } else {
          Ps slo = r.integer(value, "", "slo_ps");
          if (slo <= 0 || slo > kMaxTracePs - t)
            r.fail("slo_ps", "must be > 0 and end by 2^61 ps");
          q.deadlinePs = t + slo;
        }
        if (q.deadlinePs <= t)
          r.fail("deadline_ps", "deadline " + std::to_string(q.deadlinePs) +
                                    " ps is not after the arrival " +
                                    std::to_string(t) + " ps (in the past)");
        q.priority = readPriority(r, value);
        q.tier = readTier(r, value);
        q.minAccuracy = readAccuracy(r, value);
        q.billing = value.contains("billing") ? r.string(value, "", "billing")
                                              : std::string(tierName(q.tier));
        if (value.contains("client"))
          q.client = r.string(value, "", "client");
        if (value.contains("allocation"))
          q.allocation = r.string(value, "", "allocation");
        if (value.contains("inputs") && value.contains("seed"))
          r.fail("inputs", "give inputs or seed, not both");
        if (value.contains("seed")) {
          int64_t seed = r.integer(value, "", "seed");
          q.inputSeed = uint64_t(seed);
        }
        if (value.contains("inputs"))
          q.inputs = readInputs(r, r.object(value, "", "inputs"), baseDir,
                                model.variants.front());
      } else {
        r.allowKeys(value, "",
                    {"type", "id", "t_ps", "model", "client", "rate_per_s",
                     "frame_ps", "start_by_ps", "precision", "data_bytes",
                     "tier", "priority", "min_accuracy"});
        entry.kind = TraceEntry::Kind::Allocate;
        AllocationRequest &a = entry.allocate;
        a.id = id;
        a.model = model.name;
        a.arrivalPs = t;
        a.line = lineNo;
        a.client = r.string(value, "", "client");
        a.ratePerSecond = r.number(value, "", "rate_per_s");
        if (a.ratePerSecond <= 0 || a.ratePerSecond > 1e12)
          r.fail("rate_per_s", "must be in (0, 1e12]");
        a.framePs = r.integer(value, "", "frame_ps");
        if (a.framePs <= 0 || a.framePs > INT64_MAX / 4)
          r.fail("frame_ps", "must be > 0 and below 2^61 ps");
        if (value.contains("start_by_ps")) {
          a.startByPs = r.integer(value, "", "start_by_ps");
          if (a.startByPs < t)
            r.fail("start_by_ps", "is before the arrival (in the past)");
        }
        if (value.contains("precision")) {
          a.precision = r.string(value, "", "precision");
          static const char *known[] = {"f32", "f16", "bf16", "int8", "uint8"};
          if (std::none_of(std::begin(known), std::end(known),
                           [&](const char *k) { return a.precision == k; }))
            r.fail("precision", "unknown precision '" + a.precision +
                                    "' (f32, f16, bf16, int8, uint8)");
        }
        if (value.contains("data_bytes")) {
          a.dataBytes = r.integer(value, "", "data_bytes");
          if (a.dataBytes < 0)
            r.fail("data_bytes", "must be >= 0");
        }
        a.tier = readTier(r, value);
        a.priority = readPriority(r, value);
        a.minAccuracy = readAccuracy(r, value);
      }
      trace.entries.push_back(std::move(entry));
    } catch (const JsonReader::JsonError &e) {
      error = where + ": " + (e.path.empty() ? "" : e.path + ": ") + e.message;
      return std::nullopt;
    }
  }
  if (trace.durationPs == 0)
    trace.durationPs = std::max<Ps>(last, 1);
  return trace;
}

std::optional<Trace> readTraceFile(const std::string &path,
                                   const Repository &repository,
                                   std::string &error) {
  std::string text;
  if (!readTextFile(path, text, error))
    return std::nullopt;
  return parseTrace(text, path, directoryOf(path), repository, error);
}

//===----------------------------------------------------------------------===//
// Generating
//===----------------------------------------------------------------------===//

namespace {

/// Uniform, normal and Gamma variates from splitmix64.
class Random {
public:
  explicit Random(uint64_t seed) : state(seed) {}
  uint64_t next() { return splitmix64(state); }
  /// Uniform in (0, 1).
  double uniform() { return (double(next() >> 11) + 0.5) / 9007199254740992.0; }
  double normal() {
    // Box-Muller; one of the pair is used, for simplicity of the stream.
    double u1 = uniform(), u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }
  /// Gamma(shape, 1) by Marsaglia and Tsang; shape < 1 by boosting.
  double gamma(double shape) {
    if (shape < 1) {
      double u = uniform();
      return gamma(shape + 1) * std::pow(u, 1.0 / shape);
    }
    double d = shape - 1.0 / 3.0, c = 1.0 / std::sqrt(9.0 * d);
    while (true) {
      double x = normal(), v = 1 + c * x;
      if (v <= 0)
        continue;
      v = v * v * v;
      double u = uniform();
      if (std::log(u) < 0.5 * x * x + d - d * v + d * std::log(v))
        return d * v;
    }
  }

private:
  uint64_t state;
};

} // namespace

std::string generateTrace(const Repository &repository, const Registry &pool,
                          const TraceGenOptions &o, std::string &error) {
  // Models that can run somewhere, with their fastest runnable latency.
  struct Model {
    std::string name;
    Ps latencyPs;
    double weight = 0;
    double rate = 0;
  };
  std::vector<Model> models;
  std::vector<bool> usable(pool.chips().size(), false);
  for (const ModelEntry &m : repository.index()) {
    if (m.state != ModelState::Ready)
      continue;
    Ps best = 0;
    for (const Variant &v : m.variants) {
      std::vector<Plan> plans = findPlans(v, pool);
      for (const Plan &p : plans)
        for (int c : p.chips)
          usable[c] = true;
      if (!plans.empty() && (!best || v.latencyPs < best))
        best = v.latencyPs;
    }
    if (best)
      models.push_back({m.name, best});
  }
  if (models.empty()) {
    error = "no model of the repository can run on the installation";
    return "";
  }
  Random rng(o.seed);
  // Zipf ranks over a seeded permutation of the models.
  std::vector<size_t> order(models.size());
  for (size_t i = 0; i < order.size(); ++i)
    order[i] = i;
  for (size_t i = order.size(); i > 1; --i)
    std::swap(order[i - 1], order[rng.next() % i]);
  double total = 0;
  for (size_t rank = 0; rank < order.size(); ++rank) {
    models[order[rank]].weight = 1.0 / std::pow(double(rank + 1), o.zipf);
    total += models[order[rank]].weight;
  }
  double meanLatencyS = 0;
  for (Model &m : models) {
    m.weight /= total;
    meanLatencyS += m.weight * double(m.latencyPs) / double(kPsPerS);
  }
  int chips = int(std::count(usable.begin(), usable.end(), true));
  double rate = o.ratePerSecond > 0
                    ? o.ratePerSecond
                    : o.utilisation * double(chips) / meanLatencyS;
  for (Model &m : models)
    m.rate = m.weight * rate;
  // Arrivals in "active" time (bursts: on windows only); span chosen so
  // that the expected count is the requested one.
  double activeSpanS = double(o.requests) / rate;
  struct Arrival {
    Ps t;
    size_t model;
  };
  std::vector<Arrival> arrivals;
  double shape = 1.0 / (o.cv * o.cv);
  for (size_t k = 0; k < models.size(); ++k) {
    double scale = (o.cv * o.cv) / models[k].rate;
    double t = rng.uniform() * scale * shape; // a random phase
    while (t < activeSpanS) {
      Ps active = Ps(t * double(kPsPerS));
      Ps wall = active;
      if (o.burstOnPs > 0 && o.burstOffPs > 0)
        wall = active / o.burstOnPs * (o.burstOnPs + o.burstOffPs) +
               active % o.burstOnPs;
      arrivals.push_back({wall, k});
      t += rng.gamma(shape) * scale;
    }
  }
  std::stable_sort(arrivals.begin(), arrivals.end(),
                   [](const Arrival &a, const Arrival &b) {
                     return a.t != b.t ? a.t < b.t : a.model < b.model;
                   });
  Ps duration = Ps(activeSpanS * double(kPsPerS));
  if (o.burstOnPs > 0 && o.burstOffPs > 0)
    duration = duration / o.burstOnPs * (o.burstOnPs + o.burstOffPs) +
               duration % o.burstOnPs;

  nlohmann::ordered_json header;
  header["type"] = "header";
  header["duration_ps"] = std::max<Ps>(duration, 1);
  nlohmann::ordered_json rates = nlohmann::ordered_json::object();
  for (const Model &m : models)
    rates[m.name] = m.rate;
  header["expected_rate_per_s"] = rates;
  nlohmann::ordered_json gen;
  gen["seed"] = o.seed;
  gen["requests"] = o.requests;
  gen["cv"] = o.cv;
  gen["slo_scale"] = o.sloScale;
  gen["utilisation"] = o.utilisation;
  gen["rate_per_s"] = rate;
  gen["zipf"] = o.zipf;
  gen["premium_share"] = o.premiumShare;
  gen["priorities"] = o.priorities;
  gen["burst_on_ps"] = o.burstOnPs;
  gen["burst_off_ps"] = o.burstOffPs;
  header["generator"] = gen;
  std::string out = header.dump() + "\n";
  int64_t n = 0;
  for (const Arrival &a : arrivals) {
    const Model &m = models[a.model];
    nlohmann::ordered_json line;
    line["type"] = "infer";
    line["id"] = "r" + std::to_string(n++);
    line["t_ps"] = a.t;
    line["model"] = m.name;
    line["slo_ps"] = std::max<Ps>(1, Ps(o.sloScale * double(m.latencyPs)));
    bool premium = rng.uniform() < o.premiumShare;
    line["priority"] = 1 + int(rng.next() % uint64_t(std::max(1, o.priorities)));
    line["tier"] = premium ? "premium" : "free";
    line["client"] = premium ? "tenant-premium" : "tenant-free";
    line["seed"] = int64_t(rng.next() >> 1);
    out += line.dump() + "\n";
  }
  return out;
}

} // namespace npu::serve
