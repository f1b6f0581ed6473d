#include "pipeline/log.hpp"

#include <ostream>
#include <string>

namespace ki::pipeline {

std::string_view level_name(Level level) {
  switch (level) {
    case Level::debug: return "DEBUG";
    case Level::info: return "INFO";
    case Level::warn: return "WARN";
    case Level::error: return "ERROR";
    case Level::fatal: return "FATAL";
  }
  return "INFO";
}

void Log::write(Level level, std::string_view message) {
  if (level < minimum_) return;
  // One write per line, newlines inside the message flattened, so that splunkd sees one entry per line.
  std::string line(level_name(level));
  line += ' ';
  for (char c : message) line += (c == '\n' || c == '\r') ? ' ' : c;
  line += '\n';
  err_.write(line.data(), static_cast<std::streamsize>(line.size()));
  err_.flush();
}

}  // namespace ki::pipeline
