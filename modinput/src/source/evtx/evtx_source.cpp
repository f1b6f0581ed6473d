// The evtx Source: a file header, then chunk slots read in record order, optionally parsed by a pool of
// chunk workers (evtx_workers.hpp) leased for the file. Each worker reads (pread, no shared file position)
// and parses whole chunks into a ring of per-chunk results; the source takes them in chunk order. Memory
// stays bounded: a 64 KiB buffer per worker and a few chunk results per worker in flight.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>

#include "source/evtx/evtx_chunk.hpp"
#include "source/evtx/evtx_file_header.hpp"
#include "source/evtx/evtx_values.hpp"
#include "source/evtx/evtx_workers.hpp"
#include "source/source.hpp"

namespace ki {

namespace {

using evtx::ChunkResult;
using evtx::kChunkSize;
using evtx::kFileHeaderBlockSize;

struct ChunkSlot {
  std::uint64_t file_offset = 0;
  std::size_t size = 0;   // bytes present in the file (a truncated last chunk has fewer)
  bool allocated = false; // counted by the file header
  std::uint64_t order_key = 0;
};

// Reads up to `size` bytes at `offset`; returns how many were read (short only at end of file or on error).
std::size_t read_at(int fd, std::uint8_t* buffer, std::size_t size, std::uint64_t offset) {
  std::size_t done = 0;
  while (done < size) {
    const ssize_t n = ::pread(fd, buffer + done, size - done, static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<std::size_t>(n);
  }
  return done;
}

class EvtxSource final : public Source {
 public:
  EvtxSource(int fd, std::string path, const SourceOptions& options)
      : fd_(fd), path_(std::move(path)), position_(options.resume_position) {
    wanted_ = options.event_ids;
    std::sort(wanted_.begin(), wanted_.end());
    if (!wanted_.empty()) {
      filter_ = [this](std::uint32_t id) { return std::binary_search(wanted_.begin(), wanted_.end(), id); };
      read_options_.filter = &filter_;
    }
    read_options_.label = path_;
    read_options_.resume_after = options.resume_position;
    threads_ = std::max(1u, options.threads);
    work_ = options.work;
  }

  ~EvtxSource() override {
    if (workers_) workers_->end();  // before the file closes: workers may still be reading it
    ::close(fd_);
  }

  bool load(std::string& error, bool report_header) {
    std::vector<std::uint8_t> head(kFileHeaderBlockSize);
    const std::size_t got = read_at(fd_, head.data(), head.size(), 0);
    evtx::FileHeader header;
    bool checksum_ok = true;
    std::string why;
    if (!evtx::parse_file_header(head.data(), got, header, checksum_ok, why)) {
      error = path_ + ": " + why;
      return false;
    }
    read_options_.verify_checksums = header.checksums_written();
    if (report_header) {
      if (!checksum_ok) header_reports_.push_back(path_ + ": offset 0x7c: file header CRC mismatch");
      if (header.dirty())
        header_reports_.push_back(path_ +
                                  ": offset 0x78: file header marked dirty (log not closed cleanly); its chunk "
                                  "count may be stale, so every chunk slot in the file is read");
    }
    struct stat st {};
    if (::fstat(fd_, &st) != 0) {
      error = path_ + ": cannot stat file";
      return false;
    }
    const auto file_size = static_cast<std::uint64_t>(st.st_size);
    if (file_size < kFileHeaderBlockSize) {
      header_reports_.push_back(path_ + ": offset " + hex(file_size) + ": file ends inside the file header block");
      return true;
    }
    // Chunks go in record order (a full log wraps around, so file order is not record order). A slot that
    // is not a chunk keeps the place of the slot before it, so its damage report appears where it lies.
    std::uint8_t probe[48];
    std::uint64_t key = 0;
    std::size_t index = 0;
    for (std::uint64_t offset = kFileHeaderBlockSize; offset < file_size; offset += kChunkSize, ++index) {
      ChunkSlot slot;
      slot.file_offset = offset;
      slot.size = static_cast<std::size_t>(std::min<std::uint64_t>(kChunkSize, file_size - offset));
      slot.allocated = index < header.chunk_count;
      const std::size_t n = read_at(fd_, probe, sizeof probe, offset);
      if (evtx::has_chunk_magic(probe, n) && n >= 32) key = evtx::load_u64(probe + 24);
      slot.order_key = key;
      slots_.push_back(slot);
    }
    std::stable_sort(slots_.begin(), slots_.end(),
                     [](const ChunkSlot& a, const ChunkSlot& b) { return a.order_key < b.order_key; });
    if (threads_ > 1 && slots_.size() > 1) start_workers();
    else parser_ = std::make_unique<evtx::ChunkParser>();  // only reading in order needs its own
    return true;
  }

  ReadStatus next(Record& out, std::string& error) override {
    for (;;) {
      if (header_report_pos_ < header_reports_.size()) {
        error = header_reports_[header_report_pos_++];
        ++stats_.bad;
        return ReadStatus::bad;
      }
      if (current_ == nullptr || item_pos_ >= current_->count) {
        if (!advance()) return ReadStatus::end;
        continue;
      }
      evtx::ChunkItem& item = current_->items[item_pos_++];
      if (item.bad) {
        error.swap(item.error);
        ++stats_.bad;
        return ReadStatus::bad;
      }
      if (read_options_.work != nullptr) {
        // Only the identity, copied: swapping would hand the parsing threads strings the reader wrote.
        unpack_identity(item.identity, item.record.event_id, out);
        prepared_ = item.prepared.get();
      } else {
        std::swap(out, item.record);  // hands over the record and takes back the caller's buffers
      }
      position_ = item.record_id;
      ++stats_.records;
      return ReadStatus::record;
    }
  }

  std::uint64_t position() const override { return position_; }
  const SourceStats& stats() const override { return stats_; }
  bool prepares() const override { return read_options_.work != nullptr; }
  const Prepared* prepared() const override { return prepared_; }  // set only while the work runs

 private:
  static std::string hex(std::uint64_t v) {
    std::string s;
    evtx::append_hex(s, v);
    return s;
  }

  void parse_slot(evtx::ChunkParser& parser, std::size_t index, ChunkResult& result) {
    const ChunkSlot& slot = slots_[index];
    result.clear();
    const std::size_t got = read_at(fd_, parser.buffer.data(), slot.size, slot.file_offset);
    if (got < slot.size) {
      result.add_bad(path_ + ": offset " + hex(slot.file_offset + got) + ": read error");
      return;
    }
    evtx::read_chunk(parser.buffer.data(), slot.size, slot.file_offset, slot.allocated, read_options_,
                     parser.context, parser.builder, result);
  }

  // Moves to the next chunk's results; false at the end of the file.
  bool advance() {
    current_ = nullptr;
    if (next_chunk_ >= slots_.size()) return false;
    if (workers_) {
      current_ = &workers_->take(next_chunk_++);
    } else {
      parse_slot(*parser_, next_chunk_++, sequential_);
      current_ = &sequential_;
    }
    stats_.filtered += current_->filtered;
    item_pos_ = 0;
    return true;
  }

  void start_workers() {
    // The reading thread is one of the `threads`: it parses while the chunk it wants is not ready.
    const auto workers =
        static_cast<unsigned>(std::min<std::size_t>({threads_ - 1, kMaxWorkers, slots_.size() - 1}));
    workers_ = evtx::lease_chunk_workers(workers);
    read_options_.work = work_;  // only here: reading in order, the caller's own thread does the work
    workers_->begin(slots_.size(), [this](evtx::ChunkParser& parser, std::size_t index, ChunkResult& result) {
      parse_slot(parser, index, result);
    });
  }

  static constexpr std::size_t kMaxWorkers = 32;

  int fd_;
  std::string path_;
  std::vector<std::uint32_t> wanted_;
  evtx::EventIdFilter filter_;
  evtx::ChunkReadOptions read_options_;
  unsigned threads_ = 1;
  const RecordWork* work_ = nullptr;
  std::vector<ChunkSlot> slots_;
  std::vector<std::string> header_reports_;
  std::size_t header_report_pos_ = 0;

  std::uint64_t position_ = 0;
  SourceStats stats_;
  ChunkResult* current_ = nullptr;
  const Prepared* prepared_ = nullptr;  // the work's result for the record returned last
  std::size_t item_pos_ = 0;
  std::size_t next_chunk_ = 0;

  std::unique_ptr<evtx::ChunkParser> parser_;  // reading in order, without workers
  ChunkResult sequential_;
  std::shared_ptr<evtx::ChunkWorkers> workers_;  // leased while this file is read with threads
};

}  // namespace

std::unique_ptr<Source> open_evtx_source(const std::string& path, const SourceOptions& options, std::string& error) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    error = path + ": cannot open: " + std::strerror(errno);
    return nullptr;
  }
  ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  auto source = std::make_unique<EvtxSource>(fd, path, options);
  // Damage found in the file header was reported by the run that started at the beginning.
  if (!source->load(error, options.resume_position == 0)) return nullptr;
  return source;
}

}  // namespace ki
