//===- Model.h - A loaded, validated .npub model ----------------*- C++ -*-===//
//
// The in-memory form of a compiled model: the system it was compiled for,
// one program per chip with its decoded instruction stream, DRAM segments
// and budgets, and the entry/exit tensor signatures. loadModel() builds it
// from the bytes of a .npub file (runtime/schema/npub.fbs) after the
// FlatBuffers verifier and every semantic check the simulator relies on, so
// that nothing downstream reads outside a memory or divides by zero.
//
// Plain C++17 structs; no FlatBuffers, Eigen, LLVM or MLIR types. The header
// is usable from code built with -fno-exceptions -fno-rtti: errors are
// values, never exceptions.
//
//===----------------------------------------------------------------------===//

#ifndef NPU_RT_MODEL_H
#define NPU_RT_MODEL_H

#include "npu/rt/Cost.h"
#include "npu/rt/EarlyExit.h"
#include "npu/rt/Target.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace npu::rt {

/// The version of the .npub format this runtime reads (Model.version).
constexpr uint32_t kFormatVersion = 1;

/// Two-element operands (sizes, strides, ranges) of an instruction.
using Pair = std::array<int64_t, 2>;
/// Four-element operands (pads, 4-D shapes and strides) of an instruction.
using Quad = std::array<int64_t, 4>;

/// Decoded instructions, one struct per npuisa op with the fields of the op
/// of the same name (dialects/NPUISA/NPUISAOps.td); offsets are bytes unless
/// the op says elements.
namespace isa {

struct Halt {};

/// `input` indexes Model::inputs.
struct LoadInput {
  uint32_t input = 0;
  int64_t offset = 0; ///< Byte offset in the host tensor.
  int64_t dram = 0;
  int64_t bytes = 0;
};

/// `output` indexes Model::outputs.
struct StoreOutput {
  uint32_t output = 0;
  int64_t offset = 0; ///< Byte offset in the host tensor.
  int64_t dram = 0;
  int64_t bytes = 0;
};

/// Row r is read at dram + r * strides[0] and written at sram + r * strides[1].
struct DmaIn {
  int64_t dram = 0;
  int64_t sram = 0;
  int64_t rows = 0;
  int64_t rowBytes = 0;
  Pair strides = {};
};

/// Row r is read at sram + r * strides[0] and written at dram + r * strides[1].
struct DmaOut {
  int64_t sram = 0;
  int64_t dram = 0;
  int64_t rows = 0;
  int64_t rowBytes = 0;
  Pair strides = {};
};

struct Send {
  int64_t sram = 0;
  int64_t bytes = 0;
  int64_t chip = 0; ///< The receiving chip.
  int64_t channel = 0;
};

struct Recv {
  int64_t sram = 0;
  int64_t bytes = 0;
  int64_t chip = 0; ///< The sending chip.
  int64_t channel = 0;
};

/// C[m x n] (+)= A[m x k] * B[k x n]; `lds` are the row strides of A, B, C in
/// elements; C holds the accumulator type.
struct MatMul {
  int64_t a = 0;
  int64_t b = 0;
  int64_t c = 0;
  int64_t m = 0;
  int64_t k = 0;
  int64_t n = 0;
  std::array<int64_t, 3> lds = {};
  cost::DType dtype = cost::DType::F32;
  bool accumulate = false;
};

/// One implicit-GEMM convolution tile of one group; pads are
/// [top, left, bottom, right].
struct Conv {
  int64_t input = 0;
  int64_t weight = 0;
  int64_t output = 0;
  int64_t channels = 0;
  Pair inHw = {};
  int64_t outChannels = 0;
  Pair outHw = {};
  Pair outRows = {}; ///< [first output row, number of rows].
  Pair kernel = {};
  Pair strides = {};
  Quad pads = {};
  Pair dilations = {};
  cost::DType dtype = cost::DType::F32;
};

/// dst[i] = op(a[i], b[(i / bBcast[1]) % bBcast[0]], alpha, beta).
struct Vector {
  cost::VectorOp kind = cost::VectorOp::Copy;
  int64_t a = 0;
  bool hasB = false;
  int64_t b = 0;
  Pair bBcast = {}; ///< [period, repeat]; meaningful only with hasB.
  int64_t dst = 0;
  int64_t count = 0;
  cost::DType dtype = cost::DType::F32;
  float alpha = 0;
  float beta = 0;
};

struct Fill {
  int64_t dst = 0;
  int64_t count = 0;
  float value = 0;
  cost::DType dtype = cost::DType::F32;
};

/// dst[o, i] = reduce over r of src[o, r, i]; shape = [outer, reduced, inner].
struct Reduce {
  cost::ReduceOp kind = cost::ReduceOp::Sum;
  int64_t src = 0;
  int64_t dst = 0;
  std::array<int64_t, 3> shape = {};
  cost::DType dtype = cost::DType::F32;
};

struct Pool {
  cost::PoolOp kind = cost::PoolOp::Max;
  int64_t src = 0;
  int64_t dst = 0;
  int64_t channels = 0;
  Pair inHw = {};
  Pair outHw = {};
  Pair kernel = {};
  Pair strides = {};
  Quad pads = {};
  Pair dilations = {};
  cost::DType dtype = cost::DType::F32;
  bool countIncludePad = false;
};

/// Strided 4-D copy; strides in elements.
struct Copy {
  int64_t src = 0;
  int64_t dst = 0;
  Quad shape = {};
  Quad srcStrides = {};
  Quad dstStrides = {};
  cost::DType dtype = cost::DType::F32;
};

/// modes = [coordinate mode (0 half_pixel, 1 asymmetric, 2 align_corners,
/// 3 pytorch_half_pixel), nearest mode (0 round_prefer_floor,
/// 1 round_prefer_ceil, 2 floor, 3 ceil)], as ONNX Resize.
struct Resize {
  cost::ResizeMode kind = cost::ResizeMode::Nearest;
  int64_t src = 0;
  int64_t dst = 0;
  int64_t channels = 0;
  Pair inHw = {};
  Pair outHw = {};
  Pair modes = {};
  cost::DType dtype = cost::DType::F32;
};

struct Signal {
  int64_t token = 0;
  cost::Engine engine = cost::Engine::Control;
};

struct Wait {
  int64_t token = 0;
  cost::Engine engine = cost::Engine::Control;
};

/// The `exitPathLength` instructions after the check are its exit path
/// (ending with Halt); when not confident, execution continues after them.
struct ExitCheck {
  int64_t src = 0;
  int64_t classes = 0;
  cost::DType dtype = cost::DType::F32;
  cost::ConfidenceMeasure measure = cost::ConfidenceMeasure::MaxProb;
  float threshold = 0;
  uint32_t exitPathLength = 0;
};

struct Escalate {
  int64_t chip = 0; ///< The chip to wake.
};

} // namespace isa

