#pragma once
// Work a later stage may hand to a source that reads on threads of its own (evtx with threads > 1): the
// source runs it on each record right after building it, on the thread that built it, while the record is
// still in that core's cache. A record read on one core and normalized on another cost more in cache
// misses than the normalizing itself, and two threads then did barely more than one. The source never
// looks inside the result; the stage that made the work reads it back through Source::prepared().

#include <memory>

#include "record/record.hpp"

namespace ki {

// What the work made of one record; the work's own type derives from it.
class Prepared {
 public:
  virtual ~Prepared() = default;
};

class RecordWork {
 public:
  virtual ~RecordWork() = default;
  // A result to fill; a source keeps one per record slot and reuses it from record to record.
  virtual std::unique_ptr<Prepared> make() const = 0;
  // Fills `into` from `record`. Called from several threads at once, each with results of its own.
  virtual void run(const Record& record, Prepared& into) const = 0;
};

}  // namespace ki
