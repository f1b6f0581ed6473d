#include "source/evtx/evtx_crc32.hpp"

#include <gtest/gtest.h>

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

}  // namespace
