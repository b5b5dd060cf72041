//===- LowerOps.cpp - npu ops to npuisa instructions ----------------------===//
//
// One lowering per npu op, on tensors that live in SRAM as contiguous
// row-major f32 buffers (NCHW for images, OIHW for conv weights). The
// choices are listed at the top of LowerToISA.cpp and in docs/lowering.md.
// The graph is the body of the model function or of one chip's npu.program;
// both have the same shape once their host inputs and outputs are bound.
//
//===----------------------------------------------------------------------===//

#include "GraphLowering.h"
#include "ProgramBuilder.h"

#include "npu/Dialect/NPU/NPUOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Traits.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/TypeSwitch.h"

#include <cmath>
#include <limits>

#define DEBUG_TYPE "npu-lower-to-isa"

using namespace mlir;
using namespace mlir::npu;
using namespace mlir::npu::lowering;
namespace rt = ::npu::rt;
using npuisa::VectorOpKind;

namespace {

constexpr int64_t kF32Bytes = 4;
/// A strided copy of rank above 4 becomes one copy per index of its leading
/// dimensions; past this many the op is rejected rather than flooding the
/// stream.
constexpr int64_t kMaxCopiesPerOp = 65536;
/// Constants that are transformed at compile time are expanded to their
/// elements; a splat past this many elements is rejected instead.
constexpr int64_t kMaxSplatExpansion = int64_t(1) << 26;

int64_t product(ArrayRef<int64_t> dims) {
  int64_t p = 1;
  for (int64_t d : dims)
    p *= d;
  return p;
}

/// Row-major strides in elements.
SmallVector<int64_t> stridesOf(ArrayRef<int64_t> shape) {
  SmallVector<int64_t> strides(shape.size(), 1);
  for (int64_t d = static_cast<int64_t>(shape.size()) - 2; d >= 0; --d)
    strides[d] = strides[d + 1] * shape[d + 1];
  return strides;
}

RankedTensorType typeOf(Value v) { return cast<RankedTensorType>(v.getType()); }
ArrayRef<int64_t> shapeOf(Value v) { return typeOf(v).getShape(); }
int64_t numel(Value v) { return typeOf(v).getNumElements(); }
int64_t bytesOf(Value v) { return numel(v) * kF32Bytes; }

ElementsAttr f32Attr(MLIRContext *ctx, ArrayRef<int64_t> shape,
                     ArrayRef<float> values) {
  auto type = RankedTensorType::get(shape, Float32Type::get(ctx));
  return DenseElementsAttr::get(type, values);
}

/// How an operand of shape `operand` reaches every element of a result of
/// shape `out` under numpy broadcasting.
struct BroadcastPlan {
  enum Kind {
    Same,       ///< Same element count: elementwise.
    Periodic,   ///< Expressible as b_bcast [period, repeat].
    Materialize ///< Needs a stride-0 copy to the result's shape.
  } kind;
  Bcast bcast;
  /// Element strides into the operand per result dimension (0 where it is
  /// broadcast), for Materialize.
  SmallVector<int64_t> strides;
};

BroadcastPlan planBroadcast(ArrayRef<int64_t> operand, ArrayRef<int64_t> out) {
  size_t rank = out.size();
  SmallVector<int64_t> padded(rank - operand.size(), 1);
  llvm::append_range(padded, operand);
  SmallVector<int64_t> own = stridesOf(padded);
  BroadcastPlan plan{BroadcastPlan::Same, {product(out), 1}, {}};
  for (size_t d = 0; d < rank; ++d)
    plan.strides.push_back(padded[d] == 1 ? 0 : own[d]);
  if (product(padded) == product(out))
    return plan;
  // The dimensions the operand keeps (not broadcast, size > 1) must form
  // one block; b is then indexed by (i / elements after it) % block size.
  int64_t first = -1, last = -1;
  for (size_t d = 0; d < rank; ++d)
    if (out[d] > 1 && padded[d] == out[d]) {
      if (first < 0)
        first = static_cast<int64_t>(d);
      last = static_cast<int64_t>(d);
    }
  plan.kind = BroadcastPlan::Periodic;
  if (first < 0) {
    plan.bcast = {1, 1};
    return plan;
  }
  for (int64_t d = first; d <= last; ++d)
    if (out[d] > 1 && padded[d] != out[d]) {
      plan.kind = BroadcastPlan::Materialize;
      return plan;
    }
  plan.bcast = {product(ArrayRef<int64_t>(out).slice(first, last - first + 1)),
                product(ArrayRef<int64_t>(out).drop_front(last + 1))};
  return plan;
}

/// A host input of the graph: the values that read it (a function's
/// argument; every npu.input of that name in a program).
struct InputBinding {
  const StagedTensor *staged;
  SmallVector<Value, 1> values;
  Location loc;
};

/// A host output of the graph: a returned value or an npu.output operand.
struct OutputBinding {
  const StagedTensor *staged;
  Value value;
  Location loc;
};

class GraphLowering {
public:
  /// Lowers the ops of `body`; `root` (the function or the program) takes
  /// the diagnostics that belong to no op.
  GraphLowering(Operation *root, Block &body, ProgramBuilder &pb)
      : root(root), body(body), pb(pb) {
    int64_t index = 0;
    for (Operation &op : body)
      position[&op] = index++;
  }

  LogicalResult run(ArrayRef<InputBinding> inputs,
                    ArrayRef<OutputBinding> outputs);

private:
  //===--------------------------------------------------------------------===//
  // Values in SRAM.
  //===--------------------------------------------------------------------===//

  /// The SRAM place of `v`; a constant is loaded as a weight of the
  /// current op.
  SramRef operand(Value v) {
    if (ElementsAttr data = constants.lookup(v))
      return pb.loadWeights(data);
    auto it = values.find(v);
    assert(it != values.end() && "operand lowered before its use");
    return it->second;
  }

  void bind(Value v, SramRef ref) {
    values[v] = ref;
    // A result of the graph is copied out after the last op, whatever the
    // position of its npu.output.
    int64_t &last = lastUse[ref.buffer];
    for (Operation *user : v.getUsers())
      last = std::max(last, isa<func::ReturnOp, OutputOp>(user)
                                ? std::numeric_limits<int64_t>::max()
                                : position.lookup(user));
  }

  /// A buffer for `result`: the buffer of `reuse` when this op is the last
  /// to touch it (elementwise lowerings write their result in place), a
  /// new one otherwise.
  SramRef define(Value result, Value reuse = {}) {
    if (reuse && canReuse(reuse, result)) {
      SramRef ref = values.lookup(reuse);
      bind(result, ref);
      return ref;
    }
    SramRef ref = pb.allocate(bytesOf(result));
    bind(result, ref);
    return ref;
  }

  bool canReuse(Value v, Value result) {
    if (constants.count(v) || !values.count(v))
      return false;
    SramRef ref = values.lookup(v);
    if (ref.offset != 0 || pb.getBufferBytes(ref.buffer) != bytesOf(result))
      return false;
    // No value in the buffer is read after the current op (which reads
    // `v`, at `here`, and is never a return or an npu.output).
    return lastUse.lookup(ref.buffer) <= position.lookup(current);
  }

  SramRef scalar(float value) {
    return pb.loadWeights(f32Attr(root->getContext(), {1}, {value}));
  }

