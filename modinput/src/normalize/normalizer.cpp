// The normalize stage. Hand-written JSON into the caller's reused buffer: one pass, no DOM, and no heap
// allocation per event beyond what the knowledge API's mask decoding needs.

#include "normalize/normalizer.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <optional>
#include <string_view>

#include "knowledge/codes.hpp"
#include "knowledge/knowledge.hpp"
#include "normalize/time.hpp"
#include "util/name_table.hpp"
#include "util/simd.hpp"

namespace ki {

namespace {

namespace kn = ki::knowledge;

constexpr char kHex[] = "0123456789abcdef";

// Length of the valid UTF-8 sequence at p[0..n), or 0 when it is not one (overlong, surrogate, > U+10FFFF,
// truncated). Splunk needs valid UTF-8; a bad byte becomes U+FFFD rather than breaking the whole event.
std::size_t utf8_sequence(const unsigned char* p, std::size_t n) {
  const unsigned char c = p[0];
  auto cont = [&](std::size_t i) { return i < n && (p[i] & 0xC0) == 0x80; };
  if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (!cont(1) || !cont(2)) return 0;
    if (c == 0xE0 && p[1] < 0xA0) return 0;   // overlong
    if (c == 0xED && p[1] >= 0xA0) return 0;  // UTF-16 surrogate
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0;
    if (c == 0xF0 && p[1] < 0x90) return 0;   // overlong
    if (c == 0xF4 && p[1] >= 0x90) return 0;  // above U+10FFFF
    return 4;
  }
  return 0;
}

#if !defined(__SSE2__)
// Bytes copied as they are; the rest are escaped or checked as UTF-8.
constexpr auto kPlain = [] {
  std::array<bool, 256> plain{};
  for (int c = 0x20; c < 0x80; ++c) plain[static_cast<std::size_t>(c)] = c != '"' && c != '\\';
  return plain;
}();
#endif

// The most bytes write_escaped() can write for `n` input bytes: six per byte (\u00XX), plus the block it
// may store past its end.
constexpr std::size_t room_for(std::size_t n) { return 6 * n + 16; }

// Writes `text` as the inside of a JSON string at `out`, which has room_for(text.size()) bytes, and returns
// the end. ORs into `markup` a nonzero value when the result holds a character XML character data must
// escape (&, <, >) or XML forbids (U+FFFE, U+FFFF).
// Plain bytes are copied while they are scanned: each 16-byte block is stored as soon as it is loaded and
// the output advances by its plain prefix, so a value costs no separate copy and no call.
char* write_escaped(char* out, std::string_view text, unsigned& markup) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  std::size_t i = 0;
  while (i < n) {
#if defined(__SSE2__)
    for (;;) {
      const std::size_t avail = n - i;
      const __m128i v = avail >= 16 ? simd::load(p + i) : simd::load_tail(p + i, avail);
      _mm_storeu_si128(reinterpret_cast<__m128i*>(out), v);
      // The XML markup test rides along for three compares and no branch: it spares the sink a second scan.
      markup |= simd::mask(_mm_or_si128(simd::eq(v, '&'), _mm_or_si128(simd::eq(v, '<'), simd::eq(v, '>'))));
      const unsigned look =
          simd::mask(_mm_or_si128(simd::control_or_high(v), _mm_or_si128(simd::eq(v, '"'), simd::eq(v, '\\'))));
      if (look == 0) {  // the padding of a short block is plain, so a tail ends here too
        const std::size_t step = avail >= 16 ? 16 : avail;
        out += step;
        i += step;
        if (i >= n) return out;
        continue;
      }
      const auto k = static_cast<std::size_t>(__builtin_ctz(look));
      out += k;
      i += k;
      break;
    }
#else
    while (i < n && kPlain[p[i]]) {
      if (p[i] == '&' || p[i] == '<' || p[i] == '>') markup = 1;
      *out++ = static_cast<char>(p[i++]);
    }
    if (i >= n) break;
#endif
    const unsigned char c = p[i];
    if (c >= 0x80) {
      const std::size_t len = utf8_sequence(p + i, n - i);
      if (len != 0) {
        if (c == 0xEF && p[i + 1] == 0xBF && p[i + 2] >= 0xBE) markup = 1;
        std::memcpy(out, p + i, len);
        out += len;
        i += len;
        continue;
      }
    }
    const auto put = [&out](std::string_view s) {
      std::memcpy(out, s.data(), s.size());
      out += s.size();
    };
    switch (c) {
      case '"': put("\\\""); break;
      case '\\': put("\\\\"); break;
      case '\n': put("\\n"); break;
      case '\r': put("\\r"); break;
      case '\t': put("\\t"); break;
      case '\b': put("\\b"); break;
      case '\f': put("\\f"); break;
      default:
        if (c < 0x20) {
          const char esc[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
          put(std::string_view(esc, sizeof esc));
        } else {
          put("\xEF\xBF\xBD");  // U+FFFD for a byte that is not valid UTF-8
        }
    }
    ++i;
  }
  return out;
}

// The name of a normalized field: a literal, checked at compile time to need no JSON or XML escaping, so
// it is copied as it is (a third of an event's member names; the others come from the record).
struct Key {
  std::string_view text;
  consteval Key(const char* name) : text(name) {  // NOLINT: implicit on purpose
    for (const char c : text)
      if (c < 0x20 || c > 0x7E || c == '"' || c == '\\' || c == '&' || c == '<' || c == '>')
        throw "a field name that needs escaping";
  }
  consteval Key() = default;
};

// A minimal streaming writer for one flat JSON object whose members are strings, numbers, booleans or
// arrays of strings. It writes through a pointer into the string, grown ahead of need and cut to length
// by finish(): an object has about a hundred members, and appending each piece paid for a capacity check
// and a terminator every time.
class ObjectWriter {
 public:
  // The string grows a step at a time as members are written: resize() zero-fills what it adds, so
  // asking for the whole capacity up front cost a fill of several kilobytes per event.
  explicit ObjectWriter(std::string& out) : out_(out) {
    out_.clear();
    p_ = end_ = out_.data();
    room(kStep);
    *p_++ = '{';
  }
  // Must end every object: it also gives the string its length.
  void finish() {
    room(1);
    *p_++ = '}';
    out_.resize(static_cast<std::size_t>(p_ - out_.data()));
    // One huge event must not leave every later one holding its memory (the pipeline keeps many events).
    if (out_.capacity() > kKeptCapacity && out_.size() <= kKeptCapacity) out_.shrink_to_fit();
  }
  // Whether the object holds a character XML character data must escape (see write_escaped).
  bool xml_special() const { return markup_ != 0; }

