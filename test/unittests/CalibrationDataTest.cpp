//===- CalibrationDataTest.cpp - npu/Target/CalibrationData.h -------------===//
//
// The loader on files written here byte by byte: IDX of every element type,
// .npy of every header version and dtype, gzip'd (through zlib's gzwrite)
// whatever the name; offset, count and scale; then one test per failure,
// each checking the message names the file and the problem. Last, the real
// Fashion-MNIST test set when the machine has it.
//
//===----------------------------------------------------------------------===//

#include "npu/Target/CalibrationData.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

using npu::CalibrationSet;
using npu::CalibrationSource;
using npu::loadCalibrationSet;

namespace {

using Bytes = std::vector<uint8_t>;

void appendBigEndian(Bytes &bytes, uint64_t value, unsigned size) {
  for (unsigned i = size; i-- > 0;)
    bytes.push_back(static_cast<uint8_t>(value >> (8 * i)));
}

void appendLittleEndian(Bytes &bytes, uint64_t value, unsigned size) {
  for (unsigned i = 0; i < size; ++i)
    bytes.push_back(static_cast<uint8_t>(value >> (8 * i)));
}

uint32_t floatBits(float value) {
  uint32_t bits;
  std::memcpy(&bits, &value, sizeof(bits));
  return bits;
}

uint64_t doubleBits(double value) {
  uint64_t bits;
  std::memcpy(&bits, &value, sizeof(bits));
  return bits;
}

/// An IDX header: magic 0x0000TTDD and the dims, big-endian.
Bytes idxHeader(uint8_t type, const std::vector<uint32_t> &dims) {
  Bytes bytes = {0, 0, type, static_cast<uint8_t>(dims.size())};
  for (uint32_t dim : dims)
    appendBigEndian(bytes, dim, 4);
  return bytes;
}

/// An IDX file of unsigned bytes.
Bytes idxBytes(const std::vector<uint32_t> &dims, const Bytes &data) {
  Bytes bytes = idxHeader(0x08, dims);
  bytes.insert(bytes.end(), data.begin(), data.end());
  return bytes;
}

/// An .npy file: `dict` is the header's Python literal, padded as numpy
/// pads it (spaces and a newline up to a multiple of 64 bytes).
Bytes npyBytes(const std::string &dict, const Bytes &data, int major = 1) {
  size_t prefix = major == 1 ? 10 : 12;
  std::string header = dict;
  while ((prefix + header.size() + 1) % 64 != 0)
    header += ' ';
  header += '\n';
  Bytes bytes = {0x93, 'N', 'U', 'M', 'P', 'Y', static_cast<uint8_t>(major), 0};
  appendLittleEndian(bytes, header.size(), major == 1 ? 2 : 4);
  bytes.insert(bytes.end(), header.begin(), header.end());
  bytes.insert(bytes.end(), data.begin(), data.end());
  return bytes;
}

std::string npyDict(const std::string &descr, const std::string &shape,
                    bool fortran = false) {
  return "{'descr': '" + descr +
         "', 'fortran_order': " + (fortran ? "True" : "False") +
         ", 'shape': " + shape + ", }";
}

class CalibrationDataTest : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("npu-calibration", dir));
  }
  void TearDown() override { llvm::sys::fs::remove_directories(dir); }

  std::string path(const std::string &name) const {
    llvm::SmallString<128> result(dir);
    llvm::sys::path::append(result, name);
    return std::string(result);
  }

  std::string write(const std::string &name, const Bytes &bytes) {
    std::string file = path(name);
    FILE *stream = std::fopen(file.c_str(), "wb");
    EXPECT_NE(stream, nullptr);
    if (!stream)
      return file;
    EXPECT_EQ(std::fwrite(bytes.data(), 1, bytes.size(), stream), bytes.size());
    std::fclose(stream);
    return file;
  }

  /// Writes `bytes` gzip'd; with `members`, as that many concatenated gzip
  /// members (gzopen in append mode starts a new one).
  std::string writeGzip(const std::string &name, const Bytes &bytes,
                        int members = 1) {
    std::string file = path(name);
    size_t chunk = (bytes.size() + members - 1) / members;
    for (int m = 0; m < members; ++m) {
      gzFile stream = gzopen(file.c_str(), m == 0 ? "wb" : "ab");
      EXPECT_NE(stream, nullptr);
      if (!stream)
        return file;
      size_t begin = std::min(bytes.size(), m * chunk);
      size_t size = std::min(bytes.size() - begin, chunk);
      if (size != 0)
        EXPECT_EQ(gzwrite(stream, bytes.data() + begin, size), int(size));
      EXPECT_EQ(gzclose(stream), Z_OK);
    }
    return file;
  }

  Bytes read(const std::string &file) {
    Bytes bytes;
    FILE *stream = std::fopen(file.c_str(), "rb");
    if (!stream)
      return bytes;
    int c;
    while ((c = std::fgetc(stream)) != EOF)
      bytes.push_back(static_cast<uint8_t>(c));
    std::fclose(stream);
    return bytes;
  }

  /// Three 2x2 ubyte images (values 10*i + e) and their labels 2, 0, 1.
  void writeSmallIDX() {
    images = write("images.idx", idxBytes({3, 2, 2}, {0, 1, 2, 3, 10, 11, 12,
                                                      13, 20, 21, 22, 23}));
    labels = write("labels.idx", idxBytes({3}, {2, 0, 1}));
  }

  /// The error message of loading `source`, or "success".
  std::string errorOf(const CalibrationSource &source,
                      int64_t numClasses = 10) {
    auto set = loadCalibrationSet(source, numClasses);
    if (set)
      return "success";
    return llvm::toString(set.takeError());
  }

  CalibrationSource source() const {
    CalibrationSource result;
    result.images = images;
    result.labels = labels;
    return result;
  }

  llvm::SmallString<128> dir;
  std::string images, labels;
};

