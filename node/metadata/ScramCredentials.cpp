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

} // namespace skiff::metadata
