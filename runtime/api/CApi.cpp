//===- CApi.cpp - C API of the NPU runtime --------------------------------===//
//
// npu_rt.h over the C++ API (Model.h, Simulator.h) and the report renderers.
// No exception crosses the C boundary: every entry point catches and turns
// what it caught into a status and a message.
//
//===----------------------------------------------------------------------===//

#include "npu/rt/npu_rt.h"

#include "Report.h"
#include "TensorIO.h"

#include "npu/rt/Model.h"
#include "npu/rt/Simulator.h"

#include <array>
#include <cstring>
#include <memory>
#include <new>
#include <optional>
#include <string>

using namespace npu::rt;

struct npu_rt_model {
  /// Shared with the runs created from it, so the model may be freed first.
  std::shared_ptr<const Model> model;
};

struct npu_rt_run {
  std::shared_ptr<const Model> model;
  uint32_t flags = 0;
  TensorMap inputs;
  /// The last successful execute.
  std::optional<RunResult> result;
  /// Per chip measurement: its budget for the path taken, or null.
  std::vector<const Budget *> budgets;
  std::array<std::string, 3> reports;
  std::array<bool, 3> haveReport = {};
  std::string error;
};

namespace {

thread_local std::string lastError;

/// Records a failure for the thread (and the run, if any).
npu_rt_status failure(npu_rt_status status, std::string message,
                      npu_rt_run *run = nullptr) {
  try {
    if (run)
      run->error = message;
    lastError = std::move(message);
  } catch (...) {
    // Out of memory while recording the message: the status still says it.
  }
  return status;
}

npu_rt_status invalid(const char *what, npu_rt_run *run = nullptr) {
  return failure(NPU_RT_INVALID_ARGUMENT, what, run);
}

/// Runs `body`, mapping any escaping exception to a status.
template <typename Body>
npu_rt_status guarded(Body body, npu_rt_run *run = nullptr) {
  try {
    return body();
  } catch (const std::bad_alloc &) {
    return failure(NPU_RT_OUT_OF_MEMORY, "out of memory", run);
  } catch (const std::exception &error) {
    return failure(NPU_RT_INTERNAL,
                   std::string("internal error: ") + error.what(), run);
  } catch (...) {
    return failure(NPU_RT_INTERNAL, "internal error", run);
  }
}

/// The integer a C caller passed as an enum. C lets any int through an enum
/// parameter, while C++ may assume an enum holds only values in its range;
/// copying the bytes reads the value without that assumption.
template <typename Enum> int rawValue(const Enum &value) {
  static_assert(sizeof(Enum) == sizeof(int), "C enums are int-sized");
  int raw;
  std::memcpy(&raw, &value, sizeof(raw));
  return raw;
}

bool validDType(const npu_rt_dtype &dtype) {
  int raw = rawValue(dtype);
  return raw >= NPU_RT_F32 && raw <= NPU_RT_I32;
}

std::string signatureText(const TensorSignature &sig) {
  return io::describe(io::fromDType(sig.dtype), sig.shape);
}

npu_rt_counters counters(const Budget &budget) {
  npu_rt_counters out{};
  out.cycles = budget.cycles;
  for (int e = 0; e < cost::kNumEngines; ++e)
    out.engine_busy[e] = budget.engineBusy[e];
  out.host_bytes = budget.hostBytes;
  out.dram_bytes = budget.dramBytes;
  out.link_bytes = budget.linkBytes;
  out.peak_sram_bytes = budget.peakSramBytes;
  out.peak_dram_bytes = budget.peakDramBytes;
  out.energy_fj = budget.energyFj;
  return out;
}

npu_rt_counters counters(const ChipMeasurement &m) {
  npu_rt_counters out{};
  out.cycles = m.cycles;
  for (int e = 0; e < cost::kNumEngines; ++e)
    out.engine_busy[e] = m.engineBusy[e];
  out.host_bytes = m.hostBytes;
  out.dram_bytes = m.dramBytes;
  out.link_bytes = m.linkBytes;
  out.peak_sram_bytes = m.peakSramBytes;
  out.peak_dram_bytes = m.peakDramBytes;
  out.energy_fj = m.energyFj;
  return out;
}

npu_rt_status load(LoadResult loaded, npu_rt_model **out_model) {
  if (!loaded.ok())
    return failure(NPU_RT_INVALID_MODEL, loaded.error);
  auto handle = std::make_unique<npu_rt_model>();
  handle->model = std::make_shared<const Model>(std::move(*loaded.model));
  *out_model = handle.release();
  return NPU_RT_OK;
}

/// The signature `index` of inputs or outputs, or a failure.
npu_rt_status signatureAt(const npu_rt_model *model, size_t index, bool input,
                          const TensorSignature **out) {
  if (!model)
    return invalid("model is null");
  const auto &sigs = input ? model->model->inputs : model->model->outputs;
  if (index >= sigs.size())
    return invalid((std::string(input ? "input" : "output") + " index " +
                    std::to_string(index) + " is out of range (the model has " +
                    std::to_string(sigs.size()) + ")")
                       .c_str());
  *out = &sigs[index];
  return NPU_RT_OK;
}

npu_rt_status findSignature(const npu_rt_model *model, const char *name,
                            bool input, size_t *out_index) {
  if (!model || !name || !out_index)
    return invalid("model, name and out_index must not be null");
  const auto &sigs = input ? model->model->inputs : model->model->outputs;
  for (size_t i = 0; i < sigs.size(); ++i)
    if (sigs[i].name == name) {
      *out_index = i;
      return NPU_RT_OK;
    }
  return failure(NPU_RT_NOT_FOUND, std::string("the model has no ") +
                                       (input ? "input" : "output") + " '" +
                                       name + "'");
}

/// The last successful result of `run`, or a failure.
npu_rt_status resultOf(const npu_rt_run *run, const RunResult **out) {
  if (!run)
    return invalid("run is null");
  if (!run->result)
    return failure(NPU_RT_FAILED_PRECONDITION,
                   "the run has no results; call npu_rt_run_execute first "
                   "(and check that it succeeded)",
                   const_cast<npu_rt_run *>(run));
  *out = &*run->result;
  return NPU_RT_OK;
}

/// Checks data against the signature of input `name` and stores it.
npu_rt_status setInput(npu_rt_run *run, const char *name, const void *data,
                       size_t size, const npu_rt_dtype *dtype,
                       const int64_t *dims, size_t rank) {
  if (!name)
    return invalid("input name is null", run);
  if (!data && size != 0)
    return invalid("input data is null", run);
  const TensorSignature *sig = nullptr;
  for (const TensorSignature &candidate : run->model->inputs)
    if (candidate.name == name)
      sig = &candidate;
  if (!sig) {
    std::string names;
    for (const TensorSignature &candidate : run->model->inputs)
      names += (names.empty() ? "'" : ", '") + candidate.name + "'";
    return failure(NPU_RT_NOT_FOUND,
                   std::string("the model has no input '") + name +
                       "' (its inputs: " + (names.empty() ? "none" : names) +
                       ")",
                   run);
  }
  if (dtype) {
    if (!validDType(*dtype))
      return invalid("dtype is not an npu_rt_dtype value", run);
    if (rank != 0 && !dims)
      return invalid("dims is null", run);
    std::vector<int64_t> shape(dims, dims + rank);
    io::ElementType type = io::fromDType(static_cast<cost::DType>(*dtype));
    if (type != io::fromDType(sig->dtype) || shape != sig->shape)
      return failure(NPU_RT_SIGNATURE_MISMATCH,
                     "input '" + sig->name + "': expected " +
                         signatureText(*sig) + ", got " +
                         io::describe(type, shape),
                     run);
  }
  if (static_cast<int64_t>(size) != sig->bytes)
    return failure(NPU_RT_SIGNATURE_MISMATCH,
                   "input '" + sig->name + "' (" + signatureText(*sig) +
                       ") takes " + std::to_string(sig->bytes) +
                       " bytes, got " + std::to_string(size),
                   run);
  const auto *bytes = static_cast<const uint8_t *>(data);
  run->inputs[sig->name].assign(bytes, bytes + size);
  return NPU_RT_OK;
}

} // namespace

