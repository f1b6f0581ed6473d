// JSON lines: one Windows event per line, recognized by its keys.
// - Winlogbeat / Elastic Agent: a "winlog" object (event_data, event_id, record_id, computer_name ...).
// - OpenWEC "Json": "System" and "EventData" objects; OpenWEC "JsonRaw": the event XML in "data".
// - Flat records (NXLog im_msvistalog, OpenWEC's NXLog format, Log Analytics exports): System values under
//   NXLog's names, EventData fields mixed in at the top level. A fixed list of the collector's own keys is
//   dropped; every other scalar key is EventData.
//
// Decisions, documented for analysts:
// - NXLog "EventTime" ("2020-06-09 22:51:02") is the collector host's local time without a zone. When the
//   record also has "@timestamp" (UTC, stamped on reception a moment later), the zone offset is taken as
//   their difference rounded to 15 minutes and EventTime is shifted to UTC with it; without "@timestamp"
//   EventTime is taken as UTC. An EventTime with a zone (OpenWEC) is converted directly.
// - NXLog's "ProcessID" is the Execution process only in old NXLog records that lack "ExecutionProcessID";
//   elsewhere "ProcessID"/"ProcessId" are EventData fields of events such as 5156 or 4688.
// - Invalid UTF-8 is replaced by U+FFFD and the record kept; a line over 1 MiB is one bad record.
#include <algorithm>
#include <array>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <optional>

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "source/file_reader.hpp"
#include "source/json/time_convert.hpp"
#include "source/source.hpp"
#include "source/xml/xml_event.hpp"
#include "util/field_recycler.hpp"
#include "util/name_table.hpp"
#include "util/simd.hpp"

