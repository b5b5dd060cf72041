#!/usr/bin/python3
#===- fmnist_data.py - Fashion-MNIST slices as .npy files -----------------===#
#
#   fmnist_data.py IMAGES.npy LABELS.npy [--split train|t10k] [--offset N]
#                  [--count N] [--dir DIR]
#
# Reads Debian's dataset-fashion-mnist IDX files (gzip'd, in DIR, default
# /usr/share/datasets/fashion-mnist) and writes images [offset, offset +
# count) as float32 [count, 1, 28, 28] scaled to [0, 1] (the models' input
# `image`, as tools/scripts/train-fmnist.py feeds them) and their labels as
# int64 [count]. The split used for early-exit calibration is the last
# 5,000 training images (--split train --offset 55000); t10k is the test
# split.
#
#===----------------------------------------------------------------------===#
import argparse
import gzip
import os
import struct
import sys

import numpy as np


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    zero, dtype, dims = struct.unpack(">HBB", data[:4])
    if zero != 0 or dtype != 0x08:
        sys.exit(f"{path}: not an unsigned-byte IDX file")
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    return np.frombuffer(data, np.uint8, offset=4 + 4 * dims).reshape(shape)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("images")
    parser.add_argument("labels")
    parser.add_argument("--split", choices=("train", "t10k"), default="t10k")
    parser.add_argument("--offset", type=int, default=0)
    parser.add_argument("--count", type=int, default=None)
    parser.add_argument("--dir", default="/usr/share/datasets/fashion-mnist")
    args = parser.parse_args()
    images = read_idx(os.path.join(args.dir,
                                   f"{args.split}-images-idx3-ubyte.gz"))
    labels = read_idx(os.path.join(args.dir,
                                   f"{args.split}-labels-idx1-ubyte.gz"))
    end = len(images) if args.count is None else args.offset + args.count
    if not 0 <= args.offset < end <= len(images):
        sys.exit(f"samples [{args.offset}, {end}) are not within the "
                 f"{len(images)} of the {args.split} split")
    x = images[args.offset:end].astype(np.float32) / np.float32(255)
    np.save(args.images, x.reshape(-1, 1, 28, 28))
    np.save(args.labels, labels[args.offset:end].astype(np.int64))


if __name__ == "__main__":
    main()
