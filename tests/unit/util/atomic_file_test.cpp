#include "util/atomic_file.hpp"

#include <unistd.h>

#include <gtest/gtest.h>

#include "support/paths.hpp"

namespace ki {
namespace {

TEST(WriteFileAtomically, ReplacesContentAndLeavesNoTemporaryFile) {
  const auto dir = std::filesystem::temp_directory_path() / ("ki_atomic_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto path = dir / "state.json";
  std::string error;
  ASSERT_TRUE(write_file_atomically(path, "first", error)) << error;
  ASSERT_TRUE(write_file_atomically(path, "second", error)) << error;
  EXPECT_EQ(test::read_file(path), "second");
  size_t files = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir)) ++files;
  EXPECT_EQ(files, 1u) << "the temporary file must be renamed away";
  std::filesystem::remove_all(dir);
}

TEST(WriteFileAtomically, ReportsAnUnwritableFolderByName) {
  std::string error;
  EXPECT_FALSE(write_file_atomically("/nonexistent-folder/state.json", "x", error));
  EXPECT_NE(error.find("nonexistent-folder"), std::string::npos) << error;
}

}  // namespace
}  // namespace ki
