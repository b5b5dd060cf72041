//===- SimulatorKernelTest.cpp - Functional results of the simulator ------===//
//
// Each compute instruction runs in a real program (host -> DRAM -> SRAM,
// the instruction, SRAM -> DRAM -> host) and its result is compared with a
// reference computed here by plain loops, independently of the kernels.
//
//===----------------------------------------------------------------------===//

#include "TestBinary.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>

using namespace npu::rt;
using namespace npu::rt::test;
using cost::ConfidenceMeasure;
using cost::DType;
using cost::Engine;
using cost::PoolOp;
using cost::ReduceOp;
using cost::ResizeMode;
using cost::VectorOp;

namespace {

/// Places operands in SRAM through the host and DMA, runs the instructions
/// a test emits, and returns an SRAM range through DMA and the host.
class Harness {
public:
  /// Puts `bytes` at SRAM offset `sram` before the instructions run.
  void place(int64_t sram, std::vector<uint8_t> bytes) {
    operands.push_back({sram, std::move(bytes)});
  }
  void placeFloats(int64_t sram, const std::vector<float> &values) {
    place(sram, floatBytes(values));
  }

  /// Runs `emit` and returns `outBytes` bytes read back from SRAM `outSram`.
  std::vector<uint8_t> run(const std::function<void(BinaryBuilder &)> &emit,
                           int64_t outSram, int64_t outBytes,
                           const char *system = "single") {
    BinaryBuilder b(preset(system));
    TensorMap inputs;
    for (size_t i = 0; i < operands.size(); ++i) {
      std::string name = "in" + std::to_string(i);
      b.input(name, DType::UI8,
              {static_cast<int64_t>(operands[i].bytes.size())});
      inputs[name] = operands[i].bytes;
    }
    b.output("out", DType::UI8, {outBytes});
    b.program("p", 0);
    int64_t dram = 0;
    for (size_t i = 0; i < operands.size(); ++i) {
      int64_t n = static_cast<int64_t>(operands[i].bytes.size());
      b.loadInput(static_cast<uint32_t>(i), 0, dram, n);
      b.dmaIn(dram, operands[i].sram, n);
      dram += (n + 63) / 64 * 64;
    }
    b.signal(0, Engine::DmaIn).wait(0, Engine::Mac);
    b.signal(1, Engine::DmaIn).wait(1, Engine::Vector);
    emit(b);
    b.signal(2, Engine::Mac).signal(3, Engine::Vector);
    b.wait(2, Engine::DmaOut).wait(3, Engine::DmaOut);
    b.dmaOut(outSram, dram, outBytes).storeOutput(0, 0, dram, outBytes);
    b.halt();
    model = mustLoad(b.finish());
    result = Simulator(model).run(inputs);
    EXPECT_TRUE(result.ok) << result.error;
    if (!result.ok)
      return {};
    return result.outputs.at("out");
  }

  std::vector<float> runFloats(const std::function<void(BinaryBuilder &)> &emit,
                               int64_t outSram, int64_t count) {
    return bytesToFloats(run(emit, outSram, count * 4));
  }

