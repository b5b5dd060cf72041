//===- Segments.cpp - The npuisa.segments attribute of a program ---------===//
//
// A program's DRAM contents (weights and other constants) are given in the
// IR by the discardable attribute `npuisa.segments` on `npuisa.program`:
//
//   npuisa.segments = [{dram = 4096 : i64, data = dense<...> : tensor<72xf32>}]
//
// Each segment's bytes are the little-endian encoding of its elements. This
// file checks the attribute and extracts the bytes, for the emitter (and the
// disassembler, which checks what it rebuilt with the same rules).
//
//===----------------------------------------------------------------------===//

#include "npu/Dialect/NPU/NPUDialect.h"
#include "npu/Dialect/NPUISA/NPUISAOps.h"
#include "npu/Target/Binary.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/SwapByteOrder.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <tuple>

using namespace mlir;
using namespace mlir::npu;

namespace {

/// Bytes per element of `type`, when it has a whole-byte encoding.
std::optional<unsigned> byteWidth(Type type) {
  if (!isa<IntegerType, FloatType>(type))
    return std::nullopt;
  unsigned bits = type.getIntOrFloatBitWidth();
  if (bits == 0 || bits % 8 != 0)
    return std::nullopt;
  return bits / 8;
}

/// Appends `raw` (host order, elements of `width` bytes) to `out` in
/// little-endian order.
void appendLittleEndian(ArrayRef<char> raw, unsigned width,
                        std::vector<uint8_t> &out) {
  size_t start = out.size();
  out.insert(out.end(), raw.begin(), raw.end());
  if (llvm::sys::IsLittleEndianHost || width == 1)
    return;
  for (size_t i = start; i < out.size(); i += width)
    std::reverse(out.begin() + i, out.begin() + i + width);
}

} // namespace

ArrayRef<uint8_t>
mlir::npu::Segment::getBytes(std::vector<uint8_t> &scratch) const {
  unsigned width = *byteWidth(
      cast<ShapedType>(cast<TypedAttr>(data).getType()).getElementType());
  ArrayRef<char> raw;
  bool splat = false;
  if (auto dense = dyn_cast<DenseIntOrFPElementsAttr>(data)) {
    raw = dense.getRawData();
    splat = dense.isSplat();
  } else {
    raw = cast<DenseResourceElementsAttr>(data)
              .getRawHandle()
              .getBlob()
              ->getData();
  }
  scratch.clear();
  if (splat) {
    std::vector<uint8_t> element;
    appendLittleEndian(raw.take_front(width), width, element);
    scratch.reserve(size);
    for (int64_t i = 0; i < size; i += width)
      scratch.insert(scratch.end(), element.begin(), element.end());
    return scratch;
  }
  if (llvm::sys::IsLittleEndianHost || width == 1)
    return ArrayRef<uint8_t>(reinterpret_cast<const uint8_t *>(raw.data()),
                             raw.size());
  appendLittleEndian(raw, width, scratch);
  return scratch;
}

