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

} // namespace skiff::metadata
