#include "modinput/run.hpp"

#include <signal.h>
#include <sys/stat.h>

#include <cstdlib>
#include <istream>
#include <iterator>
#include <ostream>
#include <string>

#include "cli/commands.hpp"
#include "modinput/checkpoint.hpp"
#include "modinput/config.hpp"
#include "pipeline/log.hpp"
#include "pipeline/pipeline.hpp"
#include "sink/splunk_stream.hpp"

namespace ki::modinput {

namespace {

std::uint64_t file_size(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 ? static_cast<std::uint64_t>(st.st_size) : 0;
}

enum class StanzaResult { ok, failed, stop };

StanzaResult run_stanza(const InputConfig& config, const Stanza& stanza, sink::SplunkStreamSink& sink,
                        const RunOptions& options, pipeline::Log& log) {
  InputSettings settings;
  std::string error;
  if (!parse_settings(stanza, settings, error)) {
    log.error(error);
    return StanzaResult::failed;
  }
  if (config.checkpoint_dir.empty()) {
    log.error(stanza.name + ": splunkd gave no checkpoint_dir; refusing to run without checkpoints");
    return StanzaResult::failed;
  }
  const CheckpointStore store(config.checkpoint_dir, stanza.name);
  auto loaded = store.load(error);
  if (!loaded) {
    // Starting over would send every event again; an operator decides (deleting the file starts over).
    log.error("checkpoint unreadable, input skipped until it is repaired or deleted: " + error);
    return StanzaResult::failed;
  }
  Checkpoint checkpoint = std::move(*loaded);
  const bool skip_existing = settings.start_newest && !checkpoint.existed;

  std::string expand_error;
  const std::vector<std::string> files = expand_path(settings.path, expand_error);
  // A pattern that matches nothing yet is normal for an input waiting for exports: a warning, not an error.
  if (!expand_error.empty()) log.warn(stanza.name + ": " + expand_error);
  sink.set_settings({stanza.name, "kerberos:event", settings.index});

  for (const std::string& file : files) {
    std::optional<SourceKind> kind = settings.kind ? settings.kind : detect_source_kind(file);
    if (!kind) {
      if (file_size(file) != 0) log.warn(file + ": format not recognized; set kind in the input to read it");
      continue;
    }
    const auto identity = file_identity(file, *kind, error);
    if (!identity) {
      if (!error.empty()) log.warn(error);
      error.clear();
      continue;  // empty so far: nothing to read and nothing to name it by
    }
    const std::uint64_t size = file_size(file);
    std::size_t index = checkpoint.files.size();
    if (FileEntry* found = checkpoint.find(file, *kind, *identity)) {
      index = static_cast<std::size_t>(found - checkpoint.files.data());
      FileEntry& entry = checkpoint.files[index];
      // Text positions are byte offsets: a file now shorter than where we stopped was truncated.
      if (*kind != SourceKind::evtx && size < entry.position) {
        log.warn(file + ": shorter than the checkpoint position " + std::to_string(entry.position) +
                 ", reading it again from the start");
        entry.position = 0;
      }
      if (entry.path != file) log.info(file + ": same content as " + entry.path + ", resuming where it stopped");
      entry.path = file;
      if (identity->length > entry.identity.length) entry.identity = *identity;
    } else {
      checkpoint.forget_path(file, nullptr);  // whatever was at this path before is gone
      FileEntry fresh;
      fresh.path = file;
      fresh.kind = std::string(source_kind_name(*kind));
      fresh.identity = *identity;
      checkpoint.files.push_back(std::move(fresh));
      index = checkpoint.files.size() - 1;
    }

    pipeline::FileOptions file_options;
    file_options.kind = *kind;
    file_options.source.event_ids = settings.event_ids;
    file_options.source.resume_position = checkpoint.files[index].position;
    file_options.source.threads = settings.threads;
    file_options.threads = settings.threads;
    file_options.batch_size = options.batch_size;
    file_options.emit = !skip_existing;
    file_options.stop = options.stop;

    pipeline::Hooks hooks;
    checkpoint.begin_file();
    if (!skip_existing) {
      hooks.admit = [&checkpoint](const Record& r, const SourceStats& progress) { return checkpoint.admit(r, &progress); };
      file_options.source.on_filtered = [&checkpoint](const FilteredRecord& r) { checkpoint.note_filtered(r); };
    }
    hooks.commit = [&](std::uint64_t position) {
      FileEntry& entry = checkpoint.files[index];
      entry.position = position;
      entry.size = file_size(file);
      std::string save_error;
      if (store.save(checkpoint, save_error)) return true;
      log.error("cannot save the checkpoint, stopping: " + save_error);
      return false;
    };

    const pipeline::FileSummary summary = pipeline::process_file(file, file_options, &sink, hooks, log);
    if (summary.outcome == pipeline::Outcome::open_failed) {
      log.error(summary.error);
      continue;
    }
    std::string line = pipeline::summary_text(file, *kind, summary);
    if (skip_existing) line += " (start_from=newest: existing events skipped)";
    log.info(line);
    switch (summary.outcome) {
      case pipeline::Outcome::stopped:
        log.info("stop requested: checkpoint saved, exiting");
        return StanzaResult::stop;
      case pipeline::Outcome::output_failed:
        log.warn("stdout closed by the reader: the last batch will be sent again next run");
        return StanzaResult::stop;
      case pipeline::Outcome::commit_failed: return StanzaResult::stop;
      default: break;
    }
  }
  // A first run with start_from=newest and no file yet must still leave a mark that it happened.
  if (!checkpoint.existed) {
    std::string save_error;
    if (!store.save(checkpoint, save_error)) {
      log.error("cannot save the checkpoint: " + save_error);
      return StanzaResult::failed;
    }
  }
  return StanzaResult::ok;
}

}  // namespace

int run_modular_input(std::string_view input_xml, std::ostream& out, std::ostream& err, const RunOptions& options) {
  pipeline::Log log(err);
  std::string error;
  const auto config = parse_input_xml(input_xml, error);
  if (!config) {
    log.fatal(error);
    return cli::kExitFailure;
  }
  if (config->stanzas.empty()) {
    log.fatal("no <stanza> in the configuration on stdin");
    return cli::kExitFailure;
  }
  // The session key is a credential: it is read but never written anywhere.
  log.info(std::string("kerberos_events ") + KI_VERSION + " starting: server_host=" + config->server_host +
           " stanzas=" + std::to_string(config->stanzas.size()) + " checkpoint_dir=" + config->checkpoint_dir);
  sink::SplunkStreamSink sink(out, {});
  bool failed = false;
  bool stopped = false;
  for (const Stanza& stanza : config->stanzas) {
    const StanzaResult r = run_stanza(*config, stanza, sink, options, log);
    if (r == StanzaResult::failed) failed = true;
    if (r == StanzaResult::stop) {
      stopped = true;
      break;
    }
  }
  if (!sink.finish() && !stopped) log.warn("stdout closed before the end of the stream");
  log.info(stopped ? "run stopped" : "run finished");
  return failed ? cli::kExitFailure : cli::kExitOk;
}

}  // namespace ki::modinput

