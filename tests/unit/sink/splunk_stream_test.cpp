#include "sink/splunk_stream.hpp"

#include <sstream>
#include <streambuf>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <pugixml.hpp>

namespace {

using ki::NormalizedEvent;
using ki::sink::append_xml_escaped;
using ki::sink::SplunkStreamSink;
using ki::sink::StreamSettings;

constexpr std::string_view kFffd = "\xEF\xBF\xBD";

std::string escaped(std::string_view in, bool attribute = false) {
  std::string out;
  append_xml_escaped(out, in, attribute);
  return out;
}

TEST(AppendXmlEscaped, EscapesMarkupSoThatCdataEndAndClosingTagsSurvive) {
  EXPECT_EQ(escaped("a&b<c>d"), "a&amp;b&lt;c&gt;d");
  EXPECT_EQ(escaped("x]]>y"), "x]]&gt;y");
  EXPECT_EQ(escaped("</data>"), "&lt;/data&gt;");
  EXPECT_EQ(escaped("plain text 123"), "plain text 123");
}

TEST(AppendXmlEscaped, QuotesOnlyInAttributes) {
  EXPECT_EQ(escaped("say \"hi\" 'x'"), "say \"hi\" 'x'");
  EXPECT_EQ(escaped("say \"hi\" 'x'", true), "say &quot;hi&quot; &apos;x&apos;");
}

TEST(AppendXmlEscaped, KeepsTabAndNewlineEncodesCarriageReturnReplacesOtherControls) {
  EXPECT_EQ(escaped("a\tb\nc"), "a\tb\nc");
  EXPECT_EQ(escaped("a\r\nb"), "a&#13;\nb");
  EXPECT_EQ(escaped(std::string_view("a\0b", 3)), "a" + std::string(kFffd) + "b");
  EXPECT_EQ(escaped("\x01\x1f"), std::string(kFffd) + std::string(kFffd));
  EXPECT_EQ(escaped("\x7f"), "\x7f");  // DEL is a legal XML 1.0 character
}

TEST(AppendXmlEscaped, KeepsValidUtf8) {
  const std::string text = "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80 \xEF\xBF\xBD";
  EXPECT_EQ(escaped(text), text);
}

TEST(AppendXmlEscaped, ReplacesInvalidUtf8) {
  const std::string r(kFffd);
  EXPECT_EQ(escaped("\xC3\x28"), r + "(");                 // missing continuation
  EXPECT_EQ(escaped("\xC0\xAF"), r + r);                   // overlong lead bytes are never valid
  EXPECT_EQ(escaped("\xED\xA0\x80"), r + r + r);           // UTF-16 surrogate
  EXPECT_EQ(escaped("\xF4\x90\x80\x80"), r + r + r + r);   // above U+10FFFF
  EXPECT_EQ(escaped("\xE2\x82"), r);                       // truncated at the end: one replacement
  EXPECT_EQ(escaped("\xFF"), r);
  EXPECT_EQ(escaped("\xEF\xBF\xBE"), r);                   // U+FFFE is not an XML character
  EXPECT_EQ(escaped("\xEF\xBF\xBF"), r);                   // U+FFFF neither
}

// The escaper tests 16 bytes at a time: every character that needs a look must be found wherever it
// falls in a block, and the plain bytes around it copied once.
TEST(AppendXmlEscaped, FindsEachSpecialCharacterAtEveryPlaceInABlock) {
  const std::vector<std::pair<std::string, std::string>> text_cases = {
      {"&", "&amp;"}, {"<", "&lt;"}, {">", "&gt;"}, {"\r", "&#13;"}, {"\t", "\t"}, {"\n", "\n"},
      {std::string(1, '\0'), std::string(kFffd)}, {"\x1f", std::string(kFffd)}, {"\x7f", "\x7f"},
      {"\xC3\xA9", "\xC3\xA9"}, {"\xFF", std::string(kFffd)}, {"\"", "\""}, {"'", "'"}};
  for (const auto& [special, expected] : text_cases) {
    for (std::size_t at = 0; at < 40; ++at) {
      const std::string before(at, 'a'), after(40 - at, 'b');
      EXPECT_EQ(escaped(before + special + after), before + expected + after) << at;
    }
  }
  for (std::size_t at = 0; at < 40; ++at) {
    const std::string before(at, 'a'), after(40 - at, 'b');
    EXPECT_EQ(escaped(before + "\"'" + after, true), before + "&quot;&apos;" + after) << at;
  }
  for (std::size_t length = 0; length < 40; ++length) {  // plain values of every length come out whole
    const std::string plain(length, 'p');
    EXPECT_EQ(escaped(plain), plain);
  }
}

NormalizedEvent event(std::string json, std::string host = "dc1.corp.example", std::string time = "1700000000.5") {
  NormalizedEvent e;
  e.json = std::move(json);
  e.host = std::move(host);
  e.time = std::move(time);
  return e;
}

TEST(SplunkStreamSink, CopiesJsonTheNormalizerMarkedPlainAndEscapesTheRest) {
  std::ostringstream out;
  SplunkStreamSink sink(out, {});
  NormalizedEvent marked = event(R"({"a":"<b>"})");
  marked.xml_plain = true;  // a false mark: shows the sink trusts it instead of scanning again
  sink.write(marked, "");
  sink.write(event(R"({"a":"<b>"})"), "");
  ASSERT_TRUE(sink.finish());
  EXPECT_NE(out.str().find(R"(<data>{"a":"<b>"}</data>)"), std::string::npos) << out.str();
  EXPECT_NE(out.str().find(R"(<data>{"a":"&lt;b&gt;"}</data>)"), std::string::npos) << out.str();
}

TEST(SplunkStreamSink, NastyValuesComeThroughAnXmlParserIntact) {
  const std::vector<std::string> values = {
      R"({"TargetUserName":"x]]>y","note":"</data></event><event>"})",
      R"({"a":"Tom & Jerry <b>","q":"\"quoted\" 'single'"})",
      "{\"tab\":\"a\tb\",\"nl\":\"a\nb\",\"cr\":\"a\rb\"}",
      "{\"utf8\":\"caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80\"}",
  };
  std::ostringstream out;
  SplunkStreamSink sink(out, StreamSettings{"kerberos_events://a \"b\" & <c>", "kerberos:event", "main"});
  for (const auto& v : values) sink.write(event(v), "/logs/a&b <1>.json");
  // Values that XML cannot carry come through with U+FFFD in place of the bad part.
  sink.write(event(std::string("{\"ctl\":\"a\x01") + "b\",\"bad\":\"\xC3\x28\"}", "dc\x02" "1"), "src");
  ASSERT_TRUE(sink.finish());

  pugi::xml_document doc;
  const std::string text = out.str();
  const auto result = doc.load_buffer(text.data(), text.size());
  ASSERT_TRUE(result) << result.description() << " at " << result.offset << "\n" << text;
  std::vector<pugi::xml_node> events;
  for (auto e : doc.child("stream").children("event")) events.push_back(e);
  ASSERT_EQ(events.size(), values.size() + 1);
  for (std::size_t i = 0; i < values.size(); ++i) {
    EXPECT_EQ(std::string(events[i].child("data").text().get()), values[i]) << i;
    EXPECT_STREQ(events[i].attribute("stanza").value(), "kerberos_events://a \"b\" & <c>");
    EXPECT_STREQ(events[i].child("source").text().get(), "/logs/a&b <1>.json");
    EXPECT_STREQ(events[i].child("host").text().get(), "dc1.corp.example");
    EXPECT_STREQ(events[i].child("time").text().get(), "1700000000.5");
    EXPECT_STREQ(events[i].child("sourcetype").text().get(), "kerberos:event");
    EXPECT_STREQ(events[i].child("index").text().get(), "main");
  }
  const std::string r(kFffd);
  EXPECT_EQ(std::string(events.back().child("data").text().get()), "{\"ctl\":\"a" + r + "b\",\"bad\":\"" + r + "(\"}");
  EXPECT_EQ(std::string(events.back().child("host").text().get()), "dc" + r + "1");
}

