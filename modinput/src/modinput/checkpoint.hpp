#pragma once
// What a run remembers between runs, one file per stanza in splunkd's checkpoint_dir:
// - per source file: an identity taken from its content (so a rename keeps it, a rewrite or truncation
//   does not) and the source position to resume from;
// - per (Computer, Channel): the EventRecordIDs already emitted, as coalesced intervals, so that the same
//   records met again in another copy of a log are skipped.
// Saved atomically (temp file, fsync, rename, fsync of the folder), and only after the output was flushed.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "record/record.hpp"
#include "source/source.hpp"

namespace ki::modinput {

// A set of integers kept as disjoint, non-adjacent closed intervals.
class RangeSet {
 public:
  bool contains(std::uint64_t value) const;
  // Adds `value`; false when it was already there.
  bool insert(std::uint64_t value);
  void insert_range(std::uint64_t first, std::uint64_t last);
  const std::map<std::uint64_t, std::uint64_t>& intervals() const { return intervals_; }  // first -> last
  bool empty() const { return intervals_.empty(); }

 private:
  std::map<std::uint64_t, std::uint64_t> intervals_;
};

// Bytes of content that name a file whatever its path: the first 4 KiB of a text file (fewer while it is
// smaller), or for .evtx the 24-byte header of the first record (offset 4096 + 512), since an evtx file
// header is rewritten as the log grows while its first record stays.
struct FileIdentity {
  std::string digest;             // SHA-256 of the identity bytes, hex
  std::uint64_t length = 0;       // how many bytes the digest covers
  bool complete = false;          // covers the full identity span (only then may it follow a rename)
};

inline constexpr std::uint64_t kTextIdentityBytes = 4096;
// An evtx file is named by its first record, whole: the file header changes while a log grows, and the
// record header alone (size, ID, time) can be the same in two domain controllers' logs.
inline constexpr std::uint64_t kEvtxIdentityOffset = 4096 + 512;
inline constexpr std::uint64_t kEvtxRecordHeaderBytes = 24;
inline constexpr std::uint64_t kEvtxMaxRecordBytes = 65536 - 512;

// nullopt when the file is empty or (evtx) has no record yet; `error` set when it cannot be read.
std::optional<FileIdentity> file_identity(const std::string& path, SourceKind kind, std::string& error);
// The digest of the first `length` identity bytes of `path`, to compare with a stored shorter identity.
std::optional<std::string> identity_digest(const std::string& path, SourceKind kind, std::uint64_t length);

struct FileEntry {
  std::string path;        // where it was last seen
  std::string kind;
  FileIdentity identity;
  std::uint64_t size = 0;  // file size when last committed
  std::uint64_t position = 0;
};

struct Checkpoint {
  bool existed = false;  // false on a stanza's first run (start_from=newest acts only then)
  std::vector<FileEntry> files;
  std::map<std::pair<std::string, std::string>, RangeSet> seen;  // (Computer, Channel) -> EventRecordIDs

  // The entry of the file at `path` with the given identity: same content start, wherever it lives now.
  // A short identity (file under 4 KiB) only matches at the same path. nullptr when none.
  FileEntry* find(const std::string& path, SourceKind kind, const FileIdentity& identity);
  // Drops entries for `path` whose content is no longer there (rewritten or truncated files).
  void forget_path(const std::string& path, const FileEntry* keep);

  // Record-level duplicate check: false when (Computer, Channel, EventRecordID) was emitted before;
  // otherwise remembers it. Records without these fields are always admitted.
  // With `progress` (the source's counts so far), the IDs between two records admitted one after the
  // other from the same file are remembered too when every record read in between was filtered out and
  // their number equals the gap: those IDs are then certainly in this file and not wanted. Without this,
  // a Security log whose Kerberos events sit among other events leaves one interval per event, and the
  // checkpoint grows with the log.
  bool admit(const Record& record, const SourceStats* progress = nullptr);
  // Remembers the ID of a record the source filtered out: it is in this file and not wanted, so it may join
  // the intervals of the records around it (see SourceOptions::on_filtered).
  void note_filtered(const FilteredRecord& record);
  // Starts a new file: gaps are only bridged between records of one file.
  void begin_file() { last_admitted_.clear(); }

 private:
  struct LastAdmitted {
    std::uint64_t id = 0;
    SourceStats progress;
  };
  std::map<std::pair<std::string, std::string>, LastAdmitted> last_admitted_;
  std::pair<std::string, std::string> lookup_key_;  // the (Computer, Channel) of the last lookup
  RangeSet& ranges_of(std::string_view computer, std::string_view channel);
};

std::string checkpoint_to_json(const Checkpoint& checkpoint);
std::optional<Checkpoint> checkpoint_from_json(std::string_view text, std::string& error);

// The checkpoint file of one stanza.
class CheckpointStore {
 public:
  CheckpointStore(std::string dir, std::string_view stanza);
  const std::string& path() const { return path_; }
  // A missing file gives an empty checkpoint with existed = false.
  std::optional<Checkpoint> load(std::string& error) const;
  bool save(const Checkpoint& checkpoint, std::string& error) const;

 private:
  std::string dir_;
  std::string path_;
};


}  // namespace ki::modinput
