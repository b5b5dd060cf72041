//===- Report.cpp - Run reports: budgets vs measurements, traces ----------===//
//
// Text is built by hand (no JSON library): the layouts are fixed, so the
// bytes depend on nothing but the model and the run.
//
//===----------------------------------------------------------------------===//

#include "Report.h"

#include "TensorIO.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>

namespace npu::rt::report {

namespace {

std::string str(int64_t value) { return std::to_string(value); }

std::string quoted(std::string_view text) {
  return "'" + std::string(text) + "'";
}

std::string shortest(double value) {
  char buf[64];
  auto result = std::to_chars(buf, buf + sizeof(buf), value);
  return std::string(buf, result.ptr);
}

std::string shortest(float value) {
  char buf[64];
  auto result = std::to_chars(buf, buf + sizeof(buf), value);
  return std::string(buf, result.ptr);
}

/// A real as JSON: its shortest form, or null when not finite.
std::string jsonReal(double value) {
  return std::isfinite(value) ? shortest(value) : "null";
}
std::string jsonReal(float value) {
  return std::isfinite(value) ? shortest(value) : "null";
}

std::string signature(const TensorSignature &sig) {
  return io::describe(io::fromDType(sig.dtype), sig.shape);
}

/// The threshold of the exit check at `index` of `program`, if it is one.
std::optional<float> thresholdAt(const Program &program, uint32_t index) {
  if (index >= program.instructions.size())
    return std::nullopt;
  if (const auto *check =
          std::get_if<isa::ExitCheck>(&program.instructions[index]))
    return check->threshold;
  return std::nullopt;
}

std::string jsonSignatures(const std::vector<TensorSignature> &sigs) {
  std::string out = "[";
  for (size_t i = 0; i < sigs.size(); ++i) {
    const TensorSignature &sig = sigs[i];
    out += i ? ",\n    " : "\n    ";
    out += "{\"name\": " + jsonString(sig.name) + ", \"dtype\": \"" +
           std::string(io::elementTypeName(io::fromDType(sig.dtype))) +
           "\", \"shape\": [";
    for (size_t d = 0; d < sig.shape.size(); ++d)
      out += (d ? ", " : "") + str(sig.shape[d]);
    out += "]}";
  }
  return out + (sigs.empty() ? "]" : "\n  ]");
}

/// Appends `text` padded on the left (right-aligned) or right to `width`.
void pad(std::string &out, const std::string &text, size_t width, bool right) {
  if (right)
    out.append(width > text.size() ? width - text.size() : 0, ' ');
  out += text;
  if (!right)
    out.append(width > text.size() ? width - text.size() : 0, ' ');
}

} // namespace

//===----------------------------------------------------------------------===//
// Comparison
//===----------------------------------------------------------------------===//

std::vector<ChipReport> compare(const Model &model, const RunResult &result) {
  std::vector<ChipReport> reports;
  for (const ChipDesc &chip : model.system.chips) {
    ChipReport report;
    report.chip = &chip;
    report.program = model.findProgram(chip.id);
    report.measurement = result.findChip(chip.id);
    const ChipMeasurement *m = report.measurement;
    if (report.program && m && m->ran) {
      report.budget = report.program->findBudget(m->path, m->standby);
      const Budget *b = report.budget;
      auto add = [&](std::string name, std::optional<int64_t> budget,
                     int64_t measured) {
        report.counters.push_back({std::move(name), budget, measured});
      };
      auto of = [&](int64_t Budget::*field) -> std::optional<int64_t> {
        if (!b)
          return std::nullopt;
        return b->*field;
      };
      add("cycles", of(&Budget::cycles), m->cycles);
      for (int e = 0; e < cost::kNumEngines; ++e)
        add("busy_" +
                std::string(cost::engineName(static_cast<cost::Engine>(e))),
            b ? std::optional<int64_t>(b->engineBusy[e]) : std::nullopt,
            m->engineBusy[e]);
      add("host_bytes", of(&Budget::hostBytes), m->hostBytes);
      add("dram_bytes", of(&Budget::dramBytes), m->dramBytes);
      add("link_bytes", of(&Budget::linkBytes), m->linkBytes);
      add("peak_sram_bytes", of(&Budget::peakSramBytes), m->peakSramBytes);
      add("peak_dram_bytes", of(&Budget::peakDramBytes), m->peakDramBytes);
      add("energy_fj", of(&Budget::energyFj), m->energyFj);
    }
    reports.push_back(std::move(report));
  }
  return reports;
}

std::string pathLabel(const std::string &path, bool standby) {
  return standby ? path + " (standby)" : path;
}

std::string Mismatch::message() const {
  std::string out = "chip " + str(chip) + " (" + quoted(chipName) +
                    "), program " + quoted(program) + ", path " +
                    quoted(pathLabel(path, standby)) + ": ";
  if (counter.empty())
    return out + "the binary has no budget for this path";
  return out + counter + " budget " + str(budget) + ", measured " +
         str(measured);
}

std::vector<Mismatch> checkBudgets(const Model &model,
                                   const RunResult &result) {
  std::vector<Mismatch> mismatches;
  for (const ChipReport &report : compare(model, result)) {
    if (!report.program || !report.measurement || !report.measurement->ran)
      continue;
    Mismatch base;
    base.chip = report.chip->id;
    base.chipName = report.chip->name;
    base.program = report.program->name;
    base.path = report.measurement->path;
    base.standby = report.measurement->standby;
    if (!report.budget) {
      mismatches.push_back(base);
      continue;
    }
    for (const Counter &counter : report.counters) {
      if (counter.budget && *counter.budget == counter.measured)
        continue;
      Mismatch mismatch = base;
      mismatch.counter = counter.name;
      mismatch.budget = counter.budget.value_or(0);
      mismatch.measured = counter.measured;
      mismatches.push_back(std::move(mismatch));
    }
  }
  return mismatches;
}

//===----------------------------------------------------------------------===//
// Table
//===----------------------------------------------------------------------===//

std::string formatTable(const Model &model, const RunResult &result) {
  std::string out = "model " + quoted(model.name) + " (format " +
                    str(model.version) + ") on system " +
                    quoted(model.system.name) + "\n";
  auto listSignatures = [&](const char *label,
                            const std::vector<TensorSignature> &sigs) {
    out += label;
    if (sigs.empty())
      out += " (none)";
    for (size_t i = 0; i < sigs.size(); ++i)
      out += (i ? ", " : " ") + sigs[i].name + " " + signature(sigs[i]);
    out += "\n";
  };
  listSignatures("inputs: ", model.inputs);
  listSignatures("outputs:", model.outputs);

  size_t mismatches = 0;
  std::string idle;
  for (const ChipReport &report : compare(model, result)) {
    const ChipDesc &chip = *report.chip;
    if (!report.program) {
      idle +=
          (idle.empty() ? "" : ", ") + str(chip.id) + " " + quoted(chip.name);
      continue;
    }
    out += "\nchip " + str(chip.id) + " " + quoted(chip.name) + ": ";
    const ChipMeasurement *m = report.measurement;
    out += "program " + quoted(report.program->name);
    if (!m || !m->ran) {
      out += " did not run";
      if (m && m->startedAsleep)
        out += " (started asleep, never woken)";
      out += "\n";
      continue;
    }
    std::string path = pathLabel(m->path, m->standby);
    out += ", path " + quoted(path) + ", start cycle " + str(m->startCycle) +
           ", " + str(m->activeCycles) + " active cycles, " +
           str(m->picosecondsPerCycle) + " ps/cycle" +
           (m->startedAsleep ? (m->standby ? ", woken from standby" : ", woken")
                             : "") +
           "\n";
    if (!report.budget) {
      out += "  (the binary has no budget for path " + quoted(path) + ")\n";
      ++mismatches;
    }

    size_t nameWidth = 7, budgetWidth = 6, measuredWidth = 8;
    for (const Counter &counter : report.counters) {
      nameWidth = std::max(nameWidth, counter.name.size());
      if (counter.budget)
        budgetWidth = std::max(budgetWidth, str(*counter.budget).size());
      measuredWidth = std::max(measuredWidth, str(counter.measured).size());
    }
    out += "  ";
    pad(out, "counter", nameWidth, false);
    out += "  ";
    pad(out, "budget", budgetWidth, true);
    out += "  ";
    pad(out, "measured", measuredWidth, true);
    out += "\n";
    for (const Counter &counter : report.counters) {
      out += "  ";
      pad(out, counter.name, nameWidth, false);
      out += "  ";
      pad(out, counter.budget ? str(*counter.budget) : "-", budgetWidth, true);
      out += "  ";
      pad(out, str(counter.measured), measuredWidth, true);
      if (counter.budget && *counter.budget != counter.measured) {
        out += "  MISMATCH";
        ++mismatches;
      }
      out += "\n";
    }
    for (const ExitCheckOutcome &check : m->exitChecks) {
      out += "  exit check " + str(check.ordinal) + " (instruction " +
             str(check.index) + "): confidence " + shortest(check.confidence);
      if (std::optional<float> threshold =
              thresholdAt(*report.program, check.index))
        out += std::string(check.confident ? " >= " : " < ") + "threshold " +
               shortest(*threshold);
      out += check.exited() ? ", took path 'exit " + str(check.ordinal) + "'"
             : check.forced ? ", forced to continue (big mode)"
                            : ", continued";
      out += "\n";
    }
  }
  if (!idle.empty())
    out += "\nchips without a program: " + idle + "\n";
  out += "\nbudgets: ";
  out += mismatches == 0 ? "all equal to the measurements"
                         : str(static_cast<int64_t>(mismatches)) +
                               " differ from the measurements";
  out += "\n";
  return out;
}

//===----------------------------------------------------------------------===//
// JSON
//===----------------------------------------------------------------------===//

std::string jsonString(std::string_view text) {
  std::string out = "\"";
  size_t i = 0;
  while (i < text.size()) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
      ++i;
    } else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof(buf), "\\u%04x", c);
      out += buf;
      ++i;
    } else if (c < 0x80) {
      out += static_cast<char>(c);
      ++i;
    } else {
      // Copy one well-formed UTF-8 sequence, or write U+FFFD for a byte
      // that does not start one.
      size_t length = c >= 0xf0 && c <= 0xf4   ? 4
                      : c >= 0xe0 && c <= 0xef ? 3
                      : c >= 0xc2 && c <= 0xdf ? 2
                                               : 0;
      bool valid = length != 0 && i + length <= text.size();
      for (size_t k = 1; valid && k < length; ++k)
        valid = (static_cast<unsigned char>(text[i + k]) & 0xc0) == 0x80;
      if (valid && length >= 3) {
        unsigned char c1 = static_cast<unsigned char>(text[i + 1]);
        // Overlong forms, surrogates and code points above U+10FFFF.
        if ((c == 0xe0 && c1 < 0xa0) || (c == 0xed && c1 > 0x9f) ||
            (c == 0xf0 && c1 < 0x90) || (c == 0xf4 && c1 > 0x8f))
          valid = false;
      }
      if (valid) {
        out.append(text.substr(i, length));
        i += length;
      } else {
        out += "\\ufffd";
        ++i;
      }
    }
  }
  return out + "\"";
}

