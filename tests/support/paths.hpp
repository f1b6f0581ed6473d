#pragma once
#include <filesystem>
#include <string>

namespace ki::test {

// The project's source tree (fixtures, lookups, app files).
std::filesystem::path source_dir();
// Real Windows samples beside the project; absent in a user's clone.
std::filesystem::path shared_data_dir();
// The built kerberos_events binary, for tests that spawn it as splunkd would.
std::filesystem::path binary_path();
// Reads a whole file; fails the current test when it cannot.
std::string read_file(const std::filesystem::path& path);

}  // namespace ki::test

// Skips the current test, with a clear message, when the shared samples are not beside the project.
#define KI_REQUIRE_SHARED_DATA()                                                              \
  do {                                                                                        \
    if (!std::filesystem::exists(::ki::test::shared_data_dir()))                              \
      GTEST_SKIP() << "shared samples not found at " << ::ki::test::shared_data_dir()         \
                   << " (a clone without ../shared runs the project's own fixtures only)";    \
  } while (0)
