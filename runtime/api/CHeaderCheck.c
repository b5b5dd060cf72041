/*===- CHeaderCheck.c - npu_rt.h is a C header ----------------------------===//
 *
 * Compiled as C11 with warnings as errors: the C API must stay usable from
 * C (and so from any FFI). Nothing runs; the build is the test.
 *
 *===----------------------------------------------------------------------===*/

#include "npu/rt/npu_rt.h"

/* Uses each kind of declaration once so that a C-incompatible change to any
 * of them fails to compile. */
int npu_rt_c_header_check(const uint8_t *data, size_t size) {
  npu_rt_model *model = NULL;
  npu_rt_run *run = NULL;
  npu_rt_chip_measurement chip;
  npu_rt_trace_event event;
  npu_rt_counters budget;
  const char *path = NULL;
  size_t count = 0;
  if (npu_rt_model_load(data, size, &model) != NPU_RT_OK)
    return -1;
  if (npu_rt_run_create(model, NPU_RT_RUN_TRACE, &run) != NPU_RT_OK ||
      npu_rt_run_execute(run) != NPU_RT_OK ||
      npu_rt_run_chip(run, 0, &chip) != NPU_RT_OK ||
      npu_rt_run_trace_count(run, &count) != NPU_RT_OK ||
      (count && npu_rt_run_trace_event(run, 0, &event) != NPU_RT_OK) ||
      npu_rt_model_budget(model, 0, 0, &path, &budget) != NPU_RT_OK)
    count = 0;
  npu_rt_run_free(run);
  npu_rt_model_free(model);
  return (int)count + (int)npu_rt_dtype_size(NPU_RT_BF16);
}
