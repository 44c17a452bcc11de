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
#include "net/TcpListener.h"

#include <QHostAddress>
#include <QTcpSocket>
#include <QTimer>

namespace skiff::kafka {

KafkaServer::KafkaServer(const core::NodeConfig &config, metadata::MetadataController *controller,
                         std::string incarnationId, std::function<void(admin::EventKind, const QString &)> reportEvent)
    : m_config(config), m_controller(controller), m_incarnationId(std::move(incarnationId)),
      m_reportEvent(std::move(reportEvent)), m_metrics(std::make_unique<KafkaMetrics>()),
      m_readBudget(std::make_unique<RequestReadBudget>(config.queuedMaxRequestBytes, m_metrics->readBudget)),
      m_connectionLog(new core::RateLimitedLog(core::LogFlood::KafkaConnection, lcKafka, this)),
      m_timeouts{std::chrono::milliseconds(config.socketRequestTimeoutMs), std::chrono::milliseconds(config.connectionsMaxIdleMs)}
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
    m_partitions = std::make_unique<PartitionManager>(
        m_config, m_controller, PartitionManager::NodeLinks{m_incarnationId, m_reportEvent, m_metrics.get()}, this);
    if (Status s = m_partitions->open(); !s.isOk()) {
        emit failed(QStringLiteral("cannot open partition logs: %1").arg(QString::fromStdString(s.toString())));
        return;
    }
    m_apis = std::make_unique<KafkaApis>(m_config, m_controller, *m_partitions, this);
    m_shared = std::make_unique<KafkaListenerShared>(
        KafkaListenerShared{*m_apis, *m_metrics, *m_readBudget, *m_connectionLog, m_config.socketRequestMaxBytes});
    emit logsOpened();
}

void KafkaServer::listen()
{
    m_listener = new net::TcpListener(QStringLiteral("kafka.listen"), lcKafka, this);
    m_listener->setListenBacklogSize(1024);
    const QString host = QString::fromStdString(m_config.kafkaListen.host);
    QHostAddress address;
    if (host == QLatin1String("localhost"))
        address = QHostAddress::LocalHost;
    else if (!address.setAddress(host))
        address = QHostAddress::Any;   // a host name: bind every interface, advertise the name
    if (!m_listener->listen(address, m_config.kafkaListen.port)) {
        emit failed(QStringLiteral("cannot listen for Kafka clients on %1 (kafka.listen): %2")
                        .arg(QString::fromStdString(m_config.kafkaListen.toString()), m_listener->errorString()));
        return;
    }
    connect(m_listener, &net::TcpListener::newConnection, this, &KafkaServer::onNewConnection);
    m_expiryTimer = new QTimer(this);
    connect(m_expiryTimer, &QTimer::timeout, this, &KafkaServer::expireConnections);
    m_expiryTimer->start(m_timeouts.sweepInterval());
    emit listening(QString::fromStdString(m_config.kafkaListen.toString()));
}

void KafkaServer::onNewConnection()
{
    while (QTcpSocket *socket = m_listener->nextPendingConnection()) {
        if (m_stopping) {
            socket->abort();
            socket->deleteLater();
            continue;
        }
        auto *connection = new KafkaConnection(socket, *m_shared, this);
        m_connections.insert(connection);
        ++m_metrics->connections;
        ++m_metrics->connectionsAccepted;
        connect(connection, &KafkaConnection::closed, this, &KafkaServer::onConnectionClosed);
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
    if (m_listener)
        m_listener->close();
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
