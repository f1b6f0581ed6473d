#pragma once
// Binary XML: the token stream records are stored in, templates and their substitution values.
//
// A record's content is usually one template instance: a reference to a template definition kept once per
// chunk, plus an array of typed values for its substitution slots. Templates are compiled once per chunk
// into a flat list of operations and replayed for every record that uses them; element and attribute
// names are decoded from UTF-16 once per chunk (the chunk's string cache, keyed by offset).

#include <array>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace ki::evtx {

// Receives a document as a stream of structure events; content goes into whatever target() answers.
class XmlSink {
 public:
  virtual ~XmlSink() = default;
  virtual void start_element(std::string_view name) = 0;
  // Starts an attribute; its value goes into target() until the next attribute or close_start/end_element.
  virtual void attribute(std::string_view name) = 0;
  // The start tag is complete; element content follows.
  virtual void close_start() = 0;
  virtual void end_element() = 0;
  // Where text of the current attribute or element goes; nullptr when it is not wanted (not rendered).
  virtual std::string* target() = 0;
};

// Decides from an event ID whether a record is wanted (the EventID fast path before the record is built).
using EventIdFilter = std::function<bool(std::uint32_t)>;

enum class ParseOutcome : std::uint8_t { ok, filtered, error };

// One chunk's binary XML state: caches and scratch space, reused from chunk to chunk (one per thread).
class BinXmlContext {
 public:
  BinXmlContext();
  // Starts a new chunk: `chunk` holds `size` bytes (65536, or fewer for a truncated last chunk) read from
  // `file_offset`; every cache of the previous chunk is dropped.
  void reset(const std::uint8_t* chunk, std::size_t size, std::uint64_t file_offset);

  // Parses the binary XML in [begin, end) (offsets in the chunk) into `sink`. With a filter, a record
  // whose template gives its EventID as a substitution is judged before anything else is rendered.
  // Errors name the file offset of the offending byte.
  ParseOutcome parse(std::uint32_t begin, std::uint32_t end, XmlSink& sink, const EventIdFilter* filter,
                     std::string& error);

  // Names decoded so far in this chunk (for tests and statistics).
  std::size_t cached_names() const { return names_.size(); }
  std::size_t cached_templates() const { return template_count_; }

  static constexpr int kMaxDepth = 12;  // nested template instances and BinXml values

 private:
  enum class OpKind : std::uint8_t {
    open, attribute, close_start, close_empty, end, text, cdata, char_ref, entity_ref, subst, instance
  };
  struct Op {
    OpKind kind;
    std::uint8_t value_type;  // subst: the declared type
    std::uint16_t index;      // subst: the slot
    std::uint32_t a;          // name index, text offset, code point, template index
    std::uint32_t b;          // text length in UTF-16 units, values offset for an instance
  };
  struct Template {
    std::vector<Op> ops;
    std::int32_t event_id_slot = -1;  // substitution slot holding System/EventID, if any
    std::uint32_t offset = 0;
    std::uint32_t id = 0;  // first four bytes of the template GUID
  };
  struct Value {
    std::uint8_t type;
    std::uint32_t offset;
    std::uint32_t size;
  };

  bool fail(std::uint32_t at, std::string_view what);
  bool read_name(std::uint32_t name_offset, std::uint32_t& index);
  bool read_name_ref(std::uint32_t& pos, std::uint32_t end, std::uint32_t& index);
  bool compile(std::uint32_t pos, std::uint32_t end, bool has_dependency_ids, int depth, std::vector<Op>& ops,
               std::uint32_t* stop);
  bool template_at(std::uint32_t offset, int depth, std::uint32_t& index);
  bool read_values(std::uint32_t pos, std::vector<Value>& values);
  bool run(const std::vector<Op>& ops, const std::vector<Value>& values, int depth, XmlSink& sink,
           const EventIdFilter* filter, bool& filtered);
  void find_event_id_slot(Template& t) const;

  const std::uint8_t* chunk_ = nullptr;
  std::uint32_t size_ = 0;
  std::uint64_t file_offset_ = 0;
  std::string* error_ = nullptr;

  std::vector<std::string> names_;
  std::unordered_map<std::uint32_t, std::uint32_t> name_index_;  // chunk offset -> names_ index
  std::deque<Template> templates_;  // deque: references stay valid while nested templates are added
  std::size_t template_count_ = 0;
  std::unordered_map<std::uint32_t, std::uint32_t> template_index_;  // definition offset -> templates_
  std::array<std::vector<Op>, kMaxDepth + 1> scratch_ops_;
  std::array<std::vector<Value>, kMaxDepth + 2> values_;
};

}  // namespace ki::evtx
