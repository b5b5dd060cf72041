//===- NPUOps.cpp - NPU graph-level operation verifiers -------------------===//
//
// Shape, attribute and structure checks of `npu` operations. Each message
// names the offending value and the limit it breaks; each has a test in
// test/Dialect/NPU/invalid.mlir.
//
//===----------------------------------------------------------------------===//

#include "npu/Dialect/NPU/NPUOps.h"

#include "mlir/Dialect/Traits.h"
#include "npu/rt/Cost.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallSet.h"

#include <cmath>

using namespace mlir;
using namespace mlir::npu;

namespace {

/// Compares `type`'s shape with `expected` (kDynamic in either matches
/// anything) and reports the first difference.
LogicalResult verifyShape(Operation *op, StringRef what, ShapedType type,
                          ArrayRef<int64_t> expected) {
  ArrayRef<int64_t> actual = type.getShape();
  auto fmt = [](ArrayRef<int64_t> shape) {
    std::string s;
    llvm::raw_string_ostream os(s);
    llvm::interleave(
        shape, os,
        [&](int64_t d) {
          if (ShapedType::isDynamic(d))
            os << '?';
          else
            os << d;
        },
        "x");
    return s;
  };
  bool same = actual.size() == expected.size();
  for (size_t i = 0; same && i < actual.size(); ++i)
    same = ShapedType::isDynamic(actual[i]) ||
           ShapedType::isDynamic(expected[i]) || actual[i] == expected[i];
  if (same)
    return success();
  return op->emitOpError() << what << " shape " << fmt(actual)
                           << " does not match the expected " << fmt(expected);
}

/// Checks a window attribute set (2 strides, 4 pads, 2 dilations) shared by
/// convolution and pooling.
LogicalResult verifyWindowAttrs(Operation *op, ArrayRef<int64_t> strides,
                                ArrayRef<int64_t> pads,
                                ArrayRef<int64_t> dilations) {
  if (strides.size() != 2)
    return op->emitOpError() << "expects 2 strides, got " << strides.size();
  if (dilations.size() != 2)
    return op->emitOpError() << "expects 2 dilations, got "
                             << dilations.size();
  if (pads.size() != 4)
    return op->emitOpError()
           << "expects 4 pads [top, left, bottom, right], got " << pads.size();
  for (int64_t s : strides)
    if (s <= 0)
      return op->emitOpError() << "strides must be positive, got " << s;
  for (int64_t d : dilations)
    if (d <= 0)
      return op->emitOpError() << "dilations must be positive, got " << d;
  for (int64_t p : pads)
    if (p < 0)
      return op->emitOpError() << "pads must be non-negative, got " << p;
  return success();
}

/// windowOutput()'s answer when the padded input or the dilated window
/// overflows 64 bits.
constexpr int64_t kWindowOverflow = std::numeric_limits<int64_t>::min();

/// Output extent of a window sweep, or kDynamic for a dynamic input.
/// Returns 0 when the window does not fit, kWindowOverflow when its
/// arithmetic does not fit 64 bits.
int64_t windowOutput(int64_t in, int64_t kernel, int64_t stride,
                     int64_t padBegin, int64_t padEnd, int64_t dilation,
                     bool ceilMode) {
  if (ShapedType::isDynamic(in) || ShapedType::isDynamic(kernel))
    return ShapedType::kDynamic;
  int64_t padded, span;
  if (llvm::AddOverflow(in, padBegin, padded) ||
      llvm::AddOverflow(padded, padEnd, padded) ||
      llvm::MulOverflow(dilation, kernel - 1, span))
    return kWindowOverflow;
  return ::npu::rt::cost::windowOutputSize(in, kernel, stride, padBegin,
                                           padEnd, dilation, ceilMode);
}

/// The error for a window sweep that fits no output (`oh` or `ow` is 0 or
/// kWindowOverflow); success otherwise.
LogicalResult checkWindowFits(Operation *op, int64_t oh, int64_t ow) {
  if (oh == kWindowOverflow || ow == kWindowOverflow)
    return op->emitOpError()
           << "the padded input or the dilated kernel overflows 64 bits "
              "(pads or dilations out of range)";
  if (oh == 0 || ow == 0)
    return op->emitOpError() << "kernel does not fit the padded input";
  return success();
}

/// Normalises `axis` into [0, rank) or fails.
FailureOr<int64_t> normalizeAxis(Operation *op, int64_t axis, int64_t rank) {
  if (axis < -rank || axis >= rank) {
    op->emitOpError() << "axis " << axis << " is out of range for rank "
                      << rank;
    return failure();
  }
  return axis < 0 ? axis + rank : axis;
}

/// The chip of the program enclosing `op` and the system, or failure when
/// the program has no system (ProgramOp reports that itself).
LogicalResult verifyPeerChip(Operation *op, int64_t peer, StringRef verb) {
  auto program = op->getParentOfType<ProgramOp>();
  SystemAttr system = getSystemAttr(op);
  if (!program || !system)
    return success();
  if (peer == static_cast<int64_t>(program.getChip()))
    return op->emitOpError() << "cannot " << verb << " its own chip "
                             << peer;
  if (!lookupChip(system, peer))
    return op->emitOpError() << "chip " << peer << " is not in system '"
                             << system.getName() << "'";
  return success();
}

} // namespace

