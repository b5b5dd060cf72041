//===- ImportOps.cpp - ONNX operators -> npu ops --------------------------===//
//
// One importer per ONNX operator type, registered in a table. An importer
// reads the node's attributes and inputs through NodeContext, computes the
// result shapes with ONNX's formulas, and either folds the node on the host
// (when every input is a host constant and the operator computes shapes or
// small constants) or creates the npu op. Opset differences (attributes that
// became inputs, changed defaults) are handled where they occur.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

#include "npu/Dialect/NPU/NPUDialect.h"
#include "npu/Dialect/NPU/NPUOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/FormatVariadic.h"

#include <cmath>
#include <functional>
#include <limits>
#include <numeric>

using namespace mlir;
using namespace mlir::npu;
using namespace mlir::npu::onnx_import;

namespace {
/// Host-folded tensors larger than this are not computed at import.
constexpr int64_t kMaxFoldElements = int64_t(1) << 24;

std::string shapeStr(ArrayRef<int64_t> shape) {
  std::string s = "[";
  llvm::raw_string_ostream os(s);
  llvm::interleaveComma(shape, os);
  os << "]";
  return s;
}

std::string num(double v) { return llvm::formatv("{0}", v).str(); }

/// The number of elements of `dims`, saturated at INT64_MAX: while a node
/// computes its result shapes they may not fit yet (Importer::importNode
/// refuses such results), and every size limit here refuses INT64_MAX.
int64_t product(ArrayRef<int64_t> dims) {
  return checkedNumElements(dims).value_or(std::numeric_limits<int64_t>::max());
}

/// Row-major strides of a shape.
SmallVector<int64_t> stridesOf(ArrayRef<int64_t> shape) {
  SmallVector<int64_t> strides(shape.size(), 1);
  for (int64_t i = static_cast<int64_t>(shape.size()) - 2; i >= 0; --i)
    strides[i] = strides[i + 1] * shape[i + 1];
  return strides;
}

/// numpy broadcasting of two shapes.
std::optional<SmallVector<int64_t>> broadcast(ArrayRef<int64_t> a,
                                              ArrayRef<int64_t> b) {
  size_t rank = std::max(a.size(), b.size());
  SmallVector<int64_t> out(rank);
  for (size_t i = 0; i < rank; ++i) {
    int64_t da = i < rank - a.size() ? 1 : a[i - (rank - a.size())];
    int64_t db = i < rank - b.size() ? 1 : b[i - (rank - b.size())];
    if (da != db && da != 1 && db != 1)
      return std::nullopt;
    out[i] = da == 1 ? db : da;
  }
  return out;
}

/// For every element of `out`, the flat index into a tensor of shape `in`
/// broadcast to it.
SmallVector<int64_t> broadcastIndices(ArrayRef<int64_t> out,
                                      ArrayRef<int64_t> in) {
  int64_t n = product(out);
  SmallVector<int64_t> inStrides = stridesOf(in);
  size_t lead = out.size() - in.size();
  SmallVector<int64_t> idx(n);
  SmallVector<int64_t> pos(out.size(), 0);
  for (int64_t i = 0; i < n; ++i) {
    int64_t flat = 0;
    for (size_t d = 0; d < in.size(); ++d)
      if (in[d] != 1)
        flat += pos[lead + d] * inStrides[d];
    idx[i] = flat;
    for (int64_t d = static_cast<int64_t>(out.size()) - 1; d >= 0; --d) {
      if (++pos[d] < out[d])
        break;
      pos[d] = 0;
    }
  }
  return idx;
}

/// A copy of `t` with another shape (same elements, same data).
std::shared_ptr<HostTensor> reshaped(const HostTensor &t,
                                     ArrayRef<int64_t> shape) {
  auto r = std::make_shared<HostTensor>(t);
  r->shape.assign(shape.begin(), shape.end());
  return r;
}

std::shared_ptr<HostTensor> makeInts(ArrayRef<int64_t> shape,
                                     std::vector<int64_t> values,
                                     int32_t dtype = onnx::TensorProto::INT64) {
  auto t = std::make_shared<HostTensor>();
  t->dtype = dtype;
  t->shape.assign(shape.begin(), shape.end());
  t->ints = std::move(values);
  t->loaded = true;
  return t;
}

std::shared_ptr<HostTensor> makeFloats(ArrayRef<int64_t> shape,
                                       std::vector<float> values,
                                       int32_t dtype = onnx::TensorProto::FLOAT) {
  auto t = std::make_shared<HostTensor>();
  t->dtype = dtype;
  t->shape.assign(shape.begin(), shape.end());
  t->floats = std::move(values);
  t->loaded = true;
  return t;
}

/// Normalizes a possibly negative axis of a rank-`rank` tensor.
FailureOr<int64_t> normAxis(NodeContext &c, int64_t axis, int64_t rank,
                            StringRef what = "axis") {
  if (axis < -rank || axis >= rank) {
    (void)c.fail(what + " " + Twine(axis) + " is out of range for rank " +
                 Twine(rank));
    return failure();
  }
  return axis < 0 ? axis + rank : axis;
}

} // namespace

//===----------------------------------------------------------------------===//
// NodeContext
//===----------------------------------------------------------------------===//

NodeContext::NodeContext(Importer &importer, const onnx::NodeProto &node,
                         int64_t nodeIndex)
    : node(node), importer(importer), loc(importer.fileLoc()) {
  label = node.name().empty() ? "#" + std::to_string(nodeIndex) : node.name();
  loc = NameLoc::get(StringAttr::get(importer.context, label),
                     importer.fileLoc());
}

int64_t NodeContext::opset() const { return importer.opset; }

const onnx::AttributeProto *NodeContext::attr(StringRef name) {
  for (const onnx::AttributeProto &a : node.attribute()) {
    if (a.name() == name) {
      used[name] = true;
      return &a;
    }
  }
  return nullptr;
}

int64_t NodeContext::getInt(StringRef name, int64_t dflt) {
  const onnx::AttributeProto *a = attr(name);
  return a ? a->i() : dflt;
}

float NodeContext::getFloat(StringRef name, float dflt) {
  const onnx::AttributeProto *a = attr(name);
  return a ? a->f() : dflt;
}

std::string NodeContext::getString(StringRef name, StringRef dflt) {
  const onnx::AttributeProto *a = attr(name);
  return a ? a->s() : dflt.str();
}

std::optional<SmallVector<int64_t>> NodeContext::getInts(StringRef name) {
  const onnx::AttributeProto *a = attr(name);
  if (!a)
    return std::nullopt;
  return SmallVector<int64_t>(a->ints().begin(), a->ints().end());
}

std::optional<SmallVector<float>> NodeContext::getFloats(StringRef name) {
  const onnx::AttributeProto *a = attr(name);
  if (!a)
    return std::nullopt;
  return SmallVector<float>(a->floats().begin(), a->floats().end());
}

SmallVector<std::string> NodeContext::unusedAttributes() const {
  SmallVector<std::string> unused;
  for (const onnx::AttributeProto &a : node.attribute())
    if (!used.count(a.name()))
      unused.push_back(a.name());
  return unused;
}

bool NodeContext::hasInput(unsigned i) const {
  return i < numInputs() && !node.input(i).empty();
}

Entry &NodeContext::input(unsigned i) {
  if (!hasInput(i)) {
    // A required input left out: ONNX's checker rejects such nodes, but the
    // importers must not crash if one gets through.
    static thread_local Entry missing;
    missing = Entry();
    return missing;
  }
  return importer.values[node.input(i)];
}

Value NodeContext::value(unsigned i) {
  Entry &e = input(i);
  if (e.value)
    return e.value;
  if (!e.host) {
    (void)fail("needs input " + Twine(i));
    return {};
  }
  if (!e.host->isFloat()) {
    (void)fail("input " + Twine(i) + " ('" + node.input(i) + "') is a " +
               dtypeName(e.host->dtype) +
               " tensor; the chip computes in float32");
    return {};
  }
  if (e.host->dtype != onnx::TensorProto::FLOAT) {
    (void)fail("input " + Twine(i) + " ('" + node.input(i) + "') has type " +
               dtypeName(e.host->dtype) + "; the chip computes in float32");
    return {};
  }
  return importer.materialize(e, loc, "input '" + node.input(i) + "'");
}

HostTensor *NodeContext::host(unsigned i) {
  Entry &e = input(i);
  if (!e.host)
    return nullptr;
  if (failed(importer.load(*e.host, loc, "input '" + node.input(i) + "'")))
    return nullptr;
  return e.host.get();
}

FailureOr<SmallVector<int64_t>> NodeContext::constInts(unsigned i,
                                                       StringRef what) {
  if (!hasInput(i)) {
    (void)fail("needs input " + Twine(i) + " (" + what + ")");
    return failure();
  }
  HostTensor *t = host(i);
  if (!t || !t->isInteger() || t->shape.size() > 1) {
    if (!t && input(i).host) // load failed, already reported
      return failure();
    (void)fail(what + " (input " + Twine(i) + ", '" + node.input(i) +
               "') must be a constant 1-D integer tensor known at import");
    return failure();
  }
  return SmallVector<int64_t>(t->ints.begin(), t->ints.end());
}

FailureOr<float> NodeContext::constFloat(unsigned i, StringRef what) {
  HostTensor *t = hasInput(i) ? host(i) : nullptr;
  if (!t || t->numElements() != 1) {
    (void)fail(what + " (input " + Twine(i) + ", '" + node.input(i) +
               "') must be a constant scalar known at import");
    return failure();
  }
  return t->isFloat() ? t->floats[0] : static_cast<float>(t->ints[0]);
}

ArrayRef<int64_t> NodeContext::shape(unsigned i) {
  Entry &e = input(i);
  if (e.value)
    return cast<RankedTensorType>(e.value.getType()).getShape();
  if (e.host)
    return e.host->shape;
  return {};
}

bool NodeContext::hasOutput(unsigned i) const {
  return i < numOutputs() && !node.output(i).empty();
}

void NodeContext::setOutput(unsigned i, Value value) {
  if (hasOutput(i))
    importer.values[node.output(i)].value = value;
}

