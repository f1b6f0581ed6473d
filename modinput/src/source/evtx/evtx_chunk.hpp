#pragma once
// EVTX chunks ("ElfChnk"): 64 KiB blocks after the file header, each a 512-byte header (record ID range,
// checksums, string and template offset tables) followed by event records. A chunk is self-contained:
// names and templates are referenced by offsets inside it, which is why chunks can be parsed in parallel.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "record/record.hpp"
#include "source/evtx/evtx_binxml.hpp"
#include "source/evtx/evtx_record.hpp"
#include "source/record_work.hpp"

namespace ki::evtx {

inline constexpr std::size_t kChunkHeaderSize = 512;

struct ChunkHeader {
  std::uint64_t first_record_number = 0;
  std::uint64_t last_record_number = 0;
  std::uint64_t first_record_id = 0;
  std::uint64_t last_record_id = 0;
  std::uint32_t header_size = 0;          // 128
  std::uint32_t last_record_offset = 0;
  std::uint32_t free_space_offset = 0;    // where the records end
  std::uint32_t data_checksum = 0;        // CRC-32 of the records, 512 .. free_space_offset
  std::uint32_t flags = 0;
  std::uint32_t header_checksum = 0;      // CRC-32 of bytes 0..120 and 128..512

  static constexpr std::uint32_t kFlagNoCrc32 = 0x4;
};

bool has_chunk_magic(const std::uint8_t* data, std::size_t size);
// Decodes the fixed fields; `data` holds at least 128 bytes.
ChunkHeader parse_chunk_header(const std::uint8_t* data);
// Needs the whole 512-byte header.
bool chunk_header_checksum_ok(const std::uint8_t* data, const ChunkHeader& header);

// One result of reading a chunk: a record or a report of damage, in the order they occur.
struct ChunkItem {
  bool bad = false;
  std::uint64_t record_id = 0;
  Record record;
  std::string error;
  // With ChunkReadOptions::work: its result, and the record's identity (pack_identity) in place of the
  // record, which stays empty.
  std::unique_ptr<Prepared> prepared;
  std::string identity;
};

// Everything one chunk yielded; kept and reused from chunk to chunk so records keep their capacity.
struct ChunkResult {
  std::vector<ChunkItem> items;
  std::size_t count = 0;
  std::uint64_t filtered = 0;
  // With ChunkReadOptions::work, each record is built here, the work runs on it, and its item keeps only
  // its identity: one record stays in the cache instead of a chunk's worth.
  Record built;

  void clear() {
    count = 0;
    filtered = 0;
  }
  ChunkItem& add() {
    if (count == items.size()) items.emplace_back();
    ChunkItem& item = items[count++];
    item.bad = false;
    item.error.clear();
    return item;
  }
  void add_bad(std::string message) {
    ChunkItem& item = add();
    item.bad = true;
    item.error = std::move(message);
  }
};

struct ChunkReadOptions {
  std::string_view label;                 // the file, as messages name it
  const EventIdFilter* filter = nullptr;  // null: every record is wanted
  std::uint64_t resume_after = 0;         // records with an EventRecordID up to this one are skipped
  bool verify_checksums = true;           // false when the file header says no checksums were written
  const RecordWork* work = nullptr;       // run on each good record as soon as it is built (ChunkResult::built)
};

// Reads one chunk slot of `size` bytes (65536, fewer when the file ends early) found at `file_offset`.
// `allocated` says whether the file header counts the slot as a chunk: a slot beyond that count that is
// not a chunk is unused space, not damage. Damage is added to `result` as bad items; every record that
// can still be read is read.
void read_chunk(const std::uint8_t* data, std::size_t size, std::uint64_t file_offset, bool allocated,
                const ChunkReadOptions& options, BinXmlContext& context, RecordBuilder& builder,
                ChunkResult& result);

}  // namespace ki::evtx
