// The compile-time name table: every name finds its own index, anything else finds nothing.
#include "util/name_table.hpp"

#include <gtest/gtest.h>

namespace ki {
namespace {

constexpr std::array<std::string_view, 5> kNames{"Status", "IpAddress", "IpPort", "Data1", "S"};
constexpr NameTable<kNames.size()> kTable{kNames};
static_assert(kTable.find("IpPort") == 2, "lookups work at compile time");

TEST(NameTable, FindsEveryNameAndNothingElse) {
  for (std::size_t i = 0; i < kNames.size(); ++i) EXPECT_EQ(kTable.find(kNames[i]), static_cast<int>(i)) << kNames[i];
  for (std::string_view other : {"", "status", "IpAddres", "IpAddress ", "Data2", "SS"})
    EXPECT_EQ(kTable.find(other), NameTable<5>::kNone) << other;
  EXPECT_EQ(kTable.name(1), "IpAddress");
}

}  // namespace
}  // namespace ki
