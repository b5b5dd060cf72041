//===- ImportONNX.cpp - ONNX model -> func.func of npu ops ----------------===//
//
// The driver of the importer: protobuf parsing, ONNX's checker and shape
// inference (libonnx, which reports problems by throwing; this file is the
// only one of the compiler built with exceptions, and none escapes it), the
// value table, constants as resource blobs, the function, and the
// `--import-onnx` translation. The operators are in ImportOps.cpp.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

#include "npu/Dialect/NPU/NPUDialect.h"
#include "npu/Support/InputFile.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Bytecode/BytecodeWriter.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"

#include <onnx/checker.h>
#include <onnx/shape_inference/implementation.h>

#include <climits>
#include <cstring>
#include <exception>

using namespace mlir;
using namespace mlir::npu;
using namespace mlir::npu::onnx_import;

namespace {
/// The opsets of the default domain the importer knows.
constexpr int64_t kMinOpset = 7;
constexpr int64_t kMaxOpset = 17;
/// Host constants with fewer elements stay inline `dense` attributes (scalars
/// and short vectors read better); larger ones become resource blobs.
constexpr int64_t kInlineConstantLimit = 16;

bool isDefaultDomain(StringRef domain) {
  return domain.empty() || domain == "ai.onnx";
}

std::string shapeString(ArrayRef<int64_t> shape) {
  std::string s = "[";
  llvm::raw_string_ostream os(s);
  llvm::interleaveComma(shape, os);
  os << "]";
  return s;
}
} // namespace

//===----------------------------------------------------------------------===//
// Element types
//===----------------------------------------------------------------------===//

Type onnx_import::chipElementType(MLIRContext *context, int32_t dtype) {
  if (dtype == onnx::TensorProto::FLOAT)
    return Float32Type::get(context);
  return {};
}

std::string onnx_import::dtypeName(int32_t dtype) {
  if (!onnx::TensorProto_DataType_IsValid(dtype))
    return "unknown type " + std::to_string(dtype);
  std::string name = onnx::TensorProto_DataType_Name(
      static_cast<onnx::TensorProto_DataType>(dtype));
  return llvm::StringRef(name).lower();
}

//===----------------------------------------------------------------------===//
// HostTensor
//===----------------------------------------------------------------------===//

std::optional<int64_t>
mlir::npu::onnx_import::checkedNumElements(ArrayRef<int64_t> shape) {
  int64_t n = 1;
  for (int64_t d : shape)
    if (d < 0 || llvm::MulOverflow(n, d, n))
      return std::nullopt;
  return n;
}

