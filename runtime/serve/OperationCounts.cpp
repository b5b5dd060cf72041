//===- OperationCounts.cpp - Exact operations of every program path -------===//
//
// One walk of the stream per path; every product and sum is checked, so a
// count is either exact or an error (docs/serving.md, "Pricing").
//
//===----------------------------------------------------------------------===//

#include "OperationCounts.h"

#include <initializer_list>
#include <type_traits>
#include <variant>

namespace npu::serve {

namespace {

/// The product of `factors`, or nullopt past INT64_MAX (or below 0).
std::optional<int64_t> product(std::initializer_list<int64_t> factors) {
  int64_t out = 1;
  for (int64_t f : factors)
    if (f < 0 || __builtin_mul_overflow(out, f, &out))
      return std::nullopt;
  return out;
}

/// `total += value`, false past INT64_MAX.
bool accumulate(int64_t &total, int64_t value) {
  return !__builtin_add_overflow(total, value, &total);
}

/// The MACs and vector element operations of one instruction (the units
/// are those of OperationCounts). False when a count overflows.
bool instructionOperations(const rt::Instruction &instr, int64_t &macs,
                           int64_t &vectorOps) {
  using namespace rt::isa;
  std::optional<int64_t> mac = 0, vec = 0;
  std::visit(
      [&](const auto &op) {
        using T = std::decay_t<decltype(op)>;
        if constexpr (std::is_same_v<T, MatMul>)
          mac = product({op.m, op.k, op.n});
        else if constexpr (std::is_same_v<T, Conv>)
          // Kernels.cpp: weights [outChannels, channels*kh*kw] times the
          // im2col matrix [channels*kh*kw, rows*outWidth]; no groups.
          mac = product({op.outChannels, op.outRows[1], op.outHw[1],
                         op.channels, op.kernel[0], op.kernel[1]});
        else if constexpr (std::is_same_v<T, Vector> || std::is_same_v<T, Fill>)
          vec = product({op.count});
        else if constexpr (std::is_same_v<T, Reduce>)
          vec = product({op.shape[0], op.shape[1], op.shape[2]});
        else if constexpr (std::is_same_v<T, Pool>)
          vec = product({op.channels, op.outHw[0], op.outHw[1], op.kernel[0],
                         op.kernel[1]});
        else if constexpr (std::is_same_v<T, Copy>)
          vec = product({op.shape[0], op.shape[1], op.shape[2], op.shape[3]});
        else if constexpr (std::is_same_v<T, Resize>)
          vec = product({op.channels, op.outHw[0], op.outHw[1]});
        else if constexpr (std::is_same_v<T, ExitCheck>)
          vec = product({op.classes});
      },
      instr);
  return mac && vec && accumulate(macs, *mac) && accumulate(vectorOps, *vec);
}

/// N of "exit N" (1-based), 0 for "full", nullopt for anything else.
std::optional<uint32_t> exitOrdinal(const std::string &path) {
  if (path == "full")
    return 0;
  const std::string prefix = "exit ";
  if (path.size() <= prefix.size() || path.size() > prefix.size() + 9 ||
      path.compare(0, prefix.size(), prefix) != 0)
    return std::nullopt;
  uint64_t n = 0;
  for (size_t i = prefix.size(); i < path.size(); ++i) {
    if (path[i] < '0' || path[i] > '9')
      return std::nullopt;
    n = n * 10 + uint64_t(path[i] - '0');
  }
  if (n == 0 || n > UINT32_MAX)
    return std::nullopt;
  return uint32_t(n);
}

} // namespace

bool addCounts(OperationCounts &sum, const OperationCounts &more) {
  return accumulate(sum.macs, more.macs) &&
         accumulate(sum.vectorOps, more.vectorOps) &&
         accumulate(sum.hostBytes, more.hostBytes) &&
         accumulate(sum.dramBytes, more.dramBytes) &&
         accumulate(sum.linkBytes, more.linkBytes);
}

const OperationCounts *ProgramOperations::find(const std::string &path) const {
  for (const PathOperations &p : paths)
    if (p.path == path)
      return &p.counts;
  return nullptr;
}

std::optional<OperationCounts> countPath(const rt::Program &program,
                                         const std::string &path,
                                         std::string &error) {
  const std::string where =
      "program '" + program.name + "' path '" + path + "'";
  std::optional<uint32_t> ordinal = exitOrdinal(path);
  const std::vector<rt::Instruction> &stream = program.instructions;
  // The stream index of the check the path exits at (none for "full").
  size_t target = stream.size();
  if (ordinal && *ordinal > 0) {
    uint32_t seen = 0;
    for (size_t i = 0; i < stream.size() && target == stream.size(); ++i)
      if (std::holds_alternative<rt::isa::ExitCheck>(stream[i]) &&
          ++seen == *ordinal)
        target = i;
  }
  if (!ordinal || (*ordinal > 0 && target == stream.size())) {
    error = where + ": no such path (the program has " +
            std::to_string(program.exitChecks) + " exit check(s))";
    return std::nullopt;
  }
  const rt::Budget *budget = program.findBudget(path);
  if (!budget) {
    error = where + ": the binary has no budget for it";
    return std::nullopt;
  }
  OperationCounts counts;
  counts.hostBytes = budget->hostBytes;
  counts.dramBytes = budget->dramBytes;
  counts.linkBytes = budget->linkBytes;
  size_t pc = 0;
  while (pc < stream.size()) {
    const rt::Instruction &instr = stream[pc];
    if (!instructionOperations(instr, counts.macs, counts.vectorOps)) {
      error = where + ": instruction " + std::to_string(pc) + " (" +
              std::string(rt::instructionName(instr)) +
              "): the operation count exceeds 2^63 - 1";
      return std::nullopt;
    }
    if (std::holds_alternative<rt::isa::Halt>(instr))
      break;
    size_t next = pc + 1;
    if (const auto *check = std::get_if<rt::isa::ExitCheck>(&instr)) {
      // Enter this exit path when the target check is this one or lies
      // inside it; otherwise continue after it.
      size_t end = pc + check->exitPathLength;
      bool enter = target >= pc && target <= end;
      if (!enter)
        next = end + 1;
    }
    pc = next;
  }
  return counts;
}

std::optional<std::vector<ProgramOperations>>
countOperations(const rt::Model &model, std::string &error) {
  std::vector<ProgramOperations> out;
  for (const rt::Program &program : model.programs) {
    ProgramOperations ops;
    for (uint32_t n = 0; n <= program.exitChecks; ++n) {
      PathOperations p;
      p.path = n == 0 ? "full" : "exit " + std::to_string(n);
      std::optional<OperationCounts> counts = countPath(program, p.path, error);
      if (!counts)
        return std::nullopt;
      p.counts = *counts;
      ops.paths.push_back(std::move(p));
    }
    out.push_back(std::move(ops));
  }
  return out;
}

} // namespace npu::serve
