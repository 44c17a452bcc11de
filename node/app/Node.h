#pragma once

#include "app/NodeState.h"
#include "core/NodeConfig.h"

#include <QElapsedTimer>
#include <QObject>
#include <QThread>

namespace skiff::metadata {
class MetadataController;
}
namespace skiff::kafka {
class KafkaServer;
}

namespace skiff::app {

// One skiffd process: starts the threads that own things, walks the startup states, and shuts
// down cleanly. Lives on the main thread and never blocks it.
class Node : public QObject {
    Q_OBJECT
public:
    explicit Node(core::NodeConfig config, QObject *parent = nullptr);
    ~Node() override;

    void start();
    void shutdown();
    NodeState state() const { return m_state; }

signals:
    void finished(int exitCode);

private:
    void enter(NodeState state, const QString &detail = {});
    void fail(const QString &reason);
    void registerSelf();

    const core::NodeConfig m_config;
    const std::string m_incarnationId;
    NodeState m_state = NodeState::Starting;
    QElapsedTimer m_sinceStart;
    QThread m_metadataThread;
    QThread m_kafkaThread;
    metadata::MetadataController *m_controller = nullptr;
    kafka::KafkaServer *m_kafka = nullptr;
};

} // namespace skiff::app
