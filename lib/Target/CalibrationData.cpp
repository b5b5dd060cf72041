//===- CalibrationData.cpp - Labelled images for calibration --------------===//
//
// Reading follows the runtime's rule for untrusted bytes: verify, then read.
// A file is read whole (and inflated whole when gzip'd, with the size capped
// while inflating), its header is parsed into an element type and a shape,
// the shape's byte count is checked against what actually follows, and only
// then are the selected samples decoded.
//
// IDX (yann.lecun.com/exdb/mnist): a big-endian magic 0x0000TTDD (TT the
// element type, DD the number of dims), DD big-endian uint32 dims, then the
// elements, big-endian.
//
// .npy (numpy.org/neps/nep-0001-npy-format.html): "\x93NUMPY", a version
// byte pair, a little-endian header length (2 bytes in 1.0, 4 in 2.0 and
// 3.0), a Python dict literal with 'descr', 'fortran_order' and 'shape',
// then the elements.
//
//===----------------------------------------------------------------------===//

#include "npu/Target/CalibrationData.h"

#include "npu/Support/InputFile.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/MemoryBuffer.h"

#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <memory>
#include <optional>

using namespace npu;
using llvm::StringRef;

namespace {

llvm::Error fileError(StringRef path, const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 path + ": " + message);
}

llvm::Error plainError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

/// A double as printf's %g writes it ("0.001", "nan", "-inf"); formatv's
/// default (fixed, 2 digits) would hide small values.
std::string formatNumber(double value) {
  char text[32];
  std::snprintf(text, sizeof(text), "%g", value);
  return text;
}

//===----------------------------------------------------------------------===//
// Reading and inflating
//===----------------------------------------------------------------------===//

/// The largest ratio deflate achieves (258 bytes from one 2-bit code, about
/// 1032:1); a gzip trailer claiming more is lying.
constexpr uint64_t kMaxDeflateRatio = 1032;

/// Inflates every gzip member of `in` into `out`, failing once the output
/// would exceed `maxBytes`.
llvm::Error gunzip(StringRef path, llvm::ArrayRef<uint8_t> in,
                   uint64_t maxBytes, std::vector<uint8_t> &out) {
  z_stream stream;
  std::memset(&stream, 0, sizeof(stream));
  // 16 + MAX_WBITS: gzip framing only, with its header and CRC checks.
  if (inflateInit2(&stream, 16 + MAX_WBITS) != Z_OK)
    return fileError(path, "cannot initialise zlib");
  llvm::scope_exit finish([&] { inflateEnd(&stream); });

  // The trailer's ISIZE (the size mod 2^32 of the last member) is a hint for
  // the first allocation, no more: it is bounded by what the compressed
  // bytes can expand to and by the cap.
  uint64_t capacity = 1 << 16;
  if (in.size() >= 4) {
    const uint8_t *t = in.end() - 4;
    uint64_t hint = t[0] | t[1] << 8 | t[2] << 16 | uint64_t(t[3]) << 24;
    // min(hint, in.size() * kMaxDeflateRatio), without overflowing.
    uint64_t bound = hint / kMaxDeflateRatio < in.size()
                         ? hint
                         : in.size() * kMaxDeflateRatio;
    capacity = std::max(capacity, bound + 1);
  }
  capacity = std::min(capacity, maxBytes + 1);
  out.resize(capacity);

  size_t inPos = 0;
  uint64_t outPos = 0;
  while (true) {
    if (outPos == out.size()) {
      if (out.size() > maxBytes)
        return fileError(path, llvm::formatv("decompresses to more than the "
                                             "limit of {0} bytes",
                                             maxBytes));
      out.resize(std::min<uint64_t>(out.size() * 2, maxBytes + 1));
    }
    size_t inChunk =
        std::min<size_t>(in.size() - inPos, std::numeric_limits<uInt>::max());
    uint64_t outChunk = std::min<uint64_t>(out.size() - outPos,
                                           std::numeric_limits<uInt>::max());
    stream.next_in = const_cast<Bytef *>(in.data() + inPos);
    stream.avail_in = static_cast<uInt>(inChunk);
    stream.next_out = out.data() + outPos;
    stream.avail_out = static_cast<uInt>(outChunk);
    int status = inflate(&stream, Z_NO_FLUSH);
    inPos += inChunk - stream.avail_in;
    outPos += outChunk - stream.avail_out;

    if (status == Z_STREAM_END) {
      if (inPos == in.size())
        break;
      // Another member follows (gzip allows concatenation); nothing else
      // may.
      if (in.size() - inPos >= 2 && in[inPos] == 0x1f &&
          in[inPos + 1] == 0x8b) {
        inflateReset(&stream);
        continue;
      }
      return fileError(path, llvm::formatv("{0} bytes follow the gzip data",
                                           in.size() - inPos));
    }
    if (status == Z_OK)
      continue;
    if (status == Z_BUF_ERROR && stream.avail_out == 0)
      continue; // The output is full: grow it.
    if (status == Z_BUF_ERROR && inPos == in.size())
      return fileError(path, "truncated gzip data");
    if (status == Z_MEM_ERROR)
      return fileError(path, "out of memory while inflating");
    return fileError(path, llvm::Twine("corrupt gzip data: ") +
                               (stream.msg ? stream.msg : "unknown error"));
  }
  out.resize(outPos);
  return llvm::Error::success();
}

