#include "source/source.hpp"

#include <array>
#include <charconv>
#include <cstring>
#include <fstream>

namespace ki {

namespace {
constexpr std::array<std::pair<SourceKind, std::string_view>, 4> kKindNames{{
    {SourceKind::evtx, "evtx"},
    {SourceKind::xml, "xml"},
    {SourceKind::json, "json"},
    {SourceKind::text, "text"},
}};
}  // namespace

std::string_view source_kind_name(SourceKind kind) {
  for (const auto& [k, name] : kKindNames)
    if (k == kind) return name;
  return "unknown";
}

std::optional<SourceKind> parse_source_kind(std::string_view name) {
  for (const auto& [k, kind_name] : kKindNames)
    if (kind_name == name) return k;
  return std::nullopt;
}

std::optional<FilteredRecord> record_identity(const Record& record) {
  const std::string* computer = record.system_field("Computer");
  const std::string* id_text = record.system_field("EventRecordID");
  if (computer == nullptr || id_text == nullptr) return std::nullopt;
  FilteredRecord identity;
  const auto [end, ec] = std::from_chars(id_text->data(), id_text->data() + id_text->size(), identity.record_id);
  if (ec != std::errc() || end != id_text->data() + id_text->size()) return std::nullopt;
  identity.computer = *computer;
  if (const std::string* channel = record.system_field("Channel")) identity.channel = *channel;
  return identity;
}

namespace {
// The System fields an identity keeps, in the order they are packed.
constexpr std::array<std::string_view, 4> kIdentityNames{"EventID", "EventRecordID", "Computer", "Channel"};
}  // namespace

void pack_identity(const Record& from, std::string& packed) {
  packed.clear();
  for (const Field& f : from.system) {
    // string_view's == compares lengths first, so most names cost four integer compares.
    const std::string_view name = f.name;
    std::size_t which = 0;
    while (which < kIdentityNames.size() && name != kIdentityNames[which]) ++which;
    if (which == kIdentityNames.size()) continue;
    const auto size = static_cast<std::uint32_t>(f.value.size());
    packed += static_cast<char>(which);
    packed.append(reinterpret_cast<const char*>(&size), sizeof size);
    packed += f.value;
  }
}

void unpack_identity(std::string_view packed, std::uint32_t event_id, Record& to) {
  to.event_id = event_id;
  to.data.clear();
  std::size_t n = 0;
  while (packed.size() > sizeof(std::uint32_t)) {
    const auto which = static_cast<std::size_t>(packed[0]);
    std::uint32_t size = 0;
    std::memcpy(&size, packed.data() + 1, sizeof size);
    packed.remove_prefix(1 + sizeof size);
    if (n == to.system.size()) to.system.emplace_back();
    to.system[n].name.assign(kIdentityNames[which]);
    to.system[n].value.assign(packed.substr(0, size));
    packed.remove_prefix(size);
    ++n;
  }
  to.system.resize(n);
}

void report_filtered(const FilteredHandler& on_filtered, const Record& record) {
  if (!on_filtered) return;
  if (const auto identity = record_identity(record)) on_filtered(*identity);
}

std::unique_ptr<Source> open_source(SourceKind kind, const std::string& path, const SourceOptions& options,
                                    std::string& error) {
  switch (kind) {
    case SourceKind::evtx: return open_evtx_source(path, options, error);
    case SourceKind::xml: return open_xml_source(path, options, error);
    case SourceKind::json: return open_json_source(path, options, error);
    case SourceKind::text: return open_text_source(path, options, error);
  }
  error = path + ": unknown source kind";
  return nullptr;
}

std::optional<SourceKind> detect_source_kind(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  char head[4096];
  in.read(head, sizeof head);
  const std::string_view bytes(head, static_cast<size_t>(in.gcount()));
  if (bytes.starts_with(std::string_view("ElfFile\0", 8))) return SourceKind::evtx;
  size_t i = 0;
  if (bytes.starts_with("\xEF\xBB\xBF")) i = 3;  // UTF-8 byte order mark
  while (i < bytes.size() && (bytes[i] == ' ' || bytes[i] == '\t' || bytes[i] == '\r' || bytes[i] == '\n')) ++i;
  if (i == bytes.size()) return std::nullopt;
  if (bytes[i] == '<') return SourceKind::xml;
  if (bytes[i] == '{' || bytes[i] == '[') return SourceKind::json;
  return SourceKind::text;
}

}  // namespace ki
