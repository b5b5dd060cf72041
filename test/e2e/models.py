#!/usr/bin/env python3
#===- models.py - End-to-end models with independent numpy references -----===#
#
# Each model is written twice, independently: once as npu-dialect MLIR (what
# the compiler sees) and once as numpy code (the reference). Weights and
# inputs come from a fixed-seed generator, so a run is reproducible.
#
#   models.py NAME OUTDIR [--system FILE.mlir] [--set INPUT=FILE.npy]...
#                           writes OUTDIR/model.mlir, OUTDIR/<input>.npy and
#                           OUTDIR/expected_<output>.npy; --set replaces a
#                           generated input with a given one
#   models.py --list        prints the model names
#   models.py --preset NAME prints the system a multi-chip model is written
#                           for (nothing for a single-function model)
#
# Most models are one func.func, compiled for any chip. Multi-chip models
# are one npu.program per chip of a given system; programs are verified
# against the module's npu.system as soon as they are parsed, so such a
# model needs --system: the output of
# `npu-opt --npu-set-system=system=<preset>` on an empty module, whose
# attribute aliases and module header are copied (the system's facts live
# in the compiler only).
#
# Nothing here is committed output: lit runs it at test time.
#
#===----------------------------------------------------------------------===#
import math
import os
import re
import sys

import numpy as np

#===----------------------------------------------------------------------===#
# numpy references of the npu ops (ONNX semantics, NCHW).
#===----------------------------------------------------------------------===#


def conv2d(x, w, b=None, strides=(1, 1), pads=(0, 0, 0, 0), dilations=(1, 1),
           groups=1):
    n, c, h, wd = x.shape
    m, cg, kh, kw = w.shape
    sh, sw = strides
    dh, dw = dilations
    pt, pl, pb, pr = pads
    xp = np.zeros((n, c, h + pt + pb, wd + pl + pr), dtype=np.float64)
    xp[:, :, pt:pt + h, pl:pl + wd] = x
    oh = (h + pt + pb - dh * (kh - 1) - 1) // sh + 1
    ow = (wd + pl + pr - dw * (kw - 1) - 1) // sw + 1
    y = np.zeros((n, m, oh, ow), dtype=np.float64)
    mg = m // groups
    for g in range(groups):
        for ky in range(kh):
            for kx in range(kw):
                patch = xp[:, g * cg:(g + 1) * cg,
                           ky * dh:ky * dh + sh * (oh - 1) + 1:sh,
                           kx * dw:kx * dw + sw * (ow - 1) + 1:sw]
                wk = w[g * mg:(g + 1) * mg, :, ky, kx]  # [mg, cg]
                y[:, g * mg:(g + 1) * mg] += np.einsum('nchw,mc->nmhw', patch,
                                                       wk)
    if b is not None:
        y += b.reshape(1, m, 1, 1)
    return y


def conv_transpose2d(x, w, b=None, strides=(1, 1), pads=(0, 0, 0, 0),
                     dilations=(1, 1), output_padding=(0, 0), groups=1):
    """ONNX ConvTranspose by its definition: every input pixel adds the
    kernel, scaled by its value, into the output at stride * position."""
    n, c, h, wd = x.shape
    _, mg, kh, kw = w.shape
    sh, sw = strides
    dh, dw = dilations
    pt, pl, pb, pr = pads
    oh = sh * (h - 1) + output_padding[0] + (kh - 1) * dh + 1 - pt - pb
    ow = sw * (wd - 1) + output_padding[1] + (kw - 1) * dw + 1 - pl - pr
    cg = c // groups
    y = np.zeros((n, mg * groups, oh, ow), dtype=np.float64)
    for g in range(groups):
        xs = x[:, g * cg:(g + 1) * cg]
        ws = w[g * cg:(g + 1) * cg]  # [cg, mg, kh, kw]
        for iy in range(h):
            for ix in range(wd):
                for ky in range(kh):
                    oy = iy * sh - pt + ky * dh
                    if oy < 0 or oy >= oh:
                        continue
                    for kx in range(kw):
                        ox = ix * sw - pl + kx * dw
                        if ox < 0 or ox >= ow:
                            continue
                        y[:, g * mg:(g + 1) * mg, oy, ox] += \
                            xs[:, :, iy, ix] @ ws[:, :, ky, kx]
    if b is not None:
        y += b.reshape(1, -1, 1, 1)
    return y


