#!/usr/bin/python3
#===- real-model-inputs.py - Fixed inputs for the real third-party models -===#
#
#   real-model-inputs.py OUTDIR
#
# Writes deterministic inputs (float32, C order, .npy v1.0) for the models
# that tools/scripts/fetch-models.sh fetches; the same bytes on every run.
#
#   cls_upright.npy   1x3x48x192  PaddleOCR text-direction classifier input:
#                     a text line rendered here ("Hello, typing 42", dark
#                     strokes on a light, slightly shaded and noisy
#                     background, from a small built-in bitmap font), then
#                     preprocessed as PaddleOCR's ClsResizeImg does: resized
#                     to height 48 keeping the aspect ratio (width at most
#                     192), normalized (x/255 - 0.5)/0.5 to [-1, 1], the same
#                     value in the 3 channels, zero-padded on the right.
#   cls_rotated.npy   the same text line rotated by 180 degrees before the
#                     preprocessing (what the classifier exists to detect).
#   cls_upright.png, cls_rotated.png   previews of the two (padding grey).
#   hello_deepa_a.npy, hello_deepa_b.npy  1x25x96  synthetic stand-ins for
#                     openWakeWord's features: 25 frames (~2 s) of the
#                     96-dimensional speech embeddings the wake-word heads
#                     take. Not computed from audio (that needs openWakeWord's
#                     melspectrogram and embedding models): per-dimension
#                     offsets ~ N(0, 1) plus AR(1) noise over time (rho 0.8,
#                     stddev 0.5), values within about [-4, 4]; hello_deepa
#                     layer-normalizes its input first, so the scale matters
#                     little. Seeds 2022 and 2032 were picked because the
#                     head's sigmoid is not saturated near 1 for them (ONNX
#                     Runtime: 0.508 and 0.0005), where a relative tolerance
#                     on the output would hide errors in the logit.
#
# Uses only numpy (Debian's python3-numpy).
#
#===----------------------------------------------------------------------===#
import os
import struct
import sys
import zlib

import numpy as np

# A 5x9 bitmap font (rows 0-6 above the baseline, 7-8 descenders), only the
# glyphs the text needs.
FONT = {
    'H': ['#...#', '#...#', '#...#', '#####', '#...#', '#...#', '#...#'],
    'e': ['.....', '.....', '.###.', '#...#', '#####', '#....', '.###.'],
    'l': ['.##..', '..#..', '..#..', '..#..', '..#..', '..#..', '.###.'],
    'o': ['.....', '.....', '.###.', '#...#', '#...#', '#...#', '.###.'],
    ',': ['.....', '.....', '.....', '.....', '.....', '.##..', '.##..',
          '..#..', '.#...'],
    't': ['..#..', '..#..', '#####', '..#..', '..#..', '..#.#', '...#.'],
    'y': ['.....', '.....', '#...#', '#...#', '#...#', '#..##', '.##.#',
          '....#', '.###.'],
    'p': ['.....', '.....', '####.', '#...#', '#...#', '#...#', '####.',
          '#....', '#....'],
    'i': ['..#..', '.....', '.##..', '..#..', '..#..', '..#..', '.###.'],
    'n': ['.....', '.....', '#.##.', '##..#', '#...#', '#...#', '#...#'],
    'g': ['.....', '.....', '.####', '#...#', '#...#', '.####', '....#',
          '#...#', '.###.'],
    '4': ['...#.', '..##.', '.#.#.', '#..#.', '#####', '...#.', '...#.'],
    '2': ['.###.', '#...#', '....#', '...#.', '..#..', '.#...', '#####'],
    ' ': ['.....'] * 7,
}
TEXT = 'Hello, typing 42'


def render(text, scale=8):
    """Ink coverage (0..1) of text on a white line, `scale` px per font px."""
    rows, margin = 9, 1
    width = 6 * len(text) - 1 + 2 * margin
    ink = np.zeros((rows + 2 * margin, width), np.float64)
    for i, ch in enumerate(text):
        for r, line in enumerate(FONT[ch]):
            for c, px in enumerate(line):
                if px == '#':
                    ink[margin + r, margin + 6 * i + c] = 1.0
    return np.kron(ink, np.ones((scale, scale)))


