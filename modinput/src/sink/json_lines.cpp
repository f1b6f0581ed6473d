#include "sink/json_lines.hpp"

#include <ostream>

namespace ki::sink {

void JsonLinesSink::write(const NormalizedEvent& event, std::string_view) {
  buffer_ += event.json;
  buffer_ += '\n';
  if (buffer_.size() >= kWriteChunkBytes) {
    out_.write(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
    buffer_.clear();
  }
}

bool JsonLinesSink::flush() {
  if (!buffer_.empty()) {
    out_.write(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
    buffer_.clear();
  }
  out_.flush();
  return static_cast<bool>(out_);
}

}  // namespace ki::sink
