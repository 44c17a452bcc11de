#pragma once
// SASL authentication of one connection on a SASL_PLAINTEXT or SASL_SSL listener, as a Kafka
// broker does it (KIP-43, KIP-152): before the client is authenticated it may ask ApiVersions,
// then SaslHandshake names a mechanism and the tokens follow, in SaslAuthenticate requests (a
// version 1 handshake) or as bare size-prefixed frames (version 0, as kafka-python sends them).
// Any other request before that, an unknown mechanism or a failed exchange closes the
// connection; nothing else is served before authentication succeeds.
// Pure: frames in, frames and verdicts out; the connection does the I/O.

#include "auth/SaslServer.h"

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace skiff::kafka {

class SaslAuthenticator {
public:
    SaslAuthenticator(std::vector<std::string> enabledMechanisms, auth::CredentialLookup lookup);
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
    // (then always Dispatch).
    Step onFrame(std::string_view frame);

    bool authenticated() const { return m_state == State::Authenticated; }
    // Once authenticated: the user (Kafka's principal "User:<name>").
    const std::string &user() const { return m_user; }

private:
    enum class State { AwaitHandshake, AwaitAuthenticate, AwaitBareToken, Authenticated };

    Step handshake(std::string_view frame);
    Step authenticate(std::string_view frame);
    Step bareToken(std::string_view frame);
    Step finished(Step step);

    const std::vector<std::string> m_enabled;
    const auth::CredentialLookup m_lookup;
    std::unique_ptr<auth::SaslServer> m_server;
    State m_state = State::AwaitHandshake;
    std::string m_user;
};

} // namespace skiff::kafka
