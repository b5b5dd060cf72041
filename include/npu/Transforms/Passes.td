//===- Passes.td - NPU passes ------------------------------*- tablegen -*-===//
//
// Every pass of the toolchain, graph- and instruction-level.
//
//===----------------------------------------------------------------------===//

#ifndef NPU_TRANSFORMS_PASSES_TD
#define NPU_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def SetSystemPass : Pass<"npu-set-system", "::mlir::ModuleOp"> {
  let summary = "Attach a system description to the module";
  let description = [{
    Loads the description named by `system` (a preset: `single`,
    `e1-package`, `mesh-2x2`, `mesh-4x4`; or the path of a JSON file, see
    docs/system-description.md), validates it, and attaches it to the module
    as `npu.system`, replacing any previous one. A bad description is an
    error naming the file and the field.
  }];
  let dependentDialects = ["::mlir::npu::NPUDialect"];
  let options = [
    Option<"system", "system", "std::string", /*default=*/"\"single\"",
           "Preset name or path of a JSON system description">,
  ];
}

def ReportCostsPass : Pass<"npu-report-costs", "::mlir::ModuleOp"> {
  let summary = "Report the exact cost of every NPU instruction";
  let description = [{
    For every `npuisa.program`, evaluates each instruction's CostOpInterface
    on the program's chip and reports it as a remark (engine, cycles, bytes
    over the host link, DRAM and links). Then, for every execution path of
    each program (`exit N`: the N-th exit check is confident and its exit
    path runs; `full`: no exit is taken), a remark with the busy cycles of
    every engine on that path: the serial work each engine must do, so their
    maximum is a lower bound on the path's cycles whatever the schedule.
  }];
  let options = [
    Option<"perInstruction", "per-instruction", "bool", /*default=*/"true",
           "Emit one remark per instruction, not only per program">,
  ];
  let statistics = [
    Statistic<"numInstructions", "instructions", "Instructions costed">,
  ];
}

def SchedulePass : Pass<"npu-schedule", "::mlir::ModuleOp"> {
  let summary = "Attach the static schedule to every instruction";
  let description = [{
    Evaluates the module's npuisa programs under the timing rules of
    docs/execution-model.md and attaches to every instruction
    `npuisa.schedule = array<i64: start, cycles>` (cycles of its chip). A
    module whose programs deadlock is an error naming the receive.
  }];
  let statistics = [
    Statistic<"numScheduled", "instructions", "Instructions scheduled">,
  ];
}

def ReportBudgetsPass : Pass<"npu-report-budgets", "::mlir::ModuleOp"> {
  let summary = "Report the exact budget of every program and path";
  let description = [{
    For every npuisa program and every execution path: cycles, time, engine
    busy cycles, bytes over the host link, DRAM and links, peak SRAM bytes
    (and its share of the chip's SRAM) and energy, as the simulator will
    measure them. `format=remarks` emits one remark per path on the program
    (for tests); `format=table` prints a table and `format=json` a JSON
    document to `output` (`-`, the default, is stdout).
  }];
  let options = [
    Option<"format", "format", "std::string", /*default=*/"\"table\"",
           "remarks, table or json">,
    Option<"output", "output", "std::string", /*default=*/"\"-\"",
           "File for the table or JSON ('-' is stdout)">,
  ];
}

#endif // NPU_TRANSFORMS_PASSES_TD
