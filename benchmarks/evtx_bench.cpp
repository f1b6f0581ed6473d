// Throughput of the evtx source. Inputs, by environment:
//   KI_EVTX_BENCH_DIR   every *.evtx in this folder (the corpus evtx_vs_evtxexport.sh builds); else
//   KI_EVTX_BENCH_FILE  one file; else the shared sample ../shared/data/evtx/parser/security.evtx.
// Each benchmark reads everything with N threads and reports bytes/s and records/s.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "source/source.hpp"

namespace {

namespace fs = std::filesystem;

std::vector<fs::path> inputs() {
  std::vector<fs::path> files;
  if (const char* dir = std::getenv("KI_EVTX_BENCH_DIR")) {
    for (const auto& e : fs::directory_iterator(dir))
      if (e.path().extension() == ".evtx") files.push_back(e.path());
    std::sort(files.begin(), files.end());
  } else if (const char* file = std::getenv("KI_EVTX_BENCH_FILE")) {
    files.emplace_back(file);
  } else {
    files.emplace_back("../shared/data/evtx/parser/security.evtx");
  }
  return files;
}

void read_all(benchmark::State& state, std::vector<std::uint32_t> event_ids) {
  const auto files = inputs();
  std::uint64_t bytes = 0;
  for (const auto& f : files) bytes += fs::exists(f) ? fs::file_size(f) : 0;
  if (bytes == 0) {
    state.SkipWithError("no input (set KI_EVTX_BENCH_DIR or KI_EVTX_BENCH_FILE)");
    return;
  }
  ki::SourceOptions options;
  options.threads = static_cast<unsigned>(state.range(0));
  options.event_ids = std::move(event_ids);
  std::uint64_t records = 0, bad = 0;
  ki::Record record;
  std::string error;
  for (auto _ : state) {
    for (const auto& f : files) {
      auto source = ki::open_evtx_source(f.string(), options, error);
      if (!source) continue;
      for (;;) {
        const ki::ReadStatus s = source->next(record, error);
        if (s == ki::ReadStatus::end) break;
        if (s == ki::ReadStatus::record) ++records;
        else ++bad;
      }
      benchmark::DoNotOptimize(record);
    }
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes * state.iterations()));
  state.SetItemsProcessed(static_cast<std::int64_t>(records));
  state.counters["records"] = static_cast<double>(records) / static_cast<double>(state.iterations());
  state.counters["bad"] = static_cast<double>(bad) / static_cast<double>(state.iterations());
}

void BM_EvtxReadAll(benchmark::State& state) { read_all(state, {}); }
void BM_EvtxKerberosOnly(benchmark::State& state) { read_all(state, {4768, 4769, 4770, 4771, 4772, 4773}); }

BENCHMARK(BM_EvtxReadAll)->ArgName("threads")->Arg(1)->Arg(2)->Arg(4)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_EvtxKerberosOnly)->ArgName("threads")->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
