#include "auth/PlainServer.h"

#include "auth/SaslFailure.h"
#include "auth/ScramFormulas.h"
#include "common/SecretCompare.h"

#include <exception>

namespace skiff::auth {

using metadata::ScramCredential;
using metadata::ScramMechanism;

PlainServer::PlainServer(CredentialLookup lookup) : m_lookup(std::move(lookup)) {}

Result<std::string> PlainServer::step(std::string_view clientMessage)
{
    if (m_state != State::ExpectMessage) {
        const bool wasComplete = m_state == State::Complete;
        m_state = State::Failed;
        m_user.clear();
        return failedPrecondition(wasComplete
                                      ? "PLAIN exchange is already complete: no further client message is expected"
                                      : "PLAIN exchange has already failed");
    }
    Result<std::string> answer = [&]() -> Result<std::string> {
        try {
            return authenticate(clientMessage);
        } catch (const std::exception &e) {
            // OpenSSL or the credential lookup failed (allocation); what() names the call, no secret.
            return internalError(std::string("PLAIN exchange failed: ") + e.what());
        }
    }();
    if (!answer.isOk())
        m_state = State::Failed;
    return answer;
}

Result<std::string> PlainServer::authenticate(std::string_view message)
{
    // message = [authzid] NUL authcid NUL passwd (RFC 4616); none of the three holds a NUL.
    const size_t first = message.find('\0');
    const size_t second = first == std::string_view::npos ? first : message.find('\0', first + 1);
    if (second == std::string_view::npos || message.find('\0', second + 1) != std::string_view::npos) {
        size_t parts = 1;
        for (const char c : message)
            parts += c == '\0' ? 1 : 0;
        return invalidArgument("invalid SASL/PLAIN message: expected 3 parts [authzid] NUL username NUL password, got "
                               + std::to_string(parts));
    }
    const std::string_view authzid = message.substr(0, first);
    const std::string user(message.substr(first + 1, second - first - 1));
    const std::string_view password = message.substr(second + 1);
    if (user.empty())
        return invalidArgument("Authentication failed: username not specified");
    if (password.empty())
        return invalidArgument("Authentication failed: password not specified");

    // As Kafka's PlainSaslServer: the password first, then the authorization id.
    if (!passwordMatches(user, password))
        return invalidArgument(invalidCredentialsMessage(mechanism()));
    if (!authzid.empty() && authzid != user)
        return invalidArgument(differentAuthorizationIdMessage());
    m_user = user;
    m_state = State::Complete;
    return std::string();
}

// True if `password` gives one of the user's stored SCRAM credentials (SHA-512 tried first).
bool PlainServer::passwordMatches(const std::string &user, std::string_view password) const
{
    bool anyCredential = false;
    bool matches = false;
    for (const ScramMechanism mechanism : {ScramMechanism::Sha512, ScramMechanism::Sha256}) {
        const std::optional<ScramCredential> stored = m_lookup ? m_lookup(user, mechanism) : std::nullopt;
        // Kafka's bounds on iterations: a credential outside them is none (and costs no unbounded work).
        if (!stored || stored->iterations < metadata::kMinScramIterations
            || stored->iterations > metadata::kMaxScramIterations)
            continue;
        anyCredential = true;
        const ScramCredential derived = credentialFromPassword(mechanism, password, stored->salt, stored->iterations);
        if (secretEquals(derived.storedKey, stored->storedKey)) {
            matches = true;
            break;
        }
    }
    if (!anyCredential) {
        // An unknown user costs the same key derivation as a known one, so that the time of the
        // answer does not tell which user names exist.
        (void)credentialFromPassword(ScramMechanism::Sha512, password, "skiff-no-such-user",
                                     metadata::kMinScramIterations);
    }
    return matches;
}

} // namespace skiff::auth
