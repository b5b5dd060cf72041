//===- Loader.cpp - Verify and decode a .npub binary ----------------------===//
//
// loadModel() turns untrusted bytes into a Model the simulator can run
// without further checks:
//
//   1. size and file identifier ("NPUB");
//   2. the FlatBuffers verifier (and, when it fails, a walk that names the
//      first table or vector that is malformed);
//   3. the format version;
//   4. semantic checks: the system description (npu::rt::validate plus the
//      runtime's arithmetic limits), signatures, one program per existing
//      chip, every instruction operand in range (the checks of the npuisa
//      verifiers, and every SRAM/DRAM access inside the chip's memories),
//      the stream structure (exit paths and the stream end with halt), the
//      token order (the k-th wait on a token has k signals before it on its
//      path), segments inside DRAM, budgets well-formed (standby budgets
//      only for chips that start asleep), and the early-exit table (its
//      codes and values, and its agreement with the programs).
//
// Every message names where: "program 'p' (chip 0) instruction 3 (dma_in):
// ...". Errors are thrown internally as LoadError and returned as a value;
// nothing escapes loadModel(). All arithmetic on operands is overflow-safe
// (Arith.h) and the walks are iterative, so no input can crash the loader.
//
//===----------------------------------------------------------------------===//

#include "npu/rt/File.h"
#include "npu/rt/Model.h"
#include "npu/rt/npub_generated.h"

#include "Arith.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <new>
#include <set>
#include <sstream>
#include <utility>