  // A member whose name comes from the record, escaped like its value.
  void field(std::string_view key, std::string_view value) {
    room(room_for(key.size()) + room_for(value.size()) + 8);
    open_name();
    p_ = write_escaped(p_, key, markup_);
    put("\":\"");
    p_ = write_escaped(p_, value, markup_);
    *p_++ = '"';
  }
  void string(Key key, std::string_view value) {
    room(key.text.size() + room_for(value.size()) + 8);
    name(key);
    *p_++ = '"';
    p_ = write_escaped(p_, value, markup_);
    *p_++ = '"';
  }
  void number(Key key, std::uint64_t value) {
    room(key.text.size() + 32);
    name(key);
    p_ = std::to_chars(p_, p_ + 24, value).ptr;
  }
  void boolean(Key key, bool value) {
    room(key.text.size() + 16);
    name(key);
    put(value ? "true" : "false");
  }
  void begin_array(Key key) {
    room(key.text.size() + 8);
    name(key);
    *p_++ = '[';
    first_item_ = true;
  }
  void item(std::string_view value) {
    room(room_for(value.size()) + 4);
    if (!first_item_) *p_++ = ',';
    first_item_ = false;
    *p_++ = '"';
    p_ = write_escaped(p_, value, markup_);
    *p_++ = '"';
  }
  void end_array() {
    room(1);
    *p_++ = ']';
  }

 private:
  // Makes sure `n` bytes can be written at p_.
  void room(std::size_t n) {
    if (static_cast<std::size_t>(end_ - p_) >= n) return;
    const auto used = static_cast<std::size_t>(p_ - out_.data());
    out_.resize(used + n + kStep);
    p_ = out_.data() + used;
    end_ = out_.data() + out_.size();
  }

