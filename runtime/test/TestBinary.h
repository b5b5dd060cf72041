//===- TestBinary.h - Assemble .npub binaries in runtime tests --*- C++ -*-===//
//
// A small assembler over the generated FlatBufferBuilder API: tests write a
// program one instruction per call, in npuisa order and with the npuisa
// operand names, and get the bytes of a .npub file. Fixed-length operands
// are plain vectors so that tests can also write malformed binaries.
//
//===----------------------------------------------------------------------===//

#ifndef NPU_RT_TEST_TESTBINARY_H
#define NPU_RT_TEST_TESTBINARY_H

#include "npu/rt/Cost.h"
#include "npu/rt/Model.h"
#include "npu/rt/Simulator.h"
#include "npu/rt/Target.h"
#include "npu/rt/npub_generated.h"

#include <cstring>
#include <string>
#include <vector>

namespace npu::rt::test {

using Ints = std::vector<int64_t>;

/// Operands of a conv tile; defaults are a 1x1 kernel with no padding.
struct ConvArgs {
  int64_t input = 0, weight = 0, output = 0, channels = 1;
  Ints inHw = {1, 1};
  int64_t outChannels = 1;
  Ints outHw = {1, 1}, outRows = {0, 1}, kernel = {1, 1}, strides = {1, 1};
  Ints pads = {0, 0, 0, 0}, dilations = {1, 1};
  cost::DType dtype = cost::DType::F32;
};

/// Operands of a pooling instruction.
struct PoolArgs {
  cost::PoolOp kind = cost::PoolOp::Max;
  int64_t src = 0, dst = 0, channels = 1;
  Ints inHw = {1, 1}, outHw = {1, 1}, kernel = {1, 1}, strides = {1, 1};
  Ints pads = {0, 0, 0, 0}, dilations = {1, 1};
  cost::DType dtype = cost::DType::F32;
  bool countIncludePad = false;
};

/// Operands of a vector instruction; `hasB` with `b` and `bBcast` for the
/// binary operations.
struct VectorArgs {
  cost::VectorOp kind = cost::VectorOp::Copy;
  int64_t a = 0;
  bool hasB = false;
  int64_t b = 0;
  Ints bBcast;
  int64_t dst = 0, count = 1;
  cost::DType dtype = cost::DType::F32;
  float alpha = 0, beta = 0;
};

/// Builds one .npub file: the system, signatures, then programs in order.
class BinaryBuilder {
public:
  explicit BinaryBuilder(SystemDesc system, std::string modelName = "test");

  BinaryBuilder &input(const std::string &name, cost::DType dtype, Ints shape);
  BinaryBuilder &output(const std::string &name, cost::DType dtype, Ints shape);

  /// Starts the next program; instructions, segments and budgets go to it.
  BinaryBuilder &program(const std::string &name, int64_t chip);

  BinaryBuilder &halt();
  BinaryBuilder &loadInput(uint32_t input, int64_t offset, int64_t dram,
                           int64_t bytes);
  BinaryBuilder &storeOutput(uint32_t output, int64_t offset, int64_t dram,
                             int64_t bytes);
  BinaryBuilder &dmaIn(int64_t dram, int64_t sram, int64_t rows,
                       int64_t rowBytes, Ints strides);
  /// One-row dma_in of `bytes` bytes.
  BinaryBuilder &dmaIn(int64_t dram, int64_t sram, int64_t bytes) {
    return dmaIn(dram, sram, 1, bytes, {bytes, bytes});
  }
  BinaryBuilder &dmaOut(int64_t sram, int64_t dram, int64_t rows,
                        int64_t rowBytes, Ints strides);
  /// One-row dma_out of `bytes` bytes.
  BinaryBuilder &dmaOut(int64_t sram, int64_t dram, int64_t bytes) {
    return dmaOut(sram, dram, 1, bytes, {bytes, bytes});
  }
  BinaryBuilder &send(int64_t sram, int64_t bytes, int64_t chip,
                      int64_t channel);
  BinaryBuilder &recv(int64_t sram, int64_t bytes, int64_t chip,
                      int64_t channel);
  BinaryBuilder &matmul(int64_t a, int64_t b, int64_t c, int64_t m, int64_t k,
                        int64_t n, Ints lds, cost::DType dtype,
                        bool accumulate);
  BinaryBuilder &conv(const ConvArgs &args);
  BinaryBuilder &vector(const VectorArgs &args);
  /// A unary vector operation.
  BinaryBuilder &vector(cost::VectorOp kind, int64_t a, int64_t dst,
                        int64_t count, cost::DType dtype = cost::DType::F32,
                        float alpha = 0, float beta = 0);
  BinaryBuilder &fill(int64_t dst, int64_t count, float value,
                      cost::DType dtype = cost::DType::F32);
  BinaryBuilder &reduce(cost::ReduceOp kind, int64_t src, int64_t dst,
                        Ints shape, cost::DType dtype = cost::DType::F32);
  BinaryBuilder &pool(const PoolArgs &args);
  BinaryBuilder &copy(int64_t src, int64_t dst, Ints shape, Ints srcStrides,
                      Ints dstStrides, cost::DType dtype = cost::DType::F32);
  BinaryBuilder &resize(cost::ResizeMode kind, int64_t src, int64_t dst,
                        int64_t channels, Ints inHw, Ints outHw, Ints modes,
                        cost::DType dtype = cost::DType::F32);
  BinaryBuilder &signal(int64_t token, cost::Engine engine);
  BinaryBuilder &wait(int64_t token, cost::Engine engine);
  BinaryBuilder &exitCheck(int64_t src, int64_t classes, cost::DType dtype,
                           cost::ConfidenceMeasure measure, float threshold,
                           uint32_t exitPathLength);
  BinaryBuilder &escalate(int64_t chip);
  /// Any table built with fbb(), e.g. with out-of-range enum values.
  BinaryBuilder &raw(fb::Instr type, flatbuffers::Offset<void> table);

