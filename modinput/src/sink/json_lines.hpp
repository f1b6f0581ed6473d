#pragma once
// One NormalizedEvent.json per line: `replay`'s default output, easy to diff and to pipe into jq.

#include <iosfwd>
#include <string>

#include "sink/sink.hpp"

namespace ki::sink {

class JsonLinesSink final : public EventSink {
 public:
  explicit JsonLinesSink(std::ostream& out) : out_(out) {}
  void write(const NormalizedEvent& event, std::string_view source) override;
  bool flush() override;
  bool finish() override { return flush(); }

 private:
  std::ostream& out_;
  std::string buffer_;
};

}  // namespace ki::sink
