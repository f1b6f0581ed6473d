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

std::string fixture(const std::string& name) { return ki::test::fixture_path("json", name); }

TEST(JsonSource, MatchesTheGoldenRecordsOfEveryFixture) {
  EXPECT_GE(ki::test::check_golden_fixtures(SourceKind::json, "json"), 4);
}

TEST(JsonSource, ReportsEachBadLineOnceWithItsNumber) {
  const auto all = read_all(SourceKind::json, fixture("bad_input.jsonl"));
  EXPECT_EQ(all.stats.records, 3u);
  EXPECT_EQ(all.stats.bad, 5u);
  ASSERT_EQ(all.errors.size(), 5u);
  EXPECT_NE(all.errors[0].find("bad_input.jsonl: line 2 (offset 107)"), std::string::npos) << all.errors[0];
  EXPECT_NE(all.errors[1].find("line 4"), std::string::npos) << all.errors[1];
  EXPECT_NE(all.errors[4].find("line 7"), std::string::npos) << all.errors[4];
  EXPECT_EQ(*all.records[1].data_field("TargetUserName"), "h\xEF\xBF\xBDl\xEF\xBF\xBDne");
}

TEST(JsonSource, NxlogTimeIsPlacedInUtcWithTheReceptionTimestamp) {
  const auto all = read_all(SourceKind::json, fixture("nxlog_flat.jsonl"));
  ASSERT_EQ(all.records.size(), 4u);
  // EventTime 09:30:15 local, @timestamp 14:30:16.250Z: the collector ran at UTC-5.
  EXPECT_EQ(*all.records[0].system_field("TimeCreated"), "2024-02-01T14:30:15Z");
  EXPECT_EQ(*all.records[0].system_field("Keywords"), "0x8020000000000000");
  EXPECT_EQ(all.records[0].data_field("Message"), nullptr);
  EXPECT_EQ(all.records[0].data_field("EventReceivedTime"), nullptr);
  EXPECT_EQ(*all.records[1].system_field("ProcessID"), "640") << "old NXLog's ProcessID is the Execution process";
  EXPECT_EQ(all.records[1].data_field("ProcessID"), nullptr);
  EXPECT_EQ(all.records[2].system_field("ProcessID"), nullptr) << "5156's ProcessID is EventData";
  EXPECT_EQ(*all.records[2].data_field("ProcessID"), "2348");
  EXPECT_EQ(*all.records[2].data_field("Type"), "0");
  EXPECT_EQ(*all.records[3].data_field("TargetUserName"), "carol") << "Log Analytics' EventData XML";
  EXPECT_EQ(all.records[3].data_field("Type"), nullptr);
}

TEST(JsonSource, SkipsAHugeLineAsOneBadRecord) {
  const std::string good = "{\"EventID\":4768,\"Hostname\":\"dc.corp.example\"}\n";
  std::string huge = "{\"EventID\":4769,\"Message\":\"";
  huge.append(10u << 20, 'x');
  huge += "\"}\n";
  const auto all = read_all(SourceKind::json, ki::test::write_scratch("huge.jsonl", good + huge + good).string());
  EXPECT_EQ(all.stats.records, 2u);
  EXPECT_EQ(all.stats.bad, 1u);
  ASSERT_EQ(all.errors.size(), 1u);
  EXPECT_NE(all.errors[0].find("line 2"), std::string::npos) << all.errors[0];
}

TEST(JsonSource, FiltersAndResumes) {
  ki::SourceOptions options;
  options.event_ids = {4770};
  const auto filtered = read_all(SourceKind::json, fixture("winlogbeat.jsonl"), options);
  ASSERT_EQ(filtered.records.size(), 1u);
  EXPECT_EQ(filtered.stats.filtered, 1u);

  std::string error;
  auto source = ki::open_source(SourceKind::json, fixture("openwec.jsonl"), {}, error);
  ASSERT_NE(source, nullptr) << error;
  ki::Record record;
  ASSERT_EQ(source->next(record, error), ki::ReadStatus::record);
  ki::SourceOptions resume;
  resume.resume_position = source->position();
  const auto rest = read_all(SourceKind::json, fixture("openwec.jsonl"), resume);
  ASSERT_EQ(rest.records.size(), 2u);
  EXPECT_EQ(rest.records[0].event_id, 7036u);
  EXPECT_EQ(rest.stats.bad, 0u);
}

