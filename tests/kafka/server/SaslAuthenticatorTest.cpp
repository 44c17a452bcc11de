// A connection's SASL authentication as frames in and out (SaslAuthenticator): what passes
// before the handshake, the version 1 (SaslAuthenticate) and version 0 (bare tokens) exchanges,
// and each way it ends in a close.

#include "auth/ScramFormulas.h"
#include "kafka/protocol/Codec.h"
#include "kafka/protocol/ErrorCode.h"
#include "kafka/protocol/Requests.h"
#include "kafka/server/SaslAuthenticator.h"

#include <QTest>

using namespace skiff;
using namespace skiff::kafka;
using Action = SaslAuthenticator::Step::Action;

namespace {

// A request frame as the connection hands it over: the API key it read from the header, and the bytes.
struct Frame {
    int16_t apiKey;
    std::string bytes;
};

Frame request(const RequestBody &body, int16_t version, int32_t correlationId = 7)
{
    RequestHeader h;
    h.apiVersion = version;
    h.correlationId = correlationId;
    h.clientId = "test";
    std::string out;
    encodeRequest(out, h, body);
    const int16_t apiKey = std::visit([](const auto &m) -> int16_t {
        if constexpr (requires { std::decay_t<decltype(m)>::kApiKey; })
            return int16_t(std::decay_t<decltype(m)>::kApiKey);
        return -1;
    }, body);
    return {apiKey, std::move(out)};
}

SaslAuthenticator::Step onFrame(SaslAuthenticator &authenticator, const Frame &frame)
{
    return authenticator.onFrame(frame.apiKey, frame.bytes);
}

// A bare token (after a version 0 handshake) has no request header: whatever key the connection
// read from its first bytes is not looked at.
SaslAuthenticator::Step onFrame(SaslAuthenticator &authenticator, const std::string &bareToken)
{
    return authenticator.onFrame(-1, bareToken);
}

// The body of a response frame with a version 0 response header (size, correlation id).
template <class M>
M responseOf(const std::string &frame, int16_t version)
{
    auto m = decodeMessage<M>(std::string_view(frame).substr(8), version);
    if (!m.isOk())
        qFatal("%s", m.status().toString().c_str());
    return *m;
}

SaslAuthenticator alicesListener(std::vector<std::string> mechanisms = {"PLAIN", "SCRAM-SHA-512"})
{
    const metadata::ScramCredential alice =
        auth::credentialFromPassword(metadata::ScramMechanism::Sha512, "alice-secret", "salt-of-alice", 4096);
    return SaslAuthenticator(std::move(mechanisms), [alice](const std::string &user, metadata::ScramMechanism m)
                                 -> std::optional<metadata::ScramCredential> {
        if (user == "alice" && m == metadata::ScramMechanism::Sha512)
            return alice;
        return std::nullopt;
    });
}

std::string plainToken(const std::string &user, const std::string &password)
{
    return std::string(1, '\0') + user + std::string(1, '\0') + password;
}

// alice and bob (password "<name>-secret"), sessions of 1000 ms (KIP-368), on a clock the test moves.
struct ReauthListener {
    SaslAuthenticator::Clock::time_point now{};
    SaslAuthenticator authenticator{{"PLAIN", "SCRAM-SHA-512"},
                                    [](const std::string &user, metadata::ScramMechanism) -> std::optional<metadata::ScramCredential> {
                                        if (user != "alice" && user != "bob")
                                            return std::nullopt;
                                        return auth::credentialFromPassword(metadata::ScramMechanism::Sha512, user + "-secret",
                                                                            "salt-of-" + user, 4096);
                                    },
                                    1000, [this]() { return now; }};

    SaslAuthenticator::Step plain(const std::string &user, int16_t authenticateVersion = 1)
    {
        onFrame(authenticator, request(SaslHandshakeRequest{"PLAIN"}, 1));
        return onFrame(authenticator, request(SaslAuthenticateRequest{plainToken(user, user + "-secret")}, authenticateVersion));
    }
};

} // namespace

