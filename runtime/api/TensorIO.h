//===- TensorIO.h - Host tensors as .npy and ONNX .pb files -----*- C++ -*-===//
//
// The tensor files npu-run and embedders exchange with the rest of the
// world: NumPy's .npy (format versions 1.0-3.0) and ONNX's serialized
// TensorProto (.pb, as in ONNX's node test data). Both are parsed by hand,
// without NumPy or protobuf, and both are untrusted: every malformed file
// yields an error naming the file and the byte offset of the problem, never
// a crash or an allocation larger than the file implies.
//
// A Tensor holds the raw little-endian, row-major bytes the simulator
// consumes (npu/rt/Simulator.h, TensorMap), so a file maps onto a model input
// with no conversion once its type and shape match the signature exactly.
//
//===----------------------------------------------------------------------===//

#ifndef NPU_RT_API_TENSORIO_H
#define NPU_RT_API_TENSORIO_H

#include "npu/rt/Cost.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace npu::rt::io {

/// Element types a tensor file can hold: those of the ISA (cost::DType) and
/// the other fixed-size numeric types of .npy and ONNX. Files of the latter
/// are read so that a mismatch can say what the file holds ("expected f32,
/// got f64") instead of "unreadable".
enum class ElementType : uint8_t {
  F32,
  F16,
  BF16,
  I8,
  UI8,
  I32,
  F64,
  I16,
  UI16,
  UI32,
  I64,
  UI64,
  Bool,
};

/// The spelling used by the model's signatures and in messages: "f32",
/// "bf16", "ui8", ... ("bool" for Bool).
std::string_view elementTypeName(ElementType type);

/// Bytes of one element.
int64_t elementTypeBytes(ElementType type);

/// The file type of a model dtype (every ISA type has one).
ElementType fromDType(cost::DType type);

/// The model dtype of a file type, or nullopt for a type the ISA lacks.
std::optional<cost::DType> toDType(ElementType type);

/// A host tensor: type, shape and its raw bytes.
struct Tensor {
  /// The tensor's name as a .pb file stores it; empty for .npy.
  std::string name;
  ElementType type = ElementType::F32;
  std::vector<int64_t> shape;
  /// elements() * elementTypeBytes(type) bytes, little-endian, row-major.
  std::vector<uint8_t> data;

  /// Product of the shape (1 for a scalar).
  int64_t elements() const;
};

/// Either a tensor or what is wrong with the bytes ("x.npy: byte 10: ...").
struct ReadResult {
  std::optional<Tensor> tensor;
  std::string error;

  bool ok() const { return tensor.has_value(); }
  explicit operator bool() const { return ok(); }
};

/// The two file formats.
enum class FileFormat : uint8_t { Npy, Pb };

/// The format a path's extension names (".npy" or ".pb"), or nullopt.
std::optional<FileFormat> formatFromPath(std::string_view path);

/// The extension of a format, with the dot.
std::string_view extension(FileFormat format);

/// Parses the bytes of a .npy file. `fileName` only prefixes messages.
/// Accepts every byte order (big-endian data is swapped) and Fortran order
/// (transposed to row-major). NumPy has no bfloat16: a two-byte void type
/// ('V2', what np.save writes for ml_dtypes.bfloat16) is read as bf16.
ReadResult parseNpy(const uint8_t *data, size_t size,
                    std::string_view fileName);

/// Parses the bytes of an ONNX TensorProto: dims (1), data_type (2), the
/// typed data fields (float_data 4, int32_data 5, int64_data 7, double_data
/// 10, uint64_data 11; packed or not) or raw_data (9), name (8); other fields
/// are skipped by their wire type. Strings, segments and external data are
/// rejected. `fileName` only prefixes messages.
ReadResult parsePb(const uint8_t *data, size_t size, std::string_view fileName);

/// Parses `data` in `format`.
ReadResult parseTensor(FileFormat format, const uint8_t *data, size_t size,
                       std::string_view fileName);

/// Reads a file and parses it in the format its extension names.
ReadResult readTensorFile(const std::string &path);

/// The bytes of a version 1.0 .npy file (little-endian descr, C order,
/// header padded to 64 bytes as NumPy writes it). bf16 is written as '<V2'.
std::vector<uint8_t> encodeNpy(const Tensor &tensor);

/// The bytes of an ONNX TensorProto with dims, data_type, name (when not
/// empty) and raw_data, in field order (what protobuf itself writes).
std::vector<uint8_t> encodePb(const Tensor &tensor);

/// encodeNpy() or encodePb().
std::vector<uint8_t> encodeTensor(FileFormat format, const Tensor &tensor);

/// Writes `bytes` to `path` all or nothing: into a temporary file next to it,
/// then renamed over `path`. Returns an empty string or the reason it failed
/// (the temporary file is removed).
std::string writeFileAtomically(const std::string &path,
                                const std::vector<uint8_t> &bytes);

/// Writes several files all or nothing: each into a temporary file next to
/// it, and only when all of them are written, renames them into place. On a
/// failure no file is created or changed (short of a rename failing midway,
/// which needs another process changing the directories) and the reason is
/// returned; otherwise an empty string.
std::string writeFilesAtomically(
    const std::vector<std::pair<std::string, std::vector<uint8_t>>> &files);

/// Reads a whole regular file (npu::rt::readRegularFile, with its size
/// limit). Returns false and sets `error` when it cannot.
bool readFile(const std::string &path, std::vector<uint8_t> &bytes,
              std::string &error);

/// "[2, 3]"; "[]" for a scalar.
std::string formatShape(const std::vector<int64_t> &shape);

/// "f32[2, 3]".
std::string describe(ElementType type, const std::vector<int64_t> &shape);

/// The elements in row-major order, comma separated, at most `limit` of them
/// (0: all) followed by ", ... (N more)". Floating-point values use the
/// shortest decimal that reads back to the same value (f16 and bf16 through
/// f32), so the text is exact and deterministic.
std::string formatValues(const Tensor &tensor, size_t limit);

/// IEEE half and bfloat16 bits to float (exact).
float halfToFloat(uint16_t bits);
float bfloat16ToFloat(uint16_t bits);

} // namespace npu::rt::io

#endif // NPU_RT_API_TENSORIO_H
