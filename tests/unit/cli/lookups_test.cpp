#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "cli/commands.hpp"
#include "knowledge/lookup_tables.hpp"
#include "support/paths.hpp"

namespace ki::cli {
namespace {

int run(std::initializer_list<std::string_view> args, std::string* out_text = nullptr, std::string* err_text = nullptr) {
  std::istringstream in;
  std::ostringstream out, err;
  const int code = lookups_command(Args(args), Io{in, out, err});
  if (out_text) *out_text = out.str();
  if (err_text) *err_text = err.str();
  return code;
}

class LookupsCommand : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("ki_lookups_" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(LookupsCommand, WritesOneCsvPerTableThatTheCheckThenAccepts) {
  ASSERT_EQ(run({"--out", dir_.string()}), kExitOk);
  for (const auto& table : knowledge::lookup_tables())
    EXPECT_EQ(test::read_file(dir_ / table.file_name), knowledge::render_csv(table));
  std::string out;
  EXPECT_EQ(run({"--check", dir_.string()}, &out), kExitOk);
  EXPECT_NE(out.find("up to date"), std::string::npos);
}

TEST_F(LookupsCommand, CheckNamesTheDriftedFileAndLine) {
  ASSERT_EQ(run({"--out", dir_.string()}), kExitOk);
  const auto victim = dir_ / "kerberos_result_codes.csv";
  std::string text = test::read_file(victim);
  text.insert(text.find('\n') + 1, "0x999,DRIFT\n");
  { std::ofstream(victim, std::ios::binary) << text; }
  std::string err;
  EXPECT_EQ(run({"--check", dir_.string()}, nullptr, &err), kExitFailure);
  EXPECT_NE(err.find("kerberos_result_codes.csv: differs from the code tables from line 2"), std::string::npos) << err;
  std::filesystem::remove(victim);
  EXPECT_EQ(run({"--check", dir_.string()}, nullptr, &err), kExitFailure);
  EXPECT_NE(err.find("missing"), std::string::npos) << err;
}

TEST_F(LookupsCommand, TheRepositoryCopyIsUpToDate) {
  std::string err;
  EXPECT_EQ(run({"--check", (test::source_dir() / "lookups").string()}, nullptr, &err), kExitOk) << err;
}

TEST_F(LookupsCommand, UsageErrors) {
  EXPECT_EQ(run({}), kExitUsage);
  EXPECT_EQ(run({"--out"}), kExitUsage);
  EXPECT_EQ(run({"--check", (dir_ / "absent").string()}), kExitFailure);
}

}  // namespace
}  // namespace ki::cli
