//===- Driver.cpp - The npu-run command line ------------------------------===//
//
// Order of work: parse the command line, load the model, read and check
// every input, simulate, render every file in memory, then write them. A
// failure at any step stops before anything is written. The files are
// written all or none: each under a temporary name, then all renamed.
//
//===----------------------------------------------------------------------===//

#include "Driver.h"

#include "Report.h"
#include "TensorIO.h"

#include "npu/rt/Model.h"
#include "npu/rt/Simulator.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <map>
#include <new>
#include <optional>
#include <set>

#include <sys/stat.h>
#include <unistd.h>

namespace npu::rt::driver {

namespace {

/// A failure that ends the tool with kExitError; `message` is one line.
struct ToolError {
  std::string message;
};

[[noreturn]] void fail(std::string message) {
  throw ToolError{std::move(message)};
}

std::string quoted(std::string_view text) {
  return "'" + std::string(text) + "'";
}

enum class ReportFormat { Table, Json };

struct Options {
  std::string model;
  /// --input NAME=FILE, in command-line order.
  std::vector<std::pair<std::string, std::string>> inputs;
  std::optional<std::string> outputDir;
  io::FileFormat outputFormat = io::FileFormat::Npy;
  std::optional<ReportFormat> report;
  std::optional<std::string> reportFile;
  std::optional<std::string> trace;
  bool checkBudgets = false;
  /// --stream N: run N inputs as a stream (0: a single run).
  size_t stream = 0;
  /// --batch NAME=FILE, in command-line order: the first dimension of FILE
  /// indexes the inputs.
  std::vector<std::pair<std::string, std::string>> batches;
  /// --labels FILE: an integer class label per input.
  std::optional<std::string> labels;
  /// Early-exit streams: the arrival interval and overrides of the table.
  std::optional<int64_t> arrivalIntervalPs;
  std::optional<int64_t> idleWindowPs;
  std::optional<double> returnThreshold;
  size_t printLimit = 32;
  /// --max-work N: the simulation work the run may ask for.
  int64_t maxWork = kDefaultMaxWork;
  /// --checkpoint-at N with --checkpoint FILE: stop at boundary N and write
  /// the state; --resume FILE: resume from such a state.
  std::optional<uint32_t> checkpointAt;
  std::optional<std::string> checkpointFile;
  std::optional<std::string> resume;
  bool help = false;
};

/// At most this many inputs of a run of several have their outputs printed.
constexpr size_t kPrintedInputs = 8;
/// At most this many inputs get a row in a report table.
constexpr size_t kReportRows = 32;

/// The longest stream npu-run runs.
constexpr size_t kMaxStream = 1000000;

/// The most memory the inputs, outputs and trace events of a run of several
/// inputs may take; npu-run holds them all until it writes its results.
constexpr int64_t kMaxHeldBytes = int64_t(256) << 20;
/// Host bytes of one trace event (TraceEvent and its JSON rendering).
constexpr int64_t kTraceEventBytes = 256;

/// A non-negative decimal integer option value.
size_t parseCount(const std::string &option, const std::string &text) {
  bool ok = !text.empty() && text.size() <= 18;
  for (char c : text)
    ok = ok && c >= '0' && c <= '9';
  if (!ok)
    fail(option + " needs a non-negative integer, not " + quoted(text));
  return std::stoull(text);
}

/// A real option value in [0, 1].
double parseUnit(const std::string &option, const std::string &text) {
  char *end = nullptr;
  double value = text.empty() ? 0 : std::strtod(text.c_str(), &end);
  if (text.empty() || !end || *end != '\0' || !(value >= 0 && value <= 1))
    fail(option + " needs a number in [0, 1], not " + quoted(text));
  return value;
}

/// A NAME=FILE option value.
std::pair<std::string, std::string> parseBinding(const std::string &option,
                                                 const std::string &binding) {
  size_t eq = binding.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == binding.size())
    fail(option + " expects NAME=FILE, got " + quoted(binding));
  return {binding.substr(0, eq), binding.substr(eq + 1)};
}

Options parseArgs(const std::vector<std::string> &args) {
  Options options;
  bool haveModel = false;
  bool optionsEnded = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string &arg = args[i];
    if (optionsEnded || arg.size() < 2 || arg[0] != '-') {
      if (haveModel && i > 0 && args[i - 1] == "--report")
        fail("--report takes its format after '=': --report=" + arg);
      if (haveModel)
        fail("more than one model given (" + quoted(options.model) + " and " +
             quoted(arg) + ")");
      options.model = arg;
      haveModel = true;
      continue;
    }
    if (arg == "--") {
      optionsEnded = true;
      continue;
    }
    std::string name = arg;
    std::optional<std::string> value;
    if (size_t eq = arg.find('='); eq != std::string::npos) {
      name = arg.substr(0, eq);
      value = arg.substr(eq + 1);
    }
    // The value of an option that needs one: after '=' or the next argument.
    auto needValue = [&]() -> std::string {
      if (value)
        return *value;
      if (i + 1 >= args.size())
        fail("option " + quoted(name) + " needs a value");
      return args[++i];
    };
    auto noValue = [&] {
      if (value)
        fail("option " + quoted(name) + " takes no value");
    };

    if (name == "--help" || name == "-h") {
      noValue();
      options.help = true;
    } else if (name == "--input") {
      options.inputs.push_back(parseBinding(name, needValue()));
    } else if (name == "--batch") {
      options.batches.push_back(parseBinding(name, needValue()));
    } else if (name == "--labels") {
      options.labels = needValue();
      if (options.labels->empty())
        fail("--labels needs a file name");
    } else if (name == "--arrival-interval-ps") {
      options.arrivalIntervalPs =
          static_cast<int64_t>(parseCount(name, needValue()));
    } else if (name == "--idle-window-ps") {
      options.idleWindowPs =
          static_cast<int64_t>(parseCount(name, needValue()));
    } else if (name == "--return-threshold") {
      options.returnThreshold = parseUnit(name, needValue());
    } else if (name == "--output-dir") {
      options.outputDir = needValue();
      if (options.outputDir->empty())
        fail("--output-dir needs a directory");
    } else if (name == "--output-format") {
      std::string format = needValue();
      if (format == "npy")
        options.outputFormat = io::FileFormat::Npy;
      else if (format == "pb")
        options.outputFormat = io::FileFormat::Pb;
      else
        fail("--output-format must be 'npy' or 'pb', not " + quoted(format));
    } else if (name == "--report") {
      // The value is optional, so it is only taken after '='.
      if (!value || *value == "table")
        options.report = ReportFormat::Table;
      else if (*value == "json")
        options.report = ReportFormat::Json;
      else
        fail("--report must be 'table' or 'json', not " + quoted(*value));
    } else if (name == "--report-file") {
      options.reportFile = needValue();
      if (options.reportFile->empty())
        fail("--report-file needs a file name");
    } else if (name == "--trace") {
      options.trace = needValue();
      if (options.trace->empty())
        fail("--trace needs a file name");
    } else if (name == "--check-budgets") {
      noValue();
      options.checkBudgets = true;
    } else if (name == "--print-limit") {
      options.printLimit = parseCount(name, needValue());
    } else if (name == "--max-work") {
      size_t work = parseCount(name, needValue());
      if (work == 0)
        fail("--max-work needs a positive number of work units");
      options.maxWork = static_cast<int64_t>(work);
    } else if (name == "--checkpoint-at") {
      size_t index = parseCount(name, needValue());
      if (index == 0 || index > UINT32_MAX)
        fail("--checkpoint-at needs an instruction index from 1 to 2^32-1 "
             "(a boundary of the program's checkpoint table)");
      options.checkpointAt = static_cast<uint32_t>(index);
    } else if (name == "--checkpoint") {
      options.checkpointFile = needValue();
      if (options.checkpointFile->empty())
        fail("--checkpoint needs a file name");
    } else if (name == "--resume") {
      options.resume = needValue();
      if (options.resume->empty())
        fail("--resume needs a checkpoint file");
    } else if (name == "--stream") {
      options.stream = parseCount(name, needValue());
      if (options.stream == 0 || options.stream > kMaxStream)
        fail("--stream needs a number of inputs from 1 to " +
             std::to_string(kMaxStream) + ", not " +
             std::to_string(options.stream));
    } else {
      fail("unknown option " + quoted(name) + " (see npu-run --help)");
    }
  }
  if (options.help)
    return options;
  if (!haveModel)
    fail("no model given (usage: npu-run MODEL.npub --input NAME=FILE ...; "
         "see npu-run --help)");
  if (options.reportFile && !options.report)
    options.report = ReportFormat::Table;
  if (options.checkpointAt.has_value() != options.checkpointFile.has_value())
    fail("--checkpoint-at N and --checkpoint FILE go together: stop at "
         "boundary N and write the state to FILE");
  if (options.checkpointAt && options.resume)
    fail("--checkpoint-at and --resume exclude each other");
  if ((options.checkpointAt || options.resume) &&
      (options.stream || !options.batches.empty()))
    fail(std::string(options.resume ? "--resume" : "--checkpoint-at") +
         " runs one input; it does not combine with --stream or --batch");
  if (options.checkpointAt &&
      (options.outputDir || options.report || options.trace || options.labels))
    fail("--checkpoint-at writes only the checkpoint; it does not combine "
         "with --output-dir, --report, --trace or --labels");
  return options;
}

