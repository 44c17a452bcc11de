#pragma once
// The client side of the SASL mechanisms skiffd serves (RFC 4422): how a follower authenticates
// to its leader's SASL inter-broker listener (sasl.mechanism.inter.broker.protocol with
// inter.broker.sasl.username / password). PLAIN (RFC 4616) and SCRAM-SHA-256/512 (RFC 5802,
// RFC 7677, the same formulas as the server side: ScramFormulas).

#include "common/Status.h"

#include <memory>
#include <string>
#include <string_view>

namespace skiff::auth {

// One exchange, from the client's first message to the server's last.
class SaslClient {
public:
    virtual ~SaslClient() = default;
    // The client's first message.
    virtual Result<std::string> start() = 0;
    // The server's answer to the last message: the client's next one, or, once the exchange is
    // complete, an empty message that is not sent. A failed Status ends the exchange; its message
    // names what is wrong and never holds a secret.
    virtual Result<std::string> step(std::string_view serverMessage) = 0;
    virtual bool complete() const = 0;   // the server answered the last message and was verified
    virtual std::string_view mechanism() const = 0;
};

// A client for `mechanism` ("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"), nullptr for any other.
std::unique_ptr<SaslClient> makeSaslClient(std::string_view mechanism, std::string user, std::string password);

} // namespace skiff::auth
