#include "models/ProfileStore.h"

#include <QSettings>

#include <algorithm>
#include <map>
#include <memory>

namespace skiff::gui {
namespace {

using Secret = SecretStore::Secret;

const QString kProfiles = QStringLiteral("profiles");
// Where versions before the keyring kept the token, in plain text.
const QString kLegacyToken = QStringLiteral("token");

// Profile name -> token, for the entries that still hold one in the file.
std::map<QString, QString> legacyTokens(QSettings &settings)
{
    std::map<QString, QString> out;
    const int n = settings.beginReadArray(kProfiles);
    for (int i = 0; i < n; ++i) {
        settings.setArrayIndex(i);
        const QString token = settings.value(kLegacyToken).toString();
        if (!token.isEmpty())
            out[settings.value(QStringLiteral("name")).toString()] = token;
    }
    settings.endArray();
    return out;
}

// Rewrites the array with the non-secret fields. `saved` is the profile whose secrets were just
// given to the keyring; the other profiles keep a token an older version left in the file until
// their migration has the keyring holding it.
void writeAll(const QList<Profile> &profiles, const QString &saved)
{
    QSettings settings;
    const std::map<QString, QString> legacy = legacyTokens(settings);
    settings.remove(kProfiles);
    settings.beginWriteArray(kProfiles, int(profiles.size()));
    for (int i = 0; i < profiles.size(); ++i) {
        settings.setArrayIndex(i);
        const Profile &p = profiles[i];
        settings.setValue(QStringLiteral("name"), p.name);
        settings.setValue(QStringLiteral("addresses"), p.addresses);
        settings.setValue(QStringLiteral("watchdogMissMs"), p.watchdogMissMs);
        settings.setValue(QStringLiteral("rateHz"), p.rateHz);
        settings.setValue(QStringLiteral("tls"), p.tls.enabled);
        settings.setValue(QStringLiteral("caFile"), p.tls.caFile);
        settings.setValue(QStringLiteral("certFile"), p.tls.certFile);
        settings.setValue(QStringLiteral("keyFile"), p.tls.keyFile);
        if (const auto it = legacy.find(p.name); it != legacy.end() && p.name != saved)
            settings.setValue(kLegacyToken, it->second);
    }
    settings.endArray();
}

} // namespace

ProfileStore::ProfileStore(SecretStore::Backend backend, const QString &keyringService) : m_secrets(backend, keyringService) {}

QList<Profile> ProfileStore::load()
{
    QSettings settings;
    QList<Profile> out;
    std::map<QString, QString> toMigrate;
    const int n = settings.beginReadArray(kProfiles);
    for (int i = 0; i < n; ++i) {
        settings.setArrayIndex(i);
        Profile p;
        p.name = settings.value(QStringLiteral("name")).toString();
        p.addresses = settings.value(QStringLiteral("addresses")).toStringList();
        p.watchdogMissMs = settings.value(QStringLiteral("watchdogMissMs"), 200).toInt();
        p.rateHz = settings.value(QStringLiteral("rateHz"), 2).toInt();
        p.tls.enabled = settings.value(QStringLiteral("tls"), false).toBool();
        p.tls.caFile = settings.value(QStringLiteral("caFile")).toString();
        p.tls.certFile = settings.value(QStringLiteral("certFile")).toString();
        p.tls.keyFile = settings.value(QStringLiteral("keyFile")).toString();
        if (p.name.isEmpty())
            continue;
        const QString legacy = settings.value(kLegacyToken).toString();
        if (!legacy.isEmpty() && !m_migrating.count(p.name))
            toMigrate[p.name] = legacy;
        out << p;
    }
    settings.endArray();
    for (const auto &[name, token] : toMigrate)
        migrateLegacyToken(name, token);
    for (Profile &p : out) {
        p.token = m_secrets.known(p.name, Secret::AdminToken).value_or(QString());
        p.tls.keyPassphrase = m_secrets.known(p.name, Secret::KeyPassphrase).value_or(QString());
    }
    return out;
}

void ProfileStore::migrateLegacyToken(const QString &name, const QString &token)
{
    m_migrating.insert(name);
    m_secrets.write(name, Secret::AdminToken, token, [this, name, token](bool stored) {
        m_migrating.erase(name);
        if (!stored)
            return;   // no keyring: the file keeps it, or it would be gone after this session
        QSettings settings;
        const int n = settings.beginReadArray(kProfiles);
        int index = -1;
        for (int i = 0; i < n && index < 0; ++i) {
            settings.setArrayIndex(i);
            if (settings.value(QStringLiteral("name")).toString() == name && settings.value(kLegacyToken).toString() == token)
                index = i;
        }
        settings.endArray();
        if (index >= 0)
            settings.remove(QStringLiteral("%1/%2/%3").arg(kProfiles).arg(index + 1).arg(kLegacyToken));   // arrays count from 1
    });
}

std::optional<Profile> ProfileStore::find(const QString &name)
{
    for (const Profile &p : load())
        if (p.name == name)
            return p;
    return std::nullopt;
}

void ProfileStore::readSecrets(const Profile &profile, std::function<void(Profile)> done)
{
    if (profile.name.isEmpty()) {
        done(profile);
        return;
    }
    // One after the other: QtKeychain runs its jobs one at a time anyway.
    auto result = std::make_shared<Profile>(profile);
    m_secrets.read(profile.name, Secret::AdminToken, [this, result, done = std::move(done)](QString token) mutable {
        if (result->token.isEmpty())
            result->token = token;
        m_secrets.read(result->name, Secret::KeyPassphrase, [result, done = std::move(done)](QString passphrase) {
            if (result->tls.keyPassphrase.isEmpty())
                result->tls.keyPassphrase = passphrase;
            done(*result);
        });
    });
}

void ProfileStore::save(const Profile &profile)
{
    QList<Profile> all = load();
    bool replaced = false;
    for (Profile &p : all)
        if (p.name == profile.name) {
            p = profile;
            replaced = true;
        }
    if (!replaced)
        all << profile;
    writeAll(all, profile.name);
    m_secrets.write(profile.name, Secret::AdminToken, profile.token);
    m_secrets.write(profile.name, Secret::KeyPassphrase, profile.tls.keyPassphrase);
}

void ProfileStore::remove(const QString &name)
{
    QList<Profile> all = load();
    all.erase(std::remove_if(all.begin(), all.end(), [&](const Profile &p) { return p.name == name; }), all.end());
    writeAll(all, name);
    m_secrets.remove(name);
}

QString ProfileStore::lastUsed() const { return QSettings().value(QStringLiteral("lastProfile")).toString(); }

void ProfileStore::setLastUsed(const QString &name) { QSettings().setValue(QStringLiteral("lastProfile"), name); }

} // namespace skiff::gui
