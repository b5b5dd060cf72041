//===- ExportSystem.cpp - Translation: module -> system JSON --------------===//
//
// Backs `npu-translate --npu-export-system`, which writes the module's `npu.system` as
// the JSON file format, so a description attached from a preset can be
// saved, edited and loaded back with `npu-set-system=<file>`.
//
//===----------------------------------------------------------------------===//

#include "npu/Dialect/NPU/NPUDialect.h"
#include "npu/Target/SystemDescription.h"

using namespace mlir;

LogicalResult mlir::npu::exportSystemJSON(Operation *op, raw_ostream &output) {
  SystemAttr system = getSystemAttr(op);
  if (!system)
    return op->emitError() << "module has no '"
                           << NPUDialect::getSystemAttrName()
                           << "' attribute to export (run npu-opt "
                              "--npu-set-system first)";
  output << systemDescriptionToJSON(toSystemDesc(system));
  return success();
}
