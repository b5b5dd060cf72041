//===- Partition.h - Placing a model on the chips of a system ---*- C++ -*-===//
//
// The analysis half of `npu-partition` (docs/partitioning.md): the cost of
// every op on every chip, taken from the real lowering of that op alone; the
// interconnect (routes, link timing, contention); the two placement
// strategies (pipeline: contiguous stages along a path of chips, minimising
// the bottleneck stage exactly; list: HEFT-like earliest finish time with
// insertion), the local search that improves them, two naive baselines;
// and the lower bounds a placement is judged against.
//
// Every time is an integer number of picoseconds, the system time base
// (docs/cost-model.md): chips may run at different clocks, so cycles of one
// chip are not comparable with cycles of another.
//
//===----------------------------------------------------------------------===//

#ifndef NPU_ANALYSIS_PARTITION_H
#define NPU_ANALYSIS_PARTITION_H

#include "npu/rt/Target.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Operation.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"

#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace mlir::npu::partition {

/// The time of an op on a chip that cannot run it. Large enough to dominate
/// any real schedule, small enough that sums of a few never overflow.
constexpr int64_t kInfinite = std::numeric_limits<int64_t>::max() / 8;

//===----------------------------------------------------------------------===//
// Cost model
//===----------------------------------------------------------------------===//

/// What one op costs on one chip when the real lowering compiles it alone.
struct OpCost {
  /// False when the lowering rejects the op on that chip (a missing
  /// capability, an unsupported type); `reason` is its first diagnostic.
  bool supported = false;
  std::string reason;
  /// Busy cycles of the MAC array and the vector unit.
  int64_t computeCycles = 0;
  /// Busy cycles of the DRAM->SRAM loads of the op's weights (constants).
  /// The loads of the op's inputs and the host transfers of the scratch
  /// program are not counted: a partitioned program has its inputs in SRAM.
  int64_t weightCycles = 0;
  /// One past the highest SRAM byte the op's program touches: its working
  /// set (inputs, weights, result, temporaries).
  int64_t sramBytes = 0;

  /// The op's cycles on the chip: its compute and its weight loads run on
  /// different engines and overlap, but neither can be hidden behind the
  /// other, so the op takes at least the longer of the two.
  int64_t cycles() const { return std::max(computeCycles, weightCycles); }
};

/// Costs ops by lowering each, alone, with the real `npu-lower-to-isa` and
/// reading the cost of every instruction it emits (npu/rt/Cost.h). Results
/// are cached by the op's fingerprint (name, attributes but `npu.*` ones,
/// operand and result types, which operands are constants) and the chip's
/// fingerprint (capabilities, MAC array, vector lanes, DRAM bandwidth), so a
/// model of 10,000 identical layers costs one lowering per kind of chip.
class OpCostModel {
public:
  explicit OpCostModel(MLIRContext *context) : context(context) {}

  /// The cost of `op` on `chip`. The op's SRAM capacity is not a limit here:
  /// the scratch chip has ample SRAM, so `sramBytes` is what the op needs.
  const OpCost &getCost(Operation *op, const ::npu::rt::ChipDesc &chip);

  /// How many scratch lowerings were run (cache misses).
  unsigned getNumLowerings() const { return numLowerings; }

private:
  OpCost lower(Operation *op, const ::npu::rt::ChipDesc &chip);

  MLIRContext *context;
  llvm::StringMap<OpCost> cache;
  unsigned numLowerings = 0;
};

//===----------------------------------------------------------------------===//
// Interconnect
//===----------------------------------------------------------------------===//

/// A route as the chip indices it visits, source and destination included.
using Route = llvm::SmallVector<int, 8>;
/// Routes between every ordered pair of chips, by chip index.
using RouteTable = std::vector<std::vector<Route>>;

/// The chips and links of a system, addressed by chip *index* (position in
/// `SystemDesc::chips`), with the timing of one hop of a transfer.
class Interconnect {
public:
  /// `system` must outlive this object.
  explicit Interconnect(const ::npu::rt::SystemDesc &system);

