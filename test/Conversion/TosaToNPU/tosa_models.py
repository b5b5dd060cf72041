#!/usr/bin/env python3
#===- tosa_models.py - TOSA models with numpy references of TOSA semantics -===#
#
# Each model is written twice: as TOSA MLIR (what an importer from TF/TFLite
# or torch-mlir hands to convert-tosa-to-npu: NHWC images, OHWI and HWCM
# weights) and as numpy code following the TOSA 1.0 specification's
# pseudo-code in NHWC (the reference). The npu side never sees the numpy
# code, and the numpy code never sees npu's NCHW layout, so a layout or
# attribute mistake in the conversion shows up as a wrong number.
#
#   tosa_models.py NAME OUTDIR   writes OUTDIR/model.mlir, OUTDIR/<input>.npy
#                                and OUTDIR/expected_output<i>.npy (the
#                                layout test/e2e/check.py reads)
#   tosa_models.py --list        prints the model names
#
#===----------------------------------------------------------------------===#
import os
import sys

import numpy as np


def f32(x):
    """Rounds a reference through float32 like the hardware's storage."""
    return np.asarray(x, dtype=np.float64).astype(np.float32).astype(
        np.float64)


#===----------------------------------------------------------------------===#
# numpy references of TOSA ops (NHWC, TOSA attribute orders).
#===----------------------------------------------------------------------===#


def out_size(size, kernel, stride, lo, hi, dilation=1):
    span = size + lo + hi - dilation * (kernel - 1) - 1
    assert span % stride == 0, 'TOSA needs an exact window division'
    return span // stride + 1


def conv2d(x, w, b, stride, pad, dilation):
    """TOSA conv2d: x NHWC, w OHWI, pad [top, bottom, left, right]."""
    n, h, wd, c = x.shape
    o, kh, kw, _ = w.shape
    (sh, sw), (dh, dw) = stride, dilation
    oh = out_size(h, kh, sh, pad[0], pad[1], dh)
    ow = out_size(wd, kw, sw, pad[2], pad[3], dw)
    xp = np.pad(x, ((0, 0), (pad[0], pad[1]), (pad[2], pad[3]), (0, 0)))
    y = np.zeros((n, oh, ow, o)) + b.reshape(1, 1, 1, -1)
    for ky in range(kh):
        for kx in range(kw):
            patch = xp[:, ky * dh:ky * dh + sh * (oh - 1) + 1:sh,
                       kx * dw:kx * dw + sw * (ow - 1) + 1:sw, :]
            y += np.einsum('nhwc,oc->nhwo', patch, w[:, ky, kx, :])
    return y


def depthwise_conv2d(x, w, b, stride, pad, dilation):
    """TOSA depthwise_conv2d: w is HWCM, output channel c * M + m."""
    n, h, wd, c = x.shape
    kh, kw, _, m = w.shape
    (sh, sw), (dh, dw) = stride, dilation
    oh = out_size(h, kh, sh, pad[0], pad[1], dh)
    ow = out_size(wd, kw, sw, pad[2], pad[3], dw)
    xp = np.pad(x, ((0, 0), (pad[0], pad[1]), (pad[2], pad[3]), (0, 0)))
    y = np.zeros((n, oh, ow, c, m))
    for ky in range(kh):
        for kx in range(kw):
            patch = xp[:, ky * dh:ky * dh + sh * (oh - 1) + 1:sh,
                       kx * dw:kx * dw + sw * (ow - 1) + 1:sw, :]
            y += patch[..., None] * w[ky, kx][None, None, None]
    return y.reshape(n, oh, ow, c * m) + b.reshape(1, 1, 1, -1)


