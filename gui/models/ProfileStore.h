#pragma once
// Saved profiles: several clusters, each with its own admin token and TLS files. The non-secret
// fields are in QSettings (~/.config/Skiff/skiff-dashboard.conf); the token and the key
// passphrase in the desktop keyring (SecretStore), keyed by profile name.
//
// load() and find() answer at once with what the settings file holds and the secrets this session
// already knows; readSecrets() fills in the rest from the keyring, later. A token an older version
// left in the settings file is moved into the keyring the first time it is loaded, and removed from
// the file once the keyring has it (never while there is no keyring: it would be lost).

#include "models/Profile.h"
#include "models/SecretStore.h"

#include <QList>

#include <functional>
#include <optional>
#include <set>

namespace skiff::gui {

class ProfileStore {
public:
    explicit ProfileStore(SecretStore::Backend backend, const QString &keyringService = QStringLiteral("skiff-dashboard"));

    QList<Profile> load();
    std::optional<Profile> find(const QString &name);
    // `profile` with its token and key passphrase from the keyring (those set in it are kept).
    void readSecrets(const Profile &profile, std::function<void(Profile)> done);
    void save(const Profile &profile);
    void remove(const QString &name);
    QString lastUsed() const;
    void setLastUsed(const QString &name);

    SecretStore &secrets() { return m_secrets; }

private:
    void migrateLegacyToken(const QString &name, const QString &token);

    SecretStore m_secrets;
    std::set<QString> m_migrating;   // profiles whose file token is on its way to the keyring
};

} // namespace skiff::gui