  const ::npu::rt::SystemDesc &getSystem() const { return system; }
  /// Chips are indexed 0 .. getNumChips() - 1, in the system's order.
  int getNumChips() const { return static_cast<int>(system.chips.size()); }
  /// The chip at `index` (not its id; see indexOf).
  const ::npu::rt::ChipDesc &getChip(int index) const {
    return system.chips[index];
  }
  /// The index of the chip with `id`, or -1.
  int indexOf(int64_t id) const;
  /// The direct link between two chips, or null.
  const ::npu::rt::LinkDesc *getLink(int a, int b) const;
  /// Neighbours of a chip over direct links, in index order.
  ArrayRef<int> getNeighbours(int chip) const { return neighbours[chip]; }

  /// Chips that cannot reach chip 0 (by index) over links, in index order;
  /// empty when the system is connected.
  SmallVector<int> getUnreachableChips() const;

  /// The default route between two chips: on a mesh, dimension-ordered (X
  /// first, then Y, ...) when every link along it exists; otherwise (and on
  /// a switch) a shortest path over links, ties broken towards lower chip
  /// indices. Empty if unreachable.
  const Route &getRoute(int from, int to) const { return routes[from][to]; }
  /// Every default route, [from][to].
  const RouteTable &getRoutes() const { return routes; }

  /// A path through every chip, consecutive chips linked when possible: on a
  /// mesh the boustrophedon (snake) order of the grid; on a switch the first
  /// Hamiltonian path found by a bounded depth-first search, else the
  /// depth-first order.
  SmallVector<int> getChipPath() const;

  /// Picoseconds the sender's link port is busy with one hop of `bytes`.
  int64_t sendPs(int from, int to, int64_t bytes) const;
  /// Picoseconds the receiver's link port is busy with it.
  int64_t recvPs(int from, int to, int64_t bytes) const;
  /// Picoseconds from the start of the send to the first byte's arrival.
  int64_t latencyPs(int from, int to) const;

private:
  const ::npu::rt::SystemDesc &system;
  std::vector<SmallVector<int>> neighbours;
  std::vector<std::vector<const ::npu::rt::LinkDesc *>> links;
  RouteTable routes;
};

//===----------------------------------------------------------------------===//
// The problem: a dataflow graph with costs
//===----------------------------------------------------------------------===//

/// The model function as a dataflow graph. Nodes are the ops of the function
/// body (constants and the terminator excepted), in body order, which is a
/// topological order. Values are the nodes' results: only these ever cross
/// chips (model inputs are read from the host by every chip that needs them;
/// constants are copied into every program that uses them).
struct Graph {
  struct Node {
    Operation *op = nullptr;
    /// Values read by the op (distinct, in operand order).
    SmallVector<int, 4> operands;
    SmallVector<int, 2> results;
    /// Bytes of the distinct constants the op reads (its DRAM weights).
    int64_t weightBytes = 0;
  };
  struct Value {
    /// The SSA value (a result of the producer's op).
    ::mlir::Value ssa;
    int producer = 0;
    int64_t bytes = 0;
    /// Consumer nodes (distinct, in node order).
    SmallVector<int, 4> users;
    /// True when the function returns it.
    bool isResult = false;
  };
  SmallVector<Node> nodes;
  SmallVector<Value> values;
  /// Per node: bytes of other tensors live across it in body order (values
  /// defined before and used after it, the model inputs still to be read,
  /// results), a conservative addition to its working set.
  SmallVector<int64_t> liveBytes;
};

/// Builds the graph of `func` (a single block of ops on ranked tensors).
Graph buildGraph(func::FuncOp func);

/// Per node and chip: the time and SRAM need, and user placements.
struct Problem {
  const Graph *graph = nullptr;
  const Interconnect *net = nullptr;
  /// [node][chip] picoseconds; kInfinite where the chip cannot run the node
  /// or the node does not fit its SRAM.
  std::vector<std::vector<int64_t>> time;
  /// [node][chip] SRAM bytes the node needs there: its working set plus its
  /// `liveBytes`.
  std::vector<std::vector<int64_t>> sram;
  /// [node][chip] whether the lowering accepts the node on the chip at all
  /// (capabilities, types), whatever its SRAM.
  std::vector<std::vector<char>> canRun;
  /// [node][chip] why the chip cannot run the node (empty if it can).
  std::vector<std::vector<std::string>> whyNot;
  /// Per node: the chip index it is forced to, or -1.
  SmallVector<int> forced;