namespace {

/// The document of formatJson(), with `extra` (members, each line indented,
/// no trailing comma) after "chips".
std::string jsonDocument(const Model &model, const RunResult &result,
                         bool budgetsMatch, const std::string &extra) {
  std::string out = "{\n";
  out += "  \"model\": " + jsonString(model.name) + ",\n";
  out += "  \"format_version\": " + str(model.version) + ",\n";
  out += "  \"system\": " + jsonString(model.system.name) + ",\n";
  out += std::string("  \"budgets_match\": ") +
         (budgetsMatch ? "true" : "false") + ",\n";
  out += "  \"inputs\": " + jsonSignatures(model.inputs) + ",\n";
  out += "  \"outputs\": " + jsonSignatures(model.outputs) + ",\n";
  out += "  \"chips\": [";
  std::vector<ChipReport> reports = compare(model, result);
  for (size_t r = 0; r < reports.size(); ++r) {
    const ChipReport &report = reports[r];
    const ChipMeasurement *m = report.measurement;
    bool ran = m && m->ran;
    out += r ? ",\n    {\n" : "\n    {\n";
    out += "      \"chip\": " + str(report.chip->id) + ",\n";
    out += "      \"name\": " + jsonString(report.chip->name) + ",\n";
    out += "      \"program\": " +
           (report.program ? jsonString(report.program->name) : "null") + ",\n";
    out += std::string("      \"ran\": ") + (ran ? "true" : "false") + ",\n";
    out += std::string("      \"started_asleep\": ") +
           (m && m->startedAsleep ? "true" : "false") + ",\n";
    out += "      \"path\": " + jsonString(ran ? m->path : "none") + ",\n";
    out += std::string("      \"standby\": ") +
           (ran && m->standby ? "true" : "false") + ",\n";
    out += "      \"picoseconds_per_cycle\": " +
           str(report.chip->picosecondsPerCycle()) + ",\n";
    out += "      \"start_cycle\": " + str(ran ? m->startCycle : 0) + ",\n";
    out += "      \"active_cycles\": " + str(ran ? m->activeCycles : 0) + ",\n";
    out += "      \"counters\": {";
    for (size_t i = 0; i < report.counters.size(); ++i) {
      const Counter &counter = report.counters[i];
      out += i ? ",\n        " : "\n        ";
      out += jsonString(counter.name) + ": {\"budget\": " +
             (counter.budget ? str(*counter.budget) : "null") +
             ", \"measured\": " + str(counter.measured) + "}";
    }
    out += report.counters.empty() ? "},\n" : "\n      },\n";
    out += "      \"exit_checks\": [";
    if (ran) {
      for (size_t i = 0; i < m->exitChecks.size(); ++i) {
        const ExitCheckOutcome &check = m->exitChecks[i];
        std::optional<float> threshold =
            thresholdAt(*report.program, check.index);
        out += i ? ",\n        " : "\n        ";
        out +=
            "{\"index\": " + str(check.index) +
            ", \"exit\": " + str(check.ordinal) +
            ", \"confidence\": " + jsonReal(check.confidence) +
            ", \"threshold\": " + (threshold ? jsonReal(*threshold) : "null") +
            ", \"confident\": " + (check.confident ? "true" : "false") +
            ", \"forced\": " + (check.forced ? "true" : "false") + "}";
      }
      if (!m->exitChecks.empty())
        out += "\n      ";
    }
    out += "]\n    }";
  }
  out += reports.empty() ? "]" : "\n  ]";
  out += extra.empty() ? "\n" : ",\n" + extra + "\n";
  out += "}\n";
  return out;
}

} // namespace

