#!/usr/bin/env python3
"""Builds a model repository and installations for npu-serve.

Compiles the end-to-end models (test/e2e/models.py) and the real models the
repo fetches (PaddleOCR's classifier, openWakeWord's hello_deepa, the
Fashion-MNIST CNN) for every chip kind of the e1-package and mesh-2x2
presets, plus the two multi-chip plans (pipeline_e1, chain_mesh), then lays
out a Triton-style repository with COPIES instances of each model (each
instance its own model with its own weights in DRAM, as Clockwork's 61 kinds
x 66 copies):

    OUT/compiled/<kind>/<variant>.npub
    OUT/repo/<kind>-<i>/1/<variant>.npub     (symlinks to compiled/)
    OUT/installation.json                    4 hosts, 12 chips
    OUT/installation-small.json              2 hosts, 6 chips (the demo)

A variant that a chip kind cannot run (e.g. a conv on the dense chip) is left
out. Compiled files are cached: a rerun compiles only what is missing.

With --family, it also builds the model family the variant choice serves
(G9, docs/serving.md "Variants"): one model `fmnist` whose variants are the
three Fashion-MNIST classifiers of test/models/fmnist (linear, small, cnn)
compiled for every chip kind, each variant's accuracy measured by npu-run on
its own binary over the 5,000 calibration images (training images 55,000 to
59,999, never trained on) and written to config.json:

    OUT/family-repo/fmnist/config.json       {"variants": {V: {"accuracy": A}}}
    OUT/family-repo/fmnist/1/<size>-<kind>.npub

usage: serve_repo.py --build BUILD --out OUT [--copies N] [--kinds a,b,...]
                     [--family]
"""

import argparse
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# variant name -> (preset, chip)
TARGETS = {
    'e1-small': ('e1-package', 0),
    'e1-big': ('e1-package', 1),
    'mesh-general': ('mesh-2x2', 0),
    'mesh-dense': ('mesh-2x2', 1),
    'mesh-conv': ('mesh-2x2', 3),
}
E2E = ['cnn', 'mlp', 'residual', 'depthwise', 'strided', 'broadcast', 'layout',
       'reduce', 'activations', 'resize', 'matmul', 'fmnist', 'conv_transpose']
PLANS = {'pipeline_e1': 'e1-package', 'chain_mesh': 'mesh-2x2'}
REAL = {
    'ppocr-cls': ('ch_ppocr_mobile_v2.0_cls_infer.onnx', ['--onnx-input-shape=x=1,3,48,192']),
    'hello-deepa': ('hello_deepa.onnx', []),
    'fmnist-cnn': (os.path.join(ROOT, 'test/models/fmnist/fmnist-cnn.onnx'), []),
}


def run(cmd, **kw):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, **kw)


def compile_variant(bin_dir, mlir, system, chip, out):
    opts = 'system=%s' % system if chip is None else 'system=%s chip=%d' % (system, chip)
    tmp = out + '.mlir'
    r = run([os.path.join(bin_dir, 'npu-opt'), mlir, '--npu-compile=' + opts,
             '-o', tmp])
    if r.returncode != 0:
        return False
    r = run([os.path.join(bin_dir, 'npu-translate'), '--npu-to-binary', tmp,
             '-o', out])
    os.unlink(tmp)
    return r.returncode == 0


FAMILY = ['linear', 'small', 'cnn']