/// A file name for output `name`: characters other than letters, digits,
/// '.', '-' and '_' become '_', so that a name from the binary cannot point
/// outside the output directory.
std::string safeFileName(const std::string &name) {
  std::string out;
  for (char c : name) {
    bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
    out += safe ? c : '_';
  }
  if (out.empty() || out == "." || out == "..")
    out = "_" + out;
  return out;
}

std::string signatureText(const TensorSignature &sig) {
  return io::describe(io::fromDType(sig.dtype), sig.shape);
}

std::string listNames(const std::vector<TensorSignature> &sigs) {
  std::string names;
  for (const TensorSignature &sig : sigs)
    names += (names.empty() ? "" : ", ") + sig.name + " " + signatureText(sig);
  return names.empty() ? "none" : names;
}

/// The inputs of a run: per input name its tensors, which the inputs take
/// in turn (input i the tensor i mod count).
struct InputTensors {
  std::map<std::string, std::vector<std::vector<uint8_t>>> tensors;
  /// The number of inputs the --batch files hold (0 without --batch).
  size_t batch = 0;
};

const TensorSignature &inputSignature(const Model &model,
                                      const std::string &name) {
  for (const TensorSignature &candidate : model.inputs)
    if (candidate.name == name)
      return candidate;
  fail("unknown input " + quoted(name) +
       " (the model's inputs: " + listNames(model.inputs) + ")");
}

