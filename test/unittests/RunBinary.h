//===- RunBinary.h - Run a compiled .npub through the runtime's C API -----===//
//
// The embedding tests prove that the bytes the compiler API returns are a
// real binary: they load them with npu_rt_model_load, run them on the
// simulator and read outputs and measurements back, as an embedder would.
//
//===----------------------------------------------------------------------===//

#ifndef NPU_TEST_UNITTESTS_RUNBINARY_H
#define NPU_TEST_UNITTESTS_RUNBINARY_H

#include "npu/rt/npu_rt.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace npu::test {

/// What one chip measured during a run.
struct ChipRun {
  int64_t chip = 0;
  std::string path;
  npu_rt_counters measured = {};
};

/// The outcome of runBinary: `error` is empty on success.
struct RunOutcome {
  std::string error;
  std::vector<float> output;
  std::vector<ChipRun> chips;
};

/// Loads `binary`, sets the f32 `inputs` (by name), runs once, checks that
/// every measurement equals its budget, and returns output `outputName`.
inline RunOutcome
runBinary(const std::vector<uint8_t> &binary,
          const std::vector<std::pair<std::string, std::vector<float>>> &inputs,
          const std::string &outputName) {
  RunOutcome outcome;
  npu_rt_model *model = nullptr;
  npu_rt_run *run = nullptr;
  auto fail = [&](const std::string &what) {
    outcome.error = what + ": " + npu_rt_last_error();
    npu_rt_run_free(run);
    npu_rt_model_free(model);
    return outcome;
  };
  if (npu_rt_model_load(binary.data(), binary.size(), &model) != NPU_RT_OK)
    return fail("load");
  if (npu_rt_run_create(model, 0, &run) != NPU_RT_OK)
    return fail("run_create");
  for (const auto &[name, values] : inputs)
    if (npu_rt_run_set_input(run, name.c_str(), values.data(),
                             values.size() * sizeof(float)) != NPU_RT_OK)
      return fail("set_input " + name);
  if (npu_rt_run_execute(run) != NPU_RT_OK)
    return fail("execute");
  if (npu_rt_run_check_budgets(run) != NPU_RT_OK)
    return fail("check_budgets");
  const void *data = nullptr;
  size_t size = 0;
  if (npu_rt_run_output(run, outputName.c_str(), &data, &size) != NPU_RT_OK)
    return fail("output " + outputName);
  const auto *floats = static_cast<const float *>(data);
  outcome.output.assign(floats, floats + size / sizeof(float));
  size_t count = 0;
  if (npu_rt_run_chip_count(run, &count) != NPU_RT_OK)
    return fail("chip_count");
  for (size_t i = 0; i < count; ++i) {
    npu_rt_chip_measurement m;
    if (npu_rt_run_chip(run, i, &m) != NPU_RT_OK)
      return fail("chip");
    outcome.chips.push_back({m.chip, m.path, m.measured});
  }
  npu_rt_run_free(run);
  npu_rt_model_free(model);
  return outcome;
}

} // namespace npu::test

#endif // NPU_TEST_UNITTESTS_RUNBINARY_H
