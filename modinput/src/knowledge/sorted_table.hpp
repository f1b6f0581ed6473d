#pragma once
// What every code table needs: a build-time check that its rows are sorted by key without repeats, and
// a binary search that answers nullptr for a value no row names.

#include <algorithm>
#include <cstddef>
#include <iterator>

namespace ki::knowledge {

template <typename Row, std::size_t N, typename KeyOf>
constexpr bool strictly_ascending(const Row (&rows)[N], KeyOf key_of) {
  for (std::size_t i = 1; i < N; ++i)
    if (!(key_of(rows[i - 1]) < key_of(rows[i]))) return false;
  return true;
}

template <typename Row, std::size_t N, typename Key, typename KeyOf>
const Row* find_sorted(const Row (&rows)[N], Key key, KeyOf key_of) {
  const Row* const it =
      std::lower_bound(std::begin(rows), std::end(rows), key, [&](const Row& row, Key k) { return key_of(row) < k; });
  return it != std::end(rows) && key_of(*it) == key ? it : nullptr;
}

}  // namespace ki::knowledge