def family_repo(bin_dir, out, compiled, src):
    """The fmnist model family with measured accuracies; returns its path."""
    cal = os.path.join(src, 'fmnist-calibration.npy')
    labels = os.path.join(src, 'fmnist-calibration-labels.npy')
    if not os.path.exists(labels):
        r = run(['/usr/bin/python3', os.path.join(ROOT, 'tools/scripts/fmnist_data.py'),
                 cal, labels, '--split', 'train', '--offset', '55000',
                 '--count', '5000'])
        if r.returncode != 0:
            sys.exit('serve_repo: fmnist_data.py failed: %s' % r.stderr)
    repo = os.path.join(out, 'family-repo')
    if os.path.exists(repo):
        subprocess.run(['rm', '-rf', repo], check=True)
    version = os.path.join(repo, 'fmnist', '1')
    os.makedirs(version)
    accuracy = {}
    for size in FAMILY:
        onnx = os.path.join(ROOT, 'test/models/fmnist/fmnist-%s.onnx' % size)
        mlir = os.path.join(src, 'fmnist-%s.mlir' % size)
        if not os.path.exists(mlir):
            r = run([os.path.join(bin_dir, 'npu-translate'), '--import-onnx',
                     onnx, '-o', mlir])
            if r.returncode != 0:
                sys.exit('serve_repo: import of %s failed: %s' % (onnx, r.stderr))
        kind_dir = os.path.join(compiled, 'family-' + size)
        os.makedirs(kind_dir, exist_ok=True)
        for variant, (system, chip) in TARGETS.items():
            npub = os.path.join(kind_dir, variant + '.npub')
            if os.path.exists(npub + '.unsupported'):
                continue
            if not os.path.exists(npub) and not compile_variant(
                    bin_dir, mlir, system, chip, npub):
                open(npub + '.unsupported', 'w').close()
                continue
            measured = npub + '.accuracy'
            if not os.path.exists(measured):
                report = npub + '.report.json'
                r = run([os.path.join(bin_dir, 'npu-run'), npub, '--batch',
                         'image=' + cal, '--labels', labels, '--report=json',
                         '--report-file', report, '--output-dir',
                         npub + '.outputs'])
                if r.returncode != 0:
                    sys.exit('serve_repo: npu-run %s failed: %s' % (npub, r.stderr))
                with open(report) as f:
                    acc = json.load(f)['accuracy']['accuracy']
                subprocess.run(['rm', '-rf', report, npub + '.outputs'], check=True)
                with open(measured, 'w') as f:
                    f.write('%.6f\n' % acc)
            name = '%s-%s' % (size, variant)
            accuracy[name] = float(open(measured).read())
            os.symlink(npub, os.path.join(version, name + '.npub'))
    with open(os.path.join(repo, 'fmnist', 'config.json'), 'w') as f:
        json.dump({'variants': {v: {'accuracy': a}
                                for v, a in sorted(accuracy.items())}},
                  f, indent=1)
        f.write('\n')
    return repo


