#include "app/SystemdNotifier.h"

#include "app/NodeLog.h"

#include <systemd/sd-daemon.h>

#include <algorithm>

namespace skiff::app {

namespace {
// Keep-alive period when systemd asked for no watchdog: only EXTEND_TIMEOUT_USEC is sent then.
constexpr std::chrono::milliseconds kStartupExtendPeriod{5000};
} // namespace

SystemdNotifier::SystemdNotifier(QObject *parent) : QObject(parent)
{
    m_active = qEnvironmentVariableIsSet("NOTIFY_SOCKET");
    uint64_t usec = 0;
    // Also checks WATCHDOG_PID against our pid; 0 = keep the variables for later calls.
    if (m_active && sd_watchdog_enabled(0, &usec) > 0)
        m_watchdogTimeout = std::chrono::microseconds(usec);
    if (m_active)
        qCInfo(lcNode, "systemd notification socket found; watchdog %s",
               m_watchdogTimeout.count() ? qPrintable(QStringLiteral("every %1 ms").arg(m_watchdogTimeout.count() / 1000))
                                         : "not requested");
    m_timer.setTimerType(Qt::CoarseTimer);
    connect(&m_timer, &QTimer::timeout, this, &SystemdNotifier::tick);
}

bool SystemdNotifier::notify(const QString &message)
{
    if (!m_active)
        return false;
    const int r = sd_notify(0, message.toUtf8().constData());
    return r > 0;
}

void SystemdNotifier::stateChanged(NodeState state, const QString &detail)
{
    if (!m_active)
        return;
    QString message = QStringLiteral("STATUS=%1%2%3")
                          .arg(QString::fromLatin1(nodeStateName(state)), detail.isEmpty() ? QString() : QStringLiteral(": "),
                               QString(detail).replace('\n', ' '));
    if (state == NodeState::Ready && !m_ready) {
        m_ready = true;
        message += QStringLiteral("\nREADY=1");
    }
    if ((state == NodeState::Stopping || state == NodeState::Failed) && !m_stopping) {
        m_stopping = true;
        message += QStringLiteral("\nSTOPPING=1");
    }
    notify(message);
}

void SystemdNotifier::startKeepAlive(std::function<bool()> healthy)
{
    if (!m_active)
        return;
    m_healthy = std::move(healthy);
    // A quarter of the timeout: one unhealthy tick, or a late one, still leaves room.
    const auto period = m_watchdogTimeout.count()
                            ? std::max(std::chrono::milliseconds(10),
                                       std::chrono::duration_cast<std::chrono::milliseconds>(m_watchdogTimeout / 4))
                            : kStartupExtendPeriod;
    m_timer.start(period);
    tick();
}

void SystemdNotifier::tick()
{
    if (m_stopping) {
        m_timer.stop();   // shutdown has its own TimeoutStopSec; no keep-alive while stopping
        return;
    }
    const bool healthy = !m_healthy || m_healthy();
    if (healthy != m_lastHealthy) {
        if (healthy)
            qCInfo(lcNode, "event loops healthy again: systemd keep-alives resumed");
        else
            qCWarning(lcNode, "an event loop is stalled: systemd keep-alives withheld");
        m_lastHealthy = healthy;
    }
    if (!healthy)
        return;
    QStringList lines;
    if (m_watchdogTimeout.count())
        lines << QStringLiteral("WATCHDOG=1");
    if (!m_ready) {
        const auto extend = std::chrono::duration_cast<std::chrono::microseconds>(m_timer.intervalAsDuration()) * 3;
        lines << QStringLiteral("EXTEND_TIMEOUT_USEC=%1").arg(qint64(extend.count()));
    }
    notify(lines.join('\n'));
}

} // namespace skiff::app
