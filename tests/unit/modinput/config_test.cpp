#include "modinput/config.hpp"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include "support/temp_dir.hpp"

namespace {

namespace fs = std::filesystem;
using ki::modinput::expand_path;
using ki::modinput::parse_event_ids;
using ki::modinput::parse_input_xml;
using ki::modinput::parse_settings;
using ki::modinput::Stanza;

constexpr std::string_view kInput = R"(<?xml version="1.0" encoding="UTF-8"?>
<input>
  <server_host>sh01</server_host>
  <server_uri>https://127.0.0.1:8089</server_uri>
  <session_key>s3cr3t</session_key>
  <checkpoint_dir>/var/ckpt</checkpoint_dir>
  <configuration>
    <stanza name="kerberos_events://dc1" app="kerberos_insight">
      <param name="kind">json</param>
      <param name="path"> /data/dc1/*.json </param>
      <param name="index">kerberos</param>
      <param_list name="extra"><value>a</value><value>b</value></param_list>
    </stanza>
    <stanza name="kerberos_events://dc2"><param name="path">/data/dc2</param></stanza>
  </configuration>
</input>)";

TEST(ParseInputXml, ReadsRunConfiguration) {
  std::string error;
  const auto c = parse_input_xml(kInput, error);
  ASSERT_TRUE(c) << error;
  EXPECT_EQ(c->server_host, "sh01");
  EXPECT_EQ(c->server_uri, "https://127.0.0.1:8089");
  EXPECT_EQ(c->session_key, "s3cr3t");
  EXPECT_EQ(c->checkpoint_dir, "/var/ckpt");
  ASSERT_EQ(c->stanzas.size(), 2u);
  const Stanza& s = c->stanzas[0];
  EXPECT_EQ(s.name, "kerberos_events://dc1");
  ASSERT_NE(s.param("path"), nullptr);
  EXPECT_EQ(*s.param("path"), "/data/dc1/*.json");  // surrounding blanks dropped
  EXPECT_EQ(*s.param("index"), "kerberos");
  EXPECT_EQ(*s.param("extra"), "a");
  EXPECT_EQ(s.params.back().second, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(s.param("threads"), nullptr);
  EXPECT_EQ(c->stanzas[1].name, "kerberos_events://dc2");
}

TEST(ParseInputXml, ReadsValidationItems) {
  std::string error;
  const auto c = parse_input_xml(
      "<items><server_host>h</server_host><checkpoint_dir>/c</checkpoint_dir>"
      "<item name=\"dc9\"><param name=\"path\">/x</param></item></items>",
      error);
  ASSERT_TRUE(c) << error;
  ASSERT_EQ(c->stanzas.size(), 1u);
  EXPECT_EQ(c->stanzas[0].name, "dc9");
  EXPECT_EQ(*c->stanzas[0].param("path"), "/x");
}

std::string utf16(std::string_view ascii, bool big_endian) {
  std::string out = big_endian ? std::string("\xFE\xFF") : std::string("\xFF\xFE");
  for (char c : ascii) {
    if (big_endian) out += '\0';
    out += c;
    if (!big_endian) out += '\0';
  }
  return out;
}

TEST(ParseInputXml, ReadsUtf16WithByteOrderMark) {
  const std::string xml(kInput.substr(kInput.find("<input>")));
  for (bool be : {false, true}) {
    std::string error;
    const auto c = parse_input_xml(utf16(xml, be), error);
    ASSERT_TRUE(c) << error;
    ASSERT_EQ(c->stanzas.size(), 2u);
    EXPECT_EQ(*c->stanzas[0].param("path"), "/data/dc1/*.json");
  }
}

TEST(ParseInputXml, ErrorsNameTheProblem) {
  std::string error;
  EXPECT_FALSE(parse_input_xml("<input><configuration>", error));
  EXPECT_NE(error.find("offset"), std::string::npos) << error;
  error.clear();
  EXPECT_FALSE(parse_input_xml("<other/>", error));
  EXPECT_NE(error.find("<other>"), std::string::npos) << error;
  error.clear();
  EXPECT_FALSE(parse_input_xml("", error));
  EXPECT_FALSE(error.empty());
}

TEST(ParseEventIds, ListsAndRanges) {
  std::string error;
  auto ids = parse_event_ids("4768-4773, 672-677,4776, 4768", error);
  ASSERT_TRUE(ids) << error;
  EXPECT_EQ(*ids, (std::vector<std::uint32_t>{672, 673, 674, 675, 676, 677, 4768, 4769, 4770, 4771, 4772, 4773, 4776}));
  ids = parse_event_ids(ki::modinput::kDefaultEventIds, error);
  ASSERT_TRUE(ids);
  EXPECT_EQ(ids->size(), 12u);
  ids = parse_event_ids(" 4769 ", error);
  ASSERT_TRUE(ids);
  EXPECT_EQ(*ids, (std::vector<std::uint32_t>{4769}));
  ids = parse_event_ids("all", error);
  ASSERT_TRUE(ids);
  EXPECT_TRUE(ids->empty());
}

TEST(ParseEventIds, RejectsJunk) {
  for (std::string_view bad : {"", "abc", "4768,", "4773-4768", "-5", "4768-", "70000", "1-70000", "47 68", "0x12c0"}) {
    std::string error;
    EXPECT_FALSE(parse_event_ids(bad, error)) << bad;
    EXPECT_TRUE(error.starts_with("event_ids:")) << bad << " -> " << error;
  }
}

Stanza stanza(std::vector<std::pair<std::string, std::string>> params) {
  Stanza s;
  s.name = "kerberos_events://t";
  for (auto& [k, v] : params) s.params.push_back({k, {v}});
  return s;
}

TEST(ParseSettings, DefaultsAndValues) {
  ki::modinput::InputSettings st;
  std::string error;
  ASSERT_TRUE(parse_settings(stanza({{"path", "/x"}}), st, error)) << error;
  EXPECT_FALSE(st.kind.has_value());
  EXPECT_EQ(st.event_ids.size(), 12u);
  EXPECT_FALSE(st.start_newest);
  EXPECT_GE(st.threads, 1u);
  ASSERT_TRUE(parse_settings(stanza({{"path", "/x"}, {"kind", "evtx"}, {"start_from", "newest"}, {"threads", "3"},
                                     {"event_ids", "4769"}, {"index", "k"}}),
                             st, error))
      << error;
  EXPECT_EQ(st.kind, ki::SourceKind::evtx);
  EXPECT_TRUE(st.start_newest);
  EXPECT_EQ(st.threads, 3u);
  EXPECT_EQ(st.event_ids, (std::vector<std::uint32_t>{4769}));
  EXPECT_EQ(st.index, "k");
}

TEST(ParseSettings, ErrorsNameStanzaAndParameter) {
  const std::vector<std::pair<std::vector<std::pair<std::string, std::string>>, std::string>> cases = {
      {{}, "path is required"},
      {{{"path", "/x"}, {"kind", "csv"}}, "kind \"csv\""},
      {{{"path", "/x"}, {"start_from", "middle"}}, "start_from \"middle\""},
      {{{"path", "/x"}, {"threads", "0"}}, "threads \"0\""},
      {{{"path", "/x"}, {"threads", "257"}}, "threads \"257\""},
      {{{"path", "/x"}, {"threads", "two"}}, "threads \"two\""},
      {{{"path", "/x"}, {"event_ids", "x"}}, "event_ids"},
  };
  for (const auto& [params, expected] : cases) {
    ki::modinput::InputSettings st;
    std::string error;
    EXPECT_FALSE(parse_settings(stanza(params), st, error)) << expected;
    EXPECT_NE(error.find("kerberos_events://t"), std::string::npos) << error;
    EXPECT_NE(error.find(expected), std::string::npos) << error;
  }
}

using ki::test::TempDir;

TEST(ExpandPath, FileFolderAndGlob) {
  TempDir t;
  t.write("a.json", "{}");
  t.write("b.json", "{}");
  t.write("sub/c.json", "{}");
  t.write("sub/d.txt", "x");
  std::string error;
  auto files = expand_path((t.path / "a.json").string(), error);
  EXPECT_EQ(files, (std::vector<std::string>{(t.path / "a.json").string()}));
  files = expand_path(t.path.string(), error);
  EXPECT_EQ(files.size(), 4u);  // recursive
  EXPECT_TRUE(std::is_sorted(files.begin(), files.end()));
  files = expand_path((t.path / "*.json").string(), error);
  EXPECT_EQ(files, (std::vector<std::string>{(t.path / "a.json").string(), (t.path / "b.json").string()}));
  EXPECT_TRUE(error.empty()) << error;
}

TEST(ExpandPath, NothingThereIsAnError) {
  TempDir t;
  std::string error;
  EXPECT_TRUE(expand_path((t.path / "missing.evtx").string(), error).empty());
  EXPECT_NE(error.find("no such file"), std::string::npos) << error;
  error.clear();
  EXPECT_TRUE(expand_path((t.path / "*.evtx").string(), error).empty());
  EXPECT_NE(error.find("matches no file"), std::string::npos) << error;
}

}  // namespace
