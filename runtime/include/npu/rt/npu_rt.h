/*===- npu_rt.h - C API of the NPU runtime ------------------------*- C -*-===//
 *
 * Embeds libnpurt in any language with a C FFI: load a compiled model
 * (.npub), bind its inputs, run it on the simulated multi-NPU system it was
 * compiled for, and read back its outputs, the per-chip measurements and
 * the budgets the compiler proved for them.
 *
 * Conventions:
 *  - every name starts with npu_rt_ (NPU_RT_ for constants);
 *  - objects are opaque handles, created by a *_load / *_create function
 *    and released by the matching *_free (which accepts NULL);
 *  - every function that can fail returns an npu_rt_status and writes its
 *    results through out_ parameters, which it leaves untouched on failure;
 *  - on failure, npu_rt_last_error() holds a message naming what was wrong
 *    and where, for the calling thread; a run also keeps the message of its
 *    last failure (npu_rt_run_error());
 *  - strings and arrays returned through out_ parameters are owned by the
 *    handle they came from and stay valid as documented, never longer than
 *    the handle.
 *
 * Handles are not synchronised: use one from one thread at a time. Distinct
 * handles may be used concurrently. A model may be freed while runs created
 * from it are alive; they keep what they need.
 *
 * The runtime is deterministic: the same model and inputs give the same
 * outputs, measurements, reports and trace, byte for byte.
 *
 *===----------------------------------------------------------------------===*/

#ifndef NPU_RT_NPU_RT_H
#define NPU_RT_NPU_RT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/*===----------------------------------------------------------------------===
 * Status, errors, versions
 *===----------------------------------------------------------------------===*/

/// The outcome of a call.
typedef enum npu_rt_status {
  NPU_RT_OK = 0,
  /// A null pointer, an index out of range, an unknown enum value.
  NPU_RT_INVALID_ARGUMENT = 1,
  /// A file could not be opened or read.
  NPU_RT_IO_ERROR = 2,
  /// The bytes are not a valid .npub binary (the loader's message says why).
  NPU_RT_INVALID_MODEL = 3,
  /// No input, output, program or budget of that name.
  NPU_RT_NOT_FOUND = 4,
  /// Input data whose type, shape or byte size differs from the signature.
  NPU_RT_SIGNATURE_MISMATCH = 5,
  /// The call needs something first: execute needs every input set, results
  /// need a successful execute.
  NPU_RT_FAILED_PRECONDITION = 6,
  /// The simulation failed (deadlock, arithmetic overflow, ...).
  NPU_RT_EXECUTION_FAILED = 7,
  /// A measurement differs from its budget (npu_rt_run_check_budgets).
  NPU_RT_BUDGET_MISMATCH = 8,
  /// Memory ran out.
  NPU_RT_OUT_OF_MEMORY = 9,
  /// A bug in the runtime: an unexpected internal failure.
  NPU_RT_INTERNAL = 10
} npu_rt_status;

/// The name of a status ("NPU_RT_OK", ...); "unknown status" otherwise.
/// The string is static.
const char *npu_rt_status_string(npu_rt_status status);

/// The message of the calling thread's last failed call ("" if none). Valid
/// until the thread's next failing call. Messages are one line and name the
/// file, field, input or chip at fault.
const char *npu_rt_last_error(void);

/// The .npub format version this runtime reads.
uint32_t npu_rt_format_version(void);

/*===----------------------------------------------------------------------===
 * Element types and engines
 *===----------------------------------------------------------------------===*/

/// Element types of tensors. Values are those of the binary format.
typedef enum npu_rt_dtype {
  NPU_RT_F32 = 0,
  NPU_RT_F16 = 1,
  NPU_RT_BF16 = 2,
  NPU_RT_I8 = 3,
  NPU_RT_UI8 = 4,
  NPU_RT_I32 = 5
} npu_rt_dtype;

/// Bytes per element of `dtype`; 0 for a value outside the enum.
size_t npu_rt_dtype_size(npu_rt_dtype dtype);

/// The IR spelling of `dtype` ("f32", "bf16", "ui8", ...); "?" for a value
/// outside the enum. The string is static.
const char *npu_rt_dtype_name(npu_rt_dtype dtype);

