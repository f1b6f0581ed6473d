#include "source/evtx/evtx_workers.hpp"

#include <algorithm>

namespace ki::evtx {

ChunkWorkers::ChunkWorkers(unsigned workers) {
  const unsigned n = std::max(1u, workers);
  ring_size_ = kRingPerWorker * n;
  ring_ = std::make_unique<RingEntry[]>(ring_size_);
  threads_.reserve(n);
  for (unsigned i = 0; i < n; ++i) threads_.emplace_back([this] { work(); });
}

ChunkWorkers::~ChunkWorkers() {
  {
    std::lock_guard lock(mutex_);
    shutdown_ = true;
  }
  wake_.notify_all();
  for (auto& t : threads_) t.join();
}

void ChunkWorkers::begin(std::size_t count, ParseChunk parse) {
  std::lock_guard lock(mutex_);  // every worker is waiting for a job: nothing below races with them
  count_ = count;
  parse_ = std::move(parse);
  dispatched_.store(0, std::memory_order_relaxed);
  consumed_.store(0, std::memory_order_relaxed);
  cancel_.store(false, std::memory_order_relaxed);
  for (std::size_t i = 0; i < ring_size_; ++i) ring_[i].ready.store(0, std::memory_order_relaxed);
  busy_ = threads_.size();
  ++generation_;
  wake_.notify_all();
}

ChunkResult& ChunkWorkers::take(std::size_t index) {
  if (index > 0) {
    // The entry of the chunk just finished may take a new chunk. notify_all costs no system call when no
    // worker is waiting, which is the usual case.
    consumed_.store(index, std::memory_order_release);
    consumed_.notify_all();
  }
  RingEntry& entry = ring_[index % ring_size_];
  const std::size_t want = index + 1;
  for (std::size_t seen = entry.ready.load(std::memory_order_acquire); seen != want;
       seen = entry.ready.load(std::memory_order_acquire))
    entry.ready.wait(seen, std::memory_order_acquire);
  return entry.result;
}

void ChunkWorkers::end() {
  cancel_.store(true, std::memory_order_release);
  // Wakes workers waiting for a free ring entry; they see cancel_ and leave the job.
  consumed_.fetch_add(ring_size_ + count_ + 1, std::memory_order_release);
  consumed_.notify_all();
  std::unique_lock lock(mutex_);
  idle_.wait(lock, [this] { return busy_ == 0; });
  parse_ = nullptr;
}

void ChunkWorkers::work() {
  ChunkParser parser;
  std::size_t seen = 0;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return shutdown_ || generation_ != seen; });
      if (shutdown_) return;
      seen = generation_;
    }
    for (;;) {
      if (cancel_.load(std::memory_order_acquire)) break;
      const std::size_t index = dispatched_.fetch_add(1, std::memory_order_relaxed);
      if (index >= count_) break;
      bool cancelled = false;
      for (std::size_t done = consumed_.load(std::memory_order_acquire); index >= done + ring_size_;
           done = consumed_.load(std::memory_order_acquire)) {
        if ((cancelled = cancel_.load(std::memory_order_acquire))) break;
        consumed_.wait(done, std::memory_order_acquire);
      }
      if (cancelled || cancel_.load(std::memory_order_acquire)) break;
      RingEntry& entry = ring_[index % ring_size_];
      parse_(parser, index, entry.result);
      entry.ready.store(index + 1, std::memory_order_release);
      entry.ready.notify_one();
    }
    std::lock_guard lock(mutex_);
    if (--busy_ == 0) idle_.notify_all();
  }
}

namespace {

// Idle pools, kept for the next file. Destroyed at exit, when their threads stop.
struct Registry {
  static constexpr std::size_t kMaxIdle = 4;
  std::mutex mutex;
  std::vector<std::unique_ptr<ChunkWorkers>> idle;
};

Registry& registry() {
  static Registry r;
  return r;
}

}  // namespace

std::shared_ptr<ChunkWorkers> lease_chunk_workers(unsigned workers) {
  Registry& r = registry();
  std::unique_ptr<ChunkWorkers> pool;
  {
    std::lock_guard lock(r.mutex);
    const auto it = std::find_if(r.idle.begin(), r.idle.end(), [workers](const auto& p) { return p->workers() == workers; });
    if (it != r.idle.end()) {
      pool = std::move(*it);
      r.idle.erase(it);
    }
  }
  if (!pool) pool = std::make_unique<ChunkWorkers>(workers);
  return std::shared_ptr<ChunkWorkers>(pool.release(), [](ChunkWorkers* p) {
    Registry& reg = registry();
    std::unique_ptr<ChunkWorkers> back(p);
    std::lock_guard lock(reg.mutex);
    if (reg.idle.size() < Registry::kMaxIdle) reg.idle.push_back(std::move(back));
    // else `back` is destroyed here, under the lock: its workers are idle, so joining them is quick.
  });
}

}  // namespace ki::evtx