/// Reads a --batch file: its first dimension indexes the inputs, the rest is
/// the input's signature shape (or that shape without its leading 1).
std::vector<std::vector<uint8_t>> readBatch(const TensorSignature &sig,
                                            const std::string &file) {
  io::ReadResult read = io::readTensorFile(file);
  if (!read)
    fail("--batch " + quoted(sig.name) + ": " + read.error);
  const io::Tensor &tensor = *read.tensor;
  std::vector<int64_t> rest;
  if (!tensor.shape.empty())
    rest.assign(tensor.shape.begin() + 1, tensor.shape.end());
  bool squeezed =
      !sig.shape.empty() && sig.shape.front() == 1 &&
      rest == std::vector<int64_t>(sig.shape.begin() + 1, sig.shape.end());
  io::ElementType type = io::fromDType(sig.dtype);
  if (tensor.type != type || tensor.shape.empty() ||
      (rest != sig.shape && !squeezed)) {
    std::vector<int64_t> full = {0};
    full.insert(full.end(), sig.shape.begin(), sig.shape.end());
    std::string expected = io::describe(type, full);
    expected.replace(expected.find('0'), 1, "N");
    if (!sig.shape.empty() && sig.shape.front() == 1) {
      std::vector<int64_t> shorter = {0};
      shorter.insert(shorter.end(), sig.shape.begin() + 1, sig.shape.end());
      std::string alternative = io::describe(type, shorter);
      alternative.replace(alternative.find('0'), 1, "N");
      expected += " or " + alternative;
    }
    fail("--batch " + quoted(sig.name) + " from " + quoted(file) +
         ": expected " + expected + " (N inputs of " + signatureText(sig) +
         "), got " + io::describe(tensor.type, tensor.shape));
  }
  int64_t count = tensor.shape.front();
  if (count == 0)
    fail("--batch " + quoted(sig.name) + " from " + quoted(file) +
         " holds no inputs (its first dimension is 0)");
  std::vector<std::vector<uint8_t>> elements;
  size_t bytes = static_cast<size_t>(sig.bytes);
  for (int64_t i = 0; i < count; ++i)
    elements.emplace_back(tensor.data.begin() + static_cast<long>(i * bytes),
                          tensor.data.begin() +
                              static_cast<long>((i + 1) * bytes));
  return elements;
}

/// Reads every --input and --batch and checks them against the model's
/// signature: per input name, the tensors of its files in command-line
/// order, or the inputs of its batch. Without --stream each --input name is
/// given once; a name is given by --input or by --batch, not both.
InputTensors readInputs(const Model &model, const Options &options) {
  InputTensors result;
  std::map<std::string, std::vector<std::vector<uint8_t>>> &inputs =
      result.tensors;
  std::string firstBatch;
  for (const auto &[name, file] : options.batches) {
    const TensorSignature &sig = inputSignature(model, name);
    if (inputs.count(name))
      fail("input " + quoted(name) + " is given by more than one --batch");
    std::vector<std::vector<uint8_t>> elements = readBatch(sig, file);
    if (result.batch && elements.size() != result.batch)
      fail("--batch " + quoted(name) + " from " + quoted(file) + " holds " +
           std::to_string(elements.size()) + " inputs but " + firstBatch +
           " holds " + std::to_string(result.batch) +
           "; every --batch must hold the same number");
    if (!result.batch)
      firstBatch = "--batch " + quoted(name) + " from " + quoted(file);
    result.batch = elements.size();
    inputs[name] = std::move(elements);
  }
  std::set<std::string> batched;
  for (const auto &[name, file] : options.batches)
    batched.insert(name);
  for (const auto &[name, file] : options.inputs) {
    const TensorSignature *sig = &inputSignature(model, name);
    if (batched.count(name))
      fail("input " + quoted(name) + " is given by both --batch and --input");
    if (inputs.count(name) && options.stream == 0)
      fail("input " + quoted(name) +
           " is given more than once (several files per input need "
           "--stream N)");
    io::ReadResult read = io::readTensorFile(file);
    if (!read)
      fail("input " + quoted(name) + ": " + read.error);
    const io::Tensor &tensor = *read.tensor;
    if (tensor.type != io::fromDType(sig->dtype) || tensor.shape != sig->shape)
      fail("input " + quoted(name) + " from " + quoted(file) + ": expected " +
           signatureText(*sig) + ", got " +
           io::describe(tensor.type, tensor.shape));
    inputs[name].push_back(std::move(read.tensor->data));
  }
  for (const TensorSignature &sig : model.inputs)
    if (!inputs.count(sig.name))
      fail("missing input " + quoted(sig.name) + " (" + signatureText(sig) +
           "); pass --input " + sig.name + "=FILE");
  return result;
}

/// The inputs of stream element `i`: each name's files taken in turn.
TensorMap streamElement(const InputTensors &files, size_t i) {
  TensorMap inputs;
  for (const auto &[name, tensors] : files.tensors)
    inputs[name] = tensors[i % tensors.size()];
  return inputs;
}

