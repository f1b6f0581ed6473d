// kerberos_events replay: the modular input's pipeline over files, without splunkd and without checkpoints.
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "modinput/config.hpp"
#include "pipeline/log.hpp"
#include "pipeline/pipeline.hpp"
#include "sink/json_lines.hpp"
#include "sink/splunk_stream.hpp"

namespace ki::cli {

namespace {

constexpr std::string_view kReplayUsage =
    "usage: kerberos_events replay PATH... [--format json|splunk-xml] [--kind evtx|xml|json|text]\n"
    "                              [--event-ids LIST|all] [--threads N]\n"
    "\n"
    "Reads files (folders recursively), normalizes their events and prints them: one JSON object per line\n"
    "(json, the default) or the XML stream splunkd would receive (splunk-xml). The kind of each file is\n"
    "recognized from its first bytes unless --kind is given. --event-ids defaults to 4768-4773,672-677.\n"
    "A summary line per file goes to stderr. Exit status: 0 done (even with bad records), 1 no path could be\n"
    "read, 2 usage error.\n";

struct ReplayArgs {
  std::vector<std::string> paths;
  bool splunk_xml = false;
  std::optional<SourceKind> kind;
  std::vector<std::uint32_t> event_ids;
  unsigned threads = 1;
};

// false with `error` on a usage error; `help` set for --help.
bool parse_args(const Args& args, ReplayArgs& out, bool& help, std::string& error) {
  std::string_view ids = modinput::kDefaultEventIds;
  out.threads = modinput::default_threads();
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view a = args[i];
    auto value = [&](std::string_view& v) {
      if (i + 1 >= args.size()) {
        error = std::string(a) + " needs a value";
        return false;
      }
      v = args[++i];
      return true;
    };
    std::string_view v;
    if (a == "--help" || a == "-h") {
      help = true;
      return true;
    } else if (a == "--format") {
      if (!value(v)) return false;
      if (v == "json") out.splunk_xml = false;
      else if (v == "splunk-xml") out.splunk_xml = true;
      else {
        error = "--format " + std::string(v) + ": expected json or splunk-xml";
        return false;
      }
    } else if (a == "--kind") {
      if (!value(v)) return false;
      if (v != "auto") {
        out.kind = parse_source_kind(v);
        if (!out.kind) {
          error = "--kind " + std::string(v) + ": expected evtx, xml, json, text or auto";
          return false;
        }
      }
    } else if (a == "--event-ids") {
      if (!value(ids)) return false;
    } else if (a == "--threads") {
      if (!value(v)) return false;
      unsigned n = 0;
      for (char c : v) n = (c >= '0' && c <= '9' && n <= modinput::kMaxThreads) ? n * 10 + unsigned(c - '0') : ~0u;
      if (v.empty() || n < 1 || n > modinput::kMaxThreads) {
        error = "--threads " + std::string(v) + ": expected a number from 1 to 256";
        return false;
      }
      out.threads = n;
    } else if (a.starts_with("--")) {
      error = "unknown option " + std::string(a);
      return false;
    } else {
      out.paths.emplace_back(a);
    }
  }
  auto parsed = modinput::parse_event_ids(ids, error);
  if (!parsed) return false;
  out.event_ids = std::move(*parsed);
  if (out.paths.empty()) {
    error = "no PATH given";
    return false;
  }
  return true;
}

}  // namespace

int replay_command(const Args& args, Io io) {
  ReplayArgs options;
  bool help = false;
  std::string error;
  if (!parse_args(args, options, help, error)) {
    io.err << "kerberos_events replay: " << error << "\n\n" << kReplayUsage;
    return kExitUsage;
  }
  if (help) {
    io.out << kReplayUsage;
    return kExitOk;
  }
  pipeline::Log log(io.err);
  sink::JsonLinesSink json_sink(io.out);
  sink::SplunkStreamSink xml_sink(io.out, {"", "kerberos:event", ""});
  sink::EventSink& sink = options.splunk_xml ? static_cast<sink::EventSink&>(xml_sink) : json_sink;

  std::size_t readable = 0;
  bool output_gone = false;
  for (const std::string& path : options.paths) {
    std::string expand_error;
    const auto files = modinput::expand_path(path, expand_error);
    if (!expand_error.empty()) log.error(expand_error);
    for (const std::string& file : files) {
      const std::optional<SourceKind> kind = options.kind ? options.kind : detect_source_kind(file);
      if (!kind) {
        log.warn(file + ": format not recognized (empty?); give --kind to read it");
        continue;
      }
      pipeline::FileOptions file_options;
      file_options.kind = *kind;
      file_options.source.event_ids = options.event_ids;
      file_options.source.threads = options.threads;
      file_options.threads = options.threads;
      file_options.batch_size = 4096;
      const auto summary = pipeline::process_file(file, file_options, &sink, {}, log);
      if (summary.outcome == pipeline::Outcome::open_failed) {
        log.error(summary.error);
        continue;
      }
      ++readable;
      log.info(pipeline::summary_text(file, *kind, summary));
      if (summary.outcome == pipeline::Outcome::output_failed) {
        output_gone = true;
        break;
      }
    }
    if (output_gone) break;
  }
  if (!output_gone) sink.finish();
  return readable == 0 ? kExitFailure : kExitOk;
}

}  // namespace ki::cli
