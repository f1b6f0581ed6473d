#include "source/file_reader.hpp"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

namespace {

std::filesystem::path write_temp(const std::string& name, const std::string& bytes) {
  const auto path = std::filesystem::temp_directory_path() / ("ki_file_reader_" + name);
  std::ofstream(path, std::ios::binary) << bytes;
  return path;
}

TEST(LineReader, SplitsLinesAndKeepsALastLineWithoutNewline) {
  const auto path = write_temp("lines", "one\r\ntwo\n\nthree");
  ki::LineReader reader;
  std::string error;
  ASSERT_TRUE(reader.open(path.string(), 0, 0, error)) << error;
  std::string_view line;
  ASSERT_EQ(reader.next(line), ki::LineReader::Result::line);
  EXPECT_EQ(line, "one");
  EXPECT_EQ(reader.next_offset(), 5u);
  ASSERT_EQ(reader.next(line), ki::LineReader::Result::line);
  EXPECT_EQ(line, "two");
  EXPECT_EQ(reader.line_offset(), 5u);
  ASSERT_EQ(reader.next(line), ki::LineReader::Result::line);
  EXPECT_EQ(line, "");
  ASSERT_EQ(reader.next(line), ki::LineReader::Result::line);
  EXPECT_EQ(line, "three");
  EXPECT_EQ(reader.line_number(), 4u);
  EXPECT_EQ(reader.next_offset(), 15u);
  EXPECT_EQ(reader.next(line), ki::LineReader::Result::end);
}

TEST(LineReader, SkipsALineLongerThanTheLimitWithoutLosingTheNext) {
  const std::string huge(5000, 'x');
  const auto path = write_temp("long", "short\n" + huge + "\nafter\n" + huge);
  ki::LineReader reader(1000);
  std::string error;
  ASSERT_TRUE(reader.open(path.string(), 0, 0, error)) << error;
  std::string_view line;
  ASSERT_EQ(reader.next(line), ki::LineReader::Result::line);
  ASSERT_EQ(reader.next(line), ki::LineReader::Result::too_long);
  EXPECT_EQ(reader.line_number(), 2u);
  EXPECT_EQ(reader.line_offset(), 6u);
  ASSERT_EQ(reader.next(line), ki::LineReader::Result::line);
  EXPECT_EQ(line, "after");
  EXPECT_EQ(reader.next(line), ki::LineReader::Result::too_long);
  EXPECT_EQ(reader.next(line), ki::LineReader::Result::end);
}

TEST(LineReader, ResumesAtAnOffset) {
  const auto path = write_temp("resume", "aaa\nbbb\nccc\n");
  ki::LineReader reader;
  std::string error;
  ASSERT_TRUE(reader.open(path.string(), 4, 0, error)) << error;
  std::string_view line;
  ASSERT_EQ(reader.next(line), ki::LineReader::Result::line);
  EXPECT_EQ(line, "bbb");
  EXPECT_EQ(reader.line_offset(), 4u);
}

TEST(FileReader, NamesTheFileWhenItCannotBeOpened) {
  ki::FileReader reader;
  std::string error;
  EXPECT_FALSE(reader.open("no/such/file.xml", 0, error));
  EXPECT_NE(error.find("no/such/file.xml"), std::string::npos) << error;
  ki::FileReader dir;
  error.clear();
  EXPECT_FALSE(dir.open(std::filesystem::temp_directory_path().string(), 0, error));
  EXPECT_FALSE(error.empty());
}

TEST(SanitizeUtf8, ReplacesInvalidSequencesAndKeepsValidOnes) {
  std::string ascii = "plain";
  EXPECT_FALSE(ki::sanitize_utf8(ascii));
  std::string valid = "J\xC3\xA9r\xC3\xB4me \xE2\x82\xAC \xF0\x9F\x94\x91";
  const std::string before = valid;
  EXPECT_FALSE(ki::sanitize_utf8(valid));
  EXPECT_EQ(valid, before);
  std::string latin1 = "J\xE9r\xF4me";
  EXPECT_TRUE(ki::sanitize_utf8(latin1));
  EXPECT_EQ(latin1, "J\xEF\xBF\xBDr\xEF\xBF\xBDme");
  std::string overlong = "a\xC0\xAF" "b";
  EXPECT_TRUE(ki::sanitize_utf8(overlong));
  EXPECT_EQ(overlong, "a\xEF\xBF\xBD\xEF\xBF\xBD" "b");
  std::string surrogate = "\xED\xA0\x80";
  EXPECT_TRUE(ki::sanitize_utf8(surrogate));
  std::string cut = "ok\xE2\x82";
  EXPECT_TRUE(ki::sanitize_utf8(cut));
  EXPECT_EQ(cut.substr(0, 2), "ok");
}

TEST(AppendDecimal, WritesWholeNumbers) {
  std::string out = "Data";
  ki::append_decimal(out, 0);
  ki::append_decimal(out, 18446744073709551615ull);
  EXPECT_EQ(out, "Data018446744073709551615");
}

}  // namespace

namespace ki {
namespace {

TEST(Utf8Check, AgreesWithTheRepairOnEveryLengthAndPosition) {
  // Damage at each position around the 32-, 16- and eight-byte steps, so every loop sees it.
  for (std::size_t length = 0; length < 70; ++length) {
    std::string text(length, 'a');
    EXPECT_TRUE(is_valid_utf8(text));
    for (std::size_t at = 0; at < length; ++at) {
      std::string damaged = text;
      damaged[at] = '\xC3';  // a lead byte without its continuation (or with 'a' after it)
      std::string repaired = damaged;
      EXPECT_FALSE(is_valid_utf8(damaged)) << length << " " << at;
      EXPECT_TRUE(sanitize_utf8(repaired));
      EXPECT_TRUE(is_valid_utf8(repaired));
    }
  }
  EXPECT_TRUE(is_valid_utf8("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x94\x91 plain ascii after"));
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80 surrogate"));
  EXPECT_FALSE(is_valid_utf8("overlong \xC0\xAF"));
}

}  // namespace
}  // namespace ki
