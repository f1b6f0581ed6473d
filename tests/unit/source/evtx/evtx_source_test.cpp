// The evtx source end to end: the shared real-world samples against python-evtx as an oracle, exact
// good/bad counts on damaged samples, record order, resume, the EventID filter and threads.
#include <gtest/gtest.h>

#include <rapidjson/document.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "source/source.hpp"
#include "support/paths.hpp"

namespace {

namespace fs = std::filesystem;

struct ReadAll {
  std::vector<ki::Record> records;
  std::vector<std::string> bad;
  ki::SourceStats stats;
  std::uint64_t position = 0;
};

ReadAll read_all(const fs::path& path, ki::SourceOptions options = {}) {
  ReadAll out;
  std::string error;
  auto source = ki::open_evtx_source(path.string(), options, error);
  EXPECT_NE(source, nullptr) << error;
  if (!source) return out;
  ki::Record record;
  for (;;) {
    const ki::ReadStatus status = source->next(record, error);
    if (status == ki::ReadStatus::end) break;
    if (status == ki::ReadStatus::bad) {
      out.bad.push_back(error);
      continue;
    }
    out.records.push_back(record);
  }
  out.stats = source->stats();
  out.position = source->position();
  return out;
}

std::vector<fs::path> shared_evtx_files() {
  std::vector<fs::path> files;
  const fs::path root = ki::test::shared_data_dir() / "evtx";
  if (!fs::exists(root)) return files;
  for (const auto& entry : fs::recursive_directory_iterator(root))
    if (entry.is_regular_file() && entry.path().extension() == ".evtx") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

bool oracle_available() {
  return fs::exists("/usr/bin/python3") &&
         std::system("/usr/bin/python3 -c 'import Evtx.Evtx' >/dev/null 2>&1") == 0;
}

std::string run_oracle(const fs::path& file) {
  const fs::path script = ki::test::source_dir() / "tests" / "scripts" / "evtx_oracle.py";
  const std::string command = "/usr/bin/python3 '" + script.string() + "' '" + file.string() + "' 2>/dev/null";
  std::string output;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) return output;
  char buffer[65536];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) output.append(buffer, n);
  ::pclose(pipe);
  return output;
}

bool is_hex(const std::string& s) {
  return s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') &&
         s.find_first_not_of("0123456789abcdefABCDEF", 2) == std::string::npos;
}

// python-evtx zero-pads HexInt32/64 and prints GUIDs in lower case; Windows does neither. Strings the
// record stored verbatim (even "0x00000025") must come out exactly as python-evtx read them.
bool same_value(const std::string& ours, const std::string& oracle) {
  if (ours == oracle) return true;
  if (is_hex(ours) && is_hex(oracle))
    return std::strtoull(ours.c_str() + 2, nullptr, 16) == std::strtoull(oracle.c_str() + 2, nullptr, 16);
  if (!ours.empty() && ours[0] == '{' && ours.size() == oracle.size())
    return std::equal(ours.begin(), ours.end(), oracle.begin(),
                      [](char a, char b) { return std::tolower(a) == std::tolower(b); });
  return false;
}

// python-evtx prints "2021-05-26 20:24:46.570112" (microseconds through a float, so sometimes one off, and
// dropped when zero); we print "2021-05-26T20:24:46.5701124Z". Equal when within two microseconds.
bool same_time(const std::string& ours, const std::string& oracle) {
  if (ours.size() != 28 || oracle.size() < 19) return false;
  if (ours.compare(0, 10, oracle, 0, 10) != 0 || ours[10] != 'T' || ours.compare(11, 8, oracle, 11, 8) != 0)
    return false;
  const long theirs = oracle.size() > 20 ? std::stol(oracle.substr(20)) : 0;
  const long mine = std::stol(ours.substr(20, 6));
  return std::labs(mine - theirs) <= 2;
}

struct ExpectedCounts {
  const char* file;
  std::uint64_t records;
  std::uint64_t bad;
  std::size_t kerberos;  // records with EventID 4768-4773 that python-evtx reads
};

