// The binary end to end, spawned exactly as splunkd spawns it (configuration XML on stdin, the stream read
// from stdout), over every real sample in xml, json and text form: each Kerberos record must appear exactly
// once, with the values the original file holds, read here independently of the project's own parsers.
#include <filesystem>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <pugixml.hpp>
#include <rapidjson/document.h>

#include "support/paths.hpp"
#include "support/spawn.hpp"
#include "support/temp_dir.hpp"

namespace {

namespace fs = std::filesystem;
using FieldMap = std::map<std::string, std::string>;

bool is_kerberos(unsigned id) { return (id >= 4768 && id <= 4773) || (id >= 672 && id <= 677); }

struct Expected {
  std::string record_id;
  std::string computer;
  FieldMap fields;  // original field name -> value, as the file writes it
};

struct Emitted {
  std::string stanza, host, source, sourcetype, index, time;
  rapidjson::Document data;
};

class SpawnedAsSplunkd : public ::testing::Test {
 protected:
  void SetUp() override { fs::create_directories(dir_ / "checkpoints"); }

  std::string input_xml(const std::string& kind, const fs::path& path) const {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<input><server_host>sh01</server_host>"
           "<server_uri>https://127.0.0.1:8089</server_uri><session_key>a-session-key-never-logged</session_key>"
           "<checkpoint_dir>" + (dir_ / "checkpoints").string() + "</checkpoint_dir><configuration>"
           "<stanza name=\"kerberos_events://samples\" app=\"kerberos_insight\"><param name=\"kind\">" + kind +
           "</param><param name=\"path\">" + path.string() + "</param><param name=\"index\">kerberos</param>"
           "<param name=\"host\">sh01</param><param name=\"interval\">60</param></stanza></configuration></input>\n";
  }

  // Runs one input and returns every event of the stream, failing the test on a malformed stream.
  std::vector<Emitted> run(const std::string& kind, const fs::path& path) {
    const auto spawned = ki::test::spawn_binary({}, input_xml(kind, path), dir_);
    EXPECT_EQ(spawned.exit_code, 0) << spawned.err;
    EXPECT_EQ(spawned.err.find("a-session-key-never-logged"), std::string::npos) << "the session key leaked";
    std::vector<Emitted> events;
    if (spawned.out.empty()) return events;
    pugi::xml_document doc;
    const auto parsed = doc.load_buffer(spawned.out.data(), spawned.out.size());
    EXPECT_TRUE(parsed) << parsed.description() << " at " << parsed.offset;
    for (auto event : doc.child("stream").children("event")) {
      Emitted e;
      e.stanza = event.attribute("stanza").value();
      e.host = event.child_value("host");
      e.source = event.child_value("source");
      e.sourcetype = event.child_value("sourcetype");
      e.index = event.child_value("index");
      e.time = event.child_value("time");
      e.data.Parse(event.child_value("data"));
      EXPECT_FALSE(e.data.HasParseError()) << event.child_value("data");
      events.push_back(std::move(e));
    }
    return events;
  }

  // Each expected record exactly once, with every expected value; nothing else.
  void expect_exactly_once(const std::string& kind, const fs::path& path, const std::vector<Expected>& expected) {
    SCOPED_TRACE(path.string());
    ASSERT_FALSE(expected.empty()) << "the sample holds no Kerberos record: the test would prove nothing";
    const auto events = run(kind, path);
    std::map<std::string, const Emitted*> by_record;
    for (const auto& e : events) {
      ASSERT_TRUE(e.data.IsObject());
      const std::string record_id = e.data["EventRecordID"].GetString();
      EXPECT_TRUE(by_record.emplace(record_id, &e).second) << "record " << record_id << " emitted twice";
      EXPECT_EQ(e.stanza, "kerberos_events://samples");
      EXPECT_EQ(e.sourcetype, "kerberos:event");
      EXPECT_EQ(e.index, "kerberos");
      EXPECT_EQ(e.source, path.string());
      EXPECT_EQ(e.host, e.data["Computer"].GetString());
      EXPECT_FALSE(e.time.empty());
    }
    EXPECT_EQ(by_record.size(), expected.size());
    for (const auto& want : expected) {
      const auto found = by_record.find(want.record_id);
      if (found == by_record.end()) {
        ADD_FAILURE() << "record " << want.record_id << " was not emitted";
        continue;
      }
      const auto& data = found->second->data;
      EXPECT_STREQ(data["Computer"].GetString(), want.computer.c_str());
      for (const auto& [name, value] : want.fields) {
        if (!data.HasMember(name.c_str())) {
          ADD_FAILURE() << "record " << want.record_id << ": field " << name << " missing";
          continue;
        }
        EXPECT_EQ(data[name.c_str()].GetString(), value) << "record " << want.record_id << " field " << name;
      }
    }
    // A second run with the same checkpoints has nothing new to send.
    EXPECT_TRUE(run(kind, path).empty()) << "a second run repeated records";
  }

