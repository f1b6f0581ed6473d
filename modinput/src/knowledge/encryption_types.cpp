// Placeholder until the table lands (overwritten by the real table).
#include "knowledge/knowledge.hpp"

namespace ki::knowledge {
std::span<const EncryptionType> encryption_types() { return {}; }
const EncryptionType* find_encryption_type(std::uint32_t) { return nullptr; }
std::span<const SupportedEncryptionBit> supported_encryption_bits() { return {}; }
}  // namespace ki::knowledge
