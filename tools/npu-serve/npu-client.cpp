//===- npu-client.cpp - The KServe v2 client of npu-serve -----------------===//
//
// The command line lives in runtime/serve/net/Client.cpp.
//
//===----------------------------------------------------------------------===//

#include "Daemons.h"

#include <string>
#include <vector>

int main(int argc, char **argv) {
  return npu::serve::net::clientMain(
      std::vector<std::string>(argv + 1, argv + argc));
}
