#pragma once

#include <QObject>

class QSocketNotifier;

namespace skiff::app {

// Turns SIGTERM and SIGINT into a Qt signal on the thread that created the watcher (self-pipe:
// the handler only writes one byte, everything else happens in the event loop).
class SignalWatcher : public QObject {
    Q_OBJECT
public:
    explicit SignalWatcher(QObject *parent = nullptr);
    ~SignalWatcher() override;

signals:
    void terminationRequested(int signalNumber);

private:
    QSocketNotifier *m_notifier = nullptr;
};

} // namespace skiff::app
