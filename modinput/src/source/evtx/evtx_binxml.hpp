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

class BinXmlContext;

// A substitution value of the record being parsed: its type and where its bytes are in the chunk.
struct SubstitutionValue {
  std::uint8_t type;
  std::uint32_t offset;
  std::uint32_t size;
};

// Receives a document as a stream of structure events; content goes into whatever target() answers.
class XmlSink {
 public:
  // The record's own template instance, before it is rendered event by event. A sink that can build the
  // result directly from the template and its values (see BinXmlContext::probe_template) does so and
  // answers true; the default answers false and the template is rendered through the calls below.
  virtual bool render_instance(BinXmlContext& /*context*/, std::uint32_t /*template_index*/,
                               const SubstitutionValue* /*values*/, std::size_t /*count*/) {
    return false;
  }
  // While probing: a substitution whose marker went nowhere (target() was null), e.g. a BinXml value that
  // is a whole EventData or UserData section.
  virtual void unplaced_substitution(std::uint16_t /*slot*/) {}

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

  // Renders template `template_index` of the current chunk into `sink` with every substitution written as
  // a marker (kProbeMark, four hex digits of the slot) instead of a value, so a sink can learn once per
  // template where each value lands. False when the template cannot be described that way (a nested
  // template instance, or literal text that contains the marker byte).
  bool probe_template(std::uint32_t template_index, XmlSink& sink);
  static constexpr char kProbeMark = '\x01';
  // A BinXml value that is exactly one template instance (a fragment header, the instance, nothing else
  // but the end token): its template and values, checked as parse() checks them. False otherwise.
  bool nested_instance(const SubstitutionValue& value, std::uint32_t& template_index,
                       std::vector<SubstitutionValue>& values);

  // Bumped by every reset(): what a sink derived from this chunk's templates is valid while it is unchanged.
  std::uint64_t generation() const { return generation_; }
  const std::uint8_t* chunk() const { return chunk_; }

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
  using Value = SubstitutionValue;

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
  std::uint64_t generation_ = 0;
  bool probing_ = false;        // substitutions render as markers
  bool probe_failed_ = false;

  std::vector<std::string> names_;
  std::unordered_map<std::uint32_t, std::uint32_t> name_index_;  // chunk offset -> names_ index
  std::deque<Template> templates_;  // deque: references stay valid while nested templates are added
  std::size_t template_count_ = 0;
  std::unordered_map<std::uint32_t, std::uint32_t> template_index_;  // definition offset -> templates_
  std::array<std::vector<Op>, kMaxDepth + 1> scratch_ops_;
  std::array<std::vector<Value>, kMaxDepth + 2> values_;
};

}  // namespace ki::evtx
