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

Then the cases of serving under pressure (issue 14). Preemption: Premium requests (priority 1, SLO 1.5x, every other model that
runs there) arrive over free-tier batch work
(priority 3, SLO 20x, the PaddleOCR classifier, 60 % of the three chips
that run it) on an e1-package and a mesh-2x2 host; exact (which may stop a batch request at
a checkpoint boundary, or kill it there) runs against exact-drain (the same
policy, never preempting) and clockwork. Failure: the core trace of CV 1 /
SLO 3 again, with one chip killed at a third of its span and a host of four
chips at two thirds; per policy, the requests the failures hit and how each
went on, the refusals against the same trace without failures, and the
late and lost counts. Summary line: pressure: premium within SLO P %,
checkpoint error C ps, lost L (all policies), late T (exact, after a
failure), and n/a for what is not built yet (variant cost ratio, power
energy ratio).
"""

import argparse
import json
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def records(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def serve_run(serve, args, what):
    """Runs `npu-serve run ARGS`; returns the summaries of its report
    directory by policy and the seconds of functional simulation it took."""
    r = subprocess.run([serve, 'run'] + args, stdout=subprocess.PIPE,
                       text=True)
    if r.returncode != 0:
        sys.exit('bench-serve: npu-serve run failed on %s' % what)
    sim = 0.0
    for line in r.stdout.splitlines():
        if line.startswith('simulated '):
            sim += float(line.split(' in ')[1].split(' s')[0])
    report = args[args.index('--report-dir') + 1]
    with open(os.path.join(report, 'summary.json')) as f:
        return {s['policy']: s for s in json.load(f)}, sim


def fastest_latencies(serve, repo, inst):
    """Model -> its fastest variant's compiled latency in ps, over the
    variants the installation can run (npu-serve index)."""
    out = subprocess.run([serve, 'index', '--repository', repo,
                          '--installation', inst], check=True,
                         stdout=subprocess.PIPE, text=True).stdout
    fastest = {}
    for line in out.splitlines()[1:]:
        fields = line.split()
        if (len(fields) > 3 and fields[1] == 'READY' and
                fields[-1] == 'plan(s)' and int(fields[-2]) > 0):
            ps = int(round(float(fields[3]) * 1000))
            fastest[fields[0]] = min(fastest.get(fields[0], ps), ps)
    return fastest


def pressure_trace(path, latency, short, batch_models, requests, seed,
                   chips, load):
    """Premium requests (priority 1, SLO 1.5 x the fastest latency, the
    `short` models) over free-tier batch work (priority 3, SLO 20 x, the
    batch models), Poisson arrivals, seeded. The batch work offers `load` of
    `chips` chips; the premium requests are a fifth of all."""
    import random
    rng = random.Random(seed)
    batch_rate = load * chips / (sum(latency[m] for m in batch_models) /
                             len(batch_models) / 1e12)
    premium_rate = batch_rate / 4
    rate = batch_rate + premium_rate
    t = 0.0
    lines = []
    for i in range(requests):
        t += rng.expovariate(rate) * 1e12
        if rng.random() < premium_rate / rate:
            model = rng.choice(short)
            entry = {'type': 'infer', 'id': 'p%d' % i, 't_ps': int(t),
                     'model': model, 'slo_ps': int(1.5 * latency[model]),
                     'priority': 1, 'tier': 'premium',
                     'client': 'tenant-premium', 'seed': i}
        else:
            model = rng.choice(batch_models)
            entry = {'type': 'infer', 'id': 'b%d' % i, 't_ps': int(t),
                     'model': model, 'slo_ps': int(20 * latency[model]),
                     'priority': 3, 'tier': 'free', 'client': 'tenant-free',
                     'seed': i}
        lines.append(json.dumps(entry))
    span = int(t) + 1
    rates = {m: premium_rate / len(short) for m in short}
    rates.update({m: batch_rate / len(batch_models) for m in batch_models})
    header = {'type': 'header', 'duration_ps': span,
              'expected_rate_per_s': rates}
    with open(path, 'w') as f:
        f.write(json.dumps(header) + '\n' + '\n'.join(lines) + '\n')


def preemption_case(serve, repo, work, args):
    """The preemption case; returns its rows and (P, C)."""
    trace = os.path.join(work, 'preempt.jsonl')
    # Two hosts, both tiers welcome: the batch work can fill the three chips
    # that run it (e1's two, the mesh's general one).
    inst = os.path.join(work, 'installation-pressure.json')
    with open(inst, 'w') as f:
        json.dump({'hosts': [{'name': 'e1', 'system': 'e1-package'},
                             {'name': 'mesh', 'system': 'mesh-2x2'}]}, f)
    latency = fastest_latencies(serve, repo, inst)
    batch = sorted(m for m in latency if m.startswith('ppocr-cls'))
    short = sorted(m for m in latency if m not in batch)
    pressure_trace(trace, latency, short, batch, args.pressure_requests,
                   args.seed, 3, args.pressure_load)
    report = os.path.join(work, 'preempt')
    policies = ['exact', 'exact-drain', 'clockwork']
    summaries, sim = serve_run(
        serve, ['--repository', repo, '--installation', inst, '--trace', trace,
                '--policy', ','.join(policies), '--report-dir', report],
        'the preemption case')
    rows = []
    for policy in policies:
        recs = [x for x in records(os.path.join(report, 'requests-%s.jsonl'
                                                % policy))
                if x['type'] == 'infer']
        row = {'policy': policy}
        for tier in ('premium', 'free'):
            mine = [x for x in recs if x['tier'] == tier]
            ran = [x for x in mine if 'simulated_completion_ps' in x]
            row[tier + '_requests'] = len(mine)
            row[tier + '_admitted'] = len(ran)
            row[tier + '_in_slo'] = sum(1 for x in ran if x['within_slo'])
            row[tier + '_mean_latency_ns'] = (
                sum(x['latency_ps'] for x in ran) / len(ran) / 1e3 if ran else 0)
        stopped = [x['preemption'] for x in recs if 'preemption' in x]
        row['checkpoint_cycles_error_ps'] = max(
            [abs(p['predicted_saved_ps'] - p['simulated_saved_ps'])
             for p in stopped] +
            [abs(p['predicted_resume_ps'] - p['simulated_resume_ps'])
             for p in stopped] + [0])
        row['summary'] = summaries[policy]
        rows.append(row)
    return rows, sim


def failure_case(serve, repo, inst, work, base_trace):
    """The failure case: the core trace of CV 1 / SLO 3 with one chip
    (e1-b's chip 0) killed at a third of its span and one host (mesh-a, four
    chips) at two thirds, detected 1 us later. Returns the summaries by
    policy and the simulation seconds."""
    entries = records(base_trace)
    header, lines = entries[0], entries[1:]
    span = header['duration_ps']
    failures = [{'type': 'fail', 'id': 'chip-e1-b-0', 't_ps': span // 3,
                 'host': 'e1-b', 'chip': 0, 'detect_ps': 1000000},
                {'type': 'fail', 'id': 'host-mesh-a', 't_ps': 2 * span // 3,
                 'host': 'mesh-a', 'detect_ps': 1000000}]
    merged = []
    for e in lines:
        while failures and failures[0]['t_ps'] <= e['t_ps']:
            merged.append(failures.pop(0))
        merged.append(e)
    merged += failures
    trace = os.path.join(work, 'failure.jsonl')
    with open(trace, 'w') as f:
        f.write('\n'.join(json.dumps(e) for e in [header] + merged) + '\n')
    report = os.path.join(work, 'failure')
    return serve_run(
        serve, ['--repository', repo, '--installation', inst, '--trace', trace,
                '--policy', 'exact,clockwork,fifo', '--report-dir', report],
        'the failure case')


def backfill_case(serve, repo, inst, work, base_trace, seed):
    """The backfill case (G8): the core CV 1 / SLO 3 trace, plus an
    allocation at t = 0 that reserves two chips for the PaddleOCR
    classifier over the whole span, whose owner (priority 1, SLO 3x) uses a
    tenth of what it reserved. exact (backfill) against exact-no-backfill.
    Returns per policy: the summary, the busy share of the allocated chips,
    and the goodput of the other work."""
    import random
    entries = records(base_trace)
    header, lines = entries[0], entries[1:]
    span = header['duration_ps']
    latency = fastest_latencies(serve, repo, inst)['ppocr-cls-0']
    per_chip = 0.7 * 1e12 / latency
    rate = 1.5 * per_chip  # two chips at the planner's utilisation cap
    owner = [{'type': 'allocate', 'id': 'reserved', 't_ps': 0,
              'model': 'ppocr-cls-0', 'client': 'owner', 'rate_per_s': rate,
              'frame_ps': 2 * span, 'priority': 1}]
    rng = random.Random(seed)
    t = 0.0
    i = 0
    while True:
        t += rng.expovariate(0.1 * rate) * 1e12
        if t >= span:
            break
        owner.append({'type': 'infer', 'id': 'own%d' % i, 't_ps': int(t),
                      'model': 'ppocr-cls-0', 'slo_ps': 3 * latency,
                      'client': 'owner', 'allocation': 'reserved',
                      'priority': 1, 'tier': 'free', 'seed': 900000 + i})
        i += 1
    merged = sorted(lines + owner, key=lambda e: e['t_ps'])
    header = dict(header)
    rates = dict(header['expected_rate_per_s'])
    rates['ppocr-cls-0'] = rates.get('ppocr-cls-0', 0) + 0.1 * rate
    header['expected_rate_per_s'] = rates
    trace = os.path.join(work, 'backfill.jsonl')
    with open(trace, 'w') as f:
        f.write('\n'.join(json.dumps(e) for e in [header] + merged) + '\n')
    report = os.path.join(work, 'backfill')
    policies = ['exact', 'exact-no-backfill']
    summaries, sim = serve_run(
        serve, ['--repository', repo, '--installation', inst, '--trace', trace,
                '--policy', ','.join(policies), '--report-dir', report],
        'the backfill case')
    out = {}
    for policy in policies:
        recs = records(os.path.join(report, 'requests-%s.jsonl' % policy))
        alloc = next(x for x in recs if x['type'] == 'allocate')
        held = set(alloc.get('chips', []))
        busy = 0
        others_in_slo = 0
        for x in recs:
            if x['type'] != 'infer' or 'simulated_start_ps' not in x:
                continue
            if set(x['chips']) <= held:
                busy += x['simulated_completion_ps'] - x['simulated_start_ps']
            if 'allocation' not in x and x.get('within_slo'):
                others_in_slo += 1
        out[policy] = {'summary': summaries[policy], 'chips': sorted(held),
                       'busy_percent': 100.0 * busy / span / max(1, len(held)),
                       'others_goodput': others_in_slo * 1e12 / span,
                       'owner_requests': len(owner) - 1}
    return out, sim


def power_case(serve, repo, inst, work, trace, always_on):
    """The power case (M4, G7): one core trace under the exact policy with
    objective latency and chips always on (`always_on`: that core case's
    own summary, the same run), latency with the break-even idle window,
    and power with the same window. Returns the summaries by run."""
    runs = [('latency, break-even', 'latency', 'break-even'),
            ('power, break-even', 'power', 'break-even')]
    out = {'latency, always on': always_on}
    sim = 0.0
    for name, objective, window in runs:
        report = os.path.join(work, 'power-%s-%s' % (objective, window))
        summaries, seconds = serve_run(
            serve, ['--repository', repo, '--installation', inst, '--trace',
                    trace, '--policy', 'exact', '--objective', objective,
                    '--idle-window-ns', window, '--report-dir', report],
            'the power case')
        out[name] = summaries['exact']
        sim += seconds
    return out, sim


def variants_case(serve, work, inst, args):
    """The variants case (G9, G10): requests for the fmnist family, each
    stating as its minimum accuracy one of the family's measured accuracy
    levels (uniformly), served by exact (the cheapest variant that reaches
    it) and exact-most-accurate. Returns the per-policy figures."""
    import random
    repo = os.path.join(work, 'family-repo')
    with open(os.path.join(repo, 'fmnist', 'config.json')) as f:
        levels = sorted({v['accuracy'] for v in
                         json.load(f)['variants'].values()})
    latency = fastest_latencies(serve, repo, inst)['fmnist']
    # The most accurate variants' fastest latency sets the SLO (5x) and the
    # rate (30 % of the six chips that run the family, at that latency).
    out = subprocess.run([serve, 'index', '--repository', repo], check=True,
                         stdout=subprocess.PIPE, text=True).stdout
    best = min(int(round(float(l.split()[3]) * 1000))
               for l in out.splitlines()[1:] if l.split()[2].startswith('cnn-'))
    rate = 0.3 * 6 / (best / 1e12)
    rng = random.Random(args.seed)
    t = 0.0
    lines = []
    for i in range(args.variant_requests):
        t += rng.expovariate(rate) * 1e12
        premium = rng.random() < 0.2
        lines.append(json.dumps({
            'type': 'infer', 'id': 'v%d' % i, 't_ps': int(t),
            'model': 'fmnist', 'slo_ps': 5 * best,
            'min_accuracy': rng.choice(levels),
            'priority': 1 if premium else 3,
            'tier': 'premium' if premium else 'free',
            'client': 'tenant-premium' if premium else 'tenant-free',
            'seed': i}))
    trace = os.path.join(work, 'variants.jsonl')
    with open(trace, 'w') as f:
        f.write(json.dumps({'type': 'header', 'duration_ps': int(t) + 1,
                            'expected_rate_per_s': {'fmnist': rate}}) + '\n')
        f.write('\n'.join(lines) + '\n')
    report = os.path.join(work, 'variants')
    policies = ['exact', 'exact-most-accurate']
    summaries, sim = serve_run(
        serve, ['--repository', repo, '--installation', inst, '--trace', trace,
                '--policy', ','.join(policies), '--price-table',
                os.path.join(ROOT, 'runtime/serve/prices.json'),
                '--report-dir', report], 'the variants case')
    rows = {}
    for policy in policies:
        recs = {x['id']: x for x in records(os.path.join(
            report, 'requests-%s.jsonl' % policy)) if x['type'] == 'infer'}
        bills = [b for b in records(os.path.join(report, 'bills-%s.jsonl'
                                                 % policy))
                 if b['type'] == 'bill']
        row = {'summary': summaries[policy], 'tiers': {}}
        for tier in ('premium', 'free', 'all'):
            done = [recs[b['id']] for b in bills if b['charged'] and
                    (tier == 'all' or b['tier'] == tier)]
            price = sum(b['price_nano'] for b in bills if b['charged'] and
                        (tier == 'all' or b['tier'] == tier))
            mine = [x for x in recs.values()
                    if tier == 'all' or x['tier'] == tier]
            n = len(done)
            row['tiers'][tier] = {
                'requests': len(mine), 'completed': n,
                'in_slo': sum(1 for x in done if x.get('within_slo')),
                'price_per_1k': price / n * 1000 / 1e9 if n else 0,
                'energy_per_1k_uj': (sum(x['energy_fj'] for x in done) / n
                                     * 1000 / 1e9 if n else 0)}
        variants = {}
        for x in recs.values():
            if 'variant' in x:
                size = x['variant'].split('-')[0]
                variants[size] = variants.get(size, 0) + 1
        row['variants'] = variants
        rows[policy] = row
    return rows, sim, levels, best


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--build', default='build')
    ap.add_argument('--requests', type=int, default=17000)
    ap.add_argument('--utilisation', type=float, default=0.6)
    ap.add_argument('--seed', type=int, default=2026)
    ap.add_argument('--pressure-requests', type=int, default=20000)
    ap.add_argument('--pressure-load', type=float, default=0.6)
    ap.add_argument('--variant-requests', type=int, default=20000)
    args = ap.parse_args()
    build = os.path.abspath(args.build)
    serve = os.path.join(build, 'bin', 'npu-serve')
    work = os.path.join(build, 'bench-serve')
    begin = time.time()
    subprocess.run([os.path.join(ROOT, 'tools/scripts/fetch-models.sh'),
                    os.path.join(build, 'models')], check=True,
                   stdout=subprocess.DEVNULL)
    subprocess.run(['/usr/bin/python3', os.path.join(ROOT, 'tools/scripts/serve_repo.py'),
                    '--build', build, '--out', work, '--family'], check=True)
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
        by_policy, seconds = serve_run(
            serve, ['--repository', repo, '--installation', inst, '--trace',
                    trace, '--policy', 'exact,clockwork,fifo', '--report-dir',
                    report], name)
        sim_seconds += seconds
        summaries = list(by_policy.values())
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
    core_line = ('admitted within SLO: %s %%, max prediction error: %d ps, '
                 'goodput vs best baseline: %.2f x'
                 % (('%.3f' % worst_attain).rstrip('0').rstrip('.'),
                    max_error, ratio))

    pre_rows, pre_sim = preemption_case(serve, repo, work, args)
    sim_seconds += pre_sim
    print()
    print('preemption: premium (priority 1, SLO 1.5x, short models) over '
          'free-tier batch (priority 3, SLO 20x, PaddleOCR classifier), '
          'Poisson, %d requests' % args.pressure_requests)
    print('%-12s %9s %9s %9s %11s %9s %9s %11s %6s %6s %6s %10s %8s %8s'
          % ('policy', 'premium', 'admitted', 'in SLO', 'mean ns', 'free',
             'in SLO', 'mean ns', 'ckpts', 'kills', 'defers', 'ckpt B',
             'ckpt err', 'err ps'))
    premium_attain = 100.0
    ckpt_error = 0
    for row in pre_rows:
        s = row['summary']
        print('%-12s %9d %9d %9d %11.1f %9d %9d %11.1f %6d %6d %6d %10d %8d '
              '%8d'
              % (row['policy'], row['premium_requests'],
                 row['premium_admitted'], row['premium_in_slo'],
                 row['premium_mean_latency_ns'], row['free_admitted'],
                 row['free_in_slo'], row['free_mean_latency_ns'],
                 s['checkpoints'], s['kills'], s['defers'],
                 s['checkpoint_bytes'],
                 s['max_checkpoint_error_ps'], s['max_prediction_error_ps']))
        ckpt_error = max(ckpt_error, s['max_checkpoint_error_ps'],
                         row['checkpoint_cycles_error_ps'])
        if row['policy'] == 'exact' and row['premium_admitted']:
            premium_attain = 100.0 * row['premium_in_slo'] / row['premium_admitted']
    by = {row['policy']: row for row in pre_rows}
    print('     premium admitted: exact %d, exact-drain %d, clockwork %d'
          % (by['exact']['premium_admitted'],
             by['exact-drain']['premium_admitted'],
             by['clockwork']['premium_admitted']))

    no_failure = {s['policy']: s for s in
                  next(r for r in rows if r[0] == 1 and r[1] == 3)[2]}
    fail_rows, fail_sim = failure_case(serve, repo, inst, work,
                                       os.path.join(work, 'cv1-slo3.jsonl'))
    sim_seconds += fail_sim
    print()
    print('failure: the CV 1 / SLO 3 trace; e1-b/npu0 fails at 1/3 of the '
          'span, host mesh-a (4 chips) at 2/3, each detected 1 us later')
    print('%-10s %8s %8s %8s %8s %6s %8s %8s %8s %8s %6s %6s %8s'
          % ('policy', 'requests', 'in SLO', 'refused', 'no-fail', 'hit',
             'requeue', 'restart', 'ckpt', 'refused', 'late', 'lost',
             'err ps'))
    lost = 0
    late = 0
    for policy in ('exact', 'clockwork', 'fifo'):
        s = fail_rows[policy]
        print('%-10s %8d %8d %8d %8d %6d %8d %8d %8d %8d %6d %6d %8d'
              % (policy, s['requests'], s['within_slo'], s['refused'],
                 no_failure[policy]['refused'], s['failure_hits'],
                 s['requeued_after_failure'], s['restarted_after_failure'],
                 s['resumed_from_checkpoint_after_failure'],
                 s['refused_after_failure'], s['late_after_failure'],
                 s['lost'], s['max_prediction_error_ps']))
        lost += s['lost']
        if policy == 'exact':
            late = s['late_after_failure']
    print('     (refused: in all; no-fail: the same trace without failures; '
          'refused after the failure, late among those that ran)')

    var_rows, var_sim, levels, best = variants_case(serve, work, inst, args)
    sim_seconds += var_sim
    print()
    print('variants: %d requests for the fmnist family (linear, small, cnn on '
          'every chip kind), each stating as minimum accuracy one of %s '
          '(calibration accuracies), SLO 5 x %d ps, price table '
          'runtime/serve/prices.json'
          % (args.variant_requests, ', '.join('%.4f' % a for a in levels),
             best))
    print('%-20s %-8s %8s %9s %8s %14s %14s  %s'
          % ('policy', 'tier', 'requests', 'completed', 'in SLO',
             'EUR per 1k', 'uJ per 1k', 'variants served'))
    for policy, row in var_rows.items():
        for tier, t in row['tiers'].items():
            print('%-20s %-8s %8d %9d %8d %14.9f %14.1f  %s'
                  % (policy, tier, t['requests'], t['completed'], t['in_slo'],
                     t['price_per_1k'], t['energy_per_1k_uj'],
                     ', '.join('%s %d' % kv for kv in
                               sorted(row['variants'].items()))
                     if tier == 'all' else ''))
    ours = var_rows['exact']['tiers']['all']
    theirs = var_rows['exact-most-accurate']['tiers']['all']
    variant_ratio = (theirs['price_per_1k'] / ours['price_per_1k']
                     if ours['price_per_1k'] else float('inf'))
    print('     cost per 1k completed: most-accurate / exact = %.2f x by price, '
          '%.2f x by energy; attainment %.3f %% and %.3f %% of admitted'
          % (variant_ratio,
             theirs['energy_per_1k_uj'] / ours['energy_per_1k_uj']
             if ours['energy_per_1k_uj'] else float('inf'),
             var_rows['exact']['summary']['attainment_percent'],
             var_rows['exact-most-accurate']['summary']['attainment_percent']))

    bf_rows, bf_sim = backfill_case(serve, repo, inst, work,
                                    os.path.join(work, 'cv1-slo3.jsonl'),
                                    args.seed)
    sim_seconds += bf_sim
    print()
    print('backfill: the CV 1 / SLO 3 trace plus allocation "reserved" (two '
          'chips for ppocr-cls-0 over the span) whose owner (priority 1, '
          'SLO 3x) uses a tenth of it: %d owner requests'
          % bf_rows['exact']['owner_requests'])
    print('%-18s %-28s %10s %14s %12s %10s %9s %6s %8s'
          % ('policy', 'allocated chips', 'busy %', 'others goodput',
             'owner in SLO', 'backfilled', 'displaced', 'late', 'err ps'))
    for policy, row in bf_rows.items():
        s = row['summary']
        print('%-18s %-28s %10.1f %14.1f %6d/%-5d %10d %9d %6d %8d'
              % (policy, ','.join(row['chips']), row['busy_percent'],
                 row['others_goodput'], s['owner_within_slo'],
                 s['owner_requests'], s['backfilled'], s['displaced'],
                 s['late_after_displacement'], s['max_prediction_error_ps']))

    pow_rows, pow_sim = power_case(
        serve, repo, inst, work, os.path.join(work, 'cv1-slo10.jsonl'),
        next(s for s in next(r for r in rows if r[0] == 1 and r[1] == 10)[2]
             if s['policy'] == 'exact'))
    sim_seconds += pow_sim
    print()
    print('power: the CV 1 / SLO 10 trace under exact; idle window never '
          '(chips always on) or break-even (wake energy / (idle - off))')
    print('%-20s %8s %10s %11s %11s %10s %10s %10s %7s %6s %6s %8s'
          % ('objective', 'in SLO', 'goodput/s', 'all-in nJ', 'run nJ',
             'idle uJ', 'off uJ', 'wake uJ', 'wakes', 'used', 'off%',
             'err ps'))
    for name, s in pow_rows.items():
        print('%-20s %8d %10.1f %11.1f %11.1f %10.1f %10.1f %10.1f %7d %3d/%-2d '
              '%6.1f %8d'
              % (name, s['within_slo'], s['goodput_per_s'],
                 s['all_in_energy_per_inference_nj'],
                 s['energy_per_inference_nj'], s['idle_energy_uj'],
                 s['off_energy_uj'], s['wake_energy_uj'], s['wakes'],
                 s['chips_used'], s['chips'], s['off_percent'],
                 s['max_prediction_error_ps']))
    p, l = pow_rows['power, break-even'], pow_rows['latency, break-even']
    power_ratio = (p['all_in_energy_per_inference_nj'] /
                   l['all_in_energy_per_inference_nj'])
    print('     all-in energy per inference, power / latency (same window): '
          '%.3f; against latency with chips always on: %.3f; chips that ran '
          'work: %d (power) and %d (latency) of %d'
          % (power_ratio, p['all_in_energy_per_inference_nj'] /
             pow_rows['latency, always on']['all_in_energy_per_inference_nj'],
             p['chips_used'], l['chips_used'], p['chips']))

    elapsed = time.time() - begin
    print('time: %.0f s in all (setup %.0f s, functional simulation %.0f s)'
          % (elapsed, setup, sim_seconds))
    print(core_line)
    print('pressure: premium within SLO %s %%, checkpoint error %d ps, lost '
          '%d, late %d, variant cost ratio %.2f x, power energy ratio %.3f '
          '(%d of %d chips idle)'
          % (('%.3f' % premium_attain).rstrip('0').rstrip('.'), ckpt_error,
             lost, late, variant_ratio, power_ratio,
             p['chips'] - p['chips_used'], p['chips']))


if __name__ == '__main__':
    main()
