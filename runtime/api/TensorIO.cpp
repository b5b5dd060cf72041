//===- TensorIO.cpp - Read and write host tensors as .npy and ONNX .pb ----===//
//
// Hand-written decoders of two small formats. Both walk the bytes with an
// explicit cursor and check every length against what is left before using
// it, so the largest allocation is bounded by the file's size. Errors are
// thrown internally as FormatError and returned as values.
//
// .npy: a magic string, a version, a little-endian header length, an ASCII
// Python dict literal {'descr': ..., 'fortran_order': ..., 'shape': (...)},
// then the raw elements (numpy/lib/format.py documents it).
//
// .pb: a protobuf-encoded onnx.TensorProto. Each field is a varint key
// (field number << 3 | wire type) and a value: varint (0), 8 bytes (1),
// length-delimited (2) or 4 bytes (5). Repeated scalars may be packed (one
// length-delimited run) or not (one key per value); both are accepted.
//
//===----------------------------------------------------------------------===//

#include "TensorIO.h"

#include "npu/rt/File.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <utility>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace npu::rt::io {

namespace {

/// The error of a parse; caught at the parse*() entry points.
struct FormatError {
  std::string message;
};

std::string str(int64_t value) { return std::to_string(value); }
std::string str(uint64_t value) { return std::to_string(value); }

std::string quoted(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x20 || u >= 0x7f || c == '\'' || c == '\\') {
      char buf[8];
      std::snprintf(buf, sizeof(buf), "\\x%02x", u);
      out += buf;
    } else {
      out += c;
    }
  }
  return out + "'";
}

/// a * b, or nullopt when it overflows int64 (both non-negative).
std::optional<int64_t> mulChecked(int64_t a, int64_t b) {
  int64_t result;
  if (__builtin_mul_overflow(a, b, &result))
    return std::nullopt;
  return result;
}

bool hostIsLittleEndian() {
  uint16_t probe = 1;
  uint8_t first;
  std::memcpy(&first, &probe, 1);
  return first == 1;
}

uint32_t loadLE32(const uint8_t *p) {
  return uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 |
         uint32_t(p[3]) << 24;
}

uint64_t loadLE64(const uint8_t *p) {
  return uint64_t(loadLE32(p)) | uint64_t(loadLE32(p + 4)) << 32;
}

void appendLE(std::vector<uint8_t> &out, uint64_t value, int bytes) {
  for (int i = 0; i < bytes; ++i)
    out.push_back(static_cast<uint8_t>(value >> (8 * i)));
}

/// Product of a shape; nullopt when negative or overflowing.
std::optional<int64_t> elementCount(const std::vector<int64_t> &shape) {
  int64_t count = 1;
  for (int64_t dim : shape) {
    if (dim < 0)
      return std::nullopt;
    auto next = mulChecked(count, dim);
    if (!next)
      return std::nullopt;
    count = *next;
  }
  return count;
}

//===----------------------------------------------------------------------===//
// .npy
//===----------------------------------------------------------------------===//

constexpr uint8_t kNpyMagic[6] = {0x93, 'N', 'U', 'M', 'P', 'Y'};

/// What a 'descr' string names.
struct NpyDescr {
  ElementType type;
  bool bigEndian;
};

/// The value of one header key.
struct NpyValue {
  enum Kind { String, Bool, Tuple } kind = String;
  std::string text;
  bool flag = false;
  std::vector<int64_t> ints;
  bool trailingComma = false;
  size_t offset = 0; ///< File offset of the value.
};

/// Parses the Python dict literal of a .npy header.
class NpyHeaderParser {
public:
  NpyHeaderParser(std::string_view text, size_t base, std::string_view file)
      : text(text), base(base), file(file) {}

  /// Key -> value, in header order.
  std::vector<std::pair<std::string, NpyValue>> parse() {
    std::vector<std::pair<std::string, NpyValue>> entries;
    skipSpace();
    expect('{', "the header must be a Python dict literal starting with '{'");
    skipSpace();
    while (peek() != '}') {
      size_t keyOffset = pos;
      if (peek() != '\'' && peek() != '"')
        fail(pos, "expected a quoted key or '}' in the header dict");
      std::string key = parseString();
      for (const auto &entry : entries)
        if (entry.first == key)
          fail(keyOffset, "duplicate key " + quoted(key) + " in the header");
      skipSpace();
      expect(':', "expected ':' after key " + quoted(key));
      skipSpace();
      NpyValue value = parseValue();
      entries.emplace_back(std::move(key), std::move(value));
      skipSpace();
      if (peek() == ',') {
        ++pos;
        skipSpace();
        continue;
      }
      if (peek() != '}')
        fail(pos, "expected ',' or '}' in the header dict");
    }
    ++pos;
    // NumPy pads the header with spaces and ends it with a newline.
    while (pos < text.size()) {
      char c = text[pos];
      if (c != ' ' && c != '\n' && c != '\t' && c != '\r' && c != '\0')
        fail(pos, "unexpected character after the header dict");
      ++pos;
    }
    return entries;
  }

  [[noreturn]] void fail(size_t at, const std::string &message) const {
    throw FormatError{std::string(file) + ": byte " + str(uint64_t(base + at)) +
                      ": " + message};
  }

private:
  std::string_view text;
  size_t base;
  std::string_view file;
  size_t pos = 0;

  char peek() const { return pos < text.size() ? text[pos] : '\0'; }

