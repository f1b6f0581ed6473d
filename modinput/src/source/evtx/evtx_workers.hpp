#pragma once
// Chunk workers kept for the life of the process. A directory of archives is read file after file; starting
// threads, building their parsing state and growing a ring of chunk results for every file cost as much as
// parsing a 1-2 MB file, and memory freed by short-lived threads went back through other threads' malloc
// arenas. A pool is leased by one source at a time and comes back, warm, for the next file.
//
// A job is one file's chunks, numbered 0..count-1. Workers claim chunk numbers with an atomic counter, wait
// for their ring entry to be free, and parse the chunk into it with no lock held; the source takes the
// results in chunk order. At most ring_size() chunks are parsed ahead of the one the source is reading.

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
  // Parses chunk `index` of the current job into `result`, with the calling worker's state.
  using ParseChunk = std::function<void(ChunkParser& parser, std::size_t index, ChunkResult& result)>;

  explicit ChunkWorkers(unsigned workers);
  ~ChunkWorkers();
  ChunkWorkers(const ChunkWorkers&) = delete;
  ChunkWorkers& operator=(const ChunkWorkers&) = delete;

  unsigned workers() const { return static_cast<unsigned>(threads_.size()); }

  // Starts a job of `count` chunks. The previous job must have been ended.
  void begin(std::size_t count, ParseChunk parse);
  // The result of chunk `index`, waiting until it is parsed. Chunks are taken in order, each once; taking
  // chunk `index` frees the entry of chunk index - 1 for the workers.
  ChunkResult& take(std::size_t index);
  // Ends the job (all chunks taken, or given up): returns when no worker is still in it.
  void end();

 private:
  void work();

  static constexpr std::size_t kRingPerWorker = 4;

  // One chunk's result and the number (index + 1) of the chunk it holds; a cache line of its own so that
  // workers filling neighbouring entries do not share one.
  struct alignas(64) RingEntry {
    std::atomic<std::size_t> ready{0};
    ChunkResult result;
  };

  std::vector<std::thread> threads_;
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
  std::size_t busy_ = 0;          // workers still in the current job
  bool shutdown_ = false;
};

// A pool of `workers` threads, idle and owned by nobody else until the returned pointer is released.
std::shared_ptr<ChunkWorkers> lease_chunk_workers(unsigned workers);

}  // namespace ki::evtx
