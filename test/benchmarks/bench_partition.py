#!/usr/bin/env python3
#===- bench_partition.py - npu-partition against its bounds and baselines -===#
#
#   bench_partition.py [--build DIR] [--quick] [--npu-opt PATH]
#                      [--npu-translate PATH] [--work-dir DIR]
#
# For every case (a model on a system) runs `npu-opt --npu-set-system
# --npu-partition` four times:
#   strategy=auto objective=latency     ours, judged by its latency
#   strategy=auto objective=throughput  ours, judged by its interval
#   strategy=even                       baseline: equal op counts per chip
#   strategy=greedy                     baseline: earliest-available chip
# and prints one row per case: the lower bound, ours, both baselines and
# ours / bound, for the latency and for the interval, the wall time of our
# slower run, and the exact figures of our placements: their programs
# compiled and scheduled by the pass (`schedule`, on for our runs), i.e.
# the latency of one input and the stream interval that npu-report-budgets
# gives and npu-run --stream measures. Bounds, ours and the baselines are
# in the partitioner's op-level model (docs/partitioning.md); the exact
# figures add what that model leaves out (synchronisation, staging, host
# transfers, the whole-run granularity of a stream), and their mean ratio
# to the same bounds is printed before the last line. A case is "worse than a baseline" when our latency exceeds
# a baseline's latency or our interval a baseline's interval. The last line
# is
#   mean ratio to bound: R (latency), R (throughput); worse than a baseline: K cases
#
# Cases: the real models of tools/scripts/fetch-models.sh (PaddleOCR's
# classifier, an openWakeWord head) and the synthetic graphs of gen_graph.py
# (chain, dag, fanout, mixed; 10 to 10,000 ops), on homogeneous and mixed
# systems of 2, 4 and 16 chips. --quick runs a few small synthetic cases
# (for the lit test of this script). Times are in nanoseconds.
#
# Needs only python3 and the built tools (build/bin); `make bench-partition`
# builds them and fetches the models first.
#
#===----------------------------------------------------------------------===#
import argparse
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SYSTEMS_DIR = os.path.join(HERE, 'systems')

# (name, --npu-set-system argument, chips, pool)
SYSTEMS = [
    ('hom-2', os.path.join(SYSTEMS_DIR, 'hom-2.json'), 2, 'homogeneous'),
    ('e1-package', 'e1-package', 2, 'mixed'),
    ('hom-4', os.path.join(SYSTEMS_DIR, 'hom-4.json'), 4, 'homogeneous'),
    ('mesh-2x2', 'mesh-2x2', 4, 'mixed'),
    ('hom-16', os.path.join(SYSTEMS_DIR, 'hom-16.json'), 16, 'homogeneous'),
    ('mesh-4x4', 'mesh-4x4', 16, 'mixed'),
]
SHAPES = ['chain', 'dag', 'fanout', 'mixed']
SIZES = [10, 100, 1000, 10000]
# (name, file under <build>/models, --onnx-input-shape)
MODELS = [
    ('ppocr-cls', 'ch_ppocr_mobile_v2.0_cls_infer.onnx', 'x=1,3,48,192'),
    ('hello-deepa', 'hello_deepa.onnx', 'onnx::Flatten_0=1,25,96'),
]
QUICK_GRAPHS = [('chain', 10), ('fanout', 10)]
QUICK_SYSTEMS = ['hom-2', 'e1-package']


def run(cmd):
    result = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    if result.returncode != 0:
        sys.exit('bench_partition: failed: %s\n%s' %
                 (' '.join(cmd), result.stderr))
    return result.stdout


def partition(npu_opt, model, system, options, report):
    """Runs one partition; returns (its JSON report, wall seconds)."""
    cmd = [npu_opt, model, '--npu-set-system=system=' + system,
           '--npu-partition=%s report=json report-file=%s' % (options, report),
           '-o', os.devnull]
    start = time.monotonic()
    run(cmd)
    seconds = time.monotonic() - start
    with open(report) as f:
        return json.load(f), seconds


