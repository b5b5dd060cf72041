#!/usr/bin/env python3
# Helpers of the npu-run lit tests. Independent of the runtime's C++ code:
# .npy goes through numpy, ONNX TensorProto (.pb) through the small protobuf
# codec below, so a test compares two implementations.
#
#   save FILE DTYPE SHAPE V...  write a tensor (.npy, or .pb with raw_data;
#                               FILE ending in .typed.pb: the typed field)
#   show FILE                   print "DTYPE[SHAPE] = [V, ...]" (and the .pb name)
#   report FILE.json            check every counter of every chip that ran is
#                               {"budget": B, "measured": M} with B == M and
#                               print one summary line per chip
#   trace FILE.json             check a Chrome/Perfetto trace and print one
#                               line per chip (its engines and events), and
#                               for a power track one more line per chip:
#                               its states in order, with their inputs
import json
import struct
import sys
from decimal import Decimal
from fractions import Fraction

import numpy as np

# ONNX TensorProto.DataType codes and numpy types of the runtime's dtypes.
ONNX = {"f32": 1, "ui8": 2, "i8": 3, "i32": 6, "f16": 10}
NUMPY = {"f32": np.float32, "ui8": np.uint8, "i8": np.int8, "i32": np.int32,
         "f16": np.float16}
FROM_ONNX = {v: k for k, v in ONNX.items()}


