#!/usr/bin/python3
#===- train-fmnist-family.py - Smaller Fashion-MNIST variants -------------===#
#
#   train-fmnist-family.py [--out DIR] [--data DIR] [--epochs N] [--seed S]
#
# Trains the two smaller members of the Fashion-MNIST model family that the
# serving layer chooses between by accuracy (G9, docs/serving.md,
# "Variants"); the largest member is fmnist-cnn.onnx (train-fmnist.py):
#
#   fmnist-linear.onnx  Flatten, linear 784->10, softmax (7,850 parameters).
#   fmnist-small.onnx   conv 3x3 (8 channels) + batch norm + relu + maxpool
#                       2x2, the same with 16 channels, flatten (16x7x7),
#                       linear 784->10, softmax (14,378 parameters).
#
# Same input, splits, optimiser, schedule, determinism and export as
# train-fmnist.py (whose functions it uses): the first 55,000 training
# images train, the last 5,000 (calibration) are held out, t10k is the
# test split. About a minute on 2 cores.
#
#===----------------------------------------------------------------------===#
import argparse
import hashlib
import importlib.util
import os
import time

import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location(
    "train_fmnist", os.path.join(HERE, "train-fmnist.py"))
base = importlib.util.module_from_spec(spec)
spec.loader.exec_module(base)


class Linear(nn.Module):
    exits = False

    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(28 * 28, 10)

    def forward(self, x):
        return (self.fc(torch.flatten(x, 1)),)


class Small(nn.Module):
    exits = False

    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(base.block(1, 8), base.block(8, 16))
        self.fc = nn.Linear(16 * 7 * 7, 10)

    def forward(self, x):
        return (self.fc(torch.flatten(self.features(x), 1)),)


def main():
    ap = argparse.ArgumentParser(
        description="Train the smaller Fashion-MNIST variants; export ONNX.")
    ap.add_argument("--out", default="test/models/fmnist")
    ap.add_argument("--data", default=base.DATA_DIR)
    ap.add_argument("--epochs", type=int, default=10)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()

    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(2)
    start = time.time()
    train_images, train_labels = base.load_split(args.data, "train")
    test_images, test_labels = base.load_split(args.data, "t10k")
    n = base.NUM_TRAIN
    splits = {
        "train": (base.to_input(train_images[:n]),
                  torch.from_numpy(train_labels[:n])),
        "calibration": (base.to_input(train_images[n:]),
                        torch.from_numpy(train_labels[n:])),
        "test": (base.to_input(test_images), torch.from_numpy(test_labels)),
    }
    os.makedirs(args.out, exist_ok=True)
    for name, make in (("fmnist-linear", Linear), ("fmnist-small", Small)):
        t0 = time.time()
        torch.manual_seed(args.seed)
        net = make()
        print(f"{name}: {sum(p.numel() for p in net.parameters())} "
              f"parameters, {args.epochs} epochs")
        base.train(net, *splits["train"], args.epochs, args.seed)
        for split in ("calibration", "test"):
            acc = base.accuracies(net, *splits[split])[0]
            print(f"{name}: {split} accuracy {100 * acc:.2f}%")
        path = os.path.join(args.out, name + ".onnx")
        base.export(net, ("probs",), path)
        with open(path, "rb") as f:
            sha = hashlib.sha256(f.read()).hexdigest()
        print(f"{name}: wrote {path} ({os.path.getsize(path)} bytes, sha256 "
              f"{sha}) in {time.time() - t0:.1f} s", flush=True)
    print(f"total {time.time() - start:.1f} s")


if __name__ == "__main__":
    main()