// Worked out file by file (see docs/evtx-format.md, "Damage and what counts as bad") and cross-checked
// against python-evtx and evtxexport (libevtx): clean files give every record and no bad; a dirty header
// is one bad; each CRC mismatch, wiped chunk header and unreadable stretch of records is one more.
constexpr ExpectedCounts kExpected[] = {
    {"attacks/id4738_do_not_require_kerberos_preauthentication.evtx", 2, 0, 0},
    {"attacks/id4738_use_only_kerberos_des_encryption_types.evtx", 2, 0, 0},
    {"attacks/id4768_4769_kerberos_host_ticket_without_a_trailing.evtx", 2, 0, 2},
    {"attacks/id4768_4771_kerberos_brutforce_with_non_existing_users.evtx", 52, 0, 52},
    {"attacks/id4768_4771_kerberos_user_enumeration_kerbrute.evtx", 42, 0, 42},
    {"attacks/id4768_kerberos_as_rep_roasting.evtx", 1, 0, 1},
    {"attacks/id4769_golden_ticket_issued.evtx", 10, 0, 10},
    {"attacks/id4769_kerberoast_ticket_with_low_encryption.evtx", 10, 0, 10},
    {"attacks/id4769_kerberos_tgs_host_enumeration_bloodhound.evtx", 24, 0, 24},
    {"attacks/id4771_kerberos_brutforce_with_valid_user.evtx", 54, 0, 54},
    {"attacks/id4781_computer_account_renamed_without_a_trailing_cve_2021_42278.evtx", 2, 0, 0},
    {"attacks/id47x_4661_4662_5136_4688_4697_sam_the_admin_cve_2021_42287.evtx", 40, 0, 2},
    {"parser/2-system-Microsoft-Windows-LiveId%4Operational.evtx", 399, 1, 0},
    {"parser/2-vss_0-Microsoft-Windows-RemoteDesktopServices-RdpCoreTS%4Operational.evtx", 1950, 30, 0},
    {"parser/2-vss_0-Microsoft-Windows-TerminalServices-RemoteConnectionManager%4Operational.evtx", 1795, 4, 0},
    {"parser/2-vss_7-System.evtx", 1160, 1, 0},
    {"parser/Application_no_crc32.evtx", 17, 0, 0},
    {"parser/E_ShadowCopy6_windows_system32_winevt_logs_Microsoft-Windows-CAPI2%4Operational.evtx", 459, 0, 0},
    {"parser/E_Windows_system32_winevt_logs_Microsoft-Windows-CAPI2%4Operational.evtx", 340, 0, 0},
    {"parser/E_Windows_system32_winevt_logs_Microsoft-Windows-Shell-Core%4Operational.evtx", 1146, 1, 0},
    {"parser/MSExchange_Management_wec.evtx", 1, 0, 0},
    {"parser/Microsoft-Windows-HelloForBusiness%4Operational.evtx", 5, 3, 0},
    {"parser/Microsoft-Windows-LanguagePackSetup%4Operational.evtx", 16, 3, 0},
    {"parser/Security_short_selected.evtx", 7, 0, 0},
    {"parser/Security_with_size_t.evtx", 636, 0, 0},
    {"parser/issue_201.evtx", 1, 0, 0},
    {"parser/new-user-security.evtx", 4, 0, 0},
    {"parser/post-Security.evtx", 126, 0, 0},
    {"parser/sample-with-irregular-bool-values.evtx", 3028, 1, 0},
    {"parser/sample-with-zero-data-size-event.evtx", 449, 3, 0},
    {"parser/sample_with_a_bad_chunk_magic.evtx", 298, 9, 0},
    {"parser/security.evtx", 2261, 1, 0},
    {"parser/security_bad_string_cache.evtx", 2261, 2, 0},
    {"parser/sysmon.evtx", 358, 1, 0},
    {"parser/system.evtx", 1881, 1, 0},
};

// One test per sample, so that CTest can run the (slow) oracle on several files at once.
class EvtxOracle : public ::testing::TestWithParam<ExpectedCounts> {};