def pool2d(x, kind, kernel, strides=(1, 1), pads=(0, 0, 0, 0),
           count_include_pad=False):
    n, c, h, w = x.shape
    kh, kw = kernel
    sh, sw = strides
    pt, pl, pb, pr = pads
    oh = (h + pt + pb - kh) // sh + 1
    ow = (w + pl + pr - kw) // sw + 1
    y = np.zeros((n, c, oh, ow))
    for i in range(oh):
        for j in range(ow):
            y0, x0 = i * sh - pt, j * sw - pl
            ys, xs = max(y0, 0), max(x0, 0)
            ye, xe = min(y0 + kh, h), min(x0 + kw, w)
            win = x[:, :, ys:ye, xs:xe]
            if kind == 'max':
                y[:, :, i, j] = win.max(axis=(2, 3))
            else:
                count = kh * kw if count_include_pad else (ye - ys) * (xe - xs)
                y[:, :, i, j] = win.sum(axis=(2, 3)) / count
    return y


def softmax(x, axis):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def gemm(a, b, c=None, alpha=1.0, beta=1.0, trans_a=False, trans_b=False):
    a = a.T if trans_a else a
    b = b.T if trans_b else b
    y = alpha * (a @ b)
    if c is not None:
        y = y + beta * c
    return y


def batch_norm(x, scale, bias, mean, var, eps):
    shape = (1, -1) + (1,) * (x.ndim - 2)
    return (x - mean.reshape(shape)) / np.sqrt(var.reshape(shape) + eps) * \
        scale.reshape(shape) + bias.reshape(shape)


def resize(x, out_h, out_w, mode, coord='half_pixel'):
    n, c, h, w = x.shape

    def src(o, insz, outsz):
        scale = outsz / insz
        if coord == 'half_pixel':
            return (o + 0.5) / scale - 0.5
        if coord == 'asymmetric':
            return o / scale
        if coord == 'align_corners':
            return 0.0 if outsz == 1 else o * (insz - 1) / (outsz - 1)
        raise ValueError(coord)

    y = np.zeros((n, c, out_h, out_w))
    for i in range(out_h):
        for j in range(out_w):
            sy, sx = src(i, h, out_h), src(j, w, out_w)
            if mode == 'nearest':
                # round_prefer_floor
                iy = int(math.ceil(sy - 0.5)) if sy - math.floor(sy) == 0.5 \
                    else int(round(sy))
                ix = int(math.ceil(sx - 0.5)) if sx - math.floor(sx) == 0.5 \
                    else int(round(sx))
                y[:, :, i, j] = x[:, :, min(max(iy, 0), h - 1),
                                  min(max(ix, 0), w - 1)]
            else:
                sy = min(max(sy, 0.0), h - 1.0)
                sx = min(max(sx, 0.0), w - 1.0)
                y0, x0 = int(math.floor(sy)), int(math.floor(sx))
                y1, x1 = min(y0 + 1, h - 1), min(x0 + 1, w - 1)
                fy, fx = sy - y0, sx - x0
                y[:, :, i, j] = (x[:, :, y0, x0] * (1 - fy) * (1 - fx) +
                                 x[:, :, y0, x1] * (1 - fy) * fx +
                                 x[:, :, y1, x0] * fy * (1 - fx) +
                                 x[:, :, y1, x1] * fy * fx)
    return y


def gelu(x):
    return 0.5 * x * (1 + np.vectorize(math.erf)(x / math.sqrt(2)))


def hard_sigmoid(x, alpha=0.2, beta=0.5):
    return np.clip(alpha * x + beta, 0, 1)


#===----------------------------------------------------------------------===#
# MLIR emission.
#===----------------------------------------------------------------------===#


def ttype(shape):
    return 'tensor<' + 'x'.join(str(d) for d in shape) + 'xf32>'


