#pragma once
// Chunk workers kept for the life of the process. A directory of archives is read file after file; starting
// threads, building their parsing state and growing a ring of chunk results for every file cost as much as
// parsing a 1-2 MB file, and memory freed by short-lived threads went back through other threads' malloc
// arenas. A pool is leased by one source at a time and comes back, warm, for the next file.
//
// A job is one file's chunks, numbered 0..count-1. Workers claim chunk numbers with an atomic counter, wait
// for their ring entry to be free, and parse the chunk into it with no lock held; the source takes the
// results in chunk order. At most ring_size() chunks are parsed ahead of the one the source is reading.
//
// The thread that takes the results parses too: when the chunk it wants is not ready, it claims the next
// unclaimed chunk whose ring entry is free and parses that instead of sleeping. So N threads are N - 1
// workers and the reader, never more threads than cores: with a reader of its own beside two workers, two
// cores ran three threads, switched between them thousands of times a second and left work undone.

#include <array>
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "source/evtx/evtx_binxml.hpp"
#include "source/evtx/evtx_chunk.hpp"
#include "source/evtx/evtx_file_header.hpp"
#include "source/evtx/evtx_record.hpp"

namespace ki::evtx {

// One thread's parsing state, reused from chunk to chunk and file to file.
struct ChunkParser {
  BinXmlContext context;
  RecordBuilder builder;
  std::vector<std::uint8_t> buffer = std::vector<std::uint8_t>(kChunkSize);
};

class ChunkWorkers {
 public:
  // Parses chunk `index` of the current job into `result`, with the calling thread's state.
  using ParseChunk = std::function<void(ChunkParser& parser, std::size_t index, ChunkResult& result)>;

  // `workers` threads besides the one that calls take().
  explicit ChunkWorkers(unsigned workers);
  ~ChunkWorkers();
  ChunkWorkers(const ChunkWorkers&) = delete;
  ChunkWorkers& operator=(const ChunkWorkers&) = delete;

  unsigned workers() const { return static_cast<unsigned>(threads_.size()); }

  // Starts a job of `count` chunks. The previous job must have been ended.
  void begin(std::size_t count, ParseChunk parse);
  // The result of chunk `index`, parsing other chunks while a worker still has it. Chunks are taken in
  // order, each once; taking chunk `index` gives the result of chunk index - 1 back to its parser.
  ChunkResult& take(std::size_t index);
  // Ends the job (all chunks taken, or given up): returns when no worker is still in it.
  void end();

 private:
  // Results each parsing thread fills ahead of the reader. More only grow the memory the cores write
  // through, which measured slower, not faster.
  static constexpr unsigned kResultsPerLane = 2;
  static constexpr unsigned kAllFree = (1u << kResultsPerLane) - 1;

  // One parsing thread's state and the results it parses into. A result is only ever written by its own
  // lane's thread (the reader reads it), so no core rewrites strings another core wrote last: with results
  // tied to ring positions instead, half the chunks were built in memory the other core owned, and the
  // writes that build a record took up to twice as long.
  struct alignas(64) Lane {
    ChunkParser parser;
    std::array<ChunkResult, kResultsPerLane> results;
    std::atomic<unsigned> free_mask{kAllFree};  // bit i: results[i] is not in the ring
  };
  // The chunk (index + 1) a ring position holds, once parsed, and whose result it is. A cache line of its
  // own so that threads publishing neighbouring chunks do not share one.
  struct alignas(64) RingEntry {
    std::atomic<std::size_t> ready{0};
    Lane* lane = nullptr;
    unsigned slot = 0;
  };

  void work(Lane& lane);
  // Claims chunk `next` when no one has and its ring position is free while chunk `index` is being read.
  bool claim_for_reader(std::size_t index, std::size_t& next);
  // Parses chunk `index` into a free result of `lane` (bit `slot` of its free_mask) and publishes it.
  void parse_into_ring(Lane& lane, unsigned slot, std::size_t index);
  static unsigned first_free(const Lane& lane) {
    return static_cast<unsigned>(__builtin_ctz(lane.free_mask.load(std::memory_order_acquire) | (1u << kResultsPerLane)));
  }

  std::vector<std::thread> threads_;
  std::vector<std::unique_ptr<Lane>> lanes_;  // [0]: the thread that calls take(); then one per worker
  std::unique_ptr<RingEntry[]> ring_;
  std::size_t ring_size_ = 0;

  // The job. Set by begin() while every worker waits for one; read by workers without the lock after.
  std::size_t count_ = 0;
  ParseChunk parse_;
  alignas(64) std::atomic<std::size_t> dispatched_{0};  // next chunk a worker will take
  alignas(64) std::atomic<std::size_t> consumed_{0};    // chunks the source has finished with
  std::atomic<bool> cancel_{false};

  std::mutex mutex_;
  std::condition_variable wake_;  // a job began, or the pool is shutting down
  std::condition_variable idle_;  // a worker left the job
  std::size_t generation_ = 0;    // jobs begun
  std::atomic<std::size_t> published_{0};  // generation_, for workers to look at without the lock
  std::size_t busy_ = 0;          // workers that joined the current job and are still in it
  bool open_ = false;             // the current job still takes workers (until end())
  bool shutdown_ = false;
};

// A pool of `workers` threads, idle and owned by nobody else until the returned pointer is released.
std::shared_ptr<ChunkWorkers> lease_chunk_workers(unsigned workers);

}  // namespace ki::evtx
