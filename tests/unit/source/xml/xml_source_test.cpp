#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>

#include <gtest/gtest.h>

#include "../golden_records.hpp"
#include "source/source.hpp"
#include "support/paths.hpp"

namespace {

using ki::SourceKind;
using ki::test::read_all;

std::string fixture(const std::string& name) { return ki::test::fixture_path("xml", name); }

const std::string kEvent =
    "<Event><System><EventID>4768</EventID><Computer>dc.corp.example</Computer></System>"
    "<EventData><Data Name='TargetUserName'>u</Data></EventData></Event>\n";

TEST(XmlSource, MatchesTheGoldenRecordsOfEveryFixture) {
  EXPECT_GE(ki::test::check_golden_fixtures(SourceKind::xml, "xml"), 3);
}

TEST(XmlSource, ReportsEachBadStretchOnceAndKeepsTheGoodRecords) {
  const auto all = read_all(SourceKind::xml, fixture("bad_input.xml"));
  EXPECT_EQ(all.stats.records, 3u);
  EXPECT_EQ(all.stats.bad, 5u);
  ASSERT_EQ(all.errors.size(), 5u);
  for (const auto& e : all.errors) {
    EXPECT_NE(e.find("bad_input.xml"), std::string::npos) << e;
    EXPECT_NE(e.find("offset "), std::string::npos) << e;
  }
  EXPECT_NE(all.errors[0].find("offset 330"), std::string::npos) << all.errors[0];
  EXPECT_NE(all.errors.back().find("ends before </Event>"), std::string::npos) << all.errors.back();
  ASSERT_EQ(all.records.size(), 3u);
  EXPECT_EQ(*all.records[1].data_field("TargetUserName"), "d\xEF\xBF\xBDnis") << "invalid UTF-8 becomes U+FFFD";
}

TEST(XmlSource, ResumesJustAfterTheLastRecordReturned) {
  const std::string path = fixture("wevtutil_events.xml");
  std::string error;
  auto source = ki::open_source(SourceKind::xml, path, {}, error);
  ASSERT_NE(source, nullptr) << error;
  ki::Record first, second;
  ASSERT_EQ(source->next(first, error), ki::ReadStatus::record);
  const std::uint64_t after_first = source->position();
  ASSERT_EQ(source->next(second, error), ki::ReadStatus::record);
  ki::SourceOptions options;
  options.resume_position = after_first;
  const auto rest = read_all(SourceKind::xml, path, options);
  ASSERT_EQ(rest.records.size(), 3u);
  EXPECT_EQ(rest.stats.bad, 0u) << "resuming lands between events, never inside one";
  EXPECT_EQ(*rest.records[0].system_field("EventRecordID"), *second.system_field("EventRecordID"));
  options.resume_position = rest.position;
  const auto nothing = read_all(SourceKind::xml, path, options);
  EXPECT_TRUE(nothing.records.empty());
  EXPECT_EQ(nothing.stats.bad, 0u);
}

TEST(XmlSource, FiltersByEventIdAndCountsTheSkipped) {
  ki::SourceOptions options;
  options.event_ids = {4771, 7036};
  const auto all = read_all(SourceKind::xml, fixture("wevtutil_events.xml"), options);
  ASSERT_EQ(all.records.size(), 2u);
  EXPECT_EQ(all.records[0].event_id, 4771u);
  EXPECT_EQ(all.records[1].event_id, 7036u);
  EXPECT_EQ(all.stats.filtered, 2u);
}

// A filtered event is named to the checkpoint (Computer, Channel, EventRecordID), whether it was skipped by
// the search for its EventID or after a full parse (an EventID written with a reference).
TEST(XmlSource, NamesEachFilteredEventItCanIdentify) {
  const auto event = [](const std::string& id, const std::string& computer, const std::string& record) {
    return "<Event><System><EventID>" + id + "</EventID><EventRecordID>" + record +
           "</EventRecordID><Channel>Security</Channel><Computer>" + computer + "</Computer></System>"
           "<EventData><Data Name='TargetUserName'>u</Data></EventData></Event>\n";
  };
  const auto path = ki::test::write_scratch(
      "filtered.xml", event("4624", "dc1", "1") + event("4769", "dc1", "2") + event("&#52;624", "dc2", "5") +
                          event("4624", "dc&amp;3", "9") +
                          "<Event><System><EventID>4624</EventID><Computer>dc4</Computer></System></Event>\n");
  std::vector<std::string> named;
  const ki::SourceOptions options = ki::test::naming_filtered({4769}, named);
  const auto all = read_all(SourceKind::xml, path.string(), options);
  EXPECT_EQ(all.records.size(), 1u);
  EXPECT_EQ(all.stats.filtered, 4u);
  // The last event has no EventRecordID: nothing to name.
  EXPECT_EQ(named, (std::vector<std::string>{"dc1/Security/1", "dc2/Security/5", "dc&3/Security/9"}));
}

TEST(XmlSource, SkipsAHugeEventAsOneBadRecord) {
  std::string huge = "<Event><System><EventID>4768</EventID></System><EventData><Data Name='Big'>";
  huge.append(10u << 20, 'A');
  huge += "</Data></EventData></Event>\n";
  const auto path = ki::test::write_scratch("huge.xml", kEvent + huge + kEvent);
  const auto all = read_all(SourceKind::xml, path.string());
  EXPECT_EQ(all.stats.records, 2u);
  EXPECT_EQ(all.stats.bad, 1u);
  ASSERT_EQ(all.errors.size(), 1u);
  EXPECT_NE(all.errors[0].find("longer than"), std::string::npos) << all.errors[0];
}

TEST(XmlSource, TurnsBinaryGarbageAndUtf16IntoOneBadRecord) {
  std::string garbage(4096, '\0');
  for (std::size_t i = 0; i < garbage.size(); ++i) garbage[i] = static_cast<char>(i * 7 % 251);
  std::replace(garbage.begin(), garbage.end(), '<', '.');
  auto all = read_all(SourceKind::xml, ki::test::write_scratch("garbage.xml", kEvent + garbage + kEvent).string());
  EXPECT_EQ(all.stats.records, 2u);
  EXPECT_EQ(all.stats.bad, 1u);
  all = read_all(SourceKind::xml, ki::test::write_scratch("utf16.xml", std::string("\xFF\xFE<\0E\0", 6)).string());
  EXPECT_EQ(all.stats.records, 0u);
  EXPECT_EQ(all.stats.bad, 1u);
  ASSERT_EQ(all.errors.size(), 1u);
  EXPECT_NE(all.errors[0].find("UTF-16"), std::string::npos);
}

TEST(XmlSource, NamesTheFileItCannotOpen) {
  std::string error;
  EXPECT_EQ(ki::open_source(SourceKind::xml, "missing/events.xml", {}, error), nullptr);
  EXPECT_NE(error.find("missing/events.xml"), std::string::npos) << error;
}

TEST(XmlSource, ReadsTheSharedGoadSamples) {
  KI_REQUIRE_SHARED_DATA();
  const auto dir = ki::test::shared_data_dir() / "xml";
  auto all = read_all(SourceKind::xml, (dir / "goad_essos_4768_v2.xml").string());
  ASSERT_EQ(all.records.size(), 1u);
  EXPECT_EQ(all.stats.bad, 0u);
  const ki::Record& tgt = all.records[0];
  EXPECT_EQ(tgt.event_id, 4768u);
  EXPECT_EQ(*tgt.system_field("TimeCreated"), "2025-07-30T20:22:05.731936500Z");
  EXPECT_EQ(*tgt.system_field("EventRecordID"), "69715");
  EXPECT_EQ(*tgt.system_field("Computer"), "meereen.essos.local");
  EXPECT_EQ(*tgt.system_field("Version"), "2");
  EXPECT_EQ(*tgt.system_field("ProcessID"), "580");
  EXPECT_EQ(*tgt.data_field("TargetUserName"), "MEEREEN$");
  EXPECT_EQ(*tgt.data_field("PreAuthType"), "16");
  EXPECT_EQ(*tgt.data_field("CertIssuerName"), "ESSOS-CA");
  EXPECT_EQ(*tgt.data_field("AccountSupportedEncryptionTypes"), "0x1F (DES, RC4, AES128-SHA96, AES256-SHA96)");
  EXPECT_EQ(tgt.data.size(), 24u);

  all = read_all(SourceKind::xml, (dir / "goad_essos_4769_v2.xml").string());
  ASSERT_EQ(all.records.size(), 1u);
  const ki::Record& tgs = all.records[0];
  EXPECT_EQ(tgs.event_id, 4769u);
  EXPECT_EQ(*tgs.system_field("Task"), "14337");
  EXPECT_EQ(*tgs.data_field("TargetUserName"), "meereen$@ESSOS.LOCAL");
  EXPECT_EQ(*tgs.data_field("LogonGuid"), "{655ECAD8-5DB2-9DF7-8F80-0C05A956119D}");
  EXPECT_EQ(*tgs.data_field("TicketOptions"), "0x40810018");
}

}  // namespace