//===----------------------------------------------------------------------===//
// Convolution and matrix products.
//===----------------------------------------------------------------------===//

LogicalResult Conv2DOp::verify() {
  if (failed(verifyWindowAttrs(*this, getStrides(), getPads(), getDilations())))
    return failure();
  int64_t groups = getGroups();
  if (groups <= 0)
    return emitOpError() << "groups must be positive, got " << groups;
  auto input = getInput().getType();
  auto weight = getWeight().getType();
  int64_t channels = input.getDimSize(1);
  int64_t outChannels = weight.getDimSize(0);
  if (!ShapedType::isDynamic(channels)) {
    if (channels % groups != 0)
      return emitOpError() << "input channels " << channels
                           << " are not divisible by groups " << groups;
    int64_t perGroup = weight.getDimSize(1);
    if (!ShapedType::isDynamic(perGroup) && perGroup != channels / groups)
      return emitOpError() << "weight has " << perGroup
                           << " input channels per group but the input has "
                           << channels / groups;
  }
  if (!ShapedType::isDynamic(outChannels) && outChannels % groups != 0)
    return emitOpError() << "output channels " << outChannels
                         << " are not divisible by groups " << groups;
  if (getBias()) {
    int64_t biasSize = getBias().getType().getDimSize(0);
    if (!ShapedType::isDynamic(biasSize) &&
        !ShapedType::isDynamic(outChannels) && biasSize != outChannels)
      return emitOpError() << "bias has " << biasSize
                           << " elements but the weight has " << outChannels
                           << " output channels";
  }
  // An empty kernel would make the output larger than the padded input.
  if (weight.getDimSize(2) == 0 || weight.getDimSize(3) == 0)
    return emitOpError() << "kernel sizes must be positive";
  ArrayRef<int64_t> s = getStrides(), p = getPads(), d = getDilations();
  int64_t oh = windowOutput(input.getDimSize(2), weight.getDimSize(2), s[0],
                            p[0], p[2], d[0], false);
  int64_t ow = windowOutput(input.getDimSize(3), weight.getDimSize(3), s[1],
                            p[1], p[3], d[1], false);
  if (failed(checkWindowFits(*this, oh, ow)))
    return failure();
  return verifyShape(*this, "result", getType(),
                     {input.getDimSize(0), outChannels, oh, ow});
}

