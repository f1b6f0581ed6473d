#include "source/evtx/evtx_chunk.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "source/evtx/evtx_file_header.hpp"
#include "source/evtx/evtx_values.hpp"
#include "support/evtx_writer.hpp"

namespace {

namespace w = ki::test::evtx;
using ki::evtx::ChunkResult;

constexpr std::size_t kFirstChunk = 4096;

std::vector<std::uint8_t> file(const w::Damage& damage = {}) {
  w::Options options;
  options.damage = damage;
  std::string error;
  auto bytes = w::build(w::kerberos_sample_events(), options, error);
  EXPECT_FALSE(bytes.empty()) << error;
  return bytes;
}

struct Read {
  std::vector<std::uint64_t> ids;
  std::vector<std::string> bad;
  std::uint64_t filtered = 0;
};

Read read(const std::vector<std::uint8_t>& bytes, bool allocated = true, std::uint64_t resume_after = 0,
          const ki::evtx::EventIdFilter* filter = nullptr) {
  ki::evtx::BinXmlContext context;
  ki::evtx::RecordBuilder builder;
  ChunkResult result;
  ki::evtx::ChunkReadOptions options;
  options.label = "test.evtx";
  options.resume_after = resume_after;
  options.filter = filter;
  const std::size_t size = std::min<std::size_t>(bytes.size() - kFirstChunk, ki::evtx::kChunkSize);
  ki::evtx::read_chunk(bytes.data() + kFirstChunk, size, kFirstChunk, allocated, options, context, builder, result);
  Read out;
  for (std::size_t i = 0; i < result.count; ++i) {
    if (result.items[i].bad) out.bad.push_back(result.items[i].error);
    else out.ids.push_back(result.items[i].record_id);
  }
  out.filtered = result.filtered;
  return out;
}

std::size_t sample_count() { return w::kerberos_sample_events().size(); }

bool mentions(const Read& r, const std::string& text) {
  return std::any_of(r.bad.begin(), r.bad.end(), [&](const std::string& m) { return m.find(text) != std::string::npos; });
}

TEST(EvtxChunk, ReadsEveryRecordOfACleanChunk) {
  const auto bytes = file();
  ASSERT_TRUE(ki::evtx::has_chunk_magic(bytes.data() + kFirstChunk, 8));
  const auto h = ki::evtx::parse_chunk_header(bytes.data() + kFirstChunk);
  EXPECT_TRUE(ki::evtx::chunk_header_checksum_ok(bytes.data() + kFirstChunk, h));
  const Read r = read(bytes);
  EXPECT_TRUE(r.bad.empty()) << r.bad.front();
  ASSERT_EQ(r.ids.size(), sample_count());
  EXPECT_EQ(r.ids.front(), h.first_record_id);
  EXPECT_EQ(r.ids.back(), h.last_record_id);
}

TEST(EvtxChunk, BadHeaderCrcIsReportedAndRecordsAreStillRead) {
  w::Damage d;
  d.bad_chunk_header_crc = 0;
  const Read r = read(file(d));
  ASSERT_EQ(r.bad.size(), 1u);
  EXPECT_EQ(r.bad[0], "test.evtx: offset 0x1000: chunk header CRC mismatch (string or template table may be corrupt)");
  EXPECT_EQ(r.ids.size(), sample_count());
}

TEST(EvtxChunk, CorruptStringTableDoesNotStopRecords) {
  // The table is only a hash index of names; records name their strings by offset, so a table pointing
  // outside the chunk (with a checksum that matches it) changes nothing.
  w::Damage d;
  d.corrupt_string_offset = 0;
  const Read r = read(file(d));
  EXPECT_TRUE(r.bad.empty());
  EXPECT_EQ(r.ids.size(), sample_count());
}

TEST(EvtxChunk, BadRecordCrcIsReportedOnceAndParsableRecordsAreKept) {
  w::Damage d;
  d.bad_record_crc = 0;
  const Read r = read(file(d));
  ASSERT_EQ(r.bad.size(), 1u);
  EXPECT_EQ(r.bad[0], "test.evtx: offset 0x1200: record CRC mismatch (records that still parse are kept)");
  EXPECT_EQ(r.ids.size(), sample_count());
}

TEST(EvtxChunk, BadMagicSkipsTheChunkOnlyWhenTheHeaderCountsIt) {
  w::Damage d;
  d.bad_chunk_magic = 0;
  const auto bytes = file(d);
  const Read counted = read(bytes, true);
  ASSERT_EQ(counted.bad.size(), 1u);
  EXPECT_EQ(counted.bad[0], "test.evtx: offset 0x1000: bad chunk signature; chunk skipped");
  EXPECT_TRUE(counted.ids.empty());
  const Read slack = read(bytes, false);
  EXPECT_TRUE(slack.bad.empty());
  EXPECT_TRUE(slack.ids.empty());
  const std::vector<std::uint8_t> zeros(kFirstChunk + ki::evtx::kChunkSize, 0);
  EXPECT_TRUE(read(zeros, true).bad.empty());
}

TEST(EvtxChunk, TruncatedChunkKeepsTheRecordsBeforeTheCut) {
  auto bytes = file();
  const auto h = ki::evtx::parse_chunk_header(bytes.data() + kFirstChunk);
  bytes.resize(kFirstChunk + h.free_space_offset - 100);  // cuts into the last record
  const Read r = read(bytes);
  EXPECT_TRUE(mentions(r, "file ends inside a chunk"));
  EXPECT_EQ(r.ids.size(), sample_count() - 1);
}

TEST(EvtxChunk, ZeroSizeRecordIsSkippedAndTheNextOnesAreFound) {
  auto bytes = file();
  std::uint8_t* chunk = bytes.data() + kFirstChunk;
  const std::uint32_t first_size = ki::evtx::load_u32(chunk + 512 + 4);
  const std::uint32_t second = 512 + first_size;
  std::fill(chunk + second + 4, chunk + second + 8, 0);  // record size 0
  const Read r = read(bytes);
  // One bad for the record, one for the checksum that no longer matches.
  ASSERT_EQ(r.bad.size(), 2u);
  EXPECT_TRUE(mentions(r, "record size is zero; skipping to the next readable record"));
  EXPECT_EQ(r.ids.size(), sample_count() - 1);
}

TEST(EvtxChunk, ResumeAndFilterSkipRecords) {
  const auto bytes = file();
  const auto h = ki::evtx::parse_chunk_header(bytes.data() + kFirstChunk);
  const Read rest = read(bytes, true, h.first_record_id + 1);
  EXPECT_EQ(rest.ids.size(), sample_count() - 2);
  EXPECT_TRUE(read(bytes, true, h.last_record_id).ids.empty());
  const ki::evtx::EventIdFilter only_4771 = [](std::uint32_t id) { return id == 4771; };
  const Read some = read(bytes, true, 0, &only_4771);
  EXPECT_FALSE(some.ids.empty());
  EXPECT_EQ(some.ids.size() + some.filtered, sample_count());
}

}  // namespace
