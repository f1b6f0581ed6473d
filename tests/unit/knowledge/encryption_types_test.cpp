// Facts of the etype table (IANA numbers, RFC 6649/8429 strength, Microsoft's private and failure values)
// and of the msDS-SupportedEncryptionTypes bits, whose labels must rebuild what version-2 events print.
#include <filesystem>
#include <regex>
#include <set>
#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include "knowledge/codes.hpp"
#include "knowledge/knowledge.hpp"
#include "support/paths.hpp"

namespace ki::knowledge {
namespace {

const EncryptionType& etype(std::uint32_t id) {
  static const EncryptionType missing{};
  const EncryptionType* row = find_encryption_type(id);
  EXPECT_NE(row, nullptr) << "no row for etype " << canonical_hex(id);
  return row ? *row : missing;
}

// What Windows prints inside the parentheses: labels of the set bits in mask order, a repeated label once.
std::string windows_rendering(std::uint32_t mask) {
  if (mask == 0) return "N/A";
  std::string text;
  std::string_view previous;
  for (const SupportedEncryptionBit& bit : supported_encryption_bits()) {
    if ((mask & bit.mask) == 0 || bit.label == previous) continue;
    if (!text.empty()) text += ", ";
    text += bit.label;
    previous = bit.label;
  }
  return text;
}

void expect_translated(const Text& text, std::string_view where) {
  EXPECT_FALSE(text.en.empty()) << where;
  EXPECT_FALSE(text.fr.empty()) << where;
  EXPECT_FALSE(text.da.empty()) << where;
  EXPECT_NE(text.fr, text.en) << where;
  EXPECT_NE(text.da, text.en) << where;
  EXPECT_NE(text.da, text.fr) << where;
}

TEST(EncryptionTypes, IanaNumbersAndNames) {
  EXPECT_EQ(etype(0x1).name, "des-cbc-crc");
  EXPECT_EQ(etype(0x2).name, "des-cbc-md4");
  EXPECT_EQ(etype(0x3).name, "des-cbc-md5");
  EXPECT_EQ(etype(0x5).name, "des3-cbc-md5");
  EXPECT_EQ(etype(0x7).name, "des3-cbc-sha1");
  EXPECT_EQ(etype(0x10).name, "des3-cbc-sha1-kd");
  EXPECT_EQ(etype(0x11).name, "aes128-cts-hmac-sha1-96");
  EXPECT_EQ(etype(0x12).name, "aes256-cts-hmac-sha1-96");
  EXPECT_EQ(etype(0x13).name, "aes128-cts-hmac-sha256-128");
  EXPECT_EQ(etype(0x14).name, "aes256-cts-hmac-sha384-192");
  EXPECT_EQ(etype(0x17).name, "rc4-hmac");
  EXPECT_EQ(etype(0x18).name, "rc4-hmac-exp");
  EXPECT_EQ(etype(0x19).name, "camellia128-cts-cmac");
  EXPECT_EQ(etype(0x1A).name, "camellia256-cts-cmac");
  // Numbers IANA leaves reserved or unassigned, or gives to PKINIT CMS algorithms, have no row.
  for (std::uint32_t absent : {0x4u, 0x6u, 0x8u, 0x15u, 0x16u, 0x1Bu, 0x41u, 0xFFFFFFFEu, 0xFFFFFF81u})
    EXPECT_EQ(find_encryption_type(absent), nullptr) << canonical_hex(absent);
}

TEST(EncryptionTypes, StrengthFollowsRfc6649AndRfc8429) {
  for (std::uint32_t id : {0x1u, 0x2u, 0x3u, 0x18u}) EXPECT_EQ(etype(id).strength, Strength::weak) << canonical_hex(id);
  for (std::uint32_t id : {0x5u, 0x7u, 0x10u, 0x17u})
    EXPECT_EQ(etype(id).strength, Strength::deprecated) << canonical_hex(id);
  for (std::uint32_t id : {0x11u, 0x12u, 0x13u, 0x14u, 0x19u, 0x1Au})
    EXPECT_EQ(etype(id).strength, Strength::strong) << canonical_hex(id);
  EXPECT_EQ(etype(0xFFFFFFFF).strength, Strength::none);
  EXPECT_EQ(etype(0x0).strength, Strength::none);
}

TEST(EncryptionTypes, WhatWindowsIssues) {
  for (std::uint32_t id : {0x1u, 0x3u, 0x11u, 0x12u, 0x17u, 0x18u, 0xFFFFFFFFu})
    EXPECT_EQ(etype(id).on_windows, OnWindows::seen) << canonical_hex(id);
  for (std::uint32_t id : {0x2u, 0x5u, 0x7u, 0x10u, 0x19u, 0x1Au})
    EXPECT_EQ(etype(id).on_windows, OnWindows::never) << canonical_hex(id);
  EXPECT_EQ(etype(0x12).severity, Severity::info);
  EXPECT_EQ(etype(0x1).severity, Severity::high);
}

TEST(EncryptionTypes, FailureValueMeansNoTicketWasIssued) {
  const EncryptionType& failure = etype(0xFFFFFFFF);
  EXPECT_EQ(failure.severity, Severity::info);
  EXPECT_NE(failure.meaning.en.find("no ticket"), std::string_view::npos) << failure.meaning.en;
  EXPECT_EQ(&failure, &encryption_types().back()) << "0xFFFFFFFF is the largest key";
}

TEST(EncryptionTypes, Rc4ServiceTicketsAreTheKerberoastingSignal) {
  const EncryptionType& rc4 = etype(0x17);
  EXPECT_NE(rc4.causes.en.find("Kerberoasting"), std::string_view::npos);
  EXPECT_NE(rc4.causes.en.find("4769"), std::string_view::npos);
  EXPECT_NE(rc4.action.en.find("0x18"), std::string_view::npos) << "the fix: AES-only msDS-SupportedEncryptionTypes";
  EXPECT_NE(rc4.causes.fr.find("Kerberoasting"), std::string_view::npos);
  EXPECT_NE(rc4.causes.da.find("Kerberoasting"), std::string_view::npos);
}

TEST(EncryptionTypes, MicrosoftPrivateNegativeNumbersAreStoredAsTheir32BitPattern) {
  EXPECT_EQ(etype(0xFFFFFF80).name, "rc4-md4");        // -128
  EXPECT_EQ(etype(0xFFFFFF7B).name, "rc4-hmac-old");   // -133
  EXPECT_EQ(etype(0xFFFFFF79).name, "rc4-hmac-old-exp");  // -135
  EXPECT_EQ(etype(0xFFFFFF6B).name, "aes256-cts-hmac-sha1-96-plain");  // -149
  const auto parsed = parse_etype("-128");
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(find_encryption_type(*parsed), &etype(0xFFFFFF80));
  for (const EncryptionType& row : encryption_types()) {
    if (row.id < 0x80000000u || row.id == 0xFFFFFFFFu) continue;
    EXPECT_EQ(row.on_windows, OnWindows::never) << row.name;
    EXPECT_NE(row.source.find("ntsecapi.h"), std::string_view::npos) << row.name;
  }
}

TEST(EncryptionTypes, SortedUniqueAndExplained) {
  const auto rows = encryption_types();
  ASSERT_FALSE(rows.empty());
  std::set<std::string_view> names;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (i > 0) {
      EXPECT_LT(rows[i - 1].id, rows[i].id) << rows[i].name;
    }
    EXPECT_TRUE(names.insert(rows[i].name).second) << "name used twice: " << rows[i].name;
    EXPECT_EQ(find_encryption_type(rows[i].id), &rows[i]);
    EXPECT_FALSE(rows[i].source.empty()) << rows[i].name;
    for (const Text* text : {&rows[i].meaning, &rows[i].causes, &rows[i].action}) expect_translated(*text, rows[i].name);
  }
}

TEST(SupportedEncryptionBits, MsKileBitsWithTheLabelsWindowsPrints) {
  const auto rows = supported_encryption_bits();
  ASSERT_EQ(rows.size(), 10u);
  const std::uint32_t masks[] = {0x1, 0x2, 0x4, 0x8, 0x10, 0x20, 0x10000, 0x20000, 0x40000, 0x80000};
  const std::string_view labels[] = {"DES", "DES", "RC4", "AES128-SHA96", "AES256-SHA96", "AES-Sk",
                                    "FAST-supported", "Compound-identity-supported", "Claims-supported",
                                    "Resource-SID-compression-disabled"};
  for (std::size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(rows[i].mask, masks[i]) << i;
    EXPECT_EQ(rows[i].label, labels[i]) << canonical_hex(rows[i].mask);
    // The name keys the lookup, so it must be unique even where Windows prints a shared label.
    EXPECT_EQ(rows[i].name, i == 0 ? "DES-CBC-CRC" : i == 1 ? "DES-CBC-MD5" : labels[i]) << canonical_hex(rows[i].mask);
    EXPECT_FALSE(rows[i].source.empty());
    for (const Text* text : {&rows[i].meaning, &rows[i].causes, &rows[i].action})
      expect_translated(*text, canonical_hex(rows[i].mask));
  }
  EXPECT_EQ(rows[2].strength, Strength::deprecated);
  EXPECT_EQ(rows[0].strength, Strength::weak);
  EXPECT_EQ(rows[4].strength, Strength::strong);
  EXPECT_EQ(rows[6].strength, Strength::none) << "FAST-supported is a capability, not a cipher";
}

TEST(SupportedEncryptionBits, RebuildTheRenderingsOfVersionTwoEvents) {
  // Renderings published by Microsoft and in public lab write-ups of version-2 4768/4769 events.
  EXPECT_EQ(windows_rendering(0x1F), "DES, RC4, AES128-SHA96, AES256-SHA96");
  EXPECT_EQ(windows_rendering(0x1C), "RC4, AES128-SHA96, AES256-SHA96");
  EXPECT_EQ(windows_rendering(0x27), "DES, RC4, AES-Sk");
  EXPECT_EQ(windows_rendering(0x18), "AES128-SHA96, AES256-SHA96");
  EXPECT_EQ(windows_rendering(0x0), "N/A");
}

TEST(SupportedEncryptionBits, BitsOutsideMsKileStayUnknown) {
  std::uint32_t known = 0;
  for (const SupportedEncryptionBit& bit : supported_encryption_bits()) known |= bit.mask;
  EXPECT_EQ(known, 0x000F003Fu);
  for (std::uint32_t unknown : {0x40u, 0x80u, 0x80000000u}) EXPECT_EQ(known & unknown, 0u) << canonical_hex(unknown);
}

// The real samples: every etype field has a row, and every supported-types rendering is rebuilt exactly.
TEST(EncryptionTypes, RealSampleValuesAreAllExplained) {
  KI_REQUIRE_SHARED_DATA();
  const std::regex etype_field(
      R"re((TicketEncryptionType|SessionKeyEncryptionType|PreAuthEncryptionType)"?\s*(?:>|:\s*")\s*(0x[0-9A-Fa-f]+))re");
  const std::regex rendering(R"re((0x[0-9A-Fa-f]+) \(([^)]*)\))re");
  int etypes = 0, renderings = 0;
  for (const char* file : {"json/otrf_nxlog_security_sample.jsonl", "json/winlogbeat8_4768_v2.json",
                           "xml/goad_essos_4768_v2.xml", "xml/goad_essos_4769_v2.xml"}) {
    const std::string text = test::read_file(test::shared_data_dir() / file);
    for (std::sregex_iterator it(text.begin(), text.end(), etype_field), end; it != end; ++it) {
      const auto value = parse_code((*it)[2].str());
      ASSERT_TRUE(value.has_value()) << file << ": " << (*it)[2];
      EXPECT_NE(find_encryption_type(*value), nullptr) << file << ": " << (*it)[1] << " " << (*it)[2];
      ++etypes;
    }
    for (std::sregex_iterator it(text.begin(), text.end(), rendering), end; it != end; ++it) {
      const auto mask = parse_mask_prefix((*it)[1].str());
      ASSERT_TRUE(mask.has_value()) << file << ": " << (*it)[0];
      EXPECT_EQ(windows_rendering(*mask), (*it)[2].str()) << file << ": " << (*it)[0];
      ++renderings;
    }
  }
  EXPECT_GT(etypes, 100);
  EXPECT_GE(renderings, 8) << "the version-2 samples print eight supported-types renderings";
}

}  // namespace
}  // namespace ki::knowledge
