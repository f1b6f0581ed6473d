#include "source/evtx/evtx_binxml.hpp"

#include <gtest/gtest.h>

#include "source/evtx/evtx_chunk.hpp"
#include "source/evtx/evtx_record.hpp"
#include "source/evtx/evtx_file_header.hpp"
#include "source/evtx/evtx_values.hpp"
#include "support/evtx_writer.hpp"

namespace {

namespace w = ki::test::evtx;
constexpr std::size_t kFirstChunk = 4096;

// Writes the document as compact XML, so tests can see the structure the token stream described.
class XmlText final : public ki::evtx::XmlSink {
 public:
  std::string xml;
  void start_element(std::string_view name) override {
    close_pending();
    xml += "<";
    xml += name;
    open_ = true;
    stack_.emplace_back(name);
  }
  void attribute(std::string_view name) override {
    close_attribute();
    xml += " ";
    xml += name;
    xml += "=\"";
    attribute_.clear();
    in_attribute_ = true;
  }
  void close_start() override { close_pending(); }
  void end_element() override {
    close_attribute();
    xml += text_;
    if (open_) {
      xml += "/>";
      open_ = false;
    } else {
      xml += "</" + stack_.back() + ">";
    }
    stack_.pop_back();
    text_.clear();
  }
  std::string* target() override {
    if (in_attribute_) return &attribute_;
    close_pending();
    return &text_;
  }

