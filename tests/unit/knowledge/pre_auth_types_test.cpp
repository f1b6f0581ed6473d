// Facts about the pre-authentication table that would break detections if a row were wrong, and a check
// against the PreAuthType values real domain controllers wrote into the shared samples.
#include <cctype>
#include <stdexcept>
#include <regex>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "knowledge/codes.hpp"
#include "knowledge/knowledge.hpp"
#include "support/paths.hpp"

namespace ki::knowledge {
namespace {

const PreAuthType& row(std::uint32_t id) {
  const PreAuthType* found = find_pre_auth_type(id);
  if (!found) throw std::runtime_error("no pre-authentication row " + std::to_string(id));
  return *found;
}

TEST(PreAuthTypes, SortedUniqueAndEveryRowFindable) {
  const auto rows = pre_auth_types();
  ASSERT_GE(rows.size(), 20u);
  std::set<std::string_view> names;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (i) {
      EXPECT_LT(rows[i - 1].id, rows[i].id) << "rows " << i - 1 << " and " << i << " out of order or repeated";
    }
    EXPECT_EQ(find_pre_auth_type(rows[i].id), &rows[i]) << rows[i].id;
    EXPECT_TRUE(names.insert(rows[i].name).second) << "name used twice: " << rows[i].name;
  }
}

TEST(PreAuthTypes, AbsentNumbersAreNotInvented) {
  // 4 is reserved and 139 unassigned in the IANA registry: lookups must say "no row" so the caller
  // renders "unknown (0x..)" instead of a made-up name.
  for (std::uint32_t id : {4u, 139u, 999u, 0xFFFFFFFFu}) EXPECT_EQ(find_pre_auth_type(id), nullptr) << id;
}

TEST(PreAuthTypes, NoPreAuthenticationIsTheAsRepRoastingSignal) {
  const auto& none = row(0);
  EXPECT_EQ(none.severity, Severity::high);
  EXPECT_EQ(none.on_windows, OnWindows::seen);
  EXPECT_NE(none.causes.en.find("DONT_REQ_PREAUTH"), std::string_view::npos);
  EXPECT_NE(none.causes.en.find("AS-REP roasting"), std::string_view::npos);
  // Nothing else in the table may outrank it: 0 is the one value that needs an analyst every time.
  for (const auto& other : pre_auth_types())
    if (other.id != 0) {
      EXPECT_LT(other.severity, Severity::high) << other.id;
    }
}

TEST(PreAuthTypes, IanaNamesOfTheTypesWindowsPrints) {
  EXPECT_EQ(row(2).name, "PA-ENC-TIMESTAMP");
  EXPECT_EQ(row(11).name, "PA-ETYPE-INFO");
  EXPECT_EQ(row(14).name, "PA-PK-AS-REQ_OLD");
  EXPECT_EQ(row(15).name, "PA-PK-AS-REP_OLD");
  EXPECT_EQ(row(16).name, "PA-PK-AS-REQ");
  EXPECT_EQ(row(17).name, "PA-PK-AS-REP");
  EXPECT_EQ(row(19).name, "PA-ETYPE-INFO2");
  EXPECT_EQ(row(20).name, "PA-SVR-REFERRAL-INFO");
  EXPECT_EQ(row(128).name, "PA-PAC-REQUEST");
  EXPECT_EQ(row(129).name, "PA-FOR_USER");
  EXPECT_EQ(row(133).name, "PA-FX-COOKIE");
  EXPECT_EQ(row(136).name, "PA-FX-FAST");
  EXPECT_EQ(row(137).name, "PA-FX-ERROR");
  EXPECT_EQ(row(138).name, "PA-ENCRYPTED-CHALLENGE");
  EXPECT_EQ(row(149).name, "PA-REQ-ENC-PA-REP");
  EXPECT_EQ(row(150).name, "PA_AS_FRESHNESS");
  EXPECT_EQ(row(165).name, "PA-SUPPORTED-ETYPES");
  EXPECT_EQ(row(167).name, "PA-PAC-OPTIONS");
}

TEST(PreAuthTypes, OnlyRequestTypesAreSeenInPreAuthType) {
  for (std::uint32_t id : {0u, 2u, 15u, 16u, 138u}) EXPECT_EQ(row(id).on_windows, OnWindows::seen) << id;
  // KDC hints, replies and TGS-REQ data never land in the PreAuthType of an AS event.
  for (std::uint32_t id : {1u, 3u, 11u, 17u, 19u, 128u, 129u, 136u, 165u})
    EXPECT_EQ(row(id).on_windows, OnWindows::never) << id;
}

TEST(PreAuthTypes, SmartCardFifteenKeepsIanaNameButSaysWhatWindowsMeans) {
  const auto& fifteen = row(15);
  EXPECT_NE(fifteen.meaning.en.find("mart-card"), std::string_view::npos) << fifteen.meaning.en;
  EXPECT_NE(fifteen.notes.find("MS-PKCA"), std::string_view::npos) << fifteen.notes;
}

TEST(PreAuthTypes, EveryTextIsWrittenInThreeLanguages) {
  for (const auto& r : pre_auth_types()) {
    for (const Text* text : {&r.meaning, &r.causes, &r.action}) {
      EXPECT_FALSE(text->en.empty()) << r.id;
      EXPECT_FALSE(text->fr.empty()) << r.id;
      EXPECT_FALSE(text->da.empty()) << r.id;
      EXPECT_NE(text->fr, text->en) << r.id << " French copies English";
      EXPECT_NE(text->da, text->en) << r.id << " Danish copies English";
      EXPECT_NE(text->da, text->fr) << r.id << " Danish copies French";
      EXPECT_EQ(text->in(Lang::fr), text->fr);
    }
    EXPECT_FALSE(r.source.empty()) << r.id;
  }
}

// The PreAuthType values real domain controllers wrote must all have rows marked as seen on Windows.
TEST(PreAuthTypes, EveryValueInTheSharedSamplesIsKnown) {
  KI_REQUIRE_SHARED_DATA();
  const auto data = ::ki::test::shared_data_dir();
  const std::regex xml_value(R"re(<Data Name="PreAuthType">([^<]*)</Data>)re");
  const std::regex json_value(R"re("PreAuthType"\s*:\s*"([^"]*)")re");
  std::set<std::string> values;
  auto collect = [&](const std::filesystem::path& path, const std::regex& pattern) {
    const std::string text = ::ki::test::read_file(path);
    for (std::sregex_iterator it(text.begin(), text.end(), pattern), end; it != end; ++it) values.insert((*it)[1]);
  };
  collect(data / "xml" / "goad_essos_4768_v2.xml", xml_value);
  collect(data / "json" / "winlogbeat8_4768_v2.json", json_value);
  collect(data / "json" / "otrf_nxlog_security_sample.jsonl", json_value);
  ASSERT_TRUE(values.count("2")) << "the NXLog sample holds password logons (PreAuthType 2)";
  ASSERT_TRUE(values.count("16")) << "the GOAD sample holds a certificate logon (PreAuthType 16)";
  for (const std::string& value : values) {
    if (value == "-") continue;  // failure events: the parser's business, not a row
    const auto id = parse_code(value);
    ASSERT_TRUE(id.has_value()) << "unparsable PreAuthType " << value;
    const PreAuthType* found = find_pre_auth_type(*id);
    ASSERT_NE(found, nullptr) << "PreAuthType " << value << " has no row";
    EXPECT_EQ(found->on_windows, OnWindows::seen) << "PreAuthType " << value << " was seen on Windows";
  }
}

}  // namespace
}  // namespace ki::knowledge