int64_t HostTensor::numElements() const {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

bool HostTensor::isFloat() const {
  return dtype == onnx::TensorProto::FLOAT ||
         dtype == onnx::TensorProto::DOUBLE ||
         dtype == onnx::TensorProto::FLOAT16 ||
         dtype == onnx::TensorProto::BFLOAT16;
}

bool HostTensor::isInteger() const {
  switch (dtype) {
  case onnx::TensorProto::INT8:
  case onnx::TensorProto::INT16:
  case onnx::TensorProto::INT32:
  case onnx::TensorProto::INT64:
  case onnx::TensorProto::UINT8:
  case onnx::TensorProto::UINT16:
  case onnx::TensorProto::UINT32:
  case onnx::TensorProto::UINT64:
  case onnx::TensorProto::BOOL:
    return true;
  default:
    return false;
  }
}

namespace {
/// IEEE half and bfloat16 bit patterns to float.
float halfToFloat(uint16_t h) {
  uint32_t sign = (h & 0x8000u) << 16, exp = (h >> 10) & 0x1f,
           mant = h & 0x3ff, bits;
  if (exp == 0) {
    if (mant == 0) {
      bits = sign;
    } else { // subnormal: normalize
      exp = 127 - 15 + 1;
      while (!(mant & 0x400)) {
        mant <<= 1;
        --exp;
      }
      bits = sign | (exp << 23) | ((mant & 0x3ff) << 13);
    }
  } else if (exp == 31) {
    bits = sign | 0x7f800000u | (mant << 13);
  } else {
    bits = sign | ((exp - 15 + 127) << 23) | (mant << 13);
  }
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

float bf16ToFloat(uint16_t h) {
  uint32_t bits = static_cast<uint32_t>(h) << 16;
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

/// Reads `n` little-endian values of type T from `raw`.
template <typename T>
void readRaw(const std::string &raw, int64_t n, std::vector<T> &out) {
  out.resize(n);
  if (n)
    std::memcpy(out.data(), raw.data(), n * sizeof(T));
}

/// Bytes per element of the raw_data of a dtype, 0 when it has no raw form
/// the importer reads.
int64_t rawElementSize(int32_t dtype) {
  switch (dtype) {
  case onnx::TensorProto::FLOAT:
  case onnx::TensorProto::INT32:
  case onnx::TensorProto::UINT32:
    return 4;
  case onnx::TensorProto::DOUBLE:
  case onnx::TensorProto::INT64:
  case onnx::TensorProto::UINT64:
    return 8;
  case onnx::TensorProto::FLOAT16:
  case onnx::TensorProto::BFLOAT16:
  case onnx::TensorProto::INT16:
  case onnx::TensorProto::UINT16:
    return 2;
  case onnx::TensorProto::INT8:
  case onnx::TensorProto::UINT8:
  case onnx::TensorProto::BOOL:
    return 1;
  default:
    return 0;
  }
}
} // namespace

LogicalResult Importer::load(HostTensor &t, Location loc, StringRef what) {
  if (t.loaded || !t.proto)
    return success();
  const onnx::TensorProto &p = *t.proto;
  int64_t n = t.numElements();
  auto bad = [&](const Twine &msg) {
    ++numErrors;
    emitError(loc) << what << ": " << msg;
    return failure();
  };
  int64_t elementSize = rawElementSize(t.dtype);
  if (elementSize == 0)
    return bad("element type " + dtypeName(t.dtype) + " is not supported");
  if (p.has_raw_data()) {
    const std::string &raw = p.raw_data();
    if (static_cast<int64_t>(raw.size()) != n * elementSize)
      return bad("raw data holds " + Twine(raw.size()) + " bytes, shape " +
                 shapeString(t.shape) + " of " + dtypeName(t.dtype) +
                 " needs " + Twine(n * elementSize));
    switch (t.dtype) {
    case onnx::TensorProto::FLOAT:
      readRaw(raw, n, t.floats);
      break;
    case onnx::TensorProto::DOUBLE: {
      std::vector<double> d;
      readRaw(raw, n, d);
      t.floats.assign(d.begin(), d.end());
      break;
    }
    case onnx::TensorProto::FLOAT16:
    case onnx::TensorProto::BFLOAT16: {
      std::vector<uint16_t> h;
      readRaw(raw, n, h);
      t.floats.resize(n);
      for (int64_t i = 0; i < n; ++i)
        t.floats[i] = t.dtype == onnx::TensorProto::FLOAT16
                          ? halfToFloat(h[i])
                          : bf16ToFloat(h[i]);
      break;
    }
    case onnx::TensorProto::INT64:
    case onnx::TensorProto::UINT64:
      readRaw(raw, n, t.ints);
      break;
    case onnx::TensorProto::INT32: {
      std::vector<int32_t> v;
      readRaw(raw, n, v);
      t.ints.assign(v.begin(), v.end());
      break;
    }
    case onnx::TensorProto::UINT32: {
      std::vector<uint32_t> v;
      readRaw(raw, n, v);
      t.ints.assign(v.begin(), v.end());
      break;
    }
    case onnx::TensorProto::INT16: {
      std::vector<int16_t> v;
      readRaw(raw, n, v);
      t.ints.assign(v.begin(), v.end());
      break;
    }
    case onnx::TensorProto::UINT16: {
      std::vector<uint16_t> v;
      readRaw(raw, n, v);
      t.ints.assign(v.begin(), v.end());
      break;
    }
    case onnx::TensorProto::INT8: {
      std::vector<int8_t> v;
      readRaw(raw, n, v);
      t.ints.assign(v.begin(), v.end());
      break;
    }
    default: { // UINT8, BOOL
      std::vector<uint8_t> v;
      readRaw(raw, n, v);
      t.ints.assign(v.begin(), v.end());
      break;
    }
    }
    t.loaded = true;
    return success();
  }
  auto count = [&](int64_t have) -> LogicalResult {
    if (have != n)
      return bad("holds " + Twine(have) + " values, shape " +
                 shapeString(t.shape) + " needs " + Twine(n));
    return success();
  };
  switch (t.dtype) {
  case onnx::TensorProto::FLOAT:
    if (failed(count(p.float_data_size())))
      return failure();
    t.floats.assign(p.float_data().begin(), p.float_data().end());
    break;
  case onnx::TensorProto::DOUBLE:
    if (failed(count(p.double_data_size())))
      return failure();
    t.floats.assign(p.double_data().begin(), p.double_data().end());
    break;
  case onnx::TensorProto::FLOAT16:
  case onnx::TensorProto::BFLOAT16:
    if (failed(count(p.int32_data_size())))
      return failure();
    t.floats.resize(n);
    for (int64_t i = 0; i < n; ++i) {
      auto bits = static_cast<uint16_t>(p.int32_data(i));
      t.floats[i] = t.dtype == onnx::TensorProto::FLOAT16 ? halfToFloat(bits)
                                                          : bf16ToFloat(bits);
    }
    break;
  case onnx::TensorProto::INT64:
    if (failed(count(p.int64_data_size())))
      return failure();
    t.ints.assign(p.int64_data().begin(), p.int64_data().end());
    break;
  case onnx::TensorProto::UINT32:
  case onnx::TensorProto::UINT64:
    if (failed(count(p.uint64_data_size())))
      return failure();
    t.ints.assign(p.uint64_data().begin(), p.uint64_data().end());
    break;
  default: // the int32_data types
    if (failed(count(p.int32_data_size())))
      return failure();
    t.ints.assign(p.int32_data().begin(), p.int32_data().end());
    break;
  }
  t.loaded = true;
  return success();
}

//===----------------------------------------------------------------------===//
// Importer
//===----------------------------------------------------------------------===//

Importer::Importer(MLIRContext *context, StringRef bufferName,
                   const ONNXImportOptions &options)
    : context(context), bufferName(bufferName.str()), options(options),
      builder(context) {}

Location Importer::fileLoc() {
  return FileLineColLoc::get(context, bufferName, 0, 0);
}

void Importer::error(const Twine &message) {
  ++numErrors;
  emitError(fileLoc()) << message;
}

Value Importer::materialize(Entry &entry, Location loc, StringRef what) {
  if (entry.value)
    return entry.value;
  HostTensor &t = *entry.host;
  if (t.dtype != onnx::TensorProto::FLOAT) {
    ++numErrors;
    emitError(loc) << what << " is a " << dtypeName(t.dtype)
                   << " tensor; tensors on the chip must be float32 (other "
                      "element types are not supported)";
    return {};
  }
  if (llvm::is_contained(t.shape, 0)) {
    ++numErrors;
    emitError(loc) << what << " is empty; empty tensors are not supported";
    return {};
  }
  // Constants go to the top of the function, in the order they are needed.
  OpBuilder::InsertionGuard guard(builder);
  if (lastConstant)
    builder.setInsertionPointAfter(lastConstant);
  else
    builder.setInsertionPointToStart(entryBlock);
  auto type = RankedTensorType::get(t.shape, builder.getF32Type());
  int64_t n = t.numElements();
  Attribute data;
  if (n < kInlineConstantLimit) {
    if (failed(load(t, loc, "constant")))
      return {};
    data = DenseElementsAttr::get(type, ArrayRef<float>(t.floats));
  } else {
    // A blob named after the tensor. Raw float data is copied once, straight
    // from the protobuf into the blob.
    std::string name = "onnx";
    if (t.proto && !t.proto->name().empty()) {
      name = t.proto->name();
      for (char &c : name)
        if (!llvm::isAlnum(c) && c != '_' && c != '.')
          c = '_';
    }
    unsigned &uses = blobNames[name];
    if (uses++)
      name += "_" + std::to_string(uses - 1);
    AsmResourceBlob blob;
    if (t.proto && !t.loaded && t.dtype == onnx::TensorProto::FLOAT &&
        t.proto->has_raw_data() &&
        static_cast<int64_t>(t.proto->raw_data().size()) == 4 * n) {
      const std::string &raw = t.proto->raw_data();
      blob = HeapAsmResourceBlob::allocateAndCopyWithAlign(
          ArrayRef<char>(raw.data(), raw.size()), alignof(float));
    } else {
      if (failed(load(t, loc, "constant")))
        return {};
      blob = HeapAsmResourceBlob::allocateAndCopyInferAlign(
          ArrayRef<float>(t.floats));
    }
    data = DenseResourceElementsAttr::get(type, name, std::move(blob));
  }
  auto constant = arith::ConstantOp::create(builder, loc, cast<TypedAttr>(data));
  lastConstant = constant;
  entry.value = constant;
  return entry.value;
}

LogicalResult Importer::parseModel(StringRef bytes, onnx::ModelProto &model) {
  if (bytes.empty()) {
    error("is empty, not an ONNX model");
    return failure();
  }
  if (bytes.size() > static_cast<size_t>(INT_MAX)) {
    error("is larger than 2 GiB, the protobuf limit of an ONNX model");
    return failure();
  }
  if (!model.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    error("is not a valid ONNX model: the protobuf message does not parse "
          "(truncated or corrupt file)");
    return failure();
  }
  if (!model.has_graph()) {
    error("is not a valid ONNX model: it has no graph");
    return failure();
  }
  return success();
}

/// The first tensor of `graph` (its initializers, and the tensor
/// attributes of its nodes and of their subgraphs, to a bounded depth) that
/// keeps its data outside the model, named; "" when there is none.
static std::string externalData(const onnx::GraphProto &graph, int depth) {
  auto external = [](const onnx::TensorProto &t) {
    return t.data_location() == onnx::TensorProto::EXTERNAL ||
           t.external_data_size() > 0;
  };
  for (const onnx::TensorProto &t : graph.initializer())
    if (external(t))
      return "initializer '" + t.name() + "'";
  for (const onnx::SparseTensorProto &t : graph.sparse_initializer())
    if (external(t.values()) || external(t.indices()))
      return "sparse initializer '" + t.values().name() + "'";
  if (depth >= 64)
    return "";
  for (const onnx::NodeProto &node : graph.node())
    for (const onnx::AttributeProto &a : node.attribute()) {
      std::string where = "attribute '" + a.name() + "' of node '" +
                          node.name() + "' (" + node.op_type() + ")";
      if (a.has_t() && external(a.t()))
        return where;
      for (const onnx::TensorProto &t : a.tensors())
        if (external(t))
          return where;
      if (a.has_g())
        if (std::string inner = externalData(a.g(), depth + 1); !inner.empty())
          return inner;
      for (const onnx::GraphProto &g : a.graphs())
        if (std::string inner = externalData(g, depth + 1); !inner.empty())
          return inner;
    }
  return "";
}

LogicalResult Importer::checkModel(onnx::ModelProto &model) {
  // The opset of the default domain.
  bool found = false;
  for (const onnx::OperatorSetIdProto &set : model.opset_import()) {
    if (!isDefaultDomain(set.domain()))
      continue;
    found = true;
    opset = set.version();
  }
  if (!found) {
    std::string domains;
    for (const onnx::OperatorSetIdProto &set : model.opset_import())
      domains += (domains.empty() ? "'" : ", '") + set.domain() + "'";
    error("operator domain " + (domains.empty() ? "(none)" : domains) +
          " is not supported: the model imports no opset of the default "
          "ONNX domain");
    return failure();
  }
  if (opset < kMinOpset || opset > kMaxOpset) {
    error("opset " + Twine(opset) + " is not supported (the importer "
          "supports opsets " + Twine(kMinOpset) + " to " + Twine(kMaxOpset) +
          ")");
    return failure();
  }

  // Inputs bound to constants: they become initializers.
  onnx::GraphProto &graph = *model.mutable_graph();
  for (const auto &[name, bytes] : options.constantInputs) {
    const onnx::ValueInfoProto *input = nullptr;
    for (const onnx::ValueInfoProto &in : graph.input())
      if (in.name() == name)
        input = &in;
    if (!input) {
      error("a constant is given for '" + name +
            "', which is not an input of the graph");
      return failure();
    }
    onnx::TensorProto tensor;
    if (bytes.size() > static_cast<size_t>(INT_MAX) ||
        !tensor.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
      error("the constant given for input '" + name +
            "' is not a serialized ONNX TensorProto");
      return failure();
    }
    int32_t want = input->type().tensor_type().elem_type();
    if (tensor.data_type() != want) {
      error("the constant given for input '" + name + "' has element type " +
            dtypeName(tensor.data_type()) + ", the input is " +
            dtypeName(want));
      return failure();
    }
    tensor.set_name(name);
    *graph.add_initializer() = std::move(tensor);
  }

  // Static shapes for the graph inputs, from the model or the options.
  llvm::StringSet<> initializers;
  for (const onnx::TensorProto &t : graph.initializer())
    initializers.insert(t.name());
  llvm::StringMap<const std::vector<int64_t> *> given;
  for (const auto &[name, dims] : options.inputShapes)
    given[name] = &dims;
  std::string inputNames;
  bool ok = true;
  for (onnx::ValueInfoProto &input : *graph.mutable_input()) {
    if (initializers.contains(input.name()))
      continue;
    if (!inputNames.empty())
      inputNames += ", ";
    inputNames += input.name();
    if (!input.type().has_tensor_type()) {
      error("input '" + input.name() +
            "' is not a tensor (sequence, map and optional inputs are not "
            "supported)");
      ok = false;
      continue;
    }
    onnx::TypeProto_Tensor &tensor = *input.mutable_type()->mutable_tensor_type();
    auto it = given.find(input.name());
    if (it != given.end()) {
      const std::vector<int64_t> &dims = *it->second;
      if (tensor.has_shape() && tensor.shape().dim_size() !=
                                    static_cast<int>(dims.size())) {
        error("input '" + input.name() + "' has rank " +
              Twine(tensor.shape().dim_size()) + ", but the given shape " +
              shapeString(dims) + " has rank " + Twine(dims.size()));
        ok = false;
        continue;
      }
      for (auto [i, d] : llvm::enumerate(dims)) {
        if (d <= 0) {
          error("input '" + input.name() + "': given dimension " + Twine(i) +
                " must be positive, got " + Twine(d));
          ok = false;
          break;
        }
        if (tensor.has_shape() && tensor.shape().dim(i).has_dim_value() &&
            tensor.shape().dim(i).dim_value() != d) {
          error("input '" + input.name() + "': given dimension " + Twine(i) +
                " = " + Twine(d) + " contradicts the model's " +
                Twine(tensor.shape().dim(i).dim_value()));
          ok = false;
          break;
        }
      }
      tensor.mutable_shape()->clear_dim();
      for (int64_t d : dims)
        tensor.mutable_shape()->add_dim()->set_dim_value(d);
      given.erase(it);
      continue;
    }
    if (!tensor.has_shape()) {
      error("input '" + input.name() +
            "' has no shape; give one with --onnx-input-shape=" +
            input.name() + "=d0,d1,...");
      ok = false;
      continue;
    }
    for (const onnx::TensorShapeProto_Dimension &d : tensor.shape().dim()) {
      if (d.has_dim_value() && d.dim_value() > 0)
        continue;
      if (d.has_dim_value() && d.dim_value() == 0) {
        error("input '" + input.name() +
              "' is empty (a dimension of size 0); empty tensors are not "
              "supported");
        ok = false;
        break;
      }
      std::string what =
          d.has_dim_param() ? "'" + d.dim_param() + "'" : "unknown";
      error("input '" + input.name() + "' has a dynamic dimension (" + what +
            "); give a static shape with --onnx-input-shape=" + input.name() +
            "=d0,d1,...");
      ok = false;
      break;
    }
  }
  for (const auto &entry : given) {
    error("a shape is given for '" + entry.getKey() +
          "', which is not an input of the graph (inputs: " + inputNames +
          ")");
    ok = false;
  }
  if (!ok)
    return failure();

  // External data is refused before the checker runs: the checker stat()s
  // an external location (absolute, or ../ against the working directory),
  // and two different errors would tell a caller whether any path exists
  // on this machine (finding 15).
  if (std::string where = externalData(model.graph(), 0); !where.empty()) {
    error(where + " keeps its data in an external file, which is not "
                  "supported");
    return failure();
  }

  // ONNX's own checker. Its shape inference runs after the import (see
  // crossCheckShapes).
  try {
    onnx::checker::check_model(model);
  } catch (const std::exception &e) {
    error(Twine("fails ONNX's model checker: ") + e.what());
    return failure();
  }
  return success();
}

LogicalResult Importer::importNode(const onnx::NodeProto &node,
                                   int64_t index) {
  NodeContext ctx(*this, node, index);
  auto poison = [&] {
    for (const std::string &name : node.output())
      if (!name.empty())
        values[name].poisoned = true;
  };
  if (!isDefaultDomain(node.domain())) {
    poison();
    return ctx.fail("operators of domain '" + node.domain() +
                    "' are not supported");
  }
  bool poisonedInput = llvm::any_of(node.input(), [&](const std::string &n) {
    auto it = values.find(n);
    return !n.empty() && it != values.end() && it->second.poisoned;
  });
  if (poisonedInput || !isSupportedOp(node.op_type())) {
    poison();
    if (!isSupportedOp(node.op_type()))
      return ctx.fail("operator " + node.op_type() + " is not supported");
    return success(); // reported where the poison came from
  }
  for (const std::string &name : node.input()) {
    if (name.empty() || values.count(name))
      continue;
    poison();
    return ctx.fail("input '" + name + "' is not defined before the node");
  }
  if (failed(importOp(ctx))) {
    poison();
    return failure();
  }
  SmallVector<std::string> unused = ctx.unusedAttributes();
  if (!unused.empty()) {
    poison();
    return ctx.fail("attribute '" + unused.front() + "' is not supported");
  }
  for (const std::string &name : node.output()) {
    if (name.empty())
      continue;
    auto it = values.find(name);
    if (it == values.end() || (!it->second.value && !it->second.host)) {
      poison();
      return ctx.fail("output '" + name + "' is not supported");
    }
    // Shape arithmetic (pads, repeats, window sizes) can multiply past
    // int64 without any one dim overflowing; such a value goes no further.
    ArrayRef<int64_t> shape =
        it->second.value
            ? cast<ShapedType>(it->second.value.getType()).getShape()
            : ArrayRef<int64_t>(it->second.host->shape);
    if (!checkedNumElements(shape)) {
      poison();
      return ctx.fail("output '" + name + "' has shape " + shapeString(shape) +
                      ", more than 2^63 elements");
    }
  }
  return success();
}

LogicalResult Importer::importGraph(const onnx::GraphProto &graph,
                                    ModuleOp module) {
  Location loc = fileLoc();
  builder.setInsertionPointToEnd(module.getBody());

  // Initializers are host constants; they may shadow graph inputs.
  for (const onnx::TensorProto &t : graph.initializer()) {
    if (t.data_location() == onnx::TensorProto::EXTERNAL) {
      error("initializer '" + t.name() +
            "' keeps its data in an external file, which is not supported");
      continue;
    }
    auto host = std::make_shared<HostTensor>();
    host->dtype = t.data_type();
    host->proto = &t;
    for (int64_t d : t.dims()) {
      if (d < 0 || d > (int64_t(1) << 40)) {
        error("initializer '" + t.name() + "' has a bad dimension " +
              Twine(d));
        return failure();
      }
      host->shape.push_back(d);
    }
    if (!checkedNumElements(host->shape)) {
      error("initializer '" + t.name() + "' has shape " +
            shapeString(host->shape) + ", more than 2^63 elements");
      return failure();
    }
    values[t.name()].host = std::move(host);
  }

  // Arguments.
  SmallVector<Type> argTypes;
  SmallVector<std::string> argNames;
  for (const onnx::ValueInfoProto &input : graph.input()) {
    if (values.count(input.name()))
      continue;
    const onnx::TypeProto_Tensor &tensor = input.type().tensor_type();
    Type element = chipElementType(context, tensor.elem_type());
    if (!element) {
      error("input '" + input.name() + "' has element type " +
            dtypeName(tensor.elem_type()) + "; the chip computes in float32");
      continue;
    }
    SmallVector<int64_t> shape;
    for (const onnx::TensorShapeProto_Dimension &d : tensor.shape().dim())
      shape.push_back(d.dim_value());
    if (!checkedNumElements(shape)) {
      error("input '" + input.name() + "' has shape " + shapeString(shape) +
            ", more than 2^63 elements");
      continue;
    }
    argTypes.push_back(RankedTensorType::get(shape, element));
    argNames.push_back(input.name());
  }
  if (numErrors)
    return failure();

  auto func = func::FuncOp::create(builder, loc, options.functionName,
                                   builder.getFunctionType(argTypes, {}));
  entryBlock = func.addEntryBlock();
  for (auto [i, name] : llvm::enumerate(argNames)) {
    func.setArgAttr(i, "npu.name", builder.getStringAttr(name));
    values[name].value = entryBlock->getArgument(i);
  }
  builder.setInsertionPointToEnd(entryBlock);

  // Nodes, in the topological order ONNX requires. A failure does not stop
  // the import: every problem is reported.
  for (auto [index, node] : llvm::enumerate(graph.node())) {
    (void)importNode(node, index);
    builder.setInsertionPointToEnd(entryBlock);
  }

  // Results.
  SmallVector<Value> results;
  SmallVector<std::string> resultNames;
  for (const onnx::ValueInfoProto &output : graph.output()) {
    auto it = values.find(output.name());
    if (it == values.end()) {
      error("output '" + output.name() + "' is not computed by the graph");
      continue;
    }
    if (it->second.poisoned)
      continue;
    Value value = materialize(it->second, loc, "output '" + output.name() + "'");
    if (!value)
      continue;
    results.push_back(value);
    resultNames.push_back(output.name());
  }
  if (numErrors)
    return failure();
  func::ReturnOp::create(builder, loc, results);
  func.setFunctionType(
      builder.getFunctionType(argTypes, ValueRange(results).getTypes()));
  for (auto [i, name] : llvm::enumerate(resultNames))
    func.setResultAttr(i, "npu.name", builder.getStringAttr(name));
  return success();
}

LogicalResult Importer::crossCheckShapes(onnx::ModelProto &model) {
  // Inference only sees what the import already validated: the graph inputs
  // (static, positive), the initializers and nodes whose shapes the importer
  // computed. Declared shapes of outputs and intermediate values are dropped
  // first: ONNX 1.12's inference trusts them and crashes on some
  // contradictory ones (found by fuzzing).
  onnx::GraphProto &graph = *model.mutable_graph();
  graph.clear_value_info();
  for (onnx::ValueInfoProto &output : *graph.mutable_output())
    if (output.type().has_tensor_type())
      output.mutable_type()->mutable_tensor_type()->clear_shape();
  try {
    onnx::shape_inference::InferShapes(
        model, onnx::OpSchemaRegistry::Instance(),
        onnx::ShapeInferenceOptions(/*check_type=*/true, /*error_mode=*/1));
  } catch (const std::exception &e) {
    error(Twine("fails ONNX's shape inference: ") + e.what());
    return failure();
  }
  auto check = [&](const onnx::ValueInfoProto &info) {
    if (!info.type().has_tensor_type() ||
        !info.type().tensor_type().has_shape())
      return;
    SmallVector<int64_t> dims;
    for (const onnx::TensorShapeProto_Dimension &d :
         info.type().tensor_type().shape().dim()) {
      if (!d.has_dim_value())
        return;
      dims.push_back(d.dim_value());
    }
    auto it = values.find(info.name());
    if (it == values.end() || (!it->second.value && !it->second.host))
      return;
    ArrayRef<int64_t> shape =
        it->second.value
            ? cast<RankedTensorType>(it->second.value.getType()).getShape()
            : ArrayRef<int64_t>(it->second.host->shape);
    if (shape != ArrayRef<int64_t>(dims))
      error("value '" + info.name() + "' has shape " + shapeString(shape) +
            " in the import, but ONNX's shape inference gives " +
            shapeString(dims));
  };
  for (const onnx::ValueInfoProto &info : graph.value_info())
    check(info);
  for (const onnx::ValueInfoProto &info : graph.output())
    check(info);
  return success(numErrors == 0);
}

OwningOpRef<ModuleOp> Importer::run(StringRef bytes) {
  context->loadDialect<NPUDialect, func::FuncDialect, arith::ArithDialect>();
  onnx::ModelProto model;
  if (failed(parseModel(bytes, model)) || failed(checkModel(model)))
    return {};
  OwningOpRef<ModuleOp> module = ModuleOp::create(fileLoc());
  if (failed(importGraph(model.graph(), *module)) || numErrors)
    return {};
  if (failed(verify(*module)) || failed(crossCheckShapes(model)))
    return {};
  return module;
}

//===----------------------------------------------------------------------===//
// Public API
//===----------------------------------------------------------------------===//

bool mlir::npu::parseInputShapes(StringRef spec, ONNXImportOptions &options,
                                 std::string &error) {
  SmallVector<StringRef> items;
  spec.split(items, ';', /*MaxSplit=*/-1, /*KeepEmpty=*/false);
  for (StringRef item : items) {
    auto [name, dims] = item.trim().split('=');
    name = name.trim();
    if (name.empty() || dims.trim().empty()) {
      error = "bad input shape '" + item.str() +
              "': expected name=d0,d1,... (for example x=1,3,224,224)";
      return false;
    }
    std::vector<int64_t> shape;
    SmallVector<StringRef> parts;
    dims.split(parts, ',');
    for (StringRef part : parts) {
      int64_t d;
      if (part.trim().getAsInteger(10, d) || d <= 0) {
        error = "bad input shape '" + item.str() + "': dimension '" +
                part.trim().str() + "' is not a positive integer";
        return false;
      }
      shape.push_back(d);
    }
    options.inputShapes.emplace_back(name.str(), std::move(shape));
  }
  return true;
}

OwningOpRef<ModuleOp> mlir::npu::importONNX(StringRef bytes,
                                            StringRef bufferName,
                                            MLIRContext *context,
                                            const ONNXImportOptions &options) {
  // libonnx throws from deep inside; nothing may escape into the caller.
  try {
    Importer importer(context, bufferName, options);
    return importer.run(bytes);
  } catch (const std::exception &e) {
    emitError(FileLineColLoc::get(context, bufferName, 0, 0))
        << "ONNX import failed: " << e.what();
    return {};
  }
}

void mlir::npu::registerImportONNXTranslation() {
  static llvm::cl::opt<std::string> inputShapes(
      "onnx-input-shape",
      llvm::cl::desc("Static shapes of ONNX graph inputs with dynamic "
                     "dimensions: name=d0,d1,...[;name2=...]"),
      llvm::cl::init(""));
  static llvm::cl::list<std::string> constantInputs(
      "onnx-constant-input",
      llvm::cl::desc("Bind a graph input to a constant read from an ONNX "
                     "TensorProto file: name=file.pb (repeatable)"));
  static llvm::cl::opt<bool> emitBytecode(
      "onnx-emit-bytecode",
      llvm::cl::desc("Write the imported module as MLIR bytecode, where "
                     "weights are raw bytes (text holds them as hex)"),
      llvm::cl::init(false));
  // A raw translation rather than a TranslateToMLIRRegistration, so that the
  // module can be written as bytecode: large models stay compact.
  static TranslateRegistration importRegistration(
      "import-onnx", "import an ONNX model (.onnx) as npu ops",
      [](const std::shared_ptr<llvm::SourceMgr> &sourceMgr,
         raw_ostream &output, MLIRContext *context) -> LogicalResult {
        const llvm::MemoryBuffer *buffer =
            sourceMgr->getMemoryBuffer(sourceMgr->getMainFileID());
        ONNXImportOptions options;
        std::string error;
        if (!parseInputShapes(inputShapes, options, error))
          return emitError(UnknownLoc::get(context))
                 << "--onnx-input-shape: " << error;
        for (const std::string &binding : constantInputs) {
          auto [name, file] = StringRef(binding).split('=');
          if (name.empty() || file.empty())
            return emitError(UnknownLoc::get(context))
                   << "--onnx-constant-input expects name=file.pb, got '"
                   << binding << "'";
          std::string error;
          std::unique_ptr<llvm::MemoryBuffer> data = readInputFile(file, error);
          if (!data)
            return emitError(UnknownLoc::get(context))
                   << "--onnx-constant-input '" << file << "': " << error;
          options.constantInputs.emplace_back(name.str(),
                                              data->getBuffer().str());
        }
        OwningOpRef<ModuleOp> module = importONNX(
            buffer->getBuffer(), buffer->getBufferIdentifier(), context,
            options);
        if (!module)
          return failure();
        if (emitBytecode)
          return writeBytecodeToFile(*module, output);
        module->print(output);
        return success();
      });
}