std::string formatJson(const Model &model, const RunResult &result) {
  return jsonDocument(model, result, checkBudgets(model, result).empty(), "");
}

//===----------------------------------------------------------------------===//
// Trace
//===----------------------------------------------------------------------===//

std::string picosecondsAsMicroseconds(int64_t cycles,
                                      int64_t picosecondsPerCycle) {
  // 128 bits: no product of two int64 overflows.
  __int128 ps = static_cast<__int128>(cycles) * picosecondsPerCycle;
  bool negative = ps < 0;
  unsigned __int128 magnitude = negative ? -static_cast<unsigned __int128>(ps)
                                         : static_cast<unsigned __int128>(ps);
  unsigned __int128 whole = magnitude / 1000000;
  unsigned fraction = static_cast<unsigned>(magnitude % 1000000);
  std::string digits;
  do {
    digits += static_cast<char>('0' + static_cast<int>(whole % 10));
    whole /= 10;
  } while (whole != 0);
  std::reverse(digits.begin(), digits.end());
  std::string out = (negative ? "-" : "") + digits;
  if (fraction != 0) {
    char buf[8];
    std::snprintf(buf, sizeof(buf), "%06u", fraction);
    std::string frac = buf;
    frac.erase(frac.find_last_not_of('0') + 1);
    out += "." + frac;
  }
  return out;
}

namespace {

/// The thread of the power track of each chip in a trace.
constexpr int kPowerThread = cost::kNumEngines;

/// The trace document of `events`; `tagInputs` adds each event's input;
/// `power`, when given, adds a power thread per chip and its events.
std::string traceDocument(const Model &model,
                          const std::vector<const TraceEvent *> &events,
                          bool tagInputs,
                          const std::vector<ChipPower> *power = nullptr) {
  std::string out = "{\"displayTimeUnit\": \"ns\", \"traceEvents\": [\n";
  bool first = true;
  auto event = [&](const std::string &text) {
    out += first ? "  " : ",\n  ";
    out += text;
    first = false;
  };
  for (const ChipDesc &chip : model.system.chips) {
    if (!model.findProgram(chip.id))
      continue;
    std::string pid = str(chip.id);
    event("{\"name\": \"process_name\", \"ph\": \"M\", \"pid\": " + pid +
          ", \"args\": {\"name\": " + jsonString(chip.name) + "}}");
    event("{\"name\": \"process_sort_index\", \"ph\": \"M\", \"pid\": " + pid +
          ", \"args\": {\"sort_index\": " + pid + "}}");
    for (int e = 0; e < cost::kNumEngines; ++e) {
      std::string tid = str(e);
      event("{\"name\": \"thread_name\", \"ph\": \"M\", \"pid\": " + pid +
            ", \"tid\": " + tid + ", \"args\": {\"name\": \"" +
            std::string(cost::engineName(static_cast<cost::Engine>(e))) +
            "\"}}");
      event("{\"name\": \"thread_sort_index\", \"ph\": \"M\", \"pid\": " + pid +
            ", \"tid\": " + tid + ", \"args\": {\"sort_index\": " + tid + "}}");
    }
    if (power) {
      std::string tid = str(kPowerThread);
      event("{\"name\": \"thread_name\", \"ph\": \"M\", \"pid\": " + pid +
            ", \"tid\": " + tid + ", \"args\": {\"name\": \"power\"}}");
      event("{\"name\": \"thread_sort_index\", \"ph\": \"M\", \"pid\": " + pid +
            ", \"tid\": " + tid + ", \"args\": {\"sort_index\": -1}}");
    }
  }
  for (const TraceEvent *evp : events) {
    const TraceEvent &ev = *evp;
    const ChipDesc *chip = model.system.findChip(ev.chip);
    int64_t ps = chip ? chip->picosecondsPerCycle() : 0;
    event("{\"name\": " + jsonString(ev.name) + ", \"cat\": \"" +
          std::string(cost::engineName(ev.engine)) +
          "\", \"ph\": \"X\", \"ts\": " +
          picosecondsAsMicroseconds(ev.start, ps) +
          ", \"dur\": " + picosecondsAsMicroseconds(ev.cycles, ps) +
          ", \"pid\": " + str(ev.chip) +
          ", \"tid\": " + str(static_cast<int64_t>(ev.engine)) +
          ", \"args\": {" +
          (tagInputs ? "\"input\": " + str(ev.input) + ", " : "") +
          "\"index\": " + str(ev.index) + ", \"start_cycle\": " +
          str(ev.start) + ", \"cycles\": " + str(ev.cycles) + "}}");
  }
  if (power) {
    for (const ChipPower &chip : *power) {
      for (const PowerInterval &interval : chip.intervals) {
        std::string state(powerStateName(interval.state));
        event("{\"name\": \"" + state +
              "\", \"cat\": \"power\", \"ph\": \"X\", \"ts\": " +
              picosecondsAsMicroseconds(interval.startPs, 1) + ", \"dur\": " +
              picosecondsAsMicroseconds(interval.endPs - interval.startPs, 1) +
              ", \"pid\": " + str(chip.chip) +
              ", \"tid\": " + str(kPowerThread) + ", \"args\": {\"input\": " +
              (interval.input < 0 ? "null" : str(interval.input)) +
              ", \"start_ps\": " + str(interval.startPs) +
              ", \"end_ps\": " + str(interval.endPs) + "}}");
      }
    }
  }
  out += first ? "]}\n" : "\n]}\n";
  return out;
}

} // namespace

