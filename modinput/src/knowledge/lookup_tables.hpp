#pragma once
// The lookup CSVs, generated from the code tables. Key columns are exactly the canonical values the
// normalizer emits (result_code "0x18", ticket_encryption "0x17", pre_auth_type "15", signature_id "4768",
// ticket_option "forwardable", supported_etype "RC4"), so a Splunk lookup joins on them unchanged.

#include <vector>

#include "knowledge/csv.hpp"

namespace ki::knowledge {

std::vector<CsvTable> lookup_tables();

}  // namespace ki::knowledge
