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

TEST(FieldRecycler, RebuildsInPlaceAndKeepsWhatAShorterRecordLeavesOver) {
  FieldRecycler fields;
  std::vector<Field> data;
  fields.put(data, 0, "TargetUserName", std::string(100, 'a'));
  fields.put(data, 1, "ServiceName", std::string(120, 'b'));
  fields.put(data, 2, "Status", "0x0");
  const char* first = data[0].value.data();
  const char* second = data[1].value.data();
  // The next line overwrites in order, in the same buffers.
  fields.put(data, 0, "TargetUserName", std::string(90, 'c'));
  fields.trim(data, 1);
  ASSERT_EQ(data.size(), 1u);
  EXPECT_EQ(data[0].value, std::string(90, 'c'));
  EXPECT_EQ(data[0].value.data(), first);
  // A longer line again: the field trimmed away comes back with its buffer.
  fields.put(data, 1, "ServiceName", std::string(110, 'd'));
  ASSERT_EQ(data.size(), 2u);
  EXPECT_EQ(data[1].name, "ServiceName");
  EXPECT_EQ(data[1].value, std::string(110, 'd'));
  EXPECT_EQ(data[1].value.data(), second) << "field 1 came back to position 1";
  fields.trim(data, 5);  // nothing past the end: unchanged
  EXPECT_EQ(data.size(), 2u);
}

}  // namespace
}  // namespace ki
