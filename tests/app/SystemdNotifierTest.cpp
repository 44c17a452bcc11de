// SystemdNotifier against a datagram socket standing in for systemd's NOTIFY_SOCKET.
#include "app/SystemdNotifier.h"

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTest>

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <cstring>

using skiff::app::NodeState;
using skiff::app::SystemdNotifier;

namespace {

class FakeSystemd {
public:
    explicit FakeSystemd(const QString &path)
    {
        m_fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        sockaddr_un addr{};
        addr.sun_family = AF_UNIX;
        std::strncpy(addr.sun_path, path.toLocal8Bit().constData(), sizeof(addr.sun_path) - 1);
        if (::bind(m_fd, reinterpret_cast<sockaddr *>(&addr), sizeof(addr)) != 0)
            qFatal("bind %s: %s", qPrintable(path), std::strerror(errno));
    }
    ~FakeSystemd() { ::close(m_fd); }

    // Messages received within timeoutMs (processing Qt events meanwhile, so timers fire).
    QStringList receive(int timeoutMs)
    {
        QStringList got;
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < timeoutMs) {
            QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
            pollfd p{m_fd, POLLIN, 0};
            while (::poll(&p, 1, 5) > 0) {
                char buf[4096];
                const ssize_t n = ::recv(m_fd, buf, sizeof(buf), 0);
                if (n <= 0)
                    break;
                got << QString::fromUtf8(buf, int(n));
            }
        }
        return got;
    }

private:
    int m_fd = -1;
};

} // namespace

class SystemdNotifierTest : public QObject {
    Q_OBJECT
private slots:
    void withoutNotifySocketEverythingIsANoOp()
    {
        qunsetenv("NOTIFY_SOCKET");
        qputenv("WATCHDOG_USEC", "100000");
        SystemdNotifier n;
        QVERIFY(!n.isActive());
        QCOMPARE(n.watchdogTimeout().count(), 0);
        QVERIFY(!n.notify(QStringLiteral("READY=1")));
        n.stateChanged(NodeState::Ready, QStringLiteral("x"));
        n.startKeepAlive([] { return true; });
        qunsetenv("WATCHDOG_USEC");
    }

    void statusReadyStoppingAndWatchdogOnlyWhileHealthy()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("notify"));
        FakeSystemd systemd(path);
        qputenv("NOTIFY_SOCKET", path.toLocal8Bit());
        qputenv("WATCHDOG_USEC", "200000");   // 200 ms: keep-alive every 50 ms
        qunsetenv("WATCHDOG_PID");
        SystemdNotifier n;
        QVERIFY(n.isActive());
        QCOMPARE(n.watchdogTimeout().count(), 200000);

        n.stateChanged(NodeState::LoadingMetadata, {});
        n.stateChanged(NodeState::WaitingForLeader, QStringLiteral("leader is node 2"));
        QStringList got = systemd.receive(50);
        QCOMPARE(got, (QStringList{QStringLiteral("STATUS=loading-metadata"),
                                    QStringLiteral("STATUS=waiting-for-leader: leader is node 2")}));

        std::atomic<bool> healthy{true};
        n.startKeepAlive([&] { return healthy.load(); });
        got = systemd.receive(300);
        QVERIFY2(got.size() >= 3, qPrintable(got.join('|')));
        // Before Ready: the keep-alive also extends the start timeout.
        QVERIFY2(got.first().contains(QStringLiteral("WATCHDOG=1")), qPrintable(got.join('|')));
        QVERIFY2(got.first().contains(QStringLiteral("EXTEND_TIMEOUT_USEC=150000")), qPrintable(got.join('|')));

        n.stateChanged(NodeState::Ready, QStringLiteral("Kafka clients served on 127.0.0.1:1"));
        got = systemd.receive(120);
        QVERIFY(!got.isEmpty());
        QCOMPARE(got.first(), QStringLiteral("STATUS=ready: Kafka clients served on 127.0.0.1:1\nREADY=1"));
        for (const QString &m : got.mid(1))
            QCOMPARE(m, QStringLiteral("WATCHDOG=1"));   // no EXTEND_TIMEOUT_USEC once ready

        healthy = false;
        systemd.receive(60);   // a tick may have been in flight
        got = systemd.receive(300);
        QVERIFY2(got.isEmpty(), qPrintable(got.join('|')));

        healthy = true;
        got = systemd.receive(200);
        QVERIFY2(got.contains(QStringLiteral("WATCHDOG=1")), qPrintable(got.join('|')));

        n.stateChanged(NodeState::Stopping, {});
        got = systemd.receive(200);
        QVERIFY(!got.isEmpty());
        QCOMPARE(got.first(), QStringLiteral("STATUS=stopping\nSTOPPING=1"));
        QVERIFY2(got.size() <= 2, qPrintable(got.join('|')));   // the timer stops at the next tick
        QVERIFY(systemd.receive(150).isEmpty());

        qunsetenv("NOTIFY_SOCKET");
        qunsetenv("WATCHDOG_USEC");
    }

    void watchdogOfAnotherPidIsIgnored()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("notify"));
        FakeSystemd systemd(path);
        qputenv("NOTIFY_SOCKET", path.toLocal8Bit());
        qputenv("WATCHDOG_USEC", "200000");
        qputenv("WATCHDOG_PID", QByteArray::number(qint64(getpid()) + 1));
        SystemdNotifier n;
        QVERIFY(n.isActive());
        QCOMPARE(n.watchdogTimeout().count(), 0);
        qunsetenv("NOTIFY_SOCKET");
        qunsetenv("WATCHDOG_USEC");
        qunsetenv("WATCHDOG_PID");
    }
};

QTEST_GUILESS_MAIN(SystemdNotifierTest)
#include "SystemdNotifierTest.moc"
