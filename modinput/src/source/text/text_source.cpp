// Classic text: Splunk's WinEventLog:Security rendering (a timestamp line, key=value header lines, then
// Message= and a body of "Label:\tvalue" lines under section headings), and the legacy 672-677 messages
// ("Service Ticket Request Failed: User Name: ... Failure Code: 7 ...") with or without that header.
// An event runs from its timestamp line (or, without a header, its legacy title line) to the next one.
//
// Decisions: the timestamp carries no zone (it is the Windows host's local time); it is written as
// TimeCreated as if it were UTC. Labels are mapped to Windows' EventData names by section and label;
// a label without a mapping keeps its words joined ("Some Label" -> "SomeLabel"). Legacy values stay
// verbatim ("Failure Code: 7" gives Status "7"); the normalizer canonicalizes codes. Invalid UTF-8 is
// replaced by U+FFFD; an event over 1 MiB is one bad record.
#include <algorithm>
#include <array>
#include <charconv>
#include <cstring>

#include "source/file_reader.hpp"
#include "source/json/time_convert.hpp"
#include "source/source.hpp"

namespace ki {

namespace {

constexpr std::size_t kMaxEventBytes = 1u << 20;

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

bool istarts_with(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && iequals(text.substr(0, prefix.size()), prefix);
}

struct Title {
  std::string_view text;
  std::uint32_t event_id;
};

// Legacy titles (Windows 2000 and 2003 wordings), longest first so "... Request Failed" wins over "... Request".
constexpr std::array<Title, 9> kLegacyTitles{{
    {"Authentication Ticket Request Failed", 676},
    {"Service Ticket Request Failed", 677},
    {"Authentication Ticket Granted", 672},
    {"Authentication Ticket Request", 672},
    {"Service Ticket Granted", 673},
    {"Service Ticket Request", 673},
    {"Ticket Granted Renewed", 674},
    {"Service Ticket Renewed", 674},
    {"Pre-authentication failed", 675},
}};

// First lines of the modern messages, for text without an EventCode header.
constexpr std::array<Title, 6> kModernTitles{{
    {"A Kerberos authentication ticket (TGT) was requested", 4768},
    {"A Kerberos service ticket was requested", 4769},
    {"A Kerberos service ticket was renewed", 4770},
    {"Kerberos pre-authentication failed", 4771},
    {"A Kerberos authentication ticket request failed", 4772},
    {"A Kerberos service ticket request failed", 4773},
}};

std::uint32_t legacy_title(std::string_view line) {
  line = trim(line);
  for (const auto& t : kLegacyTitles)
    if (istarts_with(line, t.text) && (line.size() == t.text.size() || line[t.text.size()] == ':')) return t.event_id;
  return 0;
}

std::uint32_t modern_title(std::string_view line) {
  line = trim(line);
  for (const auto& t : kModernTitles)
    if (istarts_with(line, t.text)) return t.event_id;
  return 0;
}

struct Label {
  std::string_view section;  // "" matches any section
  std::string_view label;
  std::string_view name;     // Windows' EventData name
};

// Messages of 4768-4773 (versions 0-2): the same label means different fields in different sections.
constexpr std::array<Label, 33> kModernLabels{{
    {"Account Information", "Account Name", "TargetUserName"},
    {"Account Information", "Account Domain", "TargetDomainName"},
    {"Account Information", "Supplied Realm Name", "TargetDomainName"},
    {"Account Information", "User ID", "TargetSid"},
    {"Account Information", "Security ID", "TargetSid"},
    {"Account Information", "Logon GUID", "LogonGuid"},
    {"Account Information", "MSDS-SupportedEncryptionTypes", "AccountSupportedEncryptionTypes"},
    {"Account Information", "Available Keys", "AccountAvailableKeys"},
    {"Service Information", "Service Name", "ServiceName"},
    {"Service Information", "Service ID", "ServiceSid"},
    {"Service Information", "MSDS-SupportedEncryptionTypes", "ServiceSupportedEncryptionTypes"},
    {"Service Information", "Available Keys", "ServiceAvailableKeys"},
    {"Domain Controller Information", "MSDS-SupportedEncryptionTypes", "DCSupportedEncryptionTypes"},
    {"Domain Controller Information", "Available Keys", "DCAvailableKeys"},
    {"Network Information", "Client Address", "IpAddress"},
    {"Network Information", "Client Port", "IpPort"},
    {"Network Information", "Advertized Etypes", "ClientAdvertizedEncryptionTypes"},
    {"Additional Information", "Ticket Options", "TicketOptions"},
    {"Additional Information", "Result Code", "Status"},
    {"Additional Information", "Failure Code", "Status"},
    {"Additional Information", "Ticket Encryption Type", "TicketEncryptionType"},
    {"Additional Information", "Session Encryption Type", "SessionKeyEncryptionType"},
    {"Additional Information", "Pre-Authentication Type", "PreAuthType"},
    {"Additional Information", "Pre-Authentication EncryptionType", "PreAuthEncryptionType"},
    {"Additional Information", "Transited Services", "TransmittedServices"},
    {"Certificate Information", "Certificate Issuer Name", "CertIssuerName"},
    {"Certificate Information", "Certificate Serial Number", "CertSerialNumber"},
    {"Certificate Information", "Certificate Thumbprint", "CertThumbprint"},
    // Outside their usual section (renderings differ between versions) these labels are unambiguous.
    {"", "Client Address", "IpAddress"},
    {"", "Client Port", "IpPort"},
    {"", "Ticket Options", "TicketOptions"},
    {"", "Ticket Encryption Type", "TicketEncryptionType"},
    {"", "Failure Code", "Status"},
}};

// Labels of the legacy 672-677 messages and their modern equivalents.
constexpr std::array<Label, 20> kLegacyLabels{{
    {"", "User Name", "TargetUserName"},
    {"", "User Domain", "TargetDomainName"},
    {"", "Supplied Realm Name", "TargetDomainName"},
    {"", "User ID", "TargetSid"},
    {"", "Service Name", "ServiceName"},
    {"", "Service ID", "ServiceSid"},
    {"", "Ticket Options", "TicketOptions"},
    {"", "Result Code", "Status"},
    {"", "Failure Code", "Status"},
    {"", "Ticket Encryption Type", "TicketEncryptionType"},
    {"", "Pre-Authentication Type", "PreAuthType"},
    {"", "Client Address", "IpAddress"},
    {"", "Client Port", "IpPort"},
    {"", "Logon GUID", "LogonGuid"},
    {"", "Transited Services", "TransmittedServices"},
    {"", "Certificate Issuer Name", "CertIssuerName"},
    {"", "Certificate Serial Number", "CertSerialNumber"},
    {"", "Certificate Thumbprint", "CertThumbprint"},
    {"", "Domain", "TargetDomainName"},  // Windows 2003's 673 writes "Domain:" for the user's domain
    {"", "Logon Guid", "LogonGuid"},
}};

std::string modern_name(std::string_view section, std::string_view label) {
  for (const auto& l : kModernLabels)
    if (!l.section.empty() && iequals(l.section, section) && iequals(l.label, label)) return std::string(l.name);
  for (const auto& l : kModernLabels)
    if (l.section.empty() && iequals(l.label, label)) return std::string(l.name);
  std::string name;  // no mapping: the label's words joined, so the value is kept and findable
  for (char c : label)
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) name.push_back(c);
  return name;
}

// Canonical System field order, as the other sources emit them.
constexpr std::array<std::string_view, 9> kSystemOrder{"Provider", "EventID", "Task", "Opcode", "Keywords",
                                                       "TimeCreated", "EventRecordID", "Channel", "Computer"};

class TextSource final : public Source {
 public:
  explicit TextSource(const SourceOptions& options) : wanted_(options.event_ids), on_filtered_(options.on_filtered) {}