namespace ki::cli {

namespace {
std::atomic<bool> g_stop{false};
extern "C" void on_stop_signal(int) { g_stop.store(true); }
}  // namespace

int modular_input_run_command(const Args& args, Io io) {
  if (!args.empty()) {
    io.err << "ERROR the modular input run takes no argument (the configuration comes on stdin)\n";
    return kExitUsage;
  }
  // SIGTERM (splunkd stopping) and SIGINT end the run after the current batch; a closed stdout shows up as
  // a failed write (EPIPE) instead of killing the process, so the checkpoint stays consistent either way.
  struct sigaction sa {};
  sa.sa_handler = on_stop_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGINT, &sa, nullptr);
  signal(SIGPIPE, SIG_IGN);

  modinput::RunOptions options;
  options.stop = &g_stop;
  // Tests use small batches to exercise many checkpoints; not part of the configuration splunkd passes.
  if (const char* batch = std::getenv("KI_BATCH_SIZE")) {
    const long n = std::strtol(batch, nullptr, 10);
    if (n > 0) options.batch_size = static_cast<std::size_t>(n);
  }
  const std::string input((std::istreambuf_iterator<char>(io.in)), std::istreambuf_iterator<char>());
  return modinput::run_modular_input(input, io.out, io.err, options);
}

}  // namespace ki::cli
