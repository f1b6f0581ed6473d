#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "../golden_records.hpp"
#include "source/source.hpp"
#include "support/paths.hpp"

namespace {

using ki::SourceKind;
using ki::test::read_all;

std::string fixture(const std::string& name) { return ki::test::fixture_path("text", name); }

TEST(TextSource, MatchesTheGoldenRecordsOfEveryFixture) {
  EXPECT_GE(ki::test::check_golden_fixtures(SourceKind::text, "text"), 3);
}

TEST(TextSource, MapsLegacyLabelsAndKeepsDecimalCodes) {
  const auto all = read_all(SourceKind::text, fixture("legacy.txt"));
  ASSERT_EQ(all.records.size(), 3u);
  const ki::Record& r677 = all.records[0];
  EXPECT_EQ(r677.event_id, 677u);
  EXPECT_EQ(*r677.data_field("ServiceName"), "MSSQLSvc/sql02.corp.example:1433");
  EXPECT_EQ(*r677.data_field("Status"), "7");
  EXPECT_EQ(*r677.data_field("IpAddress"), "127.0.0.1");
  EXPECT_EQ(all.records[1].event_id, 675u);
  EXPECT_EQ(*all.records[1].data_field("Status"), "24");
  EXPECT_EQ(all.records[2].event_id, 672u);
  EXPECT_EQ(*all.records[2].data_field("TargetDomainName"), "CORP.EXAMPLE");
}

TEST(TextSource, ReportsBadStretchesAndKeepsTheGoodEvent) {
  const auto all = read_all(SourceKind::text, fixture("bad_input.txt"));
  EXPECT_EQ(all.stats.records, 1u);
  EXPECT_EQ(all.stats.bad, 3u);
  ASSERT_EQ(all.errors.size(), 3u);
  EXPECT_NE(all.errors[0].find("bad_input.txt: line 1 (offset 0)"), std::string::npos) << all.errors[0];
  EXPECT_NE(all.errors[2].find("line 7"), std::string::npos) << all.errors[2];
  ASSERT_EQ(all.records.size(), 1u);
  EXPECT_EQ(all.records[0].event_id, 4770u) << "the event ID comes from the message title";
}

TEST(TextSource, SkipsAHugeEventAsOneBadRecord) {
  const std::string good = "01/01/2024 01:00:00 AM\nEventCode=4769\nMessage=A Kerberos service ticket was requested.\n";
  std::string huge = "01/01/2024 01:00:01 AM\nEventCode=4769\nMessage=x\n";
  huge.append(10u << 20, 'x');
  huge += "\n";
  const auto all = read_all(SourceKind::text, ki::test::write_scratch("huge.txt", good + huge + good).string());
  EXPECT_EQ(all.stats.records, 2u);
  EXPECT_EQ(all.stats.bad, 1u);
}

TEST(TextSource, FiltersAndResumes) {
  ki::SourceOptions options;
  options.event_ids = {4769};
  const auto filtered = read_all(SourceKind::text, fixture("splunk_classic.txt"), options);
  ASSERT_EQ(filtered.records.size(), 1u);
  EXPECT_EQ(filtered.stats.filtered, 2u);

  std::string error;
  auto source = ki::open_source(SourceKind::text, fixture("splunk_classic.txt"), {}, error);
  ASSERT_NE(source, nullptr) << error;
  ki::Record record;
  ASSERT_EQ(source->next(record, error), ki::ReadStatus::record);
  ki::SourceOptions resume;
  resume.resume_position = source->position();
  const auto rest = read_all(SourceKind::text, fixture("splunk_classic.txt"), resume);
  ASSERT_EQ(rest.records.size(), 2u);
  EXPECT_EQ(rest.records[0].event_id, 4771u);
  EXPECT_EQ(rest.stats.bad, 0u);
}

TEST(TextSource, NamesTheFileItCannotOpen) {
  std::string error;
  EXPECT_EQ(ki::open_source(SourceKind::text, "missing/events.txt", {}, error), nullptr);
  EXPECT_NE(error.find("missing/events.txt"), std::string::npos) << error;
}

TEST(TextSource, ReadsTheSharedSplunkClassic4769) {
  KI_REQUIRE_SHARED_DATA();
  const auto all = read_all(SourceKind::text,
                            (ki::test::shared_data_dir() / "text/splunk_wineventlog_security_4769_classic.txt").string());
  ASSERT_EQ(all.records.size(), 1u);
  EXPECT_EQ(all.stats.bad, 0u);
  const ki::Record& r = all.records[0];
  EXPECT_EQ(r.event_id, 4769u);
  EXPECT_EQ(*r.system_field("TimeCreated"), "2024-11-28T16:58:44Z");
  EXPECT_EQ(*r.system_field("Computer"), "WIN-3BK7E06Q35B.test.com");
  EXPECT_EQ(*r.system_field("EventRecordID"), "96678");
  EXPECT_EQ(*r.system_field("Channel"), "Security");
  EXPECT_EQ(*r.data_field("TargetUserName"), "Administrator@TEST.COM");
  EXPECT_EQ(*r.data_field("TargetDomainName"), "TEST.COM");
  EXPECT_EQ(*r.data_field("LogonGuid"), "{c0e261ec-fa4b-9d25-25a6-bb8f34bd4a80}");
  EXPECT_EQ(*r.data_field("ServiceName"), "WIN-3BK7E06Q35B$");
  EXPECT_EQ(*r.data_field("ServiceSid"), "S-1-5-21-2889491314-2746541823-3071263440-1000");
  EXPECT_EQ(*r.data_field("IpAddress"), "::1");
  EXPECT_EQ(*r.data_field("IpPort"), "0");
  EXPECT_EQ(*r.data_field("TicketOptions"), "0x40810000");
  EXPECT_EQ(*r.data_field("TicketEncryptionType"), "0x12");
  EXPECT_EQ(*r.data_field("Status"), "0x0");
  EXPECT_EQ(*r.data_field("TransmittedServices"), "-");
  EXPECT_EQ(r.data.size(), 11u);
}

}  // namespace
