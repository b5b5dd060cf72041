#!/usr/bin/python3
#===- train-fmnist.py - Train the Fashion-MNIST test models ---------------===#
#
#   train-fmnist.py [--out DIR] [--data DIR] [--epochs N] [--seed S]
#
# Defaults: --out test/models/fmnist (relative to the working directory: run
# it from the repository root), --data /usr/share/datasets/fashion-mnist,
# --epochs 10, --seed 0. About 4.5 minutes on 2 cores.
#
# Trains two small Fashion-MNIST classifiers with PyTorch (Debian's
# python3-torch, 1.13) and exports them to ONNX for the npu importer:
#
#   fmnist-cnn.onnx      3 conv blocks (conv3x3 + batch norm + relu +
#                        maxpool 2x2), global average pool, linear, softmax.
#                        Output `probs` [1,10].
#   fmnist-branchy.onnx  the same backbone with BranchyNet-style early exits
#                        after blocks 1 and 2 (global average pool + linear +
#                        softmax each) beside the final head, trained jointly
#                        on 0.5*CE(exit1) + 0.5*CE(exit2) + 1.0*CE(final).
#                        Outputs `exit1`, `exit2`, `probs`, each [1,10].
#
# Input of both: `image` [1,1,28,28] float32, the raw pixels scaled to
# [0,1] (x / 255). There is no further normalisation: the batch norm after
# the first convolution does that job, and the exporter folds every batch
# norm into the convolution before it, so the graphs hold only Conv, Relu,
# MaxPool, GlobalAveragePool, Flatten, Gemm and Softmax (all supported by
# the importer, docs/onnx-import.md).
#
# Splits: the first 55,000 training images train; the last 5,000 are the
# held-out CALIBRATION split (never trained on); t10k is the TEST split.
#
# Also writes, for tests without torch (test/models/fmnist/check_fmnist.py),
# the first 20 TEST images and what torch computes on them, one image at a
# time in eval mode:
#   check-images.npy            uint8 [20,28,28]   (input = image / 255)
#   check-labels.npy            int64 [20]
#   fmnist-cnn.expected.npy     float32 [1,20,10]  (probs)
#   fmnist-branchy.expected.npy float32 [3,20,10]  (exit1, exit2, probs)
#
# Reproducible: fixed seeds, torch.use_deterministic_algorithms(True), two
# threads, the data order only from a seeded torch.Generator, no
# augmentation. Two runs on the same machine write the same bytes.
#
#===----------------------------------------------------------------------===#
import argparse
import gzip
import hashlib
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

DATA_DIR = "/usr/share/datasets/fashion-mnist"
NUM_TRAIN = 55000  # the rest of the 60,000 training images: calibration
NUM_CHECK = 20     # test images whose torch outputs are saved for tests
WIDTHS = (24, 48, 96)
BATCH = 128
LR = 2e-3
EXIT_WEIGHTS = (0.5, 0.5, 1.0)


def read_idx(path, magic, dims):
    """Reads an IDX file (gzip): big-endian magic, `dims` sizes, uint8 data."""
    with gzip.open(path, "rb") as f:
        data = f.read()
    header = np.frombuffer(data, dtype=">u4", count=1 + dims)
    if header[0] != magic:
        sys.exit(f"train-fmnist.py: {path}: magic {header[0]:#x}, "
                 f"expected {magic:#x}")
    shape = tuple(int(d) for d in header[1:])
    arr = np.frombuffer(data, dtype=np.uint8, offset=4 * (1 + dims))
    if arr.size != int(np.prod(shape)):
        sys.exit(f"train-fmnist.py: {path}: {arr.size} bytes of data for "
                 f"shape {shape}")
    return arr.reshape(shape)


def load_split(data_dir, prefix):
    images = read_idx(os.path.join(data_dir, f"{prefix}-images-idx3-ubyte.gz"),
                      0x803, 3)
    labels = read_idx(os.path.join(data_dir, f"{prefix}-labels-idx1-ubyte.gz"),
                      0x801, 1)
    assert len(images) == len(labels)
    return images, labels.astype(np.int64)


def to_input(images):
    """uint8 [N,28,28] -> float32 [N,1,28,28] in [0,1]."""
    return torch.from_numpy(images.astype(np.float32)[:, None] / 255.0)


def block(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1),
                         nn.BatchNorm2d(cout), nn.ReLU(), nn.MaxPool2d(2))


class Head(nn.Module):
    """Global average pool + linear: logits."""

    def __init__(self, cin):
        super().__init__()
        self.fc = nn.Linear(cin, 10)

    def forward(self, x):
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))


class Net(nn.Module):
    """The backbone and its heads; `exits` adds the early-exit heads.
    forward() returns a tuple of logits, one per head (early ones first)."""

    def __init__(self, exits):
        super().__init__()
        c1, c2, c3 = WIDTHS
        self.block1, self.block2, self.block3 = (block(1, c1), block(c1, c2),
                                                 block(c2, c3))
        self.exits = exits
        if exits:
            self.exit1, self.exit2 = Head(c1), Head(c2)
        self.head = Head(c3)

    def forward(self, x):
        b1 = self.block1(x)
        b2 = self.block2(b1)
        final = self.head(self.block3(b2))
        if self.exits:
            return self.exit1(b1), self.exit2(b2), final
        return (final,)


