// The client side of SCRAM and PLAIN (a follower authenticating to its leader), checked against
// the server side the leader runs: RFC 7677's published SCRAM-SHA-256 exchange byte for byte,
// full exchanges with ScramServer and PlainServer for every mechanism, a wrong password refused by
// the server, and a server that does not hold the credential refused by the client.

#include "auth/SaslClient.h"
#include "auth/SaslServer.h"
#include "auth/ScramClient.h"
#include "auth/ScramFormulas.h"
#include "auth/ScramServer.h"

#include <QByteArray>
#include <QTest>

#include <map>

using namespace skiff;
using namespace skiff::auth;

namespace {

// alice's credentials as the image would hold them after `skiffctl users set alice`.
CredentialLookup aliceWith(const std::string &password)
{
    auto credentials = std::make_shared<std::map<ScramMechanism, ScramCredential>>();
    for (ScramMechanism m : {ScramMechanism::Sha256, ScramMechanism::Sha512})
        (*credentials)[m] = credentialFromPassword(m, password, randomBytes(16), 4096);
    return [credentials](const std::string &user, ScramMechanism m) -> std::optional<ScramCredential> {
        if (user != "alice")
            return std::nullopt;
        return credentials->at(m);
    };
}

struct Outcome {
    bool clientComplete = false;
    bool serverComplete = false;
    std::string serverUser;
    std::string failure;   // the first failed step's message
};

// Runs the exchange as SaslAuthenticate would carry it: client message -> server answer -> ...
Outcome run(SaslClient &client, SaslServer &server)
{
    Outcome out;
    Result<std::string> message = client.start();
    for (int round = 0; round < 4 && message.isOk(); ++round) {
        const Result<std::string> answer = server.step(message.value());
        if (!answer.isOk()) {
            out.failure = "server: " + answer.status().message();
            break;
        }
        message = client.step(answer.value());
        if (!message.isOk()) {
            out.failure = "client: " + message.status().message();
            break;
        }
        if (client.complete())
            break;
    }
    out.clientComplete = client.complete();
    out.serverComplete = server.complete();
    out.serverUser = server.user();
    return out;
}

} // namespace

class SaslClientTest : public QObject {
    Q_OBJECT

private slots:
    // RFC 7677 section 3: the client's messages byte for byte, and the server's signature accepted.
    void rfc7677Sha256Exchange()
    {
        ScramClient client(ScramMechanism::Sha256, "user", "pencil", [] { return std::string("rOprNGfwEbeRWgbNEkqO"); });
        QCOMPARE(client.start().value(), std::string("n,,n=user,r=rOprNGfwEbeRWgbNEkqO"));
        const Result<std::string> final =
            client.step("r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096");
        QVERIFY2(final.isOk(), final.status().message().c_str());
        QCOMPARE(final.value(),
                 std::string("c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
                             "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="));
        QVERIFY(!client.complete());
        const Result<std::string> end = client.step("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=");
        QVERIFY2(end.isOk(), end.status().message().c_str());
        QVERIFY(end->empty());
        QVERIFY(client.complete());
    }

    void everyMechanismAuthenticatesAgainstTheServerSide_data()
    {
        QTest::addColumn<QString>("mechanism");
        QTest::newRow("PLAIN") << "PLAIN";
        QTest::newRow("SCRAM-SHA-256") << "SCRAM-SHA-256";
        QTest::newRow("SCRAM-SHA-512") << "SCRAM-SHA-512";
    }
    void everyMechanismAuthenticatesAgainstTheServerSide()
    {
        QFETCH(QString, mechanism);
        auto client = makeSaslClient(mechanism.toStdString(), "alice", "alice-secret");
        auto server = makeSaslServer(mechanism.toStdString(), aliceWith("alice-secret"));
        QVERIFY(client && server);
        QCOMPARE(client->mechanism(), std::string_view(server->mechanism()));
        const Outcome out = run(*client, *server);
        QVERIFY2(out.failure.empty(), out.failure.c_str());
        QVERIFY(out.clientComplete);
        QVERIFY(out.serverComplete);
        QCOMPARE(out.serverUser, std::string("alice"));
    }

