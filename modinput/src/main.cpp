// kerberos_events: splunkd's modular input for Kerberos events, and the same pipeline as a command line tool.
// This file only chooses a subcommand; each one lives under cli/ or modinput/.
#include <iostream>
#include <string_view>
#include <vector>

#include "cli/commands.hpp"

namespace {

constexpr std::string_view kUsage =
    "usage: kerberos_events [COMMAND] [ARGS]\n"
    "\n"
    "With no command it runs as a Splunk modular input (configuration XML on stdin, event stream on stdout).\n"
    "\n"
    "  --scheme                 print the modular input scheme XML\n"
    "  --validate-arguments     validate an input's configuration read from stdin\n"
    "  explain VALUE [OPTIONS]  explain a result code, ticket options, encryption type, pre-auth type or event\n"
    "  lookups --out DIR        write the lookup CSVs generated from the code tables\n"
    "  replay PATH... [OPTIONS] run the pipeline over files without Splunk and print normalized events\n"
    "  hunt PATH... [OPTIONS]   run the detections over files and print the alerts\n"
    "  --help, --version\n"
    "\n"
    "Each command accepts --help.\n";

}  // namespace

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  std::vector<std::string_view> args(argv + 1, argv + argc);
  ki::cli::Io io{std::cin, std::cout, std::cerr};
  if (args.empty()) return ki::cli::modular_input_run_command({}, io);

  const std::string_view command = args.front();
  const ki::cli::Args rest(args.begin() + 1, args.end());
  if (command == "--scheme") return ki::cli::scheme_command(rest, io);
  if (command == "--validate-arguments") return ki::cli::validate_arguments_command(rest, io);
  if (command == "explain") return ki::cli::explain_command(rest, io);
  if (command == "lookups") return ki::cli::lookups_command(rest, io);
  if (command == "replay") return ki::cli::replay_command(rest, io);
  if (command == "hunt") return ki::cli::hunt_command(rest, io);
  if (command == "--help" || command == "-h" || command == "help") {
    std::cout << kUsage;
    return ki::cli::kExitOk;
  }
  if (command == "--version") {
    std::cout << "kerberos_events " << KI_VERSION << '\n';
    return ki::cli::kExitOk;
  }
  std::cerr << "kerberos_events: unknown command '" << command << "'\n" << kUsage;
  return ki::cli::kExitUsage;
}
