/*===- CAPITest.c - The C API (npu-c/Dialects.h, npu-c/Compiler.h) --------===//
 *
 * Compiled as C11, as a host with only a C FFI would use it: register the
 * dialects through their handles, parse a module of npu ops with MLIR's C
 * API, compile it with npuCompileModule, and run the bytes with the
 * runtime's C API. Then the failures: an unknown system and an unsupported
 * op give a message naming them and no binary. Exits non-zero on the first
 * failed check, after printing it.
 *
 *===----------------------------------------------------------------------===*/

#include "npu-c/Compiler.h"
#include "npu-c/Dialects.h"
#include "npu/rt/npu_rt.h"

#include "mlir-c/Dialect/Arith.h"
#include "mlir-c/Dialect/Func.h"
#include "mlir-c/IR.h"
#include "mlir-c/Pass.h"
#include "mlir-c/Support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHECK(cond)                                                            \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
      exit(1);                                                                 \
    }                                                                          \
  } while (0)

static const char *const kRelu =
    "func.func @f(%x: tensor<2x4xf32> {npu.name = \"x\"})\n"
    "    -> (tensor<2x4xf32> {npu.name = \"y\"}) {\n"
    "  %y = npu.relu %x : tensor<2x4xf32>\n"
    "  return %y : tensor<2x4xf32>\n"
    "}\n";

static const char *const kUnsupported =
    "func.func @f(%x: tensor<4xf32> {npu.name = \"x\"})\n"
    "    -> (tensor<4xf32> {npu.name = \"y\"}) {\n"
    "  %y = arith.addf %x, %x : tensor<4xf32>\n"
    "  return %y : tensor<4xf32>\n"
    "}\n";

static void ignoreMessage(MlirStringRef message, void *userData) {
  (void)message;
  (void)userData;
}

/// True when the textual pipeline `pipeline` parses in `ctx`.
static int pipelineParses(MlirContext ctx, const char *pipeline) {
  MlirPassManager pm = mlirPassManagerCreate(ctx);
  MlirLogicalResult parsed = mlirParsePassPipeline(
      mlirPassManagerGetAsOpPassManager(pm),
      mlirStringRefCreateFromCString(pipeline), ignoreMessage, NULL);
  mlirPassManagerDestroy(pm);
  return mlirLogicalResultIsSuccess(parsed);
}

/// Runs `binary` on x = {-1, 2, -3, 4, 5, -6, 7, -8} and checks y = relu(x)
/// and that every measurement equals its budget.
static void runRelu(const uint8_t *binary, size_t size) {
  static const float x[8] = {-1, 2, -3, 4, 5, -6, 7, -8};
  static const float expected[8] = {0, 2, 0, 4, 5, 0, 7, 0};
  float y[8];
  npu_rt_model *model = NULL;
  npu_rt_run *run = NULL;
  CHECK(npu_rt_model_load(binary, size, &model) == NPU_RT_OK);
  CHECK(npu_rt_run_create(model, 0, &run) == NPU_RT_OK);
  CHECK(npu_rt_run_set_input(run, "x", x, sizeof(x)) == NPU_RT_OK);
  CHECK(npu_rt_run_execute(run) == NPU_RT_OK);
  CHECK(npu_rt_run_check_budgets(run) == NPU_RT_OK);
  CHECK(npu_rt_run_copy_output(run, "y", y, sizeof(y)) == NPU_RT_OK);
  for (int i = 0; i < 8; ++i)
    CHECK(y[i] == expected[i]);
  npu_rt_run_free(run);
  npu_rt_model_free(model);
}

int main(void) {
  MlirContext ctx = mlirContextCreate();
  MlirDialectHandle npu = mlirGetDialectHandle__npu__();
  MlirStringRef ns = mlirDialectHandleGetNamespace(npu);
  CHECK(ns.length == 3 && strncmp(ns.data, "npu", 3) == 0);
  mlirDialectHandleRegisterDialect(npu, ctx);
  mlirDialectHandleRegisterDialect(mlirGetDialectHandle__npuisa__(), ctx);
  mlirDialectHandleRegisterDialect(mlirGetDialectHandle__func__(), ctx);
  mlirDialectHandleRegisterDialect(mlirGetDialectHandle__arith__(), ctx);

  /* The passes are unknown until npuRegisterAllPasses. */
  const char *pipeline = "builtin.module(npu-compile{system=single chip=0})";
  CHECK(!pipelineParses(ctx, pipeline));
  npuRegisterAllPasses();
  npuRegisterAllPasses(); /* idempotent */
  CHECK(pipelineParses(ctx, pipeline));

  MlirModule module =
      mlirModuleCreateParse(ctx, mlirStringRefCreateFromCString(kRelu));
  CHECK(!mlirModuleIsNull(module));

  /* Success: a binary that runs, and the budgets JSON. */
  uint8_t *binary = NULL;
  size_t size = 0;
  char *json = NULL;
  char *error = NULL;
  MlirLogicalResult compiled =
      npuCompileModule(module, "e1-package", 1, &binary, &size, &json, &error);
  if (error)
    fprintf(stderr, "npuCompileModule: %s\n", error);
  CHECK(mlirLogicalResultIsSuccess(compiled));
  CHECK(error == NULL);
  CHECK(binary != NULL && size > 0);
  CHECK(json != NULL && strstr(json, "\"system\": \"e1-package\"") != NULL);
  runRelu(binary, size);

  /* The same bytes again; NULL system is "single" and outBudgetsJSON may be
   * NULL. */
  uint8_t *again = NULL;
  size_t againSize = 0;
  CHECK(mlirLogicalResultIsSuccess(npuCompileModule(
      module, "e1-package", 1, &again, &againSize, NULL, NULL)));
  CHECK(againSize == size && memcmp(again, binary, size) == 0);
  free(again);
  uint8_t *single = NULL;
  size_t singleSize = 0;
  CHECK(mlirLogicalResultIsSuccess(
      npuCompileModule(module, NULL, 0, &single, &singleSize, NULL, NULL)));
  runRelu(single, singleSize);
  free(single);
  free(binary);
  free(json);

  /* An unknown system: a message naming it, no binary. */
  binary = (uint8_t *)1;
  size = 1;
  CHECK(mlirLogicalResultIsFailure(npuCompileModule(
      module, "no-such-system", 0, &binary, &size, &json, &error)));
  CHECK(binary == NULL && size == 0 && json == NULL);
  CHECK(error != NULL && strstr(error, "no-such-system") != NULL);
  free(error);

  /* An op the lowering does not support: named in the message. */
  MlirModule bad =
      mlirModuleCreateParse(ctx, mlirStringRefCreateFromCString(kUnsupported));
  CHECK(!mlirModuleIsNull(bad));
  CHECK(mlirLogicalResultIsFailure(
      npuCompileModule(bad, "single", 0, &binary, &size, NULL, &error)));
  CHECK(error != NULL &&
        strstr(error, "'arith.addf' op is not supported") != NULL);
  free(error);
  mlirModuleDestroy(bad);

  /* A null module is an error, not a crash. */
  MlirModule null = {NULL};
  CHECK(mlirLogicalResultIsFailure(
      npuCompileModule(null, "single", 0, &binary, &size, NULL, &error)));
  CHECK(error != NULL);
  free(error);

  mlirModuleDestroy(module);
  mlirContextDestroy(ctx);
  printf("npu C API: all checks passed\n");
  return 0;
}
