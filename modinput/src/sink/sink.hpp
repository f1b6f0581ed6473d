#pragma once
// The sink stage: where normalized events go. `run` writes splunkd's XML stream, `replay` JSON lines or
// the same stream. Sinks buffer a batch in memory and only touch the output on flush(), so that a batch
// is either written whole or the caller knows it failed and does not checkpoint it.

#include <string_view>

#include "normalize/normalizer.hpp"

namespace ki::sink {

class EventSink {
 public:
  virtual ~EventSink() = default;
  // Appends one event to the pending batch; `source` is the file it came from.
  virtual void write(const NormalizedEvent& event, std::string_view source) = 0;
  // Writes the pending batch and flushes the output; false when the output is gone (EPIPE, full disk).
  virtual bool flush() = 0;
  // Ends the output (closes the XML stream); false when the output is gone.
  virtual bool finish() = 0;
};

}  // namespace ki::sink
