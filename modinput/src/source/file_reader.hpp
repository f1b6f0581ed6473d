#pragma once
// Bounded-memory reading of the text forms (XML, JSON lines, classic text): a sliding window over the
// file, so neither a huge file nor a huge line is ever held whole.

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace ki {

class FileReader {
 public:
  // `max_window` bounds the bytes held at once; a record longer than that cannot be seen whole.
  explicit FileReader(std::size_t max_window = kDefaultWindow);
  ~FileReader();
  FileReader(const FileReader&) = delete;
  FileReader& operator=(const FileReader&) = delete;

  // Opens `path` and positions it at byte `start`; false with `error` naming the file otherwise.
  bool open(const std::string& path, std::uint64_t start, std::string& error);

  // The bytes read but not consumed yet, and the file offset of their first byte.
  std::string_view window() const { return {buffer_.data() + begin_, end_ - begin_}; }
  std::uint64_t offset() const { return offset_; }
  // Drops `n` bytes from the front of the window.
  void consume(std::size_t n);
  // Reads more bytes behind the window (compacting it first); false when nothing more came, because
  // of the end of the file, a read error or a full window (see full()).
  bool fill();
  bool at_eof() const { return eof_; }
  bool full() const { return end_ - begin_ >= max_window_; }
  // Set when a read failed after opening (e.g. EIO); the text names the file and offset.
  const std::string& read_error() const { return read_error_; }
  const std::string& path() const { return path_; }
  std::size_t max_window() const { return max_window_; }

  static constexpr std::size_t kDefaultWindow = 4u << 20;

 private:
  std::FILE* file_ = nullptr;
  std::string path_;
  std::vector<char> buffer_;
  std::size_t begin_ = 0;
  std::size_t end_ = 0;
  std::uint64_t offset_ = 0;  // file offset of buffer_[begin_]
  std::size_t max_window_;
  bool eof_ = false;
  std::string read_error_;
};

// Lines of a file, each at most `max_line` bytes; a longer one is skipped without being held whole.
class LineReader {
 public:
  enum class Result : std::uint8_t { line, too_long, end, error };

  explicit LineReader(std::size_t max_line = kDefaultMaxLine);
  bool open(const std::string& path, std::uint64_t start, std::uint64_t start_line, std::string& error);

  // `line` excludes the "\n" (and a "\r" before it); it stays valid until the next call. The last line
  // of a file is returned even without a final newline.
  Result next(std::string_view& line);
  // Offset and 1-based number of the line last returned, and the offset just after it (newline included).
  std::uint64_t line_offset() const { return line_offset_; }
  std::uint64_t line_number() const { return line_number_; }
  std::uint64_t next_offset() const { return next_offset_; }
  const FileReader& file() const { return reader_; }

  static constexpr std::size_t kDefaultMaxLine = 1u << 20;

 private:
  FileReader reader_;
  std::size_t max_line_;
  std::size_t pending_consume_ = 0;
  std::uint64_t line_offset_ = 0;
  std::uint64_t line_number_ = 0;
  std::uint64_t next_offset_ = 0;
};

// Replaces every invalid UTF-8 sequence by U+FFFD in place, so a record with one damaged byte is kept and
// every later stage sees valid UTF-8. Returns true when something was replaced.
bool sanitize_utf8(std::string& text);
// True when `text` is valid UTF-8 (ASCII runs are checked eight bytes at a time).
bool is_valid_utf8(std::string_view text);

// Decimal text of a whole number, without the locale and allocation of std::to_string.
void append_decimal(std::string& out, std::uint64_t value);

}  // namespace ki
