#include "source/evtx/evtx_workers.hpp"

#include <algorithm>

namespace ki::evtx {

namespace {
// Waits a few microseconds for `value` to change before the caller sleeps: the chunk a worker is
// finishing is usually ready within that, and being woken from a futex costs far longer on a virtual
// machine than a chunk of a small archive takes to parse.
template <typename T>
bool spin_until_changed(const std::atomic<T>& value, T seen) {
  for (int i = 0; i < 2000; ++i) {
    if (value.load(std::memory_order_acquire) != seen) return true;
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
  }
  return false;
}

// Returns once `value` is no longer `seen`: a short spin, then sleeping on it.
template <typename T>
void wait_until_changed(const std::atomic<T>& value, T seen) {
  if (!spin_until_changed(value, seen)) value.wait(seen, std::memory_order_acquire);
}
}  // namespace

ChunkWorkers::ChunkWorkers(unsigned workers) {
  const unsigned n = std::max(1u, workers);
  lanes_.reserve(n + 1);
  for (unsigned i = 0; i <= n; ++i) lanes_.push_back(std::make_unique<Lane>());
  ring_size_ = kResultsPerLane * (n + 1);
  ring_ = std::make_unique<RingEntry[]>(ring_size_);
  threads_.reserve(n);
  for (unsigned i = 1; i <= n; ++i) threads_.emplace_back([this, i] { work(*lanes_[i]); });
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
  for (auto& lane : lanes_) lane->free_mask.store(kAllFree, std::memory_order_relaxed);
  busy_ = 0;
  open_ = true;
  ++generation_;
  published_.store(generation_, std::memory_order_release);
  wake_.notify_all();
}

ChunkResult& ChunkWorkers::take(std::size_t index) {
  if (index > 0) {
    // The result of the chunk just finished goes back to its parser, and its ring position may take a
    // new chunk. notify costs no system call when no one waits, which is the usual case.
    const RingEntry& done = ring_[(index - 1) % ring_size_];
    done.lane->free_mask.fetch_or(1u << done.slot, std::memory_order_release);
    done.lane->free_mask.notify_one();
    consumed_.store(index, std::memory_order_release);
    consumed_.notify_all();
  }
  RingEntry& entry = ring_[index % ring_size_];
  const std::size_t want = index + 1;
  Lane& own = *lanes_[0];
  for (std::size_t seen = entry.ready.load(std::memory_order_acquire); seen != want;
       seen = entry.ready.load(std::memory_order_acquire)) {
    std::size_t next = 0;
    const unsigned slot = first_free(own);
    if (slot < kResultsPerLane && claim_for_reader(index, next)) parse_into_ring(own, slot, next);
    else wait_until_changed(entry.ready, seen);
  }
  return entry.lane->results[entry.slot];
}

bool ChunkWorkers::claim_for_reader(std::size_t index, std::size_t& next) {
  // Chunks up to index + ring_size() - 1 have free ring positions: the reader has finished with those
  // before `index`. A worker that claimed a chunk beyond that waits for its position; the reader never does.
  next = dispatched_.load(std::memory_order_relaxed);
  while (next < count_ && next < index + ring_size_) {
    if (dispatched_.compare_exchange_weak(next, next + 1, std::memory_order_relaxed)) return true;
  }
  return false;
}

void ChunkWorkers::parse_into_ring(Lane& lane, unsigned slot, std::size_t index) {
  lane.free_mask.fetch_and(~(1u << slot), std::memory_order_relaxed);  // only the lane's thread takes
  parse_(lane.parser, index, lane.results[slot]);
  RingEntry& entry = ring_[index % ring_size_];
  entry.lane = &lane;
  entry.slot = slot;
  entry.ready.store(index + 1, std::memory_order_release);
  entry.ready.notify_one();
}

void ChunkWorkers::end() {
  cancel_.store(true, std::memory_order_release);
  // Wakes workers waiting for a free ring position or result; they see cancel_ and leave the job.
  consumed_.fetch_add(ring_size_ + count_ + 1, std::memory_order_release);
  consumed_.notify_all();
  for (auto& lane : lanes_) {
    lane->free_mask.fetch_or(1u << kResultsPerLane, std::memory_order_release);  // a change to wake on
    lane->free_mask.notify_all();
  }
  std::unique_lock lock(mutex_);
  // Workers that have not joined the job yet never will: a small file is often read before they wake,
  // and waiting for them to wake only to leave cost more than parsing it.
  open_ = false;
  idle_.wait(lock, [this] { return busy_ == 0; });
  parse_ = nullptr;
}

void ChunkWorkers::work(Lane& lane) {
  std::size_t seen = 0;
  for (;;) {
    {
      // The next file's job usually follows within microseconds: look before sleeping on the lock.
      spin_until_changed(published_, seen);
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return shutdown_ || generation_ != seen; });
      if (shutdown_) return;
      seen = generation_;
      if (!open_) continue;  // ended before this worker woke
      ++busy_;
    }
    for (;;) {
      if (cancel_.load(std::memory_order_acquire)) break;
      const std::size_t index = dispatched_.fetch_add(1, std::memory_order_relaxed);
      if (index >= count_) break;
      for (std::size_t done = consumed_.load(std::memory_order_acquire);
           index >= done + ring_size_ && !cancel_.load(std::memory_order_acquire);
           done = consumed_.load(std::memory_order_acquire))
        wait_until_changed(consumed_, done);
      // Both own results in the ring: the reader gives one back when it is past that chunk.
      for (unsigned mask = lane.free_mask.load(std::memory_order_acquire);
           (mask & kAllFree) == 0 && !cancel_.load(std::memory_order_acquire);
           mask = lane.free_mask.load(std::memory_order_acquire))
        wait_until_changed(lane.free_mask, mask);
      if (cancel_.load(std::memory_order_acquire)) break;
      parse_into_ring(lane, first_free(lane), index);
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
