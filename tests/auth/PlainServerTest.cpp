// SASL PLAIN (RFC 4616) as Kafka's broker runs it, with the password checked against the user's
// SCRAM credentials (either mechanism).

#include "auth/PlainServer.h"
#include "auth/ScramFormulas.h"

#include <QTest>

#include <map>

using namespace skiff;
using namespace skiff::auth;
using namespace std::string_literals;

namespace {

const char kInvalidPlain[] =
    "Authentication failed during authentication due to invalid credentials with SASL mechanism PLAIN";

struct Users {
    std::map<std::pair<std::string, ScramMechanism>, ScramCredential> credentials;
    mutable std::vector<ScramMechanism> asked;

    void add(const std::string &user, ScramMechanism mechanism, const std::string &password)
    {
        credentials[{user, mechanism}] = credentialFromPassword(mechanism, password, randomBytes(16), 4096);
    }
    CredentialLookup lookup() const
    {
        return [this](const std::string &user, ScramMechanism mechanism) -> std::optional<ScramCredential> {
            asked.push_back(mechanism);
            const auto it = credentials.find({user, mechanism});
            return it == credentials.end() ? std::nullopt : std::optional(it->second);
        };
    }
};

std::string failure(const Result<std::string> &result)
{
    if (result.isOk())
        return "(no failure)";
    if (result.status().message().find("s3cret") != std::string::npos
        || result.status().message().find("wrong") != std::string::npos)
        return "(the message holds the password)";
    return result.status().message();
}

} // namespace

class PlainServerTest : public QObject {
    Q_OBJECT

private slots:
    void rightPasswordUnderEitherMechanism()
    {
        Users users;
        users.add("only512", ScramMechanism::Sha512, "s3cret");
        users.add("only256", ScramMechanism::Sha256, "s3cret");
        users.add("both", ScramMechanism::Sha512, "s3cret");
        users.add("both", ScramMechanism::Sha256, "s3cret");
        users.add("a,b=c", ScramMechanism::Sha256, "pass word\xc3\xa9");
        const std::vector<std::string> messages{"\0only512\0s3cret"s, "\0only256\0s3cret"s, "\0both\0s3cret"s,
                                                "both\0both\0s3cret"s, "\0a,b=c\0pass word\xc3\xa9"s};
        const std::vector<std::string> names{"only512", "only256", "both", "both", "a,b=c"};
        for (size_t i = 0; i < messages.size(); ++i) {
            PlainServer server(users.lookup());
            QCOMPARE(server.mechanism(), std::string_view("PLAIN"));
            const Result<std::string> answer = server.step(messages[i]);
            QVERIFY2(answer.isOk(), answer.status().message().c_str());
            QCOMPARE(answer.value(), std::string());
            QVERIFY(server.complete());
            QCOMPARE(server.user(), names[i]);
            // One message only.
            QVERIFY(!server.step(messages[i]).isOk());
            QVERIFY(!server.complete());
        }
    }

    void sha512IsTriedFirst()
    {
        Users users;
        users.add("both", ScramMechanism::Sha512, "s3cret");
        users.add("both", ScramMechanism::Sha256, "s3cret");
        PlainServer server(users.lookup());
        QVERIFY(server.step("\0both\0s3cret"s).isOk());
        QCOMPARE(users.asked, std::vector<ScramMechanism>{ScramMechanism::Sha512});
    }

    // Wrong password and unknown user: one message.
    void wrongPasswordAndUnknownUserFailAlike()
    {
        Users users;
        users.add("both", ScramMechanism::Sha512, "s3cret");
        users.add("both", ScramMechanism::Sha256, "s3cret");
        for (const std::string &message : {"\0both\0wrong"s, "\0mallory\0s3cret"s, "both\0both\0wrong"s}) {
            PlainServer server(users.lookup());
            QCOMPARE(failure(server.step(message)), std::string(kInvalidPlain));
            QVERIFY(!server.complete());
            QCOMPARE(server.user(), std::string());
            QVERIFY(server.step("\0both\0s3cret"s).status().message().find("already failed") != std::string::npos);
        }
    }

    void authzidOtherThanUser()
    {
        Users users;
        users.add("alice", ScramMechanism::Sha512, "s3cret");
        PlainServer server(users.lookup());
        QCOMPARE(failure(server.step("bob\0alice\0s3cret"s)),
                 std::string("Authentication failed: Client requested an authorization id that is different from username"));
        QVERIFY(!server.complete());
    }

    void malformed_data()
    {
        QTest::addColumn<QByteArray>("message");
        QTest::addColumn<QString>("expected");
        const QString parts = "invalid SASL/PLAIN message: expected 3 parts [authzid] NUL username NUL password, got ";
        QTest::newRow("no NUL") << QByteArray("alices3cret") << parts + "1";
        QTest::newRow("empty") << QByteArray() << parts + "1";
        QTest::newRow("one NUL") << QByteArray("alice\0s3cret", 12) << parts + "2";
        QTest::newRow("three NULs") << QByteArray("\0alice\0s3cret\0", 14) << parts + "4";
        QTest::newRow("empty user") << QByteArray("\0\0s3cret", 8) << "Authentication failed: username not specified";
        QTest::newRow("empty password") << QByteArray("\0alice\0", 7) << "Authentication failed: password not specified";
        QTest::newRow("all empty") << QByteArray("\0\0", 2) << "Authentication failed: username not specified";
    }

    void malformed()
    {
        QFETCH(QByteArray, message);
        QFETCH(QString, expected);
        Users users;
        users.add("alice", ScramMechanism::Sha512, "s3cret");
        PlainServer server(users.lookup());
        QCOMPARE(failure(server.step(std::string_view(message.constData(), size_t(message.size())))), expected.toStdString());
        QVERIFY(!server.complete());
    }

    void credentialOutOfBoundsIsNone()
    {
        Users users;
        users.add("alice", ScramMechanism::Sha512, "s3cret");
        users.credentials[{"alice", ScramMechanism::Sha512}].iterations = 1'000'000;
        PlainServer server(users.lookup());
        QCOMPARE(failure(server.step("\0alice\0s3cret"s)), std::string(kInvalidPlain));
    }
};

QTEST_GUILESS_MAIN(PlainServerTest)
#include "PlainServerTest.moc"