  void skipSpace() {
    while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\t' ||
                                 text[pos] == '\n' || text[pos] == '\r'))
      ++pos;
  }

  void expect(char c, const std::string &message) {
    if (pos >= text.size())
      fail(pos, message + " (the header ends here)");
    if (text[pos] != c)
      fail(pos, message);
    ++pos;
  }

  std::string parseString() {
    char quote = text[pos++];
    std::string out;
    while (true) {
      if (pos >= text.size())
        fail(pos, "unterminated string in the header");
      char c = text[pos];
      if (c == quote) {
        ++pos;
        return out;
      }
      unsigned char u = static_cast<unsigned char>(c);
      if (c == '\\' || u < 0x20 || u >= 0x7f)
        fail(pos, "unsupported character in a header string (only plain "
                  "ASCII is used by NumPy's descr strings)");
      out += c;
      ++pos;
    }
  }

  int64_t parseInt() {
    size_t start = pos;
    if (pos >= text.size() || text[pos] < '0' || text[pos] > '9')
      fail(pos, "expected a non-negative integer in the shape tuple");
    int64_t value = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      int digit = text[pos] - '0';
      if (value > (std::numeric_limits<int64_t>::max() - digit) / 10)
        fail(start, "shape dimension does not fit in 64 bits");
      value = value * 10 + digit;
      ++pos;
    }
    // Python 2's long suffix, as old NumPy wrote it: (3L, 4L).
    if (peek() == 'L')
      ++pos;
    return value;
  }

  NpyValue parseValue() {
    NpyValue value;
    value.offset = base + pos;
    char c = peek();
    if (c == '\'' || c == '"') {
      value.kind = NpyValue::String;
      value.text = parseString();
      return value;
    }
    if (text.substr(pos, 4) == "True") {
      pos += 4;
      value.kind = NpyValue::Bool;
      value.flag = true;
      return value;
    }
    if (text.substr(pos, 5) == "False") {
      pos += 5;
      value.kind = NpyValue::Bool;
      value.flag = false;
      return value;
    }
    if (c == '(') {
      ++pos;
      value.kind = NpyValue::Tuple;
      skipSpace();
      while (peek() != ')') {
        value.ints.push_back(parseInt());
        value.trailingComma = false;
        skipSpace();
        if (peek() == ',') {
          ++pos;
          value.trailingComma = true;
          skipSpace();
          continue;
        }
        if (peek() != ')')
          fail(pos, "expected ',' or ')' in the shape tuple");
      }
      ++pos;
      return value;
    }
    if (c == '[')
      fail(pos, "structured dtypes (a descr list) are not supported");
    fail(pos, "unsupported value in the header (expected a string, True, "
              "False or a tuple of integers)");
  }
};

/// Decodes a descr string such as "<f4" or "|u1".
std::optional<NpyDescr> parseDescr(const std::string &descr) {
  if (descr.size() < 2)
    return std::nullopt;
  size_t i = 0;
  bool bigEndian = false;
  if (descr[0] == '<' || descr[0] == '>' || descr[0] == '|' ||
      descr[0] == '=') {
    bigEndian = descr[0] == '>' || (descr[0] == '=' && !hostIsLittleEndian());
    i = 1;
  }
  std::string_view rest = std::string_view(descr).substr(i);
  struct Entry {
    std::string_view code;
    ElementType type;
  };
  static const Entry entries[] = {
      {"f4", ElementType::F32},  {"f2", ElementType::F16},
      {"V2", ElementType::BF16}, {"i1", ElementType::I8},
      {"u1", ElementType::UI8},  {"i4", ElementType::I32},
      {"f8", ElementType::F64},  {"i2", ElementType::I16},
      {"u2", ElementType::UI16}, {"u4", ElementType::UI32},
      {"i8", ElementType::I64},  {"u8", ElementType::UI64},
      {"b1", ElementType::Bool}, {"?", ElementType::Bool},
  };
  for (const Entry &entry : entries)
    if (rest == entry.code)
      return NpyDescr{entry.type, bigEndian};
  return std::nullopt;
}

std::string_view npyDescr(ElementType type) {
  switch (type) {
  case ElementType::F32:
    return "<f4";
  case ElementType::F16:
    return "<f2";
  case ElementType::BF16:
    return "<V2";
  case ElementType::I8:
    return "|i1";
  case ElementType::UI8:
    return "|u1";
  case ElementType::I32:
    return "<i4";
  case ElementType::F64:
    return "<f8";
  case ElementType::I16:
    return "<i2";
  case ElementType::UI16:
    return "<u2";
  case ElementType::UI32:
    return "<u4";
  case ElementType::I64:
    return "<i8";
  case ElementType::UI64:
    return "<u8";
  case ElementType::Bool:
    return "|b1";
  }
  return "?";
}

/// Reorders column-major (Fortran) elements into row-major order.
std::vector<uint8_t> fortranToC(const std::vector<uint8_t> &in,
                                const std::vector<int64_t> &shape,
                                int64_t itemBytes) {
  std::vector<uint8_t> out(in.size());
  size_t rank = shape.size();
  int64_t elements = static_cast<int64_t>(in.size()) / itemBytes;
  if (elements == 0)
    return out;
  // Row-major strides, in elements.
  std::vector<int64_t> cStrides(rank, 1);
  for (size_t d = rank; d-- > 1;)
    cStrides[d - 1] = cStrides[d] * shape[d];
  std::vector<int64_t> index(rank, 0);
  for (int64_t f = 0; f < elements; ++f) {
    int64_t c = 0;
    for (size_t d = 0; d < rank; ++d)
      c += index[d] * cStrides[d];
    std::memcpy(out.data() + c * itemBytes, in.data() + f * itemBytes,
                static_cast<size_t>(itemBytes));
    // Fortran order: the first index varies fastest.
    for (size_t d = 0; d < rank; ++d) {
      if (++index[d] < shape[d])
        break;
      index[d] = 0;
    }
  }
  return out;
}