/// The bytes to parse: `raw` itself, or `raw` inflated into `inflated` when
/// it starts with gzip's magic bytes.
llvm::Expected<llvm::ArrayRef<uint8_t>>
inflateIfGzip(StringRef path, llvm::ArrayRef<uint8_t> raw, uint64_t maxBytes,
              std::vector<uint8_t> &inflated) {
  if (raw.size() < 2 || raw[0] != 0x1f || raw[1] != 0x8b)
    return raw;
  if (llvm::Error error = gunzip(path, raw, maxBytes, inflated))
    return std::move(error);
  return llvm::ArrayRef<uint8_t>(inflated);
}

//===----------------------------------------------------------------------===//
// Arrays
//===----------------------------------------------------------------------===//

enum class ElementType { U8, I8, U16, I16, U32, I32, U64, I64, F32, F64 };

unsigned elementSize(ElementType type) {
  switch (type) {
  case ElementType::U8:
  case ElementType::I8:
    return 1;
  case ElementType::U16:
  case ElementType::I16:
    return 2;
  case ElementType::U32:
  case ElementType::I32:
  case ElementType::F32:
    return 4;
  case ElementType::U64:
  case ElementType::I64:
  case ElementType::F64:
    return 8;
  }
  llvm_unreachable("unknown element type");
}

bool isFloat(ElementType type) {
  return type == ElementType::F32 || type == ElementType::F64;
}

/// A parsed file: its element type and shape, and the bytes of its
/// elements, verified to be exactly product(shape) * elementSize long.
struct Array {
  ElementType type = ElementType::U8;
  bool bigEndian = false;
  std::vector<int64_t> shape;
  llvm::ArrayRef<uint8_t> data;
};

std::string formatShape(llvm::ArrayRef<int64_t> shape, StringRef separator) {
  std::string text;
  for (auto [i, dim] : llvm::enumerate(shape)) {
    if (i != 0)
      text += separator;
    text += std::to_string(dim);
  }
  return text;
}

