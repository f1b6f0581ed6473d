#include "source/evtx/evtx_chunk.hpp"

#include <algorithm>
#include <cstring>

#include "source/evtx/evtx_crc32.hpp"
#include "source/evtx/evtx_file_header.hpp"
#include "source/evtx/evtx_values.hpp"
#include "source/source.hpp"

namespace ki::evtx {

namespace {

std::string where(const ChunkReadOptions& options, std::uint64_t offset) {
  std::string s(options.label);
  s += ": offset ";
  append_hex(s, offset);
  s += ": ";
  return s;
}

bool all_zero(const std::uint8_t* p, std::size_t size) {
  return std::all_of(p, p + size, [](std::uint8_t b) { return b == 0; });
}

}  // namespace

bool has_chunk_magic(const std::uint8_t* data, std::size_t size) {
  return size >= 8 && std::memcmp(data, "ElfChnk\0", 8) == 0;
}

ChunkHeader parse_chunk_header(const std::uint8_t* d) {
  ChunkHeader h;
  h.first_record_number = load_u64(d + 8);
  h.last_record_number = load_u64(d + 16);
  h.first_record_id = load_u64(d + 24);
  h.last_record_id = load_u64(d + 32);
  h.header_size = load_u32(d + 40);
  h.last_record_offset = load_u32(d + 44);
  h.free_space_offset = load_u32(d + 48);
  h.data_checksum = load_u32(d + 52);
  h.flags = load_u32(d + 120);
  h.header_checksum = load_u32(d + 124);
  return h;
}

bool chunk_header_checksum_ok(const std::uint8_t* d, const ChunkHeader& h) {
  return crc32(d + 128, kChunkHeaderSize - 128, crc32(d, 120)) == h.header_checksum;
}

void read_chunk(const std::uint8_t* data, std::size_t size, std::uint64_t file_offset, bool allocated,
                const ChunkReadOptions& options, BinXmlContext& context, RecordBuilder& builder,
                ChunkResult& result) {
  size = std::min(size, kChunkSize);
  if (size < kChunkHeaderSize || !has_chunk_magic(data, size)) {
    // Never-used space is zero-filled; slots past the header's chunk count are unused whatever they hold.
    if (all_zero(data, size) || !allocated) return;
    if (size < kChunkHeaderSize)
      result.add_bad(where(options, file_offset) + "file ends inside a chunk header (" + std::to_string(size) +
                     " bytes)");
    else
      result.add_bad(where(options, file_offset) + "bad chunk signature; chunk skipped");
    return;
  }
  const ChunkHeader h = parse_chunk_header(data);
  const bool verify = options.verify_checksums && (h.flags & ChunkHeader::kFlagNoCrc32) == 0;
  const bool header_ok = !verify || chunk_header_checksum_ok(data, h);
  // A chunk wholly before the resume point has nothing to give, not even its damage reports.
  if (header_ok && options.resume_after != 0 && h.last_record_id <= options.resume_after &&
      h.last_record_id >= h.first_record_id)
    return;
  if (!header_ok) result.add_bad(where(options, file_offset) + "chunk header CRC mismatch (string or template table may be corrupt)");
  if (size < kChunkSize)
    result.add_bad(where(options, file_offset + size) + "file ends inside a chunk (" + std::to_string(size) +
                   " of 65536 bytes); records after this point are lost");

  std::uint32_t limit = static_cast<std::uint32_t>(size);
  if (h.free_space_offset < kChunkHeaderSize || h.free_space_offset > kChunkSize) {
    result.add_bad(where(options, file_offset + 48) + "free space offset out of range; reading records to the chunk's end");
  } else if (h.free_space_offset <= size) {
    limit = h.free_space_offset;
    if (verify && crc32(data + kChunkHeaderSize, limit - kChunkHeaderSize) != h.data_checksum)
      result.add_bad(where(options, file_offset + kChunkHeaderSize) +
                     "record CRC mismatch (records that still parse are kept)");
  }

  context.reset(data, size, file_offset);
  // Records left over from an older chunk (slack a volume snapshot copied) can sit among the records and
  // carry IDs outside the header's range; they are read like any other and kept if they parse: a template
  // reference that does not match the definition at its offset makes them bad instead (see binxml).
  auto record_at = [&](std::uint32_t at, RecordHeader& header, std::string& reason) {
    return read_record_header(data, at, limit, header, reason);
  };
  std::uint32_t offset = kChunkHeaderSize;
  std::string why;
  RecordHeader rh;
  while (offset < limit && limit - offset >= kRecordHeaderSize) {
    if (!record_at(offset, rh, why)) {
      // Zero fill after the last record is how a chunk ends when its header is stale.
      if (all_zero(data + offset, limit - offset)) break;
      result.add_bad(where(options, file_offset + offset) + why + "; skipping to the next readable record");
      // Records are 8-byte aligned: look for the next header that checks out.
      std::uint32_t next = offset + 8;
      std::string ignored;
      while (next < limit && limit - next >= kRecordHeaderSize && !record_at(next, rh, ignored))
        next += 8;
      if (next >= limit || limit - next < kRecordHeaderSize) break;
      offset = next;
      continue;
    }
    const std::uint32_t at = offset;
    offset += rh.size;
    if (rh.record_id <= options.resume_after) continue;
    ChunkItem& item = result.add();
    item.record_id = rh.record_id;
    std::string& error = item.error;
    Record& record = options.work != nullptr ? result.built : item.record;
    switch (read_record(context, at, rh, builder, record, options.filter, error)) {
      case RecordOutcome::record:
        if (options.work != nullptr) {
          if (!item.prepared) item.prepared = options.work->make();
          options.work->run(record, *item.prepared);
          pack_identity(record, item.identity);
          item.record.event_id = record.event_id;
        }
        break;
      case RecordOutcome::filtered:
        --result.count;
        ++result.filtered;
        break;
      case RecordOutcome::bad: {
        item.bad = true;
        std::string message(options.label);
        message += ": ";
        message += error;
        message += " (record ";
        append_decimal(message, rh.record_id);
        message += ")";
        item.error = std::move(message);
        break;
      }
    }
  }
}

}  // namespace ki::evtx
