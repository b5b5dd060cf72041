//===- Patterns.cpp - TOSA ops to npu ops ---------------------------------===//
//
// One conversion pattern per supported TOSA op, and the check that decides
// whether an op converts exactly (and says why not). Every pattern runs the
// check of its op first, so the check is the single statement of what is
// supported; docs/tosa-import.md is its long form.
//
// Layout. TOSA images are NHWC, convolution weights OHWI (transposed
// convolution too), depthwise weights HWCM; npu images are NCHW, weights
// OIHW (transposed convolution: input channels first). Convolution,
// pooling and resize read their operands through npu.transpose to NCHW and
// give their result back through a transpose to NHWC. A transpose or
// reshape of a constant becomes a new constant here; transpose pairs
// between two layers cancel by TransposeOp::fold (in the pass's layout
// cleanup, and in the canonicalizer).
//
// Exactness. An op converts only when the npu ops compute the same
// function: f32 static tensors (what the npu lowering takes), zero zero
// points, a zero multiply shift, NaN propagation where npu propagates, and
// for resize the same sampling positions (bilinear) or the same indices
// (nearest, checked index by index as the npu computes them).
//
//===----------------------------------------------------------------------===//

#include "npu/Conversion/TosaToNPU/TosaToNPU.h"
#include "npu/Dialect/NPU/NPUOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Transforms/DialectConversion.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/MathExtras.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <optional>
#include <type_traits>