class SaslAuthenticatorTest : public QObject {
    Q_OBJECT

private slots:
    void reauthenticationKeepsMechanismAndUserAndExpiredSessionsClose()
    {
        ReauthListener l;
        SaslAuthenticator::Step first = l.plain("alice");
        QCOMPARE(first.outcome, std::optional<bool>(true));
        QCOMPARE(responseOf<SaslAuthenticateResponse>(first.frame, 1).sessionLifetimeMs, int64_t(1000));
        QCOMPARE(int(onFrame(l.authenticator, request(MetadataRequest{}, 9)).action), int(Action::Dispatch));
        // Re-authenticated at 900 ms: a new session of 1000 ms from then.
        l.now += std::chrono::milliseconds(900);
        SaslAuthenticator::Step again = l.plain("alice");
        QCOMPARE(int(again.action), int(Action::Answer));
        QCOMPARE(again.outcome, std::optional<bool>(true));
        QCOMPARE(responseOf<SaslAuthenticateResponse>(again.frame, 1).sessionLifetimeMs, int64_t(1000));
        l.now += std::chrono::milliseconds(900);
        QCOMPARE(int(onFrame(l.authenticator, request(MetadataRequest{}, 9)).action), int(Action::Dispatch));
        // Expired: the next request closes the connection.
        l.now += std::chrono::milliseconds(200);
        SaslAuthenticator::Step expired = onFrame(l.authenticator, request(MetadataRequest{}, 9));
        QCOMPARE(int(expired.action), int(Action::Close));
        QVERIFY2(expired.why.find("expired (connections.max.reauth.ms = 1000)") != std::string::npos, expired.why.c_str());

        // Another user on the same connection is refused and closes it.
        ReauthListener m;
        m.plain("alice");
        SaslAuthenticator::Step bob = m.plain("bob");
        QCOMPARE(int(bob.action), int(Action::AnswerAndClose));
        QCOMPARE(bob.outcome, std::optional<bool>(false));
        const auto refused = responseOf<SaslAuthenticateResponse>(bob.frame, 1);
        QCOMPARE(refused.errorCode, toWire(ErrorCode::SaslAuthenticationFailed));
        QCOMPARE(refused.errorMessage.value_or(""), std::string("Cannot change principals during re-authentication from User:alice to User:bob"));

        // Another mechanism is refused at the handshake.
        ReauthListener n;
        n.plain("alice");
        SaslAuthenticator::Step scram = onFrame(n.authenticator, request(SaslHandshakeRequest{"SCRAM-SHA-512"}, 1));
        QCOMPARE(int(scram.action), int(Action::AnswerAndClose));
        QCOMPARE(responseOf<SaslHandshakeResponse>(scram.frame, 1).errorCode, toWire(ErrorCode::UnsupportedSaslMechanism));

        // A SaslAuthenticate v0 client learns no lifetime and is never expired (Kafka's rule).
        ReauthListener o;
        SaslAuthenticator::Step v0 = o.plain("alice", 0);
        QCOMPARE(v0.outcome, std::optional<bool>(true));
        o.now += std::chrono::hours(1);
        QCOMPARE(int(onFrame(o.authenticator, request(MetadataRequest{}, 9)).action), int(Action::Dispatch));
    }

    void apiVersionsPassesAndOtherRequestsCloseBeforeTheHandshake()
    {
        SaslAuthenticator a = alicesListener();
        QCOMPARE(int(onFrame(a, request(ApiVersionsRequest{}, 3)).action), int(Action::Dispatch));
        const SaslAuthenticator::Step metadata = onFrame(a, request(MetadataRequest{}, 9));
        QCOMPARE(int(metadata.action), int(Action::Close));
        QVERIFY2(metadata.why.find("Metadata before SASL authentication") != std::string::npos, metadata.why.c_str());
        QVERIFY(!a.authenticated());
        QCOMPARE(int(onFrame(a, Frame{-1, "\x01"}).action), int(Action::Close));   // not even a header
    }

    void plainOverSaslAuthenticate()
    {
        SaslAuthenticator a = alicesListener();
        SaslAuthenticator::Step hs = onFrame(a, request(SaslHandshakeRequest{"PLAIN"}, 1));
        QCOMPARE(int(hs.action), int(Action::Answer));
        const auto handshake = responseOf<SaslHandshakeResponse>(hs.frame, 1);
        QCOMPARE(handshake.errorCode, int16_t(0));
        QCOMPARE(handshake.mechanisms, (std::vector<std::string>{"PLAIN", "SCRAM-SHA-512"}));
        // After a version 1 handshake only SaslAuthenticate is taken.
        SaslAuthenticator b = alicesListener();
        onFrame(b, request(SaslHandshakeRequest{"PLAIN"}, 1));
        QCOMPARE(int(onFrame(b, request(ApiVersionsRequest{}, 3)).action), int(Action::Close));

        SaslAuthenticator::Step auth = onFrame(a, request(SaslAuthenticateRequest{plainToken("alice", "alice-secret")}, 1));
        QCOMPARE(int(auth.action), int(Action::Answer));
        QCOMPARE(auth.outcome, std::optional<bool>(true));
        QCOMPARE(auth.mechanism, std::string("PLAIN"));
        const auto response = responseOf<SaslAuthenticateResponse>(auth.frame, 1);
        QCOMPARE(response.errorCode, int16_t(0));
        QVERIFY(a.authenticated());
        QCOMPARE(a.user(), std::string("alice"));
        // Authenticated: everything goes to the dispatcher, a second handshake too (it answers
        // ILLEGAL_SASL_STATE as Kafka does).
        QCOMPARE(int(onFrame(a, request(MetadataRequest{}, 9)).action), int(Action::Dispatch));
        QCOMPARE(int(onFrame(a, request(SaslHandshakeRequest{"PLAIN"}, 1)).action), int(Action::Dispatch));
    }

