//===- InsertEarlyExits.cpp - Trained, calibrated early-exit cascades -----===//
//
// `npu-insert-early-exits` (docs/early-exit.md is the long form):
//
//  1. The model. The backbone is every op the answered output depends on,
//     in block order. A candidate split is a cut of the backbone before a
//     weighted op (conv2d, gemm, matmul) across which exactly one value, a
//     feature map N x C x H x W, is live and the model input is not read
//     again: the small chip can hand that value to the big one.
//  2. Probe. A copy of the model whose results are the answer, the value
//     at every split and the logits of the model's own exit heads is
//     compiled for the small chip and run on the functional simulator over
//     the training and calibration images.
//  3. Heads. Trained: the feature map averaged over a head-grid x head-grid
//     grid of windows, then a linear layer fitted by multinomial logistic
//     regression with L2 (npu/Analysis/LogisticRegression.h). From the
//     model: the slice that computes an exit output, its softmax input as
//     the logits.
//  4. Designs. An ordered set of at most max-exits splits, a gate after
//     each, the last one escalating. Each design is built as two npu.program
//     ops, compiled as npu-compile compiles them and scheduled: the exact
//     budgets give the energy and latency of every path. Thresholds: the
//     last gate's over every distinct confidence of the calibration
//     samples, the others over quantiles. The design of least expected
//     energy whose accuracy is at least the full model's minus
//     max-accuracy-drop points wins (then latency, then fewer gates).
//  5. The module. The function becomes the chosen design's programs; the
//     compiled cascade runs the calibration images once more on the
//     simulator, and what it measured (exit rates, accuracy, energy,
//     latency) is recorded in `npu.early_exit` with the thresholds, the E4
//     return threshold and idle window.
//
//===----------------------------------------------------------------------===//

#include "npu/Analysis/LogisticRegression.h"
#include "npu/Analysis/Schedule.h"
#include "npu/Dialect/NPU/NPUDialect.h"
#include "npu/Dialect/NPU/NPUOps.h"
#include "npu/Dialect/NPUISA/NPUISAOps.h"
#include "npu/Target/Binary.h"
#include "npu/Target/CalibrationData.h"
#include "npu/Transforms/Passes.h"
#include "npu/rt/Model.h"
#include "npu/rt/Simulator.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/ToolOutputFile.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>
#include <numeric>
#include <mutex>
#include <thread>

namespace mlir::npu {
#define GEN_PASS_DEF_INSERTEARLYEXITSPASS
#include "npu/Transforms/Passes.h.inc"
} // namespace mlir::npu

using namespace mlir;
using namespace mlir::npu;
namespace rt = ::npu::rt;
namespace ml = ::npu::ml;

namespace {

constexpr llvm::StringLiteral kEarlyExitAttrName = "npu.early_exit";
constexpr llvm::StringLiteral kNameAttr = "npu.name";
/// Quantiles tried for the thresholds of every gate but the last.
constexpr int kThresholdGrid = 48;

//===----------------------------------------------------------------------===//
// Confidence, as npuisa.exit_check computes it.
//===----------------------------------------------------------------------===//

/// The confidence of `logits` under `measure`: the softmax's largest
/// probability, the gap between its two largest, or one minus its entropy
/// normalised by log(classes).
double confidenceOf(ArrayRef<float> logits, ConfidenceMeasure measure) {
  double top = -INFINITY;
  for (float v : logits)
    top = std::max(top, static_cast<double>(v));
  SmallVector<double> p(logits.size());
  double sum = 0;
  for (auto [i, v] : llvm::enumerate(logits))
    sum += p[i] = std::exp(static_cast<double>(v) - top);
  for (double &v : p)
    v /= sum;
  switch (measure) {
  case ConfidenceMeasure::max_prob:
    return *llvm::max_element(p);
  case ConfidenceMeasure::margin: {
    llvm::sort(p, std::greater<double>());
    return p.size() > 1 ? p[0] - p[1] : p[0];
  }
  case ConfidenceMeasure::entropy: {
    double h = 0;
    for (double v : p)
      if (v > 0)
        h -= v * std::log(v);
    return 1.0 - h / std::log(static_cast<double>(p.size()));
  }
  }
  llvm_unreachable("unknown measure");
}

/// The standard normal quantile of `p` in (0, 1), by bisection on erfc.
double normalQuantile(double p) {
  double lo = -10, hi = 10;
  for (int i = 0; i < 200; ++i) {
    double mid = (lo + hi) / 2;
    (0.5 * std::erfc(-mid / std::sqrt(2.0)) < p ? lo : hi) = mid;
  }
  return (lo + hi) / 2;
}

int64_t argmax(ArrayRef<float> values) {
  return std::distance(values.begin(), llvm::max_element(values));
}

/// "name" of a NameLoc, "file:line:col" of a FileLineColLoc, else "?".
std::string describeLoc(Location loc) {
  if (auto name = dyn_cast<NameLoc>(loc))
    return name.getName().str();
  if (auto file = dyn_cast<FileLineColLoc>(loc))
    return llvm::formatv("{0}:{1}:{2}", file.getFilename().getValue(),
                         file.getLine(), file.getColumn());
  if (auto fused = dyn_cast<FusedLoc>(loc))
    for (Location inner : fused.getLocations())
      if (std::string s = describeLoc(inner); s != "?")
        return s;
  return "?";
}

std::string shapeOf(Type type) {
  auto tensor = cast<RankedTensorType>(type);
  std::string s;
  for (auto [i, d] : llvm::enumerate(tensor.getShape()))
    s += (i ? "x" : "") + std::to_string(d);
  return s;
}

//===----------------------------------------------------------------------===//
// The model and its candidate splits.
//===----------------------------------------------------------------------===//

struct Cut {
  /// Index in Model::backbone of the first op after the cut.
  size_t position = 0;
  /// The one value live across the cut (N x C x H x W).
  Value value;
  std::string label;
};

struct Model {
  func::FuncOp func;
  Value input;
  std::string inputName;
  RankedTensorType inputType;
  Value output;
  std::string outputName;
  /// The answered output is a softmax's result.
  bool probabilities = false;
  int64_t classes = 0;
  /// The non-constant ops `output` depends on, in block order.
  SmallVector<Operation *> backbone;
  SmallVector<Cut> cuts;
};

/// An exit head at a cut, with its figures on the calibration samples.
struct Head {
  size_t cut = 0;
  /// "trained" or the model output it comes from.
  std::string source;
  // A trained head: the pooling windows and the classifier.
  int64_t grid = 1;
  std::array<int64_t, 2> kernel = {1, 1}, stride = {1, 1};
  ml::LinearClassifier classifier;
  ml::TrainingReport training;
  // A head of the model: its ops, logits and answer.
  SmallVector<Operation *> ops;
  Value logits, answer;
  // On the calibration samples.
  std::vector<double> confidence;
  std::vector<uint8_t> correct;
  double accuracy = 0;
};

/// What one path of a design costs for one input, the big chip asleep at
/// the start: from the input's start to its last halt.
struct PathCost {
  double energyFj = 0;
  double latencyPs = 0;
};

/// How one chip ended an input: whether it ran, its halt (ps) and its
/// energy from the input's start to that halt.
struct ChipEnd {
  const rt::ChipDesc *chip = nullptr;
  bool ran = false;
  double haltPs = 0;
  double energyFj = 0;
};

/// One input's cost from the chips' ends: the latest halt; each chip that
/// ran, its energy plus idle power to that end; a chip that did not run,
/// off power throughout. The rule of both the prediction (budgets) and the
/// measurement (simulator), so that they agree.
PathCost endToEnd(ArrayRef<ChipEnd> chips) {
  PathCost cost;
  for (const ChipEnd &c : chips)
    if (c.ran)
      cost.latencyPs = std::max(cost.latencyPs, c.haltPs);
  for (const ChipEnd &c : chips)
    cost.energyFj += c.ran ? c.energyFj + c.chip->power.idleMw *
                                              (cost.latencyPs - c.haltPs)
                           : c.chip->power.offMw * cost.latencyPs;
  return cost;
}

/// A design: gates after some heads, the last escalating, and its figures
/// on the calibration samples.
struct Design {
  SmallVector<size_t> heads;
  SmallVector<double> thresholds;
  /// One per gate (exit k), then the full path.
  SmallVector<PathCost> paths;
  SmallVector<double> exitRates;
  double escalationRate = 0;
  double accuracy = 0;
  double energyFj = 0;
  double latencyPs = 0;
  /// The upper confidence bound of the accuracy lost (a fraction).
  double dropBound = 0;
  bool feasible = false;

