//===- Random.h - The serving layer's one random number stream --*- C++ -*-===//
//
// splitmix64: fixed and portable, so that a seed gives the same trace and
// the same generated inputs on every machine and standard library.
//
//===----------------------------------------------------------------------===//

#ifndef NPU_SERVE_RANDOM_H
#define NPU_SERVE_RANDOM_H

#include <cstdint>

namespace npu::serve {

/// Advances `state` and returns the next 64 random bits.
inline uint64_t splitmix64(uint64_t &state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

} // namespace npu::serve

#endif // NPU_SERVE_RANDOM_H
