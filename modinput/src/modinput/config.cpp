#include "modinput/config.hpp"

#include <glob.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <system_error>
#include <thread>

#include <pugixml.hpp>

namespace ki::modinput {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
    s.remove_suffix(1);
  return s;
}

std::optional<std::uint64_t> parse_number(std::string_view s) {
  s = trim(s);
  std::uint64_t v = 0;
  if (s.empty()) return std::nullopt;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

void read_params(const pugi::xml_node& holder, Stanza& stanza) {
  for (const pugi::xml_node child : holder.children()) {
    const std::string_view tag = child.name();
    if (tag == "param") {
      stanza.params.push_back({child.attribute("name").value(), {std::string(trim(child.text().get()))}});
    } else if (tag == "param_list") {
      std::vector<std::string> values;
      for (const pugi::xml_node v : child.children("value")) values.emplace_back(trim(v.text().get()));
      stanza.params.push_back({child.attribute("name").value(), std::move(values)});
    }
  }
}

bool has_glob_chars(std::string_view path) { return path.find_first_of("*?[") != std::string_view::npos; }

}  // namespace

const std::string* Stanza::param(std::string_view key) const {
  for (const auto& [name, values] : params)
    if (name == key && !values.empty()) return &values.front();
  return nullptr;
}

std::optional<InputConfig> parse_input_xml(std::string_view bytes, std::string& error) {
  pugi::xml_document doc;
  // encoding_auto reads the byte order mark (and BOM-less UTF-16 starting with '<'); values come out UTF-8.
  const pugi::xml_parse_result result =
      doc.load_buffer(bytes.data(), bytes.size(), pugi::parse_default, pugi::encoding_auto);
  if (!result) {
    error = std::string("configuration XML on stdin: ") + result.description() + " at offset " +
            std::to_string(result.offset);
    return std::nullopt;
  }
  const pugi::xml_node root = doc.document_element();
  const std::string_view root_name = root.name();
  if (root_name != "input" && root_name != "items") {
    error = "configuration XML on stdin: root element is <" + std::string(root_name) +
            ">, expected <input> or <items>";
    return std::nullopt;
  }
  InputConfig config;
  config.server_host = trim(root.child("server_host").text().get());
  config.server_uri = trim(root.child("server_uri").text().get());
  config.session_key = trim(root.child("session_key").text().get());
  config.checkpoint_dir = trim(root.child("checkpoint_dir").text().get());
  if (root_name == "input") {
    for (const pugi::xml_node s : root.child("configuration").children("stanza")) {
      Stanza stanza;
      stanza.name = s.attribute("name").value();
      read_params(s, stanza);
      config.stanzas.push_back(std::move(stanza));
    }
  } else {
    for (const pugi::xml_node s : root.children("item")) {
      Stanza stanza;
      stanza.name = s.attribute("name").value();
      read_params(s, stanza);
      config.stanzas.push_back(std::move(stanza));
    }
  }
  return config;
}

std::optional<std::vector<std::uint32_t>> parse_event_ids(std::string_view text, std::string& error) {
  text = trim(text);
  if (text == "all" || text == "*") return std::vector<std::uint32_t>{};
  std::vector<std::uint32_t> ids;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t comma = text.find(',', start);
    if (comma == std::string_view::npos) comma = text.size();
    const std::string_view item = trim(text.substr(start, comma - start));
    start = comma + 1;
    if (item.empty()) {
      error = "event_ids: empty item in \"" + std::string(text) + "\"";
      return std::nullopt;
    }
    // Windows event IDs are 16-bit, which also keeps a range from expanding into millions of entries.
    const std::size_t dash = item.find('-', 1);
    const auto lo = parse_number(item.substr(0, dash));
    const auto hi = dash == std::string_view::npos ? lo : parse_number(item.substr(dash + 1));
    if (!lo || !hi || *lo > 65535 || *hi > 65535) {
      error = "event_ids: \"" + std::string(item) + "\" is not an event ID (0-65535) or a range like 4768-4773";
      return std::nullopt;
    }
    if (*lo > *hi) {
      error = "event_ids: range \"" + std::string(item) + "\" runs backwards";
      return std::nullopt;
    }
    for (std::uint64_t id = *lo; id <= *hi; ++id) ids.push_back(static_cast<std::uint32_t>(id));
    if (comma == text.size()) break;
  }
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