  bool open(const std::string& path, std::uint64_t start, std::string& error) {
    path_ = path;
    position_ = start;
    return lines_.open(path, start, 0, error);
  }

  ReadStatus next(Record& out, std::string& error) override {
    for (;;) {
      if (!collect()) {
        if (read_error_) {
          read_error_ = false;
          error = lines_.file().read_error();
          ++stats_.bad;
          return ReadStatus::bad;
        }
        position_ = block_end_;
        return ReadStatus::end;
      }
      const ReadStatus status = parse_block(out, error);
      position_ = block_end_;
      if (status == ReadStatus::end) continue;  // filtered
      return status;
    }
  }

  std::uint64_t position() const override { return position_; }
  const SourceStats& stats() const override { return stats_; }

 private:
  enum class Start : std::uint8_t { none, timestamp, legacy };

  Start starts_event(std::string_view line, bool headed_block) const {
    const std::string_view t = trim(line);
    if (t.empty() || !(t[0] >= '0' && t[0] <= '9') ) {
      // Without a Splunk header a legacy title line starts the next event.
      if (!headed_block && legacy_title(line) != 0 && line.size() > 0 && line[0] != ' ' && line[0] != '\t')
        return Start::legacy;
      return Start::none;
    }
    if (timefmt::parse_us(t) || timefmt::parse_iso(t)) return Start::timestamp;
    return Start::none;
  }