  Model model;
  RunResult result;

private:
  struct Operand {
    int64_t sram;
    std::vector<uint8_t> bytes;
  };
  std::vector<Operand> operands;
};

/// Deterministic test values in [lo, hi).
std::vector<float> values(size_t n, float lo, float hi, uint32_t seed) {
  std::vector<float> v(n);
  uint32_t state = seed * 2654435761u + 12345u;
  for (float &x : v) {
    state = state * 1664525u + 1013904223u;
    x = lo + (hi - lo) * static_cast<float>(state >> 8) / 16777216.0f;
  }
  return v;
}

void expectClose(const std::vector<float> &got, const std::vector<double> &want,
                 double tolerance, const std::string &what) {
  ASSERT_EQ(got.size(), want.size()) << what;
  for (size_t i = 0; i < got.size(); ++i) {
    if (std::isnan(want[i])) {
      EXPECT_TRUE(std::isnan(got[i])) << what << " [" << i << "]";
      continue;
    }
    EXPECT_NEAR(got[i], want[i], tolerance * std::max(1.0, std::abs(want[i])))
        << what << " [" << i << "]";
  }
}

/// bf16 is the upper half of an f32 (exact for the values used here).
uint16_t toBf16(float x) {
  uint32_t bits;
  std::memcpy(&bits, &x, 4);
  return static_cast<uint16_t>(bits >> 16);
}
float fromBf16(uint16_t h) {
  uint32_t bits = static_cast<uint32_t>(h) << 16;
  float x;
  std::memcpy(&x, &bits, 4);
  return x;
}

//===----------------------------------------------------------------------===//
// MAC array
//===----------------------------------------------------------------------===//

TEST(SimulatorKernels, MatMulStridedAccumulate) {
  const int64_t m = 3, k = 4, n = 5, lda = 6, ldb = 7, ldc = 8;
  std::vector<float> a = values((m - 1) * lda + k, -1, 1, 1);
  std::vector<float> b = values((k - 1) * ldb + n, -1, 1, 2);
  std::vector<float> c = values((m - 1) * ldc + n, -1, 1, 3);
  for (bool accumulate : {false, true}) {
    Harness h;
    h.placeFloats(0, a);
    h.placeFloats(256, b);
    h.placeFloats(512, c);
    std::vector<float> got = h.runFloats(
        [&](BinaryBuilder &bb) {
          bb.matmul(0, 256, 512, m, k, n, {lda, ldb, ldc}, DType::F32,
                    accumulate);
        },
        512, static_cast<int64_t>(c.size()));
    // Rows of C beyond n (the stride gap) keep their values.
    std::vector<double> want(c.begin(), c.end());
    for (int64_t i = 0; i < m; ++i)
      for (int64_t j = 0; j < n; ++j) {
        double sum = accumulate ? c[i * ldc + j] : 0.0;
        for (int64_t p = 0; p < k; ++p)
          sum += double(a[i * lda + p]) * double(b[p * ldb + j]);
        want[i * ldc + j] = sum;
      }
    expectClose(got, want, 1e-5, accumulate ? "accumulate" : "overwrite");
  }
}

TEST(SimulatorKernels, MatMulInt8AccumulatesInInt32) {
  const int64_t m = 2, k = 3, n = 2;
  std::vector<int8_t> a = {127, -128, 100, -7, 55, -100};
  std::vector<int8_t> b = {127, -128, 127, 3, -128, 127};
  std::vector<int32_t> c = {1000, -1000, 7, 1 << 30};
  Harness h;
  h.place(0, rawBytes(a));
  h.place(64, rawBytes(b));
  h.place(128, rawBytes(c));
  std::vector<int32_t> got = fromBytes<int32_t>(h.run(
      [&](BinaryBuilder &bb) {
        bb.matmul(0, 64, 128, m, k, n, {k, n, n}, DType::I8, true);
      },
      128, 16));
  ASSERT_EQ(got.size(), 4u);
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < n; ++j) {
      int64_t sum = c[i * n + j];
      for (int64_t p = 0; p < k; ++p)
        sum += int64_t(a[i * k + p]) * int64_t(b[p * n + j]);
      EXPECT_EQ(got[i * n + j], static_cast<int32_t>(sum)) << i << "," << j;
    }
}

TEST(SimulatorKernels, MatMulUint8) {
  std::vector<uint8_t> a = {255, 0, 200, 1};
  std::vector<uint8_t> b = {255, 2, 100, 3};
  Harness h;
  h.place(0, a);
  h.place(64, b);
  std::vector<int32_t> got = fromBytes<int32_t>(h.run(
      [&](BinaryBuilder &bb) {
        bb.matmul(0, 64, 128, 2, 2, 2, {2, 2, 2}, DType::UI8, false);
      },
      128, 16));
  // [255 0; 200 1] * [255 2; 100 3].
  EXPECT_EQ(got, (std::vector<int32_t>{65025, 510, 51100, 403}));
}

TEST(SimulatorKernels, MatMulBf16) {
  std::vector<float> av = {1.5f, -2.25f, 0.5f, 4.0f};
  std::vector<float> bv = {2.0f, -1.0f, 0.75f, 3.0f};
  std::vector<uint16_t> a, b;
  for (float x : av)
    a.push_back(toBf16(x));
  for (float x : bv)
    b.push_back(toBf16(x));
  Harness h;
  h.place(0, rawBytes(a));
  h.place(64, rawBytes(b));
  std::vector<float> got = h.runFloats(
      [&](BinaryBuilder &bb) {
        bb.matmul(0, 64, 128, 2, 2, 2, {2, 2, 2}, DType::BF16, false);
      },
      128, 4);
  // f32 accumulators: [1.5 -2.25; 0.5 4] * [2 -1; 0.75 3].
  expectClose(got, {3.0 - 1.6875, -1.5 - 6.75, 1.0 + 3.0, -0.5 + 12.0}, 1e-6,
              "bf16");
}