// Flat lines are read by a fast reader that hands anything unusual to RapidJSON. Putting a "data" member
// first sends a line down RapidJSON's path (it is an ordinary EventData field there), so each line is read
// both ways and must give the same record, or be bad both ways.
// A filtered line is named to the checkpoint (Computer, Channel, EventRecordID): NXLog lines from the names
// found by search as the EventID is, other lines after a full parse; a line with nothing to name is not.
TEST(JsonSource, NamesEachFilteredLineItCanIdentify) {
  const auto nxlog = [](const std::string& id, const std::string& host, const std::string& record) {
    return R"({"EventTime":"2024-03-01 10:00:00","Hostname":")" + host + R"(","EventID":)" + id +
           R"(,"Channel":"Security","RecordNumber":)" + record + R"(,"Message":"Category: Computer\r\n"})" "\n";
  };
  const std::string lines =
      nxlog("4624", "dc1", "1") + nxlog("4769", "dc1", "2") + nxlog("4624", "d\\u0063\\u0032", "3") +
      // Log Analytics keeps no record number among the System values: nothing to name.
      R"({"TimeGenerated":"2024-03-01T10:00:00Z","Computer":"dc3","EventID":4624,"EventRecordID":"9","Channel":"Security","SourceSystem":"OpsManager"})" "\n"
      // A value that equals a key's name is not that key.
      + nxlog("4624", "Hostname", "4") +
      R"({"EventID":4624,"Hostname":"dc5"})" "\n"
      // OpenWEC keeps the names inside "System".
      R"({"System":{"Provider":{"Name":"p"},"EventID":4624,"EventRecordID":11,"Channel":"Security","Computer":"dc6"},"EventData":{"TargetUserName":"u"}})" "\n"
      // Named by search, not parsed: the damage at its end goes unreported, as for any skipped line.
      R"({"Hostname":"dc9","EventID":4624,"RecordNumber":7,"Channel":"Security","X":tru})" "\n";
  const auto path = ki::test::write_scratch("filtered.jsonl", lines);
  std::vector<std::string> named;
  const ki::SourceOptions options = ki::test::naming_filtered({4769}, named);
  const auto all = read_all(SourceKind::json, path.string(), options);
  EXPECT_EQ(all.records.size(), 1u);
  EXPECT_EQ(all.stats.bad, 0u);
  EXPECT_EQ(all.stats.filtered, 7u);
  // dc2's name has escapes, so its line was parsed in full to be named.
  EXPECT_EQ(named,
            (std::vector<std::string>{"dc1/Security/1", "dc2/Security/3", "Hostname/Security/4", "dc6/Security/11",
                                      "dc9/Security/7"}));
}

