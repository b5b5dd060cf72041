//===- InputFile.h - Bounded reading of untrusted input files ---*- C++ -*-===//
//
// Every file an npu compiler tool reads (a model, a system or placement
// description, a constant tensor, calibration data, a .npub) comes through
// readInputFile(): regular files only (a FIFO would hang the tool, /dev/zero
// would fill memory), no larger than a documented limit, checked before the
// first byte is read. Text formats that MLIR or llvm::json parse recursively
// are also checked for their nesting depth first, so that no input can
// overflow the parser's stack. The limits are documented in
// docs/system-description.md ("Limits").
//
//===----------------------------------------------------------------------===//

#ifndef NPU_SUPPORT_INPUTFILE_H
#define NPU_SUPPORT_INPUTFILE_H

#include "mlir/Support/LLVM.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Alignment.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"

#include <cstdint>
#include <memory>
#include <optional>

namespace mlir::npu {

/// The largest file a tool reads: 2 GiB, protobuf's limit for an ONNX model
/// and the format limit of a .npub (docs/binary-format.md).
constexpr uint64_t kMaxInputFileBytes = uint64_t(2) << 30;
/// The largest JSON description (system, placement): far more than any real
/// system needs, small enough that parsing it stays cheap.
constexpr uint64_t kMaxJSONFileBytes = uint64_t(64) << 20;
/// The deepest nesting of brackets accepted in MLIR text and JSON. MLIR's
/// parser recurses per level and overflows an 8 MiB stack at about 3,500
/// nested regions or 7,000 nested arrays; real inputs nest below 20.
constexpr unsigned kMaxNestingDepth = 1000;

/// Reads `path` ("-" is stdin) whole. Refuses anything but a regular file
/// (stdin may also be a pipe or a terminal) and files larger than `maxBytes`,
/// before reading. On failure returns null and sets `error` to the reason,
/// for the caller to prefix with the file's role and path: "cannot read: No
/// such file or directory", "it is a FIFO, not a regular file", "N bytes are
/// more than the limit of M bytes".
std::unique_ptr<llvm::MemoryBuffer>
readInputFile(StringRef path, std::string &error,
              uint64_t maxBytes = kMaxInputFileBytes,
              std::optional<llvm::Align> alignment = std::nullopt);

/// The syntax whose brackets findExcessiveNesting() counts.
enum class NestingSyntax {
  /// ( [ { and < >, skipping "strings", // comments and the `->` arrow.
  MLIR,
  /// [ and {, skipping "strings".
  JSON,
};

/// The byte offset at which the bracket nesting of `text` first exceeds
/// `maxDepth`, or nullopt if it never does. A cheap linear scan: it does not
/// validate the syntax, and unbalanced closers only lower the count.
std::optional<size_t>
findExcessiveNesting(StringRef text, NestingSyntax syntax,
                     unsigned maxDepth = kMaxNestingDepth);

/// The message for nesting deeper than `maxDepth`, shared by every reader.
std::string nestingTooDeepMessage(unsigned maxDepth = kMaxNestingDepth);

/// Parses JSON after checking its nesting depth (llvm::json::parse
/// recurses). Errors are "line L, column C: ..." like llvm::json's own.
llvm::Expected<llvm::json::Value> parseJSONBounded(StringRef text);

} // namespace mlir::npu

#endif // NPU_SUPPORT_INPUTFILE_H
