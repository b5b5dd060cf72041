//===- NPUDialect.h - NPU graph-level dialect -------------------*- C++ -*-===//
//
// The `npu` dialect, its enums and its system-description attributes, and
// the bridge between `#npu.system` and the shared target model
// npu::rt::SystemDesc.
//
//===----------------------------------------------------------------------===//

#ifndef NPU_DIALECT_NPU_NPUDIALECT_H
#define NPU_DIALECT_NPU_NPUDIALECT_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/DialectImplementation.h"
#include "npu/rt/EarlyExit.h"
#include "npu/rt/Target.h"

#include "NPU/NPUDialect.h.inc"
#include "NPU/NPUEnums.h.inc"

namespace mlir::npu::detail {
/// Bracketed lists inside `struct(...)` attribute formats.
FailureOr<SmallVector<int64_t>> parseIntList(AsmParser &parser);
void printIntList(AsmPrinter &printer, ArrayRef<int64_t> values);

template <typename AttrT>
FailureOr<SmallVector<AttrT>> parseAttrList(AsmParser &parser) {
  SmallVector<AttrT> elements;
  if (parser.parseCommaSeparatedList(
          AsmParser::Delimiter::Square, [&]() -> ParseResult {
            AttrT element;
            if (parser.parseCustomAttributeWithFallback(element))
              return failure();
            elements.push_back(element);
            return success();
          }))
    return failure();
  return elements;
}

template <typename AttrT>
void printAttrList(AsmPrinter &printer, ArrayRef<AttrT> values) {
  printer << '[';
  llvm::interleaveComma(values, printer, [&](AttrT attr) {
    printer.printStrippedAttrOrType(attr);
  });
  printer << ']';
}
} // namespace mlir::npu::detail

#define GET_ATTRDEF_CLASSES
#include "NPU/NPUAttrs.h.inc"

namespace mlir::npu {

/// The shared target model described by `attr`. The attribute has been
/// verified, so this cannot fail.
::npu::rt::SystemDesc toSystemDesc(SystemAttr attr);

/// The attribute describing `system` (which should validate).
SystemAttr toSystemAttr(MLIRContext *context, const ::npu::rt::SystemDesc &system);

/// The `npu.system` attribute of the module enclosing `op` (or of `op` when
/// it is a module), or null.
SystemAttr getSystemAttr(Operation *op);

/// The chip with `id` in `system`, or null.
ChipAttr lookupChip(SystemAttr system, int64_t id);

/// Reads an `npu.early_exit` attribute (a dictionary with the keys measure,
/// output, answer, from_chip, to_chip, gates, return_threshold,
/// idle_window_ps, escalation_rate, calibration; docs/binary-format.md) into
/// the shared table. Checks its form and, with `system`, its values
/// (npu::rt::validate); each problem is reported through `emitError` naming
/// the key. What needs the programs is checked by
/// npuisa::verifyEarlyExit().
FailureOr<::npu::rt::EarlyExit>
parseEarlyExitAttr(Attribute attr, const ::npu::rt::SystemDesc *system,
                   function_ref<InFlightDiagnostic()> emitError);

/// The `npu.early_exit` attribute of `table`; parseEarlyExitAttr() reads it
/// back to the same table.
DictionaryAttr toEarlyExitAttr(MLIRContext *context,
                               const ::npu::rt::EarlyExit &table);

} // namespace mlir::npu

#endif // NPU_DIALECT_NPU_NPUDIALECT_H