def transpose_conv2d(x, w, b, out_pad, stride):
    """TOSA transpose_conv2d: input pixel (iy, ix) adds w[:, ky, kx, :] at
    output (iy * sy + out_pad_top + ky, ix * sx + out_pad_left + kx)."""
    n, ih, iw, _ = x.shape
    o, kh, kw, _ = w.shape
    sy, sx = stride
    oh = (ih - 1) * sy + out_pad[0] + out_pad[1] + kh
    ow = (iw - 1) * sx + out_pad[2] + out_pad[3] + kw
    y = np.zeros((n, oh, ow, o)) + b.reshape(1, 1, 1, -1)
    for iy in range(ih):
        for ix in range(iw):
            for ky in range(kh):
                for kx in range(kw):
                    oy, ox = iy * sy + out_pad[0] + ky, ix * sx + out_pad[2] + kx
                    if 0 <= oy < oh and 0 <= ox < ow:
                        y[:, oy, ox, :] += x[:, iy, ix, :] @ w[:, ky, kx, :].T
    return y


def pool2d(x, kind, kernel, stride, pad):
    """TOSA max/avg_pool2d; the average counts only input positions."""
    n, h, w, c = x.shape
    kh, kw = kernel
    sh, sw = stride
    oh = out_size(h, kh, sh, pad[0], pad[1])
    ow = out_size(w, kw, sw, pad[2], pad[3])
    y = np.zeros((n, oh, ow, c))
    for i in range(oh):
        for j in range(ow):
            y0, x0 = i * sh - pad[0], j * sw - pad[2]
            win = x[:, max(y0, 0):min(y0 + kh, h), max(x0, 0):min(x0 + kw, w)]
            if kind == 'max':
                y[:, i, j] = win.max(axis=(1, 2))
            else:
                y[:, i, j] = win.sum(axis=(1, 2)) / (win.shape[1] *
                                                     win.shape[2])
    return y


def resize(x, mode, scale, offset, border):
    """TOSA resize, following the specification's pseudo-code for a float
    type (integer positions, dy = remainder / scale_n)."""
    n, ih, iw, c = x.shape
    yn, yd, xn, xd = scale
    oh = ((ih - 1) * yn - offset[0] + border[0]) // yd + 1
    ow = ((iw - 1) * xn - offset[1] + border[1]) // xd + 1

    def taps(o, size, num, den, off):
        pos = o * den + off
        i = pos // num  # floor division, as idiv_floor
        d = (pos - i * num) / num
        return max(i, 0), min(i + 1, size - 1), d

    y = np.zeros((n, oh, ow, c))
    for oy in range(oh):
        y0, y1, dy = taps(oy, ih, yn, yd, offset[0])
        for ox in range(ow):
            x0, x1, dx = taps(ox, iw, xn, xd, offset[1])
            if mode == 'BILINEAR':
                y[:, oy, ox] = (x[:, y0, x0] * (1 - dy) * (1 - dx) +
                                x[:, y0, x1] * (1 - dy) * dx +
                                x[:, y1, x0] * dy * (1 - dx) +
                                x[:, y1, x1] * dy * dx)
            else:
                y[:, oy, ox] = x[:, y1 if dy >= 0.5 else y0,
                                 x1 if dx >= 0.5 else x0]
    return y


#===----------------------------------------------------------------------===#
# TOSA MLIR emission (generic op syntax, so it does not depend on the
# custom printers).
#===----------------------------------------------------------------------===#


def ttype(shape):
    return 'tensor<' + 'x'.join(str(d) for d in shape) + 'xf32>'


class Value:
    def __init__(self, ssa, type_, data=None):
        self.ssa, self.type, self.data = ssa, type_, data


