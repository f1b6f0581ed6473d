#pragma once
// The one record model: every source (evtx, xml, json, text, https) produces this, and everything after
// the source stage (normalizer, checkpoints, sinks, hunt) reads only this.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ki {

struct Field {
  std::string name;
  std::string value;
};

// A Windows event with its fields under the names Windows gives them, whatever the input format called them.
struct Record {
  std::uint32_t event_id = 0;  // also present as the System field "EventID"
  // System fields, canonical names: EventID, Version, Level, Task, Opcode, Keywords, TimeCreated
  // (ISO 8601 UTC, e.g. 2025-07-30T20:22:05.7319365Z), EventRecordID, ProcessID, ThreadID, Channel,
  // Computer, Provider, ProviderGuid. Absent values are not stored.
  std::vector<Field> system;
  // EventData fields in document order (unnamed <Data> become "Data1", "Data2", ...).
  std::vector<Field> data;

  // Keeps capacity so a source can reuse one Record for every event.
  void clear() {
    event_id = 0;
    system.clear();
    data.clear();
  }
  const std::string* system_field(std::string_view name) const { return find(system, name); }
  const std::string* data_field(std::string_view name) const { return find(data, name); }

 private:
  static const std::string* find(const std::vector<Field>& fields, std::string_view name) {
    for (const auto& f : fields)
      if (f.name == name) return &f.value;
    return nullptr;
  }
};

}  // namespace ki
