//===- Checkpoints.cpp - Checkpoint boundaries and their budgets ----------===//
//
// Boundaries: up to kMaxCheckpoints instruction indices (fewer for long
// streams, see Checkpoints.h), each the first whose instructions all start
// at least a step after the previous boundary's, in the static schedule: a
// step is 1/(count + 1) of the program's cycles, and at least
// kMinCheckpointSpacing.
//
// Live state at a boundary b: the bytes that a later instruction may read
// before overwriting them (backward liveness, where only exact whole writes
// kill) and that an instruction before b may have written (every other byte
// still holds what the loader placed, on any chip that loaded the program).
// Adjacent live ranges are merged when one transfer costs no more than two.
//
// Timing: a stop at b lets [0, b) run as in the uninterrupted run (issue is
// in order, so nothing before b depends on what follows) and then drain; a
// stop is decided in time when no instruction past b that moves or computes
// data has started (waits and signals past b are dropped from the queues);
// the resumed run starts [b, end) with every engine free after the restore,
// and a wait whose signal came before b waits for nothing.
//
//===----------------------------------------------------------------------===//

#include "npu/Analysis/Checkpoints.h"
#include "npu/Analysis/Schedule.h"
#include "npu/Dialect/NPUISA/NPUISAOps.h"

#include "llvm/ADT/STLExtras.h"

#include <algorithm>
#include <map>

using namespace mlir;
using namespace mlir::npu;
namespace cost = ::npu::rt::cost;
namespace rt = ::npu::rt;

namespace {

/// A set of byte ranges [begin, end) of one memory, kept disjoint.
class ByteSet {
public:
  void add(int64_t begin, int64_t end) {
    if (begin >= end)
      return;
    auto it = ranges.upper_bound(begin);
    if (it != ranges.begin() && std::prev(it)->second >= begin)
      --it;
    while (it != ranges.end() && it->first <= end) {
      begin = std::min(begin, it->first);
      end = std::max(end, it->second);
      it = ranges.erase(it);
    }
    ranges.emplace(begin, end);
  }

  void remove(int64_t begin, int64_t end) {
    if (begin >= end)
      return;
    auto it = ranges.upper_bound(begin);
    if (it != ranges.begin())
      --it;
    while (it != ranges.end() && it->first < end) {
      auto [from, to] = *it;
      if (to <= begin) {
        ++it;
        continue;
      }
      it = ranges.erase(it);
      if (from < begin)
        ranges.emplace(from, begin);
      if (to > end)
        it = ranges.emplace(end, to).first;
    }
  }

  /// Whether any byte of [begin, end) is in the set.
  bool overlaps(int64_t begin, int64_t end) const {
    auto it = ranges.upper_bound(begin);
    if (it != ranges.begin() && std::prev(it)->second > begin)
      return true;
    return it != ranges.end() && it->first < end;
  }

  /// The ranges of this set that `other` also holds, in address order.
  SmallVector<std::pair<int64_t, int64_t>>
  intersect(const ByteSet &other) const {
    SmallVector<std::pair<int64_t, int64_t>> out;
    auto a = ranges.begin(), b = other.ranges.begin();
    while (a != ranges.end() && b != other.ranges.end()) {
      int64_t from = std::max(a->first, b->first);
      int64_t to = std::min(a->second, b->second);
      if (from < to)
        out.push_back({from, to});
      (a->second < b->second) ? ++a : ++b;
    }
    return out;
  }

private:
  std::map<int64_t, int64_t> ranges; ///< begin -> end
};

/// Where the bytes of SRAM last came from: pieces [begin, end) that hold an
/// unchanged copy of DRAM from `source` on (a contiguous dma_in from DRAM
/// that no instruction writes), or -1 for anything else.
class SourceMap {
public:
  void assign(int64_t begin, int64_t end, int64_t source) {
    if (begin >= end)
      return;
    auto it = pieces.upper_bound(begin);
    if (it != pieces.begin())
      --it;
    while (it != pieces.end() && it->first < end) {
      auto [from, piece] = *it;
      if (piece.end <= begin) {
        ++it;
        continue;
      }
      it = pieces.erase(it);
      if (from < begin)
        pieces.emplace(from, Piece{begin, piece.source});
      if (piece.end > end)
        it = pieces.emplace(end, Piece{piece.end, shifted(piece.source,
                                                          end - from)})
                 .first;
    }
    pieces.emplace(begin, Piece{end, source});
  }

