#!/usr/bin/env python3
#===- gen_graph.py - Synthetic npu graphs for the benchmarks -------------===#
#
#   gen_graph.py chain N     N layers in a chain (gemm, add, relu, ... on a
#                            [1, 64] activation)
#   gen_graph.py dag N       N layers in diamonds: each block forks into two
#                            branches that join again
#   gen_graph.py gemm M K N  one [M, K] x [K, N] matrix product (GEMM-heavy)
#
# Writes the MLIR on stdout. Weights are seeded random values.
#
#===----------------------------------------------------------------------===#
import sys

import numpy as np

rng = np.random.default_rng(7)


def const(lines, name, shape):
    data = rng.uniform(-0.1, 0.1, size=shape).astype('<f4').tobytes().hex()
    lines.append('  %%%s = arith.constant dense<"0x%s"> : tensor<%sxf32>' %
                 (name, data.upper(), 'x'.join(map(str, shape))))


def layer(lines, i, x, kind, w):
    t = 'tensor<1x64xf32>'
    if kind == 0:
        lines.append('  %%l%d = npu.gemm %s, %s : (%s, tensor<64x64xf32>) -> %s'
                     % (i, x, w, t, t))
    elif kind == 1:
        lines.append('  %%l%d = npu.add %s, %%bias : (%s, tensor<64xf32>) -> %s'
                     % (i, x, t, t))
    elif kind == 2:
        lines.append('  %%l%d = npu.relu %s : %s' % (i, x, t))
    else:
        lines.append('  %%l%d = npu.tanh %s : %s' % (i, x, t))
    return '%%l%d' % i


def chain(n, dag=False):
    lines = ['func.func @bench(%x: tensor<1x64xf32> {npu.name = "x"}) '
             '-> tensor<1x64xf32> {']
    const(lines, 'w', (64, 64))
    const(lines, 'bias', (64,))
    x, i = '%x', 0
    while i < n:
        if dag and i + 4 <= n:
            a = layer(lines, i, x, 0, '%w')
            b = layer(lines, i + 1, x, 3, '%w')
            c = layer(lines, i + 2, a, 2, '%w')
            lines.append('  %%l%d = npu.add %s, %s : (tensor<1x64xf32>, '
                         'tensor<1x64xf32>) -> tensor<1x64xf32>' %
                         (i + 3, c, b))
            x, i = '%%l%d' % (i + 3), i + 4
        else:
            x, i = layer(lines, i, x, i % 4, '%w'), i + 1
    lines.append('  return %s : tensor<1x64xf32>' % x)
    lines.append('}')
    return '\n'.join(lines) + '\n'


def gemm(m, k, n):
    lines = ['func.func @bench(%%a: tensor<%dx%dxf32> {npu.name = "a"}) -> '
             'tensor<%dx%dxf32> {' % (m, k, m, n)]
    const(lines, 'b', (k, n))
    lines.append('  %%y = npu.matmul %%a, %%b : (tensor<%dx%dxf32>, '
                 'tensor<%dx%dxf32>) -> tensor<%dx%dxf32>' % (m, k, k, n, m, n))
    lines.append('  return %%y : tensor<%dx%dxf32>' % (m, n))
    lines.append('}')
    return '\n'.join(lines) + '\n'


if __name__ == '__main__':
    if sys.argv[1] == 'chain':
        sys.stdout.write(chain(int(sys.argv[2])))
    elif sys.argv[1] == 'dag':
        sys.stdout.write(chain(int(sys.argv[2]), dag=True))
    elif sys.argv[1] == 'gemm':
        sys.stdout.write(gemm(*map(int, sys.argv[2:5])))
    else:
        sys.exit('usage: gen_graph.py chain N | dag N | gemm M K N')