/// One decoded instruction. The alternatives are in the order of the
/// schema's `Instr` union (index = union type - 1); never reorder.
using Instruction =
    std::variant<isa::Halt, isa::LoadInput, isa::StoreOutput, isa::DmaIn,
                 isa::DmaOut, isa::Send, isa::Recv, isa::MatMul, isa::Conv,
                 isa::Vector, isa::Fill, isa::Reduce, isa::Pool, isa::Copy,
                 isa::Resize, isa::Signal, isa::Wait, isa::ExitCheck,
                 isa::Escalate>;

/// The npuisa mnemonic of an instruction ("matmul", "dma_in", ...).
std::string_view instructionName(const Instruction &instr);

/// The exact cost of `instr` on `chip` of `system`, from npu/rt/Cost.h. Only
/// meaningful for an instruction of a loaded model (the loader has checked
/// that the arithmetic cannot overflow and that send/recv have their link).
cost::InstrCost instructionCost(const Instruction &instr,
                                const SystemDesc &system, const ChipDesc &chip);

/// Host work the simulator charges an instruction on top of its element
/// operations: decoding, bookkeeping, the trace event (about 0.3 us here).
constexpr int64_t kInstructionOverheadWork = 16384;
/// Weight of one element of a vector, pool, reduce, copy, resize or
/// transfer relative to one multiply-add of a matmul or convolution, which
/// run as blocked GEMMs about this many times faster per element.
constexpr int64_t kElementWork = 16;

/// The host work of simulating `instr` once, in units of one GEMM
/// multiply-add: the multiply-adds of a matmul or convolution, kElementWork
/// per element a vector, pool, reduce, copy or resize reads or per byte a
/// transfer moves, plus kInstructionOverheadWork. Saturates at INT64_MAX.
/// The simulator's work limit (SimulatorOptions::maxWork) bounds its sum.
int64_t instructionWork(const Instruction &instr);

/// Which memory of a chip an access touches.
enum class MemorySpace : uint8_t { SRAM = 0, DRAM = 1 };

/// One byte range an instruction reads or writes: [offset, offset + bytes).
/// The extents are those of the compiler's bounds verifier (strided extents,
/// 4-byte accumulators, whole conv output block); the peak SRAM measurement
/// is the highest end of these ranges.
struct MemoryAccess {
  MemorySpace space = MemorySpace::SRAM;
  int64_t offset = 0;
  int64_t bytes = 0;
  bool write = false;
  const char *what = ""; ///< The operand: "a", "dst", "sram", ...
};

/// Appends every memory range `instr` touches. Extents saturate at INT64_MAX
/// instead of wrapping, so that an absurd operand fails a bounds check.
void memoryAccesses(const Instruction &instr,
                    std::vector<MemoryAccess> &accesses);

