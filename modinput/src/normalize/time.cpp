#include "normalize/time.hpp"

#include <charconv>

namespace ki {

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

bool leap(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int days_in_month(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && leap(year) ? 29 : kDays[month - 1];
}

// Days from 1970-01-01 to the given civil date (proleptic Gregorian), after H. Hinnant's algorithm.
std::int64_t days_from_civil(int y, int m, int d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - static_cast<int>(era * 400);
  const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

}  // namespace

bool parse_iso8601(std::string_view text, EpochTime& out) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r' || text.back() == '\n'))
    text.remove_suffix(1);

  int year, month, day, hour, minute, second;
  if (!digits(text, 0, 4, year) || text.size() < 19 || text[4] != '-' || !digits(text, 5, 2, month) ||
      text[7] != '-' || !digits(text, 8, 2, day) || (text[10] != 'T' && text[10] != 't' && text[10] != ' ') ||
      !digits(text, 11, 2, hour) || text[13] != ':' || !digits(text, 14, 2, minute) || text[16] != ':' ||
      !digits(text, 17, 2, second))
    return false;
  if (month < 1 || month > 12 || day < 1 || day > days_in_month(year, month) || hour > 23 || minute > 59 ||
      second > 60)  // 60: a leap second, which lands on the next second
    return false;

  std::size_t pos = 19;
  std::uint32_t micros = 0;
  if (pos < text.size() && (text[pos] == '.' || text[pos] == ',')) {
    ++pos;
    const std::size_t start = pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (pos - start < 6) micros = micros * 10 + static_cast<std::uint32_t>(text[pos] - '0');
      ++pos;
    }
    for (std::size_t n = pos - start; n < 6; ++n) micros *= 10;
  }

  int offset_seconds = 0;
  if (pos < text.size()) {
    const char sign = text[pos];
    if (sign == 'Z' || sign == 'z') {
      ++pos;
    } else if (sign == '+' || sign == '-') {
      int oh = 0, om = 0;
      if (!digits(text, pos + 1, 2, oh)) return false;
      pos += 3;
      if (pos < text.size()) {
        if (text[pos] == ':') ++pos;
        if (!digits(text, pos, 2, om)) return false;
        pos += 2;
      }
      if (oh > 23 || om > 59) return false;
      offset_seconds = (oh * 3600 + om * 60) * (sign == '-' ? -1 : 1);
    } else {
      return false;
    }
  }
  if (pos != text.size()) return false;

  out.seconds = days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second - offset_seconds;
  out.micros = micros;
  return true;
}

bool append_epoch_text(std::string_view text, std::string& out) {
  EpochTime time;
  if (!parse_iso8601(text, time)) return false;
  char buffer[40];
  char* end = buffer + sizeof buffer;
  char* p = buffer;
  // Before 1970 the fraction still counts forward from the earlier whole second: -0.25 s is "-0.250000".
  std::int64_t seconds = time.seconds;
  std::uint32_t micros = time.micros;
  if (seconds < 0 && micros != 0) {
    seconds += 1;
    micros = 1000000 - micros;
  }
  if (seconds < 0 || (seconds == 0 && time.seconds < 0)) *p++ = '-';
  const std::uint64_t magnitude = seconds < 0 ? static_cast<std::uint64_t>(-seconds) : static_cast<std::uint64_t>(seconds);
  p = std::to_chars(p, end, magnitude).ptr;
  *p++ = '.';
  for (std::uint32_t div = 100000; div != 0; div /= 10) *p++ = static_cast<char>('0' + (micros / div) % 10);
  out.append(buffer, static_cast<std::size_t>(p - buffer));
  return true;
}

}  // namespace ki