/// Reads --labels: a vector of integer class labels ([L] or [L, 1]).
std::vector<int64_t> readLabels(const std::string &file) {
  io::ReadResult read = io::readTensorFile(file);
  if (!read)
    fail("--labels: " + read.error);
  const io::Tensor &tensor = *read.tensor;
  bool vector = tensor.shape.size() == 1 ||
                (tensor.shape.size() == 2 && tensor.shape[1] == 1);
  int64_t width = 0;
  bool isSigned = true;
  switch (tensor.type) {
  case io::ElementType::I8:
    width = 1;
    break;
  case io::ElementType::UI8:
    width = 1, isSigned = false;
    break;
  case io::ElementType::I16:
    width = 2;
    break;
  case io::ElementType::UI16:
    width = 2, isSigned = false;
    break;
  case io::ElementType::I32:
    width = 4;
    break;
  case io::ElementType::UI32:
    width = 4, isSigned = false;
    break;
  case io::ElementType::I64:
  case io::ElementType::UI64:
    width = 8;
    break;
  default:
    break;
  }
  if (!width || !vector || tensor.elements() == 0)
    fail("--labels " + quoted(file) +
         ": expected a non-empty vector of integer class labels ([N] or "
         "[N, 1]), got " +
         io::describe(tensor.type, tensor.shape));
  std::vector<int64_t> labels;
  for (int64_t i = 0; i < tensor.elements(); ++i) {
    uint64_t raw = 0;
    for (int64_t b = 0; b < width; ++b)
      raw |=
          static_cast<uint64_t>(tensor.data[static_cast<size_t>(i * width + b)])
          << (8 * b);
    int64_t value = static_cast<int64_t>(raw);
    if (isSigned && width < 8 && (raw >> (8 * width - 1)) & 1)
      value = static_cast<int64_t>(raw | (~uint64_t(0) << (8 * width)));
    labels.push_back(value);
  }
  return labels;
}

io::Tensor outputTensor(const TensorSignature &sig, const RunResult &result) {
  io::Tensor tensor;
  tensor.name = sig.name;
  tensor.type = io::fromDType(sig.dtype);
  tensor.shape = sig.shape;
  auto it = result.outputs.find(sig.name);
  if (it == result.outputs.end() ||
      static_cast<int64_t>(it->second.size()) != sig.bytes)
    fail("the simulator returned no " + signatureText(sig) + " value for " +
         "output " + quoted(sig.name));
  tensor.data = it->second;
  return tensor;
}

/// Removes the directories `created` (innermost last in the list).
void removeDirectories(const std::vector<std::string> &created) {
  for (auto it = created.rbegin(); it != created.rend(); ++it)
    ::rmdir(it->c_str());
}

/// Creates `dir` (and its parents) unless it is already a directory; the
/// directories it created are appended to `created`, outermost first.
std::string makeDirectory(const std::string &dir,
                          std::vector<std::string> &created) {
  size_t pos = 0;
  while (pos != std::string::npos) {
    pos = dir.find('/', pos + 1);
    std::string prefix = dir.substr(0, pos);
    if (prefix.empty())
      continue;
    struct stat info;
    if (::stat(prefix.c_str(), &info) == 0) {
      if (!S_ISDIR(info.st_mode))
        return "cannot create output directory " + quoted(dir) + ": " +
               quoted(prefix) + " is not a directory";
      continue;
    }
    if (::mkdir(prefix.c_str(), 0777) != 0) {
      if (errno == EEXIST)
        continue;
      return "cannot create output directory " + quoted(dir) + ": " +
             std::strerror(errno);
    }
    created.push_back(prefix);
  }
  return "";
}

/// The outputs of `runs` stacked along a new first dimension:
/// [N, ...signature].
io::Tensor stackedOutput(const TensorSignature &sig,
                         const std::vector<const RunResult *> &runs) {
  io::Tensor tensor;
  tensor.name = sig.name;
  tensor.type = io::fromDType(sig.dtype);
  tensor.shape = {static_cast<int64_t>(runs.size())};
  tensor.shape.insert(tensor.shape.end(), sig.shape.begin(), sig.shape.end());
  for (const RunResult *run : runs) {
    io::Tensor one = outputTensor(sig, *run);
    tensor.data.insert(tensor.data.end(), one.data.begin(), one.data.end());
  }
  return tensor;
}

/// What a run of several inputs did, whatever its kind.
enum class RunKind { Single, Stream, Cascade, Batch };

/// a + b and a * b of non-negative values, INT64_MAX when they overflow.
int64_t satAdd(int64_t a, int64_t b) {
  int64_t r;
  return __builtin_add_overflow(a, b, &r) ? INT64_MAX : r;
}
int64_t satMul(int64_t a, int64_t b) {
  int64_t r;
  return __builtin_mul_overflow(a, b, &r) ? INT64_MAX : r;
}

/// Fails when `count` inputs, their outputs and (with --trace) their trace
/// events would take more than kMaxHeldBytes: npu-run holds them all before
/// it writes anything, so the check comes before the first run.
void checkHeldBytes(const Model &model, size_t count, bool trace) {
  if (count <= 1)
    return;
  int64_t perInput = 0;
  for (const auto *signatures : {&model.inputs, &model.outputs})
    for (const TensorSignature &sig : *signatures)
      perInput = satAdd(perInput, sig.bytes);
  if (trace)
    for (const Program &program : model.programs)
      perInput = satAdd(
          perInput, satMul(static_cast<int64_t>(program.instructions.size()),
                           kTraceEventBytes));
  int64_t total = satMul(perInput, static_cast<int64_t>(count));
  if (total > kMaxHeldBytes)
    fail(std::to_string(count) + " inputs hold " + std::to_string(perInput) +
         " bytes each (inputs, outputs" + (trace ? ", trace events" : "") +
         "), " + std::to_string(total) +
         " in all, more than npu-run's limit "
         "of " +
         std::to_string(kMaxHeldBytes) + " bytes; run fewer inputs");
}