namespace npu::rt {

using namespace detail;

namespace {

/// Upper bound of window geometry (kernel, stride, pad, dilation, sizes), so
/// that windowOutputSize() cannot overflow.
constexpr int64_t kMaxWindowValue = int64_t(1) << 31;
/// Upper bound of the work of one pool or copy (elements x window).
constexpr int64_t kMaxWork = int64_t(1) << 56;

/// The error of a load; caught in loadModel().
struct LoadError {
  std::string message;
};

[[noreturn]] void fail(std::string message) {
  throw LoadError{std::move(message)};
}

std::string str(int64_t value) { return std::to_string(value); }

std::string quoted(std::string_view text) {
  std::string out = "'";
  out += text;
  out += '\'';
  return out;
}

std::string fbString(const flatbuffers::String *s) {
  return s ? std::string(s->c_str(), s->size()) : std::string();
}

/// The FlatBuffers verifier (2.0) checks a vector's length field, not that
/// 8-byte elements are 8-byte aligned; reading a misaligned int64 would be
/// undefined behaviour. The loader's buffer is 8-byte aligned, so the
/// address tells the alignment inside the file.
bool aligned(const flatbuffers::Vector<int64_t> *vec) {
  return !vec ||
         reinterpret_cast<uintptr_t>(vec->Data()) % alignof(int64_t) == 0;
}

/// The elements of an int64 vector (empty when absent); `where` names the
/// field for the error when the vector is misaligned.
std::vector<int64_t> int64s(const flatbuffers::Vector<int64_t> *vec,
                            const std::string &where) {
  if (!aligned(vec))
    fail(where + ": vector of 64-bit integers is not 8-byte aligned (corrupt "
                 "file)");
  std::vector<int64_t> out;
  if (vec)
    out.assign(vec->begin(), vec->end());
  return out;
}

bool isFloat(cost::DType type) {
  return type == cost::DType::F32 || type == cost::DType::F16 ||
         type == cost::DType::BF16;
}
bool isByte(cost::DType type) {
  return type == cost::DType::I8 || type == cost::DType::UI8;
}

std::string_view dtypeName(cost::DType type) {
  switch (type) {
  case cost::DType::F32:
    return "f32";
  case cost::DType::F16:
    return "f16";
  case cost::DType::BF16:
    return "bf16";
  case cost::DType::I8:
    return "i8";
  case cost::DType::UI8:
    return "ui8";
  case cost::DType::I32:
    return "i32";
  }
  return "?";
}

//===----------------------------------------------------------------------===//
// Verifier diagnosis
//===----------------------------------------------------------------------===//

flatbuffers::Verifier::Options verifierOptions() {
  flatbuffers::Verifier::Options options;
  options.max_depth = 64;
  // A large model has one table per instruction; the buffer size bounds
  // the work anyway.
  options.max_tables = 1u << 30;
  return options;
}

/// The generated tables inherit flatbuffers::Table privately; a C-style cast
/// may convert to an inaccessible base ([expr.cast]), which gives the
/// diagnosis access to the per-field checks.
template <typename T> const flatbuffers::Table *asTable(const T *table) {
  return (const flatbuffers::Table *)table;
}

/// Runs the same checks as the generated Verify() functions, one field at a
/// time, and names the first that fails. Called only when the verifier has
/// rejected the buffer.
std::string diagnoseVerifierFailure(const uint8_t *buf, size_t size) {
  flatbuffers::Verifier v(buf, size, verifierOptions());
  const std::string prefix = "FlatBuffers verifier rejected the file: ";
  flatbuffers::uoffset_t rootOffset = v.VerifyOffset(0);
  if (!rootOffset)
    return prefix + "the root offset points outside the file";
  const fb::Model *model =
      reinterpret_cast<const fb::Model *>(buf + rootOffset);
  const flatbuffers::Table *root = asTable(model);
  if (!root->VerifyTableStart(v))
    return prefix + "the root table (Model) is malformed";
  if (!root->VerifyField<uint32_t>(v, fb::Model::VT_VERSION, 4))
    return prefix + "field 'version' is malformed";
  if (!root->VerifyOffset(v, fb::Model::VT_NAME) ||
      !v.VerifyString(model->name()))
    return prefix + "field 'name' is malformed";
  if (!root->VerifyOffset(v, fb::Model::VT_SYSTEM) ||
      !v.VerifyTable(model->system()))
    return prefix + "table 'system' is malformed";
  // The field's offset must be checked before its accessor follows it.
  auto tensors = [&](flatbuffers::voffset_t field, const char *name,
                     auto get) -> std::string {
    if (!root->VerifyOffset(v, field) || !v.VerifyVector(get()))
      return prefix + "vector '" + name + "' is malformed";
    if (const auto *vec = get())
      for (flatbuffers::uoffset_t i = 0; i < vec->size(); ++i)
        if (!v.VerifyTable(vec->Get(i)))
          return prefix + name + "[" + str(i) + "] is malformed";
    return "";
  };
  if (std::string error = tensors(fb::Model::VT_INPUTS, "inputs",
                                  [&] { return model->inputs(); });
      !error.empty())
    return error;
  if (std::string error = tensors(fb::Model::VT_OUTPUTS, "outputs",
                                  [&] { return model->outputs(); });
      !error.empty())
    return error;
  if (!root->VerifyOffset(v, fb::Model::VT_PROGRAMS) ||
      !v.VerifyVector(model->programs()))
    return prefix + "vector 'programs' is malformed";
  if (const auto *programs = model->programs()) {
    for (flatbuffers::uoffset_t p = 0; p < programs->size(); ++p) {
      const fb::Program *program = programs->Get(p);
      const flatbuffers::Table *table = asTable(program);
      std::string where = "programs[" + str(p) + "]";
      if (!table->VerifyTableStart(v))
        return prefix + where + " is malformed";
      if (!table->VerifyOffset(v, fb::Program::VT_NAME) ||
          !v.VerifyString(program->name()))
        return prefix + where + ".name is malformed";
      if (!table->VerifyField<int64_t>(v, fb::Program::VT_CHIP, 8))
        return prefix + where + ".chip is malformed";
      if (!table->VerifyOffset(v, fb::Program::VT_INSTRUCTIONS_TYPE) ||
          !v.VerifyVector(program->instructions_type()))
        return prefix + where + ".instructions_type is malformed";
      if (!table->VerifyOffset(v, fb::Program::VT_INSTRUCTIONS) ||
          !v.VerifyVector(program->instructions()))
        return prefix + where + ".instructions is malformed";
      const auto *types = program->instructions_type();
      const auto *values = program->instructions();
      if (!types != !values || (types && types->size() != values->size()))
        return prefix + where +
               ".instructions and instructions_type differ in length";
      if (values) {
        for (flatbuffers::uoffset_t i = 0; i < values->size(); ++i) {
          fb::Instr type = types->GetEnum<fb::Instr>(i);
          if (!fb::VerifyInstr(v, values->Get(i), type))
            return prefix + where + ".instructions[" + str(i) + "] (" +
                   (type <= fb::Instr::MAX ? fb::EnumNameInstr(type) : "?") +
                   ") is malformed";
        }
      }
      if (!table->VerifyOffset(v, fb::Program::VT_SEGMENTS) ||
          !v.VerifyVector(program->segments()))
        return prefix + where + ".segments is malformed";
      if (const auto *segments = program->segments())
        for (flatbuffers::uoffset_t i = 0; i < segments->size(); ++i)
          if (!v.VerifyTable(segments->Get(i)))
            return prefix + where + ".segments[" + str(i) + "] is malformed";
      if (!table->VerifyOffset(v, fb::Program::VT_BUDGETS) ||
          !v.VerifyVector(program->budgets()))
        return prefix + where + ".budgets is malformed";
      if (const auto *budgets = program->budgets())
        for (flatbuffers::uoffset_t i = 0; i < budgets->size(); ++i)
          if (!v.VerifyTable(budgets->Get(i)))
            return prefix + where + ".budgets[" + str(i) + "] is malformed";
      if (!table->VerifyOffset(v, fb::Program::VT_CHECKPOINTS) ||
          !v.VerifyVector(program->checkpoints()))
        return prefix + where + ".checkpoints is malformed";
      if (const auto *checkpoints = program->checkpoints())
        for (flatbuffers::uoffset_t i = 0; i < checkpoints->size(); ++i)
          if (!v.VerifyTable(checkpoints->Get(i)))
            return prefix + where + ".checkpoints[" + str(i) +
                   "] is malformed";
      if (!v.EndTable())
        return prefix + where + " nests too deeply";
    }
  }
  if (!root->VerifyOffset(v, fb::Model::VT_STREAM) ||
      !v.VerifyTable(model->stream()))
    return prefix + "table 'stream' is malformed";
  if (!root->VerifyOffset(v, fb::Model::VT_EARLY_EXIT))
    return prefix + "table 'early_exit' is malformed";
  if (const fb::EarlyExit *table = model->early_exit()) {
    const flatbuffers::Table *et = asTable(table);
    if (!et->VerifyTableStart(v))
      return prefix + "table 'early_exit' is malformed";
    if (!et->VerifyOffset(v, fb::EarlyExit::VT_OUTPUT) ||
        !v.VerifyString(table->output()))
      return prefix + "early_exit.output is malformed";
    if (!et->VerifyOffset(v, fb::EarlyExit::VT_GATES) ||
        !v.VerifyVector(table->gates()))
      return prefix + "early_exit.gates is malformed";
    if (const auto *gates = table->gates())
      for (flatbuffers::uoffset_t i = 0; i < gates->size(); ++i)
        if (!v.VerifyTable(gates->Get(i)))
          return prefix + "early_exit.gates[" + str(i) + "] is malformed";
    if (!et->VerifyOffset(v, fb::EarlyExit::VT_CALIBRATION) ||
        !v.VerifyTable(table->calibration()))
      return prefix + "early_exit.calibration is malformed";
    if (!v.VerifyTable(table))
      return prefix + "table 'early_exit' is malformed";
  }
  return prefix + "the buffer exceeds the verifier's depth or table limits";
}

//===----------------------------------------------------------------------===//
// System description
//===----------------------------------------------------------------------===//

SystemDesc decodeSystem(const fb::System *fs) {
  if (!fs)
    fail("the model has no system description (field 'system')");
  SystemDesc system;
  system.name = fbString(fs->name());
  system.topology = static_cast<Topology>(fs->topology());
  system.meshDims = int64s(fs->mesh_dims(), "system: mesh_dims");
  if (const auto *chips = fs->chips()) {
    for (flatbuffers::uoffset_t i = 0; i < chips->size(); ++i) {
      const fb::Chip *fc = chips->Get(i);
      ChipDesc chip;
      chip.id = fc->id();
      chip.name = fbString(fc->name());
      chip.kind = static_cast<ChipKind>(fc->kind());
      chip.caps = fc->caps();
      chip.macRows = fc->mac_rows();
      chip.macCols = fc->mac_cols();
      chip.vectorLanes = fc->vector_lanes();
      chip.sramBytes = fc->sram_bytes();
      chip.dramBytes = fc->dram_bytes();
      chip.dramBytesPerCycle = fc->dram_bytes_per_cycle();
      chip.clockMhz = fc->clock_mhz();
      const fb::Power *power = fc->power();
      if (!power)
        fail("system: chips[" + str(i) + "].power: missing");
      chip.power.activeMw = power->active_mw();
      chip.power.idleMw = power->idle_mw();
      chip.power.offMw = power->off_mw();
      chip.power.wakeCycles = power->wake_cycles();
      chip.power.wakeEnergyNj = power->wake_energy_nj();
      chip.coord = int64s(fc->coord(), "system: chips[" + str(i) + "].coord");
      system.chips.push_back(std::move(chip));
    }
  }
  if (const auto *links = fs->links()) {
    for (flatbuffers::uoffset_t i = 0; i < links->size(); ++i) {
      const fb::Link *fl = links->Get(i);
      LinkDesc link;
      link.a = fl->a();
      link.b = fl->b();
      link.bandwidthGBps = fl->bandwidth_gbps();
      link.latencyNs = fl->latency_ns();
      system.links.push_back(link);
    }
  }
  system.host.bandwidthGBps = fs->host_bandwidth_gbps();
  system.host.latencyNs = fs->host_latency_ns();

  std::vector<TargetDiagnostic> diags = validate(system);
  if (!diags.empty()) {
    std::string message = "system: ";
    for (size_t i = 0; i < diags.size(); ++i) {
      if (i)
        message += "; ";
      message += diags[i].path + ": " + diags[i].message;
    }
    fail(message);
  }

  return system;
}

//===----------------------------------------------------------------------===//
// Signatures
//===----------------------------------------------------------------------===//

std::vector<TensorSignature> decodeSignatures(
    const flatbuffers::Vector<flatbuffers::Offset<fb::Tensor>> *tensors,
    const char *field) {
  std::vector<TensorSignature> result;
  if (!tensors)
    return result;
  std::set<std::string> names;
  for (flatbuffers::uoffset_t i = 0; i < tensors->size(); ++i) {
    const fb::Tensor *ft = tensors->Get(i);
    TensorSignature sig;
    sig.name = fbString(ft->name());
    std::string where = std::string(field) + "[" + str(i) + "]";
    if (sig.name.empty())
      fail(where + ": the tensor name must not be empty");
    where += " (" + quoted(sig.name) + ")";
    if (!names.insert(sig.name).second)
      fail(where + ": duplicate tensor name");
    if (ft->dtype() > static_cast<uint8_t>(cost::DType::I32))
      fail(where + ": unknown dtype " + str(ft->dtype()));
    sig.dtype = static_cast<cost::DType>(ft->dtype());
    int64_t elements = 1;
    std::vector<int64_t> shape = int64s(ft->shape(), where + ": shape");
    for (size_t d = 0; d < shape.size(); ++d) {
      int64_t extent = shape[d];
      if (extent < 0)
        fail(where + ": shape[" + str(static_cast<int64_t>(d)) +
             "] must be non-negative (got " + str(extent) + ")");
      sig.shape.push_back(extent);
      elements = mulSat({elements, extent});
    }
    int64_t bytes = mulSat({elements, cost::elementBytes(sig.dtype)});
    if (bytes > kMaxSystemValue)
      fail(where + ": the tensor's size exceeds the runtime's limit of " +
           str(kMaxSystemValue) + " bytes");
    sig.elements = elements;
    sig.bytes = bytes;
    result.push_back(std::move(sig));
  }
  return result;
}

//===----------------------------------------------------------------------===//
// Instructions
//===----------------------------------------------------------------------===//

/// Decodes and checks the instructions of one program.
class ProgramDecoder {
public:
  ProgramDecoder(const Model &model, const ChipDesc &chip, std::string where)
      : model(model), chip(chip), where(std::move(where)) {}