class Graph:
    """Builds one func.func in the npu dialect and runs its numpy twin."""

    def __init__(self, name, seed, overrides=None):
        self.name = name
        self.overrides = overrides or {}
        self.rng = np.random.default_rng(seed)
        self.lines = []
        self.args = []
        self.count = 0
        self.inputs = {}

    def fresh(self):
        self.count += 1
        return '%v' + str(self.count)

    def new_input(self, name, shape, lo, hi):
        """The value of a new model input: generated, or given by --set."""
        value = self.rng.uniform(lo, hi, size=shape).astype(np.float32)
        if name in self.overrides:
            given = np.load(self.overrides[name])
            if given.shape != tuple(shape) or given.dtype != np.float32:
                raise SystemExit('models.py: input %s must be float32 %s, got '
                                 '%s %s' % (name, tuple(shape), given.dtype,
                                            given.shape))
            value = given
        return value

    def input(self, name, shape, lo=-1.0, hi=1.0):
        value = self.new_input(name, shape, lo, hi)
        ssa = '%' + name
        self.args.append('%s: %s {npu.name = "%s"}' % (ssa, ttype(shape),
                                                       name))
        self.inputs[name] = value
        return (ssa, value.astype(np.float64))

    def const(self, shape, lo=-0.5, hi=0.5):
        value = self.rng.uniform(lo, hi, size=shape).astype(np.float32)
        ssa = self.fresh()
        hexdata = value.astype('<f4').tobytes().hex().upper()
        self.lines.append('  %s = arith.constant dense<"0x%s"> : %s' %
                          (ssa, hexdata, ttype(shape)))
        return (ssa, value.astype(np.float64))

    def op(self, text, operands, result, types=None):
        """Emits `%r = <text>` with $0, $1... naming the operands."""
        ssa = self.fresh()
        names = [o[0] for o in operands]
        body = re.sub(r'\$(\d+)', lambda m: names[int(m.group(1))], text)
        self.lines.append('  %s = %s' % (ssa, body))
        return (ssa, result)

    def mlir(self, outputs):
        rets = ', '.join(o[0] for o in outputs)
        rtypes = ', '.join(ttype(o[1].shape) for o in outputs)
        out = ['func.func @%s(%s) -> (%s) {' % (self.name, ', '.join(self.args),
                                                rtypes)]
        out += self.lines
        out.append('  return %s : %s' % (rets, rtypes))
        out.append('}')
        return '\n'.join(out) + '\n'


class Program(Graph):
    """One npu.program of a multi-chip model: ops as in Graph; host inputs
    and outputs are npu.input / npu.output, other chips are reached by
    npu.send / npu.recv. Shares the random stream, the inputs and the
    outputs of its MultiChip."""

    def __init__(self, parent, name, chip):
        self.name = name
        self.chip = chip
        self.parent = parent
        self.overrides = parent.overrides
        self.rng = parent.rng
        self.lines = []
        self.args = []
        self.count = 0
        self.inputs = parent.inputs

    def input(self, name, shape, lo=-1.0, hi=1.0):
        """Model input `name`; a second program reading it gets the same
        tensor (the host sends it to every reader)."""
        if name in self.inputs:
            value = self.inputs[name]
            if value.shape != tuple(shape):
                raise SystemExit('models.py: input %s read as %s and %s' %
                                 (name, value.shape, tuple(shape)))
        else:
            value = self.new_input(name, shape, lo, hi)
            self.inputs[name] = value
        ssa = self.fresh()
        self.lines.append('  %s = npu.input "%s" : %s' %
                          (ssa, name, ttype(shape)))
        return (ssa, value.astype(np.float64))

    def send(self, x, chip, channel):
        self.lines.append('  npu.send %s to chip(%d) channel(%d) : %s' %
                          (x[0], chip, channel, ttype(x[1].shape)))

    def recv(self, sent, chip, channel):
        """The value another program sent here: the same numbers."""
        ssa = self.fresh()
        self.lines.append('  %s = npu.recv from chip(%d) channel(%d) : %s' %
                          (ssa, chip, channel, ttype(sent[1].shape)))
        return (ssa, sent[1])

    def output(self, name, x):
        self.lines.append('  npu.output "%s", %s : %s' %
                          (name, x[0], ttype(x[1].shape)))
        self.parent.outputs.append((name, x[1]))

    def mlir(self):
        out = ['npu.program @%s chip(%d) {' % (self.name, self.chip)]
        out += self.lines
        out.append('}')
        return out


class MultiChip:
    """Builds a module of npu.program ops, one per chip of `preset`."""

    def __init__(self, name, seed, overrides, preset):
        self.name = name
        self.preset = preset
        self.overrides = overrides or {}
        self.rng = np.random.default_rng(seed)
        self.inputs = {}
        self.outputs = []
        self.programs = []

    def program(self, name, chip):
        p = Program(self, name, chip)
        self.programs.append(p)
        return p

    def mlir(self, system_file):
        """The module, inside the header of `system_file` (npu-opt's output
        for an empty module with the system attached)."""
        with open(system_file) as f:
            lines = f.read().rstrip().split('\n')
        if (not lines or lines[-1] != '}' or
                not lines[-2].startswith('module attributes {npu.system')):
            raise SystemExit('models.py: %s is not an empty module with an '
                             'npu.system attribute' % system_file)
        if ('#npu.system<name = "%s"' % self.preset) not in '\n'.join(lines):
            raise SystemExit('models.py: %s is not the system %s that %s is '
                             'written for' % (system_file, self.preset,
                                              self.name))
        out = lines[:-1]
        for p in self.programs:
            out += ['  ' + line for line in p.mlir()]
        out.append('}')
        return '\n'.join(out) + '\n'


