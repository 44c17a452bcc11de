#pragma once
// The client side of a SCRAM-SHA-256 / SCRAM-SHA-512 exchange (RFC 5802, RFC 7677), as Kafka's
// ScramSaslClient runs it: client-first -> server-first -> client-final -> server-final, the
// server's signature checked before the exchange counts as complete (a server that does not know
// the password cannot pass itself off as the leader). No channel binding, no authorization id.

#include "auth/SaslClient.h"
#include "metadata/ScramCredentials.h"

#include <functional>
#include <string>
#include <string_view>

namespace skiff::auth {

class ScramClient final : public SaslClient {
public:
    using NonceGenerator = std::function<std::string()>;

    ScramClient(metadata::ScramMechanism mechanism, std::string user, std::string password);
    // Tests only: the client nonce from `clientNonce` (to replay a published exchange).
    ScramClient(metadata::ScramMechanism mechanism, std::string user, std::string password, NonceGenerator clientNonce);
    ~ScramClient() override;

    Result<std::string> start() override;
    Result<std::string> step(std::string_view serverMessage) override;
    bool complete() const override { return m_state == State::Complete; }
    std::string_view mechanism() const override;

private:
    enum class State { Initial, ExpectServerFirst, ExpectServerFinal, Complete, Failed };

    Result<std::string> serverFirst(std::string_view message);
    Result<std::string> serverFinal(std::string_view message);
    Status fail(Status status);

    const metadata::ScramMechanism m_mechanism;
    const std::string m_user;
    std::string m_password;
    NonceGenerator m_clientNonce;
    State m_state = State::Initial;
    std::string m_nonce;             // the client's part
    std::string m_clientFirstBare;
    std::string m_serverSignature;   // expected in server-final
};

} // namespace skiff::auth
