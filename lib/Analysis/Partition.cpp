//===- Partition.cpp - Placing a model's ops on the chips of a system -----===//
//
// Cost model, interconnect, the pipeline and list strategies, the baselines,
// the local search, and the lower bounds of npu-partition;
// docs/partitioning.md is the long form.
//
// Costs. An op's cost on a chip is what the real lowering gives it alone: a
// scratch module holding one function (the op, its constant operands, its
// other operands as arguments) is lowered by `npu-lower-to-isa` for a copy
// of the chip with ample SRAM, and the cost of every instruction is read
// from the cost interface (npu/rt/Cost.h). Cached per (op fingerprint, chip
// fingerprint).
//
// Transfers. A value moves hop by hop over direct links; a hop a -> b
// occupies a's link_tx port for the send, reaches b after the link's
// latency, and occupies b's link_rx port while b drains it (the rules of
// docs/execution-model.md). Every port keeps the time it is busy until, so
// transfers that share a port (and thus a link) serialize.
//
// Pipeline. For a fixed order of nodes and a fixed path of chips, whether a
// bottleneck B is achievable is decided exactly by a greedy scan: each chip
// in path order takes the longest prefix of the remaining nodes whose stage
// time (compute plus the sends of every value crossing the cut after it)
// stays within B and which fits its memory. A later start never reaches
// less far (stage times only shrink when a stage loses nodes from its
// front), so taking the farthest end is optimal; a binary search over B
// then gives the exact minimum bottleneck over all contiguous partitions.
//
// List. HEFT: nodes in decreasing upward rank (average cost plus the
// costliest path to the exit), each to the chip with the earliest finish,
// an op taking the first idle gap of the chip long enough for it; kept
// unless running everything on one chip is faster.
//
// Baselines. `even` (equal op counts along the chip path) and `greedy`
// (each op to the chip free first, transfers ignored), for the benchmark.
//
// Refinement. Local search from a placement: for the interval, single ops
// of the busiest chip move while the largest load (compute plus sends,
// kept up to date without scheduling) drops; for the latency, ops of the
// critical chain (alone or with the run they feed) move while `evaluate`
// predicts a lower latency.
//
// Bounds. Critical path (also with transfers), work shares (even, and
// weighted by the chips' speeds: any convex weighting of the chips' loads
// bounds the busiest one; for the interval also with the sends that an
// assignment forces), pigeonhole packing, send or keep, and the largest
// op; see Partition.h and docs/partitioning.md.
//
//===----------------------------------------------------------------------===//

#include "npu/Analysis/Partition.h"
#include "npu/Dialect/NPU/NPUDialect.h"
#include "npu/Dialect/NPUISA/NPUISAOps.h"
// Only for kSegmentsAttrName (see Schedule.cpp).
#include "npu/Target/Binary.h"
#include "npu/Transforms/Passes.h"
#include "npu/rt/Cost.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/CheckedArithmetic.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <queue>

#define DEBUG_TYPE "npu-partition"

using namespace mlir;
using namespace mlir::npu;
using namespace mlir::npu::partition;
namespace rt = ::npu::rt;
namespace cost = ::npu::rt::cost;

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

static bool isConstant(Operation *op) {
  return op && op->getNumOperands() == 0 && op->getNumResults() == 1 &&
         op->hasTrait<OpTrait::ConstantLike>();
}

/// Bytes of a tensor value (0 for anything else).
static int64_t tensorBytes(Type type) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  if (!tensor || !tensor.hasStaticShape() ||
      !tensor.getElementType().isIntOrFloat())
    return 0;
  int64_t bits = tensor.getElementType().getIntOrFloatBitWidth();
  return tensor.getNumElements() * ((bits + 7) / 8);
}

static int64_t satAdd(int64_t a, int64_t b) {
  return std::min(llvm::checkedAdd(a, b).value_or(kInfinite), kInfinite);
}

//===----------------------------------------------------------------------===//
// OpCostModel
//===----------------------------------------------------------------------===//

/// Appends the raw bytes of `value` to `key`.
template <typename T> static void appendKey(std::string &key, T value) {
  key.append(reinterpret_cast<const char *>(&value), sizeof(value));
}

const OpCost &OpCostModel::getCost(Operation *op, const rt::ChipDesc &chip) {
  std::string key;
  appendKey(key, op->getName().getAsOpaquePointer());
  NamedAttrList attrs;
  for (NamedAttribute attr : op->getAttrDictionary())
    if (!attr.getName().getValue().starts_with("npu."))
      attrs.push_back(attr);
  appendKey(key, attrs.getDictionary(context).getAsOpaquePointer());
  for (auto [i, operand] : llvm::enumerate(op->getOperands())) {
    appendKey(key, operand.getType().getAsOpaquePointer());
    appendKey(key, isConstant(operand.getDefiningOp()));
    // Which earlier operand (if any) is the same value.
    int32_t same = -1;
    for (unsigned j = 0; j < i; ++j)
      if (op->getOperand(j) == operand) {
        same = static_cast<int32_t>(j);
        break;
      }
    appendKey(key, same);
  }
  appendKey(key, static_cast<int32_t>(-2));
  for (Type type : op->getResultTypes())
    appendKey(key, type.getAsOpaquePointer());
  // The chip's fingerprint: what the lowering and the instruction costs read.
  // (Neither depends on the clock; SRAM is not a limit in the scratch run.)
  appendKey(key, chip.caps);
  appendKey(key, chip.macRows);
  appendKey(key, chip.macCols);
  appendKey(key, chip.vectorLanes);
  appendKey(key, chip.dramBytesPerCycle);

  auto it = cache.find(key);
  if (it != cache.end())
    return it->second;
  OpCost result = lower(op, chip);
  return cache.try_emplace(key, std::move(result)).first->second;
}

OpCost OpCostModel::lower(Operation *op, const rt::ChipDesc &chip) {
  ++numLowerings;
  OpCost result;

  // A one-chip system around a copy of `chip` with room for anything.
  rt::SystemDesc scratch;
  scratch.name = "scratch";
  rt::ChipDesc scratchChip = chip;
  scratchChip.id = 0;
  scratchChip.name = "scratch";
  scratchChip.coord.clear();
  scratchChip.sramBytes = int64_t(1) << 40;
  scratchChip.dramBytes = int64_t(1) << 40;
  scratch.chips.push_back(scratchChip);
  scratch.host = {1, 0};

  Location loc = op->getLoc();
  OwningOpRef<ModuleOp> module = ModuleOp::create(loc);
  (*module)->setAttr(NPUDialect::getSystemAttrName(),
                     toSystemAttr(context, scratch));
  OpBuilder builder(context);
  builder.setInsertionPointToEnd(module->getBody());

  SmallVector<Value> arguments;
  SmallVector<Operation *> constants;
  for (Value operand : op->getOperands()) {
    Operation *def = operand.getDefiningOp();
    if (isConstant(def)) {
      if (!llvm::is_contained(constants, def))
        constants.push_back(def);
    } else if (!llvm::is_contained(arguments, operand)) {
      arguments.push_back(operand);
    }
  }
  SmallVector<Type> argTypes;
  for (Value v : arguments)
    argTypes.push_back(v.getType());
  auto func = func::FuncOp::create(
      builder, loc, "op",
      builder.getFunctionType(argTypes, op->getResultTypes()));
  Block *entry = func.addEntryBlock();
  IRMapping mapping;
  for (auto [value, arg] : llvm::zip(arguments, entry->getArguments()))
    mapping.map(value, arg);
  builder.setInsertionPointToStart(entry);
  for (Operation *def : constants)
    builder.clone(*def, mapping);
  Operation *clone = builder.clone(*op, mapping);
  SmallVector<StringAttr> discardable;
  for (NamedAttribute attr : clone->getDiscardableAttrs())
    if (attr.getName().getValue().starts_with("npu."))
      discardable.push_back(attr.getName());
  for (StringAttr name : discardable)
    clone->removeDiscardableAttr(name);
  func::ReturnOp::create(builder, loc, clone->getResults());

  {
    std::string firstError;
    ScopedDiagnosticHandler handler(context, [&](Diagnostic &diag) {
      if (diag.getSeverity() == DiagnosticSeverity::Error && firstError.empty())
        firstError = diag.str();
      return success();
    });
    PassManager pm(context, ModuleOp::getOperationName());
    pm.enableVerifier(false);
    pm.addPass(createLowerToISAPass(LowerToISAPassOptions{/*chip=*/0}));
    if (failed(pm.run(*module))) {
      // The lowering names the scratch chip; the caller names the real one.
      std::string reason = firstError.empty()
                               ? std::string("the lowering rejects it")
                               : firstError;
      // Drop the "'<op name>' op " prefix: the caller reports on the op.
      size_t opEnd = reason.find("' op ");
      if (!reason.empty() && reason[0] == '\'' && opEnd != std::string::npos)
        reason = reason.substr(opEnd + 5);
      std::string scratchName = "chip 0 (scratch)";
      size_t at = reason.find(scratchName);
      if (at != std::string::npos)
        reason.replace(at, scratchName.size(), "the chip");
      result.reason = reason;
      return result;
    }
  }

  auto programs = module->getOps<npuisa::ProgramOp>();
  if (programs.empty()) {
    result.reason = "the lowering produced no program";
    return result;
  }
  npuisa::ProgramOp program = *programs.begin();
  int64_t segmentStart = std::numeric_limits<int64_t>::max();
  if (auto segments = program->getAttrOfType<ArrayAttr>(kSegmentsAttrName))
    for (Attribute segment : segments)
      if (auto dict = dyn_cast<DictionaryAttr>(segment))
        if (auto dram = dict.getAs<IntegerAttr>("dram"))
          segmentStart = std::min(segmentStart, dram.getInt());

  result.supported = true;
  program.walk([&](npuisa::CostOpInterface instr) {
    SmallVector<npuisa::BufferAccess> accesses;
    instr.getBufferAccesses(accesses);
    for (const npuisa::BufferAccess &access : accesses)
      if (access.space == npuisa::MemorySpace::SRAM)
        result.sramBytes =
            std::max(result.sramBytes, access.offset + access.bytes);
    if (isa<npuisa::SignalOp, npuisa::WaitOp, npuisa::HaltOp>(instr))
      return;
    cost::InstrCost c = instr.getCost(scratch, scratch.chips.front());
    if (c.engine == cost::Engine::Mac || c.engine == cost::Engine::Vector) {
      result.computeCycles += c.cycles;
    } else if (isa<npuisa::DmaInOp>(instr)) {
      for (const npuisa::BufferAccess &access : accesses)
        if (access.space == npuisa::MemorySpace::DRAM && !access.isWrite &&
            access.offset >= segmentStart) {
          result.weightCycles += c.cycles;
          break;
        }
    }
  });
  return result;
}