/// Checks that `available` bytes hold exactly the elements of `shape`. The
/// first dim counts `noun`s ("images", "labels").
llvm::Error checkDataSize(StringRef path, StringRef noun,
                          llvm::ArrayRef<int64_t> shape, unsigned size,
                          uint64_t available) {
  std::string what = shape.empty()
                         ? std::string("a scalar")
                         : std::to_string(shape[0]) + " " + noun.str();
  if (shape.size() > 1)
    what += " of " + formatShape(shape.drop_front(), "x");
  int64_t bytes = size;
  for (int64_t dim : shape) {
    if (llvm::MulOverflow(bytes, dim, bytes))
      return fileError(path, llvm::formatv("truncated: header says {0} (more "
                                           "than 2^63 bytes) but {1} bytes "
                                           "follow",
                                           what, available));
  }
  if (static_cast<uint64_t>(bytes) > available)
    return fileError(path, llvm::formatv("truncated: header says {0} ({1} "
                                         "bytes) but {2} bytes follow",
                                         what, bytes, available));
  if (static_cast<uint64_t>(bytes) < available)
    return fileError(path, llvm::formatv("{0} bytes follow the data of the "
                                         "header's {1} ({2} bytes)",
                                         available - bytes, what, bytes));
  return llvm::Error::success();
}

llvm::Expected<Array> parseIDX(StringRef path, StringRef noun,
                               llvm::ArrayRef<uint8_t> bytes) {
  Array array;
  array.bigEndian = true;
  switch (bytes[2]) {
  case 0x08:
    array.type = ElementType::U8;
    break;
  case 0x09:
    array.type = ElementType::I8;
    break;
  case 0x0B:
    array.type = ElementType::I16;
    break;
  case 0x0C:
    array.type = ElementType::I32;
    break;
  case 0x0D:
    array.type = ElementType::F32;
    break;
  case 0x0E:
    array.type = ElementType::F64;
    break;
  default:
    return fileError(path, llvm::formatv("unknown IDX data type 0x{0:x-2}",
                                         unsigned(bytes[2])));
  }
  unsigned rank = bytes[3];
  if (rank == 0)
    return fileError(path, "IDX header has 0 dimensions");
  size_t headerSize = 4 + 4 * size_t(rank);
  if (bytes.size() < headerSize)
    return fileError(path, llvm::formatv("truncated: IDX header of {0} "
                                         "dimensions needs {1} bytes but the "
                                         "file has {2}",
                                         rank, headerSize, bytes.size()));
  for (unsigned d = 0; d < rank; ++d) {
    const uint8_t *p = bytes.data() + 4 + 4 * d;
    array.shape.push_back(int64_t(p[0]) << 24 | int64_t(p[1]) << 16 |
                          int64_t(p[2]) << 8 | int64_t(p[3]));
  }
  array.data = bytes.drop_front(headerSize);
  if (llvm::Error error = checkDataSize(
          path, noun, array.shape, elementSize(array.type), array.data.size()))
    return std::move(error);
  return array;
}

/// A parser of the Python dict literal of an .npy header.
class NpyHeaderParser {
public:
  NpyHeaderParser(StringRef path, StringRef text) : path(path), text(text) {}