def ns(ps):
    return '%.0f' % (ps / 1000.0)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--build', default='build',
                        help='build directory (tools in bin/, models in '
                        'models/)')
    parser.add_argument('--npu-opt', help='npu-opt to run')
    parser.add_argument('--npu-translate', help='npu-translate to run')
    parser.add_argument('--work-dir', help='where the graphs and reports go '
                        '(default: <build>/bench-partition)')
    parser.add_argument('--quick', action='store_true',
                        help='a few small synthetic cases only')
    args = parser.parse_args()
    npu_opt = args.npu_opt or os.path.join(args.build, 'bin', 'npu-opt')
    npu_translate = args.npu_translate or os.path.join(args.build, 'bin',
                                                       'npu-translate')
    work = args.work_dir or os.path.join(args.build, 'bench-partition')
    os.makedirs(work, exist_ok=True)

    graphs = []  # (case name, MLIR file)
    if not args.quick:
        for name, onnx, shape in MODELS:
            path = os.path.join(args.build, 'models', onnx)
            if not os.path.exists(path):
                sys.exit('bench_partition: %s is missing; run '
                         'tools/scripts/fetch-models.sh %s' %
                         (path, os.path.join(args.build, 'models')))
            out = os.path.join(work, name + '.mlir')
            run([npu_translate, '--import-onnx', path,
                 '--onnx-input-shape=' + shape, '-o', out])
            graphs.append((name, out))
    for shape, size in (QUICK_GRAPHS if args.quick else
                        [(s, n) for s in SHAPES for n in SIZES]):
        name = '%s-%d' % (shape, size)
        out = os.path.join(work, name + '.mlir')
        text = run([sys.executable, os.path.join(HERE, 'gen_graph.py'), shape,
                    str(size)])
        with open(out, 'w') as f:
            f.write(text)
        graphs.append((name, out))
    systems = [s for s in SYSTEMS if not args.quick or s[0] in QUICK_SYSTEMS]

    header = ('%-17s %-10s %5s %5s | %-44s | %-44s | %7s | %s' %
              ('case', 'system', 'chips', 'ops',
               'latency (ns): bound ours even greedy ratio',
               'interval (ns): bound ours even greedy ratio', 'time s',
               'exact (ns): latency interval'))
    print(header)
    print('-' * len(header))
    latency_ratios, interval_ratios = [], []
    exact_latency_ratios, exact_interval_ratios = [], []
    worse, slowest = 0, None
    report = os.path.join(work, 'report.json')
    for graph, path in graphs:
        for system, spec, chips, pool in systems:
            lat, t1 = partition(npu_opt, path, spec,
                                'strategy=auto objective=latency', report)
            thr, t2 = partition(npu_opt, path, spec,
                                'strategy=auto objective=throughput', report)
            even, _ = partition(npu_opt, path, spec,
                                'strategy=even schedule=false', report)
            greedy, _ = partition(npu_opt, path, spec,
                                  'strategy=greedy schedule=false', report)
            ops = sum(chip['ops'] for chip in lat['chips'])
            lr = lat['latency_ps'] / lat['latency_bound_ps']
            ir = thr['interval_ps'] / thr['interval_bound_ps']
            latency_ratios.append(lr)
            interval_ratios.append(ir)
            exact = ['-', '-']
            if lat.get('scheduled'):
                exact[0] = ns(lat['scheduled']['latency_ps'])
                exact_latency_ratios.append(lat['scheduled']['latency_ps'] /
                                            lat['latency_bound_ps'])
            if thr.get('scheduled'):
                exact[1] = ns(thr['scheduled']['interval_ps'])
                exact_interval_ratios.append(thr['scheduled']['interval_ps'] /
                                             thr['interval_bound_ps'])
            flags = []
            if lat['latency_ps'] > min(even['latency_ps'],
                                       greedy['latency_ps']):
                flags.append('latency')
            if thr['interval_ps'] > min(even['interval_ps'],
                                        greedy['interval_ps']):
                flags.append('interval')
            if flags:
                worse += 1
            seconds = max(t1, t2)
            if chips == 16 and ops >= 10000 and (slowest is None or
                                                 seconds > slowest[0]):
                slowest = (seconds, graph, system)
            print('%-17s %-10s %5d %5d | %8s %8s %8s %8s %6.3f | '
                  '%8s %8s %8s %8s %6.3f | %7.2f | %8s %8s%s' %
                  (graph, system, chips, ops,
                   ns(lat['latency_bound_ps']), ns(lat['latency_ps']),
                   ns(even['latency_ps']), ns(greedy['latency_ps']), lr,
                   ns(thr['interval_bound_ps']), ns(thr['interval_ps']),
                   ns(even['interval_ps']), ns(greedy['interval_ps']), ir,
                   seconds, exact[0], exact[1],
                   ('  worse than a baseline: ' + ', '.join(flags))
                   if flags else ''))
            sys.stdout.flush()
    if slowest:
        print('slowest 10,000-op case on 16 chips: %s on %s, %.2f s' %
              (slowest[1], slowest[2], slowest[0]))
    def mean(values):
        return sum(values) / len(values) if values else float('nan')
    print('exact (scheduled programs): mean ratio to the same bounds: %.3f '
          '(latency, %d cases), %.3f (stream interval, %d cases)' %
          (mean(exact_latency_ratios), len(exact_latency_ratios),
           mean(exact_interval_ratios), len(exact_interval_ratios)))
    print('mean ratio to bound: %.3f (latency), %.3f (throughput); '
          'worse than a baseline: %d cases' %
          (sum(latency_ratios) / len(latency_ratios),
           sum(interval_ratios) / len(interval_ratios), worse))


if __name__ == '__main__':
    main()
