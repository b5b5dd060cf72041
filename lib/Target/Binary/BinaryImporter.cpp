//===- BinaryImporter.cpp - Translation: .npub -> npuisa module -----------===//
//
// Backs `npu-translate --npub-to-mlir`, the disassembler used by tests and
// for inspecting binaries. The input is untrusted: the FlatBuffers verifier
// runs before any field is read (and, when it fails, is re-run piece by
// piece to name the failing part), then every value is checked before it
// becomes IR, and the rebuilt module goes through the IR verifier. Every
// problem is a diagnostic; nothing on this path asserts.
//
//===----------------------------------------------------------------------===//

#include "npu/Dialect/NPU/NPUDialect.h"
#include "npu/Dialect/NPUISA/NPUISAOps.h"
#include "npu/Target/Binary.h"
#include "npu/rt/Model.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"

#include "NpubSchema.h"

#include <cctype>
#include <cstring>

using namespace mlir;
using namespace mlir::npu;
namespace fb = ::npu::fb;
namespace rt = ::npu::rt;
namespace cost = ::npu::rt::cost;

namespace {

using Int64Vector = flatbuffers::Vector<int64_t>;

/// The generated tables inherit flatbuffers::Table privately; its public
/// field checks are what the piecewise verification needs.
template <typename T> const flatbuffers::Table *asTable(const T *table) {
  return reinterpret_cast<const flatbuffers::Table *>(table);
}

/// Verifier options for a buffer of `size` bytes. Every table takes at least
/// 4 bytes, so `size / 4` tables bound the verifier's work by the size of
/// the file while letting large programs (more than the default one million
/// instructions) through.
flatbuffers::Verifier::Options verifierOptions(size_t size) {
  flatbuffers::Verifier::Options options;
  options.max_tables = std::max<flatbuffers::uoffset_t>(
      options.max_tables, static_cast<flatbuffers::uoffset_t>(size / 4));
  return options;
}

/// Re-runs the checks of the generated Model::Verify in the same order, one
/// part at a time, and names the first part that fails ("programs[1]
/// .instructions[7] (MatMul)"). Called only after the full verifier failed.
/// As in the generated code, a field's offset is verified before the field
/// is read: reading it first could read past the end of the buffer.
std::string locateVerifierFailure(const uint8_t *data, size_t size) {
  flatbuffers::Verifier v(data, size, verifierOptions(size));
  if (!v.VerifyOffset(0))
    return "the root offset (bytes 0-3)";
  const fb::Model *model = fb::GetModel(data);
  const flatbuffers::Table *mt = asTable(model);
  if (!mt->VerifyTableStart(v))
    return "the root Model table";
  if (!mt->VerifyField<uint32_t>(v, fb::Model::VT_VERSION, 4))
    return "Model.version";
  if (!mt->VerifyOffset(v, fb::Model::VT_NAME) ||
      !v.VerifyString(model->name()))
    return "Model.name";
  if (!mt->VerifyOffset(v, fb::Model::VT_SYSTEM) ||
      !v.VerifyTable(model->system()))
    return "Model.system";

  // A vector of tables in field `field` of `table`, read by `get`.
  auto tables = [&](const flatbuffers::Table *table,
                    flatbuffers::voffset_t field, auto get,
                    const std::string &name) -> std::string {
    if (!table->VerifyOffset(v, field))
      return name;
    auto *vector = get();
    if (!v.VerifyVector(vector))
      return name;
    for (flatbuffers::uoffset_t i = 0; vector && i < vector->size(); ++i)
      if (!v.VerifyTable(vector->Get(i)))
        return name + "[" + std::to_string(i) + "]";
    return "";
  };
  if (std::string where = tables(
          mt, fb::Model::VT_INPUTS, [&] { return model->inputs(); },
          "Model.inputs");
      !where.empty())
    return where;
  if (std::string where = tables(
          mt, fb::Model::VT_OUTPUTS, [&] { return model->outputs(); },
          "Model.outputs");
      !where.empty())
    return where;

  if (!mt->VerifyOffset(v, fb::Model::VT_PROGRAMS) ||
      !v.VerifyVector(model->programs()))
    return "Model.programs";
  auto *programs = model->programs();
  for (flatbuffers::uoffset_t p = 0; programs && p < programs->size(); ++p) {
    std::string at = "Model.programs[" + std::to_string(p) + "]";
    const fb::Program *program = programs->Get(p);
    const flatbuffers::Table *pt = asTable(program);
    if (!pt->VerifyTableStart(v))
      return at;
    if (!pt->VerifyOffset(v, fb::Program::VT_NAME) ||
        !v.VerifyString(program->name()))
      return at + ".name";
    if (!pt->VerifyField<int64_t>(v, fb::Program::VT_CHIP, 8))
      return at + ".chip";
    if (!pt->VerifyOffset(v, fb::Program::VT_INSTRUCTIONS_TYPE) ||
        !v.VerifyVector(program->instructions_type()))
      return at + ".instructions_type";
    if (!pt->VerifyOffset(v, fb::Program::VT_INSTRUCTIONS) ||
        !v.VerifyVector(program->instructions()))
      return at + ".instructions";
    auto *types = program->instructions_type();
    auto *instrs = program->instructions();
    if (!types != !instrs || (types && types->size() != instrs->size()))
      return at + ".instructions (" +
             std::to_string(instrs ? instrs->size() : 0) + " entries against " +
             std::to_string(types ? types->size() : 0) +
             " in instructions_type)";
    for (flatbuffers::uoffset_t i = 0; instrs && i < instrs->size(); ++i) {
      fb::Instr type = types->GetEnum<fb::Instr>(i);
      if (!fb::VerifyInstr(v, instrs->Get(i), type))
        return at + ".instructions[" + std::to_string(i) + "] (" +
               fb::EnumNameInstr(type) + ")";
    }
    if (std::string where = tables(
            pt, fb::Program::VT_SEGMENTS, [&] { return program->segments(); },
            at + ".segments");
        !where.empty())
      return where;
    if (std::string where = tables(
            pt, fb::Program::VT_BUDGETS, [&] { return program->budgets(); },
            at + ".budgets");
        !where.empty())
      return where;
    if (std::string where = tables(
            pt, fb::Program::VT_CHECKPOINTS,
            [&] { return program->checkpoints(); }, at + ".checkpoints");
        !where.empty())
      return where;
    v.EndTable();
  }
  if (!mt->VerifyOffset(v, fb::Model::VT_STREAM) ||
      !v.VerifyTable(model->stream()))
    return "Model.stream";
  if (!mt->VerifyOffset(v, fb::Model::VT_EARLY_EXIT))
    return "Model.early_exit";
  if (const fb::EarlyExit *table = model->early_exit()) {
    const flatbuffers::Table *et = asTable(table);
    if (!et->VerifyTableStart(v))
      return "Model.early_exit";
    if (!et->VerifyOffset(v, fb::EarlyExit::VT_OUTPUT) ||
        !v.VerifyString(table->output()))
      return "Model.early_exit.output";
    if (std::string where = tables(
            et, fb::EarlyExit::VT_GATES, [&] { return table->gates(); },
            "Model.early_exit.gates");
        !where.empty())
      return where;
    if (!et->VerifyOffset(v, fb::EarlyExit::VT_CALIBRATION) ||
        !v.VerifyTable(table->calibration()))
      return "Model.early_exit.calibration";
    v.EndTable();
  }
  v.EndTable();
  return "an unidentified part of the buffer";
}

/// The four identifier bytes as text, with non-printable bytes escaped.
std::string describeIdentifier(const uint8_t *bytes) {
  std::string text;
  for (int i = 0; i < 4; ++i) {
    if (std::isprint(bytes[i]) && bytes[i] != '\'' && bytes[i] != '\\') {
      text += static_cast<char>(bytes[i]);
    } else {
      static const char *hex = "0123456789abcdef";
      text += "\\x";
      text += hex[bytes[i] >> 4];
      text += hex[bytes[i] & 15];
    }
  }
  return text;
}

class Importer {
public:
  Importer(MLIRContext *context, Location fileLoc, ArrayRef<uint8_t> bytes)
      : context(context), fileLoc(fileLoc), bytes(bytes), builder(context) {}