    void aWrongPasswordIsAnsweredAndClosed()
    {
        SaslAuthenticator a = alicesListener();
        onFrame(a, request(SaslHandshakeRequest{"PLAIN"}, 1));
        SaslAuthenticator::Step auth = onFrame(a, request(SaslAuthenticateRequest{plainToken("alice", "guess")}, 1));
        QCOMPARE(int(auth.action), int(Action::AnswerAndClose));
        QCOMPARE(auth.outcome, std::optional<bool>(false));
        const auto response = responseOf<SaslAuthenticateResponse>(auth.frame, 1);
        QCOMPARE(response.errorCode, toWire(ErrorCode::SaslAuthenticationFailed));
        QVERIFY(response.errorMessage && response.errorMessage->find("invalid credentials") != std::string::npos);
        QVERIFY(auth.why.find("guess") == std::string::npos);   // no secret in the log line
        QVERIFY(!a.authenticated());
    }

    void aMechanismNotEnabledIsRefusedWithTheEnabledOnes()
    {
        SaslAuthenticator a = alicesListener({"SCRAM-SHA-512"});
        SaslAuthenticator::Step hs = onFrame(a, request(SaslHandshakeRequest{"PLAIN"}, 1));
        QCOMPARE(int(hs.action), int(Action::AnswerAndClose));
        const auto handshake = responseOf<SaslHandshakeResponse>(hs.frame, 1);
        QCOMPARE(handshake.errorCode, toWire(ErrorCode::UnsupportedSaslMechanism));
        QCOMPARE(handshake.mechanisms, std::vector<std::string>{"SCRAM-SHA-512"});
        QVERIFY2(hs.why.find("'PLAIN' is not enabled on this listener (sasl.enabled.mechanisms: SCRAM-SHA-512)") != std::string::npos,
                 hs.why.c_str());
        SaslAuthenticator b = alicesListener();
        QCOMPARE(int(onFrame(b, request(SaslHandshakeRequest{"GSSAPI"}, 1)).action), int(Action::AnswerAndClose));
    }

    void versionZeroExchangesBareTokens()
    {
        SaslAuthenticator a = alicesListener();
        QCOMPARE(int(onFrame(a, request(SaslHandshakeRequest{"PLAIN"}, 0)).action), int(Action::Answer));
        SaslAuthenticator::Step token = onFrame(a, plainToken("alice", "alice-secret"));
        QCOMPARE(int(token.action), int(Action::Answer));
        QCOMPARE(token.frame, std::string(4, '\0'));   // an empty token, size-prefixed
        QVERIFY(a.authenticated());

        SaslAuthenticator b = alicesListener();
        onFrame(b, request(SaslHandshakeRequest{"PLAIN"}, 0));
        SaslAuthenticator::Step refused = onFrame(b, plainToken("alice", "guess"));
        QCOMPARE(int(refused.action), int(Action::Close));   // version 0 has no place for an error
        QCOMPARE(refused.outcome, std::optional<bool>(false));
    }

    void scramSha512OverSaslAuthenticate()
    {
        using auth::hmac;
        using metadata::ScramMechanism;
        SaslAuthenticator a = alicesListener();
        onFrame(a, request(SaslHandshakeRequest{"SCRAM-SHA-512"}, 1));
        const std::string clientFirstBare = "n=alice,r=clientnonce123";
        SaslAuthenticator::Step first = onFrame(a, request(SaslAuthenticateRequest{"n,," + clientFirstBare}, 1));
        QCOMPARE(int(first.action), int(Action::Answer));
        const std::string serverFirst = responseOf<SaslAuthenticateResponse>(first.frame, 1).authBytes;
        QVERIFY2(serverFirst.rfind("r=clientnonce123", 0) == 0, serverFirst.c_str());
        const std::string nonce = serverFirst.substr(2, serverFirst.find(',') - 2);
        const std::string withoutProof = "c=biws,r=" + nonce;
        const std::string authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
        const std::string salted = auth::saltedPassword(ScramMechanism::Sha512, "alice-secret", "salt-of-alice", 4096);
        const std::string clientKey = hmac(ScramMechanism::Sha512, salted, "Client Key");
        std::string proof = hmac(ScramMechanism::Sha512, auth::hash(ScramMechanism::Sha512, clientKey), authMessage);
        for (size_t i = 0; i < proof.size(); ++i)
            proof[i] = char(proof[i] ^ clientKey[i]);
        const QByteArray proof64 = QByteArray(proof.data(), qsizetype(proof.size())).toBase64();
        SaslAuthenticator::Step last =
            onFrame(a, request(SaslAuthenticateRequest{withoutProof + ",p=" + proof64.toStdString()}, 1));
        QCOMPARE(int(last.action), int(Action::Answer));
        QCOMPARE(last.outcome, std::optional<bool>(true));
        const std::string serverFinal = responseOf<SaslAuthenticateResponse>(last.frame, 1).authBytes;
        const std::string signature = hmac(ScramMechanism::Sha512, hmac(ScramMechanism::Sha512, salted, "Server Key"), authMessage);
        QCOMPARE(serverFinal, "v=" + QByteArray(signature.data(), qsizetype(signature.size())).toBase64().toStdString());
        QCOMPARE(a.user(), std::string("alice"));
    }
};

QTEST_GUILESS_MAIN(SaslAuthenticatorTest)
#include "SaslAuthenticatorTest.moc"
