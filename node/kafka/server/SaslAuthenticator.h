#pragma once
// SASL authentication of one connection on a SASL_PLAINTEXT or SASL_SSL listener, as a Kafka
// broker does it (KIP-43, KIP-152): before the client is authenticated it may ask ApiVersions,
// then SaslHandshake names a mechanism and the tokens follow, in SaslAuthenticate requests (a
// version 1 handshake) or as bare size-prefixed frames (version 0, as kafka-python sends them).
// Any other request before that, an unknown mechanism or a failed exchange closes the
// connection; nothing else is served before authentication succeeds.
// Re-authentication (KIP-368, connections.max.reauth.ms): a client that authenticated with
// SaslAuthenticate v1+ is told its session lifetime and may send SaslHandshake and
// SaslAuthenticate again on the same connection, with the same mechanism and as the same user
// (Kafka refuses a change of either and closes); once the session has expired, any request but
// that handshake closes the connection.
// Pure: frames in, frames and verdicts out; the connection does the I/O.

#include "auth/SaslServer.h"

#include "kafka/protocol/ErrorCode.h"
#include "kafka/protocol/RequestHeader.h"

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace skiff::kafka {

class SaslAuthenticator {
public:
    using Clock = std::chrono::steady_clock;
    // `reauthMs`: connections.max.reauth.ms (0: sessions do not expire); `now`: the clock.
    SaslAuthenticator(std::vector<std::string> enabledMechanisms, auth::CredentialLookup lookup, int64_t reauthMs = 0,
                      std::function<Clock::time_point()> now = &Clock::now);
    ~SaslAuthenticator();

    struct Step {
        enum class Action {
            Dispatch,         // an ordinary request: hand it to the dispatcher
            Answer,           // send `frame`
            AnswerAndClose,   // send `frame`, then close (Kafka's answer to a failed handshake or exchange)
            Close,            // close at once (no answer is possible)
        };
        Action action = Action::Dispatch;
        std::string frame;    // Answer*: the whole response frame, size prefix included
        std::string why;      // *Close: the line the connection logs (never a secret)
        // Set when an exchange just ended: true authenticated, false refused.
        std::optional<bool> outcome;
        std::string mechanism;   // with outcome: the mechanism of the exchange
    };

    // One frame (its size prefix removed) while not yet authenticated, and every one after
    // (then Dispatch, but for a re-authentication's frames and a request after the session
    // expired). `apiKey`: the one the connection read from the frame's header (-1 when the
    // frame is shorter than one); an authenticated connection's frames are not decoded here.
    Step onFrame(int16_t apiKey, std::string_view frame);

    bool authenticated() const { return m_state == State::Authenticated; }
    // Once authenticated: the user (Kafka's principal "User:<name>").
    const std::string &user() const { return m_user; }

private:
    enum class State { AwaitHandshake, AwaitAuthenticate, AwaitBareToken, Authenticated };

    Step handshake(std::string_view frame);
    Step authenticate(std::string_view frame);
    Step bareToken(std::string_view frame);
    Step finished(Step step);
    Step refuseReauthentication(const RequestHeader &header, ErrorCode code, std::string why);

    const std::vector<std::string> m_enabled;
    const auth::CredentialLookup m_lookup;
    std::unique_ptr<auth::SaslServer> m_server;
    State m_state = State::AwaitHandshake;
    std::string m_user;
    std::string m_mechanism;                        // of the first exchange: a re-authentication keeps it
    const int64_t m_reauthMs;
    const std::function<Clock::time_point()> m_now;
    std::optional<Clock::time_point> m_expiresAt;   // set for SaslAuthenticate v1+ sessions with reauthMs
    bool m_reauthenticating = false;
};

} // namespace skiff::kafka
