// The modular input's output side: events per second and MB/s into splunkd's XML stream, for the escaping
// alone and for whole files (JSON lines, rendered XML) through source -> normalize -> stream.
// Run single-threaded, so events/s is per core. stream_bench.sh measures the binary on >= 1 GB instead.
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <streambuf>
#include <string>

#include <benchmark/benchmark.h>

#include "normalize/normalizer.hpp"
#include "pipeline/pipeline.hpp"
#include "sink/splunk_stream.hpp"

namespace {

// Discards everything, like stdout to /dev/null, so the numbers are the program's own.
struct NullBuf : std::streambuf {
  int_type overflow(int_type c) override { return c; }
  std::streamsize xsputn(const char*, std::streamsize n) override { return n; }
};

std::string nxlog_line(std::uint64_t i) {
  char line[768];
  std::snprintf(line, sizeof line,
                R"({"EventTime":"2024-03-01 10:%02u:%02u","Hostname":"dc1.corp.example","EventID":%u,)"
                R"("SourceName":"Microsoft-Windows-Security-Auditing","Channel":"Security","RecordNumber":%llu,)"
                R"("TargetUserName":"user%u@CORP.EXAMPLE","TargetDomainName":"CORP.EXAMPLE",)"
                R"("ServiceName":"cifs/fs%u.corp.example","TicketOptions":"0x40810000","TicketEncryptionType":"0x12",)"
                R"("Status":"0x0","IpAddress":"::ffff:10.0.%u.%u","IpPort":"50000"})"
                "\n",
                unsigned(i / 60 % 60), unsigned(i % 60), i % 3 ? 4769u : 4768u, static_cast<unsigned long long>(i),
                unsigned(i % 50), unsigned(i % 9), unsigned(i % 200), unsigned(i % 250));
  return line;
}

std::string xml_event(std::uint64_t i) {
  char ev[2048];
  std::snprintf(ev, sizeof ev,
                "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System>"
                "<Provider Name='Microsoft-Windows-Security-Auditing' Guid='{54849625-5478-4994-a5ba-3e3b0328c30d}'/>"
                "<EventID>4769</EventID><Version>0</Version><Level>0</Level><Task>14337</Task><Opcode>0</Opcode>"
                "<Keywords>0x8020000000000000</Keywords><TimeCreated SystemTime='2024-03-01T10:00:%02u.1234567Z'/>"
                "<EventRecordID>%llu</EventRecordID><Correlation/><Execution ProcessID='640' ThreadID='700'/>"
                "<Channel>Security</Channel><Computer>dc1.corp.example</Computer><Security/></System><EventData>"
                "<Data Name='TargetUserName'>user%u@CORP.EXAMPLE</Data><Data Name='TargetDomainName'>CORP.EXAMPLE</Data>"
                "<Data Name='ServiceName'>cifs/fs%u.corp.example</Data><Data Name='ServiceSid'>S-1-5-21-1-2-3-1105</Data>"
                "<Data Name='TicketOptions'>0x40810000</Data><Data Name='TicketEncryptionType'>0x12</Data>"
                "<Data Name='IpAddress'>::ffff:10.0.%u.%u</Data><Data Name='IpPort'>50000</Data>"
                "<Data Name='Status'>0x0</Data><Data Name='LogonGuid'>{00000000-0000-0000-0000-000000000000}</Data>"
                "<Data Name='TransmittedServices'>-</Data></EventData></Event>\n",
                unsigned(i % 60), static_cast<unsigned long long>(i), unsigned(i % 50), unsigned(i % 9),
                unsigned(i % 200), unsigned(i % 250));
  return ev;
}

// A generated input file, written once per process and removed at exit.
struct Input {
  std::string path;
  std::uint64_t bytes = 0;
  Input(const char* name, std::string (*make)(std::uint64_t), const char* head, const char* tail, std::uint64_t n) {
    path = (std::filesystem::temp_directory_path() / (std::string("ki_stream_bench_") + std::to_string(::getpid()) +
                                                      "_" + name)).string();
    std::ofstream out(path, std::ios::binary);
    out << head;
    for (std::uint64_t i = 1; i <= n; ++i) out << make(i);
    out << tail;
    out.close();
    bytes = std::filesystem::file_size(path);
  }
  ~Input() { std::filesystem::remove(path); }
};

constexpr std::uint64_t kEvents = 100000;

void run_file(benchmark::State& state, const Input& input, ki::SourceKind kind) {
  NullBuf buf;
  std::ostream out(&buf);
  std::ostream err(&buf);
  ki::pipeline::Log log(err);
  std::uint64_t events = 0;
  for (auto _ : state) {
    ki::sink::SplunkStreamSink sink(out, {"kerberos_events://bench", "kerberos:event", "main"});
    ki::pipeline::FileOptions options;
    options.kind = kind;
    options.batch_size = 5000;
    const auto summary = ki::pipeline::process_file(input.path, options, &sink, {}, log);
    sink.finish();
    if (summary.outcome != ki::pipeline::Outcome::done || summary.emitted == 0) {
      state.SkipWithError(("source not available or failed: " + summary.error).c_str());
      return;
    }
    events += summary.emitted;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(events));
  state.SetBytesProcessed(static_cast<std::int64_t>(input.bytes * state.iterations()));
  state.counters["events_per_s"] = benchmark::Counter(static_cast<double>(events), benchmark::Counter::kIsRate);
}

void BM_JsonLinesToStream(benchmark::State& state) {
  static const Input input("nxlog.json", nxlog_line, "", "", kEvents);
  run_file(state, input, ki::SourceKind::json);
}
BENCHMARK(BM_JsonLinesToStream)->Unit(benchmark::kMillisecond);

void BM_RenderedXmlToStream(benchmark::State& state) {
  static const Input input("events.xml", xml_event, "<Events>\n", "</Events>\n", kEvents);
  run_file(state, input, ki::SourceKind::xml);
}
BENCHMARK(BM_RenderedXmlToStream)->Unit(benchmark::kMillisecond);

// The stream writer alone: escaping and framing of already normalized events.
void BM_StreamSinkOnly(benchmark::State& state) {
  NullBuf buf;
  std::ostream out(&buf);
  ki::sink::SplunkStreamSink sink(out, {"kerberos_events://bench", "kerberos:event", "main"});
  ki::NormalizedEvent event;
  event.json = R"({"EventID":"4769","EventRecordID":"123456","Computer":"dc1.corp.example","Channel":"Security",)"
               R"("TargetUserName":"alice@CORP.EXAMPLE","ServiceName":"cifs/fs1.corp.example","Status":"0x0",)"
               R"("TicketEncryptionType":"0x12","ticket_encryption_name":"aes256-cts-hmac-sha1-96",)"
               R"("ticket_flags":["forwardable","renewable","canonicalize"],"src":"10.0.0.9","action":"success",)"
               R"("note":"a < b & c > d"})";
  event.time = "1709287200.123456";
  event.host = "dc1.corp.example";
  std::uint64_t n = 0, bytes = 0;
  for (auto _ : state) {
    sink.write(event, "/data/dc1/Security.json");
    if (++n % 1000 == 0) {
      bytes += sink.pending_bytes();
      sink.flush();
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(n));
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes + sink.pending_bytes()));
}
BENCHMARK(BM_StreamSinkOnly);

}  // namespace
