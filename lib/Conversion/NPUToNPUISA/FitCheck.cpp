//===- FitCheck.cpp - Will a graph fit its chip, before it is tiled -------===//
//
// The lowering tiles every matmul and convolution into instructions and
// only then places SRAM buffers and DRAM segments; a graph with a huge shape
// would emit without bound before any of those checks ran. checkFits() runs
// first and reads only the IR: staging areas against DRAM, each tensor that
// the lowering holds whole in SRAM against SRAM, and the number of tiles
// (the formulas of matmulTiles/convTiles in LowerOps.cpp) against
// kMaxInstructions. Every size is computed with overflow-checked
// arithmetic. These are necessary conditions; finalize() still checks the
// exact working sets once the stream is built (docs/lowering.md, "Limits").
//
//===----------------------------------------------------------------------===//

#include "GraphLowering.h"
#include "ProgramBuilder.h"

#include "npu/Dialect/NPU/NPUOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "llvm/Support/CheckedArithmetic.h"

#include <limits>

using namespace mlir;
using namespace mlir::npu;
using namespace mlir::npu::lowering;
namespace rt = ::npu::rt;

constexpr int64_t kInt64Max = std::numeric_limits<int64_t>::max();

std::optional<int64_t> mlir::npu::lowering::getTensorBytes(
    RankedTensorType type) {
  std::optional<int64_t> elements = 1;
  for (int64_t d : type.getShape()) {
    if (d < 0)
      return std::nullopt;
    elements = llvm::checkedMul(*elements, d);
    if (!elements)
      return std::nullopt;
  }
  std::optional<int64_t> bytes = llvm::checkedMul<int64_t>(*elements, 4);
  // Room for alignUp(), so that every later rounding stays in range.
  if (!bytes || *bytes > kInt64Max - kAlignment)
    return std::nullopt;
  return bytes;
}

namespace {

int64_t mulSaturating(int64_t a, int64_t b) {
  return llvm::checkedMul(a, b).value_or(kInt64Max);
}

int64_t ceilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

ArrayRef<int64_t> shapeOf(Value v) {
  return cast<RankedTensorType>(v.getType()).getShape();
}

int64_t numel(Value v) {
  int64_t n = 1;
  for (int64_t d : shapeOf(v))
    n = mulSaturating(n, d);
  return n;
}

/// Conv tiles per image and group (convTiles): blocks of at most mac_cols
/// output channels times blocks of output rows with rows * out_w <=
/// mac_rows. 0 when the lowering rejects the output width anyway.
int64_t convTiles(const rt::ChipDesc &chip, int64_t images, int64_t groups,
                  int64_t channelsPerGroup, ArrayRef<int64_t> out) {
  int64_t rows = std::max<int64_t>(1, chip.macRows);
  int64_t cols = std::max<int64_t>(1, chip.macCols);
  int64_t oh = out[2], ow = out[3];
  if (ow > rows)
    return 0;
  int64_t rowsPerTile = std::min(oh, std::max<int64_t>(1, rows / ow));
  return mulSaturating(
      mulSaturating(images, groups),
      mulSaturating(ceilDiv(channelsPerGroup, cols), ceilDiv(oh, rowsPerTile)));
}

/// Matmul tiles: per batch, blocks of mac_rows x mac_cols of the result.
int64_t matmulTiles(const rt::ChipDesc &chip, int64_t batches, int64_t m,
                    int64_t n) {
  int64_t rows = std::max<int64_t>(1, chip.macRows);
  int64_t cols = std::max<int64_t>(1, chip.macCols);
  return mulSaturating(batches,
                       mulSaturating(ceilDiv(m, rows), ceilDiv(n, cols)));
}

/// The MAC tiles `op` is lowered to (0 for ops without tiles), and what
/// they are, for the diagnostic.
std::pair<int64_t, StringRef> tilesOf(Operation *op,
                                      const rt::ChipDesc &chip) {
  if (auto conv = dyn_cast<Conv2DOp>(op)) {
    ArrayRef<int64_t> in = shapeOf(conv.getInput());
    ArrayRef<int64_t> w = shapeOf(conv.getWeight());
    int64_t groups = std::max<int64_t>(1, conv.getGroups());
    return {convTiles(chip, in[0], groups, w[0] / groups,
                      shapeOf(conv.getOutput())),
            "conv"};
  }
  if (auto conv = dyn_cast<ConvTranspose2DOp>(op)) {
    ArrayRef<int64_t> in = shapeOf(conv.getInput());
    ArrayRef<int64_t> w = shapeOf(conv.getWeight());
    int64_t groups = std::max<int64_t>(1, conv.getGroups());
    return {convTiles(chip, in[0], groups, w[1], shapeOf(conv.getOutput())),
            "conv"};
  }
  if (auto matmul = dyn_cast<MatMulOp>(op)) {
    ArrayRef<int64_t> a = shapeOf(matmul.getLhs()), b = shapeOf(matmul.getRhs());
    int64_t m = a.size() == 1 ? 1 : a[a.size() - 2];
    int64_t n = b.size() == 1 ? 1 : b.back();
    int64_t batches = numel(matmul.getOutput()) / std::max<int64_t>(1, m * n);
    return {matmulTiles(chip, batches, m, n), "matmul"};
  }
  if (auto gemm = dyn_cast<GemmOp>(op)) {
    ArrayRef<int64_t> out = shapeOf(gemm.getOutput());
    return {matmulTiles(chip, 1, out[0], out[1]), "matmul"};
  }
  return {0, ""};
}

/// Whether the lowering gives `op` instructions and SRAM buffers of its own
/// (a reshape aliases its input; constants become segments).
bool holdsBuffers(Operation &op) {
  return !isa<arith::ConstantOp, ReshapeOp, func::ReturnOp, OutputOp>(op);
}


} // namespace