LogicalResult ConvTranspose2DOp::verify() {
  if (failed(verifyWindowAttrs(*this, getStrides(), getPads(), getDilations())))
    return failure();
  ArrayRef<int64_t> s = getStrides(), p = getPads(), d = getDilations();
  ArrayRef<int64_t> outPad = getOutputPadding();
  if (outPad.size() != 2)
    return emitOpError() << "expects 2 output_padding values, got "
                         << outPad.size();
  // ONNX requires output_padding below the stride or the dilation: it only
  // picks one of the output sizes that a strided convolution would map back
  // to the same input size.
  for (int i = 0; i < 2; ++i)
    if (outPad[i] < 0 || outPad[i] >= std::max(s[i], d[i]))
      return emitOpError() << "output_padding " << outPad[i] << " in dimension "
                           << i
                           << " must be non-negative and less than the stride "
                           << s[i] << " or the dilation " << d[i];
  int64_t groups = getGroups();
  if (groups <= 0)
    return emitOpError() << "groups must be positive, got " << groups;
  auto input = getInput().getType();
  auto weight = getWeight().getType();
  int64_t channels = input.getDimSize(1);
  int64_t weightChannels = weight.getDimSize(0);
  if (!ShapedType::isDynamic(channels)) {
    if (channels % groups != 0)
      return emitOpError() << "input channels " << channels
                           << " are not divisible by groups " << groups;
    if (!ShapedType::isDynamic(weightChannels) && weightChannels != channels)
      return emitOpError() << "weight has " << weightChannels
                           << " input channels but the input has " << channels;
  }
  int64_t perGroup = weight.getDimSize(1);
  int64_t outChannels = ShapedType::isDynamic(perGroup) ? ShapedType::kDynamic
                                                        : perGroup * groups;
  if (getBias()) {
    auto bias = getBias().getType();
    if (bias.getElementType() != input.getElementType())
      return emitOpError() << "bias element type " << bias.getElementType()
                           << " differs from the input's "
                           << input.getElementType();
    int64_t biasSize = bias.getDimSize(0);
    if (!ShapedType::isDynamic(biasSize) &&
        !ShapedType::isDynamic(outChannels) && biasSize != outChannels)
      return emitOpError() << "bias has " << biasSize
                           << " elements but the weight has " << outChannels
                           << " output channels (" << perGroup << " x "
                           << groups << " groups)";
  }
  if (weight.getDimSize(2) == 0 || weight.getDimSize(3) == 0)
    return emitOpError() << "kernel sizes must be positive";
  // ONNX: out = stride * (in - 1) + output_padding + (k - 1) * dilation + 1
  //             - pad_begin - pad_end.
  SmallVector<int64_t> spatial;
  for (int i = 0; i < 2; ++i) {
    int64_t in = input.getDimSize(2 + i), k = weight.getDimSize(2 + i);
    if (ShapedType::isDynamic(in) || ShapedType::isDynamic(k)) {
      spatial.push_back(ShapedType::kDynamic);
      continue;
    }
    int64_t out =
        s[i] * (in - 1) + outPad[i] + (k - 1) * d[i] + 1 - p[i] - p[i + 2];
    if (out <= 0)
      return emitOpError() << "pads " << p[i] << " and " << p[i + 2]
                           << " leave no output in dimension " << i
                           << " (the unpadded output has "
                           << out + p[i] + p[i + 2] << ")";
    spatial.push_back(out);
  }
  return verifyShape(
      *this, "result", getType(),
      {input.getDimSize(0), outChannels, spatial[0], spatial[1]});
}

LogicalResult MatMulOp::verify() {
  auto lhs = getLhs().getType();
  auto rhs = getRhs().getType();
  if (lhs.getRank() < 1 || rhs.getRank() < 1)
    return emitOpError() << "operands must have rank at least 1";
  // numpy: a 1-D lhs is a row vector, a 1-D rhs a column vector.
  SmallVector<int64_t> a(lhs.getShape()), b(rhs.getShape());
  bool lhsVector = a.size() == 1, rhsVector = b.size() == 1;
  if (lhsVector)
    a.insert(a.begin(), 1);
  if (rhsVector)
    b.push_back(1);
  int64_t ka = a.back(), kb = b[b.size() - 2];
  if (!ShapedType::isDynamic(ka) && !ShapedType::isDynamic(kb) && ka != kb)
    return emitOpError() << "contracting dimensions differ: " << ka << " vs "
                         << kb;
  SmallVector<int64_t> batch;
  ArrayRef<int64_t> batchA = ArrayRef<int64_t>(a).drop_back(2);
  ArrayRef<int64_t> batchB = ArrayRef<int64_t>(b).drop_back(2);
  if (!OpTrait::util::getBroadcastedShape(batchA, batchB, batch))
    return emitOpError() << "batch dimensions do not broadcast";
  SmallVector<int64_t> expected(batch);
  if (!lhsVector)
    expected.push_back(a[a.size() - 2]);
  if (!rhsVector)
    expected.push_back(b.back());
  return verifyShape(*this, "result", getType(), expected);
}

