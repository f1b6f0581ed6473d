#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <pugixml.hpp>
#include <rapidjson/document.h>

#include "cli/commands.hpp"
#include "support/temp_dir.hpp"

namespace {

namespace fs = std::filesystem;

using ki::test::TempDir;

std::string nxlog_line(int event_id, int record) {
  return R"({"EventTime":"2024-03-01 10:00:00","Hostname":"dc1.corp.example","EventID":)" + std::to_string(event_id) +
         R"(,"Channel":"Security","RecordNumber":)" + std::to_string(record) +
         R"(,"TargetUserName":"alice","Status":"0x12"})" "\n";
}

struct Result {
  int code;
  std::string out, err;
};

Result replay(std::vector<std::string> args) {
  std::vector<std::string_view> views(args.begin(), args.end());
  std::istringstream in;
  std::ostringstream out, err;
  const int code = ki::cli::replay_command(views, {in, out, err});
  return {code, out.str(), err.str()};
}

struct ReplayTest : ::testing::Test {
  TempDir t;
  void SetUp() override {
    fs::create_directories(t.path / "sub");
    std::ofstream(t.path / "a.json") << nxlog_line(4768, 1) << nxlog_line(4624, 2) << nxlog_line(4771, 3);
    std::ofstream(t.path / "sub" / "b.json") << nxlog_line(4769, 10) << "{not json\n" << nxlog_line(4769, 11);
  }
};

TEST_F(ReplayTest, JsonLinesFromFoldersRecursively) {
  const Result r = replay({t.path.string()});
  EXPECT_EQ(r.code, 0) << r.err;
  std::istringstream lines(r.out);
  std::string line;
  std::vector<std::string> ids;
  while (std::getline(lines, line)) {
    rapidjson::Document d;
    d.Parse(line.c_str());
    ASSERT_TRUE(d.IsObject()) << line;
    ids.push_back(d["EventRecordID"].GetString());
  }
  EXPECT_EQ(ids, (std::vector<std::string>{"1", "3", "10", "11"}));  // 4624 filtered, bad line skipped
  EXPECT_NE(r.err.find("INFO file=\"" + (t.path / "a.json").string() + "\" kind=json records=2"), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("bad=1"), std::string::npos) << r.err;
}

TEST_F(ReplayTest, EventIdsAllAndSplunkXml) {
  const Result r = replay({(t.path / "a.json").string(), "--event-ids", "all", "--format", "splunk-xml"});
  EXPECT_EQ(r.code, 0) << r.err;
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(r.out.c_str())) << r.out;
  std::size_t n = 0;
  for (auto e : doc.child("stream").children("event")) {
    ++n;
    EXPECT_STREQ(e.child("sourcetype").text().get(), "kerberos:event");
    EXPECT_EQ(std::string(e.child("source").text().get()), (t.path / "a.json").string());
  }
  EXPECT_EQ(n, 3u);
}

TEST_F(ReplayTest, ExplicitKind) {
  const Result r = replay({(t.path / "a.json").string(), "--kind", "json", "--event-ids", "4771", "--threads", "2"});
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1);
}

TEST_F(ReplayTest, UsageErrorsExitTwo) {
  for (const auto& args : std::vector<std::vector<std::string>>{
           {}, {"--format", "csv", "x"}, {"x", "--kind", "pdf"}, {"x", "--event-ids", "abc"}, {"x", "--threads", "0"},
           {"x", "--threads"}, {"x", "--bogus"}}) {
    const Result r = replay(args);
    EXPECT_EQ(r.code, ki::cli::kExitUsage) << (args.empty() ? "" : args[0]);
    EXPECT_NE(r.err.find("usage: kerberos_events replay"), std::string::npos);
  }
  const Result help = replay({"--help"});
  EXPECT_EQ(help.code, 0);
  EXPECT_NE(help.out.find("usage:"), std::string::npos);
}

TEST_F(ReplayTest, NothingReadableExitsOne) {
  const Result r = replay({(t.path / "missing.json").string()});
  EXPECT_EQ(r.code, ki::cli::kExitFailure);
  EXPECT_NE(r.err.find("ERROR "), std::string::npos);
  EXPECT_NE(r.err.find("missing.json"), std::string::npos);
}

}  // namespace