/// "what: measured M, budget B" lines for the figures that differ.
std::vector<std::string>
differences(std::initializer_list<std::tuple<const char *, int64_t, int64_t>>
                figures) {
  std::vector<std::string> problems;
  for (const auto &[what, measured, budget] : figures)
    if (measured != budget)
      problems.push_back(std::string(what) + ": measured " +
                         std::to_string(measured) + ", budget " +
                         std::to_string(budget));
  return problems;
}

/// Prints the budget mismatches; the exit status.
int reportMismatches(const std::vector<std::string> &problems,
                     std::string &err) {
  for (const std::string &problem : problems)
    err += "npu-run: budget mismatch: " + problem + "\n";
  return problems.empty() ? kExitOk : kExitBudgetMismatch;
}

/// --checkpoint-at N --checkpoint FILE: runs to boundary N, writes the state.
int stopAtCheckpoint(const Model &model, const Options &options,
                     const TensorMap &inputs, std::string &out,
                     std::string &err) {
  SimulatorOptions simOptions;
  simOptions.trace = false;
  simOptions.maxWork = options.maxWork;
  CheckpointRun run = Simulator(model, simOptions)
                          .runToCheckpoint(inputs, *options.checkpointAt);
  if (!run.ok)
    fail("simulation failed: " + run.error);
  if (std::string problem = io::writeFilesAtomically(
          {{*options.checkpointFile, encodeCheckpoint(run.state)}});
      !problem.empty())
    fail(problem);
  const Checkpoint &cp = *findCheckpoint(model, *options.checkpointAt);
  out += "stopped at checkpoint " + std::to_string(cp.index) + ": drain " +
         std::to_string(run.drain.cycles) + " cycles (" +
         std::to_string(run.drain.energyFj) + " fJ), save " +
         std::to_string(run.saveCycles) + " cycles (" +
         std::to_string(run.saveEnergyFj) + " fJ), " +
         std::to_string(run.savedBytes) + " bytes saved of " +
         std::to_string(cp.live.size()) + " live ranges -> " +
         *options.checkpointFile + "\n";
  if (!options.checkBudgets)
    return kExitOk;
  return reportMismatches(
      differences({{"checkpoint drain cycles", run.drain.cycles, cp.drainCycles},
                   {"checkpoint drain energy_fj", run.drain.energyFj,
                    cp.drainEnergyFj},
                   {"checkpoint save cycles", run.saveCycles, cp.saveCycles},
                   {"checkpoint saved bytes", run.savedBytes, cp.savedBytes()}}),
      err);
}

/// The budget mismatches of a run resumed from `state`: restore and resume.
std::vector<std::string> checkResumed(const Model &model,
                                      const CheckpointState &state,
                                      const RunResult &run) {
  const Checkpoint &cp = *findCheckpoint(model, state.index);
  const ChipMeasurement &m = run.chips.front();
  const ChipDesc &chip = *model.system.findChip(m.chip);
  int64_t energy = cost::energyFj(cp.restoreCycles, chip.power.activeMw,
                                  chip.picosecondsPerCycle()) +
                   cp.resumeEnergyFj;
  return differences(
      {{"resumed cycles (restore + resume)", m.cycles,
        cp.restoreCycles + cp.resumeCycles},
       {"resumed energy_fj (restore + resume)", m.energyFj, energy}});
}

