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
  size_t printLimit = 32;
  bool help = false;
};

/// The longest stream npu-run runs.
constexpr size_t kMaxStream = 1000000;

/// A non-negative decimal integer option value.
size_t parseCount(const std::string &option, const std::string &text) {
  bool ok = !text.empty() && text.size() <= 18;
  for (char c : text)
    ok = ok && c >= '0' && c <= '9';
  if (!ok)
    fail(option + " needs a non-negative integer, not " + quoted(text));
  return std::stoull(text);
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
      std::string binding = needValue();
      size_t eq = binding.find('=');
      if (eq == std::string::npos || eq == 0 || eq + 1 == binding.size())
        fail("--input expects NAME=FILE, got " + quoted(binding));
      options.inputs.emplace_back(binding.substr(0, eq),
                                  binding.substr(eq + 1));
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

/// Reads every --input and checks it against the model's signature: per
/// input name, the tensors of its files in command-line order. Without
/// --stream each name is given once.
std::map<std::string, std::vector<std::vector<uint8_t>>>
readInputs(const Model &model, const Options &options) {
  std::map<std::string, std::vector<std::vector<uint8_t>>> inputs;
  for (const auto &[name, file] : options.inputs) {
    const TensorSignature *sig = nullptr;
    for (const TensorSignature &candidate : model.inputs)
      if (candidate.name == name)
        sig = &candidate;
    if (!sig)
      fail("unknown input " + quoted(name) +
           " (the model's inputs: " + listNames(model.inputs) + ")");
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
  return inputs;
}

/// The inputs of stream element `i`: each name's files taken in turn.
TensorMap streamElement(
    const std::map<std::string, std::vector<std::vector<uint8_t>>> &files,
    size_t i) {
  TensorMap inputs;
  for (const auto &[name, tensors] : files)
    inputs[name] = tensors[i % tensors.size()];
  return inputs;
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
  // DIR/<name>.<input>.npy for a stream.
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

  std::map<std::string, std::vector<std::vector<uint8_t>>> inputFiles =
      readInputs(model, options);

  SimulatorOptions simOptions;
  simOptions.trace = options.trace.has_value();
  Simulator simulator(model, simOptions);
  StreamResult stream;
  if (options.stream) {
    if (!model.stream)
      fail("the model has no stream budget, so no stream interval (models "
           "with exit checks or escalations have none); run it without "
           "--stream");
    std::vector<TensorMap> elements;
    for (size_t i = 0; i < options.stream; ++i)
      elements.push_back(streamElement(inputFiles, i));
    stream = simulator.runStream(elements, model.stream->intervalPs);
    if (!stream.ok)
      fail("simulation failed: " + stream.error);
  } else {
    RunResult result = simulator.run(streamElement(inputFiles, 0));
    if (!result.ok)
      fail("simulation failed: " + result.error);
    stream.runs.push_back(std::move(result));
  }

  // Everything to write, rendered before the first byte is written.
  std::vector<std::pair<std::string, std::vector<uint8_t>>> files;
  std::string printed;
  for (size_t r = 0; r < stream.runs.size(); ++r) {
    std::string suffix =
        (options.stream ? "." + std::to_string(r) : std::string()) +
        std::string(io::extension(options.outputFormat));
    if (options.stream && !options.outputDir)
      printed += "input " + std::to_string(r) + ":\n";
    for (size_t i = 0; i < model.outputs.size(); ++i) {
      const TensorSignature &sig = model.outputs[i];
      io::Tensor tensor = outputTensor(sig, stream.runs[r]);
      if (options.outputDir)
        files.emplace_back(outputFiles[i] + suffix,
                           io::encodeTensor(options.outputFormat, tensor));
      else
        printed += std::string(options.stream ? "  " : "") + sig.name + ": " +
                   signatureText(sig) + " = [" +
                   io::formatValues(tensor, options.printLimit) + "]\n";
    }
  }
  const RunResult &result = stream.runs.front();
  std::string reportText;
  if (options.report && options.stream)
    reportText = *options.report == ReportFormat::Json
                     ? report::formatStreamJson(model, stream)
                     : report::formatStreamTable(model, stream);
  else if (options.report)
    reportText = *options.report == ReportFormat::Json
                     ? report::formatJson(model, result)
                     : report::formatTable(model, result);
  if (options.reportFile)
    files.emplace_back(
        *options.reportFile,
        std::vector<uint8_t>(reportText.begin(), reportText.end()));
  if (options.trace) {
    std::string trace = options.stream
                            ? report::formatStreamTrace(model, stream)
                            : report::formatTrace(model, result);
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

  if (options.checkBudgets && options.stream) {
    std::vector<std::string> problems = report::checkStream(model, stream);
    for (const std::string &problem : problems)
      err += "npu-run: budget mismatch: " + problem + "\n";
    if (!problems.empty())
      return kExitBudgetMismatch;
  } else if (options.checkBudgets) {
    std::vector<report::Mismatch> mismatches =
        report::checkBudgets(model, result);
    for (const report::Mismatch &mismatch : mismatches)
      err += "npu-run: budget mismatch: " + mismatch.message() + "\n";
    if (!mismatches.empty())
      return kExitBudgetMismatch;
  }
  return kExitOk;
}

} // namespace

std::string usage() {
  return R"(USAGE: npu-run MODEL.npub --input NAME=FILE [--input NAME=FILE ...] [options]

Runs a compiled model (.npub, from npu-translate --npu-to-binary) on the
simulated multi-NPU system it was compiled for. Prints each output, or
writes it to a file, and reports what every chip did beside the budget the
compiler proved for it.

OPTIONS:
  --input NAME=FILE       Bind model input NAME to a .npy or ONNX TensorProto
                          .pb file; its type and shape must equal the input's
                          signature. Give every input once.
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
                          go to DIR/<name>.<i>.npy (or are printed per
                          input); the report adds each input's latency
                          (budget and measured) and the throughput; the
                          trace shows every run.
  --check-budgets         Exit with status 3 if a measurement differs from
                          its budget (with --stream: each input's latency,
                          and the chips' counters).
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
