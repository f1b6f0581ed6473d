// Subcommands whose issue has not landed yet answer plainly instead of failing to link.
// Each definition moves to its own file when its issue lands.
#include <ostream>

#include "cli/commands.hpp"

namespace ki::cli {
namespace {
int not_built(std::string_view name, Io io) {
  io.err << "kerberos_events: '" << name << "' is not available in this build yet\n";
  return kExitFailure;
}
}  // namespace

int explain_command(const Args&, Io io) { return not_built("explain", io); }
int lookups_command(const Args&, Io io) { return not_built("lookups", io); }
int replay_command(const Args&, Io io) { return not_built("replay", io); }
int hunt_command(const Args&, Io io) { return not_built("hunt", io); }
int scheme_command(const Args&, Io io) { return not_built("--scheme", io); }
int validate_arguments_command(const Args&, Io io) { return not_built("--validate-arguments", io); }
int modular_input_run_command(const Args&, Io io) { return not_built("modular input run", io); }

}  // namespace ki::cli