//===----------------------------------------------------------------------===//
// Interconnect
//===----------------------------------------------------------------------===//

Interconnect::Interconnect(const rt::SystemDesc &system) : system(system) {
  int n = getNumChips();
  neighbours.assign(n, {});
  links.assign(n, std::vector<const rt::LinkDesc *>(n, nullptr));
  for (const rt::LinkDesc &link : system.links) {
    int a = indexOf(link.a), b = indexOf(link.b);
    if (a < 0 || b < 0 || a == b)
      continue;
    links[a][b] = links[b][a] = &link;
  }
  for (int a = 0; a < n; ++a)
    for (int b = 0; b < n; ++b)
      if (links[a][b])
        neighbours[a].push_back(b);

  // Shortest paths, breadth first with neighbours in index order.
  routes.assign(n, std::vector<Route>(n));
  for (int s = 0; s < n; ++s) {
    SmallVector<int> parent(n, -1);
    parent[s] = s;
    std::queue<int> queue;
    queue.push(s);
    while (!queue.empty()) {
      int a = queue.front();
      queue.pop();
      for (int b : neighbours[a])
        if (parent[b] < 0) {
          parent[b] = a;
          queue.push(b);
        }
    }
    for (int t = 0; t < n; ++t) {
      if (parent[t] < 0)
        continue;
      Route route;
      for (int x = t; x != s; x = parent[x])
        route.push_back(x);
      route.push_back(s);
      std::reverse(route.begin(), route.end());
      routes[s][t] = std::move(route);
    }
  }

  // On a mesh, dimension-ordered routes where every hop has its link.
  if (system.topology != rt::Topology::Mesh)
    return;
  std::map<std::vector<int64_t>, int> at;
  for (int i = 0; i < n; ++i)
    at[system.chips[i].coord] = i;
  for (int s = 0; s < n; ++s)
    for (int t = 0; t < n; ++t) {
      if (s == t)
        continue;
      std::vector<int64_t> cur = system.chips[s].coord;
      const std::vector<int64_t> &dst = system.chips[t].coord;
      Route route{s};
      bool ok = cur.size() == dst.size();
      for (size_t d = 0; ok && d < cur.size(); ++d)
        while (ok && cur[d] != dst[d]) {
          cur[d] += cur[d] < dst[d] ? 1 : -1;
          auto it = at.find(cur);
          ok = it != at.end() && links[route.back()][it->second];
          if (ok)
            route.push_back(it->second);
        }
      if (ok)
        routes[s][t] = std::move(route);
    }
}

int Interconnect::indexOf(int64_t id) const {
  for (auto [i, chip] : llvm::enumerate(system.chips))
    if (chip.id == id)
      return static_cast<int>(i);
  return -1;
}

const rt::LinkDesc *Interconnect::getLink(int a, int b) const {
  return links[a][b];
}

SmallVector<int> Interconnect::getUnreachableChips() const {
  SmallVector<int> unreachable;
  for (int i = 1; i < getNumChips(); ++i)
    if (routes[0][i].empty())
      unreachable.push_back(i);
  return unreachable;
}

SmallVector<int> Interconnect::getChipPath() const {
  int n = getNumChips();
  SmallVector<int> path;
  if (system.topology == rt::Topology::Mesh && !system.meshDims.empty()) {
    // Boustrophedon order: the slowest dimension last; within a slice, the
    // order of the lower dimensions reverses on every odd index. The chips
    // are sorted by that order rather than the grid walked, so that the
    // cost is n log n whatever the mesh's extent (a 65536 x 65536 mesh has
    // 2^32 positions, and a product of extents can overflow).
    const std::vector<int64_t> &dims = system.meshDims;
    auto inside = [&](const std::vector<int64_t> &coord) {
      if (coord.size() != dims.size())
        return false;
      for (size_t d = 0; d < dims.size(); ++d)
        if (coord[d] < 0 || coord[d] >= dims[d])
          return false;
      return true;
    };
    // Whether `a` comes before `b`: compare from the slowest dimension down;
    // an odd coordinate reverses the order of every lower dimension.
    auto before = [&](int x, int y) {
      const std::vector<int64_t> &a = system.chips[x].coord;
      const std::vector<int64_t> &b = system.chips[y].coord;
      bool reversed = false;
      for (int d = static_cast<int>(dims.size()) - 1; d >= 0; --d) {
        if (a[d] != b[d])
          return reversed ? a[d] > b[d] : a[d] < b[d];
        reversed ^= (a[d] % 2 == 1);
      }
      return false;
    };
    for (int i = 0; i < n; ++i)
      if (inside(system.chips[i].coord))
        path.push_back(i);
    llvm::stable_sort(path, before);
    // One chip per position, every chip on the grid.
    bool distinct = true;
    for (size_t i = 1; i < path.size() && distinct; ++i)
      distinct = before(path[i - 1], path[i]);
    if (distinct && static_cast<int>(path.size()) == n)
      return path;
    path.clear();
  }

  // A Hamiltonian path by depth-first search with a step budget, starting
  // from each chip in turn; else the depth-first order from chip 0.
  int64_t budget = 200000;
  SmallVector<bool> used(n, false);
  std::function<bool(int)> extend = [&](int a) -> bool {
    if (static_cast<int>(path.size()) == n)
      return true;
    for (int b : neighbours[a]) {
      if (used[b] || --budget < 0)
        continue;
      used[b] = true;
      path.push_back(b);
      if (extend(b))
        return true;
      path.pop_back();
      used[b] = false;
    }
    return false;
  };
  for (int s = 0; s < n && budget > 0; ++s) {
    path.assign(1, s);
    used.assign(n, false);
    used[s] = true;
    if (extend(s))
      return path;
  }
  path.clear();
  used.assign(n, false);
  std::function<void(int)> visit = [&](int a) {
    used[a] = true;
    path.push_back(a);
    for (int b : neighbours[a])
      if (!used[b])
        visit(b);
  };
  for (int s = 0; s < n; ++s)
    if (!used[s])
      visit(s);
  return path;
}

int64_t Interconnect::sendPs(int from, int to, int64_t bytes) const {
  const rt::LinkDesc *link = links[from][to];
  assert(link && "a hop needs a direct link");
  const rt::ChipDesc &chip = system.chips[from];
  return cost::linkSendCycles(bytes, link->bandwidthGBps, chip.clockMhz) *
         chip.picosecondsPerCycle();
}

int64_t Interconnect::recvPs(int from, int to, int64_t bytes) const {
  const rt::LinkDesc *link = links[from][to];
  assert(link && "a hop needs a direct link");
  const rt::ChipDesc &chip = system.chips[to];
  return cost::linkRecvCycles(bytes, link->bandwidthGBps, chip.clockMhz) *
         chip.picosecondsPerCycle();
}

int64_t Interconnect::latencyPs(int from, int to) const {
  const rt::LinkDesc *link = links[from][to];
  assert(link && "a hop needs a direct link");
  return link->latencyNs * 1000;
}

//===----------------------------------------------------------------------===//
// Graph and costs
//===----------------------------------------------------------------------===//

