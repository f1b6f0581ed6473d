#pragma once
// Normalizing on other threads, in order. The pipeline's thread reads source results into blocks, hands
// each full block to the stage, and later takes the blocks back, normalized, in the order it handed them
// over. Blocks live in a fixed ring, so memory stays bounded and every buffer is reused.

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "normalize/normalizer.hpp"
#include "record/record.hpp"
#include "source/source.hpp"

namespace ki::pipeline {

// One source result, as the pipeline's loop needs it later: what next() returned and the source's state
// right after it.
struct SourceItem {
  ReadStatus status = ReadStatus::end;
  Record record;
  std::string error;
  SourceStats progress;
  std::uint64_t position = 0;
  NormalizedEvent event;  // filled by the stage for records
};

struct ItemBlock {
  std::vector<SourceItem> items;
  std::size_t count = 0;
  SourceItem& add() {
    if (count == items.size()) items.emplace_back();
    return items[count++];
  }
};

class NormalizeStage {
 public:
  // Measured on the dense EVTX corpus with 2 threads: blocks of 32 paid for twice the hand-overs, blocks
  // of 512 kept megabytes of records and JSON in flight and spent twice the CPU time on cache misses.
  static constexpr std::size_t kBlockItems = 64;

  explicit NormalizeStage(unsigned threads);
  ~NormalizeStage();
  NormalizeStage(const NormalizeStage&) = delete;
  NormalizeStage& operator=(const NormalizeStage&) = delete;

  std::size_t ring_size() const { return ring_.size(); }
  // The block to fill as number `seq`; the block `seq - ring_size()` must have been taken back.
  ItemBlock& block(std::size_t seq) { return ring_[seq % ring_.size()].block; }
  // Hands block `seq` over to be normalized.
  void submit(std::size_t seq);
  // Block `seq`, once normalized. Blocks are taken back in the order they were submitted.
  ItemBlock& take(std::size_t seq);

 private:
  void work();

  struct Slot {
    ItemBlock block;
    bool done = false;
  };
  std::vector<Slot> ring_;
  std::mutex mutex_;
  std::condition_variable queued_;    // a block to normalize, or stopping
  std::condition_variable finished_;  // a block was normalized
  std::deque<std::size_t> queue_;     // submitted, not yet claimed
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace ki::pipeline
