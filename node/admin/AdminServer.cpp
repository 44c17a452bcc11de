#include "admin/AdminServer.h"

#include "admin/AdminConnection.h"
#include "admin/AdminLog.h"
#include "cluster/RaftController.h"
#include "net/TcpListener.h"

#include <QDateTime>
#include <QTcpSocket>

namespace skiff::admin {

AdminServer::AdminServer(AdminContext context, QObject *parent)
    : QObject(parent), m_context(std::move(context)), m_server(new net::TcpListener(QStringLiteral("admin.listen"), lcAdmin, this))
{
    connect(m_server, &net::TcpListener::newConnection, this, &AdminServer::onNewConnection);
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
    if (!m_server->listen(address, port)) {
        const QString reason = QStringLiteral("cannot listen on admin.listen %1:%2: %3 (is another process using the port?)")
                                   .arg(host).arg(port).arg(m_server->errorString());
        emit failed(reason);
        return ioError(reason.toStdString());
    }
    const QString bound = QStringLiteral("%1:%2").arg(host).arg(m_server->serverPort());
    qCInfo(lcAdmin, "admin socket on %s%s", qPrintable(bound),
           m_context.token.empty() ? " (no admin.token: mutating requests are open to anyone who can connect)" : "");
    emit listening(bound);
    return Status::ok();
}

quint16 AdminServer::port() const { return m_server->serverPort(); }

void AdminServer::onNewConnection()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        auto *connection = new AdminConnection(socket, m_context, this);
        m_connections.insert(connection);
        connect(connection, &AdminConnection::closed, this, [this](AdminConnection *c) {
            m_connections.erase(c);
            c->deleteLater();
        });
    }
}

void AdminServer::onClusterEvent(const QString &kind, const QString &text)
{
    Event event;
    event.set_kind(kind.toStdString());
    event.set_text(text.toStdString());
    event.set_time_unix_ms(QDateTime::currentMSecsSinceEpoch());   // when it reached the admin thread
    event.set_node_id(m_context.nodeId);
    for (AdminConnection *c : m_connections)
        c->relayEvent(event);
}

} // namespace skiff::admin
