// --validate-arguments: splunkd sends the <items> an admin is about to save; an <error> on stdout and a
// non-zero exit make Splunk Web show the message and refuse the input.
#include <unistd.h>

#include <filesystem>
#include <istream>
#include <iterator>
#include <ostream>

#include "cli/commands.hpp"
#include "modinput/config.hpp"
#include "modinput/validate.hpp"
#include "sink/splunk_stream.hpp"

namespace ki::modinput {

bool validate_stanza(const Stanza& stanza, std::string& error) {
  InputSettings settings;
  if (!parse_settings(stanza, settings, error)) return false;
  // An existing, readable folder is fine even while it is empty: files may arrive later.
  std::error_code ec;
  if (std::filesystem::is_directory(settings.path, ec)) {
    if (::access(settings.path.c_str(), R_OK | X_OK) != 0) {
      error = stanza.name + ": path " + settings.path + " is a folder that cannot be read";
      return false;
    }
    return true;
  }
  std::string why;
  const auto files = expand_path(settings.path, why);
  if (files.empty()) {
    error = stanza.name + ": path " + why;
    return false;
  }
  return true;
}

std::string error_xml(std::string_view message) {
  std::string x = "<error><message>";
  sink::append_xml_escaped(x, message);
  x += "</message></error>\n";
  return x;
}

}  // namespace ki::modinput

namespace ki::cli {

int validate_arguments_command(const Args& args, Io io) {
  if (!args.empty()) {
    io.err << "ERROR --validate-arguments takes no argument (the items come on stdin)\n";
    return kExitUsage;
  }
  const std::string input((std::istreambuf_iterator<char>(io.in)), std::istreambuf_iterator<char>());
  std::string error;
  auto config = modinput::parse_input_xml(input, error);
  if (config && config->stanzas.empty()) error = "no <item> to validate in the XML on stdin";
  if (config && error.empty()) {
    for (const auto& stanza : config->stanzas)
      if (!modinput::validate_stanza(stanza, error)) break;
  }
  if (!error.empty()) {
    io.out << modinput::error_xml(error);
    io.out.flush();
    io.err << "ERROR validation failed: " << error << '\n';
    return kExitFailure;
  }
  return kExitOk;
}

}  // namespace ki::cli
