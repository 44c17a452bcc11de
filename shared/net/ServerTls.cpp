#include "net/ServerTls.h"

#include "net/TlsSettings.h"

#include <QFileInfo>
#include <QSslCertificate>
#include <QSslKey>
#include <QSslSocket>

namespace skiff::net {
namespace {

// Long enough for a deploy tool to replace the certificate and then the key.
constexpr int kSettleMs = 500;

} // namespace

ServerTls::ServerTls(TlsFiles files, QString role, QMessageLogger::CategoryFunction category, QObject *parent)
    : QObject(parent), m_files(std::move(files)), m_role(std::move(role)), m_category(category), m_watcher(this),
      m_settle(this)
{
    m_settle.setSingleShot(true);
    m_settle.setInterval(kSettleMs);
    connect(&m_settle, &QTimer::timeout, this, [this] { reload(QStringLiteral("a file changed")); });
    connect(&m_watcher, &QFileSystemWatcher::fileChanged, this, [this] { m_settle.start(); });
    // Replacing a file by renaming another over it (what most tools do) also tells the directory.
    connect(&m_watcher, &QFileSystemWatcher::directoryChanged, this, [this] { m_settle.start(); });
}

Status ServerTls::load()
{
    auto loaded = loadServerTls(m_files, QDateTime::currentDateTimeUtc());
    if (!loaded.isOk())
        return loaded.status();
    m_configuration = loaded.value();
    qCInfo(m_category, "%s: TLS certificate %s", qPrintable(m_role), qPrintable(describeCertificate(m_configuration)));
    watchFiles();
    return Status::ok();
}

void ServerTls::reload(const QString &why)
{
    watchFiles();   // a replaced file is a new inode: watch the new one
    auto loaded = loadServerTls(m_files, QDateTime::currentDateTimeUtc());
    if (!loaded.isOk()) {
        qCCritical(m_category, "%s: TLS reload (%s) failed, the certificate in use stays (%s): %s", qPrintable(m_role),
                   qPrintable(why), qPrintable(describeCertificate(m_configuration)), loaded.status().message().c_str());
        return;
    }
    const bool changed = loaded->localCertificateChain() != m_configuration.localCertificateChain()
                         || loaded->privateKey() != m_configuration.privateKey()
                         || loaded->caCertificates() != m_configuration.caCertificates();
    m_configuration = loaded.value();
    qCInfo(m_category, "%s: TLS reload (%s): %s %s", qPrintable(m_role), qPrintable(why),
           changed ? "now using certificate" : "unchanged, certificate", qPrintable(describeCertificate(m_configuration)));
}

QSslConfiguration ServerTls::clientConfiguration() const
{
    QSslConfiguration client = m_configuration;
    client.setPeerVerifyMode(QSslSocket::VerifyPeer);
    return client;
}

QSslSocket *ServerTls::makeSocket(QObject *parent) const
{
    auto *socket = new QSslSocket(parent);
    socket->setSslConfiguration(m_configuration);
    return socket;
}

void ServerTls::watchFiles()
{
    QStringList paths;
    for (const std::string &file : {m_files.certificate, m_files.key, m_files.ca})
        if (!file.empty()) {
            const QFileInfo info(QString::fromStdString(file));
            paths << info.absoluteFilePath() << info.absolutePath();
        }
    paths.removeDuplicates();
    const QStringList watched = m_watcher.files() + m_watcher.directories();
    if (!watched.isEmpty())
        m_watcher.removePaths(watched);
    m_watcher.addPaths(paths);
}

} // namespace skiff::net