  static constexpr std::size_t kStep = 512;
  static constexpr std::size_t kKeptCapacity = 64 * 1024;
  void put(std::string_view s) {
    std::memcpy(p_, s.data(), s.size());
    p_ += s.size();
  }
  void open_name() {
    if (first_member_) *p_++ = '"';
    else put(",\"");
    first_member_ = false;
  }
  // Callers have made room for the name.
  void name(Key key) {
    open_name();
    put(key.text);
    put("\":");
  }

  std::string& out_;
  char* p_ = nullptr;
  char* end_ = nullptr;
  unsigned markup_ = 0;
  bool first_member_ = true;
  bool first_item_ = true;
};

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// A plain loop: find_first_not_of calls memchr on the list of spaces for every byte it looks at.
std::string_view trim(std::string_view text) {
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

// Windows writes "-" (and exports sometimes "N/A" or nothing) where a field has no value.
bool is_placeholder(std::string_view text) {
  text = trim(text);
  return text.empty() || text == "-" || text == "N/A" || text == "n/a";
}

bool iequals_prefix(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    char c = text[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != prefix[i]) return false;
  }
  return true;
}

// Events that only ever report a failed request, whatever their code says.
bool fails_by_nature(std::uint32_t id) {
  return id == 4771 || id == 4772 || id == 4773 || id == 675 || id == 676 || id == 677;
}

// Reads EventData fields by meaning. Modern events use Windows' names; legacy 672-677 records have only
// message labels, which the events table writes with underscores ("Failure_Code"). A source that kept
// the insertion strings unnamed (Data1, Data2, ...) is read by position in that table's field list.
// The EventData names the normalizer reads: found in one pass over the record instead of one linear
// search per name.
constexpr std::array<std::string_view, 29> kReadNames{
    "Status", "Failure_Code", "Result_Code", "TargetUserName", "User_Name", "TargetDomainName", "User_Domain",
    "Supplied_Realm_Name", "IpAddress", "Client_Address", "IpPort", "ServiceName", "Service_Name", "TicketOptions",
    "Ticket_Options", "TicketEncryptionType", "Ticket_Encryption_Type", "PreAuthType", "Pre-Authentication_Type",
    "SessionKeyEncryptionType", "PreAuthEncryptionType", "AccountSupportedEncryptionTypes",
    "ServiceSupportedEncryptionTypes", "DCSupportedEncryptionTypes", "AccountAvailableKeys", "ServiceAvailableKeys",
    "DCAvailableKeys", "ClientAdvertizedEncryptionTypes", "Data1"};
constexpr NameTable<kReadNames.size()> kReadTable{kReadNames};
constexpr std::size_t kData1 = kReadNames.size() - 1;

// The System fields the normalizer reads, likewise found in one pass.
enum SystemSlot : std::size_t { kEventID, kComputer, kChannel, kEventRecordID, kTimeCreated, kVersion, kKeywords };
constexpr std::array<std::string_view, 7> kSystemNames{"EventID", "Computer", "Channel", "EventRecordID",
                                                       "TimeCreated", "Version", "Keywords"};
constexpr NameTable<kSystemNames.size()> kSystemTable{kSystemNames};

struct SystemFields {
  std::array<const std::string*, kSystemNames.size()> value{};
  explicit SystemFields(const Record& record) {
    for (const Field& f : record.system) {
      const int slot = kSystemTable.find(f.name);
      if (slot >= 0 && value[static_cast<std::size_t>(slot)] == nullptr) value[static_cast<std::size_t>(slot)] = &f.value;
    }
  }
  const std::string* operator[](SystemSlot slot) const { return value[slot]; }
  std::string_view or_empty(SystemSlot slot) const { return value[slot] ? std::string_view(*value[slot]) : std::string_view(); }
};

class Fields {
 public:
  Fields(const Record& record, const SystemFields& system, std::uint32_t event_id) : record_(record) {
    for (const Field& f : record.data) {  // first occurrence wins, as a linear search would find it
      const int slot = kReadTable.find(f.name);
      if (slot >= 0 && found_[static_cast<std::size_t>(slot)] == nullptr) found_[static_cast<std::size_t>(slot)] = &f.value;
    }
    if (const kn::EventInfo* info = kn::find_event(event_id)) {
      std::uint32_t version = 0;
      if (const std::string* v = system[kVersion]) version = kn::parse_code(*v).value_or(0);
      // Only records that kept unnamed insertion strings need the (slower) positional reading.
      if (version < 3 && found_[kData1] != nullptr) positional_names_ = info->fields[version];
    }
  }

