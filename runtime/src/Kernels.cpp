//===- Kernels.cpp - Functional kernels of the simulator ------------------===//
//
// Real numbers for every compute instruction, through Eigen:
//
// - matmul: the strided operands are copied out of SRAM and viewed with
//   Eigen::Map + OuterStride (row-major, lds in elements), then one GEMM.
//   Float operands (f32, f16, bf16) multiply in f32 with an f32
//   accumulator; i8/ui8 operands multiply exactly in 64-bit integers and the
//   i32 accumulator wraps modulo 2^32 (no undefined overflow).
// - conv: im2col of the tile's output rows into a [C*KH*KW, rows*OW]
//   matrix, then one GEMM with the [OC, C*KH*KW] weights. The tile
//   overwrites its rows of every output channel of the accumulator block.
// - vector/fill/reduce: Eigen arrays in f32; f16 and bf16 values convert
//   through Eigen::half / Eigen::bfloat16 (round to nearest even).
// - pool, copy, resize, exit_check: direct index arithmetic.
//
// Every kernel reads all its operands before writing its result, so an
// instruction whose destination overlaps a source behaves as if it went
// through a temporary. Values are read and written with memcpy: SRAM is a
// byte array and nothing is type-punned.
//
// Numeric choices where the npuisa op descriptions leave room:
// - quantize: q = saturate(round_half_even(x / alpha) + beta); NaN -> beta.
// - fill of an integer dtype: round half to even, saturate, NaN -> 0.
// - max/min propagate NaN; relu keeps NaN; max pool ignores NaN (as ONNX
//   Runtime); a max-pool window with no input position gives the lowest
//   finite float, an average window with nothing to count gives 0.
// - exit_check: softmax in double (max-subtracted), confidence compared
//   against the f32 threshold widened to double.
//
//===----------------------------------------------------------------------===//

#include "Kernels.h"

#include <Eigen/Core>

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstring>
#include <limits>
#include <type_traits>
#include <vector>

