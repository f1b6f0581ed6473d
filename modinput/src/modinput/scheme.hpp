#pragma once
// The arguments of a kerberos_events input: one table for `--scheme`, validation and the spec file test.

#include <span>
#include <string>
#include <string_view>

namespace ki::modinput {

struct SchemeArg {
  std::string_view name;
  std::string_view title;
  std::string_view description;
  std::string_view data_type;  // string | number | boolean, as splunkd knows them
  bool required_on_create;
  bool required_on_edit;
};

std::span<const SchemeArg> scheme_args();

// The <scheme> document splunkd asks for with --scheme.
std::string scheme_xml();

}  // namespace ki::modinput
