// The test-only EVTX writer, checked against two independent readers: python-evtx (through
// tests/scripts/evtx_writer_check.py, run by Debian's /usr/bin/python3) and libevtx's evtxexport.
// A file the writer makes must read back with every System field and every Data name and value intact.
#include "support/evtx_writer.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "support/paths.hpp"

namespace ki::test::evtx {
namespace {

namespace fs = std::filesystem;

constexpr const char* kPython = "/usr/bin/python3";

struct Cmd {
  int status = -1;
  std::string out;
};

// Runs a shell command and captures its standard output; stderr goes to `err_file` when given.
Cmd run(const std::string& command) {
  Cmd r;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return r;
  std::array<char, 65536> buf{};
  std::size_t n = 0;
  while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) r.out.append(buf.data(), n);
  const int status = pclose(pipe);
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

std::string quote(const fs::path& p) { return "'" + p.string() + "'"; }

fs::path scratch(const std::string& name) {
  fs::path dir = fs::temp_directory_path() / ("ki_evtx_writer_" + std::to_string(getpid()));
  fs::create_directories(dir);
  return dir / name;
}

// Skips unless python-evtx is importable by the system interpreter.
#define REQUIRE_PYTHON_EVTX()                                                                             \
  do {                                                                                                    \
    if (!fs::exists(kPython)) GTEST_SKIP() << kPython << " is absent, python-evtx oracle not available";  \
    if (run(std::string(kPython) + " -c 'import Evtx.Evtx' 2>/dev/null").status != 0)                     \
      GTEST_SKIP() << "the Evtx module (Debian package python3-evtx) is not importable by " << kPython;   \
  } while (0)

// python-evtx's reading of a file, as JSON.
rapidjson::Document python_read(const fs::path& file) {
  const fs::path script = source_dir() / "tests" / "scripts" / "evtx_writer_check.py";
  Cmd r = run(std::string(kPython) + " " + quote(script) + " " + quote(file));
  rapidjson::Document doc;
  EXPECT_EQ(r.status, 0) << "python-evtx failed on " << file << ": " << r.out.substr(0, 500);
  doc.Parse(r.out.c_str(), r.out.size());
  EXPECT_FALSE(doc.HasParseError()) << "no JSON from the check script for " << file;
  if (doc.HasParseError() || !doc.IsObject()) doc.Parse("{\"records\":[],\"chunks\":[]}");
  return doc;
}

// What python-evtx prints for a value, next to the value itself.
struct Expected {
  std::string name;
  Value value;
  std::string text;
};

constexpr std::uint64_t kSecond = 10'000'000ULL;

std::uint64_t at(const char* iso) { return *filetime_from_iso(iso); }

std::vector<Expected> all_types() {
  return {
      {"TargetUserName", Value::string("J\xC3\xBCrgen.\xE7\x94\xA8\xE6\x88\xB7@CONTOSO.LOCAL"),
       "J\xC3\xBCrgen.\xE7\x94\xA8\xE6\x88\xB7@CONTOSO.LOCAL"},
      {"AnsiName", Value::ansi_string("plain ansi"), "plain ansi"},
      {"Int8", Value::int8(-5), "-5"},
      {"UInt8", Value::uint8(200), "200"},
      {"Int16", Value::int16(-300), "-300"},
      {"UInt16", Value::uint16(65000), "65000"},
      {"Int32", Value::int32(-70000), "-70000"},
      {"UInt32", Value::uint32(4000000000u), "4000000000"},
      {"Int64", Value::int64(-5000000000000LL), "-5000000000000"},
      {"UInt64", Value::uint64(18446744073709551615ULL), "18446744073709551615"},
      {"Float", Value::real32(1.5f), "1.5"},
      {"Double", Value::real64(0.25), "0.25"},
      {"BoolTrue", Value::boolean(true), "True"},
      {"BoolFalse", Value::boolean(false), "False"},
      {"Binary", Value::binary({0xde, 0xad, 0xbe, 0xef}), "3q2+7w=="},
      {"LogonGuid", Value::guid("{ED648110-ACF3-7F43-0CCB-256EF183156D}"), "{ed648110-acf3-7f43-0ccb-256ef183156d}"},
      {"SizeT", Value::size_type64(123456789012ULL), "123456789012"},
      {"SizeT32", Value::size_type32(42), "42"},
      {"FileTime", Value::filetime(at("2025-07-30T20:22:05Z")), "2025-07-30 20:22:05"},
      // python-evtx passes SYSTEMTIME milliseconds as microseconds; the expectation follows the oracle.
      {"SystemTime", Value::systemtime(2025, 7, 30, 20, 22, 5, 731), "2025-07-30 20:22:05.000731"},
      {"TargetSid", Value::sid("S-1-5-21-4230534742-2542757381-3142984815-1171"),
       "S-1-5-21-4230534742-2542757381-3142984815-1171"},
      {"Status", Value::hex_int32(0x25), "0x00000025"},
      {"HandleId", Value::hex_int64(0x1c), "0x000000000000001c"},
      {"Strings", Value::string_array({"alpha", "beta"}), "<string>alpha</string>\n<string>beta</string>\n"},
      {"Nested",
       Value::binxml(XmlElement{"Outer",
                                {{"kind", "test"}},
                                {XmlElement{"Inner", {}, {}, Value::uint32(7)}, XmlElement{"Empty", {}, {}, {}}},
                                std::nullopt}),
       "<Outer kind=\"test\"><Inner>7</Inner><Empty></Empty></Outer>"},
      {"Nothing", Value::null(), ""},
      {"", Value::string("unnamed"), "unnamed"},
  };
}

Event kerberos_event(std::uint16_t id, std::uint64_t record, std::uint64_t time, std::vector<DataField> data) {
  Event e;
  e.event_id = id;
  e.record_id = record;
  e.time_created = time;
  e.task = id == 4769 ? 14337 : 14339;
  e.process_id = 640;
  e.thread_id = 1000 + static_cast<std::uint32_t>(record % 97);
  e.data = std::move(data);
  return e;
}

// A realistic mix: 4768 and 4771 with zero-padded string codes, 4769 with HexInt32 codes.
std::vector<Expected> kerberos_fields(std::uint16_t id, std::uint64_t n) {
  const std::string user = "user" + std::to_string(n);
  switch (id) {
    case 4768:
      return {{"TargetUserName", Value::string(user), user},
              {"TargetDomainName", Value::string("CONTOSO"), "CONTOSO"},
              {"TargetSid", Value::sid("S-1-5-21-1-2-3-" + std::to_string(1000 + n)),
               "S-1-5-21-1-2-3-" + std::to_string(1000 + n)},
              {"ServiceName", Value::string("krbtgt"), "krbtgt"},
              {"TicketOptions", Value::string("0x40810010"), "0x40810010"},
              {"Status", Value::string("0x00000000"), "0x00000000"},
              {"TicketEncryptionType", Value::string("0x00000012"), "0x00000012"},
              {"PreAuthType", Value::string("2"), "2"},
              {"IpAddress", Value::string("::ffff:10.0.0." + std::to_string(n % 250)),
               "::ffff:10.0.0." + std::to_string(n % 250)},
              {"IpPort", Value::string("49667"), "49667"}};
    case 4769:
      return {{"TargetUserName", Value::string(user + "@CONTOSO.LOCAL"), user + "@CONTOSO.LOCAL"},
              {"ServiceName", Value::string("MSSQLSvc"), "MSSQLSvc"},
              {"ServiceSid", Value::sid("S-1-5-21-1-2-3-1105"), "S-1-5-21-1-2-3-1105"},
              {"TicketOptions", Value::hex_int32(0x40810000), "0x40810000"},
              {"TicketEncryptionType", Value::hex_int32(0x17), "0x00000017"},
              {"IpAddress", Value::string("::1"), "::1"},
              {"Status", Value::hex_int32(n % 3 == 0 ? 0x1b : 0), n % 3 == 0 ? "0x0000001b" : "0x00000000"},
              {"LogonGuid", Value::guid("{00000000-0000-0000-0000-000000000000}"),
               "{00000000-0000-0000-0000-000000000000}"}};
    default:  // 4771
      return {{"TargetUserName", Value::string(user), user},
              {"ServiceName", Value::string("krbtgt/CONTOSO"), "krbtgt/CONTOSO"},
              {"TicketOptions", Value::string("0x40810010"), "0x40810010"},
              {"Status", Value::string("0x18"), "0x18"},
              {"PreAuthType", Value::string("2"), "2"},
              {"IpAddress", Value::string("10.0.0.9"), "10.0.0.9"}};
  }
}

struct Fixture {
  std::vector<Event> events;
  std::vector<std::vector<Expected>> expected;
};

Fixture many_records(std::size_t count) {
  Fixture f;
  const std::uint64_t start = at("2025-07-30T20:22:05.7319360Z");
  const std::uint16_t ids[] = {4768, 4769, 4771};
  for (std::size_t i = 0; i < count; ++i) {
    std::vector<Expected> fields = i == 5 ? all_types() : kerberos_fields(ids[i % 3], i);
    std::vector<DataField> data;
    for (const auto& x : fields) data.push_back({x.name, x.value});
    f.events.push_back(kerberos_event(i == 5 ? 4769 : ids[i % 3], 1000 + i, start + i * 3 * kSecond + i * 10,
                                      std::move(data)));
    if (i % 50 == 7) f.events.back().computer = "DC02.contoso.local";  // a second System template
    f.expected.push_back(std::move(fields));
  }
  return f;
}

TEST(EvtxWriter, Crc32MatchesTheStandardCheckValue) {
  const std::string check = "123456789";
  EXPECT_EQ(crc32(reinterpret_cast<const std::uint8_t*>(check.data()), check.size()), 0xCBF43926u);
}

TEST(EvtxWriter, FiletimeIsoRoundTrip) {
  const auto t = filetime_from_iso("2025-07-30T20:22:05.7319365Z");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(iso_from_filetime(*t), "2025-07-30T20:22:05.7319365Z");
  EXPECT_EQ(*filetime_from_iso("1601-01-01T00:00:00Z"), 0u);
  EXPECT_EQ(*filetime_from_iso("1970-01-01T00:00:00Z"), 116444736000000000ULL);
  EXPECT_FALSE(filetime_from_iso("2025-13-01T00:00:00Z").has_value());
  EXPECT_FALSE(filetime_from_iso("2025-07-30 20:22:05Z").has_value());
}

TEST(EvtxWriter, LaysOutHeaderChunksAndRecords) {
  Fixture f = many_records(600);
  std::string error;
  const auto bytes = build(f.events, {}, error);
  ASSERT_FALSE(bytes.empty()) << error;
  ASSERT_EQ((bytes.size() - 4096) % 65536, 0u);
  const std::size_t chunks = (bytes.size() - 4096) / 65536;
  EXPECT_GE(chunks, 3u) << "600 records should need several chunks";
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(bytes.data()), 8), std::string("ElfFile\0", 8));
  auto u32 = [&](std::size_t at) {
    return static_cast<std::uint32_t>(bytes[at] | bytes[at + 1] << 8 | bytes[at + 2] << 16 |
                                      static_cast<std::uint32_t>(bytes[at + 3]) << 24);
  };
  EXPECT_EQ(u32(124), crc32(bytes.data(), 120));
  EXPECT_EQ(bytes[42] | bytes[43] << 8, static_cast<int>(chunks));
  EXPECT_EQ(u32(120) & 1u, 0u) << "a finished file is not dirty";
  const std::size_t c0 = 4096;
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(&bytes[c0]), 8), std::string("ElfChnk\0", 8));
  const std::uint32_t free_offset = u32(c0 + 48);
  EXPECT_EQ(u32(c0 + 52), crc32(&bytes[c0 + 512], free_offset - 512));
  // The first record defines the templates; the next one with the same shape only points at them.
  EXPECT_EQ(u32(c0 + 512), 0x00002a2au);
  const std::uint32_t first_size = u32(c0 + 512 + 4);
  const std::uint32_t second_size = u32(c0 + 512 + first_size + 4);
  const std::uint32_t third = 512 + first_size + second_size;
  const std::uint32_t fourth = third + u32(c0 + third + 4);
  const std::uint32_t fourth_size = u32(c0 + fourth + 4);  // a 4768 again, like the first
  EXPECT_LT(fourth_size, first_size) << "templates are shared inside a chunk";
  EXPECT_EQ(first_size % 8, 0u);
  EXPECT_EQ(u32(c0 + 512 + first_size - 4), first_size) << "size repeated at the end";
}

