#include "support/evtx_writer.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <charconv>
#include <cstring>
#include <fstream>
#include <sstream>
#include <unordered_map>

#include "util/civil_time.hpp"

namespace ki::test::evtx {
namespace {

constexpr std::size_t kFileHeaderSize = 4096;
constexpr std::size_t kChunkSize = 65536;
constexpr std::size_t kChunkHeaderSize = 512;
constexpr std::uint32_t kStringTable = 0x80;    // 64 buckets of name offsets
constexpr std::uint32_t kTemplateTable = 0x180; // 32 buckets of template offsets
constexpr std::uint16_t kNoDependency = 0xffff;

void put16(std::vector<std::uint8_t>& b, std::uint16_t v) {
  b.push_back(static_cast<std::uint8_t>(v));
  b.push_back(static_cast<std::uint8_t>(v >> 8));
}
void put32(std::vector<std::uint8_t>& b, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) b.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}
void put64(std::vector<std::uint8_t>& b, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) b.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}
void set16(std::uint8_t* p, std::uint16_t v) {
  p[0] = static_cast<std::uint8_t>(v);
  p[1] = static_cast<std::uint8_t>(v >> 8);
}
void set32(std::uint8_t* p, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<std::uint8_t>(v >> (8 * i));
}
void set64(std::uint8_t* p, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) p[i] = static_cast<std::uint8_t>(v >> (8 * i));
}
std::uint32_t get32(const std::uint8_t* p) {
  return static_cast<std::uint32_t>(p[0]) | static_cast<std::uint32_t>(p[1]) << 8 |
         static_cast<std::uint32_t>(p[2]) << 16 | static_cast<std::uint32_t>(p[3]) << 24;
}

// UTF-8 to UTF-16 code units; malformed bytes become U+FFFD so hostile input still encodes.
std::u16string utf16(std::string_view s) {
  std::u16string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    std::uint32_t cp = 0xfffd;
    std::size_t len = 1;
    if (c < 0x80) {
      cp = c;
    } else if ((c >> 5) == 0x6 && i + 1 < s.size()) {
      cp = (c & 0x1fu) << 6 | (static_cast<unsigned char>(s[i + 1]) & 0x3fu);
      len = 2;
    } else if ((c >> 4) == 0xe && i + 2 < s.size()) {
      cp = (c & 0x0fu) << 12 | (static_cast<unsigned char>(s[i + 1]) & 0x3fu) << 6 |
           (static_cast<unsigned char>(s[i + 2]) & 0x3fu);
      len = 3;
    } else if ((c >> 3) == 0x1e && i + 3 < s.size()) {
      cp = (c & 0x07u) << 18 | (static_cast<unsigned char>(s[i + 1]) & 0x3fu) << 12 |
           (static_cast<unsigned char>(s[i + 2]) & 0x3fu) << 6 | (static_cast<unsigned char>(s[i + 3]) & 0x3fu);
      len = 4;
    }
    i += len;
    if (cp >= 0x10000) {
      cp -= 0x10000;
      out.push_back(static_cast<char16_t>(0xd800 + (cp >> 10)));
      out.push_back(static_cast<char16_t>(0xdc00 + (cp & 0x3ff)));
    } else {
      out.push_back(static_cast<char16_t>(cp));
    }
  }
  return out;
}

void put_utf16(std::vector<std::uint8_t>& b, const std::u16string& s) {
  for (char16_t c : s) put16(b, static_cast<std::uint16_t>(c));
}

// The name hash Windows stores beside each name (MS-EVEN6): h = h * 65599 + unit, kept to 16 bits.
std::uint16_t name_hash(const std::u16string& s) {
  std::uint32_t h = 0;
  for (char16_t c : s) h = h * 65599u + static_cast<std::uint32_t>(c);
  return static_cast<std::uint16_t>(h);
}

std::uint64_t fnv1a(std::string_view s, std::uint64_t seed) {
  std::uint64_t h = seed;
  for (unsigned char c : s) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::vector<std::uint8_t> guid_bytes(std::string_view text) {
  std::vector<std::uint8_t> out(16, 0);
  if (!text.empty() && text.front() == '{') text.remove_prefix(1);
  if (!text.empty() && text.back() == '}') text.remove_suffix(1);
  std::array<std::uint8_t, 16> raw{};
  std::size_t n = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '-') continue;
    int hi = hex_digit(text[i]);
    int lo = i + 1 < text.size() ? hex_digit(text[i + 1]) : -1;
    if (hi < 0 || lo < 0 || n == 16) return out;
    raw[n++] = static_cast<std::uint8_t>(hi << 4 | lo);
    ++i;
  }
  if (n != 16) return out;
  // The first three groups are little-endian integers, the last eight bytes are stored as written.
  const int order[16] = {3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15};
  for (int i = 0; i < 16; ++i) out[static_cast<std::size_t>(i)] = raw[static_cast<std::size_t>(order[i])];
  return out;
}

std::vector<std::uint8_t> sid_bytes(std::string_view text) {
  std::vector<std::uint8_t> fallback = {1, 0, 0, 0, 0, 0, 0, 0};
  if (text.size() < 4 || text.substr(0, 2) != "S-") return fallback;
  std::vector<std::uint64_t> parts;
  std::size_t pos = 2;
  while (pos <= text.size()) {
    std::size_t end = text.find('-', pos);
    if (end == std::string_view::npos) end = text.size();
    std::uint64_t v = 0;
    auto [ptr, ec] = std::from_chars(text.data() + pos, text.data() + end, v);
    if (ec != std::errc() || ptr != text.data() + end) return fallback;
    parts.push_back(v);
    pos = end + 1;
  }
  if (parts.size() < 2 || parts.size() > 17 || parts[0] > 255 || parts[1] >= (1ULL << 48)) return fallback;
  std::vector<std::uint8_t> out;
  out.push_back(static_cast<std::uint8_t>(parts[0]));
  out.push_back(static_cast<std::uint8_t>(parts.size() - 2));
  for (int i = 5; i >= 0; --i) out.push_back(static_cast<std::uint8_t>(parts[1] >> (8 * i)));  // big-endian
  for (std::size_t i = 2; i < parts.size(); ++i) put32(out, static_cast<std::uint32_t>(parts[i]));
  return out;
}

}  // namespace

// ---------------------------------------------------------------------------------------------- values

