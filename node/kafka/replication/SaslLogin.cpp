#include "kafka/replication/SaslLogin.h"

#include "kafka/protocol/ApiKeys.h"
#include "kafka/protocol/ByteWriter.h"
#include "kafka/protocol/Codec.h"
#include "kafka/protocol/ErrorCode.h"
#include "kafka/protocol/RequestHeader.h"
#include "kafka/protocol/messages/Sasl.h"

#include <algorithm>

namespace skiff::kafka {

namespace {

constexpr int16_t kHandshakeVersion = 1;      // the tokens travel in SaslAuthenticate
constexpr int16_t kAuthenticateVersion = 2;   // v1+: the session lifetime (KIP-368)

std::string joined(const std::vector<std::string> &items)
{
    std::string out;
    for (const std::string &item : items)
        out += (out.empty() ? "" : ", ") + item;
    return out;
}

} // namespace

SaslLogin::SaslLogin(const SaslCredentials &credentials, std::string clientId, std::function<int32_t()> nextCorrelationId)
    : m_mechanism(credentials.mechanism), m_user(credentials.user), m_clientId(std::move(clientId)),
      m_nextCorrelationId(std::move(nextCorrelationId)),
      m_client(auth::makeSaslClient(credentials.mechanism, credentials.user, credentials.password))
{
}

SaslLogin::~SaslLogin() = default;

std::string SaslLogin::request(int16_t apiKey, int16_t version, const std::function<void(std::string &)> &body)
{
    m_correlationId = m_nextCorrelationId();
    std::string frame(4, '\0');
    encodeRequestHeader(frame, RequestHeader{apiKey, version, m_correlationId, m_clientId});
    body(frame);
    ByteWriter(frame).patchInt32(0, int32_t(frame.size() - 4));
    return frame;
}

std::string SaslLogin::start()
{
    m_state = State::Handshake;
    return request(int16_t(ApiKey::SaslHandshake), kHandshakeVersion, [&](std::string &out) {
        encodeMessage(out, SaslHandshakeRequest{m_mechanism}, kHandshakeVersion);
    });
}

Result<SaslLogin::Step> SaslLogin::onResponse(std::string_view frame)
{
    switch (m_state) {
    case State::Handshake:
        return onHandshake(frame);
    case State::Authenticate:
        return onAuthenticate(frame);
    case State::Done:
        break;
    }
    return failedPrecondition("an answer arrived after the SASL exchange was complete");
}

Result<SaslLogin::Step> SaslLogin::onHandshake(std::string_view frame)
{
    auto header = decodeResponseHeader(frame, responseHeaderVersion(ApiKey::SaslHandshake, kHandshakeVersion));
    if (!header.isOk())
        return header.status();
    if (header->correlationId != m_correlationId)
        return invalidArgument("SaslHandshake answered with correlation id " + std::to_string(header->correlationId));
    auto response = decodeMessage<SaslHandshakeResponse>(frame.substr(header->bodyOffset), kHandshakeVersion);
    if (!response.isOk())
        return response.status();
    if (response->errorCode == int16_t(ErrorCode::UnsupportedSaslMechanism))
        return failedPrecondition("the leader's listener does not enable " + m_mechanism + " (it enables "
                                  + joined(response->mechanisms)
                                  + "); set sasl.mechanism.inter.broker.protocol to one of them");
    if (response->errorCode != 0)
        return failedPrecondition(std::string("SaslHandshake refused: ") + errorCodeName(ErrorCode(response->errorCode)));
    if (!m_client)
        return invalidArgument("no client for SASL mechanism " + m_mechanism);
    Result<std::string> first = m_client->start();
    if (!first.isOk())
        return first.status();
    m_state = State::Authenticate;
    return Step{request(int16_t(ApiKey::SaslAuthenticate), kAuthenticateVersion,
                        [&](std::string &out) {
                            encodeMessage(out, SaslAuthenticateRequest{first.value()}, kAuthenticateVersion);
                        }),
                false, 0};
}

Result<SaslLogin::Step> SaslLogin::onAuthenticate(std::string_view frame)
{
    auto header = decodeResponseHeader(frame, responseHeaderVersion(ApiKey::SaslAuthenticate, kAuthenticateVersion));
    if (!header.isOk())
        return header.status();
    if (header->correlationId != m_correlationId)
        return invalidArgument("SaslAuthenticate answered with correlation id " + std::to_string(header->correlationId));
    auto response = decodeMessage<SaslAuthenticateResponse>(frame.substr(header->bodyOffset), kAuthenticateVersion);
    if (!response.isOk())
        return response.status();
    if (response->errorCode != 0)
        return failedPrecondition(std::string(errorCodeName(ErrorCode(response->errorCode))) + ": "
                                + response->errorMessage.value_or("(no message)"));
    Result<std::string> next = m_client->step(response->authBytes);
    if (!next.isOk())
        return next.status();
    if (m_client->complete()) {
        m_state = State::Done;
        return Step{std::nullopt, true, response->sessionLifetimeMs};
    }
    return Step{request(int16_t(ApiKey::SaslAuthenticate), kAuthenticateVersion,
                        [&](std::string &out) {
                            encodeMessage(out, SaslAuthenticateRequest{next.value()}, kAuthenticateVersion);
                        }),
                false, 0};
}

} // namespace skiff::kafka
