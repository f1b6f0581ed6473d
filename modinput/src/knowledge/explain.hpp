#pragma once
// What `kerberos_events explain` says about a value, as data: the command renders it as text or JSON,
// and the same answers are what the lookups carry.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "knowledge/knowledge.hpp"

namespace ki::knowledge {

enum class Subject : std::uint8_t { result_code, ticket_options, encryption_type, supported_encryption_types, pre_auth_type, event };

// One explained item: a code, one flag of a mask, or the leftover bits no table row names.
struct Explained {
  std::string kind;  // "result_code", "ticket_option", "encryption_type", "supported_encryption_type", "pre_auth_type", "event", "unknown_bits"
  std::string key;   // the canonical key, as the lookups and the normalizer write it
  bool known = false;
  std::string name;  // the table's name, or "unknown (0x..)"
  Severity severity = Severity::info;
  std::optional<bool> seen_on_windows;
  std::string_view meaning, causes, action;  // in the requested language
  std::string_view source, notes;
  std::vector<std::pair<std::string, std::string>> details;  // e.g. {"decimal", "24"}, {"strength", "deprecated"}
};

struct Explanation {
  Subject subject;
  std::string input;  // the value as given
  std::string key;    // its canonical form
  std::vector<Explained> items;
};

// nullopt when `value` is malformed for the subject (not a number, more than 32 bits, ...).
std::optional<Explanation> explain(Subject subject, std::string_view value, Lang lang);

// Labels for the text rendering, in the requested language.
struct Labels {
  std::string_view meaning, causes, action, severity, seen_on_windows, yes, no, source, notes, none_set;
};
const Labels& labels(Lang lang);

}  // namespace ki::knowledge