  int numNodes() const { return static_cast<int>(time.size()); }
  int numChips() const { return net->getNumChips(); }
  /// The fastest time of a node over the chips that can run it.
  int64_t fastest(int node) const;
};

/// Fills the costs of `problem` (whose graph and interconnect are set) with
/// `model`. Nodes a chip cannot run or whose need exceeds its SRAM get
/// kInfinite there.
void computeCosts(Problem &problem, OpCostModel &model);

//===----------------------------------------------------------------------===//
// Placements
//===----------------------------------------------------------------------===//

/// One hop of a value between two directly linked chips. Transfers over
/// several hops are relayed: the intermediate chip receives the value and
/// sends it on.
struct Hop {
  int value = 0;
  int from = 0, to = 0;
  int64_t sendStart = 0, sendEnd = 0;
  int64_t recvStart = 0, recvEnd = 0;
};

/// Where every node runs and when, with the transfers this implies.
struct Placement {
  std::string strategy;
  /// Per node: chip index, start and finish (ps, from 0 = the first op).
  SmallVector<int> chipOf;
  SmallVector<int64_t> start, finish;
  SmallVector<Hop> hops;
  /// The chip path whose routes the transfers follow (see `placePipeline`),
  /// or empty for the default routes.
  SmallVector<int> path;
  /// The predicted time from the first op's start to the last op's finish
  /// (host transfers excluded, as in the op costs).
  int64_t latency = 0;
  /// The initiation interval of a stream of inputs: the busiest chip's
  /// compute plus the link sends it issues.
  int64_t interval = 0;
};

/// The pipeline strategy (P7): nodes in body order cut into contiguous
/// stages on consecutive chips of the path, minimising the bottleneck stage
/// (its compute plus its outgoing transfers) exactly, under each chip's
/// SRAM and DRAM. Tries `getChipPath()` and its reverse. Nullopt when no
/// pipeline exists (forced placements against the path order, or ops no
/// chip on the path can run).
std::optional<Placement> placePipeline(const Problem &problem);

/// The list strategy (D4, D5): upward-rank order; each node to the chip with
/// the earliest finish time, counting the transfers of its inputs over the
/// default routes with link contention, an op filling an idle gap of a chip
/// when it fits (insertion). HEFT's greedy choices can lose to running
/// everything on one chip; that schedule (for each chip that can run every
/// node) is kept instead when its latency is lower.
std::optional<Placement> placeList(const Problem &problem);

/// Baseline "even split": the nodes in body order cut into contiguous chunks
/// of equal op count (sizes differing by at most one), one per chip along
/// `getChipPath()`, skipping the chips that can run no node. A node its
/// chunk's chip cannot run (a missing capability, SRAM or DRAM, a forced
/// placement) goes to the nearest chunk's chip along the path that can, the
/// next chip first on a tie. Only to judge the other strategies by.
std::optional<Placement> placeEven(const Problem &problem);

/// `placeEven`, or with `balanced` the chunks cut at equal shares of the
/// nodes' fastest times instead of equal op counts (strategy "split"). The
/// local search of `auto` starts from both: where chips lack capabilities,
/// sending the ops a chip cannot run to the nearest chip that can is a
/// placement a contiguous pipeline never makes.
std::optional<Placement> placeSplit(const Problem &problem, bool balanced);

/// Baseline "greedy earliest-available": nodes in body order, each to the
/// chip that can run it and becomes free earliest (ties: lowest index),
/// counting compute only (transfers free) in that choice; the result is
/// then scheduled by `evaluate`. Only to judge the other strategies by.
std::optional<Placement> placeGreedy(const Problem &problem);

