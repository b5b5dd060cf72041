//===- InputFile.cpp - Bounded reading of untrusted input files -----------===//
//
// readInputFile() stats the path before it opens it (opening a FIFO blocks
// until a writer comes), then stats the open descriptor again, so that what
// is read is the regular file that was checked, and reads at most the size
// it was checked at. Stdin is read in chunks up to the limit.
//
// findExcessiveNesting() is a single pass over the bytes that tracks the
// depth of brackets outside strings and comments; it needs no parser and
// cannot itself recurse.
//
//===----------------------------------------------------------------------===//

#include "npu/Support/InputFile.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Process.h"

using namespace mlir;
using namespace mlir::npu;

namespace {

StringRef typeName(llvm::sys::fs::file_type type) {
  using llvm::sys::fs::file_type;
  switch (type) {
  case file_type::directory_file:
    return "a directory";
  case file_type::block_file:
    return "a block device";
  case file_type::character_file:
    return "a character device";
  case file_type::fifo_file:
    return "a FIFO";
  case file_type::socket_file:
    return "a socket";
  default:
    return "not a regular file";
  }
}

std::string notRegular(llvm::sys::fs::file_type type) {
  return ("it is " + typeName(type) + ", not a regular file").str();
}

std::string tooLarge(uint64_t size, uint64_t maxBytes) {
  return llvm::formatv("{0} bytes are more than the limit of {1} bytes", size,
                       maxBytes)
      .str();
}

/// Stdin: a regular file, a pipe or a terminal, read in chunks up to
/// `maxBytes`.
std::unique_ptr<llvm::MemoryBuffer>
readStdin(std::string &error, uint64_t maxBytes,
          std::optional<llvm::Align> alignment) {
  llvm::sys::fs::file_status status;
  if (std::error_code ec = llvm::sys::fs::status(0, status)) {
    error = "cannot read: " + ec.message();
    return nullptr;
  }
  llvm::sys::fs::file_type type = status.type();
  if (type != llvm::sys::fs::file_type::regular_file &&
      type != llvm::sys::fs::file_type::fifo_file &&
      !llvm::sys::Process::StandardInIsUserInput()) {
    error = ("stdin is " + typeName(type) +
             "; only regular files, pipes and terminals are read")
                .str();
    return nullptr;
  }
  llvm::SmallVector<char, 0> bytes;
  constexpr size_t kChunk = size_t(1) << 16;
  while (true) {
    if (bytes.size() > maxBytes) {
      error = "stdin: more than the limit of " + std::to_string(maxBytes) +
              " bytes";
      return nullptr;
    }
    size_t old = bytes.size();
    bytes.resize_for_overwrite(old + kChunk);
    llvm::Expected<size_t> n = llvm::sys::fs::readNativeFile(
        llvm::sys::fs::convertFDToNativeFile(0),
        llvm::MutableArrayRef<char>(bytes.data() + old, kChunk));
    if (!n) {
      error = "cannot read: " + llvm::toString(n.takeError());
      return nullptr;
    }
    bytes.truncate(old + *n);
    if (*n == 0)
      break;
  }
  std::unique_ptr<llvm::WritableMemoryBuffer> buffer =
      llvm::WritableMemoryBuffer::getNewUninitMemBuffer(bytes.size(), "<stdin>",
                                                        alignment);
  if (!buffer) {
    error = "out of memory";
    return nullptr;
  }
  std::copy(bytes.begin(), bytes.end(), buffer->getBufferStart());
  return buffer;
}

/// A regular file of at most `maxBytes`; otherwise false with `error` set.
bool acceptable(const llvm::sys::fs::file_status &status, uint64_t maxBytes,
                std::string &error) {
  if (status.type() != llvm::sys::fs::file_type::regular_file) {
    error = notRegular(status.type());
    return false;
  }
  if (status.getSize() > maxBytes) {
    error = tooLarge(status.getSize(), maxBytes);
    return false;
  }
  return true;
}

/// Reads the open regular file `fd` after checking it again: the path may
/// have been replaced since it was checked.
std::unique_ptr<llvm::MemoryBuffer>
readOpened(llvm::sys::fs::file_t fd, StringRef path, std::string &error,
           uint64_t maxBytes, std::optional<llvm::Align> alignment) {
  llvm::sys::fs::file_status status;
  if (std::error_code ec = llvm::sys::fs::status(fd, status)) {
    error = "cannot read: " + ec.message();
    return nullptr;
  }
  if (!acceptable(status, maxBytes, error))
    return nullptr;
  auto buffer = llvm::MemoryBuffer::getOpenFile(
      fd, path, status.getSize(), /*RequiresNullTerminator=*/true,
      /*IsVolatile=*/false, alignment);
  if (!buffer) {
    error = "cannot read: " + buffer.getError().message();
    return nullptr;
  }
  return std::move(*buffer);
}

} // namespace

