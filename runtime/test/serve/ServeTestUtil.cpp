//===- ServeTestUtil.cpp - Small installations for serving tests ----------===//

#include "ServeTestUtil.h"

#include "Execution.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace npu::serve::test {

namespace fs = std::filesystem;
using rt::test::BinaryBuilder;

TempDir::TempDir() {
  std::string pattern =
      (fs::temp_directory_path() / "npuserve-test-XXXXXX").string();
  std::vector<char> buf(pattern.begin(), pattern.end());
  buf.push_back('\0');
  const char *made = ::mkdtemp(buf.data());
  EXPECT_NE(made, nullptr);
  dir = made ? made : "";
}

TempDir::~TempDir() {
  std::error_code ec;
  if (!dir.empty())
    fs::remove_all(dir, ec);
}

std::string TempDir::write(const std::string &relative,
                           const std::vector<uint8_t> &bytes) const {
  fs::path p = fs::path(dir) / relative;
  fs::create_directories(p.parent_path());
  std::ofstream out(p, std::ios::binary);
  out.write(reinterpret_cast<const char *>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
  return p.string();
}

std::string TempDir::write(const std::string &relative,
                           const std::string &text) const {
  return write(relative, std::vector<uint8_t>(text.begin(), text.end()));
}

std::vector<uint8_t> calibrated(const rt::SystemDesc &system,
                                const std::string &name,
                                const ProgramBody &signature,
                                const std::vector<ProgramBody> &programs) {
  BinaryBuilder probe(system, name);
  signature(probe);
  for (const ProgramBody &p : programs)
    p(probe);
  rt::Model model = rt::test::mustLoad(probe.finish());
  rt::SimulatorOptions options;
  options.trace = false;
  rt::RunResult run =
      rt::Simulator(model, options).run(makeInputs(model, /*seed=*/0));
  EXPECT_TRUE(run.ok) << run.error;
  BinaryBuilder b(system, name);
  signature(b);
  for (size_t i = 0; i < programs.size(); ++i) {
    programs[i](b);
    const rt::ChipMeasurement &m = run.chips.at(i);
    b.budget("full", m.cycles,
             rt::test::Ints(m.engineBusy.begin(), m.engineBusy.end()),
             m.hostBytes, m.dramBytes, m.linkBytes, m.peakSramBytes,
             m.energyFj, m.peakDramBytes);
  }
  return b.finish();
}

std::vector<uint8_t> reluModel(const rt::SystemDesc &system, int64_t chip,
                               int64_t n, int64_t extraDmaBytes,
                               int64_t weightBytes) {
  int64_t bytes = n * 4;
  // DRAM: [0, bytes) input, [bytes, 2 bytes) output, then the weights.
  int64_t weights = 2 * bytes;
  return calibrated(
      system, "relu",
      [&](BinaryBuilder &b) {
        b.input("x", rt::cost::DType::F32, {n});
        b.output("y", rt::cost::DType::F32, {n});
      },
      {[=](BinaryBuilder &b) {
        b.program("p", chip);
        if (weightBytes > 0)
          b.segment(weights, std::vector<uint8_t>(size_t(weightBytes), 7));
        b.loadInput(0, 0, 0, bytes)
            .signal(0, rt::cost::Engine::DmaIn)
            .wait(0, rt::cost::Engine::DmaIn)
            .dmaIn(0, 0, bytes);
        if (extraDmaBytes > 0)
          b.dmaIn(weights, 4 * bytes, extraDmaBytes);
        b.signal(1, rt::cost::Engine::DmaIn)
            .wait(1, rt::cost::Engine::Vector)
            .vector(rt::cost::VectorOp::Relu, 0, bytes, n)
            .signal(2, rt::cost::Engine::Vector)
            .wait(2, rt::cost::Engine::DmaOut)
            .dmaOut(bytes, bytes, bytes)
            .storeOutput(0, 0, bytes, bytes)
            .halt();
      }});
}

std::string installationJson(
    const std::vector<std::vector<std::string>> &hosts) {
  std::string out = "{\"hosts\": [";
  for (size_t i = 0; i < hosts.size(); ++i) {
    out += i ? ", " : "";
    out += "{\"name\": \"" + hosts[i][0] + "\", \"system\": \"" + hosts[i][1] +
           "\"";
    for (size_t k = 2; k < hosts[i].size(); ++k)
      out += ", " + hosts[i][k];
    out += "}";
  }
  return out + "]}\n";
}

} // namespace npu::serve::test