  OwningOpRef<ModuleOp> run();

private:
  /// An error about part `where` of the binary.
  InFlightDiagnostic error(const Twine &where) {
    return emitError(fileLoc) << where << ": ";
  }
  Location locOf(const Twine &where) {
    return NameLoc::get(StringAttr::get(context, where), fileLoc);
  }

  LogicalResult checkEnvelope();
  LogicalResult verifierFailure() {
    return emitError(fileLoc)
           << "malformed .npub binary: FlatBuffers verification failed in "
           << locateVerifierFailure(bytes.data(), bytes.size())
           << " (an offset, vector or string there lies outside the "
           << bytes.size() << "-byte file, is misaligned, or nests too deep)";
  }
  FailureOr<rt::SystemDesc> readSystem(const fb::System *system);
  FailureOr<ArrayAttr>
  readSignature(const flatbuffers::Vector<flatbuffers::Offset<fb::Tensor>> *,
                StringRef field, SmallVectorImpl<std::string> &names);
  FailureOr<npuisa::ProgramOp> readProgram(const fb::Program *program,
                                           size_t index, ModuleOp module);
  LogicalResult readInstructions(const fb::Program *program,
                                 const std::string &at, Block &body);
  LogicalResult readInstr(fb::Instr type, const void *table,
                          const std::string &where, Location loc,
                          Operation *&created);
  FailureOr<ArrayAttr> readSegments(const fb::Program *program,
                                    const std::string &at);
  /// The ordinary budgets, or those of standby starts.
  FailureOr<ArrayAttr> readCheckpoints(const fb::Program *program,
                                       const std::string &at);
  FailureOr<ArrayAttr> readBudgets(const fb::Program *program,
                                   const std::string &at, bool standby);
  FailureOr<DictionaryAttr> readEarlyExit(const fb::EarlyExit *table);
  LogicalResult checkRebuilt(ModuleOp module,
                             ArrayRef<npuisa::ProgramOp> programs);

  /// The values of a vector field (none when it is absent). The FlatBuffers
  /// verifier (2.0) checks a vector's length field but not that 8-byte
  /// elements are 8-byte aligned, and reading a misaligned int64 is
  /// undefined behaviour; the runtime's loader refuses the same vectors. The
  /// bytes are 8-byte aligned (importBinary), so the address tells the
  /// alignment inside the file.
  FailureOr<SmallVector<int64_t>>
  int64s(const Int64Vector *vector, StringRef field, const std::string &where) {
    SmallVector<int64_t> values;
    if (!vector)
      return values;
    if (reinterpret_cast<uintptr_t>(vector->Data()) % alignof(int64_t) != 0) {
      error(where) << "'" << field << "' is not 8-byte aligned (corrupt file)";
      return failure();
    }
    values.assign(vector->begin(), vector->end());
    return values;
  }

  /// A vector field that must hold exactly `n` values.
  FailureOr<SmallVector<int64_t>> fixed(const Int64Vector *vector, size_t n,
                                        StringRef field,
                                        const std::string &where) {
    size_t have = vector ? vector->size() : 0;
    if (have != n) {
      error(where) << "'" << field << "' has " << have
                   << " element(s); expected " << n;
      return failure();
    }
    return int64s(vector, field, where);
  }

  /// An enum field, checked against the values the npuisa enum defines.
  template <typename E>
  FailureOr<E> enumField(uint8_t value, std::optional<E> decoded,
                         StringRef field, const std::string &where) {
    if (!decoded) {
      error(where) << "'" << field << "' has the invalid code "
                   << static_cast<unsigned>(value);
      return failure();
    }
    return *decoded;
  }

