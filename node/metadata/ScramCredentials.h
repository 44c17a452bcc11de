#pragma once
// SCRAM credentials (RFC 5802, RFC 7677; Kafka's KIP-554) as the metadata image holds them:
// salted and iterated, never the password. Written through Raft (AlterUserScramCredentials,
// skiffctl users) and read by the SASL mechanisms (node/auth) from the image they hold.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace skiff::metadata {

// Kafka's ScramMechanism codes, as DescribeUserScramCredentials and AlterUserScramCredentials
// carry them (0 is UNKNOWN there).
enum class ScramMechanism : int8_t { Sha256 = 1, Sha512 = 2 };

std::optional<ScramMechanism> scramMechanismFromCode(int8_t code);
std::optional<ScramMechanism> scramMechanismFromName(std::string_view name);   // "SCRAM-SHA-256"
std::string_view scramMechanismName(ScramMechanism mechanism);
// Bytes of the mechanism's hash: the size of a stored key, a server key and a salted password.
size_t scramHashBytes(ScramMechanism mechanism);

// Kafka's bounds on a credential's iteration count (ScramMechanism.minIterations/maxIterations).
constexpr int32_t kMinScramIterations = 4096;
constexpr int32_t kMaxScramIterations = 16384;

struct ScramCredential {
    int32_t iterations = 0;
    std::string salt;        // raw bytes
    std::string storedKey;   // H(ClientKey)
    std::string serverKey;   // HMAC(SaltedPassword, "Server Key")
    friend bool operator==(const ScramCredential &, const ScramCredential &) = default;
};

// user name → mechanism → credential; a user has at most one credential per mechanism.
using ScramCredentialMap = std::map<std::string, std::map<ScramMechanism, ScramCredential>>;

class AlterScramCredentials;

// Why a change of credentials is refused, as Kafka's per-user error codes tell it apart
// (ScramControlManager): UnknownMechanism is UNSUPPORTED_SASL_MECHANISM, Unacceptable is
// UNACCEPTABLE_CREDENTIAL, NotFound is RESOURCE_NOT_FOUND, Duplicate is DUPLICATE_RESOURCE.
// A refused command's ApplyResult.value.
enum class ScramRefusal : uint8_t { None = 0, UnknownMechanism = 1, Unacceptable = 2, NotFound = 3, Duplicate = 4 };

struct ScramDecision {
    ScramRefusal refusal = ScramRefusal::None;
    std::string message;   // Kafka's words, with what was wrong
    bool ok() const { return refusal == ScramRefusal::None; }
};

// The rules of a credential to set, in Kafka's order: a user name, a known mechanism, iterations
// within [kMinScramIterations, kMaxScramIterations], then a salt (Kafka's clients always send one).
ScramDecision checkScramParameters(std::string_view user, int32_t mechanismCode, int32_t iterations, std::string_view salt);
// checkScramParameters, and keys of the mechanism's hash size (what the image may hold).
ScramDecision checkScramUpsertion(std::string_view user, int32_t mechanismCode, int32_t iterations, std::string_view salt,
                                  std::string_view storedKey, std::string_view serverKey);
// A user name, a known mechanism, and a credential `credentials` holds for them.
ScramDecision checkScramDeletion(const ScramCredentialMap &credentials, std::string_view user, int32_t mechanismCode);
// The whole command against `credentials`, as the state machine applies it (all or nothing):
// every deletion and upsertion as above, and no user and mechanism named twice.
ScramDecision checkScramAlteration(const ScramCredentialMap &credentials, const AlterScramCredentials &command);

} // namespace skiff::metadata
