#include "modinput/checkpoint.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <set>

#include <gtest/gtest.h>
#include "support/temp_dir.hpp"

namespace {

namespace fs = std::filesystem;
using ki::SourceKind;
using ki::modinput::Checkpoint;
using ki::modinput::CheckpointStore;
using ki::modinput::FileEntry;
using ki::modinput::file_identity;
using ki::modinput::RangeSet;

using ki::test::TempDir;

std::vector<std::pair<std::uint64_t, std::uint64_t>> intervals(const RangeSet& s) {
  return {s.intervals().begin(), s.intervals().end()};
}

TEST(RangeSet, CoalescesAdjacentAndOverlapping) {
  RangeSet s;
  EXPECT_TRUE(s.insert(5));
  EXPECT_TRUE(s.insert(7));
  EXPECT_FALSE(s.insert(5));
  EXPECT_EQ(intervals(s), (std::vector<std::pair<std::uint64_t, std::uint64_t>>{{5, 5}, {7, 7}}));
  EXPECT_TRUE(s.insert(6));  // bridges the gap
  EXPECT_EQ(intervals(s), (std::vector<std::pair<std::uint64_t, std::uint64_t>>{{5, 7}}));
  s.insert_range(10, 20);
  s.insert_range(8, 9);
  EXPECT_EQ(intervals(s), (std::vector<std::pair<std::uint64_t, std::uint64_t>>{{5, 20}}));
  s.insert_range(30, 40);
  s.insert_range(1, 35);
  EXPECT_EQ(intervals(s), (std::vector<std::pair<std::uint64_t, std::uint64_t>>{{1, 40}}));
  EXPECT_TRUE(s.contains(1));
  EXPECT_TRUE(s.contains(40));
  EXPECT_FALSE(s.contains(0));
  EXPECT_FALSE(s.contains(41));
  EXPECT_TRUE(s.insert(0));
  EXPECT_TRUE(s.insert(UINT64_MAX));
  EXPECT_TRUE(s.insert(UINT64_MAX - 1));
  EXPECT_EQ(intervals(s),
            (std::vector<std::pair<std::uint64_t, std::uint64_t>>{{0, 40}, {UINT64_MAX - 1, UINT64_MAX}}));
}

// Random inserts and ranges against a plain set of the same numbers: same members, and the intervals are
// exactly the maximal runs (disjoint and never adjacent).
TEST(RangeSet, AgreesWithAPlainSet) {
  std::mt19937_64 random(42);
  for (int round = 0; round < 50; ++round) {
    RangeSet s;
    std::set<std::uint64_t> plain;
    for (int op = 0; op < 200; ++op) {
      const std::uint64_t a = random() % 120;
      if (random() % 5 == 0) {
        const std::uint64_t b = a + random() % 6;
        s.insert_range(a, b);
        for (std::uint64_t v = a; v <= b; ++v) plain.insert(v);
      } else {
        ASSERT_EQ(s.insert(a), plain.insert(a).second) << a;
      }
    }
    std::vector<std::pair<std::uint64_t, std::uint64_t>> runs;
    for (const std::uint64_t v : plain) {
      if (!runs.empty() && runs.back().second + 1 == v) runs.back().second = v;
      else runs.emplace_back(v, v);
    }
    ASSERT_EQ(intervals(s), runs);
  }
}

TEST(RangeSet, SequentialIdsStayOneInterval) {
  RangeSet s;
  for (std::uint64_t i = 1000; i < 101000; ++i) ASSERT_TRUE(s.insert(i));
  EXPECT_EQ(s.intervals().size(), 1u);
  for (std::uint64_t i = 101000; i > 1000; i -= 2) s.insert(i + 100000);  // every other one, descending
  EXPECT_EQ(s.intervals().size(), 50001u);
}

ki::Record record(std::string computer, std::string channel, std::string id) {
  ki::Record r;
  r.system.push_back({"Computer", std::move(computer)});
  if (!channel.empty()) r.system.push_back({"Channel", std::move(channel)});
  if (!id.empty()) r.system.push_back({"EventRecordID", std::move(id)});
  return r;
}

TEST(Checkpoint, AdmitsEachComputerChannelRecordOnce) {
  Checkpoint c;
  EXPECT_TRUE(c.admit(record("dc1", "Security", "10")));
  EXPECT_FALSE(c.admit(record("dc1", "Security", "10")));
  EXPECT_TRUE(c.admit(record("dc2", "Security", "10")));   // another DC
  EXPECT_TRUE(c.admit(record("dc1", "System", "10")));     // another channel
  EXPECT_TRUE(c.admit(record("dc1", "", "11")));
  EXPECT_FALSE(c.admit(record("dc1", "", "11")));
  // Without a usable ID there is nothing to compare: always admitted.
  EXPECT_TRUE(c.admit(record("dc1", "Security", "")));
  EXPECT_TRUE(c.admit(record("dc1", "Security", "")));
  EXPECT_TRUE(c.admit(record("dc1", "Security", "12x")));
  EXPECT_TRUE(c.admit(record("dc1", "Security", "12x")));
  EXPECT_EQ(c.seen.size(), 4u);
}

ki::SourceStats progress(std::uint64_t records, std::uint64_t filtered, std::uint64_t bad = 0) {
  ki::SourceStats s;
  s.records = records;
  s.filtered = filtered;
  s.bad = bad;
  return s;
}

TEST(Checkpoint, GapsOfFilteredRecordsAreBridgedSoALogStaysOneInterval) {
  Checkpoint c;
  c.begin_file();
  auto p = progress(1, 0);
  EXPECT_TRUE(c.admit(record("dc1", "Security", "100"), &p));
  p = progress(2, 3);  // 101..103 read and filtered out
  EXPECT_TRUE(c.admit(record("dc1", "Security", "104"), &p));
  ASSERT_EQ(c.seen.begin()->second.intervals().size(), 1u);
  EXPECT_EQ(c.seen.begin()->second.intervals().begin()->second, 104u);
  EXPECT_TRUE(c.seen.begin()->second.contains(102));

  // A bad record in between: its ID may be whole in another copy, so the gap stays open.
  p = progress(3, 4, 1);
  EXPECT_TRUE(c.admit(record("dc1", "Security", "107"), &p));
  EXPECT_FALSE(c.seen.begin()->second.contains(105));
  // Fewer filtered records than the gap: the file lacks some IDs, which another copy may hold.
  p = progress(4, 5, 1);
  EXPECT_TRUE(c.admit(record("dc1", "Security", "110"), &p));
  EXPECT_FALSE(c.seen.begin()->second.contains(109));
  // Another computer's good record in between (records went up by two): no bridge either.
  p = progress(5, 5, 1);
  EXPECT_TRUE(c.admit(record("dc2", "Security", "1"), &p));
  p = progress(6, 6, 1);
  EXPECT_TRUE(c.admit(record("dc1", "Security", "112"), &p));
  EXPECT_FALSE(c.seen.begin()->second.contains(111));
  // A new file never bridges to the last record of the previous one.
  c.begin_file();
  p = progress(1, 0);
  EXPECT_TRUE(c.admit(record("dc1", "Security", "200"), &p));
  p = progress(2, 0);
  EXPECT_TRUE(c.admit(record("dc1", "Security", "201"), &p));
  EXPECT_FALSE(c.seen.begin()->second.contains(150));
}

// Where the events of many hosts interleave (a Windows Event Collector file), the counts cannot tell whose
// IDs a gap holds; the filtered records the source names fill each host's gaps instead.
TEST(Checkpoint, FilteredRecordsNamedByTheSourceJoinTheirHostsIntervals) {
  Checkpoint c;
  c.begin_file();
  auto p = progress(1, 0);
  EXPECT_TRUE(c.admit(record("dc1", "Security", "10"), &p));
  c.note_filtered({"dc2", "Security", 40});
  c.note_filtered({"dc1", "Security", 11});
  p = progress(2, 2);
  EXPECT_TRUE(c.admit(record("dc2", "Security", "41"), &p));
  c.note_filtered({"dc1", "System", 12});  // another log of dc1: its own numbering
  p = progress(3, 3);
  EXPECT_TRUE(c.admit(record("dc1", "Security", "12"), &p));
  const auto& dc1 = c.seen.at({"dc1", "Security"});
  EXPECT_EQ(intervals(dc1), (std::vector<std::pair<std::uint64_t, std::uint64_t>>{{10, 12}}));
  EXPECT_EQ(intervals(c.seen.at({"dc2", "Security"})), (std::vector<std::pair<std::uint64_t, std::uint64_t>>{{40, 41}}));
  EXPECT_EQ(intervals(c.seen.at({"dc1", "System"})), (std::vector<std::pair<std::uint64_t, std::uint64_t>>{{12, 12}}));
  // A filtered ID is not a sent event: it is only remembered, and a record with that ID later is a duplicate.
  EXPECT_FALSE(c.admit(record("dc1", "Security", "11"), &p));
}

TEST(Checkpoint, JsonRoundTrip) {
  Checkpoint c;
  FileEntry e;
  e.path = "/logs/dc1 \"a\".json";
  e.kind = "json";
  e.identity = {"abc123", 4096, true};
  e.size = 123456;
  e.position = 120000;
  c.files.push_back(e);
  c.admit(record("dc1", "Security", "5"));
  c.admit(record("dc1", "Security", "6"));
  c.admit(record("dc1", "Security", "9"));
  const std::string text = ki::modinput::checkpoint_to_json(c);
  std::string error;
  const auto back = ki::modinput::checkpoint_from_json(text, error);
  ASSERT_TRUE(back) << error;
  EXPECT_TRUE(back->existed);
  ASSERT_EQ(back->files.size(), 1u);
  EXPECT_EQ(back->files[0].path, e.path);
  EXPECT_EQ(back->files[0].kind, "json");
  EXPECT_EQ(back->files[0].identity.digest, "abc123");
  EXPECT_EQ(back->files[0].identity.length, 4096u);
  EXPECT_TRUE(back->files[0].identity.complete);
  EXPECT_EQ(back->files[0].size, 123456u);
  EXPECT_EQ(back->files[0].position, 120000u);
  const auto& set = back->seen.at({"dc1", "Security"});
  EXPECT_EQ(intervals(set), (std::vector<std::pair<std::uint64_t, std::uint64_t>>{{5, 6}, {9, 9}}));
  EXPECT_FALSE(ki::modinput::checkpoint_from_json("{\"files\":[{\"position\":\"x\"}]}", error));
  EXPECT_FALSE(ki::modinput::checkpoint_from_json("not json", error));
}

TEST(FileIdentity, FollowsContentNotName) {
  TempDir t;
  std::string big(10000, 'x');
  for (std::size_t i = 0; i < big.size(); i += 97) big[i] = static_cast<char>('a' + i % 26);
  const std::string a = t.write("a.json", big);
  std::string error;
  const auto id = file_identity(a, SourceKind::json, error);
  ASSERT_TRUE(id) << error;
  EXPECT_TRUE(id->complete);
  EXPECT_EQ(id->length, 4096u);

  Checkpoint c;
  c.files.push_back({a, "json", *id, big.size(), 5000});
  // Renamed: found by content.
  const std::string b = (t.path / "renamed.json").string();
  fs::rename(a, b);
  const auto id_b = file_identity(b, SourceKind::json, error);
  ASSERT_TRUE(id_b);
  FileEntry* found = c.find(b, SourceKind::json, *id_b);
  ASSERT_NE(found, nullptr);
  EXPECT_EQ(found->position, 5000u);
  // Growing does not change the identity.
  t.write("renamed.json", "more\n", std::ios::app);
  EXPECT_EQ(file_identity(b, SourceKind::json, error)->digest, id->digest);
  // Rewritten in place: different start, not found.
  std::string rewritten = big;
  rewritten[10] = '#';
  t.write("renamed.json", rewritten);
  const auto id_rw = file_identity(b, SourceKind::json, error);
  EXPECT_NE(id_rw->digest, id->digest);
  EXPECT_EQ(c.find(b, SourceKind::json, *id_rw), nullptr);
  // Another kind never matches.
  EXPECT_EQ(c.find(b, SourceKind::xml, *id_b), nullptr);
}

TEST(FileIdentity, ShortFilesMatchOnlyAtTheirPathAndMayGrow) {
  TempDir t;
  const std::string a = t.write("a.json", "{\"EventID\":4769}\n");
  std::string error;
  const auto small = file_identity(a, SourceKind::json, error);
  ASSERT_TRUE(small);
  EXPECT_FALSE(small->complete);
  Checkpoint c;
  c.files.push_back({a, "json", *small, 17, 17});
  // The same short content elsewhere is not taken for the same file (many files start alike).
  const std::string other = t.write("other.json", "{\"EventID\":4769}\n");
  EXPECT_EQ(c.find(other, SourceKind::json, *file_identity(other, SourceKind::json, error)), nullptr);
  // The file grows past 4 KiB: still the same file, matched through the shorter stored prefix.
  t.write("a.json", std::string(8000, 'z'), std::ios::app);
  const auto grown = file_identity(a, SourceKind::json, error);
  ASSERT_TRUE(grown->complete);
  EXPECT_NE(c.find(a, SourceKind::json, *grown), nullptr);
  // Rewritten with another start at the same path: not the same file.
  t.write("a.json", "{\"EventID\":4770}\n");
  EXPECT_EQ(c.find(a, SourceKind::json, *file_identity(a, SourceKind::json, error)), nullptr);
}

TEST(FileIdentity, EvtxUsesTheWholeFirstRecord) {
  TempDir t;
  constexpr std::size_t kRecordSize = 124;
  std::string evtx(4096 + 512 + kRecordSize + 100, '\0');
  evtx.replace(0, 8, std::string("ElfFile\0", 8));
  evtx.replace(4608, 4, std::string("**\0\0", 4));
  evtx[4612] = static_cast<char>(kRecordSize);  // record size, little-endian
  evtx[4616] = 1;                               // record ID 1
  evtx.replace(4608 + 40, 17, "DC01.corp.example");
  const std::string p = t.write("Security.evtx", evtx);
  std::string error;
  const auto id = file_identity(p, SourceKind::evtx, error);
  ASSERT_TRUE(id) << error;
  EXPECT_EQ(id->length, kRecordSize);
  EXPECT_TRUE(id->complete);
  // The file header changing (the log growing) keeps the identity.
  std::string grown = evtx + std::string(65536, '\1');
  grown[40] = 7;
  t.write("Security.evtx", grown);
  EXPECT_EQ(file_identity(p, SourceKind::evtx, error)->digest, id->digest);
  // Another DC's log whose first record has the same header but other content is another file.
  std::string other = evtx;
  other.replace(4608 + 40, 17, "DC02.corp.example");
  const std::string q = t.write("Other.evtx", other);
  EXPECT_NE(file_identity(q, SourceKind::evtx, error)->digest, id->digest);
  // A log without a first record yet, or with a damaged first record header, has no identity.
  const std::string empty_log = t.write("Empty.evtx", evtx.substr(0, 4096));
  EXPECT_FALSE(file_identity(empty_log, SourceKind::evtx, error));
  EXPECT_TRUE(error.empty());
  std::string bad_size = evtx;
  bad_size[4612] = 3;
  EXPECT_FALSE(file_identity(t.write("BadSize.evtx", bad_size), SourceKind::evtx, error));
  EXPECT_FALSE(file_identity((t.path / "missing.evtx").string(), SourceKind::evtx, error));
  EXPECT_NE(error.find("missing.evtx"), std::string::npos);
}

TEST(CheckpointStore, MissingFileIsAFirstRun) {
  TempDir t;
  CheckpointStore store(t.path.string(), "kerberos_events://dc1");
  std::string error;
  auto c = store.load(error);
  ASSERT_TRUE(c) << error;
  EXPECT_FALSE(c->existed);
  EXPECT_TRUE(c->files.empty());
}

TEST(CheckpointStore, SavesAtomicallyAndLoadsBack) {
  TempDir t;
  CheckpointStore store((t.path / "nested").string(), "kerberos_events://dc 1/x");
  EXPECT_EQ(fs::path(store.path()).parent_path(), t.path / "nested");
  EXPECT_TRUE(fs::path(store.path()).filename().string().starts_with("kerberos_events_dc_1_x_"));
  Checkpoint c;
  c.files.push_back({"/a", "json", {"d", 4096, true}, 10, 10});
  std::string error;
  ASSERT_TRUE(store.save(c, error)) << error;
  c.files[0].position = 99;
  ASSERT_TRUE(store.save(c, error)) << error;
  auto back = store.load(error);
  ASSERT_TRUE(back) << error;
  EXPECT_TRUE(back->existed);
  EXPECT_EQ(back->files.at(0).position, 99u);
  // Only the checkpoint itself is left: no temp file.
  std::size_t entries = 0;
  for (const auto& e : fs::directory_iterator(t.path / "nested")) {
    ++entries;
    EXPECT_EQ(e.path().string(), store.path());
  }
  EXPECT_EQ(entries, 1u);
}

TEST(CheckpointStore, DifferentStanzasDifferentFiles) {
  CheckpointStore a("/ck", "kerberos_events://a/b");
  CheckpointStore b("/ck", "kerberos_events://a_b");
  EXPECT_NE(a.path(), b.path());
}

TEST(CheckpointStore, AFailedSaveLeavesThePreviousCheckpoint) {
  TempDir t;
  CheckpointStore store(t.path.string(), "kerberos_events://dc1");
  Checkpoint c;
  c.files.push_back({"/a", "json", {"d", 4096, true}, 10, 10});
  std::string error;
  ASSERT_TRUE(store.save(c, error)) << error;
  // A folder squatting the temp file's name makes the next save fail before the rename.
  fs::create_directory(store.path() + ".tmp." + std::to_string(::getpid()));
  c.files[0].position = 20;
  EXPECT_FALSE(store.save(c, error));
  EXPECT_FALSE(error.empty());
  auto back = store.load(error);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->files.at(0).position, 10u);
}

TEST(CheckpointStore, CorruptFileIsReportedNotIgnored) {
  TempDir t;
  CheckpointStore store(t.path.string(), "kerberos_events://dc1");
  std::ofstream(store.path()) << "{\"files\":[";
  std::string error;
  EXPECT_FALSE(store.load(error));
  EXPECT_NE(error.find(store.path()), std::string::npos) << error;
}

}  // namespace