Value Value::raw(std::uint8_t type, std::vector<std::uint8_t> bytes) {
  Value v;
  v.type_ = type;
  v.bytes_ = std::move(bytes);
  return v;
}
Value Value::null() { return Value(); }
Value Value::string(std::string_view utf8) {
  std::vector<std::uint8_t> b;
  put_utf16(b, utf16(utf8));
  return raw(0x01, std::move(b));
}
Value Value::ansi_string(std::string_view bytes) {
  return raw(0x02, std::vector<std::uint8_t>(bytes.begin(), bytes.end()));
}
Value Value::int8(std::int8_t v) { return raw(0x03, {static_cast<std::uint8_t>(v)}); }
Value Value::uint8(std::uint8_t v) { return raw(0x04, {v}); }
Value Value::int16(std::int16_t v) {
  std::vector<std::uint8_t> b;
  put16(b, static_cast<std::uint16_t>(v));
  return raw(0x05, std::move(b));
}
Value Value::uint16(std::uint16_t v) {
  std::vector<std::uint8_t> b;
  put16(b, v);
  return raw(0x06, std::move(b));
}
Value Value::int32(std::int32_t v) {
  std::vector<std::uint8_t> b;
  put32(b, static_cast<std::uint32_t>(v));
  return raw(0x07, std::move(b));
}
Value Value::uint32(std::uint32_t v) {
  std::vector<std::uint8_t> b;
  put32(b, v);
  return raw(0x08, std::move(b));
}
Value Value::int64(std::int64_t v) {
  std::vector<std::uint8_t> b;
  put64(b, static_cast<std::uint64_t>(v));
  return raw(0x09, std::move(b));
}
Value Value::uint64(std::uint64_t v) {
  std::vector<std::uint8_t> b;
  put64(b, v);
  return raw(0x0a, std::move(b));
}
Value Value::real32(float v) {
  std::vector<std::uint8_t> b;
  put32(b, std::bit_cast<std::uint32_t>(v));
  return raw(0x0b, std::move(b));
}
Value Value::real64(double v) {
  std::vector<std::uint8_t> b;
  put64(b, std::bit_cast<std::uint64_t>(v));
  return raw(0x0c, std::move(b));
}
Value Value::boolean(bool v) {
  std::vector<std::uint8_t> b;
  put32(b, v ? 1u : 0u);
  return raw(0x0d, std::move(b));
}
Value Value::binary(std::vector<std::uint8_t> bytes) { return raw(0x0e, std::move(bytes)); }
Value Value::guid(std::string_view text) { return raw(0x0f, guid_bytes(text)); }
Value Value::size_type32(std::uint32_t v) {
  std::vector<std::uint8_t> b;
  put32(b, v);
  return raw(0x10, std::move(b));
}
Value Value::size_type64(std::uint64_t v) {
  std::vector<std::uint8_t> b;
  put64(b, v);
  return raw(0x10, std::move(b));
}
Value Value::filetime(std::uint64_t ticks) {
  std::vector<std::uint8_t> b;
  put64(b, ticks);
  return raw(0x11, std::move(b));
}
Value Value::systemtime(std::uint16_t year, std::uint16_t month, std::uint16_t day, std::uint16_t hour,
                        std::uint16_t minute, std::uint16_t second, std::uint16_t millisecond) {
  // Day of week (0 = Sunday) by Sakamoto's method; readers ignore it but Windows fills it in.
  static const int t[] = {0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4};
  int y = year - (month < 3 ? 1 : 0);
  int dow = (y + y / 4 - y / 100 + y / 400 + t[(month + 11) % 12] + day) % 7;
  std::vector<std::uint8_t> b;
  for (std::uint16_t part : {year, month, static_cast<std::uint16_t>(dow), day, hour, minute, second, millisecond})
    put16(b, part);
  return raw(0x12, std::move(b));
}
Value Value::sid(std::string_view text) { return raw(0x13, sid_bytes(text)); }
Value Value::hex_int32(std::uint32_t v) {
  std::vector<std::uint8_t> b;
  put32(b, v);
  return raw(0x14, std::move(b));
}
Value Value::hex_int64(std::uint64_t v) {
  std::vector<std::uint8_t> b;
  put64(b, v);
  return raw(0x15, std::move(b));
}
Value Value::string_array(const std::vector<std::string>& items) {
  std::vector<std::uint8_t> b;
  for (const auto& item : items) {
    put_utf16(b, utf16(item));
    put16(b, 0);  // each item ends with its own terminator
  }
  return raw(0x81, std::move(b));
}
Value Value::array(ValueType element, const std::vector<Value>& items) {
  std::vector<std::uint8_t> b;
  for (const auto& item : items) b.insert(b.end(), item.bytes().begin(), item.bytes().end());
  return raw(static_cast<std::uint8_t>(0x80 | static_cast<std::uint8_t>(element)), std::move(b));
}
Value Value::binxml(XmlElement element) {
  Value v;
  v.type_ = 0x21;
  v.xml_ = std::make_shared<const XmlElement>(std::move(element));
  return v;
}

// ---------------------------------------------------------------------------------------------- crc

std::uint32_t crc32(const std::uint8_t* data, std::size_t size) {
  static const auto table = [] {
    std::array<std::uint32_t, 256> t{};
    for (std::uint32_t i = 0; i < 256; ++i) {
      std::uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
      t[i] = c;
    }
    return t;
  }();
  std::uint32_t c = 0xffffffffu;
  for (std::size_t i = 0; i < size; ++i) c = table[(c ^ data[i]) & 0xff] ^ (c >> 8);
  return c ^ 0xffffffffu;
}

// ---------------------------------------------------------------------------------------------- time

namespace {
constexpr std::uint64_t kTicksPerSecond = 10'000'000ULL;
constexpr std::int64_t kUnixEpochDays = 134774;  // days from 1601-01-01 to 1970-01-01

}  // namespace

std::optional<std::uint64_t> filetime_from_iso(std::string_view t) {
  auto num = [&](std::size_t pos, std::size_t len, unsigned& out) {
    if (pos + len > t.size()) return false;
    auto [p, ec] = std::from_chars(t.data() + pos, t.data() + pos + len, out);
    return ec == std::errc() && p == t.data() + pos + len;
  };
  unsigned y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  if (t.size() < 20 || t[4] != '-' || t[7] != '-' || t[10] != 'T' || t[13] != ':' || t[16] != ':' ||
      !num(0, 4, y) || !num(5, 2, mo) || !num(8, 2, d) || !num(11, 2, h) || !num(14, 2, mi) || !num(17, 2, s) ||
      mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60 || y < 1601)
    return std::nullopt;
  std::size_t pos = 19;
  std::uint64_t fraction = 0;
  if (t[pos] == '.') {
    ++pos;
    int digits = 0;
    while (pos < t.size() && t[pos] >= '0' && t[pos] <= '9') {
      if (digits < 7) {
        fraction = fraction * 10 + static_cast<std::uint64_t>(t[pos] - '0');
        ++digits;
      }
      ++pos;
    }
    if (digits == 0) return std::nullopt;
    for (; digits < 7; ++digits) fraction *= 10;
  }
  if (pos + 1 != t.size() || t[pos] != 'Z') return std::nullopt;
  const std::int64_t days = civil::days_from_civil(y, mo, d) + kUnixEpochDays;
  const std::uint64_t seconds = static_cast<std::uint64_t>(days) * 86400ULL + h * 3600ULL + mi * 60ULL + s;
  return seconds * kTicksPerSecond + fraction;
}

