#include "normalize/time.hpp"

#include <charconv>

#include "util/civil_time.hpp"

namespace ki {

bool parse_iso8601(std::string_view text, EpochTime& out) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r' || text.back() == '\n'))
    text.remove_suffix(1);
  const auto parsed = civil::parse_iso8601(text);
  if (!parsed) return false;
  std::uint32_t micros = 0;  // cut, not rounded: the second shown is the second Windows logged
  for (std::size_t i = 0; i < 6; ++i)
    micros = micros * 10 + (i < parsed->fraction.size() ? static_cast<std::uint32_t>(parsed->fraction[i] - '0') : 0);
  out.seconds = parsed->seconds;
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
