#include "source/xml/xml_event.hpp"

#include <array>
#include <cstdint>
#include <cstring>

#include "source/file_reader.hpp"
#include "util/simd.hpp"

namespace ki::xml {

namespace {

constexpr std::size_t kMaxDepth = 64;

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// Bytes that end a tag name (kTagStop) or an attribute name (kAttrStop): one table load per byte instead
// of six compares in the loops that walk every name of an event. kTagStop also stops at '<', which a
// name may not hold, so that check costs no second scan.
constexpr std::uint8_t kTagStop = 1;
constexpr std::uint8_t kAttrStop = 2;
constexpr auto kStops = [] {
  std::array<std::uint8_t, 256> t{};
  for (unsigned char c : {' ', '\t', '\r', '\n', '>', '/'}) t[c] = kTagStop | kAttrStop;
  t[static_cast<unsigned char>('<')] |= kTagStop;
  t[static_cast<unsigned char>('=')] |= kAttrStop;
  return t;
}();
// Name equality without a call to memcmp: the names compared here are a few bytes long, and the call
// cost more than the compare (it showed in profiles once per tag).
bool same(std::string_view a, std::string_view b) {
  return a.size() == b.size() && simd::same_bytes(a.data(), b.data(), a.size());
}
bool stops(char c, std::uint8_t kind) { return (kStops[static_cast<unsigned char>(c)] & kind) != 0; }

std::string_view local_name(std::string_view qname) {
  const auto colon = qname.rfind(':');
  return colon == std::string_view::npos ? qname : qname.substr(colon + 1);
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) cp = 0xFFFD;
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// The System children whose text is the value, under the same canonical name.
constexpr std::array<std::string_view, 9> kSystemTextFields{
    "EventID", "Version", "Level", "Task", "Opcode", "Keywords", "EventRecordID", "Channel", "Computer"};

enum class Section : std::uint8_t { none, system, event_data, user_data, other };

enum class Target : std::uint8_t { none, system, data };

struct Attribute {
  std::string_view name;   // local name
  std::string_view value;  // raw, entities not decoded
};

class Parser {
 public:
  Parser(std::string_view xml, Record& out, bool fragment, FieldRecycler& fields)
      : xml_(xml), out_(out), fragment_(fragment), fields_(fields) {}

  bool run(std::string& why, std::size_t& where) {
    std::size_t p = 0;
    const std::size_t n = xml_.size();
    while (p < n) {
      const std::size_t q = p + simd::find_byte(xml_.data() + p, n - p, '<');  // inline: values are short
      if (q > p) {
        const std::string_view text = xml_.substr(p, q - p);
        if (depth_ == 0) {
          if (!trim(text).empty()) return fail("text outside the root element", p, why, where);
        } else if (target_ != Target::none) {
          append_decoded(current(), text);
        }
      }
      if (q >= n) break;
      p = q;
      // Dispatch on the byte after '<': nearly every tag is a start or an end tag, and they should not pay
      // for the four prefix tests of the rare kinds.
      const char kind = p + 1 < n ? xml_[p + 1] : '\0';
      const std::string_view rest = xml_.substr(p);
      if (kind != '!' && kind != '?' && kind != '/') {
        std::size_t after = 0;
        if (kind == 'D' ? data_element(p, after) : system_element(p, after)) {
          p = after;
          continue;
        }
        if (!start_tag(p, after, why, where)) return false;
        p = after;
        if (depth_ == 0) {  // a self-closing root
          if (!trim(xml_.substr(p)).empty()) return fail("bytes after the root element", p, why, where);
          return finish(why, where, p);
        }
      } else if (rest.starts_with("<!--")) {
        const auto end = xml_.find("-->", p + 4);
        if (end == std::string_view::npos) return fail("unterminated comment", p, why, where);
        p = end + 3;
      } else if (rest.starts_with("<![CDATA[")) {
        const auto end = xml_.find("]]>", p + 9);
        if (end == std::string_view::npos) return fail("unterminated CDATA section", p, why, where);
        if (target_ != Target::none) current().append(xml_.substr(p + 9, end - p - 9));
        p = end + 3;
      } else if (rest.starts_with("<?")) {
        const auto end = xml_.find("?>", p + 2);
        if (end == std::string_view::npos) return fail("unterminated processing instruction", p, why, where);
        p = end + 2;
      } else if (rest.starts_with("<!")) {
        const auto end = xml_.find('>', p + 2);
        if (end == std::string_view::npos) return fail("unterminated declaration", p, why, where);
        p = end + 1;
      } else {  // "</": the kinds above take every "<!" and "<?"
        const std::size_t end = p + 2 + simd::find_byte(xml_.data() + p + 2, n - p - 2, '>');
        if (end >= n) return fail("unterminated end tag", p, why, where);
        const std::string_view name = trim(xml_.substr(p + 2, end - p - 2));
        if (depth_ == 0) return fail("end tag </" + std::string(name) + "> without a start tag", p, why, where);
        if (!same(name, stack_[depth_ - 1]))
          return fail("end tag </" + std::string(name) + "> does not close <" + std::string(stack_[depth_ - 1]) + ">",
                      p, why, where);
        end_element();
        p = end + 1;
        if (depth_ == 0) {
          if (!trim(xml_.substr(p)).empty()) return fail("bytes after the root element", p, why, where);
          return finish(why, where, p);
        }
      }
    }
    if (depth_ > 0) return fail("<" + std::string(stack_[depth_ - 1]) + "> is not closed", n, why, where);
    return fail("no root element", 0, why, where);
  }