std::string formatTrace(const Model &model, const RunResult &result) {
  std::vector<const TraceEvent *> events;
  for (const TraceEvent &ev : result.trace)
    events.push_back(&ev);
  return traceDocument(model, events, false);
}

//===----------------------------------------------------------------------===//
// Streams
//===----------------------------------------------------------------------===//

std::vector<std::string> checkStream(const Model &model,
                                     const StreamResult &stream) {
  std::vector<std::string> problems;
  if (!model.stream)
    problems.push_back("the binary has no stream budget");
  for (size_t i = 0; i < stream.runs.size(); ++i) {
    std::string input = "input " + str(static_cast<int64_t>(i)) + ": ";
    for (const Mismatch &mismatch : checkBudgets(model, stream.runs[i])) {
      // After input 0, a run's cycles and energy depend on when the chip's
      // previous run ended; the stream latency covers them.
      if (i > 0 &&
          (mismatch.counter == "cycles" || mismatch.counter == "energy_fj"))
        continue;
      problems.push_back(input + mismatch.message());
    }
    if (model.stream && model.stream->latencyOf(i) != stream.latencyPs[i])
      problems.push_back(input + "latency budget " +
                         str(model.stream->latencyOf(i)) + " ps, measured " +
                         str(stream.latencyPs[i]) + " ps");
  }
  return problems;
}

namespace {

/// Completion of input i minus that of input i - 1 (0 for input 0).
int64_t intervalBefore(const StreamResult &stream, size_t i) {
  return i == 0 ? 0 : stream.completionPs[i] - stream.completionPs[i - 1];
}

} // namespace

/// "<label>all equal to the measurements" or "<label>N differ from the
/// measurements", then one indented line per problem.
static std::string formatProblems(const std::string &label,
                                  const std::vector<std::string> &problems) {
  std::string out = label;
  out += problems.empty() ? "all equal to the measurements"
                          : str(static_cast<int64_t>(problems.size())) +
                                " differ from the measurements";
  out += "\n";
  for (const std::string &problem : problems)
    out += "  " + problem + "\n";
  return out;
}

std::string formatStreamTable(const Model &model, const StreamResult &stream) {
  std::string out = formatTable(model, stream.runs.front());
  out += "\nstream of " + str(static_cast<int64_t>(stream.runs.size())) +
         " inputs, released every " + str(stream.intervalPs) + " ps";
  if (model.stream)
    out += " (budget: latency of input i is latency_ps[min(i, " +
           str(static_cast<int64_t>(model.stream->latencyPs.size() - 1)) +
           ")])";
  out += "\n";
  const std::vector<std::string> headers = {
      "input", "release ps", "latency budget", "latency measured",
      "completion ps", "interval ps"};
  std::vector<std::vector<std::string>> rows;
  for (size_t i = 0; i < stream.runs.size(); ++i)
    rows.push_back({str(static_cast<int64_t>(i)), str(stream.releasePs[i]),
                    model.stream ? str(model.stream->latencyOf(i)) : "-",
                    str(stream.latencyPs[i]), str(stream.completionPs[i]),
                    i ? str(intervalBefore(stream, i)) : "-"});
  std::vector<size_t> widths;
  for (const std::string &header : headers)
    widths.push_back(header.size());
  for (const auto &row : rows)
    for (size_t c = 0; c < row.size(); ++c)
      widths[c] = std::max(widths[c], row[c].size());
  auto line = [&](const std::vector<std::string> &cells) {
    out += " ";
    for (size_t c = 0; c < cells.size(); ++c) {
      out += " ";
      pad(out, cells[c], widths[c], true);
    }
    out += "\n";
  };
  line(headers);
  for (const auto &row : rows)
    line(row);
  if (stream.runs.size() >= 2)
    out += "throughput: one input every " +
           str(intervalBefore(stream, stream.runs.size() - 1)) +
           " ps at the end of the stream (budget " + str(stream.intervalPs) +
           " ps once steady)\n";
  std::vector<std::string> problems = checkStream(model, stream);
  out += formatProblems("stream budgets: ", problems);
  return out;
}

