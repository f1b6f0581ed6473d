// Keeps three things in line: what the normalizer emits, the field table of docs/fields.md, and the field
// references of the app's props.conf (and the lookup columns those references name).

#include <algorithm>
#include <cctype>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "knowledge/knowledge.hpp"
#include "knowledge/lookup_tables.hpp"
#include "normalize/normalizer.hpp"
#include "record_fixture.hpp"
#include "support/paths.hpp"

namespace ki {
namespace {

struct DocField {
  std::string type;    // string, number, boolean, array
  std::string cim;     // yes, no
  std::string origin;  // windows, normalizer, search, lookup
};

std::string trim(std::string text) {
  const auto begin = text.find_first_not_of(" \t\r");
  if (begin == std::string::npos) return "";
  return text.substr(begin, text.find_last_not_of(" \t\r") - begin + 1);
}

// The rows of every field table: lines "| `name` | type | cim | origin | example | meaning |".
std::map<std::string, DocField> documented_fields() {
  std::map<std::string, DocField> fields;
  std::istringstream in(test::read_file(test::source_dir() / "docs" / "fields.md"));
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (!line.starts_with("| `")) continue;
    std::vector<std::string> cells;
    std::string cell;
    for (char c : line.substr(1)) {
      if (c == '|') {
        cells.push_back(trim(cell));
        cell.clear();
      } else {
        cell.push_back(c);
      }
    }
    EXPECT_EQ(cells.size(), 6u) << "docs/fields.md line " << number << " needs 6 columns: " << line;
    if (cells.size() != 6u) continue;
    std::string name = cells[0];
    EXPECT_TRUE(name.size() > 2 && name.front() == '`' && name.back() == '`') << "line " << number;
    name = name.substr(1, name.size() - 2);
    EXPECT_TRUE(fields.emplace(name, DocField{cells[1], cells[2], cells[3]}).second)
        << "docs/fields.md line " << number << ": " << name << " listed twice";
    EXPECT_TRUE(std::set<std::string>({"string", "number", "boolean", "array"}).count(cells[1]))
        << "line " << number << ": type " << cells[1];
    EXPECT_TRUE(cells[2] == "yes" || cells[2] == "no") << "line " << number << ": CIM " << cells[2];
    EXPECT_TRUE(std::set<std::string>({"windows", "normalizer", "search", "lookup"}).count(cells[3]))
        << "line " << number << ": origin " << cells[3];
  }
  return fields;
}

// "Data7" is documented once, as "DataN".
std::string doc_name(const std::string& name) {
  static const std::regex unnamed("Data[0-9]+");
  return std::regex_match(name, unnamed) ? "DataN" : name;
}

std::string json_type(const rapidjson::Value& value) {
  if (value.IsString()) return "string";
  if (value.IsNumber()) return "number";
  if (value.IsBool()) return "boolean";
  if (value.IsArray()) return "array";
  return "other";
}

struct Emitted {
  std::map<std::string, std::set<std::string>> types;  // emitted name -> JSON types seen
  std::set<std::string> record_fields;                 // names of the fixtures' original fields
};

Emitted emit_all_fixtures() {
  Emitted emitted;
  for (const auto& path : test::normalize_record_fixtures()) {
    Record record;
    EXPECT_EQ(test::load_record_fixture(path, record), "");
    for (const auto& f : record.system) emitted.record_fields.insert(f.name);
    for (const auto& f : record.data) emitted.record_fields.insert(f.name);
    NormalizedEvent event;
    normalize(record, event);
    rapidjson::Document doc;
    doc.Parse(event.json.c_str(), event.json.size());
    EXPECT_FALSE(doc.HasParseError()) << path;
    if (doc.HasParseError() || !doc.IsObject()) continue;
    for (const auto& member : doc.GetObject()) emitted.types[member.name.GetString()].insert(json_type(member.value));
  }
  return emitted;
}

TEST(FieldsContract, TheTableIsThere) {
  const auto fields = documented_fields();
  EXPECT_GE(fields.size(), 60u) << "docs/fields.md lost its field tables";
  for (const char* name : {"signature_id", "action", "user", "src", "dest", "result_code", "ticket_flags"})
    EXPECT_TRUE(fields.count(name)) << name;
}

TEST(FieldsContract, EveryEmittedFieldIsDocumentedWithItsType) {
  const auto fields = documented_fields();
  const Emitted emitted = emit_all_fixtures();
  ASSERT_FALSE(emitted.types.empty());
  for (const auto& [name, types] : emitted.types) {
    const auto it = fields.find(doc_name(name));
    if (it == fields.end()) {
      ADD_FAILURE() << "emitted field `" << name << "` is not in docs/fields.md";
      continue;
    }
    EXPECT_TRUE(it->second.origin == "windows" || it->second.origin == "normalizer")
        << name << " is emitted but documented as " << it->second.origin;
    for (const auto& type : types) EXPECT_EQ(type, it->second.type) << name;
  }
}

TEST(FieldsContract, EveryDocumentedEventFieldCanBeEmitted) {
  const auto fields = documented_fields();
  const Emitted emitted = emit_all_fixtures();
  std::set<std::string> emitted_names;
  for (const auto& [name, types] : emitted.types) emitted_names.insert(doc_name(name));
  // Original fields the events table knows count too: they pass through whenever a record has them.
  std::set<std::string> table_fields;
  for (const auto& event : knowledge::events())
    for (std::string_view list : event.fields) {
      std::istringstream words{std::string(list)};
      for (std::string word; words >> word;) table_fields.insert(word);
    }
  // modern_event_id comes from the events table alone; until the table knows a legacy event, nothing emits it.
  const knowledge::EventInfo* legacy = knowledge::find_event(677);
  if (legacy == nullptr || legacy->modern_id == 0) emitted_names.insert("modern_event_id");
  for (const auto& [name, field] : fields) {
    if (field.origin == "normalizer") {
      EXPECT_TRUE(emitted_names.count(name)) << "`" << name << "` is documented but no fixture under "
                                             << "tests/fixtures/normalize produces it";
    }
    if (field.origin == "windows") {
      EXPECT_TRUE(emitted_names.count(name) || table_fields.count(name))
          << "original field `" << name << "` is documented but neither a fixture nor the events table has it";
    }
  }
}

TEST(FieldsContract, EveryFieldTheEventsTableNamesIsDocumented) {
  const auto fields = documented_fields();
  for (const auto& event : knowledge::events())
    for (std::string_view list : event.fields) {
      std::istringstream words{std::string(list)};
      for (std::string word; words >> word;) {
        EXPECT_TRUE(fields.count(doc_name(word))) << "event " << event.id << " names `" << word
                                                  << "`, which docs/fields.md does not list";
      }
    }
}

TEST(FieldsContract, CimColumnNamesOnlyCimAuthenticationFields) {
  // The CIM Authentication data model's field names (plus vendor_product, common to CIM models).
  const std::set<std::string> cim = {"action", "app", "authentication_method", "authentication_service", "dest",
                                     "dest_nt_domain", "duration", "reason", "response_time", "signature",
                                     "signature_id", "src", "src_nt_domain", "src_user", "src_user_id", "tag",
                                     "user", "user_id", "user_agent", "vendor_product"};
  for (const auto& [name, field] : documented_fields())
    EXPECT_EQ(field.cim == "yes", cim.count(name) == 1) << name << " has CIM column " << field.cim;
}

// ---- props.conf ----------------------------------------------------------------------------------------------

// The settings of [kerberos:event], continuation lines joined.
std::vector<std::pair<std::string, std::string>> props_stanza() {
  std::istringstream in(test::read_file(test::source_dir() / "splunk_app" / "kerberos_insight" / "default" /
                                        "props.conf"));
  std::vector<std::pair<std::string, std::string>> settings;
  std::string line;
  bool inside = false;
  while (std::getline(in, line)) {
    line = trim(line);
    if (line.empty() || line.front() == '#') continue;
    if (line.front() == '[') {
      inside = line == "[kerberos:event]";
      continue;
    }
    if (!inside) continue;
    const auto equals = line.find('=');
    EXPECT_NE(equals, std::string::npos) << "props.conf: " << line;
    if (equals == std::string::npos) continue;
    settings.emplace_back(trim(line.substr(0, equals)), trim(line.substr(equals + 1)));
  }
  return settings;
}

std::vector<std::string> words(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> out;
  for (std::string word; in >> word;) out.push_back(word);
  return out;
}

// Field names an eval expression refers to. Fields must be in single quotes; a bare word that is not a
// function call is reported as a field too, so an unquoted reference cannot slip past the check.
std::vector<std::string> eval_references(const std::string& expression) {
  std::vector<std::string> names;
  for (std::size_t i = 0; i < expression.size();) {
    const char c = expression[i];
    if (c == '"' || c == '\'') {
      const auto end = expression.find(c, i + 1);
      EXPECT_NE(end, std::string::npos) << "unbalanced quote in " << expression;
      if (end == std::string::npos) break;
      if (c == '\'') names.push_back(expression.substr(i + 1, end - i - 1));
      i = end + 1;
    } else if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      std::size_t end = i;
      while (end < expression.size() && (std::isalnum(static_cast<unsigned char>(expression[end])) ||
                                          expression[end] == '_'))
        ++end;
      std::size_t next = end;
      while (next < expression.size() && expression[next] == ' ') ++next;
      const std::string word = expression.substr(i, end - i);
      const bool function = next < expression.size() && expression[next] == '(';
      if (!function && word != "AND" && word != "OR" && word != "NOT") names.push_back(word);
      i = end;
    } else {
      ++i;
    }
  }
  return names;
}

