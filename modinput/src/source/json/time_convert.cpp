#include "source/json/time_convert.hpp"

#include <cstdio>

namespace ki::timefmt {

namespace {

bool digits(std::string_view s, std::size_t pos, std::size_t count, int& value) {
  if (pos + count > s.size()) return false;
  value = 0;
  for (std::size_t i = pos; i < pos + count; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    value = value * 10 + (s[i] - '0');
  }
  return true;
}

bool valid_date_time(int y, int mo, int d, int h, int mi, int s) {
  static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (y < 1601 || mo < 1 || mo > 12 || d < 1 || d > kDays[mo - 1]) return false;
  if (mo == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return false;
  return h <= 23 && mi <= 59 && s <= 60;
}

std::int64_t to_seconds(int y, int mo, int d, int h, int mi, int s) {
  return days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86400 + h * 3600 + mi * 60 + s;
}

// Reads ".123" and a zone ("Z", "+01:00", "+0100") from `pos`; the rest must be empty.
bool fraction_and_zone(std::string_view text, std::size_t pos, Parsed& out) {
  if (pos < text.size() && (text[pos] == '.' || text[pos] == ',')) {
    const std::size_t begin = ++pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
    if (pos == begin) return false;
    out.fraction = text.substr(begin, pos - begin);
  }
  if (pos == text.size()) return true;
  if (text[pos] == 'Z' || text[pos] == 'z') {
    out.zoned = true;
    return pos + 1 == text.size();
  }
  if (text[pos] != '+' && text[pos] != '-') return false;
  const int sign = text[pos] == '-' ? -1 : 1;
  int hh = 0, mm = 0;
  if (!digits(text, pos + 1, 2, hh)) return false;
  std::size_t p = pos + 3;
  if (p < text.size() && text[p] == ':') ++p;
  if (p < text.size() && !digits(text, p, 2, mm)) return false;
  if (p < text.size()) p += 2;
  if (p != text.size() || hh > 14 || mm > 59) return false;
  out.seconds -= sign * (hh * 3600 + mm * 60);
  out.zoned = true;
  return true;
}

}  // namespace

std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  // Howard Hinnant's algorithm: exact for every proleptic Gregorian date.
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

std::optional<Parsed> parse_iso(std::string_view text) {
  int y, mo, d, h, mi, s;
  if (!digits(text, 0, 4, y) || text.size() < 19 || text[4] != '-' || !digits(text, 5, 2, mo) || text[7] != '-' ||
      !digits(text, 8, 2, d) || (text[10] != 'T' && text[10] != ' ' && text[10] != 't') || !digits(text, 11, 2, h) ||
      text[13] != ':' || !digits(text, 14, 2, mi) || text[16] != ':' || !digits(text, 17, 2, s))
    return std::nullopt;
  if (!valid_date_time(y, mo, d, h, mi, s)) return std::nullopt;
  Parsed out;
  out.seconds = to_seconds(y, mo, d, h, mi, s);
  if (!fraction_and_zone(text, 19, out)) return std::nullopt;
  return out;
}

std::optional<Parsed> parse_us(std::string_view text) {
  // M/D/YYYY h:mm:ss [AM|PM]; month, day and hour may have one digit.
  std::size_t p = 0;
  auto number = [&](int max_digits, int& value) {
    const std::size_t begin = p;
    value = 0;
    while (p < text.size() && p - begin < static_cast<std::size_t>(max_digits) && text[p] >= '0' && text[p] <= '9')
      value = value * 10 + (text[p++] - '0');
    return p > begin;
  };
  auto expect = [&](char c) { return p < text.size() && text[p++] == c; };
  int mo, d, y, h, mi, s;
  if (!number(2, mo) || !expect('/') || !number(2, d) || !expect('/') || !number(4, y) || !expect(' ') ||
      !number(2, h) || !expect(':') || !number(2, mi) || !expect(':') || !number(2, s))
    return std::nullopt;
  Parsed out;
  if (p < text.size() && text[p] == '.') {
    const std::size_t begin = ++p;
    while (p < text.size() && text[p] >= '0' && text[p] <= '9') ++p;
    out.fraction = text.substr(begin, p - begin);
  }
  std::string_view rest = text.substr(p);
  while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  while (!rest.empty() && (rest.back() == ' ' || rest.back() == '\r')) rest.remove_suffix(1);
  if (rest == "AM" || rest == "PM" || rest == "am" || rest == "pm") {
    if (h < 1 || h > 12) return std::nullopt;
    h %= 12;
    if (rest[0] == 'P' || rest[0] == 'p') h += 12;
  } else if (!rest.empty()) {
    return std::nullopt;
  }
  if (!valid_date_time(y, mo, d, h, mi, s)) return std::nullopt;
  out.seconds = to_seconds(y, mo, d, h, mi, s);
  return out;
}

std::string format_utc(std::int64_t seconds, std::string_view fraction) {
  std::int64_t days = seconds / 86400;
  std::int64_t rem = seconds % 86400;
  if (rem < 0) {
    rem += 86400;
    --days;
  }
  // civil_from_days, the inverse of days_from_civil.
  const std::int64_t z = days + 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t y0 = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  const std::int64_t y = y0 + (m <= 2);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02d:%02d:%02d", static_cast<long long>(y), m, d,
                static_cast<int>(rem / 3600), static_cast<int>(rem / 60 % 60), static_cast<int>(rem % 60));
  std::string out = buf;
  if (!fraction.empty()) {
    out.push_back('.');
    out.append(fraction);
  }
  out.push_back('Z');
  return out;
}

}  // namespace ki::timefmt