def installation(path, hosts):
    with open(path, 'w') as f:
        json.dump({'announce_ttl_ms': 1000, 'hosts': hosts}, f, indent=1)
        f.write('\n')


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--build', required=True)
    ap.add_argument('--out', required=True)
    ap.add_argument('--copies', type=int, default=3)
    ap.add_argument('--kinds', default='')
    ap.add_argument('--family', action='store_true')
    args = ap.parse_args()
    bin_dir = os.path.join(os.path.abspath(args.build), 'bin')
    models_dir = os.path.join(os.path.abspath(args.build), 'models')
    out = os.path.abspath(args.out)
    compiled = os.path.join(out, 'compiled')
    src = os.path.join(out, 'src')
    # Compiled variants are reused only from the same compiler build: the
    # stamp names the tools' sizes and modification times.
    stamp = ' '.join('%s:%d:%d' % (tool, os.stat(path).st_size,
                                   os.stat(path).st_mtime_ns)
                     for tool in ('npu-opt', 'npu-translate')
                     for path in [os.path.join(bin_dir, tool)])
    stamp_file = os.path.join(compiled, 'compiler.stamp')
    if os.path.exists(compiled):
        old = open(stamp_file).read() if os.path.exists(stamp_file) else ''
        if old != stamp:
            subprocess.run(['rm', '-rf', compiled], check=True)
    os.makedirs(compiled, exist_ok=True)
    with open(stamp_file, 'w') as f:
        f.write(stamp)
    os.makedirs(src, exist_ok=True)

    kinds = {}  # kind -> [(variant, npub)]
    wanted = set(args.kinds.split(',')) if args.kinds else None

    def want(kind):
        return wanted is None or kind in wanted

    sources = []  # (kind, mlir, [(variant, system, chip)])
    for name in E2E:
        if not want(name):
            continue
        d = os.path.join(src, name)
        if not os.path.exists(os.path.join(d, 'model.mlir')):
            r = run(['/usr/bin/python3', os.path.join(ROOT, 'test/e2e/models.py'), name, d])
            if r.returncode != 0:
                sys.exit('serve_repo: models.py %s failed: %s' % (name, r.stderr))
        sources.append((name, os.path.join(d, 'model.mlir'),
                        [(v, s, c) for v, (s, c) in TARGETS.items()]))
    for name, preset in PLANS.items():
        if not want(name):
            continue
        d = os.path.join(src, name)
        mlir = os.path.join(d, 'model.mlir')
        if not os.path.exists(mlir):
            os.makedirs(d, exist_ok=True)
            empty = os.path.join(d, 'empty.mlir')
            with open(empty, 'w') as f:
                f.write('module {}\n')
            system = os.path.join(d, 'system.mlir')
            r = run([os.path.join(bin_dir, 'npu-opt'), empty,
                     '--npu-set-system=system=' + preset, '-o', system])
            r = run(['/usr/bin/python3', os.path.join(ROOT, 'test/e2e/models.py'),
                     name, d, '--system', system])
            if r.returncode != 0:
                sys.exit('serve_repo: models.py %s failed: %s' % (name, r.stderr))
        sources.append((name, mlir, [(preset + '-plan', preset, None)]))
    for name, (onnx, flags) in REAL.items():
        if not want(name):
            continue
        path = onnx if os.path.isabs(onnx) else os.path.join(models_dir, onnx)
        mlir = os.path.join(src, name + '.mlir')
        if not os.path.exists(mlir):
            r = run([os.path.join(bin_dir, 'npu-translate'), '--import-onnx', path]
                    + flags + ['-o', mlir])
            if r.returncode != 0:
                sys.exit('serve_repo: import of %s failed: %s' % (path, r.stderr))
        sources.append((name, mlir, [(v, s, c) for v, (s, c) in TARGETS.items()]))

    for kind, mlir, targets in sources:
        os.makedirs(os.path.join(compiled, kind), exist_ok=True)
        for variant, system, chip in targets:
            npub = os.path.join(compiled, kind, variant + '.npub')
            skip = npub + '.unsupported'
            if os.path.exists(skip):
                continue
            if not os.path.exists(npub) and not compile_variant(
                    bin_dir, mlir, system, chip, npub):
                open(skip, 'w').close()
                continue
            kinds.setdefault(kind, []).append((variant, npub))

    repo = os.path.join(out, 'repo')
    if os.path.exists(repo):
        subprocess.run(['rm', '-rf', repo], check=True)
    instances = 0
    for kind in sorted(kinds):
        for i in range(args.copies):
            d = os.path.join(repo, '%s-%d' % (kind, i), '1')
            os.makedirs(d)
            for variant, npub in kinds[kind]:
                os.symlink(npub, os.path.join(d, variant + '.npub'))
            instances += 1

    installation(os.path.join(out, 'installation.json'), [
        {'name': 'e1-a', 'system': 'e1-package', 'tier': 'premium'},
        {'name': 'e1-b', 'system': 'e1-package'},
        {'name': 'mesh-a', 'system': 'mesh-2x2'},
        {'name': 'mesh-b', 'system': 'mesh-2x2'},
    ])
    installation(os.path.join(out, 'installation-small.json'), [
        {'name': 'e1', 'system': 'e1-package', 'tier': 'premium'},
        {'name': 'mesh', 'system': 'mesh-2x2'},
    ])
    print('serve_repo: %d kinds, %d instances, %d variant files in %s'
          % (len(kinds), instances, sum(len(v) for v in kinds.values()), repo))
    if args.family:
        print('serve_repo: model family in %s'
              % family_repo(bin_dir, out, compiled, src))


if __name__ == '__main__':
    main()
