//===- ApiCheck.cpp - The runtime's C++ API builds like the compiler ------===//
//
// Compiled with -fno-exceptions -fno-rtti (as the compiler is, under LLVM's
// flags): the public headers of libnpurt must not need either, so that the
// compiler and other embedders can use Model.h and Simulator.h directly.
// Nothing runs; the build is the test.
//
//===----------------------------------------------------------------------===//

#include "npu/rt/Model.h"
#include "npu/rt/Simulator.h"

namespace npu::rt {

/// Exercises the API's types and entry points without throwing.
int apiCheck(const uint8_t *data, size_t size) {
  LoadResult loaded = loadModel(data, size);
  if (!loaded)
    return static_cast<int>(loaded.error.size());
  Simulator simulator(*loaded.model);
  RunResult result = simulator.run(TensorMap());
  int events = static_cast<int>(result.trace.size());
  for (const Instruction &instr : loaded.model->programs[0].instructions)
    if (const auto *matmul = std::get_if<isa::MatMul>(&instr))
      events += static_cast<int>(matmul->m);
  return result.ok ? events : -1;
}

} // namespace npu::rt