def f32(x):
    """Rounds a reference through float32 like the hardware's storage."""
    return x.astype(np.float32).astype(np.float64)


#===----------------------------------------------------------------------===#
# The models.
#===----------------------------------------------------------------------===#


def unary(g, mnemonic, x, fn, attrs=''):
    t = ttype(x[1].shape)
    return g.op('npu.%s $0%s : %s' % (mnemonic, attrs, t), [x], f32(fn(x[1])))


def binary(g, mnemonic, a, b, fn):
    r = f32(fn(a[1], b[1]))
    return g.op('npu.%s $0, $1 : (%s, %s) -> %s' %
                (mnemonic, ttype(a[1].shape), ttype(b[1].shape),
                 ttype(r.shape)), [a, b], r)


def conv(g, x, w, b=None, strides=(1, 1), pads=(0, 0, 0, 0),
         dilations=(1, 1), groups=1):
    r = f32(conv2d(x[1], w[1], None if b is None else b[1], strides, pads,
                   dilations, groups))
    attrs = []
    if strides != (1, 1):
        attrs.append('strides = array<i64: %d, %d>' % strides)
    if pads != (0, 0, 0, 0):
        attrs.append('pads = array<i64: %d, %d, %d, %d>' % pads)
    if dilations != (1, 1):
        attrs.append('dilations = array<i64: %d, %d>' % dilations)
    if groups != 1:
        attrs.append('groups = %d : i64' % groups)
    operands = [x, w] + ([b] if b is not None else [])
    types = ', '.join(ttype(o[1].shape) for o in operands)
    text = 'npu.conv2d ' + ', '.join('$%d' % i for i in range(len(operands)))
    if attrs:
        text += ' {' + ', '.join(attrs) + '}'
    text += ' : (%s) -> %s' % (types, ttype(r.shape))
    return g.op(text, operands, r)


def conv_transpose(g, x, w, b=None, strides=(1, 1), pads=(0, 0, 0, 0),
                   dilations=(1, 1), output_padding=(0, 0), groups=1):
    r = f32(conv_transpose2d(x[1], w[1], None if b is None else b[1], strides,
                             pads, dilations, output_padding, groups))
    attrs = []
    if strides != (1, 1):
        attrs.append('strides = array<i64: %d, %d>' % strides)
    if pads != (0, 0, 0, 0):
        attrs.append('pads = array<i64: %d, %d, %d, %d>' % pads)
    if dilations != (1, 1):
        attrs.append('dilations = array<i64: %d, %d>' % dilations)
    if output_padding != (0, 0):
        attrs.append('output_padding = array<i64: %d, %d>' % output_padding)
    if groups != 1:
        attrs.append('groups = %d : i64' % groups)
    operands = [x, w] + ([b] if b is not None else [])
    types = ', '.join(ttype(o[1].shape) for o in operands)
    text = 'npu.conv_transpose2d ' + ', '.join('$%d' % i
                                               for i in range(len(operands)))
    if attrs:
        text += ' {' + ', '.join(attrs) + '}'
    text += ' : (%s) -> %s' % (types, ttype(r.shape))
    return g.op(text, operands, r)


def pool(g, mnemonic, x, kernel, strides=(1, 1), pads=(0, 0, 0, 0),
         count_include_pad=False):
    kind = 'max' if mnemonic == 'max_pool2d' else 'avg'
    r = f32(pool2d(x[1], kind, kernel, strides, pads, count_include_pad))
    attrs = ['kernel = array<i64: %d, %d>' % kernel]
    if strides != (1, 1):
        attrs.append('strides = array<i64: %d, %d>' % strides)
    if pads != (0, 0, 0, 0):
        attrs.append('pads = array<i64: %d, %d, %d, %d>' % pads)
    if count_include_pad:
        attrs.append('count_include_pad = true')
    return g.op('npu.%s $0 {%s} : %s -> %s' %
                (mnemonic, ', '.join(attrs), ttype(x[1].shape),
                 ttype(r.shape)), [x], r)


def reshape(g, x, shape):
    r = x[1].reshape(shape)
    return g.op('npu.reshape $0 : %s -> %s' % (ttype(x[1].shape),
                                               ttype(shape)), [x], r)


def gemm_op(g, a, b, c=None, trans_b=False):
    r = f32(gemm(a[1], b[1], None if c is None else c[1], trans_b=trans_b))
    operands = [a, b] + ([c] if c is not None else [])
    text = 'npu.gemm ' + ', '.join('$%d' % i for i in range(len(operands)))
    if trans_b:
        text += ' {trans_b = true}'
    text += ' : (%s) -> %s' % (', '.join(ttype(o[1].shape) for o in operands),
                               ttype(r.shape))
    return g.op(text, operands, r)