  /// Splits [begin, end) by source: (offset, bytes, source) in address
  /// order; bytes no piece covers come back with source -1.
  void split(int64_t begin, int64_t end,
             std::vector<::npu::rt::LiveRange> &out) const {
    auto emit = [&](int64_t from, int64_t to, int64_t source) {
      if (from < to)
        out.push_back({::npu::rt::MemorySpace::SRAM, from, to - from, source});
    };
    auto it = pieces.upper_bound(begin);
    if (it != pieces.begin())
      --it;
    int64_t at = begin;
    for (; it != pieces.end() && it->first < end; ++it) {
      if (it->second.end <= at)
        continue;
      int64_t from = std::max(at, it->first);
      emit(at, from, -1);
      int64_t to = std::min(end, it->second.end);
      emit(from, to, shifted(it->second.source, from - it->first));
      at = to;
    }
    emit(at, end, -1);
  }

private:
  struct Piece {
    int64_t end;
    int64_t source;
  };
  static int64_t shifted(int64_t source, int64_t by) {
    return source < 0 ? -1 : source + by;
  }
  std::map<int64_t, Piece> pieces; ///< begin -> piece
};

/// One set per memory space.
struct Memories {
  ByteSet sram, dram;
  ByteSet &of(npuisa::MemorySpace space) {
    return space == npuisa::MemorySpace::SRAM ? sram : dram;
  }
};

/// A byte range of one memory.
struct Range {
  npuisa::MemorySpace space;
  int64_t begin, end;
};

/// Appends `rows` ranges of `bytes` bytes, `stride` apart, from `base`.
void rowsOf(npuisa::MemorySpace space, int64_t base, int64_t rows,
            int64_t bytes, int64_t stride, SmallVectorImpl<Range> &out) {
  for (int64_t r = 0; r < rows; ++r)
    out.push_back({space, base + r * stride, base + r * stride + bytes});
}

/// Rows are enumerated only up to this many; a write of more rows kills
/// nothing (the analysis stays conservative and linear in the IR).
constexpr int64_t kMaxKillRows = 4096;

/// The bytes `op` certainly overwrites, without reading them first. A write
/// not listed here still counts as a possible write, but kills nothing.
void exactWrites(Operation *op, SmallVectorImpl<npuisa::BufferAccess> &accesses,
                 SmallVectorImpl<Range> &out) {
  using npuisa::MemorySpace;
  if (auto dma = dyn_cast<npuisa::DmaInOp>(op)) {
    if (dma.getRows() <= kMaxKillRows)
      rowsOf(MemorySpace::SRAM, dma.getSram(), dma.getRows(),
             dma.getRowBytes(), dma.getStrides()[1], out);
  } else if (auto dma = dyn_cast<npuisa::DmaOutOp>(op)) {
    if (dma.getRows() <= kMaxKillRows)
      rowsOf(MemorySpace::DRAM, dma.getDram(), dma.getRows(),
             dma.getRowBytes(), dma.getStrides()[1], out);
  } else if (auto mm = dyn_cast<npuisa::MatMulOp>(op)) {
    if (!mm.getAccumulate() && mm.getM() <= kMaxKillRows)
      rowsOf(MemorySpace::SRAM, mm.getC(), mm.getM(), mm.getN() * 4,
             mm.getLds()[2] * 4, out);
  } else if (auto conv = dyn_cast<npuisa::ConvOp>(op)) {
    // Rows [r0, r0 + rows) of every output channel (accumulators, 4 bytes).
    int64_t oh = conv.getOutHw()[0], ow = conv.getOutHw()[1];
    int64_t r0 = conv.getOutRows()[0], rows = conv.getOutRows()[1];
    if (conv.getOutChannels() <= kMaxKillRows)
      rowsOf(MemorySpace::SRAM, conv.getOutput() + r0 * ow * 4,
             conv.getOutChannels(), rows * ow * 4, oh * ow * 4, out);
  } else if (isa<npuisa::LoadInputOp, npuisa::FillOp, npuisa::VectorOp,
                 npuisa::ReduceOp, npuisa::PoolOp, npuisa::ResizeOp>(op)) {
    // Dense destinations: the write access is exactly the bytes written.
    for (const npuisa::BufferAccess &a : accesses)
      if (a.isWrite)
        out.push_back({a.space, a.offset, a.offset + a.bytes});
  }
}

/// Energy of `cycles` cycles of which `active` had an engine busy.
int64_t phaseEnergy(int64_t cycles, int64_t active, const rt::ChipDesc &chip) {
  int64_t ps = chip.picosecondsPerCycle();
  return cost::energyFj(active, chip.power.activeMw, ps) +
         cost::energyFj(cycles - active, chip.power.idleMw, ps);
}

/// Cycles of [from, to) covered by the union of `busy` intervals.
int64_t activeCycles(SmallVector<std::pair<int64_t, int64_t>> busy,
                     int64_t from) {
  llvm::sort(busy);
  int64_t active = 0, covered = from;
  for (auto [start, finish] : busy) {
    start = std::max(start, covered);
    if (finish > start) {
      active += finish - start;
      covered = finish;
    }
  }
  return active;
}

/// Merges address-adjacent ranges of one space, left to right, whenever the
/// whole transfer (rt::checkpointTransferCycles) costs no more cycles merged
/// than apart. Linear: a DRAM merge changes two host DMAs into one; a merge
/// of saved SRAM ranges two staging DMAs into one and adds the gap to the
/// staged block. Unsaved SRAM ranges merge only without a gap and with
/// contiguous sources; saved and unsaved ones never merge.
std::vector<rt::LiveRange> mergeRanges(const std::vector<rt::LiveRange> &ranges,
                                       const rt::ChipDesc &chip,
                                       const rt::SystemDesc &system) {
  auto host = [&](int64_t bytes) {
    return cost::hostDmaCycles(bytes, system.host.bandwidthGBps,
                               system.host.latencyNs, chip.clockMhz);
  };
  auto stage = [&](int64_t bytes) {
    return cost::dramDmaCycles(bytes, chip.dramBytesPerCycle);
  };
  int64_t staged = 0;
  for (const rt::LiveRange &range : ranges)
    if (range.space == rt::MemorySpace::SRAM && range.saved())
      staged += range.bytes;
  std::vector<rt::LiveRange> out;
  for (const rt::LiveRange &range : ranges) {
    if (!out.empty() && out.back().space == range.space &&
        out.back().saved() == range.saved()) {
      rt::LiveRange &last = out.back();
      int64_t merged = range.offset + range.bytes - last.offset;
      int64_t gap = range.offset - last.offset - last.bytes;
      bool cheaper;
      if (range.space == rt::MemorySpace::DRAM)
        cheaper = host(merged) <= host(last.bytes) + host(range.bytes);
      else if (!range.saved())
        cheaper = gap == 0 && range.source == last.source + last.bytes;
      else
        cheaper = stage(merged) + host(staged + gap) <=
                  stage(last.bytes) + stage(range.bytes) + host(staged);
      if (cheaper) {
        if (range.space == rt::MemorySpace::SRAM && range.saved())
          staged += gap;
        last.bytes = merged;
        continue;
      }
    }
    out.push_back(range);
  }
  return out;
}

} // namespace