FailureOr<SmallVector<Segment>>
mlir::npu::getSegments(npuisa::ProgramOp program) {
  SmallVector<Segment> segments;
  Attribute attr = program->getAttr(kSegmentsAttrName);
  if (!attr)
    return segments;
  auto array = dyn_cast<ArrayAttr>(attr);
  if (!array)
    return program.emitOpError()
           << "'" << kSegmentsAttrName
           << "' must be an array of {dram = <i64>, data = <elements>} "
              "dictionaries, got "
           << attr;

  ChipAttr chip = lookupChip(getSystemAttr(program), program.getChip());
  if (!chip)
    return program.emitOpError()
           << "chip " << program.getChip()
           << " is not in the module's system; cannot place its segments";
  int64_t dramBytes = chip.getDramBytes();

  // Segments with their position in the attribute, for diagnostics.
  SmallVector<std::pair<Segment, size_t>> pending;
  for (auto [index, element] : llvm::enumerate(array)) {
    auto fail = [&, index = index]() {
      return program.emitOpError()
             << "segment " << index << " of '" << kSegmentsAttrName << "' ";
    };
    auto dict = dyn_cast<DictionaryAttr>(element);
    if (!dict)
      return fail() << "must be a dictionary {dram = <i64>, data = "
                       "<elements>}, got "
                    << element;
    for (NamedAttribute entry : dict)
      if (entry.getName() != "dram" && entry.getName() != "data")
        return fail() << "has unknown key '" << entry.getName().getValue()
                      << "'; expected only 'dram' and 'data'";
    auto dram = dict.getAs<IntegerAttr>("dram");
    if (!dram || !isa<IntegerType, IndexType>(dram.getType()))
      return fail() << "needs an integer 'dram' byte offset";
    const APInt &value = dram.getValue();
    bool isUnsigned = dram.getType().isUnsignedInteger();
    if (isUnsigned ? value.getActiveBits() > 63
                   : value.getSignificantBits() > 64 || value.isNegative())
      return fail() << "has DRAM offset "
                    << (isUnsigned ? llvm::toString(value, 10, false)
                                   : llvm::toString(value, 10, true))
                    << "; it must be a non-negative 64-bit value";
    int64_t offset = isUnsigned ? static_cast<int64_t>(value.getZExtValue())
                                : value.getSExtValue();

    Attribute data = dict.get("data");
    if (!data)
      return fail() << "needs 'data' (a dense or dense_resource elements "
                       "attribute)";
    ShapedType type;
    if (auto dense = dyn_cast<DenseIntOrFPElementsAttr>(data)) {
      type = dense.getType();
    } else if (auto resource = dyn_cast<DenseResourceElementsAttr>(data)) {
      type = resource.getType();
    } else {
      return fail() << "has 'data' " << data
                    << "; expected a dense or dense_resource elements "
                       "attribute";
    }
    std::optional<unsigned> width = byteWidth(type.getElementType());
    if (!width)
      return fail() << "has element type " << type.getElementType()
                    << ", which has no byte encoding (integer or float types "
                       "of whole bytes only)";
    if (!type.hasStaticShape())
      return fail() << "needs a statically shaped 'data', got " << type;

    int64_t size;
    if (llvm::MulOverflow(type.getNumElements(), static_cast<int64_t>(*width),
                          size))
      return fail() << "is larger than 2^63 bytes";
    if (auto resource = dyn_cast<DenseResourceElementsAttr>(data)) {
      AsmResourceBlob *blob = resource.getRawHandle().getBlob();
      if (!blob)
        return fail() << "refers to resource '"
                      << resource.getRawHandle().getKey()
                      << "' whose data is not available";
      if (static_cast<int64_t>(blob->getData().size()) != size)
        return fail() << "has a resource of " << blob->getData().size()
                      << " bytes but its type " << type << " needs " << size;
    }
    if (size == 0)
      return fail() << "is empty";
    if (offset > dramBytes || size > dramBytes - offset)
      return fail() << "[" << offset << ", "
                    << (size > std::numeric_limits<int64_t>::max() - offset
                            ? std::string("overflow")
                            : std::to_string(offset + size))
                    << ") lies outside the DRAM of chip " << chip.getId()
                    << " (" << dramBytes << " bytes)";
    pending.push_back({Segment{offset, size, data}, index});
  }

  llvm::sort(pending, [](const auto &a, const auto &b) {
    return std::tie(a.first.dram, a.second) < std::tie(b.first.dram, b.second);
  });
  for (size_t i = 1; i < pending.size(); ++i) {
    const auto &[prev, prevIndex] = pending[i - 1];
    const auto &[next, nextIndex] = pending[i];
    if (prev.dram + prev.size > next.dram)
      return program.emitOpError()
             << "segments " << prevIndex << " [" << prev.dram << ", "
             << prev.dram + prev.size << ") and " << nextIndex << " ["
             << next.dram << ", " << next.dram + next.size << ") of '"
             << kSegmentsAttrName << "' overlap in DRAM";
  }
  // Disjoint segments inside the DRAM sum to at most its size (no
  // overflow), but a binary holds less than FlatBuffers' 2 GiB.
  int64_t total = 0;
  for (const auto &entry : pending)
    total += entry.first.size;
  if (total >= (int64_t(1) << 31))
    return program.emitOpError()
           << "segments hold " << total
           << " bytes; a .npub binary holds less than 2 GiB";

  for (const auto &entry : pending)
    segments.push_back(entry.first);
  return segments;
}