  // Gathers the lines of the next event (or of a stretch of unrecognized lines) into block_.
  bool collect() {
    block_.clear();
    block_bytes_ = 0;
    overflow_ = false;
    garbage_ = false;
    if (!have_pending_) {
      // Skip blank lines, then take the first line as the block's start.
      for (;;) {
        std::string_view line;
        const auto r = lines_.next(line);
        if (r == LineReader::Result::end) {
          block_end_ = lines_.next_offset();
          return false;
        }
        if (r == LineReader::Result::error) {
          read_error_ = true;
          return false;
        }
        if (r == LineReader::Result::too_long) {
          pending_.clear();
          pending_too_long_ = true;
        } else {
          if (trim(line).empty()) continue;
          pending_.assign(line);
          pending_too_long_ = false;
        }
        pending_offset_ = lines_.line_offset();
        pending_line_ = lines_.line_number();
        if (lines_.line_offset() == 0 && pending_.starts_with("\xEF\xBB\xBF")) pending_.erase(0, 3);
        have_pending_ = true;
        break;
      }
    }
    have_pending_ = false;
    block_offset_ = pending_offset_;
    block_line_ = pending_line_;
    const Start kind = pending_too_long_ ? Start::none : starts_event(pending_, false);
    headed_ = kind == Start::timestamp;
    garbage_ = kind == Start::none;
    overflow_ = pending_too_long_;
    block_.push_back(pending_);
    block_bytes_ = pending_.size();
    for (;;) {
      std::string_view line;
      const auto r = lines_.next(line);
      if (r == LineReader::Result::end || r == LineReader::Result::error) {
        block_end_ = lines_.next_offset();
        if (r == LineReader::Result::error) read_error_ = true;
        return true;
      }
      if (r == LineReader::Result::too_long) {
        overflow_ = true;
        continue;
      }
      const Start next = starts_event(line, headed_);
      if (next != Start::none) {
        pending_.assign(line);
        pending_too_long_ = false;
        pending_offset_ = lines_.line_offset();
        pending_line_ = lines_.line_number();
        have_pending_ = true;
        block_end_ = pending_offset_;
        return true;
      }
      if (garbage_) continue;  // a stretch of unrecognized lines: only its start matters
      block_bytes_ += line.size() + 1;
      if (block_bytes_ > kMaxEventBytes) {
        overflow_ = true;
        continue;
      }
      if (!overflow_) block_.emplace_back(line);
    }
  }

  ReadStatus bad(std::string& error, std::string_view what) {
    error = path_ + ": line " + std::to_string(block_line_) + " (offset " + std::to_string(block_offset_) + "): " +
            std::string(what);
    ++stats_.bad;
    return ReadStatus::bad;
  }