TEST(EvtxWriter, RejectsARecordLargerThanAChunk) {
  Event e = kerberos_event(4769, 1, at("2025-07-30T20:22:05Z"), {{"Huge", Value::string(std::string(40000, 'x'))}});
  std::string error;
  EXPECT_TRUE(build({e}, {}, error).empty());
  EXPECT_NE(error.find("record 1"), std::string::npos) << error;
}

TEST(EvtxWriter, PythonEvtxReadsBackEveryFieldAcrossChunks) {
  REQUIRE_PYTHON_EVTX();
  Fixture f = many_records(450);
  const fs::path file = scratch("roundtrip.evtx");
  std::string error;
  ASSERT_TRUE(write_file(file, f.events, {}, error)) << error;
  rapidjson::Document doc = python_read(file);
  ASSERT_TRUE(doc.HasMember("records"));
  EXPECT_TRUE(doc["header_ok"].GetBool());
  EXPECT_FALSE(doc["dirty"].GetBool());
  const auto& chunks = doc["chunks"];
  EXPECT_GE(chunks.Size(), 3u);
  for (const auto& c : chunks.GetArray()) {
    EXPECT_TRUE(c["magic_ok"].GetBool());
    EXPECT_TRUE(c["header_crc_ok"].GetBool());
    EXPECT_TRUE(c["data_crc_ok"].GetBool());
  }
  const auto& records = doc["records"];
  ASSERT_EQ(records.Size(), f.events.size());
  for (rapidjson::SizeType i = 0; i < records.Size(); ++i) {
    const auto& r = records[i];
    const Event& e = f.events[i];
    SCOPED_TRACE("record " + std::to_string(e.record_id));
    EXPECT_EQ(r["record_num"].GetUint64(), e.record_id);
    EXPECT_TRUE(r["size_ok"].GetBool());
    EXPECT_EQ(std::string(r["EventID"].GetString()), std::to_string(e.event_id));
    EXPECT_EQ(std::string(r["EventRecordID"].GetString()), std::to_string(e.record_id));
    EXPECT_EQ(std::string(r["Computer"].GetString()), e.computer);
    EXPECT_EQ(std::string(r["Channel"].GetString()), e.channel);
    EXPECT_EQ(std::string(r["Provider"].GetString()), e.provider_name);
    EXPECT_EQ(std::string(r["ProviderGuid"].GetString()), e.provider_guid);
    EXPECT_EQ(std::string(r["Task"].GetString()), std::to_string(e.task));
    EXPECT_EQ(std::string(r["Keywords"].GetString()), "0x8020000000000000");
    EXPECT_EQ(std::string(r["ProcessID"].GetString()), std::to_string(e.process_id));
    EXPECT_EQ(std::string(r["ThreadID"].GetString()), std::to_string(e.thread_id));
    // python-evtx converts through a double (about 1.6 us of resolution today), so allow 3 us.
    const auto seen = filetime_from_iso(r["TimeCreated"].GetString());
    ASSERT_TRUE(seen.has_value()) << r["TimeCreated"].GetString();
    const std::int64_t diff = static_cast<std::int64_t>(*seen) - static_cast<std::int64_t>(e.time_created);
    EXPECT_LE(diff < 0 ? -diff : diff, 30) << r["TimeCreated"].GetString() << " vs " << iso_from_filetime(e.time_created);
    const auto& data = r["data"];
    const auto& want = f.expected[i];
    ASSERT_EQ(data.Size(), want.size());
    for (rapidjson::SizeType k = 0; k < data.Size(); ++k) {
      EXPECT_EQ(std::string(data[k][0].GetString()), want[k].name);
      EXPECT_EQ(std::string(data[k][1].GetString()), want[k].text) << "Data " << want[k].name;
    }
  }
}

