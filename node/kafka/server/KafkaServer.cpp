#include "kafka/server/KafkaServer.h"

#include "kafka/server/KafkaApis.h"
#include "kafka/server/KafkaConnection.h"
#include "kafka/server/KafkaLog.h"
#include "kafka/server/KafkaMetrics.h"
#include "kafka/server/PartitionManager.h"
#include "kafka/server/ReplicaManager.h"
#include "kafka/server/RequestReadBudget.h"
#include "core/RateLimitedLog.h"
#include "metadata/MetadataController.h"
#include "net/ServerTls.h"
#include "net/TcpListener.h"

#include <algorithm>

#include <QHostAddress>
#include <QSslSocket>
#include <QTcpSocket>
#include <QTimer>

namespace skiff::kafka {

KafkaServer::KafkaServer(const core::NodeConfig &config, metadata::MetadataController *controller,
                         std::string incarnationId, std::function<void(admin::EventKind, const QString &)> reportEvent)
    : m_config(config), m_controller(controller), m_incarnationId(std::move(incarnationId)),
      m_reportEvent(std::move(reportEvent)), m_metrics(std::make_unique<KafkaMetrics>()),
      m_readBudget(std::make_unique<RequestReadBudget>(config.queuedMaxRequestBytes, m_metrics->readBudget)),
      m_connectionLog(new core::RateLimitedLog(core::LogFlood::KafkaConnection, lcKafka, this)),
      m_timeouts{std::chrono::milliseconds(config.socketRequestTimeoutMs), std::chrono::milliseconds(config.connectionsMaxIdleMs),
                 std::chrono::milliseconds(config.sslHandshakeTimeoutMs)}
{
    m_metrics->queuedMaxRequestBytes = config.queuedMaxRequestBytes;
}

KafkaServer::~KafkaServer()
{
    // Connections are children, deleted after our members by ~QObject; they refer to the read
    // budget and the listener's shared parts, so they go first.
    qDeleteAll(findChildren<KafkaConnection *>(Qt::FindDirectChildrenOnly));
}

void KafkaServer::openLogs()
{
    net::ServerTls *shared = nullptr;   // the node-wide ssl.* files, for listeners without their own
    for (const core::KafkaListener &l : m_config.kafkaListeners) {
        net::ServerTls *tls = nullptr;
        if (core::usesTls(l.protocol) && m_config.listenerTls.count(l.name)) {
            tls = new net::ServerTls(m_config.listenerTls.at(l.name),
                                     QStringLiteral("Kafka listener %1").arg(QString::fromStdString(l.name)), lcKafka, this);
            if (Status s = tls->load(); !s.isOk()) {
                emit failed(QStringLiteral("cannot serve listener %1: %2")
                                .arg(QString::fromStdString(l.name), QString::fromStdString(s.message())));
                return;
            }
        } else if (core::usesTls(l.protocol)) {
            if (!shared) {
                shared = new net::ServerTls(m_config.tls, QStringLiteral("Kafka SSL listeners"), lcKafka, this);
                if (Status s = shared->load(); !s.isOk()) {
                    emit failed(QStringLiteral("cannot serve the SSL listeners: %1").arg(QString::fromStdString(s.message())));
                    return;
                }
            }
            tls = shared;
        }
        m_tls.push_back(tls);
    }
    PartitionManager::NodeLinks links{m_incarnationId, m_reportEvent, m_metrics.get(), {}};
    // Followers present the inter-broker listener's certificate and check the leader's against its CA.
    if (net::ServerTls *interBroker = m_tls.front())
        links.interBrokerTls = [interBroker] { return interBroker->clientConfiguration(); };
    m_partitions = std::make_unique<PartitionManager>(m_config, m_controller, std::move(links), this);
    if (Status s = m_partitions->open(); !s.isOk()) {
        emit failed(QStringLiteral("cannot open partition logs: %1").arg(QString::fromStdString(s.toString())));
        return;
    }
    m_apis = std::make_unique<KafkaApis>(m_config, m_controller, *m_partitions, m_metrics.get(), this);
    for (const core::KafkaListener &listener : m_config.kafkaListeners) {
        auto shared = std::make_unique<KafkaListenerShared>(
            KafkaListenerShared{listener, *m_apis, *m_metrics, *m_readBudget, *m_connectionLog, m_config.socketRequestMaxBytes});
        if (core::usesSasl(listener.protocol)) {
            shared->saslMechanisms = m_config.saslMechanisms;
            shared->reauthMs = m_config.connectionsMaxReauthMs;
            // Each step reads the image applied by then: a user added or deleted through Raft
            // counts from the next exchange on.
            shared->credentials = [controller = m_controller](const std::string &user, metadata::ScramMechanism mechanism)
                -> std::optional<metadata::ScramCredential> {
                const metadata::ImagePtr image = controller->image();
                auto u = image->scramCredentials.find(user);
                if (u == image->scramCredentials.end())
                    return std::nullopt;
                auto c = u->second.find(mechanism);
                return c == u->second.end() ? std::nullopt : std::optional(c->second);
            };
        }
        m_shared.push_back(std::move(shared));
    }
    emit logsOpened();
}

void KafkaServer::listen()
{
    const auto &listeners = m_config.kafkaListeners;
    QStringList bound;
    for (size_t i = 0; i < listeners.size(); ++i) {
        const core::KafkaListener &l = listeners[i];
        auto *listener = new net::TcpListener(QStringLiteral("Kafka listener %1").arg(QString::fromStdString(l.name)), lcKafka, this);
        listener->setListenBacklogSize(1024);
        if (core::usesTls(l.protocol))
            listener->setSocketFactory([tls = m_tls[i], sasl = core::usesSasl(l.protocol)](QObject *parent) {
                QSslSocket *socket = tls->makeSocket(parent);
                // As Kafka since KIP-684: ssl.client.auth is for SSL listeners; on SASL_SSL the
                // client is who SASL says it is, and asks for no certificate.
                if (sasl)
                    socket->setPeerVerifyMode(QSslSocket::VerifyNone);
                return socket;
            });
        const QString host = QString::fromStdString(l.bind.host);
        QHostAddress address;
        if (host == QLatin1String("localhost"))
            address = QHostAddress::LocalHost;
        else if (!address.setAddress(host))
            address = QHostAddress::Any;   // a host name: bind every interface, advertise the name
        if (!listener->listen(address, l.bind.port)) {
            emit failed(QStringLiteral("cannot listen for Kafka clients on %1 (listener %2): %3")
                            .arg(QString::fromStdString(l.bind.toString()), QString::fromStdString(l.name), listener->errorString()));
            return;
        }
        connect(listener, &net::TcpListener::newConnection, this, [this, i] { onNewConnection(i); });
        m_listeners.push_back(listener);
        // "SSL://127.0.0.1:9093", "CLIENT://0.0.0.0:9092 (SSL)"; the shorthand's one listener: its address.
        const QString name = QString::fromStdString(l.name);
        const QString protocol = QString::fromLatin1(core::securityProtocolName(l.protocol));
        const QString where = QString::fromStdString(l.bind.toString());
        if (listeners.size() == 1 && l.protocol == core::SecurityProtocol::Plaintext)
            bound << where;
        else
            bound << name + QStringLiteral("://") + where + (name == protocol ? QString() : QStringLiteral(" (%1)").arg(protocol));
    }
    m_expiryTimer = new QTimer(this);
    connect(m_expiryTimer, &QTimer::timeout, this, &KafkaServer::expireConnections);
    m_expiryTimer->start(m_timeouts.sweepInterval());
    emit listening(bound.join(QStringLiteral(", ")));
}

void KafkaServer::reloadTls()
{
    std::vector<net::ServerTls *> contexts = m_tls;
    std::sort(contexts.begin(), contexts.end());
    contexts.erase(std::unique(contexts.begin(), contexts.end()), contexts.end());   // a shared one once
    for (net::ServerTls *tls : contexts)
        if (tls)
            tls->reload(QStringLiteral("SIGHUP"));
}

void KafkaServer::onNewConnection(size_t listener)
{
    while (QTcpSocket *socket = m_listeners[listener]->nextPendingConnection()) {
        if (m_stopping) {
            socket->abort();
            socket->deleteLater();
            continue;
        }
        auto *connection = new KafkaConnection(socket, *m_shared[listener], this);
        m_connections.insert(connection);
        ++m_metrics->connections;
        ++m_metrics->connectionsAccepted;
        connect(connection, &KafkaConnection::closed, this, &KafkaServer::onConnectionClosed);
        if (auto *tls = qobject_cast<QSslSocket *>(socket))
            tls->startServerEncryption();   // the connection watches the handshake from here
    }
}

void KafkaServer::onConnectionClosed(KafkaConnection *connection)
{
    if (m_connections.remove(connection))
        --m_metrics->connections;
    connection->deleteLater();
    if (m_stopping && m_connections.isEmpty())
        finishShutdown();
}

void KafkaServer::expireConnections()
{
    const auto now = std::chrono::steady_clock::now();
    const auto connections = m_connections;   // expiring one removes it from m_connections
    for (KafkaConnection *c : connections)
        c->expireIfDue(m_timeouts, now);
}

void KafkaServer::shutdown()
{
    if (m_stopping)
        return;
    m_stopping = true;
    if (m_partitions) {
        // Leaderships move first, while clients can still be told where they went.
        m_partitions->replicas().controlledShutdown(kControlledShutdownTimeoutMs, [this] { closeConnections(); });
        return;
    }
    closeConnections();
}

void KafkaServer::closeConnections()
{
    qCInfo(lcKafka, "stopping: no new connections; answering %lld open connection(s)", qint64(m_connections.size()));
    for (net::TcpListener *listener : m_listeners)
        listener->close();
    if (m_expiryTimer)
        m_expiryTimer->stop();
    if (m_apis)
        m_apis->shutdown();   // long-poll fetches answer now with what they have
    if (m_connections.isEmpty()) {
        finishShutdown();
        return;
    }
    for (KafkaConnection *c : std::as_const(m_connections))
        c->closeWhenDrained();
    // A client that never reads its responses must not hold the node up forever.
    QTimer::singleShot(kDrainTimeoutMs, this, [this]() {
        if (m_connections.isEmpty())
            return;
        qCWarning(lcKafka, "%lld connection(s) still open %d ms after shutdown began; closing them",
                  qint64(m_connections.size()), kDrainTimeoutMs);
        const auto remaining = m_connections;
        for (KafkaConnection *c : remaining)
            c->abortNow();
    });
}

void KafkaServer::finishShutdown()
{
    if (m_finished)
        return;
    m_finished = true;
    if (!m_partitions) {
        emit stopped();
        return;
    }
    m_partitions->close([this](Status s) {
        if (!s.isOk())
            qCCritical(lcKafka, "final sync of partition logs failed: %s", s.toString().c_str());
        emit stopped();
    });
}

} // namespace skiff::kafka