TEST(JsonSource, FastFlatReaderAgreesWithRapidJson) {
  const std::string head = R"({"EventID":4769,"Hostname":"dc.corp.example","RecordNumber":7,)";
  std::vector<std::string> bodies = {
      R"("TargetUserName":"alice","Status":"0x0"})",
      R"("TargetUserName":"a\\b\"c\/d\te\r\n\b\f","Status":"0x0"})",                 // every simple escape
      R"("Tar\tget":"x"})",                                                            // an escaped key
      R"("TargetUserName":"caf\u00e9","ServiceName":"\ud83d\ude00"})",                 // \u escapes
      R"("Message":"\ud83d lone","TargetUserName":"x"})",
      R"("Keywords":-9214364837600034816,"Task":0,"Level":-0,"Big":123456789012345678901234567890})",
      R"("Fraction":1.5,"Exponent":1e5,"Negative":-2.5E-3})",
      R"("Bad":01})", R"("Bad":-})", R"("Bad":1.})", R"("Bad":.5})", R"("Bad":1e})",
      R"("Flag":true,"Other":false,"Nothing":null,"TargetUserName":"x"})",
      R"("Nan":NaN})", R"("Inf":Infinity,"MinusInf":-Infinity})", R"("Bad":tru})",
      R"("tags":["a",{"b":[1,2,{"c":null}],"d":"\"]}"}],"Empty":[],"EmptyObject":{}})",
      R"("EventData":{"TargetUserName":"bob","Data":["x","y"]}})",
      R"("EventData":"<EventData><Data Name=\"TargetUserName\">carol</Data></EventData>"})",
      R"("EventData":"plain text"})",
      "\"Message\":\"raw\ttab\"}", R"("Message":"bad \q escape"})", R"("Message":"unterminated})",
      // Blocks whose escapes are all \n \r \t are settled by their masks: a raw control byte among them,
      // a \u or a \\ beside them, and a string that ends inside such a block.
      "\"Message\":\"a\\nb\x01c\\td\",\"TargetUserName\":\"x\"}", R"("Message":"a\nb\u0041c\td","TargetUserName":"x"})",
      R"("Message":"a\n\\b\rc","TargetUserName":"x"})", R"("Message":"\r\n\t","TargetUserName":"x"})",
      R"("Message":"0123456789abcd\n","TargetUserName":"x"})",
      R"("TargetUserName":"x"} trailing)", R"("TargetUserName":"x",})", R"("TargetUserName" "x"})",
      " \"TargetUserName\" :\t\"x\" , \"Status\" : \"0x6\" } ",
      R"("TargetUserName":"first","TargetUserName":"second"})",                       // duplicate keys
      R"("SourceModuleType":"im_msvistalog","EventTime":"2024-02-01 09:30:15","@timestamp":"2024-02-01T14:30:16.250Z","ProcessID":640})",
      R"("Opcode":"Info","TimeGenerated":"2024-02-01T14:30:16.250Z","Nested":{"deep":[[[[[[[[[[[[1]]]]]]]]]]]]}})",
      R"("TenantId":"t","Computer":"azure-dc","EventSourceName":"Microsoft-Windows-Security-Auditing","Type":"SecurityEvent"})",
  };
  // Escapes around the 16-byte block edges of a long skipped value.
  for (std::size_t at = 0; at < 40; ++at) {
    for (const char* escape : {R"(\")", R"(\\)", R"(\r\n)", R"(\t)"}) {
      std::string message(at, 'm');
      message += escape;
      message.append(40 - at, 'n');
      bodies.push_back("\"Message\":\"" + message + "\",\"TargetUserName\":\"u" + std::to_string(at) + "\"}");
    }
  }
  std::string fast_input, slow_input;
  for (const auto& body : bodies) {
    fast_input += head + body + "\n";
    slow_input += R"({"data":"x",)" + head.substr(1) + body + "\n";
  }
  const auto fast = read_all(SourceKind::json, ki::test::write_scratch("fast.jsonl", fast_input).string());
  const auto slow = read_all(SourceKind::json, ki::test::write_scratch("slow.jsonl", slow_input).string());
  EXPECT_EQ(fast.stats.bad, slow.stats.bad);
  ASSERT_EQ(fast.records.size(), slow.records.size());
  EXPECT_GT(fast.records.size(), 150u);
  EXPECT_GE(fast.stats.bad, 10u);
  for (std::size_t i = 0; i < fast.records.size(); ++i) {
    const ki::Record& a = fast.records[i];
    ki::Record b = slow.records[i];
    ASSERT_FALSE(b.data.empty());
    EXPECT_EQ(b.data.front().name, "data");
    b.data.erase(b.data.begin());
    EXPECT_EQ(a.event_id, b.event_id);
    ASSERT_EQ(a.system.size(), b.system.size()) << "record " << i;
    for (std::size_t k = 0; k < a.system.size(); ++k) {
      EXPECT_EQ(a.system[k].name, b.system[k].name) << "record " << i;
      EXPECT_EQ(a.system[k].value, b.system[k].value) << "record " << i;
    }
    ASSERT_EQ(a.data.size(), b.data.size()) << "record " << i;
    for (std::size_t k = 0; k < a.data.size(); ++k) {
      EXPECT_EQ(a.data[k].name, b.data[k].name) << "record " << i;
      EXPECT_EQ(a.data[k].value, b.data[k].value) << "record " << i;
    }
  }
  // Spot checks that the lines said what they seem to.
  EXPECT_EQ(*fast.records[1].data_field("TargetUserName"), "a\\b\"c/d\te\r\n\b\f");
  EXPECT_EQ(*fast.records[2].data_field("Tar\tget"), "x");
  EXPECT_EQ(*fast.records[3].data_field("TargetUserName"), "caf\xC3\xA9");
}

