//===- OperationCounts.h - Exact operations of each path -------*- C++ -*-===//
//
// What one run of a program does, counted from its binary (docs/serving.md,
// "Pricing"): the multiply-accumulates of its matmuls and convolutions, the
// element operations of its vector unit, and the host, DRAM and link bytes
// of its budget. Counted once per path ("full", "exit 1", ...), so that a
// price can be fixed before the data decides the path: the pricing charges
// the most expensive path and reports the one actually taken.
//
// A path is walked the way the simulator issues the stream
// (docs/execution-model.md, "Paths"): an exit check at index i is followed
// by its exitPathLength-instruction exit path; "full" skips every exit path,
// "exit N" enters the exit paths that lead to the N-th check (stream order,
// checks inside exit paths counted too) and that check's own. The walk
// stops at the first halt it reaches.
//
//===----------------------------------------------------------------------===//

#ifndef NPU_SERVE_OPERATIONCOUNTS_H
#define NPU_SERVE_OPERATIONCOUNTS_H

#include "npu/rt/Model.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace npu::serve {

/// The priced quantities of one run of one program path. Every field is an
/// exact count; none is an estimate.
struct OperationCounts {
  /// Multiply-accumulates: m*k*n per matmul, outChannels * rows * outWidth
  /// * channels * kernelH * kernelW per convolution tile (the im2col GEMM
  /// the MAC array runs, padded positions included).
  int64_t macs = 0;
  /// Element operations of the vector unit: vector and fill `count`, the
  /// elements a reduce or copy reads, output elements x window of a pool,
  /// output elements of a resize, classes of an exit check.
  int64_t vectorOps = 0;
  /// Bytes of the path's budget (npu/rt/Cost.h): host link, DRAM, links.
  int64_t hostBytes = 0;
  int64_t dramBytes = 0;
  int64_t linkBytes = 0;

  bool operator==(const OperationCounts &other) const {
    return macs == other.macs && vectorOps == other.vectorOps &&
           hostBytes == other.hostBytes && dramBytes == other.dramBytes &&
           linkBytes == other.linkBytes;
  }
};

/// `sum += more`, field by field; false (sum unspecified) past INT64_MAX.
bool addCounts(OperationCounts &sum, const OperationCounts &more);

/// The counts of one path of a program.
struct PathOperations {
  /// "full" or "exit N", as the program's budgets name it.
  std::string path;
  OperationCounts counts;
};

/// Every path of one program: "full" first, then "exit 1".."exit N".
struct ProgramOperations {
  std::vector<PathOperations> paths;

  /// The counts of `path`, or null.
  const OperationCounts *find(const std::string &path) const;
};

/// The operations of one path of `program`; the bytes come from the
/// program's budget of that path. Fails (returns nullopt, sets `error`
/// naming the program, the instruction and the count) on a path without a
/// budget or a count past INT64_MAX.
std::optional<OperationCounts> countPath(const rt::Program &program,
                                         const std::string &path,
                                         std::string &error);

/// The operations of every path of every program of `model`, in program
/// order.
std::optional<std::vector<ProgramOperations>>
countOperations(const rt::Model &model, std::string &error);

} // namespace npu::serve

#endif // NPU_SERVE_OPERATIONCOUNTS_H