std::string formatStreamJson(const Model &model, const StreamResult &stream,
                             const Accuracy *accuracy) {
  std::vector<std::string> problems = checkStream(model, stream);
  std::string out = "  \"stream\": {\n";
  out += "    \"inputs\": " + str(static_cast<int64_t>(stream.runs.size())) +
         ",\n";
  out += "    \"interval_ps\": " + str(stream.intervalPs) + ",\n";
  out += "    \"budget_steady_from_input\": " +
         (model.stream ? str(static_cast<int64_t>(
                             model.stream->latencyPs.size() - 1))
                       : "null") +
         ",\n";
  out += "    \"budget_latency_ps\": ";
  if (model.stream) {
    out += "[";
    for (size_t i = 0; i < model.stream->latencyPs.size(); ++i)
      out += (i ? ", " : "") + str(model.stream->latencyPs[i]);
    out += "]";
  } else {
    out += "null";
  }
  out += ",\n    \"runs\": [";
  for (size_t i = 0; i < stream.runs.size(); ++i) {
    out += i ? ",\n      " : "\n      ";
    out += "{\"input\": " + str(static_cast<int64_t>(i)) +
           ", \"release_ps\": " + str(stream.releasePs[i]) +
           ", \"latency_ps\": {\"budget\": " +
           (model.stream ? str(model.stream->latencyOf(i)) : "null") +
           ", \"measured\": " + str(stream.latencyPs[i]) +
           "}, \"completion_ps\": " + str(stream.completionPs[i]) +
           ", \"interval_ps\": " +
           (i ? str(intervalBefore(stream, i)) : "null") + "}";
  }
  out += "\n    ],\n";
  out += "    \"steady_interval_ps\": {\"budget\": " +
         str(stream.intervalPs) + ", \"measured\": " +
         (stream.runs.size() >= 2
              ? str(intervalBefore(stream, stream.runs.size() - 1))
              : "null") +
         "},\n";
  out += "    \"mismatches\": [";
  for (size_t i = 0; i < problems.size(); ++i)
    out += (i ? ", " : "") + jsonString(problems[i]);
  out += "]\n  }";
  if (accuracy)
    out += ",\n  \"accuracy\": {" + jsonAccuracy(*accuracy) + "}";
  return jsonDocument(model, stream.runs.front(), problems.empty(), out);
}

std::string formatStreamTrace(const Model &model, const StreamResult &stream) {
  std::vector<const TraceEvent *> events;
  for (const RunResult &run : stream.runs)
    for (const TraceEvent &ev : run.trace)
      events.push_back(&ev);
  return traceDocument(model, events, true);
}

//===----------------------------------------------------------------------===//
// Accuracy
//===----------------------------------------------------------------------===//

int64_t Accuracy::correctCount() const {
  if (!hasLabels())
    return 0;
  int64_t correctInputs = 0;
  for (size_t i = 0; i < classes.size(); ++i)
    correctInputs += correct(i);
  return correctInputs;
}

double Accuracy::accuracy() const {
  return classes.empty() ? 0
                         : static_cast<double>(correctCount()) /
                               static_cast<double>(classes.size());
}

double Accuracy::correctPerJoule() const {
  return totalEnergyFj > 0 ? static_cast<double>(correctCount()) /
                                 (static_cast<double>(totalEnergyFj) * 1e-15)
                           : 0;
}

namespace {
/// A real for tables: six significant digits.
std::string sixDigits(double value) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.6g", value);
  return buf;
}
} // namespace

std::string formatAccuracyLine(const Accuracy &accuracy) {
  if (!accuracy.hasLabels())
    return "";
  return "accuracy: " + str(accuracy.correctCount()) + " of " +
         str(static_cast<int64_t>(accuracy.classes.size())) +
         " inputs correct (" + sixDigits(accuracy.accuracy()) + "), " +
         sixDigits(accuracy.correctPerJoule()) +
         " correct inferences per joule (argmax of '" + accuracy.output +
         "')\n";
}

std::string jsonAccuracy(const Accuracy &accuracy) {
  bool labels = accuracy.hasLabels();
  return "\"output\": " + jsonString(accuracy.output) +
         ", \"inputs\": " + str(static_cast<int64_t>(accuracy.classes.size())) +
         ", \"correct\": " + (labels ? str(accuracy.correctCount()) : "null") +
         ", \"accuracy\": " +
         (labels ? jsonReal(accuracy.accuracy()) : "null") +
         ", \"correct_per_joule\": " +
         (labels ? jsonReal(accuracy.correctPerJoule()) : "null") +
         ", \"total_energy_fj\": " + str(accuracy.totalEnergyFj);
}

namespace {

/// Picoseconds as nanoseconds with three decimals, exactly.
std::string nanoseconds(int64_t ps) {
  std::string us = picosecondsAsMicroseconds(ps, 1000);
  return us;
}

/// A mean in ps as nanoseconds with three decimals.
std::string nanoseconds(double ps) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.3f", ps / 1000);
  return buf;
}

/// Each chip's path, "exit 1", "full (standby)" or "none".
std::string pathsOf(const Model &model, const RunResult &run) {
  std::string out;
  for (const ChipMeasurement &m : run.chips) {
    const ChipDesc *chip = model.system.findChip(m.chip);
    out += (out.empty() ? "" : ", ") + (chip ? chip->name : str(m.chip)) + " " +
           (m.ran ? pathLabel(m.path, m.standby) : "none");
  }
  return out;
}

/// The chips' paths as a JSON array.
std::string jsonPaths(const RunResult &run) {
  std::string out = "[";
  for (size_t c = 0; c < run.chips.size(); ++c) {
    const ChipMeasurement &m = run.chips[c];
    out += (c ? ", " : "") + std::string("{\"chip\": ") + str(m.chip) +
           ", \"path\": " + jsonString(m.ran ? m.path : "none") +
           ", \"standby\": " + (m.ran && m.standby ? "true" : "false") + "}";
  }
  return out + "]";
}

/// The latest halt of the chips that ran, in ps.
int64_t lastHaltPs(const RunResult &run) {
  int64_t last = 0;
  for (const ChipMeasurement &m : run.chips)
    if (m.ran)
      last = std::max(last, (m.startCycle + m.cycles) * m.picosecondsPerCycle);
  return last;
}

int64_t runEnergy(const RunResult &run) {
  int64_t energy = 0;
  for (const ChipMeasurement &m : run.chips)
    energy += m.energyFj;
  return energy;
}

/// Right-aligned columns.
std::string columns(const std::vector<std::string> &headers,
                    const std::vector<std::vector<std::string>> &rows) {
  std::vector<size_t> widths;
  for (const std::string &header : headers)
    widths.push_back(header.size());
  for (const auto &row : rows)
    for (size_t c = 0; c < row.size(); ++c)
      widths[c] = std::max(widths[c], row[c].size());
  std::string out;
  auto line = [&](const std::vector<std::string> &cells) {
    out += " ";
    for (size_t c = 0; c < cells.size(); ++c) {
      out += " ";
      pad(out, cells[c], widths[c], true);
    }
    out += "\n";
  };
  line(headers);
  for (const auto &row : rows)
    line(row);
  return out;
}