Tensor parseNpyOrThrow(const uint8_t *data, size_t size,
                       std::string_view file) {
  auto fail = [&](uint64_t at, const std::string &message) -> FormatError {
    return FormatError{std::string(file) + ": byte " + str(at) + ": " +
                       message};
  };
  if (size == 0)
    throw FormatError{std::string(file) + ": empty file; expected a .npy file"};
  size_t magicBytes = std::min<size_t>(size, sizeof(kNpyMagic));
  if (std::memcmp(data, kNpyMagic, magicBytes) != 0)
    throw fail(0, "not a .npy file (it does not start with \"\\x93NUMPY\")");
  if (size < 10)
    throw fail(size, "file is " + str(uint64_t(size)) +
                         " bytes, too short for a .npy header");
  uint8_t major = data[6], minor = data[7];
  if (major < 1 || major > 3 || minor != 0)
    throw fail(6, "unsupported .npy format version " + str(int64_t(major)) +
                      "." + str(int64_t(minor)) +
                      " (this reader knows 1.0, 2.0 and 3.0)");
  size_t headerStart;
  uint64_t headerLength;
  if (major == 1) {
    headerLength = uint64_t(data[8]) | uint64_t(data[9]) << 8;
    headerStart = 10;
  } else {
    if (size < 12)
      throw fail(size, "file is " + str(uint64_t(size)) +
                           " bytes, too short for a version " +
                           str(int64_t(major)) + ".0 .npy header");
    headerLength = loadLE32(data + 8);
    headerStart = 12;
  }
  if (headerLength > size - headerStart)
    throw fail(8, "header length " + str(headerLength) +
                      " runs past the end of the " + str(uint64_t(size)) +
                      "-byte file");

  std::string_view headerText(reinterpret_cast<const char *>(data) +
                                  headerStart,
                              static_cast<size_t>(headerLength));
  NpyHeaderParser parser(headerText, headerStart, file);
  auto entries = parser.parse();
  const NpyValue *descr = nullptr, *fortran = nullptr, *shape = nullptr;
  for (const auto &[key, value] : entries) {
    if (key == "descr")
      descr = &value;
    else if (key == "fortran_order")
      fortran = &value;
    else if (key == "shape")
      shape = &value;
    else
      throw fail(value.offset, "unknown header key " + quoted(key) +
                                   " (expected descr, fortran_order, shape)");
  }
  if (!descr || !fortran || !shape)
    throw fail(headerStart, std::string("the header has no '") +
                                (!descr     ? "descr"
                                 : !fortran ? "fortran_order"
                                            : "shape") +
                                "' key");
  if (descr->kind != NpyValue::String)
    throw fail(descr->offset, "'descr' must be a string");
  if (fortran->kind != NpyValue::Bool)
    throw fail(fortran->offset, "'fortran_order' must be True or False");
  if (shape->kind != NpyValue::Tuple)
    throw fail(shape->offset, "'shape' must be a tuple of integers");
  if (shape->ints.size() == 1 && !shape->trailingComma)
    throw fail(shape->offset, "'shape' is a parenthesized integer, not a "
                              "tuple (a 1-D shape is written (N,))");
  std::optional<NpyDescr> type = parseDescr(descr->text);
  if (!type)
    throw fail(descr->offset,
               "unsupported descr " + quoted(descr->text) +
                   " (supported: f2 f4 f8 i1 i2 i4 i8 u1 u2 u4 u8 b1, and V2 "
                   "read as bfloat16)");

  Tensor tensor;
  tensor.type = type->type;
  tensor.shape = shape->ints;
  int64_t itemBytes = elementTypeBytes(tensor.type);
  std::optional<int64_t> elements = elementCount(tensor.shape);
  std::optional<int64_t> bytes =
      elements ? mulChecked(*elements, itemBytes) : std::nullopt;
  size_t dataStart = headerStart + static_cast<size_t>(headerLength);
  uint64_t available = size - dataStart;
  if (!bytes)
    throw fail(shape->offset, "shape " + formatShape(tensor.shape) +
                                  " has more elements than 64 bits count");
  if (uint64_t(*bytes) > available)
    throw fail(dataStart, "the data is " + str(available) + " bytes but " +
                              describe(tensor.type, tensor.shape) + " needs " +
                              str(*bytes));
  if (uint64_t(*bytes) < available)
    throw fail(dataStart + uint64_t(*bytes),
               str(available - uint64_t(*bytes)) + " bytes after the data of " +
                   describe(tensor.type, tensor.shape));

  const uint8_t *payload = data + dataStart;
  tensor.data.assign(payload, payload + *bytes);
  if (type->bigEndian && itemBytes > 1)
    for (size_t i = 0; i < tensor.data.size(); i += size_t(itemBytes))
      std::reverse(tensor.data.begin() + i,
                   tensor.data.begin() + i + itemBytes);
  if (tensor.type == ElementType::Bool)
    for (size_t i = 0; i < tensor.data.size(); ++i)
      if (tensor.data[i] > 1)
        throw fail(dataStart + i, "bool element " + str(uint64_t(i)) + " is " +
                                      str(int64_t(tensor.data[i])) +
                                      ", not 0 or 1");
  if (fortran->flag && tensor.shape.size() > 1)
    tensor.data = fortranToC(tensor.data, tensor.shape, itemBytes);
  return tensor;
}

//===----------------------------------------------------------------------===//
// ONNX TensorProto (.pb)
//===----------------------------------------------------------------------===//

/// onnx.TensorProto.DataType codes.
enum OnnxType : int64_t {
  OnnxFloat = 1,
  OnnxUInt8 = 2,
  OnnxInt8 = 3,
  OnnxUInt16 = 4,
  OnnxInt16 = 5,
  OnnxInt32 = 6,
  OnnxInt64 = 7,
  OnnxString = 8,
  OnnxBool = 9,
  OnnxFloat16 = 10,
  OnnxDouble = 11,
  OnnxUInt32 = 12,
  OnnxUInt64 = 13,
  OnnxComplex64 = 14,
  OnnxComplex128 = 15,
  OnnxBFloat16 = 16,
};

std::optional<ElementType> fromOnnx(int64_t code) {
  switch (code) {
  case OnnxFloat:
    return ElementType::F32;
  case OnnxUInt8:
    return ElementType::UI8;
  case OnnxInt8:
    return ElementType::I8;
  case OnnxUInt16:
    return ElementType::UI16;
  case OnnxInt16:
    return ElementType::I16;
  case OnnxInt32:
    return ElementType::I32;
  case OnnxInt64:
    return ElementType::I64;
  case OnnxBool:
    return ElementType::Bool;
  case OnnxFloat16:
    return ElementType::F16;
  case OnnxDouble:
    return ElementType::F64;
  case OnnxUInt32:
    return ElementType::UI32;
  case OnnxUInt64:
    return ElementType::UI64;
  case OnnxBFloat16:
    return ElementType::BF16;
  default:
    return std::nullopt;
  }
}

