//===- Files.cpp - Reading the serving layer's input files ----------------===//

#include "Files.h"

#include "TensorIO.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace npu::serve {

bool readRegularFile(const std::string &path, int64_t limit,
                     std::vector<uint8_t> &bytes, std::string &error) {
  // O_NONBLOCK: opening a FIFO must not wait for a writer.
  int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    error = path + ": cannot open: " + std::strerror(errno);
    return false;
  }
  struct stat info;
  if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
    ::close(fd);
    error = path + ": not a regular file";
    return false;
  }
  if (info.st_size > limit) {
    ::close(fd);
    error = path + ": " + std::to_string(info.st_size) +
            " bytes exceeds the limit of " + std::to_string(limit) + " bytes";
    return false;
  }
  bytes.resize(static_cast<size_t>(info.st_size));
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t got = ::read(fd, bytes.data() + done, bytes.size() - done);
    if (got < 0 && errno == EINTR)
      continue;
    if (got <= 0) {
      ::close(fd);
      error = path + ": read failed after " + std::to_string(done) + " bytes";
      return false;
    }
    done += static_cast<size_t>(got);
  }
  ::close(fd);
  return true;
}

bool readTextFile(const std::string &path, std::string &text,
                  std::string &error) {
  std::vector<uint8_t> bytes;
  if (!readRegularFile(path, kMaxTextFileBytes, bytes, error))
    return false;
  text.assign(bytes.begin(), bytes.end());
  return true;
}

std::string writeTextAtomically(const std::string &path,
                                const std::string &text) {
  return rt::io::writeFileAtomically(
      path, std::vector<uint8_t>(text.begin(), text.end()));
}

std::string directoryOf(const std::string &path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? "." : path.substr(0, slash);
}

std::string resolvePath(const std::string &baseDir, const std::string &path) {
  if (path.empty() || path[0] == '/' || baseDir.empty())
    return path;
  return baseDir + "/" + path;
}

} // namespace npu::serve
