#pragma once
// The server side of SASL PLAIN (RFC 4616) as Kafka's broker runs it (PlainSaslServer), with the
// password checked against the user's SCRAM credentials: Skiff keeps no plain passwords.
// Private to node/auth; connections get one through makeSaslServer (SaslServer.h).

#include "auth/SaslServer.h"

#include <string>
#include <string_view>

namespace skiff::auth {

class PlainServer final : public SaslServer {
public:
    explicit PlainServer(CredentialLookup lookup);

    Result<std::string> step(std::string_view clientMessage) override;
    bool complete() const override { return m_state == State::Complete; }
    const std::string &user() const override { return m_user; }
    std::string_view mechanism() const override { return "PLAIN"; }

private:
    enum class State { ExpectMessage, Complete, Failed };

    Result<std::string> authenticate(std::string_view message);
    bool passwordMatches(const std::string &user, std::string_view password) const;

    CredentialLookup m_lookup;
    State m_state = State::ExpectMessage;
    std::string m_user;   // set once complete
};

} // namespace skiff::auth
