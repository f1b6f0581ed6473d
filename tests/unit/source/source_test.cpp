// The parts of the source stage every kind shares: a record's identity, packed and unpacked.
#include "source/source.hpp"

#include <gtest/gtest.h>

#include <string>

namespace {

TEST(Identity, PacksAndUnpacksTheFourFieldsItNeeds) {
  ki::Record full;
  full.event_id = 4769;
  full.system = {{"Provider", "Microsoft-Windows-Security-Auditing"}, {"EventID", "4769"},
                 {"EventRecordID", "123456789"}, {"Channel", "Security"}, {"Computer", "DC01.corp.example.com"},
                 {"Keywords", "0x8020000000000000"}};
  full.data = {{"TargetUserName", "alice"}};
  std::string packed;
  ki::pack_identity(full, packed);
  ki::Record to;
  to.data = {{"left", "over"}};
  to.system.resize(7);
  ki::unpack_identity(packed, full.event_id, to);
  EXPECT_EQ(to.event_id, 4769u);
  EXPECT_TRUE(to.data.empty());
  ASSERT_EQ(to.system.size(), 4u);
  EXPECT_EQ(*to.system_field("EventID"), "4769");
  EXPECT_EQ(*to.system_field("EventRecordID"), "123456789");
  EXPECT_EQ(*to.system_field("Channel"), "Security");
  EXPECT_EQ(*to.system_field("Computer"), "DC01.corp.example.com");
  EXPECT_EQ(to.system_field("Provider"), nullptr);
  ki::Record none;
  ki::pack_identity(none, packed);
  ki::unpack_identity(packed, 0, to);
  EXPECT_TRUE(to.system.empty());
}

TEST(Identity, RecordIdentityNeedsAComputerAndANumericRecordId) {
  ki::Record r;
  r.system = {{"Computer", "dc1"}, {"EventRecordID", "12x"}};
  EXPECT_FALSE(ki::record_identity(r).has_value());
  r.system[1].value = "12";
  const auto id = ki::record_identity(r);
  ASSERT_TRUE(id.has_value());
  EXPECT_EQ(id->record_id, 12u);
  EXPECT_EQ(id->computer, "dc1");
  EXPECT_EQ(id->channel, "");
}

}  // namespace