extern "C" {

//===----------------------------------------------------------------------===//
// Status, errors, types
//===----------------------------------------------------------------------===//

const char *npu_rt_status_string(npu_rt_status status) {
  switch (rawValue(status)) {
  case NPU_RT_OK:
    return "NPU_RT_OK";
  case NPU_RT_INVALID_ARGUMENT:
    return "NPU_RT_INVALID_ARGUMENT";
  case NPU_RT_IO_ERROR:
    return "NPU_RT_IO_ERROR";
  case NPU_RT_INVALID_MODEL:
    return "NPU_RT_INVALID_MODEL";
  case NPU_RT_NOT_FOUND:
    return "NPU_RT_NOT_FOUND";
  case NPU_RT_SIGNATURE_MISMATCH:
    return "NPU_RT_SIGNATURE_MISMATCH";
  case NPU_RT_FAILED_PRECONDITION:
    return "NPU_RT_FAILED_PRECONDITION";
  case NPU_RT_EXECUTION_FAILED:
    return "NPU_RT_EXECUTION_FAILED";
  case NPU_RT_BUDGET_MISMATCH:
    return "NPU_RT_BUDGET_MISMATCH";
  case NPU_RT_OUT_OF_MEMORY:
    return "NPU_RT_OUT_OF_MEMORY";
  case NPU_RT_INTERNAL:
    return "NPU_RT_INTERNAL";
  }
  return "unknown status";
}

const char *npu_rt_last_error(void) { return lastError.c_str(); }

uint32_t npu_rt_format_version(void) { return kFormatVersion; }

size_t npu_rt_dtype_size(npu_rt_dtype dtype) {
  if (!validDType(dtype))
    return 0;
  return static_cast<size_t>(
      cost::elementBytes(static_cast<cost::DType>(dtype)));
}

const char *npu_rt_dtype_name(npu_rt_dtype dtype) {
  if (!validDType(dtype))
    return "?";
  // elementTypeName returns views of string literals: NUL-terminated.
  return io::elementTypeName(io::fromDType(static_cast<cost::DType>(dtype)))
      .data();
}

const char *npu_rt_engine_name(int engine) {
  if (engine < 0 || engine >= cost::kNumEngines)
    return "?";
  return cost::engineName(static_cast<cost::Engine>(engine)).data();
}

//===----------------------------------------------------------------------===//
// Models
//===----------------------------------------------------------------------===//

npu_rt_status npu_rt_model_load(const uint8_t *data, size_t size,
                                npu_rt_model **out_model) {
  return guarded([&] {
    if (!out_model)
      return invalid("out_model is null");
    if (!data && size != 0)
      return invalid("data is null");
    static const uint8_t empty = 0;
    return load(loadModel(data ? data : &empty, size), out_model);
  });
}

npu_rt_status npu_rt_model_load_file(const char *path,
                                     npu_rt_model **out_model) {
  return guarded([&] {
    if (!path || !out_model)
      return invalid("path and out_model must not be null");
    std::vector<uint8_t> bytes;
    std::string error;
    if (!io::readFile(path, bytes, error))
      return failure(NPU_RT_IO_ERROR, error);
    LoadResult loaded = loadModel(bytes.data(), bytes.size());
    if (!loaded.ok())
      loaded.error = std::string(path) + ": " + loaded.error;
    return load(std::move(loaded), out_model);
  });
}

void npu_rt_model_free(npu_rt_model *model) { delete model; }

npu_rt_status npu_rt_model_name(const npu_rt_model *model,
                                const char **out_name) {
  if (!model || !out_name)
    return invalid("model and out_name must not be null");
  *out_name = model->model->name.c_str();
  return NPU_RT_OK;
}

npu_rt_status npu_rt_model_system_name(const npu_rt_model *model,
                                       const char **out_name) {
  if (!model || !out_name)
    return invalid("model and out_name must not be null");
  *out_name = model->model->system.name.c_str();
  return NPU_RT_OK;
}

npu_rt_status npu_rt_model_input_count(const npu_rt_model *model,
                                       size_t *out_count) {
  if (!model || !out_count)
    return invalid("model and out_count must not be null");
  *out_count = model->model->inputs.size();
  return NPU_RT_OK;
}

npu_rt_status npu_rt_model_output_count(const npu_rt_model *model,
                                        size_t *out_count) {
  if (!model || !out_count)
    return invalid("model and out_count must not be null");
  *out_count = model->model->outputs.size();
  return NPU_RT_OK;
}

#define NPU_RT_SIGNATURE_QUERIES(KIND, IS_INPUT)                               \
  npu_rt_status npu_rt_model_##KIND##_name(                                    \
      const npu_rt_model *model, size_t index, const char **out_name) {        \
    return guarded([&] {                                                       \
      if (!out_name)                                                           \
        return invalid("out_name is null");                                    \
      const TensorSignature *sig = nullptr;                                    \
      if (npu_rt_status s = signatureAt(model, index, IS_INPUT, &sig))         \
        return s;                                                              \
      *out_name = sig->name.c_str();                                           \
      return NPU_RT_OK;                                                        \
    });                                                                        \
  }                                                                            \
  npu_rt_status npu_rt_model_##KIND##_dtype(                                   \
      const npu_rt_model *model, size_t index, npu_rt_dtype *out_dtype) {      \
    return guarded([&] {                                                       \
      if (!out_dtype)                                                          \
        return invalid("out_dtype is null");                                   \
      const TensorSignature *sig = nullptr;                                    \
      if (npu_rt_status s = signatureAt(model, index, IS_INPUT, &sig))         \
        return s;                                                              \
      *out_dtype = static_cast<npu_rt_dtype>(sig->dtype);                      \
      return NPU_RT_OK;                                                        \
    });                                                                        \
  }                                                                            \
  npu_rt_status npu_rt_model_##KIND##_shape(                                   \
      const npu_rt_model *model, size_t index, const int64_t **out_dims,       \
      size_t *out_rank) {                                                      \
    return guarded([&] {                                                       \
      if (!out_dims || !out_rank)                                              \
        return invalid("out_dims and out_rank must not be null");              \
      const TensorSignature *sig = nullptr;                                    \
      if (npu_rt_status s = signatureAt(model, index, IS_INPUT, &sig))         \
        return s;                                                              \
      *out_dims = sig->shape.empty() ? nullptr : sig->shape.data();            \
      *out_rank = sig->shape.size();                                           \
      return NPU_RT_OK;                                                        \
    });                                                                        \
  }                                                                            \
  npu_rt_status npu_rt_model_##KIND##_size(const npu_rt_model *model,          \
                                           size_t index, size_t *out_size) {   \
    return guarded([&] {                                                       \
      if (!out_size)                                                           \
        return invalid("out_size is null");                                    \
      const TensorSignature *sig = nullptr;                                    \
      if (npu_rt_status s = signatureAt(model, index, IS_INPUT, &sig))         \
        return s;                                                              \
      *out_size = static_cast<size_t>(sig->bytes);                             \
      return NPU_RT_OK;                                                        \
    });                                                                        \
  }                                                                            \
  npu_rt_status npu_rt_model_find_##KIND(                                      \
      const npu_rt_model *model, const char *name, size_t *out_index) {        \
    return guarded(                                                            \
        [&] { return findSignature(model, name, IS_INPUT, out_index); });      \
  }