Graph mlir::npu::partition::buildGraph(func::FuncOp func) {
  Graph graph;
  Block &block = func.getBody().front();
  llvm::DenseMap<Value, int> valueId;
  // Block arguments and node values: (defining position, last use, bytes).
  struct Span {
    int def;
    int last;
    int64_t bytes;
  };
  llvm::DenseMap<Value, Span> spans;
  for (BlockArgument arg : block.getArguments())
    spans[arg] = {-1, -1, tensorBytes(arg.getType())};

  for (Operation &op : block) {
    if (op.hasTrait<OpTrait::IsTerminator>()) {
      for (Value v : op.getOperands()) {
        auto it = valueId.find(v);
        if (it != valueId.end())
          graph.values[it->second].isResult = true;
      }
      continue;
    }
    if (isConstant(&op))
      continue;
    int index = static_cast<int>(graph.nodes.size());
    Graph::Node node;
    node.op = &op;
    SmallVector<Operation *, 2> weights;
    for (Value v : op.getOperands()) {
      auto it = valueId.find(v);
      if (it != valueId.end()) {
        if (!llvm::is_contained(node.operands, it->second)) {
          node.operands.push_back(it->second);
          SmallVector<int, 4> &users = graph.values[it->second].users;
          if (users.empty() || users.back() != index)
            users.push_back(index);
        }
      } else if (Operation *def = v.getDefiningOp(); isConstant(def)) {
        if (!llvm::is_contained(weights, def)) {
          weights.push_back(def);
          node.weightBytes += tensorBytes(v.getType());
        }
      }
      auto span = spans.find(v);
      if (span != spans.end())
        span->second.last = std::max(span->second.last, index);
    }
    for (Value r : op.getResults()) {
      int id = static_cast<int>(graph.values.size());
      Graph::Value value;
      value.ssa = r;
      value.producer = index;
      value.bytes = tensorBytes(r.getType());
      graph.values.push_back(value);
      valueId[r] = id;
      node.results.push_back(id);
      spans[r] = {index, index, value.bytes};
    }
    graph.nodes.push_back(std::move(node));
  }

  // Live bytes across each node: a difference array over (def, last), then
  // the node's own operands (already in its working set) taken out.
  int n = static_cast<int>(graph.nodes.size());
  Operation *terminator = block.getTerminator();
  for (Value v : terminator->getOperands()) {
    auto span = spans.find(v);
    if (span != spans.end())
      span->second.last = n;
  }
  std::vector<int64_t> delta(n + 2, 0);
  for (auto &[value, span] : spans) {
    int from = span.def + 1, to = span.last; // live across (def, last)
    if (from < to && from <= n) {
      delta[from] += span.bytes;
      delta[std::min(to, n)] -= span.bytes;
    }
  }
  graph.liveBytes.assign(n, 0);
  int64_t running = 0;
  for (int i = 0; i < n; ++i) {
    running += delta[i];
    graph.liveBytes[i] = running;
  }
  for (int i = 0; i < n; ++i) {
    SmallVector<Value, 4> seen;
    for (Value v : graph.nodes[i].op->getOperands()) {
      if (llvm::is_contained(seen, v))
        continue;
      seen.push_back(v);
      auto span = spans.find(v);
      if (span != spans.end() && span->second.def < i && span->second.last > i)
        graph.liveBytes[i] -= span->second.bytes;
    }
  }
  return graph;
}

int64_t Problem::fastest(int node) const {
  if (forced[node] >= 0)
    return time[node][forced[node]];
  int64_t best = kInfinite;
  for (int64_t t : time[node])
    best = std::min(best, t);
  return best;
}

void mlir::npu::partition::computeCosts(Problem &problem, OpCostModel &model) {
  const Graph &graph = *problem.graph;
  const Interconnect &net = *problem.net;
  int n = static_cast<int>(graph.nodes.size());
  int chips = net.getNumChips();
  problem.time.assign(n, std::vector<int64_t>(chips, kInfinite));
  problem.sram.assign(n, std::vector<int64_t>(chips, 0));
  problem.canRun.assign(n, std::vector<char>(chips, false));
  problem.whyNot.assign(n, std::vector<std::string>(chips));
  if (problem.forced.size() != static_cast<size_t>(n))
    problem.forced.assign(n, -1);
  for (int i = 0; i < n; ++i) {
    for (int c = 0; c < chips; ++c) {
      const rt::ChipDesc &chip = net.getChip(c);
      const OpCost &opCost = model.getCost(graph.nodes[i].op, chip);
      if (!opCost.supported) {
        problem.whyNot[i][c] = opCost.reason;
        continue;
      }
      problem.canRun[i][c] = true;
      int64_t need = opCost.sramBytes + graph.liveBytes[i];
      problem.sram[i][c] = need;
      if (need > chip.sramBytes) {
        std::string why;
        llvm::raw_string_ostream os(why);
        os << "needs " << need << " bytes of SRAM (working set "
           << opCost.sramBytes << ", plus " << graph.liveBytes[i]
           << " bytes of other live tensors) but the chip has "
           << chip.sramBytes;
        problem.whyNot[i][c] = why;
        continue;
      }
      std::optional<int64_t> ps =
          llvm::checkedMul(opCost.cycles(), chip.picosecondsPerCycle());
      if (!ps || *ps >= kInfinite) {
        problem.whyNot[i][c] = "its time on the chip, " +
                               std::to_string(opCost.cycles()) +
                               " cycles, overflows the partitioner's "
                               "picosecond arithmetic";
        continue;
      }
      problem.time[i][c] = *ps;
    }
  }
}

//===----------------------------------------------------------------------===//
// Transfers
//===----------------------------------------------------------------------===//

namespace {

/// Busy-until time of every chip's link ports.
struct Ports {
  SmallVector<int64_t> tx, rx;
  explicit Ports(int chips) : tx(chips, 0), rx(chips, 0) {}
};

/// Where copies of each value are, and when they are there; and the hops
/// committed so far.
class Transfers {
public:
  Transfers(const Problem &problem, const RouteTable &routes)
      : problem(problem), routes(routes), copies(problem.graph->values.size()) {
  }

  /// When `value` is on `chip`, or -1.
  int64_t availableAt(int value, int chip) const {
    for (auto [c, t] : copies[value])
      if (c == chip)
        return t;
    return -1;
  }

  void addCopy(int value, int chip, int64_t time) {
    copies[value].push_back({chip, time});
  }

  /// When `value` reaches `chip` (from the chip that produced it, along the
  /// route, resuming from the last chip on it that holds a copy), given the
  /// port times `ports`, which are updated. With `hops`, the hops are
  /// committed: recorded and their copies registered.
  int64_t deliver(int value, int chip, Ports &ports,
                  SmallVectorImpl<Hop> *hops) {
    int64_t here = availableAt(value, chip);
    if (here >= 0)
      return here;
    assert(!copies[value].empty() && "the producer is placed first");
    int source = copies[value].front().first;
    const Route &route = routes[source][chip];
    assert(route.size() >= 2 && "chips are connected");
    size_t k = 0;
    int64_t t = availableAt(value, route[0]);
    for (size_t i = 1; i + 1 < route.size(); ++i) {
      int64_t there = availableAt(value, route[i]);
      if (there >= 0) {
        k = i;
        t = there;
      }
    }
    const Interconnect &net = *problem.net;
    int64_t bytes = problem.graph->values[value].bytes;
    for (size_t i = k; i + 1 < route.size(); ++i) {
      int a = route[i], b = route[i + 1];
      Hop hop;
      hop.value = value;
      hop.from = a;
      hop.to = b;
      hop.sendStart = std::max(t, ports.tx[a]);
      hop.sendEnd = hop.sendStart + net.sendPs(a, b, bytes);
      ports.tx[a] = hop.sendEnd;
      int64_t arrival = hop.sendStart + net.latencyPs(a, b);
      hop.recvStart = std::max(arrival, ports.rx[b]);
      hop.recvEnd = hop.recvStart + net.recvPs(a, b, bytes);
      ports.rx[b] = hop.recvEnd;
      t = hop.recvEnd;
      if (hops) {
        hops->push_back(hop);
        addCopy(value, b, hop.recvEnd);
      }
    }
    return t;
  }

private:
  const Problem &problem;
  const RouteTable &routes;
  std::vector<SmallVector<std::pair<int, int64_t>, 2>> copies;
};

/// The interval of a placement: per chip, its compute plus its sends.
int64_t computeInterval(const Problem &problem, const Placement &placement) {
  SmallVector<int64_t> busy(problem.numChips(), 0);
  for (int i = 0; i < problem.numNodes(); ++i)
    busy[placement.chipOf[i]] =
        satAdd(busy[placement.chipOf[i]], problem.time[i][placement.chipOf[i]]);
  for (const Hop &hop : placement.hops)
    busy[hop.from] += hop.sendEnd - hop.sendStart;
  int64_t interval = 0;
  for (int64_t b : busy)
    interval = std::max(interval, b);
  return interval;
}

/// Routes that follow `path` forwards (consecutive path chips joined by
/// their default route), and the default routes otherwise.
RouteTable pathRoutes(const Interconnect &net, ArrayRef<int> path) {
  RouteTable routes = net.getRoutes();
  for (size_t i = 0; i < path.size(); ++i) {
    Route route{path[i]};
    for (size_t j = i + 1; j < path.size(); ++j) {
      const Route &step = net.getRoute(path[j - 1], path[j]);
      route.append(std::next(step.begin()), step.end());
      routes[path[i]][path[j]] = route;
    }
  }
  return routes;
}

} // namespace

Placement mlir::npu::partition::evaluate(const Problem &problem,
                                         ArrayRef<int> chipOf,
                                         const RouteTable &routes,
                                         StringRef strategy) {
  const Graph &graph = *problem.graph;
  int n = problem.numNodes();
  Placement placement;
  placement.strategy = strategy.str();
  placement.chipOf.assign(chipOf.begin(), chipOf.end());
  placement.start.assign(n, 0);
  placement.finish.assign(n, 0);
  Ports ports(problem.numChips());
  Transfers transfers(problem, routes);
  SmallVector<int64_t> chipFree(problem.numChips(), 0);
  for (int i = 0; i < n; ++i) {
    int c = chipOf[i];
    int64_t ready = 0;
    for (int v : graph.nodes[i].operands)
      ready = std::max(ready, transfers.deliver(v, c, ports, &placement.hops));
    placement.start[i] = std::max(ready, chipFree[c]);
    placement.finish[i] = satAdd(placement.start[i], problem.time[i][c]);
    chipFree[c] = placement.finish[i];
    placement.latency = std::max(placement.latency, placement.finish[i]);
    // Send each result on as soon as it exists, to every other chip that
    // reads it, in the order of its readers.
    for (int v : graph.nodes[i].results) {
      transfers.addCopy(v, c, placement.finish[i]);
      for (int user : graph.values[v].users)
        if (chipOf[user] != c)
          transfers.deliver(v, chipOf[user], ports, &placement.hops);
    }
  }
  placement.interval = computeInterval(problem, placement);
  return placement;
}

//===----------------------------------------------------------------------===//
// Pipeline
//===----------------------------------------------------------------------===//

