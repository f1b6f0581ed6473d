// The run end to end in process: generated NXLog JSON lines in a temporary folder, configuration XML in,
// the stream parsed back. (tests/scripts/modinput_kill_test.sh does the same across real process deaths.)
#include "modinput/run.hpp"

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>

#include <gtest/gtest.h>
#include <pugixml.hpp>

#include "modinput/checkpoint.hpp"
#include "support/temp_dir.hpp"

namespace {

namespace fs = std::filesystem;

using ki::test::TempDir;

// NXLog-style lines of 4769 events with EventRecordIDs first..last.
std::string nxlog_lines(std::uint64_t first, std::uint64_t last, const std::string& host = "dc1.corp.example") {
  std::string s;
  for (std::uint64_t id = first; id <= last; ++id) {
    s += R"({"EventTime":"2024-03-01 10:00:00","Hostname":")" + host +
         R"(","EventID":4769,"SourceName":"Microsoft-Windows-Security-Auditing","Channel":"Security","RecordNumber":)" +
         std::to_string(id) +
         R"(,"TargetUserName":"user)" + std::to_string(id % 7) +
         R"(@CORP.EXAMPLE","ServiceName":"cifs/fs1.corp.example","TicketOptions":"0x40810000","TicketEncryptionType":"0x17","Status":"0x0","IpAddress":"::ffff:10.0.0.9","IpPort":"50000"})" "\n";
  }
  return s;
}

void write(const fs::path& p, const std::string& text, bool append = false) {
  std::ofstream(p, std::ios::binary | (append ? std::ios::app : std::ios::trunc)) << text;
}

struct RunResult {
  int code = 0;
  std::string out, err;
  std::vector<std::string> ids;     // EventRecordID of each event, in order
  std::vector<pugi::xml_node> events;
  pugi::xml_document doc;
};

struct RunTest : ::testing::Test {
  TempDir t;
  fs::path logs, ckpt;
  std::string extra_params;
  std::string kind = "json";
  std::size_t batch = 7;
  void SetUp() override {
    logs = t.path / "logs";
    ckpt = t.path / "ckpt";
    fs::create_directories(logs);
  }
  std::string input_xml(const std::string& stanza = "kerberos_events://dc1") const {
    return "<input><server_host>sh</server_host><server_uri>https://127.0.0.1:8089</server_uri>"
           "<session_key>TOPSECRETKEY</session_key><checkpoint_dir>" + ckpt.string() +
           "</checkpoint_dir><configuration><stanza name=\"" + stanza + "\"><param name=\"kind\">" + kind + "</param>"
           "<param name=\"path\">" + logs.string() + "</param><param name=\"index\">kerb</param>" + extra_params +
           "</stanza></configuration></input>";
  }
  std::unique_ptr<RunResult> run(const std::atomic<bool>* stop = nullptr) {
    auto r = std::make_unique<RunResult>();
    std::ostringstream out, err;
    ki::modinput::RunOptions options;
    options.batch_size = batch;
    options.stop = stop;
    r->code = ki::modinput::run_modular_input(input_xml(), out, err, options);
    r->out = out.str();
    r->err = err.str();
    const auto parsed = r->doc.load_buffer(r->out.data(), r->out.size());
    EXPECT_TRUE(parsed) << parsed.description() << "\n" << r->out;
    for (auto e : r->doc.child("stream").children("event")) {
      r->events.push_back(e);
      const std::string data = e.child("data").text().get();
      const auto at = data.find("\"EventRecordID\":\"");
      r->ids.push_back(at == std::string::npos ? "?" : data.substr(at + 17, data.find('"', at + 17) - at - 17));
    }
    EXPECT_EQ(r->err.find("TOPSECRETKEY"), std::string::npos) << "session key logged";
    EXPECT_EQ(r->out.find("TOPSECRETKEY"), std::string::npos);
    return r;
  }
  void check_interleaved_hosts(const std::string& name, const std::string& head, const std::string& tail,
                               const std::function<std::string(const char*, std::uint64_t, bool)>& event);
};

std::vector<std::string> range(std::uint64_t first, std::uint64_t last) {
  std::vector<std::string> v;
  for (auto i = first; i <= last; ++i) v.push_back(std::to_string(i));
  return v;
}

