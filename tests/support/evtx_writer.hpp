#pragma once
// A test-only writer of Windows XML EventLog (.evtx) files, valid or damaged on purpose.
//
// It lays records out the way Windows does: a 4 KiB file header, 64 KiB chunks with their string and
// template tables, records whose binary XML instantiates a System template (shared inside a chunk)
// and carries EventData as a nested BinXml value with its own template. Tests use it to make inputs
// no real log contains (every value type, many chunks, hostile damage) without shipping real logs.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ki::test::evtx {

// Substitution value types as the binary XML encodes them.
enum class ValueType : std::uint8_t {
  null = 0x00,
  string = 0x01,  // UTF-16LE
  ansi_string = 0x02,
  int8 = 0x03,
  uint8 = 0x04,
  int16 = 0x05,
  uint16 = 0x06,
  int32 = 0x07,
  uint32 = 0x08,
  int64 = 0x09,
  uint64 = 0x0a,
  real32 = 0x0b,
  real64 = 0x0c,
  boolean = 0x0d,
  binary = 0x0e,
  guid = 0x0f,
  size_type = 0x10,
  filetime = 0x11,
  systemtime = 0x12,
  sid = 0x13,
  hex_int32 = 0x14,
  hex_int64 = 0x15,
  binxml = 0x21,
  array_flag = 0x80,  // or-ed with an element type: 0x81 is an array of strings
};

struct XmlElement;

// One typed substitution value, held encoded as it will sit in the record (BinXml excepted: its bytes
// depend on the chunk it lands in, so it is encoded when written).
class Value {
 public:
  Value() = default;  // null
  static Value null();
  static Value string(std::string_view utf8);
  static Value ansi_string(std::string_view bytes);
  static Value int8(std::int8_t v);
  static Value uint8(std::uint8_t v);
  static Value int16(std::int16_t v);
  static Value uint16(std::uint16_t v);
  static Value int32(std::int32_t v);
  static Value uint32(std::uint32_t v);
  static Value int64(std::int64_t v);
  static Value uint64(std::uint64_t v);
  static Value real32(float v);
  static Value real64(double v);
  static Value boolean(bool v);
  static Value binary(std::vector<std::uint8_t> bytes);
  // "{01234567-89ab-cdef-0123-456789abcdef}" with or without braces; anything else encodes as zeros.
  static Value guid(std::string_view text);
  static Value size_type32(std::uint32_t v);
  static Value size_type64(std::uint64_t v);
  static Value filetime(std::uint64_t ticks);
  static Value systemtime(std::uint16_t year, std::uint16_t month, std::uint16_t day, std::uint16_t hour,
                          std::uint16_t minute, std::uint16_t second, std::uint16_t millisecond);
  // "S-1-5-21-..."; anything unparsable encodes as S-1-0-0.
  static Value sid(std::string_view text);
  static Value hex_int32(std::uint32_t v);
  static Value hex_int64(std::uint64_t v);
  static Value string_array(const std::vector<std::string>& items);
  // Array of a fixed-size type (every item must be of `element`); the items' bytes are concatenated.
  static Value array(ValueType element, const std::vector<Value>& items);
  static Value binxml(XmlElement element);
  // Any type code with any bytes: for hostile files only.
  static Value raw(std::uint8_t type, std::vector<std::uint8_t> bytes);

  std::uint8_t type() const { return type_; }
  const std::vector<std::uint8_t>& bytes() const { return bytes_; }
  const XmlElement* xml() const { return xml_.get(); }

 private:
  std::uint8_t type_ = 0;
  std::vector<std::uint8_t> bytes_;
  std::shared_ptr<const XmlElement> xml_;
};

// An element written as nested BinXml (a fragment with its own template). Attribute values are
// literal text in the template; `value`, when present, becomes the element's one substitution and
// may itself be BinXml, which is how hostile files nest deeply.
struct XmlElement {
  std::string name;
  std::vector<std::pair<std::string, std::string>> attributes;
  std::vector<XmlElement> children;
  std::optional<Value> value;
};

struct DataField {
  std::string name;  // empty writes <Data> without a Name attribute
  Value value;
};

struct Event {
  std::uint16_t event_id = 0;
  std::uint64_t record_id = 0;     // EventRecordID, also the record header's identifier
  std::uint64_t time_created = 0;  // FILETIME: 100 ns ticks since 1601-01-01 UTC
  std::string computer = "DC01.contoso.local";
  std::string channel = "Security";
  std::string provider_name = "Microsoft-Windows-Security-Auditing";
  std::string provider_guid = "{54849625-5478-4994-a5ba-3e3b0328c30d}";
  std::uint8_t version = 0;
  std::uint8_t level = 0;
  std::uint16_t task = 0;
  std::uint8_t opcode = 0;
  std::uint64_t keywords = 0x8020000000000000ULL;
  std::uint32_t process_id = 0;
  std::uint32_t thread_id = 0;
  std::vector<DataField> data;
};

// Damage done on purpose. Chunk indexes count from 0; -1 leaves every chunk intact.
struct Damage {
  bool dirty_header = false;          // file header flag 0x1 set (its CRC stays right)
  bool bad_file_header_crc = false;
  int bad_chunk_header_crc = -1;
  int bad_record_crc = -1;            // the chunk's event-records CRC32 is wrong
  int bad_chunk_magic = -1;
  int corrupt_string_offset = -1;     // one string-table bucket points far outside the chunk
  std::uint64_t truncate_to = 0;      // keep only this many bytes of the file (0 keeps all)
};

struct Options {
  Damage damage;
};

// Streams events into chunks: memory stays at one chunk whatever the number of records.
class Writer {
 public:
  // `out` must be seekable: the file header is rewritten at finish() with the final counts.
  explicit Writer(std::ostream& out, Options options = {});
  ~Writer();
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  // False, with `error` naming the record, when the event cannot fit even in an empty chunk.
  bool add(const Event& event, std::string& error);
  // Writes the last chunk and the final header; truncation is left to the caller (see write_file).
  bool finish(std::string& error);
  std::uint64_t chunks() const;
  std::uint64_t records() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// Whole files at once. On failure `error` says why and the result is empty / false.
std::vector<std::uint8_t> build(const std::vector<Event>& events, const Options& options, std::string& error);
bool write_file(const std::filesystem::path& path, const std::vector<Event>& events, const Options& options,
                std::string& error);

// FILETIME from "YYYY-MM-DDTHH:MM:SS[.fffffff]Z"; nullopt when malformed.
std::optional<std::uint64_t> filetime_from_iso(std::string_view text);
// "YYYY-MM-DDTHH:MM:SS.fffffffZ" (seven fraction digits, as Windows renders TimeCreated).
std::string iso_from_filetime(std::uint64_t ticks);

// CRC32 (IEEE, as EVTX uses), exposed so tests can check what the writer stored.
std::uint32_t crc32(const std::uint8_t* data, std::size_t size);

// Ready-made events shared by make_evtx_corpus (which writes tests/fixtures/evtx) and the tests that
// check those fixtures are still what the generator makes.
// 4768/4769/4771 successes and failures; codes written both as HexInt32 and as "0x000000.." strings.
std::vector<Event> kerberos_sample_events();
// One 4769 whose EventData carries every value type python-evtx can read, plus nested BinXml.
std::vector<Event> all_value_types_events();
// A deterministic synthetic Security event: 4768/4769/4771 when `kerberos`, else 4624/4634/4672/4688.
// `random` drives every choice, so a seeded generator reproduces a corpus byte for byte.
Event synthetic_event(std::uint64_t record_id, std::uint64_t random, bool kerberos);

}  // namespace ki::test::evtx
