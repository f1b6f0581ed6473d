#include "pipeline/pipeline.hpp"

#include <chrono>
#include <cstdio>

#include "normalize/normalizer.hpp"

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

FileSummary process_file(const std::string& path, const FileOptions& options, sink::EventSink* sink,
                         const Hooks& hooks, Log& log) {
  const auto started = std::chrono::steady_clock::now();
  std::string error;
  std::unique_ptr<Source> source = open_source(options.kind, path, options.source, error);
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

FileSummary process_source(Source& src, const std::string& path, const FileOptions& options,
                           sink::EventSink* sink, const Hooks& hooks, Log& log) {
  const auto started = std::chrono::steady_clock::now();
  FileSummary summary;
  summary.position = options.source.resume_position;
  auto finish = [&](Outcome outcome) {
    summary.outcome = outcome;
    summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return summary;
  };
  Source* source = &src;
  std::string error;

  const bool emitting = options.emit && sink != nullptr;
  const std::size_t batch_size = options.batch_size == 0 ? 1 : options.batch_size;
  Record record;
  NormalizedEvent event;
  std::size_t in_batch = 0;
  std::uint64_t logged = 0;

  // Flushes what the batch emitted, then lets the caller checkpoint the position after it.
  auto end_batch = [&]() -> Outcome {
    if (emitting && !sink->flush()) return Outcome::output_failed;
    const std::uint64_t position = source->position();
    if (hooks.commit && !hooks.commit(position)) return Outcome::commit_failed;
    summary.position = position;
    in_batch = 0;
    return Outcome::done;
  };

  for (;;) {
    if (options.stop != nullptr && options.stop->load(std::memory_order_relaxed)) {
      summary.stats = source->stats();
      const Outcome o = end_batch();
      return finish(o == Outcome::done ? Outcome::stopped : o);
    }
    const ReadStatus status = source->next(record, error);
    if (status == ReadStatus::end) break;
    if (status == ReadStatus::bad) {
      if (logged < options.logged_errors) log.warn("bad record: " + error);
      else if (logged == options.logged_errors) log.warn(path + ": further bad records are only counted");
      ++logged;
    } else if (hooks.admit && !hooks.admit(record, source->stats())) {
      ++summary.duplicates;
    } else if (emitting) {
      normalize(record, event);
      sink->write(event, path);
      ++summary.emitted;
    }
    if (++in_batch >= batch_size) {
      const Outcome o = end_batch();
      if (o != Outcome::done) {
        summary.stats = source->stats();
        return finish(o);
      }
    }
  }
  summary.stats = source->stats();
  const Outcome o = end_batch();
  return finish(o);
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