 private:
  static bool fail(std::string message, std::size_t at, std::string& why, std::size_t& where) {
    why = std::move(message);
    where = at;
    return false;
  }

  std::string& current() {
    return target_ == Target::system ? out_.system[target_index_].value : out_.data[target_index_].value;
  }

  bool finish(std::string& why, std::size_t& where, std::size_t p) {
    if (fragment_) return true;
    const std::string* id = out_.system_field("EventID");
    if (!id) return fail("the event has no EventID", p, why, where);
    std::uint64_t value = 0;
    if (id->empty() || id->size() > 10) return fail("EventID '" + *id + "' is not a number", p, why, where);
    for (char c : *id) {
      if (c < '0' || c > '9') return fail("EventID '" + *id + "' is not a number", p, why, where);
      value = value * 10 + static_cast<std::uint64_t>(c - '0');
    }
    if (value > 0xFFFFFFFFu) return fail("EventID '" + *id + "' is out of range", p, why, where);
    out_.event_id = static_cast<std::uint32_t>(value);
    return true;
  }

  // The common form of an EventData value, `<Data Name="name">text</Data>`, read in one step; false (and
  // nothing done) for any other form, which the general path then reads.
  bool data_element(std::size_t p, std::size_t& after) {
    constexpr std::string_view kOpen = "<Data Name=\"";
    constexpr std::string_view kClose = "</Data>";
    const std::size_t n = xml_.size();
    if (section_ != Section::event_data || target_ != Target::none || depth_ + 1 != (fragment_ ? 2u : 3u) ||
        n - p < kOpen.size() || !simd::same_bytes(xml_.data() + p, kOpen.data(), kOpen.size()))
      return false;
    const std::size_t name_begin = p + kOpen.size();
    // A name with a reference in it is left to the general path, which decodes it.
    const std::size_t quote = name_begin + simd::find_either(xml_.data() + name_begin, n - name_begin, '"', '&');
    if (quote + 1 >= n || xml_[quote] != '"' || xml_[quote + 1] != '>' || quote == name_begin) return false;
    const std::string_view name = xml_.substr(name_begin, quote - name_begin);
    const std::size_t text_begin = quote + 2;
    bool plain = true;
    const std::size_t lt = text_end(text_begin, plain);
    if (n - lt < kClose.size() || !simd::same_bytes(xml_.data() + lt, kClose.data(), kClose.size())) return false;
    add_text(fields_.add_named(out_.data, name).value, xml_.substr(text_begin, lt - text_begin), plain);
    after = lt + kClose.size();
    return true;
  }

