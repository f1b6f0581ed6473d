#include "pipeline/log.hpp"

#include <sstream>

#include <gtest/gtest.h>

namespace {

TEST(Log, WritesLevelThenMessageOnOneLine) {
  std::ostringstream err;
  ki::pipeline::Log log(err);
  log.info("started");
  log.warn("two\nlines\r\n");
  log.error("e");
  log.fatal("f");
  EXPECT_EQ(err.str(), "INFO started\nWARN two lines  \nERROR e\nFATAL f\n");
}

TEST(Log, DropsLevelsBelowTheMinimum) {
  std::ostringstream err;
  ki::pipeline::Log log(err, ki::pipeline::Level::warn);
  log.debug("d");
  log.info("i");
  log.warn("w");
  EXPECT_EQ(err.str(), "WARN w\n");
  std::ostringstream all;
  ki::pipeline::Log verbose(all, ki::pipeline::Level::debug);
  verbose.debug("d");
  EXPECT_EQ(all.str(), "DEBUG d\n");
}

}  // namespace
