//===- NpubSchema.h - The generated .npub API, warnings off -----*- C++ -*-===//
//
// flatc's generated code trips -Wcovered-switch-default; it is not ours to
// fix, and add_mlir_library's object libraries lose the SYSTEM flag of the
// npurt_schema include directory, so the emitter and the importer include
// the generated API through this header.
//
//===----------------------------------------------------------------------===//

#ifndef NPU_LIB_TARGET_BINARY_NPUBSCHEMA_H
#define NPU_LIB_TARGET_BINARY_NPUBSCHEMA_H

#if defined(__clang__)
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wcovered-switch-default"
#endif
#include "npu/rt/npub_generated.h"
#if defined(__clang__)
#pragma clang diagnostic pop
#endif

#endif // NPU_LIB_TARGET_BINARY_NPUBSCHEMA_H
