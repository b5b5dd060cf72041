//===- File.h - Bounded reading of untrusted files in the runtime -*- C++
//-*-===//
//
// Every file the runtime and npu-run read (a .npub, an input tensor, labels)
// comes through readRegularFile(): regular files only (a FIFO would hang the
// reader, /dev/zero would fill memory), at most a documented size, checked
// before the first byte is read. The compiler's counterpart is
// include/npu/Support/InputFile.h; the limits are in
// docs/system-description.md ("Limits").
//
//===----------------------------------------------------------------------===//

#ifndef NPU_RT_FILE_H
#define NPU_RT_FILE_H

#include <cstdint>
#include <string>
#include <vector>

namespace npu::rt {

/// The largest file the runtime reads: below 2 GiB, the FlatBuffers limit of
/// a .npub (docs/binary-format.md); tensor files share it.
constexpr uint64_t kMaxFileBytes = (uint64_t(2) << 30) - 1;

/// Reads the whole regular file `path` into `bytes`. Refuses, before
/// reading, anything that is not a regular file and files over `maxBytes`.
/// On failure returns false and sets `error`: "cannot open 'PATH': ...",
/// "cannot read 'PATH': it is a FIFO, not a regular file", "cannot read
/// 'PATH': N bytes are more than the limit of M bytes".
bool readRegularFile(const std::string &path, std::vector<uint8_t> &bytes,
                     std::string &error, uint64_t maxBytes = kMaxFileBytes);

} // namespace npu::rt

#endif // NPU_RT_FILE_H