namespace {

/// The exact bottleneck partition of the nodes (in body order) into
/// contiguous stages along one path of chips.
class PipelineSolver {
public:
  PipelineSolver(const Problem &problem, ArrayRef<int> path)
      : problem(problem), path(path.begin(), path.end()) {
    computeCuts();
  }

  /// The chip of every node for the minimum bottleneck, or nullopt.
  std::optional<SmallVector<int>> solve() {
    SmallVector<int> chipOf;
    if (!feasible(kInfinite, chipOf))
      return std::nullopt;
    int64_t lo = 0, hi = bottleneck(chipOf);
    while (lo < hi) {
      int64_t mid = lo + (hi - lo) / 2;
      SmallVector<int> trial;
      if (feasible(mid, trial))
        hi = mid;
      else
        lo = mid + 1;
    }
    bool ok = feasible(hi, chipOf);
    (void)ok;
    assert(ok && "the bound found is feasible");
    return chipOf;
  }

private:
  /// cut[j][i]: the sends from path chip j of every value crossing the
  /// boundary before node i (produced before i, read at or after i).
  void computeCuts() {
    const Graph &graph = *problem.graph;
    const Interconnect &net = *problem.net;
    int n = problem.numNodes();
    int m = static_cast<int>(path.size());
    cut.assign(std::max(m - 1, 0), std::vector<int64_t>(n + 1, 0));
    // The first hop from path chip j towards chip j + 1.
    SmallVector<std::pair<int, int>> firstHop;
    for (int j = 0; j + 1 < m; ++j) {
      const Route &route = net.getRoute(path[j], path[j + 1]);
      firstHop.push_back({route[0], route[1]});
    }
    // Values cross boundaries producer+1 .. lastUser.
    std::vector<SmallVector<int, 2>> starts(n + 1), ends(n + 2);
    for (auto [v, value] : llvm::enumerate(graph.values)) {
      if (value.users.empty())
        continue;
      int from = value.producer + 1, to = value.users.back();
      if (from > to)
        continue;
      starts[from].push_back(static_cast<int>(v));
      ends[to + 1].push_back(static_cast<int>(v));
    }
    std::map<int, int64_t> active; // value -> bytes
    for (int i = 1; i <= n; ++i) {
      for (int v : ends[i])
        active.erase(v);
      for (int v : starts[i])
        active[v] = graph.values[v].bytes;
      if (i == n)
        break;
      for (int j = 0; j + 1 < m; ++j) {
        int64_t sum = 0;
        for (auto &[v, bytes] : active)
          sum += net.sendPs(firstHop[j].first, firstHop[j].second, bytes);
        cut[j][i] = sum;
      }
    }
  }

  /// Greedy: each chip takes the farthest end it can reach within `limit`.
  bool feasible(int64_t limit, SmallVectorImpl<int> &chipOf) {
    const Graph &graph = *problem.graph;
    int n = problem.numNodes();
    int m = static_cast<int>(path.size());
    chipOf.assign(n, -1);
    int pos = 0;
    for (int j = 0; j < m && pos < n; ++j) {
      int c = path[j];
      const rt::ChipDesc &chip = problem.net->getChip(c);
      bool last = j == m - 1;
      int64_t sum = 0, dram = 0;
      int best = -1;
      for (int e = pos;; ++e) {
        int64_t stage = sum + (e < n ? (last ? kInfinite : cut[j][e]) : 0);
        if (stage <= limit)
          best = e;
        if (e == n)
          break;
        if (problem.forced[e] >= 0 && problem.forced[e] != c)
          break;
        int64_t t = problem.time[e][c];
        if (t >= kInfinite)
          break;
        sum += t;
        if (sum > limit)
          break;
        dram += graph.nodes[e].weightBytes;
        if (dram > chip.dramBytes)
          break;
      }
      if (best < 0)
        return false;
      for (int i = pos; i < best; ++i)
        chipOf[i] = c;
      pos = best;
    }
    if (pos < n)
      return false;
    return true;
  }

  /// The bottleneck stage time of an assignment along the path.
  int64_t bottleneck(ArrayRef<int> chipOf) {
    int n = problem.numNodes();
    int m = static_cast<int>(path.size());
    int64_t worst = 0;
    int i = 0;
    for (int j = 0; j < m; ++j) {
      int64_t sum = 0;
      while (i < n && chipOf[i] == path[j])
        sum = satAdd(sum, problem.time[i][path[j]]), ++i;
      if (i < n && j + 1 < m)
        sum = satAdd(sum, cut[j][i]);
      worst = std::max(worst, sum);
    }
    return worst;
  }

  const Problem &problem;
  SmallVector<int> path;
  std::vector<std::vector<int64_t>> cut;
};

} // namespace

std::optional<Placement>
mlir::npu::partition::placePipeline(const Problem &problem) {
  const Interconnect &net = *problem.net;
  SmallVector<int> path = net.getChipPath();
  SmallVector<SmallVector<int>> candidates{path};
  SmallVector<int> reversed(path.rbegin(), path.rend());
  if (reversed != path)
    candidates.push_back(reversed);

  std::optional<Placement> best;
  for (ArrayRef<int> candidate : candidates) {
    PipelineSolver solver(problem, candidate);
    std::optional<SmallVector<int>> chipOf = solver.solve();
    if (!chipOf)
      continue;
    Placement placement =
        evaluate(problem, *chipOf, pathRoutes(net, candidate), "pipeline");
    placement.path.assign(candidate.begin(), candidate.end());
    if (!best || std::make_pair(placement.interval, placement.latency) <
                     std::make_pair(best->interval, best->latency))
      best = std::move(placement);
  }
  return best;
}

//===----------------------------------------------------------------------===//
// List scheduling
//===----------------------------------------------------------------------===//

/// The earliest start >= `ready` of a task of length `length` in the idle
/// gaps between `busy` intervals (sorted, disjoint).
static int64_t findSlot(ArrayRef<std::pair<int64_t, int64_t>> busy,
                        int64_t ready, int64_t length) {
  if (length == 0)
    return ready;
  // The first interval ending after `ready`.
  auto it = std::partition_point(
      busy.begin(), busy.end(),
      [&](const std::pair<int64_t, int64_t> &b) { return b.second <= ready; });
  int64_t start = ready;
  for (; it != busy.end(); ++it) {
    if (start + length <= it->first)
      return start;
    start = std::max(start, it->second);
  }
  return start;
}

/// HEFT proper: see placeList.
static std::optional<Placement> placeHEFT(const Problem &problem) {
  const Graph &graph = *problem.graph;
  const Interconnect &net = *problem.net;
  int n = problem.numNodes();
  int chips = problem.numChips();

  // Upward ranks: average compute over the chips that can run the node, and
  // the average one-hop transfer of each value over the system's links.
  SmallVector<int64_t> rank(n, 0);
  for (int i = n - 1; i >= 0; --i) {
    int64_t sum = 0, count = 0;
    for (int c = 0; c < chips; ++c)
      if (problem.time[i][c] < kInfinite &&
          (problem.forced[i] < 0 || problem.forced[i] == c)) {
        sum += problem.time[i][c];
        ++count;
      }
    int64_t average = count ? sum / count : 0;
    int64_t tail = 0;
    for (int v : graph.nodes[i].results) {
      int64_t comm = 0, links = 0;
      for (int a = 0; a < chips; ++a)
        for (int b : net.getNeighbours(a)) {
          comm += net.latencyPs(a, b) + net.sendPs(a, b, graph.values[v].bytes);
          ++links;
        }
      comm = links ? comm / links : 0;
      for (int user : graph.values[v].users)
        tail = std::max(tail, comm + rank[user]);
    }
    rank[i] = average + tail;
  }

  // Ready list by decreasing rank, then body order. A node is ready when
  // every value it reads has been produced.
  SmallVector<int> pending(n, 0);
  for (int i = 0; i < n; ++i)
    pending[i] = static_cast<int>(graph.nodes[i].operands.size());
  auto lower = [&](int a, int b) {
    return rank[a] != rank[b] ? rank[a] < rank[b] : a > b;
  };
  std::priority_queue<int, std::vector<int>, decltype(lower)> ready(lower);
  for (int i = 0; i < n; ++i)
    if (pending[i] == 0)
      ready.push(i);

  Placement placement;
  placement.strategy = "list";
  placement.chipOf.assign(n, -1);
  placement.start.assign(n, 0);
  placement.finish.assign(n, 0);
  Ports ports(chips);
  Transfers transfers(problem, net.getRoutes());
  std::vector<std::vector<std::pair<int64_t, int64_t>>> busy(chips);
  SmallVector<int64_t> dramUsed(chips, 0);

  while (!ready.empty()) {
    int i = ready.top();
    ready.pop();
    int bestChip = -1;
    int64_t bestFinish = kInfinite;
    for (int c = 0; c < chips; ++c) {
      if (problem.forced[i] >= 0 && problem.forced[i] != c)
        continue;
      int64_t t = problem.time[i][c];
      if (t >= kInfinite ||
          dramUsed[c] + graph.nodes[i].weightBytes > net.getChip(c).dramBytes)
        continue;
      Ports trial = ports;
      int64_t at = 0;
      for (int v : graph.nodes[i].operands)
        at = std::max(at, transfers.deliver(v, c, trial, nullptr));
      int64_t finish = findSlot(busy[c], at, t) + t;
      if (finish < bestFinish) {
        bestFinish = finish;
        bestChip = c;
      }
    }
    if (bestChip < 0)
      return std::nullopt;
    int c = bestChip;
    int64_t at = 0;
    for (int v : graph.nodes[i].operands)
      at = std::max(at, transfers.deliver(v, c, ports, &placement.hops));
    int64_t t = problem.time[i][c];
    int64_t start = findSlot(busy[c], at, t);
    if (t > 0) {
      auto pos = std::lower_bound(busy[c].begin(), busy[c].end(),
                                  std::make_pair(start, start + t));
      busy[c].insert(pos, {start, start + t});
    }
    dramUsed[c] += graph.nodes[i].weightBytes;
    placement.chipOf[i] = c;
    placement.start[i] = start;
    placement.finish[i] = start + t;
    placement.latency = std::max(placement.latency, start + t);
    for (int v : graph.nodes[i].results) {
      transfers.addCopy(v, c, start + t);
      for (int user : graph.values[v].users)
        if (--pending[user] == 0)
          ready.push(user);
    }
  }
  for (int i = 0; i < n; ++i)
    if (placement.chipOf[i] < 0)
      return std::nullopt;
  placement.interval = computeInterval(problem, placement);
  return placement;
}