TEST(SimulatorKernels, ConvTileWithPaddingStrideDilation) {
  const int64_t C = 2, H = 7, W = 6, OC = 3, KH = 3, KW = 2;
  const int64_t sh = 2, sw = 1, dh = 1, dw = 2;
  const int64_t top = 1, left = 0, bottom = 2, right = 1;
  const int64_t OH = cost::windowOutputSize(H, KH, sh, top, bottom, dh, false);
  const int64_t OW = cost::windowOutputSize(W, KW, sw, left, right, dw, false);
  ASSERT_EQ(OH, 4); // floor((7 + 3 - 2 - 1) / 2) + 1
  ASSERT_EQ(OW, 5); // floor((6 + 1 - 2 - 1) / 1) + 1
  const int64_t r0 = 1, rows = 2;
  std::vector<float> input = values(C * H * W, -1, 1, 4);
  std::vector<float> weight = values(OC * C * KH * KW, -1, 1, 5);
  std::vector<float> sentinel(OC * OH * OW, 99.0f);
  Harness h;
  h.placeFloats(0, input);
  h.placeFloats(1024, weight);
  h.placeFloats(2048, sentinel);
  ConvArgs args;
  args.input = 0;
  args.weight = 1024;
  args.output = 2048;
  args.channels = C;
  args.inHw = {H, W};
  args.outChannels = OC;
  args.outHw = {OH, OW};
  args.outRows = {r0, rows};
  args.kernel = {KH, KW};
  args.strides = {sh, sw};
  args.pads = {top, left, bottom, right};
  args.dilations = {dh, dw};
  std::vector<float> got = h.runFloats(
      [&](BinaryBuilder &bb) { bb.conv(args); }, 2048, OC * OH * OW);
  std::vector<double> want(sentinel.begin(), sentinel.end());
  for (int64_t oc = 0; oc < OC; ++oc)
    for (int64_t oy = r0; oy < r0 + rows; ++oy)
      for (int64_t ox = 0; ox < OW; ++ox) {
        double sum = 0;
        for (int64_t c = 0; c < C; ++c)
          for (int64_t ky = 0; ky < KH; ++ky)
            for (int64_t kx = 0; kx < KW; ++kx) {
              int64_t iy = oy * sh - top + ky * dh;
              int64_t ix = ox * sw - left + kx * dw;
              if (iy < 0 || iy >= H || ix < 0 || ix >= W)
                continue;
              sum += double(input[(c * H + iy) * W + ix]) *
                     double(weight[((oc * C + c) * KH + ky) * KW + kx]);
            }
        want[(oc * OH + oy) * OW + ox] = sum;
      }
  expectClose(got, want, 1e-5, "conv");
}

TEST(SimulatorKernels, ConvInt8) {
  // 1 channel 3x3 input, 2 output channels, 2x2 kernel, no padding.
  std::vector<int8_t> input = {1, -2, 3, -4, 5, -6, 7, -8, 127};
  std::vector<int8_t> weight = {1, 1, 1, 1, -128, 2, 3, 4};
  Harness h;
  h.place(0, rawBytes(input));
  h.place(64, rawBytes(weight));
  ConvArgs args;
  args.input = 0;
  args.weight = 64;
  args.output = 128;
  args.channels = 1;
  args.inHw = {3, 3};
  args.outChannels = 2;
  args.outHw = {2, 2};
  args.outRows = {0, 2};
  args.kernel = {2, 2};
  args.dtype = DType::I8;
  std::vector<int32_t> got = fromBytes<int32_t>(
      h.run([&](BinaryBuilder &bb) { bb.conv(args); }, 128, 2 * 2 * 2 * 4));
  std::vector<int32_t> want;
  for (int oc = 0; oc < 2; ++oc)
    for (int oy = 0; oy < 2; ++oy)
      for (int ox = 0; ox < 2; ++ox) {
        int32_t sum = 0;
        for (int ky = 0; ky < 2; ++ky)
          for (int kx = 0; kx < 2; ++kx)
            sum +=
                input[(oy + ky) * 3 + ox + kx] * weight[oc * 4 + ky * 2 + kx];
        want.push_back(sum);
      }
  EXPECT_EQ(got, want);
}

