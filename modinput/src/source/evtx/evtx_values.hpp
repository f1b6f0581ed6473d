#pragma once
// Value rendering for EVTX substitution values: every value type Windows stores in a record, written as
// text the way Windows' own event XML shows it (Event Viewer, wevtutil, XmlWinEventLog).

#include <cstddef>
#include <cstdint>
#include <string>

namespace ki::evtx {

// Substitution value types (the low 7 bits; 0x80 marks an array of that type).
enum ValueType : std::uint8_t {
  kNull = 0x00,
  kWString = 0x01,
  kAnsiString = 0x02,
  kInt8 = 0x03,
  kUInt8 = 0x04,
  kInt16 = 0x05,
  kUInt16 = 0x06,
  kInt32 = 0x07,
  kUInt32 = 0x08,
  kInt64 = 0x09,
  kUInt64 = 0x0a,
  kReal32 = 0x0b,
  kReal64 = 0x0c,
  kBool = 0x0d,
  kBinary = 0x0e,
  kGuid = 0x0f,
  kSizeT = 0x10,
  kFileTime = 0x11,
  kSystemTime = 0x12,
  kSid = 0x13,
  kHexInt32 = 0x14,
  kHexInt64 = 0x15,
  kEvtHandle = 0x20,
  kBinXml = 0x21,
  kEvtXml = 0x23,
  kArrayFlag = 0x80,
};

// Little-endian loads from unaligned bytes (EVTX is little-endian whatever the host).
inline std::uint16_t load_u16(const std::uint8_t* p) {
  return static_cast<std::uint16_t>(p[0] | (p[1] << 8));
}
inline std::uint32_t load_u32(const std::uint8_t* p) {
  return static_cast<std::uint32_t>(p[0]) | (static_cast<std::uint32_t>(p[1]) << 8) |
         (static_cast<std::uint32_t>(p[2]) << 16) | (static_cast<std::uint32_t>(p[3]) << 24);
}
inline std::uint64_t load_u64(const std::uint8_t* p) {
  return static_cast<std::uint64_t>(load_u32(p)) | (static_cast<std::uint64_t>(load_u32(p + 4)) << 32);
}

// Appends `units` UTF-16LE code units as UTF-8; unpaired surrogates become U+FFFD.
void append_utf16(std::string& out, const std::uint8_t* p, std::size_t units);
// Writes `units` UTF-16LE code units as UTF-8 to `out` (room for 3 bytes per unit); returns the bytes written.
std::size_t convert_utf16(char* out, const std::uint8_t* p, std::size_t units);
// Appends an ANSI (Windows-1252) string as UTF-8.
void append_ansi(std::string& out, const std::uint8_t* p, std::size_t size);
// 2025-07-30T20:22:05.7319365Z: FILETIME (100 ns ticks since 1601-01-01 UTC).
void append_filetime(std::string& out, std::uint64_t filetime);
// Appends "0x" and the value in lower-case hexadecimal without padding, as Windows prints HexInt values.
void append_hex(std::string& out, std::uint64_t value);
void append_decimal(std::string& out, std::uint64_t value);
void append_signed(std::string& out, std::int64_t value);

// Renders one substitution value of `type` from `size` bytes. Arrays render their items joined by ", ".
// A size that does not fit a fixed-size type renders the raw bytes in hex rather than failing.
// BinXml (0x21) is structure, not text: callers expand it; here it renders nothing.
void render_value(std::string& out, std::uint8_t type, const std::uint8_t* p, std::size_t size);

// Reads an integer-typed value (for the EventID fast path); false if the type is not an integer type.
bool value_as_unsigned(std::uint8_t type, const std::uint8_t* p, std::size_t size, std::uint64_t& value);

}  // namespace ki::evtx