std::string iso_from_filetime(std::uint64_t ticks) {
  const std::uint64_t seconds = ticks / kTicksPerSecond;
  const std::uint64_t fraction = ticks % kTicksPerSecond;
  const civil::Date date = civil::civil_from_days(static_cast<std::int64_t>(seconds / 86400) - kUnixEpochDays);
  const std::int64_t y = date.year;
  const unsigned m = date.month, d = date.day;
  const std::uint64_t sod = seconds % 86400;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02u:%02u:%02u.%07lluZ", static_cast<long long>(y), m, d,
                static_cast<unsigned>(sod / 3600), static_cast<unsigned>(sod / 60 % 60),
                static_cast<unsigned>(sod % 60), static_cast<unsigned long long>(fraction));
  return buf;
}

// ---------------------------------------------------------------------------------------------- writer

struct Writer::State {
  std::ostream* out = nullptr;
  Options options;
  std::uint64_t chunk_count = 0;
  std::uint64_t record_count = 0;
  std::uint64_t next_record_id = 1;
  bool failed = false;

  // The chunk being filled.
  std::vector<std::uint8_t> chunk = std::vector<std::uint8_t>(kChunkSize, 0);
  std::uint32_t free_offset = kChunkHeaderSize;
  std::uint32_t last_record_offset = 0;
  std::uint64_t first_id = 0;
  std::uint64_t last_id = 0;
  std::uint32_t chunk_records = 0;
  std::unordered_map<std::string, std::uint32_t> names;      // UTF-8 name -> offset in chunk
  std::unordered_map<std::string, std::uint32_t> templates;  // template key -> definition offset
  std::array<std::uint32_t, 64> name_heads{};
  std::array<std::uint32_t, 32> template_heads{};

  // While one record is encoded: its bytes start at `base` in the chunk. Every table change is
  // logged so that a record which turns out not to fit can be undone and written in a fresh chunk.
  std::vector<std::uint8_t> rec;
  std::uint32_t base = 0;
  std::vector<std::string> new_names;
  std::vector<std::string> new_templates;
  std::array<std::uint32_t, 64> saved_name_heads{};
  std::array<std::uint32_t, 32> saved_template_heads{};

  std::uint32_t here() const { return base + static_cast<std::uint32_t>(rec.size()); }

  // A name is written inline on its first use in a chunk, referenced by offset afterwards.
  void name_ref(const std::string& name) {
    auto it = names.find(name);
    if (it != names.end()) {
      put32(rec, it->second);
      return;
    }
    const std::uint32_t offset = here() + 4;
    put32(rec, offset);
    const std::u16string u = utf16(name);
    const std::uint16_t hash = name_hash(u);
    const std::size_t bucket = hash % 64;
    put32(rec, name_heads[bucket]);  // new names go first in their bucket's chain, as Windows does
    put16(rec, hash);
    put16(rec, static_cast<std::uint16_t>(u.size()));
    put_utf16(rec, u);
    put16(rec, 0);
    name_heads[bucket] = offset;
    names.emplace(name, offset);
    new_names.push_back(name);
  }

  // Element start: returns where its data size goes so end_element() can patch it.
  std::size_t open_element(const std::string& name, bool has_attributes) {
    rec.push_back(has_attributes ? 0x41 : 0x01);
    put16(rec, kNoDependency);
    const std::size_t size_at = rec.size();
    put32(rec, 0);
    name_ref(name);
    return size_at;
  }
  std::size_t begin_attributes() {
    const std::size_t at = rec.size();
    put32(rec, 0);
    return at;
  }
  void end_attributes(std::size_t at) {
    set32(rec.data() + at, static_cast<std::uint32_t>(rec.size() - at - 4));
  }
  void attribute(const std::string& name, bool more) {
    rec.push_back(more ? 0x46 : 0x06);
    name_ref(name);
  }
  void text(const std::string& value) {
    const std::u16string u = utf16(value);
    rec.push_back(0x05);
    rec.push_back(0x01);
    put16(rec, static_cast<std::uint16_t>(u.size()));
    put_utf16(rec, u);
  }
  void substitution(std::uint16_t index, std::uint8_t type, bool optional) {
    rec.push_back(optional ? 0x0e : 0x0d);
    put16(rec, index);
    rec.push_back(type);
  }
  void close_start() { rec.push_back(0x02); }
  void close_empty(std::size_t size_at) {
    rec.push_back(0x03);
    set32(rec.data() + size_at, static_cast<std::uint32_t>(rec.size() - size_at - 4));
  }
  void end_element(std::size_t size_at) {
    rec.push_back(0x04);
    set32(rec.data() + size_at, static_cast<std::uint32_t>(rec.size() - size_at - 4));
  }

  // A leaf element whose content is one substitution, with optional substituted attributes.
  void sub_element(const std::string& name, std::uint16_t index, std::uint8_t type) {
    const std::size_t s = open_element(name, false);
    close_start();
    substitution(index, type, true);
    end_element(s);
  }
  void attr_element(const std::string& name, const std::vector<std::pair<std::string, std::pair<std::uint16_t, std::uint8_t>>>& attrs) {
    const std::size_t s = open_element(name, true);
    const std::size_t a = begin_attributes();
    for (std::size_t i = 0; i < attrs.size(); ++i) {
      attribute(attrs[i].first, i + 1 < attrs.size());
      substitution(attrs[i].second.first, attrs[i].second.second, true);
    }
    end_attributes(a);
    close_empty(s);
  }

