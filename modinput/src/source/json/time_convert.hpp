#pragma once
// Timestamps as collectors write them, turned into the Record's ISO 8601 UTC form
// ("2020-06-10T02:51:02Z", fraction kept as written). Shared by the JSON and classic-text sources.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ki::timefmt {

struct Parsed {
  std::int64_t seconds = 0;   // since 1970-01-01 in the written clock (UTC when `zoned`)
  std::string_view fraction;  // digits after the decimal point, as written
  bool zoned = false;         // a "Z" or "+hh:mm" was present (seconds are then UTC)
};

// "2020-06-09 22:51:02", "2020-06-09T22:51:02.123Z", "2022-12-14T17:07:03.331+01:00", "...+0100"
// (civil::parse_iso8601; years before 1601 and offsets beyond 14 hours are refused).
std::optional<Parsed> parse_iso(std::string_view text);

// "11/28/2024 04:58:44 PM" (Splunk's classic rendering) or the same with a 24-hour clock.
std::optional<Parsed> parse_us(std::string_view text);

// "2020-06-10T02:51:02Z", or "...02.648Z" with the fraction.
std::string format_utc(std::int64_t seconds, std::string_view fraction);
// The same appended to `out`, without a temporary string.
void append_utc(std::string& out, std::int64_t seconds, std::string_view fraction);

}  // namespace ki::timefmt
