//===- Instructions.cpp - Names, costs and accesses of instructions -------===//
//
// The per-instruction facts shared by the loader (bounds checks) and the
// simulator (timing, bytes, peak SRAM): the npuisa mnemonic, the exact cost
// from npu/rt/Cost.h, and the memory ranges touched. The extents mirror the
// compiler's CostOpInterface::getBufferAccesses so that both sides agree on
// "peak SRAM bytes".
//
//===----------------------------------------------------------------------===//

#include "npu/rt/Model.h"

#include "Arith.h"

#include <algorithm>
#include <type_traits>

namespace npu::rt {

using namespace detail;

namespace {

constexpr int64_t kAccumulatorBytes = 4;

template <class... Ts> struct Overloaded : Ts... { using Ts::operator()...; };
template <class... Ts> Overloaded(Ts...) -> Overloaded<Ts...>;

cost::InstrCost makeCost(cost::Engine engine, int64_t cycles) {
  cost::InstrCost c;
  c.engine = engine;
  c.cycles = cycles;
  return c;
}

/// Cost of a send or recv: only the port occupancy, over the direct link.
cost::InstrCost linkCost(bool send, int64_t bytes, int64_t peer,
                         const SystemDesc &system, const ChipDesc &chip) {
  const LinkDesc *link = system.findLink(chip.id, peer);
  int64_t cycles = 0;
  if (link)
    cycles =
        send ? cost::linkSendCycles(bytes, link->bandwidthGBps, chip.clockMhz)
             : cost::linkRecvCycles(bytes, link->bandwidthGBps, chip.clockMhz);
  cost::InstrCost c =
      makeCost(send ? cost::Engine::LinkTx : cost::Engine::LinkRx, cycles);
  c.linkBytes = bytes;
  return c;
}

cost::DType vectorSrcType(const isa::Vector &v) {
  return v.kind == cost::VectorOp::Quantize ? cost::DType::F32 : v.dtype;
}
cost::DType vectorDstType(const isa::Vector &v) {
  return v.kind == cost::VectorOp::Dequantize ? cost::DType::F32 : v.dtype;
}

int64_t copyExtent(const Quad &shape, const Quad &strides) {
  int64_t last = 0;
  for (int i = 0; i < 4; ++i)
    last = addSat(last, mulSat({shape[i] - 1, strides[i]}));
  return addSat(last, 1);
}

} // namespace

int64_t instructionWork(const Instruction &instr) {
  using namespace isa;
  auto pairs = [](const Pair &p) { return mulSat({p[0], p[1]}); };
  int64_t work = std::visit(
      [&](const auto &op) -> int64_t {
        using T = std::decay_t<decltype(op)>;
        if constexpr (std::is_same_v<T, LoadInput> ||
                      std::is_same_v<T, StoreOutput> ||
                      std::is_same_v<T, Send> || std::is_same_v<T, Recv>)
          return op.bytes;
        else if constexpr (std::is_same_v<T, DmaIn> ||
                           std::is_same_v<T, DmaOut>)
          return mulSat({op.rows, op.rowBytes});
        else if constexpr (std::is_same_v<T, MatMul>)
          return mulSat({op.m, op.k, op.n});
        else if constexpr (std::is_same_v<T, Conv>)
          return mulSat({op.outChannels, op.outRows[1], op.outHw[1],
                         op.channels, pairs(op.kernel)});
        else if constexpr (std::is_same_v<T, Vector> || std::is_same_v<T, Fill>)
          return op.count;
        else if constexpr (std::is_same_v<T, Reduce>)
          return mulSat({op.shape[0], op.shape[1], op.shape[2]});
        else if constexpr (std::is_same_v<T, Pool>)
          return mulSat({op.channels, pairs(op.outHw), pairs(op.kernel)});
        else if constexpr (std::is_same_v<T, Copy>)
          return mulSat({op.shape[0], op.shape[1], op.shape[2], op.shape[3]});
        else if constexpr (std::is_same_v<T, Resize>)
          // Up to four source elements per output element (linear modes).
          return mulSat({op.channels, pairs(op.outHw), 4});
        else if constexpr (std::is_same_v<T, ExitCheck>)
          return op.classes;
        else
          return 0;
      },
      instr);
  bool gemm = std::holds_alternative<MatMul>(instr) ||
              std::holds_alternative<Conv>(instr);
  work = std::max<int64_t>(work, 0);
  if (!gemm)
    work = mulSat({work, kElementWork});
  return addSat(work, kInstructionOverheadWork);
}

std::string_view instructionName(const Instruction &instr) {
  static constexpr std::string_view kNames[] = {
      "halt",   "load_input", "store_output", "dma_in",  "dma_out",
      "send",   "recv",       "matmul",       "conv",    "vector",
      "fill",   "reduce",     "pool",         "copy",    "resize",
      "signal", "wait",       "exit_check",   "escalate"};
  static_assert(sizeof(kNames) / sizeof(kNames[0]) ==
                std::variant_size_v<Instruction>);
  return kNames[instr.index()];
}

cost::InstrCost instructionCost(const Instruction &instr,
                                const SystemDesc &system,
                                const ChipDesc &chip) {
  using cost::Engine;
  return std::visit(
      Overloaded{
          [&](const isa::Halt &) {
            return makeCost(Engine::Control, cost::kSyncCycles);
          },
          [&](const isa::LoadInput &op) {
            cost::InstrCost c = makeCost(
                Engine::DmaIn,
                cost::hostDmaCycles(op.bytes, system.host.bandwidthGBps,
                                    system.host.latencyNs, chip.clockMhz));
            c.hostBytes = op.bytes;
            return c;
          },
          [&](const isa::StoreOutput &op) {
            cost::InstrCost c = makeCost(
                Engine::DmaOut,
                cost::hostDmaCycles(op.bytes, system.host.bandwidthGBps,
                                    system.host.latencyNs, chip.clockMhz));
            c.hostBytes = op.bytes;
            return c;
          },
          [&](const isa::DmaIn &op) {
            int64_t bytes = op.rows * op.rowBytes;
            cost::InstrCost c =
                makeCost(Engine::DmaIn,
                         cost::dramDmaCycles(bytes, chip.dramBytesPerCycle));
            c.dramBytes = bytes;
            return c;
          },
          [&](const isa::DmaOut &op) {
            int64_t bytes = op.rows * op.rowBytes;
            cost::InstrCost c =
                makeCost(Engine::DmaOut,
                         cost::dramDmaCycles(bytes, chip.dramBytesPerCycle));
            c.dramBytes = bytes;
            return c;
          },
          [&](const isa::Send &op) {
            return linkCost(true, op.bytes, op.chip, system, chip);
          },
          [&](const isa::Recv &op) {
            return linkCost(false, op.bytes, op.chip, system, chip);
          },
          [&](const isa::MatMul &op) {
            return makeCost(Engine::Mac, cost::macTileCycles(op.m, op.k, op.n));
          },
          [&](const isa::Conv &op) {
            int64_t pixels = op.outRows[1] * op.outHw[1];
            int64_t reduction = op.channels * op.kernel[0] * op.kernel[1];
            return makeCost(
                Engine::Mac,
                cost::convTileCycles(pixels, op.outChannels, reduction));
          },
          [&](const isa::Vector &op) {
            return makeCost(
                Engine::Vector,
                cost::vectorCycles(op.kind, op.count, chip.vectorLanes));
          },
          [&](const isa::Fill &op) {
            return makeCost(Engine::Vector,
                            cost::vectorCycles(cost::VectorOp::Copy, op.count,
                                               chip.vectorLanes));
          },
          [&](const isa::Reduce &op) {
            return makeCost(Engine::Vector,
                            cost::reduceCycles(op.kind, op.shape[0],
                                               op.shape[1], op.shape[2],
                                               chip.vectorLanes));
          },
          [&](const isa::Pool &op) {
            int64_t outElements = op.channels * op.outHw[0] * op.outHw[1];
            return makeCost(Engine::Vector,
                            cost::poolCycles(op.kind, outElements,
                                             op.kernel[0] * op.kernel[1],
                                             chip.vectorLanes));
          },
          [&](const isa::Copy &op) {
            const Quad &s = op.shape;
            return makeCost(
                Engine::Vector,
                cost::copyCycles(s[0] * s[1] * s[2] * s[3], chip.vectorLanes));
          },
          [&](const isa::Resize &op) {
            int64_t outElements = op.channels * op.outHw[0] * op.outHw[1];
            return makeCost(
                Engine::Vector,
                cost::resizeCycles(op.kind, outElements, chip.vectorLanes));
          },
          [&](const isa::Signal &op) {
            return makeCost(op.engine, cost::kSyncCycles);
          },
          [&](const isa::Wait &op) {
            return makeCost(op.engine, cost::kSyncCycles);
          },
          [&](const isa::ExitCheck &op) {
            return makeCost(Engine::Vector,
                            cost::exitCheckCycles(op.measure, op.classes,
                                                  chip.vectorLanes));
          },
          [&](const isa::Escalate &) {
            return makeCost(Engine::Control, cost::kSyncCycles);
          },
      },
      instr);
}

void memoryAccesses(const Instruction &instr, std::vector<MemoryAccess> &out) {
  constexpr MemorySpace S = MemorySpace::SRAM, D = MemorySpace::DRAM;
  auto add = [&](MemorySpace space, int64_t offset, int64_t bytes, bool write,
                 const char *what) {
    MemoryAccess access;
    access.space = space;
    access.offset = offset;
    access.bytes = bytes;
    access.write = write;
    access.what = what;
    out.push_back(access);
  };
  auto eb = [](cost::DType type) { return cost::elementBytes(type); };
  std::visit(
      Overloaded{
          [&](const isa::Halt &) {},
          [&](const isa::LoadInput &op) {
            add(D, op.dram, op.bytes, true, "dram");
          },
          [&](const isa::StoreOutput &op) {
            add(D, op.dram, op.bytes, false, "dram");
          },
          [&](const isa::DmaIn &op) {
            add(D, op.dram, stridedExtent(op.rows, op.rowBytes, op.strides[0]),
                false, "dram");
            add(S, op.sram, stridedExtent(op.rows, op.rowBytes, op.strides[1]),
                true, "sram");
          },
          [&](const isa::DmaOut &op) {
            add(S, op.sram, stridedExtent(op.rows, op.rowBytes, op.strides[0]),
                false, "sram");
            add(D, op.dram, stridedExtent(op.rows, op.rowBytes, op.strides[1]),
                true, "dram");
          },
          [&](const isa::Send &op) {
            add(S, op.sram, op.bytes, false, "sram");
          },
          [&](const isa::Recv &op) { add(S, op.sram, op.bytes, true, "sram"); },
          [&](const isa::MatMul &op) {
            int64_t e = eb(op.dtype);
            add(S, op.a, mulSat({stridedExtent(op.m, op.k, op.lds[0]), e}),
                false, "a");
            add(S, op.b, mulSat({stridedExtent(op.k, op.n, op.lds[1]), e}),
                false, "b");
            add(S, op.c,
                mulSat(
                    {stridedExtent(op.m, op.n, op.lds[2]), kAccumulatorBytes}),
                true, "c");
          },
          [&](const isa::Conv &op) {
            int64_t e = eb(op.dtype);
            add(S, op.input, mulSat({op.channels, op.inHw[0], op.inHw[1], e}),
                false, "input");
            add(S, op.weight,
                mulSat({op.outChannels, op.channels, op.kernel[0], op.kernel[1],
                        e}),
                false, "weight");
            add(S, op.output,
                mulSat({op.outChannels, op.outHw[0], op.outHw[1],
                        kAccumulatorBytes}),
                true, "output");
          },
          [&](const isa::Vector &op) {
            add(S, op.a, mulSat({op.count, eb(vectorSrcType(op))}), false, "a");
            if (op.hasB)
              add(S, op.b, mulSat({op.bBcast[0], eb(op.dtype)}), false, "b");
            add(S, op.dst, mulSat({op.count, eb(vectorDstType(op))}), true,
                "dst");
          },
          [&](const isa::Fill &op) {
            add(S, op.dst, mulSat({op.count, eb(op.dtype)}), true, "dst");
          },
          [&](const isa::Reduce &op) {
            int64_t e = eb(op.dtype);
            add(S, op.src, mulSat({op.shape[0], op.shape[1], op.shape[2], e}),
                false, "src");
            add(S, op.dst, mulSat({op.shape[0], op.shape[2], e}), true, "dst");
          },
          [&](const isa::Pool &op) {
            int64_t e = eb(op.dtype);
            add(S, op.src, mulSat({op.channels, op.inHw[0], op.inHw[1], e}),
                false, "src");
            add(S, op.dst, mulSat({op.channels, op.outHw[0], op.outHw[1], e}),
                true, "dst");
          },
          [&](const isa::Copy &op) {
            int64_t e = eb(op.dtype);
            add(S, op.src, mulSat({copyExtent(op.shape, op.srcStrides), e}),
                false, "src");
            add(S, op.dst, mulSat({copyExtent(op.shape, op.dstStrides), e}),
                true, "dst");
          },
          [&](const isa::Resize &op) {
            int64_t e = eb(op.dtype);
            add(S, op.src, mulSat({op.channels, op.inHw[0], op.inHw[1], e}),
                false, "src");
            add(S, op.dst, mulSat({op.channels, op.outHw[0], op.outHw[1], e}),
                true, "dst");
          },
          [&](const isa::Signal &) {},
          [&](const isa::Wait &) {},
          [&](const isa::ExitCheck &op) {
            add(S, op.src, mulSat({op.classes, eb(op.dtype)}), false, "src");
          },
          [&](const isa::Escalate &) {},
      },
      instr);
}

const Budget *Program::findBudget(std::string_view path, bool standby) const {
  for (const Budget &budget : standby ? standbyBudgets : budgets)
    if (budget.path == path)
      return &budget;
  return nullptr;
}

const Program *Model::findProgram(int64_t chip) const {
  for (const Program &program : programs)
    if (program.chip == chip)
      return &program;
  return nullptr;
}

int64_t Model::workPerInput() const {
  int64_t work = 0;
  for (const Program &program : programs)
    work = addSat(work, program.work);
  return work;
}

} // namespace npu::rt
