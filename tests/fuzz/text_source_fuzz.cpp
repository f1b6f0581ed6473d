// Feeds arbitrary bytes to the text source through a file, as the modular input would meet them:
// it must never crash, hang or hold more than its bounded window, whatever the input.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>
#include <unistd.h>

#include "source/source.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string path =
      (std::filesystem::temp_directory_path() / ("ki_text_fuzz_" + std::to_string(getpid()))).string();
  if (std::FILE* f = std::fopen(path.c_str(), "wb")) {
    if (size) std::fwrite(data, 1, size, f);
    std::fclose(f);
  } else {
    return 0;
  }
  std::string error;
  auto source = ki::open_source(ki::SourceKind::text, path, {}, error);
  if (!source) return 0;
  ki::Record record;
  for (size_t guard = 0; guard < size + 2; ++guard)
    if (source->next(record, error) == ki::ReadStatus::end) break;
  return 0;
}