  /// The model's early-exit table (Model.early_exit).
  BinaryBuilder &earlyExit(const EarlyExit &table);
  /// Any early-exit table built with fbb(), e.g. with bad enum codes.
  BinaryBuilder &earlyExit(flatbuffers::Offset<fb::EarlyExit> table);

  BinaryBuilder &segment(int64_t dram, std::vector<uint8_t> data);
  BinaryBuilder &budget(const std::string &path, int64_t cycles,
                        Ints engineBusy, int64_t hostBytes = 0,
                        int64_t dramBytes = 0, int64_t linkBytes = 0,
                        int64_t peakSramBytes = 0, int64_t energyFj = 0,
                        int64_t peakDramBytes = 0, bool standby = false);

  /// One entry of the program's checkpoint table, as given.
  BinaryBuilder &checkpoint(const Checkpoint &entry);

  flatbuffers::FlatBufferBuilder &fbb() { return builder; }

  /// The finished file. `version` defaults to the runtime's.
  std::vector<uint8_t> finish(uint32_t version = kFormatVersion);

private:
  flatbuffers::FlatBufferBuilder builder;
  SystemDesc system;
  std::string modelName;
  std::vector<flatbuffers::Offset<fb::Tensor>> inputs, outputs;
  std::vector<flatbuffers::Offset<fb::Program>> programs;
  bool inProgram = false;
  std::string programName;
  int64_t programChip = 0;
  std::vector<fb::Instr> types;
  std::vector<flatbuffers::Offset<void>> values;
  std::vector<flatbuffers::Offset<fb::Segment>> segments;
  std::vector<flatbuffers::Offset<fb::Budget>> budgets;
  std::vector<flatbuffers::Offset<fb::Checkpoint>> checkpoints;
  flatbuffers::Offset<fb::EarlyExit> earlyExitTable;

  void endProgram();
  BinaryBuilder &add(fb::Instr type, flatbuffers::Offset<void> table) {
    types.push_back(type);
    values.push_back(table);
    return *this;
  }
};

/// The preset named `name` (asserts that it exists).
SystemDesc preset(const char *name);

/// Loads bytes that must be a valid model; fails the test otherwise.
Model mustLoad(const std::vector<uint8_t> &bytes);

/// Little-endian bytes of f32 values, and back.
std::vector<uint8_t> floatBytes(const std::vector<float> &values);
std::vector<float> bytesToFloats(const std::vector<uint8_t> &bytes);

template <typename T> std::vector<uint8_t> rawBytes(const std::vector<T> &v) {
  std::vector<uint8_t> bytes(v.size() * sizeof(T));
  if (!v.empty())
    std::memcpy(bytes.data(), v.data(), bytes.size());
  return bytes;
}
template <typename T> std::vector<T> fromBytes(const std::vector<uint8_t> &b) {
  std::vector<T> v(b.size() / sizeof(T));
  if (!v.empty())
    std::memcpy(v.data(), b.data(), v.size() * sizeof(T));
  return v;
}

} // namespace npu::rt::test

#endif // NPU_RT_TEST_TESTBINARY_H
