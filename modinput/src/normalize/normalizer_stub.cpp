// Placeholder until the normalizer lands. Delete when implementing normalizer.cpp.
#include "normalize/normalizer.hpp"

namespace ki {
void normalize(const Record& record, NormalizedEvent& out) {
  out.json = "{}";
  out.time.clear();
  out.host.clear();
  out.stable_key.clear();
  (void)record;
}
}  // namespace ki