//===----------------------------------------------------------------------===//
// Vector unit
//===----------------------------------------------------------------------===//

struct VectorCase {
  VectorOp op;
  const char *name;
  std::function<double(double, double)> ref; ///< (a, b) -> result.
  float alpha = 0, beta = 0;
};

double sigmoid(double x) { return 1 / (1 + std::exp(-x)); }

TEST(SimulatorKernels, EveryVectorOpWithBroadcast) {
  const int64_t count = 12, period = 3, repeat = 2;
  std::vector<float> a = values(count, -3, 3, 6);
  a[0] = 0.25f; // positive base for pow with a fractional exponent
  std::vector<float> b = {2.0f, 0.5f, -1.5f};
  const double kSqrt2OverPi = std::sqrt(2.0 / 3.14159265358979323846);
  std::vector<VectorCase> cases = {
      {VectorOp::Copy, "copy", [](double x, double) { return x; }},
      {VectorOp::Add, "add", [](double x, double y) { return x + y; }},
      {VectorOp::Sub, "sub", [](double x, double y) { return x - y; }},
      {VectorOp::Mul, "mul", [](double x, double y) { return x * y; }},
      {VectorOp::Div, "div", [](double x, double y) { return x / y; }},
      {VectorOp::Max, "max", [](double x, double y) { return std::max(x, y); }},
      {VectorOp::Min, "min", [](double x, double y) { return std::min(x, y); }},
      {VectorOp::Pow, "pow", [](double x, double y) { return std::pow(x, y); }},
      {VectorOp::Relu, "relu", [](double x, double) { return x > 0 ? x : 0; }},
      {VectorOp::LeakyRelu, "leaky_relu",
       [](double x, double) { return x >= 0 ? x : 0.1 * x; }, 0.1f},
      {VectorOp::Sigmoid, "sigmoid",
       [](double x, double) { return sigmoid(x); }},
      {VectorOp::HardSigmoid, "hard_sigmoid",
       [](double x, double) {
         return std::max(0.0, std::min(1.0, 0.2 * x + 0.5));
       },
       0.2f, 0.5f},
      {VectorOp::HardSwish, "hard_swish",
       [](double x, double) {
         return x * std::max(0.0, std::min(1.0, x / 6 + 0.5));
       }},
      {VectorOp::Tanh, "tanh", [](double x, double) { return std::tanh(x); }},
      {VectorOp::Clip, "clip",
       [](double x, double) { return std::max(-1.0, std::min(1.5, x)); }, -1.0f,
       1.5f},
      {VectorOp::Gelu, "gelu (erf)",
       [](double x, double) {
         return 0.5 * x * (1 + std::erf(x / std::sqrt(2.0)));
       }},
      {VectorOp::Gelu, "gelu (tanh)",
       [kSqrt2OverPi](double x, double) {
         return 0.5 * x *
                (1 + std::tanh(kSqrt2OverPi * (x + 0.044715 * x * x * x)));
       },
       1.0f},
      {VectorOp::Exp, "exp", [](double x, double) { return std::exp(x); }},
      {VectorOp::Sqrt, "sqrt", [](double x, double) { return std::sqrt(x); }},
  };
  for (const VectorCase &vc : cases) {
    bool binary = vc.op == VectorOp::Add || vc.op == VectorOp::Sub ||
                  vc.op == VectorOp::Mul || vc.op == VectorOp::Div ||
                  vc.op == VectorOp::Max || vc.op == VectorOp::Min ||
                  vc.op == VectorOp::Pow;
    Harness h;
    h.placeFloats(0, a);
    h.placeFloats(256, b);
    VectorArgs args;
    args.kind = vc.op;
    args.a = 0;
    if (binary) {
      args.hasB = true;
      args.b = 256;
      args.bBcast = {period, repeat};
    }
    args.dst = 512;
    args.count = count;
    args.alpha = vc.alpha;
    args.beta = vc.beta;
    std::vector<float> got =
        h.runFloats([&](BinaryBuilder &bb) { bb.vector(args); }, 512, count);
    std::vector<double> want;
    for (int64_t i = 0; i < count; ++i) {
      // b index (i / repeat) % period.
      double bi = binary ? b[(i / repeat) % period] : 0.0;
      want.push_back(vc.ref(a[i], bi));
    }
    expectClose(got, want, 2e-6, vc.name);
  }
}

