#include "knowledge/explain.hpp"

#include "knowledge/codes.hpp"

namespace ki::knowledge {

namespace {

// What we say about a value no table row names: plain, and still something to act on.
constexpr Text kUnknownMeaning{
    "No Kerberos RFC, IANA registry entry or Microsoft document known to this app defines this value.",
    "Aucune RFC Kerberos, aucun registre IANA ni aucun document Microsoft connu de cette application ne définit cette valeur.",
    "Ingen Kerberos-RFC, IANA-registrering eller Microsoft-dokumentation, som denne app kender, definerer denne værdi."};
constexpr Text kUnknownCauses{
    "A newer Windows release or a non-Windows KDC may use it, or the field was damaged or mis-parsed on the way.",
    "Une version plus récente de Windows ou un KDC non Windows peut l'employer, ou le champ a été abîmé ou mal lu en chemin.",
    "En nyere Windows-udgave eller en KDC, der ikke er Windows, kan bruge den, eller feltet er blevet beskadiget eller fejlfortolket undervejs."};
constexpr Text kUnknownAction{
    "Compare the raw event on the domain controller with what was indexed, and report the value to the app's maintainers.",
    "Comparez l'événement brut sur le contrôleur de domaine avec ce qui a été indexé, et signalez la valeur aux mainteneurs de l'application.",
    "Sammenlign den rå hændelse på domænecontrolleren med det indekserede, og meld værdien til appens vedligeholdere."};

template <typename Row>
void fill(Explained& item, const Row& row, Lang lang) {
  item.known = true;
  item.name = std::string(row.name);
  item.severity = row.severity;
  item.meaning = row.meaning.in(lang);
  item.causes = row.causes.in(lang);
  item.action = row.action.in(lang);
  item.source = row.source;
  item.notes = row.notes;
  if constexpr (requires { row.on_windows; }) item.seen_on_windows = row.on_windows == OnWindows::seen;
}

Explained unknown_item(std::string kind, std::uint32_t value, Lang lang) {
  Explained item;
  item.kind = std::move(kind);
  item.key = canonical_hex(value);
  item.name = unknown_label(value);
  item.severity = Severity::low;
  item.meaning = kUnknownMeaning.in(lang);
  item.causes = kUnknownCauses.in(lang);
  item.action = kUnknownAction.in(lang);
  return item;
}

// The answer of the table row for `value`, or the unknown answer when no row names it.
template <typename Row>
Explained row_item(std::string kind, std::string key, const Row* row, std::uint32_t value, Lang lang) {
  Explained item = row ? Explained{} : unknown_item(kind, value, lang);
  item.kind = std::move(kind);
  item.key = std::move(key);
  if (row) fill(item, *row, lang);
  return item;
}

Explanation explain_result_code(std::uint32_t code, Lang lang) {
  Explanation out{Subject::result_code, {}, canonical_hex(code), {}};
  const ResultCode* row = find_result_code(code);
  Explained item = row_item("result_code", canonical_hex(code), row, code, lang);
  item.details.emplace_back("decimal", canonical_decimal(code));
  out.items.push_back(std::move(item));
  return out;
}

Explanation explain_ticket_options(std::uint32_t value, Lang lang) {
  Explanation out{Subject::ticket_options, {}, canonical_hex(value), {}};
  for (const TicketOption& option : ticket_options()) {
    if (!option.assigned || (value & option.mask()) == 0) continue;
    Explained item;
    item.kind = "ticket_option";
    item.key = std::string(option.name);
    fill(item, option, lang);
    item.details.emplace_back("bit", std::to_string(option.bit));
    item.details.emplace_back("mask", canonical_hex(option.mask()));
    out.items.push_back(std::move(item));
  }
  const std::uint32_t leftover = decode_ticket_options(value).unknown_bits;
  if (leftover) out.items.push_back(unknown_item("unknown_bits", leftover, lang));
  return out;
}

Explanation explain_supported(std::uint32_t value, Lang lang) {
  Explanation out{Subject::supported_encryption_types, {}, canonical_hex(value), {}};
  for (const SupportedEncryptionBit& bit : supported_encryption_bits()) {
    if ((value & bit.mask) == 0) continue;
    Explained item;
    item.kind = "supported_encryption_type";
    item.key = std::string(bit.name);
    fill(item, bit, lang);
    item.details.emplace_back("mask", canonical_hex(bit.mask));
    item.details.emplace_back("strength", std::string(strength_name(bit.strength)));
    out.items.push_back(std::move(item));
  }
  const std::uint32_t leftover = decode_supported_encryption_types(value).unknown_bits;
  if (leftover) out.items.push_back(unknown_item("unknown_bits", leftover, lang));
  return out;
}

Explanation explain_etype(std::uint32_t id, Lang lang) {
  Explanation out{Subject::encryption_type, {}, canonical_hex(id), {}};
  const EncryptionType* row = find_encryption_type(id);
  Explained item = row_item("encryption_type", canonical_hex(id), row, id, lang);
  if (row) item.details.emplace_back("strength", std::string(strength_name(row->strength)));
  item.details.emplace_back("decimal", std::to_string(static_cast<std::int32_t>(id)));
  out.items.push_back(std::move(item));
  return out;
}

Explanation explain_pre_auth(std::uint32_t id, Lang lang) {
  Explanation out{Subject::pre_auth_type, {}, canonical_decimal(id), {}};
  const PreAuthType* row = find_pre_auth_type(id);
  out.items.push_back(row_item("pre_auth_type", canonical_decimal(id), row, id, lang));
  return out;
}

Explanation explain_event(std::uint32_t id, Lang lang) {
  Explanation out{Subject::event, {}, canonical_decimal(id), {}};
  const EventInfo* row = find_event(id);
  Explained item = row_item("event", canonical_decimal(id), row, id, lang);
  if (row) {
    if (row->modern_id) item.details.emplace_back("modern_event", std::to_string(row->modern_id));
    if (!row->result_codes.empty()) item.details.emplace_back("result_codes", std::string(row->result_codes));
    for (int version = 0; version < 3; ++version)
      if (!row->fields[version].empty())
        item.details.emplace_back("fields_v" + std::to_string(version), std::string(row->fields[version]));
  } else {
    item.name = "unknown (" + canonical_decimal(id) + ")";
  }
  out.items.push_back(std::move(item));
  return out;
}

}  // namespace

std::optional<Explanation> explain(Subject subject, std::string_view value, Lang lang) {
  if (subject == Subject::pre_auth_type && value == "-") {
    Explained item;
    item.kind = "pre_auth_type";
    item.key = "-";
    fill(item, pre_auth_type_not_checked(), lang);
    return Explanation{subject, "-", "-", {std::move(item)}};
  }
  std::optional<std::uint32_t> number;
  if (subject == Subject::encryption_type) {
    number = parse_etype(value);
  } else if (subject == Subject::supported_encryption_types) {
    number = parse_mask_prefix(value);
  } else {
    number = parse_code(value);
  }
  if (!number) return std::nullopt;
  Explanation out;
  switch (subject) {
    case Subject::result_code: out = explain_result_code(*number, lang); break;
    case Subject::ticket_options: out = explain_ticket_options(*number, lang); break;
    case Subject::encryption_type: out = explain_etype(*number, lang); break;
    case Subject::supported_encryption_types: out = explain_supported(*number, lang); break;
    case Subject::pre_auth_type: out = explain_pre_auth(*number, lang); break;
    case Subject::event: out = explain_event(*number, lang); break;
  }
  out.input = std::string(value);
  return out;
}

const Labels& labels(Lang lang) {
  static const Labels en{"Meaning", "Likely causes", "What to do", "Severity", "Seen from Windows KDCs",
                         "yes", "no", "Source", "Notes", "no flag is set"};
  static const Labels fr{"Signification", "Causes probables", "Que faire", "Gravité", "Vu sur des KDC Windows",
                         "oui", "non", "Source", "Notes", "aucun indicateur n'est positionné"};
  static const Labels da{"Betydning", "Sandsynlige årsager", "Hvad du kan gøre", "Alvor", "Set fra Windows-KDC'er",
                         "ja", "nej", "Kilde", "Noter", "ingen flag er sat"};
  switch (lang) {
    case Lang::fr: return fr;
    case Lang::da: return da;
    default: return en;
  }
}

}  // namespace ki::knowledge
