//===- Repository.h - Models, their variants and their budgets --*- C++ -*-===//
//
// Triton's repository layout (docs/serving.md, "Model repository"):
//
//   <repo>/<model>/config.json           optional
//   <repo>/<model>/<version>/<variant>.npub
//
// Each .npub of a model's newest version is one variant: the model compiled
// for one chip kind (or, partitioned, for a plan of several chips). Every
// number the orchestrator uses comes from the binary (G5): the cycles,
// energy and peak DRAM of each program's budget, the bytes of its weight
// segments, and the load cost those bytes take over the host link by the
// host-DMA formula of npu/rt/Cost.h. Nothing is re-measured, nothing is a
// constant.
//
// Loading a model verifies every variant with the runtime's loader; if one
// fails, the model stays (or becomes) unavailable with the reason, and no
// variant of it is half-loaded.
//
//===----------------------------------------------------------------------===//

#ifndef NPU_SERVE_REPOSITORY_H
#define NPU_SERVE_REPOSITORY_H

#include "OperationCounts.h"
#include "Types.h"

#include "npu/rt/Model.h"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace npu::serve {

/// What one program of a variant needs, read from its binary.
struct ProgramNeeds {
  /// The program's chip in the binary's system.
  int64_t chip = 0;
  /// That chip's description: a pool chip runs the program when it has the
  /// same timing model (Placement.h, sameTimingModel).
  rt::ChipDesc desc;
  /// The "full" path's budget: cycles, and cycles x ps/cycle.
  int64_t cycles = 0;
  Ps busyPs = 0;
  int64_t energyFj = 0;
  int64_t hostBytes = 0;
  /// Bytes of the program's DRAM segments (its weights), and what loading
  /// them costs: one host DMA per segment (Cost.h, hostDmaCycles).
  int64_t weightBytes = 0;
  int64_t loadCycles = 0;
  Ps loadPs = 0;
  /// DRAM a resident copy reserves: the largest peak over its budgets.
  int64_t peakDramBytes = 0;
  int64_t sramBytes = 0;
};

/// One compiled form of a model.
struct Variant {
  std::string model;
  int64_t version = 0;
  /// The file's stem ("e1-small" for e1-small.npub), unique in the model.
  std::string name;
  std::string file;
  std::shared_ptr<const rt::Model> binary;
  std::vector<ProgramNeeds> programs;
  /// Pairs of program chips (binary ids, a < b) that exchange messages: a
  /// plan needs a link between the pool chips they map to.
  std::vector<std::pair<int64_t, int64_t>> links;
  /// From a run's start to its last chip's halt (every chip starts at 0).
  Ps latencyPs = 0;
  int64_t energyFj = 0;
  int64_t weightBytes = 0;
  /// The least common multiple of the programs' ps/cycle: runs start on it.
  Ps gridPs = 1;
  /// The element type of the first input ("f32", "int8", ...).
  std::string precision;
  /// Bytes of all inputs of one request.
  int64_t inputBytes = 0;
  /// From config.json ("accuracy" of the variant), if given (G9).
  std::optional<double> accuracy;
  /// Per program, the exact operations of each of its paths, counted once
  /// at load (G10, OperationCounts.h): what the pricing charges.
  std::vector<ProgramOperations> operations;
};

/// Triton's model states.
enum class ModelState : uint8_t { Unavailable, Ready };
std::string_view modelStateName(ModelState state);

/// One model of the repository.
struct ModelEntry {
  std::string name;
  ModelState state = ModelState::Unavailable;
  /// Why the model is unavailable ("not loaded", or the loader's error).
  std::string reason = "not loaded";
  int64_t version = 0;
  std::vector<Variant> variants;
  /// Requests per second the planner expects (config.json
  /// "expected_rate_per_s"), if given.
  std::optional<double> expectedRate;

  const Variant *findVariant(const std::string &name) const;
  /// The variant with the smallest latency (ties: the first by name).
  const Variant *fastest() const;
};

/// A model repository on disk.
class Repository {
public:
  /// Lists the models of `path` (one directory each) without loading any.
  static std::optional<Repository> open(const std::string &path,
                                        std::string &error);

  /// Loads the newest version of `model`: every .npub through the loader,
  /// its budgets read. Returns an empty string or the reason (the model is
  /// then unavailable with that reason and keeps no variant).
  std::string load(const std::string &model);
  /// Loads every model; returns the errors, one per model that failed.
  std::vector<std::string> loadAll();
  /// Makes a model unavailable ("unloaded"). Its variants stay alive (an
  /// orchestrator may still refer to them) but are no longer in the index.
  std::string unload(const std::string &model);

  /// Every model, by name.
  const std::vector<ModelEntry> &index() const { return models; }
  const ModelEntry *find(const std::string &model) const;
  const std::string &path() const { return root; }

  /// Reads one variant from `file` (for tests and tools).
  static std::optional<Variant> readVariant(const std::string &file,
                                            const std::string &model,
                                            int64_t version,
                                            std::string &error);

private:
  std::string root;
  std::vector<ModelEntry> models;
  /// Variants replaced by a load or an unload. Moving a vector keeps its
  /// elements where they are, so pointers to them stay valid.
  std::vector<std::vector<Variant>> retired;
};

/// The budgets of a loaded model as a Variant (no file).
std::optional<Variant> makeVariant(std::shared_ptr<const rt::Model> binary,
                                   const std::string &model,
                                   const std::string &name,
                                   std::string &error);

} // namespace npu::serve

#endif // NPU_SERVE_REPOSITORY_H
