#include "app/Node.h"

#include "core/BuildInfo.h"
#include "core/Logging.h"
#include "kafka/server/KafkaServer.h"
#include "metadata.pb.h"
#include "metadata/MetadataController.h"

#include <QCoreApplication>
#include <QUuid>

#include <filesystem>

namespace skiff::app {

const char *nodeStateName(NodeState state)
{
    switch (state) {
    case NodeState::Starting: return "starting";
    case NodeState::LoadingMetadata: return "loading-metadata";
    case NodeState::OpeningLogs: return "opening-logs";
    case NodeState::WaitingForLeader: return "waiting-for-leader";
    case NodeState::Registering: return "registering";
    case NodeState::Listening: return "listening";
    case NodeState::Ready: return "ready";
    case NodeState::Stopping: return "stopping";
    case NodeState::Failed: return "failed";
    }
    return "unknown";
}

Node::Node(core::NodeConfig config, QObject *parent)
    : QObject(parent), m_config(std::move(config)),
      m_incarnationId(QUuid::createUuid().toString(QUuid::WithoutBraces).toStdString())
{
    m_sinceStart.start();
}

Node::~Node()
{
    for (QThread *thread : {&m_kafkaThread, &m_metadataThread}) {
        thread->quit();
        thread->wait();
    }
}

void Node::enter(NodeState state, const QString &detail)
{
    m_state = state;
    qCInfo(lcNode, "state %s%s%s (%lld ms since start)", nodeStateName(state), detail.isEmpty() ? "" : ": ",
           qPrintable(detail), static_cast<long long>(m_sinceStart.elapsed()));
}

void Node::start()
{
    const auto &build = core::buildInfo();
    qCInfo(lcNode, "skiffd %s (git %s, built %s) node %llu of cluster %s, incarnation %s", build.version, build.gitHash,
           build.buildTime, static_cast<unsigned long long>(m_config.nodeId), m_config.clusterId.c_str(),
           m_incarnationId.c_str());
    enter(NodeState::Starting);

    std::error_code ec;
    std::filesystem::create_directories(m_config.dataDir + "/metadata", ec);
    if (ec) {
        fail(QStringLiteral("cannot create %1/metadata: %2").arg(QString::fromStdString(m_config.dataDir),
                                                                  QString::fromStdString(ec.message())));
        return;
    }

    // Event loops start first; every later step is a message to a loop that already runs.
    m_metadataThread.setObjectName(QStringLiteral("metadata"));
    m_kafkaThread.setObjectName(QStringLiteral("kafka"));
    m_controller = new metadata::MetadataController(m_config.nodeId, m_config.dataDir + "/metadata/journal.log");
    m_controller->moveToThread(&m_metadataThread);
    connect(&m_metadataThread, &QThread::finished, m_controller, &QObject::deleteLater);
    m_kafka = new kafka::KafkaServer(m_config, m_controller);
    m_kafka->moveToThread(&m_kafkaThread);
    connect(&m_kafkaThread, &QThread::finished, m_kafka, &QObject::deleteLater);
    m_metadataThread.start();
    m_kafkaThread.start();

    connect(m_controller, &metadata::MetadataController::failed, this, &Node::fail);
    connect(m_kafka, &kafka::KafkaServer::failed, this, &Node::fail);
    connect(m_controller, &metadata::MetadataController::ready, this, [this]() {
        enter(NodeState::OpeningLogs);
        QMetaObject::invokeMethod(m_kafka, &kafka::KafkaServer::openLogs, Qt::QueuedConnection);
    });
    connect(m_kafka, &kafka::KafkaServer::logsOpened, this, [this]() {
        // One voter: this node leads the metadata log as soon as it is loaded.
        enter(NodeState::WaitingForLeader, QStringLiteral("leader is node %1").arg(m_config.nodeId));
        registerSelf();
    });
    connect(m_kafka, &kafka::KafkaServer::listening, this, [this](const QString &address) {
        enter(NodeState::Ready, QStringLiteral("Kafka clients served on %1").arg(address));
    });
    connect(m_kafka, &kafka::KafkaServer::stopped, this, [this]() {
        qCInfo(lcNode, "stopped cleanly");
        emit finished(m_state == NodeState::Failed ? 1 : 0);
    });

    enter(NodeState::LoadingMetadata);
    QMetaObject::invokeMethod(m_controller, &metadata::MetadataController::start, Qt::QueuedConnection);
}

void Node::registerSelf()
{
    enter(NodeState::Registering, QStringLiteral("incarnation %1").arg(QString::fromStdString(m_incarnationId)));
    metadata::Command command;
    auto *reg = command.mutable_register_broker();
    reg->set_broker_id(m_config.nodeId);
    reg->set_incarnation_id(m_incarnationId);
    reg->set_kafka_host(m_config.kafkaAdvertise.host);
    reg->set_kafka_port(m_config.kafkaAdvertise.port);
    reg->set_admin_address(m_config.adminListen.toString());
    reg->set_raft_address(m_config.raftListen.toString());
    m_controller->submit(command, this, [this](metadata::ApplyResult result) {
        if (!result.status.isOk()) {
            fail(QStringLiteral("registration failed: %1").arg(QString::fromStdString(result.status.toString())));
            return;
        }
        enter(NodeState::Listening);
        QMetaObject::invokeMethod(m_kafka, &kafka::KafkaServer::listen, Qt::QueuedConnection);
    });
}

void Node::fail(const QString &reason)
{
    if (m_state == NodeState::Failed || m_state == NodeState::Stopping)
        return;
    qCCritical(lcNode, "%s", qPrintable(reason));
    enter(NodeState::Failed);
    QMetaObject::invokeMethod(m_kafka, &kafka::KafkaServer::shutdown, Qt::QueuedConnection);
}

void Node::shutdown()
{
    if (m_state == NodeState::Stopping || m_state == NodeState::Failed)
        return;
    enter(NodeState::Stopping);
    QMetaObject::invokeMethod(m_kafka, &kafka::KafkaServer::shutdown, Qt::QueuedConnection);
}

} // namespace skiff::app