  FailureOr<SmallVector<float>> valuesOf(ElementsAttr data) {
    // A splat is small in the IR; its expansion must stay small too.
    if (data.isSplat() && data.getNumElements() > kMaxSplatExpansion)
      return current->emitOpError()
             << "would expand a splat constant of " << data.getNumElements()
             << " elements at compile time; at most " << kMaxSplatExpansion
             << " are expanded";
    if (auto dense = dyn_cast<DenseElementsAttr>(data))
      return SmallVector<float>(dense.getValues<float>());
    if (auto resource = dyn_cast<DenseF32ResourceElementsAttr>(data))
      if (std::optional<ArrayRef<float>> raw = resource.tryGetAsArrayRef())
        return SmallVector<float>(*raw);
    return current->emitOpError()
           << "needs the values of a constant operand at compile time, but "
              "its data is not available";
  }

  //===--------------------------------------------------------------------===//
  // Shared pieces.
  //===--------------------------------------------------------------------===//

  LogicalResult copyStrided(SramRef src, SramRef dst, ArrayRef<int64_t> shape,
                            ArrayRef<int64_t> srcStrides,
                            ArrayRef<int64_t> dstStrides);
  /// `src` (indexed by `plan.strides`) copied out to a new contiguous
  /// buffer of shape `out`.
  FailureOr<SramRef> materialize(SramRef src, const BroadcastPlan &plan,
                                 ArrayRef<int64_t> out, SramRef dst);
  /// Operand `v` as operand b of a vector op over a result of shape `out`.
  FailureOr<std::pair<SramRef, Bcast>> broadcastOperand(Value v,
                                                        ArrayRef<int64_t> out);
  LogicalResult binary(Operation *op, VectorOpKind kind, Value lhs, Value rhs,
                       bool commutative);
  LogicalResult unary(Operation *op, VectorOpKind kind, float alpha = 0.0f,
                      float beta = 0.0f);
  void matmulTiles(SramRef a, SramRef b, SramRef c, int64_t m, int64_t k,
                   int64_t n);
  LogicalResult convTiles(SramRef input, SramRef weight, SramRef output,
                          ArrayRef<int64_t> in, ArrayRef<int64_t> w,
                          ArrayRef<int64_t> out, int64_t groups,
                          ArrayRef<int64_t> strides, ArrayRef<int64_t> pads,
                          ArrayRef<int64_t> dilations);

  //===--------------------------------------------------------------------===//
  // Ops.
  //===--------------------------------------------------------------------===//

  LogicalResult lower(Operation *op);
  LogicalResult lowerConv(Conv2DOp op);
  LogicalResult lowerConvTranspose(ConvTranspose2DOp op);
  LogicalResult lowerMatMul(MatMulOp op);
  LogicalResult lowerGemm(GemmOp op);
  LogicalResult lowerPRelu(PReluOp op);
  LogicalResult lowerBatchNorm(BatchNormOp op);
  LogicalResult lowerSoftmax(SoftmaxOp op);
  template <typename PoolOpTy>
  LogicalResult lowerPool(PoolOpTy op, npuisa::PoolKind kind,
                          bool countIncludePad);
  LogicalResult lowerReduce(Operation *op, npuisa::ReduceKind kind,
                            ArrayRef<int64_t> axes);
  LogicalResult lowerReshape(ReshapeOp op);
  LogicalResult lowerTranspose(TransposeOp op);
  LogicalResult lowerSlice(SliceOp op);
  LogicalResult lowerConcat(ConcatOp op);
  LogicalResult lowerPad(PadOp op);
  LogicalResult lowerResize(ResizeOp op);
  LogicalResult lowerRecv(RecvOp op);
  LogicalResult lowerSend(SendOp op);
  LogicalResult lowerExitGate(ExitGateOp op);

public:
  /// Where each output a program stores is staged (npu.output and exit
  /// gates), by name.
  llvm::StringMap<const StagedTensor *> stagedOutputs;

private:
  Operation *root;
  Block &body;
  ProgramBuilder &pb;
  Operation *current = nullptr;
  llvm::DenseMap<Operation *, int64_t> position;
  llvm::DenseMap<Value, SramRef> values;
  llvm::DenseMap<Value, ElementsAttr> constants;
  /// Per buffer, the last position at which any value bound to it is read
  /// (INT64_MAX for a result of the graph); kept up to date by bind() so
  /// that canReuse() is O(1) however long a chain of in-place ops gets.
  llvm::DenseMap<int, int64_t> lastUse;
};

} // namespace

//===----------------------------------------------------------------------===//
// Checks before anything is emitted.
//===----------------------------------------------------------------------===//

/// Checks the ops of `body`; `program` allows the host and link ops of an
/// npu.program.
static LogicalResult checkBody(Block &body, bool program) {
  bool ok = true;
  auto checkType = [&](Operation *op, Type type) {
    auto tensor = dyn_cast<RankedTensorType>(type);
    if (!tensor) {
      op->emitOpError() << "has a value of type " << type
                        << "; only ranked tensors are lowered";
      return false;
    }
    if (!tensor.getElementType().isF32()) {
      op->emitOpError() << "only f32 is lowered so far, got " << tensor;
      return false;
    }
    if (!tensor.hasStaticShape()) {
      op->emitOpError() << "needs static shapes, got " << tensor;
      return false;
    }
    if (!getTensorBytes(tensor)) {
      op->emitOpError() << "has a tensor too large to address, " << tensor
                        << ": its size in bytes overflows 64 bits";
      return false;
    }
    if (tensor.getNumElements() == 0) {
      op->emitOpError() << "has an empty tensor " << tensor
                        << "; it has nothing to lower";
      return false;
    }
    return true;
  };

  Operation *escalation = nullptr;
  for (Operation &op : body) {
    if (!program && isa<func::ReturnOp>(op))
      continue;
    if (escalation && !isa<arith::ConstantOp>(op)) {
      InFlightDiagnostic diag =
          op.emitOpError() << "follows an escalating npu.exit_gate, which "
                              "ends its program";
      diag.attachNote(escalation->getLoc()) << "the escalation";
      ok = false;
      escalation = nullptr;
    }
    if (auto gate = dyn_cast<ExitGateOp>(op); gate && gate.getChip())
      escalation = &op;
    if (auto constant = dyn_cast<arith::ConstantOp>(op)) {
      Attribute value = constant.getValue();
      if (!isa<DenseElementsAttr, DenseResourceElementsAttr>(value)) {
        op.emitOpError() << "must hold dense elements to become a DRAM "
                            "segment, got "
                         << value;
        ok = false;
        continue;
      }
      ok &= checkType(&op, constant.getType());
      continue;
    }
    if (isa<QuantizeOp, DequantizeOp>(op)) {
      op.emitOpError() << "is not lowered yet: the lowering handles only f32";
      ok = false;
      continue;
    }
    if (!isa<Conv2DOp, ConvTranspose2DOp, MatMulOp, GemmOp, AddOp, SubOp, MulOp,
             DivOp, MaxOp, MinOp, PowOp, PReluOp, ReluOp, SigmoidOp, TanhOp,
             ExpOp, SqrtOp, HardSwishOp, LeakyReluOp, HardSigmoidOp, GeluOp,
             ClipOp, SoftmaxOp, BatchNormOp, MaxPool2DOp, AvgPool2DOp,
             GlobalAvgPoolOp, GlobalMaxPoolOp, ReduceMeanOp, ReduceSumOp,
             ReduceMaxOp, ReshapeOp, TransposeOp, ConcatOp, SliceOp, PadOp,
             ResizeOp>(op) &&
        !(program && isa<InputOp, OutputOp, SendOp, RecvOp, ExitGateOp>(op))) {
      op.emitOpError() << "is not supported by npu-lower-to-isa";
      ok = false;
      continue;
    }
    bool typesOk = true;
    for (Type type : op.getOperandTypes())
      typesOk = typesOk && checkType(&op, type);
    for (Type type : op.getResultTypes())
      typesOk = typesOk && checkType(&op, type);
    ok &= typesOk;
  }
  return success(ok);
}