/// Number of engines per chip; the length of every engine_busy array.
#define NPU_RT_NUM_ENGINES 7

/// The name of engine `engine` (0 = "dma_in", 1 = "dma_out", 2 = "mac",
/// 3 = "vector", 4 = "link_tx", 5 = "link_rx", 6 = "control"); "?" when out
/// of range. The string is static.
const char *npu_rt_engine_name(int engine);

/*===----------------------------------------------------------------------===
 * Models
 *===----------------------------------------------------------------------===*/

/// A verified, loaded .npub model. Immutable once loaded.
typedef struct npu_rt_model npu_rt_model;

/// Verifies and loads the `size` bytes at `data` (no alignment needed; the
/// bytes are copied, the caller may free them afterwards). Every check the
/// simulator relies on runs here, so a model that loads can be run.
/// Returns NPU_RT_INVALID_MODEL with the loader's message when the bytes are
/// not a valid binary.
npu_rt_status npu_rt_model_load(const uint8_t *data, size_t size,
                                npu_rt_model **out_model);

/// Reads the file at `path` and loads it as npu_rt_model_load() does.
/// Returns NPU_RT_IO_ERROR when the file cannot be read.
npu_rt_status npu_rt_model_load_file(const char *path,
                                     npu_rt_model **out_model);

/// Releases a model. Runs created from it stay valid. NULL is a no-op.
void npu_rt_model_free(npu_rt_model *model);

/// The model's name (its identity for preloading; may be empty) and the name
/// of the system it was compiled for. Valid while the model lives.
npu_rt_status npu_rt_model_name(const npu_rt_model *model,
                                const char **out_name);
npu_rt_status npu_rt_model_system_name(const npu_rt_model *model,
                                       const char **out_name);

/// Number of entry tensors.
npu_rt_status npu_rt_model_input_count(const npu_rt_model *model,
                                       size_t *out_count);
/// Number of exit tensors.
npu_rt_status npu_rt_model_output_count(const npu_rt_model *model,
                                        size_t *out_count);

/// The name of input `index`. Valid while the model lives.
npu_rt_status npu_rt_model_input_name(const npu_rt_model *model, size_t index,
                                      const char **out_name);
/// The element type of input `index`.
npu_rt_status npu_rt_model_input_dtype(const npu_rt_model *model, size_t index,
                                       npu_rt_dtype *out_dtype);
/// The shape of input `index`: `*out_rank` dimensions at `*out_dims` (valid
/// while the model lives; may be NULL when the rank is 0).
npu_rt_status npu_rt_model_input_shape(const npu_rt_model *model, size_t index,
                                       const int64_t **out_dims,
                                       size_t *out_rank);
/// The byte size of input `index` (elements x element size): what
/// npu_rt_run_set_input() expects.
npu_rt_status npu_rt_model_input_size(const npu_rt_model *model, size_t index,
                                      size_t *out_size);
/// The index of the input named `name`; NPU_RT_NOT_FOUND if there is none.
npu_rt_status npu_rt_model_find_input(const npu_rt_model *model,
                                      const char *name, size_t *out_index);

/// The same queries for the outputs.
npu_rt_status npu_rt_model_output_name(const npu_rt_model *model, size_t index,
                                       const char **out_name);
npu_rt_status npu_rt_model_output_dtype(const npu_rt_model *model, size_t index,
                                        npu_rt_dtype *out_dtype);
npu_rt_status npu_rt_model_output_shape(const npu_rt_model *model, size_t index,
                                        const int64_t **out_dims,
                                        size_t *out_rank);
npu_rt_status npu_rt_model_output_size(const npu_rt_model *model, size_t index,
                                       size_t *out_size);
npu_rt_status npu_rt_model_find_output(const npu_rt_model *model,
                                       const char *name, size_t *out_index);

