//===- NPUToNPUISA.h - Lowering npu graphs to npuisa programs ---*- C++ -*-===//
//
// The pass itself (`npu-lower-to-isa`) is declared in Passes.td. This header
// exposes the parts of the lowering that other producers of npuisa programs
// reuse: deriving the sync tokens of a straight-line instruction stream from
// the memory its instructions touch. docs/lowering.md describes both.
//
//===----------------------------------------------------------------------===//

#ifndef NPU_CONVERSION_NPUTONPUISA_NPUTONPUISA_H
#define NPU_CONVERSION_NPUTONPUISA_NPUTONPUISA_H

#include "mlir/Support/LLVM.h"

#include <cstdint>

namespace mlir::npuisa {
class ProgramOp;
} // namespace mlir::npuisa

namespace mlir::npu {

/// Makes `program` (a straight-line stream without tokens, ending in halt)
/// safe under concurrent engines: for every SRAM or DRAM byte range that an
/// instruction reads or writes after an instruction on another engine wrote
/// it (RAW, WAW), or writes after another engine read it (WAR), inserts
/// `npuisa.signal` right after the earlier instruction and `npuisa.wait`
/// right before the later one, with a fresh token each. A wait is omitted
/// when the waiting engine is already known to be past that point of the
/// other engine's queue, directly or through an earlier wait (engines run
/// their queues in order). Tokens are numbered from `firstToken` in the
/// order of their waits. Returns the number of tokens used, or fails with a
/// diagnostic on a program this cannot handle (exit checks, existing
/// tokens, no `npu.system`).
FailureOr<int64_t> insertSyncTokens(npuisa::ProgramOp program,
                                    int64_t firstToken = 0);

} // namespace mlir::npu

#endif // NPU_CONVERSION_NPUTONPUISA_NPUTONPUISA_H
