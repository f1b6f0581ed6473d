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

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "source/file_reader.hpp"
#include "source/json/time_convert.hpp"
#include "source/source.hpp"
#include "source/xml/xml_event.hpp"

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

struct SystemValues {
  std::array<std::string, kSysCount> value;
  std::array<bool, kSysCount> set{};
  void put(Sys which, std::string text) {
    if (text.empty() || set[which]) return;  // the first writer wins; empty counts as absent
    value[which] = std::move(text);
    set[which] = true;
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

bool is_collector_key(std::string_view key) {
  return std::find(kCollectorKeys.begin(), kCollectorKeys.end(), key) != kCollectorKeys.end();
}

std::string_view view(const Value& v) { return {v.GetString(), v.GetStringLength()}; }

// Scalar text of a value (numbers arrive as their written text); false for null, objects and arrays.
bool scalar_text(const Value& v, std::string& out) {
  if (v.IsString()) {
    out.assign(v.GetString(), v.GetStringLength());
    return true;
  }
  if (v.IsBool()) {
    out = v.GetBool() ? "true" : "false";
    return true;
  }
  return false;
}

// Any value as text: scalars as above, objects and arrays as compact JSON.
std::string any_text(const Value& v) {
  std::string out;
  if (scalar_text(v, out) || v.IsNull()) return out;
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  v.Accept(writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

const Value* member(const Value& object, std::string_view name) {
  if (!object.IsObject()) return nullptr;
  const auto it = object.FindMember(Value(rapidjson::StringRef(name.data(), name.size())));
  return it == object.MemberEnd() ? nullptr : &it->value;
}

std::string text_of(const Value* v) {
  std::string out;
  if (v) scalar_text(*v, out);
  return out;
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Keywords as the XML writes them: NXLog gives the 64-bit mask as a signed decimal.
std::string keywords_text(std::string text) {
  if (text.empty()) return text;
  if (text.starts_with("0x") || text.starts_with("0X")) return text;
  std::uint64_t bits = 0;
  const char* b = text.data();
  const char* e = text.data() + text.size();
  if (!text.empty() && text[0] == '-') {
    std::int64_t signed_value = 0;
    if (std::from_chars(b, e, signed_value).ptr != e) return text;
    bits = static_cast<std::uint64_t>(signed_value);
  } else if (std::from_chars(b, e, bits).ptr != e) {
    return text;
  }
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(bits));
  return buf;
}

// Opcode names collectors print instead of the number (winmeta.xml's standard opcodes).
std::string opcode_text(std::string text) {
  if (all_digits(text)) return text;
  if (text == "Info") return "0";
  if (text == "Start") return "1";
  if (text == "Stop") return "2";
  return {};
}

std::string iso_utc(std::string_view text) {
  const auto parsed = timefmt::parse_iso(text);
  if (!parsed) return std::string(text);  // unknown form: kept as written, the normalizer decides
  return timefmt::format_utc(parsed->seconds, parsed->fraction);
}

// NXLog's zone-less EventTime, placed in UTC with the help of the reception "@timestamp".
std::string nxlog_time(std::string_view event_time, const Value* received) {
  const auto local = timefmt::parse_iso(event_time);
  if (!local) return std::string(event_time);
  if (local->zoned) return timefmt::format_utc(local->seconds, local->fraction);
  std::int64_t offset = 0;
  if (received && received->IsString()) {
    if (const auto utc = timefmt::parse_iso(view(*received)); utc && utc->zoned) {
      const std::int64_t diff = utc->seconds - local->seconds;
      const std::int64_t quarter = 900;
      const std::int64_t rounded = (diff >= 0 ? diff + quarter / 2 : diff - quarter / 2) / quarter * quarter;
      if (rounded >= -14 * 3600 && rounded <= 14 * 3600) offset = rounded;
    }
  }
  return timefmt::format_utc(local->seconds + offset, local->fraction);
}

void add_data(Record& out, std::string name, std::string value) {
  out.data.push_back({std::move(name), std::move(value)});
}

void add_object_as_data(const Value& object, Record& out) {
  for (auto it = object.MemberBegin(); it != object.MemberEnd(); ++it) {
    const std::string_view name = view(it->name);
    if (name == "Data" && it->value.IsArray()) {  // OpenWEC's unnamed <Data> values
      std::uint32_t n = 0;
      for (const auto& item : it->value.GetArray()) {
        std::string field = "Data";
        append_decimal(field, ++n);
        add_data(out, std::move(field), any_text(item));
      }
      continue;
    }
    if (name == "Binary") continue;
    add_data(out, std::string(name), any_text(it->value));
  }
}

bool map_winlogbeat(const Value& doc, const Value& winlog, SystemValues& sys, Record& out) {
  sys.put(kEventID, text_of(member(winlog, "event_id")));
  if (const Value* event = member(doc, "event")) sys.put(kEventID, text_of(member(*event, "code")));
  sys.put(kProvider, text_of(member(winlog, "provider_name")));
  sys.put(kProviderGuid, text_of(member(winlog, "provider_guid")));
  sys.put(kVersion, text_of(member(winlog, "version")));
  sys.put(kOpcode, opcode_text(text_of(member(winlog, "opcode"))));
  if (std::string task = text_of(member(winlog, "task")); all_digits(task)) sys.put(kTask, task);
  if (const Value* keywords = member(winlog, "keywords"); keywords && keywords->IsArray()) {
    // Winlogbeat prints the names; Security's two audit keywords map back to the mask Windows writes.
    for (const auto& k : keywords->GetArray()) {
      if (!k.IsString()) continue;
      if (view(k) == "Audit Success") sys.put(kKeywords, "0x8020000000000000");
      if (view(k) == "Audit Failure") sys.put(kKeywords, "0x8010000000000000");
    }
  }
  if (const Value* t = member(winlog, "time_created"); t && t->IsString()) sys.put(kTimeCreated, iso_utc(view(*t)));
  if (const Value* t = member(doc, "@timestamp"); t && t->IsString()) sys.put(kTimeCreated, iso_utc(view(*t)));
  sys.put(kEventRecordID, text_of(member(winlog, "record_id")));
  if (const Value* process = member(winlog, "process")) {
    sys.put(kProcessID, text_of(member(*process, "pid")));
    if (const Value* thread = member(*process, "thread")) sys.put(kThreadID, text_of(member(*thread, "id")));
  }
  sys.put(kChannel, text_of(member(winlog, "channel")));
  sys.put(kComputer, text_of(member(winlog, "computer_name")));
  if (const Value* host = member(doc, "host")) sys.put(kComputer, text_of(member(*host, "name")));
  if (const Value* data = member(winlog, "event_data"); data && data->IsObject()) add_object_as_data(*data, out);
  if (const Value* data = member(winlog, "user_data"); data && data->IsObject()) add_object_as_data(*data, out);
  return true;
}

void map_openwec(const Value& doc, const Value& system, SystemValues& sys, Record& out) {
  if (const Value* provider = member(system, "Provider")) {
    sys.put(kProvider, text_of(member(*provider, "Name")));
    sys.put(kProviderGuid, text_of(member(*provider, "Guid")));
  }
  sys.put(kEventID, text_of(member(system, "EventID")));
  sys.put(kVersion, text_of(member(system, "Version")));
  sys.put(kLevel, text_of(member(system, "Level")));
  sys.put(kTask, text_of(member(system, "Task")));
  sys.put(kOpcode, text_of(member(system, "Opcode")));
  sys.put(kKeywords, keywords_text(text_of(member(system, "Keywords"))));
  if (const Value* t = member(system, "TimeCreated"); t && t->IsString()) sys.put(kTimeCreated, iso_utc(view(*t)));
  sys.put(kEventRecordID, text_of(member(system, "EventRecordID")));
  if (const Value* execution = member(system, "Execution")) {
    sys.put(kProcessID, text_of(member(*execution, "ProcessID")));
    sys.put(kThreadID, text_of(member(*execution, "ThreadID")));
  }
  sys.put(kChannel, text_of(member(system, "Channel")));
  sys.put(kComputer, text_of(member(system, "Computer")));
  if (const Value* data = member(doc, "EventData"); data && data->IsObject()) add_object_as_data(*data, out);
}

bool map_flat(const Value& doc, SystemValues& sys, Record& out, std::string& why) {
  const bool nxlog = member(doc, "SourceModuleType") || member(doc, "EventReceivedTime") || member(doc, "EventTime");
  const bool azure = member(doc, "TenantId") || member(doc, "_ResourceId") || member(doc, "SourceSystem");
  const bool execution_pid = member(doc, "ExecutionProcessID") != nullptr;
  std::string text;
  for (auto it = doc.MemberBegin(); it != doc.MemberEnd(); ++it) {
    const std::string_view key = view(it->name);
    const Value& v = it->value;
    if (key == "EventData" && v.IsString() && view(v).starts_with("<")) {
      Record fragment;  // Log Analytics keeps the event's <EventData> as XML text
      std::size_t where = 0;
      if (!xml::parse_event_data_fragment(view(v), fragment, why, where)) {
        why = "EventData XML at character " + std::to_string(where) + ": " + why;
        return false;
      }
      for (auto& f : fragment.data)
        if (!out.data_field(f.name)) out.data.push_back(std::move(f));
      continue;
    }
    if (key == "EventData" && v.IsObject()) {
      add_object_as_data(v, out);
      continue;
    }
    if (!scalar_text(v, text)) continue;  // objects, arrays and nulls are collector metadata
    if (key == "EventID") sys.put(kEventID, text);
    else if (key == "Hostname" || (key == "Computer" && azure)) sys.put(kComputer, text);
    else if (key == "RecordNumber") sys.put(kEventRecordID, text);
    else if (key == "SourceName" || (key == "EventSourceName" && azure)) sys.put(kProvider, text);
    else if (key == "ProviderGuid") sys.put(kProviderGuid, text);
    else if (key == "Channel") sys.put(kChannel, text);
    else if (key == "Version") sys.put(kVersion, text);
    else if (key == "Level") sys.put(kLevel, text);
    else if (key == "Task") sys.put(kTask, text);
    else if (key == "OpcodeValue") sys.put(kOpcode, text);
    else if (key == "Keywords") sys.put(kKeywords, keywords_text(text));
    else if (key == "ExecutionProcessID") sys.put(kProcessID, text);
    else if (key == "ThreadID" || key == "ExecutionThreadID") sys.put(kThreadID, text);
    else if (key == "EventTime") sys.put(kTimeCreated, nxlog_time(text, member(doc, "@timestamp")));
    else if (key == "TimeCreated") sys.put(kTimeCreated, iso_utc(text));
    else if (key == "ProcessID" && nxlog && !execution_pid) sys.put(kProcessID, text);
    else if (key == "Type" && azure) continue;
    else if (!is_collector_key(key)) add_data(out, std::string(key), text);
  }
  // Fallbacks after the loop, so a record's own values always win over them.
  if (const Value* opcode = member(doc, "Opcode")) sys.put(kOpcode, opcode_text(text_of(opcode)));
  if (const Value* t = member(doc, "TimeGenerated"); t && t->IsString()) sys.put(kTimeCreated, iso_utc(view(*t)));
  return true;
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

  ReadStatus parse_line(std::string_view line, Record& out, std::string& error) {
    if (const auto nul = line.find('\0'); nul != std::string_view::npos)
      return bad(error, "binary data (a NUL byte) at column " + std::to_string(nul + 1));
    buffer_.assign(line);
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
    out.clear();
    SystemValues sys;
    std::string why;
    const Value* winlog = member(doc_, "winlog");
    const Value* system = member(doc_, "System");
    const Value* raw = member(doc_, "data");
    if (winlog && winlog->IsObject()) {
      map_winlogbeat(doc_, *winlog, sys, out);
    } else if (system && system->IsObject()) {
      map_openwec(doc_, *system, sys, out);
    } else if (raw && raw->IsString() && member(doc_, "meta")) {
      std::size_t where = 0;  // OpenWEC's raw form: the event XML as received
      if (!xml::parse_event(view(*raw), out, why, where))
        return bad(error, "event XML in \"data\" at character " + std::to_string(where) + ": " + why);
    } else if (!map_flat(doc_, sys, out, why)) {
      return bad(error, why);
    }
    if (out.system.empty()) {
      for (std::size_t i = 0; i < kSysCount; ++i)
        if (sys.set[i]) out.system.push_back({std::string(kSysNames[i]), std::move(sys.value[i])});
    }
    const std::string* id = out.system_field("EventID");
    std::uint32_t event_id = 0;
    if (!id) return bad(error, "no event ID (EventID, winlog.event_id or System.EventID)");
    if (std::from_chars(id->data(), id->data() + id->size(), event_id).ptr != id->data() + id->size() || id->empty())
      return bad(error, "event ID '" + *id + "' is not a number");
    out.event_id = event_id;
    for (auto& f : out.system) sanitize_utf8(f.value);
    for (auto& f : out.data) {
      sanitize_utf8(f.name);
      sanitize_utf8(f.value);
    }
    if (!wanted_.empty() && std::find(wanted_.begin(), wanted_.end(), event_id) == wanted_.end()) {
      ++stats_.filtered;
      position_ = lines_.next_offset();
      return ReadStatus::end;
    }
    ++stats_.records;
    position_ = lines_.next_offset();
    return ReadStatus::record;
  }

  LineReader lines_;
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
