#pragma once
// The server side of a SCRAM-SHA-256 / SCRAM-SHA-512 exchange (RFC 5802, RFC 7677) as Kafka's
// broker runs it (ScramSaslServer): client-first → server-first → client-final → server-final.
// Private to node/auth; connections get one through makeSaslServer (SaslServer.h).

#include "auth/SaslServer.h"

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace skiff::auth {

class ScramServer final : public SaslServer {
public:
    // The server's part of the nonce: printable ASCII without ','.
    using NonceGenerator = std::function<std::string()>;

    ScramServer(metadata::ScramMechanism mechanism, CredentialLookup lookup);
    // Tests only: the server nonce comes from `serverNonce` instead of randomBytes (to replay a
    // published exchange such as RFC 7677's).
    ScramServer(metadata::ScramMechanism mechanism, CredentialLookup lookup, NonceGenerator serverNonce);
    ~ScramServer() override;

    Result<std::string> step(std::string_view clientMessage) override;
    bool complete() const override { return m_state == State::Complete; }
    const std::string &user() const override { return m_user; }
    std::string_view mechanism() const override;

    // A fresh server nonce: 24 random bytes in base64 (32 characters, no padding).
    static std::string randomNonce();

private:
    enum class State { ExpectClientFirst, ExpectClientFinal, Complete, Failed };

    Result<std::string> clientFirst(std::string_view message);
    Result<std::string> clientFinal(std::string_view message);
    Status fail(Status status);
    void forgetExchange();

    metadata::ScramMechanism m_mechanism;
    CredentialLookup m_lookup;
    NonceGenerator m_serverNonce;
    State m_state = State::ExpectClientFirst;
    std::string m_user;   // set once complete

    // Between client-first and client-final.
    std::string m_claimedUser;
    std::string m_gs2Header;          // "n,," / "y,,a=name," as the client sent it
    std::string m_clientFirstBare;
    std::string m_serverFirst;
    std::string m_nonce;              // client nonce + server nonce
    std::optional<metadata::ScramCredential> m_credential;
};

} // namespace skiff::auth
