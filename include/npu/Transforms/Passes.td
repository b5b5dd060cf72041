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

def LowerToISAPass : Pass<"npu-lower-to-isa", "::mlir::ModuleOp"> {
  let summary = "Lower a graph of npu ops to one chip's npuisa program";
  let description = [{
    Turns the module's single `func.func` of `npu` layer ops on tensors into
    an `npuisa.program` for chip `chip` of the module's `npu.system`: the
    function's arguments and results become the module's `npu.inputs` and
    `npu.outputs`; constants become DRAM segments of the program; every op
    is tiled to the chip's MAC array and vector unit, its tensors placed in
    SRAM by a liveness-based allocator (buffers reused once dead), weights
    streamed from DRAM ahead of their use so loads overlap compute, and
    engines synchronised by tokens exactly where data flows between them.
    A model whose working set cannot fit the chip's SRAM is an error naming
    the op and the bytes it needs.

    A module of `npu.program` ops (one per chip, no function) becomes one
    `npuisa.program` per program, for the chip it names (`chip` is then not
    used): `npu.input`/`npu.output` are staged like arguments/results,
    `npu.recv`/`npu.send` become `npuisa.recv`/`npuisa.send` in IR order.
    Sends and receives need a direct link and must not deadlock. See
    docs/lowering.md, "Multi-chip modules".
  }];
  let dependentDialects = ["::mlir::npuisa::NPUISADialect"];
  let options = [
    Option<"chip", "chip", "int64_t", /*default=*/"0",
           "Id of the chip of the system to compile a single function for">,
  ];
  let statistics = [
    Statistic<"numInstructions", "instructions", "Instructions emitted">,
    Statistic<"peakSram", "peak-sram-bytes", "Peak SRAM bytes allocated">,
  ];
}

def PartitionPass : Pass<"npu-partition", "::mlir::ModuleOp"> {
  let summary = "Split a model into one npu.program per chip of the system";
  let description = [{
    Places every op of the module's single `func.func` on a chip of the
    module's `npu.system` and rewrites the function into one
    `npu.program @<func>_chip<N> chip(N)` per chip used: `npu.input` where a
    program reads a model input, `npu.output` for the model's results,
    constants copied into every program that reads them, and an
    `npu.send`/`npu.recv` pair (a fresh channel per pair of chips) for every
    hop of every value that crosses chips; values between chips that are not
    linked are relayed by the chips on the route. Op costs come from the
    real lowering of each op on each kind of chip; transfers follow the link
    model, with contention. Strategies: `pipeline` (contiguous stages along a
    path of chips, exact minimum bottleneck under SRAM/DRAM), `list` (HEFT:
    earliest finish time with insertion) or `auto` (both, improved by a
    local search for `objective`; the best by `objective`); `even` and
    `greedy` are naive baselines to judge them by. `npu.place = N : i64` on
    an op, or `placement=<file.json>` (`{"<op location name>": N}`), forces
    an op onto chip N. The result and its lower bounds are attached as the
    module attribute `npu.partition` and reported by `report`; `dot` writes
    the placed graph for Graphviz. See docs/partitioning.md.
  }];
  let dependentDialects = ["::mlir::npu::NPUDialect",
                           "::mlir::npuisa::NPUISADialect",
                           "::mlir::func::FuncDialect",
                           "::mlir::arith::ArithDialect"];
  let options = [
    Option<"strategy", "strategy", "std::string", /*default=*/"\"auto\"",
           "pipeline, list or auto (both, then a local search; the best "
           "by objective); the baselines even and greedy">,
    Option<"objective", "objective", "std::string", /*default=*/"\"latency\"",
           "What auto minimises first: latency or throughput (the interval)">,
    Option<"placement", "placement", "std::string", /*default=*/"\"\"",
           "JSON file mapping op location names to chip ids">,
    Option<"report", "report", "std::string", /*default=*/"\"none\"",
           "none, remarks, table or json">,
    Option<"reportFile", "report-file", "std::string", /*default=*/"\"-\"",
           "File for the table or JSON ('-' is stdout)">,
    Option<"dot", "dot", "std::string", /*default=*/"\"\"",
           "Write the placed op graph as Graphviz to this file">,
    Option<"schedule", "schedule", "bool", /*default=*/"true",
           "Also compile a copy of the programs and schedule it, to report "
           "the exact latency and stream interval (npu-report-budgets)">,
  ];
  let statistics = [
    Statistic<"numPrograms", "programs", "Programs created">,
    Statistic<"numHops", "hops", "Chip-to-chip send/recv pairs">,
    Statistic<"numRelays", "relays", "Hops sent on by a chip that did not "
                                     "produce the value">,
    Statistic<"numLowerings", "cost-lowerings",
              "Ops lowered alone to cost them (cache misses)">,
  ];
}

