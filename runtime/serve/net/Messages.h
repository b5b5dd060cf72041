//===- Messages.h - What the daemons say to each other ----------*- C++ -*-===//
//
// The conversions between the serving layer's types and the wire: a host's
// announcement in etcd (JSON), a request's inputs and a measurement as
// protobuf messages (proto/npu_serve.proto), and a KServe v2 request's
// parameters as an InferenceRequest.
//
//===----------------------------------------------------------------------===//

#ifndef NPU_SERVE_NET_MESSAGES_H
#define NPU_SERVE_NET_MESSAGES_H

#include "Execution.h"
#include "Installation.h"
#include "Types.h"

#include "inference.pb.h"
#include "npu_serve.pb.h"

#include <optional>
#include <string>

namespace npu::serve::net {

/// etcd's key layout (docs/serving.md, "Beyond one machine").
inline const std::string kHostsPrefix = "/npu/hosts/";
inline const std::string kChipsPrefix = "/npu/chips/";
inline const std::string kAllocationsPrefix = "/npu/allocations/";
inline const std::string kModelsPrefix = "/npu/models/";
inline const std::string kElection = "/npu/controller";

/// A host's registration: where its host API listens, and its system as
/// it describes itself (a preset name, or the JSON of
/// docs/system-description.md).
struct HostRegistration {
  std::string name;
  std::string address;
  std::string system;
  /// Wall-clock start of the host process (ns): a restarted host is a new
  /// incarnation.
  int64_t incarnation = 0;
};
std::string toJson(const HostRegistration &registration);
std::optional<HostRegistration> parseRegistration(const std::string &text,
                                                  std::string &error);

/// A preset name or a system JSON document, validated.
std::optional<rt::SystemDesc> systemFromText(const std::string &text,
                                             std::string &error);
/// Why `announced` is not the system the installation lists for the host
/// ("" when it is): the same chips (ids, kind, capabilities, MAC array,
/// vector lanes, SRAM, clock, power) and at least the DRAM the
/// installation gives to serving.
std::string checkRegistration(const rt::SystemDesc &announced,
                              const HostSpec &expected);

/// FNV-1a of a binary's bytes as 16 hex digits: its name on a host.
std::string digestHex(const std::vector<uint8_t> &bytes);

void toProto(const InferenceRequest &request, v1::Inputs &inputs);
void fromProto(const v1::Inputs &inputs, InferenceRequest &request);
void toProto(const Measurement &m, v1::RunResponse &response);
Measurement fromProto(const v1::RunResponse &response);

/// A KServe v2 datatype name for an entry's element type ("FP32", ...).
std::string kserveDatatype(rt::cost::DType type);

/// The inference request a KServe ModelInferRequest asks for: inputs as
/// raw_input_contents or typed contents, checked against the model's entry
/// signature (names, datatypes, shapes, sizes); parameters `priority`
/// (1 = highest, 0 = default), `timeout` (µs, the SLO), and ours:
/// `arrival_ps` (a simulated arrival; else `nowPs`), `deadline_ps`, `tier`,
/// `client`, `billing`, `allocation`, `min_accuracy`, `seed` (inputs
/// generated from it when none are given). Returns the error or "".
std::string fromKServe(const inference::ModelInferRequest &in,
                       const rt::Model &model, Ps nowPs,
                       Ps defaultSloPs, InferenceRequest &out);

} // namespace npu::serve::net

#endif // NPU_SERVE_NET_MESSAGES_H
