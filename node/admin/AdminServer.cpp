#include "admin/AdminServer.h"

#include "admin/AdminConnection.h"
#include "admin/AdminLog.h"
#include "admin/AdminProtocol.h"
#include "cluster/RaftController.h"
#include "core/RateLimitedLog.h"
#include "net/ServerTls.h"
#include "net/TcpListener.h"

#include <QDateTime>
#include <QSslSocket>
#include <QTcpSocket>
#include <QTimer>

namespace skiff::admin {

AdminServer::AdminServer(AdminContext context, QObject *parent)
    : QObject(parent), m_context(std::move(context)), m_server(new net::TcpListener(QStringLiteral("admin.listen"), lcAdmin, this)),
      m_connectionLog(new core::RateLimitedLog(core::LogFlood::AdminConnection, lcAdmin, this)),
      m_expiryTimer(new QTimer(this)), m_events(m_context.incarnationId, kEventHistoryCapacity)
{
    connect(m_server, &net::TcpListener::newConnection, this, &AdminServer::onNewConnection);
    connect(m_expiryTimer, &QTimer::timeout, this, &AdminServer::expireConnections);
    // Emitted on the raft thread, delivered here queued: the raft loop never waits for us.
    if (m_context.controller)
        connect(m_context.controller, &cluster::RaftController::clusterEvent, this, &AdminServer::onClusterEvent);
}

AdminServer::~AdminServer() = default;

Status AdminServer::listen(const QString &host, quint16 port)
{
    QHostAddress address;
    if (host == QLatin1String("localhost"))
        address = QHostAddress::LocalHost;
    else if (!address.setAddress(host)) {
        const QString reason = QStringLiteral("admin.listen: '%1' is not an IP address").arg(host);
        emit failed(reason);
        return invalidArgument(reason.toStdString());
    }
    if (m_context.access.tls && !m_tls) {
        // Certificates are asked for (QueryPeer) even when required: the connection refuses a
        // client without one (net::watchServerHandshake) after telling it why, which a handshake
        // failed by TLS itself could not.
        net::TlsFiles files = m_context.tls;
        if (files.clientAuth == net::ClientAuth::Required)
            files.clientAuth = net::ClientAuth::Requested;
        m_tls = new net::ServerTls(files, QStringLiteral("admin socket"), lcAdmin, this);
        if (Status s = m_tls->load(); !s.isOk()) {
            const QString reason = QStringLiteral("cannot serve the admin socket over TLS (admin.ssl.enable): %1")
                                       .arg(QString::fromStdString(s.message()));
            emit failed(reason);
            return failedPrecondition(reason.toStdString());
        }
        // Not encrypting yet: the connection starts the handshake once the client's first byte
        // says it speaks TLS.
        m_server->setSocketFactory([tls = m_tls](QObject *parent) { return tls->makeSocket(parent); });
    }
    if (!m_server->listen(address, port)) {
        const QString reason = QStringLiteral("cannot listen on admin.listen %1:%2: %3 (is another process using the port?)")
                                   .arg(host).arg(port).arg(m_server->errorString());
        emit failed(reason);
        return ioError(reason.toStdString());
    }
    m_expiryTimer->start(m_context.timeouts.sweepInterval());
    const QString bound = QStringLiteral("%1:%2").arg(host).arg(m_server->serverPort());
    const bool open = m_context.access.mutationAuth == core::MutationAuth::Open;
    qCInfo(lcAdmin, "admin socket on %s (%s; mutations: %s)", qPrintable(bound),
           m_context.access.tls ? "TLS" : "plaintext",
           open ? "open to anyone who can connect: no admin.token or admin.mutation.auth"
                : core::mutationAuthName(m_context.access.mutationAuth));
    emit listening(bound);
    return Status::ok();
}

quint16 AdminServer::port() const { return m_server->serverPort(); }

void AdminServer::reloadTls()
{
    if (m_tls)
        m_tls->reload(QStringLiteral("SIGHUP"));
}

void AdminServer::onNewConnection()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        auto *connection = new AdminConnection(socket, m_context, m_metrics, m_events, *m_connectionLog, this);
        m_connections.insert(connection);
        ++m_metrics.connections;
        connect(connection, &AdminConnection::closed, this, [this](AdminConnection *c) {
            if (m_connections.erase(c))
                --m_metrics.connections;
            c->deleteLater();
        });
    }
}

void AdminServer::expireConnections()
{
    const auto now = std::chrono::steady_clock::now();
    const auto connections = m_connections;   // expiring one removes it from m_connections
    for (AdminConnection *c : connections)
        c->expireIfDue(now);
}

void AdminServer::onClusterEvent(EventKind kind, const QString &text, const LeaderMoves &moves)
{
    Event event;
    event.set_event_kind(kind);
    event.set_kind(eventKindName(kind));
    event.set_text(text.toStdString());
    event.set_time_unix_ms(QDateTime::currentMSecsSinceEpoch());   // when it reached the admin thread
    event.set_node_id(m_context.nodeId);
    if (moves.moves_size() > 0 || moves.left_out() > 0)
        *event.mutable_leader_moves() = moves;
    const Event &kept = m_events.record(std::move(event));
    for (AdminConnection *c : m_connections)
        c->relayEvent(kept);
}

} // namespace skiff::admin