int64_t toOnnx(ElementType type) {
  switch (type) {
  case ElementType::F32:
    return OnnxFloat;
  case ElementType::F16:
    return OnnxFloat16;
  case ElementType::BF16:
    return OnnxBFloat16;
  case ElementType::I8:
    return OnnxInt8;
  case ElementType::UI8:
    return OnnxUInt8;
  case ElementType::I32:
    return OnnxInt32;
  case ElementType::F64:
    return OnnxDouble;
  case ElementType::I16:
    return OnnxInt16;
  case ElementType::UI16:
    return OnnxUInt16;
  case ElementType::UI32:
    return OnnxUInt32;
  case ElementType::I64:
    return OnnxInt64;
  case ElementType::UI64:
    return OnnxUInt64;
  case ElementType::Bool:
    return OnnxBool;
  }
  return 0;
}

std::string onnxTypeName(int64_t code) {
  static const char *const names[] = {
      "UNDEFINED", "FLOAT",  "UINT8",     "INT8",       "UINT16",  "INT16",
      "INT32",     "INT64",  "STRING",    "BOOL",       "FLOAT16", "DOUBLE",
      "UINT32",    "UINT64", "COMPLEX64", "COMPLEX128", "BFLOAT16"};
  if (code >= 0 && code < int64_t(sizeof(names) / sizeof(names[0])))
    return names[code];
  return "type " + str(code);
}

/// Protobuf wire types.
enum Wire : uint64_t { Varint = 0, I64 = 1, Len = 2, I32 = 5 };

/// A scalar of a repeated field and where it starts.
struct PbScalar {
  uint64_t bits = 0;
  uint64_t offset = 0;
};

/// The fields of a TensorProto this reader understands, as found.
struct PbFields {
  std::vector<int64_t> dims;
  std::vector<uint64_t> dimOffsets;
  std::optional<int64_t> dataType;
  uint64_t dataTypeOffset = 0;
  std::optional<std::string> name;
  /// raw_data: [offset, offset + size) of the last occurrence.
  bool hasRaw = false;
  uint64_t rawOffset = 0, rawSize = 0, rawFieldOffset = 0;
  /// The typed data fields, by field number.
  std::vector<PbScalar> floatData, int32Data, int64Data, doubleData, uint64Data;
  /// File offset of the first occurrence of each typed data field.
  uint64_t floatOffset = 0, int32Offset = 0, int64Offset = 0, doubleOffset = 0,
           uint64Offset = 0;
};

class PbReader {
public:
  PbReader(const uint8_t *data, size_t size, std::string_view file)
      : data(data), size(size), file(file) {}

  [[noreturn]] void fail(uint64_t at, const std::string &message) const {
    throw FormatError{std::string(file) + ": byte " + str(at) + ": " + message};
  }

  PbFields read() {
    PbFields fields;
    while (pos < size) {
      uint64_t keyOffset = pos;
      uint64_t key = varint("field key");
      uint64_t field = key >> 3;
      uint64_t wire = key & 7;
      if (field == 0)
        fail(keyOffset, "field number 0 is invalid in a protobuf message");
      if (field > (uint64_t(1) << 29) - 1)
        fail(keyOffset, "field number " + str(field) +
                            " exceeds protobuf's limit of 2^29-1");
      switch (field) {
      case 1: // dims
        readInts(fields.dims, &fields.dimOffsets, wire, keyOffset, "dims");
        break;
      case 2: // data_type
        expectWire(wire, Varint, keyOffset, "data_type");
        fields.dataTypeOffset = pos;
        fields.dataType = static_cast<int64_t>(varint("data_type"));
        break;
      case 3:
        fail(keyOffset, "field 3 (segment) is not supported: a tensor split "
                        "into segments");
      case 4: // float_data
        noteFirst(fields.floatData, fields.floatOffset, keyOffset);
        readFixed(fields.floatData, wire, I32, 4, keyOffset, "float_data");
        break;
      case 5: // int32_data
        noteFirst(fields.int32Data, fields.int32Offset, keyOffset);
        readVarints(fields.int32Data, wire, keyOffset, "int32_data");
        break;
      case 6:
        fail(keyOffset,
             "field 6 (string_data) is not supported: string tensors");
      case 7: // int64_data
        noteFirst(fields.int64Data, fields.int64Offset, keyOffset);
        readVarints(fields.int64Data, wire, keyOffset, "int64_data");
        break;
      case 8: { // name
        expectWire(wire, Len, keyOffset, "name");
        auto [offset, length] = lengthDelimited("name");
        fields.name = std::string(reinterpret_cast<const char *>(data) + offset,
                                  static_cast<size_t>(length));
        break;
      }
      case 9: { // raw_data
        expectWire(wire, Len, keyOffset, "raw_data");
        fields.rawFieldOffset = keyOffset;
        auto [offset, length] = lengthDelimited("raw_data");
        fields.hasRaw = true;
        fields.rawOffset = offset;
        fields.rawSize = length;
        break;
      }
      case 10: // double_data
        noteFirst(fields.doubleData, fields.doubleOffset, keyOffset);
        readFixed(fields.doubleData, wire, I64, 8, keyOffset, "double_data");
        break;
      case 11: // uint64_data
        noteFirst(fields.uint64Data, fields.uint64Offset, keyOffset);
        readVarints(fields.uint64Data, wire, keyOffset, "uint64_data");
        break;
      case 13:
        fail(keyOffset, "field 13 (external_data) is not supported: the "
                        "tensor's data must be in the file");
      case 14: { // data_location
        expectWire(wire, Varint, keyOffset, "data_location");
        uint64_t at = pos;
        if (varint("data_location") != 0)
          fail(at, "data_location is not DEFAULT: external data is not "
                   "supported");
        break;
      }
      default:
        skip(wire, keyOffset, field);
        break;
      }
    }
    return fields;
  }

private:
  const uint8_t *data;
  size_t size;
  std::string_view file;
  uint64_t pos = 0;

