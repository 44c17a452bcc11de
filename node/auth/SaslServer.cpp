#include "auth/SaslServer.h"

#include "auth/PlainServer.h"
#include "auth/ScramServer.h"

namespace skiff::auth {

std::unique_ptr<SaslServer> makeSaslServer(std::string_view mechanism, CredentialLookup lookup)
{
    if (mechanism == "PLAIN")
        return std::make_unique<PlainServer>(std::move(lookup));
    if (const std::optional<metadata::ScramMechanism> scram = metadata::scramMechanismFromName(mechanism))
        return std::make_unique<ScramServer>(*scram, std::move(lookup));
    return nullptr;
}

} // namespace skiff::auth
