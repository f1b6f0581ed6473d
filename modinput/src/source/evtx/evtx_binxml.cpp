#include "source/evtx/evtx_binxml.hpp"

#include "source/evtx/evtx_file_header.hpp"
#include "source/evtx/evtx_values.hpp"

namespace ki::evtx {

namespace {

// Token bytes; 0x40 on a token means "has attributes" (elements) or "more attributes follow".
enum Token : std::uint8_t {
  kEndOfStream = 0x00,
  kOpenStartElement = 0x01,
  kCloseStartElement = 0x02,
  kCloseEmptyElement = 0x03,
  kEndElement = 0x04,
  kValueText = 0x05,
  kAttribute = 0x06,
  kCDataSection = 0x07,
  kCharRef = 0x08,
  kEntityRef = 0x09,
  kPITarget = 0x0a,
  kPIData = 0x0b,
  kTemplateInstance = 0x0c,
  kNormalSubstitution = 0x0d,
  kOptionalSubstitution = 0x0e,
  kFragmentHeader = 0x0f,
};
constexpr std::uint8_t kMoreFlag = 0x40;

// Chunk header (512 bytes) comes before anything binary XML can point at.
constexpr std::uint32_t kFirstDataOffset = 512;

std::string hex_offset(std::uint64_t offset) {
  std::string s;
  append_hex(s, offset);
  return s;
}

void append_code_point(std::string& out, std::uint32_t cp) {
  std::uint8_t units[2] = {static_cast<std::uint8_t>(cp & 0xFF), static_cast<std::uint8_t>(cp >> 8)};
  append_utf16(out, units, 1);
}

}  // namespace

BinXmlContext::BinXmlContext() {
  names_.reserve(128);
  name_index_.reserve(256);
  template_index_.reserve(64);
}

void BinXmlContext::reset(const std::uint8_t* chunk, std::size_t size, std::uint64_t file_offset) {
  chunk_ = chunk;
  size_ = static_cast<std::uint32_t>(size < kChunkSize ? size : kChunkSize);
  file_offset_ = file_offset;
  ++generation_;
  names_.clear();
  name_index_.clear();
  template_index_.clear();
  template_count_ = 0;
}

bool BinXmlContext::fail(std::uint32_t at, std::string_view what) {
  if (error_ && error_->empty()) {
    *error_ = "offset " + hex_offset(file_offset_ + at) + ": ";
    error_->append(what);
  }
  return false;
}

bool BinXmlContext::read_name(std::uint32_t offset, std::uint32_t& index) {
  if (auto it = name_index_.find(offset); it != name_index_.end()) {
    index = it->second;
    return true;
  }
  // A name: next-name offset (4), hash (2), length in UTF-16 units (2), the units, a terminating NUL.
  if (offset < kFirstDataOffset || offset > size_ || size_ - offset < 8) return fail(offset, "name offset out of chunk");
  const std::uint32_t units = load_u16(chunk_ + offset + 6);
  if (size_ - offset - 8 < 2 * units) return fail(offset, "name longer than its chunk");
  index = static_cast<std::uint32_t>(names_.size());
  names_.emplace_back();
  append_utf16(names_.back(), chunk_ + offset + 8, units);
  name_index_.emplace(offset, index);
  return true;
}

bool BinXmlContext::read_name_ref(std::uint32_t& pos, std::uint32_t end, std::uint32_t& index) {
  if (end - pos < 4) return fail(pos, "name reference truncated");
  const std::uint32_t offset = load_u32(chunk_ + pos);
  pos += 4;
  if (!read_name(offset, index)) return false;
  if (offset == pos) {
    // The name is defined right here (its first use in the chunk): step over it.
    const std::uint32_t units = load_u16(chunk_ + offset + 6);
    const std::uint32_t length = 8 + 2 * units + 2;
    if (end - pos < length) return fail(pos, "inline name runs past its fragment");
    pos += length;
  }
  return true;
}

bool BinXmlContext::compile(std::uint32_t pos, std::uint32_t end, bool has_dependency_ids, int depth,
                            std::vector<Op>& ops, std::uint32_t* stop) {
  if (depth > kMaxDepth) return fail(pos, "binary XML nested too deeply");
  if (end > size_ || pos > end) return fail(pos, "binary XML fragment outside its chunk");
  ops.clear();
  while (pos < end) {
    const std::uint8_t token = chunk_[pos];
    switch (token) {
      case kEndOfStream:
        if (stop) *stop = pos + 1;
        return true;
      case kFragmentHeader:  // major, minor, flags
        if (end - pos < 4) return fail(pos, "fragment header truncated");
        pos += 4;
        break;
      case kOpenStartElement:
      case kOpenStartElement | kMoreFlag: {
        // Dependency identifier (2 bytes, present in templates and records but not in BinXml values),
        // data size (4), name reference (4). Some writers disagree on the identifier, so a layout whose
        // sizes make no sense is retried as the other one.
        const std::uint32_t p = pos + 1;
        auto layout_fits = [&](bool with_id) {
          const std::uint32_t q = p + (with_id ? 2 : 0);
          if (end < q || end - q < 8) return false;
          const std::uint32_t data_size = load_u32(chunk_ + q);
          const std::uint32_t name_offset = load_u32(chunk_ + q + 4);
          return data_size < kChunkSize && name_offset >= kFirstDataOffset && name_offset < size_;
        };
        bool with_id = has_dependency_ids;
        if (!layout_fits(with_id)) {
          with_id = !with_id;
          if (!layout_fits(with_id)) return fail(pos, "malformed element start");
        }
        pos = p + (with_id ? 2 : 0) + 4;
        std::uint32_t name;
        if (!read_name_ref(pos, end, name)) return false;
        if (token & kMoreFlag) {
          if (end - pos < 4) return fail(pos, "attribute list size truncated");
          pos += 4;
        }
        ops.push_back({OpKind::open, 0, 0, name, 0});
        break;
      }
      case kCloseStartElement:
        ops.push_back({OpKind::close_start, 0, 0, 0, 0});
        ++pos;
        break;
      case kCloseEmptyElement:
        ops.push_back({OpKind::close_empty, 0, 0, 0, 0});
        ++pos;
        break;
      case kEndElement:
        ops.push_back({OpKind::end, 0, 0, 0, 0});
        ++pos;
        break;
      case kValueText:
      case kValueText | kMoreFlag: {
        if (end - pos < 4) return fail(pos, "value truncated");
        const std::uint8_t type = chunk_[pos + 1];
        const std::uint32_t units = load_u16(chunk_ + pos + 2);
        if (type != kWString) return fail(pos, "value token of a type other than string");
        if (end - pos - 4 < 2 * units) return fail(pos, "value text runs past its fragment");
        ops.push_back({OpKind::text, 0, 0, pos + 4, units});
        pos += 4 + 2 * units;
        break;
      }
      case kAttribute:
      case kAttribute | kMoreFlag: {
        ++pos;
        std::uint32_t name;
        if (!read_name_ref(pos, end, name)) return false;
        ops.push_back({OpKind::attribute, 0, 0, name, 0});
        break;
      }
      case kCDataSection:
      case kCDataSection | kMoreFlag: {
        if (end - pos < 3) return fail(pos, "CDATA truncated");
        const std::uint32_t units = load_u16(chunk_ + pos + 1);
        if (end - pos - 3 < 2 * units) return fail(pos, "CDATA runs past its fragment");
        ops.push_back({OpKind::cdata, 0, 0, pos + 3, units});
        pos += 3 + 2 * units;
        break;
      }
      case kCharRef:
      case kCharRef | kMoreFlag:
        if (end - pos < 3) return fail(pos, "character reference truncated");
        ops.push_back({OpKind::char_ref, 0, 0, load_u16(chunk_ + pos + 1), 0});
        pos += 3;
        break;
      case kEntityRef:
      case kEntityRef | kMoreFlag: {
        ++pos;
        std::uint32_t name;
        if (!read_name_ref(pos, end, name)) return false;
        ops.push_back({OpKind::entity_ref, 0, 0, name, 0});
        break;
      }
      case kPITarget: {  // processing instructions carry nothing a record needs
        ++pos;
        std::uint32_t name;
        if (!read_name_ref(pos, end, name)) return false;
        break;
      }
      case kPIData: {
        if (end - pos < 3) return fail(pos, "processing instruction truncated");
        const std::uint32_t units = load_u16(chunk_ + pos + 1);
        if (end - pos - 3 < 2 * units) return fail(pos, "processing instruction runs past its fragment");
        pos += 3 + 2 * units;
        break;
      }
      case kTemplateInstance: {
        // Unknown byte, template identifier (4), definition offset (4); the definition follows inline the
        // first time the chunk uses it: next-definition offset (4), GUID (16), data size (4), data.
        if (end - pos < 10) return fail(pos, "template instance truncated");
        const std::uint32_t definition = load_u32(chunk_ + pos + 6);
        std::uint32_t q = pos + 10;
        if (definition == q) {
          if (end - q < 24) return fail(q, "template definition truncated");
          const std::uint32_t data_size = load_u32(chunk_ + q + 20);
          if (end - q - 24 < data_size) return fail(q, "template definition runs past its record");
          q += 24 + data_size;
        }
        std::uint32_t index;
        if (!template_at(definition, depth + 1, index)) return false;
        // The instance names its template by the first four bytes of the template's GUID: a mismatch means
        // the offset points at something else (a record copied from another chunk, or damage).
        if (templates_[index].id != load_u32(chunk_ + pos + 2))
          return fail(pos, "template instance does not match the template definition at its offset");
        // The substitution array: count (4), then per value size (2), type (1), padding (1), then the data.
        if (end - q < 4) return fail(q, "substitution array truncated");
        const std::uint32_t count = load_u32(chunk_ + q);
        if (count > (end - q - 4) / 4) return fail(q, "substitution count larger than its record");
        std::uint64_t total = 0;
        for (std::uint32_t i = 0; i < count; ++i) total += load_u16(chunk_ + q + 4 + 4 * i);
        if (total > end - q - 4 - 4 * count) return fail(q, "substitution values run past their record");
        ops.push_back({OpKind::instance, 0, 0, index, q});
        pos = q + 4 + 4 * count + static_cast<std::uint32_t>(total);
        break;
      }
      case kNormalSubstitution:
      case kOptionalSubstitution:
        if (end - pos < 4) return fail(pos, "substitution truncated");
        ops.push_back({OpKind::subst, chunk_[pos + 3], load_u16(chunk_ + pos + 1), 0, 0});
        pos += 4;
        break;
      default: {
        std::string what = "unknown binary XML token ";
        append_hex(what, token);
        return fail(pos, what);
      }
    }
  }
  if (stop) *stop = pos;
  return true;
}

bool BinXmlContext::template_at(std::uint32_t offset, int depth, std::uint32_t& index) {
  if (auto it = template_index_.find(offset); it != template_index_.end()) {
    index = it->second;
    return true;
  }
  if (depth > kMaxDepth) return fail(offset, "templates nested too deeply");
  if (offset < kFirstDataOffset || offset > size_ || size_ - offset < 24)
    return fail(offset, "template definition offset out of chunk");
  const std::uint32_t data_size = load_u32(chunk_ + offset + 20);
  if (size_ - offset - 24 < data_size) return fail(offset, "template definition larger than its chunk");
  std::vector<Op>& scratch = scratch_ops_[static_cast<std::size_t>(depth)];
  if (!compile(offset + 24, offset + 24 + data_size, true, depth, scratch, nullptr)) return false;
  if (template_count_ == templates_.size()) templates_.emplace_back();
  Template& t = templates_[template_count_];
  t.ops.assign(scratch.begin(), scratch.end());
  t.offset = offset;
  t.id = load_u32(chunk_ + offset + 4);
  find_event_id_slot(t);
  index = static_cast<std::uint32_t>(template_count_++);
  template_index_.emplace(offset, index);
  return true;
}

void BinXmlContext::find_event_id_slot(Template& t) const {
  // Looks for <Event><System><EventID>%n</EventID>: the slot the EventID filter can read directly.
  t.event_id_slot = -1;
  std::uint32_t path[3] = {0, 0, 0};
  int depth = 0;
  bool in_attribute = false;
  for (const Op& op : t.ops) {
    switch (op.kind) {
      case OpKind::open:
        if (depth < 3) path[depth] = op.a;
        ++depth;
        in_attribute = false;
        break;
      case OpKind::attribute: in_attribute = true; break;
      case OpKind::close_start: in_attribute = false; break;
      case OpKind::close_empty:
      case OpKind::end:
        in_attribute = false;
        if (depth > 0) --depth;
        break;
      case OpKind::subst:
        if (!in_attribute && depth == 3 && names_[path[2]] == "EventID" && names_[path[1]] == "System") {
          t.event_id_slot = op.index;
          return;
        }
        break;
      default: break;
    }
  }
}

bool BinXmlContext::read_values(std::uint32_t pos, std::vector<Value>& values) {
  // Bounds were checked when the instance was compiled.
  const std::uint32_t count = load_u32(chunk_ + pos);
  values.resize(count);
  std::uint32_t data = pos + 4 + 4 * count;
  for (std::uint32_t i = 0; i < count; ++i) {
    const std::uint8_t* d = chunk_ + pos + 4 + 4 * i;
    const std::uint32_t size = load_u16(d);
    values[i] = {d[2], data, size};
    data += size;
  }
  return true;
}

bool BinXmlContext::run(const std::vector<Op>& ops, const std::vector<Value>& values, int depth, XmlSink& sink,
                        const EventIdFilter* filter, bool& filtered) {
  static const std::vector<Value> kNoValues;
  if (depth > kMaxDepth) return fail(0, "binary XML nested too deeply");
  for (std::size_t i = 0; i < ops.size(); ++i) {
    const Op op = ops[i];
    switch (op.kind) {
      case OpKind::open: sink.start_element(names_[op.a]); break;
      case OpKind::attribute: sink.attribute(names_[op.a]); break;
      case OpKind::close_start: sink.close_start(); break;
      case OpKind::close_empty:
      case OpKind::end: sink.end_element(); break;
      case OpKind::text:
      case OpKind::cdata:
        if (std::string* t = sink.target()) {
          const std::size_t at = t->size();
          append_utf16(*t, chunk_ + op.a, op.b);
          if (probing_ && t->find(kProbeMark, at) != std::string::npos) probe_failed_ = true;
        }
        break;
      case OpKind::char_ref:
        if (probing_ && op.a == static_cast<unsigned char>(kProbeMark)) probe_failed_ = true;
        if (std::string* t = sink.target()) append_code_point(*t, op.a);
        break;
      case OpKind::entity_ref:
        if (std::string* t = sink.target()) {
          const std::string& name = names_[op.a];
          if (name == "amp") t->push_back('&');
          else if (name == "lt") t->push_back('<');
          else if (name == "gt") t->push_back('>');
          else if (name == "quot") t->push_back('"');
          else if (name == "apos") t->push_back('\'');
          else t->append("&").append(name).append(";");
        }
        break;
      case OpKind::subst: {
        if (probing_) {
          if (std::string* t = sink.target()) {
            static constexpr char kDigits[] = "0123456789abcdef";
            const char mark[5] = {kProbeMark, kDigits[op.index >> 12], kDigits[(op.index >> 8) & 15],
                                  kDigits[(op.index >> 4) & 15], kDigits[op.index & 15]};
            t->append(mark, sizeof mark);
          } else {
            sink.unplaced_substitution(op.index);
          }
          break;
        }
        if (op.index >= values.size()) break;  // a slot the instance did not fill renders as nothing
        const Value v = values[op.index];
        if (v.type == kBinXml) {
          // A whole binary XML fragment as a value (UserData, nested EventData): expand it in place.
          if (depth + 1 > kMaxDepth) return fail(v.offset, "binary XML nested too deeply");
          std::vector<Op>& nested = scratch_ops_[static_cast<std::size_t>(depth + 1)];
          if (!compile(v.offset, v.offset + v.size, false, depth + 1, nested, nullptr)) return false;
          if (!run(nested, kNoValues, depth + 1, sink, nullptr, filtered)) return false;
          break;
        }
        if (v.size == 0 || v.type == kNull) break;
        if (std::string* t = sink.target()) render_value(*t, v.type, chunk_ + v.offset, v.size);
        break;
      }
      case OpKind::instance: {
        if (probing_) {  // a template inside a template: values of its own, not worth describing
          probe_failed_ = true;
          return false;
        }
        if (depth + 1 > kMaxDepth) return fail(op.b, "template instances nested too deeply");
        const Template& t = templates_[op.a];
        std::vector<Value>& vals = values_[static_cast<std::size_t>(depth + 1)];
        read_values(op.b, vals);
        if (filter && t.event_id_slot >= 0 && static_cast<std::size_t>(t.event_id_slot) < vals.size()) {
          const Value& v = vals[static_cast<std::size_t>(t.event_id_slot)];
          std::uint64_t id;
          if (value_as_unsigned(v.type, chunk_ + v.offset, v.size, id) && !(*filter)(static_cast<std::uint32_t>(id))) {
            filtered = true;
            return true;
          }
        }
        if (depth == 0 && sink.render_instance(*this, op.a, vals.data(), vals.size())) break;
        if (!run(t.ops, vals, depth + 1, sink, nullptr, filtered)) return false;
        break;
      }
    }
  }
  return true;
}

bool BinXmlContext::nested_instance(const SubstitutionValue& value, std::uint32_t& template_index,
                                    std::vector<SubstitutionValue>& values) {
  std::string* const saved_error = error_;
  error_ = nullptr;  // any problem is reported by the event-by-event path that runs instead
  std::vector<Op>& ops = scratch_ops_[2];
  const bool ok = compile(value.offset, value.offset + value.size, false, 2, ops, nullptr) && ops.size() == 1 &&
                  ops[0].kind == OpKind::instance;
  error_ = saved_error;
  if (!ok) return false;
  template_index = ops[0].a;
  read_values(ops[0].b, values);
  return true;
}

bool BinXmlContext::probe_template(std::uint32_t template_index, XmlSink& sink) {
  if (template_index >= template_count_) return false;
  static const std::vector<Value> kNoValues;
  std::string* const saved_error = error_;
  error_ = nullptr;  // a probe that fails only means the slow path is used
  probing_ = true;
  probe_failed_ = false;
  bool filtered = false;
  const bool ok = run(templates_[template_index].ops, kNoValues, 1, sink, nullptr, filtered) && !probe_failed_;
  probing_ = false;
  error_ = saved_error;
  return ok;
}

ParseOutcome BinXmlContext::parse(std::uint32_t begin, std::uint32_t end, XmlSink& sink,
                                  const EventIdFilter* filter, std::string& error) {
  error_ = &error;
  std::vector<Op>& ops = scratch_ops_[0];
  if (!compile(begin, end, true, 0, ops, nullptr)) return ParseOutcome::error;
  static const std::vector<Value> kNoValues;
  bool filtered = false;
  if (!run(ops, kNoValues, 0, sink, filter, filtered)) return ParseOutcome::error;
  return filtered ? ParseOutcome::filtered : ParseOutcome::ok;
}

}  // namespace ki::evtx
