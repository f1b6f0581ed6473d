#pragma once
// The EVTX file header ("ElfFile"): the first 4096-byte block, of which 128 bytes are used.

#include <cstddef>
#include <cstdint>
#include <string>

namespace ki::evtx {

inline constexpr std::size_t kFileHeaderBlockSize = 4096;
inline constexpr std::size_t kChunkSize = 65536;

struct FileHeader {
  std::uint64_t first_chunk = 0;   // oldest chunk number
  std::uint64_t last_chunk = 0;    // current chunk number
  std::uint64_t next_record_id = 0;
  std::uint32_t header_size = 0;   // 128
  std::uint16_t minor_version = 0;
  std::uint16_t major_version = 0;  // 3
  std::uint16_t block_size = 0;     // 4096: where the first chunk starts
  std::uint16_t chunk_count = 0;
  std::uint32_t flags = 0;
  std::uint32_t checksum = 0;  // CRC-32 of the first 120 bytes

  static constexpr std::uint32_t kFlagDirty = 0x1;  // the log was not closed cleanly
  static constexpr std::uint32_t kFlagFull = 0x2;
  static constexpr std::uint32_t kFlagNoCrc32 = 0x4;  // checksums are not written (newer Windows option)

  bool dirty() const { return (flags & kFlagDirty) != 0; }
  bool checksums_written() const { return (flags & kFlagNoCrc32) == 0; }
};

// True if `data` (at least 8 bytes) starts with the ElfFile magic.
bool has_file_magic(const std::uint8_t* data, std::size_t size);

// Decodes the header from the first `size` bytes of the file. False, with `error` set, when the bytes are not
// an EVTX header at all (wrong magic or too short); a checksum mismatch is reported through `checksum_ok`.
bool parse_file_header(const std::uint8_t* data, std::size_t size, FileHeader& header, bool& checksum_ok,
                       std::string& error);

}  // namespace ki::evtx
