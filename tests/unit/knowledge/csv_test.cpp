#include "knowledge/csv.hpp"

#include <gtest/gtest.h>

namespace ki::knowledge {
namespace {

TEST(CsvField, QuotesOnlyWhenNeeded) {
  EXPECT_EQ(csv_field("plain"), "plain");
  EXPECT_EQ(csv_field("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csv_field("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(csv_field(" padded"), "\" padded\"");
  EXPECT_EQ(csv_field(""), "");
}

TEST(RenderCsv, RoundTripsThroughTheParser) {
  const CsvTable table{"t.csv", {"key", "text"}, {{"0x18", "a, \"quoted\"\nvalue"}, {"0x6", ""}, {"é", "æøå"}}};
  const std::string text = render_csv(table);
  EXPECT_EQ(text.find('\r'), std::string::npos);
  EXPECT_EQ(text.back(), '\n');
  std::vector<std::vector<std::string>> rows;
  std::string error;
  ASSERT_TRUE(parse_csv(text, rows, error)) << error;
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0], table.header);
  EXPECT_EQ(rows[1], table.rows[0]);
  EXPECT_EQ(rows[2], table.rows[1]);
  EXPECT_EQ(rows[3], table.rows[2]);
}

TEST(ParseCsv, ReportsAnUnclosedQuoteWithItsLine) {
  std::vector<std::vector<std::string>> rows;
  std::string error;
  EXPECT_FALSE(parse_csv("a,b\n1,\"open\n", rows, error));
  EXPECT_NE(error.find("line 2"), std::string::npos) << error;
}

}  // namespace
}  // namespace ki::knowledge
