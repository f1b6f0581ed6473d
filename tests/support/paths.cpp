#include "support/paths.hpp"

#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

namespace ki::test {

std::filesystem::path source_dir() { return KI_SOURCE_DIR; }
std::filesystem::path shared_data_dir() { return KI_SHARED_DATA_DIR; }
std::filesystem::path binary_path() { return KI_BINARY_PATH; }

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot open " << path;
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace ki::test
