#pragma once
// The node's admin socket (admin.listen): skiffctl and the dashboard speak admin.proto to it,
// over TLS with admin.ssl.enable (the node's ssl.* files, reloaded as the Kafka listeners' are).
// Lives on its own thread ("admin"), created by Node. Reads the published cluster status and
// metadata image by pointer (no locks), posts mutations to the raft thread, and relays the
// controller's cluster events to subscribers, keeping the recent ones (EventRing) for those who
// subscribe later.

#include "admin.pb.h"
#include "admin/AdminContext.h"
#include "admin/AdminMetrics.h"
#include "admin/EventRing.h"
#include "common/Status.h"

#include <QObject>

#include <set>

class QTimer;

namespace skiff::core {
class RateLimitedLog;
}
namespace skiff::net {
class ServerTls;
class TcpListener;
}

namespace skiff::admin {

class AdminConnection;

class AdminServer : public QObject {
    Q_OBJECT
public:
    explicit AdminServer(AdminContext context, QObject *parent = nullptr);
    ~AdminServer() override;

    // Admin thread. Loads the TLS files (admin.ssl.enable) and binds admin.listen; emits
    // listening(address) or failed(reason) too, for callers that post this call.
    Status listen(const QString &host, quint16 port);
    // Admin thread: reads the TLS files again (SIGHUP); connections open keep their certificate.
    void reloadTls();
    quint16 port() const;
    // Any thread.
    const AdminMetrics &metrics() const { return m_metrics; }

signals:
    void listening(QString address);
    void failed(QString reason);

private:
    void onNewConnection();
    void onClusterEvent(skiff::admin::EventKind kind, const QString &text, const skiff::admin::LeaderMoves &moves);
    void expireConnections();

    const AdminContext m_context;
    net::TcpListener *m_server = nullptr;
    net::ServerTls *m_tls = nullptr;   // admin.ssl.enable
    core::RateLimitedLog *m_connectionLog;   // TLS handshakes that fail, plaintext clients on a TLS socket
    QTimer *m_expiryTimer;
    std::set<AdminConnection *> m_connections;
    AdminMetrics m_metrics;
    EventRing m_events;
};

} // namespace skiff::admin
