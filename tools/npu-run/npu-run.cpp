//===- npu-run.cpp - Run a compiled model on the simulated system ---------===//
//
// npu-run MODEL.npub --input NAME=FILE ... [--output-dir DIR] [--report]
// The command line lives in runtime/api/Driver.cpp; see npu-run --help.
// Like the runtime, it includes no LLVM or MLIR.
//
//===----------------------------------------------------------------------===//

#include "Driver.h"

#include <cstdio>
#include <string>
#include <vector>

int main(int argc, char **argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  std::string out, err;
  int status = npu::rt::driver::run(args, out, err);
  std::fwrite(out.data(), 1, out.size(), stdout);
  std::fwrite(err.data(), 1, err.size(), stderr);
  if (std::fflush(stdout) != 0 && status == npu::rt::driver::kExitOk) {
    std::fputs("npu-run: error: cannot write to stdout\n", stderr);
    return npu::rt::driver::kExitError;
  }
  return status;
}
