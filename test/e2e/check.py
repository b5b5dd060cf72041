#!/usr/bin/env python3
#===- check.py - Check an npu-run result against the numpy reference -----===#
#
#   check.py REFDIR OUTDIR REPORT.json [--rtol R] [--atol A] [--chips N]
#            [--stream N]
#
# REFDIR holds expected_<output>.npy (models.py); OUTDIR the outputs npu-run
# wrote as <output>.npy; REPORT the JSON report of npu-run. Fails unless
# every output matches within tolerance and every counter of every chip has
# budget == measured (exactly). Prints one line per check. With --chips N
# (a multi-chip model), exactly N chips must have run a program, and each
# gets a line of its own. With --stream N (npu-run --stream N, every input
# the same), OUTDIR holds <output>.<i>.npy for each input i, and the
# report's stream section must have N runs, each latency equal to its budget.
#
#===----------------------------------------------------------------------===#
import argparse
import glob
import json
import os
import sys

import numpy as np


def counters(node, path=''):
    """Yields (path, budget, measured) for every {budget, measured} pair."""
    if isinstance(node, dict):
        if set(node) == {'budget', 'measured'}:
            yield path, node['budget'], node['measured']
            return
        for key, value in node.items():
            yield from counters(value, path + '/' + str(key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from counters(value, path + '[%d]' % i)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('refdir')
    parser.add_argument('outdir')
    parser.add_argument('report')
    parser.add_argument('--rtol', type=float, default=1e-4)
    parser.add_argument('--atol', type=float, default=1e-5)
    parser.add_argument('--chips', type=int, default=None,
                        help='the number of chips that must have run')
    parser.add_argument('--stream', type=int, default=None,
                        help='the number of inputs of the stream')
    args = parser.parse_args()
    ok = True

    expected = sorted(glob.glob(os.path.join(args.refdir, 'expected_*.npy')))
    if not expected:
        print('FAIL: no expected outputs in', args.refdir)
        return 1
    names = []
    for path in expected:
        name = os.path.basename(path)[len('expected_'):]
        if args.stream is None:
            names.append((path, name))
        else:
            stem = name[:-len('.npy')]
            names += [(path, '%s.%d.npy' % (stem, i))
                      for i in range(args.stream)]
    for path, name in names:
        want = np.load(path)
        got_path = os.path.join(args.outdir, name)
        if not os.path.exists(got_path):
            print('FAIL: %s missing' % got_path)
            ok = False
            continue
        got = np.load(got_path)
        if got.shape != want.shape or got.dtype != want.dtype:
            print('FAIL: %s is %s %s, expected %s %s' %
                  (name, got.dtype, got.shape, want.dtype, want.shape))
            ok = False
            continue
        err = np.abs(got.astype(np.float64) - want.astype(np.float64))
        bound = args.atol + args.rtol * np.abs(want.astype(np.float64))
        if not np.all(err <= bound):
            worst = np.unravel_index(np.argmax(err - bound), err.shape)
            print('FAIL: %s differs at %s: got %r, expected %r' %
                  (name, worst, got[worst], want[worst]))
            ok = False
        else:
            print('outputs: %s matches (%d values, max abs error %.3g)' %
                  (name, want.size, err.max() if err.size else 0.0))

    with open(args.report) as f:
        report = json.load(f)
    pairs = list(counters(report))
    bad = [(p, b, m) for p, b, m in pairs if b != m]
    for p, b, m in bad:
        print('FAIL: %s: budget %s != measured %s' % (p, b, m))
    if args.chips is not None:
        ran = [c for c in report.get('chips', []) if c.get('ran')]
        for chip in ran:
            mine = list(counters(chip.get('counters', {})))
            if not mine:
                print('FAIL: chip %s ran without counters' % chip.get('chip'))
                ok = False
            elif all(b == m for _, b, m in mine):
                print('chip %s: program %s, %d counters, budget == measured'
                      % (chip.get('chip'), chip.get('program'), len(mine)))
        if len(ran) != args.chips:
            print('FAIL: %d chips ran a program, expected %d' %
                  (len(ran), args.chips))
            ok = False
    if args.stream is not None:
        stream = report.get('stream') or {}
        runs = stream.get('runs', [])
        if len(runs) != args.stream:
            print('FAIL: the stream has %d runs, expected %d' %
                  (len(runs), args.stream))
            ok = False
        elif all(r['latency_ps']['budget'] == r['latency_ps']['measured']
                 for r in runs):
            print('stream: %d inputs every %d ps, latency budget == measured'
                  ' for all (%s ps)' % (len(runs), stream['interval_ps'],
                  ', '.join(str(r['latency_ps']['measured'])
                            for r in runs)))
        if stream.get('mismatches'):
            print('FAIL: stream mismatches: %s' % stream['mismatches'])
            ok = False
    if not pairs:
        print('FAIL: the report has no budget/measured counters')
        ok = False
    elif not bad:
        print('budgets: %d counters, budget == measured for all' % len(pairs))
    return 0 if ok and not bad else 1


if __name__ == '__main__':
    sys.exit(main())