def model_cnn(g):
    x = g.input('image', (1, 1, 12, 12))
    w1, b1 = g.const((4, 1, 3, 3)), g.const((4,))
    c1 = conv(g, x, w1, b1, pads=(1, 1, 1, 1))
    r1 = unary(g, 'relu', c1, lambda v: np.maximum(v, 0))
    p1 = pool(g, 'max_pool2d', r1, (2, 2), (2, 2))
    f = reshape(g, p1, (1, 4 * 6 * 6))
    w, b = g.const((10, 144)), g.const((10,))
    return [gemm_op(g, f, w, b, trans_b=True)]


def model_mlp(g):
    x = g.input('x', (2, 32))
    h = x
    for din, dout in ((32, 64), (64, 48)):
        w, b = g.const((din, dout)), g.const((dout,))
        h = gemm_op(g, h, w, b)
        h = unary(g, 'relu', h, lambda v: np.maximum(v, 0))
    w, b = g.const((48, 10)), g.const((10,))
    logits = gemm_op(g, h, w, b)
    probs = g.op('npu.softmax $0 : %s' % ttype((2, 10)), [logits],
                 f32(softmax(logits[1], -1)))
    return [probs]


def model_residual(g):
    x = g.input('x', (1, 8, 8, 8))
    eps = 1e-5

    def conv_bn(v):
        w = g.const((8, 8, 3, 3), -0.2, 0.2)
        c = conv(g, v, w, pads=(1, 1, 1, 1))
        s, b = g.const((8,), 0.5, 1.5), g.const((8,))
        m, var = g.const((8,)), g.const((8,), 0.5, 2.0)
        r = f32(batch_norm(c[1], s[1], b[1], m[1], var[1], eps))
        t = ttype((8,))
        return g.op('npu.batch_norm $0, $1, $2, $3, $4 : %s, %s, %s, %s, %s'
                    % (ttype(c[1].shape), t, t, t, t), [c, s, b, m, var], r)

    y = unary(g, 'relu', conv_bn(x), lambda v: np.maximum(v, 0))
    y = conv_bn(y)
    y = binary(g, 'add', y, x, np.add)
    return [unary(g, 'relu', y, lambda v: np.maximum(v, 0))]


def model_depthwise(g):
    x = g.input('x', (1, 6, 10, 10))
    wd = g.const((6, 1, 3, 3))
    d = conv(g, x, wd, pads=(1, 1, 1, 1), groups=6)
    d = unary(g, 'clip', d, lambda v: np.clip(v, 0.0, 6.0),
              ' {min = 0.0 : f32, max = 6.0 : f32}')
    wp, bp = g.const((12, 6, 1, 1)), g.const((12,))
    p = conv(g, d, wp, bp)
    return [unary(g, 'hard_swish', p,
                  lambda v: v * np.clip(v / 6 + 0.5, 0, 1))]


def model_strided(g):
    x = g.input('x', (2, 3, 11, 11))
    w = g.const((5, 3, 3, 3))
    c = conv(g, x, w, strides=(2, 2), pads=(1, 0, 1, 0), dilations=(2, 1))
    a = pool(g, 'avg_pool2d', c, (3, 3), (1, 1), (1, 1, 1, 1),
             count_include_pad=False)
    s = unary(g, 'sigmoid', a, lambda v: 1 / (1 + np.exp(-v)))
    gp = g.op('npu.global_avg_pool $0 : %s -> %s' %
              (ttype(s[1].shape), ttype((2, 5, 1, 1))), [s],
              f32(s[1].mean(axis=(2, 3), keepdims=True)))
    return [gp]


def model_broadcast(g):
    x = g.input('x', (2, 4, 3, 5))
    scale = g.const((4, 1, 1), 0.5, 2.0)
    shift = g.const((5,))
    row = g.const((1, 4, 3, 1))
    y = binary(g, 'mul', x, scale, np.multiply)
    y = binary(g, 'add', y, shift, np.add)
    y = unary(g, 'tanh', y, np.tanh)
    y = binary(g, 'sub', y, row, np.subtract)
    y = binary(g, 'max', y, g.const((1,), -0.2, -0.2), np.maximum)
    y = binary(g, 'div', y, g.const((3, 5), 1.0, 2.0), np.divide)
    return [y]


