// Rendered event XML, as `wevtutil qe /f:xml`, Splunk's XmlWinEventLog and Windows Event Collector files
// write it: one or many <Event> elements, with or without an <Events> wrapper or xmlns. The file is read
// through a bounded window, one <Event> at a time, and each is scanned without building a DOM.
//
// Decisions: invalid UTF-8 inside an event is replaced by U+FFFD and the record kept (one damaged byte
// should not hide a Kerberos failure); bytes between events that are not markup form ONE bad record per
// stretch; an event longer than kMaxEventBytes is one bad record, skipped without being held whole.
#include <algorithm>
#include <charconv>
#include <cstring>
#include <optional>

#include "source/file_reader.hpp"
#include "source/source.hpp"
#include "source/xml/xml_event.hpp"
#include "util/simd.hpp"

namespace ki {

namespace {

constexpr std::size_t kMaxEventBytes = 1u << 20;

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// 1: "<Event" starts an event at `i`; 0: it does not; -1: the window ends too early to tell.
int event_start_at(std::string_view w, std::size_t i) {
  constexpr std::string_view tag = "<Event";
  const std::size_t avail = w.size() - i;
  if (avail < tag.size() + 1) return w.substr(i) == tag.substr(0, avail) ? -1 : 0;
  if (w.compare(i, tag.size(), tag) != 0) return 0;
  const char c = w[i + tag.size()];
  return (is_space(c) || c == '>' || c == '/') ? 1 : 0;
}

// The text of the first <EventID> element as a number, found by search rather than by parsing the event:
// enough to skip an unwanted event. nullopt when it is not plainly there; the full parse then decides.
std::optional<std::uint32_t> quick_event_id(std::string_view xml) {
  constexpr std::string_view kTag = "<EventID";  // not find(): it would stop at every '<'
  const std::size_t at = simd::find(xml.data(), xml.size(), kTag);
  if (at >= xml.size()) return std::nullopt;
  const auto close = xml.find('>', at);
  if (close == std::string_view::npos) return std::nullopt;
  std::size_t i = close + 1;
  while (i < xml.size() && is_space(xml[i])) ++i;
  std::uint32_t id = 0;
  const auto result = std::from_chars(xml.data() + i, xml.data() + xml.size(), id);
  if (result.ec != std::errc() || result.ptr == xml.data() + i) return std::nullopt;
  std::size_t end = static_cast<std::size_t>(result.ptr - xml.data());
  while (end < xml.size() && is_space(xml[end])) ++end;
  if (xml.compare(end, 10, "</EventID>") != 0) return std::nullopt;
  return id;
}

// The trimmed text of the first element `open_tag` ("<Name") in `xml`, when it is plain: no attribute, no
// reference, no markup, not empty. `found` says whether `open_tag` is in `xml` at all.
std::optional<std::string_view> plain_text_of(std::string_view xml, std::string_view open_tag, bool& found) {
  const std::size_t at = simd::find(xml.data(), xml.size(), open_tag);
  found = at < xml.size();
  const std::size_t begin = at + open_tag.size();
  if (at >= xml.size() || begin >= xml.size() || xml[begin] != '>') return std::nullopt;
  const std::size_t end = begin + 1 + simd::find_byte(xml.data() + begin + 1, xml.size() - begin - 1, '<');
  if (end >= xml.size() || xml.compare(end + 1, 1, "/") != 0) return std::nullopt;
  std::string_view text = xml.substr(begin + 1, end - begin - 1);
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  if (text.empty() || text.find('&') != std::string_view::npos) return std::nullopt;
  return text;
}

class XmlSource final : public Source {
 public:
  XmlSource(const SourceOptions& options)
      : reader_(kMaxEventBytes), wanted_(options.event_ids), on_filtered_(options.on_filtered) {}

  bool open(const std::string& path, std::uint64_t start, std::string& error) {
    path_ = path;
    position_ = start;
    if (!reader_.open(path, start, error)) return false;
    const std::string_view w = reader_.window();
    if (start == 0 && (w.starts_with("\xFF\xFE") || w.starts_with("\xFE\xFF"))) utf16_ = true;
    if (start == 0 && w.starts_with("\xEF\xBB\xBF")) reader_.consume(3);
    return true;
  }