def varint(value):
    value &= (1 << 64) - 1
    out = bytearray()
    while value >= 0x80:
        out.append(value & 0x7F | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def read_varint(data, pos):
    value, shift = 0, 0
    while True:
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return value, pos


def encode_pb(name, dtype, array, typed):
    out = b"".join(b"\x08" + varint(d) for d in array.shape)
    out += b"\x10" + varint(ONNX[dtype])
    out += b"\x42" + varint(len(name)) + name.encode()
    if not typed:
        raw = array.astype(array.dtype.newbyteorder("<")).tobytes()
        return out + b"\x4a" + varint(len(raw)) + raw
    if dtype == "f32":  # packed float_data (field 4)
        raw = array.astype("<f4").tobytes()
        return out + b"\x22" + varint(len(raw)) + raw
    if dtype == "f16":  # float16 bits in int32_data (field 5), unpacked
        return out + b"".join(b"\x28" + varint(int(v))
                              for v in array.view(np.uint16).ravel())
    return out + b"".join(b"\x28" + varint(int(v)) for v in array.ravel())


def decode_pb(data):
    fields = {"dims": [], "name": "", "raw": None, "type": 0}
    pos = 0
    while pos < len(data):
        key, pos = read_varint(data, pos)
        field, wire = key >> 3, key & 7
        if wire == 0:
            value, pos = read_varint(data, pos)
            if field == 1:
                fields["dims"].append(value)
            elif field == 2:
                fields["type"] = value
        elif wire == 2:
            length, pos = read_varint(data, pos)
            payload = data[pos:pos + length]
            pos += length
            if field == 8:
                fields["name"] = payload.decode()
            elif field == 9:
                fields["raw"] = payload
        else:
            sys.exit(f"unexpected wire type {wire} in the .pb file")
    dtype = FROM_ONNX[fields["type"]]
    array = np.frombuffer(fields["raw"], dtype=np.dtype(NUMPY[dtype]).newbyteorder("<"))
    return fields["name"], dtype, array.reshape(fields["dims"])


def fmt(value):
    value = float(value)
    return str(int(value)) if value.is_integer() else repr(value)


def save(path, dtype, shape, values):
    shape = tuple(int(d) for d in shape.split(",")) if shape else ()
    array = np.array([float(v) for v in values], dtype=NUMPY[dtype]).reshape(shape)
    if path.endswith(".npy"):
        np.save(path, array)
    else:
        name = path.rsplit("/", 1)[-1].split(".")[0]
        with open(path, "wb") as f:
            f.write(encode_pb(name, dtype, array, path.endswith(".typed.pb")))


def show(path):
    if path.endswith(".npy"):
        array = np.load(path)
        dtype = {v: k for k, v in NUMPY.items()}[array.dtype.type]
        prefix = ""
    else:
        name, dtype, array = decode_pb(open(path, "rb").read())
        prefix = f"name {name}: "
    shape = ", ".join(str(d) for d in array.shape)
    values = ", ".join(fmt(v) for v in array.ravel())
    print(f"{prefix}{dtype}[{shape}] = [{values}]")


def report(path):
    doc = json.load(open(path))
    for key in ("model", "system", "budgets_match", "inputs", "outputs", "chips"):
        assert key in doc, f"report has no {key!r}"
    for chip in doc["chips"]:
        counters = chip["counters"]
        if not chip["ran"]:
            assert counters == {}, chip
            print(f"chip {chip['chip']} {chip['name']}: did not run")
            continue
        assert len(counters) == 14, sorted(counters)
        for name, counter in counters.items():
            assert set(counter) == {"budget", "measured"}, (name, counter)
            assert counter["budget"] == counter["measured"], (chip["chip"], name, counter)
        checks = " ".join(f"exit{c['exit']}={'yes' if c['confident'] else 'no'}"
                          for c in chip["exit_checks"])
        print(f"chip {chip['chip']} {chip['name']}: program {chip['program']}, "
              f"path {chip['path']}, {len(counters)} counters equal, "
              f"cycles {counters['cycles']['measured']}, start {chip['start_cycle']}"
              + (f", checks {checks}" if checks else ""))
    print("outputs: " + ", ".join(f"{o['name']} {o['dtype']}{o['shape']}"
                                  for o in doc["outputs"]))


def trace(path):
    doc = json.load(open(path), parse_float=Decimal)
    events = doc["traceEvents"]
    names = {}
    threads = {}
    per_chip = {}
    power = {}
    for e in events:
        if e["ph"] == "M":
            if e["name"] == "process_name":
                names[e["pid"]] = e["args"]["name"]
            elif e["name"] == "thread_name":
                threads.setdefault(e["pid"], {})[e["tid"]] = e["args"]["name"]
            continue
        assert e["ph"] == "X", e
        assert e["pid"] in names and e["tid"] in threads[e["pid"]], e
        assert e["cat"] == threads[e["pid"]][e["tid"]], e
        if e["cat"] == "power":
            # Exact picoseconds; each chip's intervals follow each other.
            start, end = e["args"]["start_ps"], e["args"]["end_ps"]
            assert Fraction(e["ts"]) * 10**6 == start, e
            assert Fraction(e["dur"]) * 10**6 == end - start > 0, e
            track = power.setdefault(e["pid"], [])
            assert not track or track[-1][2] == start, (track[-1], e)
            track.append((e["name"], start, end, e["args"]["input"]))
            continue
        # ts and dur are exact: cycles x picoseconds per cycle / 10^6.
        ps = Fraction(e["ts"]) * 10**6 / e["args"]["start_cycle"] if e["args"]["start_cycle"] else None
        dur = Fraction(e["dur"]) * 10**6
        if e["args"]["cycles"]:
            period = dur / e["args"]["cycles"]
            assert period.denominator == 1, e
            if ps is not None:
                assert ps == period, e
        per_chip.setdefault(e["pid"], []).append(e)
    for pid in sorted(per_chip):
        evs = per_chip[pid]
        indices = [e["args"]["index"] for e in evs]
        engines = sorted({e["cat"] for e in evs})
        print(f"chip {pid} {names[pid]}: {len(evs)} events, indices "
              f"{indices[0]}..{indices[-1]}, engines {' '.join(engines)}: "
              + " ".join(e["name"] for e in evs))
    for pid in sorted(power):
        track = power[pid]
        assert track[0][1] == 0, track[0]
        print(f"chip {pid} {names[pid]} power until {track[-1][2]} ps: "
              + " ".join(f"{name}[{inp}]" for name, _, _, inp in track))


def main():
    command, args = sys.argv[1], sys.argv[2:]
    if command == "save":
        save(args[0], args[1], args[2], args[3:])
    elif command == "show":
        show(args[0])
    elif command == "report":
        report(args[0])
    elif command == "trace":
        trace(args[0])
    else:
        sys.exit(f"unknown command {command}")


if __name__ == "__main__":
    main()
