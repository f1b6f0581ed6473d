#include "sink/splunk_stream.hpp"

#include <array>
#include <cstdint>
#include <ostream>
#include <utility>

#include "util/simd.hpp"
#include "util/swar.hpp"

namespace ki::sink {

namespace {

// 0: copy as is; 1: needs a look (markup, quote, control, or the start of a multi-byte sequence).
// Element text keeps quotes as they are (JSON is full of them), so it has its own, shorter list.
constexpr std::array<std::uint8_t, 256> make_plain_table(bool attribute) {
  std::array<std::uint8_t, 256> t{};
  for (int c = 0; c < 256; ++c) t[c] = (c >= 0x20 && c < 0x7F) ? 0 : 1;
  t['\t'] = 0;
  t['\n'] = 0;
  t['&'] = 1;
  t['<'] = 1;
  t['>'] = 1;
  t['"'] = attribute ? 1 : 0;
  t['\''] = attribute ? 1 : 0;
  return t;
}
constexpr auto kNeedsLookText = make_plain_table(false);
constexpr auto kNeedsLookAttribute = make_plain_table(true);

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

bool continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

// Length of the well-formed UTF-8 sequence at `p` (2..4), or 0 with `bad` = bytes to replace by one U+FFFD
// (the maximal ill-formed subpart, as Unicode recommends).
std::size_t utf8_sequence(const unsigned char* p, std::size_t left, std::size_t& bad) {
  const unsigned char c = p[0];
  std::size_t len = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    if (c == 0xE0) lo = 0xA0;          // overlong
    if (c == 0xED) hi = 0x9F;          // UTF-16 surrogates
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    if (c == 0xF0) lo = 0x90;          // overlong
    if (c == 0xF4) hi = 0x8F;          // above U+10FFFF
  } else {
    bad = 1;
    return 0;
  }
  std::size_t i = 1;
  if (i < left && p[i] >= lo && p[i] <= hi) {
    for (++i; i < len && i < left && continuation(p[i]); ++i) {
    }
  }
  if (i < len) {
    bad = i;
    return 0;
  }
  // U+FFFE and U+FFFF are not XML characters.
  if (c == 0xEF && p[1] == 0xBF && (p[2] == 0xBE || p[2] == 0xBF)) {
    bad = 3;
    return 0;
  }
  return len;
}

// Offset of the first byte at or after `i` that may need a look (control, non-ASCII, markup, and quotes
// when `attribute`), or n. TAB and LF count too (they are rare in values); the caller copies them.
[[gnu::always_inline]] inline std::size_t next_look(const unsigned char* p, std::size_t i, std::size_t n,
                                                    bool attribute) {
#if defined(__SSE2__)
  for (; i < n; i += 16) {
    const std::size_t avail = n - i;
    const __m128i v = avail >= 16 ? simd::load(p + i) : simd::load_tail(p + i, avail);
    __m128i look = _mm_or_si128(simd::control_or_high(v),
                                _mm_or_si128(simd::eq(v, '&'), _mm_or_si128(simd::eq(v, '<'), simd::eq(v, '>'))));
    if (attribute) look = _mm_or_si128(look, _mm_or_si128(simd::eq(v, '"'), simd::eq(v, '\'')));
    if (const unsigned m = simd::mask(look)) return i + static_cast<std::size_t>(__builtin_ctz(m));
  }
  return n;
#else
  // Eight bytes per test: no control byte, DEL or non-ASCII byte, markup character, or quote when `attribute`.
  const auto plain_word = [attribute](std::uint64_t x) {
    std::uint64_t look = x | swar::bytes_below(x, 0x20) | swar::bytes_equal(x, 0x7F) | swar::bytes_equal(x, '&') |
                         swar::bytes_equal(x, '<') | swar::bytes_equal(x, '>');
    if (attribute) look |= swar::bytes_equal(x, '"') | swar::bytes_equal(x, '\'');
    return (look & swar::kHigh) == 0;
  };
  while (i + 8 <= n && plain_word(swar::load(p + i))) i += 8;
  if (i + 8 > n && i < n && plain_word(swar::load_tail(p + i, n - i))) return n;
  return i;
#endif
}

}  // namespace