std::optional<Placement>
mlir::npu::partition::placeList(const Problem &problem) {
  std::optional<Placement> best = placeHEFT(problem);
  // HEFT is greedy: a branch moved to an idle chip can cost more in
  // transfers than it saves. Every node on one chip is a schedule HEFT may
  // miss, so keep it when it is faster.
  const Graph &graph = *problem.graph;
  int n = problem.numNodes();
  for (int c = 0; c < problem.numChips(); ++c) {
    bool fits = true;
    int64_t dram = 0;
    for (int i = 0; i < n && fits; ++i) {
      dram += graph.nodes[i].weightBytes;
      fits = problem.time[i][c] < kInfinite &&
             (problem.forced[i] < 0 || problem.forced[i] == c) &&
             dram <= problem.net->getChip(c).dramBytes;
    }
    if (!fits)
      continue;
    SmallVector<int> chipOf(n, c);
    Placement one = evaluate(problem, chipOf, problem.net->getRoutes(), "list");
    if (!best || std::make_pair(one.latency, one.interval) <
                     std::make_pair(best->latency, best->interval))
      best = std::move(one);
  }
  return best;
}

//===----------------------------------------------------------------------===//
// Baselines
//===----------------------------------------------------------------------===//

/// Whether `node` may go to `chip`: the chip can run it, it is not forced
/// elsewhere, and its weights fit the DRAM the chip has left.
static bool allowed(const Problem &problem, ArrayRef<int64_t> dramUsed,
                    int node, int chip) {
  return problem.time[node][chip] < kInfinite &&
         (problem.forced[node] < 0 || problem.forced[node] == chip) &&
         dramUsed[chip] + problem.graph->nodes[node].weightBytes <=
             problem.net->getChip(chip).dramBytes;
}

std::optional<Placement>
mlir::npu::partition::placeSplit(const Problem &problem, bool balanced) {
  const Interconnect &net = *problem.net;
  int n = problem.numNodes();
  SmallVector<int> path = net.getChipPath();
  // The chips of the path that can run at least one node get a chunk each;
  // the others (e.g. a chip without f32 for an f32 model) are skipped.
  SmallVector<int> usable;
  for (int c : path)
    for (int i = 0; i < n; ++i)
      if (problem.time[i][c] < kInfinite) {
        usable.push_back(c);
        break;
      }
  int m = static_cast<int>(usable.size());
  if (m == 0 && n > 0)
    return std::nullopt;
  // Chunk j holds nodes [ceil(j n / m), ceil((j + 1) n / m)) by count (sizes
  // differ by at most one), or, balanced, the nodes whose midpoint in the
  // running sum of fastest times falls in the j-th m-th of the total.
  SmallVector<int> chunk(n, 0);
  if (balanced) {
    long double total = 0;
    for (int i = 0; i < n; ++i)
      total += problem.fastest(i);
    long double before = 0;
    for (int i = 0; i < n; ++i) {
      long double t = problem.fastest(i);
      long double mid = before + t / 2;
      chunk[i] = total > 0
                     ? std::min<int>(m - 1, static_cast<int>(mid * m / total))
                     : static_cast<int>(static_cast<int64_t>(i) * m / n);
      before += t;
    }
  } else {
    for (int i = 0; i < n; ++i)
      chunk[i] = static_cast<int>(static_cast<int64_t>(i) * m / n);
  }
  SmallVector<int64_t> dramUsed(problem.numChips(), 0);
  SmallVector<int> chipOf(n, -1);
  for (int i = 0; i < n; ++i) {
    int j = chunk[i];
    // A node its chunk's chip cannot take goes to the nearest usable chip
    // along the path that can, the next one first on a tie.
    int chip = -1;
    for (int d = 0; d < m && chip < 0; ++d)
      for (int k : {j + d, j - d})
        if (chip < 0 && k >= 0 && k < m &&
            allowed(problem, dramUsed, i, usable[k]))
          chip = usable[k];
    if (chip < 0)
      return std::nullopt;
    chipOf[i] = chip;
    dramUsed[chip] += problem.graph->nodes[i].weightBytes;
  }
  Placement placement = evaluate(problem, chipOf, pathRoutes(net, path),
                                 balanced ? "split" : "even");
  placement.path = std::move(path);
  return placement;
}

std::optional<Placement>
mlir::npu::partition::placeEven(const Problem &problem) {
  return placeSplit(problem, /*balanced=*/false);
}

std::optional<Placement>
mlir::npu::partition::placeGreedy(const Problem &problem) {
  const Graph &graph = *problem.graph;
  int n = problem.numNodes();
  int chips = problem.numChips();
  SmallVector<int64_t> dramUsed(chips, 0), chipFree(chips, 0), finish(n, 0);
  SmallVector<int> chipOf(n, -1);
  for (int i = 0; i < n; ++i) {
    int chip = -1;
    for (int c = 0; c < chips; ++c)
      if (allowed(problem, dramUsed, i, c) &&
          (chip < 0 || chipFree[c] < chipFree[chip]))
        chip = c;
    if (chip < 0)
      return std::nullopt;
    // Transfers are free in this baseline's view of time.
    int64_t ready = 0;
    for (int v : graph.nodes[i].operands)
      ready = std::max(ready, finish[graph.values[v].producer]);
    finish[i] = satAdd(std::max(ready, chipFree[chip]), problem.time[i][chip]);
    chipFree[chip] = finish[i];
    chipOf[i] = chip;
    dramUsed[chip] += graph.nodes[i].weightBytes;
  }
  return evaluate(problem, chipOf, problem.net->getRoutes(), "greedy");
}

//===----------------------------------------------------------------------===//
// Refinement
//===----------------------------------------------------------------------===//

namespace {

/// The routes a placement's transfers follow.
RouteTable routesOf(const Problem &problem, const Placement &placement) {
  return placement.path.empty() ? problem.net->getRoutes()
                                : pathRoutes(*problem.net, placement.path);
}

/// Picoseconds a chip spends on one value's sends: (chip, ps) pairs.
using Sends = SmallVector<std::pair<int, int64_t>, 4>;

/// The load of every chip (its compute plus its sends, whose maximum is the
/// interval) under an assignment, kept up to date as single nodes move.
/// The sends of a value are exactly those `evaluate` makes: to each
/// reader's chip in reader order, along the route from the producer,
/// resuming from the last chip on it that holds a copy. So the largest load
/// is `evaluate(...).interval`, without scheduling anything.
class LoadModel {
public:
  LoadModel(const Problem &problem, const RouteTable &routes,
            ArrayRef<int> assignment)
      : problem(problem), graph(*problem.graph), routes(routes),
        chipOf(assignment.begin(), assignment.end()),
        load(problem.numChips(), 0), dram(problem.numChips(), 0),
        sends(graph.values.size()) {
    for (int i = 0; i < problem.numNodes(); ++i) {
      load[chipOf[i]] = satAdd(load[chipOf[i]], problem.time[i][chipOf[i]]);
      dram[chipOf[i]] += graph.nodes[i].weightBytes;
    }
    for (int v = 0, e = graph.values.size(); v < e; ++v) {
      valueSends(v, -1, -1, sends[v]);
      for (auto [c, ps] : sends[v])
        load[c] += ps;
    }
  }

  ArrayRef<int> getAssignment() const { return chipOf; }
  ArrayRef<int64_t> getLoads() const { return load; }
  int chipOfNode(int node) const { return chipOf[node]; }

  /// Whether `node` may move to `chip`: it can run there, is not forced
  /// elsewhere, and its weights fit the DRAM left.
  bool mayMove(int node, int chip) const {
    return chip != chipOf[node] && problem.time[node][chip] < kInfinite &&
           (problem.forced[node] < 0 || problem.forced[node] == chip) &&
           dram[chip] + graph.nodes[node].weightBytes <=
               problem.net->getChip(chip).dramBytes;
  }

  /// The change of every chip's load if `node` moved to `chip`, as (chip,
  /// delta) pairs (a chip may appear several times).
  void moveDelta(int node, int chip, Sends &delta) const {
    delta.clear();
    int from = chipOf[node];
    delta.push_back({from, -problem.time[node][from]});
    delta.push_back({chip, problem.time[node][chip]});
    Sends after;
    forAffectedValues(node, [&](int v) {
      for (auto [c, ps] : sends[v])
        delta.push_back({c, -ps});
      after.clear();
      valueSends(v, node, chip, after);
      delta.append(after.begin(), after.end());
    });
  }

  void move(int node, int chip) {
    Sends delta;
    moveDelta(node, chip, delta);
    for (auto [c, d] : delta)
      load[c] += d;
    dram[chipOf[node]] -= graph.nodes[node].weightBytes;
    dram[chip] += graph.nodes[node].weightBytes;
    chipOf[node] = chip;
    forAffectedValues(node, [&](int v) {
      sends[v].clear();
      valueSends(v, -1, -1, sends[v]);
    });
  }

private:
  /// Calls `f` on every value whose sends depend on `node`'s chip: the
  /// values it produces and the values it reads, each once.
  template <typename F> void forAffectedValues(int node, F f) const {
    const Graph::Node &n = graph.nodes[node];
    for (int v : n.results)
      f(v);
    for (int v : n.operands)
      f(v);
  }