TEST(EvtxWriter, EvtxexportReadsEveryRecordWithoutErrors) {
  const fs::path tool = "/usr/bin/evtxexport";
  if (!fs::exists(tool)) GTEST_SKIP() << "evtxexport (libevtx-utils) is absent";
  Fixture f = many_records(400);
  // Arrays of fixed-size types, which python-evtx cannot read, are checked here only.
  f.events[3].data.push_back({"Ports", Value::array(ValueType::uint32, {Value::uint32(88), Value::uint32(464)})});
  f.events[3].data.push_back({"Flags", Value::array(ValueType::hex_int32, {Value::hex_int32(0x10)})});
  const fs::path file = scratch("evtxexport.evtx");
  std::string error;
  ASSERT_TRUE(write_file(file, f.events, {}, error)) << error;
  const fs::path err = scratch("evtxexport.err");
  Cmd r = run(tool.string() + " -f xml " + quote(file) + " 2>" + quote(err));
  EXPECT_EQ(r.status, 0);
  const std::string stderr_text = read_file(err);
  EXPECT_EQ(stderr_text.find("rror"), std::string::npos) << stderr_text;
  EXPECT_EQ(stderr_text.find("nable"), std::string::npos) << stderr_text;
  std::size_t events = 0;
  for (std::size_t pos = 0; (pos = r.out.find("<Event xmlns", pos)) != std::string::npos; ++pos) ++events;
  EXPECT_EQ(events, f.events.size());
  EXPECT_NE(r.out.find("<EventRecordID>1399</EventRecordID>"), std::string::npos);
  EXPECT_NE(r.out.find("<Data Name=\"Status\">0x00000025</Data>"), std::string::npos);
  EXPECT_NE(r.out.find("<Data Name=\"TicketEncryptionType\">0x00000017</Data>"), std::string::npos);
  EXPECT_NE(r.out.find("<Data Name=\"TargetSid\">S-1-5-21-4230534742-2542757381-3142984815-1171</Data>"),
            std::string::npos);
}

