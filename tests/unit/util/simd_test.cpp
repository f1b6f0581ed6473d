#include "util/simd.hpp"

#include <string>
#include <string_view>

#include <gtest/gtest.h>

namespace {

using ki::simd::find;
using ki::simd::find_byte;

// Every length and position around the 16-byte blocks, against std::string_view's answers.
TEST(Simd, FindByteAgreesWithStringViewAtEveryPlace) {
  for (std::size_t length = 0; length < 50; ++length) {
    const std::string text(length, 'a');
    EXPECT_EQ(find_byte(text.data(), text.size(), '<'), length) << length;
    for (std::size_t at = 0; at < length; ++at) {
      std::string hit = text;
      hit[at] = '<';
      if (at + 3 < length) hit[at + 3] = '<';  // only the first one counts
      EXPECT_EQ(find_byte(hit.data(), hit.size(), '<'), at) << length << " " << at;
      // The byte the tail is padded with must never be taken for the one searched for.
      EXPECT_EQ(find_byte(text.data(), text.size(), static_cast<char>('a' ^ 1)), length);
    }
  }
}

TEST(Simd, FindAgreesWithStringViewAtEveryPlace) {
  for (const std::string_view needle : {std::string_view("</Event"), std::string_view("<E"),
                                        std::string_view("\"EventID\"")}) {
    for (std::size_t length = 0; length < 60; ++length) {
      const std::string text(length, 'x');
      EXPECT_EQ(find(text.data(), text.size(), needle), length);
      for (std::size_t at = 0; at + needle.size() <= length; ++at) {
        std::string hit = text;
        hit.replace(at, needle.size(), needle);
        EXPECT_EQ(find(hit.data(), hit.size(), needle), at) << needle << " " << length << " " << at;
      }
    }
  }
  // Near misses: first and last bytes match, the middle does not.
  const std::string decoys = "<EventID></EventData></Events></EventRecordID></Event >";
  EXPECT_EQ(find(decoys.data(), decoys.size(), "</Event "), std::string_view(decoys).find("</Event "));
  EXPECT_EQ(find(decoys.data(), decoys.size(), "</Evant"), decoys.size());
}

TEST(Simd, SameBytesComparesEveryByte) {
  const std::string a = "EventRecordID";
  for (std::size_t k = 0; k <= a.size(); ++k) {
    EXPECT_TRUE(ki::simd::same_bytes(a.data(), a.data(), k));
    for (std::size_t at = 0; at < k; ++at) {
      std::string b = a;
      b[at] ^= 0x20;
      EXPECT_FALSE(ki::simd::same_bytes(a.data(), b.data(), k)) << k << " " << at;
    }
  }
}

#if defined(__SSE2__)
TEST(Simd, LoadTailKeepsTheBytesAndPadsTheRest) {
  const std::string text = "0123456789abcdef";
  for (std::size_t n = 0; n < 16; ++n) {
    alignas(16) char block[16];
    _mm_store_si128(reinterpret_cast<__m128i*>(block), ki::simd::load_tail(text.data(), n, '#'));
    EXPECT_EQ(std::string_view(block, n), text.substr(0, n)) << n;
    EXPECT_EQ(std::string_view(block + n, 16 - n), std::string(16 - n, '#')) << n;
  }
}
#endif

}  // namespace