  /// The sends of value `v` with `node` on `chip` (when node >= 0) and the
  /// other nodes where they are.
  void valueSends(int v, int node, int chip, Sends &out) const {
    auto where = [&](int m) { return m == node ? chip : chipOf[m]; };
    const Graph::Value &value = graph.values[v];
    int source = where(value.producer);
    SmallVector<int, 8> copies{source};
    for (int user : value.users) {
      int to = where(user);
      if (llvm::is_contained(copies, to))
        continue;
      const Route &route = routes[source][to];
      size_t k = 0;
      for (size_t i = 1; i + 1 < route.size(); ++i)
        if (llvm::is_contained(copies, route[i]))
          k = i;
      for (size_t i = k; i + 1 < route.size(); ++i) {
        out.push_back({route[i], problem.net->sendPs(route[i], route[i + 1],
                                                     value.bytes)});
        copies.push_back(route[i + 1]);
      }
    }
  }

  const Problem &problem;
  const Graph &graph;
  const RouteTable &routes;
  SmallVector<int> chipOf;
  SmallVector<int64_t> load, dram;
  std::vector<Sends> sends;
};

/// What the interval search minimises: the largest load, then how many
/// chips carry it, then the total (fewer sends).
using LoadKey = std::tuple<int64_t, int, int64_t>;

LoadKey loadKey(ArrayRef<int64_t> load) {
  int64_t worst = 0, total = 0;
  int count = 0;
  for (int64_t l : load) {
    total = satAdd(total, l);
    if (l > worst) {
      worst = l;
      count = 1;
    } else if (l == worst) {
      ++count;
    }
  }
  return {worst, count, total};
}

} // namespace

Placement mlir::npu::partition::refineInterval(const Problem &problem,
                                               const Placement &start) {
  const Graph &graph = *problem.graph;
  const Interconnect &net = *problem.net;
  int n = problem.numNodes();
  int chips = problem.numChips();
  RouteTable routes = routesOf(problem, start);
  LoadModel model(problem, routes, start.chipOf);

  // Nodes per chip; an entry is stale when its node has moved on.
  std::vector<SmallVector<int>> nodesOn(chips);
  for (int i = 0; i < n; ++i)
    nodesOn[start.chipOf[i]].push_back(i);
  // Whether a node touches another chip (or the model's inputs or outputs):
  // only such nodes move, as moving a node from inside a run of its chip's
  // nodes costs a transfer on each side.
  auto isBoundary = [&](int i, int c) {
    const Graph::Node &node = graph.nodes[i];
    bool internalIn = false, internalOut = false;
    for (int v : node.operands) {
      if (model.chipOfNode(graph.values[v].producer) != c)
        return true;
      internalIn = true;
    }
    for (int v : node.results)
      for (int u : graph.values[v].users) {
        if (model.chipOfNode(u) != c)
          return true;
        internalOut = true;
      }
    return !internalIn || !internalOut;
  };

  // A bounded number of trial moves keeps 10,000 nodes fast (and the result
  // deterministic, unlike a time limit).
  int64_t budget = 4000000;
  Sends delta;
  SmallVector<int64_t> trial;
  SmallVector<int, 16> targets;
  LoadKey current = loadKey(model.getLoads());
  while (budget > 0) {
    ArrayRef<int64_t> load = model.getLoads();
    int busiest = static_cast<int>(std::max_element(load.begin(), load.end()) -
                                   load.begin());
    SmallVector<int> &list = nodesOn[busiest];
    llvm::erase_if(list, [&](int i) { return model.chipOfNode(i) != busiest; });
    bool few = list.size() <= 32;
    int bestNode = -1, bestChip = -1;
    LoadKey bestKey = current;
    for (int i : list) {
      if (!few && !isBoundary(i, busiest))
        continue;
      // Where its neighbours are, and the busiest chip's neighbours.
      targets.clear();
      for (int v : graph.nodes[i].operands)
        targets.push_back(model.chipOfNode(graph.values[v].producer));
      for (int v : graph.nodes[i].results)
        for (int u : graph.values[v].users)
          targets.push_back(model.chipOfNode(u));
      for (int c : net.getNeighbours(busiest))
        targets.push_back(c);
      if (few || chips <= 4)
        for (int c = 0; c < chips; ++c)
          targets.push_back(c);
      llvm::sort(targets);
      targets.erase(std::unique(targets.begin(), targets.end()), targets.end());
      for (int c : targets) {
        if (!model.mayMove(i, c))
          continue;
        --budget;
        model.moveDelta(i, c, delta);
        trial.assign(load.begin(), load.end());
        for (auto [d, change] : delta)
          trial[d] += change;
        LoadKey key = loadKey(trial);
        if (key < bestKey) {
          bestKey = key;
          bestNode = i;
          bestChip = c;
        }
      }
    }
    if (bestNode < 0)
      break;
    model.move(bestNode, bestChip);
    nodesOn[bestChip].push_back(bestNode);
    current = bestKey;
  }

  Placement refined =
      evaluate(problem, model.getAssignment(), routes, "refine");
  refined.path = start.path;
  assert(refined.interval == std::get<0>(current) &&
         "the load model agrees with evaluate");
  return refined;
}

Placement mlir::npu::partition::refineLatency(const Problem &problem,
                                              const Placement &start) {
  const Graph &graph = *problem.graph;
  const Interconnect &net = *problem.net;
  int n = problem.numNodes();
  int chips = problem.numChips();
  RouteTable routes = routesOf(problem, start);
  SmallVector<int> chipOf(start.chipOf.begin(), start.chipOf.end());
  Placement current = evaluate(problem, chipOf, routes, "refine");
  auto key = [](const Placement &p) {
    return std::make_pair(p.latency, p.interval);
  };
  SmallVector<int64_t> dram(chips, 0);
  for (int i = 0; i < n; ++i)
    dram[chipOf[i]] += graph.nodes[i].weightBytes;

  // Each trial schedules the whole graph, so the number of trials shrinks
  // with its size (deterministically, unlike a time limit).
  int64_t budget = std::clamp<int64_t>(4000000 / std::max(n, 1), 20, 4000);
  SmallVector<int> critical, group, targets, trial;
  while (budget > 0) {
    // The critical chain of the schedule, from the last op back: each op
    // waits either for its chip (the op before it there) or for an input.
    std::map<std::pair<int, int>, int64_t> arrival; // (value, chip) -> time
    for (const Hop &hop : current.hops)
      arrival[{hop.value, hop.to}] = hop.recvEnd;
    SmallVector<int> previousOnChip(n, -1), lastOn(chips, -1);
    for (int i = 0; i < n; ++i) {
      previousOnChip[i] = lastOn[chipOf[i]];
      lastOn[chipOf[i]] = i;
    }
    critical.clear();
    int at = static_cast<int>(
        std::max_element(current.finish.begin(), current.finish.end()) -
        current.finish.begin());
    while (at >= 0 && critical.size() < static_cast<size_t>(n)) {
      critical.push_back(at);
      int next = -1;
      for (int v : graph.nodes[at].operands) {
        int p = graph.values[v].producer;
        int64_t there = chipOf[p] == chipOf[at] ? current.finish[p]
                        : arrival.count({v, chipOf[at]})
                            ? arrival[{v, chipOf[at]}]
                            : -1;
        if (there == current.start[at]) {
          next = p;
          break;
        }
      }
      int before = previousOnChip[at];
      if (next < 0 && before >= 0 &&
          current.finish[before] == current.start[at])
        next = before;
      at = next;
    }

    // Move an op of the chain, alone or with the run of ops it feeds on
    // its chip (a branch moves as one), to the chip of a neighbour or any
    // chip of a small system.
    bool improved = false;
    for (int i : critical) {
      if (budget <= 0 || improved)
        break;
      targets.clear();
      for (int v : graph.nodes[i].operands)
        targets.push_back(chipOf[graph.values[v].producer]);
      for (int v : graph.nodes[i].results)
        for (int u : graph.values[v].users)
          targets.push_back(chipOf[u]);
      for (int c : net.getNeighbours(chipOf[i]))
        targets.push_back(c);
      if (chips <= 4)
        for (int c = 0; c < chips; ++c)
          targets.push_back(c);
      llvm::sort(targets);
      targets.erase(std::unique(targets.begin(), targets.end()), targets.end());
      for (bool run : {false, true}) {
        group.assign(1, i);
        if (run) {
          // Follow single readers on the same chip.
          for (int x = i;;) {
            int only = -1;
            bool single = true;
            for (int v : graph.nodes[x].results)
              for (int u : graph.values[v].users)
                if (only < 0 || only == u)
                  only = u;
                else
                  single = false;
            if (!single || only < 0 || chipOf[only] != chipOf[i])
              break;
            group.push_back(only);
            x = only;
          }
          if (group.size() == 1)
            continue;
        }
        for (int c : targets) {
          if (c == chipOf[i] || budget <= 0)
            continue;
          int64_t weights = 0;
          bool ok = true;
          for (int g : group) {
            weights += graph.nodes[g].weightBytes;
            ok &= problem.time[g][c] < kInfinite &&
                  (problem.forced[g] < 0 || problem.forced[g] == c);
          }
          if (!ok || dram[c] + weights > net.getChip(c).dramBytes)
            continue;
          --budget;
          trial.assign(chipOf.begin(), chipOf.end());
          for (int g : group)
            trial[g] = c;
          Placement p = evaluate(problem, trial, routes, "refine");
          if (key(p) < key(current)) {
            for (int g : group) {
              dram[chipOf[g]] -= graph.nodes[g].weightBytes;
              dram[c] += graph.nodes[g].weightBytes;
            }
            chipOf = std::move(trial);
            current = std::move(p);
            improved = true;
            break;
          }
        }
        if (improved)
          break;
      }
    }
    if (!improved)
      break;
  }
  current.path = start.path;
  return current;
}

