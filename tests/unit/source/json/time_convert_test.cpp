#include "source/json/time_convert.hpp"

#include <gtest/gtest.h>

namespace {

using ki::timefmt::format_utc;
using ki::timefmt::parse_iso;
using ki::timefmt::parse_us;

TEST(TimeConvert, ParsesIsoFormsAndConvertsZonesToUtc) {
  auto t = parse_iso("2020-06-09 22:51:02");
  ASSERT_TRUE(t);
  EXPECT_FALSE(t->zoned);
  EXPECT_EQ(format_utc(t->seconds, t->fraction), "2020-06-09T22:51:02Z");
  t = parse_iso("2022-12-14T17:07:03.331+01:00");
  ASSERT_TRUE(t);
  EXPECT_TRUE(t->zoned);
  EXPECT_EQ(format_utc(t->seconds, t->fraction), "2022-12-14T16:07:03.331Z");
  t = parse_iso("2024-01-01T00:30:00-0130");
  ASSERT_TRUE(t);
  EXPECT_EQ(format_utc(t->seconds, t->fraction), "2024-01-01T02:00:00Z");
  t = parse_iso("2025-07-30T20:22:05.731936500Z");
  ASSERT_TRUE(t);
  EXPECT_EQ(format_utc(t->seconds, t->fraction), "2025-07-30T20:22:05.731936500Z");
  EXPECT_EQ(format_utc(0, ""), "1970-01-01T00:00:00Z");
  EXPECT_EQ(format_utc(951782400, ""), "2000-02-29T00:00:00Z");
}

TEST(TimeConvert, RejectsMalformedTimes) {
  EXPECT_FALSE(parse_iso(""));
  EXPECT_FALSE(parse_iso("2020-13-01 00:00:00"));
  EXPECT_FALSE(parse_iso("2021-02-29T00:00:00Z"));
  EXPECT_FALSE(parse_iso("2020-06-09 22:51:02 junk"));
  EXPECT_FALSE(parse_iso("2020-06-09T22:51"));
  EXPECT_FALSE(parse_us("13/01/2024 01:00:00 PM"));
  EXPECT_FALSE(parse_us("01/01/2024 13:00:00 PM"));
  EXPECT_FALSE(parse_us("LogName=Security"));
}

TEST(TimeConvert, ParsesSplunkClassicTimestamps) {
  auto t = parse_us("11/28/2024 04:58:44 PM");
  ASSERT_TRUE(t);
  EXPECT_EQ(format_utc(t->seconds, t->fraction), "2024-11-28T16:58:44Z");
  t = parse_us("1/2/2024 12:00:01 AM");
  ASSERT_TRUE(t);
  EXPECT_EQ(format_utc(t->seconds, t->fraction), "2024-01-02T00:00:01Z");
  t = parse_us("01/02/2024 12:00:01 PM");
  ASSERT_TRUE(t);
  EXPECT_EQ(format_utc(t->seconds, t->fraction), "2024-01-02T12:00:01Z");
  t = parse_us("01/02/2024 23:59:59");
  ASSERT_TRUE(t);
  EXPECT_EQ(format_utc(t->seconds, t->fraction), "2024-01-02T23:59:59Z");
}

}  // namespace
