#include "source/json/time_convert.hpp"

#include <cstdio>

#include "util/civil_time.hpp"

namespace ki::timefmt {

namespace {

bool valid_date_time(int y, int mo, int d, int h, int mi, int s) {
  if (y < 1601 || mo < 1 || mo > 12 || d < 1) return false;
  if (static_cast<unsigned>(d) > civil::days_in_month(y, static_cast<unsigned>(mo))) return false;
  return h <= 23 && mi <= 59 && s <= 60;
}

std::int64_t to_seconds(int y, int mo, int d, int h, int mi, int s) {
  return civil::days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86400 + h * 3600 +
         mi * 60 + s;
}

}  // namespace

std::optional<Parsed> parse_iso(std::string_view text) {
  const auto parsed = civil::parse_iso8601(text);
  if (!parsed) return std::nullopt;
  Parsed out;
  out.seconds = parsed->seconds;
  out.fraction = parsed->fraction;
  out.zoned = parsed->zoned;
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

void append_utc(std::string& out, std::int64_t seconds, std::string_view fraction) {
  std::int64_t days = seconds / 86400;
  std::int64_t rem = seconds % 86400;
  if (rem < 0) {
    rem += 86400;
    --days;
  }
  const civil::Date date = civil::civil_from_days(days);
  char buf[48];
  char* p = buf;
  // Years outside 0..9999 cannot come out of parse_iso/parse_us; printf keeps them readable anyway.
  if (date.year < 0 || date.year > 9999) {
    p += std::snprintf(buf, sizeof buf, "%04lld", static_cast<long long>(date.year));
  } else {
    const auto y = static_cast<unsigned>(date.year);
    *p++ = static_cast<char>('0' + y / 1000);
    *p++ = static_cast<char>('0' + y / 100 % 10);
    *p++ = static_cast<char>('0' + y / 10 % 10);
    *p++ = static_cast<char>('0' + y % 10);
  }
  auto two = [&p](unsigned v) {
    *p++ = static_cast<char>('0' + v / 10);
    *p++ = static_cast<char>('0' + v % 10);
  };
  *p++ = '-';
  two(date.month);
  *p++ = '-';
  two(date.day);
  *p++ = 'T';
  two(static_cast<unsigned>(rem / 3600));
  *p++ = ':';
  two(static_cast<unsigned>(rem / 60 % 60));
  *p++ = ':';
  two(static_cast<unsigned>(rem % 60));
  out.append(buf, static_cast<std::size_t>(p - buf));
  if (!fraction.empty()) {
    out.push_back('.');
    out.append(fraction);
  }
  out.push_back('Z');
}

std::string format_utc(std::int64_t seconds, std::string_view fraction) {
  std::string out;
  append_utc(out, seconds, fraction);
  return out;
}

}  // namespace ki::timefmt
