//===- Checkpoint.cpp - Checkpoint files and their checks -----------------===//

#include "npu/rt/Checkpoint.h"
#include "npu/rt/File.h"

#include "npu/rt/npuc_generated.h"

#include <cstring>
#include <memory>

namespace npu::rt {

namespace fbc = ::npu::fbc;

namespace {

std::string str(int64_t value) { return std::to_string(value); }
std::string quoted(const std::string &text) { return "'" + text + "'"; }

std::vector<uint8_t> bytesOf(const flatbuffers::Vector<uint8_t> *vector) {
  if (!vector)
    return {};
  return std::vector<uint8_t>(vector->data(), vector->data() + vector->size());
}

std::string hex(uint64_t value) {
  static const char kHex[] = "0123456789abcdef";
  std::string text = "0x";
  for (int shift = 60; shift >= 0; shift -= 4)
    text += kHex[(value >> shift) & 15];
  return text;
}

} // namespace

const Checkpoint *findCheckpoint(const Model &model, uint32_t index) {
  if (model.programs.size() != 1)
    return nullptr;
  for (const Checkpoint &cp : model.programs.front().checkpoints)
    if (cp.index == index)
      return &cp;
  return nullptr;
}

std::vector<uint8_t> encodeCheckpoint(const CheckpointState &state) {
  flatbuffers::FlatBufferBuilder fbb;
  fbb.ForceDefaults(true);
  std::vector<flatbuffers::Offset<fbc::LiveBytes>> live;
  for (const std::vector<uint8_t> &bytes : state.live)
    live.push_back(fbc::CreateLiveBytes(fbb, fbb.CreateVector(bytes)));
  auto liveVector = fbb.CreateVector(live);
  std::vector<flatbuffers::Offset<fbc::OutputBytes>> outputs;
  for (const auto &[name, bytes] : state.outputs)
    outputs.push_back(fbc::CreateOutputBytes(fbb, fbb.CreateString(name),
                                             fbb.CreateVector(bytes)));
  auto outputVector = fbb.CreateVector(outputs);
  auto root = fbc::CreateState(
      fbb, kFormatVersion, state.modelFingerprint, fbb.CreateString(state.model),
      fbb.CreateString(state.program), state.chip, state.index, liveVector,
      outputVector);
  fbc::FinishStateBuffer(fbb, root);
  return std::vector<uint8_t>(fbb.GetBufferPointer(),
                              fbb.GetBufferPointer() + fbb.GetSize());
}

std::string checkCheckpoint(const CheckpointState &state, const Model &model) {
  if (state.modelFingerprint != model.fingerprint)
    return "the checkpoint comes from another binary (fingerprint " +
           hex(state.modelFingerprint) + " of model " + quoted(state.model) +
           "; this binary's is " + hex(model.fingerprint) + ")";
  if (model.programs.size() != 1)
    return "the model has " + str(static_cast<int64_t>(model.programs.size())) +
           " programs; only a single-program model resumes from a checkpoint";
  const Program &program = model.programs.front();
  if (state.program != program.name || state.chip != program.chip)
    return "the checkpoint is of program " + quoted(state.program) +
           " (chip " + str(state.chip) + "), not of " + quoted(program.name) +
           " (chip " + str(program.chip) + ")";
  const Checkpoint *cp = findCheckpoint(model, state.index);
  if (!cp)
    return "instruction " + str(state.index) + " of program " +
           quoted(program.name) + " is not a checkpoint boundary";
  if (state.live.size() != cp->live.size())
    return "the checkpoint holds " +
           str(static_cast<int64_t>(state.live.size())) +
           " live ranges; boundary " + str(state.index) + " has " +
           str(static_cast<int64_t>(cp->live.size()));
  for (size_t r = 0; r < cp->live.size(); ++r) {
    int64_t needed = cp->live[r].saved() ? cp->live[r].bytes : 0;
    if (static_cast<int64_t>(state.live[r].size()) != needed)
      return "live range " + str(static_cast<int64_t>(r)) + " holds " +
             str(static_cast<int64_t>(state.live[r].size())) +
             " bytes; boundary " + str(state.index) + " needs " +
             str(needed);
  }
  if (state.outputs.size() != model.outputs.size())
    return "the checkpoint holds " +
           str(static_cast<int64_t>(state.outputs.size())) +
           " outputs; the model has " +
           str(static_cast<int64_t>(model.outputs.size()));
  for (const TensorSignature &sig : model.outputs) {
    auto it = state.outputs.find(sig.name);
    if (it == state.outputs.end())
      return "the checkpoint has no output " + quoted(sig.name);
    if (static_cast<int64_t>(it->second.size()) != sig.bytes)
      return "output " + quoted(sig.name) + " holds " +
             str(static_cast<int64_t>(it->second.size())) +
             " bytes; its signature needs " + str(sig.bytes);
  }
  return "";
}

CheckpointLoad decodeCheckpoint(const uint8_t *data, size_t size,
                                const Model &model) {
  CheckpointLoad result;
  constexpr size_t kMinSize = 2 * sizeof(flatbuffers::uoffset_t);
  if (!data || size < kMinSize) {
    result.error = "file too small: " + str(static_cast<int64_t>(size)) +
                   " bytes (a checkpoint has at least " +
                   str(static_cast<int64_t>(kMinSize)) + ")";
    return result;
  }
  if (size >= FLATBUFFERS_MAX_BUFFER_SIZE) {
    result.error = "file too large: " + str(static_cast<int64_t>(size)) +
                   " bytes (FlatBuffers files are below 2 GiB)";
    return result;
  }
  if (!fbc::StateBufferHasIdentifier(data)) {
    result.error = "wrong file identifier (expected 'NPUC'): not a "
                   "checkpoint file";
    return result;
  }
  // FlatBuffers reads scalars in place: verify an 8-byte aligned copy.
  std::unique_ptr<uint64_t[]> aligned(new uint64_t[(size + 7) / 8]);
  std::memcpy(aligned.get(), data, size);
  const uint8_t *buf = reinterpret_cast<const uint8_t *>(aligned.get());
  flatbuffers::Verifier verifier(buf, size);
  if (!fbc::VerifyStateBuffer(verifier)) {
    result.error = "the checkpoint is truncated or malformed (its "
                   "FlatBuffers tables do not verify)";
    return result;
  }
  const fbc::State *fs = fbc::GetState(buf);
  if (fs->version() != kFormatVersion) {
    result.error = "unsupported checkpoint version " + str(fs->version()) +
                   " (this runtime reads " + str(kFormatVersion) + ")";
    return result;
  }
  CheckpointState state;
  state.modelFingerprint = fs->model_fingerprint();
  state.model = fs->model() ? fs->model()->str() : "";
  state.program = fs->program() ? fs->program()->str() : "";
  state.chip = fs->chip();
  state.index = fs->index();
  if (const auto *live = fs->live())
    for (const fbc::LiveBytes *bytes : *live)
      state.live.push_back(bytesOf(bytes->data()));
  if (const auto *outputs = fs->outputs())
    for (const fbc::OutputBytes *output : *outputs) {
      std::string name = output->name() ? output->name()->str() : "";
      if (state.outputs.count(name)) {
        result.error = "output " + quoted(name) + " appears twice";
        return result;
      }
      state.outputs[name] = bytesOf(output->data());
    }
  if (std::string error = checkCheckpoint(state, model); !error.empty()) {
    result.error = std::move(error);
    return result;
  }
  result.state = std::move(state);
  return result;
}

CheckpointLoad loadCheckpointFile(const std::string &path, const Model &model) {
  CheckpointLoad result;
  std::vector<uint8_t> bytes;
  if (!readRegularFile(path, bytes, result.error))
    return result;
  result = decodeCheckpoint(bytes.data(), bytes.size(), model);
  if (!result.ok())
    result.error = path + ": " + result.error;
  return result;
}

} // namespace npu::rt
