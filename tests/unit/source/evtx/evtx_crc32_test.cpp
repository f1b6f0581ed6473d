#include "source/evtx/evtx_crc32.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string_view>
#include <vector>

namespace {

TEST(EvtxCrc32, MatchesTheStandardCheckValue) {
  constexpr std::string_view check = "123456789";
  EXPECT_EQ(ki::evtx::crc32(reinterpret_cast<const std::uint8_t*>(check.data()), check.size()), 0xCBF43926u);
  EXPECT_EQ(ki::evtx::crc32(nullptr, 0), 0u);
}

TEST(EvtxCrc32, ContinuesAcrossPieces) {
  std::vector<std::uint8_t> bytes(1000);
  for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<std::uint8_t>(i * 7 + 3);
  const std::uint32_t whole = ki::evtx::crc32(bytes.data(), bytes.size());
  for (std::size_t split : {0u, 1u, 7u, 8u, 13u, 999u}) {
    const std::uint32_t first = ki::evtx::crc32(bytes.data(), split);
    EXPECT_EQ(ki::evtx::crc32(bytes.data() + split, bytes.size() - split, first), whole) << split;
  }
}

// The carry-less multiply path handles lengths of 64 and more; every length, alignment and starting value
// must give what the tables give.
TEST(EvtxCrc32, FastPathAgreesWithTheTables) {
  std::mt19937 rng(20261122);
  std::vector<std::uint8_t> bytes(70000);
  for (auto& b : bytes) b = static_cast<std::uint8_t>(rng());
  int mismatches = 0;
  for (int i = 0; i < 3000; ++i) {
    const std::size_t offset = rng() % 64;
    const std::size_t size = i < 2000 ? rng() % 400 : rng() % (bytes.size() - 64);
    const std::uint32_t init = rng();
    if (ki::evtx::crc32(bytes.data() + offset, size, init) != ki::evtx::crc32_portable(bytes.data() + offset, size, init))
      ++mismatches;
  }
  EXPECT_EQ(mismatches, 0);
  // A whole chunk's record area, the size the reader checksums most.
  EXPECT_EQ(ki::evtx::crc32(bytes.data(), 65024), ki::evtx::crc32_portable(bytes.data(), 65024));
}

}  // namespace
