#include "knowledge/codes.hpp"

#include <charconv>
#include <cstdio>

#include "knowledge/knowledge.hpp"

namespace ki::knowledge {

namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t' || text.front() == '\r' || text.front() == '\n'))
    text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r' || text.back() == '\n'))
    text.remove_suffix(1);
  return text;
}

// Parses all of `digits` in `base` into 32 bits; nullopt on junk, overflow or nothing.
std::optional<std::uint32_t> parse_digits(std::string_view digits, int base) {
  if (digits.empty()) return std::nullopt;
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value, base);
  if (ec != std::errc() || end != digits.data() + digits.size() || value > 0xFFFFFFFFull) return std::nullopt;
  return static_cast<std::uint32_t>(value);
}

}  // namespace

std::optional<std::uint32_t> parse_code(std::string_view text) {
  text = trim(text);
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X'))
    return parse_digits(text.substr(2), 16);
  // from_chars accepts neither '+' nor whitespace, so "+7" and "7 7" are rejected here.
  return parse_digits(text, 10);
}

std::optional<std::uint32_t> parse_etype(std::string_view text) {
  text = trim(text);
  if (text.starts_with('-')) {
    const auto magnitude = parse_digits(text.substr(1), 10);
    if (!magnitude || *magnitude > 0x80000000u) return std::nullopt;
    return static_cast<std::uint32_t>(0u - *magnitude);
  }
  return parse_code(text);
}

std::string canonical_hex(std::uint32_t value) {
  char buffer[10] = {'0', 'x'};  // to_chars, not snprintf: the normalizer calls this for every event
  const auto end = std::to_chars(buffer + 2, buffer + sizeof buffer, value, 16).ptr;
  return std::string(buffer, static_cast<std::size_t>(end - buffer));
}

std::string canonical_decimal(std::uint32_t value) { return std::to_string(value); }

std::string unknown_label(std::uint32_t value) { return "unknown (" + canonical_hex(value) + ")"; }

DecodedMask decode_ticket_options(std::uint32_t value) {
  DecodedMask decoded;
  decoded.unknown_bits = value;
  for (const TicketOption& option : ticket_options()) {
    if (!option.assigned || (value & option.mask()) == 0) continue;
    decoded.names.push_back(option.name);
    decoded.unknown_bits &= ~option.mask();
  }
  return decoded;
}

DecodedMask decode_supported_encryption_types(std::uint32_t value) {
  DecodedMask decoded;
  decoded.unknown_bits = value;
  for (const SupportedEncryptionBit& bit : supported_encryption_bits()) {
    if ((value & bit.mask) == 0) continue;
    decoded.names.push_back(bit.name);
    decoded.unknown_bits &= ~bit.mask;
  }
  return decoded;
}

std::optional<std::uint32_t> parse_mask_prefix(std::string_view text) {
  text = trim(text);
  const size_t space = text.find_first_of(" (");
  return parse_code(text.substr(0, space));
}

}  // namespace ki::knowledge
