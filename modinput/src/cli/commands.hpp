#pragma once
// The subcommands of kerberos_events. main.cpp only picks one; each lives in its own file.

#include <iosfwd>
#include <string_view>
#include <vector>

namespace ki::cli {

using Args = std::vector<std::string_view>;  // the arguments after the subcommand's name

struct Io {
  std::istream& in;
  std::ostream& out;
  std::ostream& err;
};

// Exit codes shared by every subcommand.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;  // the work itself failed (invalid configuration, unwritable output)
inline constexpr int kExitUsage = 2;    // malformed command line or malformed value

int explain_command(const Args& args, Io io);   // explain.cpp
int lookups_command(const Args& args, Io io);   // lookups.cpp
int replay_command(const Args& args, Io io);    // replay.cpp
int hunt_command(const Args& args, Io io);      // hunt.cpp
// splunkd's protocol: no argument (run), --scheme, --validate-arguments.
int scheme_command(const Args& args, Io io);              // modinput/scheme.cpp
int validate_arguments_command(const Args& args, Io io);  // modinput/validate.cpp
int modular_input_run_command(const Args& args, Io io);   // modinput/run.cpp

}  // namespace ki::cli
