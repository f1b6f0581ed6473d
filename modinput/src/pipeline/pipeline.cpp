#include "pipeline/pipeline.hpp"

#include <chrono>
#include <cstdio>
#include <memory>
#include <optional>

#include "normalize/normalizer.hpp"
#include "pipeline/normalize_stage.hpp"

namespace ki::pipeline {

std::string_view outcome_name(Outcome outcome) {
  switch (outcome) {
    case Outcome::done: return "done";
    case Outcome::stopped: return "stopped";
    case Outcome::output_failed: return "output_failed";
    case Outcome::commit_failed: return "commit_failed";
    case Outcome::open_failed: return "open_failed";
  }
  return "done";
}

namespace {

// Normalizing as work a source runs on its own threads (record_work.hpp).
struct PreparedEvent final : Prepared {
  NormalizedEvent event;
};

class NormalizeWork final : public RecordWork {
 public:
  std::unique_ptr<Prepared> make() const override { return std::make_unique<PreparedEvent>(); }
  void run(const Record& record, Prepared& into) const override {
    normalize(record, static_cast<PreparedEvent&>(into).event);
  }
};

const NormalizeWork kNormalizeWork;

// The event a source prepared with kNormalizeWork for its last record, or null.
const NormalizedEvent* prepared_event(const Source& source) {
  const Prepared* p = source.prepared();
  return p != nullptr ? &static_cast<const PreparedEvent*>(p)->event : nullptr;
}

}  // namespace

FileSummary process_file(const std::string& path, const FileOptions& options, sink::EventSink* sink,
                         const Hooks& hooks, Log& log) {
  const auto started = std::chrono::steady_clock::now();
  std::string error;
  SourceOptions source_options = options.source;
  // A source with threads of its own normalizes where it reads: nothing is normalized without output.
  if (options.threads > 1 && options.emit && sink != nullptr) source_options.work = &kNormalizeWork;
  std::unique_ptr<Source> source = open_source(options.kind, path, source_options, error);
  if (!source) {
    FileSummary summary;
    summary.position = options.source.resume_position;
    summary.error = error.empty() ? path + ": cannot open" : error;
    summary.outcome = Outcome::open_failed;
    summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return summary;
  }
  FileSummary summary = process_source(*source, path, options, sink, hooks, log);
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return summary;
}

namespace {

// What the loop does with each source result, and at the end of each batch: the same whether records are
// normalized here or read ahead and normalized on other threads.
class Loop {
 public:
  Loop(const std::string& path, const FileOptions& options, sink::EventSink* sink, const Hooks& hooks, Log& log)
      : path_(path), options_(options), sink_(sink), hooks_(hooks), log_(log),
        emitting_(options.emit && sink != nullptr),
        batch_size_(options.batch_size == 0 ? 1 : options.batch_size),
        started_(std::chrono::steady_clock::now()) {
    summary_.position = options.source.resume_position;
  }

  bool emitting() const { return emitting_; }
  bool stop_requested() const { return options_.stop != nullptr && options_.stop->load(std::memory_order_relaxed); }

  // One source result, with the source's counts and position right after it. `event` is the record
  // normalized already, or null to normalize it here. False when the file must end: finish() then says why.
  bool handle(ReadStatus status, const Record& record, const std::string& error, const SourceStats& progress,
              std::uint64_t position, const NormalizedEvent* event) {
    if (status == ReadStatus::bad) {
      if (logged_ < options_.logged_errors) log_.warn("bad record: " + error);
      else if (logged_ == options_.logged_errors) log_.warn(path_ + ": further bad records are only counted");
      ++logged_;
    } else if (hooks_.admit && !hooks_.admit(record, progress)) {
      ++summary_.duplicates;
    } else if (emitting_) {
      if (event == nullptr) {
        normalize(record, event_);
        event = &event_;
      }
      sink_->write(*event, path_);
      ++summary_.emitted;
    }
    if (++in_batch_ < batch_size_) return true;
    const Outcome o = end_batch(position);
    if (o == Outcome::done) return true;
    failed_ = o;
    summary_.stats = progress;
    return false;
  }

  // The summary after the last result: a failure handle() met, else the final batch ends at `position`
  // (stopped: where reading stopped; not stopped: the end of the source).
  FileSummary finish(bool stopped, const SourceStats& stats, std::uint64_t position) {
    Outcome o = failed_.value_or(Outcome::done);
    if (!failed_) {
      summary_.stats = stats;
      o = end_batch(position);
      if (o == Outcome::done && stopped) o = Outcome::stopped;
    }
    summary_.outcome = o;
    summary_.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
    return summary_;
  }

 private:
  // Flushes what the batch emitted, then lets the caller checkpoint the position after it.
  Outcome end_batch(std::uint64_t position) {
    if (emitting_ && !sink_->flush()) return Outcome::output_failed;
    if (hooks_.commit && !hooks_.commit(position)) return Outcome::commit_failed;
    summary_.position = position;
    in_batch_ = 0;
    return Outcome::done;
  }

