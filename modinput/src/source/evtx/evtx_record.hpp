#pragma once
// EVTX event records: the 24-byte record header, and the binary XML of one event turned into a ki::Record.

#include <cstdint>
#include <string>
#include <string_view>

#include "record/record.hpp"
#include "source/evtx/evtx_binxml.hpp"

namespace ki::evtx {

inline constexpr std::uint32_t kRecordMagic = 0x00002a2a;  // "**\0\0"
inline constexpr std::uint32_t kRecordHeaderSize = 24;

struct RecordHeader {
  std::uint32_t size = 0;       // whole record, header and trailing size copy included
  std::uint64_t record_id = 0;  // EventRecordID
  std::uint64_t written = 0;    // FILETIME the record was written
};

// Checks the record at `offset` of a chunk whose records end at `limit`: magic, a size that fits, and the
// copy of the size in the record's last four bytes. False, with `why`, when it is not a readable record.
bool read_record_header(const std::uint8_t* chunk, std::uint32_t offset, std::uint32_t limit, RecordHeader& header,
                        std::string& why);

// Builds a ki::Record from the XML events of one record: System fields under canonical names, EventData
// <Data Name=...> in order (unnamed ones as Data1, Data2, ...), UserData flattened: every attribute under its
// own name and every leaf element under its element name (an empty leaf that has attributes adds nothing).
// Reuses the strings already in the Record so that steady-state reading allocates nothing.
class RecordBuilder final : public XmlSink {
 public:
  void begin(Record& out);
  // Completes the record; the header's record ID stands in when the XML carried no EventRecordID.
  void finish(std::uint64_t header_record_id);

  void start_element(std::string_view name) override;
  void attribute(std::string_view name) override;
  void close_start() override;
  void end_element() override;
  std::string* target() override { return target_; }

 private:
  enum class Section : std::uint8_t { none, system, event_data, user_data, other };
  enum class SystemElement : std::uint8_t { none, text, provider, time_created, execution };

  Field& add_system(std::string_view name);
  Field& add_data(std::string_view name);
  void remove_data(std::size_t index);
  void end_attribute();

  // UserData elements in progress, by depth: the slot of their own field (-1 if none) and whether they
  // carried attributes (an empty element with attributes is represented by the attributes alone).
  struct UserFrame {
    int slot = -1;
    bool attributes = false;
  };
  static constexpr int kMaxUserDepth = 64;
  UserFrame user_frames_[kMaxUserDepth];

  Record* out_ = nullptr;
  std::size_t system_count_ = 0;
  std::size_t data_count_ = 0;
  int depth_ = 0;
  Section section_ = Section::none;
  SystemElement system_element_ = SystemElement::none;
  std::string_view element_name_;  // the current System element
  std::string* target_ = nullptr;
  bool attribute_open_ = false;
  // A System attribute or text field in progress: dropped if it ends empty (absent values are not stored).
  bool system_field_open_ = false;
  bool data_open_ = false;       // an EventData child in progress
  unsigned unnamed_ = 0;
};

enum class RecordOutcome : std::uint8_t { record, filtered, bad };

// Reads the record described by `header` at `offset` of the chunk `context` was reset to. With a
// non-empty filter, records whose EventID it rejects come back as `filtered`, usually before any field is
// rendered. On `bad`, `error` says what and where.
RecordOutcome read_record(BinXmlContext& context, std::uint32_t offset, const RecordHeader& header,
                          RecordBuilder& builder, Record& out, const EventIdFilter* filter, std::string& error);

}  // namespace ki::evtx