 private:
  void close_attribute() {
    if (!in_attribute_) return;
    xml += attribute_ + "\"";
    in_attribute_ = false;
  }
  void close_pending() {
    close_attribute();
    if (open_) {
      xml += ">";
      open_ = false;
    }
    xml += text_;
    text_.clear();
  }
  std::vector<std::string> stack_;
  std::string attribute_, text_;
  bool open_ = false, in_attribute_ = false;
};

std::vector<std::uint8_t> build(const std::vector<w::Event>& events) {
  std::string error;
  auto bytes = w::build(events, {}, error);
  EXPECT_FALSE(bytes.empty()) << error;
  return bytes;
}

// The XML of the record at `offset` in the first chunk.
std::string xml_of(ki::evtx::BinXmlContext& context, const std::vector<std::uint8_t>& bytes, std::uint32_t offset,
                   std::string& error) {
  const std::uint8_t* chunk = bytes.data() + kFirstChunk;
  const std::uint32_t size = ki::evtx::load_u32(chunk + offset + 4);
  XmlText sink;
  if (context.parse(offset + 24, offset + size - 4, sink, nullptr, error) != ki::evtx::ParseOutcome::ok) return {};
  return sink.xml;
}

TEST(EvtxBinXml, ExpandsTemplatesIntoTheEventDocument) {
  const auto bytes = build(w::kerberos_sample_events());
  ki::evtx::BinXmlContext context;
  context.reset(bytes.data() + kFirstChunk, ki::evtx::kChunkSize, kFirstChunk);
  std::string error;
  const std::string xml = xml_of(context, bytes, 512, error);
  ASSERT_TRUE(error.empty()) << error;
  EXPECT_EQ(xml.rfind("<Event", 0), 0u) << xml;
  EXPECT_NE(xml.find("<System><Provider Name=\"Microsoft-Windows-Security-Auditing\""), std::string::npos) << xml;
  EXPECT_NE(xml.find(">4768</EventID>"), std::string::npos) << xml;
  EXPECT_NE(xml.find("<Data Name=\"TargetUserName\">"), std::string::npos) << xml;
}

TEST(EvtxBinXml, CachesTemplatesAndNamesPerChunk) {
  const auto bytes = build(w::kerberos_sample_events());
  const std::uint8_t* chunk = bytes.data() + kFirstChunk;
  ki::evtx::BinXmlContext context;
  context.reset(chunk, ki::evtx::kChunkSize, kFirstChunk);
  const auto h = ki::evtx::parse_chunk_header(chunk);
  std::uint32_t offset = 512;
  std::string error;
  std::size_t records = 0;
  while (offset < h.free_space_offset) {
    ASSERT_FALSE(xml_of(context, bytes, offset, error).empty()) << error;
    offset += ki::evtx::load_u32(chunk + offset + 4);
    ++records;
  }
  EXPECT_EQ(records, w::kerberos_sample_events().size());
  // Reading the chunk's records again compiles nothing new: templates and names come from the cache.
  const std::size_t templates = context.cached_templates();
  const std::size_t names = context.cached_names();
  EXPECT_GT(templates, 0u);
  EXPECT_GT(names, 10u);
  ASSERT_FALSE(xml_of(context, bytes, 512, error).empty()) << error;
  EXPECT_EQ(context.cached_templates(), templates);
  EXPECT_EQ(context.cached_names(), names);
  context.reset(chunk, ki::evtx::kChunkSize, kFirstChunk);
  EXPECT_EQ(context.cached_templates(), 0u);
  EXPECT_EQ(context.cached_names(), 0u);
}

TEST(EvtxBinXml, NestingDeeperThanTheBoundIsAnErrorNotACrash) {
  w::XmlElement element{"Leaf", {}, {}, w::Value::string("deep")};
  for (int i = 0; i < ki::evtx::BinXmlContext::kMaxDepth + 4; ++i)
    element = w::XmlElement{"Level" + std::to_string(i), {}, {}, w::Value::binxml(element)};
  w::Event event = w::kerberos_sample_events().front();
  event.data = {{"Nested", w::Value::binxml(element)}};
  const auto bytes = build({event});
  ki::evtx::BinXmlContext context;
  context.reset(bytes.data() + kFirstChunk, ki::evtx::kChunkSize, kFirstChunk);
  std::string error;
  EXPECT_TRUE(xml_of(context, bytes, 512, error).empty());
  EXPECT_NE(error.find("nested too deeply"), std::string::npos) << error;
  EXPECT_EQ(error.rfind("offset 0x", 0), 0u) << error;
}

TEST(EvtxBinXml, GarbageIsRejectedWithItsOffset) {
  std::vector<std::uint8_t> chunk(ki::evtx::kChunkSize, 0);
  const std::uint8_t garbage[] = {0x0f, 0x01, 0x01, 0x00, 0x41, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f, 0x00};
  std::copy(std::begin(garbage), std::end(garbage), chunk.begin() + 600);
  ki::evtx::BinXmlContext context;
  context.reset(chunk.data(), chunk.size(), 0x1000);
  XmlText sink;
  std::string error;
  EXPECT_EQ(context.parse(600, 600 + sizeof garbage, sink, nullptr, error), ki::evtx::ParseOutcome::error);
  EXPECT_EQ(error, "offset 0x125c: malformed element start");
  error.clear();
  chunk[600] = 0x3f;  // not a token
  EXPECT_EQ(context.parse(600, 610, sink, nullptr, error), ki::evtx::ParseOutcome::error);
  EXPECT_EQ(error, "offset 0x1258: unknown binary XML token 0x3f");
}

TEST(EvtxBinXml, FilterDecidesFromTheEventIdSlot) {
  const auto bytes = build(w::kerberos_sample_events());
  ki::evtx::BinXmlContext context;
  context.reset(bytes.data() + kFirstChunk, ki::evtx::kChunkSize, kFirstChunk);
  const std::uint32_t size = ki::evtx::load_u32(bytes.data() + kFirstChunk + 512 + 4);
  XmlText sink;
  std::string error;
  const ki::evtx::EventIdFilter none = [](std::uint32_t) { return false; };
  EXPECT_EQ(context.parse(512 + 24, 512 + size - 4, sink, &none, error), ki::evtx::ParseOutcome::filtered);
  // Judged before the document was rendered: not even the root element reached the sink.
  EXPECT_TRUE(sink.xml.empty()) << sink.xml;
}

}  // namespace
