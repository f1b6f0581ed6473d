#pragma once
// Sixteen bytes per test on x86-64 (SSE2 is part of its baseline): the escapers, the UTF-8 check and the
// XML scanner find the next byte that needs a look with one compare and one movemask per block. Other
// CPUs keep the eight-byte SWAR path of util/swar.hpp; callers test kSse2 to pick one.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace ki::simd {

// Whether the `k` bytes at a and b are equal: a plain loop, inlined, for the few middle bytes of the short
// needles of find() and the short names the XML scanner compares, where a call to memcmp cost more than the
// compare.
inline bool same_bytes(const char* a, const char* b, std::size_t k) {
  for (std::size_t j = 0; j < k; ++j)
    if (a[j] != b[j]) return false;
  return true;
}

#if defined(__SSE2__)
inline constexpr bool kSse2 = true;

inline __m128i load(const void* p) { return _mm_loadu_si128(static_cast<const __m128i*>(p)); }
// The `n` (< 8) bytes at p in the low bytes of a word, the rest filled with `pad`. Built in registers
// with overlapping loads: a store into a stack block followed by a wider load stalls on store forwarding.
inline std::uint64_t word_tail(const unsigned char* p, std::size_t n, unsigned char pad) {
  const std::uint64_t pads = 0x0101010101010101ull * pad;
  std::uint64_t x = 0;
  if (n >= 4) {
    std::uint32_t a, b;
    std::memcpy(&a, p, 4);
    std::memcpy(&b, p + n - 4, 4);
    x = a | (static_cast<std::uint64_t>(b) << (8 * (n - 4)));  // overlapping bytes are equal: OR keeps them
  } else if (n > 0) {
    x = p[0] | (static_cast<std::uint64_t>(p[n / 2]) << (8 * (n / 2))) |
        (static_cast<std::uint64_t>(p[n - 1]) << (8 * (n - 1)));
  }
  return x | (pads << (8 * n));
}
// The last `n` (< 16) bytes at p, padded with `pad` (a byte every caller treats as plain), so a short
// value is one block too and nothing is read past its end.
inline __m128i load_tail(const void* p, std::size_t n, char pad = ' ') {
  const auto* b = static_cast<const unsigned char*>(p);
  const auto u = static_cast<unsigned char>(pad);
  if (n >= 8) {
    std::uint64_t lo;
    std::memcpy(&lo, b, 8);
    return _mm_set_epi64x(static_cast<long long>(word_tail(b + 8, n - 8, u)), static_cast<long long>(lo));
  }
  return _mm_set_epi64x(static_cast<long long>(0x0101010101010101ull * u), static_cast<long long>(word_tail(b, n, u)));
}
inline __m128i splat(char c) { return _mm_set1_epi8(c); }
inline __m128i eq(__m128i v, char c) { return _mm_cmpeq_epi8(v, splat(c)); }
inline __m128i eq_block(__m128i a, __m128i b) { return _mm_cmpeq_epi8(a, b); }
// Bytes that are controls (< 0x20) or not ASCII (>= 0x80): one signed compare catches both.
inline __m128i control_or_high(__m128i v) { return _mm_cmplt_epi8(v, splat(0x20)); }
// Bytes that are controls (< 0x20) and nothing else: the unsigned minimum with 0x1F leaves them as they are.
inline __m128i control(__m128i v) { return _mm_cmpeq_epi8(_mm_min_epu8(v, splat(0x1F)), v); }
inline unsigned mask(__m128i v) { return static_cast<unsigned>(_mm_movemask_epi8(v)); }

// Offset of the first `c` in [p, p + n), or n: inline, for the many short distances between the tags of an
// event, where a call to memchr costs more than the scan.
inline std::size_t find_byte(const char* p, std::size_t n, char c) {
  std::size_t i = 0;
  for (; i + 16 <= n; i += 16)
    if (const unsigned m = mask(eq(load(p + i), c))) return i + static_cast<std::size_t>(__builtin_ctz(m));
  if (i < n)
    if (const unsigned m = mask(eq(load_tail(p + i, n - i, static_cast<char>(c ^ 1)), c)))
      return i + static_cast<std::size_t>(__builtin_ctz(m));
  return n;
}

// Offset of the first `a` or `b` in [p, p + n), or n: one scan where two find_byte calls would walk the
// same bytes twice (the end of an XML name or text, and whether a reference comes before it).
inline std::size_t find_either(const char* p, std::size_t n, char a, char b) {
  const char pad = (a != ' ' && b != ' ') ? ' ' : (a != 'x' && b != 'x') ? 'x' : 'y';
  std::size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    const __m128i v = load(p + i);
    if (const unsigned m = mask(_mm_or_si128(eq(v, a), eq(v, b))))
      return i + static_cast<std::size_t>(__builtin_ctz(m));
  }
  if (i < n) {
    const __m128i v = load_tail(p + i, n - i, pad);
    if (const unsigned m = mask(_mm_or_si128(eq(v, a), eq(v, b))))
      return i + static_cast<std::size_t>(__builtin_ctz(m));
  }
  return n;
}

// Offset of the first `needle` (at least 2 bytes) in [p, p + n), or n. Each block tests the needle's first
// and last bytes at 16 places at once and compares the rest only where both match: glibc's memmem walks
// such short needles about a byte at a time.
inline std::size_t find(const char* p, std::size_t n, std::string_view needle) {
  const std::size_t k = needle.size();
  if (n < k) return n;
  const std::size_t last = n - k;  // the last place the needle can start
  const __m128i first = splat(needle[0]);
  const __m128i end_byte = splat(needle[k - 1]);
  std::size_t i = 0;
  for (; i + 15 <= last; i += 16) {  // reads up to p[i + 15 + k - 1] <= p[n - 1]
    unsigned m = mask(_mm_and_si128(eq_block(load(p + i), first), eq_block(load(p + i + k - 1), end_byte)));
    while (m != 0) {
      const std::size_t at = i + static_cast<std::size_t>(__builtin_ctz(m));
      if (same_bytes(p + at + 1, needle.data() + 1, k - 2)) return at;
      m &= m - 1;
    }
  }
  for (; i <= last; ++i)
    if (p[i] == needle[0] && std::memcmp(p + i, needle.data(), k) == 0) return i;
  return n;
}
#else
inline constexpr bool kSse2 = false;

inline std::size_t find(const char* p, std::size_t n, std::string_view needle) {
  const void* at = ::memmem(p, n, needle.data(), needle.size());
  return at ? static_cast<std::size_t>(static_cast<const char*>(at) - p) : n;
}

inline std::size_t find_byte(const char* p, std::size_t n, char c) {
  const void* at = std::memchr(p, c, n);
  return at ? static_cast<std::size_t>(static_cast<const char*>(at) - p) : n;
}

inline std::size_t find_either(const char* p, std::size_t n, char a, char b) {
  std::size_t i = 0;
  while (i < n && p[i] != a && p[i] != b) ++i;
  return i;
}
#endif

}  // namespace ki::simd