  // Template instance: the definition is written inline the first time its key is seen in this chunk.
  // `body` writes the element tree. Returns nothing; the caller writes the values right after.
  template <typename Body>
  void template_instance(const std::string& key, Body&& body) {
    const std::uint64_t g1 = fnv1a(key, 0xcbf29ce484222325ULL);
    const std::uint64_t g2 = fnv1a(key, 0x84222325cbf29ce4ULL);
    std::vector<std::uint8_t> guid;
    put64(guid, g1);
    put64(guid, g2);
    const std::uint32_t id = get32(guid.data());  // the instance repeats the GUID's first four bytes
    rec.push_back(0x0c);
    rec.push_back(0x01);
    put32(rec, id);
    auto it = templates.find(key);
    if (it != templates.end()) {
      put32(rec, it->second);
      return;
    }
    const std::uint32_t offset = here() + 4;
    put32(rec, offset);
    const std::size_t bucket = id % 32;
    put32(rec, template_heads[bucket]);
    rec.insert(rec.end(), guid.begin(), guid.end());
    const std::size_t size_at = rec.size();
    put32(rec, 0);
    rec.insert(rec.end(), {0x0f, 0x01, 0x01, 0x00});
    body();
    rec.push_back(0x00);
    set32(rec.data() + size_at, static_cast<std::uint32_t>(rec.size() - size_at - 4));
    template_heads[bucket] = offset;
    templates.emplace(key, offset);
    new_templates.push_back(key);
  }

  // Values after a template instance: count, descriptors, then the data. BinXml sizes are known only
  // once written, so descriptors are patched afterwards.
  void values(const std::vector<const Value*>& vals) {
    put32(rec, static_cast<std::uint32_t>(vals.size()));
    const std::size_t desc_at = rec.size();
    for (const Value* v : vals) {
      put16(rec, 0);
      rec.push_back(v->type());
      rec.push_back(0);
    }
    for (std::size_t i = 0; i < vals.size(); ++i) {
      const std::size_t start = rec.size();
      if (vals[i]->type() == 0x21 && vals[i]->xml() != nullptr)
        nested(*vals[i]->xml());
      else
        rec.insert(rec.end(), vals[i]->bytes().begin(), vals[i]->bytes().end());
      const std::size_t size = std::min<std::size_t>(rec.size() - start, 0xffff);
      set16(rec.data() + desc_at + 4 * i, static_cast<std::uint16_t>(size));
    }
  }

  // Template key of an XmlElement: its shape (names, literal attributes, typed value slots).
  static void xml_key(const XmlElement& e, std::string& key, std::vector<const Value*>& slots) {
    key += '<';
    key += e.name;
    for (const auto& [n, v] : e.attributes) {
      key += ' ';
      key += n;
      key += '=';
      key += std::to_string(v.size());
      key += ':';
      key += v;
    }
    key += '>';
    for (const auto& child : e.children) xml_key(child, key, slots);
    if (e.value) {
      key += '%';
      key += std::to_string(e.value->type());
      slots.push_back(&*e.value);
    }
    key += "</>";
  }

  void xml_body(const XmlElement& e, std::uint16_t& next_index) {
    const bool has_attrs = !e.attributes.empty();
    const std::size_t s = open_element(e.name, has_attrs);
    if (has_attrs) {
      const std::size_t a = begin_attributes();
      for (std::size_t i = 0; i < e.attributes.size(); ++i) {
        attribute(e.attributes[i].first, i + 1 < e.attributes.size());
        text(e.attributes[i].second);
      }
      end_attributes(a);
    }
    if (e.children.empty() && !e.value) {
      close_empty(s);
      return;
    }
    close_start();
    for (const auto& child : e.children) xml_body(child, next_index);
    if (e.value) substitution(next_index++, e.value->type(), e.value->type() == 0x00);
    end_element(s);
  }

  // Nested BinXml: a fragment holding one template instance, ended by its own end-of-stream token.
  void nested(const XmlElement& e) {
    rec.insert(rec.end(), {0x0f, 0x01, 0x01, 0x00});
    std::string key = "X";
    std::vector<const Value*> slots;
    xml_key(e, key, slots);
    template_instance(key, [&] {
      std::uint16_t index = 0;
      xml_body(e, index);
    });
    values(slots);
    rec.push_back(0x00);
  }

  void event_data(const Event& ev) {
    rec.insert(rec.end(), {0x0f, 0x01, 0x01, 0x00});
    std::string key = "D";
    std::vector<const Value*> slots;
    for (const auto& f : ev.data) {
      key += f.name.empty() ? std::string("\x01") : f.name;
      key += '\x02';
      key += std::to_string(f.value.type());
      key += '\x03';
      slots.push_back(&f.value);
    }
    template_instance(key, [&] {
      const std::size_t s = open_element("EventData", false);
      if (ev.data.empty()) {
        close_empty(s);
        return;
      }
      close_start();
      std::uint16_t index = 0;
      for (const auto& f : ev.data) {
        const bool named = !f.name.empty();
        const std::size_t d = open_element("Data", named);
        if (named) {
          const std::size_t a = begin_attributes();
          attribute("Name", false);
          text(f.name);
          end_attributes(a);
        }
        close_start();
        // Windows only ever leaves optional slots empty; libevtx rejects a null in a normal one.
        substitution(index++, f.value.type(), f.value.type() == 0x00);
        end_element(d);
      }
      end_element(s);
    });
    values(slots);
    rec.push_back(0x00);
  }

  // The System part mirrors Windows' own template: substitution indexes and types as Windows uses them.
  void system_body(const Event& ev) {
    const std::size_t e = open_element("Event", true);
    const std::size_t a = begin_attributes();
    attribute("xmlns", false);
    text("http://schemas.microsoft.com/win/2004/08/events/event");
    end_attributes(a);
    close_start();
    const std::size_t s = open_element("System", false);
    close_start();
    attr_element("Provider", {{"Name", {14, 0x01}}, {"Guid", {15, 0x0f}}});
    {
      const std::size_t id = open_element("EventID", true);
      const std::size_t q = begin_attributes();
      attribute("Qualifiers", false);
      substitution(4, 0x06, true);
      end_attributes(q);
      close_start();
      substitution(3, 0x06, true);
      end_element(id);
    }
    sub_element("Version", 11, 0x04);
    sub_element("Level", 0, 0x04);
    sub_element("Task", 2, 0x06);
    sub_element("Opcode", 1, 0x04);
    sub_element("Keywords", 5, 0x15);
    attr_element("TimeCreated", {{"SystemTime", {6, 0x11}}});
    sub_element("EventRecordID", 10, 0x0a);
    attr_element("Correlation", {{"ActivityID", {7, 0x0f}}, {"RelatedActivityID", {13, 0x0f}}});
    attr_element("Execution", {{"ProcessID", {8, 0x08}}, {"ThreadID", {9, 0x08}}});
    sub_element("Channel", 16, 0x01);
    {
      // Windows writes the computer name as literal text in the template, so templates are per host.
      const std::size_t c = open_element("Computer", false);
      close_start();
      text(ev.computer);
      end_element(c);
    }
    attr_element("Security", {{"UserID", {12, 0x13}}});
    end_element(s);
    substitution(17, 0x21, true);
    end_element(e);
  }

