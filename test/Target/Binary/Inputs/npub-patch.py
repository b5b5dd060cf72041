#!/usr/bin/env python3
# Overwrites scalars of a FlatBuffers file in place, to craft malformed .npub
# binaries for the disassembler's tests from a valid one.
#
#   npub-patch.py FILE PATH=VALUE:TYPE ...
#
# PATH walks from the root table by field index (the field's position in its
# table in runtime/schema/npub.fbs): `fN` is field N, `fN[i]` element i of the
# vector in field N. Every step but the last must be a table; the last names
# a scalar field or a scalar vector element. TYPE is u8, u32, i64, f32 or f64.
# The field must be present (npu-translate writes every scalar field).
#
#   npub-patch.py m.npub 'f5[0].f3[2].f5=99:u32'   # programs[0].instructions[2] field 5
#
# `PATH=misalign` instead moves the vector of 8-byte elements in field PATH
# to the end of the file, 4 bytes off 8-byte alignment (the FlatBuffers 2.0
# verifier checks only the alignment of a vector's length field):
#
#   npub-patch.py m.npub 'f3[0].f2=misalign'       # inputs[0].shape
import re
import struct
import sys

FORMATS = {"u8": "<B", "u32": "<I", "i64": "<q", "f32": "<f", "f64": "<d"}


def field_pos(data, table, field):
    vtable = table - struct.unpack_from("<i", data, table)[0]
    vsize = struct.unpack_from("<H", data, vtable)[0]
    slot = 4 + 2 * field
    offset = struct.unpack_from("<H", data, vtable + slot)[0] if slot < vsize else 0
    if not offset:
        sys.exit(f"field {field} is absent")
    return table + offset


def deref(data, pos):
    return pos + struct.unpack_from("<I", data, pos)[0]


def misalign(data, pos):
    """Repoints the vector offset at `pos` to a copy of its vector whose
    8-byte elements start 4 bytes off alignment."""
    vector = deref(data, pos)
    count = struct.unpack_from("<I", data, vector)[0]
    elements = data[vector + 4:vector + 4 + 8 * count]
    data.extend(bytes(-len(data) % 8))
    moved = len(data)  # 8-byte aligned, so the elements at moved + 4 are not
    data.extend(struct.pack("<I", count) + elements)
    struct.pack_into("<I", data, pos, moved - pos)


def patch(data, spec):
    path, value = spec.split("=")
    if value == "misalign":
        table = deref(data, 0)
        steps = path.split(".")
        for n, step in enumerate(steps):
            m = re.fullmatch(r"f(\d+)(?:\[(\d+)\])?", step)
            pos = field_pos(data, table, int(m.group(1)))
            if n == len(steps) - 1:
                return misalign(data, pos)
            if m.group(2) is not None:
                pos = deref(data, pos) + 4 + 4 * int(m.group(2))
            table = deref(data, pos)
    value, kind = value.split(":")
    fmt = FORMATS[kind]
    steps = path.split(".")
    table = deref(data, 0)
    for n, step in enumerate(steps):
        m = re.fullmatch(r"f(\d+)(?:\[(\d+)\])?", step)
        pos = field_pos(data, table, int(m.group(1)))
        last = n == len(steps) - 1
        if m.group(2) is not None:
            vector = deref(data, pos)
            index = int(m.group(2))
            if index >= struct.unpack_from("<I", data, vector)[0]:
                sys.exit(f"{step}: index out of range")
            size = struct.calcsize(fmt) if last else 4
            pos = vector + 4 + size * index
        if last:
            number = float(value) if kind in ("f32", "f64") else int(value)
            struct.pack_into(fmt, data, pos, number)
        else:
            table = deref(data, pos)


data = bytearray(open(sys.argv[1], "rb").read())
for spec in sys.argv[2:]:
    patch(data, spec)
open(sys.argv[1], "wb").write(data)
