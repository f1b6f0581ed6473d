#include "knowledge/lookup_tables.hpp"

#include <string>

#include "knowledge/codes.hpp"
#include "knowledge/knowledge.hpp"

namespace ki::knowledge {

namespace {

// Columns every table shares, after its own key columns; `prefix` keeps names distinct when a search
// applies several lookups to one event.
std::vector<std::string> explanation_header(const std::string& prefix) {
  std::vector<std::string> header;
  header.push_back(prefix + "_severity");
  for (const char* lang : {"en", "fr", "da"}) {
    header.push_back(prefix + "_meaning_" + lang);
    header.push_back(prefix + "_causes_" + lang);
    header.push_back(prefix + "_action_" + lang);
  }
  header.push_back(prefix + "_source");
  header.push_back(prefix + "_notes");
  return header;
}

template <typename Row>
void append_explanation(std::vector<std::string>& out, const Row& row) {
  out.emplace_back(severity_name(row.severity));
  for (Lang lang : {Lang::en, Lang::fr, Lang::da}) {
    out.emplace_back(row.meaning.in(lang));
    out.emplace_back(row.causes.in(lang));
    out.emplace_back(row.action.in(lang));
  }
  out.emplace_back(row.source);
  out.emplace_back(row.notes);
}

std::vector<std::string> concat(std::vector<std::string> head, const std::vector<std::string>& tail) {
  head.insert(head.end(), tail.begin(), tail.end());
  return head;
}

std::string yes_no(OnWindows on_windows) { return on_windows == OnWindows::seen ? "yes" : "no"; }

CsvTable result_code_table() {
  CsvTable table{"kerberos_result_codes.csv",
                 concat({"result_code", "result_name", "result_code_decimal", "result_seen_on_windows"},
                        explanation_header("result")),
                 {}};
  for (const ResultCode& row : result_codes()) {
    std::vector<std::string> fields{canonical_hex(row.code), std::string(row.name), canonical_decimal(row.code),
                                    yes_no(row.on_windows)};
    append_explanation(fields, row);
    table.rows.push_back(std::move(fields));
  }
  return table;
}

CsvTable ticket_option_table() {
  CsvTable table{"kerberos_ticket_options.csv",
                 concat({"ticket_option", "ticket_option_bit", "ticket_option_mask", "ticket_option_assigned",
                         "ticket_option_seen_on_windows"},
                        explanation_header("ticket_option")),
                 {}};
  for (const TicketOption& row : ticket_options()) {
    std::vector<std::string> fields{std::string(row.name), std::to_string(row.bit), canonical_hex(row.mask()),
                                    row.assigned ? "yes" : "no", yes_no(row.on_windows)};
    append_explanation(fields, row);
    table.rows.push_back(std::move(fields));
  }
  return table;
}

CsvTable encryption_type_table() {
  CsvTable table{"kerberos_encryption_types.csv",
                 concat({"ticket_encryption", "ticket_encryption_name", "ticket_encryption_strength",
                         "etype_seen_on_windows"},
                        explanation_header("etype")),
                 {}};
  for (const EncryptionType& row : encryption_types()) {
    std::vector<std::string> fields{canonical_hex(row.id), std::string(row.name),
                                    std::string(strength_name(row.strength)), yes_no(row.on_windows)};
    append_explanation(fields, row);
    table.rows.push_back(std::move(fields));
  }
  return table;
}

CsvTable supported_encryption_table() {
  CsvTable table{"kerberos_supported_encryption_types.csv",
                 concat({"supported_etype", "supported_etype_mask", "supported_etype_strength",
                         "supported_etype_seen_on_windows"},
                        explanation_header("supported_etype")),
                 {}};
  for (const SupportedEncryptionBit& row : supported_encryption_bits()) {
    std::vector<std::string> fields{std::string(row.name), canonical_hex(row.mask),
                                    std::string(strength_name(row.strength)), yes_no(row.on_windows)};
    append_explanation(fields, row);
    table.rows.push_back(std::move(fields));
  }
  return table;
}

CsvTable pre_auth_table() {
  CsvTable table{"kerberos_pre_auth_types.csv",
                 concat({"pre_auth_type", "pre_auth_name", "pre_auth_seen_on_windows"}, explanation_header("pre_auth")),
                 {}};
  const PreAuthType& not_checked = pre_auth_type_not_checked();
  std::vector<std::string> first{"-", std::string(not_checked.name), yes_no(not_checked.on_windows)};
  append_explanation(first, not_checked);
  table.rows.push_back(std::move(first));
  for (const PreAuthType& row : pre_auth_types()) {
    std::vector<std::string> fields{canonical_decimal(row.id), std::string(row.name), yes_no(row.on_windows)};
    append_explanation(fields, row);
    table.rows.push_back(std::move(fields));
  }
  return table;
}

CsvTable event_table() {
  CsvTable table{"kerberos_events.csv",
                 concat({"signature_id", "signature", "modern_event_id", "event_result_codes", "event_fields_v0",
                         "event_fields_v1", "event_fields_v2"},
                        explanation_header("event")),
                 {}};
  for (const EventInfo& row : events()) {
    std::vector<std::string> fields{std::to_string(row.id),
                                    std::string(row.name),
                                    row.modern_id ? std::to_string(row.modern_id) : std::string(),
                                    std::string(row.result_codes),
                                    std::string(row.fields[0]),
                                    std::string(row.fields[1]),
                                    std::string(row.fields[2])};
    append_explanation(fields, row);
    table.rows.push_back(std::move(fields));
  }
  return table;
}

}  // namespace

std::vector<CsvTable> lookup_tables() {
  return {result_code_table(),    ticket_option_table(), encryption_type_table(),
          supported_encryption_table(), pre_auth_table(), event_table()};
}

}  // namespace ki::knowledge
