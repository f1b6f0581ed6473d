#include "util/civil_time.hpp"

namespace ki::civil {

namespace {

// Reads exactly `count` digits at text[pos..].
bool digits(std::string_view text, std::size_t pos, std::size_t count, int& value) {
  if (pos + count > text.size()) return false;
  value = 0;
  for (std::size_t i = pos; i < pos + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    value = value * 10 + (text[i] - '0');
  }
  return true;
}

}  // namespace

bool is_leap(std::int64_t year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

unsigned days_in_month(std::int64_t year, unsigned month) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12) return 0;
  return month == 2 && is_leap(year) ? 29 : kDays[month - 1];
}

std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

Date civil_from_days(std::int64_t days) {
  const std::int64_t z = days + 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  Date out;
  out.day = doy - (153 * mp + 2) / 5 + 1;
  out.month = mp < 10 ? mp + 3 : mp - 9;
  out.year = static_cast<std::int64_t>(yoe) + era * 400 + (out.month <= 2);
  return out;
}

std::optional<IsoTime> parse_iso8601(std::string_view text) {
  int y, mo, d, h, mi, s;
  if (text.size() < 19 || !digits(text, 0, 4, y) || text[4] != '-' || !digits(text, 5, 2, mo) || text[7] != '-' ||
      !digits(text, 8, 2, d) || (text[10] != 'T' && text[10] != 't' && text[10] != ' ') || !digits(text, 11, 2, h) ||
      text[13] != ':' || !digits(text, 14, 2, mi) || text[16] != ':' || !digits(text, 17, 2, s))
    return std::nullopt;
  if (y < 1601 || mo < 1 || mo > 12 || d < 1 || static_cast<unsigned>(d) > days_in_month(y, static_cast<unsigned>(mo)) ||
      h > 23 || mi > 59 || s > 60)
    return std::nullopt;
  IsoTime out;
  out.seconds = days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86400 + h * 3600 +
                mi * 60 + s;
  std::size_t pos = 19;
  if (pos < text.size() && (text[pos] == '.' || text[pos] == ',')) {
    const std::size_t begin = ++pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
    if (pos == begin) return std::nullopt;
    out.fraction = text.substr(begin, pos - begin);
  }
  if (pos == text.size()) return out;
  if (text[pos] == 'Z' || text[pos] == 'z') {
    out.zoned = true;
    return pos + 1 == text.size() ? std::optional<IsoTime>(out) : std::nullopt;
  }
  if (text[pos] != '+' && text[pos] != '-') return std::nullopt;
  const int sign = text[pos] == '-' ? -1 : 1;
  int hh = 0, mm = 0;
  if (!digits(text, pos + 1, 2, hh)) return std::nullopt;
  std::size_t p = pos + 3;
  if (p < text.size()) {
    if (text[p] == ':') ++p;
    if (!digits(text, p, 2, mm)) return std::nullopt;
    p += 2;
  }
  if (p != text.size() || hh > 14 || mm > 59) return std::nullopt;
  out.seconds -= sign * (hh * 3600 + mm * 60);
  out.zoned = true;
  return out;
}

}  // namespace ki::civil
