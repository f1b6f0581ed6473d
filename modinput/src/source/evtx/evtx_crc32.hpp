#pragma once
// CRC-32 (IEEE 802.3, the zlib polynomial) as EVTX uses it for the file header, chunk headers and record data.

#include <cstddef>
#include <cstdint>

namespace ki::evtx {

// Continues `crc` (0 to start) over `size` bytes. Uses carry-less multiplication where the CPU has it.
std::uint32_t crc32(const std::uint8_t* data, std::size_t size, std::uint32_t crc = 0);
// The table-driven form on every CPU (the reference the fast path is tested against).
std::uint32_t crc32_portable(const std::uint8_t* data, std::size_t size, std::uint32_t crc = 0);

}  // namespace ki::evtx
