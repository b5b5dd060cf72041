//===- CalibrationData.h - Labelled images for calibration ------*- C++ -*-===//
//
// The early-exit pass calibrates its exit classifiers on labelled samples
// (e.g. Fashion-MNIST). They come as the files datasets ship: IDX
// (idx3-ubyte images, idx1-ubyte labels), optionally gzip-compressed, or
// NumPy .npy arrays. These files are untrusted input: every header is checked
// against the bytes that follow before anything is read or allocated, the
// decompressed size is capped, and every failure names the file and what is
// wrong with it.
//
//===----------------------------------------------------------------------===//

#ifndef NPU_TARGET_CALIBRATIONDATA_H
#define NPU_TARGET_CALIBRATIONDATA_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <string>
#include <vector>

namespace npu {

/// Where the samples come from and which of them to take.
struct CalibrationSource {
  /// The images: an IDX file (idx3-ubyte and the other IDX types) or a .npy
  /// file (dtype f4, f8, u1, i1, i2, i4, i8, u2, u4 or u8), of shape
  /// [N, d1, ...]. Either may be gzip-compressed, which is recognised by its
  /// magic bytes, not by the file name.
  std::string images;
  /// The labels: a 1-D IDX file of an integer type (idx1-ubyte) or a 1-D
  /// .npy file of an integer dtype, optionally gzip-compressed; one label
  /// per image.
  std::string labels;
  /// The first sample used.
  int64_t offset = 0;
  /// How many samples to use; -1 takes all from `offset` on.
  int64_t count = -1;
  /// Multiplies images of an integer type (e.g. 1/255 for bytes); float
  /// images are taken as stored.
  double scale = 1.0;
  /// The most bytes a file may hold (once decompressed) and the most the
  /// loaded samples may take as floats, so that a gzip bomb or a lying
  /// header fails cleanly instead of exhausting memory.
  int64_t maxBytes = int64_t(2) << 30;
};

/// The loaded samples, as floats, with their labels.
struct CalibrationSet {
  /// The shape of one sample: the file's dims after the first (e.g. {28, 28}
  /// for IDX images, {1, 28, 28} for an .npy array of shape [N, 1, 28, 28]).
  std::vector<int64_t> sampleShape;
  int64_t numSamples = 0;
  /// numSamples * sampleElements() values, sample after sample.
  std::vector<float> samples;
  /// numSamples labels.
  std::vector<int32_t> labels;

  /// The number of values of one sample: the product of sampleShape.
  int64_t sampleElements() const;
};

/// Loads samples [offset, offset + count) of `source.images` and their
/// labels. Fails, naming the file and the problem, on an unreadable or
/// malformed file, image and label files of different lengths, a selection
/// that is empty or runs past the files, a label outside [0, numClasses) or
/// an image value that is not finite.
llvm::Expected<CalibrationSet>
loadCalibrationSet(const CalibrationSource &source, int64_t numClasses);

/// The same on bytes already in memory: `imageBytes` and `labelBytes` are
/// the contents of the two files (gzip'd or not), and `source.images` and
/// `source.labels` only name them in messages. Every check of
/// loadCalibrationSet() applies except those on reading the files (their
/// type and size); `source.maxBytes` still caps what gzip data inflates to.
/// This is what the calibration fuzzer drives (tools/npu-fuzzers).
llvm::Expected<CalibrationSet>
decodeCalibrationSet(const CalibrationSource &source,
                     llvm::ArrayRef<uint8_t> imageBytes,
                     llvm::ArrayRef<uint8_t> labelBytes, int64_t numClasses);

} // namespace npu

#endif // NPU_TARGET_CALIBRATIONDATA_H