  // The first of `names` the record carries, else nullptr.
  // A name the normalizer asks for, with its table slot worked out at compile time.
  struct Name {
    std::string_view text;
    int slot;
    consteval Name(const char* name) : text(name), slot(kReadTable.find(name)) {}  // NOLINT: implicit on purpose
  };

  const std::string* get(std::initializer_list<Name> names) const {
    for (const Name& name : names) {
      const std::string* value =
          name.slot >= 0 ? found_[static_cast<std::size_t>(name.slot)] : record_.data_field(name.text);
      if (value) return value;
    }
    if (positional_names_.empty()) return nullptr;
    for (const Name& name : names)
      if (const std::string* value = positional(name.text)) return value;
    return nullptr;
  }

 private:
  const std::string* positional(std::string_view wanted) const {
    std::string_view list = positional_names_;
    std::size_t index = 1;
    while (!list.empty()) {
      const auto space = list.find(' ');
      const std::string_view name = list.substr(0, space);
      if (!name.empty()) {
        if (name == wanted) {
          char label[16] = "Data";
          const auto result = std::to_chars(label + 4, label + sizeof label, index);
          return record_.data_field(std::string_view(label, static_cast<std::size_t>(result.ptr - label)));
        }
        ++index;
      }
      if (space == std::string_view::npos) break;
      list.remove_prefix(space + 1);
    }
    return nullptr;
  }

  const Record& record_;
  std::array<const std::string*, kReadNames.size()> found_{};
  std::string_view positional_names_;
};

void write_etype(ObjectWriter& w, Key key, Key name_key, Key strength_key, const std::string* raw) {
  if (raw == nullptr || is_placeholder(*raw)) return;
  const auto id = kn::parse_etype(*raw);
  if (!id) return;
  w.string(key, kn::canonical_hex(*id));
  const kn::EncryptionType* row = kn::find_encryption_type(*id);
  w.string(name_key, row ? row->name : std::string_view(kn::unknown_label(*id)));
  if (!strength_key.text.empty()) w.string(strength_key, row ? kn::strength_name(row->strength) : "unknown");
}

void write_mask_names(ObjectWriter& w, Key key, const kn::DecodedMask& decoded) {
  w.begin_array(key);
  std::string_view previous;
  for (std::string_view name : decoded.names) {
    // Two bits can share a label (both DES bits print as "DES", as Windows shows them): list it once.
    if (name == previous) continue;
    w.item(name);
    previous = name;
  }
  if (decoded.unknown_bits != 0) w.item(kn::unknown_label(decoded.unknown_bits));
  w.end_array();
}

// "0x1C (RC4, AES128-SHA96, AES256-SHA96)" -> ["RC4","AES128-SHA96","AES256-SHA96"]; "N/A" -> nothing.
void write_supported_etypes(ObjectWriter& w, Key key, const std::string* raw) {
  if (raw == nullptr || is_placeholder(*raw)) return;
  const auto mask = kn::parse_mask_prefix(*raw);
  if (!mask) return;
  write_mask_names(w, key, kn::decode_supported_encryption_types(*mask));
}

// Splits a list on any of `separators`, trimming items and dropping empty ones.
void write_list(ObjectWriter& w, Key key, const std::string* raw, std::string_view separators) {
  if (raw == nullptr || is_placeholder(*raw)) return;
  w.begin_array(key);
  std::string_view rest = *raw;
  while (!rest.empty()) {
    const auto separator = [separators](char c) {
      for (const char s : separators)
        if (s == c) return true;
      return false;
    };
    std::size_t cut = 0;  // find_first_of, without a memchr call per byte
    while (cut < rest.size() && !separator(rest[cut])) ++cut;
    if (cut == rest.size()) cut = std::string_view::npos;
    const std::string_view item = trim(rest.substr(0, cut));
    if (!item.empty()) w.item(item);
    if (cut == std::string_view::npos) break;
    rest.remove_prefix(cut + 1);
  }
  w.end_array();
}

// The Audit Success / Audit Failure bits of the System Keywords mask, for events without a result code.
std::optional<bool> keywords_success(const SystemFields& system) {
  const std::string* keywords = system[kKeywords];
  if (keywords == nullptr) return std::nullopt;
  std::string_view text = trim(*keywords);
  if (!iequals_prefix(text, "0x")) return std::nullopt;
  text.remove_prefix(2);
  std::uint64_t value = 0;
  const auto result = std::from_chars(text.data(), text.data() + text.size(), value, 16);
  if (result.ec != std::errc() || result.ptr != text.data() + text.size()) return std::nullopt;
  constexpr std::uint64_t kAuditFailure = 0x0010000000000000ull;
  constexpr std::uint64_t kAuditSuccess = 0x0020000000000000ull;
  if (value & kAuditFailure) return false;
  if (value & kAuditSuccess) return true;
  return std::nullopt;
}

}  // namespace

