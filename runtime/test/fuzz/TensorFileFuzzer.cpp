//===- TensorFileFuzzer.cpp - libFuzzer entry of the tensor file readers --===//
//
// Feeds arbitrary bytes to one reader of runtime/api/TensorIO.h, the files
// npu-run takes with --input and --batch: npu::rt::io::parseNpy (built as
// npurt-npy-fuzzer) or parsePb, ONNX's TensorProto (npurt-pb-fuzzer); the
// target's NPURT_FUZZ_PB picks which. The reader must never crash, read
// out of bounds or hit undefined behaviour (ASan, UBSan), and must either
// return a tensor or an error that names the file. A tensor it returns must
// hold exactly its shape's bytes, and must survive both writers: encoded as
// .npy and as .pb, each reads back to the same type, shape and bytes (and,
// through .pb, the same name), so npu-run's outputs can be fed back as
// inputs whatever the format.
//
//   build/fuzz/npurt-npy-fuzzer -max_total_time=30 CORPUS
//
//===----------------------------------------------------------------------===//

#include "TensorIO.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace io = npu::rt::io;

namespace {

#ifdef NPURT_FUZZ_PB
constexpr io::FileFormat kFormat = io::FileFormat::Pb;
constexpr const char *kFileName = "fuzz.pb";
#else
constexpr io::FileFormat kFormat = io::FileFormat::Npy;
constexpr const char *kFileName = "fuzz.npy";
#endif

[[noreturn]] void fail(const std::string &what) {
  std::fprintf(stderr, "tensor file fuzzer: %s\n", what.c_str());
  std::abort();
}

/// `tensor` written in `format` and read back must be `tensor` again.
void checkRoundTrip(const io::Tensor &tensor, io::FileFormat format) {
  std::vector<uint8_t> bytes = io::encodeTensor(format, tensor);
  io::ReadResult again =
      io::parseTensor(format, bytes.data(), bytes.size(), "again");
  std::string via(io::extension(format));
  if (!again)
    fail("the " + via + " encoding of an accepted tensor (" +
         io::describe(tensor.type, tensor.shape) +
         ") is refused: " + again.error);
  if (again.tensor->type != tensor.type ||
      again.tensor->shape != tensor.shape || again.tensor->data != tensor.data)
    fail("through " + via + ", " + io::describe(tensor.type, tensor.shape) +
         " came back as " +
         io::describe(again.tensor->type, again.tensor->shape) +
         (again.tensor->data != tensor.data ? " with other bytes" : ""));
  if (format == io::FileFormat::Pb && again.tensor->name != tensor.name)
    fail("through .pb, the name '" + tensor.name + "' came back as '" +
         again.tensor->name + "'");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  io::ReadResult result = io::parseTensor(kFormat, data, size, kFileName);
  if (!result) {
    if (result.error.rfind(std::string(kFileName) + ": ", 0) != 0)
      fail("the error does not name the file: '" + result.error + "'");
    return 0;
  }
  const io::Tensor &tensor = *result.tensor;
  for (int64_t dim : tensor.shape)
    if (dim < 0)
      fail("accepted a negative dimension");
  if (uint64_t(tensor.elements()) *
          uint64_t(io::elementTypeBytes(tensor.type)) !=
      tensor.data.size())
    fail("the data of " + io::describe(tensor.type, tensor.shape) + " is " +
         std::to_string(tensor.data.size()) + " bytes");
  // What npu-run prints of a tensor.
  (void)io::formatValues(tensor, 16);
  checkRoundTrip(tensor, io::FileFormat::Npy);
  checkRoundTrip(tensor, io::FileFormat::Pb);
  return 0;
}