NPU_RT_SIGNATURE_QUERIES(input, true)
NPU_RT_SIGNATURE_QUERIES(output, false)
#undef NPU_RT_SIGNATURE_QUERIES

npu_rt_status npu_rt_model_program_count(const npu_rt_model *model,
                                         size_t *out_count) {
  if (!model || !out_count)
    return invalid("model and out_count must not be null");
  *out_count = model->model->programs.size();
  return NPU_RT_OK;
}

npu_rt_status npu_rt_model_program(const npu_rt_model *model, size_t index,
                                   npu_rt_program_info *out_info) {
  return guarded([&] {
    if (!model || !out_info)
      return invalid("model and out_info must not be null");
    const auto &programs = model->model->programs;
    if (index >= programs.size())
      return invalid(("program index " + std::to_string(index) +
                      " is out of range (the model has " +
                      std::to_string(programs.size()) + ")")
                         .c_str());
    const Program &program = programs[index];
    npu_rt_program_info info{};
    info.name = program.name.c_str();
    info.chip = program.chip;
    info.exit_checks = program.exitChecks;
    info.budget_count = program.budgets.size();
    info.starts_asleep = program.startsAsleep ? 1 : 0;
    *out_info = info;
    return NPU_RT_OK;
  });
}

npu_rt_status npu_rt_model_budget(const npu_rt_model *model,
                                  size_t program_index, size_t budget_index,
                                  const char **out_path,
                                  npu_rt_counters *out_budget) {
  return guarded([&] {
    if (!model || !out_path || !out_budget)
      return invalid("model, out_path and out_budget must not be null");
    const auto &programs = model->model->programs;
    if (program_index >= programs.size())
      return invalid(("program index " + std::to_string(program_index) +
                      " is out of range")
                         .c_str());
    const Program &program = programs[program_index];
    if (budget_index >= program.budgets.size())
      return invalid(("budget index " + std::to_string(budget_index) +
                      " is out of range (program '" + program.name + "' has " +
                      std::to_string(program.budgets.size()) + ")")
                         .c_str());
    const Budget &budget = program.budgets[budget_index];
    *out_path = budget.path.c_str();
    *out_budget = counters(budget);
    return NPU_RT_OK;
  });
}