void append_xml_escaped(std::string& out, std::string_view text, bool attribute) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  const auto& needs_look = attribute ? kNeedsLookAttribute : kNeedsLookText;
  std::size_t i = 0;
  while (i < n) {
    const std::size_t run_start = i;
    for (;;) {  // whole blocks first, then single bytes up to the one that needs a look
      i = next_look(p, i, n, attribute);
      if (i < n && !needs_look[p[i]]) {
        ++i;
        continue;
      }
      break;
    }
    if (i > run_start) out.append(text.data() + run_start, i - run_start);
    if (i >= n) break;
    const unsigned char c = p[i];
    switch (c) {
      case '&': out += "&amp;"; ++i; continue;
      case '<': out += "&lt;"; ++i; continue;
      case '>': out += "&gt;"; ++i; continue;
      case '\r': out += "&#13;"; ++i; continue;
      case '"':
        if (attribute) out += "&quot;"; else out += '"';
        ++i;
        continue;
      case '\'':
        if (attribute) out += "&apos;"; else out += '\'';
        ++i;
        continue;
      default: break;
    }
    if (c < 0x80) {  // a control character XML 1.0 forbids (DEL is allowed)
      if (c == 0x7F) out += static_cast<char>(c); else out += kReplacement;
      ++i;
      continue;
    }
    std::size_t bad = 0;
    const std::size_t len = utf8_sequence(p + i, n - i, bad);
    if (len == 0) {
      out += kReplacement;
      i += bad;
    } else {
      out.append(text.data() + i, len);
      i += len;
    }
  }
}

SplunkStreamSink::SplunkStreamSink(std::ostream& out, StreamSettings settings) : out_(out) {
  set_settings(std::move(settings));
  buffer_.reserve(1 << 20);
}

void SplunkStreamSink::set_settings(StreamSettings settings) {
  settings_ = std::move(settings);
  stanza_attr_.clear();
  sourcetype_elem_.clear();
  if (!settings_.stanza.empty()) {
    stanza_attr_ = " stanza=\"";
    append_xml_escaped(stanza_attr_, settings_.stanza, true);
    stanza_attr_ += '"';
  }
  if (!settings_.sourcetype.empty()) {
    sourcetype_elem_ = "<sourcetype>";
    append_xml_escaped(sourcetype_elem_, settings_.sourcetype);
    sourcetype_elem_ += "</sourcetype>";
  }
  if (!settings_.index.empty()) {
    sourcetype_elem_ += "<index>";
    append_xml_escaped(sourcetype_elem_, settings_.index);
    sourcetype_elem_ += "</index>";
  }
}

void SplunkStreamSink::write(const NormalizedEvent& event, std::string_view source) {
  if (!started_) {
    buffer_ += "<stream>\n";
    started_ = true;
  }
  buffer_ += "<event";
  buffer_ += stanza_attr_;
  buffer_ += '>';
  if (!event.time.empty()) {
    buffer_ += "<time>";
    append_xml_escaped(buffer_, event.time);
    buffer_ += "</time>";
  }
  if (!event.host.empty()) {
    buffer_ += "<host>";
    append_xml_escaped(buffer_, event.host);
    buffer_ += "</host>";
  }
  if (!source.empty()) {
    buffer_ += "<source>";
    append_xml_escaped(buffer_, source);
    buffer_ += "</source>";
  }
  buffer_ += sourcetype_elem_;
  buffer_ += "<data>";
  if (event.xml_plain) buffer_ += event.json;
  else append_xml_escaped(buffer_, event.json);
  buffer_ += "</data></event>\n";
  if (buffer_.size() >= kWriteChunkBytes) write_out(out_, buffer_);
}

bool SplunkStreamSink::flush() {
  if (!buffer_.empty()) write_out(out_, buffer_);
  out_.flush();
  return static_cast<bool>(out_);
}

bool SplunkStreamSink::finish() {
  if (finished_) return static_cast<bool>(out_);
  finished_ = true;
  // An empty run still answers with a well-formed, empty stream.
  if (!started_) buffer_ += "<stream>\n";
  started_ = true;
  buffer_ += "</stream>\n";
  return flush();
}

}  // namespace ki::sink
