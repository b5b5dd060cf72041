//===- TargetTest.cpp - Tests of the system description -------------------===//
//
// Presets, validation rules (one test per rule, each breaking exactly that
// rule on a copy of a valid preset), spellings and lookups of
// npu/rt/Target.h.
//
//===----------------------------------------------------------------------===//

#include "npu/rt/Target.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <ostream>
#include <set>
#include <string>
#include <utility>

using namespace npu::rt;

namespace {

SystemDesc preset(std::string_view name) {
  std::optional<SystemDesc> system = getPreset(name);
  EXPECT_TRUE(system.has_value()) << name;
  return system ? *system : SystemDesc();
}

std::string describe(const std::vector<TargetDiagnostic> &diags) {
  std::string text;
  for (const TargetDiagnostic &diag : diags)
    text += "  " + diag.path + ": " + diag.message + "\n";
  return text;
}

/// Expects exactly one diagnostic, at `path`, whose message contains
/// `message`.
void expectOnly(const SystemDesc &system, const std::string &path,
                const std::string &message) {
  std::vector<TargetDiagnostic> diags = validate(system);
  ASSERT_EQ(diags.size(), 1u) << describe(diags);
  EXPECT_EQ(diags[0].path, path);
  EXPECT_NE(diags[0].message.find(message), std::string::npos)
      << "message: " << diags[0].message
      << "\nexpected to contain: " << message;
}

//===----------------------------------------------------------------------===//
// Presets
//===----------------------------------------------------------------------===//

TEST(TargetLimits, EveryLimitIsChecked) {
  // At the limit is accepted; one more is reported with its path and limit.
  SystemDesc system = preset("e1-package");
  system.host.latencyNs = kMaxSystemValue;
  EXPECT_TRUE(validate(system).empty()) << describe(validate(system));
  system.host.latencyNs = kMaxSystemValue + 1;
  expectOnly(system, "host.latency_ns",
             "1099511627777 exceeds the limit of 1099511627776");

  system = preset("e1-package");
  system.chips[1].power.wakeEnergyNj = INT64_MAX;
  expectOnly(system, "chips[1].power.wake_energy_nj",
             "9223372036854775807 exceeds the limit of 1099511627776");
  system = preset("e1-package");
  system.links[0].bandwidthGBps = kMaxSystemValue * 2;
  expectOnly(system, "links[0].bandwidth_gbps",
             "2199023255552 exceeds the limit");
  EXPECT_EQ(systemLimits().size(), 15u);
}

TEST(TargetPreset, NamesInOrder) {
  EXPECT_EQ(presetNames(), (std::vector<std::string>{"single", "e1-package",
                                                     "mesh-2x2", "mesh-4x4"}));
}

TEST(TargetPreset, EveryPresetIsValid) {
  for (const std::string &name : presetNames()) {
    SCOPED_TRACE(name);
    std::optional<SystemDesc> system = getPreset(name);
    ASSERT_TRUE(system.has_value());
    EXPECT_EQ(system->name, name);
    std::vector<TargetDiagnostic> diags = validate(*system);
    EXPECT_TRUE(diags.empty()) << describe(diags);
  }
}

TEST(TargetPreset, UnknownPreset) {
  EXPECT_FALSE(getPreset("mesh-3x3").has_value());
  EXPECT_FALSE(getPreset("").has_value());
  EXPECT_FALSE(getPreset("Single").has_value());
}

TEST(TargetPreset, Single) {
  SystemDesc system = preset("single");
  EXPECT_EQ(system.topology, Topology::Switch);
  EXPECT_TRUE(system.meshDims.empty());
  ASSERT_EQ(system.chips.size(), 1u);
  EXPECT_TRUE(system.links.empty());
  const ChipDesc &chip = system.chips[0];
  EXPECT_EQ(chip.id, 0);
  EXPECT_EQ(chip.name, "npu0");
  EXPECT_EQ(chip.kind, ChipKind::General);
  EXPECT_EQ(chip.caps, 0xffu);
  EXPECT_EQ(chip.macRows, 256);
  EXPECT_EQ(chip.macCols, 256);
  EXPECT_EQ(chip.vectorLanes, 256);
  EXPECT_EQ(chip.sramBytes, 8388608);    // 8 MiB
  EXPECT_EQ(chip.dramBytes, 2147483648); // 2 GiB
  EXPECT_EQ(chip.dramBytesPerCycle, 64);
  EXPECT_EQ(chip.clockMhz, 1000);
  EXPECT_EQ(chip.picosecondsPerCycle(), 1000);
  EXPECT_EQ(chip.power.activeMw, 4000);
  EXPECT_EQ(chip.power.idleMw, 600);
  EXPECT_EQ(chip.power.offMw, 20);
  EXPECT_EQ(chip.power.wakeCycles, 20000);
  EXPECT_EQ(chip.power.wakeEnergyNj, 50000);
  EXPECT_TRUE(chip.coord.empty());
  EXPECT_EQ(system.host.bandwidthGBps, 16);
  EXPECT_EQ(system.host.latencyNs, 1000);
}

TEST(TargetPreset, E1Package) {
  SystemDesc system = preset("e1-package");
  EXPECT_EQ(system.topology, Topology::Switch);
  ASSERT_EQ(system.chips.size(), 2u);
  ASSERT_EQ(system.links.size(), 1u);

  const ChipDesc &small = system.chips[0];
  EXPECT_EQ(small.id, 0);
  EXPECT_EQ(small.name, "small");
  EXPECT_EQ(small.macRows, 256);
  EXPECT_EQ(small.vectorLanes, 256);
  EXPECT_EQ(small.sramBytes, 4194304);    // 4 MiB
  EXPECT_EQ(small.dramBytes, 1073741824); // 1 GiB
  EXPECT_EQ(small.dramBytesPerCycle, 64);
  EXPECT_EQ(small.power.activeMw, 2500);
  EXPECT_EQ(small.power.idleMw, 400);
  EXPECT_EQ(small.power.offMw, 15);
  EXPECT_EQ(small.power.wakeCycles, 10000);
  EXPECT_EQ(small.power.wakeEnergyNj, 20000);

  const ChipDesc &big = system.chips[1];
  EXPECT_EQ(big.id, 1);
  EXPECT_EQ(big.name, "big");
  EXPECT_EQ(big.macRows, 512);
  EXPECT_EQ(big.macCols, 512);
  EXPECT_EQ(big.vectorLanes, 512);
  EXPECT_EQ(big.sramBytes, 16777216);   // 16 MiB
  EXPECT_EQ(big.dramBytes, 4294967296); // 4 GiB
  EXPECT_EQ(big.dramBytesPerCycle, 128);
  EXPECT_EQ(big.clockMhz, 1000);
  EXPECT_EQ(big.power.activeMw, 12000);
  EXPECT_EQ(big.power.idleMw, 1800);
  EXPECT_EQ(big.power.offMw, 40);
  EXPECT_EQ(big.power.wakeCycles, 50000);
  EXPECT_EQ(big.power.wakeEnergyNj, 400000);

  const LinkDesc &link = system.links[0];
  EXPECT_EQ(link.a, 0);
  EXPECT_EQ(link.b, 1);
  EXPECT_EQ(link.bandwidthGBps, 64);
  EXPECT_EQ(link.latencyNs, 100);
}

TEST(TargetPreset, Mesh2x2) {
  SystemDesc system = preset("mesh-2x2");
  EXPECT_EQ(system.topology, Topology::Mesh);
  EXPECT_EQ(system.meshDims, (std::vector<int64_t>{2, 2}));
  ASSERT_EQ(system.chips.size(), 4u);
  EXPECT_EQ(system.links.size(), 4u);

  const ChipKind kinds[] = {ChipKind::General, ChipKind::Dense,
                            ChipKind::LowPrecision, ChipKind::Conv};
  const std::vector<int64_t> coords[] = {{0, 0}, {1, 0}, {0, 1}, {1, 1}};
  const int64_t macs[] = {256, 512, 256, 256};
  const int64_t clocks[] = {1000, 1000, 1250, 1000};
  for (int64_t id = 0; id < 4; ++id) {
    SCOPED_TRACE(id);
    const ChipDesc &chip = system.chips[id];
    EXPECT_EQ(chip.id, id);
    EXPECT_EQ(chip.kind, kinds[id]);
    EXPECT_EQ(chip.caps, defaultCapabilities(kinds[id]));
    EXPECT_EQ(chip.coord, coords[id]);
    EXPECT_EQ(chip.macRows, macs[id]);
    EXPECT_EQ(chip.macCols, macs[id]);
    EXPECT_EQ(chip.vectorLanes, macs[id]);
    EXPECT_EQ(chip.sramBytes, macs[id] == 512 ? 16777216 : 8388608);
    EXPECT_EQ(chip.dramBytes, 2147483648);
    EXPECT_EQ(chip.dramBytesPerCycle, macs[id] == 512 ? 128 : 64);
    EXPECT_EQ(chip.clockMhz, clocks[id]);
    EXPECT_EQ(chip.power.wakeCycles, 20000);
  }
  // 1250 MHz: 1e6 / 1250 = 800 ps per cycle.
  EXPECT_EQ(system.chips[2].picosecondsPerCycle(), 800);
  // The 512x512 chip draws more than any 256x256 one.
  for (int64_t id : {0, 2, 3})
    EXPECT_GT(system.chips[1].power.activeMw, system.chips[id].power.activeMw);

  // Neighbours linked, diagonals not.
  const std::pair<int64_t, int64_t> neighbours[] = {
      {0, 1}, {0, 2}, {1, 3}, {2, 3}};
  for (auto [a, b] : neighbours) {
    const LinkDesc *link = system.findLink(a, b);
    ASSERT_NE(link, nullptr) << a << "-" << b;
    EXPECT_EQ(link->bandwidthGBps, 32);
    EXPECT_EQ(link->latencyNs, 50);
  }
  EXPECT_EQ(system.findLink(0, 3), nullptr);
  EXPECT_EQ(system.findLink(1, 2), nullptr);
  EXPECT_EQ(system.host.bandwidthGBps, 16);
  EXPECT_EQ(system.host.latencyNs, 1000);
}

TEST(TargetPreset, Mesh4x4) {
  SystemDesc system = preset("mesh-4x4");
  EXPECT_EQ(system.topology, Topology::Mesh);
  EXPECT_EQ(system.meshDims, (std::vector<int64_t>{4, 4}));
  ASSERT_EQ(system.chips.size(), 16u);
  // 4 rows x 3 horizontal + 4 columns x 3 vertical.
  EXPECT_EQ(system.links.size(), 24u);

  std::set<ChipKind> kinds;
  for (int64_t y = 0; y < 4; ++y) {
    for (int64_t x = 0; x < 4; ++x) {
      const ChipDesc *chip = system.findChip(y * 4 + x);
      ASSERT_NE(chip, nullptr);
      EXPECT_EQ(chip->coord, (std::vector<int64_t>{x, y}));
      kinds.insert(chip->kind);
      // Kind-dependent parameters match the 2x2 mesh.
      EXPECT_EQ(chip->macRows, chip->kind == ChipKind::Dense ? 512 : 256);
      EXPECT_EQ(chip->clockMhz,
                chip->kind == ChipKind::LowPrecision ? 1250 : 1000);
      if (x + 1 < 4) {
        EXPECT_NE(system.findLink(y * 4 + x, y * 4 + x + 1), nullptr);
      }
      if (y + 1 < 4) {
        EXPECT_NE(system.findLink(y * 4 + x, (y + 1) * 4 + x), nullptr);
      }
    }
  }
  EXPECT_EQ(kinds.size(), 5u);
  for (const LinkDesc &link : system.links) {
    EXPECT_EQ(link.bandwidthGBps, 32);
    EXPECT_EQ(link.latencyNs, 50);
  }
}

//===----------------------------------------------------------------------===//
// Lookup
//===----------------------------------------------------------------------===//

TEST(TargetLookup, FindChip) {
  SystemDesc system = preset("e1-package");
  const ChipDesc *big = system.findChip(1);
  ASSERT_NE(big, nullptr);
  EXPECT_EQ(big->name, "big");
  EXPECT_EQ(big, &system.chips[1]);
  EXPECT_EQ(system.findChip(2), nullptr);
  EXPECT_EQ(system.findChip(-1), nullptr);
}

TEST(TargetLookup, FindLinkBothDirections) {
  SystemDesc system = preset("e1-package");
  const LinkDesc *forward = system.findLink(0, 1);
  const LinkDesc *backward = system.findLink(1, 0);
  ASSERT_NE(forward, nullptr);
  EXPECT_EQ(forward, backward);
  EXPECT_EQ(forward, &system.links[0]);
  EXPECT_EQ(system.findLink(0, 0), nullptr);
  EXPECT_EQ(system.findLink(0, 2), nullptr);
  EXPECT_EQ(preset("single").findLink(0, 1), nullptr);
}

//===----------------------------------------------------------------------===//
// Validation: chips
//===----------------------------------------------------------------------===//

TEST(TargetValidate, NeedsAChip) {
  SystemDesc system = preset("single");
  system.chips.clear();
  expectOnly(system, "chips", "a system needs at least one chip");
}

TEST(TargetValidate, NegativeId) {
  SystemDesc system = preset("single");
  system.chips[0].id = -1;
  expectOnly(system, "chips[0].id", "must be non-negative (got -1)");
}

TEST(TargetValidate, DuplicateId) {
  SystemDesc system = preset("e1-package");
  system.links.clear();
  system.chips[1].id = 0;
  expectOnly(system, "chips[1].id", "duplicate chip id 0 (also chips[0])");
}

TEST(TargetValidate, EmptyName) {
  SystemDesc system = preset("single");
  system.chips[0].name.clear();
  expectOnly(system, "chips[0].name", "must not be empty");
}

TEST(TargetValidate, DuplicateName) {
  SystemDesc system = preset("mesh-2x2");
  system.chips[3].name = "npu1";
  expectOnly(system, "chips[3].name",
             "duplicate chip name \"npu1\" (also chips[1])");
}

TEST(TargetValidate, UnknownKind) {
  SystemDesc system = preset("single");
  system.chips[0].kind = static_cast<ChipKind>(9);
  expectOnly(system, "chips[0].kind",
             "unknown chip kind 9 (expected one of general, dense, sparse, "
             "lowp, conv)");
}

/// One positive-size field of a chip, by its file-format key.
struct SizeField {
  const char *key;
  int64_t ChipDesc::*member;
};

/// Names the parameter in test output (and in CTest's test names).
void PrintTo(const SizeField &field, std::ostream *os) { *os << field.key; }

class TargetPositiveField : public testing::TestWithParam<SizeField> {};

TEST_P(TargetPositiveField, Zero) {
  SystemDesc system = preset("e1-package");
  system.chips[1].*GetParam().member = 0;
  expectOnly(system, std::string("chips[1].") + GetParam().key,
             "must be positive (got 0)");
}

TEST_P(TargetPositiveField, Negative) {
  SystemDesc system = preset("e1-package");
  system.chips[1].*GetParam().member = -5;
  expectOnly(system, std::string("chips[1].") + GetParam().key,
             "must be positive (got -5)");
}

INSTANTIATE_TEST_SUITE_P(
    Chip, TargetPositiveField,
    testing::Values(SizeField{"mac_rows", &ChipDesc::macRows},
                    SizeField{"mac_cols", &ChipDesc::macCols},
                    SizeField{"vector_lanes", &ChipDesc::vectorLanes},
                    SizeField{"sram_bytes", &ChipDesc::sramBytes},
                    SizeField{"dram_bytes", &ChipDesc::dramBytes},
                    SizeField{"dram_bytes_per_cycle",
                              &ChipDesc::dramBytesPerCycle},
                    SizeField{"clock_mhz", &ChipDesc::clockMhz}),
    [](const testing::TestParamInfo<SizeField> &info) {
      return std::string(info.param.key);
    });

TEST(TargetValidate, ClockMustDivideTimeBase) {
  SystemDesc system = preset("single");
  system.chips[0].clockMhz = 3000; // 1e6 / 3000 = 333.33... ps
  expectOnly(system, "chips[0].clock_mhz",
             "clock of 3000 MHz does not divide 1000000 (the picosecond time "
             "base needs an integral period)");
}

TEST(TargetValidate, OddClocksThatDivideAreFine) {
  SystemDesc system = preset("single");
  for (int64_t mhz : {1, 800, 1250, 1600, 2000, 2500, 1000000}) {
    system.chips[0].clockMhz = mhz;
    EXPECT_TRUE(validate(system).empty()) << mhz;
  }
}

TEST(TargetValidate, UnknownCapabilityBits) {
  SystemDesc system = preset("single");
  system.chips[0].caps |= 1u << 8;
  expectOnly(system, "chips[0].caps", "unknown capability bits 0x100");
}

TEST(TargetValidate, NeedsADataType) {
  SystemDesc system = preset("single");
  system.chips[0].caps &= ~kDataTypeCapabilities;
  expectOnly(system, "chips[0].caps",
             "needs at least one data type (fp32, fp16, bf16, int8)");
}

TEST(TargetValidate, NeedsAMatrixCapability) {
  SystemDesc system = preset("single");
  // Sparse alone is not a matrix capability.
  system.chips[0].caps &= ~uint32_t(CapDense | CapConv);
  expectOnly(system, "chips[0].caps",
             "needs a matrix capability (dense or conv)");
}

TEST(TargetValidate, NeedsActivation) {
  SystemDesc system = preset("mesh-2x2");
  system.chips[3].caps &= ~uint32_t(CapActivation);
  expectOnly(system, "chips[3].caps",
             "needs the activation capability (vector unit)");
}

TEST(TargetValidate, EmptyCapabilitiesReportEveryMissingClass) {
  SystemDesc system = preset("single");
  system.chips[0].caps = 0;
  std::vector<TargetDiagnostic> diags = validate(system);
  ASSERT_EQ(diags.size(), 3u) << describe(diags);
  for (const TargetDiagnostic &diag : diags)
    EXPECT_EQ(diag.path, "chips[0].caps");
}

/// One power field that must be non-negative, by its file-format key.
struct PowerField {
  const char *key;
  int64_t PowerModel::*member;
};

TEST(TargetValidate, NegativePower) {
  const PowerField fields[] = {
      {"active_mw", &PowerModel::activeMw},
      {"idle_mw", &PowerModel::idleMw},
      {"off_mw", &PowerModel::offMw},
      {"wake_cycles", &PowerModel::wakeCycles},
      {"wake_energy_nj", &PowerModel::wakeEnergyNj},
  };
  for (const PowerField &field : fields) {
    SCOPED_TRACE(field.key);
    SystemDesc system = preset("single");
    system.chips[0].power.*field.member = -3;
    // Ordering against a negative value is not reported a second time.
    expectOnly(system, std::string("chips[0].power.") + field.key,
               "must be non-negative (got -3)");
  }
}

TEST(TargetValidate, IdleAboveActive) {
  SystemDesc system = preset("single");
  system.chips[0].power.activeMw = 800;
  system.chips[0].power.idleMw = 900;
  expectOnly(system, "chips[0].power.idle_mw",
             "idle power 900 mW exceeds active power 800 mW");
}

TEST(TargetValidate, OffAboveIdle) {
  SystemDesc system = preset("single");
  system.chips[0].power.offMw = 601; // idle is 600
  expectOnly(system, "chips[0].power.off_mw",
             "off power 601 mW exceeds idle power 600 mW");
}

TEST(TargetValidate, EqualPowerLevelsAreFine) {
  SystemDesc system = preset("single");
  system.chips[0].power = {500, 500, 500, 0, 0};
  EXPECT_TRUE(validate(system).empty()) << describe(validate(system));
}

//===----------------------------------------------------------------------===//
// Validation: topology
//===----------------------------------------------------------------------===//

TEST(TargetValidate, MeshNeedsDimensions) {
  SystemDesc system = preset("mesh-2x2");
  system.meshDims.clear();
  expectOnly(system, "mesh_dims",
             "a mesh topology needs at least one dimension");
}

TEST(TargetValidate, MeshDimensionPositive) {
  SystemDesc system = preset("mesh-2x2");
  system.meshDims[1] = 0;
  expectOnly(system, "mesh_dims[1]", "must be positive (got 0)");
}

TEST(TargetValidate, CoordinateCount) {
  SystemDesc system = preset("mesh-2x2");
  system.chips[2].coord = {0};
  expectOnly(system, "chips[2].coord",
             "expected 2 coordinates (one per mesh dimension), got 1");
}

TEST(TargetValidate, CoordinateOutsideMesh) {
  SystemDesc system = preset("mesh-2x2");
  system.chips[3].coord = {2, 1};
  expectOnly(system, "chips[3].coord[0]", "coordinate 2 is outside [0, 2)");
}

TEST(TargetValidate, NegativeCoordinate) {
  SystemDesc system = preset("mesh-4x4");
  system.chips[5].coord = {1, -1};
  expectOnly(system, "chips[5].coord[1]", "coordinate -1 is outside [0, 4)");
}

TEST(TargetValidate, CoordinateTaken) {
  SystemDesc system = preset("mesh-2x2");
  system.chips[3].coord = {1, 0};
  // Links of the misplaced chip are not judged a second time.
  expectOnly(system, "chips[3].coord",
             "position (1, 0) already taken by chip 1");
}

TEST(TargetValidate, MeshLinkMustJoinNeighbours) {
  SystemDesc system = preset("mesh-2x2");
  system.links.push_back({0, 3, 32, 50});
  expectOnly(system, "links[4]", "chips 0 and 3 are not mesh neighbours");
}

TEST(TargetValidate, MeshLinkAcrossTheMeshIsNotANeighbour) {
  SystemDesc system = preset("mesh-4x4");
  system.links.push_back({0, 3, 32, 50}); // (0,0)-(3,0): distance 3
  expectOnly(system, "links[24]", "chips 0 and 3 are not mesh neighbours");
}

TEST(TargetValidate, SwitchTakesNoDimensions) {
  SystemDesc system = preset("e1-package");
  system.meshDims = {2};
  expectOnly(system, "mesh_dims", "only a mesh topology takes dimensions");
}

TEST(TargetValidate, SwitchTakesNoCoordinates) {
  SystemDesc system = preset("e1-package");
  system.chips[1].coord = {1};
  expectOnly(system, "chips[1].coord",
             "only a mesh topology takes coordinates");
}

TEST(TargetValidate, UnknownTopology) {
  SystemDesc system = preset("single");
  system.topology = static_cast<Topology>(7);
  expectOnly(system, "topology", "unknown topology 7");
}

//===----------------------------------------------------------------------===//
// Validation: links and host
//===----------------------------------------------------------------------===//

TEST(TargetValidate, LinkEndpointAMustExist) {
  SystemDesc system = preset("e1-package");
  system.links[0].a = 7;
  expectOnly(system, "links[0].a", "chip 7 does not exist");
}

TEST(TargetValidate, LinkEndpointBMustExist) {
  SystemDesc system = preset("e1-package");
  system.links[0].b = 7;
  expectOnly(system, "links[0].b", "chip 7 does not exist");
}

TEST(TargetValidate, LinkNeedsTwoChips) {
  SystemDesc system = preset("e1-package");
  system.links[0].b = 0;
  expectOnly(system, "links[0]", "a link needs two different chips");
}

TEST(TargetValidate, DuplicateLinkSameDirection) {
  SystemDesc system = preset("e1-package");
  system.links.push_back(system.links[0]);
  expectOnly(system, "links[1]",
             "duplicate link between chips 0 and 1 (also links[0])");
}

TEST(TargetValidate, DuplicateLinkReversed) {
  SystemDesc system = preset("mesh-2x2");
  system.links.push_back({3, 1, 32, 50}); // links[2] is 1-3
  expectOnly(system, "links[4]",
             "duplicate link between chips 1 and 3 (also links[2])");
}

TEST(TargetValidate, LinkBandwidthPositive) {
  SystemDesc system = preset("e1-package");
  system.links[0].bandwidthGBps = 0;
  expectOnly(system, "links[0].bandwidth_gbps", "must be positive (got 0)");
}

TEST(TargetValidate, LinkLatencyNonNegative) {
  SystemDesc system = preset("e1-package");
  system.links[0].latencyNs = -1;
  expectOnly(system, "links[0].latency_ns", "must be non-negative (got -1)");
}

TEST(TargetValidate, ZeroLatencyIsFine) {
  SystemDesc system = preset("e1-package");
  system.links[0].latencyNs = 0;
  system.host.latencyNs = 0;
  EXPECT_TRUE(validate(system).empty());
}

TEST(TargetValidate, HostBandwidthPositive) {
  SystemDesc system = preset("single");
  system.host.bandwidthGBps = -16;
  expectOnly(system, "host.bandwidth_gbps", "must be positive (got -16)");
}

TEST(TargetValidate, HostLatencyNonNegative) {
  SystemDesc system = preset("single");
  system.host.latencyNs = -1000;
  expectOnly(system, "host.latency_ns", "must be non-negative (got -1000)");
}

//===----------------------------------------------------------------------===//
// Validation: everything at once
//===----------------------------------------------------------------------===//

TEST(TargetValidate, ReportsEveryProblem) {
  SystemDesc system = preset("mesh-2x2");
  system.chips[0].sramBytes = 0;
  system.chips[1].clockMhz = 3000;
  system.chips[2].power.idleMw = system.chips[2].power.activeMw + 1;
  system.chips[3].name = "npu0";
  system.links[1].b = 9;
  system.links.push_back({0, 3, 32, 50});
  system.host.bandwidthGBps = 0;

  std::vector<TargetDiagnostic> diags = validate(system);
  std::vector<std::string> paths;
  for (const TargetDiagnostic &diag : diags)
    paths.push_back(diag.path);
  std::vector<std::string> expected = {
      "chips[0].sram_bytes", "chips[1].clock_mhz", "chips[2].power.idle_mw",
      "chips[3].name",       "links[1].b",         "links[4]",
      "host.bandwidth_gbps"};
  std::sort(paths.begin(), paths.end());
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(paths, expected) << describe(diags);
}

TEST(TargetValidate, ReportsEveryProblemOfOneChip) {
  SystemDesc system = preset("single");
  system.chips[0].macRows = 0;
  system.chips[0].macCols = 0;
  system.chips[0].vectorLanes = -1;
  system.chips[0].power.offMw = -1;
  std::vector<TargetDiagnostic> diags = validate(system);
  ASSERT_EQ(diags.size(), 4u) << describe(diags);
  EXPECT_EQ(diags[0].path, "chips[0].mac_rows");
  EXPECT_EQ(diags[1].path, "chips[0].mac_cols");
  EXPECT_EQ(diags[2].path, "chips[0].vector_lanes");
  EXPECT_EQ(diags[3].path, "chips[0].power.off_mw");
}

//===----------------------------------------------------------------------===//
// Spellings
//===----------------------------------------------------------------------===//

TEST(TargetSpelling, ChipKinds) {
  const std::pair<ChipKind, const char *> kinds[] = {
      {ChipKind::General, "general"}, {ChipKind::Dense, "dense"},
      {ChipKind::Sparse, "sparse"},   {ChipKind::LowPrecision, "lowp"},
      {ChipKind::Conv, "conv"},
  };
  for (auto [kind, name] : kinds) {
    EXPECT_EQ(toString(kind), name);
    EXPECT_EQ(parseChipKind(name), kind);
  }
  EXPECT_EQ(parseChipKind("lowprecision"), std::nullopt);
  EXPECT_EQ(parseChipKind("General"), std::nullopt);
  EXPECT_EQ(parseChipKind(""), std::nullopt);
  EXPECT_EQ(chipKindNames(), "general, dense, sparse, lowp, conv");
}

TEST(TargetSpelling, Topologies) {
  EXPECT_EQ(toString(Topology::Switch), "switch");
  EXPECT_EQ(toString(Topology::Mesh), "mesh");
  EXPECT_EQ(parseTopology("switch"), Topology::Switch);
  EXPECT_EQ(parseTopology("mesh"), Topology::Mesh);
  EXPECT_EQ(parseTopology("torus"), std::nullopt);
  EXPECT_EQ(parseTopology(""), std::nullopt);
}

TEST(TargetSpelling, Capabilities) {
  const char *names[] = {"dense", "sparse", "conv", "activation",
                         "fp32",  "fp16",   "bf16", "int8"};
  const std::vector<Capability> &all = allCapabilities();
  ASSERT_EQ(all.size(), 8u);
  uint32_t seen = 0;
  for (size_t bit = 0; bit < all.size(); ++bit) {
    SCOPED_TRACE(names[bit]);
    EXPECT_EQ(static_cast<uint32_t>(all[bit]), 1u << bit);
    EXPECT_EQ(capabilityName(all[bit]), names[bit]);
    EXPECT_EQ(parseCapability(names[bit]), all[bit]);
    seen |= all[bit];
  }
  EXPECT_EQ(seen, kAllCapabilities);
  EXPECT_EQ(parseCapability("fp64"), std::nullopt);
  EXPECT_EQ(parseCapability("Dense"), std::nullopt);
  EXPECT_EQ(parseCapability(""), std::nullopt);
}

TEST(TargetSpelling, DefaultCapabilities) {
  // Bits: dense 0x01, sparse 0x02, conv 0x04, activation 0x08, fp32 0x10,
  // fp16 0x20, bf16 0x40, int8 0x80.
  EXPECT_EQ(defaultCapabilities(ChipKind::General), 0xffu);
  EXPECT_EQ(defaultCapabilities(ChipKind::Dense), 0x79u);  // 01+08+10+20+40
  EXPECT_EQ(defaultCapabilities(ChipKind::Sparse), 0x7bu); // + 02
  EXPECT_EQ(defaultCapabilities(ChipKind::LowPrecision),
            0xadu);                                      // 01+04+08+20+80
  EXPECT_EQ(defaultCapabilities(ChipKind::Conv), 0xbcu); // 04+08+10+20+80
}

TEST(TargetSpelling, DefaultCapabilitiesAreValid) {
  for (ChipKind kind : {ChipKind::General, ChipKind::Dense, ChipKind::Sparse,
                        ChipKind::LowPrecision, ChipKind::Conv}) {
    SystemDesc system = preset("single");
    system.chips[0].kind = kind;
    system.chips[0].caps = defaultCapabilities(kind);
    EXPECT_TRUE(validate(system).empty()) << toString(kind);
  }
}

TEST(TargetChip, Has) {
  ChipDesc chip = preset("mesh-2x2").chips[1]; // dense
  EXPECT_TRUE(chip.has(CapDense));
  EXPECT_TRUE(chip.has(CapDense | CapFP32));
  EXPECT_FALSE(chip.has(CapConv));
  EXPECT_FALSE(chip.has(CapDense | CapINT8));
}

} // namespace