std::unique_ptr<llvm::MemoryBuffer>
mlir::npu::readInputFile(StringRef path, std::string &error, uint64_t maxBytes,
                         std::optional<llvm::Align> alignment) {
  if (path == "-")
    return readStdin(error, maxBytes, alignment);
  // Checked before opening: opening a FIFO blocks until a writer comes.
  llvm::sys::fs::file_status status;
  if (std::error_code ec = llvm::sys::fs::status(path, status)) {
    error = "cannot read: " + ec.message();
    return nullptr;
  }
  if (!acceptable(status, maxBytes, error))
    return nullptr;
  llvm::Expected<llvm::sys::fs::file_t> fd =
      llvm::sys::fs::openNativeFileForRead(path);
  if (!fd) {
    error = "cannot read: " + llvm::toString(fd.takeError());
    return nullptr;
  }
  std::unique_ptr<llvm::MemoryBuffer> buffer =
      readOpened(*fd, path, error, maxBytes, alignment);
  llvm::sys::fs::closeFile(*fd);
  return buffer;
}

std::optional<size_t> mlir::npu::findExcessiveNesting(StringRef text,
                                                      NestingSyntax syntax,
                                                      unsigned maxDepth) {
  const bool mlir = syntax == NestingSyntax::MLIR;
  unsigned depth = 0;
  for (size_t i = 0, e = text.size(); i < e; ++i) {
    char c = text[i];
    if (c == '"') {
      // A string: skip to the closing quote, over escapes.
      for (++i; i < e && text[i] != '"'; ++i)
        if (text[i] == '\\')
          ++i;
      continue;
    }
    if (mlir && c == '/' && i + 1 < e && text[i + 1] == '/') {
      while (i < e && text[i] != '\n')
        ++i;
      continue;
    }
    bool opener = c == '[' || c == '{' || (mlir && (c == '(' || c == '<'));
    // In MLIR, the `>` of `->` and `>=` closes nothing.
    bool angle = c == '>' && !(i > 0 && text[i - 1] == '-') &&
                 !(i + 1 < e && text[i + 1] == '=');
    bool closer = c == ']' || c == '}' || (mlir && (c == ')' || angle));
    if (opener && ++depth > maxDepth)
      return i;
    if (closer && depth > 0)
      --depth;
  }
  return std::nullopt;
}

std::string mlir::npu::nestingTooDeepMessage(unsigned maxDepth) {
  return llvm::formatv("brackets nest deeper than the limit of {0} levels",
                       maxDepth)
      .str();
}

llvm::Expected<llvm::json::Value> mlir::npu::parseJSONBounded(StringRef text) {
  if (std::optional<size_t> offset =
          findExcessiveNesting(text, NestingSyntax::JSON)) {
    StringRef before = text.take_front(*offset);
    size_t line = before.count('\n') + 1;
    size_t lineStart = before.rfind('\n');
    size_t column =
        lineStart == StringRef::npos ? *offset + 1 : *offset - lineStart;
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   llvm::formatv("[{0}:{1}, byte={2}]: {3}",
                                                 line, column, *offset,
                                                 nestingTooDeepMessage()));
  }
  return llvm::json::parse(text);
}
