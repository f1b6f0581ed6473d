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

int hunt_command(const Args&, Io io) { return not_built("hunt", io); }

}  // namespace ki::cli
