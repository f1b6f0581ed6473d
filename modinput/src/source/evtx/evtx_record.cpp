#include "source/evtx/evtx_record.hpp"

#include <algorithm>
#include <charconv>

#include "source/evtx/evtx_values.hpp"

namespace ki::evtx {

bool read_record_header(const std::uint8_t* chunk, std::uint32_t offset, std::uint32_t limit, RecordHeader& h,
                        std::string& why) {
  if (offset > limit || limit - offset < kRecordHeaderSize) {
    why = "record header truncated";
    return false;
  }
  const std::uint8_t* p = chunk + offset;
  if (load_u32(p) != kRecordMagic) {
    why = "bad record signature";
    return false;
  }
  h.size = load_u32(p + 4);
  if (h.size < kRecordHeaderSize + 4) {
    why = h.size == 0 ? "record size is zero" : "record size too small";
    return false;
  }
  if (h.size > limit - offset) {
    why = "record size runs past the chunk's records";
    return false;
  }
  if (load_u32(p + h.size - 4) != h.size) {
    why = "record size and its trailing copy differ";
    return false;
  }
  h.record_id = load_u64(p + 8);
  h.written = load_u64(p + 16);
  return true;
}

void RecordBuilder::begin(Record& out) {
  out_ = &out;
  out.event_id = 0;
  system_count_ = 0;
  data_count_ = 0;
  depth_ = 0;
  section_ = Section::none;
  system_element_ = SystemElement::none;
  target_ = nullptr;
  attribute_open_ = false;
  system_field_open_ = false;
  data_open_ = false;
  unnamed_ = 0;
}

Field& RecordBuilder::add_system(std::string_view name) {
  auto& v = out_->system;
  if (system_count_ == v.size()) {
    if (spare_.empty()) {
      v.emplace_back();
    } else {
      v.push_back(std::move(spare_.back()));
      spare_.pop_back();
    }
  }
  Field& f = v[system_count_++];
  f.name.assign(name);
  f.value.clear();
  return f;
}

Field& RecordBuilder::add_data(std::string_view name) {
  auto& v = out_->data;
  if (data_count_ == v.size()) {
    if (spare_.empty()) {
      v.emplace_back();
    } else {
      v.push_back(std::move(spare_.back()));
      spare_.pop_back();
    }
  }
  Field& f = v[data_count_++];
  f.name.assign(name);
  f.value.clear();
  return f;
}

void RecordBuilder::remove_data(std::size_t index) {
  // Rotating keeps the removed field's buffers for reuse.
  auto& v = out_->data;
  std::rotate(v.begin() + static_cast<std::ptrdiff_t>(index), v.begin() + static_cast<std::ptrdiff_t>(index) + 1,
              v.begin() + static_cast<std::ptrdiff_t>(data_count_));
  --data_count_;
}

void RecordBuilder::end_attribute() {
  if (!attribute_open_) return;
  attribute_open_ = false;
  if (system_field_open_) {
    system_field_open_ = false;
    if (out_->system[system_count_ - 1].value.empty()) --system_count_;
  }
  target_ = nullptr;
}

void RecordBuilder::start_element(std::string_view name) {
  end_attribute();
  ++depth_;
  target_ = nullptr;
  if (depth_ == 2) {
    if (name == "System") section_ = Section::system;
    else if (name == "EventData") section_ = Section::event_data;
    else if (name == "UserData") section_ = Section::user_data, saw_user_data_ = true;
    else section_ = Section::other;
    return;
  }
  if (depth_ < 3) return;
  switch (section_) {
    case Section::system:
      if (depth_ != 3) {
        system_element_ = SystemElement::none;
        return;
      }
      element_name_ = name;
      if (name == "Provider") system_element_ = SystemElement::provider;
      else if (name == "TimeCreated") system_element_ = SystemElement::time_created;
      else if (name == "Execution") system_element_ = SystemElement::execution;
      else if (name == "EventID" || name == "Version" || name == "Level" || name == "Task" || name == "Opcode" ||
               name == "Keywords" || name == "EventRecordID" || name == "Channel" || name == "Computer")
        system_element_ = SystemElement::text;
      else system_element_ = SystemElement::none;
      return;
    case Section::event_data:
      if (depth_ == 3) {
        // <Data Name="..."> takes its name from the attribute; other children keep their element name.
        add_data(name == "Data" ? std::string_view() : name);
        data_open_ = true;
      }
      return;
    case Section::user_data: {
      if (depth_ >= kMaxUserDepth) return;
      // An element that turns out to have children is not a field itself.
      UserFrame& parent = user_frames_[depth_ - 1];
      if (depth_ > 3 && parent.slot >= 0 && out_->data[static_cast<std::size_t>(parent.slot)].value.empty()) {
        remove_data(static_cast<std::size_t>(parent.slot));
        parent.slot = -1;
      }
      user_frames_[depth_] = {static_cast<int>(data_count_), false};
      add_data(name);
      return;
    }
    default: return;
  }
}

void RecordBuilder::attribute(std::string_view name) {
  end_attribute();
  attribute_open_ = true;
  target_ = nullptr;
  if (section_ == Section::system && depth_ == 3) {
    std::string_view field;
    switch (system_element_) {
      case SystemElement::provider:
        if (name == "Name") field = "Provider";
        else if (name == "Guid") field = "ProviderGuid";
        break;
      case SystemElement::time_created:
        if (name == "SystemTime") field = "TimeCreated";
        break;
      case SystemElement::execution:
        if (name == "ProcessID" || name == "ThreadID") field = name;
        break;
      default: break;
    }
    if (!field.empty()) {
      target_ = &add_system(field).value;
      system_field_open_ = true;
    }
  } else if (section_ == Section::event_data && depth_ == 3 && data_open_ && name == "Name") {
    target_ = &out_->data[data_count_ - 1].name;
  } else if (section_ == Section::user_data && depth_ >= 3 && depth_ < kMaxUserDepth && name != "xmlns" &&
             !name.starts_with("xmlns:")) {
    user_frames_[depth_].attributes = true;
    target_ = &add_data(name).value;
  }
}

void RecordBuilder::close_start() {
  end_attribute();
  target_ = nullptr;
  switch (section_) {
    case Section::system:
      if (depth_ == 3 && system_element_ == SystemElement::text) {
        target_ = &add_system(element_name_).value;
        system_field_open_ = true;
      }
      break;
    case Section::event_data:
      if (depth_ >= 3 && data_open_) target_ = &out_->data[data_count_ - 1].value;
      break;
    case Section::user_data:
      if (depth_ >= 3 && depth_ < kMaxUserDepth && user_frames_[depth_].slot >= 0)
        target_ = &out_->data[static_cast<std::size_t>(user_frames_[depth_].slot)].value;
      break;
    default: break;
  }
}

void RecordBuilder::end_element() {
  end_attribute();
  if (section_ == Section::system && depth_ == 3) {
    if (system_field_open_) {
      system_field_open_ = false;
      if (out_->system[system_count_ - 1].value.empty()) --system_count_;
    }
    system_element_ = SystemElement::none;
  } else if (section_ == Section::event_data && depth_ == 3 && data_open_) {
    Field& f = out_->data[data_count_ - 1];
    if (f.name.empty()) {
      f.name = "Data";
      append_decimal(f.name, ++unnamed_);
    }
    data_open_ = false;
  } else if (section_ == Section::user_data && depth_ >= 3 && depth_ < kMaxUserDepth) {
    const UserFrame& frame = user_frames_[depth_];
    if (frame.slot >= 0 && frame.attributes && out_->data[static_cast<std::size_t>(frame.slot)].value.empty())
      remove_data(static_cast<std::size_t>(frame.slot));
  }
  if (depth_ == 2) section_ = Section::none;
  if (depth_ > 0) --depth_;
  // Text after a child element belongs to the parent again.
  target_ = nullptr;
  if (section_ == Section::event_data && depth_ >= 3 && data_open_) target_ = &out_->data[data_count_ - 1].value;
}

void RecordBuilder::finish(std::uint64_t header_record_id) {
  end_attribute();
  // Fields beyond this record's count keep their buffers in spare_ (bounded) rather than being freed.
  auto shrink = [this](std::vector<Field>& v, std::size_t count) {
    for (std::size_t i = count; i < v.size() && spare_.size() < kMaxSpare; ++i) spare_.push_back(std::move(v[i]));
    v.resize(count);
  };
  shrink(out_->system, system_count_);
  shrink(out_->data, data_count_);
  bool has_record_id = false;
  for (const Field& f : out_->system) {
    if (f.name == "EventID") {
      std::uint32_t id = 0;
      std::from_chars(f.value.data(), f.value.data() + f.value.size(), id);
      out_->event_id = id;
    } else if (f.name == "EventRecordID") {
      has_record_id = true;
    }
  }
  if (!has_record_id) {
    Field f;
    f.name = "EventRecordID";
    append_decimal(f.value, header_record_id);
    out_->system.push_back(std::move(f));
  }
}

bool RecordBuilder::split_pieces(const std::string& value, std::vector<Piece>& pieces) {
  std::size_t pos = 0;
  while (pos < value.size()) {
    const std::size_t mark = value.find(BinXmlContext::kProbeMark, pos);
    if (mark != pos) {
      const std::size_t end = mark == std::string::npos ? value.size() : mark;
      pieces.push_back({-1, value.substr(pos, end - pos)});
      pos = end;
      continue;
    }
    if (value.size() - mark < 5) return false;
    std::uint32_t slot = 0;
    for (std::size_t i = mark + 1; i < mark + 5; ++i) {
      const char c = value[i];
      const int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
      if (digit < 0) return false;
      slot = slot * 16 + static_cast<std::uint32_t>(digit);
    }
    pieces.push_back({static_cast<std::int32_t>(slot), {}});
    pos = mark + 5;
  }
  return true;
}

RecordBuilder::BuilderState RecordBuilder::state() const {
  BuilderState b;
  b.depth = depth_;
  b.section = section_;
  b.system_element = system_element_;
  b.element_name = element_name_;
  b.attribute_open = attribute_open_;
  b.system_field_open = system_field_open_;
  b.data_open = data_open_;
  b.unnamed = unnamed_;
  return b;
}

void RecordBuilder::set_state(const BuilderState& b) {
  depth_ = b.depth;
  section_ = b.section;
  system_element_ = b.system_element;
  element_name_ = b.element_name;
  attribute_open_ = b.attribute_open;
  system_field_open_ = b.system_field_open;
  data_open_ = b.data_open;
  unnamed_ = b.unnamed;
  target_ = nullptr;
}

void RecordBuilder::unplaced_substitution(std::uint16_t slot) {
  if (!probing_ || probe_nested_ == nullptr) return;
  NestedSlot n;
  n.slot = slot;
  n.state = state();
  // Fields so far, to tell later whether the template added any after this place.
  probe_nested_->push_back(n);
  nested_marks_.push_back(system_count_ + data_count_);
}

void RecordBuilder::derive(BinXmlContext& context, std::uint32_t template_index, const BuilderState& start,
                           Plan& plan) {
  plan.state = Plan::State::unusable;
  plan.fields.clear();
  plan.pieces.clear();
  plan.nested.clear();
  // Builds the template into a scratch record with marker values, then reads back where they landed.
  Record* const real = out_;
  const std::size_t real_systems = system_count_, real_datas = data_count_;
  const BuilderState real_state = state();
  begin(probe_record_);
  set_state(start);
  probing_ = true;
  saw_user_data_ = false;
  probe_nested_ = &plan.nested;
  nested_marks_.clear();
  const bool rendered = context.probe_template(template_index, *this);
  end_attribute();
  probing_ = false;
  probe_nested_ = nullptr;
  const bool complete = rendered && depth_ == start.depth && !saw_user_data_ && target_ == nullptr;
  plan.unnamed = unnamed_;
  const std::size_t systems = system_count_, datas = data_count_;
  out_ = real;
  system_count_ = real_systems;
  data_count_ = real_datas;
  set_state(real_state);
  if (!complete) return;
  for (std::size_t i = 0; i < plan.nested.size(); ++i) plan.nested[i].last = nested_marks_[i] == systems + datas;
  auto add = [&](bool system, const Field& f) {
    // Names must be fixed by the template: one that holds a value makes the record's shape depend on it.
    if (f.name.find(BinXmlContext::kProbeMark) != std::string::npos) return false;
    PlannedField field;
    field.system = system;
    field.name = f.name;
    field.first_piece = static_cast<std::uint32_t>(plan.pieces.size());
    if (!split_pieces(f.value, plan.pieces)) return false;
    field.piece_count = static_cast<std::uint32_t>(plan.pieces.size()) - field.first_piece;
    plan.fields.push_back(std::move(field));
    return true;
  };
  for (std::size_t i = 0; i < systems; ++i)
    if (!add(true, probe_record_.system[i])) return;
  for (std::size_t i = 0; i < datas; ++i)
    if (!add(false, probe_record_.data[i])) return;
  // A slot used twice, or also as text, would expand a BinXml value in several places: not for plans.
  for (NestedSlot& n : plan.nested) {
    for (const NestedSlot& other : plan.nested)
      if (&other != &n && other.slot == n.slot) n.last = false;
    for (const Piece& piece : plan.pieces)
      if (piece.slot == n.slot) n.last = false;
  }
  plan.state = Plan::State::usable;
}

void RecordBuilder::emit(const Plan& plan, const std::uint8_t* chunk, const SubstitutionValue* values,
                         std::size_t count) {
  for (const PlannedField& pf : plan.fields) {
    Field& f = pf.system ? add_system(pf.name) : add_data(pf.name);
    for (std::uint32_t i = pf.first_piece; i < pf.first_piece + pf.piece_count; ++i) {
      const Piece& piece = plan.pieces[i];
      if (piece.slot < 0) {
        f.value += piece.text;
        continue;
      }
      // As the event-by-event path renders a substitution: missing, null and empty values add nothing.
      if (static_cast<std::size_t>(piece.slot) >= count) continue;
      const SubstitutionValue& v = values[piece.slot];
      if (v.size == 0 || v.type == kNull) continue;
      render_value(f.value, v.type, chunk + v.offset, v.size);
    }
    // Absent System values are not stored.
    if (pf.system && f.value.empty()) --system_count_;
  }
  unnamed_ = plan.unnamed;
}

bool RecordBuilder::render_instance(BinXmlContext& context, std::uint32_t template_index,
                                    const SubstitutionValue* values, std::size_t count) {
  // Only a record that starts with its instance (nothing built yet) can be built from a plan.
  if (!use_plans_ || probing_ || depth_ != 0 || system_count_ != 0 || data_count_ != 0 || unnamed_ != 0) return false;
  if (plans_generation_ != context.generation()) {
    for (Plan& p : plans_) p.state = Plan::State::unknown;
    nested_plans_.clear();
    plans_generation_ = context.generation();
  }
  if (template_index >= plans_.size()) plans_.resize(template_index + 1);
  Plan& plan = plans_[template_index];
  if (plan.state == Plan::State::unknown) derive(context, template_index, BuilderState{}, plan);
  if (plan.state != Plan::State::usable) return false;
  // Every BinXml value must be a nested document at a place the plan knows, itself described by a plan;
  // all of that is settled before anything is built, so that falling back stays possible.
  if (nested_values_.size() < plan.nested.size()) nested_values_.resize(plan.nested.size());
  nested_chosen_.assign(plan.nested.size(), nullptr);
  std::size_t nested_seen = 0;
  for (std::size_t i = 0; i < count; ++i) {
    if (values[i].type != kBinXml) continue;
    // One nested document per record (the usual EventData or UserData): with two, the second one's
    // unnamed <Data> numbering would depend on the first.
    if (++nested_seen > 1) return false;
    std::size_t k = 0;
    while (k < plan.nested.size() && plan.nested[k].slot != i) ++k;
    if (k == plan.nested.size() || !plan.nested[k].last) return false;
    std::uint32_t inner = 0;
    std::vector<SubstitutionValue>& inner_values = nested_values_[k];
    if (!context.nested_instance(values[i], inner, inner_values)) return false;
    for (const SubstitutionValue& v : inner_values)
      if (v.type == kBinXml) return false;
    NestedPlan* np = nullptr;
    for (NestedPlan& candidate : nested_plans_)
      if (candidate.outer == template_index && candidate.slot == i && candidate.inner == inner) np = &candidate;
    if (np == nullptr) {
      nested_plans_.push_back({template_index, static_cast<std::uint16_t>(i), inner, {}});
      np = &nested_plans_.back();
      // Its own unplaced slots need nothing: a BinXml value among its values takes the slow path above.
      derive(context, inner, plan.nested[k].state, np->plan);
    }
    if (np->plan.state != Plan::State::usable) return false;
    nested_chosen_[k] = &np->plan;
  }
  // A slot named twice in the template would make the count above differ from the plans chosen.
  std::size_t chosen = 0;
  for (const Plan* p : nested_chosen_) chosen += p != nullptr;
  if (chosen != nested_seen) return false;
  const std::uint8_t* const chunk = context.chunk();
  emit(plan, chunk, values, count);
  for (std::size_t k = 0; k < plan.nested.size(); ++k) {
    if (nested_chosen_[k] == nullptr) continue;
    const unsigned outer_unnamed = unnamed_;
    set_state(plan.nested[k].state);
    unnamed_ = outer_unnamed;
    emit(*nested_chosen_[k], chunk, nested_values_[k].data(), nested_values_[k].size());
  }
  // The template is balanced: the builder is back where it started, outside any element.
  const unsigned final_unnamed = unnamed_;
  set_state(BuilderState{});
  unnamed_ = final_unnamed;
  return true;
}

RecordOutcome read_record(BinXmlContext& context, std::uint32_t offset, const RecordHeader& header,
                          RecordBuilder& builder, Record& out, const EventIdFilter* filter, std::string& error) {
  builder.begin(out);
  const ParseOutcome outcome =
      context.parse(offset + kRecordHeaderSize, offset + header.size - 4, builder, filter, error);
  if (outcome == ParseOutcome::error) return RecordOutcome::bad;
  if (outcome == ParseOutcome::filtered) return RecordOutcome::filtered;
  builder.finish(header.record_id);
  // Records whose EventID was not in a substitution slot are judged once built.
  if (filter && !(*filter)(out.event_id)) return RecordOutcome::filtered;
  return RecordOutcome::record;
}

}  // namespace ki::evtx
