#include "source/evtx/evtx_values.hpp"
#include "util/civil_time.hpp"

#include <charconv>
#include <cstring>

namespace ki::evtx {

namespace {

constexpr char kHexLower[] = "0123456789abcdef";
constexpr char kHexUpper[] = "0123456789ABCDEF";

// Windows-1252 differs from Latin-1 only in 0x80..0x9F; unassigned bytes map to U+FFFD.
constexpr char16_t kCp1252High[32] = {
    0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD, 0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178};

char* put_code_point(char* o, std::uint32_t cp) {
  if (cp < 0x80) {
    *o++ = static_cast<char>(cp);
  } else if (cp < 0x800) {
    *o++ = static_cast<char>(0xC0 | (cp >> 6));
    *o++ = static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    *o++ = static_cast<char>(0xE0 | (cp >> 12));
    *o++ = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *o++ = static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    *o++ = static_cast<char>(0xF0 | (cp >> 18));
    *o++ = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    *o++ = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *o++ = static_cast<char>(0x80 | (cp & 0x3F));
  }
  return o;
}

void put2(std::string& out, unsigned v) {
  out.push_back(static_cast<char>('0' + v / 10 % 10));
  out.push_back(static_cast<char>('0' + v % 10));
}

void append_year(std::string& out, std::int64_t y) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, y);
  (void)ec;
  for (std::ptrdiff_t pad = 4 - (end - buf); pad > 0; --pad) out.push_back('0');
  out.append(buf, end);
}

void append_guid(std::string& out, const std::uint8_t* p) {
  // The first three groups are little-endian integers; the last eight bytes print in order.
  static constexpr int order[16] = {3, 2, 1, 0, -1, 5, 4, -1, 7, 6, -1, 8, 9, -1, 10, 11};
  out.push_back('{');
  for (int i : order) {
    if (i < 0) {
      out.push_back('-');
      continue;
    }
    out.push_back(kHexUpper[p[i] >> 4]);
    out.push_back(kHexUpper[p[i] & 15]);
  }
  for (int i = 12; i < 16; ++i) {
    out.push_back(kHexUpper[p[i] >> 4]);
    out.push_back(kHexUpper[p[i] & 15]);
  }
  out.push_back('}');
}

void append_binary(std::string& out, const std::uint8_t* p, std::size_t size) {
  const std::size_t at = out.size();
  out.resize(at + 2 * size);
  char* o = out.data() + at;
  for (std::size_t i = 0; i < size; ++i) {
    *o++ = kHexUpper[p[i] >> 4];
    *o++ = kHexUpper[p[i] & 15];
  }
}

bool append_sid(std::string& out, const std::uint8_t* p, std::size_t size) {
  if (size < 8) return false;
  const unsigned count = p[1];
  if (size < 8 + 4 * static_cast<std::size_t>(count)) return false;
  out += "S-";
  append_decimal(out, p[0]);
  out.push_back('-');
  std::uint64_t authority = 0;
  for (int i = 2; i < 8; ++i) authority = (authority << 8) | p[i];
  // Windows prints authorities that do not fit 32 bits in hex.
  if (authority >> 32)
    append_hex(out, authority);
  else
    append_decimal(out, authority);
  for (unsigned i = 0; i < count; ++i) {
    out.push_back('-');
    append_decimal(out, load_u32(p + 8 + 4 * i));
  }
  return true;
}

void append_systemtime(std::string& out, const std::uint8_t* p) {
  const unsigned year = load_u16(p), month = load_u16(p + 2), day = load_u16(p + 6);
  const unsigned hour = load_u16(p + 8), minute = load_u16(p + 10), second = load_u16(p + 12);
  const unsigned ms = load_u16(p + 14);
  append_year(out, year);
  out.push_back('-');
  put2(out, month);
  out.push_back('-');
  put2(out, day);
  out.push_back('T');
  put2(out, hour);
  out.push_back(':');
  put2(out, minute);
  out.push_back(':');
  put2(out, second);
  out.push_back('.');
  out.push_back(static_cast<char>('0' + ms / 100 % 10));
  put2(out, ms % 100);
  out += "0000Z";
}

template <typename F>
void append_real(std::string& out, F value) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  if (ec == std::errc()) out.append(buf, end);
}

// Size of one item of a fixed-size type; 0 for variable-size types.
std::size_t fixed_size(std::uint8_t type) {
  switch (type) {
    case kInt8: case kUInt8: return 1;
    case kInt16: case kUInt16: return 2;
    case kInt32: case kUInt32: case kReal32: case kBool: case kHexInt32: return 4;
    case kInt64: case kUInt64: case kReal64: case kFileTime: case kHexInt64: return 8;
    case kGuid: case kSystemTime: return 16;
    default: return 0;
  }
}

