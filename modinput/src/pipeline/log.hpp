#pragma once
// splunkd copies a modular input's stderr into splunkd.log and reads the level from the first word, so
// every line is "LEVEL message". `replay` uses the same lines for its per-file summaries.

#include <iosfwd>
#include <string_view>

namespace ki::pipeline {

enum class Level { debug, info, warn, error, fatal };

std::string_view level_name(Level level);

class Log {
 public:
  explicit Log(std::ostream& err, Level minimum = Level::info) : err_(err), minimum_(minimum) {}
  void write(Level level, std::string_view message);
  void debug(std::string_view m) { write(Level::debug, m); }
  void info(std::string_view m) { write(Level::info, m); }
  void warn(std::string_view m) { write(Level::warn, m); }
  void error(std::string_view m) { write(Level::error, m); }
  void fatal(std::string_view m) { write(Level::fatal, m); }

 private:
  std::ostream& err_;
  Level minimum_;
};

}  // namespace ki::pipeline
