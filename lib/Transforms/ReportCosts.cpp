//===- ReportCosts.cpp - Report exact instruction costs -------------------===//
//
// Evaluates CostOpInterface for every instruction of every npuisa.program
// on its chip and reports the results as remarks, plus each engine's busy
// cycles per program. Lit tests check the cost model through these remarks.
//
//===----------------------------------------------------------------------===//

#include "npu/Analysis/Schedule.h"
#include "npu/Dialect/NPU/NPUDialect.h"
#include "npu/Dialect/NPUISA/NPUISAOps.h"
#include "npu/Transforms/Passes.h"

#include "llvm/Support/FormatVariadic.h"

#define DEBUG_TYPE "npu-report-costs"

namespace mlir::npu {
#define GEN_PASS_DEF_REPORTCOSTSPASS
#include "npu/Transforms/Passes.h.inc"
} // namespace mlir::npu

using namespace mlir;
using namespace mlir::npu;
namespace cost = ::npu::rt::cost;

namespace {

struct ReportCostsPass
    : public mlir::npu::impl::ReportCostsPassBase<ReportCostsPass> {
  using ReportCostsPassBase::ReportCostsPassBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    auto programs = module.getOps<npuisa::ProgramOp>();
    if (programs.empty())
      return;
    SystemAttr attr = getSystemAttr(module);
    if (!attr) {
      module.emitError() << "npu-report-costs needs the module's '"
                         << NPUDialect::getSystemAttrName()
                         << "' (run npu-set-system first)";
      return signalPassFailure();
    }
    ::npu::rt::SystemDesc system = toSystemDesc(attr);
    for (npuisa::ProgramOp program : programs) {
      const ::npu::rt::ChipDesc *chip = system.findChip(program.getChip());
      if (!chip)
        continue; // The verifier rejects this before we run.
      llvm::DenseMap<Operation *, cost::InstrCost> costs;
      program.walk([&](npuisa::CostOpInterface instr) {
        cost::InstrCost c = instr.getCost(system, *chip);
        costs[instr] = c;
        ++numInstructions;
        if (perInstruction)
          instr->emitRemark(llvm::formatv(
              "{0} cycles={1} host_bytes={2} dram_bytes={3} link_bytes={4}",
              cost::engineName(c.engine), c.cycles, c.hostBytes, c.dramBytes,
              c.linkBytes));
      });
      for (const ExecutionPath &path : enumeratePaths(program))
        reportPath(program, *chip, path, costs);
    }
  }

  /// Each engine's busy cycles on one path: the serial work that engine
  /// must do, so their maximum bounds the path's cycles from below whatever
  /// the schedule.
  void reportPath(npuisa::ProgramOp program, const ::npu::rt::ChipDesc &chip,
                  const ExecutionPath &path,
                  const llvm::DenseMap<Operation *, cost::InstrCost> &costs) {
    int64_t busy[cost::kNumEngines] = {};
    cost::InstrCost total;
    for (npuisa::CostOpInterface instr : path.instrs) {
      const cost::InstrCost &c = costs.lookup(instr);
      busy[static_cast<int>(c.engine)] += c.cycles;
      total.hostBytes += c.hostBytes;
      total.dramBytes += c.dramBytes;
      total.linkBytes += c.linkBytes;
    }
    std::string engines;
    llvm::raw_string_ostream os(engines);
    int64_t bound = 0;
    for (int e = 0; e < cost::kNumEngines; ++e) {
      os << " " << cost::engineName(static_cast<cost::Engine>(e)) << "="
         << busy[e];
      bound = std::max(bound, busy[e]);
    }
    program.emitRemark(llvm::formatv(
        "chip {0} ({1}) path '{2}': busy cycles{3}; lower bound {4} cycles; "
        "host_bytes={5} dram_bytes={6} link_bytes={7}",
        chip.id, chip.name, path.name, engines, bound, total.hostBytes,
        total.dramBytes, total.linkBytes));
  }
};
} // namespace
