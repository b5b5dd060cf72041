//===- SyncTokens.cpp - Tokens from the memory instructions touch ---------===//
//
// Engines execute their own queues in order and meet only at tokens
// (docs/execution-model.md). Walking the stream in order, a shadow of SRAM
// and DRAM remembers, per byte range, the last instruction that wrote it
// and, per engine, the last instruction that read it since. An instruction
// on engine E depends on every conflicting earlier access on another
// engine P (read after write, write after read, write after write); it
// needs a wait only for the latest such access of each P, and not even that
// when E is already known to be past it.
//
// "Known to be past" is a vector clock: clock[E][P] is the latest stream
// position of P's queue that E has provably passed. E passes its own
// instructions; a wait of E on the signal after P's instruction p gives E
// everything P knew at p (P ran its earlier waits before p). So a chain
// mac -> vector -> dma_out needs no direct token between mac and dma_out,
// and of several dependencies of one instruction, those that another one
// implies get no wait.
//
//===----------------------------------------------------------------------===//

#include "npu/Conversion/NPUToNPUISA/NPUToNPUISA.h"
#include "npu/Dialect/NPU/NPUDialect.h"
#include "npu/Dialect/NPUISA/NPUISAOps.h"

#include "mlir/IR/Builders.h"

#include <array>
#include <functional>
#include <map>

using namespace mlir;
using namespace mlir::npu;
namespace cost = ::npu::rt::cost;
namespace rt = ::npu::rt;

namespace {

constexpr int kEngines = cost::kNumEngines;
using Clock = std::array<int64_t, kEngines>;

Clock emptyClock() {
  Clock c;
  c.fill(-1);
  return c;
}

/// The accesses to one memory, as non-overlapping byte ranges keyed by
/// their first byte.
class Shadow {
public:
  struct Range {
    int64_t end = 0;
    int64_t writer = -1;          ///< Stream position of the last write.
    Clock readers = emptyClock(); ///< Last read per engine since then.
  };

  /// Calls `fn(Range &)` for every range covering [lo, hi), creating and
  /// splitting ranges so that they tile exactly [lo, hi).
  template <typename Fn> void forEach(int64_t lo, int64_t hi, Fn fn) {
    if (lo >= hi)
      return;
    split(lo);
    split(hi);
    int64_t pos = lo;
    auto it = ranges.lower_bound(lo);
    while (pos < hi) {
      if (it == ranges.end() || it->first > pos) {
        int64_t gapEnd = it == ranges.end() ? hi : std::min(hi, it->first);
        it = ranges.emplace_hint(it, pos, Range{gapEnd, -1, emptyClock()});
      }
      fn(it->second);
      pos = it->second.end;
      ++it;
    }
  }

private:
  /// Makes `pos` the start of a range if some range strictly contains it.
  void split(int64_t pos) {
    auto it = ranges.upper_bound(pos);
    if (it == ranges.begin())
      return;
    --it;
    if (it->first < pos && pos < it->second.end) {
      Range tail = it->second;
      it->second.end = pos;
      ranges.emplace(pos, tail);
    }
  }

  std::map<int64_t, Range> ranges;
};

} // namespace

