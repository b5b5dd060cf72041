//===- Checkpoints.h - Checkpoint boundaries and their budgets --*- C++ -*-===//
//
// Marks where a running program may be stopped and later resumed, bit for
// bit, on the same chip or another of its kind (docs/execution-model.md,
// "Checkpoints"), and computes for each boundary what the runtime needs to
// take the checkpoint and what each phase costs: the live bytes (the state
// written before the boundary that the rest of the program reads), the
// cycles and energy to drain, save, restore and resume. The binary emitter
// writes them into the program's checkpoint table.
//
//===----------------------------------------------------------------------===//

#ifndef NPU_ANALYSIS_CHECKPOINTS_H
#define NPU_ANALYSIS_CHECKPOINTS_H

#include "npu/rt/Model.h"

#include "mlir/Support/LLVM.h"
#include "llvm/ADT/SmallVector.h"

#include <vector>

namespace mlir::npuisa {
class ProgramOp;
} // namespace mlir::npuisa

namespace mlir::npu {

class ScheduleAnalysis;

/// A program gets at most this many checkpoint boundaries, spread evenly
/// over its schedule, so that a stop waits at most about 1/257 of the run
/// for the next boundary; fewer when they would come closer than
/// kMinCheckpointSpacing cycles, or when the analysis would exceed
/// kCheckpointWork (boundaries x instructions: each boundary's resume is
/// scheduled on its own), but always up to 16 when the schedule allows.
constexpr unsigned kMaxCheckpoints = 256;
constexpr int64_t kMinCheckpointSpacing = 256;
constexpr int64_t kCheckpointWork = int64_t(1) << 26;

/// The checkpoint boundaries of `program` (one of `programs` programs of its
/// module, all scheduled by `schedule`), in stream order. Empty when the
/// module has more than one program, or when the program has exit checks,
/// sends, receives or escalations: such a run's state is not its chip's
/// alone (docs/execution-model.md, "Checkpoints").
std::vector<::npu::rt::Checkpoint>
computeCheckpoints(npuisa::ProgramOp program, size_t programs,
                   const ScheduleAnalysis &schedule,
                   const ::npu::rt::SystemDesc &system);

} // namespace mlir::npu

#endif // NPU_ANALYSIS_CHECKPOINTS_H
