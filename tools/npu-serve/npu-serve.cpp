//===- npu-serve.cpp - Serve a trace on an installation -------------------===//
//
// npu-serve run|gen-trace|index ...: the in-process mode, whose command
// line lives in runtime/serve/Driver.cpp (see npu-serve --help).
// npu-serve host|controller ...: the daemons of a distributed installation
// (runtime/serve/net/Daemons.h). No LLVM or MLIR.
//
//===----------------------------------------------------------------------===//

#include "Daemons.h"
#include "Driver.h"

#include <cstdio>
#include <string>
#include <vector>

int main(int argc, char **argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (!args.empty() && (args[0] == "host" || args[0] == "controller")) {
    std::vector<std::string> rest(args.begin() + 1, args.end());
    return args[0] == "host" ? npu::serve::net::hostMain(rest)
                             : npu::serve::net::controllerMain(rest);
  }
  std::string out, err;
  int status = npu::serve::driver::run(args, out, err);
  std::fwrite(out.data(), 1, out.size(), stdout);
  std::fwrite(err.data(), 1, err.size(), stderr);
  if (std::fflush(stdout) != 0 && status == npu::serve::driver::kExitOk) {
    std::fputs("npu-serve: error: cannot write to stdout\n", stderr);
    return npu::serve::driver::kExitError;
  }
  return status;
}
