// The profiles' secrets in a real Secret Service (GNOME Keyring on a bus of the test's own, made by
// with-secret-service.sh), and without one. What is checked is where the secrets are: the settings
// file's bytes, and the keyring as another of its clients (secret-tool) reads it.
//   with-secret-service.sh gnome-keyring test_gui_keyring <the keyring tests>
//   with-secret-service.sh none test_gui_keyring <the no-keyring tests>
#include "IsolatedSettings.h"

#include "models/ProfileStore.h"

#include <QFile>
#include <QProcess>
#include <QSettings>
#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace skiff::gui;
using namespace skiff::gui::test;

namespace {

const QString kService = QStringLiteral("skiff-dashboard-test");
const QString kToken = QStringLiteral("tok-7f3a9c");
const QString kPassphrase = QStringLiteral("pass-41be02");

Profile alpha()
{
    Profile p;
    p.name = QStringLiteral("alpha");
    p.addresses = {QStringLiteral("127.0.0.1:9094")};
    p.token = kToken;
    p.tls.enabled = true;
    p.tls.caFile = QStringLiteral("/etc/skiff/ca.pem");
    p.tls.certFile = QStringLiteral("/etc/skiff/dashboard.pem");
    p.tls.keyFile = QStringLiteral("/etc/skiff/dashboard.key");
    p.tls.keyPassphrase = kPassphrase;
    return p;
}

// Every keyring job started so far has finished (bounded, so a hung keyring fails the test).
bool waitIdle(ProfileStore &store)
{
    auto idle = std::make_shared<bool>(false);
    store.secrets().whenIdle([idle] { *idle = true; });
    return QTest::qWaitFor([idle] { return *idle; }, 30000);
}

QByteArray settingsFileBytes()
{
    QSettings().sync();
    QFile f(QSettings().fileName());
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// What the Secret Service holds under the entry, as another client reads it (QtKeychain's
// attributes: user = the entry, server = the service); nullopt when it holds nothing.
std::optional<QString> inKeyring(const QString &entry)
{
    QProcess p;
    p.start(QStringLiteral("secret-tool"), {QStringLiteral("lookup"), QStringLiteral("server"), kService, QStringLiteral("user"), entry});
    if (!p.waitForFinished(30000) || p.exitStatus() != QProcess::NormalExit)
        return QStringLiteral("<secret-tool failed: %1>").arg(p.errorString());
    if (p.exitCode() != 0)
        return std::nullopt;
    return QString::fromUtf8(p.readAllStandardOutput());
}

// A settings file as versions before the keyring wrote it: the token in plain text.
void writeLegacyProfile(const QString &name, const QString &token)
{
    QSettings settings;
    settings.beginWriteArray(QStringLiteral("profiles"), 1);
    settings.setArrayIndex(0);
    settings.setValue(QStringLiteral("name"), name);
    settings.setValue(QStringLiteral("addresses"), QStringList{QStringLiteral("10.0.0.9:9094")});
    settings.setValue(QStringLiteral("token"), token);
    settings.setValue(QStringLiteral("watchdogMissMs"), 200);
    settings.setValue(QStringLiteral("rateHz"), 2);
    settings.endArray();
}

Profile readBack(ProfileStore &store, const QString &name)
{
    auto found = store.find(name);
    if (!found)
        return {};
    auto result = std::make_shared<std::optional<Profile>>();
    store.readSecrets(*found, [result](const Profile &p) { *result = p; });
    if (!QTest::qWaitFor([result] { return result->has_value(); }, 30000)) {
        Profile never;   // fails every comparison, the empty token expected included
        never.token = never.tls.keyPassphrase = QStringLiteral("<the keyring never answered>");
        return never;
    }
    return **result;
}

} // namespace

class KeyringTest : public QObject {
    Q_OBJECT
    IsolatedSettings m_settings;

private slots:
    void initTestCase() { QVERIFY(m_settings.activate(QStringLiteral("test_gui_keyring"))); }
    void init() { QSettings().clear(); }

    // ---- with GNOME Keyring on the bus -------------------------------------------------------

    void savingPutsTheSecretsInTheKeyringNotTheFile()
    {
        ProfileStore store(SecretStore::Backend::Keyring, kService);
        QSignalSpy unavailable(&store.secrets(), &SecretStore::keyringUnavailable);
        store.save(alpha());
        QVERIFY(waitIdle(store));
        QCOMPARE(unavailable.size(), 0);
        QVERIFY(store.secrets().keyringAvailable());

        QCOMPARE(inKeyring(QStringLiteral("alpha/token")), std::optional<QString>(kToken));
        QCOMPARE(inKeyring(QStringLiteral("alpha/key passphrase")), std::optional<QString>(kPassphrase));
        const QByteArray file = settingsFileBytes();
        QVERIFY2(file.contains("alpha") && file.contains("/etc/skiff/dashboard.key") && file.contains("127.0.0.1:9094"), file.constData());
        QVERIFY2(!file.contains(kToken.toUtf8()), file.constData());
        QVERIFY2(!file.contains(kPassphrase.toUtf8()), file.constData());
    }

