//===- Daemons.h - The command lines of the distributed serving -*- C++ -*-===//
//
//   npu-serve host ...        (HostService.h)
//   npu-serve controller ...  (Controller.h)
//   npu-client ...            (a KServe v2 client of the controller)
//
// And what the daemons share: stopping on SIGINT/SIGTERM, writing the
// address they listen on for whoever started them (writeTextAtomically).
//
//===----------------------------------------------------------------------===//

#ifndef NPU_SERVE_NET_DAEMONS_H
#define NPU_SERVE_NET_DAEMONS_H

#include <string>
#include <vector>

namespace npu::serve::net {

/// `args` without the program name; the first is the subcommand.
int hostMain(const std::vector<std::string> &args);
int controllerMain(const std::vector<std::string> &args);
int clientMain(const std::vector<std::string> &args);

/// SIGINT and SIGTERM set a flag that stopRequested() reads.
void installStopSignals();
bool stopRequested();
/// "npu-serve WHO: TEXT" on stderr, the daemons' log.
void logLine(const std::string &who, const std::string &text);
/// Sleeps up to `ms`, returning early when a stop is requested.
void sleepUnlessStopped(int ms);

} // namespace npu::serve::net

#endif // NPU_SERVE_NET_DAEMONS_H
