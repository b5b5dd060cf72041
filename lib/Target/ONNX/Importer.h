//===- Importer.h - ONNX importer internals ---------------------*- C++ -*-===//
//
// Shared by the driver (ImportONNX.cpp: parsing, checking, values, the
// function) and the per-operator importers (ImportOps.cpp). Not installed.
//
// Every ONNX value is an Entry: either an SSA value of the function (a
// tensor computed on the chip) or a host constant known at import time
// (initializers, Constant nodes, and everything computed only from them, such
// as the Shape -> Slice -> Concat chains exporters emit for Reshape). Host
// constants become `arith.constant`s only when a chip op consumes them.
//
//===----------------------------------------------------------------------===//

#ifndef NPU_LIB_TARGET_ONNX_IMPORTER_H
#define NPU_LIB_TARGET_ONNX_IMPORTER_H

#include "npu/Target/ONNX.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Location.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"

#include <onnx/onnx_pb.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace mlir::npu::onnx_import {

/// A tensor known at import time. Integer and boolean tensors are held as
/// int64, floating-point ones as float. Initializers are read lazily from
/// their TensorProto so a large weight is copied once, into its blob.
struct HostTensor {
  int32_t dtype = 0; // onnx::TensorProto::DataType
  SmallVector<int64_t> shape;
  const onnx::TensorProto *proto = nullptr;
  bool loaded = false;
  std::vector<int64_t> ints;
  std::vector<float> floats;

  int64_t numElements() const;
  bool isFloat() const;
  bool isInteger() const;
};

/// One ONNX value name.
struct Entry {
  /// The SSA value, set for chip tensors and for materialized constants.
  Value value;
  /// The host data, set for constants.
  std::shared_ptr<HostTensor> host;
  /// Set when the producing node failed to import: consumers are skipped
  /// without further diagnostics.
  bool poisoned = false;
};

class Importer;

/// The node being imported: attribute access (every attribute an importer
/// reads is marked used; unused ones are reported as unsupported), inputs,
/// outputs and diagnostics.
class NodeContext {
public:
  NodeContext(Importer &importer, const onnx::NodeProto &node,
              int64_t nodeIndex);

  const onnx::NodeProto &node;
  Importer &importer;
  Location loc;

  /// A readable name: the node's name or "#<index>".
  std::string label;

  int64_t opset() const;
  StringRef opType() const { return node.op_type(); }

  // Attributes.
  const onnx::AttributeProto *attr(StringRef name);
  bool hasAttr(StringRef name) { return attr(name) != nullptr; }
  int64_t getInt(StringRef name, int64_t dflt);
  float getFloat(StringRef name, float dflt);
  std::string getString(StringRef name, StringRef dflt);
  std::optional<SmallVector<int64_t>> getInts(StringRef name);
  std::optional<SmallVector<float>> getFloats(StringRef name);
  /// Attributes that were never read.
  SmallVector<std::string> unusedAttributes() const;

  // Inputs.
  unsigned numInputs() const { return node.input_size(); }
  /// Whether input `i` is present (optional inputs may be missing or "").
  bool hasInput(unsigned i) const;
  Entry &input(unsigned i);
  /// The chip value of input `i` (materializing a constant).
  Value value(unsigned i);
  /// The host data of input `i`, or null when it is computed on the chip.
  HostTensor *host(unsigned i);
  /// Input `i` as a list of integers (a constant 0-D or 1-D integer tensor);
  /// reports "input N (what) must be a constant ..." otherwise.
  FailureOr<SmallVector<int64_t>> constInts(unsigned i, StringRef what);
  /// Input `i` as one float constant.
  FailureOr<float> constFloat(unsigned i, StringRef what);
  /// The static shape of input `i`.
  ArrayRef<int64_t> shape(unsigned i);

  // Outputs.
  unsigned numOutputs() const { return node.output_size(); }
  /// Whether output `i` is named (used).
  bool hasOutput(unsigned i) const;
  void setOutput(unsigned i, Value value);
  void setOutput(unsigned i, std::shared_ptr<HostTensor> host);

  /// Reports a problem with this node ("node 'x' (Op, opset N): msg") and
  /// returns failure.
  LogicalResult fail(const Twine &message);

  // Building.
  OpBuilder &builder();
  RankedTensorType f32(ArrayRef<int64_t> shape);

private:
  llvm::StringMap<bool> used;
};

class Importer {
public:
  Importer(MLIRContext *context, StringRef bufferName,
           const ONNXImportOptions &options);

  OwningOpRef<ModuleOp> run(StringRef bytes);

  MLIRContext *context;
  std::string bufferName;
  const ONNXImportOptions &options;
  OpBuilder builder;
  int64_t opset = 0;
  unsigned numErrors = 0;
  llvm::StringMap<Entry> values;

  /// The file location every diagnostic and op location hangs off.
  Location fileLoc();
  /// Reports an error not tied to a node.
  void error(const Twine &message);

  /// The chip value of a constant, created once, in the function's entry;
  /// null after a diagnostic naming `what` for a constant the chip cannot
  /// hold (not float32, or empty).
  Value materialize(Entry &entry, Location loc, StringRef what);

  /// Loads `tensor`'s data into its ints/floats (once). Fails with a
  /// diagnostic naming `what` on malformed data.
  LogicalResult load(HostTensor &tensor, Location loc, StringRef what);

private:
  LogicalResult parseModel(StringRef bytes, onnx::ModelProto &model);
  LogicalResult checkModel(onnx::ModelProto &model);
  /// Runs ONNX's shape inference on the imported model and reports every
  /// value whose static shape differs from the import's.
  LogicalResult crossCheckShapes(onnx::ModelProto &model);
  LogicalResult importGraph(const onnx::GraphProto &graph, ModuleOp module);
  LogicalResult importNode(const onnx::NodeProto &node, int64_t index);

  Block *entryBlock = nullptr;
  Operation *lastConstant = nullptr;
  /// Names already used for resource blobs.
  llvm::StringMap<unsigned> blobNames;
};

/// The number of elements of `shape`, or nullopt when a dim is negative or
/// the product does not fit in int64. Every value of the import (graph
/// input, initializer, node output) is checked with it, so that products of
/// their shapes are well defined everywhere else.
std::optional<int64_t> checkedNumElements(ArrayRef<int64_t> shape);

/// Converts an ONNX element type to an MLIR one; null for types the chip
/// does not compute with.
Type chipElementType(MLIRContext *context, int32_t dtype);

/// The ONNX name of an element type, for diagnostics ("float16").
std::string dtypeName(int32_t dtype);

/// Imports one node with the importer registered for its op type, or
/// reports the op as unsupported. Defined in ImportOps.cpp.
LogicalResult importOp(NodeContext &ctx);

/// Whether the op type has an importer (for listing unsupported nodes).
bool isSupportedOp(StringRef opType);

} // namespace mlir::npu::onnx_import

#endif // NPU_LIB_TARGET_ONNX_IMPORTER_H
