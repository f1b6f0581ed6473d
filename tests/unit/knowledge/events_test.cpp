// Facts about the event table that detections rely on, and a check of the EventData names against the
// events real domain controllers wrote (shared samples; skipped when they are absent).
#include <algorithm>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <pugixml.hpp>
#include <rapidjson/document.h>

#include "knowledge/codes.hpp"
#include "knowledge/knowledge.hpp"
#include "support/paths.hpp"

namespace ki::knowledge {
namespace {

const EventInfo& event(std::uint32_t id) {
  const EventInfo* found = find_event(id);
  if (!found) throw std::runtime_error("no event row " + std::to_string(id));
  return *found;
}

std::vector<std::string> words(std::string_view text) {
  std::istringstream in{std::string(text)};
  std::vector<std::string> out;
  for (std::string word; in >> word;) out.push_back(word);
  return out;
}

bool carries(std::uint32_t id, std::string_view code) {
  const auto codes = words(event(id).result_codes);
  return std::find(codes.begin(), codes.end(), code) != codes.end();
}

bool has_field(const std::string_view fields, std::string_view name) {
  const auto names = words(fields);
  return std::find(names.begin(), names.end(), name) != names.end();
}

TEST(Events, SortedUniqueAndEveryRowFindable) {
  const auto rows = events();
  ASSERT_EQ(rows.size(), 13u);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (i) {
      EXPECT_LT(rows[i - 1].id, rows[i].id) << "rows " << i - 1 << " and " << i << " out of order or repeated";
    }
    EXPECT_EQ(find_event(rows[i].id), &rows[i]) << rows[i].id;
  }
  EXPECT_EQ(find_event(4624), nullptr);
  EXPECT_EQ(find_event(0), nullptr);
}

TEST(Events, PreAuthenticationFailuresGoTo4771Not4768) {
  // Microsoft: 4768 is never logged with 0x10 or 0x18; 4771 is written instead.
  EXPECT_FALSE(carries(4768, "0x10"));
  EXPECT_FALSE(carries(4768, "0x18"));
  EXPECT_TRUE(carries(4771, "0x18"));
  EXPECT_TRUE(carries(4771, "0x10"));
  EXPECT_FALSE(carries(4771, "0x0")) << "4771 records failures only";
  EXPECT_TRUE(carries(4768, "0x0"));
  EXPECT_TRUE(carries(4768, "0x6")) << "unknown user names: the enumeration signal";
  EXPECT_TRUE(carries(4769, "0x0"));
  EXPECT_TRUE(carries(4769, "0x20")) << "expired tickets are the routine 4769 failure";
  // The legacy twins print the same codes, so the lists must agree.
  EXPECT_EQ(event(675).result_codes, event(4771).result_codes);
  EXPECT_EQ(event(672).result_codes, event(4768).result_codes);
  EXPECT_EQ(event(673).result_codes, event(4769).result_codes);
  EXPECT_EQ(event(677).result_codes, event(4773).result_codes);
}

TEST(Events, NtlmAndRenewalCarryNoKerberosCode) {
  EXPECT_TRUE(event(4776).result_codes.empty()) << "4776 Status is an NTSTATUS, not a Kerberos code";
  EXPECT_NE(event(4776).notes.find("NTSTATUS"), std::string_view::npos);
  EXPECT_TRUE(event(4770).result_codes.empty()) << "4770 has no Status field";
  EXPECT_TRUE(event(674).result_codes.empty());
}

TEST(Events, ResultCodesAreCanonicalAscendingAndUnique) {
  for (const auto& row : events()) {
    std::uint32_t previous = 0;
    bool first = true;
    for (const std::string& code : words(row.result_codes)) {
      const auto value = parse_code(code);
      ASSERT_TRUE(value.has_value()) << row.id << ": " << code;
      EXPECT_EQ(canonical_hex(*value), code) << row.id << ": not canonical";
      if (!first) {
        EXPECT_LT(previous, *value) << row.id << ": " << code << " out of order or repeated";
      }
      previous = *value;
      first = false;
    }
  }
}

TEST(Events, LegacyEventsPointToTheirModernSuccessors) {
  const std::map<std::uint32_t, std::uint32_t> expected{{672, 4768}, {673, 4769}, {674, 4770},
                                                        {675, 4771}, {676, 4772}, {677, 4773}};
  for (const auto& row : events()) {
    const auto it = expected.find(row.id);
    EXPECT_EQ(row.modern_id, it == expected.end() ? 0u : it->second) << row.id;
  }
}

TEST(Events, FieldListsPerVersion) {
  const auto& tgt = event(4768);
  EXPECT_TRUE(has_field(tgt.fields[0], "PreAuthType"));
  EXPECT_FALSE(has_field(tgt.fields[0], "AccountSupportedEncryptionTypes")) << "version 0 predates the key fields";
  EXPECT_TRUE(tgt.fields[1].empty()) << "no version 1 of 4768 is known";
  EXPECT_TRUE(has_field(tgt.fields[2], "AccountSupportedEncryptionTypes"));
  EXPECT_TRUE(has_field(tgt.fields[2], "ClientAdvertizedEncryptionTypes")) << "Windows' own spelling";
  EXPECT_TRUE(has_field(tgt.fields[2], "PreAuthEncryptionType"));
  const auto& tgs = event(4769);
  EXPECT_TRUE(has_field(tgs.fields[0], "TransmittedServices")) << "the data name, not the label";
  EXPECT_TRUE(has_field(tgs.fields[2], "RequestTicketHash"));
  EXPECT_FALSE(has_field(tgs.fields[2], "PreAuthType"));
  EXPECT_EQ(words(event(4776).fields[0]),
            (std::vector<std::string>{"PackageName", "TargetUserName", "Workstation", "Status"}));
  EXPECT_TRUE(has_field(event(677).fields[0], "Failure_Code"));
  EXPECT_TRUE(has_field(event(677).fields[0], "Client_Address"));
  for (std::uint32_t legacy : {672u, 673u, 674u, 675u, 676u, 677u}) {
    EXPECT_FALSE(event(legacy).fields[0].empty()) << legacy;
    EXPECT_TRUE(event(legacy).fields[1].empty() && event(legacy).fields[2].empty()) << legacy << " has one format";
  }
}

TEST(Events, FieldListsAreCleanAndLaterVersionsOnlyAdd) {
  for (const auto& row : events()) {
    for (const auto& fields : row.fields) {
      const auto names = words(fields);
      std::set<std::string> unique(names.begin(), names.end());
      EXPECT_EQ(unique.size(), names.size()) << row.id << ": a field is listed twice";
      std::string joined;
      for (const auto& name : names) joined += (joined.empty() ? "" : " ") + name;
      EXPECT_EQ(joined, fields) << row.id << ": fields are separated by single spaces";
    }
    if (!row.fields[2].empty()) {
      const auto v0 = words(row.fields[0]);
      const auto v2 = words(row.fields[2]);
      ASSERT_GE(v2.size(), v0.size());
      EXPECT_TRUE(std::equal(v0.begin(), v0.end(), v2.begin())) << row.id << ": version 2 keeps version 0's order";
    }
  }
}

TEST(Events, AuditSubcategoryIsNamedWhereWindowsHasOne) {
  for (std::uint32_t id : {4768u, 4771u})
    EXPECT_NE(event(id).action.en.find("Audit Kerberos Authentication Service"), std::string_view::npos) << id;
  for (std::uint32_t id : {4769u, 4770u})
    EXPECT_NE(event(id).action.en.find("Audit Kerberos Service Ticket Operations"), std::string_view::npos) << id;
  EXPECT_NE(event(4776).action.en.find("Audit Credential Validation"), std::string_view::npos);
  for (std::uint32_t id : {672u, 673u, 674u, 675u, 676u, 677u})
    EXPECT_NE(event(id).action.en.find("Audit account logon events"), std::string_view::npos) << id;
}

TEST(Events, EveryTextIsWrittenInThreeLanguages) {
  for (const auto& row : events()) {
    EXPECT_FALSE(row.name.empty()) << row.id;
    EXPECT_FALSE(row.source.empty()) << row.id;
    for (const Text* text : {&row.meaning, &row.causes, &row.action}) {
      EXPECT_FALSE(text->en.empty()) << row.id;
      EXPECT_FALSE(text->fr.empty()) << row.id;
      EXPECT_FALSE(text->da.empty()) << row.id;
      EXPECT_NE(text->fr, text->en) << row.id << " French copies English";
      EXPECT_NE(text->da, text->en) << row.id << " Danish copies English";
      EXPECT_NE(text->da, text->fr) << row.id << " Danish copies French";
    }
  }
}

// --- against real events ---------------------------------------------------------------------------

std::vector<std::string> xml_data_names(const std::filesystem::path& path) {
  pugi::xml_document doc;
  const auto parsed = doc.load_file(path.c_str());
  EXPECT_TRUE(parsed) << path << ": " << parsed.description();
  std::vector<std::string> names;
  for (const auto& data : doc.child("Event").child("EventData").children("Data"))
    names.emplace_back(data.attribute("Name").value());
  return names;
}

TEST(Events, Version2NamesMatchRealEventXml) {
  KI_REQUIRE_SHARED_DATA();
  const auto xml = ::ki::test::shared_data_dir() / "xml";
  EXPECT_EQ(xml_data_names(xml / "goad_essos_4768_v2.xml"), words(event(4768).fields[2]));
  EXPECT_EQ(xml_data_names(xml / "goad_essos_4769_v2.xml"), words(event(4769).fields[2]));
}

TEST(Events, WinlogbeatVersion2NamesAreKnown) {
  KI_REQUIRE_SHARED_DATA();
  const std::string text =
      ::ki::test::read_file(::ki::test::shared_data_dir() / "json" / "winlogbeat8_4768_v2.json");
  rapidjson::Document doc;
  ASSERT_FALSE(doc.Parse(text.c_str()).HasParseError());
  const auto& data = doc["winlog"]["event_data"];
  ASSERT_TRUE(data.IsObject());
  ASSERT_GE(data.MemberCount(), 10u);
  for (auto it = data.MemberBegin(); it != data.MemberEnd(); ++it)
    EXPECT_TRUE(has_field(event(4768).fields[2], it->name.GetString())) << it->name.GetString();
}

// NXLog writes EventData flat beside its own metadata and drops empty values, so each version-0 name
// must turn up in some record of its event (the certificate fields of 4768 are empty for password logons).
TEST(Events, Version0NamesMatchNxlogRecords) {
  KI_REQUIRE_SHARED_DATA();
  const std::string text =
      ::ki::test::read_file(::ki::test::shared_data_dir() / "json" / "otrf_nxlog_security_sample.jsonl");
  std::map<std::uint32_t, std::set<std::string>> keys;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    rapidjson::Document doc;
    if (doc.Parse(line.c_str()).HasParseError() || !doc.IsObject() || !doc.HasMember("EventID") ||
        !doc["EventID"].IsUint())
      continue;
    const std::uint32_t id = doc["EventID"].GetUint();
    if (!find_event(id)) continue;
    for (auto it = doc.MemberBegin(); it != doc.MemberEnd(); ++it) keys[id].insert(it->name.GetString());
  }
  for (std::uint32_t id : {4768u, 4769u, 4770u, 4776u}) {
    ASSERT_TRUE(keys.count(id)) << "the NXLog sample holds " << id << " records";
    for (const std::string& name : words(event(id).fields[0])) {
      if (id == 4768 && name.rfind("Cert", 0) == 0) continue;
      EXPECT_TRUE(keys[id].count(name)) << id << ": " << name << " never appears in the NXLog records";
    }
  }
}

}  // namespace
}  // namespace ki::knowledge
