#include "kafka/server/SaslAuthenticator.h"

#include "kafka/protocol/ErrorCode.h"
#include "kafka/protocol/Requests.h"
#include "kafka/protocol/ResponseFrame.h"

#include <algorithm>

namespace skiff::kafka {

namespace {

using Action = SaslAuthenticator::Step::Action;

std::string joined(const std::vector<std::string> &names)
{
    std::string out;
    for (const std::string &n : names)
        out += (out.empty() ? "" : ", ") + n;
    return out.empty() ? "none" : out;
}

template <class M>
SaslAuthenticator::Step answer(const RequestHeader &header, const M &body, Action action = Action::Answer, std::string why = {})
{
    SaslAuthenticator::Step step;
    step.action = action;
    encodeResponseFrame(step.frame, header, body);
    step.why = std::move(why);
    return step;
}

SaslAuthenticator::Step close(std::string why)
{
    SaslAuthenticator::Step step;
    step.action = Action::Close;
    step.why = std::move(why);
    return step;
}

// A SASL token as a version 0 handshake's client expects it: int32 size, then the bytes.
std::string bareFrame(const std::string &token)
{
    const uint32_t n = uint32_t(token.size());
    std::string out{char(n >> 24), char(n >> 16), char(n >> 8), char(n)};
    return out + token;
}

} // namespace

SaslAuthenticator::SaslAuthenticator(std::vector<std::string> enabledMechanisms, auth::CredentialLookup lookup, int64_t reauthMs,
                                     std::function<Clock::time_point()> now)
    : m_enabled(std::move(enabledMechanisms)), m_lookup(std::move(lookup)), m_reauthMs(reauthMs), m_now(std::move(now))
{
}

SaslAuthenticator::~SaslAuthenticator() = default;

SaslAuthenticator::Step SaslAuthenticator::onFrame(int16_t apiKey, std::string_view frame)
{
    switch (m_state) {
    case State::Authenticated: {
        if (!m_expiresAt)
            return {};   // no session lifetime was given: nothing to re-authenticate or expire
        if (apiKey == int16_t(ApiKey::SaslHandshake)) {
            m_reauthenticating = true;
            return handshake(frame);
        }
        if (m_now() >= *m_expiresAt)
            return close("the SASL session of User:" + m_user + " expired (connections.max.reauth.ms = "
                         + std::to_string(m_reauthMs) + ") and the client did not re-authenticate");
        return {};
    }
    case State::AwaitBareToken: return bareToken(frame);
    case State::AwaitHandshake: return handshake(frame);
    case State::AwaitAuthenticate: return authenticate(frame);
    }
    return {};
}

SaslAuthenticator::Step SaslAuthenticator::handshake(std::string_view frame)
{
    auto decoded = decodeRequest(frame);
    if (!decoded.isOk())
        return close("before SASL authentication: " + decoded.status().message());
    const RequestHeader &h = decoded->header;
    if (h.apiKey == int16_t(ApiKey::ApiVersions))
        return {};   // answered as on any listener: clients ask it before the handshake
    const auto *request = std::get_if<SaslHandshakeRequest>(&decoded->body);
    if (!request)
        return close(std::string(apiKeyName(h.apiKey)) + " before SASL authentication (a SaslHandshake must come first; "
                     "is the client configured for SASL on this listener?)");
    SaslHandshakeResponse response;
    response.mechanisms = m_enabled;
    if (m_reauthenticating && request->mechanism != m_mechanism)
        return refuseReauthentication(h, ErrorCode::UnsupportedSaslMechanism,
                                      "re-authentication must use the connection's mechanism " + m_mechanism + ", not "
                                          + request->mechanism);
    if (m_reauthenticating && h.apiVersion < 1)
        return refuseReauthentication(h, ErrorCode::IllegalSaslState, "re-authentication needs SaslHandshake v1 or later");
    const bool enabled = std::find(m_enabled.begin(), m_enabled.end(), request->mechanism) != m_enabled.end();
    if (enabled)
        m_server = auth::makeSaslServer(request->mechanism, m_lookup);
    if (!m_server) {
        response.errorCode = toWire(ErrorCode::UnsupportedSaslMechanism);
        Step step = answer(h, response, Action::AnswerAndClose,
                           "SASL mechanism '" + request->mechanism + "' is not enabled on this listener (sasl.enabled.mechanisms: "
                               + joined(m_enabled) + ")");
        step.outcome = false;
        step.mechanism = request->mechanism;
        return step;
    }
    m_state = h.apiVersion == 0 ? State::AwaitBareToken : State::AwaitAuthenticate;
    return answer(h, response);
}

SaslAuthenticator::Step SaslAuthenticator::authenticate(std::string_view frame)
{
    auto decoded = decodeRequest(frame);
    if (!decoded.isOk())
        return close("during SASL authentication: " + decoded.status().message());
    const RequestHeader &h = decoded->header;
    const auto *request = std::get_if<SaslAuthenticateRequest>(&decoded->body);
    if (!request)
        return close(std::string(apiKeyName(h.apiKey)) + " during SASL authentication (expected SaslAuthenticate)");
    Result<std::string> reply = m_server->step(request->authBytes);
    SaslAuthenticateResponse response;
    if (!reply.isOk()) {
        response.errorCode = toWire(ErrorCode::SaslAuthenticationFailed);
        response.errorMessage = reply.status().message();
        Step step = answer(h, response, Action::AnswerAndClose, reply.status().message());
        step.outcome = false;
        step.mechanism = std::string(m_server->mechanism());
        return step;
    }
    if (m_server->complete() && m_reauthenticating && m_server->user() != m_user) {
        // KIP-368: a connection keeps its principal.
        response.errorCode = toWire(ErrorCode::SaslAuthenticationFailed);
        response.errorMessage = "Cannot change principals during re-authentication from User:" + m_user + " to User:" + m_server->user();
        Step step = answer(h, response, Action::AnswerAndClose, *response.errorMessage);
        step.outcome = false;
        step.mechanism = std::string(m_server->mechanism());
        return step;
    }
    response.authBytes = *reply;
    // v1+ clients learn how long the session lasts (KIP-368) and re-authenticate before then.
    const bool lifetime = m_server->complete() && h.apiVersion >= 1 && m_reauthMs > 0;
    if (lifetime)
        response.sessionLifetimeMs = m_reauthMs;
    const Clock::time_point started = m_now();
    Step step = finished(answer(h, response));
    if (lifetime)
        m_expiresAt = started + std::chrono::milliseconds(m_reauthMs);
    return step;
}

SaslAuthenticator::Step SaslAuthenticator::bareToken(std::string_view frame)
{
    Result<std::string> reply = m_server->step(frame);
    if (!reply.isOk()) {
        // A version 0 client has no place for an error: it sees the connection close.
        Step step = close(reply.status().message());
        step.outcome = false;
        step.mechanism = std::string(m_server->mechanism());
        return step;
    }
    Step step;
    step.action = Action::Answer;
    step.frame = bareFrame(*reply);
    return finished(std::move(step));
}

SaslAuthenticator::Step SaslAuthenticator::finished(Step step)
{
    if (!m_server->complete())
        return step;
    m_state = State::Authenticated;
    m_user = m_server->user();
    m_mechanism = std::string(m_server->mechanism());
    m_reauthenticating = false;
    step.outcome = true;
    step.mechanism = m_mechanism;
    m_server.reset();
    return step;
}

SaslAuthenticator::Step SaslAuthenticator::refuseReauthentication(const RequestHeader &header, ErrorCode code, std::string why)
{
    SaslHandshakeResponse response;
    response.errorCode = toWire(code);
    response.mechanisms = {m_mechanism};
    Step step = answer(header, response, Action::AnswerAndClose, std::move(why));
    step.outcome = false;
    step.mechanism = m_mechanism;
    return step;
}

} // namespace skiff::kafka
