#include "source/file_reader.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "util/simd.hpp"
#include "util/swar.hpp"

namespace ki {

FileReader::FileReader(std::size_t max_window) : max_window_(max_window < 4096 ? 4096 : max_window) {}

FileReader::~FileReader() {
  if (file_) std::fclose(file_);
}

bool FileReader::open(const std::string& path, std::uint64_t start, std::string& error) {
  path_ = path;
  file_ = std::fopen(path.c_str(), "rb");
  if (!file_) {
    error = path + ": cannot open: " + std::strerror(errno);
    return false;
  }
  if (start > 0 && fseeko(file_, static_cast<off_t>(start), SEEK_SET) != 0) {
    error = path + ": cannot seek to offset " + std::to_string(start) + ": " + std::strerror(errno);
    return false;
  }
  offset_ = start;
  // A directory opens fine on Linux and fails on the first read: find out now, as an open error.
  std::setvbuf(file_, nullptr, _IONBF, 0);
  buffer_.resize(64u << 10);
  if (!fill() && !read_error_.empty()) {
    error = read_error_;
    return false;
  }
  return true;
}

void FileReader::consume(std::size_t n) {
  if (n > end_ - begin_) n = end_ - begin_;
  begin_ += n;
  offset_ += n;
  if (begin_ == end_) begin_ = end_ = 0;
}

bool FileReader::fill() {
  if (eof_ || !file_) return false;
  if (full()) return false;
  if (begin_ > 0) {  // compact: unconsumed bytes move to the front
    std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  if (end_ == buffer_.size()) buffer_.resize(std::min(buffer_.size() * 2, max_window_));
  const std::size_t want = std::min(buffer_.size(), max_window_) - end_;
  if (want == 0) return false;
  const std::size_t got = std::fread(buffer_.data() + end_, 1, want, file_);
  end_ += got;
  if (got == 0) {
    if (std::ferror(file_)) {
      read_error_ = path_ + ": read error at offset " + std::to_string(offset_ + (end_ - begin_)) + ": " +
                    std::strerror(errno);
    }
    eof_ = true;
    return false;
  }
  return true;
}

LineReader::LineReader(std::size_t max_line) : reader_(max_line + 2), max_line_(max_line) {}

bool LineReader::open(const std::string& path, std::uint64_t start, std::uint64_t start_line, std::string& error) {
  next_offset_ = start;
  line_number_ = start_line;
  return reader_.open(path, start, error);
}

LineReader::Result LineReader::next(std::string_view& line) {
  reader_.consume(pending_consume_);
  pending_consume_ = 0;
  std::size_t searched = 0;
  for (;;) {
    const std::string_view w = reader_.window();
    const void* nl = std::memchr(w.data() + searched, '\n', w.size() - searched);
    if (nl) {
      const std::size_t len = static_cast<const char*>(nl) - w.data();
      line_offset_ = reader_.offset();
      ++line_number_;
      pending_consume_ = len + 1;
      next_offset_ = line_offset_ + len + 1;
      if (len > max_line_) {  // only possible when the newline arrived in the same read as the overflow
        reader_.consume(pending_consume_);
        pending_consume_ = 0;
        return Result::too_long;
      }
      line = w.substr(0, len > 0 && w[len - 1] == '\r' ? len - 1 : len);
      return Result::line;
    }
    searched = w.size();
    if (w.size() > max_line_) {
      // Too long: drop bytes up to the next newline without keeping them.
      line_offset_ = reader_.offset();
      ++line_number_;
      for (;;) {
        const std::string_view rest = reader_.window();
        const void* end = std::memchr(rest.data(), '\n', rest.size());
        if (end) {
          reader_.consume(static_cast<const char*>(end) - rest.data() + 1);
          break;
        }
        reader_.consume(rest.size());
        if (!reader_.fill()) break;
      }
      next_offset_ = reader_.offset();
      return Result::too_long;
    }
    if (!reader_.fill()) {
      if (!reader_.read_error().empty()) return Result::error;
      const std::string_view last = reader_.window();
      if (last.empty()) return Result::end;
      line_offset_ = reader_.offset();
      ++line_number_;
      pending_consume_ = last.size();
      next_offset_ = line_offset_ + last.size();
      line = last.back() == '\r' ? last.substr(0, last.size() - 1) : last;
      return Result::line;
    }
  }
}

namespace {
// Length of the valid UTF-8 sequence at s[i], or 0 when it is invalid (overlong, surrogate, > U+10FFFF).
std::size_t utf8_sequence(const unsigned char* s, std::size_t i, std::size_t n) {
  const unsigned char c = s[i];
  if (c < 0x80) return 1;
  std::size_t len;
  unsigned char lo = 0x80, hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (i + len > n) return 0;
  if (s[i + 1] < lo || s[i + 1] > hi) return 0;
  for (std::size_t k = 2; k < len; ++k)
    if (s[i + k] < 0x80 || s[i + k] > 0xBF) return 0;
  return len;
}
}  // namespace

namespace {
// Offset of the first invalid sequence at or after `i`, or n.
std::size_t first_invalid_utf8(const unsigned char* s, std::size_t i, std::size_t n) {
  while (i < n) {
#if defined(__SSE2__)
    // The common case, plain ASCII, 32 then 16 bytes per test; the high bit of each byte is what counts.
    while (i + 32 <= n && simd::mask(_mm_or_si128(simd::load(s + i), simd::load(s + i + 16))) == 0) i += 32;
    while (i + 16 <= n && simd::mask(simd::load(s + i)) == 0) i += 16;
#endif
    while (i + 8 <= n && swar::all_ascii(swar::load(s + i))) i += 8;  // the common case: plain ASCII
    if (i >= n) break;
    if (s[i] < 0x80) {
      ++i;
      continue;
    }
    const std::size_t len = utf8_sequence(s, i, n);
    if (len == 0) return i;
    i += len;
  }
  return n;
}
}  // namespace

bool is_valid_utf8(std::string_view text) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  return first_invalid_utf8(s, 0, text.size()) == text.size();
}

bool sanitize_utf8(std::string& text) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  std::size_t bad_at = first_invalid_utf8(s, 0, n);
  if (bad_at >= n) return false;
  std::string out(text, 0, bad_at);
  for (std::size_t j = bad_at; j < n;) {
    const std::size_t len = utf8_sequence(s, j, n);
    if (len == 0) {
      out += "\xEF\xBF\xBD";
      ++j;
    } else {
      out.append(text, j, len);
      j += len;
    }
  }
  text.swap(out);
  return true;
}

void append_decimal(std::string& out, std::uint64_t value) {
  char digits[20];
  int n = 0;
  do {
    digits[n++] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value);
  while (n) out.push_back(digits[--n]);
}

}  // namespace ki
