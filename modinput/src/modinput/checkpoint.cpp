#include "modinput/checkpoint.hpp"

#include "util/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include <openssl/evp.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace ki::modinput {

// ---- RangeSet ----

bool RangeSet::contains(std::uint64_t value) const {
  auto it = intervals_.upper_bound(value);
  if (it == intervals_.begin()) return false;
  --it;
  return value <= it->second;
}

bool RangeSet::insert(std::uint64_t value) {
  // One lookup, and in the common case (the next ID of a log) the interval grows in place: this runs for
  // every record read.
  auto next = intervals_.upper_bound(value);
  if (next != intervals_.begin()) {
    auto prev = std::prev(next);
    if (value <= prev->second) return false;
    if (prev->second + 1 == value) {
      prev->second = value;
      if (next != intervals_.end() && next->first == value + 1) {
        prev->second = next->second;
        intervals_.erase(next);
      }
      return true;
    }
  }
  if (next != intervals_.end() && next->first == value + 1) {  // grows the next interval down: a new key
    const std::uint64_t last = next->second;
    intervals_.emplace_hint(intervals_.erase(next), value, last);
    return true;
  }
  intervals_.emplace_hint(next, value, value);
  return true;
}

void RangeSet::insert_range(std::uint64_t first, std::uint64_t last) {
  if (first > last) std::swap(first, last);
  // Start from the interval that could touch `first` (ends at first - 1 or later), merge all it overlaps.
  auto it = intervals_.upper_bound(first);
  if (it != intervals_.begin()) {
    auto prev = std::prev(it);
    if (prev->second >= first || (first > 0 && prev->second == first - 1)) it = prev;
  }
  while (it != intervals_.end() && (it->first <= last || (last < UINT64_MAX && it->first == last + 1))) {
    first = std::min(first, it->first);
    last = std::max(last, it->second);
    it = intervals_.erase(it);
  }
  intervals_.emplace(first, last);
}

// ---- identity ----

namespace {

std::string sha256_hex(const unsigned char* data, std::size_t size) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(data, size, digest, &length, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(length * 2);
  for (unsigned i = 0; i < length; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 15];
  }
  return hex;
}

// Reads up to `length` identity bytes; `error` set when the file cannot be read.
bool read_identity_bytes(const std::string& path, SourceKind kind, std::uint64_t length, std::string& bytes,
                         std::string& error) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    error = path + ": " + std::strerror(errno);
    return false;
  }
  const std::uint64_t offset = kind == SourceKind::evtx ? kEvtxIdentityOffset : 0;
  bytes.assign(length, '\0');
  std::size_t got = 0;
  while (got < length) {
    const ssize_t n = ::pread(fd, bytes.data() + got, length - got, static_cast<off_t>(offset + got));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      error = path + ": " + std::strerror(errno) + " reading at offset " + std::to_string(offset + got);
      ::close(fd);
      return false;
    }
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
  }
  ::close(fd);
  bytes.resize(got);
  return true;
}

}  // namespace

// The size of an evtx file's first record, from its header; 0 when there is no complete valid header yet.
static std::uint64_t first_evtx_record_size(const std::string& path, std::string& error) {
  std::string header;
  if (!read_identity_bytes(path, SourceKind::evtx, kEvtxRecordHeaderBytes, header, error)) return 0;
  if (header.size() < kEvtxRecordHeaderBytes || header.compare(0, 4, std::string_view("\x2a\x2a\0\0", 4)) != 0) return 0;
  const auto byte = [&](int i) { return static_cast<std::uint64_t>(static_cast<unsigned char>(header[i])); };
  const std::uint64_t size = byte(4) | byte(5) << 8 | byte(6) << 16 | byte(7) << 24;
  return size >= kEvtxRecordHeaderBytes && size <= kEvtxMaxRecordBytes ? size : 0;
}

