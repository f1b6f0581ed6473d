// Checks every code table at once: sorted unique keys, explanations present in all three languages and
// really translated, and the references between tables resolve.
#include "knowledge/knowledge.hpp"

#include <cctype>
#include <initializer_list>
#include <set>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "knowledge/codes.hpp"

namespace ki::knowledge {
namespace {

bool says_nothing(std::string_view text) {
  std::string lower(text);
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower.find("no information") != std::string::npos || lower.find("todo") != std::string::npos ||
         lower.find("tbd") != std::string::npos || lower.find("aucune information") != std::string::npos ||
         lower.find("ingen oplysninger") != std::string::npos;
}

// True when `text` holds one of `words` as a whole word (ASCII word boundaries are enough for these).
bool has_word(std::string_view text, std::initializer_list<std::string_view> words) {
  for (std::string_view word : words) {
    for (size_t at = text.find(word); at != std::string_view::npos; at = text.find(word, at + 1)) {
      const bool starts = at == 0 || !std::isalpha(static_cast<unsigned char>(text[at - 1]));
      const size_t end = at + word.size();
      const bool ends = end == text.size() || !std::isalpha(static_cast<unsigned char>(text[end]));
      if (starts && ends) return true;
    }
  }
  return false;
}

// A translation left in English would still differ from nothing else; these catch it by the words every
// real French or Danish sentence needs, and the English ones neither language uses.
void expect_language(const Text& text, const std::string& where) {
  EXPECT_TRUE(has_word(text.fr, {"le", "la", "les", "l", "du", "des", "de", "un", "une", "est", "et", "ou", "pas",
                                 "dans", "pour", "avec", "qui", "sur", "par", "au", "aux", "ce", "cette", "d"}))
      << where << ": does not read as French: " << text.fr;
  EXPECT_TRUE(has_word(text.da, {"og", "er", "på", "af", "ikke", "det", "den", "der", "til", "som", "eller", "skal",
                                 "kan", "en", "et", "at", "med", "fra", "har", "bliver", "for", "om", "de", "så", "bør",
                                 "hvis", "ved", "vil", "disse", "denne", "blev"}))
      << where << ": does not read as Danish: " << text.da;
  for (std::string_view t : {text.fr, text.da})
    EXPECT_FALSE(has_word(t, {"the", "which", "should", "when", "with"})) << where << ": English words in " << t;
}

void expect_translated(const Text& text, const std::string& where) {
  expect_language(text, where);
  EXPECT_FALSE(text.en.empty()) << where << ": English text missing";
  EXPECT_FALSE(text.fr.empty()) << where << ": French text missing";
  EXPECT_FALSE(text.da.empty()) << where << ": Danish text missing";
  EXPECT_NE(text.en, text.fr) << where << ": French is a copy of English";
  EXPECT_NE(text.en, text.da) << where << ": Danish is a copy of English";
  EXPECT_NE(text.fr, text.da) << where << ": Danish is a copy of French";
  for (std::string_view t : {text.en, text.fr, text.da}) EXPECT_FALSE(says_nothing(t)) << where << ": " << t;
}

template <typename Row>
void expect_explained(const Row& row, const std::string& where) {
  expect_translated(row.meaning, where + " meaning");
  expect_translated(row.causes, where + " causes");
  expect_translated(row.action, where + " action");
  EXPECT_FALSE(row.name.empty()) << where << ": name missing";
  EXPECT_FALSE(row.source.empty()) << where << ": source missing";
}

template <typename Rows, typename Key>
void expect_sorted_unique(const Rows& rows, Key key, const char* table) {
  ASSERT_FALSE(rows.empty()) << table << " is empty";
  for (size_t i = 1; i < rows.size(); ++i)
    EXPECT_LT(key(rows[i - 1]), key(rows[i])) << table << ": rows " << i - 1 << " and " << i << " out of order or repeated";
}

TEST(KnowledgeTables, ResultCodes) {
  expect_sorted_unique(result_codes(), [](const ResultCode& r) { return r.code; }, "result codes");
  std::set<std::string_view> names;
  for (const auto& row : result_codes()) {
    expect_explained(row, "result code " + canonical_hex(row.code));
    EXPECT_TRUE(names.insert(row.name).second) << "name used twice: " << row.name;
    EXPECT_EQ(find_result_code(row.code), &row);
  }
}

TEST(KnowledgeTables, TicketOptionsCoverAll32BitsInOrder) {
  const auto rows = ticket_options();
  ASSERT_EQ(rows.size(), 32u);
  for (size_t bit = 0; bit < rows.size(); ++bit) {
    EXPECT_EQ(rows[bit].bit, bit);
    EXPECT_EQ(find_ticket_option(static_cast<std::uint8_t>(bit)), &rows[bit]);
    expect_explained(rows[bit], "ticket option bit " + std::to_string(bit));
  }
  EXPECT_EQ(find_ticket_option(32), nullptr);
}

TEST(KnowledgeTables, EncryptionTypes) {
  expect_sorted_unique(encryption_types(), [](const EncryptionType& r) { return r.id; }, "encryption types");
  for (const auto& row : encryption_types()) {
    expect_explained(row, "etype " + canonical_hex(row.id));
    EXPECT_EQ(find_encryption_type(row.id), &row);
  }
  expect_sorted_unique(supported_encryption_bits(), [](const SupportedEncryptionBit& r) { return r.mask; },
                       "supported encryption bits");
  for (const auto& row : supported_encryption_bits()) {
    expect_explained(row, "supported etype bit " + canonical_hex(row.mask));
    EXPECT_EQ(row.mask & (row.mask - 1), 0u) << "one bit per row: " << canonical_hex(row.mask);
  }
}

TEST(KnowledgeTables, PreAuthTypes) {
  expect_sorted_unique(pre_auth_types(), [](const PreAuthType& r) { return r.id; }, "pre-auth types");
  for (const auto& row : pre_auth_types()) {
    expect_explained(row, "pre-auth type " + std::to_string(row.id));
    EXPECT_EQ(find_pre_auth_type(row.id), &row);
  }
}

TEST(KnowledgeTables, TheDashOfFailureEventsIsExplained) {
  const PreAuthType& dash = pre_auth_type_not_checked();
  EXPECT_EQ(dash.name, "-");
  expect_explained(dash, "pre-auth type -");
}

TEST(KnowledgeTables, EventsReferToExistingCodesAndEvents) {
  expect_sorted_unique(events(), [](const EventInfo& r) { return r.id; }, "events");
  for (const auto& row : events()) {
    const std::string where = "event " + std::to_string(row.id);
    expect_explained(row, where);
    EXPECT_EQ(find_event(row.id), &row);
    if (row.modern_id) {
      EXPECT_NE(find_event(row.modern_id), nullptr) << where << ": modern event missing";
    }
    std::istringstream codes{std::string(row.result_codes)};
    for (std::string code; codes >> code;) {
      const auto value = parse_code(code);
      ASSERT_TRUE(value.has_value()) << where << ": " << code;
      EXPECT_EQ(canonical_hex(*value), code) << where << ": codes are listed in canonical form";
      EXPECT_NE(find_result_code(*value), nullptr) << where << ": " << code << " is not in the result-code table";
    }
  }
  for (std::uint32_t id : {4768u, 4769u, 4770u, 4771u, 4772u, 4773u, 4776u, 672u, 673u, 674u, 675u, 676u, 677u})
    EXPECT_NE(find_event(id), nullptr) << id;
}

TEST(KnowledgeTables, LookupsOfAbsentValuesAnswerNull) {
  EXPECT_EQ(find_result_code(0xDEAD), nullptr);
  EXPECT_EQ(find_encryption_type(0x7777), nullptr);
  EXPECT_EQ(find_pre_auth_type(0xBEEF), nullptr);
  EXPECT_EQ(find_event(1), nullptr);
}

TEST(KnowledgeNames, SeverityStrengthLanguage) {
  EXPECT_EQ(severity_name(Severity::high), "high");
  EXPECT_EQ(strength_name(Strength::deprecated), "deprecated");
  EXPECT_EQ(parse_lang("da"), Lang::da);
  EXPECT_FALSE(parse_lang("de").has_value());
  constexpr Text t{"a", "b", "c"};
  EXPECT_EQ(t.in(Lang::fr), "b");
}

}  // namespace
}  // namespace ki::knowledge
