#include "source/evtx/evtx_values.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

using namespace ki::evtx;

std::string render(std::uint8_t type, const std::vector<std::uint8_t>& bytes) {
  std::string out;
  render_value(out, type, bytes.data(), bytes.size());
  return out;
}

std::vector<std::uint8_t> le(std::uint64_t v, int n) {
  std::vector<std::uint8_t> b;
  for (int i = 0; i < n; ++i) b.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
  return b;
}

std::vector<std::uint8_t> utf16(std::u16string_view s) {
  std::vector<std::uint8_t> b;
  for (char16_t c : s) {
    b.push_back(static_cast<std::uint8_t>(c & 0xFF));
    b.push_back(static_cast<std::uint8_t>(c >> 8));
  }
  return b;
}

TEST(EvtxValues, HexIntegersAreUnpaddedLowerCase) {
  EXPECT_EQ(render(kHexInt32, le(0x17, 4)), "0x17");
  EXPECT_EQ(render(kHexInt32, le(0, 4)), "0x0");
  EXPECT_EQ(render(kHexInt32, le(0x40810010, 4)), "0x40810010");
  EXPECT_EQ(render(kHexInt64, le(0x8020000000000000ULL, 8)), "0x8020000000000000");
  EXPECT_EQ(render(kSizeT, le(0xABC, 8)), "0xabc");
  EXPECT_EQ(render(kSizeT, le(0x10, 4)), "0x10");
}

TEST(EvtxValues, IntegersOfEverySize) {
  EXPECT_EQ(render(kInt8, {0xFB}), "-5");
  EXPECT_EQ(render(kUInt8, {200}), "200");
  EXPECT_EQ(render(kInt16, le(static_cast<std::uint16_t>(-300), 2)), "-300");
  EXPECT_EQ(render(kUInt16, le(65000, 2)), "65000");
  EXPECT_EQ(render(kInt32, le(static_cast<std::uint32_t>(-70000), 4)), "-70000");
  EXPECT_EQ(render(kUInt32, le(4000000000u, 4)), "4000000000");
  EXPECT_EQ(render(kInt64, le(static_cast<std::uint64_t>(-5000000000000LL), 8)), "-5000000000000");
  EXPECT_EQ(render(kUInt64, le(~0ULL, 8)), "18446744073709551615");
  EXPECT_EQ(render(kInt64, le(0x8000000000000000ULL, 8)), "-9223372036854775808");
}

TEST(EvtxValues, RealsBoolsAndBinary) {
  EXPECT_EQ(render(kReal32, le(0x3FC00000, 4)), "1.5");
  EXPECT_EQ(render(kReal64, le(0x3FD0000000000000ULL, 8)), "0.25");
  EXPECT_EQ(render(kBool, le(1, 4)), "true");
  EXPECT_EQ(render(kBool, le(0, 4)), "false");
  EXPECT_EQ(render(kBool, le(0xFFFFFFFF, 4)), "true");  // irregular bool values seen in real files
  EXPECT_EQ(render(kBinary, {0xde, 0xad, 0x0f}), "DEAD0F");
}

TEST(EvtxValues, GuidSidAndTimes) {
  const std::vector<std::uint8_t> guid = {0x25, 0x96, 0x84, 0x54, 0x78, 0x54, 0x94, 0x49,
                                          0xA5, 0xBA, 0x3E, 0x3B, 0x03, 0x28, 0xC3, 0x0D};
  EXPECT_EQ(render(kGuid, guid), "{54849625-5478-4994-A5BA-3E3B0328C30D}");
  std::vector<std::uint8_t> sid = {1, 2, 0, 0, 0, 0, 0, 5};
  for (auto b : le(21, 4)) sid.push_back(b);
  for (auto b : le(502, 4)) sid.push_back(b);
  EXPECT_EQ(render(kSid, sid), "S-1-5-21-502");
  sid[1] = 9;  // claims more sub-authorities than it has: kept visible as bytes, not read past the end
  EXPECT_EQ(render(kSid, sid).size(), 2 * sid.size());
  EXPECT_EQ(render(kFileTime, le(133983805257319365ULL, 8)), "2025-07-30T20:22:05.7319365Z");
  EXPECT_EQ(render(kFileTime, le(0, 8)), "1601-01-01T00:00:00.0000000Z");
  std::vector<std::uint8_t> st;
  for (unsigned v : {2025u, 7u, 3u, 30u, 20u, 22u, 5u, 731u})
    for (auto b : le(v, 2)) st.push_back(b);
  EXPECT_EQ(render(kSystemTime, st), "2025-07-30T20:22:05.7310000Z");
}