LogicalResult mlir::npu::lowering::checkFits(Operation *root, Block &body,
                                             const rt::ChipDesc &chip,
                                             int64_t stagingEnd) {
  if (stagingEnd > chip.dramBytes) {
    InFlightDiagnostic diag = root->emitOpError() << "needs ";
    if (stagingEnd == kInt64Max)
      diag << "more than " << kInt64Max;
    else
      diag << stagingEnd;
    return diag << " bytes of DRAM to stage its inputs and outputs but chip "
                << chip.id << " has " << chip.dramBytes;
  }

  // Every tensor an op reads or writes is one contiguous SRAM buffer.
  auto tooLarge = [&](Type type) -> std::optional<int64_t> {
    auto tensor = dyn_cast<RankedTensorType>(type);
    if (!tensor)
      return std::nullopt;
    std::optional<int64_t> bytes = getTensorBytes(tensor);
    if (!bytes || *bytes > chip.sramBytes)
      return bytes.value_or(kInt64Max);
    return std::nullopt;
  };
  auto reportSram = [&](InFlightDiagnostic &&diag, int64_t bytes,
                        Type type) -> LogicalResult {
    diag << "needs " << bytes << " bytes of SRAM for one " << type
         << " but chip " << chip.id << " has " << chip.sramBytes
         << "; the lowering holds each tensor whole in SRAM";
    return failure();
  };
  for (BlockArgument arg : body.getArguments())
    if (!arg.use_empty())
      if (std::optional<int64_t> bytes = tooLarge(arg.getType()))
        return reportSram(root->emitOpError()
                              << "input " << arg.getArgNumber() << " ",
                          *bytes, arg.getType());
  for (Operation &op : body) {
    if (!holdsBuffers(op))
      continue;
    for (auto [i, operand] : llvm::enumerate(op.getOperands()))
      if (std::optional<int64_t> bytes = tooLarge(operand.getType()))
        return reportSram(op.emitOpError() << "operand " << i << " ", *bytes,
                          operand.getType());
    for (auto [i, result] : llvm::enumerate(op.getResults()))
      if (std::optional<int64_t> bytes = tooLarge(result.getType()))
        return reportSram(op.emitOpError() << "result " << i << " ", *bytes,
                          result.getType());
  }

  // The instruction stream, counted from below without emitting it.
  int64_t total = 0, most = 0;
  Operation *largest = nullptr;
  for (Operation &op : body) {
    if (!holdsBuffers(op))
      continue;
    auto [tiles, kind] = tilesOf(&op, chip);
    if (tiles > kMaxInstructions)
      return op.emitOpError()
             << "would emit " << tiles << " " << kind << " tiles on chip "
             << chip.id << " (a " << chip.macRows << "x" << chip.macCols
             << " MAC array) but a program holds at most " << kMaxInstructions
             << " instructions";
    // At least one instruction per op besides its tiles (the rest is a
    // small constant per op, or copies that copyStrided bounds itself).
    int64_t count = addSaturating(tiles, 1);
    total = addSaturating(total, count);
    if (count > most) {
      most = count;
      largest = &op;
    }
  }
  if (total > kMaxInstructions) {
    InFlightDiagnostic diag =
        root->emitOpError() << "would emit at least " << total
                            << " instructions on chip " << chip.id
                            << " but a program holds at most "
                            << kMaxInstructions;
    if (largest)
      diag.attachNote(largest->getLoc())
          << "the largest op, at least " << most << " instructions";
    return diag;
  }
  return success();
}