LogicalResult mlir::npu::lowering::checkLowerable(func::FuncOp func) {
  return checkBody(func.getBody().front(), /*program=*/false);
}

LogicalResult mlir::npu::lowering::checkLowerable(ProgramOp program) {
  return checkBody(program.getBody().front(), /*program=*/true);
}

//===----------------------------------------------------------------------===//
// The graph: a function, or one chip's program.
//===----------------------------------------------------------------------===//

LogicalResult GraphLowering::run(ArrayRef<InputBinding> inputs,
                                 ArrayRef<OutputBinding> outputs) {
  // Inputs: host -> DRAM, then DRAM -> SRAM when something reads them.
  for (const InputBinding &input : inputs) {
    const StagedTensor &staged = *input.staged;
    Operation *firstUser = nullptr;
    for (Value value : input.values)
      for (Operation *user : value.getUsers())
        if (!firstUser || position.lookup(user) < position.lookup(firstUser))
          firstUser = user;
    pb.startPrologue(firstUser ? firstUser : root, input.loc);
    pb.loadInput(staged.name, staged.dram, staged.bytes);
    if (!firstUser)
      continue;
    SramRef ref = pb.allocate(staged.bytes);
    pb.dmaIn(staged.dram, ref, staged.bytes);
    for (Value value : input.values)
      bind(value, ref);
  }

  for (Operation &op : body) {
    if (auto constant = dyn_cast<arith::ConstantOp>(op)) {
      constants[constant.getResult()] = cast<ElementsAttr>(constant.getValue());
      continue;
    }
    if (isa<func::ReturnOp, InputOp, OutputOp>(op))
      continue;
    current = &op;
    pb.startOp(&op);
    if (failed(lower(&op)))
      return failure();
  }

  // Outputs: SRAM -> DRAM -> host. A constant output goes straight from its
  // segment to the host.
  for (const OutputBinding &output : outputs) {
    const StagedTensor &staged = *output.staged;
    Value value = output.value;
    Operation *producer = value.getDefiningOp();
    pb.startEpilogue(producer ? producer : root, output.loc);
    if (ElementsAttr data = constants.lookup(value)) {
      pb.storeOutput(staged.name, pb.addSegment(data), staged.bytes);
      continue;
    }
    pb.dmaOut(values.lookup(value), staged.dram, staged.bytes);
    pb.storeOutput(staged.name, staged.dram, staged.bytes);
  }
  return success();
}

/// The first DRAM byte after the staged inputs and outputs.
static int64_t stagingEnd(ArrayRef<StagedTensor> inputs,
                          ArrayRef<StagedTensor> outputs) {
  int64_t end = 0;
  for (const StagedTensor &t :
       llvm::concat<const StagedTensor>(inputs, outputs))
    end = std::max(end, addSaturating(t.dram, t.bytes));
  return end;
}

LogicalResult mlir::npu::lowering::lowerFunction(func::FuncOp func,
                                                 npuisa::ProgramOp program,
                                                 const rt::ChipDesc &chip,
                                                 ArrayRef<StagedTensor> inputs,
                                                 ArrayRef<StagedTensor> outputs,
                                                 int64_t &peakSram) {
  int64_t dramBase = stagingEnd(inputs, outputs);
  Block &body = func.getBody().front();
  if (failed(checkFits(func, body, chip, dramBase)))
    return failure();
  SmallVector<InputBinding> inputBindings;
  for (auto [arg, staged] : llvm::zip_equal(body.getArguments(), inputs))
    inputBindings.push_back({&staged, {arg}, arg.getLoc()});
  SmallVector<OutputBinding> outputBindings;
  auto ret = cast<func::ReturnOp>(body.getTerminator());
  for (auto [value, staged] : llvm::zip_equal(ret.getOperands(), outputs))
    outputBindings.push_back({&staged, value, ret.getLoc()});

  ProgramBuilder pb(program, chip, dramBase);
  GraphLowering lowering(func, body, pb);
  if (failed(lowering.run(inputBindings, outputBindings)))
    return failure();
  return pb.finalize(peakSram);
}

LogicalResult mlir::npu::lowering::lowerProgram(ProgramOp source,
                                                npuisa::ProgramOp program,
                                                const rt::ChipDesc &chip,
                                                ArrayRef<StagedTensor> inputs,
                                                ArrayRef<StagedTensor> outputs,
                                                int64_t &peakSram) {
  int64_t dramBase = stagingEnd(inputs, outputs);
  Block &body = source.getBody().front();
  if (failed(checkFits(source, body, chip, dramBase)))
    return failure();
  SmallVector<InputBinding> inputBindings;
  for (const StagedTensor &staged : inputs) {
    InputBinding binding{&staged, {}, source.getLoc()};
    for (auto input : body.getOps<InputOp>())
      if (input.getName() == staged.name) {
        if (binding.values.empty())
          binding.loc = input.getLoc();
        binding.values.push_back(input.getOutput());
      }
    assert(!binding.values.empty() && "a staged input no npu.input reads");
    inputBindings.push_back(std::move(binding));
  }
  // The npu.output ops come first in `outputs`, in order; then the outputs
  // only exit gates store.
  SmallVector<OutputBinding> outputBindings;
  for (auto [output, staged] : llvm::zip(body.getOps<OutputOp>(), outputs))
    outputBindings.push_back({&staged, output.getValue(), output.getLoc()});

  ProgramBuilder pb(program, chip, dramBase);
  GraphLowering lowering(source, body, pb);
  for (const StagedTensor &staged : outputs)
    lowering.stagedOutputs.try_emplace(staged.name, &staged);
  if (failed(lowering.run(inputBindings, outputBindings)))
    return failure();
  return pb.finalize(peakSram);
}

//===----------------------------------------------------------------------===//
// Shared pieces.
//===----------------------------------------------------------------------===//

/// Drops unit dimensions and merges neighbours that are contiguous in both
/// source and destination, then emits one 4-D copy, or one per index of the
/// dimensions beyond four.
LogicalResult GraphLowering::copyStrided(SramRef src, SramRef dst,
                                         ArrayRef<int64_t> shape,
                                         ArrayRef<int64_t> srcStrides,
                                         ArrayRef<int64_t> dstStrides) {
  SmallVector<int64_t> s, a, b;
  for (size_t d = 0; d < shape.size(); ++d) {
    if (shape[d] == 1)
      continue;
    if (!s.empty() && a.back() == srcStrides[d] * shape[d] &&
        b.back() == dstStrides[d] * shape[d]) {
      s.back() *= shape[d];
      a.back() = srcStrides[d];
      b.back() = dstStrides[d];
      continue;
    }
    s.push_back(shape[d]);
    a.push_back(srcStrides[d]);
    b.push_back(dstStrides[d]);
  }
  while (s.size() < 4) {
    s.insert(s.begin(), 1);
    a.insert(a.begin(), 0);
    b.insert(b.begin(), 0);
  }
  size_t lead = s.size() - 4;
  int64_t copies = product(ArrayRef<int64_t>(s).take_front(lead));
  if (copies > kMaxCopiesPerOp)
    return current->emitOpError()
           << "needs " << copies << " strided copies of rank 4 (at most "
           << kMaxCopiesPerOp << " are emitted per op)";
  SmallVector<int64_t> index(lead, 0);
  for (int64_t c = 0; c < copies; ++c) {
    int64_t srcOff = 0, dstOff = 0;
    for (size_t d = 0; d < lead; ++d) {
      srcOff += index[d] * a[d];
      dstOff += index[d] * b[d];
    }
    pb.copy(src.at(srcOff * kF32Bytes), dst.at(dstOff * kF32Bytes),
            ArrayRef<int64_t>(s).drop_front(lead),
            ArrayRef<int64_t>(a).drop_front(lead),
            ArrayRef<int64_t>(b).drop_front(lead));
    for (int64_t d = static_cast<int64_t>(lead) - 1; d >= 0; --d) {
      if (++index[d] < s[d])
        break;
      index[d] = 0;
    }
  }
  return success();
}