std::string classText(const Accuracy &accuracy, size_t i) {
  return i < accuracy.classes.size() ? str(accuracy.classes[i]) : "-";
}

std::string correctText(const Accuracy &accuracy, size_t i) {
  if (!accuracy.hasLabels() || i >= accuracy.classes.size())
    return "-";
  return accuracy.correct(i) ? "yes" : "no";
}

std::string jsonLabel(const Accuracy &accuracy, size_t i) {
  if (!accuracy.hasLabels() || i >= accuracy.classes.size())
    return "\"label\": null, \"correct\": null";
  return "\"label\": " + str(accuracy.labelOf(i)) +
         ", \"correct\": " + (accuracy.correct(i) ? "true" : "false");
}

} // namespace

//===----------------------------------------------------------------------===//
// Batches of independent runs
//===----------------------------------------------------------------------===//

std::vector<std::string> checkBatch(const Model &model,
                                    const std::vector<RunResult> &runs) {
  std::vector<std::string> problems;
  for (size_t i = 0; i < runs.size(); ++i)
    for (const Mismatch &mismatch : checkBudgets(model, runs[i]))
      problems.push_back("input " + str(static_cast<int64_t>(i)) + ": " +
                         mismatch.message());
  return problems;
}

std::string formatBatchTable(const Model &model,
                             const std::vector<RunResult> &runs,
                             const Accuracy &accuracy, size_t rows) {
  std::string out = formatTable(model, runs.front());
  out += "\nbatch of " + str(static_cast<int64_t>(runs.size())) +
         " independent runs\n";
  std::vector<std::vector<std::string>> cells;
  for (size_t i = 0; i < runs.size() && i < rows; ++i)
    cells.push_back({str(static_cast<int64_t>(i)), pathsOf(model, runs[i]),
                     str(lastHaltPs(runs[i])), str(runEnergy(runs[i])),
                     classText(accuracy, i), correctText(accuracy, i)});
  out += columns(
      {"input", "paths", "latency ps", "energy fJ", "class", "correct"}, cells);
  if (runs.size() > rows)
    out += "  ... " + str(static_cast<int64_t>(runs.size() - rows)) +
           " more inputs (--report=json lists every input)\n";
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.6f",
                static_cast<double>(accuracy.totalEnergyFj) /
                    static_cast<double>(runs.size()) * 1e-9);
  out += "mean energy per input: " + std::string(buf) + " uJ (" +
         std::to_string(accuracy.totalEnergyFj /
                        static_cast<int64_t>(runs.size())) +
         " fJ, rounded down)\n";
  out += formatAccuracyLine(accuracy);
  std::vector<std::string> problems = checkBatch(model, runs);
  out += formatProblems("batch budgets: ", problems);
  return out;
}

std::string formatBatchJson(const Model &model,
                            const std::vector<RunResult> &runs,
                            const Accuracy &accuracy) {
  std::vector<std::string> problems = checkBatch(model, runs);
  std::string out = "  \"batch\": {\n";
  out += "    \"inputs\": " + str(static_cast<int64_t>(runs.size())) + ",\n";
  out += "    \"runs\": [";
  for (size_t i = 0; i < runs.size(); ++i) {
    out += i ? ",\n      " : "\n      ";
    out += "{\"input\": " + str(static_cast<int64_t>(i)) +
           ", \"chips\": " + jsonPaths(runs[i]) +
           ", \"latency_ps\": " + str(lastHaltPs(runs[i])) +
           ", \"energy_fj\": " + str(runEnergy(runs[i])) + ", \"class\": " +
           (i < accuracy.classes.size() ? str(accuracy.classes[i]) : "null") +
           ", " + jsonLabel(accuracy, i) + "}";
  }
  out += "\n    ],\n";
  out += "    \"mismatches\": [";
  for (size_t i = 0; i < problems.size(); ++i)
    out += (i ? ", " : "") + jsonString(problems[i]);
  out += "]\n  },\n";
  out += "  \"accuracy\": {" + jsonAccuracy(accuracy) + "}";
  return jsonDocument(model, runs.front(), problems.empty(), out);
}

//===----------------------------------------------------------------------===//
// Early-exit streams
//===----------------------------------------------------------------------===//

std::vector<std::string> checkCascade(const Model &model,
                                      const CascadeResult &cascade) {
  std::vector<std::string> problems;
  for (size_t i = 0; i < cascade.inputs.size(); ++i)
    for (const Mismatch &mismatch : checkBudgets(model, cascade.inputs[i].run))
      problems.push_back("input " + str(static_cast<int64_t>(i)) + ": " +
                         mismatch.message());
  return problems;
}

int64_t nearestRank(std::vector<int64_t> values, double p) {
  if (values.empty())
    return 0;
  std::sort(values.begin(), values.end());
  double rank = std::ceil(p / 100.0 * static_cast<double>(values.size()));
  size_t index = static_cast<size_t>(std::max(1.0, rank)) - 1;
  return values[std::min(index, values.size() - 1)];
}

CascadeSummary summarize(const Model &model, const CascadeResult &cascade) {
  CascadeSummary summary;
  summary.inputs = cascade.inputs.size();
  const EarlyExit &table = *model.earlyExit;
  summary.gateExits.assign(table.gates.size(), 0);
  std::vector<int64_t> latency, service;
  double latencySum = 0, serviceSum = 0;
  for (size_t i = 0; i < cascade.inputs.size(); ++i) {
    const CascadeInput &in = cascade.inputs[i];
    if (const ChipMeasurement *from = in.run.findChip(table.fromChip))
      for (size_t g = 0; g < table.gates.size(); ++g)
        summary.gateExits[g] +=
            from->ran &&
            from->path == "exit " + str(static_cast<int64_t>(g + 1));
    summary.escalations += in.escalated;
    summary.coldStarts += in.toChipState == WakeState::Off;
    summary.standbyStarts += in.toChipState == WakeState::Standby;
    summary.bigModeInputs += in.mode == CascadeMode::Big;
    if (i > 0)
      summary.modeSwitches += in.mode != cascade.inputs[i - 1].mode;
    latency.push_back(in.latencyPs);
    service.push_back(in.servicePs);
    latencySum += static_cast<double>(in.latencyPs);
    serviceSum += static_cast<double>(in.servicePs);
    summary.inputEnergyFj += in.energyFj;
  }
  double n = static_cast<double>(std::max<size_t>(summary.inputs, 1));
  summary.meanLatencyPs = latencySum / n;
  summary.meanServicePs = serviceSum / n;
  summary.p50LatencyPs = nearestRank(latency, 50);
  summary.p99LatencyPs = nearestRank(latency, 99);
  summary.p50ServicePs = nearestRank(service, 50);
  summary.p99ServicePs = nearestRank(service, 99);
  summary.meanEnergyFj = static_cast<double>(cascade.totalEnergyFj) / n;
  return summary;
}

