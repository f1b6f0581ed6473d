#include "modinput/validate.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <pugixml.hpp>

#include "cli/commands.hpp"
#include "support/temp_dir.hpp"

namespace {

namespace fs = std::filesystem;

using ki::test::TempDir;

std::string items(const std::string& params) {
  return "<items><server_host>h</server_host><server_uri>https://127.0.0.1:8089</server_uri>"
         "<session_key>k</session_key><checkpoint_dir>/c</checkpoint_dir><item name=\"dc1\">" +
         params + "</item></items>";
}

std::string utf16(std::string_view text, bool big_endian) {
  std::string out = big_endian ? std::string("\xFE\xFF") : std::string("\xFF\xFE");
  for (char c : text) {
    if (big_endian) out += '\0';
    out += c;
    if (!big_endian) out += '\0';
  }
  return out;
}

struct Result {
  int code;
  std::string out;
  std::string err;
};

Result validate(const std::string& stdin_bytes) {
  std::istringstream in(stdin_bytes);
  std::ostringstream out, err;
  const int code = ki::cli::validate_arguments_command({}, {in, out, err});
  return {code, out.str(), err.str()};
}

// The message of <error><message>, which must itself be well-formed XML.
std::string message(const Result& r) {
  pugi::xml_document doc;
  EXPECT_TRUE(doc.load_string(r.out.c_str())) << r.out;
  return doc.child("error").child("message").text().get();
}

TEST(ValidateArguments, AcceptsGoodItemsInUtf8AndUtf16) {
  TempDir t;
  std::ofstream(t.path / "a.json") << "{}\n";
  const std::string xml =
      items("<param name=\"kind\">json</param><param name=\"path\">" + (t.path / "*.json").string() +
            "</param><param name=\"event_ids\">4768-4773,672-677</param><param name=\"start_from\">newest</param>"
            "<param name=\"threads\">4</param>");
  for (const std::string& bytes : {xml, utf16(xml, false), utf16(xml, true), "\xEF\xBB\xBF" + xml}) {
    const Result r = validate(bytes);
    EXPECT_EQ(r.code, 0) << r.out << r.err;
    EXPECT_TRUE(r.out.empty()) << r.out;
  }
}

TEST(ValidateArguments, AnEmptyReadableFolderIsAccepted) {
  TempDir t;
  const Result r = validate(items("<param name=\"path\">" + t.path.string() + "</param>"));
  EXPECT_EQ(r.code, 0) << r.out;
}

TEST(ValidateArguments, RejectsEachBadValueWithAnErrorMessage) {
  TempDir t;
  std::ofstream(t.path / "a.evtx") << "x";
  const std::string good = "<param name=\"path\">" + (t.path / "a.evtx").string() + "</param>";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"<param name=\"path\">" + (t.path / "missing.evtx").string() + "</param>", "no such file"},
      {"<param name=\"path\">" + (t.path / "*.xml").string() + "</param>", "matches no file"},
      {"", "path is required"},
      {good + "<param name=\"kind\">csv</param>", "kind \"csv\""},
      {good + "<param name=\"event_ids\">4768-x</param>", "event_ids"},
      {good + "<param name=\"event_ids\">4773-4768</param>", "backwards"},
      {good + "<param name=\"start_from\">yesterday</param>", "start_from"},
      {good + "<param name=\"threads\">0</param>", "threads"},
      {good + "<param name=\"threads\">300</param>", "threads"},
  };
  for (const auto& [params, expected] : cases) {
    for (bool be : {false, true}) {
      const Result r = validate(utf16(items(params), be));
      EXPECT_NE(r.code, 0) << params;
      const std::string m = message(r);
      EXPECT_NE(m.find(expected), std::string::npos) << params << " -> " << m;
      EXPECT_NE(r.err.find("ERROR "), std::string::npos);
    }
  }
}

TEST(ValidateArguments, MalformedInputIsAnError) {
  const Result r = validate("<items><item name=\"x\">");
  EXPECT_NE(r.code, 0);
  EXPECT_NE(message(r).find("configuration XML"), std::string::npos);
  const Result none = validate("<items></items>");
  EXPECT_NE(none.code, 0);
  EXPECT_NE(message(none).find("no <item>"), std::string::npos);
}

TEST(ErrorXml, EscapesTheMessage) {
  pugi::xml_document doc;
  const std::string xml = ki::modinput::error_xml("path <a & b> \"c\"");
  ASSERT_TRUE(doc.load_string(xml.c_str()));
  EXPECT_STREQ(doc.child("error").child("message").text().get(), "path <a & b> \"c\"");
}

}  // namespace