TEST(SimulatorKernels, ScalarBroadcastInPlace) {
  Harness h;
  h.placeFloats(0, {1, 2, 3, 4, 5});
  h.placeFloats(64, {10});
  VectorArgs args;
  args.kind = VectorOp::Add;
  args.a = 0;
  args.hasB = true;
  args.b = 64;
  args.bBcast = {1, 1};
  args.dst = 0;
  args.count = 5;
  std::vector<float> got =
      h.runFloats([&](BinaryBuilder &bb) { bb.vector(args); }, 0, 5);
  EXPECT_EQ(got, (std::vector<float>{11, 12, 13, 14, 15}));
}

TEST(SimulatorKernels, QuantizeRoundsHalfToEvenAndSaturates) {
  // alpha (scale) 0.5, beta (zero point) 3: q = sat(rhe(x / 0.5) + 3).
  std::vector<float> x = {0.25f,  0.75f,   -0.25f, 1.0f,
                          100.0f, -100.0f, 1.25f,  -1.75f};
  Harness h;
  h.placeFloats(0, x);
  std::vector<int8_t> got = fromBytes<int8_t>(h.run(
      [&](BinaryBuilder &bb) {
        bb.vector(VectorOp::Quantize, 0, 64, 8, DType::I8, 0.5f, 3.0f);
      },
      64, 8));
  // x / 0.5 = 0.5, 1.5, -0.5, 2, 200, -200, 2.5, -3.5 -> rhe 0, 2, -0, 2,
  // 200, -200, 2, -4 -> + 3 -> 3, 5, 3, 5, 127 (sat), -128 (sat), 5, -1.
  EXPECT_EQ(got, (std::vector<int8_t>{3, 5, 3, 5, 127, -128, 5, -1}));

  Harness hu;
  hu.placeFloats(0, x);
  std::vector<uint8_t> gotU = hu.run(
      [&](BinaryBuilder &bb) {
        bb.vector(VectorOp::Quantize, 0, 64, 8, DType::UI8, 0.5f, 3.0f);
      },
      64, 8);
  EXPECT_EQ(gotU, (std::vector<uint8_t>{3, 5, 3, 5, 203, 0, 5, 0}));
}

TEST(SimulatorKernels, Dequantize) {
  std::vector<int8_t> q = {-128, -1, 0, 7, 127};
  Harness h;
  h.place(0, rawBytes(q));
  std::vector<float> got = h.runFloats(
      [&](BinaryBuilder &bb) {
        bb.vector(VectorOp::Dequantize, 0, 64, 5, DType::I8, 0.25f, -2.0f);
      },
      64, 5);
  // (q - beta) * alpha = (q + 2) / 4.
  EXPECT_EQ(got, (std::vector<float>{-31.5f, 0.25f, 0.5f, 2.25f, 32.25f}));
}

TEST(SimulatorKernels, HalfPrecisionAdd) {
  // f16 bits: 1.0 = 0x3c00, 2.0 = 0x4000, 0.5 = 0x3800, -3.0 = 0xc200.
  std::vector<uint16_t> a = {0x3c00, 0x4000, 0x3800, 0xc200};
  std::vector<uint16_t> b = {0x3800};
  Harness h;
  h.place(0, rawBytes(a));
  h.place(64, rawBytes(b));
  VectorArgs args;
  args.kind = VectorOp::Add;
  args.a = 0;
  args.hasB = true;
  args.b = 64;
  args.bBcast = {1, 1};
  args.dst = 128;
  args.count = 4;
  args.dtype = DType::F16;
  std::vector<uint16_t> got = fromBytes<uint16_t>(
      h.run([&](BinaryBuilder &bb) { bb.vector(args); }, 128, 8));
  // 1.5 = 0x3e00, 2.5 = 0x4100, 1.0 = 0x3c00, -2.5 = 0xc100.
  EXPECT_EQ(got, (std::vector<uint16_t>{0x3e00, 0x4100, 0x3c00, 0xc100}));
}