int runOrThrow(const std::vector<std::string> &args, std::string &out,
               std::string &err) {
  Options options = parseArgs(args);
  if (options.help) {
    out += usage();
    return kExitOk;
  }

  std::vector<uint8_t> bytes;
  std::string error;
  if (!io::readFile(options.model, bytes, error))
    fail(error);
  LoadResult loaded = loadModel(bytes.data(), bytes.size());
  if (!loaded)
    fail(options.model + ": " + loaded.error);
  const Model &model = *loaded.model;

  // Output file names, checked before anything runs: DIR/<name>.npy, or
  // DIR/<name>.<input>.npy for a stream without --batch.
  std::vector<std::string> outputFiles;
  if (options.outputDir) {
    std::map<std::string, std::string> owners;
    for (const TensorSignature &sig : model.outputs) {
      std::string file = safeFileName(sig.name);
      auto [it, fresh] = owners.emplace(file, sig.name);
      if (!fresh)
        fail("outputs " + quoted(it->second) + " and " + quoted(sig.name) +
             " would both be written to " +
             quoted(file + std::string(io::extension(options.outputFormat))));
      outputFiles.push_back(*options.outputDir + "/" + file);
    }
  }

  // The work a stream asks for is known before its inputs are read.
  if (std::string error = checkWork(model, options.stream ? options.stream : 1,
                                    options.maxWork);
      !error.empty())
    fail(error);
  InputTensors inputFiles = readInputs(model, options);
  const bool batch = inputFiles.batch != 0;
  // How many inputs run, and how.
  size_t count = options.stream ? options.stream : batch ? inputFiles.batch : 1;
  if (std::string error = checkWork(model, count, options.maxWork);
      !error.empty())
    fail(error);
  checkHeldBytes(model, count, options.trace.has_value());
  if (options.checkpointAt)
    return stopAtCheckpoint(model, options, streamElement(inputFiles, 0), out,
                            err);
  std::optional<CheckpointState> resumed;
  if (options.resume) {
    CheckpointLoad load = loadCheckpointFile(*options.resume, model);
    if (!load.ok())
      fail(load.error);
    resumed = std::move(*load.state);
  }
  bool sleeps = false;
  for (const Program &program : model.programs)
    sleeps |= program.startsAsleep;
  RunKind kind = !options.stream && !batch ? RunKind::Single
                 : !options.stream         ? RunKind::Batch
                 : model.earlyExit         ? RunKind::Cascade
                                           : RunKind::Stream;
  if (kind != RunKind::Cascade) {
    for (const auto &[flag, given] :
         {std::pair<const char *, bool>{"--arrival-interval-ps",
                                        options.arrivalIntervalPs.has_value()},
          {"--idle-window-ps", options.idleWindowPs.has_value()},
          {"--return-threshold", options.returnThreshold.has_value()}})
      if (given)
        fail(std::string(flag) +
             " applies to early-exit streams: --stream N on a model with an "
             "early-exit table (module attribute npu.early_exit)" +
             (model.earlyExit ? "" : "; this model has none"));
  }
  if (kind == RunKind::Stream && sleeps)
    fail("the model has escalations but no early-exit table, so it has no "
         "stream semantics; run it without --stream");
  if (kind == RunKind::Stream && !model.stream)
    fail("the model has no stream budget, so no stream interval (models "
         "with exit checks or escalations have none); run it without "
         "--stream");

  // The output whose argmax is an input's class: the early-exit table's, or
  // the model's only output.
  report::Accuracy accuracy;
  const TensorSignature *answer = nullptr;
  for (const TensorSignature &sig : model.outputs)
    if (model.earlyExit ? sig.name == model.earlyExit->output
                        : model.outputs.size() == 1)
      answer = &sig;
  if (options.labels) {
    if (!answer)
      fail("--labels needs a model with one output or an early-exit table "
           "(this one has " +
           std::to_string(model.outputs.size()) + " outputs)");
    accuracy.labels = readLabels(*options.labels);
    size_t expected = batch ? inputFiles.batch : count;
    if (accuracy.labels.size() != expected)
      fail("--labels " + quoted(*options.labels) + " holds " +
           std::to_string(accuracy.labels.size()) + " labels but " +
           (batch ? "--batch holds " + std::to_string(inputFiles.batch) +
                        " inputs"
                  : "the run has " + std::to_string(count) + " inputs"));
  }
  if (answer)
    accuracy.output = answer->name;

  SimulatorOptions simOptions;
  simOptions.trace = options.trace.has_value();
  simOptions.maxWork = options.maxWork;
  Simulator simulator(model, simOptions);
  std::vector<TensorMap> elements;
  if (kind != RunKind::Single)
    for (size_t i = 0; i < count; ++i)
      elements.push_back(streamElement(inputFiles, i));
  StreamResult stream;
  CascadeResult cascade;
  std::vector<RunResult> singles;
  std::vector<const RunResult *> runs;
  switch (kind) {
  case RunKind::Single: {
    TensorMap input = streamElement(inputFiles, 0);
    RunResult result =
        resumed ? simulator.resume(*resumed, input) : simulator.run(input);
    if (!result.ok)
      fail("simulation failed: " + result.error);
    singles.push_back(std::move(result));
    break;
  }
  case RunKind::Batch:
    for (size_t i = 0; i < count; ++i) {
      RunResult result = simulator.run(elements[i]);
      if (!result.ok)
        fail("simulation failed: input " + std::to_string(i) + ": " +
             result.error);
      for (TraceEvent &event : result.trace)
        event.input = static_cast<uint32_t>(i);
      singles.push_back(std::move(result));
    }
    break;
  case RunKind::Stream:
    stream = simulator.runStream(elements, model.stream->intervalPs);
    if (!stream.ok)
      fail("simulation failed: " + stream.error);
    break;
  case RunKind::Cascade: {
    CascadeOptions cascadeOptions;
    cascadeOptions.arrivalIntervalPs = options.arrivalIntervalPs.value_or(0);
    cascadeOptions.idleWindowPs = options.idleWindowPs;
    cascadeOptions.returnThreshold = options.returnThreshold;
    cascade = simulator.runCascade(elements, cascadeOptions);
    if (!cascade.ok)
      fail("simulation failed: " + cascade.error);
    break;
  }
  }
  for (const RunResult &run : singles)
    runs.push_back(&run);
  for (const RunResult &run : stream.runs)
    runs.push_back(&run);
  for (const CascadeInput &in : cascade.inputs)
    runs.push_back(&in.run);

  // Classes and energy, for the accuracy.
  for (size_t i = 0; i < runs.size(); ++i) {
    if (kind == RunKind::Cascade)
      accuracy.classes.push_back(cascade.inputs[i].answerClass);
    else if (answer)
      accuracy.classes.push_back(
          answerClass(*answer, runs[i]->outputs.at(answer->name)));
    if (kind != RunKind::Cascade)
      for (const ChipMeasurement &m : runs[i]->chips)
        accuracy.totalEnergyFj += m.energyFj;
  }
  if (kind == RunKind::Cascade)
    accuracy.totalEnergyFj = cascade.totalEnergyFj;

  // Everything to write, rendered before the first byte is written.
  std::vector<std::pair<std::string, std::vector<uint8_t>>> files;
  std::string printed;
  const bool several = kind != RunKind::Single;
  if (options.outputDir && batch) {
    for (size_t i = 0; i < model.outputs.size(); ++i)
      files.emplace_back(
          outputFiles[i] + std::string(io::extension(options.outputFormat)),
          io::encodeTensor(options.outputFormat,
                           stackedOutput(model.outputs[i], runs)));
  } else {
    for (size_t r = 0; r < runs.size(); ++r) {
      std::string suffix = (several ? "." + std::to_string(r) : std::string()) +
                           std::string(io::extension(options.outputFormat));
      bool print = !options.outputDir && r < kPrintedInputs;
      if (several && print)
        printed += "input " + std::to_string(r) + ":\n";
      for (size_t i = 0; i < model.outputs.size(); ++i) {
        const TensorSignature &sig = model.outputs[i];
        if (!options.outputDir && !print)
          continue;
        io::Tensor tensor = outputTensor(sig, *runs[r]);
        if (options.outputDir)
          files.emplace_back(outputFiles[i] + suffix,
                             io::encodeTensor(options.outputFormat, tensor));
        else
          printed += std::string(several ? "  " : "") + sig.name + ": " +
                     signatureText(sig) + " = [" +
                     io::formatValues(tensor, options.printLimit) + "]\n";
      }
    }
    if (!options.outputDir && runs.size() > kPrintedInputs)
      printed += "(outputs of " + std::to_string(runs.size() - kPrintedInputs) +
                 " more inputs not printed; --output-dir writes them all)\n";
  }

  const bool json = options.report && *options.report == ReportFormat::Json;
  std::string reportText;
  if (options.report) {
    switch (kind) {
    case RunKind::Single:
      reportText = json ? report::formatJson(model, *runs.front())
                        : report::formatTable(model, *runs.front()) +
                              report::formatAccuracyLine(accuracy);
      break;
    case RunKind::Batch:
      reportText = json ? report::formatBatchJson(model, singles, accuracy)
                        : report::formatBatchTable(model, singles, accuracy,
                                                   kReportRows);
      break;
    case RunKind::Stream:
      reportText =
          json ? report::formatStreamJson(
                     model, stream, accuracy.hasLabels() ? &accuracy : nullptr)
               : report::formatStreamTable(model, stream);
      if (!json)
        reportText += report::formatAccuracyLine(accuracy);
      break;
    case RunKind::Cascade:
      reportText = json ? report::formatCascadeJson(model, cascade, accuracy)
                        : report::formatCascadeTable(model, cascade, accuracy,
                                                     kReportRows);
      break;
    }
  }
  if (options.reportFile)
    files.emplace_back(
        *options.reportFile,
        std::vector<uint8_t>(reportText.begin(), reportText.end()));
  if (options.trace) {
    std::string trace;
    switch (kind) {
    case RunKind::Single:
      trace = report::formatTrace(model, *runs.front());
      break;
    case RunKind::Batch: {
      // Independent runs, each from time 0, tagged with its input.
      StreamResult all;
      all.runs = singles;
      trace = report::formatStreamTrace(model, all);
      break;
    }
    case RunKind::Stream:
      trace = report::formatStreamTrace(model, stream);
      break;
    case RunKind::Cascade:
      trace = report::formatCascadeTrace(model, cascade);
      break;
    }
    files.emplace_back(*options.trace,
                       std::vector<uint8_t>(trace.begin(), trace.end()));
  }

  // All files or none; a directory made for them goes if they do.
  std::vector<std::string> created;
  if (options.outputDir) {
    std::string problem = makeDirectory(*options.outputDir, created);
    if (!problem.empty()) {
      removeDirectories(created);
      fail(problem);
    }
  }
  if (std::string problem = io::writeFilesAtomically(files); !problem.empty()) {
    removeDirectories(created);
    fail(problem);
  }

  out += printed;
  if (options.report && !options.reportFile)
    out += reportText;

  if (options.checkBudgets) {
    std::vector<std::string> problems;
    switch (kind) {
    case RunKind::Single:
      if (resumed) {
        problems = checkResumed(model, *resumed, *runs.front());
        break;
      }
      for (const report::Mismatch &mismatch :
           report::checkBudgets(model, *runs.front()))
        problems.push_back(mismatch.message());
      break;
    case RunKind::Batch:
      problems = report::checkBatch(model, singles);
      break;
    case RunKind::Stream:
      problems = report::checkStream(model, stream);
      break;
    case RunKind::Cascade:
      problems = report::checkCascade(model, cascade);
      break;
    }
    // Runs of many inputs name the first difference and count the rest
    // (the report lists them all).
    size_t shown = kind == RunKind::Cascade || kind == RunKind::Batch
                       ? std::min<size_t>(problems.size(), 1)
                       : problems.size();
    for (size_t i = 0; i < shown; ++i)
      err += "npu-run: budget mismatch: " + problems[i] + "\n";
    if (problems.size() > shown)
      err += "npu-run: " + std::to_string(problems.size() - shown) +
             " more budget mismatches (--report lists them all)\n";
    if (!problems.empty())
      return kExitBudgetMismatch;
  }
  return kExitOk;
}

} // namespace