FailureOr<SramRef> GraphLowering::materialize(SramRef src,
                                              const BroadcastPlan &plan,
                                              ArrayRef<int64_t> out,
                                              SramRef dst) {
  if (failed(copyStrided(src, dst, out, plan.strides, stridesOf(out))))
    return failure();
  return dst;
}

FailureOr<std::pair<SramRef, Bcast>>
GraphLowering::broadcastOperand(Value v, ArrayRef<int64_t> out) {
  BroadcastPlan plan = planBroadcast(shapeOf(v), out);
  SramRef ref = operand(v);
  if (plan.kind != BroadcastPlan::Materialize)
    return std::make_pair(ref, plan.bcast);
  FailureOr<SramRef> full =
      materialize(ref, plan, out, pb.allocate(product(out) * kF32Bytes));
  if (failed(full))
    return failure();
  return std::make_pair(*full, Bcast{product(out), 1});
}

LogicalResult GraphLowering::binary(Operation *op, VectorOpKind kind, Value lhs,
                                    Value rhs, bool commutative) {
  Value result = op->getResult(0);
  ArrayRef<int64_t> out = shapeOf(result);
  int64_t count = product(out);
  BroadcastPlan lhsPlan = planBroadcast(shapeOf(lhs), out);
  BroadcastPlan rhsPlan = planBroadcast(shapeOf(rhs), out);
  if (lhsPlan.kind != BroadcastPlan::Same &&
      rhsPlan.kind == BroadcastPlan::Same && commutative) {
    std::swap(lhs, rhs);
    std::swap(lhsPlan, rhsPlan);
  }
  // Operand a must cover the result: a broadcast lhs is copied out into the
  // result's buffer, which the op then updates in place.
  SramRef a, dst;
  if (lhsPlan.kind == BroadcastPlan::Same) {
    a = operand(lhs);
    dst = define(result, lhs);
  } else {
    dst = define(result);
    FailureOr<SramRef> full = materialize(operand(lhs), lhsPlan, out, dst);
    if (failed(full))
      return failure();
    a = *full;
  }
  FailureOr<std::pair<SramRef, Bcast>> b = broadcastOperand(rhs, out);
  if (failed(b))
    return failure();
  pb.vector(kind, a, b->first, b->second, dst, count);
  return success();
}

LogicalResult GraphLowering::unary(Operation *op, VectorOpKind kind,
                                   float alpha, float beta) {
  Value input = op->getOperand(0), result = op->getResult(0);
  SramRef a = operand(input);
  SramRef dst = define(result, input);
  pb.vector(kind, a, std::nullopt, {}, dst, numel(result), alpha, beta);
  return success();
}

/// C[m x n] = A[m x k] * B[k x n], all contiguous, in tiles of at most
/// mac_rows x mac_cols with the whole k.
void GraphLowering::matmulTiles(SramRef a, SramRef b, SramRef c, int64_t m,
                                int64_t k, int64_t n) {
  int64_t rows = pb.getChip().macRows, cols = pb.getChip().macCols;
  for (int64_t m0 = 0; m0 < m; m0 += rows)
    for (int64_t n0 = 0; n0 < n; n0 += cols)
      pb.matmul(a.at(m0 * k * kF32Bytes), b.at(n0 * kF32Bytes),
                c.at((m0 * n + n0) * kF32Bytes), std::min(rows, m - m0), k,
                std::min(cols, n - n0), {k, n, n});
}

//===----------------------------------------------------------------------===//
// Ops.
//===----------------------------------------------------------------------===//

LogicalResult GraphLowering::lower(Operation *op) {
  return llvm::TypeSwitch<Operation *, LogicalResult>(op)
      .Case([&](Conv2DOp op) { return lowerConv(op); })
      .Case([&](ConvTranspose2DOp op) { return lowerConvTranspose(op); })
      .Case([&](MatMulOp op) { return lowerMatMul(op); })
      .Case([&](GemmOp op) { return lowerGemm(op); })
      .Case([&](AddOp op) {
        return binary(op, VectorOpKind::add, op.getLhs(), op.getRhs(), true);
      })
      .Case([&](SubOp op) {
        return binary(op, VectorOpKind::sub, op.getLhs(), op.getRhs(), false);
      })
      .Case([&](MulOp op) {
        return binary(op, VectorOpKind::mul, op.getLhs(), op.getRhs(), true);
      })
      .Case([&](DivOp op) {
        return binary(op, VectorOpKind::div, op.getLhs(), op.getRhs(), false);
      })
      .Case([&](MaxOp op) {
        return binary(op, VectorOpKind::max, op.getLhs(), op.getRhs(), true);
      })
      .Case([&](MinOp op) {
        return binary(op, VectorOpKind::min, op.getLhs(), op.getRhs(), true);
      })
      .Case([&](PowOp op) {
        return binary(op, VectorOpKind::pow, op.getLhs(), op.getRhs(), false);
      })
      .Case([&](PReluOp op) { return lowerPRelu(op); })
      .Case([&](ReluOp op) { return unary(op, VectorOpKind::relu); })
      .Case([&](SigmoidOp op) { return unary(op, VectorOpKind::sigmoid); })
      .Case([&](TanhOp op) { return unary(op, VectorOpKind::tanh); })
      .Case([&](ExpOp op) { return unary(op, VectorOpKind::exp); })
      .Case([&](SqrtOp op) { return unary(op, VectorOpKind::sqrt); })
      .Case([&](HardSwishOp op) { return unary(op, VectorOpKind::hard_swish); })
      .Case([&](LeakyReluOp op) {
        return unary(op, VectorOpKind::leaky_relu,
                     op.getAlpha().convertToFloat());
      })
      .Case([&](HardSigmoidOp op) {
        return unary(op, VectorOpKind::hard_sigmoid,
                     op.getAlpha().convertToFloat(),
                     op.getBeta().convertToFloat());
      })
      .Case([&](ClipOp op) {
        return unary(op, VectorOpKind::clip, op.getMin().convertToFloat(),
                     op.getMax().convertToFloat());
      })
      .Case([&](GeluOp op) {
        return unary(op, VectorOpKind::gelu, op.getApproximate() ? 1.0f : 0.0f);
      })
      .Case([&](SoftmaxOp op) { return lowerSoftmax(op); })
      .Case([&](BatchNormOp op) { return lowerBatchNorm(op); })
      .Case([&](MaxPool2DOp op) {
        return lowerPool(op, npuisa::PoolKind::max, false);
      })
      .Case([&](AvgPool2DOp op) {
        return lowerPool(op, npuisa::PoolKind::avg, op.getCountIncludePad());
      })
      .Case([&](GlobalAvgPoolOp op) {
        return lowerReduce(op, npuisa::ReduceKind::mean, {2, 3});
      })
      .Case([&](GlobalMaxPoolOp op) {
        return lowerReduce(op, npuisa::ReduceKind::max, {2, 3});
      })
      .Case([&](ReduceMeanOp op) {
        return lowerReduce(op, npuisa::ReduceKind::mean, op.getAxes());
      })
      .Case([&](ReduceSumOp op) {
        return lowerReduce(op, npuisa::ReduceKind::sum, op.getAxes());
      })
      .Case([&](ReduceMaxOp op) {
        return lowerReduce(op, npuisa::ReduceKind::max, op.getAxes());
      })
      .Case([&](ReshapeOp op) { return lowerReshape(op); })
      .Case([&](TransposeOp op) { return lowerTranspose(op); })
      .Case([&](SliceOp op) { return lowerSlice(op); })
      .Case([&](ConcatOp op) { return lowerConcat(op); })
      .Case([&](PadOp op) { return lowerPad(op); })
      .Case([&](ResizeOp op) { return lowerResize(op); })
      .Case([&](RecvOp op) { return lowerRecv(op); })
      .Case([&](SendOp op) { return lowerSend(op); })
      .Case([&](ExitGateOp op) { return lowerExitGate(op); })
      .Default([&](Operation *op) {
        return op->emitOpError() << "is not supported by npu-lower-to-isa";
      });
}