namespace mlir::npu {
namespace {

//===----------------------------------------------------------------------===//
// Reasons.
//===----------------------------------------------------------------------===//

/// Writes why an op does not convert into a caller's string and converts to
/// failure(), so that a check reads `return Why(reason) << "...";`.
class Why {
public:
  explicit Why(std::string &text) : os(text) { text.clear(); }
  template <typename T> Why &operator<<(const T &value) {
    if constexpr (std::is_convertible_v<T, ArrayRef<int64_t>>) {
      os << '[';
      llvm::interleaveComma(ArrayRef<int64_t>(value), os);
      os << ']';
    } else {
      os << value;
    }
    return *this;
  }
  operator LogicalResult() const { return failure(); }

private:
  llvm::raw_string_ostream os;
};

//===----------------------------------------------------------------------===//
// Layouts.
//===----------------------------------------------------------------------===//

/// NHWC to NCHW; also OHWI to OIHW.
constexpr int64_t kToNCHW[] = {0, 3, 1, 2};
/// NCHW to NHWC.
constexpr int64_t kToNHWC[] = {0, 2, 3, 1};
/// Depthwise HWCM to C x M x H x W (then reshaped to (C*M) x 1 x H x W).
constexpr int64_t kDepthwiseToCMHW[] = {2, 3, 0, 1};
/// Transposed-convolution OHWI to npu's I x O x H x W.
constexpr int64_t kTransposeConvToIOHW[] = {3, 0, 1, 2};

/// TOSA windows pad [top, bottom, left, right]; npu pads
/// [top, left, bottom, right].
SmallVector<int64_t> toNPUPads(ArrayRef<int64_t> pad) {
  return {pad[0], pad[2], pad[1], pad[3]};
}

RankedTensorType permutedType(RankedTensorType type, ArrayRef<int64_t> perm) {
  SmallVector<int64_t> shape;
  for (int64_t p : perm)
    shape.push_back(type.getDimSize(p));
  return type.clone(shape);
}

/// `attr` with its dimensions permuted (result dimension i is input
/// dimension perm[i]), computed on the raw bytes.
DenseElementsAttr transposeElements(DenseElementsAttr attr,
                                    ArrayRef<int64_t> perm,
                                    RankedTensorType resultType) {
  if (attr.isSplat())
    return attr.resizeSplat(resultType);
  auto type = cast<RankedTensorType>(attr.getType());
  int64_t rank = type.getRank();
  size_t elementBytes = type.getElementTypeBitWidth() / 8;
  SmallVector<int64_t> inputStrides(rank, 1);
  for (int64_t d = rank - 2; d >= 0; --d)
    inputStrides[d] = inputStrides[d + 1] * type.getDimSize(d + 1);
  SmallVector<int64_t> strides;
  for (int64_t p : perm)
    strides.push_back(inputStrides[p]);
  ArrayRef<char> input = attr.getRawData();
  std::vector<char> output(input.size());
  ArrayRef<int64_t> shape = resultType.getShape();
  SmallVector<int64_t> index(rank, 0);
  for (int64_t i = 0, e = resultType.getNumElements(); i < e; ++i) {
    int64_t from = 0;
    for (int64_t d = 0; d < rank; ++d)
      from += index[d] * strides[d];
    std::memcpy(&output[i * elementBytes], &input[from * elementBytes],
                elementBytes);
    for (int64_t d = rank - 1; d >= 0; --d) {
      if (++index[d] < shape[d])
        break;
      index[d] = 0;
    }
  }
  return DenseElementsAttr::getFromRawBuffer(resultType, output);
}

/// `value` transposed by `perm`: a new constant when `value` is a dense
/// constant, else an npu.transpose.
Value transposeValue(OpBuilder &builder, Location loc, Value value,
                     ArrayRef<int64_t> perm) {
  auto type = cast<RankedTensorType>(value.getType());
  RankedTensorType resultType = permutedType(type, perm);
  DenseElementsAttr dense;
  if (matchPattern(value, m_Constant(&dense)))
    return arith::ConstantOp::create(
        builder, loc, resultType, transposeElements(dense, perm, resultType));
  return npu::TransposeOp::create(builder, loc, resultType, value,
                                  builder.getDenseI64ArrayAttr(perm));
}

/// `value` with the static shape of `resultType`: a new constant when
/// `value` is a dense constant, else an npu.reshape.
Value reshapeValue(OpBuilder &builder, Location loc, Value value,
                   RankedTensorType resultType) {
  if (value.getType() == resultType)
    return value;
  DenseElementsAttr dense;
  if (matchPattern(value, m_Constant(&dense)))
    return arith::ConstantOp::create(builder, loc, resultType,
                                     dense.reshape(resultType));
  return npu::ReshapeOp::create(builder, loc, resultType, value);
}

//===----------------------------------------------------------------------===//
// Operand checks.
//===----------------------------------------------------------------------===//

/// Accepts what the npu lowering computes on: ranked, static, f32.
LogicalResult checkDataType(Type type, std::string &reason) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  if (!tensor)
    return Why(reason) << "unranked tensors are not supported";
  if (!tensor.getElementType().isF32())
    return Why(reason) << "element type " << tensor.getElementType()
                       << " is not supported (only f32)";
  if (!tensor.hasStaticShape())
    return Why(reason) << "dynamic shapes are not supported (" << type << ")";
  return success();
}

/// Checks every tensor operand and result of `op` but the operands numbered
/// in `parameters` (integer parameters such as tosa.mul's shift).
LogicalResult checkDataTypes(Operation *op, std::string &reason,
                             ArrayRef<unsigned> parameters = {}) {
  for (OpOperand &operand : op->getOpOperands()) {
    Type type = operand.get().getType();
    if (!isa<TensorType>(type) ||
        llvm::is_contained(parameters, operand.getOperandNumber()))
      continue;
    if (failed(checkDataType(type, reason)))
      return failure();
  }
  for (Type type : op->getResultTypes())
    if (isa<TensorType>(type) && failed(checkDataType(type, reason)))
      return failure();
  return success();
}

/// Checks that a zero-point operand is a constant zero.
LogicalResult checkZeroPoint(Value zeroPoint, StringRef what,
                             std::string &reason) {
  DenseElementsAttr attr;
  if (!matchPattern(zeroPoint, m_Constant(&attr)))
    return Why(reason) << what << " zero point is not a constant";
  if (isa<FloatType>(attr.getElementType())) {
    for (APFloat value : attr.getValues<APFloat>())
      if (!value.isZero())
        return Why(reason) << what << " zero point must be 0, got "
                           << value.convertToDouble();
  } else {
    for (APInt value : attr.getValues<APInt>())
      if (!value.isZero())
        return Why(reason) << what << " zero point must be 0, got "
                           << value.getSExtValue();
  }
  return success();
}

LogicalResult checkAccumulator(Type accType, std::string &reason) {
  if (!accType.isF32())
    return Why(reason) << "accumulator type " << accType
                       << " is not supported (only f32)";
  return success();
}

LogicalResult checkPropagatesNaN(tosa::NanPropagationMode mode,
                                 std::string &reason) {
  if (mode != tosa::NanPropagationMode::PROPAGATE)
    return Why(reason) << "nan_mode " << tosa::stringifyEnum(mode)
                       << " is not supported (npu propagates NaN)";
  return success();
}

/// The values of a tosa.const_shape operand.
FailureOr<SmallVector<int64_t>> getShapeValues(Value value, StringRef what,
                                               std::string &reason) {
  auto op = value.getDefiningOp<tosa::ConstShapeOp>();
  if (!op) {
    (void)(Why(reason) << what << " is not a tosa.const_shape");
    return failure();
  }
  SmallVector<int64_t> values;
  for (const APInt &v : op.getValues().getValues<APInt>())
    values.push_back(v.getSExtValue());
  return values;
}

/// Output size of a window sweep (floor), 0 when nothing fits.
int64_t windowOutput(int64_t in, int64_t kernel, int64_t stride,
                     int64_t padBegin, int64_t padEnd, int64_t dilation) {
  int64_t span = in + padBegin + padEnd - dilation * (kernel - 1) - 1;
  return span < 0 ? 0 : span / stride + 1;
}

/// Checks a 2-D window over an NHWC input against the NHWC result type:
/// TOSA requires the sizes to divide exactly; the npu op takes the floor.
LogicalResult checkWindow(RankedTensorType input, RankedTensorType result,
                          ArrayRef<int64_t> kernel, ArrayRef<int64_t> stride,
                          ArrayRef<int64_t> pad, ArrayRef<int64_t> dilation,
                          int64_t channels, std::string &reason) {
  for (int i = 0; i < 2; ++i)
    if (stride[i] <= 0 || dilation[i] <= 0 || kernel[i] <= 0)
      return Why(reason) << "stride, dilation and kernel must be positive";
  for (int64_t p : pad)
    if (p < 0)
      return Why(reason) << "negative padding " << pad << " is not supported";
  SmallVector<int64_t> expected = {
      input.getDimSize(0),
      windowOutput(input.getDimSize(1), kernel[0], stride[0], pad[0], pad[1],
                   dilation[0]),
      windowOutput(input.getDimSize(2), kernel[1], stride[1], pad[2], pad[3],
                   dilation[1]),
      channels};
  if (result.getShape() != ArrayRef<int64_t>(expected))
    return Why(reason) << "result shape " << result.getShape()
                       << " differs from the window's " << expected;
  return success();
}

/// A bias is one value per output channel, or one value for all of them.
LogicalResult checkBias(Value bias, int64_t channels, std::string &reason) {
  int64_t size = cast<RankedTensorType>(bias.getType()).getDimSize(0);
  if (size != channels && size != 1)
    return Why(reason) << "bias has " << size << " values for " << channels
                       << " output channels";
  return success();
}

RankedTensorType tensorType(Value value) {
  return cast<RankedTensorType>(value.getType());
}

//===----------------------------------------------------------------------===//
// Resize.
//===----------------------------------------------------------------------===//

/// TOSA's sampling of one dimension: output index o reads input coordinate
/// (o * d + offset) / n.
struct Sampling {
  int64_t in, out, n, d, offset;
};

/// The exact source coordinate of output index `o` under an npu (ONNX)
/// coordinate mode, as the fraction num / den.
std::pair<int64_t, int64_t> npuCoordinate(npu::CoordinateMode mode, int64_t o,
                                          int64_t in, int64_t out) {
  switch (mode) {
  case npu::CoordinateMode::half_pixel:
    return {(2 * o + 1) * in - out, 2 * out};
  case npu::CoordinateMode::asymmetric:
    return {o * in, out};
  case npu::CoordinateMode::align_corners:
    if (out == 1)
      return {0, 1};
    return {o * (in - 1), out - 1};
  case npu::CoordinateMode::pytorch_half_pixel:
    if (out == 1)
      return {0, 1};
    return {(2 * o + 1) * in - out, 2 * out};
  }
  llvm_unreachable("unknown coordinate mode");
}

/// Whether `mode` samples every output index at TOSA's coordinate, exactly.
bool sameCoordinates(npu::CoordinateMode mode, const Sampling &s) {
  for (int64_t o = 0; o < s.out; ++o) {
    auto [num, den] = npuCoordinate(mode, o, s.in, s.out);
    if ((o * s.d + s.offset) * den != num * s.n)
      return false;
  }
  return true;
}

/// The input index TOSA's nearest-neighbour resize reads for output `o`,
/// or nullopt when it reads outside the input (TOSA forbids it).
std::optional<int64_t> tosaNearestIndex(int64_t o, const Sampling &s) {
  int64_t y = o * s.d + s.offset;
  int64_t i = llvm::divideFloorSigned(y, s.n);
  int64_t rest = y - i * s.n;
  // TOSA (f32): rest / n >= 0.5 picks i + 1, clamped to the last index;
  // otherwise i, clamped to 0.
  int64_t index =
      2 * rest >= s.n ? std::min(i + 1, s.in - 1) : std::max<int64_t>(i, 0);
  if (index < 0 || index >= s.in)
    return std::nullopt;
  return index;
}

/// The input index npu.resize reads for output `o` in nearest mode: ONNX
/// Resize evaluated in f32, as the npu runtime does (runtime/src/Kernels.cpp,
/// sourceCoordinate and nearestIndex). Only used to prove that an npu mode
/// picks TOSA's indices; the rounding of f32 matters at ties.
int64_t npuNearestIndex(int64_t o, int64_t in, int64_t out,
                        npu::CoordinateMode coordinate,
                        npu::NearestMode nearest) {
  float scale = static_cast<float>(out) / static_cast<float>(in);
  float xf = static_cast<float>(o);
  float x;
  switch (coordinate) {
  case npu::CoordinateMode::half_pixel:
    x = (xf + 0.5f) / scale - 0.5f;
    break;
  case npu::CoordinateMode::asymmetric:
    x = xf / scale;
    break;
  case npu::CoordinateMode::align_corners:
    x = out == 1
            ? 0.0f
            : xf * static_cast<float>(in - 1) / static_cast<float>(out - 1);
    break;
  case npu::CoordinateMode::pytorch_half_pixel:
    x = out > 1 ? (xf + 0.5f) / scale - 0.5f : 0.0f;
    break;
  }
  float r = 0;
  bool tie = x == std::floor(x) + 0.5f;
  switch (nearest) {
  case npu::NearestMode::round_prefer_floor:
    r = tie ? std::floor(x) : std::round(x);
    break;
  case npu::NearestMode::round_prefer_ceil:
    r = tie ? std::ceil(x) : std::round(x);
    break;
  case npu::NearestMode::floor:
    r = std::floor(x);
    break;
  case npu::NearestMode::ceil:
    r = std::ceil(x);
    break;
  }
  if (!(r > 0.0f))
    return 0;
  if (r >= static_cast<float>(in - 1))
    return in - 1;
  return static_cast<int64_t>(r);
}

/// The npu.resize attributes that reproduce a tosa.resize.
struct ResizeChoice {
  npu::ResizeMode mode;
  npu::CoordinateMode coordinate;
  npu::NearestMode nearest;
};

constexpr npu::CoordinateMode kCoordinateModes[] = {
    npu::CoordinateMode::half_pixel, npu::CoordinateMode::asymmetric,
    npu::CoordinateMode::align_corners,
    npu::CoordinateMode::pytorch_half_pixel};
// TOSA rounds halves up, which is round_prefer_ceil: tried first.
constexpr npu::NearestMode kNearestModes[] = {
    npu::NearestMode::round_prefer_ceil, npu::NearestMode::round_prefer_floor,
    npu::NearestMode::floor, npu::NearestMode::ceil};

FailureOr<ResizeChoice> matchResize(tosa::ResizeOp op, std::string &reason) {
  FailureOr<SmallVector<int64_t>> scale =
      getShapeValues(op.getScale(), "scale", reason);
  if (failed(scale))
    return failure();
  FailureOr<SmallVector<int64_t>> offset =
      getShapeValues(op.getOffset(), "offset", reason);
  if (failed(offset))
    return failure();
  if (scale->size() != 4 || offset->size() != 2) {
    (void)(Why(reason) << "scale and offset must have 4 and 2 values");
    return failure();
  }
  auto input = tensorType(op.getInput());
  auto result = tensorType(op.getOutput());
  std::array<Sampling, 2> dims;
  for (int i = 0; i < 2; ++i) {
    dims[i] = {input.getDimSize(1 + i), result.getDimSize(1 + i),
               (*scale)[2 * i], (*scale)[2 * i + 1], (*offset)[i]};
    if (dims[i].n <= 0 || dims[i].d <= 0) {
      (void)(Why(reason) << "scale " << ArrayRef<int64_t>(*scale)
                         << " must be positive");
      return failure();
    }
  }

  if (op.getMode() == tosa::ResizeMode::BILINEAR) {
    // The same sampling positions: the weights then differ only by the
    // rounding of f32.
    for (npu::CoordinateMode coordinate : kCoordinateModes)
      if (sameCoordinates(coordinate, dims[0]) &&
          sameCoordinates(coordinate, dims[1]))
        return ResizeChoice{npu::ResizeMode::linear, coordinate,
                            npu::NearestMode::round_prefer_floor};
    (void)(Why(reason) << "bilinear sampling with scale "
                       << ArrayRef<int64_t>(*scale) << " and offset "
                       << ArrayRef<int64_t>(*offset)
                       << " matches no npu coordinate mode");
    return failure();
  }

  // Nearest: the same input index for every output row and column.
  std::array<SmallVector<int64_t>, 2> want;
  for (int i = 0; i < 2; ++i) {
    for (int64_t o = 0; o < dims[i].out; ++o) {
      std::optional<int64_t> index = tosaNearestIndex(o, dims[i]);
      if (!index) {
        (void)(Why(reason) << "output index " << o << " of dimension " << i + 1
                           << " reads outside the input");
        return failure();
      }
      want[i].push_back(*index);
    }
  }
  // Coordinate modes that sample at TOSA's positions come first, so the
  // usual geometries get their natural mode.
  SmallVector<npu::CoordinateMode> coordinates;
  for (bool natural : {true, false})
    for (npu::CoordinateMode coordinate : kCoordinateModes)
      if ((sameCoordinates(coordinate, dims[0]) &&
           sameCoordinates(coordinate, dims[1])) == natural)
        coordinates.push_back(coordinate);
  for (npu::CoordinateMode coordinate : coordinates) {
    for (npu::NearestMode nearest : kNearestModes) {
      bool same = true;
      for (int i = 0; i < 2 && same; ++i)
        for (int64_t o = 0; o < dims[i].out && same; ++o)
          same = npuNearestIndex(o, dims[i].in, dims[i].out, coordinate,
                                 nearest) == want[i][o];
      if (same)
        return ResizeChoice{npu::ResizeMode::nearest, coordinate, nearest};
    }
  }
  (void)(Why(reason) << "nearest-neighbour indices with scale "
                     << ArrayRef<int64_t>(*scale) << " and offset "
                     << ArrayRef<int64_t>(*offset)
                     << " match no npu coordinate and rounding mode");
  return failure();
}

//===----------------------------------------------------------------------===//
// Per-op checks (data types are checked before these).
//===----------------------------------------------------------------------===//

/// Ops whose data types are all the checking they need.
LogicalResult checkOp(Operation *, std::string &) { return success(); }

LogicalResult checkOp(tosa::Conv2DOp op, std::string &reason) {
  auto weight = tensorType(op.getWeight());
  int64_t channels = weight.getDimSize(0);
  if (failed(checkAccumulator(op.getAccType(), reason)) ||
      failed(checkZeroPoint(op.getInputZp(), "input", reason)) ||
      failed(checkZeroPoint(op.getWeightZp(), "weight", reason)) ||
      failed(checkBias(op.getBias(), channels, reason)))
    return failure();
  return checkWindow(tensorType(op.getInput()), tensorType(op.getOutput()),
                     {weight.getDimSize(1), weight.getDimSize(2)},
                     op.getStride(), op.getPad(), op.getDilation(), channels,
                     reason);
}

LogicalResult checkOp(tosa::DepthwiseConv2DOp op, std::string &reason) {
  auto weight = tensorType(op.getWeight());
  int64_t channels = weight.getDimSize(2) * weight.getDimSize(3);
  if (failed(checkAccumulator(op.getAccType(), reason)) ||
      failed(checkZeroPoint(op.getInputZp(), "input", reason)) ||
      failed(checkZeroPoint(op.getWeightZp(), "weight", reason)) ||
      failed(checkBias(op.getBias(), channels, reason)))
    return failure();
  if (weight.getDimSize(2) != tensorType(op.getInput()).getDimSize(3))
    return Why(reason) << "weight has " << weight.getDimSize(2)
                       << " channels but the input has "
                       << tensorType(op.getInput()).getDimSize(3);
  return checkWindow(tensorType(op.getInput()), tensorType(op.getOutput()),
                     {weight.getDimSize(0), weight.getDimSize(1)},
                     op.getStride(), op.getPad(), op.getDilation(), channels,
                     reason);
}

LogicalResult checkOp(tosa::TransposeConv2DOp op, std::string &reason) {
  auto input = tensorType(op.getInput());
  auto weight = tensorType(op.getWeight());
  auto result = tensorType(op.getOutput());
  int64_t channels = weight.getDimSize(0);
  if (failed(checkAccumulator(op.getAccType(), reason)) ||
      failed(checkZeroPoint(op.getInputZp(), "input", reason)) ||
      failed(checkZeroPoint(op.getWeightZp(), "weight", reason)) ||
      failed(checkBias(op.getBias(), channels, reason)))
    return failure();
  ArrayRef<int64_t> outPad = op.getOutPad(), stride = op.getStride();
  // npu crops with pads on every side but grows the result only at the
  // bottom and right, by less than the stride (output_padding).
  if (outPad[0] > 0 || outPad[2] > 0)
    return Why(reason) << "out_pad " << outPad
                       << " grows the top or left, which npu cannot";
  if (outPad[1] >= stride[0] || outPad[3] >= stride[1])
    return Why(reason) << "out_pad " << outPad
                       << " grows the bottom or right by the stride " << stride
                       << " or more, which npu cannot";
  SmallVector<int64_t> expected = {
      input.getDimSize(0),
      (input.getDimSize(1) - 1) * stride[0] + outPad[0] + outPad[1] +
          weight.getDimSize(1),
      (input.getDimSize(2) - 1) * stride[1] + outPad[2] + outPad[3] +
          weight.getDimSize(2),
      channels};
  if (result.getShape() != ArrayRef<int64_t>(expected) || expected[1] <= 0 ||
      expected[2] <= 0)
    return Why(reason) << "result shape " << result.getShape()
                       << " differs from the expected " << expected;
  return success();
}

LogicalResult checkOp(tosa::MatMulOp op, std::string &reason) {
  if (failed(checkZeroPoint(op.getAZp(), "a", reason)) ||
      failed(checkZeroPoint(op.getBZp(), "b", reason)))
    return failure();
  return success();
}

LogicalResult checkOp(tosa::MulOp op, std::string &reason) {
  DenseElementsAttr shift;
  if (!matchPattern(op.getShift(), m_Constant(&shift)))
    return Why(reason) << "shift is not a constant";
  for (APInt value : shift.getValues<APInt>())
    if (!value.isZero())
      return Why(reason) << "shift must be 0, got " << value.getSExtValue();
  return success();
}

LogicalResult checkOp(tosa::MaximumOp op, std::string &reason) {
  return checkPropagatesNaN(op.getNanMode(), reason);
}

LogicalResult checkOp(tosa::MinimumOp op, std::string &reason) {
  return checkPropagatesNaN(op.getNanMode(), reason);
}

LogicalResult checkOp(tosa::ReduceMaxOp op, std::string &reason) {
  return checkPropagatesNaN(op.getNanMode(), reason);
}

LogicalResult checkOp(tosa::ClampOp op, std::string &reason) {
  if (failed(checkPropagatesNaN(op.getNanMode(), reason)))
    return failure();
  auto lo = dyn_cast<FloatAttr>(op.getMinValAttr());
  auto hi = dyn_cast<FloatAttr>(op.getMaxValAttr());
  if (!lo || !hi)
    return Why(reason) << "min_val and max_val must be floats";
  double min = lo.getValueAsDouble(), max = hi.getValueAsDouble();
  if (std::isnan(min) || std::isnan(max) || min > max)
    return Why(reason) << "min_val " << min << " must not exceed max_val "
                       << max;
  return success();
}

LogicalResult checkOp(tosa::MaxPool2dOp op, std::string &reason) {
  ArrayRef<int64_t> kernel = op.getKernel(), pad = op.getPad();
  if (pad[0] >= kernel[0] || pad[1] >= kernel[0] || pad[2] >= kernel[1] ||
      pad[3] >= kernel[1])
    return Why(reason) << "padding " << pad
                       << " must be smaller than the kernel " << kernel;
  auto input = tensorType(op.getInput());
  return checkWindow(input, tensorType(op.getOutput()), kernel, op.getStride(),
                     pad, {1, 1}, input.getDimSize(3), reason);
}

LogicalResult checkOp(tosa::AvgPool2dOp op, std::string &reason) {
  if (failed(checkAccumulator(op.getAccType(), reason)) ||
      failed(checkZeroPoint(op.getInputZp(), "input", reason)) ||
      failed(checkZeroPoint(op.getOutputZp(), "output", reason)))
    return failure();
  ArrayRef<int64_t> kernel = op.getKernel(), pad = op.getPad();
  if (pad[0] >= kernel[0] || pad[1] >= kernel[0] || pad[2] >= kernel[1] ||
      pad[3] >= kernel[1])
    return Why(reason) << "padding " << pad
                       << " must be smaller than the kernel " << kernel;
  auto input = tensorType(op.getInput());
  return checkWindow(input, tensorType(op.getOutput()), kernel, op.getStride(),
                     pad, {1, 1}, input.getDimSize(3), reason);
}

LogicalResult checkOp(tosa::SliceOp op, std::string &reason) {
  FailureOr<SmallVector<int64_t>> start =
      getShapeValues(op.getStart(), "start", reason);
  if (failed(start))
    return failure();
  auto input = tensorType(op.getInput1());
  auto result = tensorType(op.getOutput());
  if (static_cast<int64_t>(start->size()) != input.getRank())
    return Why(reason) << "start has " << start->size() << " values for rank "
                       << input.getRank();
  for (int64_t d = 0; d < input.getRank(); ++d)
    if ((*start)[d] < 0 ||
        (*start)[d] + result.getDimSize(d) > input.getDimSize(d))
      return Why(reason) << "slice from " << ArrayRef<int64_t>(*start)
                         << " of size " << result.getShape()
                         << " leaves the input " << input.getShape();
  return success();
}

LogicalResult checkOp(tosa::PadOp op, std::string &reason) {
  FailureOr<SmallVector<int64_t>> padding =
      getShapeValues(op.getPadding(), "padding", reason);
  if (failed(padding))
    return failure();
  auto input = tensorType(op.getInput1());
  if (static_cast<int64_t>(padding->size()) != 2 * input.getRank())
    return Why(reason) << "padding has " << padding->size()
                       << " values for rank " << input.getRank();
  for (int64_t p : *padding)
    if (p < 0)
      return Why(reason) << "negative padding " << ArrayRef<int64_t>(*padding)
                         << " is not supported";
  DenseElementsAttr value;
  if (!matchPattern(op.getPadConst(), m_Constant(&value)))
    return Why(reason) << "pad_const is not a constant";
  return success();
}

LogicalResult checkOp(tosa::ResizeOp op, std::string &reason) {
  return matchResize(op, reason);
}

/// A constant converts when it is f32 data, or an integer parameter that
/// its users read at conversion time (tosa.mul's shift).
LogicalResult checkConst(tosa::ConstOp op, std::string &reason) {
  if (succeeded(checkDataType(op.getType(), reason)))
    return success();
  bool onlyShift =
      !op->use_empty() && llvm::all_of(op->getUses(), [](OpOperand &use) {
        return isa<tosa::MulOp>(use.getOwner()) && use.getOperandNumber() == 2;
      });
  return success(onlyShift);
}

LogicalResult checkCast(tosa::CastOp op, std::string &reason) {
  Type from = getElementTypeOrSelf(op.getInput().getType());
  Type to = getElementTypeOrSelf(op.getOutput().getType());
  if (!from.isF32() || !to.isF32())
    return Why(reason) << "only the f32 to f32 cast is supported, got " << from
                       << " to " << to;
  return checkDataTypes(op, reason);
}

//===----------------------------------------------------------------------===//
// Patterns.
//===----------------------------------------------------------------------===//

/// Runs the op's check, then the conversion.
template <typename OpTy> class TosaPattern : public OpConversionPattern<OpTy> {
public:
  using OpConversionPattern<OpTy>::OpConversionPattern;
  using Adaptor = typename OpConversionPattern<OpTy>::OpAdaptor;

  LogicalResult
  matchAndRewrite(OpTy op, Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const final {
    std::string reason;
    if (failed(checkTosaToNPU(op, reason)))
      return rewriter.notifyMatchFailure(op, reason);
    return convert(op, adaptor, rewriter);
  }

protected:
  virtual LogicalResult convert(OpTy op, Adaptor adaptor,
                                ConversionPatternRewriter &rewriter) const = 0;
};

struct ConstPattern : TosaPattern<tosa::ConstOp> {
  using TosaPattern::TosaPattern;
  LogicalResult convert(tosa::ConstOp op, Adaptor,
                        ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(
        op, op.getType(), cast<TypedAttr>(op.getValuesAttr()));
    return success();
  }
};

/// The two ways a TOSA bias (one value per channel, or one for all) reaches
/// an npu convolution: its bias operand, or an npu.add after it.
struct ConvBias {
  Value operand;
  Value addAfter;
};

ConvBias convertBias(OpBuilder &builder, Location loc, Value bias,
                     int64_t channels) {
  auto type = tensorType(bias);
  DenseElementsAttr dense;
  if (matchPattern(bias, m_Constant(&dense))) {
    // x + 0 is x: a zero bias is dropped.
    if (llvm::all_of(dense.getValues<APFloat>(),
                     [](const APFloat &v) { return v.isZero(); }))
      return {};
    if (type.getDimSize(0) == channels)
      return {bias, {}};
    auto full = RankedTensorType::get({channels}, type.getElementType());
    APFloat value = *dense.value_begin<APFloat>();
    return {arith::ConstantOp::create(builder, loc, full,
                                      DenseElementsAttr::get(full, value)),
            {}};
  }
  if (type.getDimSize(0) == channels)
    return {bias, {}};
  // One computed value for every channel: added after the convolution (a
  // one-element tensor broadcasts over the NCHW result).
  return {{}, bias};
}

/// Finishes an NCHW convolution result: the deferred bias, then NHWC.
Value finishConv(OpBuilder &builder, Location loc, Value y,
                 const ConvBias &bias) {
  if (bias.addAfter)
    y = npu::AddOp::create(builder, loc, y.getType(), y, bias.addAfter);
  return transposeValue(builder, loc, y, kToNHWC);
}

struct Conv2DPattern : TosaPattern<tosa::Conv2DOp> {
  using TosaPattern::TosaPattern;
  LogicalResult convert(tosa::Conv2DOp op, Adaptor adaptor,
                        ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto resultType = permutedType(tensorType(op.getOutput()), kToNCHW);
    Value x = transposeValue(rewriter, loc, adaptor.getInput(), kToNCHW);
    Value w = transposeValue(rewriter, loc, adaptor.getWeight(), kToNCHW);
    ConvBias bias =
        convertBias(rewriter, loc, adaptor.getBias(), resultType.getDimSize(1));
    Value y = npu::Conv2DOp::create(rewriter, loc, resultType, x, w,
                                    bias.operand, op.getStride(),
                                    toNPUPads(op.getPad()), op.getDilation(),
                                    /*groups=*/1);
    rewriter.replaceOp(op, finishConv(rewriter, loc, y, bias));
    return success();
  }
};

struct DepthwiseConv2DPattern : TosaPattern<tosa::DepthwiseConv2DOp> {
  using TosaPattern::TosaPattern;
  LogicalResult convert(tosa::DepthwiseConv2DOp op, Adaptor adaptor,
                        ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto resultType = permutedType(tensorType(op.getOutput()), kToNCHW);
    auto weightType = tensorType(op.getWeight());
    int64_t kh = weightType.getDimSize(0), kw = weightType.getDimSize(1);
    int64_t c = weightType.getDimSize(2), m = weightType.getDimSize(3);
    Value x = transposeValue(rewriter, loc, adaptor.getInput(), kToNCHW);
    // Output channel c * M + m is group c's m-th filter: [C, M, KH, KW] is
    // already the OIHW order, with one input channel per group.
    Value w =
        transposeValue(rewriter, loc, adaptor.getWeight(), kDepthwiseToCMHW);
    w = reshapeValue(rewriter, loc, w, weightType.clone({c * m, 1, kh, kw}));
    ConvBias bias = convertBias(rewriter, loc, adaptor.getBias(), c * m);
    Value y = npu::Conv2DOp::create(rewriter, loc, resultType, x, w,
                                    bias.operand, op.getStride(),
                                    toNPUPads(op.getPad()), op.getDilation(),
                                    /*groups=*/c);
    rewriter.replaceOp(op, finishConv(rewriter, loc, y, bias));
    return success();
  }
};

struct TransposeConv2DPattern : TosaPattern<tosa::TransposeConv2DOp> {
  using TosaPattern::TosaPattern;
  LogicalResult convert(tosa::TransposeConv2DOp op, Adaptor adaptor,
                        ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto resultType = permutedType(tensorType(op.getOutput()), kToNCHW);
    Value x = transposeValue(rewriter, loc, adaptor.getInput(), kToNCHW);
    Value w = transposeValue(rewriter, loc, adaptor.getWeight(),
                             kTransposeConvToIOHW);
    ConvBias bias =
        convertBias(rewriter, loc, adaptor.getBias(), resultType.getDimSize(1));
    // TOSA writes input pixel iy to output row iy * stride + out_pad_top + ky;
    // npu to iy * stride - pad_top + ky: a non-positive out_pad is a crop, a
    // positive one at the bottom/right is output_padding.
    ArrayRef<int64_t> outPad = op.getOutPad();
    SmallVector<int64_t> pads = {-outPad[0], -outPad[2],
                                 std::max<int64_t>(0, -outPad[1]),
                                 std::max<int64_t>(0, -outPad[3])};
    SmallVector<int64_t> outputPadding = {std::max<int64_t>(0, outPad[1]),
                                          std::max<int64_t>(0, outPad[3])};
    Value y = npu::ConvTranspose2DOp::create(
        rewriter, loc, resultType, x, w, bias.operand, op.getStride(), pads,
        /*dilations=*/{1, 1}, outputPadding, /*groups=*/1);
    rewriter.replaceOp(op, finishConv(rewriter, loc, y, bias));
    return success();
  }
};

struct MatMulPattern : TosaPattern<tosa::MatMulOp> {
  using TosaPattern::TosaPattern;
  LogicalResult convert(tosa::MatMulOp op, Adaptor adaptor,
                        ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOpWithNewOp<npu::MatMulOp>(op, op.getType(), adaptor.getA(),
                                               adaptor.getB());
    return success();
  }
};

/// TOSA broadcasts size-1 dimensions of equal-rank operands: a special
/// case of the npu's numpy broadcasting.
template <typename TosaOp, typename NPUOp>
struct BinaryPattern : TosaPattern<TosaOp> {
  using TosaPattern<TosaOp>::TosaPattern;
  using Adaptor = typename TosaPattern<TosaOp>::Adaptor;
  LogicalResult convert(TosaOp op, Adaptor adaptor,
                        ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOpWithNewOp<NPUOp>(op, op.getType(), adaptor.getInput1(),
                                       adaptor.getInput2());
    return success();
  }
};

template <typename TosaOp, typename NPUOp>
struct UnaryPattern : TosaPattern<TosaOp> {
  using TosaPattern<TosaOp>::TosaPattern;
  using Adaptor = typename TosaPattern<TosaOp>::Adaptor;
  LogicalResult convert(TosaOp op, Adaptor adaptor,
                        ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOpWithNewOp<NPUOp>(op, op.getType(),
                                       adaptor.getOperands().front());
    return success();
  }
};

/// 1 / x, with the 1 a constant of the same rank that broadcasts.
Value reciprocal(OpBuilder &builder, Location loc, Value x) {
  auto type = tensorType(x);
  auto oneType = type.clone(SmallVector<int64_t>(type.getRank(), 1));
  Value one = arith::ConstantOp::create(
      builder, loc, oneType,
      DenseElementsAttr::get(oneType, builder.getF32FloatAttr(1.0f)));
  return npu::DivOp::create(builder, loc, type, one, x);
}

struct ReciprocalPattern : TosaPattern<tosa::ReciprocalOp> {
  using TosaPattern::TosaPattern;
  LogicalResult convert(tosa::ReciprocalOp op, Adaptor adaptor,
                        ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(op,
                       reciprocal(rewriter, op.getLoc(), adaptor.getInput1()));
    return success();
  }
};

struct RsqrtPattern : TosaPattern<tosa::RsqrtOp> {
  using TosaPattern::TosaPattern;
  LogicalResult convert(tosa::RsqrtOp op, Adaptor adaptor,
                        ConversionPatternRewriter &rewriter) const override {
    Value root =
        npu::SqrtOp::create(rewriter, op.getLoc(), adaptor.getInput1());
    rewriter.replaceOp(op, reciprocal(rewriter, op.getLoc(), root));
    return success();
  }
};

struct ClampPattern : TosaPattern<tosa::ClampOp> {
  using TosaPattern::TosaPattern;
  LogicalResult convert(tosa::ClampOp op, Adaptor adaptor,
                        ConversionPatternRewriter &rewriter) const override {
    APFloat lo = cast<FloatAttr>(op.getMinValAttr()).getValue();
    APFloat hi = cast<FloatAttr>(op.getMaxValAttr()).getValue();
    if (lo.isPosZero() && hi.isInfinity() && !hi.isNegative()) {
      rewriter.replaceOpWithNewOp<npu::ReluOp>(op, adaptor.getInput());
      return success();
    }
    rewriter.replaceOpWithNewOp<npu::ClipOp>(
        op, adaptor.getInput(), rewriter.getF32FloatAttr(lo.convertToFloat()),
        rewriter.getF32FloatAttr(hi.convertToFloat()));
    return success();
  }
};

struct MaxPool2dPattern : TosaPattern<tosa::MaxPool2dOp> {
  using TosaPattern::TosaPattern;
  LogicalResult convert(tosa::MaxPool2dOp op, Adaptor adaptor,
                        ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto resultType = permutedType(tensorType(op.getOutput()), kToNCHW);
    Value x = transposeValue(rewriter, loc, adaptor.getInput(), kToNCHW);
    Value y =
        npu::MaxPool2DOp::create(rewriter, loc, resultType, x, op.getKernel(),
                                 op.getStride(), toNPUPads(op.getPad()));
    rewriter.replaceOp(op, transposeValue(rewriter, loc, y, kToNHWC));
    return success();
  }
};

struct AvgPool2dPattern : TosaPattern<tosa::AvgPool2dOp> {
  using TosaPattern::TosaPattern;
  LogicalResult convert(tosa::AvgPool2dOp op, Adaptor adaptor,
                        ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto resultType = permutedType(tensorType(op.getOutput()), kToNCHW);
    Value x = transposeValue(rewriter, loc, adaptor.getInput(), kToNCHW);
    // TOSA divides by the number of input positions in the window, without
    // the padding: count_include_pad = false.
    Value y = npu::AvgPool2DOp::create(
        rewriter, loc, resultType, x, op.getKernel(), op.getStride(),
        toNPUPads(op.getPad()), /*dilations=*/{1, 1}, /*ceil_mode=*/false,
        /*count_include_pad=*/false);
    rewriter.replaceOp(op, transposeValue(rewriter, loc, y, kToNHWC));
    return success();
  }
};

/// TOSA reductions keep the reduced dimension with size 1.
template <typename TosaOp, typename NPUOp>
struct ReducePattern : TosaPattern<TosaOp> {
  using TosaPattern<TosaOp>::TosaPattern;
  using Adaptor = typename TosaPattern<TosaOp>::Adaptor;
  LogicalResult convert(TosaOp op, Adaptor adaptor,
                        ConversionPatternRewriter &rewriter) const override {
    int64_t axis = op.getAxis();
    rewriter.replaceOpWithNewOp<NPUOp>(op, op.getType(), adaptor.getInput(),
                                       ArrayRef<int64_t>{axis},
                                       /*keepdims=*/true);
    return success();
  }
};

struct ReshapePattern : TosaPattern<tosa::ReshapeOp> {
  using TosaPattern::TosaPattern;
  LogicalResult convert(tosa::ReshapeOp op, Adaptor adaptor,
                        ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(op,
                       reshapeValue(rewriter, op.getLoc(), adaptor.getInput1(),
                                    tensorType(op.getOutput())));
    return success();
  }
};

struct TransposePattern : TosaPattern<tosa::TransposeOp> {
  using TosaPattern::TosaPattern;
  LogicalResult convert(tosa::TransposeOp op, Adaptor adaptor,
                        ConversionPatternRewriter &rewriter) const override {
    SmallVector<int64_t> perm(op.getPerms().begin(), op.getPerms().end());
    rewriter.replaceOp(
        op, transposeValue(rewriter, op.getLoc(), adaptor.getInput1(), perm));
    return success();
  }
};

struct ConcatPattern : TosaPattern<tosa::ConcatOp> {
  using TosaPattern::TosaPattern;
  LogicalResult convert(tosa::ConcatOp op, Adaptor adaptor,
                        ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOpWithNewOp<npu::ConcatOp>(
        op, op.getType(), adaptor.getInput1(),
        static_cast<int64_t>(op.getAxis()));
    return success();
  }
};

struct SlicePattern : TosaPattern<tosa::SliceOp> {
  using TosaPattern::TosaPattern;
  LogicalResult convert(tosa::SliceOp op, Adaptor adaptor,
                        ConversionPatternRewriter &rewriter) const override {
    std::string reason;
    FailureOr<SmallVector<int64_t>> start =
        getShapeValues(op.getStart(), "start", reason);
    if (failed(start))
      return rewriter.notifyMatchFailure(op, reason);
    SmallVector<int64_t> strides(start->size(), 1);
    rewriter.replaceOpWithNewOp<npu::SliceOp>(
        op, op.getType(), adaptor.getInput1(), *start, strides);
    return success();
  }
};

struct PadPattern : TosaPattern<tosa::PadOp> {
  using TosaPattern::TosaPattern;
  LogicalResult convert(tosa::PadOp op, Adaptor adaptor,
                        ConversionPatternRewriter &rewriter) const override {
    std::string reason;
    FailureOr<SmallVector<int64_t>> padding =
        getShapeValues(op.getPadding(), "padding", reason);
    DenseElementsAttr value;
    if (failed(padding) || !matchPattern(op.getPadConst(), m_Constant(&value)))
      return rewriter.notifyMatchFailure(op, "padding is not constant");
    // TOSA: [before0, after0, before1, ...]; npu: all befores, then afters.
    size_t rank = padding->size() / 2;
    SmallVector<int64_t> pads(2 * rank);
    for (size_t d = 0; d < rank; ++d) {
      pads[d] = (*padding)[2 * d];
      pads[rank + d] = (*padding)[2 * d + 1];
    }
    rewriter.replaceOpWithNewOp<npu::PadOp>(
        op, op.getType(), adaptor.getInput1(), pads, npu::PadMode::constant,
        *value.value_begin<APFloat>());
    return success();
  }
};

struct ResizePattern : TosaPattern<tosa::ResizeOp> {
  using TosaPattern::TosaPattern;
  LogicalResult convert(tosa::ResizeOp op, Adaptor adaptor,
                        ConversionPatternRewriter &rewriter) const override {
    std::string reason;
    FailureOr<ResizeChoice> choice = matchResize(op, reason);
    if (failed(choice))
      return rewriter.notifyMatchFailure(op, reason);
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    auto resultType = permutedType(tensorType(op.getOutput()), kToNCHW);
    Value x = transposeValue(rewriter, loc, adaptor.getInput(), kToNCHW);
    Value y = npu::ResizeOp::create(
        rewriter, loc, resultType, x,
        npu::ResizeModeAttr::get(ctx, choice->mode),
        npu::CoordinateModeAttr::get(ctx, choice->coordinate),
        npu::NearestModeAttr::get(ctx, choice->nearest));
    rewriter.replaceOp(op, transposeValue(rewriter, loc, y, kToNHWC));
    return success();
  }
};

/// tosa.identity and the f32 to f32 tosa.cast: the input itself.
template <typename TosaOp> struct ForwardPattern : TosaPattern<TosaOp> {
  using TosaPattern<TosaOp>::TosaPattern;
  using Adaptor = typename TosaPattern<TosaOp>::Adaptor;
  LogicalResult convert(TosaOp op, Adaptor adaptor,
                        ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, adaptor.getOperands().front());
    return success();
  }
};

} // namespace