  void encode(const Event& ev) {
    rec.clear();
    new_names.clear();
    new_templates.clear();
    saved_name_heads = name_heads;
    saved_template_heads = template_heads;
    base = free_offset;
    put32(rec, 0x00002a2a);
    put32(rec, 0);  // size, patched below
    put64(rec, ev.record_id);
    put64(rec, ev.time_created);
    rec.insert(rec.end(), {0x0f, 0x01, 0x01, 0x00});
    template_instance("S" + ev.computer, [&] { system_body(ev); });
    const Value level = Value::uint8(ev.level), opcode = Value::uint8(ev.opcode), task = Value::uint16(ev.task),
                id = Value::uint16(ev.event_id), keywords = Value::hex_int64(ev.keywords),
                time = Value::filetime(ev.time_created), pid = Value::uint32(ev.process_id),
                tid = Value::uint32(ev.thread_id), rid = Value::uint64(ev.record_id),
                version = Value::uint8(ev.version), provider = Value::string(ev.provider_name),
                guid = Value::guid(ev.provider_guid), channel = Value::string(ev.channel), none;
    // EventData travels as the last value, a BinXml fragment that event_data() writes in place.
    const Value data_marker = Value::raw(0x21, {});
    std::vector<const Value*> vals = {&level, &opcode,  &task,     &id,   &none,    &keywords,
                                      &time,  &none,    &pid,      &tid,  &rid,     &version,
                                      &none,  &none,    &provider, &guid, &channel, &data_marker};
    put32(rec, static_cast<std::uint32_t>(vals.size()));
    const std::size_t desc_at = rec.size();
    for (const Value* v : vals) {
      put16(rec, 0);
      rec.push_back(v->type());
      rec.push_back(0);
    }
    for (std::size_t i = 0; i < vals.size(); ++i) {
      const std::size_t start = rec.size();
      if (i + 1 == vals.size())
        event_data(ev);
      else
        rec.insert(rec.end(), vals[i]->bytes().begin(), vals[i]->bytes().end());
      set16(rec.data() + desc_at + 4 * i, static_cast<std::uint16_t>(std::min<std::size_t>(rec.size() - start, 0xffff)));
    }
    rec.push_back(0x00);                                 // end of stream
    while ((rec.size() + 4) % 8 != 0) rec.push_back(0);  // records keep 8-byte alignment
    put32(rec, static_cast<std::uint32_t>(rec.size() + 4));
    set32(rec.data() + 4, static_cast<std::uint32_t>(rec.size()));
  }

  void rollback() {
    for (const auto& n : new_names) names.erase(n);
    for (const auto& t : new_templates) templates.erase(t);
    name_heads = saved_name_heads;
    template_heads = saved_template_heads;
  }

  void reset_chunk() {
    std::fill(chunk.begin(), chunk.end(), 0);
    free_offset = kChunkHeaderSize;
    last_record_offset = 0;
    first_id = last_id = 0;
    chunk_records = 0;
    names.clear();
    templates.clear();
    name_heads.fill(0);
    template_heads.fill(0);
  }

  void flush_chunk() {
    if (chunk_records == 0) return;
    std::uint8_t* c = chunk.data();
    const Damage& dmg = options.damage;
    const int index = static_cast<int>(chunk_count);
    std::memcpy(c, "ElfChnk", 8);
    set64(c + 8, first_id);
    set64(c + 16, last_id);
    set64(c + 24, first_id);
    set64(c + 32, last_id);
    set32(c + 40, 128);
    set32(c + 44, last_record_offset);
    set32(c + 48, free_offset);
    for (std::size_t i = 0; i < 64; ++i) set32(c + kStringTable + 4 * i, name_heads[i]);
    for (std::size_t i = 0; i < 32; ++i) set32(c + kTemplateTable + 4 * i, template_heads[i]);
    if (dmg.corrupt_string_offset == index) {
      for (std::size_t i = 0; i < 64; ++i)
        if (name_heads[i] != 0) {
          set32(c + kStringTable + 4 * i, 0xfffffff0u);
          break;
        }
    }
    std::uint32_t data_crc = crc32(c + kChunkHeaderSize, free_offset - kChunkHeaderSize);
    if (dmg.bad_record_crc == index) data_crc ^= 0x5a5a5a5au;
    set32(c + 52, data_crc);
    set32(c + 120, 1);  // Windows sets this flag on chunks it has closed
    std::uint32_t header_crc = 0;
    {
      std::vector<std::uint8_t> covered(c, c + 120);
      covered.insert(covered.end(), c + 128, c + kChunkHeaderSize);
      header_crc = crc32(covered.data(), covered.size());
    }
    if (dmg.bad_chunk_header_crc == index) header_crc ^= 0xa5a5a5a5u;
    set32(c + 124, header_crc);
    if (dmg.bad_chunk_magic == index) std::memcpy(c, "ElfChnX", 8);
    out->write(reinterpret_cast<const char*>(c), static_cast<std::streamsize>(kChunkSize));
    if (!*out) failed = true;
    ++chunk_count;
    reset_chunk();
  }

  void write_header(bool final) {
    std::vector<std::uint8_t> h(kFileHeaderSize, 0);
    std::memcpy(h.data(), "ElfFile", 8);
    set64(h.data() + 8, 0);
    set64(h.data() + 16, chunk_count == 0 ? 0 : chunk_count - 1);
    set64(h.data() + 24, next_record_id);
    set32(h.data() + 32, 128);
    set16(h.data() + 36, 1);  // minor version
    set16(h.data() + 38, 3);  // major version
    set16(h.data() + 40, static_cast<std::uint16_t>(kFileHeaderSize));
    set16(h.data() + 42, static_cast<std::uint16_t>(std::min<std::uint64_t>(chunk_count, 0xffff)));
    std::uint32_t flags = 0;
    if (!final || options.damage.dirty_header) flags |= 0x1;  // an unfinished file is dirty
    set32(h.data() + 120, flags);
    std::uint32_t crc = crc32(h.data(), 120);
    if (options.damage.bad_file_header_crc) crc ^= 0x01010101u;
    set32(h.data() + 124, crc);
    out->write(reinterpret_cast<const char*>(h.data()), static_cast<std::streamsize>(h.size()));
    if (!*out) failed = true;
  }
};

