//===- Arith.h - Overflow-safe integer helpers of the runtime ---*- C++ -*-===//
//
// Operands of a binary are untrusted 64-bit integers: every sum or product
// the loader and the simulator form from them goes through these helpers,
// which either saturate (extents: an absurd extent fails a bounds check
// instead of wrapping back into range) or report the overflow.
//
//===----------------------------------------------------------------------===//

#ifndef NPU_RT_SRC_ARITH_H
#define NPU_RT_SRC_ARITH_H

#include <cstdint>
#include <initializer_list>
#include <limits>

namespace npu::rt::detail {

constexpr int64_t kInt64Max = std::numeric_limits<int64_t>::max();

/// a + b, or INT64_MAX when it overflows (either direction).
inline int64_t addSat(int64_t a, int64_t b) {
  int64_t result;
  return __builtin_add_overflow(a, b, &result) ? kInt64Max : result;
}

/// The product of `factors`, or INT64_MAX when it overflows.
inline int64_t mulSat(std::initializer_list<int64_t> factors) {
  int64_t result = 1;
  for (int64_t factor : factors)
    if (__builtin_mul_overflow(result, factor, &result))
      return kInt64Max;
  return result;
}

/// Bytes from the first to one past the last byte of `rows` rows of
/// `rowBytes` bytes spaced `stride` apart (the compiler's stridedExtent).
inline int64_t stridedExtent(int64_t rows, int64_t rowBytes, int64_t stride) {
  return addSat(mulSat({rows - 1, stride}), rowBytes);
}

/// Checked arithmetic that remembers whether anything overflowed.
class Checked {
public:
  int64_t add(int64_t a, int64_t b) {
    int64_t result = 0;
    if (__builtin_add_overflow(a, b, &result))
      overflowed = true;
    return result;
  }
  int64_t sub(int64_t a, int64_t b) {
    int64_t result = 0;
    if (__builtin_sub_overflow(a, b, &result))
      overflowed = true;
    return result;
  }
  int64_t mul(int64_t a, int64_t b) {
    int64_t result = 0;
    if (__builtin_mul_overflow(a, b, &result))
      overflowed = true;
    return result;
  }
  /// ceil(a / b) for a >= 0, b > 0.
  int64_t ceilDiv(int64_t a, int64_t b) {
    if (b <= 0 || a < 0) {
      overflowed = true;
      return 0;
    }
    return a / b + (a % b != 0);
  }
  bool failed() const { return overflowed; }

private:
  bool overflowed = false;
};

} // namespace npu::rt::detail

#endif // NPU_RT_SRC_ARITH_H
