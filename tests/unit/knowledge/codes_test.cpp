#include "knowledge/codes.hpp"

#include <gtest/gtest.h>

#include "knowledge/knowledge.hpp"

namespace ki::knowledge {
namespace {

TEST(ParseCode, AcceptsEveryFormWindowsAndExportsWrite) {
  for (const char* text : {"12", "0xc", "0xC", "0x0000000C", "0X0c", " 12 ", "0x0000000c\r\n"}) {
    ASSERT_TRUE(parse_code(text).has_value()) << text;
    EXPECT_EQ(*parse_code(text), 12u) << text;
  }
  EXPECT_EQ(parse_code("0"), 0u);
  EXPECT_EQ(parse_code("0x0"), 0u);
  EXPECT_EQ(parse_code("0xffffffff"), 0xFFFFFFFFu);
  EXPECT_EQ(parse_code("4294967295"), 0xFFFFFFFFu);
}

TEST(ParseCode, RejectsMalformedValues) {
  for (const char* text : {"", "-", "0x", "0xZZ", "12a", "+7", "-7", "7 7", "0x100000000", "4294967296", "x18", "abc"})
    EXPECT_FALSE(parse_code(text).has_value()) << '"' << text << '"';
}

TEST(ParseEtype, AcceptsNegativeIanaNumbers) {
  EXPECT_EQ(parse_etype("-128"), 0xFFFFFF80u);
  EXPECT_EQ(parse_etype("23"), 0x17u);
  EXPECT_EQ(parse_etype("0xffffffff"), 0xFFFFFFFFu);
  EXPECT_FALSE(parse_etype("-").has_value());
  EXPECT_FALSE(parse_etype("--1").has_value());
}

TEST(CanonicalForms, AreLowerCaseAndUnpadded) {
  EXPECT_EQ(canonical_hex(0x25), "0x25");
  EXPECT_EQ(canonical_hex(0), "0x0");
  EXPECT_EQ(canonical_hex(0x40810010), "0x40810010");
  EXPECT_EQ(canonical_hex(0xFFFFFFFF), "0xffffffff");
  EXPECT_EQ(canonical_decimal(15), "15");
  EXPECT_EQ(unknown_label(0x99), "unknown (0x99)");
}

std::vector<std::string> names_of(const DecodedMask& mask) { return {mask.names.begin(), mask.names.end()}; }

TEST(DecodeTicketOptions, CommonWindowsValues) {
  const auto tgt = decode_ticket_options(0x40810010);
  EXPECT_EQ(names_of(tgt), (std::vector<std::string>{"forwardable", "renewable", "canonicalize", "renewable-ok"}));
  EXPECT_EQ(tgt.unknown_bits, 0u);

  const auto forwarded = decode_ticket_options(0x60810010);
  EXPECT_EQ(names_of(forwarded),
            (std::vector<std::string>{"forwardable", "forwarded", "renewable", "canonicalize", "renewable-ok"}));
  EXPECT_EQ(decode_ticket_options(0x40810000).names.size(), 3u);
}

TEST(DecodeTicketOptions, ReportsBitsNoStandardAssigns) {
  // Bit 0 is reserved and bit 29 unused: both must come back as leftover bits, never dropped.
  const auto decoded = decode_ticket_options(0x80000004 | 0x40000000);
  EXPECT_EQ(names_of(decoded), (std::vector<std::string>{"forwardable"}));
  EXPECT_EQ(decoded.unknown_bits, 0x80000004u);
  EXPECT_TRUE(decode_ticket_options(0).names.empty());
  EXPECT_EQ(decode_ticket_options(0).unknown_bits, 0u);
}

TEST(DecodeSupportedEncryptionTypes, VersionTwoEventMasks) {
  const auto decoded = decode_supported_encryption_types(0x1C);
  ASSERT_EQ(decoded.names.size(), 3u);
  EXPECT_EQ(decoded.unknown_bits, 0u);
  EXPECT_EQ(decode_supported_encryption_types(0x80000000).unknown_bits, 0x80000000u);
}

TEST(ParseMaskPrefix, ReadsTheHexBeforeTheLabels) {
  EXPECT_EQ(parse_mask_prefix("0x1C (RC4, AES128-SHA96, AES256-SHA96)"), 0x1Cu);
  EXPECT_EQ(parse_mask_prefix("0x0 (N/A)"), 0u);
  EXPECT_EQ(parse_mask_prefix("0x1F"), 0x1Fu);
  EXPECT_FALSE(parse_mask_prefix("N/A").has_value());
}

}  // namespace
}  // namespace ki::knowledge
