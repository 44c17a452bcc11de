#pragma once
// The SASL mechanisms a Kafka listener serves (RFC 4422, server side): PLAIN (RFC 4616) and
// SCRAM-SHA-256/512 (RFC 5802, RFC 7677), all checked against the SCRAM credentials of the
// metadata image the connection holds (Kafka's KIP-554 credentials; no plain passwords kept).

#include "common/Status.h"
#include "metadata/ScramCredentials.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace skiff::auth {

// The credential of `user` for `mechanism` in the metadata image the connection holds; nullopt: no such user, or none for that mechanism.
using CredentialLookup = std::function<std::optional<metadata::ScramCredential>(const std::string &user, metadata::ScramMechanism mechanism)>;

// One SASL authentication exchange on one connection (RFC 4422 server side).
class SaslServer {
public:
    virtual ~SaslServer() = default;
    // Takes the client's next message and returns the server's answer (may be empty). A failed
    // Status ends the exchange: its message goes to the client (SaslAuthenticate error_message) and to the log, so it never holds a secret.
    virtual Result<std::string> step(std::string_view clientMessage) = 0;
    virtual bool complete() const = 0;                 // authenticated
    virtual const std::string &user() const = 0;       // once complete: the authenticated user name
    virtual std::string_view mechanism() const = 0;    // "PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"
};

// A server for `mechanism` (one of core::saslMechanismNames(), the names sasl.enabled.mechanisms
// accepts; case-sensitive), nullptr for any other.
std::unique_ptr<SaslServer> makeSaslServer(std::string_view mechanism, CredentialLookup lookup);

} // namespace skiff::auth
