#include "source/evtx/evtx_file_header.hpp"

#include <gtest/gtest.h>

#include "support/evtx_writer.hpp"

namespace {

namespace w = ki::test::evtx;

std::vector<std::uint8_t> file(const w::Damage& damage = {}) {
  w::Options options;
  options.damage = damage;
  std::string error;
  auto bytes = w::build(w::kerberos_sample_events(), options, error);
  EXPECT_FALSE(bytes.empty()) << error;
  return bytes;
}

TEST(EvtxFileHeader, ReadsAWrittenHeader) {
  const auto bytes = file();
  ki::evtx::FileHeader h;
  bool checksum_ok = false;
  std::string error;
  ASSERT_TRUE(ki::evtx::parse_file_header(bytes.data(), bytes.size(), h, checksum_ok, error)) << error;
  EXPECT_TRUE(checksum_ok);
  EXPECT_EQ(h.major_version, 3);
  EXPECT_EQ(h.block_size, 4096);
  EXPECT_EQ(h.chunk_count, 1);
  EXPECT_FALSE(h.dirty());
  EXPECT_TRUE(h.checksums_written());
}

TEST(EvtxFileHeader, FlagsDirtyAndBadChecksum) {
  ki::evtx::FileHeader h;
  bool checksum_ok = true;
  std::string error;
  w::Damage dirty;
  dirty.dirty_header = true;
  auto bytes = file(dirty);
  ASSERT_TRUE(ki::evtx::parse_file_header(bytes.data(), bytes.size(), h, checksum_ok, error));
  EXPECT_TRUE(h.dirty());
  EXPECT_TRUE(checksum_ok);
  w::Damage crc;
  crc.bad_file_header_crc = true;
  bytes = file(crc);
  ASSERT_TRUE(ki::evtx::parse_file_header(bytes.data(), bytes.size(), h, checksum_ok, error));
  EXPECT_FALSE(checksum_ok);
}

TEST(EvtxFileHeader, RejectsWhatIsNotAnEvtxHeader) {
  ki::evtx::FileHeader h;
  bool checksum_ok = true;
  std::string error;
  const std::uint8_t text[] = "<Events><Event/></Events>";
  EXPECT_FALSE(ki::evtx::parse_file_header(text, sizeof text, h, checksum_ok, error));
  EXPECT_NE(error.find("not an EVTX file"), std::string::npos);
  auto bytes = file();
  error.clear();
  EXPECT_FALSE(ki::evtx::parse_file_header(bytes.data(), 100, h, checksum_ok, error));
  EXPECT_NE(error.find("truncated"), std::string::npos);
}

}  // namespace