def model_layout(g):
    x = g.input('x', (1, 4, 6, 6))
    t = g.op('npu.transpose $0 {perm = array<i64: 0, 2, 3, 1>} : %s -> %s' %
             (ttype((1, 4, 6, 6)), ttype((1, 6, 6, 4))), [x],
             x[1].transpose(0, 2, 3, 1))
    s = g.op('npu.slice $0 {offsets = array<i64: 0, 1, 0, 1>, strides = '
             'array<i64: 1, 2, 1, 1>} : %s -> %s' %
             (ttype((1, 6, 6, 4)), ttype((1, 3, 6, 3))), [t],
             t[1][:, 1::2, :, 1:4])
    pd = g.op('npu.pad $0 {pads = array<i64: 0, 1, 0, 0, 0, 0, 2, 1>, '
              'value = 0.5 : f32} : %s -> %s' %
              (ttype((1, 3, 6, 3)), ttype((1, 4, 8, 4))), [s],
              np.pad(s[1], ((0, 0), (1, 0), (0, 2), (0, 1)),
                     constant_values=0.5))
    other = g.const((1, 2, 8, 4))
    cat = g.op('npu.concat $0, $1 {axis = 1 : i64} : (%s, %s) -> %s' %
               (ttype((1, 4, 8, 4)), ttype((1, 2, 8, 4)),
                ttype((1, 6, 8, 4))), [pd, other],
               np.concatenate([pd[1], other[1]], axis=1))
    return [cat]


def model_reduce(g):
    x = g.input('x', (2, 5, 3))
    sm = g.op('npu.softmax $0 {axis = 1 : i64} : %s' % ttype((2, 5, 3)), [x],
              f32(softmax(x[1], 1)))
    rm = g.op('npu.reduce_mean $0 {axes = array<i64: 2>} : %s -> %s' %
              (ttype((2, 5, 3)), ttype((2, 5, 1))), [sm],
              f32(sm[1].mean(axis=2, keepdims=True)))
    rs = g.op('npu.reduce_sum $0 {axes = array<i64: 1, 2>, keepdims = false}'
              ' : %s -> %s' % (ttype((2, 5, 3)), ttype((2,))), [x],
              f32(x[1].sum(axis=(1, 2))))
    return [rm, rs]


def model_activations(g):
    x = g.input('x', (3, 40), -4.0, 4.0)
    a = unary(g, 'leaky_relu', x, lambda v: np.where(v < 0, 0.1 * v, v),
              ' {alpha = 1.000000e-01 : f32}')
    b = unary(g, 'hard_sigmoid', x, hard_sigmoid)
    c = unary(g, 'gelu', x, gelu)
    d = unary(g, 'exp', g.op('npu.clip $0 {min = -2.0 : f32, max = 2.0 : f32}'
                             ' : %s' % ttype((3, 40)), [x],
                             np.clip(x[1], -2, 2)), np.exp)
    s = binary(g, 'add', binary(g, 'add', a, b, np.add),
               binary(g, 'mul', c, d, np.multiply), np.add)
    sq = unary(g, 'sqrt', binary(g, 'mul', s, s, np.multiply), np.sqrt)
    return [sq]


def model_resize(g):
    x = g.input('x', (1, 3, 4, 5))
    n = g.op('npu.resize $0 : %s -> %s' % (ttype((1, 3, 4, 5)),
                                            ttype((1, 3, 8, 10))), [x],
             f32(resize(x[1], 8, 10, 'nearest')))
    l = g.op('npu.resize $0 {mode = #npu.resize_mode<linear>} : %s -> %s' %
             (ttype((1, 3, 4, 5)), ttype((1, 3, 7, 9))), [x],
             f32(resize(x[1], 7, 9, 'linear')))
    return [n, l]


def model_matmul(g):
    a = g.input('a', (3, 4, 20))
    b = g.const((20, 300), -0.3, 0.3)  # 300 columns: two MAC-array tiles
    r = f32(np.matmul(a[1], b[1]))
    return [g.op('npu.matmul $0, $1 : (%s, %s) -> %s' %
                 (ttype((3, 4, 20)), ttype((20, 300)), ttype(r.shape)),
                 [a, b], r)]


