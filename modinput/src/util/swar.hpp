#pragma once
// Eight bytes at a time ("SIMD within a register", after Bit Twiddling Hacks): the escapers and the UTF-8
// check skip long runs of plain ASCII with one test per word instead of one per byte.

#include <cstdint>
#include <cstring>

namespace ki::swar {

inline constexpr std::uint64_t kOnes = 0x0101010101010101ull;
inline constexpr std::uint64_t kHigh = 0x8080808080808080ull;

inline std::uint64_t load(const void* p) {
  std::uint64_t x;
  std::memcpy(&x, p, sizeof x);
  return x;
}
// The last `n` (< 8) bytes at p, padded with spaces (plain for every escaper), so a short tail needs no
// byte loop when it is plain.
inline std::uint64_t load_tail(const void* p, std::size_t n) {
  std::uint64_t x = kOnes * ' ';
  std::memcpy(&x, p, n);
  return x;
}
// High bit set in each byte that is zero / equal to c / below c (c <= 128). Exact as a whole-word
// "any" test; single byte positions may carry false positives above a true one.
inline std::uint64_t zero_bytes(std::uint64_t x) { return (x - kOnes) & ~x & kHigh; }
inline std::uint64_t bytes_equal(std::uint64_t x, unsigned char c) { return zero_bytes(x ^ (kOnes * c)); }
inline std::uint64_t bytes_below(std::uint64_t x, unsigned char c) { return (x - kOnes * c) & ~x & kHigh; }
inline bool all_ascii(std::uint64_t x) { return (x & kHigh) == 0; }

}  // namespace ki::swar