  llvm::Error parse(std::string &descr, bool &fortranOrder,
                    std::vector<int64_t> &shape) {
    bool seenDescr = false, seenOrder = false, seenShape = false;
    if (!consume('{'))
      return expected("'{'");
    while (!peek('}')) {
      std::string key;
      if (llvm::Error error = parseString(key))
        return error;
      if (!consume(':'))
        return expected("':'");
      if (key == "descr") {
        if (peek('['))
          return fileError(path, "structured .npy dtypes are not supported");
        if (llvm::Error error = parseString(descr))
          return error;
        seenDescr = true;
      } else if (key == "fortran_order") {
        if (consumeWord("True"))
          fortranOrder = true;
        else if (consumeWord("False"))
          fortranOrder = false;
        else
          return expected("True or False");
        seenOrder = true;
      } else if (key == "shape") {
        if (llvm::Error error = parseShape(shape))
          return error;
        seenShape = true;
      } else {
        return fileError(
            path, llvm::formatv("unknown key '{0}' in .npy header", key));
      }
      if (!consume(','))
        break;
    }
    if (!consume('}'))
      return expected("'}'");
    skipSpace();
    if (pos != text.size())
      return expected("the end of the header");
    if (!seenDescr || !seenOrder || !seenShape)
      return fileError(path, llvm::formatv(".npy header lacks '{0}'",
                                           !seenDescr   ? "descr"
                                           : !seenOrder ? "fortran_order"
                                                        : "shape"));
    return llvm::Error::success();
  }

private:
  void skipSpace() {
    while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\t' ||
                                 text[pos] == '\n' || text[pos] == '\r'))
      ++pos;
  }
  bool peek(char c) {
    skipSpace();
    return pos < text.size() && text[pos] == c;
  }
  bool consume(char c) {
    if (!peek(c))
      return false;
    ++pos;
    return true;
  }
  bool consumeWord(StringRef word) {
    skipSpace();
    if (!text.substr(pos).starts_with(word))
      return false;
    pos += word.size();
    return true;
  }
  llvm::Error expected(StringRef what) {
    return fileError(path, llvm::formatv("malformed .npy header: expected {0} "
                                         "at offset {1} of \"{2}\"",
                                         what, pos, text.rtrim()));
  }
  llvm::Error parseString(std::string &value) {
    skipSpace();
    if (pos >= text.size() || (text[pos] != '\'' && text[pos] != '"'))
      return expected("a string");
    char quote = text[pos++];
    size_t end = text.find(quote, pos);
    if (end == StringRef::npos)
      return expected("the end of a string");
    value = text.slice(pos, end).str();
    pos = end + 1;
    return llvm::Error::success();
  }
  llvm::Error parseShape(std::vector<int64_t> &shape) {
    if (!consume('('))
      return expected("a shape tuple");
    while (!peek(')')) {
      skipSpace();
      size_t start = pos;
      while (pos < text.size() && llvm::isDigit(text[pos]))
        ++pos;
      int64_t dim;
      if (text.slice(start, pos).getAsInteger(10, dim) || dim < 0)
        return expected("a dimension");
      // Python 2 wrote longs as 10L.
      if (pos < text.size() && text[pos] == 'L')
        ++pos;
      shape.push_back(dim);
      if (!consume(','))
        break;
    }
    if (!consume(')'))
      return expected("')'");
    return llvm::Error::success();
  }

  StringRef path;
  StringRef text;
  size_t pos = 0;
};

llvm::Expected<Array> parseNpy(StringRef path, StringRef noun,
                               llvm::ArrayRef<uint8_t> bytes) {
  if (bytes.size() < 10)
    return fileError(path, "truncated .npy header");
  unsigned major = bytes[6], minor = bytes[7];
  size_t headerStart, headerSize;
  if (major == 1) {
    headerStart = 10;
    headerSize = bytes[8] | bytes[9] << 8;
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12)
      return fileError(path, "truncated .npy header");
    headerStart = 12;
    headerSize = size_t(bytes[8]) | size_t(bytes[9]) << 8 |
                 size_t(bytes[10]) << 16 | size_t(bytes[11]) << 24;
  } else {
    return fileError(
        path, llvm::formatv("unsupported .npy version {0}.{1}", major, minor));
  }
  if (bytes.size() - headerStart < headerSize)
    return fileError(path,
                     llvm::formatv("truncated: .npy header of {0} bytes "
                                   "but {1} bytes follow",
                                   headerSize, bytes.size() - headerStart));
  StringRef text(reinterpret_cast<const char *>(bytes.data() + headerStart),
                 headerSize);

  std::string descr;
  bool fortranOrder = false;
  Array array;
  NpyHeaderParser parser(path, text);
  if (llvm::Error error = parser.parse(descr, fortranOrder, array.shape))
    return std::move(error);
  if (fortranOrder)
    return fileError(path, "Fortran-ordered .npy arrays are not supported "
                           "(save a C-ordered array)");

  static const struct {
    const char *name;
    ElementType type;
  } kTypes[] = {{"u1", ElementType::U8},  {"i1", ElementType::I8},
                {"u2", ElementType::U16}, {"i2", ElementType::I16},
                {"u4", ElementType::U32}, {"i4", ElementType::I32},
                {"u8", ElementType::U64}, {"i8", ElementType::I64},
                {"f4", ElementType::F32}, {"f8", ElementType::F64}};
  StringRef name = StringRef(descr).drop_front();
  char order = descr.empty() ? '?' : descr[0];
  const auto *it =
      llvm::find_if(kTypes, [&](const auto &t) { return name == t.name; });
  if (it == std::end(kTypes) || !StringRef("<>|=").contains(order))
    return fileError(path,
                     llvm::formatv("unsupported .npy dtype '{0}'", descr));
  array.type = it->type;
  // One-byte elements have no byte order; wider ones must be little-endian.
  if (elementSize(array.type) > 1 && order != '<')
    return fileError(path, llvm::formatv("unsupported .npy dtype '{0}': only "
                                         "little-endian data is read",
                                         descr));
  array.data = bytes.drop_front(headerStart + headerSize);
  if (llvm::Error error = checkDataSize(
          path, noun, array.shape, elementSize(array.type), array.data.size()))
    return std::move(error);
  return array;
}

