// TcpListener when accept() fails: this process runs out of file descriptors (its soft
// RLIMIT_NOFILE lowered to what is open), a client connects, the listener logs the failure once,
// keeps retrying without spinning, and takes the waiting connection once descriptors are back.
#include "net/TcpListener.h"

#include <QLoggingCategory>
#include <QRegularExpression>
#include <QTcpSocket>
#include <QTest>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

Q_LOGGING_CATEGORY(lcTest, "skiff.test")

namespace {

// A loopback client socket created now, connected later (connecting needs no new descriptor).
int clientSocket()
{
    return ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
}

bool connectTo(int fd, quint16 port)
{
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return ::connect(fd, reinterpret_cast<const sockaddr *>(&address), sizeof(address)) == 0;
}

// Lowers the soft open-file limit so that no descriptor is free, and restores it when done.
class NoFreeDescriptors {
public:
    NoFreeDescriptors()
    {
        ::getrlimit(RLIMIT_NOFILE, &m_saved);
        const int lowestFree = ::dup(0);
        ::close(lowestFree);
        rlimit lowered = m_saved;
        lowered.rlim_cur = rlim_t(lowestFree);
        m_ok = ::setrlimit(RLIMIT_NOFILE, &lowered) == 0 && ::dup(0) < 0 && errno == EMFILE;
    }
    ~NoFreeDescriptors() { restore(); }
    bool ok() const { return m_ok; }
    void restore() { ::setrlimit(RLIMIT_NOFILE, &m_saved); }

private:
    rlimit m_saved{};
    bool m_ok = false;
};

} // namespace

class TcpListenerTest : public QObject {
    Q_OBJECT
private slots:
    void acceptsAgainOnceDescriptorsAreBack()
    {
        skiff::net::TcpListener listener(QStringLiteral("test.listen"), lcTest);
        QVERIFY(listener.listen(QHostAddress::LocalHost, 0));
        int accepted = 0;
        connect(&listener, &skiff::net::TcpListener::newConnection, this, [&]() {
            while (QTcpSocket *s = listener.nextPendingConnection()) {
                ++accepted;
                s->deleteLater();
            }
        });
        const int first = clientSocket();
        QVERIFY(connectTo(first, listener.serverPort()));
        QTRY_COMPARE(accepted, 1);   // a listener that has accepted before: what Qt got wrong

        const int waiting = clientSocket();
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(
            "^test\\.listen 127\\.0\\.0\\.1:\\d+: cannot accept connections: Too many open files \\(out of file descriptors: "
            "check the open-file limit.*retrying every 50 ms up to 1000 ms"));
        QTest::failOnWarning(QRegularExpression("cannot accept"));   // once per episode, not per attempt
        {
            NoFreeDescriptors exhausted;
            QVERIFY(exhausted.ok());
            QVERIFY(connectTo(waiting, listener.serverPort()));   // completes into the backlog
            QTRY_VERIFY(listener.acceptFailing());
            QTest::qWait(400);   // 50 + 100 + 200 ms: several attempts fail
            QVERIFY(listener.acceptFailing());
            QCOMPARE(accepted, 1);
            QTest::ignoreMessage(QtInfoMsg, QRegularExpression(
                "^test\\.listen 127\\.0\\.0\\.1:\\d+: accepting connections again, after [3-9] failed attempt\\(s\\) over \\d+ ms"));
        }
        QTRY_COMPARE_WITH_TIMEOUT(accepted, 2, 3000);   // the connection that waited is served
        QVERIFY(!listener.acceptFailing());
        ::close(first);
        ::close(waiting);
    }

    void closeStopsAccepting()
    {
        skiff::net::TcpListener listener(QStringLiteral("test.listen"), lcTest);
        QVERIFY(listener.listen(QHostAddress::LocalHost, 0));
        const quint16 port = listener.serverPort();
        listener.close();
        QVERIFY(!listener.isListening());
        const int fd = clientSocket();
        QVERIFY(!connectTo(fd, port));
        ::close(fd);
    }
};

QTEST_GUILESS_MAIN(TcpListenerTest)
#include "TcpListenerTest.moc"
