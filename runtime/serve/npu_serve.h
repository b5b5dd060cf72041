/*===- npu_serve.h - C API of the serving layer -------------------*- C -*-===//
 *
 * Embeds the serving layer (docs/serving.md) in any language with a C FFI:
 * open an installation and a model repository, send inference requests in
 * arrival order (simulated time, picoseconds), and read each answer: the
 * outcome, the reason of a refusal, the predicted and simulated start and
 * completion (equal for an admitted request) and the real outputs.
 *
 * Conventions, as npu_rt.h:
 *  - every name starts with npu_serve_ (NPU_SERVE_ for constants);
 *  - objects are opaque handles released by the matching *_free (which
 *    accepts NULL);
 *  - every function that can fail returns an npu_serve_status and writes
 *    its results through out_ parameters, which it leaves untouched on
 *    failure; npu_serve_last_error() then holds the message, for the
 *    calling thread;
 *  - strings and buffers returned through out_ parameters are owned by the
 *    handle they came from and live as long as it.
 *
 * A server is not synchronised: use it from one thread at a time.
 *
 *===----------------------------------------------------------------------===*/

#ifndef NPU_SERVE_NPU_SERVE_H
#define NPU_SERVE_NPU_SERVE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum npu_serve_status {
  NPU_SERVE_OK = 0,
  /// A null pointer, an index out of range, an unknown name.
  NPU_SERVE_INVALID_ARGUMENT = 1,
  /// The installation, repository or a binary is bad (the message says
  /// which file and why).
  NPU_SERVE_INVALID_INPUT = 2,
  /// A bug: an unexpected internal failure.
  NPU_SERVE_INTERNAL = 3
} npu_serve_status;

/// The orchestrator's answer to a request.
typedef enum npu_serve_outcome {
  NPU_SERVE_ADMITTED = 0,
  NPU_SERVE_REFUSED = 1,
  NPU_SERVE_QUEUED = 2,
  NPU_SERVE_LATE = 3,
  NPU_SERVE_DROPPED = 4
} npu_serve_outcome;

/// The calling thread's last failure message ("" if none).
const char *npu_serve_last_error(void);

typedef struct npu_serve_server npu_serve_server;
typedef struct npu_serve_response npu_serve_response;

/// Opens `installation` (JSON) and `repository` (a directory) with a policy
/// ("exact", "clockwork" or "fifo"; NULL for "exact").
npu_serve_status npu_serve_open(const char *installation,
                                const char *repository, const char *policy,
                                npu_serve_server **out_server);
void npu_serve_free(npu_serve_server *server);

/// One input tensor: its name and raw little-endian bytes.
typedef struct npu_serve_tensor {
  const char *name;
  const void *data;
  size_t size;
} npu_serve_tensor;

/// An inference request. `inputs` may be NULL (num_inputs 0): the inputs
/// are then generated from `input_seed` (docs/serving.md, "Inputs").
typedef struct npu_serve_request {
  const char *id;
  const char *model;
  int64_t arrival_ps;
  int64_t deadline_ps;
  /// 1 is the highest; 0 the default.
  int priority;
  /// 0 free, 1 premium.
  int premium;
  const npu_serve_tensor *inputs;
  size_t num_inputs;
  uint64_t input_seed;
} npu_serve_request;

/// Decides the request and, when admitted, runs it on the simulator.
npu_serve_status npu_serve_infer(npu_serve_server *server,
                                 const npu_serve_request *request,
                                 npu_serve_response **out_response);
void npu_serve_response_free(npu_serve_response *response);

npu_serve_outcome npu_serve_response_outcome(const npu_serve_response *r);
/// The reason of a refusal ("" when admitted).
const char *npu_serve_response_reason(const npu_serve_response *r);
/// The variant that ran ("" when refused).
const char *npu_serve_response_variant(const npu_serve_response *r);
int64_t npu_serve_response_predicted_completion_ps(const npu_serve_response *r);
int64_t npu_serve_response_simulated_completion_ps(const npu_serve_response *r);
int64_t npu_serve_response_energy_fj(const npu_serve_response *r);
size_t npu_serve_response_num_outputs(const npu_serve_response *r);
/// Output `index` (in name order): its name and bytes.
npu_serve_status npu_serve_response_output(const npu_serve_response *r,
                                           size_t index, const char **out_name,
                                           const void **out_data,
                                           size_t *out_size);

/// Loads (or reloads) `model` at `now_ps`; `out_copies` (may be NULL) gets
/// the number of chips it was placed on, `out_ready_ps` when it is in DRAM.
npu_serve_status npu_serve_load(npu_serve_server *server, const char *model,
                                int64_t now_ps, int *out_copies,
                                int64_t *out_ready_ps);
npu_serve_status npu_serve_unload(npu_serve_server *server, const char *model);

#ifdef __cplusplus
}
#endif

#endif /* NPU_SERVE_NPU_SERVE_H */
