// The SCRAM server exchange (RFC 5802, RFC 7677) as Kafka's broker runs it: RFC 7677's published
// SCRAM-SHA-256 exchange byte for byte, and SCRAM-SHA-512 exchanges against a client computed
// here from ScramFormulas, with every way a client message can be wrong.

#include "auth/SaslFailure.h"
#include "auth/ScramFormulas.h"
#include "auth/ScramServer.h"

#include <QByteArray>
#include <QTest>

#include <map>

using namespace skiff;
using namespace skiff::auth;

namespace {

std::string fromBase64(std::string_view text)
{
    const QByteArray raw = QByteArray::fromBase64(QByteArray(text.data(), qsizetype(text.size())));
    return std::string(raw.constData(), size_t(raw.size()));
}

std::string toBase64(std::string_view bytes)
{
    const QByteArray text = QByteArray(bytes.data(), qsizetype(bytes.size())).toBase64();
    return std::string(text.constData(), size_t(text.size()));
}

const char kInvalid512[] =
    "Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512";

// Users and their credentials as a metadata image would hold them.
struct Users {
    std::map<std::pair<std::string, ScramMechanism>, ScramCredential> credentials;

    void add(const std::string &user, ScramMechanism mechanism, const std::string &password, int32_t iterations = 4096)
    {
        credentials[{user, mechanism}] = credentialFromPassword(mechanism, password, randomBytes(16), iterations);
    }
    CredentialLookup lookup() const
    {
        return [this](const std::string &user, ScramMechanism mechanism) -> std::optional<ScramCredential> {
            const auto it = credentials.find({user, mechanism});
            return it == credentials.end() ? std::nullopt : std::optional(it->second);
        };
    }
};

// The client side of an exchange, computed from the RFC 5802 formulas.
struct Client {
    ScramMechanism mechanism = ScramMechanism::Sha512;
    std::string password;
    std::string gs2Header = "n,,";
    std::string clientFirstBare;   // "n=...,r=..."
    std::string serverFirst;
    std::string nonce;             // the combined nonce from server-first
    std::string salt;
    int32_t iterations = 0;
    std::string expectedServerFinal;

    std::string first(const std::string &saslName, const std::string &clientNonce = "fyko+d2lbbFgONRv9qkxdawL",
                      const std::string &extensions = "")
    {
        clientFirstBare = "n=" + saslName + ",r=" + clientNonce + extensions;
        return gs2Header + clientFirstBare;
    }

    bool readServerFirst(const std::string &message)
    {
        serverFirst = message;
        const QList<QByteArray> parts = QByteArray::fromStdString(message).split(',');
        if (parts.size() != 3 || !parts[0].startsWith("r=") || !parts[1].startsWith("s=") || !parts[2].startsWith("i="))
            return false;
        nonce = parts[0].mid(2).toStdString();
        salt = fromBase64(parts[1].mid(2).toStdString());
        iterations = parts[2].mid(2).toInt();
        return true;
    }

    // client-final for `nonceToSend` (the server's combined nonce unless a test alters it) and
    // `channelBinding` (base64 of the gs2 header unless altered).
    std::string final(std::optional<std::string> nonceToSend = std::nullopt,
                      std::optional<std::string> channelBinding = std::nullopt)
    {
        const std::string withoutProof =
            "c=" + channelBinding.value_or(toBase64(gs2Header)) + ",r=" + nonceToSend.value_or(nonce);
        const std::string authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
        const std::string salted = saltedPassword(mechanism, password, salt, iterations);
        const std::string clientKey = hmac(mechanism, salted, "Client Key");
        const std::string clientSignature = hmac(mechanism, hash(mechanism, clientKey), authMessage);
        std::string proof = clientKey;
        for (size_t i = 0; i < proof.size(); ++i)
            proof[i] = char(proof[i] ^ clientSignature[i]);
        expectedServerFinal = "v=" + toBase64(hmac(mechanism, hmac(mechanism, salted, "Server Key"), authMessage));
        return withoutProof + ",p=" + toBase64(proof);
    }
};

// The message of the failed step, checked to hold neither the password nor anything of the proof.
std::string failure(const Result<std::string> &result, const std::string &clientMessage = "")
{
    if (result.isOk())
        return "(no failure: answered " + result.value() + ")";
    const std::string message = result.status().message();
    if (message.find("pencil") != std::string::npos || message.find("s3cret") != std::string::npos)
        return "(the message holds the password)";
    if (const size_t p = clientMessage.find(",p="); p != std::string::npos
        && message.find(clientMessage.substr(p + 3, 12)) != std::string::npos)
        return "(the message holds the proof)";
    return message;
}

} // namespace