class Graph:
    def __init__(self, name, seed):
        self.name = name
        self.rng = np.random.default_rng(seed)
        self.lines, self.args, self.inputs = [], [], {}
        self.count = 0

    def fresh(self):
        self.count += 1
        return '%v' + str(self.count)

    def input(self, name, shape, lo=-1.0, hi=1.0):
        value = self.rng.uniform(lo, hi, size=shape).astype(np.float32)
        self.args.append('%%%s: %s {npu.name = "%s"}' % (name, ttype(shape),
                                                         name))
        self.inputs[name] = value
        return Value('%' + name, ttype(shape), value.astype(np.float64))

    def const(self, shape, lo=-0.5, hi=0.5, data=None):
        if data is None:
            data = self.rng.uniform(lo, hi, size=shape)
        data = np.asarray(data, dtype=np.float32).reshape(shape)
        ssa = self.fresh()
        hexdata = data.astype('<f4').tobytes().hex().upper()
        self.lines.append('  %s = "tosa.const"() <{values = dense<"0x%s"> : '
                          '%s}> : () -> %s' % (ssa, hexdata, ttype(shape),
                                               ttype(shape)))
        return Value(ssa, ttype(shape), data.astype(np.float64))

    def zero_point(self):
        ssa = self.fresh()
        self.lines.append('  %s = "tosa.const"() <{values = dense<0.0> : '
                          'tensor<1xf32>}> : () -> tensor<1xf32>' % ssa)
        return Value(ssa, 'tensor<1xf32>')

    def shift(self):
        ssa = self.fresh()
        self.lines.append('  %s = "tosa.const"() <{values = dense<0> : '
                          'tensor<1xi8>}> : () -> tensor<1xi8>' % ssa)
        return Value(ssa, 'tensor<1xi8>')

    def shape(self, values):
        ssa = self.fresh()
        t = '!tosa.shape<%d>' % len(values)
        self.lines.append('  %s = tosa.const_shape {values = dense<[%s]> : '
                          'tensor<%dxindex>} : () -> %s' %
                          (ssa, ', '.join(str(v) for v in values), len(values),
                           t))
        return Value(ssa, t)

    def op(self, name, operands, result, props=''):
        """Emits a generic tosa op; `result` is the reference value."""
        ssa = self.fresh()
        result = f32(result)
        props = ' <{%s}>' % props if props else ''
        self.lines.append('  %s = "tosa.%s"(%s)%s : (%s) -> %s' %
                          (ssa, name, ', '.join(o.ssa for o in operands),
                           props, ', '.join(o.type for o in operands),
                           ttype(result.shape)))
        return Value(ssa, ttype(result.shape), result)

    def mlir(self, outputs):
        rtypes = ', '.join(o.type for o in outputs)
        out = ['func.func @%s(%s) -> (%s) {' % (self.name, ', '.join(self.args),
                                                rtypes)]
        out += self.lines
        out.append('  return %s : %s' % (', '.join(o.ssa for o in outputs),
                                         rtypes))
        out.append('}')
        return '\n'.join(out) + '\n'


def arr(values):
    return 'array<i64: %s>' % ', '.join(str(v) for v in values)


def conv_props(pad, stride, dilation):
    return ('acc_type = f32, dilation = %s, pad = %s, stride = %s' %
            (arr(dilation), arr(pad), arr(stride)))


#===----------------------------------------------------------------------===#
# The models.
#===----------------------------------------------------------------------===#


def model_cnn(g):
    """conv2d + clamp (relu6) + max_pool2d + reshape + matmul + add."""
    x = g.input('image', (1, 12, 12, 2))
    w, b = g.const((4, 3, 3, 2)), g.const((4,))
    zp = g.zero_point()
    pad, stride, dil = (1, 1, 1, 1), (1, 1), (1, 1)
    c = g.op('conv2d', [x, w, b, zp, zp],
             conv2d(x.data, w.data, b.data, stride, pad, dil),
             conv_props(pad, stride, dil))
    r = g.op('clamp', [c], np.clip(c.data, 0.0, 6.0),
             'max_val = 6.0 : f32, min_val = 0.0 : f32')
    p = g.op('max_pool2d', [r], pool2d(r.data, 'max', (2, 2), (2, 2),
                                       (0, 0, 0, 0)),
             'kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, '
             'stride = array<i64: 2, 2>')
    f = g.op('reshape', [p, g.shape([1, 1, 144])], p.data.reshape(1, 1, 144))
    wm, bm = g.const((1, 144, 10)), g.const((1, 1, 10))
    m = g.op('matmul', [f, wm, zp, zp], np.matmul(f.data, wm.data))
    return [g.op('add', [m, bm], m.data + bm.data)]


