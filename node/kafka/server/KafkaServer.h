#pragma once

#include "admin.pb.h"
#include "core/ConnectionTimeouts.h"
#include "core/NodeConfig.h"

#include <QObject>
#include <QSet>
#include <QString>

#include <functional>
#include <memory>
#include <string>
#include <vector>

class QTimer;

namespace skiff::core {
class RateLimitedLog;
}

namespace skiff::net {
class ServerTls;
class TcpListener;
}

namespace skiff::metadata {
class MetadataController;
}

namespace skiff::kafka {

class KafkaApis;
class KafkaConnection;
class RequestReadBudget;
struct KafkaListenerShared;
class PartitionManager;
struct KafkaMetrics;

// Everything Kafka on one thread: the listener, the connections, the request handlers and the
// partition logs they read and write. Created on the main thread, then moved to its own thread;
// its slots are invoked there by queued calls.
class KafkaServer : public QObject {
    Q_OBJECT
public:
    // `incarnationId`: this process's (its partitions report offline logs under it);
    // `reportEvent` (any thread) relays events, e.g. a partition going offline, to the admin socket.
    KafkaServer(const core::NodeConfig &config, metadata::MetadataController *controller, std::string incarnationId,
                std::function<void(admin::EventKind kind, const QString &text)> reportEvent);
    ~KafkaServer() override;

    // Kafka thread (post these there).
    void openLogs();    // recovers every partition log; emits logsOpened() or failed()
    void listen();      // binds every Kafka listener; emits listening() or failed()
    void reloadTls();   // SIGHUP: the SSL listeners' certificate files are read again
    void shutdown();    // stops accepting, answers what is in flight, syncs logs; emits stopped()

    // Any thread: request counts, latencies, bytes, connections.
    const KafkaMetrics &metrics() const { return *m_metrics; }

signals:
    void logsOpened();
    void listening(QString address);
    void failed(QString reason);
    void stopped();

private:
    void onNewConnection(size_t listener);
    void onConnectionClosed(KafkaConnection *connection);
    void expireConnections();
    void finishShutdown();
    void closeConnections();   // the shutdown after leaderships moved

    const core::NodeConfig m_config;
    metadata::MetadataController *m_controller;
    const std::string m_incarnationId;
    const std::function<void(admin::EventKind, const QString &)> m_reportEvent;
    std::unique_ptr<KafkaMetrics> m_metrics;   // before the partitions: they write to it until they go
    std::unique_ptr<PartitionManager> m_partitions;
    std::unique_ptr<KafkaApis> m_apis;
    std::unique_ptr<RequestReadBudget> m_readBudget;
    core::RateLimitedLog *m_connectionLog;   // child: moves to the kafka thread with us
    std::vector<std::unique_ptr<KafkaListenerShared>> m_shared;   // per listener, as m_config.kafkaListeners
    const core::ConnectionTimeouts m_timeouts;
    QTimer *m_expiryTimer = nullptr;
    std::vector<net::TcpListener *> m_listeners;   // as m_config.kafkaListeners
    // The TLS context of each listener (nullptr: plaintext), as m_config.kafkaListeners; listeners
    // without listener.name.<x>.ssl.* keys share the node-wide one. Loaded by openLogs.
    std::vector<net::ServerTls *> m_tls;
    QSet<KafkaConnection *> m_connections;
    bool m_stopping = false;
    bool m_finished = false;
    static constexpr int kDrainTimeoutMs = 5000;
    // How long a SIGTERM waits for the controller to move this broker's leaderships.
    static constexpr int64_t kControlledShutdownTimeoutMs = 5000;
};

} // namespace skiff::kafka
