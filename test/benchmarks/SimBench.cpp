//===- SimBench.cpp - Simulator throughput --------------------------------===//
//
//   npu-bench-sim MODEL.npub [ITERATIONS]
//
// Runs the model on the simulator ITERATIONS times with fixed random inputs
// and prints host seconds per simulated inference and the multiply-
// accumulates per host second the simulator achieved (MACs counted from the
// MAC-array instructions of every program).
//
//===----------------------------------------------------------------------===//

#include "npu/rt/Model.h"
#include "npu/rt/Simulator.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <variant>

using namespace npu::rt;

int main(int argc, char **argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: npu-bench-sim MODEL.npub [ITERATIONS]\n");
    return 2;
  }
  int iterations = argc > 2 ? std::atoi(argv[2]) : 10;
  LoadResult loaded = loadModelFile(argv[1]);
  if (!loaded.model) {
    std::fprintf(stderr, "npu-bench-sim: %s\n", loaded.error.c_str());
    return 1;
  }
  const Model &model = *loaded.model;

  int64_t macs = 0;
  for (const Program &program : model.programs)
    for (const Instruction &instr : program.instructions) {
      if (auto *mm = std::get_if<isa::MatMul>(&instr))
        macs += mm->m * mm->k * mm->n;
      if (auto *cv = std::get_if<isa::Conv>(&instr))
        macs += cv->outRows[1] * cv->outHw[1] * cv->outChannels *
                cv->channels * cv->kernel[0] * cv->kernel[1];
    }

  std::mt19937 rng(42);
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  TensorMap inputs;
  for (const TensorSignature &sig : model.inputs) {
    int64_t count = 1;
    for (int64_t d : sig.shape)
      count *= d;
    std::vector<float> values(count);
    for (float &v : values)
      v = dist(rng);
    std::vector<uint8_t> bytes(count * sizeof(float));
    std::memcpy(bytes.data(), values.data(), bytes.size());
    inputs[sig.name] = std::move(bytes);
  }

  SimulatorOptions options;
  options.trace = false;
  Simulator simulator(model, options);
  RunResult warm = simulator.run(inputs);
  if (!warm.ok) {
    std::fprintf(stderr, "npu-bench-sim: %s\n", warm.error.c_str());
    return 1;
  }
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < iterations; ++i)
    simulator.run(inputs);
  std::chrono::duration<double> s = std::chrono::steady_clock::now() - start;
  double perInference = s.count() / iterations;
  std::printf("sim_seconds_per_inference %.6f macs %lld sim_gmacs_per_s %.3f "
              "(%d iterations)\n",
              perInference, static_cast<long long>(macs),
              macs / perInference / 1e9, iterations);
  return 0;
}