  double correctPerJoule() const {
    return energyFj > 0 ? accuracy / (energyFj * 1e-15) : 0;
  }
};

/// Samples as host tensors and their labels.
struct Samples {
  const ::npu::CalibrationSet *set = nullptr;
  int64_t begin = 0, end = 0;
  int64_t size() const { return end - begin; }
  int32_t label(int64_t i) const { return set->labels[begin + i]; }
  ArrayRef<float> sample(int64_t i) const {
    int64_t n = set->sampleElements();
    return ArrayRef<float>(set->samples).slice((begin + i) * n, n);
  }
};

/// Copies a model output's bytes out as floats.
std::vector<float> floatsOf(const rt::TensorMap &outputs, StringRef name) {
  const std::vector<uint8_t> &bytes = outputs.at(name.str());
  std::vector<float> values(bytes.size() / 4);
  std::memcpy(values.data(), bytes.data(), values.size() * 4);
  return values;
}

/// Runs `model` on every sample of `samples` (on all host cores; each result
/// goes to its own slot, so the outcome does not depend on the order) and
/// calls `consume(i, result)`.
LogicalResult simulate(const rt::Model &model, StringRef inputName,
                       const Samples &samples,
                       function_ref<void(int64_t, const rt::RunResult &)>
                           consume,
                       std::string &error) {
  rt::Simulator simulator(model, rt::SimulatorOptions{/*trace=*/false});
  int64_t n = samples.size();
  unsigned workers = std::max(1u, std::min(4u, std::thread::hardware_concurrency()));
  std::mutex mutex;
  int64_t failedAt = -1;
  auto work = [&](unsigned w) {
    for (int64_t i = w; i < n; i += workers) {
      rt::TensorMap inputs;
      ArrayRef<float> sample = samples.sample(i);
      std::vector<uint8_t> &bytes = inputs[inputName.str()];
      bytes.resize(sample.size() * 4);
      std::memcpy(bytes.data(), sample.data(), bytes.size());
      rt::RunResult result = simulator.run(inputs);
      if (!result.ok) {
        std::lock_guard<std::mutex> lock(mutex);
        if (failedAt < 0 || i < failedAt) {
          failedAt = i;
          error = result.error;
        }
        return;
      }
      consume(i, result);
    }
  };
  std::vector<std::thread> threads;
  for (unsigned w = 1; w < workers; ++w)
    threads.emplace_back(work, w);
  work(0);
  for (std::thread &t : threads)
    t.join();
  if (failedAt >= 0) {
    error = llvm::formatv("sample {0}: {1}", samples.begin + failedAt, error);
    return failure();
  }
  return success();
}

/// Compiles `module` (npu.program ops or one function) as npu-compile does,
/// for chip `chip` when it is a function. On failure `error` holds the first
/// diagnostic.
LogicalResult compileModule(ModuleOp module, int64_t chip, std::string &error) {
  MLIRContext *context = module.getContext();
  ScopedDiagnosticHandler handler(context, [&](Diagnostic &diag) {
    if (diag.getSeverity() == DiagnosticSeverity::Error && error.empty())
      error = diag.str();
    return success();
  });
  PassManager pm(context, ModuleOp::getOperationName());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  pm.addPass(createLowerToISAPass(LowerToISAPassOptions{chip}));
  if (failed(pm.run(module))) {
    if (error.empty())
      error = "the lowering failed";
    return failure();
  }
  return success();
}

/// The binary of a compiled module, loaded by the runtime.
FailureOr<rt::Model> loadCompiled(ModuleOp module, const ScheduleAnalysis &schedule,
                                  std::string &error) {
  std::string bytes;
  llvm::raw_string_ostream os(bytes);
  ScopedDiagnosticHandler handler(module.getContext(), [&](Diagnostic &diag) {
    if (diag.getSeverity() == DiagnosticSeverity::Error && error.empty())
      error = diag.str();
    return success();
  });
  if (failed(exportBinary(module, &schedule, os)))
    return failure();
  rt::LoadResult loaded = rt::loadModel(
      reinterpret_cast<const uint8_t *>(bytes.data()), bytes.size());
  if (!loaded) {
    error = loaded.error;
    return failure();
  }
  return std::move(*loaded.model);
}

//===----------------------------------------------------------------------===//
// The pass.
//===----------------------------------------------------------------------===//

struct InsertEarlyExitsPass
    : public mlir::npu::impl::InsertEarlyExitsPassBase<InsertEarlyExitsPass> {
  using InsertEarlyExitsPassBase::InsertEarlyExitsPassBase;

  void runOnOperation() override {
    if (failed(run()))
      signalPassFailure();
  }

private:
  LogicalResult run();
  LogicalResult analyze(func::FuncOp func);
  LogicalResult findModelHeads();
  LogicalResult loadData();
  LogicalResult probe();
  LogicalResult trainHeads();
  LogicalResult costDesign(Design &design, std::string &error);
  void searchThresholds(Design &design);
  /// Builds the design's two programs in `module`, before `before` (or at
  /// the end).
  void buildPrograms(ModuleOp module, const Design &design,
                     Operation *before = nullptr);
  FailureOr<PathCost> costAlone(int64_t chip, std::string &error);
  LogicalResult measureCascade(ModuleOp programs, const Design &design);
  LogicalResult writeReport(ModuleOp module);

  ModuleOp module;
  rt::SystemDesc system;
  const rt::ChipDesc *small = nullptr, *big = nullptr;
  ConfidenceMeasure confidenceMeasure = ConfidenceMeasure::max_prob;
  Model model;
  std::vector<Head> heads;
  ::npu::CalibrationSet calibrationData, trainingData;
  Samples calibration, training;
  /// Per calibration sample: the full model's answer is right.
  std::vector<uint8_t> fullCorrect;
  double fullAccuracy = 0;
  /// Per training sample and cut: the pooled features (trained heads).
  std::vector<std::vector<float>> trainFeatures, calibFeatures;
  /// Per calibration sample and model head: its logits.
  std::vector<std::vector<float>> modelHeadLogits;
  std::vector<Design> designs;
  size_t chosen = 0;
  std::optional<PathCost> smallAlone, bigAlone;
  /// Measured on the compiled cascade.
  SmallVector<double> measuredExitRates;
  double measuredEscalation = 0, measuredAccuracy = 0, measuredEnergy = 0,
         measuredLatency = 0;
  double returnThresholdValue = 0;
  int64_t idleWindowPs = 0;
};

LogicalResult InsertEarlyExitsPass::analyze(func::FuncOp func) {
  model.func = func;
  if (!func.getBody().hasOneBlock())
    return emitError(func.getLoc()) << "the model must have a single block";
  Block &body = func.getBody().front();
  if (func.getNumArguments() != 1)
    return emitError(func.getLoc())
           << "the model has " << func.getNumArguments()
           << " inputs; npu-insert-early-exits feeds calibration images to "
              "a model with exactly one input";
  model.input = body.getArgument(0);
  model.inputType = dyn_cast<RankedTensorType>(model.input.getType());
  if (!model.inputType || !model.inputType.hasStaticShape())
    return emitError(func.getLoc()) << "the model's input must be a static tensor";
  auto inputName = func.getArgAttrOfType<StringAttr>(0, kNameAttr);
  model.inputName = inputName ? inputName.str() : "input0";

  auto ret = cast<func::ReturnOp>(body.getTerminator());
  auto resultName = [&](unsigned i) {
    auto name = func.getResultAttrOfType<StringAttr>(i, kNameAttr);
    return name ? name.str() : "output" + std::to_string(i);
  };
  if (ret.getNumOperands() == 0)
    return emitError(func.getLoc()) << "the model has no output to answer";
  unsigned index = ret.getNumOperands() - 1;
  if (!output.empty()) {
    auto it = llvm::find_if(llvm::seq(ret.getNumOperands()),
                            [&](unsigned i) { return resultName(i) == output; });
    if (it == llvm::seq(ret.getNumOperands()).end())
      return emitError(func.getLoc()) << "the model has no output '" << output << "'";
    index = *it;
  }
  model.output = ret.getOperand(index);
  model.outputName = resultName(index);
  auto outputType = dyn_cast<RankedTensorType>(model.output.getType());
  if (!outputType || !outputType.hasStaticShape() ||
      (outputType.getRank() != 1 &&
       !(outputType.getRank() == 2 && outputType.getDimSize(0) == 1)) ||
      outputType.getShape().back() < 2)
    return emitError(func.getLoc())
           << "the model's output '" << model.outputName
           << "' must be class scores of shape [classes] or [1, classes], got "
           << model.output.getType();
  model.classes = outputType.getShape().back();
  model.probabilities = isa_and_nonnull<SoftmaxOp>(model.output.getDefiningOp());

  // The backbone: what the answer depends on.
  llvm::SetVector<Operation *> needed;
  SmallVector<Value> work{model.output};
  while (!work.empty()) {
    Operation *def = work.pop_back_val().getDefiningOp();
    if (!def || isa<arith::ConstantOp>(def) || !needed.insert(def))
      continue;
    llvm::append_range(work, def->getOperands());
  }
  for (Operation &op : body.without_terminator())
    if (needed.contains(&op))
      model.backbone.push_back(&op);

  // The cuts.
  llvm::DenseMap<Operation *, size_t> position;
  for (auto [i, op] : llvm::enumerate(model.backbone))
    position[op] = i;
  size_t n = model.backbone.size();
  for (size_t p = 1; p < n; ++p) {
    Operation *first = model.backbone[p];
    if (!isa<Conv2DOp, GemmOp, MatMulOp>(first))
      continue;
    SmallVector<Value> live;
    bool readsInput = false;
    for (size_t q = p; q < n; ++q)
      for (Value operand : model.backbone[q]->getOperands()) {
        if (operand == model.input)
          readsInput = true;
        Operation *def = operand.getDefiningOp();
        if (def && position.count(def) && position.lookup(def) < p &&
            !llvm::is_contained(live, operand))
          live.push_back(operand);
      }
    if (readsInput || live.size() != 1)
      continue;
    auto type = dyn_cast<RankedTensorType>(live.front().getType());
    if (!type || type.getRank() != 4 || !type.hasStaticShape())
      continue;
    Operation *producer = live.front().getDefiningOp();
    model.cuts.push_back(
        {p, live.front(),
         llvm::formatv("after {0} '{1}' ({2})", producer->getName(),
                       describeLoc(producer->getLoc()), shapeOf(type))});
  }
  if (model.cuts.empty())
    return emitError(func.getLoc())
           << "the model has no split point: no cut before a conv2d, gemm or matmul "
              "has exactly one feature map (N x C x H x W) live across it";
  return success();
}

LogicalResult InsertEarlyExitsPass::findModelHeads() {
  func::FuncOp func = model.func;
  auto ret = cast<func::ReturnOp>(func.getBody().front().getTerminator());
  llvm::DenseMap<Operation *, size_t> position;
  for (auto [i, op] : llvm::enumerate(model.backbone))
    position[op] = i;
  SmallVector<StringRef> names;
  StringRef(exitOutputs).split(names, ',', -1, /*KeepEmpty=*/false);
  for (StringRef rawName : names) {
    StringRef name = rawName.trim();
    std::optional<unsigned> index;
    for (unsigned i = 0; i < ret.getNumOperands(); ++i) {
      auto attr = func.getResultAttrOfType<StringAttr>(i, kNameAttr);
      if ((attr ? attr.str() : "output" + std::to_string(i)) == name)
        index = i;
    }
    if (!index)
      return emitError(func.getLoc()) << "the model has no output '" << name
                                << "' (exit-outputs)";
    Value value = ret.getOperand(*index);
    if (value.getType() != model.output.getType())
      return emitError(func.getLoc())
             << "exit output '" << name << "' has type " << value.getType()
             << " but the answer '" << model.outputName << "' has "
             << model.output.getType();
    Head head;
    head.source = name.str();
    // Its ops beyond the backbone, and the latest backbone op it reads.
    llvm::SetVector<Operation *> slice;
    size_t needs = 0;
    SmallVector<Value> work{value};
    while (!work.empty()) {
      Value v = work.pop_back_val();
      if (v == model.input) {
        needs = std::max<size_t>(needs, 1);
        continue;
      }
      Operation *def = v.getDefiningOp();
      if (!def || isa<arith::ConstantOp>(def))
        continue;
      if (position.count(def)) {
        needs = std::max(needs, position.lookup(def) + 1);
        continue;
      }
      if (slice.insert(def))
        llvm::append_range(work, def->getOperands());
    }
    for (Operation &op : func.getBody().front().without_terminator())
      if (slice.contains(&op))
        head.ops.push_back(&op);
    auto cut = llvm::find_if(model.cuts,
                             [&](const Cut &c) { return c.position >= needs; });
    if (cut == model.cuts.end())
      return emitError(func.getLoc())
             << "exit output '" << name
             << "' reads the model after its last split point";
    head.cut = static_cast<size_t>(std::distance(model.cuts.begin(), cut));
    if (auto softmax = dyn_cast_or_null<SoftmaxOp>(value.getDefiningOp())) {
      head.logits = softmax.getInput();
      head.answer = value;
    } else {
      head.logits = value;
      head.answer = model.probabilities ? Value() : value;
    }
    heads.push_back(std::move(head));
  }
  for (size_t i = 1; i < heads.size(); ++i)
    if (heads[i].cut <= heads[i - 1].cut)
      return emitError(func.getLoc())
             << "exit outputs '" << heads[i - 1].source << "' and '"
             << heads[i].source
             << "' do not come after distinct split points in that order";
  return success();
}

LogicalResult InsertEarlyExitsPass::loadData() {
  if (calibrationImages.empty() || calibrationLabels.empty())
    return emitError(module.getLoc())
           << "npu-insert-early-exits needs calibration data: "
              "calibration-images and calibration-labels";
  auto load = [&](StringRef images, StringRef labels, int64_t offset,
                  int64_t count, StringRef what,
                  ::npu::CalibrationSet &into) -> LogicalResult {
    ::npu::CalibrationSource source;
    source.images = images.str();
    source.labels = labels.str();
    source.offset = offset;
    source.count = count;
    source.scale = scale;
    llvm::Expected<::npu::CalibrationSet> set =
        ::npu::loadCalibrationSet(source, model.classes);
    if (!set)
      return emitError(module.getLoc()) << what << " data: "
                                << llvm::toString(set.takeError());
    int64_t elements = model.inputType.getNumElements();
    if (set->sampleElements() != elements) {
      std::string shape;
      for (auto [i, d] : llvm::enumerate(set->sampleShape))
        shape += (i ? "x" : "") + std::to_string(d);
      return emitError(module.getLoc())
             << what << " data: " << images << " holds samples of shape ["
             << shape << "] (" << set->sampleElements()
             << " values) but model input '" << model.inputName << "' is "
             << model.inputType << " (" << elements << " values)";
    }
    into = std::move(*set);
    return success();
  };
  if (failed(load(calibrationImages, calibrationLabels, calibrationOffset,
                  calibrationCount, "calibration", calibrationData)))
    return failure();
  bool trains = heads.empty();
  if (trains && !trainingImages.empty()) {
    if (trainingLabels.empty())
      return emitError(module.getLoc()) << "training-images needs training-labels";
    if (failed(load(trainingImages, trainingLabels, trainingOffset,
                    trainingCount, "training", trainingData)))
      return failure();
    training = {&trainingData, 0, trainingData.numSamples};
    calibration = {&calibrationData, 0, calibrationData.numSamples};
  } else if (trains) {
    if (!(headTrainFraction > 0 && headTrainFraction < 1))
      return emitError(module.getLoc()) << "head-train-fraction must be in (0, 1), got "
                                << headTrainFraction;
    int64_t n = calibrationData.numSamples;
    int64_t split = static_cast<int64_t>(std::floor(n * headTrainFraction));
    if (split < 1 || split >= n)
      return emitError(module.getLoc())
             << "calibration data: " << n
             << " samples are too few to train heads on "
             << headTrainFraction << " of them and calibrate on the rest";
    training = {&calibrationData, 0, split};
    calibration = {&calibrationData, split, n};
  } else {
    calibration = {&calibrationData, 0, calibrationData.numSamples};
  }
  return success();
}

/// The largest head-grid accepted (a grid beyond any real feature map).
constexpr int64_t kMaxHeadGrid = 1024;

/// The grid pooling of a trained head on an H x W map: the largest g <=
/// head-grid (and <= H, W) whose windows tile the map exactly.
void choosePooling(Head &head, ArrayRef<int64_t> hw, int64_t maxGrid) {
  // From the largest grid that can fit, so the loop is bounded by the map.
  int64_t first = std::max<int64_t>(1, std::min({maxGrid, hw[0], hw[1]}));
  for (int64_t g = first; g >= 1; --g) {
    if (g > hw[0] || g > hw[1])
      continue;
    std::array<int64_t, 2> k, s;
    bool ok = true;
    for (int d = 0; d < 2; ++d) {
      k[d] = (hw[d] + g - 1) / g;
      s[d] = g > 1 ? (hw[d] - k[d]) / (g - 1) : 1;
      ok &= g == 1 || (hw[d] - k[d]) % (g - 1) == 0;
    }
    if (!ok)
      continue;
    head.grid = g;
    head.kernel = g == 1 ? std::array<int64_t, 2>{hw[0], hw[1]} : k;
    head.stride = s;
    return;
  }
}

/// The features of a trained head: channel-major window means.
void poolFeatures(const Head &head, ArrayRef<float> map, int64_t channels,
                  ArrayRef<int64_t> hw, float *out) {
  int64_t g = head.grid;
  for (int64_t c = 0; c < channels; ++c)
    for (int64_t i = 0; i < g; ++i)
      for (int64_t j = 0; j < g; ++j) {
        double sum = 0;
        for (int64_t y = 0; y < head.kernel[0]; ++y)
          for (int64_t x = 0; x < head.kernel[1]; ++x)
            sum += map[(c * hw[0] + i * head.stride[0] + y) * hw[1] +
                       j * head.stride[1] + x];
        *out++ = static_cast<float>(sum / (head.kernel[0] * head.kernel[1]));
      }
}

LogicalResult InsertEarlyExitsPass::probe() {
  bool trains = heads.empty();
  if (trains)
    for (size_t c = 0; c < model.cuts.size(); ++c) {
      Head head;
      head.cut = c;
      head.source = "trained";
      auto type = cast<RankedTensorType>(model.cuts[c].value.getType());
      choosePooling(head, type.getShape().drop_front(2), headGrid);
      heads.push_back(std::move(head));
    }

  // The probe: the model returning the answer, the split values (trained
  // heads) or the heads' logits.
  OwningOpRef<ModuleOp> copy(module.clone());
  func::FuncOp func = *copy->getOps<func::FuncOp>().begin();
  IRMapping map;
  {
    // Map the original values to the copy's by position.
    Block &from = model.func.getBody().front(), &to = func.getBody().front();
    map.map(from.getArguments(), to.getArguments());
    for (auto [a, b] : llvm::zip_equal(from, to))
      map.map(a.getResults(), b.getResults());
  }
  SmallVector<Value> results{map.lookup(model.output)};
  for (const Head &head : heads)
    results.push_back(map.lookup(trains ? model.cuts[head.cut].value
                                        : head.logits));
  auto ret = cast<func::ReturnOp>(func.getBody().front().getTerminator());
  OpBuilder builder(ret);
  func::ReturnOp::create(builder, ret.getLoc(), results);
  ret.erase();
  func.setType(FunctionType::get(&getContext(), func.getArgumentTypes(),
                                 ValueRange(results).getTypes()));
  SmallVector<Attribute> resultAttrs;
  for (size_t i = 0; i < results.size(); ++i)
    resultAttrs.push_back(builder.getDictionaryAttr(builder.getNamedAttr(
        kNameAttr, builder.getStringAttr("probe" + std::to_string(i)))));
  func.setAllResultAttrs(resultAttrs);

  std::string error;
  if (failed(compileModule(*copy, small->id, error)))
    return emitError(model.func.getLoc())
           << "the model does not compile for chip " << small->id << " ('" << small->name
           << "'): " << error;
  ScheduleAnalysis schedule(*copy);
  if (schedule.failed())
    return emitError(model.func.getLoc()) << "the model cannot be scheduled on chip "
                                    << small->id;
  FailureOr<rt::Model> probeModel = loadCompiled(*copy, schedule, error);
  if (failed(probeModel))
    return emitError(module.getLoc()) << "the probe does not load: " << error;

  size_t numHeads = heads.size();
  std::vector<int64_t> featureCount(numHeads, 0);
  auto features = [&](const Head &head) -> std::pair<int64_t, SmallVector<int64_t>> {
    auto type = cast<RankedTensorType>(model.cuts[head.cut].value.getType());
    return {type.getDimSize(1), SmallVector<int64_t>(type.getShape().drop_front(2))};
  };
  for (size_t h = 0; h < numHeads; ++h)
    featureCount[h] = trains ? features(heads[h]).first * heads[h].grid *
                                   heads[h].grid
                             : model.classes;
  auto collect = [&](const Samples &samples, bool isCalibration,
                     std::vector<std::vector<float>> &into) -> LogicalResult {
    into.assign(numHeads, {});
    for (size_t h = 0; h < numHeads; ++h)
      into[h].resize(samples.size() * featureCount[h]);
    if (isCalibration)
      fullCorrect.assign(samples.size(), 0);
    return simulate(
        *probeModel, model.inputName, samples,
        [&](int64_t i, const rt::RunResult &result) {
          if (isCalibration) {
            std::vector<float> answer = floatsOf(result.outputs, "probe0");
            fullCorrect[i] = argmax(answer) == samples.label(i);
          }
          for (size_t h = 0; h < numHeads; ++h) {
            std::vector<float> value = floatsOf(
                result.outputs, "probe" + std::to_string(h + 1));
            float *out = into[h].data() + i * featureCount[h];
            if (trains) {
              auto [channels, hw] = features(heads[h]);
              poolFeatures(heads[h], value, channels, hw, out);
            } else {
              std::copy(value.begin(), value.end(), out);
            }
          }
        },
        error);
  };
  if (failed(collect(calibration, true, calibFeatures)))
    return emitError(module.getLoc()) << "simulating the calibration samples: "
                              << error;
  if (trains && failed(collect(training, false, trainFeatures)))
    return emitError(module.getLoc()) << "simulating the training samples: " << error;
  fullAccuracy = 0;
  for (uint8_t c : fullCorrect)
    fullAccuracy += c;
  fullAccuracy /= static_cast<double>(calibration.size());
  return success();
}

LogicalResult InsertEarlyExitsPass::trainHeads() {
  bool trains = heads.front().source == "trained";
  int64_t n = calibration.size();
  for (auto [h, head] : llvm::enumerate(heads)) {
    int64_t features = trains ? static_cast<int64_t>(calibFeatures[h].size()) / n
                              : model.classes;
    if (trains) {
      std::vector<int32_t> labels(training.size());
      for (int64_t i = 0; i < training.size(); ++i)
        labels[i] = training.label(i);
      ml::LogisticRegressionOptions options;
      options.l2 = l2;
      llvm::Expected<ml::LinearClassifier> classifier =
          ml::trainLogisticRegression(trainFeatures[h], training.size(),
                                      features, labels, model.classes, options,
                                      &head.training);
      if (!classifier)
        return emitError(module.getLoc())
               << "training the exit head " << model.cuts[head.cut].label
               << ": " << llvm::toString(classifier.takeError());
      head.classifier = std::move(*classifier);
    }
    head.confidence.resize(n);
    head.correct.resize(n);
    std::vector<float> logits(model.classes);
    int64_t right = 0;
    for (int64_t i = 0; i < n; ++i) {
      const float *x = calibFeatures[h].data() + i * features;
      if (trains)
        head.classifier.logits(x, logits.data());
      else
        std::copy(x, x + model.classes, logits.begin());
      head.confidence[i] = confidenceOf(logits, confidenceMeasure);
      head.correct[i] = argmax(logits) == calibration.label(i);
      right += head.correct[i];
    }
    head.accuracy = static_cast<double>(right) / n;
  }
  return success();
}

void InsertEarlyExitsPass::buildPrograms(ModuleOp into, const Design &design,
                                         Operation *before) {
  MLIRContext *ctx = &getContext();
  OpBuilder builder(ctx);
  if (before)
    builder.setInsertionPoint(before);
  else
    builder.setInsertionPointToEnd(into.getBody());
  Location loc = model.func.getLoc();
  std::string base = model.func.getSymName().str();

  auto smallProgram = ProgramOp::create(builder, loc, base + "_small",
                                        static_cast<uint64_t>(small->id));
  auto bigProgram = ProgramOp::create(builder, loc, base + "_big",
                                      static_cast<uint64_t>(big->id));
  const Cut &split = model.cuts[heads[design.heads.back()].cut];

  // Clones `op` after the constants it reads.
  auto cloneWith = [&](OpBuilder &b, Operation *op, IRMapping &map) {
    for (Value operand : op->getOperands())
      if (auto constant = operand.getDefiningOp<arith::ConstantOp>();
          constant && !map.contains(operand))
        b.clone(*constant, map);
    b.clone(*op, map);
  };
  auto f32Tensor = [&](ArrayRef<int64_t> shape) {
    return RankedTensorType::get(shape, builder.getF32Type());
  };

  // The small chip: the backbone up to the split, a gate after each head.
  {
    OpBuilder b = OpBuilder::atBlockEnd(&smallProgram.getBody().emplaceBlock());
    IRMapping map;
    map.map(model.input,
            InputOp::create(b, model.input.getLoc(), model.inputType,
                            model.inputName)
                .getOutput());
    size_t next = 0;
    for (auto [k, h] : llvm::enumerate(design.heads)) {
      const Head &head = heads[h];
      const Cut &cut = model.cuts[head.cut];
      for (; next < cut.position; ++next)
        cloneWith(b, model.backbone[next], map);
      Value features = map.lookup(cut.value);
      Location gateLoc = NameLoc::get(
          b.getStringAttr("exit" + std::to_string(k + 1)), cut.value.getLoc());
      Value logits, answer;
      if (head.source == "trained") {
        auto type = cast<RankedTensorType>(cut.value.getType());
        int64_t channels = type.getDimSize(1), g = head.grid;
        // With 1x1 windows the grid is the map: the head reads it whole.
        Value pooled = features;
        if (head.kernel != std::array<int64_t, 2>{1, 1}) {
          if (g == 1)
            pooled = GlobalAvgPoolOp::create(b, gateLoc,
                                             f32Tensor({1, channels, 1, 1}),
                                             features);
          else
            pooled = AvgPool2DOp::create(b, gateLoc,
                                         f32Tensor({1, channels, g, g}),
                                         features, head.kernel, head.stride);
        }
        int64_t f = channels * g * g;
        Value flat = ReshapeOp::create(b, gateLoc, f32Tensor({1, f}), pooled);
        Value weights = arith::ConstantOp::create(
            b, gateLoc,
            DenseElementsAttr::get(f32Tensor({model.classes, f}),
                                   ArrayRef<float>(head.classifier.weights)));
        Value bias = arith::ConstantOp::create(
            b, gateLoc,
            DenseElementsAttr::get(f32Tensor({model.classes}),
                                   ArrayRef<float>(head.classifier.bias)));
        logits = GemmOp::create(b, gateLoc, f32Tensor({1, model.classes}), flat,
                                weights, bias, llvm::APFloat(1.0f),
                                llvm::APFloat(1.0f), false, true);
      } else {
        for (Operation *op : head.ops)
          cloneWith(b, op, map);
        logits = map.lookup(head.logits);
        if (head.answer)
          answer = map.lookup(head.answer);
      }
      // Answer in the form of the model's output.
      if (logits.getType() != model.output.getType())
        logits = ReshapeOp::create(b, gateLoc, model.output.getType(), logits);
      if (!answer && model.probabilities)
        answer = SoftmaxOp::create(b, gateLoc, logits, b.getI64IntegerAttr(-1));
      bool escalates = k + 1 == design.heads.size();
      ExitGateOp::create(
          b, gateLoc, logits, escalates ? features : Value(), answer,
          confidenceMeasure,
          llvm::APFloat(static_cast<float>(design.thresholds[k])),
          model.outputName,
          escalates ? b.getI64IntegerAttr(big->id) : IntegerAttr(),
          escalates ? b.getI64IntegerAttr(0) : IntegerAttr());
    }
  }
  // The big chip: the rest, from the received feature map.
  {
    OpBuilder b = OpBuilder::atBlockEnd(&bigProgram.getBody().emplaceBlock());
    IRMapping map;
    map.map(split.value,
            RecvOp::create(b, split.value.getLoc(), split.value.getType(),
                           static_cast<uint64_t>(small->id), uint64_t{0})
                .getOutput());
    for (size_t p = split.position; p < model.backbone.size(); ++p)
      cloneWith(b, model.backbone[p], map);
    OutputOp::create(b, model.output.getLoc(), model.outputName,
                     map.lookup(model.output));
  }
}

/// Energy and latency of each path from the exact budgets: a chip that ran
/// pays its budget and idle power from its halt to the input's end; a chip
/// that did not run sleeps through it.
LogicalResult InsertEarlyExitsPass::costDesign(Design &design,
                                               std::string &error) {
  OwningOpRef<ModuleOp> copy(ModuleOp::create(module.getLoc()));
  (*copy)->setAttr(NPUDialect::getSystemAttrName(),
                   module->getAttr(NPUDialect::getSystemAttrName()));
  Design placeholder = design;
  placeholder.thresholds.assign(design.heads.size(), 0.5);
  buildPrograms(*copy, placeholder);
  if (failed(compileModule(*copy, small->id, error)))
    return failure();
  ScheduleAnalysis schedule(*copy);
  if (schedule.failed()) {
    error = "the design cannot be scheduled";
    return failure();
  }
  const ProgramBudget *smallBudget = nullptr, *bigBudget = nullptr;
  for (const ProgramBudget &b : schedule.getBudgets())
    (b.chip == small->id ? smallBudget : bigBudget) = &b;
  auto find = [](const ProgramBudget *b, StringRef path) -> const PathBudget * {
    for (const PathBudget &p : b->paths)
      if (p.path == path)
        return &p;
    return nullptr;
  };
  design.paths.clear();
  for (size_t k = 0; k <= design.heads.size(); ++k) {
    bool full = k == design.heads.size();
    const PathBudget *a =
        find(smallBudget, full ? "full" : "exit " + std::to_string(k + 1));
    const PathBudget *bb = full ? find(bigBudget, "full") : nullptr;
    if (!a || (full && !bb)) {
      error = "a path of the design has no budget";
      return failure();
    }
    auto end = [](const rt::ChipDesc *chip, const PathBudget *b) {
      if (!b)
        return ChipEnd{chip, false, 0, 0};
      return ChipEnd{chip, true,
                     static_cast<double>((b->startCycle + b->cycles) *
                                         chip->picosecondsPerCycle()),
                     static_cast<double>(b->energyFj)};
    };
    PathCost cost = endToEnd({end(small, a), end(big, bb)});
    design.paths.push_back(cost);
  }
  return success();
}

/// Picks the design's thresholds: every gate but the last over quantiles of
/// its confidences, the last over every distinct confidence of the samples
/// still undecided.
void InsertEarlyExitsPass::searchThresholds(Design &design) {
  int64_t n = calibration.size();
  size_t gates = design.heads.size();
  double floorAccuracy = fullAccuracy - maxAccuracyDrop / 100.0 - 1e-12;
  Design best = design;
  best.feasible = false;
  SmallVector<double> thresholds(gates, 1.0);

  // The accuracy the cascade loses against the full model must stay within
  // max-accuracy-drop with the requested confidence: the mean of the paired
  // differences d_i = full_i - cascade_i (in {-1, 0, 1}) plus z standard
  // errors. `changed` counts the samples with d_i != 0.
  double z = normalQuantile(accuracyConfidence);
  auto consider = [&](ArrayRef<int64_t> exits, int64_t right,
                      int64_t changed) {
    Design d = design;
    d.thresholds.assign(thresholds.begin(), thresholds.end());
    int64_t escalated = n;
    d.exitRates.clear();
    d.energyFj = d.latencyPs = 0;
    for (size_t k = 0; k < gates; ++k) {
      d.exitRates.push_back(static_cast<double>(exits[k]) / n);
      escalated -= exits[k];
      d.energyFj += d.exitRates.back() * d.paths[k].energyFj;
      d.latencyPs += d.exitRates.back() * d.paths[k].latencyPs;
    }
    d.escalationRate = static_cast<double>(escalated) / n;
    d.energyFj += d.escalationRate * d.paths.back().energyFj;
    d.latencyPs += d.escalationRate * d.paths.back().latencyPs;
    d.accuracy = static_cast<double>(right) / n;
    double drop = fullAccuracy - d.accuracy;
    double variance = static_cast<double>(changed) / n - drop * drop;
    d.dropBound = drop + z * std::sqrt(std::max(0.0, variance) / n);
    d.feasible = d.accuracy >= floorAccuracy &&
                 d.dropBound <= maxAccuracyDrop / 100.0 + 1e-12;
    auto key = [](const Design &x) {
      return std::make_tuple(!x.feasible, x.energyFj, x.latencyPs);
    };
    if (!best.feasible && !best.exitRates.empty() && !d.feasible)
      return; // keep the first infeasible one as a placeholder
    if (best.exitRates.empty() || key(d) < key(best))
      best = std::move(d);
  };

  // Recursion over the gates; `open` are the samples no earlier gate took.
  SmallVector<int64_t> exits(gates, 0);
  std::function<void(size_t, ArrayRef<int64_t>, int64_t, int64_t)> search =
      [&](size_t k, ArrayRef<int64_t> open, int64_t right, int64_t changed) {
        const Head &head = heads[design.heads[k]];
        SmallVector<int64_t> order(open.begin(), open.end());
        llvm::stable_sort(order, [&](int64_t a, int64_t b) {
          return head.confidence[a] > head.confidence[b];
        });
        bool last = k + 1 == gates;
        if (last) {
          // Exits are a prefix of `order`; the rest go to the big chip.
          int64_t fullRight = 0;
          for (int64_t i : order)
            fullRight += fullCorrect[i];
          int64_t headRight = 0, headChanged = 0;
          for (size_t j = 1; j <= order.size(); ++j) {
            int64_t i = order[j - 1];
            headRight += head.correct[i];
            headChanged += head.correct[i] != fullCorrect[i];
            fullRight -= fullCorrect[i];
            double c = head.confidence[i];
            if (j < order.size() && head.confidence[order[j]] == c)
              continue; // not a boundary between distinct confidences
            double below = j < order.size() ? head.confidence[order[j]] : 0.0;
            thresholds[k] = (c + below) / 2;
            exits[k] = static_cast<int64_t>(j);
            consider(exits, right + headRight + fullRight,
                     changed + headChanged);
          }
          return;
        }
        // Quantile thresholds; each leaves the rest to the next gates.
        SmallVector<size_t> cuts;
        for (int q = 1; q <= kThresholdGrid; ++q)
          cuts.push_back(order.size() * q / (kThresholdGrid + 1));
        cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
        for (size_t j : cuts) {
          if (j == 0)
            continue;
          // Move j back to a boundary between distinct confidences.
          while (j > 0 && j < order.size() &&
                 head.confidence[order[j]] == head.confidence[order[j - 1]])
            --j;
          if (j == 0)
            continue;
          int64_t headRight = 0, headChanged = 0;
          for (size_t t = 0; t < j; ++t) {
            headRight += head.correct[order[t]];
            headChanged += head.correct[order[t]] != fullCorrect[order[t]];
          }
          double below = j < order.size() ? head.confidence[order[j]] : 0.0;
          thresholds[k] = (head.confidence[order[j - 1]] + below) / 2;
          exits[k] = static_cast<int64_t>(j);
          search(k + 1, ArrayRef<int64_t>(order).drop_front(j),
                 right + headRight, changed + headChanged);
        }
      };
  SmallVector<int64_t> all(n);
  std::iota(all.begin(), all.end(), 0);
  search(0, all, 0, 0);
  design = std::move(best);
}

FailureOr<PathCost> InsertEarlyExitsPass::costAlone(int64_t chip,
                                                    std::string &error) {
  OwningOpRef<ModuleOp> copy(module.clone());
  if (failed(compileModule(*copy, chip, error)))
    return failure();
  ScheduleAnalysis schedule(*copy);
  if (schedule.failed() || schedule.getBudgets().empty()) {
    error = "cannot be scheduled";
    return failure();
  }
  const PathBudget &full = schedule.getBudgets().front().paths.back();
  const rt::ChipDesc *desc = system.findChip(chip);
  return PathCost{static_cast<double>(full.energyFj),
                  static_cast<double>(full.startCycle + full.cycles) *
                      desc->picosecondsPerCycle()};
}

/// Runs the compiled cascade on the calibration samples and records what it
/// measured.
LogicalResult InsertEarlyExitsPass::measureCascade(ModuleOp programs,
                                                   const Design &design) {
  OwningOpRef<ModuleOp> copy(programs.clone());
  std::string error;
  if (failed(compileModule(*copy, small->id, error)))
    return emitError(module.getLoc()) << "the cascade does not compile: " << error;
  ScheduleAnalysis schedule(*copy);
  if (schedule.failed())
    return emitError(module.getLoc()) << "the cascade cannot be scheduled";
  FailureOr<rt::Model> cascade = loadCompiled(*copy, schedule, error);
  if (failed(cascade))
    return emitError(module.getLoc()) << "the cascade does not load: " << error;
  int64_t n = calibration.size();
  size_t gates = design.heads.size();
  // Per sample: the exit taken (gates = escalated), right or not, energy,
  // latency.
  std::vector<int64_t> taken(n);
  std::vector<uint8_t> right(n);
  std::vector<double> energy(n), latency(n);
  if (failed(simulate(
          *cascade, model.inputName, calibration,
          [&](int64_t i, const rt::RunResult &result) {
            const rt::ChipMeasurement *a = result.findChip(small->id);
            const rt::ChipMeasurement *b = result.findChip(big->id);
            taken[i] = static_cast<int64_t>(gates);
            if (a && a->path.rfind("exit ", 0) == 0)
              taken[i] = std::stoll(a->path.substr(5)) - 1;
            right[i] = argmax(floatsOf(result.outputs, model.outputName)) ==
                       calibration.label(i);
            SmallVector<ChipEnd, 2> ends;
            for (const rt::ChipMeasurement *m : {a, b})
              if (m)
                ends.push_back(
                    {system.findChip(m->chip), m->ran,
                     static_cast<double>((m->startCycle + m->cycles) *
                                         m->picosecondsPerCycle),
                     static_cast<double>(m->energyFj)});
            PathCost cost = endToEnd(ends);
            energy[i] = cost.energyFj;
            latency[i] = cost.latencyPs;
          },
          error)))
    return emitError(module.getLoc()) << "running the cascade on the calibration "
                                 "samples: "
                              << error;
  // Counts first, one division each: a rate is then the nearest double to
  // count / n, not a sum of n roundings.
  SmallVector<int64_t> exits(gates + 1, 0);
  measuredAccuracy = measuredEnergy = measuredLatency = 0;
  for (int64_t i = 0; i < n; ++i) {
    ++exits[std::min<int64_t>(taken[i], gates)];
    measuredAccuracy += right[i];
    measuredEnergy += energy[i];
    measuredLatency += latency[i];
  }
  measuredExitRates.clear();
  for (size_t k = 0; k < gates; ++k)
    measuredExitRates.push_back(static_cast<double>(exits[k]) / n);
  measuredEscalation = static_cast<double>(exits[gates]) / n;
  measuredAccuracy /= n;
  measuredEnergy /= n;
  measuredLatency /= n;
  return success();
}

LogicalResult InsertEarlyExitsPass::run() {
  module = getOperation();
  SystemAttr systemAttr = getSystemAttr(module);
  if (!systemAttr)
    return emitError(module.getLoc()) << "npu-insert-early-exits needs the module's '"
                              << NPUDialect::getSystemAttrName()
                              << "' (run --npu-set-system first)";
  system = toSystemDesc(systemAttr);
  small = system.findChip(fromChip);
  big = system.findChip(toChip);
  if (!small || !big || fromChip == toChip)
    return emitError(module.getLoc())
           << "from-chip " << int64_t(fromChip) << " and to-chip "
           << int64_t(toChip)
           << " must be two chips of system '" << system.name << "'";
  if (!system.findLink(fromChip, toChip))
    return emitError(module.getLoc()) << "chips " << int64_t(fromChip) << " and "
                              << int64_t(toChip)
                              << " have no direct link in system '"
                              << system.name << "'";
  std::optional<ConfidenceMeasure> parsed = symbolizeConfidenceMeasure(measure);
  if (!parsed)
    return emitError(module.getLoc()) << "measure must be max_prob, margin or "
                                 "entropy, got '"
                              << measure << "'";
  confidenceMeasure = *parsed;
  if (maxExits < 1 || maxExits > 3)
    return emitError(module.getLoc()) << "max-exits must be 1, 2 or 3, got "
                              << int64_t(maxExits);
  if (!(maxAccuracyDrop >= 0 && maxAccuracyDrop <= 100))
    return emitError(module.getLoc()) << "max-accuracy-drop must be in [0, 100] "
                                 "points, got "
                              << maxAccuracyDrop;
  if (!(accuracyConfidence >= 0.5 && accuracyConfidence < 1))
    return emitError(module.getLoc())
           << "accuracy-confidence must be in [0.5, 1), got "
           << accuracyConfidence;
  if (returnThreshold != -1 && !(returnThreshold >= 0 && returnThreshold <= 1))
    return emitError(module.getLoc()) << "return-threshold must be in [0, 1], got "
                              << returnThreshold;
  if (report != "none" && report != "remarks" && report != "table" &&
      report != "json")
    return emitError(module.getLoc())
           << "report must be none, remarks, table or json, got '" << report
           << "'";
  // The other numeric options, before any of them sizes a loop or a buffer.
  if (headGrid < 1 || headGrid > kMaxHeadGrid)
    return emitError(module.getLoc())
           << "head-grid must be in [1, " << kMaxHeadGrid << "], got "
           << int64_t(headGrid);
  for (auto [name, value] :
       {std::pair<const char *, int64_t>{"calibration-offset",
                                         calibrationOffset},
        {"training-offset", trainingOffset}})
    if (value < 0)
      return emitError(module.getLoc())
             << name << " must be non-negative, got " << value;
  for (auto [name, value] :
       {std::pair<const char *, int64_t>{"calibration-count", calibrationCount},
        {"training-count", trainingCount}})
    if (value < -1 || value == 0)
      return emitError(module.getLoc())
             << name << " must be positive, or -1 for all, got " << value;
  if (!(std::isfinite(l2) && l2 >= 0))
    return emitError(module.getLoc())
           << "l2 must be a non-negative number, got " << l2;
  if (!(std::isfinite(scale) && scale > 0))
    return emitError(module.getLoc())
           << "scale must be a positive number, got " << scale;
  if (!(std::isfinite(minCorrectPerJoule) && minCorrectPerJoule >= 0))
    return emitError(module.getLoc())
           << "min-correct-inferences-per-joule must be a non-negative "
              "number, got "
           << minCorrectPerJoule;
  if (idleWindowNs != -1 && !(idleWindowNs >= 0 && idleWindowNs <= 1e12))
    return emitError(module.getLoc())
           << "idle-window-ns must be -1 (the default) or in [0, 1e12] ns, got "
           << idleWindowNs;
  if (!module.getOps<ProgramOp>().empty())
    return emitError(module.getLoc()) << "npu-insert-early-exits takes one model "
                                 "function, not npu.program ops";
  SmallVector<func::FuncOp> funcs(module.getOps<func::FuncOp>());
  if (funcs.size() != 1)
    return emitError(module.getLoc()) << "npu-insert-early-exits expects exactly one "
                                 "func.func (the model), found "
                              << funcs.size();

  if (failed(analyze(funcs.front())) || failed(findModelHeads()) ||
      failed(loadData()) || failed(probe()) || failed(trainHeads()))
    return failure();

  // Every ordered set of heads at distinct cuts, at most max-exits.
  size_t numHeads = heads.size();
  std::string error;
  for (uint64_t mask = 1; mask < (uint64_t{1} << numHeads); ++mask) {
    Design design;
    for (size_t h = 0; h < numHeads; ++h)
      if (mask & (uint64_t{1} << h))
        design.heads.push_back(h);
    if (design.heads.size() > static_cast<size_t>(maxExits))
      continue;
    if (failed(costDesign(design, error)))
      return emitError(model.func.getLoc())
             << "cascade with exits " << model.cuts[heads[design.heads.front()].cut].label
             << " does not compile: " << error;
    searchThresholds(design);
    designs.push_back(std::move(design));
  }
  auto better = [](const Design &a, const Design &b) {
    return std::make_tuple(!a.feasible, a.energyFj, a.latencyPs,
                           a.heads.size()) <
           std::make_tuple(!b.feasible, b.energyFj, b.latencyPs,
                           b.heads.size());
  };
  chosen = 0;
  for (size_t d = 1; d < designs.size(); ++d)
    if (better(designs[d], designs[chosen]))
      chosen = d;
  const Design &design = designs[chosen];
  if (!design.feasible)
    return emitError(model.func.getLoc())
           << "no early-exit design keeps the accuracy within "
           << maxAccuracyDrop << " points (at confidence "
           << accuracyConfidence << ") of the full model's "
           << llvm::formatv("{0:F2}", fullAccuracy * 100)
           << " % on the calibration samples";
  if (FailureOr<PathCost> cost = costAlone(small->id, error); succeeded(cost))
    smallAlone = *cost;
  error.clear();
  if (FailureOr<PathCost> cost = costAlone(big->id, error); succeeded(cost))
    bigAlone = *cost;

  // E4 defaults.
  returnThresholdValue =
      returnThreshold >= 0 ? static_cast<double>(returnThreshold)
                           : design.thresholds.back() +
                                 (1.0 - design.thresholds.back()) / 2;
  if (idleWindowNs >= 0)
    idleWindowPs = static_cast<int64_t>(std::llround(idleWindowNs * 1000));
  else if (big->power.idleMw > big->power.offMw)
    idleWindowPs = big->power.wakeEnergyNj * 1000000 /
                   (big->power.idleMw - big->power.offMw);

  // The programs, measured on the calibration samples.
  OwningOpRef<ModuleOp> programs(ModuleOp::create(module.getLoc()));
  (*programs)->setAttr(NPUDialect::getSystemAttrName(), systemAttr);
  buildPrograms(*programs, design);
  if (failed(measureCascade(*programs, design)))
    return failure();

  double correctPerJoule =
      measuredEnergy > 0 ? measuredAccuracy / (measuredEnergy * 1e-15) : 0;
  if (minCorrectPerJoule > 0 && correctPerJoule < minCorrectPerJoule)
    return emitError(model.func.getLoc())
           << "the best early-exit design delivers "
           << llvm::formatv("{0:F1}", correctPerJoule)
           << " correct inferences per joule on the calibration samples "
              "(accuracy "
           << llvm::formatv("{0:F2}", measuredAccuracy * 100) << " %, "
           << llvm::formatv("{0:F3}", measuredEnergy * 1e-6)
           << " nJ per inference), below min-correct-inferences-per-joule="
           << minCorrectPerJoule;

  // The module: the programs replace the function.
  buildPrograms(module, design, model.func);
  Builder b(&getContext());
  SmallVector<Attribute> gates;
  for (auto [k, h] : llvm::enumerate(design.heads))
    gates.push_back(b.getDictionaryAttr(
        {b.getNamedAttr("split", b.getStringAttr(model.cuts[heads[h].cut].label)),
         b.getNamedAttr("threshold",
                        b.getF64FloatAttr(static_cast<float>(design.thresholds[k]))),
         b.getNamedAttr("exit_rate", b.getF64FloatAttr(measuredExitRates[k]))}));
  module->setAttr(
      kEarlyExitAttrName,
      b.getDictionaryAttr(
          {b.getNamedAttr("measure",
                          b.getStringAttr(stringifyConfidenceMeasure(
                              confidenceMeasure))),
           b.getNamedAttr("output", b.getStringAttr(model.outputName)),
           b.getNamedAttr("answer", b.getStringAttr(model.probabilities
                                                        ? "probabilities"
                                                        : "logits")),
           b.getNamedAttr("from_chip", b.getI64IntegerAttr(small->id)),
           b.getNamedAttr("to_chip", b.getI64IntegerAttr(big->id)),
           b.getNamedAttr("gates", b.getArrayAttr(gates)),
           b.getNamedAttr("return_threshold",
                          b.getF64FloatAttr(returnThresholdValue)),
           b.getNamedAttr("idle_window_ps", b.getI64IntegerAttr(idleWindowPs)),
           b.getNamedAttr("escalation_rate",
                          b.getF64FloatAttr(measuredEscalation)),
           b.getNamedAttr(
               "calibration",
               b.getDictionaryAttr(
                   {b.getNamedAttr("samples",
                                   b.getI64IntegerAttr(calibration.size())),
                    b.getNamedAttr("accuracy",
                                   b.getF64FloatAttr(measuredAccuracy)),
                    b.getNamedAttr("full_accuracy",
                                   b.getF64FloatAttr(fullAccuracy)),
                    b.getNamedAttr("expected_energy_fj",
                                   b.getI64IntegerAttr(
                                       std::llround(measuredEnergy))),
                    b.getNamedAttr("expected_latency_ps",
                                   b.getI64IntegerAttr(
                                       std::llround(measuredLatency)))}))}));
  if (failed(writeReport(module)))
    return failure();
  model.func.erase();
  return success();
}

//===----------------------------------------------------------------------===//
// Report.
//===----------------------------------------------------------------------===//

std::string percent(double v) { return llvm::formatv("{0:F2}", v * 100); }
std::string nanojoules(double fj) { return llvm::formatv("{0:F3}", fj * 1e-6); }
std::string nanoseconds(double ps) { return llvm::formatv("{0:F1}", ps * 1e-3); }

LogicalResult InsertEarlyExitsPass::writeReport(ModuleOp module) {
  if (report == "none")
    return success();
  const Design &design = designs[chosen];
  const PathCost &full = design.paths.back();
  auto gatesOf = [&](const Design &d) {
    std::string s;
    for (auto [k, h] : llvm::enumerate(d.heads))
      s += (k ? " + " : "") + model.cuts[heads[h].cut].label;
    return s;
  };
  auto thresholdsOf = [&](const Design &d) {
    std::string s;
    for (auto [k, t] : llvm::enumerate(d.thresholds))
      s += (k ? "/" : "") + llvm::formatv("{0:F4}", t).str();
    return s;
  };
  auto ratesOf = [&](ArrayRef<double> rates) {
    std::string s;
    for (auto [k, r] : llvm::enumerate(rates))
      s += (k ? "/" : "") + percent(r);
    return s;
  };
  double correctPerJoule =
      measuredEnergy > 0 ? measuredAccuracy / (measuredEnergy * 1e-15) : 0;

  if (report == "remarks") {
    emitRemark(module.getLoc())
        << "early exit: " << gatesOf(design) << ", thresholds "
        << thresholdsOf(design) << ", exit rates " << ratesOf(measuredExitRates)
        << " %, escalations " << percent(measuredEscalation)
        << " %, accuracy " << percent(measuredAccuracy) << " % (full "
        << percent(fullAccuracy) << " %), energy "
        << nanojoules(measuredEnergy) << " nJ (always full "
        << nanojoules(full.energyFj) << " nJ), latency "
        << nanoseconds(measuredLatency) << " ns (always full "
        << nanoseconds(full.latencyPs) << " ns)";
    return success();
  }

  std::string errorMessage;
  std::unique_ptr<llvm::ToolOutputFile> file =
      openOutputFile(reportFile, &errorMessage);
  if (!file)
    return emitError(module.getLoc()) << "cannot write the report: " << errorMessage;
  llvm::raw_ostream &os = file->os();
  if (report == "json") {
    llvm::json::OStream j(os, 2);
    j.object([&] {
      j.attribute("system", system.name);
      j.attribute("from_chip", small->id);
      j.attribute("to_chip", big->id);
      j.attribute("measure", stringifyConfidenceMeasure(confidenceMeasure));
      j.attribute("calibration_samples", calibration.size());
      j.attribute("training_samples", training.size());
      j.attribute("full_accuracy", fullAccuracy);
      j.attributeArray("heads", [&] {
        for (const Head &head : heads)
          j.object([&] {
            j.attribute("split", model.cuts[head.cut].label);
            j.attribute("source", head.source);
            if (head.source == "trained") {
              j.attribute("grid", head.grid);
              j.attribute("features", head.classifier.numFeatures);
              j.attribute("train_accuracy", head.training.trainAccuracy);
            }
            j.attribute("accuracy", head.accuracy);
          });
      });
      auto designJson = [&](const Design &d) {
        j.attributeArray("exits", [&] {
          for (size_t h : d.heads)
            j.value(model.cuts[heads[h].cut].label);
        });
        j.attributeArray("thresholds", [&] {
          for (double t : d.thresholds)
            j.value(t);
        });
        j.attributeArray("exit_rates", [&] {
          for (double r : d.exitRates)
            j.value(r);
        });
        j.attribute("escalation_rate", d.escalationRate);
        j.attribute("accuracy", d.accuracy);
        j.attribute("expected_energy_fj", d.energyFj);
        j.attribute("expected_latency_ps", d.latencyPs);
        j.attribute("always_full_energy_fj", d.paths.back().energyFj);
        j.attribute("always_full_latency_ps", d.paths.back().latencyPs);
        j.attribute("feasible", d.feasible);
      };
      j.attributeArray("designs", [&] {
        for (const Design &d : designs)
          j.object([&] { designJson(d); });
      });
      j.attributeObject("chosen", [&] {
        designJson(design);
        j.attributeObject("measured", [&] {
          j.attributeArray("exit_rates", [&] {
            for (double r : measuredExitRates)
              j.value(r);
          });
          j.attribute("escalation_rate", measuredEscalation);
          j.attribute("accuracy", measuredAccuracy);
          j.attribute("energy_fj", measuredEnergy);
          j.attribute("latency_ps", measuredLatency);
          j.attribute("correct_inferences_per_joule", correctPerJoule);
        });
        j.attribute("return_threshold", returnThresholdValue);
        j.attribute("idle_window_ps", idleWindowPs);
      });
      for (const auto &entry : {std::make_pair("small_chip_alone", smallAlone),
                                std::make_pair("big_chip_alone", bigAlone)}) {
        const std::optional<PathCost> &alone = entry.second;
        if (alone)
          j.attributeObject(entry.first, [&] {
            j.attribute("energy_fj", alone->energyFj);
            j.attribute("latency_ps", alone->latencyPs);
          });
      }
    });
    os << "\n";
  } else {
    os << llvm::formatv("Early exits on system '{0}': chip {1} '{2}' -> chip "
                        "{3} '{4}', measure {5}\n",
                        system.name, small->id, small->name, big->id, big->name,
                        stringifyConfidenceMeasure(confidenceMeasure));
    os << llvm::formatv("calibration: {0} samples (full model {1} %); heads: "
                        "{2}\n",
                        calibration.size(), percent(fullAccuracy),
                        heads.front().source == "trained"
                            ? llvm::formatv("trained on {0} samples",
                                            training.size())
                                  .str()
                            : std::string("from the model"));
    os << "heads:\n";
    for (const Head &head : heads) {
      os << llvm::formatv("  {0,-48} {1}", model.cuts[head.cut].label,
                          head.source == "trained"
                              ? llvm::formatv("grid {0}, {1} features",
                                              head.grid,
                                              head.classifier.numFeatures)
                                    .str()
                              : "output '" + head.source + "'");
      os << llvm::formatv(", accuracy {0} %\n", percent(head.accuracy));
    }
    auto row = [&](StringRef thresholds, StringRef rates, double accuracy,
                   double energyFj, double latencyPs, StringRef what) {
      os << llvm::formatv("  {0,-15} {1,-13} {2,7} {3,12} {4,10}  {5}\n",
                          thresholds, rates, percent(accuracy),
                          nanojoules(energyFj), nanoseconds(latencyPs), what);
    };
    os << llvm::formatv("  {0,-15} {1,-13} {2,7} {3,12} {4,10}  {5}\n",
                        "thresholds", "exit rates %", "acc %", "E[nJ]",
                        "E[lat] ns", "design: exits after");
    for (auto [d, x] : llvm::enumerate(designs))
      row(thresholdsOf(x), ratesOf(x.exitRates), x.accuracy, x.energyFj,
          x.latencyPs,
          gatesOf(x) + (d == chosen ? "  <- chosen"
                                    : (x.feasible ? "" : "  (too inaccurate)")));
    row("-", "-", fullAccuracy, full.energyFj, full.latencyPs,
        "always escalate (the chosen design's full path)");
    if (smallAlone)
      row("-", "-", fullAccuracy, smallAlone->energyFj, smallAlone->latencyPs,
          "whole model on the small chip (reference)");
    if (bigAlone)
      row("-", "-", fullAccuracy, bigAlone->energyFj, bigAlone->latencyPs,
          "whole model on the big chip, awake (reference)");
    os << llvm::formatv(
        "measured (compiled cascade on the calibration samples): exit rates "
        "{0} %, escalations {1} %, accuracy {2} %, energy {3} nJ, latency {4} "
        "ns, {5} correct inferences per joule\n",
        ratesOf(measuredExitRates), percent(measuredEscalation),
        percent(measuredAccuracy), nanojoules(measuredEnergy),
        nanoseconds(measuredLatency),
        llvm::formatv("{0:F1}", correctPerJoule));
    os << llvm::formatv("E4: return threshold {0:F4}, idle window {1} ns\n",
                        returnThresholdValue, nanoseconds(idleWindowPs));
  }
  file->keep();
  return success();
}

} // namespace
