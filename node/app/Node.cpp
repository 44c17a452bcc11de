#include "app/Node.h"

#include "core/BuildInfo.h"
#include "app/NodeLog.h"
#include "app/HttpEndpoint.h"
#include "app/MetricsPage.h"
#include "app/SystemdNotifier.h"
#include "app/WatchdogMissReporter.h"
#include "admin/AdminServer.h"
#include "admin/AdminViews.h"
#include "admin/ProtoJson.h"
#include "cluster/RaftController.h"
#include "cluster/Readiness.h"
#include "kafka/protocol/ApiKeys.h"
#include "kafka/server/KafkaMetrics.h"
#include "kafka/server/KafkaServer.h"
#include "kafka/server/TopicConfigs.h"
#include "metadata.pb.h"
#include "sync/LoopHeartbeat.h"
#include "sync/Watchdog.h"
#include "sync/Witness.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>
#include <QUuid>

#include <algorithm>
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
    case NodeState::CatchingUp: return "catching-up";
    case NodeState::Listening: return "listening";
    case NodeState::Ready: return "ready";
    case NodeState::Stopping: return "stopping";
    case NodeState::Failed: return "failed";
    }
    return "unknown";
}

namespace {

constexpr qint64 kFirstStallWarningMs = 5000;

cluster::ClusterOptions clusterOptions(const core::NodeConfig &config, const std::string &incarnation)
{
    cluster::ClusterOptions o;
    o.nodeId = config.nodeId;
    o.clusterId = config.clusterId;
    o.incarnationId = incarnation;
    o.buildVersion = std::string(core::buildInfo().version) + " (git " + core::buildInfo().gitHash + ")";
    o.dataDir = config.dataDir;
    o.raftHost = config.raftListen.host;
    o.raftPort = config.raftListen.port;
    for (const auto &p : config.peers)
        o.initialVoters[p.id] = p.raftAddress.toString();
    if (config.join.port != 0)
        o.joinAddress = config.join.toString();
    o.joinToken = config.clusterJoinToken;
    o.tls = config.raftTls;
    o.tlsFiles = config.tls;
    o.tickMs = config.raftTickMs;
    o.electionTicks = int(std::max<int64_t>(3, config.raftElectionTimeoutMs / config.raftTickMs));
    o.heartbeatTicks = 1;
    o.brokerHeartbeatIntervalMs = config.brokerHeartbeatIntervalMs;
    o.brokerSessionTimeoutMs = config.brokerSessionTimeoutMs;
    o.snapshotEntries = uint64_t(config.metadataSnapshotEntries);
    o.snapshotKeepEntries = std::min<uint64_t>(1000, o.snapshotEntries / 2);
    return o;
}

} // namespace

Node::Node(core::NodeConfig config, QObject *parent)
    : QObject(parent), m_config(std::move(config)),
      m_incarnationId(QUuid::createUuid().toString(QUuid::WithoutBraces).toStdString())
{
    m_sinceStart.start();
    m_systemd = new SystemdNotifier(this);
}

Node::~Node()
{
    // The report sinks name the controller, which goes with the raft thread.
    sync::setWitnessReportSink({});
    if (m_watchdog)
        m_watchdog->stop();
    // The admin socket reads the controller: it stops first.
    for (QThread *thread : {&m_adminThread, &m_kafkaThread, &m_raftThread}) {
        thread->quit();
        thread->wait();
    }
}

void Node::enter(NodeState state, const QString &detail)
{
    // Failed and Stopping are left only by exiting: a later step must not paper over them (a
    // start that went on after its HTTP port was taken once exited 0, as if stopped on request).
    if ((m_state == NodeState::Failed || m_state == NodeState::Stopping) && state != NodeState::Failed)
        return;
    m_state = state;
    m_publishedState.store(state, std::memory_order_release);
    m_inState.start();
    m_nextStallWarningMs = kFirstStallWarningMs;
    qCInfo(lcNode, "state %s%s%s (%lld ms since start)", nodeStateName(state), detail.isEmpty() ? "" : ": ",
           qPrintable(detail), static_cast<long long>(m_sinceStart.elapsed()));
    m_systemd->stateChanged(state, detail);
}