LogicalResult GemmOp::verify() {
  auto a = getA().getType();
  auto b = getB().getType();
  int64_t m = a.getDimSize(getTransA() ? 1 : 0);
  int64_t ka = a.getDimSize(getTransA() ? 0 : 1);
  int64_t kb = b.getDimSize(getTransB() ? 1 : 0);
  int64_t n = b.getDimSize(getTransB() ? 0 : 1);
  if (!ShapedType::isDynamic(ka) && !ShapedType::isDynamic(kb) && ka != kb)
    return emitOpError() << "contracting dimensions differ: " << ka << " vs "
                         << kb;
  if (getC()) {
    auto c = getC().getType();
    if (c.getRank() > 2)
      return emitOpError() << "c must have rank at most 2, got "
                           << c.getRank();
    // A dynamic M or N accepts any size of c there (it is checked at run
    // time), and prints as '?'.
    SmallVector<int64_t> broadcast;
    auto fits = [](int64_t got, int64_t want) {
      return ShapedType::isDynamic(want) || got == want;
    };
    auto dim = [](int64_t d) {
      return ShapedType::isDynamic(d) ? std::string("?") : std::to_string(d);
    };
    if (!OpTrait::util::getBroadcastedShape(c.getShape(), {m, n}, broadcast) ||
        !fits(broadcast[0], m) || !fits(broadcast[1], n))
      return emitOpError() << "c does not broadcast to " << dim(m) << "x"
                           << dim(n);
  }
  return verifyShape(*this, "result", getType(), {m, n});
}

//===----------------------------------------------------------------------===//
// Elementwise.
//===----------------------------------------------------------------------===//

LogicalResult ClipOp::verify() {
  float lo = getMin().convertToFloat(), hi = getMax().convertToFloat();
  if (std::isnan(lo) || std::isnan(hi) || lo > hi)
    return emitOpError() << "min " << lo << " must not exceed max " << hi;
  return success();
}

LogicalResult SoftmaxOp::verify() {
  return normalizeAxis(*this, getAxis(), getType().getRank());
}

LogicalResult BatchNormOp::verify() {
  auto input = getInput().getType();
  if (input.getRank() < 2)
    return emitOpError() << "input must have rank at least 2 (N x C x ...), "
                            "got "
                         << input.getRank();
  int64_t channels = input.getDimSize(1);
  for (auto [name, value] :
       {std::pair<StringRef, Value>{"scale", getScale()},
        {"bias", getBias()},
        {"mean", getMean()},
        {"variance", getVariance()}}) {
    int64_t size = cast<ShapedType>(value.getType()).getDimSize(0);
    if (!ShapedType::isDynamic(size) && !ShapedType::isDynamic(channels) &&
        size != channels)
      return emitOpError() << name << " has " << size
                           << " elements but the input has " << channels
                           << " channels";
  }
  float epsilon = getEpsilon().convertToFloat();
  if (!(epsilon >= 0))
    return emitOpError() << "epsilon must be a non-negative number, got "
                         << epsilon;
  return success();
}

//===----------------------------------------------------------------------===//
// Pooling and reductions.
//===----------------------------------------------------------------------===//

template <typename PoolOp>
static LogicalResult verifyPool2D(PoolOp op) {
  ArrayRef<int64_t> k = op.getKernel();
  if (k.size() != 2)
    return op.emitOpError() << "expects a 2-D kernel, got " << k.size()
                            << " sizes";
  if (k[0] <= 0 || k[1] <= 0)
    return op.emitOpError() << "kernel sizes must be positive";
  if (failed(verifyWindowAttrs(op, op.getStrides(), op.getPads(),
                               op.getDilations())))
    return failure();
  ArrayRef<int64_t> s = op.getStrides(), p = op.getPads(),
                    d = op.getDilations();
  if (p[0] >= k[0] || p[2] >= k[0] || p[1] >= k[1] || p[3] >= k[1])
    return op.emitOpError() << "pads must be smaller than the kernel";
  auto input = op.getInput().getType();
  int64_t oh = windowOutput(input.getDimSize(2), k[0], s[0], p[0], p[2], d[0],
                            op.getCeilMode());
  int64_t ow = windowOutput(input.getDimSize(3), k[1], s[1], p[1], p[3], d[1],
                            op.getCeilMode());
  if (failed(checkWindowFits(op, oh, ow)))
    return failure();
  return verifyShape(op, "result", op.getType(),
                     {input.getDimSize(0), input.getDimSize(1), oh, ow});
}

