//===- LoaderFuzzer.cpp - libFuzzer entry point of the .npub loader -------===//
//
// Feeds arbitrary bytes to npu::rt::loadModel(). The loader must never
// crash, read out of bounds or hit undefined behaviour (the target is built
// with ASan and UBSan), and must either return a model or an error. A
// model it accepts must be internally consistent: the checks below are the
// invariants the simulator relies on without re-checking.
//
// Build and run (see runtime/CMakeLists.txt):
//   cmake -S runtime -B /tmp/rtfuzz -DCMAKE_CXX_COMPILER=clang++-22 \
//         -DNPURT_ENABLE_FUZZER=ON
//   cmake --build /tmp/rtfuzz --target npurt-loader-fuzzer
//   /tmp/rtfuzz/npurt-loader-fuzzer -max_total_time=30 \
//         runtime/test/fuzz/corpus
//
//===----------------------------------------------------------------------===//

#include "npu/rt/Model.h"

#include <cstdint>
#include <cstdlib>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  npu::rt::LoadResult result = npu::rt::loadModel(data, size);
  if (!result.ok()) {
    if (result.error.empty())
      std::abort(); // A failure must say why.
    return 0;
  }
  const npu::rt::Model &model = *result.model;
  std::vector<npu::rt::MemoryAccess> accesses;
  for (const npu::rt::Program &program : model.programs) {
    const npu::rt::ChipDesc *chip = model.system.findChip(program.chip);
    if (!chip || program.instructions.empty())
      std::abort();
    for (const npu::rt::Instruction &instr : program.instructions) {
      accesses.clear();
      npu::rt::memoryAccesses(instr, accesses);
      for (const npu::rt::MemoryAccess &access : accesses) {
        int64_t limit = access.space == npu::rt::MemorySpace::SRAM
                            ? chip->sramBytes
                            : chip->dramBytes;
        if (access.offset < 0 || access.bytes < 0 ||
            access.offset > limit - access.bytes)
          std::abort();
      }
      npu::rt::cost::InstrCost cost =
          npu::rt::instructionCost(instr, model.system, *chip);
      if (cost.cycles <= 0)
        std::abort();
    }
  }
  // An early-exit table names two chips with programs, the second woken by
  // the first, with one gate per exit check of the first.
  if (const auto &table = model.earlyExit) {
    const npu::rt::Program *from = model.findProgram(table->fromChip);
    const npu::rt::Program *to = model.findProgram(table->toChip);
    if (!from || !to || !to->startsAsleep ||
        table->gates.size() != from->exitChecks)
      std::abort();
  }
  // Standby budgets belong to chips that sleep.
  for (const npu::rt::Program &program : model.programs)
    if (!program.standbyBudgets.empty() && !program.startsAsleep)
      std::abort();
  return 0;
}