  MLIRContext *context;
  Location fileLoc;
  ArrayRef<uint8_t> bytes;
  OpBuilder builder;
  const fb::Model *model = nullptr;
  SmallVector<std::string> inputNames, outputNames;
};

} // namespace

LogicalResult Importer::checkEnvelope() {
  size_t size = bytes.size();
  if (size == 0)
    return emitError(fileLoc) << "empty file; expected a .npub binary";
  // A root offset and the file identifier come first.
  if (size < 8)
    return emitError(fileLoc)
           << "file is " << size
           << " bytes, too short for a .npub binary (its header alone takes "
              "8 bytes)";
  if (size >= FLATBUFFERS_MAX_BUFFER_SIZE)
    return emitError(fileLoc)
           << "file is " << size << " bytes; a .npub binary is less than 2 GiB";
  if (!fb::ModelBufferHasIdentifier(bytes.data()))
    return emitError(fileLoc)
           << "not a .npub binary: file identifier (bytes 4-7) is '"
           << describeIdentifier(bytes.data() + 4) << "', expected '"
           << fb::ModelIdentifier() << "'";

  // The version decides how the rest is laid out, so it is read (after
  // verifying just the root table and that field) before the full check.
  {
    flatbuffers::Verifier v(bytes.data(), size, verifierOptions(size));
    const fb::Model *root = fb::GetModel(bytes.data());
    if (!v.VerifyOffset(0) || !asTable(root)->VerifyTableStart(v) ||
        !asTable(root)->VerifyField<uint32_t>(v, fb::Model::VT_VERSION, 4))
      return verifierFailure();
    if (root->version() != kBinaryFormatVersion)
      return emitError(fileLoc)
             << "unsupported .npub format version " << root->version()
             << "; this build reads version " << kBinaryFormatVersion;
  }

  flatbuffers::Verifier verifier(bytes.data(), size, verifierOptions(size));
  if (!fb::VerifyModelBuffer(verifier))
    return verifierFailure();
  model = fb::GetModel(bytes.data());
  return success();
}

FailureOr<rt::SystemDesc> Importer::readSystem(const fb::System *system) {
  if (!system) {
    emitError(fileLoc) << "the binary has no system description "
                          "(Model.system)";
    return failure();
  }
  rt::SystemDesc desc;
  bool hasErrors = false;
  auto report = [&](const std::string &path) {
    hasErrors = true;
    return error("system." + path);
  };
  desc.name = system->name() ? system->name()->str() : "";
  if (system->topology() > static_cast<uint8_t>(rt::Topology::Mesh))
    report("topology") << "unknown topology code "
                       << static_cast<unsigned>(system->topology())
                       << " (0 = switch, 1 = mesh)";
  else
    desc.topology = static_cast<rt::Topology>(system->topology());
  if (auto dims = int64s(system->mesh_dims(), "mesh_dims", "system");
      succeeded(dims))
    desc.meshDims.assign(dims->begin(), dims->end());
  else
    hasErrors = true;
  if (auto *chips = system->chips()) {
    for (flatbuffers::uoffset_t i = 0; i < chips->size(); ++i) {
      const fb::Chip *chip = chips->Get(i);
      std::string path = "chips[" + std::to_string(i) + "]";
      rt::ChipDesc c;
      c.id = chip->id();
      c.name = chip->name() ? chip->name()->str() : "";
      if (chip->kind() > static_cast<uint8_t>(rt::ChipKind::Conv))
        report(path + ".kind")
            << "unknown chip kind code " << static_cast<unsigned>(chip->kind());
      else
        c.kind = static_cast<rt::ChipKind>(chip->kind());
      if (chip->caps() & ~rt::kAllCapabilities)
        report(path + ".caps")
            << "unknown capability bits 0x"
            << llvm::utohexstr(chip->caps() & ~rt::kAllCapabilities);
      c.caps = chip->caps() & rt::kAllCapabilities;
      c.macRows = chip->mac_rows();
      c.macCols = chip->mac_cols();
      c.vectorLanes = chip->vector_lanes();
      c.sramBytes = chip->sram_bytes();
      c.dramBytes = chip->dram_bytes();
      c.dramBytesPerCycle = chip->dram_bytes_per_cycle();
      c.clockMhz = chip->clock_mhz();
      if (const fb::Power *power = chip->power())
        c.power = {power->active_mw(), power->idle_mw(), power->off_mw(),
                   power->wake_cycles(), power->wake_energy_nj()};
      else
        report(path + ".power") << "missing";
      if (auto coord = int64s(chip->coord(), "coord", "system." + path);
          succeeded(coord))
        c.coord.assign(coord->begin(), coord->end());
      else
        hasErrors = true;
      desc.chips.push_back(std::move(c));
    }
  }
  if (auto *links = system->links())
    for (const fb::Link *link : *links)
      desc.links.push_back(
          {link->a(), link->b(), link->bandwidth_gbps(), link->latency_ns()});
  desc.host = {system->host_bandwidth_gbps(), system->host_latency_ns()};
  if (hasErrors)
    return failure();
  // The one rule set for descriptions, as for IR text, presets and files.
  for (const rt::TargetDiagnostic &diag : rt::validate(desc))
    report(diag.path) << diag.message;
  if (hasErrors)
    return failure();
  return desc;
}

