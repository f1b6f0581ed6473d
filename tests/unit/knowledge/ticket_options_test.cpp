// Facts of the KDC-option table: RFC 4120 MSB-0 numbering, the names the RFCs and MS-SFU give, and the
// values Windows and common tools write, which must decompose into assigned options only.
#include <filesystem>
#include <initializer_list>
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

const TicketOption* by_name(std::string_view name) {
  for (const TicketOption& row : ticket_options())
    if (row.name == name) return &row;
  return nullptr;
}

// OR of the masks of the named options; fails the test when a name has no row.
std::uint32_t mask_of(std::initializer_list<std::string_view> names) {
  std::uint32_t mask = 0;
  for (std::string_view name : names) {
    const TicketOption* row = by_name(name);
    EXPECT_NE(row, nullptr) << "no ticket option named " << name;
    if (row) mask |= row->mask();
  }
  return mask;
}

TEST(TicketOptions, ThirtyTwoRowsInBitOrderAndIndexedByBit) {
  const auto rows = ticket_options();
  ASSERT_EQ(rows.size(), 32u);
  for (std::size_t bit = 0; bit < rows.size(); ++bit) {
    EXPECT_EQ(rows[bit].bit, bit);
    EXPECT_EQ(rows[bit].mask(), 0x80000000u >> bit);
    EXPECT_EQ(find_ticket_option(static_cast<std::uint8_t>(bit)), &rows[bit]);
  }
  EXPECT_EQ(find_ticket_option(32), nullptr);
  EXPECT_EQ(find_ticket_option(255), nullptr);
}

TEST(TicketOptions, NamesAndMasksFollowRfc4120AndItsExtensions) {
  struct Expected {
    std::uint8_t bit;
    std::string_view name;
    std::uint32_t mask;
  };
  for (const Expected& e : {Expected{0, "reserved-0", 0x80000000}, Expected{1, "forwardable", 0x40000000},
                            Expected{2, "forwarded", 0x20000000}, Expected{3, "proxiable", 0x10000000},
                            Expected{4, "proxy", 0x08000000}, Expected{5, "allow-postdate", 0x04000000},
                            Expected{6, "postdated", 0x02000000}, Expected{7, "unused-7", 0x01000000},
                            Expected{8, "renewable", 0x00800000}, Expected{11, "opt-hardware-auth", 0x00100000},
                            Expected{14, "cname-in-addl-tkt", 0x00020000}, Expected{15, "canonicalize", 0x00010000},
                            Expected{16, "request-anonymous", 0x00008000},
                            Expected{26, "disable-transited-check", 0x00000020},
                            Expected{27, "renewable-ok", 0x00000010}, Expected{28, "enc-tkt-in-skey", 0x00000008},
                            Expected{29, "unused-29", 0x00000004}, Expected{30, "renew", 0x00000002},
                            Expected{31, "validate", 0x00000001}}) {
    const TicketOption* row = find_ticket_option(e.bit);
    ASSERT_NE(row, nullptr) << int(e.bit);
    EXPECT_EQ(row->name, e.name) << "bit " << int(e.bit);
    EXPECT_EQ(row->mask(), e.mask) << e.name;
  }
}

TEST(TicketOptions, ExactlyTheStandardisedBitsAreAssigned) {
  const std::set<int> assigned_bits{1, 2, 3, 4, 5, 6, 8, 11, 14, 15, 16, 26, 27, 28, 30, 31};
  std::set<std::string_view> names;
  for (const TicketOption& row : ticket_options()) {
    EXPECT_EQ(row.assigned, assigned_bits.count(row.bit) == 1) << "bit " << int(row.bit) << " " << row.name;
    EXPECT_TRUE(names.insert(row.name).second) << "name used twice: " << row.name;
    if (!row.assigned) {
      // Decoders report these as unknown bits, and the name says which bit it was.
      const std::string suffix = "-" + std::to_string(row.bit);
      EXPECT_TRUE(row.name == "reserved" + suffix || row.name == "unused" + suffix) << row.name;
      EXPECT_EQ(row.on_windows, OnWindows::never) << row.name;
    }
  }
}

TEST(TicketOptions, MicrosoftTicketFlagLabelsAreNotUsedForRequestBits) {
  // Microsoft's 4768 table mixes TicketFlags into this field; the request options keep their RFC meaning.
  EXPECT_NE(find_ticket_option(7)->name, "invalid");
  EXPECT_NE(find_ticket_option(9)->name, "initial");
  EXPECT_NE(find_ticket_option(13)->name, "ok-as-delegate");
  EXPECT_EQ(by_name("request-anonymous")->bit, 16);
  EXPECT_EQ(by_name("cname-in-addl-tkt")->bit, 14);
}