class ScramServerTest : public QObject {
    Q_OBJECT

private slots:
    // RFC 7677 section 3, byte for byte (the server signature is the RFC's "...LTJRsjl95G4=",
    // as Python's hmac computes it too).
    void rfc7677Sha256Exchange()
    {
        const ScramCredential credential =
            credentialFromPassword(ScramMechanism::Sha256, "pencil", fromBase64("W22ZaJ0SNY7soEsUEjb6gQ=="), 4096);
        std::vector<std::string> asked;
        ScramServer server(
            ScramMechanism::Sha256,
            [&](const std::string &user, ScramMechanism mechanism) -> std::optional<ScramCredential> {
                asked.push_back(user);
                return mechanism == ScramMechanism::Sha256 ? std::optional(credential) : std::nullopt;
            },
            [] { return std::string("%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0"); });
        QCOMPARE(server.mechanism(), std::string_view("SCRAM-SHA-256"));

        const Result<std::string> serverFirst = server.step("n,,n=user,r=rOprNGfwEbeRWgbNEkqO");
        QVERIFY2(serverFirst.isOk(), serverFirst.status().message().c_str());
        QCOMPARE(serverFirst.value(), std::string("r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"));
        QCOMPARE(asked, std::vector<std::string>{"user"});
        QVERIFY(!server.complete());
        QCOMPARE(server.user(), std::string());

        const Result<std::string> serverFinal = server.step(
            "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=");
        QVERIFY2(serverFinal.isOk(), serverFinal.status().message().c_str());
        QCOMPARE(serverFinal.value(), std::string("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="));
        QVERIFY(server.complete());
        QCOMPARE(server.user(), std::string("user"));

        // Nothing follows the server-final message.
        const Result<std::string> more = server.step("c=biws");
        QVERIFY(!more.isOk());
        QVERIFY(more.status().message().find("already complete") != std::string::npos);
        QVERIFY(!server.complete());
    }

    void randomServerNonces()
    {
        const std::string a = ScramServer::randomNonce();
        QCOMPARE(a.size(), size_t(32));
        QVERIFY(a != ScramServer::randomNonce());
        QVERIFY(a.find(',') == std::string::npos);
    }

    // librdkafka before 2.2 puts its client nonce before the combined one in client-final;
    // Kafka's broker takes a nonce that ends with the exchange's, and so does Skiff.
    void aClientFinalNonceWithTheClientNonceRepeatedIsTaken()
    {
        Users users;
        users.add("alice", ScramMechanism::Sha512, "s3cret");
        ScramServer server(ScramMechanism::Sha512, users.lookup());
        Client client{.password = "s3cret"};
        const Result<std::string> serverFirst = server.step(client.first("alice"));
        QVERIFY(serverFirst.isOk());
        QVERIFY(client.readServerFirst(serverFirst.value()));
        const Result<std::string> serverFinal = server.step(client.final("fyko+d2lbbFgONRv9qkxdawL" + client.nonce));
        QVERIFY2(serverFinal.isOk(), serverFinal.status().message().c_str());
        QVERIFY(server.complete());
    }

