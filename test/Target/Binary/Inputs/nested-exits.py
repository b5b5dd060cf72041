#!/usr/bin/env python3
# Prints a module whose program nests N exit checks, each exit path holding
# the next check and a halt. With `sibling`, the innermost check is followed
# by a second check at the same depth. The attribute aliases (#chip0,
# #system) are taken from the file given as the first argument.
#
#   nested-exits.py FILE N [sibling]
import sys

aliases = [line for line in open(sys.argv[1]) if line.startswith("#")]
depth = int(sys.argv[2])
sibling = len(sys.argv) > 3 and sys.argv[3] == "sibling"
check = ("npuisa.exit_check src(0) classes(2) dtype(f32) measure(max_prob) "
         "threshold(0.5) {\n")
halt = "npuisa.halt\n"
# The contents of the region that holds the innermost check.
body = check + halt + "}\n"
if sibling:
    body += check + halt + "}\n"
body += halt
for _ in range(depth - 1):
    body = check + body + "}\n" + halt
print("".join(aliases), end="")
print("module attributes {npu.inputs = [], npu.outputs = [], "
      "npu.system = #system} {")
print("npuisa.program @deep chip(0) {")
print("npuisa.fill dst(0) count(2) value(1.0) dtype(f32)")
print(body, end="")
print("}\n}")
