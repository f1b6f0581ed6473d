#pragma once
// Reuse of the heap buffers of a Record's field strings from one event to the next. Record::clear()
// destroys the Field strings (it keeps only the vectors' capacity), so a source that cleared and rebuilt
// the record paid one or two allocations per field per event. A source that routes its fields through a
// FieldRecycler takes back the previous event's Field objects and assigns into them instead.

#include <cstddef>
#include <string_view>
#include <utility>
#include <vector>

#include "record/record.hpp"

namespace ki {

class FieldRecycler {
 public:
  // Takes every field of `record` for reuse and clears it (same effect as record.clear()).
  void recycle(Record& record) {
    keep(record.system);
    keep(record.data);
    record.clear();
  }

  // Appends {name, value} to `fields`, reusing a spare Field's buffers when there is one.
  Field& add(std::vector<Field>& fields, std::string_view name, std::string_view value) {
    Field& f = add_named(fields, name);
    f.value.append(value);  // append, not assign: the value is empty, and append's in-place path is inline
    return f;
  }
  // Appends a field with `name` and an empty value.
  Field& add_named(std::vector<Field>& fields, std::string_view name) {
    if (spare_.empty()) {
      fields.push_back({std::string(name), std::string()});
    } else {
      fields.push_back(std::move(spare_.back()));
      spare_.pop_back();
      fields.back().name.clear();
      fields.back().name.append(name);  // clear + append: assign() is an out-of-line call per field
      fields.back().value.clear();
    }
    return fields.back();
  }

  // For a source that rebuilds a record of the same shape line after line: overwrites field `i` of
  // `fields` in place, keeping its buffers (appends when i == fields.size()). Moving every field out and
  // back cost more than building the record.
  Field& put(std::vector<Field>& fields, std::size_t i, std::string_view name, std::string_view value) {
    if (i >= fields.size()) return add(fields, name, value);
    Field& f = fields[i];
    f.name.clear();
    f.name.append(name);
    f.value.clear();
    f.value.append(value);
    return f;
  }
  // Ends such a rebuild with `n` fields: those past it are kept for reuse, last first, so that a longer
  // record after this one gets field n back at position n.
  void trim(std::vector<Field>& fields, std::size_t n) {
    if (n >= fields.size()) return;
    for (std::size_t i = fields.size(); i-- > n;) keep_one(fields[i]);
    fields.resize(n);
  }

 private:
  // Bounds what is kept, so one huge event does not pin its memory for the rest of the file.
  static constexpr std::size_t kMaxSpare = 512;
  static constexpr std::size_t kMaxKeptCapacity = 16 * 1024;

  void keep(std::vector<Field>& fields) {
    for (Field& f : fields) {
      if (spare_.size() >= kMaxSpare) break;
      keep_one(f);
    }
  }
  void keep_one(Field& f) {
    if (spare_.size() >= kMaxSpare) return;
    if (f.value.capacity() > kMaxKeptCapacity || f.name.capacity() > kMaxKeptCapacity) return;
    spare_.push_back(std::move(f));
  }

  std::vector<Field> spare_;
};

}  // namespace ki
