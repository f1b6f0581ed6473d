#include "pipeline/pipeline.hpp"

#include <atomic>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "support/evtx_writer.hpp"
#include "support/temp_dir.hpp"

namespace {

using ki::ReadStatus;
using ki::Record;
using ki::pipeline::FileOptions;
using ki::pipeline::Hooks;
using ki::pipeline::Outcome;

// A source of `count` records, EventRecordID 1..count, position = number of items consumed;
// the items listed in `bad_at` are bad records instead.
class FakeSource final : public ki::Source {
 public:
  FakeSource(std::uint64_t count, std::vector<std::uint64_t> bad_at = {}) : count_(count), bad_at_(std::move(bad_at)) {}
  ReadStatus next(Record& out, std::string& error) override {
    if (pos_ >= count_) return ReadStatus::end;
    const std::uint64_t item = ++pos_;
    for (auto b : bad_at_)
      if (b == item) {
        error = "fake.json: bad record at offset " + std::to_string(item);
        ++stats_.bad;
        return ReadStatus::bad;
      }
    out.clear();
    out.event_id = 4769;
    out.system.push_back({"EventID", "4769"});
    out.system.push_back({"EventRecordID", std::to_string(item)});
    out.system.push_back({"Computer", "dc1.corp.example"});
    out.system.push_back({"Channel", "Security"});
    out.system.push_back({"TimeCreated", "2024-01-02T03:04:05.0000000Z"});
    ++stats_.records;
    return ReadStatus::record;
  }
  std::uint64_t position() const override { return pos_; }
  const ki::SourceStats& stats() const override { return stats_; }

