//===- CompileONNXTest.cpp - npu::compileONNX -----------------------------===//
//
// Builds a tiny ONNX model byte by byte (the protobuf wire format of
// onnx.proto, so the test needs neither libonnx nor Python), compiles it
// with npu::compileONNX, runs the binary on the simulator and compares the
// output with the same arithmetic done here: y = relu(x @ w + b), x of shape
// [N, 4] with a symbolic N fixed by CompileOptions::inputShapes.
//
//===----------------------------------------------------------------------===//

#include "npu/Compiler/Compiler.h"

#include "RunBinary.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

using npu::CompileOptions;
using npu::CompileResult;
using npu::test::runBinary;
using npu::test::RunOutcome;

namespace {

/// A protobuf message under construction.
class Message {
public:
  /// A varint field (wire type 0).
  Message &add(int field, uint64_t value) {
    key(field, 0);
    varint(value);
    return *this;
  }
  /// A bytes, string or embedded message field (wire type 2).
  Message &add(int field, const std::string &bytes) {
    key(field, 2);
    varint(bytes.size());
    out += bytes;
    return *this;
  }
  Message &add(int field, const char *text) {
    return add(field, std::string(text));
  }
  Message &add(int field, const Message &message) {
    return add(field, message.out);
  }
  const std::string &bytes() const { return out; }

private:
  void key(int field, int wireType) {
    varint(static_cast<uint64_t>(field) << 3 | wireType);
  }
  void varint(uint64_t value) {
    do {
      uint8_t byte = value & 0x7f;
      value >>= 7;
      out.push_back(static_cast<char>(byte | (value ? 0x80 : 0)));
    } while (value);
  }
  std::string out;
};

// Field numbers and enum values of onnx.proto (ONNX 1.12).
enum : int {
  kModelIrVersion = 1,
  kModelProducerName = 2,
  kModelGraph = 7,
  kModelOpsetImport = 8,
  kOpsetDomain = 1,
  kOpsetVersion = 2,
  kGraphNode = 1,
  kGraphName = 2,
  kGraphInitializer = 5,
  kGraphInput = 11,
  kGraphOutput = 12,
  kNodeInput = 1,
  kNodeOutput = 2,
  kNodeName = 3,
  kNodeOpType = 4,
  kTensorDims = 1,
  kTensorDataType = 2,
  kTensorName = 8,
  kTensorRawData = 9,
  kValueInfoName = 1,
  kValueInfoType = 2,
  kTypeTensorType = 1,
  kTypeTensorElemType = 1,
  kTypeTensorShape = 2,
  kShapeDim = 1,
  kDimValue = 1,
  kDimParam = 2,
  kFloat = 1,
};

Message node(const char *opType, const char *name,
             std::vector<const char *> inputs, const char *output) {
  Message m;
  for (const char *input : inputs)
    m.add(kNodeInput, input);
  m.add(kNodeOutput, output).add(kNodeName, name).add(kNodeOpType, opType);
  return m;
}

Message initializer(const char *name, std::vector<int64_t> dims,
                    const std::vector<float> &values) {
  Message m;
  for (int64_t d : dims)
    m.add(kTensorDims, static_cast<uint64_t>(d));
  m.add(kTensorDataType, kFloat).add(kTensorName, name);
  std::string raw(values.size() * sizeof(float), '\0');
  std::memcpy(raw.data(), values.data(), raw.size()); // little-endian host
  m.add(kTensorRawData, raw);
  return m;
}

/// A float tensor value; a dimension < 0 is the symbolic dimension "N".
Message valueInfo(const char *name, std::vector<int64_t> dims) {
  Message shape;
  for (int64_t d : dims)
    shape.add(kShapeDim,
              d < 0 ? Message().add(kDimParam, "N")
                    : Message().add(kDimValue, static_cast<uint64_t>(d)));
  Message tensor;
  tensor.add(kTypeTensorElemType, kFloat).add(kTypeTensorShape, shape);
  return Message()
      .add(kValueInfoName, name)
      .add(kValueInfoType, Message().add(kTypeTensorType, tensor));
}

const std::vector<float> kW = {0.5f, -1.0f, 2.0f,  1.0f,  0.0f, -0.5f,
                               1.5f, 1.0f,  -1.0f, -2.0f, 0.5f, 1.0f};
const std::vector<float> kB = {1.0f, -2.0f, 0.5f};

/// y = Relu(MatMul(x, w) + b) with x: [N, 4], w: [4, 3], b: [3], y: [N, 3].
std::vector<uint8_t> tinyModel() {
  Message graph;
  graph.add(kGraphNode, node("MatMul", "matmul", {"x", "w"}, "xw"))
      .add(kGraphNode, node("Add", "add", {"xw", "b"}, "xwb"))
      .add(kGraphNode, node("Relu", "relu", {"xwb"}, "y"))
      .add(kGraphName, "tiny")
      .add(kGraphInitializer, initializer("w", {4, 3}, kW))
      .add(kGraphInitializer, initializer("b", {3}, kB))
      .add(kGraphInput, valueInfo("x", {-1, 4}))
      .add(kGraphOutput, valueInfo("y", {-1, 3}));
  Message model;
  model.add(kModelIrVersion, 8)
      .add(kModelProducerName, "npu-compile-onnx-test")
      .add(kModelGraph, graph)
      .add(kModelOpsetImport,
           Message().add(kOpsetDomain, "").add(kOpsetVersion, 13));
  const std::string &bytes = model.bytes();
  return std::vector<uint8_t>(bytes.begin(), bytes.end());
}

std::vector<float> reference(const std::vector<float> &x, int64_t rows) {
  std::vector<float> y(rows * 3);
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < 3; ++c) {
      float sum = kB[c];
      for (int64_t k = 0; k < 4; ++k)
        sum += x[r * 4 + k] * kW[k * 3 + c];
      y[r * 3 + c] = sum > 0 ? sum : 0;
    }
  return y;
}