  static void put(Record& out, std::string_view name, std::string value) {
    if (value.empty() || out.system_field(name)) return;
    out.system.push_back({std::string(name), std::move(value)});
  }

  ReadStatus parse_block(Record& out, std::string& error) {
    if (overflow_) return bad(error, "an event longer than " + std::to_string(kMaxEventBytes) + " bytes, or a line over 1 MiB");
    if (garbage_) return bad(error, "lines that do not start an event (no timestamp or legacy title)");
    out.clear();
    std::size_t i = 0;
    std::uint32_t event_id = 0;
    std::vector<std::string_view> body;
    if (headed_) {
      const std::string_view stamp = trim(block_[0]);
      auto parsed = timefmt::parse_us(stamp);
      if (!parsed) parsed = timefmt::parse_iso(stamp);
      if (parsed) put(out, "TimeCreated", timefmt::format_utc(parsed->seconds, parsed->fraction));
      for (i = 1; i < block_.size(); ++i) {
        const std::string_view line = block_[i];
        const auto eq = line.find('=');
        if (eq == std::string_view::npos) continue;
        const std::string_view key = trim(line.substr(0, eq));
        const std::string_view value = trim(line.substr(eq + 1));
        if (key == "Message") {
          body.push_back(line.substr(eq + 1));
          ++i;
          break;
        }
        if (key == "EventCode") {
          if (std::from_chars(value.data(), value.data() + value.size(), event_id).ptr != value.data() + value.size())
            return bad(error, "EventCode '" + std::string(value) + "' is not a number");
        } else if (key == "LogName") {
          put(out, "Channel", std::string(value));
        } else if (key == "ComputerName") {
          put(out, "Computer", std::string(value));
        } else if (key == "RecordNumber") {
          put(out, "EventRecordID", std::string(value));
        } else if (key == "SourceName") {
          // The classic rendering prints the provider's display name; Windows' XML names it this way.
          put(out, "Provider", iequals(value, "Microsoft Windows security auditing.")
                                   ? std::string("Microsoft-Windows-Security-Auditing")
                                   : std::string(value));
        } else if (key == "Keywords") {
          if (iequals(value, "Audit Success")) put(out, "Keywords", "0x8020000000000000");
          else if (iequals(value, "Audit Failure")) put(out, "Keywords", "0x8010000000000000");
        } else if (key == "OpCode") {
          if (iequals(value, "Info")) put(out, "Opcode", "0");
        } else if (key == "TaskCategory") {
          if (iequals(value, "Kerberos Authentication Service")) put(out, "Task", "14339");
          else if (iequals(value, "Kerberos Service Ticket Operations")) put(out, "Task", "14337");
        }
      }
    }
    for (; i < block_.size(); ++i) body.push_back(block_[i]);
    // The first non-empty body line is the message's title.
    std::size_t first = 0;
    while (first < body.size() && trim(body[first]).empty()) ++first;
    if (first < body.size()) {
      if (event_id == 0) event_id = legacy_title(body[first]);
      if (event_id == 0) event_id = modern_title(body[first]);
    }
    if (event_id == 0) return bad(error, "no EventCode header and no known message title");
    out.event_id = event_id;
    put(out, "EventID", std::to_string(event_id));
    if (event_id >= 672 && event_id <= 677) parse_legacy(body, first, out);
    else parse_modern(body, first, out);
    // System fields in the canonical order, whatever order the header had.
    std::stable_sort(out.system.begin(), out.system.end(), [](const Field& a, const Field& b) {
      const auto rank = [](const Field& f) {
        return std::find(kSystemOrder.begin(), kSystemOrder.end(), f.name) - kSystemOrder.begin();
      };
      return rank(a) < rank(b);
    });
    for (auto& f : out.system) sanitize_utf8(f.value);
    for (auto& f : out.data) {
      sanitize_utf8(f.name);
      sanitize_utf8(f.value);
    }
    if (!wanted_.empty() && std::find(wanted_.begin(), wanted_.end(), event_id) == wanted_.end()) {
      ++stats_.filtered;
      report_filtered(on_filtered_, out);
      return ReadStatus::end;
    }
    ++stats_.records;
    return ReadStatus::record;
  }