/// Per image, per group, per block of at most mac_cols output channels, per
/// block of output rows with rows * out_w <= mac_rows: one conv tile over
/// the NCHW `input` of shape `in` with the OIHW `weight` of shape `w` into
/// the NCHW `output` of shape `out`.
LogicalResult GraphLowering::convTiles(SramRef input, SramRef weight,
                                       SramRef output, ArrayRef<int64_t> in,
                                       ArrayRef<int64_t> w,
                                       ArrayRef<int64_t> out, int64_t groups,
                                       ArrayRef<int64_t> strides,
                                       ArrayRef<int64_t> pads,
                                       ArrayRef<int64_t> dilations) {
  int64_t n = in[0], c = in[1], h = in[2], wd = in[3];
  int64_t m = w[0], cg = w[1], kh = w[2], kw = w[3];
  int64_t oh = out[2], ow = out[3], mg = m / groups;
  const rt::ChipDesc &chip = pb.getChip();
  if (ow > chip.macRows)
    return current->emitOpError()
           << "output width " << ow << " exceeds the " << chip.macRows
           << " rows of the MAC array of chip " << chip.id
           << "; a conv tile holds at least one output row";
  int64_t rowsPerTile = std::min(oh, std::max<int64_t>(1, chip.macRows / ow));
  for (int64_t img = 0; img < n; ++img)
    for (int64_t g = 0; g < groups; ++g)
      for (int64_t oc0 = 0; oc0 < mg; oc0 += chip.macCols) {
        int64_t ocs = std::min(chip.macCols, mg - oc0);
        for (int64_t r0 = 0; r0 < oh; r0 += rowsPerTile)
          pb.conv(input.at((img * c + g * cg) * h * wd * kF32Bytes),
                  weight.at((g * mg + oc0) * cg * kh * kw * kF32Bytes),
                  output.at((img * m + g * mg + oc0) * oh * ow * kF32Bytes), cg,
                  {h, wd}, ocs, {oh, ow}, {r0, std::min(rowsPerTile, oh - r0)},
                  {kh, kw}, strides, pads, dilations);
      }
  return success();
}

/// The tiles of convTiles; the bias is one vector add over all images,
/// b_bcast [M, OH*OW].
LogicalResult GraphLowering::lowerConv(Conv2DOp op) {
  ArrayRef<int64_t> out = shapeOf(op.getOutput());
  SramRef input = operand(op.getInput());
  SramRef weight = operand(op.getWeight());
  SramRef output = define(op.getOutput());
  if (failed(convTiles(input, weight, output, shapeOf(op.getInput()),
                       shapeOf(op.getWeight()), out,
                       static_cast<int64_t>(op.getGroups()), op.getStrides(),
                       op.getPads(), op.getDilations())))
    return failure();
  if (Value bias = op.getBias())
    pb.vector(VectorOpKind::add, output, operand(bias),
              {out[1], out[2] * out[3]}, output, numel(op.getOutput()));
  return success();
}

/// A transposed convolution is the stride-1 convolution, with the kernel
/// flipped spatially and its channel axes swapped per group, of the input
/// scattered with stride s (s - 1 zeros between neighbours) and padded by
/// (k-1)*d - pad_begin before and (k-1)*d - pad_end + output_padding after
/// in each spatial dimension. Negative padding crops the scattered input;
/// what is left over becomes the conv's own (zero) padding, so the buffer
/// holds no border. The scattered input is a fill with zeros and one
/// strided copy over all images; a stride of 1 with no cropping convolves
/// the input itself. The kernel is rearranged at compile time into a
/// segment; the bias is added as for conv2d.
LogicalResult GraphLowering::lowerConvTranspose(ConvTranspose2DOp op) {
  ArrayRef<int64_t> in = shapeOf(op.getInput()), w = shapeOf(op.getWeight()),
                    out = shapeOf(op.getOutput());
  int64_t n = in[0], c = in[1];
  int64_t groups = static_cast<int64_t>(op.getGroups());
  int64_t cg = c / groups, mg = w[1], kh = w[2], kw = w[3], m = mg * groups;

  ElementsAttr constWeight = constants.lookup(op.getWeight());
  if (!constWeight)
    return op.emitOpError()
           << "needs a constant weight: it is flipped and transposed into a "
              "convolution kernel at compile time";
  FailureOr<SmallVector<float>> data = valuesOf(constWeight);
  if (failed(data))
    return failure();
  // kernel[g*M/G + o, ci, ky, kx] = weight[g*C/G + ci, o, KH-1-ky, KW-1-kx].
  SmallVector<float> kernel(m * cg * kh * kw);
  for (int64_t g = 0; g < groups; ++g)
    for (int64_t o = 0; o < mg; ++o)
      for (int64_t ci = 0; ci < cg; ++ci)
        for (int64_t ky = 0; ky < kh; ++ky)
          for (int64_t kx = 0; kx < kw; ++kx)
            kernel[(((g * mg + o) * cg + ci) * kh + ky) * kw + kx] =
                (*data)[(((g * cg + ci) * mg + o) * kh + (kh - 1 - ky)) * kw +
                        (kw - 1 - kx)];

  // Per spatial dimension: the scattered input has `full` positions, input
  // pixel i at s*i; positions [crop, crop + extent) of it are stored, input
  // pixels [first, first + count) land in them, the first at `at`.
  // `needsTemporary` unless the stored positions are the input itself.
  struct Axis {
    int64_t extent, first, count, at, padBegin, padEnd;
    bool needsTemporary;
  };
  SmallVector<Axis, 2> axes;
  for (int i = 0; i < 2; ++i) {
    int64_t size = in[2 + i], s = op.getStrides()[i], d = op.getDilations()[i];
    int64_t reach = (w[2 + i] - 1) * d;
    int64_t before = reach - op.getPads()[i];
    int64_t after = reach - op.getPads()[i + 2] + op.getOutputPadding()[i];
    int64_t full = s * (size - 1) + 1;
    int64_t crop = std::max<int64_t>(0, -before);
    int64_t extent = full - crop - std::max<int64_t>(0, -after);
    int64_t first = (crop + s - 1) / s;
    int64_t last = std::min(size - 1, (crop + extent - 1) / s);
    int64_t count = extent > 0 ? std::max<int64_t>(0, last - first + 1) : 0;
    axes.push_back({extent, first, count, s * first - crop,
                    std::max<int64_t>(0, before), std::max<int64_t>(0, after),
                    s > 1 || crop > 0 || extent < full});
  }

  if (axes[0].count == 0 || axes[1].count == 0) {
    // The padding crops away every input pixel in some dimension: only the
    // bias is left.
    SramRef output = define(op.getOutput());
    pb.fill(output, numel(op.getOutput()), 0.0f);
    if (Value bias = op.getBias())
      pb.vector(VectorOpKind::add, output, operand(bias),
                {out[1], out[2] * out[3]}, output, numel(op.getOutput()));
    return success();
  }
  SramRef x = operand(op.getInput());
  SramRef weight =
      pb.loadWeights(f32Attr(op.getContext(), {m, cg, kh, kw}, kernel));
  SramRef convInput = x;
  SmallVector<int64_t> convIn(in);
  if (axes[0].needsTemporary || axes[1].needsTemporary) {
    int64_t eh = axes[0].extent, ew = axes[1].extent;
    convIn = {n, c, eh, ew};
    convInput = pb.allocate(n * c * eh * ew * kF32Bytes);
    if (axes[0].count * axes[1].count != eh * ew)
      pb.fill(convInput, n * c * eh * ew, 0.0f);
    int64_t h = in[2], wd = in[3];
    if (failed(copyStrided(
            x.at((axes[0].first * wd + axes[1].first) * kF32Bytes),
            convInput.at((axes[0].at * ew + axes[1].at) * kF32Bytes),
            {n * c, axes[0].count, axes[1].count}, {h * wd, wd, 1},
            {eh * ew, op.getStrides()[0] * ew, op.getStrides()[1]})))
      return failure();
  }
  SramRef output = define(op.getOutput());
  if (failed(convTiles(
          convInput, weight, output, convIn, {m, cg, kh, kw}, out, groups,
          {1, 1},
          {axes[0].padBegin, axes[1].padBegin, axes[0].padEnd, axes[1].padEnd},
          op.getDilations())))
    return failure();
  if (Value bias = op.getBias())
    pb.vector(VectorOpKind::add, output, operand(bias),
              {out[1], out[2] * out[3]}, output, numel(op.getOutput()));
  return success();
}

