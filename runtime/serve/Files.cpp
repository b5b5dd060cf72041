//===- Files.cpp - Reading the serving layer's input files ----------------===//

#include "Files.h"

#include "TensorIO.h"

#include "npu/rt/File.h"

namespace npu::serve {

bool readRegularFile(const std::string &path, int64_t limit,
                     std::vector<uint8_t> &bytes, std::string &error) {
  return rt::readRegularFile(path, bytes, error, uint64_t(limit));
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
