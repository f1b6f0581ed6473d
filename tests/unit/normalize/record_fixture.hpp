#pragma once
// Loads the invented Records of tests/fixtures/normalize/*.record.json (shared by the normalize tests).
// Format: {"event_id": N, "system": {name: value, ...}, "data": {name: value, ...}}; member order is kept,
// as a source keeps document order.

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include <rapidjson/document.h>

#include "record/record.hpp"
#include "support/paths.hpp"

namespace ki::test {

inline std::filesystem::path normalize_fixture_dir() { return source_dir() / "tests" / "fixtures" / "normalize"; }

// The *.record.json files, sorted so runs are repeatable.
inline std::vector<std::filesystem::path> normalize_record_fixtures() {
  std::vector<std::filesystem::path> paths;
  for (const auto& entry : std::filesystem::directory_iterator(normalize_fixture_dir())) {
    const std::string name = entry.path().filename().string();
    if (name.size() > 12 && name.ends_with(".record.json")) paths.push_back(entry.path());
  }
  std::sort(paths.begin(), paths.end());
  return paths;
}

// Fills `record`; returns an error message naming the file, or "" on success.
inline std::string load_record_fixture(const std::filesystem::path& path, Record& record) {
  record.clear();
  rapidjson::Document doc;
  const std::string text = read_file(path);
  doc.Parse(text.c_str(), text.size());
  if (doc.HasParseError()) return path.string() + ": not JSON (offset " + std::to_string(doc.GetErrorOffset()) + ")";
  if (!doc.IsObject() || !doc.HasMember("event_id") || !doc["event_id"].IsUint())
    return path.string() + ": needs an unsigned \"event_id\"";
  record.event_id = doc["event_id"].GetUint();
  for (const char* part : {"system", "data"}) {
    if (!doc.HasMember(part)) continue;
    const auto& object = doc[part];
    if (!object.IsObject()) return path.string() + ": \"" + part + "\" must be an object";
    auto& fields = std::string(part) == "system" ? record.system : record.data;
    for (const auto& member : object.GetObject()) {
      if (!member.value.IsString()) return path.string() + ": " + part + "." + member.name.GetString() + " must be a string";
      fields.push_back({std::string(member.name.GetString(), member.name.GetStringLength()),
                        std::string(member.value.GetString(), member.value.GetStringLength())});
    }
  }
  return "";
}

}  // namespace ki::test