//===----------------------------------------------------------------------===//
// Bounds
//===----------------------------------------------------------------------===//

/// One exponentiated-gradient step of the weights `lambda` of a weighted
/// share towards the chips whose `load` (at most `maxLoad` > 0) is highest,
/// renormalised onto the simplex.
static void exponentiatedGradientStep(MutableArrayRef<long double> lambda,
                                      ArrayRef<long double> load,
                                      long double maxLoad, int iteration) {
  long double step = 1.0L / std::sqrt(1.0L + iteration);
  long double sum = 0;
  for (size_t c = 0; c < lambda.size(); ++c) {
    lambda[c] *= std::exp(step * load[c] / maxLoad);
    sum += lambda[c];
  }
  for (long double &l : lambda)
    l /= sum;
}

/// A weighted share rounded down, with a margin for the rounding of the
/// long double sums that computed it.
static int64_t roundDownShare(long double share) {
  return std::max<int64_t>(static_cast<int64_t>(share * (1.0L - 1e-12L)) - 1,
                           0);
}

/// The weighted share of the busiest chip's load for per-node times
/// `times[n][c]` (kInfinite where chip c may not run node n). For any
/// weights lambda_c >= 0 summing to 1, the busiest chip's load T satisfies
/// T >= sum_c lambda_c * load_c >= sum_n min_c lambda_c * times[n][c], so
/// every lambda gives a valid bound: these are the dual solutions of the
/// fractional assignment LP, whose optimum is the best such bound. Starts
/// from lambda_c proportional to chip c's speed 1 / W_c (W_c: its time for
/// every node it can run), which makes it exactly "total work / sum of
/// speeds" when chips differ by a constant factor, then improves it by
/// exponentiated-gradient ascent (the gradient is the load each chip gets
/// from the nodes' cheapest weighted choice), keeping the best value. Nodes
/// with the same times are one class, so this is cheap. Rounded down.
static int64_t weightedShare(ArrayRef<std::vector<int64_t>> times, int chips) {
  std::map<std::vector<int64_t>, int64_t> classCount;
  for (const std::vector<int64_t> &row : times)
    ++classCount[row];
  SmallVector<long double> lambda(chips, 0);
  long double total = 0;
  for (int c = 0; c < chips; ++c) {
    long double work = 0;
    for (auto &[row, count] : classCount)
      if (row[c] < kInfinite)
        work += static_cast<long double>(row[c]) * count;
    if (work > 0) {
      lambda[c] = 1.0L / work;
      total += lambda[c];
    }
  }
  if (total <= 0)
    return 0;
  long double bestShare = 0;
  for (long double &l : lambda)
    l /= total;
  SmallVector<long double> load(chips);
  for (int iteration = 0; iteration < 200; ++iteration) {
    std::fill(load.begin(), load.end(), 0.0L);
    long double share = 0;
    for (auto &[row, count] : classCount) {
      int best = -1;
      long double bestValue = 0;
      for (int c = 0; c < chips; ++c) {
        if (row[c] >= kInfinite)
          continue;
        long double value = lambda[c] * row[c];
        if (best < 0 || value < bestValue) {
          best = c;
          bestValue = value;
        }
      }
      if (best < 0)
        continue; // no chip may run it; the pass rejects such models
      share += bestValue * count;
      load[best] += static_cast<long double>(row[best]) * count;
    }
    bestShare = std::max(bestShare, share);
    long double maxLoad = *std::max_element(load.begin(), load.end());
    if (maxLoad <= 0)
      break;
    exponentiatedGradientStep(lambda, load, maxLoad, iteration);
  }
  // Round down, with a margin for the rounding of the sums above.
  return roundDownShare(bestShare);
}

/// A pigeonhole bound on the busiest chip's load for per-node times
/// `times[n][c]` (kInfinite where chip c may not run node n). Take the
/// nodes that may run only on the chips of a set A (|A| = P) at their
/// fastest time, sorted from the largest: of the kP + 1 largest, some chip
/// of A runs at least k + 1, so its load is at least the sum of the k + 1
/// smallest of them. k = 0 is the largest op; k = 1 says that P + 1 big ops
/// on P chips put two on one chip. A ranges over the sets of chips allowed
/// to some node (the first 64 of them, for systems of at most 64 chips).
static int64_t packingBound(ArrayRef<std::vector<int64_t>> times, int chips) {
  SmallVector<uint64_t> masks;
  SmallVector<uint64_t> maskOf;
  SmallVector<int64_t> fastest;
  for (const std::vector<int64_t> &row : times) {
    uint64_t mask = 0;
    int64_t best = kInfinite;
    for (int c = 0; c < chips; ++c)
      if (row[c] < kInfinite) {
        if (c < 64)
          mask |= uint64_t(1) << c;
        best = std::min(best, row[c]);
      }
    if (best >= kInfinite)
      continue; // no chip may run it; the pass rejects such models
    if (chips > 64)
      mask = ~uint64_t(0);
    maskOf.push_back(mask);
    fastest.push_back(best);
    if (masks.size() < 64 && !llvm::is_contained(masks, mask))
      masks.push_back(mask);
  }
  int64_t bound = 0;
  SmallVector<int64_t> sizes, prefix;
  for (uint64_t set : masks) {
    int p = chips > 64 ? chips : llvm::popcount(set);
    sizes.clear();
    for (auto [mask, t] : llvm::zip(maskOf, fastest))
      if ((mask & ~set) == 0)
        sizes.push_back(t);
    llvm::sort(sizes, std::greater<int64_t>());
    prefix.assign(1, 0);
    for (int64_t t : sizes)
      prefix.push_back(satAdd(prefix.back(), t));
    int64_t count = sizes.size();
    for (int64_t k = 0; k * p + 1 <= count; ++k)
      bound = std::max(bound, prefix[k * p + 1] - prefix[k * p - k]);
  }
  return bound;
}

/// The weighted share with sends: for weights lambda on the simplex, the
/// busiest chip's load T >= sum_c lambda_c load_c, and load_c >= the compute
/// of c's nodes plus, for every value that leaves c, its cheapest send from
/// c. Keeping for each node one reader edge only (which can only lower the
/// sends counted) makes the edges a forest, on which the assignment with
/// the smallest sum_c lambda_c load_c is found exactly by dynamic
/// programming, leaves to roots: F(n, c) = lambda_c t(n, c) + the sum, over
/// the kept edges p -> n of value v, of min(F(p, c), min_{d != c} F(p, d) +
/// lambda_d send_d(v)). The sum over the roots of min_c F is a lower bound
/// on T for that lambda; lambda is improved as in `weightedShare` (the
/// gradient: the loads of the best assignment). Rounded down.
static int64_t labelingShare(const Problem &problem,
                             ArrayRef<std::vector<int64_t>> times) {
  const Graph &graph = *problem.graph;
  const Interconnect &net = *problem.net;
  int n = problem.numNodes();
  int chips = problem.numChips();
  // One kept reader edge per node: (reader, value), or (-1, -1) at a root.
  SmallVector<std::pair<int, int>> kept(n, {-1, -1});
  std::vector<SmallVector<std::pair<int, int>, 2>> keptIn(n);
  for (int i = 0; i < n; ++i)
    for (int v : graph.nodes[i].results)
      if (kept[i].first < 0 && !graph.values[v].users.empty()) {
        int u = graph.values[v].users.front();
        kept[i] = {u, v};
        keptIn[u].push_back({i, v});
      }
  // send[v][c]: the cheapest send of value v from chip c.
  std::vector<SmallVector<int64_t, 16>> send(graph.values.size());
  for (auto [v, value] : llvm::enumerate(graph.values)) {
    send[v].assign(chips, kInfinite);
    for (int c = 0; c < chips; ++c)
      for (int d : net.getNeighbours(c))
        send[v][c] = std::min(send[v][c], net.sendPs(c, d, value.bytes));
  }

  SmallVector<long double> lambda(chips, 0);
  long double total = 0;
  for (int c = 0; c < chips; ++c) {
    long double work = 0;
    for (int i = 0; i < n; ++i)
      if (times[i][c] < kInfinite)
        work += times[i][c];
    if (work > 0) {
      lambda[c] = 1.0L / work;
      total += lambda[c];
    }
  }
  if (total <= 0)
    return 0;
  for (long double &l : lambda)
    l /= total;

  const long double inf = std::numeric_limits<long double>::infinity();
  std::vector<SmallVector<long double, 16>> f(
      n, SmallVector<long double, 16>(chips, inf));
  SmallVector<int> label(n, -1);
  SmallVector<long double> load(chips);
  long double bestShare = 0;
  int sinceBest = 0;
  for (int iteration = 0; iteration < 200 && sinceBest < 40; ++iteration) {
    for (int i = 0; i < n; ++i) {
      for (int c = 0; c < chips; ++c)
        f[i][c] = times[i][c] < kInfinite ? lambda[c] * times[i][c] : inf;
      for (auto [p, v] : keptIn[i]) {
        // The two smallest F(p, d) + lambda_d send_d(v), to exclude d = c.
        long double first = inf, second = inf;
        int firstChip = -1;
        for (int d = 0; d < chips; ++d) {
          long double g =
              send[v][d] < kInfinite ? f[p][d] + lambda[d] * send[v][d] : inf;
          if (g < first) {
            second = first;
            first = g;
            firstChip = d;
          } else if (g < second) {
            second = g;
          }
        }
        for (int c = 0; c < chips; ++c)
          f[i][c] += std::min(f[p][c], c == firstChip ? second : first);
      }
    }
    // The value and the loads of the best assignment (roots, then down the
    // kept edges, in reverse order).
    long double share = 0;
    std::fill(load.begin(), load.end(), 0.0L);
    bool feasible = true;
    for (int i = n - 1; i >= 0; --i) {
      int c;
      if (kept[i].first < 0) {
        c = static_cast<int>(std::min_element(f[i].begin(), f[i].end()) -
                             f[i].begin());
        share += f[i][c];
      } else {
        auto [u, v] = kept[i];
        int at = label[u];
        c = at;
        long double best = f[i][at];
        for (int d = 0; d < chips; ++d)
          if (d != at && send[v][d] < kInfinite &&
              f[i][d] + lambda[d] * send[v][d] < best) {
            best = f[i][d] + lambda[d] * send[v][d];
            c = d;
          }
        if (c != at)
          load[c] += send[v][c];
      }
      if (times[i][c] >= kInfinite) {
        feasible = false;
        break;
      }
      label[i] = c;
      load[c] += times[i][c];
    }
    if (!feasible || !(share < inf))
      return static_cast<int64_t>(0);
    if (share > bestShare) {
      bestShare = share;
      sinceBest = 0;
    } else {
      ++sinceBest;
    }
    long double maxLoad = *std::max_element(load.begin(), load.end());
    if (maxLoad <= 0)
      break;
    exponentiatedGradientStep(lambda, load, maxLoad, iteration);
  }
  return roundDownShare(bestShare);
}

