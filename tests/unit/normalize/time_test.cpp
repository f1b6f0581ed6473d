// TimeCreated -> epoch text: every form the sources hand over, and the ones that must be refused.

#include "normalize/time.hpp"

#include <gtest/gtest.h>

namespace ki {
namespace {

std::string epoch(std::string_view text) {
  std::string out = "kept|";
  append_epoch_text(text, out);
  return out.substr(5);
}

TEST(Time, WindowsSevenDigitFractionIsCutToMicroseconds) {
  EXPECT_EQ(epoch("2025-07-30T20:22:05.7319365Z"), "1753906925.731936");
  EXPECT_EQ(epoch("2025-07-30T20:22:05.731936500Z"), "1753906925.731936");
  EXPECT_EQ(epoch("2025-07-30T20:22:05.9999999Z"), "1753906925.999999") << "cut, never rounded up";
}

TEST(Time, AnyNumberOfFractionDigits) {
  EXPECT_EQ(epoch("2020-07-30T20:22:05Z"), "1596140525.000000");
  EXPECT_EQ(epoch("2020-07-30T20:22:05.5Z"), "1596140525.500000");
  EXPECT_EQ(epoch("2020-07-30T20:22:05.123Z"), "1596140525.123000");
  EXPECT_EQ(epoch("2020-07-30T20:22:05.123456789012Z"), "1596140525.123456");
  EXPECT_EQ(epoch("2020-07-30T20:22:05,25Z"), "1596140525.250000") << "ISO 8601 allows a comma";
}

TEST(Time, OffsetsAreAppliedAndNoZoneMeansUtc) {
  EXPECT_EQ(epoch("2020-07-30T22:22:05+02:00"), "1596140525.000000");
  EXPECT_EQ(epoch("2020-07-30T22:22:05+0200"), "1596140525.000000");
  EXPECT_EQ(epoch("2020-07-30T22:22:05+02"), "1596140525.000000");
  EXPECT_EQ(epoch("2020-07-30T15:22:05.25-05:00"), "1596140525.250000");
  EXPECT_EQ(epoch("2020-07-30T20:22:05"), "1596140525.000000");
  EXPECT_EQ(epoch("2020-07-30 20:22:05"), "1596140525.000000");
  EXPECT_EQ(epoch("2020-07-30t20:22:05z"), "1596140525.000000");
}

TEST(Time, CalendarEdges) {
  EXPECT_EQ(epoch("1970-01-01T00:00:00Z"), "0.000000");
  EXPECT_EQ(epoch("2000-02-29T00:00:00Z"), "951782400.000000");
  EXPECT_EQ(epoch("2038-01-19T03:14:08Z"), "2147483648.000000") << "past 32-bit time_t";
  EXPECT_EQ(epoch("1969-12-31T23:59:59.750000Z"), "-0.250000");
  EXPECT_EQ(epoch("1969-12-31T23:59:58.250000Z"), "-1.750000");
  EXPECT_EQ(epoch("2016-12-31T23:59:60Z"), "1483228800.000000") << "a leap second lands on the next one";
}

TEST(Time, RefusesWhatIsNotAnIsoTimestamp) {
  for (const char* bad : {"", "-", "2020-07-30", "2020-07-30T20:22", "2020-13-01T00:00:00Z", "2021-02-29T00:00:00Z",
                          "2020-07-32T00:00:00Z", "2020-07-30T24:00:00Z", "2020-07-30T20:60:00Z",
                          "2020-07-30T20:22:05Q", "2020-07-30T20:22:05+2", "2020-07-30T20:22:05+02:0",
                          "2020-07-30T20:22:05Z junk", "20x0-07-30T20:22:05Z", "07/30/2020 08:22:05 PM"}) {
    EpochTime time;
    EXPECT_FALSE(parse_iso8601(bad, time)) << bad;
    EXPECT_EQ(epoch(bad), "") << bad;
  }
}

TEST(Time, ToleratesSurroundingWhitespace) {
  EXPECT_EQ(epoch("  2020-07-30T20:22:05Z\r\n"), "1596140525.000000");
}

TEST(Time, AppendsWithoutTouchingWhatIsThere) {
  std::string out = "x";
  EXPECT_TRUE(append_epoch_text("1970-01-01T00:00:01Z", out));
  EXPECT_EQ(out, "x1.000000");
  EXPECT_FALSE(append_epoch_text("nope", out));
  EXPECT_EQ(out, "x1.000000");
}

}  // namespace
}  // namespace ki
