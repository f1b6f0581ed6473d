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
  if (system_count_ == v.size()) v.emplace_back();
  Field& f = v[system_count_++];
  f.name.assign(name);
  f.value.clear();
  return f;
}

Field& RecordBuilder::add_data(std::string_view name) {
  auto& v = out_->data;
  if (data_count_ == v.size()) v.emplace_back();
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
    else if (name == "UserData") section_ = Section::user_data;
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
  out_->system.resize(system_count_);
  out_->data.resize(data_count_);
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
