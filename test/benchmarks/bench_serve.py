#!/usr/bin/env python3
"""make bench-serve: the serving layer on exact budgets against two baselines.

Installation: four hosts, twelve chips (two e1-package hosts, one of them
premium, and two mesh-2x2 hosts). Repository: every e2e model, the two
multi-chip plans and the three real models (PaddleOCR's classifier,
openWakeWord's hello_deepa, the Fashion-MNIST CNN), each compiled for every
chip kind that can run it, three instances of each (54 models), built by
tools/scripts/serve_repo.py.

Cases: CV of the arrivals in {1, 4} x SLO scale in {1.5, 3, 10}, each a
seeded trace of REQUESTS requests (Zipf popularity, 20 % premium, three
priorities) at an offered load of UTILISATION of the pool's capacity (from
the budgets). Every case runs the same trace under three policies in one
npu-serve process: exact (ours), clockwork (budgets, no co-location) and
fifo (first fit, one model per chip, no admission control). Every request
any policy admits runs on the functional simulator; a request that two
policies run on the same variant is simulated once (the simulator is
deterministic).

Last line: admitted within SLO: X %, max prediction error: E ps, goodput vs
best baseline: R x (R at CV 4, SLO 1.5).
"""

import argparse
import json
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--build', default='build')
    ap.add_argument('--requests', type=int, default=17000)
    ap.add_argument('--utilisation', type=float, default=0.6)
    ap.add_argument('--seed', type=int, default=2026)
    args = ap.parse_args()
    build = os.path.abspath(args.build)
    serve = os.path.join(build, 'bin', 'npu-serve')
    work = os.path.join(build, 'bench-serve')
    begin = time.time()
    subprocess.run([os.path.join(ROOT, 'tools/scripts/fetch-models.sh'),
                    os.path.join(build, 'models')], check=True,
                   stdout=subprocess.DEVNULL)
    subprocess.run(['/usr/bin/python3', os.path.join(ROOT, 'tools/scripts/serve_repo.py'),
                    '--build', build, '--out', work], check=True)
    repo = os.path.join(work, 'repo')
    inst = os.path.join(work, 'installation.json')
    setup = time.time() - begin

    rows = []
    cases = [(cv, slo) for cv in (1, 4) for slo in (1.5, 3, 10)]
    total_requests = 0
    sim_seconds = 0.0
    for i, (cv, slo) in enumerate(cases):
        name = 'cv%g-slo%g' % (cv, slo)
        trace = os.path.join(work, name + '.jsonl')
        subprocess.run([serve, 'gen-trace', '--repository', repo,
                        '--installation', inst, '--seed', str(args.seed + i),
                        '--requests', str(args.requests), '--cv', str(cv),
                        '--slo-scale', str(slo), '--utilisation',
                        str(args.utilisation), '-o', trace], check=True)
        report = os.path.join(work, name)
        r = subprocess.run([serve, 'run', '--repository', repo,
                            '--installation', inst, '--trace', trace,
                            '--policy', 'exact,clockwork,fifo',
                            '--report-dir', report], stdout=subprocess.PIPE,
                           text=True)
        if r.returncode != 0:
            sys.exit('bench-serve: npu-serve run failed on %s' % name)
        for line in r.stdout.splitlines():
            if line.startswith('simulated '):
                sim_seconds += float(line.split(' in ')[1].split(' s')[0])
        with open(os.path.join(report, 'summary.json')) as f:
            summaries = json.load(f)
        total_requests += summaries[0]['requests']
        rows.append((cv, slo, summaries))

    print('bench-serve: %d hosts, %d chips; %d requests over %d cases; '
          'offered load %.0f %% of the budgeted capacity'
          % (4, 12, total_requests, len(cases), 100 * args.utilisation))
    hdr = ('%-4s %-5s %-10s %8s %8s %10s %8s %8s %10s %10s %11s %6s %10s %6s %8s'
           % ('cv', 'slo', 'policy', 'requests', 'in SLO', 'goodput/s',
              'attain%', 'refuse%', 'p50 ns', 'p99 ns', 'p99.99 ns', 'util%',
              'nJ/infer', 'cold', 'err ps'))
    print(hdr)
    worst_attain = 100.0
    max_error = 0
    ratio = None
    for cv, slo, summaries in rows:
        by = {s['policy']: s for s in summaries}
        for s in summaries:
            print('%-4g %-5g %-10s %8d %8d %10.1f %8.3f %8.2f %10.1f %10.1f '
                  '%11.1f %6.1f %10.1f %6d %8d'
                  % (cv, slo, s['policy'], s['requests'], s['within_slo'],
                     s['goodput_per_s'], s['attainment_percent'],
                     s['refused_percent'], s['latency_p50_ps'] / 1e3,
                     s['latency_p99_ps'] / 1e3, s['latency_p9999_ps'] / 1e3,
                     s['utilisation_percent'], s['energy_per_inference_nj'],
                     s['cold_loads'], s['max_prediction_error_ps']))
        exact = by['exact']
        worst_attain = min(worst_attain, exact['attainment_percent'])
        max_error = max(max_error, max(s['max_prediction_error_ps']
                                       for s in summaries))
        best = max(by['clockwork']['goodput_per_s'], by['fifo']['goodput_per_s'])
        r = exact['goodput_per_s'] / best if best > 0 else float('inf')
        print('     goodput exact / best baseline: %.2f x; budget mismatches %d'
              % (r, exact['budget_mismatches']))
        if cv == 4 and slo == 1.5:
            ratio = r
    elapsed = time.time() - begin
    print('time: %.0f s in all (setup %.0f s, functional simulation %.0f s)'
          % (elapsed, setup, sim_seconds))
    print('admitted within SLO: %s %%, max prediction error: %d ps, goodput '
          'vs best baseline: %.2f x'
          % (('%.3f' % worst_attain).rstrip('0').rstrip('.'), max_error, ratio))


if __name__ == '__main__':
    main()