def area_matrix(n_out, n_in):
    """Rows average the input intervals that map onto each output pixel."""
    m = np.zeros((n_out, n_in))
    step = n_in / n_out
    for o in range(n_out):
        lo, hi = o * step, (o + 1) * step
        for i in range(int(np.floor(lo)), min(int(np.ceil(hi)), n_in)):
            m[o, i] = min(hi, i + 1) - max(lo, i)
    return m / m.sum(axis=1, keepdims=True)


def text_line(rng):
    """A grey (uint8) photo-like crop of one text line."""
    ink = render(TEXT)
    h, w = ink.shape
    shade = 238 - 14 * np.linspace(0, 1, w)[None, :] - 6 * np.linspace(
        0, 1, h)[:, None]
    img = shade * (1 - ink) + 35 * ink
    img += rng.normal(0, 4, img.shape)
    return np.clip(np.rint(img), 0, 255).astype(np.uint8)


def paddle_cls_preprocess(img, shape=(3, 48, 192)):
    """PaddleOCR's ClsResizeImg + normalization for one grey crop."""
    c, H, W = shape
    h, w = img.shape
    rw = min(W, int(np.ceil(H * w / h)))
    resized = area_matrix(H, h) @ img.astype(np.float64) @ area_matrix(rw, w).T
    resized = np.clip(np.rint(resized), 0, 255)  # as cv2.resize to uint8
    norm = (resized / 255.0 - 0.5) / 0.5
    out = np.zeros((1, c, H, W), np.float32)
    out[0, :, :, :rw] = norm
    return out


def write_png(path, grey):
    """An 8-bit greyscale PNG."""
    h, w = grey.shape
    raw = b''.join(b'\x00' + grey[r].tobytes() for r in range(h))

    def chunk(tag, data):
        body = tag + data
        return (struct.pack('>I', len(data)) + body +
                struct.pack('>I', zlib.crc32(body) & 0xffffffff))

    with open(path, 'wb') as f:
        f.write(b'\x89PNG\r\n\x1a\n')
        f.write(chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 0, 0, 0, 0)))
        f.write(chunk(b'IDAT', zlib.compress(raw, 9)))
        f.write(chunk(b'IEND', b''))


def wakeword_features(rng, frames=25, dims=96, rho=0.8, sigma=0.5):
    offsets = rng.normal(0, 1, dims)
    noise = np.zeros((frames, dims))
    state = rng.normal(0, sigma, dims)
    for t in range(frames):
        state = rho * state + np.sqrt(1 - rho * rho) * rng.normal(0, sigma,
                                                                  dims)
        noise[t] = state
    return (offsets[None, :] + noise)[None].astype(np.float32)


def save(outdir, name, array):
    path = os.path.join(outdir, name)
    np.save(path, np.ascontiguousarray(array), allow_pickle=False)
    print('%s: %s %s, min %.4g, max %.4g' % (path, array.dtype,
                                            'x'.join(map(str, array.shape)),
                                            array.min(), array.max()))


def main():
    if len(sys.argv) != 2:
        sys.exit('usage: real-model-inputs.py OUTDIR')
    outdir = sys.argv[1]
    os.makedirs(outdir, exist_ok=True)

    line = text_line(np.random.default_rng(42))
    for name, crop in (('cls_upright', line), ('cls_rotated', line[::-1, ::-1])):
        x = paddle_cls_preprocess(crop)
        save(outdir, name + '.npy', x)
        write_png(os.path.join(outdir, name + '.png'),
                  np.clip(np.rint((x[0, 0] * 0.5 + 0.5) * 255), 0,
                          255).astype(np.uint8))

    for name, seed in (('hello_deepa_a', 2022), ('hello_deepa_b', 2032)):
        save(outdir, name + '.npy',
             wakeword_features(np.random.default_rng(seed)))


if __name__ == '__main__':
    main()
