#include <algorithm>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "cli/commands.hpp"

namespace ki::cli {
namespace {

struct Outcome {
  int exit_code;
  std::string out;
  std::string err;
};

Outcome run(std::initializer_list<std::string_view> args) {
  std::istringstream in;
  std::ostringstream out, err;
  const int code = explain_command(Args(args), Io{in, out, err});
  return {code, out.str(), err.str()};
}

// The JSON answer without the "input" member, which echoes the value as typed.
std::string without_input(const std::string& json) {
  const auto key = json.find("\"key\"");
  return key == std::string::npos ? json : json.substr(key);
}

TEST(Explain, TheSameCodeInEveryNotationGivesTheSameAnswer) {
  const auto hex = run({"0x18", "--json"});
  ASSERT_EQ(hex.exit_code, kExitOk) << hex.err;
  EXPECT_NE(hex.out.find("KDC_ERR_PREAUTH_FAILED"), std::string::npos) << hex.out;
  for (std::string_view form : {"24", "0x00000018", "0X18"}) {
    const auto other = run({form, "--json"});
    EXPECT_EQ(other.exit_code, kExitOk);
    EXPECT_EQ(without_input(other.out), without_input(hex.out)) << form;
  }
  EXPECT_EQ(run({"--result", "24"}).out.substr(run({"--result", "24"}).out.find('\n')),
            run({"0x18"}).out.substr(run({"0x18"}).out.find('\n')));
}

TEST(Explain, TextAnswerCarriesNameMeaningCausesAndAdvice) {
  const auto answer = run({"0x25"});
  ASSERT_EQ(answer.exit_code, kExitOk);
  EXPECT_NE(answer.out.find("KRB_AP_ERR_SKEW"), std::string::npos) << answer.out;
  EXPECT_NE(answer.out.find("Meaning: "), std::string::npos);
  EXPECT_NE(answer.out.find("Likely causes: "), std::string::npos);
  EXPECT_NE(answer.out.find("What to do: "), std::string::npos);
  EXPECT_EQ(answer.out.find("unknown (0x"), std::string::npos) << answer.out;
}

TEST(Explain, TicketOptionsListEveryFlag) {
  const auto answer = run({"--ticket-options", "0x40810010", "--json"});
  ASSERT_EQ(answer.exit_code, kExitOk);
  size_t at = 0;
  for (const char* flag : {"\"forwardable\"", "\"renewable\"", "\"canonicalize\"", "\"renewable-ok\""}) {
    const auto found = answer.out.find(flag, at);
    ASSERT_NE(found, std::string::npos) << flag << " in order in " << answer.out;
    at = found;
  }
  EXPECT_EQ(answer.out.find("unknown_bits"), std::string::npos);
  const auto forwarded = run({"--ticket-options", "0x60810010"});
  EXPECT_NE(forwarded.out.find("forwarded"), std::string::npos);
}

TEST(Explain, UnknownBitsAreReportedAsHex) {
  const auto answer = run({"--ticket-options", "0x40000004"});
  ASSERT_EQ(answer.exit_code, kExitOk);
  EXPECT_NE(answer.out.find("forwardable"), std::string::npos);
  EXPECT_NE(answer.out.find("unknown (0x4)"), std::string::npos) << answer.out;
}

TEST(Explain, OtherSubjects) {
  const auto rc4 = run({"--etype", "0x17"});
  EXPECT_EQ(rc4.exit_code, kExitOk);
  EXPECT_NE(rc4.out.find("rc4-hmac"), std::string::npos) << rc4.out;
  EXPECT_NE(rc4.out.find("deprecated"), std::string::npos) << rc4.out;
  const auto none = run({"--preauth", "0"});
  EXPECT_EQ(none.exit_code, kExitOk);
  EXPECT_EQ(none.out.find("unknown ("), std::string::npos) << none.out;
  const auto dash = run({"--preauth", "-", "--lang", "fr"});
  EXPECT_EQ(dash.exit_code, kExitOk);
  EXPECT_NE(dash.out.find("Signification: Aucun type"), std::string::npos) << dash.out;
  const auto event = run({"--event", "4771"});
  EXPECT_EQ(event.exit_code, kExitOk);
  EXPECT_NE(event.out.find("0x18"), std::string::npos) << "4771 lists the codes it carries: " << event.out;
  const auto legacy = run({"--event", "677"});
  EXPECT_NE(legacy.out.find("modern_event: 4773"), std::string::npos) << legacy.out;
  const auto keys = run({"--supported-etypes", "0x1C (RC4, AES128-SHA96, AES256-SHA96)"});
  EXPECT_EQ(keys.exit_code, kExitOk);
  EXPECT_NE(keys.out.find("RC4"), std::string::npos) << keys.out;
}

TEST(Explain, FrenchAndDanishAnswers) {
  const auto fr = run({"0x18", "--lang", "fr"});
  EXPECT_NE(fr.out.find("Signification: "), std::string::npos) << fr.out;
  const auto da = run({"0x18", "--lang", "da"});
  EXPECT_NE(da.out.find("Betydning: "), std::string::npos) << da.out;
  EXPECT_NE(fr.out, da.out);
  EXPECT_NE(run({"0x18"}).out, fr.out);
}

TEST(Explain, UnknownValuesAnswerUnknownAndSucceed) {
  const auto answer = run({"0x99"});
  EXPECT_EQ(answer.exit_code, kExitOk);
  EXPECT_NE(answer.out.find("unknown (0x99)"), std::string::npos) << answer.out;
  EXPECT_EQ(run({"--event", "1234"}).exit_code, kExitOk);
  EXPECT_NE(run({"--etype", "0x7777"}).out.find("unknown (0x7777)"), std::string::npos);
}

TEST(Explain, MalformedInputIsAOneLineErrorWithExitTwo) {
  for (auto args : std::vector<std::vector<std::string_view>>{
           {"0xZZ"}, {"--ticket-options", "forwardable"}, {"0x100000000"}, {}, {"--lang", "de", "0x18"},
           {"0x18", "0x6"}, {"--bogus"}, {"--event"}}) {
    std::istringstream in;
    std::ostringstream out, err;
    EXPECT_EQ(explain_command(args, Io{in, out, err}), kExitUsage);
    EXPECT_TRUE(out.str().empty());
    const std::string message = err.str();
    if (!args.empty()) {
      EXPECT_EQ(std::count(message.begin(), message.end(), '\n'), 1) << message;
    }
  }
}

}  // namespace
}  // namespace ki::cli
