#include "modinput/scheme.hpp"

#include <array>
#include <ostream>

#include "cli/commands.hpp"
#include "sink/splunk_stream.hpp"

namespace ki::modinput {

namespace {

constexpr std::array<SchemeArg, 5> kArgs{{
    {"kind", "Input format",
     "Format of the files: evtx (Windows event log files), xml (rendered event XML), json (NXLog, Winlogbeat "
     "or OpenWEC JSON lines), text (Splunk's classic WinEventLog rendering) or auto (recognized per file). "
     "Default: auto.",
     "string", false, false},
    {"path", "Path",
     "A file, a directory (read with its subdirectories) or a glob pattern such as /data/dc01/*.evtx.",
     "string", true, false},
    {"event_ids", "Event IDs",
     "Comma-separated event IDs and ranges to keep, or all. Default: 4768-4773,672-677 (Kerberos events of "
     "current and legacy Windows).",
     "string", false, false},
    {"start_from", "Start from",
     "oldest reads the existing events on the first run; newest skips what the files hold when the input is "
     "first run and only sends events written afterwards. Default: oldest.",
     "string", false, false},
    {"threads", "Threads",
     "Number of threads that work in parallel, 1 to 256: they parse evtx chunks and normalize events while "
     "the input reads on. Events keep their file order. Default: the number of processor cores.",
     "number", false, false},
}};

}  // namespace

std::span<const SchemeArg> scheme_args() { return kArgs; }

std::string scheme_xml() {
  using sink::append_xml_escaped;
  std::string x;
  x += "<scheme>\n";
  x += "  <title>Kerberos events</title>\n";
  x += "  <description>Windows Kerberos authentication events (4768-4773, 672-677) from evtx, XML, JSON or "
       "text files, normalized and explained.</description>\n";
  x += "  <use_external_validation>true</use_external_validation>\n";
  x += "  <use_single_instance>false</use_single_instance>\n";
  x += "  <streaming_mode>xml</streaming_mode>\n";
  x += "  <endpoint>\n    <args>\n";
  for (const SchemeArg& a : kArgs) {
    x += "      <arg name=\"";
    append_xml_escaped(x, a.name, true);
    x += "\">\n        <title>";
    append_xml_escaped(x, a.title);
    x += "</title>\n        <description>";
    append_xml_escaped(x, a.description);
    x += "</description>\n        <data_type>";
    append_xml_escaped(x, a.data_type);
    x += "</data_type>\n        <required_on_create>";
    x += a.required_on_create ? "true" : "false";
    x += "</required_on_create>\n        <required_on_edit>";
    x += a.required_on_edit ? "true" : "false";
    x += "</required_on_edit>\n      </arg>\n";
  }
  x += "    </args>\n  </endpoint>\n</scheme>\n";
  return x;
}

}  // namespace ki::modinput

namespace ki::cli {

int scheme_command(const Args& args, Io io) {
  if (!args.empty()) {
    io.err << "kerberos_events --scheme takes no argument\n";
    return kExitUsage;
  }
  io.out << modinput::scheme_xml();
  io.out.flush();
  return io.out ? kExitOk : kExitFailure;
}

}  // namespace ki::cli
