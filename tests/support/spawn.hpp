#pragma once
// Runs kerberos_events as splunkd does: a child process with configuration XML written to its stdin, its
// stdout read to the end as the event stream, stderr kept apart as the log.

#include <filesystem>
#include <string>
#include <vector>

namespace ki::test {

struct Spawned {
  int exit_code = -1;  // -1 when the child did not exit normally
  std::string out;
  std::string err;
};

// `args` follow the binary's path; `working_dir` is where the child starts (splunkd's is arbitrary).
Spawned spawn_binary(const std::vector<std::string>& args, const std::string& stdin_text,
                     const std::filesystem::path& working_dir);

}  // namespace ki::test