TEST(SimulatorKernels, FillIntegerAndBf16) {
  Harness h;
  std::vector<uint8_t> out = h.run(
      [&](BinaryBuilder &bb) {
        bb.fill(0, 2, 2.5f, DType::I32).fill(8, 2, -300.0f, DType::I8);
        bb.fill(16, 2, -1.5f, DType::BF16);
      },
      0, 20);
  std::vector<int32_t> ints =
      fromBytes<int32_t>({out.begin(), out.begin() + 8});
  EXPECT_EQ(ints, (std::vector<int32_t>{2, 2})); // 2.5 rounds to even
  EXPECT_EQ(static_cast<int8_t>(out[8]), -128);
  std::vector<uint16_t> bf =
      fromBytes<uint16_t>({out.begin() + 16, out.begin() + 20});
  EXPECT_EQ(fromBf16(bf[0]), -1.5f);
  EXPECT_EQ(fromBf16(bf[1]), -1.5f);
}

TEST(SimulatorKernels, ReduceSumMaxMean) {
  const int64_t O = 2, R = 3, I = 4;
  std::vector<float> src = values(O * R * I, -2, 2, 7);
  for (ReduceOp op : {ReduceOp::Sum, ReduceOp::Max, ReduceOp::Mean}) {
    Harness h;
    h.placeFloats(0, src);
    std::vector<float> got = h.runFloats(
        [&](BinaryBuilder &bb) {
          bb.reduce(op, 0, 512, {O, R, I});
        },
        512, O * I);
    std::vector<double> want;
    for (int64_t o = 0; o < O; ++o)
      for (int64_t i = 0; i < I; ++i) {
        double sum = 0, best = -1e30;
        for (int64_t r = 0; r < R; ++r) {
          double v = src[(o * R + r) * I + i];
          sum += v;
          best = std::max(best, v);
        }
        want.push_back(op == ReduceOp::Sum   ? sum
                       : op == ReduceOp::Max ? best
                                             : sum / R);
      }
    expectClose(got, want, 1e-6, "reduce " + std::to_string(int(op)));
  }
}

//===----------------------------------------------------------------------===//
// Pooling, copy, resize
//===----------------------------------------------------------------------===//

/// ONNX pooling, written out directly.
std::vector<double> referencePool(const std::vector<float> &src,
                                  const PoolArgs &p) {
  const int64_t C = p.channels, H = p.inHw[0], W = p.inHw[1];
  const int64_t OH = p.outHw[0], OW = p.outHw[1];
  std::vector<double> out;
  for (int64_t c = 0; c < C; ++c)
    for (int64_t oy = 0; oy < OH; ++oy)
      for (int64_t ox = 0; ox < OW; ++ox) {
        double best = -std::numeric_limits<double>::infinity(), sum = 0;
        int64_t inside = 0, padded = 0;
        for (int64_t ky = 0; ky < p.kernel[0]; ++ky)
          for (int64_t kx = 0; kx < p.kernel[1]; ++kx) {
            int64_t y = oy * p.strides[0] - p.pads[0] + ky * p.dilations[0];
            int64_t x = ox * p.strides[1] - p.pads[1] + kx * p.dilations[1];
            if (y >= -p.pads[0] && y < H + p.pads[2] && x >= -p.pads[1] &&
                x < W + p.pads[3])
              ++padded;
            if (y < 0 || y >= H || x < 0 || x >= W)
              continue;
            ++inside;
            double v = src[(c * H + y) * W + x];
            best = std::max(best, v);
            sum += v;
          }
        if (p.kind == PoolOp::Max)
          out.push_back(best);
        else
          out.push_back(sum / double(p.countIncludePad ? padded : inside));
      }
  return out;
}

TEST(SimulatorKernels, PoolMaxAvgWithPads) {
  std::vector<float> src = values(2 * 5 * 5, -5, 5, 8);
  struct Case {
    PoolOp kind;
    bool includePad;
    const char *name;
  };
  for (Case pc :
       {Case{PoolOp::Max, false, "max"}, Case{PoolOp::Avg, false, "avg"},
        Case{PoolOp::Avg, true, "avg count_include_pad"}}) {
    PoolArgs p;
    p.kind = pc.kind;
    p.src = 0;
    p.dst = 1024;
    p.channels = 2;
    p.inHw = {5, 5};
    p.kernel = {3, 3};
    p.strides = {2, 2};
    p.pads = {1, 1, 1, 1};
    // floor((5 + 2 - 2 - 1) / 2) + 1 = 3.
    p.outHw = {3, 3};
    p.countIncludePad = pc.includePad;
    Harness h;
    h.placeFloats(0, src);
    std::vector<float> got =
        h.runFloats([&](BinaryBuilder &bb) { bb.pool(p); }, 1024, 2 * 3 * 3);
    expectClose(got, referencePool(src, p), 1e-6, pc.name);
  }
}

