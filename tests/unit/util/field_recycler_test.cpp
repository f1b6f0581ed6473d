// Field reuse between events: same content as building the record afresh, with the old buffers.
#include "util/field_recycler.hpp"

#include <gtest/gtest.h>

namespace ki {
namespace {

TEST(FieldRecycler, RebuildsTheSameRecordReusingBuffers) {
  FieldRecycler fields;
  Record record;
  record.event_id = 4769;
  fields.add(record.system, "EventID", "4769");
  fields.add(record.data, "TargetUserName", std::string(200, 'a'));
  const char* buffer = record.data[0].value.data();

  fields.recycle(record);
  EXPECT_EQ(record.event_id, 0u);
  EXPECT_TRUE(record.system.empty());
  EXPECT_TRUE(record.data.empty());

  fields.add(record.data, "ServiceName", "krbtgt");
  fields.add(record.data, "Status", std::string(150, 'b'));
  Field& empty = fields.add_named(record.system, "Computer");
  EXPECT_TRUE(empty.value.empty()) << "a reused field starts empty";
  ASSERT_EQ(record.data.size(), 2u);
  EXPECT_EQ(record.data[0].name, "ServiceName");
  EXPECT_EQ(record.data[0].value, "krbtgt");
  EXPECT_EQ(record.data[1].value, std::string(150, 'b'));
  EXPECT_EQ(record.system[0].name, "Computer");
  // The spare fields are taken last-in first-out: the long value's buffer serves one of the new fields.
  bool reused = false;
  for (const Field& f : record.data) reused = reused || f.value.data() == buffer;
  for (const Field& f : record.system) reused = reused || f.value.data() == buffer;
  EXPECT_TRUE(reused);
}

}  // namespace
}  // namespace ki
