#pragma once
// The client side of Kafka's SASL authentication on one connection, as a follower runs it before
// its first Fetch from a SASL inter-broker listener (KIP-43, KIP-152): SaslHandshake v1 naming
// the mechanism, then SaslAuthenticate v2 carrying the mechanism's messages (auth::SaslClient)
// until the exchange is complete. The last answer's session_lifetime_ms (KIP-368) says when the
// leader wants the connection authenticated again; 0: never.
// Pure: request frames out, response frames in; the fetcher does the I/O.

#include "auth/SaslClient.h"
#include "common/Status.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace skiff::kafka {

struct SaslCredentials {
    std::string mechanism;   // sasl.mechanism.inter.broker.protocol
    std::string user;        // inter.broker.sasl.username
    std::string password;    // inter.broker.sasl.password (never logged)
};

class SaslLogin {
public:
    // `nextCorrelationId` numbers each request (the connection's own sequence).
    SaslLogin(const SaslCredentials &credentials, std::string clientId, std::function<int32_t()> nextCorrelationId);
    ~SaslLogin();

    // The SaslHandshake request frame, size prefix included.
    std::string start();

    struct Step {
        std::optional<std::string> frame;   // the next request to send
        bool done = false;                  // authenticated: Fetch may go
        int64_t sessionLifetimeMs = 0;      // with done: 0 = the session does not expire
    };
    // The answer to the last request (a frame without its size prefix). A failed Status says why
    // in the leader's words where it gave some (never the password).
    Result<Step> onResponse(std::string_view frame);

    const std::string &user() const { return m_user; }
    const std::string &mechanism() const { return m_mechanism; }

private:
    enum class State { Handshake, Authenticate, Done };

    std::string request(int16_t apiKey, int16_t version, const std::function<void(std::string &)> &body);
    Result<Step> onHandshake(std::string_view frame);
    Result<Step> onAuthenticate(std::string_view frame);

    const std::string m_mechanism;
    const std::string m_user;
    const std::string m_clientId;
    const std::function<int32_t()> m_nextCorrelationId;
    std::unique_ptr<auth::SaslClient> m_client;
    State m_state = State::Handshake;
    int32_t m_correlationId = 0;   // of the request in flight
};

} // namespace skiff::kafka
