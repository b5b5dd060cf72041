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

} // namespace mlir::npu

#endif // NPU_DIALECT_NPU_NPUDIALECT_H