Bounds mlir::npu::partition::computeBounds(const Problem &problem) {
  const Graph &graph = *problem.graph;
  const Interconnect &net = *problem.net;
  int n = problem.numNodes();
  int chips = problem.numChips();
  Bounds bounds;

  // t(n, c) over the chips allowed to run n, kInfinite elsewhere.
  std::vector<std::vector<int64_t>> allowed(
      n, std::vector<int64_t>(chips, kInfinite));
  SmallVector<bool> usable(chips, false);
  for (int i = 0; i < n; ++i)
    for (int c = 0; c < chips; ++c)
      if (problem.time[i][c] < kInfinite &&
          (problem.forced[i] < 0 || problem.forced[i] == c)) {
        allowed[i][c] = problem.time[i][c];
        usable[c] = true;
      }
  bounds.usableChips = static_cast<int>(llvm::count(usable, true));

  // The critical path, the total work, the largest op.
  SmallVector<int64_t> earliestFinish(n, 0);
  for (int i = 0; i < n; ++i) {
    int64_t t = problem.fastest(i);
    int64_t ready = 0;
    for (int v : graph.nodes[i].operands)
      ready = std::max(ready, earliestFinish[graph.values[v].producer]);
    earliestFinish[i] = satAdd(ready, t);
    bounds.criticalPath = std::max(bounds.criticalPath, earliestFinish[i]);
    bounds.totalWork = satAdd(bounds.totalWork, t);
    bounds.largestOp = std::max(bounds.largestOp, t);
  }
  if (bounds.usableChips)
    bounds.evenShare = cost::ceilDiv(bounds.totalWork, bounds.usableChips);
  bounds.weightedShare = weightedShare(allowed, chips);
  bounds.workPerChip = std::max(bounds.evenShare, bounds.weightedShare);

  // The critical path with transfers. EF(n, c) = t(n, c) + the latest, over
  // n's operands v (produced by p), of the earliest v can be on c: EF(p, c)
  // if p runs there too, else min over d of EF(p, d) plus dist(d, c) hops,
  // each at least min over links of (latency + receive of v's bytes): the
  // receive of a hop ends no earlier than its send starts plus the link's
  // latency plus the receive itself, and a relay sends only what it has
  // received. Contention and the serialisation of independent ops on one
  // chip are left out (they only delay), so max_n min_c EF(n, c) is a lower
  // bound on the latency; it is the critical path when transfers are free
  // or all chips are alike.
  std::vector<int64_t> minHop(graph.values.size(), kInfinite);
  for (auto [v, value] : llvm::enumerate(graph.values))
    for (int a = 0; a < chips; ++a)
      for (int b : net.getNeighbours(a))
        minHop[v] = std::min(minHop[v], net.latencyPs(a, b) +
                                            net.recvPs(a, b, value.bytes));
  std::vector<std::vector<int64_t>> hopCount(chips,
                                             std::vector<int64_t>(chips, 0));
  for (int d = 0; d < chips; ++d)
    for (int c = 0; c < chips; ++c)
      hopCount[d][c] =
          d == c ? 0
          : net.getRoute(d, c).empty()
              ? kInfinite
              : static_cast<int64_t>(net.getRoute(d, c).size()) - 1;
  std::vector<std::vector<int64_t>> finish(
      n, std::vector<int64_t>(chips, kInfinite));
  SmallVector<int64_t> ready(chips);
  for (int i = 0; i < n; ++i) {
    std::fill(ready.begin(), ready.end(), 0);
    for (int v : graph.nodes[i].operands) {
      const std::vector<int64_t> &from = finish[graph.values[v].producer];
      for (int c = 0; c < chips; ++c) {
        int64_t best = from[c];
        if (minHop[v] < kInfinite)
          for (int d = 0; d < chips; ++d)
            if (d != c && from[d] < kInfinite && hopCount[d][c] < kInfinite)
              best =
                  std::min(best, satAdd(from[d], hopCount[d][c] * minHop[v]));
        ready[c] = std::max(ready[c], best);
      }
    }
    int64_t earliest = kInfinite;
    for (int c = 0; c < chips; ++c) {
      if (allowed[i][c] < kInfinite && ready[c] < kInfinite)
        finish[i][c] = satAdd(ready[c], allowed[i][c]);
      earliest = std::min(earliest, finish[i][c]);
    }
    if (earliest < kInfinite)
      bounds.transferPath = std::max(bounds.transferPath, earliest);
  }

  // Forced sends: a node on chip c one of whose values is read by a node
  // that may not run on c makes c send that value at least once (its first
  // hop leaves from c), for at least the cheapest send of its bytes from c.
  // Distinct values are distinct sends, so the load of c is at least the
  // sum of t(n, c) plus these over its nodes: the shares above, over these
  // times, bound the interval (but not the latency: sends overlap compute).
  auto cheapestSend = [&](int c, int v) {
    int64_t best = kInfinite;
    for (int d : net.getNeighbours(c))
      best = std::min(best, net.sendPs(c, d, graph.values[v].bytes));
    return best;
  };
  std::vector<std::vector<int64_t>> loaded = allowed;
  int64_t loadedWork = 0;
  for (int i = 0; i < n; ++i) {
    int64_t fastest = kInfinite;
    for (int c = 0; c < chips; ++c) {
      if (allowed[i][c] >= kInfinite)
        continue;
      for (int v : graph.nodes[i].results)
        if (llvm::any_of(graph.values[v].users,
                         [&](int u) { return allowed[u][c] >= kInfinite; }))
          loaded[i][c] = satAdd(loaded[i][c], cheapestSend(c, v));
      fastest = std::min(fastest, loaded[i][c]);
    }
    loadedWork = satAdd(loadedWork, fastest);
  }
  int64_t loadedShare = weightedShare(loaded, chips);
  if (bounds.usableChips)
    loadedShare =
        std::max(loadedShare, cost::ceilDiv(loadedWork, bounds.usableChips));
  bounds.sendShare = std::max(loadedShare, labelingShare(problem, allowed));

  // Send or keep: K(n, c) bounds the load of chip c when n runs there, from
  // n and what n forces onto c. For each value v that n produces and some
  // node reads, either c sends v (at least its cheapest send from c) or
  // every reader of v runs on c too, which loads c with at least each
  // reader's K (and with the sum of the readers' times). K(n, c) = t(n, c)
  // + the largest, over such v, of the smaller of the two. By induction in
  // reverse topological order K(n, c) counts only n, its descendants on c
  // and sends of their values from c, each once, so the interval is at
  // least max_n min_c K(n, c).
  std::vector<std::vector<int64_t>> keep(
      n, std::vector<int64_t>(chips, kInfinite));
  for (int i = n - 1; i >= 0; --i) {
    int64_t best = kInfinite;
    for (int c = 0; c < chips; ++c) {
      if (allowed[i][c] >= kInfinite)
        continue;
      int64_t extra = 0;
      for (int v : graph.nodes[i].results) {
        const Graph::Value &value = graph.values[v];
        if (value.users.empty())
          continue;
        int64_t together = 0, sum = 0;
        for (int u : value.users) {
          together = std::max(together, keep[u][c]);
          sum = satAdd(sum, allowed[u][c]);
        }
        together = std::max(together, sum);
        extra = std::max(extra, std::min(cheapestSend(c, v), together));
      }
      keep[i][c] = satAdd(allowed[i][c], extra);
      best = std::min(best, keep[i][c]);
    }
    if (best < kInfinite)
      bounds.sendOrKeep = std::max(bounds.sendOrKeep, best);
  }

  bounds.packing = packingBound(allowed, chips);
  bounds.sendPacking = packingBound(loaded, chips);

  bounds.latency =
      std::max({bounds.criticalPath, bounds.transferPath, bounds.workPerChip,
                bounds.packing, bounds.largestOp});
  bounds.interval =
      std::max({bounds.workPerChip, bounds.sendShare, bounds.packing,
                bounds.sendPacking, bounds.sendOrKeep, bounds.largestOp});
  return bounds;
}
