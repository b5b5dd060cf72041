#!/usr/bin/env python3
"""make bench-serve-distributed: npu-serve through gRPC and etcd, against
the in-process run on the same trace.

Installation: `make bench-serve`'s, four hosts and twelve chips (two
e1-package hosts, two mesh-2x2 hosts; its repository has variants for
both kinds), each host an `npu-serve host` process; one etcd member; one controller (clock
`trace`: each request carries its simulated arrival, and requests are
decided in trace order, so the decisions can be compared one by one). The
repository and the trace generator are those of `make bench-serve`
(tools/scripts/serve_repo.py, `npu-serve gen-trace`). A client replays the
trace from several threads (npu-client replay); then `npu-serve run`
serves the same trace in-process.

Printed: requests/s through gRPC, p50/p99 wall latency per request, the
controller's admission p99 (the orchestrator's decision alone, admitted
requests), etcd's compare-and-set p99, and whether every decision and
simulated completion equals the in-process run's. Not a timed test: the
figures depend on the machine (2 cores here, shared by every process).
"""

import argparse
import json
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tools", "scripts"))
import npu_cluster  # noqa: E402


def percentile(values, p):
    if not values:
        return 0.0
    values = sorted(values)
    return values[min(len(values) - 1, int(p / 100.0 * len(values)))]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    ap.add_argument("--requests", type=int, default=5000)
    ap.add_argument("--utilisation", type=float, default=0.6)
    ap.add_argument("--threads", type=int, default=4)
    ap.add_argument("--seed", type=int, default=2026)
    args = ap.parse_args()
    build = os.path.abspath(args.build)
    bindir = os.path.join(build, "bin")
    work = os.path.join(build, "bench-serve-distributed")
    subprocess.run([os.path.join(ROOT, "tools/scripts/fetch-models.sh"),
                    os.path.join(build, "models")], check=True,
                   stdout=subprocess.DEVNULL)
    subprocess.run(["/usr/bin/python3",
                    os.path.join(ROOT, "tools/scripts/serve_repo.py"),
                    "--build", build, "--out", work], check=True,
                   stdout=subprocess.DEVNULL)
    repo = os.path.join(work, "repo")
    inst = os.path.join(work, "installation.json")
    trace = os.path.join(work, "trace.jsonl")
    subprocess.run([os.path.join(bindir, "npu-serve"), "gen-trace",
                    "--repository", repo, "--installation", inst,
                    "--seed", str(args.seed), "--requests", str(args.requests),
                    "--utilisation", str(args.utilisation), "-o", trace],
                   check=True)
    begin = time.time()
    result = npu_cluster.run_compare(bindir, inst, repo, trace, args.threads)
    seconds = time.time() - begin
    records = result["records"]
    wall = [r["wall_ms"] for r in records if "error" not in r]
    admission = [r["parameters"]["admission_ns"] / 1e6 for r in records
                 if "admission_ns" in r.get("parameters", {})]
    lost = sum(1 for r in records if "error" in r)
    summary = result["summary"]
    rate = float(summary.split("requests/s")[0].split()[-1])
    admitted = sum(1 for r in records
                   if r.get("parameters", {}).get("outcome") == "admitted")
    print("bench-serve-distributed: 4 hosts, 12 chips, %d requests, %d "
          "client threads (%.0f s with setup and the in-process run)" %
          (len(records), args.threads, seconds))
    print(summary)
    print("%-34s %12s" % ("figure", "value"))
    print("%-34s %12.0f" % ("requests/s through gRPC", rate))
    print("%-34s %12.0f" % ("requests/s in-process (npu-serve run)",
                            len(records) / result["in_process_seconds"]))
    print("%-34s %12.2f" % ("wall latency p50 (ms)", percentile(wall, 50)))
    print("%-34s %12.2f" % ("wall latency p99 (ms)", percentile(wall, 99)))
    print("%-34s %12.3f" % ("admission p99 (ms, admitted)",
                            percentile(admission, 99)))
    print("%-34s %12.2f" % ("etcd transaction p50 (ms)", result["txn"][0]))
    print("%-34s %12.2f" % ("etcd transaction p99 (ms)", result["txn"][1]))
    print("%-34s %12d" % ("admitted", admitted))
    print("%-34s %12d" % ("answers differing from in-process",
                          len(result["differ"])))
    print("%-34s %12d" % ("answered, then preempted later", result["moved"]))
    print("%-34s %12d" % ("final records differing",
                          len(result["final_differ"])))
    for rid, got, want in result["differ"][:3]:
        print("differs: %s: %s vs %s" % (rid, json.dumps(got),
                                         json.dumps(want)[:300]))
    print("distributed: %.0f requests/s, p99 %.2f ms, admission p99 %.3f ms, "
          "same decisions as in-process: %s, lost: %d" %
          (rate, percentile(wall, 99), percentile(admission, 99),
           "yes" if result["same"] else "no", lost))
    return 0 if result["same"] and lost == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