 private:
  std::uint64_t count_;
  std::vector<std::uint64_t> bad_at_;
  std::uint64_t pos_ = 0;
  ki::SourceStats stats_;
};

// Records what reaches the output and when, so tests can check a commit never precedes its flush.
class RecordingSink final : public ki::sink::EventSink {
 public:
  std::vector<std::string>* journal;
  bool fail_flush_after = false;
  std::size_t flushes = 0;
  std::size_t pending = 0;
  std::size_t written = 0;
  explicit RecordingSink(std::vector<std::string>* j) : journal(j) {}
  void write(const ki::NormalizedEvent&, std::string_view source) override {
    EXPECT_EQ(source, "fake.json");
    ++pending;
  }
  bool flush() override {
    if (fail_flush_after && flushes >= 1) return false;
    ++flushes;
    written += pending;
    journal->push_back("flush " + std::to_string(pending));
    pending = 0;
    return true;
  }
  bool finish() override { return flush(); }
};

// Every test runs in order (1 thread) and with records read ahead and normalized on other threads: the
// output, commits and log must be the same.
struct PipelineTest : ::testing::TestWithParam<unsigned> {
  std::vector<std::string> journal;
  RecordingSink sink{&journal};
  std::ostringstream err;
  ki::pipeline::Log log{err};
  Hooks hooks;
  FileOptions options;
  void SetUp() override {
    options.batch_size = 4;
    options.threads = GetParam();
    hooks.commit = [this](std::uint64_t pos) {
      journal.push_back("commit " + std::to_string(pos));
      return true;
    };
  }
};

TEST_P(PipelineTest, FlushesThenCommitsEachBatch) {
  FakeSource source(10);
  const auto s = ki::pipeline::process_source(source, "fake.json", options, &sink, hooks, log);
  EXPECT_EQ(s.outcome, Outcome::done);
  EXPECT_EQ(s.emitted, 10u);
  EXPECT_EQ(s.position, 10u);
  EXPECT_EQ(s.stats.records, 10u);
  const std::vector<std::string> expected = {"flush 4", "commit 4", "flush 4", "commit 8", "flush 2", "commit 10"};
  EXPECT_EQ(journal, expected);
}

TEST_P(PipelineTest, BadRecordsAreCountedLoggedAFewTimesAndReadingGoesOn) {
  FakeSource source(10, {2, 3, 5, 7, 9});
  options.logged_errors = 2;
  const auto s = ki::pipeline::process_source(source, "fake.json", options, &sink, hooks, log);
  EXPECT_EQ(s.outcome, Outcome::done);
  EXPECT_EQ(s.emitted, 5u);
  EXPECT_EQ(s.stats.bad, 5u);
  EXPECT_EQ(sink.written, 5u);
  const std::string lines = err.str();
  EXPECT_NE(lines.find("WARN bad record: fake.json: bad record at offset 2\n"), std::string::npos);
  EXPECT_NE(lines.find("WARN bad record: fake.json: bad record at offset 3\n"), std::string::npos);
  EXPECT_EQ(lines.find("offset 5"), std::string::npos);
  EXPECT_NE(lines.find("further bad records are only counted"), std::string::npos);
}

TEST_P(PipelineTest, RefusedRecordsAreCountedAsDuplicatesAndNotEmitted) {
  FakeSource source(10);
  hooks.admit = [](const Record& r, const ki::SourceStats&) { return std::stoul(*r.system_field("EventRecordID")) % 2 == 0; };
  const auto s = ki::pipeline::process_source(source, "fake.json", options, &sink, hooks, log);
  EXPECT_EQ(s.emitted, 5u);
  EXPECT_EQ(s.duplicates, 5u);
  EXPECT_EQ(sink.written, 5u);
  EXPECT_EQ(s.position, 10u);
}

TEST_P(PipelineTest, StopCommitsWhatWasReadAndEndsCleanly) {
  FakeSource source(3000);  // more than one read-ahead block
  std::atomic<bool> stop{false};
  options.stop = &stop;
  int batches = 0;
  hooks.commit = [&](std::uint64_t pos) {
    journal.push_back("commit " + std::to_string(pos));
    if (++batches == 2) stop = true;  // as if SIGTERM came during the third batch
    return true;
  };
  const auto s = ki::pipeline::process_source(source, "fake.json", options, &sink, hooks, log);
  EXPECT_EQ(s.outcome, Outcome::stopped);
  EXPECT_EQ(s.position, 8u);
  EXPECT_EQ(sink.written, 8u);
  EXPECT_EQ(journal.back(), "commit 8");
}

TEST_P(PipelineTest, AFailedOutputIsNotCommitted) {
  FakeSource source(3000);  // more than one read-ahead block
  sink.fail_flush_after = true;
  const auto s = ki::pipeline::process_source(source, "fake.json", options, &sink, hooks, log);
  EXPECT_EQ(s.outcome, Outcome::output_failed);
  EXPECT_EQ(s.position, 4u);  // only the first batch reached the output
  const std::vector<std::string> expected = {"flush 4", "commit 4"};
  EXPECT_EQ(journal, expected);
}

TEST_P(PipelineTest, AFailedCommitStopsTheFile) {
  FakeSource source(3000);  // more than one read-ahead block
  hooks.commit = [](std::uint64_t) { return false; };
  const auto s = ki::pipeline::process_source(source, "fake.json", options, &sink, hooks, log);
  EXPECT_EQ(s.outcome, Outcome::commit_failed);
  EXPECT_EQ(s.position, 0u);
}

TEST_P(PipelineTest, WithoutEmitReadsToTheEndAndCommitsTheEnd) {
  FakeSource source(10);
  options.emit = false;
  const auto s = ki::pipeline::process_source(source, "fake.json", options, &sink, hooks, log);
  EXPECT_EQ(s.outcome, Outcome::done);
  EXPECT_EQ(s.emitted, 0u);
  EXPECT_EQ(sink.flushes, 0u);
  EXPECT_EQ(s.position, 10u);
  EXPECT_EQ(journal.back(), "commit 10");
}

TEST_P(PipelineTest, OpenFailureIsAValueNamingTheFile) {
  options.kind = ki::SourceKind::json;
  const auto s = ki::pipeline::process_file("/nonexistent/kerberos/x.json", options, &sink, hooks, log);
  EXPECT_EQ(s.outcome, Outcome::open_failed);
  EXPECT_NE(s.error.find("/nonexistent/kerberos/x.json"), std::string::npos);
  EXPECT_TRUE(journal.empty());
}

// Long enough for many read-ahead blocks, with bad records, refused ones and a batch size that does not
// divide a block: every commit follows its flush, in the same places as when reading in order.
TEST_P(PipelineTest, ALongFileGivesTheSameJournalAsReadingInOrder) {
  std::vector<std::uint64_t> bad;
  for (std::uint64_t i = 5; i < 3000; i += 97) bad.push_back(i);
  hooks.admit = [](const Record& r, const ki::SourceStats&) { return std::stoul(*r.system_field("EventRecordID")) % 5 != 0; };
  options.batch_size = 37;
  std::vector<std::string> emitted;
  struct Collecting final : ki::sink::EventSink {
    std::vector<std::string>* out;
    explicit Collecting(std::vector<std::string>* o) : out(o) {}
    void write(const ki::NormalizedEvent& e, std::string_view) override { out->push_back(e.stable_key + " " + e.json); }
    bool flush() override { out->push_back("flush"); return true; }
    bool finish() override { return flush(); }
  };
  auto run = [&](unsigned threads, std::vector<std::string>& lines) {
    Collecting collecting(&lines);
    options.threads = threads;
    FakeSource source(3000, bad);
    hooks.commit = [&lines](std::uint64_t pos) {
      lines.push_back("commit " + std::to_string(pos));
      return true;
    };
    return ki::pipeline::process_source(source, "fake.json", options, &collecting, hooks, log);
  };
  std::vector<std::string> in_order, this_way;
  const auto expected = run(1, in_order);
  const auto s = run(GetParam(), this_way);
  EXPECT_EQ(s.outcome, Outcome::done);
  EXPECT_EQ(s.emitted, expected.emitted);
  EXPECT_EQ(s.duplicates, expected.duplicates);
  EXPECT_EQ(s.stats.bad, bad.size());
  EXPECT_EQ(s.position, 3000u);
  EXPECT_EQ(this_way, in_order);
  EXPECT_GT(s.emitted, 2000u);
}

INSTANTIATE_TEST_SUITE_P(Threads, PipelineTest, ::testing::Values(1u, 2u, 3u),
                         [](const auto& info) { return std::to_string(info.param) + "_threads"; });

// An evtx file read with threads normalizes where it parses (SourceOptions::work): the output, the
// duplicates refused by identity and the commits are those of reading in order.
TEST(PipelineEvtx, NormalizingWhereChunksAreParsedChangesNothingDownstream) {
  ki::test::TempDir dir;
  std::vector<ki::test::evtx::Event> events;
  for (std::uint64_t id = 1; id <= 3000; ++id)
    events.push_back(ki::test::evtx::synthetic_event(id, id * 2246822519u, id % 5 != 0));
  const std::string file = (dir.path / "dc.evtx").string();
  std::string error;
  ASSERT_TRUE(ki::test::evtx::write_file(file, events, {}, error)) << error;
  struct Collecting final : ki::sink::EventSink {
    std::vector<std::string>* out;
    explicit Collecting(std::vector<std::string>* o) : out(o) {}
    void write(const ki::NormalizedEvent& e, std::string_view) override {
      out->push_back(e.stable_key + " " + e.time + " " + e.json);
    }
    bool flush() override { out->push_back("flush"); return true; }
    bool finish() override { return flush(); }
  };
  std::ostringstream err;
  ki::pipeline::Log log{err};
  auto run = [&](unsigned threads, std::vector<std::string>& lines) {
    Collecting sink(&lines);
    FileOptions options;
    options.kind = ki::SourceKind::evtx;
    options.batch_size = 101;
    options.threads = options.source.threads = threads;
    Hooks hooks;
    hooks.admit = [&lines](const Record& r, const ki::SourceStats&) {
      const auto identity = ki::record_identity(r);
      EXPECT_TRUE(identity.has_value());
      lines.push_back("admit " + std::string(identity->computer) + "/" + std::string(identity->channel));
      return identity->record_id % 7 != 0;
    };
    hooks.commit = [&lines](std::uint64_t pos) {
      lines.push_back("commit " + std::to_string(pos));
      return true;
    };
    return ki::pipeline::process_file(file, options, &sink, hooks, log);
  };
  std::vector<std::string> in_order;
  const auto expected = run(1, in_order);
  ASSERT_EQ(expected.outcome, Outcome::done);
  ASSERT_GT(expected.emitted, 1500u);
  ASSERT_GT(expected.duplicates, 200u);
  for (unsigned threads : {2u, 3u}) {
    SCOPED_TRACE(threads);
    std::vector<std::string> lines;
    const auto s = run(threads, lines);
    EXPECT_EQ(s.outcome, Outcome::done);
    EXPECT_EQ(s.emitted, expected.emitted);
    EXPECT_EQ(s.duplicates, expected.duplicates);
    EXPECT_EQ(lines, in_order);
  }
}

TEST(SummaryText, NamesFileKindAndCounts) {
  ki::pipeline::FileSummary s;
  s.stats.records = 12;
  s.stats.bad = 1;
  s.stats.filtered = 3;
  s.emitted = 10;
  s.duplicates = 2;
  s.seconds = 0.5;
  const std::string text = ki::pipeline::summary_text("a b.json", ki::SourceKind::json, s);
  EXPECT_EQ(text,
            "file=\"a b.json\" kind=json records=12 emitted=10 duplicates=2 bad=1 filtered=3 elapsed=0.500s "
            "rate=24/s outcome=done");
}

}  // namespace
