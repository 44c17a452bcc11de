#pragma once

#include "admin/AdminContext.h"
#include "app/NodeState.h"
#include "core/NodeConfig.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QObject>
#include <QThread>

#include <atomic>
#include <memory>
#include <string>

namespace skiff::cluster {
class RaftController;
}
namespace skiff::kafka {
class KafkaServer;
}
namespace skiff::sync {
class Watchdog;
}
namespace skiff::admin {
class AdminServer;
}

namespace skiff::app {

class HttpEndpoint;
class WatchdogMissReporter;
class SystemdNotifier;

// One skiffd process: starts the threads that own things, walks the startup states, and shuts
// down cleanly. Lives on the main thread and never blocks it: every step is a message to an
// event loop that already runs, and every wait is for a signal.
class Node : public QObject {
    Q_OBJECT
public:
    explicit Node(core::NodeConfig config, QObject *parent = nullptr);
    ~Node() override;

    void start();
    void shutdown();
    // SIGHUP: the SSL listeners read their certificate files again (a bad file keeps the old one).
    void reloadTls();
    NodeState state() const { return m_state; }
    // Any thread (the admin socket reports it): the state last entered.
    NodeState publishedState() const { return m_publishedState.load(std::memory_order_acquire); }

signals:
    void finished(int exitCode);

private:
    void enter(NodeState state, const QString &detail = {});
    void fail(const QString &reason);
    void onLeaderChanged(quint64 leader, quint64 term);
    void registerSelf();
    void onCaughtUp();
    void startHttp();
    // What the admin socket and HTTP /status read: one status view (admin::buildStatus).
    admin::AdminContext makeAdminContext();
    // The file systems the node writes to, as the admin status and /metrics report them.
    std::function<std::vector<log::DiskUsageInfo>()> diskUsageSource() const;
    void startAdmin();
    void finishShutdown();
    // How long a stopping metadata leader waits for a voter to take over (RaftController::
    // handOffLeadership): a transfer takes a round trip or two; an election timeout is 0.5-1 s.
    static constexpr int64_t kLeadershipHandOffMs = 2000;
    void startWatchdog();
    void warnIfStartupStalls();

    const core::NodeConfig m_config;
    const std::string m_incarnationId;
    NodeState m_state = NodeState::Starting;
    std::atomic<NodeState> m_publishedState{NodeState::Starting};
    QElapsedTimer m_sinceStart;
    const qint64 m_startedAtMs = QDateTime::currentMSecsSinceEpoch();
    QThread m_raftThread;
    QThread m_kafkaThread;
    QThread m_adminThread;
    cluster::RaftController *m_controller = nullptr;
    kafka::KafkaServer *m_kafka = nullptr;
    HttpEndpoint *m_http = nullptr;
    // Stall watchdog of the raft and kafka loops; gates the systemd keep-alive (SystemdNotifier).
    std::unique_ptr<sync::Watchdog> m_watchdog;
    std::unique_ptr<WatchdogMissReporter> m_missReporter;
    SystemdNotifier *m_systemd = nullptr;
    admin::AdminServer *m_admin = nullptr;   // lives on m_adminThread
    admin::AdminContext m_adminContext;      // set before HTTP and the admin socket start
    QElapsedTimer m_inState;            // since the current state was entered
    qint64 m_nextStallWarningMs = 0;    // in-state time of the next "still <state>" warning
    int m_registrationAttempts = 0;
    std::string m_lastRegistrationError;
};

} // namespace skiff::app
