// `kerberos_events lookups --out DIR` writes the lookup CSVs generated from the code tables;
// `--check DIR` compares them with what is there and reports drift without writing.
#include <filesystem>
#include <fstream>
#include <ostream>
#include <sstream>
#include <string>

#include "cli/commands.hpp"
#include "knowledge/lookup_tables.hpp"
#include "util/atomic_file.hpp"

namespace ki::cli {

namespace {

constexpr std::string_view kLookupsUsage =
    "usage: kerberos_events lookups --out DIR     write one CSV per code table into DIR\n"
    "       kerberos_events lookups --check DIR   exit 1 if DIR's CSVs differ from the code tables\n";

std::string read_all(const std::filesystem::path& path, bool& found) {
  std::ifstream in(path, std::ios::binary);
  found = static_cast<bool>(in);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

// 1-based number of the first line where two texts differ.
size_t first_differing_line(std::string_view a, std::string_view b) {
  size_t line = 1;
  for (size_t i = 0; i < a.size() && i < b.size() && a[i] == b[i]; ++i)
    if (a[i] == '\n') ++line;
  return line;
}

}  // namespace

int lookups_command(const Args& args, Io io) {
  if (args.size() == 1 && (args[0] == "--help" || args[0] == "-h")) {
    io.out << kLookupsUsage;
    return kExitOk;
  }
  if (args.size() != 2 || (args[0] != "--out" && args[0] != "--check")) {
    io.err << kLookupsUsage;
    return kExitUsage;
  }
  const bool check = args[0] == "--check";
  const std::filesystem::path dir(args[1]);
  std::error_code ec;
  if (!check) std::filesystem::create_directories(dir, ec);
  if (ec || !std::filesystem::is_directory(dir)) {
    io.err << "kerberos_events: lookups: " << dir.string() << " is not a usable folder\n";
    return kExitFailure;
  }

  int drifted = 0;
  for (const auto& table : knowledge::lookup_tables()) {
    const std::string content = knowledge::render_csv(table);
    const std::filesystem::path path = dir / table.file_name;
    if (check) {
      bool found = false;
      const std::string existing = read_all(path, found);
      if (!found) {
        io.err << path.string() << ": missing; regenerate with: kerberos_events lookups --out " << dir.string() << '\n';
        ++drifted;
      } else if (existing != content) {
        io.err << path.string() << ": differs from the code tables from line " << first_differing_line(existing, content)
               << "; regenerate with: kerberos_events lookups --out " << dir.string() << '\n';
        ++drifted;
      }
      continue;
    }
    std::string error;
    if (!write_file_atomically(path, content, error)) {
      io.err << "kerberos_events: lookups: " << error << '\n';
      return kExitFailure;
    }
    io.out << "wrote " << path.string() << " (" << table.rows.size() << " rows)\n";
  }
  if (check && drifted == 0) io.out << "lookups are up to date\n";
  return drifted ? kExitFailure : kExitOk;
}

}  // namespace ki::cli