npu_rt_status npu_rt_model_find_budget(const npu_rt_model *model,
                                       size_t program_index, const char *path,
                                       npu_rt_counters *out_budget) {
  return guarded([&] {
    if (!model || !path || !out_budget)
      return invalid("model, path and out_budget must not be null");
    const auto &programs = model->model->programs;
    if (program_index >= programs.size())
      return invalid(("program index " + std::to_string(program_index) +
                      " is out of range")
                         .c_str());
    const Program &program = programs[program_index];
    const Budget *budget = program.findBudget(path);
    if (!budget)
      return failure(NPU_RT_NOT_FOUND, "program '" + program.name +
                                           "' has no budget for path '" + path +
                                           "'");
    *out_budget = counters(*budget);
    return NPU_RT_OK;
  });
}

//===----------------------------------------------------------------------===//
// Runs
//===----------------------------------------------------------------------===//

npu_rt_status npu_rt_run_create(const npu_rt_model *model, uint32_t flags,
                                npu_rt_run **out_run) {
  return guarded([&] {
    if (!model || !out_run)
      return invalid("model and out_run must not be null");
    if (flags & ~uint32_t(NPU_RT_RUN_TRACE))
      return invalid("unknown bits in the run flags");
    auto run = std::make_unique<npu_rt_run>();
    run->model = model->model;
    run->flags = flags;
    *out_run = run.release();
    return NPU_RT_OK;
  });
}