TEST(EvtxWriter, DamageIsWhatWasAskedFor) {
  REQUIRE_PYTHON_EVTX();
  Fixture f = many_records(300);
  std::string error;
  Options o;
  o.damage.dirty_header = true;
  o.damage.bad_chunk_header_crc = 0;
  o.damage.bad_record_crc = 1;
  const fs::path file = scratch("damaged.evtx");
  ASSERT_TRUE(write_file(file, f.events, o, error)) << error;
  rapidjson::Document doc = python_read(file);
  EXPECT_TRUE(doc["dirty"].GetBool());
  EXPECT_TRUE(doc["header_ok"].GetBool()) << "a dirty header keeps a correct CRC";
  ASSERT_GE(doc["chunks"].Size(), 2u);
  EXPECT_FALSE(doc["chunks"][0]["header_crc_ok"].GetBool());
  EXPECT_TRUE(doc["chunks"][0]["data_crc_ok"].GetBool());
  EXPECT_TRUE(doc["chunks"][1]["header_crc_ok"].GetBool());
  EXPECT_FALSE(doc["chunks"][1]["data_crc_ok"].GetBool());
  EXPECT_EQ(doc["records"].Size(), f.events.size()) << "CRC damage leaves the records themselves readable";

  Options magic;
  magic.damage.bad_chunk_magic = 1;
  magic.damage.bad_file_header_crc = true;
  ASSERT_TRUE(write_file(file, f.events, magic, error)) << error;
  rapidjson::Document doc2 = python_read(file);
  EXPECT_FALSE(doc2["header_ok"].GetBool());
  EXPECT_FALSE(doc2["chunks"][1]["magic_ok"].GetBool());
  EXPECT_TRUE(doc2["chunks"][0]["magic_ok"].GetBool());
}

