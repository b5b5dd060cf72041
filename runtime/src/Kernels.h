//===- Kernels.h - Functional kernels of the simulator ----------*- C++ -*-===//
//
// The numbers each compute instruction produces, on a chip's SRAM (one
// contiguous byte array). The loader has checked every operand, so the
// kernels only assert their bounds. Semantics are those of the npuisa ops of
// the same names; see Kernels.cpp for the precise choices (rounding,
// saturation, NaN).
//
//===----------------------------------------------------------------------===//

#ifndef NPU_RT_SRC_KERNELS_H
#define NPU_RT_SRC_KERNELS_H

#include "npu/rt/Model.h"

#include <cstdint>
#include <vector>

namespace npu::rt::detail {

/// A chip's SRAM: `size` bytes at `data`.
struct SramView {
  uint8_t *data = nullptr;
  int64_t size = 0;
};

void runMatMul(SramView sram, const isa::MatMul &op);
void runConv(SramView sram, const isa::Conv &op);
void runVector(SramView sram, const isa::Vector &op);
void runFill(SramView sram, const isa::Fill &op);
void runReduce(SramView sram, const isa::Reduce &op);
void runPool(SramView sram, const isa::Pool &op);
void runCopy(SramView sram, const isa::Copy &op);
void runResize(SramView sram, const isa::Resize &op);

/// The confidence in [0, 1] of the logits of an exit check (NaN when the
/// logits are not finite; NaN is never confident).
double exitConfidence(SramView sram, const isa::ExitCheck &op);

/// The confidence of the elements of host tensor bytes of `type` under
/// `measure`: of their softmax when `softmax` (as exitConfidence), else of
/// the values themselves. NaN when one is not finite or there are none.
double hostConfidence(const std::vector<uint8_t> &bytes, cost::DType type,
                      cost::ConfidenceMeasure measure, bool softmax);

/// The index of the largest element of host tensor bytes of `type` (the
/// first of equal ones, NaN never), or -1.
int64_t hostArgmax(const std::vector<uint8_t> &bytes, cost::DType type);

} // namespace npu::rt::detail

#endif // NPU_RT_SRC_KERNELS_H