void npu_rt_run_free(npu_rt_run *run) { delete run; }

const char *npu_rt_run_error(const npu_rt_run *run) {
  return run ? run->error.c_str() : "";
}

npu_rt_status npu_rt_run_set_input(npu_rt_run *run, const char *name,
                                   const void *data, size_t size) {
  if (!run)
    return invalid("run is null");
  return guarded(
      [&] { return setInput(run, name, data, size, nullptr, nullptr, 0); },
      run);
}

npu_rt_status npu_rt_run_set_input_tensor(npu_rt_run *run, const char *name,
                                          npu_rt_dtype dtype,
                                          const int64_t *dims, size_t rank,
                                          const void *data, size_t size) {
  if (!run)
    return invalid("run is null");
  return guarded(
      [&] { return setInput(run, name, data, size, &dtype, dims, rank); }, run);
}

npu_rt_status npu_rt_run_execute(npu_rt_run *run) {
  if (!run)
    return invalid("run is null");
  return guarded(
      [&] {
        run->result.reset();
        run->budgets.clear();
        run->haveReport = {};
        for (const TensorSignature &sig : run->model->inputs)
          if (!run->inputs.count(sig.name))
            return failure(NPU_RT_FAILED_PRECONDITION,
                           "input '" + sig.name + "' (" + signatureText(sig) +
                               ") is not set",
                           run);
        SimulatorOptions options;
        options.trace = (run->flags & NPU_RT_RUN_TRACE) != 0;
        RunResult result = Simulator(*run->model, options).run(run->inputs);
        if (!result.ok)
          return failure(NPU_RT_EXECUTION_FAILED,
                         "simulation failed: " + result.error, run);
        for (const ChipMeasurement &m : result.chips) {
          const Program *program = run->model->findProgram(m.chip);
          run->budgets.push_back(program && m.ran ? program->findBudget(m.path)
                                                  : nullptr);
        }
        run->result = std::move(result);
        return NPU_RT_OK;
      },
      run);
}