  ReadStatus next(Record& out, std::string& error) override {
    if (utf16_) {
      utf16_ = false;
      done_ = true;
      return bad(error, 0, "the file is UTF-16; convert it to UTF-8 first (e.g. with iconv)");
    }
    while (!done_) {
      skip_space();
      std::string_view w = reader_.window();
      if (w.empty()) {
        if (!reader_.read_error().empty()) {
          done_ = true;
          error = reader_.read_error();
          ++stats_.bad;
          return ReadStatus::bad;
        }
        done_ = true;
        break;
      }
      const std::uint64_t at = reader_.offset();
      if (w[0] != '<') {
        skip_garbage();
        return bad(error, at, "bytes that are not an <Event> element");
      }
      const int start = need_event_start();
      w = reader_.window();
      if (start == 1) {
        const ReadStatus status = read_event(out, error);
        if (status == ReadStatus::end) continue;  // filtered
        return status;
      }
      // Markup around events: declarations, comments, the <Events> wrapper.
      std::string_view terminator = ">";
      if (w.starts_with("<?")) terminator = "?>";
      else if (w.starts_with("<!--")) terminator = "-->";
      else if (!(starts_with_tag(w, "<Events") || starts_with_tag(w, "</Events") || w.starts_with("<!"))) {
        skip_garbage();
        return bad(error, at, "an element that is not <Event>");
      }
      std::size_t end;
      if (!find_in_window(terminator, 1, end)) {
        skip_garbage();
        return bad(error, at, "unterminated markup");
      }
      reader_.consume(end + terminator.size());
    }
    position_ = reader_.offset();
    return ReadStatus::end;
  }

  std::uint64_t position() const override { return position_; }
  const SourceStats& stats() const override { return stats_; }

 private:
  static bool starts_with_tag(std::string_view w, std::string_view tag) {
    if (!w.starts_with(tag)) return false;
    if (w.size() == tag.size()) return true;
    const char c = w[tag.size()];
    return is_space(c) || c == '>' || c == '/';
  }

  ReadStatus bad(std::string& error, std::uint64_t at, std::string_view what) {
    error = path_ + ": offset " + std::to_string(at) + ": " + std::string(what);
    ++stats_.bad;
    position_ = reader_.offset();
    return ReadStatus::bad;
  }

  void skip_space() {
    for (;;) {
      const std::string_view w = reader_.window();
      std::size_t i = 0;
      while (i < w.size() && is_space(w[i])) ++i;
      reader_.consume(i);
      if (i < w.size() || !reader_.fill()) return;
    }
  }

  // Whether the window starts an <Event>, reading more bytes when it is too short to tell.
  int need_event_start() {
    for (;;) {
      const int r = event_start_at(reader_.window(), 0);
      if (r >= 0) return r;
      if (!reader_.fill()) return 0;
    }
  }

  // Finds `needle` at or after `from` in the window, reading more as needed, within the window's bound.
  bool find_in_window(std::string_view needle, std::size_t from, std::size_t& at) {
    for (;;) {
      const std::string_view w = reader_.window();
      const auto found = w.find(needle, from);
      if (found != std::string_view::npos) {
        at = found;
        return true;
      }
      from = w.size() >= needle.size() ? std::max(from, w.size() - needle.size() + 1) : from;
      if (!reader_.fill()) return false;
    }
  }

  // Drops bytes up to the next "<Event" start (or the end of the file), keeping memory bounded.
  void skip_garbage() {
    std::size_t from = 1;
    for (;;) {
      const std::string_view w = reader_.window();
      std::size_t i = from;
      while (i < w.size()) {
        const void* lt = std::memchr(w.data() + i, '<', w.size() - i);
        if (!lt) {
          i = w.size();
          break;
        }
        i = static_cast<const char*>(lt) - w.data();
        const int r = event_start_at(w, i);
        if (r == 1) {
          reader_.consume(i);
          return;
        }
        if (r == -1) break;  // need more bytes to decide
        ++i;
      }
      reader_.consume(i);
      from = 0;
      if (!reader_.fill()) {
        reader_.consume(reader_.window().size());
        return;
      }
    }
  }

  // The window starts with an event start tag: find its end tag "</Event>". An event that meets the start
  // of another before its end is truncated. One scan for "Event" finds both: the bytes before each hit
  // tell a start tag ("<Event") from an end tag ("</Event") from the other names that begin with it
  // (<EventID>, </EventData> ...), which are checked one by one.
  ReadStatus read_event(Record& out, std::string& error) {
    const std::uint64_t at = reader_.offset();
    constexpr std::string_view kName = "Event";
    std::size_t from = 2;  // where the search for "Event" resumes; 1 is the event's own name
    for (;;) {
      const std::string_view w = reader_.window();
      std::size_t end = 0;   // just past the end tag, once found
      std::size_t next = 0;  // where a nested start tag begins, once found
      while (from < w.size()) {
        const std::size_t k = from + simd::find(w.data() + from, w.size() - from, kName);
        if (k >= w.size()) {
          from = std::max(from, w.size() - std::min(w.size(), kName.size() - 1));  // a partial "Even" may end it
          break;
        }
        if (w[k - 1] == '<') {  // "<Event..."
          const int start = event_start_at(w, k - 1);
          if (start == 1) {
            next = k - 1;
            break;
          }
          if (start == -1) {  // the window ends too early to tell
            from = k;
            break;
          }
        } else if (w[k - 1] == '/' && w[k - 2] == '<') {  // "</Event..."
          std::size_t j = k + kName.size();
          while (j < w.size() && is_space(w[j])) ++j;
          if (j >= w.size()) {
            from = k;  // "</Event   " at the end of the window: read more to see what follows
            break;
          }
          if (w[j] == '>') {
            end = j + 1;
            break;
          }
        }
        from = k + 1;
      }
      if (next != 0) {
        reader_.consume(next);  // keep the next event for the next call
        return bad(error, at, "truncated <Event>: a new <Event> starts at offset " + std::to_string(at + next));
      }
      if (end != 0) return finish_event(w.substr(0, end), at, out, error);
      if (reader_.full()) {
        skip_garbage();
        return bad(error, at, "an <Event> longer than " + std::to_string(kMaxEventBytes) + " bytes");
      }
      if (!reader_.fill()) {
        if (!reader_.read_error().empty()) {
          const std::string message = reader_.read_error();
          reader_.consume(reader_.window().size());
          error = message;
          ++stats_.bad;
          done_ = true;
          return ReadStatus::bad;
        }
        reader_.consume(reader_.window().size());
        return bad(error, at, "truncated <Event>: the file ends before </Event>");
      }
    }
  }