LogicalResult checkTosaToNPU(Operation *op, std::string &reason) {
  return llvm::TypeSwitch<Operation *, LogicalResult>(op)
      .Case([&](tosa::ConstOp c) { return checkConst(c, reason); })
      .Case([&](tosa::CastOp c) { return checkCast(c, reason); })
      .Case([&](tosa::MulOp mul) {
        // Operand 2 is the i8 shift.
        if (failed(checkDataTypes(mul, reason, /*parameters=*/{2})))
          return failure();
        return checkOp(mul, reason);
      })
      .Case<tosa::Conv2DOp, tosa::DepthwiseConv2DOp, tosa::TransposeConv2DOp,
            tosa::MatMulOp, tosa::AddOp, tosa::SubOp, tosa::MaximumOp,
            tosa::MinimumOp, tosa::PowOp, tosa::ReciprocalOp, tosa::RsqrtOp,
            tosa::ClampOp, tosa::SigmoidOp, tosa::TanhOp, tosa::ExpOp,
            tosa::MaxPool2dOp, tosa::AvgPool2dOp, tosa::ReduceSumOp,
            tosa::ReduceMaxOp, tosa::ReshapeOp, tosa::TransposeOp,
            tosa::ConcatOp, tosa::SliceOp, tosa::PadOp, tosa::ResizeOp,
            tosa::IdentityOp>([&](auto specific) {
        if (failed(checkDataTypes(specific, reason)))
          return failure();
        return checkOp(specific, reason);
      })
      .Case([&](tosa::ErfOp) -> LogicalResult {
        return Why(reason) << "has no exact npu equivalent (npu.gelu is "
                              "x/2 * (1 + erf(x/sqrt(2))), not erf)";
      })
      .Default([&](Operation *) -> LogicalResult {
        return Why(reason) << "has no npu equivalent";
      });
}

