// The chunk worker pool: results come back in chunk order whatever the number of workers, a job given up
// halfway leaves the pool ready for the next, and a released pool is leased again, warm. Then the same
// through the evtx source, on files the test writer makes: every thread count gives the records of one.
#include "source/evtx/evtx_workers.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "source/source.hpp"
#include "support/evtx_writer.hpp"
#include "support/temp_dir.hpp"

namespace {

namespace evtx = ki::evtx;
namespace writer = ki::test::evtx;
namespace fs = std::filesystem;

// A job whose chunk `index` says which chunk it is, so order and completeness can be checked.
evtx::ChunkWorkers::ParseChunk numbering() {
  return [](evtx::ChunkParser&, std::size_t index, evtx::ChunkResult& result) {
    result.clear();
    result.filtered = index;
    result.add_bad("chunk " + std::to_string(index));
  };
}

TEST(ChunkWorkers, ResultsComeInChunkOrder) {
  for (unsigned workers : {1u, 2u, 3u, 8u}) {
    SCOPED_TRACE(workers);
    evtx::ChunkWorkers pool(workers);
    for (int job = 0; job < 3; ++job) {  // the same pool, job after job
      const std::size_t count = 100 + static_cast<std::size_t>(job);
      pool.begin(count, numbering());
      for (std::size_t i = 0; i < count; ++i) {
        evtx::ChunkResult& result = pool.take(i);
        ASSERT_EQ(result.filtered, i);
        ASSERT_EQ(result.count, 1u);
        ASSERT_EQ(result.items[0].error, "chunk " + std::to_string(i));
      }
      pool.end();
    }
  }
}

TEST(ChunkWorkers, AJobGivenUpHalfwayLeavesThePoolReady) {
  evtx::ChunkWorkers pool(2);
  pool.begin(1000, numbering());
  EXPECT_EQ(pool.take(0).filtered, 0u);
  EXPECT_EQ(pool.take(1).filtered, 1u);
  pool.end();  // workers wait on a full ring: they must leave the job, not hang
  pool.begin(5, numbering());
  for (std::size_t i = 0; i < 5; ++i) EXPECT_EQ(pool.take(i).filtered, i);
  pool.end();
  pool.end();  // ending twice is harmless
}

TEST(ChunkWorkers, ManyShortJobsBackToBackEndWithoutWaitingForWorkersThatSlept) {
  // A folder of small archives: jobs often end before a worker woke for them. Such a worker must skip
  // the ended job, never parse a chunk of it with the next job's state.
  evtx::ChunkWorkers pool(3);
  for (std::size_t job = 0; job < 2000; ++job) {
    const std::size_t count = 1 + job % 3;
    pool.begin(count, [job](evtx::ChunkParser&, std::size_t index, evtx::ChunkResult& result) {
      result.clear();
      result.filtered = job * 10 + index;
    });
    for (std::size_t i = 0; i < count; ++i) ASSERT_EQ(pool.take(i).filtered, job * 10 + i) << "job " << job;
    pool.end();
  }
}

TEST(ChunkWorkers, TheReaderParsesWhileTheChunkItWantsIsNotReady) {
  // One worker that is slow on every chunk: the thread taking the results must not just wait for it.
  evtx::ChunkWorkers pool(1);
  const auto reader = std::this_thread::get_id();
  std::mutex mutex;
  std::vector<std::thread::id> parsed_by(60);
  std::atomic<bool> worker_started{false};
  pool.begin(parsed_by.size(), [&](evtx::ChunkParser&, std::size_t index, evtx::ChunkResult& result) {
    if (std::this_thread::get_id() != reader) {
      worker_started = true;
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    result.clear();
    result.filtered = index;
    std::lock_guard lock(mutex);
    parsed_by[index] = std::this_thread::get_id();
  });
  // Once the worker holds a chunk (on a loaded machine it may start late), the reader must work around it.
  for (int i = 0; i < 5000 && !worker_started; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  ASSERT_TRUE(worker_started);
  for (std::size_t i = 0; i < parsed_by.size(); ++i) ASSERT_EQ(pool.take(i).filtered, i);
  pool.end();
  std::size_t by_reader = 0, by_worker = 0;
  for (const auto& id : parsed_by) (id == reader ? by_reader : by_worker) += 1;
  EXPECT_GT(by_reader, parsed_by.size() / 2) << "the reader parsed while the slow worker had its chunk";
  EXPECT_GT(by_worker, 0u);
}

TEST(ChunkWorkers, EachResultIsOnlyEverWrittenByOneThread) {
  // A result written by one core and rewritten by another costs the second a miss on every line: each
  // parsing thread has results of its own.
  evtx::ChunkWorkers pool(2);
  std::mutex mutex;
  std::map<const evtx::ChunkResult*, std::thread::id> writer_of;
  bool shared = false;
  for (int job = 0; job < 3; ++job) {
    pool.begin(200, [&](evtx::ChunkParser&, std::size_t index, evtx::ChunkResult& result) {
      result.clear();
      result.filtered = index;
      std::lock_guard lock(mutex);
      const auto [it, added] = writer_of.emplace(&result, std::this_thread::get_id());
      if (!added && it->second != std::this_thread::get_id()) shared = true;
    });
    for (std::size_t i = 0; i < 200; ++i) ASSERT_EQ(pool.take(i).filtered, i);
    pool.end();
  }
  EXPECT_FALSE(shared);
  EXPECT_LE(writer_of.size(), 6u) << "two results for each of three parsing threads";
}

TEST(ChunkWorkers, AReleasedPoolIsLeasedAgainAndTwoLeasesAreTwoPools) {
  const evtx::ChunkWorkers* first = nullptr;
  {
    auto lease = evtx::lease_chunk_workers(3);
    first = lease.get();
    EXPECT_EQ(lease->workers(), 3u);
  }
  auto again = evtx::lease_chunk_workers(3);
  EXPECT_EQ(again.get(), first) << "the idle pool is reused, not rebuilt";
  auto other = evtx::lease_chunk_workers(3);
  EXPECT_NE(other.get(), again.get()) << "a pool serves one source at a time";
}

struct Read {
  std::vector<std::string> records;  // EventID/EventRecordID/values, one string per record
  std::uint64_t bad = 0;
};

Read read_file(const fs::path& path, unsigned threads, std::size_t stop_after = SIZE_MAX) {
  Read out;
  ki::SourceOptions options;
  options.threads = threads;
  std::string error;
  auto source = ki::open_evtx_source(path.string(), options, error);
  EXPECT_NE(source, nullptr) << error;
  if (!source) return out;
  ki::Record record;
  while (out.records.size() < stop_after) {
    const ki::ReadStatus status = source->next(record, error);
    if (status == ki::ReadStatus::end) break;
    if (status == ki::ReadStatus::bad) {
      ++out.bad;
      continue;
    }
    std::string line = std::to_string(record.event_id) + "/" + *record.system_field("EventRecordID");
    for (const auto& f : record.data) line += "|" + f.name + "=" + f.value;
    out.records.push_back(std::move(line));
  }
  return out;
}

TEST(ChunkWorkers, TheSourceGivesTheSameRecordsWithAnyNumberOfThreads) {
  ki::test::TempDir dir;
  std::vector<fs::path> files;
  for (int f = 0; f < 3; ++f) {
    std::vector<writer::Event> events;
    for (std::uint64_t id = 1; id <= 1500; ++id)
      events.push_back(writer::synthetic_event(id, id * 2654435761u + static_cast<std::uint64_t>(f), id % 3 != 0));
    writer::Options options;
    if (f == 1) options.damage.bad_chunk_header_crc = 2;  // damage is reported the same way too
    files.push_back(dir.path / ("log" + std::to_string(f) + ".evtx"));
    std::string error;
    ASSERT_TRUE(writer::write_file(files.back(), events, options, error)) << error;
  }
  std::vector<Read> one;
  for (const auto& f : files) one.push_back(read_file(f, 1));
  ASSERT_GT(one[0].records.size(), 1000u);
  ASSERT_GT(one[1].bad, 0u);
  for (unsigned threads : {2u, 3u}) {
    SCOPED_TRACE(threads);
    // A file given up after a few records, then every file in turn: the pool comes back each time.
    EXPECT_EQ(read_file(files[0], threads, 10).records.size(), 10u);
    for (std::size_t i = 0; i < files.size(); ++i) {
      const Read many = read_file(files[i], threads);
      EXPECT_EQ(many.bad, one[i].bad);
      EXPECT_EQ(many.records, one[i].records);
    }
  }
}

// Work that renders a record as read_file does, so its results can be compared with plain reading.
struct Rendered final : ki::Prepared {
  std::string line;
};
class RenderWork final : public ki::RecordWork {
 public:
  std::unique_ptr<ki::Prepared> make() const override { return std::make_unique<Rendered>(); }
  void run(const ki::Record& record, ki::Prepared& into) const override {
    auto& r = static_cast<Rendered&>(into);
    r.line = std::to_string(record.event_id) + "/" + *record.system_field("EventRecordID");
    for (const auto& f : record.data) r.line += "|" + f.name + "=" + f.value;
  }
};

TEST(ChunkWorkers, TheSourceRunsTheWorkWhereItReadsAndHandsOnOnlyTheIdentity) {
  ki::test::TempDir dir;
  std::vector<writer::Event> events;
  for (std::uint64_t id = 1; id <= 2000; ++id) events.push_back(writer::synthetic_event(id, id * 40503u, id % 4 != 0));
  const fs::path file = dir.path / "work.evtx";
  std::string error;
  ASSERT_TRUE(writer::write_file(file, events, {}, error)) << error;
  const Read one = read_file(file, 1);
  ASSERT_GT(one.records.size(), 1000u);

  const RenderWork work;
  for (unsigned threads : {1u, 2u, 3u}) {
    SCOPED_TRACE(threads);
    ki::SourceOptions options;
    options.threads = threads;
    options.work = &work;
    auto source = ki::open_evtx_source(file.string(), options, error);
    ASSERT_NE(source, nullptr) << error;
    EXPECT_EQ(source->prepares(), threads > 1) << "reading in order, the caller does the work itself";
    ki::Record record;
    std::vector<std::string> lines;
    while (source->next(record, error) == ki::ReadStatus::record) {
      const auto* prepared = static_cast<const Rendered*>(source->prepared());
      if (threads == 1) {
        ASSERT_EQ(prepared, nullptr);
        continue;
      }
      ASSERT_NE(prepared, nullptr);
      lines.push_back(prepared->line);
      // The record itself keeps what a duplicate filter needs, nothing more.
      ASSERT_TRUE(record.data.empty());
      ASSERT_EQ(record.system.size(), 4u);
      const auto identity = ki::record_identity(record);
      ASSERT_TRUE(identity.has_value());
      ASSERT_EQ(prepared->line.substr(0, prepared->line.find('|')),
                std::to_string(record.event_id) + "/" + std::to_string(identity->record_id));
      ASSERT_EQ(*record.system_field("EventID"), std::to_string(record.event_id));
    }
    if (threads > 1) {
      EXPECT_EQ(lines, one.records);
    }
  }
}

}  // namespace