namespace npu::rt::detail {

namespace {

using cost::DType;
using ArrayF = Eigen::ArrayXf;
using RowMatrixF =
    Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using RowMatrixI =
    Eigen::Matrix<int64_t, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using Stride = Eigen::OuterStride<>;

constexpr int64_t kAccumulatorBytes = 4;

void checkRange(SramView sram, int64_t offset, int64_t bytes) {
  (void)sram;
  (void)offset;
  (void)bytes;
  assert(offset >= 0 && bytes >= 0 && offset <= sram.size &&
         bytes <= sram.size - offset && "access outside SRAM");
}

/// Copies `count` elements of storage type T from SRAM.
template <typename T>
std::vector<T> readRaw(SramView sram, int64_t offset, int64_t count) {
  checkRange(sram, offset, count * static_cast<int64_t>(sizeof(T)));
  std::vector<T> values(static_cast<size_t>(count));
  if (count)
    std::memcpy(values.data(), sram.data + offset,
                static_cast<size_t>(count) * sizeof(T));
  return values;
}

template <typename T>
void writeRaw(SramView sram, int64_t offset, const T *values, int64_t count) {
  checkRange(sram, offset, count * static_cast<int64_t>(sizeof(T)));
  if (count)
    std::memcpy(sram.data + offset, values,
                static_cast<size_t>(count) * sizeof(T));
}

template <typename T> ArrayF toFloats(const std::vector<T> &raw) {
  return Eigen::Map<const Eigen::Array<T, Eigen::Dynamic, 1>>(
             raw.data(), static_cast<Eigen::Index>(raw.size()))
      .template cast<float>();
}

/// Reads `count` elements of `type` as f32 values.
ArrayF loadFloats(SramView sram, int64_t offset, int64_t count, DType type) {
  switch (type) {
  case DType::F32: {
    ArrayF values(count);
    checkRange(sram, offset, count * 4);
    if (count)
      std::memcpy(values.data(), sram.data + offset,
                  static_cast<size_t>(count) * 4);
    return values;
  }
  case DType::F16:
    return toFloats(readRaw<Eigen::half>(sram, offset, count));
  case DType::BF16:
    return toFloats(readRaw<Eigen::bfloat16>(sram, offset, count));
  case DType::I8:
    return toFloats(readRaw<int8_t>(sram, offset, count));
  case DType::UI8:
    return toFloats(readRaw<uint8_t>(sram, offset, count));
  case DType::I32:
    return toFloats(readRaw<int32_t>(sram, offset, count));
  }
  return ArrayF();
}

/// Rounds half to even and saturates to T; NaN becomes 0.
template <typename T> T saturateInt(float value) {
  if (std::isnan(value))
    return 0;
  double rounded = std::nearbyint(static_cast<double>(value));
  double lo = static_cast<double>(std::numeric_limits<T>::min());
  double hi = static_cast<double>(std::numeric_limits<T>::max());
  return static_cast<T>(std::min(std::max(rounded, lo), hi));
}

template <typename T>
void storeInts(SramView sram, int64_t offset, const ArrayF &values) {
  std::vector<T> raw(static_cast<size_t>(values.size()));
  for (Eigen::Index i = 0; i < values.size(); ++i)
    raw[static_cast<size_t>(i)] = saturateInt<T>(values[i]);
  writeRaw(sram, offset, raw.data(), values.size());
}

template <typename T>
void storeConverted(SramView sram, int64_t offset, const ArrayF &values) {
  Eigen::Array<T, Eigen::Dynamic, 1> converted = values.cast<T>();
  writeRaw(sram, offset, converted.data(), values.size());
}

/// Writes f32 values as elements of `type`.
void storeFloats(SramView sram, int64_t offset, const ArrayF &values,
                 DType type) {
  switch (type) {
  case DType::F32:
    writeRaw(sram, offset, values.data(), values.size());
    return;
  case DType::F16:
    storeConverted<Eigen::half>(sram, offset, values);
    return;
  case DType::BF16:
    storeConverted<Eigen::bfloat16>(sram, offset, values);
    return;
  case DType::I8:
    storeInts<int8_t>(sram, offset, values);
    return;
  case DType::UI8:
    storeInts<uint8_t>(sram, offset, values);
    return;
  case DType::I32:
    storeInts<int32_t>(sram, offset, values);
    return;
  }
}

/// Elements from the first to one past the last of a strided matrix.
int64_t matrixExtent(int64_t rows, int64_t cols, int64_t ld) {
  return (rows - 1) * ld + cols;
}

//===----------------------------------------------------------------------===//
// MAC array
//===----------------------------------------------------------------------===//

/// Loads a row-major [rows x cols] matrix with row stride `ld` (elements),
/// of storage type T, converted to Scalar.
template <typename Scalar, typename T>
Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>
loadMatrix(SramView sram, int64_t offset, int64_t rows, int64_t cols,
           int64_t ld) {
  std::vector<T> raw = readRaw<T>(sram, offset, matrixExtent(rows, cols, ld));
  using Storage =
      Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  Eigen::Map<const Storage, Eigen::Unaligned, Stride> view(raw.data(), rows,
                                                           cols, Stride(ld));
  return view.template cast<Scalar>();
}

/// True when byte ranges [a, a + an) and [b, b + bn) overlap.
bool overlaps(int64_t a, int64_t an, int64_t b, int64_t bn) {
  return a < b + bn && b < a + an;
}

/// f32 tiles whose result does not overlap an operand: Eigen works on SRAM
/// in place (the common case, and the hot loop of GEMM-heavy programs).
/// SRAM is malloc'ed storage, so viewing it as floats is well defined.
bool matmulF32InPlace(SramView sram, const isa::MatMul &op) {
  int64_t aBytes = matrixExtent(op.m, op.k, op.lds[0]) * 4;
  int64_t bBytes = matrixExtent(op.k, op.n, op.lds[1]) * 4;
  int64_t cBytes = matrixExtent(op.m, op.n, op.lds[2]) * kAccumulatorBytes;
  if (overlaps(op.c, cBytes, op.a, aBytes) ||
      overlaps(op.c, cBytes, op.b, bBytes))
    return false;
  checkRange(sram, op.a, aBytes);
  checkRange(sram, op.b, bBytes);
  checkRange(sram, op.c, cBytes);
  using Matrix =
      Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  Eigen::Map<const Matrix, Eigen::Unaligned, Stride> a(
      reinterpret_cast<const float *>(sram.data + op.a), op.m, op.k,
      Stride(op.lds[0]));
  Eigen::Map<const Matrix, Eigen::Unaligned, Stride> b(
      reinterpret_cast<const float *>(sram.data + op.b), op.k, op.n,
      Stride(op.lds[1]));
  Eigen::Map<Matrix, Eigen::Unaligned, Stride> c(
      reinterpret_cast<float *>(sram.data + op.c), op.m, op.n,
      Stride(op.lds[2]));
  if (op.accumulate)
    c.noalias() += a * b;
  else
    c.noalias() = a * b;
  return true;
}

template <typename T> void matmulFloat(SramView sram, const isa::MatMul &op) {
  if constexpr (std::is_same_v<T, float>)
    if (matmulF32InPlace(sram, op))
      return;
  RowMatrixF a = loadMatrix<float, T>(sram, op.a, op.m, op.k, op.lds[0]);
  RowMatrixF b = loadMatrix<float, T>(sram, op.b, op.k, op.n, op.lds[1]);
  RowMatrixF c = op.accumulate ? loadMatrix<float, float>(sram, op.c, op.m,
                                                          op.n, op.lds[2])
                               : RowMatrixF::Zero(op.m, op.n);
  c.noalias() += a * b;
  for (int64_t r = 0; r < op.m; ++r)
    writeRaw(sram, op.c + r * op.lds[2] * kAccumulatorBytes, c.row(r).data(),
             op.n);
}

/// Stores 64-bit integer accumulators as i32, wrapping modulo 2^32.
void storeWrapped(SramView sram, int64_t offset, const int64_t *values,
                  int64_t count) {
  std::vector<uint32_t> raw(static_cast<size_t>(count));
  for (int64_t i = 0; i < count; ++i)
    raw[static_cast<size_t>(i)] =
        static_cast<uint32_t>(static_cast<uint64_t>(values[i]) & 0xffffffffu);
  writeRaw(sram, offset, raw.data(), count);
}

template <typename T> void matmulInt(SramView sram, const isa::MatMul &op) {
  RowMatrixI a = loadMatrix<int64_t, T>(sram, op.a, op.m, op.k, op.lds[0]);
  RowMatrixI b = loadMatrix<int64_t, T>(sram, op.b, op.k, op.n, op.lds[1]);
  RowMatrixI c = op.accumulate ? loadMatrix<int64_t, int32_t>(sram, op.c, op.m,
                                                              op.n, op.lds[2])
                               : RowMatrixI::Zero(op.m, op.n);
  c.noalias() += a * b;
  for (int64_t r = 0; r < op.m; ++r)
    storeWrapped(sram, op.c + r * op.lds[2] * kAccumulatorBytes,
                 c.row(r).data(), op.n);
}

/// im2col of the tile's output rows: [C*KH*KW, rows*OW], zero in padding.
template <typename Scalar>
Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>
im2col(const Eigen::Matrix<Scalar, Eigen::Dynamic, 1> &input,
       const isa::Conv &op) {
  const int64_t C = op.channels, H = op.inHw[0], W = op.inHw[1];
  const int64_t KH = op.kernel[0], KW = op.kernel[1], OW = op.outHw[1];
  const int64_t r0 = op.outRows[0], rows = op.outRows[1];
  Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic> col =
      Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>::Zero(C * KH * KW,
                                                                  rows * OW);
  for (int64_t c = 0; c < C; ++c)
    for (int64_t ky = 0; ky < KH; ++ky)
      for (int64_t kx = 0; kx < KW; ++kx) {
        int64_t row = (c * KH + ky) * KW + kx;
        for (int64_t oy = 0; oy < rows; ++oy) {
          int64_t iy =
              (r0 + oy) * op.strides[0] - op.pads[0] + ky * op.dilations[0];
          if (iy < 0 || iy >= H)
            continue;
          for (int64_t ox = 0; ox < OW; ++ox) {
            int64_t ix = ox * op.strides[1] - op.pads[1] + kx * op.dilations[1];
            if (ix < 0 || ix >= W)
              continue;
            col(row, oy * OW + ox) = input((c * H + iy) * W + ix);
          }
        }
      }
  return col;
}

template <typename Scalar, typename T>
Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>
convProduct(SramView sram, const isa::Conv &op) {
  const int64_t C = op.channels, K = C * op.kernel[0] * op.kernel[1];
  std::vector<T> rawIn =
      readRaw<T>(sram, op.input, C * op.inHw[0] * op.inHw[1]);
  Eigen::Matrix<Scalar, Eigen::Dynamic, 1> input =
      Eigen::Map<const Eigen::Matrix<T, Eigen::Dynamic, 1>>(
          rawIn.data(), static_cast<Eigen::Index>(rawIn.size()))
          .template cast<Scalar>();
  auto weights = loadMatrix<Scalar, T>(sram, op.weight, op.outChannels, K, K);
  return weights * im2col<Scalar>(input, op);
}

/// Writes the [OC, rows*OW] tile result into rows [r0, r0 + rows) of every
/// channel of the [OC, OH, OW] accumulator block.
template <typename Matrix, typename Store>
void storeConvTile(const Matrix &out, const isa::Conv &op, Store store) {
  const int64_t OH = op.outHw[0], OW = op.outHw[1];
  for (int64_t oc = 0; oc < op.outChannels; ++oc) {
    int64_t offset =
        op.output + (oc * OH + op.outRows[0]) * OW * kAccumulatorBytes;
    store(offset, oc, out);
  }
}

template <typename T> void convFloat(SramView sram, const isa::Conv &op) {
  RowMatrixF out = convProduct<float, T>(sram, op);
  storeConvTile(out, op, [&](int64_t offset, int64_t oc, const RowMatrixF &m) {
    writeRaw(sram, offset, m.row(oc).data(), m.cols());
  });
}

template <typename T> void convInt(SramView sram, const isa::Conv &op) {
  RowMatrixI out = convProduct<int64_t, T>(sram, op);
  storeConvTile(out, op, [&](int64_t offset, int64_t oc, const RowMatrixI &m) {
    storeWrapped(sram, offset, m.row(oc).data(), m.cols());
  });
}

//===----------------------------------------------------------------------===//
// Vector unit
//===----------------------------------------------------------------------===//

float maxPropagateNaN(float x, float y) {
  if (std::isnan(x) || std::isnan(y))
    return std::numeric_limits<float>::quiet_NaN();
  return x > y ? x : y;
}
float minPropagateNaN(float x, float y) {
  if (std::isnan(x) || std::isnan(y))
    return std::numeric_limits<float>::quiet_NaN();
  return x < y ? x : y;
}

float gelu(float x, bool tanhApproximation) {
  if (tanhApproximation) {
    // sqrt(2 / pi).
    const float k = 0.7978845608028654f;
    return 0.5f * x * (1.0f + std::tanh(k * (x + 0.044715f * x * x * x)));
  }
  return 0.5f * x * (1.0f + std::erf(x / std::sqrt(2.0f)));
}

} // namespace

void runMatMul(SramView sram, const isa::MatMul &op) {
  switch (op.dtype) {
  case DType::F32:
    return matmulFloat<float>(sram, op);
  case DType::F16:
    return matmulFloat<Eigen::half>(sram, op);
  case DType::BF16:
    return matmulFloat<Eigen::bfloat16>(sram, op);
  case DType::I8:
    return matmulInt<int8_t>(sram, op);
  case DType::UI8:
    return matmulInt<uint8_t>(sram, op);
  case DType::I32:
    break; // Rejected by the loader.
  }
  assert(false && "i32 matmul operands");
}

void runConv(SramView sram, const isa::Conv &op) {
  switch (op.dtype) {
  case DType::F32:
    return convFloat<float>(sram, op);
  case DType::F16:
    return convFloat<Eigen::half>(sram, op);
  case DType::BF16:
    return convFloat<Eigen::bfloat16>(sram, op);
  case DType::I8:
    return convInt<int8_t>(sram, op);
  case DType::UI8:
    return convInt<uint8_t>(sram, op);
  case DType::I32:
    break; // Rejected by the loader.
  }
  assert(false && "i32 conv operands");
}

void runVector(SramView sram, const isa::Vector &op) {
  using cost::VectorOp;
  const int64_t n = op.count;
  DType srcType = op.kind == VectorOp::Quantize ? DType::F32 : op.dtype;
  DType dstType = op.kind == VectorOp::Dequantize ? DType::F32 : op.dtype;
  ArrayF a = loadFloats(sram, op.a, n, srcType);
  ArrayF b;
  if (op.hasB) {
    ArrayF period = loadFloats(sram, op.b, op.bBcast[0], op.dtype);
    const int64_t p = op.bBcast[0], repeat = op.bBcast[1];
    b.resize(n);
    if (p == n && repeat == 1) {
      b = period;
    } else {
      for (int64_t i = 0; i < n; ++i)
        b[i] = period[(i / repeat) % p];
    }
  }
  const float alpha = op.alpha, beta = op.beta;
  ArrayF r;
  switch (op.kind) {
  case VectorOp::Copy:
    r = a;
    break;
  case VectorOp::Add:
    r = a + b;
    break;
  case VectorOp::Sub:
    r = a - b;
    break;
  case VectorOp::Mul:
    r = a * b;
    break;
  case VectorOp::Div:
    r = a / b;
    break;
  case VectorOp::Max:
    r = a.binaryExpr(b, [](float x, float y) { return maxPropagateNaN(x, y); });
    break;
  case VectorOp::Min:
    r = a.binaryExpr(b, [](float x, float y) { return minPropagateNaN(x, y); });
    break;
  case VectorOp::Pow:
    r = a.binaryExpr(b, [](float x, float y) { return std::pow(x, y); });
    break;
  case VectorOp::Relu:
    r = a.unaryExpr([](float x) { return x < 0.0f ? 0.0f : x; });
    break;
  case VectorOp::LeakyRelu:
    r = a.unaryExpr([alpha](float x) { return x < 0.0f ? alpha * x : x; });
    break;
  case VectorOp::Sigmoid:
    r = a.unaryExpr([](float x) { return 1.0f / (1.0f + std::exp(-x)); });
    break;
  case VectorOp::HardSigmoid:
    r = (a * alpha + beta).max(0.0f).min(1.0f);
    break;
  case VectorOp::HardSwish:
    r = a * (a / 6.0f + 0.5f).max(0.0f).min(1.0f);
    break;
  case VectorOp::Tanh:
    r = a.unaryExpr([](float x) { return std::tanh(x); });
    break;
  case VectorOp::Clip:
    r = a.max(alpha).min(beta);
    break;
  case VectorOp::Gelu: {
    bool approximate = alpha != 0.0f;
    r = a.unaryExpr([approximate](float x) { return gelu(x, approximate); });
    break;
  }
  case VectorOp::Exp:
    r = a.unaryExpr([](float x) { return std::exp(x); });
    break;
  case VectorOp::Sqrt:
    r = a.unaryExpr([](float x) { return std::sqrt(x); });
    break;
  case VectorOp::Quantize:
    r = a.unaryExpr([alpha, beta](float x) {
      float scaled = x / alpha;
      if (std::isnan(scaled))
        scaled = 0.0f;
      return std::nearbyint(scaled) + beta;
    });
    break;
  case VectorOp::Dequantize:
    r = (a - beta) * alpha;
    break;
  }
  storeFloats(sram, op.dst, r, dstType);
}

void runFill(SramView sram, const isa::Fill &op) {
  storeFloats(sram, op.dst, ArrayF::Constant(op.count, op.value), op.dtype);
}

void runReduce(SramView sram, const isa::Reduce &op) {
  const int64_t outer = op.shape[0], reduced = op.shape[1], inner = op.shape[2];
  ArrayF src = loadFloats(sram, op.src, outer * reduced * inner, op.dtype);
  ArrayF dst(outer * inner);
  for (int64_t o = 0; o < outer; ++o) {
    Eigen::Map<const RowMatrixF> block(src.data() + o * reduced * inner,
                                       reduced, inner);
    Eigen::Map<Eigen::RowVectorXf> out(dst.data() + o * inner, inner);
    switch (op.kind) {
    case cost::ReduceOp::Sum:
      out = block.colwise().sum();
      break;
    case cost::ReduceOp::Mean:
      out = block.colwise().sum() / static_cast<float>(reduced);
      break;
    case cost::ReduceOp::Max:
      for (int64_t i = 0; i < inner; ++i) {
        float best = block(0, i);
        for (int64_t r = 1; r < reduced; ++r)
          best = maxPropagateNaN(best, block(r, i));
        out[i] = best;
      }
      break;
    }
  }
  storeFloats(sram, op.dst, dst, op.dtype);
}

void runPool(SramView sram, const isa::Pool &op) {
  const int64_t C = op.channels, H = op.inHw[0], W = op.inHw[1];
  const int64_t OH = op.outHw[0], OW = op.outHw[1];
  const int64_t KH = op.kernel[0], KW = op.kernel[1];
  const int64_t top = op.pads[0], left = op.pads[1], bottom = op.pads[2],
                right = op.pads[3];
  ArrayF src = loadFloats(sram, op.src, C * H * W, op.dtype);
  ArrayF dst(C * OH * OW);
  for (int64_t c = 0; c < C; ++c) {
    const float *plane = src.data() + c * H * W;
    for (int64_t oy = 0; oy < OH; ++oy) {
      for (int64_t ox = 0; ox < OW; ++ox) {
        int64_t y0 = oy * op.strides[0] - top, x0 = ox * op.strides[1] - left;
        float best = std::numeric_limits<float>::lowest();
        float sum = 0;
        int64_t counted = 0;
        for (int64_t ky = 0; ky < KH; ++ky) {
          int64_t iy = y0 + ky * op.dilations[0];
          bool rowInside = iy >= 0 && iy < H;
          bool rowPadded = iy >= -top && iy < H + bottom;
          for (int64_t kx = 0; kx < KW; ++kx) {
            int64_t ix = x0 + kx * op.dilations[1];
            bool inside = rowInside && ix >= 0 && ix < W;
            if (inside) {
              float v = plane[iy * W + ix];
              if (v > best)
                best = v;
              sum += v;
            }
            if (op.countIncludePad
                    ? (rowPadded && ix >= -left && ix < W + right)
                    : inside)
              ++counted;
          }
        }
        float result;
        if (op.kind == cost::PoolOp::Max)
          result = best;
        else
          result = counted ? sum / static_cast<float>(counted) : 0.0f;
        dst[(c * OH + oy) * OW + ox] = result;
      }
    }
  }
  storeFloats(sram, op.dst, dst, op.dtype);
}

void runCopy(SramView sram, const isa::Copy &op) {
  const int64_t eb = cost::elementBytes(op.dtype);
  const Quad &s = op.shape, &ss = op.srcStrides, &ds = op.dstStrides;
  int64_t srcExtent = 1;
  for (int i = 0; i < 4; ++i)
    srcExtent += (s[i] - 1) * ss[i];
  std::vector<uint8_t> src = readRaw<uint8_t>(sram, op.src, srcExtent * eb);
  for (int64_t i0 = 0; i0 < s[0]; ++i0)
    for (int64_t i1 = 0; i1 < s[1]; ++i1)
      for (int64_t i2 = 0; i2 < s[2]; ++i2)
        for (int64_t i3 = 0; i3 < s[3]; ++i3) {
          int64_t from = i0 * ss[0] + i1 * ss[1] + i2 * ss[2] + i3 * ss[3];
          int64_t to = i0 * ds[0] + i1 * ds[1] + i2 * ds[2] + i3 * ds[3];
          writeRaw(sram, op.dst + to * eb, src.data() + from * eb, eb);
        }
}

namespace {

/// The input coordinate of output coordinate `x` (ONNX Resize,
/// coordinate_transformation_mode), in f32 as ONNX Runtime computes it.
float sourceCoordinate(int64_t x, int64_t in, int64_t out, int64_t mode) {
  float scale = static_cast<float>(out) / static_cast<float>(in);
  float xf = static_cast<float>(x);
  switch (mode) {
  case 0: // half_pixel
    return (xf + 0.5f) / scale - 0.5f;
  case 1: // asymmetric
    return xf / scale;
  case 2: // align_corners
    return out == 1
               ? 0.0f
               : xf * static_cast<float>(in - 1) / static_cast<float>(out - 1);
  default: // 3: pytorch_half_pixel
    return out > 1 ? (xf + 0.5f) / scale - 0.5f : 0.0f;
  }
}

/// The nearest input index (ONNX nearest_mode), clamped into [0, in).
int64_t nearestIndex(float x, int64_t in, int64_t mode) {
  float r;
  switch (mode) {
  case 0: // round_prefer_floor
    r = (x == std::floor(x) + 0.5f) ? std::floor(x) : std::round(x);
    break;
  case 1: // round_prefer_ceil
    r = (x == std::floor(x) + 0.5f) ? std::ceil(x) : std::round(x);
    break;
  case 2: // floor
    r = std::floor(x);
    break;
  default: // 3: ceil
    r = std::ceil(x);
    break;
  }
  if (!(r > 0.0f))
    return 0;
  if (r >= static_cast<float>(in - 1))
    return in - 1;
  return static_cast<int64_t>(r);
}

/// Linear interpolation taps of output coordinate `x`.
struct Taps {
  int64_t lo = 0, hi = 0;
  float weight = 0; ///< Of `hi`; `lo` gets 1 - weight.
};

Taps linearTaps(float x, int64_t in) {
  Taps taps;
  float maxIndex = static_cast<float>(in - 1);
  if (!(x > 0.0f))
    x = 0.0f;
  if (x > maxIndex)
    x = maxIndex;
  taps.lo = static_cast<int64_t>(std::floor(x));
  taps.hi = std::min(taps.lo + 1, in - 1);
  taps.weight = x - static_cast<float>(taps.lo);
  return taps;
}

} // namespace

void runResize(SramView sram, const isa::Resize &op) {
  const int64_t C = op.channels, H = op.inHw[0], W = op.inHw[1];
  const int64_t OH = op.outHw[0], OW = op.outHw[1];
  const int64_t coordMode = op.modes[0], nearestMode = op.modes[1];
  ArrayF src = loadFloats(sram, op.src, C * H * W, op.dtype);
  ArrayF dst(C * OH * OW);
  if (op.kind == cost::ResizeMode::Nearest) {
    std::vector<int64_t> ys(static_cast<size_t>(OH)),
        xs(static_cast<size_t>(OW));
    for (int64_t y = 0; y < OH; ++y)
      ys[static_cast<size_t>(y)] =
          nearestIndex(sourceCoordinate(y, H, OH, coordMode), H, nearestMode);
    for (int64_t x = 0; x < OW; ++x)
      xs[static_cast<size_t>(x)] =
          nearestIndex(sourceCoordinate(x, W, OW, coordMode), W, nearestMode);
    for (int64_t c = 0; c < C; ++c)
      for (int64_t y = 0; y < OH; ++y)
        for (int64_t x = 0; x < OW; ++x)
          dst[(c * OH + y) * OW + x] =
              src[(c * H + ys[static_cast<size_t>(y)]) * W +
                  xs[static_cast<size_t>(x)]];
  } else {
    std::vector<Taps> ys(static_cast<size_t>(OH)), xs(static_cast<size_t>(OW));
    for (int64_t y = 0; y < OH; ++y)
      ys[static_cast<size_t>(y)] =
          linearTaps(sourceCoordinate(y, H, OH, coordMode), H);
    for (int64_t x = 0; x < OW; ++x)
      xs[static_cast<size_t>(x)] =
          linearTaps(sourceCoordinate(x, W, OW, coordMode), W);
    for (int64_t c = 0; c < C; ++c) {
      const float *plane = src.data() + c * H * W;
      for (int64_t y = 0; y < OH; ++y) {
        const Taps &ty = ys[static_cast<size_t>(y)];
        for (int64_t x = 0; x < OW; ++x) {
          const Taps &tx = xs[static_cast<size_t>(x)];
          float top = plane[ty.lo * W + tx.lo] * (1.0f - tx.weight) +
                      plane[ty.lo * W + tx.hi] * tx.weight;
          float bottom = plane[ty.hi * W + tx.lo] * (1.0f - tx.weight) +
                         plane[ty.hi * W + tx.hi] * tx.weight;
          dst[(c * OH + y) * OW + x] =
              top * (1.0f - ty.weight) + bottom * ty.weight;
        }
      }
    }
  }
  storeFloats(sram, op.dst, dst, op.dtype);
}

namespace {

/// The confidence of `values` under `measure`: of their softmax when
/// `softmax`, else of the values as they are.
double confidenceOf(const ArrayF &values, cost::ConfidenceMeasure measure,
                    bool softmax) {
  Eigen::ArrayXd x = values.cast<double>();
  if (x.size() == 0 || !x.isFinite().all())
    return std::numeric_limits<double>::quiet_NaN();
  Eigen::ArrayXd p = x;
  if (softmax) {
    p = (x - x.maxCoeff()).exp();
    p /= p.sum();
  }
  double confidence = 0;
  switch (measure) {
  case cost::ConfidenceMeasure::MaxProb:
    confidence = p.maxCoeff();
    break;
  case cost::ConfidenceMeasure::Margin: {
    // A single value has no second: its margin is 1 after the clamp.
    double top1 = -std::numeric_limits<double>::infinity(), top2 = top1;
    for (Eigen::Index i = 0; i < p.size(); ++i) {
      if (p[i] > top1) {
        top2 = top1;
        top1 = p[i];
      } else if (p[i] > top2) {
        top2 = p[i];
      }
    }
    confidence = top1 - top2;
    break;
  }
  case cost::ConfidenceMeasure::Entropy: {
    double entropy = 0;
    for (Eigen::Index i = 0; i < p.size(); ++i)
      if (p[i] > 0)
        entropy -= p[i] * std::log(p[i]);
    // One value leaves nothing uncertain.
    confidence = p.size() < 2
                     ? 1.0
                     : 1.0 - entropy / std::log(static_cast<double>(p.size()));
    break;
  }
  }
  return std::min(1.0, std::max(0.0, confidence));
}

/// A host tensor's bytes as a read-only SRAM view.
SramView hostView(const std::vector<uint8_t> &bytes) {
  return SramView{const_cast<uint8_t *>(bytes.data()),
                  static_cast<int64_t>(bytes.size())};
}

} // namespace

double exitConfidence(SramView sram, const isa::ExitCheck &op) {
  return confidenceOf(loadFloats(sram, op.src, op.classes, op.dtype),
                      op.measure, /*softmax=*/true);
}

double hostConfidence(const std::vector<uint8_t> &bytes, cost::DType type,
                      cost::ConfidenceMeasure measure, bool softmax) {
  int64_t count = static_cast<int64_t>(bytes.size()) / cost::elementBytes(type);
  return confidenceOf(loadFloats(hostView(bytes), 0, count, type), measure,
                      softmax);
}

int64_t hostArgmax(const std::vector<uint8_t> &bytes, cost::DType type) {
  int64_t count = static_cast<int64_t>(bytes.size()) / cost::elementBytes(type);
  ArrayF values = loadFloats(hostView(bytes), 0, count, type);
  int64_t best = -1;
  for (Eigen::Index i = 0; i < values.size(); ++i)
    if (!std::isnan(values[i]) && (best < 0 || values[i] > values[best]))
      best = i;
  return best;
}

} // namespace npu::rt::detail