void populateTosaToNPUPatterns(RewritePatternSet &patterns) {
  patterns.add<ConstPattern, Conv2DPattern, DepthwiseConv2DPattern,
               TransposeConv2DPattern, MatMulPattern,
               BinaryPattern<tosa::AddOp, npu::AddOp>,
               BinaryPattern<tosa::SubOp, npu::SubOp>,
               BinaryPattern<tosa::MulOp, npu::MulOp>,
               BinaryPattern<tosa::MaximumOp, npu::MaxOp>,
               BinaryPattern<tosa::MinimumOp, npu::MinOp>,
               BinaryPattern<tosa::PowOp, npu::PowOp>,
               UnaryPattern<tosa::SigmoidOp, npu::SigmoidOp>,
               UnaryPattern<tosa::TanhOp, npu::TanhOp>,
               UnaryPattern<tosa::ExpOp, npu::ExpOp>, ReciprocalPattern,
               RsqrtPattern, ClampPattern, MaxPool2dPattern, AvgPool2dPattern,
               ReducePattern<tosa::ReduceSumOp, npu::ReduceSumOp>,
               ReducePattern<tosa::ReduceMaxOp, npu::ReduceMaxOp>,
               ReshapePattern, TransposePattern, ConcatPattern, SlicePattern,
               PadPattern, ResizePattern, ForwardPattern<tosa::IdentityOp>,
               ForwardPattern<tosa::CastOp>>(patterns.getContext());
}

} // namespace mlir::npu
