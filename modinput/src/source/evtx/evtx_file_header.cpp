#include "source/evtx/evtx_file_header.hpp"

#include <cstring>

#include "source/evtx/evtx_crc32.hpp"
#include "source/evtx/evtx_values.hpp"

namespace ki::evtx {

bool has_file_magic(const std::uint8_t* data, std::size_t size) {
  return size >= 8 && std::memcmp(data, "ElfFile\0", 8) == 0;
}

bool parse_file_header(const std::uint8_t* d, std::size_t size, FileHeader& h, bool& checksum_ok,
                       std::string& error) {
  if (!has_file_magic(d, size)) {
    error = "offset 0x0: not an EVTX file (no ElfFile signature)";
    return false;
  }
  if (size < 128) {
    error = "offset 0x0: file header truncated (" + std::to_string(size) + " of 128 bytes)";
    return false;
  }
  h.first_chunk = load_u64(d + 8);
  h.last_chunk = load_u64(d + 16);
  h.next_record_id = load_u64(d + 24);
  h.header_size = load_u32(d + 32);
  h.minor_version = load_u16(d + 36);
  h.major_version = load_u16(d + 38);
  h.block_size = load_u16(d + 40);
  h.chunk_count = load_u16(d + 42);
  h.flags = load_u32(d + 120);
  h.checksum = load_u32(d + 124);
  checksum_ok = !h.checksums_written() || crc32(d, 120) == h.checksum;
  return true;
}

}  // namespace ki::evtx
