//===- TestBinary.cpp - Assemble .npub binaries in runtime tests ----------===//
//
// Implementation of the test assembler declared in TestBinary.h.
//
//===----------------------------------------------------------------------===//

#include "TestBinary.h"

#include <gtest/gtest.h>

#include <utility>

namespace npu::rt::test {

namespace {

uint8_t u8(cost::DType type) { return static_cast<uint8_t>(type); }

flatbuffers::Offset<fb::System> createSystem(flatbuffers::FlatBufferBuilder &b,
                                             const SystemDesc &system) {
  std::vector<flatbuffers::Offset<fb::Chip>> chips;
  for (const ChipDesc &chip : system.chips) {
    auto power = fb::CreatePower(b, chip.power.activeMw, chip.power.idleMw,
                                 chip.power.offMw, chip.power.wakeCycles,
                                 chip.power.wakeEnergyNj);
    chips.push_back(fb::CreateChipDirect(
        b, chip.id, chip.name.c_str(), static_cast<uint8_t>(chip.kind),
        chip.caps, chip.macRows, chip.macCols, chip.vectorLanes, chip.sramBytes,
        chip.dramBytes, chip.dramBytesPerCycle, chip.clockMhz, power,
        chip.coord.empty() ? nullptr : &chip.coord));
  }
  std::vector<flatbuffers::Offset<fb::Link>> links;
  for (const LinkDesc &link : system.links)
    links.push_back(
        fb::CreateLink(b, link.a, link.b, link.bandwidthGBps, link.latencyNs));
  return fb::CreateSystemDirect(
      b, system.name.c_str(), static_cast<uint8_t>(system.topology),
      system.meshDims.empty() ? nullptr : &system.meshDims, &chips, &links,
      system.host.bandwidthGBps, system.host.latencyNs);
}

} // namespace

BinaryBuilder::BinaryBuilder(SystemDesc system, std::string modelName)
    : system(std::move(system)), modelName(std::move(modelName)) {}

BinaryBuilder &BinaryBuilder::input(const std::string &name, cost::DType dtype,
                                    Ints shape) {
  inputs.push_back(
      fb::CreateTensorDirect(builder, name.c_str(), u8(dtype), &shape));
  return *this;
}

BinaryBuilder &BinaryBuilder::output(const std::string &name, cost::DType dtype,
                                     Ints shape) {
  outputs.push_back(
      fb::CreateTensorDirect(builder, name.c_str(), u8(dtype), &shape));
  return *this;
}

BinaryBuilder &BinaryBuilder::program(const std::string &name, int64_t chip) {
  endProgram();
  inProgram = true;
  programName = name;
  programChip = chip;
  return *this;
}

void BinaryBuilder::endProgram() {
  if (!inProgram)
    return;
  programs.push_back(fb::CreateProgramDirect(
      builder, programName.c_str(), programChip, &types, &values, &segments,
      &budgets, &checkpoints));
  types.clear();
  values.clear();
  segments.clear();
  budgets.clear();
  checkpoints.clear();
  inProgram = false;
}

BinaryBuilder &BinaryBuilder::halt() {
  return add(fb::Instr::Halt, fb::CreateHalt(builder).Union());
}

BinaryBuilder &BinaryBuilder::loadInput(uint32_t input, int64_t offset,
                                        int64_t dram, int64_t bytes) {
  return add(fb::Instr::LoadInput,
             fb::CreateLoadInput(builder, input, offset, dram, bytes).Union());
}

BinaryBuilder &BinaryBuilder::storeOutput(uint32_t output, int64_t offset,
                                          int64_t dram, int64_t bytes) {
  return add(
      fb::Instr::StoreOutput,
      fb::CreateStoreOutput(builder, output, offset, dram, bytes).Union());
}

BinaryBuilder &BinaryBuilder::dmaIn(int64_t dram, int64_t sram, int64_t rows,
                                    int64_t rowBytes, Ints strides) {
  return add(fb::Instr::DmaIn, fb::CreateDmaInDirect(builder, dram, sram, rows,
                                                     rowBytes, &strides)
                                   .Union());
}

BinaryBuilder &BinaryBuilder::dmaOut(int64_t sram, int64_t dram, int64_t rows,
                                     int64_t rowBytes, Ints strides) {
  return add(fb::Instr::DmaOut, fb::CreateDmaOutDirect(builder, sram, dram,
                                                       rows, rowBytes, &strides)
                                    .Union());
}

BinaryBuilder &BinaryBuilder::send(int64_t sram, int64_t bytes, int64_t chip,
                                   int64_t channel) {
  return add(fb::Instr::Send,
             fb::CreateSend(builder, sram, bytes, chip, channel).Union());
}

BinaryBuilder &BinaryBuilder::recv(int64_t sram, int64_t bytes, int64_t chip,
                                   int64_t channel) {
  return add(fb::Instr::Recv,
             fb::CreateRecv(builder, sram, bytes, chip, channel).Union());
}

BinaryBuilder &BinaryBuilder::matmul(int64_t a, int64_t b, int64_t c, int64_t m,
                                     int64_t k, int64_t n, Ints lds,
                                     cost::DType dtype, bool accumulate) {
  return add(fb::Instr::MatMul,
             fb::CreateMatMulDirect(builder, a, b, c, m, k, n, &lds, u8(dtype),
                                    accumulate)
                 .Union());
}

BinaryBuilder &BinaryBuilder::conv(const ConvArgs &x) {
  return add(fb::Instr::Conv,
             fb::CreateConvDirect(builder, x.input, x.weight, x.output,
                                  x.channels, &x.inHw, x.outChannels, &x.outHw,
                                  &x.outRows, &x.kernel, &x.strides, &x.pads,
                                  &x.dilations, u8(x.dtype))
                 .Union());
}

BinaryBuilder &BinaryBuilder::vector(const VectorArgs &x) {
  return add(
      fb::Instr::Vector,
      fb::CreateVectorDirect(builder, static_cast<uint8_t>(x.kind), x.a, x.hasB,
                             x.b, x.bBcast.empty() ? nullptr : &x.bBcast, x.dst,
                             x.count, u8(x.dtype), x.alpha, x.beta)
          .Union());
}

BinaryBuilder &BinaryBuilder::vector(cost::VectorOp kind, int64_t a,
                                     int64_t dst, int64_t count,
                                     cost::DType dtype, float alpha,
                                     float beta) {
  VectorArgs args;
  args.kind = kind;
  args.a = a;
  args.dst = dst;
  args.count = count;
  args.dtype = dtype;
  args.alpha = alpha;
  args.beta = beta;
  return vector(args);
}

BinaryBuilder &BinaryBuilder::fill(int64_t dst, int64_t count, float value,
                                   cost::DType dtype) {
  return add(fb::Instr::Fill,
             fb::CreateFill(builder, dst, count, value, u8(dtype)).Union());
}

BinaryBuilder &BinaryBuilder::reduce(cost::ReduceOp kind, int64_t src,
                                     int64_t dst, Ints shape,
                                     cost::DType dtype) {
  return add(fb::Instr::Reduce,
             fb::CreateReduceDirect(builder, static_cast<uint8_t>(kind), src,
                                    dst, &shape, u8(dtype))
                 .Union());
}

BinaryBuilder &BinaryBuilder::pool(const PoolArgs &x) {
  return add(fb::Instr::Pool,
             fb::CreatePoolDirect(builder, static_cast<uint8_t>(x.kind), x.src,
                                  x.dst, x.channels, &x.inHw, &x.outHw,
                                  &x.kernel, &x.strides, &x.pads, &x.dilations,
                                  u8(x.dtype), x.countIncludePad)
                 .Union());
}

BinaryBuilder &BinaryBuilder::copy(int64_t src, int64_t dst, Ints shape,
                                   Ints srcStrides, Ints dstStrides,
                                   cost::DType dtype) {
  return add(fb::Instr::Copy,
             fb::CreateCopyDirect(builder, src, dst, &shape, &srcStrides,
                                  &dstStrides, u8(dtype))
                 .Union());
}

BinaryBuilder &BinaryBuilder::resize(cost::ResizeMode kind, int64_t src,
                                     int64_t dst, int64_t channels, Ints inHw,
                                     Ints outHw, Ints modes,
                                     cost::DType dtype) {
  return add(fb::Instr::Resize,
             fb::CreateResizeDirect(builder, static_cast<uint8_t>(kind), src,
                                    dst, channels, &inHw, &outHw, &modes,
                                    u8(dtype))
                 .Union());
}

BinaryBuilder &BinaryBuilder::signal(int64_t token, cost::Engine engine) {
  return add(
      fb::Instr::Signal,
      fb::CreateSignal(builder, token, static_cast<uint8_t>(engine)).Union());
}

BinaryBuilder &BinaryBuilder::wait(int64_t token, cost::Engine engine) {
  return add(
      fb::Instr::Wait,
      fb::CreateWait(builder, token, static_cast<uint8_t>(engine)).Union());
}

BinaryBuilder &BinaryBuilder::exitCheck(int64_t src, int64_t classes,
                                        cost::DType dtype,
                                        cost::ConfidenceMeasure measure,
                                        float threshold,
                                        uint32_t exitPathLength) {
  return add(fb::Instr::ExitCheck,
             fb::CreateExitCheck(builder, src, classes, u8(dtype),
                                 static_cast<uint8_t>(measure), threshold,
                                 exitPathLength)
                 .Union());
}

BinaryBuilder &BinaryBuilder::escalate(int64_t chip) {
  return add(fb::Instr::Escalate, fb::CreateEscalate(builder, chip).Union());
}

BinaryBuilder &BinaryBuilder::raw(fb::Instr type,
                                  flatbuffers::Offset<void> table) {
  return add(type, table);
}

BinaryBuilder &BinaryBuilder::segment(int64_t dram, std::vector<uint8_t> data) {
  segments.push_back(fb::CreateSegmentDirect(builder, dram, &data));
  return *this;
}

BinaryBuilder &BinaryBuilder::budget(const std::string &path, int64_t cycles,
                                     Ints engineBusy, int64_t hostBytes,
                                     int64_t dramBytes, int64_t linkBytes,
                                     int64_t peakSramBytes, int64_t energyFj,
                                     int64_t peakDramBytes, bool standby) {
  budgets.push_back(fb::CreateBudgetDirect(
      builder, path.c_str(), cycles, &engineBusy, hostBytes, dramBytes,
      linkBytes, peakSramBytes, energyFj, peakDramBytes, standby));
  return *this;
}

BinaryBuilder &BinaryBuilder::checkpoint(const Checkpoint &entry) {
  std::vector<flatbuffers::Offset<fb::LiveRange>> live;
  for (const LiveRange &range : entry.live)
    live.push_back(fb::CreateLiveRange(
        builder, static_cast<uint8_t>(range.space), range.offset, range.bytes,
        range.source));
  checkpoints.push_back(fb::CreateCheckpointDirect(
      builder, entry.index, entry.issueCycles, entry.drainCycles,
      entry.drainEnergyFj, entry.saveCycles, entry.restoreCycles,
      entry.resumeCycles, entry.resumeEnergyFj, &live));
  return *this;
}

BinaryBuilder &BinaryBuilder::earlyExit(const EarlyExit &table) {
  std::vector<flatbuffers::Offset<fb::ExitGate>> gates;
  for (const ExitGate &gate : table.gates)
    gates.push_back(fb::CreateExitGateDirect(builder, gate.split.c_str(),
                                             gate.threshold, gate.exitRate));
  const Calibration &c = table.calibration;
  auto calibration =
      fb::CreateCalibration(builder, c.samples, c.accuracy, c.fullAccuracy,
                            c.expectedEnergyFj, c.expectedLatencyPs);
  return earlyExit(fb::CreateEarlyExitDirect(
      builder, static_cast<uint8_t>(table.measure), table.output.c_str(),
      static_cast<uint8_t>(table.answer), table.fromChip, table.toChip, &gates,
      table.returnThreshold, table.idleWindowPs, table.escalationRate,
      calibration));
}

BinaryBuilder &
BinaryBuilder::earlyExit(flatbuffers::Offset<fb::EarlyExit> table) {
  earlyExitTable = table;
  return *this;
}

std::vector<uint8_t> BinaryBuilder::finish(uint32_t version) {
  endProgram();
  auto sys = createSystem(builder, system);
  auto model = fb::CreateModelDirect(builder, version, modelName.c_str(), sys,
                                     &inputs, &outputs, &programs,
                                     /*stream=*/0, earlyExitTable);
  fb::FinishModelBuffer(builder, model);
  return std::vector<uint8_t>(builder.GetBufferPointer(),
                              builder.GetBufferPointer() + builder.GetSize());
}

SystemDesc preset(const char *name) {
  std::optional<SystemDesc> system = getPreset(name);
  EXPECT_TRUE(system.has_value()) << name;
  return system ? *system : SystemDesc();
}

Model mustLoad(const std::vector<uint8_t> &bytes) {
  LoadResult result = loadModel(bytes.data(), bytes.size());
  EXPECT_TRUE(result.ok()) << result.error;
  return result.ok() ? std::move(*result.model) : Model();
}

std::vector<uint8_t> floatBytes(const std::vector<float> &values) {
  return rawBytes(values);
}

std::vector<float> bytesToFloats(const std::vector<uint8_t> &bytes) {
  return fromBytes<float>(bytes);
}

} // namespace npu::rt::test