  /// Reads a varint that must end before `limit` (the file's end, or the
  /// end of the packed run it belongs to).
  uint64_t varint(const char *what) { return varint(what, size); }
  uint64_t varint(const char *what, uint64_t limit) {
    uint64_t start = pos;
    uint64_t value = 0;
    for (int i = 0; i < 10; ++i) {
      if (pos >= limit)
        fail(start, std::string("truncated varint (") + what + ")");
      uint8_t byte = data[pos++];
      if (i == 9 && byte > 1)
        fail(start,
             std::string("varint (") + what + ") does not fit in 64 bits");
      value |= uint64_t(byte & 0x7f) << (7 * i);
      if (!(byte & 0x80))
        return value;
    }
    fail(start, std::string("varint (") + what + ") is longer than 10 bytes");
  }

  /// Reads a length prefix; returns [payload offset, length].
  std::pair<uint64_t, uint64_t> lengthDelimited(const char *what) {
    uint64_t at = pos;
    uint64_t length = varint(what);
    if (length > size - pos)
      fail(at, std::string(what) + " is " + str(length) + " bytes but only " +
                   str(uint64_t(size - pos)) + " remain in the " +
                   str(uint64_t(size)) + "-byte file");
    uint64_t offset = pos;
    pos += length;
    return {offset, length};
  }

  void expectWire(uint64_t wire, uint64_t expected, uint64_t at,
                  const char *what) {
    if (wire != expected)
      fail(at, std::string("field ") + what + " has wire type " + str(wire) +
                   ", expected " + str(expected));
  }

  static void noteFirst(const std::vector<PbScalar> &values, uint64_t &first,
                        uint64_t keyOffset) {
    if (values.empty())
      first = keyOffset;
  }

  void readInts(std::vector<int64_t> &out, std::vector<uint64_t> *offsets,
                uint64_t wire, uint64_t keyOffset, const char *what) {
    std::vector<PbScalar> values;
    readVarints(values, wire, keyOffset, what);
    for (const PbScalar &value : values) {
      out.push_back(static_cast<int64_t>(value.bits));
      offsets->push_back(value.offset);
    }
  }

  /// One varint, or a packed run of them.
  void readVarints(std::vector<PbScalar> &out, uint64_t wire,
                   uint64_t keyOffset, const char *what) {
    if (wire == Varint) {
      uint64_t at = pos;
      out.push_back({varint(what), at});
      return;
    }
    if (wire != Len)
      fail(keyOffset, std::string("field ") + what + " has wire type " +
                          str(wire) + ", expected 0 (one value) or 2 (packed)");
    auto [offset, length] = lengthDelimited(what);
    uint64_t end = offset + length;
    uint64_t saved = pos;
    pos = offset;
    while (pos < end) {
      uint64_t at = pos;
      out.push_back({varint(what, end), at});
    }
    pos = saved;
  }

  /// One fixed-size little-endian value, or a packed run of them.
  void readFixed(std::vector<PbScalar> &out, uint64_t wire, uint64_t single,
                 uint64_t width, uint64_t keyOffset, const char *what) {
    if (wire == single) {
      if (width > size - pos)
        fail(pos, std::string("truncated ") + what + " value");
      out.push_back(
          {width == 4 ? loadLE32(data + pos) : loadLE64(data + pos), pos});
      pos += width;
      return;
    }
    if (wire != Len)
      fail(keyOffset, std::string("field ") + what + " has wire type " +
                          str(wire) + ", expected " + str(single) +
                          " (one value) or 2 (packed)");
    auto [offset, length] = lengthDelimited(what);
    if (length % width != 0)
      fail(offset, std::string("packed ") + what + " is " + str(length) +
                       " bytes, not a multiple of " + str(width));
    for (uint64_t at = offset; at < offset + length; at += width)
      out.push_back(
          {width == 4 ? loadLE32(data + at) : loadLE64(data + at), at});
  }

  void skip(uint64_t wire, uint64_t keyOffset, uint64_t field) {
    switch (wire) {
    case Varint:
      varint("unknown field");
      return;
    case I64:
    case I32: {
      uint64_t width = wire == I64 ? 8 : 4;
      if (width > size - pos)
        fail(pos, "truncated value of field " + str(field));
      pos += width;
      return;
    }
    case Len:
      lengthDelimited("unknown field");
      return;
    default:
      fail(keyOffset, "field " + str(field) + " has wire type " + str(wire) +
                          ", which is not valid (groups are not supported)");
    }
  }
};

