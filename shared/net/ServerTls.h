#pragma once
// The TLS configuration a server hands every connection it accepts, kept current: loaded from
// the ssl.* files at start (a bad file stops the start with one line), reloaded when one of the
// files changes and on reload() (SIGHUP), without a restart. A reload that fails leaves the
// configuration in use as it was and says why in one line; connections already open keep the
// certificate they were made with. Lives on the thread of the server that uses it.

#include "common/Status.h"
#include "net/TlsFiles.h"

#include <QFileSystemWatcher>
#include <QLoggingCategory>
#include <QObject>
#include <QSslConfiguration>
#include <QTimer>

class QSslSocket;
class QTcpSocket;

namespace skiff::net {

class ServerTls : public QObject {
    Q_OBJECT
public:
    // `role` names the server in log lines ("kafka listeners").
    ServerTls(TlsFiles files, QString role, QMessageLogger::CategoryFunction category, QObject *parent = nullptr);

    // The first load; an error says which file and what is wrong with it.
    Status load();
    // Loads the files again (they changed, or SIGHUP): the new configuration if they are good.
    void reload(const QString &why);

    const QSslConfiguration &configuration() const { return m_configuration; }
    // The same certificate as a client's (a follower fetching from its leader over TLS): it
    // presents it, and checks the server's against the CA and the address it dialled.
    QSslConfiguration clientConfiguration() const;

    // A server-side socket for an accepted descriptor's QTcpSocket slot: encryption starts as
    // soon as the caller has set its descriptor (startServerEncryption).
    QSslSocket *makeSocket(QObject *parent) const;

private:
    void watchFiles();

    const TlsFiles m_files;
    const QString m_role;
    const QMessageLogger::CategoryFunction m_category;
    QSslConfiguration m_configuration;
    QFileSystemWatcher m_watcher;
    QTimer m_settle;   // certificate and key are often replaced one after the other
};

} // namespace skiff::net
