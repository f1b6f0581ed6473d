#pragma once
// EVTX event records: the 24-byte record header, and the binary XML of one event turned into a ki::Record.

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

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
  // The fast path: a record that is one template instance is built from a per-template plan (which
  // fields, in which order, made of which literal text and substitution slots), derived once per chunk by
  // running this builder over the template with marker values. Records the plan cannot describe (BinXml
  // values, UserData, names that come from values) take the event-by-event path.
  bool render_instance(BinXmlContext& context, std::uint32_t template_index, const SubstitutionValue* values,
                       std::size_t count) override;
  // Off: every record takes the event-by-event path (tests compare both paths on real files).
  void use_plans(bool on) { use_plans_ = on; }
  void unplaced_substitution(std::uint16_t slot) override;

 private:
  enum class Section : std::uint8_t { none, system, event_data, user_data, other };
  enum class SystemElement : std::uint8_t { none, text, provider, time_created, execution };

  struct Piece {
    std::int32_t slot = -1;  // -1: literal text
    std::string text;
  };
  struct PlannedField {
    bool system = false;
    std::string name;
    std::uint32_t first_piece = 0;
    std::uint32_t piece_count = 0;
  };
  // What the event-by-event path depends on at a point of the document (a substitution's place).
  struct BuilderState {
    int depth = 0;
    Section section = Section::none;
    SystemElement system_element = SystemElement::none;
    std::string_view element_name;
    bool attribute_open = false;
    bool system_field_open = false;
    bool data_open = false;
    unsigned unnamed = 0;
  };
  // A substitution slot that adds no text: a BinXml value there is a nested document (typically the
  // whole EventData or UserData), built by a plan of its own from the builder state at that place.
  struct NestedSlot {
    std::uint16_t slot = 0;
    bool last = false;  // no field of the outer template comes after it (else the plan cannot be used)
    BuilderState state;
  };
  struct Plan {
    enum class State : std::uint8_t { unknown, usable, unusable } state = State::unknown;
    std::vector<PlannedField> fields;
    std::vector<Piece> pieces;
    std::vector<NestedSlot> nested;
    unsigned unnamed = 0;              // unnamed <Data> the template numbers
  };
  // Plans of nested templates, by (outer template, nested slot, nested template).
  struct NestedPlan {
    std::uint32_t outer = 0;
    std::uint16_t slot = 0;
    std::uint32_t inner = 0;
    Plan plan;
  };
  BuilderState state() const;
  void set_state(const BuilderState& s);
  // Probes `template_index` starting from `start` and turns what it built into `plan`.
  void derive(BinXmlContext& context, std::uint32_t template_index, const BuilderState& start, Plan& plan);
  void emit(const Plan& plan, const std::uint8_t* chunk, const SubstitutionValue* values, std::size_t count);
  static bool split_pieces(const std::string& value, std::vector<Piece>& pieces);


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

  // Plans of the current chunk's templates, by template index; dropped when the chunk changes.
  std::vector<Plan> plans_;
  std::deque<NestedPlan> nested_plans_;  // deque: plans chosen for a record stay where they are
  std::vector<std::vector<SubstitutionValue>> nested_values_;  // per nested slot of the record at hand
  std::vector<const Plan*> nested_chosen_;
  std::vector<NestedSlot>* probe_nested_ = nullptr;  // where a probe records unplaced substitutions
  std::vector<std::size_t> nested_marks_;            // fields built before each of them
  std::uint64_t plans_generation_ = ~std::uint64_t{0};
  bool use_plans_ = true;
  bool probing_ = false;
  bool saw_user_data_ = false;
  Record probe_record_;
  // Fields a shorter record left over, kept with their buffers for the next longer one.
  std::vector<Field> spare_;
  static constexpr std::size_t kMaxSpare = 256;
};

enum class RecordOutcome : std::uint8_t { record, filtered, bad };

// Reads the record described by `header` at `offset` of the chunk `context` was reset to. With a
// non-empty filter, records whose EventID it rejects come back as `filtered`, usually before any field is
// rendered. On `bad`, `error` says what and where.
RecordOutcome read_record(BinXmlContext& context, std::uint32_t offset, const RecordHeader& header,
                          RecordBuilder& builder, Record& out, const EventIdFilter* filter, std::string& error);

}  // namespace ki::evtx