/// numpy matmul: 1-D operands become a row (lhs) or a column (rhs); batch
/// dimensions broadcast (stride 0 into an operand of batch size 1); every
/// batch is tiled like a 2-D product.
LogicalResult GraphLowering::lowerMatMul(MatMulOp op) {
  SmallVector<int64_t> a(shapeOf(op.getLhs())), b(shapeOf(op.getRhs()));
  if (a.size() == 1)
    a.insert(a.begin(), 1);
  if (b.size() == 1)
    b.push_back(1);
  int64_t m = a[a.size() - 2], k = a.back(), n = b.back();
  ArrayRef<int64_t> batchA = ArrayRef<int64_t>(a).drop_back(2);
  ArrayRef<int64_t> batchB = ArrayRef<int64_t>(b).drop_back(2);
  SmallVector<int64_t> batch;
  (void)OpTrait::util::getBroadcastedShape(batchA, batchB, batch);
  size_t rank = batch.size();
  auto batchStrides = [&](ArrayRef<int64_t> dims, int64_t matrix) {
    SmallVector<int64_t> padded(rank - dims.size(), 1);
    llvm::append_range(padded, dims);
    SmallVector<int64_t> strides = stridesOf(padded);
    for (size_t d = 0; d < rank; ++d)
      strides[d] = padded[d] == 1 ? 0 : strides[d] * matrix;
    return strides;
  };
  SmallVector<int64_t> strideA = batchStrides(batchA, m * k);
  SmallVector<int64_t> strideB = batchStrides(batchB, k * n);

  SramRef lhs = operand(op.getLhs()), rhs = operand(op.getRhs());
  SramRef out = define(op.getOutput());
  SmallVector<int64_t> index(rank, 0);
  for (int64_t t = 0, e = product(batch); t < e; ++t) {
    int64_t offA = 0, offB = 0;
    for (size_t d = 0; d < rank; ++d) {
      offA += index[d] * strideA[d];
      offB += index[d] * strideB[d];
    }
    matmulTiles(lhs.at(offA * kF32Bytes), rhs.at(offB * kF32Bytes),
                out.at(t * m * n * kF32Bytes), m, k, n);
    for (int64_t d = static_cast<int64_t>(rank) - 1; d >= 0; --d) {
      if (++index[d] < batch[d])
        break;
      index[d] = 0;
    }
  }
  return success();
}

/// ONNX Gemm, Y = alpha * A' * B' + beta * C. A constant operand is
/// transposed (and scaled by alpha) at compile time; a computed one is
/// transposed by a copy. alpha left over is a vector mul by a scalar
/// segment; beta is folded into a constant C or applied by a vector mul;
/// C is added with b_bcast.
LogicalResult GraphLowering::lowerGemm(GemmOp op) {
  ArrayRef<int64_t> out = shapeOf(op.getOutput());
  int64_t m = out[0], n = out[1];
  int64_t k = shapeOf(op.getA())[op.getTransA() ? 0 : 1];
  float alpha = op.getAlpha().convertToFloat();
  float beta = op.getBeta().convertToFloat();
  MLIRContext *ctx = op.getContext();
  ElementsAttr constA = constants.lookup(op.getA());
  ElementsAttr constB = constants.lookup(op.getB());
  bool alphaInB = alpha != 1.0f && constB;
  bool alphaInA = alpha != 1.0f && !constB && constA;

  // An operand as a contiguous rows x cols matrix; `transposed` when it is
  // stored cols x rows.
  auto matrix = [&](Value v, ElementsAttr constant, bool transposed, bool scale,
                    int64_t rows, int64_t cols) -> FailureOr<SramRef> {
    if (constant && (transposed || scale)) {
      FailureOr<SmallVector<float>> data = valuesOf(constant);
      if (failed(data))
        return failure();
      SmallVector<float> result(rows * cols);
      for (int64_t r = 0; r < rows; ++r)
        for (int64_t c = 0; c < cols; ++c)
          result[r * cols + c] =
              (*data)[transposed ? c * rows + r : r * cols + c] *
              (scale ? alpha : 1.0f);
      return pb.loadWeights(f32Attr(ctx, {rows, cols}, result));
    }
    SramRef ref = operand(v);
    if (!transposed)
      return ref;
    SramRef dst = pb.allocate(rows * cols * kF32Bytes);
    if (failed(copyStrided(ref, dst, {rows, cols}, {1, rows}, {cols, 1})))
      return failure();
    return dst;
  };
  FailureOr<SramRef> a =
      matrix(op.getA(), constA, op.getTransA(), alphaInA, m, k);
  if (failed(a))
    return failure();
  FailureOr<SramRef> b =
      matrix(op.getB(), constB, op.getTransB(), alphaInB, k, n);
  if (failed(b))
    return failure();

  SramRef y = define(op.getOutput());
  matmulTiles(*a, *b, y, m, k, n);
  if (alpha != 1.0f && !alphaInA && !alphaInB)
    pb.vector(VectorOpKind::mul, y, scalar(alpha), {1, 1}, y, m * n);

  Value c = op.getC();
  if (!c || beta == 0.0f)
    return success();
  ArrayRef<int64_t> cShape = shapeOf(c);
  SramRef cRef;
  if (ElementsAttr constC = constants.lookup(c); constC && beta != 1.0f) {
    FailureOr<SmallVector<float>> data = valuesOf(constC);
    if (failed(data))
      return failure();
    for (float &v : *data)
      v *= beta;
    cRef = pb.loadWeights(f32Attr(ctx, cShape, *data));
  } else if (beta != 1.0f) {
    cRef = pb.allocate(bytesOf(c));
    pb.vector(VectorOpKind::mul, operand(c), scalar(beta), {1, 1}, cRef,
              numel(c));
  } else {
    cRef = operand(c);
  }
  BroadcastPlan plan = planBroadcast(cShape, out);
  if (plan.kind == BroadcastPlan::Materialize) {
    FailureOr<SramRef> full =
        materialize(cRef, plan, out, pb.allocate(m * n * kF32Bytes));
    if (failed(full))
      return failure();
    cRef = *full;
    plan.bcast = {m * n, 1};
  }
  pb.vector(VectorOpKind::add, y, cRef, plan.bcast, y, m * n);
  return success();
}