  const std::string& path_;
  const FileOptions& options_;
  sink::EventSink* sink_;
  const Hooks& hooks_;
  Log& log_;
  bool emitting_;
  std::size_t batch_size_;
  std::chrono::steady_clock::time_point started_;
  FileSummary summary_;
  NormalizedEvent event_;
  std::size_t in_batch_ = 0;
  std::uint64_t logged_ = 0;
  std::optional<Outcome> failed_;
};

FileSummary process_in_order(Source& source, Loop& loop) {
  Record record;
  std::string error;
  for (;;) {
    if (loop.stop_requested()) return loop.finish(true, source.stats(), source.position());
    const ReadStatus status = source.next(record, error);
    if (status == ReadStatus::end) break;
    const NormalizedEvent* event = status == ReadStatus::record ? prepared_event(source) : nullptr;
    if (!loop.handle(status, record, error, source.stats(), source.position(), event))
      return loop.finish(false, source.stats(), source.position());
  }
  return loop.finish(false, source.stats(), source.position());
}

// Reads blocks ahead while other threads normalize them; writes and commits them in order. A stop takes
// effect at the next result, as in order: what was read ahead is dropped, not committed, and read again by
// the next run.
FileSummary process_read_ahead(Source& source, Loop& loop, unsigned threads) {
  bool source_done = false;
  std::uint64_t end_position = source.position();
  SourceStats end_stats = source.stats();
  struct {
    std::uint64_t position;
    SourceStats progress;
  } last{source.position(), source.stats()};  // after the last result handled

  // Fills `block` from the source; false when it got nothing.
  auto fill = [&](ItemBlock& block) {
    block.count = 0;
    while (block.count < NormalizeStage::kBlockItems) {
      SourceItem& item = block.add();
      item.status = source.next(item.record, item.error);
      if (item.status == ReadStatus::end) {
        --block.count;
        source_done = true;
        end_position = source.position();
        end_stats = source.stats();
        break;
      }
      item.progress = source.stats();
      item.position = source.position();
    }
    return block.count > 0;
  };
  // Handles a block's results in order; false when the file must end (stop or failure).
  auto handle_block = [&](ItemBlock& block, bool normalized) {
    for (std::size_t i = 0; i < block.count; ++i) {
      if (loop.stop_requested()) return false;
      SourceItem& item = block.items[i];
      if (!loop.handle(item.status, item.record, item.error, item.progress, item.position,
                       normalized && item.status == ReadStatus::record ? &item.event : nullptr))
        return false;
      last.position = item.position;
      last.progress = item.progress;
    }
    return true;
  };

  // A file that fits in the first block is handled here, as in order: it needs no threads.
  if (loop.stop_requested()) return loop.finish(true, source.stats(), source.position());
  ItemBlock first;
  fill(first);
  if (source_done) {
    if (!handle_block(first, false)) return loop.finish(loop.stop_requested(), last.progress, last.position);
    return loop.finish(false, end_stats, end_position);
  }
  NormalizeStage stage(threads);
  std::swap(stage.block(0), first);
  std::size_t submitted = 0, taken = 0;
  stage.submit(submitted++);
  for (;;) {
    while (!source_done && submitted - taken < stage.ring_size() && !loop.stop_requested()) {
      if (!fill(stage.block(submitted))) break;
      stage.submit(submitted++);
    }
    if (taken == submitted) break;
    if (!handle_block(stage.take(taken++), true))
      return loop.finish(loop.stop_requested(), last.progress, last.position);
  }
  if (!source_done) return loop.finish(true, last.progress, last.position);  // stopped before the end
  return loop.finish(false, end_stats, end_position);
}

}  // namespace

FileSummary process_source(Source& source, const std::string& path, const FileOptions& options,
                           sink::EventSink* sink, const Hooks& hooks, Log& log) {
  Loop loop(path, options, sink, hooks, log);
  // Without output there is nothing to normalize, so nothing to share out; a source that prepares its
  // records has shared it out already.
  if (options.threads > 1 && loop.emitting() && !source.prepares())
    return process_read_ahead(source, loop, options.threads);
  return process_in_order(source, loop);
}

std::string summary_text(const std::string& path, SourceKind kind, const FileSummary& s) {
  const double rate = s.seconds > 0 ? static_cast<double>(s.stats.records) / s.seconds : 0.0;
  char numbers[320];
  std::snprintf(numbers, sizeof numbers,
                " kind=%.*s records=%llu emitted=%llu duplicates=%llu bad=%llu filtered=%llu elapsed=%.3fs "
                "rate=%.0f/s outcome=%.*s",
                static_cast<int>(source_kind_name(kind).size()), source_kind_name(kind).data(),
                static_cast<unsigned long long>(s.stats.records), static_cast<unsigned long long>(s.emitted),
                static_cast<unsigned long long>(s.duplicates), static_cast<unsigned long long>(s.stats.bad),
                static_cast<unsigned long long>(s.stats.filtered), s.seconds, rate,
                static_cast<int>(outcome_name(s.outcome).size()), outcome_name(s.outcome).data());
  return "file=\"" + path + "\"" + numbers;
}

}  // namespace ki::pipeline
