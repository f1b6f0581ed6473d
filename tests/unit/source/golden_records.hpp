#pragma once
// Golden-file check shared by the xml, json and text source tests: every fixture
// tests/fixtures/<kind>/<name>.<ext> with a <name>.records.json beside it is read whole and its records
// (every system and data field), bad count and filtered count compared with the golden text.
// KI_UPDATE_GOLDEN=1 rewrites the golden files (review the diff before committing).

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include "source/source.hpp"
#include "support/paths.hpp"
#include "support/temp_dir.hpp"

namespace ki::test {

// A fixture of one kind's folder under tests/fixtures.
inline std::string fixture_path(const std::string& folder, const std::string& name) {
  return (source_dir() / "tests/fixtures" / folder / name).string();
}

// A file holding `bytes` in a scratch folder that is removed when the test program ends.
inline std::filesystem::path write_scratch(const std::string& name, const std::string& bytes) {
  static const TempDir scratch;
  return scratch.write(name, bytes);
}

// Options that keep `event_ids` and collect what the source names through on_filtered into `named`, as
// "computer/channel/record_id".
inline SourceOptions naming_filtered(std::vector<std::uint32_t> event_ids, std::vector<std::string>& named) {
  SourceOptions options;
  options.event_ids = std::move(event_ids);
  options.on_filtered = [&named](const FilteredRecord& r) {
    named.push_back(std::string(r.computer) + "/" + std::string(r.channel) + "/" + std::to_string(r.record_id));
  };
  return options;
}

struct ReadAll {
  std::vector<Record> records;
  std::vector<std::string> errors;
  SourceStats stats;
  std::uint64_t position = 0;
};

inline ReadAll read_all(SourceKind kind, const std::string& path, SourceOptions options = {}) {
  ReadAll result;
  std::string error;
  auto source = open_source(kind, path, options, error);
  EXPECT_NE(source, nullptr) << error;
  if (!source) return result;
  Record record;
  for (int guard = 0; guard < 10'000'000; ++guard) {
    const ReadStatus status = source->next(record, error);
    if (status == ReadStatus::end) break;
    if (status == ReadStatus::bad) result.errors.push_back(error);
    else result.records.push_back(record);
  }
  result.stats = source->stats();
  result.position = source->position();
  return result;
}

inline std::string records_json(const ReadAll& all) {
  rapidjson::StringBuffer buffer;
  rapidjson::PrettyWriter<rapidjson::StringBuffer> w(buffer);
  w.SetIndent(' ', 2);
  w.StartObject();
  w.Key("bad");
  w.Uint64(all.stats.bad);
  w.Key("filtered");
  w.Uint64(all.stats.filtered);
  w.Key("records");
  w.StartArray();
  for (const auto& r : all.records) {
    w.StartObject();
    w.Key("event_id");
    w.Uint(r.event_id);
    w.Key("system");
    w.StartObject();
    for (const auto& f : r.system) {
      w.Key(f.name.c_str(), static_cast<rapidjson::SizeType>(f.name.size()));
      w.String(f.value.c_str(), static_cast<rapidjson::SizeType>(f.value.size()));
    }
    w.EndObject();
    w.Key("data");
    w.StartObject();
    for (const auto& f : r.data) {
      w.Key(f.name.c_str(), static_cast<rapidjson::SizeType>(f.name.size()));
      w.String(f.value.c_str(), static_cast<rapidjson::SizeType>(f.value.size()));
    }
    w.EndObject();
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize()) + "\n";
}

// Walks tests/fixtures/<folder>; returns how many fixtures were compared.
inline int check_golden_fixtures(SourceKind kind, const std::string& folder) {
  const std::filesystem::path dir = source_dir() / "tests" / "fixtures" / folder;
  const bool update = std::getenv("KI_UPDATE_GOLDEN") != nullptr;
  int compared = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const std::filesystem::path input = entry.path();
    const std::string name = input.filename().string();
    if (name.ends_with(".records.json") || !entry.is_regular_file()) continue;
    std::filesystem::path golden = input;
    golden.replace_extension(".records.json");
    if (!std::filesystem::exists(golden) && !update) continue;
    const std::string actual = records_json(read_all(kind, input.string()));
    if (update) {
      std::ofstream(golden, std::ios::binary) << actual;
    } else {
      EXPECT_EQ(read_file(golden), actual) << "records of " << input << " differ from " << golden;
    }
    ++compared;
  }
  return compared;
}

}  // namespace ki::test