    void loadingGetsThemBackFromTheKeyring()
    {
        {
            ProfileStore writer(SecretStore::Backend::Keyring, kService);
            writer.save(alpha());
            QVERIFY(waitIdle(writer));
        }
        // Another store is another session: it knows nothing until the keyring answers.
        ProfileStore store(SecretStore::Backend::Keyring, kService);
        const auto known = store.find(QStringLiteral("alpha"));
        QVERIFY(known);
        QVERIFY(known->token.isEmpty());
        const Profile p = readBack(store, QStringLiteral("alpha"));
        QCOMPARE(p.token, kToken);
        QCOMPARE(p.tls.keyPassphrase, kPassphrase);
        QCOMPARE(p.tls, alpha().tls);
        QCOMPARE(p.addresses, alpha().addresses);
    }

    void aPlaintextTokenOfAnOlderVersionIsMovedIntoTheKeyring()
    {
        writeLegacyProfile(QStringLiteral("legacy"), QStringLiteral("old-plain-token"));
        QVERIFY(settingsFileBytes().contains("old-plain-token"));
        ProfileStore store(SecretStore::Backend::Keyring, kService);
        const auto loaded = store.find(QStringLiteral("legacy"));
        QVERIFY(loaded);
        QCOMPARE(loaded->token, QStringLiteral("old-plain-token"));   // usable at once
        QVERIFY(waitIdle(store));

        QCOMPARE(inKeyring(QStringLiteral("legacy/token")), std::optional<QString>(QStringLiteral("old-plain-token")));
        const QByteArray file = settingsFileBytes();
        QVERIFY2(file.contains("legacy") && file.contains("10.0.0.9:9094"), file.constData());
        QVERIFY2(!file.contains("old-plain-token"), file.constData());
        ProfileStore nextSession(SecretStore::Backend::Keyring, kService);
        QCOMPARE(readBack(nextSession, QStringLiteral("legacy")).token, QStringLiteral("old-plain-token"));
    }

    void deletingAProfileDeletesItsSecrets()
    {
        ProfileStore store(SecretStore::Backend::Keyring, kService);
        store.save(alpha());
        QVERIFY(waitIdle(store));
        QVERIFY(inKeyring(QStringLiteral("alpha/token")));
        store.remove(QStringLiteral("alpha"));
        QVERIFY(waitIdle(store));
        QCOMPARE(inKeyring(QStringLiteral("alpha/token")), std::nullopt);
        QCOMPARE(inKeyring(QStringLiteral("alpha/key passphrase")), std::nullopt);
    }

    // ---- with no Secret Service on the bus ---------------------------------------------------

    void withoutAKeyringSecretsStayInThisSessionOnly()
    {
        ProfileStore store(SecretStore::Backend::Keyring, kService);
        QSignalSpy unavailable(&store.secrets(), &SecretStore::keyringUnavailable);
        store.save(alpha());
        Profile beta = alpha();
        beta.name = QStringLiteral("beta");
        beta.token = QStringLiteral("tok-beta-22");
        store.save(beta);
        QVERIFY(waitIdle(store));

        QCOMPARE(unavailable.size(), 1);   // said once, not per secret
        const QString line = unavailable.first().first().toString();
        QVERIFY2(line.startsWith(QStringLiteral("no desktop keyring (")) && line.endsWith(QStringLiteral("kept for this session only, not saved")),
                 qPrintable(line));
        QVERIFY(!store.secrets().keyringAvailable());
        const QByteArray file = settingsFileBytes();
        QVERIFY2(file.contains("alpha") && file.contains("beta"), file.constData());
        for (const QString &secret : {kToken, kPassphrase, beta.token})
            QVERIFY2(!file.contains(secret.toUtf8()), file.constData());
        QCOMPARE(store.find(QStringLiteral("beta"))->token, beta.token);   // for this session
        QCOMPARE(readBack(store, QStringLiteral("alpha")).tls.keyPassphrase, kPassphrase);
        ProfileStore nextSession(SecretStore::Backend::Keyring, kService);
        QCOMPARE(readBack(nextSession, QStringLiteral("alpha")).token, QString());
    }

    void withoutAKeyringAnOlderVersionsTokenStaysInTheFile()
    {
        // Moving it nowhere would lose it when the session ends.
        writeLegacyProfile(QStringLiteral("legacy"), QStringLiteral("old-plain-token"));
        ProfileStore store(SecretStore::Backend::Keyring, kService);
        QCOMPARE(store.find(QStringLiteral("legacy"))->token, QStringLiteral("old-plain-token"));
        QVERIFY(waitIdle(store));
        QVERIFY(!store.secrets().keyringAvailable());
        QVERIFY(settingsFileBytes().contains("old-plain-token"));
    }
};

QTEST_GUILESS_MAIN(KeyringTest)
#include "KeyringTest.moc"