TEST(SimulatorKernels, PoolCeilModeAndDilation) {
  std::vector<float> src = values(1 * 6 * 7, -5, 5, 9);
  PoolArgs p;
  p.kind = PoolOp::Avg;
  p.src = 0;
  p.dst = 1024;
  p.channels = 1;
  p.inHw = {6, 7};
  p.kernel = {3, 2};
  p.strides = {2, 2};
  p.pads = {0, 1, 1, 0};
  p.dilations = {1, 2};
  // Rows: span 6 + 1 - 2 - 1 = 4: floor 3, ceil 3. Columns: span 7 + 1 - 2
  // - 1 = 5: floor 3, ceil ceil(5/2) + 1 = 4 ((4-1)*2 = 6 < 7 + 1 keeps it).
  ASSERT_EQ(cost::windowOutputSize(7, 2, 2, 1, 0, 2, true), 4);
  p.outHw = {3, 4};
  p.countIncludePad = true;
  Harness h;
  h.placeFloats(0, src);
  std::vector<float> got =
      h.runFloats([&](BinaryBuilder &bb) { bb.pool(p); }, 1024, 12);
  expectClose(got, referencePool(src, p), 1e-6, "avg ceil");
  p.kind = PoolOp::Max;
  Harness h2;
  h2.placeFloats(0, src);
  got = h2.runFloats([&](BinaryBuilder &bb) { bb.pool(p); }, 1024, 12);
  expectClose(got, referencePool(src, p), 0, "max ceil");
}

TEST(SimulatorKernels, CopyTranspose) {
  // A 3x4 matrix transposed into 4x3: dst[j][i] = src[i][j].
  std::vector<float> src = {0, 1, 2, 3, 10, 11, 12, 13, 20, 21, 22, 23};
  Harness h;
  h.placeFloats(0, src);
  std::vector<float> got = h.runFloats(
      [&](BinaryBuilder &bb) {
        bb.copy(0, 256, {1, 1, 3, 4}, {0, 0, 4, 1}, {0, 0, 1, 3});
      },
      256, 12);
  EXPECT_EQ(got,
            (std::vector<float>{0, 10, 20, 1, 11, 21, 2, 12, 22, 3, 13, 23}));
}

/// ONNX Resize of one [H, W] plane, written out directly.
std::vector<double> referenceResize(const std::vector<float> &src, int64_t H,
                                    int64_t W, int64_t OH, int64_t OW,
                                    bool linear, int64_t coordMode,
                                    int64_t nearestMode) {
  auto coord = [&](int64_t x, int64_t in, int64_t out) -> double {
    float scale = float(out) / float(in);
    switch (coordMode) {
    case 0:
      return (float(x) + 0.5f) / scale - 0.5f;
    case 1:
      return float(x) / scale;
    case 2:
      return out == 1 ? 0.0f : float(x) * float(in - 1) / float(out - 1);
    default:
      return out > 1 ? (float(x) + 0.5f) / scale - 0.5f : 0.0f;
    }
  };
  auto nearest = [&](double x, int64_t in) -> int64_t {
    double r;
    double fl = std::floor(x);
    bool half = x - fl == 0.5;
    switch (nearestMode) {
    case 0:
      r = half ? fl : std::round(x);
      break;
    case 1:
      r = half ? fl + 1 : std::round(x);
      break;
    case 2:
      r = fl;
      break;
    default:
      r = std::ceil(x);
    }
    return std::min<int64_t>(std::max<int64_t>(int64_t(r), 0), in - 1);
  };
  std::vector<double> out;
  for (int64_t y = 0; y < OH; ++y)
    for (int64_t x = 0; x < OW; ++x) {
      double sy = coord(y, H, OH), sx = coord(x, W, OW);
      if (!linear) {
        out.push_back(src[nearest(sy, H) * W + nearest(sx, W)]);
        continue;
      }
      sy = std::min(std::max(sy, 0.0), double(H - 1));
      sx = std::min(std::max(sx, 0.0), double(W - 1));
      int64_t y0 = int64_t(sy), x0 = int64_t(sx);
      int64_t y1 = std::min(y0 + 1, H - 1), x1 = std::min(x0 + 1, W - 1);
      double ly = sy - y0, lx = sx - x0;
      out.push_back((1 - ly) *
                        ((1 - lx) * src[y0 * W + x0] + lx * src[y0 * W + x1]) +
                    ly * ((1 - lx) * src[y1 * W + x0] + lx * src[y1 * W + x1]));
    }
  return out;
}