// A startup state that lasts is said in the log, with what the node waits for, at 5, 10, 20,
// 40... s: a log that simply stops would leave an operator guessing.
void Node::warnIfStartupStalls()
{
    const bool waiting = m_state == NodeState::WaitingForLeader || m_state == NodeState::Registering ||
                         m_state == NodeState::CatchingUp || m_state == NodeState::Listening;
    if (!waiting || m_inState.elapsed() < m_nextStallWarningMs)
        return;
    m_nextStallWarningMs *= 2;
    const cluster::Readiness r = cluster::readinessOf(*m_controller->clusterStatus());
    qCWarning(lcNode, "still %s after %lld ms: %s", nodeStateName(m_state), static_cast<long long>(m_inState.elapsed()),
              r.ready ? "the cluster side is ready; waiting for this node's next step" : r.reason.c_str());
}

void Node::start()
{
    const auto &build = core::buildInfo();
    qCInfo(lcNode, "skiffd %s (git %s, built %s) node %llu of cluster %s, incarnation %s, started %s", build.version,
           build.gitHash, build.buildTime, static_cast<unsigned long long>(m_config.nodeId), m_config.clusterId.c_str(),
           m_incarnationId.c_str(), qPrintable(QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs)));
    enter(NodeState::Starting);

    std::error_code ec;
    std::filesystem::create_directories(m_config.dataDir + "/metadata", ec);
    if (ec) {
        fail(QStringLiteral("cannot create %1/metadata: %2").arg(QString::fromStdString(m_config.dataDir),
                                                                  QString::fromStdString(ec.message())));
        return;
    }

    // Event loops start first; every later step is a message to a loop that already runs.
    m_raftThread.setObjectName(QStringLiteral("raft"));
    m_kafkaThread.setObjectName(QStringLiteral("kafka"));
    m_controller = new cluster::RaftController(clusterOptions(m_config, m_incarnationId));
    m_controller->moveToThread(&m_raftThread);
    connect(&m_raftThread, &QThread::finished, m_controller, &QObject::deleteLater);
    cluster::RaftController *controller = m_controller;
    m_kafka = new kafka::KafkaServer(m_config, m_controller, m_incarnationId,
                                     [controller](admin::EventKind kind, const QString &text) { controller->reportEvent(kind, text); });
    m_kafka->moveToThread(&m_kafkaThread);
    connect(&m_kafkaThread, &QThread::finished, m_kafka, &QObject::deleteLater);
    startWatchdog();
    m_raftThread.start();
    m_kafkaThread.start();

    connect(m_controller, &cluster::RaftController::failed, this, &Node::fail);
    connect(m_kafka, &kafka::KafkaServer::failed, this, &Node::fail);
    connect(m_controller, &cluster::RaftController::ready, this, [this]() {
        enter(NodeState::OpeningLogs);
        QMetaObject::invokeMethod(m_kafka, &kafka::KafkaServer::openLogs, Qt::QueuedConnection);
    });
    connect(m_kafka, &kafka::KafkaServer::logsOpened, this, [this]() {
        // The leader may have been heard of while the logs were opening (a restart into a live
        // cluster hears the leader's first heartbeat within milliseconds): its leaderChanged was
        // ignored then, but the controller stores the status before it signals, so it is here.
        const uint64_t leader = m_controller->clusterStatus()->leaderId;
        enter(NodeState::WaitingForLeader, leader ? QStringLiteral("leader is node %1").arg(leader) : QString());
        if (leader != 0)
            registerSelf();
    });
    connect(m_controller, &cluster::RaftController::leaderChanged, this, &Node::onLeaderChanged);
    connect(m_controller, &cluster::RaftController::caughtUp, this, &Node::onCaughtUp);
    connect(m_kafka, &kafka::KafkaServer::listening, this, [this](const QString &address) {
        enter(NodeState::Ready, QStringLiteral("Kafka clients served on %1").arg(address));
    });
    connect(m_kafka, &kafka::KafkaServer::stopped, this, &Node::finishShutdown);

    auto *stallCheck = new QTimer(this);
    connect(stallCheck, &QTimer::timeout, this, &Node::warnIfStartupStalls);
    stallCheck->start(1000);

    m_adminContext = makeAdminContext();
    startHttp();
    if (m_state == NodeState::Failed)
        return;   // the Kafka side is already told to stop; finishShutdown exits 1
    startAdmin();
    enter(NodeState::LoadingMetadata);
    m_controller->start();
}

