// make_evtx_corpus: generates EVTX files with the test-only writer.
//
//   make_evtx_corpus --out FILE --records N [--kerberos-density 0..1] [--seed S]
//       a large file for benchmarks, written chunk by chunk (memory stays at one chunk)
//   make_evtx_corpus --adversarial DIR
//       damaged and hostile files (bad CRCs, bad magic, truncation, dirty header, corrupt string
//       table, huge strings, deep nesting, unknown value types)
//   make_evtx_corpus --fixtures DIR
//       the small fixtures checked in under tests/fixtures/evtx
//
// Output is deterministic: the same arguments give the same bytes.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "support/evtx_writer.hpp"

namespace evtx = ki::test::evtx;
namespace fs = std::filesystem;

namespace {

int usage() {
  std::fprintf(stderr,
               "usage: make_evtx_corpus --out FILE --records N [--kerberos-density 0..1] [--seed S]\n"
               "       make_evtx_corpus --adversarial DIR\n"
               "       make_evtx_corpus --fixtures DIR\n");
  return 2;
}

bool write(const fs::path& path, const std::vector<evtx::Event>& events, const evtx::Options& options = {}) {
  std::string error;
  if (!evtx::write_file(path, events, options, error)) {
    std::fprintf(stderr, "make_evtx_corpus: %s\n", error.c_str());
    return false;
  }
  std::printf("%s\n", path.string().c_str());
  return true;
}

std::vector<evtx::Event> synthetic(std::uint64_t count, double density, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<evtx::Event> out;
  for (std::uint64_t i = 1; i <= count; ++i) {
    const std::uint64_t r = rng();
    // The top bits decide Kerberos or not; synthetic_event uses the low 56 bits for its own choices.
    const bool kerberos = static_cast<double>(r >> 11) / 9007199254740992.0 < density;
    out.push_back(evtx::synthetic_event(i, rng(), kerberos));
  }
  return out;
}

int corpus(const fs::path& out_path, std::uint64_t records, double density, std::uint64_t seed) {
  std::ofstream out(out_path, std::ios::binary | std::ios::trunc);
  if (!out) {
    std::fprintf(stderr, "make_evtx_corpus: %s: cannot create\n", out_path.string().c_str());
    return 1;
  }
  evtx::Writer writer(out);
  std::mt19937_64 rng(seed);
  std::string error;
  std::uint64_t kerberos_count = 0;
  for (std::uint64_t i = 1; i <= records; ++i) {
    const std::uint64_t r = rng();
    const bool kerberos = static_cast<double>(r >> 11) / 9007199254740992.0 < density;
    kerberos_count += kerberos ? 1 : 0;
    if (!writer.add(evtx::synthetic_event(i, rng(), kerberos), error)) {
      std::fprintf(stderr, "make_evtx_corpus: %s: %s\n", out_path.string().c_str(), error.c_str());
      return 1;
    }
  }
  if (!writer.finish(error)) {
    std::fprintf(stderr, "make_evtx_corpus: %s: %s\n", out_path.string().c_str(), error.c_str());
    return 1;
  }
  std::printf("%s: %llu records (%llu Kerberos) in %llu chunks\n", out_path.string().c_str(),
              static_cast<unsigned long long>(records), static_cast<unsigned long long>(kerberos_count),
              static_cast<unsigned long long>(writer.chunks()));
  return 0;
}

evtx::XmlElement deep_elements(int depth) {
  evtx::XmlElement e{"Level" + std::to_string(depth), {}, {}, evtx::Value::uint32(static_cast<std::uint32_t>(depth))};
  for (int d = depth - 1; d >= 0; --d)
    e = evtx::XmlElement{"Level" + std::to_string(d), {}, {std::move(e)}, std::nullopt};
  return e;
}

evtx::XmlElement deep_binxml(int depth) {
  evtx::XmlElement e{"Leaf", {{"depth", std::to_string(depth)}}, {}, evtx::Value::string("bottom")};
  for (int d = depth - 1; d >= 0; --d)
    e = evtx::XmlElement{"Wrap", {{"depth", std::to_string(d)}}, {}, evtx::Value::binxml(std::move(e))};
  return e;
}

int adversarial(const fs::path& dir) {
  fs::create_directories(dir);
  const std::vector<evtx::Event> base = synthetic(400, 0.8, 7);  // several chunks
  bool ok = true;
  auto damaged = [&](const char* name, auto&& set) {
    evtx::Options o;
    set(o.damage);
    ok = write(dir / name, base, o) && ok;
  };
  damaged("bad_chunk_header_crc.evtx", [](evtx::Damage& d) { d.bad_chunk_header_crc = 1; });
  damaged("bad_record_crc.evtx", [](evtx::Damage& d) { d.bad_record_crc = 0; });
  damaged("bad_chunk_magic.evtx", [](evtx::Damage& d) { d.bad_chunk_magic = 1; });
  damaged("bad_file_header_crc.evtx", [](evtx::Damage& d) { d.bad_file_header_crc = true; });
  damaged("dirty_header.evtx", [](evtx::Damage& d) { d.dirty_header = true; });
  damaged("corrupt_string_offset.evtx", [](evtx::Damage& d) { d.corrupt_string_offset = 0; });
  damaged("truncated_mid_chunk.evtx", [](evtx::Damage& d) { d.truncate_to = 4096 + 65536 + 30001; });
  damaged("truncated_mid_header.evtx", [](evtx::Damage& d) { d.truncate_to = 100; });
  damaged("truncated_chunk_header.evtx", [](evtx::Damage& d) { d.truncate_to = 4096 + 200; });

  // Huge strings: each value close to what one chunk can hold.
  std::vector<evtx::Event> huge;
  for (std::uint64_t i = 1; i <= 4; ++i) {
    evtx::Event e = evtx::synthetic_event(i, i * 0x9e3779b97f4a7c15ULL, true);
    e.data.push_back({"Huge", evtx::Value::string(std::string(30000, static_cast<char>('A' + i)))});
    huge.push_back(std::move(e));
  }
  ok = write(dir / "huge_strings.evtx", huge) && ok;

  // Deep nesting, both as one deep element tree and as BinXml values nested inside each other.
  evtx::Event deep = evtx::synthetic_event(1, 42, true);
  deep.data.push_back({"DeepElements", evtx::Value::binxml(deep_elements(300))});
  evtx::Event deeper = evtx::synthetic_event(2, 43, true);
  deeper.data.push_back({"DeepBinXml", evtx::Value::binxml(deep_binxml(120))});
  ok = write(dir / "deep_nesting.evtx", {deep, deeper}) && ok;

  // Value types no reader knows, and a size that lies about its value.
  evtx::Event odd = evtx::synthetic_event(1, 44, true);
  odd.data.push_back({"Unknown", evtx::Value::raw(0x7f, {1, 2, 3, 4})});
  odd.data.push_back({"ShortGuid", evtx::Value::raw(0x0f, {1, 2, 3})});
  odd.data.push_back({"ShortSid", evtx::Value::raw(0x13, {1, 5, 0})});
  ok = write(dir / "odd_value_types.evtx", {odd}) && ok;
  return ok ? 0 : 1;
}

int fixtures(const fs::path& dir) {
  fs::create_directories(dir);
  bool ok = write(dir / "kerberos_sample.evtx", evtx::kerberos_sample_events());
  ok = write(dir / "all_value_types.evtx", evtx::all_value_types_events()) && ok;
  evtx::Options truncated;
  truncated.damage.truncate_to = 4096 + 2048;  // header and the start of the only chunk
  ok = write(dir / "kerberos_sample_truncated.evtx", evtx::kerberos_sample_events(), truncated) && ok;
  evtx::Options bad_crc;
  bad_crc.damage.bad_record_crc = 0;
  bad_crc.damage.dirty_header = true;
  ok = write(dir / "kerberos_sample_bad_record_crc.evtx", evtx::kerberos_sample_events(), bad_crc) && ok;
  return ok ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  std::string out, adversarial_dir, fixtures_dir;
  std::uint64_t records = 0, seed = 1;
  double density = 0.9;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (i + 1 >= argc) return usage();
    const char* value = argv[++i];
    char* end = nullptr;
    if (arg == "--out") {
      out = value;
    } else if (arg == "--records") {
      records = std::strtoull(value, &end, 10);
      if (*end != '\0') return usage();
    } else if (arg == "--kerberos-density") {
      density = std::strtod(value, &end);
      if (*end != '\0' || density < 0 || density > 1) return usage();
    } else if (arg == "--seed") {
      seed = std::strtoull(value, &end, 10);
      if (*end != '\0') return usage();
    } else if (arg == "--adversarial") {
      adversarial_dir = value;
    } else if (arg == "--fixtures") {
      fixtures_dir = value;
    } else {
      return usage();
    }
  }
  if (!adversarial_dir.empty()) return adversarial(adversarial_dir);
  if (!fixtures_dir.empty()) return fixtures(fixtures_dir);
  if (out.empty() || records == 0) return usage();
  return corpus(out, records, density, seed);
}
