// Files that are not JSON objects: each is one error naming the file, with
// the line:column and byte offset the JSON parser stopped at. npu-opt exits
// non-zero and prints nothing on stdout.

// RUN: not npu-opt %s --npu-set-system=system=%S/Inputs/syntax-error.json 2>&1 | FileCheck %s --check-prefix=SYNTAX --implicit-check-not=error:
// RUN: not npu-opt %s --npu-set-system=system=%S/Inputs/truncated.json 2>&1 | FileCheck %s --check-prefix=TRUNCATED --implicit-check-not=error:
// RUN: not npu-opt %s --npu-set-system=system=%S/Inputs/empty.json 2>&1 | FileCheck %s --check-prefix=EMPTY --implicit-check-not=error:
// RUN: not npu-opt %s --npu-set-system=system=%S/Inputs/not-object.json 2>&1 | FileCheck %s --check-prefix=NOT-OBJECT --implicit-check-not=error:

// RUN: not npu-opt %s --npu-set-system=system=%S/Inputs/syntax-error.json 2>/dev/null | count 0
// RUN: not npu-opt %s --npu-set-system=system=%S/Inputs/truncated.json 2>/dev/null | count 0
// RUN: not npu-opt %s --npu-set-system=system=%S/Inputs/empty.json 2>/dev/null | count 0
// RUN: not npu-opt %s --npu-set-system=system=%S/Inputs/not-object.json 2>/dev/null | count 0

// SYNTAX: json-invalid-syntax.mlir:[[# @LINE + 5]]:1: error: system description {{.*}}/Inputs/syntax-error.json: invalid JSON: [3:3, byte=24]: Expected , or } after object property
// TRUNCATED: error: system description {{.*}}/Inputs/truncated.json: invalid JSON: [5:0, byte=81]: Expected object key
// EMPTY: error: system description {{.*}}/Inputs/empty.json: invalid JSON: [1:0, byte=0]: Unexpected EOF
// NOT-OBJECT: error: system description {{.*}}/Inputs/not-object.json: the top level must be an object

module {}