TEST(EvtxWriter, TruncationAndStringOffsetDamage) {
  Fixture f = many_records(50);
  std::string error;
  Options o;
  o.damage.truncate_to = 4096 + 30000;
  o.damage.corrupt_string_offset = 0;
  const auto bytes = build(f.events, o, error);
  ASSERT_EQ(bytes.size(), 4096u + 30000u) << error;
  bool found = false;
  for (std::size_t i = 0; i < 64; ++i) {
    const std::size_t at = 4096 + 0x80 + 4 * i;
    const std::uint32_t v = static_cast<std::uint32_t>(bytes[at] | bytes[at + 1] << 8 | bytes[at + 2] << 16 |
                                                       static_cast<std::uint32_t>(bytes[at + 3]) << 24);
    if (v >= 65536) found = true;
  }
  EXPECT_TRUE(found) << "one string bucket should point outside the chunk";
}

TEST(EvtxWriter, StreamsManyChunksWithBoundedState) {
  std::stringstream out(std::ios::in | std::ios::out | std::ios::binary);
  Writer w(out);
  std::string error;
  Fixture f = many_records(30);
  for (std::uint64_t i = 0; i < 3000; ++i) {
    Event e = f.events[i % f.events.size()];
    e.record_id = i + 1;
    ASSERT_TRUE(w.add(e, error)) << error;
  }
  ASSERT_TRUE(w.finish(error)) << error;
  EXPECT_EQ(w.records(), 3000u);
  EXPECT_GE(w.chunks(), 10u);
  EXPECT_EQ(out.str().size(), 4096 + w.chunks() * 65536);
}