namespace ki {

namespace {

using rapidjson::Value;

// The canonical System fields, in the order every source emits them.
enum Sys : std::size_t {
  kProvider, kProviderGuid, kEventID, kVersion, kLevel, kTask, kOpcode, kKeywords, kTimeCreated,
  kEventRecordID, kProcessID, kThreadID, kChannel, kComputer, kSysCount
};
constexpr std::array<std::string_view, kSysCount> kSysNames{
    "Provider", "ProviderGuid", "EventID", "Version", "Level", "Task", "Opcode", "Keywords", "TimeCreated",
    "EventRecordID", "ProcessID", "ThreadID", "Channel", "Computer"};

// The System values of one line. Most are views into the line (or the parsed document), which outlives
// them; a converted value (time, keywords) is copied with put_copy() into a string kept from line to line.
struct SystemValues {
  std::array<std::string_view, kSysCount> value;
  std::array<std::string, kSysCount> owned;
  std::array<bool, kSysCount> set{};
  void reset() { set.fill(false); }
  void put(Sys which, std::string_view text) {
    if (text.empty() || set[which]) return;  // the first writer wins; empty counts as absent
    value[which] = text;
    set[which] = true;
  }
  void put_copy(Sys which, std::string_view text) {
    if (text.empty() || set[which]) return;
    owned[which].assign(text);
    value[which] = owned[which];
    set[which] = true;
  }
};

// What one line is being turned into, and the scratch space for converted values.
struct Builder {
  Record& out;
  FieldRecycler& fields;
  SystemValues& sys;
  std::string scratch;  // a converted value (time, keywords) between conversion and put()
  // In place (flat lines, which keep one shape): out's fields are overwritten in order and the first
  // `data_used` are this line's; otherwise out was recycled and fields are appended.
  bool in_place = false;
  std::size_t data_used = 0;
  void data(std::string_view name, std::string_view value) {
    if (in_place) fields.put(out.data, data_used++, name, value);
    else fields.add(out.data, name, value);
  }
  bool has_data(std::string_view name) const {
    const std::size_t n = in_place ? data_used : out.data.size();
    for (std::size_t i = 0; i < n; ++i)
      if (out.data[i].name == name) return true;
    return false;
  }
};

// Keys NXLog, Logstash, OpenWEC and Log Analytics add of their own: never EventData.
constexpr std::array<std::string_view, 38> kCollectorKeys{
    "EventReceivedTime", "SourceModuleName", "SourceModuleType", "Severity", "SeverityValue", "EventType",
    "Category", "Message", "Domain", "AccountName", "AccountType", "UserID", "host", "port", "tags",
    "@timestamp", "@version", "type", "ERROR_EVT_UNRESOLVED", "ActivityID", "RelatedActivityID", "RecordType",
    "OpenWEC", "EventIDQualifiers", "TenantId", "TimeGenerated", "SourceSystem", "Activity", "SourceComputerId",
    "EventOriginId", "MG", "TimeCollected", "ManagementGroupName", "_ResourceId", "EventLevel", "EventLevelName",
    "message", "Opcode"};

// Every top-level key a flat record gives meaning to, so each key is classified with one hash lookup.
enum FlatKey : std::uint8_t {
  kKeyEventID, kKeyHostname, kKeyComputer, kKeyRecordNumber, kKeySourceName, kKeyEventSourceName,
  kKeyProviderGuid, kKeyChannel, kKeyVersion, kKeyLevel, kKeyTask, kKeyOpcodeValue, kKeyKeywords,
  kKeyExecutionProcessID, kKeyThreadID, kKeyExecutionThreadID, kKeyEventTime, kKeyTimeCreated, kKeyProcessID,
  kKeyType, kKeyEventData, kKeyFirstCollector
};
constexpr std::array<std::string_view, kKeyFirstCollector + kCollectorKeys.size()> kFlatKeys = [] {
  std::array<std::string_view, kKeyFirstCollector + kCollectorKeys.size()> keys{
      "EventID", "Hostname", "Computer", "RecordNumber", "SourceName", "EventSourceName", "ProviderGuid",
      "Channel", "Version", "Level", "Task", "OpcodeValue", "Keywords", "ExecutionProcessID", "ThreadID",
      "ExecutionThreadID", "EventTime", "TimeCreated", "ProcessID", "Type", "EventData"};
  for (std::size_t i = 0; i < kCollectorKeys.size(); ++i) keys[kKeyFirstCollector + i] = kCollectorKeys[i];
  return keys;
}();
constexpr NameTable<kFlatKeys.size()> kFlatTable{kFlatKeys};
int collector_index(std::string_view name) {  // index in kFlatKeys, or NameTable's kNone
  for (std::size_t i = kKeyFirstCollector; i < kFlatKeys.size(); ++i)
    if (kFlatKeys[i] == name) return static_cast<int>(i);
  return -1;
}
const int kKeySourceModuleType = collector_index("SourceModuleType");
const int kKeyEventReceivedTime = collector_index("EventReceivedTime");
const int kKeyTenantId = collector_index("TenantId");
const int kKeyResourceId = collector_index("_ResourceId");
const int kKeySourceSystem = collector_index("SourceSystem");
const int kKeyTimestamp = collector_index("@timestamp");
const int kKeyOpcode = collector_index("Opcode");
const int kKeyTimeGenerated = collector_index("TimeGenerated");

std::string_view view(const Value& v) { return {v.GetString(), v.GetStringLength()}; }

// Scalar text of a value (numbers arrive as their written text); false for null, objects and arrays.
bool scalar_view(const Value& v, std::string_view& out) {
  if (v.IsString()) {
    out = view(v);
    return true;
  }
  if (v.IsBool()) {
    out = v.GetBool() ? "true" : "false";
    return true;
  }
  return false;
}

// Any value as text: scalars as above, objects and arrays as compact JSON (in `scratch`).
std::string_view any_text(const Value& v, std::string& scratch) {
  std::string_view out;
  if (scalar_view(v, out) || v.IsNull()) return out;
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  v.Accept(writer);
  scratch.assign(buffer.GetString(), buffer.GetSize());
  return scratch;
}

const Value* member(const Value& object, std::string_view name) {
  if (!object.IsObject()) return nullptr;
  const auto it = object.FindMember(Value(rapidjson::StringRef(name.data(), name.size())));
  return it == object.MemberEnd() ? nullptr : &it->value;
}

std::string_view text_of(const Value* v) {
  std::string_view out;
  if (v) scalar_view(*v, out);
  return out;
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Keywords as the XML writes them: NXLog gives the 64-bit mask as a signed decimal.
std::string_view keywords_text(std::string_view text, std::string& scratch) {
  if (text.empty()) return text;
  if (text.starts_with("0x") || text.starts_with("0X")) return text;
  std::uint64_t bits = 0;
  const char* b = text.data();
  const char* e = text.data() + text.size();
  if (text[0] == '-') {
    std::int64_t signed_value = 0;
    if (std::from_chars(b, e, signed_value).ptr != e) return text;
    bits = static_cast<std::uint64_t>(signed_value);
  } else if (std::from_chars(b, e, bits).ptr != e) {
    return text;
  }
  char buf[24] = {'0', 'x'};
  const auto end = std::to_chars(buf + 2, buf + sizeof buf, bits, 16).ptr;
  scratch.assign(buf, static_cast<std::size_t>(end - buf));
  return scratch;
}

// Opcode names collectors print instead of the number (winmeta.xml's standard opcodes).
std::string_view opcode_text(std::string_view text) {
  if (all_digits(text)) return text;
  if (text == "Info") return "0";
  if (text == "Start") return "1";
  if (text == "Stop") return "2";
  return {};
}

std::string_view iso_utc(std::string_view text, std::string& scratch) {
  const auto parsed = timefmt::parse_iso(text);
  if (!parsed) return text;  // unknown form: kept as written, the normalizer decides
  scratch.clear();
  timefmt::append_utc(scratch, parsed->seconds, parsed->fraction);
  return scratch;
}

// NXLog's zone-less EventTime, placed in UTC with the help of the reception "@timestamp".
std::string_view nxlog_time(std::string_view event_time, const std::string_view* received, std::string& scratch) {
  const auto local = timefmt::parse_iso(event_time);
  if (!local) return event_time;
  scratch.clear();
  if (local->zoned) {
    timefmt::append_utc(scratch, local->seconds, local->fraction);
    return scratch;
  }
  std::int64_t offset = 0;
  if (received) {
    if (const auto utc = timefmt::parse_iso(*received); utc && utc->zoned) {
      const std::int64_t diff = utc->seconds - local->seconds;
      const std::int64_t quarter = 900;
      const std::int64_t rounded = (diff >= 0 ? diff + quarter / 2 : diff - quarter / 2) / quarter * quarter;
      if (rounded >= -14 * 3600 && rounded <= 14 * 3600) offset = rounded;
    }
  }
  timefmt::append_utc(scratch, local->seconds + offset, local->fraction);
  return scratch;
}

void add_object_as_data(const Value& object, Builder& b) {
  char name[16] = "Data";
  for (auto it = object.MemberBegin(); it != object.MemberEnd(); ++it) {
    const std::string_view key = view(it->name);
    if (key == "Data" && it->value.IsArray()) {  // OpenWEC's unnamed <Data> values
      std::uint32_t n = 0;
      for (const auto& item : it->value.GetArray()) {
        const auto end = std::to_chars(name + 4, name + sizeof name, ++n).ptr;
        b.data(std::string_view(name, static_cast<std::size_t>(end - name)), any_text(item, b.scratch));
      }
      continue;
    }
    if (key == "Binary") continue;
    b.data(key, any_text(it->value, b.scratch));
  }
}

void map_winlogbeat(const Value& doc, const Value& winlog, Builder& b) {
  SystemValues& sys = b.sys;
  sys.put(kEventID, text_of(member(winlog, "event_id")));
  if (const Value* event = member(doc, "event")) sys.put(kEventID, text_of(member(*event, "code")));
  sys.put(kProvider, text_of(member(winlog, "provider_name")));
  sys.put(kProviderGuid, text_of(member(winlog, "provider_guid")));
  sys.put(kVersion, text_of(member(winlog, "version")));
  sys.put(kOpcode, opcode_text(text_of(member(winlog, "opcode"))));
  if (const std::string_view task = text_of(member(winlog, "task")); all_digits(task)) sys.put(kTask, task);
  if (const Value* keywords = member(winlog, "keywords"); keywords && keywords->IsArray()) {
    // Winlogbeat prints the names; Security's two audit keywords map back to the mask Windows writes.
    for (const auto& k : keywords->GetArray()) {
      if (!k.IsString()) continue;
      if (view(k) == "Audit Success") sys.put(kKeywords, "0x8020000000000000");
      if (view(k) == "Audit Failure") sys.put(kKeywords, "0x8010000000000000");
    }
  }
  if (const Value* t = member(winlog, "time_created"); t && t->IsString())
    sys.put_copy(kTimeCreated, iso_utc(view(*t), b.scratch));
  if (const Value* t = member(doc, "@timestamp"); t && t->IsString()) sys.put_copy(kTimeCreated, iso_utc(view(*t), b.scratch));
  sys.put(kEventRecordID, text_of(member(winlog, "record_id")));
  if (const Value* process = member(winlog, "process")) {
    sys.put(kProcessID, text_of(member(*process, "pid")));
    if (const Value* thread = member(*process, "thread")) sys.put(kThreadID, text_of(member(*thread, "id")));
  }
  sys.put(kChannel, text_of(member(winlog, "channel")));
  sys.put(kComputer, text_of(member(winlog, "computer_name")));
  if (const Value* host = member(doc, "host")) sys.put(kComputer, text_of(member(*host, "name")));
  if (const Value* data = member(winlog, "event_data"); data && data->IsObject()) add_object_as_data(*data, b);
  if (const Value* data = member(winlog, "user_data"); data && data->IsObject()) add_object_as_data(*data, b);
}

void map_openwec(const Value& doc, const Value& system, Builder& b) {
  SystemValues& sys = b.sys;
  if (const Value* provider = member(system, "Provider")) {
    sys.put(kProvider, text_of(member(*provider, "Name")));
    sys.put(kProviderGuid, text_of(member(*provider, "Guid")));
  }
  sys.put(kEventID, text_of(member(system, "EventID")));
  sys.put(kVersion, text_of(member(system, "Version")));
  sys.put(kLevel, text_of(member(system, "Level")));
  sys.put(kTask, text_of(member(system, "Task")));
  sys.put(kOpcode, text_of(member(system, "Opcode")));
  sys.put_copy(kKeywords, keywords_text(text_of(member(system, "Keywords")), b.scratch));
  if (const Value* t = member(system, "TimeCreated"); t && t->IsString())
    sys.put_copy(kTimeCreated, iso_utc(view(*t), b.scratch));
  sys.put(kEventRecordID, text_of(member(system, "EventRecordID")));
  if (const Value* execution = member(system, "Execution")) {
    sys.put(kProcessID, text_of(member(*execution, "ProcessID")));
    sys.put(kThreadID, text_of(member(*execution, "ThreadID")));
  }
  sys.put(kChannel, text_of(member(system, "Channel")));
  sys.put(kComputer, text_of(member(system, "Computer")));
  if (const Value* data = member(doc, "EventData"); data && data->IsObject()) add_object_as_data(*data, b);
}

// One top-level member of a flat record, whichever reader produced it.
struct FlatItem {
  std::string_view key;
  std::string_view text;          // a string's value, a number as written, "true"/"false"; empty otherwise
  const Value* object = nullptr;  // the value when it is an object (only the DOM reader gives these)
  std::int8_t kind = -1;          // index in kFlatKeys, or NameTable's kNone
  bool scalar = false;            // string, number or boolean
  bool string = false;            // string or number (numbers arrive as their text)
};

bool map_flat(const std::vector<FlatItem>& items, Builder& b, std::string& why) {
  SystemValues& sys = b.sys;
  // First pass: note the keys that change how others are read.
  bool nxlog = false, azure = false, execution_pid = false;
  const FlatItem* timestamp = nullptr;
  const FlatItem* opcode = nullptr;
  const FlatItem* time_generated = nullptr;
  for (const FlatItem& item : items) {
    const int kind = item.kind;
    if (kind == kKeySourceModuleType || kind == kKeyEventReceivedTime || kind == kKeyEventTime) nxlog = true;
    else if (kind == kKeyTenantId || kind == kKeyResourceId || kind == kKeySourceSystem) azure = true;
    else if (kind == kKeyExecutionProcessID) execution_pid = true;
    else if (kind == kKeyTimestamp && !timestamp) timestamp = &item;
    else if (kind == kKeyOpcode && !opcode) opcode = &item;
    else if (kind == kKeyTimeGenerated && !time_generated) time_generated = &item;
  }
  const std::string_view* received = timestamp && timestamp->string ? &timestamp->text : nullptr;
  for (const FlatItem& item : items) {
    const std::string_view key = item.key;
    const int kind = item.kind;
    const std::string_view text = item.text;
    if (kind == kKeyEventData && item.string && text.starts_with("<")) {
      Record fragment;  // Log Analytics keeps the event's <EventData> as XML text
      std::size_t where = 0;
      if (!xml::parse_event_data_fragment(text, fragment, why, where)) {
        why = "EventData XML at character " + std::to_string(where) + ": " + why;
        return false;
      }
      for (const auto& f : fragment.data)
        if (!b.has_data(f.name)) b.data(f.name, f.value);
      continue;
    }
    if (kind == kKeyEventData && item.object) {
      add_object_as_data(*item.object, b);
      continue;
    }
    if (!item.scalar) continue;  // objects, arrays and nulls are collector metadata
    switch (kind) {
      case kKeyEventID: sys.put(kEventID, text); continue;
      case kKeyHostname: sys.put(kComputer, text); continue;
      case kKeyComputer:
        if (azure) sys.put(kComputer, text); else b.data(key, text);
        continue;
      case kKeyRecordNumber: sys.put(kEventRecordID, text); continue;
      case kKeySourceName: sys.put(kProvider, text); continue;
      case kKeyEventSourceName:
        if (azure) sys.put(kProvider, text); else b.data(key, text);
        continue;
      case kKeyProviderGuid: sys.put(kProviderGuid, text); continue;
      case kKeyChannel: sys.put(kChannel, text); continue;
      case kKeyVersion: sys.put(kVersion, text); continue;
      case kKeyLevel: sys.put(kLevel, text); continue;
      case kKeyTask: sys.put(kTask, text); continue;
      case kKeyOpcodeValue: sys.put(kOpcode, text); continue;
      case kKeyKeywords: sys.put_copy(kKeywords, keywords_text(text, b.scratch)); continue;
      case kKeyExecutionProcessID: sys.put(kProcessID, text); continue;
      case kKeyThreadID:
      case kKeyExecutionThreadID: sys.put(kThreadID, text); continue;
      case kKeyEventTime: sys.put_copy(kTimeCreated, nxlog_time(text, received, b.scratch)); continue;
      case kKeyTimeCreated: sys.put_copy(kTimeCreated, iso_utc(text, b.scratch)); continue;
      case kKeyProcessID:
        if (nxlog && !execution_pid) sys.put(kProcessID, text); else b.data(key, text);
        continue;
      case kKeyType:
        if (!azure) b.data(key, text);
        continue;
      case kKeyEventData: b.data(key, text); continue;  // a plain string, not XML
      default:
        if (kind < kKeyFirstCollector) b.data(key, text);  // not a collector key: EventData
        continue;
    }
  }
  // Fallbacks after the loop, so a record's own values always win over them.
  if (opcode && opcode->scalar) sys.put(kOpcode, opcode_text(opcode->text));
  if (time_generated && time_generated->string) sys.put_copy(kTimeCreated, iso_utc(time_generated->text, b.scratch));
  return true;
}

// The members of a parsed document as FlatItems.
void flat_items(const Value& doc, std::vector<FlatItem>& items) {
  items.clear();
  for (auto it = doc.MemberBegin(); it != doc.MemberEnd(); ++it) {
    FlatItem item;
    item.key = view(it->name);
    item.kind = static_cast<std::int8_t>(kFlatTable.find(item.key));
    item.scalar = scalar_view(it->value, item.text);
    item.string = it->value.IsString();
    if (it->value.IsObject()) item.object = &it->value;
    items.push_back(item);
  }
}

// A reader for the common case, a flat record (NXLog): it reads the top level straight from the line,
// skips nested values and the values of collector keys without copying them (NXLog's ~1.3 KB "Message"),
// and decodes only the strings that carry escapes. It accepts only what RapidJSON reads the same way; on
// anything else (a form with nested System data, \u escapes, NaN, damaged JSON) it says no and the line
// goes to RapidJSON, whose verdict and error message then stand.
class FlatReader {
 public:
  // `arena` receives decoded strings; the items' views point into `line` or `arena`.
  bool read(std::string_view line, std::vector<FlatItem>& items, std::string& arena) {
    p_ = line.data();
    end_ = line.data() + line.size();
    items.clear();
    arena.clear();
    arena.reserve(line.size());  // decoded text is never longer than its source: the views stay valid
    arena_ = &arena;
    space();
    if (!take('{')) return false;
    space();
    if (take('}')) return at_end();
    for (;;) {
      FlatItem& item = items.emplace_back();  // built in place: a copy of the struct costs a rep movs
      if (!string(item.key, true)) return false;
      const int kind = kFlatTable.find(item.key);
      item.kind = static_cast<std::int8_t>(kind);
      // Keys that make it another form (none is in kFlatKeys): RapidJSON's path tells those apart.
      if (kind < 0 && (item.key == "winlog" || item.key == "System" || item.key == "data" || item.key == "meta")) return false;
      space();
      if (!take(':')) return false;
      space();
      // Values no reader looks at: collector keys other than the three map_flat reads.
      const bool needed = kind < kKeyFirstCollector || kind == kKeyTimestamp || kind == kKeyOpcode ||
                          kind == kKeyTimeGenerated;
      if (p_ >= end_) return false;
      const char c = *p_;
      if (c == '"') {
        if (!string(item.text, needed)) return false;
        item.scalar = item.string = true;
      } else if (c == '{' || c == '[') {
        if (kind == kKeyEventData) return false;  // an EventData object: RapidJSON builds it
        if (!skip_nested(0)) return false;
      } else if (c == '-' || (c >= '0' && c <= '9')) {
        if (!number(item.text)) return false;
        item.scalar = item.string = true;
      } else if (literal("true")) {
        item.text = "true";
        item.scalar = true;
      } else if (literal("false")) {
        item.text = "false";
        item.scalar = true;
      } else if (!literal("null")) {
        return false;
      }
      space();
      if (take('}')) return at_end();
      if (!take(',')) return false;
      space();
    }
  }

 private:
  static constexpr int kMaxDepth = 32;

  bool take(char c) {
    if (p_ < end_ && *p_ == c) {
      ++p_;
      return true;
    }
    return false;
  }
  [[gnu::always_inline]] void space() {
    // One compare for the usual case, compact JSON: no byte above ' ' is white space.
    if (p_ < end_ && static_cast<unsigned char>(*p_) > ' ') return;
    while (p_ < end_ && (*p_ == ' ' || *p_ == '\t' || *p_ == '\n' || *p_ == '\r')) ++p_;
  }
  bool at_end() {
    space();
    return p_ == end_;
  }
  bool literal(std::string_view word) {
    if (static_cast<std::size_t>(end_ - p_) < word.size() || std::string_view(p_, word.size()) != word) return false;
    p_ += word.size();
    return true;
  }
  bool digits() {
    const char* start = p_;
    while (p_ < end_ && *p_ >= '0' && *p_ <= '9') ++p_;
    return p_ > start;
  }
  // A whole number of at most 300 digits, kept as written (RapidJSON's kParseNumbersAsStringsFlag does the
  // same). Fractions, exponents and longer numbers go to RapidJSON, which also range-checks them.
  bool number(std::string_view& out) {
    const char* start = p_;
    take('-');
    const char* first = p_;
    if (!digits() || p_ - first > 300 || (*first == '0' && p_ - first > 1)) return false;
    if (p_ < end_ && (*p_ == '.' || *p_ == 'e' || *p_ == 'E')) return false;
    out = std::string_view(start, static_cast<std::size_t>(p_ - start));
    return true;
  }
#if defined(__SSE2__)
  // The bytes of `v` that end a plain run inside a string: '"', '\\' and controls.
  static unsigned string_specials(__m128i v) {
    return simd::mask(_mm_or_si128(simd::control(v), _mm_or_si128(simd::eq(v, '"'), simd::eq(v, '\\'))));
  }
#endif
  // Offset of the next '"', '\\' or control byte at or after p_, or the distance to the end.
  std::size_t next_special() const {
    const char* p = p_;
    const std::size_t n = static_cast<std::size_t>(end_ - p_);
#if defined(__SSE2__)
    for (std::size_t i = 0; i < n; i += 16) {
      const std::size_t avail = n - i;
      const __m128i v = avail >= 16 ? simd::load(p + i) : simd::load_tail(p + i, avail);
      if (const unsigned m = string_specials(v)) return i + static_cast<std::size_t>(__builtin_ctz(m));
    }
    return n;
#else
    for (std::size_t i = 0; i < n; ++i)
      if (p[i] == '"' || p[i] == '\\' || static_cast<unsigned char>(p[i]) < 0x20) return i;
    return n;
#endif
  }
  // A string at p_ (on its opening quote). With `keep`, `out` is its value (decoded into the arena when
  // it has escapes); without, it is only checked.
  bool string(std::string_view& out, bool keep) {
#if defined(__SSE2__)
    if (!keep) return skip_string();
    // The common case, a key or value with no escape, in whole 16-byte blocks inside the line: found by
    // its closing quote alone. An escape, a control byte or the line's last bytes take the general path.
    if (p_ < end_ && *p_ == '"') {
      const char* start = p_ + 1;
      for (const char* q = start; end_ - q >= 16; q += 16) {
        const unsigned m = string_specials(simd::load(q));
        if (m == 0) continue;
        const char* at = q + __builtin_ctz(m);
        if (*at != '"') break;
        out = std::string_view(start, static_cast<std::size_t>(at - start));
        p_ = at + 1;
        return true;
      }
    }
#endif
    if (!take('"')) return false;
    const char* start = p_;
    std::size_t decoded_from = std::string::npos;  // arena offset of the decoded value, once an escape is seen
    for (;;) {
      const char* at = p_ + next_special();
      if (at >= end_) return false;
      if (keep && decoded_from != std::string::npos) arena_->append(p_, static_cast<std::size_t>(at - p_));
      p_ = at;
      const char c = *p_;
      if (c == '"') {
        ++p_;
        if (!keep) return true;
        out = decoded_from == std::string::npos
                  ? std::string_view(start, static_cast<std::size_t>(at - start))
                  : std::string_view(arena_->data() + decoded_from, arena_->size() - decoded_from);
        return true;
      }
      if (c != '\\' || p_ + 1 >= end_) return false;  // a raw control byte: RapidJSON reports it
      char decoded;
      switch (p_[1]) {
        case '"': decoded = '"'; break;
        case '\\': decoded = '\\'; break;
        case '/': decoded = '/'; break;
        case 'b': decoded = '\b'; break;
        case 'f': decoded = '\f'; break;
        case 'n': decoded = '\n'; break;
        case 'r': decoded = '\r'; break;
        case 't': decoded = '\t'; break;
        default: return false;  // \u (surrogates and all) and bad escapes: RapidJSON's business
      }
      if (keep) {
        if (decoded_from == std::string::npos) {
          decoded_from = arena_->size();
          arena_->append(start, static_cast<std::size_t>(p_ - start));
        }
        arena_->push_back(decoded);
      }
      p_ += 2;
    }
  }
  // Checks the string at p_ (on its opening quote) and moves past it, without decoding it: the escapes of
  // a long text such as NXLog's "Message" are handled inside each 16-byte block from its bit masks.
#if defined(__SSE2__)
  bool skip_string() {
    if (!take('"')) return false;
    const char* p = p_;
    unsigned carry = 0;  // 1: the block before ended in a backslash that escapes this block's first byte
    while (p < end_) {
      const std::size_t avail = static_cast<std::size_t>(end_ - p);
      const __m128i v = avail >= 16 ? simd::load(p) : simd::load_tail(p, avail, 'a');
      const unsigned quote = simd::mask(simd::eq(v, '"'));
      const unsigned control = simd::mask(simd::control(v));
      const unsigned backslash = simd::mask(simd::eq(v, '\\'));
      const unsigned escaped = ((backslash << 1) | carry) & 0xFFFF;
      // A Message's escapes are \r, \n and \t, two or three a block: when every escape of the block is one
      // of those, no quote is escaped and the block is settled by its masks. Anything else goes byte by byte.
      if (escaped != 0 && (backslash & escaped) == 0) {
        const __m128i letters = _mm_or_si128(simd::eq(v, 'n'), _mm_or_si128(simd::eq(v, 'r'), simd::eq(v, 't')));
        if ((escaped & ~simd::mask(letters)) == 0) {
          const unsigned before = quote != 0 ? (quote & (0u - quote)) - 1 : 0xFFFF;
          if ((control & before) != 0) return false;  // a raw control byte: RapidJSON reports it
          if (quote != 0) {
            p_ = p + __builtin_ctz(quote) + 1;
            return true;
          }
          carry = backslash >> 15;
          p += 16;
          continue;
        }
      }
      unsigned special = quote | control | backslash;
      if (carry != 0) {  // the block before ended in a backslash: this block's first byte is escaped
        if (!simple_escape(p[0])) return false;
        special &= ~1u;
        carry = 0;
      }
      const char* next = p + 16;
      while (special != 0) {
        const unsigned k = static_cast<unsigned>(__builtin_ctz(special));
        const unsigned bit = 1u << k;
        if (control & bit) return false;  // a raw control byte: RapidJSON reports it
        if (quote & bit) {
          p_ = p + k + 1;
          return true;
        }
        // A backslash: the byte after it must make a simple escape, and is no quote or backslash itself.
        if (p + k + 1 >= end_ || !simple_escape(p[k + 1])) return false;
        special &= ~(bit | (bit << 1));
        if (k == 15) next = p + 17;
      }
      p = next;
    }
    return false;
  }
#endif
  // The bytes that may follow a backslash in a string this reader decodes; by table, since a Message
  // holds an escape every few bytes.
  static constexpr std::array<bool, 256> kSimpleEscape = [] {
    std::array<bool, 256> t{};
    for (const unsigned char c : std::string_view("\"\\/bfnrt")) t[c] = true;
    return t;
  }();
  static bool simple_escape(char c) { return kSimpleEscape[static_cast<unsigned char>(c)]; }

  // Checks a nested object or array at p_ without keeping anything.
  bool skip_nested(int depth) {
    if (depth >= kMaxDepth) return false;
    const bool object = *p_ == '{';
    const char close = object ? '}' : ']';
    ++p_;
    space();
    if (take(close)) return true;
    std::string_view ignored;
    for (;;) {
      if (object) {
        if (p_ >= end_ || *p_ != '"' || !string(ignored, false)) return false;
        space();
        if (!take(':')) return false;
        space();
      }
      if (p_ >= end_) return false;
      const char c = *p_;
      bool ok;
      if (c == '"') ok = string(ignored, false);
      else if (c == '{' || c == '[') ok = skip_nested(depth + 1);
      else if (c == '-' || (c >= '0' && c <= '9')) ok = number(ignored);
      else ok = literal("true") || literal("false") || literal("null");
      if (!ok) return false;
      space();
      if (take(close)) return true;
      if (!take(',')) return false;
      space();
    }
  }

  const char* p_ = nullptr;
  const char* end_ = nullptr;
  std::string* arena_ = nullptr;
};

// Not string_view::find: it stops at every '"' of a line made of quoted strings.
std::size_t find_text(std::string_view hay, std::string_view needle, std::size_t from = 0) {
  if (from > hay.size()) return std::string_view::npos;
  const std::size_t at = from + simd::find(hay.data() + from, hay.size() - from, needle);
  return at < hay.size() ? at : std::string_view::npos;
}

// The value after a key that ends at `i`: a plain string (printable ASCII, no escapes) or, with `number`, a
// whole number quoted or not. nullopt when the key is not followed by ':' (it was a value that merely
// equals the key's text) or the value is anything else: the caller then parses the line in full.
std::optional<std::string_view> plain_value_after(std::string_view line, std::size_t i, bool number) {
  while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
  if (i >= line.size() || line[i] != ':') return std::nullopt;
  ++i;
  while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
  const bool quoted = i < line.size() && line[i] == '"';
  if (!quoted && !number) return std::nullopt;
  if (quoted) ++i;
  std::size_t end = i;
  if (number) {
    while (end < line.size() && line[end] >= '0' && line[end] <= '9') ++end;
    if (end == i || end >= line.size()) return std::nullopt;
    if (quoted ? line[end] != '"' : (line[end] != ',' && line[end] != '}' && line[end] != ' ')) return std::nullopt;
  } else {
    // Printable ASCII only: other bytes are checked and maybe repaired by the full parse.
    while (end < line.size() && line[end] != '"' && line[end] != '\\' && line[end] >= 0x20 && line[end] < 0x7F) ++end;
    if (end >= line.size() || line[end] != '"' || end == i) return std::nullopt;
  }
  return line.substr(i, end - i);
}

// The plain value of `key` (quoted, e.g. "\"Hostname\"") when the line has that key once; with `unique`
// false the search stops at the first one: enough when the answer will only let the line through to the
// full parse, which finds the real value anyway. `found` (when given) says whether the key's text is in
// the line at all.
std::optional<std::string_view> plain_value_of(std::string_view line, std::string_view key, bool number,
                                                bool unique = true, bool* found = nullptr) {
  const std::size_t at = find_text(line, key);
  if (found != nullptr) *found = at != std::string_view::npos;
  if (at == std::string_view::npos) return std::nullopt;
  if (unique && find_text(line, key, at + key.size()) != std::string_view::npos) return std::nullopt;
  return plain_value_after(line, at + key.size(), number);
}

// The event ID of a line read from its text, without parsing it: the value of its only "EventID" key, when
// the line has exactly one and it is a plain number. Lines whose ID is not wanted (most of a Security log)
// are then skipped at the cost of a search. Winlogbeat lines carry their ID under other names and have no
// such key, except inside an event's own data, which no Kerberos event has: they are parsed as before.
std::optional<std::uint32_t> quick_event_id(std::string_view line, bool unique = true) {
  const auto text = plain_value_of(line, "\"EventID\"", true, unique);
  std::uint32_t id = 0;
  if (!text || std::from_chars(text->data(), text->data() + text->size(), id).ec != std::errc()) return std::nullopt;
  return id;
}

class JsonSource final : public Source {
 public:
  explicit JsonSource(const SourceOptions& options) : wanted_(options.event_ids), on_filtered_(options.on_filtered) {}

  bool open(const std::string& path, std::uint64_t start, std::string& error) {
    path_ = path;
    position_ = start;
    return lines_.open(path, start, 0, error);
  }

  ReadStatus next(Record& out, std::string& error) override {
    for (;;) {
      std::string_view line;
      const auto result = done_ ? LineReader::Result::end : lines_.next(line);
      if (result == LineReader::Result::end) {
        if (!done_) position_ = lines_.next_offset();
        done_ = true;
        return ReadStatus::end;
      }
      if (result == LineReader::Result::error) {
        done_ = true;
        error = lines_.file().read_error();
        ++stats_.bad;
        return ReadStatus::bad;
      }
      if (result == LineReader::Result::too_long) {
        return bad(error, "the line is longer than " + std::to_string(LineReader::kDefaultMaxLine) + " bytes");
      }
      if (lines_.line_offset() == 0 && line.starts_with("\xEF\xBB\xBF")) line.remove_prefix(3);
      while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
      while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r')) line.remove_suffix(1);
      if (line.empty()) continue;
      const ReadStatus status = parse_line(line, out, error);
      if (status == ReadStatus::end) continue;  // filtered
      return status;
    }
  }

  std::uint64_t position() const override { return position_; }
  const SourceStats& stats() const override { return stats_; }

 private:
  ReadStatus bad(std::string& error, std::string_view what) {
    error = path_ + ": line " + std::to_string(lines_.line_number()) + " (offset " +
            std::to_string(lines_.line_offset()) + "): " + std::string(what);
    ++stats_.bad;
    position_ = lines_.next_offset();
    return ReadStatus::bad;
  }

  bool wanted(std::uint32_t id) const {
    return wanted_.empty() || std::find(wanted_.begin(), wanted_.end(), id) != wanted_.end();
  }

  // Names a filtered line to the checkpoint from values found by search, as its EventID was: NXLog's
  // "Hostname", "RecordNumber" and "Channel" (which map_flat reads as Computer, EventRecordID, Channel), or
  // OpenWEC's "Computer", "EventRecordID" and "Channel" inside "System". A flat line without "RecordNumber"
  // could not be named by a full parse either and is skipped as it is. False for anything unusual: the
  // caller then parses the line in full and names it from the record.
  bool report_quick(std::string_view line) const {
    // Each name is searched for once: this runs for every filtered line, most of a Security log.
    bool has_record_number = false, has_record_id = false, has_computer = false, has_channel = false;
    const auto record_number = plain_value_of(line, "\"RecordNumber\"", true, true, &has_record_number);
    const auto record_id = plain_value_of(line, "\"EventRecordID\"", true, true, &has_record_id);
    const bool nxlog = has_record_number;
    if (!nxlog && !(has_record_id && find_text(line, "\"System\"") != std::string_view::npos))
      return true;  // flat forms keep any other record number as EventData
    const auto computer = plain_value_of(line, "\"Computer\"", false, true, &has_computer);
    if (nxlog && (has_computer || has_record_id)) return false;  // names map_flat may prefer
    const auto host = nxlog ? plain_value_of(line, "\"Hostname\"", false) : computer;
    const auto record = nxlog ? record_number : record_id;
    if (!host || !record) return false;
    FilteredRecord filtered;
    filtered.computer = *host;
    if (std::from_chars(record->data(), record->data() + record->size(), filtered.record_id).ec != std::errc())
      return false;
    const auto channel = plain_value_of(line, "\"Channel\"", false, true, &has_channel);
    if (channel) filtered.channel = *channel;
    else if (has_channel) return false;  // there, but not plain
    on_filtered_(filtered);
    return true;
  }

  ReadStatus parse_line(std::string_view line, Record& out, std::string& error) {
    if (!wanted_.empty()) {
      // Decided before parsing: an unwanted line costs a search, not a parse (damage elsewhere in such a
      // line goes unreported, as it would have been skipped anyway).
      // The first "EventID" decides cheaply; only a line it would skip pays for the check that the key
      // is the line's only one.
      // When a filtered line must be named to the checkpoint and its names are not plainly there, the full
      // parse below reads them.
      if (const auto id = quick_event_id(line, false);
          id && !wanted(*id) && quick_event_id(line) && (!on_filtered_ || report_quick(line))) {
        ++stats_.filtered;
        position_ = lines_.next_offset();
        return ReadStatus::end;
      }
    }
    if (const auto nul = line.find('\0'); nul != std::string_view::npos)
      return bad(error, "binary data (a NUL byte) at column " + std::to_string(nul + 1));
    sys_.reset();
    Builder builder{out, recycler_, sys_, std::move(scratch_)};
    std::string why;
    bool ok = true;
    if (flat_reader_.read(line, items_, arena_)) {
      builder.in_place = true;
      out.event_id = 0;
      ok = map_flat(items_, builder, why);
    } else {
      recycler_.recycle(out);
      buffer_.assign(line);
      // RapidJSON's SSE2 scans read whole aligned 16-byte blocks, up to 15 bytes past the terminator: pad
      // them into the allocation (the first NUL still ends the text).
      buffer_.append(15, '\0');
      // The pool keeps every chunk it ever allocated until cleared: without this, memory grows with the file.
      doc_.SetNull();
      pool_.Clear();
      constexpr unsigned kFlags = rapidjson::kParseInsituFlag | rapidjson::kParseNumbersAsStringsFlag |
                                  rapidjson::kParseNanAndInfFlag;
      doc_.ParseInsitu<kFlags>(buffer_.data());
      if (doc_.HasParseError()) {
        scratch_ = std::move(builder.scratch);
        return bad(error, std::string("invalid JSON at column ") + std::to_string(doc_.GetErrorOffset() + 1) + ": " +
                              rapidjson::GetParseError_En(doc_.GetParseError()));
      }
      if (!doc_.IsObject()) {
        scratch_ = std::move(builder.scratch);
        return bad(error, "the line is JSON but not an object");
      }
      // One pass over the top level finds the keys that tell the forms apart (first occurrence, as FindMember).
      const Value* winlog = nullptr;
      const Value* system = nullptr;
      const Value* raw = nullptr;
      bool meta = false;
      for (auto it = doc_.MemberBegin(); it != doc_.MemberEnd(); ++it) {
        const std::string_view key = view(it->name);
        if (key == "winlog") { if (!winlog) winlog = &it->value; }
        else if (key == "System") { if (!system) system = &it->value; }
        else if (key == "data") { if (!raw) raw = &it->value; }
        else if (key == "meta") meta = true;
      }
      if (winlog && winlog->IsObject()) {
        map_winlogbeat(doc_, *winlog, builder);
      } else if (system && system->IsObject()) {
        map_openwec(doc_, *system, builder);
      } else if (raw && raw->IsString() && meta) {
        std::size_t where = 0;  // OpenWEC's raw form: the event XML as received
        if (!xml::parse_event(view(*raw), out, why, where)) {
          why = "event XML in \"data\" at character " + std::to_string(where) + ": " + why;
          ok = false;
        }
      } else {
        flat_items(doc_, items_);
        ok = map_flat(items_, builder, why);
      }
    }
    scratch_ = std::move(builder.scratch);
    if (!ok) return bad(error, why);
    if (builder.in_place) {
      recycler_.trim(out.data, builder.data_used);
      std::size_t n = 0;
      for (std::size_t i = 0; i < kSysCount; ++i)
        if (sys_.set[i]) recycler_.put(out.system, n++, kSysNames[i], sys_.value[i]);
      recycler_.trim(out.system, n);
    } else if (out.system.empty()) {
      for (std::size_t i = 0; i < kSysCount; ++i)
        if (sys_.set[i]) recycler_.add(out.system, kSysNames[i], sys_.value[i]);
    }
    const std::string* id = out.system_field("EventID");
    std::uint32_t event_id = 0;
    if (!id) return bad(error, "no event ID (EventID, winlog.event_id or System.EventID)");
    if (std::from_chars(id->data(), id->data() + id->size(), event_id).ptr != id->data() + id->size() || id->empty())
      return bad(error, "event ID '" + *id + "' is not a number");
    out.event_id = event_id;
    // Every value comes from the line (JSON escapes and XML references always decode to valid UTF-8), so
    // one check of the whole line clears them all; only a line with a damaged byte is repaired field by field.
    if (!is_valid_utf8(line)) {
      for (auto& f : out.system) sanitize_utf8(f.value);
      for (auto& f : out.data) {
        sanitize_utf8(f.name);
        sanitize_utf8(f.value);
      }
    }
    if (!wanted(event_id)) {
      ++stats_.filtered;
      report_filtered(on_filtered_, out);
      position_ = lines_.next_offset();
      return ReadStatus::end;
    }
    ++stats_.records;
    position_ = lines_.next_offset();
    return ReadStatus::record;
  }

  LineReader lines_;
  SystemValues sys_;
  FieldRecycler recycler_;
  FlatReader flat_reader_;
  std::vector<FlatItem> items_;
  std::string arena_;
  std::string scratch_;
  std::vector<std::uint32_t> wanted_;
  FilteredHandler on_filtered_;
  std::string path_;
  std::string buffer_;
  // One line's values live in pool_buffer_; only an unusually large line makes the pool allocate more.
  std::vector<char> pool_buffer_ = std::vector<char>(256 * 1024);
  rapidjson::MemoryPoolAllocator<> pool_{pool_buffer_.data(), pool_buffer_.size()};
  rapidjson::Document doc_{&pool_};
  std::uint64_t position_ = 0;
  SourceStats stats_;
  bool done_ = false;
};

}  // namespace

std::unique_ptr<Source> open_json_source(const std::string& path, const SourceOptions& options, std::string& error) {
  auto source = std::make_unique<JsonSource>(options);
  if (!source->open(path, options.resume_position, error)) return nullptr;
  return source;
}

}  // namespace ki
