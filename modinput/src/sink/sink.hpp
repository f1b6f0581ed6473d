#pragma once
// The sink stage: where normalized events go. `run` writes splunkd's XML stream, `replay` JSON lines or
// the same stream. Sinks buffer what they are given and write it out in chunks of kWriteChunkBytes (a
// buffer that size stays in the CPU cache; a whole batch of 5,000 events, about 15 MB, does not); flush()
// writes the rest and flushes the output. A failed write leaves the output failed, so flush() reports it
// and the caller does not checkpoint the batch: it is sent again, whole, by the next run.

#include <cstddef>
#include <ostream>
#include <string>
#include <string_view>

#include "normalize/normalizer.hpp"

namespace ki::sink {

inline constexpr std::size_t kWriteChunkBytes = 256 * 1024;

// Writes `buffer` to `out` and empties it; a failure stays in `out`'s state for flush() to report.
inline void write_out(std::ostream& out, std::string& buffer) {
  out.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
  buffer.clear();
}

class EventSink {
 public:
  virtual ~EventSink() = default;
  // Appends one event to the batch; `source` is the file it came from.
  virtual void write(const NormalizedEvent& event, std::string_view source) = 0;
  // Writes the pending batch and flushes the output; false when the output is gone (EPIPE, full disk).
  virtual bool flush() = 0;
  // Ends the output (closes the XML stream); false when the output is gone.
  virtual bool finish() = 0;
};

}  // namespace ki::sink