def model_conv(g):
    """depthwise (dilated, multiplier 2) + relu clamp + strided conv with a
    one-value bias + avg_pool2d with padding (count excludes the pad) +
    sigmoid; and a conv whose weights are computed, not constant."""
    x = g.input('x', (2, 9, 9, 3))
    zp = g.zero_point()
    wd, bd = g.const((3, 3, 3, 2)), g.const((6,))
    pad, stride, dil = (1, 1, 1, 1), (1, 1), (2, 2)
    d = g.op('depthwise_conv2d', [x, wd, bd, zp, zp],
             depthwise_conv2d(x.data, wd.data, bd.data, stride, pad, dil),
             conv_props(pad, stride, dil))
    r = g.op('clamp', [d], np.maximum(d.data, 0.0),
             'max_val = 0x7F800000 : f32, min_val = 0.0 : f32')
    w, b = g.const((5, 2, 2, 6)), g.const((1,), data=[0.25])
    pad, stride, dil = (0, 1, 0, 1), (2, 2), (1, 1)
    c = g.op('conv2d', [r, w, b, zp, zp],
             conv2d(r.data, w.data, b.data, stride, pad, dil),
             conv_props(pad, stride, dil))
    a = g.op('avg_pool2d', [c, zp, zp],
             pool2d(c.data, 'avg', (3, 3), (1, 1), (1, 1, 1, 1)),
             'acc_type = f32, kernel = array<i64: 3, 3>, '
             'pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>')
    s = g.op('sigmoid', [a], 1 / (1 + np.exp(-a.data)))
    # Weights computed at run time (tanh of a constant): their OHWI -> OIHW
    # transpose stays an npu.transpose.
    w2 = g.const((2, 1, 1, 5))
    w2t = g.op('tanh', [w2], np.tanh(w2.data))
    b2 = g.const((2,))
    pad, stride, dil = (0, 0, 0, 0), (1, 1), (1, 1)
    return [g.op('conv2d', [s, w2t, b2, zp, zp],
                 conv2d(s.data, w2t.data, b2.data, stride, pad, dil),
                 conv_props(pad, stride, dil))]


def model_elementwise(g):
    """Broadcasting binary ops, mul's shift, the unary ops, reciprocal and
    rsqrt, clamp to a range, identity and the f32 cast."""
    x = g.input('x', (2, 3, 4))
    y = g.input('y', (2, 3, 4))
    c1 = g.const((1, 3, 1))
    a = g.op('add', [x, c1], x.data + c1.data)
    s = g.op('sub', [a, y], a.data - y.data)
    c2 = g.const((2, 1, 4), 0.5, 2.0)
    m = g.op('mul', [s, c2, g.shift()], s.data * c2.data)
    c3 = g.const((1, 1, 1), data=[-0.3])
    mx = g.op('maximum', [m, c3], np.maximum(m.data, c3.data))
    mn = g.op('minimum', [mx, y], np.minimum(mx.data, y.data))
    t = g.op('tanh', [mn], np.tanh(mn.data))
    e = g.op('exp', [t], np.exp(t.data))
    r = g.op('reciprocal', [e], 1 / e.data)
    q = g.op('rsqrt', [e], 1 / np.sqrt(e.data))
    c4 = g.const((1, 1, 4), 0.5, 2.0)
    p = g.op('pow', [e, c4], np.power(e.data, c4.data))
    sg = g.op('sigmoid', [p], 1 / (1 + np.exp(-p.data)))
    z = g.op('add', [r, q], r.data + q.data)
    z = g.op('sub', [z, sg], z.data - sg.data)
    z = g.op('identity', [z], z.data)
    z = g.op('cast', [z], z.data)
    return [g.op('clamp', [z], np.clip(z.data, -0.5, 1.5),
                 'max_val = 1.5 : f32, min_val = -0.5 : f32')]


