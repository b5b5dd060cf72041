#!/usr/bin/env python3
# Writes a .npy file of zeros (NumPy format 1.0), for npu-run inputs.
#
#   write-npy.py FILE DESCR SHAPE      e.g. write-npy.py x.npy '<f4' 1,28,28
import struct
import sys

path, descr, shape = sys.argv[1], sys.argv[2], sys.argv[3]
dims = [int(d) for d in shape.split(",")]
count = 1
for d in dims:
    count *= d
itemsize = int(descr[2:])
header = "{'descr': '%s', 'fortran_order': False, 'shape': (%s), }" % (
    descr, "".join("%d, " % d for d in dims).rstrip(" "))
header += " " * (63 - (10 + len(header)) % 64) + "\n"
with open(path, "wb") as f:
    f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)))
    f.write(header.encode("latin1"))
    f.write(bytes(count * itemsize))