def ConvertTosaToNPUPass : Pass<"convert-tosa-to-npu", "::mlir::ModuleOp"> {
  let summary = "Convert TOSA operations to npu graph operations";
  let description = [{
    Rewrites every TOSA operation of the module (what TensorFlow, TFLite and
    torch-mlir emit) into `npu` ops that compute the same numbers: weights
    (`tosa.const`) become `arith.constant`; NHWC images and OHWI/HWCM
    weights of convolutions, pooling and resize are transposed to the npu's
    NCHW/OIHW around the npu op (constants at compile time), and the
    transpose pairs between layers cancel, also across elementwise
    activations, which commute with transposes.

    Every op is checked first. An op without an exact npu counterpart
    (another element type than f32, a dynamic shape, a non-zero zero point
    or shift, a NaN mode or resize geometry the npu cannot reproduce, an op
    the npu lacks) gets an error `tosa.<op>: <reason>`, every such op is
    reported, and the module is left unchanged. docs/tosa-import.md lists
    the mapping.
  }];
  let dependentDialects = ["::mlir::npu::NPUDialect",
                           "::mlir::arith::ArithDialect"];
  let statistics = [
    Statistic<"numConverted", "converted-ops", "TOSA operations converted">,
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
    (and its share of the chip's SRAM), peak DRAM bytes and energy, as the
    simulator will measure them. A program whose chip starts asleep (the big
    chip of an early-exit cascade) has each path twice: woken from off, and
    "(standby)": woken in standby, with no wake cycles and idle power until
    then, as in an E4 stream.
    A module with `npu.early_exit` also gets its gates, thresholds and
    calibration. `format=remarks` emits one remark per path on the program
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

def InsertEarlyExitsPass : Pass<"npu-insert-early-exits", "::mlir::ModuleOp"> {
  let summary = "Split a model into an early-exit cascade over two chips, "
                "with trained and calibrated exit gates";
  let description = [{
    Turns the module's model function into two programs (E1, E2, E5, E6,
    E7): chip `from-chip` runs the model up to a split point and one or more
    exit heads, each followed by an `npu.exit_gate`; the last gate escalates
    to chip `to-chip`, sending the activations at the split, and that chip
    runs the rest of the model. Candidate splits are the cuts of the model
    before a weighted op where one feature map (N x C x H x W) is live.
    Exit heads come from the model (`exit-outputs`: outputs of a
    BranchyNet-style model) or are trained by the pass: average pooling of
    the feature map to a `head-grid` x `head-grid` grid, then a linear layer
    fitted by multinomial logistic regression with L2 (deterministic
    L-BFGS) on the features that the functional simulator computes for the
    training images. On the calibration images, for every candidate design
    (set of gates, thresholds), the pass computes accuracy, exit rates and
    the expected energy and latency from the exact budgets of the compiled
    design, and keeps the design of least expected energy whose accuracy is
    at least the full model's minus `max-accuracy-drop` points. The
    compiled cascade is then run on the calibration images to record its
    measured exit rates and accuracy in the module attribute
    `npu.early_exit`, with the thresholds, the E4 return threshold and idle
    window. See docs/early-exit.md.
  }];
  let dependentDialects = ["::mlir::npu::NPUDialect",
                           "::mlir::npuisa::NPUISADialect",
                           "::mlir::func::FuncDialect",
                           "::mlir::arith::ArithDialect"];
  let options = [
    Option<"fromChip", "from-chip", "int64_t", /*default=*/"0",
           "The small chip: runs the model up to the split and the gates">,
    Option<"toChip", "to-chip", "int64_t", /*default=*/"1",
           "The big chip: woken by an escalation, runs the rest">,
    Option<"calibrationImages", "calibration-images", "std::string",
           /*default=*/"\"\"",
           "Labelled calibration images: IDX (optionally gzip'd) or .npy">,
    Option<"calibrationLabels", "calibration-labels", "std::string",
           /*default=*/"\"\"", "Their labels: IDX or .npy">,
    Option<"calibrationOffset", "calibration-offset", "int64_t",
           /*default=*/"0", "First calibration sample used">,
    Option<"calibrationCount", "calibration-count", "int64_t",
           /*default=*/"-1", "Calibration samples used (-1: all)">,
    Option<"trainingImages", "training-images", "std::string",
           /*default=*/"\"\"",
           "Images to train exit heads on; without them, the first "
           "head-train-fraction of the calibration samples">,
    Option<"trainingLabels", "training-labels", "std::string",
           /*default=*/"\"\"", "Their labels">,
    Option<"trainingOffset", "training-offset", "int64_t", /*default=*/"0",
           "First training sample used">,
    Option<"trainingCount", "training-count", "int64_t", /*default=*/"-1",
           "Training samples used (-1: all)">,
    Option<"headTrainFraction", "head-train-fraction", "double",
           /*default=*/"0.5",
           "Without training images: the share of the calibration samples "
           "that trains the heads (the rest calibrates)">,
    Option<"scale", "scale", "double", /*default=*/"1.0",
           "Multiplies integer image values (e.g. 0.00392156862745098 for "
           "bytes to [0, 1])">,
    Option<"exitOutputs", "exit-outputs", "std::string", /*default=*/"\"\"",
           "Comma-separated model outputs to use as exit heads (in model "
           "order); empty: train heads">,
    Option<"output", "output", "std::string", /*default=*/"\"\"",
           "The model output the cascade answers (default: the last)">,
    Option<"headGrid", "head-grid", "int64_t", /*default=*/"7",
           "Trained heads pool the feature map to at most this grid per "
           "side (a smaller map is read whole)">,
    Option<"l2", "l2", "double", /*default=*/"0.001",
           "L2 weight of the heads' logistic regression">,
    Option<"measure", "measure", "std::string", /*default=*/"\"max_prob\"",
           "Confidence of a gate: max_prob, margin or entropy">,
    Option<"maxExits", "max-exits", "int64_t", /*default=*/"2",
           "The most exit gates on the small chip (E5)">,
    Option<"maxAccuracyDrop", "max-accuracy-drop", "double",
           /*default=*/"0.3",
           "Accuracy the cascade may lose against the full model, in "
           "percentage points, on the calibration samples">,
    Option<"accuracyConfidence", "accuracy-confidence", "double",
           /*default=*/"0.95",
           "The drop must stay within max-accuracy-drop with this one-sided "
           "confidence: the paired mean drop plus z standard errors (0.5: "
           "the mean alone)">,
    Option<"minCorrectPerJoule", "min-correct-inferences-per-joule",
           "double", /*default=*/"0",
           "E7: fail unless the chosen design delivers at least this many "
           "correct inferences per joule on the calibration samples">,
    Option<"returnThreshold", "return-threshold", "double",
           /*default=*/"-1",
           "E4: the big chip's confidence at which work returns to the small "
           "one (default: halfway between the last gate's threshold and 1)">,
    Option<"idleWindowNs", "idle-window-ns", "double", /*default=*/"-1",
           "E4: the big chip powers off after this long idle (default: the "
           "break-even time, wake energy / (idle - off power))">,
    Option<"report", "report", "std::string", /*default=*/"\"none\"",
           "none, remarks, table or json">,
    Option<"reportFile", "report-file", "std::string", /*default=*/"\"-\"",
           "File for the table or JSON ('-' is stdout)">,
  ];
}

#endif // NPU_TRANSFORMS_PASSES_TD
