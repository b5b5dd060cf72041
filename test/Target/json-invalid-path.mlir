// A description that is neither a preset nor a readable file: one error that
// lists the presets and says why the file could not be read.

// RUN: not npu-opt %s --npu-set-system=system=%S/Inputs/does-not-exist.json 2>&1 | FileCheck %s --check-prefix=MISSING --implicit-check-not=error:
// RUN: not npu-opt %s --npu-set-system=system=mesh-3x3 2>&1 | FileCheck %s --check-prefix=PRESET --implicit-check-not=error:
// RUN: not npu-opt %s --npu-set-system=system=%S/Inputs 2>&1 | FileCheck %s --check-prefix=DIRECTORY --implicit-check-not=error:
// RUN: not npu-opt %s --npu-set-system=system=%S/Inputs/does-not-exist.json 2>/dev/null | count 0
// RUN: not npu-opt %s --npu-set-system=system=mesh-3x3 2>/dev/null | count 0

// MISSING: json-invalid-path.mlir:[[# @LINE + 6]]:1: error: system description '{{.*}}/Inputs/does-not-exist.json' is neither a preset (single, e1-package, mesh-2x2, mesh-4x4) nor a readable file: No such file or directory

// PRESET: error: system description 'mesh-3x3' is neither a preset (single, e1-package, mesh-2x2, mesh-4x4) nor a readable file: No such file or directory

// DIRECTORY: error: system description '{{.*}}/Inputs': it is a directory, not a regular file

module {}
