//===- Messages.cpp - What the daemons say to each other ------------------===//

#include "Messages.h"

#include <nlohmann/json.hpp>

#include <cstring>

namespace npu::serve::net {

using nlohmann::json;

std::string toJson(const HostRegistration &r) {
  json j;
  j["name"] = r.name;
  j["address"] = r.address;
  j["system"] = r.system;
  j["incarnation"] = r.incarnation;
  return j.dump();
}

std::optional<HostRegistration> parseRegistration(const std::string &text,
                                                  std::string &error) {
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || !j.contains("name") || !j["name"].is_string() ||
      !j.contains("address") || !j["address"].is_string() ||
      !j.contains("system") || !j["system"].is_string() ||
      !j.contains("incarnation") || !j["incarnation"].is_number_integer()) {
    error = "a host registration must be a JSON object with strings 'name', "
            "'address', 'system' and an integer 'incarnation'";
    return std::nullopt;
  }
  return HostRegistration{j["name"].get<std::string>(),
                          j["address"].get<std::string>(),
                          j["system"].get<std::string>(),
                          j["incarnation"].get<int64_t>()};
}

std::optional<rt::SystemDesc> systemFromText(const std::string &text,
                                             std::string &error) {
  if (text.find('{') == std::string::npos) {
    if (auto preset = rt::getPreset(text))
      return preset;
    error = "unknown preset '" + text + "'";
    return std::nullopt;
  }
  return parseSystemJson(text, "<registration>", error);
}

std::string checkRegistration(const rt::SystemDesc &announced,
                              const HostSpec &expected) {
  const rt::SystemDesc &want = expected.system;
  if (announced.chips.size() != want.chips.size())
    return "announces " + std::to_string(announced.chips.size()) +
           " chips; the installation lists " +
           std::to_string(want.chips.size());
  for (size_t i = 0; i < want.chips.size(); ++i) {
    const rt::ChipDesc &a = announced.chips[i];
    const rt::ChipDesc &w = want.chips[i];
    std::string chip = "chip " + std::to_string(w.id);
    if (a.id != w.id)
      return "chip " + std::to_string(i) + " has id " + std::to_string(a.id) +
             "; the installation lists " + std::to_string(w.id);
    auto differs = [&](const char *field, int64_t got, int64_t listed) {
      return chip + ": " + field + " " + std::to_string(got) +
             " differs from the installation's " + std::to_string(listed);
    };
    if (a.kind != w.kind)
      return chip + ": kind " + std::string(rt::toString(a.kind)) +
             " differs from the installation's " +
             std::string(rt::toString(w.kind));
    if (a.caps != w.caps)
      return differs("capabilities", a.caps, w.caps);
    if (a.macRows != w.macRows || a.macCols != w.macCols)
      return differs("MAC rows", a.macRows, w.macRows) + " (or columns)";
    if (a.vectorLanes != w.vectorLanes)
      return differs("vector lanes", a.vectorLanes, w.vectorLanes);
    if (a.sramBytes != w.sramBytes)
      return differs("SRAM bytes", a.sramBytes, w.sramBytes);
    if (a.dramBytes < w.dramBytes)
      return differs("DRAM bytes", a.dramBytes, w.dramBytes);
    if (a.dramBytesPerCycle != w.dramBytesPerCycle)
      return differs("DRAM bytes/cycle", a.dramBytesPerCycle,
                     w.dramBytesPerCycle);
    if (a.clockMhz != w.clockMhz)
      return differs("clock MHz", a.clockMhz, w.clockMhz);
    if (a.power.activeMw != w.power.activeMw ||
        a.power.idleMw != w.power.idleMw || a.power.offMw != w.power.offMw ||
        a.power.wakeCycles != w.power.wakeCycles ||
        a.power.wakeEnergyNj != w.power.wakeEnergyNj)
      return chip + ": its power model differs from the installation's";
  }
  if (announced.links.size() != want.links.size())
    return "announces " + std::to_string(announced.links.size()) +
           " links; the installation lists " +
           std::to_string(want.links.size());
  for (size_t i = 0; i < want.links.size(); ++i) {
    const rt::LinkDesc &a = announced.links[i], &w = want.links[i];
    if (a.a != w.a || a.b != w.b || a.bandwidthGBps != w.bandwidthGBps ||
        a.latencyNs != w.latencyNs)
      return "link " + std::to_string(i) + " differs from the installation's";
  }
  if (announced.host.bandwidthGBps != want.host.bandwidthGBps ||
      announced.host.latencyNs != want.host.latencyNs)
    return "its host link differs from the installation's";
  return "";
}