/// prelu(x) = relu(x) + slope * min(x, 0), with min against a scalar zero
/// segment; the negative part is formed before relu may overwrite x.
LogicalResult GraphLowering::lowerPRelu(PReluOp op) {
  Value x = op.getLhs(), slope = op.getRhs(), result = op.getOutput();
  ArrayRef<int64_t> out = shapeOf(result);
  int64_t count = product(out);
  BroadcastPlan xPlan = planBroadcast(shapeOf(x), out);
  SramRef xRef, dst;
  if (xPlan.kind == BroadcastPlan::Same) {
    xRef = operand(x);
    dst = define(result, x);
  } else {
    dst = define(result);
    FailureOr<SramRef> full = materialize(operand(x), xPlan, out, dst);
    if (failed(full))
      return failure();
    xRef = *full;
  }
  SramRef negative = pb.allocate(count * kF32Bytes);
  pb.vector(VectorOpKind::min, xRef, scalar(0.0f), {1, 1}, negative, count);
  FailureOr<std::pair<SramRef, Bcast>> s = broadcastOperand(slope, out);
  if (failed(s))
    return failure();
  pb.vector(VectorOpKind::mul, negative, s->first, s->second, negative, count);
  pb.vector(VectorOpKind::relu, xRef, std::nullopt, {}, dst, count);
  pb.vector(VectorOpKind::add, dst, negative, {count, 1}, dst, count);
  return success();
}

/// Inference batch norm with constant parameters: per channel
/// s = scale / sqrt(var + eps) and t = bias - mean * s, computed at compile
/// time; then x * s + t with b_bcast [C, spatial].
LogicalResult GraphLowering::lowerBatchNorm(BatchNormOp op) {
  SmallVector<SmallVector<float>> params;
  for (Value v :
       {op.getScale(), op.getBias(), op.getMean(), op.getVariance()}) {
    ElementsAttr data = constants.lookup(v);
    if (!data)
      return op.emitOpError()
             << "needs constant scale, bias, mean and variance to fold them "
                "into a per-channel scale and shift";
    FailureOr<SmallVector<float>> values = valuesOf(data);
    if (failed(values))
      return failure();
    params.push_back(std::move(*values));
  }
  ArrayRef<int64_t> shape = shapeOf(op.getInput());
  int64_t channels = shape[1];
  int64_t spatial = product(shape.drop_front(2));
  double eps = op.getEpsilon().convertToDouble();
  SmallVector<float> scale(channels), shift(channels);
  for (int64_t ch = 0; ch < channels; ++ch) {
    double s = params[0][ch] / std::sqrt(double(params[3][ch]) + eps);
    scale[ch] = static_cast<float>(s);
    shift[ch] = static_cast<float>(params[1][ch] - params[2][ch] * s);
  }
  MLIRContext *ctx = op.getContext();
  SramRef x = operand(op.getInput());
  SramRef sRef = pb.loadWeights(f32Attr(ctx, {channels}, scale));
  SramRef tRef = pb.loadWeights(f32Attr(ctx, {channels}, shift));
  SramRef y = define(op.getOutput(), op.getInput());
  int64_t count = numel(op.getOutput());
  pb.vector(VectorOpKind::mul, x, sRef, {channels, spatial}, y, count);
  pb.vector(VectorOpKind::add, y, tRef, {channels, spatial}, y, count);
  return success();
}

/// Over [outer, R, inner]: m = reduce max; y = x - m; y = exp(y);
/// s = reduce sum y; y = y / s. m and s reach y through b_bcast when inner
/// or outer is 1, else through a stride-0 copy to the full shape.
LogicalResult GraphLowering::lowerSoftmax(SoftmaxOp op) {
  ArrayRef<int64_t> shape = shapeOf(op.getInput());
  int64_t rank = static_cast<int64_t>(shape.size());
  // I64Attr reads back unsigned; the axis may be negative.
  int64_t axis = static_cast<int64_t>(op.getAxis());
  if (axis < 0)
    axis += rank;
  int64_t outer = product(shape.take_front(axis)), r = shape[axis];
  int64_t inner = product(shape.drop_front(axis + 1));
  int64_t count = outer * r * inner;

  auto spread = [&](SramRef stat) -> FailureOr<std::pair<SramRef, Bcast>> {
    if (inner == 1)
      return std::make_pair(stat, Bcast{outer, r});
    if (outer == 1)
      return std::make_pair(stat, Bcast{inner, 1});
    SramRef full = pb.allocate(count * kF32Bytes);
    if (failed(copyStrided(stat, full, {outer, r, inner}, {inner, 0, 1},
                           {r * inner, inner, 1})))
      return failure();
    return std::make_pair(full, Bcast{count, 1});
  };

  SramRef x = operand(op.getInput());
  SramRef y = define(op.getOutput(), op.getInput());
  SramRef max = pb.allocate(outer * inner * kF32Bytes);
  pb.reduce(npuisa::ReduceKind::max, x, max, {outer, r, inner});
  FailureOr<std::pair<SramRef, Bcast>> b = spread(max);
  if (failed(b))
    return failure();
  pb.vector(VectorOpKind::sub, x, b->first, b->second, y, count);
  pb.vector(VectorOpKind::exp, y, std::nullopt, {}, y, count);
  SramRef sum = pb.allocate(outer * inner * kF32Bytes);
  pb.reduce(npuisa::ReduceKind::sum, y, sum, {outer, r, inner});
  b = spread(sum);
  if (failed(b))
    return failure();
  pb.vector(VectorOpKind::div, y, b->first, b->second, y, count);
  return success();
}

/// One pool instruction over all N*C channels: pooling treats every
/// channel of every image alike, so [N*C, H, W] is one block.
template <typename PoolOpTy>
LogicalResult GraphLowering::lowerPool(PoolOpTy op, npuisa::PoolKind kind,
                                       bool countIncludePad) {
  ArrayRef<int64_t> in = shapeOf(op.getInput()), out = shapeOf(op.getOutput());
  SramRef src = operand(op.getInput());
  SramRef dst = define(op.getOutput());
  pb.pool(kind, src, dst, in[0] * in[1], {in[2], in[3]}, {out[2], out[3]},
          op.getKernel(), op.getStrides(), op.getPads(), op.getDilations(),
          countIncludePad);
  return success();
}

