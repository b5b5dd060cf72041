//===- CheckpointFuzzer.cpp - libFuzzer entry point of checkpoint files --===//
//
// Feeds arbitrary bytes to npu::rt::decodeCheckpoint() against one binary
// (the file named by NPU_FUZZ_MODEL, with checkpoint boundaries). Decoding
// must never crash, read out of bounds or hit undefined behaviour (ASan and
// UBSan), and must either return a state or an error; a state it accepts
// must resume (on zero inputs) to a result or an error, never a crash.
//
// Seeds: with NPU_FUZZ_SEEDS=DIR, initialisation first writes the state of
// a run stopped at every boundary of the model into DIR (zero inputs).
//
//   NPU_FUZZ_MODEL=m.npub NPU_FUZZ_SEEDS=corpus \
//     build-fuzz/npurt-checkpoint-fuzzer -max_total_time=30 corpus
//
//===----------------------------------------------------------------------===//

#include "npu/rt/Checkpoint.h"
#include "npu/rt/Simulator.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

namespace {

std::unique_ptr<npu::rt::Model> model;

npu::rt::TensorMap zeroInputs() {
  npu::rt::TensorMap inputs;
  for (const npu::rt::TensorSignature &sig : model->inputs)
    inputs[sig.name].assign(static_cast<size_t>(sig.bytes), 0);
  return inputs;
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
  const char *path = std::getenv("NPU_FUZZ_MODEL");
  if (!path) {
    std::fputs("NPU_FUZZ_MODEL must name a .npub with checkpoints\n", stderr);
    std::exit(2);
  }
  npu::rt::LoadResult loaded = npu::rt::loadModelFile(path);
  if (!loaded.ok() || loaded.model->programs.size() != 1 ||
      loaded.model->programs.front().checkpoints.empty()) {
    std::fprintf(stderr, "%s: not a one-program model with checkpoints%s%s\n",
                 path, loaded.ok() ? "" : ": ", loaded.error.c_str());
    std::exit(2);
  }
  model = std::make_unique<npu::rt::Model>(std::move(*loaded.model));
  if (const char *seeds = std::getenv("NPU_FUZZ_SEEDS")) {
    npu::rt::Simulator sim(*model);
    for (const npu::rt::Checkpoint &cp : model->programs.front().checkpoints) {
      npu::rt::CheckpointRun run = sim.runToCheckpoint(zeroInputs(), cp.index);
      if (!run.ok)
        std::exit(2);
      std::vector<uint8_t> bytes = npu::rt::encodeCheckpoint(run.state);
      std::string file =
          std::string(seeds) + "/boundary" + std::to_string(cp.index) + ".npuc";
      if (FILE *f = std::fopen(file.c_str(), "wb")) {
        std::fwrite(bytes.data(), 1, bytes.size(), f);
        std::fclose(f);
      }
    }
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  npu::rt::CheckpointLoad load = npu::rt::decodeCheckpoint(data, size, *model);
  if (!load.ok()) {
    if (load.error.empty())
      std::abort(); // A refusal must say why.
    return 0;
  }
  npu::rt::RunResult run =
      npu::rt::Simulator(*model).resume(*load.state, zeroInputs());
  if (!run.ok && run.error.empty())
    std::abort();
  return 0;
}
