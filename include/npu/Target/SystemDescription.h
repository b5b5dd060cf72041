//===- SystemDescription.h - Load and save system descriptions --*- C++ -*-===//
//
// A system description comes from a preset name ("e1-package") or a JSON
// file (docs/system-description.md). Both end as a validated
// npu::rt::SystemDesc; every problem is reported with the file and the
// field path ("chips[1].sram_bytes").
//
//===----------------------------------------------------------------------===//

#ifndef NPU_TARGET_SYSTEMDESCRIPTION_H
#define NPU_TARGET_SYSTEMDESCRIPTION_H

#include "mlir/IR/Diagnostics.h"
#include "mlir/Support/LLVM.h"
#include "npu/rt/Target.h"
#include "llvm/ADT/StringRef.h"

namespace mlir::npu {

/// Loads `spec`: a preset name, or else the path of a JSON description.
/// Reports every problem at `loc` and fails if there was any.
FailureOr<::npu::rt::SystemDesc> loadSystemDescription(StringRef spec,
                                                       Location loc);

/// Parses a JSON description. `source` names it in diagnostics.
FailureOr<::npu::rt::SystemDesc>
parseSystemDescriptionJSON(StringRef json, StringRef source, Location loc);

/// The JSON form of `system`, accepted back by parseSystemDescriptionJSON.
std::string systemDescriptionToJSON(const ::npu::rt::SystemDesc &system);

/// Writes the `npu.system` of the module `op` as JSON; fails with a
/// diagnostic when there is none.
LogicalResult exportSystemJSON(Operation *op, raw_ostream &output);

} // namespace mlir::npu

#endif // NPU_TARGET_SYSTEMDESCRIPTION_H
