#pragma once
// The loop shared by `run` and `replay`: one file, source -> normalize -> sink, in batches.
// A batch ends after `batch_size` records (or at the end of the file, or on stop); it is flushed to the
// output and only then reported through Hooks::commit, so a checkpoint never gets ahead of the output.

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>

#include "pipeline/log.hpp"
#include "record/record.hpp"
#include "sink/sink.hpp"
#include "source/source.hpp"

namespace ki::pipeline {

struct FileOptions {
  SourceKind kind = SourceKind::json;
  SourceOptions source;
  std::size_t batch_size = 1000;
  bool emit = true;                          // false: read to the end without emitting (start_from=newest)
  const std::atomic<bool>* stop = nullptr;   // set by SIGTERM: finish the batch, commit, return
  std::size_t logged_errors = 3;             // bad records logged one by one per file; the rest are counted
  // Threads that normalize: above 1, records are read ahead in blocks that these threads normalize while
  // the calling thread reads the next ones and writes the finished ones, in order. The output, the
  // commits and the log are the same as with 1.
  unsigned threads = 1;
};

enum class Outcome : std::uint8_t {
  done,             // read to the end
  stopped,          // *stop was set; everything read so far was emitted and committed
  output_failed,    // the output is gone; the last batch was not committed
  commit_failed,    // Hooks::commit said no; the batch reached the output but not the checkpoint
  open_failed,      // the source could not be opened; `error` says why
};

std::string_view outcome_name(Outcome outcome);

struct FileSummary {
  Outcome outcome = Outcome::done;
  SourceStats stats;               // from the source: records, bad, filtered
  std::uint64_t emitted = 0;       // events handed to the sink
  std::uint64_t duplicates = 0;    // records Hooks::admit refused (already emitted earlier)
  std::uint64_t position = 0;      // the source's position after the last committed batch
  double seconds = 0;
  std::string error;               // open failure
};

struct Hooks {
  // Called for every good record before it is emitted, with the source's counts so far; false skips it as
  // a duplicate. Empty = admit all.
  std::function<bool(const Record&, const SourceStats&)> admit;
  // Called after a batch reached the output with the position to resume from; false aborts the file.
  std::function<bool(std::uint64_t position)> commit;
};

// Opens `path` as options.kind (resuming at options.source.resume_position) and runs process_source.
FileSummary process_file(const std::string& path, const FileOptions& options, sink::EventSink* sink,
                         const Hooks& hooks, Log& log);
// The loop itself over an open source; `path` names the events' source and the log lines.
FileSummary process_source(Source& source, const std::string& path, const FileOptions& options,
                           sink::EventSink* sink, const Hooks& hooks, Log& log);

// "file=... kind=... records=N emitted=N duplicates=N bad=N filtered=N elapsed=1.234s rate=N/s outcome=..."
std::string summary_text(const std::string& path, SourceKind kind, const FileSummary& summary);

}  // namespace ki::pipeline