llvm::Expected<Array> parseArray(StringRef path, StringRef noun,
                                 llvm::ArrayRef<uint8_t> bytes) {
  static const uint8_t kNpyMagic[] = {0x93, 'N', 'U', 'M', 'P', 'Y'};
  if (bytes.size() >= 6 && std::memcmp(bytes.data(), kNpyMagic, 6) == 0)
    return parseNpy(path, noun, bytes);
  if (bytes.size() < 4)
    return fileError(path, llvm::formatv("not an IDX or .npy file ({0} "
                                         "bytes)",
                                         bytes.size()));
  if (bytes[0] == 0 && bytes[1] == 0)
    return parseIDX(path, noun, bytes);
  uint32_t magic = uint32_t(bytes[0]) << 24 | uint32_t(bytes[1]) << 16 |
                   uint32_t(bytes[2]) << 8 | uint32_t(bytes[3]);
  return fileError(path, llvm::formatv("not an IDX or .npy file (magic "
                                       "0x{0:x-8})",
                                       magic));
}

/// The raw bits of element `index`.
uint64_t loadBits(const Array &array, uint64_t index) {
  unsigned size = elementSize(array.type);
  const uint8_t *p = array.data.data() + index * size;
  uint64_t bits = 0;
  if (array.bigEndian) {
    for (unsigned i = 0; i < size; ++i)
      bits = bits << 8 | p[i];
  } else {
    for (unsigned i = size; i-- > 0;)
      bits = bits << 8 | p[i];
  }
  return bits;
}

/// Element `index` of an integer array, sign-extended; false for a u8 value
/// past the int64 range (then `bits` holds it).
bool loadInteger(const Array &array, uint64_t index, int64_t &value,
                 uint64_t &bits) {
  bits = loadBits(array, index);
  switch (array.type) {
  case ElementType::I8:
    value = static_cast<int8_t>(bits);
    return true;
  case ElementType::I16:
    value = static_cast<int16_t>(bits);
    return true;
  case ElementType::I32:
    value = static_cast<int32_t>(bits);
    return true;
  case ElementType::U64:
    if (bits > uint64_t(std::numeric_limits<int64_t>::max()))
      return false;
    [[fallthrough]];
  default:
    value = static_cast<int64_t>(bits);
    return true;
  }
}

/// Element `index` as a float: integers are multiplied by `scale`, floats
/// taken as stored.
float loadValue(const Array &array, uint64_t index, double scale) {
  if (array.type == ElementType::F32) {
    uint32_t bits = static_cast<uint32_t>(loadBits(array, index));
    float value;
    std::memcpy(&value, &bits, sizeof(value));
    return value;
  }
  if (array.type == ElementType::F64) {
    uint64_t bits = loadBits(array, index);
    double value;
    std::memcpy(&value, &bits, sizeof(value));
    return static_cast<float>(value);
  }
  int64_t value;
  uint64_t bits;
  if (!loadInteger(array, index, value, bits))
    return static_cast<float>(static_cast<double>(bits) * scale);
  return static_cast<float>(static_cast<double>(value) * scale);
}

} // namespace

