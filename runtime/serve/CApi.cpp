//===- CApi.cpp - C API of the serving layer ------------------------------===//

#include "npu_serve.h"

#include "Server.h"

#include <new>

struct npu_serve_server {
  std::unique_ptr<npu::serve::Server> server;
};

struct npu_serve_response {
  npu::serve::InferResponse response;
  std::vector<std::string> names;
};

namespace {

thread_local std::string lastError;

npu_serve_status fail(npu_serve_status status, std::string message) {
  lastError = std::move(message);
  return status;
}

/// Runs `body`, turning an exception escaping the C++ side into a status.
template <typename F> npu_serve_status guarded(F &&body) {
  try {
    return body();
  } catch (const std::bad_alloc &) {
    return fail(NPU_SERVE_INTERNAL, "out of memory");
  } catch (const std::exception &e) {
    return fail(NPU_SERVE_INTERNAL, e.what());
  }
}

} // namespace

extern "C" {

const char *npu_serve_last_error(void) { return lastError.c_str(); }

npu_serve_status npu_serve_open(const char *installation,
                                const char *repository, const char *policy,
                                npu_serve_server **out_server) {
  return guarded([&] {
    if (!installation || !repository || !out_server)
      return fail(NPU_SERVE_INVALID_ARGUMENT,
                  "npu_serve_open: installation, repository and out_server "
                  "must not be null");
    auto config = npu::serve::PolicyConfig::byName(policy ? policy : "exact");
    if (!config)
      return fail(NPU_SERVE_INVALID_ARGUMENT,
                  std::string("unknown policy '") + policy +
                      "' (exact, clockwork, fifo)");
    std::string error;
    auto server =
        npu::serve::Server::open(installation, repository, *config, error);
    if (!server)
      return fail(NPU_SERVE_INVALID_INPUT, error);
    *out_server = new npu_serve_server{std::move(server)};
    return NPU_SERVE_OK;
  });
}

void npu_serve_free(npu_serve_server *server) { delete server; }

npu_serve_status npu_serve_infer(npu_serve_server *server,
                                 const npu_serve_request *request,
                                 npu_serve_response **out_response) {
  return guarded([&] {
    if (!server || !request || !out_response || !request->id ||
        !request->model || (request->num_inputs && !request->inputs))
      return fail(NPU_SERVE_INVALID_ARGUMENT,
                  "npu_serve_infer: null server, request, id, model, inputs "
                  "or out_response");
    npu::serve::InferenceRequest r;
    r.id = request->id;
    r.model = request->model;
    r.arrivalPs = request->arrival_ps;
    r.deadlinePs = request->deadline_ps;
    r.priority = request->priority == 0 ? npu::serve::kDefaultPriority
                                        : request->priority;
    r.tier = request->premium ? npu::serve::Tier::Premium
                              : npu::serve::Tier::Free;
    r.inputSeed = request->input_seed;
    for (size_t i = 0; i < request->num_inputs; ++i) {
      const npu_serve_tensor &t = request->inputs[i];
      if (!t.name || (t.size && !t.data))
        return fail(NPU_SERVE_INVALID_ARGUMENT,
                    "npu_serve_infer: input " + std::to_string(i) +
                        " has a null name or data");
      const auto *bytes = static_cast<const uint8_t *>(t.data);
      r.inputs[t.name] = std::vector<uint8_t>(bytes, bytes + t.size);
    }
    // Inputs given by value must match the model's signature.
    const npu::serve::ModelEntry *model =
        server->server->repository().find(r.model);
    if (model && !model->variants.empty() && !r.inputs.empty()) {
      const npu::rt::Model &m = *model->variants.front().binary;
      for (const npu::rt::TensorSignature &sig : m.inputs) {
        auto it = r.inputs.find(sig.name);
        if (it == r.inputs.end() || int64_t(it->second.size()) != sig.bytes)
          return fail(NPU_SERVE_INVALID_ARGUMENT,
                      "input '" + sig.name + "' of model '" + r.model +
                          "' needs " + std::to_string(sig.bytes) + " bytes");
      }
      if (r.inputs.size() != m.inputs.size())
        return fail(NPU_SERVE_INVALID_ARGUMENT,
                    "model '" + r.model + "' takes " +
                        std::to_string(m.inputs.size()) + " inputs");
    }
    auto *response = new npu_serve_response{server->server->infer(r), {}};
    for (const auto &[name, bytes] : response->response.outputs) {
      (void)bytes;
      response->names.push_back(name);
    }
    *out_response = response;
    return NPU_SERVE_OK;
  });
}

void npu_serve_response_free(npu_serve_response *response) { delete response; }

npu_serve_outcome npu_serve_response_outcome(const npu_serve_response *r) {
  return r ? npu_serve_outcome(r->response.outcome) : NPU_SERVE_REFUSED;
}

const char *npu_serve_response_reason(const npu_serve_response *r) {
  return r ? r->response.reason.c_str() : "";
}

const char *npu_serve_response_variant(const npu_serve_response *r) {
  return r ? r->response.variant.c_str() : "";
}

int64_t npu_serve_response_predicted_completion_ps(const npu_serve_response *r) {
  return r ? r->response.predictedCompletionPs : 0;
}

int64_t npu_serve_response_simulated_completion_ps(const npu_serve_response *r) {
  return r ? r->response.simulatedCompletionPs : 0;
}

int64_t npu_serve_response_energy_fj(const npu_serve_response *r) {
  return r ? r->response.energyFj : 0;
}

size_t npu_serve_response_num_outputs(const npu_serve_response *r) {
  return r ? r->names.size() : 0;
}

npu_serve_status npu_serve_response_output(const npu_serve_response *r,
                                           size_t index, const char **out_name,
                                           const void **out_data,
                                           size_t *out_size) {
  if (!r || !out_name || !out_data || !out_size || index >= r->names.size())
    return fail(NPU_SERVE_INVALID_ARGUMENT,
                "npu_serve_response_output: null argument or index out of "
                "range");
  const std::string &name = r->names[index];
  const std::vector<uint8_t> &bytes = r->response.outputs.at(name);
  *out_name = name.c_str();
  *out_data = bytes.data();
  *out_size = bytes.size();
  return NPU_SERVE_OK;
}

npu_serve_status npu_serve_load(npu_serve_server *server, const char *model,
                                int64_t now_ps, int *out_copies,
                                int64_t *out_ready_ps) {
  return guarded([&] {
    if (!server || !model)
      return fail(NPU_SERVE_INVALID_ARGUMENT, "npu_serve_load: null argument");
    npu::serve::LoadResponse r = server->server->load(model, now_ps);
    if (!r.error.empty())
      return fail(NPU_SERVE_INVALID_INPUT, r.error);
    if (out_copies)
      *out_copies = r.copies;
    if (out_ready_ps)
      *out_ready_ps = r.readyPs;
    return NPU_SERVE_OK;
  });
}

npu_serve_status npu_serve_unload(npu_serve_server *server, const char *model) {
  return guarded([&] {
    if (!server || !model)
      return fail(NPU_SERVE_INVALID_ARGUMENT,
                  "npu_serve_unload: null argument");
    npu::serve::LoadResponse r = server->server->unload(model);
    if (!r.error.empty())
      return fail(NPU_SERVE_INVALID_ARGUMENT, r.error);
    return NPU_SERVE_OK;
  });
}

} // extern "C"