    // Escaped names: "al,ice=b" is n=al=2Cice=3Db.
    void sha512ExchangeWithEscapedName()
    {
        Users users;
        users.add("al,ice=b", ScramMechanism::Sha512, "s3cret");
        users.add("al,ice=b", ScramMechanism::Sha256, "other");
        ScramServer server(ScramMechanism::Sha512, users.lookup());
        Client client{.password = "s3cret"};
        const Result<std::string> serverFirst = server.step(client.first("al=2Cice=3Db"));
        QVERIFY2(serverFirst.isOk(), serverFirst.status().message().c_str());
        QVERIFY(client.readServerFirst(serverFirst.value()));
        QVERIFY(client.nonce.starts_with("fyko+d2lbbFgONRv9qkxdawL"));
        QVERIFY(client.nonce.size() > std::string("fyko+d2lbbFgONRv9qkxdawL").size());
        QCOMPARE(client.salt, (users.credentials[{"al,ice=b", ScramMechanism::Sha512}].salt));
        QCOMPARE(client.iterations, 4096);
        const Result<std::string> serverFinal = server.step(client.final());
        QVERIFY2(serverFinal.isOk(), serverFinal.status().message().c_str());
        QCOMPARE(serverFinal.value(), client.expectedServerFinal);
        QVERIFY(server.complete());
        QCOMPARE(server.user(), std::string("al,ice=b"));
        QCOMPARE(server.mechanism(), std::string_view("SCRAM-SHA-512"));
    }

    // gs2 header "y,," and an authorization id equal to the user (escaped the same way); other
    // extensions are ignored as Kafka does (but are part of the AuthMessage).
    void sha512WithAuthzidAndExtensions()
    {
        Users users;
        users.add("a=b", ScramMechanism::Sha512, "s3cret", 8192);
        for (const std::string header : {"y,,", "n,a=a=3Db,", "y,a=a=3Db,"}) {
            ScramServer server(ScramMechanism::Sha512, users.lookup());
            Client client{.password = "s3cret", .gs2Header = header};
            const Result<std::string> serverFirst = server.step(client.first("a=3Db", "abc", ",foo=bar,tokenauth=false"));
            QVERIFY2(serverFirst.isOk(), serverFirst.status().message().c_str());
            QVERIFY(client.readServerFirst(serverFirst.value()));
            QCOMPARE(client.iterations, 8192);
            const Result<std::string> serverFinal = server.step(client.final());
            QVERIFY2(serverFinal.isOk(), serverFinal.status().message().c_str());
            QCOMPARE(serverFinal.value(), client.expectedServerFinal);
            QCOMPARE(server.user(), std::string("a=b"));
        }
    }

    // Unknown user (at the first message) and wrong password (at the final one): one message.
    void unknownUserAndWrongPasswordFailAlike()
    {
        Users users;
        users.add("alice", ScramMechanism::Sha512, "s3cret");
        users.add("bob", ScramMechanism::Sha256, "s3cret");   // no SCRAM-SHA-512 credential
        for (const std::string name : {"mallory", "bob"}) {
            ScramServer server(ScramMechanism::Sha512, users.lookup());
            Client client{.password = "s3cret"};
            const Result<std::string> first = server.step(client.first(name));
            QCOMPARE(failure(first), std::string(kInvalid512));
            QCOMPARE(first.status().message(), invalidCredentialsMessage("SCRAM-SHA-512"));
            QVERIFY(!server.complete());
            QVERIFY(!server.step(client.first(name)).isOk());   // the exchange is over
        }
        ScramServer server(ScramMechanism::Sha512, users.lookup());
        Client client{.password = "pencil"};
        QVERIFY(client.readServerFirst(server.step(client.first("alice")).value()));
        const std::string final = client.final();
        QCOMPARE(failure(server.step(final), final), std::string(kInvalid512));
        QVERIFY(!server.complete());
        QCOMPARE(server.user(), std::string());
        const Result<std::string> after = server.step(final);
        QVERIFY(after.status().message().find("already failed") != std::string::npos);
    }

