//===- ConvertTosaToNPU.cpp - The convert-tosa-to-npu pass ----------------===//
//
// Checks every TOSA op of the module first and reports each one that has no
// exact npu equivalent ("tosa.erf: has no exact npu equivalent ..."), so a
// user sees the whole list at once and the module stays as it was. Then a
// partial conversion (npu and arith legal; TOSA illegal but for the
// compile-time shape ops whose values the patterns read) rewrites the ops,
// and the constants and shapes only the converted ops read (zero points,
// the multiply shift, shapes, pad values) are erased.
//
// Layout cleanup. Every convolution, pooling and resize sits between two
// transposes (NHWC -> NCHW -> NHWC). Between two such layers there is often
// an activation (clamp, sigmoid, ...), which keeps the NCHW -> NHWC and
// NHWC -> NCHW transposes apart. An elementwise unary op commutes with a
// transpose, u(transpose(x)) = transpose(u(x)), so it is applied before the
// transpose instead of after it, and the transposes that meet cancel
// (TransposeOp::fold).
//
//===----------------------------------------------------------------------===//

#include "npu/Conversion/TosaToNPU/TosaToNPU.h"
#include "npu/Dialect/NPU/NPUOps.h"
#include "npu/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/Transforms/DialectConversion.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#define DEBUG_TYPE "convert-tosa-to-npu"

namespace mlir::npu {
#define GEN_PASS_DEF_CONVERTTOSATONPUPASS
#include "npu/Transforms/Passes.h.inc"

namespace {

struct ConvertTosaToNPUPass
    : public impl::ConvertTosaToNPUPassBase<ConvertTosaToNPUPass> {
  using ConvertTosaToNPUPassBase::ConvertTosaToNPUPassBase;

  void runOnOperation() override;
};

/// u(transpose(x)) -> transpose(u(x)) for an elementwise unary op u.
template <typename UnaryOp>
struct SinkTransposeBelowUnary : OpRewritePattern<UnaryOp> {
  using OpRewritePattern<UnaryOp>::OpRewritePattern;

  LogicalResult matchAndRewrite(UnaryOp op,
                                PatternRewriter &rewriter) const override {
    auto transpose = op->getOperand(0).template getDefiningOp<TransposeOp>();
    if (!transpose || !transpose->hasOneUse())
      return failure();
    rewriter.setInsertionPoint(op);
    Operation *moved = rewriter.clone(*op.getOperation());
    moved->setOperand(0, transpose.getInput());
    moved->getResult(0).setType(transpose.getInput().getType());
    rewriter.replaceOpWithNewOp<TransposeOp>(
        op, op.getType(), moved->getResult(0), transpose.getPermAttr());
    return success();
  }
};

bool isTosa(Operation *op) {
  return isa_and_nonnull<tosa::TosaDialect>(op->getDialect());
}

/// tosa.const_shape and the ops computing on !tosa.shape values: compile-time
/// shapes that the patterns read, not computations to convert.
bool isShapeOp(Operation *op) {
  return op->hasTrait<OpTrait::tosa::TosaShapeOperator>();
}

/// Erases the constants and shape computations nothing uses any more, with
/// the operands that only they used.
void eraseDeadParameters(ModuleOp module) {
  SmallVector<Operation *> worklist;
  module.walk([&](Operation *op) {
    if (isa<arith::ConstantOp>(op) || isShapeOp(op))
      worklist.push_back(op);
  });
  llvm::SmallPtrSet<Operation *, 16> erased;
  bool changed = true;
  while (changed) {
    changed = false;
    for (Operation *op : llvm::reverse(worklist)) {
      if (erased.contains(op) || !op->use_empty())
        continue;
      erased.insert(op);
      op->erase();
      changed = true;
    }
  }
}

void ConvertTosaToNPUPass::runOnOperation() {
  ModuleOp module = getOperation();
  MLIRContext *ctx = &getContext();

  // Report every op that cannot convert, in program order.
  bool convertible = true;
  int64_t count = 0;
  module.walk([&](Operation *op) {
    if (!isTosa(op) || isShapeOp(op))
      return;
    std::string reason;
    if (failed(checkTosaToNPU(op, reason))) {
      op->emitError() << op->getName() << ": " << reason;
      convertible = false;
    }
    ++count;
  });
  if (!convertible)
    return signalPassFailure();

  ConversionTarget target(*ctx);
  target.addLegalDialect<NPUDialect, arith::ArithDialect, func::FuncDialect>();
  // Every TOSA op but the shape computations must go.
  target.addDynamicallyLegalDialect<tosa::TosaDialect>(isShapeOp);
  RewritePatternSet patterns(ctx);
  populateTosaToNPUPatterns(patterns);
  if (failed(applyPartialConversion(module, target, std::move(patterns))))
    return signalPassFailure();
  numConverted += count;

  // Zero points, the multiply shift, shapes and pad values were read as
  // attributes; nothing uses them any more.
  eraseDeadParameters(module);

  RewritePatternSet layout(ctx);
  layout
      .add<SinkTransposeBelowUnary<ReluOp>, SinkTransposeBelowUnary<ClipOp>,
           SinkTransposeBelowUnary<SigmoidOp>, SinkTransposeBelowUnary<TanhOp>,
           SinkTransposeBelowUnary<ExpOp>, SinkTransposeBelowUnary<SqrtOp>>(
          ctx);
  if (failed(applyPatternsGreedily(module, std::move(layout))))
    return signalPassFailure();
}

} // namespace
} // namespace mlir::npu