def model_conv_transpose(g):
    """Transposed convolutions (ONNX ConvTranspose): upsampling by 2 with
    pads and output_padding, two groups with a dilated kernel and unequal
    strides, stride 1 (no scattering), pads larger than the kernel's reach
    (the scattered input is cropped), and pads that crop away every input
    pixel."""
    x = g.input('x', (2, 4, 5, 5))
    # 2 * 4 + 1 + 3 - 2 = 10 in both dimensions.
    up = conv_transpose(g, x, g.const((4, 4, 3, 3)), g.const((4,)),
                        strides=(2, 2), pads=(1, 1, 1, 1),
                        output_padding=(1, 1))
    up = unary(g, 'relu', up, lambda v: np.maximum(v, 0))
    # Groups of 2 input and 3 output channels: 12 x 20.
    grouped = conv_transpose(g, up, g.const((4, 3, 2, 3)), strides=(1, 2),
                             pads=(0, 2, 1, 0), dilations=(2, 1),
                             output_padding=(1, 1), groups=2)
    same = conv_transpose(g, grouped, g.const((6, 2, 3, 3)), g.const((2,)),
                          pads=(1, 1, 1, 1))
    # Top pad 2 > (2 - 1) * 1 and right pad 3 > 1 crop the scattered input:
    # 33 x 37.
    cropped = conv_transpose(g, same, g.const((2, 2, 2, 2)), strides=(3, 2),
                             pads=(2, 0, 1, 3), output_padding=(1, 0))
    # Input rows land at 3 * i - 1 = -1, 2, 5...; the 2 output rows are
    # gaps: the result is the bias alone.
    gaps = conv_transpose(g, x, g.const((4, 3, 1, 1)), g.const((3,)),
                          strides=(3, 1), pads=(1, 0, 10, 0))
    return [grouped, cropped, gaps]


def model_fmnist(g):
    """The architecture of test/models/fmnist-cnn.mlir with seeded weights."""
    x = g.input('image', (1, 1, 28, 28), 0.0, 1.0)
    c1 = conv(g, x, g.const((8, 1, 3, 3)), g.const((8,)), pads=(1, 1, 1, 1))
    s, b = g.const((8,), 0.5, 1.5), g.const((8,))
    m, var = g.const((8,)), g.const((8,), 0.5, 2.0)
    t = ttype((8,))
    n1 = g.op('npu.batch_norm $0, $1, $2, $3, $4 : %s, %s, %s, %s, %s' %
              (ttype(c1[1].shape), t, t, t, t), [c1, s, b, m, var],
              f32(batch_norm(c1[1], s[1], b[1], m[1], var[1], 1e-5)))
    r1 = unary(g, 'relu', n1, lambda v: np.maximum(v, 0))
    p1 = pool(g, 'max_pool2d', r1, (2, 2), (2, 2))
    c2 = conv(g, p1, g.const((16, 8, 3, 3), -0.2, 0.2), pads=(1, 1, 1, 1))
    r2 = unary(g, 'relu', c2, lambda v: np.maximum(v, 0))
    p2 = pool(g, 'max_pool2d', r2, (2, 2), (2, 2))
    gp = g.op('npu.global_avg_pool $0 : %s -> %s' %
              (ttype(p2[1].shape), ttype((1, 16, 1, 1))), [p2],
              f32(p2[1].mean(axis=(2, 3), keepdims=True)))
    f = reshape(g, gp, (1, 16))
    logits = gemm_op(g, f, g.const((10, 16), -1.0, 1.0), g.const((10,)),
                     trans_b=True)
    return [g.op('npu.softmax $0 : %s' % ttype((1, 10)), [logits],
                 f32(softmax(logits[1], -1)))]


#===----------------------------------------------------------------------===#
# Multi-chip models: one npu.program per chip, tensors over direct links.
#===----------------------------------------------------------------------===#


def model_pipeline_e1(m):
    """A CNN pipelined over the E1 package: the features on the small chip,
    the classifier on the big one."""
    s0 = m.program('features', 0)
    x = s0.input('image', (1, 1, 12, 12))
    c1 = conv(s0, x, s0.const((4, 1, 3, 3)), s0.const((4,)),
              pads=(1, 1, 1, 1))
    r1 = unary(s0, 'relu', c1, lambda v: np.maximum(v, 0))
    p1 = pool(s0, 'max_pool2d', r1, (2, 2), (2, 2))
    s0.send(p1, 1, 0)

    s1 = m.program('classifier', 1)
    a = s1.recv(p1, 0, 0)
    c2 = conv(s1, a, s1.const((8, 4, 3, 3), -0.3, 0.3), pads=(1, 1, 1, 1))
    r2 = unary(s1, 'relu', c2, lambda v: np.maximum(v, 0))
    gp = s1.op('npu.global_avg_pool $0 : %s -> %s' %
               (ttype(r2[1].shape), ttype((1, 8, 1, 1))), [r2],
               f32(r2[1].mean(axis=(2, 3), keepdims=True)))
    f = reshape(s1, gp, (1, 8))
    logits = gemm_op(s1, f, s1.const((10, 8), -1.0, 1.0), s1.const((10,)),
                     trans_b=True)
    probs = s1.op('npu.softmax $0 : %s' % ttype((1, 10)), [logits],
                  f32(softmax(logits[1], -1)))
    s1.output('probs', probs)