std::vector<rt::Checkpoint>
mlir::npu::computeCheckpoints(npuisa::ProgramOp program, size_t programs,
                              const ScheduleAnalysis &schedule,
                              const rt::SystemDesc &system) {
  if (programs != 1 || schedule.failed())
    return {};
  const rt::ChipDesc *chip = system.findChip(program.getChip());
  if (!chip)
    return {};
  SmallVector<Operation *> instrs;
  for (Operation &op : program.getBody().front()) {
    if (isa<npuisa::ExitCheckOp, npuisa::SendOp, npuisa::RecvOp,
            npuisa::EscalateOp>(op))
      return {};
    if (isa<npuisa::CostOpInterface>(op))
      instrs.push_back(&op);
  }
  const size_t n = instrs.size();
  if (n < 3)
    return {};

  // The uninterrupted run: start and finish of every instruction.
  SmallVector<int64_t> start(n), finish(n);
  SmallVector<cost::InstrCost> costs(n);
  for (size_t i = 0; i < n; ++i) {
    std::optional<InstrTiming> t = schedule.getTiming(instrs[i]);
    if (!t)
      return {};
    costs[i] = cast<npuisa::CostOpInterface>(instrs[i]).getCost(system, *chip);
    start[i] = t->start;
    finish[i] = t->start + t->cycles;
  }
  const int64_t total = finish[n - 1];
  // issue[b]: the earliest start of an instruction at or after b that is
  // not a wait or a signal. Those move no data: a stop discards the ones
  // past the boundary from the engines' queues, even if they already ran.
  SmallVector<int64_t> issue(n + 1, total);
  for (size_t i = n; i-- > 0;)
    issue[i] = isa<npuisa::WaitOp, npuisa::SignalOp>(instrs[i])
                   ? issue[i + 1]
                   : std::min(issue[i + 1], start[i]);

  // Boundaries, spread over the schedule; the halt always runs after one.
  SmallVector<size_t> boundaries;
  const size_t count = std::clamp<int64_t>(
      kCheckpointWork / static_cast<int64_t>(n), 16, kMaxCheckpoints);
  int64_t step = std::max<int64_t>(
      {1, total / static_cast<int64_t>(count + 1), kMinCheckpointSpacing});
  int64_t next = step;
  for (size_t b = 1; b + 1 < n && boundaries.size() < count; ++b) {
    if (issue[b] < next)
      continue;
    boundaries.push_back(b);
    next = issue[b] + step;
  }
  if (boundaries.empty())
    return {};

  // Possibly written before each boundary (forward), and live at it
  // (backward). Snapshots are taken at the boundaries only.
  SmallVector<Memories> written(boundaries.size()), live(boundaries.size());
  SmallVector<npuisa::BufferAccess> accesses;
  SmallVector<Range> kills;
  // DRAM that some instruction writes: a copy of any other DRAM byte is the
  // same on every chip freshly loaded with the binary.
  ByteSet dramWrites;
  for (Operation *op : instrs) {
    accesses.clear();
    cast<npuisa::CostOpInterface>(op).getBufferAccesses(accesses);
    for (const npuisa::BufferAccess &a : accesses)
      if (a.isWrite && a.space == npuisa::MemorySpace::DRAM)
        dramWrites.add(a.offset, a.offset + a.bytes);
  }
  SmallVector<SourceMap> sources(boundaries.size());
  {
    Memories w;
    SourceMap source;
    size_t k = 0;
    for (size_t i = 0; i < n && k < boundaries.size(); ++i) {
      if (i == boundaries[k]) {
        sources[k] = source;
        written[k++] = w;
      }
      accesses.clear();
      cast<npuisa::CostOpInterface>(instrs[i]).getBufferAccesses(accesses);
      for (const npuisa::BufferAccess &a : accesses) {
        if (!a.isWrite)
          continue;
        w.of(a.space).add(a.offset, a.offset + a.bytes);
        if (a.space == npuisa::MemorySpace::SRAM)
          source.assign(a.offset, a.offset + a.bytes, -1);
      }
      // A contiguous copy of DRAM nothing writes: restorable from there.
      auto dma = dyn_cast<npuisa::DmaInOp>(instrs[i]);
      if (dma && (dma.getRows() == 1 ||
                  (dma.getStrides()[0] == dma.getRowBytes() &&
                   dma.getStrides()[1] == dma.getRowBytes()))) {
        int64_t bytes = dma.getRows() * dma.getRowBytes();
        if (!dramWrites.overlaps(dma.getDram(), dma.getDram() + bytes))
          source.assign(dma.getSram(), dma.getSram() + bytes, dma.getDram());
      }
    }
  }
  {
    Memories l;
    size_t k = boundaries.size();
    for (size_t i = n; i-- > 0;) {
      accesses.clear();
      kills.clear();
      cast<npuisa::CostOpInterface>(instrs[i]).getBufferAccesses(accesses);
      exactWrites(instrs[i], accesses, kills);
      for (const Range &r : kills)
        l.of(r.space).remove(r.begin, r.end);
      for (const npuisa::BufferAccess &a : accesses)
        if (!a.isWrite)
          l.of(a.space).add(a.offset, a.offset + a.bytes);
      // An accumulating matmul reads its destination too.
      if (auto mm = dyn_cast<npuisa::MatMulOp>(instrs[i]);
          mm && mm.getAccumulate())
        for (const npuisa::BufferAccess &a : accesses)
          if (a.isWrite)
            l.of(a.space).add(a.offset, a.offset + a.bytes);
      if (k > 0 && i == boundaries[k - 1])
        live[--k] = l;
    }
  }

  // Pairs of waits with signals: the k-th wait on a token with its k-th
  // signal (the verifier guarantees the signal comes first).
  SmallVector<int64_t> pairOf(n, -1);
  {
    llvm::DenseMap<int64_t, SmallVector<size_t>> signals;
    llvm::DenseMap<int64_t, size_t> waits;
    for (size_t i = 0; i < n; ++i) {
      if (auto signal = dyn_cast<npuisa::SignalOp>(instrs[i]))
        signals[signal.getToken()].push_back(i);
      else if (auto wait = dyn_cast<npuisa::WaitOp>(instrs[i]))
        pairOf[i] = signals[wait.getToken()][waits[wait.getToken()]++];
    }
  }

  std::vector<rt::Checkpoint> table;
  for (auto [k, b] : llvm::enumerate(boundaries)) {
    rt::Checkpoint cp;
    cp.index = static_cast<uint32_t>(b);
    cp.issueCycles = issue[b];

    // Drain: [0, b) as in the uninterrupted run.
    SmallVector<std::pair<int64_t, int64_t>> busy;
    for (size_t i = 0; i < b; ++i) {
      cp.drainCycles = std::max(cp.drainCycles, finish[i]);
      if (costs[i].cycles > 0)
        busy.push_back({start[i], finish[i]});
    }
    cp.drainEnergyFj =
        phaseEnergy(cp.drainCycles, activeCycles(busy, 0), *chip);

    // Resume: [b, n) from cycle 0 with every engine free.
    std::array<int64_t, cost::kNumEngines> free = {};
    SmallVector<int64_t> resumedFinish(n, 0);
    busy.clear();
    for (size_t i = b; i < n; ++i) {
      int e = static_cast<int>(costs[i].engine);
      int64_t extra = 0;
      if (pairOf[i] >= static_cast<int64_t>(b))
        extra = resumedFinish[pairOf[i]];
      else if (isa<npuisa::HaltOp>(instrs[i]))
        extra = *llvm::max_element(free);
      int64_t s = std::max(free[e], extra);
      resumedFinish[i] = free[e] = s + costs[i].cycles;
      if (costs[i].cycles > 0)
        busy.push_back({s, resumedFinish[i]});
    }
    cp.resumeCycles = resumedFinish[n - 1];
    cp.resumeEnergyFj =
        phaseEnergy(cp.resumeCycles, activeCycles(busy, 0), *chip);

    // Live state (SRAM split by where it came from), merged where that is
    // cheaper, then its transfers.
    std::vector<rt::LiveRange> ranges;
    for (auto [from, to] : live[k].sram.intersect(written[k].sram))
      sources[k].split(from, to, ranges);
    for (auto [from, to] : live[k].dram.intersect(written[k].dram))
      ranges.push_back({rt::MemorySpace::DRAM, from, to - from});
    cp.live = mergeRanges(ranges, *chip, system);
    cp.saveCycles = rt::checkpointTransferCycles(cp.live, *chip, system, false);
    cp.restoreCycles =
        rt::checkpointTransferCycles(cp.live, *chip, system, true);
    table.push_back(std::move(cp));
  }
  return table;
}
