#pragma once
// A fixed set of names looked up in O(1): a small open-addressing hash table built at compile time, so a
// stage can classify each field name with one hash and (usually) one comparison instead of a linear
// search through dozens of names.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace ki {

template <std::size_t N>
class NameTable {
 public:
  static constexpr int kNone = -1;

  constexpr explicit NameTable(const std::array<std::string_view, N>& names) : names_(names) {
    for (auto& s : slots_) s = kNone;
    for (std::size_t i = 0; i < N; ++i) {
      std::size_t h = hash(names[i]) & kMask;
      while (slots_[h] != kNone) h = (h + 1) & kMask;
      slots_[h] = static_cast<std::int16_t>(i);
    }
  }

  // The index of `name` in the array the table was built from, or kNone.
  constexpr int find(std::string_view name) const {
    for (std::size_t h = hash(name) & kMask;; h = (h + 1) & kMask) {
      const int i = slots_[h];
      if (i == kNone) return kNone;
      if (names_[static_cast<std::size_t>(i)] == name) return i;
    }
  }
  constexpr std::string_view name(std::size_t i) const { return names_[i]; }

 private:
  // At least 4 slots per name keeps probe chains short; a power of two makes the wrap a mask.
  static constexpr std::size_t kSize = [] {
    std::size_t s = 16;
    while (s < 4 * N) s *= 2;
    return s;
  }();
  static constexpr std::size_t kMask = kSize - 1;

  // The length and five sampled bytes (both ends and the middle), packed into one word and spread by one
  // multiplication (Fibonacci hashing): a fixed, short cost whatever the name's length, where hashing every
  // byte was the larger part of a lookup. Names that sample alike only probe one slot further; the
  // comparison keeps the answer exact.
  static constexpr std::size_t hash(std::string_view s) {
    const std::size_t n = s.size();
    const auto at = [&s](std::size_t i) { return static_cast<std::uint32_t>(static_cast<unsigned char>(s[i])); };
    std::uint32_t x = static_cast<std::uint32_t>(n) << 24;
    if (n > 0) x ^= (at(0) << 16) ^ (at(n / 2) << 8) ^ at(n - 1);
    if (n >= 4) x ^= (at(1) << 20) ^ (at(n - 2) << 4);
    return (x * 2654435761u) >> 12;
  }

  std::array<std::string_view, N> names_;
  std::array<std::int16_t, kSize> slots_{};
};

}  // namespace ki