Writer::Writer(std::ostream& out, Options options) : state_(std::make_unique<State>()) {
  state_->out = &out;
  state_->options = options;
  state_->write_header(false);
}

Writer::~Writer() = default;

bool Writer::add(const Event& event, std::string& error) {
  State& s = *state_;
  for (int attempt = 0; attempt < 2; ++attempt) {
    s.encode(event);
    // A chunk filled to its last byte is never seen from Windows and libevtx drops such a final
    // record, so some room is always left.
    if (s.base + s.rec.size() < kChunkSize) {
      std::memcpy(s.chunk.data() + s.base, s.rec.data(), s.rec.size());
      if (s.chunk_records == 0) s.first_id = event.record_id;
      s.last_id = event.record_id;
      s.last_record_offset = s.base;
      s.free_offset = static_cast<std::uint32_t>(s.base + s.rec.size());
      ++s.chunk_records;
      ++s.record_count;
      s.next_record_id = std::max(s.next_record_id, event.record_id + 1);
      return true;
    }
    s.rollback();
    if (s.chunk_records == 0) break;  // it did not fit in an empty chunk: a second try cannot help
    s.flush_chunk();
  }
  error = "record " + std::to_string(event.record_id) + " needs " + std::to_string(s.rec.size()) +
          " bytes, more than a chunk holds (" + std::to_string(kChunkSize - kChunkHeaderSize) + ")";
  return false;
}

bool Writer::finish(std::string& error) {
  State& s = *state_;
  s.flush_chunk();
  s.out->seekp(0);
  s.write_header(true);
  s.out->seekp(0, std::ios::end);
  s.out->flush();
  if (s.failed || !*s.out) {
    error = "writing the evtx stream failed";
    return false;
  }
  return true;
}

std::uint64_t Writer::chunks() const { return state_->chunk_count; }
std::uint64_t Writer::records() const { return state_->record_count; }

std::vector<std::uint8_t> build(const std::vector<Event>& events, const Options& options, std::string& error) {
  std::stringstream out(std::ios::in | std::ios::out | std::ios::binary);
  {
    Writer w(out, options);
    for (const auto& e : events)
      if (!w.add(e, error)) return {};
    if (!w.finish(error)) return {};
  }
  const std::string s = out.str();
  std::vector<std::uint8_t> bytes(s.begin(), s.end());
  if (options.damage.truncate_to != 0 && options.damage.truncate_to < bytes.size())
    bytes.resize(static_cast<std::size_t>(options.damage.truncate_to));
  return bytes;
}

bool write_file(const std::filesystem::path& path, const std::vector<Event>& events, const Options& options,
                std::string& error) {
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) {
      error = path.string() + ": cannot create";
      return false;
    }
    Writer w(out, options);
    for (const auto& e : events)
      if (!w.add(e, error)) {
        error = path.string() + ": " + error;
        return false;
      }
    if (!w.finish(error)) {
      error = path.string() + ": " + error;
      return false;
    }
  }
  std::error_code ec;
  if (options.damage.truncate_to != 0 && options.damage.truncate_to < std::filesystem::file_size(path, ec) && !ec)
    std::filesystem::resize_file(path, options.damage.truncate_to, ec);
  if (ec) {
    error = path.string() + ": " + ec.message();
    return false;
  }
  return true;
}

}  // namespace ki::test::evtx

// ---------------------------------------------------------------------------------------------- samples