FailureOr<ArrayAttr> Importer::readSignature(
    const flatbuffers::Vector<flatbuffers::Offset<fb::Tensor>> *tensors,
    StringRef field, SmallVectorImpl<std::string> &names) {
  SmallVector<Attribute> sigs;
  for (flatbuffers::uoffset_t i = 0; tensors && i < tensors->size(); ++i) {
    const fb::Tensor *tensor = tensors->Get(i);
    std::string where = (field + "[" + Twine(i) + "]").str();
    if (!tensor->name() || tensor->name()->size() == 0) {
      error(where) << "tensor has no name";
      return failure();
    }
    Type element;
    switch (tensor->dtype()) {
    case static_cast<uint8_t>(cost::DType::F32):
      element = Float32Type::get(context);
      break;
    case static_cast<uint8_t>(cost::DType::F16):
      element = Float16Type::get(context);
      break;
    case static_cast<uint8_t>(cost::DType::BF16):
      element = BFloat16Type::get(context);
      break;
    case static_cast<uint8_t>(cost::DType::I8):
      element = IntegerType::get(context, 8);
      break;
    case static_cast<uint8_t>(cost::DType::UI8):
      element = IntegerType::get(context, 8, IntegerType::Unsigned);
      break;
    case static_cast<uint8_t>(cost::DType::I32):
      element = IntegerType::get(context, 32);
      break;
    default:
      error(where) << "'dtype' has the invalid code "
                   << static_cast<unsigned>(tensor->dtype());
      return failure();
    }
    SmallVector<int64_t> shape;
    int64_t bytes =
        cost::elementBytes(static_cast<cost::DType>(tensor->dtype()));
    FailureOr<SmallVector<int64_t>> dims =
        int64s(tensor->shape(), "shape", where);
    if (failed(dims))
      return failure();
    for (int64_t dim : *dims) {
      if (dim < 0) {
        error(where) << "'shape' has the negative extent " << dim;
        return failure();
      }
      if (llvm::MulOverflow(bytes, dim, bytes)) {
        error(where) << "'shape' describes more than 2^63 bytes";
        return failure();
      }
      shape.push_back(dim);
    }
    names.push_back(tensor->name()->str());
    sigs.push_back(TensorSigAttr::get(context, names.back(),
                                      RankedTensorType::get(shape, element)));
  }
  return ArrayAttr::get(context, sigs);
}

