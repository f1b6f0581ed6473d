#include "pipeline/normalize_stage.hpp"

#include <algorithm>

namespace ki::pipeline {

NormalizeStage::NormalizeStage(unsigned threads) {
  const unsigned n = std::max(1u, threads);
  // Two blocks per thread in flight and two more: one being filled, one being written.
  ring_.resize(2 * static_cast<std::size_t>(n) + 2);
  threads_.reserve(n);
  for (unsigned i = 0; i < n; ++i) threads_.emplace_back([this] { work(); });
}

NormalizeStage::~NormalizeStage() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    queue_.clear();  // blocks not yet claimed are dropped; claimed ones finish first
  }
  queued_.notify_all();
  for (auto& t : threads_) t.join();
}

void NormalizeStage::submit(std::size_t seq) {
  {
    std::lock_guard lock(mutex_);
    ring_[seq % ring_.size()].done = false;
    queue_.push_back(seq);
  }
  queued_.notify_one();
}

ItemBlock& NormalizeStage::take(std::size_t seq) {
  Slot& slot = ring_[seq % ring_.size()];
  std::unique_lock lock(mutex_);
  finished_.wait(lock, [&] { return slot.done; });
  return slot.block;
}

void NormalizeStage::work() {
  for (;;) {
    std::size_t seq = 0;
    {
      std::unique_lock lock(mutex_);
      queued_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping
      seq = queue_.front();
      queue_.pop_front();
    }
    Slot& slot = ring_[seq % ring_.size()];
    for (std::size_t i = 0; i < slot.block.count; ++i) {
      SourceItem& item = slot.block.items[i];
      if (item.status == ReadStatus::record) normalize(item.record, item.event);
    }
    {
      std::lock_guard lock(mutex_);
      slot.done = true;
    }
    finished_.notify_all();
  }
}

}  // namespace ki::pipeline