  // Where the text starting at `begin` ends (its '<', or the end of the input); `plain` is cleared when
  // it holds a reference to decode.
  std::size_t text_end(std::size_t begin, bool& plain) const {
    const std::size_t n = xml_.size();
    const std::size_t at = begin + simd::find_either(xml_.data() + begin, n - begin, '<', '&');
    if (at >= n || xml_[at] == '<') return at;
    plain = false;
    return at + simd::find_byte(xml_.data() + at, n - at, '<');
  }
  static void add_text(std::string& out, std::string_view text, bool plain) {
    if (plain) out.append(text);
    else append_decoded(out, text);
  }

  // The common form of a System value, `<EventID>4768</EventID>`, read in one step; false (and nothing
  // done) for any other form or element.
  bool system_element(std::size_t p, std::size_t& after) {
    if (section_ != Section::system || target_ != Target::none || depth_ != 2) return false;
    const std::size_t n = xml_.size();
    // Up to the first '>': when the bytes before it are exactly a field's name, that is the whole tag.
    const std::size_t i = p + 1 + simd::find_byte(xml_.data() + p + 1, n - p - 1, '>');
    if (i >= n) return false;
    const std::string_view name = xml_.substr(p + 1, i - p - 1);
    const std::string_view* field = nullptr;
    for (const std::string_view& candidate : kSystemTextFields)
      if (same(name, candidate)) {
        field = &candidate;
        break;
      }
    if (field == nullptr) return false;
    const std::size_t text_begin = i + 1;
    bool plain = true;
    const std::size_t lt = text_end(text_begin, plain);
    const std::size_t close_end = lt + 2 + name.size();  // "</" name ">"
    if (close_end >= n || xml_[lt + 1] != '/' || xml_[close_end] != '>' ||
        !simd::same_bytes(xml_.data() + lt + 2, name.data(), name.size()))
      return false;
    add_text(fields_.add_named(out_.system, *field).value, xml_.substr(text_begin, lt - text_begin), plain);
    end_system_value(out_.system.size() - 1);
    after = close_end + 1;
    return true;
  }

  // Parses "<name attr='v' ...>" or ".../>" at `p`; `after` is the offset just past it.
  bool start_tag(std::size_t p, std::size_t& after, std::string& why, std::size_t& where) {
    const std::size_t n = xml_.size();
    std::size_t i = p + 1;
    const std::size_t name_begin = i;
    while (i < n && !stops(xml_[i], kTagStop)) ++i;
    const std::string_view qname = xml_.substr(name_begin, i - name_begin);
    if (qname.empty() || (i < n && xml_[i] == '<')) return fail("malformed start tag", p, why, where);
    attr_count_ = 0;
    bool self_closing = false;
    for (;;) {
      while (i < n && is_space(xml_[i])) ++i;
      if (i >= n) return fail("unterminated start tag <" + std::string(qname) + ">", p, why, where);
      if (xml_[i] == '>') {
        ++i;
        break;
      }
      if (xml_[i] == '/') {
        if (i + 1 < n && xml_[i + 1] == '>') {
          self_closing = true;
          i += 2;
          break;
        }
        return fail("malformed start tag <" + std::string(qname) + ">", i, why, where);
      }
      const std::size_t an = i;
      while (i < n && !stops(xml_[i], kAttrStop)) ++i;
      const std::string_view aname = xml_.substr(an, i - an);
      while (i < n && is_space(xml_[i])) ++i;
      if (i >= n || xml_[i] != '=' || aname.empty())
        return fail("malformed attribute in <" + std::string(qname) + ">", an, why, where);
      ++i;
      while (i < n && is_space(xml_[i])) ++i;
      if (i >= n || (xml_[i] != '"' && xml_[i] != '\''))
        return fail("attribute value without quotes in <" + std::string(qname) + ">", i, why, where);
      const char quote = xml_[i++];
      const std::size_t close = i + simd::find_byte(xml_.data() + i, n - i, quote);
      if (close >= n)
        return fail("unterminated attribute value in <" + std::string(qname) + ">", i, why, where);
      if (attr_count_ < attrs_.size()) attrs_[attr_count_++] = {local_name(aname), xml_.substr(i, close - i)};
      i = close + 1;
    }
    after = i;
    if (depth_ >= kMaxDepth) return fail("elements nested too deeply", p, why, where);
    stack_[depth_++] = qname;
    if (depth_ == 1 && local_name(qname) != (fragment_ ? "EventData" : "Event"))
      return fail("the root element is <" + std::string(qname) + ">, not <" + (fragment_ ? "EventData" : "Event") + ">",
                  p, why, where);
    start_element(local_name(qname));
    if (self_closing) end_element();
    return true;
  }