TEST_P(EvtxOracle, KerberosRecordsMatchPythonEvtx) {
  KI_REQUIRE_SHARED_DATA();
  if (!oracle_available()) GTEST_SKIP() << "/usr/bin/python3 with python3-evtx (import Evtx) not available";
  std::size_t compared = 0;
  {
    const fs::path file = ki::test::shared_data_dir() / "evtx" / GetParam().file;
    ASSERT_TRUE(fs::exists(file));
    const ReadAll ours = read_all(file);
    std::multimap<std::string, const ki::Record*> by_record_id;
    for (const ki::Record& r : ours.records)
      if (const std::string* id = r.system_field("EventRecordID")) by_record_id.emplace(*id, &r);

    const std::string output = run_oracle(file);
    ASSERT_FALSE(output.empty()) << "the oracle printed nothing";
    std::size_t start = 0;
    while (start < output.size()) {
      std::size_t end = output.find('\n', start);
      if (end == std::string::npos) end = output.size();
      rapidjson::Document line;
      line.Parse(output.c_str() + start, end - start);
      start = end + 1;
      ASSERT_FALSE(line.HasParseError());
      if (line.HasMember("error") || !line.HasMember("EventID")) continue;
      const std::string event_id = line["EventID"].GetString();
      if (event_id < "4768" || event_id > "4773" || event_id.size() != 4) continue;
      const std::string record_id = line["EventRecordID"].GetString();
      SCOPED_TRACE("EventRecordID " + record_id);
      auto [first, last] = by_record_id.equal_range(record_id);
      ASSERT_NE(first, last) << "record missing from our output";
      ASSERT_EQ(std::distance(first, last), 1) << "record read more than once";
      const ki::Record& r = *first->second;
      EXPECT_EQ(std::to_string(r.event_id), event_id);
      EXPECT_EQ(*r.system_field("EventID"), event_id);
      ASSERT_NE(r.system_field("Computer"), nullptr);
      EXPECT_EQ(*r.system_field("Computer"), line["Computer"].GetString());
      ASSERT_NE(r.system_field("TimeCreated"), nullptr);
      EXPECT_TRUE(same_time(*r.system_field("TimeCreated"), line["TimeCreated"].GetString()))
          << *r.system_field("TimeCreated") << " vs " << line["TimeCreated"].GetString();
      const auto& data = line["data"].GetArray();
      ASSERT_EQ(r.data.size(), data.Size());
      for (rapidjson::SizeType i = 0; i < data.Size(); ++i) {
        EXPECT_EQ(r.data[i].name, data[i][0].GetString());
        EXPECT_TRUE(same_value(r.data[i].value, data[i][1].GetString()))
            << r.data[i].name << ": " << r.data[i].value << " vs " << data[i][1].GetString();
      }
      ++compared;
    }
  }
  EXPECT_EQ(compared, GetParam().kerberos) << "Kerberos records compared";
}

INSTANTIATE_TEST_SUITE_P(SharedSamples, EvtxOracle, ::testing::ValuesIn(kExpected),
                         [](const ::testing::TestParamInfo<ExpectedCounts>& info) {
                           std::string name = fs::path(info.param.file).stem().string();
                           for (char& c : name)
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           return name;
                         });

TEST(EvtxSource, ExactGoodAndBadCountsOnEverySample) {
  KI_REQUIRE_SHARED_DATA();
  const fs::path root = ki::test::shared_data_dir() / "evtx";
  std::size_t checked = 0;
  for (const ExpectedCounts& e : kExpected) {
    SCOPED_TRACE(e.file);
    const fs::path path = root / e.file;
    ASSERT_TRUE(fs::exists(path));
    const ReadAll all = read_all(path);
    EXPECT_EQ(all.records.size(), e.records);
    EXPECT_EQ(all.bad.size(), e.bad);
    EXPECT_EQ(all.stats.records, e.records);
    EXPECT_EQ(all.stats.bad, e.bad);
    for (const std::string& message : all.bad) {
      EXPECT_EQ(message.rfind(path.string() + ": offset 0x", 0), 0u) << message;
    }
    ++checked;
  }
  EXPECT_EQ(checked, shared_evtx_files().size()) << "a shared sample has no expected counts";
}

TEST(EvtxSource, DamagedSamplesSayWhatAndWhere) {
  KI_REQUIRE_SHARED_DATA();
  const fs::path parser = ki::test::shared_data_dir() / "evtx" / "parser";
  auto has = [](const ReadAll& all, const std::string& text) {
    return std::any_of(all.bad.begin(), all.bad.end(),
                       [&](const std::string& m) { return m.find(text) != std::string::npos; });
  };
  const ReadAll magic = read_all(parser / "sample_with_a_bad_chunk_magic.evtx");
  EXPECT_TRUE(has(magic, "offset 0x61000: bad chunk signature"));
  EXPECT_TRUE(has(magic, "record CRC mismatch"));
  const ReadAll strings = read_all(parser / "security_bad_string_cache.evtx");
  EXPECT_TRUE(has(strings, "offset 0x1000: chunk header CRC mismatch"));
  const ReadAll zero = read_all(parser / "sample-with-zero-data-size-event.evtx");
  EXPECT_TRUE(has(zero, "offset 0x1820: record size is zero"));
  // The records after the zero-size one are still read.
  EXPECT_TRUE(std::any_of(zero.records.begin(), zero.records.end(),
                          [](const ki::Record& r) { return *r.system_field("EventRecordID") == "4"; }));
  const ReadAll dirty = read_all(parser / "security.evtx");
  EXPECT_TRUE(has(dirty, "offset 0x78: file header marked dirty"));
  const ReadAll no_crc = read_all(parser / "Application_no_crc32.evtx");
  EXPECT_TRUE(no_crc.bad.empty());
}

