// Tests of the normalize stage: the golden Record -> JSON pairs under tests/fixtures/normalize, the rules the
// golden files rely on, one at a time, and JSON validity on hostile input.
//
// The expected files hold the names the knowledge tables give today. After a table change, regenerate them
// with KI_UPDATE_GOLDEN=1 and review the diff: a name that changes is a visible change to Splunk users.

#include "normalize/normalizer.hpp"

#include <cstdlib>
#include <fstream>
#include <random>
#include <set>

#include <gtest/gtest.h>
#include <pugixml.hpp>
#include <rapidjson/document.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include "knowledge/codes.hpp"
#include "knowledge/knowledge.hpp"
#include "record_fixture.hpp"
#include "sink/splunk_stream.hpp"
#include "support/paths.hpp"

namespace ki {
namespace {

namespace kn = ki::knowledge;

std::string pretty(const rapidjson::Value& value) {
  rapidjson::StringBuffer buffer;
  rapidjson::PrettyWriter<rapidjson::StringBuffer> writer(buffer);
  writer.SetIndent(' ', 2);
  value.Accept(writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

// Parses `json` and fails the test (naming `what`) unless it is one valid object without repeated keys.
rapidjson::Document parse_object(const std::string& json, const std::string& what) {
  rapidjson::Document doc;
  doc.Parse(json.c_str(), json.size());
  EXPECT_FALSE(doc.HasParseError()) << what << ": invalid JSON at offset " << doc.GetErrorOffset() << ": " << json;
  if (doc.HasParseError()) return doc;
  EXPECT_TRUE(doc.IsObject()) << what;
  if (!doc.IsObject()) return doc;
  std::set<std::string> names;
  for (const auto& member : doc.GetObject())
    EXPECT_TRUE(names.insert(member.name.GetString()).second) << what << ": key repeated: " << member.name.GetString();
  EXPECT_EQ(json.find('\n'), std::string::npos) << what << ": the event must be one line";
  return doc;
}

NormalizedEvent normalized(const Record& record) {
  NormalizedEvent event;
  normalize(record, event);
  return event;
}

rapidjson::Document normalized_doc(const Record& record) {
  const NormalizedEvent event = normalized(record);
  return parse_object(event.json, "event");
}

Record make_record(std::uint32_t id, std::vector<Field> data, std::vector<Field> system = {}) {
  Record record;
  record.event_id = id;
  record.system = std::move(system);
  record.system.push_back({"EventID", std::to_string(id)});
  record.system.push_back({"Channel", "Security"});
  record.system.push_back({"Computer", "dc01.corp.example"});
  record.system.push_back({"EventRecordID", "42"});
  record.data = std::move(data);
  return record;
}

std::string string_member(const rapidjson::Document& doc, const char* name) {
  if (!doc.IsObject() || !doc.HasMember(name) || !doc[name].IsString()) return "<absent>";
  return doc[name].GetString();
}

std::vector<std::string> array_member(const rapidjson::Document& doc, const char* name) {
  std::vector<std::string> items;
  if (!doc.IsObject() || !doc.HasMember(name) || !doc[name].IsArray()) return {"<absent>"};
  for (const auto& item : doc[name].GetArray()) items.push_back(item.IsString() ? item.GetString() : "<not a string>");
  return items;
}

std::string result_name_of(std::uint32_t code) {
  const kn::ResultCode* row = kn::find_result_code(code);
  return row ? std::string(row->name) : kn::unknown_label(code);
}

// ---- Golden files ----------------------------------------------------------------------------------------

TEST(NormalizerGolden, EveryRecordFixtureMatchesItsExpectedJson) {
  const bool update = std::getenv("KI_UPDATE_GOLDEN") != nullptr;
  const auto fixtures = test::normalize_record_fixtures();
  ASSERT_GE(fixtures.size(), 10u) << "fixtures missing under " << test::normalize_fixture_dir();
  for (const auto& path : fixtures) {
    SCOPED_TRACE(path.filename().string());
    Record record;
    const std::string error = test::load_record_fixture(path, record);
    ASSERT_EQ(error, "");
    const NormalizedEvent event = normalized(record);

    rapidjson::Document actual(rapidjson::kObjectType);
    auto& alloc = actual.GetAllocator();
    actual.AddMember("time", rapidjson::Value(event.time.c_str(), alloc), alloc);
    actual.AddMember("host", rapidjson::Value(event.host.c_str(), alloc), alloc);
    actual.AddMember("stable_key", rapidjson::Value(event.stable_key.c_str(), alloc), alloc);
    rapidjson::Document body = parse_object(event.json, path.filename().string());
    ASSERT_FALSE(body.HasParseError());
    actual.AddMember("event", rapidjson::Value(body, alloc), alloc);

    std::string expected_path = path.string();
    expected_path.replace(expected_path.size() - std::string(".record.json").size(), std::string::npos,
                          ".expected.json");
    if (update) {
      std::ofstream(expected_path, std::ios::binary) << pretty(actual) << "\n";
      continue;
    }
    ASSERT_TRUE(std::filesystem::exists(expected_path)) << expected_path << " missing (KI_UPDATE_GOLDEN=1 writes it)";
    rapidjson::Document expected;
    const std::string text = test::read_file(expected_path);
    expected.Parse(text.c_str(), text.size());
    ASSERT_FALSE(expected.HasParseError()) << expected_path << " is not JSON";
    EXPECT_TRUE(expected == actual) << "expected " << expected_path << ":\n"
                                    << pretty(expected) << "\nactual:\n"
                                    << pretty(actual);
  }
}

// ---- Original fields ---------------------------------------------------------------------------------------

TEST(Normalizer, KeepsEveryOriginalFieldVerbatimUnderItsWindowsName) {
  const Record record = make_record(4768, {{"TargetUserName", "alice"}, {"Status", "0x00000025"},
                                           {"SomeFutureField", " padded value "}},
                                    {{"Keywords", "0x8020000000000000"}});
  const auto doc = normalized_doc(record);
  for (const auto& f : record.system) EXPECT_EQ(string_member(doc, f.name.c_str()), f.value) << f.name;
  for (const auto& f : record.data) EXPECT_EQ(string_member(doc, f.name.c_str()), f.value) << f.name;
}

TEST(Normalizer, WritesEventIdWhenTheSourceGaveOnlyTheNumber) {
  Record record;
  record.event_id = 4769;
  const auto doc = normalized_doc(record);
  EXPECT_EQ(string_member(doc, "EventID"), "4769");
  ASSERT_TRUE(doc["signature_id"].IsUint());
  EXPECT_EQ(doc["signature_id"].GetUint(), 4769u);
}

// ---- Result code and action --------------------------------------------------------------------------------

TEST(Normalizer, ZeroPaddedAndShortHexGiveTheSameResultCode) {
  const auto padded = normalized_doc(make_record(4768, {{"Status", "0x00000025"}}));
  const auto shorter = normalized_doc(make_record(4768, {{"Status", "0x25"}}));
  EXPECT_EQ(string_member(padded, "result_code"), "0x25");
  EXPECT_EQ(string_member(shorter, "result_code"), "0x25");
  EXPECT_EQ(string_member(padded, "result_name"), result_name_of(0x25));
  EXPECT_EQ(string_member(padded, "action"), "failure");
}

TEST(Normalizer, LegacyEventsReadTheirFailureCodeAsDecimalOrHex) {
  const auto doc = normalized_doc(make_record(677, {{"Failure_Code", "24"}}));
  EXPECT_EQ(string_member(doc, "result_code"), "0x18");
  EXPECT_EQ(string_member(doc, "result_name"), result_name_of(0x18));
  EXPECT_EQ(string_member(normalized_doc(make_record(675, {{"Failure_Code", "0x18"}})), "result_code"), "0x18");
  EXPECT_EQ(string_member(normalized_doc(make_record(672, {{"Result_Code", "7"}})), "result_code"), "0x7");
}

TEST(Normalizer, LegacyFieldsAreReadUnderTheirLabels) {
  const auto doc = normalized_doc(make_record(
      673, {{"User_Name", "carol"}, {"User_Domain", "CORP"}, {"Service_Name", "host/ws1"},
            {"Ticket_Options", "0x40810010"}, {"Ticket_Encryption_Type", "0x17"}, {"Client_Address", "::ffff:10.1.1.1"},
            {"Failure_Code", "0"}}));
  EXPECT_EQ(string_member(doc, "user"), "carol");
  EXPECT_EQ(string_member(doc, "user_domain"), "CORP");
  EXPECT_EQ(string_member(doc, "service"), "host/ws1");
  EXPECT_EQ(string_member(doc, "ticket_options"), "0x40810010");
  EXPECT_EQ(string_member(doc, "ticket_encryption"), "0x17");
  EXPECT_EQ(string_member(doc, "src"), "10.1.1.1");
  EXPECT_EQ(string_member(doc, "action"), "success");
}

TEST(Normalizer, UnnamedLegacyValuesAreReadByPositionInTheEventsTable) {
  const kn::EventInfo* info = kn::find_event(677);
  if (info == nullptr || info->fields[0].empty()) GTEST_SKIP() << "the events table lists no fields for 677";
  // Put "24" at the position the table gives Failure_Code, "alice" at User_Name's.
  std::vector<Field> data;
  std::string_view list = info->fields[0];
  std::size_t index = 0;
  bool found = false;
  while (!list.empty()) {
    const auto space = list.find(' ');
    const std::string name(list.substr(0, space));
    ++index;
    const std::string value = name == "Failure_Code" ? "24" : name == "User_Name" ? "alice" : "x";
    found = found || name == "Failure_Code";
    data.push_back({"Data" + std::to_string(index), value});
    if (space == std::string_view::npos) break;
    list.remove_prefix(space + 1);
  }
  ASSERT_TRUE(found) << "677 has no Failure_Code in the events table: " << info->fields[0];
  const auto doc = normalized_doc(make_record(677, data, {{"Version", "0"}}));
  EXPECT_EQ(string_member(doc, "result_code"), "0x18");
  EXPECT_EQ(string_member(doc, "user"), "alice");
  EXPECT_EQ(string_member(doc, "Data1"), data[0].value) << "the originals stay as they came";
}

TEST(Normalizer, UnknownResultCodeIsNamedUnknownNotDropped) {
  ASSERT_EQ(kn::find_result_code(0x7777), nullptr) << "pick another code: the table now knows 0x7777";
  const auto doc = normalized_doc(make_record(4768, {{"Status", "0x7777"}}));
  EXPECT_EQ(string_member(doc, "result_code"), "0x7777");
  EXPECT_EQ(string_member(doc, "result_name"), "unknown (0x7777)");
}

TEST(Normalizer, ActionFollowsTheResultCode) {
  EXPECT_EQ(string_member(normalized_doc(make_record(4768, {{"Status", "0x0"}})), "action"), "success");
  EXPECT_EQ(string_member(normalized_doc(make_record(4769, {{"Status", "0x1b"}})), "action"), "failure");
}

TEST(Normalizer, FailureEventsAreFailuresWhateverTheirCode) {
  for (std::uint32_t id : {4771u, 4772u, 4773u, 675u, 676u, 677u})
    EXPECT_EQ(string_member(normalized_doc(make_record(id, {{"Status", "0x0"}})), "action"), "failure") << id;
}

TEST(Normalizer, ActionFallsBackToTheAuditKeywordsThenIsLeftOut) {
  const auto success = normalized_doc(make_record(4770, {}, {{"Keywords", "0x8020000000000000"}}));
  EXPECT_EQ(string_member(success, "action"), "success");
  const auto failure = normalized_doc(make_record(4770, {}, {{"Keywords", "0x8010000000000000"}}));
  EXPECT_EQ(string_member(failure, "action"), "failure");
  const auto unknown = normalized_doc(make_record(4770, {}));
  EXPECT_FALSE(unknown.HasMember("action"));
}

TEST(Normalizer, NoResultCodeFieldsForAPlaceholderStatus) {
  const auto doc = normalized_doc(make_record(4768, {{"Status", "-"}}));
  EXPECT_FALSE(doc.HasMember("result_code"));
  EXPECT_FALSE(doc.HasMember("result_name"));
}

// ---- Who and where -------------------------------------------------------------------------------------------

TEST(Normalizer, UserLosesTheRealmSuffixAndKeepsTheDomainApart) {
  const auto doc = normalized_doc(make_record(4769, {{"TargetUserName", "alice@CORP.EXAMPLE"}}));
  EXPECT_EQ(string_member(doc, "user"), "alice");
  EXPECT_EQ(string_member(doc, "user_domain"), "CORP.EXAMPLE");
  EXPECT_FALSE(doc["is_machine_account"].GetBool());

  const auto down_level = normalized_doc(make_record(4769, {{"TargetUserName", "CORP\\bob"}}));
  EXPECT_EQ(string_member(down_level, "user"), "bob");
  EXPECT_EQ(string_member(down_level, "user_domain"), "CORP");

  const auto named = normalized_doc(
      make_record(4768, {{"TargetUserName", "carol"}, {"TargetDomainName", "corp.example"}}));
  EXPECT_EQ(string_member(named, "user"), "carol");
  EXPECT_EQ(string_member(named, "user_domain"), "corp.example");
}

TEST(Normalizer, MachineAccountsEndWithADollar) {
  const auto doc = normalized_doc(make_record(4769, {{"TargetUserName", "WS01$@CORP.EXAMPLE"}}));
  EXPECT_EQ(string_member(doc, "user"), "WS01$");
  ASSERT_TRUE(doc.HasMember("is_machine_account"));
  EXPECT_TRUE(doc["is_machine_account"].GetBool());
}

TEST(Normalizer, NoUserFieldsForAPlaceholderUser) {
  const auto doc = normalized_doc(make_record(4768, {{"TargetUserName", "-"}}));
  EXPECT_FALSE(doc.HasMember("user"));
  EXPECT_FALSE(doc.HasMember("is_machine_account"));
}

TEST(Normalizer, SourceAddressLosesTheIpv4MappedPrefix) {
  EXPECT_EQ(string_member(normalized_doc(make_record(4768, {{"IpAddress", "::ffff:10.0.0.1"}})), "src"), "10.0.0.1");
  EXPECT_EQ(string_member(normalized_doc(make_record(4768, {{"IpAddress", "::FFFF:10.0.0.1"}})), "src"), "10.0.0.1");
  EXPECT_EQ(string_member(normalized_doc(make_record(4768, {{"IpAddress", "10.0.0.2"}})), "src"), "10.0.0.2");
  EXPECT_EQ(string_member(normalized_doc(make_record(4768, {{"IpAddress", "::1"}})), "src"), "::1");
  EXPECT_EQ(string_member(normalized_doc(make_record(4768, {{"IpAddress", "fe80::1"}})), "src"), "fe80::1");
}

TEST(Normalizer, NoSourceForADashOrEmptyAddress) {
  EXPECT_FALSE(normalized_doc(make_record(4768, {{"IpAddress", "-"}})).HasMember("src"));
  EXPECT_FALSE(normalized_doc(make_record(4768, {{"IpAddress", ""}})).HasMember("src"));
}

TEST(Normalizer, SourcePortOnlyForARealPort) {
  const auto doc = normalized_doc(make_record(4768, {{"IpPort", "49832"}}));
  ASSERT_TRUE(doc.HasMember("src_port"));
  EXPECT_EQ(doc["src_port"].GetUint(), 49832u);
  for (const char* port : {"0", "-", "", "65536", "12ab"}) {
    const auto none = normalized_doc(make_record(4768, {{"IpPort", port}}));
    EXPECT_FALSE(none.HasMember("src_port")) << port;
    EXPECT_EQ(string_member(none, "IpPort"), port) << "the original stays";
  }
}

TEST(Normalizer, DestAndHostAreTheDomainController) {
  const NormalizedEvent event = normalized(make_record(4768, {}));
  EXPECT_EQ(event.host, "dc01.corp.example");
  EXPECT_EQ(string_member(parse_object(event.json, "event"), "dest"), "dc01.corp.example");
}

// ---- Codes ---------------------------------------------------------------------------------------------------

TEST(Normalizer, TicketOptionsAreCanonicalAndDecodedWithUnknownBitsKept) {
  const auto doc = normalized_doc(make_record(4769, {{"TicketOptions", "0x40810010"}}));
  EXPECT_EQ(string_member(doc, "ticket_options"), "0x40810010");
  const kn::DecodedMask decoded = kn::decode_ticket_options(0x40810010);
  std::vector<std::string> expected(decoded.names.begin(), decoded.names.end());
  if (decoded.unknown_bits != 0) expected.push_back(kn::unknown_label(decoded.unknown_bits));
  EXPECT_EQ(array_member(doc, "ticket_flags"), expected);

  // Bit 0 is reserved by RFC 4120: it must show up, as unknown.
  const auto reserved = normalized_doc(make_record(4769, {{"TicketOptions", "0x80000000"}}));
  EXPECT_EQ(array_member(reserved, "ticket_flags"), std::vector<std::string>{"unknown (0x80000000)"});
  const auto none = normalized_doc(make_record(4769, {{"TicketOptions", "0x0"}}));
  EXPECT_EQ(array_member(none, "ticket_flags"), std::vector<std::string>{});
}

TEST(Normalizer, EncryptionTypeIsCanonicalWithNameAndStrength) {
  const auto doc = normalized_doc(make_record(4769, {{"TicketEncryptionType", "0x00000017"}}));
  EXPECT_EQ(string_member(doc, "ticket_encryption"), "0x17");
  const kn::EncryptionType* row = kn::find_encryption_type(0x17);
  EXPECT_EQ(string_member(doc, "ticket_encryption_name"), row ? std::string(row->name) : "unknown (0x17)");
  EXPECT_EQ(string_member(doc, "ticket_encryption_strength"),
            row ? std::string(kn::strength_name(row->strength)) : "unknown");

  ASSERT_EQ(kn::find_encryption_type(0x1234), nullptr);
  const auto unknown = normalized_doc(make_record(4769, {{"TicketEncryptionType", "0x1234"}}));
  EXPECT_EQ(string_member(unknown, "ticket_encryption_name"), "unknown (0x1234)");
  EXPECT_EQ(string_member(unknown, "ticket_encryption_strength"), "unknown");
}

TEST(Normalizer, PreAuthTypeIsDecimalOrDash) {
  const auto doc = normalized_doc(make_record(4768, {{"PreAuthType", "0xf"}}));
  EXPECT_EQ(string_member(doc, "pre_auth_type"), "15");
  const kn::PreAuthType* row = kn::find_pre_auth_type(15);
  EXPECT_EQ(string_member(doc, "pre_auth_name"), row ? std::string(row->name) : "unknown (0xf)");

  const auto dash = normalized_doc(make_record(4768, {{"PreAuthType", "-"}}));
  EXPECT_EQ(string_member(dash, "pre_auth_type"), "-");
  EXPECT_FALSE(dash.HasMember("pre_auth_name"));
}

TEST(Normalizer, VersionTwoKeyListsBecomeArrays) {
  const auto doc = normalized_doc(make_record(
      4768, {{"AccountSupportedEncryptionTypes", "0x1C (RC4, AES128-SHA96, AES256-SHA96)"},
             {"ServiceSupportedEncryptionTypes", "N/A"},
             {"DCSupportedEncryptionTypes", "0x0 (N/A)"},
             {"AccountAvailableKeys", "AES-SHA1, RC4"},
             {"ClientAdvertizedEncryptionTypes", "\n\t\tAES256-CTS-HMAC-SHA1-96\n\t\tRC4-HMAC-NT"},
             {"SessionKeyEncryptionType", "0x12"}}));
  const kn::DecodedMask decoded = kn::decode_supported_encryption_types(0x1C);
  std::vector<std::string> expected(decoded.names.begin(), decoded.names.end());
  ASSERT_EQ(std::set<std::string>(expected.begin(), expected.end()).size(), expected.size());
  if (decoded.unknown_bits != 0) expected.push_back(kn::unknown_label(decoded.unknown_bits));
  EXPECT_EQ(array_member(doc, "account_supported_etypes"), expected);
  EXPECT_FALSE(doc.HasMember("service_supported_etypes")) << "N/A carries no mask";
  EXPECT_EQ(array_member(doc, "dc_supported_etypes"), std::vector<std::string>{});
  EXPECT_EQ(array_member(doc, "account_available_keys"), (std::vector<std::string>{"AES-SHA1", "RC4"}));
  EXPECT_EQ(array_member(doc, "client_advertized_etypes"),
            (std::vector<std::string>{"AES256-CTS-HMAC-SHA1-96", "RC4-HMAC-NT"}));
  EXPECT_EQ(string_member(doc, "session_key_encryption"), "0x12");

  // 0x3 sets both DES bits, which share one label: it is listed once.
  const kn::DecodedMask des = kn::decode_supported_encryption_types(0x3);
  if (des.names.size() == 2 && des.names[0] == des.names[1]) {
    const auto both = normalized_doc(make_record(4768, {{"AccountSupportedEncryptionTypes", "0x3 (DES)"}}));
    EXPECT_EQ(array_member(both, "account_supported_etypes"), std::vector<std::string>{std::string(des.names[0])});
  }
  EXPECT_TRUE(doc.HasMember("session_key_encryption_name"));
}

// ---- Identity of the event -----------------------------------------------------------------------------------

TEST(Normalizer, SignatureComesFromTheEventsTable) {
  const auto doc = normalized_doc(make_record(4768, {}));
  const kn::EventInfo* info = kn::find_event(4768);
  EXPECT_EQ(string_member(doc, "signature"), info ? std::string(info->name) : "unknown (4768)");
  EXPECT_EQ(string_member(doc, "app"), "kerberos");

  ASSERT_EQ(kn::find_event(4999), nullptr);
  EXPECT_EQ(string_member(normalized_doc(make_record(4999, {})), "signature"), "unknown (4999)");
}

TEST(Normalizer, LegacyEventsNameTheirModernSuccessor) {
  const kn::EventInfo* info = kn::find_event(677);
  if (info == nullptr || info->modern_id == 0) GTEST_SKIP() << "the events table has no successor for 677 yet";
  const auto doc = normalized_doc(make_record(677, {}));
  ASSERT_TRUE(doc.HasMember("modern_event_id"));
  EXPECT_EQ(doc["modern_event_id"].GetUint(), info->modern_id);
  EXPECT_EQ(doc["signature_id"].GetUint(), 677u) << "signature_id stays the event's own ID";
}

TEST(Normalizer, StableKeyIsComputerChannelRecordId) {
  const NormalizedEvent event = normalized(make_record(4768, {}));
  EXPECT_EQ(event.stable_key, "dc01.corp.example/Security/42");
  EXPECT_EQ(string_member(parse_object(event.json, "event"), "event_key"), event.stable_key);
}

TEST(Normalizer, TimeIsEpochWithMicrosecondsOrEmpty) {
  Record record = make_record(4768, {}, {{"TimeCreated", "2020-07-30T20:22:05.7319365Z"}});
  EXPECT_EQ(normalized(record).time, "1596140525.731936");
  record.system.front().value = "not a time";
  EXPECT_EQ(normalized(record).time, "");
}

// ---- Robustness ------------------------------------------------------------------------------------------------

TEST(Normalizer, EscapesControlCharactersAndRepairsBadUtf8) {
  const std::string bad = std::string("a\"b\\c\x01\x1f\n") + "\xff" + "\xc3" + "\xe9" + "\xed\xa0\x80" + "ok \xc3\xa9";
  const NormalizedEvent event = normalized(make_record(4768, {{"TargetUserName", bad}}));
  const auto doc = parse_object(event.json, "event");
  EXPECT_NE(event.json.find("\\u0001"), std::string::npos);
  EXPECT_NE(event.json.find("\\u001f"), std::string::npos);
  // Every byte that starts no valid sequence (stray, truncated, surrogate) becomes U+FFFD; "é" stays.
  EXPECT_EQ(string_member(doc, "TargetUserName"),
            "a\"b\\c\x01\x1f\n\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBDok \xc3\xa9");
}

TEST(Normalizer, ReusingTheOutputGivesTheSameResultAsAFreshOne) {
  const Record big = make_record(4768, {{"TargetUserName", "someone.with.a.long.name@CORP.EXAMPLE"},
                                        {"Status", "0x6"}, {"IpAddress", "::ffff:10.1.2.3"}},
                                 {{"TimeCreated", "2024-01-01T00:00:00Z"}});
  const Record small = make_record(4771, {{"Status", "0x18"}});
  NormalizedEvent reused;
  normalize(big, reused);
  normalize(small, reused);
  const NormalizedEvent fresh = normalized(small);
  EXPECT_EQ(reused.json, fresh.json);
  EXPECT_EQ(reused.time, "");
  EXPECT_EQ(reused.host, fresh.host);
  EXPECT_EQ(reused.stable_key, fresh.stable_key);
}

TEST(Normalizer, AHugeValueGrowsTheOutputAndLeavesNothingBehind) {
  // 100,000 control bytes become 600,000 bytes of \u00XX: far past the writer's first allocation.
  const std::string value = std::string(100000, '\x01') + "end";
  NormalizedEvent reused;
  normalize(make_record(4768, {{"TargetUserName", value}}), reused);
  const auto doc = parse_object(reused.json, "huge");
  EXPECT_EQ(string_member(doc, "TargetUserName"), value);
  const Record small = make_record(4771, {{"Status", "0x18"}});
  normalize(small, reused);
  EXPECT_EQ(reused.json, normalized(small).json);
}

TEST(Normalizer, RandomValuesAlwaysGiveOneValidObject) {
  std::mt19937 random(20240304);
  const std::vector<std::string> names = {"TargetUserName", "TargetDomainName", "Status", "FailureCode",
                                          "TicketOptions", "TicketEncryptionType", "PreAuthType", "IpAddress",
                                          "IpPort", "ServiceName", "AccountSupportedEncryptionTypes",
                                          "AccountAvailableKeys", "ClientAdvertizedEncryptionTypes",
                                          "SessionKeyEncryptionType", "Data1", "Data2"};
  const std::vector<std::string> seeds = {"", "-", "0x", "0x18", "24", "-128", "0xffffffff", "0x1C (RC4)",
                                          "::ffff:", "@", "\\", "$", "N/A", "99999999999", " 0x7 "};
  for (int round = 0; round < 3000; ++round) {
    const std::uint32_t ids[] = {4768, 4769, 4770, 4771, 4776, 672, 675, 677, 0, 99999};
    Record record;
    record.event_id = ids[random() % 10];
    if (random() % 2) record.system.push_back({"TimeCreated", seeds[random() % seeds.size()]});
    if (random() % 2) record.system.push_back({"Version", std::to_string(random() % 5)});
    for (int i = 0; i < 6; ++i) {
      std::string value = seeds[random() % seeds.size()];
      for (unsigned n = random() % 6; n > 0; --n) value.push_back(static_cast<char>(random() % 256));
      record.data.push_back({names[random() % names.size()], value});
    }
    const NormalizedEvent event = normalized(record);
    rapidjson::Document doc;
    doc.Parse(event.json.c_str(), event.json.size());
    ASSERT_FALSE(doc.HasParseError()) << "round " << round << ": " << event.json;
    ASSERT_TRUE(doc.IsObject());
  }
}

// The stream sink copies `json` without escaping when xml_plain is set: it must be set only when escaping
// would change nothing, and should be set for ordinary events.
TEST(Normalizer, MarksOutputThatXmlCarriesAsItIs) {
  const auto xml_escaped = [](const std::string& text) {
    std::string out;
    sink::append_xml_escaped(out, text);
    return out;
  };
  const NormalizedEvent plain = normalized(make_record(4768, {{"TargetUserName", "caf\xC3\xA9 \"quoted\""}}));
  EXPECT_TRUE(plain.xml_plain);
  EXPECT_EQ(xml_escaped(plain.json), plain.json);
  for (const std::string special : {"<", ">", "&", "\xEF\xBF\xBE", "\xEF\xBF\xBF"}) {
    for (std::size_t at = 0; at < 40; ++at) {  // every place in and around a 16-byte block
      const std::string value = std::string(at, 'v') + special + std::string(40 - at, 'w');
      const NormalizedEvent event = normalized(make_record(4768, {{"TargetUserName", value}}));
      EXPECT_FALSE(event.xml_plain) << at;
      EXPECT_NE(xml_escaped(event.json), event.json) << at;
    }
  }
  // Random bytes: whenever the mark is set, XML escaping is indeed a no-op.
  std::mt19937 random(20261122);
  int marked = 0;
  for (int round = 0; round < 2000; ++round) {
    std::string value;
    for (unsigned n = random() % 40; n > 0; --n) {
      const unsigned pick = random() % 8;
      value.push_back(pick < 5 ? static_cast<char>('a' + random() % 26) : static_cast<char>(random() % 256));
    }
    const NormalizedEvent event = normalized(make_record(4769, {{"ServiceName", value}}));
    if (!event.xml_plain) continue;
    ++marked;
    ASSERT_EQ(xml_escaped(event.json), event.json) << "round " << round;
  }
  EXPECT_GT(marked, 100);
}

// ---- A real event ----------------------------------------------------------------------------------------------

// Reads a rendered event's XML the simple way (enough for this one well-formed sample).
Record record_from_xml(const pugi::xml_node& event) {
  Record record;
  const pugi::xml_node system = event.child("System");
  record.event_id = system.child("EventID").text().as_uint();
  for (const char* name : {"EventID", "Version", "Level", "Task", "Opcode", "Keywords", "EventRecordID", "Channel",
                           "Computer"})
    record.system.push_back({name, system.child(name).text().get()});
  record.system.push_back({"TimeCreated", system.child("TimeCreated").attribute("SystemTime").value()});
  record.system.push_back({"Provider", system.child("Provider").attribute("Name").value()});
  for (const pugi::xml_node data : event.child("EventData").children("Data"))
    record.data.push_back({data.attribute("Name").value(), data.text().get()});
  return record;
}

TEST(NormalizerSharedData, VersionTwoTgtRequestFromAWindowsServer2025Lab) {
  KI_REQUIRE_SHARED_DATA();
  const auto path = test::shared_data_dir() / "xml" / "goad_essos_4768_v2.xml";
  pugi::xml_document xml;
  ASSERT_TRUE(xml.load_file(path.c_str())) << path;
  const Record record = record_from_xml(xml.child("Event"));
  ASSERT_EQ(record.event_id, 4768u);
  const NormalizedEvent event = normalized(record);
  const auto doc = parse_object(event.json, path.string());
  EXPECT_EQ(event.time, "1753906925.731936");
  EXPECT_EQ(event.host, "meereen.essos.local");
  EXPECT_EQ(event.stable_key, "meereen.essos.local/Security/69715");
  EXPECT_EQ(string_member(doc, "user"), "MEEREEN$");
  EXPECT_TRUE(doc["is_machine_account"].GetBool());
  EXPECT_EQ(string_member(doc, "src"), "192.168.56.101");
  EXPECT_EQ(doc["src_port"].GetUint(), 60883u);
  EXPECT_EQ(string_member(doc, "result_code"), "0x0");
  EXPECT_EQ(string_member(doc, "action"), "success");
  EXPECT_EQ(string_member(doc, "ticket_encryption"), "0x12");
  EXPECT_EQ(string_member(doc, "pre_auth_type"), "16");
  EXPECT_EQ(array_member(doc, "client_advertized_etypes"),
            (std::vector<std::string>{"AES256-CTS-HMAC-SHA1-96", "AES128-CTS-HMAC-SHA1-96"}));
  EXPECT_EQ(array_member(doc, "account_available_keys"), (std::vector<std::string>{"AES-SHA1", "RC4"}));
  EXPECT_TRUE(doc.HasMember("account_supported_etypes"));
  EXPECT_EQ(string_member(doc, "CertIssuerName"), "ESSOS-CA");
}

}  // namespace
}  // namespace ki