def model_chain_mesh(m):
    """Four stages on mesh-2x2 along the links 0 -> 1 -> 3 -> 2, each on a
    chip that has what it needs: convolutions on the general chip 0, a
    dense layer on the dense chip 1 (no conv unit), a convolution on the
    conv chip 3 (no dense unit), which also reads the model input again
    (sent by the host to both readers), and on the low-precision chip 2 (no
    f32 arithmetic) only data movement. Chip 1 returns its features too."""
    s0 = m.program('stem', 0)
    x = s0.input('image', (1, 2, 8, 8))
    c = conv(s0, x, s0.const((4, 2, 3, 3)), s0.const((4,)), pads=(1, 1, 1, 1))
    r = unary(s0, 'relu', c, lambda v: np.maximum(v, 0))
    p = pool(s0, 'max_pool2d', r, (2, 2), (2, 2))
    s0.send(p, 1, 0)

    s1 = m.program('dense', 1)
    a = reshape(s1, s1.recv(p, 0, 0), (1, 64))
    h = gemm_op(s1, a, s1.const((32, 64), -0.3, 0.3), s1.const((32,)),
                trans_b=True)
    h = unary(s1, 'tanh', h, np.tanh)
    s1.send(h, 3, 1)
    s1.output('features', h)

    s3 = m.program('mix', 3)
    b = reshape(s3, s3.recv(h, 1, 1), (1, 2, 4, 4))
    skip = pool(s3, 'avg_pool2d', s3.input('image', (1, 2, 8, 8)), (2, 2),
                (2, 2))
    y = binary(s3, 'add', b, skip, np.add)
    y = conv(s3, y, s3.const((3, 2, 3, 3)), s3.const((3,)), pads=(1, 1, 1, 1))
    y = unary(s3, 'sigmoid', y, lambda v: 1 / (1 + np.exp(-v)))
    s3.send(y, 2, 0)

    s2 = m.program('sink', 2)
    s2.output('scores', reshape(s2, s2.recv(y, 3, 0), (1, 48)))


# name -> (system preset, builder)
MULTI_CHIP = {
    'pipeline_e1': ('e1-package', model_pipeline_e1),
    'chain_mesh': ('mesh-2x2', model_chain_mesh),
}

MODELS = {
    'cnn': model_cnn,
    'mlp': model_mlp,
    'residual': model_residual,
    'depthwise': model_depthwise,
    'strided': model_strided,
    'broadcast': model_broadcast,
    'layout': model_layout,
    'reduce': model_reduce,
    'activations': model_activations,
    'resize': model_resize,
    'matmul': model_matmul,
    'fmnist': model_fmnist,
    'conv_transpose': model_conv_transpose,
}
MODELS.update({name: entry[1] for name, entry in MULTI_CHIP.items()})


def main(argv):
    if len(argv) == 2 and argv[1] == '--list':
        print('\n'.join(MODELS))
        return 0
    if len(argv) == 3 and argv[1] == '--preset' and argv[2] in MODELS:
        if argv[2] in MULTI_CHIP:
            print(MULTI_CHIP[argv[2]][0])
        return 0
    overrides = {}
    system = None
    while len(argv) > 3 and argv[-2] in ('--set', '--system'):
        if argv[-2] == '--system':
            system = argv[-1]
        else:
            key, _, path = argv[-1].partition('=')
            overrides[key] = path
        argv = argv[:-2]
    if len(argv) != 3 or argv[1] not in MODELS:
        sys.stderr.write('usage: models.py {%s} OUTDIR [--system FILE.mlir] '
                         '[--set INPUT=FILE.npy]... | --list | --preset NAME'
                         '\n' % ','.join(MODELS))
        return 2
    name, out = argv[1], argv[2]
    seed = sum(ord(ch) for ch in name)
    if name in MULTI_CHIP:
        preset, build = MULTI_CHIP[name]
        if system is None:
            sys.stderr.write('models.py: %s is written for system %s; pass '
                             '--system FILE.mlir, the output of npu-opt '
                             '--npu-set-system=system=%s on an empty module\n'
                             % (name, preset, preset))
            return 2
        g = MultiChip(name, seed, overrides, preset)
        build(g)
        text = g.mlir(system)
        outputs = g.outputs
    else:
        g = Graph(name, seed, overrides)
        results = MODELS[name](g)
        text = g.mlir(results)
        outputs = [('output%d' % i, r[1]) for i, r in enumerate(results)]
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, 'model.mlir'), 'w') as f:
        f.write(text)
    for key, value in g.inputs.items():
        np.save(os.path.join(out, key + '.npy'), value)
    for key, value in outputs:
        np.save(os.path.join(out, 'expected_%s.npy' % key),
                value.astype(np.float32))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
