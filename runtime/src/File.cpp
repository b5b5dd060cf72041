//===- File.cpp - Bounded reading of untrusted files in the runtime -------===//
//
// The path is checked with stat() before it is opened (opening a FIFO
// blocks until a writer comes), opened with O_NONBLOCK in case it was
// replaced since, and checked again with fstat() on the descriptor; then at
// most the checked size is read.
//
//===----------------------------------------------------------------------===//

#include "npu/rt/File.h"

#include <cerrno>
#include <cstring>
#include <new>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace npu::rt {

namespace {

std::string quoted(const std::string &text) { return "'" + text + "'"; }

/// Why a file of this mode is not read, or empty for a regular file.
std::string notRegular(mode_t mode) {
  if (S_ISREG(mode))
    return "";
  const char *kind = S_ISDIR(mode)    ? "a directory"
                     : S_ISCHR(mode)  ? "a character device"
                     : S_ISBLK(mode)  ? "a block device"
                     : S_ISFIFO(mode) ? "a FIFO"
                     : S_ISSOCK(mode) ? "a socket"
                                      : "a special file";
  return std::string("it is ") + kind + ", not a regular file";
}

/// Checks the type and size of a file; empty when it may be read.
std::string check(const struct stat &info, uint64_t maxBytes) {
  std::string why = notRegular(info.st_mode);
  if (why.empty() && static_cast<uint64_t>(info.st_size) > maxBytes)
    why = std::to_string(info.st_size) + " bytes are more than the limit of " +
          std::to_string(maxBytes) + " bytes";
  return why;
}

} // namespace

bool readRegularFile(const std::string &path, std::vector<uint8_t> &bytes,
                     std::string &error, uint64_t maxBytes) {
  struct stat info;
  if (::stat(path.c_str(), &info) != 0) {
    error = "cannot open " + quoted(path) + ": " + std::strerror(errno);
    return false;
  }
  if (std::string why = check(info, maxBytes); !why.empty()) {
    error = "cannot read " + quoted(path) + ": " + why;
    return false;
  }
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    error = "cannot open " + quoted(path) + ": " + std::strerror(errno);
    return false;
  }
  auto failWith = [&](std::string message) {
    ::close(fd);
    error = std::move(message);
    return false;
  };
  if (::fstat(fd, &info) != 0)
    return failWith("cannot read " + quoted(path) + ": " +
                    std::strerror(errno));
  if (std::string why = check(info, maxBytes); !why.empty())
    return failWith("cannot read " + quoted(path) + ": " + why);
  size_t size = static_cast<size_t>(info.st_size);
  try {
    bytes.assign(size, 0);
  } catch (const std::bad_alloc &) {
    return failWith("out of memory while reading " + quoted(path));
  }
  // A file that shrank since fstat() ends early; one that grew is read up to
  // the size that was checked.
  size_t done = 0;
  while (done < size) {
    ssize_t n = ::read(fd, bytes.data() + done, size - done);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      return failWith("cannot read " + quoted(path) + ": " +
                      std::strerror(errno));
    if (n == 0)
      break;
    done += static_cast<size_t>(n);
  }
  bytes.resize(done);
  ::close(fd);
  return true;
}

} // namespace npu::rt