/// An entry or exit tensor of the model.
struct TensorSignature {
  std::string name;
  cost::DType dtype = cost::DType::F32;
  std::vector<int64_t> shape;
  int64_t elements = 0; ///< Product of the shape.
  int64_t bytes = 0;    ///< elements * elementBytes(dtype).
};

/// Bytes placed in a chip's DRAM before its program runs (weights).
struct Segment {
  int64_t dram = 0;
  std::vector<uint8_t> data;
};

/// What the compiler proved one path of a program costs
/// (docs/execution-model.md, "What is measured").
struct Budget {
  std::string path; ///< "full" or "exit N".
  int64_t cycles = 0;
  std::array<int64_t, cost::kNumEngines> engineBusy = {};
  int64_t hostBytes = 0;
  int64_t dramBytes = 0;
  int64_t linkBytes = 0;
  int64_t peakSramBytes = 0;
  int64_t energyFj = 0;
  /// One past the highest DRAM byte of the segments and of the path's DRAM
  /// accesses. 0 in a binary written before the field existed.
  int64_t peakDramBytes = 0;
  /// True for the budget of a standby start (the chip starts asleep and is
  /// woken while in standby: no wake cycles, no wake energy, idle power
  /// until it starts; docs/execution-model.md, "Standby").
  bool standby = false;
};

/// One byte range of a checkpoint's live state.
struct LiveRange {
  MemorySpace space = MemorySpace::SRAM;
  int64_t offset = 0;
  int64_t bytes = 0;
  /// For an SRAM range, >= 0 when its bytes are an unchanged copy of DRAM
  /// [source, source + bytes), which no instruction of the program writes:
  /// such a range is not saved but restored by a DRAM DMA from there.
  int64_t source = -1;

  /// Crosses the host link in a save and a restore.
  bool saved() const { return source < 0; }
};

/// A checkpoint boundary the compiler marked in a program
/// (docs/execution-model.md, "Checkpoints"). A run stopped at the boundary
/// has executed exactly instructions [0, index); it waits until its engines
/// drain, copies the `live` ranges to the host, and may later resume at
/// `index` on this chip or another of the same kind: restore the ranges,
/// then run [index, end). Cycles are of the program's chip; each phase is a
/// budget the simulator's measurement equals.
struct Checkpoint {
  uint32_t index = 0;
  /// The earliest start, in the uninterrupted run, of an instruction at or
  /// after `index` other than a wait or a signal (cycles after the program's
  /// start): a stop decided by then lets no instruction past the boundary
  /// that moves or computes data begin (waits and signals past it, which
  /// move nothing, are dropped from the engines' queues).
  int64_t issueCycles = 0;
  /// From the program's start to the finish of the last of [0, index), and
  /// the chip's energy over that time (active and idle power).
  int64_t drainCycles = 0;
  int64_t drainEnergyFj = 0;
  /// Copying `live` out, and back in (checkpointTransferCycles).
  int64_t saveCycles = 0;
  int64_t restoreCycles = 0;
  /// From the end of the restore to the halt, and the energy over that time.
  int64_t resumeCycles = 0;
  int64_t resumeEnergyFj = 0;
  /// The state a resumed run reads that the run wrote before the boundary,
  /// sorted by (space, offset), disjoint.
  std::vector<LiveRange> live;

  /// The bytes of `live` that a save copies to the host (the loader checked
  /// that the sum fits).
  int64_t savedBytes() const {
    int64_t bytes = 0;
    for (const LiveRange &range : live)
      bytes += range.saved() ? range.bytes : 0;
    return bytes;
  }
};

/// Cycles of `chip` to save `live` to the host or, with `restore`, to
/// restore it (docs/execution-model.md, "Checkpoints"): the saved SRAM ranges
/// are gathered into a staging block of DRAM, one DRAM DMA each, and the
/// block crosses the host link in one host DMA; each DRAM range is one host
/// DMA of its own; a restore also copies each unsaved SRAM range back from
/// its DRAM source, one DRAM DMA each. -1 when a range is negative or larger
/// than any memory, or the sum overflows 64 bits. Header-only: the compiler
/// that marks checkpoints and the runtime that takes them use this one
/// formula.
inline int64_t checkpointTransferCycles(const std::vector<LiveRange> &live,
                                        const ChipDesc &chip,
                                        const SystemDesc &system,
                                        bool restore) {
  auto host = [&](int64_t bytes) {
    return cost::hostDmaCycles(bytes, system.host.bandwidthGBps,
                               system.host.latencyNs, chip.clockMhz);
  };
  int64_t total = 0, staged = 0;
  for (const LiveRange &range : live) {
    // Each range lies in a memory, which the system limits (Target.h) keep
    // below kMaxSystemValue bytes; only the sums can overflow.
    if (range.bytes < 0 || range.bytes > kMaxSystemValue)
      return -1;
    bool sram = range.space == MemorySpace::SRAM;
    if (!range.saved() && !restore)
      continue; // Not saved: its DRAM source stays on the chip.
    int64_t cycles = sram ? cost::dramDmaCycles(range.bytes,
                                                chip.dramBytesPerCycle)
                          : host(range.bytes);
    if (__builtin_add_overflow(total, cycles, &total) ||
        (sram && range.saved() &&
         __builtin_add_overflow(staged, range.bytes, &staged)))
      return -1;
  }
  if (staged > kMaxSystemValue ||
      (staged > 0 && __builtin_add_overflow(total, host(staged), &total)))
    return -1;
  return total;
}