TEST_F(CalibrationDataTest, LoadsIDXWithScale) {
  writeSmallIDX();
  CalibrationSource src = source();
  src.scale = 1.0 / 255;
  auto set = loadCalibrationSet(src, 3);
  ASSERT_TRUE(static_cast<bool>(set)) << llvm::toString(set.takeError());
  EXPECT_EQ(set->numSamples, 3);
  EXPECT_EQ(set->sampleShape, (std::vector<int64_t>{2, 2}));
  EXPECT_EQ(set->sampleElements(), 4);
  ASSERT_EQ(set->samples.size(), 12u);
  for (int i = 0; i < 3; ++i)
    for (int e = 0; e < 4; ++e)
      EXPECT_EQ(set->samples[i * 4 + e],
                static_cast<float>((10 * i + e) * (1.0 / 255)));
  EXPECT_EQ(set->labels, (std::vector<int32_t>{2, 0, 1}));
}

TEST_F(CalibrationDataTest, OffsetAndCount) {
  writeSmallIDX();
  CalibrationSource src = source();
  src.offset = 1;
  src.count = 1;
  auto set = loadCalibrationSet(src, 3);
  ASSERT_TRUE(static_cast<bool>(set)) << llvm::toString(set.takeError());
  EXPECT_EQ(set->numSamples, 1);
  EXPECT_EQ(set->samples, (std::vector<float>{10, 11, 12, 13}));
  EXPECT_EQ(set->labels, (std::vector<int32_t>{0}));

  src.count = -1; // All from the offset on.
  set = loadCalibrationSet(src, 3);
  ASSERT_TRUE(static_cast<bool>(set)) << llvm::toString(set.takeError());
  EXPECT_EQ(set->numSamples, 2);
  EXPECT_EQ(set->samples, (std::vector<float>{10, 11, 12, 13, 20, 21, 22, 23}));
  EXPECT_EQ(set->labels, (std::vector<int32_t>{0, 1}));
}

