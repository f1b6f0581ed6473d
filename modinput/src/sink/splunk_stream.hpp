#pragma once
// splunkd's XML streaming mode: <stream><event stanza=".."><time/><host/><source/><sourcetype/><index/>
// <data/></event>...</stream>, UTF-8. Every value is escaped so that any byte sequence an event carries
// (markup, "]]>", control characters, broken UTF-8) reaches Splunk as well-formed XML.

#include <cstddef>
#include <iosfwd>
#include <string>
#include <string_view>

#include "sink/sink.hpp"

namespace ki::sink {

// Appends `text` to `out` as XML 1.0 character data: &, < and > become entities (so "]]>" and "</data>"
// survive), CR becomes &#13; (parsers would fold it into LF), double and single quotes become entities when
// `attribute` is true; characters XML 1.0 forbids (controls other than TAB/LF/CR, U+FFFE, U+FFFF) and
// invalid UTF-8 (bad sequences, overlongs, surrogates, > U+10FFFF) become U+FFFD.
void append_xml_escaped(std::string& out, std::string_view text, bool attribute = false);

struct StreamSettings {
  std::string stanza;                         // the input's stanza name; no attribute when empty
  std::string sourcetype = "kerberos:event";
  std::string index;                          // no <index> when empty: splunkd applies the input's default
};

class SplunkStreamSink final : public EventSink {
 public:
  SplunkStreamSink(std::ostream& out, StreamSettings settings);
  void write(const NormalizedEvent& event, std::string_view source) override;
  bool flush() override;
  bool finish() override;
  std::size_t pending_bytes() const { return buffer_.size(); }
  // Switches stanza, sourcetype and index for the events written next (one stream serves every stanza).
  void set_settings(StreamSettings settings);

 private:
  std::ostream& out_;
  StreamSettings settings_;
  std::string stanza_attr_;       // pre-escaped
  std::string sourcetype_elem_;   // pre-rendered <sourcetype> and <index> elements
  std::string buffer_;
  bool started_ = false;
  bool finished_ = false;
};

}  // namespace ki::sink
