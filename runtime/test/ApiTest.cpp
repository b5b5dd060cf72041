//===- ApiTest.cpp - The C API (npu_rt.h) ---------------------------------===//
//
// Drives the C API as an embedder would: load errors, signature queries,
// input checks, a run with real outputs, measurements beside budgets, the
// reports, and the lifetime rules (a run outlives its model). The model is
// a relu over a 2x4 f32 tensor assembled with TestBinary.h; its budget is
// taken from a first simulation, so it is exact by construction, and a copy
// with one counter off checks that mismatches are reported.
//
//===----------------------------------------------------------------------===//

#include "npu/rt/npu_rt.h"

#include "Report.h"
#include "TestBinary.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include <unistd.h>

using namespace npu::rt;
using namespace npu::rt::test;
using cost::DType;
using cost::Engine;
using cost::VectorOp;

namespace {

/// The relu program; with `budget`, it is stored as the "full" budget.
std::vector<uint8_t> reluBinary(const ChipMeasurement *budget = nullptr,
                                int64_t cyclesOff = 0) {
  BinaryBuilder b(preset("single"), "relu");
  b.input("x", DType::F32, {2, 4}).output("y", DType::F32, {2, 4});
  b.program("p", 0)
      .loadInput(0, 0, 0, 32)
      .dmaIn(0, 0, 32)
      .signal(0, Engine::DmaIn)
      .wait(0, Engine::Vector)
      .vector(VectorOp::Relu, 0, 64, 8)
      .signal(1, Engine::Vector)
      .wait(1, Engine::DmaOut)
      .dmaOut(64, 64, 32)
      .storeOutput(0, 0, 64, 32)
      .halt();
  if (budget)
    b.budget("full", budget->cycles + cyclesOff,
             Ints(budget->engineBusy.begin(), budget->engineBusy.end()),
             budget->hostBytes, budget->dramBytes, budget->linkBytes,
             budget->peakSramBytes, budget->energyFj, budget->peakDramBytes);
  return b.finish();
}

/// The relu binary with its exact budget (`cyclesOff` = 0) or a wrong one.
std::vector<uint8_t> budgetedReluBinary(int64_t cyclesOff = 0) {
  Model model = mustLoad(reluBinary());
  TensorMap inputs;
  inputs["x"] = floatBytes(std::vector<float>(8, 1.0f));
  RunResult result = Simulator(model).run(inputs);
  EXPECT_TRUE(result.ok) << result.error;
  return reluBinary(&result.chips.at(0), cyclesOff);
}

const std::vector<float> kInput = {-1, 2, -3, 4, 5, -6, 7, -8};
const std::vector<float> kExpected = {0, 2, 0, 4, 5, 0, 7, 0};

/// Owns a model handle.
struct ModelHandle {
  npu_rt_model *model = nullptr;
  ~ModelHandle() { npu_rt_model_free(model); }
};

/// Owns a run handle.
struct RunHandle {
  npu_rt_run *run = nullptr;
  ~RunHandle() { npu_rt_run_free(run); }
};

npu_rt_model *loadOrFail(const std::vector<uint8_t> &bytes) {
  npu_rt_model *model = nullptr;
  EXPECT_EQ(npu_rt_model_load(bytes.data(), bytes.size(), &model), NPU_RT_OK)
      << npu_rt_last_error();
  return model;
}

bool contains(const char *text, const std::string &part) {
  return std::string(text).find(part) != std::string::npos;
}

//===----------------------------------------------------------------------===//
// Loading
//===----------------------------------------------------------------------===//

TEST(CApi, LoadRejectsBadArgumentsAndBytes) {
  npu_rt_model *model = reinterpret_cast<npu_rt_model *>(0x1);
  std::vector<uint8_t> bytes = reluBinary();
  EXPECT_EQ(npu_rt_model_load(bytes.data(), bytes.size(), nullptr),
            NPU_RT_INVALID_ARGUMENT);
  EXPECT_EQ(npu_rt_model_load(nullptr, 10, &model), NPU_RT_INVALID_ARGUMENT);
  EXPECT_TRUE(contains(npu_rt_last_error(), "data is null"));

  EXPECT_EQ(npu_rt_model_load(nullptr, 0, &model), NPU_RT_INVALID_MODEL);
  std::vector<uint8_t> wrong = bytes;
  std::memcpy(wrong.data() + 4, "ABCD", 4);
  EXPECT_EQ(npu_rt_model_load(wrong.data(), wrong.size(), &model),
            NPU_RT_INVALID_MODEL);
  EXPECT_TRUE(contains(npu_rt_last_error(), "'ABCD'")) << npu_rt_last_error();
  // Untouched on failure.
  EXPECT_EQ(model, reinterpret_cast<npu_rt_model *>(0x1));
}

TEST(CApi, EveryTruncationOfABinaryIsAnInvalidModel) {
  std::vector<uint8_t> bytes = budgetedReluBinary();
  for (size_t n = 0; n < bytes.size(); ++n) {
    npu_rt_model *model = nullptr;
    npu_rt_status status = npu_rt_model_load(bytes.data(), n, &model);
    if (status == NPU_RT_OK) {
      // FlatBuffers may ignore trailing padding; what loads must run.
      npu_rt_model_free(model);
      continue;
    }
    EXPECT_EQ(status, NPU_RT_INVALID_MODEL) << n;
    EXPECT_STRNE(npu_rt_last_error(), "") << n;
    EXPECT_EQ(model, nullptr);
  }
}

TEST(CApi, LoadFileNamesTheFile) {
  npu_rt_model *model = nullptr;
  EXPECT_EQ(npu_rt_model_load_file("/nonexistent/m.npub", &model),
            NPU_RT_IO_ERROR);
  EXPECT_TRUE(contains(npu_rt_last_error(), "'/nonexistent/m.npub'"))
      << npu_rt_last_error();
  EXPECT_EQ(npu_rt_model_load_file(nullptr, &model), NPU_RT_INVALID_ARGUMENT);

  char path[] = "/tmp/npurt-api-XXXXXX";
  int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(write(fd, "NPUBNPUBNPUB", 12), 12);
  close(fd);
  EXPECT_EQ(npu_rt_model_load_file(path, &model), NPU_RT_INVALID_MODEL);
  EXPECT_EQ(std::string(npu_rt_last_error()).rfind(path, 0), 0u)
      << npu_rt_last_error();

  std::vector<uint8_t> bytes = reluBinary();
  FILE *file = fopen(path, "wb");
  ASSERT_TRUE(file);
  fwrite(bytes.data(), 1, bytes.size(), file);
  fclose(file);
  ModelHandle loaded;
  EXPECT_EQ(npu_rt_model_load_file(path, &loaded.model), NPU_RT_OK)
      << npu_rt_last_error();
  unlink(path);
}

//===----------------------------------------------------------------------===//
// Queries
//===----------------------------------------------------------------------===//

TEST(CApi, SignatureQueries) {
  ModelHandle h;
  h.model = loadOrFail(budgetedReluBinary());
  ASSERT_TRUE(h.model);
  const char *name = nullptr;
  ASSERT_EQ(npu_rt_model_name(h.model, &name), NPU_RT_OK);
  EXPECT_STREQ(name, "relu");
  ASSERT_EQ(npu_rt_model_system_name(h.model, &name), NPU_RT_OK);
  EXPECT_STREQ(name, "single");

  size_t count = 0;
  ASSERT_EQ(npu_rt_model_input_count(h.model, &count), NPU_RT_OK);
  EXPECT_EQ(count, 1u);
  ASSERT_EQ(npu_rt_model_output_count(h.model, &count), NPU_RT_OK);
  EXPECT_EQ(count, 1u);

  ASSERT_EQ(npu_rt_model_input_name(h.model, 0, &name), NPU_RT_OK);
  EXPECT_STREQ(name, "x");
  ASSERT_EQ(npu_rt_model_output_name(h.model, 0, &name), NPU_RT_OK);
  EXPECT_STREQ(name, "y");
  npu_rt_dtype dtype = NPU_RT_I8;
  ASSERT_EQ(npu_rt_model_input_dtype(h.model, 0, &dtype), NPU_RT_OK);
  EXPECT_EQ(dtype, NPU_RT_F32);
  EXPECT_STREQ(npu_rt_dtype_name(dtype), "f32");
  EXPECT_EQ(npu_rt_dtype_size(NPU_RT_BF16), 2u);
  // Values that name no enumerator. C callers may pass any int; C++ may only
  // form values within the enum's bit range, hence 7 (and 6, 15 below).
  EXPECT_EQ(npu_rt_dtype_size(static_cast<npu_rt_dtype>(7)), 0u);
  const int64_t *dims = nullptr;
  size_t rank = 0;
  ASSERT_EQ(npu_rt_model_output_shape(h.model, 0, &dims, &rank), NPU_RT_OK);
  ASSERT_EQ(rank, 2u);
  EXPECT_EQ(dims[0], 2);
  EXPECT_EQ(dims[1], 4);
  size_t size = 0;
  ASSERT_EQ(npu_rt_model_input_size(h.model, 0, &size), NPU_RT_OK);
  EXPECT_EQ(size, 32u);
  size_t index = 7;
  ASSERT_EQ(npu_rt_model_find_output(h.model, "y", &index), NPU_RT_OK);
  EXPECT_EQ(index, 0u);

  EXPECT_EQ(npu_rt_model_input_name(h.model, 1, &name),
            NPU_RT_INVALID_ARGUMENT);
  EXPECT_TRUE(contains(npu_rt_last_error(), "input index 1 is out of range"));
  EXPECT_EQ(npu_rt_model_find_input(h.model, "z", &index), NPU_RT_NOT_FOUND);
  EXPECT_TRUE(contains(npu_rt_last_error(), "no input 'z'"));
  EXPECT_EQ(npu_rt_model_input_count(nullptr, &count), NPU_RT_INVALID_ARGUMENT);

  npu_rt_program_info info;
  ASSERT_EQ(npu_rt_model_program_count(h.model, &count), NPU_RT_OK);
  EXPECT_EQ(count, 1u);
  ASSERT_EQ(npu_rt_model_program(h.model, 0, &info), NPU_RT_OK);
  EXPECT_STREQ(info.name, "p");
  EXPECT_EQ(info.chip, 0);
  EXPECT_EQ(info.budget_count, 1u);
  EXPECT_EQ(info.exit_checks, 0u);
  EXPECT_EQ(info.starts_asleep, 0);
  const char *path = nullptr;
  npu_rt_counters budget;
  ASSERT_EQ(npu_rt_model_budget(h.model, 0, 0, &path, &budget), NPU_RT_OK);
  EXPECT_STREQ(path, "full");
  EXPECT_GT(budget.cycles, 0);
  EXPECT_EQ(budget.host_bytes, 64);
  EXPECT_EQ(npu_rt_model_find_budget(h.model, 0, "exit 1", &budget),
            NPU_RT_NOT_FOUND);
  EXPECT_EQ(npu_rt_model_budget(h.model, 0, 1, &path, &budget),
            NPU_RT_INVALID_ARGUMENT);
}

//===----------------------------------------------------------------------===//
// Runs
//===----------------------------------------------------------------------===//

TEST(CApi, InputsAreCheckedAgainstTheSignature) {
  ModelHandle h;
  h.model = loadOrFail(reluBinary());
  RunHandle r;
  ASSERT_EQ(npu_rt_run_create(h.model, 0, &r.run), NPU_RT_OK);
  std::vector<uint8_t> bytes = floatBytes(kInput);

  EXPECT_EQ(npu_rt_run_execute(r.run), NPU_RT_FAILED_PRECONDITION);
  EXPECT_TRUE(
      contains(npu_rt_run_error(r.run), "input 'x' (f32[2, 4]) is not set"))
      << npu_rt_run_error(r.run);

  EXPECT_EQ(npu_rt_run_set_input(r.run, "w", bytes.data(), bytes.size()),
            NPU_RT_NOT_FOUND);
  EXPECT_TRUE(
      contains(npu_rt_run_error(r.run), "no input 'w' (its inputs: 'x')"))
      << npu_rt_run_error(r.run);
  EXPECT_EQ(npu_rt_run_set_input(r.run, "x", bytes.data(), 31),
            NPU_RT_SIGNATURE_MISMATCH);
  EXPECT_TRUE(contains(npu_rt_run_error(r.run),
                       "input 'x' (f32[2, 4]) takes 32 bytes, got 31"));
  EXPECT_STREQ(npu_rt_last_error(), npu_rt_run_error(r.run));

  const int64_t flat[] = {8};
  EXPECT_EQ(npu_rt_run_set_input_tensor(r.run, "x", NPU_RT_F32, flat, 1,
                                        bytes.data(), bytes.size()),
            NPU_RT_SIGNATURE_MISMATCH);
  EXPECT_TRUE(contains(npu_rt_run_error(r.run),
                       "input 'x': expected f32[2, 4], got f32[8]"))
      << npu_rt_run_error(r.run);
  const int64_t dims[] = {2, 4};
  EXPECT_EQ(npu_rt_run_set_input_tensor(r.run, "x", NPU_RT_I32, dims, 2,
                                        bytes.data(), bytes.size()),
            NPU_RT_SIGNATURE_MISMATCH);
  EXPECT_TRUE(contains(npu_rt_run_error(r.run), "got i32[2, 4]"));
  EXPECT_EQ(npu_rt_run_set_input_tensor(r.run, "x",
                                        static_cast<npu_rt_dtype>(6), dims, 2,
                                        bytes.data(), bytes.size()),
            NPU_RT_INVALID_ARGUMENT);
  EXPECT_EQ(npu_rt_run_set_input(r.run, "x", nullptr, 32),
            NPU_RT_INVALID_ARGUMENT);
  EXPECT_EQ(npu_rt_run_set_input(nullptr, "x", bytes.data(), 32),
            NPU_RT_INVALID_ARGUMENT);

  const void *data = nullptr;
  size_t size = 0;
  EXPECT_EQ(npu_rt_run_output(r.run, "y", &data, &size),
            NPU_RT_FAILED_PRECONDITION);

  EXPECT_EQ(npu_rt_run_set_input_tensor(r.run, "x", NPU_RT_F32, dims, 2,
                                        bytes.data(), bytes.size()),
            NPU_RT_OK);
  EXPECT_EQ(npu_rt_run_execute(r.run), NPU_RT_OK) << npu_rt_run_error(r.run);
}

TEST(CApi, RunGivesOutputsMeasurementsAndBudgets) {
  ModelHandle h;
  h.model = loadOrFail(budgetedReluBinary());
  RunHandle r;
  EXPECT_EQ(npu_rt_run_create(h.model, 0x80, &r.run), NPU_RT_INVALID_ARGUMENT);
  ASSERT_EQ(npu_rt_run_create(h.model, NPU_RT_RUN_TRACE, &r.run), NPU_RT_OK);
  std::vector<uint8_t> bytes = floatBytes(kInput);
  ASSERT_EQ(npu_rt_run_set_input(r.run, "x", bytes.data(), bytes.size()),
            NPU_RT_OK);
  ASSERT_EQ(npu_rt_run_execute(r.run), NPU_RT_OK) << npu_rt_run_error(r.run);

  const void *data = nullptr;
  size_t size = 0;
  ASSERT_EQ(npu_rt_run_output(r.run, "y", &data, &size), NPU_RT_OK);
  ASSERT_EQ(size, 32u);
  std::vector<float> y(8);
  std::memcpy(y.data(), data, 32);
  EXPECT_EQ(y, kExpected);
  std::vector<float> copy(8);
  ASSERT_EQ(npu_rt_run_copy_output(r.run, "y", copy.data(), 32), NPU_RT_OK);
  EXPECT_EQ(copy, kExpected);
  EXPECT_EQ(npu_rt_run_copy_output(r.run, "y", copy.data(), 16),
            NPU_RT_SIGNATURE_MISMATCH);
  EXPECT_EQ(npu_rt_run_output(r.run, "x", &data, &size), NPU_RT_NOT_FOUND);

  size_t chips = 0;
  ASSERT_EQ(npu_rt_run_chip_count(r.run, &chips), NPU_RT_OK);
  ASSERT_EQ(chips, 1u);
  npu_rt_chip_measurement m;
  ASSERT_EQ(npu_rt_run_chip(r.run, 0, &m), NPU_RT_OK);
  EXPECT_EQ(m.chip, 0);
  EXPECT_STREQ(m.program, "p");
  EXPECT_STREQ(m.path, "full");
  EXPECT_EQ(m.ran, 1);
  EXPECT_EQ(m.picoseconds_per_cycle, 1000);
  EXPECT_EQ(m.has_budget, 1);
  EXPECT_EQ(std::memcmp(&m.measured, &m.budget, sizeof(npu_rt_counters)), 0);
  EXPECT_EQ(m.measured.host_bytes, 64);
  EXPECT_EQ(m.measured.peak_sram_bytes, 96);
  // dma_out and store_output use DRAM [64, 96).
  EXPECT_EQ(m.measured.peak_dram_bytes, 96);
  EXPECT_EQ(m.exit_checks, 0u);
  EXPECT_EQ(npu_rt_run_chip(r.run, 1, &m), NPU_RT_INVALID_ARGUMENT);
  npu_rt_exit_check check;
  EXPECT_EQ(npu_rt_run_exit_check(r.run, 0, 0, &check),
            NPU_RT_INVALID_ARGUMENT);
  EXPECT_EQ(npu_rt_run_check_budgets(r.run), NPU_RT_OK);

  size_t events = 0;
  ASSERT_EQ(npu_rt_run_trace_count(r.run, &events), NPU_RT_OK);
  ASSERT_EQ(events, 10u); // One per instruction.
  npu_rt_trace_event event;
  ASSERT_EQ(npu_rt_run_trace_event(r.run, 4, &event), NPU_RT_OK);
  EXPECT_STREQ(event.name, "vector");
  EXPECT_STREQ(npu_rt_engine_name(event.engine), "vector");
  EXPECT_EQ(event.index, 4u);
  EXPECT_EQ(npu_rt_run_trace_event(r.run, 10, &event), NPU_RT_INVALID_ARGUMENT);

  const char *text = nullptr;
  size_t length = 0;
  ASSERT_EQ(npu_rt_run_report(r.run, NPU_RT_REPORT_JSON, &text, &length),
            NPU_RT_OK);
  EXPECT_EQ(std::strlen(text), length);
  EXPECT_TRUE(contains(
      text, "\"cycles\": {\"budget\": " + std::to_string(m.budget.cycles) +
                ", \"measured\": " + std::to_string(m.measured.cycles) + "}"))
      << text;
  ASSERT_EQ(npu_rt_run_report(r.run, NPU_RT_REPORT_TABLE, &text, &length),
            NPU_RT_OK);
  EXPECT_TRUE(contains(text, "budgets: all equal to the measurements"));
  ASSERT_EQ(npu_rt_run_report(r.run, NPU_RT_REPORT_TRACE, &text, &length),
            NPU_RT_OK);
  EXPECT_TRUE(contains(text, "\"name\": \"vector\", \"cat\": \"vector\", "
                             "\"ph\": \"X\""))
      << text;
  EXPECT_EQ(npu_rt_run_report(r.run, static_cast<npu_rt_report_format>(3),
                              &text, &length),
            NPU_RT_INVALID_ARGUMENT);
}

TEST(CApi, BudgetMismatchNamesChipPathAndCounter) {
  ModelHandle h;
  h.model = loadOrFail(budgetedReluBinary(/*cyclesOff=*/5));
  RunHandle r;
  ASSERT_EQ(npu_rt_run_create(h.model, 0, &r.run), NPU_RT_OK);
  std::vector<uint8_t> bytes = floatBytes(kInput);
  ASSERT_EQ(npu_rt_run_set_input(r.run, "x", bytes.data(), bytes.size()),
            NPU_RT_OK);
  EXPECT_EQ(npu_rt_run_check_budgets(r.run), NPU_RT_FAILED_PRECONDITION);
  ASSERT_EQ(npu_rt_run_execute(r.run), NPU_RT_OK);
  EXPECT_EQ(npu_rt_run_check_budgets(r.run), NPU_RT_BUDGET_MISMATCH);
  EXPECT_TRUE(contains(npu_rt_run_error(r.run),
                       "budget mismatch: chip 0 ('npu0'), program 'p', path "
                       "'full': cycles budget"))
      << npu_rt_run_error(r.run);
  size_t events = 1;
  ASSERT_EQ(npu_rt_run_trace_count(r.run, &events), NPU_RT_OK);
  EXPECT_EQ(events, 0u); // No NPU_RT_RUN_TRACE.

  // A binary with no budget at all: every chip that ran lacks one.
  ModelHandle bare;
  bare.model = loadOrFail(reluBinary());
  RunHandle r2;
  ASSERT_EQ(npu_rt_run_create(bare.model, 0, &r2.run), NPU_RT_OK);
  ASSERT_EQ(npu_rt_run_set_input(r2.run, "x", bytes.data(), bytes.size()),
            NPU_RT_OK);
  ASSERT_EQ(npu_rt_run_execute(r2.run), NPU_RT_OK);
  npu_rt_chip_measurement m;
  ASSERT_EQ(npu_rt_run_chip(r2.run, 0, &m), NPU_RT_OK);
  EXPECT_EQ(m.has_budget, 0);
  EXPECT_EQ(npu_rt_run_check_budgets(r2.run), NPU_RT_BUDGET_MISMATCH);
  EXPECT_TRUE(contains(npu_rt_run_error(r2.run),
                       "the binary has no budget for this path"));
}

TEST(CApi, RunOutlivesItsModelAndIsDeterministic) {
  npu_rt_model *model = loadOrFail(budgetedReluBinary());
  RunHandle a, b;
  ASSERT_EQ(npu_rt_run_create(model, NPU_RT_RUN_TRACE, &a.run), NPU_RT_OK);
  ASSERT_EQ(npu_rt_run_create(model, NPU_RT_RUN_TRACE, &b.run), NPU_RT_OK);
  npu_rt_model_free(model);
  std::vector<uint8_t> bytes = floatBytes(kInput);
  std::string reports[2];
  RunHandle *runs[2] = {&a, &b};
  for (int i = 0; i < 2; ++i) {
    npu_rt_run *run = runs[i]->run;
    ASSERT_EQ(npu_rt_run_set_input(run, "x", bytes.data(), bytes.size()),
              NPU_RT_OK);
    // Executing twice gives the same results as once.
    ASSERT_EQ(npu_rt_run_execute(run), NPU_RT_OK);
    ASSERT_EQ(npu_rt_run_execute(run), NPU_RT_OK);
    for (npu_rt_report_format format :
         {NPU_RT_REPORT_TABLE, NPU_RT_REPORT_JSON, NPU_RT_REPORT_TRACE}) {
      const char *text = nullptr;
      size_t length = 0;
      ASSERT_EQ(npu_rt_run_report(run, format, &text, &length), NPU_RT_OK);
      reports[i] += std::string(text, length);
    }
  }
  EXPECT_EQ(reports[0], reports[1]);
  npu_rt_model_free(nullptr);
  npu_rt_run_free(nullptr);
}

TEST(CApi, StatusStrings) {
  EXPECT_STREQ(npu_rt_status_string(NPU_RT_OK), "NPU_RT_OK");
  EXPECT_STREQ(npu_rt_status_string(NPU_RT_BUDGET_MISMATCH),
               "NPU_RT_BUDGET_MISMATCH");
  EXPECT_STREQ(npu_rt_status_string(static_cast<npu_rt_status>(15)),
               "unknown status");
  EXPECT_STREQ(npu_rt_engine_name(2), "mac");
  EXPECT_STREQ(npu_rt_engine_name(7), "?");
  EXPECT_EQ(npu_rt_format_version(), kFormatVersion);
}

//===----------------------------------------------------------------------===//
// Report helpers
//===----------------------------------------------------------------------===//

TEST(Report, MicrosecondsAreExact) {
  EXPECT_EQ(report::picosecondsAsMicroseconds(0, 1000), "0");
  EXPECT_EQ(report::picosecondsAsMicroseconds(1, 1000), "0.001");
  EXPECT_EQ(report::picosecondsAsMicroseconds(1026, 1000), "1.026");
  EXPECT_EQ(report::picosecondsAsMicroseconds(3, 800), "0.0024");
  EXPECT_EQ(report::picosecondsAsMicroseconds(5000000, 1000), "5000");
  // Past 64 bits of picoseconds.
  EXPECT_EQ(report::picosecondsAsMicroseconds(INT64_MAX, 1000),
            "9223372036854775.807");
}

TEST(Report, JsonStringsAreEscapedAndValidUtf8) {
  EXPECT_EQ(report::jsonString("a\"b\\c\n"), "\"a\\\"b\\\\c\\u000a\"");
  EXPECT_EQ(report::jsonString("caf\xc3\xa9"), "\"caf\xc3\xa9\"");
  EXPECT_EQ(report::jsonString("\xff\xc3"), "\"\\ufffd\\ufffd\"");
  EXPECT_EQ(report::jsonString("\xed\xa0\x80"),
            "\"\\ufffd\\ufffd\\ufffd\""); // A surrogate.
}

} // namespace