int64_t CalibrationSet::sampleElements() const {
  int64_t elements = 1;
  for (int64_t dim : sampleShape)
    elements *= dim;
  return elements;
}

namespace {

/// The checks of `source`'s options and of `numClasses`, made before any
/// file is read.
llvm::Error checkOptions(const CalibrationSource &source, int64_t numClasses) {
  if (numClasses < 1 || numClasses > std::numeric_limits<int32_t>::max())
    return plainError(
        llvm::formatv("numClasses must be in [1, 2^31), got {0}", numClasses));
  if (!std::isfinite(source.scale))
    return plainError(llvm::formatv("scale must be finite, got {0}",
                                    formatNumber(source.scale)));
  if (source.offset < 0)
    return plainError(llvm::formatv("negative offset {0}", source.offset));
  if (source.count == 0)
    return plainError("no samples: count is 0");
  if (source.count < -1)
    return plainError(llvm::formatv(
        "count must be -1 (all) or positive, got {0}", source.count));
  if (source.maxBytes <= 0)
    return plainError(
        llvm::formatv("maxBytes must be positive, got {0}", source.maxBytes));
  return llvm::Error::success();
}

llvm::ArrayRef<uint8_t> bytesOf(const llvm::MemoryBuffer &buffer) {
  return {reinterpret_cast<const uint8_t *>(buffer.getBufferStart()),
          buffer.getBufferSize()};
}

/// Inflates (when gzip'd) and parses the bytes of one file; the result
/// points into `raw` or `inflated`.
llvm::Expected<Array> decodeArray(StringRef path, StringRef noun,
                                  llvm::ArrayRef<uint8_t> raw,
                                  uint64_t maxBytes,
                                  std::vector<uint8_t> &inflated) {
  auto bytes = inflateIfGzip(path, raw, maxBytes, inflated);
  if (!bytes)
    return bytes.takeError();
  return parseArray(path, noun, *bytes);
}

/// Samples [offset, offset + count) of the parsed files, checked.
llvm::Expected<CalibrationSet> selectSamples(const CalibrationSource &source,
                                             const Array &images,
                                             const Array &labels,
                                             int64_t numClasses) {
  uint64_t maxBytes = source.maxBytes;
  if (images.shape.size() < 2)
    return fileError(source.images,
                     llvm::formatv("images of shape [{0}] have no sample "
                                   "dimension: expected [N, d1, ...]",
                                   formatShape(images.shape, ", ")));
  if (labels.shape.size() != 1)
    return fileError(source.labels,
                     llvm::formatv("labels must be 1-D, got shape [{0}]",
                                   formatShape(labels.shape, ", ")));
  if (isFloat(labels.type))
    return fileError(source.labels, "labels must be integers, not floats");

  CalibrationSet set;
  set.sampleShape.assign(images.shape.begin() + 1, images.shape.end());
  if (llvm::is_contained(set.sampleShape, 0))
    return fileError(source.images,
                     llvm::formatv("samples of shape [{0}] have no elements",
                                   formatShape(set.sampleShape, ", ")));
  // The file's size bounds the product only when it holds a sample: with no
  // samples ([0, d1, ...]) the sample dims may multiply past 2^63.
  int64_t sampleElements = 1;
  for (int64_t dim : set.sampleShape)
    if (llvm::MulOverflow(sampleElements, dim, sampleElements))
      return fileError(source.images,
                       llvm::formatv("samples of shape [{0}] have more than "
                                     "2^63 elements",
                                     formatShape(set.sampleShape, ", ")));

  int64_t total = images.shape[0];
  if (labels.shape[0] != total)
    return plainError(llvm::formatv("{0}: {1} images but {2}: {3} labels",
                                    source.images, total, source.labels,
                                    labels.shape[0]));
  if (total == 0)
    return fileError(source.images, "no samples: the file holds none");
  if (source.offset >= total)
    return plainError(llvm::formatv("offset {0} is past the {1} samples of {2}",
                                    source.offset, total, source.images));
  int64_t count = source.count == -1 ? total - source.offset : source.count;
  if (count > total - source.offset)
    return plainError(llvm::formatv("offset {0} + count {1} runs past the {2} "
                                    "samples of {3}",
                                    source.offset, count, total,
                                    source.images));
  // The file holds count * sampleElements elements of at least one byte, so
  // this product does not overflow.
  uint64_t values = uint64_t(count) * uint64_t(sampleElements);
  if (values > maxBytes / sizeof(float))
    return plainError(llvm::formatv("{0} samples of {1} values need {2} bytes "
                                    "as floats, more than the limit of {3}",
                                    count, sampleElements,
                                    values * sizeof(float), maxBytes));

  set.numSamples = count;
  set.labels.resize(count);
  for (int64_t s = 0; s < count; ++s) {
    int64_t sample = source.offset + s;
    int64_t label;
    uint64_t bits;
    if (!loadInteger(labels, sample, label, bits))
      return fileError(source.labels,
                       llvm::formatv("label {0} of sample {1} is out of range "
                                     "[0, {2})",
                                     bits, sample, numClasses));
    if (label < 0 || label >= numClasses)
      return fileError(source.labels,
                       llvm::formatv("label {0} of sample {1} is out of range "
                                     "[0, {2})",
                                     label, sample, numClasses));
    set.labels[s] = static_cast<int32_t>(label);
  }

  set.samples.resize(values);
  uint64_t first = uint64_t(source.offset) * uint64_t(sampleElements);
  for (int64_t s = 0; s < count; ++s) {
    for (int64_t e = 0; e < sampleElements; ++e) {
      uint64_t index = uint64_t(s) * uint64_t(sampleElements) + uint64_t(e);
      float value = loadValue(images, first + index, source.scale);
      if (!std::isfinite(value))
        return fileError(source.images,
                         llvm::formatv("sample {0} has a non-finite value "
                                       "({1}) at element {2}",
                                       source.offset + s, formatNumber(value),
                                       e));
      set.samples[index] = value;
    }
  }
  return std::move(set);
}

} // namespace

