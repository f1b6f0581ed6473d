// Facts about the result-code table that would fail if a row carried a wrong number, name or claim,
// including the mistakes found in the seed translations (0x1B, 0x28 twice, 0x42, 0xC's text).
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "knowledge/codes.hpp"
#include "knowledge/knowledge.hpp"

namespace ki::knowledge {
namespace {

// Every code RFC 4120 §7.5.9 assigns, with its name as the RFC spells it (KDC_ERROR_ for 62-64).
const std::vector<std::pair<std::uint32_t, std::string_view>> kRfc4120 = {
    {0, "KDC_ERR_NONE"},
    {1, "KDC_ERR_NAME_EXP"},
    {2, "KDC_ERR_SERVICE_EXP"},
    {3, "KDC_ERR_BAD_PVNO"},
    {4, "KDC_ERR_C_OLD_MAST_KVNO"},
    {5, "KDC_ERR_S_OLD_MAST_KVNO"},
    {6, "KDC_ERR_C_PRINCIPAL_UNKNOWN"},
    {7, "KDC_ERR_S_PRINCIPAL_UNKNOWN"},
    {8, "KDC_ERR_PRINCIPAL_NOT_UNIQUE"},
    {9, "KDC_ERR_NULL_KEY"},
    {10, "KDC_ERR_CANNOT_POSTDATE"},
    {11, "KDC_ERR_NEVER_VALID"},
    {12, "KDC_ERR_POLICY"},
    {13, "KDC_ERR_BADOPTION"},
    {14, "KDC_ERR_ETYPE_NOSUPP"},
    {15, "KDC_ERR_SUMTYPE_NOSUPP"},
    {16, "KDC_ERR_PADATA_TYPE_NOSUPP"},
    {17, "KDC_ERR_TRTYPE_NOSUPP"},
    {18, "KDC_ERR_CLIENT_REVOKED"},
    {19, "KDC_ERR_SERVICE_REVOKED"},
    {20, "KDC_ERR_TGT_REVOKED"},
    {21, "KDC_ERR_CLIENT_NOTYET"},
    {22, "KDC_ERR_SERVICE_NOTYET"},
    {23, "KDC_ERR_KEY_EXPIRED"},
    {24, "KDC_ERR_PREAUTH_FAILED"},
    {25, "KDC_ERR_PREAUTH_REQUIRED"},
    {26, "KDC_ERR_SERVER_NOMATCH"},
    {27, "KDC_ERR_MUST_USE_USER2USER"},
    {28, "KDC_ERR_PATH_NOT_ACCEPTED"},
    {29, "KDC_ERR_SVC_UNAVAILABLE"},
    {31, "KRB_AP_ERR_BAD_INTEGRITY"},
    {32, "KRB_AP_ERR_TKT_EXPIRED"},
    {33, "KRB_AP_ERR_TKT_NYV"},
    {34, "KRB_AP_ERR_REPEAT"},
    {35, "KRB_AP_ERR_NOT_US"},
    {36, "KRB_AP_ERR_BADMATCH"},
    {37, "KRB_AP_ERR_SKEW"},
    {38, "KRB_AP_ERR_BADADDR"},
    {39, "KRB_AP_ERR_BADVERSION"},
    {40, "KRB_AP_ERR_MSG_TYPE"},
    {41, "KRB_AP_ERR_MODIFIED"},
    {42, "KRB_AP_ERR_BADORDER"},
    {44, "KRB_AP_ERR_BADKEYVER"},
    {45, "KRB_AP_ERR_NOKEY"},
    {46, "KRB_AP_ERR_MUT_FAIL"},
    {47, "KRB_AP_ERR_BADDIRECTION"},
    {48, "KRB_AP_ERR_METHOD"},
    {49, "KRB_AP_ERR_BADSEQ"},
    {50, "KRB_AP_ERR_INAPP_CKSUM"},
    {51, "KRB_AP_PATH_NOT_ACCEPTED"},
    {52, "KRB_ERR_RESPONSE_TOO_BIG"},
    {60, "KRB_ERR_GENERIC"},
    {61, "KRB_ERR_FIELD_TOOLONG"},
    {62, "KDC_ERROR_CLIENT_NOT_TRUSTED"},
    {63, "KDC_ERROR_KDC_NOT_TRUSTED"},
    {64, "KDC_ERROR_INVALID_SIG"},
    {65, "KDC_ERR_KEY_TOO_WEAK"},
    {66, "KDC_ERR_CERTIFICATE_MISMATCH"},
    {67, "KRB_AP_ERR_NO_TGT"},
    {68, "KDC_ERR_WRONG_REALM"},
    {69, "KRB_AP_ERR_USER_TO_USER_REQUIRED"},
    {70, "KDC_ERR_CANT_VERIFY_CERTIFICATE"},
    {71, "KDC_ERR_INVALID_CERTIFICATE"},
    {72, "KDC_ERR_REVOKED_CERTIFICATE"},
    {73, "KDC_ERR_REVOCATION_STATUS_UNKNOWN"},
    {74, "KDC_ERR_REVOCATION_STATUS_UNAVAILABLE"},
    {75, "KDC_ERR_CLIENT_NAME_MISMATCH"},
    {76, "KDC_ERR_KDC_NAME_MISMATCH"},
};

// Codes added after RFC 4120: PKINIT (RFC 4556 §3.1.3) and FAST (RFC 6113).
const std::vector<std::pair<std::uint32_t, std::string_view>> kLater = {
    {77, "KDC_ERR_INCONSISTENT_KEY_PURPOSE"},
    {78, "KDC_ERR_DIGEST_IN_CERT_NOT_ACCEPTED"},
    {79, "KDC_ERR_PA_CHECKSUM_MUST_BE_INCLUDED"},
    {80, "KDC_ERR_DIGEST_IN_SIGNED_DATA_NOT_ACCEPTED"},
    {81, "KDC_ERR_PUBLIC_KEY_ENCRYPTION_NOT_SUPPORTED"},
    {90, "KDC_ERR_PREAUTH_EXPIRED"},
    {91, "KDC_ERR_MORE_PREAUTH_DATA_REQUIRED"},
    {92, "KDC_ERR_PREAUTH_BAD_AUTHENTICATION_SET"},
    {93, "KDC_ERR_UNKNOWN_CRITICAL_FAST_OPTIONS"},
};

std::string_view name_of(std::uint32_t code) {
  const ResultCode* row = find_result_code(code);
  return row ? row->name : std::string_view{"<absent>"};
}

bool contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

// Checks UTF-8 well-formedness: the texts go into JSON for Splunk and must not carry broken sequences.
bool valid_utf8(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    const auto lead = static_cast<unsigned char>(text[i]);
    std::size_t extra = 0;
    if (lead < 0x80) extra = 0;
    else if ((lead & 0xE0) == 0xC0 && lead >= 0xC2) extra = 1;
    else if ((lead & 0xF0) == 0xE0) extra = 2;
    else if ((lead & 0xF8) == 0xF0 && lead <= 0xF4) extra = 3;
    else return false;
    if (i + extra >= text.size()) return false;  // sequence cut off at the end
    for (std::size_t k = 1; k <= extra; ++k)
      if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return false;
    i += extra + 1;
  }
  return true;
}

TEST(ResultCodes, NamedFactsFromTheRfcs) {
  EXPECT_EQ(name_of(0x18), "KDC_ERR_PREAUTH_FAILED");
  EXPECT_EQ(name_of(0x6), "KDC_ERR_C_PRINCIPAL_UNKNOWN");
  EXPECT_EQ(name_of(0x25), "KRB_AP_ERR_SKEW");
  EXPECT_EQ(name_of(0x17), "KDC_ERR_KEY_EXPIRED");
  EXPECT_EQ(name_of(0x12), "KDC_ERR_CLIENT_REVOKED");
  EXPECT_EQ(name_of(0x3C), "KRB_ERR_GENERIC");
  EXPECT_EQ(name_of(0x44), "KDC_ERR_WRONG_REALM");
  EXPECT_EQ(name_of(0x5A), "KDC_ERR_PREAUTH_EXPIRED");
  EXPECT_EQ(name_of(0x5B), "KDC_ERR_MORE_PREAUTH_DATA_REQUIRED");
  EXPECT_EQ(name_of(0x5C), "KDC_ERR_PREAUTH_BAD_AUTHENTICATION_SET");
  EXPECT_EQ(name_of(0x5D), "KDC_ERR_UNKNOWN_CRITICAL_FAST_OPTIONS");
}

TEST(ResultCodes, EveryRfc4120CodeIsPresentWithItsName) {
  for (const auto& [code, name] : kRfc4120) {
    const ResultCode* row = find_result_code(code);
    ASSERT_NE(row, nullptr) << "RFC 4120 code " << code << " (" << name << ") missing";
    EXPECT_EQ(row->name, name) << "code " << code;
    EXPECT_TRUE(contains(row->source, "RFC 4120")) << name << " should cite RFC 4120: " << row->source;
  }
}

TEST(ResultCodes, PkinitAndFastCodesArePresentAndCited) {
  for (const auto& [code, name] : kLater) {
    const ResultCode* row = find_result_code(code);
    ASSERT_NE(row, nullptr) << code << " (" << name << ") missing";
    EXPECT_EQ(row->name, name);
    EXPECT_TRUE(contains(row->source, code < 90 ? "RFC 4556" : "RFC 6113")) << name << ": " << row->source;
  }
}

TEST(ResultCodes, TableHoldsExactlyTheAssignedCodes) {
  // A row for a number no standard assigns (0x1E, 0x2B, ...) would be an invention; a missing row a gap.
  std::vector<std::uint32_t> expected;
  for (const auto& [code, name] : kRfc4120) expected.push_back(code);
  for (const auto& [code, name] : kLater) expected.push_back(code);
  std::vector<std::uint32_t> actual;
  for (const auto& row : result_codes()) actual.push_back(row.code);
  EXPECT_EQ(actual, expected);
}

TEST(ResultCodes, UnassignedCodesAreAbsent) {
  for (std::uint32_t code : {0x1Eu, 0x2Bu, 0x35u, 0x36u, 0x37u, 0x38u, 0x39u, 0x3Au, 0x3Bu, 0x55u, 0x59u, 0x5Eu,
                             0xFFFFFFFFu})
    EXPECT_EQ(find_result_code(code), nullptr) << canonical_hex(code);
}

TEST(ResultCodes, SeedMistakesStayFixed) {
  // The seeds call 0x1B "KDC_ERR_SVC_UNAVAILABLE"; the RFC puts that name at 0x1D.
  EXPECT_EQ(name_of(0x1B), "KDC_ERR_MUST_USE_USER2USER");
  EXPECT_EQ(name_of(0x1D), "KDC_ERR_SVC_UNAVAILABLE");
  EXPECT_TRUE(contains(find_result_code(0x1B)->notes, "SVC_UNAVAILABLE"));
  // Two seeds list 0x28 twice; BADVERSION is 0x27.
  EXPECT_EQ(name_of(0x27), "KRB_AP_ERR_BADVERSION");
  EXPECT_EQ(name_of(0x28), "KRB_AP_ERR_MSG_TYPE");
  // Microsoft and the seeds put USER_TO_USER_REQUIRED at 0x42; it is 0x45.
  EXPECT_EQ(name_of(0x42), "KDC_ERR_CERTIFICATE_MISMATCH");
  EXPECT_EQ(name_of(0x45), "KRB_AP_ERR_USER_TO_USER_REQUIRED");
  EXPECT_TRUE(contains(find_result_code(0x42)->notes, "USER_TO_USER_REQUIRED"));
  // Microsoft spells 0xE and 0x11 differently; the RFC spelling is kept and the other noted.
  EXPECT_TRUE(contains(find_result_code(0xE)->notes, "KDC_ERR_ETYPE_NOTSUPP"));
  EXPECT_TRUE(contains(find_result_code(0x11)->notes, "KDC_ERR_TRTYPE_NO_SUPP"));
  // The seeds copy 0xB's description onto 0xC.
  EXPECT_NE(find_result_code(0xC)->meaning.en, find_result_code(0xB)->meaning.en);
  EXPECT_TRUE(contains(find_result_code(0xC)->meaning.en, "policy"));
  // 0x17 does reach 4768 (the seeds say it cannot).
  EXPECT_TRUE(contains(find_result_code(0x17)->causes.en, "4768"));
}

TEST(ResultCodes, EventsTheCodesGoTo) {
  EXPECT_TRUE(contains(find_result_code(0x18)->meaning.en, "4771"));
  EXPECT_TRUE(contains(find_result_code(0x10)->meaning.en, "4771"));
  EXPECT_TRUE(contains(find_result_code(0x6)->meaning.en, "4768"));
  EXPECT_TRUE(contains(find_result_code(0x6)->causes.en, "enumeration"));
  EXPECT_TRUE(contains(find_result_code(0x7)->meaning.en, "4769"));
  EXPECT_TRUE(contains(find_result_code(0x25)->causes.en, "4771"));
  // Legacy events print decimal: 675 "24" is 0x18, 677 "32" is 0x20.
  EXPECT_TRUE(contains(find_result_code(0x18)->meaning.en, "24"));
  EXPECT_TRUE(contains(find_result_code(0x20)->meaning.en, "32"));
}

TEST(ResultCodes, SeverityReflectsAnAnalystsView) {
  EXPECT_EQ(find_result_code(0x0)->severity, Severity::info);
  EXPECT_EQ(find_result_code(0x20)->severity, Severity::info);
  EXPECT_EQ(find_result_code(0x18)->severity, Severity::medium);
  EXPECT_GE(find_result_code(0x6)->severity, Severity::medium);
  EXPECT_GE(find_result_code(0x1F)->severity, Severity::high);
  EXPECT_GE(find_result_code(0x29)->severity, Severity::high);
  EXPECT_GE(find_result_code(0x14)->severity, Severity::high);
  EXPECT_LT(find_result_code(0x25)->severity, Severity::high);
}

TEST(ResultCodes, WindowsNeverSendsMasterKeyTransitAndApplicationOnlyCodes) {
  for (std::uint32_t code : {0x1u, 0x4u, 0x5u, 0x11u, 0x15u, 0x16u, 0x1Cu, 0x2Au, 0x2Eu, 0x2Fu, 0x30u, 0x31u, 0x33u,
                             0x43u, 0x45u, 0x4Cu})
    EXPECT_EQ(find_result_code(code)->on_windows, OnWindows::never) << canonical_hex(code);
  for (std::uint32_t code : {0x0u, 0x6u, 0x7u, 0xCu, 0xEu, 0x12u, 0x17u, 0x18u, 0x1Bu, 0x1Fu, 0x20u, 0x25u, 0x29u,
                             0x3Cu, 0x44u, 0x4Du})
    EXPECT_EQ(find_result_code(code)->on_windows, OnWindows::seen) << canonical_hex(code);
}

TEST(ResultCodes, NeverOnWindowsIsSaidPlainlyInEveryLanguage) {
  for (const auto& row : result_codes()) {
    if (row.on_windows != OnWindows::never) continue;
    const std::string where = canonical_hex(row.code);
    EXPECT_TRUE(contains(row.meaning.en, "Windows") && contains(row.meaning.en, "never")) << where;
    EXPECT_TRUE(contains(row.meaning.fr, "Windows") && contains(row.meaning.fr, "jamais")) << where;
    EXPECT_TRUE(contains(row.meaning.da, "Windows") && contains(row.meaning.da, "aldrig")) << where;
  }
}

TEST(ResultCodes, TextsAreTranslatedAndSaySomething) {
  for (const auto& row : result_codes()) {
    const std::string where = canonical_hex(row.code) + " " + std::string(row.name);
    for (const Text* text : {&row.meaning, &row.causes, &row.action}) {
      for (Lang lang : {Lang::en, Lang::fr, Lang::da}) {
        const std::string_view t = text->in(lang);
        EXPECT_GE(t.size(), 20u) << where << ": text too short: " << t;
        EXPECT_TRUE(valid_utf8(t)) << where;
        std::string lower(t);
        std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
        for (std::string_view empty : {"no information", "aucune information", "ingen oplysninger"})
          EXPECT_FALSE(contains(lower, empty)) << where << ": " << t;
      }
      EXPECT_NE(text->fr, text->en) << where;
      EXPECT_NE(text->da, text->en) << where;
      EXPECT_NE(text->da, text->fr) << where;
    }
    EXPECT_TRUE(row.name.starts_with("KDC_") || row.name.starts_with("KRB_")) << where;
    EXPECT_TRUE(row.source.starts_with("RFC ")) << where << ": " << row.source;
    EXPECT_TRUE(valid_utf8(row.notes)) << where;
  }
}

TEST(ResultCodes, SortedUniqueAndFoundInPlace) {
  const auto rows = result_codes();
  ASSERT_FALSE(rows.empty());
  for (std::size_t i = 1; i < rows.size(); ++i) EXPECT_LT(rows[i - 1].code, rows[i].code) << "row " << i;
  for (const auto& row : rows) EXPECT_EQ(find_result_code(row.code), &row);
}

TEST(ResultCodes, Utf8CheckerRejectsBrokenText) {
  // The checker itself must be able to fail, or the UTF-8 assertions above prove nothing.
  EXPECT_TRUE(valid_utf8("æøå é"));
  EXPECT_FALSE(valid_utf8("\xC3"));
  EXPECT_FALSE(valid_utf8("a\xE6z"));
  EXPECT_FALSE(valid_utf8("\xFF"));
}

}  // namespace
}  // namespace ki::knowledge
