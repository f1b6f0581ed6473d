#pragma once
// Replaces a file so that a reader, or a crash at any moment, sees either the old content or the new one:
// write a temporary file beside it, fsync it, rename it over the target, fsync the folder.

#include <filesystem>
#include <string>
#include <string_view>

namespace ki {

// Returns false with `error` naming the path and the system's reason. `mode` applies to a new file
// (checkpoints use 0600: they name the files an input reads).
bool write_file_atomically(const std::filesystem::path& path, std::string_view content, std::string& error,
                           unsigned mode = 0644);

}  // namespace ki
