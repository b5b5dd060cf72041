//===- Files.h - Reading the serving layer's input files --------*- C++ -*-===//
//
// Installations, repositories and traces come from outside: every file is
// checked to be a regular file below a size limit before a byte is read, so
// that /dev/zero or a FIFO is an error, not an allocation storm or a hang.
//
//===----------------------------------------------------------------------===//

#ifndef NPU_SERVE_FILES_H
#define NPU_SERVE_FILES_H

#include <cstdint>
#include <string>
#include <vector>

namespace npu::serve {

/// The largest installation, config or trace file read (1 GiB).
constexpr int64_t kMaxTextFileBytes = int64_t(1) << 30;
/// The largest .npub a repository may hold: the runtime's file limit.
constexpr int64_t kMaxBinaryFileBytes = (int64_t(2) << 30) - 1;

/// Reads a regular file of at most `limit` bytes into `bytes` with the
/// runtime's one bounded reader (npu/rt/File.h). On failure returns false
/// and sets `error` ("cannot read 'FILE': it is a FIFO, ...").
bool readRegularFile(const std::string &path, int64_t limit,
                     std::vector<uint8_t> &bytes, std::string &error);
bool readTextFile(const std::string &path, std::string &text,
                  std::string &error);

/// Writes `text` to `path` all or nothing (a temporary file renamed over
/// it). Returns an empty string or the reason.
std::string writeTextAtomically(const std::string &path,
                                const std::string &text);

/// The directory of a file path ("." for a bare name).
std::string directoryOf(const std::string &path);

/// `path` relative to `baseDir` unless it is absolute.
std::string resolvePath(const std::string &baseDir, const std::string &path);

} // namespace npu::serve

#endif // NPU_SERVE_FILES_H
