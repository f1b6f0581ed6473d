#include "sink/json_lines.hpp"

#include <sstream>
#include <streambuf>

#include <gtest/gtest.h>

namespace {

ki::NormalizedEvent event(std::string json) {
  ki::NormalizedEvent e;
  e.json = std::move(json);
  return e;
}

TEST(JsonLinesSink, OneObjectPerLineWrittenOnFlush) {
  std::ostringstream out;
  ki::sink::JsonLinesSink sink(out);
  sink.write(event(R"({"a":1})"), "f");
  sink.write(event(R"({"b":"x\ny"})"), "f");
  EXPECT_EQ(out.str(), "");
  ASSERT_TRUE(sink.flush());
  EXPECT_EQ(out.str(), "{\"a\":1}\n{\"b\":\"x\\ny\"}\n");
  ASSERT_TRUE(sink.finish());
  EXPECT_EQ(out.str(), "{\"a\":1}\n{\"b\":\"x\\ny\"}\n");  // no trailer for JSON lines
}

struct ClosedBuf : std::streambuf {
  int_type overflow(int_type) override { return traits_type::eof(); }
  std::streamsize xsputn(const char*, std::streamsize) override { return 0; }
};

TEST(JsonLinesSink, FlushReportsAClosedOutput) {
  ClosedBuf buf;
  std::ostream out(&buf);
  ki::sink::JsonLinesSink sink(out);
  sink.write(event("{}"), "f");
  EXPECT_FALSE(sink.flush());
}

}  // namespace