  Instruction decode(size_t index, fb::Instr type, const void *table);

  [[noreturn]] void error(const std::string &message) const {
    fail(where + " instruction " + str(static_cast<int64_t>(index)) + " (" +
         std::string(mnemonic) + "): " + message);
  }

private:
  const Model &model;
  const ChipDesc &chip;
  std::string where;
  size_t index = 0;
  std::string_view mnemonic;

  int64_t offset(const char *field, int64_t value) const {
    if (value < 0)
      error(std::string("field '") + field + "' must be non-negative (got " +
            str(value) + ")");
    return value;
  }
  int64_t count(const char *field, int64_t value) const {
    if (value <= 0)
      error(std::string("field '") + field + "' must be positive (got " +
            str(value) + ")");
    return value;
  }
  template <size_t N>
  std::array<int64_t, N> fixed(const char *field,
                               const flatbuffers::Vector<int64_t> *vec) const {
    if (!aligned(vec))
      error(std::string("field '") + field +
            "' is not 8-byte aligned (corrupt file)");
    size_t got = vec ? vec->size() : 0;
    if (got != N)
      error(std::string("field '") + field + "' must have " +
            str(static_cast<int64_t>(N)) + " entries (got " +
            str(static_cast<int64_t>(got)) + ")");
    std::array<int64_t, N> out;
    for (size_t i = 0; i < N; ++i)
      out[i] = vec->Get(static_cast<flatbuffers::uoffset_t>(i));
    return out;
  }
  cost::DType dtype(uint8_t value) const {
    if (value > static_cast<uint8_t>(cost::DType::I32))
      error("field 'dtype' has unknown value " + str(value) +
            " (expected 0-5: f32, f16, bf16, i8, ui8, i32)");
    return static_cast<cost::DType>(value);
  }
  template <typename Enum>
  Enum enumeration(const char *field, uint8_t value, int numValues) const {
    if (value >= numValues)
      error(std::string("field '") + field + "' has unknown value " +
            str(value) + " (expected 0-" + str(numValues - 1) + ")");
    return static_cast<Enum>(value);
  }
  void floatType(cost::DType type) const {
    if (!isFloat(type))
      error("needs a floating-point dtype, got " +
            std::string(dtypeName(type)));
  }
  void macType(cost::DType type) const {
    if (type == cost::DType::I32)
      error("i32 is not a MAC-array operand type");
  }
  void peer(int64_t other, bool needsLink) const {
    if (other == chip.id)
      error("names its own chip " + str(other));
    if (!model.system.findChip(other))
      error("chip " + str(other) + " is not in system " +
            quoted(model.system.name));
    if (needsLink && !model.system.findLink(chip.id, other))
      error("needs a direct link between chips " + str(chip.id) + " and " +
            str(other));
  }
  void window(const Pair &inHw, const Pair &outHw, const Pair &kernel,
              const Pair &strides, const Quad &pads, const Pair &dilations,
              bool allowCeil) const;
  void hostRange(const TensorSignature &tensor, int64_t offset,
                 int64_t bytes) const {
    if (offset > tensor.bytes || bytes > tensor.bytes - offset)
      error("bytes [" + str(offset) + ", " + str(addSat(offset, bytes)) +
            ") lie outside tensor " + quoted(tensor.name) + " (" +
            str(tensor.bytes) + " bytes)");
  }
  template <typename DmaT> void dmaStrides(const DmaT &op) const {
    if (op.strides[0] < 0 || op.strides[1] < 0)
      error("field 'strides' must be non-negative (got [" + str(op.strides[0]) +
            ", " + str(op.strides[1]) + "])");
    if (op.rows > 1 && op.strides[1] < op.rowBytes)
      error("destination rows overlap: stride " + str(op.strides[1]) +
            " is less than row_bytes " + str(op.rowBytes));
  }
  void work(const char *what, std::initializer_list<int64_t> factors) const {
    if (mulSat(factors) > kMaxWork)
      error(std::string(what) + " exceeds the runtime's limit of " +
            str(kMaxWork) + " element operations");
  }
};

void ProgramDecoder::window(const Pair &inHw, const Pair &outHw,
                            const Pair &kernel, const Pair &strides,
                            const Quad &pads, const Pair &dilations,
                            bool allowCeil) const {
  for (int d = 0; d < 2; ++d)
    if (inHw[d] <= 0 || outHw[d] <= 0 || kernel[d] <= 0 || strides[d] <= 0 ||
        dilations[d] <= 0)
      error("sizes, kernel, strides and dilations must be positive");
  for (int64_t p : pads)
    if (p < 0)
      error("pads must be non-negative, got " + str(p));
  for (int d = 0; d < 2; ++d)
    for (int64_t value : {inHw[d], outHw[d], kernel[d], strides[d],
                          dilations[d], pads[d], pads[d + 2]})
      if (value > kMaxWindowValue)
        error("window geometry value " + str(value) +
              " exceeds the runtime's limit of " + str(kMaxWindowValue));
  for (int d = 0; d < 2; ++d) {
    int64_t floor =
        cost::windowOutputSize(inHw[d], kernel[d], strides[d], pads[d],
                               pads[d + 2], dilations[d], false);
    int64_t ceil =
        cost::windowOutputSize(inHw[d], kernel[d], strides[d], pads[d],
                               pads[d + 2], dilations[d], true);
    if (outHw[d] != floor && !(allowCeil && outHw[d] == ceil))
      error("output size " + str(outHw[d]) + " in dimension " + str(d) +
            " does not match the window sweep (" + str(floor) + ")");
  }
}

bool isBinary(cost::VectorOp op) {
  switch (op) {
  case cost::VectorOp::Add:
  case cost::VectorOp::Sub:
  case cost::VectorOp::Mul:
  case cost::VectorOp::Div:
  case cost::VectorOp::Max:
  case cost::VectorOp::Min:
  case cost::VectorOp::Pow:
    return true;
  default:
    return false;
  }
}

Instruction ProgramDecoder::decode(size_t at, fb::Instr type,
                                   const void *table) {
  index = at;
  mnemonic = "?";
  if (type == fb::Instr::NONE || type > fb::Instr::MAX) {
    error("unknown instruction type " + str(static_cast<int64_t>(type)));
  }
  mnemonic = fb::EnumNameInstr(type);
  Instruction result;
  switch (type) {
  case fb::Instr::NONE:
    break;
  case fb::Instr::Halt:
    result = isa::Halt{};
    mnemonic = "halt";
    break;
  case fb::Instr::LoadInput: {
    mnemonic = "load_input";
    const auto *t = static_cast<const fb::LoadInput *>(table);
    isa::LoadInput op;
    op.input = t->input();
    op.offset = offset("offset", t->offset());
    op.dram = offset("dram", t->dram());
    op.bytes = count("bytes", t->bytes());
    if (op.input >= model.inputs.size())
      error("input " + str(op.input) + " is out of range (the model has " +
            str(static_cast<int64_t>(model.inputs.size())) + " inputs)");
    hostRange(model.inputs[op.input], op.offset, op.bytes);
    result = op;
    break;
  }
  case fb::Instr::StoreOutput: {
    mnemonic = "store_output";
    const auto *t = static_cast<const fb::StoreOutput *>(table);
    isa::StoreOutput op;
    op.output = t->output();
    op.offset = offset("offset", t->offset());
    op.dram = offset("dram", t->dram());
    op.bytes = count("bytes", t->bytes());
    if (op.output >= model.outputs.size())
      error("output " + str(op.output) + " is out of range (the model has " +
            str(static_cast<int64_t>(model.outputs.size())) + " outputs)");
    hostRange(model.outputs[op.output], op.offset, op.bytes);
    result = op;
    break;
  }
  case fb::Instr::DmaIn: {
    mnemonic = "dma_in";
    const auto *t = static_cast<const fb::DmaIn *>(table);
    isa::DmaIn op;
    op.dram = offset("dram", t->dram());
    op.sram = offset("sram", t->sram());
    op.rows = count("rows", t->rows());
    op.rowBytes = count("row_bytes", t->row_bytes());
    op.strides = fixed<2>("strides", t->strides());
    dmaStrides(op);
    result = op;
    break;
  }
  case fb::Instr::DmaOut: {
    mnemonic = "dma_out";
    const auto *t = static_cast<const fb::DmaOut *>(table);
    isa::DmaOut op;
    op.sram = offset("sram", t->sram());
    op.dram = offset("dram", t->dram());
    op.rows = count("rows", t->rows());
    op.rowBytes = count("row_bytes", t->row_bytes());
    op.strides = fixed<2>("strides", t->strides());
    dmaStrides(op);
    result = op;
    break;
  }
  case fb::Instr::Send: {
    mnemonic = "send";
    const auto *t = static_cast<const fb::Send *>(table);
    isa::Send op;
    op.sram = offset("sram", t->sram());
    op.bytes = count("bytes", t->bytes());
    op.chip = offset("chip", t->chip());
    op.channel = offset("channel", t->channel());
    peer(op.chip, /*needsLink=*/true);
    result = op;
    break;
  }
  case fb::Instr::Recv: {
    mnemonic = "recv";
    const auto *t = static_cast<const fb::Recv *>(table);
    isa::Recv op;
    op.sram = offset("sram", t->sram());
    op.bytes = count("bytes", t->bytes());
    op.chip = offset("chip", t->chip());
    op.channel = offset("channel", t->channel());
    peer(op.chip, /*needsLink=*/true);
    result = op;
    break;
  }
  case fb::Instr::MatMul: {
    mnemonic = "matmul";
    const auto *t = static_cast<const fb::MatMul *>(table);
    isa::MatMul op;
    op.a = offset("a", t->a());
    op.b = offset("b", t->b());
    op.c = offset("c", t->c());
    op.m = count("m", t->m());
    op.k = count("k", t->k());
    op.n = count("n", t->n());
    op.lds = fixed<3>("lds", t->lds());
    op.dtype = dtype(t->dtype());
    op.accumulate = t->accumulate();
    if (op.lds[0] < op.k || op.lds[1] < op.n || op.lds[2] < op.n)
      error("row strides [" + str(op.lds[0]) + ", " + str(op.lds[1]) + ", " +
            str(op.lds[2]) + "] must be at least [k, n, n] = [" + str(op.k) +
            ", " + str(op.n) + ", " + str(op.n) + "]");
    macType(op.dtype);
    if (op.m > chip.macRows || op.n > chip.macCols)
      error("tile " + str(op.m) + "x" + str(op.n) + " exceeds the " +
            str(chip.macRows) + "x" + str(chip.macCols) +
            " MAC array of chip " + str(chip.id));
    result = op;
    break;
  }
  case fb::Instr::Conv: {
    mnemonic = "conv";
    const auto *t = static_cast<const fb::Conv *>(table);
    isa::Conv op;
    op.input = offset("input", t->input());
    op.weight = offset("weight", t->weight());
    op.output = offset("output", t->output());
    op.channels = count("channels", t->channels());
    op.inHw = fixed<2>("in_hw", t->in_hw());
    op.outChannels = count("out_channels", t->out_channels());
    op.outHw = fixed<2>("out_hw", t->out_hw());
    op.outRows = fixed<2>("out_rows", t->out_rows());
    op.kernel = fixed<2>("kernel", t->kernel());
    op.strides = fixed<2>("strides", t->strides());
    op.pads = fixed<4>("pads", t->pads());
    op.dilations = fixed<2>("dilations", t->dilations());
    op.dtype = dtype(t->dtype());
    window(op.inHw, op.outHw, op.kernel, op.strides, op.pads, op.dilations,
           /*allowCeil=*/false);
    if (op.outRows[0] < 0 || op.outRows[1] <= 0 ||
        op.outRows[1] > op.outHw[0] - op.outRows[0])
      error("output rows [" + str(op.outRows[0]) + ", " +
            str(addSat(op.outRows[0], op.outRows[1])) +
            ") are not inside the " + str(op.outHw[0]) + " output rows");
    macType(op.dtype);
    int64_t pixels = mulSat({op.outRows[1], op.outHw[1]});
    if (pixels > chip.macRows || op.outChannels > chip.macCols)
      error("tile of " + str(pixels) + " pixels x " + str(op.outChannels) +
            " channels exceeds the " + str(chip.macRows) + "x" +
            str(chip.macCols) + " MAC array of chip " + str(chip.id));
    result = op;
    break;
  }
  case fb::Instr::Vector: {
    mnemonic = "vector";
    const auto *t = static_cast<const fb::Vector *>(table);
    isa::Vector op;
    op.kind =
        enumeration<cost::VectorOp>("kind", t->kind(), cost::kNumVectorOps);
    op.a = offset("a", t->a());
    op.hasB = t->has_b();
    op.dst = offset("dst", t->dst());
    op.count = count("count", t->count());
    op.dtype = dtype(t->dtype());
    op.alpha = t->alpha();
    op.beta = t->beta();
    bool binary = isBinary(op.kind);
    if (binary && (!op.hasB || !t->b_bcast()))
      error("a binary operation needs an operand b and its b_bcast");
    if (!binary && (op.hasB || t->b_bcast()))
      error("a unary operation takes no operand b");
    if (op.hasB) {
      op.b = offset("b", t->b());
      op.bBcast = fixed<2>("b_bcast", t->b_bcast());
      if (op.bBcast[0] <= 0 || op.bBcast[1] <= 0)
        error("b_bcast period and repeat must be positive");
    }
    bool quant = op.kind == cost::VectorOp::Quantize ||
                 op.kind == cost::VectorOp::Dequantize;
    if (quant && !isByte(op.dtype))
      error("quantize and dequantize need an 8-bit dtype, got " +
            std::string(dtypeName(op.dtype)));
    if (!quant)
      floatType(op.dtype);
    result = op;
    break;
  }
  case fb::Instr::Fill: {
    mnemonic = "fill";
    const auto *t = static_cast<const fb::Fill *>(table);
    isa::Fill op;
    op.dst = offset("dst", t->dst());
    op.count = count("count", t->count());
    op.value = t->value();
    op.dtype = dtype(t->dtype());
    result = op;
    break;
  }
  case fb::Instr::Reduce: {
    mnemonic = "reduce";
    const auto *t = static_cast<const fb::Reduce *>(table);
    isa::Reduce op;
    op.kind = enumeration<cost::ReduceOp>("kind", t->kind(), 3);
    op.src = offset("src", t->src());
    op.dst = offset("dst", t->dst());
    op.shape = fixed<3>("shape", t->shape());
    op.dtype = dtype(t->dtype());
    for (int64_t s : op.shape)
      if (s <= 0)
        error("shape entries must be positive, got " + str(s));
    floatType(op.dtype);
    result = op;
    break;
  }
  case fb::Instr::Pool: {
    mnemonic = "pool";
    const auto *t = static_cast<const fb::Pool *>(table);
    isa::Pool op;
    op.kind = enumeration<cost::PoolOp>("kind", t->kind(), 2);
    op.src = offset("src", t->src());
    op.dst = offset("dst", t->dst());
    op.channels = count("channels", t->channels());
    op.inHw = fixed<2>("in_hw", t->in_hw());
    op.outHw = fixed<2>("out_hw", t->out_hw());
    op.kernel = fixed<2>("kernel", t->kernel());
    op.strides = fixed<2>("strides", t->strides());
    op.pads = fixed<4>("pads", t->pads());
    op.dilations = fixed<2>("dilations", t->dilations());
    op.dtype = dtype(t->dtype());
    op.countIncludePad = t->count_include_pad();
    window(op.inHw, op.outHw, op.kernel, op.strides, op.pads, op.dilations,
           /*allowCeil=*/true);
    floatType(op.dtype);
    work("the pooling work (channels x out_hw x kernel)",
         {op.channels, op.outHw[0], op.outHw[1], op.kernel[0], op.kernel[1]});
    result = op;
    break;
  }
  case fb::Instr::Copy: {
    mnemonic = "copy";
    const auto *t = static_cast<const fb::Copy *>(table);
    isa::Copy op;
    op.src = offset("src", t->src());
    op.dst = offset("dst", t->dst());
    op.shape = fixed<4>("shape", t->shape());
    op.srcStrides = fixed<4>("src_strides", t->src_strides());
    op.dstStrides = fixed<4>("dst_strides", t->dst_strides());
    op.dtype = dtype(t->dtype());
    for (int64_t s : op.shape)
      if (s <= 0)
        error("shape entries must be positive, got " + str(s));
    for (const Quad *strides : {&op.srcStrides, &op.dstStrides})
      for (int64_t s : *strides)
        if (s < 0)
          error("strides must be non-negative, got " + str(s));
    work("the copied element count",
         {op.shape[0], op.shape[1], op.shape[2], op.shape[3]});
    result = op;
    break;
  }
  case fb::Instr::Resize: {
    mnemonic = "resize";
    const auto *t = static_cast<const fb::Resize *>(table);
    isa::Resize op;
    op.kind = enumeration<cost::ResizeMode>("kind", t->kind(), 2);
    op.src = offset("src", t->src());
    op.dst = offset("dst", t->dst());
    op.channels = count("channels", t->channels());
    op.inHw = fixed<2>("in_hw", t->in_hw());
    op.outHw = fixed<2>("out_hw", t->out_hw());
    op.modes = fixed<2>("modes", t->modes());
    op.dtype = dtype(t->dtype());
    if (op.modes[0] < 0 || op.modes[0] > 3 || op.modes[1] < 0 ||
        op.modes[1] > 3)
      error("modes [" + str(op.modes[0]) + ", " + str(op.modes[1]) +
            "] are not valid coordinate/nearest modes (0-3)");
    for (int d = 0; d < 2; ++d)
      if (op.inHw[d] <= 0 || op.outHw[d] <= 0)
        error("sizes must be positive");
    floatType(op.dtype);
    result = op;
    break;
  }
  case fb::Instr::Signal: {
    mnemonic = "signal";
    const auto *t = static_cast<const fb::Signal *>(table);
    isa::Signal op;
    op.token = offset("token", t->token());
    op.engine =
        enumeration<cost::Engine>("engine", t->engine(), cost::kNumEngines);
    result = op;
    break;
  }
  case fb::Instr::Wait: {
    mnemonic = "wait";
    const auto *t = static_cast<const fb::Wait *>(table);
    isa::Wait op;
    op.token = offset("token", t->token());
    op.engine =
        enumeration<cost::Engine>("engine", t->engine(), cost::kNumEngines);
    result = op;
    break;
  }
  case fb::Instr::ExitCheck: {
    mnemonic = "exit_check";
    const auto *t = static_cast<const fb::ExitCheck *>(table);
    isa::ExitCheck op;
    op.src = offset("src", t->src());
    op.classes = count("classes", t->classes());
    op.dtype = dtype(t->dtype());
    op.measure =
        enumeration<cost::ConfidenceMeasure>("measure", t->measure(), 3);
    op.threshold = t->threshold();
    op.exitPathLength = t->exit_path_length();
    if (!(op.threshold >= 0 && op.threshold <= 1))
      error("threshold " + std::to_string(op.threshold) + " must be in [0, 1]");
    if (op.classes < 2)
      error("needs at least 2 classes, got " + str(op.classes));
    if (!isFloat(op.dtype))
      error("logits must be floating point, got " +
            std::string(dtypeName(op.dtype)));
    result = op;
    break;
  }
  case fb::Instr::Escalate: {
    mnemonic = "escalate";
    const auto *t = static_cast<const fb::Escalate *>(table);
    isa::Escalate op;
    op.chip = offset("chip", t->chip());
    peer(op.chip, /*needsLink=*/false);
    result = op;
    break;
  }
  }

  // Every access inside the chip's memories.
  std::vector<MemoryAccess> accesses;
  memoryAccesses(result, accesses);
  for (const MemoryAccess &access : accesses) {
    bool sram = access.space == MemorySpace::SRAM;
    int64_t size = sram ? chip.sramBytes : chip.dramBytes;
    if (access.offset < 0 || access.bytes < 0 || access.offset > size ||
        access.bytes > size - access.offset)
      error(std::string("operand '") + access.what + "' [" +
            str(access.offset) + ", " +
            str(addSat(access.offset, access.bytes)) + ") lies outside the " +
            (sram ? "SRAM" : "DRAM") + " of chip " + str(chip.id) + " (" +
            str(size) + " bytes)");
  }
  return result;
}

/// Checks the structure of a stream (every exit path lies inside its
/// enclosing region and ends with halt; the stream ends with halt; no halt
/// anywhere else) and the token order (the k-th wait on a token has k
/// signals of it before it on its path). Iterative, with an undo log for the
/// token counts of exit paths, so that deep nesting costs neither stack nor
/// quadratic time.
void checkStream(const std::vector<Instruction> &stream,
                 const std::string &where) {
  size_t n = stream.size();
  if (n == 0)
    fail(where + ": the instruction stream is empty (it must end with halt)");
  if (!std::holds_alternative<isa::Halt>(stream.back()))
    fail(where + ": the instruction stream does not end with halt");

  struct Region {
    size_t end;      ///< Index of the region's halt.
    size_t undoMark; ///< Undo-log size when the region was entered.
    size_t check;    ///< Index of the exit check (for messages).
  };
  std::vector<Region> regions = {{n - 1, 0, n}};
  std::map<int64_t, int64_t> signals, waits;
  std::vector<std::pair<int64_t, bool>> undo; // (token, isSignal)

  auto at = [&](size_t i) {
    return where + " instruction " + str(static_cast<int64_t>(i)) + " (" +
           std::string(instructionName(stream[i])) + ")";
  };
  for (size_t i = 0; i < n; ++i) {
    const Instruction &instr = stream[i];
    const Region &region = regions.back();
    if (std::holds_alternative<isa::Halt>(instr)) {
      if (i != region.end)
        fail(at(i) + ": halt does not end the stream or an exit path (the "
                     "instructions after it could never run)");
      // Leave the region: its signals and waits are not on the path after
      // the check.
      while (undo.size() > region.undoMark) {
        auto [token, isSignal] = undo.back();
        undo.pop_back();
        --(isSignal ? signals : waits)[token];
      }
      regions.pop_back();
      continue;
    }
    if (i == region.end)
      fail(where + ": the exit path of the exit check at instruction " +
           str(static_cast<int64_t>(region.check)) + " does not end with halt");
    if (const auto *signal = std::get_if<isa::Signal>(&instr)) {
      ++signals[signal->token];
      undo.push_back({signal->token, true});
    } else if (const auto *wait = std::get_if<isa::Wait>(&instr)) {
      int64_t k = ++waits[wait->token];
      undo.push_back({wait->token, false});
      int64_t have = signals[wait->token];
      if (k > have)
        fail(at(i) + ": is wait " + str(k) + " on token " + str(wait->token) +
             " but only " + str(have) +
             " signal(s) of it precede it on this path");
    } else if (const auto *check = std::get_if<isa::ExitCheck>(&instr)) {
      uint64_t length = check->exitPathLength;
      if (length == 0)
        fail(at(i) + ": exit_path_length must be at least 1 (the exit path "
                     "ends with halt)");
      uint64_t end = static_cast<uint64_t>(i) + length;
      if (end >= region.end) {
        if (regions.size() == 1)
          fail(at(i) + ": exit_path_length " + str(check->exitPathLength) +
               " runs past the end of the stream (" +
               str(static_cast<int64_t>(n)) +
               " instructions, the last being the program's halt)");
        fail(at(i) + ": exit_path_length " + str(check->exitPathLength) +
             " runs past the end of the exit path of the check at "
             "instruction " +
             str(static_cast<int64_t>(region.check)));
      }
      regions.push_back({static_cast<size_t>(end), undo.size(), i});
    }
  }
}

//===----------------------------------------------------------------------===//
// Programs
//===----------------------------------------------------------------------===//

bool parsePath(std::string_view path, uint32_t exitChecks) {
  if (path == "full")
    return true;
  if (path.substr(0, 5) != "exit " || path.size() == 5 || path.size() > 15)
    return false;
  uint64_t n = 0;
  for (char c : path.substr(5)) {
    if (c < '0' || c > '9')
      return false;
    n = n * 10 + static_cast<uint64_t>(c - '0');
  }
  if (path[5] == '0')
    return false; // No leading zeros; "exit 0" does not exist.
  return n >= 1 && n <= exitChecks;
}

/// Most live ranges one checkpoint may list.
constexpr flatbuffers::uoffset_t kMaxLiveRanges = 65536;

/// Decodes one checkpoint of `program` and checks it against the program
/// and its chip (docs/binary-format.md, "Checkpoints").
Checkpoint decodeCheckpoint(const Program &program, const ChipDesc &chip,
                            const SystemDesc &system,
                            const fb::Checkpoint *fc, const std::string &at) {
  Checkpoint cp;
  cp.index = fc->index();
  const size_t n = program.instructions.size();
  for (const Instruction &instr : program.instructions)
    if (std::holds_alternative<isa::ExitCheck>(instr) ||
        std::holds_alternative<isa::Send>(instr) ||
        std::holds_alternative<isa::Recv>(instr) ||
        std::holds_alternative<isa::Escalate>(instr))
      fail(at + ": a program with " + std::string(instructionName(instr)) +
           " has no checkpoint boundaries (its state is not its chip's "
           "alone)");
  if (cp.index == 0 || cp.index >= n)
    fail(at + ": index " + str(cp.index) + " is not inside the stream (1 to " +
         str(static_cast<int64_t>(n) - 1) + ")");
  if (!program.checkpoints.empty() &&
      program.checkpoints.back().index >= cp.index)
    fail(at + ": index " + str(cp.index) + " does not follow the previous " +
         "boundary's " + str(program.checkpoints.back().index));
  cp.issueCycles = fc->issue_cycles();
  cp.drainCycles = fc->drain_cycles();
  cp.drainEnergyFj = fc->drain_energy_fj();
  cp.saveCycles = fc->save_cycles();
  cp.restoreCycles = fc->restore_cycles();
  cp.resumeCycles = fc->resume_cycles();
  cp.resumeEnergyFj = fc->resume_energy_fj();
  for (auto [name, value] :
       {std::pair<const char *, int64_t>{"issue_cycles", cp.issueCycles},
        {"drain_cycles", cp.drainCycles},
        {"drain_energy_fj", cp.drainEnergyFj},
        {"resume_cycles", cp.resumeCycles},
        {"resume_energy_fj", cp.resumeEnergyFj}})
    if (value < 0)
      fail(at + ": field '" + name + "' must be non-negative (got " +
           str(value) + ")");
  if (const auto *live = fc->live()) {
    if (live->size() > kMaxLiveRanges)
      fail(at + ": " + str(live->size()) + " live ranges; at most " +
           str(kMaxLiveRanges) + " are read");
    for (flatbuffers::uoffset_t r = 0; r < live->size(); ++r) {
      const fb::LiveRange *fr = live->Get(r);
      std::string where = at + " live[" + str(r) + "]";
      if (fr->space() > static_cast<uint8_t>(MemorySpace::DRAM))
        fail(where + ": unknown space code " + str(fr->space()) +
             " (0 sram, 1 dram)");
      LiveRange range{static_cast<MemorySpace>(fr->space()), fr->offset(),
                      fr->bytes(), fr->source()};
      bool sram = range.space == MemorySpace::SRAM;
      int64_t size = sram ? program.sramExtent : chip.dramBytes;
      if (range.offset < 0 || range.bytes <= 0 || range.offset > size ||
          range.bytes > size - range.offset)
        fail(where + ": bytes [" + str(range.offset) + ", " +
             str(addSat(range.offset, range.bytes)) + ") are empty or lie " +
             "outside the program's " + (sram ? "SRAM" : "DRAM") + " (" +
             str(size) + " bytes)");
      if (range.source != -1 &&
          (!sram || range.source < 0 || range.source > chip.dramBytes ||
           range.bytes > chip.dramBytes - range.source))
        fail(where + ": source " + str(range.source) +
             " must be -1, or for an SRAM range a DRAM offset with the " +
             "range's bytes inside the DRAM of chip " + str(chip.id));
      if (!cp.live.empty()) {
        const LiveRange &last = cp.live.back();
        if (last.space > range.space ||
            (last.space == range.space &&
             last.offset + last.bytes > range.offset))
          fail(where + ": ranges must be disjoint and sorted by space, then "
                       "offset");
      }
      cp.live.push_back(range);
    }
  }
  int64_t save = checkpointTransferCycles(cp.live, chip, system, false);
  int64_t restore = checkpointTransferCycles(cp.live, chip, system, true);
  if (save < 0 || restore < 0 || cp.saveCycles != save ||
      cp.restoreCycles != restore)
    fail(at + ": save_cycles " + str(cp.saveCycles) + " and restore_cycles " +
         str(cp.restoreCycles) + " must be " + str(save) + " and " +
         str(restore) + ", the cost of copying the live ranges (Model.h, "
         "checkpointTransferCycles)");
  return cp;
}

Program decodeProgram(const Model &model, const fb::Program *fp, size_t p) {
  Program program;
  program.name = fbString(fp->name());
  program.chip = fp->chip();
  std::string where = "program " + quoted(program.name) + " (programs[" +
                      str(static_cast<int64_t>(p)) + "], chip " +
                      str(program.chip) + ")";
  const ChipDesc *chip = model.system.findChip(program.chip);
  if (!chip)
    fail(where + ": chip " + str(program.chip) + " is not in system " +
         quoted(model.system.name));
  for (const Program &other : model.programs)
    if (other.chip == program.chip)
      fail(where + ": chip " + str(program.chip) + " already has a program (" +
           quoted(other.name) + ")");

  ProgramDecoder decoder(model, *chip,
                         "program " + quoted(program.name) + " (chip " +
                             str(program.chip) + ")");
  const auto *types = fp->instructions_type();
  const auto *values = fp->instructions();
  if (types && values) {
    program.instructions.reserve(values->size());
    for (flatbuffers::uoffset_t i = 0; i < values->size(); ++i)
      program.instructions.push_back(
          decoder.decode(i, types->GetEnum<fb::Instr>(i), values->Get(i)));
  }
  checkStream(program.instructions, "program " + quoted(program.name) +
                                        " (chip " + str(program.chip) + ")");

  std::vector<MemoryAccess> accesses;
  for (const Instruction &instr : program.instructions) {
    if (std::holds_alternative<isa::ExitCheck>(instr))
      ++program.exitChecks;
    program.work = addSat(program.work, instructionWork(instr));
    accesses.clear();
    memoryAccesses(instr, accesses);
    for (const MemoryAccess &access : accesses)
      if (access.space == MemorySpace::SRAM)
        program.sramExtent =
            std::max(program.sramExtent, access.offset + access.bytes);
  }

  if (const auto *segments = fp->segments()) {
    for (flatbuffers::uoffset_t i = 0; i < segments->size(); ++i) {
      const fb::Segment *fs = segments->Get(i);
      Segment segment;
      segment.dram = fs->dram();
      if (const auto *data = fs->data())
        segment.data.assign(data->begin(), data->end());
      int64_t bytes = static_cast<int64_t>(segment.data.size());
      if (segment.dram < 0 || segment.dram > chip->dramBytes ||
          bytes > chip->dramBytes - segment.dram)
        fail(where + " segments[" + str(i) + "]: bytes [" + str(segment.dram) +
             ", " + str(addSat(segment.dram, bytes)) +
             ") lie outside the DRAM of chip " + str(chip->id) + " (" +
             str(chip->dramBytes) + " bytes)");
      program.segments.push_back(std::move(segment));
    }
  }

  if (const auto *budgets = fp->budgets()) {
    for (flatbuffers::uoffset_t i = 0; i < budgets->size(); ++i) {
      const fb::Budget *fbudget = budgets->Get(i);
      Budget budget;
      budget.path = fbString(fbudget->path());
      std::string at = where + " budgets[" + str(i) + "]";
      if (!parsePath(budget.path, program.exitChecks))
        fail(at + ": path " + quoted(budget.path) +
             " is neither 'full' nor 'exit N' with N in [1, " +
             str(program.exitChecks) + "]");
      budget.standby = fbudget->standby();
      if (program.findBudget(budget.path, budget.standby))
        fail(at + ": duplicate " + (budget.standby ? "standby " : "") +
             "budget for path " + quoted(budget.path));
      std::vector<int64_t> busy =
          int64s(fbudget->engine_busy(), at + ": engine_busy");
      size_t engines = busy.size();
      if (engines != cost::kNumEngines)
        fail(at + ": field 'engine_busy' must have " + str(cost::kNumEngines) +
             " entries (got " + str(static_cast<int64_t>(engines)) + ")");
      for (int e = 0; e < cost::kNumEngines; ++e)
        budget.engineBusy[e] = busy[e];
      budget.cycles = fbudget->cycles();
      budget.hostBytes = fbudget->host_bytes();
      budget.dramBytes = fbudget->dram_bytes();
      budget.linkBytes = fbudget->link_bytes();
      budget.peakSramBytes = fbudget->peak_sram_bytes();
      budget.energyFj = fbudget->energy_fj();
      budget.peakDramBytes = fbudget->peak_dram_bytes();
      if (budget.peakDramBytes < 0)
        fail(at + ": field 'peak_dram_bytes' must be non-negative (got " +
             str(budget.peakDramBytes) + ")");
      (budget.standby ? program.standbyBudgets : program.budgets)
          .push_back(std::move(budget));
    }
  }
  if (const auto *checkpoints = fp->checkpoints())
    for (flatbuffers::uoffset_t i = 0; i < checkpoints->size(); ++i)
      program.checkpoints.push_back(
          decodeCheckpoint(program, *chip, model.system, checkpoints->Get(i),
                           where + " checkpoints[" + str(i) + "]"));
  return program;
}

//===----------------------------------------------------------------------===//
// Early exit
//===----------------------------------------------------------------------===//

/// Whether instruction i of `stream` lies outside every exit path, i.e. on
/// the program's "full" path (the stream structure has been checked).
std::vector<bool> onFullPath(const std::vector<Instruction> &stream) {
  std::vector<bool> full(stream.size(), false);
  for (size_t i = 0; i < stream.size(); ++i) {
    full[i] = true;
    if (const auto *check = std::get_if<isa::ExitCheck>(&stream[i]))
      i += check->exitPathLength;
  }
  return full;
}

/// Decodes the early-exit table and checks it against the system, the
/// signature and the programs (docs/binary-format.md, "EarlyExit").
EarlyExit decodeEarlyExit(const Model &model, const fb::EarlyExit *fe) {
  const std::string at = "early_exit: ";
  EarlyExit table;
  if (fe->measure() > static_cast<uint8_t>(cost::ConfidenceMeasure::Entropy))
    fail(at + "measure: unknown code " + str(fe->measure()) +
         " (0 max_prob, 1 margin, 2 entropy)");
  table.measure = static_cast<cost::ConfidenceMeasure>(fe->measure());
  if (fe->answer() > static_cast<uint8_t>(AnswerKind::Probabilities))
    fail(at + "answer: unknown code " + str(fe->answer()) +
         " (0 logits, 1 probabilities)");
  table.answer = static_cast<AnswerKind>(fe->answer());
  table.output = fbString(fe->output());
  table.fromChip = fe->from_chip();
  table.toChip = fe->to_chip();
  if (const auto *gates = fe->gates()) {
    for (flatbuffers::uoffset_t i = 0; i < gates->size(); ++i) {
      const fb::ExitGate *fg = gates->Get(i);
      ExitGate gate;
      gate.split = fbString(fg->split());
      gate.threshold = fg->threshold();
      gate.exitRate = fg->exit_rate();
      table.gates.push_back(std::move(gate));
    }
  }
  table.returnThreshold = fe->return_threshold();
  table.idleWindowPs = fe->idle_window_ps();
  table.escalationRate = fe->escalation_rate();
  if (const fb::Calibration *fc = fe->calibration()) {
    table.calibration.samples = fc->samples();
    table.calibration.accuracy = fc->accuracy();
    table.calibration.fullAccuracy = fc->full_accuracy();
    table.calibration.expectedEnergyFj = fc->expected_energy_fj();
    table.calibration.expectedLatencyPs = fc->expected_latency_ps();
  } else {
    fail(at + "calibration: missing");
  }
  std::vector<TargetDiagnostic> diags = validate(table, model.system);
  if (!diags.empty())
    fail(at + diags.front().path + ": " + diags.front().message);

  // The output the cascade answers, produced by the escalated chip.
  int64_t outputIndex = -1;
  std::string names;
  for (size_t o = 0; o < model.outputs.size(); ++o) {
    names += (o ? ", " : "") + model.outputs[o].name;
    if (model.outputs[o].name == table.output)
      outputIndex = static_cast<int64_t>(o);
  }
  if (outputIndex < 0)
    fail(at + "output: " + quoted(table.output) +
         " is not an output of the model (outputs: " +
         (names.empty() ? std::string("none") : names) + ")");

  const Program *from = model.findProgram(table.fromChip);
  if (!from)
    fail(at + "from_chip: chip " + str(table.fromChip) + " has no program");
  const Program *to = model.findProgram(table.toChip);
  if (!to)
    fail(at + "to_chip: chip " + str(table.toChip) + " has no program");
  std::string fromName =
      "program " + quoted(from->name) + " (chip " + str(from->chip) + ")";

  // from_chip's full path escalates to to_chip, which therefore starts
  // asleep.
  std::vector<bool> full = onFullPath(from->instructions);
  bool escalates = false;
  for (size_t i = 0; i < from->instructions.size(); ++i)
    if (const auto *op = std::get_if<isa::Escalate>(&from->instructions[i]))
      escalates |= full[i] && op->chip == table.toChip;
  if (!escalates || !to->startsAsleep)
    fail(at + "to_chip: chip " + str(table.toChip) +
         " is not woken by an escalate on the full path of " + fromName +
         ", so it does not start asleep");

  // One gate per exit check, thresholds equal to the checks' (as f32).
  if (table.gates.size() != from->exitChecks)
    fail(at + "gates: " + str(static_cast<int64_t>(table.gates.size())) +
         " gate(s) but " + fromName + " has " + str(from->exitChecks) +
         " exit check(s)");
  size_t gate = 0;
  for (size_t i = 0; i < from->instructions.size(); ++i) {
    const auto *check = std::get_if<isa::ExitCheck>(&from->instructions[i]);
    if (!check)
      continue;
    double threshold = table.gates[gate].threshold;
    if (static_cast<float>(threshold) != check->threshold)
      fail(at + "gates[" + str(static_cast<int64_t>(gate)) +
           "].threshold: " + std::to_string(threshold) +
           " differs from the threshold " + std::to_string(check->threshold) +
           " of exit check " + str(static_cast<int64_t>(gate + 1)) + " (" +
           fromName + " instruction " + str(static_cast<int64_t>(i)) + ")");
    ++gate;
  }

  bool stores = false;
  for (const Instruction &instr : to->instructions)
    if (const auto *op = std::get_if<isa::StoreOutput>(&instr))
      stores |= static_cast<int64_t>(op->output) == outputIndex;
  if (!stores)
    fail(at + "output: program " + quoted(to->name) + " (chip " +
         str(to->chip) + ") never stores " + quoted(table.output));
  return table;
}

Model decodeModel(const fb::Model *fm) {
  Model model;
  model.version = fm->version();
  model.name = fbString(fm->name());
  model.system = decodeSystem(fm->system());
  model.inputs = decodeSignatures(fm->inputs(), "inputs");
  model.outputs = decodeSignatures(fm->outputs(), "outputs");
  const auto *programs = fm->programs();
  if (!programs || programs->size() == 0)
    fail("the model has no programs");
  for (flatbuffers::uoffset_t p = 0; p < programs->size(); ++p)
    model.programs.push_back(decodeProgram(model, programs->Get(p), p));

  if (model.programs.size() > 1)
    for (const Program &program : model.programs)
      if (!program.checkpoints.empty())
        fail("program " + quoted(program.name) + " (chip " +
             str(program.chip) +
             "): checkpoints in a model of several programs (a checkpoint "
             "holds one chip's state only)");

  // Escalation targets start asleep (docs/execution-model.md).
  std::set<int64_t> targets;
  for (const Program &program : model.programs)
    for (const Instruction &instr : program.instructions)
      if (const auto *escalate = std::get_if<isa::Escalate>(&instr))
        targets.insert(escalate->chip);
  for (size_t p = 0; p < model.programs.size(); ++p) {
    Program &program = model.programs[p];
    program.startsAsleep = targets.count(program.chip) != 0;
    // A standby start needs a chip that sleeps.
    if (program.startsAsleep || program.standbyBudgets.empty())
      continue;
    const auto *budgets =
        programs->Get(static_cast<flatbuffers::uoffset_t>(p))->budgets();
    flatbuffers::uoffset_t first = 0;
    while (!budgets->Get(first)->standby())
      ++first;
    fail("program " + quoted(program.name) + " (programs[" +
         str(static_cast<int64_t>(p)) + "], chip " + str(program.chip) +
         ") budgets[" + str(first) +
         "]: a standby budget, but no escalate targets chip " +
         str(program.chip) + ", so it never starts asleep");
  }

  if (const fb::Stream *fs = fm->stream()) {
    StreamBudget stream;
    stream.intervalPs = fs->interval_ps();
    stream.latencyPs = int64s(fs->latency_ps(), "stream: latency_ps");
    if (stream.intervalPs <= 0)
      fail("stream: interval_ps must be positive (got " +
           str(stream.intervalPs) + ")");
    if (stream.latencyPs.empty())
      fail("stream: latency_ps is empty");
    for (size_t i = 0; i < stream.latencyPs.size(); ++i)
      if (stream.latencyPs[i] <= 0)
        fail("stream: latency_ps[" + str(static_cast<int64_t>(i)) +
             "] must be positive (got " + str(stream.latencyPs[i]) + ")");
    if (!targets.empty())
      fail("stream: a model with escalations has no stream budget");
    model.stream = std::move(stream);
  }
  if (const fb::EarlyExit *table = fm->early_exit())
    model.earlyExit = decodeEarlyExit(model, table);
  return model;
}

std::string describeIdentifier(const uint8_t *id) {
  std::string text;
  bool printable = true;
  for (int i = 0; i < 4; ++i)
    printable &= id[i] >= 0x20 && id[i] < 0x7f;
  if (printable)
    return quoted(std::string(reinterpret_cast<const char *>(id), 4));
  static const char kHex[] = "0123456789abcdef";
  text = "0x";
  for (int i = 0; i < 4; ++i) {
    text += kHex[id[i] >> 4];
    text += kHex[id[i] & 15];
  }
  return text;
}

/// FNV-1a, 64 bits, over the binary's little-endian 8-byte words, then its
/// last bytes one at a time (a word at a time keeps loading fast).
uint64_t fingerprintOf(const uint8_t *data, size_t size) {
  constexpr uint64_t kPrime = 0x100000001b3ull;
  uint64_t hash = 0xcbf29ce484222325ull;
  size_t i = 0;
  for (; i + 8 <= size; i += 8) {
    uint64_t word;
    std::memcpy(&word, data + i, 8);
    hash = (hash ^ word) * kPrime;
  }
  for (; i < size; ++i)
    hash = (hash ^ data[i]) * kPrime;
  return hash;
}

LoadResult failure(std::string message) {
  LoadResult result;
  result.error = std::move(message);
  return result;
}

} // namespace

LoadResult loadModel(const uint8_t *data, size_t size) {
  constexpr size_t kMinSize = 2 * sizeof(flatbuffers::uoffset_t);
  if (!data && size)
    return failure("no data");
  if (size < kMinSize)
    return failure("file too small: " + str(static_cast<int64_t>(size)) +
                   " bytes (a .npub file has at least " +
                   str(static_cast<int64_t>(kMinSize)) + ")");
  if (size >= FLATBUFFERS_MAX_BUFFER_SIZE)
    return failure("file too large: " + str(static_cast<int64_t>(size)) +
                   " bytes (FlatBuffers files are below 2 GiB)");
  if (!fb::ModelBufferHasIdentifier(data))
    return failure("wrong file identifier " +
                   describeIdentifier(data + sizeof(flatbuffers::uoffset_t)) +
                   " (expected 'NPUB'): not a .npub file");

  try {
    // FlatBuffers reads scalars in place: give it an 8-byte aligned copy
    // when the caller's bytes are not aligned.
    std::unique_ptr<uint64_t[]> aligned;
    const uint8_t *buf = data;
    if (reinterpret_cast<uintptr_t>(data) % alignof(uint64_t) != 0) {
      aligned.reset(new uint64_t[(size + 7) / 8]);
      std::memcpy(aligned.get(), data, size);
      buf = reinterpret_cast<const uint8_t *>(aligned.get());
    }

    flatbuffers::Verifier verifier(buf, size, verifierOptions());
    if (!fb::VerifyModelBuffer(verifier))
      return failure(diagnoseVerifierFailure(buf, size));
    const fb::Model *fm = fb::GetModel(buf);
    if (fm->version() != kFormatVersion)
      return failure("unsupported format version " + str(fm->version()) +
                     " (this runtime reads " + str(kFormatVersion) + ")");
    LoadResult result;
    result.model = decodeModel(fm);
    result.model->fingerprint = fingerprintOf(data, size);
    return result;
  } catch (const LoadError &error) {
    return failure(error.message);
  } catch (const std::bad_alloc &) {
    return failure("out of memory while loading the model");
  }
}

LoadResult loadModelFile(const std::string &path) {
  std::vector<uint8_t> bytes;
  std::string error;
  if (!readRegularFile(path, bytes, error))
    return failure(error);
  LoadResult result = loadModel(bytes.data(), bytes.size());
  if (!result.ok())
    result.error = path + ": " + result.error;
  return result;
}

} // namespace npu::rt