LogicalResult MaxPool2DOp::verify() { return verifyPool2D(*this); }
LogicalResult AvgPool2DOp::verify() { return verifyPool2D(*this); }

template <typename GlobalOp>
static LogicalResult verifyGlobalPool(GlobalOp op) {
  auto input = op.getInput().getType();
  return verifyShape(op, "result", op.getType(),
                     {input.getDimSize(0), input.getDimSize(1), 1, 1});
}

LogicalResult GlobalAvgPoolOp::verify() { return verifyGlobalPool(*this); }
LogicalResult GlobalMaxPoolOp::verify() { return verifyGlobalPool(*this); }

template <typename ReduceOp>
static LogicalResult verifyReduce(ReduceOp op) {
  auto input = op.getInput().getType();
  int64_t rank = input.getRank();
  if (op.getAxes().empty())
    return op.emitOpError() << "needs at least one axis";
  llvm::SmallSet<int64_t, 4> seen;
  for (int64_t axis : op.getAxes()) {
    FailureOr<int64_t> norm = normalizeAxis(op, axis, rank);
    if (failed(norm))
      return failure();
    if (!seen.insert(*norm).second)
      return op.emitOpError() << "axis " << axis << " appears twice";
  }
  SmallVector<int64_t> expected;
  for (int64_t i = 0; i < rank; ++i) {
    if (!seen.count(i))
      expected.push_back(input.getDimSize(i));
    else if (op.getKeepdims())
      expected.push_back(1);
  }
  return verifyShape(op, "result", op.getType(), expected);
}

LogicalResult ReduceMeanOp::verify() { return verifyReduce(*this); }
LogicalResult ReduceSumOp::verify() { return verifyReduce(*this); }
LogicalResult ReduceMaxOp::verify() { return verifyReduce(*this); }

//===----------------------------------------------------------------------===//
// Layout.
//===----------------------------------------------------------------------===//

LogicalResult ReshapeOp::verify() {
  auto in = getInput().getType();
  auto out = getType();
  if (!in.hasStaticShape() || !out.hasStaticShape())
    return emitOpError() << "requires static shapes";
  if (in.getNumElements() != out.getNumElements())
    return emitOpError() << "cannot reshape " << in.getNumElements()
                         << " elements into " << out.getNumElements();
  return success();
}

OpFoldResult ReshapeOp::fold(FoldAdaptor) {
  // A reshape to the same type is the input itself.
  if (getInput().getType() == getType())
    return getInput();
  // Only the final shape matters: reshape(reshape(x)) is reshape(x).
  if (auto inner = getInput().getDefiningOp<ReshapeOp>()) {
    getInputMutable().assign(inner.getInput());
    return getResult();
  }
  return {};
}

OpFoldResult TransposeOp::fold(FoldAdaptor) {
  ArrayRef<int64_t> perm = getPerm();
  auto isIdentity = [](ArrayRef<int64_t> p) {
    for (auto [i, v] : llvm::enumerate(p))
      if (static_cast<int64_t>(i) != v)
        return false;
    return true;
  };
  if (isIdentity(perm))
    return getInput();
  // transpose(transpose(x, p1), p2) is transpose(x, p1[p2[i]]).
  if (auto inner = getInput().getDefiningOp<TransposeOp>()) {
    SmallVector<int64_t> composed;
    for (int64_t p : perm)
      composed.push_back(inner.getPerm()[p]);
    if (isIdentity(composed) && inner.getInput().getType() == getType())
      return inner.getInput();
    getInputMutable().assign(inner.getInput());
    setPerm(composed);
    return getResult();
  }
  return {};
}

LogicalResult TransposeOp::verify() {
  auto in = getInput().getType();
  ArrayRef<int64_t> perm = getPerm();
  if (static_cast<int64_t>(perm.size()) != in.getRank())
    return emitOpError() << "perm has " << perm.size()
                         << " entries but the input has rank "
                         << in.getRank();
  SmallVector<bool> used(perm.size(), false);
  SmallVector<int64_t> expected;
  for (int64_t p : perm) {
    if (p < 0 || p >= in.getRank() || used[p])
      return emitOpError() << "perm is not a permutation of 0.."
                           << in.getRank() - 1;
    used[p] = true;
    expected.push_back(in.getDimSize(p));
  }
  return verifyShape(*this, "result", getType(), expected);
}