/// Local search on the interval from `start`: while some node of the
/// busiest chip can move to another chip (one of its producers' or
/// readers' chips, or a neighbour of the busiest chip) so that the largest
/// load (compute plus sends) drops, or stays while fewer chips carry it, or
/// stays while the total drops, the best such move is made. Only nodes at
/// the edge of their chip's share move (a node with a producer or reader
/// elsewhere), unless the busiest chip has few nodes. The transfers follow
/// `start`'s routes. Strategy "refine".
Placement refineInterval(const Problem &problem, const Placement &start);

/// Local search on the latency from `start`: an op of the critical chain
/// of the schedule (each op waiting for its chip or for an input), alone or
/// with the run of single readers it feeds on its chip, moves to the chip
/// of a neighbour (or any chip of a system of at most four) when
/// `evaluate` then predicts a lower latency (or the same with a lower
/// interval); repeated while that helps, within a number of trials that
/// shrinks with the graph. Strategy "refine".
Placement refineLatency(const Problem &problem, const Placement &start);

/// Schedules a fixed assignment (`chipOf`): nodes in body order, each as
/// soon as its inputs have arrived over `routes` and its chip is free.
Placement evaluate(const Problem &problem, ArrayRef<int> chipOf,
                   const RouteTable &routes, StringRef strategy);

//===----------------------------------------------------------------------===//
// Lower bounds
//===----------------------------------------------------------------------===//

/// Lower bounds on any placement's latency and interval. With t(n, c) the
/// time of node n on chip c (over the chips allowed to run it: those that
/// can, or the one it is forced to), t(n) = min_c t(n, c), W = sum_n t(n)
/// and P the number of chips that can run at least one node:
///   criticalPath  = the longest path of t(n), transfers free;
///   transferPath  = the longest path with each node on a chip of its
///                   choice and a transfer between chips costing at least
///                   its hops' link latency plus receive (contention and
///                   the serialisation on a chip left out);
///   evenShare     = ceil(W / P): the busiest chip does at least its share;
///   weightedShare = max over the weights lambda tried of
///                   sum_n min_c lambda_c t(n, c), lambda on the simplex:
///                   each is a valid bound (a dual solution of the
///                   fractional assignment LP). The first lambda is
///                   proportional to the chips' speeds 1 / W_c (W_c: chip
///                   c's time for all it can run), which gives "total work
///                   / sum of speeds" for chips that differ by a constant
///                   factor; exponentiated-gradient steps then improve it;
///   workPerChip   = max(evenShare, weightedShare);
///   sendShare     = the even and weighted shares again, with t(n, c)
///                   raised by the sends n forces on c (a value read by a
///                   node that c may not run must leave c); and the
///                   weighted share of compute plus sends, with one reader
///                   edge kept per node, minimised exactly per lambda by
///                   dynamic programming over the forest of kept edges;
///   sendOrKeep    = max_n min_c K(n, c), K(n, c) = t(n, c) + the largest,
///                   over n's values v, of min(the cheapest send of v from
///                   c, the load of c if every reader of v ran there too);
///   packing       = for a set A of P chips and the nodes allowed only on
///                   A, sorted by t(n) from the largest: the sum of the
///                   (kP - k + 1)-th to the (kP + 1)-th, for every k (of
///                   kP + 1 nodes, some chip runs k + 1);
///   sendPacking   = the same with t(n, c) raised by the forced sends;
///   largestOp     = max t(n): an op is not split across chips;
///   latency  = max(criticalPath, transferPath, workPerChip, packing,
///                  largestOp);
///   interval = max(workPerChip, sendShare, packing, sendPacking,
///                  sendOrKeep, largestOp).
/// docs/partitioning.md gives the reason each one holds.
struct Bounds {
  int64_t criticalPath = 0;
  int64_t transferPath = 0;
  int64_t evenShare = 0;
  int64_t weightedShare = 0;
  int64_t workPerChip = 0;
  int64_t sendShare = 0;
  int64_t sendOrKeep = 0;
  int64_t packing = 0;
  int64_t sendPacking = 0;
  int64_t largestOp = 0;
  int64_t totalWork = 0;
  int usableChips = 0;
  int64_t latency = 0;
  int64_t interval = 0;
};

Bounds computeBounds(const Problem &problem);

} // namespace mlir::npu::partition

#endif // NPU_ANALYSIS_PARTITION_H
