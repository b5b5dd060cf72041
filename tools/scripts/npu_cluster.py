#!/usr/bin/env python3
"""npu_cluster.py - start a distributed npu-serve installation on 127.0.0.1.

Starts what a test or a benchmark needs, and stops it again by PID: etcd
members (data directories on /dev/shm, client and peer URLs on free ports,
each waited for with `etcdctl endpoint health`), `npu-serve host` processes,
and `npu-serve controller` processes (a leader and standbys). It never
touches a system service.

    python3 npu_cluster.py compare --bin DIR --installation FILE \
        --repository DIR --trace FILE [--threads N] [--etcd-members N]

    python3 npu_cluster.py faults --bin DIR --installation FILE \
        --repository DIR --model M [--requests N] [--rate R]

`faults` starts 3 etcd members, the installation's hosts, a controller and
a standby (clock `paced`), drives a paced load from several client threads
and, during it, kills a host (-9), the leading controller (-9) and an etcd
member (-9), then restarts the dead host. It reports, per fault, the
requests completed, late and refused, the recovery time and etcd's
transaction latency, checks from etcd's history that no chip was held by
two allocations at once, and ends with `lost: N` (0 is the promise).

`compare` replays a trace through gRPC (npu-client replay, controller clock
`trace`) and through the in-process `npu-serve run`, and compares every
request's decision: outcome, chips, predicted and simulated start and
completion. It prints `same decisions as in-process: yes|no`.
"""

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    """The processes of one installation, stopped when the object is."""

    def __init__(self, bindir, root=None):
        self.bindir = bindir
        base = "/dev/shm" if os.path.isdir("/dev/shm") else None
        self.root = root or tempfile.mkdtemp(prefix="npu-cluster-", dir=base)
        self.procs = {}  # name -> Popen
        self.etcd_members = []  # (name, client_port, peer_port)
        self.addresses = {}  # daemon name -> address

    # --- processes -------------------------------------------------------
    def _spawn(self, name, argv):
        log = open(os.path.join(self.root, name + ".log"), "ab")
        proc = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)
        self.procs[name] = proc
        return proc

    def kill(self, name, sig=signal.SIGKILL):
        proc = self.procs.get(name)
        if proc and proc.poll() is None:
            os.kill(proc.pid, sig)
            proc.wait(timeout=30)

    def alive(self, name):
        proc = self.procs.get(name)
        return proc is not None and proc.poll() is None

    def log(self, name):
        path = os.path.join(self.root, name + ".log")
        return open(path, errors="replace").read() if os.path.exists(path) else ""

    def stop(self):
        for name, proc in self.procs.items():
            if proc.poll() is None:
                os.kill(proc.pid, signal.SIGTERM)
        deadline = time.time() + 10
        for proc in self.procs.values():
            try:
                proc.wait(timeout=max(0.1, deadline - time.time()))
            except subprocess.TimeoutExpired:
                os.kill(proc.pid, signal.SIGKILL)
                proc.wait()
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()

    # --- etcd ------------------------------------------------------------
    def endpoints(self):
        return ",".join("127.0.0.1:%d" % c for _, c, _ in self.etcd_members)

    def start_etcd(self, members=1, timeout=30):
        self.etcd_members = [("m%d" % i, free_port(), free_port())
                             for i in range(members)]
        initial = ",".join("%s=http://127.0.0.1:%d" % (n, p)
                           for n, _, p in self.etcd_members)
        for name, client, peer in self.etcd_members:
            self.start_etcd_member(name, client, peer, initial, "new")
        deadline = time.time() + timeout
        while time.time() < deadline:
            r = subprocess.run(["etcdctl", "--endpoints", self.endpoints(),
                                "endpoint", "health"],
                               env=dict(os.environ, ETCDCTL_API="3"),
                               capture_output=True, text=True)
            if r.returncode == 0:
                return
            time.sleep(0.2)
        raise RuntimeError("etcd did not become healthy:\n" + r.stderr)

    def start_etcd_member(self, name, client, peer, initial, state):
        # 10 ms heartbeats and a 100 ms election timeout: 1 s leases work
        # (SERVING.md, "The engine beyond one machine").
        self._spawn("etcd-" + name, [
            "etcd", "--name", name,
            "--data-dir", os.path.join(self.root, "etcd-" + name),
            "--listen-client-urls", "http://127.0.0.1:%d" % client,
            "--advertise-client-urls", "http://127.0.0.1:%d" % client,
            "--listen-peer-urls", "http://127.0.0.1:%d" % peer,
            "--initial-advertise-peer-urls", "http://127.0.0.1:%d" % peer,
            "--initial-cluster", initial,
            "--initial-cluster-state", state,
            "--heartbeat-interval", "10", "--election-timeout", "100",
            "--log-level", "warn"])

    def etcdctl(self, *args):
        return subprocess.run(["etcdctl", "--endpoints", self.endpoints()] +
                              list(args), env=dict(os.environ, ETCDCTL_API="3"),
                              capture_output=True, text=True, check=True).stdout

    # --- npu-serve -------------------------------------------------------
    def _wait_address(self, name, path, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if os.path.exists(path):
                address = open(path).read().strip()
                if address:
                    self.addresses[name] = address
                    return address
            if not self.alive(name):
                raise RuntimeError("%s exited:\n%s" % (name, self.log(name)))
            time.sleep(0.05)
        raise RuntimeError("%s did not listen:\n%s" % (name, self.log(name)))

    def start_host(self, name, system, lease_ttl=1):
        path = os.path.join(self.root, name + ".addr")
        if os.path.exists(path):
            os.remove(path)
        self._spawn(name, [os.path.join(self.bindir, "npu-serve"), "host",
                           "--name", name, "--system", system,
                           "--etcd", self.endpoints(),
                           "--lease-ttl", str(lease_ttl),
                           "--address-file", path])
        return self._wait_address(name, path)

    def start_controller(self, name, installation, repository, extra=(),
                         lease_ttl=1):
        path = os.path.join(self.root, name + ".addr")
        self._spawn(name, [os.path.join(self.bindir, "npu-serve"),
                           "controller", "--name", name,
                           "--installation", installation,
                           "--repository", repository,
                           "--etcd", self.endpoints(),
                           "--lease-ttl", str(lease_ttl),
                           "--address-file", path] + list(extra))
        return self._wait_address(name, path)

    def controllers(self, names):
        return ",".join(self.addresses[n] for n in names)

    def client(self, controllers, *args, check=True):
        r = subprocess.run([os.path.join(self.bindir, "npu-client"),
                            "--controller", controllers] + list(args),
                           capture_output=True, text=True)
        if check and r.returncode != 0:
            raise RuntimeError("npu-client %s: %s" % (" ".join(args), r.stderr))
        return r


def hosts_of(installation):
    """(name, system) of each host of an installation file: a preset name,
    or the system file's path."""
    spec = json.load(open(installation))
    base = os.path.dirname(os.path.abspath(installation))
    out = []
    for h in spec["hosts"]:
        system = h.get("system") or os.path.join(base, h["system_file"])
        out.append((h["name"], system))
    return out


def in_process(bindir, installation, repository, trace, workdir):
    """Every request's record of `npu-serve run` on the same trace."""
    reports = os.path.join(workdir, "in-process")
    subprocess.run([os.path.join(bindir, "npu-serve"), "run",
                    "--installation", installation, "--repository", repository,
                    "--trace", trace, "--policy", "exact",
                    "--report-dir", reports, "--check"],
                   check=True, capture_output=True, text=True)
    records = {}
    for line in open(os.path.join(reports, "requests-exact.jsonl")):
        r = json.loads(line)
        if r.get("type", "infer") == "infer" and "id" in r:
            records[r["id"]] = r
    return records


def run_compare(bindir, installation, repository, trace, threads=4,
                etcd_members=1):
    """Replays `trace` through gRPC and in-process and compares them twice:
    each answer the client got with the in-process decision (a request that
    a later one preempted was answered with its original completion), and
    the controller's final records (written when it stops) with the
    in-process run's, field by field. Returns a dict."""
    final = tempfile.NamedTemporaryFile(prefix="npu-final-", suffix=".jsonl",
                                        delete=False).name
    try:
        with Cluster(bindir) as c:
            c.start_etcd(etcd_members)
            for name, system in hosts_of(installation):
                c.start_host(name, system)
            c.start_controller("controller", installation, repository,
                               ["--clock", "trace", "--rates-from", trace,
                                "--records", final])
            ctl = c.controllers(["controller"])
            c.client(ctl, "ready", "--wait", "30")
            records = os.path.join(c.root, "records.jsonl")
            r = c.client(ctl, "replay", "--trace", trace, "--repository",
                         repository, "--threads", str(threads),
                         "--records", records, check=False)
            if r.returncode != 0:
                raise RuntimeError("replay failed: %s\n%s" % (r.stdout, r.stderr))
            remote = [json.loads(line) for line in open(records)]
            txn = txn_latencies(c, bindir)
            t0 = time.time()
            local = in_process(bindir, installation, repository, trace, c.root)
            local_seconds = time.time() - t0
        controller_final = {}
        for line in open(final):
            rec = json.loads(line)
            if rec.get("type", "infer") == "infer" and "id" in rec:
                controller_final[rec["id"]] = rec
    finally:
        if os.path.exists(final):
            os.remove(final)
    differ, moved = [], 0
    for rec in remote:
        want = local.get(rec["id"])
        p = rec.get("parameters", {})
        got = {
            "outcome": p.get("outcome"),
            "chips": p.get("chips", "").split(",") if p.get("chips") else [],
            "predicted_completion_ps": p.get("predicted_completion_ps"),
            "simulated_completion_ps": p.get("simulated_completion_ps"),
        }
        ok = want is not None and got["outcome"] == want.get("outcome")
        if ok and want.get("outcome") == "admitted":
            completion = want.get("predicted_completion_ps")
            pre = want.get("preemption")
            if pre:
                # A later request moved it: the answer is the decision at
                # its arrival, or the move when that was decided before the
                # answer left; either way predicted == simulated.
                moved += 1
                ok = (ok and got["predicted_completion_ps"] in
                      (pre["original_completion_ps"], completion) and
                      got["simulated_completion_ps"] ==
                      got["predicted_completion_ps"])
            else:
                ok = (ok and got["chips"] == want.get("chips") and
                      got["predicted_completion_ps"] == completion and
                      got["simulated_completion_ps"] == completion)
            ok = ok and p.get("budget_mismatches") == 0
        if not ok:
            differ.append((rec["id"], got, want))
    final_differ = [rid for rid, want in local.items()
                    if controller_final.get(rid) != want]
    return {"summary": r.stdout.strip(), "records": remote, "differ": differ,
            "moved": moved, "final_differ": final_differ, "txn": txn,
            "in_process_seconds": local_seconds,
            "same": (not differ and not final_differ and
                     len(remote) == len(local) == len(controller_final))}


def compare(args):
    result = run_compare(args.bin, args.installation, args.repository,
                         args.trace, args.threads, args.etcd_members)
    print(result["summary"])
    for rid, got, want in result["differ"][:5]:
        print("differs: %s: distributed %s, in-process %s" % (
            rid, json.dumps(got), json.dumps(want)[:400]))
    print("%d requests answered as in-process decided them: %d (%d of them "
          "later preempted)" % (len(result["records"]),
                                len(result["records"]) - len(result["differ"]),
                                result["moved"]))
    print("final records equal to in-process: %d differ" %
          len(result["final_differ"]))
    print("same decisions as in-process: %s" %
          ("yes" if result["same"] else "no"))
    return 0 if result["same"] else 1


def wait_for(predicate, timeout, step=0.02):
    """Seconds until predicate() held, or None after `timeout`."""
    start = time.time()
    while time.time() - start < timeout:
        if predicate():
            return time.time() - start
        time.sleep(step)
    return None


def chip_history(cluster):
    """Every PUT and DELETE of /npu/chips/ since revision 1, in order."""
    r = subprocess.run(["timeout", "3", "etcdctl", "--endpoints",
                        cluster.endpoints(), "watch", "--prefix",
                        "/npu/chips/", "--rev", "1"],
                       env=dict(os.environ, ETCDCTL_API="3"),
                       capture_output=True, text=True)
    lines = r.stdout.splitlines()
    events, i = [], 0
    while i < len(lines):
        if lines[i] == "PUT" and i + 2 < len(lines):
            events.append(("PUT", lines[i + 1], lines[i + 2]))
            i += 3
        elif lines[i] == "DELETE" and i + 1 < len(lines):
            events.append(("DELETE", lines[i + 1], None))
            i += 2
        else:
            i += 1
    return events


def given_twice(events):
    """Chips put by one allocation while another held them."""
    holder, twice = {}, []
    for kind, key, value in events:
        if kind == "PUT":
            if key in holder and holder[key] != value:
                twice.append((key, holder[key], value))
            holder[key] = value
        else:
            holder.pop(key, None)
    return twice


def txn_latencies(cluster, bindir, count=300):
    """etcd's compare-and-set latency, p50 and p99 in ms, through the same
    client code the controller uses (npu-client etcd-txn)."""
    r = subprocess.run([os.path.join(bindir, "npu-client"), "etcd-txn",
                        "--etcd", cluster.endpoints(), "--count", str(count)],
                       capture_output=True, text=True, check=True)
    words = r.stdout.split()
    return float(words[3]), float(words[6])


def faults(args):
    hosts = hosts_of(args.installation)
    victim = hosts[-1]
    with Cluster(args.bin) as c:
        c.start_etcd(3)
        for name, system in hosts:
            c.start_host(name, system)
        # A new leader waits 1 s for hosts that are not registered (the
        # dead one): the takeover is lease expiry + 1 s.
        extra = ["--clock", "paced", "--default-slo-ms", str(args.slo_ms),
                 "--host-wait", "1"]
        c.start_controller("ctl-a", args.installation, args.repository, extra)
        wait_for(lambda: "leads" in c.log("ctl-a"), 30)
        c.start_controller("ctl-b", args.installation, args.repository, extra)
        ctl = c.controllers(["ctl-a", "ctl-b"])
        c.client(ctl, "ready", "--wait", "30")
        records = os.path.join(c.root, "flood.jsonl")
        duration = args.requests / args.rate
        load = subprocess.Popen(
            [os.path.join(args.bin, "npu-client"), "--controller", ctl,
             "--retry-s", "60", "flood", "--model", args.model,
             "--requests", str(args.requests), "--rate", str(args.rate),
             "--threads", str(args.threads), "--records", records],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        t0 = time.time()
        marks = []  # (name, unix time, recovery seconds or None)

        def at(fraction):
            time.sleep(max(0, t0 + fraction * duration - time.time()))
            return time.time()

        # 1. A host dies: its lease expires, its work goes elsewhere.
        when = at(0.15)
        c.kill(victim[0])
        rec = wait_for(lambda: "host '%s' failed" % victim[0] in c.log("ctl-a"), 30)
        marks.append(("kill -9 host %s" % victim[0], when, rec))
        # An allocation on the leader, which the standby must take over.
        c.client(ctl, "allocate", "--id", "alloc-1", "--model", args.model,
                 "--rate", "1", "--duration-ms", "9000", check=False)
        # 2. The leading controller dies: the standby takes over.
        when = at(0.35)
        c.kill("ctl-a")
        rec = wait_for(lambda: "ready" in c.log("ctl-b"), 30)
        marks.append(("kill -9 controller ctl-a", when, rec))
        c.client(ctl, "allocate", "--id", "alloc-2", "--model", args.model,
                 "--rate", "1", "--duration-ms", "1000", check=False)
        # 3. An etcd member dies: the load carries on.
        when = at(0.6)
        c.kill("etcd-m2")
        marks.append(("kill -9 etcd member m2", when, None))
        # 4. The dead host restarts: it registers again and gets work.
        when = at(0.8)
        c.start_host(victim[0], victim[1])
        rec = wait_for(lambda: "host '%s' rejoined" % victim[0] in c.log("ctl-b"), 30)
        marks.append(("restart host %s" % victim[0], when, rec))
        # Two allocations take the other hosts' chips for a second: the
        # load must go to the restarted host.
        granted_victim = False
        for k, (name, _) in enumerate(hosts[:-1]):
            r = c.client(ctl, "allocate", "--id", "alloc-%d" % (3 + k),
                         "--model", args.model, "--rate", "1",
                         "--duration-ms", "1000", check=False)
            if args.verbose:
                print(r.stdout.strip(), r.stderr.strip(), file=sys.stderr)
            if r.returncode == 0:
                granted_victim |= any(ch.startswith(victim[0] + "/") for ch in
                                      json.loads(r.stdout).get("chips", []))
        out, err = load.communicate(timeout=duration * 4 + 120)
        end = time.time()
        p50, p99 = txn_latencies(c, args.bin)
        twice = given_twice(chip_history(c))
        logs = c.log("ctl-a") + c.log("ctl-b")
        rows = ([json.loads(line) for line in open(records)]
                if os.path.exists(records) else [])
    print(out.strip())
    lost = sum(1 for r in rows if "error" in r) + (args.requests - len(rows))
    print("%-28s %9s %5s %7s %6s %11s" % ("fault", "completed", "late",
                                           "refused", "lost", "recovery s"))
    bounds = [m[1] for m in marks] + [end]
    # An etcd member's loss needs no recovery: its time is until the first
    # answer to a request sent after it.
    name, when, _ = marks[2]
    answers = [r["sent_unix_ms"] + r["wall_ms"] for r in rows
               if r.get("sent_unix_ms", 0) >= when * 1000 and "error" not in r]
    marks[2] = (name, when, (min(answers) / 1000 - when) if answers else None)
    for k, (name, when, rec) in enumerate(marks):
        window = [r for r in rows
                  if when * 1000 <= r.get("sent_unix_ms", 0) < bounds[k + 1] * 1000]
        p = [r.get("parameters", {}) for r in window]
        completed = sum(1 for x in p if x.get("outcome") == "admitted")
        late = sum(1 for x in p if x.get("outcome") == "admitted" and not x.get("within_slo"))
        refused = sum(1 for x in p if x.get("outcome") == "refused")
        errors = sum(1 for r in window if "error" in r)
        print("%-28s %9d %5d %7d %6d %11s" % (
            name, completed, late, refused, errors,
            "%.2f" % rec if rec is not None else "never"))
    rejoined = granted_victim or any(
        r.get("parameters", {}).get("chips", "").startswith(victim[0] + "/")
        and r.get("sent_unix_ms", 0) > marks[-1][1] * 1000 for r in rows)
    mismatched = sum(1 for r in rows if r.get("parameters", {}).get("outcome") == "admitted"
                     and r["parameters"].get("predicted_completion_ps") !=
                     r["parameters"].get("simulated_completion_ps"))
    print("etcd transaction p50 %.2f ms, p99 %.2f ms" % (p50, p99))
    print("allocations taken over: %s; chips given twice (etcd history): %d" % (
        "yes" if "took over allocation 'alloc-1'" in logs else "no", len(twice)))
    print("restarted host %s got work again: %s" % (victim[0], "yes" if rejoined else "no"))
    print("predictions off the simulation: %d" % mismatched)
    print("requests: %d, lost: %d" % (args.requests, lost))
    ok = (lost == 0 and not twice and rejoined and mismatched == 0 and
          all(m[2] is not None for m in marks))
    if not ok or args.verbose:
        print(err, file=sys.stderr)
        print(logs[-6000:], file=sys.stderr)
        reasons = {}
        for r in rows:
            why = r.get("parameters", {}).get("reason") or r.get("error")
            if why:
                reasons[why[:120]] = reasons.get(why[:120], 0) + 1
        for why, n in sorted(reasons.items(), key=lambda x: -x[1])[:8]:
            print("%6d  %s" % (n, why), file=sys.stderr)
    return 0 if ok else 1


def errors(args):
    """Bad input against live daemons: each gets a clear error."""
    hosts = hosts_of(args.installation)
    with Cluster(args.bin) as c:
        c.start_etcd(1)
        # The last host claims a system the installation does not list.
        for name, system in hosts[:-1]:
            c.start_host(name, system)
        c.start_host(hosts[-1][0], "mesh-2x2")
        c.start_controller("controller", args.installation, args.repository,
                           ["--token", "s3cret", "--host-wait", "1",
                            "--max-message-mib", "1"])
        ctl = c.controllers(["controller"])
        c.client(ctl, "ready", "--wait", "30")
        cases = [
            ("unknown model", ["infer", "--model", "nope", "--id", "e1"]),
            ("unknown version", ["metadata", "--model", args.model,
                                 "--version", "7"]),
            ("unauthenticated unload", ["unload", "--model", args.model]),
            ("unauthenticated allocate", ["allocate", "--id", "x", "--model",
                                          args.model, "--rate", "1",
                                          "--duration-ms", "10"]),
            ("wrong token", ["--token", "guess", "unload", "--model",
                             args.model]),
            ("bad priority", ["infer", "--model", args.model, "--id", "e2",
                              "--param", "priority=-3"]),
            ("unknown parameter", ["infer", "--model", args.model, "--id",
                                   "e3", "--param", "colour=blue"]),
        ]
        for what, argv in cases:
            r = c.client(ctl, "--retry-s", "0", *argv, check=False)
            print("%s: exit %d: %s" % (what, r.returncode,
                                        (r.stderr or r.stdout).strip()))
        for what, n in (("malformed message", 64),
                        ("oversized message", 2 << 20)):
            r = c.client(ctl, "raw", "--bytes", str(n), check=False)
            print("%s: exit %d: %s" % (what, r.returncode,
                                        (r.stdout or r.stderr).strip()))
        r = c.client(ctl, "ready", check=False)
        print("still ready: %s" % r.stdout.strip())
        log = c.log("controller")
    for line in log.splitlines():
        if "refused the registration" in line:
            print(line)
    return 0


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawTextHelpFormatter)
    sub = p.add_subparsers(dest="command", required=True)
    cmp_ = sub.add_parser("compare")
    cmp_.add_argument("--bin", required=True)
    cmp_.add_argument("--installation", required=True)
    cmp_.add_argument("--repository", required=True)
    cmp_.add_argument("--trace", required=True)
    cmp_.add_argument("--threads", type=int, default=4)
    cmp_.add_argument("--etcd-members", type=int, default=1)
    flt = sub.add_parser("faults")
    flt.add_argument("--bin", required=True)
    flt.add_argument("--installation", required=True)
    flt.add_argument("--repository", required=True)
    flt.add_argument("--model", required=True)
    flt.add_argument("--requests", type=int, default=3000)
    flt.add_argument("--rate", type=float, default=150)
    flt.add_argument("--threads", type=int, default=8)
    flt.add_argument("--slo-ms", type=int, default=1000)
    flt.add_argument("--verbose", action="store_true")
    bad = sub.add_parser("errors")
    bad.add_argument("--bin", required=True)
    bad.add_argument("--installation", required=True)
    bad.add_argument("--repository", required=True)
    bad.add_argument("--model", required=True)
    args = p.parse_args()
    if args.command == "errors":
        return errors(args)
    if args.command == "compare":
        return compare(args)
    if args.command == "faults":
        return faults(args)
    return 2


if __name__ == "__main__":
    sys.exit(main())