/// The quantities a budget bounds and a run measures, for one chip and one
/// execution path (docs/execution-model.md, "What is measured").
typedef struct npu_rt_counters {
  int64_t cycles;
  int64_t engine_busy[NPU_RT_NUM_ENGINES];
  int64_t host_bytes;
  int64_t dram_bytes;
  int64_t link_bytes;
  int64_t peak_sram_bytes;
  /// One past the highest DRAM byte: segments and executed DRAM accesses.
  int64_t peak_dram_bytes;
  int64_t energy_fj;
} npu_rt_counters;

/// One chip's program in a model.
typedef struct npu_rt_program_info {
  const char *name;    ///< Valid while the model lives.
  int64_t chip;        ///< The chip it runs on.
  size_t exit_checks;  ///< Paths "exit 1" .. "exit N" besides "full".
  size_t budget_count; ///< Budgets stored in the binary.
  int starts_asleep;   ///< Non-zero: runs only when another chip wakes it.
} npu_rt_program_info;

/// Number of programs (one per chip that has work).
npu_rt_status npu_rt_model_program_count(const npu_rt_model *model,
                                         size_t *out_count);
/// Program `index`, in the binary's order.
npu_rt_status npu_rt_model_program(const npu_rt_model *model, size_t index,
                                   npu_rt_program_info *out_info);
/// Budget `budget_index` of program `program_index`: its path ("full" or
/// "exit N", valid while the model lives) and counters.
npu_rt_status npu_rt_model_budget(const npu_rt_model *model,
                                  size_t program_index, size_t budget_index,
                                  const char **out_path,
                                  npu_rt_counters *out_budget);
/// The budget of program `program_index` for `path`; NPU_RT_NOT_FOUND when
/// the binary has none.
npu_rt_status npu_rt_model_find_budget(const npu_rt_model *model,
                                       size_t program_index, const char *path,
                                       npu_rt_counters *out_budget);

/*===----------------------------------------------------------------------===
 * Runs
 *===----------------------------------------------------------------------===*/

/// One inference's inputs, and after npu_rt_run_execute() its outputs,
/// measurements and trace. Reusable: set inputs and execute again.
typedef struct npu_rt_run npu_rt_run;

/// Flags of npu_rt_run_create().
enum {
  /// Record a trace event per executed instruction (npu_rt_run_trace_*, and
  /// NPU_RT_REPORT_TRACE).
  NPU_RT_RUN_TRACE = 1u << 0
};

/// Creates a run of `model` with no inputs set. `flags` is a combination of
/// NPU_RT_RUN_* values (0 for none); unknown bits are NPU_RT_INVALID_ARGUMENT.
npu_rt_status npu_rt_run_create(const npu_rt_model *model, uint32_t flags,
                                npu_rt_run **out_run);

/// Releases a run and everything it returned. NULL is a no-op.
void npu_rt_run_free(npu_rt_run *run);

/// The message of the run's last failed call ("" if none). Valid until the
/// run's next failing call or its release.
const char *npu_rt_run_error(const npu_rt_run *run);

/// Copies the raw bytes of input `name`: little-endian, row-major, exactly
/// npu_rt_model_input_size() bytes (NPU_RT_SIGNATURE_MISMATCH otherwise).
/// Replaces an earlier value of the same input.
npu_rt_status npu_rt_run_set_input(npu_rt_run *run, const char *name,
                                   const void *data, size_t size);

/// npu_rt_run_set_input() that also checks the caller's idea of the tensor:
/// `dtype` and the `rank` dimensions at `dims` must equal the signature.
npu_rt_status npu_rt_run_set_input_tensor(npu_rt_run *run, const char *name,
                                          npu_rt_dtype dtype,
                                          const int64_t *dims, size_t rank,
                                          const void *data, size_t size);

/// Runs one inference on the inputs set so far (all of them must be set;
/// otherwise NPU_RT_FAILED_PRECONDITION naming the first missing one). On
/// success the results below are available until the next execute or the
/// run's release; on failure (NPU_RT_EXECUTION_FAILED) there are none.
npu_rt_status npu_rt_run_execute(npu_rt_run *run);

/// The bytes of output `name` (npu_rt_model_output_size() of them, layout as
/// for inputs), valid until the next execute or the run's release.
npu_rt_status npu_rt_run_output(const npu_rt_run *run, const char *name,
                                const void **out_data, size_t *out_size);

