// Fuzz target for the EVTX reader: arbitrary bytes as a chunk (header, records, binary XML, templates,
// values) and as binary XML on its own. Must never crash, hang or allocate without bound.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "source/evtx/evtx_binxml.hpp"
#include "source/evtx/evtx_chunk.hpp"
#include "source/evtx/evtx_file_header.hpp"
#include "source/evtx/evtx_record.hpp"

namespace {

class NullSink final : public ki::evtx::XmlSink {
 public:
  void start_element(std::string_view) override {}
  void attribute(std::string_view) override {}
  void close_start() override {}
  void end_element() override {}
  std::string* target() override { return &text; }
  std::string text;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // Inputs may be a whole file (ElfFile header first) or a bare chunk; both are tried.
  std::vector<std::uint8_t> chunk(ki::evtx::kChunkSize, 0);
  const std::uint8_t* body = data;
  std::size_t body_size = size;
  if (ki::evtx::has_file_magic(data, size)) {
    ki::evtx::FileHeader header;
    bool checksum_ok = false;
    std::string error;
    ki::evtx::parse_file_header(data, size, header, checksum_ok, error);
    body = size > ki::evtx::kFileHeaderBlockSize ? data + ki::evtx::kFileHeaderBlockSize : data;
    body_size = size > ki::evtx::kFileHeaderBlockSize ? size - ki::evtx::kFileHeaderBlockSize : size;
  }
  const std::size_t n = body_size < chunk.size() ? body_size : chunk.size();
  if (n) std::memcpy(chunk.data(), body, n);

  static ki::evtx::BinXmlContext context;
  static ki::evtx::RecordBuilder builder;
  static ki::evtx::ChunkResult result;
  ki::evtx::ChunkReadOptions options;
  options.label = "fuzz";
  const ki::evtx::EventIdFilter filter = [](std::uint32_t id) { return id % 2 == 0; };
  for (bool allocated : {true, false}) {
    result.clear();
    ki::evtx::read_chunk(chunk.data(), n, 0, allocated, options, context, builder, result);
  }
  options.filter = &filter;
  options.verify_checksums = false;
  result.clear();
  ki::evtx::read_chunk(chunk.data(), chunk.size(), 0, true, options, context, builder, result);

  // The bytes after a chunk header as one binary XML fragment.
  if (n > 512) {
    context.reset(chunk.data(), chunk.size(), 0);
    NullSink sink;
    std::string error;
    context.parse(512, static_cast<std::uint32_t>(n), sink, nullptr, error);
  }
  return 0;
}