void normalize(const Record& record, NormalizedEvent& out) {
  out.json.clear();
  out.time.clear();
  out.host.clear();
  out.stable_key.clear();
  out.xml_plain = false;

  const SystemFields system(record);
  std::uint32_t event_id = record.event_id;
  const std::string* event_id_field = system[kEventID];
  if (event_id == 0 && event_id_field != nullptr) event_id = kn::parse_code(*event_id_field).value_or(0);

  const std::string_view computer = system.or_empty(kComputer);
  out.host.assign(computer);
  out.stable_key.append(computer).append("/").append(system.or_empty(kChannel)).append("/").append(
      system.or_empty(kEventRecordID));
  if (const std::string* created = system[kTimeCreated]) append_epoch_text(*created, out.time);

  ObjectWriter w(out.json);

  // The original fields, verbatim, under Windows' names.
  if (event_id_field == nullptr) {
    char buffer[12];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, event_id);
    w.field("EventID", std::string_view(buffer, static_cast<std::size_t>(result.ptr - buffer)));
  }
  for (const Field& f : record.system) w.field(f.name, f.value);
  for (const Field& f : record.data) w.field(f.name, f.value);

  // The normalized fields; docs/fields.md describes each.
  const Fields fields(record, system, event_id);
  const kn::EventInfo* event = kn::find_event(event_id);

  w.string("app", "kerberos");
  w.number("signature_id", event_id);
  if (event != nullptr && event->modern_id != 0) w.number("modern_event_id", event->modern_id);
  // Event IDs are decimal everywhere Windows shows them, so an unknown one is named in decimal too.
  w.string("signature", event ? event->name : std::string_view("unknown (" + std::to_string(event_id) + ")"));

  // Modern events print the code in hex ("0x18"); the legacy ones in decimal ("24"). parse_code reads an
  // unprefixed value as decimal, which is right for both.
  const std::string* status = fields.get({"Status", "Failure_Code", "Result_Code"});
  std::optional<std::uint32_t> result_code;
  if (status != nullptr && !is_placeholder(*status)) result_code = kn::parse_code(*status);

  std::optional<bool> success;
  if (fails_by_nature(event_id)) success = false;
  else if (result_code) success = *result_code == 0;
  else success = keywords_success(system);
  if (success) w.string("action", *success ? "success" : "failure");

  // CIM wants the bare account name: "alice@CORP.EXAMPLE" -> alice / CORP.EXAMPLE, "CORP\alice" likewise.
  const std::string* target = fields.get({"TargetUserName", "User_Name"});
  if (target != nullptr && !is_placeholder(*target)) {
    std::string_view user = trim(*target);
    std::string_view domain;
    if (const auto at = user.rfind('@'); at != std::string_view::npos && at > 0) {
      domain = user.substr(at + 1);
      user = user.substr(0, at);
    } else if (const auto slash = user.find('\\'); slash != std::string_view::npos) {
      domain = user.substr(0, slash);
      user = user.substr(slash + 1);
    }
    const std::string* target_domain = fields.get({"TargetDomainName", "User_Domain", "Supplied_Realm_Name"});
    if (target_domain != nullptr && !is_placeholder(*target_domain)) domain = trim(*target_domain);
    w.string("user", user);
    if (!domain.empty()) w.string("user_domain", domain);
    w.boolean("is_machine_account", !user.empty() && user.back() == '$');
  }

  const std::string* address = fields.get({"IpAddress", "Client_Address"});
  if (address != nullptr && !is_placeholder(*address)) {
    std::string_view src = trim(*address);
    // An IPv4 client seen through a dual-stack socket: "::ffff:10.0.0.1" is 10.0.0.1.
    if (iequals_prefix(src, "::ffff:") && src.find('.') != std::string_view::npos) src.remove_prefix(7);
    w.string("src", src);
  }
  // Port 0 is what Windows logs when the request did not come over the network (the KDC's own host);
  // it names no port, so src_port is left out and IpPort keeps the "0".
  const std::string* port = fields.get({"IpPort"});
  if (port != nullptr) {
    const std::string_view text = trim(*port);
    std::uint32_t value = 0;
    const auto result = std::from_chars(text.data(), text.data() + text.size(), value);
    if (result.ec == std::errc() && result.ptr == text.data() + text.size() && value > 0 && value <= 65535)
      w.number("src_port", value);
  }
  if (!computer.empty()) w.string("dest", computer);

  const std::string* service = fields.get({"ServiceName", "Service_Name"});
  if (service != nullptr && !is_placeholder(*service)) w.string("service", trim(*service));

  if (result_code) {
    w.string("result_code", kn::canonical_hex(*result_code));
    const kn::ResultCode* row = kn::find_result_code(*result_code);
    w.string("result_name", row ? row->name : std::string_view(kn::unknown_label(*result_code)));
  }

  const std::string* options = fields.get({"TicketOptions", "Ticket_Options"});
  if (options != nullptr && !is_placeholder(*options)) {
    if (const auto value = kn::parse_code(*options)) {
      w.string("ticket_options", kn::canonical_hex(*value));
      write_mask_names(w, "ticket_flags", kn::decode_ticket_options(*value));
    }
  }

  write_etype(w, "ticket_encryption", "ticket_encryption_name", "ticket_encryption_strength",
              fields.get({"TicketEncryptionType", "Ticket_Encryption_Type"}));

  const std::string* pre_auth =
      fields.get({"PreAuthType", "Pre-Authentication_Type"});
  if (pre_auth != nullptr) {
    const std::string_view text = trim(*pre_auth);
    if (text == "-") {
      w.string("pre_auth_type", "-");  // no pre-authentication data was checked (failures, AS-REP roasting)
    } else if (const auto value = kn::parse_code(text)) {
      w.string("pre_auth_type", kn::canonical_decimal(*value));
      const kn::PreAuthType* row = kn::find_pre_auth_type(*value);
      w.string("pre_auth_name", row ? row->name : std::string_view(kn::unknown_label(*value)));
    }
  }

  // Version-2 fields (Windows Server 2025 and later).
  write_etype(w, "session_key_encryption", "session_key_encryption_name", Key(),
              fields.get({"SessionKeyEncryptionType"}));
  write_etype(w, "pre_auth_encryption", "pre_auth_encryption_name", Key(), fields.get({"PreAuthEncryptionType"}));
  write_supported_etypes(w, "account_supported_etypes", fields.get({"AccountSupportedEncryptionTypes"}));
  write_supported_etypes(w, "service_supported_etypes", fields.get({"ServiceSupportedEncryptionTypes"}));
  write_supported_etypes(w, "dc_supported_etypes", fields.get({"DCSupportedEncryptionTypes"}));
  write_list(w, "account_available_keys", fields.get({"AccountAvailableKeys"}), ",");
  write_list(w, "service_available_keys", fields.get({"ServiceAvailableKeys"}), ",");
  write_list(w, "dc_available_keys", fields.get({"DCAvailableKeys"}), ",");
  write_list(w, "client_advertized_etypes", fields.get({"ClientAdvertizedEncryptionTypes"}), " \t\r\n,");

  w.string("event_key", out.stable_key);
  w.finish();
  out.xml_plain = !w.xml_special();
}

}  // namespace ki
