//===- Server.h - The in-process client API of the serving layer -*- C++ -*-=//
//
// What an embedder uses: open an installation and a repository, send
// requests in arrival order, and get each answer at once: admitted with
// the predicted start and completion, the simulated ones (equal) and the
// real outputs; or refused with the reason. Allocations, the repository
// index, and load/unload with their exact costs are here too. The C API
// (npu_serve.h) is a thin layer over this class.
//
// Time is simulated: a request's arrival is its clock. A Server is not
// synchronised; use it from one thread at a time.
//
//===----------------------------------------------------------------------===//

#ifndef NPU_SERVE_SERVER_H
#define NPU_SERVE_SERVER_H

#include "Execution.h"
#include "Installation.h"
#include "Orchestrator.h"
#include "Repository.h"

#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace npu::serve {

/// The answer to an inference request, with its run.
struct InferResponse {
  std::string id;
  Outcome outcome = Outcome::Refused;
  std::string reason;
  std::string variant;
  std::vector<std::string> chips;
  Ps predictedStartPs = 0;
  Ps predictedCompletionPs = 0;
  Ps simulatedStartPs = 0;
  Ps simulatedCompletionPs = 0;
  int64_t energyFj = 0;
  /// Host seconds the orchestrator took to decide (admission alone, not
  /// the run).
  double decisionSeconds = 0;
  /// Counters whose measurement differs from the budget (0 is the promise).
  int budgetMismatches = 0;
  bool withinSlo = false;
  /// The model's outputs (admitted requests only).
  rt::TensorMap outputs;
};

/// What a load or unload did, at what exact cost.
struct LoadResponse {
  std::string error;
  /// Copies placed onto chips, and when the last is in DRAM.
  int copies = 0;
  int64_t bytes = 0;
  Ps readyPs = 0;
  /// Bytes of DRAM an unload freed.
  int64_t freedBytes = 0;
};

class Server {
public:
  /// Reads the installation and the repository (loading every model) and
  /// preloads the planner's placement at time 0. Null with `error` set when
  /// any file or binary is bad.
  static std::unique_ptr<Server> open(const std::string &installation,
                                      const std::string &repository,
                                      const PolicyConfig &policy,
                                      std::string &error);
  /// The same on hosts that `directory` announces (null: the installation's
  /// hosts in this process), measured by `measurer` (null: in this
  /// process); both must outlive the server. The hosts that do not answer
  /// the first scan are left out of the pool. The planner's rates are
  /// `expectedRates` when given, else those of the models' config files.
  static std::unique_ptr<Server>
  open(const InstallationSpec &installation, const std::string &repository,
       const PolicyConfig &policy, HostDirectory *directory,
       Measurer *measurer, std::string &error,
       const std::map<std::string, double> *expectedRates = nullptr);

  /// Decides and, when admitted, runs the request. Arrivals must not go
  /// back in time (a request earlier than the last one is refused).
  InferResponse infer(const InferenceRequest &request);
  /// infer() in steps, for a caller that measures runs outside its lock
  /// (the distributed controller): decide() admits or refuses (the
  /// orchestrator alone) and returns the decision's index, or nullopt with
  /// `error` for an arrival in the past; runOf() says what to measure for
  /// it (nothing for a refusal); supply() hands the measurement in;
  /// advance() replays the timeline as far as the measurements allow, the
  /// runs of `awaited` requests still to come. The answer is ready once
  /// replayed() reaches the timeline length decide() left (opsAfter).
  struct Decided {
    size_t index = 0;
    size_t opsAfter = 0;
    double decisionSeconds = 0;
  };
  std::optional<Decided> decide(const InferenceRequest &request,
                                std::string &error);
  struct Run {
    const Variant *variant = nullptr;
    std::vector<int> chips;
    InferenceRequest request;
  };
  std::optional<Run> runOf(size_t index) const;
  void supply(const Run &run, Measurement m);
  void advance(const std::set<std::string> &awaited);
  size_t replayed() const { return execution.replayed(); }
  size_t timelineSize() const { return orch->timeline().size(); }
  /// Whether a decision made after decision `index` moved it (a
  /// preemption, a recovery): its answer then waits for the whole replay.
  bool movedLater(size_t index) const {
    const Decision &d = orch->decisions()[index];
    return d.preemption.has_value() || !d.recoveries.empty();
  }

  /// The answer to decision `index` as it stands now (after the failures
  /// that moved it, its last attempt).
  InferResponse answer(size_t index) const;
  AllocationAnswer allocate(const AllocationRequest &request);
  /// Loads (or reloads) a model into the repository at `nowPs` and onto
  /// the chips with room for it.
  LoadResponse load(const std::string &model, Ps nowPs);
  /// Makes a model unavailable and frees its copies.
  LoadResponse unload(const std::string &model);
  /// A host or chip failure (M6), handled at event.detectedPs(): the
  /// requests it hit are placed again and their new attempts run. Returns
  /// the error (unknown host, a time before the last arrival) or "".
  std::string fail(const FailureEvent &event);
  /// Takes over an allocation granted by another controller
  /// (Orchestrator::adopt) on the chips named by their keys ("host/npu0").
  std::string adopt(const AllocationRequest &request,
                    const std::string &variant,
                    const std::vector<std::string> &chipKeys, Ps endPs);
  /// A failed host is back (Orchestrator::rejoin) at the server's now.
  std::string rejoin(const std::string &host, Ps nowPs);
  /// The latest arrival (or failure) so far: the server's simulated now.
  Ps now() const { return lastArrivalPs; }

  /// Every request's record so far, as `npu-serve run` writes them
  /// (requests-POLICY.jsonl; Summary.h, requestRecords).
  std::string records() const;

  const Repository &repository() const { return *repo; }
  const Orchestrator &orchestrator() const { return *orch; }
  const Registry &pool() const { return *registry; }

private:
  Server() = default;
  ExecutionOptions measured() const;
  std::unique_ptr<InProcessHosts> hosts;
  Measurer *measurer = nullptr;
  std::unique_ptr<Registry> registry;
  std::unique_ptr<Repository> repo;
  std::unique_ptr<Orchestrator> orch;
  MeasurementCache cache;
  Execution execution;
  Ps lastArrivalPs = 0;
};

} // namespace npu::serve

#endif // NPU_SERVE_SERVER_H
