// The SCRAM key derivations against values computed independently with Python's hashlib and
// hmac (pbkdf2_hmac, then HMAC "Client Key" / "Server Key" and H(ClientKey)) for RFC 7677's
// example user: password "pencil", salt W22ZaJ0SNY7soEsUEjb6gQ==, 4096 iterations.

#include "auth/ScramFormulas.h"

#include <QByteArray>
#include <QTest>

using namespace skiff;
using namespace skiff::auth;

namespace {

std::string b64(const char *text)
{
    const QByteArray raw = QByteArray::fromBase64(QByteArray(text));
    return std::string(raw.constData(), size_t(raw.size()));
}

} // namespace

class ScramFormulasTest : public QObject {
    Q_OBJECT

private slots:
    void sha256CredentialFromPassword()
    {
        const ScramCredential c = credentialFromPassword(ScramMechanism::Sha256, "pencil", b64("W22ZaJ0SNY7soEsUEjb6gQ=="), 4096);
        QCOMPARE(c.iterations, 4096);
        QCOMPARE(c.salt, b64("W22ZaJ0SNY7soEsUEjb6gQ=="));
        QCOMPARE(c.storedKey, b64("WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY="));
        QCOMPARE(c.serverKey, b64("wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU="));
    }

    void sha512CredentialFromPassword()
    {
        const ScramCredential c = credentialFromPassword(ScramMechanism::Sha512, "pencil", b64("W22ZaJ0SNY7soEsUEjb6gQ=="), 4096);
        QCOMPARE(c.storedKey, b64("6AAub3065EYRmyFpM2RNwqK+eGnrkYuEWbXn19LsEmBqzu8QaCXNc1FwpnX9NhH2hK/60dzj9DoO5DvVkOHbvg=="));
        QCOMPARE(c.serverKey, b64("jZHbYjC1aHh0/hKbxyBuGFjDrgjgKTT1esA7awWiKcRZ0o/0b1yWEebBeSVkkCFewf91nLDfKF24mvD5nmE6rA=="));
    }

    void aSaltedPasswordGivesTheSameCredential()
    {
        const std::string salt = randomBytes(16);
        const std::string salted = saltedPassword(ScramMechanism::Sha512, "s3cret", salt, 8192);
        QCOMPARE(salted.size(), size_t(64));
        QCOMPARE(credentialFromSaltedPassword(ScramMechanism::Sha512, salted, salt, 8192),
                 credentialFromPassword(ScramMechanism::Sha512, "s3cret", salt, 8192));
        QVERIFY(credentialFromPassword(ScramMechanism::Sha512, "s3cret", salt, 8192)
                != credentialFromPassword(ScramMechanism::Sha512, "s3cret", salt, 4096));
    }

    void randomBytesDiffer()
    {
        QCOMPARE(randomBytes(24).size(), size_t(24));
        QVERIFY(randomBytes(24) != randomBytes(24));
    }

    void mechanismNamesAndCodes()
    {
        using metadata::scramMechanismFromCode;
        using metadata::scramMechanismFromName;
        QCOMPARE(scramMechanismFromName("SCRAM-SHA-512"), std::optional(ScramMechanism::Sha512));
        QCOMPARE(scramMechanismFromName("SCRAM-SHA-256"), std::optional(ScramMechanism::Sha256));
        QVERIFY(!scramMechanismFromName("scram-sha-256"));   // SASL mechanism names are case-sensitive
        QCOMPARE(scramMechanismFromCode(2), std::optional(ScramMechanism::Sha512));
        QVERIFY(!scramMechanismFromCode(0));
        QCOMPARE(metadata::scramMechanismName(ScramMechanism::Sha256), std::string_view("SCRAM-SHA-256"));
    }
};

QTEST_GUILESS_MAIN(ScramFormulasTest)
#include "ScramFormulasTest.moc"
