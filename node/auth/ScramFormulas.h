#pragma once
// The key derivations of SCRAM (RFC 5802 section 3) over SHA-256 and SHA-512 (RFC 7677):
// the one place Skiff turns a password or a salted password into a stored credential, and
// computes the proofs and signatures an exchange checks.

#include "metadata/ScramCredentials.h"

#include <string>
#include <string_view>

namespace skiff::auth {

using metadata::ScramCredential;
using metadata::ScramMechanism;

// Hi(password, salt, iterations): PBKDF2 with HMAC over the mechanism's hash.
std::string saltedPassword(ScramMechanism mechanism, std::string_view password, std::string_view salt, int32_t iterations);
std::string hmac(ScramMechanism mechanism, std::string_view key, std::string_view data);
std::string hash(ScramMechanism mechanism, std::string_view data);

// The credential a salted password gives (what AlterUserScramCredentials sends, KIP-554).
ScramCredential credentialFromSaltedPassword(ScramMechanism mechanism, std::string_view saltedPassword,
                                             std::string_view salt, int32_t iterations);
// The credential a password gives with `salt` and `iterations`.
ScramCredential credentialFromPassword(ScramMechanism mechanism, std::string_view password, std::string_view salt,
                                       int32_t iterations);
// `bytes` random bytes from OpenSSL's generator (salts, nonces). Keys and proofs are compared
// with skiff::secretEquals (common/SecretCompare.h).
std::string randomBytes(size_t bytes);

} // namespace skiff::auth