std::optional<FileIdentity> file_identity(const std::string& path, SourceKind kind, std::string& error) {
  std::uint64_t span = kTextIdentityBytes;
  if (kind == SourceKind::evtx) {
    span = first_evtx_record_size(path, error);
    if (span == 0) return std::nullopt;
  }
  std::string bytes;
  if (!read_identity_bytes(path, kind, span, bytes, error)) return std::nullopt;
  // An evtx file without a complete first record has nothing to name it by yet.
  if (bytes.empty() || (kind == SourceKind::evtx && bytes.size() < span)) return std::nullopt;
  FileIdentity id;
  id.digest = sha256_hex(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  id.length = bytes.size();
  id.complete = bytes.size() == span;
  return id;
}

std::optional<std::string> identity_digest(const std::string& path, SourceKind kind, std::uint64_t length) {
  std::string bytes, error;
  if (!read_identity_bytes(path, kind, length, bytes, error) || bytes.size() < length) return std::nullopt;
  return sha256_hex(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
}

// ---- Checkpoint ----

FileEntry* Checkpoint::find(const std::string& path, SourceKind kind, const FileIdentity& identity) {
  const std::string_view kind_name = source_kind_name(kind);
  FileEntry* at_path = nullptr;
  for (auto& entry : files) {
    if (entry.kind != kind_name) continue;
    if (entry.identity.complete && identity.complete) {
      if (entry.identity.digest == identity.digest) {
        if (entry.path == path) return &entry;
        at_path = at_path ? at_path : &entry;  // renamed or copied: same content start
      }
      continue;
    }
    // The stored or the current identity is short: only the same path with the same start counts.
    if (entry.path != path || entry.identity.length > identity.length) continue;
    if (entry.identity.length == identity.length ? entry.identity.digest == identity.digest
                                                 : identity_digest(path, kind, entry.identity.length) ==
                                                       entry.identity.digest)
      return &entry;
  }
  return at_path;
}

void Checkpoint::forget_path(const std::string& path, const FileEntry* keep) {
  // Erasing would move `keep`; copy it out first and find it again by value.
  std::optional<FileEntry> kept;
  if (keep != nullptr) kept = *keep;
  std::erase_if(files, [&](const FileEntry& e) {
    return e.path == path && !(kept && e.identity.digest == kept->identity.digest && e.kind == kept->kind);
  });
}

bool Checkpoint::admit(const Record& record, const SourceStats* progress) {
  const auto identity = record_identity(record);
  if (!identity) return true;
  const std::uint64_t id = identity->record_id;
  RangeSet& ranges = ranges_of(identity->computer, identity->channel);
  if (!ranges.insert(id)) return false;
  if (progress != nullptr) {
    const auto& key = lookup_key_;
    auto last = last_admitted_.find(key);
    if (last == last_admitted_.end()) last = last_admitted_.emplace(key, LastAdmitted{}).first;
    const LastAdmitted& before = last->second;
    // This record is the next good one after the last admitted (records went up by exactly one), nothing
    // was bad in between, and the filtered records fill the gap exactly.
    if (before.id != 0 && id > before.id + 1 && progress->records == before.progress.records + 1 &&
        progress->bad == before.progress.bad && progress->filtered - before.progress.filtered == id - before.id - 1)
      ranges.insert_range(before.id + 1, id - 1);
    last->second = LastAdmitted{id, *progress};
  }
  return true;
}

void Checkpoint::note_filtered(const FilteredRecord& record) {
  ranges_of(record.computer, record.channel).insert(record.record_id);
}

RangeSet& Checkpoint::ranges_of(std::string_view computer, std::string_view channel) {
  // Looked up without allocating once the pair is known: this runs once per record.
  lookup_key_.first.assign(computer);
  lookup_key_.second.assign(channel);
  auto it = seen.find(lookup_key_);
  if (it == seen.end()) it = seen.emplace(lookup_key_, RangeSet{}).first;
  return it->second;
}

std::string checkpoint_to_json(const Checkpoint& checkpoint) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartObject();
  w.Key("version");
  w.Uint(1);
  w.Key("files");
  w.StartArray();
  for (const auto& f : checkpoint.files) {
    w.StartObject();
    w.Key("path");
    w.String(f.path);
    w.Key("kind");
    w.String(f.kind);
    w.Key("digest");
    w.String(f.identity.digest);
    w.Key("identity_length");
    w.Uint64(f.identity.length);
    w.Key("identity_complete");
    w.Bool(f.identity.complete);
    w.Key("size");
    w.Uint64(f.size);
    w.Key("position");
    w.Uint64(f.position);
    w.EndObject();
  }
  w.EndArray();
  w.Key("seen");
  w.StartArray();
  for (const auto& [key, ranges] : checkpoint.seen) {
    w.StartObject();
    w.Key("computer");
    w.String(key.first);
    w.Key("channel");
    w.String(key.second);
    w.Key("ranges");
    w.StartArray();
    for (const auto& [first, last] : ranges.intervals()) {
      w.StartArray();
      w.Uint64(first);
      w.Uint64(last);
      w.EndArray();
    }
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize()) + "\n";
}

std::optional<Checkpoint> checkpoint_from_json(std::string_view text, std::string& error) {
  rapidjson::Document doc;
  doc.Parse(text.data(), text.size());
  if (doc.HasParseError() || !doc.IsObject()) {
    error = "not a JSON object (offset " + std::to_string(doc.GetErrorOffset()) + ")";
    return std::nullopt;
  }
  auto str = [](const rapidjson::Value& o, const char* k) -> std::string {
    auto it = o.FindMember(k);
    return it != o.MemberEnd() && it->value.IsString() ? std::string(it->value.GetString(), it->value.GetStringLength())
                                                       : std::string();
  };
  auto num = [](const rapidjson::Value& o, const char* k, bool& ok) -> std::uint64_t {
    auto it = o.FindMember(k);
    if (it == o.MemberEnd() || !it->value.IsUint64()) {
      ok = false;
      return 0;
    }
    return it->value.GetUint64();
  };
  Checkpoint cp;
  cp.existed = true;
  bool ok = true;
  if (auto files = doc.FindMember("files"); files != doc.MemberEnd() && files->value.IsArray()) {
    for (const auto& f : files->value.GetArray()) {
      if (!f.IsObject()) {
        ok = false;
        continue;
      }
      FileEntry e;
      e.path = str(f, "path");
      e.kind = str(f, "kind");
      e.identity.digest = str(f, "digest");
      e.identity.length = num(f, "identity_length", ok);
      auto complete = f.FindMember("identity_complete");
      e.identity.complete = complete != f.MemberEnd() && complete->value.IsBool() && complete->value.GetBool();
      e.size = num(f, "size", ok);
      e.position = num(f, "position", ok);
      cp.files.push_back(std::move(e));
    }
  }
  if (auto seen = doc.FindMember("seen"); seen != doc.MemberEnd() && seen->value.IsArray()) {
    for (const auto& s : seen->value.GetArray()) {
      if (!s.IsObject()) {
        ok = false;
        continue;
      }
      RangeSet& set = cp.seen[{str(s, "computer"), str(s, "channel")}];
      auto ranges = s.FindMember("ranges");
      if (ranges == s.MemberEnd() || !ranges->value.IsArray()) continue;
      for (const auto& r : ranges->value.GetArray()) {
        if (!r.IsArray() || r.Size() != 2 || !r[0].IsUint64() || !r[1].IsUint64()) {
          ok = false;
          continue;
        }
        set.insert_range(r[0].GetUint64(), r[1].GetUint64());
      }
    }
  }
  if (!ok) {
    error = "unexpected value types in the checkpoint";
    return std::nullopt;
  }
  return cp;
}

// ---- storage ----

namespace {

std::string checkpoint_file_name(std::string_view stanza) {
  // Readable part from the stanza's name after "://", plus a hash of the whole name against collisions.
  std::string_view name = stanza;
  if (const auto sep = name.find("://"); sep != std::string_view::npos) name.remove_prefix(sep + 3);
  std::string readable;
  for (char c : name.substr(0, 80))
    readable += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') ? c : '_';
  std::uint64_t h = 1469598103934665603ull;  // FNV-1a
  for (unsigned char c : stanza) {
    h ^= c;
    h *= 1099511628211ull;
  }
  char suffix[20];
  std::snprintf(suffix, sizeof suffix, "%016llx", static_cast<unsigned long long>(h));
  return "kerberos_events_" + readable + "_" + std::string(suffix, 8) + ".json";
}

}  // namespace

CheckpointStore::CheckpointStore(std::string dir, std::string_view stanza) : dir_(std::move(dir)) {
  path_ = (std::filesystem::path(dir_) / checkpoint_file_name(stanza)).string();
}

std::optional<Checkpoint> CheckpointStore::load(std::string& error) const {
  const int fd = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return Checkpoint{};
    error = path_ + ": " + std::strerror(errno);
    return std::nullopt;
  }
  std::string text;
  char buf[65536];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      error = path_ + ": read: " + std::strerror(errno);
      ::close(fd);
      return std::nullopt;
    }
    if (n == 0) break;
    text.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  std::string why;
  auto cp = checkpoint_from_json(text, why);
  if (!cp) {
    error = path_ + ": " + why;
    return std::nullopt;
  }
  return cp;
}

bool CheckpointStore::save(const Checkpoint& checkpoint, std::string& error) const {
  std::error_code ec;
  std::filesystem::create_directories(dir_, ec);
  if (ec) {
    error = dir_ + ": " + ec.message();
    return false;
  }
  return write_file_atomically(path_, checkpoint_to_json(checkpoint), error, 0600);
}

}  // namespace ki::modinput
