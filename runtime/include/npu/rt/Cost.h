//===- Cost.h - Exact cost formulas of the deterministic NPU ISA ----------===//
//
// Every instruction's cost is a closed formula of its operands and the chip.
// This header is the only place those formulas live: the compiler's
// CostOpInterface and the runtime's simulator both call it, which is what
// makes "compile-time budget == measured" hold exactly. Each formula is
// documented in docs/cost-model.md; change both together.
//
// Header-only, constexpr, no LLVM/MLIR.
//
//===----------------------------------------------------------------------===//

#ifndef NPU_RT_COST_H
#define NPU_RT_COST_H

#include <cstdint>
#include <string_view>

namespace npu::rt::cost {

/// The engines of a chip. Each executes its own queue of instructions in
/// order; engines run concurrently and meet only at sync tokens.
enum class Engine : uint8_t {
  DmaIn = 0,  ///< Host->DRAM and DRAM->SRAM transfers.
  DmaOut = 1, ///< SRAM->DRAM and DRAM->host transfers.
  Mac = 2,    ///< The rows x cols MAC array.
  Vector = 3, ///< Elementwise, reduction, pooling, layout, exit checks.
  LinkTx = 4, ///< Outgoing chip-to-chip link port.
  LinkRx = 5, ///< Incoming chip-to-chip link port.
  Control = 6 ///< Sequencer: sync tokens and halt.
};
constexpr int kNumEngines = 7;

constexpr std::string_view engineName(Engine engine) {
  switch (engine) {
  case Engine::DmaIn:
    return "dma_in";
  case Engine::DmaOut:
    return "dma_out";
  case Engine::Mac:
    return "mac";
  case Engine::Vector:
    return "vector";
  case Engine::LinkTx:
    return "link_tx";
  case Engine::LinkRx:
    return "link_rx";
  case Engine::Control:
    return "control";
  }
  return "?";
}

/// Vector-unit operations. The numeric values are the binary encoding and
/// the `npuisa` enum's values; never renumber.
enum class VectorOp : uint8_t {
  Copy = 0,
  Add = 1,
  Sub = 2,
  Mul = 3,
  Div = 4,
  Max = 5,
  Min = 6,
  Pow = 7,
  Relu = 8,
  LeakyRelu = 9,
  Sigmoid = 10,
  HardSigmoid = 11,
  HardSwish = 12,
  Tanh = 13,
  Clip = 14,
  Gelu = 15,
  Exp = 16,
  Sqrt = 17,
  Quantize = 18,
  Dequantize = 19,
};
constexpr int kNumVectorOps = 20;

/// Element types of ISA operands. Numeric values are the binary encoding.
enum class DType : uint8_t { F32 = 0, F16 = 1, BF16 = 2, I8 = 3, UI8 = 4, I32 = 5 };

constexpr int64_t elementBytes(DType type) {
  switch (type) {
  case DType::F32:
  case DType::I32:
    return 4;
  case DType::F16:
  case DType::BF16:
    return 2;
  case DType::I8:
  case DType::UI8:
    return 1;
  }
  return 0;
}

/// The accumulator type of a MAC-array product of `type` operands.
constexpr DType accumulatorType(DType type) {
  return (type == DType::I8 || type == DType::UI8) ? DType::I32 : DType::F32;
}

/// What one instruction costs: the engine it occupies, for how many cycles,
/// and the bytes it moves over each kind of channel.
struct InstrCost {
  Engine engine = Engine::Control;
  int64_t cycles = 0;
  int64_t hostBytes = 0; ///< Over the host link (M5).
  int64_t dramBytes = 0; ///< Between DRAM and SRAM.
  int64_t linkBytes = 0; ///< Over a chip-to-chip link.
};

/// Reductions over one axis (softmax, reduce, global pooling).
enum class ReduceOp : uint8_t { Sum = 0, Max = 1, Mean = 2 };
/// Windowed pooling.
enum class PoolOp : uint8_t { Max = 0, Avg = 1 };
/// Resize interpolation.
enum class ResizeMode : uint8_t { Nearest = 0, Linear = 1 };
/// How an exit check turns logits into a confidence in [0, 1] (E2, E5).
enum class ConfidenceMeasure : uint8_t { MaxProb = 0, Margin = 1, Entropy = 2 };

//===----------------------------------------------------------------------===//
// Fixed per-instruction overheads, in cycles of the executing chip.
//===----------------------------------------------------------------------===//

constexpr int64_t kDmaSetupCycles = 24;   ///< Descriptor fetch + address gen.
constexpr int64_t kLinkSetupCycles = 16;  ///< Packet header + credit check.
constexpr int64_t kMacIssueCycles = 4;    ///< Tile configuration.
constexpr int64_t kVectorIssueCycles = 2; ///< Vector instruction decode.
constexpr int64_t kSyncCycles = 1;        ///< wait / signal / halt.

constexpr int64_t ceilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

//===----------------------------------------------------------------------===//
// Time conversions. Chips may run at different clocks; the system time base
// is the picosecond, and every clock period is an integral number of them.
//===----------------------------------------------------------------------===//

/// Nanoseconds rounded up to whole cycles of a `clockMhz` chip.
constexpr int64_t nsToCycles(int64_t ns, int64_t clockMhz) {
  return ceilDiv(ns * clockMhz, 1000);
}

/// Cycles of a `clockMhz` chip to move `bytes` at `bandwidthGBps` (bytes/ns).
constexpr int64_t transferCycles(int64_t bytes, int64_t bandwidthGBps,
                                 int64_t clockMhz) {
  return ceilDiv(bytes * clockMhz, bandwidthGBps * 1000);
}

//===----------------------------------------------------------------------===//
// Data movement.
//===----------------------------------------------------------------------===//

/// DRAM<->SRAM DMA of `bytes` (any 2-D shape): setup, then the DRAM port.
constexpr int64_t dramDmaCycles(int64_t bytes, int64_t dramBytesPerCycle) {
  return kDmaSetupCycles + ceilDiv(bytes, dramBytesPerCycle);
}

/// Host<->DRAM DMA over the host link (M5).
constexpr int64_t hostDmaCycles(int64_t bytes, int64_t bandwidthGBps,
                                int64_t latencyNs, int64_t clockMhz) {
  return kDmaSetupCycles + nsToCycles(latencyNs, clockMhz) +
         transferCycles(bytes, bandwidthGBps, clockMhz);
}

/// Occupancy of the sender's link port for `bytes` over a link.
constexpr int64_t linkSendCycles(int64_t bytes, int64_t bandwidthGBps,
                                 int64_t clockMhz) {
  return kLinkSetupCycles + transferCycles(bytes, bandwidthGBps, clockMhz);
}

/// Occupancy of the receiver's link port: it drains at link speed.
constexpr int64_t linkRecvCycles(int64_t bytes, int64_t bandwidthGBps,
                                 int64_t clockMhz) {
  return kLinkSetupCycles + transferCycles(bytes, bandwidthGBps, clockMhz);
}

//===----------------------------------------------------------------------===//
// Compute.
//===----------------------------------------------------------------------===//

/// One MAC-array tile C[m x n] (+)= A[m x k] * B[k x n] with m <= rows and
/// n <= cols: operands skew into the systolic array over m + n cycles while
/// every PE performs k multiply-accumulates.
constexpr int64_t macTileCycles(int64_t m, int64_t k, int64_t n) {
  return kMacIssueCycles + m + n + k;
}

/// One convolution tile, computed as an implicit GEMM for one group:
/// m = output pixels, n = output channels, k = input channels of the group x
/// kernel height x kernel width.
constexpr int64_t convTileCycles(int64_t pixels, int64_t outChannels,
                                 int64_t reduction) {
  return macTileCycles(pixels, reduction, outChannels);
}

/// Cycles per lane-group of a vector operation: transcendental functions
/// take several passes through the unit.
constexpr int64_t vectorOpFactor(VectorOp op) {
  switch (op) {
  case VectorOp::Sigmoid:
  case VectorOp::Tanh:
  case VectorOp::Gelu:
  case VectorOp::Exp:
  case VectorOp::Pow:
    return 4;
  case VectorOp::Div:
  case VectorOp::Sqrt:
  case VectorOp::HardSwish:
    return 2;
  default:
    return 1;
  }
}

/// Elementwise operation over `elements` elements on `lanes` lanes.
constexpr int64_t vectorCycles(VectorOp op, int64_t elements, int64_t lanes) {
  return kVectorIssueCycles + ceilDiv(elements, lanes) * vectorOpFactor(op);
}

/// Reduction of an [outer, reduced, inner] block over its middle axis.
/// Mean adds one scaling pass over the [outer, inner] result.
constexpr int64_t reduceCycles(ReduceOp op, int64_t outer, int64_t reduced,
                               int64_t inner, int64_t lanes) {
  int64_t cycles = kVectorIssueCycles + ceilDiv(outer * reduced * inner, lanes);
  if (op == ReduceOp::Mean)
    cycles += ceilDiv(outer * inner, lanes);
  return cycles;
}

/// Windowed pooling producing `outElements` values from windows of
/// `windowElements` each. Average pooling adds one scaling pass.
constexpr int64_t poolCycles(PoolOp op, int64_t outElements,
                             int64_t windowElements, int64_t lanes) {
  int64_t cycles =
      kVectorIssueCycles + ceilDiv(outElements * windowElements, lanes);
  if (op == PoolOp::Avg)
    cycles += ceilDiv(outElements, lanes);
  return cycles;
}

/// Strided copy (transpose, slice, concat, pad) of `elements` elements.
constexpr int64_t copyCycles(int64_t elements, int64_t lanes) {
  return kVectorIssueCycles + ceilDiv(elements, lanes);
}

/// Resize producing `outElements`; linear interpolation reads 2^d inputs
/// per output for d interpolated dimensions (at most 2 here: 4 reads).
constexpr int64_t resizeCycles(ResizeMode mode, int64_t outElements,
                               int64_t lanes) {
  return kVectorIssueCycles +
         ceilDiv(outElements, lanes) * (mode == ResizeMode::Linear ? 4 : 1);
}

/// Exit check over `classes` logits: max, exp, sum and divide passes
/// (softmax), plus a log pass for entropy, plus the branch.
constexpr int64_t exitCheckCycles(ConfidenceMeasure measure, int64_t classes,
                                  int64_t lanes) {
  int64_t passes = measure == ConfidenceMeasure::Entropy ? 12 : 8;
  return kVectorIssueCycles + ceilDiv(classes, lanes) * passes + kSyncCycles;
}

//===----------------------------------------------------------------------===//
// Geometry shared by verifiers, lowering and the simulator.
//===----------------------------------------------------------------------===//

/// Output extent of a window (convolution or pooling) swept over `in`
/// elements with the given padding, as ONNX defines it. With `ceilMode`, a
/// partial last window counts if it starts inside the input or the leading
/// padding (as PyTorch and ONNX Runtime). Returns 0 when no window fits.
constexpr int64_t windowOutputSize(int64_t in, int64_t kernel, int64_t stride,
                                   int64_t padBegin, int64_t padEnd,
                                   int64_t dilation, bool ceilMode) {
  int64_t span = in + padBegin + padEnd - dilation * (kernel - 1) - 1;
  if (span < 0)
    return 0;
  int64_t out = (ceilMode ? ceilDiv(span, stride) : span / stride) + 1;
  if (ceilMode && (out - 1) * stride >= in + padBegin)
    --out;
  return out;
}

//===----------------------------------------------------------------------===//
// Energy: mW x ps = fJ, exact in integers.
//===----------------------------------------------------------------------===//

/// Energy in femtojoules of `cycles` at `powerMw` on a chip whose cycle is
/// `picosecondsPerCycle` long.
constexpr int64_t energyFj(int64_t cycles, int64_t powerMw,
                           int64_t picosecondsPerCycle) {
  return cycles * picosecondsPerCycle * powerMw;
}

} // namespace npu::rt::cost

#endif // NPU_RT_COST_H