FailureOr<int64_t> mlir::npu::insertSyncTokens(npuisa::ProgramOp program,
                                               int64_t firstToken) {
  SystemAttr systemAttr = getSystemAttr(program);
  if (!systemAttr)
    return program.emitOpError()
           << "needs the module's '" << NPUDialect::getSystemAttrName()
           << "' to derive its sync tokens";
  rt::SystemDesc system = toSystemDesc(systemAttr);
  const rt::ChipDesc *chip = system.findChip(program.getChip());
  if (!chip)
    return program.emitOpError() << "chip " << program.getChip()
                                 << " is not in system '" << system.name << "'";

  // The stream in binary order: an exit check, its exit path, then what
  // follows the check. `enclosing[i]` is the innermost exit check whose exit
  // path holds instruction i (-1 for none); `pathEnd[c]` is one past the
  // last instruction of check c's exit path.
  SmallVector<npuisa::CostOpInterface> stream;
  SmallVector<int64_t> enclosing, pathEnd;
  bool malformed = false;
  std::function<void(Block &, int64_t)> collect = [&](Block &block,
                                                      int64_t parent) {
    for (Operation &op : block) {
      if (isa<npuisa::SignalOp, npuisa::WaitOp>(op)) {
        op.emitOpError() << "cannot be in a stream whose tokens are derived "
                            "from its memory accesses";
        malformed = true;
        return;
      }
      auto instr = dyn_cast<npuisa::CostOpInterface>(op);
      if (!instr)
        continue;
      int64_t index = static_cast<int64_t>(stream.size());
      stream.push_back(instr);
      enclosing.push_back(parent);
      pathEnd.push_back(index + 1);
      if (auto check = dyn_cast<npuisa::ExitCheckOp>(op)) {
        if (!check.getExitPath().empty())
          collect(check.getExitPath().front(), index);
        pathEnd[index] = static_cast<int64_t>(stream.size());
      }
    }
  };
  collect(program.getBody().front(), -1);
  if (malformed)
    return failure();
  // Whether instruction i lies in the exit path of check c.
  auto inExitPath = [&](int64_t i, int64_t c) {
    for (int64_t p = enclosing[i]; p >= 0; p = enclosing[p])
      if (p == c)
        return true;
    return false;
  };

  Shadow sram, dram;
  SmallVector<int, 0> engineOf(stream.size());
  SmallVector<Clock, 0> snapshot(stream.size());
  std::array<Clock, kEngines> clock;
  clock.fill(emptyClock());

  struct Sync {
    int64_t token;
    int engine;
  };
  SmallVector<SmallVector<Sync, 1>, 0> signalsAfter(stream.size());
  SmallVector<SmallVector<Sync, 1>, 0> waitsBefore(stream.size());
  int64_t nextToken = firstToken;
  llvm::DenseMap<int64_t, int64_t> waiterOf; // token -> waiting instruction

  // An exit path runs instead of what follows its check: the accesses and
  // clocks of the exit path are dropped when the stream after it resumes.
  struct State {
    Shadow sram, dram;
    std::array<Clock, kEngines> clock;
    int64_t resumeAt;
  };
  SmallVector<State, 0> forks;
  SmallVector<npuisa::BufferAccess> accesses;
  for (auto [pos, instr] : llvm::enumerate(stream)) {
    int64_t i = static_cast<int64_t>(pos);
    while (!forks.empty() && forks.back().resumeAt == i) {
      sram = std::move(forks.back().sram);
      dram = std::move(forks.back().dram);
      clock = forks.back().clock;
      forks.pop_back();
    }
    int e = static_cast<int>(instr.getCost(system, *chip).engine);
    engineOf[i] = e;
    accesses.clear();
    instr.getBufferAccesses(accesses);

    // The latest conflicting access of every other engine.
    Clock deps = emptyClock();
    auto depend = [&](int64_t producer) {
      if (producer < 0 || engineOf[producer] == e)
        return;
      int p = engineOf[producer];
      deps[p] = std::max(deps[p], producer);
    };
    for (const npuisa::BufferAccess &a : accesses) {
      Shadow &mem = a.space == npuisa::MemorySpace::SRAM ? sram : dram;
      mem.forEach(a.offset, a.offset + a.bytes, [&](Shadow::Range &r) {
        depend(r.writer);
        if (a.isWrite)
          for (int64_t reader : r.readers)
            depend(reader);
      });
    }

    // A dependency is implied by another one whose producer had already
    // passed it; "implied" is acyclic (it points back in the stream), so the
    // dependencies implied by none imply all the others.
    auto implied = [&](int p) {
      if (clock[e][p] >= deps[p])
        return true;
      for (int q = 0; q < kEngines; ++q)
        if (q != p && deps[q] >= 0 && snapshot[deps[q]][p] >= deps[p])
          return true;
      return false;
    };
    SmallVector<int, kEngines> needed;
    for (int p = 0; p < kEngines; ++p)
      if (deps[p] >= 0 && !implied(p))
        needed.push_back(p);
    for (int p : needed) {
      int64_t producer = deps[p];
      int64_t token = nextToken++;
      signalsAfter[producer].push_back({token, p});
      waitsBefore[i].push_back({token, e});
      waiterOf[token] = i;
      for (int q = 0; q < kEngines; ++q)
        clock[e][q] = std::max(clock[e][q], snapshot[producer][q]);
    }
    clock[e][e] = i;
    snapshot[i] = clock[e];

    // Record this instruction's accesses: reads first, so that an in-place
    // instruction ends up as the writer with no readers.
    for (bool writes : {false, true})
      for (const npuisa::BufferAccess &a : accesses) {
        if (a.isWrite != writes)
          continue;
        Shadow &mem = a.space == npuisa::MemorySpace::SRAM ? sram : dram;
        mem.forEach(a.offset, a.offset + a.bytes, [&](Shadow::Range &r) {
          if (writes) {
            r.writer = i;
            r.readers = emptyClock();
          } else {
            r.readers[e] = i;
          }
        });
      }
    if (pathEnd[i] > i + 1)
      forks.push_back({sram, dram, clock, pathEnd[i]});
  }

  OpBuilder builder(program.getContext());
  for (auto [pos, instr] : llvm::enumerate(stream)) {
    Operation *op = instr.getOperation();
    builder.setInsertionPoint(op);
    for (const Sync &w : waitsBefore[pos])
      npuisa::WaitOp::create(builder, op->getLoc(), w.token,
                             static_cast<npuisa::Engine>(w.engine));
    // After an exit check, a signal goes on the path of its wait: at the
    // start of the exit path, or after the check.
    builder.setInsertionPointAfter(op);
    OpBuilder inPath(program.getContext());
    auto check = dyn_cast<npuisa::ExitCheckOp>(op);
    if (check)
      inPath.setInsertionPointToStart(&check.getExitPath().front());
    for (const Sync &s : signalsAfter[pos]) {
      bool forExit =
          check && inExitPath(waiterOf.lookup(s.token), static_cast<int64_t>(pos));
      npuisa::SignalOp::create(forExit ? inPath : builder, op->getLoc(),
                               s.token, static_cast<npuisa::Engine>(s.engine));
    }
  }
  return nextToken - firstToken;
}
