#include "knowledge/knowledge.hpp"

namespace ki::knowledge {

std::string_view severity_name(Severity severity) {
  switch (severity) {
    case Severity::info: return "info";
    case Severity::low: return "low";
    case Severity::medium: return "medium";
    case Severity::high: return "high";
    case Severity::critical: return "critical";
  }
  return "unknown";
}

std::string_view strength_name(Strength strength) {
  switch (strength) {
    case Strength::none: return "none";
    case Strength::weak: return "weak";
    case Strength::deprecated: return "deprecated";
    case Strength::strong: return "strong";
  }
  return "unknown";
}

std::optional<Lang> parse_lang(std::string_view text) {
  if (text == "en") return Lang::en;
  if (text == "fr") return Lang::fr;
  if (text == "da") return Lang::da;
  return std::nullopt;
}

}  // namespace ki::knowledge