npu_rt_status npu_rt_run_output(const npu_rt_run *run, const char *name,
                                const void **out_data, size_t *out_size) {
  return guarded([&] {
    if (!name || !out_data || !out_size)
      return invalid("name, out_data and out_size must not be null");
    const RunResult *result = nullptr;
    if (npu_rt_status s = resultOf(run, &result))
      return s;
    auto it = result->outputs.find(name);
    if (it == result->outputs.end())
      return failure(NPU_RT_NOT_FOUND,
                     std::string("the model has no output '") + name + "'",
                     const_cast<npu_rt_run *>(run));
    *out_data = it->second.data();
    *out_size = it->second.size();
    return NPU_RT_OK;
  });
}

npu_rt_status npu_rt_run_copy_output(const npu_rt_run *run, const char *name,
                                     void *buffer, size_t size) {
  return guarded([&] {
    if (!buffer && size != 0)
      return invalid("buffer is null");
    const void *data = nullptr;
    size_t bytes = 0;
    if (npu_rt_status s = npu_rt_run_output(run, name, &data, &bytes))
      return s;
    if (bytes != size)
      return failure(NPU_RT_SIGNATURE_MISMATCH,
                     std::string("output '") + name + "' is " +
                         std::to_string(bytes) + " bytes, the buffer " +
                         std::to_string(size),
                     const_cast<npu_rt_run *>(run));
    if (size)
      std::memcpy(buffer, data, size);
    return NPU_RT_OK;
  });
}

npu_rt_status npu_rt_run_chip_count(const npu_rt_run *run, size_t *out_count) {
  return guarded([&] {
    if (!out_count)
      return invalid("out_count is null");
    const RunResult *result = nullptr;
    if (npu_rt_status s = resultOf(run, &result))
      return s;
    *out_count = result->chips.size();
    return NPU_RT_OK;
  });
}

npu_rt_status npu_rt_run_chip(const npu_rt_run *run, size_t index,
                              npu_rt_chip_measurement *out_chip) {
  return guarded([&] {
    if (!out_chip)
      return invalid("out_chip is null");
    const RunResult *result = nullptr;
    if (npu_rt_status s = resultOf(run, &result))
      return s;
    if (index >= result->chips.size())
      return invalid(("chip measurement index " + std::to_string(index) +
                      " is out of range (the run has " +
                      std::to_string(result->chips.size()) + ")")
                         .c_str(),
                     const_cast<npu_rt_run *>(run));
    const ChipMeasurement &m = result->chips[index];
    npu_rt_chip_measurement out{};
    out.chip = m.chip;
    out.program = m.program.c_str();
    out.path = m.path.c_str();
    out.ran = m.ran ? 1 : 0;
    out.started_asleep = m.startedAsleep ? 1 : 0;
    out.picoseconds_per_cycle = m.picosecondsPerCycle;
    out.start_cycle = m.startCycle;
    out.active_cycles = m.activeCycles;
    out.measured = counters(m);
    if (const Budget *budget = run->budgets[index]) {
      out.has_budget = 1;
      out.budget = counters(*budget);
    }
    out.exit_checks = m.exitChecks.size();
    *out_chip = out;
    return NPU_RT_OK;
  });
}

