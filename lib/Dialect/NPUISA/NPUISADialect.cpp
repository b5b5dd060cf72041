//===- NPUISADialect.cpp - NPU instruction-level dialect ------------------===//
//
// Registers the `npuisa` dialect and maps its enums onto the runtime's
// binary encoding; the static_asserts below keep the two in lock step.
//
//===----------------------------------------------------------------------===//

#include "npu/Dialect/NPUISA/NPUISADialect.h"
#include "npu/Dialect/NPUISA/NPUISAOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"

using namespace mlir;
using namespace mlir::npuisa;
namespace cost = ::npu::rt::cost;

#include "NPUISA/NPUISADialect.cpp.inc"
#include "NPUISA/NPUISAEnums.cpp.inc"
#include "NPUISA/NPUISAInterfaces.cpp.inc"

void NPUISADialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "NPUISA/NPUISAOps.cpp.inc"
      >();
}

// The ODS enums and the runtime's encoding must agree value for value.
#define NPU_SAME_VALUE(A, B)                                                   \
  static_assert(static_cast<int>(A) == static_cast<int>(B), #A " != " #B)
NPU_SAME_VALUE(DType::f32, cost::DType::F32);
NPU_SAME_VALUE(DType::f16, cost::DType::F16);
NPU_SAME_VALUE(DType::bf16, cost::DType::BF16);
NPU_SAME_VALUE(DType::i8, cost::DType::I8);
NPU_SAME_VALUE(DType::ui8, cost::DType::UI8);
NPU_SAME_VALUE(DType::i32, cost::DType::I32);
NPU_SAME_VALUE(Engine::dma_in, cost::Engine::DmaIn);
NPU_SAME_VALUE(Engine::dma_out, cost::Engine::DmaOut);
NPU_SAME_VALUE(Engine::mac, cost::Engine::Mac);
NPU_SAME_VALUE(Engine::vector, cost::Engine::Vector);
NPU_SAME_VALUE(Engine::link_tx, cost::Engine::LinkTx);
NPU_SAME_VALUE(Engine::link_rx, cost::Engine::LinkRx);
NPU_SAME_VALUE(Engine::control, cost::Engine::Control);
NPU_SAME_VALUE(VectorOpKind::copy, cost::VectorOp::Copy);
NPU_SAME_VALUE(VectorOpKind::pow, cost::VectorOp::Pow);
NPU_SAME_VALUE(VectorOpKind::relu, cost::VectorOp::Relu);
NPU_SAME_VALUE(VectorOpKind::gelu, cost::VectorOp::Gelu);
NPU_SAME_VALUE(VectorOpKind::dequantize, cost::VectorOp::Dequantize);
NPU_SAME_VALUE(ReduceKind::mean, cost::ReduceOp::Mean);
NPU_SAME_VALUE(PoolKind::avg, cost::PoolOp::Avg);
NPU_SAME_VALUE(ResizeKind::linear, cost::ResizeMode::Linear);
NPU_SAME_VALUE(Measure::entropy, cost::ConfidenceMeasure::Entropy);
#undef NPU_SAME_VALUE
static_assert(cost::kNumVectorOps ==
                  static_cast<int>(VectorOpKind::dequantize) + 1,
              "vector op count differs between ODS and the runtime");

cost::DType mlir::npuisa::toRt(DType type) {
  return static_cast<cost::DType>(type);
}

int64_t mlir::npuisa::elementBytes(DType type) {
  return cost::elementBytes(toRt(type));
}