llvm::Expected<CalibrationSet> npu::decodeCalibrationSet(
    const CalibrationSource &source, llvm::ArrayRef<uint8_t> imageBytes,
    llvm::ArrayRef<uint8_t> labelBytes, int64_t numClasses) {
  if (llvm::Error error = checkOptions(source, numClasses))
    return std::move(error);
  std::vector<uint8_t> imagesInflated, labelsInflated;
  auto images = decodeArray(source.images, "images", imageBytes,
                            source.maxBytes, imagesInflated);
  if (!images)
    return images.takeError();
  auto labels = decodeArray(source.labels, "labels", labelBytes,
                            source.maxBytes, labelsInflated);
  if (!labels)
    return labels.takeError();
  return selectSamples(source, *images, *labels, numClasses);
}

llvm::Expected<CalibrationSet>
npu::loadCalibrationSet(const CalibrationSource &source, int64_t numClasses) {
  if (llvm::Error error = checkOptions(source, numClasses))
    return std::move(error);
  // Each file is read and parsed before the next is opened, so that the
  // first problem reported is the first one met.
  std::string reason;
  std::unique_ptr<llvm::MemoryBuffer> imageFile =
      mlir::npu::readInputFile(source.images, reason, source.maxBytes);
  if (!imageFile)
    return fileError(source.images, reason);
  std::vector<uint8_t> imagesInflated, labelsInflated;
  auto images = decodeArray(source.images, "images", bytesOf(*imageFile),
                            source.maxBytes, imagesInflated);
  if (!images)
    return images.takeError();
  std::unique_ptr<llvm::MemoryBuffer> labelFile =
      mlir::npu::readInputFile(source.labels, reason, source.maxBytes);
  if (!labelFile)
    return fileError(source.labels, reason);
  auto labels = decodeArray(source.labels, "labels", bytesOf(*labelFile),
                            source.maxBytes, labelsInflated);
  if (!labels)
    return labels.takeError();
  return selectSamples(source, *images, *labels, numClasses);
}