TEST(TicketOptions, CommonValuesDecomposeIntoTheNamedOptions) {
  // Windows' usual TGT request and the values Microsoft lists as most common.
  EXPECT_EQ(mask_of({"forwardable", "renewable", "canonicalize", "renewable-ok"}), 0x40810010u);
  EXPECT_EQ(mask_of({"forwardable", "renewable", "canonicalize"}), 0x40810000u);
  EXPECT_EQ(mask_of({"forwardable", "forwarded", "renewable", "canonicalize", "renewable-ok"}), 0x60810010u);
  // impacket's AS-REQ, Rubeus' default, a 4770 renewal and a user-to-user request.
  EXPECT_EQ(mask_of({"forwardable", "proxiable", "renewable"}), 0x50800000u);
  EXPECT_EQ(mask_of({"forwardable", "renewable", "renewable-ok"}), 0x40800010u);
  EXPECT_EQ(mask_of({"canonicalize", "renew"}), 0x00010002u);
  EXPECT_EQ(mask_of({"forwardable", "renewable", "canonicalize", "renewable-ok", "enc-tkt-in-skey"}), 0x40810018u);
}

TEST(TicketOptions, PostdatingOptionsAreMarkedAsNeverUsedByWindows) {
  for (std::string_view name : {"allow-postdate", "postdated", "validate", "request-anonymous", "opt-hardware-auth"})
    EXPECT_EQ(by_name(name)->on_windows, OnWindows::never) << name;
  for (std::string_view name : {"forwardable", "forwarded", "renewable", "canonicalize", "renewable-ok", "renew",
                                "cname-in-addl-tkt", "enc-tkt-in-skey"})
    EXPECT_EQ(by_name(name)->on_windows, OnWindows::seen) << name;
}

TEST(TicketOptions, ExplanationsNameTheSignalsAnalystsLookFor) {
  EXPECT_NE(by_name("forwarded")->causes.en.find("0x60810010"), std::string_view::npos);
  EXPECT_NE(by_name("forwardable")->causes.en.find("0x40810010"), std::string_view::npos);
  EXPECT_NE(by_name("proxiable")->causes.en.find("0x50800000"), std::string_view::npos);
  EXPECT_NE(by_name("enc-tkt-in-skey")->meaning.en.find("User-to-user"), std::string_view::npos);
  EXPECT_NE(by_name("cname-in-addl-tkt")->meaning.en.find("S4U2proxy"), std::string_view::npos);
}

TEST(TicketOptions, EveryTextIsPresentAndTranslated) {
  for (const TicketOption& row : ticket_options()) {
    for (const Text* text : {&row.meaning, &row.causes, &row.action}) {
      EXPECT_FALSE(text->en.empty()) << row.name;
      EXPECT_FALSE(text->fr.empty()) << row.name;
      EXPECT_FALSE(text->da.empty()) << row.name;
      EXPECT_NE(text->fr, text->en) << row.name;
      EXPECT_NE(text->da, text->en) << row.name;
      EXPECT_NE(text->da, text->fr) << row.name;
      EXPECT_EQ(text->in(Lang::da), text->da);
    }
    EXPECT_FALSE(row.source.empty()) << row.name;
  }
}

// Every TicketOptions value in the real samples must be explained by assigned options alone.
TEST(TicketOptions, RealSampleValuesUseOnlyAssignedOptions) {
  KI_REQUIRE_SHARED_DATA();
  const std::regex field(R"re(TicketOptions"?\s*(?:>|:\s*")\s*(0x[0-9A-Fa-f]+))re");
  int seen = 0;
  for (const char* file : {"json/otrf_nxlog_security_sample.jsonl", "json/winlogbeat8_4768_v2.json",
                           "xml/goad_essos_4768_v2.xml", "xml/goad_essos_4769_v2.xml"}) {
    const std::string text = test::read_file(test::shared_data_dir() / file);
    for (std::sregex_iterator it(text.begin(), text.end(), field), end; it != end; ++it) {
      const auto value = parse_code((*it)[1].str());
      ASSERT_TRUE(value.has_value()) << file << ": " << (*it)[1];
      std::uint32_t unexplained = *value;
      for (const TicketOption& row : ticket_options())
        if (row.assigned) unexplained &= ~row.mask();
      EXPECT_EQ(unexplained, 0u) << file << ": " << (*it)[1] << " sets bits no assigned option names";
      ++seen;
    }
  }
  EXPECT_GT(seen, 100) << "the samples hold over a hundred Kerberos events";
}

}  // namespace
}  // namespace ki::knowledge
