//===- ServeTestUtil.h - Small installations for serving tests -*- C++ -*-===//
//
// Temporary repositories on disk, models assembled with BinaryBuilder whose
// budgets are the simulator's measurement of the same program (so that the
// serving promise can be checked end to end), and installation files.
//
//===----------------------------------------------------------------------===//

#ifndef NPU_SERVE_TEST_SERVETESTUTIL_H
#define NPU_SERVE_TEST_SERVETESTUTIL_H

#include "TestBinary.h"

#include <functional>
#include <string>
#include <vector>

namespace npu::serve::test {

/// A directory removed with everything in it at the end of the test.
class TempDir {
public:
  TempDir();
  ~TempDir();
  const std::string &path() const { return dir; }
  /// Writes `bytes` to path()/relative, creating directories.
  std::string write(const std::string &relative,
                    const std::vector<uint8_t> &bytes) const;
  std::string write(const std::string &relative,
                    const std::string &text) const;

private:
  std::string dir;
};

/// One program of a test model: calls b.program(...) and its instructions.
using ProgramBody = std::function<void(rt::test::BinaryBuilder &)>;

/// Builds a model whose programs' "full" budgets are what the simulator
/// measures for them (on inputs of zeros). `signature` adds inputs and
/// outputs.
std::vector<uint8_t> calibrated(const rt::SystemDesc &system,
                                const std::string &name,
                                const ProgramBody &signature,
                                const std::vector<ProgramBody> &programs);

/// A one-chip model on `chip` of `system`: x f32[n] in, y = relu(x) out, and
/// `extraDmaBytes` of DRAM->SRAM traffic to make it longer; `weightBytes`
/// of DRAM segment (its weights).
std::vector<uint8_t> reluModel(const rt::SystemDesc &system, int64_t chip,
                               int64_t n, int64_t extraDmaBytes,
                               int64_t weightBytes);

/// {"hosts": [...]} with one host per (name, preset) and optional extra
/// host fields (e.g. "\"tier\": \"premium\"").
std::string installationJson(
    const std::vector<std::vector<std::string>> &hosts);

} // namespace npu::serve::test

#endif // NPU_SERVE_TEST_SERVETESTUTIL_H
