#include "modinput/scheme.hpp"

#include <map>
#include <set>
#include <sstream>

#include <gtest/gtest.h>
#include <pugixml.hpp>

#include "cli/commands.hpp"
#include "support/paths.hpp"

namespace {

pugi::xml_document parse_scheme() {
  pugi::xml_document doc;
  const std::string xml = ki::modinput::scheme_xml();
  const auto result = doc.load_buffer(xml.data(), xml.size());
  EXPECT_TRUE(result) << result.description();
  return doc;
}

TEST(Scheme, HasTheElementsSplunkdReads) {
  const auto doc = parse_scheme();
  const auto scheme = doc.child("scheme");
  ASSERT_TRUE(scheme);
  EXPECT_FALSE(std::string(scheme.child("title").text().get()).empty());
  EXPECT_FALSE(std::string(scheme.child("description").text().get()).empty());
  EXPECT_STREQ(scheme.child("use_external_validation").text().get(), "true");
  EXPECT_STREQ(scheme.child("use_single_instance").text().get(), "false");
  EXPECT_STREQ(scheme.child("streaming_mode").text().get(), "xml");
  std::map<std::string, pugi::xml_node> args;
  for (auto arg : scheme.child("endpoint").child("args").children("arg")) args[arg.attribute("name").value()] = arg;
  const std::set<std::string> expected = {"kind", "path", "event_ids", "start_from", "threads"};
  std::set<std::string> names;
  for (const auto& [name, node] : args) names.insert(name);
  EXPECT_EQ(names, expected);
  for (const auto& [name, arg] : args) {
    EXPECT_FALSE(std::string(arg.child("title").text().get()).empty()) << name;
    EXPECT_FALSE(std::string(arg.child("description").text().get()).empty()) << name;
    const std::string type = arg.child("data_type").text().get();
    EXPECT_TRUE(type == "string" || type == "number" || type == "boolean") << name << ": " << type;
    for (const char* flag : {"required_on_create", "required_on_edit"}) {
      const std::string v = arg.child(flag).text().get();
      EXPECT_TRUE(v == "true" || v == "false") << name << " " << flag;
    }
  }
  EXPECT_STREQ(args["path"].child("required_on_create").text().get(), "true");
  EXPECT_STREQ(args["kind"].child("required_on_create").text().get(), "false");
  EXPECT_STREQ(args["threads"].child("data_type").text().get(), "number");
  EXPECT_NE(std::string(args["event_ids"].child("description").text().get()).find("4768-4773,672-677"),
            std::string::npos);
}

// The names of the settings under [kerberos_events://<name>] in README/inputs.conf.spec.
std::vector<std::string> spec_settings(const std::string& spec, bool& stanza_found) {
  std::vector<std::string> names;
  std::istringstream in(spec);
  std::string line;
  bool inside = false;
  stanza_found = false;
  while (std::getline(in, line)) {
    if (line.starts_with("[")) {
      inside = line == "[kerberos_events://<name>]";
      stanza_found = stanza_found || inside;
      continue;
    }
    if (!inside || line.empty() || line[0] == '#' || line[0] == '*' || line[0] == ' ') continue;
    const auto eq = line.find(" = ");
    if (eq != std::string::npos) names.push_back(line.substr(0, eq));
  }
  return names;
}

TEST(Scheme, MatchesInputsConfSpec) {
  const auto spec = ki::test::read_file(ki::test::source_dir() / "splunk_app/kerberos_insight/README/inputs.conf.spec");
  bool stanza_found = false;
  const auto spec_names = spec_settings(spec, stanza_found);
  ASSERT_TRUE(stanza_found) << "no [kerberos_events://<name>] stanza in inputs.conf.spec";
  std::vector<std::string> scheme_names;
  for (const auto& a : ki::modinput::scheme_args()) scheme_names.emplace_back(a.name);
  EXPECT_EQ(spec_names, scheme_names) << "README/inputs.conf.spec and the scheme list different arguments";
  // A required argument says so in the spec, an optional one gives its default.
  for (const auto& a : ki::modinput::scheme_args()) {
    const auto at = spec.find("\n" + std::string(a.name) + " = ");
    ASSERT_NE(at, std::string::npos) << a.name;
    const auto next = spec.find("\n\n", at);
    const std::string block = spec.substr(at, next - at);
    if (a.required_on_create) EXPECT_NE(block.find("* Required."), std::string::npos) << a.name;
    else EXPECT_NE(block.find("* Default:"), std::string::npos) << a.name;
  }
}

TEST(Scheme, DefaultInputsConfIsADisabledStanzaOfThisScheme) {
  const auto conf = ki::test::read_file(ki::test::source_dir() / "splunk_app/kerberos_insight/default/inputs.conf");
  EXPECT_NE(conf.find("[kerberos_events://"), std::string::npos);
  EXPECT_NE(conf.find("\ndisabled = 1"), std::string::npos);
  EXPECT_NE(conf.find("\npath = "), std::string::npos);
}

TEST(SchemeCommand, PrintsTheSchemeAndRefusesArguments) {
  std::istringstream in;
  std::ostringstream out, err;
  EXPECT_EQ(ki::cli::scheme_command({}, {in, out, err}), ki::cli::kExitOk);
  EXPECT_EQ(out.str(), ki::modinput::scheme_xml());
  std::ostringstream out2;
  EXPECT_EQ(ki::cli::scheme_command({"x"}, {in, out2, err}), ki::cli::kExitUsage);
  EXPECT_TRUE(out2.str().empty());
}

}  // namespace
