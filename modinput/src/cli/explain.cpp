// `kerberos_events explain`: one command that answers what a Kerberos code in an event means.
#include <ostream>
#include <initializer_list>
#include <string>

#include <rapidjson/ostreamwrapper.h>
#include <rapidjson/writer.h>

#include "cli/commands.hpp"
#include "knowledge/explain.hpp"

namespace ki::cli {

namespace {

using knowledge::Explanation;
using knowledge::Lang;
using knowledge::Subject;

constexpr std::string_view kExplainUsage =
    "usage: kerberos_events explain [KIND] VALUE [--lang en|fr|da] [--json]\n"
    "\n"
    "  VALUE                      a result or failure code: 0x18, 24 and 0x00000018 are the same code\n"
    "  --ticket-options VALUE     decode a ticket options mask, e.g. 0x40810010\n"
    "  --etype VALUE              an encryption type, e.g. 0x17 or 23\n"
    "  --supported-etypes VALUE   an msDS-SupportedEncryptionTypes mask, e.g. 0x1C\n"
    "  --preauth VALUE            a pre-authentication type, e.g. 0, 2, 15\n"
    "  --event ID                 an event ID, e.g. 4771 or 677\n"
    "  --lang en|fr|da            language of the explanation (default en)\n"
    "  --json                     one JSON object instead of text\n"
    "\n"
    "Unknown values are answered as unknown (exit 0); malformed ones are an error (exit 2).\n";

std::string_view subject_title(Subject subject) {
  switch (subject) {
    case Subject::result_code: return "Result code";
    case Subject::ticket_options: return "Ticket options";
    case Subject::encryption_type: return "Encryption type";
    case Subject::supported_encryption_types: return "Supported encryption types";
    case Subject::pre_auth_type: return "Pre-authentication type";
    case Subject::event: return "Event";
  }
  return "Value";
}

std::string_view subject_example(Subject subject) {
  switch (subject) {
    case Subject::ticket_options: return "0x40810010";
    case Subject::encryption_type: return "0x17, 23 or -128";
    case Subject::supported_encryption_types: return "0x1C";
    case Subject::pre_auth_type: return "0, 2 or 15";
    case Subject::event: return "4768";
    default: return "24, 0x18 or 0x00000018";
  }
}

void render_text(const Explanation& explanation, Lang lang, std::ostream& out) {
  const auto& l = knowledge::labels(lang);
  out << subject_title(explanation.subject) << ' ' << explanation.key;
  if (explanation.input != explanation.key) out << " (" << explanation.input << ')';
  out << '\n';
  if (explanation.items.empty()) out << "  " << l.none_set << '\n';
  for (const auto& item : explanation.items) {
    out << '\n' << item.key;
    if (item.name != item.key) out << "  " << item.name;
    out << "  [" << l.severity << ": " << knowledge::severity_name(item.severity) << "]\n";
    for (const auto& [name, value] : item.details) out << "  " << name << ": " << value << '\n';
    out << "  " << l.meaning << ": " << item.meaning << '\n';
    out << "  " << l.causes << ": " << item.causes << '\n';
    out << "  " << l.action << ": " << item.action << '\n';
    if (item.seen_on_windows) out << "  " << l.seen_on_windows << ": " << (*item.seen_on_windows ? l.yes : l.no) << '\n';
    if (!item.source.empty()) out << "  " << l.source << ": " << item.source << '\n';
    if (!item.notes.empty()) out << "  " << l.notes << ": " << item.notes << '\n';
  }
}

void write_string(rapidjson::Writer<rapidjson::OStreamWrapper>& w, std::string_view s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

void render_json(const Explanation& explanation, Lang lang, std::ostream& out) {
  static constexpr std::string_view kLangNames[] = {"en", "fr", "da"};
  rapidjson::OStreamWrapper stream(out);
  rapidjson::Writer<rapidjson::OStreamWrapper> w(stream);
  w.StartObject();
  w.Key("input");
  write_string(w, explanation.input);
  w.Key("key");
  write_string(w, explanation.key);
  w.Key("lang");
  write_string(w, kLangNames[static_cast<int>(lang)]);
  w.Key("items");
  w.StartArray();
  for (const auto& item : explanation.items) {
    w.StartObject();
    w.Key("kind");
    write_string(w, item.kind);
    w.Key("key");
    write_string(w, item.key);
    w.Key("known");
    w.Bool(item.known);
    w.Key("name");
    write_string(w, item.name);
    w.Key("severity");
    write_string(w, knowledge::severity_name(item.severity));
    if (item.seen_on_windows) {
      w.Key("seen_on_windows");
      w.Bool(*item.seen_on_windows);
    }
    for (const auto& [name, value] : item.details) {
      write_string(w, name);
      write_string(w, value);
    }
    w.Key("meaning");
    write_string(w, item.meaning);
    w.Key("causes");
    write_string(w, item.causes);
    w.Key("action");
    write_string(w, item.action);
    w.Key("source");
    write_string(w, item.source);
    w.Key("notes");
    write_string(w, item.notes);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  stream.Flush();
  out << '\n';
}

}  // namespace

int explain_command(const Args& args, Io io) {
  std::optional<Subject> subject;
  std::optional<std::string_view> value;
  Lang lang = Lang::en;
  bool json = false;
  // Parts are streamed rather than concatenated: GCC 12 warns falsely on "literal" + std::string.
  const auto usage_error = [&](std::initializer_list<std::string_view> parts) {
    io.err << "kerberos_events: explain: ";
    for (std::string_view part : parts) io.err << part;
    io.err << '\n';
    return kExitUsage;
  };
  const auto take_subject = [&](Subject s, size_t& i) -> bool {
    if (subject || i + 1 >= args.size()) return false;
    subject = s;
    value = args[++i];
    return true;
  };
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    if (arg == "--help" || arg == "-h") {
      io.out << kExplainUsage;
      return kExitOk;
    }
    if (arg == "--json") {
      json = true;
    } else if (arg == "--lang") {
      if (i + 1 >= args.size()) return usage_error({"--lang needs en, fr or da"});
      const auto parsed = knowledge::parse_lang(args[++i]);
      if (!parsed) return usage_error({"unknown language '", args[i], "' (use en, fr or da)"});
      lang = *parsed;
    } else if (arg == "--ticket-options" || arg == "--etype" || arg == "--supported-etypes" || arg == "--preauth" ||
               arg == "--event" || arg == "--result") {
      const Subject s = arg == "--ticket-options"     ? Subject::ticket_options
                        : arg == "--etype"            ? Subject::encryption_type
                        : arg == "--supported-etypes" ? Subject::supported_encryption_types
                        : arg == "--preauth"          ? Subject::pre_auth_type
                        : arg == "--event"            ? Subject::event
                                                      : Subject::result_code;
      if (!take_subject(s, i)) return usage_error({"give exactly one value to explain (", arg, ")"});
    } else if (arg.starts_with("--")) {
      return usage_error({"unknown option '", arg, "' (see: kerberos_events explain --help)"});
    } else {
      if (subject) return usage_error({"give exactly one value to explain"});
      subject = Subject::result_code;
      value = arg;
    }
  }
  if (!subject) {
    io.err << kExplainUsage;
    return kExitUsage;
  }
  const auto explanation = knowledge::explain(*subject, *value, lang);
  if (!explanation)
    return usage_error({"'", *value, "' is not a valid ", subject_title(*subject), " (expected a 32-bit value such as ",
                        subject_example(*subject), ")"});
  if (json)
    render_json(*explanation, lang, io.out);
  else
    render_text(*explanation, lang, io.out);
  return kExitOk;
}

}  // namespace ki::cli
