#include "models/SecretStore.h"

#include <qt6keychain/keychain.h>

#include <QTimer>

namespace skiff::gui {

SecretStore::SecretStore(Backend backend, QString service, QObject *parent)
    : QObject(parent), m_backend(backend), m_service(std::move(service))
{
}

QString SecretStore::entryKey(const QString &profile, Secret secret) const
{
    return profile + (secret == Secret::AdminToken ? QStringLiteral("/token") : QStringLiteral("/key passphrase"));
}

std::optional<QString> SecretStore::known(const QString &profile, Secret secret) const
{
    const auto it = m_known.find(entryKey(profile, secret));
    return it == m_known.end() ? std::nullopt : std::optional<QString>(it->second);
}

void SecretStore::read(const QString &profile, Secret secret, std::function<void(QString)> done)
{
    const QString key = entryKey(profile, secret);
    if (!keyringAvailable() || m_known.count(key)) {
        // Later all the same, so callers see one behaviour whatever the store holds.
        jobStarted();
        QTimer::singleShot(0, this, [this, key, done = std::move(done)] {
            const auto it = m_known.find(key);
            done(it == m_known.end() ? QString() : it->second);
            jobFinished();
        });
        return;
    }
    auto *job = new QKeychain::ReadPasswordJob(m_service, this);
    job->setKey(key);
    job->setAutoDelete(true);
    // Never QtKeychain's plaintext fallback: it would put the secret into a settings file.
    job->setInsecureFallback(false);
    jobStarted();
    connect(job, &QKeychain::Job::finished, this, [this, key, done = std::move(done)](QKeychain::Job *j) {
        auto *readJob = static_cast<QKeychain::ReadPasswordJob *>(j);
        if (j->error() == QKeychain::NoError)
            m_known[key] = readJob->textData();
        else if (j->error() == QKeychain::EntryNotFound)
            m_known[key] = QString();
        else
            markUnavailable(j->errorString());
        // A write of this session wins over what the keyring answered.
        const auto it = m_known.find(key);
        done(it == m_known.end() ? QString() : it->second);
        jobFinished();
    });
    job->start();
}

void SecretStore::write(const QString &profile, Secret secret, const QString &value, std::function<void(bool)> done)
{
    const QString key = entryKey(profile, secret);
    m_known[key] = value;
    if (!keyringAvailable()) {
        if (done) {
            jobStarted();
            QTimer::singleShot(0, this, [this, done = std::move(done)] {
                done(false);
                jobFinished();
            });
        }
        return;
    }
    QKeychain::Job *job = nullptr;
    if (value.isEmpty()) {
        job = new QKeychain::DeletePasswordJob(m_service, this);
    } else {
        auto *writeJob = new QKeychain::WritePasswordJob(m_service, this);
        writeJob->setTextData(value);
        job = writeJob;
    }
    job->setKey(key);
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    jobStarted();
    connect(job, &QKeychain::Job::finished, this, [this, done = std::move(done)](QKeychain::Job *j) {
        // Deleting what is not there is no failure.
        const bool stored = j->error() == QKeychain::NoError || j->error() == QKeychain::EntryNotFound;
        if (!stored)
            markUnavailable(j->errorString());
        if (done)
            done(stored);
        jobFinished();
    });
    job->start();
}

void SecretStore::remove(const QString &profile)
{
    write(profile, Secret::AdminToken, QString());
    write(profile, Secret::KeyPassphrase, QString());
}

void SecretStore::markUnavailable(const QString &why)
{
    if (!m_unavailableReason.isEmpty())
        return;
    m_unavailableReason = why.isEmpty() ? QStringLiteral("no reason given") : why;
    emit keyringUnavailable(tr("no desktop keyring (%1): admin tokens and key passphrases are kept for this session only, "
                               "not saved")
                                .arg(m_unavailableReason));
}

void SecretStore::whenIdle(std::function<void()> done)
{
    if (m_running == 0) {
        done();
        return;
    }
    m_idleWaiters.push_back(std::move(done));
}

void SecretStore::jobFinished()
{
    if (--m_running > 0)
        return;
    auto waiters = std::move(m_idleWaiters);
    m_idleWaiters.clear();
    for (auto &w : waiters)
        w();
}

} // namespace skiff::gui