TEST_F(RunTest, FirstRunSendsEverythingThenOnlyWhatIsNew) {
  write(logs / "a.json", nxlog_lines(1, 20));
  auto r1 = run();
  EXPECT_EQ(r1->code, 0) << r1->err;
  ASSERT_EQ(r1->ids, range(1, 20)) << r1->err;
  const auto e = r1->events[0];
  EXPECT_STREQ(e.attribute("stanza").value(), "kerberos_events://dc1");
  EXPECT_STREQ(e.child("sourcetype").text().get(), "kerberos:event");
  EXPECT_STREQ(e.child("index").text().get(), "kerb");
  EXPECT_EQ(std::string(e.child("source").text().get()), (logs / "a.json").string());
  EXPECT_STREQ(e.child("host").text().get(), "dc1.corp.example");
  EXPECT_NE(r1->err.find("INFO kerberos_events"), std::string::npos);
  EXPECT_NE(r1->err.find("records=20 emitted=20"), std::string::npos) << r1->err;

  auto r2 = run();
  EXPECT_TRUE(r2->ids.empty());
  EXPECT_EQ(r2->out, "<stream>\n</stream>\n");

  write(logs / "a.json", nxlog_lines(21, 25), true);
  auto r3 = run();
  EXPECT_EQ(r3->ids, range(21, 25));
}

TEST_F(RunTest, RenamedFileIsNotSentAgain) {
  write(logs / "Security.json", nxlog_lines(1, 200));
  ASSERT_EQ(run()->ids.size(), 200u);
  fs::rename(logs / "Security.json", logs / "Archive-Security-2024.json");
  write(logs / "Archive-Security-2024.json", nxlog_lines(201, 210), true);
  auto r = run();
  EXPECT_EQ(r->ids, range(201, 210)) << r->err;
  EXPECT_NE(r->err.find("same content as"), std::string::npos) << r->err;
}

TEST_F(RunTest, RecordsSeenInAnotherCopyAreSkippedAndCounted) {
  write(logs / "live.json", nxlog_lines(1, 100));
  ASSERT_EQ(run()->ids.size(), 100u);
  // A later export overlaps the first one: its start differs, so it is another file, but the records 50..100
  // were already sent.
  write(logs / "export2.json", nxlog_lines(50, 150));
  auto r = run();
  EXPECT_EQ(r->ids, range(101, 150)) << r->err;
  EXPECT_NE(r->err.find("duplicates=51"), std::string::npos) << r->err;
  // The same IDs from another DC are different events.
  write(logs / "dc2.json", nxlog_lines(1, 10, "dc2.corp.example"));
  EXPECT_EQ(run()->ids, range(1, 10));
}

TEST_F(RunTest, TruncatedFileIsReadAgainFromTheStart) {
  write(logs / "a.json", nxlog_lines(1, 300));
  ASSERT_EQ(run()->ids.size(), 300u);
  // Truncated in place and written again: the same first 4 KiB (records 1..20), now shorter than where the
  // last run stopped, then new records.
  const std::string again = nxlog_lines(1, 20);
  ASSERT_GT(again.size(), ki::modinput::kTextIdentityBytes);
  write(logs / "a.json", again + nxlog_lines(301, 303));
  auto r = run();
  EXPECT_EQ(r->ids, range(301, 303)) << r->err;
  EXPECT_NE(r->err.find("shorter than the checkpoint"), std::string::npos) << r->err;
}

TEST_F(RunTest, RewrittenFileIsANewFile) {
  write(logs / "a.json", nxlog_lines(1, 300));
  ASSERT_EQ(run()->ids.size(), 300u);
  write(logs / "a.json", nxlog_lines(1000, 1400));  // longer, but another content
  auto r = run();
  EXPECT_EQ(r->ids, range(1000, 1400)) << r->err;
}

TEST_F(RunTest, StartFromNewestSkipsWhatIsThereOnTheFirstRunOnly) {
  extra_params = "<param name=\"start_from\">newest</param>";
  write(logs / "a.json", nxlog_lines(1, 50));
  auto r1 = run();
  EXPECT_TRUE(r1->ids.empty()) << r1->out;
  EXPECT_NE(r1->err.find("existing events skipped"), std::string::npos) << r1->err;
  write(logs / "a.json", nxlog_lines(51, 53), true);
  write(logs / "b.json", nxlog_lines(1000, 1001));  // appeared after the first run: read whole
  auto r2 = run();
  EXPECT_EQ(r2->ids, (std::vector<std::string>{"51", "52", "53", "1000", "1001"}));
}

TEST_F(RunTest, StartFromNewestWithNoFileYetStillMarksTheFirstRun) {
  extra_params = "<param name=\"start_from\">newest</param>";
  EXPECT_TRUE(run()->ids.empty());
  write(logs / "a.json", nxlog_lines(1, 3));
  EXPECT_EQ(run()->ids, range(1, 3));
}

