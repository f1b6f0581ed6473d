#pragma once
// The source stage: a file (or, later, an HTTPS endpoint) read as a sequence of Records.
// Errors are values: a bad record is reported through `error` and reading goes on with the next one.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "record/record.hpp"
#include "source/record_work.hpp"

namespace ki {

enum class SourceKind : std::uint8_t { evtx, xml, json, text };

std::string_view source_kind_name(SourceKind kind);
std::optional<SourceKind> parse_source_kind(std::string_view name);

enum class ReadStatus : std::uint8_t {
  record,  // `out` holds the next wanted record
  bad,     // one record (or one stretch of input) could not be read; `error` names file and offset
  end,     // nothing more for now
};

struct SourceStats {
  std::uint64_t records = 0;   // good records returned
  std::uint64_t bad = 0;       // bad records reported
  std::uint64_t filtered = 0;  // good records skipped because their event ID was not wanted
};

// A record skipped for its event ID, named well enough for a duplicate filter to remember its ID.
struct FilteredRecord {
  std::string_view computer;
  std::string_view channel;  // empty when the record has none
  std::uint64_t record_id = 0;
};
using FilteredHandler = std::function<void(const FilteredRecord&)>;

struct SourceOptions {
  std::vector<std::uint32_t> event_ids;  // wanted IDs; empty means every event
  std::uint64_t resume_position = 0;     // a position() a previous run stored; 0 = from the start
  unsigned threads = 1;                  // evtx: chunks parsed in parallel
  // Optional: told of each filtered record whose Computer and EventRecordID the source can read cheaply
  // (xml, json, text). With it, a checkpoint keeps a log's IDs as one interval per host even where the
  // events of many hosts interleave, as in a Windows Event Collector file.
  FilteredHandler on_filtered;
  // Optional: work a source with threads of its own runs on each record where it was read (record_work.hpp).
  // Sources without such threads ignore it.
  const RecordWork* work = nullptr;
};

// The (Computer, Channel, EventRecordID) that identify `record` in its log, viewing into it; nullopt when
// it has no Computer or no numeric EventRecordID. The duplicate filter keys records by it.
std::optional<FilteredRecord> record_identity(const Record& record);

// A record handed on without its other fields keeps what record_identity reads and its EventID: the
// System fields EventID, EventRecordID, Computer and Channel. pack_identity() writes them into one string,
// so a thread that reads them where another thread wrote them meets one or two cache lines, not a field
// vector and its strings; unpack_identity() makes `to` hold just those fields, reusing its strings.
void pack_identity(const Record& from, std::string& packed);
void unpack_identity(std::string_view packed, std::uint32_t event_id, Record& to);

// Tells `on_filtered` (when set) of `record`, a parsed record that was filtered, when it has an identity.
void report_filtered(const FilteredHandler& on_filtered, const Record& record);

class Source {
 public:
  virtual ~Source() = default;
  // Reads the next wanted record into `out` (reusing its capacity).
  virtual ReadStatus next(Record& out, std::string& error) = 0;
  // Where to resume after the record last returned: what a checkpoint stores. Its meaning is the
  // source's own (a byte offset for text forms); open() with it as resume_position continues from there.
  virtual std::uint64_t position() const = 0;
  virtual const SourceStats& stats() const = 0;
  // True when every record next() returns comes with the result of SourceOptions::work. Such a record
  // keeps only what names it (pack_identity): the rest stayed on the thread that read it, in the work.
  virtual bool prepares() const { return false; }
  // The work's result for the record next() returned last, or null when the source did not run it.
  // Valid until the next call of next().
  virtual const Prepared* prepared() const { return nullptr; }
};

// Opens `path` as `kind`; nullptr with `error` set when the file cannot be opened at all.
std::unique_ptr<Source> open_source(SourceKind kind, const std::string& path, const SourceOptions& options,
                                    std::string& error);

// Recognizes the kind from the first bytes of the file (ElfFile magic, '<', '{', text header).
std::optional<SourceKind> detect_source_kind(const std::string& path);

}  // namespace ki

namespace ki {
// One opener per kind, each in its own folder; open_source() dispatches to them.
std::unique_ptr<Source> open_evtx_source(const std::string& path, const SourceOptions& options, std::string& error);
std::unique_ptr<Source> open_xml_source(const std::string& path, const SourceOptions& options, std::string& error);
std::unique_ptr<Source> open_json_source(const std::string& path, const SourceOptions& options, std::string& error);
std::unique_ptr<Source> open_text_source(const std::string& path, const SourceOptions& options, std::string& error);
}  // namespace ki