TEST_F(CalibrationDataTest, DetectsGzipByMagicNotName) {
  // Gzip'd bytes named like raw IDX, and raw bytes named .gz.
  images = writeGzip("images.idx", idxBytes({2, 3}, {1, 2, 3, 4, 5, 6}));
  labels = write("labels.gz", idxBytes({2}, {7, 8}));
  ASSERT_EQ(read(images)[0], 0x1f);
  auto set = loadCalibrationSet(source(), 10);
  ASSERT_TRUE(static_cast<bool>(set)) << llvm::toString(set.takeError());
  EXPECT_EQ(set->sampleShape, (std::vector<int64_t>{3}));
  EXPECT_EQ(set->samples, (std::vector<float>{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(set->labels, (std::vector<int32_t>{7, 8}));

  // Concatenated members, split inside the header.
  images = writeGzip("images2.idx", idxBytes({2, 3}, {1, 2, 3, 4, 5, 6}), 3);
  labels = writeGzip("labels2.idx", idxBytes({2}, {7, 8}), 2);
  set = loadCalibrationSet(source(), 10);
  ASSERT_TRUE(static_cast<bool>(set)) << llvm::toString(set.takeError());
  EXPECT_EQ(set->samples, (std::vector<float>{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(set->labels, (std::vector<int32_t>{7, 8}));
}

TEST_F(CalibrationDataTest, ReadsEveryIDXType) {
  labels = write("labels.idx", idxBytes({2}, {0, 1}));
  CalibrationSource src = source();
  src.scale = 0.5;

  Bytes sbyte = idxHeader(0x09, {2, 2});
  sbyte.insert(sbyte.end(), {0xFF, 0x80, 0x7F, 0x02}); // -1 -128 127 2
  src.images = write("sbyte.idx", sbyte);
  auto set = loadCalibrationSet(src, 2);
  ASSERT_TRUE(static_cast<bool>(set)) << llvm::toString(set.takeError());
  EXPECT_EQ(set->samples, (std::vector<float>{-0.5f, -64, 63.5f, 1}));

  Bytes shorts = idxHeader(0x0B, {2, 1});
  appendBigEndian(shorts, uint16_t(-300), 2);
  appendBigEndian(shorts, 1000, 2);
  src.images = write("short.idx", shorts);
  set = loadCalibrationSet(src, 2);
  ASSERT_TRUE(static_cast<bool>(set)) << llvm::toString(set.takeError());
  EXPECT_EQ(set->samples, (std::vector<float>{-150, 500}));

  Bytes ints = idxHeader(0x0C, {2, 1});
  appendBigEndian(ints, uint32_t(-70000), 4);
  appendBigEndian(ints, 16777216, 4);
  src.images = write("int.idx", ints);
  set = loadCalibrationSet(src, 2);
  ASSERT_TRUE(static_cast<bool>(set)) << llvm::toString(set.takeError());
  EXPECT_EQ(set->samples, (std::vector<float>{-35000, 8388608}));

  // Floats are taken as stored: no scale.
  Bytes floats = idxHeader(0x0D, {2, 1});
  appendBigEndian(floats, floatBits(0.1f), 4);
  appendBigEndian(floats, floatBits(-3.5f), 4);
  src.images = write("float.idx", floats);
  set = loadCalibrationSet(src, 2);
  ASSERT_TRUE(static_cast<bool>(set)) << llvm::toString(set.takeError());
  EXPECT_EQ(set->samples, (std::vector<float>{0.1f, -3.5f}));

  Bytes doubles = idxHeader(0x0E, {2, 1});
  appendBigEndian(doubles, doubleBits(0.25), 8);
  appendBigEndian(doubles, doubleBits(1e-3), 8);
  src.images = write("double.idx", doubles);
  set = loadCalibrationSet(src, 2);
  ASSERT_TRUE(static_cast<bool>(set)) << llvm::toString(set.takeError());
  EXPECT_EQ(set->samples, (std::vector<float>{0.25f, 1e-3f}));

  // Labels of a wider integer type.
  Bytes wide = idxHeader(0x0C, {2});
  appendBigEndian(wide, 1, 4);
  appendBigEndian(wide, 0, 4);
  src.labels = write("int-labels.idx", wide);
  set = loadCalibrationSet(src, 2);
  ASSERT_TRUE(static_cast<bool>(set)) << llvm::toString(set.takeError());
  EXPECT_EQ(set->labels, (std::vector<int32_t>{1, 0}));
}

TEST_F(CalibrationDataTest, ReadsNpy) {
  // f4 images of shape [3, 1, 2, 2] in a version 1.0 header.
  Bytes data;
  for (int i = 0; i < 12; ++i)
    appendLittleEndian(data, floatBits(0.5f * i - 1), 4);
  images = write("images.npy", npyBytes(npyDict("<f4", "(3, 1, 2, 2)"), data));
  Bytes labelData;
  for (int64_t label : {4, 0, 9})
    appendLittleEndian(labelData, label, 8);
  labels = write("labels.npy", npyBytes(npyDict("<i8", "(3,)"), labelData));
  CalibrationSource src = source();
  src.scale = 100; // Not applied to floats.
  auto set = loadCalibrationSet(src, 10);
  ASSERT_TRUE(static_cast<bool>(set)) << llvm::toString(set.takeError());
  EXPECT_EQ(set->sampleShape, (std::vector<int64_t>{1, 2, 2}));
  EXPECT_EQ(set->numSamples, 3);
  for (int i = 0; i < 12; ++i)
    EXPECT_EQ(set->samples[i], 0.5f * i - 1);
  EXPECT_EQ(set->labels, (std::vector<int32_t>{4, 0, 9}));

  // Versions 2.0 and 3.0 (4-byte header length), a double-quoted dict in
  // another key order, u1 images with a scale, and gzip'd u1 labels.
  src.images =
      write("u1.npy",
            npyBytes("{\"shape\": (2, 3), \"fortran_order\": False, \"descr\": "
                     "\"|u1\"}",
                     {0, 51, 255, 1, 2, 3}, 2));
  src.labels =
      writeGzip("u1-labels.npy", npyBytes(npyDict("|u1", "(2,)"), {3, 5}, 3));
  src.scale = 1.0 / 255;
  set = loadCalibrationSet(src, 10);
  ASSERT_TRUE(static_cast<bool>(set)) << llvm::toString(set.takeError());
  EXPECT_EQ(set->sampleShape, (std::vector<int64_t>{3}));
  EXPECT_EQ(set->samples[1], static_cast<float>(51 / 255.0));
  EXPECT_EQ(set->samples[2], 1.0f);
  EXPECT_EQ(set->labels, (std::vector<int32_t>{3, 5}));

  // The other image dtypes, scaled by 2, and the other label dtypes.
  struct Case {
    const char *descr;
    unsigned size;
  } cases[] = {{"|i1", 1}, {"<i2", 2}, {"<i4", 4}, {"<i8", 8},
               {"<u2", 2}, {"<u4", 4}, {"<u8", 8}};
  src.scale = 2;
  for (const Case &c : cases) {
    SCOPED_TRACE(c.descr);
    Bytes values;
    appendLittleEndian(values, c.descr[1] == 'i' ? uint64_t(-3) : 3, c.size);
    appendLittleEndian(values, 7, c.size);
    src.images =
        write("typed.npy", npyBytes(npyDict(c.descr, "(2, 1)"), values));
    Bytes labelValues;
    appendLittleEndian(labelValues, 6, c.size);
    appendLittleEndian(labelValues, 2, c.size);
    src.labels = write("typed-labels.npy",
                       npyBytes(npyDict(c.descr, "(2,)"), labelValues));
    set = loadCalibrationSet(src, 10);
    ASSERT_TRUE(static_cast<bool>(set)) << llvm::toString(set.takeError());
    EXPECT_EQ(set->samples,
              (std::vector<float>{c.descr[1] == 'i' ? -6.0f : 6.0f, 14}));
    EXPECT_EQ(set->labels, (std::vector<int32_t>{6, 2}));
  }

  Bytes doubles;
  appendLittleEndian(doubles, doubleBits(-0.75), 8);
  src.images = write("f8.npy", npyBytes(npyDict("<f8", "(1, 1)"), doubles));
  src.labels = write("one-label.npy", npyBytes(npyDict("|i1", "(1,)"), {1}));
  set = loadCalibrationSet(src, 10);
  ASSERT_TRUE(static_cast<bool>(set)) << llvm::toString(set.takeError());
  EXPECT_EQ(set->samples, (std::vector<float>{-0.75f}));
}

TEST_F(CalibrationDataTest, RejectsWhatIsNotIDXOrNpy) {
  writeSmallIDX();
  CalibrationSource src = source();
  src.images = write("calib.idx", {0x12, 0x34, 0x56, 0x78, 0, 0, 0, 0});
  EXPECT_EQ(errorOf(src),
            src.images + ": not an IDX or .npy file (magic 0x12345678)");
  src.images = write("short.idx", {0, 0});
  EXPECT_EQ(errorOf(src), src.images + ": not an IDX or .npy file (2 bytes)");
  src.images = write("type.idx", {0, 0, 0x0A, 1, 0, 0, 0, 0});
  EXPECT_EQ(errorOf(src), src.images + ": unknown IDX data type 0x0a");
  src.images = write("rank.idx", {0, 0, 0x08, 0});
  EXPECT_EQ(errorOf(src), src.images + ": IDX header has 0 dimensions");
  src.images = write("dims.idx", {0, 0, 0x08, 3, 0, 0, 0, 1});
  EXPECT_EQ(errorOf(src), src.images + ": truncated: IDX header of 3 "
                                       "dimensions needs 16 bytes but the "
                                       "file has 8");
  src.images = path("missing.idx");
  EXPECT_EQ(errorOf(src).rfind(src.images + ": cannot read: ", 0), 0u)
      << errorOf(src);
}

TEST_F(CalibrationDataTest, RejectsTruncatedAndOversizedData) {
  writeSmallIDX();
  CalibrationSource src = source();
  src.labels = write("labels.idx", idxBytes({60000}, Bytes(1200, 1)));
  EXPECT_EQ(errorOf(src), src.labels + ": truncated: header says 60000 "
                                       "labels (60000 bytes) but 1200 bytes "
                                       "follow");
  src.labels = labels;
  src.images = write("images-short.idx", idxBytes({3, 2, 2}, Bytes(10, 0)));
  EXPECT_EQ(errorOf(src), src.images + ": truncated: header says 3 images of "
                                       "2x2 (12 bytes) but 10 bytes follow");
  src.images = write("images-long.idx", idxBytes({3, 2, 2}, Bytes(13, 0)));
  EXPECT_EQ(errorOf(src), src.images + ": 1 bytes follow the data of the "
                                       "header's 3 images of 2x2 (12 bytes)");
  // A lying header whose dims multiply past 2^63: refused before any
  // allocation.
  src.images =
      write("huge.idx", idxBytes({0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF}, {1, 2}));
  EXPECT_EQ(errorOf(src), src.images + ": truncated: header says 4294967295 "
                                       "images of 4294967295x4294967295 (more "
                                       "than 2^63 bytes) but 2 bytes follow");
  Bytes floats = idxHeader(0x0D, {3, 1});
  for (int i = 0; i < 2; ++i)
    appendBigEndian(floats, floatBits(1.0f), 4);
  src.images = write("floats-short.idx", floats);
  EXPECT_EQ(errorOf(src), src.images + ": truncated: header says 3 images of "
                                       "1 (12 bytes) but 8 bytes follow");
}

TEST_F(CalibrationDataTest, RejectsBadGzip) {
  writeSmallIDX();
  CalibrationSource src = source();
  // A gzip bomb, in miniature: 5000 zeros under a limit of 1000 bytes.
  src.images = writeGzip("bomb.idx", idxBytes({5000}, Bytes(5000, 0)));
  src.maxBytes = 1000;
  EXPECT_EQ(errorOf(src), src.images + ": decompresses to more than the "
                                       "limit of 1000 bytes");
  src.maxBytes = 1 << 20; // Inflates, then fails as 1-D.
  EXPECT_EQ(errorOf(src), src.images + ": images of shape [5000] have no "
                                       "sample dimension: expected [N, d1, "
                                       "...]");

  Bytes gzip = read(writeGzip("full.idx", idxBytes({3, 2, 2}, Bytes(12, 1))));
  ASSERT_GT(gzip.size(), 20u);
  src.images = write("cut.idx", Bytes(gzip.begin(), gzip.end() - 6));
  EXPECT_EQ(errorOf(src), src.images + ": truncated gzip data");

  Bytes corrupt = gzip;
  corrupt[corrupt.size() - 6] ^= 0xFF; // The CRC.
  src.images = write("crc.idx", corrupt);
  EXPECT_EQ(errorOf(src), src.images + ": corrupt gzip data: incorrect data "
                                       "check");

  Bytes trailing = gzip;
  trailing.push_back(0);
  trailing.push_back(0);
  src.images = write("trailing.idx", trailing);
  EXPECT_EQ(errorOf(src), src.images + ": 2 bytes follow the gzip data");
}

TEST_F(CalibrationDataTest, RejectsBadNpy) {
  writeSmallIDX();
  CalibrationSource src = source();
  auto npy = [&](const std::string &dict, const Bytes &data, int major = 1) {
    src.images = write("bad.npy", npyBytes(dict, data, major));
    return errorOf(src);
  };
  std::string file = path("bad.npy");
  EXPECT_EQ(npy(npyDict("<f4", "(3,)"), Bytes(12, 0)),
            file + ": images of shape [3] have no sample dimension: expected "
                   "[N, d1, ...]");
  EXPECT_EQ(npy(npyDict("<f4", "()"), Bytes(4, 0)),
            file + ": images of shape [] have no sample dimension: expected "
                   "[N, d1, ...]");
  EXPECT_EQ(npy(npyDict("<f4", "(3, 2)", /*fortran=*/true), Bytes(24, 0)),
            file + ": Fortran-ordered .npy arrays are not supported (save a "
                   "C-ordered array)");
  EXPECT_EQ(npy(npyDict(">f4", "(3, 2)"), Bytes(24, 0)),
            file + ": unsupported .npy dtype '>f4': only little-endian data "
                   "is read");
  EXPECT_EQ(npy(npyDict("<c8", "(3, 2)"), Bytes(48, 0)),
            file + ": unsupported .npy dtype '<c8'");
  EXPECT_EQ(npy("{'descr': [('a', '<f4')], 'fortran_order': False, "
                "'shape': (3, 2), }",
                Bytes(24, 0)),
            file + ": structured .npy dtypes are not supported");
  EXPECT_EQ(npy(npyDict("<f4", "(3, 2)"), Bytes(24, 0), 4),
            file + ": unsupported .npy version 4.0");
  EXPECT_EQ(npy("{'descr': '<f4', 'shape': (3, 2), }", Bytes(24, 0)),
            file + ": .npy header lacks 'fortran_order'");
  EXPECT_EQ(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 2), "
                "'extra': 1}",
                Bytes(24, 0)),
            file + ": unknown key 'extra' in .npy header");
  EXPECT_EQ(npy("{'descr': '<f4', 'fortran_order': Maybe, 'shape': (3, 2)}",
                Bytes(24, 0)),
            file + ": malformed .npy header: expected True or False at "
                   "offset 34 of \"{'descr': '<f4', 'fortran_order': Maybe, "
                   "'shape': (3, 2)}\"");
  EXPECT_EQ(npy(npyDict("<f4", "(3, 2)"), Bytes(20, 0)),
            file + ": truncated: header says 3 images of 2 (24 bytes) but 20 "
                   "bytes follow");
  Bytes cut = npyBytes(npyDict("<f4", "(3, 2)"), {});
  std::string headerSize = std::to_string(cut[8] | cut[9] << 8);
  cut.resize(40);
  src.images = write("bad.npy", cut);
  EXPECT_EQ(errorOf(src), file + ": truncated: .npy header of " + headerSize +
                              " bytes but 30 bytes follow");
}

TEST_F(CalibrationDataTest, RejectsBadLabels) {
  writeSmallIDX();
  CalibrationSource src = source();
  Bytes data;
  for (int64_t label : {1, 2, 3, 4, 5, 6, 7, 12, 0})
    appendLittleEndian(data, label, 4);
  src.images = write("images9.idx", idxBytes({9, 1}, Bytes(9, 0)));
  src.labels = write("labels.npy", npyBytes(npyDict("<i4", "(9,)"), data));
  EXPECT_EQ(errorOf(src, 10),
            src.labels + ": label 12 of sample 7 is out of range [0, 10)");
  src.count = 7; // The bad label is outside the selection.
  EXPECT_EQ(errorOf(src, 10), "success");
  src.count = -1;

  src.labels = write("negative.npy", npyBytes(npyDict("|i1", "(9,)"),
                                              {0, 0, 0, 0xFF, 0, 0, 0, 0, 0}));
  EXPECT_EQ(errorOf(src, 10),
            src.labels + ": label -1 of sample 3 is out of range [0, 10)");
  Bytes big;
  appendLittleEndian(big, ~uint64_t(0), 8);
  src.images = write("images1.idx", idxBytes({1, 1}, {0}));
  src.labels = write("u8.npy", npyBytes(npyDict("<u8", "(1,)"), big));
  EXPECT_EQ(errorOf(src, 10), src.labels + ": label 18446744073709551615 of "
                                           "sample 0 is out of range [0, 10)");

  src.labels =
      write("float-labels.npy", npyBytes(npyDict("<f4", "(1,)"), Bytes(4, 0)));
  EXPECT_EQ(errorOf(src, 10),
            src.labels + ": labels must be integers, not floats");
  src.labels =
      write("labels2d.npy", npyBytes(npyDict("|u1", "(1, 1)"), Bytes(1, 0)));
  EXPECT_EQ(errorOf(src, 10),
            src.labels + ": labels must be 1-D, got shape [1, 1]");
  src.labels = labels;
  EXPECT_EQ(errorOf(src, 10),
            src.images + ": 1 images but " + labels + ": 3 labels");
  src.images = images;
  EXPECT_EQ(errorOf(src, 2),
            labels + ": label 2 of sample 0 is out of range [0, 2)");
  EXPECT_EQ(errorOf(src, 0), "numClasses must be in [1, 2^31), got 0");
}

TEST_F(CalibrationDataTest, RejectsBadSelections) {
  writeSmallIDX();
  CalibrationSource src = source();
  src.count = 0;
  EXPECT_EQ(errorOf(src), "no samples: count is 0");
  src.count = -2;
  EXPECT_EQ(errorOf(src), "count must be -1 (all) or positive, got -2");
  src.count = -1;
  src.offset = 3;
  EXPECT_EQ(errorOf(src), "offset 3 is past the 3 samples of " + images);
  src.offset = -1;
  EXPECT_EQ(errorOf(src), "negative offset -1");
  src.offset = 1;
  src.count = 3;
  EXPECT_EQ(errorOf(src),
            "offset 1 + count 3 runs past the 3 samples of " + images);
  src.count = 2;
  EXPECT_EQ(errorOf(src), "success");

  src.scale = NAN;
  EXPECT_EQ(errorOf(src), "scale must be finite, got nan");
  src.scale = 1;
  // 2 samples of 4 values take 32 bytes as floats.
  src.maxBytes = 31;
  EXPECT_EQ(errorOf(src), "2 samples of 4 values need 32 bytes as floats, "
                          "more than the limit of 31");
  src.maxBytes = 20; // The images file itself has 28.
  EXPECT_EQ(errorOf(src), images + ": 28 bytes are more than the limit of 20 "
                                   "bytes");

  src = source();
  src.images = write("empty.idx", idxBytes({0, 2, 2}, {}));
  src.labels = write("empty-labels.idx", idxBytes({0}, {}));
  EXPECT_EQ(errorOf(src), src.images + ": no samples: the file holds none");
  src.images = write("nothing.idx", idxBytes({3, 2, 0}, {}));
  src.labels = labels;
  EXPECT_EQ(errorOf(src),
            src.images + ": samples of shape [2, 0] have no elements");
}

// With no samples ([0, d1, ...]) the file's size does not bound the sample
// dims, so their product is checked on its own (it was a signed overflow:
// undefined behaviour, and a wrapped product of 0 claimed "no elements").
TEST_F(CalibrationDataTest, RejectsSampleShapesPast2To63) {
  CalibrationSource src;
  src.labels = write("no-labels.idx", idxBytes({0}, {}));
  src.images = write(
      "wrap.npy", npyBytes(npyDict("|u1", "(0, 4294967296, 4294967296)"), {}));
  EXPECT_EQ(errorOf(src), src.images + ": samples of shape [4294967296, "
                                       "4294967296] have more than 2^63 "
                                       "elements");
  src.images = write("huge.idx", idxBytes({0, 0xFFFFFFFF, 0xFFFFFFFF}, {}));
  EXPECT_EQ(errorOf(src), src.images + ": samples of shape [4294967295, "
                                       "4294967295] have more than 2^63 "
                                       "elements");
  // A zero dim is named as such wherever it is, even after huge ones.
  src.images = write("zero.idx",
                     idxBytes({0, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0}, {}));
  EXPECT_EQ(errorOf(src), src.images + ": samples of shape [4294967295, "
                                       "4294967295, 4294967295, 0] have no "
                                       "elements");
}

TEST_F(CalibrationDataTest, RejectsNonFiniteImages) {
  writeSmallIDX();
  CalibrationSource src = source();
  Bytes floats = idxHeader(0x0D, {3, 2});
  for (float value : {0.0f, 1.0f, 2.0f, 3.0f, 4.0f, NAN})
    appendBigEndian(floats, floatBits(value), 4);
  src.images = write("nan.idx", floats);
  EXPECT_EQ(errorOf(src),
            src.images + ": sample 2 has a non-finite value (nan) at element "
                         "1");
  src.count = 2; // The NaN is outside the selection.
  EXPECT_EQ(errorOf(src), "success");

  // A double past the float range becomes inf.
  src.count = -1;
  Bytes doubles;
  appendLittleEndian(doubles, doubleBits(1.0), 8);
  appendLittleEndian(doubles, doubleBits(1e300), 8);
  appendLittleEndian(doubles, doubleBits(1.0), 8);
  src.images = write("inf.npy", npyBytes(npyDict("<f8", "(3, 1)"), doubles));
  EXPECT_EQ(errorOf(src),
            src.images + ": sample 1 has a non-finite value (inf) at element "
                         "0");
}

TEST(CalibrationDataRealTest, LoadsFashionMNISTTestSet) {
  const std::string dir = "/usr/share/datasets/fashion-mnist/";
  CalibrationSource src;
  src.images = dir + "t10k-images-idx3-ubyte.gz";
  src.labels = dir + "t10k-labels-idx1-ubyte.gz";
  if (!llvm::sys::fs::exists(src.images) || !llvm::sys::fs::exists(src.labels))
    GTEST_SKIP() << "Fashion-MNIST is not installed (dataset-fashion-mnist)";
  src.offset = 9990;
  src.count = 10;
  src.scale = 1.0 / 255;
  auto set = loadCalibrationSet(src, 10);
  ASSERT_TRUE(static_cast<bool>(set)) << llvm::toString(set.takeError());
  EXPECT_EQ(set->numSamples, 10);
  EXPECT_EQ(set->sampleShape, (std::vector<int64_t>{28, 28}));
  ASSERT_EQ(set->samples.size(), 10u * 28 * 28);
  ASSERT_EQ(set->labels.size(), 10u);
  float largest = 0;
  for (float value : set->samples) {
    EXPECT_GE(value, 0.0f);
    EXPECT_LE(value, 1.0f);
    largest = std::max(largest, value);
  }
  EXPECT_GT(largest, 0.5f); // Real images, not zeros.
  for (int32_t label : set->labels) {
    EXPECT_GE(label, 0);
    EXPECT_LT(label, 10);
  }
  // The 10000 of the set: one past the end fails.
  src.offset = 9991;
  auto past = loadCalibrationSet(src, 10);
  ASSERT_FALSE(static_cast<bool>(past));
  EXPECT_EQ(llvm::toString(past.takeError()),
            "offset 9991 + count 10 runs past the 10000 samples of " +
                src.images);
}

} // namespace
