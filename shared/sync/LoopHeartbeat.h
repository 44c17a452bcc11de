#pragma once
// Registers a Qt event loop with the Watchdog and beats from a QTimer on that loop's thread: if
// the loop stops processing events, the beats stop and the watchdog reports it.
//
//   LoopHeartbeat::attach(watchdog, &readyThread, "ready-loop");   // any QThread, one line
//   new LoopHeartbeat(watchdog, "main-loop", 50ms, &app);            // the current thread

#include "sync/LoopHandle.h"

#include <QObject>
#include <QTimer>
#include <chrono>
#include <string>

class QThread;

namespace skiff::sync {

class Watchdog;

class LoopHeartbeat : public QObject {
    Q_OBJECT
public:
    // Beats on the current thread, starting now.
    LoopHeartbeat(Watchdog &watchdog, std::string loopName,
                  std::chrono::milliseconds interval = std::chrono::milliseconds(50), QObject *parent = nullptr);
    ~LoopHeartbeat() override;

    // A heartbeat living in `thread`: it starts beating once the thread's event loop runs
    // (before or after this call) and is deleted when the thread finishes.
    static LoopHeartbeat *attach(Watchdog &watchdog, QThread *thread, std::string loopName,
                                 std::chrono::milliseconds interval = std::chrono::milliseconds(50));

private:
    struct DeferredStart {};
    LoopHeartbeat(Watchdog &watchdog, std::string loopName, std::chrono::milliseconds interval, DeferredStart);
    void start();
    void beat();

    LoopHandle m_handle;
    QTimer m_timer;
};

} // namespace skiff::sync