  std::string_view attribute(std::string_view name) const {
    for (std::size_t k = 0; k < attr_count_; ++k)
      if (same(attrs_[k].name, name)) return attrs_[k].value;
    return {};
  }
  bool has_attribute(std::string_view name) const {
    for (std::size_t k = 0; k < attr_count_; ++k)
      if (same(attrs_[k].name, name)) return true;
    return false;
  }

  void add_system(std::string_view name, std::string_view raw) {
    raw = trim(raw);
    if (raw.empty()) return;
    append_decoded(fields_.add_named(out_.system, name).value, raw);
  }

  void begin_capture(std::vector<Field>& fields, Target target, std::string_view name) {
    fields_.add_named(fields, name);
    target_ = target;
    target_index_ = fields.size() - 1;
    capture_depth_ = depth_;
  }

  void start_element(std::string_view name) {
    // A child inside a UserData element means it is not a leaf: drop the value collected so far.
    if (target_ == Target::data && section_ == Section::user_data && depth_ > capture_depth_) {
      out_.data.pop_back();
      target_ = Target::none;
    }
    const std::size_t data_depth = fragment_ ? 2 : 3;
    if (depth_ == 1) {
      section_ = fragment_ ? Section::event_data : Section::none;
      return;
    }
    if (!fragment_ && depth_ == 2) {
      if (same(name, "System")) section_ = Section::system;
      else if (same(name, "EventData")) section_ = Section::event_data;
      else if (same(name, "UserData")) section_ = Section::user_data;
      else section_ = Section::other;  // RenderingInfo, ProcessingErrorData, DebugData ...
      return;
    }
    if (section_ == Section::system && depth_ == 3) {
      if (same(name, "Provider")) {
        if (has_attribute("Name")) add_system("Provider", attribute("Name"));
        if (has_attribute("Guid")) add_system("ProviderGuid", attribute("Guid"));
      } else if (same(name, "TimeCreated")) {
        if (has_attribute("SystemTime")) add_system("TimeCreated", attribute("SystemTime"));
      } else if (same(name, "Execution")) {
        if (has_attribute("ProcessID")) add_system("ProcessID", attribute("ProcessID"));
        if (has_attribute("ThreadID")) add_system("ThreadID", attribute("ThreadID"));
      } else {
        for (std::string_view field : kSystemTextFields)
          if (same(name, field)) {
            begin_capture(out_.system, Target::system, field);
            break;  // the names are distinct
          }
      }
      return;
    }
    if (section_ == Section::event_data && depth_ == data_depth && same(name, "Data")) {
      const std::string_view raw_name = attribute("Name");
      // Names are plain words: decode only when there is a reference in them.
      const bool plain = simd::find_byte(raw_name.data(), raw_name.size(), '&') == raw_name.size();
      begin_capture(out_.data, Target::data, plain ? raw_name : std::string_view());
      std::string& field_name = out_.data.back().name;
      if (!plain) append_decoded(field_name, raw_name);
      if (field_name.empty()) {
        field_name = "Data";
        append_decimal(field_name, ++unnamed_);
      }
      return;
    }
    if (section_ == Section::user_data && depth_ >= 4) begin_capture(out_.data, Target::data, name);
  }