/// One chip's program.
struct Program {
  std::string name;
  int64_t chip = 0;
  /// The stream, exit paths inline: an ExitCheck at index i is followed by
  /// its exitPathLength-instruction exit path.
  std::vector<Instruction> instructions;
  std::vector<Segment> segments;
  /// The budgets of ordinary (cold) starts, one per path.
  std::vector<Budget> budgets;
  /// The budgets of standby starts, one per path; only for a program that
  /// starts asleep (the binary's Budget entries with `standby`).
  std::vector<Budget> standbyBudgets;
  /// True when some escalate in the model targets this chip: it starts
  /// asleep and runs only when woken.
  bool startsAsleep = false;
  /// Number of exit checks in the stream (paths "exit 1".."exit N").
  uint32_t exitChecks = 0;
  /// One past the highest SRAM byte any instruction of the stream can touch.
  int64_t sramExtent = 0;
  /// Host work of one run of the whole stream (every exit path included):
  /// the sum of instructionWork(), saturating. Known at load time, so that a
  /// run can be refused before it starts.
  int64_t work = 0;
  /// Checkpoint boundaries in stream order (ascending index); empty when the
  /// compiler marked none (docs/execution-model.md, "Checkpoints").
  std::vector<Checkpoint> checkpoints;

  /// The budget of `path` (of a standby start when `standby`), or null.
  const Budget *findBudget(std::string_view path, bool standby = false) const;
};

/// What the compiler proved a stream of inputs costs
/// (docs/execution-model.md, "Streams").
struct StreamBudget {
  /// Picoseconds between the releases of consecutive inputs (> 0).
  int64_t intervalPs = 0;
  /// latencyPs[i]: picoseconds from the release of input i to the halt of
  /// its last chip; inputs from latencyPs.size() - 1 on take
  /// latencyPs.back(). Never empty.
  std::vector<int64_t> latencyPs;

  /// The budgeted latency of input `i`.
  int64_t latencyOf(size_t i) const {
    return latencyPs[std::min(i, latencyPs.size() - 1)];
  }
};

/// A loaded model. Every invariant the simulator needs has been checked.
struct Model {
  uint32_t version = 0;
  std::string name; ///< Model identity for preloading (P4).
  SystemDesc system;
  std::vector<TensorSignature> inputs;
  std::vector<TensorSignature> outputs;
  std::vector<Program> programs;
  /// Absent when the compiler gave none (exit checks or escalations make
  /// each input's path depend on its data).
  std::optional<StreamBudget> stream;
  /// The early-exit table; absent when the compiler gave none.
  std::optional<EarlyExit> earlyExit;
  /// FNV-1a (64 bits, over 8-byte words) of the binary's bytes, set by
  /// loadModel(): a checkpoint names the binary it was taken from.
  uint64_t fingerprint = 0;

  /// The program of chip `chip`, or null.
  const Program *findProgram(int64_t chip) const;
  /// Host work of one input: the sum of every program's work, saturating
  /// (an upper bound when exit checks skip part of a stream).
  int64_t workPerInput() const;
};

/// Either a model or the reason the bytes are not one.
struct LoadResult {
  std::optional<Model> model;
  /// Empty on success; otherwise names what is wrong and where ("program
  /// 'p0' (chip 0) instruction 3 (dma_in): field 'strides' ...").
  std::string error;

  bool ok() const { return model.has_value(); }
  explicit operator bool() const { return ok(); }
};

/// Verifies and decodes the bytes of a .npub file: size and identifier
/// ("NPUB"), the FlatBuffers verifier, the format version, then the semantic
/// checks (system description, programs, every operand in range, stream
/// structure, token order, segments, budgets, the early-exit table). Never
/// reads outside `data`, never crashes, whatever the bytes. `data` needs no
/// particular alignment.
LoadResult loadModel(const uint8_t *data, size_t size);

/// Reads a file and calls loadModel() on its bytes.
LoadResult loadModelFile(const std::string &path);

} // namespace npu::rt

#endif // NPU_RT_MODEL_H