TEST(EvtxSource, RecordsComeInRecordOrderAcrossWrappedChunks) {
  KI_REQUIRE_SHARED_DATA();
  // A full log wraps: its oldest chunk is not the first in the file.
  const ReadAll all =
      read_all(ki::test::shared_data_dir() / "evtx/parser/2-system-Microsoft-Windows-LiveId%4Operational.evtx");
  ASSERT_EQ(all.records.size(), 399u);
  EXPECT_EQ(*all.records.front().system_field("EventRecordID"), "2032");
  EXPECT_EQ(*all.records.back().system_field("EventRecordID"), "2430");
  for (std::size_t i = 1; i < all.records.size(); ++i)
    EXPECT_LT(std::stoull(*all.records[i - 1].system_field("EventRecordID")),
              std::stoull(*all.records[i].system_field("EventRecordID")));
  EXPECT_EQ(all.position, 2430u);
}

TEST(EvtxSource, ResumeSkipsRecordsUpToThePosition) {
  KI_REQUIRE_SHARED_DATA();
  const fs::path path = ki::test::shared_data_dir() / "evtx/parser/security.evtx";
  ki::SourceOptions options;
  options.resume_position = 2000;
  const ReadAll rest = read_all(path, options);
  ASSERT_EQ(rest.records.size(), 261u);
  EXPECT_EQ(*rest.records.front().system_field("EventRecordID"), "2001");
  EXPECT_TRUE(rest.bad.empty()) << "header damage is reported by the run that started at the beginning";
  EXPECT_EQ(rest.position, 2261u);
  options.resume_position = rest.position;
  EXPECT_TRUE(read_all(path, options).records.empty());
}

TEST(EvtxSource, EventIdFilterCountsWhatItSkips) {
  KI_REQUIRE_SHARED_DATA();
  const fs::path path =
      ki::test::shared_data_dir() / "evtx/attacks/id4768_4771_kerberos_brutforce_with_non_existing_users.evtx";
  const ReadAll all = read_all(path);
  const auto wanted = static_cast<std::size_t>(
      std::count_if(all.records.begin(), all.records.end(), [](const ki::Record& r) { return r.event_id == 4771; }));
  ASSERT_GT(wanted, 0u);
  ki::SourceOptions options;
  options.event_ids = {4771};
  const ReadAll some = read_all(path, options);
  EXPECT_EQ(some.records.size(), wanted);
  EXPECT_EQ(some.stats.filtered, all.records.size() - wanted);
  for (const ki::Record& r : some.records) EXPECT_EQ(r.event_id, 4771u);
}

TEST(EvtxSource, ThreadsGiveTheSameOutputInTheSameOrder) {
  KI_REQUIRE_SHARED_DATA();
  for (const char* name : {"parser/security.evtx", "parser/sample_with_a_bad_chunk_magic.evtx",
                           "parser/2-vss_0-Microsoft-Windows-RemoteDesktopServices-RdpCoreTS%4Operational.evtx"}) {
    SCOPED_TRACE(name);
    const fs::path path = ki::test::shared_data_dir() / "evtx" / name;
    const ReadAll one = read_all(path);
    for (unsigned threads : {2u, 3u, 8u}) {
      ki::SourceOptions options;
      options.threads = threads;
      const ReadAll many = read_all(path, options);
      ASSERT_EQ(many.records.size(), one.records.size());
      EXPECT_EQ(many.bad, one.bad);
      for (std::size_t i = 0; i < one.records.size(); ++i) {
        ASSERT_EQ(many.records[i].system.size(), one.records[i].system.size());
        ASSERT_EQ(many.records[i].data.size(), one.records[i].data.size());
        for (std::size_t k = 0; k < one.records[i].data.size(); ++k)
          EXPECT_EQ(many.records[i].data[k].value, one.records[i].data[k].value);
        EXPECT_EQ(*many.records[i].system_field("EventRecordID"), *one.records[i].system_field("EventRecordID"));
      }
    }
  }
}

TEST(EvtxSource, OpeningSomethingElseFailsWithTheFileName) {
  std::string error;
  EXPECT_EQ(ki::open_evtx_source("no/such/file.evtx", {}, error), nullptr);
  EXPECT_NE(error.find("no/such/file.evtx"), std::string::npos);
  const fs::path not_evtx = ki::test::source_dir() / "CMakeLists.txt";
  error.clear();
  EXPECT_EQ(ki::open_evtx_source(not_evtx.string(), {}, error), nullptr);
  EXPECT_NE(error.find("not an EVTX file"), std::string::npos) << error;
}

}  // namespace
