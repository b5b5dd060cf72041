//===- Binary.h - The .npub binary: emission and disassembly ----*- C++ -*-===//
//
// A compiled module (npuisa programs for the chips of one system) is written
// as the FlatBuffers binary of runtime/schema/npub.fbs and read back into IR
// for tests and inspection. The layout, the IR attributes that only exist
// for the binary (`npuisa.segments`, `npuisa.budgets`) and the checks on
// both sides are described in docs/binary-format.md.
//
//===----------------------------------------------------------------------===//

#ifndef NPU_TARGET_BINARY_H
#define NPU_TARGET_BINARY_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "mlir/Support/LLVM.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <vector>

namespace llvm {
class SourceMgr;
} // namespace llvm

namespace mlir::npuisa {
class ProgramOp;
} // namespace mlir::npuisa

namespace mlir::npu {

class ScheduleAnalysis;

/// The format version written into Model.version. Readers reject any other
/// value: a layout or meaning change bumps it (docs/binary-format.md).
constexpr uint32_t kBinaryFormatVersion = 1;

/// Exit checks nest at most this deep (an exit path inside an exit path
/// inside ...). Both the emitter and the disassembler enforce it, so the
/// disassembler never recurses without bound on untrusted input.
constexpr int kMaxExitNesting = 64;

/// Discardable attribute of `npuisa.program`: the DRAM contents (weights,
/// constants) the loader places before the program runs. An array of
/// dictionaries `{dram = <i64 byte offset>, data = <elements>}`, where the
/// elements are a `dense` (DenseIntOrFPElementsAttr) or `dense_resource`
/// (DenseResourceElementsAttr) attribute of any integer or floating-point
/// type of whole bytes; their little-endian bytes are the segment.
constexpr llvm::StringLiteral kSegmentsAttrName = "npuisa.segments";

/// Discardable attribute of `npuisa.program` set by the disassembler only:
/// the budgets stored in the binary, one dictionary per path. The emitter
/// ignores it and always recomputes budgets from the static schedule.
constexpr llvm::StringLiteral kBudgetsAttrName = "npuisa.budgets";

/// Discardable attribute of `npuisa.program` set by the disassembler only:
/// the budgets of standby starts stored in the binary (Budget entries with
/// `standby`), one dictionary per path, for a program whose chip starts
/// asleep. The emitter ignores it, like `npuisa.budgets`.
constexpr llvm::StringLiteral kStandbyBudgetsAttrName =
    "npuisa.standby_budgets";

/// Discardable attribute of `npuisa.program` set by the disassembler only:
/// the program's checkpoint table (docs/execution-model.md, "Checkpoints"),
/// one dictionary per boundary. The emitter ignores it and recomputes the
/// table (npu/Analysis/Checkpoints.h).
constexpr llvm::StringLiteral kCheckpointsAttrName = "npuisa.checkpoints";

/// Discardable attribute of the module set by the disassembler only: the
/// stream budget stored in the binary, {interval_ps, latency_ps}. The
/// emitter ignores it and recomputes the stream from the static schedule.
constexpr llvm::StringLiteral kStreamAttrName = "npuisa.stream";

/// One segment of a program: `size` bytes placed at DRAM offset `dram`.
struct Segment {
  int64_t dram = 0;
  int64_t size = 0;
  /// The dense or dense_resource elements attribute holding the bytes.
  Attribute data;

  /// The segment's little-endian bytes. They point into the attribute when
  /// its storage already has that layout (the common case: no copy), and
  /// otherwise into `scratch`, which is overwritten (a splat is expanded
  /// there, so expand one segment at a time).
  ArrayRef<uint8_t> getBytes(std::vector<uint8_t> &scratch) const;
};

/// Checks `npuisa.segments` of `program` (absent means no segments): the
/// attribute's form, element types that have a byte encoding, every segment
/// non-empty and inside the DRAM of the program's chip, no two overlapping,
/// less than 2 GiB in all. Returns the segments sorted by DRAM offset, or
/// fails with a diagnostic on the program. Nothing is copied or expanded.
FailureOr<SmallVector<Segment>> getSegments(npuisa::ProgramOp program);

/// Writes `module` as a .npub binary. The module needs `npu.system`,
/// `npu.inputs`, `npu.outputs` and at least one `npuisa.program`; budgets
/// come from the static schedule. The same module always gives the same
/// bytes. Nothing is written to `output` unless the whole binary was built.
LogicalResult exportBinary(ModuleOp module, raw_ostream &output);

/// The same with the module's schedule computed already (`schedule`, on
/// `module` as it is now; null computes it).
LogicalResult exportBinary(ModuleOp module, const ScheduleAnalysis *schedule,
                           raw_ostream &output);

/// Reads the .npub binary in the main buffer of `sourceMgr` back into a
/// verified module, with the stored budgets as `npuisa.budgets` on each
/// program. Any malformed input is reported as a diagnostic and gives null.
OwningOpRef<ModuleOp> importBinary(llvm::SourceMgr &sourceMgr,
                                   MLIRContext *context);

} // namespace mlir::npu

#endif // NPU_TARGET_BINARY_H