namespace {

std::string rate(size_t count, size_t total) {
  return shortest(
      total ? static_cast<double>(count) / static_cast<double>(total) : 0.0);
}

std::string oneDecimal(double value) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.1f", value);
  return buf;
}

std::string microjoules(double fj) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.6f", fj * 1e-9);
  return buf;
}

std::string chipLabel(const Model &model, int64_t id) {
  const ChipDesc *chip = model.system.findChip(id);
  return "chip " + str(id) + " " + quoted(chip ? chip->name : "?");
}

} // namespace

std::string formatCascadeTable(const Model &model, const CascadeResult &cascade,
                               const Accuracy &accuracy, size_t rows) {
  const EarlyExit &table = *model.earlyExit;
  std::string out = "model " + quoted(model.name) + " (format " +
                    str(model.version) + ") on system " +
                    quoted(model.system.name) + "\n";
  out += "early-exit stream of " +
         str(static_cast<int64_t>(cascade.inputs.size())) +
         " inputs: " + chipLabel(model, table.fromChip) + " escalates to " +
         chipLabel(model, table.toChip) + "; " +
         std::string(measureName(table.measure)) + " of " +
         quoted(table.output) + " (" + std::string(answerName(table.answer)) +
         ")\n";
  out += "arrival interval " + str(cascade.arrivalIntervalPs) +
         " ps, idle window " + str(cascade.idleWindowPs) +
         " ps, return threshold " + shortest(cascade.returnThreshold) +
         ", grid " + str(cascade.gridPs) + " ps\n";
  std::vector<std::vector<std::string>> cells;
  for (size_t i = 0; i < cascade.inputs.size() && i < rows; ++i) {
    const CascadeInput &in = cascade.inputs[i];
    cells.push_back(
        {str(static_cast<int64_t>(i)), std::string(cascadeModeName(in.mode)),
         pathsOf(model, in.run), std::string(wakeStateName(in.toChipState)),
         str(in.startPs), str(in.completionPs), str(in.latencyPs),
         str(in.energyFj), classText(accuracy, i), sixDigits(in.confidence),
         correctText(accuracy, i)});
  }
  out +=
      columns({"input", "mode", "paths", "to-chip", "start ps", "completion ps",
               "latency ps", "energy fJ", "class", "confidence", "correct"},
              cells);
  if (cascade.inputs.size() > rows)
    out += "  ... " + str(static_cast<int64_t>(cascade.inputs.size() - rows)) +
           " more inputs (--report=json lists every input)\n";

  CascadeSummary summary = summarize(model, cascade);
  size_t n = summary.inputs;
  for (size_t g = 0; g < summary.gateExits.size(); ++g)
    out += "exit " + str(static_cast<int64_t>(g + 1)) + " (threshold " +
           shortest(table.gates[g].threshold) +
           "): " + str(static_cast<int64_t>(summary.gateExits[g])) +
           " inputs (rate " + rate(summary.gateExits[g], n) + ", calibrated " +
           shortest(table.gates[g].exitRate) + ")\n";
  out += "escalations: " + str(static_cast<int64_t>(summary.escalations)) +
         " (rate " + rate(summary.escalations, n) + ", calibrated " +
         shortest(table.escalationRate) +
         "): " + str(static_cast<int64_t>(summary.coldStarts)) + " cold, " +
         str(static_cast<int64_t>(summary.standbyStarts)) + " from standby\n";
  out += "mode switches: " + str(static_cast<int64_t>(summary.modeSwitches)) +
         " (big mode for " + str(static_cast<int64_t>(summary.bigModeInputs)) +
         " of " + str(static_cast<int64_t>(n)) + " inputs)\n";
  out += "latency: mean " + nanoseconds(summary.meanLatencyPs) + " ns, p50 " +
         nanoseconds(summary.p50LatencyPs) + " ns, p99 " +
         nanoseconds(summary.p99LatencyPs) + " ns\n";
  out += "service time: mean " + nanoseconds(summary.meanServicePs) +
         " ns, p50 " + nanoseconds(summary.p50ServicePs) + " ns, p99 " +
         nanoseconds(summary.p99ServicePs) + " ns\n";
  out += "energy: " + str(cascade.totalEnergyFj) + " fJ (inputs " +
         str(summary.inputEnergyFj) + ", between inputs " +
         str(cascade.gapEnergyFj) + "); mean per input " +
         microjoules(summary.meanEnergyFj) + " uJ (" +
         oneDecimal(summary.meanEnergyFj) + " fJ)\n";
  for (const ChipPower &power : cascade.power)
    out += "  " + chipLabel(model, power.chip) + ": " + str(power.energyFj) +
           " fJ\n";
  out += formatAccuracyLine(accuracy);
  std::vector<std::string> problems = checkCascade(model, cascade);
  out += formatProblems("budgets: ", problems);
  return out;
}