LogicalResult Importer::readInstr(fb::Instr type, const void *table,
                                  const std::string &where, Location loc,
                                  Operation *&created) {
  using namespace npuisa;
  auto dtypeOf = [&](uint8_t value) {
    return enumField(value, symbolizeDType(value), "dtype", where);
  };
  switch (type) {
  case fb::Instr::Halt:
    created = HaltOp::create(builder, loc);
    return success();
  case fb::Instr::LoadInput: {
    auto *t = static_cast<const fb::LoadInput *>(table);
    if (t->input() >= inputNames.size())
      return error(where) << "'input' is " << t->input()
                          << " but the model has " << inputNames.size()
                          << " input(s)";
    created = LoadInputOp::create(builder, loc, inputNames[t->input()],
                                  t->offset(), t->dram(), t->bytes());
    return success();
  }
  case fb::Instr::StoreOutput: {
    auto *t = static_cast<const fb::StoreOutput *>(table);
    if (t->output() >= outputNames.size())
      return error(where) << "'output' is " << t->output()
                          << " but the model has " << outputNames.size()
                          << " output(s)";
    created = StoreOutputOp::create(builder, loc, outputNames[t->output()],
                                    t->offset(), t->dram(), t->bytes());
    return success();
  }
  case fb::Instr::DmaIn: {
    auto *t = static_cast<const fb::DmaIn *>(table);
    auto strides = fixed(t->strides(), 2, "strides", where);
    if (failed(strides))
      return failure();
    created = DmaInOp::create(builder, loc, t->dram(), t->sram(), t->rows(),
                              t->row_bytes(), *strides);
    return success();
  }
  case fb::Instr::DmaOut: {
    auto *t = static_cast<const fb::DmaOut *>(table);
    auto strides = fixed(t->strides(), 2, "strides", where);
    if (failed(strides))
      return failure();
    created = DmaOutOp::create(builder, loc, t->sram(), t->dram(), t->rows(),
                               t->row_bytes(), *strides);
    return success();
  }
  case fb::Instr::Send: {
    auto *t = static_cast<const fb::Send *>(table);
    created = SendOp::create(builder, loc, t->sram(), t->bytes(), t->chip(),
                             t->channel());
    return success();
  }
  case fb::Instr::Recv: {
    auto *t = static_cast<const fb::Recv *>(table);
    created = RecvOp::create(builder, loc, t->sram(), t->bytes(), t->chip(),
                             t->channel());
    return success();
  }
  case fb::Instr::MatMul: {
    auto *t = static_cast<const fb::MatMul *>(table);
    auto lds = fixed(t->lds(), 3, "lds", where);
    auto dtype = dtypeOf(t->dtype());
    if (failed(lds) || failed(dtype))
      return failure();
    created = MatMulOp::create(builder, loc, t->a(), t->b(), t->c(), t->m(),
                               t->k(), t->n(), *lds, *dtype, t->accumulate());
    return success();
  }
  case fb::Instr::Conv: {
    auto *t = static_cast<const fb::Conv *>(table);
    auto inHW = fixed(t->in_hw(), 2, "in_hw", where);
    if (failed(inHW))
      return failure();
    auto outHW = fixed(t->out_hw(), 2, "out_hw", where);
    if (failed(outHW))
      return failure();
    auto outRows = fixed(t->out_rows(), 2, "out_rows", where);
    if (failed(outRows))
      return failure();
    auto kernel = fixed(t->kernel(), 2, "kernel", where);
    if (failed(kernel))
      return failure();
    auto strides = fixed(t->strides(), 2, "strides", where);
    if (failed(strides))
      return failure();
    auto pads = fixed(t->pads(), 4, "pads", where);
    if (failed(pads))
      return failure();
    auto dilations = fixed(t->dilations(), 2, "dilations", where);
    if (failed(dilations))
      return failure();
    auto dtype = dtypeOf(t->dtype());
    if (failed(dtype))
      return failure();
    created =
        ConvOp::create(builder, loc, t->input(), t->weight(), t->output(),
                       t->channels(), *inHW, t->out_channels(), *outHW,
                       *outRows, *kernel, *strides, *pads, *dilations, *dtype);
    return success();
  }
  case fb::Instr::Vector: {
    auto *t = static_cast<const fb::Vector *>(table);
    auto kind =
        enumField(t->kind(), symbolizeVectorOpKind(t->kind()), "kind", where);
    auto dtype = dtypeOf(t->dtype());
    if (failed(kind) || failed(dtype))
      return failure();
    IntegerAttr b;
    DenseI64ArrayAttr bcast;
    if (t->has_b()) {
      auto values = fixed(t->b_bcast(), 2, "b_bcast", where);
      if (failed(values))
        return failure();
      b = builder.getI64IntegerAttr(t->b());
      bcast = builder.getDenseI64ArrayAttr(*values);
    } else if (t->b() != 0 || (t->b_bcast() && t->b_bcast()->size() != 0)) {
      return error(where) << "has 'b' or 'b_bcast' but 'has_b' is false";
    }
    created = VectorOp::create(builder, loc, *kind, t->a(), b, bcast, t->dst(),
                               t->count(), *dtype, APFloat(t->alpha()),
                               APFloat(t->beta()));
    return success();
  }
  case fb::Instr::Fill: {
    auto *t = static_cast<const fb::Fill *>(table);
    auto dtype = dtypeOf(t->dtype());
    if (failed(dtype))
      return failure();
    created = FillOp::create(builder, loc, t->dst(), t->count(),
                             APFloat(t->value()), *dtype);
    return success();
  }
  case fb::Instr::Reduce: {
    auto *t = static_cast<const fb::Reduce *>(table);
    auto kind =
        enumField(t->kind(), symbolizeReduceKind(t->kind()), "kind", where);
    auto shape = fixed(t->shape(), 3, "shape", where);
    auto dtype = dtypeOf(t->dtype());
    if (failed(kind) || failed(shape) || failed(dtype))
      return failure();
    created = ReduceOp::create(builder, loc, *kind, t->src(), t->dst(), *shape,
                               *dtype);
    return success();
  }
  case fb::Instr::Pool: {
    auto *t = static_cast<const fb::Pool *>(table);
    auto kind =
        enumField(t->kind(), symbolizePoolKind(t->kind()), "kind", where);
    if (failed(kind))
      return failure();
    auto inHW = fixed(t->in_hw(), 2, "in_hw", where);
    if (failed(inHW))
      return failure();
    auto outHW = fixed(t->out_hw(), 2, "out_hw", where);
    if (failed(outHW))
      return failure();
    auto kernel = fixed(t->kernel(), 2, "kernel", where);
    if (failed(kernel))
      return failure();
    auto strides = fixed(t->strides(), 2, "strides", where);
    if (failed(strides))
      return failure();
    auto pads = fixed(t->pads(), 4, "pads", where);
    if (failed(pads))
      return failure();
    auto dilations = fixed(t->dilations(), 2, "dilations", where);
    if (failed(dilations))
      return failure();
    auto dtype = dtypeOf(t->dtype());
    if (failed(dtype))
      return failure();
    created = PoolOp::create(builder, loc, *kind, t->src(), t->dst(),
                             t->channels(), *inHW, *outHW, *kernel, *strides,
                             *pads, *dilations, *dtype, t->count_include_pad());
    return success();
  }
  case fb::Instr::Copy: {
    auto *t = static_cast<const fb::Copy *>(table);
    auto shape = fixed(t->shape(), 4, "shape", where);
    if (failed(shape))
      return failure();
    auto srcStrides = fixed(t->src_strides(), 4, "src_strides", where);
    if (failed(srcStrides))
      return failure();
    auto dstStrides = fixed(t->dst_strides(), 4, "dst_strides", where);
    if (failed(dstStrides))
      return failure();
    auto dtype = dtypeOf(t->dtype());
    if (failed(dtype))
      return failure();
    created = CopyOp::create(builder, loc, t->src(), t->dst(), *shape,
                             *srcStrides, *dstStrides, *dtype);
    return success();
  }
  case fb::Instr::Resize: {
    auto *t = static_cast<const fb::Resize *>(table);
    auto kind =
        enumField(t->kind(), symbolizeResizeKind(t->kind()), "kind", where);
    if (failed(kind))
      return failure();
    auto inHW = fixed(t->in_hw(), 2, "in_hw", where);
    if (failed(inHW))
      return failure();
    auto outHW = fixed(t->out_hw(), 2, "out_hw", where);
    if (failed(outHW))
      return failure();
    auto modes = fixed(t->modes(), 2, "modes", where);
    if (failed(modes))
      return failure();
    auto dtype = dtypeOf(t->dtype());
    if (failed(dtype))
      return failure();
    created = ResizeOp::create(builder, loc, *kind, t->src(), t->dst(),
                               t->channels(), *inHW, *outHW, *modes, *dtype);
    return success();
  }
  case fb::Instr::Signal: {
    auto *t = static_cast<const fb::Signal *>(table);
    auto engine =
        enumField(t->engine(), symbolizeEngine(t->engine()), "engine", where);
    if (failed(engine))
      return failure();
    created = SignalOp::create(builder, loc, t->token(), *engine);
    return success();
  }
  case fb::Instr::Wait: {
    auto *t = static_cast<const fb::Wait *>(table);
    auto engine =
        enumField(t->engine(), symbolizeEngine(t->engine()), "engine", where);
    if (failed(engine))
      return failure();
    created = WaitOp::create(builder, loc, t->token(), *engine);
    return success();
  }
  case fb::Instr::ExitCheck: {
    auto *t = static_cast<const fb::ExitCheck *>(table);
    auto dtype = dtypeOf(t->dtype());
    auto measure = enumField(t->measure(), symbolizeMeasure(t->measure()),
                             "measure", where);
    if (failed(dtype) || failed(measure))
      return failure();
    auto check = ExitCheckOp::create(builder, loc, t->src(), t->classes(),
                                     *dtype, *measure, APFloat(t->threshold()));
    check.getExitPath().emplaceBlock();
    created = check;
    return success();
  }
  case fb::Instr::Escalate: {
    auto *t = static_cast<const fb::Escalate *>(table);
    created = EscalateOp::create(builder, loc, t->chip());
    return success();
  }
  case fb::Instr::NONE:
    break;
  }
  return error(where) << "instruction type is NONE (no instruction)";
}