LogicalResult ConcatOp::verify() {
  if (getInputs().empty())
    return emitOpError() << "needs at least one input";
  auto first = cast<RankedTensorType>(getInputs().front().getType());
  int64_t rank = first.getRank();
  FailureOr<int64_t> axis = normalizeAxis(*this, getAxis(), rank);
  if (failed(axis))
    return failure();
  SmallVector<int64_t> expected(first.getShape());
  for (auto [index, value] : llvm::enumerate(getInputs().drop_front())) {
    auto type = cast<RankedTensorType>(value.getType());
    if (type.getRank() != rank)
      return emitOpError() << "input " << index + 1 << " has rank "
                           << type.getRank() << " but input 0 has rank "
                           << rank;
    if (type.getElementType() != first.getElementType())
      return emitOpError() << "input " << index + 1
                           << " has element type " << type.getElementType()
                           << " but input 0 has " << first.getElementType();
    for (int64_t d = 0; d < rank; ++d) {
      int64_t size = type.getDimSize(d);
      if (d == *axis) {
        expected[d] = ShapedType::isDynamic(size) ||
                              ShapedType::isDynamic(expected[d])
                          ? ShapedType::kDynamic
                          : expected[d] + size;
      } else if (!ShapedType::isDynamic(size) &&
                 !ShapedType::isDynamic(expected[d]) && size != expected[d]) {
        return emitOpError() << "input " << index + 1 << " has size " << size
                             << " in dimension " << d << " but input 0 has "
                             << expected[d];
      }
    }
  }
  if (getType().getElementType() != first.getElementType())
    return emitOpError() << "result element type " << getType().getElementType()
                         << " differs from the inputs' "
                         << first.getElementType();
  return verifyShape(*this, "result", getType(), expected);
}

LogicalResult SliceOp::verify() {
  auto in = getInput().getType();
  auto out = getType();
  int64_t rank = in.getRank();
  if (static_cast<int64_t>(getOffsets().size()) != rank ||
      static_cast<int64_t>(getStrides().size()) != rank)
    return emitOpError() << "needs one offset and one stride per dimension ("
                         << rank << ")";
  if (out.getRank() != rank)
    return emitOpError() << "result rank " << out.getRank()
                         << " differs from the input rank " << rank;
  for (int64_t d = 0; d < rank; ++d) {
    int64_t offset = getOffsets()[d], stride = getStrides()[d];
    int64_t dim = in.getDimSize(d), size = out.getDimSize(d);
    if (stride <= 0)
      return emitOpError() << "stride of dimension " << d
                           << " must be positive, got " << stride;
    if (offset < 0)
      return emitOpError() << "offset of dimension " << d
                           << " must be non-negative, got " << offset;
    if (ShapedType::isDynamic(dim) || ShapedType::isDynamic(size))
      continue;
    int64_t last;
    if (size > 0 && (llvm::MulOverflow(size - 1, stride, last) ||
                     llvm::AddOverflow(last, offset, last)))
      return emitOpError() << "slice of dimension " << d << " reads past its "
                           << "size " << dim << ": offset " << offset << " + ("
                           << size << " - 1) x stride " << stride
                           << " overflows 64 bits";
    if (size > 0 && last >= dim)
      return emitOpError() << "slice of dimension " << d << " reads index "
                           << last << " past its size " << dim;
  }
  return success();
}

LogicalResult PadOp::verify() {
  auto in = getInput().getType();
  int64_t rank = in.getRank();
  ArrayRef<int64_t> pads = getPads();
  if (static_cast<int64_t>(pads.size()) != 2 * rank)
    return emitOpError() << "expects " << 2 * rank << " pads (begin and end "
                         << "of each dimension), got " << pads.size();
  SmallVector<int64_t> expected;
  for (int64_t d = 0; d < rank; ++d) {
    int64_t before = pads[d], after = pads[d + rank];
    if (before < 0 || after < 0)
      return emitOpError() << "pads must be non-negative, got " << before
                           << " and " << after << " for dimension " << d;
    int64_t dim = in.getDimSize(d);
    if (getMode() == PadMode::reflect && !ShapedType::isDynamic(dim) &&
        (before >= dim || after >= dim))
      return emitOpError() << "reflect padding of dimension " << d
                           << " must be smaller than its size " << dim;
    int64_t padded = dim;
    if (!ShapedType::isDynamic(dim) &&
        (llvm::AddOverflow(dim, before, padded) ||
         llvm::AddOverflow(padded, after, padded)))
      return emitOpError() << "padding dimension " << d << " of size " << dim
                           << " by " << before << " and " << after
                           << " overflows 64 bits";
    expected.push_back(padded);
  }
  return verifyShape(*this, "result", getType(), expected);
}