/// Unit dimensions are dropped; every maximal run of adjacent reduced
/// dimensions is one reduce [outer, reduced, inner], innermost run first,
/// each pass shrinking the tensor (a mean of equal-sized means is the mean).
LogicalResult GraphLowering::lowerReduce(Operation *op, npuisa::ReduceKind kind,
                                         ArrayRef<int64_t> axes) {
  Value input = op->getOperand(0), result = op->getResult(0);
  ArrayRef<int64_t> shape = shapeOf(input);
  int64_t rank = static_cast<int64_t>(shape.size());
  SmallVector<bool> reduced(rank, false);
  for (int64_t axis : axes)
    reduced[axis < 0 ? axis + rank : axis] = true;
  SmallVector<int64_t> dims;
  SmallVector<bool> flags;
  for (int64_t d = 0; d < rank; ++d)
    if (shape[d] != 1) {
      dims.push_back(shape[d]);
      flags.push_back(reduced[d]);
    }
  SmallVector<std::pair<size_t, size_t>> runs;
  for (size_t d = 0; d < dims.size(); ++d) {
    if (!flags[d])
      continue;
    if (!runs.empty() && runs.back().second == d)
      ++runs.back().second;
    else
      runs.push_back({d, d + 1});
  }
  SramRef src = operand(input);
  if (runs.empty()) {
    // Only unit dimensions are reduced: the data is already the result.
    bind(result, src);
    return success();
  }
  SramRef dst = define(result);
  for (auto [i, run] : llvm::enumerate(llvm::reverse(runs))) {
    ArrayRef<int64_t> d(dims);
    int64_t outer = product(d.take_front(run.first));
    int64_t r = product(d.slice(run.first, run.second - run.first));
    int64_t inner = product(d.drop_front(run.second));
    SramRef to =
        i + 1 == runs.size() ? dst : pb.allocate(outer * inner * kF32Bytes);
    pb.reduce(kind, src, to, {outer, r, inner});
    dims.erase(dims.begin() + run.first, dims.begin() + run.second);
    src = to;
  }
  return success();
}

/// No instruction: the result names the same contiguous buffer (a constant
/// stays a constant of the new shape).
LogicalResult GraphLowering::lowerReshape(ReshapeOp op) {
  if (auto dense = dyn_cast_or_null<DenseElementsAttr>(
          constants.lookup(op.getInput()))) {
    constants[op.getOutput()] = dense.reshape(op.getType());
    return success();
  }
  bind(op.getOutput(), operand(op.getInput()));
  return success();
}

LogicalResult GraphLowering::lowerTranspose(TransposeOp op) {
  SmallVector<int64_t> inStrides = stridesOf(shapeOf(op.getInput()));
  SmallVector<int64_t> src;
  for (int64_t p : op.getPerm())
    src.push_back(inStrides[p]);
  ArrayRef<int64_t> out = shapeOf(op.getOutput());
  SramRef in = operand(op.getInput());
  return copyStrided(in, define(op.getOutput()), out, src, stridesOf(out));
}

LogicalResult GraphLowering::lowerSlice(SliceOp op) {
  SmallVector<int64_t> inStrides = stridesOf(shapeOf(op.getInput()));
  int64_t start = 0;
  SmallVector<int64_t> src;
  for (auto [d, stride] : llvm::enumerate(inStrides)) {
    start += op.getOffsets()[d] * stride;
    src.push_back(stride * op.getStrides()[d]);
  }
  ArrayRef<int64_t> out = shapeOf(op.getOutput());
  SramRef in = operand(op.getInput());
  return copyStrided(in.at(start * kF32Bytes), define(op.getOutput()), out, src,
                     stridesOf(out));
}

LogicalResult GraphLowering::lowerConcat(ConcatOp op) {
  ArrayRef<int64_t> out = shapeOf(op.getOutput());
  int64_t rank = static_cast<int64_t>(out.size());
  int64_t axis = static_cast<int64_t>(op.getAxis());
  if (axis < 0)
    axis += rank;
  SmallVector<int64_t> outStrides = stridesOf(out);
  SmallVector<SramRef> inputs;
  for (Value v : op.getInputs())
    inputs.push_back(operand(v));
  SramRef dst = define(op.getOutput());
  int64_t at = 0;
  for (auto [v, ref] : llvm::zip_equal(op.getInputs(), inputs)) {
    ArrayRef<int64_t> shape = shapeOf(v);
    if (failed(copyStrided(ref, dst.at(at * outStrides[axis] * kF32Bytes),
                           shape, stridesOf(shape), outStrides)))
      return failure();
    at += shape[axis];
  }
  return success();
}

/// Constant mode: fill the result with the value, copy the input into its
/// interior. No padding at all is a no-op like reshape.
LogicalResult GraphLowering::lowerPad(PadOp op) {
  if (op.getMode() != PadMode::constant)
    return op.emitOpError() << "pad mode '" << stringifyPadMode(op.getMode())
                            << "' is not lowered yet";
  ArrayRef<int64_t> in = shapeOf(op.getInput()), out = shapeOf(op.getOutput());
  SramRef src = operand(op.getInput());
  if (llvm::all_of(op.getPads(), [](int64_t p) { return p == 0; })) {
    bind(op.getOutput(), src);
    return success();
  }
  SmallVector<int64_t> outStrides = stridesOf(out);
  int64_t start = 0;
  for (auto [d, stride] : llvm::enumerate(outStrides))
    start += op.getPads()[d] * stride;
  SramRef dst = define(op.getOutput());
  pb.fill(dst, product(out), op.getValue().convertToFloat());
  return copyStrided(src, dst.at(start * kF32Bytes), in, stridesOf(in),
                     outStrides);
}

/// One resize over all N*C channels, modes = [coordinate_mode,
/// nearest_mode] as their npu enum values.
LogicalResult GraphLowering::lowerResize(ResizeOp op) {
  ArrayRef<int64_t> in = shapeOf(op.getInput()), out = shapeOf(op.getOutput());
  npuisa::ResizeKind kind = op.getMode() == ResizeMode::linear
                                ? npuisa::ResizeKind::linear
                                : npuisa::ResizeKind::nearest;
  SramRef src = operand(op.getInput());
  SramRef dst = define(op.getOutput());
  pb.resize(kind, src, dst, in[0] * in[1], {in[2], in[3]}, {out[2], out[3]},
            {static_cast<int64_t>(op.getCoordinateMode()),
             static_cast<int64_t>(op.getNearestMode())});
  return success();
}

//===----------------------------------------------------------------------===//
// Links.
//===----------------------------------------------------------------------===//

/// The message lands in a new buffer, which then lives in SRAM like any
/// other value.
LogicalResult GraphLowering::lowerRecv(RecvOp op) {
  SramRef dst = define(op.getOutput());
  pb.recv(dst, bytesOf(op.getOutput()), static_cast<int64_t>(op.getChip()),
          static_cast<int64_t>(op.getChannel()));
  return success();
}

/// The check reads the logits; its exit path stores the answer to the
/// output's staging area and halts. An escalation wakes the target first,
/// so that its wake-up overlaps the transfer, then sends the features.
LogicalResult GraphLowering::lowerExitGate(ExitGateOp op) {
  const StagedTensor *staged = stagedOutputs.lookup(op.getOutput());
  assert(staged && "exit gate output not staged");
  SramRef logits = operand(op.getLogits());
  SramRef answer = operand(op.getAnswerOrLogits());
  int64_t classes =
      cast<RankedTensorType>(op.getLogits().getType()).getShape().back();
  pb.exitCheck(logits, classes,
               static_cast<npuisa::Measure>(
                   static_cast<uint32_t>(op.getMeasure())),
               op.getThreshold().convertToFloat());
  pb.dmaOut(answer, staged->dram, staged->bytes);
  pb.storeOutput(staged->name, staged->dram, staged->bytes);
  pb.endExitPath();
  if (std::optional<uint64_t> target = op.getChip()) {
    pb.escalate(static_cast<int64_t>(*target));
    Value features = op.getFeatures();
    pb.send(operand(features), bytesOf(features), static_cast<int64_t>(*target),
            static_cast<int64_t>(*op.getChannel()));
  }
  return success();
}

/// Sent from the value's own buffer, which stays live up to the send; a
/// constant is loaded like a weight first.
LogicalResult GraphLowering::lowerSend(SendOp op) {
  SramRef src = operand(op.getValue());
  pb.send(src, bytesOf(op.getValue()), static_cast<int64_t>(op.getChip()),
          static_cast<int64_t>(op.getChannel()));
  return success();
}
