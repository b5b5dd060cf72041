//===- GraphLowering.h - npu ops of a function to instructions --*- C++ -*-===//
//
// The graph-level half of npu-lower-to-isa: walks the model function, or
// one chip's npu.program, and emits, through ProgramBuilder, the
// instructions of every op (see the comment block of LowerToISA.cpp and
// docs/lowering.md).
//
//===----------------------------------------------------------------------===//

#ifndef NPU_LIB_CONVERSION_NPUTONPUISA_GRAPHLOWERING_H
#define NPU_LIB_CONVERSION_NPUTONPUISA_GRAPHLOWERING_H

#include "npu/Dialect/NPU/NPUOps.h"
#include "npu/Dialect/NPUISA/NPUISAOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include <optional>
#include <string>

namespace mlir::npu::lowering {

/// Where a model input or output is staged in DRAM, and its name.
struct StagedTensor {
  std::string name;
  RankedTensorType type;
  int64_t dram = 0;
  int64_t bytes = 0;
};

/// The most instructions one program may hold. A bound on the stream, so
/// that a huge shape is a diagnostic before tiling rather than an
/// allocation failure after it (docs/lowering.md, "Limits").
constexpr int64_t kMaxInstructions = int64_t(1) << 22;

/// The bytes of an f32 tensor of `type`, or nullopt when its element count
/// or its size in bytes (rounded up to the 64-byte alignment) overflows
/// int64. Every size the lowering computes is bounded by such a size.
std::optional<int64_t> getTensorBytes(RankedTensorType type);

/// Checks, before any instruction is emitted and in time linear in the
/// number of ops, that the graph in `body` can fit `chip`: its staging areas
/// (ending at `stagingEnd`) fit DRAM, each tensor the lowering holds whole
/// in SRAM fits SRAM on its own, and the tiles of the matmuls and
/// convolutions stay within kMaxInstructions. `root` (the function or the
/// program) takes the diagnostics that belong to no op.
LogicalResult checkFits(Operation *root, Block &body,
                        const ::npu::rt::ChipDesc &chip, int64_t stagingEnd);

/// Checks that every op of `func` can be lowered (supported, f32, static,
/// non-empty); reports every op that cannot.
LogicalResult checkLowerable(func::FuncOp func);

/// The same for the body of `program`, where npu.input, npu.output,
/// npu.send and npu.recv are lowered too.
LogicalResult checkLowerable(npu::ProgramOp program);

/// Fills the body of `program` (empty, for `chip`) with the instructions of
/// `func`: the staging of `inputs` and `outputs` (already placed in DRAM),
/// every op, the halt and the segments. No sync tokens yet. `peakSram` is
/// one past the highest SRAM byte used.
LogicalResult lowerFunction(func::FuncOp func, npuisa::ProgramOp program,
                            const ::npu::rt::ChipDesc &chip,
                            ArrayRef<StagedTensor> inputs,
                            ArrayRef<StagedTensor> outputs, int64_t &peakSram);

/// Fills `program` with the instructions of `source`, one chip's graph: its
/// npu.input values are staged host inputs like the arguments of a function
/// (each of `inputs` is read by at least one npu.input of that name), its
/// npu.output values results like those of a function (`outputs`, one per
/// npu.output, in order); npu.recv receives into a new SRAM buffer and
/// npu.send sends from the value's buffer, both in the order of the IR.
LogicalResult lowerProgram(npu::ProgramOp source, npuisa::ProgramOp program,
                           const ::npu::rt::ChipDesc &chip,
                           ArrayRef<StagedTensor> inputs,
                           ArrayRef<StagedTensor> outputs, int64_t &peakSram);

} // namespace mlir::npu::lowering

#endif // NPU_LIB_CONVERSION_NPUTONPUISA_GRAPHLOWERING_H