Tensor parsePbOrThrow(const uint8_t *data, size_t size, std::string_view file) {
  PbReader reader(data, size, file);
  PbFields fields = reader.read();

  if (!fields.dataType || *fields.dataType == 0)
    reader.fail(fields.dataType ? fields.dataTypeOffset : size,
                "the TensorProto has no data_type (field 2)");
  std::optional<ElementType> type = fromOnnx(*fields.dataType);
  if (!type)
    reader.fail(fields.dataTypeOffset,
                "data_type " + str(*fields.dataType) + " (" +
                    onnxTypeName(*fields.dataType) + ") is not supported");
  for (size_t i = 0; i < fields.dims.size(); ++i)
    if (fields.dims[i] < 0)
      reader.fail(fields.dimOffsets[i], "dims[" + str(uint64_t(i)) + "] is " +
                                            str(fields.dims[i]) +
                                            ", a dimension cannot be negative");

  Tensor tensor;
  tensor.type = *type;
  tensor.shape = fields.dims;
  if (fields.name)
    tensor.name = *fields.name;
  int64_t itemBytes = elementTypeBytes(tensor.type);
  std::optional<int64_t> elements = elementCount(tensor.shape);
  std::optional<int64_t> bytes =
      elements ? mulChecked(*elements, itemBytes) : std::nullopt;
  if (!bytes)
    reader.fail(fields.dimOffsets.empty() ? 0 : fields.dimOffsets[0],
                "dims " + formatShape(tensor.shape) +
                    " have more elements than 64 bits count");

  struct Typed {
    const char *name;
    const std::vector<PbScalar> *values;
    uint64_t offset;
  };
  const Typed typed[] = {
      {"float_data", &fields.floatData, fields.floatOffset},
      {"int32_data", &fields.int32Data, fields.int32Offset},
      {"int64_data", &fields.int64Data, fields.int64Offset},
      {"double_data", &fields.doubleData, fields.doubleOffset},
      {"uint64_data", &fields.uint64Data, fields.uint64Offset},
  };
  // The one typed field a data_type may use (onnx.proto).
  const char *allowed = nullptr;
  switch (*fields.dataType) {
  case OnnxFloat:
    allowed = "float_data";
    break;
  case OnnxInt32:
  case OnnxInt16:
  case OnnxInt8:
  case OnnxUInt16:
  case OnnxUInt8:
  case OnnxBool:
  case OnnxFloat16:
  case OnnxBFloat16:
    allowed = "int32_data";
    break;
  case OnnxInt64:
    allowed = "int64_data";
    break;
  case OnnxDouble:
    allowed = "double_data";
    break;
  case OnnxUInt32:
  case OnnxUInt64:
    allowed = "uint64_data";
    break;
  default:
    break;
  }
  const Typed *used = nullptr;
  for (const Typed &field : typed) {
    if (field.values->empty())
      continue;
    if (fields.hasRaw)
      reader.fail(field.offset, std::string("the TensorProto has both "
                                            "raw_data and ") +
                                    field.name);
    if (std::string_view(field.name) != allowed)
      reader.fail(field.offset,
                  std::string(field.name) + " cannot hold data_type " +
                      onnxTypeName(*fields.dataType) + " (it belongs in " +
                      allowed + " or raw_data)");
    used = &field;
  }

  if (fields.hasRaw) {
    if (fields.rawSize != uint64_t(*bytes))
      reader.fail(fields.rawFieldOffset,
                  "raw_data is " + str(fields.rawSize) + " bytes but " +
                      describe(tensor.type, tensor.shape) + " needs " +
                      str(*bytes));
    tensor.data.assign(data + fields.rawOffset,
                       data + fields.rawOffset + fields.rawSize);
    if (tensor.type == ElementType::Bool)
      for (size_t i = 0; i < tensor.data.size(); ++i)
        if (tensor.data[i] > 1)
          reader.fail(fields.rawOffset + i,
                      "bool element " + str(uint64_t(i)) + " is " +
                          str(int64_t(tensor.data[i])) + ", not 0 or 1");
    return tensor;
  }
  if (!used) {
    if (*elements != 0)
      reader.fail(size, "the TensorProto has no data (raw_data or " +
                            std::string(allowed) + ") for its " +
                            str(*elements) + " elements");
    return tensor;
  }
  if (used->values->size() != uint64_t(*elements))
    reader.fail(used->offset, std::string(used->name) + " holds " +
                                  str(uint64_t(used->values->size())) +
                                  " values but " +
                                  describe(tensor.type, tensor.shape) +
                                  " has " + str(*elements) + " elements");

  tensor.data.reserve(static_cast<size_t>(*bytes));
  int64_t minValue = 0, maxValue = 0;
  switch (tensor.type) {
  case ElementType::I8:
    minValue = -128, maxValue = 127;
    break;
  case ElementType::UI8:
    maxValue = 255;
    break;
  case ElementType::I16:
    minValue = -32768, maxValue = 32767;
    break;
  case ElementType::UI16:
  case ElementType::F16:
  case ElementType::BF16:
    maxValue = 65535;
    break;
  case ElementType::Bool:
    maxValue = 1;
    break;
  case ElementType::I32:
    minValue = std::numeric_limits<int32_t>::min();
    maxValue = std::numeric_limits<int32_t>::max();
    break;
  case ElementType::UI32:
    maxValue = std::numeric_limits<uint32_t>::max();
    break;
  default:
    break;
  }
  for (size_t i = 0; i < used->values->size(); ++i) {
    const PbScalar &value = (*used->values)[i];
    switch (tensor.type) {
    case ElementType::F32:
      appendLE(tensor.data, value.bits, 4);
      break;
    case ElementType::F64:
    case ElementType::I64:
    case ElementType::UI64:
      appendLE(tensor.data, value.bits, 8);
      break;
    default: {
      // int32_data is a varint of the sign-extended value; uint64_data of
      // the unsigned one.
      bool isUnsigned = tensor.type == ElementType::UI32;
      bool inRange = isUnsigned
                         ? value.bits <= uint64_t(maxValue)
                         : static_cast<int64_t>(value.bits) >= minValue &&
                               static_cast<int64_t>(value.bits) <= maxValue;
      if (!inRange)
        reader.fail(value.offset,
                    std::string(used->name) + "[" + str(uint64_t(i)) + "] = " +
                        (isUnsigned ? str(value.bits)
                                    : str(static_cast<int64_t>(value.bits))) +
                        " is out of range for " +
                        std::string(elementTypeName(tensor.type)));
      appendLE(tensor.data, value.bits, int(itemBytes));
      break;
    }
    }
  }
  return tensor;
}