TEST(EvtxValues, StringsDropTheirTerminatorAndConvertToUtf8) {
  EXPECT_EQ(render(kWString, utf16(u"krbtgt")), "krbtgt");
  EXPECT_EQ(render(kWString, utf16(std::u16string(u"abc") + u'\0')), "abc");
  EXPECT_EQ(render(kWString, utf16(u"J\u00fcrgen \u7528")), "J\xC3\xBCrgen \xE7\x94\xA8");
  EXPECT_EQ(render(kWString, utf16(u"\U0001F600")), "\xF0\x9F\x98\x80");
  EXPECT_EQ(render(kWString, utf16(u"a\xD800z")), "a\xEF\xBF\xBDz");  // lone surrogate
  EXPECT_EQ(render(kAnsiString, {'x', 0x80, 0xE9, 0}), "x\xE2\x82\xAC\xC3\xA9");
  EXPECT_EQ(render(kWString, {}), "");
}

TEST(EvtxValues, ArraysAndUnknownTypes) {
  EXPECT_EQ(render(kWString | kArrayFlag, utf16(std::u16string(u"alpha\0beta\0", 11))), "alpha, beta");
  std::vector<std::uint8_t> ints = le(1, 4);
  for (auto b : le(0x20, 4)) ints.push_back(b);
  EXPECT_EQ(render(kHexInt32 | kArrayFlag, ints), "0x1, 0x20");
  EXPECT_EQ(render(kUInt32 | kArrayFlag, {1, 2, 3}), "010203");  // a size that is not a whole item count
  EXPECT_EQ(render(0x7F, {0xAB}), "AB");                        // unknown type: bytes stay visible
  EXPECT_EQ(render(kUInt32, {1, 2}), "0102");                   // wrong size for the type
  EXPECT_EQ(render(kBinXml, {1, 2}), "");
}

TEST(EvtxValues, IntegerValuesForTheEventIdFilter) {
  std::uint64_t v = 0;
  const auto b = le(4769, 2);
  EXPECT_TRUE(value_as_unsigned(kUInt16, b.data(), b.size(), v));
  EXPECT_EQ(v, 4769u);
  EXPECT_FALSE(value_as_unsigned(kUInt32, b.data(), b.size(), v));
  EXPECT_FALSE(value_as_unsigned(kWString, b.data(), b.size(), v));
}

TEST(EvtxValues, DecimalDigitsAtEveryLength) {
  std::uint64_t v = 0;
  for (int digits = 1; digits <= 20; ++digits) {
    for (std::uint64_t candidate : {v, v + 1, v * 10 + 9}) {
      std::string s;
      ki::evtx::append_decimal(s, candidate);
      EXPECT_EQ(s, std::to_string(candidate));
    }
    v = v * 10 + 7;
  }
  std::string s = "x";
  ki::evtx::append_decimal(s, 0);
  ki::evtx::append_decimal(s, 100);
  ki::evtx::append_signed(s, -10);
  EXPECT_EQ(s, "x0100-10");
}

// Strings longer than the stack buffer take the resize path; both must convert the same way.
TEST(EvtxValues, LongAndShortStringsConvertAlike) {
  std::vector<std::uint8_t> units;
  for (int i = 0; i < 600; ++i) {
    const std::uint16_t u = i % 7 == 0 ? 0x00FC : i % 11 == 0 ? 0x7528 : static_cast<std::uint16_t>('a' + i % 26);
    units.push_back(static_cast<std::uint8_t>(u & 0xFF));
    units.push_back(static_cast<std::uint8_t>(u >> 8));
  }
  std::string whole, pieces;
  ki::evtx::append_utf16(whole, units.data(), 600);
  for (std::size_t at = 0; at < 600; at += 100) ki::evtx::append_utf16(pieces, units.data() + 2 * at, 100);
  EXPECT_EQ(whole, pieces);
  EXPECT_EQ(whole.substr(0, 4), "\xC3\xBC" "bc");
}

}  // namespace
