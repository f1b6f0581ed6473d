#include "source/evtx/evtx_record.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "source/evtx/evtx_chunk.hpp"
#include "source/evtx/evtx_file_header.hpp"
#include "source/evtx/evtx_values.hpp"
#include "source/source.hpp"
#include "support/evtx_writer.hpp"
#include "support/paths.hpp"

namespace {

namespace w = ki::test::evtx;
namespace fs = std::filesystem;

std::vector<ki::Record> read_events(const std::vector<w::Event>& events, const std::string& name) {
  const fs::path path = fs::temp_directory_path() / ("ki_evtx_record_test_" + name + ".evtx");
  std::string error;
  EXPECT_TRUE(w::write_file(path, events, {}, error)) << error;
  std::vector<ki::Record> out;
  auto source = ki::open_evtx_source(path.string(), {}, error);
  EXPECT_NE(source, nullptr) << error;
  if (source) {
    ki::Record r;
    for (;;) {
      const auto status = source->next(r, error);
      if (status == ki::ReadStatus::end) break;
      EXPECT_EQ(status, ki::ReadStatus::record) << error;
      if (status == ki::ReadStatus::record) out.push_back(r);
    }
  }
  fs::remove(path);
  return out;
}

std::string data(const ki::Record& r, std::string_view name) {
  const std::string* v = r.data_field(name);
  return v ? *v : "<absent>";
}

TEST(EvtxRecord, HeaderChecks) {
  std::vector<std::uint8_t> chunk(1024, 0);
  const std::uint8_t header[] = {0x2a, 0x2a, 0, 0, 40, 0, 0, 0, 7, 0, 0, 0, 0, 0, 0, 0};
  std::copy(std::begin(header), std::end(header), chunk.begin() + 512);
  chunk[512 + 36] = 40;
  ki::evtx::RecordHeader h;
  std::string why;
  ASSERT_TRUE(ki::evtx::read_record_header(chunk.data(), 512, 1024, h, why)) << why;
  EXPECT_EQ(h.size, 40u);
  EXPECT_EQ(h.record_id, 7u);
  EXPECT_FALSE(ki::evtx::read_record_header(chunk.data(), 512, 540, h, why));
  EXPECT_EQ(why, "record size runs past the chunk's records");
  chunk[512 + 36] = 48;
  EXPECT_FALSE(ki::evtx::read_record_header(chunk.data(), 512, 1024, h, why));
  EXPECT_EQ(why, "record size and its trailing copy differ");
  chunk[512 + 4] = 0;
  EXPECT_FALSE(ki::evtx::read_record_header(chunk.data(), 512, 1024, h, why));
  EXPECT_EQ(why, "record size is zero");
  chunk[512] = 0x2b;
  EXPECT_FALSE(ki::evtx::read_record_header(chunk.data(), 512, 1024, h, why));
  EXPECT_EQ(why, "bad record signature");
}

TEST(EvtxRecord, SystemFieldsUnderCanonicalNames) {
  const auto records = read_events(w::kerberos_sample_events(), "system");
  ASSERT_FALSE(records.empty());
  const ki::Record& r = records.front();
  const w::Event e = w::kerberos_sample_events().front();
  EXPECT_EQ(r.event_id, e.event_id);
  EXPECT_EQ(*r.system_field("EventID"), std::to_string(e.event_id));
  EXPECT_EQ(*r.system_field("Provider"), e.provider_name);
  EXPECT_EQ(*r.system_field("ProviderGuid"), "{54849625-5478-4994-A5BA-3E3B0328C30D}");  // a GUID value: upper case
  EXPECT_EQ(*r.system_field("Computer"), e.computer);
  EXPECT_EQ(*r.system_field("Channel"), e.channel);
  EXPECT_EQ(*r.system_field("EventRecordID"), std::to_string(e.record_id));
  EXPECT_EQ(*r.system_field("TimeCreated"), w::iso_from_filetime(e.time_created));
  EXPECT_EQ(*r.system_field("Keywords"), "0x8020000000000000");
  for (const char* name : {"Version", "Level", "Task", "Opcode", "ProcessID", "ThreadID"})
    EXPECT_NE(r.system_field(name), nullptr) << name;
}

TEST(EvtxRecord, EveryValueTypeRendersAsWindowsShowsIt) {
  const auto records = read_events(w::all_value_types_events(), "values");
  ASSERT_EQ(records.size(), 1u);
  const ki::Record& r = records.front();
  EXPECT_EQ(data(r, "UnicodeString"), "J\xC3\xBCrgen \xE7\x94\xA8\xE6\x88\xB7");
  EXPECT_EQ(data(r, "AnsiString"), "ansi text");
  EXPECT_EQ(data(r, "Int8"), "-5");
  EXPECT_EQ(data(r, "UInt8"), "200");
  EXPECT_EQ(data(r, "Int16"), "-300");
  EXPECT_EQ(data(r, "UInt16"), "65000");
  EXPECT_EQ(data(r, "Int32"), "-70000");
  EXPECT_EQ(data(r, "UInt32"), "4000000000");
  EXPECT_EQ(data(r, "Int64"), "-5000000000000");
  EXPECT_EQ(data(r, "UInt64"), "18446744073709551615");
  EXPECT_EQ(data(r, "Float"), "1.5");
  EXPECT_EQ(data(r, "Double"), "0.25");
  EXPECT_EQ(data(r, "Bool"), "true");
  EXPECT_EQ(data(r, "Binary"), "DEADBEEF");
  EXPECT_EQ(data(r, "Guid"), "{ED648110-ACF3-7F43-0CCB-256EF183156D}");
  EXPECT_EQ(data(r, "SizeT"), "0x1cbe991a14");
  EXPECT_EQ(data(r, "FileTime"), "2025-07-30T20:22:05.7319365Z");
  EXPECT_EQ(data(r, "SystemTime"), "2025-07-30T20:22:05.7310000Z");
  EXPECT_EQ(data(r, "Sid"), "S-1-5-21-3623811015-3361044348-30300820-1013");
  EXPECT_EQ(data(r, "HexInt32"), "0x25");
  EXPECT_EQ(data(r, "HexInt64"), "0x1c");
  EXPECT_EQ(data(r, "StringArray"), "alpha, beta");
  // Nested binary XML inside a Data element: its text, in document order.
  EXPECT_EQ(data(r, "BinXml"), "0x171082195968");
  EXPECT_EQ(data(r, "Null"), "");
  EXPECT_EQ(data(r, "Data1"), "unnamed data");
  ASSERT_EQ(r.data.size(), 25u);
  EXPECT_EQ(r.data.front().name, "UnicodeString");
  EXPECT_EQ(r.data.back().name, "Data1");
}

TEST(EvtxRecord, CodesStoredAsStringsStayVerbatim) {
  const auto records = read_events(w::kerberos_sample_events(), "codes");
  bool padded = false, hex = false;
  for (const ki::Record& r : records) {
    const std::string status = data(r, "Status");
    if (status.size() == 10) padded = true;  // "0x00000025": stored as a string, kept as is
    if (status.size() < 10 && status.rfind("0x", 0) == 0) hex = true;  // HexInt32: "0x25"
  }
  EXPECT_TRUE(padded);
  EXPECT_TRUE(hex);
}

TEST(EvtxRecord, UserDataIsFlattenedByName) {
  ki::Record out;
  ki::evtx::RecordBuilder b;
  b.begin(out);
  b.start_element("Event");
  b.close_start();
  b.start_element("UserData");
  b.close_start();
  b.start_element("LogFileCleared");
  b.attribute("xmlns");
  b.target();
  b.close_start();
  b.start_element("SubjectUserName");
  b.close_start();
  *b.target() += "admin";
  b.end_element();
  b.start_element("Info");
  b.attribute("Process");
  *b.target() += "wevtutil.exe";
  b.end_element();
  b.end_element();
  b.end_element();
  b.end_element();
  b.finish(42);
  ASSERT_EQ(out.data.size(), 2u);
  EXPECT_EQ(out.data[0].name, "SubjectUserName");
  EXPECT_EQ(out.data[0].value, "admin");
  EXPECT_EQ(out.data[1].name, "Process");
  EXPECT_EQ(out.data[1].value, "wevtutil.exe");
  EXPECT_EQ(*out.system_field("EventRecordID"), "42");  // from the record header when the XML has none
}

// Every chunk of every shared sample, read once through the per-template plans and once event by event:
// both paths must give the same records (all of them, not only Kerberos ones) and the same reports.
std::string describe(const ki::evtx::ChunkResult& result) {
  std::string out;
  for (std::size_t i = 0; i < result.count; ++i) {
    const auto& item = result.items[i];
    out += item.bad ? "bad " + item.error : "record " + std::to_string(item.record.event_id);
    out += "\n";
    for (const auto& f : item.record.system) out += " S " + f.name + "=" + f.value + "\n";
    for (const auto& f : item.record.data) out += " D " + f.name + "=" + f.value + "\n";
  }
  return out;
}

// Reads every chunk of a file both ways; the number of records compared.
std::size_t compare_paths(const std::uint8_t* data, std::size_t bytes, const std::string& label) {
  ki::evtx::BinXmlContext fast_context, slow_context;
  ki::evtx::RecordBuilder fast, slow;
  slow.use_plans(false);
  ki::evtx::ChunkResult fast_result, slow_result;
  ki::evtx::ChunkReadOptions options;
  options.label = label;
  std::size_t records = 0;
  for (std::size_t at = ki::evtx::kFileHeaderBlockSize; at < bytes; at += ki::evtx::kChunkSize) {
    const std::size_t size = std::min<std::size_t>(ki::evtx::kChunkSize, bytes - at);
    fast_result.clear();
    slow_result.clear();
    ki::evtx::read_chunk(data + at, size, at, true, options, fast_context, fast, fast_result);
    ki::evtx::read_chunk(data + at, size, at, true, options, slow_context, slow, slow_result);
    EXPECT_EQ(describe(fast_result), describe(slow_result)) << label << " chunk at " << at;
    if (describe(fast_result) != describe(slow_result)) return records;
    records += fast_result.count;
  }
  return records;
}

TEST(EvtxRecord, PlansGiveWhatEventByEventRenderingGives) {
  KI_REQUIRE_SHARED_DATA();
  std::size_t files = 0, records = 0;
  for (const auto& entry : fs::recursive_directory_iterator(ki::test::shared_data_dir() / "evtx")) {
    if (entry.path().extension() != ".evtx") continue;
    ++files;
    const std::string bytes = ki::test::read_file(entry.path());
    records += compare_paths(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size(),
                             entry.path().filename().string());
  }
  EXPECT_GT(files, 20u);
  EXPECT_GT(records, 10000u);
}

// The writer's files keep EventData in a nested BinXml value, the case of plans built inside plans.
TEST(EvtxRecord, PlansHandleNestedEventData) {
  std::vector<w::Event> events = w::kerberos_sample_events();
  for (const auto& e : w::all_value_types_events()) events.push_back(e);
  for (std::uint64_t i = 0; i < 3000; ++i) events.push_back(w::synthetic_event(100 + i, i * 2654435761u, i % 10 != 0));
  std::string error;
  const auto bytes = w::build(events, {}, error);
  ASSERT_TRUE(error.empty()) << error;
  EXPECT_EQ(compare_paths(bytes.data(), bytes.size(), "generated.evtx"), events.size());
}

}  // namespace
