#!/usr/bin/python3
#===- compare_npy.py - Compare npu-run's outputs with a reference ---------===#
#
#   compare_npy.py REFDIR OUTDIR REPORT.json [--rtol R] [--atol A]
#                  [--label TEXT]
#
# REFDIR holds the reference outputs as <name>.npy (tools/ort/run.js writes
# them so); OUTDIR the outputs npu-run wrote with --output-dir (the same file
# names); REPORT npu-run's --report=json. Passes when every reference output
# has a counterpart of the same dtype and shape with
# |got - want| <= atol + rtol * |want| everywhere (numpy.allclose), and every
# counter of every chip has budget == measured.
#
# Prints one line:
#   PASS|FAIL LABEL: max abs err E, max rel err R, cycles C, energy U uJ
# (rel err is |got - want| / |want| over the elements whose |want| > 0;
# cycles and energy are the measured totals of the chips that ran), then a
# line per problem. Exit status 0 on PASS, 1 on FAIL.
#
# (test/e2e/check.py does the same for the generated e2e models, whose
# references are named expected_output<i>.npy.)
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
    parser.add_argument('--rtol', type=float, default=1e-3)
    parser.add_argument('--atol', type=float, default=1e-5)
    parser.add_argument('--label', default='')
    args = parser.parse_args()
    problems = []
    max_abs = max_rel = 0.0

    expected = sorted(glob.glob(os.path.join(args.refdir, '*.npy')))
    if not expected:
        problems.append('no reference outputs in %s' % args.refdir)
    for path in expected:
        name = os.path.basename(path)
        want = np.load(path)
        got_path = os.path.join(args.outdir, name)
        if not os.path.exists(got_path):
            problems.append('%s missing' % got_path)
            continue
        got = np.load(got_path)
        if got.shape != want.shape or got.dtype != want.dtype:
            problems.append('%s is %s %s, expected %s %s' %
                            (name, got.dtype, got.shape, want.dtype,
                             want.shape))
            continue
        w = want.astype(np.float64)
        err = np.abs(got.astype(np.float64) - w)
        err = np.nan_to_num(err, nan=np.inf)  # a NaN is an infinite error
        if err.size:
            max_abs = max(max_abs, float(err.max()))
            nz = np.abs(w) > 0
            if nz.any():
                max_rel = max(max_rel, float(np.max(err[nz] / np.abs(w[nz]))))
        bad = ~(err <= args.atol + args.rtol * np.abs(w))
        if bad.any():
            worst = np.unravel_index(np.argmax(np.where(bad, err, -1)),
                                     err.shape)
            problems.append('%s: %d of %d values off, worst at %s: got %r, '
                            'expected %r' % (name, int(bad.sum()), bad.size,
                                             tuple(int(i) for i in worst),
                                             got[worst].item(),
                                             want[worst].item()))

    cycles = energy_fj = 0
    try:
        with open(args.report) as f:
            report = json.load(f)
        pairs = list(counters(report))
        if not pairs:
            problems.append('the report has no budget/measured counters')
        for p, b, m in pairs:
            if b != m:
                problems.append('%s: budget %s != measured %s' % (p, b, m))
        for chip in report.get('chips', []):
            if chip.get('ran'):
                c = chip.get('counters', {})
                cycles += c.get('cycles', {}).get('measured', 0)
                energy_fj += c.get('energy_fj', {}).get('measured', 0)
    except (OSError, ValueError) as e:
        problems.append('report %s: %s' % (args.report, e))

    print('%s %s: max abs err %.3g, max rel err %.3g, cycles %d, energy %.4g uJ'
          % ('FAIL' if problems else 'PASS', args.label, max_abs, max_rel,
             cycles, energy_fj * 1e-9))
    for p in problems:
        print('  ' + p)
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