LogicalResult Importer::readInstructions(const fb::Program *program,
                                         const std::string &at, Block &body) {
  auto *types = program->instructions_type();
  auto *instrs = program->instructions();
  size_t count = instrs ? instrs->size() : 0;
  if (count == 0)
    return error(at) << "program has no instructions";

  // The stream is flat; exit paths are the `exit_path_length` instructions
  // after their ExitCheck. An explicit stack (bounded by kMaxExitNesting)
  // rebuilds the regions without recursion.
  struct Frame {
    Block *block;
    size_t end; // One past the frame's last instruction.
  };
  SmallVector<Frame> stack = {{&body, count}};
  for (size_t i = 0; i < count; ++i) {
    while (stack.back().end == i)
      stack.pop_back();
    uint8_t rawType = static_cast<uint8_t>(types->GetEnum<fb::Instr>(i));
    std::string where = at + ".instructions[" + std::to_string(i) + "]";
    if (rawType > static_cast<uint8_t>(fb::Instr::MAX))
      return error(where) << "unknown instruction type "
                          << static_cast<unsigned>(rawType);
    if (rawType == static_cast<uint8_t>(fb::Instr::NONE))
      return error(where) << "instruction type is NONE (no instruction)";
    auto type = static_cast<fb::Instr>(rawType);
    where += std::string(" (") + fb::EnumNameInstr(type) + ")";

    builder.setInsertionPointToEnd(stack.back().block);
    Operation *created = nullptr;
    if (failed(readInstr(type, instrs->Get(i), where, locOf(where), created)))
      return failure();
    if (auto check = dyn_cast<npuisa::ExitCheckOp>(created)) {
      auto *t = static_cast<const fb::ExitCheck *>(instrs->Get(i));
      size_t following = stack.back().end - (i + 1);
      if (t->exit_path_length() > following)
        return error(where) << "'exit_path_length' is " << t->exit_path_length()
                            << " but only " << following
                            << " instruction(s) follow in the enclosing "
                               "stream";
      if (stack.size() > static_cast<size_t>(kMaxExitNesting))
        return error(where)
               << "exit paths nest more than " << kMaxExitNesting << " deep";
      stack.push_back(
          {&check.getExitPath().front(), i + 1 + t->exit_path_length()});
    }
  }
  return success();
}

FailureOr<ArrayAttr> Importer::readSegments(const fb::Program *program,
                                            const std::string &at) {
  SmallVector<Attribute> segments;
  auto *list = program->segments();
  auto ui8 = IntegerType::get(context, 8, IntegerType::Unsigned);
  for (flatbuffers::uoffset_t i = 0; list && i < list->size(); ++i) {
    const fb::Segment *segment = list->Get(i);
    std::string where = at + ".segments[" + std::to_string(i) + "]";
    const flatbuffers::Vector<uint8_t> *data = segment->data();
    if (!data || data->size() == 0) {
      error(where) << "segment has no bytes";
      return failure();
    }
    if (i > 0 && list->Get(i - 1)->dram() >= segment->dram()) {
      error(where) << "segments must be sorted by DRAM offset, but "
                   << segment->dram() << " follows "
                   << list->Get(i - 1)->dram();
      return failure();
    }
    auto type =
        RankedTensorType::get({static_cast<int64_t>(data->size())}, ui8);
    auto elements = DenseElementsAttr::getFromRawBuffer(
        type, ArrayRef<char>(reinterpret_cast<const char *>(data->data()),
                             data->size()));
    segments.push_back(builder.getDictionaryAttr(
        {builder.getNamedAttr("dram",
                              builder.getI64IntegerAttr(segment->dram())),
         builder.getNamedAttr("data", elements)}));
  }
  return builder.getArrayAttr(segments);
}

FailureOr<ArrayAttr> Importer::readBudgets(const fb::Program *program,
                                           const std::string &at,
                                           bool standby) {
  SmallVector<Attribute> budgets;
  auto *list = program->budgets();
  for (flatbuffers::uoffset_t i = 0; list && i < list->size(); ++i) {
    const fb::Budget *budget = list->Get(i);
    if (budget->standby() != standby)
      continue;
    std::string where = at + ".budgets[" + std::to_string(i) + "]";
    if (!budget->path() || budget->path()->size() == 0) {
      error(where) << "budget has no path name";
      return failure();
    }
    auto busy =
        fixed(budget->engine_busy(), cost::kNumEngines, "engine_busy", where);
    if (failed(busy))
      return failure();
    auto i64 = [&](int64_t v) { return builder.getI64IntegerAttr(v); };
    budgets.push_back(builder.getDictionaryAttr({
        builder.getNamedAttr("path",
                             builder.getStringAttr(budget->path()->str())),
        builder.getNamedAttr("cycles", i64(budget->cycles())),
        builder.getNamedAttr("engine_busy",
                             builder.getDenseI64ArrayAttr(*busy)),
        builder.getNamedAttr("host_bytes", i64(budget->host_bytes())),
        builder.getNamedAttr("dram_bytes", i64(budget->dram_bytes())),
        builder.getNamedAttr("link_bytes", i64(budget->link_bytes())),
        builder.getNamedAttr("peak_sram_bytes", i64(budget->peak_sram_bytes())),
        builder.getNamedAttr("peak_dram_bytes", i64(budget->peak_dram_bytes())),
        builder.getNamedAttr("energy_fj", i64(budget->energy_fj())),
    }));
  }
  return builder.getArrayAttr(budgets);
}