std::string digestHex(const std::vector<uint8_t> &bytes) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (uint8_t b : bytes) {
    h ^= b;
    h *= 0x100000001b3ull;
  }
  char text[17];
  std::snprintf(text, sizeof text, "%016llx",
                static_cast<unsigned long long>(h));
  return text;
}

void toProto(const InferenceRequest &request, v1::Inputs &inputs) {
  inputs.set_seed(request.inputSeed);
  for (const auto &[name, bytes] : request.inputs)
    (*inputs.mutable_tensors())[name] =
        std::string(bytes.begin(), bytes.end());
}

void fromProto(const v1::Inputs &inputs, InferenceRequest &request) {
  request.inputSeed = inputs.seed();
  for (const auto &[name, bytes] : inputs.tensors())
    request.inputs[name] = std::vector<uint8_t>(bytes.begin(), bytes.end());
}

void toProto(const Measurement &m, v1::RunResponse &response) {
  for (int64_t c : m.cycles)
    response.add_cycles(c);
  for (const std::string &p : m.paths)
    response.add_paths(p);
  response.set_energy_fj(m.energyFj);
  response.set_budget_mismatches(m.budgetMismatches);
  response.set_output_digest(m.outputDigest);
  for (const auto &[name, bytes] : m.outputs)
    (*response.mutable_outputs())[name] =
        std::string(bytes.begin(), bytes.end());
}

Measurement fromProto(const v1::RunResponse &response) {
  Measurement m;
  m.ok = true;
  m.cycles.assign(response.cycles().begin(), response.cycles().end());
  m.paths.assign(response.paths().begin(), response.paths().end());
  m.energyFj = response.energy_fj();
  m.budgetMismatches = response.budget_mismatches();
  m.outputDigest = response.output_digest();
  for (const auto &[name, bytes] : response.outputs())
    m.outputs[name] = std::vector<uint8_t>(bytes.begin(), bytes.end());
  return m;
}

std::string kserveDatatype(rt::cost::DType type) {
  switch (type) {
  case rt::cost::DType::F32:
    return "FP32";
  case rt::cost::DType::F16:
    return "FP16";
  case rt::cost::DType::BF16:
    return "BF16";
  case rt::cost::DType::I8:
    return "INT8";
  case rt::cost::DType::UI8:
    return "UINT8";
  case rt::cost::DType::I32:
    return "INT32";
  }
  return "BYTES";
}

namespace {

/// A parameter as an integer, or an error.
std::optional<int64_t> integerParam(const inference::InferParameter &p) {
  if (p.has_int64_param())
    return p.int64_param();
  if (p.has_uint64_param() && p.uint64_param() <= uint64_t(INT64_MAX))
    return static_cast<int64_t>(p.uint64_param());
  return std::nullopt;
}

/// Typed contents as the entry's raw bytes, when the datatype allows.
bool typedBytes(const inference::InferTensorContents &c,
                rt::cost::DType type, std::vector<uint8_t> &out) {
  auto append = [&out](const void *data, size_t bytes) {
    const auto *p = static_cast<const uint8_t *>(data);
    out.insert(out.end(), p, p + bytes);
  };
  switch (type) {
  case rt::cost::DType::F32:
    append(c.fp32_contents().data(), c.fp32_contents_size() * sizeof(float));
    return true;
  case rt::cost::DType::I32:
    append(c.int_contents().data(), c.int_contents_size() * sizeof(int32_t));
    return true;
  case rt::cost::DType::I8:
    for (int32_t v : c.int_contents())
      out.push_back(static_cast<uint8_t>(static_cast<int8_t>(v)));
    return true;
  case rt::cost::DType::UI8:
    for (uint32_t v : c.uint_contents())
      out.push_back(static_cast<uint8_t>(v));
    return true;
  default:
    return false; // FP16/BF16 come as raw bytes only (as in KServe v2)
  }
}

} // namespace

