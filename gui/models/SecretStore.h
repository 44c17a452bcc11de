#pragma once
// The profiles' secrets, the admin token and the client key's passphrase, in the desktop keyring
// through QtKeychain (the Secret Service on Linux: GNOME Keyring, KWallet), one entry per profile
// and secret ("<profile>/token", "<profile>/key passphrase" of the service); never in the settings
// file. Every keyring call is a QKeychain job, answered later on this thread's event loop, so the
// UI never waits on the keyring.
//
// Without a keyring (no Secret Service on the session bus, or it refused), the first failure is
// said once (keyringUnavailable) and from then on secrets are kept in memory for this session
// only. What was read or written this session is remembered either way (known()).

#include <QObject>
#include <QString>

#include <functional>
#include <map>
#include <optional>
#include <utility>
#include <vector>

namespace skiff::gui {

class SecretStore : public QObject {
    Q_OBJECT
public:
    enum class Backend {
        Keyring,       // the desktop keyring, falling back to this session's memory
        SessionOnly,   // memory only (tests of everything but the keyring)
    };
    enum class Secret { AdminToken, KeyPassphrase };

    // `service` names the entries' owner in the keyring ("skiff-dashboard").
    SecretStore(Backend backend, QString service, QObject *parent = nullptr);

    // What this session read or wrote of the secret; nullopt: not asked yet.
    std::optional<QString> known(const QString &profile, Secret secret) const;
    // The secret from the keyring (empty when it holds none); `done` is called once, later.
    void read(const QString &profile, Secret secret, std::function<void(QString)> done);
    // Stores the secret (an empty one deletes the entry); `done(true)` once it is in the keyring,
    // `done(false)` when it is kept for this session only.
    void write(const QString &profile, Secret secret, const QString &value, std::function<void(bool)> done = {});
    // Deletes both secrets of the profile.
    void remove(const QString &profile);

    bool keyringAvailable() const { return m_backend == Backend::Keyring && m_unavailableReason.isEmpty(); }
    // Calls `done` once every job started so far has finished (at once when none is running).
    void whenIdle(std::function<void()> done);

signals:
    // Once per store: one line saying there is no keyring, why, and what that means.
    void keyringUnavailable(const QString &line);

private:
    QString entryKey(const QString &profile, Secret secret) const;
    void markUnavailable(const QString &why);
    void jobStarted() { ++m_running; }
    void jobFinished();

    const Backend m_backend;
    const QString m_service;
    QString m_unavailableReason;
    std::map<QString, QString> m_known;   // entry key -> value, this session
    int m_running = 0;
    std::vector<std::function<void()>> m_idleWaiters;
};

} // namespace skiff::gui
