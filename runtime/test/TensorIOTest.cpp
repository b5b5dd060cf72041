//===- TensorIOTest.cpp - .npy and ONNX .pb tensor files ------------------===//
//
// Round trips for every element type, the variants real writers produce
// (NumPy's header versions, byte orders and Fortran order; protobuf's packed
// and unpacked repeated fields), one test per rejection with its message and
// byte offset, and robustness: every prefix and every single-byte corruption
// of valid files parses to a tensor or an error, never a crash.
//
//===----------------------------------------------------------------------===//

#include "TensorIO.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include <sys/stat.h>
#include <unistd.h>

using namespace npu::rt;
using namespace npu::rt::io;

namespace {

using Bytes = std::vector<uint8_t>;

const ElementType kAllTypes[] = {
    ElementType::F32,  ElementType::F16,  ElementType::BF16, ElementType::I8,
    ElementType::UI8,  ElementType::I32,  ElementType::F64,  ElementType::I16,
    ElementType::UI16, ElementType::UI32, ElementType::I64,  ElementType::UI64,
    ElementType::Bool,
};

/// A tensor of `type` and `shape` whose bytes are a recognisable pattern
/// (valid for every type: bools are 0/1).
Tensor pattern(ElementType type, std::vector<int64_t> shape) {
  Tensor tensor;
  tensor.type = type;
  tensor.shape = std::move(shape);
  size_t bytes = size_t(tensor.elements()) * size_t(elementTypeBytes(type));
  for (size_t i = 0; i < bytes; ++i)
    tensor.data.push_back(type == ElementType::Bool
                              ? uint8_t(i % 2)
                              : static_cast<uint8_t>(i * 37 + 11));
  return tensor;
}

Bytes text(const std::string &s) { return Bytes(s.begin(), s.end()); }

/// A .npy file with `header` (padded to 64 bytes) and `data`.
Bytes npyWith(const std::string &header, const Bytes &data, int major = 1) {
  std::string h = header;
  size_t preamble = major == 1 ? 10 : 12;
  while ((preamble + h.size() + 1) % 64)
    h += ' ';
  h += '\n';
  Bytes out = {0x93, 'N', 'U', 'M', 'P', 'Y', uint8_t(major), 0};
  for (size_t i = 0; i < preamble - 8; ++i)
    out.push_back(static_cast<uint8_t>(h.size() >> (8 * i)));
  out.insert(out.end(), h.begin(), h.end());
  out.insert(out.end(), data.begin(), data.end());
  return out;
}

Bytes floats(const std::vector<float> &values) {
  Bytes out(values.size() * 4);
  std::memcpy(out.data(), values.data(), out.size());
  return out;
}

/// Protobuf encoding helpers.
void varint(Bytes &out, uint64_t v) {
  while (v >= 0x80) {
    out.push_back(uint8_t(v | 0x80));
    v >>= 7;
  }
  out.push_back(uint8_t(v));
}
void key(Bytes &out, int field, int wire) {
  varint(out, uint64_t(field) << 3 | wire);
}
void lenField(Bytes &out, int field, const Bytes &payload) {
  key(out, field, 2);
  varint(out, payload.size());
  out.insert(out.end(), payload.begin(), payload.end());
}
void fixed32(Bytes &out, uint32_t v) {
  for (int i = 0; i < 4; ++i)
    out.push_back(uint8_t(v >> (8 * i)));
}

ReadResult npy(const Bytes &bytes) {
  return parseNpy(bytes.data(), bytes.size(), "t.npy");
}
ReadResult pb(const Bytes &bytes) {
  return parsePb(bytes.data(), bytes.size(), "t.pb");
}

/// Expects a failure whose message contains `part`.
void expectError(const ReadResult &result, const std::string &part) {
  ASSERT_FALSE(result.ok()) << "expected an error containing: " << part;
  EXPECT_NE(result.error.find(part), std::string::npos) << result.error;
}

//===----------------------------------------------------------------------===//
// Round trips
//===----------------------------------------------------------------------===//

TEST(TensorIO, NpyRoundTripEveryTypeAndRank) {
  for (ElementType type : kAllTypes) {
    for (std::vector<int64_t> shape :
         {std::vector<int64_t>{}, {5}, {2, 3}, {2, 0, 3}, {1, 2, 3, 4}}) {
      Tensor tensor = pattern(type, shape);
      Bytes bytes = encodeNpy(tensor);
      // NumPy aligns the data to 64 bytes.
      EXPECT_EQ((bytes.size() - tensor.data.size()) % 64, 0u);
      ReadResult read = npy(bytes);
      ASSERT_TRUE(read.ok()) << read.error;
      EXPECT_EQ(read.tensor->type, type) << elementTypeName(type);
      EXPECT_EQ(read.tensor->shape, shape);
      EXPECT_EQ(read.tensor->data, tensor.data);
    }
  }
}

TEST(TensorIO, PbRoundTripEveryTypeAndRank) {
  for (ElementType type : kAllTypes) {
    for (std::vector<int64_t> shape :
         {std::vector<int64_t>{}, {5}, {2, 3}, {2, 0, 3}}) {
      Tensor tensor = pattern(type, shape);
      tensor.name = "input_0";
      ReadResult read = pb(encodePb(tensor));
      ASSERT_TRUE(read.ok()) << read.error;
      EXPECT_EQ(read.tensor->type, type);
      EXPECT_EQ(read.tensor->shape, shape);
      EXPECT_EQ(read.tensor->name, "input_0");
      EXPECT_EQ(read.tensor->data, tensor.data);
    }
  }
}

TEST(TensorIO, NpyHeaderIsNumPys) {
  Tensor tensor = pattern(ElementType::F32, {2, 3});
  Bytes bytes = encodeNpy(tensor);
  std::string header(bytes.begin() + 10, bytes.end() - 24);
  EXPECT_EQ(header.find(
                "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }"),
            0u);
  EXPECT_EQ(header.back(), '\n');
  Tensor vec = pattern(ElementType::I8, {4});
  Bytes vecBytes = encodeNpy(vec);
  EXPECT_NE(std::string(vecBytes.begin(), vecBytes.end()).find("(4,)"),
            std::string::npos);
}

TEST(TensorIO, TypesAndDTypes) {
  for (ElementType type : kAllTypes) {
    std::optional<cost::DType> dtype = toDType(type);
    if (dtype) {
      EXPECT_EQ(fromDType(*dtype), type);
      EXPECT_EQ(cost::elementBytes(*dtype), elementTypeBytes(type));
    }
  }
  EXPECT_FALSE(toDType(ElementType::F64));
  EXPECT_EQ(elementTypeName(ElementType::BF16), "bf16");
  EXPECT_EQ(describe(ElementType::UI8, {1, 2}), "ui8[1, 2]");
  EXPECT_EQ(describe(ElementType::F32, {}), "f32[]");
}

//===----------------------------------------------------------------------===//
// .npy variants
//===----------------------------------------------------------------------===//

TEST(TensorIO, NpyVersion2AndDoubleQuotesAndLongSuffix) {
  ReadResult read = npy(npyWith(
      "{\"descr\": \"<f4\", \"fortran_order\": False, \"shape\": (1L, 2L)}",
      floats({1.5f, -2.0f}), 2));
  ASSERT_TRUE(read.ok()) << read.error;
  EXPECT_EQ(read.tensor->shape, (std::vector<int64_t>{1, 2}));
  EXPECT_EQ(read.tensor->data, floats({1.5f, -2.0f}));
}

TEST(TensorIO, NpyBigEndianIsSwapped) {
  ReadResult read =
      npy(npyWith("{'descr': '>i4', 'fortran_order': False, 'shape': (2,), }",
                  {0, 0, 1, 2, 0xff, 0xff, 0xff, 0xfe}));
  ASSERT_TRUE(read.ok()) << read.error;
  EXPECT_EQ(read.tensor->type, ElementType::I32);
  EXPECT_EQ(read.tensor->data, (Bytes{2, 1, 0, 0, 0xfe, 0xff, 0xff, 0xff}));
}

TEST(TensorIO, NpyFortranOrderIsTransposed) {
  // [[1, 2, 3], [4, 5, 6]] stored column by column.
  ReadResult read =
      npy(npyWith("{'descr': '|u1', 'fortran_order': True, 'shape': (2, 3), }",
                  {1, 4, 2, 5, 3, 6}));
  ASSERT_TRUE(read.ok()) << read.error;
  EXPECT_EQ(read.tensor->data, (Bytes{1, 2, 3, 4, 5, 6}));
}

TEST(TensorIO, NpyVoid2IsBFloat16) {
  ReadResult read =
      npy(npyWith("{'descr': '|V2', 'fortran_order': False, 'shape': (1,), }",
                  {0x80, 0x3f}));
  ASSERT_TRUE(read.ok()) << read.error;
  EXPECT_EQ(read.tensor->type, ElementType::BF16);
  EXPECT_EQ(formatValues(*read.tensor, 0), "1");
}

//===----------------------------------------------------------------------===//
// .npy rejections
//===----------------------------------------------------------------------===//

TEST(TensorIO, NpyRejections) {
  const std::string good =
      "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }";
  Bytes data = floats({1, 2});

  expectError(npy({}), "t.npy: empty file");
  expectError(npy(text("PK\x03\x04 zip")), "t.npy: byte 0: not a .npy file");
  expectError(npy({0x93, 'N', 'U', 'M'}), "too short for a .npy header");

  Bytes version = npyWith(good, data);
  version[6] = 9;
  expectError(npy(version), "byte 6: unsupported .npy format version 9.0");

  Bytes longHeader = npyWith(good, data);
  longHeader[8] = 0xff;
  longHeader[9] = 0xff;
  expectError(npy(longHeader), "byte 8: header length 65535 runs past the end");

  expectError(npy(npyWith("{'descr': '<c8', 'fortran_order': False, "
                          "'shape': (2,), }",
                          data)),
              "byte 20: unsupported descr '<c8'");
  expectError(npy(npyWith("{'descr': '<f4', 'shape': (2,), }", data)),
              "byte 10: the header has no 'fortran_order' key");
  expectError(npy(npyWith("{'descr': '<f4', 'fortran_order': False, "
                          "'shape': (2,), 'extra': 1}",
                          data)),
              "unsupported value in the header");
  expectError(npy(npyWith("{'descr': '<f4', 'fortran_order': False, "
                          "'shape': (2,), 'extra': 'x'}",
                          data)),
              "unknown header key 'extra'");
  expectError(npy(npyWith("{'descr': '<f4', 'descr': '<f4'}", data)),
              "duplicate key 'descr'");
  expectError(npy(npyWith("{'descr': [('a', '<f4')], 'fortran_order': "
                          "False, 'shape': (2,), }",
                          data)),
              "structured dtypes");
  expectError(npy(npyWith("{'descr': '<f4', 'fortran_order': False, "
                          "'shape': (2), }",
                          data)),
              "parenthesized integer, not a tuple");
  expectError(npy(npyWith("{'descr': '<f4', 'fortran_order': False, "
                          "'shape': (-2,), }",
                          data)),
              "expected a non-negative integer");
  expectError(npy(npyWith("{'descr': '<f4', 'fortran_order': False, "
                          "'shape': (99999999999999999999,), }",
                          data)),
              "does not fit in 64 bits");
  expectError(npy(npyWith("{'descr': '<f8', 'fortran_order': False, "
                          "'shape': (4611686018427387904,), }",
                          data)),
              "more elements than 64 bits count");
  expectError(npy(npyWith(good, floats({1}))),
              "byte 128: the data is 4 bytes but f32[2] needs 8");
  expectError(npy(npyWith(good, floats({1, 2, 3}))),
              "byte 136: 4 bytes after the data of f32[2]");
  expectError(npy(npyWith("{'descr': '|b1', 'fortran_order': False, "
                          "'shape': (2,), }",
                          {1, 7})),
              "byte 129: bool element 1 is 7, not 0 or 1");
  expectError(npy(npyWith(good + " x", data)),
              "unexpected character after the header dict");
}

//===----------------------------------------------------------------------===//
// .pb variants
//===----------------------------------------------------------------------===//

TEST(TensorIO, PbUnpackedAndPackedFloatData) {
  // dims unpacked, float_data as two unpacked values and one packed run.
  Bytes bytes;
  key(bytes, 1, 0);
  varint(bytes, 3);
  key(bytes, 2, 0);
  varint(bytes, 1); // FLOAT
  key(bytes, 4, 5);
  fixed32(bytes, 0x3f800000); // 1.0
  key(bytes, 4, 5);
  fixed32(bytes, 0x40000000); // 2.0
  Bytes packed;
  fixed32(packed, 0xc0400000); // -3.0
  lenField(bytes, 4, packed);
  lenField(bytes, 8, text("x"));
  ReadResult read = pb(bytes);
  ASSERT_TRUE(read.ok()) << read.error;
  EXPECT_EQ(read.tensor->name, "x");
  EXPECT_EQ(read.tensor->shape, (std::vector<int64_t>{3}));
  EXPECT_EQ(read.tensor->data, floats({1, 2, -3}));
}

TEST(TensorIO, PbPackedDimsAndInt32DataOfSmallTypes) {
  Bytes dims;
  varint(dims, 2);
  varint(dims, 1);
  Bytes values;
  varint(values, uint64_t(int64_t(-128))); // sign-extended, 10 bytes
  varint(values, 127);
  Bytes bytes;
  lenField(bytes, 1, dims);
  key(bytes, 2, 0);
  varint(bytes, 3); // INT8
  lenField(bytes, 5, values);
  ReadResult read = pb(bytes);
  ASSERT_TRUE(read.ok()) << read.error;
  EXPECT_EQ(read.tensor->type, ElementType::I8);
  EXPECT_EQ(read.tensor->shape, (std::vector<int64_t>{2, 1}));
  EXPECT_EQ(read.tensor->data, (Bytes{0x80, 0x7f}));

  // FLOAT16 bits in int32_data.
  Bytes half;
  key(half, 2, 0);
  varint(half, 10);
  key(half, 5, 0);
  varint(half, 0x3c00);
  ReadResult halfRead = pb(half);
  ASSERT_TRUE(halfRead.ok()) << halfRead.error;
  EXPECT_EQ(halfRead.tensor->type, ElementType::F16);
  EXPECT_EQ(formatValues(*halfRead.tensor, 0), "1");
}

TEST(TensorIO, PbInt64DoubleAndUint64Data) {
  Bytes i64;
  key(i64, 2, 0);
  varint(i64, 7);
  key(i64, 1, 0);
  varint(i64, 2);
  key(i64, 7, 0);
  varint(i64, uint64_t(int64_t(-5)));
  key(i64, 7, 0);
  varint(i64, uint64_t(1) << 40);
  ReadResult read = pb(i64);
  ASSERT_TRUE(read.ok()) << read.error;
  EXPECT_EQ(formatValues(*read.tensor, 0), "-5, 1099511627776");

  Bytes f64;
  key(f64, 2, 0);
  varint(f64, 11);
  key(f64, 10, 1);
  double value = 0.25;
  uint64_t bits;
  std::memcpy(&bits, &value, 8);
  for (int i = 0; i < 8; ++i)
    f64.push_back(uint8_t(bits >> (8 * i)));
  ReadResult readF64 = pb(f64);
  ASSERT_TRUE(readF64.ok()) << readF64.error;
  EXPECT_EQ(formatValues(*readF64.tensor, 0), "0.25");

  Bytes u32;
  key(u32, 2, 0);
  varint(u32, 12);
  key(u32, 11, 0);
  varint(u32, 4000000000u);
  ReadResult readU32 = pb(u32);
  ASSERT_TRUE(readU32.ok()) << readU32.error;
  EXPECT_EQ(formatValues(*readU32.tensor, 0), "4000000000");
}

TEST(TensorIO, PbSkipsUnknownAndDocFields) {
  Tensor tensor = pattern(ElementType::UI8, {3});
  Bytes bytes;
  lenField(bytes, 12, text("doc string"));
  key(bytes, 20, 0);
  varint(bytes, 99);
  key(bytes, 21, 1);
  for (int i = 0; i < 8; ++i)
    bytes.push_back(0);
  key(bytes, 22, 5);
  fixed32(bytes, 1);
  Bytes body = encodePb(tensor);
  bytes.insert(bytes.end(), body.begin(), body.end());
  ReadResult read = pb(bytes);
  ASSERT_TRUE(read.ok()) << read.error;
  EXPECT_EQ(read.tensor->data, tensor.data);
}

//===----------------------------------------------------------------------===//
// .pb rejections
//===----------------------------------------------------------------------===//

TEST(TensorIO, PbRejections) {
  Bytes noType;
  key(noType, 1, 0);
  varint(noType, 1);
  expectError(pb(noType), "t.pb: byte 2: the TensorProto has no data_type");

  Bytes string;
  key(string, 2, 0);
  varint(string, 8);
  expectError(pb(string), "byte 1: data_type 8 (STRING) is not supported");

  Bytes both = encodePb(pattern(ElementType::F32, {1}));
  key(both, 4, 5);
  fixed32(both, 0);
  expectError(pb(both), "both raw_data and float_data");

  Bytes wrongField;
  key(wrongField, 2, 0);
  varint(wrongField, 6); // INT32
  key(wrongField, 4, 5);
  fixed32(wrongField, 0);
  expectError(pb(wrongField),
              "byte 2: float_data cannot hold data_type INT32 (it belongs in "
              "int32_data or raw_data)");

  Bytes count;
  key(count, 1, 0);
  varint(count, 2);
  key(count, 2, 0);
  varint(count, 1);
  key(count, 4, 5);
  fixed32(count, 0);
  expectError(pb(count), "byte 4: float_data holds 1 values but f32[2] has 2");

  Bytes rawSize;
  key(rawSize, 1, 0);
  varint(rawSize, 2);
  key(rawSize, 2, 0);
  varint(rawSize, 1);
  lenField(rawSize, 9, {0, 0, 0, 0});
  expectError(pb(rawSize), "byte 4: raw_data is 4 bytes but f32[2] needs 8");

  Bytes noData;
  key(noData, 1, 0);
  varint(noData, 2);
  key(noData, 2, 0);
  varint(noData, 1);
  expectError(pb(noData), "byte 4: the TensorProto has no data");

  Bytes negative;
  key(negative, 1, 0);
  varint(negative, uint64_t(int64_t(-1)));
  key(negative, 2, 0);
  varint(negative, 1);
  expectError(pb(negative), "byte 1: dims[0] is -1");

  Bytes range;
  key(range, 2, 0);
  varint(range, 2); // UINT8
  key(range, 5, 0);
  varint(range, 256);
  expectError(pb(range), "byte 3: int32_data[0] = 256 is out of range for ui8");

  expectError(pb({0x0a}), "byte 1: truncated varint (dims)");
  expectError(pb({0x08, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
                  0x80, 0x01}),
              "byte 1: varint (dims) does not fit in 64 bits");
  expectError(pb({0x4a, 0x05, 1, 2}),
              "byte 1: raw_data is 5 bytes but only 2 remain in the 4-byte");
  expectError(pb({0x0b}), "byte 0: field dims has wire type 3");
  expectError(pb({0xa3, 0x01}),
              "byte 0: field 20 has wire type 3, which is not valid");
  expectError(pb({0x00}), "byte 0: field number 0 is invalid");
  expectError(pb({0x1a, 0x00}), "field 3 (segment) is not supported");
  expectError(pb({0x32, 0x00}), "field 6 (string_data) is not supported");
  expectError(pb({0x6a, 0x00}), "external_data) is not supported");
  expectError(pb({0x70, 0x01}), "byte 1: data_location is not DEFAULT");
  expectError(pb({0x25, 0x00, 0x00}), "byte 1: truncated float_data value");
  expectError(pb({0x22, 0x03, 0, 0, 0}),
              "byte 2: packed float_data is 3 bytes, not a multiple of 4");
  expectError(pb({0x12, 0x00}), "field data_type has wire type 2, expected 0");
}

//===----------------------------------------------------------------------===//
// Robustness
//===----------------------------------------------------------------------===//

/// Parses every proper prefix and every one-byte corruption of `bytes`; each
/// must give a tensor or an error naming the file, never a crash. Proper
/// prefixes of these files all lack data, so they must fail.
void hammer(const Bytes &bytes, FileFormat format, const char *name) {
  for (size_t n = 0; n < bytes.size(); ++n) {
    ReadResult result = parseTensor(format, bytes.data(), n, name);
    ASSERT_FALSE(result.ok()) << name << " prefix of " << n << " bytes";
    EXPECT_EQ(result.error.rfind(name, 0), 0u) << result.error;
  }
  for (size_t i = 0; i < bytes.size(); ++i) {
    for (uint8_t value : {uint8_t(0x00), uint8_t(0xff), uint8_t(0x80),
                          uint8_t(bytes[i] ^ 0x01)}) {
      Bytes corrupt = bytes;
      corrupt[i] = value;
      ReadResult result =
          parseTensor(format, corrupt.data(), corrupt.size(), name);
      if (!result.ok())
        EXPECT_EQ(result.error.rfind(name, 0), 0u) << result.error;
      else
        EXPECT_EQ(result.tensor->data.size(),
                  size_t(result.tensor->elements() *
                         elementTypeBytes(result.tensor->type)));
    }
  }
}

TEST(TensorIO, EveryPrefixAndCorruptionOfNpy) {
  hammer(encodeNpy(pattern(ElementType::F32, {2, 3})), FileFormat::Npy,
         "a.npy");
  hammer(npyWith("{'descr': '>i2', 'fortran_order': True, 'shape': (2, 2), }",
                 {0, 1, 0, 2, 0, 3, 0, 4}, 3),
         FileFormat::Npy, "b.npy");
}

TEST(TensorIO, EveryPrefixAndCorruptionOfPb) {
  Tensor tensor = pattern(ElementType::F16, {2, 2});
  tensor.name = "weights";
  hammer(encodePb(tensor), FileFormat::Pb, "a.pb");
  // Typed, packed fields.
  Bytes typed;
  Bytes dims;
  varint(dims, 3);
  lenField(typed, 1, dims);
  key(typed, 2, 0);
  varint(typed, 6); // INT32
  Bytes values;
  varint(values, 1);
  varint(values, uint64_t(int64_t(-1)));
  varint(values, 300);
  lenField(typed, 5, values);
  hammer(typed, FileFormat::Pb, "b.pb");
}

//===----------------------------------------------------------------------===//
// Text and files
//===----------------------------------------------------------------------===//

TEST(TensorIO, FormatValues) {
  Tensor f32;
  f32.type = ElementType::F32;
  f32.shape = {4};
  f32.data = floats({0.1f, -2.0f, 1e-7f, 3.5f});
  EXPECT_EQ(formatValues(f32, 0), "0.1, -2, 1e-07, 3.5");
  EXPECT_EQ(formatValues(f32, 2), "0.1, -2, ... (2 more)");

  Tensor i8;
  i8.type = ElementType::I8;
  i8.shape = {3};
  i8.data = {0xff, 0x7f, 0x80};
  EXPECT_EQ(formatValues(i8, 0), "-1, 127, -128");
  i8.type = ElementType::UI8;
  EXPECT_EQ(formatValues(i8, 0), "255, 127, 128");

  EXPECT_EQ(halfToFloat(0x3c00), 1.0f);
  EXPECT_EQ(halfToFloat(0xc000), -2.0f);
  EXPECT_EQ(halfToFloat(0x0001), 5.9604644775390625e-08f); // Subnormal.
  EXPECT_EQ(halfToFloat(0x7c00), std::numeric_limits<float>::infinity());
  EXPECT_TRUE(std::isnan(halfToFloat(0x7e00)));
  EXPECT_EQ(bfloat16ToFloat(0x3fc0), 1.5f);
}

TEST(TensorIO, FormatFromPath) {
  EXPECT_EQ(formatFromPath("a/b.npy"), FileFormat::Npy);
  EXPECT_EQ(formatFromPath("input_0.pb"), FileFormat::Pb);
  EXPECT_FALSE(formatFromPath("x.bin"));
  EXPECT_FALSE(formatFromPath(".npy"));
  ReadResult result = readTensorFile("x.bin");
  expectError(result, "x.bin: cannot tell the file's format");
}

TEST(TensorIO, FilesAreWrittenWholeOrNotAtAll) {
  char dir[] = "/tmp/npurt-tensorio-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  std::string path = std::string(dir) + "/t.npy";
  Tensor tensor = pattern(ElementType::I32, {3});
  ASSERT_EQ(writeFileAtomically(path, encodeNpy(tensor)), "");
  ReadResult read = readTensorFile(path);
  ASSERT_TRUE(read.ok()) << read.error;
  EXPECT_EQ(read.tensor->data, tensor.data);

  std::string missing = std::string(dir) + "/no/such/dir/t.npy";
  std::string error = writeFileAtomically(missing, {1, 2, 3});
  EXPECT_NE(error.find("cannot write '" + missing + "'"), std::string::npos)
      << error;
  expectError(readTensorFile(missing), "cannot open '" + missing + "'");

  std::string asDir = std::string(dir) + "/d.npy";
  ASSERT_EQ(::mkdir(asDir.c_str(), 0777), 0);
  expectError(readTensorFile(asDir), "it is a directory");

  // Only t.npy and d.npy are left: no temporary file.
  std::remove(path.c_str());
  ::rmdir(asDir.c_str());
  EXPECT_EQ(::rmdir(dir), 0);
}

} // namespace
