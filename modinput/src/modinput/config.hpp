#pragma once
// What splunkd hands the modular input on stdin (<input> to run, <items> to validate), and the typed
// settings of one stanza. Parsing never throws: errors come back as text naming the stanza and parameter.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "source/source.hpp"

namespace ki::modinput {

// The Kerberos events of modern and legacy Windows, the default of `event_ids`.
inline constexpr std::string_view kDefaultEventIds = "4768-4773,672-677";
inline constexpr unsigned kMaxThreads = 256;

struct Stanza {
  std::string name;  // e.g. "kerberos_events://dc1"
  // <param> values have one entry, <param_list> one per <value>; document order.
  std::vector<std::pair<std::string, std::vector<std::string>>> params;
  const std::string* param(std::string_view key) const;  // the first value, nullptr when absent
};

struct InputConfig {
  std::string server_host;
  std::string server_uri;
  std::string session_key;  // never logged
  std::string checkpoint_dir;
  std::vector<Stanza> stanzas;
};

// Parses splunkd's XML in UTF-8 or UTF-16/32 with a byte order mark: <input> (stanzas under
// <configuration>) or <items> (<item> elements). nullopt with `error` when it is not such a document.
std::optional<InputConfig> parse_input_xml(std::string_view bytes, std::string& error);

struct InputSettings {
  std::optional<SourceKind> kind;       // nullopt: detected per file ("auto")
  std::string path;                     // a file, a directory (read recursively) or a glob
  std::vector<std::uint32_t> event_ids; // sorted, unique; empty = every event ("all")
  bool start_newest = false;
  unsigned threads = 1;
  std::string index;                    // empty: the input's default index
};

// "4768-4773, 672-677, 4776" -> sorted unique IDs; "all" or "*" -> empty (every event).
std::optional<std::vector<std::uint32_t>> parse_event_ids(std::string_view text, std::string& error);

// Reads and checks every value of a stanza; false with `error` naming the parameter. Does not touch the disk.
bool parse_settings(const Stanza& stanza, InputSettings& out, std::string& error);

// The regular files `path` names: the file itself, every file under a directory (recursively), or the
// matches of a glob; sorted. Empty with `error` set when nothing matches or the path cannot be read.
std::vector<std::string> expand_path(const std::string& path, std::string& error);

unsigned default_threads();

}  // namespace ki::modinput