TEST(SimulatorKernels, ResizeNearestAndLinear) {
  const int64_t H = 2, W = 3, OH = 4, OW = 5;
  std::vector<float> src = {1, 2, 4, 8, 16, 32};
  struct Case {
    ResizeMode mode;
    int64_t coord, nearest;
  };
  for (Case rc : {Case{ResizeMode::Nearest, 1, 2},   // asymmetric, floor
                  Case{ResizeMode::Nearest, 0, 0},   // half_pixel, prefer floor
                  Case{ResizeMode::Nearest, 0, 1},   // half_pixel, prefer ceil
                  Case{ResizeMode::Nearest, 2, 3},   // align_corners, ceil
                  Case{ResizeMode::Linear, 0, 0},    // half_pixel
                  Case{ResizeMode::Linear, 2, 0},    // align_corners
                  Case{ResizeMode::Linear, 3, 0},    // pytorch_half_pixel
                  Case{ResizeMode::Linear, 1, 0}}) { // asymmetric
    Harness h;
    h.placeFloats(0, src);
    std::vector<float> got = h.runFloats(
        [&](BinaryBuilder &bb) {
          bb.resize(rc.mode, 0, 256, 1, {H, W}, {OH, OW},
                    {rc.coord, rc.nearest});
        },
        256, OH * OW);
    std::string name =
        std::string(rc.mode == ResizeMode::Linear ? "linear" : "nearest") +
        " modes " + std::to_string(rc.coord) + "," + std::to_string(rc.nearest);
    expectClose(got,
                referenceResize(src, H, W, OH, OW,
                                rc.mode == ResizeMode::Linear, rc.coord,
                                rc.nearest),
                1e-6, name);
  }
}

//===----------------------------------------------------------------------===//
// Exit checks
//===----------------------------------------------------------------------===//

/// Runs an exit check over `logits` and returns the chip's measurement.
ChipMeasurement runExitCheck(const std::vector<float> &logits,
                             ConfidenceMeasure measure, float threshold) {
  Harness h;
  h.placeFloats(0, logits);
  h.run(
      [&](BinaryBuilder &bb) {
        bb.exitCheck(0, static_cast<int64_t>(logits.size()), DType::F32,
                     measure, threshold, 1)
            .halt();
      },
      0, 4);
  return h.result.chips.at(0);
}

TEST(SimulatorKernels, ExitCheckMeasures) {
  std::vector<float> logits = {2.0f, 1.0f, 0.5f, -1.0f};
  double mx = 2.0, sum = 0;
  std::vector<double> p;
  for (float l : logits)
    sum += std::exp(l - mx);
  for (float l : logits)
    p.push_back(std::exp(l - mx) / sum);
  double entropy = 0;
  for (double q : p)
    entropy -= q * std::log(q);
  struct Case {
    ConfidenceMeasure measure;
    double want;
  };
  for (Case c :
       {Case{ConfidenceMeasure::MaxProb, p[0]},
        Case{ConfidenceMeasure::Margin, p[0] - p[1]},
        Case{ConfidenceMeasure::Entropy, 1.0 - entropy / std::log(4.0)}}) {
    // Just below the confidence: confident, the exit path runs.
    ChipMeasurement yes =
        runExitCheck(logits, c.measure, static_cast<float>(c.want - 1e-4));
    ASSERT_EQ(yes.exitChecks.size(), 1u);
    EXPECT_NEAR(yes.exitChecks[0].confidence, c.want, 1e-9);
    EXPECT_TRUE(yes.exitChecks[0].confident);
    EXPECT_EQ(yes.path, "exit 1");
    // Just above: not confident, the stream goes on to the store.
    ChipMeasurement no =
        runExitCheck(logits, c.measure, static_cast<float>(c.want + 1e-4));
    EXPECT_FALSE(no.exitChecks[0].confident);
    EXPECT_EQ(no.path, "full");
    EXPECT_GT(no.hostBytes, yes.hostBytes);
  }
}

} // namespace