/// Copies output `name` into `buffer`, whose `size` must be its byte size.
npu_rt_status npu_rt_run_copy_output(const npu_rt_run *run, const char *name,
                                     void *buffer, size_t size);

/// What one chip did during the last execute, beside its budget.
typedef struct npu_rt_chip_measurement {
  int64_t chip;
  const char *program; ///< Valid until the next execute or release.
  /// "full", "exit N", or "none" when the chip did not run. Valid as above.
  const char *path;
  int ran;            ///< Zero for a chip that slept through the run.
  int started_asleep; ///< Non-zero when the program started asleep.
  int64_t picoseconds_per_cycle;
  int64_t start_cycle;   ///< In cycles of this chip since system time 0.
  int64_t active_cycles; ///< Cycles in which some engine was busy.
  npu_rt_counters measured;
  /// Non-zero when the binary has a budget for `path`; `budget` is then that
  /// budget (all zero otherwise).
  int has_budget;
  npu_rt_counters budget;
  size_t exit_checks; ///< Exit checks evaluated (npu_rt_run_exit_check).
} npu_rt_chip_measurement;

/// The outcome of one evaluated exit check.
typedef struct npu_rt_exit_check {
  uint32_t instruction; ///< Index of the check in the program's stream.
  uint32_t exit;        ///< N of the path "exit N" it would take.
  double confidence;    ///< In [0, 1].
  int confident;        ///< Non-zero: confidence >= threshold; it exited.
} npu_rt_exit_check;

/// Number of chip measurements of the last execute (one per program).
npu_rt_status npu_rt_run_chip_count(const npu_rt_run *run, size_t *out_count);
/// Measurement `index`, in the model's program order.
npu_rt_status npu_rt_run_chip(const npu_rt_run *run, size_t index,
                              npu_rt_chip_measurement *out_chip);
/// Exit check `check_index` of chip measurement `chip_index`, in evaluation
/// order.
npu_rt_status npu_rt_run_exit_check(const npu_rt_run *run, size_t chip_index,
                                    size_t check_index,
                                    npu_rt_exit_check *out_check);

/// Returns NPU_RT_OK when every chip that ran measured exactly its budget
/// for the path it took; otherwise NPU_RT_BUDGET_MISMATCH, with a message
/// naming the first differing chip, path and counter (or the missing budget).
npu_rt_status npu_rt_run_check_budgets(npu_rt_run *run);

/// One executed instruction.
typedef struct npu_rt_trace_event {
  int64_t chip;
  int engine;       ///< See npu_rt_engine_name().
  int64_t start;    ///< In cycles of `chip` since system time 0.
  int64_t cycles;   ///< Duration in cycles of `chip`.
  uint32_t index;   ///< Index of the instruction in its program's stream.
  const char *name; ///< npuisa mnemonic; static string.
} npu_rt_trace_event;

/// Number of trace events of the last execute (0 without NPU_RT_RUN_TRACE).
npu_rt_status npu_rt_run_trace_count(const npu_rt_run *run, size_t *out_count);
/// Trace event `index`: grouped by chip in program order, each chip's
/// events in stream order.
npu_rt_status npu_rt_run_trace_event(const npu_rt_run *run, size_t index,
                                     npu_rt_trace_event *out_event);

/// Renderings of the last execute.
typedef enum npu_rt_report_format {
  /// Budget vs measured per chip and counter, as an aligned text table.
  NPU_RT_REPORT_TABLE = 0,
  /// The same as JSON; every counter is {"budget": B, "measured": M}.
  NPU_RT_REPORT_JSON = 1,
  /// Chrome/Perfetto trace JSON (needs NPU_RT_RUN_TRACE for events).
  NPU_RT_REPORT_TRACE = 2
} npu_rt_report_format;

/// The report of the last execute in `format`: `*out_size` bytes at
/// `*out_text`, NUL-terminated, valid until the next execute or release.
npu_rt_status npu_rt_run_report(npu_rt_run *run, npu_rt_report_format format,
                                const char **out_text, size_t *out_size);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* NPU_RT_NPU_RT_H */
