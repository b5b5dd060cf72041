#!/usr/bin/env python3
#===- gen_graph.py - Synthetic npu graphs for the benchmarks -------------===#
#
#   gen_graph.py chain N     N layers in a chain (gemm, add, relu, tanh, ...
#                            on a [1, 64] activation)
#   gen_graph.py dag N       N layers in diamonds: each block forks into two
#                            branches that join again
#   gen_graph.py fanout N    N layers: one producer, W parallel branches of
#                            the chain's layers, joined by a tree of adds
#                            (W grows with N: 2 at N = 10, 32 from N = 4096)
#   gen_graph.py mixed N     N layers of mixed kinds on a [1, 16, 16, 16]
#                            activation: blocks of conv2d 3x3, batch_norm,
#                            relu, conv2d 1x1, a residual add, a matmul
#                            (between two reshapes), hard_sigmoid and a
#                            gating mul. Convolutions need the `conv`
#                            capability and matmuls `dense`, so chips that
#                            lack one of them can run only part of it.
#   gen_graph.py gemm M K N  one [M, K] x [K, N] matrix product (GEMM-heavy)
#
# Writes the MLIR on stdout; every graph of N layers has exactly N ops
# besides its constants. Weights are seeded random values, shared by the
# layers of a graph (which keeps a 10,000-op file small).
#
#===----------------------------------------------------------------------===#
import math
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


def add(lines, i, a, b):
    lines.append('  %%l%d = npu.add %s, %s : (tensor<1x64xf32>, '
                 'tensor<1x64xf32>) -> tensor<1x64xf32>' % (i, a, b))
    return '%%l%d' % i


def header():
    lines = ['func.func @bench(%x: tensor<1x64xf32> {npu.name = "x"}) '
             '-> tensor<1x64xf32> {']
    const(lines, 'w', (64, 64))
    const(lines, 'bias', (64,))
    return lines


def footer(lines, x):
    lines.append('  return %s : tensor<1x64xf32>' % x)
    lines.append('}')
    return '\n'.join(lines) + '\n'


def chain(n, dag=False):
    lines = header()
    x, i = '%x', 0
    while i < n:
        if dag and i + 4 <= n:
            a = layer(lines, i, x, 0, '%w')
            b = layer(lines, i + 1, x, 3, '%w')
            c = layer(lines, i + 2, a, 2, '%w')
            x, i = add(lines, i + 3, c, b), i + 4
        else:
            x, i = layer(lines, i, x, i % 4, '%w'), i + 1
    return footer(lines, x)


def fanout(n):
    """One gemm feeding `width` branches of equal depth, joined pairwise by
    adds; the layers left over continue as a chain after the join."""
    width = max(2, min(32, int(math.sqrt(n / 4))))
    depth = max(1, (n - width) // width)  # 1 producer + width - 1 joins
    if 1 + width * depth + width - 1 > n:
        width, depth = 1, n - 1
    lines = header()
    i = 0
    x = layer(lines, i, '%x', 0, '%w')
    i += 1
    ends = []
    for b in range(width):
        y = x
        for d in range(depth):
            y = layer(lines, i, y, (b + d + 1) % 4, '%w')
            i += 1
        ends.append(y)
    while len(ends) > 1:
        joined = []
        for k in range(0, len(ends) - 1, 2):
            joined.append(add(lines, i, ends[k], ends[k + 1]))
            i += 1
        if len(ends) % 2:
            joined.append(ends[-1])
        ends = joined
    x = ends[0]
    while i < n:
        x, i = layer(lines, i, x, i % 4, '%w'), i + 1
    return footer(lines, x)


def mixed(n):
    """Blocks of ten ops of mixed kinds (see the header), each block's input
    read again by its residual add; the layers left over are relu and tanh.
    """
    t = 'tensor<1x16x16x16xf32>'
    m = 'tensor<256x16xf32>'
    c = 'tensor<16xf32>'
    lines = ['func.func @bench(%%x: %s {npu.name = "x"}) -> %s {' % (t, t)]
    const(lines, 'w3', (16, 16, 3, 3))
    const(lines, 'w1', (16, 16, 1, 1))
    const(lines, 'wm', (16, 16))
    const(lines, 'gamma', (16,))
    const(lines, 'beta', (16,))
    const(lines, 'mean', (16,))
    lines.append('  %%var = arith.constant dense<1.0> : %s' % c)
    # Each entry makes one op from the block input x, the previous value p
    # and the residual sum r.
    block = [
        lambda x, p, r: 'npu.conv2d %s, %%w3 {pads = array<i64: 1, 1, 1, 1>}'
        ' : (%s, tensor<16x16x3x3xf32>) -> %s' % (p, t, t),
        lambda x, p, r: 'npu.batch_norm %s, %%gamma, %%beta, %%mean, %%var : '
        '%s, %s, %s, %s, %s' % (p, t, c, c, c, c),
        lambda x, p, r: 'npu.relu %s : %s' % (p, t),
        lambda x, p, r: 'npu.conv2d %s, %%w1 : (%s, tensor<16x16x1x1xf32>) '
        '-> %s' % (p, t, t),
        lambda x, p, r: 'npu.add %s, %s : (%s, %s) -> %s' % (p, x, t, t, t),
        lambda x, p, r: 'npu.reshape %s : %s -> %s' % (p, t, m),
        lambda x, p, r: 'npu.matmul %s, %%wm : (%s, tensor<16x16xf32>) -> %s'
        % (p, m, m),
        lambda x, p, r: 'npu.reshape %s : %s -> %s' % (p, m, t),
        lambda x, p, r: 'npu.hard_sigmoid %s : %s' % (p, t),
        lambda x, p, r: 'npu.mul %s, %s : (%s, %s) -> %s' % (p, r, t, t, t),
    ]
    tail = [lambda p: 'npu.relu %s : %s' % (p, t),
            lambda p: 'npu.tanh %s : %s' % (p, t)]
    x, i = '%x', 0
    while i + len(block) <= n:
        p, residual = x, None
        for k, text in enumerate(block):
            lines.append('  %%l%d = %s' % (i, text(x, p, residual)))
            p = '%%l%d' % i
            if k == 4:
                residual = p
            i += 1
        x = p
    while i < n:
        lines.append('  %%l%d = %s' % (i, tail[i % 2](x)))
        x, i = '%%l%d' % i, i + 1
    lines.append('  return %s : %s' % (x, t))
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
    usage = 'usage: gen_graph.py chain|dag|fanout|mixed N | gemm M K N'
    if len(sys.argv) < 3:
        sys.exit(usage)
    kind = sys.argv[1]
    if kind == 'chain':
        sys.stdout.write(chain(int(sys.argv[2])))
    elif kind == 'dag':
        sys.stdout.write(chain(int(sys.argv[2]), dag=True))
    elif kind == 'fanout':
        sys.stdout.write(fanout(int(sys.argv[2])))
    elif kind == 'mixed':
        sys.stdout.write(mixed(int(sys.argv[2])))
    elif kind == 'gemm' and len(sys.argv) == 5:
        sys.stdout.write(gemm(*map(int, sys.argv[2:5])))
    else:
        sys.exit(usage)