TEST(JsonSource, NamesTheFileItCannotOpen) {
  std::string error;
  EXPECT_EQ(ki::open_source(SourceKind::json, "missing/events.jsonl", {}, error), nullptr);
  EXPECT_NE(error.find("missing/events.jsonl"), std::string::npos) << error;
}

TEST(JsonSource, ReadsTheSharedNxlogSample) {
  KI_REQUIRE_SHARED_DATA();
  const auto all = read_all(SourceKind::json, (ki::test::shared_data_dir() / "json/otrf_nxlog_security_sample.jsonl").string());
  EXPECT_EQ(all.stats.bad, 0u);
  EXPECT_EQ(all.records.size(), 323u);
  std::map<std::uint32_t, int> per_id;
  for (const auto& r : all.records) ++per_id[r.event_id];
  EXPECT_EQ(per_id[4768], 13);
  EXPECT_EQ(per_id[4769], 90);
  EXPECT_EQ(per_id[4770], 12);
  EXPECT_EQ(per_id[4768] + per_id[4769] + per_id[4770], 115);
  EXPECT_EQ(per_id[4776], 20);

  const auto it = std::find_if(all.records.begin(), all.records.end(), [](const ki::Record& r) {
    return r.event_id == 4768 && r.system_field("EventRecordID") && *r.system_field("EventRecordID") == "1957163";
  });
  ASSERT_NE(it, all.records.end());
  EXPECT_EQ(*it->system_field("Computer"), "MORDORDC.theshire.local");
  EXPECT_EQ(*it->system_field("TimeCreated"), "2020-09-22T03:03:07Z");
  EXPECT_EQ(*it->system_field("ProcessID"), "696");
  EXPECT_EQ(*it->data_field("TargetUserName"), "pgustavo");
  EXPECT_EQ(*it->data_field("TicketEncryptionType"), "0x17");
  EXPECT_EQ(it->data_field("ERROR_EVT_UNRESOLVED"), nullptr);
  int failures = 0;
  for (const auto& r : all.records)
    if (r.event_id == 4769 && *r.data_field("Status") == "0x1b") ++failures;
  EXPECT_EQ(failures, 5);
}

TEST(JsonSource, ReadsTheSharedWinlogbeatSample) {
  KI_REQUIRE_SHARED_DATA();
  const auto all = read_all(SourceKind::json, (ki::test::shared_data_dir() / "json/winlogbeat8_4768_v2.json").string());
  ASSERT_EQ(all.records.size(), 1u);
  const ki::Record& r = all.records[0];
  EXPECT_EQ(r.event_id, 4768u);
  EXPECT_EQ(*r.system_field("EventRecordID"), "91638");
  EXPECT_EQ(*r.system_field("Computer"), "DC02.badsuccessor.local");
  EXPECT_EQ(*r.system_field("TimeCreated"), "2026-05-16T21:28:22.684Z");
  EXPECT_EQ(*r.system_field("Version"), "2");
  EXPECT_EQ(*r.system_field("ProcessID"), "796");
  EXPECT_EQ(*r.system_field("ThreadID"), "2224");
  EXPECT_EQ(*r.data_field("TargetUserName"), "svc-golden$");
  EXPECT_EQ(*r.data_field("PreAuthEncryptionType"), "0x12");
  EXPECT_EQ(*r.data_field("ClientAdvertizedEncryptionTypes"), "\n\t\tAES256-CTS-HMAC-SHA1-96");
}

}  // namespace