void Node::startHttp()
{
    m_http = new HttpEndpoint(this);
    m_http->route("/health", [this]() {
        QJsonObject o{{"status", "alive"}, {"state", nodeStateName(m_state)}, {"node_id", qint64(m_config.nodeId)},
                      {"incarnation", QString::fromStdString(m_incarnationId)},
                      {"version", core::buildInfo().version}, {"git", core::buildInfo().gitHash},
                      {"uptime_ms", m_sinceStart.elapsed()}};
        return HttpResponse{200, "application/json", QJsonDocument(o).toJson(QJsonDocument::Compact).toStdString() + "\n"};
    });
    m_http->route("/ready", [this]() {
        const auto status = m_controller->clusterStatus();
        const cluster::Readiness r = cluster::nodeReadiness(*status, nodeStateName(m_state));
        QJsonObject o{{"ready", r.ready}, {"state", nodeStateName(m_state)}, {"node_id", qint64(status->nodeId)},
                      {"leader_id", qint64(status->leaderId)}, {"term", qint64(status->term)},
                      {"applied", qint64(status->applied)}, {"leader_commit", qint64(status->leaderCommitAtHeartbeat)}};
        if (!r.ready)
            o.insert("reason", QString::fromStdString(r.reason));
        return HttpResponse{r.ready ? 200 : 503, "application/json",
                            QJsonDocument(o).toJson(QJsonDocument::Compact).toStdString() + "\n"};
    });
    m_http->route("/metrics", [this]() {
        MetricsSources sources;
        sources.controller = m_controller;
        sources.kafka = &m_kafka->metrics();
        sources.admin = m_admin ? &m_admin->metrics() : nullptr;
        sources.watchdog = m_watchdog.get();
        sources.disks = diskUsageSource();
        sources.processStartSeconds = double(m_startedAtMs) / 1000.0;
        return HttpResponse{200, "text/plain; version=0.0.4; charset=utf-8", renderMetrics(sources)};
    });
    // The admin socket's status, as `skiffctl --json status` prints it for this node: one view,
    // built by the same function (admin::buildStatus) and rendered by the same JSON mapping.
    m_http->route("/status", [this]() {
        const admin::StatusSnapshot s =
            admin::buildStatus(m_adminContext, *m_controller->clusterStatus(), *m_controller->image());
        return HttpResponse{200, "application/json",
                            QJsonDocument(admin::toJson(s)).toJson(QJsonDocument::Compact).toStdString() + "\n"};
    });
    if (Status s = m_http->listen(m_config.httpListen.host, m_config.httpListen.port); !s.isOk())
        fail(QString::fromStdString(s.message()));
}

void Node::startWatchdog()
{
    // The raft thread runs the Ready loop, the kafka thread every connection: systemd gets its
    // keep-alive only while both turn (a main loop that stalls stops the timer by itself).
    sync::WatchdogConfig config;
    config.missThreshold = std::chrono::milliseconds(m_config.watchdogMissMs);
    config.stallThreshold = std::chrono::milliseconds(m_config.watchdogStallMs);
    m_watchdog = std::make_unique<sync::Watchdog>(config);
    // Stalls and lock-order reports are logged as before and become admin events (dashboard, watch).
    cluster::RaftController *controller = m_controller;
    m_watchdog->setReportSink([controller](const sync::StallReport &report) {
        qCCritical(lcNode, "%s", report.text.c_str());
        controller->reportEvent(admin::EVENT_KIND_WATCHDOG_STALL, QString::fromStdString(report.text));
    });
    sync::setWitnessReportSink([controller](const sync::WitnessReport &report) {
        qCCritical(lcNode, "%s", report.text.c_str());
        controller->reportEvent(report.kind == sync::WitnessReportKind::SelfDeadlock ? admin::EVENT_KIND_SELF_DEADLOCK
                                                                                    : admin::EVENT_KIND_LOCK_ORDER_INVERSION,
                                QString::fromStdString(report.text));
    });
    sync::LoopHeartbeat::attach(*m_watchdog, &m_raftThread, "raft");
    sync::LoopHeartbeat::attach(*m_watchdog, &m_kafkaThread, "kafka");
    sync::LoopHeartbeat::attach(*m_watchdog, &m_adminThread, "admin");
    m_systemd->startKeepAlive([this]() { return m_watchdog->isHealthy("raft") && m_watchdog->isHealthy("kafka"); });

    // Misses (silent over watchdog.miss.ms, short of a stall) are counted by the watchdog; once a
    // second the new ones become one event per loop, so the event log shows when loops lagged.
    m_missReporter = std::make_unique<WatchdogMissReporter>(config.missThreshold);
    auto *missTimer = new QTimer(this);
    connect(missTimer, &QTimer::timeout, this, [this, controller] {
        for (const std::string &text : m_missReporter->check(m_watchdog->loopStats())) {
            qCWarning(lcNode, "watchdog: %s", text.c_str());
            controller->reportEvent(admin::EVENT_KIND_WATCHDOG_MISS, QString::fromStdString(text));
        }
    });
    missTimer->start(1000);
}