std::string fromKServe(const inference::ModelInferRequest &in,
                       const rt::Model &model, Ps nowPs, Ps defaultSloPs,
                       InferenceRequest &out) {
  out.id = in.id();
  out.model = in.model_name();
  if (out.id.empty())
    return "the request has no id (the id makes a retry idempotent)";
  out.arrivalPs = nowPs;
  Ps sloPs = defaultSloPs;
  std::optional<Ps> deadline;
  for (const auto &entry : in.parameters()) {
    const std::string &key = entry.first;
    const inference::InferParameter &p = entry.second;
    auto integer = [&](int64_t lo, int64_t hi,
                                  int64_t &value) -> std::string {
      std::optional<int64_t> v = integerParam(p);
      if (!v || *v < lo || *v > hi)
        return "parameter '" + key + "' must be an integer in [" +
               std::to_string(lo) + ", " + std::to_string(hi) + "]";
      value = *v;
      return "";
    };
    int64_t v = 0;
    std::string why;
    if (key == "priority") {
      why = integer(0, 1000000, v);
      out.priority = v == 0 ? kDefaultPriority : static_cast<int>(v);
    } else if (key == "timeout") {
      why = integer(1, kMaxTracePs / 1000000, v);
      sloPs = v * 1000000; // µs
    } else if (key == "arrival_ps") {
      why = integer(0, kMaxTracePs, v);
      out.arrivalPs = v;
    } else if (key == "deadline_ps") {
      why = integer(1, kMaxTracePs, v);
      deadline = v;
    } else if (key == "seed") {
      if (p.has_uint64_param())
        out.inputSeed = p.uint64_param();
      else if (p.has_int64_param() && p.int64_param() >= 0)
        out.inputSeed = static_cast<uint64_t>(p.int64_param());
      else
        why = "parameter 'seed' must be a non-negative integer";
    } else if (key == "tier") {
      std::optional<Tier> tier =
          p.has_string_param() ? parseTier(p.string_param()) : std::nullopt;
      if (!tier)
        why = "parameter 'tier' must be \"free\" or \"premium\"";
      else
        out.tier = *tier;
    } else if (key == "client" || key == "billing" || key == "allocation") {
      if (!p.has_string_param())
        why = "parameter '" + key + "' must be a string";
      else
        (key == "client"    ? out.client
         : key == "billing" ? out.billing
                            : out.allocation) = p.string_param();
    } else if (key == "min_accuracy") {
      if (!p.has_double_param() || !(p.double_param() >= 0) ||
          p.double_param() > 1)
        why = "parameter 'min_accuracy' must be a number in [0, 1]";
      else
        out.minAccuracy = p.double_param();
    } else if (key == "sequence" || key == "headers") {
      // Read by the controller (ordering) and by gRPC (metadata).
    } else {
      why = "unknown parameter '" + key +
            "' (known: priority, timeout, arrival_ps, deadline_ps, seed, "
            "tier, client, billing, allocation, min_accuracy, sequence)";
    }
    if (!why.empty())
      return why;
  }
  out.deadlinePs = deadline ? *deadline : out.arrivalPs + sloPs;
  if (out.deadlinePs <= out.arrivalPs)
    return "the deadline " + std::to_string(out.deadlinePs) +
           " ps is not after the arrival " + std::to_string(out.arrivalPs) +
           " ps";

  // Inputs: all of the entry's, or none (then generated from the seed).
  if (in.inputs_size() == 0)
    return "";
  bool raw = in.raw_input_contents_size() > 0;
  if (raw && in.raw_input_contents_size() != in.inputs_size())
    return "raw_input_contents has " +
           std::to_string(in.raw_input_contents_size()) + " entries for " +
           std::to_string(in.inputs_size()) + " inputs";
  for (int i = 0; i < in.inputs_size(); ++i) {
    const auto &t = in.inputs(i);
    const rt::TensorSignature *sig = nullptr;
    for (const rt::TensorSignature &s : model.inputs)
      if (s.name == t.name())
        sig = &s;
    if (!sig)
      return "input '" + t.name() + "' is not an input of model '" +
             out.model + "'";
    if (out.inputs.count(t.name()))
      return "input '" + t.name() + "' is given twice";
    std::string want = kserveDatatype(sig->dtype);
    if (t.datatype() != want)
      return "input '" + t.name() + "' has datatype " + t.datatype() +
             "; the model takes " + want;
    if (std::vector<int64_t>(t.shape().begin(), t.shape().end()) !=
        sig->shape) {
      std::string shape;
      for (int64_t d : sig->shape)
        shape += (shape.empty() ? "" : "x") + std::to_string(d);
      return "input '" + t.name() + "' has the wrong shape; the model takes " +
             shape;
    }
    std::vector<uint8_t> bytes;
    if (raw) {
      const std::string &r = in.raw_input_contents(i);
      bytes.assign(r.begin(), r.end());
    } else if (!typedBytes(t.contents(), sig->dtype, bytes)) {
      return "input '" + t.name() + "': datatype " + want +
             " must come in raw_input_contents";
    }
    if (static_cast<int64_t>(bytes.size()) != sig->bytes)
      return "input '" + t.name() + "' has " + std::to_string(bytes.size()) +
             " bytes; the model takes " + std::to_string(sig->bytes);
    out.inputs[t.name()] = std::move(bytes);
  }
  if (out.inputs.size() != model.inputs.size())
    return "give every input of model '" + out.model + "' or none (" +
           std::to_string(model.inputs.size()) + " inputs)";
  return "";
}

} // namespace npu::serve::net