  ki::test::TempDir temp_;
  const fs::path& dir_ = temp_.path;
};

std::vector<Expected> expected_from_xml(const fs::path& path) {
  std::vector<Expected> out;
  pugi::xml_document doc;
  EXPECT_TRUE(doc.load_file(path.c_str()));
  for (auto event : doc.select_nodes("//*[local-name()='Event']")) {
    const auto system = event.node().child("System");
    if (!is_kerberos(std::stoul(system.child_value("EventID")))) continue;
    Expected e{system.child_value("EventRecordID"), system.child_value("Computer"), {}};
    e.fields["TimeCreated"] = system.child("TimeCreated").attribute("SystemTime").value();
    for (auto data : event.node().child("EventData").children("Data")) e.fields[data.attribute("Name").value()] = data.child_value();
    out.push_back(std::move(e));
  }
  return out;
}

std::string json_text(const rapidjson::Value& v) {
  if (v.IsString()) return v.GetString();
  if (v.IsInt64()) return std::to_string(v.GetInt64());
  if (v.IsUint64()) return std::to_string(v.GetUint64());
  return {};
}

TEST_F(SpawnedAsSplunkd, RenderedXmlSamples) {
  KI_REQUIRE_SHARED_DATA();
  for (const auto& entry : fs::directory_iterator(ki::test::shared_data_dir() / "xml"))
    expect_exactly_once("xml", entry.path(), expected_from_xml(entry.path()));
}

TEST_F(SpawnedAsSplunkd, NxlogJsonLines) {
  KI_REQUIRE_SHARED_DATA();
  const auto path = ki::test::shared_data_dir() / "json" / "otrf_nxlog_security_sample.jsonl";
  std::vector<Expected> expected;
  std::istringstream lines(ki::test::read_file(path));
  for (std::string line; std::getline(lines, line);) {
    rapidjson::Document doc;
    doc.Parse(line.c_str());
    if (doc.HasParseError() || !doc.IsObject() || !doc.HasMember("EventID")) continue;
    if (!is_kerberos(std::stoul(json_text(doc["EventID"])))) continue;
    Expected e{json_text(doc["RecordNumber"]), doc["Hostname"].GetString(), {}};
    for (const char* name : {"TargetUserName", "TargetDomainName", "ServiceName", "ServiceSid", "TicketOptions",
                             "Status", "TicketEncryptionType", "PreAuthType", "IpAddress", "IpPort", "TargetSid"})
      if (doc.HasMember(name)) e.fields[name] = json_text(doc[name]);
    expected.push_back(std::move(e));
  }
  EXPECT_EQ(expected.size(), 115u) << "the sample's README counts 115 Kerberos events";
  expect_exactly_once("json", path, expected);
}

TEST_F(SpawnedAsSplunkd, WinlogbeatDocument) {
  KI_REQUIRE_SHARED_DATA();
  const auto path = ki::test::shared_data_dir() / "json" / "winlogbeat8_4768_v2.json";
  rapidjson::Document doc;
  doc.Parse(ki::test::read_file(path).c_str());
  ASSERT_FALSE(doc.HasParseError());
  const auto& winlog = doc["winlog"];
  Expected e{json_text(winlog["record_id"]), winlog["computer_name"].GetString(), {}};
  for (const auto& m : winlog["event_data"].GetObject()) e.fields[m.name.GetString()] = m.value.GetString();
  expect_exactly_once("json", path, {e});
}

TEST_F(SpawnedAsSplunkd, ClassicTextRendering) {
  KI_REQUIRE_SHARED_DATA();
  const auto path = ki::test::shared_data_dir() / "text" / "splunk_wineventlog_security_4769_classic.txt";
  // The values the file's Message body shows, under the names Windows gives them in event XML.
  Expected e{"96678", "WIN-3BK7E06Q35B.test.com",
             {{"EventID", "4769"},
              {"TargetUserName", "Administrator@TEST.COM"},
              {"TargetDomainName", "TEST.COM"},
              {"LogonGuid", "{c0e261ec-fa4b-9d25-25a6-bb8f34bd4a80}"},
              {"ServiceName", "WIN-3BK7E06Q35B$"},
              {"ServiceSid", "S-1-5-21-2889491314-2746541823-3071263440-1000"},
              {"IpAddress", "::1"},
              {"IpPort", "0"},
              {"TicketOptions", "0x40810000"},
              {"TicketEncryptionType", "0x12"},
              {"Status", "0x0"},
              {"result_code", "0x0"},
              {"action", "success"},
              {"user", "Administrator"},
              {"ticket_encryption_name", "aes256-cts-hmac-sha1-96"}}};
  expect_exactly_once("text", path, {e});
}

TEST_F(SpawnedAsSplunkd, ProjectSamplesWithoutSharedData) {
  // The same promise on the samples the repository ships, so a clone without ../shared checks it too.
  const auto samples = ki::test::source_dir() / "samples";
  const auto xml = expected_from_xml(samples / "dc01_security.xml");
  EXPECT_EQ(xml.size(), 5u);
  expect_exactly_once("xml", samples / "dc01_security.xml", xml);
  const auto legacy = run("text", samples / "legacy_dc2003.txt");
  ASSERT_EQ(legacy.size(), 2u);
  EXPECT_STREQ(legacy[0].data["result_code"].GetString(), "0x7");
  EXPECT_STREQ(legacy[1].data["result_code"].GetString(), "0x18");
}

}  // namespace