void appendVarint(std::vector<uint8_t> &out, uint64_t value) {
  while (value >= 0x80) {
    out.push_back(static_cast<uint8_t>(value | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<uint8_t>(value));
}

/// Shortest round-trip text of a float or double.
template <typename T> std::string shortest(T value) {
  char buf[64];
  auto result = std::to_chars(buf, buf + sizeof(buf), value);
  return std::string(buf, result.ptr);
}

} // namespace

//===----------------------------------------------------------------------===//
// Types
//===----------------------------------------------------------------------===//

std::string_view elementTypeName(ElementType type) {
  switch (type) {
  case ElementType::F32:
    return "f32";
  case ElementType::F16:
    return "f16";
  case ElementType::BF16:
    return "bf16";
  case ElementType::I8:
    return "i8";
  case ElementType::UI8:
    return "ui8";
  case ElementType::I32:
    return "i32";
  case ElementType::F64:
    return "f64";
  case ElementType::I16:
    return "i16";
  case ElementType::UI16:
    return "ui16";
  case ElementType::UI32:
    return "ui32";
  case ElementType::I64:
    return "i64";
  case ElementType::UI64:
    return "ui64";
  case ElementType::Bool:
    return "bool";
  }
  return "?";
}

int64_t elementTypeBytes(ElementType type) {
  switch (type) {
  case ElementType::I8:
  case ElementType::UI8:
  case ElementType::Bool:
    return 1;
  case ElementType::F16:
  case ElementType::BF16:
  case ElementType::I16:
  case ElementType::UI16:
    return 2;
  case ElementType::F32:
  case ElementType::I32:
  case ElementType::UI32:
    return 4;
  case ElementType::F64:
  case ElementType::I64:
  case ElementType::UI64:
    return 8;
  }
  return 1;
}

ElementType fromDType(cost::DType type) {
  switch (type) {
  case cost::DType::F32:
    return ElementType::F32;
  case cost::DType::F16:
    return ElementType::F16;
  case cost::DType::BF16:
    return ElementType::BF16;
  case cost::DType::I8:
    return ElementType::I8;
  case cost::DType::UI8:
    return ElementType::UI8;
  case cost::DType::I32:
    return ElementType::I32;
  }
  return ElementType::F32;
}

std::optional<cost::DType> toDType(ElementType type) {
  switch (type) {
  case ElementType::F32:
    return cost::DType::F32;
  case ElementType::F16:
    return cost::DType::F16;
  case ElementType::BF16:
    return cost::DType::BF16;
  case ElementType::I8:
    return cost::DType::I8;
  case ElementType::UI8:
    return cost::DType::UI8;
  case ElementType::I32:
    return cost::DType::I32;
  default:
    return std::nullopt;
  }
}

int64_t Tensor::elements() const { return elementCount(shape).value_or(0); }

//===----------------------------------------------------------------------===//
// Parsing and encoding
//===----------------------------------------------------------------------===//

std::optional<FileFormat> formatFromPath(std::string_view path) {
  auto endsWith = [&](std::string_view suffix) {
    return path.size() > suffix.size() &&
           path.substr(path.size() - suffix.size()) == suffix;
  };
  if (endsWith(".npy"))
    return FileFormat::Npy;
  if (endsWith(".pb"))
    return FileFormat::Pb;
  return std::nullopt;
}

std::string_view extension(FileFormat format) {
  return format == FileFormat::Npy ? ".npy" : ".pb";
}

ReadResult parseNpy(const uint8_t *data, size_t size,
                    std::string_view fileName) {
  ReadResult result;
  try {
    result.tensor = parseNpyOrThrow(data, size, fileName);
  } catch (const FormatError &error) {
    result.error = error.message;
  } catch (const std::bad_alloc &) {
    result.error = std::string(fileName) + ": out of memory";
  }
  return result;
}

ReadResult parsePb(const uint8_t *data, size_t size,
                   std::string_view fileName) {
  ReadResult result;
  try {
    result.tensor = parsePbOrThrow(data, size, fileName);
  } catch (const FormatError &error) {
    result.error = error.message;
  } catch (const std::bad_alloc &) {
    result.error = std::string(fileName) + ": out of memory";
  }
  return result;
}

ReadResult parseTensor(FileFormat format, const uint8_t *data, size_t size,
                       std::string_view fileName) {
  return format == FileFormat::Npy ? parseNpy(data, size, fileName)
                                   : parsePb(data, size, fileName);
}

ReadResult readTensorFile(const std::string &path) {
  ReadResult result;
  std::optional<FileFormat> format = formatFromPath(path);
  if (!format) {
    result.error = path + ": cannot tell the file's format from its name "
                          "(expected a .npy or .pb extension)";
    return result;
  }
  std::vector<uint8_t> bytes;
  if (!readFile(path, bytes, result.error))
    return result;
  return parseTensor(*format, bytes.data(), bytes.size(), path);
}

std::vector<uint8_t> encodeNpy(const Tensor &tensor) {
  std::string header = "{'descr': '";
  header += npyDescr(tensor.type);
  header += "', 'fortran_order': False, 'shape': (";
  for (size_t i = 0; i < tensor.shape.size(); ++i) {
    if (i)
      header += ", ";
    header += std::to_string(tensor.shape[i]);
  }
  if (tensor.shape.size() == 1)
    header += ",";
  header += "), }";
  // Pad with spaces and end with a newline so that the data starts at a
  // multiple of 64 bytes, as NumPy does; a header over 64 KiB needs the
  // 4-byte length of version 2.0.
  size_t preamble = 10;
  size_t total = preamble + header.size() + 1;
  if (total + (64 - total % 64) % 64 - preamble > 0xffff) {
    preamble = 12;
    total = preamble + header.size() + 1;
  }
  header.append((64 - total % 64) % 64, ' ');
  header += '\n';

  std::vector<uint8_t> out(kNpyMagic, kNpyMagic + sizeof(kNpyMagic));
  out.push_back(preamble == 10 ? 1 : 2);
  out.push_back(0);
  appendLE(out, header.size(), preamble == 10 ? 2 : 4);
  out.insert(out.end(), header.begin(), header.end());
  out.insert(out.end(), tensor.data.begin(), tensor.data.end());
  return out;
}

std::vector<uint8_t> encodePb(const Tensor &tensor) {
  std::vector<uint8_t> out;
  for (int64_t dim : tensor.shape) {
    out.push_back(1 << 3 | Varint);
    appendVarint(out, static_cast<uint64_t>(dim));
  }
  out.push_back(2 << 3 | Varint);
  appendVarint(out, static_cast<uint64_t>(toOnnx(tensor.type)));
  if (!tensor.name.empty()) {
    out.push_back(8 << 3 | Len);
    appendVarint(out, tensor.name.size());
    out.insert(out.end(), tensor.name.begin(), tensor.name.end());
  }
  out.push_back(9 << 3 | Len);
  appendVarint(out, tensor.data.size());
  out.insert(out.end(), tensor.data.begin(), tensor.data.end());
  return out;
}

std::vector<uint8_t> encodeTensor(FileFormat format, const Tensor &tensor) {
  return format == FileFormat::Npy ? encodeNpy(tensor) : encodePb(tensor);
}

//===----------------------------------------------------------------------===//
// Files
//===----------------------------------------------------------------------===//

bool readFile(const std::string &path, std::vector<uint8_t> &bytes,
              std::string &error) {
  return readRegularFile(path, bytes, error);
}

namespace {

/// Writes `bytes` to a fresh temporary file next to `path`; returns its name
/// in `temp`, or an error.
std::string writeTemporary(const std::string &path,
                           const std::vector<uint8_t> &bytes,
                           std::string &temp) {
  // A name no other writer uses; open(O_EXCL) with 0666 so that the final
  // file gets the permissions of the umask, as a plain write would.
  static unsigned counter = 0;
  int fd = -1;
  for (int attempt = 0; attempt < 100 && fd < 0; ++attempt) {
    temp = path + ".tmp-" + std::to_string(::getpid()) + "-" +
           std::to_string(counter++);
    fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0 && errno != EEXIST)
      break;
  }
  if (fd < 0)
    return "cannot write " + quoted(path) + ": " + std::strerror(errno);
  size_t written = 0;
  while (written < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0) {
      std::string reason = n < 0 ? std::strerror(errno) : "short write";
      ::close(fd);
      ::unlink(temp.c_str());
      return "cannot write " + quoted(path) + ": " + reason;
    }
    written += static_cast<size_t>(n);
  }
  if (::close(fd) != 0) {
    std::string reason = std::strerror(errno);
    ::unlink(temp.c_str());
    return "cannot write " + quoted(path) + ": " + reason;
  }
  return "";
}

} // namespace