std::string errorText(llvm::Expected<CompileResult> &result) {
  if (result)
    return std::string();
  return llvm::toString(result.takeError());
}

TEST(CompileONNX, TinyModelRunsOnTheSimulator) {
  // Values whose products and sums are exact in f32: the simulator must
  // give the reference bit for bit.
  const std::vector<float> x = {1, 2, -1, 0.5f, -2, 1, 3, -1};
  struct Target {
    const char *system;
    int64_t chip;
  };
  for (Target target : {Target{"single", 0}, Target{"e1-package", 1}}) {
    SCOPED_TRACE(target.system);
    CompileOptions options;
    options.system = target.system;
    options.chip = target.chip;
    options.inputShapes = {{"x", {2, 4}}};
    llvm::Expected<CompileResult> result =
        npu::compileONNX(tinyModel(), options, "tiny.onnx");
    ASSERT_TRUE(static_cast<bool>(result)) << errorText(result);
    ASSERT_EQ(result->budgets.size(), 1u);
    EXPECT_EQ(result->budgets[0].chip, target.chip);

    RunOutcome run = runBinary(result->binary, {{"x", x}}, "y");
    ASSERT_TRUE(run.error.empty()) << run.error;
    std::vector<float> expected = reference(x, 2);
    ASSERT_EQ(run.output.size(), expected.size());
    for (size_t i = 0; i < expected.size(); ++i)
      EXPECT_EQ(run.output[i], expected[i]) << "y[" << i << "]";
  }
}

TEST(CompileONNX, SymbolicDimensionNeedsAShape) {
  testing::internal::CaptureStderr();
  llvm::Expected<CompileResult> result =
      npu::compileONNX(tinyModel(), CompileOptions(), "tiny.onnx");
  std::string message = errorText(result);
  EXPECT_EQ(testing::internal::GetCapturedStderr(), "");
  EXPECT_FALSE(message.empty());
  EXPECT_NE(message.find("'x'"), std::string::npos) << message;
}

TEST(CompileONNX, MalformedBytesAreAnError) {
  std::vector<uint8_t> bytes = tinyModel();
  bytes.resize(bytes.size() / 2);
  testing::internal::CaptureStderr();
  llvm::Expected<CompileResult> result =
      npu::compileONNX(bytes, CompileOptions(), "truncated.onnx");
  std::string message = errorText(result);
  EXPECT_EQ(testing::internal::GetCapturedStderr(), "");
  EXPECT_NE(message.find("truncated.onnx"), std::string::npos) << message;
}

} // namespace
