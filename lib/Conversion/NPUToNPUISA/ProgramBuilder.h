//===- ProgramBuilder.h - npuisa on virtual SRAM buffers --------*- C++ -*-===//
//
// The instruction-level half of npu-lower-to-isa. Op lowerings emit
// instructions whose SRAM operands are virtual buffers (SramRef); the
// builder records, per instruction, which buffer each offset field refers
// to. finalize() then fixes the stream order (weights one op ahead), gives
// every buffer an SRAM offset from its live range, writes the offsets into
// the instructions and appends the halt. It also rejects an instruction
// whose unit the chip lacks (conv, dense, activation capabilities) or that
// computes on f32 on a chip without fp32. Nothing here knows npu ops.
//
//===----------------------------------------------------------------------===//

#ifndef NPU_LIB_CONVERSION_NPUTONPUISA_PROGRAMBUILDER_H
#define NPU_LIB_CONVERSION_NPUTONPUISA_PROGRAMBUILDER_H

#include "npu/Dialect/NPUISA/NPUISAOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/Support/CheckedArithmetic.h"

#include <limits>

#include <optional>

namespace mlir::npu::lowering {

/// SRAM buffers and DRAM areas start at multiples of this many bytes.
constexpr int64_t kAlignment = 64;

inline int64_t alignUp(int64_t bytes) {
  return (bytes + kAlignment - 1) / kAlignment * kAlignment;
}

/// `a + b`, or INT64_MAX when that overflows (a DRAM end past any chip).
inline int64_t addSaturating(int64_t a, int64_t b) {
  return llvm::checkedAdd(a, b).value_or(std::numeric_limits<int64_t>::max());
}

/// A byte position in SRAM before allocation: `offset` bytes into virtual
/// buffer `buffer`.
struct SramRef {
  int buffer = -1;
  int64_t offset = 0;

  SramRef at(int64_t bytes) const { return {buffer, offset + bytes}; }
  bool operator==(const SramRef &other) const {
    return buffer == other.buffer && offset == other.offset;
  }
};

/// Indexing of operand b of a vector instruction:
/// b[(i / repeat) % period].
struct Bcast {
  int64_t period = 1;
  int64_t repeat = 1;
};

class ProgramBuilder {
public:
  /// `dramBase` is the first DRAM byte after the input/output staging areas;
  /// segments are placed from there.
  ProgramBuilder(npuisa::ProgramOp program, const ::npu::rt::ChipDesc &chip,
                 int64_t dramBase);

  const ::npu::rt::ChipDesc &getChip() const { return chip; }

  //===--------------------------------------------------------------------===//
  // Parts of the stream. Instructions belong to the part started last.
  //===--------------------------------------------------------------------===//

  /// Host -> DRAM -> SRAM of the inputs; `owner` takes the diagnostics.
  void startPrologue(Operation *owner, Location loc);
  /// The instructions of one graph op (its weight loads are moved one op
  /// earlier by finalize()).
  void startOp(Operation *op);
  /// SRAM -> DRAM -> host of the outputs.
  void startEpilogue(Operation *owner, Location loc);

  //===--------------------------------------------------------------------===//
  // Memory.
  //===--------------------------------------------------------------------===//

  /// A new SRAM buffer of `bytes`, live from its first to its last use.
  SramRef allocate(int64_t bytes);
  int64_t getBufferBytes(int buffer) const { return buffers[buffer].bytes; }

  /// DRAM offset of the segment holding `data` (f32 elements), placed at
  /// the next free 64-byte aligned offset the first time it is seen.
  int64_t addSegment(ElementsAttr data);

  /// The weights `data` in SRAM for the current op: a segment, a buffer and
  /// a dma_in that finalize() issues one op early. Loaded once per op.
  SramRef loadWeights(ElementsAttr data);

  //===--------------------------------------------------------------------===//
  // Instructions (f32; SRAM operands as virtual buffers).
  //===--------------------------------------------------------------------===//

