#include "sink/json_lines.hpp"

#include <ostream>

namespace ki::sink {

void JsonLinesSink::write(const NormalizedEvent& event, std::string_view) {
  buffer_ += event.json;
  buffer_ += '\n';
  if (buffer_.size() >= kWriteChunkBytes) write_out(out_, buffer_);
}

bool JsonLinesSink::flush() {
  if (!buffer_.empty()) write_out(out_, buffer_);
  out_.flush();
  return static_cast<bool>(out_);
}

}  // namespace ki::sink
