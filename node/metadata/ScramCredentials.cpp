#include "metadata/ScramCredentials.h"


namespace skiff::metadata {

std::optional<ScramMechanism> scramMechanismFromCode(int8_t code)
{
    switch (code) {
    case int8_t(ScramMechanism::Sha256): return ScramMechanism::Sha256;
    case int8_t(ScramMechanism::Sha512): return ScramMechanism::Sha512;
    default: return std::nullopt;
    }
}

std::optional<ScramMechanism> scramMechanismFromName(std::string_view name)
{
    if (name == "SCRAM-SHA-256")
        return ScramMechanism::Sha256;
    if (name == "SCRAM-SHA-512")
        return ScramMechanism::Sha512;
    return std::nullopt;
}

std::string_view scramMechanismName(ScramMechanism mechanism)
{
    return mechanism == ScramMechanism::Sha256 ? "SCRAM-SHA-256" : "SCRAM-SHA-512";
}

size_t scramHashBytes(ScramMechanism mechanism)
{
    return mechanism == ScramMechanism::Sha256 ? 32 : 64;
}

namespace {

ScramDecision refuse(ScramRefusal refusal, std::string message) { return {refusal, std::move(message)}; }

ScramDecision checkUserAndMechanism(std::string_view user, int32_t mechanismCode)
{
    if (user.empty())
        return refuse(ScramRefusal::Unacceptable, "Username must not be empty");
    if (mechanismCode < INT8_MIN || mechanismCode > INT8_MAX || !scramMechanismFromCode(int8_t(mechanismCode)))
        return refuse(ScramRefusal::UnknownMechanism, "Unknown SCRAM mechanism " + std::to_string(mechanismCode) + " for user '"
                                                          + std::string(user) + "' (known: 1 SCRAM-SHA-256, 2 SCRAM-SHA-512)");
    return {};
}

} // namespace

ScramDecision checkScramParameters(std::string_view user, int32_t mechanismCode, int32_t iterations, std::string_view salt)
{
    if (ScramDecision d = checkUserAndMechanism(user, mechanismCode); !d.ok())
        return d;
    const std::string bounds = " for user '" + std::string(user) + "': " + std::to_string(iterations) + " (allowed: "
                               + std::to_string(kMinScramIterations) + " to " + std::to_string(kMaxScramIterations) + ")";
    if (iterations < kMinScramIterations)
        return refuse(ScramRefusal::Unacceptable, "Too few iterations" + bounds);
    if (iterations > kMaxScramIterations)
        return refuse(ScramRefusal::Unacceptable, "Too many iterations" + bounds);
    if (salt.empty())
        return refuse(ScramRefusal::Unacceptable, "Salt must not be empty (user '" + std::string(user) + "')");
    return {};
}

ScramDecision checkScramUpsertion(std::string_view user, int32_t mechanismCode, int32_t iterations, std::string_view salt,
                                  std::string_view storedKey, std::string_view serverKey)
{
    if (ScramDecision d = checkScramParameters(user, mechanismCode, iterations, salt); !d.ok())
        return d;
    const ScramMechanism mechanism = *scramMechanismFromCode(int8_t(mechanismCode));
    const size_t expected = scramHashBytes(mechanism);
    if (storedKey.size() != expected || serverKey.size() != expected)
        return refuse(ScramRefusal::Unacceptable,
                      std::string(scramMechanismName(mechanism)) + " credential of user '" + std::string(user) + "' has a "
                          + std::to_string(storedKey.size()) + "-byte stored key and a " + std::to_string(serverKey.size())
                          + "-byte server key (expected " + std::to_string(expected) + " bytes each)");
    return {};
}

ScramDecision checkScramDeletion(const ScramCredentialMap &credentials, std::string_view user, int32_t mechanismCode)
{
    if (ScramDecision d = checkUserAndMechanism(user, mechanismCode); !d.ok())
        return d;
    const ScramMechanism mechanism = *scramMechanismFromCode(int8_t(mechanismCode));
    auto it = credentials.find(std::string(user));
    if (it == credentials.end() || !it->second.count(mechanism))
        return refuse(ScramRefusal::NotFound, "Attempt to delete a user credential that does not exist: "
                                                  + std::string(scramMechanismName(mechanism)) + " of user '" + std::string(user) + "'");
    return {};
}

} // namespace skiff::metadata