TEST(SplunkStreamSink, LeavesOutEmptyTimeHostAndIndex) {
  std::ostringstream out;
  SplunkStreamSink sink(out, StreamSettings{"", "kerberos:event", ""});
  sink.write(event("{}", "", ""), "");
  ASSERT_TRUE(sink.finish());
  EXPECT_EQ(out.str(), "<stream>\n<event><sourcetype>kerberos:event</sourcetype><data>{}</data></event>\n</stream>\n");
}

TEST(SplunkStreamSink, WritesNothingBeforeFlushAndEverythingAfter) {
  std::ostringstream out;
  SplunkStreamSink sink(out, StreamSettings{"s", "kerberos:event", ""});
  sink.write(event("{\"n\":1}"), "f");
  sink.write(event("{\"n\":2}"), "f");
  EXPECT_EQ(out.str(), "");
  EXPECT_GT(sink.pending_bytes(), 0u);
  ASSERT_TRUE(sink.flush());
  EXPECT_EQ(sink.pending_bytes(), 0u);
  const std::string flushed = out.str();
  EXPECT_TRUE(flushed.starts_with("<stream>\n<event stanza=\"s\">"));
  EXPECT_NE(flushed.find("{\"n\":2}"), std::string::npos);
  EXPECT_EQ(flushed.find("</stream>"), std::string::npos);
}

