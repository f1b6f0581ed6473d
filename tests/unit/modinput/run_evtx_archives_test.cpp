// Archives and live copies of EVTX logs through the modular input's run: a live Security.evtx copied
// again and again yields only its new records, and records already sent from one copy are never sent
// again from another copy, a renamed archive or an overlapping one. Files come from the test-only writer,
// so this holds in every clone.
#include <filesystem>
#include <set>
#include <sstream>

#include <gtest/gtest.h>
#include <pugixml.hpp>

#include "modinput/run.hpp"
#include "support/evtx_writer.hpp"
#include "support/temp_dir.hpp"

namespace {

namespace fs = std::filesystem;
namespace evtx = ki::test::evtx;

std::vector<evtx::Event> kerberos_events(std::uint64_t first, std::uint64_t last, const std::string& computer) {
  std::vector<evtx::Event> events;
  for (auto id = first; id <= last; ++id) {
    auto event = evtx::synthetic_event(id, id * 2654435761u, true);
    event.computer = computer;
    events.push_back(std::move(event));
  }
  return events;
}

class EvtxArchives : public ::testing::Test {
 protected:
  void SetUp() override { fs::create_directories(dir_ / "logs"); }

  void write(const std::string& name, const std::vector<evtx::Event>& events) {
    std::string error;
    ASSERT_TRUE(evtx::write_file(dir_ / "logs" / name, events, {}, error)) << error;
  }

  // EventRecordIDs (as "Computer/ID") of the events one run sends.
  std::multiset<std::string> run() {
    const std::string input =
        "<input><server_host>sh</server_host><server_uri>https://127.0.0.1:8089</server_uri><session_key>k</session_key>"
        "<checkpoint_dir>" + (dir_ / "checkpoints").string() + "</checkpoint_dir><configuration>"
        "<stanza name=\"kerberos_events://archives\"><param name=\"kind\">evtx</param><param name=\"path\">" +
        (dir_ / "logs").string() + "</param><param name=\"threads\">2</param></stanza></configuration></input>";
    fs::create_directories(dir_ / "checkpoints");
    std::ostringstream out, err;
    ki::modinput::RunOptions options;
    options.batch_size = 64;
    EXPECT_EQ(ki::modinput::run_modular_input(input, out, err, options), 0) << err.str();
    pugi::xml_document doc;
    const std::string text = out.str();
    EXPECT_TRUE(doc.load_buffer(text.data(), text.size())) << text.substr(0, 500);
    std::multiset<std::string> sent;
    for (auto event : doc.child("stream").children("event")) {
      const std::string data = event.child_value("data");
      const auto at = data.find("\"EventRecordID\":\"");
      EXPECT_NE(at, std::string::npos) << data;
      sent.insert(std::string(event.child_value("host")) + "/" +
                  data.substr(at + 17, data.find('"', at + 17) - at - 17));
    }
    last_log_ = err.str();
    return sent;
  }

  static std::multiset<std::string> ids(const std::string& computer, std::uint64_t first, std::uint64_t last) {
    std::multiset<std::string> out;
    for (auto id = first; id <= last; ++id) out.insert(computer + "/" + std::to_string(id));
    return out;
  }

  ki::test::TempDir temp_;
  const fs::path& dir_ = temp_.path;
  std::string last_log_;
};

TEST_F(EvtxArchives, LiveCopiesYieldOnlyNewRecordsAndCopiesNeverRepeat) {
  const std::string dc = "DC01.corp.example";
  write("Security.evtx", kerberos_events(1, 300, dc));
  EXPECT_EQ(run(), ids(dc, 1, 300)) << last_log_;

  // The live log copied again after it grew: same name, rewritten file, 150 more records.
  write("Security.evtx", kerberos_events(1, 450, dc));
  EXPECT_EQ(run(), ids(dc, 301, 450)) << last_log_;

  // Archived under another name: nothing new.
  fs::rename(dir_ / "logs" / "Security.evtx", dir_ / "logs" / "Archive-Security-2026-03-02.evtx");
  EXPECT_TRUE(run().empty()) << last_log_;

  // An overlapping copy collected by someone else: only the records no copy had yet.
  write("ir-collection-Security.evtx", kerberos_events(400, 520, dc));
  EXPECT_EQ(run(), ids(dc, 451, 520)) << last_log_;

  // An older archive of another domain controller met for the first time: all of it, even with lower IDs.
  write("Archive-DC02.evtx", kerberos_events(1, 80, "DC02.corp.example"));
  EXPECT_EQ(run(), ids("DC02.corp.example", 1, 80)) << last_log_;
  EXPECT_TRUE(run().empty());
}

}  // namespace