npu_rt_status npu_rt_run_exit_check(const npu_rt_run *run, size_t chip_index,
                                    size_t check_index,
                                    npu_rt_exit_check *out_check) {
  return guarded([&] {
    if (!out_check)
      return invalid("out_check is null");
    const RunResult *result = nullptr;
    if (npu_rt_status s = resultOf(run, &result))
      return s;
    if (chip_index >= result->chips.size())
      return invalid("chip measurement index is out of range",
                     const_cast<npu_rt_run *>(run));
    const auto &checks = result->chips[chip_index].exitChecks;
    if (check_index >= checks.size())
      return invalid("exit check index is out of range",
                     const_cast<npu_rt_run *>(run));
    const ExitCheckOutcome &check = checks[check_index];
    out_check->instruction = check.index;
    out_check->exit = check.ordinal;
    out_check->confidence = check.confidence;
    out_check->confident = check.confident ? 1 : 0;
    return NPU_RT_OK;
  });
}

npu_rt_status npu_rt_run_check_budgets(npu_rt_run *run) {
  return guarded(
      [&] {
        const RunResult *result = nullptr;
        if (npu_rt_status s = resultOf(run, &result))
          return s;
        std::vector<report::Mismatch> mismatches =
            report::checkBudgets(*run->model, *result);
        if (mismatches.empty())
          return NPU_RT_OK;
        std::string message = "budget mismatch: " + mismatches[0].message();
        if (mismatches.size() > 1)
          message +=
              " (and " + std::to_string(mismatches.size() - 1) + " more)";
        return failure(NPU_RT_BUDGET_MISMATCH, message, run);
      },
      run);
}

npu_rt_status npu_rt_run_trace_count(const npu_rt_run *run, size_t *out_count) {
  return guarded([&] {
    if (!out_count)
      return invalid("out_count is null");
    const RunResult *result = nullptr;
    if (npu_rt_status s = resultOf(run, &result))
      return s;
    *out_count = result->trace.size();
    return NPU_RT_OK;
  });
}

npu_rt_status npu_rt_run_trace_event(const npu_rt_run *run, size_t index,
                                     npu_rt_trace_event *out_event) {
  return guarded([&] {
    if (!out_event)
      return invalid("out_event is null");
    const RunResult *result = nullptr;
    if (npu_rt_status s = resultOf(run, &result))
      return s;
    if (index >= result->trace.size())
      return invalid("trace event index is out of range",
                     const_cast<npu_rt_run *>(run));
    const TraceEvent &ev = result->trace[index];
    out_event->chip = ev.chip;
    out_event->engine = static_cast<int>(ev.engine);
    out_event->start = ev.start;
    out_event->cycles = ev.cycles;
    out_event->index = ev.index;
    // Mnemonics are string literals (Simulator.h): NUL-terminated.
    out_event->name = ev.name.data();
    return NPU_RT_OK;
  });
}

npu_rt_status npu_rt_run_report(npu_rt_run *run, npu_rt_report_format format,
                                const char **out_text, size_t *out_size) {
  return guarded(
      [&] {
        if (!out_text || !out_size)
          return invalid("out_text and out_size must not be null", run);
        int slot = rawValue(format);
        if (slot < 0 || slot > 2)
          return invalid("unknown report format", run);
        const RunResult *result = nullptr;
        if (npu_rt_status s = resultOf(run, &result))
          return s;
        if (!run->haveReport[slot]) {
          run->reports[slot] = slot == NPU_RT_REPORT_TABLE
                                   ? report::formatTable(*run->model, *result)
                               : slot == NPU_RT_REPORT_JSON
                                   ? report::formatJson(*run->model, *result)
                                   : report::formatTrace(*run->model, *result);
          run->haveReport[slot] = true;
        }
        *out_text = run->reports[slot].c_str();
        *out_size = run->reports[slot].size();
        return NPU_RT_OK;
      },
      run);
}

} // extern "C"
