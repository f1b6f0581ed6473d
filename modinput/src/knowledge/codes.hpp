#pragma once
// Parsing and canonical rendering of the numeric values Kerberos events carry, and decoding of bit masks.
// Every form Windows, NXLog, Winlogbeat and the legacy events write maps to one canonical key,
// which is the key of the lookup CSVs.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ki::knowledge {

// Accepts "12", "0xc", "0xC", "0x0000000C", " 0x18 ", "0X18"; decimal only without prefix.
// Empty, "-", signs, junk and values above 32 bits give nullopt.
std::optional<std::uint32_t> parse_code(std::string_view text);

// Like parse_code, but accepts a leading "-" decimal ("-128") as IANA writes negative etypes.
std::optional<std::uint32_t> parse_etype(std::string_view text);

// "0x18", "0x0", "0x40810010": lower-case, unpadded, as Event Viewer and XmlWinEventLog show them.
std::string canonical_hex(std::uint32_t value);

// Pre-authentication types are written in decimal by Windows ("15", "0"); the key is the decimal text.
std::string canonical_decimal(std::uint32_t value);

// "unknown (0x1234)": how every value without a table row is rendered, never dropped.
std::string unknown_label(std::uint32_t value);

// A decoded bit mask: the names of the known set bits in table order, and the set bits no row names.
// The names of a mask's bits, at most one per bit of 32: kept inline, so decoding allocates nothing (the
// normalizer decodes four masks per event).
class MaskNames {
 public:
  void push_back(std::string_view name) {
    if (size_ < names_.size()) names_[size_++] = name;
  }
  const std::string_view* begin() const { return names_.data(); }
  const std::string_view* end() const { return names_.data() + size_; }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  std::string_view operator[](std::size_t i) const { return names_[i]; }

 private:
  std::array<std::string_view, 32> names_{};
  std::size_t size_ = 0;
};

struct DecodedMask {
  MaskNames names;
  std::uint32_t unknown_bits = 0;
};

// Ticket options in MSB-0 order ("forwardable", "renewable", ...); reserved/unused bits count as unknown.
DecodedMask decode_ticket_options(std::uint32_t value);

// msDS-SupportedEncryptionTypes bits ("RC4", "AES128-SHA96", ...).
DecodedMask decode_supported_encryption_types(std::uint32_t value);

// The leading hex of "0x1C (RC4, AES128-SHA96, AES256-SHA96)" or "0x0 (N/A)".
std::optional<std::uint32_t> parse_mask_prefix(std::string_view text);

}  // namespace ki::knowledge