std::string usage() {
  return R"(USAGE: npu-run MODEL.npub --input NAME=FILE [--input NAME=FILE ...] [options]
       npu-run MODEL.npub --batch NAME=FILE [--labels FILE] [--stream N] [options]

Runs a compiled model (.npub, from npu-translate --npu-to-binary) on the
simulated multi-NPU system it was compiled for. Prints each output, or
writes it to a file, and reports what every chip did beside the budget the
compiler proved for it.

OPTIONS:
  --input NAME=FILE       Bind model input NAME to a .npy or ONNX TensorProto
                          .pb file; its type and shape must equal the input's
                          signature. Give every input once (or by --batch).
  --output-dir DIR        Write each output to DIR/<name>.npy (or .pb) instead
                          of printing it; DIR is created if needed.
  --output-format npy|pb  Format of the files in --output-dir (default npy).
  --print-limit N         Print at most N values per output (default 32;
                          0 prints all).
  --report[=table|json]   Print, per chip, the budget of the path it took
                          beside the measurement of every counter (cycles,
                          busy cycles per engine, host/DRAM/link bytes, peak
                          SRAM and DRAM bytes, energy), the path and the exit
                          checks.
  --report-file FILE      Write the report to FILE instead of stdout (a table
                          unless --report=json).
  --trace FILE            Write a Chrome/Perfetto trace (JSON) of every
                          instruction on every engine of every chip.
  --stream N              Run a stream of N inputs, pipelined across the
                          chips: input i is released at i times the binary's
                          stream interval, each chip runs its program once
                          per input (docs/execution-model.md, "Streams").
                          --input may then be given several times per name:
                          input i takes that name's files in turn. Outputs
                          go to DIR/<name>.<i>.npy (or are printed for the
                          first 8 inputs); the report adds each input's
                          latency (budget and measured) and the throughput;
                          the trace shows every run.
                          On a model with an early-exit table (an E1
                          cascade) the stream is an early-exit stream
                          instead (docs/execution-model.md, "Early-exit
                          streams"): inputs served one at a time, the small
                          chip's exit checks deciding (small mode) or forced
                          to escalate after an unsure answer of the big chip
                          (big mode), the big chip kept in standby for the
                          idle window after each run. The report gives each
                          input's mode, paths, the big chip's state (off /
                          standby), latency and energy, and the exit and
                          escalation rates, latency percentiles and energy
                          per input; the trace adds each chip's power state.
  --batch NAME=FILE       Bind input NAME to a .npy or .pb file whose first
                          dimension indexes the inputs: [N, ...signature],
                          or [N, ...signature without its leading 1]. Runs
                          N independent inputs (N from the file unless
                          --stream is given; input i takes element i mod
                          N); every --batch must hold the same N. With
                          --output-dir each output goes to DIR/<name>.npy
                          with shape [N, ...signature].
  --labels FILE           Integer class labels, one per input (per batch
                          element with --batch): the report adds the
                          accuracy (argmax of the early-exit output, or of
                          the only output) and the correct inferences per
                          joule.
  --arrival-interval-ps P Early-exit streams: input i arrives at i * P ps
                          and waits until the previous one has completed
                          (default 0: all wait from the start).
  --idle-window-ps W      Early-exit streams: override the table's idle
                          window (the big chip powers off after W ps
                          without work).
  --return-threshold T    Early-exit streams: override the table's return
                          threshold, T in [0, 1].
  --check-budgets         Exit with status 3 if a measurement differs from
                          its budget (with --stream: each input's latency,
                          and the chips' counters; in an early-exit stream
                          every chip of every input against the budget of
                          its path, standby or not; the first difference
                          is named).
  --max-work N            Refuse, before simulating anything, a run whose
                          simulation work exceeds N units (one unit: a
                          multiply-add of a matmul; known at load time from
                          every instruction of every program, times the
                          inputs; default 2^36, a few seconds of host
                          time). See docs/execution-model.md, "Work limit".
  --checkpoint-at N --checkpoint FILE
                          Run the input up to checkpoint boundary N (an
                          instruction index of the program's checkpoint
                          table; npu-translate --npub-to-mlir lists them as
                          npuisa.checkpoints), drain, and write the live
                          state to FILE. With --check-budgets, the drain and
                          the save must equal the boundary's budgets.
  --resume FILE           Resume the run stopped in checkpoint FILE (same
                          binary, same --input files) and finish it: the
                          outputs equal an uninterrupted run's, bit for bit.
                          With --check-budgets, the restore and the rest of
                          the run must equal the boundary's budgets.
                          See docs/execution-model.md, "Checkpoints".
  --help                  Print this text.

EXIT STATUS:
  0 success; 1 any error (one line on stderr, no output file written);
  3 budget mismatch under --check-budgets.
)";
}

int run(const std::vector<std::string> &args, std::string &out,
        std::string &err) {
  try {
    return runOrThrow(args, out, err);
  } catch (const ToolError &error) {
    err += "npu-run: error: " + error.message + "\n";
  } catch (const std::bad_alloc &) {
    err += "npu-run: error: out of memory\n";
  }
  return kExitError;
}

} // namespace npu::rt::driver