  // System values are trimmed; an empty one counts as absent. `index` is the last System field.
  void end_system_value(std::size_t index) {
    std::string& v = out_.system[index].value;
    const std::string_view t = trim(v);
    if (t.empty()) out_.system.pop_back();
    else if (t.size() != v.size()) v.assign(t);  // assign() copes with the overlap
  }

  void end_element() {
    if (target_ != Target::none && depth_ == capture_depth_) {
      if (target_ == Target::system) end_system_value(target_index_);
      target_ = Target::none;
    }
    --depth_;
  }

  std::string_view xml_;
  Record& out_;
  bool fragment_;
  FieldRecycler& fields_;
  std::array<std::string_view, kMaxDepth> stack_{};
  std::size_t depth_ = 0;
  std::array<Attribute, 16> attrs_{};
  std::size_t attr_count_ = 0;
  Section section_ = Section::none;
  Target target_ = Target::none;
  std::size_t target_index_ = 0;
  std::size_t capture_depth_ = 0;
  std::uint32_t unnamed_ = 0;
};

}  // namespace

void append_decoded(std::string& out, std::string_view raw) {
  std::size_t p = 0;
  for (;;) {
    const std::size_t amp = p + simd::find_byte(raw.data() + p, raw.size() - p, '&');
    if (amp >= raw.size()) {
      out.append(raw.substr(p));
      return;
    }
    out.append(raw.substr(p, amp - p));
    const auto semi = raw.find(';', amp + 1);
    if (semi == std::string_view::npos || semi - amp > 12) {
      out.push_back('&');
      p = amp + 1;
      continue;
    }
    const std::string_view ref = raw.substr(amp + 1, semi - amp - 1);
    bool ok = true;
    if (ref == "lt") out.push_back('<');
    else if (ref == "gt") out.push_back('>');
    else if (ref == "amp") out.push_back('&');
    else if (ref == "quot") out.push_back('"');
    else if (ref == "apos") out.push_back('\'');
    else if (ref.size() >= 2 && ref[0] == '#') {
      std::uint32_t cp = 0;
      const bool hex = ref[1] == 'x' || ref[1] == 'X';
      const std::string_view digits = ref.substr(hex ? 2 : 1);
      ok = !digits.empty();
      for (char c : digits) {
        std::uint32_t d;
        if (c >= '0' && c <= '9') d = static_cast<std::uint32_t>(c - '0');
        else if (hex && c >= 'a' && c <= 'f') d = static_cast<std::uint32_t>(c - 'a' + 10);
        else if (hex && c >= 'A' && c <= 'F') d = static_cast<std::uint32_t>(c - 'A' + 10);
        else {
          ok = false;
          break;
        }
        cp = cp * (hex ? 16 : 10) + d;
        if (cp > 0x10FFFF) cp = 0x110000;  // saturate: rendered as U+FFFD
      }
      if (ok) append_utf8(out, cp);
    } else {
      ok = false;
    }
    if (!ok) {
      out.append(raw.substr(amp, semi - amp + 1));
    }
    p = semi + 1;
  }
}

bool parse_event(std::string_view xml, Record& out, std::string& why, std::size_t& where, FieldRecycler* fields) {
  FieldRecycler local;
  FieldRecycler& recycler = fields ? *fields : local;
  recycler.recycle(out);
  Parser parser(xml, out, false, recycler);
  return parser.run(why, where);
}

bool parse_event_data_fragment(std::string_view xml, Record& out, std::string& why, std::size_t& where) {
  FieldRecycler fields;
  Parser parser(xml, out, true, fields);
  return parser.run(why, where);
}

}  // namespace ki::xml