FailureOr<npuisa::ProgramOp> Importer::readProgram(const fb::Program *program,
                                                   size_t index,
                                                   ModuleOp module) {
  std::string at = "programs[" + std::to_string(index) + "]";
  if (!program->name() || program->name()->size() == 0) {
    error(at) << "program has no name";
    return failure();
  }
  builder.setInsertionPointToEnd(module.getBody());
  auto op = npuisa::ProgramOp::create(builder, locOf(at),
                                      program->name()->str(), program->chip());
  Block &body = op.getBody().emplaceBlock();
  if (failed(readInstructions(program, at, body)))
    return failure();
  FailureOr<ArrayAttr> segments = readSegments(program, at);
  if (failed(segments))
    return failure();
  if (!segments->empty())
    op->setAttr(kSegmentsAttrName, *segments);
  FailureOr<ArrayAttr> budgets = readBudgets(program, at, /*standby=*/false);
  if (failed(budgets))
    return failure();
  op->setAttr(kBudgetsAttrName, *budgets);
  FailureOr<ArrayAttr> standby = readBudgets(program, at, /*standby=*/true);
  if (failed(standby))
    return failure();
  if (!standby->empty())
    op->setAttr(kStandbyBudgetsAttrName, *standby);
  FailureOr<ArrayAttr> checkpoints = readCheckpoints(program, at);
  if (failed(checkpoints))
    return failure();
  if (!checkpoints->empty())
    op->setAttr(kCheckpointsAttrName, *checkpoints);
  return op;
}

FailureOr<ArrayAttr> Importer::readCheckpoints(const fb::Program *program,
                                               const std::string &at) {
  SmallVector<Attribute> checkpoints;
  auto *list = program->checkpoints();
  auto i64 = [&](int64_t v) { return builder.getI64IntegerAttr(v); };
  for (flatbuffers::uoffset_t i = 0; list && i < list->size(); ++i) {
    const fb::Checkpoint *cp = list->Get(i);
    std::string where = at + ".checkpoints[" + std::to_string(i) + "]";
    SmallVector<Attribute> live;
    for (flatbuffers::uoffset_t r = 0; cp->live() && r < cp->live()->size();
         ++r) {
      const fb::LiveRange *range = cp->live()->Get(r);
      if (range->space() > static_cast<uint8_t>(rt::MemorySpace::DRAM)) {
        error(where + ".live[" + std::to_string(r) + "]")
            << "'space' has the invalid code "
            << static_cast<unsigned>(range->space()) << " (0 sram, 1 dram)";
        return failure();
      }
      live.push_back(builder.getDictionaryAttr(
          {builder.getNamedAttr(
               "space", builder.getStringAttr(range->space() ? "dram" : "sram")),
           builder.getNamedAttr("offset", i64(range->offset())),
           builder.getNamedAttr("bytes", i64(range->bytes())),
           builder.getNamedAttr("source", i64(range->source()))}));
    }
    checkpoints.push_back(builder.getDictionaryAttr({
        builder.getNamedAttr("index", i64(cp->index())),
        builder.getNamedAttr("issue_cycles", i64(cp->issue_cycles())),
        builder.getNamedAttr("drain_cycles", i64(cp->drain_cycles())),
        builder.getNamedAttr("drain_energy_fj", i64(cp->drain_energy_fj())),
        builder.getNamedAttr("save_cycles", i64(cp->save_cycles())),
        builder.getNamedAttr("restore_cycles", i64(cp->restore_cycles())),
        builder.getNamedAttr("resume_cycles", i64(cp->resume_cycles())),
        builder.getNamedAttr("resume_energy_fj", i64(cp->resume_energy_fj())),
        builder.getNamedAttr("live", builder.getArrayAttr(live)),
    }));
  }
  return builder.getArrayAttr(checkpoints);
}

FailureOr<DictionaryAttr> Importer::readEarlyExit(const fb::EarlyExit *table) {
  const std::string at = "early_exit";
  rt::EarlyExit decoded;
  if (table->measure() >
      static_cast<uint8_t>(cost::ConfidenceMeasure::Entropy)) {
    error(at) << "'measure' has the invalid code "
              << static_cast<unsigned>(table->measure())
              << " (0 max_prob, 1 margin, 2 entropy)";
    return failure();
  }
  if (table->answer() > static_cast<uint8_t>(rt::AnswerKind::Probabilities)) {
    error(at) << "'answer' has the invalid code "
              << static_cast<unsigned>(table->answer())
              << " (0 logits, 1 probabilities)";
    return failure();
  }
  if (!table->calibration()) {
    error(at) << "'calibration' is missing";
    return failure();
  }
  decoded.measure = static_cast<cost::ConfidenceMeasure>(table->measure());
  decoded.answer = static_cast<rt::AnswerKind>(table->answer());
  decoded.output = table->output() ? table->output()->str() : "";
  decoded.fromChip = table->from_chip();
  decoded.toChip = table->to_chip();
  if (auto *gates = table->gates())
    for (const fb::ExitGate *gate : *gates)
      decoded.gates.push_back({gate->split() ? gate->split()->str() : "",
                               gate->threshold(), gate->exit_rate()});
  decoded.returnThreshold = table->return_threshold();
  decoded.idleWindowPs = table->idle_window_ps();
  decoded.escalationRate = table->escalation_rate();
  const fb::Calibration *c = table->calibration();
  decoded.calibration = {c->samples(), c->accuracy(), c->full_accuracy(),
                         c->expected_energy_fj(), c->expected_latency_ps()};
  // The attribute holds these two as whole fJ and ps (i64): check they fit
  // before rounding. The other values are checked with the module, by the
  // attribute's verifier.
  for (auto [name, value] :
       {std::pair{"expected_energy_fj", c->expected_energy_fj()},
        std::pair{"expected_latency_ps", c->expected_latency_ps()}})
    if (!rt::isValidExpectation(value)) {
      error(at) << "'calibration." << name << "' must be in [0, 2^63), got "
                << value;
      return failure();
    }
  return toEarlyExitAttr(context, decoded);
}