// Three DCs' Security logs interleaved, two events in three not Kerberos, IDs 1..300 per DC: each event is
// written by `event(host, record_id, kerberos)` into a file `name` of the fixture's kind. The run sends the
// Kerberos ones, and the checkpoint keeps each DC's IDs as one interval, so it stays small however long
// the file grows.
void RunTest::check_interleaved_hosts(const std::string& name, const std::string& head, const std::string& tail,
                                      const std::function<std::string(const char*, std::uint64_t, bool)>& event) {
  std::string text = head;
  std::uint64_t kerberos = 0;
  for (std::uint64_t id = 1; id <= 300; ++id)
    for (const char* host : {"dc1", "dc2", "dc3"}) {
      kerberos += id % 3 == 0 ? 1 : 0;
      text += event(host, id, id % 3 == 0);
    }
  write(logs / name, text + tail);
  auto r = run();
  EXPECT_EQ(r->ids.size(), kerberos) << r->err;
  std::string error;
  const auto saved = ki::modinput::CheckpointStore(ckpt.string(), "kerberos_events://dc1").load(error);
  ASSERT_TRUE(saved) << error;
  ASSERT_EQ(saved->seen.size(), 3u);
  for (const auto& [key, ranges] : saved->seen) {
    ASSERT_EQ(ranges.intervals().size(), 1u) << key.first;
    EXPECT_EQ(*ranges.intervals().begin(), (std::pair<const std::uint64_t, std::uint64_t>{1, 300})) << key.first;
  }
}

// A Windows Event Collector file.
TEST_F(RunTest, InterleavedHostsKeepOneIntervalEachInTheCheckpoint) {
  kind = "xml";
  check_interleaved_hosts("wec.xml", "<Events>\n", "</Events>\n", [](const char* host, std::uint64_t id, bool kerberos) {
    return std::string("<Event><System><EventID>") + (kerberos ? "4769" : "4624") + "</EventID><EventRecordID>" +
           std::to_string(id) + "</EventRecordID><Channel>Security</Channel><Computer>" + host +
           "</Computer></System><EventData><Data Name=\"TargetUserName\">u</Data></EventData></Event>\n";
  });
}

// An NXLog file collecting the DCs: filtered lines are named from their Hostname, RecordNumber and Channel,
// found without parsing the line.
TEST_F(RunTest, InterleavedNxlogHostsKeepOneIntervalEachInTheCheckpoint) {
  check_interleaved_hosts("nxlog.json", "", "", [](const char* host, std::uint64_t id, bool kerberos) {
    return std::string(R"({"EventTime":"2024-03-01 10:00:00","Hostname":")") + host + R"(","EventID":)" +
           (kerberos ? "4769" : "4624") + R"(,"Channel":"Security","RecordNumber":)" + std::to_string(id) +
           R"(,"TargetUserName":"u"})" "\n";
  });
}

TEST_F(RunTest, EventIdFilterApplies) {
  extra_params = "<param name=\"event_ids\">4768</param>";
  write(logs / "a.json", nxlog_lines(1, 5));
  auto r = run();
  EXPECT_TRUE(r->ids.empty());
  EXPECT_NE(r->err.find("filtered=5"), std::string::npos) << r->err;
}

TEST_F(RunTest, StopBeforeStartingSendsNothingAndLosesNothing) {
  write(logs / "a.json", nxlog_lines(1, 30));
  std::atomic<bool> stop{true};
  auto r = run(&stop);
  EXPECT_EQ(r->code, 0);
  EXPECT_TRUE(r->ids.empty());
  EXPECT_NE(r->err.find("stop requested"), std::string::npos) << r->err;
  EXPECT_EQ(run()->ids, range(1, 30));
}

TEST_F(RunTest, BadConfigurationFails) {
  std::ostringstream out, err;
  EXPECT_EQ(ki::modinput::run_modular_input("<input>", out, err, {}), 1);
  EXPECT_NE(err.str().find("FATAL "), std::string::npos);
  std::ostringstream out2, err2;
  EXPECT_EQ(ki::modinput::run_modular_input(
                "<input><checkpoint_dir>/tmp</checkpoint_dir><configuration><stanza name=\"s\">"
                "<param name=\"path\">/x</param><param name=\"kind\">csv</param></stanza></configuration></input>",
                out2, err2, {}),
            1);
  EXPECT_NE(err2.str().find("ERROR s: kind \"csv\""), std::string::npos) << err2.str();
  EXPECT_EQ(out2.str(), "<stream>\n</stream>\n");
}

TEST_F(RunTest, CorruptCheckpointSkipsTheInputInsteadOfResending) {
  write(logs / "a.json", nxlog_lines(1, 5));
  ASSERT_EQ(run()->ids.size(), 5u);
  const ki::modinput::CheckpointStore store(ckpt.string(), "kerberos_events://dc1");
  write(store.path(), "{broken");
  auto r = run();
  EXPECT_TRUE(r->ids.empty());
  EXPECT_EQ(r->code, 1);
  EXPECT_NE(r->err.find("checkpoint unreadable"), std::string::npos) << r->err;
}

}  // namespace
