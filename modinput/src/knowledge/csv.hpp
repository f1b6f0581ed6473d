#pragma once
// CSV as Splunk's lookup files want it: UTF-8, LF line ends, a constant column count, RFC 4180 quoting.

#include <string>
#include <string_view>
#include <vector>

namespace ki::knowledge {

struct CsvTable {
  std::string file_name;  // e.g. "kerberos_result_codes.csv"
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
};

// Quotes a field when it holds a comma, a quote, CR or LF (or leading/trailing space); doubles inner quotes.
std::string csv_field(std::string_view value);

// The whole file. Every row must have as many fields as the header (a test checks the generators).
std::string render_csv(const CsvTable& table);

// Parses CSV text back into rows (header included) for validity tests and the drift check.
// Returns false with `error` set (naming line) on unbalanced quotes.
bool parse_csv(std::string_view text, std::vector<std::vector<std::string>>& rows, std::string& error);

}  // namespace ki::knowledge
