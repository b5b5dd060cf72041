//===- NPUISADialect.cpp - NPU instruction-level dialect ------------------===//
//
// Registers the `npuisa` dialect and maps its enums onto the runtime's
// binary encoding; the static_asserts below keep the two in lock step.
//
//===----------------------------------------------------------------------===//

#include "npu/Dialect/NPUISA/NPUISADialect.h"
#include "npu/Dialect/NPU/NPUDialect.h"
#include "npu/Dialect/NPUISA/NPUISAOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"

#include <cstdlib>

using namespace mlir;
using namespace mlir::npuisa;
namespace cost = ::npu::rt::cost;
namespace rt = ::npu::rt;

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

/// The shortest decimal that reads back to `value` (as f32 when `asFloat`).
static std::string shortest(double value, bool asFloat) {
  for (int digits = 1; digits <= 17; ++digits) {
    std::string text =
        llvm::formatv("{0}", llvm::format("%.*g", digits, value));
    double back = std::strtod(text.c_str(), nullptr);
    if (asFloat ? static_cast<float>(back) == static_cast<float>(value)
                : back == value)
      return text;
  }
  return llvm::formatv("{0}", value);
}

LogicalResult mlir::npuisa::verifyEarlyExit(ModuleOp module) {
  StringRef name = npu::NPUDialect::getEarlyExitAttrName();
  Attribute attr = module->getAttr(name);
  if (!attr)
    return success();
  std::optional<rt::SystemDesc> system;
  if (npu::SystemAttr systemAttr = npu::getSystemAttr(module))
    system = npu::toSystemDesc(systemAttr);
  FailureOr<rt::EarlyExit> table = npu::parseEarlyExitAttr(
      attr, system ? &*system : nullptr, [&] { return module.emitError(); });
  if (failed(table))
    return failure();
  auto error = [&](StringRef key) {
    return module.emitError() << "'" << name << "' key '" << key << "': ";
  };

  ProgramOp from, to;
  for (ProgramOp program : module.getOps<ProgramOp>()) {
    if (static_cast<int64_t>(program.getChip()) == table->fromChip)
      from = program;
    if (static_cast<int64_t>(program.getChip()) == table->toChip)
      to = program;
  }
  if (!from)
    return error("from_chip")
           << "chip " << table->fromChip << " has no npuisa.program";
  if (!to)
    return error("to_chip")
           << "chip " << table->toChip << " has no npuisa.program";

  // Exit checks in exit order: stream order, a check before the checks of
  // its exit path.
  SmallVector<ExitCheckOp> checks;
  from->walk<WalkOrder::PreOrder>(
      [&](ExitCheckOp check) { checks.push_back(check); });
  if (checks.size() != table->gates.size())
    return error("gates") << table->gates.size() << " gate(s) but program @"
                          << from.getSymName() << " (chip " << table->fromChip
                          << ") has " << checks.size() << " exit check(s)";
  for (auto [index, check] : llvm::enumerate(checks)) {
    float threshold = check.getThreshold().convertToFloat();
    double gate = table->gates[index].threshold;
    if (static_cast<float>(gate) != threshold)
      return error("gates[" + std::to_string(index) + "].threshold")
             << shortest(gate, false) << " differs from the threshold "
             << shortest(threshold, true) << " of exit check " << index + 1
             << " of program @" << from.getSymName();
  }

  bool escalates = llvm::any_of(
      from.getBody().front().getOps<EscalateOp>(), [&](EscalateOp escalate) {
        return static_cast<int64_t>(escalate.getChip()) == table->toChip;
      });
  if (!escalates)
    return error("to_chip") << "program @" << from.getSymName() << " (chip "
                            << table->fromChip << ") does not escalate to chip "
                            << table->toChip << " on its full path";

  auto outputs =
      module->getAttrOfType<ArrayAttr>(npu::NPUDialect::getOutputsAttrName());
  bool known = outputs && llvm::any_of(outputs, [&](Attribute sig) {
                 auto tensor = dyn_cast<npu::TensorSigAttr>(sig);
                 return tensor && tensor.getName() == table->output;
               });
  if (!known)
    return error("output") << "'" << table->output << "' is not in '"
                           << npu::NPUDialect::getOutputsAttrName() << "'";
  bool stores = false;
  to->walk(
      [&](StoreOutputOp store) { stores |= store.getName() == table->output; });
  if (!stores)
    return error("output") << "program @" << to.getSymName() << " (chip "
                           << table->toChip << ") never stores '"
                           << table->output << "'";
  return success();
}
