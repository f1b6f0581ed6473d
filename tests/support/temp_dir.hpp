#pragma once
// A fresh folder under the system's temporary folder for one test, removed with its content afterwards.

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

namespace ki::test {

struct TempDir {
  std::filesystem::path path;

  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "ki_test_XXXXXX").string();
    path = ::mkdtemp(pattern.data());
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  // Writes `text` to `relative` (creating its folders) and returns the file's full path.
  std::string write(const std::filesystem::path& relative, std::string_view text,
                    std::ios::openmode mode = std::ios::trunc) const {
    const auto file = path / relative;
    std::filesystem::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary | std::ios::out | mode) << text;
    return file.string();
  }
};

}  // namespace ki::test
