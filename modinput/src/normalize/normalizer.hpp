#pragma once
// The normalize stage: a Record becomes the JSON object that goes into Splunk's <data> and `replay`'s
// output: every original field under its Windows name plus the CIM Authentication fields and the decoded
// codes. docs/fields.md is the contract for the field names.

#include <string>

#include "record/record.hpp"

namespace ki {

struct NormalizedEvent {
  std::string json;        // one JSON object, no newline
  std::string time;        // epoch seconds with fraction for splunkd's <time>, e.g. "1596140525.731936"; "" if unknown
  std::string host;        // the domain controller (Computer)
  std::string stable_key;  // Computer + "/" + Channel + "/" + EventRecordID: lets a search drop a rare repeat
  // Set by normalize() when `json` holds nothing XML character data must escape (no &, <, > and no
  // U+FFFE/U+FFFF; the JSON escaping already removed controls and bad UTF-8): the stream sink then copies
  // it as it is instead of scanning it a second time. False is always safe.
  bool xml_plain = false;
};

// Fills `out` (reusing its buffers). Never throws on odd values: unknown codes render as "unknown (0x..)".
void normalize(const Record& record, NormalizedEvent& out);

}  // namespace ki