unsigned default_threads() {
  const unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : std::min(n, kMaxThreads);
}

bool parse_settings(const Stanza& stanza, InputSettings& out, std::string& error) {
  const std::string where = stanza.name.empty() ? std::string("input") : stanza.name;
  out = InputSettings{};
  if (const std::string* kind = stanza.param("kind"); kind != nullptr && !kind->empty() && *kind != "auto") {
    out.kind = parse_source_kind(*kind);
    if (!out.kind) {
      error = where + ": kind \"" + *kind + "\" is not one of evtx, xml, json, text, auto";
      return false;
    }
  }
  const std::string* path = stanza.param("path");
  if (path == nullptr || path->empty()) {
    error = where + ": path is required (a file, a directory or a glob)";
    return false;
  }
  out.path = *path;
  const std::string* ids = stanza.param("event_ids");
  auto parsed = parse_event_ids(ids != nullptr && !ids->empty() ? std::string_view(*ids) : kDefaultEventIds, error);
  if (!parsed) {
    error = where + ": " + error;
    return false;
  }
  out.event_ids = std::move(*parsed);
  if (const std::string* start = stanza.param("start_from"); start != nullptr && !start->empty()) {
    if (*start == "newest") {
      out.start_newest = true;
    } else if (*start != "oldest") {
      error = where + ": start_from \"" + *start + "\" is not oldest or newest";
      return false;
    }
  }
  out.threads = default_threads();
  if (const std::string* threads = stanza.param("threads"); threads != nullptr && !threads->empty()) {
    const auto n = parse_number(*threads);
    if (!n || *n < 1 || *n > kMaxThreads) {
      error = where + ": threads \"" + *threads + "\" is not a number from 1 to " + std::to_string(kMaxThreads);
      return false;
    }
    out.threads = static_cast<unsigned>(*n);
  }
  if (const std::string* index = stanza.param("index")) out.index = *index;
  return true;
}

std::vector<std::string> expand_path(const std::string& path, std::string& error) {
  namespace fs = std::filesystem;
  std::vector<std::string> files;
  std::error_code ec;
  auto add_regular = [&](const fs::path& p) {
    std::error_code e;
    if (fs::is_regular_file(p, e)) files.push_back(p.string());
  };
  auto add_tree = [&](const fs::path& dir) {
    std::error_code e;
    for (fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, e), end;
         !e && it != end; it.increment(e))
      add_regular(it->path());
    if (e) error = dir.string() + ": " + e.message();
  };

  if (fs::is_directory(path, ec)) {
    add_tree(path);
  } else if (fs::exists(path, ec)) {
    if (!fs::is_regular_file(path, ec)) {
      error = path + ": not a regular file or directory";
      return {};
    }
    files.push_back(path);
  } else if (has_glob_chars(path)) {
    glob_t g{};
    const int rc = ::glob(path.c_str(), 0, nullptr, &g);
    if (rc == 0) {
      for (std::size_t i = 0; i < g.gl_pathc; ++i) {
        if (fs::is_directory(g.gl_pathv[i], ec)) add_tree(g.gl_pathv[i]);
        else add_regular(g.gl_pathv[i]);
      }
    }
    ::globfree(&g);
    if (files.empty() && error.empty()) error = path + ": the pattern matches no file";
  } else {
    error = path + ": no such file or directory";
    return {};
  }
  std::sort(files.begin(), files.end());
  files.erase(std::unique(files.begin(), files.end()), files.end());
  // Unreadable files are reported, not silently skipped: a permissions problem must show up in validation.
  std::vector<std::string> readable;
  for (auto& f : files) {
    if (::access(f.c_str(), R_OK) == 0) readable.push_back(std::move(f));
    else if (error.empty()) error = f + ": not readable";
  }
  if (readable.empty() && error.empty()) error = path + ": contains no file";
  return readable;
}

}  // namespace ki::modinput