std::function<std::vector<log::DiskUsageInfo>()> Node::diskUsageSource() const
{
    return [dir = m_config.dataDir, metrics = &m_kafka->metrics()]() {
        return log::diskUsage(dir, metrics->partitionLogBytes.load());
    };
}

admin::AdminContext Node::makeAdminContext()
{
    admin::AdminContext context;
    context.controller = m_controller;
    context.nodeId = m_config.nodeId;
    context.clusterId = m_config.clusterId;
    context.incarnationId = m_incarnationId;
    context.token = m_config.adminToken;
    context.access = m_config.adminAccess;
    context.tls = m_config.tls;
    context.tls.clientAuth = m_config.adminAccess.clientAuth;
    context.timeouts = {std::chrono::milliseconds(m_config.socketRequestTimeoutMs),
                        std::chrono::milliseconds(m_config.adminConnectionsMaxIdleMs),
                        std::chrono::milliseconds(m_config.sslHandshakeTimeoutMs)};
    context.processStartUnixMs = QDateTime::currentMSecsSinceEpoch() - m_sinceStart.elapsed();
    context.topicPolicy = kafka::topicPolicy(m_config);
    context.startupState = [this]() { return std::string(nodeStateName(publishedState())); };
    context.kafkaRequests = [metrics = &m_kafka->metrics()]() {
        std::vector<admin::AdminContext::KafkaApiStats> out;
        metrics->forEachAnsweredApi([&out](const char *api, uint64_t n, const metrics::Histogram &latency, auto variants) {
            admin::AdminContext::KafkaApiStats stats{api, n, latency.snapshot(), {}};
            variants([&stats](const char *variant, uint64_t m, const metrics::Histogram &h) {
                stats.variants.push_back({variant, m, h.snapshot(), {}});
            });
            out.push_back(std::move(stats));
        });
        return out;
    };
    context.logFsyncLatency = [metrics = &m_kafka->metrics()]() { return metrics->logFsyncMicros.snapshot(); };
    context.ledPartitions = [metrics = &m_kafka->metrics()]() { return metrics->replication.snapshot(); };
    context.maxFollowerLag = [metrics = &m_kafka->metrics()]() { return int64_t(metrics->maxFollowerLag.load()); };
    context.topicTraffic = [metrics = &m_kafka->metrics()]() { return metrics->traffic.snapshot(); };
    context.disks = diskUsageSource();
    context.coordinatedGroups = [metrics = &m_kafka->metrics()]() { return metrics->groups.snapshot(); };
    return context;
}

void Node::startAdmin()
{
    m_adminThread.setObjectName(QStringLiteral("admin"));
    m_admin = new admin::AdminServer(m_adminContext);
    m_admin->moveToThread(&m_adminThread);
    connect(&m_adminThread, &QThread::finished, m_admin, &QObject::deleteLater);
    connect(m_admin, &admin::AdminServer::failed, this, &Node::fail);
    m_adminThread.start();
    const QString host = QString::fromStdString(m_config.adminListen.host);
    const quint16 port = m_config.adminListen.port;
    QMetaObject::invokeMethod(m_admin, [admin = m_admin, host, port]() { (void)admin->listen(host, port); },
                              Qt::QueuedConnection);
}

void Node::onLeaderChanged(quint64 leader, quint64 term)
{
    if (m_state == NodeState::WaitingForLeader && leader != 0) {
        qCInfo(lcNode, "metadata leader is node %llu (term %llu)", static_cast<unsigned long long>(leader),
               static_cast<unsigned long long>(term));
        registerSelf();
    }
}