// One scalar of a fixed-size type whose size has been checked.
void render_fixed(std::string& out, std::uint8_t type, const std::uint8_t* p) {
  switch (type) {
    case kInt8: append_signed(out, static_cast<std::int8_t>(p[0])); break;
    case kUInt8: append_decimal(out, p[0]); break;
    case kInt16: append_signed(out, static_cast<std::int16_t>(load_u16(p))); break;
    case kUInt16: append_decimal(out, load_u16(p)); break;
    case kInt32: append_signed(out, static_cast<std::int32_t>(load_u32(p))); break;
    case kUInt32: append_decimal(out, load_u32(p)); break;
    case kInt64: append_signed(out, static_cast<std::int64_t>(load_u64(p))); break;
    case kUInt64: append_decimal(out, load_u64(p)); break;
    case kReal32: {
      float f;
      const std::uint32_t bits = load_u32(p);
      std::memcpy(&f, &bits, sizeof f);
      append_real(out, f);
      break;
    }
    case kReal64: {
      double d;
      const std::uint64_t bits = load_u64(p);
      std::memcpy(&d, &bits, sizeof d);
      append_real(out, d);
      break;
    }
    // Any non-zero value is true: some writers store 0xFFFFFFFF or 2 for true.
    case kBool: out += load_u32(p) != 0 ? "true" : "false"; break;
    case kHexInt32: append_hex(out, load_u32(p)); break;
    case kHexInt64: append_hex(out, load_u64(p)); break;
    case kFileTime: append_filetime(out, load_u64(p)); break;
    case kGuid: append_guid(out, p); break;
    case kSystemTime: append_systemtime(out, p); break;
    default: break;
  }
}

// Strings carry their terminating NULs in the value; Windows does not print them.
std::size_t trim_utf16_nuls(const std::uint8_t* p, std::size_t units) {
  while (units > 0 && p[2 * units - 2] == 0 && p[2 * units - 1] == 0) --units;
  return units;
}

}  // namespace

void append_utf16(std::string& out, const std::uint8_t* p, std::size_t units) {
  // Short strings (almost all of them) convert on the stack and are appended once: resizing the string
  // for the worst case first would zero-fill three bytes per unit.
  constexpr std::size_t kStackUnits = 256;
  if (units <= kStackUnits) {
    char buf[3 * kStackUnits];
    out.append(buf, convert_utf16(buf, p, units));
    return;
  }
  const std::size_t at = out.size();
  out.resize(at + 3 * units);  // worst case: every unit becomes three UTF-8 bytes
  out.resize(at + convert_utf16(out.data() + at, p, units));
}

std::size_t convert_utf16(char* const begin, const std::uint8_t* p, std::size_t units) {
  char* o = begin;
  std::size_t i = 0;
  // Fast path: ASCII runs copy one byte per unit, four units per step while they last.
  while (i < units) {
    while (units - i >= 4) {
      std::uint64_t word;
      std::memcpy(&word, p + 2 * i, 8);
      if (word & 0xFF80FF80FF80FF80ULL) break;  // little-endian units: any unit >= 0x80
      o[0] = static_cast<char>(p[2 * i]);
      o[1] = static_cast<char>(p[2 * i + 2]);
      o[2] = static_cast<char>(p[2 * i + 4]);
      o[3] = static_cast<char>(p[2 * i + 6]);
      o += 4;
      i += 4;
    }
    if (i >= units) break;
    const std::uint32_t u = load_u16(p + 2 * i);
    if (u < 0x80) {
      *o++ = static_cast<char>(u);
      ++i;
      continue;
    }
    ++i;
    if (u >= 0xD800 && u < 0xDC00 && i < units) {
      const std::uint32_t lo = load_u16(p + 2 * i);
      if (lo >= 0xDC00 && lo < 0xE000) {
        ++i;
        o = put_code_point(o, 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00));
        continue;
      }
    }
    o = put_code_point(o, (u >= 0xD800 && u < 0xE000) ? 0xFFFD : u);
  }
  return static_cast<std::size_t>(o - begin);
}

void append_ansi(std::string& out, const std::uint8_t* p, std::size_t size) {
  for (std::size_t i = 0; i < size; ++i) {
    const std::uint8_t c = p[i];
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
    } else {
      char buf[4];
      char* end = put_code_point(buf, c < 0xA0 ? kCp1252High[c - 0x80] : c);
      out.append(buf, end);
    }
  }
}

void append_filetime(std::string& out, std::uint64_t filetime) {
  constexpr std::uint64_t kTicksPerSecond = 10'000'000;
  constexpr std::int64_t kSecondsPerDay = 86400;
  constexpr std::int64_t kDays1601To1970 = 134774;
  const std::uint64_t seconds = filetime / kTicksPerSecond;
  const auto fraction = static_cast<unsigned>(filetime % kTicksPerSecond);
  const auto days = static_cast<std::int64_t>(seconds / kSecondsPerDay) - kDays1601To1970;
  const auto rem = static_cast<unsigned>(seconds % kSecondsPerDay);
  const civil::Date date = civil::civil_from_days(days);
  append_year(out, date.year);
  out.push_back('-');
  put2(out, date.month);
  out.push_back('-');
  put2(out, date.day);
  out.push_back('T');
  put2(out, rem / 3600);
  out.push_back(':');
  put2(out, rem / 60 % 60);
  out.push_back(':');
  put2(out, rem % 60);
  out.push_back('.');
  char digits[7];
  unsigned f = fraction;
  for (int i = 6; i >= 0; --i) {
    digits[i] = static_cast<char>('0' + f % 10);
    f /= 10;
  }
  out.append(digits, 7);
  out.push_back('Z');
}