  bool wanted(std::uint32_t id) const {
    return wanted_.empty() || std::find(wanted_.begin(), wanted_.end(), id) != wanted_.end();
  }

  ReadStatus finish_event(std::string_view xml, std::uint64_t at, Record& out, std::string& error) {
    if (!wanted_.empty()) {
      // Most events of a Security log are not Kerberos: skip them before building a Record (damage
      // elsewhere in such an event goes unreported, as it would have been skipped anyway).
      // When the filtered event must be reported and its System values are not plainly there, the full
      // parse below reads them.
      if (const auto id = quick_event_id(xml); id && !wanted(*id) && (!on_filtered_ || report_quick(xml))) {
        reader_.consume(xml.size());
        ++stats_.filtered;
        return ReadStatus::end;
      }
    }
    std::size_t where = 0;
    std::string why;
    const bool ok = xml::parse_event(xml, out, why, where, &recycler_);
    // Every value comes from these bytes (references decode to valid UTF-8): check them once, and repair
    // field by field only when a byte is damaged.
    const bool valid = !ok || is_valid_utf8(xml);
    reader_.consume(xml.size());
    if (!ok) return bad(error, at + where, why);
    if (!valid) {
      for (auto& f : out.system) sanitize_utf8(f.value);
      for (auto& f : out.data) {
        sanitize_utf8(f.name);
        sanitize_utf8(f.value);
      }
    }
    if (!wanted(out.event_id)) {
      ++stats_.filtered;
      report_filtered(on_filtered_, out);
      return ReadStatus::end;
    }
    ++stats_.records;
    position_ = reader_.offset();
    return ReadStatus::record;
  }

  // Reports a filtered event from the plain text of its System children, found by search as its EventID
  // was. An event without a Computer or an EventRecordID could not be named by a full parse either and is
  // skipped as it is; false when they are there but not plain, for the full parse to read.
  bool report_quick(std::string_view xml) const {
    const std::size_t system_end = simd::find(xml.data(), xml.size(), "</System>");
    if (system_end >= xml.size()) return false;
    const std::string_view system = xml.substr(0, system_end);
    // Each name is searched for once: this runs for every filtered event, most of a Security log.
    bool has_computer = false, has_record_id = false, has_channel = false;
    const auto computer = plain_text_of(system, "<Computer", has_computer);
    const auto id_text = plain_text_of(system, "<EventRecordID", has_record_id);
    if (!has_computer || !has_record_id) return true;
    if (!computer || !id_text) return false;
    FilteredRecord filtered;
    const auto [end, ec] = std::from_chars(id_text->data(), id_text->data() + id_text->size(), filtered.record_id);
    if (ec != std::errc() || end != id_text->data() + id_text->size()) return false;
    filtered.computer = *computer;
    if (const auto channel = plain_text_of(system, "<Channel", has_channel)) filtered.channel = *channel;
    else if (has_channel) return false;  // there, but not plain
    on_filtered_(filtered);
    return true;
  }

  FileReader reader_;
  FieldRecycler recycler_;
  std::vector<std::uint32_t> wanted_;
  FilteredHandler on_filtered_;
  std::string path_;
  std::uint64_t position_ = 0;
  SourceStats stats_;
  bool done_ = false;
  bool utf16_ = false;
};

}  // namespace

std::unique_ptr<Source> open_xml_source(const std::string& path, const SourceOptions& options, std::string& error) {
  auto source = std::make_unique<XmlSource>(options);
  if (!source->open(path, options.resume_position, error)) return nullptr;
  return source;
}

}  // namespace ki
