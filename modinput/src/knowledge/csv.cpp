#include "knowledge/csv.hpp"

namespace ki::knowledge {

std::string csv_field(std::string_view value) {
  const bool needs_quotes = value.find_first_of(",\"\r\n") != std::string_view::npos ||
                            (!value.empty() && (value.front() == ' ' || value.back() == ' '));
  if (!needs_quotes) return std::string(value);
  std::string quoted = "\"";
  for (char c : value) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  quoted += '"';
  return quoted;
}

namespace {
void append_row(std::string& out, const std::vector<std::string>& fields) {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i) out += ',';
    out += csv_field(fields[i]);
  }
  out += '\n';
}
}  // namespace

std::string render_csv(const CsvTable& table) {
  std::string out;
  append_row(out, table.header);
  for (const auto& row : table.rows) append_row(out, row);
  return out;
}

bool parse_csv(std::string_view text, std::vector<std::vector<std::string>>& rows, std::string& error) {
  rows.clear();
  std::vector<std::string> row;
  std::string field;
  bool in_quotes = false;
  bool row_open = false;
  size_t line = 1;
  size_t quote_line = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_quotes) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field += '"';
          ++i;
        } else {
          in_quotes = false;
        }
      } else {
        if (c == '\n') ++line;
        field += c;
      }
      continue;
    }
    row_open = true;
    if (c == '"') {
      in_quotes = true;
      quote_line = line;
    } else if (c == ',') {
      row.push_back(std::move(field));
      field.clear();
    } else if (c == '\n') {
      row.push_back(std::move(field));
      field.clear();
      rows.push_back(std::move(row));
      row.clear();
      row_open = false;
      ++line;
    } else {
      field += c;
    }
  }
  if (in_quotes) {
    error = "line " + std::to_string(quote_line) + ": quoted field never closed";
    return false;
  }
  if (row_open) {
    row.push_back(std::move(field));
    rows.push_back(std::move(row));
  }
  return true;
}

}  // namespace ki::knowledge