  void loadInput(StringRef name, int64_t dram, int64_t bytes);
  void dmaIn(int64_t dram, SramRef dst, int64_t bytes);
  void dmaOut(SramRef src, int64_t dram, int64_t bytes);
  void storeOutput(StringRef name, int64_t dram, int64_t bytes);
  /// `bytes` of `src` to chip `toChip` on `channel` (link_tx).
  void send(SramRef src, int64_t bytes, int64_t toChip, int64_t channel);
  /// `bytes` from chip `fromChip` on `channel` into `dst` (link_rx).
  void recv(SramRef dst, int64_t bytes, int64_t fromChip, int64_t channel);
  void matmul(SramRef a, SramRef b, SramRef c, int64_t m, int64_t k, int64_t n,
              ArrayRef<int64_t> lds);
  void conv(SramRef input, SramRef weight, SramRef output, int64_t channels,
            ArrayRef<int64_t> inHW, int64_t outChannels,
            ArrayRef<int64_t> outHW, ArrayRef<int64_t> outRows,
            ArrayRef<int64_t> kernel, ArrayRef<int64_t> strides,
            ArrayRef<int64_t> pads, ArrayRef<int64_t> dilations);
  /// `b` is absent for unary kinds.
  void vector(npuisa::VectorOpKind kind, SramRef a, std::optional<SramRef> b,
              Bcast bcast, SramRef dst, int64_t count, float alpha = 0.0f,
              float beta = 0.0f);
  void fill(SramRef dst, int64_t count, float value);
  void reduce(npuisa::ReduceKind kind, SramRef src, SramRef dst,
              ArrayRef<int64_t> shape);
  void pool(npuisa::PoolKind kind, SramRef src, SramRef dst, int64_t channels,
            ArrayRef<int64_t> inHW, ArrayRef<int64_t> outHW,
            ArrayRef<int64_t> kernel, ArrayRef<int64_t> strides,
            ArrayRef<int64_t> pads, ArrayRef<int64_t> dilations,
            bool countIncludePad);
  void copy(SramRef src, SramRef dst, ArrayRef<int64_t> shape,
            ArrayRef<int64_t> srcStrides, ArrayRef<int64_t> dstStrides);
  void resize(npuisa::ResizeKind kind, SramRef src, SramRef dst,
              int64_t channels, ArrayRef<int64_t> inHW, ArrayRef<int64_t> outHW,
              ArrayRef<int64_t> modes);
  /// The confidence of `classes` logits at `logits`; the instructions
  /// emitted until endExitPath() form its exit path (finalize() moves them
  /// into the check's region and ends it with a halt). The next op's
  /// weights are not prefetched before the check, so that an exit does not
  /// wait for them.
  void exitCheck(SramRef logits, int64_t classes, npuisa::Measure measure,
                 float threshold);
  void endExitPath();
  /// Wakes chip `target` (control).
  void escalate(int64_t target);

  //===--------------------------------------------------------------------===//
  // Completion.
  //===--------------------------------------------------------------------===//

  /// Orders the stream, allocates SRAM, patches the offsets, appends halt
  /// and attaches the segments. On failure a diagnostic names the op whose
  /// working set does not fit. `peakSram` is one past the highest SRAM byte
  /// used.
  LogicalResult finalize(int64_t &peakSram);

  /// One past the last DRAM byte used (staging areas and segments).
  int64_t getDramEnd() const { return dramEnd; }

private:
  struct Reloc {
    StringRef field;
    SramRef ref;
  };
  /// Where an instruction goes in the stream.
  enum class Part { Prologue, Op, Epilogue };
  struct Instr {
    Operation *op;
    Part part;
    int group;     ///< Index of the graph op for Part::Op.
    bool isWeight; ///< A weight load (issued one op early).
    Operation *owner;
    SmallVector<Reloc, 3> relocs;
    /// Index of the exit check whose exit path holds this instruction.
    int exitOf = -1;
  };
  struct Buffer {
    int64_t bytes;
  };
  struct Group {
    Operation *op;
    SmallVector<int> weights; ///< Instr indices of its weight loads.
    SmallVector<int> compute; ///< Instr indices of everything else.
    llvm::DenseMap<Attribute, SramRef> loaded;
    /// Holds an exit check: the next op's weights are not loaded before it.
    bool hasExitCheck = false;
  };
  /// Where an allocation attempt failed.
  struct Failure {
    int instr;
    SmallVector<int> live; ///< Buffers live at that point.
  };

  template <typename OpTy, typename... Args>
  OpTy emit(ArrayRef<Reloc> relocs, Args &&...args);
  SmallVector<int> order(ArrayRef<bool> prefetch) const;
  std::optional<Failure> place(ArrayRef<int> stream,
                               SmallVectorImpl<int64_t> &offsets,
                               int64_t &peak) const;
  void reportNoFit(const Failure &failure) const;

  npuisa::ProgramOp program;
  const ::npu::rt::ChipDesc &chip;
  OpBuilder builder;
  Location loc;
  Part part = Part::Prologue;
  Operation *owner = nullptr;
  bool loadingWeights = false;
  bool missingCapability = false;
  /// The exit check whose exit path is being emitted, or -1.
  int exitPathOf = -1;
  llvm::DenseSet<std::pair<Operation *, unsigned>> reportedMissing;
  SmallVector<Instr> instrs;
  SmallVector<Buffer> buffers;
  SmallVector<Group> groups;
  SmallVector<Attribute> segments;
  llvm::DenseMap<Attribute, int64_t> segmentOffsets;
  int64_t dramEnd;
};

} // namespace mlir::npu::lowering

#endif // NPU_LIB_CONVERSION_NPUTONPUISA_PROGRAMBUILDER_H
