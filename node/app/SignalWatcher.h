#pragma once

#include <QObject>

class QSocketNotifier;

namespace skiff::app {

// Turns SIGTERM and SIGINT (stop) and SIGHUP (read the TLS files again) into Qt signals on the
// thread that created the watcher (self-pipe: the handler only writes one byte, everything else
// happens in the event loop).
class SignalWatcher : public QObject {
    Q_OBJECT
public:
    explicit SignalWatcher(QObject *parent = nullptr);
    ~SignalWatcher() override;

signals:
    void terminationRequested(int signalNumber);
    void reloadRequested();

private:
    QSocketNotifier *m_notifier = nullptr;
};

} // namespace skiff::app
