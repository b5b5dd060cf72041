//===- CalibrationFuzzer.cpp - libFuzzer entry of calibration data --------===//
//
// Feeds arbitrary bytes to npu::decodeCalibrationSet(), the reader of the
// labelled samples npu-insert-early-exits calibrates on (IDX or .npy,
// gzip'd or not; npu/Target/CalibrationData.h). It must never crash, read
// out of bounds or hit undefined behaviour, and must either return samples
// or say what is wrong. Samples it returns must be what it promises: the
// selected count, one finite value per element, one label in
// [0, numClasses) per sample.
//
// One fuzz input holds both files and the selection (little-endian):
//
//   byte 0       numClasses - 1
//   bytes 1-2    offset
//   bytes 3-4    count (0: all, i.e. -1)
//   bytes 5-8    N, the size of the image file
//   then         N bytes of the image file, the rest is the label file
//
// tools/scripts/fuzz_seeds.py packs real files into seeds (calibration()).
//
//===----------------------------------------------------------------------===//

#include "npu/Target/CalibrationData.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

constexpr size_t kHeaderBytes = 9;

uint32_t loadLE(const uint8_t *p, int bytes) {
  uint32_t value = 0;
  for (int i = bytes; i-- > 0;)
    value = value << 8 | p[i];
  return value;
}

[[noreturn]] void fail(const char *what) {
  std::fprintf(stderr, "calibration fuzzer: %s\n", what);
  std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < kHeaderBytes)
    return 0;
  int64_t numClasses = int64_t(data[0]) + 1;
  npu::CalibrationSource source;
  source.images = "images.bin";
  source.labels = "labels.bin";
  source.offset = loadLE(data + 1, 2);
  uint32_t count = loadLE(data + 3, 2);
  source.count = count == 0 ? -1 : int64_t(count);
  source.scale = 1.0 / 255;
  // Far below the 2 GiB default, so a gzip bomb is refused long before
  // libFuzzer's memory limit would call it a leak.
  source.maxBytes = int64_t(64) << 20;
  size_t imageBytes =
      std::min<size_t>(loadLE(data + 5, 4), size - kHeaderBytes);
  llvm::ArrayRef<uint8_t> images(data + kHeaderBytes, imageBytes);
  llvm::ArrayRef<uint8_t> labels(data + kHeaderBytes + imageBytes,
                                 size - kHeaderBytes - imageBytes);

  llvm::Expected<npu::CalibrationSet> set =
      npu::decodeCalibrationSet(source, images, labels, numClasses);
  if (!set) {
    if (llvm::toString(set.takeError()).empty())
      fail("a refusal must say why");
    return 0;
  }
  int64_t elements = set->sampleElements();
  if (set->numSamples < 1 || elements < 1)
    fail("accepted a set without samples or without values");
  if (source.count != -1 && set->numSamples != source.count)
    fail("returned another number of samples than asked for");
  if (set->labels.size() != uint64_t(set->numSamples) ||
      set->samples.size() != uint64_t(set->numSamples) * uint64_t(elements))
    fail("the sample and label vectors do not match numSamples");
  for (int32_t label : set->labels)
    if (label < 0 || label >= numClasses)
      fail("returned a label outside [0, numClasses)");
  for (float value : set->samples)
    if (!std::isfinite(value))
      fail("returned a non-finite value");
  return 0;
}