    void clientFinalMistakes_data()
    {
        QTest::addColumn<QString>("alteration");
        QTest::addColumn<QString>("expected");
        QTest::newRow("wrong nonce") << "nonce" << "invalid SCRAM client-final message: the nonce (r=) is not the one of this exchange";
        QTest::newRow("client nonce only") << "client nonce" << "invalid SCRAM client-final message: the nonce (r=) is not the one of this exchange";
        QTest::newRow("altered c=") << "c" << "invalid SCRAM client-final message: the channel binding (c=) is not the gs2 header of the client-first message";
        QTest::newRow("c= not base64") << "c64" << "invalid SCRAM client-final message: the channel binding (c=) is not base64";
        QTest::newRow("no c=") << "no c" << "invalid SCRAM client-final message: the channel binding (c=) is missing";
        QTest::newRow("no r=") << "no r" << "invalid SCRAM client-final message: the nonce (r=) is missing";
        QTest::newRow("no p=") << "no p" << "invalid SCRAM client-final message: the proof (p=) is missing or not the last attribute";
        QTest::newRow("short proof") << "short p" << "invalid SCRAM client-final message: the proof (p=) has 32 bytes where SCRAM-SHA-512 has 64";
        QTest::newRow("proof not base64") << "p64" << "invalid SCRAM client-final message: the proof (p=) is not base64";
        QTest::newRow("padding inside the proof") << "pad" << "invalid SCRAM client-final message: the proof (p=) is not base64";
        QTest::newRow("bad extension") << "ext" << "invalid SCRAM client-final message: attribute 3 is not an extension name=value";
    }

    void clientFinalMistakes()
    {
        QFETCH(QString, alteration);
        QFETCH(QString, expected);
        Users users;
        users.add("alice", ScramMechanism::Sha512, "s3cret");
        ScramServer server(ScramMechanism::Sha512, users.lookup());
        Client client{.password = "s3cret"};
        QVERIFY(client.readServerFirst(server.step(client.first("alice")).value()));
        std::string final;
        const std::string a = alteration.toStdString();
        if (a == "nonce")
            final = client.final(client.nonce + "x");
        else if (a == "client nonce")
            final = client.final("fyko+d2lbbFgONRv9qkxdawL");
        else if (a == "c")
            final = client.final(std::nullopt, toBase64("y,,"));
        else if (a == "c64")
            final = client.final(std::nullopt, "biw");
        else if (a == "no c")
            final = client.final().substr(client.final().find(",r=") + 1);
        else if (a == "no r") {
            final = client.final();
            final.erase(final.find(",r="), final.find(",p=") - final.find(",r="));
        } else if (a == "no p")
            final = client.final().substr(0, client.final().find(",p="));
        else if (a == "short p")
            final = client.final().substr(0, client.final().find(",p=")) + ",p=" + toBase64(std::string(32, 'x'));
        else if (a == "p64")
            final = client.final() + "*";
        else if (a == "pad")
            final = client.final().substr(0, client.final().find(",p=")) + ",p=AA==AAAA";
        else if (a == "ext") {
            final = client.final();
            final.insert(final.find(",p="), ",x");
        }
        QCOMPARE(failure(server.step(final), final), expected.toStdString());
        QVERIFY(!server.complete());
    }

