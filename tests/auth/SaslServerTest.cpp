// The mechanisms a connection can ask for by SASL name (SaslHandshake), and the servers for them.

#include "auth/SaslServer.h"
#include "auth/ScramFormulas.h"
#include "core/KafkaListeners.h"

#include <QTest>

using namespace skiff;
using namespace skiff::auth;
using namespace std::string_literals;

class SaslServerTest : public QObject {
    Q_OBJECT

private slots:
    // Every name the configuration accepts has a server.
    void serversForTheNamesTheConfigAccepts()
    {
        QCOMPARE(core::saslMechanismNames(), (std::vector<std::string>{"PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"}));
        for (const std::string &name : core::saslMechanismNames()) {
            const std::unique_ptr<SaslServer> server = makeSaslServer(name, {});
            QVERIFY(server);
            QCOMPARE(server->mechanism(), std::string_view(name));
            QVERIFY(!server->complete());
        }
    }

    void noServerForOtherNames()
    {
        for (const char *name : {"GSSAPI", "plain", "", "scram-sha-256", "SCRAM-SHA-1", "OAUTHBEARER", "PLAIN "})
            QVERIFY2(!makeSaslServer(name, {}), name);
    }

    // The lookup reaches the server: PLAIN and SCRAM-SHA-256 against one stored credential.
    void serversUseTheLookup()
    {
        const ScramCredential credential =
            credentialFromPassword(metadata::ScramMechanism::Sha256, "s3cret", randomBytes(16), 4096);
        const CredentialLookup lookup = [&](const std::string &user, metadata::ScramMechanism mechanism) {
            return user == "alice" && mechanism == metadata::ScramMechanism::Sha256 ? std::optional(credential)
                                                                                    : std::nullopt;
        };
        const std::unique_ptr<SaslServer> plain = makeSaslServer("PLAIN", lookup);
        QVERIFY(plain->step("\0alice\0s3cret"s).isOk());
        QVERIFY(plain->complete());
        QCOMPARE(plain->user(), std::string("alice"));

        const std::unique_ptr<SaslServer> scram256 = makeSaslServer("SCRAM-SHA-256", lookup);
        const Result<std::string> serverFirst = scram256->step("n,,n=alice,r=abc");
        QVERIFY(serverFirst.isOk());
        QVERIFY(serverFirst->starts_with("r=abc"));
        QVERIFY(serverFirst->ends_with(",i=4096"));
        const std::unique_ptr<SaslServer> scram512 = makeSaslServer("SCRAM-SHA-512", lookup);
        QVERIFY(!scram512->step("n,,n=alice,r=abc").isOk());
    }
};

QTEST_GUILESS_MAIN(SaslServerTest)
#include "SaslServerTest.moc"
