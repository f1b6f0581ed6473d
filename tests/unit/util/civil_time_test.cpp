// The calendar arithmetic and the ISO 8601 reader that the sources and the normalizer share.
#include "util/civil_time.hpp"

#include <gtest/gtest.h>

namespace ki::civil {
namespace {

TEST(CivilTime, DaysRoundTripAcrossEpochsAndLeapRules) {
  EXPECT_EQ(days_from_civil(1970, 1, 1), 0);
  EXPECT_EQ(days_from_civil(2000, 2, 29), 11016);
  EXPECT_EQ(days_from_civil(1601, 1, 1), -134774) << "the Windows FILETIME epoch";
  EXPECT_EQ(days_from_civil(1969, 12, 31), -1);
  for (std::int64_t days = -200000; days <= 200000; days += 997) {
    const Date date = civil_from_days(days);
    EXPECT_EQ(days_from_civil(date.year, date.month, date.day), days) << days;
  }
  const Date leap = civil_from_days(11016);
  EXPECT_EQ(leap.year, 2000);
  EXPECT_EQ(leap.month, 2u);
  EXPECT_EQ(leap.day, 29u);
  EXPECT_EQ(days_in_month(1900, 2), 28u) << "a century is not a leap year";
  EXPECT_EQ(days_in_month(2000, 2), 29u) << "but every 400th year is";
  EXPECT_EQ(days_in_month(2023, 13), 0u);
}

TEST(CivilTime, ParsesTheFormsCollectorsWrite) {
  auto t = parse_iso8601("2020-07-30T20:22:05.7319365Z");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->seconds, 1596140525);
  EXPECT_EQ(t->fraction, "7319365");
  EXPECT_TRUE(t->zoned);
  t = parse_iso8601("2020-07-30 22:22:05,5+02:00");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->seconds, 1596140525);
  EXPECT_EQ(t->fraction, "5");
  t = parse_iso8601("2020-07-30T18:52:05-0130");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->seconds, 1596140525) << "a negative offset is added back to reach UTC";
  t = parse_iso8601("2020-07-30T20:22:05");
  ASSERT_TRUE(t);
  EXPECT_FALSE(t->zoned) << "no zone: the caller decides which clock it is";
  EXPECT_EQ(t->seconds, 1596140525);
  t = parse_iso8601("2016-12-31T23:59:60Z");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->seconds, 1483228800) << "a leap second lands on the next second";
}

TEST(CivilTime, RefusesAnythingElse) {
  for (const char* bad : {"", "2020-07-30", "2020-07-30T20:22", "2021-02-29T00:00:00Z", "2020-04-31T00:00:00Z",
                          "1600-12-31T00:00:00Z", "2020-07-30T24:00:00Z", "2020-07-30T20:22:05.Z",
                          "2020-07-30T20:22:05+15:00", "2020-07-30T20:22:05+02:0", "2020-07-30T20:22:05Zjunk",
                          " 2020-07-30T20:22:05Z", "2020/07/30T20:22:05Z"}) {
    EXPECT_FALSE(parse_iso8601(bad)) << bad;
  }
}

}  // namespace
}  // namespace ki::civil
