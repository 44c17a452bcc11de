#include "sync/LoopHeartbeat.h"
#include "sync/Watchdog.h"

#include <QThread>

namespace skiff::sync {

LoopHeartbeat::LoopHeartbeat(Watchdog &watchdog, std::string loopName, std::chrono::milliseconds interval,
                             QObject *parent)
    : LoopHeartbeat(watchdog, std::move(loopName), interval, DeferredStart{})
{
    setParent(parent);
    start();
}

LoopHeartbeat::LoopHeartbeat(Watchdog &watchdog, std::string loopName, std::chrono::milliseconds interval,
                             DeferredStart)
    : m_handle(watchdog.registerLoop(std::move(loopName))), m_timer(this)
{
    m_timer.setInterval(interval);
    connect(&m_timer, &QTimer::timeout, this, &LoopHeartbeat::beat);
}

LoopHeartbeat::~LoopHeartbeat() = default; // m_handle unregisters

LoopHeartbeat *LoopHeartbeat::attach(Watchdog &watchdog, QThread *thread, std::string loopName,
                                     std::chrono::milliseconds interval)
{
    auto *heartbeat = new LoopHeartbeat(watchdog, std::move(loopName), interval, DeferredStart{});
    heartbeat->moveToThread(thread);
    // Queued: runs in `thread` once its event loop processes events, whether it runs yet or not.
    QMetaObject::invokeMethod(heartbeat, &LoopHeartbeat::start, Qt::QueuedConnection);
    connect(thread, &QThread::finished, heartbeat, &QObject::deleteLater);
    return heartbeat;
}

void LoopHeartbeat::start()
{
    m_timer.start();
    beat(); // tells the watchdog which thread this loop runs on right away
}

void LoopHeartbeat::beat()
{
    m_handle.beat();
}

} // namespace skiff::sync
