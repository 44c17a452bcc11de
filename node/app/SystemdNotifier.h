#pragma once
// Tells systemd (Type=notify) how the node is doing, through sd_notify(3):
//   STATUS=<state>: <detail>   on every startup state change (shown by `systemctl status`)
//   READY=1                    once the node is Ready (Kafka listens)
//   STOPPING=1                 when it shuts down (or fails)
//   WATCHDOG=1                 from a timer on the thread that owns this object, only while
//                              healthy() says the loops that matter still turn, and only when
//                              systemd asked for a watchdog (WatchdogSec=, sd_watchdog_enabled)
//   EXTEND_TIMEOUT_USEC=...    from the same timer while still starting and healthy: a node
//                              waiting for a quorum of peers that start later is not killed by
//                              TimeoutStartSec, but one whose loops are stuck is.
// Without NOTIFY_SOCKET (not started by systemd) every call is a no-op and no timer runs.

#include "app/NodeState.h"

#include <QObject>
#include <QString>
#include <QTimer>

#include <chrono>
#include <functional>

namespace skiff::app {

class SystemdNotifier : public QObject {
    Q_OBJECT
public:
    explicit SystemdNotifier(QObject *parent = nullptr);

    // NOTIFY_SOCKET is set: systemd (or a test standing in for it) listens.
    bool isActive() const { return m_active; }
    // The keep-alive period systemd asked for (WATCHDOG_USEC), zero when it asked for none.
    std::chrono::microseconds watchdogTimeout() const { return m_watchdogTimeout; }

    // STATUS= on every state; READY=1 on Ready; STOPPING=1 on Stopping and Failed.
    void stateChanged(NodeState state, const QString &detail);

    // Starts the keep-alive timer (when active). Each tick sends WATCHDOG=1 (if the watchdog is
    // enabled) and, before Ready, EXTEND_TIMEOUT_USEC, but only when healthy() returns true.
    void startKeepAlive(std::function<bool()> healthy);

    // Sends one message (several lines allowed); false if not active or sd_notify failed.
    bool notify(const QString &message);

private:
    void tick();

    bool m_active = false;
    bool m_ready = false;
    bool m_stopping = false;
    bool m_lastHealthy = true;
    std::chrono::microseconds m_watchdogTimeout{0};
    std::function<bool()> m_healthy;
    QTimer m_timer;
};

} // namespace skiff::app
