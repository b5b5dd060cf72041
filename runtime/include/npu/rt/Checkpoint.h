//===- Checkpoint.h - The state of a run stopped at a boundary --*- C++ -*-===//
//
// A run of a program with checkpoint boundaries (Model.h, Checkpoint) can be
// stopped at one, its live state copied out, and resumed later on the same
// chip or another of its kind, with the same outputs bit for bit
// (docs/execution-model.md, "Checkpoints"). This header holds that state,
// its file format (the FlatBuffers schema runtime/schema/npuc.fbs) and the
// checks a checkpoint passes before a run resumes from it: like a binary,
// a checkpoint file is untrusted input.
//
//===----------------------------------------------------------------------===//

#ifndef NPU_RT_CHECKPOINT_H
#define NPU_RT_CHECKPOINT_H

#include "npu/rt/Model.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace npu::rt {

/// Host tensors by name (as in Simulator.h).
using TensorMap = std::map<std::string, std::vector<uint8_t>>;

/// What a run stopped at a boundary leaves behind.
struct CheckpointState {
  /// Model::fingerprint of the binary the run came from.
  uint64_t modelFingerprint = 0;
  std::string model;
  /// The program and its chip in the binary.
  std::string program;
  int64_t chip = 0;
  /// The boundary: the first instruction the resumed run executes.
  uint32_t index = 0;
  /// The bytes of each live range of that boundary, in the table's order.
  std::vector<std::vector<uint8_t>> live;
  /// Every model output as the run had stored it (zero where it had not).
  TensorMap outputs;
};

/// The file's bytes (runtime/schema/npuc.fbs): deterministic, the same state
/// gives the same bytes.
std::vector<uint8_t> encodeCheckpoint(const CheckpointState &state);

/// A decoded checkpoint, or the reason it cannot be used.
struct CheckpointLoad {
  std::optional<CheckpointState> state;
  std::string error;
  bool ok() const { return state.has_value(); }
};

/// Verifies and decodes checkpoint bytes, and checks them against `model`:
/// the same binary (fingerprint), program and chip, a boundary of its table,
/// live ranges of exactly the table's sizes, outputs of the signature's
/// sizes. A truncated file or one from another binary is an error naming
/// what differs.
CheckpointLoad decodeCheckpoint(const uint8_t *data, size_t size,
                                const Model &model);

/// Reads and decodes a checkpoint file (bounded like a binary).
CheckpointLoad loadCheckpointFile(const std::string &path, const Model &model);

/// Empty when `state` fits `model` as decodeCheckpoint() checks; otherwise
/// the error. Resuming runs it first, so that a state built in memory is
/// checked like a file.
std::string checkCheckpoint(const CheckpointState &state, const Model &model);

/// The checkpoint of `model`'s program at boundary `index`, or null.
const Checkpoint *findCheckpoint(const Model &model, uint32_t index);

} // namespace npu::rt

#endif // NPU_RT_CHECKPOINT_H
