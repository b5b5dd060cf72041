//===- Driver.h - The npu-serve command line --------------------*- C++ -*-===//
//
//   npu-serve run --installation FILE --repository DIR --trace FILE ...
//   npu-serve gen-trace --installation FILE --repository DIR -o FILE ...
//   npu-serve index --repository DIR [--installation FILE]
//
// As a library function, so that tools/npu-serve is a tiny main() and the
// command line is testable in-process. Output files are written only when
// everything succeeded, all of them or none.
//
//===----------------------------------------------------------------------===//

#ifndef NPU_SERVE_DRIVER_H
#define NPU_SERVE_DRIVER_H

#include <string>
#include <vector>

namespace npu::serve::driver {

constexpr int kExitOk = 0;
/// Bad usage or input, or a failed run.
constexpr int kExitError = 1;
/// `run --check`: a prediction differed from the simulation, a budget from
/// its measurement, or an admitted request missed its deadline.
constexpr int kExitBroken = 3;

int run(const std::vector<std::string> &args, std::string &out,
        std::string &err);

} // namespace npu::serve::driver

#endif // NPU_SERVE_DRIVER_H
