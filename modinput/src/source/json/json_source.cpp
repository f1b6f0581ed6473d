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

// The System values of one line, reused from line to line so their strings keep their capacity.
struct SystemValues {
  std::array<std::string, kSysCount> value;
  std::array<bool, kSysCount> set{};
  void reset() { set.fill(false); }
  void put(Sys which, std::string_view text) {
    if (text.empty() || set[which]) return;  // the first writer wins; empty counts as absent
    value[which].assign(text);
    set[which] = true;
  }
};

// What one line is being turned into, and the scratch space for converted values.
struct Builder {
  Record& out;
  FieldRecycler& fields;
  SystemValues& sys;
  std::string scratch;  // a converted value (time, keywords) between conversion and put()
  void data(std::string_view name, std::string_view value) { fields.add(out.data, name, value); }
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
std::string_view nxlog_time(std::string_view event_time, const Value* received, std::string& scratch) {
  const auto local = timefmt::parse_iso(event_time);
  if (!local) return event_time;
  scratch.clear();
  if (local->zoned) {
    timefmt::append_utc(scratch, local->seconds, local->fraction);
    return scratch;
  }
  std::int64_t offset = 0;
  if (received && received->IsString()) {
    if (const auto utc = timefmt::parse_iso(view(*received)); utc && utc->zoned) {
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
    sys.put(kTimeCreated, iso_utc(view(*t), b.scratch));
  if (const Value* t = member(doc, "@timestamp"); t && t->IsString()) sys.put(kTimeCreated, iso_utc(view(*t), b.scratch));
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
  sys.put(kKeywords, keywords_text(text_of(member(system, "Keywords")), b.scratch));
  if (const Value* t = member(system, "TimeCreated"); t && t->IsString())
    sys.put(kTimeCreated, iso_utc(view(*t), b.scratch));
  sys.put(kEventRecordID, text_of(member(system, "EventRecordID")));
  if (const Value* execution = member(system, "Execution")) {
    sys.put(kProcessID, text_of(member(*execution, "ProcessID")));
    sys.put(kThreadID, text_of(member(*execution, "ThreadID")));
  }
  sys.put(kChannel, text_of(member(system, "Channel")));
  sys.put(kComputer, text_of(member(system, "Computer")));
  if (const Value* data = member(doc, "EventData"); data && data->IsObject()) add_object_as_data(*data, b);
}

bool map_flat(const Value& doc, Builder& b, std::vector<std::int8_t>& kinds, std::string& why) {
  SystemValues& sys = b.sys;
  // First pass: classify every key once and note the keys that change how others are read.
  kinds.clear();
  bool nxlog = false, azure = false, execution_pid = false;
  const Value* timestamp = nullptr;
  const Value* opcode = nullptr;
  const Value* time_generated = nullptr;
  for (auto it = doc.MemberBegin(); it != doc.MemberEnd(); ++it) {
    const int kind = kFlatTable.find(view(it->name));
    kinds.push_back(static_cast<std::int8_t>(kind));
    if (kind == kKeySourceModuleType || kind == kKeyEventReceivedTime || kind == kKeyEventTime) nxlog = true;
    else if (kind == kKeyTenantId || kind == kKeyResourceId || kind == kKeySourceSystem) azure = true;
    else if (kind == kKeyExecutionProcessID) execution_pid = true;
    else if (kind == kKeyTimestamp && !timestamp) timestamp = &it->value;
    else if (kind == kKeyOpcode && !opcode) opcode = &it->value;
    else if (kind == kKeyTimeGenerated && !time_generated) time_generated = &it->value;
  }
  std::size_t index = 0;
  std::string_view text;
  for (auto it = doc.MemberBegin(); it != doc.MemberEnd(); ++it, ++index) {
    const std::string_view key = view(it->name);
    const int kind = kinds[index];
    const Value& v = it->value;
    if (kind == kKeyEventData && v.IsString() && view(v).starts_with("<")) {
      Record fragment;  // Log Analytics keeps the event's <EventData> as XML text
      std::size_t where = 0;
      if (!xml::parse_event_data_fragment(view(v), fragment, why, where)) {
        why = "EventData XML at character " + std::to_string(where) + ": " + why;
        return false;
      }
      for (auto& f : fragment.data)
        if (!b.out.data_field(f.name)) b.out.data.push_back(std::move(f));
      continue;
    }
    if (kind == kKeyEventData && v.IsObject()) {
      add_object_as_data(v, b);
      continue;
    }
    if (!scalar_view(v, text)) continue;  // objects, arrays and nulls are collector metadata
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
      case kKeyKeywords: sys.put(kKeywords, keywords_text(text, b.scratch)); continue;
      case kKeyExecutionProcessID: sys.put(kProcessID, text); continue;
      case kKeyThreadID:
      case kKeyExecutionThreadID: sys.put(kThreadID, text); continue;
      case kKeyEventTime: sys.put(kTimeCreated, nxlog_time(text, timestamp, b.scratch)); continue;
      case kKeyTimeCreated: sys.put(kTimeCreated, iso_utc(text, b.scratch)); continue;
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
  if (opcode) sys.put(kOpcode, opcode_text(text_of(opcode)));
  if (time_generated && time_generated->IsString()) sys.put(kTimeCreated, iso_utc(view(*time_generated), b.scratch));
  return true;
}

// The event ID of a line read from its text, without parsing it: the value of its only "EventID" key, when
// the line has exactly one and it is a plain number. Lines whose ID is not wanted (most of a Security log)
// are then skipped at the cost of a search. Winlogbeat lines carry their ID under other names and have no
// such key, except inside an event's own data, which no Kerberos event has: they are parsed as before.
// memmem: string_view::find stops at every '"' of a line made of quoted strings.
std::size_t find_text(std::string_view hay, std::string_view needle, std::size_t from = 0) {
  if (from > hay.size()) return std::string_view::npos;
  const void* at = ::memmem(hay.data() + from, hay.size() - from, needle.data(), needle.size());
  return at ? static_cast<std::size_t>(static_cast<const char*>(at) - hay.data()) : std::string_view::npos;
}

std::optional<std::uint32_t> quick_event_id(std::string_view line) {
  constexpr std::string_view kKey = "\"EventID\"";
  const auto at = find_text(line, kKey);
  if (at == std::string_view::npos || find_text(line, kKey, at + kKey.size()) != std::string_view::npos)
    return std::nullopt;
  std::size_t i = at + kKey.size();
  while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
  if (i >= line.size() || line[i] != ':') return std::nullopt;
  ++i;
  while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
  const bool quoted = i < line.size() && line[i] == '"';
  if (quoted) ++i;
  std::uint32_t id = 0;
  const auto result = std::from_chars(line.data() + i, line.data() + line.size(), id);
  if (result.ec != std::errc() || result.ptr == line.data() + i) return std::nullopt;
  const std::size_t end = static_cast<std::size_t>(result.ptr - line.data());
  if (end >= line.size()) return std::nullopt;
  const char next = line[end];
  if (quoted ? next != '"' : (next != ',' && next != '}' && next != ' ')) return std::nullopt;
  return id;
}

class JsonSource final : public Source {
 public:
  explicit JsonSource(const SourceOptions& options) : wanted_(options.event_ids) {}

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

  ReadStatus parse_line(std::string_view line, Record& out, std::string& error) {
    if (!wanted_.empty()) {
      // Decided before parsing: an unwanted line costs a search, not a parse (damage elsewhere in such a
      // line goes unreported, as it would have been skipped anyway).
      if (const auto id = quick_event_id(line); id && !wanted(*id)) {
        ++stats_.filtered;
        position_ = lines_.next_offset();
        return ReadStatus::end;
      }
    }
    if (const auto nul = line.find('\0'); nul != std::string_view::npos)
      return bad(error, "binary data (a NUL byte) at column " + std::to_string(nul + 1));
    buffer_.assign(line);
    // RapidJSON's SSE2 scan reads whole aligned 16-byte blocks, up to 15 bytes past the terminating NUL:
    // the padding keeps those reads inside the buffer.
    buffer_.append(16, '\0');
    // The pool keeps every chunk it ever allocated until cleared: without this, memory grows with the file.
    doc_.SetNull();
    pool_.Clear();
    constexpr unsigned kFlags = rapidjson::kParseInsituFlag | rapidjson::kParseNumbersAsStringsFlag |
                                rapidjson::kParseNanAndInfFlag;
    doc_.ParseInsitu<kFlags>(buffer_.data());
    if (doc_.HasParseError()) {
      return bad(error, std::string("invalid JSON at column ") + std::to_string(doc_.GetErrorOffset() + 1) + ": " +
                            rapidjson::GetParseError_En(doc_.GetParseError()));
    }
    if (!doc_.IsObject()) return bad(error, "the line is JSON but not an object");
    recycler_.recycle(out);
    sys_.reset();
    Builder builder{out, recycler_, sys_, std::move(scratch_)};
    std::string why;
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
    bool ok = true;
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
      ok = map_flat(doc_, builder, kinds_, why);
    }
    scratch_ = std::move(builder.scratch);
    if (!ok) return bad(error, why);
    if (out.system.empty()) {
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
  std::vector<std::int8_t> kinds_;
  std::string scratch_;
  std::vector<std::uint32_t> wanted_;
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