OwningOpRef<ModuleOp> Importer::run() {
  context->getOrLoadDialect<NPUDialect>();
  context->getOrLoadDialect<npuisa::NPUISADialect>();
  if (failed(checkEnvelope()))
    return nullptr;

  FailureOr<rt::SystemDesc> system = readSystem(model->system());
  if (failed(system))
    return nullptr;
  FailureOr<ArrayAttr> inputs =
      readSignature(model->inputs(), "inputs", inputNames);
  if (failed(inputs))
    return nullptr;
  FailureOr<ArrayAttr> outputs =
      readSignature(model->outputs(), "outputs", outputNames);
  if (failed(outputs))
    return nullptr;

  std::optional<StringRef> name;
  if (model->name() && model->name()->size() != 0)
    name = StringRef(model->name()->c_str(), model->name()->size());
  OwningOpRef<ModuleOp> module = ModuleOp::create(fileLoc, name);
  module->getOperation()->setAttr(NPUDialect::getSystemAttrName(),
                                  toSystemAttr(context, *system));
  module->getOperation()->setAttr(NPUDialect::getInputsAttrName(), *inputs);
  module->getOperation()->setAttr(NPUDialect::getOutputsAttrName(), *outputs);
  if (const fb::Stream *stream = model->stream()) {
    FailureOr<SmallVector<int64_t>> latencies =
        int64s(stream->latency_ps(), "latency_ps", "stream");
    if (failed(latencies))
      return nullptr;
    Builder b(context);
    module->getOperation()->setAttr(
        kStreamAttrName,
        b.getDictionaryAttr(
            {b.getNamedAttr("interval_ps",
                            b.getI64IntegerAttr(stream->interval_ps())),
             b.getNamedAttr("latency_ps",
                            b.getDenseI64ArrayAttr(*latencies))}));
  }

  if (const fb::EarlyExit *table = model->early_exit()) {
    FailureOr<DictionaryAttr> attr = readEarlyExit(table);
    if (failed(attr))
      return nullptr;
    module->getOperation()->setAttr(NPUDialect::getEarlyExitAttrName(), *attr);
  }

  auto *programs = model->programs();
  if (!programs || programs->size() == 0) {
    emitError(fileLoc) << "the binary has no programs";
    return nullptr;
  }
  SmallVector<npuisa::ProgramOp> programOps;
  for (flatbuffers::uoffset_t p = 0; p < programs->size(); ++p) {
    const fb::Program *program = programs->Get(p);
    if (p > 0 && programs->Get(p - 1)->chip() >= program->chip()) {
      error("programs[" + Twine(p) + "]")
          << "programs must be sorted by chip id, but chip " << program->chip()
          << " follows chip " << programs->Get(p - 1)->chip();
      return nullptr;
    }
    FailureOr<npuisa::ProgramOp> op = readProgram(program, p, *module);
    if (failed(op))
      return nullptr;
    programOps.push_back(*op);
  }

  if (failed(checkRebuilt(*module, programOps)))
    return nullptr;
  return module;
}

LogicalResult Importer::checkRebuilt(ModuleOp module,
                                     ArrayRef<npuisa::ProgramOp> programs) {
  // Rebuilt ops are located at NameLocs naming their place in the binary
  // ("programs[0].instructions[6] (MatMul)"), but a diagnostic prints only
  // the file part; capture what the checks report and put the name in the
  // message. The dump of the failing op adds nothing to that name.
  struct Captured {
    DiagnosticSeverity severity;
    std::string message;
    SmallVector<std::string> notes;
  };
  auto describe = [](Diagnostic &diag) {
    std::string text;
    if (auto name = dyn_cast<NameLoc>(diag.getLocation()))
      text = name.getName().str() + ": ";
    return text + diag.str();
  };
  SmallVector<Captured> captured;
  LogicalResult result = success();
  {
    ScopedDiagnosticHandler handler(context, [&](Diagnostic &diag) {
      Captured entry{diag.getSeverity(), describe(diag), {}};
      for (Diagnostic &note : diag.getNotes())
        if (!StringRef(note.str()).starts_with("see current operation"))
          entry.notes.push_back(describe(note));
      captured.push_back(std::move(entry));
      return success();
    });
    result = verify(module);
    // Segments follow the emitter's rules (inside the chip's DRAM, no
    // overlap); they need the chips the verifier has just checked.
    for (npuisa::ProgramOp program : programs)
      if (succeeded(result) && failed(getSegments(program)))
        result = failure();
    // The early-exit table describes these programs.
    if (succeeded(result) && failed(npuisa::verifyEarlyExit(module)))
      result = failure();
  }
  for (Captured &entry : captured) {
    InFlightDiagnostic diag =
        entry.severity == DiagnosticSeverity::Error     ? emitError(fileLoc)
        : entry.severity == DiagnosticSeverity::Warning ? emitWarning(fileLoc)
                                                        : emitRemark(fileLoc);
    diag << entry.message;
    for (const std::string &note : entry.notes)
      diag.attachNote(fileLoc) << note;
  }
  return result;
}

OwningOpRef<ModuleOp> mlir::npu::importBinary(llvm::SourceMgr &sourceMgr,
                                              MLIRContext *context) {
  const llvm::MemoryBuffer *buffer =
      sourceMgr.getMemoryBuffer(sourceMgr.getMainFileID());
  Location fileLoc =
      FileLineColLoc::get(context, buffer->getBufferIdentifier(), 0, 0);
  StringRef data = buffer->getBuffer();
  // FlatBuffers reads scalars in place; give it 8-byte aligned storage when
  // the caller's buffer is not.
  std::vector<uint64_t> aligned;
  ArrayRef<uint8_t> bytes(reinterpret_cast<const uint8_t *>(data.data()),
                          data.size());
  if (reinterpret_cast<uintptr_t>(data.data()) % alignof(uint64_t) != 0) {
    aligned.resize((data.size() + 7) / 8);
    std::memcpy(aligned.data(), data.data(), data.size());
    bytes = ArrayRef<uint8_t>(reinterpret_cast<const uint8_t *>(aligned.data()),
                              data.size());
  }
  return Importer(context, fileLoc, bytes).run();
}