void Node::registerSelf()
{
    if (m_state == NodeState::Failed || m_state == NodeState::Stopping)
        return;
    if (m_state != NodeState::Registering)
        enter(NodeState::Registering, QStringLiteral("incarnation %1").arg(QString::fromStdString(m_incarnationId)));
    ++m_registrationAttempts;
    metadata::Command command;
    auto *reg = command.mutable_register_broker();
    reg->set_broker_id(m_config.nodeId);
    reg->set_incarnation_id(m_incarnationId);
    reg->set_kafka_host(m_config.interBrokerListener().advertised.host);
    reg->set_kafka_port(m_config.interBrokerListener().advertised.port);
    for (const core::KafkaListener &l : m_config.kafkaListeners) {
        metadata::Endpoint *e = reg->add_endpoints();
        e->set_listener(l.name);
        e->set_host(l.advertised.host);
        e->set_port(l.advertised.port);
        e->set_security_protocol(core::securityProtocolName(l.protocol));
    }
    reg->set_admin_address(m_config.adminListen.toString());
    reg->set_raft_address(m_config.raftListen.toString());
    m_controller->submit(command, this, [this](metadata::ApplyResult result) {
        if (m_state != NodeState::Registering)
            return;
        if (result.status.isOk()) {
            enter(NodeState::CatchingUp, QStringLiteral("registered after %1 attempt(s)").arg(m_registrationAttempts));
            // caughtUp() is signalled once per change: if it came before this answer, the
            // status (stored before the signal) already says so.
            if (m_controller->clusterStatus()->readyToServe()) {
                onCaughtUp();
                return;
            }
            m_controller->heartbeatNow();
            return;
        }
        // Through the leader, never to a guessed peer: retried until it is applied here. A
        // refusal (our id held by a live process) is retried too: it clears once that one is fenced.
        const std::string error = result.status.toString();
        if (error != m_lastRegistrationError) {
            qCWarning(lcNode, "registration not applied yet, retrying: %s", error.c_str());
            m_lastRegistrationError = error;
        }
        const int delayMs = std::min(2000, 50 << std::min(m_registrationAttempts, 5));
        QTimer::singleShot(delayMs, this, &Node::registerSelf);
    });
}

void Node::onCaughtUp()
{
    if (m_state != NodeState::CatchingUp)
        return;
    enter(NodeState::Listening);
    QMetaObject::invokeMethod(m_kafka, &kafka::KafkaServer::listen, Qt::QueuedConnection);
}

void Node::fail(const QString &reason)
{
    if (m_state == NodeState::Failed || m_state == NodeState::Stopping)
        return;
    qCCritical(lcNode, "%s", qPrintable(reason));
    enter(NodeState::Failed, reason);
    QMetaObject::invokeMethod(m_kafka, &kafka::KafkaServer::shutdown, Qt::QueuedConnection);
}

void Node::reloadTls()
{
    if (m_kafka)
        QMetaObject::invokeMethod(m_kafka, &kafka::KafkaServer::reloadTls, Qt::QueuedConnection);
    if (m_controller)
        m_controller->reloadTls();
    if (m_admin)
        QMetaObject::invokeMethod(m_admin, &admin::AdminServer::reloadTls, Qt::QueuedConnection);
}

void Node::shutdown()
{
    if (m_state == NodeState::Stopping || m_state == NodeState::Failed)
        return;
    enter(NodeState::Stopping);
    QMetaObject::invokeMethod(m_kafka, &kafka::KafkaServer::shutdown, Qt::QueuedConnection);
}

void Node::finishShutdown()
{
    // Kafka is drained and its logs synced; now the metadata loop stops and syncs its log, and
    // tells this thread when it is done. A node that leads the metadata quorum first hands
    // leadership to an up-to-date voter: the others would otherwise wait out an election timeout,
    // and the admin requests they forwarded here meanwhile wait for it too. Bounded, so a stop
    // never hangs on a peer that does not take over.
    const int code = m_state == NodeState::Failed ? 1 : 0;
    m_controller->handOffLeadership(kLeadershipHandOffMs, this, [this, code]() {
        m_controller->stop(this, [this, code]() {
            qCInfo(lcNode, "stopped cleanly");
            emit finished(code);
        });
    });
}

} // namespace skiff::app