    void clientFirstMistakes_data()
    {
        QTest::addColumn<QByteArray>("message");
        QTest::addColumn<QString>("expected");
        const QString prefix = "invalid SCRAM client-first message: ";
        QTest::newRow("channel binding") << QByteArray("p=tls-unique,,n=alice,r=abc")
                                         << prefix + "the client requests channel binding (gs2 header p=), which Skiff does not offer; a client without channel binding sends n or y";
        QTest::newRow("empty") << QByteArray() << prefix + "it does not start with a gs2 header \"n,\" or \"y,\"";
        QTest::newRow("no gs2 header") << QByteArray("n=alice,r=abc") << prefix + "it does not start with a gs2 header \"n,\" or \"y,\"";
        QTest::newRow("unfinished gs2 header") << QByteArray("n,a=alice") << prefix + "the gs2 header does not end with ','";
        QTest::newRow("authzid without a=") << QByteArray("n,alice,n=alice,r=abc")
                                            << prefix + "the authorization id in the gs2 header is not a=<saslname> (with ',' as =2C and '=' as =3D)";
        QTest::newRow("no user") << QByteArray("n,,r=abc") << prefix + "the user name (n=) is missing";
        QTest::newRow("empty user") << QByteArray("n,,n=,r=abc") << prefix + "the user name (n=) is empty or has an '=' that is not =2C or =3D";
        QTest::newRow("bad escape") << QByteArray("n,,n=al=2Bice,r=abc") << prefix + "the user name (n=) is empty or has an '=' that is not =2C or =3D";
        QTest::newRow("cut escape") << QByteArray("n,,n=alice=2,r=abc") << prefix + "the user name (n=) is empty or has an '=' that is not =2C or =3D";
        QTest::newRow("no nonce") << QByteArray("n,,n=alice") << prefix + "the nonce (r=) is missing";
        QTest::newRow("empty nonce") << QByteArray("n,,n=alice,r=") << prefix + "the nonce (r=) is empty or not printable ASCII";
        QTest::newRow("nonce with space") << QByteArray("n,,n=alice,r=a c") << prefix + "the nonce (r=) is empty or not printable ASCII";
        QTest::newRow("mandatory extension") << QByteArray("n,,m=x,n=alice,r=abc")
                                             << prefix + "it carries a mandatory extension (m=), which Skiff does not support";
        QTest::newRow("bad extension") << QByteArray("n,,n=alice,r=abc,1=x") << prefix + "attribute 3 after the gs2 header is not an extension name=value";
        QTest::newRow("token auth") << QByteArray("n,,n=alice,r=abc,tokenauth=true")
                                    << "SCRAM delegation token authentication (tokenauth) is not supported: Skiff has no delegation tokens";
        QTest::newRow("token auth, upper case") << QByteArray("n,,n=alice,r=abc,tokenauth=TRUE")
                                                << "SCRAM delegation token authentication (tokenauth) is not supported: Skiff has no delegation tokens";
        QTest::newRow("other authzid") << QByteArray("n,a=bob,n=alice,r=abc")
                                       << "Authentication failed: Client requested an authorization id that is different from username";
        // The credential is looked up first, as Kafka does: an unknown user fails as such.
        QTest::newRow("other authzid, unknown user") << QByteArray("n,a=bob,n=mallory,r=abc") << QString(kInvalid512);
    }

    void clientFirstMistakes()
    {
        QFETCH(QByteArray, message);
        QFETCH(QString, expected);
        Users users;
        users.add("alice", ScramMechanism::Sha512, "s3cret");
        ScramServer server(ScramMechanism::Sha512, users.lookup());
        QCOMPARE(failure(server.step(message.toStdString())), expected.toStdString());
        QVERIFY(!server.complete());
        QVERIFY(!server.step("n,,n=alice,r=abc").isOk());
    }

    // A credential out of Kafka's bounds (or without keys) is no credential.
    void unusableCredentialIsNone()
    {
        Users users;
        users.add("alice", ScramMechanism::Sha512, "s3cret");
        users.credentials[{"alice", ScramMechanism::Sha512}].iterations = 100;
        ScramServer server(ScramMechanism::Sha512, users.lookup());
        QCOMPARE(failure(server.step("n,,n=alice,r=abc")), std::string(kInvalid512));
        ScramServer noLookup(ScramMechanism::Sha512, CredentialLookup());
        QCOMPARE(failure(noLookup.step("n,,n=alice,r=abc")), std::string(kInvalid512));
    }

    // The final message first is out of order.
    void finalMessageFirst()
    {
        Users users;
        users.add("alice", ScramMechanism::Sha512, "s3cret");
        ScramServer server(ScramMechanism::Sha512, users.lookup());
        QVERIFY(!server.step("c=biws,r=abc,p=AAAA").isOk());
        QVERIFY(!server.complete());
    }
};

QTEST_GUILESS_MAIN(ScramServerTest)
#include "ScramServerTest.moc"