void NodeContext::setOutput(unsigned i, std::shared_ptr<HostTensor> host) {
  if (hasOutput(i))
    importer.values[node.output(i)].host = std::move(host);
}

LogicalResult NodeContext::fail(const Twine &message) {
  ++importer.numErrors;
  emitError(loc) << "node '" << label << "' (" << node.op_type() << ", opset "
                 << opset() << "): " << message;
  return failure();
}

OpBuilder &NodeContext::builder() { return importer.builder; }

RankedTensorType NodeContext::f32(ArrayRef<int64_t> shape) {
  return RankedTensorType::get(shape, importer.builder.getF32Type());
}

//===----------------------------------------------------------------------===//
// Helpers shared by several operators
//===----------------------------------------------------------------------===//

namespace {

/// Whether every present input is a host constant.
bool allHost(NodeContext &c) {
  for (unsigned i = 0; i < c.numInputs(); ++i)
    if (c.hasInput(i) && !c.input(i).host)
      return false;
  return true;
}

Value reshapeValue(NodeContext &c, Value v, ArrayRef<int64_t> shape) {
  if (cast<RankedTensorType>(v.getType()).getShape() == shape)
    return v;
  return ReshapeOp::create(c.builder(), c.loc, c.f32(shape), v);
}

/// Sets output 0 to input `i` reshaped (host or chip).
LogicalResult reshapeTo(NodeContext &c, unsigned i, ArrayRef<int64_t> shape) {
  if (product(shape) != product(c.shape(i)))
    return c.fail("cannot reshape " + shapeStr(c.shape(i)) + " to " +
                  shapeStr(shape));
  if (c.input(i).host && !c.input(i).value) {
    c.setOutput(0, reshaped(*c.input(i).host, shape));
    return success();
  }
  Value v = c.value(i);
  if (!v)
    return failure();
  c.setOutput(0, reshapeValue(c, v, shape));
  return success();
}

/// Checks that an integer attribute list has `n` entries.
LogicalResult checkLength(NodeContext &c, StringRef name,
                          ArrayRef<int64_t> values, size_t n) {
  if (values.size() != n)
    return c.fail("attribute '" + name + "' has " + Twine(values.size()) +
                  " entries, expected " + Twine(n));
  return success();
}

/// Spatial parameters of Conv, ConvTranspose and the pools.
struct Window {
  SmallVector<int64_t> kernel, strides, dilations, pads; // pads: begins, ends
  std::string autoPad;
};

/// Reads kernel_shape (or takes `kernel`), strides, dilations, pads and
/// auto_pad for `spatial` dimensions.
FailureOr<Window> readWindow(NodeContext &c, size_t spatial,
                             ArrayRef<int64_t> kernel, bool hasDilations) {
  Window w;
  std::optional<SmallVector<int64_t>> k = c.getInts("kernel_shape");
  if (k) {
    if (failed(checkLength(c, "kernel_shape", *k, spatial)))
      return failure();
    if (!kernel.empty() && ArrayRef<int64_t>(*k) != kernel) {
      (void)c.fail("kernel_shape " + shapeStr(*k) +
                   " differs from the weight's " + shapeStr(kernel));
      return failure();
    }
    w.kernel = *k;
  } else if (!kernel.empty()) {
    w.kernel.assign(kernel.begin(), kernel.end());
  } else {
    (void)c.fail("needs attribute 'kernel_shape'");
    return failure();
  }
  w.strides = c.getInts("strides").value_or(SmallVector<int64_t>(spatial, 1));
  w.dilations = SmallVector<int64_t>(spatial, 1);
  if (hasDilations)
    w.dilations = c.getInts("dilations").value_or(w.dilations);
  w.pads = c.getInts("pads").value_or(SmallVector<int64_t>(2 * spatial, 0));
  w.autoPad = c.getString("auto_pad", "NOTSET");
  if (failed(checkLength(c, "strides", w.strides, spatial)) ||
      failed(checkLength(c, "dilations", w.dilations, spatial)) ||
      failed(checkLength(c, "pads", w.pads, 2 * spatial)))
    return failure();
  for (size_t i = 0; i < spatial; ++i) {
    if (w.kernel[i] <= 0 || w.strides[i] <= 0 || w.dilations[i] <= 0) {
      (void)c.fail("kernel, strides and dilations must be positive");
      return failure();
    }
  }
  for (int64_t p : w.pads) {
    if (p < 0) {
      (void)c.fail("negative pads are not supported");
      return failure();
    }
  }
  if (w.autoPad != "NOTSET" && w.autoPad != "VALID" &&
      w.autoPad != "SAME_UPPER" && w.autoPad != "SAME_LOWER") {
    (void)c.fail("auto_pad '" + w.autoPad + "' is not supported");
    return failure();
  }
  return w;
}

/// Resolves auto_pad for a forward window over `in` (Conv and the pools).
LogicalResult resolveAutoPad(NodeContext &c, Window &w, ArrayRef<int64_t> in) {
  size_t n = in.size();
  if (w.autoPad == "VALID") {
    w.pads.assign(2 * n, 0);
    return success();
  }
  if (w.autoPad != "SAME_UPPER" && w.autoPad != "SAME_LOWER")
    return success();
  for (size_t i = 0; i < n; ++i) {
    // ceil(in / stride), and (out - 1) * stride < in: neither overflows.
    int64_t out = in[i] / w.strides[i] + (in[i] % w.strides[i] != 0);
    int64_t extent;
    if (llvm::MulOverflow(w.kernel[i] - 1, w.dilations[i], extent) ||
        llvm::AddOverflow(extent, int64_t(1), extent))
      return c.fail("axis " + Twine(i) + ": the dilated window (kernel " +
                    Twine(w.kernel[i]) + ", dilation " + Twine(w.dilations[i]) +
                    ") overflows 64 bits");
    int64_t total =
        std::max<int64_t>(0, (out - 1) * w.strides[i] + (extent - in[i]));
    int64_t small = total / 2, large = total - small;
    bool upper = w.autoPad == "SAME_UPPER";
    w.pads[i] = upper ? small : large;
    w.pads[n + i] = upper ? large : small;
  }
  return success();
}

/// Output sizes of a forward window.
FailureOr<SmallVector<int64_t>> windowOutput(NodeContext &c, const Window &w,
                                             ArrayRef<int64_t> in,
                                             bool ceilMode) {
  SmallVector<int64_t> out;
  size_t n = in.size();
  for (size_t i = 0; i < n; ++i) {
    int64_t extent, padded, span;
    if (llvm::MulOverflow(w.kernel[i] - 1, w.dilations[i], extent) ||
        llvm::AddOverflow(extent, int64_t(1), extent) ||
        llvm::AddOverflow(in[i], w.pads[i], padded) ||
        llvm::AddOverflow(padded, w.pads[n + i], padded) ||
        llvm::SubOverflow(padded, extent, span) ||
        llvm::AddOverflow(span, w.strides[i], padded)) {
      (void)c.fail("axis " + Twine(i) + ": the dilated window (kernel " +
                   Twine(w.kernel[i]) + ", dilation " + Twine(w.dilations[i]) +
                   ") or the padded input (" + Twine(in[i]) + " + pads " +
                   Twine(w.pads[i]) + " and " + Twine(w.pads[n + i]) +
                   ") overflows 64 bits");
      return failure();
    }
    if (span < 0) {
      (void)c.fail("window " + Twine(extent) + " is larger than the padded "
                   "input " + Twine(in[i] + w.pads[i] + w.pads[n + i]));
      return failure();
    }
    int64_t o = ceilMode ? (span + w.strides[i] - 1) / w.strides[i] + 1
                         : span / w.strides[i] + 1;
    out.push_back(o);
  }
  return out;
}

/// npu's 2-D parameters from a 1-D or 2-D window ([top, left, bottom, right]).
struct Window2D {
  SmallVector<int64_t> kernel, strides, dilations, pads;
};
Window2D to2D(const Window &w) {
  Window2D r;
  if (w.kernel.size() == 1) {
    r.kernel = {1, w.kernel[0]};
    r.strides = {1, w.strides[0]};
    r.dilations = {1, w.dilations[0]};
    r.pads = {0, w.pads[0], 0, w.pads[1]};
  } else {
    r.kernel = w.kernel;
    r.strides = w.strides;
    r.dilations = w.dilations;
    r.pads = w.pads;
  }
  return r;
}

/// An N x C x L tensor as N x C x 1 x L (1-D windows run as 2-D ones).
SmallVector<int64_t> as4D(ArrayRef<int64_t> shape) {
  if (shape.size() == 3)
    return {shape[0], shape[1], 1, shape[2]};
  return SmallVector<int64_t>(shape.begin(), shape.end());
}

//===----------------------------------------------------------------------===//
// Host evaluation
//===----------------------------------------------------------------------===//

/// Elementwise binary op on host tensors with broadcasting; null (after a
/// diagnostic) on failure.
std::shared_ptr<HostTensor> foldBinary(NodeContext &c, HostTensor &a,
                                       HostTensor &b,
                                       ArrayRef<int64_t> outShape) {
  StringRef op = c.opType();
  int64_t n = product(outShape);
  SmallVector<int64_t> ia = broadcastIndices(outShape, a.shape);
  SmallVector<int64_t> ib = broadcastIndices(outShape, b.shape);
  if (a.isFloat() != b.isFloat()) {
    (void)c.fail("operands have different element types");
    return nullptr;
  }
  if (a.isFloat()) {
    std::vector<float> r(n);
    for (int64_t i = 0; i < n; ++i) {
      float x = a.floats[ia[i]], y = b.floats[ib[i]];
      r[i] = llvm::StringSwitch<std::function<float()>>(op)
                 .Case("Add", [&] { return x + y; })
                 .Case("Sub", [&] { return x - y; })
                 .Case("Mul", [&] { return x * y; })
                 .Case("Div", [&] { return x / y; })
                 .Case("Pow", [&] { return std::pow(x, y); })
                 .Case("Max", [&] { return std::max(x, y); })
                 .Case("Min", [&] { return std::min(x, y); })
                 .Default([&] { return 0.0f; })();
    }
    return makeFloats(outShape, std::move(r), a.dtype);
  }
  std::vector<int64_t> r(n);
  for (int64_t i = 0; i < n; ++i) {
    int64_t x = a.ints[ia[i]], y = b.ints[ib[i]];
    if (op == "Div" && y == 0) {
      (void)c.fail("integer division by zero in a constant");
      return nullptr;
    }
    r[i] = llvm::StringSwitch<std::function<int64_t()>>(op)
               .Case("Add", [&] { return x + y; })
               .Case("Sub", [&] { return x - y; })
               .Case("Mul", [&] { return x * y; })
               .Case("Div", [&] { return x / y; })
               .Case("Pow",
                     [&] {
                       return static_cast<int64_t>(
                           std::pow(static_cast<double>(x), y));
                     })
               .Case("Max", [&] { return std::max(x, y); })
               .Case("Min", [&] { return std::min(x, y); })
               .Default([&] { return int64_t(0); })();
  }
  return makeInts(outShape, std::move(r), a.dtype);
}

/// Gathers elements of `t` at flat indices `idx` into a tensor of `shape`.
std::shared_ptr<HostTensor> gatherHost(const HostTensor &t,
                                       ArrayRef<int64_t> idx,
                                       ArrayRef<int64_t> shape) {
  if (t.isFloat()) {
    std::vector<float> r;
    r.reserve(idx.size());
    for (int64_t i : idx)
      r.push_back(t.floats[i]);
    return makeFloats(shape, std::move(r), t.dtype);
  }
  std::vector<int64_t> r;
  r.reserve(idx.size());
  for (int64_t i : idx)
    r.push_back(t.ints[i]);
  return makeInts(shape, std::move(r), t.dtype);
}

/// Flat input indices of a strided box (offsets/steps per dimension, steps
/// may be negative) of shape `out` in a tensor of shape `in`.
SmallVector<int64_t> boxIndices(ArrayRef<int64_t> in, ArrayRef<int64_t> out,
                                ArrayRef<int64_t> offsets,
                                ArrayRef<int64_t> steps) {
  SmallVector<int64_t> strides = stridesOf(in);
  int64_t n = product(out);
  SmallVector<int64_t> idx(n);
  SmallVector<int64_t> pos(out.size(), 0);
  for (int64_t i = 0; i < n; ++i) {
    int64_t flat = 0;
    for (size_t d = 0; d < out.size(); ++d)
      flat += (offsets[d] + pos[d] * steps[d]) * strides[d];
    idx[i] = flat;
    for (int64_t d = static_cast<int64_t>(out.size()) - 1; d >= 0; --d) {
      if (++pos[d] < out[d])
        break;
      pos[d] = 0;
    }
  }
  return idx;
}

/// Flat input indices of a transpose.
SmallVector<int64_t> transposeIndices(ArrayRef<int64_t> in,
                                      ArrayRef<int64_t> perm) {
  SmallVector<int64_t> out, offsets(in.size(), 0), steps;
  SmallVector<int64_t> inStrides = stridesOf(in);
  for (int64_t p : perm)
    out.push_back(in[p]);
  int64_t n = product(out);
  SmallVector<int64_t> idx(n), pos(out.size(), 0);
  for (int64_t i = 0; i < n; ++i) {
    int64_t flat = 0;
    for (size_t d = 0; d < out.size(); ++d)
      flat += pos[d] * inStrides[perm[d]];
    idx[i] = flat;
    for (int64_t d = static_cast<int64_t>(out.size()) - 1; d >= 0; --d) {
      if (++pos[d] < out[d])
        break;
      pos[d] = 0;
    }
  }
  return idx;
}

//===----------------------------------------------------------------------===//
// Elementwise operators
//===----------------------------------------------------------------------===//

template <typename OpTy>
Value binaryOp(NodeContext &c, Value lhs, Value rhs) {
  auto l = cast<RankedTensorType>(lhs.getType()).getShape();
  auto r = cast<RankedTensorType>(rhs.getType()).getShape();
  std::optional<SmallVector<int64_t>> out = broadcast(l, r);
  if (!out) {
    (void)c.fail("shapes " + shapeStr(l) + " and " + shapeStr(r) +
                 " do not broadcast");
    return {};
  }
  return OpTy::create(c.builder(), c.loc, c.f32(*out), lhs, rhs);
}

/// Add, Sub, Mul, Div, Pow, PRelu and the variadic Max, Min, Sum.
template <typename OpTy>
LogicalResult importBinary(NodeContext &c) {
  unsigned n = c.numInputs();
  if (n == 0)
    return c.fail("needs at least one input");
  if (allHost(c) && c.opType() != "PRelu") {
    std::optional<SmallVector<int64_t>> out = SmallVector<int64_t>(c.shape(0));
    for (unsigned i = 1; i < n && out; ++i)
      out = broadcast(*out, c.shape(i));
    if (!out)
      return c.fail("input shapes do not broadcast");
    if (product(*out) <= kMaxFoldElements) {
      HostTensor *acc = c.host(0);
      if (!acc)
        return failure();
      std::shared_ptr<HostTensor> result = std::make_shared<HostTensor>(*acc);
      for (unsigned i = 1; i < n; ++i) {
        HostTensor *next = c.host(i);
        if (!next)
          return failure();
        std::optional<SmallVector<int64_t>> shape =
            broadcast(result->shape, next->shape);
        result = foldBinary(c, *result, *next, *shape);
        if (!result)
          return failure();
      }
      c.setOutput(0, result);
      return success();
    }
  }
  // An integer exponent known at import is applied as a float one (exact
  // for the integers a float32 represents). The converted constant is this
  // node's own: other users of the integer tensor keep seeing integers.
  Entry floatExponent;
  if (c.opType() == "Pow" && c.input(1).host && !c.input(1).value) {
    HostTensor *e = c.host(1);
    if (!e)
      return failure();
    if (e->isInteger())
      floatExponent.host = makeFloats(
          e->shape, std::vector<float>(e->ints.begin(), e->ints.end()));
  }
  Value acc = c.value(0);
  if (!acc)
    return failure();
  for (unsigned i = 1; i < n; ++i) {
    Value next = i == 1 && floatExponent.host
                     ? c.importer.materialize(floatExponent, c.loc,
                                              "exponent")
                     : c.value(i);
    if (!next)
      return failure();
    acc = binaryOp<OpTy>(c, acc, next);
    if (!acc)
      return failure();
  }
  c.setOutput(0, acc);
  return success();
}

template <typename OpTy>
LogicalResult importUnary(NodeContext &c) {
  Value x = c.value(0);
  if (!x)
    return failure();
  c.setOutput(0, OpTy::create(c.builder(), c.loc, x.getType(), x));
  return success();
}

LogicalResult importLeakyRelu(NodeContext &c) {
  Value x = c.value(0);
  if (!x)
    return failure();
  float alpha = c.getFloat("alpha", 0.01f);
  c.setOutput(0, LeakyReluOp::create(c.builder(), c.loc, x.getType(), x,
                                     c.builder().getF32FloatAttr(alpha)));
  return success();
}

LogicalResult importHardSigmoid(NodeContext &c) {
  Value x = c.value(0);
  if (!x)
    return failure();
  float alpha = c.getFloat("alpha", 0.2f), beta = c.getFloat("beta", 0.5f);
  c.setOutput(0, HardSigmoidOp::create(c.builder(), c.loc, x.getType(), x,
                                       c.builder().getF32FloatAttr(alpha),
                                       c.builder().getF32FloatAttr(beta)));
  return success();
}

LogicalResult importClip(NodeContext &c) {
  float lo = std::numeric_limits<float>::lowest();
  float hi = std::numeric_limits<float>::max();
  if (c.opset() < 11) {
    lo = c.getFloat("min", lo);
    hi = c.getFloat("max", hi);
  } else {
    if (c.hasInput(1)) {
      FailureOr<float> v = c.constFloat(1, "min");
      if (failed(v))
        return failure();
      lo = *v;
    }
    if (c.hasInput(2)) {
      FailureOr<float> v = c.constFloat(2, "max");
      if (failed(v))
        return failure();
      hi = *v;
    }
  }
  Value x = c.value(0);
  if (!x)
    return failure();
  if (lo > hi) {
    // ONNX: every element becomes max.
    return c.fail("min " + num(lo) + " is greater than max " + num(hi));
  }
  c.setOutput(0, ClipOp::create(c.builder(), c.loc, x.getType(), x,
                                c.builder().getF32FloatAttr(lo),
                                c.builder().getF32FloatAttr(hi)));
  return success();
}

/// Neg and Reciprocal, with a constant operand.
LogicalResult importNeg(NodeContext &c) {
  if (allHost(c)) {
    HostTensor *t = c.host(0);
    if (!t)
      return failure();
    auto r = std::make_shared<HostTensor>(*t);
    for (float &f : r->floats)
      f = -f;
    for (int64_t &i : r->ints)
      i = -i;
    r->proto = nullptr;
    r->loaded = true;
    c.setOutput(0, r);
    return success();
  }
  Value x = c.value(0);
  if (!x)
    return failure();
  auto one = RankedTensorType::get({}, c.builder().getF32Type());
  Value minus = arith::ConstantOp::create(
      c.builder(), c.loc, DenseElementsAttr::get(one, -1.0f));
  c.setOutput(0, MulOp::create(c.builder(), c.loc, x.getType(), x, minus));
  return success();
}

LogicalResult importReciprocal(NodeContext &c) {
  Value x = c.value(0);
  if (!x)
    return failure();
  auto one = RankedTensorType::get({}, c.builder().getF32Type());
  Value v = arith::ConstantOp::create(c.builder(), c.loc,
                                      DenseElementsAttr::get(one, 1.0f));
  c.setOutput(0, DivOp::create(c.builder(), c.loc, x.getType(), v, x));
  return success();
}

LogicalResult importIdentity(NodeContext &c) {
  if (c.opType() == "Dropout") {
    c.getFloat("ratio", 0.5f); // inference: no effect
    c.getInt("seed", 0);
    if (c.hasInput(2)) {
      HostTensor *mode = c.host(2);
      if (!mode || mode->numElements() != 1 || mode->ints[0] != 0)
        return c.fail("training mode is not supported (training_mode must "
                      "be a constant false)");
    }
    if (c.hasOutput(1))
      return c.fail("the mask output is not supported");
  }
  Entry &in = c.input(0);
  if (in.value)
    c.setOutput(0, in.value);
  else
    c.setOutput(0, in.host);
  return success();
}

LogicalResult importSoftmax(NodeContext &c) {
  Value x = c.value(0);
  if (!x)
    return failure();
  ArrayRef<int64_t> shape = c.shape(0);
  int64_t rank = shape.size();
  FailureOr<int64_t> axis =
      normAxis(c, c.getInt("axis", c.opset() < 13 ? 1 : -1), rank);
  if (failed(axis))
    return failure();
  if (c.opset() >= 13 || *axis == rank - 1) {
    c.setOutput(0, SoftmaxOp::create(c.builder(), c.loc, x.getType(), x,
                                     c.builder().getI64IntegerAttr(*axis)));
    return success();
  }
  // Before opset 13 the input is coerced to 2-D at `axis` and the softmax
  // runs over everything from `axis` on.
  SmallVector<int64_t> flat = {product(shape.take_front(*axis)),
                               product(shape.drop_front(*axis))};
  Value v = reshapeValue(c, x, flat);
  v = SoftmaxOp::create(c.builder(), c.loc, v.getType(), v,
                        c.builder().getI64IntegerAttr(1));
  c.setOutput(0, reshapeValue(c, v, shape));
  return success();
}

//===----------------------------------------------------------------------===//
// Convolution, matrix products, normalization
//===----------------------------------------------------------------------===//

LogicalResult importConv(NodeContext &c) {
  ArrayRef<int64_t> xs = c.shape(0), ws = c.shape(1);
  if ((xs.size() != 3 && xs.size() != 4) || ws.size() != xs.size())
    return c.fail("only 1-D and 2-D convolutions are supported (input " +
                  shapeStr(xs) + ", weight " + shapeStr(ws) + ")");
  size_t spatial = xs.size() - 2;
  int64_t group = c.getInt("group", 1);
  FailureOr<Window> w = readWindow(c, spatial, ws.drop_front(2), true);
  if (failed(w))
    return failure();
  if (group <= 0 || xs[1] % group || ws[0] % group || ws[1] * group != xs[1])
    return c.fail("group " + Twine(group) + " does not fit input channels " +
                  Twine(xs[1]) + " and weight " + shapeStr(ws));
  if (failed(resolveAutoPad(c, *w, xs.drop_front(2))))
    return failure();
  FailureOr<SmallVector<int64_t>> spatialOut =
      windowOutput(c, *w, xs.drop_front(2), false);
  if (failed(spatialOut))
    return failure();
  Value x = c.value(0), weight = c.value(1), bias;
  if (!x || !weight)
    return failure();
  if (c.hasInput(2) && !(bias = c.value(2)))
    return failure();
  if (bias && c.shape(2) != ArrayRef<int64_t>{ws[0]})
    return c.fail("bias shape " + shapeStr(c.shape(2)) + " is not [" +
                  Twine(ws[0]) + "]");
  SmallVector<int64_t> out = {xs[0], ws[0]};
  out.append(*spatialOut);
  Window2D p = to2D(*w);
  x = reshapeValue(c, x, as4D(xs));
  weight = reshapeValue(c, weight, as4D(ws));
  OpBuilder &b = c.builder();
  Value y = Conv2DOp::create(
      b, c.loc, c.f32(as4D(out)), x, weight, bias,
      b.getDenseI64ArrayAttr(p.strides), b.getDenseI64ArrayAttr(p.pads),
      b.getDenseI64ArrayAttr(p.dilations), b.getI64IntegerAttr(group));
  c.setOutput(0, reshapeValue(c, y, out));
  return success();
}

LogicalResult importConvTranspose(NodeContext &c) {
  ArrayRef<int64_t> xs = c.shape(0), ws = c.shape(1);
  if ((xs.size() != 3 && xs.size() != 4) || ws.size() != xs.size())
    return c.fail("only 1-D and 2-D transposed convolutions are supported "
                  "(input " + shapeStr(xs) + ", weight " + shapeStr(ws) + ")");
  size_t spatial = xs.size() - 2;
  int64_t group = c.getInt("group", 1);
  if (group <= 0 || xs[1] != ws[0] || xs[1] % group)
    return c.fail("group " + Twine(group) + " does not fit input channels " +
                  Twine(xs[1]) + " and weight " + shapeStr(ws));
  FailureOr<Window> w = readWindow(c, spatial, ws.drop_front(2), true);
  if (failed(w))
    return failure();
  SmallVector<int64_t> outPad =
      c.getInts("output_padding").value_or(SmallVector<int64_t>(spatial, 0));
  if (failed(checkLength(c, "output_padding", outPad, spatial)))
    return failure();
  if (llvm::any_of(outPad, [](int64_t p) { return p < 0; }))
    return c.fail("output_padding must be non-negative, got " +
                  shapeStr(outPad));
  std::optional<SmallVector<int64_t>> outShape = c.getInts("output_shape");
  if (outShape && outShape->size() == spatial + 2)
    outShape->erase(outShape->begin(), outShape->begin() + 2);
  if (outShape && outShape->size() != spatial)
    return c.fail("output_shape has " + Twine(outShape->size()) +
                  " entries, expected " + Twine(spatial));
  // The full size before padding is removed, per dimension.
  SmallVector<int64_t> out = {xs[0], ws[1] * group};
  for (size_t i = 0; i < spatial; ++i) {
    int64_t in = xs[2 + i];
    // full = stride * (in - 1) + output_padding + (kernel - 1) * dilation + 1
    int64_t full, extent;
    int64_t target = -1;
    bool sameAutoPad =
        !outShape && (w->autoPad == "SAME_UPPER" || w->autoPad == "SAME_LOWER");
    if (llvm::MulOverflow(w->strides[i], in - 1, full) ||
        llvm::AddOverflow(full, outPad[i], full) ||
        llvm::MulOverflow(w->kernel[i] - 1, w->dilations[i], extent) ||
        llvm::AddOverflow(full, extent, full) ||
        llvm::AddOverflow(full, int64_t(1), full) ||
        (sameAutoPad && llvm::MulOverflow(in, w->strides[i], target)))
      return c.fail("axis " + Twine(i) + ": the output size (input " +
                    Twine(in) + ", stride " + Twine(w->strides[i]) +
                    ", kernel " + Twine(w->kernel[i]) + ", dilation " +
                    Twine(w->dilations[i]) + ", output_padding " +
                    Twine(outPad[i]) + ") overflows 64 bits");
    if (outShape)
      target = (*outShape)[i];
    if (target >= 0) {
      int64_t total = full - target;
      if (total < 0) {
        // A larger output than the kernel reaches: extra zeros (plus bias)
        // at the end, as output_padding.
        if (llvm::SubOverflow(outPad[i], total, outPad[i]))
          return c.fail("axis " + Twine(i) + ": output_shape " + Twine(target) +
                        " needs more output_padding than 64 "
                        "bits hold");
        full = target;
        total = 0;
      }
      int64_t half = total / 2;
      bool upper = w->autoPad == "SAME_UPPER";
      w->pads[i] = upper ? half : total - half;
      w->pads[spatial + i] = upper ? total - half : half;
    } else if (w->autoPad == "VALID") {
      w->pads[i] = w->pads[spatial + i] = 0;
    }
    int64_t size = full - w->pads[i] - w->pads[spatial + i];
    if (size <= 0)
      return c.fail("the padding leaves no output");
    out.push_back(size);
  }
  if (!c.input(1).host)
    return c.fail("weight (input 1, '" + c.node.input(1) +
                  "') must be a constant known at import: it is flipped into "
                  "a convolution kernel at compile time");
  Value x = c.value(0), weight = c.value(1), bias;
  if (!x || !weight)
    return failure();
  if (c.hasInput(2) && !(bias = c.value(2)))
    return failure();
  Window2D p = to2D(*w);
  SmallVector<int64_t> outPad2D =
      spatial == 1 ? SmallVector<int64_t>{0, outPad[0]} : outPad;
  x = reshapeValue(c, x, as4D(xs));
  weight = reshapeValue(c, weight, as4D(ws));
  OpBuilder &b = c.builder();
  Value y = ConvTranspose2DOp::create(
      b, c.loc, c.f32(as4D(out)), x, weight, bias,
      b.getDenseI64ArrayAttr(p.strides), b.getDenseI64ArrayAttr(p.pads),
      b.getDenseI64ArrayAttr(p.dilations), b.getDenseI64ArrayAttr(outPad2D),
      b.getI64IntegerAttr(group));
  c.setOutput(0, reshapeValue(c, y, out));
  return success();
}

LogicalResult importGemm(NodeContext &c) {
  ArrayRef<int64_t> as = c.shape(0), bs = c.shape(1);
  if (as.size() != 2 || bs.size() != 2)
    return c.fail("A and B must be matrices (got " + shapeStr(as) + " and " +
                  shapeStr(bs) + ")");
  float alpha = c.getFloat("alpha", 1.0f), beta = c.getFloat("beta", 1.0f);
  bool transA = c.getInt("transA", 0), transB = c.getInt("transB", 0);
  int64_t m = transA ? as[1] : as[0], k = transA ? as[0] : as[1];
  int64_t kb = transB ? bs[1] : bs[0], n = transB ? bs[0] : bs[1];
  if (k != kb)
    return c.fail("inner dimensions differ: " + Twine(k) + " and " +
                  Twine(kb));
  Value a = c.value(0), bv = c.value(1), cv;
  if (!a || !bv)
    return failure();
  if (c.hasInput(2)) {
    if (!(cv = c.value(2)))
      return failure();
    std::optional<SmallVector<int64_t>> bc =
        broadcast(c.shape(2), ArrayRef<int64_t>{m, n});
    if (!bc || *bc != SmallVector<int64_t>{m, n})
      return c.fail("C of shape " + shapeStr(c.shape(2)) +
                    " does not broadcast to [" + Twine(m) + ", " + Twine(n) +
                    "]");
  }
  OpBuilder &b = c.builder();
  c.setOutput(0, GemmOp::create(b, c.loc, c.f32({m, n}), a, bv, cv,
                                b.getF32FloatAttr(alpha),
                                b.getF32FloatAttr(beta), b.getBoolAttr(transA),
                                b.getBoolAttr(transB)));
  return success();
}

LogicalResult importMatMul(NodeContext &c) {
  SmallVector<int64_t> a(c.shape(0)), bsh(c.shape(1));
  if (a.empty() || bsh.empty())
    return c.fail("operands must have rank 1 or more");
  bool vecA = a.size() == 1, vecB = bsh.size() == 1;
  if (vecA)
    a.insert(a.begin(), 1);
  if (vecB)
    bsh.push_back(1);
  if (a.back() != bsh[bsh.size() - 2])
    return c.fail("inner dimensions differ: " + shapeStr(c.shape(0)) +
                  " x " + shapeStr(c.shape(1)));
  std::optional<SmallVector<int64_t>> batch =
      broadcast(ArrayRef<int64_t>(a).drop_back(2),
                ArrayRef<int64_t>(bsh).drop_back(2));
  if (!batch)
    return c.fail("batch dimensions do not broadcast");
  SmallVector<int64_t> out = *batch;
  if (!vecA)
    out.push_back(a[a.size() - 2]);
  if (!vecB)
    out.push_back(bsh.back());
  Value lhs = c.value(0), rhs = c.value(1);
  if (!lhs || !rhs)
    return failure();
  c.setOutput(0, MatMulOp::create(c.builder(), c.loc, c.f32(out), lhs, rhs));
  return success();
}

LogicalResult importBatchNorm(NodeContext &c) {
  float epsilon = c.getFloat("epsilon", 1e-5f);
  c.getFloat("momentum", 0.9f); // training only
  if (c.opset() < 9 && c.getInt("spatial", 1) != 1)
    return c.fail("spatial = 0 is not supported");
  if (c.getInt("training_mode", 0) != 0)
    return c.fail("training_mode = 1 is not supported");
  for (unsigned i = 1; i < c.numOutputs(); ++i)
    if (c.hasOutput(i))
      return c.fail("the training outputs (running mean/variance) are not "
                    "supported");
  ArrayRef<int64_t> xs = c.shape(0);
  if (xs.size() < 2)
    return c.fail("input must have rank 2 or more");
  for (unsigned i = 1; i < 5; ++i)
    if (c.shape(i) != ArrayRef<int64_t>{xs[1]})
      return c.fail("parameter " + Twine(i) + " has shape " +
                    shapeStr(c.shape(i)) + ", expected [" + Twine(xs[1]) +
                    "]");
  // The chip folds the statistics into a per-channel scale and shift.
  static const char *const names[] = {"", "scale", "bias", "mean", "variance"};
  for (unsigned i = 1; i < 5; ++i)
    if (!c.input(i).host)
      return c.fail(Twine(names[i]) + " (input " + Twine(i) + ", '" +
                    c.node.input(i) +
                    "') must be a constant known at import");
  SmallVector<Value> v;
  for (unsigned i = 0; i < 5; ++i) {
    v.push_back(c.value(i));
    if (!v.back())
      return failure();
  }
  c.setOutput(0, BatchNormOp::create(c.builder(), c.loc, v[0].getType(), v[0],
                                     v[1], v[2], v[3], v[4],
                                     c.builder().getF32FloatAttr(epsilon)));
  return success();
}

//===----------------------------------------------------------------------===//
// Pools
//===----------------------------------------------------------------------===//

template <typename OpTy>
LogicalResult importPool(NodeContext &c) {
  bool isMax = c.opType() == "MaxPool";
  ArrayRef<int64_t> xs = c.shape(0);
  if (xs.size() != 3 && xs.size() != 4)
    return c.fail("only 1-D and 2-D pooling is supported (input " +
                  shapeStr(xs) + ")");
  size_t spatial = xs.size() - 2;
  FailureOr<Window> w = readWindow(c, spatial, {}, isMax || c.opset() >= 19);
  if (failed(w))
    return failure();
  bool ceilMode = c.opset() >= 10 ? c.getInt("ceil_mode", 0) != 0 : false;
  if (isMax) {
    if (c.getInt("storage_order", 0) != 0 && c.hasOutput(1))
      return c.fail("storage_order is not supported");
    if (c.hasOutput(1))
      return c.fail("the Indices output is not supported");
  }
  bool includePad = !isMax && c.getInt("count_include_pad", 0) != 0;
  if (failed(resolveAutoPad(c, *w, xs.drop_front(2))))
    return failure();
  FailureOr<SmallVector<int64_t>> spatialOut =
      windowOutput(c, *w, xs.drop_front(2), ceilMode);
  if (failed(spatialOut))
    return failure();
  Value x = c.value(0);
  if (!x)
    return failure();
  SmallVector<int64_t> out = {xs[0], xs[1]};
  out.append(*spatialOut);
  Window2D p = to2D(*w);
  x = reshapeValue(c, x, as4D(xs));
  OpBuilder &b = c.builder();
  Value y;
  if constexpr (std::is_same_v<OpTy, AvgPool2DOp>)
    y = AvgPool2DOp::create(
        b, c.loc, c.f32(as4D(out)), x, b.getDenseI64ArrayAttr(p.kernel),
        b.getDenseI64ArrayAttr(p.strides), b.getDenseI64ArrayAttr(p.pads),
        b.getDenseI64ArrayAttr(p.dilations), b.getBoolAttr(ceilMode),
        b.getBoolAttr(includePad));
  else
    y = MaxPool2DOp::create(
        b, c.loc, c.f32(as4D(out)), x, b.getDenseI64ArrayAttr(p.kernel),
        b.getDenseI64ArrayAttr(p.strides), b.getDenseI64ArrayAttr(p.pads),
        b.getDenseI64ArrayAttr(p.dilations), b.getBoolAttr(ceilMode));
  c.setOutput(0, reshapeValue(c, y, out));
  return success();
}

template <typename OpTy>
LogicalResult importGlobalPool(NodeContext &c) {
  ArrayRef<int64_t> xs = c.shape(0);
  if (xs.size() != 3 && xs.size() != 4)
    return c.fail("only 1-D and 2-D inputs are supported (got " +
                  shapeStr(xs) + ")");
  Value x = c.value(0);
  if (!x)
    return failure();
  x = reshapeValue(c, x, as4D(xs));
  Value y = OpTy::create(c.builder(), c.loc, c.f32({xs[0], xs[1], 1, 1}), x);
  SmallVector<int64_t> out(xs.size(), 1);
  out[0] = xs[0];
  out[1] = xs[1];
  c.setOutput(0, reshapeValue(c, y, out));
  return success();
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

template <typename OpTy>
LogicalResult importReduce(NodeContext &c) {
  ArrayRef<int64_t> xs = c.shape(0);
  int64_t rank = xs.size();
  bool keepdims = c.getInt("keepdims", 1) != 0;
  bool axesFromInput = c.opType() == "ReduceSum" && c.opset() >= 13;
  SmallVector<int64_t> axes;
  if (axesFromInput) {
    c.getInt("noop_with_empty_axes", 0);
    if (c.hasInput(1)) {
      FailureOr<SmallVector<int64_t>> a = c.constInts(1, "axes");
      if (failed(a))
        return failure();
      axes = *a;
    }
    if (axes.empty() && c.getInt("noop_with_empty_axes", 0))
      return importIdentity(c);
  } else {
    axes = c.getInts("axes").value_or(SmallVector<int64_t>());
  }
  if (axes.empty())
    for (int64_t i = 0; i < rank; ++i)
      axes.push_back(i);
  SmallVector<bool> reduced(rank, false);
  for (int64_t &a : axes) {
    FailureOr<int64_t> n = normAxis(c, a, rank);
    if (failed(n))
      return failure();
    a = *n;
    reduced[a] = true;
  }
  llvm::sort(axes);
  axes.erase(std::unique(axes.begin(), axes.end()), axes.end());
  SmallVector<int64_t> out;
  for (int64_t i = 0; i < rank; ++i) {
    if (!reduced[i])
      out.push_back(xs[i]);
    else if (keepdims)
      out.push_back(1);
  }
  Value x = c.value(0);
  if (!x)
    return failure();
  OpBuilder &b = c.builder();
  c.setOutput(0, OpTy::create(b, c.loc, c.f32(out), x,
                              b.getDenseI64ArrayAttr(axes),
                              b.getBoolAttr(keepdims)));
  return success();
}

//===----------------------------------------------------------------------===//
// Shape and layout operators
//===----------------------------------------------------------------------===//

LogicalResult importReshape(NodeContext &c) {
  FailureOr<SmallVector<int64_t>> spec = c.constInts(1, "shape");
  if (failed(spec))
    return failure();
  bool allowZero = c.opset() >= 14 && c.getInt("allowzero", 0) != 0;
  ArrayRef<int64_t> in = c.shape(0);
  SmallVector<int64_t> out;
  int64_t inferred = -1, known = 1;
  for (auto [i, d] : llvm::enumerate(*spec)) {
    if (d == -1) {
      if (inferred >= 0)
        return c.fail("shape has more than one -1");
      inferred = i;
      out.push_back(1);
      continue;
    }
    if (d == 0 && !allowZero) {
      if (i >= in.size())
        return c.fail("shape copies dimension " + Twine(i) +
                      ", which the input " + shapeStr(in) + " lacks");
      d = in[i];
    }
    if (d <= 0)
      return c.fail("bad dimension " + Twine(d) + " in shape " +
                    shapeStr(*spec));
    out.push_back(d);
    if (llvm::MulOverflow(known, d, known))
      return c.fail("shape " + shapeStr(*spec) +
                    " has more than 2^63 elements");
  }
  int64_t total = product(in);
  if (inferred >= 0) {
    if (known == 0 || total % known)
      return c.fail("cannot infer -1 reshaping " + shapeStr(in) + " to " +
                    shapeStr(*spec));
    out[inferred] = total / known;
  }
  return reshapeTo(c, 0, out);
}

LogicalResult importFlatten(NodeContext &c) {
  ArrayRef<int64_t> in = c.shape(0);
  int64_t rank = in.size();
  int64_t axis = c.getInt("axis", 1);
  if (axis < -rank || axis > rank)
    return c.fail("axis " + Twine(axis) + " is out of range for rank " +
                  Twine(rank));
  if (axis < 0)
    axis += rank;
  return reshapeTo(c, 0,
                   {product(in.take_front(axis)), product(in.drop_front(axis))});
}

LogicalResult importSqueeze(NodeContext &c) {
  ArrayRef<int64_t> in = c.shape(0);
  int64_t rank = in.size();
  SmallVector<int64_t> axes;
  bool unsqueeze = c.opType() == "Unsqueeze";
  if (c.opset() >= 13) {
    if (c.hasInput(1)) {
      FailureOr<SmallVector<int64_t>> a = c.constInts(1, "axes");
      if (failed(a))
        return failure();
      axes = *a;
    }
  } else {
    axes = c.getInts("axes").value_or(SmallVector<int64_t>());
  }
  SmallVector<int64_t> out;
  if (unsqueeze) {
    int64_t outRank = rank + axes.size();
    SmallVector<bool> inserted(outRank, false);
    for (int64_t a : axes) {
      FailureOr<int64_t> n = normAxis(c, a, outRank);
      if (failed(n))
        return failure();
      if (inserted[*n])
        return c.fail("axis " + Twine(a) + " is repeated");
      inserted[*n] = true;
    }
    for (int64_t i = 0, j = 0; i < outRank; ++i)
      out.push_back(inserted[i] ? 1 : in[j++]);
  } else {
    SmallVector<bool> removed(rank, axes.empty());
    if (axes.empty())
      for (int64_t i = 0; i < rank; ++i)
        removed[i] = in[i] == 1;
    for (int64_t a : axes) {
      FailureOr<int64_t> n = normAxis(c, a, rank);
      if (failed(n))
        return failure();
      if (in[*n] != 1)
        return c.fail("cannot squeeze dimension " + Twine(*n) + " of size " +
                      Twine(in[*n]));
      removed[*n] = true;
    }
    for (int64_t i = 0; i < rank; ++i)
      if (!removed[i])
        out.push_back(in[i]);
  }
  return reshapeTo(c, 0, out);
}

LogicalResult importTranspose(NodeContext &c) {
  ArrayRef<int64_t> in = c.shape(0);
  int64_t rank = in.size();
  SmallVector<int64_t> perm;
  if (std::optional<SmallVector<int64_t>> p = c.getInts("perm"))
    perm = *p;
  else
    for (int64_t i = rank - 1; i >= 0; --i)
      perm.push_back(i);
  SmallVector<bool> seen(rank, false);
  if (static_cast<int64_t>(perm.size()) != rank)
    return c.fail("perm " + shapeStr(perm) + " does not match rank " +
                  Twine(rank));
  for (int64_t p : perm) {
    if (p < 0 || p >= rank || seen[p])
      return c.fail("perm " + shapeStr(perm) + " is not a permutation");
    seen[p] = true;
  }
  SmallVector<int64_t> out;
  for (int64_t p : perm)
    out.push_back(in[p]);
  if (allHost(c) && product(in) <= kMaxFoldElements) {
    HostTensor *t = c.host(0);
    if (!t)
      return failure();
    c.setOutput(0, gatherHost(*t, transposeIndices(in, perm), out));
    return success();
  }
  Value x = c.value(0);
  if (!x)
    return failure();
  c.setOutput(0, TransposeOp::create(c.builder(), c.loc, c.f32(out), x,
                                     c.builder().getDenseI64ArrayAttr(perm)));
  return success();
}

LogicalResult importConcat(NodeContext &c) {
  if (c.numInputs() == 0)
    return c.fail("needs at least one input");
  ArrayRef<int64_t> first = c.shape(0);
  int64_t rank = first.size();
  FailureOr<int64_t> axis = normAxis(c, c.getInt("axis", 0), rank);
  if (failed(axis))
    return failure();
  SmallVector<int64_t> out(first);
  out[*axis] = 0;
  for (unsigned i = 0; i < c.numInputs(); ++i) {
    ArrayRef<int64_t> s = c.shape(i);
    if (static_cast<int64_t>(s.size()) != rank)
      return c.fail("input " + Twine(i) + " has rank " + Twine(s.size()) +
                    ", expected " + Twine(rank));
    for (int64_t d = 0; d < rank; ++d)
      if (d != *axis && s[d] != first[d])
        return c.fail("input " + Twine(i) + " of shape " + shapeStr(s) +
                      " does not match " + shapeStr(first));
    out[*axis] += s[*axis];
  }
  if (allHost(c) && product(out) <= kMaxFoldElements) {
    // Concatenate on the host: outer blocks of each input in turn.
    int64_t outer = product(ArrayRef<int64_t>(out).take_front(*axis));
    int64_t inner = product(ArrayRef<int64_t>(out).drop_front(*axis + 1));
    SmallVector<HostTensor *> ins;
    for (unsigned i = 0; i < c.numInputs(); ++i) {
      ins.push_back(c.host(i));
      if (!ins.back())
        return failure();
      if (ins.back()->isFloat() != ins.front()->isFloat())
        return c.fail("inputs have different element types");
    }
    bool isFloat = ins.front()->isFloat();
    std::vector<float> fl;
    std::vector<int64_t> in;
    for (int64_t o = 0; o < outer; ++o) {
      for (HostTensor *t : ins) {
        int64_t block = t->shape[*axis] * inner;
        if (isFloat)
          fl.insert(fl.end(), t->floats.begin() + o * block,
                    t->floats.begin() + (o + 1) * block);
        else
          in.insert(in.end(), t->ints.begin() + o * block,
                    t->ints.begin() + (o + 1) * block);
      }
    }
    c.setOutput(0, isFloat ? makeFloats(out, std::move(fl), ins[0]->dtype)
                           : makeInts(out, std::move(in), ins[0]->dtype));
    return success();
  }
  SmallVector<Value> vals;
  for (unsigned i = 0; i < c.numInputs(); ++i) {
    vals.push_back(c.value(i));
    if (!vals.back())
      return failure();
  }
  c.setOutput(0, ConcatOp::create(c.builder(), c.loc, c.f32(out), vals,
                                  c.builder().getI64IntegerAttr(*axis)));
  return success();
}

LogicalResult importSlice(NodeContext &c) {
  ArrayRef<int64_t> in = c.shape(0);
  int64_t rank = in.size();
  SmallVector<int64_t> starts, ends, axes, steps;
  if (c.opset() < 10) {
    starts = c.getInts("starts").value_or(SmallVector<int64_t>());
    ends = c.getInts("ends").value_or(SmallVector<int64_t>());
    axes = c.getInts("axes").value_or(SmallVector<int64_t>());
  } else {
    FailureOr<SmallVector<int64_t>> s = c.constInts(1, "starts");
    if (failed(s))
      return failure();
    FailureOr<SmallVector<int64_t>> e = c.constInts(2, "ends");
    if (failed(e))
      return failure();
    starts = *s;
    ends = *e;
    if (c.hasInput(3)) {
      FailureOr<SmallVector<int64_t>> a = c.constInts(3, "axes");
      if (failed(a))
        return failure();
      axes = *a;
    }
    if (c.hasInput(4)) {
      FailureOr<SmallVector<int64_t>> st = c.constInts(4, "steps");
      if (failed(st))
        return failure();
      steps = *st;
    }
  }
  if (axes.empty())
    for (size_t i = 0; i < starts.size(); ++i)
      axes.push_back(i);
  if (steps.empty())
    steps.assign(starts.size(), 1);
  if (ends.size() != starts.size() || axes.size() != starts.size() ||
      steps.size() != starts.size())
    return c.fail("starts, ends, axes and steps differ in length");
  SmallVector<int64_t> offsets(rank, 0), strides(rank, 1), out(in);
  SmallVector<bool> seen(rank, false);
  for (size_t i = 0; i < starts.size(); ++i) {
    FailureOr<int64_t> a = normAxis(c, axes[i], rank);
    if (failed(a))
      return failure();
    if (seen[*a])
      return c.fail("axis " + Twine(*a) + " is repeated");
    seen[*a] = true;
    int64_t dim = in[*a], step = steps[i];
    if (step == 0)
      return c.fail("step 0");
    auto clamp = [](int64_t v, int64_t lo, int64_t hi) {
      return std::min(std::max(v, lo), hi);
    };
    int64_t start = starts[i], end = ends[i];
    if (start < 0)
      start += dim;
    if (end < 0 && end > std::numeric_limits<int64_t>::min() / 2)
      end += dim;
    int64_t size;
    if (step > 0) {
      start = clamp(start, 0, dim);
      end = clamp(end, 0, dim);
      size = end > start ? (end - start + step - 1) / step : 0;
    } else {
      start = clamp(start, 0, dim - 1);
      end = clamp(end, -1, dim - 1);
      size = start > end ? (start - end - step - 1) / -step : 0;
    }
    if (size == 0 && !allHost(c))
      return c.fail("the slice of axis " + Twine(*a) +
                    " is empty; empty tensors are not supported");
    offsets[*a] = size ? start : 0;
    strides[*a] = step;
    out[*a] = size;
  }
  if (allHost(c) && product(out) <= kMaxFoldElements) {
    HostTensor *t = c.host(0);
    if (!t)
      return failure();
    c.setOutput(0, gatherHost(*t, boxIndices(in, out, offsets, strides), out));
    return success();
  }
  if (llvm::any_of(strides, [](int64_t s) { return s < 0; }))
    return c.fail("negative steps are not supported on chip tensors");
  Value x = c.value(0);
  if (!x)
    return failure();
  OpBuilder &b = c.builder();
  c.setOutput(0, SliceOp::create(b, c.loc, c.f32(out), x,
                                 b.getDenseI64ArrayAttr(offsets),
                                 b.getDenseI64ArrayAttr(strides)));
  return success();
}

LogicalResult importPad(NodeContext &c) {
  ArrayRef<int64_t> in = c.shape(0);
  int64_t rank = in.size();
  std::string modeName = c.getString("mode", "constant");
  SmallVector<int64_t> pads;
  float value = 0.0f;
  if (c.opset() < 11) {
    pads = c.getInts("pads").value_or(SmallVector<int64_t>());
    value = c.getFloat("value", 0.0f);
  } else {
    FailureOr<SmallVector<int64_t>> p = c.constInts(1, "pads");
    if (failed(p))
      return failure();
    pads = *p;
    if (c.hasInput(2)) {
      FailureOr<float> v = c.constFloat(2, "constant_value");
      if (failed(v))
        return failure();
      value = *v;
    }
  }
  if (static_cast<int64_t>(pads.size()) != 2 * rank)
    return c.fail("pads has " + Twine(pads.size()) + " entries, expected " +
                  Twine(2 * rank));
  std::optional<PadMode> mode = symbolizePadMode(modeName);
  if (!mode)
    return c.fail("mode '" + modeName + "' is not supported");
  SmallVector<int64_t> out(in);
  for (int64_t d = 0; d < rank; ++d) {
    if (pads[d] < 0 || pads[rank + d] < 0)
      return c.fail("negative pads (cropping) are not supported");
    if (*mode == PadMode::reflect &&
        (pads[d] >= in[d] || pads[rank + d] >= in[d]))
      return c.fail("reflect pads must be smaller than the dimension");
    if (llvm::AddOverflow(out[d], pads[d], out[d]) ||
        llvm::AddOverflow(out[d], pads[rank + d], out[d]))
      return c.fail("axis " + Twine(d) + ": the padded size (" + Twine(in[d]) +
                    " + pads " + Twine(pads[d]) + " and " +
                    Twine(pads[rank + d]) + ") overflows 64 bits");
  }
  Value x = c.value(0);
  if (!x)
    return failure();
  OpBuilder &b = c.builder();
  c.setOutput(0, PadOp::create(b, c.loc, c.f32(out), x,
                               b.getDenseI64ArrayAttr(pads),
                               PadModeAttr::get(b.getContext(), *mode),
                               b.getF32FloatAttr(value)));
  return success();
}

LogicalResult importResize(NodeContext &c) {
  ArrayRef<int64_t> in = c.shape(0);
  if (in.size() != 4)
    return c.fail("only 4-D (NCHW) inputs are supported, got " +
                  shapeStr(in));
  std::string modeName = c.getString("mode", "nearest");
  std::string coordName = c.opset() >= 11
                              ? c.getString("coordinate_transformation_mode",
                                            "half_pixel")
                              : "asymmetric";
  std::string nearestName = c.opset() >= 11
                                ? c.getString("nearest_mode",
                                              "round_prefer_floor")
                                : "floor";
  c.getFloat("cubic_coeff_a", -0.75f);
  c.getFloat("extrapolation_value", 0.0f);
  if (c.getInt("exclude_outside", 0) != 0)
    return c.fail("exclude_outside = 1 is not supported");
  std::optional<ResizeMode> mode = symbolizeResizeMode(modeName);
  std::optional<CoordinateMode> coord = symbolizeCoordinateMode(coordName);
  std::optional<NearestMode> nearest = symbolizeNearestMode(nearestName);
  if (!mode)
    return c.fail("mode '" + modeName + "' is not supported");
  if (!coord)
    return c.fail("coordinate_transformation_mode '" + coordName +
                  "' is not supported");
  if (!nearest)
    return c.fail("nearest_mode '" + nearestName + "' is not supported");

  unsigned scalesInput = c.opset() >= 11 ? 2 : 1;
  SmallVector<int64_t> out;
  if (c.opset() >= 11 && c.hasInput(3) &&
      c.input(3).host && c.input(3).host->numElements() > 0) {
    FailureOr<SmallVector<int64_t>> sizes = c.constInts(3, "sizes");
    if (failed(sizes))
      return failure();
    out = *sizes;
    if (out.size() != 4)
      return c.fail("sizes has " + Twine(out.size()) + " entries, expected 4");
  } else {
    if (!c.hasInput(scalesInput))
      return c.fail("needs scales or sizes");
    if (!c.input(scalesInput).host)
      return c.fail("scales (input " + Twine(scalesInput) + ", '" +
                    c.node.input(scalesInput) +
                    "') must be a constant known at import");
    HostTensor *scales = c.host(scalesInput);
    if (!scales)
      return failure();
    if (!scales->isFloat() || scales->numElements() != 4)
      return c.fail("scales must hold 4 floats");
    for (int64_t d = 0; d < 4; ++d) {
      double exact = static_cast<double>(in[d]) * scales->floats[d];
      int64_t size = static_cast<int64_t>(std::floor(exact));
      if (size != exact)
        return c.fail("scale " + num(scales->floats[d]) + " of dimension " +
                      Twine(d) + " gives the fractional size " + num(exact) +
                      "; scales that do not give whole sizes are not "
                      "supported");
      out.push_back(size);
    }
  }
  if (out[0] != in[0] || out[1] != in[1])
    return c.fail("resizing the batch or channel dimension is not supported");
  if (out[2] <= 0 || out[3] <= 0)
    return c.fail("output size " + shapeStr(out) + " is empty");
  Value x = c.value(0);
  if (!x)
    return failure();
  MLIRContext *ctx = c.builder().getContext();
  c.setOutput(0, ResizeOp::create(c.builder(), c.loc, c.f32(out), x,
                                  ResizeModeAttr::get(ctx, *mode),
                                  CoordinateModeAttr::get(ctx, *coord),
                                  NearestModeAttr::get(ctx, *nearest)));
  return success();
}

//===----------------------------------------------------------------------===//
// Constants and shape computations (folded at import)
//===----------------------------------------------------------------------===//

LogicalResult importConstant(NodeContext &c) {
  if (const onnx::AttributeProto *a = c.attr("value")) {
    auto t = std::make_shared<HostTensor>();
    t->dtype = a->t().data_type();
    t->proto = &a->t();
    for (int64_t d : a->t().dims()) {
      if (d < 0)
        return c.fail("bad dimension " + Twine(d));
      t->shape.push_back(d);
    }
    if (a->t().data_location() == onnx::TensorProto::EXTERNAL)
      return c.fail("external data is not supported");
    if (failed(c.importer.load(*t, c.loc, "constant '" + c.node.output(0) +
                                              "'")))
      return failure();
    c.setOutput(0, t);
    return success();
  }
  if (const onnx::AttributeProto *a = c.attr("value_float")) {
    c.setOutput(0, makeFloats({}, {a->f()}));
    return success();
  }
  if (const onnx::AttributeProto *a = c.attr("value_floats")) {
    std::vector<float> v(a->floats().begin(), a->floats().end());
    c.setOutput(0, makeFloats({static_cast<int64_t>(v.size())}, v));
    return success();
  }
  if (const onnx::AttributeProto *a = c.attr("value_int")) {
    c.setOutput(0, makeInts({}, {a->i()}));
    return success();
  }
  if (const onnx::AttributeProto *a = c.attr("value_ints")) {
    std::vector<int64_t> v(a->ints().begin(), a->ints().end());
    c.setOutput(0, makeInts({static_cast<int64_t>(v.size())}, v));
    return success();
  }
  return c.fail("only tensor, float(s) and int(s) values are supported");
}

LogicalResult importConstantOfShape(NodeContext &c) {
  FailureOr<SmallVector<int64_t>> shape = c.constInts(0, "shape");
  if (failed(shape))
    return failure();
  for (int64_t d : *shape)
    if (d < 0)
      return c.fail("bad dimension " + Twine(d));
  if (product(*shape) > kMaxFoldElements)
    return c.fail("the constant has more than " + Twine(kMaxFoldElements) +
                  " elements");
  int64_t n = product(*shape);
  if (const onnx::AttributeProto *a = c.attr("value")) {
    HostTensor v;
    v.dtype = a->t().data_type();
    v.proto = &a->t();
    for (int64_t d : a->t().dims())
      v.shape.push_back(d);
    if (v.numElements() != 1)
      return c.fail("value must hold one element");
    if (failed(c.importer.load(v, c.loc, "value")))
      return failure();
    if (v.isFloat())
      c.setOutput(0, makeFloats(*shape, std::vector<float>(n, v.floats[0]),
                                v.dtype));
    else
      c.setOutput(0,
                  makeInts(*shape, std::vector<int64_t>(n, v.ints[0]), v.dtype));
    return success();
  }
  c.setOutput(0, makeFloats(*shape, std::vector<float>(n, 0.0f)));
  return success();
}

LogicalResult importShape(NodeContext &c) {
  ArrayRef<int64_t> in = c.shape(0);
  int64_t rank = in.size();
  int64_t start = c.getInt("start", 0), end = c.getInt("end", rank);
  if (start < 0)
    start += rank;
  if (end < 0)
    end += rank;
  start = std::clamp<int64_t>(start, 0, rank);
  end = std::clamp<int64_t>(end, 0, rank);
  std::vector<int64_t> dims;
  for (int64_t i = start; i < end; ++i)
    dims.push_back(in[i]);
  c.setOutput(0, makeInts({static_cast<int64_t>(dims.size())}, dims));
  return success();
}

LogicalResult importSize(NodeContext &c) {
  c.setOutput(0, makeInts({}, {product(c.shape(0))}));
  return success();
}

LogicalResult importCast(NodeContext &c) {
  int64_t to = c.getInt("to", 0);
  if (!onnx::TensorProto_DataType_IsValid(to))
    return c.fail("bad target type " + Twine(to));
  Entry &in = c.input(0);
  if (in.value) {
    if (to == onnx::TensorProto::FLOAT) {
      c.setOutput(0, in.value);
      return success();
    }
    return c.fail("casting a chip tensor to " + dtypeName(to) +
                  " is not supported (the chip computes in float32)");
  }
  HostTensor *t = c.host(0);
  if (!t)
    return failure();
  HostTensor probe;
  probe.dtype = to;
  if (probe.isFloat()) {
    std::vector<float> v = t->isFloat()
                               ? t->floats
                               : std::vector<float>(t->ints.begin(),
                                                    t->ints.end());
    c.setOutput(0, makeFloats(t->shape, std::move(v), to));
    return success();
  }
  if (probe.isInteger()) {
    std::vector<int64_t> v;
    if (t->isFloat()) {
      for (float f : t->floats) {
        if (!std::isfinite(f) || std::fabs(f) > 9.2e18f)
          return c.fail("cannot cast " + num(f) + " to " + dtypeName(to));
        v.push_back(to == onnx::TensorProto::BOOL ? f != 0.0f
                                                  : static_cast<int64_t>(f));
      }
    } else {
      v = t->ints;
      if (to == onnx::TensorProto::BOOL)
        for (int64_t &i : v)
          i = i != 0;
    }
    c.setOutput(0, makeInts(t->shape, std::move(v), to));
    return success();
  }
  return c.fail("casting to " + dtypeName(to) + " is not supported");
}

LogicalResult importGather(NodeContext &c) {
  ArrayRef<int64_t> in = c.shape(0);
  int64_t rank = in.size();
  if (rank == 0)
    return c.fail("data must have rank 1 or more");
  FailureOr<int64_t> axis = normAxis(c, c.getInt("axis", 0), rank);
  if (failed(axis))
    return failure();
  HostTensor *idx = c.host(1);
  if (!idx || !idx->isInteger())
    return c.fail("indices must be a constant integer tensor known at import");
  SmallVector<int64_t> indices;
  for (int64_t i : idx->ints) {
    if (i < -in[*axis] || i >= in[*axis])
      return c.fail("index " + Twine(i) + " is out of range for dimension " +
                    Twine(in[*axis]));
    indices.push_back(i < 0 ? i + in[*axis] : i);
  }
  SmallVector<int64_t> out(in.take_front(*axis));
  out.append(idx->shape.begin(), idx->shape.end());
  out.append(in.begin() + *axis + 1, in.end());
  if (c.input(0).host && !c.input(0).value) {
    if (product(out) > kMaxFoldElements)
      return c.fail("the folded constant would be too large");
    HostTensor *t = c.host(0);
    if (!t)
      return failure();
    int64_t outer = product(in.take_front(*axis));
    int64_t inner = product(in.drop_front(*axis + 1));
    SmallVector<int64_t> flat;
    for (int64_t o = 0; o < outer; ++o)
      for (int64_t i : indices)
        for (int64_t k = 0; k < inner; ++k)
          flat.push_back((o * in[*axis] + i) * inner + k);
    c.setOutput(0, gatherHost(*t, flat, out));
    return success();
  }
  // On the chip: one slice per index, joined.
  Value x = c.value(0);
  if (!x)
    return failure();
  OpBuilder &b = c.builder();
  SmallVector<Value> parts;
  SmallVector<int64_t> one(in);
  one[*axis] = 1;
  for (int64_t i : indices) {
    SmallVector<int64_t> offsets(rank, 0), strides(rank, 1);
    offsets[*axis] = i;
    parts.push_back(SliceOp::create(b, c.loc, c.f32(one), x,
                                    b.getDenseI64ArrayAttr(offsets),
                                    b.getDenseI64ArrayAttr(strides)));
  }
  Value joined = parts.front();
  if (parts.size() > 1) {
    SmallVector<int64_t> cat(in);
    cat[*axis] = parts.size();
    joined = ConcatOp::create(b, c.loc, c.f32(cat), parts,
                              b.getI64IntegerAttr(*axis));
  }
  c.setOutput(0, reshapeValue(c, joined, out));
  return success();
}

LogicalResult importRange(NodeContext &c) {
  static const char *const names[] = {"start", "limit", "delta"};
  for (unsigned i = 0; i < 3; ++i)
    if (failed(c.constFloat(i, names[i])))
      return failure();
  HostTensor *s = c.host(0), *l = c.host(1), *d = c.host(2);
  if (s->isFloat() != l->isFloat() || s->isFloat() != d->isFloat())
    return c.fail("start, limit and delta have different element types");
  if (s->isFloat()) {
    float start = s->floats[0], limit = l->floats[0], delta = d->floats[0];
    if (delta == 0.0f)
      return c.fail("delta is 0");
    int64_t n = std::max<int64_t>(
        0, static_cast<int64_t>(std::ceil((limit - start) / delta)));
    if (n > kMaxFoldElements)
      return c.fail("the range is too long");
    std::vector<float> v(n);
    for (int64_t i = 0; i < n; ++i)
      v[i] = start + i * delta;
    c.setOutput(0, makeFloats({n}, std::move(v), s->dtype));
    return success();
  }
  int64_t start = s->ints[0], limit = l->ints[0], delta = d->ints[0];
  if (delta == 0)
    return c.fail("delta is 0");
  int64_t n = std::max<int64_t>(0, (limit - start + delta - (delta > 0 ? 1 : -1)) / delta);
  if (n > kMaxFoldElements)
    return c.fail("the range is too long");
  std::vector<int64_t> v(n);
  for (int64_t i = 0; i < n; ++i)
    v[i] = start + i * delta;
  c.setOutput(0, makeInts({n}, std::move(v), s->dtype));
  return success();
}

LogicalResult importExpand(NodeContext &c) {
  FailureOr<SmallVector<int64_t>> shape = c.constInts(1, "shape");
  if (failed(shape))
    return failure();
  std::optional<SmallVector<int64_t>> out = broadcast(c.shape(0), *shape);
  if (!out)
    return c.fail("shape " + shapeStr(*shape) + " does not broadcast with " +
                  shapeStr(c.shape(0)));
  if (c.input(0).host && !c.input(0).value && product(*out) <= kMaxFoldElements) {
    HostTensor *t = c.host(0);
    if (!t)
      return failure();
    c.setOutput(0, gatherHost(*t, broadcastIndices(*out, t->shape), *out));
    return success();
  }
  // On the chip: adding a zero tensor of the target shape broadcasts.
  Value x = c.value(0);
  if (!x)
    return failure();
  if (*out == c.shape(0)) {
    c.setOutput(0, x);
    return success();
  }
  SmallVector<int64_t> zerosShape(*shape);
  for (int64_t &d : zerosShape)
    d = std::max<int64_t>(d, 1);
  Value zeros = arith::ConstantOp::create(
      c.builder(), c.loc, DenseElementsAttr::get(c.f32(zerosShape), 0.0f));
  c.setOutput(0, AddOp::create(c.builder(), c.loc, c.f32(*out), x, zeros));
  return success();
}

//===----------------------------------------------------------------------===//
// The table
//===----------------------------------------------------------------------===//

using ImportFn = LogicalResult (*)(NodeContext &);

const llvm::StringMap<ImportFn> &table() {
  static const llvm::StringMap<ImportFn> t = {
      {"Add", importBinary<AddOp>},
      {"Sub", importBinary<SubOp>},
      {"Mul", importBinary<MulOp>},
      {"Div", importBinary<DivOp>},
      {"Pow", importBinary<PowOp>},
      {"Max", importBinary<MaxOp>},
      {"Min", importBinary<MinOp>},
      {"Sum", importBinary<AddOp>},
      {"PRelu", importBinary<PReluOp>},
      {"Relu", importUnary<ReluOp>},
      {"Sigmoid", importUnary<SigmoidOp>},
      {"Tanh", importUnary<TanhOp>},
      {"Exp", importUnary<ExpOp>},
      {"Sqrt", importUnary<SqrtOp>},
      {"HardSwish", importUnary<HardSwishOp>},
      {"LeakyRelu", importLeakyRelu},
      {"HardSigmoid", importHardSigmoid},
      {"Clip", importClip},
      {"Neg", importNeg},
      {"Reciprocal", importReciprocal},
      {"Identity", importIdentity},
      {"Dropout", importIdentity},
      {"Softmax", importSoftmax},
      {"Conv", importConv},
      {"ConvTranspose", importConvTranspose},
      {"Gemm", importGemm},
      {"MatMul", importMatMul},
      {"BatchNormalization", importBatchNorm},
      {"MaxPool", importPool<MaxPool2DOp>},
      {"AveragePool", importPool<AvgPool2DOp>},
      {"GlobalAveragePool", importGlobalPool<GlobalAvgPoolOp>},
      {"GlobalMaxPool", importGlobalPool<GlobalMaxPoolOp>},
      {"ReduceMean", importReduce<ReduceMeanOp>},
      {"ReduceSum", importReduce<ReduceSumOp>},
      {"ReduceMax", importReduce<ReduceMaxOp>},
      {"Reshape", importReshape},
      {"Flatten", importFlatten},
      {"Squeeze", importSqueeze},
      {"Unsqueeze", importSqueeze},
      {"Transpose", importTranspose},
      {"Concat", importConcat},
      {"Slice", importSlice},
      {"Pad", importPad},
      {"Resize", importResize},
      {"Constant", importConstant},
      {"ConstantOfShape", importConstantOfShape},
      {"Shape", importShape},
      {"Size", importSize},
      {"Cast", importCast},
      {"Gather", importGather},
      {"Range", importRange},
      {"Expand", importExpand},
  };
  return t;
}

} // namespace

bool onnx_import::isSupportedOp(StringRef opType) {
  return table().count(opType);
}

LogicalResult onnx_import::importOp(NodeContext &c) {
  auto it = table().find(c.opType());
  if (it == table().end())
    return c.fail("operator " + c.opType() + " is not supported");
  // Every importer may read inputs 0..n-1 by position: they exist by now
  // (checked by the driver); the checker guarantees the minimum counts.
  return it->second(c);
}