std::string writeFilesAtomically(
    const std::vector<std::pair<std::string, std::vector<uint8_t>>> &files) {
  // Phase 1: every file under a temporary name; undone on any failure.
  std::vector<std::string> temps;
  for (const auto &[path, bytes] : files) {
    std::string temp;
    std::string error = writeTemporary(path, bytes, temp);
    if (!error.empty()) {
      for (const std::string &written : temps)
        ::unlink(written.c_str());
      return error;
    }
    temps.push_back(temp);
  }
  // Phase 2: renames, which only fail when something else changes the
  // directories meanwhile.
  for (size_t i = 0; i < files.size(); ++i) {
    if (std::rename(temps[i].c_str(), files[i].first.c_str()) != 0) {
      std::string error = "cannot write " + quoted(files[i].first) + ": " +
                          std::strerror(errno);
      for (size_t j = i; j < temps.size(); ++j)
        ::unlink(temps[j].c_str());
      return error;
    }
  }
  return "";
}

std::string writeFileAtomically(const std::string &path,
                                const std::vector<uint8_t> &bytes) {
  return writeFilesAtomically({{path, bytes}});
}

//===----------------------------------------------------------------------===//
// Text
//===----------------------------------------------------------------------===//

std::string formatShape(const std::vector<int64_t> &shape) {
  std::string out = "[";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i)
      out += ", ";
    out += std::to_string(shape[i]);
  }
  return out + "]";
}

std::string describe(ElementType type, const std::vector<int64_t> &shape) {
  return std::string(elementTypeName(type)) + formatShape(shape);
}

float halfToFloat(uint16_t bits) {
  uint32_t sign = uint32_t(bits >> 15) << 31;
  uint32_t exponent = (bits >> 10) & 0x1f;
  uint32_t mantissa = bits & 0x3ff;
  float value;
  if (exponent == 0) {
    // Zero or subnormal: mantissa * 2^-24, exact in float.
    value = std::ldexp(static_cast<float>(mantissa), -24);
    return sign ? -value : value;
  }
  uint32_t out;
  if (exponent == 31)
    out = sign | 0x7f800000u | mantissa << 13;
  else
    out = sign | (exponent - 15 + 127) << 23 | mantissa << 13;
  std::memcpy(&value, &out, 4);
  return value;
}

float bfloat16ToFloat(uint16_t bits) {
  uint32_t out = uint32_t(bits) << 16;
  float value;
  std::memcpy(&value, &out, 4);
  return value;
}

std::string formatValues(const Tensor &tensor, size_t limit) {
  int64_t itemBytes = elementTypeBytes(tensor.type);
  size_t count = tensor.data.size() / size_t(itemBytes);
  size_t shown = limit == 0 ? count : std::min(count, limit);
  std::string out;
  for (size_t i = 0; i < shown; ++i) {
    if (i)
      out += ", ";
    const uint8_t *p = tensor.data.data() + i * size_t(itemBytes);
    uint64_t bits = 0;
    for (int64_t b = 0; b < itemBytes; ++b)
      bits |= uint64_t(p[b]) << (8 * b);
    switch (tensor.type) {
    case ElementType::F32: {
      float value;
      uint32_t raw = static_cast<uint32_t>(bits);
      std::memcpy(&value, &raw, 4);
      out += shortest(value);
      break;
    }
    case ElementType::F16:
      out += shortest(halfToFloat(static_cast<uint16_t>(bits)));
      break;
    case ElementType::BF16:
      out += shortest(bfloat16ToFloat(static_cast<uint16_t>(bits)));
      break;
    case ElementType::F64: {
      double value;
      std::memcpy(&value, &bits, 8);
      out += shortest(value);
      break;
    }
    case ElementType::I8:
      out += std::to_string(static_cast<int8_t>(bits));
      break;
    case ElementType::I16:
      out += std::to_string(static_cast<int16_t>(bits));
      break;
    case ElementType::I32:
      out += std::to_string(static_cast<int32_t>(bits));
      break;
    case ElementType::I64:
      out += std::to_string(static_cast<int64_t>(bits));
      break;
    case ElementType::UI8:
    case ElementType::UI16:
    case ElementType::UI32:
    case ElementType::UI64:
      out += std::to_string(bits);
      break;
    case ElementType::Bool:
      out += bits ? "true" : "false";
      break;
    }
  }
  if (shown < count)
    out += (shown ? ", ... (" : "... (") + std::to_string(count - shown) +
           " more)";
  return out;
}

} // namespace npu::rt::io
