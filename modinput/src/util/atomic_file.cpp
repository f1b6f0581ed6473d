#include "util/atomic_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace ki {

namespace {
std::string describe(const std::filesystem::path& path, const char* step) {
  return path.string() + ": " + step + ": " + std::strerror(errno);
}
}  // namespace

bool write_file_atomically(const std::filesystem::path& path, std::string_view content, std::string& error,
                           unsigned mode) {
  const std::filesystem::path temp = path.string() + ".tmp." + std::to_string(::getpid());
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, static_cast<mode_t>(mode));
  if (fd < 0) {
    error = describe(temp, "cannot create");
    return false;
  }
  size_t written = 0;
  while (written < content.size()) {
    const ssize_t n = ::write(fd, content.data() + written, content.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      error = describe(temp, "cannot write");
      ::close(fd);
      ::unlink(temp.c_str());
      return false;
    }
    written += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) {
    error = describe(temp, "cannot flush to disk");
    ::close(fd);
    ::unlink(temp.c_str());
    return false;
  }
  ::close(fd);
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    error = describe(path, "cannot replace");
    ::unlink(temp.c_str());
    return false;
  }
  // The rename is durable only once the folder's entry is on disk.
  const std::filesystem::path folder = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  const int dir_fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd < 0) {
    error = describe(folder, "cannot open the folder to flush it");
    return false;
  }
  const bool flushed = ::fsync(dir_fd) == 0;
  if (!flushed) error = describe(folder, "cannot flush the folder to disk");
  ::close(dir_fd);
  return flushed;
}

}  // namespace ki