std::string array_name(std::string name) {
  if (name.ends_with("{}")) name.resize(name.size() - 2);
  return name;
}

TEST(FieldsContract, PropsConfSetsUpJsonEventsOnePerLine) {
  std::map<std::string, std::string> settings;
  for (const auto& [key, value] : props_stanza()) settings[key] = value;
  EXPECT_EQ(settings["KV_MODE"], "json");
  EXPECT_EQ(settings["SHOULD_LINEMERGE"], "false");
  EXPECT_FALSE(settings["TRUNCATE"].empty());
  EXPECT_GE(std::stoul(settings["TRUNCATE"].empty() ? "0" : settings["TRUNCATE"]), 10000u);
  EXPECT_NE(settings["TIME_PREFIX"].find("TimeCreated"), std::string::npos);
}

TEST(FieldsContract, PropsConfNamesOnlyDocumentedFields) {
  const auto fields = documented_fields();
  std::map<std::string, std::vector<std::string>> lookup_columns;
  for (const auto& table : knowledge::lookup_tables()) {
    std::string name = table.file_name;
    if (name.ends_with(".csv")) name.resize(name.size() - 4);
    lookup_columns[name] = table.header;
  }
  auto documented = [&](const std::string& name, const std::string& where) {
    EXPECT_TRUE(fields.count(name)) << "props.conf " << where << " names `" << name
                                    << "`, which docs/fields.md does not list";
  };
  auto event_side = [&](const std::string& name, const std::string& where) {
    documented(name, where);
    const auto it = fields.find(name);
    if (it != fields.end()) {
      EXPECT_NE(it->second.origin, "lookup") << where << ": `" << name << "` is not in the event when it runs";
    }
  };

  std::set<std::string> defined;  // fields props.conf computes (origin search or lookup)
  int lookups = 0;
  for (const auto& [key, value] : props_stanza()) {
    if (key.starts_with("EVAL-")) {
      const std::string name = key.substr(5);
      documented(name, key);
      defined.insert(name);
      for (const auto& ref : eval_references(value)) event_side(array_name(ref), key);
    } else if (key.starts_with("FIELDALIAS-")) {
      const auto w = words(value);
      ASSERT_TRUE(w.size() % 3 == 0 && !w.empty()) << key;
      for (std::size_t i = 0; i + 2 < w.size(); i += 3) {
        EXPECT_EQ(w[i + 1], "AS") << key;
        event_side(w[i], key);
        documented(w[i + 2], key);
        defined.insert(w[i + 2]);
      }
    } else if (key.starts_with("LOOKUP-")) {
      ++lookups;
      const auto w = words(value);
      ASSERT_GE(w.size(), 4u) << key;
      const std::string& table = w[0];
      const auto columns_it = lookup_columns.find(table);
      ASSERT_NE(columns_it, lookup_columns.end()) << key << ": no lookup table " << table;
      const auto& columns = columns_it->second;
      auto has_column = [&](const std::string& column) {
        EXPECT_NE(std::find(columns.begin(), columns.end(), column), columns.end())
            << key << ": " << table << ".csv has no column " << column;
      };
      std::size_t i = 1;
      // Input: column [AS event_field] ..., up to OUTPUT/OUTPUTNEW.
      for (; i < w.size() && w[i] != "OUTPUT" && w[i] != "OUTPUTNEW";) {
        has_column(w[i]);
        if (i + 2 < w.size() && w[i + 1] == "AS") {
          event_side(w[i + 2], key);
          i += 3;
        } else {
          event_side(w[i], key);
          i += 1;
        }
      }
      ASSERT_LT(i, w.size()) << key << ": no OUTPUT/OUTPUTNEW";
      for (++i; i < w.size();) {
        has_column(w[i]);
        std::string name = w[i];
        if (i + 2 < w.size() && w[i + 1] == "AS") {
          name = w[i + 2];
          i += 3;
        } else {
          i += 1;
        }
        documented(name, key);
        defined.insert(name);
        const auto it = fields.find(name);
        if (it != fields.end()) {
          EXPECT_EQ(it->second.origin, "lookup") << name << " comes from " << key;
        }
      }
    }
  }
  EXPECT_GE(lookups, 4) << "result code, encryption type, pre-authentication type and event lookups";

  // And the other way: what the docs say props.conf adds, it adds.
  for (const auto& [name, field] : fields) {
    if (field.origin == "search" || field.origin == "lookup") {
      EXPECT_TRUE(defined.count(name)) << "docs/fields.md says props.conf adds `" << name << "`; it does not";
    }
  }
}

TEST(FieldsContract, EvalReferencesAreFound) {
  // The parser the props check relies on: it must see quoted fields and catch unquoted ones.
  EXPECT_EQ(eval_references("if('signature_id'==4776, \"NTLM\", \"Kerberos\")"),
            std::vector<std::string>{"signature_id"});
  EXPECT_EQ(eval_references("'ticket_flags{}'"), std::vector<std::string>{"ticket_flags{}"});
  EXPECT_EQ(eval_references("coalesce(user, \"x\")"), std::vector<std::string>{"user"});
}

}  // namespace
}  // namespace ki