namespace ki::test::evtx {
namespace {
constexpr std::uint64_t kSampleStart = 133983805257319365ULL;  // 2025-07-30T20:22:05.7319365Z

Event security_event(std::uint16_t id, std::uint64_t record_id, std::uint64_t time, std::vector<DataField> data) {
  Event e;
  e.event_id = id;
  e.record_id = record_id;
  e.time_created = time;
  switch (id) {
    case 4768: e.task = 14339; break;
    case 4769: e.task = 14337; break;
    case 4771: e.task = 14339; e.keywords = 0x8010000000000000ULL; break;
    case 4624: case 4634: e.task = 12544; break;
    case 4672: e.task = 12548; break;
    default: e.task = 13312; break;
  }
  e.process_id = 640;
  e.thread_id = 2620;
  e.data = std::move(data);
  return e;
}
}  // namespace

std::vector<Event> kerberos_sample_events() {
  std::vector<Event> out;
  std::uint64_t t = kSampleStart;
  std::uint64_t id = 24476800;
  auto next = [&] { return t += 3 * kTicksPerSecond + 1234567; };
  // AS request for an account without pre-authentication (AS-REP roasting shape), codes as strings.
  out.push_back(security_event(4768, id++, next(),
      {{"TargetUserName", Value::string("svc-backup")}, {"TargetDomainName", Value::string("CONTOSO.LOCAL")},
       {"TargetSid", Value::sid("S-1-5-21-3623811015-3361044348-30300820-1013")},
       {"ServiceName", Value::string("krbtgt")}, {"ServiceSid", Value::sid("S-1-5-21-3623811015-3361044348-30300820-502")},
       {"TicketOptions", Value::string("0x40800010")}, {"Status", Value::string("0x0")},
       {"TicketEncryptionType", Value::string("0x17")}, {"PreAuthType", Value::string("0")},
       {"IpAddress", Value::string("::ffff:10.0.0.45")}, {"IpPort", Value::string("51234")},
       {"CertIssuerName", Value::string("")}, {"CertSerialNumber", Value::string("")},
       {"CertThumbprint", Value::string("")}}));
  // AS request failed for an unknown user: failure records carry 0xffffffff and "-".
  out.push_back(security_event(4768, id++, next(),
      {{"TargetUserName", Value::string("nosuchuser")}, {"TargetDomainName", Value::string("CONTOSO.LOCAL")},
       {"TargetSid", Value::sid("S-1-0-0")}, {"ServiceName", Value::string("krbtgt/CONTOSO.LOCAL")},
       {"ServiceSid", Value::sid("S-1-0-0")}, {"TicketOptions", Value::hex_int32(0x40810010)},
       {"Status", Value::hex_int32(0x6)}, {"TicketEncryptionType", Value::hex_int32(0xffffffff)},
       {"PreAuthType", Value::string("-")}, {"IpAddress", Value::string("10.0.0.66")},
       {"IpPort", Value::string("60102")}}));
  // Service ticket with RC4 (Kerberoasting shape), codes as HexInt32 the way Windows stores them.
  out.push_back(security_event(4769, id++, next(),
      {{"TargetUserName", Value::string("alice@CONTOSO.LOCAL")}, {"TargetDomainName", Value::string("CONTOSO.LOCAL")},
       {"ServiceName", Value::string("MSSQLSvc-DB01")},
       {"ServiceSid", Value::sid("S-1-5-21-3623811015-3361044348-30300820-1171")},
       {"TicketOptions", Value::hex_int32(0x40810000)}, {"TicketEncryptionType", Value::hex_int32(0x17)},
       {"IpAddress", Value::string("::ffff:10.0.0.45")}, {"IpPort", Value::string("55180")},
       {"Status", Value::hex_int32(0x0)}, {"LogonGuid", Value::guid("{ed648110-acf3-7f43-0ccb-256ef183156d}")},
       {"TransmittedServices", Value::string("-")}}));
  // Service ticket refused: the service name is unknown.
  out.push_back(security_event(4769, id++, next(),
      {{"TargetUserName", Value::string("bob@CONTOSO.LOCAL")}, {"TargetDomainName", Value::string("CONTOSO.LOCAL")},
       {"ServiceName", Value::string("HTTP/intranet")}, {"ServiceSid", Value::sid("S-1-0-0")},
       {"TicketOptions", Value::string("0x00000010")}, {"TicketEncryptionType", Value::string("0xffffffff")},
       {"IpAddress", Value::string("::1")}, {"IpPort", Value::string("0")},
       {"Status", Value::string("0x00000007")}, {"LogonGuid", Value::guid("{00000000-0000-0000-0000-000000000000}")},
       {"TransmittedServices", Value::string("-")}}));
  // Pre-authentication failed (wrong password), then clock skew.
  out.push_back(security_event(4771, id++, next(),
      {{"TargetUserName", Value::string("carol")}, {"TargetSid", Value::sid("S-1-5-21-3623811015-3361044348-30300820-1107")},
       {"ServiceName", Value::string("krbtgt/CONTOSO.LOCAL")}, {"TicketOptions", Value::hex_int32(0x40810010)},
       {"Status", Value::hex_int32(0x18)}, {"PreAuthType", Value::string("2")},
       {"IpAddress", Value::string("::ffff:10.0.0.71")}, {"IpPort", Value::string("49830")},
       {"CertIssuerName", Value::string("")}, {"CertSerialNumber", Value::string("")},
       {"CertThumbprint", Value::string("")}}));
  out.push_back(security_event(4771, id++, next(),
      {{"TargetUserName", Value::string("dave")}, {"TargetSid", Value::sid("S-1-5-21-3623811015-3361044348-30300820-1109")},
       {"ServiceName", Value::string("krbtgt/CONTOSO.LOCAL")}, {"TicketOptions", Value::string("0x40810010")},
       {"Status", Value::string("0x00000025")}, {"PreAuthType", Value::string("2")},
       {"IpAddress", Value::string("-")}, {"IpPort", Value::string("-")},
       {"CertIssuerName", Value::string("")}, {"CertSerialNumber", Value::string("")},
       {"CertThumbprint", Value::string("")}}));
  // A version-2 4768 (Windows Server 2025 adds fields), from a second domain controller.
  Event v2 = security_event(4768, id++, next(),
      {{"TargetUserName", Value::string("erin")}, {"TargetDomainName", Value::string("CONTOSO.LOCAL")},
       {"TargetSid", Value::sid("S-1-5-21-3623811015-3361044348-30300820-1120")},
       {"ServiceName", Value::string("krbtgt")}, {"ServiceSid", Value::sid("S-1-5-21-3623811015-3361044348-30300820-502")},
       {"TicketOptions", Value::hex_int32(0x40810010)}, {"Status", Value::hex_int32(0x0)},
       {"TicketEncryptionType", Value::hex_int32(0x12)}, {"PreAuthType", Value::string("2")},
       {"IpAddress", Value::string("::ffff:10.0.0.80")}, {"IpPort", Value::string("50001")},
       {"ResponseTicket", Value::string("N/A")}, {"AccountSupportedEncryptionTypes", Value::string("0x1C")},
       {"AccountAvailableKeys", Value::string("AES-SHA1, RC4")},
       {"ServiceSupportedEncryptionTypes", Value::string("0x1C")},
       {"ServiceAvailableKeys", Value::string("AES-SHA1, RC4")},
       {"DCSupportedEncryptionTypes", Value::string("0x1C")}, {"DCAvailableKeys", Value::string("AES-SHA1, RC4")},
       {"ClientAdvertizedEncryptionTypes", Value::string("AES256-CTS-HMAC-SHA1-96, RC4-HMAC-NT")},
       {"SessionKeyEncryptionType", Value::hex_int32(0x12)}, {"PreAuthEncryptionType", Value::hex_int32(0x12)}});
  v2.version = 2;
  v2.computer = "DC02.contoso.local";
  out.push_back(std::move(v2));
  return out;
}

std::vector<Event> all_value_types_events() {
  XmlElement nested{"Ticket",
                    {{"realm", "CONTOSO.LOCAL"}},
                    {XmlElement{"EType", {}, {}, Value::hex_int32(0x17)}, XmlElement{"Flags", {}, {}, Value::uint32(0x40810000)}},
                    std::nullopt};
  return {security_event(4769, 1, kSampleStart,
      {{"UnicodeString", Value::string("J\xC3\xBCrgen \xE7\x94\xA8\xE6\x88\xB7")},
       {"AnsiString", Value::ansi_string("ansi text")},
       {"Int8", Value::int8(-5)}, {"UInt8", Value::uint8(200)}, {"Int16", Value::int16(-300)},
       {"UInt16", Value::uint16(65000)}, {"Int32", Value::int32(-70000)}, {"UInt32", Value::uint32(4000000000u)},
       {"Int64", Value::int64(-5000000000000LL)}, {"UInt64", Value::uint64(18446744073709551615ULL)},
       {"Float", Value::real32(1.5f)}, {"Double", Value::real64(0.25)}, {"Bool", Value::boolean(true)},
       {"Binary", Value::binary({0xde, 0xad, 0xbe, 0xef})},
       {"Guid", Value::guid("{ed648110-acf3-7f43-0ccb-256ef183156d}")}, {"SizeT", Value::size_type64(123456789012ULL)},
       {"FileTime", Value::filetime(kSampleStart)}, {"SystemTime", Value::systemtime(2025, 7, 30, 20, 22, 5, 731)},
       {"Sid", Value::sid("S-1-5-21-3623811015-3361044348-30300820-1013")},
       {"HexInt32", Value::hex_int32(0x25)}, {"HexInt64", Value::hex_int64(0x1c)},
       {"StringArray", Value::string_array({"alpha", "beta"})}, {"BinXml", Value::binxml(nested)},
       {"Null", Value::null()}, {"", Value::string("unnamed data")}})};
}

Event synthetic_event(std::uint64_t record_id, std::uint64_t random, bool kerberos) {
  // Bits of `random` pick each field, so one 64-bit draw per record is enough.
  auto pick = [&](unsigned shift, std::uint64_t n) { return (random >> shift) % n; };
  const std::uint64_t time = kSampleStart + record_id * 1'500'000ULL + pick(0, 1'000'000);
  const std::string user = "user" + std::to_string(pick(8, 5000));
  const std::string ip = "::ffff:10." + std::to_string(pick(20, 4)) + "." + std::to_string(pick(24, 250)) + "." +
                         std::to_string(1 + pick(32, 250));
  static const std::uint32_t statuses[] = {0x0, 0x0, 0x0, 0x0, 0x6, 0x12, 0x17, 0x18, 0x1b, 0x25};
  static const std::uint32_t etypes[] = {0x12, 0x12, 0x12, 0x11, 0x17, 0x17, 0x3, 0xffffffff};
  const std::uint32_t status = statuses[pick(40, 10)];
  const std::uint32_t etype = status == 0 ? etypes[pick(44, 7)] : 0xffffffffu;
  const bool as_string = pick(48, 4) == 0;  // a quarter of records spell codes as strings
  auto code = [&](std::uint32_t v) {
    if (!as_string) return Value::hex_int32(v);
    char buf[16];
    std::snprintf(buf, sizeof buf, "0x%08x", v);
    return Value::string(buf);
  };
  const std::string sid = "S-1-5-21-3623811015-3361044348-30300820-" + std::to_string(1000 + pick(8, 5000));
  Event e;
  if (kerberos) {
    switch (pick(52, 3)) {
      case 0:
        e = security_event(4768, record_id, time,
            {{"TargetUserName", Value::string(user)}, {"TargetDomainName", Value::string("CONTOSO.LOCAL")},
             {"TargetSid", Value::sid(status == 0x6 ? "S-1-0-0" : sid)}, {"ServiceName", Value::string("krbtgt")},
             {"ServiceSid", Value::sid("S-1-5-21-3623811015-3361044348-30300820-502")},
             {"TicketOptions", code(0x40810010)}, {"Status", code(status)}, {"TicketEncryptionType", code(etype)},
             {"PreAuthType", Value::string(status == 0 ? "2" : "-")}, {"IpAddress", Value::string(ip)},
             {"IpPort", Value::string(std::to_string(49152 + pick(12, 16000)))},
             {"CertIssuerName", Value::string("")}, {"CertSerialNumber", Value::string("")},
             {"CertThumbprint", Value::string("")}});
        break;
      case 1:
        e = security_event(4769, record_id, time,
            {{"TargetUserName", Value::string(user + "@CONTOSO.LOCAL")},
             {"TargetDomainName", Value::string("CONTOSO.LOCAL")},
             {"ServiceName", Value::string("svc" + std::to_string(pick(56, 40)))},
             {"ServiceSid", Value::sid(sid)}, {"TicketOptions", code(0x40810000)},
             {"TicketEncryptionType", code(etype)}, {"IpAddress", Value::string(ip)},
             {"IpPort", Value::string(std::to_string(49152 + pick(12, 16000)))}, {"Status", code(status)},
             {"LogonGuid", Value::guid("{ed648110-acf3-7f43-0ccb-256ef183156d}")},
             {"TransmittedServices", Value::string("-")}});
        break;
      default:
        e = security_event(4771, record_id, time,
            {{"TargetUserName", Value::string(user)}, {"TargetSid", Value::sid(sid)},
             {"ServiceName", Value::string("krbtgt/CONTOSO.LOCAL")}, {"TicketOptions", code(0x40810010)},
             {"Status", code(status == 0 ? 0x18 : status)}, {"PreAuthType", Value::string("2")},
             {"IpAddress", Value::string(ip)}, {"IpPort", Value::string(std::to_string(49152 + pick(12, 16000)))},
             {"CertIssuerName", Value::string("")}, {"CertSerialNumber", Value::string("")},
             {"CertThumbprint", Value::string("")}});
        break;
    }
  } else {
    switch (pick(52, 4)) {
      case 0:
        e = security_event(4624, record_id, time,
            {{"SubjectUserSid", Value::sid("S-1-0-0")}, {"SubjectUserName", Value::string("-")},
             {"TargetUserSid", Value::sid(sid)}, {"TargetUserName", Value::string(user)},
             {"TargetDomainName", Value::string("CONTOSO")}, {"TargetLogonId", Value::hex_int64(random & 0xffffff)},
             {"LogonType", Value::uint32(3)}, {"LogonProcessName", Value::string("Kerberos")},
             {"AuthenticationPackageName", Value::string("Kerberos")}, {"IpAddress", Value::string(ip)},
             {"IpPort", Value::string("0")}});
        break;
      case 1:
        e = security_event(4634, record_id, time,
            {{"TargetUserSid", Value::sid(sid)}, {"TargetUserName", Value::string(user)},
             {"TargetDomainName", Value::string("CONTOSO")}, {"TargetLogonId", Value::hex_int64(random & 0xffffff)},
             {"LogonType", Value::uint32(3)}});
        break;
      case 2:
        e = security_event(4672, record_id, time,
            {{"SubjectUserSid", Value::sid(sid)}, {"SubjectUserName", Value::string(user)},
             {"SubjectDomainName", Value::string("CONTOSO")}, {"SubjectLogonId", Value::hex_int64(random & 0xffffff)},
             {"PrivilegeList", Value::string("SeSecurityPrivilege\r\n\t\t\tSeBackupPrivilege")}});
        break;
      default:
        e = security_event(4688, record_id, time,
            {{"SubjectUserSid", Value::sid(sid)}, {"SubjectUserName", Value::string(user)},
             {"NewProcessId", Value::hex_int64(0x1000 + pick(16, 60000))},
             {"NewProcessName", Value::string("C:\\Windows\\System32\\cmd.exe")},
             {"TokenElevationType", Value::string("%%1936")}, {"ProcessId", Value::hex_int64(0x2a8)},
             {"CommandLine", Value::string("cmd.exe /c whoami")}});
        break;
    }
  }
  e.keywords = e.event_id == 4771 || (kerberos && status != 0) ? 0x8010000000000000ULL : 0x8020000000000000ULL;
  return e;
}

}  // namespace ki::test::evtx