std::string formatCascadeJson(const Model &model, const CascadeResult &cascade,
                              const Accuracy &accuracy) {
  const EarlyExit &table = *model.earlyExit;
  std::vector<std::string> problems = checkCascade(model, cascade);
  CascadeSummary summary = summarize(model, cascade);
  size_t n = summary.inputs;
  std::string out = "{\n";
  out += "  \"model\": " + jsonString(model.name) + ",\n";
  out += "  \"format_version\": " + str(model.version) + ",\n";
  out += "  \"system\": " + jsonString(model.system.name) + ",\n";
  out += std::string("  \"budgets_match\": ") +
         (problems.empty() ? "true" : "false") + ",\n";
  out += "  \"inputs\": " + jsonSignatures(model.inputs) + ",\n";
  out += "  \"outputs\": " + jsonSignatures(model.outputs) + ",\n";

  out += "  \"early_exit\": {\"measure\": " +
         jsonString(measureName(table.measure)) +
         ", \"output\": " + jsonString(table.output) +
         ", \"answer\": " + jsonString(answerName(table.answer)) +
         ", \"from_chip\": " + str(table.fromChip) +
         ", \"to_chip\": " + str(table.toChip) + ", \"gates\": [";
  for (size_t g = 0; g < table.gates.size(); ++g)
    out += (g ? ", " : "") + std::string("{\"split\": ") +
           jsonString(table.gates[g].split) +
           ", \"threshold\": " + jsonReal(table.gates[g].threshold) +
           ", \"exit_rate\": " + jsonReal(table.gates[g].exitRate) + "}";
  out += "], \"escalation_rate\": " + jsonReal(table.escalationRate) +
         ", \"return_threshold\": " + jsonReal(cascade.returnThreshold) +
         ", \"idle_window_ps\": " + str(cascade.idleWindowPs) +
         ", \"arrival_interval_ps\": " + str(cascade.arrivalIntervalPs) +
         ", \"grid_ps\": " + str(cascade.gridPs) + "},\n";

  out += "  \"summary\": {\"inputs\": " + str(static_cast<int64_t>(n)) +
         ", \"gates\": [";
  for (size_t g = 0; g < summary.gateExits.size(); ++g)
    out += (g ? ", " : "") + std::string("{\"exit\": ") +
           str(static_cast<int64_t>(g + 1)) +
           ", \"exits\": " + str(static_cast<int64_t>(summary.gateExits[g])) +
           ", \"rate\": " + rate(summary.gateExits[g], n) + "}";
  out += "], \"escalations\": {\"total\": " +
         str(static_cast<int64_t>(summary.escalations)) +
         ", \"cold\": " + str(static_cast<int64_t>(summary.coldStarts)) +
         ", \"standby\": " + str(static_cast<int64_t>(summary.standbyStarts)) +
         ", \"rate\": " + rate(summary.escalations, n) + "}" +
         ", \"mode_switches\": " +
         str(static_cast<int64_t>(summary.modeSwitches)) +
         ", \"big_mode_inputs\": " +
         str(static_cast<int64_t>(summary.bigModeInputs)) +
         ", \"latency_ns\": {\"mean\": " + nanoseconds(summary.meanLatencyPs) +
         ", \"p50\": " + nanoseconds(summary.p50LatencyPs) +
         ", \"p99\": " + nanoseconds(summary.p99LatencyPs) + "}" +
         ", \"service_ns\": {\"mean\": " + nanoseconds(summary.meanServicePs) +
         ", \"p50\": " + nanoseconds(summary.p50ServicePs) +
         ", \"p99\": " + nanoseconds(summary.p99ServicePs) + "}" +
         ", \"energy_fj\": {\"total\": " + str(cascade.totalEnergyFj) +
         ", \"inputs\": " + str(summary.inputEnergyFj) +
         ", \"gaps\": " + str(cascade.gapEnergyFj) +
         ", \"mean_per_input\": " + jsonReal(summary.meanEnergyFj) + "}" +
         ", \"mean_energy_uj\": " + jsonReal(summary.meanEnergyFj * 1e-9) +
         ", \"end_ps\": " + str(cascade.endPs) + "},\n";
  out += "  \"accuracy\": {" + jsonAccuracy(accuracy) + "},\n";

  out += "  \"runs\": [";
  for (size_t i = 0; i < cascade.inputs.size(); ++i) {
    const CascadeInput &in = cascade.inputs[i];
    out += i ? ",\n    " : "\n    ";
    out += "{\"input\": " + str(static_cast<int64_t>(i)) +
           ", \"mode\": " + jsonString(cascadeModeName(in.mode)) +
           ", \"chips\": " + jsonPaths(in.run) +
           ", \"to_chip_state\": " + jsonString(wakeStateName(in.toChipState)) +
           ", \"arrival_ps\": " + str(in.arrivalPs) +
           ", \"start_ps\": " + str(in.startPs) +
           ", \"completion_ps\": " + str(in.completionPs) +
           ", \"latency_ps\": " + str(in.latencyPs) +
           ", \"service_ps\": " + str(in.servicePs) +
           ", \"energy_fj\": " + str(in.energyFj) +
           ", \"class\": " + str(in.answerClass) +
           ", \"confidence\": " + jsonReal(in.confidence) + ", " +
           jsonLabel(accuracy, i) + ", \"budgets_match\": " +
           (checkBudgets(model, in.run).empty() ? "true" : "false") + "}";
  }
  out += cascade.inputs.empty() ? "],\n" : "\n  ],\n";

  out += "  \"power\": [";
  for (size_t c = 0; c < cascade.power.size(); ++c) {
    const ChipPower &power = cascade.power[c];
    const ChipDesc *chip = model.system.findChip(power.chip);
    out += c ? ",\n    " : "\n    ";
    out += "{\"chip\": " + str(power.chip) +
           ", \"name\": " + jsonString(chip ? chip->name : "") +
           ", \"starts_asleep\": " + (power.startsAsleep ? "true" : "false") +
           ", \"energy_fj\": " + str(power.energyFj) + ", \"intervals\": [";
    for (size_t k = 0; k < power.intervals.size(); ++k) {
      const PowerInterval &interval = power.intervals[k];
      out += (k ? ", " : "") + std::string("{\"state\": ") +
             jsonString(powerStateName(interval.state)) +
             ", \"start_ps\": " + str(interval.startPs) +
             ", \"end_ps\": " + str(interval.endPs) + ", \"input\": " +
             (interval.input < 0 ? "null" : str(interval.input)) + "}";
    }
    out += "]}";
  }
  out += cascade.power.empty() ? "],\n" : "\n  ],\n";
  out += "  \"mismatches\": [";
  for (size_t i = 0; i < problems.size(); ++i)
    out += (i ? ", " : "") + jsonString(problems[i]);
  out += "]\n}\n";
  return out;
}

std::string formatCascadeTrace(const Model &model,
                               const CascadeResult &cascade) {
  std::vector<const TraceEvent *> events;
  for (const CascadeInput &in : cascade.inputs)
    for (const TraceEvent &ev : in.run.trace)
      events.push_back(&ev);
  return traceDocument(model, events, true, &cascade.power);
}

} // namespace npu::rt::report
