#pragma once
// Checks of --validate-arguments, reusable by tests and by `run` (which logs the same messages).

#include <string>
#include <string_view>

#include "modinput/config.hpp"

namespace ki::modinput {

// Every value of the stanza, and that its path names readable files (or a readable folder).
bool validate_stanza(const Stanza& stanza, std::string& error);

// <error><message>...</message></error>, the answer splunkd shows to the admin.
std::string error_xml(std::string_view message);

}  // namespace ki::modinput
