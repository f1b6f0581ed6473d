// Placeholder until the xml source lands: opening answers with a clear error. Delete when implementing.
#include "source/source.hpp"

namespace ki {
std::unique_ptr<Source> open_xml_source(const std::string& path, const SourceOptions&, std::string& error) {
  error = path + ": the xml source is not available in this build yet";
  return nullptr;
}
}  // namespace ki