std::vector<std::uint8_t> file_bytes(const fs::path& p) {
  const std::string s = read_file(p);
  return std::vector<std::uint8_t>(s.begin(), s.end());
}

// The checked-in fixtures must be exactly what `make_evtx_corpus --fixtures` makes today; if this
// fails, regenerate them as tests/fixtures/evtx/README.md says and review the difference.
TEST(EvtxWriter, CheckedInFixturesMatchTheGenerator) {
  const fs::path dir = source_dir() / "tests" / "fixtures" / "evtx";
  std::string error;
  EXPECT_EQ(file_bytes(dir / "kerberos_sample.evtx"), build(kerberos_sample_events(), {}, error)) << error;
  EXPECT_EQ(file_bytes(dir / "all_value_types.evtx"), build(all_value_types_events(), {}, error)) << error;
  Options truncated;
  truncated.damage.truncate_to = 4096 + 2048;
  EXPECT_EQ(file_bytes(dir / "kerberos_sample_truncated.evtx"), build(kerberos_sample_events(), truncated, error));
  Options bad_crc;
  bad_crc.damage.bad_record_crc = 0;
  bad_crc.damage.dirty_header = true;
  EXPECT_EQ(file_bytes(dir / "kerberos_sample_bad_record_crc.evtx"), build(kerberos_sample_events(), bad_crc, error));
}

TEST(EvtxWriter, SampleEventsSpellCodesBothWays) {
  const auto events = kerberos_sample_events();
  ASSERT_EQ(events.size(), 7u);
  EXPECT_EQ(iso_from_filetime(events.front().time_created), "2025-07-30T20:22:08.8553932Z");
  int hex = 0, text = 0;
  for (const auto& e : events)
    for (const auto& f : e.data)
      if (f.name == "Status") (f.value.type() == 0x14 ? hex : text) += 1;
  EXPECT_GT(hex, 0);
  EXPECT_GT(text, 0);
  EXPECT_EQ(events.back().version, 2);
}

TEST(EvtxWriter, SyntheticEventsAreDeterministicAndKerberosWhenAsked) {
  std::string error;
  std::vector<Event> a, b;
  for (std::uint64_t i = 1; i <= 50; ++i) {
    a.push_back(synthetic_event(i, i * 0x9e3779b97f4a7c15ULL, i % 2 == 0));
    b.push_back(synthetic_event(i, i * 0x9e3779b97f4a7c15ULL, i % 2 == 0));
  }
  EXPECT_EQ(build(a, {}, error), build(b, {}, error));
  for (std::size_t i = 0; i < a.size(); ++i) {
    const bool kerberos = a[i].event_id == 4768 || a[i].event_id == 4769 || a[i].event_id == 4771;
    EXPECT_EQ(kerberos, (i + 1) % 2 == 0) << "event " << a[i].event_id;
  }
}

TEST(EvtxWriter, PythonEvtxReadsTheKerberosFixture) {
  REQUIRE_PYTHON_EVTX();
  rapidjson::Document doc = python_read(source_dir() / "tests" / "fixtures" / "evtx" / "kerberos_sample.evtx");
  const auto events = kerberos_sample_events();
  ASSERT_EQ(doc["records"].Size(), events.size());
  const auto& last = doc["records"][6];
  EXPECT_EQ(std::string(last["Computer"].GetString()), "DC02.contoso.local");
  EXPECT_EQ(std::string(last["Version"].GetString()), "2");
  EXPECT_EQ(std::string(doc["records"][1]["data"][7][0].GetString()), "TicketEncryptionType");
  EXPECT_EQ(std::string(doc["records"][1]["data"][7][1].GetString()), "0xffffffff");
}

}  // namespace
}  // namespace ki::test::evtx
