#include "net/TcpListener.h"

#include <QSocketNotifier>
#include <QTcpSocket>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <sys/socket.h>
#include <unistd.h>

namespace skiff::net {
namespace {

// Each wake-up accepts at most this many, so that a flood of connections does not keep the
// thread from its other work; the socket stays readable and the next turn takes more.
constexpr int kMaxAcceptsPerWakeup = 64;

// Errors that belong to the one connection being accepted (Linux reports a pending network
// error of the new connection through accept): skip it and take the next, as accept(2) advises.
bool concernsOnlyThatConnection(int error)
{
    switch (error) {
    case ECONNABORTED:
    case EPROTO:
    case ENOPROTOOPT:
    case ENETDOWN:
    case ENETUNREACH:
    case EHOSTDOWN:
    case EHOSTUNREACH:
    case ENONET:
    case EOPNOTSUPP:
    case EPERM:   // refused by a firewall rule
        return true;
    default:
        return false;
    }
}

// What an operator can do about it.
const char *hintFor(int error)
{
    switch (error) {
    case EMFILE:
    case ENFILE:
        return " (out of file descriptors: check the open-file limit, ulimit -n or LimitNOFILE=, and what holds them)";
    case ENOBUFS:
    case ENOMEM:
        return " (out of memory for sockets)";
    default:
        return "";
    }
}

} // namespace

TcpListener::TcpListener(QString role, QMessageLogger::CategoryFunction category, QObject *parent)
    : QObject(parent), m_role(std::move(role)), m_category(category), m_server(this), m_retryTimer(this)
{
    m_retryTimer.setSingleShot(true);
    m_retryTimer.setTimerType(Qt::PreciseTimer);
    connect(&m_retryTimer, &QTimer::timeout, this, &TcpListener::retry);
}

TcpListener::~TcpListener()
{
    close();
}

bool TcpListener::listen(const QHostAddress &address, quint16 port)
{
    if (!m_server.listen(address, port))
        return false;
    // QTcpServer keeps the socket; accepting is done here (see the header for why).
    m_server.pauseAccepting();
    m_name = QStringLiteral("%1 %2:%3").arg(m_role, m_server.serverAddress().toString()).arg(m_server.serverPort());
    m_notifier = new QSocketNotifier(m_server.socketDescriptor(), QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &TcpListener::acceptAll);
    return true;
}

void TcpListener::close()
{
    m_retryTimer.stop();
    delete m_notifier;   // before the socket it watches is closed
    m_notifier = nullptr;
    qDeleteAll(m_pending);
    m_pending.clear();
    m_server.close();
}

QTcpSocket *TcpListener::nextPendingConnection()
{
    return m_pending.isEmpty() ? nullptr : m_pending.takeFirst();
}

void TcpListener::acceptAll()
{
    const int listening = int(m_server.socketDescriptor());
    for (int i = 0; i < kMaxAcceptsPerWakeup; ++i) {
        const int fd = ::accept4(listening, nullptr, nullptr, SOCK_CLOEXEC);
        if (fd < 0) {
            const int error = errno;
            if (error == EAGAIN || error == EWOULDBLOCK)
                return;
            if (error == EINTR || concernsOnlyThatConnection(error))
                continue;
            acceptFailed(error);
            return;
        }
        QTcpSocket *socket = m_socketFactory ? m_socketFactory(this) : new QTcpSocket(this);
        if (!socket->setSocketDescriptor(fd)) {
            qCWarning(m_category, "%s: dropped an accepted connection: %s", qPrintable(m_name), qPrintable(socket->errorString()));
            ::close(fd);
            delete socket;
            continue;
        }
        if (m_failing) {
            m_failing = false;
            if (m_episodeReported)
                qCInfo(m_category, "%s: accepting connections again, after %d failed attempt(s) over %lld ms",
                       qPrintable(m_name), m_failedAttempts, static_cast<long long>(m_episode.elapsed()));
        }
        m_pending.append(socket);
        emit newConnection();
        if (!m_notifier)   // closed by a receiver
            return;
    }
}

void TcpListener::acceptFailed(int error)
{
    if (!m_failing) {
        m_failing = true;
        m_failedAttempts = 0;
        m_retryDelay = kFirstRetryDelay;
        m_episode.start();
        reportEpisode(error);
    } else {
        m_retryDelay = std::min(m_retryDelay * 2, kMaxRetryDelay);
    }
    ++m_failedAttempts;
    // The failed connection is still in the backlog: the socket stays readable, so listening for
    // it now would spin. Wait, then try again.
    m_notifier->setEnabled(false);
    m_retryTimer.start(m_retryDelay);
}

void TcpListener::retry()
{
    if (m_notifier)
        m_notifier->setEnabled(true);
}

void TcpListener::reportEpisode(int error)
{
    m_episodeReported = !m_lastReport.isValid() || m_lastReport.elapsed() >= kReportInterval.count();
    if (!m_episodeReported) {
        ++m_unreportedEpisodes;
        return;
    }
    m_lastReport.start();
    const QString earlier = m_unreportedEpisodes == 0
                                ? QString()
                                : QStringLiteral(" (%1 more episode(s) since the last report)").arg(m_unreportedEpisodes);
    m_unreportedEpisodes = 0;
    qCWarning(m_category, "%s: cannot accept connections: %s%s; retrying every %lld ms up to %lld ms until it can%s",
              qPrintable(m_name), std::strerror(error), hintFor(error), static_cast<long long>(kFirstRetryDelay.count()),
              static_cast<long long>(kMaxRetryDelay.count()), qPrintable(earlier));
}

} // namespace skiff::net