LogicalResult ResizeOp::verify() {
  auto in = getInput().getType();
  auto out = getType();
  for (int64_t d = 0; d < 2; ++d)
    if (!ShapedType::isDynamic(in.getDimSize(d)) &&
        !ShapedType::isDynamic(out.getDimSize(d)) &&
        in.getDimSize(d) != out.getDimSize(d))
      return emitOpError() << "resizes only H and W, but dimension " << d
                           << " changes from " << in.getDimSize(d) << " to "
                           << out.getDimSize(d);
  return success();
}

//===----------------------------------------------------------------------===//
// Quantization.
//===----------------------------------------------------------------------===//

static LogicalResult verifyQuantParams(Operation *op, APFloat scale,
                                       int64_t zeroPoint, Type intType,
                                       ShapedType a, ShapedType b) {
  float s = scale.convertToFloat();
  if (!(s > 0) || std::isinf(s))
    return op->emitOpError() << "scale must be positive and finite, got " << s;
  bool isUnsigned = intType.isUnsignedInteger();
  int64_t lo = isUnsigned ? 0 : -128, hi = isUnsigned ? 255 : 127;
  if (zeroPoint < lo || zeroPoint > hi)
    return op->emitOpError() << "zero point " << zeroPoint
                             << " is outside the range [" << lo << ", " << hi
                             << "] of " << intType;
  return verifyShape(op, "result", b, a.getShape());
}

LogicalResult QuantizeOp::verify() {
  return verifyQuantParams(*this, getScale(), getZeroPoint(),
                           getType().getElementType(), getInput().getType(),
                           getType());
}

LogicalResult DequantizeOp::verify() {
  return verifyQuantParams(*this, getScale(), getZeroPoint(),
                           getInput().getType().getElementType(),
                           getInput().getType(), getType());
}

//===----------------------------------------------------------------------===//
// Structure.
//===----------------------------------------------------------------------===//

LogicalResult ProgramOp::verify() {
  SystemAttr system = getSystemAttr(*this);
  if (!system)
    return emitOpError() << "requires the enclosing module to carry an '"
                         << NPUDialect::getSystemAttrName() << "' attribute";
  if (!lookupChip(system, getChip()))
    return emitOpError() << "chip " << getChip() << " is not in system '"
                         << system.getName() << "'";
  return success();
}

LogicalResult InputOp::verify() {
  if (getName().empty())
    return emitOpError() << "name must not be empty";
  return success();
}

LogicalResult OutputOp::verify() {
  if (getName().empty())
    return emitOpError() << "name must not be empty";
  return success();
}

LogicalResult SendOp::verify() {
  return verifyPeerChip(*this, getChip(), "send to");
}

LogicalResult RecvOp::verify() {
  return verifyPeerChip(*this, getChip(), "receive from");
}

LogicalResult ExitGateOp::verify() {
  float threshold = getThreshold().convertToFloat();
  if (!(threshold >= 0 && threshold <= 1))
    return emitOpError() << "threshold " << threshold
                         << " must be in [0, 1]";
  auto logits = getLogits().getType();
  int64_t classes = logits.getShape().back();
  if ((logits.getRank() == 2 && logits.getDimSize(0) != 1) ||
      ShapedType::isDynamic(classes) || classes < 2)
    return emitOpError() << "logits must be [classes] or [1, classes] with at "
                            "least 2 classes, got "
                         << logits;
  if (getOutput().empty())
    return emitOpError() << "output name must not be empty";
  if (getChip().has_value() != getChannel().has_value())
    return emitOpError() << "escalation needs both a chip and a channel";
  bool escalates = getChip().has_value();
  if (escalates && !getFeatures())
    return emitOpError() << "escalation needs features to send";
  if (!escalates && getFeatures())
    return emitOpError() << "features are sent only on escalation";
  if (escalates)
    return verifyPeerChip(*this, *getChip(), "escalate to");
  return success();
}
