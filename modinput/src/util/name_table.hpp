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

  // FNV-1a: cheap for names of a few dozen bytes and spreads these well enough.
  static constexpr std::size_t hash(std::string_view s) {
    std::uint32_t h = 2166136261u;
    for (char c : s) h = (h ^ static_cast<unsigned char>(c)) * 16777619u;
    return h;
  }

  std::array<std::string_view, N> names_;
  std::array<std::int16_t, kSize> slots_{};
};

}  // namespace ki
