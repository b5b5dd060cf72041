//===- ReportBudgets.h - The budgets as a JSON document ---------*- C++ -*-===//
//
// The one writer of the budgets JSON: `npu-opt --npu-report-budgets=
// format=json` prints it and the embedding API (npu/Compiler/Compiler.h)
// returns it, so tools reading one can read the other.
//
//===----------------------------------------------------------------------===//

#ifndef NPU_TRANSFORMS_REPORTBUDGETS_H
#define NPU_TRANSFORMS_REPORTBUDGETS_H

#include "npu/Analysis/Schedule.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/LLVM.h"

namespace mlir::npu {

/// Writes the budgets of `schedule`, computed on `module`, as the JSON
/// document of `--npu-report-budgets=format=json` (pretty-printed, with a
/// final newline): per program and path its budget (and, for a chip that
/// starts asleep, its standby budgets under "standby_paths"), the stream
/// budget (`"stream": null` when there is none) and the module's early-exit
/// table (`"early_exit": null` without `npu.early_exit`). Fails with a diagnostic on
/// `module` when it has no `npu.system`, whose chips give the budgets their
/// time and capacity.
LogicalResult writeBudgetsJSON(ModuleOp module,
                               const ScheduleAnalysis &schedule,
                               raw_ostream &os);

/// Schedules `module` and writes its budgets as above. Fails with a
/// diagnostic when the schedule cannot be computed.
LogicalResult writeBudgetsJSON(ModuleOp module, raw_ostream &os);

} // namespace mlir::npu

#endif // NPU_TRANSFORMS_REPORTBUDGETS_H
