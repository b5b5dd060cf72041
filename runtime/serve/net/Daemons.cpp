//===- Daemons.cpp - The command lines of the distributed serving ---------===//

#include "Daemons.h"

#include "Controller.h"
#include "HostService.h"

#include <CLI/CLI.hpp>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <thread>

namespace npu::serve::net {

namespace {

std::atomic<bool> stopFlag{false};

extern "C" void onStopSignal(int) { stopFlag = true; }

/// Parses `args` (without the program name) into `app`; -1 when parsed.
int parse(CLI::App &app, const std::vector<std::string> &args) {
  std::vector<std::string> reversed(args.rbegin(), args.rend());
  try {
    app.parse(reversed);
  } catch (const CLI::ParseError &e) {
    return app.exit(e);
  }
  return -1;
}

int finish(int code, const std::string &err) {
  if (!err.empty())
    std::fputs(err.c_str(), stderr);
  return code;
}

} // namespace

void installStopSignals() {
  struct sigaction action = {};
  action.sa_handler = onStopSignal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
  std::signal(SIGPIPE, SIG_IGN);
}

bool stopRequested() { return stopFlag; }

void logLine(const std::string &who, const std::string &text) {
  std::fprintf(stderr, "npu-serve %s: %s\n", who.c_str(), text.c_str());
}

void sleepUnlessStopped(int ms) {
  auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
  while (!stopFlag && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
}

int hostMain(const std::vector<std::string> &args) {
  CLI::App app{"npu-serve host: one host of a distributed installation: "
               "registers its chips in etcd and runs what the controller "
               "places on them",
               "npu-serve host"};
  HostOptions o;
  app.add_option("--name", o.name, "The host's name in the installation")
      ->required();
  app.add_option("--system", o.system, "A preset or a system JSON file")
      ->required();
  app.add_option("--etcd", o.etcd, "etcd endpoints host:port[,host:port]")
      ->required();
  app.add_option("--listen", o.listen, "Address of the host API (port 0: any)");
  app.add_option("--lease-ttl", o.leaseTtlSeconds, "Lease TTL in seconds")
      ->check(CLI::Range(int64_t(1), int64_t(3600)));
  app.add_option("--address-file", o.addressFile,
                 "Write the address listened on here");
  if (int code = parse(app, args); code >= 0)
    return code;
  std::string err;
  int code = runHost(o, err);
  return finish(code, err);
}

int controllerMain(const std::vector<std::string> &args) {
  CLI::App app{"npu-serve controller: the scheduler of a distributed "
               "installation (or its standby), serving KServe v2 over gRPC",
               "npu-serve controller"};
  ControllerOptions o;
  app.add_option("--name", o.name, "This controller's name (in the election)");
  app.add_option("--installation", o.installation, "The installation file")
      ->required();
  app.add_option("--repository", o.repository, "The model repository")
      ->required();
  app.add_option("--etcd", o.etcd, "etcd endpoints host:port[,host:port]")
      ->required();
  app.add_option("--listen", o.listen, "Address of the APIs (port 0: any)");
  app.add_option("--policy", o.policy, "The orchestrator's policy");
  app.add_option("--token", o.token,
                 "Bearer token that load, unload and allocate need");
  app.add_option("--clock", o.clock, "paced (wall time) or trace (arrival_ps)")
      ->check(CLI::IsMember({"paced", "trace"}));
  app.add_option("--lease-ttl", o.leaseTtlSeconds, "Lease TTL in seconds")
      ->check(CLI::Range(int64_t(1), int64_t(3600)));
  app.add_option("--host-wait", o.hostWaitSeconds,
                 "Seconds a new leader waits for every host")
      ->check(CLI::Range(int64_t(0), int64_t(3600)));
  app.add_option("--default-slo-ms", o.defaultSloMs,
                 "SLO of a request without timeout or deadline")
      ->check(CLI::Range(int64_t(1), int64_t(1) << 30));
  app.add_option("--address-file", o.addressFile,
                 "Write the address listened on here");
  app.add_option("--max-message-mib", o.maxMessageMiB,
                 "Largest gRPC message accepted or sent")
      ->check(CLI::Range(int64_t(1), int64_t(2047)));
  app.add_option("--records", o.recordsFile,
                 "On a clean stop, write every request's record here");
  app.add_option("--rates-from", o.ratesTrace,
                 "Take the planner's expected rates from this trace's header");
  app.add_option("--metrics", o.metricsListen,
                 "Prometheus exposition address (host:port)");
  if (int code = parse(app, args); code >= 0)
    return code;
  std::string err;
  int code = runController(o, err);
  return finish(code, err);
}

} // namespace npu::serve::net
