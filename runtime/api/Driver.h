//===- Driver.h - The npu-run command line ----------------------*- C++ -*-===//
//
// Everything npu-run does, as a library function, so that tools/npu-run is
// a tiny main() and the command line can be unit-tested in-process.
//
//===----------------------------------------------------------------------===//

#ifndef NPU_RT_API_DRIVER_H
#define NPU_RT_API_DRIVER_H

#include <string>
#include <vector>

namespace npu::rt::driver {

/// Exit status of a successful run.
constexpr int kExitOk = 0;
/// Exit status of every failure: bad usage, unreadable or malformed files,
/// inputs that do not match the model, a failed simulation, a failed write.
constexpr int kExitError = 1;
/// Exit status under --check-budgets when a measurement differs from its
/// budget (or a chip ran a path the binary has no budget for).
constexpr int kExitBudgetMismatch = 3;

/// The usage text of `--help`.
std::string usage();

/// Runs npu-run with `args` (the command line without the program name).
/// What the tool prints to stdout is appended to `out`, diagnostics (one
/// line per failure, "npu-run: error: ...") to `err`. Files (outputs,
/// report, trace) are written only after the run succeeded, and all of them
/// or none. Returns the exit status.
int run(const std::vector<std::string> &args, std::string &out,
        std::string &err);

} // namespace npu::rt::driver

#endif // NPU_RT_API_DRIVER_H
