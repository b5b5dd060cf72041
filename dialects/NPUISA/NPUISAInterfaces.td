//===- NPUISAInterfaces.td - Cost interface of NPU instructions -*- tablegen -*-===//
//
// Every instruction reports its exact cost and the memory it touches on a
// given chip. Analyses (budgets, schedules) and the generic bounds verifier
// use only these methods, never op names.
//
//===----------------------------------------------------------------------===//

#ifndef NPU_DIALECT_NPUISA_NPUISAINTERFACES_TD
#define NPU_DIALECT_NPUISA_NPUISAINTERFACES_TD

include "mlir/IR/OpBase.td"

def NPUISA_CostOpInterface : OpInterface<"CostOpInterface"> {
  let cppNamespace = "::mlir::npuisa";
  let description = [{
    An instruction of the deterministic NPU ISA. `getCost` returns the engine
    it occupies, its exact cycle count and the bytes it moves, from the
    formulas in `npu/rt/Cost.h` (the same ones the simulator uses).
    `getBufferAccesses` lists every SRAM/DRAM byte range it reads or writes,
    so one verifier checks bounds for all instructions.
  }];
  let methods = [
    InterfaceMethod<
      "Exact cost of this instruction on `chip` of `system`.",
      "::npu::rt::cost::InstrCost", "getCost",
      (ins "const ::npu::rt::SystemDesc &":$system,
           "const ::npu::rt::ChipDesc &":$chip)>,
    InterfaceMethod<
      "Appends every memory range this instruction reads or writes.",
      "void", "getBufferAccesses",
      (ins "::llvm::SmallVectorImpl<::mlir::npuisa::BufferAccess> &":$accesses)>,
    InterfaceMethod<
      "Checks the invariants that depend on the chip (tile sizes, links).",
      "::mlir::LogicalResult", "verifyOnChip",
      (ins "const ::npu::rt::SystemDesc &":$system,
           "const ::npu::rt::ChipDesc &":$chip), [{}],
      [{ return ::mlir::success(); }]>,
  ];
}

#endif // NPU_DIALECT_NPUISA_NPUISAINTERFACES_TD