def model_layout(g):
    """transpose, pad, slice, concat, reduce_sum/max (keepdims), reshape,
    and a transpose of a constant (folded at compile time)."""
    x = g.input('x', (1, 4, 5, 6))
    t = g.op('transpose', [x], x.data.transpose(0, 2, 1, 3),
             'perms = array<i32: 0, 2, 1, 3>')
    padding = [0, 0, 1, 0, 0, 2, 1, 1]
    pv = g.const((1,), data=[0.5])
    p = g.op('pad', [t, g.shape(padding), pv],
             np.pad(t.data, ((0, 0), (1, 0), (0, 2), (1, 1)),
                    constant_values=0.5))
    s = g.op('slice', [p, g.shape([0, 1, 0, 2]), g.shape([1, 4, 6, 5])],
             p.data[:, 1:5, 0:6, 2:7])
    k = g.const((1, 2, 6, 4))
    kt = g.op('transpose', [k], k.data.transpose(0, 3, 2, 1),
              'perms = array<i32: 0, 3, 2, 1>')  # [1, 4, 6, 2]
    c = g.op('concat', [s, kt], np.concatenate([s.data, kt.data], axis=3),
             'axis = 3 : i32')
    rs = g.op('reduce_sum', [c], c.data.sum(axis=1, keepdims=True),
              'axis = 1 : i32')
    rm = g.op('reduce_max', [c], c.data.max(axis=2, keepdims=True),
              'axis = 2 : i32')
    a = g.op('add', [rs, rm], rs.data + rm.data)  # [1, 4, 6, 7]
    return [g.op('reshape', [a, g.shape([4, 42])], a.data.reshape(4, 42))]


def model_resize(g):
    """Nearest (TOSA rounds halves up) and bilinear with half-pixel,
    asymmetric and align-corners geometry."""
    x = g.input('x', (1, 5, 6, 2))
    outs = []
    for mode, scale, offset, border in (
            ('NEAREST_NEIGHBOR', (2, 1, 2, 1), (0, 0), (1, 1)),
            ('NEAREST_NEIGHBOR', (6, 5, 4, 3), (0, 0), (1, 1)),
            ('NEAREST_NEIGHBOR', (2, 1, 2, 1), (-1, -1), (0, 0)),
            ('NEAREST_NEIGHBOR', (4, 2, 4, 2), (-1, -1), (1, 1)),
            ('BILINEAR', (4, 2, 4, 2), (-1, -1), (1, 1)),
            ('BILINEAR', (3, 1, 3, 1), (0, 0), (2, 2)),
            ('BILINEAR', (8, 4, 10, 5), (0, 0), (0, 0))):
        outs.append(g.op('resize', [x, g.shape(scale), g.shape(offset),
                                    g.shape(border)],
                         resize(x.data, mode, scale, offset, border),
                         'mode = #tosa<resize_mode<%s>>' % mode))
    return outs


def model_tconv(g):
    """transpose_conv2d with a crop (negative out_pad) at the top and left
    and a growth (positive out_pad) at the bottom."""
    x = g.input('x', (1, 4, 4, 3))
    w, b = g.const((2, 3, 3, 3)), g.const((2,))
    zp = g.zero_point()
    out_pad, stride = (-1, 1, -1, 0), (2, 2)
    y = g.op('transpose_conv2d', [x, w, b, zp, zp],
             transpose_conv2d(x.data, w.data, b.data, out_pad, stride),
             'acc_type = f32, out_pad = %s, stride = %s' % (arr(out_pad),
                                                            arr(stride)))
    return [g.op('tanh', [y], np.tanh(y.data))]


MODELS = {
    'cnn': (model_cnn, 11),
    'conv': (model_conv, 12),
    'elementwise': (model_elementwise, 13),
    'layout': (model_layout, 14),
    'resize': (model_resize, 15),
    'tconv': (model_tconv, 16),
}


def main(argv):
    if len(argv) == 2 and argv[1] == '--list':
        print('\n'.join(sorted(MODELS)))
        return 0
    if len(argv) != 3 or argv[1] not in MODELS:
        sys.stderr.write('usage: tosa_models.py NAME OUTDIR | --list\n')
        return 2
    build, seed = MODELS[argv[1]]
    g = Graph(argv[1], seed)
    outputs = build(g)
    os.makedirs(argv[2], exist_ok=True)
    with open(os.path.join(argv[2], 'model.mlir'), 'w') as f:
        f.write(g.mlir(outputs))
    for name, value in g.inputs.items():
        np.save(os.path.join(argv[2], name + '.npy'), value)
    for i, out in enumerate(outputs):
        np.save(os.path.join(argv[2], 'expected_output%d.npy' % i),
                out.data.astype(np.float32))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
