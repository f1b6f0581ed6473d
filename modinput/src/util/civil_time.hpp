#pragma once
// Proleptic Gregorian calendar arithmetic and the one ISO 8601 reader every stage uses (the JSON and text
// sources to put collector timestamps in the Record's form, the normalizer to compute splunkd's <time>).

#include <cstdint>
#include <optional>
#include <string_view>

namespace ki::civil {

struct Date {
  std::int64_t year = 1970;
  unsigned month = 1;  // 1..12
  unsigned day = 1;    // 1..31
};

bool is_leap(std::int64_t year);
unsigned days_in_month(std::int64_t year, unsigned month);

// Days since 1970-01-01 of a date, and back (H. Hinnant's algorithms: exact for every date).
std::int64_t days_from_civil(std::int64_t year, unsigned month, unsigned day);
Date civil_from_days(std::int64_t days);

struct IsoTime {
  std::int64_t seconds = 0;   // since 1970-01-01 in the written clock; UTC when `zoned`
  std::string_view fraction;  // the digits after the decimal point, as written (a view into the input)
  bool zoned = false;         // "Z" or an offset was present, and `seconds` already has it applied
};

// Reads "YYYY-MM-DD[T| ]hh:mm:ss[(.|,)digits][Z|+hh|+hhmm|+hh:mm]" exactly (no surrounding space).
// Refuses impossible dates (February 30), years before 1601 (the Windows epoch), offsets beyond 14 hours.
// A second of 60 (a leap second) is accepted and lands on the next second.
std::optional<IsoTime> parse_iso8601(std::string_view text);

}  // namespace ki::civil
