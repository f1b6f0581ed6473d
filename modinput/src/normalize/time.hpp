#pragma once
// TimeCreated (ISO 8601) to the epoch text splunkd takes in <time>.

#include <cstdint>
#include <string>
#include <string_view>

namespace ki {

// Seconds since 1970-01-01T00:00:00Z and the microseconds within that second (always 0..999999).
struct EpochTime {
  std::int64_t seconds = 0;
  std::uint32_t micros = 0;
};

// Reads "YYYY-MM-DDThh:mm:ss[.f...][Z|+hh:mm|-hh:mm|+hhmm|+hh]" with civil::parse_iso8601 (surrounding
// space allowed; the fraction cut, not rounded, to microseconds; no zone means UTC as Windows logs it).
// Returns false on anything else, including impossible dates such as February 30.
bool parse_iso8601(std::string_view text, EpochTime& out);

// Appends "1596140525.731936" (always six decimals) for `text`; appends nothing when it does not parse.
bool append_epoch_text(std::string_view text, std::string& out);

}  // namespace ki
