#pragma once
// A listening TCP socket that keeps accepting after accept() fails, used by every listener of the
// node (Kafka, admin, raft, HTTP) in place of a bare QTcpServer.
//
// Qt 6.4's QTcpServer cannot be trusted with accept errors: its socket engine keeps only the
// first error it ever sees. A listener that has never accepted pauses itself on EMFILE, emits
// acceptError once and stays deaf for good (the admin socket did, after a brief fd exhaustion);
// one that has accepted before has "EAGAIN" stuck as its error, takes EMFILE for it and spins on
// accept() at full CPU, saying nothing. So QTcpServer here only binds and listens; accept() is
// ours. On a failure other than "that client went away", the first of an episode is logged
// (strerror and what to check), accepting pauses and resumes after 50 ms, then 100 ms, doubling
// up to 1 s while it keeps failing (the connection that could not be accepted waits in the
// kernel's backlog and triggers the next attempt at once), and the first connection accepted
// again is logged. A listener that flaps is reported at most once per kReportInterval, with the
// count of episodes in between.

#include <QElapsedTimer>
#include <QHostAddress>
#include <QList>
#include <QLoggingCategory>
#include <QObject>
#include <QString>
#include <QTcpServer>
#include <QTimer>

#include <chrono>
#include <functional>

class QSocketNotifier;
class QTcpSocket;

namespace skiff::net {

class TcpListener : public QObject {
    Q_OBJECT
public:
    static constexpr std::chrono::milliseconds kFirstRetryDelay{50};
    static constexpr std::chrono::milliseconds kMaxRetryDelay{1000};
    static constexpr std::chrono::milliseconds kReportInterval{10000};

    // `role` names the listener in the log with its address, e.g. "kafka.listen" becomes
    // "kafka.listen 127.0.0.1:9092"; `category` is the owner's logging category.
    TcpListener(QString role, QMessageLogger::CategoryFunction category, QObject *parent = nullptr);
    ~TcpListener() override;

    // Makes the socket an accepted descriptor goes into: a QSslSocket for a TLS listener (which
    // its taker then starts encrypting). Default: a plain QTcpSocket.
    using SocketFactory = std::function<QTcpSocket *(QObject *parent)>;
    void setSocketFactory(SocketFactory factory) { m_socketFactory = std::move(factory); }
    // As QTcpServer's. Call before listen().
    void setListenBacklogSize(int size) { m_server.setListenBacklogSize(size); }
    // As QTcpServer::listen; errorString() says why it failed.
    bool listen(const QHostAddress &address, quint16 port);
    QString errorString() const { return m_server.errorString(); }
    bool isListening() const { return m_server.isListening(); }
    quint16 serverPort() const { return m_server.serverPort(); }
    // Stops accepting and closes the socket; connections not taken yet are dropped.
    void close();

    // Accepted connections, children of this listener until taken (the taker reparents them).
    bool hasPendingConnections() const { return !m_pending.isEmpty(); }
    QTcpSocket *nextPendingConnection();

    bool acceptFailing() const { return m_failing; }

signals:
    void newConnection();

private:
    void acceptAll();
    void acceptFailed(int error);
    void retry();
    void reportEpisode(int error);

    const QString m_role;
    const QMessageLogger::CategoryFunction m_category;
    QString m_name;                              // role and bound address, for the log
    QTcpServer m_server;                         // binds and listens; its own accepting stays paused
    QSocketNotifier *m_notifier = nullptr;       // readable listening socket: connections to accept
    QList<QTcpSocket *> m_pending;
    SocketFactory m_socketFactory;
    QTimer m_retryTimer;
    bool m_failing = false;
    std::chrono::milliseconds m_retryDelay = kFirstRetryDelay;
    int m_failedAttempts = 0;                    // in the current episode
    QElapsedTimer m_episode;                     // since the first failure of the current episode
    bool m_episodeReported = false;              // its warning was logged, so its end is logged too
    QElapsedTimer m_lastReport;                  // invalid until the first warning
    int m_unreportedEpisodes = 0;                // since the last warning
};

} // namespace skiff::net
