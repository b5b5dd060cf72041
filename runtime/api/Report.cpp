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
      report.budget = report.program->findBudget(m->path);
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

std::string Mismatch::message() const {
  std::string out = "chip " + str(chip) + " (" + quoted(chipName) +
                    "), program " + quoted(program) + ", path " + quoted(path) +
                    ": ";
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
    out += ", path " + quoted(m->path) + ", start cycle " + str(m->startCycle) +
           ", " + str(m->activeCycles) + " active cycles, " +
           str(m->picosecondsPerCycle) + " ps/cycle" +
           (m->startedAsleep ? ", woken" : "") + "\n";
    if (!report.budget) {
      out += "  (the binary has no budget for path " + quoted(m->path) + ")\n";
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
      out += check.confident ? ", took path 'exit " + str(check.ordinal) + "'"
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
            ", \"confident\": " + (check.confident ? "true" : "false") + "}";
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

/// The trace document of `events`; `tagInputs` adds each event's input.
std::string traceDocument(const Model &model,
                          const std::vector<const TraceEvent *> &events,
                          bool tagInputs) {
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
  out += "stream budgets: ";
  out += problems.empty() ? "all equal to the measurements"
                          : str(static_cast<int64_t>(problems.size())) +
                                " differ from the measurements";
  out += "\n";
  for (const std::string &problem : problems)
    out += "  " + problem + "\n";
  return out;
}

std::string formatStreamJson(const Model &model, const StreamResult &stream) {
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
  return jsonDocument(model, stream.runs.front(), problems.empty(), out);
}

std::string formatStreamTrace(const Model &model, const StreamResult &stream) {
  std::vector<const TraceEvent *> events;
  for (const RunResult &run : stream.runs)
    for (const TraceEvent &ev : run.trace)
      events.push_back(&ev);
  return traceDocument(model, events, true);
}

} // namespace npu::rt::report