  static void add_field(Record& out, std::string name, std::string_view value) {
    if (name.empty() || out.data_field(name)) return;  // the first occurrence wins
    out.data.push_back({std::move(name), std::string(value)});
  }

  // "Section:" lines open a section; indented "Label:\tvalue" lines are fields.
  static void parse_modern(const std::vector<std::string_view>& body, std::size_t first, Record& out) {
    std::string_view section;
    for (std::size_t k = first + 1; k < body.size(); ++k) {
      const std::string_view raw = body[k];
      const std::string_view line = trim(raw);
      if (line.empty()) continue;
      const bool indented = raw[0] == '\t' || raw[0] == ' ';
      const auto colon = line.find(':');
      if (!indented) {
        if (colon == line.size() - 1) section = line.substr(0, colon);
        else section = {};  // prose after the fields ends the last section
        continue;
      }
      if (colon == std::string_view::npos || section.empty()) continue;
      const std::string_view label = trim(line.substr(0, colon));
      add_field(out, modern_name(section, label), trim(line.substr(colon + 1)));
    }
  }

  // Legacy messages may sit on one line: values are what lies between known labels, never past a line's end.
  static void parse_legacy(const std::vector<std::string_view>& body, std::size_t first, Record& out) {
    for (std::size_t k = first; k < body.size(); ++k) {
      std::string_view text = body[k];
      if (k == first) {  // skip the title ("Service Ticket Request Failed:")
        const auto colon = text.find(':');
        text = colon == std::string_view::npos ? std::string_view{} : text.substr(colon + 1);
      }
      scan_legacy_line(text, out);
    }
  }

  static void scan_legacy_line(std::string_view text, Record& out) {
    struct Hit {
      std::size_t label_begin, value_begin;
      std::string_view name;
    };
    std::vector<Hit> hits;
    std::size_t p = 0;
    while (p < text.size()) {
      const bool boundary = p == 0 || text[p - 1] == ' ' || text[p - 1] == '\t';
      bool matched = false;
      if (boundary) {
        for (const auto& l : kLegacyLabels) {
          if (istarts_with(text.substr(p), l.label) && p + l.label.size() < text.size() &&
              text[p + l.label.size()] == ':') {
            hits.push_back({p, p + l.label.size() + 1, l.name});
            p += l.label.size() + 1;
            matched = true;
            break;
          }
        }
      }
      if (!matched) ++p;
    }
    for (std::size_t k = 0; k < hits.size(); ++k) {
      const std::size_t end = k + 1 < hits.size() ? hits[k + 1].label_begin : text.size();
      add_field(out, std::string(hits[k].name), trim(text.substr(hits[k].value_begin, end - hits[k].value_begin)));
    }
  }

  LineReader lines_;
  std::vector<std::uint32_t> wanted_;
  FilteredHandler on_filtered_;
  std::string path_;
  std::uint64_t position_ = 0;
  SourceStats stats_;
  // The block being parsed and the line that starts the next one.
  std::vector<std::string> block_;
  std::size_t block_bytes_ = 0;
  std::uint64_t block_offset_ = 0, block_line_ = 0, block_end_ = 0;
  bool headed_ = false, garbage_ = false, overflow_ = false, read_error_ = false;
  std::string pending_;
  std::uint64_t pending_offset_ = 0, pending_line_ = 0;
  bool have_pending_ = false, pending_too_long_ = false;
};

}  // namespace

std::unique_ptr<Source> open_text_source(const std::string& path, const SourceOptions& options, std::string& error) {
  auto source = std::make_unique<TextSource>(options);
  if (!source->open(path, options.resume_position, error)) return nullptr;
  return source;
}

}  // namespace ki