    void aWrongPasswordIsRefusedByTheServer_data() { everyMechanismAuthenticatesAgainstTheServerSide_data(); }
    void aWrongPasswordIsRefusedByTheServer()
    {
        QFETCH(QString, mechanism);
        auto client = makeSaslClient(mechanism.toStdString(), "alice", "not-her-password");
        auto server = makeSaslServer(mechanism.toStdString(), aliceWith("alice-secret"));
        const Outcome out = run(*client, *server);
        QVERIFY(!out.clientComplete);
        QVERIFY(!out.serverComplete);
        QVERIFY2(out.failure.find("server: Authentication failed during authentication due to invalid credentials") == 0,
                 out.failure.c_str());
        QVERIFY(out.failure.find("not-her-password") == std::string::npos);
    }

    // A server that answers with another credential (not the user's: an impostor leader) cannot
    // produce the signature: the client refuses to count the exchange complete.
    void aServerWithoutTheCredentialIsRefused()
    {
        ScramClient client(ScramMechanism::Sha512, "alice", "alice-secret");
        const std::string first = client.start().value();
        const std::string clientNonce = first.substr(first.find(",r=") + 3);
        const std::string serverFirst = "r=" + clientNonce + "impostor,s=" + std::string("c2FsdHNhbHQ=") + ",i=4096";
        const Result<std::string> final = client.step(serverFirst);
        QVERIFY(final.isOk());
        const ScramCredential other = credentialFromPassword(ScramMechanism::Sha512, "guess", "saltsalt", 4096);
        const std::string authMessage = first.substr(3) + "," + serverFirst + "," + final->substr(0, final->find(",p="));
        const QByteArray forged = QByteArray::fromStdString(hmac(ScramMechanism::Sha512, other.serverKey, authMessage)).toBase64();
        const Result<std::string> end = client.step("v=" + forged.toStdString());
        QVERIFY(!end.isOk());
        QVERIFY2(end.status().message().find("the server's SCRAM signature is wrong") != std::string::npos,
                 end.status().message().c_str());
        QVERIFY(!client.complete());
    }

    void badServerFirstMessagesAreRefused_data()
    {
        QTest::addColumn<QString>("serverFirst");
        QTest::addColumn<QString>("expected");
        QTest::newRow("another nonce") << "r=somebodyelse,s=c2FsdA==,i=4096" << "does not extend the client's";
        QTest::newRow("our nonce alone") << "r=NONCE,s=c2FsdA==,i=4096" << "does not extend the client's";
        QTest::newRow("few iterations") << "r=NONCEx,s=c2FsdA==,i=1" << "the iteration count 1 is outside 4096-16384";
        QTest::newRow("salt not base64") << "r=NONCEx,s=!!,i=4096" << "the salt (s=) is not base64";
        QTest::newRow("error") << "e=unknown-user" << "the server refused: unknown-user";
        QTest::newRow("garbage") << "hello" << "is not r=<nonce>,s=<salt>,i=<iterations>";
    }
    void badServerFirstMessagesAreRefused()
    {
        QFETCH(QString, serverFirst);
        QFETCH(QString, expected);
        ScramClient client(ScramMechanism::Sha256, "alice", "alice-secret", [] { return std::string("NONCE"); });
        QVERIFY(client.start().isOk());
        const Result<std::string> r = client.step(serverFirst.toStdString());
        QVERIFY(!r.isOk());
        QVERIFY2(r.status().message().find(expected.toStdString()) != std::string::npos, r.status().message().c_str());
        QVERIFY(!client.step("v=AAAA").isOk());   // a failed exchange stays failed
    }

    // A user name with ',' and '=' travels as RFC 5802's saslname and is the server's user.
    void userNamesAreEscaped()
    {
        ScramClient client(ScramMechanism::Sha256, "a,b=c", "pw", [] { return std::string("n"); });
        QCOMPARE(client.start().value(), std::string("n,,n=a=2Cb=3Dc,r=n"));
    }
};

QTEST_GUILESS_MAIN(SaslClientTest)
#include "SaslClientTest.moc"
