// Arbitrary bytes through the xml source (see source_fuzz.hpp).
#include "source_fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return ki::fuzz::read_all_through_source(ki::SourceKind::xml, data, size);
}
