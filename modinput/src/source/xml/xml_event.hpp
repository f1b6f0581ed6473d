#pragma once
// A small, fast scanner for ONE rendered Windows event (<Event>...</Event>): no DOM, one pass, names
// kept as views into the input. Shared by the XML source and by JSON forms that embed event XML
// (OpenWEC's raw JSON, Log Analytics' EventData column).

#include <cstddef>
#include <string>
#include <string_view>

#include "record/record.hpp"
#include "util/field_recycler.hpp"

namespace ki::xml {

// Fills `out` from `xml`, the text from "<Event" through the matching "</Event>". System fields get their
// canonical names, <Data Name=..> pairs keep their names, unnamed <Data> become Data1.., UserData leaves
// are flattened under their element names, RenderingInfo is ignored. On malformed input returns false
// with `why` set and `where` the offset inside `xml` of the problem. With `fields`, the previous content
// of `out` is recycled through it (a source reading many events passes its own).
bool parse_event(std::string_view xml, Record& out, std::string& why, std::size_t& where,
                 FieldRecycler* fields = nullptr);

// Appends the <Data> children of an <EventData> fragment (as Azure's SecurityEvent table stores it).
bool parse_event_data_fragment(std::string_view xml, Record& out, std::string& why, std::size_t& where);

// Appends `raw` with the five XML entities and numeric character references decoded; an unknown or
// malformed reference is kept verbatim.
void append_decoded(std::string& out, std::string_view raw);

}  // namespace ki::xml