class Probs(nn.Module):
    """What is exported: softmax of every head."""

    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, x):
        return tuple(F.softmax(l, dim=1) for l in self.net(x))


def accuracies(net, x, y):
    """Per-head accuracy (fractions) of `net` in eval mode."""
    net.eval()
    correct = None
    with torch.no_grad():
        for i in range(0, len(x), 1000):
            outs = net(x[i:i + 1000])
            c = [int((o.argmax(1) == y[i:i + 1000]).sum()) for o in outs]
            correct = c if correct is None else [a + b for a, b in
                                                 zip(correct, c)]
    return [c / len(x) for c in correct]


def train(net, x, y, epochs, seed):
    gen = torch.Generator().manual_seed(seed)
    opt = torch.optim.Adam(net.parameters(), lr=LR)
    steps = epochs * ((len(x) + BATCH - 1) // BATCH)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=LR,
                                                total_steps=steps)
    weights = EXIT_WEIGHTS if net.exits else (1.0,)
    for epoch in range(epochs):
        net.train()
        perm = torch.randperm(len(x), generator=gen)
        total = 0.0
        for i in range(0, len(x), BATCH):
            idx = perm[i:i + BATCH]
            outs = net(x[idx])
            loss = sum(w * F.cross_entropy(o, y[idx])
                       for w, o in zip(weights, outs))
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += float(loss) * len(idx)
        print(f"  epoch {epoch + 1}/{epochs}: loss {total / len(x):.4f}",
              flush=True)


def export(net, names, path):
    net.eval()
    model = Probs(net).eval()
    torch.onnx.export(model, torch.zeros(1, 1, 28, 28), path,
                      input_names=["image"], output_names=list(names),
                      opset_version=17, do_constant_folding=True,
                      training=torch.onnx.TrainingMode.EVAL)


def expected_outputs(net, images):
    """Torch's outputs on each image alone (batch 1, as the ONNX model runs):
    float32 [heads, N, 10]."""
    model = Probs(net).eval()
    with torch.no_grad():
        per_image = [[o[0].numpy() for o in model(to_input(images[i:i + 1]))]
                     for i in range(len(images))]
    return np.ascontiguousarray(
        np.array(per_image, dtype=np.float32).transpose(1, 0, 2))


def main():
    ap = argparse.ArgumentParser(
        description="Train the Fashion-MNIST test models; export ONNX.")
    ap.add_argument("--out", default="test/models/fmnist")
    ap.add_argument("--data", default=DATA_DIR)
    ap.add_argument("--epochs", type=int, default=10)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()

    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(2)
    start = time.time()

    train_images, train_labels = load_split(args.data, "train")
    test_images, test_labels = load_split(args.data, "t10k")
    splits = {
        "train": (to_input(train_images[:NUM_TRAIN]),
                  torch.from_numpy(train_labels[:NUM_TRAIN])),
        "calibration": (to_input(train_images[NUM_TRAIN:]),
                        torch.from_numpy(train_labels[NUM_TRAIN:])),
        "test": (to_input(test_images), torch.from_numpy(test_labels)),
    }
    print(f"splits: train {len(splits['train'][0])}, calibration "
          f"{len(splits['calibration'][0])}, test {len(splits['test'][0])}")

    os.makedirs(args.out, exist_ok=True)
    check = test_images[:NUM_CHECK]
    np.save(os.path.join(args.out, "check-images.npy"),
            np.ascontiguousarray(check))
    np.save(os.path.join(args.out, "check-labels.npy"),
            test_labels[:NUM_CHECK])

    for name, exits, outputs in (
            ("fmnist-cnn", False, ("probs",)),
            ("fmnist-branchy", True, ("exit1", "exit2", "probs"))):
        t0 = time.time()
        torch.manual_seed(args.seed)
        net = Net(exits)
        print(f"{name}: {sum(p.numel() for p in net.parameters())} "
              f"parameters, {args.epochs} epochs")
        train(net, *splits["train"], args.epochs, args.seed)
        for split in ("calibration", "test"):
            accs = accuracies(net, *splits[split])
            print(f"{name}: {split} accuracy " + ", ".join(
                f"{o} {100 * a:.2f}%" for o, a in zip(outputs, accs)))
        path = os.path.join(args.out, name + ".onnx")
        export(net, outputs, path)
        np.save(os.path.join(args.out, name + ".expected.npy"),
                expected_outputs(net, check))
        with open(path, "rb") as f:
            sha = hashlib.sha256(f.read()).hexdigest()
        print(f"{name}: wrote {path} ({os.path.getsize(path)} bytes, sha256 "
              f"{sha}) in {time.time() - t0:.1f} s", flush=True)
    print(f"total {time.time() - start:.1f} s")


if __name__ == "__main__":
    main()