void append_hex(std::string& out, std::uint64_t value) {
  char buf[18];
  char* o = buf + sizeof buf;
  do {
    *--o = kHexLower[value & 15];
    value >>= 4;
  } while (value);
  *--o = 'x';
  *--o = '0';
  out.append(o, buf + sizeof buf);
}

void append_decimal(std::string& out, std::uint64_t value) {
  // Two digits per step from a table: integers are a large share of every record's values.
  static constexpr char kPairs[] =
      "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
      "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
      "8081828384858687888990919293949596979899";
  char buf[20];
  char* o = buf + sizeof buf;
  while (value >= 100) {
    const auto pair = static_cast<std::size_t>(value % 100) * 2;
    value /= 100;
    *--o = kPairs[pair + 1];
    *--o = kPairs[pair];
  }
  if (value >= 10) {
    const auto pair = static_cast<std::size_t>(value) * 2;
    *--o = kPairs[pair + 1];
    *--o = kPairs[pair];
  } else {
    *--o = static_cast<char>('0' + value);
  }
  out.append(o, buf + sizeof buf);
}

void append_signed(std::string& out, std::int64_t value) {
  if (value < 0) {
    out.push_back('-');
    append_decimal(out, 0 - static_cast<std::uint64_t>(value));
  } else {
    append_decimal(out, static_cast<std::uint64_t>(value));
  }
}

void render_value(std::string& out, std::uint8_t type, const std::uint8_t* p, std::size_t size) {
  if (size == 0) return;
  switch (type) {
    case kNull: return;
    case kWString: append_utf16(out, p, trim_utf16_nuls(p, size / 2)); return;
    case kAnsiString: {
      while (size > 0 && p[size - 1] == 0) --size;
      append_ansi(out, p, size);
      return;
    }
    case kBinary: append_binary(out, p, size); return;
    case kSizeT:
      if (size == 4) append_hex(out, load_u32(p));
      else if (size == 8) append_hex(out, load_u64(p));
      else append_binary(out, p, size);
      return;
    case kSid:
      if (!append_sid(out, p, size)) append_binary(out, p, size);
      return;
    case kBinXml: return;
    case kWString | kArrayFlag: {
      // NUL-separated strings.
      const std::size_t units = trim_utf16_nuls(p, size / 2);
      std::size_t start = 0;
      bool first = true;
      for (std::size_t i = 0; i <= units; ++i) {
        if (i == units || load_u16(p + 2 * i) == 0) {
          if (!first) out += ", ";
          first = false;
          append_utf16(out, p + 2 * start, i - start);
          start = i + 1;
        }
      }
      return;
    }
    case kAnsiString | kArrayFlag: {
      while (size > 0 && p[size - 1] == 0) --size;
      std::size_t start = 0;
      bool first = true;
      for (std::size_t i = 0; i <= size; ++i) {
        if (i == size || p[i] == 0) {
          if (!first) out += ", ";
          first = false;
          append_ansi(out, p + start, i - start);
          start = i + 1;
        }
      }
      return;
    }
    default: break;
  }
  if (type & kArrayFlag) {
    const std::uint8_t item = type & 0x7f;
    std::size_t width = fixed_size(item);
    if (item == kSizeT) width = 8;  // a 64-bit writer's size_t
    if (width == 0 || size % width != 0) {
      append_binary(out, p, size);
      return;
    }
    for (std::size_t i = 0; i < size; i += width) {
      if (i) out += ", ";
      if (item == kSizeT)
        append_hex(out, load_u64(p + i));
      else
        render_fixed(out, item, p + i);
    }
    return;
  }
  const std::size_t width = fixed_size(type);
  if (width != 0 && size == width) {
    render_fixed(out, type, p);
    return;
  }
  // Unknown types, and fixed-size types whose size is wrong, keep their bytes visible.
  append_binary(out, p, size);
}

bool value_as_unsigned(std::uint8_t type, const std::uint8_t* p, std::size_t size, std::uint64_t& value) {
  switch (type) {
    case kInt8: case kUInt8: if (size != 1) return false; value = p[0]; return true;
    case kInt16: case kUInt16: if (size != 2) return false; value = load_u16(p); return true;
    case kInt32: case kUInt32: case kHexInt32: if (size != 4) return false; value = load_u32(p); return true;
    case kInt64: case kUInt64: case kHexInt64: if (size != 8) return false; value = load_u64(p); return true;
    default: return false;
  }
}

}  // namespace ki::evtx