// A large batch goes out in chunks as it grows, in order; flush() writes the rest.
TEST(SplunkStreamSink, WritesALargeBatchInChunksInOrder) {
  std::ostringstream out;
  SplunkStreamSink sink(out, StreamSettings{"s", "kerberos:event", ""});
  const std::string padding(1000, 'x');
  std::size_t written_before_flush = 0;
  for (int n = 0; n < 1000; ++n) {
    sink.write(event("{\"n\":" + std::to_string(n) + ",\"p\":\"" + padding + "\"}"), "f");
    if (n == 499) written_before_flush = out.str().size();
  }
  EXPECT_GT(written_before_flush, 0u) << "half a megabyte waits for no flush";
  EXPECT_LT(sink.pending_bytes(), ki::sink::kWriteChunkBytes);
  ASSERT_TRUE(sink.finish());
  const std::string all = out.str();
  std::size_t at = 0;
  for (int n = 0; n < 1000; ++n) {
    const auto found = all.find("{\"n\":" + std::to_string(n) + ",", at);
    ASSERT_NE(found, std::string::npos) << n;
    at = found;
  }
  EXPECT_TRUE(all.ends_with("</event>\n</stream>\n"));
}

TEST(SplunkStreamSink, EmptyRunIsAnEmptyStream) {
  std::ostringstream out;
  SplunkStreamSink sink(out, {});
  ASSERT_TRUE(sink.finish());
  ASSERT_TRUE(sink.finish());  // a second finish writes nothing more
  EXPECT_EQ(out.str(), "<stream>\n</stream>\n");
}

// A streambuf that refuses every write, as stdout does once the reader is gone (EPIPE).
struct ClosedBuf : std::streambuf {
  int_type overflow(int_type) override { return traits_type::eof(); }
  std::streamsize xsputn(const char*, std::streamsize) override { return 0; }
};

TEST(SplunkStreamSink, FlushReportsAClosedOutput) {
  ClosedBuf buf;
  std::ostream out(&buf);
  SplunkStreamSink sink(out, {});
  sink.write(event("{}"), "f");
  EXPECT_FALSE(sink.flush());
  EXPECT_FALSE(sink.finish());
}

TEST(SplunkStreamSink, SetSettingsChangesStanzaForLaterEvents) {
  std::ostringstream out;
  SplunkStreamSink sink(out, StreamSettings{"one", "kerberos:event", "i1"});
  sink.write(event("{}"), "f");
  sink.set_settings(StreamSettings{"two", "kerberos:event", ""});
  sink.write(event("{}"), "f");
  ASSERT_TRUE(sink.finish());
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(out.str().c_str()));
  auto first = doc.child("stream").child("event");
  auto second = first.next_sibling("event");
  EXPECT_STREQ(first.attribute("stanza").value(), "one");
  EXPECT_STREQ(first.child("index").text().get(), "i1");
  EXPECT_STREQ(second.attribute("stanza").value(), "two");
  EXPECT_TRUE(second.child("index").empty());
}

}  // namespace
