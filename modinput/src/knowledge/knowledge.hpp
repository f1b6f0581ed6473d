#pragma once
// Kerberos knowledge: the one source of truth for every code the app explains.
// The lookup CSVs, `kerberos_events explain` and the normalizer all read these tables.
// Each table lives in its own .cpp, one row per line, each row citing its source.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ki::knowledge {

enum class Lang : std::uint8_t { en, fr, da };

// How much attention a value deserves from a SOC analyst when it shows up in an event.
enum class Severity : std::uint8_t { info, low, medium, high, critical };

// One sentence or paragraph in the three languages the app ships.
struct Text {
  std::string_view en;
  std::string_view fr;
  std::string_view da;
  constexpr std::string_view in(Lang lang) const {
    switch (lang) {
      case Lang::fr: return fr;
      case Lang::da: return da;
      default: return en;
    }
  }
};

// Whether Windows domain controllers ever produce the value; the explanations say so plainly when not.
enum class OnWindows : std::uint8_t { seen, never };

// Result and failure codes: RFC 4120 §7.5.9, RFC 4556 (PKINIT), RFC 6113 (FAST), RFC 6806, MS-KILE.
// The legacy events 672-677 print the same codes in decimal ("Failure Code: 24" is 0x18).
struct ResultCode {
  std::uint32_t code;
  std::string_view name;  // the RFC's name, e.g. KDC_ERR_PREAUTH_FAILED
  Severity severity;
  OnWindows on_windows;
  Text meaning;  // what the code says happened
  Text causes;   // what usually makes a KDC answer with it
  Text action;   // what to check or do
  std::string_view source;  // citation, e.g. "RFC 4120 §7.5.9"
  std::string_view notes;   // English, for maintainers: where Microsoft's pages disagree, seeds' mistakes
};

// Ticket options (KDCOptions) of 4768/4769/4770/672/673, RFC 4120 §5.4.1 bit numbering (MSB-0).
struct TicketOption {
  std::uint8_t bit;       // 0 is the most significant bit of the 32-bit value
  std::string_view name;  // e.g. "forwardable"; "reserved-0", "unused-9" for bits no standard assigns
  bool assigned;          // false for reserved/unused bits: decoding reports them among the unknown bits
  Severity severity;
  OnWindows on_windows;
  Text meaning;
  Text causes;
  Text action;
  std::string_view source;
  std::string_view notes;
  constexpr std::uint32_t mask() const { return 0x80000000u >> bit; }
};

enum class Strength : std::uint8_t { none, weak, deprecated, strong };

// Encryption types (etype numbers): RFC 3961, 3962, 4757, 8009, IANA "Kerberos Encryption Type Numbers".
// Negative IANA numbers and the 0xFFFFFFFF Windows logs on failures are stored as their 32-bit pattern.
struct EncryptionType {
  std::uint32_t id;
  std::string_view name;  // IANA name, e.g. "rc4-hmac"
  Strength strength;
  Severity severity;
  OnWindows on_windows;
  Text meaning;
  Text causes;
  Text action;
  std::string_view source;
  std::string_view notes;
};

// Bits of msDS-SupportedEncryptionTypes (MS-KILE §2.2.7), printed by version-2 events as
// "0x1C (RC4, AES128-SHA96, AES256-SHA96)".
struct SupportedEncryptionBit {
  std::uint32_t mask;
  std::string_view name;   // unique key of the lookup; the printed label where that is unique, e.g. "RC4"
  std::string_view label;  // what Windows prints inside the parentheses: both DES bits print as "DES"
  Strength strength;
  Severity severity;
  OnWindows on_windows;
  Text meaning;
  Text causes;
  Text action;
  std::string_view source;
  std::string_view notes;
};

// Pre-authentication types (PA-DATA type numbers): IANA registry, RFC 4120, 4556, 6113, MS-KILE, MS-SFU.
struct PreAuthType {
  std::uint32_t id;
  std::string_view name;  // e.g. "PA-ENC-TIMESTAMP"
  Severity severity;
  OnWindows on_windows;
  Text meaning;
  Text causes;
  Text action;
  std::string_view source;
  std::string_view notes;
};

// Security events around Kerberos: 4768-4773, 4776 (NTLM, for contrast) and the legacy 672-677.
struct EventInfo {
  std::uint32_t id;
  std::string_view name;         // Windows' own title of the event, in English
  std::uint32_t modern_id;       // for 672-677 the event that replaced it; 0 when none or itself modern
  std::string_view result_codes; // space-separated canonical codes it can carry, e.g. "0x0 0x6 0x12"
  std::string_view fields[3];    // space-separated EventData names of versions 0, 1, 2 ("" when no such version)
  Severity severity;
  Text meaning;
  Text causes;
  Text action;
  std::string_view source;
  std::string_view notes;
};

// The tables, sorted by key, keys unique (a test checks both).
std::span<const ResultCode> result_codes();
std::span<const TicketOption> ticket_options();  // exactly 32 rows, bit 0..31
std::span<const EncryptionType> encryption_types();
std::span<const SupportedEncryptionBit> supported_encryption_bits();
std::span<const PreAuthType> pre_auth_types();
std::span<const EventInfo> events();

// Lookups of outside values: nullptr when the table has no row (the caller renders "unknown (0x..)").
const ResultCode* find_result_code(std::uint32_t code);
const TicketOption* find_ticket_option(std::uint8_t bit);
const EncryptionType* find_encryption_type(std::uint32_t id);
const PreAuthType* find_pre_auth_type(std::uint32_t id);
const EventInfo* find_event(std::uint32_t id);

// The "-" that failure events print as PreAuthType: not a PA-DATA number, but still explained (and keyed
// "-" in the lookup), since it is what analysts see on every failed TGT request.
const PreAuthType& pre_auth_type_not_checked();

std::string_view severity_name(Severity severity);
std::string_view strength_name(Strength strength);
std::optional<Lang> parse_lang(std::string_view text);

}  // namespace ki::knowledge
