"""Stops a compiled model at every checkpoint boundary and resumes it.

usage: checkpoints.py NPUB WORKDIR --bin TOOLS_DIR --input NAME=FILE ...

For each boundary of the binary's checkpoint table (npu-translate
--npub-to-mlir lists it as npuisa.checkpoints): npu-run --checkpoint-at
writes the state, npu-run --resume finishes the run on a fresh chip, both with
--check-budgets (drain, save, restore and the rest equal to the budgets), and
the outputs must equal the uninterrupted run's byte for byte. Prints one line
per boundary and a summary naming how many boundaries fall inside a layer:
between two tiles of one conv or matmul (same weights, same output buffer).
"""

import argparse
import filecmp
import os
import re
import subprocess
import sys


TOOLS = ""


def run(tool, *args):
    args = (os.path.join(TOOLS, tool),) + args
    done = subprocess.run(args, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"FAILED ({done.returncode}): {' '.join(args)}\n"
                 f"{done.stdout}{done.stderr}")
    return done.stdout


def layer_key(line):
    """The (kind, weights, output) of a conv or matmul tile, else None."""
    conv = re.search(r"npuisa\.conv input\(\d+\) weight\((\d+)\) "
                     r"output\((\d+)\)", line)
    if conv:
        return ("conv", conv.group(1), conv.group(2))
    matmul = re.search(r"npuisa\.matmul a\(\d+\) b\((\d+)\) c\((\d+)\)", line)
    if matmul:
        return ("matmul", matmul.group(1), matmul.group(2))
    return None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("npub")
    parser.add_argument("work")
    parser.add_argument("--bin", required=True,
                        help="the directory of npu-translate and npu-run")
    parser.add_argument("--input", action="append", default=[])
    args = parser.parse_args()
    global TOOLS
    TOOLS = args.bin
    inputs = [f"--input={binding}" for binding in args.input]
    os.makedirs(args.work, exist_ok=True)

    listing = run("npu-translate", "--npub-to-mlir", args.npub)
    indices = [int(i) for i in re.findall(r"index = (\d+) : i64", listing)]
    instrs = [line for line in listing.splitlines()
              if re.match(r"\s+npuisa\.[a-z_]+ ", line)
              and "npuisa.program" not in line]
    if not indices:
        sys.exit(f"FAILED: {args.npub} has no checkpoint boundaries")

    full = os.path.join(args.work, "full")
    run("npu-run", args.npub, *inputs, f"--output-dir={full}")
    inside = 0
    for index in indices:
        state = os.path.join(args.work, f"at{index}.npuc")
        resumed = os.path.join(args.work, f"resumed{index}")
        run("npu-run", args.npub, *inputs, f"--checkpoint-at={index}",
            f"--checkpoint={state}", "--check-budgets")
        run("npu-run", args.npub, *inputs, f"--resume={state}",
            "--check-budgets", f"--output-dir={resumed}")
        for name in sorted(os.listdir(full)):
            if not filecmp.cmp(os.path.join(full, name),
                               os.path.join(resumed, name), shallow=False):
                sys.exit(f"FAILED: boundary {index}: output {name} differs")
        before = [layer_key(line) for line in instrs[:index]]
        after = [layer_key(line) for line in instrs[index:]]
        last = next((k for k in reversed(before) if k), None)
        first = next((k for k in after if k), None)
        mid = last is not None and last == first
        inside += mid
        where = f"inside a {last[0]} layer" if mid else "between layers"
        print(f"boundary {index}: {where}, bit-identical")
    print(f"{len(indices)} boundaries, {inside} inside a layer, "
          f"all bit-identical")


if __name__ == "__main__":
    main()
