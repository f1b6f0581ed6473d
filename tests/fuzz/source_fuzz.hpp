#pragma once
// The shared body of the text-form source fuzz targets: the bytes are written to a file and read through
// the source, as the modular input would meet them. A source must never crash, hang or hold more than its
// bounded window, whatever the input; the loop guard turns a source that never ends into a failure.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <unistd.h>

#include "source/source.hpp"

namespace ki::fuzz {

inline int read_all_through_source(ki::SourceKind kind, const std::uint8_t* data, std::size_t size) {
  static const std::string path = (std::filesystem::temp_directory_path() /
                                   ("ki_" + std::string(ki::source_kind_name(kind)) + "_fuzz_" + std::to_string(getpid())))
                                      .string();
  if (std::FILE* f = std::fopen(path.c_str(), "wb")) {
    if (size) std::fwrite(data, 1, size, f);
    std::fclose(f);
  } else {
    return 0;
  }
  std::string error;
  auto source = ki::open_source(kind, path, {}, error);
  if (!source) return 0;
  ki::Record record;
  for (std::size_t guard = 0; guard < size + 2; ++guard)
    if (source->next(record, error) == ki::ReadStatus::end) return 0;
  std::abort();  // more results than bytes: the source does not advance
}

}  // namespace ki::fuzz
