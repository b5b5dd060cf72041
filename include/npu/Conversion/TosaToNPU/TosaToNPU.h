//===- TosaToNPU.h - Converting TOSA graphs to npu graphs -------*- C++ -*-===//
//
// The pass (`convert-tosa-to-npu`) is declared in Passes.td. This header
// exposes its two halves for tools that drive the conversion themselves: the
// check that says whether, and why not, one TOSA op has an exact npu
// equivalent, and the patterns that rewrite the ops that pass it.
// docs/tosa-import.md lists the mapping and every rejected case.
//
//===----------------------------------------------------------------------===//

#ifndef NPU_CONVERSION_TOSATONPU_TOSATONPU_H
#define NPU_CONVERSION_TOSATONPU_TOSATONPU_H

#include "mlir/Support/LLVM.h"

#include <string>

namespace mlir {
class Operation;
class RewritePatternSet;
} // namespace mlir

namespace mlir::npu {

/// Succeeds when `op`, an operation of the TOSA dialect, converts to npu ops
/// that compute the same numbers: f32 static tensors, zero zero-points, a
/// zero multiply shift, attributes with an exact npu counterpart. On failure
/// `reason` says what stands in the way, without the op name (the caller
/// prefixes it: "tosa.erf: has no npu equivalent"). tosa.const_shape is
/// read by its users and not checked here.
LogicalResult checkTosaToNPU(Operation *op, std::string &reason);

/// Adds one conversion pattern per supported TOSA op. Each applies exactly
/// when checkTosaToNPU succeeds on its op, so a caller that checks every op
/// first (as the pass does) knows the conversion cannot fail half-way.
/// Weights become `arith.constant`; NHWC/OHWI/HWCM operands of convolution,
/// pooling and resize are transposed to NCHW/OIHW (constants at compile
/// time) and the results back to NHWC.
void populateTosaToNPUPatterns(RewritePatternSet &patterns);

} // namespace mlir::npu

#endif // NPU_CONVERSION_TOSATONPU_TOSATONPU_H
