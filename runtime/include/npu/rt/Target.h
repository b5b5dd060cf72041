//===- Target.h - The system description shared by compiler and runtime --===//
//
// One target model for the whole toolchain: the compiler builds it from the
// module's `#npu.system` attribute, the runtime from the binary. Hardware
// facts live here and nowhere else (see docs/system-description.md).
//
// Plain C++17, no LLVM/MLIR, no exceptions: the compiler side links this
// library under -fno-exceptions.
//
//===----------------------------------------------------------------------===//

#ifndef NPU_RT_TARGET_H
#define NPU_RT_TARGET_H

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace npu::rt {

/// The class of a chip (D2). A kind fixes the capability set a description
/// gets when it does not list capabilities explicitly.
enum class ChipKind : uint8_t {
  General = 0,      ///< Every capability (dense, sparse, conv, all types).
  Dense = 1,        ///< Dense matrix unit: matmul, no convolution.
  Sparse = 2,       ///< Dense and structured-sparse matrix unit.
  LowPrecision = 3, ///< INT8/FP16 only.
  Conv = 4,         ///< Convolution engine.
};

/// One capability bit of a chip (D2). Operation support is decided by
/// intersecting what an op needs with these bits.
enum Capability : uint32_t {
  CapDense = 1u << 0,      ///< Dense matrix multiply on the MAC array.
  CapSparse = 1u << 1,     ///< Structured-sparse matrix multiply.
  CapConv = 1u << 2,       ///< Convolution on the MAC array.
  CapActivation = 1u << 3, ///< Vector/activation unit.
  CapFP32 = 1u << 4,
  CapFP16 = 1u << 5,
  CapBF16 = 1u << 6,
  CapINT8 = 1u << 7,
};
constexpr uint32_t kAllCapabilities = (1u << 8) - 1;
constexpr uint32_t kDataTypeCapabilities = CapFP32 | CapFP16 | CapBF16 | CapINT8;

/// Power model of one chip (E3, M4). Integers so that energy is exact.
struct PowerModel {
  int64_t activeMw = 0; ///< Power while any engine is busy.
  int64_t idleMw = 0;   ///< Power while on but no engine is busy.
  int64_t offMw = 0;    ///< Power in the low-power (sleep) state.
  int64_t wakeCycles = 0;   ///< Cycles from sleep to ready.
  int64_t wakeEnergyNj = 0; ///< Energy of one wake-up.
};

/// One chip of the system.
struct ChipDesc {
  int64_t id = 0;
  std::string name;
  ChipKind kind = ChipKind::General;
  uint32_t caps = 0; ///< Capability bits; see defaultCapabilities().
  int64_t macRows = 0;
  int64_t macCols = 0;
  int64_t vectorLanes = 0;       ///< Elements per cycle of the vector unit.
  int64_t sramBytes = 0;         ///< On-chip scratchpad.
  int64_t dramBytes = 0;         ///< Chip-attached DRAM.
  int64_t dramBytesPerCycle = 0; ///< DRAM<->SRAM DMA bandwidth.
  int64_t clockMhz = 0;          ///< Must divide 1,000,000 (integral ps/cycle).
  PowerModel power;
  std::vector<int64_t> coord; ///< Mesh coordinates (mesh topology only).

  bool has(uint32_t capability) const {
    return (caps & capability) == capability;
  }
  /// Length of one cycle in picoseconds; the system-wide time base. Only
  /// meaningful on a validated chip (clockMhz > 0 and divides 1,000,000).
  int64_t picosecondsPerCycle() const { return 1000000 / clockMhz; }
};

/// A bidirectional point-to-point link between two chips.
struct LinkDesc {
  int64_t a = 0;
  int64_t b = 0;
  int64_t bandwidthGBps = 0; ///< Bytes per nanosecond.
  int64_t latencyNs = 0;
};

/// The link between host memory and every chip's DRAM (M5).
struct HostLinkDesc {
  int64_t bandwidthGBps = 0;
  int64_t latencyNs = 0;
};

enum class Topology : uint8_t {
  Switch = 0, ///< Links listed explicitly, any pair may be linked.
  Mesh = 1,   ///< Chips on a grid; links only between neighbours (M1).
};

/// A whole system: chips, interconnect, host link.
struct SystemDesc {
  std::string name;
  Topology topology = Topology::Switch;
  std::vector<int64_t> meshDims; ///< Mesh extent per dimension.
  std::vector<ChipDesc> chips;
  std::vector<LinkDesc> links;
  HostLinkDesc host;

  /// The chip with this id, or null.
  const ChipDesc *findChip(int64_t id) const;
  /// The direct link between two chips (either direction), or null.
  const LinkDesc *findLink(int64_t a, int64_t b) const;
};

/// One problem found in a description. `path` names the field, JSON-pointer
/// style with the same keys as the file format: "chips[1].sram_bytes".
struct TargetDiagnostic {
  std::string path;
  std::string message;
};

/// Upper bound of every size, bandwidth, latency and power of a system
/// description, applied alike by the compiler (its system parser, the
/// #npu.system verifier, the disassembler) and by the loader
/// (docs/system-description.md, "Limits"). With every operand of a cost
/// formula of Cost.h bounded by it (memories bound every extent), no formula
/// overflows 64 bits.
constexpr int64_t kMaxSystemValue = int64_t(1) << 40;

/// One row of the table of limits: a field, JSON-pointer style with `*` for
/// any index ("chips[*].sram_bytes"), and its largest accepted value.
struct SystemLimit {
  std::string_view field;
  int64_t max;
};

/// The table of limits, in the order of docs/system-description.md.
const std::vector<SystemLimit> &systemLimits();

/// Checks every invariant of a description (positive sizes, ids unique and
/// referenced ids present, mesh coordinates and neighbour links, integral
/// clock periods, power ordering, the table of limits). Returns every
/// problem, not just the first.
std::vector<TargetDiagnostic> validate(const SystemDesc &system);

/// Spellings used by the file format and the IR.
std::string_view toString(ChipKind kind);
std::optional<ChipKind> parseChipKind(std::string_view name);
std::string_view toString(Topology topology);
std::optional<Topology> parseTopology(std::string_view name);
std::string_view capabilityName(Capability capability);
std::optional<Capability> parseCapability(std::string_view name);
/// Every capability bit, in bit order.
const std::vector<Capability> &allCapabilities();
/// The capability set of a kind when a description lists none.
uint32_t defaultCapabilities(ChipKind kind);
/// Comma-separated list of the valid spellings, for diagnostics.
std::string chipKindNames();

/// Names of the shipped presets: "single", "e1-package", "mesh-2x2",
/// "mesh-4x4".
const std::vector<std::string> &presetNames();
/// The preset with this name, or nullopt.
std::optional<SystemDesc> getPreset(std::string_view name);

} // namespace npu::rt

#endif // NPU_RT_TARGET_H
